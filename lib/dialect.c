/* dialect.c — the dialect table, telling which agent wrote a log from its
 * head, and the parser handle that dispatches lines to a dialect's ops. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <json-c/json.h>
#include "dialect_int.h"

/* How much of a log's head detection looks at. */
#define HEAD_BYTES (64u << 10)
#define HEAD_LINES 200

static const struct row {
	struct agent_dialect_info info;
	const struct agent_dialect_ops *ops;
} rows[AGENT_D__MAX] = {
	/*                 id                     name             agent       done sess answer */
	[AGENT_D_GENERIC]       = { { AGENT_D_GENERIC,       "generic",       "generic",  0, 1, 0 }, &agent__plain_ops },
	[AGENT_D_OPENCODE_TEXT] = { { AGENT_D_OPENCODE_TEXT, "opencode-text", "opencode", 0, 0, 0 }, &agent__opencode_text_ops },
	[AGENT_D_OPENCODE_JSON] = { { AGENT_D_OPENCODE_JSON, "opencode-json", "opencode", 1, 1, 0 }, &agent__opencode_json_ops },
	[AGENT_D_OMO]           = { { AGENT_D_OMO,           "omo",           "omo",      1, 1, 0 }, &agent__omo_ops },
	[AGENT_D_CLAUDE_STREAM] = { { AGENT_D_CLAUDE_STREAM, "claude-stream", "claude",   1, 1, 0 }, &agent__claude_ops },
	[AGENT_D_CLAUDE_JSON]   = { { AGENT_D_CLAUDE_JSON,   "claude-json",   "claude",   1, 1, 0 }, &agent__claude_ops },
	[AGENT_D_CLAUDE_TEXT]   = { { AGENT_D_CLAUDE_TEXT,   "claude-text",   "claude",   0, 0, 0 }, &agent__plain_ops },
	[AGENT_D_CODEX_JSON]    = { { AGENT_D_CODEX_JSON,    "codex-json",    "codex",    1, 1, 0 }, &agent__codex_json_ops },
	[AGENT_D_CODEX_TEXT]    = { { AGENT_D_CODEX_TEXT,    "codex-text",    "codex",    1, 1, 0 }, &agent__codex_text_ops },
	[AGENT_D_GEMINI_STREAM] = { { AGENT_D_GEMINI_STREAM, "gemini-stream", "gemini",   1, 1, 0 }, &agent__gemini_stream_ops },
	[AGENT_D_GEMINI_JSON]   = { { AGENT_D_GEMINI_JSON,   "gemini-json",   "gemini",   1, 1, 0 }, &agent__gemini_json_ops },
	[AGENT_D_GEMINI_TEXT]   = { { AGENT_D_GEMINI_TEXT,   "gemini-text",   "gemini",   0, 0, 1 }, &agent__plain_ops },
};

/* An agent preset's name gives the dialect its preset runs it in. */
static const struct {
	const char *agent;
	enum agent_dialect d;
} defaults[] = {
	{ "opencode", AGENT_D_OPENCODE_JSON },
	{ "omo", AGENT_D_OMO },
	{ "oh-my-opencode", AGENT_D_OMO },
	{ "claude", AGENT_D_CLAUDE_STREAM },
	{ "codex", AGENT_D_CODEX_JSON },
	{ "gemini", AGENT_D_GEMINI_STREAM },
};

const struct agent_dialect_info *
agent_dialect_info(enum agent_dialect d)
{
	if ((unsigned)d >= AGENT_D__MAX)
		return NULL;
	return &rows[d].info;
}

int
agent_dialect_lookup(const char *name)
{
	if (!name)
		return -1;
	for (int i = 0; i < AGENT_D__MAX; i++)
		if (strcmp(name, rows[i].info.name) == 0)
			return i;
	for (size_t i = 0; i < sizeof defaults / sizeof defaults[0]; i++)
		if (strcmp(name, defaults[i].agent) == 0)
			return (int)defaults[i].d;
	return -1;
}

/* ---- detection ---------------------------------------------------------- */

/* The first JSON object's top-level fields, from json-c when the line
 * parses, else (a line cut by the head's size limit) from its text. */
struct shape {
	char type[40];
	char subtype[24];
	int session_id, sessionID, sessionId, success, timestamp, response;
};

static void
shape_from_text(struct shape *sh, const char *s, size_t n)
{
	/* Every JSON agent writes "type" first when it writes one. */
	static const char k[] = "{\"type\":\"";
	if (n > sizeof k - 1 && memcmp(s, k, sizeof k - 1) == 0) {
		const char *v = s + sizeof k - 1, *e = memchr(v, '"', n - (sizeof k - 1));
		if (e && (size_t)(e - v) < sizeof sh->type) {
			memcpy(sh->type, v, (size_t)(e - v));
			sh->type[e - v] = '\0';
		}
	}
	if (memmem(s, n, "\"subtype\":\"init\"", 16))
		strcpy(sh->subtype, "init");
	sh->session_id = memmem(s, n, "\"session_id\"", 12) != NULL;
	sh->sessionID = memmem(s, n, "\"sessionID\"", 11) != NULL;
	sh->sessionId = memmem(s, n, "\"sessionId\"", 11) != NULL;
	sh->success = memmem(s, n, "\"success\"", 9) != NULL;
	sh->timestamp = memmem(s, n, "\"timestamp\"", 11) != NULL;
	sh->response = memmem(s, n, "\"response\"", 10) != NULL;
}

static void
copy_str(char *dst, size_t cap, json_object *o, const char *key)
{
	json_object *v;
	if (json_object_object_get_ex(o, key, &v) && json_object_is_type(v, json_type_string)) {
		const char *s = json_object_get_string(v);
		size_t n = strlen(s);
		if (n < cap) {
			memcpy(dst, s, n + 1);
			return;
		}
	}
	dst[0] = '\0';
}

/* 0: not a JSON object at all. */
static int
shape_of(struct shape *sh, const char *s, size_t n)
{
	memset(sh, 0, sizeof *sh);
	json_tokener *tok = json_tokener_new();
	if (!tok)
		return 0;
	json_object *o = json_tokener_parse_ex(tok, s, (int)(n > HEAD_BYTES ? HEAD_BYTES : n));
	enum json_tokener_error err = json_tokener_get_error(tok);
	json_tokener_free(tok);
	if (o && json_object_is_type(o, json_type_object)) {
		copy_str(sh->type, sizeof sh->type, o, "type");
		copy_str(sh->subtype, sizeof sh->subtype, o, "subtype");
		sh->session_id = json_object_object_get_ex(o, "session_id", NULL);
		sh->sessionID = json_object_object_get_ex(o, "sessionID", NULL);
		sh->sessionId = json_object_object_get_ex(o, "sessionId", NULL);
		sh->success = json_object_object_get_ex(o, "success", NULL);
		sh->timestamp = json_object_object_get_ex(o, "timestamp", NULL);
		sh->response = json_object_object_get_ex(o, "response", NULL);
		json_object_put(o);
		return 1;
	}
	json_object_put(o);
	if (err == json_tokener_continue) {
		/* Cut off by the head's end: judge by what is there. */
		shape_from_text(sh, s, n);
		return 1;
	}
	return 0;
}

static int
type_is(const struct shape *sh, const char *const *names)
{
	for (; *names; names++)
		if (strcmp(sh->type, *names) == 0)
			return 1;
	return 0;
}

/* The dialect a JSON line's shape names, GENERIC when it names none.
 * first: no JSON object came before it. */
static enum agent_dialect
json_dialect(const char *s, size_t n, int first)
{
	static const char *const opencode[] = {
		"step_start", "text", "tool_use", "step_finish", "error", "reasoning", NULL,
	};
	static const char *const claude[] = { "system", "assistant", "user", "stream_event", NULL };
	static const char *const gemini[] = { "init", "message", "tool_use", "tool_result", "result", NULL };
	struct shape sh;

	if (!shape_of(&sh, s, n))
		return AGENT_D_GENERIC;
	if (sh.sessionId && sh.success)
		return AGENT_D_OMO;
	if (sh.sessionID && type_is(&sh, opencode))
		return AGENT_D_OPENCODE_JSON;
	if (strcmp(sh.type, "system") == 0 && strcmp(sh.subtype, "init") == 0)
		return AGENT_D_CLAUDE_STREAM;
	if (sh.session_id && type_is(&sh, claude))
		return AGENT_D_CLAUDE_STREAM;
	if (strcmp(sh.type, "result") == 0 && sh.session_id)
		return first ? AGENT_D_CLAUDE_JSON : AGENT_D_CLAUDE_STREAM;
	if (strcmp(sh.type, "thread.started") == 0 || strcmp(sh.type, "turn.started") == 0 ||
	    strcmp(sh.type, "turn.completed") == 0 || strcmp(sh.type, "turn.failed") == 0 ||
	    strncmp(sh.type, "item.", 5) == 0)
		return AGENT_D_CODEX_JSON;
	if (strcmp(sh.type, "init") == 0 || (sh.timestamp && !sh.sessionID && type_is(&sh, gemini)))
		return AGENT_D_GEMINI_STREAM;
	if (!sh.type[0] && sh.session_id && sh.response)
		return AGENT_D_GEMINI_JSON;   /* the object on one line */
	return AGENT_D_GENERIC;
}

static int
is_blank(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] != ' ' && s[i] != '\t')
			return 0;
	return 1;
}

enum agent_dialect
agent_dialect_detect(const char *head, size_t len)
{
	enum agent_dialect weak = AGENT_D_GENERIC, d;
	int first_json = 1, open_brace = 0, strong;

	if (!head)
		return AGENT_D_GENERIC;
	if (len > HEAD_BYTES)
		len = HEAD_BYTES;
	for (size_t i = 0, lines = 0; i < len && lines < HEAD_LINES; lines++) {
		const char *s = head + i, *nl = memchr(s, '\n', len - i);
		size_t n = nl ? (size_t)(nl - s) : len - i;
		i += n + (nl != NULL);
		if (n > 0 && s[n - 1] == '\r')
			n--;
		if (is_blank(s, n))
			continue;
		size_t k = 0;
		while (k < n && (s[k] == ' ' || s[k] == '\t'))
			k++;
		if (open_brace) {
			/* gemini --output-format json: a pretty-printed object
			 * whose first key is the session id. */
			open_brace = 0;
			if (n - k > 12 && memcmp(s + k, "\"session_id\"", 12) == 0)
				return AGENT_D_GEMINI_JSON;
		}
		if (n - k == 1 && s[k] == '{') {
			open_brace = 1;
			continue;
		}
		if (s[k] == '{') {
			if ((d = json_dialect(s + k, n - k, first_json)) != AGENT_D_GENERIC)
				return d;
			first_json = 0;
			continue;
		}
		d = agent__text_detect_line(s, n, &strong);
		if (d == AGENT_D_GENERIC)
			continue;
		if (strong)
			return d;
		if (weak == AGENT_D_GENERIC)
			weak = d;
	}
	return weak;
}

/* ---- parsers ---------------------------------------------------------- */

struct agent_parser {
	enum agent_dialect d;
	const struct agent_dialect_ops *ops;
	void *st;
};

struct agent_parser *
agent_parser_new(enum agent_dialect d)
{
	if ((unsigned)d >= AGENT_D__MAX) {
		errno = EINVAL;
		return NULL;
	}
	struct agent_parser *p = malloc(sizeof *p);
	if (!p)
		return NULL;
	p->d = d;
	p->ops = rows[d].ops;
	if ((p->st = p->ops->new(d)) == NULL) {
		free(p);
		errno = ENOMEM;
		return NULL;
	}
	return p;
}

void
agent_parser_free(struct agent_parser *p)
{
	if (!p)
		return;
	p->ops->free(p->st);
	free(p);
}

enum agent_dialect
agent_parser_dialect(const struct agent_parser *p)
{
	return p ? p->d : AGENT_D_GENERIC;
}

int
agent_parser_line(struct agent_parser *p, const char *line, size_t len, long lineno,
                  agent_event_fn fn, void *arg)
{
	if (!p || !fn)
		return 0;
	if (!line) {
		line = "";
		len = 0;
	}
	return p->ops->line(p->st, line, len, lineno, fn, arg);
}

void
agent_parser_mid(struct agent_parser *p)
{
	if (p && p->ops->mid)
		p->ops->mid(p->st);
}

int
agent_parser_end(struct agent_parser *p, agent_event_fn fn, void *arg)
{
	if (!p || !fn || !p->ops->end)
		return 0;
	return p->ops->end(p->st, fn, arg);
}

size_t
agent_session_in_line(enum agent_dialect d, const char *line, size_t len, char *buf, size_t buflen)
{
	if ((unsigned)d >= AGENT_D__MAX || !line || !buf || buflen == 0)
		return 0;
	if (d != AGENT_D_GENERIC)
		return rows[d].ops->session(line, len, buf, buflen);
	/* Not knowing the dialect, any agent's marker will do. */
	for (int i = 0; i < AGENT_D__MAX; i++) {
		int seen = 0;
		for (int j = 0; j < i; j++)
			seen |= rows[j].ops == rows[i].ops;
		size_t n;
		if (!seen && (n = rows[i].ops->session(line, len, buf, buflen)) > 0)
			return n;
	}
	return 0;
}
