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

static int
safe_char(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       strchr("@%+=:,./_-", c) != NULL;
}

/* The length of the character at s (UTF-8; a byte that starts no valid
 * sequence is one character on its own). */
static size_t
char_len(const unsigned char *s, size_t n)
{
	size_t len, i;

	if (s[0] < 0x80)
		return 1;
	len = s[0] >= 0xf0 && s[0] <= 0xf4 ? 4 : s[0] >= 0xe0 ? 3 : s[0] >= 0xc2 ? 2 : 1;
	if (len > n)
		return 1;
	for (i = 1; i < len; i++)
		if ((s[i] & 0xc0) != 0x80)
			return 1;
	return len;
}

/* 1 when the character shows as itself: agent_vis_str leaves it alone,
 * or it is a newline, a tab or a backslash.  -1 on ENOMEM. */
static int
shows_as_itself(const char *c, size_t len)
{
	char *v;
	int same;

	if (len == 1 && (*c == '\n' || *c == '\t' || *c == '\\'))
		return 1;
	if (!(v = agent_vis_str(c, len)))
		return -1;
	same = strlen(v) == len && memcmp(v, c, len) == 0;
	free(v);
	return same;
}

char *
agent_shell_quote(const char *w)
{
	size_t n = strlen(w), i, k;
	int plain = n > 0, open = 0, same;
	char *out, *d;

	for (i = 0; i < n && plain; i++)
		plain = safe_char((unsigned char)w[i]);
	if (plain)
		return strdup(w);
	/* Runs of characters that show as themselves go in '...' (a ' as
	 * \'); any other character, which a terminal could act on, is made
	 * by printf from octal escapes: "$(printf '\033')".  Every POSIX
	 * shell reads that, dash included, and the line shows no raw
	 * control.  The worst case is 25 bytes a byte. */
	if (!(out = d = malloc(25 * n + 3)))
		return NULL;
	if (n == 0) {
		strcpy(out, "''");
		return out;
	}
	for (i = 0; i < n; i += k) {
		k = char_len((const unsigned char *)w + i, n - i);
		if ((same = shows_as_itself(w + i, k)) < 0) {
			free(out);
			return NULL;
		}
		if (same && w[i] != '\'') {
			if (!open)
				*d++ = '\'';
			open = 1;
			memcpy(d, w + i, k);
			d += k;
			continue;
		}
		if (open)
			*d++ = '\'';
		open = 0;
		if (same) {
			memcpy(d, "\\'", 2);
			d += 2;
			continue;
		}
		d += sprintf(d, "\"$(printf '");
		for (size_t j = 0; j < k; j++)
			d += sprintf(d, "\\%03o", (unsigned char)w[i + j]);
		d += sprintf(d, "')\"");
	}
	if (open)
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
		if (i == 0 && safe_char((unsigned char)q[0]) && strchr(q, '=')) {
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
