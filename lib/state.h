/* state.h — where a run stands, in one word.  The classifier is a pure
 * function of what was seen in the log and how the process ended. */
#ifndef AGENT_STATE_H
#define AGENT_STATE_H
#include <stddef.h>
#include "event.h"

enum agent_state {
	AGENT_ST_STARTING = 0, /* spawned, no output yet */
	AGENT_ST_RUNNING,      /* alive and making progress */
	AGENT_ST_STUCK,        /* alive, no output and no CPU for the threshold */
	AGENT_ST_COMPLETED,    /* the agent's completion signal (or clean exit 0
	                          where the format has none) */
	AGENT_ST_CUTOFF,       /* ended without completing and without an error */
	AGENT_ST_FAILED,       /* ended with an error */
	AGENT_ST_LIMITED,      /* ended on a usage or rate limit */
	AGENT_ST__MAX
};

const char *agent_state_name(enum agent_state);  /* "cut-off" */
int agent_state_lookup(const char *name);          /* -1 when unknown */
int agent_state_exit(enum agent_state);            /* AGENT_EXIT_* */
int agent_state_final(enum agent_state);           /* completed/cut-off/failed/limited */

/* Distinct unknown names (event .unknown) a summary keeps. */
#define AGENT_SUMMARY_UNKNOWN 8

/* What the events of a log add up to.  Fed event by event, in order. */
struct agent_summary {
	long events;                 /* events seen */
	long lines;                  /* lines seen (set by the caller) */
	enum agent_ev_kind last;     /* kind of the last event */
	enum agent_ev_kind terminal; /* kind of the last .final event, NONE if none
	                                or if work went on after it */
	int open_tools;              /* tools started and not yet finished */
	int tool_errors, errors;     /* failed tools; non-final error events */
	int pending_error;           /* a non-final error not yet followed by
	                                text or a successful tool */
	int step_tokens, step_costs; /* tokens/cost came per step: add them up */
	int http_status;             /* last API error status, -1 */
	char session[96];            /* first session id seen */
	char model[96];
	char last_tool[256];         /* "Bash sleep 60": the last tool call, for -v and resume */
	enum agent_tool_status last_tool_status;
	char last_error[256];        /* message of the last error event */
	long long tokens_in, tokens_out; /* last reported (cumulative where the agent sums) */
	double cost;                 /* USD, -1 unknown */
	double last_ts;              /* timestamp of the last event that had one, -1 */
	double terminal_ts;          /* timestamp of the terminal event, -1 none */
	double resets_at;            /* when the last limit said it resets, -1 */
	double resets_in;            /* or, when it said only "in N seconds" and
	                                the line had no time: N (the reader
	                                counts from the log's last write), -1 */
	/* Format drift: the distinct names of what the lines carried that
	 * their dialect does not know (event .unknown), in order of
	 * appearance; past the cap they are only counted as more. */
	char unknown[AGENT_SUMMARY_UNKNOWN][AGENT_UNKNOWN_NAME];
	int nunknown;
	int unknown_more;            /* names past the cap were seen */
};
void agent_summary_init(struct agent_summary *);
void agent_summary_add(struct agent_summary *, const struct agent_event *);

enum agent_live {
	AGENT_LIVE_UNKNOWN = 0,  /* nobody can tell (stdin): content and exit decide */
	AGENT_LIVE_ALIVE,        /* a process of the run still runs / writes the log */
	AGENT_LIVE_ENDED,
};

/* Everything the classifier weighs. */
struct agent_facts {
	const struct agent_summary *sum;
	int has_done;         /* the dialect has a completion signal (agent_dialect_info) */
	long long size;       /* bytes of output so far */
	enum agent_live live;
	int exit_known;       /* 1: exit_status below is known */
	int exit_status;      /* as $? reports it: 0..255, 128+N after signal N */
	int signaled;         /* 1: a wait status said "killed by a signal" (run
	                         records); 0: only a number (may be 145 from gemini) */
	int killed;           /* stopped on request (agent-kill) */
	double killed_at;     /* when agent-kill marked it (seconds since the
	                         epoch; also while it is stopping it), <= 0
	                         not marked or unknown */
	int needs_answer;     /* the format's content is the answer (gemini -p
	                         text): output without an event is no answer */
	double idle;          /* seconds since the log last grew, -1 unknown */
	int cpu_progress;     /* 1 the run's processes were working (a quarter of
	                         a CPU or more, sampled once idle), 0 they were
	                         not, -1 unknown */
	double stuck_after;   /* seconds; <= 0 uses AGENT_STUCK_AFTER */
	double outlived;      /* seconds the run's other processes went on
	                         after the agent's own one ended (a launcher's
	                         child), from the exit record; <= 0 none or
	                         unknown */
};
#define AGENT_STUCK_AFTER 300.0

enum agent_state agent_state_classify(const struct agent_facts *);

/* One line of evidence for the verdict ("no completion signal; exit 143
 * (SIGTERM)"), for agent-state -v: writes at most len bytes to buf. */
void agent_state_reason(const struct agent_facts *, enum agent_state,
                        char *buf, size_t len);

#endif
