/* cline.c — Cline CLI: `cline --json` lines (hook events, agent events and
 * the run's result, each with its time in "ts"), interleaved with the
 * warnings its AI SDK prints on stderr; the plain transcript of `cline`;
 * the lines it prints on stderr, and how its logs are recognised.  Cline's
 * logs name no session: the id --id takes is in `cline history` alone, and
 * --id resumes only in Cline's terminal interface. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "json.h"
#include "rules.h"
#include "text.h"

/* ==== --json ============================================================ */

/* What --json knows (format drift, json.h): the line types and the values
 * of the fields its reading depends on, as Cline 3.0.65 writes them. */
static const char *const known[] = {
	"hook_event", "agent_event", "run_result", "run_aborted", "error",
	"hook_event.hookEventName=agent_start", "hook_event.hookEventName=tool_call",
	"hook_event.hookEventName=tool_result", "hook_event.hookEventName=agent_end",
	"hook_event.hookEventName=agent_error",
	"agent_event.event.type=iteration_start", "agent_event.event.type=iteration_end",
	"agent_event.event.type=content_start", "agent_event.event.type=content_update",
	"agent_event.event.type=content_end", "agent_event.event.type=usage",
	"agent_event.event.type=done", "agent_event.event.type=error",
	"agent_event.event.contentType=text", "agent_event.event.contentType=tool",
	"run_result.finishReason=completed", "run_result.finishReason=error",
	"run_result.finishReason=aborted",
	NULL
};

struct cline {
	struct agent__json j;
};

static int
no_id(const char *s, size_t n)
{
	(void)s, (void)n;
	return 0;
}

static void *
cline_new(enum agent_dialect d)
{
	struct cline *c = agent__json_new(sizeof(struct cline), d, no_id);

	if (c != NULL)
		c->j.known = known;
	return c;
}

/* The first string of an array input ("files": [{"path": …}] or
 * ["…"], "commands": […]), or the value itself when it is a string. */
static const char *
first_of(struct agent__jval *v, const char *key)
{
	struct agent__jval *x;

	if (agent__jval_is(v, AGENT__JV_STRING))
		return agent__jval_str(v);
	if ((x = agent__jval_idx(v, 0)) == NULL)
		return NULL;
	if (agent__jval_is(x, AGENT__JV_STRING))
		return agent__jval_str(x);
	return agent__jstr(x, key);
}

/* Cline's tools take lists: the title and path are its first item's. */
static void
cline_tool(struct cline *c, struct agent_event *e, const char *name, struct agent__jval *in)
{
	const char *t;

	agent__json_tool(&c->j, e, name, in);
	if (name == NULL || e->title != NULL)
		return;
	if (strcmp(name, "read_files") == 0) {
		e->path = first_of(agent__jget(in, "files"), "path");
		t = e->path;
	} else if (strcmp(name, "run_commands") == 0) {
		t = first_of(agent__jget(in, "commands"), "command");
	} else if (strcmp(name, "search_codebase") == 0) {
		t = first_of(agent__jget(in, "queries"), "query");
	} else if (strcmp(name, "fetch_web_content") == 0) {
		t = first_of(agent__jget(in, "urls"), "url");
	} else {
		return;
	}
	e->title = agent__first_line(&c->j, t);
}

/* A tool's output: each item's result (or error), joined; *failed set
 * when an item did not succeed. */
static const char *
tool_output(struct cline *c, struct agent__jval *out, int *failed)
{
	struct agent__buf b = { 0 };
	const char *s, *r;
	size_t i, n;

	*failed = 0;
	if (agent__jval_is(out, AGENT__JV_STRING))
		return agent__jval_str(out);
	n = agent__jval_len(out);
	for (i = 0; i < n; i++) {
		struct agent__jval *it = agent__jval_idx(out, i);

		if (agent__jbool(it, "success") == 0)
			*failed = 1;
		if ((s = agent__jstr(it, "result")) == NULL && (s = agent__jstr(it, "error")) == NULL)
			continue;
		if ((b.len > 0 && agent__buf_add_max(&b, "\n", 1, AGENT__JSON_HOLD_MAX) < 0) ||
		    agent__buf_add_max(&b, s, strlen(s), AGENT__JSON_HOLD_MAX) < 0)
			break;
	}
	r = b.p != NULL ? agent__json_strndup(&c->j, b.p, b.len) : NULL;
	agent__buf_free(&b);
	return r;
}

/* "[Command exited with code 2]" or "Command exited with code 2". */
static int
exit_code_of(const char *s)
{
	static const char mark[] = "exited with code ";
	const char *p;
	char *end;
	long v;

	if (s == NULL || (p = strstr(s, mark)) == NULL)
		return -1;
	v = strtol(p + sizeof mark - 1, &end, 10);
	return end > p + sizeof mark - 1 && v >= 0 && v <= 255 ? (int)v : -1;
}

/* agent_event: the agent loop's events, in "event". */
static int
agent_event(struct cline *c, struct agent__jval *ev, double ts)
{
	const char *type = agent__jstr(ev, "type");
	const char *ct = agent__jstr(ev, "contentType");
	struct agent_event e;
	long long v;
	int failed;

	if (!agent__json_knows(&c->j, "agent_event", "event.type", type) || type == NULL)
		return 0;
	if ((strcmp(type, "content_start") == 0 || strcmp(type, "content_end") == 0) &&
	    !agent__json_knows(&c->j, "agent_event", "event.contentType", ct))
		return 0;
	agent_event_init(&e);
	e.ts = ts;
	if (strcmp(type, "content_end") == 0 && ct != NULL && strcmp(ct, "text") == 0) {
		e.kind = AGENT_EV_TEXT;
		e.text = agent__jstr(ev, "text");
		if ((e.title = agent__first_line(&c->j, e.text)) == NULL)
			return 0;
	} else if (strcmp(type, "content_start") == 0 && ct != NULL && strcmp(ct, "tool") == 0) {
		e.kind = AGENT_EV_TOOL;
		e.status = AGENT_TOOL_RUNNING;
		e.call_id = agent__jstr(ev, "toolCallId");
		cline_tool(c, &e, agent__jstr(ev, "toolName"), agent__jget(ev, "input"));
		agent__json_call_put(&c->j, &e);
	} else if (strcmp(type, "content_end") == 0 && ct != NULL && strcmp(ct, "tool") == 0) {
		e.kind = AGENT_EV_TOOL;
		e.call_id = agent__jstr(ev, "toolCallId");
		e.text = tool_output(c, agent__jget(ev, "output"), &failed);
		e.status = failed || agent__jstr(ev, "error") != NULL ? AGENT_TOOL_ERROR
		    : AGENT_TOOL_COMPLETED;
		agent__json_call_take(&c->j, &e);
		if (e.tool == NULL)
			cline_tool(c, &e, agent__jstr(ev, "toolName"), agent__jget(ev, "input"));
		if (e.tkind == AGENT_TK_SHELL)
			e.exit_code = e.status == AGENT_TOOL_COMPLETED ? 0 : exit_code_of(e.text);
	} else if (strcmp(type, "usage") == 0) {
		/* one model call's; the run's totals come again in run_result */
		e.kind = AGENT_EV_STEP;
		e.title = "usage";
		if (agent__jint(ev, "inputTokens", &v) && v >= 0)
			e.tokens_in = v;
		if (agent__jint(ev, "outputTokens", &v) && v >= 0)
			e.tokens_out = v;
	} else if (strcmp(type, "error") == 0) {
		struct agent__jval *err = agent__jget(ev, "error");
		const char *msg = agent__jstr(err, "message");

		if (msg == NULL && agent__jval_is(err, AGENT__JV_STRING))
			msg = agent__jval_str(err);
		/* run_result says whether it ended the run */
		agent__json_error(&c->j, &e, msg != NULL ? msg : "error", -1, 0);
	} else {
		/* iteration_start and _end, content_start of text (deltas
		 * that content_end gives whole), content_update (a tool's
		 * output as it comes), done (run_result follows) */
		return 0;
	}
	return agent__json_emit(&c->j, &e);
}

/* The run's result: completed, or an error (a limit), or another end. */
static int
run_result(struct cline *c, struct agent__jval *o, double ts)
{
	const char *why = agent__jstr(o, "finishReason");
	const char *text = agent__jstr(o, "text");
	struct agent__jval *model = agent__jget(o, "model");
	struct agent_event e;
	int r;

	/* {"id": "fake-model", "provider": "openai-compatible"} */
	if ((r = agent__json_model(&c->j, agent__jval_is(model, AGENT__JV_STRING) ?
	    agent__jval_str(model) : agent__jstr(model, "id"))) != 0)
		return r;
	agent_event_init(&e);
	e.ts = ts;
	if (why != NULL && strcmp(why, "completed") == 0) {
		e.kind = AGENT_EV_DONE;
		e.final = 1;
		e.text = text;
		e.title = agent__first_line(&c->j, text);
	} else if (why != NULL && (strcmp(why, "aborted") == 0 || strcmp(why, "cancelled") == 0)) {
		e.kind = AGENT_EV_INTERRUPT;
		e.final = 1;
		e.title = e.text = why;
	} else {
		agent__json_error(&c->j, &e, text != NULL && *text != '\0' ? text :
		    why != NULL ? why : "error", -1, 1);
	}
	return agent__json_emit(&c->j, &e);
}

static int
cline_obj(void *st, struct agent__jval *o)
{
	struct cline *c = st;
	const char *type = agent__jstr(o, "type");
	double ts = agent__iso_time(agent__jstr(o, "ts"));
	struct agent_event e;

	if (!agent__json_knows(&c->j, type, NULL, NULL) || type == NULL)
		return 0;
	if (strcmp(type, "agent_event") == 0)
		return agent_event(c, agent__jget(o, "event"), ts);
	if (strcmp(type, "run_result") == 0) {
		agent__json_knows(&c->j, type, "finishReason", agent__jstr(o, "finishReason"));
		return run_result(c, o, ts);
	}
	if (strcmp(type, "hook_event") == 0) {
		agent__json_knows(&c->j, type, "hookEventName", agent__jstr(o, "hookEventName"));
		return 0;
	}
	agent_event_init(&e);
	e.ts = ts;
	if (strcmp(type, "run_aborted") == 0) {
		/* after SIGTERM: the tool was cut, the model asked once more,
		 * the run's result given, and then this, Cline's last word */
		e.kind = AGENT_EV_INTERRUPT;
		e.final = 1;
		e.title = e.text = agent__jstr(o, "message");
		if (e.title == NULL)
			e.title = "aborted";
	} else if (strcmp(type, "error") == 0) {
		agent__json_error(&c->j, &e, agent__jstr(o, "message") != NULL ?
		    agent__jstr(o, "message") : "error", -1, 1);
	} else {
		/* hook_event: agent_start, tool_call, tool_result, agent_end,
		 * agent_error tell again what agent_event lines tell */
		return 0;
	}
	return agent__json_emit(&c->j, &e);
}

static int
cline_line(void *v, const char *line, size_t len, long lineno, agent_event_fn fn, void *arg)
{
	return agent__json_line(v, line, len, lineno, fn, arg, cline_obj, agent__cline_says);
}

/* Cline's logs never name the session (it is in `cline history`): no .session */
const struct agent_dialect_ops agent__cline_json_ops = {
	.new = cline_new,
	.free = agent__json_free,
	.line = cline_line,
};

/* ==== the transcript of `cline` ========================================= */

/* Lines of the transcript (coloured whatever NO_COLOR says): the
 * assistant's text, "[run_commands] echo hi" for a tool (or its input as
 * JSON, cut: "[read_files] {"files":[{"path":"/p/a.txt"}]}" or
 * "…/p/inp..."), "   ⎿ …" under it for its output ("⎿ [Command exited
 * with code 2] …", "⎿ error: …" when it failed), "error: <message>" when
 * the run failed, "[abort] <why>" when it was stopped; and the AI SDK's
 * warnings with their stack lines. */
struct cline_text {
	struct agent__text c;
	char tool[64];          /* the last tool's name, "" none */
	long tool_line;
};

static void *
text_new(enum agent_dialect d)
{
	return agent__text_new(sizeof(struct cline_text), d, NULL);
}

/* "[name] title": the tool's name in *name (n bytes), its title after. */
static const char *
tool_line_of(const char *t, const char **name, size_t *n)
{
	const char *e;
	size_t k;

	if (t[0] != '[' || (e = strchr(t, ']')) == NULL || e[1] != ' ' || e == t + 1)
		return NULL;
	for (k = 1; t + k < e; k++)
		if (!((t[k] >= 'a' && t[k] <= 'z') || t[k] == '_'))
			return NULL;
	*name = t + 1;
	*n = (size_t)(e - t - 1);
	return e + 2;
}

/* A tool line's title: its input's first "path" when the input is JSON
 * (*whole when the path was not cut), else the line as it is. */
static const char *
tool_title(struct agent__text *c, const char *t, int *whole)
{
	const char *p, *q;

	*whole = 1;
	if (t[0] != '{' || (p = strstr(t, "\"path\":\"")) == NULL)
		return t;
	p += 8;
	if ((q = strchr(p, '"')) != NULL)
		return agent__text_piece(c, p, (size_t)(q - p));
	*whole = 0;
	return agent__text_piece(c, p, strlen(p));
}

static int
text_line(void *st, const char *raw, size_t len, long lineno, agent_event_fn fn, void *arg)
{
	struct cline_text *p = st;
	struct agent__text *c = &p->c;
	const char *t, *a, *name;
	struct agent_event e;
	size_t n;
	int r, hit;

	agent__text_begin(c, raw, len, lineno);
	t = agent__text_trimmed(c, agent__buf_str(&c->ln));
	if (*t == '\0')
		return 0;
	if ((r = agent__text_stderr(c, t, agent__cline_says, &hit, fn, arg)) != 0 || hit)
		return r;
	if (agent__starts(t, "Warning: AI SDK ") || agent__starts(t, "DeprecationWarning: ") ||
	    agent__starts(t, "at "))
		return 0;
	if ((a = agent__after(t, "[abort] ")) != NULL)
		return agent__text_simple(c, AGENT_EV_INTERRUPT, agent__text_trimmed(c, a), fn, arg);
	if ((a = agent__after(t, "⎿")) != NULL) {
		/* a tool's output; its failure marks the tool */
		const char *x;

		a = agent__skip_blanks(a);
		if (p->tool[0] == '\0' || (!agent__starts(a, "error: ") &&
		    !agent__starts(a, "[Command exited with code ")))
			return 0;
		agent_event_init(&e);
		e.kind = AGENT_EV_TOOL;
		e.status = AGENT_TOOL_ERROR;
		e.tool = agent__text_piece(c, p->tool, strlen(p->tool));
		e.tkind = agent__tool_kind(e.tool);
		if ((x = agent__after(a, "error: ")) != NULL) {
			e.text = agent__text_trimmed(c, x);
			e.exit_code = exit_code_of(e.text);
		} else {
			e.text = a;
			e.exit_code = exit_code_of(a);
		}
		return agent__text_emit(&e, lineno, fn, arg);
	}
	if ((a = tool_line_of(t, &name, &n)) != NULL) {
		agent_event_init(&e);
		e.kind = AGENT_EV_TOOL;
		e.status = AGENT_TOOL_COMPLETED;
		e.tool = agent__text_piece(c, name, n);
		e.tkind = agent__tool_kind(e.tool);
		{
			int whole;

			e.title = tool_title(c, agent__text_trimmed(c, a), &whole);
			if (whole && (e.tkind == AGENT_TK_READ || e.tkind == AGENT_TK_WRITE ||
			    e.tkind == AGENT_TK_EDIT))
				e.path = e.title;
		}
		snprintf(p->tool, sizeof p->tool, "%s", e.tool);
		p->tool_line = lineno;
		return agent__text_emit(&e, lineno, fn, arg);
	}
	return agent__text_say(c, t, fn, arg);
}

/* nor does the transcript: no .session */
const struct agent_dialect_ops agent__cline_text_ops = {
	.new = text_new,
	.free = agent__text_free,
	.line = text_line,
};

/* ==== what cline prints on stderr ======================================= */

/* "error: <message>" ends a run in both formats (json mode says it in its
 * own error line too); a --id given headless is refused so. */
enum agent__says
agent__cline_says(const char *t, enum agent_dialect as, const char **msg, size_t *len)
{
	const char *m = agent__after(t, "error: ");

	if (m == NULL || ((as != AGENT_D_CLINE_TEXT && as != AGENT_D_CLINE_JSON) &&
	    !agent__starts(m, "interactive mode requires a TTY")))
		return AGENT__SAYS_NOTHING;
	*msg = m;
	*len = strlen(m);
	return AGENT__SAYS_FATAL;
}

/* ==== recognising a cline log =========================================== */

enum agent_dialect
agent__cline_cue(const struct agent__cue *l, int *strong)
{
	static const char *const types[] = {
		"hook_event", "agent_event", "run_result", "run_aborted",
	};
	static const char *const tools[] = {
		"[run_commands] ", "[read_files] ", "[editor] ", "[search_codebase] ",
		"[fetch_web_content] ",
	};
	char type[40];

	*strong = 1;
	if (l->json != NULL) {
		agent__jhead_type(l->json, type, sizeof type);
		if (!agent__jhead_has(l->json, "ts"))
			return AGENT_D_GENERIC;
		for (size_t i = 0; i < sizeof types / sizeof types[0]; i++)
			if (strcmp(type, types[i]) == 0)
				return AGENT_D_CLINE_JSON;
		/* alone when Cline refuses before the run (--id headless) */
		if (strcmp(type, "error") == 0 && agent__jhead_has(l->json, "message"))
			return AGENT_D_CLINE_JSON;
		return AGENT_D_GENERIC;
	}
	for (size_t i = 0; i < sizeof tools / sizeof tools[0]; i++)
		if (agent__starts(l->text, tools[i]))
			return AGENT_D_CLINE_TEXT;
	*strong = 0;
	if (agent__starts(l->text, "Warning: AI SDK Warning System:"))
		return AGENT_D_CLINE_TEXT;
	/* its error, red whatever NO_COLOR says: alone when the model API
	 * refused the first request */
	if (l->rawlen > 15 && memcmp(l->raw, "\x1b[31merror:\x1b[0m ", 15) == 0)
		return AGENT_D_CLINE_TEXT;
	return AGENT_D_GENERIC;
}
