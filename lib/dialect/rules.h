/* rules.h — inside the library only: the rules every agent file shares,
 * each written once: what a tool does by its name (tools.c), and what an
 * error's wording says (errors.c). */
#ifndef AGENT_DIALECT_RULES_H
#define AGENT_DIALECT_RULES_H
#include "event.h"

/* What a tool does, from any agent's name for it (case does not matter:
 * "Read", "read"), AGENT_TK_OTHER when unknown. */
enum agent_tool_kind agent__tool_kind(const char *name);

/* Makes e an ERROR, or a LIMIT when final and the wording or the status
 * names a usage or rate limit (a retry notice about a limit is not yet
 * the end: it stays an ERROR), and sets .final and .http_status: the
 * given one when >= 0, else one read from text (an error status 4xx/5xx;
 * 429 for a limit that names it, 401 for authentication wording).  Leaves
 * .text, .title and .resets_at to the caller: an agent file that knows
 * when its agent's limit resets ("resets 3pm", "try again in 5m", a retry
 * delay) sets .resets_at of the LIMIT from its own wording. */
void agent__error_kind(struct agent_event *e, const char *text, int http_status, int final);

/* The HTTP error status (4xx/5xx) an error's text names, -1 none. */
int agent__http_status(const char *text);
/* Whether the text names a usage or rate limit. */
int agent__is_limit(const char *text);
/* Whether the text is an agent's notice that it retries ("Reconnecting...
 * 1/5", "Attempt 2 failed"): an error that does not end the run. */
int agent__is_retry(const char *text);

#endif
