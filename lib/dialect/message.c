/* message.c — the JSON toolkit's rules for what an agent's messages and
 * results hold, shared by the formats that write them alike (Claude
 * Code's, and Qwen Code, Droid and pi after it): content text, a result's
 * done or failed, tool-use and thinking blocks, token counts, the line
 * that says a run was interrupted (json.h). */
#include <stdlib.h>
#include <string.h>
#include "json.h"

/* A message's content: a plain string, or the text of a content
 * array's blocks joined by newlines: each block's "text" and each string
 * (Claude Code's, Qwen Code's), or with only_text only the blocks of
 * type "text" (pi's). */
const char *
agent__content_text(struct agent__json *j, struct agent__jval *content, int only_text)
{
	struct agent__buf b = { 0 };
	const char *s, *r;
	size_t i, n;

	if (content == NULL)
		return NULL;
	if (agent__jval_is(content, AGENT__JV_STRING))
		return agent__jval_str(content);
	if (!agent__jval_is(content, AGENT__JV_ARRAY))
		return NULL;
	n = agent__jval_len(content);
	for (i = 0; i < n; i++) {
		struct agent__jval *blk = agent__jval_idx(content, i);
		const char *type = agent__jstr(blk, "type");

		if (only_text)
			s = type != NULL && strcmp(type, "text") == 0 ? agent__jstr(blk, "text") : NULL;
		else
			s = agent__jval_is(blk, AGENT__JV_STRING)
			    ? agent__jval_str(blk) : agent__jstr(blk, "text");
		if (s == NULL)
			continue;
		if ((b.len > 0 && agent__buf_add_max(&b, "\n", 1, AGENT__JSON_HOLD_MAX) < 0) ||
		    agent__buf_add_max(&b, s, strlen(s), AGENT__JSON_HOLD_MAX) < 0)
			break;
	}
	r = b.p != NULL ? agent__json_strndup(j, b.p, b.len) : NULL;
	agent__buf_free(&b);
	return r;
}

int
agent__json_result_done(struct agent__json *j, struct agent__jval *o)
{
	const char *sub = agent__jstr(o, "subtype");
	int is_error = agent__jbool(o, "is_error");

	agent__json_knows(j, "result", "subtype", sub);
	if (is_error < 0)
		agent__json_knows(j, "result", "is_error", NULL);
	/* An API error comes as subtype "success" with is_error set, but
	 * "error_max_turns" and the like end the run short whatever
	 * is_error says. */
	if (sub != NULL && strncmp(sub, "error", 5) == 0)
		return 0;
	return is_error == 0 || (is_error < 0 && sub != NULL && strcmp(sub, "success") == 0);
}

void
agent__json_block(struct agent__json *j, struct agent_event *e,
                  struct agent__jval *blk, const char *type)
{
	if (strcmp(type, "tool_use") == 0) {
		e->kind = AGENT_EV_TOOL;
		e->status = AGENT_TOOL_RUNNING;
		e->call_id = agent__jstr(blk, "id");
		agent__json_tool(j, e, agent__jstr(blk, "name"), agent__jget(blk, "input"));
		agent__json_call_put(j, e);
	} else if (strcmp(type, "thinking") == 0 || strcmp(type, "redacted_thinking") == 0) {
		e->kind = AGENT_EV_STEP;
		e->title = "thinking";
		e->text = agent__jstr(blk, "thinking");
	} else {
		e->kind = AGENT_EV_STEP;
		e->title = type;
	}
}

void
agent__json_tokens(struct agent__jval *usage, struct agent_event *e)
{
	long long v;

	if (agent__jint(usage, "input_tokens", &v))
		e->tokens_in = v;
	if (agent__jint(usage, "output_tokens", &v))
		e->tokens_out = v;
}

int
agent__json_interrupt(struct agent__json *j, const char *t)
{
	struct agent_event e;

	agent_event_init(&e);
	e.kind = AGENT_EV_INTERRUPT;
	e.final = 1;
	e.text = e.title = t;
	return agent__json_emit(j, &e);
}
