/* text.h — inside the library only: the text toolkit of the agent files.
 * The state every text dialect's parser embeds (the line without escape
 * sequences, pieces of it that live until the next line, match data),
 * string helpers, and the events a text line makes. */
#ifndef AGENT_DIALECT_TEXT_H
#define AGENT_DIALECT_TEXT_H
#include <stddef.h>
#include "buf.h"
#include "parsers.h"
#include "rx.h"

/* Longest line looked at; the rest of a longer line is cut off, so a
 * runaway line costs bounded memory. */
#define AGENT__TEXT_LINE_MAX (1u << 20)

/* What every text parser keeps (its first member). */
struct agent__text {
	enum agent_dialect d;
	struct agent__buf ln;   /* the line being parsed, escapes removed */
	struct agent__buf aux;  /* NUL-terminated pieces of it for events */
	pcre2_match_data *md;
	size_t dim;             /* see agent__strip_escapes */
	int raw_esc;            /* the raw line held an escape sequence */
	long lineno;
};

/* A parser of size bytes whose first member is struct agent__text, with
 * the pattern set it needs compiled; NULL: ENOMEM or EINVAL (a pattern
 * does not compile).  agent__text_free frees one whose own members need
 * no freeing. */
void *agent__text_new(size_t size, enum agent_dialect, struct agent__rxset *);
void agent__text_fini(struct agent__text *);
void agent__text_free(void *);
/* Starts a line: the raw bytes without escapes into c->ln. */
void agent__text_begin(struct agent__text *, const char *raw, size_t n, long lineno);
/* Starts a line (agent__text_begin) and gives it without blanks at either
 * end, as a piece; NULL when it is blank: it says nothing. */
const char *agent__text_start(struct agent__text *, const char *raw, size_t n, long lineno);
/* Puts line in c->ln as if it had come whole (a line joined from pieces):
 * its old buffer is handed back in *line. */
void agent__text_swap(struct agent__text *, struct agent__buf *line);

/* Copies s[0:n] to out (n+1 bytes) without escape sequences, NUL bytes and
 * a trailing CR; returns the length written.  *dim receives the output
 * offset of the first SGR 2 (dim), which opencode puts between a tool's
 * title and its description; SIZE_MAX when none. */
size_t agent__strip_escapes(char *out, const char *s, size_t n, size_t *dim);

/* Pieces: NUL-terminated copies that live until the next line. */
const char *agent__text_piece(struct agent__text *, const char *s, size_t n);
/* s without blanks at either end, as a piece. */
const char *agent__text_trimmed(struct agent__text *, const char *s);

int agent__starts(const char *s, const char *prefix);
/* s after prefix, NULL when s does not start with it. */
const char *agent__after(const char *s, const char *prefix);
int agent__blank(const char *s);                    /* only spaces and tabs */
size_t agent__rtrim_len(const char *s, size_t n);   /* n without trailing blanks */
const char *agent__skip_blanks(const char *s);

/* Events (each returns 0 or the callback's value) */
int agent__text_emit(struct agent_event *, long line, agent_event_fn, void *);
/* ERROR or LIMIT (lib/dialect/errors.c), .title and .text msg. */
int agent__text_error(struct agent__text *, const char *msg, int final,
                      agent_event_fn, void *);
/* An event of kind k with .title and .text; DONE and INTERRUPT are final. */
int agent__text_simple(struct agent__text *, enum agent_ev_kind k, const char *title,
                       agent_event_fn, void *);
int agent__text_session(struct agent__text *, const char *id, agent_event_fn, void *);
/* TEXT, unless text is empty. */
int agent__text_say(struct agent__text *, const char *text, agent_event_fn, void *);
/* What says() makes of line t, as an error event: *hit 1 when it was one. */
int agent__text_stderr(struct agent__text *, const char *t, agent__says_fn says,
                       int *hit, agent_event_fn, void *);
/* A format that prints the answer alone, but for the lines the agent's
 * stderr wording names (claude -p, droid exec): its parser, and its line,
 * blank or that wording's error or text. */
void *agent__text_answer_new(enum agent_dialect);
int agent__text_answer_line(struct agent__text *, const char *raw, size_t n, long lineno,
                            agent__says_fn says, agent_event_fn, void *);

/* Group 1 of pattern i of set in line (escapes removed) into buf: its
 * length, 0 none.  For session finders, which keep no state. */
size_t agent__text_session_rx(struct agent__rxset *, int i, const char *line, size_t len,
                              char *buf, size_t buflen);

#endif
