/* copilot.c — GitHub Copilot CLI: `copilot -p --output-format json` lines,
 * its text output with the stats footer, the lines it prints on stderr,
 * and how its logs are recognised.  Every JSON line is an event
 * {"type": "<area>.<what>", "data": {...}, "id", "timestamp"}, and the run
 * ends with {"type":"result","sessionId",...,"exitCode"}: the only line
 * that names the session.  Text ends with a footer whose "Resume copilot
 * --resume=<id>" line names it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "json.h"
#include "text.h"
#include "rules.h"

/* Printed when a signal interrupts a prompt: the run ends there. */
#define DISPOSAL "Cannot invoke native session after disposal has started"
#define EXECUTING "Error executing prompt: "
#define AUTH_FAILED "Authentication failed with provider at "
/* --resume with an id that names no session */
#define NO_SESSION "Error: No session, task, or name matched "
/* The error a run ends with after its retries, in both formats. */
#define NO_RESPONSE "Failed to get response from the AI model"

/* ==== json ============================================================== */

/* What this dialect knows (format drift, json.h): the event types Copilot
 * CLI 1.0.102 writes (most are progress it need not read), and the kinds
 * of error a session.error names. */
static const char *const known[] = {
	"result", "abort", "agent.interrupted", "system.notification",
	"session.skills_loaded", "session.mcp_servers_loaded", "session.tools_updated",
	"session.background_tasks_changed", "session.info", "session.error",
	"user.message", "assistant.turn_start", "assistant.turn_end",
	"assistant.turn_retry", "assistant.message_start", "assistant.message_delta",
	"assistant.message", "assistant.tool_call_delta", "assistant.idle",
	"model.call_start", "model.call_finished", "model.call_failure",
	"model.call_final_result", "tool.execution_start", "tool.execution_complete",
	"tool.execution_partial_result", "tool.shell_output",
	"session.error.errorType=authentication", "session.error.errorType=rate_limit",
	"session.error.errorType=query",
	NULL
};

struct copilot {
	struct agent__json j;
	/* a session.error, made the run's last word by the result line that
	 * follows it (an assistant.idle comes between) */
	struct agent__buf err;
	int err_status;
	int err_limit;
	int error_seen;
	int aborted;            /* assistant.idle said aborted */
};

static void *
copilot_new(enum agent_dialect d)
{
	struct copilot *c = agent__json_new(sizeof(struct copilot), d, agent__valid_uuid);

	if (c != NULL)
		c->j.known = known;
	return c;
}

static void
copilot_free(void *v)
{
	struct copilot *c = v;

	if (c == NULL)
		return;
	agent__buf_free(&c->err);
	agent__json_free(c);
}

/* session.error {errorType, message, statusCode}: an ERROR now, and the
 * run's end at the result line. */
static int
session_error(struct copilot *c, struct agent__jval *data, double ts)
{
	const char *msg = agent__jstr(data, "message"), *type = agent__jstr(data, "errorType");
	struct agent_event e;
	long long status = -1;

	if (!agent__jint(data, "statusCode", &status) || status < 100 || status > 599)
		status = -1;
	if (msg == NULL)
		msg = type != NULL ? type : "error";
	agent__json_knows(&c->j, "session.error", "errorType", type);
	agent_event_init(&e);
	e.ts = ts;
	agent__json_error(&c->j, &e, msg, (int)status, 0);
	c->error_seen = 1;
	c->err_status = (int)status;
	c->err_limit = type != NULL && strcmp(type, "rate_limit") == 0;
	agent__buf_set(&c->err, msg, strnlen(msg, AGENT__JSON_HOLD_MAX));
	return agent__json_emit(&c->j, &e);
}

/* A model call tried again: assistant.turn_retry {reason}, or
 * session.info {infoType:"model_retry", message}. */
static int
retry_notice(struct copilot *c, struct agent__jval *data, double ts)
{
	const char *msg = agent__jstr(data, "message"), *why = agent__jstr(data, "reason");
	struct agent_event e;
	char buf[300];

	if (msg == NULL) {
		snprintf(buf, sizeof buf, "model call retried (%s)", why != NULL ? why : "error");
		msg = agent__json_strdup(&c->j, buf);
	}
	agent_event_init(&e);
	e.ts = ts;
	agent__json_error(&c->j, &e, msg, -1, 0);
	return agent__json_emit(&c->j, &e);
}

static int
tool_start(struct copilot *c, struct agent__jval *data, double ts)
{
	struct agent_event e;

	agent_event_init(&e);
	e.ts = ts;
	e.kind = AGENT_EV_TOOL;
	e.status = AGENT_TOOL_RUNNING;
	e.call_id = agent__jstr(data, "toolCallId");
	agent__json_tool(&c->j, &e, agent__jstr(data, "toolName"), agent__jget(data, "arguments"));
	agent__json_call_put(&c->j, &e);
	return agent__json_emit(&c->j, &e);
}

/* tool.execution_complete {toolCallId, success, result{content},
 * error{message}, shellExecution{exitCode}}: a shell command that fails
 * is a success of the tool, with its exit code. */
static int
tool_complete(struct copilot *c, struct agent__jval *data, double ts)
{
	struct agent__jval *res = agent__jget(data, "result"), *err = agent__jget(data, "error");
	struct agent_event e;
	long long code;

	agent_event_init(&e);
	e.ts = ts;
	e.kind = AGENT_EV_TOOL;
	e.call_id = agent__jstr(data, "toolCallId");
	e.status = agent__jbool(data, "success") == 0 ? AGENT_TOOL_ERROR : AGENT_TOOL_COMPLETED;
	e.text = agent__jstr(res, "content");
	if (e.text == NULL)
		e.text = agent__jstr(data, "result");
	if (e.status == AGENT_TOOL_ERROR && agent__jstr(err, "message") != NULL)
		e.text = agent__jstr(err, "message");
	if (agent__jint(agent__jget(data, "shellExecution"), "exitCode", &code) &&
	    code >= 0 && code <= 255) {
		e.exit_code = (int)code;
		if (code != 0)
			e.status = AGENT_TOOL_ERROR;
	}
	agent__json_call_take(&c->j, &e);
	if (e.tkind == AGENT_TK_SHELL && e.exit_code < 0 && e.status == AGENT_TOOL_COMPLETED)
		e.exit_code = 0;
	return agent__json_emit(&c->j, &e);
}

/* The last line: {"type":"result","sessionId","exitCode","usage"}: the
 * run's end, in the words of the error or interruption before it. */
static int
result_line(struct copilot *c, struct agent__jval *o, double ts)
{
	struct agent__jval *usage = agent__jget(o, "usage");
	struct agent_event e;
	long long code = -1, v;
	char buf[64];
	int r;

	if ((r = agent__json_session(&c->j, agent__jstr(o, "sessionId"))) != 0)
		return r;
	agent_event_init(&e);
	e.ts = ts;
	if (agent__jint(usage, "inputTokens", &v) || agent__jint(usage, "input_tokens", &v))
		e.tokens_in = v;
	if (agent__jint(usage, "outputTokens", &v) || agent__jint(usage, "output_tokens", &v))
		e.tokens_out = v;
	agent__jint(o, "exitCode", &code);
	if (c->error_seen) {
		agent__json_error(&c->j, &e, agent__json_strndup(&c->j, c->err.p, c->err.len),
		    c->err_status, 1);
		if (c->err_limit)
			e.kind = AGENT_EV_LIMIT;
	} else if (c->aborted) {
		e.kind = AGENT_EV_INTERRUPT;
		e.final = 1;
		e.title = "aborted";
	} else if (code == 0) {
		e.kind = AGENT_EV_DONE;
		e.final = 1;
		e.title = "done";
	} else {
		snprintf(buf, sizeof buf, "exit code %lld", code);
		agent__json_error(&c->j, &e, agent__json_strdup(&c->j, buf), -1, 1);
	}
	c->error_seen = c->aborted = 0;
	c->err.len = 0;
	return agent__json_emit(&c->j, &e);
}

static int
copilot_obj(void *v, struct agent__jval *o)
{
	struct copilot *c = v;
	struct agent__jval *data = agent__jget(o, "data");
	const char *type = agent__jstr(o, "type"), *t;
	double ts = agent__iso_time(agent__jstr(o, "timestamp"));
	struct agent_event e;

	if (!agent__json_knows(&c->j, type, NULL, NULL))
		return 0;
	agent_event_init(&e);
	e.ts = ts;
	if (strcmp(type, "result") == 0)
		return result_line(c, o, ts);
	if (strcmp(type, "assistant.message") == 0) {
		e.kind = AGENT_EV_TEXT;
		e.text = agent__jstr(data, "content");
		if ((e.title = agent__first_line(&c->j, e.text)) == NULL)
			return 0;
		return agent__json_emit(&c->j, &e);
	}
	if (strcmp(type, "tool.execution_start") == 0)
		return tool_start(c, data, ts);
	if (strcmp(type, "tool.execution_complete") == 0)
		return tool_complete(c, data, ts);
	if (strcmp(type, "session.error") == 0)
		return session_error(c, data, ts);
	if (strcmp(type, "assistant.turn_retry") == 0)
		return retry_notice(c, data, ts);
	if (strcmp(type, "session.info") == 0 &&
	    (t = agent__jstr(data, "infoType")) != NULL && strcmp(t, "model_retry") == 0)
		return retry_notice(c, data, ts);
	if (strcmp(type, "assistant.idle") == 0 && agent__jbool(data, "aborted") == 1) {
		/* the end comes with the line that says why (or the result) */
		c->aborted = 1;
		e.kind = AGENT_EV_STEP;
		e.title = "aborted";
		return agent__json_emit(&c->j, &e);
	}
	if (strcmp(type, "model.call_start") == 0 || strcmp(type, "session.model_change") == 0)
		return agent__json_model(&c->j, agent__jstr(data, "model"));
	if (strcmp(type, "assistant.turn_start") == 0) {
		e.kind = AGENT_EV_STEP;
		e.title = "turn";
		return agent__json_emit(&c->j, &e);
	}
	return 0;
}

static int
copilot_line(void *v, const char *line, size_t len, long lineno,
             agent_event_fn fn, void *arg)
{
	struct copilot *c = v;
	struct agent__jval *o;
	const char *t;

	agent__json_begin(&c->j, lineno, fn, arg);
	if ((o = agent__json_object(&c->j, line, len)) != NULL) {
		int r = copilot_obj(c, o);

		return r != 0 ? r : agent__json_line_end(&c->j);
	}
	/* "Error executing prompt: Error: Cannot invoke native session after
	 * disposal has started": a signal ended the prompt */
	t = agent__json_plain(&c->j, line, len);
	if (agent__starts(t, EXECUTING) && strstr(t, DISPOSAL) != NULL)
		return agent__json_interrupt(&c->j, t);
	return agent__json_stderr(&c->j, line, len, agent__copilot_says);
}

const struct agent_dialect_ops agent__copilot_json_ops = {
	.new = copilot_new,
	.free = copilot_free,
	.line = copilot_line,
	.session_key = "sessionId",
	.session_id = agent__valid_uuid,
};

/* ==== text ============================================================== */

#define UUID "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"

enum { RX_RESUME, RX_FOOTER };
static struct agent__rx rx_tab[] = {
	/* the footer's last line */
	[RX_RESUME] = { "^\\s*Resume\\s+copilot --resume=(" UUID ")\\s*$", 0, NULL },
	/* the footer's other lines: "Changes +1 -0", "Duration 1s",
	 * "Tokens ↑ 4.0k • ↓ 100" */
	[RX_FOOTER] = { "^\\s*(?:Changes\\s+[+-]\\d|Duration\\s+\\d|Tokens\\s+↑)", PCRE2_UTF, NULL },
};
static struct agent__rxset rxs = AGENT__RXSET(rx_tab);

struct copilot_text {
	struct agent__text c;
	/* the error a run ends with, held for the footer after it: the
	 * footer names the session, and the error must come after that */
	struct agent__buf held;
	int failed;             /* a final error came before the footer */
	int aborted;
	int in_tool;            /* lines indented under a tool are its output */
};

static void *
text_new(enum agent_dialect d)
{
	return agent__text_new(sizeof(struct copilot_text), d, &rxs);
}

static void
text_free(void *st)
{
	struct copilot_text *p = st;

	if (p == NULL)
		return;
	agent__buf_free(&p->held);
	agent__text_free(p);
}

/* The held error, final now. */
static int
text_flush(struct copilot_text *p, agent_event_fn fn, void *arg)
{
	const char *msg;

	if (p->held.len == 0)
		return 0;
	msg = agent__text_piece(&p->c, p->held.p, p->held.len);
	p->held.len = 0;
	return agent__text_error(&p->c, msg, 1, fn, arg);
}

static int
text_end(void *st, agent_event_fn fn, void *arg)
{
	return text_flush(st, fn, arg);
}

static size_t
text_session(const char *line, size_t len, char *buf, size_t buflen)
{
	if (memmem(line, len, "--resume=", 9) == NULL)
		return 0;
	return agent__text_session_rx(&rxs, RX_RESUME, line, len, buf, buflen);
}

/* "● Read input.txt", "● Create output.txt +1", "● Edit x.c",
 * "● Runs echo (shell)" (the command follows on a "│ " line), or "✗ …"
 * when it failed: a tool as the text shows it once it has run, by its
 * title. */
static int
text_tool(struct agent__text *c, const char *s, enum agent_tool_status st,
          agent_event_fn fn, void *arg)
{
	static const struct { const char *verb; enum agent_tool_kind k; } verbs[] = {
		{ "Read ", AGENT_TK_READ }, { "Create ", AGENT_TK_WRITE },
		{ "Edit ", AGENT_TK_EDIT }, { "Delete ", AGENT_TK_DELETE },
	};
	struct agent_event e;
	const char *rest;
	size_t k;

	agent_event_init(&e);
	e.kind = AGENT_EV_TOOL;
	e.status = st;
	e.title = s;
	/* "● Read shell output Reading command output" reads a command's
	 * output, not a file */
	for (size_t i = 0; i < sizeof verbs / sizeof verbs[0] &&
	     !agent__starts(s, "Read shell output"); i++) {
		if ((rest = agent__after(s, verbs[i].verb)) == NULL || *rest == '\0')
			continue;
		e.tkind = verbs[i].k;
		/* "output.txt +1": the lines it added after the path */
		k = strcspn(rest, " ");
		e.path = e.title = agent__text_piece(c, rest, k);
		break;
	}
	/* "● Runs sleep (shell)      30s": how long it has run, at the end */
	if (e.tkind == AGENT_TK_OTHER && (rest = strstr(s, " (shell)")) != NULL &&
	    (rest[8] == '\0' || rest[8] == ' ')) {
		e.tkind = AGENT_TK_SHELL;
		e.title = agent__text_piece(c, s, (size_t)(rest - s));
	}
	e.tool = e.tkind == AGENT_TK_SHELL ? "bash" : e.tkind == AGENT_TK_READ ? "view" :
	    e.tkind == AGENT_TK_WRITE ? "create" : e.tkind == AGENT_TK_EDIT ? "edit" : NULL;
	return agent__text_emit(&e, c->lineno, fn, arg);
}

static int
text_line(void *st, const char *raw, size_t n, long lineno, agent_event_fn fn, void *arg)
{
	struct copilot_text *p = st;
	struct agent__text *c = &p->c;
	const char *t, *s;
	char id[64];
	size_t k;
	int r, hit;

	if ((t = agent__text_start(c, raw, n, lineno)) == NULL)
		return 0;
	if ((k = text_session(t, strlen(t), id, sizeof id)) > 0) {
		/* the footer: the run's end, unless an error or an
		 * interruption was its last word */
		if ((r = agent__text_session(c, agent__text_piece(c, id, k), fn, arg)) != 0)
			return r;
		r = p->held.len > 0 ? text_flush(p, fn, arg) : p->failed || p->aborted ? 0 :
		    agent__text_simple(c, AGENT_EV_DONE, "done", fn, arg);
		p->failed = p->aborted = 0;
		return r;
	}
	if (agent__rx_match(&rxs, RX_FOOTER, t, strlen(t), c->md) > 0)
		return 0;
	if (agent__starts(t, EXECUTING) && strstr(t, DISPOSAL) != NULL) {
		p->aborted = 1;
		return agent__text_simple(c, AGENT_EV_INTERRUPT, t, fn, arg);
	}
	if ((s = agent__after(t, "└ ")) != NULL && strcmp(s, "Operation aborted by user") == 0) {
		p->aborted = 1;
		return agent__text_simple(c, AGENT_EV_INTERRUPT, s, fn, arg);
	}
	/* the errors the footer follows, held for it */
	if (agent__starts(t, NO_RESPONSE) || agent__starts(t, AUTH_FAILED)) {
		p->failed = 1;
		if ((r = text_flush(p, fn, arg)) != 0)
			return r;
		if (agent__buf_set(&p->held, t, strlen(t)) < 0)
			return agent__text_error(c, t, 1, fn, arg);   /* no memory: now */
		return 0;
	}
	if ((r = agent__text_stderr(c, t, agent__copilot_says, &hit, fn, arg)) != 0 || hit) {
		if (hit && !agent__starts(t, "● "))
			p->failed = 1;
		return r;
	}
	/* what an error says under it: the help after "No session … matched"
	 * ("To resume by name:    copilot --resume=<name>"), the indented
	 * advice after "Authentication failed …" */
	if (p->failed && ((agent__starts(t, "To ") && strstr(t, "  copilot --") != NULL) ||
	    agent__buf_str(&c->ln)[0] == ' '))
		return 0;
	if (strcmp(t, "● Operation cancelled by user") == 0) {
		p->aborted = 1;
		return agent__text_simple(c, AGENT_EV_INTERRUPT, t + strlen("● "), fn, arg);
	}
	/* a tool: "● " when it ran, "✗ " when it failed */
	if ((s = agent__after(t, "● ")) != NULL || (s = agent__after(t, "✗ ")) != NULL) {
		p->in_tool = 1;
		return text_tool(c, s, agent__starts(t, "✗ ") ? AGENT_TOOL_ERROR :
		    AGENT_TOOL_COMPLETED, fn, arg);
	}
	/* its output under it: "│ cmd", "└ result", and the result's
	 * further lines indented under that */
	if (agent__starts(t, "│ ") || agent__starts(t, "└ ") || strcmp(t, "│") == 0)
		return 0;
	if (p->in_tool && agent__buf_str(&c->ln)[0] == ' ')
		return 0;
	p->in_tool = 0;
	/* the first start in a HOME unpacks the native package; a signal
	 * makes it say it exits */
	if (agent__starts(t, "Package extraction took ") || strcmp(t, "Exiting…") == 0)
		return 0;
	return agent__text_say(c, t, fn, arg);
}

const struct agent_dialect_ops agent__copilot_text_ops = {
	.new = text_new,
	.free = text_free,
	.line = text_line,
	.end = text_end,
	.session = text_session,
};

/* ==== what copilot prints on stderr ===================================== */

enum agent__says
agent__copilot_says(const char *t, enum agent_dialect as, const char **msg, size_t *len)
{
	(void)msg, (void)len;
	if (as == AGENT_D_GENERIC)
		return AGENT__SAYS_NOTHING;
	/* "● Request failed due to a transient API error. Retrying..." */
	if (agent__starts(t, "● Request failed") && strstr(t, "Retrying"))
		return AGENT__SAYS_NOTICE;
	/* the JSON format says these in a session.error (and the text
	 * parser holds them for the footer after them) */
	if (as == AGENT_D_COPILOT_TEXT && (agent__starts(t, NO_RESPONSE) ||
	    agent__starts(t, AUTH_FAILED)))
		return AGENT__SAYS_FATAL;
	if (agent__starts(t, EXECUTING) || agent__starts(t, NO_SESSION))
		return AGENT__SAYS_FATAL;
	return AGENT__SAYS_NOTHING;
}

/* ==== recognising a copilot log ========================================= */

enum agent_dialect
agent__copilot_cue(const struct agent__cue *l, int *strong)
{
	static const char *const areas[] = { "session.", "assistant.", "tool.", "user.", "model." };
	char type[64];
	pcre2_match_data *md;
	const char *t;
	int hit;

	*strong = 1;
	if (l->json != NULL) {
		agent__jhead_type(l->json, type, sizeof type);
		if (strcmp(type, "result") == 0)
			return agent__jhead_has(l->json, "sessionId") &&
			    agent__jhead_has(l->json, "exitCode") ? AGENT_D_COPILOT_JSON : AGENT_D_GENERIC;
		if (!agent__jhead_has(l->json, "data"))
			return AGENT_D_GENERIC;
		for (size_t i = 0; i < sizeof areas / sizeof areas[0]; i++)
			if (agent__starts(type, areas[i]))
				return AGENT_D_COPILOT_JSON;
		return AGENT_D_GENERIC;
	}
	if (agent__rx_compile(&rxs) < 0 || (md = agent__rx_md()) == NULL)
		return AGENT_D_GENERIC;
	hit = agent__rx_match(&rxs, RX_RESUME, l->text, l->len, md) > 0;
	pcre2_match_data_free(md);
	if (hit)
		return AGENT_D_COPILOT_TEXT;
	/* a tool's title line, its output under it: "● Read input.txt"
	 * then "  └ 1 line read" */
	*strong = 0;
	t = agent__skip_blanks(l->text);
	if ((agent__starts(t, "└ ") || agent__starts(t, "│ ")) &&
	    (agent__starts(l->prev, "● ") || agent__starts(l->prev, "✗ ")))
		return AGENT_D_COPILOT_TEXT;
	/* --resume with an id that names no session, in any format */
	*strong = 1;
	if (agent__starts(l->text, NO_SESSION))
		return AGENT_D_COPILOT_TEXT;
	return AGENT_D_GENERIC;
}
