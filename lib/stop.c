/* stop.c — stopping a run as agent-kill does: TERM (or the signal asked
 * for), KILL after a grace, never a process outside the run, and the
 * supervisor's exit record awaited.  Shared by agent-kill and
 * agent-resume -k. */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "run.h"

/* After the grace, KILL is repeated for this long while processes remain
 * (a process that forks as it dies leaves new ones behind). */
#define KILL_FOR 5.0
/* How long the supervisor may take to write the exit record. */
#define RECORD_FOR 5.0
#define POLL_NS (50 * 1000 * 1000)

static void
nap(void)
{
	struct timespec ts = { 0, POLL_NS };

	nanosleep(&ts, NULL);
}

/* The number of processes the run still has, -1 on error. */
static int
remaining(const struct agent_run *r)
{
	pid_t *pids;
	int n;

	if ((n = agent_run_procs(r, &pids)) < 0)
		return -1;
	free(pids);
	return n;
}

/* Waits up to secs for the run to have no process; the number left. */
static int
wait_gone(const struct agent_run *r, double secs)
{
	double until = agent_clock() + secs;
	int n;

	while ((n = remaining(r)) > 0 && agent_clock() < until)
		nap();
	return n;
}

int
agent_run_stop(const struct agent_run *r, int sig, double grace,
    struct agent_run_stopped *res)
{
	double until;
	int sup, n, x;

	memset(res, 0, sizeof *res);
	if ((x = agent_run_exit(r, &res->exit)) != 0) {
		res->has_exit = x > 0;
		return x < 0 ? -1 : AGENT_STOP_ENDED;
	}
	if ((sup = agent_run_supervised(r)) < 0 || (n = remaining(r)) < 0)
		return -1;
	if (!sup && n == 0) {
		/* nothing of the run is left to stop; if its supervisor's pid
		 * is taken by another process, the id is stale */
		if ((x = agent_run_stale(r)) < 0)
			return -1;
		return x ? AGENT_STOP_STALE : AGENT_STOP_ORPHANED;
	}
	/* a failure to mark only loses the word "killed" in the record */
	if (agent_run_mark_killed(r) < 0)
		res->mark_errno = errno;
	if (agent_run_signal(r, sig) < 0)
		return -1;
	n = wait_gone(r, grace);
	if (n > 0 && sig != SIGKILL) {
		agent_run_signal(r, SIGKILL);
		n = wait_gone(r, 0);
	}
	until = agent_clock() + KILL_FOR;
	while (n > 0 && agent_clock() < until) {
		agent_run_signal(r, SIGKILL);
		nap();
		n = remaining(r);
	}
	if (n < 0)
		return -1;
	if (n > 0) {
		res->left = n;
		return AGENT_STOP_LEFT;
	}
	/* the supervisor, left alone, writes the exit record and goes */
	if (sup) {
		until = agent_clock() + RECORD_FOR;
		while ((x = agent_run_exit(r, &res->exit)) == 0 && agent_clock() < until)
			nap();
		res->has_exit = x > 0;
	}
	return AGENT_STOP_STOPPED;
}
