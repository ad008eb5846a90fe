/* resume.c — the parts of agent-resume that are not options and output:
 * drafting the follow-up prompt, counting a lineage, quoting for sh. */
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
	if (sum && sum->last_error[0] && st != AGENT_ST_CUTOFF &&
	    !(error = agent_vis_str(sum->last_error, strlen(sum->last_error))))
		goto done;
	r = asprintf(&out,
	    "%s%s%s%s%s%s\n"
	    "Before doing anything else, check the work already done: look at the "
	    "files you changed and the commands you ran, and do not redo what is "
	    "already finished.%s Then continue with what is left of the task and "
	    "finish it.",
	    what_happened(st),
	    error ? "\nThe error was: " : "", error ? error : "",
	    inflight, tool ? tool : "", tool ? "." : "",
	    running ? " If that call was meant to change "
	        "something, find out whether it did before running it again." : "");
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

static int
safe_char(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       strchr("@%+=:,./_-", c) != NULL;
}

char *
agent_shell_quote(const char *w)
{
	size_t n = strlen(w), i;
	char *vis, *out, *d;
	int plain = n > 0, terminal_safe;

	for (i = 0; i < n && plain; i++)
		plain = safe_char((unsigned char)w[i]);
	if (plain)
		return strdup(w);
	/* Newlines and tabs are safe in '...' and on a terminal; anything
	 * else that agent_vis_str would escape needs $'...'. */
	{
		char *flat = strdup(w);
		if (!flat)
			return NULL;
		for (i = 0; i < n; i++)
			if (flat[i] == '\n' || flat[i] == '\t')
				flat[i] = ' ';
		vis = agent_vis_str(flat, n);
		terminal_safe = vis && strcmp(vis, flat) == 0;
		free(flat);
		if (!vis)
			return NULL;
		free(vis);
	}
	if (terminal_safe) {
		/* '...' with each ' written as '\'' */
		if (!(out = d = malloc(4 * n + 3)))
			return NULL;
		*d++ = '\'';
		for (i = 0; i < n; i++) {
			if (w[i] == '\'') {
				memcpy(d, "'\\''", 4);
				d += 4;
			} else
				*d++ = w[i];
		}
		*d++ = '\'';
		*d = '\0';
		return out;
	}
	/* $'...': everything a terminal could act on as an escape. */
	if (!(out = d = malloc(4 * n + 4)))
		return NULL;
	*d++ = '$';
	*d++ = '\'';
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)w[i];
		if (c == '\\' || c == '\'') {
			*d++ = '\\';
			*d++ = (char)c;
		} else if (c == '\n') {
			memcpy(d, "\\n", 2);
			d += 2;
		} else if (c == '\t') {
			memcpy(d, "\\t", 2);
			d += 2;
		} else if (c < 0x20 || c >= 0x7f) {
			d += sprintf(d, "\\x%02x", c);
		} else
			*d++ = (char)c;
	}
	*d++ = '\'';
	*d = '\0';
	return out;
}

char *
agent_shell_join(char *const *argv)
{
	char *out = NULL;
	size_t len = 0;

	for (size_t i = 0; argv[i]; i++) {
		char *q = agent_shell_quote(argv[i]), *nout;
		size_t ql;
		if (!q)
			goto fail;
		/* "A=b" first on a line would be an assignment, not a command. */
		if (i == 0 && q[0] != '\'' && q[0] != '$' && strchr(q, '=')) {
			char *qq = malloc(strlen(q) + 3);
			if (!qq) {
				free(q);
				goto fail;
			}
			sprintf(qq, "'%s'", q);
			free(q);
			q = qq;
		}
		ql = strlen(q);
		if (!(nout = realloc(out, len + ql + 2))) {
			free(q);
			goto fail;
		}
		out = nout;
		if (len)
			out[len++] = ' ';
		memcpy(out + len, q, ql + 1);
		len += ql;
		free(q);
	}
	if (!out)
		out = strdup("");
	return out;
fail:
	free(out);
	return NULL;
}
