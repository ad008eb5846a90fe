/* check_remote.c — naming runs on other hosts: HOST:ID against local
 * files, which hosts ssh may be given, the hosts file, the ssh command
 * line (hostile words read back by a POSIX shell as themselves), -R. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include "check_main.h"
#include "remote.h"
#include "preset.h"

START_TEST(valid_hosts)
{
	static const char *const good[] = {
		"h1", "build-01.example.org", "user@h1", "a.b_c-d", "[::1]", "me@[fe80::1%eth0]",
		"10.0.0.7", "x+y", "u@v@w",
	};
	static const char *const bad[] = {
		"", "-oProxyCommand=sh", "h 1", "h\t1", "a/b", "h1;id", "$(id)", "`id`",
		"h1\n", "h'1", "h\"1", "h\\1", "[::1", "user@", "@", "caf\xc3\xa9", "h\x1b",
		"a:b", "u@-h", "[]",
	};
	for (size_t i = 0; i < sizeof good / sizeof *good; i++)
		ck_assert_msg(agent_remote_host_valid(good[i]), "%s refused", good[i]);
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
		ck_assert_msg(!agent_remote_host_valid(bad[i]), "%s taken", bad[i]);
}
END_TEST

static void
splits(const char *arg, const char *host, const char *id)
{
	char *h;
	const char *i;
	int r = agent_remote_split(arg, &h, &i);

	if (!host) {
		ck_assert_msg(r == 0, "%s: read as remote", arg);
		ck_assert_ptr_null(h);
		return;
	}
	ck_assert_msg(r == 1, "%s: read as local", arg);
	ck_assert_str_eq(h, host);
	ck_assert_str_eq(i, id);
	free(h);
}

START_TEST(host_colon_id)
{
	splits("h1:20261130-120000-ab3k", "h1", "20261130-120000-ab3k");
	splits("me@build.example.org:@", "me@build.example.org", "@");
	splits("h1:2026", "h1", "2026");
	splits("h1:", "h1", "");
	splits("h1:a:b", "h1", "a:b");
	splits("[::1]:20261130-120000-ab3k", "[::1]", "20261130-120000-ab3k");
	splits("u@[::1]:x", "u@[::1]", "x");
	splits("20261130-120000-ab3k", NULL, NULL);
	splits("@", NULL, NULL);
	splits(":x", NULL, NULL);
	splits("./dir:x", NULL, NULL);      /* a path, like scp's */
	splits("-o:x", NULL, NULL);
	splits("h 1:x", NULL, NULL);
	splits("[::1]x", NULL, NULL);
	splits(NULL, NULL, NULL);
}
END_TEST

START_TEST(an_existing_file_is_always_local)
{
	char dir[] = "/tmp/check_remote.XXXXXX", cwd[4096];

	ck_assert_ptr_nonnull(mkdtemp(dir));
	ck_assert_ptr_nonnull(getcwd(cwd, sizeof cwd));
	ck_assert_int_eq(chdir(dir), 0);
	splits("h1:run.log", "h1", "run.log");
	FILE *f = fopen("h1:run.log", "w");
	ck_assert_ptr_nonnull(f);
	fclose(f);
	splits("h1:run.log", NULL, NULL);
	ck_assert_int_eq(mkdir("h2:20261130-120000-ab3k", 0700), 0);
	splits("h2:20261130-120000-ab3k", NULL, NULL);
	unlink("h1:run.log");
	rmdir("h2:20261130-120000-ab3k");
	ck_assert_int_eq(chdir(cwd), 0);
	rmdir(dir);
}
END_TEST

static char **
parse(const char *text, size_t *n, int *line)
{
	*line = 0;
	return agent_remote_hosts_parse(text, strlen(text), n, line);
}

START_TEST(hosts_file_lines)
{
	size_t n;
	int line;
	char **v = parse("# build hosts\nh1\n  2/h2  \n\n\t8/me@h3\r\n#h4\n[::1]", &n, &line);

	ck_assert_ptr_nonnull(v);
	ck_assert_uint_eq(n, 4);
	ck_assert_str_eq(v[0], "h1");
	ck_assert_str_eq(v[1], "h2");
	ck_assert_str_eq(v[2], "me@h3");
	ck_assert_str_eq(v[3], "[::1]");
	ck_assert_ptr_null(v[4]);
	agent_argv_free(v);
	v = parse("", &n, &line);
	ck_assert_ptr_nonnull(v);
	ck_assert_uint_eq(n, 0);
	agent_argv_free(v);
}
END_TEST

START_TEST(hosts_file_refuses_what_is_no_host)
{
	static const struct { const char *text; int line; } bad[] = {
		{ "h1\nssh -p 2222 h2\n", 2 },     /* options belong in ~/.ssh/config */
		{ ":\n", 1 },                      /* parallel's "this machine" */
		{ "h1\n\nx/h2\n", 3 },
		{ "2/\n", 1 },
		{ "/h1\n", 1 },
		{ "-oProxyCommand=id\n", 1 },
		{ "h1\nh$(id)\n", 2 },
	};
	size_t n;
	int line;

	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		errno = 0;
		ck_assert_ptr_null(parse(bad[i].text, &n, &line));
		ck_assert_int_eq(errno, EINVAL);
		ck_assert_int_eq(line, bad[i].line);
	}
}
END_TEST

START_TEST(hosts_list)
{
	const char *bad;
	size_t n;
	char **v = agent_remote_hosts_list("h1,me@h2,[::1]", &n, &bad);

	ck_assert_ptr_nonnull(v);
	ck_assert_uint_eq(n, 3);
	ck_assert_str_eq(v[1], "me@h2");
	agent_argv_free(v);
	ck_assert_ptr_null(agent_remote_hosts_list("h1,,h2", &n, &bad));
	ck_assert_str_eq(bad, ",h2");
	ck_assert_ptr_null(agent_remote_hosts_list("h1,-F/tmp/x", &n, &bad));
	ck_assert_str_eq(bad, "-F/tmp/x");
	ck_assert_ptr_null(agent_remote_hosts_list("", &n, &bad));
}
END_TEST

START_TEST(hosts_path)
{
	char *p;

	setenv("XDG_CONFIG_HOME", "/x/config", 1);
	p = agent_remote_hosts_path();
	ck_assert_str_eq(p, "/x/config/agentutils/hosts");
	free(p);
	unsetenv("XDG_CONFIG_HOME");
	setenv("HOME", "/home/u", 1);
	p = agent_remote_hosts_path();
	ck_assert_str_eq(p, "/home/u/.config/agentutils/hosts");
	free(p);
}
END_TEST

/* What /bin/sh makes of the command string ssh would hand the host. */
static char *
host_shell_runs(const char *line)
{
	static char got[4096];
	size_t n;
	int fd[2];
	pid_t pid;

	ck_assert_int_eq(pipe(fd), 0);
	if ((pid = fork()) == 0) {
		dup2(fd[1], 1);
		execl("/bin/sh", "sh", "-c", line, (char *)NULL);
		_exit(127);
	}
	close(fd[1]);
	FILE *f = fdopen(fd[0], "r");
	n = fread(got, 1, sizeof got - 1, f);
	got[n] = '\0';
	fclose(f);
	waitpid(pid, NULL, 0);
	return got;
}

START_TEST(ssh_command_words_reach_the_host_as_themselves)
{
	static const char *const hostile[] = {
		"plain", "", "two words", "it's", "'", "$(touch /tmp/pwned)", "`id`",
		"; rm -rf ~", "a && b || c", "line1\nline2", "\ttab", "*", "~", "~root",
		"$HOME", "${IFS}", "\\", "\"", "-n", "--", "A=b", "#not a comment",
		"a\x1b[31mb", "bad\xff\xfe", "\xc2\x9b" "2J", "caf\xc3\xa9", "!", "{a,b}",
		"<in", ">out", "|", "&", "(x)", "\x01\x02\x7f", "trailing\n\n",
	};
	size_t nw = sizeof hostile / sizeof *hostile;
	char *cmd[64], want[4096], **av;
	size_t k, len = 0;

	/* printf prints each word between bars: what the tool would get */
	cmd[0] = "printf";
	cmd[1] = "[%s]";
	for (k = 0; k < nw; k++) {
		cmd[k + 2] = (char *)hostile[k];
		len += (size_t)snprintf(want + len, sizeof want - len, "[%s]", hostile[k]);
	}
	cmd[nw + 2] = NULL;
	unsetenv("AGENT_SSH");
	av = agent_remote_ssh_argv("me@h1", cmd);
	ck_assert_ptr_nonnull(av);
	ck_assert_str_eq(av[0], "ssh");
	ck_assert_str_eq(av[1], "--");
	ck_assert_str_eq(av[2], "me@h1");
	ck_assert_ptr_nonnull(av[3]);
	ck_assert_ptr_null(av[4]);
	ck_assert_msg(strncmp(av[3], "exec printf ", 12) == 0, "%s", av[3]);
	ck_assert_str_eq(host_shell_runs(av[3]), want);
	agent_argv_free(av);
}
END_TEST

START_TEST(agent_ssh_words)
{
	char *cmd[] = { "agent-ls", "-j", NULL }, **av;

	setenv("AGENT_SSH", "  ssh -F /t/cfg\t-o ControlMaster=auto ", 1);
	av = agent_remote_ssh_argv("h2", cmd);
	ck_assert_ptr_nonnull(av);
	ck_assert_str_eq(av[0], "ssh");
	ck_assert_str_eq(av[1], "-F");
	ck_assert_str_eq(av[2], "/t/cfg");
	ck_assert_str_eq(av[3], "-o");
	ck_assert_str_eq(av[4], "ControlMaster=auto");
	ck_assert_str_eq(av[5], "--");
	ck_assert_str_eq(av[6], "h2");
	ck_assert_str_eq(av[7], "exec agent-ls -j");
	ck_assert_ptr_null(av[8]);
	agent_argv_free(av);
	setenv("AGENT_SSH", " \t", 1);
	errno = 0;
	ck_assert_ptr_null(agent_remote_ssh_argv("h2", cmd));
	ck_assert_int_eq(errno, EINVAL);
	unsetenv("AGENT_SSH");
	errno = 0;
	ck_assert_ptr_null(agent_remote_ssh_argv("-oProxyCommand=id", cmd));
	ck_assert_int_eq(errno, EINVAL);
}
END_TEST

START_TEST(protocol_argument)
{
	long long off;
	int proto;

	ck_assert_int_eq(agent_remote_arg("1", &proto, &off), 0);
	ck_assert_int_eq(proto, 1);
	ck_assert_int_eq(off, -1);
	ck_assert_int_eq(agent_remote_arg("1:4096", &proto, &off), 0);
	ck_assert_int_eq(off, 4096);
	ck_assert_int_eq(agent_remote_arg("1:0", &proto, &off), 0);
	ck_assert_int_eq(off, 0);
	static const char *const bad[] = { "", "0", "x", "1:", "1:-1", ":5", "1:5x", "1.5",
		"99999999999999999999999" };
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
		ck_assert_msg(agent_remote_arg(bad[i], &proto, &off) < 0, "%s taken", bad[i]);
}
END_TEST

static Suite *
remote_suite(void)
{
	Suite *s = suite_create("remote");
	TCase *tc = tcase_create("names");
	tcase_add_test(tc, valid_hosts);
	tcase_add_test(tc, host_colon_id);
	tcase_add_test(tc, an_existing_file_is_always_local);
	suite_add_tcase(s, tc);
	tc = tcase_create("hosts");
	tcase_add_test(tc, hosts_file_lines);
	tcase_add_test(tc, hosts_file_refuses_what_is_no_host);
	tcase_add_test(tc, hosts_list);
	tcase_add_test(tc, hosts_path);
	suite_add_tcase(s, tc);
	tc = tcase_create("ssh");
	tcase_add_test(tc, ssh_command_words_reach_the_host_as_themselves);
	tcase_add_test(tc, agent_ssh_words);
	tcase_add_test(tc, protocol_argument);
	suite_add_tcase(s, tc);
	return s;
}

CHECK_MAIN(remote_suite)
