/* resume.c — the parts of agent-resume that are not options and output:
 * drafting the follow-up prompt, counting a lineage (quoting is shell.c). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "resume.h"
#include "vis.h"

/* What happened, in the agent's terms, for each final state. */
static const char *
what_happened(enum agent_state st)
{
	switch (st) {
	case AGENT_ST_CUTOFF:
		return "Your previous run in this session was cut off before it finished: "
		       "it was stopped in the middle of its work.";
	case AGENT_ST_FAILED:
		return "Your previous run in this session stopped on an error before it finished.";
	case AGENT_ST_LIMITED:
		return "Your previous run in this session stopped on a usage or rate limit "
		       "before it finished.";
	case AGENT_ST_COMPLETED:
		return "Your previous run in this session reported that it was done.";
	case AGENT_ST_STUCK:
		return "Your previous run in this session stalled before it finished: it "
		       "printed nothing and did no work for a long time, so it was stopped.";
	default:
		return "Your previous run in this session ended before it finished.";
	}
}

char *
agent_resume_prompt(enum agent_state st, const struct agent_summary *sum)
{
	char *tool = NULL, *error = NULL, *out = NULL;
	const char *inflight = "";
	int r, running = 0;

	if (sum && sum->last_tool[0]) {
		if (!(tool = agent_vis_str(sum->last_tool, strlen(sum->last_tool))))
			goto done;
		switch (sum->last_tool_status) {
		case AGENT_TOOL_PENDING:
		case AGENT_TOOL_RUNNING:
			running = 1;
			inflight = "\nWhen it stopped, this tool call was in flight and its result "
			           "never came back: ";
			break;
		case AGENT_TOOL_ERROR:
			inflight = "\nThe last tool call, which failed, was: ";
			break;
		default:
			inflight = "\nThe last tool call was: ";
		}
	}
	if (sum && sum->last_error[0] && st != AGENT_ST_CUTOFF && st != AGENT_ST_STUCK &&
	    !(error = agent_vis_str(sum->last_error, strlen(sum->last_error))))
		goto done;
	r = asprintf(&out,
	    "%s%s%s%s%s%s\n"
	    "Before doing anything else, check the work already done: look at the "
	    "files you changed and the commands you ran, and do not redo what is "
	    "already finished.%s Then continue with what is left of the task and "
	    "finish it.%s",
	    what_happened(st),
	    error ? "\nThe error was: " : "", error ? error : "",
	    inflight, tool ? tool : "", tool ? "." : "",
	    running ? " If that call was meant to change "
	        "something, find out whether it did before running it again." : "",
	    running && st == AGENT_ST_STUCK ? " That call may be what hung: if you "
	        "run it again, bound it (a timeout, or in the background)." : "");
	if (r < 0)
		out = NULL;
done:
	free(tool);
	free(error);
	return out;
}

int
agent_resume_lineage(const struct agent_run *run)
{
	const char *p = agent_run_parent(run);
	char *id = NULL;
	int n = 0;

	if (p && !(id = strdup(p)))
		return -1;
	/* Parents are older runs, so the chain ends; the bound is for a
	 * hand-edited record that loops. */
	while (id && n < 100000) {
		struct agent_run *r;
		n++;
		if (!agent_run_id_valid(id))
			break;
		r = agent_run_open(id);
		free(id);
		id = NULL;
		if (!r) {
			if (errno == ENOENT)
				break;
			return -1;
		}
		if ((p = agent_run_parent(r)) && !(id = strdup(p))) {
			agent_run_free(r);
			return -1;
		}
		agent_run_free(r);
	}
	free(id);
	return n;
}
