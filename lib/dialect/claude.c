/* claude.c — Claude Code: `claude -p --output-format stream-json` lines
 * and the `result` object of `--output-format json` (one JSON parser), the
 * bare answer of `claude -p`, the lines it prints on stderr, and how its
 * logs are recognised. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "json.h"
#include "text.h"
#include "rules.h"

#define INTERRUPT_TEXT "[Request interrupted by user"

/* ==== stream-json and json ============================================== */

/* What this dialect knows (format drift, json.h): the line types, and the
 * values of the fields its reading depends on, as Claude Code 2.1.197 and
 * 2.1.332 write them.  A value is here only when the code below reads
 * it right. */
static const char *const known[] = {
	"system", "assistant", "user", "result", "rate_limit_event", "stream_event",
	"system.subtype=init", "system.subtype=status", "system.subtype=api_retry",
	"system.subtype=task_started", "system.subtype=task_notification",
	"system.subtype=thinking_tokens",
	"assistant.content=text", "assistant.content=tool_use",
	"assistant.content=thinking", "assistant.content=redacted_thinking",
	"assistant.error=authentication_failed", "assistant.error=server_error",
	"assistant.error=rate_limit", "assistant.error=unknown",
	"user.content=text", "user.content=tool_result",
	"result.subtype=success", "result.subtype=error_during_execution",
	"result.subtype=error_max_turns", "result.subtype=error_max_budget_usd",
	"result.terminal_reason=completed", "result.terminal_reason=aborted_tools",
	"result.terminal_reason=api_error", "result.terminal_reason=max_turns",
	"result.terminal_reason=budget_exhausted",
	"rate_limit_event.rate_limit_info.status=allowed",
	"rate_limit_event.rate_limit_info.status=allowed_warning",
	"rate_limit_event.rate_limit_info.status=rejected",
	"stream_event.event.type=message_start", "stream_event.event.type=content_block_start",
	"stream_event.event.type=content_block_delta", "stream_event.event.type=content_block_stop",
	"stream_event.event.type=message_delta", "stream_event.event.type=message_stop",
	NULL
};

struct claude {
	struct agent__json j;
	int interrupted;                /* "[Request interrupted by user" seen */
	int rate_limited;               /* an assistant line said error rate_limit */
	double resets_at;               /* a rejected rate_limit_event's resetsAt */
};

static void *
claude_new(enum agent_dialect d)
{
	struct claude *c = agent__json_new(sizeof(struct claude), d, agent__valid_uuid);

	if (c != NULL) {
		c->resets_at = -1;
		c->j.known = known;
	}
	return c;
}

static int
system_line(struct claude *c, struct agent__jval *o)
{
	struct agent_event e;
	const char *sub = agent__jstr(o, "subtype");
	char msg[256];
	long long att = -1, max = -1, status = -1;

	agent_event_init(&e);
	agent__json_knows(&c->j, "system", "subtype", sub);
	if (sub != NULL && strcmp(sub, "init") == 0)
		return agent__json_model(&c->j, agent__jstr(o, "model"));
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
		agent__json_error(&c->j, &e, agent__json_strdup(&c->j, msg), (int)status, 0);
		return agent__json_emit(&c->j, &e);
	}
	e.kind = AGENT_EV_STEP;
	e.title = agent__first_line(&c->j, agent__jstr(o, "description"));
	if (e.title == NULL)
		e.title = agent__jstr(o, "status");
	if (e.title == NULL)
		e.title = sub;
	return agent__json_emit(&c->j, &e);
}

/* A message's model, but for the stand-in of an API error. */
static const char *
message_model(struct agent__jval *o)
{
	const char *model = agent__jstr(agent__jget(o, "message"), "model");

	return model != NULL && strcmp(model, "<synthetic>") == 0 ? NULL : model;
}

/* Calls fn for each block of a message's content array that names its
 * type (n: how many blocks there are); 0 or fn's non-zero value. */
static int
each_block(struct claude *c, struct agent__jval *o, struct agent__jval *content,
           const char *line_type,
           int (*fn)(struct claude *, struct agent__jval *o, struct agent__jval *blk,
                     const char *type, size_t n))
{
	size_t i, n;
	int r;

	if (content == NULL || !agent__jval_is(content, AGENT__JV_ARRAY))
		return 0;
	n = agent__jval_len(content);
	/* every block's type asked first: the line's events carry what was
	 * not known */
	for (i = 0; i < n; i++)
		agent__json_knows(&c->j, line_type, "content",
		    agent__jstr(agent__jval_idx(content, i), "type"));
	for (i = 0; i < n; i++) {
		struct agent__jval *blk = agent__jval_idx(content, i);
		const char *type = agent__jstr(blk, "type");

		if (type != NULL && (r = fn(c, o, blk, type, n)) != 0)
			return r;
	}
	return 0;
}

/* One block of an assistant message: text, a tool call, reasoning. */
static int
assistant_block(struct claude *c, struct agent__jval *o, struct agent__jval *blk,
                const char *type, size_t n)
{
	struct agent_event e;

	(void)n;
	agent_event_init(&e);
	e.model = message_model(o);
	if (strcmp(type, "text") == 0) {
		e.kind = AGENT_EV_TEXT;
		e.text = agent__jstr(blk, "text");
		e.title = agent__first_line(&c->j, e.text);
		if (e.title == NULL)    /* nothing but blanks */
			return 0;
	} else {
		agent__json_block(&c->j, &e, blk, type);
	}
	return agent__json_emit(&c->j, &e);
}

static int
assistant_line(struct claude *c, struct agent__jval *o)
{
	struct agent__jval *content = agent__jget(agent__jget(o, "message"), "content");
	const char *err = agent__jstr(o, "error");
	struct agent_event e;

	if (err != NULL) {
		/* A synthetic message standing for an API error; the result
		 * line after it ends the run. */
		agent__json_knows(&c->j, "assistant", "error", err);
		if (strcmp(err, "rate_limit") == 0)
			c->rate_limited = 1;
		agent_event_init(&e);
		agent__json_error(&c->j, &e, agent__content_text(&c->j, content, 0), -1, 0);
		if (e.text == NULL)
			e.text = e.title = err;
		return agent__json_emit(&c->j, &e);
	}
	if (content != NULL && agent__jval_is(content, AGENT__JV_STRING)) {
		agent_event_init(&e);
		e.kind = AGENT_EV_TEXT;
		e.model = message_model(o);
		e.text = agent__jval_str(content);
		e.title = agent__first_line(&c->j, e.text);
		return e.title != NULL ? agent__json_emit(&c->j, &e) : 0;
	}
	return each_block(c, o, content, "assistant", assistant_block);
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
guess_tool(struct claude *c, struct agent_event *e, struct agent__jval *res)
{
	const char *type = agent__jstr(res, "type");
	const char *fp = agent__jstr(res, "filePath");

	if (res == NULL || !agent__jval_is(res, AGENT__JV_OBJECT))
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
		e->title = agent__first_line(&c->j, fp);
	}
}

/* One block of a user message: a tool's result, or the interruption. */
static int
user_block(struct claude *c, struct agent__jval *o, struct agent__jval *blk,
           const char *type, size_t n)
{
	struct agent_event e;
	const char *t;

	agent_event_init(&e);
	e.ts = agent__iso_time(agent__jstr(o, "timestamp"));
	if (strcmp(type, "text") == 0) {
		t = agent__jstr(blk, "text");
		if (t == NULL || strncmp(t, INTERRUPT_TEXT, strlen(INTERRUPT_TEXT)) != 0)
			return 0;
		c->interrupted = 1;
		e.kind = AGENT_EV_STEP;
		e.title = agent__first_line(&c->j, t);
	} else if (strcmp(type, "tool_result") == 0) {
		e.kind = AGENT_EV_TOOL;
		e.call_id = agent__jstr(blk, "tool_use_id");
		e.status = agent__jbool(blk, "is_error") == 1 ? AGENT_TOOL_ERROR
		    : AGENT_TOOL_COMPLETED;
		e.text = agent__content_text(&c->j, agent__jget(blk, "content"), 0);
		agent__json_call_take(&c->j, &e);
		if (e.tool == NULL && n == 1)
			guess_tool(c, &e, agent__jget(o, "tool_use_result"));
		if (e.tkind == AGENT_TK_SHELL)
			e.exit_code = e.status == AGENT_TOOL_COMPLETED ? 0 : exit_code_of(e.text);
	} else {
		return 0;
	}
	return agent__json_emit(&c->j, &e);
}

static int
user_line(struct claude *c, struct agent__jval *o)
{
	struct agent__jval *content = agent__jget(agent__jget(o, "message"), "content");

	if (content != NULL && agent__jval_is(content, AGENT__JV_STRING)) {
		if (strncmp(agent__jval_str(content), INTERRUPT_TEXT,
		    strlen(INTERRUPT_TEXT)) == 0)
			c->interrupted = 1;
		return 0;
	}
	return each_block(c, o, content, "user", user_block);
}

static int
result_line(struct claude *c, struct agent__jval *o)
{
	struct agent__jval *usage = agent__jget(o, "usage");
	const char *sub = agent__jstr(o, "subtype");
	const char *why = agent__jstr(o, "terminal_reason");
	const char *text = agent__jstr(o, "result");
	struct agent_event e;
	long long v;
	int done;

	agent_event_init(&e);
	/* the verdict rests on these: is_error, the subtype, and the
	 * terminal reason when there is one (older releases wrote none) */
	done = agent__json_result_done(&c->j, o);
	if (why != NULL)
		agent__json_knows(&c->j, "result", "terminal_reason", why);
	agent__json_tokens(usage, &e);
	agent__jnum(o, "total_cost_usd", &e.cost);
	if (text == NULL || *text == '\0')
		text = agent__content_text(&c->j, agent__jget(o, "errors"), 0);
	if (done) {
		e.kind = AGENT_EV_DONE;
		e.final = 1;
		e.text = text;
		e.title = agent__first_line(&c->j, text);
	} else if (sub != NULL && strcmp(sub, "error_during_execution") == 0 &&
	    ((why != NULL && strcmp(why, "aborted_tools") == 0) || c->interrupted ||
	    (text != NULL && strstr(text, INTERRUPT_TEXT) != NULL))) {
		e.kind = AGENT_EV_INTERRUPT;
		e.final = 1;
		e.text = text;
		e.title = agent__first_line(&c->j, text);
	} else {
		int status = -1;

		if (agent__jint(o, "api_error_status", &v) && v >= 100 && v <= 599)
			status = (int)v;
		if (text == NULL)
			text = sub != NULL ? sub : "error";
		agent__json_error(&c->j, &e, text, status, 1);
		if (c->rate_limited)
			e.kind = AGENT_EV_LIMIT;
		if (e.kind == AGENT_EV_LIMIT)
			e.resets_at = c->resets_at;
	}
	c->interrupted = c->rate_limited = 0;
	c->resets_at = -1;
	return agent__json_emit(&c->j, &e);
}

/* A claude.ai subscription's limit: {"status":"rejected","resetsAt":<epoch>,
 * "rateLimitType":"five_hour",...} comes before the error it causes (a
 * status "allowed_warning" only says a limit is near). */
static void
rate_limit_line(struct claude *c, struct agent__jval *info)
{
	const char *status = agent__jstr(info, "status");
	double at;

	agent__json_knows(&c->j, "rate_limit_event", "rate_limit_info.status", status);
	if (status == NULL || strcmp(status, "rejected") != 0)
		return;
	c->rate_limited = 1;
	if (agent__jnum(info, "resetsAt", &at) && at > 0)
		c->resets_at = at;
}

static int
claude_obj(struct claude *c, struct agent__jval *o)
{
	const char *type = agent__jstr(o, "type");
	int r;

	/* asked before the session event, which carries what it lacks */
	if (!agent__json_knows(&c->j, type, NULL, NULL))
		type = NULL;
	r = agent__json_session(&c->j, agent__jstr(o, "session_id"));
	if (r != 0 || type == NULL)
		;
	else if (strcmp(type, "system") == 0)
		r = system_line(c, o);
	else if (strcmp(type, "assistant") == 0)
		r = assistant_line(c, o);
	else if (strcmp(type, "user") == 0)
		r = user_line(c, o);
	else if (strcmp(type, "result") == 0)
		r = result_line(c, o);
	else if (strcmp(type, "rate_limit_event") == 0)
		rate_limit_line(c, agent__jget(o, "rate_limit_info"));
	else if (strcmp(type, "stream_event") == 0) {
		struct agent_event e;

		agent_event_init(&e);
		e.kind = AGENT_EV_STEP;
		e.title = agent__jstr(agent__jget(o, "event"), "type");
		agent__json_knows(&c->j, "stream_event", "event.type", e.title);
		r = agent__json_emit(&c->j, &e);
	}
	return r;
}

static int
claude_line(void *v, const char *line, size_t len, long lineno,
            agent_event_fn fn, void *arg)
{
	struct claude *c = v;
	struct agent__jval *o;
	size_t i, n;
	int r = 0;

	agent__json_begin(&c->j, lineno, fn, arg);
	if ((o = agent__json_object(&c->j, line, len)) != NULL) {
		r = claude_obj(c, o);
		if (r == 0)
			r = agent__json_line_end(&c->j);
	} else if ((o = agent__json_array(&c->j, line, len)) != NULL) {
		/* --output-format json --verbose: every message in one array */
		struct agent__jval *m = o + 1;

		n = agent__jval_len(o);
		for (i = 0; i < n && r == 0; i++, m += m->skip)
			if (agent__jval_is(m, AGENT__JV_OBJECT))
				r = claude_obj(c, m);
		if (r == 0)
			r = agent__json_line_end(&c->j);
	} else {
		return agent__json_stderr(&c->j, line, len, agent__claude_says);
	}
	return r;
}


/* "You've hit your session limit · resets 12:44pm (UTC)", "… · resets
 * Dec 1, 1:41pm (Europe/Berlin)" (the zone claude ran in), or before
 * Claude Code 2 "Claude AI usage limit reached|<epoch>". */
static double
claude_resets(const char *text, double ref)
{
	static const char bar[] = "usage limit reached|", resets[] = " resets ";
	const char *p = strstr(text, bar), *z, *ze;
	char zone[64], *end;
	double at;

	if (p != NULL) {
		p += sizeof bar - 1;
		at = strtod(p, &end);
		return end > p && at > 0 ? at : -1;
	}
	if ((p = strstr(text, resets)) == NULL)
		return -1;
	p += sizeof resets - 1;
	if ((z = strchr(p, '(')) == NULL || (ze = strchr(z, ')')) == NULL ||
	    (size_t)(ze - z - 1) >= sizeof zone)
		return agent__reset_clock(p, NULL, ref);
	memcpy(zone, z + 1, (size_t)(ze - z - 1));
	zone[ze - z - 1] = '\0';
	return agent__reset_clock(p, zone, ref);
}

const struct agent_dialect_ops agent__claude_json_ops = {
	.new = claude_new,
	.free = agent__json_free,
	.line = claude_line,
	.session_key = "session_id",
	.session_id = agent__valid_uuid,
	.resets = claude_resets,
	/* the result's usage and total_cost_usd: the process's spend so far */
	.usage = AGENT_USAGE_RUN,
};

/* ==== -p text: the answer alone ========================================= */

static int
text_line(void *st, const char *raw, size_t n, long lineno, agent_event_fn fn, void *arg)
{
	return agent__text_answer_line(st, raw, n, lineno, agent__claude_says, fn, arg);
}

/* -p text names no session: no .session */
const struct agent_dialect_ops agent__claude_text_ops = {
	.new = agent__text_answer_new,
	.free = agent__text_free,
	.line = text_line,
	.resets = claude_resets,
};

/* ==== what claude prints on stderr ====================================== */

enum agent__says
agent__claude_says(const char *t, enum agent_dialect as, const char **msg, size_t *len)
{
	int json = as == AGENT_D_CLAUDE_STREAM || as == AGENT_D_CLAUDE_JSON;

	(void)msg, (void)len;
	/* printed in every output format, and by no other agent */
	if ((agent__starts(t, "Error: Session ID ") && strstr(t, "already in use")) ||
	    strstr(t, "cannot be used with root/sudo privileges") ||
	    agent__starts(t, "Error: When using --print"))
		return AGENT__SAYS_FATAL;
	/* the json formats say these again in their result object, which
	 * ends the run there */
	if (!json && (agent__starts(t, "Invalid API key") || agent__starts(t, "API Error: ") ||
	              agent__starts(t, "Claude AI usage limit reached") ||
	              (agent__starts(t, "You've hit your ") && strstr(t, " · resets ")) ||
	              agent__starts(t, "No conversation found with session ID")))
		return AGENT__SAYS_FATAL;
	/* -p text is claude's alone: any error it prints is its last word */
	if (as == AGENT_D_CLAUDE_TEXT &&
	    (agent__starts(t, "Error: ") || strcmp(t, "Request timed out") == 0 ||
	     (strstr(t, "limit reached") && strstr(t, "reset"))))
		return AGENT__SAYS_FATAL;
	return AGENT__SAYS_NOTHING;
}

/* ==== recognising a claude log ========================================== */

enum { RX_CUE };
static struct agent__rx rx_tab[] = {
	[RX_CUE] = { "^(?:Invalid API key · |API Error: \\d{3}|Claude AI usage limit reached|"
	             "You've hit your .{1,60} · resets |Error: Reached max turns \\(\\d+\\)$)", 0, NULL },
};
static struct agent__rxset rxs = AGENT__RXSET(rx_tab);

enum agent_dialect
agent__claude_cue(const struct agent__cue *l, int *strong)
{
	static const char *const types[] = { "system", "assistant", "user", "stream_event" };
	char type[40];
	pcre2_match_data *md;
	int hit;

	if (l->json != NULL) {
		agent__jhead_type(l->json, type, sizeof type);
		*strong = 1;
		if (strcmp(type, "system") == 0 && agent__jhead_is(l->json, "subtype", "init"))
			return AGENT_D_CLAUDE_STREAM;
		if (!agent__jhead_has(l->json, "session_id"))
			return AGENT_D_GENERIC;
		for (size_t i = 0; i < sizeof types / sizeof types[0]; i++)
			if (strcmp(type, types[i]) == 0)
				return AGENT_D_CLAUDE_STREAM;
		/* json's one result object; stream-json ends with one too */
		if (strcmp(type, "result") == 0)
			return l->first_json ? AGENT_D_CLAUDE_JSON : AGENT_D_CLAUDE_STREAM;
		return AGENT_D_GENERIC;
	}
	/* -p text is the bare answer; only its error lines name it */
	if (agent__rx_compile(&rxs) < 0 || (md = agent__rx_md()) == NULL)
		return AGENT_D_GENERIC;
	hit = agent__rx_match(&rxs, RX_CUE, l->text, l->len, md) > 0;
	pcre2_match_data_free(md);
	*strong = 0;
	return hit ? AGENT_D_CLAUDE_TEXT : AGENT_D_GENERIC;
}
