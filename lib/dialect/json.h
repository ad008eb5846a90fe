/* json.h — inside the library only: the JSON toolkit of the agent files.
 * The parser state every JSON dialect embeds, strict line parsing (lib/
 * jscan.c), strings that live for one line, field access, tool calls
 * remembered between their start and end, and the events they make. */
#ifndef AGENT_DIALECT_JSON_H
#define AGENT_DIALECT_JSON_H
#include <stddef.h>
#include "buf.h"
#include "jscan.h"
#include "parsers.h"
#include "timestamp.h"

/* Text a parser holds between lines is capped: joined deltas, a
 * pretty-printed object.  Past the cap it is cut (deltas) or dropped. */
#define AGENT__JSON_HOLD_MAX (4u << 20)
/* Tool calls remembered between their start and end lines. */
#define AGENT__JSON_CALLS_MAX 512

struct agent__json_call;
struct agent__json_arena;

/* The state every JSON dialect's parser starts with (its first member):
 * an agent file adds what its own format needs after it. */
struct agent__json {
	enum agent_dialect d;
	int (*valid_id)(const char *, size_t);  /* the agent's session id shape */
	struct agent__jdoc doc;         /* the current line's tokens */
	char session[80];               /* current session id, "" none */
	char model[128];                /* last model announced, "" none */
	agent_event_fn fn;              /* set for the duration of one line */
	void *arg;
	long lineno;
	struct agent__json_arena *arena; /* strings of the current line's events */
	struct agent__json_call *calls;
	size_t ncalls;
	/* Format drift: the names the dialect knows (agent__json_knows),
	 * set by its new(); NULL checks nothing.  What the current line
	 * carried that is not among them, ','-joined. */
	const char *const *known;
	char unknown[4 * AGENT_UNKNOWN_NAME];
	size_t unknown_len;
	size_t unknown_told;            /* how much of it an event carried */
};

/* A parser of size bytes (a struct whose first member is struct
 * agent__json), zeroed; NULL: ENOMEM.  agent__json_free frees one whose
 * own members need no freeing. */
void *agent__json_new(size_t size, enum agent_dialect, int (*valid_id)(const char *, size_t));
void agent__json_fini(struct agent__json *);
void agent__json_free(void *);
/* Starts a line: remembers fn/arg/lineno, frees the last line's strings. */
void agent__json_begin(struct agent__json *, long lineno, agent_event_fn, void *);
/* The line as one JSON object (strict; bytes after a whole object, as when
 * stderr text follows an unterminated last line, are cut off; an object
 * glued behind text that lacked its newline is found).  NULL: not JSON or
 * not an object.  The tokens live until the next parse. */
struct agent__jval *agent__json_object(struct agent__json *, const char *s, size_t len);
/* The line as one JSON array (claude's json format with --verbose). */
struct agent__jval *agent__json_array(struct agent__json *, const char *s, size_t len);

/* A JSON dialect's line as most are read: a JSON object goes to obj (with
 * st, a parser whose first member is the struct agent__json), any other
 * line to the agent's stderr wording.  0 or the callback's value. */
int agent__json_line(void *st, const char *line, size_t len, long lineno,
                     agent_event_fn fn, void *arg,
                     int (*obj)(void *st, struct agent__jval *), agent__says_fn says);

/* Events */
/* Hands e over with .line (unless set) and .session filled in. */
int agent__json_emit(struct agent__json *, struct agent_event *);
/* Emits SESSION when id (valid for the agent) differs from the current
 * one, and makes it current.  Invalid ids are ignored. */
int agent__json_session(struct agent__json *, const char *id);
/* Emits MODEL when model differs from the last one announced. */
int agent__json_model(struct agent__json *, const char *model);
/* Makes e an ERROR or LIMIT (lib/dialect/errors.c) with .text, and .title
 * its first line. */
void agent__json_error(struct agent__json *, struct agent_event *e,
                       const char *text, int http_status, int final);
/* A plain-text line (what agents print beside their JSON) as a final or
 * retry ERROR when the agent's stderr wording says so: 0 or the
 * callback's value. */
int agent__json_stderr(struct agent__json *, const char *line, size_t len,
                       agent__says_fn says);

/* Format drift.  Each JSON dialect lists, in its own file, what it knows:
 * a NULL-terminated list of names, "TYPE" for a line type it reads and
 * "TYPE.FIELD=VALUE" for each value it knows of a field its reading
 * depends on (a result's subtype, a block's type; FIELD may be a path,
 * "event.type").  Its parser asks as it reads, before it emits what the
 * answer bears on; what the list lacks is noted (a field it needs that is
 * missing as "TYPE.FIELD"), the line's events from then on carry the
 * names (.unknown), and a line whose events did not carry all of them
 * gives an UNKNOWN event at its end. */
/* Whether the dialect knows type (field NULL), or value as the field of
 * a line of type: 0 when not, noted.  A NULL value is a missing field:
 * noted as "TYPE.FIELD".  A NULL type is a line without one: "(untyped)".
 * 1 always when the dialect has no list. */
int agent__json_knows(struct agent__json *, const char *type, const char *field,
                      const char *value);
/* Ends a line read by the dialect itself (agent__json_line does it): the
 * UNKNOWN event of a line that noted something no event carried.  0 or
 * the callback's value. */
int agent__json_line_end(struct agent__json *);

/* A message's content as one string of the line: a plain string, or a
 * content array's text joined by newlines: each block's "text" and each
 * string (Claude Code's format, which Qwen Code copies), or with
 * only_text only the blocks of type "text" (pi's).  NULL when none. */
const char *agent__content_text(struct agent__json *, struct agent__jval *content, int only_text);

/* Claude Code's result line, whose shape Qwen Code and Droid's -o json
 * copy: whether it ends the run done (is_error false, or missing with
 * subtype "success"; a subtype "error…" never does, whatever is_error
 * says).  What the answer rests on is asked of the dialect's list
 * (result.subtype, and result.is_error when missing). */
int agent__json_result_done(struct agent__json *, struct agent__jval *result);
/* A block of an assistant message other than its text, in Claude Code's
 * format (which Qwen Code copies), as e: a tool_use is the tool's start
 * (remembered for its result), a thinking (or redacted_thinking) block a
 * step "thinking", any other a step named by its type. */
void agent__json_block(struct agent__json *, struct agent_event *e,
                       struct agent__jval *blk, const char *type);
/* A usage object's input_tokens and output_tokens into e (Claude Code,
 * Qwen Code, Codex, Gemini CLI and Droid all name them so). */
void agent__json_tokens(struct agent__jval *usage, struct agent_event *e);
/* Emits the final INTERRUPT that a plain line t, the agent's word that
 * it was stopped, makes: t its text and title. */
int agent__json_interrupt(struct agent__json *, const char *t);

/* Strings that live until the next line */
char *agent__json_strndup(struct agent__json *, const char *, size_t);
char *agent__json_strdup(struct agent__json *, const char *);
/* The first non-empty line of s, without CR, at most 1000 bytes (cut at a
 * UTF-8 boundary); NULL when s is NULL or blank. */
const char *agent__first_line(struct agent__json *, const char *s);
/* A plain-text line without escape sequences and surrounding white space
 * (agents colour stderr even when it is not a terminal). */
const char *agent__json_plain(struct agent__json *, const char *s, size_t len);

/* Field access: NULL / 0 when absent or of another type */
struct agent__jval *agent__jget(struct agent__jval *, const char *key);
const char *agent__jstr(struct agent__jval *, const char *key);
int agent__jint(struct agent__jval *, const char *key, long long *out);
int agent__jnum(struct agent__jval *, const char *key, double *out);
int agent__jbool(struct agent__jval *, const char *key);    /* -1 absent */
/* The first non-empty string among keys (NULL-terminated list). */
const char *agent__jstr_any(struct agent__jval *, const char *const *keys);

/* Tool calls */
/* Fills .tool, .tkind, .path and .title of e from the tool's name and its
 * JSON input (lib/dialect/tools.c). */
void agent__json_tool(struct agent__json *, struct agent_event *e,
                      const char *name, struct agent__jval *input);
void agent__json_call_put(struct agent__json *, const struct agent_event *);
/* Fills tool, title, path, kind of e from the remembered start of its
 * call_id (when e lacks them) and forgets the call. */
void agent__json_call_take(struct agent__json *, struct agent_event *);
/* The command inside "/bin/bash -lc '<cmd>'" (codex wraps every one). */
const char *agent__unwrap_shell(struct agent__json *, const char *cmd);


/* Session ids */
int agent__valid_uuid(const char *s, size_t len);
/* The value of "key": "<id>" in line when valid(); 0 none. */
size_t agent__session_key(const char *line, size_t len, const char *key,
                          int (*valid)(const char *, size_t),
                          char *buf, size_t buflen);

/* Detection: a head line that is (or starts like) a JSON object. */
struct agent__jhead {
	struct agent__jval *obj;  /* the whole object; NULL when the head's
	                             end cut it: then read from the text */
	const char *s;
	size_t n;
};
/* Whether the object has key at its top level. */
int agent__jhead_has(const struct agent__jhead *, const char *key);
/* "type"'s string value, "" none (of a cut line: only when it comes
 * first, as every JSON agent writes it). */
const char *agent__jhead_type(const struct agent__jhead *, char *buf, size_t len);
/* Whether key's string value is value (of a cut line: whether the text
 * holds "key":"value"). */
int agent__jhead_is(const struct agent__jhead *, const char *key, const char *value);

#endif
