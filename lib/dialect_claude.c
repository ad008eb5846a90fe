/* dialect_claude.c — Claude Code `-p --output-format stream-json` lines and
 * the single `result` object of `--output-format json`, as events. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "dialect_json.h"

#define INTERRUPT_TEXT "[Request interrupted by user"

/* The text blocks (or strings) of a content array, or a plain string
 * content, joined by newlines. */
static const char *
content_text(struct agent__jp *st, struct agent__jt *content)
{
	struct agent__buf b = { 0 };
	const char *s, *r;
	size_t i, n;

	if (content == NULL)
		return NULL;
	if (agent__js_is(content, AGENT__JT_STRING))
		return agent__js_str(content);
	if (!agent__js_is(content, AGENT__JT_ARRAY))
		return NULL;
	n = agent__js_len(content);
	for (i = 0; i < n; i++) {
		struct agent__jt *blk = agent__js_idx(content, i);

		s = agent__js_is(blk, AGENT__JT_STRING)
		    ? agent__js_str(blk) : agent__jstr(blk, "text");
		if (s == NULL)
			continue;
		if ((b.len > 0 && agent__buf_add(&b, "\n", 1, AGENT__JSON_HOLD_MAX) < 0) ||
		    agent__buf_add(&b, s, strlen(s), AGENT__JSON_HOLD_MAX) < 0)
			break;
	}
	r = b.p != NULL ? agent__strndup(st, b.p, b.len) : NULL;
	agent__buf_free(&b);
	return r;
}

static int
system_line(struct agent__jp *st, struct agent__jt *o)
{
	struct agent_event e;
	const char *sub = agent__jstr(o, "subtype");
	char msg[256];
	long long att = -1, max = -1, status = -1;

	agent__ev_init(st, &e);
	if (sub != NULL && strcmp(sub, "init") == 0)
		return agent__model_seen(st, agent__jstr(o, "model"));
	if (sub != NULL && strcmp(sub, "api_retry") == 0) {
		const char *err = agent__jstr(o, "error");

		agent__jint(o, "attempt", &att);
		agent__jint(o, "max_retries", &max);
		if (!agent__jint(o, "error_status", &status) || status < 100 ||
		    status > 599)
			status = -1;
		if (status > 0)
			snprintf(msg, sizeof msg, "API retry %lld/%lld: %s (status %lld)",
			    att, max, err != NULL ? err : "error", status);
		else
			snprintf(msg, sizeof msg, "API retry %lld/%lld: %s", att, max,
			    err != NULL ? err : "error");
		agent__error_event(st, &e, agent__strdup(st, msg), (int)status, 0);
		return agent__emit(st, &e);
	}
	e.kind = AGENT_EV_STEP;
	e.title = agent__first_line(st, agent__jstr(o, "description"));
	if (e.title == NULL)
		e.title = agent__jstr(o, "status");
	if (e.title == NULL)
		e.title = sub;
	return agent__emit(st, &e);
}

static int
assistant_line(struct agent__jp *st, struct agent__jt *o)
{
	struct agent__jt *msg = agent__jget(o, "message");
	struct agent__jt *content = agent__jget(msg, "content");
	const char *model = agent__jstr(msg, "model");
	const char *err = agent__jstr(o, "error");
	struct agent_event e;
	size_t i, n;
	int r;

	if (model != NULL && strcmp(model, "<synthetic>") == 0)
		model = NULL;
	if (err != NULL) {
		/* A synthetic message standing for an API error; the result
		 * line after it ends the run. */
		if (strcmp(err, "rate_limit") == 0)
			st->rate_limited = 1;
		agent__ev_init(st, &e);
		agent__error_event(st, &e, content_text(st, content), -1, 0);
		if (e.text == NULL)
			e.text = e.title = err;
		return agent__emit(st, &e);
	}
	if (content != NULL && agent__js_is(content, AGENT__JT_STRING)) {
		agent__ev_init(st, &e);
		e.kind = AGENT_EV_TEXT;
		e.model = model;
		e.text = agent__js_str(content);
		e.title = agent__first_line(st, e.text);
		return e.title != NULL ? agent__emit(st, &e) : 0;
	}
	if (content == NULL || !agent__js_is(content, AGENT__JT_ARRAY))
		return 0;
	n = agent__js_len(content);
	for (i = 0; i < n; i++) {
		struct agent__jt *blk = agent__js_idx(content, i);
		const char *type = agent__jstr(blk, "type");

		if (type == NULL)
			continue;
		agent__ev_init(st, &e);
		e.model = model;
		if (strcmp(type, "text") == 0) {
			e.kind = AGENT_EV_TEXT;
			e.text = agent__jstr(blk, "text");
			e.title = agent__first_line(st, e.text);
			if (e.title == NULL)    /* nothing but blanks */
				continue;
		} else if (strcmp(type, "tool_use") == 0) {
			const char *name = agent__jstr(blk, "name");

			e.kind = AGENT_EV_TOOL;
			e.status = AGENT_TOOL_RUNNING;
			e.call_id = agent__jstr(blk, "id");
			agent__tool_describe(st, &e, name, agent__jget(blk, "input"));
			agent__call_put(st, &e);
		} else if (strcmp(type, "thinking") == 0 ||
		    strcmp(type, "redacted_thinking") == 0) {
			e.kind = AGENT_EV_STEP;
			e.title = "thinking";
			e.text = agent__jstr(blk, "thinking");
		} else {
			e.kind = AGENT_EV_STEP;
			e.title = type;
		}
		if ((r = agent__emit(st, &e)) != 0)
			return r;
	}
	return 0;
}

/* "Exit code 2\n…" (or "Error: Exit code 2…") opens a failed Bash result. */
static int
exit_code_of(const char *s)
{
	long v;
	char *end;

	if (s == NULL)
		return -1;
	if (strncmp(s, "Error: ", 7) == 0)
		s += 7;
	if (strncmp(s, "Exit code ", 10) != 0)
		return -1;
	v = strtol(s + 10, &end, 10);
	if (end == s + 10 || v < 0 || v > 255)
		return -1;
	return (int)v;
}

/* A result whose tool_use line was not seen (a log read from its tail):
 * the structured tool_use_result still tells which kind of tool it was. */
static void
guess_tool(struct agent__jp *st, struct agent_event *e, struct agent__jt *res)
{
	const char *type = agent__jstr(res, "type");
	const char *fp = agent__jstr(res, "filePath");

	if (res == NULL || !agent__js_is(res, AGENT__JT_OBJECT))
		return;
	if (fp == NULL)
		fp = agent__jstr(agent__jget(res, "file"), "filePath");
	if (agent__jget(res, "stdout") != NULL && agent__jget(res, "stderr") != NULL) {
		e->tool = "Bash";
		e->tkind = AGENT_TK_SHELL;
	} else if (fp != NULL && type != NULL && strcmp(type, "text") == 0) {
		e->tool = "Read";
		e->tkind = AGENT_TK_READ;
	} else if (fp != NULL && type != NULL && strcmp(type, "create") == 0) {
		e->tool = "Write";
		e->tkind = AGENT_TK_WRITE;
	} else if (fp != NULL && (agent__jget(res, "oldString") != NULL ||
	    (type != NULL && strcmp(type, "update") == 0))) {
		e->tool = "Edit";
		e->tkind = AGENT_TK_EDIT;
	} else {
		return;
	}
	if (e->tkind != AGENT_TK_SHELL) {
		e->path = fp;
		e->title = agent__first_line(st, fp);
	}
}

static int
user_line(struct agent__jp *st, struct agent__jt *o)
{
	struct agent__jt *content = agent__jget(agent__jget(o, "message"), "content");
	double ts = agent__iso_time(agent__jstr(o, "timestamp"));
	struct agent_event e;
	size_t i, n;
	int r;

	if (content != NULL && agent__js_is(content, AGENT__JT_STRING)) {
		if (strncmp(agent__js_str(content), INTERRUPT_TEXT,
		    strlen(INTERRUPT_TEXT)) == 0)
			st->interrupted = 1;
		return 0;
	}
	if (content == NULL || !agent__js_is(content, AGENT__JT_ARRAY))
		return 0;
	n = agent__js_len(content);
	for (i = 0; i < n; i++) {
		struct agent__jt *blk = agent__js_idx(content, i);
		const char *type = agent__jstr(blk, "type");

		if (type == NULL)
			continue;
		if (strcmp(type, "text") == 0) {
			const char *t = agent__jstr(blk, "text");

			if (t == NULL || strncmp(t, INTERRUPT_TEXT, strlen(INTERRUPT_TEXT)) != 0)
				continue;
			st->interrupted = 1;
			agent__ev_init(st, &e);
			e.kind = AGENT_EV_STEP;
			e.ts = ts;
			e.title = agent__first_line(st, t);
		} else if (strcmp(type, "tool_result") == 0) {
			agent__ev_init(st, &e);
			e.kind = AGENT_EV_TOOL;
			e.ts = ts;
			e.call_id = agent__jstr(blk, "tool_use_id");
			e.status = agent__jbool(blk, "is_error") == 1 ? AGENT_TOOL_ERROR
			    : AGENT_TOOL_COMPLETED;
			e.text = content_text(st, agent__jget(blk, "content"));
			agent__call_take(st, &e);
			if (e.tool == NULL && n == 1)
				guess_tool(st, &e, agent__jget(o, "tool_use_result"));
			if (e.tkind == AGENT_TK_SHELL)
				e.exit_code = e.status == AGENT_TOOL_COMPLETED ? 0
				    : exit_code_of(e.text);
		} else {
			continue;
		}
		if ((r = agent__emit(st, &e)) != 0)
			return r;
	}
	return 0;
}

static int
result_line(struct agent__jp *st, struct agent__jt *o)
{
	struct agent__jt *usage = agent__jget(o, "usage");
	const char *sub = agent__jstr(o, "subtype");
	const char *why = agent__jstr(o, "terminal_reason");
	const char *text = agent__jstr(o, "result");
	int is_error = agent__jbool(o, "is_error");
	struct agent_event e;
	long long v;

	agent__ev_init(st, &e);
	if (agent__jint(usage, "input_tokens", &v))
		e.tokens_in = v;
	if (agent__jint(usage, "output_tokens", &v))
		e.tokens_out = v;
	agent__jnum(o, "total_cost_usd", &e.cost);
	if (text == NULL || *text == '\0')
		text = content_text(st, agent__jget(o, "errors"));
	/* An API error comes as subtype "success" with is_error set, but
	 * "error_max_turns" and the like end the run short whatever is_error
	 * says. */
	if (sub != NULL && strncmp(sub, "error", 5) == 0 && is_error == 0)
		is_error = 1;
	if (is_error == 0 || (is_error < 0 && sub != NULL &&
	    strcmp(sub, "success") == 0)) {
		e.kind = AGENT_EV_DONE;
		e.final = 1;
		e.text = text;
		e.title = agent__first_line(st, text);
	} else if (sub != NULL && strcmp(sub, "error_during_execution") == 0 &&
	    ((why != NULL && strcmp(why, "aborted_tools") == 0) || st->interrupted ||
	    (text != NULL && strstr(text, INTERRUPT_TEXT) != NULL))) {
		e.kind = AGENT_EV_INTERRUPT;
		e.final = 1;
		e.text = text;
		e.title = agent__first_line(st, text);
	} else {
		int status = -1;

		if (agent__jint(o, "api_error_status", &v) && v >= 100 && v <= 599)
			status = (int)v;
		if (text == NULL)
			text = sub != NULL ? sub : "error";
		agent__error_event(st, &e, text, status, 1);
		if (st->rate_limited)
			e.kind = AGENT_EV_LIMIT;
	}
	st->interrupted = st->rate_limited = 0;
	return agent__emit(st, &e);
}

/* The few things claude prints as plain text that end a run. */
static int
plain_line(struct agent__jp *st, const char *line, size_t len)
{
	const char *p = agent__plain(st, line, len);
	struct agent_event e;

	if (!((strstr(p, "--dangerously-skip-permissions cannot be used with root") != NULL) ||
	    (strncmp(p, "Error: Session ID ", 18) == 0 && strstr(p, "already in use") != NULL) ||
	    strncmp(p, "Error: When using --print", 25) == 0))
		return 0;
	agent__ev_init(st, &e);
	agent__error_event(st, &e, p, -1, 1);
	return agent__emit(st, &e);
}

static int
claude_obj(struct agent__jp *st, struct agent__jt *o)
{
	const char *type = agent__jstr(o, "type");
	int r;

	r = agent__session_seen(st, agent__jstr(o, "session_id"));
	if (r != 0 || type == NULL)
		;
	else if (strcmp(type, "system") == 0)
		r = system_line(st, o);
	else if (strcmp(type, "assistant") == 0)
		r = assistant_line(st, o);
	else if (strcmp(type, "user") == 0)
		r = user_line(st, o);
	else if (strcmp(type, "result") == 0)
		r = result_line(st, o);
	else if (strcmp(type, "stream_event") == 0) {
		struct agent_event e;

		agent__ev_init(st, &e);
		e.kind = AGENT_EV_STEP;
		e.title = agent__jstr(agent__jget(o, "event"), "type");
		r = agent__emit(st, &e);
	}
	return r;
}

static int
claude_line(void *v, const char *line, size_t len, long lineno,
            agent_event_fn fn, void *arg)
{
	struct agent__jp *st = v;
	struct agent__jt *o;
	size_t i, n;
	int r = 0;

	agent__jp_begin(st, lineno, fn, arg);
	if ((o = agent__jp_parse(st, line, len)) != NULL) {
		r = claude_obj(st, o);
	} else if ((o = agent__jp_parse_array(st, line, len)) != NULL) {
		/* --output-format json --verbose: every message in one array */
		struct agent__jt *m = o + 1;

		n = agent__js_len(o);
		for (i = 0; i < n && r == 0; i++, m += m->skip)
			if (agent__js_is(m, AGENT__JT_OBJECT))
				r = claude_obj(st, m);
	} else {
		return plain_line(st, line, len);
	}
	return r;
}

static size_t
claude_session(const char *line, size_t len, char *buf, size_t buflen)
{
	return agent__session_key(line, len, "session_id", agent__valid_uuid,
	    buf, buflen);
}

const struct agent_dialect_ops agent__claude_ops = {
	.new = agent__jp_new,
	.free = agent__jp_free,
	.line = claude_line,
	.end = NULL,
	.session = claude_session,
};
