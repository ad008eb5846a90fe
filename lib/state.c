/* state.c — the state classifier: a pure function from what the log said
 * and how the process ended to one of seven words.  No I/O. */
#include <stdio.h>
#include <string.h>
#include "agent.h"

static const char *const names[AGENT_ST__MAX] = {
	"starting", "running", "stuck", "completed", "cut-off", "failed", "limited",
};

const char *
agent_state_name(enum agent_state s)
{
	return (unsigned)s < AGENT_ST__MAX ? names[s] : "unknown";
}

int
agent_state_lookup(const char *name)
{
	for (int i = 0; i < AGENT_ST__MAX; i++)
		if (strcmp(name, names[i]) == 0)
			return i;
	return -1;
}

int
agent_state_exit(enum agent_state s)
{
	switch (s) {
	case AGENT_ST_COMPLETED: return AGENT_EXIT_OK;
	case AGENT_ST_FAILED: return AGENT_EXIT_FAILED;
	case AGENT_ST_CUTOFF: return AGENT_EXIT_CUTOFF;
	case AGENT_ST_LIMITED: return AGENT_EXIT_LIMITED;
	case AGENT_ST_STUCK: return AGENT_EXIT_STUCK;
	case AGENT_ST_RUNNING: return AGENT_EXIT_RUNNING;
	case AGENT_ST_STARTING: return AGENT_EXIT_STARTING;
	default: return AGENT_EXIT_SOFTWARE;
	}
}

int
agent_state_final(enum agent_state s)
{
	return s == AGENT_ST_COMPLETED || s == AGENT_ST_CUTOFF ||
	    s == AGENT_ST_FAILED || s == AGENT_ST_LIMITED;
}

void
agent_summary_init(struct agent_summary *s)
{
	memset(s, 0, sizeof *s);
	s->http_status = -1;
	s->tokens_in = s->tokens_out = -1;
	s->cost = -1;
	s->last_ts = -1;
	s->terminal_ts = -1;
	s->resets_at = -1;
	s->resets_in = -1;
}

static void
copy(char *dst, size_t len, const char *src)
{
	if (src != NULL)
		snprintf(dst, len, "%s", src);
}

static void
add_num(long long *acc, long long v)
{
	if (v >= 0)
		*acc = (*acc < 0 ? 0 : *acc) + v;
}

/* Each ','-separated name of an event's .unknown, once. */
static void
add_unknown(struct agent_summary *s, const char *names)
{
	const char *p = names, *end;
	size_t n;
	int i;

	for (; *p != '\0'; p = *end ? end + 1 : end) {
		end = strchr(p, ',');
		if (end == NULL)
			end = p + strlen(p);
		if ((n = (size_t)(end - p)) == 0)
			continue;
		if (n >= AGENT_UNKNOWN_NAME)
			n = AGENT_UNKNOWN_NAME - 1;
		for (i = 0; i < s->nunknown; i++)
			if (strncmp(s->unknown[i], p, n) == 0 && s->unknown[i][n] == '\0')
				break;
		if (i < s->nunknown)
			continue;
		if (s->nunknown == AGENT_SUMMARY_UNKNOWN) {
			s->unknown_more = 1;
			continue;
		}
		memcpy(s->unknown[s->nunknown], p, n);
		s->unknown[s->nunknown++][n] = '\0';
	}
}

void
agent_summary_add(struct agent_summary *s, const struct agent_event *e)
{
	if (e->unknown != NULL)
		add_unknown(s, e->unknown);
	/* a line of a type nobody knows says nothing about where the run
	 * stands: noted, not weighed */
	if (e->kind == AGENT_EV_UNKNOWN)
		return;
	s->events++;
	s->last = e->kind;
	if (e->session && s->session[0] == '\0')
		copy(s->session, sizeof s->session, e->session);
	if (e->model && e->kind != AGENT_EV_ERROR)
		copy(s->model, sizeof s->model, e->model);
	if (e->ts >= 0)
		s->last_ts = e->ts;
	if (e->http_status >= 0)
		s->http_status = e->http_status;

	switch (e->kind) {
	case AGENT_EV_TOOL:
		/* new work after a final event: the log goes on (a resume
		 * appended to the same file), the old verdict no longer holds */
		s->terminal = AGENT_EV_NONE;
		if (e->status == AGENT_TOOL_RUNNING || e->status == AGENT_TOOL_PENDING) {
			s->open_tools++;
		} else {
			if (s->open_tools > 0)
				s->open_tools--;
			if (e->status == AGENT_TOOL_ERROR)
				s->tool_errors++;
			else
				s->pending_error = 0;
		}
		if (e->tool || e->title || e->path) {
			snprintf(s->last_tool, sizeof s->last_tool, "%s%s%s",
			    e->tool ? e->tool : agent_tool_kind_name(e->tkind),
			    e->title || e->path ? " " : "",
			    e->title ? e->title : e->path ? e->path : "");
			/* one line: a command may span several */
			s->last_tool[strcspn(s->last_tool, "\r\n")] = '\0';
		}
		s->last_tool_status = e->status;
		break;
	case AGENT_EV_STEP:
		s->terminal = AGENT_EV_NONE;
		add_num(&s->tokens_in, e->tokens_in);
		add_num(&s->tokens_out, e->tokens_out);
		if (e->cost >= 0) {
			s->cost = (s->cost < 0 ? 0 : s->cost) + e->cost;
			s->step_costs = 1;
		}
		if (e->tokens_in >= 0 || e->tokens_out >= 0)
			s->step_tokens = 1;
		break;
	case AGENT_EV_SESSION:
		s->terminal = AGENT_EV_NONE;
		break;
	case AGENT_EV_TEXT:
		s->pending_error = 0;
		break;
	case AGENT_EV_LIMIT:
		/* the newest limit that says when it resets is the one */
		if (e->resets_at >= 0) {
			s->resets_at = e->resets_at;
			s->resets_in = -1;
		} else if (e->resets_in >= 0 && e->ts >= 0) {
			s->resets_at = e->ts + e->resets_in;
			s->resets_in = -1;
		} else if (e->resets_in >= 0) {
			s->resets_in = e->resets_in;
			s->resets_at = -1;
		}
		/* FALLTHROUGH */
	case AGENT_EV_ERROR:
		/* a limit is an error that says why: one that did not end the
		 * run is a notice like any other, pending until work goes on */
		copy(s->last_error, sizeof s->last_error, e->text ? e->text : e->title);
		if (!e->final) {
			s->errors++;
			s->pending_error = 1;
			break;
		}
		s->terminal = e->kind;
		s->terminal_ts = e->ts;
		break;
	case AGENT_EV_DONE:
	case AGENT_EV_INTERRUPT:
		s->terminal = e->kind;
		s->terminal_ts = e->ts;
		s->pending_error = 0;
		/* per-step agents (opencode) report the last step here: add it;
		 * per-run agents (claude, codex) report the total: take it */
		if (s->step_tokens) {
			add_num(&s->tokens_in, e->tokens_in);
			add_num(&s->tokens_out, e->tokens_out);
		} else {
			if (e->tokens_in >= 0)
				s->tokens_in = e->tokens_in;
			if (e->tokens_out >= 0)
				s->tokens_out = e->tokens_out;
		}
		if (e->cost >= 0)
			s->cost = s->step_costs ? (s->cost < 0 ? 0 : s->cost) + e->cost : e->cost;
		break;
	default:
		break;
	}
}

/* 128+N where N is a signal that stops a process from outside: the shell's
 * way to say "killed".  145 (Gemini's HTTP 401 mod 256) is not one. */
static int
signal_status(int st)
{
	switch (st - 128) {
	case 1: case 2: case 3: case 6: case 9: case 13: case 14: case 15:
		return 1;
	}
	return 0;
}

static enum agent_state
from_terminal(enum agent_ev_kind t)
{
	switch (t) {
	case AGENT_EV_DONE: return AGENT_ST_COMPLETED;
	case AGENT_EV_ERROR: return AGENT_ST_FAILED;
	case AGENT_EV_LIMIT: return AGENT_ST_LIMITED;
	case AGENT_EV_INTERRUPT: return AGENT_ST_CUTOFF;
	default: return AGENT_ST__MAX;
	}
}

/* agent-kill marked the run (it may still be stopping it), and the
 * agent's completion came at or after that moment. */
static int
killed_then_done(const struct agent_facts *f)
{
	const struct agent_summary *s = f->sum;

	return f->killed_at > 0 && s != NULL &&
	    s->terminal == AGENT_EV_DONE && s->terminal_ts >= f->killed_at;
}

enum agent_state
agent_state_classify(const struct agent_facts *f)
{
	static const struct agent_summary none = { .http_status = -1 };
	const struct agent_summary *s = f->sum ? f->sum : &none;
	double stuck_after = f->stuck_after > 0 ? f->stuck_after : AGENT_STUCK_AFTER;
	enum agent_state t;

	/* A completion written after agent-kill marked the run is not the
	 * end of the task: Factory Droid, its tool stopped by the TERM, goes
	 * on to its completion.  (A line with no time says nothing here.) */
	if (killed_then_done(f))
		return AGENT_ST_CUTOFF;
	/* What the agent itself said last outweighs how the process ended: a
	 * completion can come after the launcher was killed, an error result
	 * comes with exit 0 or with 145. */
	if ((t = from_terminal(s->terminal)) != AGENT_ST__MAX)
		return t;

	if (f->live == AGENT_LIVE_ALIVE) {
		if (f->idle >= stuck_after && f->cpu_progress != 1)
			return AGENT_ST_STUCK;
		if (f->size <= 0)
			return AGENT_ST_STARTING;
		return AGENT_ST_RUNNING;
	}

	/* Ended (or nobody can tell, and the end of the input is the end). */
	if (f->killed)
		return AGENT_ST_CUTOFF;
	/* Output, but all of it what the agent prints around an answer, in a
	 * format whose only content is the answer, and exit 0 or none: the
	 * answer never came (Gemini exits 0 when stopped, and -p prints only
	 * its warnings before the answer). */
	if (f->needs_answer && !f->has_done && s->events == 0 && f->size > 0 &&
	    (!f->exit_known || (f->exit_status == 0 && !f->signaled)))
		return AGENT_ST_CUTOFF;
	if (!f->exit_known) {
		/* no exit status: only the content speaks, and a run that
		 * said nothing at all did not finish (Claude's -p text and
		 * json modes, opencode's json mode print nothing when cut) */
		if (f->size == 0)
			return AGENT_ST_CUTOFF;
		if (f->has_done)
			return s->pending_error ? AGENT_ST_FAILED : AGENT_ST_CUTOFF;
		return s->pending_error ? AGENT_ST_FAILED : AGENT_ST_COMPLETED;
	}
	if (f->signaled || signal_status(f->exit_status))
		return AGENT_ST_CUTOFF;
	if (f->exit_status != 0)
		return AGENT_ST_FAILED;
	/* exit 0 without the completion signal: stopped mid-work (Gemini's
	 * worker on SIGTERM), unless an error was the last word */
	if (s->pending_error)
		return AGENT_ST_FAILED;
	return f->has_done ? AGENT_ST_CUTOFF : AGENT_ST_COMPLETED;
}

void
agent_state_reason(const struct agent_facts *f, enum agent_state st,
    char *buf, size_t len)
{
	const struct agent_summary *s = f->sum;
	double stuck_after = f->stuck_after > 0 ? f->stuck_after : AGENT_STUCK_AFTER;
	char ex[128] = "";
	int n = 0;

	if (f->exit_known) {
		if (f->signaled || signal_status(f->exit_status))
			n = snprintf(ex, sizeof ex, "exit %d (signal %d)", f->exit_status,
			    f->exit_status > 128 ? f->exit_status - 128 : 0);
		else
			n = snprintf(ex, sizeof ex, "exit %d", f->exit_status);
		/* the exit status is the launcher's; what it left behind went
		 * on writing the log, and may have had the last word */
		if (f->outlived >= 1 && n > 0 && (size_t)n < sizeof ex)
			snprintf(ex + n, sizeof ex - (size_t)n,
			    ", and its children went on %.0fs after it", f->outlived);
	}
	if (s && from_terminal(s->terminal) == st) {
		switch (s->terminal) {
		case AGENT_EV_DONE:
			snprintf(buf, len, "the agent's completion signal%s%s",
			    *ex ? "; " : "", ex);
			return;
		case AGENT_EV_INTERRUPT:
			snprintf(buf, len, "the agent reported an interruption%s%s",
			    *ex ? "; " : "", ex);
			return;
		default:
			snprintf(buf, len, "%s: %s", s->terminal == AGENT_EV_LIMIT ?
			    "limit" : "error", s->last_error[0] ? s->last_error : "(no message)");
			return;
		}
	}
	switch (st) {
	case AGENT_ST_STARTING:
		snprintf(buf, len, "alive, no output yet");
		break;
	case AGENT_ST_RUNNING:
		snprintf(buf, len, "alive, %s within %.0fs",
		    f->idle < stuck_after ? "output" : "CPU use", stuck_after);
		break;
	case AGENT_ST_STUCK:
		snprintf(buf, len, "alive, no output for %.0fs and no CPU progress", f->idle);
		break;
	case AGENT_ST_CUTOFF:
		snprintf(buf, len, "%s; %s", killed_then_done(f) ?
		    "stopped by agent-kill, the agent's completion came after it" :
		    f->killed ? "stopped by agent-kill" :
		    !f->exit_known && f->size == 0 ? "no output at all" :
		    f->needs_answer && (!s || s->events == 0) ? "no answer, only warnings" :
		    "no completion signal", *ex ? ex : "exit status unknown");
		break;
	case AGENT_ST_FAILED:
		if (s && s->pending_error && s->last_error[0])
			snprintf(buf, len, "error: %s%s%s", s->last_error, *ex ? "; " : "", ex);
		else if (f->size == 0)
			snprintf(buf, len, "no output at all; %s", *ex ? ex : "ended with an error");
		else
			snprintf(buf, len, "%s", *ex ? ex : "ended with an error");
		break;
	case AGENT_ST_COMPLETED:
		snprintf(buf, len, "the format has no completion signal; %s",
		    *ex ? ex : "exit status unknown");
		break;
	default:
		snprintf(buf, len, "%s", ex);
	}
}
