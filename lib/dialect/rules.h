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
 * 429 for a limit that names it, 401 for authentication wording), and a
 * LIMIT's .resets_in from the generic wording (agent__resets_in).  Leaves
 * .text, .title and .resets_at to the caller: an agent file that knows
 * when its agent's limit resets in its own terms sets .resets_at (or
 * .resets_in) of the LIMIT from them: a JSON field itself, a clock time
 * ("resets 3pm") through its ops' resets (lib/dialect.c reads it against
 * the line's or the log's time). */
void agent__error_kind(struct agent_event *e, const char *text, int http_status, int final);

/* The HTTP error status (4xx/5xx) an error's text names, -1 none. */
int agent__http_status(const char *text);
/* Seconds until a limit resets, from wording any agent may use: "try
 * again in 4 days 2 hours", "retry after 30s", "Please retry in 39.5s",
 * "Retry-After: 120" (a bare number is seconds); -1 when it says none. */
double agent__resets_in(const char *text);
/* Whether the text names a usage or rate limit. */
int agent__is_limit(const char *text);
/* An HTTP Retry-After value (seconds, or an HTTP-date) received at ref:
 * the time it names, -1 when unreadable. */
double agent__retry_after(const char *value, double ref);
/* A clock time at the start of text ("12:44pm", "1pm", "12:44 PM",
 * "Dec 1, 1:41pm", "Dec 1st, 2026 1:42 PM") said at ref, in zone (an IANA
 * name; NULL: local time): the end of that minute, on the first day (or
 * year, when the year is not given) it has not passed AGENT__RESET_SLACK
 * seconds before ref.  -1 when text starts with none, or when zone is
 * neither UTC nor the local zone (the process's zone is not changed to
 * read it). */
double agent__reset_clock(const char *text, const char *zone, double ref);
#define AGENT__RESET_SLACK 300

/* Whether the text is an agent's notice that it retries ("Reconnecting...
 * 1/5", "Attempt 2 failed"): an error that does not end the run. */
int agent__is_retry(const char *text);

#endif
