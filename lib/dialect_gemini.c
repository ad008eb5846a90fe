/* dialect_gemini.c — Gemini CLI `--output-format stream-json` lines and the
 * pretty-printed object of `--output-format json`, as events. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "dialect_json.h"

/* Plain text gemini writes to stderr that says something: a fatal resume
 * error ends the run, "Attempt n failed" lines are retries. */
static int
plain_line(struct agent__jp *st, const char *line, size_t len)
{
	const char *p = agent__plain(st, line, len);
	struct agent_event e;
	const char *cut;

	agent__ev_init(st, &e);
	if (strncmp(p, "Error resuming session", 22) == 0) {
		agent__error_event(st, &e, p, -1, 1);
		return agent__emit(st, &e);
	}
	if (strncmp(p, "Attempt ", 8) == 0 && strstr(p, " failed") != NULL &&
	    strstr(p, "Retrying") != NULL) {
		/* The ApiError dump after the notice is noise for a title. */
		if ((cut = strstr(p, " _ApiError")) != NULL ||
		    (cut = strstr(p, " Error: ")) != NULL)
			p = agent__strndup(st, p, (size_t)(cut - p));
		agent__error_event(st, &e, p, -1, 0);
		return agent__emit(st, &e);
	}
	return 0;
}

/* Joined assistant deltas become one TEXT event. */
static int
flush_delta(struct agent__jp *st)
{
	struct agent_event e;

	if (st->delta.len == 0)
		return 0;
	agent__ev_init(st, &e);
	e.kind = AGENT_EV_TEXT;
	e.ts = st->delta_ts;
	e.line = st->delta_line;
	e.text = agent__strndup(st, st->delta.p, st->delta.len);
	e.title = agent__first_line(st, e.text);
	st->delta.len = 0;
	st->delta_ts = -1;
	st->delta_cut = 0;
	return e.title != NULL ? agent__emit(st, &e) : 0;
}

static void
stats_tokens(struct agent__jt *stats, struct agent_event *e)
{
	long long v;

	if (agent__jint(stats, "input_tokens", &v))
		e->tokens_in = v;
	if (agent__jint(stats, "output_tokens", &v))
		e->tokens_out = v;
}

static int
tool_result(struct agent__jp *st, struct agent__jt *o, struct agent_event *e)
{
	const char *status = agent__jstr(o, "status");
	struct agent__jt *err = agent__jget(o, "error");
	const char *sep;

	e->kind = AGENT_EV_TOOL;
	e->call_id = agent__jstr(o, "tool_id");
	e->status = status != NULL && strcmp(status, "success") == 0
	    ? AGENT_TOOL_COMPLETED : AGENT_TOOL_ERROR;
	e->text = agent__jstr(o, "output");
	if (e->status == AGENT_TOOL_ERROR && agent__jstr(err, "message") != NULL)
		e->text = agent__jstr(err, "message");
	agent__call_take(st, e);
	if (e->tool == NULL && e->call_id != NULL &&
	    (sep = strstr(e->call_id, "__")) != NULL) {
		/* Start not seen: the id opens with the tool's name. */
		const char *name = agent__strndup(st, e->call_id,
		    (size_t)(sep - e->call_id));

		e->tool = name;
		e->tkind = agent__tool_kind(name);
	}
	return agent__emit(st, e);
}

static int
stream_obj(struct agent__jp *st, struct agent__jt *o)
{
	const char *type = agent__jstr(o, "type");
	const char *role, *content;
	struct agent_event e;
	int r;

	if (type == NULL)
		return 0;
	agent__ev_init(st, &e);
	e.ts = agent__iso_time(agent__jstr(o, "timestamp"));
	if (strcmp(type, "message") == 0 && agent__jbool(o, "delta") == 1 &&
	    (role = agent__jstr(o, "role")) != NULL && strcmp(role, "assistant") == 0) {
		content = agent__jstr(o, "content");
		if (content == NULL || st->delta_cut)
			return 0;
		if (st->delta.len == 0) {
			st->delta_ts = e.ts;
			st->delta_line = st->lineno;
		}
		if (agent__buf_add(&st->delta, content, strlen(content),
		    AGENT__JSON_HOLD_MAX) != 0)
			st->delta_cut = 1;
		return 0;
	}
	if ((r = flush_delta(st)) != 0)
		return r;
	if (strcmp(type, "init") == 0) {
		if ((r = agent__session_seen(st, agent__jstr(o, "session_id"))) != 0)
			return r;
		return agent__model_seen(st, agent__jstr(o, "model"));
	} else if (strcmp(type, "message") == 0) {
		role = agent__jstr(o, "role");
		if (role == NULL || strcmp(role, "assistant") != 0)
			return 0;
		e.kind = AGENT_EV_TEXT;
		e.text = agent__jstr(o, "content");
		e.title = agent__first_line(st, e.text);
		if (e.title == NULL)
			return 0;
	} else if (strcmp(type, "tool_use") == 0) {
		e.kind = AGENT_EV_TOOL;
		e.status = AGENT_TOOL_RUNNING;
		e.call_id = agent__jstr(o, "tool_id");
		agent__tool_describe(st, &e, agent__jstr(o, "tool_name"),
		    agent__jget(o, "parameters"));
		agent__call_put(st, &e);
	} else if (strcmp(type, "tool_result") == 0) {
		return tool_result(st, o, &e);
	} else if (strcmp(type, "result") == 0) {
		const char *status = agent__jstr(o, "status");

		stats_tokens(agent__jget(o, "stats"), &e);
		if (status != NULL && strcmp(status, "success") == 0) {
			e.kind = AGENT_EV_DONE;
			e.final = 1;
		} else {
			const char *msg = agent__jstr(agent__jget(o, "error"), "message");

			agent__error_event(st, &e, msg != NULL ? msg : "error", -1, 1);
		}
	} else if (strcmp(type, "error") == 0) {
		const char *msg = agent__jstr(o, "message");

		agent__error_event(st, &e, msg != NULL ? msg : "error", -1, 0);
	} else {
		return 0;
	}
	return agent__emit(st, &e);
}

static int
stream_line(void *v, const char *line, size_t len, long lineno,
            agent_event_fn fn, void *arg)
{
	struct agent__jp *st = v;
	struct agent__jt *o;
	int r;

	agent__jp_begin(st, lineno, fn, arg);
	if ((o = agent__jp_parse(st, line, len)) == NULL)
		return plain_line(st, line, len);
	r = stream_obj(st, o);
	return r;
}

static int
stream_end(void *v, agent_event_fn fn, void *arg)
{
	struct agent__jp *st = v;

	agent__jp_begin(st, st->lineno, fn, arg);
	return flush_delta(st);
}

/* The json format's one object: session, the final answer or the error,
 * the main model and the token sums of every model. */
static int
json_obj(struct agent__jp *st, struct agent__jt *o)
{
	struct agent__jt *models = agent__jget(agent__jget(o, "stats"), "models");
	struct agent__jt *err = agent__jget(o, "error");
	const char *resp = agent__jstr(o, "response");
	const char *main_model = NULL;
	long long in = 0, out = 0, v;
	int have = 0, r;
	struct agent_event e;

	if ((r = agent__session_seen(st, agent__jstr(o, "session_id"))) != 0)
		return r;
	if (models != NULL && agent__js_is(models, AGENT__JT_OBJECT)) {
		struct agent__jt *k;

		for (k = agent__js_first(models); k != NULL; k = agent__js_next(models, k)) {
			const char *name = agent__js_str(k);
			struct agent__jt *m = k + 1, *tok = agent__jget(m, "tokens");

			if (agent__js_get(models, name) != m)
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
	if ((r = agent__model_seen(st, main_model)) != 0)
		return r;
	agent__ev_init(st, &e);
	if (have) {
		e.tokens_in = in;
		e.tokens_out = out;
	}
	if (err != NULL && !agent__js_is(err, AGENT__JT_NULL)) {
		const char *msg = agent__jstr(err, "message");
		int status = -1;

		if (agent__jint(err, "code", &v) && v >= 100 && v <= 599)
			status = (int)v;
		if (msg == NULL && agent__js_is(err, AGENT__JT_STRING))
			msg = agent__js_str(err);
		agent__error_event(st, &e, msg != NULL ? msg : "error", status, 1);
		return agent__emit(st, &e);
	}
	if (resp == NULL)
		return 0;
	{
		struct agent_event t;

		agent__ev_init(st, &t);
		t.kind = AGENT_EV_TEXT;
		t.text = resp;
		t.title = agent__first_line(st, resp);
		if (t.title != NULL && (r = agent__emit(st, &t)) != 0)
			return r;
	}
	e.kind = AGENT_EV_DONE;
	e.final = 1;
	e.text = resp;
	e.title = agent__first_line(st, resp);
	return agent__emit(st, &e);
}

/* Parses the gathered object and forgets it. */
static int
json_flush(struct agent__jp *st)
{
	struct agent__jt *o;
	int r = 0;

	if (!st->in_obj)
		return 0;
	st->in_obj = 0;
	o = agent__jp_parse(st, st->obj.p, st->obj.len);
	st->obj.len = 0;
	if (o != NULL) {
		r = json_obj(st, o);
	}
	return r;
}

static int
json_line(void *v, const char *line, size_t len, long lineno,
          agent_event_fn fn, void *arg)
{
	struct agent__jp *st = v;
	size_t n = len;
	struct agent__jt *o;
	int r;

	agent__jp_begin(st, lineno, fn, arg);
	while (n > 0 && (line[n - 1] == '\r' || line[n - 1] == ' '))
		n--;
	if (n == 1 && line[0] == '{') {
		/* A new object starts (one never closed is dropped). */
		st->in_obj = 1;
		st->obj.len = 0;
		if (agent__buf_add(&st->obj, "{\n", 2, AGENT__JSON_HOLD_MAX) != 0)
			st->in_obj = 0;
		return 0;
	}
	if (st->in_obj) {
		/* Inside the object every line is indented or closes it; a
		 * stderr line that raced into it is left out. */
		if (n > 0 && line[0] != ' ' && line[0] != '}' && line[0] != ']')
			return plain_line(st, line, len);
		if (agent__buf_add(&st->obj, line, n, AGENT__JSON_HOLD_MAX) != 0 ||
		    agent__buf_add(&st->obj, "\n", 1, AGENT__JSON_HOLD_MAX) != 0) {
			st->in_obj = 0;
			st->obj.len = 0;
			return 0;
		}
		return n == 1 && line[0] == '}' ? json_flush(st) : 0;
	}
	if (n > 0 && line[0] == '{' && (o = agent__jp_parse(st, line, n)) != NULL) {
		r = json_obj(st, o);
		return r;
	}
	return plain_line(st, line, len);
}

static int
json_end(void *v, agent_event_fn fn, void *arg)
{
	struct agent__jp *st = v;

	agent__jp_begin(st, st->lineno, fn, arg);
	return json_flush(st);
}

static size_t
gemini_session(const char *line, size_t len, char *buf, size_t buflen)
{
	return agent__session_key(line, len, "session_id", agent__valid_uuid,
	    buf, buflen);
}

const struct agent_dialect_ops agent__gemini_stream_ops = {
	.new = agent__jp_new,
	.free = agent__jp_free,
	.line = stream_line,
	.end = stream_end,
	.session = gemini_session,
};

const struct agent_dialect_ops agent__gemini_json_ops = {
	.new = agent__jp_new,
	.free = agent__jp_free,
	.line = json_line,
	.end = json_end,
	.session = gemini_session,
};
