/* opencode.h — inside the library only: opencode's transcript tool lines,
 * which oh-my-opencode draws the same way (lib/dialect/omo.c reads them). */
#ifndef AGENT_DIALECT_OPENCODE_H
#define AGENT_DIALECT_OPENCODE_H
#include "text.h"

/* The tool icon s starts with (followed by a space), or NULL. */
const char *agent__opencode_icon(const char *s);
/* Fills the TOOL fields of e from a tool line's icon and its title ("Read
 * README.md", "ls && echo hi", "Glob \"*.c\""). */
void agent__opencode_tool(struct agent__text *, struct agent_event *e,
                          const char *icon, const char *title);

#endif
