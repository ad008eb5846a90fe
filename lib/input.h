/* input.h — what every reader tool takes: a run id, a run directory, a plain
 * log file or standard input, resolved once into one source. */
#ifndef AGENT_INPUT_H
#define AGENT_INPUT_H
#include "log.h"
#include "run.h"
#include "dialect.h"
#include "state.h"

struct agent_input {
	struct agent_run *run;     /* NULL for a plain log or stdin */
	struct agent_log *log;
	enum agent_dialect dialect;
	int guessed;               /* dialect recognised from the head, not given */
	int wfd;                   /* inotify descriptor of agent_input_wait, or -1 */
	off_t tail_from;           /* where agent_input_state's read of the end began */
	int hupfd;                 /* agent_input_wait also ends, EPIPE, when this
	                              descriptor (nonblocking) reaches its end; -1 */
	const char *name;          /* what the user typed, for messages */
};

/* Resolves arg (NULL or "-": stdin; an existing file; a run directory; a
 * run id / prefix / "@"), opens the log and settles the dialect (the run's
 * record, force >= 0, or detection from the head).  -1 with errno, and
 * *what set to a short description for the message. */
int agent_input_open(struct agent_input *, const char *arg, int force_dialect,
                     const char **what);
void agent_input_close(struct agent_input *);

/* Options that decide the state of a plain log. */
struct agent_input_opts {
	int exit_known, exit_status; /* --exit N */
	double stuck_after;           /* --stuck-after */
};

/* Reads what is needed (the head for the session id, the end for the last
 * events; all of it from a pipe), weighs liveness and the exit record, and
 * classifies.  sum and facts are filled for -v/-j.  -1 with errno on I/O error. */
int agent_input_state(struct agent_input *, const struct agent_input_opts *,
                      struct agent_summary *sum, struct agent_facts *facts,
                      enum agent_state *st);

/* Tokens and cost as the log reports them, from the summary
 * agent_input_state filled: for an agent that reports each step on its own
 * (agent_dialect_usage AGENT_USAGE_STEP), the steps before the end it read
 * are added, so the figures are the whole log's.  -1 with errno on I/O
 * error. */
struct agent_usage;
int agent_input_usage(struct agent_input *, const struct agent_summary *,
                      struct agent_usage *);

/* Message for an agent_input_open failure: "no such run or log file". */
const char *agent_input_strerror(int e);

/* Longest line handed to a parser; longer ones are cut (and so not parsed
 * as JSON).  Memory use follows this, not the log size. */
#define AGENT_INPUT_MAXLINE (2 * 1024 * 1024)

/* Parses the lines starting in [from, to) (to < 0: to the end) with a fresh
 * parser of the input's dialect.  flags as agent_log_lines; with
 * AGENT_LOG_PARTIAL the parser is also flushed at the end. */
int agent_input_events(struct agent_input *, off_t from, off_t to, int flags,
                       agent_event_fn fn, void *arg);

/* The same with a parser the caller keeps (agent-tail -f feeds it as the
 * log grows): *lineno counts lines across calls, *next as agent_log_lines. */
int agent_input_parse(struct agent_input *, struct agent_parser *, long *lineno,
                      off_t from, off_t to, int flags, agent_event_fn fn,
                      void *arg, off_t *next);

/* The first session id, reading from the start up to limit bytes (< 0: all):
 * 1 found (copied to buf), 0 none, -1 error. */
int agent_input_session(struct agent_input *, off_t limit, char *buf, size_t len);

/* Every distinct session id in order of appearance (a repeat of the one just
 * seen is skipped); fn's non-zero return stops and is returned. */
typedef int (*agent_session_fn)(const char *id, void *arg);
int agent_input_sessions(struct agent_input *, agent_session_fn fn, void *arg);

/* Blocks until the log or the run directory changes (inotify) or timeout_ms
 * passes: 1 changed, 0 timeout, -1 error (EINTR on a signal; EPIPE when
 * hupfd reached its end: a tool on another host whose caller is gone).  The first
 * call arms the watches and returns 1 at once, so that a change between
 * the caller's last look and the arming is never missed: re-read the
 * state after every return. */
int agent_input_wait(struct agent_input *, int timeout_ms);

#endif
