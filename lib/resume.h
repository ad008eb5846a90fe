/* resume.h — what agent-resume needs besides the presets: the follow-up
 * prompt drafted from a log and the length of a run's resume lineage
 * (and, through shell.h, quoting for printing a command instead of
 * running it). */
#ifndef AGENT_RESUME_H
#define AGENT_RESUME_H
#include "state.h"
#include "run.h"
#include "shell.h"

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

#endif
