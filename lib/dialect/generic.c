/* generic.c — a log no agent's cue names: every line is text, except the
 * fatal lines and session markers that only one agent prints, which are
 * read as that agent's (never a guess from arbitrary text).  claude -p's
 * bare answer, which nothing names, is read here. */
#include <string.h>
#include "text.h"

#define UUID "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"

enum { RX_JSON_SESSION };
static struct agent__rx rx_tab[] = {
	[RX_JSON_SESSION] = { "\"session_?[iI][dD]\"\\s*:\\s*\"(" UUID ")\"", 0, NULL },
};
static struct agent__rxset rxs = AGENT__RXSET(rx_tab);

/* Every agent's wording, asked as of a log of unknown origin. */
static const agent__says_fn says[] = {
	agent__claude_says, agent__gemini_says, agent__opencode_says,
	agent__omo_says, agent__codex_says, agent__pi_says,
	agent__droid_says, agent__kilo_says,
};

static void *
generic_new(enum agent_dialect d)
{
	return agent__text_new(sizeof(struct agent__text), d, &rxs);
}

static size_t
generic_session(const char *line, size_t len, char *buf, size_t buflen)
{
	size_t n;

	if ((n = agent__omo_session(line, len, buf, buflen)) > 0)
		return n;
	if ((n = agent__codex_text_session(line, len, buf, buflen)) > 0)
		return n;
	if (memchr(line, '"', len))
		return agent__text_session_rx(&rxs, RX_JSON_SESSION, line, len, buf, buflen);
	return 0;
}

static int
generic_line(void *st, const char *raw, size_t n, long lineno, agent_event_fn fn, void *arg)
{
	struct agent__text *c = st;
	const char *t;
	char id[128];
	size_t k;
	int r, hit;

	if ((t = agent__text_start(c, raw, n, lineno)) == NULL)
		return 0;
	for (size_t i = 0; i < sizeof says / sizeof says[0]; i++)
		if ((r = agent__text_stderr(c, t, says[i], &hit, fn, arg)) != 0 || hit)
			return r;
	if (memmem(raw, n, "ession", 6) && (k = generic_session(raw, n, id, sizeof id)) > 0 &&
	    (r = agent__text_session(c, agent__text_piece(c, id, k), fn, arg)) != 0)
		return r;
	return agent__text_say(c, t, fn, arg);
}

const struct agent_dialect_ops agent__generic_ops = {
	.new = generic_new,
	.free = agent__text_free,
	.line = generic_line,
	.session = generic_session,
};
