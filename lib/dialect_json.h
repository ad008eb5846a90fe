/* dialect_json.h — inside the library only: the parser state and helpers
 * the JSON dialect modules (claude, codex, gemini, opencode) share. */
#ifndef AGENT_DIALECT_JSON_H
#define AGENT_DIALECT_JSON_H
#include <stddef.h>
#include "jscan.h"
#include "dialect_int.h"

/* Text a parser holds between lines is capped: joined deltas, a
 * pretty-printed object.  Past the cap it is cut (deltas) or dropped. */
#define AGENT__JSON_HOLD_MAX (4u << 20)
/* Tool calls remembered between their start and end lines. */
#define AGENT__JSON_CALLS_MAX 512

/* A byte buffer that grows up to a cap. */
struct agent__buf {
	char *p;
	size_t len, cap;
};

/* What a tool call's start said, for its end event. */
struct agent__call {
	char *id, *tool, *title, *path;
	enum agent_tool_kind kind;
};

struct agent__arena_blk;

/* One state for every JSON dialect; each uses the parts it needs. */
struct agent__jp {
	enum agent_dialect d;
	struct agent__js js;            /* the current line's tokens */
	char session[80];               /* current session id, "" none */
	char model[128];                /* last model announced, "" none */
	agent_event_fn fn;              /* set for the duration of one line */
	void *arg;
	long lineno;
	struct agent__arena_blk *arena; /* strings of the current line's events */
	struct agent__call *calls;
	size_t ncalls;
	/* claude */
	int interrupted;                /* "[Request interrupted by user" seen */
	int rate_limited;               /* an assistant line said error rate_limit */
	/* gemini stream: assistant deltas being joined */
	struct agent__buf delta;
	double delta_ts;
	long delta_line;                /* line of the first delta */
	int delta_cut;
	/* gemini json: the pretty-printed object being gathered */
	struct agent__buf obj;
	int in_obj;
};

/* State and parsing */
void *agent__jp_new(enum agent_dialect);
void agent__jp_free(void *);
/* Parses one line as a JSON object (strict; trailing bytes after a whole
 * object, as when stderr text follows an unterminated last line, are cut
 * off).  NULL: not JSON or not an object.  The tokens live until the
 * next parse of st. */
struct agent__jt *agent__jp_parse(struct agent__jp *, const char *s, size_t len);
/* A line that is one JSON array (claude's json format with --verbose). */
struct agent__jt *agent__jp_parse_array(struct agent__jp *, const char *s, size_t len);
/* Starts a line: remembers fn/arg/lineno, frees the last line's strings. */
void agent__jp_begin(struct agent__jp *, long lineno, agent_event_fn, void *);

/* Events */
void agent__ev_init(struct agent__jp *, struct agent_event *);
/* Hands e over with .line (unless set) and .session filled in. */
int agent__emit(struct agent__jp *, struct agent_event *);
/* Emits SESSION when id (a valid id for the dialect) differs from the
 * current one, and makes it current.  Invalid ids are ignored. */
int agent__session_seen(struct agent__jp *, const char *id);

/* Emits MODEL when model differs from the last one announced. */
int agent__model_seen(struct agent__jp *, const char *model);

/* Strings that live until the next line */
char *agent__strndup(struct agent__jp *, const char *, size_t);
char *agent__strdup(struct agent__jp *, const char *);
/* The first non-empty line of s, without CR, at most 1000 bytes (cut at a
 * UTF-8 boundary); NULL when s is NULL or blank. */
const char *agent__first_line(struct agent__jp *, const char *s);
/* A plain-text line without ANSI escapes and surrounding blanks (agents
 * colour stderr even when it is not a terminal). */
const char *agent__plain(struct agent__jp *, const char *s, size_t len);

/* JSON access: NULL / 0 when absent or of another type */
struct agent__jt *agent__jget(struct agent__jt *, const char *key);
const char *agent__jstr(struct agent__jt *, const char *key);
int agent__jint(struct agent__jt *, const char *key, long long *out);
int agent__jnum(struct agent__jt *, const char *key, double *out);
int agent__jbool(struct agent__jt *, const char *key);    /* -1 absent */
/* The first string among keys (NULL-terminated list). */
const char *agent__jstr_any(struct agent__jt *, const char *const *keys);

/* Tool calls */
enum agent_tool_kind agent__tool_kind(const char *name);
/* Fills .tkind, .path and .title of e from the tool's name and input. */
void agent__tool_describe(struct agent__jp *, struct agent_event *e,
                          const char *name, struct agent__jt *input);
void agent__call_put(struct agent__jp *, const struct agent_event *);
/* Fills tool, title, path, kind of e from the remembered start of its
 * call_id (when e lacks them) and forgets the call. */
void agent__call_take(struct agent__jp *, struct agent_event *);
/* The command inside "/bin/bash -lc '<cmd>'" (codex wraps every one). */
const char *agent__unwrap_shell(struct agent__jp *, const char *cmd);

/* Errors */
int agent__is_limit(const char *text, int http_status);
int agent__http_status(const char *text);   /* -1 none */
/* Makes e an ERROR or, for a usage/rate limit, a LIMIT, with .text, .title
 * and .http_status (from text when status < 0). */
void agent__error_event(struct agent__jp *, struct agent_event *e,
                        const char *text, int http_status, int final);

/* Time: "2026-11-23T19:42:25.846Z" to seconds since the epoch, -1 bad. */
double agent__iso_time(const char *);

/* Buffers */
int agent__buf_add(struct agent__buf *, const char *, size_t, size_t max);
void agent__buf_free(struct agent__buf *);

/* Session ids */
int agent__valid_uuid(const char *s, size_t len);
int agent__valid_ses(const char *s, size_t len);
/* The value of "key": "<id>" in line when valid(); 0 none. */
size_t agent__session_key(const char *line, size_t len, const char *key,
                          int (*valid)(const char *, size_t),
                          char *buf, size_t buflen);

#endif
