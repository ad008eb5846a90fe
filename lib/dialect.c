/* dialect.c — the dialect table, telling which agent wrote a log from its
 * head, and the parser handle that dispatches lines to a dialect's ops.
 * What each agent prints is known in its own file in lib/dialect/. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "buf.h"
#include "dialect/json.h"
#include "dialect/parsers.h"
#include "dialect/rules.h"
#include "dialect/text.h"

/* Lines of the head detection looks at (and at most AGENT_DIALECT_HEAD
 * bytes). */
#define HEAD_LINES 200

static const struct row {
	struct agent_dialect_info info;
	const struct agent_dialect_ops *ops;
} rows[AGENT_D__MAX] = {
	/*                 id                     name             agent       done sess answer */
	[AGENT_D_GENERIC]       = { { AGENT_D_GENERIC,       "generic",       "generic",  0, 1, 0 }, &agent__generic_ops },
	[AGENT_D_OPENCODE_TEXT] = { { AGENT_D_OPENCODE_TEXT, "opencode-text", "opencode", 0, 0, 0 }, &agent__opencode_text_ops },
	[AGENT_D_OPENCODE_JSON] = { { AGENT_D_OPENCODE_JSON, "opencode-json", "opencode", 1, 1, 0 }, &agent__opencode_json_ops },
	[AGENT_D_OMO]           = { { AGENT_D_OMO,           "omo",           "omo",      1, 1, 0 }, &agent__omo_ops },
	[AGENT_D_CLAUDE_STREAM] = { { AGENT_D_CLAUDE_STREAM, "claude-stream", "claude",   1, 1, 0 }, &agent__claude_json_ops },
	[AGENT_D_CLAUDE_JSON]   = { { AGENT_D_CLAUDE_JSON,   "claude-json",   "claude",   1, 1, 0 }, &agent__claude_json_ops },
	[AGENT_D_CLAUDE_TEXT]   = { { AGENT_D_CLAUDE_TEXT,   "claude-text",   "claude",   0, 0, 0 }, &agent__claude_text_ops },
	[AGENT_D_CODEX_JSON]    = { { AGENT_D_CODEX_JSON,    "codex-json",    "codex",    1, 1, 0 }, &agent__codex_json_ops },
	[AGENT_D_CODEX_TEXT]    = { { AGENT_D_CODEX_TEXT,    "codex-text",    "codex",    1, 1, 0 }, &agent__codex_text_ops },
	[AGENT_D_GEMINI_STREAM] = { { AGENT_D_GEMINI_STREAM, "gemini-stream", "gemini",   1, 1, 0 }, &agent__gemini_stream_ops },
	[AGENT_D_GEMINI_JSON]   = { { AGENT_D_GEMINI_JSON,   "gemini-json",   "gemini",   1, 1, 0 }, &agent__gemini_json_ops },
	[AGENT_D_GEMINI_TEXT]   = { { AGENT_D_GEMINI_TEXT,   "gemini-text",   "gemini",   0, 0, 1 }, &agent__gemini_text_ops },
	[AGENT_D_PI_JSON]       = { { AGENT_D_PI_JSON,       "pi-json",       "pi",       1, 1, 0 }, &agent__pi_json_ops },
	[AGENT_D_PI_TEXT]       = { { AGENT_D_PI_TEXT,       "pi-text",       "pi",       0, 0, 0 }, &agent__pi_text_ops },
	[AGENT_D_CLINE_JSON]    = { { AGENT_D_CLINE_JSON,    "cline-json",    "cline",    1, 0, 0 }, &agent__cline_json_ops },
	[AGENT_D_CLINE_TEXT]    = { { AGENT_D_CLINE_TEXT,    "cline-text",    "cline",    0, 0, 0 }, &agent__cline_text_ops },
	[AGENT_D_COPILOT_JSON]  = { { AGENT_D_COPILOT_JSON,  "copilot-json",  "copilot",  1, 1, 0 }, &agent__copilot_json_ops },
	[AGENT_D_COPILOT_TEXT]  = { { AGENT_D_COPILOT_TEXT,  "copilot-text",  "copilot",  1, 1, 0 }, &agent__copilot_text_ops },
	[AGENT_D_QWEN_STREAM]   = { { AGENT_D_QWEN_STREAM,   "qwen-stream",   "qwen",     1, 1, 0 }, &agent__qwen_json_ops },
	[AGENT_D_QWEN_JSON]     = { { AGENT_D_QWEN_JSON,     "qwen-json",     "qwen",     1, 1, 0 }, &agent__qwen_json_ops },
	[AGENT_D_QWEN_TEXT]     = { { AGENT_D_QWEN_TEXT,     "qwen-text",     "qwen",     0, 0, 1 }, &agent__qwen_text_ops },
	[AGENT_D_DROID_STREAM]  = { { AGENT_D_DROID_STREAM,  "droid-stream",  "droid",    1, 1, 0 }, &agent__droid_json_ops },
	[AGENT_D_DROID_JSON]    = { { AGENT_D_DROID_JSON,    "droid-json",    "droid",    1, 1, 0 }, &agent__droid_json_ops },
	[AGENT_D_DROID_TEXT]    = { { AGENT_D_DROID_TEXT,    "droid-text",    "droid",    0, 0, 0 }, &agent__droid_text_ops },
	[AGENT_D_KILO_JSON]     = { { AGENT_D_KILO_JSON,     "kilo-json",     "kilo",     1, 1, 0 }, &agent__kilo_json_ops },
	[AGENT_D_KILO_TEXT]     = { { AGENT_D_KILO_TEXT,     "kilo-text",     "kilo",     0, 0, 0 }, &agent__kilo_text_ops },
};

/* Every agent's detection cues, asked in this order: oh-my-opencode and
 * Kilo before the opencode they run on or forked, Qwen Code before the
 * Claude Code whose JSON shape it has, Copilot before Gemini (whose cue
 * takes any "result" line with a timestamp), Droid before Claude Code and
 * Gemini CLI (its system/init, message and tool_result lines have their
 * types). */
static const agent__cue_fn cues[] = {
	agent__omo_cue, agent__kilo_cue, agent__opencode_cue, agent__codex_cue,
	agent__copilot_cue, agent__qwen_cue, agent__droid_cue, agent__claude_cue,
	agent__gemini_cue, agent__pi_cue, agent__cline_cue,
};

/* An agent preset's name gives the dialect its preset runs it in. */
static const struct {
	const char *agent;
	enum agent_dialect d;
} defaults[] = {
	{ "opencode", AGENT_D_OPENCODE_JSON },
	{ "omo", AGENT_D_OMO },
	{ "oh-my-opencode", AGENT_D_OMO },
	{ "claude", AGENT_D_CLAUDE_STREAM },
	{ "codex", AGENT_D_CODEX_JSON },
	{ "gemini", AGENT_D_GEMINI_STREAM },
	{ "pi", AGENT_D_PI_JSON },
	{ "cline", AGENT_D_CLINE_JSON },
	{ "copilot", AGENT_D_COPILOT_JSON },
	{ "qwen", AGENT_D_QWEN_STREAM },
	{ "droid", AGENT_D_DROID_STREAM },
	{ "kilo", AGENT_D_KILO_JSON },
};

const struct agent_dialect_info *
agent_dialect_info(enum agent_dialect d)
{
	if ((unsigned)d >= AGENT_D__MAX)
		return NULL;
	return &rows[d].info;
}

enum agent_usage_kind
agent_dialect_usage(enum agent_dialect d)
{
	if ((unsigned)d >= AGENT_D__MAX || rows[d].ops == NULL)
		return AGENT_USAGE_NONE;
	return rows[d].ops->usage;
}

int
agent_dialect_lookup(const char *name)
{
	if (!name)
		return -1;
	for (int i = 0; i < AGENT_D__MAX; i++)
		if (strcmp(name, rows[i].info.name) == 0)
			return i;
	for (size_t i = 0; i < sizeof defaults / sizeof defaults[0]; i++)
		if (strcmp(name, defaults[i].agent) == 0)
			return (int)defaults[i].d;
	return -1;
}

/* ---- detection ---------------------------------------------------------- */

static int
is_blank(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] != ' ' && s[i] != '\t')
			return 0;
	return 1;
}

/* What the cues of every agent make of one line: GENERIC when none names
 * a dialect. */
static enum agent_dialect
ask_cues(const struct agent__cue *l, int *strong)
{
	enum agent_dialect d;

	for (size_t i = 0; i < sizeof cues / sizeof cues[0]; i++) {
		*strong = 0;
		if ((d = cues[i](l, strong)) != AGENT_D_GENERIC)
			return d;
	}
	return AGENT_D_GENERIC;
}

enum agent_dialect
agent__detect_text_line(const char *line, size_t len, int *strong)
{
	struct agent__cue l = { .raw = line, .rawlen = len, .prev = "", .first_json = 1 };
	char *text = malloc(len + 1);
	enum agent_dialect d = AGENT_D_GENERIC;
	size_t dim;

	*strong = 0;
	if (text == NULL)
		return d;
	l.len = agent__strip_escapes(text, line, len, &dim);
	l.text = text;
	d = ask_cues(&l, strong);
	free(text);
	return d;
}

enum agent_dialect
agent_dialect_detect(const char *head, size_t len)
{
	enum agent_dialect weak = AGENT_D_GENERIC, d = AGENT_D_GENERIC;
	struct agent__cue l = { .prev = "", .first_json = 1 };
	struct agent__jdoc doc = { 0 };
	struct agent__buf text = { 0 };
	struct agent__jhead jh;
	size_t dim;
	int strong;

	if (!head)
		return AGENT_D_GENERIC;
	if (len > AGENT_DIALECT_HEAD)
		len = AGENT_DIALECT_HEAD;
	for (size_t i = 0, lines = 0; i < len && lines < HEAD_LINES; lines++) {
		const char *s = head + i, *nl = memchr(s, '\n', len - i);
		size_t n = nl ? (size_t)(nl - s) : len - i, k = 0;

		i += n + (nl != NULL);
		if (n > 0 && s[n - 1] == '\r')
			n--;
		if (is_blank(s, n))
			continue;
		while (k < n && (s[k] == ' ' || s[k] == '\t'))
			k++;
		l.raw = s;
		l.rawlen = n;
		l.json = NULL;
		if (n - k == 1 && s[k] == '{') {
			;       /* a pretty-printed object starts */
		} else if (s[k] == '{') {
			/* JSON names its dialect at once, or not at all; a line
			 * the head's end cut is read by its text */
			jh.obj = agent__jdoc_parse(&doc, s + k, n - k, NULL);
			jh.s = s + k;
			jh.n = n - k;
			if (jh.obj != NULL || errno == EAGAIN) {
				l.json = &jh;
				if ((d = ask_cues(&l, &strong)) != AGENT_D_GENERIC)
					break;
			}
			l.first_json = 0;
		} else {
			if (agent__buf_reserve(&text, n + 1) < 0)
				break;
			l.len = agent__strip_escapes(text.p, s, n, &dim);
			l.text = text.p;
			if ((d = ask_cues(&l, &strong)) != AGENT_D_GENERIC && strong)
				break;
			if (weak == AGENT_D_GENERIC)
				weak = d;
			d = AGENT_D_GENERIC;
		}
		l.prev = s + k;
		l.prevlen = n - k;
	}
	agent__jdoc_free(&doc);
	agent__buf_free(&text);
	return d != AGENT_D_GENERIC ? d : weak;
}

/* ---- parsers ---------------------------------------------------------- */

struct agent_parser {
	enum agent_dialect d;
	const struct agent_dialect_ops *ops;
	void *st;
	double clock;            /* agent_parser_clock, -1 unknown */
	agent_event_fn fn;       /* the caller's, behind limit_fn */
	void *arg;
};

/* A LIMIT whose parser did not know when it resets is read once more in
 * its agent's wording of a clock time ("resets 12:44pm (UTC)", "try again
 * at 12:44 PM"), said at the line's own time or else when the log was
 * last written.  (A delay, "try again in 20s", is the event's .resets_in,
 * which the reader counts from the same times.) */
static int
limit_fn(const struct agent_event *e, void *arg)
{
	struct agent_parser *p = arg;
	struct agent_event c;
	double ref, at;

	if (e->kind != AGENT_EV_LIMIT || e->resets_at >= 0 || e->text == NULL ||
	    p->ops->resets == NULL)
		return p->fn(e, p->arg);
	ref = e->ts >= 0 ? e->ts : p->clock;
	if (ref < 0 || (at = p->ops->resets(e->text, ref)) < 0)
		return p->fn(e, p->arg);
	c = *e;
	c.resets_at = at;
	return p->fn(&c, p->arg);
}

struct agent_parser *
agent_parser_new(enum agent_dialect d)
{
	struct agent_parser *p;
	int e;

	if ((unsigned)d >= AGENT_D__MAX) {
		errno = EINVAL;
		return NULL;
	}
	if ((p = malloc(sizeof *p)) == NULL)
		return NULL;
	p->d = d;
	p->ops = rows[d].ops;
	p->clock = -1;
	p->fn = NULL;
	p->arg = NULL;
	errno = ENOMEM;
	if ((p->st = p->ops->new(d)) == NULL) {
		e = errno;
		free(p);
		errno = e;
		return NULL;
	}
	return p;
}

void
agent_parser_free(struct agent_parser *p)
{
	if (!p)
		return;
	p->ops->free(p->st);
	free(p);
}

enum agent_dialect
agent_parser_dialect(const struct agent_parser *p)
{
	return p ? p->d : AGENT_D_GENERIC;
}

int
agent_parser_line(struct agent_parser *p, const char *line, size_t len, long lineno,
                  agent_event_fn fn, void *arg)
{
	if (!p || !fn)
		return 0;
	if (!line) {
		line = "";
		len = 0;
	}
	p->fn = fn;
	p->arg = arg;
	return p->ops->line(p->st, line, len, lineno, limit_fn, p);
}

void
agent_parser_clock(struct agent_parser *p, double when)
{
	if (p)
		p->clock = when;
}

void
agent_parser_mid(struct agent_parser *p)
{
	if (p && p->ops->mid)
		p->ops->mid(p->st);
}

int
agent_parser_end(struct agent_parser *p, agent_event_fn fn, void *arg)
{
	if (!p || !fn || !p->ops->end)
		return 0;
	p->fn = fn;
	p->arg = arg;
	return p->ops->end(p->st, limit_fn, p);
}

/* The session id in a line as the format's ops find it. */
static size_t
session_of(const struct agent_dialect_ops *ops, const char *line, size_t len,
           char *buf, size_t buflen)
{
	if (ops->session != NULL)
		return ops->session(line, len, buf, buflen);
	if (ops->session_key == NULL)
		return 0;       /* a format that names no session */
	return agent__session_key(line, len, ops->session_key, ops->session_id, buf, buflen);
}

size_t
agent_session_in_line(enum agent_dialect d, const char *line, size_t len, char *buf, size_t buflen)
{
	if ((unsigned)d >= AGENT_D__MAX || !line || !buf || buflen == 0)
		return 0;
	if (d != AGENT_D_GENERIC)
		return session_of(rows[d].ops, line, len, buf, buflen);
	/* Not knowing the dialect, any agent's marker will do. */
	for (int i = 0; i < AGENT_D__MAX; i++) {
		int seen = 0;
		for (int j = 0; j < i; j++)
			seen |= rows[j].ops == rows[i].ops;
		size_t n;
		if (!seen && (n = session_of(rows[i].ops, line, len, buf, buflen)) > 0)
			return n;
	}
	return 0;
}
