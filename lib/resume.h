/* resume.h — what agent-resume needs besides the presets: the follow-up
 * prompt drafted from a log, the length of a run's resume lineage, and
 * shell quoting for printing a command instead of running it. */
#ifndef AGENT_RESUME_H
#define AGENT_RESUME_H
#include "state.h"
#include "run.h"

/* A prompt for resuming a run that ended in state st: that it was cut off
 * (or failed, or hit a limit, or stalled: st stuck, for a run stopped by
 * agent-resume -k), what was in flight when it stopped (the
 * last tool call of sum), and to check the work already done before
 * redoing any of it.  Text taken from the log is made terminal-safe.
 * malloc'd; NULL on ENOMEM. */
char *agent_resume_prompt(enum agent_state st, const struct agent_summary *sum);

/* How many resumes lead to run: its parent, the parent's parent, ... as
 * their meta records name them, stopping at a run that no longer exists.
 * 0 for a run that resumes nothing.  -1 with errno on an I/O error. */
int agent_resume_lineage(const struct agent_run *run);

/* One word quoted for a POSIX shell: as it is when it holds only safe
 * characters, in '...' otherwise (newlines included, a ' as \'), and
 * each character a terminal would act on (controls, invalid UTF-8) as
 * "$(printf '\ooo')", which every POSIX shell reads (dash too) and which
 * shows nothing raw.  malloc'd; NULL on ENOMEM. */
char *agent_shell_quote(const char *word);
/* argv as one line of quoted words joined by blanks (a first word that
 * looks like NAME=VALUE is quoted so that it is not an assignment). */
char *agent_shell_join(char *const *argv);

#endif
