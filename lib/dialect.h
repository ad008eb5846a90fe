/* dialect.h — recognising which agent wrote a log and turning its lines
 * into normalized events.  One table lists every dialect and its traits. */
#ifndef AGENT_DIALECT_H
#define AGENT_DIALECT_H
#include <stddef.h>
#include "event.h"

enum agent_dialect {
	AGENT_D_GENERIC = 0,
	AGENT_D_OPENCODE_TEXT,   /* opencode run (default format) */
	AGENT_D_OPENCODE_JSON,   /* opencode run --format json */
	AGENT_D_OMO,             /* oh-my-opencode run (timestamps, --no-timestamp, --verbose) */
	AGENT_D_CLAUDE_STREAM,   /* claude -p --output-format stream-json --verbose */
	AGENT_D_CLAUDE_JSON,     /* claude -p --output-format json */
	AGENT_D_CLAUDE_TEXT,     /* claude -p (final text only) */
	AGENT_D_CODEX_JSON,      /* codex exec --json */
	AGENT_D_CODEX_TEXT,      /* codex exec */
	AGENT_D_GEMINI_STREAM,   /* gemini -p --output-format stream-json */
	AGENT_D_GEMINI_JSON,     /* gemini -p --output-format json */
	AGENT_D_GEMINI_TEXT,     /* gemini -p (text) */
	AGENT_D_PI_JSON,         /* pi --mode json */
	AGENT_D_PI_TEXT,         /* pi -p (the answer alone) */
	AGENT_D_CLINE_JSON,      /* cline --json */
	AGENT_D_CLINE_TEXT,      /* cline (the transcript) */
	AGENT_D_COPILOT_JSON,    /* copilot -p --output-format json */
	AGENT_D_COPILOT_TEXT,    /* copilot -p (text, with its stats footer) */
	AGENT_D_QWEN_STREAM,     /* qwen --output-format stream-json */
	AGENT_D_QWEN_JSON,       /* qwen --output-format json (one array) */
	AGENT_D_QWEN_TEXT,       /* qwen (text: the answer alone) */
	AGENT_D_DROID_STREAM,    /* droid exec -o stream-json */
	AGENT_D_DROID_JSON,      /* droid exec -o json */
	AGENT_D_DROID_TEXT,      /* droid exec (text) */
	AGENT_D_KILO_JSON,       /* kilo run --format json (opencode's format) */
	AGENT_D_KILO_TEXT,       /* kilo run (opencode's transcript) */
	AGENT_D__MAX
};

/* The table row for a dialect. */
struct agent_dialect_info {
	enum agent_dialect id;
	const char *name;        /* "claude-stream": used in run records, -j output, options */
	const char *agent;       /* "claude": the agent CLI that writes it */
	int has_done;            /* the format has an explicit completion signal */
	int has_session;         /* the format can carry a session id */
	int answer_only;         /* its content is the answer alone (gemini -p
	                            text): output without an event is none */
};
const struct agent_dialect_info *agent_dialect_info(enum agent_dialect);
/* By name ("claude-stream") or agent preset name ("claude" gives its
 * default dialect); -1 when unknown. */
int agent_dialect_lookup(const char *name);

/* How an agent reports the tokens and cost it used (the one rule of each
 * agent's file in lib/dialect/, read by agent_input_usage and
 * agent_usage_fold). */
enum agent_usage_kind {
	AGENT_USAGE_NONE = 0,  /* not said: taken as RUN */
	AGENT_USAGE_STEP,      /* each step its own (opencode step_finish):
	                          added up over the whole log */
	AGENT_USAGE_RUN,       /* the run's running total (Claude Code's result:
	                          the process's spend): the last one is the run's */
	AGENT_USAGE_SESSION,   /* the session's running total, the runs it
	                          resumes included (Codex's turn.completed): the
	                          last one, less what the resumed run had reached */
};
enum agent_usage_kind agent_dialect_usage(enum agent_dialect);

/* How much of a log's head detection reads: a caller reads no more. */
#define AGENT_DIALECT_HEAD (64u << 10)

/* Guesses the dialect from the first bytes of a log (the head: up to the
 * first AGENT_DIALECT_HEAD bytes or 200 lines).  GENERIC when nothing
 * matches. */
enum agent_dialect agent_dialect_detect(const char *head, size_t len);

/* A line parser: holds what a dialect must remember between lines (the
 * tool a call id names, streamed text being joined, the JSON tokener). */
struct agent_parser;
struct agent_parser *agent_parser_new(enum agent_dialect);   /* NULL: ENOMEM */
void agent_parser_free(struct agent_parser *);
enum agent_dialect agent_parser_dialect(const struct agent_parser *);
/* Feeds one line (no '\n'; may hold NULs, invalid UTF-8, escapes) and hands
 * the events it yields to fn.  lineno is stored in each event's .line.
 * Returns 0, or the callback's non-zero value.  Never fails on bad input:
 * a line it cannot read yields no event (or a TEXT event for generic). */
int agent_parser_line(struct agent_parser *, const char *line, size_t len,
                      long lineno, agent_event_fn fn, void *arg);
/* Says that the lines fed next start inside the log (a tail read), where
 * the parser cannot know what section it is in: it then trusts less of
 * what it sees before the first line that places it (codex text: an
 * "ERROR:" line there may be a command's output).  Before the first line. */
void agent_parser_mid(struct agent_parser *);
/* The time the lines were written (the log's mtime), seconds since the
 * epoch: what a limit's reset is read against when the agent gives it as
 * a clock time ("resets 3pm", "try again at 12:44 PM") on a line with no
 * time of its own.  Without it (the default, or < 0) such a reset stays
 * unknown (.resets_at -1). */
void agent_parser_clock(struct agent_parser *, double when);
/* Called at the end of input: flushes anything held back (joined deltas,
 * a multi-line JSON object). */
int agent_parser_end(struct agent_parser *, agent_event_fn fn, void *arg);

/* Session id in one line of any dialect (JSON field or text marker):
 * copies it to buf and returns its length, 0 when the line has none.
 * Used to find the id with a head read only. */
size_t agent_session_in_line(enum agent_dialect, const char *line, size_t len,
                             char *buf, size_t buflen);

#endif
