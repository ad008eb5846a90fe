/* lint.h — checks a phase prompt (or its template) against what makes an
 * agent finish a phase cleanly; the rules are in agent-template(5). */
#ifndef AGENT_LINT_H
#define AGENT_LINT_H
#include <stddef.h>

enum agent_lint_rule {
	AGENT_LINT_NO_STEPS,      /* no numbered steps */
	AGENT_LINT_LAST_STEP,     /* last step is not run-fix-re-run-report */
	AGENT_LINT_FILE_OPS,      /* files listed, no file-operation instructions */
	AGENT_LINT_SCRIPT_WRITES, /* files to be written through a script */
	AGENT_LINT_VAGUE_STEP,    /* an action with no file, command or symbol */
	AGENT_LINT_MANY_VERIFY,   /* several verification commands, none decides */
	AGENT_LINT_NRULES
};

struct agent_lint_finding {
	unsigned line;            /* from 1 */
	enum agent_lint_rule rule;
	char msg[240];            /* truncated to fit */
};

/* Checks len bytes of text (a template or a rendered prompt).  *found is a
 * malloc'd array of *n findings in line order (NULL when none).  -1 with
 * errno (ENOMEM). */
int agent_lint(const char *text, size_t len, struct agent_lint_finding **found, size_t *n);

/* The one verification command the prompt's last step tells the agent to
 * run, as the prompt writes it: a code span or a line of a fenced block
 * that runs a build or test, else a command named in words; among several,
 * the one the prompt names as deciding (or the only one it does not call
 * advisory).  0 with *cmd (malloc'd) and *line (from 1); 1 when there is not
 * exactly one, with a one-line reason in why; -1 with errno (ENOMEM). */
int agent_lint_verify(const char *text, size_t len, char **cmd, unsigned *line, char *why,
                      size_t whysize);

/* The rule's short name, as shown in brackets after each message. */
const char *agent_lint_rule_name(enum agent_lint_rule);

#endif
