/* event.c — the normalized event: names, NDJSON, one-line summary. */
#include <string.h>
#include "event.h"

void
agent_event_init(struct agent_event *e)
{
	memset(e, 0, sizeof *e);
	e->ts = -1;
	e->tokens_in = e->tokens_out = -1;
	e->cost = -1;
	e->exit_code = -1;
	e->http_status = -1;
}

static const char *const kind_names[AGENT_EV__MAX] = {
	"none", "session", "model", "step", "text", "tool", "done", "error",
	"limit", "interrupt",
};

const char *
agent_ev_kind_name(enum agent_ev_kind k)
{
	return (unsigned)k < AGENT_EV__MAX ? kind_names[k] : "none";
}

const char *
agent_tool_status_name(enum agent_tool_status s)
{
	static const char *const n[] = { "", "pending", "running", "completed", "error" };
	return (unsigned)s < sizeof n / sizeof n[0] ? n[s] : "";
}

const char *
agent_tool_kind_name(enum agent_tool_kind k)
{
	static const char *const n[] = { "other", "read", "write", "edit", "delete",
		"shell", "search", "fetch", "task", "todo" };
	return (unsigned)k < sizeof n / sizeof n[0] ? n[k] : "other";
}
