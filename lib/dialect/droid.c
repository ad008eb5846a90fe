/* droid.c — Factory Droid: `droid exec -o stream-json` lines, the one
 * result object of `-o json`, the bare answer of `droid exec` (text), the
 * lines it prints on stderr, and how its logs are recognised. */
#include <stdlib.h>
#include <string.h>
#include "json.h"
#include "rules.h"
#include "text.h"

/* ==== stream-json and json ============================================== */

/* What this dialect knows (format drift, json.h): the line types, and the
 * values of the fields its reading depends on, as droid 0.225.2 writes
 * them in stream-json and json. */
static const char *const known[] = {
	"system", "message", "tool_call", "tool_result", "completion", "error", "result",
	"system.subtype=init", "message.role=user", "message.role=assistant",
	"error.source=agent_loop", "error.source=cli",
	"result.subtype=success", "result.subtype=failure",
	NULL
};

struct droid {
	struct agent__json j;
	int ended;      /* an error ended the run: the cli's "Exec failed"
	                   after it says nothing new */
};

static void *
droid_new(enum agent_dialect d)
{
	struct droid *dr = agent__json_new(sizeof(struct droid), d, agent__valid_uuid);

	if (dr != NULL)
		dr->j.known = known;
	return dr;
}

/* The number at p closed by c, -1 when none in 0..255. */
static int
code_at(const char *p, char c)
{
	char *end;
	long v;

	if (p == NULL || *p < '0' || *p > '9')
		return -1;
	v = strtol(p, &end, 10);
	return *end == c && v >= 0 && v <= 255 ? (int)v : -1;
}

/* An Execute's exit code: droid ends the command's output with
 * "[Process exited with code 2]" (the last one: the output may hold
 * others), and opens a failed one's error with "Error: Command failed
 * (exit code: 2)"; -1 when it names none (a command stopped by a
 * signal). */
static int
exit_code_of(const char *s)
{
	static const char mark[] = "[Process exited with code ";
	const char *p, *last = NULL;
	int v;

	if (s == NULL)
		return -1;
	for (p = s; (p = strstr(p, mark)) != NULL; p++)
		last = p;
	if (last != NULL && (v = code_at(last + sizeof mark - 1, ']')) >= 0)
		return v;
	return code_at(agent__after(s, "Error: Command failed (exit code: "), ')');
}

static int
tool_result(struct droid *dr, struct agent__jval *o, struct agent_event *e)
{
	struct agent__jval *err = agent__jget(o, "error");
	const char *msg = agent__jstr(err, "message");

	e->kind = AGENT_EV_TOOL;
	e->call_id = agent__jstr(o, "id");
	e->status = agent__jbool(o, "isError") == 1 || msg != NULL
	    ? AGENT_TOOL_ERROR : AGENT_TOOL_COMPLETED;
	e->text = e->status == AGENT_TOOL_ERROR && msg != NULL ? msg : agent__jstr(o, "value");
	agent__json_call_take(&dr->j, e);
	if (e->tool == NULL) {
		/* its call was not seen (a log read from its tail) */
		e->tool = agent__jstr(o, "toolId");
		e->tkind = agent__tool_kind(e->tool);
	}
	if (e->tkind == AGENT_TK_SHELL &&
	    (e->exit_code = exit_code_of(e->text)) < 0 && e->status == AGENT_TOOL_COMPLETED)
		e->exit_code = 0;
	return agent__json_emit(&dr->j, e);
}

/* {"type":"error","source":"agent_loop","message":"401 …"} ends the run;
 * {"type":"error","source":"cli","message":"Exec failed"} follows it and
 * adds nothing, but ends a run that failed otherwise. */
static int
error_line(struct droid *dr, struct agent__jval *o, struct agent_event *e)
{
	const char *msg = agent__jstr(o, "message");
	const char *src = agent__jstr(o, "source");

	if (src != NULL)
		agent__json_knows(&dr->j, "error", "source", src);
	if (src != NULL && strcmp(src, "cli") == 0 && dr->ended)
		return 0;
	agent__json_error(&dr->j, e, msg != NULL ? msg : "error", -1, 1);
	dr->ended = 1;
	return agent__json_emit(&dr->j, e);
}

static int
stream_obj(void *st, struct agent__jval *o)
{
	struct droid *dr = st;
	const char *type = agent__jstr(o, "type");
	struct agent_event e;
	long long ms;
	int r;

	/* asked before the session event, which carries what it lacks */
	if (!agent__json_knows(&dr->j, type, NULL, NULL))
		type = NULL;
	if ((r = agent__json_session(&dr->j, agent__jstr(o, "session_id"))) != 0 || type == NULL)
		return r;
	agent_event_init(&e);
	if (agent__jint(o, "timestamp", &ms) && ms > 0)
		e.ts = (double)ms / 1000.0;
	if (strcmp(type, "system") == 0) {
		agent__json_knows(&dr->j, "system", "subtype", agent__jstr(o, "subtype"));
		return agent__json_model(&dr->j, agent__jstr(o, "model"));
	} else if (strcmp(type, "message") == 0) {
		const char *role = agent__jstr(o, "role");

		agent__json_knows(&dr->j, "message", "role", role);
		if (role == NULL || strcmp(role, "assistant") != 0)
			return 0;
		e.kind = AGENT_EV_TEXT;
		e.text = agent__jstr(o, "text");
		e.title = agent__first_line(&dr->j, e.text);
		if (e.title == NULL)
			return 0;
	} else if (strcmp(type, "tool_call") == 0) {
		e.kind = AGENT_EV_TOOL;
		e.status = AGENT_TOOL_RUNNING;
		e.call_id = agent__jstr(o, "id");
		agent__json_tool(&dr->j, &e, agent__jstr(o, "toolName"), agent__jget(o, "parameters"));
		agent__json_call_put(&dr->j, &e);
		dr->ended = 0;
	} else if (strcmp(type, "tool_result") == 0) {
		dr->ended = 0;
		return tool_result(dr, o, &e);
	} else if (strcmp(type, "completion") == 0) {
		e.kind = AGENT_EV_DONE;
		e.final = 1;
		e.text = agent__jstr(o, "finalText");
		e.title = agent__first_line(&dr->j, e.text);
		agent__json_tokens(agent__jget(o, "usage"), &e);
	} else if (strcmp(type, "error") == 0) {
		return error_line(dr, o, &e);
	} else if (strcmp(type, "result") == 0) {
		/* -o json's one object */
		const char *text = agent__jstr(o, "result");

		agent__json_tokens(agent__jget(o, "usage"), &e);
		if (agent__json_result_done(&dr->j, o)) {
			struct agent_event t;

			agent_event_init(&t);
			t.kind = AGENT_EV_TEXT;
			t.text = text;
			t.title = agent__first_line(&dr->j, text);
			if (t.title != NULL && (r = agent__json_emit(&dr->j, &t)) != 0)
				return r;
			e.kind = AGENT_EV_DONE;
			e.final = 1;
			e.text = text;
			e.title = t.title;
		} else {
			agent__json_error(&dr->j, &e, text != NULL ? text : "error", -1, 1);
		}
	} else {
		return 0;
	}
	return agent__json_emit(&dr->j, &e);
}

static int
stream_line(void *st, const char *line, size_t len, long lineno,
            agent_event_fn fn, void *arg)
{
	return agent__json_line(st, line, len, lineno, fn, arg, stream_obj, agent__droid_says);
}

const struct agent_dialect_ops agent__droid_json_ops = {
	.new = droid_new,
	.free = agent__json_free,
	.line = stream_line,
	.session_key = "session_id",
	.session_id = agent__valid_uuid,
};

/* ==== text: the answer alone ============================================ */

static int
text_line(void *st, const char *raw, size_t n, long lineno, agent_event_fn fn, void *arg)
{
	return agent__text_answer_line(st, raw, n, lineno, agent__droid_says, fn, arg);
}

/* the text names no session: no .session */
const struct agent_dialect_ops agent__droid_text_ops = {
	.new = agent__text_answer_new,
	.free = agent__text_free,
	.line = text_line,
};

/* ==== what droid prints on stderr ======================================= */

enum agent__says
agent__droid_says(const char *t, enum agent_dialect as, const char **msg, size_t *len)
{
	(void)as, (void)msg, (void)len;
	if (agent__starts(t, "Error during droid execution: "))
		return AGENT__SAYS_FATAL;
	return AGENT__SAYS_NOTHING;
}

/* ==== recognising a droid log =========================================== */

/* Every droid JSON line carries the session id, and none Claude Code's
 * "uuid".  The stream's first line is a system/init like Claude Code's:
 * droid's names its reasoning effort (or, read whole, has the tools list
 * without Claude's MCP servers); the lines after it have Gemini CLI's
 * types with a numeric timestamp (Gemini's have no session id).  The json
 * format's one result object is Claude Code's, its usage counting Factory
 * credits. */
enum agent_dialect
agent__droid_cue(const struct agent__cue *l, int *strong)
{
	static const char *const types[] = { "message", "tool_call", "tool_result",
	                                     "completion", "error" };
	const struct agent__jhead *h = l->json;
	char type[40];
	int credits;

	if (h == NULL) {
		*strong = 0;
		return agent__starts(l->text, "Error during droid execution: ")
		    ? AGENT_D_DROID_TEXT : AGENT_D_GENERIC;
	}
	*strong = 1;
	agent__jhead_type(h, type, sizeof type);
	if (!agent__jhead_has(h, "session_id") || agent__jhead_has(h, "uuid"))
		return AGENT_D_GENERIC;
	if (strcmp(type, "system") == 0)
		return agent__jhead_is(h, "subtype", "init") &&
		    (agent__jhead_has(h, "reasoning_effort") || (h->obj != NULL &&
		     agent__jhead_has(h, "tools") && !agent__jhead_has(h, "mcp_servers")))
		    ? AGENT_D_DROID_STREAM : AGENT_D_GENERIC;
	if (strcmp(type, "result") == 0) {
		credits = h->obj != NULL
		    ? agent__jget(agent__jget(h->obj, "usage"), "factory_credits") != NULL
		    : memmem(h->s, h->n, "\"factory_credits\"", 17) != NULL;
		if (!credits)
			return AGENT_D_GENERIC;
		return l->first_json ? AGENT_D_DROID_JSON : AGENT_D_DROID_STREAM;
	}
	if (!agent__jhead_has(h, "timestamp"))
		return AGENT_D_GENERIC;
	for (size_t i = 0; i < sizeof types / sizeof types[0]; i++)
		if (strcmp(type, types[i]) == 0)
			return AGENT_D_DROID_STREAM;
	return AGENT_D_GENERIC;
}
