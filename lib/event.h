/* event.h — the normalized event: one schema for every agent's output, and
 * its NDJSON and one-line summary forms. */
#ifndef AGENT_EVENT_H
#define AGENT_EVENT_H
#include <stdio.h>
#include <limits.h>

enum agent_ev_kind {
	AGENT_EV_NONE = 0,
	AGENT_EV_SESSION,   /* the agent announced its session id (.session) */
	AGENT_EV_MODEL,     /* model / agent name announced (.model, .title = agent name) */
	AGENT_EV_STEP,      /* a model turn or step began or ended: progress only */
	AGENT_EV_TEXT,      /* assistant text (.text whole, .title its first line) */
	AGENT_EV_TOOL,      /* a tool call, see .status */
	AGENT_EV_DONE,      /* the agent's own completion signal (.final = 1) */
	AGENT_EV_ERROR,     /* an error; .final = 1 when it ended the run/turn,
	                       0 for retry notices and warnings */
	AGENT_EV_LIMIT,     /* usage or rate limit (.final = 1 when it ended the run) */
	AGENT_EV_INTERRUPT, /* the agent itself says it was interrupted (.final = 1) */
	AGENT_EV_UNKNOWN,   /* a line of a type its dialect does not know (format
	                       drift): .unknown (and .title) names it; it is not
	                       read, and weighs nothing in the verdict */
	AGENT_EV__MAX
};

enum agent_tool_status {
	AGENT_TOOL_NONE = 0,
	AGENT_TOOL_PENDING,
	AGENT_TOOL_RUNNING,    /* started, not finished */
	AGENT_TOOL_COMPLETED,
	AGENT_TOOL_ERROR,      /* the tool failed; the run usually goes on */
};

/* What a tool does, whatever the agent calls it: drives the "→ Read",
 * "$ cmd", "← Write" summary and agent-tail --files. */
enum agent_tool_kind {
	AGENT_TK_OTHER = 0,
	AGENT_TK_READ,     /* .path read */
	AGENT_TK_WRITE,    /* .path created / overwritten */
	AGENT_TK_EDIT,     /* .path modified (edit, patch update) */
	AGENT_TK_DELETE,   /* .path deleted */
	AGENT_TK_SHELL,    /* .title the command */
	AGENT_TK_SEARCH,   /* glob / grep / list: .title the pattern or dir */
	AGENT_TK_FETCH,    /* web fetch / search: .title the url or query */
	AGENT_TK_TASK,     /* sub-agent / task */
	AGENT_TK_TODO,     /* todo list update */
};

/* The longest name of something unknown in an event's .unknown, with its
 * NUL: a parser cuts the names it makes to fit. */
#define AGENT_UNKNOWN_NAME 64

/* One event.  Every string is borrowed: valid only during the callback that
 * hands the event over; NULL when unknown.  Numbers are -1 when unknown. */
struct agent_event {
	enum agent_ev_kind kind;
	enum agent_tool_status status;   /* TOOL */
	enum agent_tool_kind tkind;      /* TOOL */
	int final;                       /* DONE/ERROR/LIMIT/INTERRUPT ended the turn */
	const char *session;             /* session id, on any event that carries it */
	const char *model;
	const char *tool;                /* the agent's own tool name: "Read", "bash" */
	const char *call_id;             /* pairs a tool's start and end */
	const char *path;                /* file a tool reads / writes / edits */
	const char *title;               /* one-line description: command, path, first text line */
	const char *text;                /* full text: assistant text, error message, tool output */
	double ts;                       /* seconds since the epoch, -1 unknown */
	long long tokens_in, tokens_out; /* as the agent reported them, -1 unknown */
	double cost;                     /* USD, -1 unknown */
	int exit_code;                   /* a shell tool's exit code, -1 unknown */
	int http_status;                 /* an API error's HTTP status, -1 unknown */
	double resets_at;                /* LIMIT: when the agent said the limit
	                                    resets, seconds since the epoch, -1
	                                    unknown (set by the agent's file in
	                                    lib/dialect/ from its own wording) */
	double resets_in;                /* LIMIT: the limit resets this many
	                                    seconds after the line was written
	                                    ("try again in 5m", Retry-After),
	                                    -1 unknown; the reader makes it
	                                    resets_at from .ts, else from when
	                                    the log was last written */
	long line;                       /* 1-based line in the log, 0 unknown (set by caller) */
	const char *unknown;             /* what the line carried that its dialect
	                                    does not know (format drift), NULL
	                                    when it knows all of it: names as
	                                    agentutils(7) writes them ("TYPE",
	                                    "TYPE.FIELD=VALUE", "TYPE.FIELD"
	                                    for a field it needs and lacks),
	                                    several joined by ',' */
};

/* Sets every field to its "unknown" value. */
void agent_event_init(struct agent_event *);

/* Callback through which parsers hand events over; non-zero stops parsing
 * and is returned by the parser. */
typedef int (*agent_event_fn)(const struct agent_event *, void *arg);

const char *agent_ev_kind_name(enum agent_ev_kind);       /* "tool" */
const char *agent_tool_status_name(enum agent_tool_status); /* "completed" */
const char *agent_tool_kind_name(enum agent_tool_kind);   /* "read" */

/* Writes the event as one NDJSON line (with '\n').  -1 on a write error. */
int agent_event_write_json(FILE *, const struct agent_event *);

/* Writes the one-line summary ("→ Read path", "$ cmd", "✗ Read path failed",
 * first line of text, "error: …") with control characters made visible,
 * ending in '\n'.  Returns 0 when the event has no summary line (nothing was
 * written), 1 when a line was written, -1 on a write error.  width > 0 cuts
 * the line to at most that many columns. */
int agent_event_write_line(FILE *, const struct agent_event *, int width);

/* Summary lines for a stream of events, each tool shown once: at its start,
 * and again at its end only if it failed or its start was not seen. */
struct agent_liner;
struct agent_liner *agent_liner_new(void);   /* NULL: ENOMEM */
void agent_liner_free(struct agent_liner *);
int agent_liner_write(struct agent_liner *, FILE *, const struct agent_event *, int width);

#endif
