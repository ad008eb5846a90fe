/* agent.h — the one header tools include: every module of libagent and the
 * exit-status table the whole suite shares (agentutils(7)). */
#ifndef AGENT_H
#define AGENT_H

/* Exit statuses, one table for every tool.  0..6 are agent states (agent-state,
 * agent-tail -f, agent-ls never exit with them for other reasons); errors use
 * sysexits(3) numbers so they never collide with a state. */
enum agent_exit {
	AGENT_EXIT_OK        = 0,  /* completed; or the tool did what was asked */
	AGENT_EXIT_FAILED    = 1,  /* state failed; or "not found" (agent-session-id) */
	AGENT_EXIT_CUTOFF    = 2,
	AGENT_EXIT_LIMITED   = 3,
	AGENT_EXIT_STUCK     = 4,
	AGENT_EXIT_RUNNING   = 5,
	AGENT_EXIT_STARTING  = 6,
	AGENT_EXIT_USAGE     = 64, /* bad options or arguments */
	AGENT_EXIT_DATAERR   = 65, /* bad input data (template errors, bad config) */
	AGENT_EXIT_NOINPUT   = 66, /* a run, log or file that cannot be opened */
	AGENT_EXIT_UNAVAILABLE = 69, /* a host cannot be reached, or the connection
	                              was lost and not regained */
	AGENT_EXIT_SOFTWARE  = 70, /* internal error */
	AGENT_EXIT_OSERR     = 71, /* fork, exec, pipe, lock ... failed */
	AGENT_EXIT_IOERR     = 74, /* a read or write failed */
	AGENT_EXIT_DRIFT     = 76, /* agent-state --strict: the verdict rests on
	                              output its dialect does not fully know
	                              (EX_PROTOCOL: the agent spoke a format
	                              newer than ours) */
	AGENT_EXIT_REFUSED   = 77, /* refused: run alive, stale id, --max reached */
	AGENT_EXIT_CONFIG    = 78, /* something needed is missing or cannot work:
	                              bubblewrap for --sandbox (or this system
	                              does not let it make a sandbox); agentutils
	                              on a host, or one of this version */
};

#include "event.h"
#include "log.h"
#include "dialect.h"
#include "state.h"
#include "run.h"
#include "preset.h"
#include "spawn.h"
#include "worktree.h"
#include "sandbox.h"
#include "vis.h"
#include "input.h"
#include "usage.h"
#include "watch.h"
#include "tmpl.h"
#include "lint.h"
#include "file.h"
#include "jsonw.h"
#include "shell.h"
#include "remote.h"

#endif
