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

#endif
