/* check_run.c — the run directory: ids, finding runs, the records of
 * agent-run(5), liveness by the lock, the run's processes.  Runs are built
 * by hand here, the way a reader finds them on disk. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <sys/prctl.h>
#include "check_main.h"
#include "run_int.h"
#include "proc.h"

static char tmpdir[64];
static char runs[300];

static void
setup(void)
{
	strcpy(tmpdir, "/tmp/check_run.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(tmpdir));
	snprintf(runs, sizeof runs, "%s/runs", tmpdir);
	ck_assert_int_eq(mkdir(runs, 0700), 0);
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

static void
put(const char *dir, const char *name, const char *text)
{
	char path[600];
	FILE *f;

	snprintf(path, sizeof path, "%s/%s", dir, name);
	ck_assert_ptr_nonnull(f = fopen(path, "w"));
	fputs(text, f);
	ck_assert_int_eq(fclose(f), 0);
}

/* A run directory as the supervisor leaves it: meta.json and the lock. */
static void
make_run(const char *id, double started, long sup, unsigned long long sup_start)
{
	char dir[400], meta[1200];

	snprintf(dir, sizeof dir, "%s/%s", runs, id);
	ck_assert_int_eq(mkdir(dir, 0700), 0);
	snprintf(meta, sizeof meta,
	         "{\"version\":1,\"id\":\"%s\",\"agent\":\"claude\",\"dialect\":\"claude-stream-json\","
	         "\"workdir\":\"/home/dev/w\",\"label\":\"phase-1\",\"parent\":null,"
	         "\"model\":\"opus\",\"agent_name\":null,\"started\":%.3f,"
	         "\"supervisor\":%ld,\"supervisor_start\":%llu,\"pid\":%ld,\"pgid\":%ld,"
	         "\"argv\":[\"claude\",\"-p\",\"do \\\"it\\\"\"],\"log\":null,\"on_exit\":null,"
	         "\"isolate\":false}\n",
	         id, started, sup, sup_start, sup + 1, sup + 1);
	put(dir, "meta.json", meta);
	put(dir, "lock", "");
}

static void
run_file(const char *id, const char *name, char *path, size_t len)
{
	snprintf(path, len, "%s/%s/%s", runs, id, name);
}

/* The supervisor pid of a run that is over: a reaped child's. */
static pid_t
dead_pid(void)
{
	pid_t p = fork();
	ck_assert_int_ge(p, 0);
	if (p == 0)
		_exit(0);
	ck_assert_int_eq(waitpid(p, NULL, 0), p);
	return p;
}

START_TEST(runs_dir_follows_the_environment)
{
	char *d;

	setenv("AGENT_RUNS", "/x/runs", 1);
	ck_assert_str_eq(d = agent_runs_dir(), "/x/runs");
	free(d);
	unsetenv("AGENT_RUNS");
	setenv("XDG_STATE_HOME", "/st", 1);
	ck_assert_str_eq(d = agent_runs_dir(), "/st/agentutils/runs");
	free(d);
	setenv("XDG_STATE_HOME", "relative", 1);   /* invalid per XDG: ignored */
	setenv("HOME", "/h", 1);
	ck_assert_str_eq(d = agent_runs_dir(), "/h/.local/state/agentutils/runs");
	free(d);
	setenv("AGENT_RUNS", "", 1);               /* empty is unset */
	unsetenv("XDG_STATE_HOME");
	ck_assert_str_eq(d = agent_runs_dir(), "/h/.local/state/agentutils/runs");
	free(d);
}
END_TEST

START_TEST(id_form_is_checked)
{
	ck_assert(agent_run_id_valid("20261124-043512-k3f9"));
	ck_assert(agent_run_id_valid("20261124-043512-0000"));
	ck_assert(!agent_run_id_valid("20261124-043512-k3f"));
	ck_assert(!agent_run_id_valid("20261124-043512-k3f99"));
	ck_assert(!agent_run_id_valid("20261124-043512-K3F9"));
	ck_assert(!agent_run_id_valid("20261124-043512-k3fi")); /* i is not base32 */
	ck_assert(!agent_run_id_valid("20261124_043512-k3f9"));
	ck_assert(!agent_run_id_valid("2026112a-043512-k3f9"));
	ck_assert(!agent_run_id_valid("../../../etc/passw"));
	ck_assert(!agent_run_id_valid(""));
}
END_TEST

START_TEST(new_ids_are_unique_valid_and_private)
{
	char ids[200][AGENT_RUN_ID_LEN + 1];
	struct stat st;
	int fd, runsfd, i, j;
	mode_t old = umask(0);

	ck_assert_int_ge(runsfd = open(runs, O_RDONLY | O_DIRECTORY), 0);
	for (i = 0; i < 200; i++) {
		ck_assert_int_ge(fd = agent__run_mkdir(runsfd, ids[i]), 0);
		ck_assert(agent_run_id_valid(ids[i]));
		ck_assert_int_eq(fstat(fd, &st), 0);
		ck_assert_int_eq(st.st_mode & 07777, 0700);
		close(fd);
		for (j = 0; j < i; j++)
			ck_assert_str_ne(ids[i], ids[j]);
	}
	umask(old);
	close(runsfd);
}
END_TEST

START_TEST(mkdirs_creates_parents_private)
{
	char path[400];
	struct stat st;

	snprintf(path, sizeof path, "%s/a/b/c", tmpdir);
	ck_assert_int_eq(agent__mkdirs(path), 0);
	ck_assert_int_eq(stat(path, &st), 0);
	ck_assert(S_ISDIR(st.st_mode));
	ck_assert_int_eq(st.st_mode & 077, 0);
	ck_assert_int_eq(agent__mkdirs(path), 0);   /* again: fine */
	snprintf(path, sizeof path, "%s/file", tmpdir);
	put(tmpdir, "file", "x");
	ck_assert_int_eq(agent__mkdirs(path), -1);
	ck_assert_int_eq(errno, ENOTDIR);
}
END_TEST

START_TEST(records_are_renamed_into_place_not_through_symlinks)
{
	char target[400], link[400], buf[64];
	struct stat st;
	int dfd, n;
	FILE *f;
	char *got;
	size_t len;

	ck_assert_int_ge(dfd = open(runs, O_RDONLY | O_DIRECTORY), 0);
	snprintf(target, sizeof target, "%s/target", tmpdir);
	put(tmpdir, "target", "untouched");
	snprintf(link, sizeof link, "%s/exit.json", runs);
	ck_assert_int_eq(symlink(target, link), 0);
	/* a reader does not follow it */
	ck_assert_int_eq(agent__run_read(dfd, "exit.json", &got, &len), -1);
	ck_assert_int_eq(errno, ELOOP);
	/* a writer replaces the link, never writes through it */
	ck_assert_int_eq(agent__run_write(dfd, "exit.json", "{}\n", 3, 1), 0);
	ck_assert_int_eq(lstat(link, &st), 0);
	ck_assert(S_ISREG(st.st_mode));
	ck_assert_int_eq(st.st_mode & 0777, 0600);
	ck_assert_ptr_nonnull(f = fopen(target, "r"));
	n = (int)fread(buf, 1, sizeof buf - 1, f);
	buf[n] = '\0';
	fclose(f);
	ck_assert_str_eq(buf, "untouched");
	ck_assert_int_eq(agent__run_read(dfd, "exit.json", &got, &len), 0);
	ck_assert_uint_eq(len, 3);
	ck_assert_str_eq(got, "{}\n");
	free(got);
	close(dfd);
}
END_TEST

START_TEST(no_temporary_file_is_left_behind)
{
	char cmd[400];
	int dfd;

	ck_assert_int_ge(dfd = open(runs, O_RDONLY | O_DIRECTORY), 0);
	ck_assert_int_eq(agent__run_write(dfd, "meta.json", "x", 1, 0), 0);
	ck_assert_int_eq(agent__run_write(dfd, "meta.json", "y", 1, 0), 0);
	close(dfd);
	snprintf(cmd, sizeof cmd, "test \"$(ls -A '%s')\" = meta.json", runs);
	ck_assert_int_eq(system(cmd), 0);
}
END_TEST

START_TEST(meta_round_trips)
{
	char *argv[] = { "opencode", "run", "say \"hi\"\n\ttab", "\xe2\x86\x92", NULL };
	struct agent_run in = { 0 }, out = { 0 };
	char *json;

	in.id = "20261124-043512-k3f9";
	in.agent = "omo";
	in.workdir = "/w";
	in.label = "l";
	in.spawned_by = "20261124-043000-aaaa";
	in.model = "m";
	in.agent_name = "Hephaestus";
	in.log = "/tmp/o.log";
	in.on_exit = "notify-send done";
	in.argv = argv;
	in.started = 1795000000.25;
	in.supervisor = 10;
	in.supervisor_start = 123456789012ULL;
	in.pid = 11;
	in.pgid = 11;
	in.isolate = 1;
	in.xdg = "/runs/20261124-043000-aaaa/xdg";
	ck_assert_ptr_nonnull(json = agent__run_meta_json(&in));
	ck_assert_ptr_nonnull(strstr(json, "\"version\":1,"));
	ck_assert_ptr_nonnull(strstr(json, "\"started\":1795000000.250,"));
	ck_assert_int_eq(json[strlen(json) - 1], '\n');
	ck_assert_int_eq(agent__run_meta_parse(json, strlen(json), &out), 0);
	ck_assert_str_eq(out.id, in.id);
	ck_assert_str_eq(out.agent, "omo");
	ck_assert_ptr_null(out.dialect);
	ck_assert_ptr_null(out.parent);
	ck_assert_str_eq(out.spawned_by, "20261124-043000-aaaa");
	ck_assert_str_eq(out.agent_name, "Hephaestus");
	ck_assert_str_eq(out.log, "/tmp/o.log");
	ck_assert_str_eq(out.on_exit, "notify-send done");
	ck_assert_str_eq(out.argv[2], argv[2]);
	ck_assert_str_eq(out.argv[3], argv[3]);
	ck_assert_ptr_null(out.argv[4]);
	ck_assert(out.started == 1795000000.25);
	ck_assert_int_eq(out.supervisor, 10);
	ck_assert(out.supervisor_start == 123456789012ULL);
	ck_assert_int_eq(out.pgid, 11);
	ck_assert_int_eq(out.isolate, 1);
	ck_assert_str_eq(out.xdg, "/runs/20261124-043000-aaaa/xdg");
	free(json);
	agent__run_clear(&out);
	/* pids not known are written null, which reads back (0 would not) */
	in.supervisor = in.pid = in.pgid = 0;
	ck_assert_ptr_nonnull(json = agent__run_meta_json(&in));
	ck_assert_ptr_nonnull(strstr(json, "\"supervisor\":null,"));
	memset(&out, 0, sizeof out);
	ck_assert_int_eq(agent__run_meta_parse(json, strlen(json), &out), 0);
	ck_assert_int_eq(out.supervisor, 0);
	ck_assert_int_eq(out.pid, 0);
	free(json);
	agent__run_clear(&out);
}
END_TEST

static void
meta_bad(const char *json, int want_errno)
{
	struct agent_run r = { 0 };

	ck_assert_int_eq(agent__run_meta_parse(json, strlen(json), &r), -1);
	ck_assert_int_eq(errno, want_errno);
	agent__run_clear(&r);
}

START_TEST(bad_meta_is_refused)
{
	meta_bad("", EBADMSG);
	meta_bad("{", EBADMSG);
	meta_bad("[]", EBADMSG);
	meta_bad("{\"version\":1,\"argv\":[]}", EBADMSG);                   /* no id */
	meta_bad("{\"version\":1,\"id\":\"x\",\"argv\":[]}", EBADMSG);      /* bad id */
	meta_bad("{\"id\":\"20261124-043512-k3f9\",\"argv\":[]}", EBADMSG);  /* no version */
	meta_bad("{\"version\":2,\"id\":\"20261124-043512-k3f9\",\"argv\":[]}", ENOTSUP);
	meta_bad("{\"version\":1,\"id\":\"20261124-043512-k3f9\"}", EBADMSG); /* no argv */
	meta_bad("{\"version\":1,\"id\":\"20261124-043512-k3f9\",\"argv\":[1]}", EBADMSG);
	meta_bad("{\"version\":1,\"id\":\"20261124-043512-k3f9\",\"argv\":[],\"pid\":\"1\"}", EBADMSG);
	meta_bad("{\"version\":1,\"id\":\"20261124-043512-k3f9\",\"argv\":[],\"pid\":-4}", EBADMSG);
	meta_bad("{\"version\":1,\"id\":\"20261124-043512-k3f9\",\"argv\":[]} x", EBADMSG);
	meta_bad("{\"version\":1,\"id\":\"20261124-043512-k3f9\",\"argv\":[],\"label\":7}", EBADMSG);
	meta_bad("{\"version\":1,\"id\":\"20261124-043512-k3f9\",\"argv\":[],\"started\":1e999}", EBADMSG);
}
END_TEST

START_TEST(exit_record_round_trips_exit_and_signal)
{
	struct agent_run_exit e = { 0 }, got = { 0 };
	char *json;

	agent__run_exit_from_wait(&e, 3 << 8);          /* exited 3 */
	ck_assert_int_eq(e.status, 3);
	ck_assert_int_eq(e.code, 3);
	ck_assert_int_eq(e.signal, 0);
	e.ended = 1795000000.5;
	e.pid_ended = 1795000000.25;
	e.reaped = 2;
	ck_assert_ptr_nonnull(json = agent__run_exit_json(&e));
	ck_assert_ptr_nonnull(strstr(json, "\"signal\":null"));
	ck_assert_int_eq(agent__run_exit_parse(json, strlen(json), &got), 0);
	ck_assert_int_eq(got.status, 3);
	ck_assert_int_eq(got.code, 3);
	ck_assert_int_eq(got.reaped, 2);
	ck_assert_int_eq(got.killed, 0);
	ck_assert(got.ended == 1795000000.5);
	ck_assert(got.pid_ended == 1795000000.25);
	free(json);

	agent__run_exit_from_wait(&e, SIGTERM);         /* killed by TERM */
	ck_assert_int_eq(e.status, 143);
	ck_assert_int_eq(e.signal, SIGTERM);
	e.killed = 1;
	ck_assert_ptr_nonnull(json = agent__run_exit_json(&e));
	ck_assert_ptr_nonnull(strstr(json, "\"code\":null"));
	ck_assert_int_eq(agent__run_exit_parse(json, strlen(json), &got), 0);
	ck_assert_int_eq(got.status, 143);
	ck_assert_int_eq(got.signal, SIGTERM);
	ck_assert_int_eq(got.code, 0);
	ck_assert_int_eq(got.killed, 1);
	free(json);
}
END_TEST

START_TEST(exit_143_without_a_signal_is_kept_as_a_code)
{
	const char *j = "{\"version\":1,\"status\":145,\"code\":145,\"signal\":null,"
	                "\"ended\":1.5,\"reaped\":0,\"killed\":false}";
	struct agent_run_exit e;

	ck_assert_int_eq(agent__run_exit_parse(j, strlen(j), &e), 0);
	ck_assert_int_eq(e.status, 145);
	ck_assert_int_eq(e.signal, 0);
	/* a record from before pid_ended: unknown, not the epoch */
	ck_assert(e.pid_ended == -1);
}
END_TEST

static void
exit_bad(const char *json)
{
	struct agent_run_exit e;

	ck_assert_int_eq(agent__run_exit_parse(json, strlen(json), &e), -1);
	ck_assert_int_eq(errno, EBADMSG);
}

START_TEST(bad_exit_records_are_refused)
{
	exit_bad("{\"version\":1,\"ended\":1}");                          /* no status */
	exit_bad("{\"version\":1,\"status\":3,\"code\":3}");              /* no end time */
	exit_bad("{\"version\":1,\"status\":300,\"code\":300,\"ended\":1}");
	exit_bad("{\"version\":1,\"status\":143,\"code\":null,\"signal\":9,\"ended\":1}");
	exit_bad("{\"version\":1,\"status\":3,\"code\":4,\"ended\":1}");
	exit_bad("{\"version\":1,\"status\":0,\"code\":0,\"ended\":1,\"killed\":1}");
	exit_bad("not json");
	/* json-c reads these as infinity, which JSON cannot write back */
	exit_bad("{\"version\":1,\"status\":143,\"code\":null,\"signal\":15,\"ended\":1e604}");
	exit_bad("{\"version\":1,\"status\":0,\"code\":0,\"ended\":1,\"pid_ended\":-1e999}");
}
END_TEST

/* a time too long for %.3f is written whole, and reads back the same
 * (found by fuzz_records: 1e604 was read as infinity and written "inf") */
START_TEST(exit_record_huge_time_round_trips)
{
	struct agent_run_exit e = { 0 }, got = { 0 };
	char *json;

	e.ended = 1e300;
	e.pid_ended = -1;
	ck_assert_ptr_nonnull(json = agent__run_exit_json(&e));
	ck_assert_int_eq(agent__run_exit_parse(json, strlen(json), &got), 0);
	ck_assert(got.ended == 1e300);
	free(json);
}
END_TEST

START_TEST(open_by_id_prefix_and_path)
{
	struct agent_run *r;
	char path[400];

	make_run("20261124-043512-k3f9", 1.0, dead_pid(), 1);
	make_run("20261124-043512-k3fa", 2.0, dead_pid(), 1);
	make_run("20261125-000000-0000", 3.0, dead_pid(), 1);

	ck_assert_ptr_nonnull(r = agent_run_open("20261124-043512-k3f9"));
	ck_assert_str_eq(agent_run_id(r), "20261124-043512-k3f9");
	ck_assert_str_eq(agent_run_agent(r), "claude");
	ck_assert_str_eq(agent_run_dialect(r), "claude-stream-json");
	ck_assert_str_eq(agent_run_label(r), "phase-1");
	ck_assert_str_eq(agent_run_workdir(r), "/home/dev/w");
	ck_assert_str_eq(agent_run_model(r), "opus");
	ck_assert_ptr_null(agent_run_agent_name(r));
	ck_assert_ptr_null(agent_run_parent(r));
	ck_assert_str_eq(agent_run_argv(r)[2], "do \"it\"");
	snprintf(path, sizeof path, "%s/20261124-043512-k3f9", runs);
	ck_assert_str_eq(agent_run_path(r), path);
	snprintf(path, sizeof path, "%s/20261124-043512-k3f9/log", runs);
	ck_assert_str_eq(agent_run_log(r), path);
	agent_run_free(r);

	ck_assert_ptr_nonnull(r = agent_run_open("20261125"));
	ck_assert_str_eq(agent_run_id(r), "20261125-000000-0000");
	agent_run_free(r);

	ck_assert_ptr_null(agent_run_open("20261124-043512-k3f"));
	ck_assert_int_eq(errno, ENOTUNIQ);
	ck_assert_ptr_null(agent_run_open("2027"));
	ck_assert_int_eq(errno, ENOENT);
	ck_assert_ptr_null(agent_run_open("20271124-043512-k3f9"));
	ck_assert_int_eq(errno, ENOENT);
	ck_assert_ptr_null(agent_run_open(""));
	ck_assert_int_eq(errno, ENOENT);

	snprintf(path, sizeof path, "%s/20261124-043512-k3fa", runs);
	ck_assert_ptr_nonnull(r = agent_run_open(path));
	ck_assert_str_eq(agent_run_id(r), "20261124-043512-k3fa");
	agent_run_free(r);
	agent_run_free(NULL);
}
END_TEST

START_TEST(at_is_the_newest_run)
{
	struct agent_run *r;

	ck_assert_ptr_null(agent_run_open("@"));
	ck_assert_int_eq(errno, ENOENT);
	make_run("20261124-043512-zzzz", 5.0, dead_pid(), 1);
	make_run("20261124-043513-b000", 7.0, dead_pid(), 1);
	make_run("20261124-043513-a000", 7.5, dead_pid(), 1); /* same second, later */
	ck_assert_ptr_nonnull(r = agent_run_open("@"));
	ck_assert_str_eq(agent_run_id(r), "20261124-043513-a000");
	agent_run_free(r);
}
END_TEST

START_TEST(a_symlink_planted_as_a_run_is_not_followed)
{
	char target[400], link[400];

	make_run("20261124-043512-k3f9", 1.0, dead_pid(), 1);
	snprintf(target, sizeof target, "%s/20261124-043512-k3f9", runs);
	snprintf(link, sizeof link, "%s/20261124-043512-aaaa", runs);
	ck_assert_int_eq(symlink(target, link), 0);
	ck_assert_ptr_null(agent_run_open("20261124-043512-aaaa"));
	ck_assert_int_eq(errno, ENOENT);
	run_file("20261124-043512-k3f9", "meta.json", target, sizeof target);
	run_file("20261124-043512-k3f9", "real.json", link, sizeof link);
	ck_assert_int_eq(rename(target, link), 0);
	ck_assert_int_eq(symlink(link, target), 0);   /* meta.json -> real.json */
	ck_assert_ptr_null(agent_run_open("20261124-043512-k3f9"));
	ck_assert_int_eq(errno, ELOOP);
}
END_TEST

START_TEST(ids_are_listed_oldest_first)
{
	char **v, sub[400];
	size_t n;

	ck_assert_ptr_nonnull(v = agent_run_ids(&n));
	ck_assert_uint_eq(n, 0);
	agent_run_ids_free(v);
	make_run("20261125-000000-0000", 1.0, dead_pid(), 1);
	make_run("20261124-043512-k3f9", 1.0, dead_pid(), 1);
	snprintf(sub, sizeof sub, "%s/not-a-run", runs);
	ck_assert_int_eq(mkdir(sub, 0700), 0);
	ck_assert_ptr_nonnull(v = agent_run_ids(&n));
	ck_assert_uint_eq(n, 2);
	ck_assert_str_eq(v[0], "20261124-043512-k3f9");
	ck_assert_str_eq(v[1], "20261125-000000-0000");
	ck_assert_ptr_null(v[2]);
	agent_run_ids_free(v);
	setenv("AGENT_RUNS", "/nonexistent/runs", 1);
	ck_assert_ptr_nonnull(v = agent_run_ids(&n));
	ck_assert_uint_eq(n, 0);
	agent_run_ids_free(v);
}
END_TEST

static unsigned long long
self_start(void)
{
	struct agent__proc p;
	ck_assert_int_eq(agent__proc_stat(getpid(), &p), 0);
	return p.start;
}

/* A stand-in for agent-spawn's supervisor, which is known by its pid, its
 * start tick, and its being a session leader with the supervisor's name.
 * With a child, it starts one process that leaves its session, waits for
 * it and exits 0 if SIGTERM ended it; *childp gets the child's pid.  It
 * and its child die with the test (PR_SET_PDEATHSIG) and write nowhere,
 * so a failed check leaves no process holding the test's output. */
static pid_t
fake_supervisor(int with_child, pid_t *childp, unsigned long long *start)
{
	struct agent__proc p;
	pid_t s, c = 0;
	int pfd[2], nul, st;

	ck_assert_int_eq(pipe(pfd), 0);
	s = fork();
	ck_assert_int_ge(s, 0);
	if (s == 0) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		/* Check's own SIGTERM handler would kill the test's group */
		signal(SIGTERM, SIG_DFL);
		if ((nul = open("/dev/null", O_RDWR)) < 0 || dup2(nul, 1) < 0 || dup2(nul, 2) < 0 ||
		    setsid() < 0 || prctl(PR_SET_NAME, AGENT__SUPERVISOR_COMM) < 0)
			_exit(2);
		if (with_child && (c = fork()) == 0) {
			prctl(PR_SET_PDEATHSIG, SIGKILL);
			setsid();   /* leaving the session does not leave the run */
			prctl(PR_SET_NAME, "check-run-child");   /* no supervisor */
			c = getpid();
			if (write(pfd[1], &c, sizeof c) != sizeof c)
				_exit(1);
			for (;;)
				pause();
		}
		if (c < 0 || (!with_child && write(pfd[1], &c, sizeof c) != sizeof c))
			_exit(2);
		if (!with_child)
			for (;;)
				pause();
		while (waitpid(c, &st, 0) < 0)
			;
		_exit(WIFSIGNALED(st) && WTERMSIG(st) == SIGTERM ? 0 : 1);
	}
	close(pfd[1]);
	/* its name and session are set before it answers */
	ck_assert_int_eq(read(pfd[0], &c, sizeof c), sizeof c);
	close(pfd[0]);
	if (childp)
		*childp = c;
	ck_assert_int_eq(agent__proc_stat(s, &p), 0);
	ck_assert(p.supervisor);
	*start = p.start;
	return s;
}

START_TEST(alive_while_the_lock_is_held_and_no_exit_record)
{
	const char *id = "20261124-043512-k3f9";
	struct agent_run *r;
	struct agent_run_exit e;
	char path[400];
	int fd;

	make_run(id, 1.0, dead_pid(), 1);
	ck_assert_ptr_nonnull(r = agent_run_open(id));
	ck_assert_int_eq(agent_run_alive(r), 0);
	ck_assert_int_eq(agent_run_exit(r, &e), 0);
	run_file(id, "lock", path, sizeof path);
	/* flock conflicts between open file descriptions, even in one process */
	ck_assert_int_ge(fd = open(path, O_RDWR), 0);
	ck_assert_int_eq(flock(fd, LOCK_EX), 0);
	ck_assert_int_eq(agent_run_alive(r), 1);
	ck_assert_int_eq(agent_run_alive(r), 1);   /* the probe left no lock */
	run_file(id, "", path, sizeof path);
	put(path, "exit.json", "{\"version\":1,\"status\":0,\"code\":0,\"signal\":null,"
	                       "\"ended\":2.0,\"reaped\":1,\"killed\":false}\n");
	/* exit record written, lock still held (on-exit hook running): over */
	ck_assert_int_eq(agent_run_alive(r), 0);
	ck_assert_int_eq(agent_run_exit(r, &e), 1);
	ck_assert_int_eq(e.reaped, 1);
	close(fd);
	ck_assert_int_eq(agent_run_alive(r), 0);
	put(path, "exit.json", "{\"version\":1,\"status\":");
	ck_assert_int_eq(agent_run_exit(r, &e), -1);
	ck_assert_int_eq(errno, EBADMSG);
	agent_run_free(r);
}
END_TEST

START_TEST(supervisor_identity_needs_pid_start_time_and_lock)
{
	const char *id = "20261124-043512-k3f9", *id2 = "20261124-043512-k3fa";
	struct agent_run *r, *r2;
	unsigned long long start;
	char path[400];
	int fd, st;
	pid_t sup = fake_supervisor(0, NULL, &start);

	make_run(id, 1.0, sup, start);
	make_run(id2, 1.0, sup, start + 1);   /* pid reused */
	ck_assert_ptr_nonnull(r = agent_run_open(id));
	ck_assert_ptr_nonnull(r2 = agent_run_open(id2));
	ck_assert_int_eq(agent_run_supervised(r), 0);     /* no lock */
	run_file(id, "lock", path, sizeof path);
	ck_assert_int_ge(fd = open(path, O_RDWR), 0);
	ck_assert_int_eq(flock(fd, LOCK_EX), 0);
	ck_assert_int_eq(agent_run_supervised(r), 1);
	close(fd);
	run_file(id2, "lock", path, sizeof path);
	ck_assert_int_ge(fd = open(path, O_RDWR), 0);
	ck_assert_int_eq(flock(fd, LOCK_EX), 0);
	ck_assert_int_eq(agent_run_supervised(r2), 0);
	close(fd);
	kill(sup, SIGKILL);
	ck_assert_int_eq(waitpid(sup, &st, 0), sup);
	agent_run_free(r);
	agent_run_free(r2);
}
END_TEST

START_TEST(processes_of_a_run_are_its_supervisors_descendants)
{
	const char *id = "20261124-043512-k3f9";
	struct agent_run *r;
	unsigned long long start;
	char path[400];
	pid_t sup, child, *pids;
	int fd, n, st, i, found = 0;

	sup = fake_supervisor(1, &child, &start);
	make_run(id, 1.0, sup, start);
	ck_assert_ptr_nonnull(r = agent_run_open(id));
	run_file(id, "lock", path, sizeof path);
	ck_assert_int_ge(fd = open(path, O_RDWR | O_CLOEXEC), 0);
	ck_assert_int_eq(flock(fd, LOCK_EX), 0);
	ck_assert_int_ge(n = agent_run_procs(r, &pids), 1);
	for (i = 0; i < n; i++) {
		ck_assert_int_ne(pids[i], sup);
		found += pids[i] == child;
	}
	ck_assert_int_eq(found, 1);
	free(pids);
	ck_assert_int_ge(agent_run_cpu_ticks(r), 0);
	ck_assert_int_ge(agent_run_signal(r, SIGTERM), 1);
	/* the supervisor exits 0 when its child was ended by SIGTERM */
	ck_assert_int_eq(waitpid(sup, &st, 0), sup);
	ck_assert(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	ck_assert_int_eq(agent_run_procs(r, &pids), 0);
	free(pids);
	ck_assert_int_eq(agent_run_cpu_ticks(r), -1);
	close(fd);
	agent_run_free(r);
}
END_TEST

START_TEST(without_a_supervisor_nothing_is_a_member_by_pid_alone)
{
	const char *id = "20261124-043512-k3f9";
	struct agent_run *r;
	pid_t *pids;

	/* the recorded supervisor pid is ours, but its start time is not */
	make_run(id, 1.0, getpid(), self_start() + 7);
	ck_assert_ptr_nonnull(r = agent_run_open(id));
	ck_assert_int_eq(agent_run_procs(r, &pids), 0);
	free(pids);
	ck_assert_int_eq(agent_run_signal(r, SIGTERM), 0);
	ck_assert_int_eq(agent_run_alive(r), 0);
	agent_run_free(r);
}
END_TEST

START_TEST(mark_killed_leaves_a_record)
{
	const char *id = "20261124-043512-k3f9";
	struct agent_run *r;
	char path[400];
	struct stat st;

	make_run(id, 1.0, dead_pid(), 1);
	ck_assert_ptr_nonnull(r = agent_run_open(id));
	ck_assert_int_eq(agent_run_mark_killed(r), 0);
	run_file(id, "killed", path, sizeof path);
	ck_assert_int_eq(lstat(path, &st), 0);
	ck_assert(S_ISREG(st.st_mode));
	agent_run_free(r);
}
END_TEST

START_TEST(remove_takes_the_whole_run)
{
	const char *id = "20261124-043512-k3f9";
	char path[400], target[400];
	int runsfd;

	make_run(id, 1.0, dead_pid(), 1);
	run_file(id, "xdg", path, sizeof path);
	ck_assert_int_eq(mkdir(path, 0700), 0);
	snprintf(target, sizeof target, "%s/keep", tmpdir);
	ck_assert_int_eq(mkdir(target, 0700), 0);
	put(target, "precious", "x");
	run_file(id, "xdg/link", path, sizeof path);
	ck_assert_int_eq(symlink(target, path), 0);
	ck_assert_int_ge(runsfd = open(runs, O_RDONLY | O_DIRECTORY), 0);
	ck_assert_int_eq(agent__run_remove(runsfd, id), 0);
	close(runsfd);
	run_file(id, "", path, sizeof path);
	ck_assert_int_eq(access(path, F_OK), -1);
	snprintf(path, sizeof path, "%s/keep/precious", tmpdir);
	ck_assert_int_eq(access(path, F_OK), 0);
}
END_TEST

START_TEST(proc_stat_reads_parent_and_session)
{
	struct agent__proc p;

	ck_assert_int_eq(agent__proc_stat(getpid(), &p), 0);
	ck_assert_int_eq(p.pid, getpid());
	ck_assert_int_eq(p.ppid, getppid());
	ck_assert_int_eq(p.sid, getsid(0));
	ck_assert_int_eq(agent__proc_stat(dead_pid(), &p), -1);
	ck_assert_int_eq(errno, ENOENT);
}
END_TEST

/* A child that names itself and maybe starts a session, then waits. */
static pid_t
named_child(const char *name, int session, int *hold)
{
	int p[2], q[2];
	char c;
	pid_t pid;

	ck_assert_int_eq(pipe(p), 0);
	ck_assert_int_eq(pipe(q), 0);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		close(p[1]);
		close(q[0]);
		prctl(PR_SET_NAME, name);
		if (session)
			setsid();
		(void)!write(q[1], "r", 1);
		(void)!read(p[0], &c, 1);
		_exit(0);
	}
	close(p[0]);
	close(q[1]);
	ck_assert_int_eq(read(q[0], &c, 1), 1);
	close(q[0]);
	*hold = p[1];
	return pid;
}

START_TEST(proc_stat_knows_a_supervisor_by_name_and_session)
{
	static const struct { const char *name; int session, want; } t[] = {
		{ AGENT__SUPERVISOR_COMM, 1, 1 },
		{ AGENT__SUPERVISOR_COMM, 0, 0 },   /* not a session leader */
		{ "agent-supervis", 1, 0 },
		{ "agent-spawn", 1, 0 },
	};
	struct agent__proc p;
	int hold, i;
	pid_t pid;

	for (i = 0; i < 4; i++) {
		pid = named_child(t[i].name, t[i].session, &hold);
		ck_assert_int_eq(agent__proc_stat(pid, &p), 0);
		ck_assert_msg(p.supervisor == t[i].want, "%s session %d", t[i].name, t[i].session);
		close(hold);
		ck_assert_int_eq(waitpid(pid, NULL, 0), pid);
	}
}
END_TEST

START_TEST(environment_entries_match_whole)
{
	char *env[] = { "A=1", "CHECK_RUN_MARK=yes", "Z=2", NULL };
	char line[16];
	int pfd[2], in[2], st;
	siginfo_t si;
	pid_t child;

	ck_assert_int_eq(pipe(pfd), 0);
	ck_assert_int_eq(pipe(in), 0);
	child = fork();
	ck_assert_int_ge(child, 0);
	if (child == 0) {
		dup2(pfd[1], 1);
		dup2(in[0], 0);
		/* the shell itself waits, so no exec changes its environ meanwhile */
		execle("/bin/sh", "sh", "-c", "echo ready; read x", (char *)NULL, env);
		_exit(127);
	}
	close(pfd[1]);
	close(in[0]);
	/* once it speaks, the shell runs with its own environment */
	ck_assert_int_gt(read(pfd[0], line, sizeof line), 0);
	ck_assert_int_eq(agent__proc_has_env(child, "CHECK_RUN_MARK=yes"), 1);
	ck_assert_int_eq(agent__proc_has_env(child, "A=1"), 1);
	ck_assert_int_eq(agent__proc_has_env(child, "CHECK_RUN_MARK=ye"), 0);
	ck_assert_int_eq(agent__proc_has_env(child, "CHECK_RUN_MARK=yess"), 0);
	ck_assert_int_eq(agent__proc_has_env(child, "RUN_MARK=yes"), 0);
	kill(child, SIGKILL);
	/* dead, not reaped: no environment to read, which is not "not ours" */
	ck_assert_int_eq(waitid(P_PID, (id_t)child, &si, WEXITED | WNOWAIT), 0);
	ck_assert_int_eq(agent__proc_has_env(child, "A=1"), -1);
	ck_assert_int_eq(waitpid(child, &st, 0), child);
	ck_assert_int_eq(agent__proc_has_env(child, "A=1"), 0);
	close(pfd[0]);
	close(in[1]);
}
END_TEST

static Suite *
run_suite(void)
{
	Suite *s = suite_create("run");
	TCase *tc = tcase_create("run");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, runs_dir_follows_the_environment);
	tcase_add_test(tc, id_form_is_checked);
	tcase_add_test(tc, new_ids_are_unique_valid_and_private);
	tcase_add_test(tc, mkdirs_creates_parents_private);
	tcase_add_test(tc, records_are_renamed_into_place_not_through_symlinks);
	tcase_add_test(tc, no_temporary_file_is_left_behind);
	tcase_add_test(tc, meta_round_trips);
	tcase_add_test(tc, bad_meta_is_refused);
	tcase_add_test(tc, exit_record_round_trips_exit_and_signal);
	tcase_add_test(tc, exit_143_without_a_signal_is_kept_as_a_code);
	tcase_add_test(tc, bad_exit_records_are_refused);
	tcase_add_test(tc, exit_record_huge_time_round_trips);
	tcase_add_test(tc, open_by_id_prefix_and_path);
	tcase_add_test(tc, at_is_the_newest_run);
	tcase_add_test(tc, a_symlink_planted_as_a_run_is_not_followed);
	tcase_add_test(tc, ids_are_listed_oldest_first);
	tcase_add_test(tc, alive_while_the_lock_is_held_and_no_exit_record);
	tcase_add_test(tc, supervisor_identity_needs_pid_start_time_and_lock);
	tcase_add_test(tc, processes_of_a_run_are_its_supervisors_descendants);
	tcase_add_test(tc, without_a_supervisor_nothing_is_a_member_by_pid_alone);
	tcase_add_test(tc, mark_killed_leaves_a_record);
	tcase_add_test(tc, remove_takes_the_whole_run);
	tcase_add_test(tc, proc_stat_reads_parent_and_session);
	tcase_add_test(tc, proc_stat_knows_a_supervisor_by_name_and_session);
	tcase_add_test(tc, environment_entries_match_whole);
	suite_add_tcase(s, tc);
	return s;
}

CHECK_MAIN(run_suite)
