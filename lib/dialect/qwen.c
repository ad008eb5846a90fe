/* qwen.c — Qwen Code: `qwen --output-format stream-json` lines and the
 * one array of `--output-format json` (one JSON parser), the bare answer
 * of its text mode, the lines it prints on stderr, and how its logs are
 * recognised.  Its JSON is Claude Code's shape (system/init, assistant,
 * user, result) with words of its own: API errors are assistant text
 * "[API Error: …]", retries a system/retry line, an interruption a tool
 * result "[Operation Cancelled]" and the plain line "Operation
 * cancelled.", with no result after it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "json.h"
#include "text.h"
#include "rules.h"

#define API_ERROR "[API Error: "
#define CANCELLED_RESULT "[Operation Cancelled]"
#define CANCELLED_LINE "Operation cancelled."

/* The error object Qwen Code prints, pretty, when a run ends in the json
 * and text formats: "{", "  \"error\": {", "    \"type\":
 * \"FatalCancellationError\",", "    \"message\": \"Operation
 * cancelled.\",", "    \"code\": 130", "  }", "}". */
enum dump { DUMP_NO, DUMP_HELD, DUMP_IN };
enum dump_says { DUMP_NOT, DUMP_TAKEN, DUMP_BRACE, DUMP_MESSAGE };

/* What line t (trimmed) is to the dump: not in one, taken, a "{" held
 * that turned out to be text (DUMP_BRACE: the caller says it, then reads
 * t), or its message (in *msg, *len: without its quotes). */
static enum dump_says
dump_line(int *state, int *depth, const char *t, const char **msg, size_t *len)
{
	const char *m;
	size_t n;

	if (*state == DUMP_NO) {
		if (strcmp(t, "{") != 0)
			return DUMP_NOT;
		*state = DUMP_HELD;
		*depth = 1;
		return DUMP_TAKEN;
	}
	if (*state == DUMP_HELD) {
		if (!agent__starts(t, "\"error\": {")) {
			*state = DUMP_NO;
			return DUMP_BRACE;
		}
		*state = DUMP_IN;
		(*depth)++;
		return DUMP_TAKEN;
	}
	if (t[0] == '}' && --*depth <= 0)
		*state = DUMP_NO;
	else if (t[0] && t[strlen(t) - 1] == '{')
		(*depth)++;
	if ((m = agent__after(t, "\"message\": \"")) == NULL)
		return DUMP_TAKEN;
	n = strlen(m);
	if (n > 0 && m[n - 1] == ',')
		n--;
	if (n > 0 && m[n - 1] == '"')
		n--;
	*msg = m;
	*len = n;
	return DUMP_MESSAGE;
}

/* ==== stream-json and json ============================================== */

/* What this dialect knows (format drift, json.h): the line types and the
 * values of the fields its reading depends on, as Qwen Code 0.24.4 writes
 * them. */
static const char *const known[] = {
	"system", "assistant", "user", "result", "stream_event",
	"system.subtype=init", "system.subtype=retry",
	"assistant.content=text", "assistant.content=tool_use", "assistant.content=thinking",
	"user.content=tool_result", "user.content=text",
	"result.subtype=success", "result.subtype=error_during_execution",
	"stream_event.event.type=goal_state",
	NULL
};

struct qwen {
	struct agent__json j;
	int cancelled;          /* a tool result said "[Operation Cancelled]" */
	int dump, depth;        /* in the error object printed at the end */
};

static void *
qwen_new(enum agent_dialect d)
{
	struct qwen *q = agent__json_new(sizeof(struct qwen), d, agent__valid_uuid);

	if (q != NULL)
		q->j.known = known;
	return q;
}

/* "Exit Code: 2" in a shell tool's result: the command's status. */
static int
exit_code_of(const char *s)
{
	const char *p;
	char *end;
	long v;

	if (s == NULL || (p = strstr(s, "Exit Code: ")) == NULL)
		return -1;
	p += sizeof "Exit Code: " - 1;
	v = strtol(p, &end, 10);
	return end == p || v < 0 || v > 255 ? -1 : (int)v;
}

static int
system_line(struct qwen *q, struct agent__jval *o)
{
	struct agent__jval *data = agent__jget(o, "data");
	const char *sub = agent__jstr(o, "subtype"), *err;
	struct agent_event e;
	long long att = -1, max = -1, delay = -1;
	char msg[512];

	agent__json_knows(&q->j, "system", "subtype", sub);
	if (sub != NULL && strcmp(sub, "init") == 0)
		return agent__json_model(&q->j, agent__jstr(o, "model"));
	agent_event_init(&e);
	if (sub != NULL && strcmp(sub, "retry") == 0) {
		/* an API call that failed and is tried again: not the end */
		agent__jint(data, "attempt", &att);
		agent__jint(data, "maxRetries", &max);
		agent__jint(data, "delayMs", &delay);
		err = agent__jstr(data, "error");
		if (err == NULL)
			err = agent__jstr(data, "message");
		snprintf(msg, sizeof msg, "retry %lld/%lld in %llds%s%s", att, max,
		    delay >= 0 ? (delay + 999) / 1000 : -1, err != NULL ? ": " : "",
		    err != NULL ? err : "");
		agent__json_error(&q->j, &e, agent__json_strdup(&q->j, msg), -1, 0);
		return agent__json_emit(&q->j, &e);
	}
	e.kind = AGENT_EV_STEP;
	e.title = sub;
	return agent__json_emit(&q->j, &e);
}

/* One block of an assistant message. */
static int
assistant_block(struct qwen *q, struct agent__jval *blk, const char *model)
{
	const char *type = agent__jstr(blk, "type");
	struct agent_event e;

	agent_event_init(&e);
	e.model = model;
	agent__json_knows(&q->j, "assistant", "content", type);
	if (type == NULL)
		return 0;
	if (strcmp(type, "text") == 0) {
		e.text = agent__jstr(blk, "text");
		if (e.text != NULL && agent__starts(e.text, API_ERROR)) {
			/* the result line after it ends the run */
			agent__json_error(&q->j, &e, e.text, -1, 0);
			return agent__json_emit(&q->j, &e);
		}
		e.kind = AGENT_EV_TEXT;
		if ((e.title = agent__first_line(&q->j, e.text)) == NULL)
			return 0;
	} else {
		agent__json_block(&q->j, &e, blk, type);
	}
	return agent__json_emit(&q->j, &e);
}

/* One block of a user message: a tool's result. */
static int
user_block(struct qwen *q, struct agent__jval *blk)
{
	const char *type = agent__jstr(blk, "type");
	struct agent_event e;

	agent__json_knows(&q->j, "user", "content", type);
	if (type == NULL || strcmp(type, "tool_result") != 0)
		return 0;
	agent_event_init(&e);
	e.kind = AGENT_EV_TOOL;
	e.call_id = agent__jstr(blk, "tool_use_id");
	e.text = agent__content_text(&q->j, agent__jget(blk, "content"), 0);
	e.status = agent__jbool(blk, "is_error") == 1 ? AGENT_TOOL_ERROR : AGENT_TOOL_COMPLETED;
	if (e.text != NULL && agent__starts(e.text, CANCELLED_RESULT)) {
		q->cancelled = 1;
		e.status = AGENT_TOOL_ERROR;
	}
	agent__json_call_take(&q->j, &e);
	if (e.tkind == AGENT_TK_SHELL) {
		e.exit_code = exit_code_of(e.text);
		if (e.exit_code < 0 && e.status == AGENT_TOOL_COMPLETED)
			e.exit_code = 0;
	}
	return agent__json_emit(&q->j, &e);
}

/* assistant and user lines: each block of the message's content. */
static int
message_line(struct qwen *q, struct agent__jval *o, int user)
{
	struct agent__jval *msg = agent__jget(o, "message");
	struct agent__jval *content = agent__jget(msg, "content");
	const char *model = agent__jstr(msg, "model");
	struct agent_event e;
	size_t i, n;
	int r;

	if (content != NULL && agent__jval_is(content, AGENT__JV_STRING)) {
		if (user)
			return 0;
		agent_event_init(&e);
		e.kind = AGENT_EV_TEXT;
		e.model = model;
		e.text = agent__jval_str(content);
		e.title = agent__first_line(&q->j, e.text);
		return e.title != NULL ? agent__json_emit(&q->j, &e) : 0;
	}
	if (content == NULL || !agent__jval_is(content, AGENT__JV_ARRAY))
		return 0;
	n = agent__jval_len(content);
	for (i = 0; i < n; i++) {
		struct agent__jval *blk = agent__jval_idx(content, i);

		r = user ? user_block(q, blk) : assistant_block(q, blk, model);
		if (r != 0)
			return r;
	}
	return 0;
}

static int
result_line(struct qwen *q, struct agent__jval *o)
{
	struct agent__jval *usage = agent__jget(o, "usage");
	const char *sub = agent__jstr(o, "subtype");
	const char *text = agent__jstr(o, "result");
	struct agent_event e;

	agent_event_init(&e);
	agent__json_tokens(usage, &e);
	agent__jnum(o, "total_cost_usd", &e.cost);
	if (agent__json_result_done(&q->j, o)) {
		e.kind = AGENT_EV_DONE;
		e.final = 1;
		e.text = text;
		e.title = agent__first_line(&q->j, text);
	} else {
		const char *msg = agent__jstr(agent__jget(o, "error"), "message");

		if (msg == NULL)
			msg = text != NULL && *text ? text : sub != NULL ? sub : "error";
		if (q->cancelled && strstr(msg, API_ERROR) == NULL) {
			e.kind = AGENT_EV_INTERRUPT;
			e.final = 1;
			e.text = msg;
			e.title = agent__first_line(&q->j, msg);
		} else {
			agent__json_error(&q->j, &e, msg, -1, 1);
		}
	}
	q->cancelled = 0;
	return agent__json_emit(&q->j, &e);
}

static int
qwen_obj(struct qwen *q, struct agent__jval *o)
{
	const char *type = agent__jstr(o, "type");
	struct agent_event e;
	int r;

	/* asked before the session event, which carries what it lacks */
	if (!agent__json_knows(&q->j, type, NULL, NULL))
		type = NULL;
	r = agent__json_session(&q->j, agent__jstr(o, "session_id"));
	if (r != 0 || type == NULL)
		return r;
	if (strcmp(type, "system") == 0)
		return system_line(q, o);
	if (strcmp(type, "assistant") == 0)
		return message_line(q, o, 0);
	if (strcmp(type, "user") == 0)
		return message_line(q, o, 1);
	if (strcmp(type, "result") == 0)
		return result_line(q, o);
	if (strcmp(type, "stream_event") == 0) {
		agent_event_init(&e);
		e.kind = AGENT_EV_STEP;
		e.title = agent__jstr(agent__jget(o, "event"), "type");
		agent__json_knows(&q->j, "stream_event", "event.type", e.title);
		return agent__json_emit(&q->j, &e);
	}
	return 0;
}

/* A plain line beside the JSON: "Operation cancelled." ends an
 * interrupted run (no result comes after it), the rest is stderr. */
static int
qwen_plain(struct qwen *q, const char *line, size_t len)
{
	const char *t = agent__json_plain(&q->j, line, len), *msg;
	struct agent_event e;
	size_t n;

	switch (dump_line(&q->dump, &q->depth, t, &msg, &n)) {
	case DUMP_TAKEN:
		return 0;
	case DUMP_MESSAGE:
		t = agent__json_strndup(&q->j, msg, n);
		if (strcmp(t, CANCELLED_LINE) == 0)
			break;
		agent_event_init(&e);
		agent__json_error(&q->j, &e, t, -1, 1);
		return agent__json_emit(&q->j, &e);
	default:
		break;
	}
	if (strcmp(t, CANCELLED_LINE) == 0)
		return agent__json_interrupt(&q->j, t);
	return agent__json_stderr(&q->j, line, len, agent__qwen_says);
}

static int
qwen_line(void *v, const char *line, size_t len, long lineno,
          agent_event_fn fn, void *arg)
{
	struct qwen *q = v;
	struct agent__jval *o, *m;
	size_t i, n;
	int r = 0;

	agent__json_begin(&q->j, lineno, fn, arg);
	if ((o = agent__json_object(&q->j, line, len)) != NULL) {
		r = qwen_obj(q, o);
		return r != 0 ? r : agent__json_line_end(&q->j);
	}
	if ((o = agent__json_array(&q->j, line, len)) != NULL) {
		/* --output-format json: every message in one array */
		n = agent__jval_len(o);
		for (i = 0, m = o + 1; i < n && r == 0; i++, m += m->skip)
			if (agent__jval_is(m, AGENT__JV_OBJECT))
				r = qwen_obj(q, m);
		return r != 0 ? r : agent__json_line_end(&q->j);
	}
	return qwen_plain(q, line, len);
}

const struct agent_dialect_ops agent__qwen_json_ops = {
	.new = qwen_new,
	.free = agent__json_free,
	.line = qwen_line,
	.session_key = "session_id",
	.session_id = agent__valid_uuid,
};

/* ==== text: the answer alone ============================================ */

struct qwen_text {
	struct agent__text c;
	int dump, depth;        /* in the error object printed at the end */
};

static void *
text_new(enum agent_dialect d)
{
	return agent__text_new(sizeof(struct qwen_text), d, NULL);
}

static int
text_line(void *st, const char *raw, size_t n, long lineno, agent_event_fn fn, void *arg)
{
	struct qwen_text *p = st;
	struct agent__text *c = &p->c;
	const char *t, *msg;
	size_t k;
	int r, hit;

	if ((t = agent__text_start(c, raw, n, lineno)) == NULL)
		return 0;
	switch (dump_line(&p->dump, &p->depth, t, &msg, &k)) {
	case DUMP_TAKEN:
		return 0;
	case DUMP_BRACE:
		if ((r = agent__text_say(c, "{", fn, arg)) != 0)
			return r;
		break;
	case DUMP_MESSAGE:
		t = agent__text_piece(c, msg, k);
		if (strcmp(t, CANCELLED_LINE) == 0)
			break;
		return agent__text_error(c, t, 1, fn, arg);
	default:
		break;
	}
	if (strcmp(t, CANCELLED_LINE) == 0)
		return agent__text_simple(c, AGENT_EV_INTERRUPT, t, fn, arg);
	if ((r = agent__text_stderr(c, t, agent__qwen_says, &hit, fn, arg)) != 0 || hit)
		return r;
	/* the warning every run starts with is not the answer */
	if (agent__starts(t, "Warning: running headless with --yolo"))
		return 0;
	return agent__text_say(c, t, fn, arg);
}

/* the text mode names no session: no .session */
const struct agent_dialect_ops agent__qwen_text_ops = {
	.new = text_new,
	.free = agent__text_free,
	.line = text_line,
};

/* ==== what qwen prints on stderr ======================================== */

enum agent__says
agent__qwen_says(const char *t, enum agent_dialect as, const char **msg, size_t *len)
{
	(void)msg, (void)len;
	if (as == AGENT_D_GENERIC)
		return AGENT__SAYS_NOTHING;
	/* "Retrying in 60s (attempt 1/10): [API Error: 429 …]" */
	if (agent__starts(t, "Retrying in ") && strstr(t, "(attempt "))
		return AGENT__SAYS_NOTICE;
	/* the JSON formats say it again in their result, which ends the
	 * run there; the text mode has only this */
	if (as == AGENT_D_QWEN_TEXT && agent__starts(t, API_ERROR))
		return AGENT__SAYS_FATAL;
	return AGENT__SAYS_NOTHING;
}

/* ==== recognising a qwen log ============================================ */

enum agent_dialect
agent__qwen_cue(const struct agent__cue *l, int *strong)
{
	const char *s;

	*strong = 1;
	/* system/init names the version; Claude Code's has the same shape */
	if (l->json != NULL)
		return agent__jhead_has(l->json, "qwen_code_version")
		    ? AGENT_D_QWEN_STREAM : AGENT_D_GENERIC;
	/* --output-format json: one array, its first object the init */
	s = agent__skip_blanks(l->raw);
	if (s[0] == '[' && memmem(l->raw, l->rawlen, "\"qwen_code_version\"", 19) != NULL)
		return AGENT_D_QWEN_JSON;
	/* printed first in every format: the format is told by what follows */
	*strong = 0;
	if (agent__starts(l->text, "Warning: running headless with --yolo") &&
	    strstr(l->text, "QWEN_CODE_SUPPRESS_YOLO_WARNING") != NULL)
		return AGENT_D_QWEN_TEXT;
	return AGENT_D_GENERIC;
}
