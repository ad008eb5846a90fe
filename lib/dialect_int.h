/* dialect_int.h — inside the library only: the operations each dialect
 * module provides to dialect.c, which holds the table and dispatches. */
#ifndef AGENT_DIALECT_INT_H
#define AGENT_DIALECT_INT_H
#include <stddef.h>
#include "dialect.h"

struct agent_dialect_ops {
	/* Per-parser state; may return a non-NULL dummy.  NULL: ENOMEM. */
	void *(*new)(enum agent_dialect);
	void (*free)(void *st);
	/* One line (no '\n'), events to fn, lineno to each event's .line. */
	int (*line)(void *st, const char *line, size_t len, long lineno,
	            agent_event_fn fn, void *arg);
	/* End of input: flush what is held back.  May be NULL. */
	int (*end)(void *st, agent_event_fn fn, void *arg);
	/* Session id in one line, without parser state: length copied, 0 none. */
	size_t (*session)(const char *line, size_t len, char *buf, size_t buflen);
	/* The lines will start inside the log, not at its head.  May be NULL. */
	void (*mid)(void *st);
};

/* dialect_json.c */
extern const struct agent_dialect_ops agent__opencode_json_ops;
extern const struct agent_dialect_ops agent__claude_ops;        /* stream-json and json */
extern const struct agent_dialect_ops agent__codex_json_ops;
extern const struct agent_dialect_ops agent__gemini_stream_ops;
extern const struct agent_dialect_ops agent__gemini_json_ops;   /* pretty-printed object */
/* dialect_text.c */
extern const struct agent_dialect_ops agent__opencode_text_ops;
extern const struct agent_dialect_ops agent__omo_ops;
extern const struct agent_dialect_ops agent__codex_text_ops;
extern const struct agent_dialect_ops agent__plain_ops;         /* claude/gemini text, generic */

/* dialect_text.c: the text dialect one line's markers point to, GENERIC
 * when none; *strong is set when the marker alone settles it. */
enum agent_dialect agent__text_detect_line(const char *line, size_t len, int *strong);

#endif
