/* dialect_opencode.c — `opencode run --format json` lines (step, text,
 * tool_use, error events) as normalized events. */
#include <stdio.h>
#include <string.h>
#include "dialect_json.h"

/* Plain text opencode writes even in json mode: a fatal CLI error
 * ("Error: Session not found") and the permission auto-reject notice. */
static int
plain_line(struct agent__jp *st, const char *line, size_t len)
{
	const char *p = agent__plain(st, line, len);
	struct agent_event e;

	agent__ev_init(st, &e);
	if (strncmp(p, "Error: ", 7) == 0) {
		agent__error_event(st, &e, p, -1, 1);
		return agent__emit(st, &e);
	}
	if (strncmp(p, "! permission requested: ", 24) == 0 &&
	    strstr(p, "auto-rejecting") != NULL) {
		agent__error_event(st, &e, p + 2, -1, 0);
		return agent__emit(st, &e);
	}
	return 0;
}

static enum agent_tool_status
tool_status(const char *s)
{
	if (s == NULL)
		return AGENT_TOOL_NONE;
	if (strcmp(s, "completed") == 0)
		return AGENT_TOOL_COMPLETED;
	if (strcmp(s, "error") == 0)
		return AGENT_TOOL_ERROR;
	if (strcmp(s, "running") == 0)
		return AGENT_TOOL_RUNNING;
	if (strcmp(s, "pending") == 0)
		return AGENT_TOOL_PENDING;
	return AGENT_TOOL_NONE;
}

/* apply_patch: one TOOL event per file the patch adds, updates or
 * deletes, paired by "<callID>#<n>"; 0 when the patch names no file. */
static int
patch_files(struct agent__jp *st, const struct agent_event *proto,
            const char *patch, int *r)
{
	static const struct {
		const char *mark;
		enum agent_tool_kind kind;
	} marks[] = {
		{ "*** Add File: ", AGENT_TK_WRITE },
		{ "*** Update File: ", AGENT_TK_EDIT },
		{ "*** Delete File: ", AGENT_TK_DELETE },
	};
	const char *p = patch, *nl;
	char cid[160];
	int n = 0;
	size_t k, ml = 0;

	*r = 0;
	for (; p != NULL && *p != '\0' && *r == 0; p = nl != NULL ? nl + 1 : NULL) {
		struct agent_event e = *proto;

		nl = strchr(p, '\n');
		for (k = 0; k < sizeof marks / sizeof marks[0]; k++) {
			ml = strlen(marks[k].mark);
			if (strncmp(p, marks[k].mark, ml) == 0)
				break;
		}
		if (k == sizeof marks / sizeof marks[0])
			continue;
		e.tkind = marks[k].kind;
		e.path = agent__first_line(st, p + ml);
		e.title = e.path;
		if (n > 0 && proto->call_id != NULL) {
			if ((size_t)snprintf(cid, sizeof cid, "%s#%d", proto->call_id, n) <
			    sizeof cid)
				e.call_id = agent__strdup(st, cid);
			else
				e.call_id = NULL;
		}
		n++;
		*r = agent__emit(st, &e);
	}
	return n;
}

static int
tool_use(struct agent__jp *st, struct agent__jt *part, struct agent_event *e)
{
	struct agent__jt *state = agent__jget(part, "state");
	struct agent__jt *input = agent__jget(state, "input");
	long long v;
	int r;

	e->kind = AGENT_EV_TOOL;
	e->call_id = agent__jstr(part, "callID");
	e->status = tool_status(agent__jstr(state, "status"));
	agent__tool_describe(st, e, agent__jstr(part, "tool"), input);
	if (e->title == NULL)
		e->title = agent__first_line(st, agent__jstr(state, "title"));
	e->text = e->status == AGENT_TOOL_ERROR ? agent__jstr(state, "error")
	    : agent__jstr(state, "output");
	if (e->tkind == AGENT_TK_SHELL &&
	    agent__jint(agent__jget(state, "metadata"), "exit", &v) &&
	    v >= -255 && v <= 255)
		e->exit_code = (int)v;
	if (e->tool != NULL && strcmp(e->tool, "apply_patch") == 0 &&
	    patch_files(st, e, agent__jstr(input, "patchText"), &r) > 0)
		return r;
	return agent__emit(st, e);
}

static int
opencode_obj(struct agent__jp *st, struct agent__jt *o)
{
	const char *type = agent__jstr(o, "type");
	struct agent__jt *part = agent__jget(o, "part");
	const char *sid = agent__jstr(o, "sessionID");
	struct agent_event e;
	long long v;
	int r;

	if (sid == NULL)
		sid = agent__jstr(part, "sessionID");
	if ((r = agent__session_seen(st, sid)) != 0 || type == NULL)
		return r;
	e.model = agent__jstr(part, "modelID");
	if (e.model == NULL)
		e.model = agent__jstr(part, "model");
	if ((r = agent__model_seen(st, e.model)) != 0)
		return r;
	agent__ev_init(st, &e);
	if (agent__jint(o, "timestamp", &v) && v > 0)
		e.ts = (double)v / 1000.0;
	e.model = st->model[0] != '\0' ? st->model : NULL;
	if (strcmp(type, "step_start") == 0) {
		e.kind = AGENT_EV_STEP;
		e.title = "step start";
	} else if (strcmp(type, "text") == 0) {
		e.kind = AGENT_EV_TEXT;
		e.text = agent__jstr(part, "text");
		e.title = agent__first_line(st, e.text);
		if (e.title == NULL)
			return 0;
	} else if (strcmp(type, "reasoning") == 0) {
		e.kind = AGENT_EV_STEP;
		e.title = "reasoning";
		e.text = agent__jstr(part, "text");
	} else if (strcmp(type, "tool_use") == 0) {
		return tool_use(st, part, &e);
	} else if (strcmp(type, "step_finish") == 0) {
		struct agent__jt *tok = agent__jget(part, "tokens");
		const char *reason = agent__jstr(part, "reason");

		if (agent__jint(tok, "input", &v))
			e.tokens_in = v;
		if (agent__jint(tok, "output", &v))
			e.tokens_out = v;
		agent__jnum(part, "cost", &e.cost);
		if (reason != NULL && strcmp(reason, "stop") == 0) {
			e.kind = AGENT_EV_DONE;
			e.final = 1;
		} else {
			e.kind = AGENT_EV_STEP;
			e.title = reason != NULL ? reason : "step finish";
		}
	} else if (strcmp(type, "error") == 0) {
		struct agent__jt *err = agent__jget(o, "error");
		struct agent__jt *data = agent__jget(err, "data");
		const char *msg = agent__jstr(data, "message");
		int status = -1;

		if (agent__jint(data, "statusCode", &v) && v >= 100 && v <= 599)
			status = (int)v;
		if (msg == NULL)
			msg = agent__jstr(err, "name");
		if (msg == NULL && agent__js_is(err, AGENT__JT_STRING))
			msg = agent__js_str(err);
		agent__error_event(st, &e, msg != NULL ? msg : "error", status, 1);
		if (agent__jstr(err, "name") != NULL &&
		    strcmp(agent__jstr(err, "name"), "MessageAbortedError") == 0)
			e.kind = AGENT_EV_INTERRUPT;
	} else {
		return 0;
	}
	return agent__emit(st, &e);
}

static int
opencode_line(void *v, const char *line, size_t len, long lineno,
              agent_event_fn fn, void *arg)
{
	struct agent__jp *st = v;
	struct agent__jt *o;
	int r;

	agent__jp_begin(st, lineno, fn, arg);
	if ((o = agent__jp_parse(st, line, len)) == NULL)
		return plain_line(st, line, len);
	r = opencode_obj(st, o);
	return r;
}

static size_t
opencode_session(const char *line, size_t len, char *buf, size_t buflen)
{
	return agent__session_key(line, len, "sessionID", agent__valid_ses,
	    buf, buflen);
}

const struct agent_dialect_ops agent__opencode_json_ops = {
	.new = agent__jp_new,
	.free = agent__jp_free,
	.line = opencode_line,
	.end = NULL,
	.session = opencode_session,
};
