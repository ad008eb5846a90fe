/* opencode.c — opencode: `opencode run --format json` lines (step, text,
 * tool_use, error events), the coloured transcript of `opencode run`, the
 * lines it prints on stderr, and how its logs are recognised.  The
 * transcript's tool lines ("→ Read a.c") are read here for oh-my-opencode
 * too, which draws them the same way, and both formats for Kilo, opencode's
 * fork, which prints them as opencode does (opencode.h). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "json.h"
#include "opencode.h"
#include "rules.h"

enum {
	RX_MODEL,        /* "> build · fake-model" */
	RX_LOGFMT,       /* --print-logs lines */
	RX_LOGFMT_SES,
};
static struct agent__rx rx_tab[] = {
	[RX_MODEL] = { "^> (.+?) · (\\S.*?)\\s*$", 0, NULL },
	[RX_LOGFMT] = { "^(?:timestamp=\\S+ level=|(?:INFO|DEBUG|WARN|ERROR)\\s+\\d{4}-\\d\\d-\\d\\dT)", 0, NULL },
	[RX_LOGFMT_SES] = { "=(ses_[0-9a-f]{12}[0-9A-Za-z]{14})\\b", 0, NULL },
};
static struct agent__rxset rxs = AGENT__RXSET(rx_tab);

/* ==== run --format json ================================================= */

struct opencode {
	struct agent__json j;
};

int
agent__opencode_ses(const char *s, size_t len)
{
	size_t i;

	if (len != 30 || memcmp(s, "ses_", 4) != 0)
		return 0;
	for (i = 4; i < 30; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'z') ||
		      (s[i] >= 'A' && s[i] <= 'Z')))
			return 0;
	return 1;
}

/* What `run --format json` knows (format drift, json.h): the line types
 * and the values of the fields its reading depends on, as opencode
 * 1.18.33 writes them. */
static const char *const known[] = {
	"step_start", "text", "reasoning", "tool_use", "step_finish", "error",
	"tool_use.part.state.status=pending", "tool_use.part.state.status=running",
	"tool_use.part.state.status=completed", "tool_use.part.state.status=error",
	"step_finish.part.reason=stop", "step_finish.part.reason=tool-calls",
	NULL
};

void *
agent__opencode_json_new(enum agent_dialect d, const char *const *names)
{
	struct opencode *op = agent__json_new(sizeof(struct opencode), d, agent__opencode_ses);

	if (op != NULL)
		op->j.known = names;
	return op;
}

static void *
opencode_new(enum agent_dialect d)
{
	return agent__opencode_json_new(d, known);
}

static enum agent_tool_status
tool_status(const char *s)
{
	if (s == NULL)
		return AGENT_TOOL_NONE;
	if (strcmp(s, "completed") == 0)
		return AGENT_TOOL_COMPLETED;
	if (strcmp(s, "error") == 0)
		return AGENT_TOOL_ERROR;
	if (strcmp(s, "running") == 0)
		return AGENT_TOOL_RUNNING;
	if (strcmp(s, "pending") == 0)
		return AGENT_TOOL_PENDING;
	return AGENT_TOOL_NONE;
}

/* apply_patch: one TOOL event per file the patch adds, updates or
 * deletes, paired by "<callID>#<n>"; 0 when the patch names no file. */
static int
patch_files(struct opencode *op, const struct agent_event *proto,
            const char *patch, int *r)
{
	static const struct {
		const char *mark;
		enum agent_tool_kind kind;
	} marks[] = {
		{ "*** Add File: ", AGENT_TK_WRITE },
		{ "*** Update File: ", AGENT_TK_EDIT },
		{ "*** Delete File: ", AGENT_TK_DELETE },
	};
	const char *p = patch, *nl;
	char cid[160];
	int n = 0;
	size_t k, ml = 0;

	*r = 0;
	for (; p != NULL && *p != '\0' && *r == 0; p = nl != NULL ? nl + 1 : NULL) {
		struct agent_event e = *proto;

		nl = strchr(p, '\n');
		for (k = 0; k < sizeof marks / sizeof marks[0]; k++) {
			ml = strlen(marks[k].mark);
			if (strncmp(p, marks[k].mark, ml) == 0)
				break;
		}
		if (k == sizeof marks / sizeof marks[0])
			continue;
		e.tkind = marks[k].kind;
		e.path = agent__first_line(&op->j, p + ml);
		e.title = e.path;
		if (n > 0 && proto->call_id != NULL) {
			if ((size_t)snprintf(cid, sizeof cid, "%s#%d", proto->call_id, n) <
			    sizeof cid)
				e.call_id = agent__json_strdup(&op->j, cid);
			else
				e.call_id = NULL;
		}
		n++;
		*r = agent__json_emit(&op->j, &e);
	}
	return n;
}

/* The provider's answer to a limited request, as opencode reports its
 * last retry's error: "retry-after-ms" or "retry-after" (seconds or an
 * HTTP-date) counted from when opencode gave up; -1 when neither. */
static double
retry_after(struct agent__jval *headers, double ts)
{
	const char *ms = agent__jstr(headers, "retry-after-ms");
	double at;

	if (ms != NULL && (at = agent__retry_after(ms, 0)) >= 0)
		return ts >= 0 ? ts + at / 1000 : -1;
	return agent__retry_after(agent__jstr(headers, "retry-after"), ts);
}

static int
tool_use(struct opencode *op, struct agent__jval *part, struct agent_event *e)
{
	struct agent__jval *state = agent__jget(part, "state");
	struct agent__jval *input = agent__jget(state, "input");
	long long v;
	int r;

	e->kind = AGENT_EV_TOOL;
	e->call_id = agent__jstr(part, "callID");
	agent__json_knows(&op->j, "tool_use", "part.state.status", agent__jstr(state, "status"));
	e->status = tool_status(agent__jstr(state, "status"));
	agent__json_tool(&op->j, e, agent__jstr(part, "tool"), input);
	if (e->title == NULL)
		e->title = agent__first_line(&op->j, agent__jstr(state, "title"));
	e->text = e->status == AGENT_TOOL_ERROR ? agent__jstr(state, "error")
	    : agent__jstr(state, "output");
	if (e->tkind == AGENT_TK_SHELL &&
	    agent__jint(agent__jget(state, "metadata"), "exit", &v) &&
	    v >= -255 && v <= 255)
		e->exit_code = (int)v;
	if (e->tool != NULL && strcmp(e->tool, "apply_patch") == 0 &&
	    patch_files(op, e, agent__jstr(input, "patchText"), &r) > 0)
		return r;
	return agent__json_emit(&op->j, e);
}

int
agent__opencode_obj(void *st, struct agent__jval *o)
{
	struct opencode *op = st;
	const char *type = agent__jstr(o, "type");
	struct agent__jval *part = agent__jget(o, "part");
	const char *sid = agent__jstr(o, "sessionID");
	struct agent_event e;
	long long v;
	int r;

	if (sid == NULL)
		sid = agent__jstr(part, "sessionID");
	if (!agent__json_knows(&op->j, type, NULL, NULL))
		type = NULL;
	else if (strcmp(type, "step_finish") == 0)
		agent__json_knows(&op->j, type, "part.reason", agent__jstr(part, "reason"));
	if ((r = agent__json_session(&op->j, sid)) != 0 || type == NULL)
		return r;
	e.model = agent__jstr(part, "modelID");
	if (e.model == NULL)
		e.model = agent__jstr(part, "model");
	if ((r = agent__json_model(&op->j, e.model)) != 0)
		return r;
	agent_event_init(&e);
	if (agent__jint(o, "timestamp", &v) && v > 0)
		e.ts = (double)v / 1000.0;
	e.model = op->j.model[0] != '\0' ? op->j.model : NULL;
	if (strcmp(type, "step_start") == 0) {
		e.kind = AGENT_EV_STEP;
		e.title = "step start";
	} else if (strcmp(type, "text") == 0) {
		e.kind = AGENT_EV_TEXT;
		e.text = agent__jstr(part, "text");
		e.title = agent__first_line(&op->j, e.text);
		if (e.title == NULL)
			return 0;
	} else if (strcmp(type, "reasoning") == 0) {
		e.kind = AGENT_EV_STEP;
		e.title = "reasoning";
		e.text = agent__jstr(part, "text");
	} else if (strcmp(type, "tool_use") == 0) {
		return tool_use(op, part, &e);
	} else if (strcmp(type, "step_finish") == 0) {
		struct agent__jval *tok = agent__jget(part, "tokens");
		const char *reason = agent__jstr(part, "reason");

		if (agent__jint(tok, "input", &v))
			e.tokens_in = v;
		if (agent__jint(tok, "output", &v))
			e.tokens_out = v;
		agent__jnum(part, "cost", &e.cost);
		if (reason != NULL && strcmp(reason, "stop") == 0) {
			e.kind = AGENT_EV_DONE;
			e.final = 1;
		} else {
			e.kind = AGENT_EV_STEP;
			e.title = reason != NULL ? reason : "step finish";
		}
	} else if (strcmp(type, "error") == 0) {
		struct agent__jval *err = agent__jget(o, "error");
		struct agent__jval *data = agent__jget(err, "data");
		const char *msg = agent__jstr(data, "message");
		int status = -1;

		if (agent__jint(data, "statusCode", &v) && v >= 100 && v <= 599)
			status = (int)v;
		if (msg == NULL)
			msg = agent__jstr(err, "name");
		if (msg == NULL && agent__jval_is(err, AGENT__JV_STRING))
			msg = agent__jval_str(err);
		agent__json_error(&op->j, &e, msg != NULL ? msg : "error", status, 1);
		if (e.kind == AGENT_EV_LIMIT)
			e.resets_at = retry_after(agent__jget(data, "responseHeaders"), e.ts);
		if (agent__jstr(err, "name") != NULL &&
		    strcmp(agent__jstr(err, "name"), "MessageAbortedError") == 0)
			e.kind = AGENT_EV_INTERRUPT;
	} else {
		return 0;
	}
	return agent__json_emit(&op->j, &e);
}

static int
opencode_line(void *v, const char *line, size_t len, long lineno,
              agent_event_fn fn, void *arg)
{
	return agent__json_line(v, line, len, lineno, fn, arg, agent__opencode_obj,
	                        agent__opencode_says);
}


const struct agent_dialect_ops agent__opencode_json_ops = {
	.new = opencode_new,
	.free = agent__json_free,
	.line = opencode_line,
	.session_key = "sessionID",
	.session_id = agent__opencode_ses,
	/* each step_finish its step's tokens and cost */
	.usage = AGENT_USAGE_STEP,
};

/* ==== run: the transcript =============================================== */

/* A path as titles print it: an opencode "[offset=…]" description cut. */
static const char *
path_piece(struct agent__text *c, const char *s)
{
	size_t n = strlen(s);
	const char *br = strstr(s, " [");
	if (br && s[n - 1] == ']')
		n = (size_t)(br - s);
	return agent__text_piece(c, s, agent__rtrim_len(s, n));
}

/* The text between the first pair of double quotes, or all of s. */
static const char *
unquote_piece(struct agent__text *c, const char *s)
{
	const char *a = strchr(s, '"'), *b;
	if (a && (b = strrchr(a + 1, '"')) != NULL && b > a)
		return agent__text_piece(c, a + 1, (size_t)(b - a - 1));
	return s;
}

/* Fills the TOOL fields of e from an opencode / OMO tool line: its icon
 * and its title ("Read README.md", "ls && echo hi", "Glob \"*.c\""). */
void
agent__opencode_tool(struct agent__text *c, struct agent_event *e, const char *icon, const char *t)
{
	const char *a;

	e->kind = AGENT_EV_TOOL;
	e->title = t;
	if (strcmp(icon, "$") == 0) {
		e->tkind = AGENT_TK_SHELL;
		e->tool = "bash";
	} else if ((a = agent__after(t, "Read ")) != NULL) {
		e->tkind = AGENT_TK_READ;
		e->tool = "read";
		e->title = e->path = path_piece(c, a);
	} else if ((a = agent__after(t, "Write ")) != NULL) {
		e->tkind = AGENT_TK_WRITE;
		e->tool = "write";
		e->title = e->path = path_piece(c, a);
	} else if ((a = agent__after(t, "Edit ")) != NULL) {
		e->tkind = AGENT_TK_EDIT;
		e->tool = "edit";
		e->title = e->path = path_piece(c, a);
	} else if (strcmp(t, "List") == 0 || (a = agent__after(t, "List ")) != NULL) {
		e->tkind = AGENT_TK_SEARCH;
		e->tool = "list";
		e->title = strcmp(t, "List") != 0 ? a : ".";
	} else if ((a = agent__after(t, "Glob ")) != NULL || (a = agent__after(t, "Grep ")) != NULL) {
		e->tkind = AGENT_TK_SEARCH;
		e->tool = t[1] == 'l' ? "glob" : "grep";
		e->title = unquote_piece(c, a);
	} else if ((a = agent__after(t, "WebFetch")) != NULL) {
		e->tkind = AGENT_TK_FETCH;
		e->tool = "webfetch";
		e->title = *a ? agent__skip_blanks(a) : t;
	} else if (strcmp(t, "Patch") == 0 || agent__starts(t, "Patch ")) {
		e->tkind = AGENT_TK_EDIT;
		e->tool = "apply_patch";
	} else if (strcmp(t, "Todos") == 0) {
		e->tkind = AGENT_TK_TODO;
		e->tool = "todowrite";
	} else if ((a = agent__after(t, "Skill ")) != NULL) {
		e->tool = "skill";
		e->title = unquote_piece(c, a);
	} else if (strcmp(icon, "✱") == 0) {
		e->tkind = AGENT_TK_SEARCH;
	} else if (strcmp(icon, "%") == 0 || strcmp(icon, "◈") == 0) {
		e->tkind = AGENT_TK_FETCH;
		if (*icon != '%')
			e->tool = "websearch";
	} else if (strcmp(icon, "✓") == 0 || strcmp(icon, "•") == 0) {
		e->tkind = AGENT_TK_TASK;
		e->tool = "task";
	} else if (strcmp(icon, "#") == 0) {
		/* OMO's sub-agent header: "# {description} agent=…" */
		e->tkind = strstr(t, "agent=") ? AGENT_TK_TASK : AGENT_TK_OTHER;
		e->tool = e->tkind == AGENT_TK_TASK ? "task" : NULL;
	} else if (strcmp(icon, "⚙") == 0) {
		size_t n = strcspn(t, " ");
		e->tool = agent__text_piece(c, t, n);
		e->tkind = agent__tool_kind(e->tool);
	}
}

static const char *const tool_icons[] = {
	"→", "←", "$", "✱", "%", "⚙", "✗", "#", "◈", "✓", "•",
};

const char *
agent__opencode_icon(const char *s)
{
	for (size_t i = 0; i < sizeof tool_icons / sizeof tool_icons[0]; i++) {
		size_t n = strlen(tool_icons[i]);
		if (strncmp(s, tool_icons[i], n) == 0 && s[n] == ' ')
			return tool_icons[i];
	}
	return NULL;
}

/* ==== opencode run (default format) ==================================== */

struct opencode_text {
	struct agent__text c;
	int ansi;        /* escapes seen: then tool lines must carry theirs */
	int block;       /* inside a block tool's body (bash output, diff) */
	int prev_blank;
	int pend;        /* a "✗ … failed" line waits for its "Error:" line */
	long pend_line;
	struct agent__buf pend_title;
	agent__says_fn says;  /* the wording of the agent's stderr lines */
};

void *
agent__opencode_text_new(enum agent_dialect d, agent__says_fn says)
{
	struct opencode_text *p = agent__text_new(sizeof(struct opencode_text), d, &rxs);

	if (p != NULL)
		p->says = says;
	return p;
}

static void *
text_new(enum agent_dialect d)
{
	return agent__opencode_text_new(d, agent__opencode_says);
}

void
agent__opencode_text_free(void *st)
{
	struct opencode_text *p = st;
	if (!p)
		return;
	agent__buf_free(&p->pend_title);
	agent__text_free(p);
}

static int
text_flush(struct opencode_text *p, const char *errtext, agent_event_fn fn, void *arg)
{
	struct agent_event e;

	if (!p->pend)
		return 0;
	p->pend = 0;
	agent_event_init(&e);
	agent__opencode_tool(&p->c, &e, "✗", agent__buf_str(&p->pend_title));
	e.status = AGENT_TOOL_ERROR;
	e.text = errtext;
	return agent__text_emit(&e, p->pend_line, fn, arg);
}

/* The icon of an opencode tool line, or NULL.  opencode writes them as
 * "ESC[0m{icon} ESC[0m{title}"; once a log has shown escapes, a line
 * without that shape is assistant text even if it starts like one
 * ("# Heading", "$ make"). */
static const char *
text_tool_icon(struct opencode_text *p, const char *raw, size_t n, const char *s)
{
	const char *icon = agent__opencode_icon(s);
	if (!icon)
		return NULL;
	if (p->ansi) {
		size_t k = strlen(icon);
		if (n < 4 + k + 5 || memcmp(raw, "\x1b[0m", 4) != 0 ||
		    memcmp(raw + 4, icon, k) != 0 || memcmp(raw + 4 + k, " \x1b[0m", 5) != 0)
			return NULL;
		return icon;
	}
	if (strcmp(icon, "#") == 0 && strcmp(s, "# Todos") != 0)
		return NULL;
	return icon;
}

static int
text_tool(struct opencode_text *p, const char *icon, agent_event_fn fn, void *arg)
{
	struct agent__text *c = &p->c;
	const char *t = c->ln.p + strlen(icon) + 1;
	size_t n = c->ln.len - (size_t)(t - c->ln.p);
	struct agent_event e;

	/* The description, dimmed after the title, is not part of it. */
	if (c->dim != SIZE_MAX && c->dim >= (size_t)(t - c->ln.p))
		n = c->dim - (size_t)(t - c->ln.p);
	t = agent__text_piece(c, t, agent__rtrim_len(t, n));
	n = strlen(t);

	if (strcmp(icon, "✗") == 0 && n >= 7 && strcmp(t + n - 7, " failed") == 0) {
		/* Held for one line: the "Error:" line after it is its text. */
		agent__buf_set(&p->pend_title, t, n - 7);
		p->pend = 1;
		p->pend_line = c->lineno;
		return 0;
	}
	/* bash, write, edit, todowrite, batch and invalid print a body. */
	if (strcmp(icon, "$") == 0 || strcmp(icon, "←") == 0 ||
	    strcmp(icon, "#") == 0 || strcmp(icon, "✗") == 0)
		p->block = 1;
	agent_event_init(&e);
	agent__opencode_tool(c, &e, icon, t);
	e.status = strcmp(icon, "✗") == 0 ? AGENT_TOOL_ERROR : AGENT_TOOL_COMPLETED;
	if (strcmp(icon, "•") == 0)
		e.status = AGENT_TOOL_RUNNING;
	if (strcmp(icon, "✗") == 0)
		e.tool = "invalid";
	return agent__text_emit(&e, c->lineno, fn, arg);
}

int
agent__opencode_text_line(void *st, const char *raw, size_t n, long lineno,
                          agent_event_fn fn, void *arg)
{
	struct opencode_text *p = st;
	struct agent__text *c = &p->c;
	const char *s, *icon, *g1, *g2;
	int r, rc, hit;

	agent__text_begin(c, raw, n, lineno);
	s = agent__buf_str(&c->ln);
	if (c->raw_esc)
		p->ansi = 1;
	/* "Error: …" is red when opencode prints it; plain text when not. */
	int is_err = agent__starts(s, "Error: ") && (!p->ansi || (n > 0 && raw[0] == 0x1b));
	if (p->pend && !is_err && (r = text_flush(p, NULL, fn, arg)) != 0)
		return r;
	if (agent__blank(s)) {
		/* opencode's own blank line is "ESC[0m"; an empty line of a
		 * diff or of command output does not end the block. */
		if (!p->ansi || c->raw_esc)
			p->block = 0;
		p->prev_blank = 1;
		return 0;
	}
	p->prev_blank = 0;
	if ((icon = text_tool_icon(p, raw, n, s)) != NULL) {
		p->block = 0;
		return text_tool(p, icon, fn, arg);
	}
	if (p->block)
		return 0;
	if (is_err) {
		const char *msg = agent__text_trimmed(c, agent__after(s, "Error: "));
		if (p->pend)
			return text_flush(p, msg, fn, arg);
		return agent__text_error(c, msg, 1, fn, arg);
	}
	if ((r = agent__text_stderr(c, s, p->says, &hit, fn, arg)) != 0 || hit)
		return r;
	if ((rc = agent__rx_match(&rxs, RX_MODEL, s, c->ln.len, c->md)) > 0) {
		struct agent_event e;
		size_t k1 = agent__rx_group(c->md, rc, 1, s, &g1);
		size_t k2 = agent__rx_group(c->md, rc, 2, s, &g2);
		agent_event_init(&e);
		e.kind = AGENT_EV_MODEL;
		e.title = agent__text_piece(c, g1, k1);
		e.model = agent__text_piece(c, g2, k2);
		return agent__text_emit(&e, lineno, fn, arg);
	}
	if (agent__rx_match(&rxs, RX_LOGFMT, s, c->ln.len, c->md) > 0)
		return 0;
	if (agent__starts(s, "Thinking: "))
		return agent__text_simple(c, AGENT_EV_STEP, agent__text_trimmed(c, s), fn, arg);
	return agent__text_say(c, agent__text_trimmed(c, s), fn, arg);
}

int
agent__opencode_text_end(void *st, agent_event_fn fn, void *arg)
{
	return text_flush(st, NULL, fn, arg);
}

size_t
agent__opencode_text_session(const char *line, size_t len, char *buf, size_t buflen)
{
	/* Only --print-logs lines name the session in this format. */
	if (len < 10 || (memcmp(line, "timestamp=", 10) != 0 && memcmp(line, "INFO ", 5) != 0 &&
	                 memcmp(line, "DEBUG ", 6) != 0 && memcmp(line, "WARN ", 5) != 0 &&
	                 memcmp(line, "ERROR ", 6) != 0))
		return 0;
	return agent__text_session_rx(&rxs, RX_LOGFMT_SES, line, len, buf, buflen);
}

const struct agent_dialect_ops agent__opencode_text_ops = {
	.new = text_new, .free = agent__opencode_text_free, .line = agent__opencode_text_line,
	.end = agent__opencode_text_end, .session = agent__opencode_text_session,
};


/* ==== what opencode prints on stderr ==================================== */

enum agent__says
agent__opencode_says(const char *t, enum agent_dialect as, const char **msg, size_t *len)
{
	if (as == AGENT_D_GENERIC)
		return agent__starts(t, "Error: Session not found") ? AGENT__SAYS_FATAL
		    : AGENT__SAYS_NOTHING;
	if (agent__starts(t, "! permission requested")) {
		/* "! permission requested: external_directory (…);
		 * auto-rejecting": the tool fails, the run goes on */
		*msg = agent__skip_blanks(agent__after(t, "! "));
		*len = agent__rtrim_len(*msg, strlen(*msg));
		return AGENT__SAYS_NOTICE;
	}
	/* the CLI's fatal error ("Error: Session not found"); the transcript
	 * tells it by its colour, and reads it itself */
	if (as == AGENT_D_OPENCODE_JSON && agent__starts(t, "Error: "))
		return AGENT__SAYS_FATAL;
	return AGENT__SAYS_NOTHING;
}

/* ==== recognising an opencode log ======================================= */

enum agent_dialect
agent__opencode_cue(const struct agent__cue *l, int *strong)
{
	static const char *const types[] = {
		"step_start", "text", "tool_use", "step_finish", "error", "reasoning",
	};
	const char *icon;
	char type[40];
	pcre2_match_data *md;
	int model;

	*strong = 1;
	if (l->json != NULL) {
		agent__jhead_type(l->json, type, sizeof type);
		if (agent__jhead_has(l->json, "sessionID"))
			for (size_t i = 0; i < sizeof types / sizeof types[0]; i++)
				if (strcmp(type, types[i]) == 0)
					return AGENT_D_OPENCODE_JSON;
		return AGENT_D_GENERIC;
	}
	if (agent__rx_compile(&rxs) < 0 || (md = agent__rx_md()) == NULL)
		return AGENT_D_GENERIC;
	model = agent__rx_match(&rxs, RX_MODEL, l->text, l->len, md) > 0;
	pcre2_match_data_free(md);
	if (model && !memchr(l->text, '\t', l->len))
		return AGENT_D_OPENCODE_TEXT;
	/* a tool line: "ESC[0m→ ESC[0mRead a.c" */
	if ((icon = agent__opencode_icon(l->text)) != NULL &&
	    l->rawlen >= 4 + strlen(icon) + 5 && memcmp(l->raw, "\x1b[0m", 4) == 0 &&
	    memcmp(l->raw + 4 + strlen(icon), " \x1b[0m", 5) == 0)
		return AGENT_D_OPENCODE_TEXT;
	*strong = 0;
	/* the CLI's red error line; Kilo's JSON error line follows the same
	 * line (kilo.c), the transcript shows it alone or after its header */
	if (l->rawlen >= 16 && memcmp(l->raw, "\x1b[91m\x1b[1mError: ", 16) == 0)
		return AGENT_D_OPENCODE_TEXT;
	if (l->rawlen == 4 && memcmp(l->raw, "\x1b[0m", 4) == 0)
		return AGENT_D_OPENCODE_TEXT;   /* opencode's blank line */
	return AGENT_D_GENERIC;
}
