/* gemini.c — Gemini CLI: `gemini -p --output-format stream-json` lines,
 * the pretty-printed object of `--output-format json`, the answer of
 * `gemini -p` among its warnings, the lines it prints on stderr, and how
 * its logs are recognised. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "json.h"
#include "rules.h"
#include "text.h"

/* ==== stream-json and json ============================================== */

/* What stream-json knows (format drift, json.h): the line types and the
 * values of the fields its reading depends on, as Gemini CLI 0.61.0
 * writes them.  (The json format's one object has no type to ask.) */
static const char *const known[] = {
	"init", "message", "tool_use", "tool_result", "result", "error",
	"message.role=user", "message.role=assistant",
	"tool_result.status=success", "tool_result.status=error",
	"result.status=success", "result.status=error",
	NULL
};

struct gemini {
	struct agent__json j;
	/* stream-json: assistant deltas being joined */
	struct agent__buf delta;
	double delta_ts;
	long delta_line;                /* line of the first delta */
	int delta_cut;
	/* json: the pretty-printed object being gathered */
	struct agent__buf obj;
	int in_obj;
};

static void *
gemini_new(enum agent_dialect d)
{
	struct gemini *g = agent__json_new(sizeof *g, d, agent__valid_uuid);

	if (g != NULL) {
		g->delta_ts = -1;
		if (d == AGENT_D_GEMINI_STREAM)
			g->j.known = known;
	}
	return g;
}

static void
gemini_free(void *v)
{
	struct gemini *g = v;

	if (g == NULL)
		return;
	agent__buf_free(&g->delta);
	agent__buf_free(&g->obj);
	agent__json_free(g);
}

/* Joined assistant deltas become one TEXT event. */
static int
flush_delta(struct gemini *g)
{
	struct agent_event e;

	if (g->delta.len == 0)
		return 0;
	agent_event_init(&e);
	e.kind = AGENT_EV_TEXT;
	e.ts = g->delta_ts;
	e.line = g->delta_line;
	e.text = agent__json_strndup(&g->j, g->delta.p, g->delta.len);
	e.title = agent__first_line(&g->j, e.text);
	g->delta.len = 0;
	g->delta_ts = -1;
	g->delta_cut = 0;
	return e.title != NULL ? agent__json_emit(&g->j, &e) : 0;
}

static int
tool_result(struct gemini *g, struct agent__jval *o, struct agent_event *e)
{
	const char *status = agent__jstr(o, "status");
	struct agent__jval *err = agent__jget(o, "error");
	const char *sep;

	e->kind = AGENT_EV_TOOL;
	e->call_id = agent__jstr(o, "tool_id");
	e->status = status != NULL && strcmp(status, "success") == 0
	    ? AGENT_TOOL_COMPLETED : AGENT_TOOL_ERROR;
	e->text = agent__jstr(o, "output");
	if (e->status == AGENT_TOOL_ERROR && agent__jstr(err, "message") != NULL)
		e->text = agent__jstr(err, "message");
	agent__json_call_take(&g->j, e);
	if (e->tool == NULL && e->call_id != NULL &&
	    (sep = strstr(e->call_id, "__")) != NULL) {
		/* Start not seen: the id opens with the tool's name. */
		const char *name = agent__json_strndup(&g->j, e->call_id,
		    (size_t)(sep - e->call_id));

		e->tool = name;
		e->tkind = agent__tool_kind(name);
	}
	return agent__json_emit(&g->j, e);
}

static int
stream_obj(void *v, struct agent__jval *o)
{
	struct gemini *g = v;
	const char *type = agent__jstr(o, "type");
	const char *role, *content;
	struct agent_event e;
	int r;

	if (type == NULL)
		return 0;
	agent_event_init(&e);
	e.ts = agent__iso_time(agent__jstr(o, "timestamp"));
	if (strcmp(type, "message") == 0 && agent__jbool(o, "delta") == 1 &&
	    (role = agent__jstr(o, "role")) != NULL && strcmp(role, "assistant") == 0) {
		content = agent__jstr(o, "content");
		if (content == NULL || g->delta_cut)
			return 0;
		if (g->delta.len == 0) {
			g->delta_ts = e.ts;
			g->delta_line = g->j.lineno;
		}
		if (agent__buf_add_max(&g->delta, content, strlen(content),
		    AGENT__JSON_HOLD_MAX) != 0)
			g->delta_cut = 1;
		return 0;
	}
	/* the joined deltas were earlier lines': asked after they went */
	if ((r = flush_delta(g)) != 0 || !agent__json_knows(&g->j, type, NULL, NULL))
		return r;
	if (strcmp(type, "message") == 0)
		agent__json_knows(&g->j, "message", "role", agent__jstr(o, "role"));
	else if (strcmp(type, "tool_result") == 0 || strcmp(type, "result") == 0)
		agent__json_knows(&g->j, type, "status", agent__jstr(o, "status"));
	if (strcmp(type, "init") == 0) {
		if ((r = agent__json_session(&g->j, agent__jstr(o, "session_id"))) != 0)
			return r;
		return agent__json_model(&g->j, agent__jstr(o, "model"));
	} else if (strcmp(type, "message") == 0) {
		role = agent__jstr(o, "role");
		if (role == NULL || strcmp(role, "assistant") != 0)
			return 0;
		e.kind = AGENT_EV_TEXT;
		e.text = agent__jstr(o, "content");
		e.title = agent__first_line(&g->j, e.text);
		if (e.title == NULL)
			return 0;
	} else if (strcmp(type, "tool_use") == 0) {
		e.kind = AGENT_EV_TOOL;
		e.status = AGENT_TOOL_RUNNING;
		e.call_id = agent__jstr(o, "tool_id");
		agent__json_tool(&g->j, &e, agent__jstr(o, "tool_name"),
		    agent__jget(o, "parameters"));
		agent__json_call_put(&g->j, &e);
	} else if (strcmp(type, "tool_result") == 0) {
		return tool_result(g, o, &e);
	} else if (strcmp(type, "result") == 0) {
		const char *status = agent__jstr(o, "status");

		agent__json_tokens(agent__jget(o, "stats"), &e);
		if (status != NULL && strcmp(status, "success") == 0) {
			e.kind = AGENT_EV_DONE;
			e.final = 1;
		} else {
			const char *msg = agent__jstr(agent__jget(o, "error"), "message");

			agent__json_error(&g->j, &e, msg != NULL ? msg : "error", -1, 1);
		}
	} else if (strcmp(type, "error") == 0) {
		const char *msg = agent__jstr(o, "message");

		agent__json_error(&g->j, &e, msg != NULL ? msg : "error", -1, 0);
	} else {
		return 0;
	}
	return agent__json_emit(&g->j, &e);
}

static int
stream_line(void *v, const char *line, size_t len, long lineno,
            agent_event_fn fn, void *arg)
{
	return agent__json_line(v, line, len, lineno, fn, arg, stream_obj, agent__gemini_says);
}

static int
stream_end(void *v, agent_event_fn fn, void *arg)
{
	struct gemini *g = v;

	agent__json_begin(&g->j, g->j.lineno, fn, arg);
	return flush_delta(g);
}

/* The json format's one object: session, the final answer or the error,
 * the main model and the token sums of every model. */
static int
json_obj(struct gemini *g, struct agent__jval *o)
{
	struct agent__jval *models = agent__jget(agent__jget(o, "stats"), "models");
	struct agent__jval *err = agent__jget(o, "error");
	const char *resp = agent__jstr(o, "response");
	const char *main_model = NULL;
	long long in = 0, out = 0, v;
	int have = 0, r;
	struct agent_event e;

	if ((r = agent__json_session(&g->j, agent__jstr(o, "session_id"))) != 0)
		return r;
	if (models != NULL && agent__jval_is(models, AGENT__JV_OBJECT)) {
		struct agent__jval *k;

		for (k = agent__jval_first(models); k != NULL; k = agent__jval_next(models, k)) {
			const char *name = agent__jval_str(k);
			struct agent__jval *m = k + 1, *tok = agent__jget(m, "tokens");

			if (agent__jval_get(models, name) != m)
				continue;       /* a repeated model: its last entry counts */

			if (agent__jget(agent__jget(m, "roles"), "main") != NULL)
				main_model = name;
			if (agent__jint(tok, "prompt", &v) || agent__jint(tok, "input", &v)) {
				in += v;
				have = 1;
			}
			if (agent__jint(tok, "candidates", &v)) {
				out += v;
				have = 1;
			}
		}
	}
	if ((r = agent__json_model(&g->j, main_model)) != 0)
		return r;
	agent_event_init(&e);
	if (have) {
		e.tokens_in = in;
		e.tokens_out = out;
	}
	if (err != NULL && !agent__jval_is(err, AGENT__JV_NULL)) {
		const char *msg = agent__jstr(err, "message");
		int status = -1;

		if (agent__jint(err, "code", &v) && v >= 100 && v <= 599)
			status = (int)v;
		if (msg == NULL && agent__jval_is(err, AGENT__JV_STRING))
			msg = agent__jval_str(err);
		agent__json_error(&g->j, &e, msg != NULL ? msg : "error", status, 1);
		return agent__json_emit(&g->j, &e);
	}
	if (resp == NULL)
		return 0;
	{
		struct agent_event t;

		agent_event_init(&t);
		t.kind = AGENT_EV_TEXT;
		t.text = resp;
		t.title = agent__first_line(&g->j, resp);
		if (t.title != NULL && (r = agent__json_emit(&g->j, &t)) != 0)
			return r;
	}
	e.kind = AGENT_EV_DONE;
	e.final = 1;
	e.text = resp;
	e.title = agent__first_line(&g->j, resp);
	return agent__json_emit(&g->j, &e);
}

/* Parses the gathered object and forgets it. */
static int
json_flush(struct gemini *g)
{
	struct agent__jval *o;
	int r = 0;

	if (!g->in_obj)
		return 0;
	g->in_obj = 0;
	o = agent__json_object(&g->j, g->obj.p, g->obj.len);
	g->obj.len = 0;
	if (o != NULL) {
		r = json_obj(g, o);
	}
	return r;
}

static int
json_line(void *v, const char *line, size_t len, long lineno,
          agent_event_fn fn, void *arg)
{
	struct gemini *g = v;
	size_t n = len;
	struct agent__jval *o;
	int r;

	agent__json_begin(&g->j, lineno, fn, arg);
	while (n > 0 && (line[n - 1] == '\r' || line[n - 1] == ' '))
		n--;
	if (n == 1 && line[0] == '{') {
		/* A new object starts (one never closed is dropped). */
		g->in_obj = 1;
		g->obj.len = 0;
		if (agent__buf_add_max(&g->obj, "{\n", 2, AGENT__JSON_HOLD_MAX) != 0)
			g->in_obj = 0;
		return 0;
	}
	if (g->in_obj) {
		/* Inside the object every line is indented or closes it; a
		 * stderr line that raced into it is left out. */
		if (n > 0 && line[0] != ' ' && line[0] != '}' && line[0] != ']')
			return agent__json_stderr(&g->j, line, len, agent__gemini_says);
		if (agent__buf_add_max(&g->obj, line, n, AGENT__JSON_HOLD_MAX) != 0 ||
		    agent__buf_add_max(&g->obj, "\n", 1, AGENT__JSON_HOLD_MAX) != 0) {
			g->in_obj = 0;
			g->obj.len = 0;
			return 0;
		}
		return n == 1 && line[0] == '}' ? json_flush(g) : 0;
	}
	if (n > 0 && line[0] == '{' && (o = agent__json_object(&g->j, line, n)) != NULL) {
		r = json_obj(g, o);
		return r;
	}
	return agent__json_stderr(&g->j, line, len, agent__gemini_says);
}

static int
json_end(void *v, agent_event_fn fn, void *arg)
{
	struct gemini *g = v;

	agent__json_begin(&g->j, g->j.lineno, fn, arg);
	return json_flush(g);
}


const struct agent_dialect_ops agent__gemini_stream_ops = {
	.new = gemini_new,
	.free = gemini_free,
	.line = stream_line,
	.end = stream_end,
	.session_key = "session_id",
	.session_id = agent__valid_uuid,
	/* the result's stats: this run's */
	.usage = AGENT_USAGE_RUN,
};

const struct agent_dialect_ops agent__gemini_json_ops = {
	.new = gemini_new,
	.free = gemini_free,
	.line = json_line,
	.end = json_end,
	.session_key = "session_id",
	.session_id = agent__valid_uuid,
	/* the stats of every model: this run's */
	.usage = AGENT_USAGE_RUN,
};

/* ==== -p text: the answer among warnings and retry traces ============== */

enum { RX_STACK, RX_CUE };
static struct agent__rx rx_tab[] = {
	[RX_STACK] = { "^\\s+at \\S", 0, NULL },        /* "    at fn (file:1:2)" */
	[RX_CUE] = { "^(?:Warning: 256-color support not detected|YOLO mode is enabled|"
	             "Ripgrep is not available|\\[STARTUP\\] |An unexpected critical error occurred)",
	             0, NULL },
};
static struct agent__rxset rxs = AGENT__RXSET(rx_tab);

struct gemini_text {
	struct agent__text c;
	/* gemini -p in json mode whose head was all warnings and retry
	 * traces reads as gemini-text; its result object at the end, "{"
	 * then "  \"session_id\": …", goes to a gemini-json parser */
	void *gj;
	int brace;              /* a "{" line waits for the next one */
	long brace_line;
	int in_obj;
	int trace;              /* inside an error dump (stack, "}") */
	/* a quota error's message ("TerminalQuotaError: You exceeded your
	 * current quota … Please retry in 400s." and its next line
	 * "Suggested retry after 400s."): the critical error that ends the
	 * run says only "[object Object]" */
	struct agent__buf quota;
	int quota_open;         /* the next line may be its second */
};

static void *
text_new(enum agent_dialect d)
{
	return agent__text_new(sizeof(struct gemini_text), d, &rxs);
}

static void
text_free(void *st)
{
	struct gemini_text *p = st;

	if (p == NULL)
		return;
	if (p->gj != NULL)
		gemini_free(p->gj);
	agent__buf_free(&p->quota);
	agent__text_free(p);
}

/* The result object inside a text log: *taken when the line was taken
 * (or held); returns 0 or the callback's value. */
static int
text_result_object(struct gemini_text *p, const char *raw, size_t n, long lineno,
                   agent_event_fn fn, void *arg, int *taken)
{
	size_t k = n;
	int r;

	*taken = 0;
	while (k > 0 && (raw[k - 1] == '\r' || raw[k - 1] == ' '))
		k--;
	if (p->in_obj) {
		*taken = 1;
		if (k == 1 && raw[0] == '}')
			p->in_obj = 0;
		return json_line(p->gj, raw, n, lineno, fn, arg);
	}
	if (p->brace) {
		p->brace = 0;
		if (n > 14 && memcmp(raw, "  \"session_id\"", 14) == 0) {
			if (p->gj == NULL && (p->gj = gemini_new(AGENT_D_GEMINI_JSON)) == NULL)
				return 0;   /* no memory: read it as text */
			if ((r = json_line(p->gj, "{", 1, p->brace_line, fn, arg)) != 0)
				return r;
			p->in_obj = 1;
			*taken = 1;
			return json_line(p->gj, raw, n, lineno, fn, arg);
		}
		/* not the result: the "{" was text */
		if ((r = agent__text_say(&p->c, "{", fn, arg)) != 0)
			return r;
	}
	if (k == 1 && raw[0] == '{') {
		p->brace = 1;
		p->brace_line = lineno;
		*taken = 1;
	}
	return 0;
}

/* Lines gemini -p prints around its answer that are not the answer. */
static int
text_noise(const char *t)
{
	static const char *const noise[] = {
		"Warning: 256-color support not detected", "YOLO mode is enabled",
		"Ripgrep is not available", "[STARTUP] ", "Loaded cached credentials",
		"Data collection is disabled", "Approval mode overridden",
		"Error when talking to Gemini API", "Full report available at",
	};

	for (size_t i = 0; i < sizeof noise / sizeof noise[0]; i++)
		if (agent__starts(t, noise[i]))
			return 1;
	return 0;
}

/* "Error when talking to Gemini API Full report available at: <file>
 * TerminalQuotaError: <message>" (or RetryableQuotaError, after its
 * retries) and the "Suggested retry after 400s." line under it are kept
 * for the critical error that follows; 1 when the line was one of them. */
static int
text_quota(struct gemini_text *p, const char *t)
{
	const char *q = strstr(t, "TerminalQuotaError: ");
	int open = p->quota_open;

	if (q == NULL && (q = strstr(t, "RetryableQuotaError: ")) != NULL)
		q++;
	p->quota_open = 0;
	if (q != NULL) {
		q += 20;
		agent__buf_set(&p->quota, q, strnlen(q, AGENT__TEXT_LINE_MAX));
		p->quota_open = 1;
		return 1;
	}
	if (open && agent__starts(t, "Suggested retry after ")) {
		agent__buf_add_max(&p->quota, " ", 1, 2 * AGENT__TEXT_LINE_MAX);
		agent__buf_add_max(&p->quota, t, strlen(t), 2 * AGENT__TEXT_LINE_MAX);
		return 1;
	}
	return 0;
}

static int
text_line(void *st, const char *raw, size_t n, long lineno, agent_event_fn fn, void *arg)
{
	struct gemini_text *p = st;
	struct agent__text *c = &p->c;
	const char *t;
	int r, taken, hit;

	agent__text_begin(c, raw, n, lineno);
	if ((r = text_result_object(p, raw, n, lineno, fn, arg, &taken)) != 0 || taken)
		return r;
	t = agent__text_trimmed(c, agent__buf_str(&c->ln));
	if (*t == '\0')
		return 0;
	if (text_quota(p, t))
		return 0;
	if (p->quota.len > 0 && agent__starts(t, "An unexpected critical error occurred"))
		return agent__text_error(c, agent__buf_str(&p->quota), 1, fn, arg);
	if (text_noise(t))
		return 0;
	/* the rest of an error's dump ("    at …", "  status: 500", "}") is
	 * not text: it would hide the error it follows */
	if (agent__rx_match(&rxs, RX_STACK, agent__buf_str(&c->ln), c->ln.len, c->md) > 0 ||
	    (p->trace && (strcmp(t, "}") == 0 || agent__starts(t, "status: "))))
		return p->trace = 1, 0;
	p->trace = 0;
	if ((r = agent__text_stderr(c, t, agent__gemini_says, &hit, fn, arg)) != 0 || hit) {
		p->trace = hit;
		return r;
	}
	return agent__text_say(c, t, fn, arg);
}

static int
text_end(void *st, agent_event_fn fn, void *arg)
{
	struct gemini_text *p = st;
	int r;

	if (p->brace) {
		p->brace = 0;
		if ((r = agent__text_say(&p->c, "{", fn, arg)) != 0)
			return r;
	}
	p->in_obj = 0;
	return p->gj != NULL ? json_end(p->gj, fn, arg) : 0;
}

const struct agent_dialect_ops agent__gemini_text_ops = {
	.new = text_new,
	.free = text_free,
	.line = text_line,
	.end = text_end,
	/* in the result object a json run ends with */
	.session_key = "session_id",
	.session_id = agent__valid_uuid,
};

/* ==== what gemini prints on stderr ====================================== */

enum agent__says
agent__gemini_says(const char *t, enum agent_dialect as, const char **msg, size_t *len)
{
	const char *cut;

	if (agent__starts(t, "An unexpected critical error occurred"))
		return AGENT__SAYS_FATAL;
	if (as == AGENT_D_GENERIC)
		return AGENT__SAYS_NOTHING;
	if (agent__starts(t, "Error resuming session") ||
	    agent__starts(t, "Invalid auth method selected"))
		return AGENT__SAYS_FATAL;
	if (agent__is_retry(t)) {
		/* "Attempt 2 failed with status 429. Retrying with backoff...":
		 * the ApiError dump after it is noise for a title */
		if ((cut = strstr(t, " _ApiError")) != NULL || (cut = strstr(t, " Error: ")) != NULL)
			*len = (size_t)(cut - t);
		*msg = t;
		return AGENT__SAYS_NOTICE;
	}
	return AGENT__SAYS_NOTHING;
}

/* ==== recognising a gemini log ========================================== */

enum agent_dialect
agent__gemini_cue(const struct agent__cue *l, int *strong)
{
	static const char *const types[] = { "init", "message", "tool_use", "tool_result", "result" };
	const char *s = agent__skip_blanks(l->raw);
	char type[40];
	pcre2_match_data *md;
	int hit;

	*strong = 1;
	if (l->json != NULL) {
		agent__jhead_type(l->json, type, sizeof type);
		if (strcmp(type, "init") == 0)
			return AGENT_D_GEMINI_STREAM;
		if (agent__jhead_has(l->json, "timestamp") && !agent__jhead_has(l->json, "sessionID"))
			for (size_t i = 0; i < sizeof types / sizeof types[0]; i++)
				if (strcmp(type, types[i]) == 0)
					return AGENT_D_GEMINI_STREAM;
		/* --output-format json's object on one line */
		if (!type[0] && agent__jhead_has(l->json, "session_id") &&
		    agent__jhead_has(l->json, "response"))
			return AGENT_D_GEMINI_JSON;
		return AGENT_D_GENERIC;
	}
	/* --output-format json: a pretty-printed object whose first key is
	 * the session id */
	if (l->prevlen == 1 && l->prev[0] == '{' &&
	    l->rawlen - (size_t)(s - l->raw) > 12 && memcmp(s, "\"session_id\"", 12) == 0)
		return AGENT_D_GEMINI_JSON;
	if (agent__rx_compile(&rxs) < 0 || (md = agent__rx_md()) == NULL)
		return AGENT_D_GENERIC;
	hit = agent__rx_match(&rxs, RX_CUE, l->text, l->len, md) > 0;
	pcre2_match_data_free(md);
	*strong = 0;
	return hit ? AGENT_D_GEMINI_TEXT : AGENT_D_GENERIC;
}
