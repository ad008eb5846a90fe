/* spawn.c — starting a run: the run directory, then a supervisor in its own
 * session that holds the lock, execs the agent, reaps every descendant and
 * writes the exit record (agent-run(5)). */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "spawn.h"
#include "run_int.h"
#include "proc.h"
#include "preset.h"
#include "input.h"
#include "worktree.h"

/* What the agent's child tells the supervisor, and the supervisor the
 * caller, through close-on-exec pipes.  Smaller than PIPE_BUF: one write,
 * one read. */
struct msg {
	int ok;
	int err;
	char text[512];
};

/* Held back while agent_spawn runs: a Ctrl-C or kill of the caller's
 * group then lands once the run is whole (its record written, its
 * supervisor in a session of its own), never halfway, which would leave a
 * run directory without a record or a supervisor killed before setsid. */
static const int stop_signals[3] = { SIGINT, SIGTERM, SIGHUP };

/* Everything the supervisor needs, prepared by the caller before forking. */
struct job {
	const struct agent_spawn_opts *o;
	char id[AGENT_RUN_ID_LEN + 1];
	char *dir;          /* the run directory */
	char *workdir;      /* absolute */
	char *wt, *branch, *repo; /* --worktree made: path, branch, repository */
	char why[700];      /* a whole message, when make_run returns -2 */
	char *log;          /* absolute */
	char **env;         /* NAME=VALUE for the agent, NULL-terminated */
	char **argv;        /* the command */
	int own_argv;       /* argv came from argv_fn */
	int runsfd, dirfd, lockfd, logfd, infd;
};

static void
msgf(struct msg *m, int err, const char *fmt, ...)
{
	va_list ap;

	m->ok = 0;
	m->err = err;
	va_start(ap, fmt);
	vsnprintf(m->text, sizeof m->text, fmt, ap);
	va_end(ap);
}

static int
write_msg(int fd, const struct msg *m)
{
	ssize_t w;

	do
		w = write(fd, m, sizeof *m);
	while (w < 0 && errno == EINTR);
	return w == (ssize_t)sizeof *m ? 0 : -1;
}

/* 1 when a whole message came, 0 at EOF with none. */
static int
read_msg(int fd, struct msg *m)
{
	ssize_t r;

	do
		r = read(fd, m, sizeof *m);
	while (r < 0 && errno == EINTR);
	if (r != (ssize_t)sizeof *m)
		return 0;
	m->text[sizeof m->text - 1] = '\0';
	return 1;
}

static int
cmp_int(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;
	return (x > y) - (x < y);
}

/* Closes every descriptor from 3 up except those in keep. */
static void
close_except(int *keep, int n)
{
	unsigned lo = 3;
	int i;

	qsort(keep, (size_t)n, sizeof *keep, cmp_int);
	for (i = 0; i < n; i++) {
		if (keep[i] < 3 || (unsigned)keep[i] < lo)
			continue;
		if ((unsigned)keep[i] > lo)
			close_range(lo, (unsigned)keep[i] - 1, 0);
		lo = (unsigned)keep[i] + 1;
	}
	close_range(lo, ~0U, 0);
}

/* A child of the supervisor starts with what a fresh process has: default
 * signal dispositions (a launcher may have ignored SIGINT) and none blocked. */
static void
reset_signals(void)
{
	struct sigaction sa;
	sigset_t all;
	int s;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = SIG_DFL;
	for (s = 1; s < NSIG; s++)
		if (s != SIGKILL && s != SIGSTOP)
			sigaction(s, &sa, NULL);
	sigemptyset(&all);
	sigprocmask(SIG_SETMASK, &all, NULL);
}

/* The file execvp would run for name: the first regular, executable file
 * of that name along PATH.  execvp tries an execve in each directory, and
 * a failing execve costs a fresh address space and a copy of the whole
 * environment before its lookup fails (20 to 40 us each, measured; a PATH
 * with ten directories before /usr/bin makes it a third of a millisecond
 * before the agent starts); a stat is the lookup alone.  NULL when name
 * has a slash or none is found: execvp then searches as ever. */
static const char *
resolve(const char *name, char *buf, size_t len)
{
	const char *path = getenv("PATH"), *p, *e;
	struct stat st;
	int n;

	if (path == NULL || *name == '\0' || strchr(name, '/') != NULL)
		return NULL;
	for (p = path;; p = e + 1) {
		e = strchrnul(p, ':');
		/* an empty element is the working directory */
		if (e == p)
			n = snprintf(buf, len, "./%s", name);
		else
			n = snprintf(buf, len, "%.*s/%s", (int)(e - p), p, name);
		if (n > 0 && (size_t)n < len && stat(buf, &st) == 0 &&
		    S_ISREG(st.st_mode) && access(buf, X_OK) == 0)
			return buf;
		if (*e == '\0')
			return NULL;
	}
}

/* The agent's process, between fork and exec.  Returns only to fail. */
static void
agent_child(const struct job *j, int syncfd)
{
	struct msg m;
	char **e, file[PATH_MAX];
	const char *f;
	int fd, err;

	reset_signals();
	setpgid(0, 0);
	if (dup2(j->infd, 0) < 0 || dup2(j->logfd, 1) < 0 || dup2(j->logfd, 2) < 0) {
		msgf(&m, errno, "dup2: %s", strerror(errno));
		goto fail;
	}
	if (chdir(j->workdir) < 0) {
		msgf(&m, errno, "chdir: %s: %s", j->workdir, strerror(errno));
		goto fail;
	}
	for (e = j->env; *e; e++)
		if (putenv(*e) != 0) {
			msgf(&m, errno, "putenv: %s", strerror(errno));
			goto fail;
		}
	for (fd = 3; fd < syncfd; fd++)
		close(fd);
	closefrom(syncfd + 1);
	/* should the file found fail, execvp's own search has the last word */
	if ((f = resolve(j->argv[0], file, sizeof file)) != NULL)
		execvp(f, j->argv);
	execvp(j->argv[0], j->argv);
	err = errno;
	msgf(&m, err, "exec: %s: %s", j->argv[0], strerror(err));
	/* the log says it too: the run is gone, but -o FILE stays */
	dprintf(2, "agent-spawn: %s\n", m.text);
	write_msg(syncfd, &m);
	_exit(err == ENOENT ? 127 : 126);
fail:
	write_msg(syncfd, &m);
	_exit(126);
}

/* What the exit record alone says, when the log cannot be weighed. */
static const char *
state_from_exit(const struct agent_run_exit *e)
{
	if (e->killed || e->signal)
		return "cut-off";
	return e->status == 0 ? "completed" : "failed";
}

/* The run's state for --on-exit: the readers' verdict on the log and the
 * exit record together (exit 0 is not success for every agent). */
static const char *
final_state(const char *dir, const struct agent_run_exit *e)
{
	struct agent_input in;
	struct agent_input_opts io;
	struct agent_summary sum;
	struct agent_facts facts;
	enum agent_state st;
	const char *what, *name = NULL;

	memset(&in, 0, sizeof in);
	memset(&io, 0, sizeof io);
	if (agent_input_open(&in, dir, -1, &what) == 0) {
		if (agent_input_state(&in, &io, &sum, &facts, &st) == 0)
			name = agent_state_name(st);
		agent_input_close(&in);
	}
	return name ? name : state_from_exit(e);
}

/* Runs --on-exit CMD: the user's own command line, so through sh -c. */
static pid_t
start_on_exit(const struct job *j, const struct agent_run_exit *e)
{
	char status[16];
	int fd, nul;
	pid_t pid;

	if ((pid = fork()) != 0)
		return pid;
	reset_signals();
	setpgid(0, 0);
	nul = open("/dev/null", O_RDONLY | O_CLOEXEC);
	fd = openat(j->dirfd, "on-exit.log",
	            O_WRONLY | O_CREAT | O_TRUNC | O_APPEND | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (nul < 0 || fd < 0 || dup2(nul, 0) < 0 || dup2(fd, 1) < 0 || dup2(fd, 2) < 0)
		_exit(126);
	if (chdir(j->workdir) < 0 && chdir("/") < 0)
		_exit(126);
	snprintf(status, sizeof status, "%d", e->status);
	if (setenv("AGENT_RUN_ID", j->id, 1) < 0 ||
	    setenv("AGENT_RUN_DIR", j->dir, 1) < 0 ||
	    setenv("AGENT_RUN_STATUS", status, 1) < 0 ||
	    setenv("AGENT_RUN_STATE", final_state(j->dir, e), 1) < 0)
		_exit(126);
	closefrom(3);
	execl("/bin/sh", "sh", "-c", j->o->on_exit, (char *)NULL);
	dprintf(2, "agent-spawn: exec: /bin/sh: %s\n", strerror(errno));
	_exit(127);
}

/* 1 when every child left is the supervisor of another run: agent-spawn
 * run inside this run made it, and this run's subreaper adopted it.  It
 * is a run of its own, with its own record; this one need not outlast it. */
static int
only_runs_left(void)
{
	struct agent__proc *v;
	size_t n, i;
	pid_t self = getpid();
	int only = 1;

	if (agent__proc_scan(&v, &n) < 0)
		return 0;
	for (i = 0; i < n && only; i++)
		if (v[i].ppid == self && !v[i].supervisor)
			only = 0;
	free(v);
	return only;
}

/* Waits for every child, forwarding TERM, HUP and INT to group pgid,
 * until none is left but other runs' supervisors.  *status gets the wait
 * status of pid.  Returns how many others were reaped. */
static int
reap_all(pid_t pid, pid_t pgid, int *status, const sigset_t *set)
{
	int reaped = 0, ws, done = 0;
	siginfo_t si;
	pid_t w;

	for (;;) {
		while ((w = waitpid(-1, &ws, WNOHANG)) != 0) {
			if (w < 0) {
				if (errno == EINTR)
					continue;
				return reaped;   /* ECHILD: the last one is gone */
			}
			if (w == pid) {
				*status = ws;
				done = 1;
			} else
				reaped++;
		}
		if (done && only_runs_left())
			return reaped;
		if (sigwaitinfo(set, &si) < 0)
			continue;
		if (si.si_signo != SIGCHLD && pgid > 0)
			kill(-pgid, si.si_signo);
	}
}

/* The supervisor's own set-up: its own session, no signal meant for the
 * caller, the subreaper bit, /dev/null for its standard files, nothing of
 * the caller's open, the run's lock held.  -1 with m filled. */
static int
become_supervisor(struct job *j, int resfd, struct msg *m, sigset_t *set)
{
	int keep[6], nul;

	/* named, so that a run this one is spawned inside can tell it from
	 * its own processes (see only_runs_left) */
	prctl(PR_SET_NAME, AGENT__SUPERVISOR_COMM);
	if (setsid() < 0) {
		msgf(m, errno, "setsid: %s", strerror(errno));
		return -1;
	}
	/* what came to the caller's group while this was still in it (the
	 * caller blocks it, see stop_signals) was meant for the caller, not
	 * for the agent it would be forwarded to: ignoring drops it */
	for (int i = 0; i < 3; i++) {
		signal(stop_signals[i], SIG_IGN);
		signal(stop_signals[i], SIG_DFL);
	}
	/* agents are chains of launchers: what a launcher leaves behind is
	 * re-parented here, and the run lasts until it is gone */
	if (prctl(PR_SET_CHILD_SUBREAPER, 1) < 0) {
		msgf(m, errno, "prctl: %s", strerror(errno));
		return -1;
	}
	if (chdir("/") < 0 || (nul = open("/dev/null", O_RDWR)) < 0 ||
	    dup2(nul, 0) < 0 || dup2(nul, 1) < 0 || dup2(nul, 2) < 0) {
		msgf(m, errno, "/dev/null: %s", strerror(errno));
		return -1;
	}
	keep[0] = j->runsfd; keep[1] = j->dirfd; keep[2] = j->lockfd;
	keep[3] = j->logfd; keep[4] = j->infd; keep[5] = resfd;
	/* nothing of the caller's (a pipe to $(...), say) may stay open here */
	close_except(keep, 6);
	while (flock(j->lockfd, LOCK_EX) < 0)
		if (errno != EINTR) {
			msgf(m, errno, "lock: %s", strerror(errno));
			return -1;
		}
	sigemptyset(set);
	sigaddset(set, SIGCHLD);
	sigaddset(set, SIGTERM);
	sigaddset(set, SIGHUP);
	sigaddset(set, SIGINT);
	sigprocmask(SIG_BLOCK, set, NULL);
	signal(SIGPIPE, SIG_IGN);
	return 0;
}

/* The run's record (meta.json), once the agent's child pid is forked.  -1
 * with m filled. */
static int
write_meta(struct job *j, pid_t pid, double started, struct msg *m)
{
	const struct agent_spawn_opts *o = j->o;
	struct agent__proc self;
	struct agent_run r;
	char *json = NULL;

	memset(&r, 0, sizeof r);
	r.started = started;
	r.id = j->id;
	r.agent = (char *)o->agent;
	r.dialect = (char *)o->dialect;
	r.workdir = j->workdir;
	r.label = (char *)o->label;
	r.parent = (char *)o->parent;
	/* run inside another run, its processes carry that run's id */
	r.spawned_by = (char *)(o->spawned_by ? o->spawned_by : getenv("AGENT_RUN_ID"));
	if (r.spawned_by && !agent_run_id_valid(r.spawned_by))
		r.spawned_by = NULL;
	r.model = (char *)o->model;
	r.agent_name = (char *)o->agent_name;
	r.log = j->log;
	r.on_exit = (char *)o->on_exit;
	r.argv = j->argv;
	r.isolate = o->isolate;
	r.worktree = j->wt ? j->wt : (char *)o->worktree;
	r.branch = j->wt ? j->branch : (char *)o->branch;
	r.repo = j->wt ? j->repo : (char *)o->repo;
	r.supervisor = getpid();
	r.pid = r.pgid = pid;
	if (agent__proc_stat(r.supervisor, &self) < 0 ||
	    (r.supervisor_start = self.start, !(json = agent__run_meta_json(&r))) ||
	    agent__run_write(j->dirfd, "meta.json", json, strlen(json), 0) < 0) {
		msgf(m, errno, "meta.json: %s", strerror(errno));
		free(json);
		return -1;
	}
	free(json);
	return 0;
}

/* The run's end: every process reaped, the exit record, --on-exit. */
static void
finish_run(struct job *j, pid_t pid, sigset_t *set)
{
	struct agent_run_exit ex;
	struct stat st;
	char *json;
	int ws = 0;

	memset(&ex, 0, sizeof ex);
	ex.reaped = reap_all(pid, pid, &ws, set);
	agent__run_exit_from_wait(&ex, ws);
	ex.ended = agent_now();
	ex.killed = fstatat(j->dirfd, "killed", &st, AT_SYMLINK_NOFOLLOW) == 0;
	if ((json = agent__run_exit_json(&ex)))
		agent__run_write(j->dirfd, "exit.json", json, strlen(json), 1);
	free(json);
	if (j->o->on_exit && (pid = start_on_exit(j, &ex)) > 0) {
		setpgid(pid, pid);
		reap_all(pid, pid, &ws, set);
	}
}

/* The supervisor: never returns. */
static void
supervisor(struct job *j, int resfd)
{
	struct msg m;
	sigset_t set;
	int sync[2], ws = 0;
	double started;
	pid_t pid;

	memset(&m, 0, sizeof m);
	if (become_supervisor(j, resfd, &m, &set) < 0)
		goto fail;
	started = agent_now();
	if (pipe2(sync, O_CLOEXEC) < 0) {
		msgf(&m, errno, "pipe: %s", strerror(errno));
		goto fail;
	}
	if ((pid = fork()) < 0) {
		msgf(&m, errno, "fork: %s", strerror(errno));
		goto fail;
	}
	if (pid == 0) {
		close(sync[0]);
		agent_child(j, sync[1]);
	}
	setpgid(pid, pid);   /* also here, so that no signal finds it unset */
	close(sync[1]);
	/* The record is written while the child gets to its exec (the two
	 * overlap on a second core); if the exec fails, the run goes. */
	if (write_meta(j, pid, started, &m) < 0) {
		close(sync[0]);
		kill(-pid, SIGKILL);
		kill(pid, SIGKILL);
		reap_all(pid, 0, &ws, &set);
		goto fail;
	}
	if (read_msg(sync[0], &m)) {
		/* it never ran: no run to keep */
		close(sync[0]);
		waitpid(pid, NULL, 0);
		goto fail;
	}
	close(sync[0]);
	m.ok = 1;
	write_msg(resfd, &m);
	close(resfd);
	finish_run(j, pid, &set);
	_exit(0);
fail:
	agent__run_remove(j->runsfd, j->id);
	write_msg(resfd, &m);
	_exit(1);
}

static char *
absolute(const char *path)
{
	char *cwd, *s;

	if (path[0] == '/')
		return strdup(path);
	if (!(cwd = getcwd(NULL, 0)))
		return NULL;
	if (asprintf(&s, "%s/%s", cwd, path) < 0)
		s = NULL;
	free(cwd);
	return s;
}

static int
add_env(struct job *j, size_t *n, const char *name, const char *value)
{
	if (asprintf(&j->env[*n], "%s=%s", name, value) < 0) {
		j->env[*n] = NULL;
		return -1;
	}
	(*n)++;
	return 0;
}

static int
make_env(struct job *j)
{
	static const char *const xdg[][2] = {
		{ "XDG_DATA_HOME", "data" },
		{ "XDG_STATE_HOME", "state" },
		{ "XDG_CACHE_HOME", "cache" },
	};
	char *const *e;
	size_t n = 0, extra = 0, i;
	char path[PATH_MAX];

	for (e = j->o->env; e && *e; e++)
		extra++;
	if (!(j->env = calloc(extra + 7, sizeof *j->env)))
		return -1;
	/* PWD follows the chdir: opencode takes its project from $PWD */
	if (add_env(j, &n, "NO_COLOR", "1") < 0 || add_env(j, &n, "AGENT_RUN_ID", j->id) < 0 ||
	    add_env(j, &n, "PWD", j->workdir) < 0)
		return -1;
	if (j->o->isolate) {
		if (mkdirat(j->dirfd, "xdg", 0700) < 0)
			return -1;
		for (i = 0; i < 3; i++) {
			snprintf(path, sizeof path, "xdg/%s", xdg[i][1]);
			if (mkdirat(j->dirfd, path, 0700) < 0)
				return -1;
			snprintf(path, sizeof path, "%s/xdg/%s", j->dir, xdg[i][1]);
			if (add_env(j, &n, xdg[i][0], path) < 0)
				return -1;
		}
	}
	/* the user's -e and the preset's environment come last and win */
	for (e = j->o->env; e && *e; e++) {
		if (!strchr(*e, '=') || **e == '=') {
			errno = EINVAL;
			return -1;
		}
		if (!(j->env[n++] = strdup(*e)))
			return -1;
	}
	return 0;
}

/* --worktree: makes the run's worktree and branch, and moves the agent's
 * working directory into it.  -1 with errno and the message in msg. */
static int
make_worktree(struct job *j, char *msg, size_t len)
{
	struct agent_worktree_info *wi;
	char why[600];
	char *wt = NULL, *branch = NULL, *wd = NULL;
	size_t n;
	int e;

	if (!(wi = malloc(sizeof *wi)))
		goto fail_errno;
	if (agent_worktree_probe(j->workdir, wi, why, sizeof why) < 0 ||
	    (j->o->branch && agent_worktree_branch_check(j->workdir, j->o->branch,
	                                                why, sizeof why) < 0)) {
		e = errno;
		snprintf(msg, len, "%s: --worktree: %s", j->workdir, why);
		free(wi);
		errno = e;
		return -1;
	}
	if (asprintf(&wt, "%s/" AGENT_WORKTREE_DIR "/%s", wi->common, j->id) < 0 ||
	    (j->o->branch ? !(branch = strdup(j->o->branch)) :
	                    asprintf(&branch, "agent/%s", j->id) < 0)) {
		wt = NULL;
		goto fail_errno;
	}
	/* the agent works as far below the new tree's top as -d was below
	 * the old one's */
	n = strlen(wi->prefix);
	while (n > 0 && wi->prefix[n - 1] == '/')
		wi->prefix[--n] = '\0';
	if (asprintf(&wd, "%s%s%s", wt, n ? "/" : "", wi->prefix) < 0) {
		wd = NULL;
		goto fail_errno;
	}
	if (!(j->repo = strdup(wi->top)))
		goto fail_errno;
	if (agent_worktree_add(j->workdir, wt, branch, why, sizeof why) < 0) {
		e = errno;
		snprintf(msg, len, "%s: --worktree: %s", j->workdir, why);
		goto fail;
	}
	j->wt = wt;
	j->branch = branch;
	/* a directory git does not track (empty, or only untracked files)
	 * is not in the new tree: made, so that the agent starts there */
	if (n && agent__mkdirs(wd) < 0) {
		e = errno;
		snprintf(msg, len, "%s: %s", wd, strerror(e));
		free(wi);
		free(wd);
		errno = e;
		return -1;   /* j->wt is undone with the run */
	}
	free(j->workdir);
	j->workdir = wd;
	free(wi);
	return 0;
fail_errno:
	e = errno;
	snprintf(msg, len, "--worktree: %s", strerror(e));
fail:
	free(wi);
	free(wt);
	free(branch);
	free(wd);
	free(j->repo);
	j->repo = NULL;
	errno = e;
	return -1;
}

static void
job_free(struct job *j)
{
	char **e;

	if (j->env) {
		for (e = j->env; *e; e++)
			free(*e);
		free(j->env);
	}
	if (j->own_argv)
		agent_argv_free(j->argv);
	free(j->dir);
	free(j->workdir);
	free(j->wt);
	free(j->branch);
	free(j->repo);
	free(j->log);
	if (j->runsfd >= 0)
		close(j->runsfd);
	if (j->dirfd >= 0)
		close(j->dirfd);
	if (j->lockfd >= 0)
		close(j->lockfd);
	if (j->logfd >= 0)
		close(j->logfd);
	if (j->infd >= 0)
		close(j->infd);
}

/* The run directory and what the agent is started with: the log, the
 * prompt, the argv, its standard input, the lock, the environment.  -1
 * with errno and *what naming what failed, or -2 with the whole message
 * in j->why (the worktree); *made is set once the run
 * directory exists (and must be taken away again on failure). */
static int
make_run(struct job *j, char **runs, const char **what, int *made)
{
	const struct agent_spawn_opts *o = j->o;
	struct stat st;

	if (o->argv && (!o->argv[0] || !o->argv[0][0])) {
		errno = EINVAL;
		*what = "command";
		return -1;
	}
	if (!o->argv && !o->argv_fn) {
		errno = EINVAL;
		*what = "command";
		return -1;
	}
	*what = o->workdir ? o->workdir : ".";
	if (!(j->workdir = realpath(*what, NULL)))
		return -1;
	if (stat(j->workdir, &st) < 0)
		return -1;
	if (!S_ISDIR(st.st_mode)) {
		errno = ENOTDIR;
		return -1;
	}
	*what = "runs directory";
	if (!(*runs = agent_runs_dir()))
		return -1;
	*what = *runs;
	if (agent__mkdirs(*runs) < 0 ||
	    (j->runsfd = open(*runs, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0 ||
	    (j->dirfd = agent__run_mkdir(j->runsfd, j->id)) < 0)
		return -1;
	*made = 1;
	*what = j->id;
	if (asprintf(&j->dir, "%s/%s", *runs, j->id) < 0) {
		j->dir = NULL;
		return -1;
	}
	if (o->output) {
		*what = o->output;
		if (!(j->log = absolute(o->output)))
			return -1;
		/* like the shell's >: a fresh file, written in append mode so
		 * that every process of the run adds to its end */
		j->logfd = open(j->log, O_WRONLY | O_CREAT | O_TRUNC | O_APPEND |
		                       O_NOCTTY | O_CLOEXEC, 0666);
	} else {
		*what = "log";
		if (asprintf(&j->log, "%s/log", j->dir) < 0) {
			j->log = NULL;
			return -1;
		}
		j->logfd = openat(j->dirfd, "log", O_WRONLY | O_CREAT | O_EXCL | O_APPEND |
		                                  O_NOFOLLOW | O_CLOEXEC, 0600);
	}
	if (j->logfd < 0)
		return -1;
	*what = "prompt";
	if (o->prompt && agent__run_write(j->dirfd, "prompt", o->prompt, o->prompt_len, 0) < 0)
		return -1;
	if (o->new_worktree && make_worktree(j, j->why, sizeof j->why) < 0)
		return -2;
	if (o->argv)
		j->argv = (char **)o->argv;
	else {
		char *pf = NULL;

		*what = "command";
		if (o->prompt && asprintf(&pf, "%s/prompt", j->dir) < 0)
			return -1;
		j->argv = o->argv_fn(pf, j->workdir, o->argv_arg);
		free(pf);
		if (!j->argv)
			return -1;
		j->own_argv = 1;
		if (!j->argv[0] || !j->argv[0][0]) {
			errno = EINVAL;
			return -1;
		}
		*what = "prompt";
	}
	if (o->prompt && o->prompt_stdin)
		j->infd = openat(j->dirfd, "prompt", O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	else
		j->infd = open("/dev/null", O_RDONLY | O_CLOEXEC);
	if (j->infd < 0)
		return -1;
	*what = "lock";
	j->lockfd = openat(j->dirfd, "lock", O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (j->lockfd < 0)
		return -1;
	*what = "environment";
	if (make_env(j) < 0)
		return -1;
	return 0;
}

int
agent_spawn(const struct agent_spawn_opts *o, char **idout, char *errbuf, size_t errlen)
{
	struct job j;
	struct msg m;
	sigset_t stop, mask;
	char *runs = NULL;
	const char *what = "";
	int res[2] = { -1, -1 }, e, made = 0, ws, i;
	pid_t a;

	sigemptyset(&stop);
	for (i = 0; i < 3; i++)
		sigaddset(&stop, stop_signals[i]);
	sigprocmask(SIG_BLOCK, &stop, &mask);
	memset(&j, 0, sizeof j);
	j.o = o;
	j.runsfd = j.dirfd = j.lockfd = j.logfd = j.infd = -1;
	*idout = NULL;
	if (errlen)
		errbuf[0] = '\0';
	if ((i = make_run(&j, &runs, &what, &made)) < 0) {
		if (i != -2)
			goto fail;
		e = errno;
		snprintf(errbuf, errlen, "%s", j.why);
		errno = e;
		goto fail_msg;
	}
	what = "pipe";
	if (pipe2(res, O_CLOEXEC) < 0)
		goto fail;
	what = "fork";
	if ((a = fork()) < 0)
		goto fail;
	if (a == 0) {
		/* the middle process: its exit re-parents the supervisor away
		 * from the caller, which never has to reap it */
		close(res[0]);
		if (fork() == 0)
			supervisor(&j, res[1]);
		_exit(0);
	}
	close(res[1]);
	res[1] = -1;
	while (waitpid(a, &ws, 0) < 0 && errno == EINTR)
		;
	memset(&m, 0, sizeof m);
	if (!read_msg(res[0], &m)) {
		what = "supervisor";
		errno = ECHILD;
		goto fail;
	}
	close(res[0]);
	res[0] = -1;
	if (!m.ok) {
		/* the supervisor has removed the run */
		made = 0;
		snprintf(errbuf, errlen, "%s", m.text);
		errno = m.err ? m.err : EIO;
		goto fail_msg;
	}
	if (!(*idout = strdup(j.id)))
		goto fail;
	job_free(&j);
	free(runs);
	sigprocmask(SIG_SETMASK, &mask, NULL);
	return 0;
fail:
	e = errno;
	if (errlen)
		snprintf(errbuf, errlen, "%s: %s", what, strerror(e));
	errno = e;
fail_msg:
	e = errno;
	if (made) {
		/* nothing was started: take the half-made run away again */
		agent__run_remove(j.runsfd, j.id);
	}
	if (j.wt)
		agent_worktree_undo(j.repo, j.wt, j.branch);
	if (res[0] >= 0)
		close(res[0]);
	if (res[1] >= 0)
		close(res[1]);
	job_free(&j);
	free(runs);
	sigprocmask(SIG_SETMASK, &mask, NULL);
	errno = e;
	return -1;
}
