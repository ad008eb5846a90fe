/* dialect_codex.c — Codex `exec --json` lines (thread / turn / item
 * events) as normalized events. */
#include <stdio.h>
#include <string.h>
#include "dialect_json.h"

/* started / updated / completed: where an item is in its life */
enum phase { PH_START, PH_UPDATE, PH_DONE };

static enum agent_tool_status
item_status(struct agent__jt *item, enum phase ph)
{
	const char *s = agent__jstr(item, "status");

	if (s != NULL && (strcmp(s, "failed") == 0 || strcmp(s, "declined") == 0))
		return AGENT_TOOL_ERROR;
	if (ph != PH_DONE || (s != NULL && strcmp(s, "in_progress") == 0))
		return AGENT_TOOL_RUNNING;
	return AGENT_TOOL_COMPLETED;
}

/* One TOOL event per file of a file_change, each paired by "<id>#<n>". */
static int
file_change(struct agent__jp *st, struct agent__jt *item, enum phase ph)
{
	struct agent__jt *changes = agent__jget(item, "changes");
	const char *id = agent__jstr(item, "id");
	struct agent_event e;
	char cid[128];
	size_t i, n;
	int r;

	if (changes == NULL || !agent__js_is(changes, AGENT__JT_ARRAY))
		return 0;
	n = agent__js_len(changes);
	for (i = 0; i < n; i++) {
		struct agent__jt *c = agent__js_idx(changes, i);
		const char *kind = agent__jstr(c, "kind");

		agent__ev_init(st, &e);
		e.kind = AGENT_EV_TOOL;
		e.tool = "file_change";
		e.status = item_status(item, ph);
		e.path = agent__jstr(c, "path");
		e.title = agent__first_line(st, e.path);
		e.tkind = AGENT_TK_EDIT;
		if (kind != NULL && strcmp(kind, "add") == 0)
			e.tkind = AGENT_TK_WRITE;
		else if (kind != NULL && strcmp(kind, "delete") == 0)
			e.tkind = AGENT_TK_DELETE;
		if (id != NULL) {
			if (i == 0)
				e.call_id = id;
			else if ((size_t)snprintf(cid, sizeof cid, "%s#%zu", id, i) < sizeof cid)
				e.call_id = agent__strdup(st, cid);
		}
		if ((r = agent__emit(st, &e)) != 0)
			return r;
	}
	return 0;
}

static int
item_line(struct agent__jp *st, struct agent__jt *item, enum phase ph)
{
	const char *type = agent__jstr(item, "type");
	struct agent_event e;
	long long v;

	if (type == NULL)
		return 0;
	agent__ev_init(st, &e);
	if (strcmp(type, "file_change") == 0)
		return file_change(st, item, ph);
	if (strcmp(type, "command_execution") == 0) {
		e.kind = AGENT_EV_TOOL;
		e.tool = type;
		e.tkind = AGENT_TK_SHELL;
		e.call_id = agent__jstr(item, "id");
		e.title = agent__first_line(st,
		    agent__unwrap_shell(st, agent__jstr(item, "command")));
		e.status = item_status(item, ph);
		if (agent__jint(item, "exit_code", &v) && v >= -255 && v <= 255)
			e.exit_code = (int)v;
		if (e.exit_code > 0 && ph == PH_DONE)
			e.status = AGENT_TOOL_ERROR;
		if (e.status != AGENT_TOOL_RUNNING)
			e.text = agent__jstr(item, "aggregated_output");
	} else if (strcmp(type, "mcp_tool_call") == 0) {
		const char *server = agent__jstr(item, "server");
		const char *tool = agent__jstr(item, "tool");
		char t[256];

		e.kind = AGENT_EV_TOOL;
		e.tool = tool != NULL ? tool : type;
		e.call_id = agent__jstr(item, "id");
		e.status = item_status(item, ph);
		if (server != NULL && tool != NULL &&
		    (size_t)snprintf(t, sizeof t, "%s.%s", server, tool) < sizeof t)
			e.title = agent__strdup(st, t);
		e.text = agent__jstr(agent__jget(item, "error"), "message");
	} else if (strcmp(type, "web_search") == 0) {
		e.kind = AGENT_EV_TOOL;
		e.tool = type;
		e.tkind = AGENT_TK_FETCH;
		e.call_id = agent__jstr(item, "id");
		e.status = item_status(item, ph);
		e.title = agent__first_line(st, agent__jstr(item, "query"));
	} else if (strcmp(type, "todo_list") == 0) {
		struct agent__jt *items = agent__jget(item, "items");
		size_t i, n;

		e.kind = AGENT_EV_TOOL;
		e.tool = type;
		e.tkind = AGENT_TK_TODO;
		e.call_id = agent__jstr(item, "id");
		e.status = ph == PH_DONE ? AGENT_TOOL_COMPLETED : AGENT_TOOL_RUNNING;
		n = items != NULL && agent__js_is(items, AGENT__JT_ARRAY)
		    ? agent__js_len(items) : 0;
		for (i = 0; i < n && e.title == NULL; i++) {
			struct agent__jt *t = agent__js_idx(items, i);

			if (agent__jbool(t, "completed") != 1)
				e.title = agent__first_line(st, agent__jstr(t, "text"));
		}
	} else if (ph != PH_DONE) {
		/* Only the tools above have a life worth following. */
		return 0;
	} else if (strcmp(type, "agent_message") == 0) {
		e.kind = AGENT_EV_TEXT;
		e.text = agent__jstr(item, "text");
		e.title = agent__first_line(st, e.text);
		if (e.title == NULL)
			return 0;
	} else if (strcmp(type, "reasoning") == 0) {
		e.kind = AGENT_EV_STEP;
		e.title = "reasoning";
		e.text = agent__jstr(item, "text");
	} else if (strcmp(type, "error") == 0) {
		/* A warning item: the turn goes on. */
		agent__error_event(st, &e, agent__jstr(item, "message"), -1, 0);
	} else {
		e.kind = AGENT_EV_STEP;
		e.title = type;
	}
	return agent__emit(st, &e);
}

static int
plain_line(struct agent__jp *st, const char *line, size_t len)
{
	const char *p = agent__plain(st, line, len);
	struct agent_event e;

	/* codex prints a fatal error (bad resume id, bad config) as
	 * "Error: …" and exits; its log lines read "ERROR codex_…". */
	if (strncmp(p, "Error: ", 7) != 0)
		return 0;
	agent__ev_init(st, &e);
	agent__error_event(st, &e, p, -1, 1);
	return agent__emit(st, &e);
}

static int
codex_line(void *v, const char *line, size_t len, long lineno,
           agent_event_fn fn, void *arg)
{
	struct agent__jp *st = v;
	struct agent_event e;
	struct agent__jt *o, *usage;
	const char *type;
	long long n;
	int r = 0;

	agent__jp_begin(st, lineno, fn, arg);
	if ((o = agent__jp_parse(st, line, len)) == NULL)
		return plain_line(st, line, len);
	type = agent__jstr(o, "type");
	agent__ev_init(st, &e);
	if (type == NULL) {
		;
	} else if (strcmp(type, "thread.started") == 0) {
		r = agent__session_seen(st, agent__jstr(o, "thread_id"));
	} else if (strcmp(type, "turn.started") == 0) {
		e.kind = AGENT_EV_STEP;
		e.title = "turn started";
		r = agent__emit(st, &e);
	} else if (strcmp(type, "turn.completed") == 0) {
		usage = agent__jget(o, "usage");
		e.kind = AGENT_EV_DONE;
		e.final = 1;
		if (agent__jint(usage, "input_tokens", &n))
			e.tokens_in = n;
		if (agent__jint(usage, "output_tokens", &n))
			e.tokens_out = n;
		r = agent__emit(st, &e);
	} else if (strcmp(type, "turn.failed") == 0) {
		const char *msg = agent__jstr(agent__jget(o, "error"), "message");

		agent__error_event(st, &e, msg != NULL ? msg : "turn failed", -1, 1);
		r = agent__emit(st, &e);
	} else if (strcmp(type, "error") == 0) {
		const char *msg = agent__jstr(o, "message");

		agent__error_event(st, &e, msg != NULL ? msg : "error", -1, 0);
		r = agent__emit(st, &e);
	} else if (strcmp(type, "item.started") == 0) {
		r = item_line(st, agent__jget(o, "item"), PH_START);
	} else if (strcmp(type, "item.updated") == 0) {
		r = item_line(st, agent__jget(o, "item"), PH_UPDATE);
	} else if (strcmp(type, "item.completed") == 0) {
		r = item_line(st, agent__jget(o, "item"), PH_DONE);
	}
	return r;
}

static size_t
codex_session(const char *line, size_t len, char *buf, size_t buflen)
{
	return agent__session_key(line, len, "thread_id", agent__valid_uuid,
	    buf, buflen);
}

const struct agent_dialect_ops agent__codex_json_ops = {
	.new = agent__jp_new,
	.free = agent__jp_free,
	.line = codex_line,
	.end = NULL,
	.session = codex_session,
};
