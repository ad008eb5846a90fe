/* parsers.h — inside the library only: what each agent's file gives the
 * dialect table in lib/dialect.c: its parsers, its detection cues and its
 * stderr wording.  One file per agent in lib/dialect/ holds all of that
 * agent's formats. */
#ifndef AGENT_DIALECT_PARSERS_H
#define AGENT_DIALECT_PARSERS_H
#include <stddef.h>
#include "dialect.h"

struct agent__jhead;

/* A dialect's parser. */
struct agent_dialect_ops {
	/* Per-parser state.  NULL: ENOMEM, or EINVAL when the agent's
	 * patterns do not compile. */
	void *(*new)(enum agent_dialect);
	void (*free)(void *st);
	/* One line (no '\n'), events to fn, lineno to each event's .line. */
	int (*line)(void *st, const char *line, size_t len, long lineno,
	            agent_event_fn fn, void *arg);
	/* End of input: flush what is held back.  May be NULL. */
	int (*end)(void *st, agent_event_fn fn, void *arg);
	/* Session id in one line, without parser state: length copied, 0 none.
	 * May be NULL in a JSON format whose id is the value of one key: then
	 * session_key names it and session_id says what an id looks like.
	 * Both NULL: the format names no session. */
	size_t (*session)(const char *line, size_t len, char *buf, size_t buflen);
	const char *session_key;
	int (*session_id)(const char *, size_t);
	/* The lines will start inside the log, not at its head.  May be NULL. */
	void (*mid)(void *st);
	/* When the limit a LIMIT event's text reports resets, in the agent's
	 * own wording of a clock time, said at ref (seconds since the epoch):
	 * -1 when it does not say.  May be NULL.  A delay ("try again in
	 * 20s") is read for every agent (agent__resets_in), and what a line
	 * carries in fields of its own the agent's parser sets itself. */
	double (*resets)(const char *text, double ref);
	/* How the format reports tokens and cost (dialect.h). */
	enum agent_usage_kind usage;
};

/* One non-blank line of a log's head, as the detection cues see it. */
struct agent__cue {
	const char *raw;              /* as written (no CR, no '\n') */
	size_t rawlen;
	const char *text;             /* escape sequences removed */
	size_t len;
	const char *prev;             /* the non-blank line before, trimmed ("" none) */
	size_t prevlen;
	const struct agent__jhead *json; /* a line that starts with '{': its
	                                    object, NULL when it is none */
	int first_json;               /* no '{' line came before it */
};

/* What every agent's cues make of one text line (lib/dialect.c). */
enum agent_dialect agent__detect_text_line(const char *line, size_t len, int *strong);

/* An agent's cues: the dialect the line names, GENERIC when none; *strong
 * is set when it alone settles it (else the first weak cue of the head
 * wins, when no strong one follows). */
typedef enum agent_dialect (*agent__cue_fn)(const struct agent__cue *, int *strong);

/* What a line an agent prints beside its output says (its stderr: fatal
 * CLI errors, retry notices), as that agent's file knows the wording. */
enum agent__says {
	AGENT__SAYS_NOTHING = 0,
	AGENT__SAYS_FATAL,          /* the run ends with this error */
	AGENT__SAYS_NOTICE,         /* an error the run goes on after: a retry,
	                               a refused permission */
};
/* line: escapes removed and trimmed.  as: the dialect reading it (one of
 * the agent's own, or GENERIC: then only wording that cannot be anything
 * else counts).  On a hit *msg and *len are set to the message (a prefix
 * or a dump after it left out). */
typedef enum agent__says (*agent__says_fn)(const char *line, enum agent_dialect as,
                                           const char **msg, size_t *len);

/* claude.c */
extern const struct agent_dialect_ops agent__claude_json_ops;   /* stream-json and json */
extern const struct agent_dialect_ops agent__claude_text_ops;
enum agent_dialect agent__claude_cue(const struct agent__cue *, int *strong);
enum agent__says agent__claude_says(const char *, enum agent_dialect, const char **, size_t *);
/* codex.c */
extern const struct agent_dialect_ops agent__codex_json_ops;
extern const struct agent_dialect_ops agent__codex_text_ops;
enum agent_dialect agent__codex_cue(const struct agent__cue *, int *strong);
enum agent__says agent__codex_says(const char *, enum agent_dialect, const char **, size_t *);
size_t agent__codex_text_session(const char *line, size_t len, char *buf, size_t buflen);
/* gemini.c */
extern const struct agent_dialect_ops agent__gemini_stream_ops;
extern const struct agent_dialect_ops agent__gemini_json_ops;   /* pretty-printed object */
extern const struct agent_dialect_ops agent__gemini_text_ops;
enum agent_dialect agent__gemini_cue(const struct agent__cue *, int *strong);
enum agent__says agent__gemini_says(const char *, enum agent_dialect, const char **, size_t *);
/* opencode.c */
extern const struct agent_dialect_ops agent__opencode_json_ops;
extern const struct agent_dialect_ops agent__opencode_text_ops;
enum agent_dialect agent__opencode_cue(const struct agent__cue *, int *strong);
enum agent__says agent__opencode_says(const char *, enum agent_dialect, const char **, size_t *);
/* omo.c */
extern const struct agent_dialect_ops agent__omo_ops;
enum agent_dialect agent__omo_cue(const struct agent__cue *, int *strong);
enum agent__says agent__omo_says(const char *, enum agent_dialect, const char **, size_t *);
size_t agent__omo_session(const char *line, size_t len, char *buf, size_t buflen);
/* pi.c */
extern const struct agent_dialect_ops agent__pi_json_ops;
extern const struct agent_dialect_ops agent__pi_text_ops;
enum agent_dialect agent__pi_cue(const struct agent__cue *, int *strong);
enum agent__says agent__pi_says(const char *, enum agent_dialect, const char **, size_t *);
/* cline.c */
extern const struct agent_dialect_ops agent__cline_json_ops;
extern const struct agent_dialect_ops agent__cline_text_ops;
enum agent_dialect agent__cline_cue(const struct agent__cue *, int *strong);
enum agent__says agent__cline_says(const char *, enum agent_dialect, const char **, size_t *);
/* copilot.c */
extern const struct agent_dialect_ops agent__copilot_json_ops;
extern const struct agent_dialect_ops agent__copilot_text_ops;
enum agent_dialect agent__copilot_cue(const struct agent__cue *, int *strong);
enum agent__says agent__copilot_says(const char *, enum agent_dialect, const char **, size_t *);
/* qwen.c */
extern const struct agent_dialect_ops agent__qwen_json_ops;   /* stream-json and json */
extern const struct agent_dialect_ops agent__qwen_text_ops;
enum agent_dialect agent__qwen_cue(const struct agent__cue *, int *strong);
enum agent__says agent__qwen_says(const char *, enum agent_dialect, const char **, size_t *);
/* droid.c */
extern const struct agent_dialect_ops agent__droid_json_ops;    /* stream-json and json */
extern const struct agent_dialect_ops agent__droid_text_ops;
enum agent_dialect agent__droid_cue(const struct agent__cue *, int *strong);
enum agent__says agent__droid_says(const char *, enum agent_dialect, const char **, size_t *);
/* kilo.c: opencode's formats (opencode.h) with Kilo's wording */
extern const struct agent_dialect_ops agent__kilo_json_ops;
extern const struct agent_dialect_ops agent__kilo_text_ops;
enum agent_dialect agent__kilo_cue(const struct agent__cue *, int *strong);
enum agent__says agent__kilo_says(const char *, enum agent_dialect, const char **, size_t *);
/* generic.c: a log no agent's cue names (also claude -p's bare answer) */
extern const struct agent_dialect_ops agent__generic_ops;

#endif
