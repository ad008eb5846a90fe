/* input.c — resolving what a reader tool was given (run id, run directory,
 * plain log, stdin) into one source, and weighing it into a state. */
#include <sys/inotify.h>
#include <sys/stat.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "agent.h"

/* The end is read in two steps: a few lines hold the final event of almost
 * every log; only when they do not is a wider window parsed (a cut-off run,
 * Gemini's pretty-printed result object). */
#define TAIL_LINES_FIRST 48
#define TAIL_LINES   400
#define TAIL_BYTES   (4 * 1024 * 1024)
#define CPU_SAMPLE_MS 500
/* Work is at least this share of one CPU.  Less is an agent waiting: an
 * oh-my-opencode run stalled on its model API keeps `opencode serve` and
 * its launchers at 15-20% of a CPU, polling, for as long as it waits. */
#define CPU_WORK_SHARE 0.25

/* A pipe on stdin is spooled to an unlinked temporary file, so that every
 * reader can seek: memory stays bounded whatever the size. */
static int
spool_stdin(void)
{
	char path[PATH_MAX], buf[65536];
	const char *tmp = getenv("TMPDIR");
	ssize_t n;
	int fd;

	snprintf(path, sizeof path, "%s/agentutils-stdin.XXXXXX",
	    tmp && *tmp ? tmp : "/tmp");
	if ((fd = mkostemp(path, O_CLOEXEC)) < 0)
		return -1;
	unlink(path);
	for (;;) {
		n = read(0, buf, sizeof buf);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			goto fail;
		if (n == 0)
			break;
		for (ssize_t off = 0; off < n;) {
			ssize_t w = write(fd, buf + off, n - off);
			if (w < 0 && errno == EINTR)
				continue;
			if (w < 0)
				goto fail;
			off += w;
		}
	}
	if (dup2(fd, 0) < 0)
		goto fail;
	close(fd);
	return 0;
fail:
	n = errno;
	close(fd);
	errno = (int)n;
	return -1;
}

static int
stdin_seekable(void)
{
	struct stat st;
	return fstat(0, &st) == 0 && S_ISREG(st.st_mode);
}

/* Recognises the dialect from the head of the log. */
static int
guess(struct agent_input *in)
{
	char *head;
	ssize_t n;

	if ((head = malloc(AGENT_DIALECT_HEAD)) == NULL)
		return -1;
	n = agent_log_read_at(in->log, head, AGENT_DIALECT_HEAD, 0);
	if (n >= 0)
		in->dialect = agent_dialect_detect(head, n);
	free(head);
	return n < 0 ? -1 : 0;
}

int
agent_input_open(struct agent_input *in, const char *arg, int force,
    const char **what)
{
	struct stat st;
	const char *dname;
	int e;

	memset(in, 0, sizeof *in);
	in->wfd = -1;
	in->hupfd = -1;
	in->dialect = AGENT_D_GENERIC;
	in->name = arg && strcmp(arg, "-") != 0 ? arg : "-";
	*what = in->name;

	if (strcmp(in->name, "-") == 0) {
		if (!stdin_seekable() && spool_stdin() < 0) {
			*what = "standard input";
			return -1;
		}
		in->log = agent_log_open("-");
	} else if (stat(arg, &st) == 0 && S_ISDIR(st.st_mode)) {
		if ((in->run = agent_run_open_dir(arg)) == NULL) {
			if (errno == ENOENT)
				errno = EISDIR;  /* a directory that holds no run */
			return -1;
		}
	} else if (stat(arg, &st) == 0 && !S_ISREG(st.st_mode)) {
		/* a FIFO or a device: opening a FIFO waits for a writer, and
		 * neither can be read from its end; standard input spools one */
		errno = ESPIPE;
		return -1;
	} else if (stat(arg, &st) == 0) {
		in->log = agent_log_open(arg);
	} else if ((in->run = agent_run_open(arg)) == NULL) {
		if (errno == ENOENT)
			errno = ENOENT;  /* neither a file nor a run */
		return -1;
	}
	if (in->run != NULL) {
		in->log = agent_log_open(agent_run_log(in->run));
		if (in->log == NULL)
			*what = agent_run_log(in->run);
	}
	if (in->log == NULL)
		goto fail;

	if (force >= 0) {
		in->dialect = force;
		return 0;
	}
	if (in->run && (dname = agent_run_dialect(in->run)) != NULL &&
	    agent_dialect_lookup(dname) >= 0) {
		in->dialect = agent_dialect_lookup(dname);
		return 0;
	}
	in->guessed = 1;
	if (guess(in) < 0)
		goto fail;
	return 0;
fail:
	e = errno;
	agent_input_close(in);
	errno = e;
	return -1;
}

void
agent_input_close(struct agent_input *in)
{
	agent_log_free(in->log);
	agent_run_free(in->run);
	if (in->wfd >= 0)
		close(in->wfd);
	in->wfd = -1;
	in->log = NULL;
	in->run = NULL;
}

/* Feeding lines to a parser. */
struct feed {
	struct agent_parser *p;
	agent_event_fn fn;
	void *arg;
	long lineno;
};

static int
feed_line(const char *line, size_t len, off_t off, int truncated, void *arg)
{
	struct feed *f = arg;
	(void)off;
	(void)truncated;
	return agent_parser_line(f->p, line, len, ++f->lineno, f->fn, f->arg);
}

int
agent_input_parse(struct agent_input *in, struct agent_parser *p, long *lineno,
    off_t from, off_t to, int flags, agent_event_fn fn, void *arg, off_t *next)
{
	struct feed f = { p, fn, arg, lineno ? *lineno : 0 };
	int r;

	if (from > 0 && f.lineno == 0)
		agent_parser_mid(p);

	r = agent_log_lines(in->log, from, to, AGENT_INPUT_MAXLINE, flags,
	    feed_line, &f, next);
	if (lineno)
		*lineno = f.lineno;
	if (r == 0 && (flags & AGENT_LOG_PARTIAL))
		r = agent_parser_end(f.p, fn, arg);
	return r;
}

int
agent_input_events(struct agent_input *in, off_t from, off_t to, int flags,
    agent_event_fn fn, void *arg)
{
	struct agent_parser *p;
	int r;

	if ((p = agent_parser_new(in->dialect)) == NULL)
		return -1;
	/* a limit's "resets 3pm" was said when the log was last written */
	agent_parser_clock(p, agent_log_mtime(in->log));
	r = agent_input_parse(in, p, NULL, from, to, flags, fn, arg, NULL);
	agent_parser_free(p);
	return r;
}

/* The session id: the first one in the log, read from the head on. */
struct sid {
	enum agent_dialect d;
	char *buf;
	size_t len, found;
	int all;
	agent_session_fn fn;
	void *arg;
	char **seen;       /* -a: the distinct ids so far */
	size_t nseen;
	int err;
};

static int
sid_line(const char *line, size_t len, off_t off, int truncated, void *arg)
{
	struct sid *s = arg;
	char id[128];
	size_t n;
	(void)off;
	(void)truncated;

	if ((n = agent_session_in_line(s->d, line, len, id, sizeof id)) == 0)
		return 0;
	if (!s->all) {
		snprintf(s->buf, s->len, "%s", id);
		s->found = n;
		return 1;
	}
	/* -a: each distinct id once, in order of appearance; a log holds a
	 * handful, so a list is enough */
	for (size_t i = s->nseen; i-- > 0;)
		if (strcmp(id, s->seen[i]) == 0)
			return 0;
	char **v = reallocarray(s->seen, s->nseen + 1, sizeof *v);
	if (v == NULL || (v[s->nseen] = strdup(id)) == NULL) {
		if (v)
			s->seen = v;
		s->err = errno;
		return -1;
	}
	s->seen = v;
	s->nseen++;
	return s->fn(id, s->arg);
}

int
agent_input_session(struct agent_input *in, off_t limit, char *buf, size_t len)
{
	struct sid s = { in->dialect, buf, len, 0, 0, NULL, NULL, NULL, 0, 0 };
	int r = agent_log_lines(in->log, 0, limit, AGENT_INPUT_MAXLINE,
	    AGENT_LOG_PARTIAL, sid_line, &s, NULL);
	if (r < 0)
		return -1;
	return s.found > 0;
}

int
agent_input_sessions(struct agent_input *in, agent_session_fn fn, void *arg)
{
	struct sid s = { in->dialect, NULL, 0, 0, 1, fn, arg, NULL, 0, 0 };
	int r = agent_log_lines(in->log, 0, -1, AGENT_INPUT_MAXLINE,
	    AGENT_LOG_PARTIAL, sid_line, &s, NULL);

	for (size_t i = 0; i < s.nseen; i++)
		free(s.seen[i]);
	free(s.seen);
	if (s.err)
		errno = s.err;
	return r;
}

static int
sum_event(const struct agent_event *e, void *arg)
{
	agent_summary_add(arg, e);
	return 0;
}

/* CPU progress: the run's processes (or the log's writers) used at least
 * CPU_WORK_SHARE of a CPU over a moment.  Asked only when output has been
 * idle too long. */
static int
cpu_progress(struct agent_input *in, const pid_t *pids, int npids)
{
	struct timespec ts = { 0, CPU_SAMPLE_MS * 1000000L };
	long long a, b;

	a = in->run ? agent_run_cpu_ticks(in->run) : agent_proc_cpu_ticks(pids, npids);
	if (a < 0)
		return -1;
	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
	b = in->run ? agent_run_cpu_ticks(in->run) : agent_proc_cpu_ticks(pids, npids);
	if (b < 0)
		return -1;
	long hz = sysconf(_SC_CLK_TCK);
	return (double)(b - a) >= CPU_WORK_SHARE * (hz > 0 ? hz : 100) * CPU_SAMPLE_MS / 1000.0;
}

int
agent_input_state(struct agent_input *in, const struct agent_input_opts *o,
    struct agent_summary *sum, struct agent_facts *f, enum agent_state *st)
{
	const struct agent_dialect_info *di = agent_dialect_info(in->dialect);
	struct agent_run_exit ex;
	pid_t pids[64];
	int npids = 0, flags = 0, r;
	off_t from;
	double t = agent_now();

	agent_summary_init(sum);
	memset(f, 0, sizeof *f);
	f->sum = sum;
	f->has_done = di ? di->has_done : 0;
	f->needs_answer = di ? di->answer_only : 0;
	f->cpu_progress = -1;
	f->stuck_after = o->stuck_after;
	f->idle = -1;

	/* liveness first: a run that ended has a complete last line */
	if (in->run != NULL) {
		if ((r = agent_run_alive(in->run)) < 0)
			return -1;
		f->live = r ? AGENT_LIVE_ALIVE : AGENT_LIVE_ENDED;
		if ((r = agent_run_exit(in->run, &ex)) < 0)
			return -1;
		if (r > 0) {
			f->exit_known = 1;
			f->exit_status = ex.status;
			f->signaled = ex.signal > 0;
			f->killed = ex.killed;
			if (ex.pid_ended >= 0)
				f->outlived = ex.ended - ex.pid_ended;
		} else if (!f->live || f->live == AGENT_LIVE_ENDED) {
			/* the supervisor died without its record: whatever
			 * still writes to the log tells if the agent lives */
			npids = agent_log_writers(agent_run_log(in->run), pids, 64);
			if (npids > 0)
				f->live = AGENT_LIVE_ALIVE;
			/* and agent-kill's marker, if it stopped the rest */
			else if ((r = agent_run_marked_killed(in->run)) < 0)
				return -1;
			else
				f->killed = r;
		}
		/* when agent-kill marked it, also while it is stopping it */
		if ((f->killed_at = agent_run_killed_at(in->run)) < 0)
			return -1;
	} else if (o->exit_known) {
		f->live = AGENT_LIVE_ENDED;
		f->exit_known = 1;
		f->exit_status = o->exit_status;
	} else if (strcmp(agent_log_path(in->log), "-") == 0) {
		f->live = AGENT_LIVE_UNKNOWN;
	} else {
		npids = agent_log_writers(agent_log_path(in->log), pids, 64);
		f->live = npids > 0 ? AGENT_LIVE_ALIVE :
		    npids == 0 ? AGENT_LIVE_ENDED : AGENT_LIVE_UNKNOWN;
	}
	/* then the size: what an ended run wrote is all there now (sized
	 * first, a log could grow and its writer go before liveness is
	 * asked, and be read whole in the dialect of the empty log) */
	if (agent_log_refresh(in->log) < 0)
		return -1;
	f->size = agent_log_size(in->log);
	/* a run opened before it printed anything: recognise it now */
	if (in->guessed && in->dialect == AGENT_D_GENERIC && f->size > 0) {
		if (guess(in) < 0)
			return -1;
		di = agent_dialect_info(in->dialect);
		f->has_done = di ? di->has_done : 0;
		f->needs_answer = di ? di->answer_only : 0;
	}

	if (f->live != AGENT_LIVE_ALIVE)
		flags |= AGENT_LOG_PARTIAL;

	/* the head for the session id, the end for the last events */
	if (agent_input_session(in, AGENT_DIALECT_HEAD, sum->session, sizeof sum->session) < 0)
		return -1;
	{
		char keep[sizeof sum->session];
		memcpy(keep, sum->session, sizeof keep);
		if ((from = agent_log_tail_offset(in->log, TAIL_LINES_FIRST, TAIL_BYTES)) < 0)
			return -1;
		if (agent_input_events(in, from, -1, flags, sum_event, sum) < 0)
			return -1;
		if (sum->terminal == AGENT_EV_NONE && from > 0) {
			agent_summary_init(sum);
			if ((from = agent_log_tail_offset(in->log, TAIL_LINES, TAIL_BYTES)) < 0)
				return -1;
			if (agent_input_events(in, from, -1, flags, sum_event, sum) < 0)
				return -1;
		}
		if (keep[0])
			memcpy(sum->session, keep, sizeof keep);
		in->tail_from = from;
	}

	if (agent_log_mtime(in->log) >= 0)
		f->idle = t - agent_log_mtime(in->log);
	/* "resets in N seconds" on a line without a time of its own: counted
	 * from the log's last write, which a limit that ended the run is */
	if (sum->resets_at < 0 && sum->resets_in >= 0 && agent_log_mtime(in->log) >= 0)
		sum->resets_at = agent_log_mtime(in->log) + sum->resets_in;
	if (f->size == 0 && in->run != NULL)
		f->idle = t - agent_run_started(in->run);
	if (f->idle < 0 && f->idle != -1)
		f->idle = 0;
	if (f->live == AGENT_LIVE_ALIVE && sum->terminal == AGENT_EV_NONE &&
	    f->idle >= (o->stuck_after > 0 ? o->stuck_after : AGENT_STUCK_AFTER))
		f->cpu_progress = cpu_progress(in, pids, npids);

	*st = agent_state_classify(f);
	return 0;
}

int
agent_input_usage(struct agent_input *in, const struct agent_summary *sum,
    struct agent_usage *u)
{
	struct agent_summary head;
	struct agent_usage h;

	agent_usage_of(sum, u);
	if (agent_dialect_usage(in->dialect) != AGENT_USAGE_STEP || in->tail_from <= 0)
		return 0;
	/* the steps before the end: read from the start for their figures
	 * (the end began at a line, so no step is counted twice) */
	agent_summary_init(&head);
	if (agent_input_events(in, 0, in->tail_from, 0, sum_event, &head) < 0)
		return -1;
	agent_usage_of(&head, &h);
	agent_usage_add(u, &h);
	return 0;
}

/* Waiting for a change without polling: the log growing or being closed
 * by a writer, and (for a run) a record appearing in its directory. */
int
agent_input_wait(struct agent_input *in, int timeout_ms)
{
	struct pollfd pfd[2];
	char buf[4096] __attribute__((aligned(__alignof__(struct inotify_event))));
	int fd, r;

	if (strcmp(agent_log_path(in->log), "-") == 0) {
		errno = ESPIPE;
		return -1;
	}
	if (in->wfd < 0) {
		if ((fd = inotify_init1(IN_CLOEXEC | IN_NONBLOCK)) < 0)
			return -1;
		if (inotify_add_watch(fd, agent_log_path(in->log), IN_MODIFY |
		    IN_CLOSE_WRITE | IN_ATTRIB | IN_MOVE_SELF | IN_DELETE_SELF) < 0 ||
		    (in->run && inotify_add_watch(fd, agent_run_path(in->run),
		    IN_CREATE | IN_MOVED_TO | IN_DELETE | IN_CLOSE_WRITE) < 0)) {
			r = errno;
			close(fd);
			errno = r;
			return -1;
		}
		in->wfd = fd;
		return 1;  /* armed: the caller looks again before waiting */
	}
	pfd[0].fd = in->wfd;
	pfd[0].events = POLLIN;
	pfd[1].fd = in->hupfd;
	pfd[1].events = POLLIN;
	r = poll(pfd, in->hupfd >= 0 ? 2 : 1, timeout_ms);
	if (r > 0 && in->hupfd >= 0 && pfd[1].revents) {
		/* its end (or an error) is the news; what it carries is not */
		ssize_t k = read(in->hupfd, buf, sizeof buf);
		if (k == 0 || (k < 0 && errno != EAGAIN && errno != EINTR)) {
			errno = EPIPE;
			return -1;
		}
	}
	if (r > 0 && pfd[0].revents)
		while (read(in->wfd, buf, sizeof buf) > 0)
			;
	return r < 0 ? -1 : r > 0;
}

const char *
agent_input_strerror(int e)
{
	switch (e) {
	case ENOENT: return "no such run or log file";
	case ENOTUNIQ: return "run id prefix is ambiguous";
	case EISDIR: return "is a directory, not a run directory";
	case ESPIPE: return "not a regular file (give a pipe or a FIFO on standard input)";
	default: return strerror(e);
	}
}
