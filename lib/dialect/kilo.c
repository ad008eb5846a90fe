/* kilo.c — Kilo CLI (@kilocode/cli), a fork of opencode: `kilo run
 * --format json` lines and the transcript of `kilo run` are opencode's
 * two formats, read by opencode.c's grammar (opencode.h); what is Kilo's
 * own is here: what its JSON lines are known to carry, the lines it prints
 * on stderr, and the little that tells a Kilo log from an opencode one.
 *
 * Telling them apart: a Kilo log carries nothing an opencode log cannot
 * (the same line types, keys and "ses_" ids; the transcript's "> code ·
 * model" header names Kilo's default agent, which a user may name in
 * opencode too), so a log read without its run is read as opencode's,
 * which gives it the same reading.  Only wording that Kilo's code has and
 * opencode's lacks names Kilo: the errors a run ends with when the model
 * said nothing or --auto was missing, and the notices of a refused
 * subagent permission and of its network retry limit; and an API error
 * in its JSON format, which Kilo prints twice: first red on stderr, as the
 * transcript does, and then as the JSON error line (opencode prints the
 * JSON line alone).  Kilo's tool names are in tools.c with every
 * agent's. */
#include <string.h>
#include "json.h"
#include "opencode.h"
#include "rules.h"
#include "text.h"

/* ==== what Kilo prints on stderr ======================================== */

/* The errors of runs that end without an answer, as Kilo 7.7.7 words them
 * (opencode has neither): after "Error: " on stderr, and as the "error"
 * string of the JSON error line. */
static const char *const own_fatal[] = {
	"run ended without an assistant message; the model returned no output",
	"run ended with an auto-rejected permission; pass --auto for autonomous use",
};

/* Notices after "! ": a refused permission (the tool fails, the run goes
 * on), a subagent's, and the network retries given up. */
static const char *const notices[] = {
	"permission requested", "subagent permission requested",
	"network retry limit reached",
};

static int
own_error(const char *t)
{
	for (size_t i = 0; i < sizeof own_fatal / sizeof own_fatal[0]; i++)
		if (agent__starts(t, own_fatal[i]))
			return 1;
	return 0;
}

static const char *
notice(const char *t)
{
	const char *a = agent__after(t, "! ");

	if (a == NULL)
		return NULL;
	for (size_t i = 0; i < sizeof notices / sizeof notices[0]; i++)
		if (agent__starts(a, notices[i]))
			return a;
	return NULL;
}

enum agent__says
agent__kilo_says(const char *t, enum agent_dialect as, const char **msg, size_t *len)
{
	const char *a;

	if (as == AGENT_D_GENERIC) {
		/* only what no other agent says */
		a = agent__after(t, "Error: ");
		return a != NULL && own_error(a) ? AGENT__SAYS_FATAL : AGENT__SAYS_NOTHING;
	}
	if ((a = notice(t)) != NULL) {
		*msg = a;
		*len = agent__rtrim_len(a, strlen(a));
		return AGENT__SAYS_NOTICE;
	}
	/* the CLI's fatal error ("Error: Session not found", an API error
	 * beside its JSON line); the transcript tells it by its colour, and
	 * reads it itself */
	if (as == AGENT_D_KILO_JSON && agent__starts(t, "Error: "))
		return AGENT__SAYS_FATAL;
	return AGENT__SAYS_NOTHING;
}

/* ==== run --format json ================================================= */

/* What `run --format json` knows (format drift, json.h): the line types
 * and the values of the fields its reading depends on, as Kilo 7.7.7
 * writes them.  It prints a tool only once it has finished (completed or
 * error): a pending or running one would be new. */
static const char *const known[] = {
	"step_start", "text", "reasoning", "tool_use", "step_finish", "error",
	"tool_use.part.state.status=completed", "tool_use.part.state.status=error",
	"step_finish.part.reason=stop", "step_finish.part.reason=tool-calls",
	NULL
};

static void *
json_new(enum agent_dialect d)
{
	return agent__opencode_json_new(d, known);
}

static int
json_line(void *v, const char *line, size_t len, long lineno, agent_event_fn fn, void *arg)
{
	return agent__json_line(v, line, len, lineno, fn, arg, agent__opencode_obj,
	                        agent__kilo_says);
}

const struct agent_dialect_ops agent__kilo_json_ops = {
	.new = json_new,
	.free = agent__json_free,
	.line = json_line,
	.session_key = "sessionID",
	.session_id = agent__opencode_ses,
	/* each step_finish its step's tokens and cost */
	.usage = AGENT_USAGE_STEP,
};

/* ==== run: the transcript =============================================== */

/* Kilo prints no session id in it (but in --print-logs lines, as
 * opencode). */
static void *
text_new(enum agent_dialect d)
{
	return agent__opencode_text_new(d, agent__kilo_says);
}

const struct agent_dialect_ops agent__kilo_text_ops = {
	.new = text_new,
	.free = agent__opencode_text_free,
	.line = agent__opencode_text_line,
	.end = agent__opencode_text_end,
	.session = agent__opencode_text_session,
};

/* ==== recognising a Kilo log ============================================ */

/* Only what Kilo alone writes (see the top of the file): a JSON error
 * line in its own words or right after the red error line names kilo-json;
 * its own words on stderr, or a notice only Kilo prints, name its
 * transcript weakly (a JSON line after them settles the format).
 * Everything else of a Kilo log is opencode's cue's. */
enum agent_dialect
agent__kilo_cue(const struct agent__cue *l, int *strong)
{
	const char *a;

	*strong = 1;
	if (l->json != NULL) {
		char type[16];
		size_t i;

		if (strcmp(agent__jhead_type(l->json, type, sizeof type), "error") != 0 ||
		    !agent__jhead_has(l->json, "sessionID"))
			return AGENT_D_GENERIC;
		if (l->prevlen >= 16 && memcmp(l->prev, "\x1b[91m\x1b[1mError: ", 16) == 0)
			return AGENT_D_KILO_JSON;
		for (i = 0; i < sizeof own_fatal / sizeof own_fatal[0]; i++)
			if (agent__jhead_is(l->json, "error", own_fatal[i]))
				return AGENT_D_KILO_JSON;
		return AGENT_D_GENERIC;
	}
	*strong = 0;
	if (((a = agent__after(l->text, "Error: ")) != NULL && own_error(a)) ||
	    ((a = notice(l->text)) != NULL && !agent__starts(a, "permission requested")))
		return AGENT_D_KILO_TEXT;
	return AGENT_D_GENERIC;
}
