/* agent-replay — the replay agent: plays a recorded agent log back with
 * its own pacing, cut off, stalled or resumed, for tests and demos. */
#include <err.h>
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "agent.h"
#include "tool.h"
#include "replay.h"

/* A recorded pause longer than this is played as this long (before
 * scaling): a 60 s tool call need not take a minute to replay. */
#define MAX_GAP 5.0
/* Delay before a line that records no time, in ms (before scaling). */
#define LINE_MS 100

const char tool_usage[] = "usage: agent-replay [-S] [-c LINE | -C STRING] "
	"[-i MS | -x SPEED] [-p PROMPT] [-r STATUS] [-R SESSION] FILE";

static void
pause_for(double secs)
{
	struct timespec ts;
	if (secs <= 0)
		return;
	ts.tv_sec = (time_t)secs;
	ts.tv_nsec = (long)((secs - (double)ts.tv_sec) * 1e9);
	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

/* Ends the way a process killed by sig ends, so whoever waits for us sees
 * the signal, not an exit code. */
static void
die_by(int sig)
{
	sigset_t set;
	tool_flush();
	signal(sig, SIG_DFL);
	sigemptyset(&set);
	sigaddset(&set, sig);
	sigprocmask(SIG_UNBLOCK, &set, NULL);
	raise(sig);
	_exit(128 + sig);
}

/* Exits as $? = status reports it: 128+N for a signal that kills by
 * default is delivered for real; other values (Gemini's 145 for an HTTP
 * 401) are plain exit codes, as they were for the agent. */
static void
finish(int status)
{
	static const int killers[] = { SIGHUP, SIGINT, SIGKILL, SIGPIPE, SIGALRM,
	                               SIGTERM, SIGUSR1, SIGUSR2 };
	for (size_t i = 0; i < sizeof killers / sizeof *killers; i++)
		if (status == 128 + killers[i])
			die_by(killers[i]);
	tool_flush();
	exit(status);
}

/* Whether session occurs in the first 64 KiB of f (then rewound): the
 * continuation must belong to the session being resumed. */
static int
has_session(FILE *f, const char *session)
{
	char *buf = malloc(65536);
	size_t n;
	int found;
	if (!buf)
		err(AGENT_EXIT_OSERR, "malloc");
	n = fread(buf, 1, 65536, f);
	if (ferror(f))
		err(AGENT_EXIT_IOERR, "read");
	found = memmem(buf, n, session, strlen(session)) != NULL;
	free(buf);
	rewind(f);
	return found;
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "resume", required_argument, NULL, 'R' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *cut_str = NULL, *session = NULL, *file;
	char *path, *line = NULL;
	long cut_line = -1, line_ms = LINE_MS, lineno = 0;
	double speed = 1, prev_t = -1;
	int stall = 0, status = -1, use_times = 1, tty, c, cut = 0;
	size_t cap = 0;
	ssize_t n;
	FILE *f;

	while ((c = getopt_long(argc, argv, "+C:c:hi:p:R:r:Sx:", longopts, NULL)) != -1) {
		switch (c) {
		case 'C': cut_str = optarg; cut_line = -1; break;
		case 'c': cut_line = tool_number("-c", optarg, 0, 1000000000); cut_str = NULL; break;
		case 'h': usage(AGENT_EXIT_OK);
		case 'i': line_ms = tool_number("-i", optarg, 0, 3600000); use_times = 0; break;
		case 'p': break; /* the prompt: an agent's input, nothing to replay */
		case 'R': session = optarg; break;
		case 'r': status = (int)tool_number("-r", optarg, 0, 255); break;
		case 'S': stall = 1; break;
		case 'x': speed = tool_decimal("-x", optarg, 0.001, 1e6); break;
		default: usage(AGENT_EXIT_USAGE);
		}
	}
	if (argc - optind != 1)
		usage(AGENT_EXIT_USAGE);
	file = argv[optind];
	if (session && !*session)
		errx(AGENT_EXIT_USAGE, "-R: empty session id");

	if (session) {
		if (!(path = agent_replay_continuation(file)))
			err(AGENT_EXIT_OSERR, "malloc");
	} else if (!(path = strdup(file)))
		err(AGENT_EXIT_OSERR, "malloc");
	if (!(f = fopen(path, "re")))
		err(AGENT_EXIT_NOINPUT, "%s%s", session ? "continuation: " : "", path);
	if (session && !has_session(f, session)) {
		/* What the agents do with an unknown session: a message, exit 1. */
		char *vis = agent_vis_str(session, strlen(session));
		warnx("resume: no conversation found with session id %s in %s",
		      vis ? vis : "?", path);
		free(vis);
		return AGENT_EXIT_FAILED;
	}
	if (status < 0) {
		int st;
		if (agent_replay_manifest_status(path, &st) == 1)
			status = st;
		else
			status = 0;
	}

	tty = isatty(STDOUT_FILENO);
	if (cut_line == 0)
		cut = 1;
	while (!cut && (n = getline(&line, &cap, f)) > 0) {
		double t = use_times ? agent_replay_line_time(line, (size_t)n) : -1;
		double delay = line_ms / 1000.0;
		lineno++;
		if (t >= 0 && prev_t >= 0) {
			delay = t - prev_t;
			if (delay < -43200)     /* [HH:MM:SS] went past midnight */
				delay += 86400;
			if (delay < 0)
				delay = 0;
			if (delay > MAX_GAP)
				delay = MAX_GAP;
		}
		if (t >= 0)
			prev_t = t;
		pause_for(delay / speed);
		if (tty) {
			/* A person watching: nothing raw reaches the terminal. */
			size_t len = (size_t)n - (line[n - 1] == '\n');
			if (agent_vis_write(stdout, line, len, 1) < 0 ||
			    (line[n - 1] == '\n' && putchar('\n') == EOF))
				err(AGENT_EXIT_IOERR, "stdout");
		} else if (fwrite(line, 1, (size_t)n, stdout) != (size_t)n)
			err(AGENT_EXIT_IOERR, "stdout");
		/* Each line as the agent would write it: whoever follows the
		 * log sees it grow line by line. */
		tool_flush();
		if ((cut_line > 0 && lineno == cut_line) ||
		    (cut_str && memmem(line, (size_t)n, cut_str, strlen(cut_str))))
			cut = 1;
	}
	if (ferror(f))
		err(AGENT_EXIT_IOERR, "%s", path);
	fclose(f);
	free(line);
	free(path);
	tool_flush();
	if (stall)
		for (;;)
			pause();
	if (cut)
		die_by(SIGTERM);
	finish(status);
}
