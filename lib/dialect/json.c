/* json.c — the JSON toolkit of the agent files: parser state, strict line
 * parsing, per-line strings, field access, remembered tool calls, events. */
#include <ctype.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "json.h"
#include "rules.h"
#include "text.h"

/* What a tool call's start said, for its end event. */
struct agent__json_call {
	char *id, *tool, *title, *path;
	enum agent_tool_kind kind;
};

struct agent__json_arena {
	struct agent__json_arena *next;
	size_t len, cap;
	char data[];
};

void *
agent__json_new(size_t size, enum agent_dialect d, int (*valid_id)(const char *, size_t))
{
	struct agent__json *j = calloc(1, size);

	if (j == NULL)
		return NULL;
	j->d = d;
	j->valid_id = valid_id;
	return j;
}

static void
arena_free(struct agent__json *j)
{
	struct agent__json_arena *b, *next;

	for (b = j->arena; b != NULL; b = next) {
		next = b->next;
		free(b);
	}
	j->arena = NULL;
}

static void
call_free(struct agent__json_call *c)
{
	free(c->id);
	free(c->tool);
	free(c->title);
	free(c->path);
}

void
agent__json_fini(struct agent__json *j)
{
	size_t i;

	agent__jdoc_free(&j->doc);
	arena_free(j);
	for (i = 0; i < j->ncalls; i++)
		call_free(&j->calls[i]);
	free(j->calls);
	j->calls = NULL;
	j->ncalls = 0;
}

void
agent__json_free(void *v)
{
	if (v == NULL)
		return;
	agent__json_fini(v);
	free(v);
}

void
agent__json_begin(struct agent__json *j, long lineno, agent_event_fn fn, void *arg)
{
	/* the last line's strings go; its first block stays for this one */
	if (j->arena != NULL) {
		struct agent__json_arena *keep = j->arena;

		while (keep->next != NULL)
			keep = keep->next;
		for (struct agent__json_arena *b = j->arena, *next; b != keep; b = next) {
			next = b->next;
			free(b);
		}
		keep->len = 0;
		j->arena = keep;
	}
	j->lineno = lineno;
	j->fn = fn;
	j->arg = arg;
	j->unknown_len = 0;
	j->unknown[0] = '\0';
	j->unknown_told = 0;
}

static size_t
skip_blanks(const char *s, size_t i, size_t len)
{
	while (i < len && (s[i] == ' ' || s[i] == '\t'))
		i++;
	return i;
}

struct agent__jval *
agent__json_object(struct agent__json *j, const char *s, size_t len)
{
	struct agent__jval *o;
	size_t i = skip_blanks(s, 0, len);

	if (i < len && s[i] == '[')
		return NULL;
	if (i < len && s[i] != '{') {
		/* An event glued behind text that lacked its newline. */
		const char *p = memmem(s + i, len - i, "{\"type\":", 8);

		if (p == NULL)
			return NULL;
		i = (size_t)(p - s);
	}
	if (i >= len)
		return NULL;
	o = agent__jdoc_parse(&j->doc, s + i, len - i, NULL);
	return agent__jval_is(o, AGENT__JV_OBJECT) ? o : NULL;
}

struct agent__jval *
agent__json_array(struct agent__json *j, const char *s, size_t len)
{
	struct agent__jval *o;
	size_t i = skip_blanks(s, 0, len);

	if (i >= len || s[i] != '[')
		return NULL;
	o = agent__jdoc_parse(&j->doc, s + i, len - i, NULL);
	return agent__jval_is(o, AGENT__JV_ARRAY) ? o : NULL;
}

int
agent__json_line(void *st, const char *line, size_t len, long lineno,
                 agent_event_fn fn, void *arg,
                 int (*obj)(void *st, struct agent__jval *), agent__says_fn says)
{
	struct agent__json *j = st;
	struct agent__jval *o;
	int r;

	agent__json_begin(j, lineno, fn, arg);
	if ((o = agent__json_object(j, line, len)) == NULL)
		return agent__json_stderr(j, line, len, says);
	if ((r = obj(st, o)) != 0)
		return r;
	return agent__json_line_end(j);
}

/* ---- format drift ----------------------------------------------------- */

/* Whether a list entry is type, or type.field=value. */
static int
is_name(const char *e, const char *type, const char *field, const char *value)
{
	size_t n = strlen(type);

	if (strncmp(e, type, n) != 0)
		return 0;
	e += n;
	if (field == NULL)
		return *e == '\0';
	if (*e++ != '.')
		return 0;
	n = strlen(field);
	if (strncmp(e, field, n) != 0 || e[n] != '=')
		return 0;
	return strcmp(e + n + 1, value) == 0;
}

/* Appends s to a name being made in buf (at most AGENT_UNKNOWN_NAME - 1
 * bytes), what a log wrote made safe: printable ASCII but ',' (which
 * joins names), quotes and backslashes; anything else is '?'. */
static size_t
name_add(char *buf, size_t n, const char *s)
{
	for (; *s != '\0' && n < AGENT_UNKNOWN_NAME - 1; s++) {
		unsigned char c = (unsigned char)*s;

		buf[n++] = c > 0x20 && c < 0x7f && c != ',' && c != '"' && c != '\\'
		    ? (char)c : '?';
	}
	buf[n] = '\0';
	return n;
}

static void
note(struct agent__json *j, const char *type, const char *field, const char *value)
{
	char name[AGENT_UNKNOWN_NAME];
	size_t n = 0;
	const char *p, *end;

	if (type == NULL) {
		n = name_add(name, n, "(untyped)");
	} else {
		n = name_add(name, n, type);
		if (field != NULL) {
			n = name_add(name, n, ".");
			n = name_add(name, n, field);
			if (value != NULL) {
				n = name_add(name, n, "=");
				n = name_add(name, n, value);
			}
		}
	}
	/* once a line; names past the room are left to the next line */
	for (p = j->unknown; *p != '\0'; p = *end ? end + 1 : end) {
		end = strchr(p, ',');
		if (end == NULL)
			end = p + strlen(p);
		if ((size_t)(end - p) == n && memcmp(p, name, n) == 0)
			return;
	}
	if (j->unknown_len + (j->unknown_len > 0) + n >= sizeof j->unknown)
		return;
	if (j->unknown_len > 0)
		j->unknown[j->unknown_len++] = ',';
	memcpy(j->unknown + j->unknown_len, name, n + 1);
	j->unknown_len += n;
}

int
agent__json_knows(struct agent__json *j, const char *type, const char *field,
                  const char *value)
{
	const char *const *k;

	if (j->known == NULL)
		return 1;
	if (type != NULL && (field == NULL || value != NULL))
		for (k = j->known; *k != NULL; k++)
			if ((*k)[0] == type[0] && is_name(*k, type, field, value))
				return 1;
	note(j, type, field, value);
	return 0;
}

int
agent__json_line_end(struct agent__json *j)
{
	struct agent_event e;

	if (j->unknown_len == j->unknown_told)
		return 0;
	agent_event_init(&e);
	e.kind = AGENT_EV_UNKNOWN;
	e.title = j->unknown;
	return agent__json_emit(j, &e);
}

/* ---- strings that live until the next line ---------------------------- */

static void *
arena_alloc(struct agent__json *j, size_t n)
{
	struct agent__json_arena *b = j->arena;
	size_t cap;
	void *p;

	if (b == NULL || b->cap - b->len < n) {
		cap = n > 4000 ? n : 4000;
		b = malloc(sizeof *b + cap);
		if (b == NULL)
			return NULL;
		b->len = 0;
		b->cap = cap;
		b->next = j->arena;
		j->arena = b;
	}
	p = b->data + b->len;
	b->len += n;
	return p;
}

char *
agent__json_strndup(struct agent__json *j, const char *s, size_t n)
{
	char *p;

	if (s == NULL || n == SIZE_MAX)
		return NULL;
	p = arena_alloc(j, n + 1);
	if (p == NULL)
		return NULL;
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *
agent__json_strdup(struct agent__json *j, const char *s)
{
	return s == NULL ? NULL : agent__json_strndup(j, s, strlen(s));
}

const char *
agent__first_line(struct agent__json *j, const char *s)
{
	const char *e;
	size_t n;

	if (s == NULL)
		return NULL;
	for (;;) {
		while (*s == ' ' || *s == '\t' || *s == '\r')
			s++;
		if (*s != '\n')
			break;
		s++;
	}
	if (*s == '\0')
		return NULL;
	e = strchr(s, '\n');
	n = e != NULL ? (size_t)(e - s) : strlen(s);
	while (n > 0 && (s[n - 1] == '\r' || s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	if (n > 1000)
		n = agent__utf8_floor(s, 1000);
	return agent__json_strndup(j, s, n);
}

const char *
agent__json_plain(struct agent__json *j, const char *s, size_t len)
{
	char *out = arena_alloc(j, len + 1), *o;
	size_t dim;

	if (out == NULL)
		return "";
	o = out + agent__strip_escapes(out, s, len, &dim);
	while (o > out && isspace((unsigned char)o[-1]))
		o--;
	*o = '\0';
	while (isspace((unsigned char)*out))
		out++;
	return out;
}

/* ---- events ------------------------------------------------------------ */

int
agent__json_emit(struct agent__json *j, struct agent_event *e)
{
	if (e->line == 0)
		e->line = j->lineno;
	if (e->session == NULL && j->session[0] != '\0')
		e->session = j->session;
	if (j->unknown_len > 0 && e->unknown == NULL) {
		e->unknown = j->unknown;
		j->unknown_told = j->unknown_len;
	}
	return j->fn != NULL ? j->fn(e, j->arg) : 0;
}

int
agent__json_session(struct agent__json *j, const char *id)
{
	struct agent_event e;
	size_t n;

	if (id == NULL)
		return 0;
	/* the current one (valid when it was made current) costs a compare */
	if (strcmp(j->session, id) == 0)
		return 0;
	n = strlen(id);
	if (!j->valid_id(id, n) || n >= sizeof j->session)
		return 0;
	memcpy(j->session, id, n + 1);
	agent_event_init(&e);
	e.kind = AGENT_EV_SESSION;
	return agent__json_emit(j, &e);
}

int
agent__json_model(struct agent__json *j, const char *model)
{
	struct agent_event e;
	size_t n;

	if (model == NULL || *model == '\0' || strcmp(j->model, model) == 0)
		return 0;
	n = strlen(model);
	if (n >= sizeof j->model)
		n = sizeof j->model - 1;
	memcpy(j->model, model, n);
	j->model[n] = '\0';
	agent_event_init(&e);
	e.kind = AGENT_EV_MODEL;
	e.model = model;
	return agent__json_emit(j, &e);
}

void
agent__json_error(struct agent__json *j, struct agent_event *e,
                  const char *text, int http_status, int final)
{
	agent__error_kind(e, text, http_status, final);
	e->text = text;
	e->title = agent__first_line(j, text);
}

int
agent__json_stderr(struct agent__json *j, const char *line, size_t len, agent__says_fn says)
{
	const char *p = agent__json_plain(j, line, len), *msg = p;
	size_t n = strlen(p);
	struct agent_event e;
	enum agent__says k = says(p, j->d, &msg, &n);

	if (k == AGENT__SAYS_NOTHING)
		return 0;
	agent_event_init(&e);
	agent__json_error(j, &e, agent__json_strndup(j, msg, n), -1, k == AGENT__SAYS_FATAL);
	return agent__json_emit(j, &e);
}

/* ---- field access ------------------------------------------------------ */

struct agent__jval *
agent__jget(struct agent__jval *o, const char *key)
{
	return agent__jval_get(o, key);
}

const char *
agent__jstr(struct agent__jval *o, const char *key)
{
	struct agent__jval *v = agent__jget(o, key);

	return v != NULL && agent__jval_is(v, AGENT__JV_STRING)
	    ? agent__jval_str(v) : NULL;
}

const char *
agent__jstr_any(struct agent__jval *o, const char *const *keys)
{
	const char *s;

	for (; *keys != NULL; keys++)
		if ((s = agent__jstr(o, *keys)) != NULL && *s != '\0')
			return s;
	return NULL;
}

int
agent__jint(struct agent__jval *o, const char *key, long long *out)
{
	struct agent__jval *v = agent__jget(o, key);
	double d;

	if (v == NULL)
		return 0;
	if (agent__jval_is(v, AGENT__JV_INT)) {
		*out = (long long)agent__jval_int(v);
		return 1;
	}
	if (agent__jval_is(v, AGENT__JV_DOUBLE)) {
		d = agent__jval_double(v);
		if (isfinite(d) && d == floor(d) && fabs(d) < 9e15) {
			*out = (long long)d;
			return 1;
		}
	}
	return 0;
}

int
agent__jnum(struct agent__jval *o, const char *key, double *out)
{
	struct agent__jval *v = agent__jget(o, key);

	if (v == NULL || !(agent__jval_is(v, AGENT__JV_INT) ||
	    agent__jval_is(v, AGENT__JV_DOUBLE)))
		return 0;
	*out = agent__jval_double(v);
	return isfinite(*out);
}

int
agent__jbool(struct agent__jval *o, const char *key)
{
	struct agent__jval *v = agent__jget(o, key);

	if (v == NULL || !agent__jval_is(v, AGENT__JV_BOOL))
		return -1;
	return agent__jval_bool(v) ? 1 : 0;
}

/* ---- tool calls -------------------------------------------------------- */

static const char *const path_keys[] = { "file_path", "filePath",
	"absolute_path", "notebook_path", "filepath", "path", NULL };
static const char *const search_keys[] = { "pattern", "query", "path",
	"dir_path", "directory", NULL };
static const char *const fetch_keys[] = { "url", "query", "prompt", NULL };
static const char *const task_keys[] = { "description", "prompt",
	"subagent_type", NULL };
static const char *const other_keys[] = { "description", "title", NULL };

/* The todo being worked on, else the first one: what a todo update is about. */
static const char *
todo_title(struct agent__jval *input)
{
	struct agent__jval *todos = agent__jget(input, "todos"), *t;
	const char *first = NULL, *s, *status;
	size_t i, n;

	if (todos == NULL || !agent__jval_is(todos, AGENT__JV_ARRAY))
		return NULL;
	n = agent__jval_len(todos);
	for (i = 0; i < n; i++) {
		t = agent__jval_idx(todos, i);
		s = agent__jstr(t, "content");
		if (s == NULL)
			s = agent__jstr(t, "description");
		if (s == NULL)
			continue;
		if (first == NULL)
			first = s;
		if ((status = agent__jstr(t, "status")) != NULL &&
		    strcmp(status, "in_progress") == 0)
			return s;
	}
	return first;
}

void
agent__json_tool(struct agent__json *j, struct agent_event *e,
                 const char *name, struct agent__jval *input)
{
	const char *t = NULL;

	e->tool = name;
	e->tkind = agent__tool_kind(name);
	switch (e->tkind) {
	case AGENT_TK_READ:
	case AGENT_TK_WRITE:
	case AGENT_TK_EDIT:
	case AGENT_TK_DELETE:
		e->path = agent__jstr_any(input, path_keys);
		t = e->path;
		break;
	case AGENT_TK_SHELL:
		t = agent__jstr(input, "command");
		if (t == NULL)
			t = agent__jstr(input, "cmd");
		break;
	case AGENT_TK_SEARCH:
		t = agent__jstr_any(input, search_keys);
		break;
	case AGENT_TK_FETCH:
		t = agent__jstr_any(input, fetch_keys);
		break;
	case AGENT_TK_TASK:
		t = agent__jstr_any(input, task_keys);
		break;
	case AGENT_TK_TODO:
		t = todo_title(input);
		break;
	default:
		t = agent__jstr_any(input, other_keys);
		break;
	}
	e->title = agent__first_line(j, t);
}

static char *
xstrdup(const char *s)
{
	return s == NULL ? NULL : strdup(s);
}

void
agent__json_call_put(struct agent__json *j, const struct agent_event *e)
{
	struct agent__json_call c;
	size_t i;

	if (e->call_id == NULL)
		return;
	for (i = 0; i < j->ncalls; i++)
		if (strcmp(j->calls[i].id, e->call_id) == 0) {
			call_free(&j->calls[i]);
			j->calls[i] = j->calls[--j->ncalls];
			break;
		}
	memset(&c, 0, sizeof c);
	c.id = xstrdup(e->call_id);
	c.tool = xstrdup(e->tool);
	c.title = xstrdup(e->title);
	c.path = xstrdup(e->path);
	c.kind = e->tkind;
	if (c.id == NULL || (e->tool && !c.tool) || (e->title && !c.title) ||
	    (e->path && !c.path)) {
		call_free(&c);
		return;
	}
	if (j->calls == NULL &&
	    (j->calls = calloc(AGENT__JSON_CALLS_MAX, sizeof *j->calls)) == NULL) {
		call_free(&c);
		return;
	}
	if (j->ncalls == AGENT__JSON_CALLS_MAX) {
		/* Calls that never ended (a killed sub-agent): forget the oldest. */
		call_free(&j->calls[0]);
		memmove(j->calls, j->calls + 1, (j->ncalls - 1) * sizeof *j->calls);
		j->ncalls--;
	}
	j->calls[j->ncalls++] = c;
}

void
agent__json_call_take(struct agent__json *j, struct agent_event *e)
{
	struct agent__json_call *c;
	size_t i;

	if (e->call_id == NULL)
		return;
	for (i = j->ncalls; i-- > 0;) {
		c = &j->calls[i];
		if (strcmp(c->id, e->call_id) != 0)
			continue;
		if (e->tool == NULL)
			e->tool = agent__json_strdup(j, c->tool);
		if (e->title == NULL)
			e->title = agent__json_strdup(j, c->title);
		if (e->path == NULL)
			e->path = agent__json_strdup(j, c->path);
		if (e->tkind == AGENT_TK_OTHER)
			e->tkind = c->kind;
		call_free(c);
		memmove(c, c + 1, (j->ncalls - i - 1) * sizeof *c);
		j->ncalls--;
		return;
	}
}

/* Undoes POSIX shell quoting ('..', "..", \x) of a whole word; NULL when
 * s is not one quoted word. */
static char *
unquote_word(struct agent__json *j, const char *s)
{
	size_t n = strlen(s);
	char *out = arena_alloc(j, n + 1), *o = out;

	if (out == NULL)
		return NULL;
	while (*s != '\0') {
		if (*s == '\'') {
			const char *e = strchr(s + 1, '\'');

			if (e == NULL)
				return NULL;
			memcpy(o, s + 1, (size_t)(e - s - 1));
			o += e - s - 1;
			s = e + 1;
		} else if (*s == '"') {
			for (s++; *s != '"'; s++) {
				if (*s == '\0')
					return NULL;
				if (*s == '\\' && s[1] != '\0' && strchr("\\\"$`", s[1]) != NULL)
					s++;
				*o++ = *s;
			}
			s++;
		} else if (*s == '\\' && s[1] != '\0') {
			*o++ = s[1];
			s += 2;
		} else if (strchr(" \t\n;&|<>()$`*?[]#~=%", *s) != NULL) {
			return NULL;
		} else {
			*o++ = *s++;
		}
	}
	*o = '\0';
	return out;
}

const char *
agent__unwrap_shell(struct agent__json *j, const char *cmd)
{
	static const char *const shells[] = { "/bin/bash -lc ", "/bin/bash -c ",
		"/usr/bin/bash -lc ", "/usr/bin/bash -c ", "bash -lc ", "bash -c ",
		"/bin/zsh -lc ", "/bin/zsh -c ", "zsh -lc ", "/bin/sh -c ",
		"sh -c ", NULL };
	const char *const *sh;
	const char *w;
	size_t n;

	if (cmd == NULL)
		return NULL;
	for (sh = shells; *sh != NULL; sh++) {
		n = strlen(*sh);
		if (strncmp(cmd, *sh, n) == 0 && (w = unquote_word(j, cmd + n)) != NULL &&
		    *w != '\0')
			return w;
	}
	return cmd;
}

/* ---- session ids ------------------------------------------------------- */

int
agent__valid_uuid(const char *s, size_t len)
{
	size_t i;

	if (len != 36)
		return 0;
	for (i = 0; i < 36; i++) {
		if (i == 8 || i == 13 || i == 18 || i == 23) {
			if (s[i] != '-')
				return 0;
		} else if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f'))) {
			return 0;
		}
	}
	return 1;
}

size_t
agent__session_key(const char *line, size_t len, const char *key,
                   int (*valid)(const char *, size_t), char *buf, size_t buflen)
{
	char pat[64];
	size_t plen, i, v;
	const char *p, *end = line + len;

	plen = (size_t)snprintf(pat, sizeof pat, "\"%s\"", key);
	if (plen >= sizeof pat || line == NULL)
		return 0;
	for (p = line; (p = memmem(p, (size_t)(end - p), pat, plen)) != NULL; p++) {
		i = skip_blanks(line, (size_t)(p - line) + plen, len);
		if (i >= len || line[i++] != ':')
			continue;
		i = skip_blanks(line, i, len);
		if (i >= len || line[i++] != '"')
			continue;
		for (v = 0; i + v < len && v < 80 && line[i + v] != '"'; v++)
			;
		if (i + v >= len || line[i + v] != '"' || !valid(line + i, v) ||
		    v >= buflen)
			continue;
		memcpy(buf, line + i, v);
		buf[v] = '\0';
		return v;
	}
	return 0;
}

/* ---- detection --------------------------------------------------------- */

int
agent__jhead_has(const struct agent__jhead *h, const char *key)
{
	char pat[64];
	int n;

	if (h->obj != NULL)
		return agent__jval_get(h->obj, key) != NULL;
	n = snprintf(pat, sizeof pat, "\"%s\"", key);
	return n > 0 && (size_t)n < sizeof pat && memmem(h->s, h->n, pat, (size_t)n) != NULL;
}

const char *
agent__jhead_type(const struct agent__jhead *h, char *buf, size_t len)
{
	static const char k[] = "{\"type\":\"";
	const char *v, *e;

	buf[0] = '\0';
	if (h->obj != NULL) {
		v = agent__jstr(h->obj, "type");
		if (v != NULL && strlen(v) < len)
			memcpy(buf, v, strlen(v) + 1);
	} else if (h->n > sizeof k - 1 && memcmp(h->s, k, sizeof k - 1) == 0) {
		v = h->s + sizeof k - 1;
		e = memchr(v, '"', h->n - (sizeof k - 1));
		if (e != NULL && (size_t)(e - v) < len) {
			memcpy(buf, v, (size_t)(e - v));
			buf[e - v] = '\0';
		}
	}
	return buf;
}

int
agent__jhead_is(const struct agent__jhead *h, const char *key, const char *value)
{
	char pat[128];
	const char *v;
	int n;

	if (h->obj != NULL)
		return (v = agent__jstr(h->obj, key)) != NULL && strcmp(v, value) == 0;
	n = snprintf(pat, sizeof pat, "\"%s\":\"%s\"", key, value);
	return n > 0 && (size_t)n < sizeof pat && memmem(h->s, h->n, pat, (size_t)n) != NULL;
}
