/* check_sandbox.c — the sandbox's pure parts: a preset's sandbox-rw entry
 * as a path, which entries the config takes, and bwrap's command line
 * (parents bound before children, a private TMPDIR). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <sys/stat.h>
#include <unistd.h>
#include "check_main.h"
#include "sandbox.h"
#include "preset.h"

static char *const env[] = {
	"HOME=/home/u", "XDG_DATA_HOME=/data", "EMPTY=", "XDG_DATA_HOME=/later", NULL,
};

static void
expands(const char *entry, const char *want)
{
	char *got = agent_sandbox_expand(entry, env);

	ck_assert_msg(got != NULL, "%s: %s", entry, strerror(errno));
	ck_assert_str_eq(got, want);
	free(got);
}

static void
refused(const char *entry, int err)
{
	char *got = agent_sandbox_expand(entry, env);

	ck_assert_msg(got == NULL, "%s gave %s", entry, got ? got : "");
	ck_assert_int_eq(errno, err);
}

START_TEST(entries_expand_in_the_agents_environment)
{
	expands("/abs/path/", "/abs/path/");
	expands("~", "/home/u");
	expands("~/.claude/", "/home/u/.claude/");
	expands("~/.claude.json", "/home/u/.claude.json");
	/* the last NAME= of the agent's environment wins, as putenv leaves it */
	expands("${XDG_DATA_HOME:-~/.local/share}/opencode/", "/later/opencode/");
	expands("${XDG_DATA_HOME}/opencode", "/later/opencode");
	/* empty is unset: the default */
	expands("${EMPTY:-~/.cache}/x/", "/home/u/.cache/x/");
	expands("${AGENTUTILS_TEST_UNSET:-/opt/x}/y", "/opt/x/y");
	/* ~user is not a form: a literal path must be absolute */
	refused("~user/x", EINVAL);
	refused("relative/x", EINVAL);
	refused("", EINVAL);
	refused("$HOME/x", EINVAL);
	refused("${}/x", EINVAL);
	refused("${1A}/x", EINVAL);
	refused("${X:-/a", EINVAL);
	refused("${X-/a}/b", EINVAL);
	refused("${AGENTUTILS_TEST_UNSET:-rel}/x", EINVAL);
	/* unset without a default: nothing to make writable */
	refused("${AGENTUTILS_TEST_UNSET}/x", ENOENT);
}
END_TEST

START_TEST(tilde_without_home_adds_nothing)
{
	char *const none[] = { "HOME=", NULL };
	char *saved = getenv("HOME") ? strdup(getenv("HOME")) : NULL;

	unsetenv("HOME");
	ck_assert_ptr_null(agent_sandbox_expand("~/.codex/", none));
	ck_assert_int_eq(errno, ENOENT);
	if (saved) {
		setenv("HOME", saved, 1);
		free(saved);
	}
}
END_TEST

START_TEST(the_config_takes_the_forms_whatever_the_environment)
{
	ck_assert(agent_sandbox_entry_valid("/a/b/"));
	ck_assert(agent_sandbox_entry_valid("~/.gemini/"));
	ck_assert(agent_sandbox_entry_valid("${CODEX_HOME:-~/.codex}/"));
	ck_assert(agent_sandbox_entry_valid("${CLAUDE_CONFIG_DIR}/x"));
	ck_assert(!agent_sandbox_entry_valid("rel/x"));
	ck_assert(!agent_sandbox_entry_valid("${A:-rel}/x"));
	ck_assert(!agent_sandbox_entry_valid("${A"));
}
END_TEST

START_TEST(the_builtin_presets_entries_are_valid)
{
	struct agent_conf *c = agent_conf_load("/dev/null", NULL);
	const char *const names[] = { "opencode", "omo", "claude", "codex", "gemini" };

	ck_assert_ptr_nonnull(c);
	for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
		const char *const *rw = agent_preset_sandbox_rw(agent_conf_get(c, names[i]));
		ck_assert_msg(rw[0] != NULL, "%s lists no state of its own", names[i]);
		for (; *rw; rw++)
			ck_assert_msg(agent_sandbox_entry_valid(*rw), "%s: %s", names[i], *rw);
		ck_assert(!agent_preset_sandbox(agent_conf_get(c, names[i])));
	}
	agent_conf_free(c);
}
END_TEST

/* index of word w in av, or -1 */
static int
at(char **av, const char *w)
{
	for (int i = 0; av[i]; i++)
		if (strcmp(av[i], w) == 0)
			return i;
	return -1;
}

START_TEST(parents_are_bound_before_children)
{
	struct agent_sandbox s = { 0 };
	char *rw[] = { "/a/b/c", "/a", "/a/b" };
	char **av;
	int n;

	s.rw = rw;
	s.n = 3;
	av = agent_sandbox_argv("/usr/bin/bwrap", &s);
	ck_assert_ptr_nonnull(av);
	ck_assert_str_eq(av[0], "/usr/bin/bwrap");
	for (n = 0; av[n]; n++)
		;
	ck_assert_str_eq(av[n - 1], "--");
	ck_assert_int_lt(at(av, "--ro-bind"), at(av, "--tmpfs"));
	ck_assert_int_lt(at(av, "--tmpfs"), at(av, "/a"));
	ck_assert_int_lt(at(av, "/a"), at(av, "/a/b"));
	ck_assert_int_lt(at(av, "/a/b"), at(av, "/a/b/c"));
	ck_assert_str_eq(av[at(av, "/a") - 1], "--bind");
	ck_assert_str_eq(av[at(av, "/a") + 1], "/a");
	ck_assert_int_eq(at(av, "--unshare-net"), -1);
	agent_argv_free(av);
}
END_TEST

START_TEST(tmpdir_is_private_unless_inside_a_writable_path)
{
	struct agent_sandbox s = { 0 };
	char *rw[] = { "/w" };
	char **av;

	s.rw = rw;
	s.n = 1;
	s.tmpdir = "/tmp/mine";
	av = agent_sandbox_argv("bwrap", &s);
	ck_assert_int_gt(at(av, "/tmp/mine"), at(av, "/tmp"));
	ck_assert_str_eq(av[at(av, "/tmp/mine") - 1], "--dir");
	agent_argv_free(av);
	s.tmpdir = "/w/tmp";
	av = agent_sandbox_argv("bwrap", &s);
	ck_assert_int_eq(at(av, "/w/tmp"), -1);
	agent_argv_free(av);
}
END_TEST

START_TEST(path_dirs_under_tmp_are_bound_back_read_only)
{
	struct agent_sandbox s = { 0 };
	char tmpl[] = "/tmp/check-sandbox.XXXXXX", *d, *inside, path[512], *rw[2];
	char **av;
	int i;

	d = mkdtemp(tmpl);
	ck_assert_ptr_nonnull(d);
	ck_assert_int_ge(asprintf(&inside, "%s/w/bin", d), 0);
	snprintf(path, sizeof path, "%s/w", d);
	ck_assert_int_eq(mkdir(path, 0700), 0);
	ck_assert_int_eq(mkdir(inside, 0700), 0);
	/* outside /tmp, /tmp itself, missing, the same twice, inside a
	 * writable path: none of these is bound read-only */
	snprintf(path, sizeof path, "/usr/bin:/tmp:/tmp/no-such-dir-here::%s:%s/:%s", d, d, inside);
	ck_assert_int_eq(agent_sandbox_path(&s, path), 0);
	ck_assert_uint_eq(s.nro, 2);
	ck_assert_str_eq(s.ro[0], d);
	ck_assert_str_eq(s.ro[1], inside);
	ck_assert_ptr_null(s.ro[2]);
	snprintf(path, sizeof path, "%s/w", d);
	rw[0] = path;
	rw[1] = NULL;
	s.rw = rw;
	s.n = 1;
	av = agent_sandbox_argv("bwrap", &s);
	ck_assert_ptr_nonnull(av);
	i = at(av, d);
	ck_assert_int_gt(i, at(av, "/tmp"));
	ck_assert_str_eq(av[i - 1], "--ro-bind");
	ck_assert_str_eq(av[i + 1], d);
	ck_assert_int_lt(i, at(av, path));
	ck_assert_int_eq(at(av, inside), -1);
	ck_assert_int_eq(at(av, "/usr/bin"), -1);
	agent_argv_free(av);
	s.rw = NULL;
	s.n = 0;
	agent_sandbox_clear(&s);
	ck_assert_int_eq(agent_sandbox_path(&s, NULL), 0);
	ck_assert_uint_eq(s.nro, 0);
	rmdir(inside);
	snprintf(path, sizeof path, "%s/w", d);
	rmdir(path);
	rmdir(d);
	free(inside);
}
END_TEST

START_TEST(kept_paths_are_read_only_again_after_the_writable_ones)
{
	struct agent_sandbox s = { 0 };
	char *rw[] = { "/r/.git", "/r", NULL };
	char *keep[] = { "/r/.git/hooks", "/elsewhere/hooks", NULL };
	char **av;
	int i;

	s.rw = rw;
	s.n = 2;
	s.keep = keep;
	s.nkeep = 2;
	av = agent_sandbox_argv("bwrap", &s);
	ck_assert_ptr_nonnull(av);
	i = at(av, "/r/.git/hooks");
	ck_assert_int_gt(i, at(av, "/r/.git"));
	ck_assert_str_eq(av[i - 1], "--ro-bind");
	ck_assert_str_eq(av[i + 1], "/r/.git/hooks");
	ck_assert_str_eq(av[i + 2], "--");
	/* one no writable path holds is read-only already: not bound */
	ck_assert_int_eq(at(av, "/elsewhere/hooks"), -1);
	agent_argv_free(av);
}
END_TEST

static Suite *
sandbox_suite(void)
{
	Suite *s = suite_create("sandbox");
	TCase *tc = tcase_create("entries");
	tcase_add_test(tc, entries_expand_in_the_agents_environment);
	tcase_add_test(tc, tilde_without_home_adds_nothing);
	tcase_add_test(tc, the_config_takes_the_forms_whatever_the_environment);
	tcase_add_test(tc, the_builtin_presets_entries_are_valid);
	suite_add_tcase(s, tc);
	tc = tcase_create("argv");
	tcase_add_test(tc, parents_are_bound_before_children);
	tcase_add_test(tc, tmpdir_is_private_unless_inside_a_writable_path);
	tcase_add_test(tc, path_dirs_under_tmp_are_bound_back_read_only);
	tcase_add_test(tc, kept_paths_are_read_only_again_after_the_writable_ones);
	suite_add_tcase(s, tc);
	return s;
}

CHECK_MAIN(sandbox_suite)
