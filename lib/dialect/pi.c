/* pi.c — pi (pi-coding-agent): `pi --mode json` event lines (the session
 * header, then agent / turn / message / tool_execution lifecycle events
 * and auto-retry notices), the answer alone that `pi -p` prints, the
 * lines it prints on stderr, and how its logs are recognised.  pi exits 0
 * in json mode also when the model API failed: the verdict is the last
 * assistant message's stopReason, as agent_end reports it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include "json.h"
#include "rules.h"
#include "rx.h"
#include "text.h"

enum { RX_RETRYABLE };
static struct agent__rx rx_tab[] = {
	/* the errors pi retries by itself when its retry setting is on (the
	 * default): its own pattern (AgentSession._isRetryableError, 0.73) */
	[RX_RETRYABLE] = { "overloaded|provider.?returned.?error|rate.?limit|too many requests|"
	                   "429|500|502|503|504|service.?unavailable|server.?error|"
	                   "internal.?error|network.?error|connection.?error|"
	                   "connection.?refused|connection.?lost|websocket.?closed|"
	                   "websocket.?error|other side closed|fetch failed|upstream.?connect|"
	                   "reset before headers|socket hang up|ended without|"
	                   "http2 request did not get a response|timed? out|timeout|"
	                   "terminated|retry delay", PCRE2_CASELESS, NULL },
};
static struct agent__rxset rxs = AGENT__RXSET(rx_tab);

/* ==== --mode json ======================================================= */

/* What --mode json knows (format drift, json.h): the event types of pi
 * 0.73.1 (docs/json.md) and the values of the fields its reading depends
 * on: a message's role and an assistant message's stopReason. */
static const char *const known[] = {
	"session", "agent_start", "agent_end", "turn_start", "turn_end",
	"message_start", "message_update", "message_end",
	"tool_execution_start", "tool_execution_update", "tool_execution_end",
	"auto_retry_start", "auto_retry_end", "compaction_start", "compaction_end",
	"queue_update",
	"message_end.message.role=user", "message_end.message.role=assistant",
	"message_end.message.role=toolResult", "message_end.message.role=bashExecution",
	"message_end.message.role=custom", "message_end.message.role=branchSummary",
	"message_end.message.role=compactionSummary",
	"message_end.message.stopReason=stop", "message_end.message.stopReason=length",
	"message_end.message.stopReason=toolUse", "message_end.message.stopReason=error",
	"message_end.message.stopReason=aborted",
	NULL
};

/* How pi's last assistant message ended. */
enum pi_stop { STOP_NONE = 0, STOP_OK, STOP_ERROR, STOP_ABORTED };

/* An error message kept from a failed assistant message until agent_end
 * reports the run's end (a longer one is cut). */
#define ERR_MAX 2048

struct pi {
	struct agent__json j;
	enum pi_stop stop;          /* of the last assistant message seen */
	char err[ERR_MAX];          /* its errorMessage, "" none */
	pcre2_match_data *md;
};

static void *
pi_new(enum agent_dialect d)
{
	struct pi *p;

	if (agent__rx_compile(&rxs) < 0)
		return NULL;
	if ((p = agent__json_new(sizeof(struct pi), d, agent__valid_uuid)) == NULL)
		return NULL;
	if ((p->md = agent__rx_md()) == NULL) {
		agent__json_free(p);
		errno = ENOMEM;
		return NULL;
	}
	p->j.known = known;
	return p;
}

static void
pi_free(void *v)
{
	struct pi *p = v;

	if (p == NULL)
		return;
	pcre2_match_data_free(p->md);
	agent__json_free(p);
}

/* Whether pi retries this error by itself (then auto_retry_start, or
 * auto_retry_end when the attempts are spent, follows its agent_end). */
static int
retryable(struct pi *p, const char *msg)
{
	return msg != NULL && agent__rx_match(&rxs, RX_RETRYABLE, msg, strlen(msg), p->md) > 0;
}

static enum pi_stop
stop_of(const char *reason)
{
	if (reason == NULL)
		return STOP_NONE;
	if (strcmp(reason, "error") == 0)
		return STOP_ERROR;
	if (strcmp(reason, "aborted") == 0)
		return STOP_ABORTED;
	return STOP_OK;
}

/* pi words an API error "<status> <the provider's message>" ("401
 * Incorrect API key provided: dummy", "500 fake internal server error"):
 * the status, -1 when the text does not start with one. */
static int
lead_status(const char *s)
{
	if (s == NULL || s[0] < '1' || s[0] > '5' || s[1] < '0' || s[1] > '9' ||
	    s[2] < '0' || s[2] > '9' || s[3] != ' ')
		return -1;
	return (s[0] - '0') * 100 + (s[1] - '0') * 10 + (s[2] - '0');
}

/* Seconds since the epoch of a message's "timestamp" (ms), -1 none. */
static double
msg_time(struct agent__jval *msg)
{
	long long v;

	return agent__jint(msg, "timestamp", &v) && v > 0 ? (double)v / 1000.0 : -1;
}

/* Makes e the error an assistant message (or a retry) reports. */
static void
api_error(struct pi *p, struct agent_event *e, const char *msg, int final)
{
	if (msg == NULL || *msg == '\0')
		msg = "error";
	agent__json_error(&p->j, e, msg, lead_status(msg), final);
}

/* An assistant message as it ended: its text and reasoning blocks (its
 * tool calls are told by tool_execution_start), and how it stopped: an
 * error is a notice here, the run's end when agent_end follows. */
static int
assistant_end(struct pi *p, struct agent__jval *msg)
{
	struct agent__jval *content = agent__jget(msg, "content");
	const char *err = agent__jstr(msg, "errorMessage");
	struct agent_event e;
	size_t i, n = agent__jval_len(content);
	int r;

	if ((r = agent__json_model(&p->j, agent__jstr(msg, "model"))) != 0)
		return r;
	for (i = 0; i < n; i++) {
		struct agent__jval *blk = agent__jval_idx(content, i);
		const char *type = agent__jstr(blk, "type");

		if (type == NULL)
			continue;
		agent_event_init(&e);
		e.ts = msg_time(msg);
		if (strcmp(type, "text") == 0) {
			e.kind = AGENT_EV_TEXT;
			e.text = agent__jstr(blk, "text");
			if ((e.title = agent__first_line(&p->j, e.text)) == NULL)
				continue;
		} else if (strcmp(type, "thinking") == 0) {
			e.kind = AGENT_EV_STEP;
			e.title = "thinking";
			e.text = agent__jstr(blk, "thinking");
		} else {
			continue;
		}
		if ((r = agent__json_emit(&p->j, &e)) != 0)
			return r;
	}
	p->stop = stop_of(agent__jstr(msg, "stopReason"));
	p->err[0] = '\0';
	if (p->stop != STOP_ERROR)
		return 0;
	if (err != NULL) {
		size_t n = strlen(err);

		if (n >= sizeof p->err)
			n = agent__utf8_floor(err, sizeof p->err - 1);
		memcpy(p->err, err, n);
		p->err[n] = '\0';
	}
	agent_event_init(&e);
	e.ts = msg_time(msg);
	api_error(p, &e, err, 0);
	return agent__json_emit(&p->j, &e);
}

/* A turn's end: progress, with what the turn's model call used. */
static int
turn_end(struct pi *p, struct agent__jval *o)
{
	struct agent__jval *msg = agent__jget(o, "message");
	struct agent__jval *usage = agent__jget(msg, "usage");
	struct agent_event e;
	long long v;

	agent_event_init(&e);
	e.kind = AGENT_EV_STEP;
	e.ts = msg_time(msg);
	e.title = agent__jstr(msg, "stopReason");
	if (e.title == NULL)
		e.title = "turn end";
	if (agent__jint(usage, "input", &v) && v >= 0)
		e.tokens_in = v;
	if (agent__jint(usage, "output", &v) && v >= 0)
		e.tokens_out = v;
	if (!agent__jnum(agent__jget(usage, "cost"), "total", &e.cost) || e.cost < 0)
		e.cost = -1;
	return agent__json_emit(&p->j, &e);
}

/* The tool's output: its result's text blocks, else the error's wording. */
static const char *
tool_output(struct pi *p, struct agent__jval *o)
{
	struct agent__jval *res = agent__jget(o, "result");
	const char *t = agent__content_text(&p->j, agent__jget(res, "content"), 1);

	if (t == NULL && agent__jval_is(res, AGENT__JV_STRING))
		t = agent__jval_str(res);
	return t;
}

/* pi's bash tool ends a failed command's output with "Command exited
 * with code N". */
static int
exit_code_of(const char *s)
{
	static const char mark[] = "Command exited with code ";
	const char *p, *q = NULL;
	char *end;
	long v;

	if (s == NULL)
		return -1;
	for (p = s; (p = strstr(p, mark)) != NULL; p += sizeof mark - 1)
		q = p;
	if (q == NULL)
		return -1;
	v = strtol(q + sizeof mark - 1, &end, 10);
	return end > q + sizeof mark - 1 && v >= 0 && v <= 255 ? (int)v : -1;
}

static int
tool_line(struct pi *p, struct agent__jval *o, int end)
{
	struct agent_event e;

	agent_event_init(&e);
	e.kind = AGENT_EV_TOOL;
	e.call_id = agent__jstr(o, "toolCallId");
	if (!end) {
		e.status = AGENT_TOOL_RUNNING;
		agent__json_tool(&p->j, &e, agent__jstr(o, "toolName"), agent__jget(o, "args"));
		agent__json_call_put(&p->j, &e);
		return agent__json_emit(&p->j, &e);
	}
	e.status = agent__jbool(o, "isError") == 1 ? AGENT_TOOL_ERROR : AGENT_TOOL_COMPLETED;
	e.text = tool_output(p, o);
	/* the start gave the title and path; a log read from its tail may
	 * lack it, and the end repeats the name */
	agent__json_call_take(&p->j, &e);
	if (e.tool == NULL) {
		agent__json_tool(&p->j, &e, agent__jstr(o, "toolName"), agent__jget(o, "args"));
	}
	if (e.tkind == AGENT_TK_SHELL)
		e.exit_code = e.status == AGENT_TOOL_COMPLETED ? 0 : exit_code_of(e.text);
	return agent__json_emit(&p->j, &e);
}

/* The last assistant message among agent_end's messages, NULL none. */
static struct agent__jval *
last_assistant(struct agent__jval *msgs)
{
	struct agent__jval *m, *last = NULL;
	size_t i, n = agent__jval_len(msgs);
	const char *role;

	if (n == 0)
		return NULL;
	/* forward, sibling to sibling: the conversation may be long */
	for (i = 0, m = msgs + 1; i < n; i++, m += m->skip)
		if ((role = agent__jstr(m, "role")) != NULL && strcmp(role, "assistant") == 0)
			last = m;
	return last;
}

/* The run's end, as its last assistant message ended: completed, an API
 * error (a limit), or aborted; or, for an error pi retries, a notice. */
static int
agent_end(struct pi *p, struct agent__jval *o)
{
	struct agent__jval *last = last_assistant(agent__jget(o, "messages"));
	enum pi_stop stop = p->stop;
	const char *err = p->err[0] != '\0' ? p->err : NULL;
	struct agent_event e;

	agent_event_init(&e);
	if (last != NULL) {
		stop = stop_of(agent__jstr(last, "stopReason"));
		err = agent__jstr(last, "errorMessage");
		e.ts = msg_time(last);
	}
	if (stop == STOP_ERROR) {
		/* an error pi retries is not the end yet: auto_retry_end says
		 * when the retries are spent (with retries turned off nothing
		 * follows, and the run's end is this notice and exit 0); the
		 * text outlives p->err, cleared below */
		api_error(p, &e, agent__json_strdup(&p->j, err), !retryable(p, err));
	} else if (stop == STOP_ABORTED) {
		e.kind = AGENT_EV_INTERRUPT;
		e.final = 1;
		e.title = e.text = err != NULL ? agent__json_strdup(&p->j, err) : "aborted";
	} else {
		e.kind = AGENT_EV_DONE;
		e.final = 1;
	}
	p->stop = STOP_NONE;
	p->err[0] = '\0';
	return agent__json_emit(&p->j, &e);
}

/* auto_retry_start: the run's error is being retried, so it is no longer
 * its end (a step), and a notice of what failed. */
static int
retry_start(struct pi *p, struct agent__jval *o)
{
	struct agent_event e;
	long long att = -1, max = -1;
	char title[64];
	int r;

	agent__jint(o, "attempt", &att);
	agent__jint(o, "maxAttempts", &max);
	snprintf(title, sizeof title, "retry %lld/%lld", att, max);
	agent_event_init(&e);
	e.kind = AGENT_EV_STEP;
	e.title = agent__json_strdup(&p->j, title);
	if ((r = agent__json_emit(&p->j, &e)) != 0)
		return r;
	agent_event_init(&e);
	api_error(p, &e, agent__jstr(o, "errorMessage"), 0);
	return agent__json_emit(&p->j, &e);
}

static int
retry_end(struct pi *p, struct agent__jval *o)
{
	struct agent_event e;

	agent_event_init(&e);
	if (agent__jbool(o, "success") == 1) {
		e.kind = AGENT_EV_STEP;
		e.title = "retry succeeded";
	} else {
		api_error(p, &e, agent__jstr(o, "finalError"), 1);
	}
	return agent__json_emit(&p->j, &e);
}

static int
pi_obj(void *st, struct agent__jval *o)
{
	struct pi *p = st;
	const char *type = agent__jstr(o, "type");
	struct agent__jval *msg;
	struct agent_event e;
	const char *role;

	if (!agent__json_knows(&p->j, type, NULL, NULL) || type == NULL)
		return 0;
	if (strcmp(type, "session") == 0)
		return agent__json_session(&p->j, agent__jstr(o, "id"));
	if (strcmp(type, "message_end") == 0) {
		msg = agent__jget(o, "message");
		role = agent__jstr(msg, "role");
		if (!agent__json_knows(&p->j, type, "message.role", role) ||
		    strcmp(role, "assistant") != 0)
			return 0;
		agent__json_knows(&p->j, type, "message.stopReason", agent__jstr(msg, "stopReason"));
		return assistant_end(p, msg);
	}
	if (strcmp(type, "turn_end") == 0)
		return turn_end(p, o);
	if (strcmp(type, "tool_execution_start") == 0)
		return tool_line(p, o, 0);
	if (strcmp(type, "tool_execution_end") == 0)
		return tool_line(p, o, 1);
	if (strcmp(type, "agent_end") == 0)
		return agent_end(p, o);
	if (strcmp(type, "auto_retry_start") == 0)
		return retry_start(p, o);
	if (strcmp(type, "auto_retry_end") == 0)
		return retry_end(p, o);
	if (strcmp(type, "compaction_start") == 0) {
		agent_event_init(&e);
		e.kind = AGENT_EV_STEP;
		e.title = "compaction";
		return agent__json_emit(&p->j, &e);
	}
	/* agent_start, turn_start, message_start, message_update (the deltas
	 * message_end gives whole), tool_execution_update, queue_update,
	 * compaction_end: progress the events above already tell */
	return 0;
}

static int
pi_line(void *v, const char *line, size_t len, long lineno, agent_event_fn fn, void *arg)
{
	return agent__json_line(v, line, len, lineno, fn, arg, pi_obj, agent__pi_says);
}

/* The header line alone names the session: {"type":"session","id":…}
 * (every other line's "id" is a message's or a tool call's). */
static size_t
pi_session(const char *line, size_t len, char *buf, size_t buflen)
{
	static const char head[] = "{\"type\":\"session\"";

	if (len < sizeof head - 1 || memcmp(line, head, sizeof head - 1) != 0)
		return 0;
	return agent__session_key(line, len, "id", agent__valid_uuid, buf, buflen);
}

const struct agent_dialect_ops agent__pi_json_ops = {
	.new = pi_new,
	.free = pi_free,
	.line = pi_line,
	.session = pi_session,
};

/* ==== -p: the answer alone ============================================== */

/* pi -p prints the last answer and nothing else, or, when the model API
 * failed, the error alone ("401 Incorrect API key provided: dummy") and
 * exits 1, as it does for its own "Error: …".  A first line worded so is
 * held: it is the run's error when nothing follows it, the answer's first
 * line when more does. */
struct pi_text {
	struct agent__text c;
	int seen;                /* a non-blank line came before */
	int mid;                 /* the lines start inside the log */
	int held;
	long held_line;
	struct agent__buf hold;
};

static void *
text_new(enum agent_dialect d)
{
	return agent__text_new(sizeof(struct pi_text), d, NULL);
}

static void
text_free(void *st)
{
	struct pi_text *p = st;

	if (p == NULL)
		return;
	agent__buf_free(&p->hold);
	agent__text_free(p);
}

static void
text_mid(void *st)
{
	((struct pi_text *)st)->mid = 1;
}

/* The held line as what it turned out to be: final says the log ended
 * after it. */
static int
text_flush(struct pi_text *p, int final, agent_event_fn fn, void *arg)
{
	struct agent_event e;
	const char *t;

	if (!p->held)
		return 0;
	p->held = 0;
	t = agent__text_piece(&p->c, agent__buf_str(&p->hold), p->hold.len);
	agent_event_init(&e);
	if (final) {
		agent__error_kind(&e, t, lead_status(t), 1);
		e.title = e.text = t;
	} else {
		e.kind = AGENT_EV_TEXT;
		e.title = e.text = t;
	}
	return agent__text_emit(&e, p->held_line, fn, arg);
}

static int
text_line(void *st, const char *raw, size_t n, long lineno, agent_event_fn fn, void *arg)
{
	struct pi_text *p = st;
	struct agent__text *c = &p->c;
	const char *t;
	int r, hit, first;

	if ((t = agent__text_start(c, raw, n, lineno)) == NULL)
		return 0;
	if ((r = text_flush(p, 0, fn, arg)) != 0)
		return r;
	first = !p->seen && !p->mid;
	p->seen = 1;
	if ((r = agent__text_stderr(c, t, agent__pi_says, &hit, fn, arg)) != 0 || hit)
		return r;
	if (first && ((lead_status(t) >= 400 && t[4] != '\0') || agent__starts(t, "Error: ")) &&
	    agent__buf_set(&p->hold, t, strlen(t)) == 0) {
		p->held = 1;
		p->held_line = lineno;
		return 0;
	}
	return agent__text_say(c, t, fn, arg);
}

static int
text_end(void *st, agent_event_fn fn, void *arg)
{
	return text_flush(st, 1, fn, arg);
}

/* -p names no session: no .session */
const struct agent_dialect_ops agent__pi_text_ops = {
	.new = text_new,
	.free = text_free,
	.line = text_line,
	.end = text_end,
	.mid = text_mid,
};

/* ==== what pi prints on stderr ========================================== */

/* pi's own fatal messages, before any model call: a --session that names
 * none, no model or key configured; in json mode (where stdout is JSON)
 * also its "Error: …" lines (bad arguments, an @file it cannot read). */
enum agent__says
agent__pi_says(const char *t, enum agent_dialect as, const char **msg, size_t *len)
{
	(void)msg, (void)len;
	if (agent__starts(t, "No session found matching '") ||
	    agent__starts(t, "No models available. Use /login") ||
	    (agent__starts(t, "No API key found for ") && as != AGENT_D_GENERIC) ||
	    (agent__starts(t, "No model selected.") && as != AGENT_D_GENERIC))
		return AGENT__SAYS_FATAL;
	if (as == AGENT_D_PI_JSON && agent__starts(t, "Error: "))
		return AGENT__SAYS_FATAL;
	return AGENT__SAYS_NOTHING;
}

/* ==== recognising a pi log ============================================== */

enum agent_dialect
agent__pi_cue(const struct agent__cue *l, int *strong)
{
	static const char *const types[] = {
		"agent_start", "turn_start", "message_start", "message_update",
		"message_end", "tool_execution_start", "tool_execution_update",
		"tool_execution_end", "turn_end", "agent_end", "auto_retry_start",
		"auto_retry_end",
	};
	char type[40];

	*strong = 1;
	if (l->json == NULL) {
		const char *msg;
		size_t len;

		/* -p's answer names nothing; an API error alone, first, is
		 * worded as pi words it ("401 Incorrect API key …"), and pi's
		 * own fatal lines are its alone */
		*strong = 0;
		if (l->prevlen == 0 && lead_status(l->text) >= 400 &&
		    (unsigned char)l->text[4] > ' ')
			return AGENT_D_PI_TEXT;
		return agent__pi_says(l->text, AGENT_D_GENERIC, &msg, &len) != AGENT__SAYS_NOTHING
		    ? AGENT_D_PI_TEXT : AGENT_D_GENERIC;
	}
	agent__jhead_type(l->json, type, sizeof type);
	/* the header: {"type":"session","version":3,"id":…,"cwd":…} */
	if (strcmp(type, "session") == 0 && agent__jhead_has(l->json, "version") &&
	    agent__jhead_has(l->json, "cwd"))
		return AGENT_D_PI_JSON;
	for (size_t i = 0; i < sizeof types / sizeof types[0]; i++)
		if (strcmp(type, types[i]) == 0)
			return AGENT_D_PI_JSON;
	return AGENT_D_GENERIC;
}
