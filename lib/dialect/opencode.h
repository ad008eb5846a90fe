/* opencode.h — inside the library only: opencode's transcript tool lines,
 * which oh-my-opencode draws the same way (lib/dialect/omo.c reads them),
 * and opencode's two formats, which its fork Kilo prints too
 * (lib/dialect/kilo.c reads them with its own stderr wording and its own
 * list of what it knows). */
#ifndef AGENT_DIALECT_OPENCODE_H
#define AGENT_DIALECT_OPENCODE_H
#include "json.h"
#include "text.h"

/* The tool icon s starts with (followed by a space), or NULL. */
const char *agent__opencode_icon(const char *s);
/* Fills the TOOL fields of e from a tool line's icon and its title ("Read
 * README.md", "ls && echo hi", "Glob \"*.c\""). */
void agent__opencode_tool(struct agent__text *, struct agent_event *e,
                          const char *icon, const char *title);

/* run --format json: a parser of dialect d knowing names (format drift,
 * json.h), its struct agent__json first; and one line's object, for
 * agent__json_line. */
void *agent__opencode_json_new(enum agent_dialect d, const char *const *names);
int agent__opencode_obj(void *st, struct agent__jval *o);
/* A session id: "ses_" and 26 letters or digits. */
int agent__opencode_ses(const char *s, size_t len);

/* run's transcript, its stderr lines read in says' wording. */
void *agent__opencode_text_new(enum agent_dialect d, agent__says_fn says);
void agent__opencode_text_free(void *st);
int agent__opencode_text_line(void *st, const char *raw, size_t n, long lineno,
                              agent_event_fn fn, void *arg);
int agent__opencode_text_end(void *st, agent_event_fn fn, void *arg);
/* The session a --print-logs line names. */
size_t agent__opencode_text_session(const char *line, size_t len, char *buf, size_t buflen);

#endif
