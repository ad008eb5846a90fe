/* run_proc.c — a run's liveness and processes: its lock, its supervisor's
 * identity, its exit record, the members of its session, signalling them,
 * their CPU time, and the two clocks runs are timed by. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/pidfd.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "run_int.h"
#include "file.h"
#include "proc.h"
/* --- liveness, exit, processes ----------------------------------------- */

/* 1 when someone holds the lock exclusively.  A shared probe, so that two
 * readers probing at once never mistake each other for the supervisor. */
static int
lock_held(const struct agent_run *r)
{
	int fd, held;

	if ((fd = openat(r->dirfd, "lock", O_RDONLY | O_NOFOLLOW | O_CLOEXEC)) < 0)
		return errno == ENOENT ? 0 : -1;
	if (flock(fd, LOCK_SH | LOCK_NB) == 0)
		held = 0;
	else
		held = errno == EWOULDBLOCK ? 1 : -1;
	close(fd);
	return held;
}

static void
on_alarm(int sig)
{
	(void)sig;   /* only to interrupt flock() */
}

int
agent_run_wait_end(const struct agent_run *r, double timeout)
{
	struct itimerval it, old_it;
	struct sigaction sa, old_sa;
	int fd, rc, e;

	if ((fd = openat(r->dirfd, "lock", O_RDONLY | O_NOFOLLOW | O_CLOEXEC)) < 0)
		return errno == ENOENT ? 0 : -1;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_alarm;   /* no SA_RESTART: flock() returns EINTR */
	sigemptyset(&sa.sa_mask);
	memset(&it, 0, sizeof it);
	it.it_value.tv_sec = (time_t)timeout;
	it.it_value.tv_usec = (suseconds_t)((timeout - (double)(time_t)timeout) * 1e6);
	if (it.it_value.tv_sec == 0 && it.it_value.tv_usec == 0)
		it.it_value.tv_usec = 1;
	if (sigaction(SIGALRM, &sa, &old_sa) < 0) {
		e = errno;
		close(fd);
		errno = e;
		return -1;
	}
	setitimer(ITIMER_REAL, &it, &old_it);
	/* the supervisor holds the lock exclusively for the run's whole life */
	rc = flock(fd, LOCK_SH);
	e = errno;
	memset(&it, 0, sizeof it);
	setitimer(ITIMER_REAL, &it, NULL);
	sigaction(SIGALRM, &old_sa, NULL);
	close(fd);
	if (rc == 0)
		return 0;
	if (e == EINTR)
		return 1;
	errno = e;
	return -1;
}

static int
has_exit(const struct agent_run *r)
{
	struct stat st;

	if (fstatat(r->dirfd, "exit.json", &st, AT_SYMLINK_NOFOLLOW) == 0)
		return 1;
	return errno == ENOENT ? 0 : -1;
}

int
agent_run_exit(const struct agent_run *r, struct agent_run_exit *e)
{
	char *buf;
	size_t len;
	int rc;

	if (agent__run_read(r->dirfd, "exit.json", &buf, &len) < 0)
		return errno == ENOENT ? 0 : -1;
	rc = agent__run_exit_parse(buf, len, e);
	free(buf);
	return rc < 0 ? -1 : 1;
}

/* Whether p is this run's supervisor, alive.  The start tick alone cannot
 * say it: a process started in the same clock tick as the supervisor (a
 * quiet machine starts several) has the same one.  A supervisor is also a
 * session leader named AGENT__SUPERVISOR_COMM (it is so before meta.json
 * names it), which a reused pid is not unless it is another run's
 * supervisor, and no two of those share a pid and a start tick. */
static int
is_supervisor(const struct agent_run *r, const struct agent__proc *p)
{
	return p->start == r->supervisor_start && p->supervisor &&
	    p->state != 'Z' && p->state != 'X';
}

int
agent_run_supervised(const struct agent_run *r)
{
	struct agent__proc p;

	if (r->supervisor <= 0)
		return 0;
	if (agent__proc_stat(r->supervisor, &p) < 0)
		return errno == ENOENT ? 0 : -1;
	if (!is_supervisor(r, &p))
		return 0;
	return lock_held(r);
}

int
agent_run_stale(const struct agent_run *r)
{
	struct agent__proc p;

	if (r->supervisor <= 0)
		return 0;
	if (agent__proc_stat(r->supervisor, &p) < 0)
		return errno == ENOENT ? 0 : -1;
	return !is_supervisor(r, &p) && p.state != 'Z' && p.state != 'X';
}

static int
cmp_proc(const void *a, const void *b)
{
	pid_t x = ((const struct agent__proc *)a)->pid;
	pid_t y = ((const struct agent__proc *)b)->pid;
	return (x > y) - (x < y);
}

static long
find_proc(const struct agent__proc *v, size_t n, pid_t pid)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (v[mid].pid == pid)
			return (long)mid;
		if (v[mid].pid < pid)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -1;
}

/* Marks in in[] the processes of the run, the supervisor excepted, and
 * returns how many; v is sorted by pid.  -1 with errno. */
static long
mark_members(const struct agent_run *r, struct agent__proc *v, size_t n, char *in)
{
	char env[sizeof "AGENT_RUN_ID=" + AGENT_RUN_ID_LEN];
	pid_t sup = r->supervisor;
	int supervised, changed;
	long count = 0;
	size_t i;
	long k;

	supervised = agent_run_supervised(r);
	if (supervised < 0)
		return -1;
	if (!supervised) {
		/* no supervisor and an exit record: the run is over */
		int x = has_exit(r);
		if (x != 0)
			return x < 0 ? -1 : 0;
	}
	snprintf(env, sizeof env, "AGENT_RUN_ID=%s", r->id);
	for (i = 0; i < n; i++) {
		if (v[i].pid == sup || v[i].sid != sup || sup <= 0)
			continue;
		/* Without its supervisor the session id alone is not proof (the
		 * pid may be a new session's): the process must have started
		 * after the run and carry its id.  One that is exiting has no
		 * environment left to show: it is the run's until it is a
		 * zombie (else agent-kill could return while one still dies). */
		if (!supervised && (v[i].start < r->supervisor_start ||
		                    agent__proc_has_env(v[i].pid, env) == 0))
			continue;
		in[i] = 1;
	}
	/* Without its supervisor, a process that left the session and whose
	 * parent has gone (a launcher's child started with setsid(), as
	 * node's detached spawn does) was re-parented outside the run: only
	 * its environment still names the run.  With the supervisor alive
	 * there is no such process, as the supervisor is a subreaper: every
	 * process of the run descends from it. */
	for (i = 0; !supervised && sup > 0 && i < n; i++)
		if (!in[i] && v[i].pid != sup && !v[i].supervisor &&
		    v[i].start >= r->supervisor_start &&
		    v[i].state != 'Z' && v[i].state != 'X' &&
		    agent__proc_has_env(v[i].pid, env) == 1)
			in[i] = 1;
	/* descendants, also those that left the session with setsid() */
	do {
		changed = 0;
		for (i = 0; i < n; i++) {
			/* another run's supervisor (agent-spawn run inside this
			 * run) heads a run of its own: not this run's */
			if (in[i] || v[i].pid == sup || v[i].supervisor)
				continue;
			if (supervised && v[i].ppid == sup) {
				in[i] = changed = 1;
				continue;
			}
			k = find_proc(v, n, v[i].ppid);
			if (k >= 0 && in[k] &&
			    (supervised || agent__proc_has_env(v[i].pid, env) != 0))
				in[i] = changed = 1;
		}
	} while (changed);
	for (i = 0; i < n; i++) {
		/* a zombie is gone already; its children were reparented */
		if (in[i] && (v[i].state == 'Z' || v[i].state == 'X'))
			in[i] = 0;
		count += in[i];
	}
	return count;
}

/* The run's processes as agent__proc records: malloc'd in *out. */
static long
run_members(const struct agent_run *r, struct agent__proc **out)
{
	struct agent__proc *v;
	size_t n, i, j;
	char *in;
	long count;
	int e;

	*out = NULL;
	if (agent__proc_scan(&v, &n) < 0)
		return -1;
	qsort(v, n, sizeof *v, cmp_proc);
	if (!(in = calloc(n ? n : 1, 1))) {
		free(v);
		return -1;
	}
	count = mark_members(r, v, n, in);
	if (count >= 0) {
		for (i = j = 0; i < n; i++)
			if (in[i])
				v[j++] = v[i];
		*out = v;
	} else {
		e = errno;
		free(v);
		errno = e;
	}
	free(in);
	return count;
}

int
agent_run_procs(const struct agent_run *r, pid_t **pids)
{
	struct agent__proc *v;
	long n, i;

	if ((n = run_members(r, &v)) < 0)
		return -1;
	if (!(*pids = malloc((size_t)(n ? n : 1) * sizeof **pids))) {
		free(v);
		return -1;
	}
	for (i = 0; i < n; i++)
		(*pids)[i] = v[i].pid;
	free(v);
	return (int)n;
}

int
agent_run_signal(const struct agent_run *r, int sig)
{
	struct agent__proc *v, now;
	long n, i;
	int sent = 0, fd;

	if ((n = run_members(r, &v)) < 0)
		return -1;
	for (i = 0; i < n; i++) {
		if ((fd = pidfd_open(v[i].pid, 0)) < 0)
			continue;   /* gone since the scan */
		/* the pidfd pins one process: if it is still the one scanned,
		 * the signal cannot reach a newcomer that reused the pid */
		if (agent__proc_stat(v[i].pid, &now) == 0 && now.start == v[i].start &&
		    pidfd_send_signal(fd, sig, NULL, 0) == 0)
			sent++;
		close(fd);
	}
	free(v);
	return sent;
}

long long
agent_run_cpu_ticks(const struct agent_run *r)
{
	struct agent__proc *v;
	long long ticks = 0;
	long n, i;

	if ((n = run_members(r, &v)) < 0)
		return -1;
	for (i = 0; i < n; i++)
		ticks += v[i].ticks;
	free(v);
	return n > 0 ? ticks : -1;
}

int
agent_run_alive(const struct agent_run *r)
{
	pid_t *pids;
	int held, x, n;

	if ((x = has_exit(r)) != 0)
		return x < 0 ? -1 : 0;
	if ((held = lock_held(r)) != 0)
		return held;
	/* lock free and no exit record: the supervisor was killed; what it
	 * started may still run and write */
	if ((n = agent_run_procs(r, &pids)) < 0)
		return -1;
	free(pids);
	return n > 0;
}

static double
seconds(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

double
agent_now(void)
{
	return seconds(CLOCK_REALTIME);
}

double
agent_clock(void)
{
	return seconds(CLOCK_MONOTONIC);
}

double
agent_run_active(const struct agent_run *r)
{
	struct agent_run_exit ex;
	struct stat st;
	double last = r->started;

	if (agent_run_exit(r, &ex) == 1 && ex.ended > last)
		last = ex.ended;
	if (stat(agent_run_log(r), &st) == 0 &&
	    st.st_mtim.tv_sec + st.st_mtim.tv_nsec / 1e9 > last)
		last = st.st_mtim.tv_sec + st.st_mtim.tv_nsec / 1e9;
	return last;
}

int
agent_run_mark_killed(const struct agent_run *r)
{
	char buf[64];
	int len;

	len = snprintf(buf, sizeof buf, "%.3f\n", agent_now());
	return agent__run_write(r->dirfd, "killed", buf, (size_t)len, 0);
}

double
agent_run_killed_at(const struct agent_run *r)
{
	char *buf, *end;
	double at;

	if (agent__run_read(r->dirfd, "killed", &buf, NULL) < 0)
		return errno == ENOENT ? 0 : -1;
	at = strtod(buf, &end);
	if (end == buf || !(at > 0) || at > 1e12)
		at = 0;
	free(buf);
	return at;
}

int
agent_run_marked_killed(const struct agent_run *r)
{
	struct stat st;

	if (fstatat(r->dirfd, "killed", &st, AT_SYMLINK_NOFOLLOW) == 0)
		return 1;
	return errno == ENOENT ? 0 : -1;
}


int
agent_run_wait_child(const struct agent_run *r)
{
	static const int fwd[3] = { SIGINT, SIGTERM, SIGHUP };
	struct sigaction dfl, oldchld;
	sigset_t set, old;
	siginfo_t si;
	pid_t w;
	int ws, e = 0, i;

	sigemptyset(&set);
	for (i = 0; i < 3; i++)
		sigaddset(&set, fwd[i]);
	sigaddset(&set, SIGCHLD);
	sigprocmask(SIG_BLOCK, &set, &old);
	/* a SIGCHLD ignored by whoever started the caller would reap the
	 * supervisor before it could be waited for */
	memset(&dfl, 0, sizeof dfl);
	dfl.sa_handler = SIG_DFL;
	sigaction(SIGCHLD, &dfl, &oldchld);
	for (;;) {
		if ((w = waitpid(r->supervisor, &ws, WNOHANG)) == r->supervisor)
			break;
		if (w < 0 && errno != EINTR) {
			e = errno;
			break;
		}
		/* a SIGCHLD that came since the waitpid is pending: no loss */
		if (w == 0 && sigwaitinfo(&set, &si) > 0 && si.si_signo != SIGCHLD)
			kill(r->supervisor, si.si_signo);
	}
	sigaction(SIGCHLD, &oldchld, NULL);
	sigprocmask(SIG_SETMASK, &old, NULL);
	errno = e;
	return e ? -1 : 0;
}
