/* dialect_json.c — what the JSON dialects share: the parser state, strict
 * parsing (lib/jscan.c), per-line strings, tool kinds, error and time helpers. */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "dialect_json.h"

struct agent__arena_blk {
	struct agent__arena_blk *next;
	size_t len, cap;
	char data[];
};

void *
agent__jp_new(enum agent_dialect d)
{
	struct agent__jp *st = calloc(1, sizeof *st);

	if (st == NULL)
		return NULL;
	st->d = d;
	st->delta_ts = -1;
	return st;
}

static void
arena_free(struct agent__jp *st)
{
	struct agent__arena_blk *b, *next;

	for (b = st->arena; b != NULL; b = next) {
		next = b->next;
		free(b);
	}
	st->arena = NULL;
}

static void
call_free(struct agent__call *c)
{
	free(c->id);
	free(c->tool);
	free(c->title);
	free(c->path);
}

void
agent__jp_free(void *v)
{
	struct agent__jp *st = v;
	size_t i;

	if (st == NULL)
		return;
	agent__js_free(&st->js);
	arena_free(st);
	for (i = 0; i < st->ncalls; i++)
		call_free(&st->calls[i]);
	free(st->calls);
	agent__buf_free(&st->delta);
	agent__buf_free(&st->obj);
	free(st);
}

void
agent__jp_begin(struct agent__jp *st, long lineno, agent_event_fn fn, void *arg)
{
	arena_free(st);
	st->lineno = lineno;
	st->fn = fn;
	st->arg = arg;
}

static struct agent__jt *parse_from(struct agent__jp *, const char *, size_t, size_t);

struct agent__jt *
agent__jp_parse(struct agent__jp *st, const char *s, size_t len)
{
	struct agent__jt *o;
	size_t i = 0;

	while (i < len && (s[i] == ' ' || s[i] == '\t'))
		i++;
	if (i < len && s[i] == '[')
		return NULL;
	if (i < len && s[i] != '{') {
		/* An event glued behind text that lacked its newline. */
		const char *p = memmem(s + i, len - i, "{\"type\":", 8);

		if (p == NULL)
			return NULL;
		i = (size_t)(p - s);
	}
	o = parse_from(st, s, i, len);
	return agent__js_is(o, AGENT__JT_OBJECT) ? o : NULL;
}

struct agent__jt *
agent__jp_parse_array(struct agent__jp *st, const char *s, size_t len)
{
	struct agent__jt *o;
	size_t i = 0;

	while (i < len && (s[i] == ' ' || s[i] == '\t'))
		i++;
	if (i >= len || s[i] != '[')
		return NULL;
	o = parse_from(st, s, i, len);
	return agent__js_is(o, AGENT__JT_ARRAY) ? o : NULL;
}

/* The JSON value at s[i..len), of any type; NULL when there is none.
 * Bytes after a whole value are cut off: that is what an unterminated
 * last line followed by stderr text looks like. */
static struct agent__jt *
parse_from(struct agent__jp *st, const char *s, size_t i, size_t len)
{
	if (i >= len)
		return NULL;
	return agent__js_parse(&st->js, s + i, len - i, NULL);
}

/* Per-line strings */

static void *
arena_alloc(struct agent__jp *st, size_t n)
{
	struct agent__arena_blk *b = st->arena;
	size_t cap;
	void *p;

	if (b == NULL || b->cap - b->len < n) {
		cap = n > 4000 ? n : 4000;
		b = malloc(sizeof *b + cap);
		if (b == NULL)
			return NULL;
		b->len = 0;
		b->cap = cap;
		b->next = st->arena;
		st->arena = b;
	}
	p = b->data + b->len;
	b->len += n;
	return p;
}

char *
agent__strndup(struct agent__jp *st, const char *s, size_t n)
{
	char *p;

	if (s == NULL || n == SIZE_MAX)
		return NULL;
	p = arena_alloc(st, n + 1);
	if (p == NULL)
		return NULL;
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *
agent__strdup(struct agent__jp *st, const char *s)
{
	return s == NULL ? NULL : agent__strndup(st, s, strlen(s));
}

/* Largest k <= n that does not split a UTF-8 sequence (s[n] readable). */
static size_t
utf8_floor(const char *s, size_t n)
{
	size_t k = n;

	while (k > 0 && n - k < 3 && ((unsigned char)s[k] & 0xc0) == 0x80)
		k--;
	return ((unsigned char)s[k] & 0xc0) == 0x80 ? n : k;
}

const char *
agent__first_line(struct agent__jp *st, const char *s)
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
		n = utf8_floor(s, 1000);
	return agent__strndup(st, s, n);
}

const char *
agent__plain(struct agent__jp *st, const char *s, size_t len)
{
	char *out = arena_alloc(st, len + 1), *o;
	size_t i = 0;

	if (out == NULL)
		return "";
	o = out;
	while (i < len) {
		unsigned char c = (unsigned char)s[i];

		if (c == 0x1b && i + 1 < len && s[i + 1] == '[') {
			i += 2;
			while (i < len && !((unsigned char)s[i] >= 0x40 &&
			    (unsigned char)s[i] <= 0x7e))
				i++;
			i++;
		} else if (c == 0x1b) {
			i += 2;
		} else if (c == '\0') {
			i++;
		} else {
			*o++ = (char)c;
			i++;
		}
	}
	while (o > out && isspace((unsigned char)o[-1]))
		o--;
	*o = '\0';
	while (isspace((unsigned char)*out))
		out++;
	return out;
}

/* Events */

void
agent__ev_init(struct agent__jp *st, struct agent_event *e)
{
	agent_event_init(e);
	(void)st;
}

int
agent__emit(struct agent__jp *st, struct agent_event *e)
{
	if (e->line == 0)
		e->line = st->lineno;
	if (e->session == NULL && st->session[0] != '\0')
		e->session = st->session;
	return st->fn != NULL ? st->fn(e, st->arg) : 0;
}

int
agent__session_seen(struct agent__jp *st, const char *id)
{
	struct agent_event e;
	size_t n;
	int ok;

	if (id == NULL)
		return 0;
	n = strlen(id);
	ok = st->d == AGENT_D_OPENCODE_JSON ? agent__valid_ses(id, n)
	    : agent__valid_uuid(id, n);
	if (!ok || n >= sizeof st->session || strcmp(st->session, id) == 0)
		return 0;
	memcpy(st->session, id, n + 1);
	agent__ev_init(st, &e);
	e.kind = AGENT_EV_SESSION;
	return agent__emit(st, &e);
}

int
agent__model_seen(struct agent__jp *st, const char *model)
{
	struct agent_event e;
	size_t n;

	if (model == NULL || *model == '\0' || strcmp(st->model, model) == 0)
		return 0;
	n = strlen(model);
	if (n >= sizeof st->model)
		n = sizeof st->model - 1;
	memcpy(st->model, model, n);
	st->model[n] = '\0';
	agent__ev_init(st, &e);
	e.kind = AGENT_EV_MODEL;
	e.model = model;
	return agent__emit(st, &e);
}

/* JSON access */

struct agent__jt *
agent__jget(struct agent__jt *o, const char *key)
{
	return agent__js_get(o, key);
}

const char *
agent__jstr(struct agent__jt *o, const char *key)
{
	struct agent__jt *v = agent__jget(o, key);

	return v != NULL && agent__js_is(v, AGENT__JT_STRING)
	    ? agent__js_str(v) : NULL;
}

const char *
agent__jstr_any(struct agent__jt *o, const char *const *keys)
{
	const char *s;

	for (; *keys != NULL; keys++)
		if ((s = agent__jstr(o, *keys)) != NULL && *s != '\0')
			return s;
	return NULL;
}

int
agent__jint(struct agent__jt *o, const char *key, long long *out)
{
	struct agent__jt *v = agent__jget(o, key);
	double d;

	if (v == NULL)
		return 0;
	if (agent__js_is(v, AGENT__JT_INT)) {
		*out = (long long)agent__js_int(v);
		return 1;
	}
	if (agent__js_is(v, AGENT__JT_DOUBLE)) {
		d = agent__js_double(v);
		if (isfinite(d) && d == floor(d) && fabs(d) < 9e15) {
			*out = (long long)d;
			return 1;
		}
	}
	return 0;
}

int
agent__jnum(struct agent__jt *o, const char *key, double *out)
{
	struct agent__jt *v = agent__jget(o, key);

	if (v == NULL || !(agent__js_is(v, AGENT__JT_INT) ||
	    agent__js_is(v, AGENT__JT_DOUBLE)))
		return 0;
	*out = agent__js_double(v);
	return isfinite(*out);
}

int
agent__jbool(struct agent__jt *o, const char *key)
{
	struct agent__jt *v = agent__jget(o, key);

	if (v == NULL || !agent__js_is(v, AGENT__JT_BOOL))
		return -1;
	return agent__js_bool(v) ? 1 : 0;
}

/* Tools */

static const struct {
	const char *name;
	enum agent_tool_kind kind;
} tool_kinds[] = {
	/* claude */
	{ "Read", AGENT_TK_READ }, { "Write", AGENT_TK_WRITE },
	{ "Edit", AGENT_TK_EDIT }, { "MultiEdit", AGENT_TK_EDIT },
	{ "NotebookEdit", AGENT_TK_EDIT }, { "Bash", AGENT_TK_SHELL },
	{ "Glob", AGENT_TK_SEARCH }, { "Grep", AGENT_TK_SEARCH },
	{ "LS", AGENT_TK_SEARCH }, { "WebFetch", AGENT_TK_FETCH },
	{ "WebSearch", AGENT_TK_FETCH }, { "Task", AGENT_TK_TASK },
	{ "Agent", AGENT_TK_TASK }, { "TodoWrite", AGENT_TK_TODO },
	/* opencode */
	{ "read", AGENT_TK_READ }, { "write", AGENT_TK_WRITE },
	{ "edit", AGENT_TK_EDIT }, { "multiedit", AGENT_TK_EDIT },
	{ "patch", AGENT_TK_EDIT }, { "apply_patch", AGENT_TK_EDIT },
	{ "bash", AGENT_TK_SHELL }, { "glob", AGENT_TK_SEARCH },
	{ "grep", AGENT_TK_SEARCH }, { "list", AGENT_TK_SEARCH },
	{ "codesearch", AGENT_TK_SEARCH }, { "webfetch", AGENT_TK_FETCH },
	{ "websearch", AGENT_TK_FETCH }, { "task", AGENT_TK_TASK },
	{ "todowrite", AGENT_TK_TODO }, { "todoread", AGENT_TK_TODO },
	/* gemini */
	{ "read_file", AGENT_TK_READ }, { "read_many_files", AGENT_TK_READ },
	{ "write_file", AGENT_TK_WRITE }, { "replace", AGENT_TK_EDIT },
	{ "run_shell_command", AGENT_TK_SHELL },
	{ "list_directory", AGENT_TK_SEARCH }, { "grep_search", AGENT_TK_SEARCH },
	{ "search_file_content", AGENT_TK_SEARCH },
	{ "web_fetch", AGENT_TK_FETCH }, { "google_web_search", AGENT_TK_FETCH },
	{ "write_todos", AGENT_TK_TODO },
	/* codex items */
	{ "command_execution", AGENT_TK_SHELL }, { "web_search", AGENT_TK_FETCH },
	{ "todo_list", AGENT_TK_TODO },
};

enum agent_tool_kind
agent__tool_kind(const char *name)
{
	size_t i;

	if (name == NULL)
		return AGENT_TK_OTHER;
	for (i = 0; i < sizeof tool_kinds / sizeof tool_kinds[0]; i++)
		if (strcmp(name, tool_kinds[i].name) == 0)
			return tool_kinds[i].kind;
	return AGENT_TK_OTHER;
}

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
todo_title(struct agent__jt *input)
{
	struct agent__jt *todos = agent__jget(input, "todos"), *t;
	const char *first = NULL, *s;
	size_t i, n;

	if (todos == NULL || !agent__js_is(todos, AGENT__JT_ARRAY))
		return NULL;
	n = agent__js_len(todos);
	for (i = 0; i < n; i++) {
		t = agent__js_idx(todos, i);
		s = agent__jstr(t, "content");
		if (s == NULL)
			s = agent__jstr(t, "description");
		if (s == NULL)
			continue;
		if (first == NULL)
			first = s;
		if ((agent__jstr(t, "status") != NULL &&
		    strcmp(agent__jstr(t, "status"), "in_progress") == 0))
			return s;
	}
	return first;
}

void
agent__tool_describe(struct agent__jp *st, struct agent_event *e,
                     const char *name, struct agent__jt *input)
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
	e->title = agent__first_line(st, t);
}

static char *
xstrdup(const char *s)
{
	return s == NULL ? NULL : strdup(s);
}

void
agent__call_put(struct agent__jp *st, const struct agent_event *e)
{
	struct agent__call c, *n;
	size_t i;

	if (e->call_id == NULL)
		return;
	for (i = 0; i < st->ncalls; i++)
		if (strcmp(st->calls[i].id, e->call_id) == 0) {
			call_free(&st->calls[i]);
			st->calls[i] = st->calls[--st->ncalls];
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
	if (st->calls == NULL) {
		st->calls = calloc(AGENT__JSON_CALLS_MAX, sizeof *st->calls);
		if (st->calls == NULL) {
			call_free(&c);
			return;
		}
	}
	if (st->ncalls == AGENT__JSON_CALLS_MAX) {
		/* Calls that never ended (a killed sub-agent): forget the oldest. */
		call_free(&st->calls[0]);
		memmove(st->calls, st->calls + 1, (st->ncalls - 1) * sizeof *st->calls);
		st->ncalls--;
	}
	n = &st->calls[st->ncalls++];
	*n = c;
}

void
agent__call_take(struct agent__jp *st, struct agent_event *e)
{
	struct agent__call *c;
	size_t i;

	if (e->call_id == NULL)
		return;
	for (i = st->ncalls; i-- > 0;) {
		c = &st->calls[i];
		if (strcmp(c->id, e->call_id) != 0)
			continue;
		if (e->tool == NULL)
			e->tool = agent__strdup(st, c->tool);
		if (e->title == NULL)
			e->title = agent__strdup(st, c->title);
		if (e->path == NULL)
			e->path = agent__strdup(st, c->path);
		if (e->tkind == AGENT_TK_OTHER)
			e->tkind = c->kind;
		call_free(c);
		memmove(c, c + 1, (st->ncalls - i - 1) * sizeof *c);
		st->ncalls--;
		return;
	}
}

/* Undoes POSIX shell quoting ('..', "..", \x) of a whole word; NULL when
 * s is not one quoted word. */
static char *
unquote_word(struct agent__jp *st, const char *s)
{
	size_t n = strlen(s);
	char *out = arena_alloc(st, n + 1), *o = out;

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
agent__unwrap_shell(struct agent__jp *st, const char *cmd)
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
		if (strncmp(cmd, *sh, n) == 0 && (w = unquote_word(st, cmd + n)) != NULL &&
		    *w != '\0')
			return w;
	}
	return cmd;
}

/* Errors */

static const char *
strcasestr_(const char *h, const char *n)
{
	size_t k = strlen(n);

	for (; *h != '\0'; h++)
		if (strncasecmp(h, n, k) == 0)
			return h;
	return NULL;
}

int
agent__is_limit(const char *text, int http_status)
{
	static const char *const pats[] = { "too many requests", "status: 429",
		"status 429", "(429)", "\"code\":429", "\"code\": 429", "rate limit",
		"rate_limit", "ratelimit", "usage limit", "usage_limit", "quota",
		"resource has been exhausted", "resource_exhausted",
		"hit your limit", NULL };
	const char *const *p;

	if (http_status == 429)
		return 1;
	if (text == NULL)
		return 0;
	for (p = pats; *p != NULL; p++)
		if (strcasestr_(text, *p) != NULL)
			return 1;
	return 0;
}

int
agent__http_status(const char *text)
{
	static const char *const pats[] = { "status: ", "status ", "status=",
		"\"code\":", "\"code\": ", "(", "statusCode\":", NULL };
	const char *p, *best = NULL;
	const char *const *k;
	int v = -1;

	if (text == NULL)
		return -1;
	for (k = pats; *k != NULL; k++) {
		size_t n = strlen(*k);

		for (p = text; (p = strcasestr_(p, *k)) != NULL; p++) {
			const char *d = p + n;

			if (isdigit((unsigned char)d[0]) && isdigit((unsigned char)d[1]) &&
			    isdigit((unsigned char)d[2]) && !isdigit((unsigned char)d[3]) &&
			    (d[0] == '4' || d[0] == '5') &&
			    (strcmp(*k, "(") != 0 || d[3] == ')')) {
				if (best == NULL || p < best) {
					best = p;
					v = (d[0] - '0') * 100 + (d[1] - '0') * 10 + (d[2] - '0');
				}
				break;
			}
		}
	}
	return v;
}

void
agent__error_event(struct agent__jp *st, struct agent_event *e,
                   const char *text, int http_status, int final)
{
	if (http_status < 0)
		http_status = agent__http_status(text);
	/* A retry notice about a limit is not yet the end: it stays an error. */
	e->kind = final && agent__is_limit(text, http_status) ? AGENT_EV_LIMIT
	    : AGENT_EV_ERROR;
	e->final = final;
	e->text = text;
	e->title = agent__first_line(st, text);
	e->http_status = http_status;
}

/* Time */

static int
digits(const char **s, int n, int *out)
{
	int v = 0;

	while (n-- > 0) {
		if (!isdigit((unsigned char)**s))
			return 0;
		v = v * 10 + (*(*s)++ - '0');
	}
	*out = v;
	return 1;
}

double
agent__iso_time(const char *s)
{
	struct tm tm;
	int y, mo, d, h, mi, sec, oh = 0, om = 0;
	double frac = 0, scale = 0.1;
	time_t t;

	if (s == NULL)
		return -1;
	memset(&tm, 0, sizeof tm);
	if (!digits(&s, 4, &y) || *s++ != '-' || !digits(&s, 2, &mo) ||
	    *s++ != '-' || !digits(&s, 2, &d) || (*s != 'T' && *s != ' '))
		return -1;
	s++;
	if (!digits(&s, 2, &h) || *s++ != ':' || !digits(&s, 2, &mi) ||
	    *s++ != ':' || !digits(&s, 2, &sec))
		return -1;
	if (*s == '.' || *s == ',') {
		for (s++; isdigit((unsigned char)*s); s++, scale /= 10)
			frac += (*s - '0') * scale;
	}
	if (*s == 'Z' || *s == 'z') {
		s++;
	} else if (*s == '+' || *s == '-') {
		int sign = *s++ == '-' ? -1 : 1;

		if (!digits(&s, 2, &oh))
			return -1;
		if (*s == ':')
			s++;
		if (!digits(&s, 2, &om))
			return -1;
		oh *= sign;
		om *= sign;
	} else if (*s != '\0') {
		return -1;
	}
	if (*s != '\0' || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 ||
	    mi > 59 || sec > 60 || y < 1970)
		return -1;
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = sec;
	t = timegm(&tm);
	if (t == (time_t)-1)
		return -1;
	return (double)t - oh * 3600.0 - om * 60.0 + frac;
}

/* Buffers */

int
agent__buf_add(struct agent__buf *b, const char *s, size_t n, size_t max)
{
	int cut = 0;
	size_t cap;
	char *p;

	if (b->len >= max)
		return 1;
	if (n > max - b->len) {
		n = utf8_floor(s, max - b->len);
		cut = 1;
	}
	if (b->len + n + 1 > b->cap) {
		cap = b->cap ? b->cap : 256;
		while (cap < b->len + n + 1)
			cap *= 2;
		p = realloc(b->p, cap);
		if (p == NULL)
			return -1;
		b->p = p;
		b->cap = cap;
	}
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
	return cut;
}

void
agent__buf_free(struct agent__buf *b)
{
	free(b->p);
	b->p = NULL;
	b->len = b->cap = 0;
}

/* Session ids */

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

int
agent__valid_ses(const char *s, size_t len)
{
	size_t i;

	if (len != 30 || memcmp(s, "ses_", 4) != 0)
		return 0;
	for (i = 4; i < 30; i++)
		if (!isalnum((unsigned char)s[i]) || (unsigned char)s[i] > 0x7f)
			return 0;
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
		i = (size_t)(p - line) + plen;
		while (i < len && (line[i] == ' ' || line[i] == '\t'))
			i++;
		if (i >= len || line[i++] != ':')
			continue;
		while (i < len && (line[i] == ' ' || line[i] == '\t'))
			i++;
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
