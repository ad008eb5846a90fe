/* agent-kill — stop every process of a run, TERM then KILL after a grace,
 * and never a process outside it. */
#include <err.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>
#include <bsd/stdlib.h>
#include "agent.h"
#include "tool.h"

const char tool_usage[] = "usage: agent-kill [-s SIGNAL] [-t GRACE] RUN ...";

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

/* A signal by number, by name, or by name with SIG in front. */
static int
parse_signal(const char *s)
{
	const char *abbrev, *errstr;
	int i;

	if (*s >= '0' && *s <= '9') {
		i = (int)strtonum(s, 1, NSIG - 1, &errstr);
		return errstr ? -1 : i;
	}
	if (!strncasecmp(s, "SIG", 3))
		s += 3;
	for (i = 1; i < NSIG; i++)
		if ((abbrev = sigabbrev_np(i)) && !strcasecmp(s, abbrev))
			return i;
	return -1;
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

static int
kill_run(const char *spec, int sig, double grace)
{
	struct agent_run_exit ex;
	struct agent_run *r;
	const char *id;
	double until;
	int sup, n, x;

	if (!(r = agent_run_open(spec))) {
		if (errno == ENOTUNIQ) {
			warnx("%s: names more than one run", spec);
			return AGENT_EXIT_USAGE;
		}
		warn("%s", spec);
		return AGENT_EXIT_NOINPUT;
	}
	id = agent_run_id(r);
	if ((x = agent_run_exit(r, &ex)) != 0) {
		if (x < 0)
			warn("%s: exit record", id);
		else
			warnx("%s: already ended (exit %d); nothing signalled", id, ex.status);
		agent_run_free(r);
		return x < 0 ? AGENT_EXIT_IOERR : AGENT_EXIT_OK;
	}
	if ((sup = agent_run_supervised(r)) < 0 || (n = remaining(r)) < 0) {
		warn("%s", id);
		agent_run_free(r);
		return AGENT_EXIT_OSERR;
	}
	if (!sup && n == 0) {
		/* Nothing of the run is left to stop.  If its supervisor's pid
		 * is taken by another process, the id is stale: say so. */
		if (agent_run_stale(r) == 1) {
			warnx("%s: stale: process %ld is no longer this run's "
			      "supervisor; nothing signalled", id, (long)agent_run_supervisor(r));
			agent_run_free(r);
			return AGENT_EXIT_REFUSED;
		}
		warnx("%s: already ended (its supervisor was killed, no exit "
		      "record); nothing signalled", id);
		agent_run_free(r);
		return AGENT_EXIT_OK;
	}
	if (agent_run_mark_killed(r) < 0)
		warn("%s: marking the run killed", id);
	if (agent_run_signal(r, sig) < 0) {
		warn("%s: signal", id);
		agent_run_free(r);
		return AGENT_EXIT_OSERR;
	}
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
	if (n != 0) {
		warnx("%s: %d process%s of the run still running",
		      id, n, n == 1 ? "" : "es");
		agent_run_free(r);
		return AGENT_EXIT_OSERR;
	}
	/* the supervisor, left alone, writes the exit record and goes */
	if (sup) {
		until = agent_clock() + RECORD_FOR;
		while (agent_run_exit(r, &ex) == 0 && agent_clock() < until)
			nap();
	}
	agent_run_free(r);
	return AGENT_EXIT_OK;
}

int
main(int argc, char *argv[])
{
	double grace = 10;
	int c, sig = SIGTERM, rc = 0, one, i;

	while ((c = getopt(argc, argv, "s:t:h")) != -1) {
		switch (c) {
		case 's':
			if ((sig = parse_signal(optarg)) < 0)
				errx(AGENT_EXIT_USAGE, "-s %s: no such signal", optarg);
			break;
		case 't':
			grace = tool_decimal("-t", optarg, 0, 86400);
			break;
		case 'h':
			usage(AGENT_EXIT_OK);
		default:
			usage(AGENT_EXIT_USAGE);
		}
	}
	argc -= optind;
	argv += optind;
	if (argc == 0)
		usage(AGENT_EXIT_USAGE);
	for (i = 0; i < argc; i++) {
		one = kill_run(argv[i], sig, grace);
		/* the first failure decides the status */
		if (one && !rc)
			rc = one;
	}
	return rc;
}
