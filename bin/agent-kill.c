/* agent-kill — stop every process of a run, TERM then KILL after a grace,
 * and never a process outside it. */
#include <err.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <bsd/stdlib.h>
#include "agent.h"
#include "tool.h"

const char tool_usage[] = "usage: agent-kill [-s SIGNAL] [-t GRACE] RUN ...";

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

/* HOST:ID: agent-kill on the host, with the signal as it was given (its
 * number there may differ) and the grace. */
static int
kill_remote(const char *host, const char *id, const char *sig, const char *grace)
{
	struct tool_rcall rc = { 0 };
	struct tool_args a = { NULL, 0 };
	int r;

	tool_args_add(&a, "agent-kill");
	if (sig)
		tool_args_opt(&a, 's', sig);
	if (grace)
		tool_args_opt(&a, 't', grace);
	tool_args_add(&a, "--");
	tool_args_add(&a, id);
	rc.host = host;
	rc.cmd = a.v;
	rc.offset = -1;
	r = tool_remote(&rc, 0);
	tool_rcall_free(&rc);
	return r;
}

static int
kill_run(const char *spec, int sig, double grace)
{
	struct agent_run_stopped res;
	struct agent_run *r;
	const char *id;
	int rc = AGENT_EXIT_OK;

	if (!(r = agent_run_open(spec))) {
		if (errno == ENOTUNIQ) {
			warnx("%s: names more than one run", spec);
			return AGENT_EXIT_USAGE;
		}
		warn("%s", spec);
		return AGENT_EXIT_NOINPUT;
	}
	id = agent_run_id(r);
	switch (agent_run_stop(r, sig, grace, &res)) {
	case AGENT_STOP_STOPPED:
		break;
	case AGENT_STOP_ENDED:
		warnx("%s: already ended (exit %d); nothing signalled", id, res.exit.status);
		break;
	case AGENT_STOP_ORPHANED:
		warnx("%s: already ended (its supervisor was killed, no exit "
		      "record); nothing signalled", id);
		break;
	case AGENT_STOP_STALE:
		warnx("%s: stale: process %ld is no longer this run's "
		      "supervisor; nothing signalled", id, (long)agent_run_supervisor(r));
		rc = AGENT_EXIT_REFUSED;
		break;
	case AGENT_STOP_LEFT:
		warnx("%s: %d process%s of the run still running",
		      id, res.left, res.left == 1 ? "" : "es");
		rc = AGENT_EXIT_OSERR;
		break;
	default:
		warn("%s", id);
		rc = AGENT_EXIT_OSERR;
	}
	if (res.mark_errno)
		warnx("%s: marking the run killed: %s", id, strerror(res.mark_errno));
	agent_run_free(r);
	return rc;
}

int
main(int argc, char *argv[])
{
	double grace = 10;
	int c, sig = SIGTERM, rc = 0, one, i;
	const char *sigarg = NULL, *gracearg = NULL, *id;
	char *host;

	while ((c = getopt(argc, argv, "s:t:R:h")) != -1) {
		switch (c) {
		case 's':
			if ((sig = parse_signal(optarg)) < 0)
				errx(AGENT_EXIT_USAGE, "-s %s: no such signal", optarg);
			sigarg = optarg;
			break;
		case 't':
			grace = tool_decimal("-t", optarg, 0, 86400);
			gracearg = optarg;
			break;
		case 'R':
			tool_remote_serve(optarg);
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
		if (tool_remote_operand(argv[i], &host, &id)) {
			one = kill_remote(host, id, sigarg, gracearg);
			free(host);
		} else
			one = kill_run(argv[i], sig, grace);
		/* the first failure decides the status */
		if (one && !rc)
			rc = one;
	}
	return rc;
}
