/* check_spawn.c — agent_spawn as a library call: the run it makes, what it
 * records, and the errors it hands back instead of a run. */
#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "check_main.h"
#include "run.h"
#include "spawn.h"
#include "preset.h"

static char tmpdir[64];
static char runs[300];

static void
setup(void)
{
	strcpy(tmpdir, "/tmp/check_spawn.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(tmpdir));
	/* not created yet: agent_spawn makes it and its parents */
	snprintf(runs, sizeof runs, "%s/state/runs", tmpdir);
	setenv("AGENT_RUNS", runs, 1);
}

static void
teardown(void)
{
	char cmd[400];

	snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
	if (system(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", tmpdir);
}

/* Polls for the exit record: the condition, not a guessed delay. */
static int
wait_exit(struct agent_run *r, struct agent_run_exit *e)
{
	struct timespec ts = { 0, 20 * 1000 * 1000 };
	int i, rc;

	for (i = 0; i < 500; i++) {
		if ((rc = agent_run_exit(r, e)) != 0)
			return rc;
		nanosleep(&ts, NULL);
	}
	return 0;
}

static int
count_runs(void)
{
	struct dirent *de;
	int n = 0;
	DIR *d;

	if (!(d = opendir(runs)))
		return -1;
	while ((de = readdir(d)))
		n += de->d_name[0] != '.';
	closedir(d);
	return n;
}

static char *
slurp(const char *path)
{
	static char buf[4096];
	size_t n;
	FILE *f;

	if (!(f = fopen(path, "r")))
		return NULL;
	n = fread(buf, 1, sizeof buf - 1, f);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

START_TEST(a_run_records_what_was_asked_and_how_it_ended)
{
	char *argv[] = { "sh", "-c", "echo \"$X\"; exit 5", NULL };
	char *env[] = { "X=from env", NULL };
	struct agent_spawn_opts o = { 0 };
	struct agent_run *r;
	struct agent_run_exit e;
	struct stat st;
	char err[256], *id;

	o.argv = argv;
	o.env = env;
	o.agent = "claude";
	o.dialect = "claude-stream";
	o.label = "lbl";
	o.parent = "20261124-043512-k3f9";
	o.model = "opus";
	o.agent_name = "Sisyphus";
	o.workdir = tmpdir;
	ck_assert_int_eq(agent_spawn(&o, &id, err, sizeof err), 0);
	ck_assert(agent_run_id_valid(id));
	ck_assert_int_eq(stat(runs, &st), 0);
	ck_assert_int_eq(st.st_mode & 0777, 0700);
	ck_assert_ptr_nonnull(r = agent_run_open(id));
	ck_assert_str_eq(agent_run_agent(r), "claude");
	ck_assert_str_eq(agent_run_dialect(r), "claude-stream");
	ck_assert_str_eq(agent_run_label(r), "lbl");
	ck_assert_str_eq(agent_run_parent(r), "20261124-043512-k3f9");
	ck_assert_str_eq(agent_run_model(r), "opus");
	ck_assert_str_eq(agent_run_agent_name(r), "Sisyphus");
	ck_assert_str_eq(agent_run_argv(r)[2], argv[2]);
	ck_assert_int_gt(agent_run_pid(r), 0);
	ck_assert_int_eq(agent_run_pgid(r), agent_run_pid(r));
	ck_assert_int_ne(agent_run_supervisor(r), getpid());
	ck_assert(agent_run_started(r) > 1e9);
	ck_assert_int_eq(wait_exit(r, &e), 1);
	ck_assert_int_eq(e.status, 5);
	ck_assert_int_eq(e.killed, 0);
	ck_assert(e.ended >= agent_run_started(r));
	ck_assert_str_eq(slurp(agent_run_log(r)), "from env\n");
	agent_run_free(r);
	free(id);
}
END_TEST

START_TEST(exec_failure_is_an_error_and_leaves_no_run)
{
	char *argv[] = { "/nonexistent/agent", "-x", NULL };
	struct agent_spawn_opts o = { 0 };
	char err[256], *id = (char *)1;

	o.argv = argv;
	ck_assert_int_eq(agent_spawn(&o, &id, err, sizeof err), -1);
	ck_assert_int_eq(errno, ENOENT);
	ck_assert_str_eq(err, "exec: /nonexistent/agent: No such file or directory");
	ck_assert_ptr_null(id);
	ck_assert_int_eq(count_runs(), 0);
}
END_TEST

START_TEST(a_missing_workdir_is_an_error_before_any_run)
{
	char *argv[] = { "true", NULL };
	struct agent_spawn_opts o = { 0 };
	char err[256], *id;

	o.argv = argv;
	o.workdir = "/nonexistent/dir";
	ck_assert_int_eq(agent_spawn(&o, &id, err, sizeof err), -1);
	ck_assert_int_eq(errno, ENOENT);
	ck_assert_str_eq(err, "/nonexistent/dir: No such file or directory");
	ck_assert_int_eq(count_runs(), -1);   /* not even the runs directory */
}
END_TEST

START_TEST(bad_requests_are_refused)
{
	char *empty[] = { NULL };
	char *argv[] = { "true", NULL };
	char *env[] = { "=x", NULL };
	struct agent_spawn_opts o = { 0 };
	char err[256], *id;

	ck_assert_int_eq(agent_spawn(&o, &id, err, sizeof err), -1);
	ck_assert_int_eq(errno, EINVAL);
	o.argv = empty;
	ck_assert_int_eq(agent_spawn(&o, &id, err, sizeof err), -1);
	ck_assert_int_eq(errno, EINVAL);
	o.argv = argv;
	o.env = env;
	ck_assert_int_eq(agent_spawn(&o, &id, err, sizeof err), -1);
	ck_assert_int_eq(errno, EINVAL);
	ck_assert_int_eq(count_runs(), 0);
}
END_TEST

static char seen_prompt_file[512];

static char **
cat_prompt_file(const char *pf, const char *wd, void *arg)
{
	char **av = calloc(3, sizeof *av);

	ck_assert_ptr_nonnull(pf);
	snprintf(seen_prompt_file, sizeof seen_prompt_file, "%s", pf);
	av[0] = strdup(arg);
	av[1] = strdup(pf);
	return av;
}

START_TEST(argv_fn_gets_the_runs_prompt_file)
{
	struct agent_spawn_opts o = { 0 };
	struct agent_run *r;
	struct agent_run_exit e;
	char err[256], *id, want[512];

	o.argv_fn = cat_prompt_file;
	o.argv_arg = "cat";
	o.prompt = "line one\nline two\n";
	o.prompt_len = strlen(o.prompt);
	ck_assert_int_eq(agent_spawn(&o, &id, err, sizeof err), 0);
	snprintf(want, sizeof want, "%s/%s/prompt", runs, id);
	ck_assert_str_eq(seen_prompt_file, want);
	ck_assert_ptr_nonnull(r = agent_run_open(id));
	ck_assert_str_eq(agent_run_argv(r)[1], want);
	ck_assert_int_eq(wait_exit(r, &e), 1);
	ck_assert_int_eq(e.status, 0);
	ck_assert_str_eq(slurp(agent_run_log(r)), "line one\nline two\n");
	agent_run_free(r);
	free(id);
}
END_TEST

static volatile sig_atomic_t got_term;
static int term_in_argv_fn;

static void
on_term(int sig)
{
	got_term = sig;
}

/* A TERM to the caller while the run is being made (argv_fn runs then). */
static char **
term_midway(const char *pf, const char *wd, void *arg)
{
	char **av = calloc(4, sizeof *av);

	(void)pf;
	(void)arg;
	kill(getpid(), SIGTERM);
	term_in_argv_fn = got_term;
	av[0] = strdup("sh");
	av[1] = strdup("-c");
	av[2] = strdup("echo whole");
	return av;
}

START_TEST(a_signal_to_the_caller_waits_until_the_run_is_whole)
{
	struct agent_spawn_opts o = { 0 };
	struct sigaction sa, old;
	struct agent_run *r;
	struct agent_run_exit e;
	char err[256], *id;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_term;
	ck_assert_int_eq(sigaction(SIGTERM, &sa, &old), 0);
	got_term = 0;
	o.argv_fn = term_midway;
	ck_assert_int_eq(agent_spawn(&o, &id, err, sizeof err), 0);
	ck_assert_int_eq(sigaction(SIGTERM, &old, NULL), 0);
	/* held while the run was made, delivered once agent_spawn returned */
	ck_assert_int_eq(term_in_argv_fn, 0);
	ck_assert_int_eq(got_term, SIGTERM);
	ck_assert_ptr_nonnull(r = agent_run_open(id));
	ck_assert_int_eq(wait_exit(r, &e), 1);
	ck_assert_int_eq(e.status, 0);
	ck_assert_str_eq(slurp(agent_run_log(r)), "whole\n");
	agent_run_free(r);
	free(id);
}
END_TEST

START_TEST(prompt_stdin_feeds_the_prompt_then_eof)
{
	char *argv[] = { "sh", "-c", "cat; echo end", NULL };
	struct agent_spawn_opts o = { 0 };
	struct agent_run *r;
	struct agent_run_exit e;
	char err[256], *id;

	o.argv = argv;
	o.prompt = "p\0q";   /* bytes, NUL and all */
	o.prompt_len = 3;
	o.prompt_stdin = 1;
	ck_assert_int_eq(agent_spawn(&o, &id, err, sizeof err), 0);
	ck_assert_ptr_nonnull(r = agent_run_open(id));
	ck_assert_int_eq(wait_exit(r, &e), 1);
	ck_assert_int_eq(memcmp(slurp(agent_run_log(r)), "p\0qend\n", 7), 0);
	agent_run_free(r);
	free(id);
}
END_TEST

/* spawn.h's promise to a caller that lives on: the supervisor is its
 * child, and it reaps it once the run has ended (no middle process) */
START_TEST(the_supervisor_is_the_callers_child_to_reap)
{
	char *argv[] = { "true", NULL };
	struct agent_spawn_opts o = { 0 };
	struct agent_run *r;
	struct agent_run_exit e;
	char err[256], *id;
	int ws;

	o.argv = argv;
	ck_assert_int_eq(agent_spawn(&o, &id, err, sizeof err), 0);
	ck_assert_ptr_nonnull(r = agent_run_open(id));
	ck_assert_int_eq(wait_exit(r, &e), 1);
	ck_assert_int_eq(waitpid(agent_run_supervisor(r), &ws, 0), agent_run_supervisor(r));
	ck_assert(WIFEXITED(ws) && WEXITSTATUS(ws) == 0);
	agent_run_free(r);
	free(id);
}
END_TEST

static Suite *
spawn_suite(void)
{
	Suite *s = suite_create("spawn");
	TCase *tc = tcase_create("spawn");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, a_run_records_what_was_asked_and_how_it_ended);
	tcase_add_test(tc, exec_failure_is_an_error_and_leaves_no_run);
	tcase_add_test(tc, a_missing_workdir_is_an_error_before_any_run);
	tcase_add_test(tc, bad_requests_are_refused);
	tcase_add_test(tc, argv_fn_gets_the_runs_prompt_file);
	tcase_add_test(tc, prompt_stdin_feeds_the_prompt_then_eof);
	tcase_add_test(tc, a_signal_to_the_caller_waits_until_the_run_is_whole);
	tcase_add_test(tc, the_supervisor_is_the_callers_child_to_reap);
	suite_add_tcase(s, tc);
	return s;
}

CHECK_MAIN(spawn_suite)
