/* supervise.c — a run's supervisor: forked by agent_spawn, it starts a
 * session of its own, holds the run's lock, execs the agent in a child,
 * reaps every descendant and writes the exit record (agent-run(5)). */
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
#include "spawn_int.h"
#include "proc.h"
#include "input.h"


void
agent__msgf(struct msg *m, int err, const char *fmt, ...)
{
	va_list ap;

	m->ok = 0;
	m->err = err;
	va_start(ap, fmt);
	vsnprintf(m->text, sizeof m->text, fmt, ap);
	va_end(ap);
}

int
agent__msg_write(int fd, const struct msg *m)
{
	ssize_t w;

	do
		w = write(fd, m, sizeof *m);
	while (w < 0 && errno == EINTR);
	return w == (ssize_t)sizeof *m ? 0 : -1;
}

/* 1 when a whole message came, 0 at EOF with none. */
int
agent__msg_read(int fd, struct msg *m)
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
		agent__msgf(&m, errno, "dup2: %s", strerror(errno));
		goto fail;
	}
	if (chdir(j->workdir) < 0) {
		agent__msgf(&m, errno, "chdir: %s: %s", j->workdir, strerror(errno));
		goto fail;
	}
	for (e = j->env; *e; e++)
		if (putenv(*e) != 0) {
			agent__msgf(&m, errno, "putenv: %s", strerror(errno));
			goto fail;
		}
	for (fd = 3; fd < syncfd; fd++)
		close(fd);
	closefrom(syncfd + 1);
	if (j->exec_argv) {
		/* bwrap would find out inside, in the log of a run already
		 * made: the agent's command is looked for here, as execvp
		 * would, so that "command not found" is agent-spawn's */
		f = j->exec_argv[0];
		if (strchr(j->argv[0], '/') ? access(j->argv[0], X_OK) < 0 :
		    !resolve(j->argv[0], file, sizeof file)) {
			errno = strchr(j->argv[0], '/') ? errno : ENOENT;
			f = j->argv[0];
		} else
			execv(f, j->exec_argv);
		err = errno;
		agent__msgf(&m, err, "exec: %s: %s", f, strerror(err));
		dprintf(2, "agent-spawn: %s\n", m.text);
		agent__msg_write(syncfd, &m);
		_exit(err == ENOENT ? 127 : 126);
	}
	/* should the file found fail, execvp's own search has the last word */
	if ((f = resolve(j->argv[0], file, sizeof file)) != NULL)
		execvp(f, j->argv);
	execvp(j->argv[0], j->argv);
	err = errno;
	agent__msgf(&m, err, "exec: %s: %s", j->argv[0], strerror(err));
	/* the log says it too: the run is gone, but -o FILE stays */
	dprintf(2, "agent-spawn: %s\n", m.text);
	agent__msg_write(syncfd, &m);
	_exit(err == ENOENT ? 127 : 126);
fail:
	agent__msg_write(syncfd, &m);
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
 * status of pid, and *pid_ended (when not NULL) the time it was reaped:
 * a launcher whose child it does not signal (Copilot's, Qwen Code's node
 * loaders) ends first, and the run goes on as long as the child.  Returns
 * how many others were reaped. */
static int
reap_all(pid_t pid, pid_t pgid, int *status, double *pid_ended, const sigset_t *set)
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
				if (pid_ended != NULL)
					*pid_ended = agent_now();
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
		agent__msgf(m, errno, "setsid: %s", strerror(errno));
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
		agent__msgf(m, errno, "prctl: %s", strerror(errno));
		return -1;
	}
	if (chdir("/") < 0 || (nul = open("/dev/null", O_RDWR)) < 0 ||
	    dup2(nul, 0) < 0 || dup2(nul, 1) < 0 || dup2(nul, 2) < 0) {
		agent__msgf(m, errno, "/dev/null: %s", strerror(errno));
		return -1;
	}
	keep[0] = j->runsfd; keep[1] = j->dirfd; keep[2] = j->lockfd;
	keep[3] = j->logfd; keep[4] = j->infd; keep[5] = resfd;
	/* nothing of the caller's (a pipe to $(...), say) may stay open here */
	close_except(keep, 6);
	while (flock(j->lockfd, LOCK_EX) < 0)
		if (errno != EINTR) {
			agent__msgf(m, errno, "lock: %s", strerror(errno));
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
	char *json = NULL, xdg[PATH_MAX];
	int k;

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
	if (o->isolate) {
		k = o->isolate_dir ? snprintf(xdg, sizeof xdg, "%s", o->isolate_dir) :
		                     snprintf(xdg, sizeof xdg, "%s/xdg", j->dir);
		if (k < 0 || (size_t)k >= sizeof xdg) {
			agent__msgf(m, ENAMETOOLONG, "isolate: %s", strerror(ENAMETOOLONG));
			return -1;
		}
		r.xdg = xdg;
	}
	r.sandbox = j->sandbox;
	r.worktree = j->wt ? j->wt : (char *)o->worktree;
	r.branch = j->wt ? j->branch : (char *)o->branch;
	r.repo = j->wt ? j->repo : (char *)o->repo;
	r.supervisor = getpid();
	r.pid = r.pgid = pid;
	if (agent__proc_stat(r.supervisor, &self) < 0 ||
	    (r.supervisor_start = self.start, !(json = agent__run_meta_json(&r))) ||
	    agent__run_write(j->dirfd, "meta.json", json, strlen(json), 0) < 0) {
		agent__msgf(m, errno, "meta.json: %s", strerror(errno));
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
	ex.pid_ended = -1;
	ex.reaped = reap_all(pid, pid, &ws, &ex.pid_ended, set);
	agent__run_exit_from_wait(&ex, ws);
	ex.ended = agent_now();
	ex.killed = fstatat(j->dirfd, "killed", &st, AT_SYMLINK_NOFOLLOW) == 0;
	if ((json = agent__run_exit_json(&ex)))
		agent__run_write(j->dirfd, "exit.json", json, strlen(json), 1);
	free(json);
	if (j->o->on_exit && (pid = start_on_exit(j, &ex)) > 0) {
		setpgid(pid, pid);
		reap_all(pid, pid, &ws, NULL, set);
	}
}

/* The supervisor: never returns. */
void
agent__supervise(struct job *j, int resfd)
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
		agent__msgf(&m, errno, "pipe: %s", strerror(errno));
		goto fail;
	}
	if ((pid = fork()) < 0) {
		agent__msgf(&m, errno, "fork: %s", strerror(errno));
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
		reap_all(pid, 0, &ws, NULL, &set);
		goto fail;
	}
	if (agent__msg_read(sync[0], &m)) {
		/* it never ran: no run to keep */
		close(sync[0]);
		waitpid(pid, NULL, 0);
		goto fail;
	}
	close(sync[0]);
	m.ok = 1;
	agent__msg_write(resfd, &m);
	close(resfd);
	finish_run(j, pid, &set);
	_exit(0);
fail:
	agent__run_remove(j->runsfd, j->id);
	agent__msg_write(resfd, &m);
	_exit(1);
}

