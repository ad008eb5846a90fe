/* omo.c — oh-my-opencode: `oh-my-opencode run` (with or without
 * timestamps, --verbose event lines, --json's result line), the lines it
 * prints on stderr, and how its logs are recognised.  It draws opencode's
 * tool lines, read by lib/dialect/opencode.c. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "json.h"
#include "opencode.h"
#include "rules.h"

/* Most stdout text kept while --verbose lines cut it into pieces. */
#define FRAG_MAX (64u << 10)
/* Files of one apply_patch remembered until the tool completes. */
#define PATCH_FILES_MAX 64

#define SES "ses_[0-9A-Za-z]{6,64}"

enum {
	RX_HMS,          /* the "[HH:MM:SS] " line prefix */
	RX_SESSION,      /* "Session: ses_…" */
	RX_JSONSES,      /* --json result */
	RX_VTAG,         /* a --verbose event line starts here */
	RX_VTOOL,        /* message.part (tool): bash [running] */
	RX_META,         /* └─ Agent · model · 0.9s */
	RX_MODEL,        /* "  gpt-5.5  " above the agent line */
	RX_OLDTOOL,      /* "> bash ls" (before the icon headers) */
	RX_STACK,        /* "    at fn (file:1:2)" */
	RX_CUE,
};
static struct agent__rx rx_tab[] = {
	[RX_HMS] = { "^\\[\\d\\d:\\d\\d:\\d\\d\\](?: |$)", 0, NULL },
	[RX_SESSION] = { "^(?:\\[\\d\\d:\\d\\d:\\d\\d\\] )?\\s*Session: (" SES ")\\s*$", 0, NULL },
	[RX_JSONSES] = { "\"sessionId\"\\s*:\\s*\"(" SES ")\"", 0, NULL },
	[RX_VTAG] = { "\\[(?:MAIN|system|ses_[0-9A-Za-z]{4})\\] "
	              "(?=[a-z]+\\.[a-z]|TOOL\\.(?:EXECUTE|RESULT):|SESSION\\.ERROR:)", 0, NULL },
	[RX_VTOOL] = { "^message\\.part \\(tool\\): (\\S+) \\[([a-z_]+)\\]", 0, NULL },
	[RX_META] = { "^(.+?) · (.+?) · \\d+(?:\\.\\d+)?s$", 0, NULL },
	[RX_MODEL] = { "^  (\\S+)(?: \\([^)]*\\))?(?: \\[reasoning: [^\\]]*\\])?  $", 0, NULL },
	[RX_OLDTOOL] = { "^> ([A-Za-z_][A-Za-z0-9_.-]*)(?: (.*))?$", 0, NULL },
	[RX_STACK] = { "^\\s+at \\S", 0, NULL },
	[RX_CUE] = { "^(?:\\[\\d\\d:\\d\\d:\\d\\d\\] )?(?:Starting server on port \\d|"
	             "Server listening at |Session: ses_|Auto-selected port|Port \\d+ is occupied)|"
	             "^oh-my-opencode: |^\\[(?:MAIN|system)\\] [a-z]|^\\[session\\.error\\] |"
	             "^(?:\\[\\d\\d:\\d\\d:\\d\\d\\] )?  (?:└─|`-) \\S", 0, NULL },
};
static struct agent__rxset rxs = AGENT__RXSET(rx_tab);


enum om_mode {
	OM_TEXT,
	OM_OUTPUT,   /* after "└─ output": the tool's output */
	OM_HEADER,   /* a tool header that spans lines (a multi-line command) */
	OM_PATCH,    /* the lines of "⚙ apply_patch patchText=*** Begin Patch" */
	OM_THINK,    /* reasoning after "┃  Thinking:", up to a blank line */
};

struct omo {
	struct agent__text c;
	enum om_mode mode;
	int verbose;            /* --verbose event lines seen */
	int prev_blank;
	struct agent__buf frag;       /* stdout text cut into pieces by verbose lines */
	int has_model;          /* "  gpt-5.5  " waits for its "└─ Agent" line */
	long model_line;
	struct agent__buf model;
	int tool_on;            /* a tool header was seen, its end not yet */
	long tool_line;
	enum agent_tool_kind tool_kind;
	struct agent__buf tool, title, path;
	int npf;                /* apply_patch: files named so far */
	unsigned char pkind[PATCH_FILES_MAX];
	struct agent__buf pfiles;     /* their paths, NUL-separated */
	char call[32];          /* pairs the running tool's start and end */
	long done_line;         /* the last completion ("All tasks completed."
	                           or --json's success), 0 none */
};

/* --json prints its result line next to "All tasks completed.": the two
 * are one completion. */
static int
omo_done(struct omo *p, const char *title, agent_event_fn fn, void *arg)
{
	long l = p->c.lineno;
	int again = p->done_line > 0 && l - p->done_line <= 3;
	p->done_line = l;
	return again ? 0 : agent__text_simple(&p->c, AGENT_EV_DONE, title, fn, arg);
}

static void *
omo_new(enum agent_dialect d)
{
	return agent__text_new(sizeof(struct omo), d, &rxs);
}

static void
omo_free(void *st)
{
	struct omo *p = st;
	if (!p)
		return;
	agent__buf_free(&p->frag);
	agent__buf_free(&p->model);
	agent__buf_free(&p->tool);
	agent__buf_free(&p->title);
	agent__buf_free(&p->path);
	agent__buf_free(&p->pfiles);
	agent__text_free(p);
}

/* Content of an OMO stdout line: after the optional "[HH:MM:SS] ". */
static const char *
omo_content(struct omo *p, const char *s, size_t n)
{
	struct agent__text *c = &p->c;
	if (agent__rx_match(&rxs, RX_HMS, s, n, c->md) > 0)
		return s + agent__rx_end(c->md);
	return s;
}

static int
omo_tool_event(struct omo *p, enum agent_tool_status st, long line, agent_event_fn fn, void *arg)
{
	struct agent_event e;
	agent_event_init(&e);
	e.kind = AGENT_EV_TOOL;
	e.status = st;
	e.tkind = p->tool_kind;
	e.tool = p->tool.len ? agent__buf_str(&p->tool) : NULL;
	e.title = agent__buf_str(&p->title);
	e.path = p->path.len ? agent__buf_str(&p->path) : NULL;
	e.call_id = p->call;
	return agent__text_emit(&e, line, fn, arg);
}

static int
omo_patch_file_event(struct omo *p, int i, const char *path, enum agent_tool_status st,
                     long line, agent_event_fn fn, void *arg)
{
	struct agent_event e;
	char id[48];
	snprintf(id, sizeof id, "%s.%d", p->call, i);
	agent_event_init(&e);
	e.kind = AGENT_EV_TOOL;
	e.status = st;
	e.tkind = (enum agent_tool_kind)p->pkind[i];
	e.tool = "apply_patch";
	e.title = e.path = path;
	e.call_id = id;
	return agent__text_emit(&e, line, fn, arg);
}

/* The running tool ended: one event (one per file of a patch). */
static int
omo_tool_end(struct omo *p, enum agent_tool_status st, agent_event_fn fn, void *arg)
{
	int r = 0;

	if (!p->tool_on)
		return 0;
	p->tool_on = 0;
	if (p->npf == 0)
		return omo_tool_event(p, st, p->c.lineno, fn, arg);
	const char *f = agent__buf_str(&p->pfiles);
	for (int i = 0; i < p->npf && !r; i++, f += strlen(f) + 1)
		r = omo_patch_file_event(p, i, f, st, p->c.lineno, fn, arg);
	p->npf = 0;
	agent__buf_clear(&p->pfiles);
	return r;
}

static int
omo_tool_done(struct omo *p, agent_event_fn fn, void *arg)
{
	return omo_tool_end(p, AGENT_TOOL_COMPLETED, fn, arg);
}

/* A patch ended without naming a file: report the tool itself. */
static int
omo_patch_end(struct omo *p, agent_event_fn fn, void *arg)
{
	p->mode = OM_TEXT;
	if (p->tool_on && p->npf == 0)
		return omo_tool_event(p, AGENT_TOOL_RUNNING, p->tool_line, fn, arg);
	return 0;
}

static int
omo_patch_line(struct omo *p, const char *t, agent_event_fn fn, void *arg)
{
	static const struct {
		const char *prefix;
		enum agent_tool_kind k;
	} ops[] = {
		{ "*** Add File: ", AGENT_TK_WRITE },
		{ "*** Update File: ", AGENT_TK_EDIT },
		{ "*** Delete File: ", AGENT_TK_DELETE },
		{ "*** Move to: ", AGENT_TK_WRITE },
	};
	struct agent__text *c = &p->c;

	if (agent__starts(t, "*** End Patch"))
		return omo_patch_end(p, fn, arg);
	for (size_t i = 0; i < sizeof ops / sizeof ops[0]; i++) {
		if (!agent__starts(t, ops[i].prefix))
			continue;
		const char *path = agent__text_trimmed(c, t + strlen(ops[i].prefix));
		if (!*path || p->npf >= PATCH_FILES_MAX)
			return 0;
		p->pkind[p->npf] = (unsigned char)ops[i].k;
		agent__buf_add(&p->pfiles, path, strlen(path) + 1);
		return omo_patch_file_event(p, p->npf++, path, AGENT_TOOL_RUNNING, c->lineno, fn, arg);
	}
	return 0;
}

/* "  {icon} {title}  ": a tool starts. */
static int
omo_header(struct omo *p, const char *icon, const char *t, int ends_hdr, agent_event_fn fn, void *arg)
{
	struct agent__text *c = &p->c;
	struct agent_event e;
	int r;

	/* OMO prints a header only when no tool runs: a new one means the
	 * one before has ended, with or without output. */
	if ((r = omo_tool_done(p, fn, arg)) != 0)
		return r;
	agent_event_init(&e);
	agent__opencode_tool(c, &e, icon, t);
	e.status = AGENT_TOOL_RUNNING;
	p->tool_on = 1;
	p->tool_line = c->lineno;
	snprintf(p->call, sizeof p->call, "L%ld", c->lineno);
	p->tool_kind = e.tkind;
	agent__buf_set(&p->tool, e.tool ? e.tool : "", e.tool ? strlen(e.tool) : 0);
	agent__buf_set(&p->title, e.title, strlen(e.title));
	agent__buf_set(&p->path, e.path ? e.path : "", e.path ? strlen(e.path) : 0);
	p->npf = 0;
	agent__buf_clear(&p->pfiles);
	if (strcmp(icon, "⚙") == 0 && agent__starts(t, "apply_patch ")) {
		/* Its files follow, one header line each: reported from there. */
		p->tool_kind = AGENT_TK_EDIT;
		agent__buf_set(&p->title, "apply_patch", 11);
		p->mode = ends_hdr ? OM_TEXT : OM_PATCH;
		return ends_hdr ? omo_patch_end(p, fn, arg) : 0;
	}
	p->mode = ends_hdr ? OM_TEXT : OM_HEADER;
	e.call_id = p->call;
	return agent__text_emit(&e, c->lineno, fn, arg);
}

/* MODEL: the agent's name (title) and the model, either may be NULL. */
static int
omo_model_event(struct omo *p, const char *agent, const char *model, long line,
                agent_event_fn fn, void *arg)
{
	struct agent_event e;

	(void)p;
	agent_event_init(&e);
	e.kind = AGENT_EV_MODEL;
	e.title = agent;
	e.model = model;
	return agent__text_emit(&e, line, fn, arg);
}

/* The "  gpt-5.5  " line held for its "└─ Agent" line: its model. */
static const char *
omo_held_model(struct omo *p)
{
	if (!p->has_model)
		return NULL;
	p->has_model = 0;
	return agent__skip_blanks(agent__buf_str(&p->model));
}

/* "└─ …" (or "`- …" under CI): the agent header, a step's meta line, or
 * the start of a tool's output. */
static int
omo_tree(struct omo *p, const char *rest, agent_event_fn fn, void *arg)
{
	struct agent__text *c = &p->c;
	const char *r = agent__text_trimmed(c, rest), *g1, *g2;
	int rc;

	if (strcmp(r, "output") == 0) {
		int e = omo_tool_done(p, fn, arg);
		p->mode = OM_OUTPUT;
		return e;
	}
	p->mode = OM_TEXT;
	if ((rc = agent__rx_match(&rxs, RX_META, r, strlen(r), c->md)) > 0) {
		struct agent_event e;
		size_t k1 = agent__rx_group(c->md, rc, 1, r, &g1);
		size_t k2 = agent__rx_group(c->md, rc, 2, r, &g2);
		agent_event_init(&e);
		e.kind = AGENT_EV_STEP;
		e.title = agent__text_piece(c, g1, k1);
		e.model = agent__text_piece(c, g2, k2);
		return agent__text_emit(&e, c->lineno, fn, arg);
	}
	return omo_model_event(p, r, omo_held_model(p), c->lineno, fn, arg);
}

/* The --json result line on stdout. */
static int
omo_json(struct omo *p, const char *s, agent_event_fn fn, void *arg)
{
	struct agent__text *c = &p->c;
	struct agent__jdoc js = { 0 };
	struct agent__jval *o = agent__jdoc_parse(&js, s, strlen(s), NULL), *v;
	int r = 0;

	/* right after "All tasks completed.": the same completion again */
	if (p->done_line > 0 && c->lineno - p->done_line <= 3 &&
	    agent__jval_is(o, AGENT__JV_OBJECT) && (v = agent__jval_get(o, "success")) != NULL &&
	    agent__jval_bool(v)) {
		agent__jdoc_free(&js);
		return 0;
	}
	if (agent__jval_is(o, AGENT__JV_OBJECT) &&
	    (v = agent__jval_get(o, "sessionId")) != NULL && agent__jval_is(v, AGENT__JV_STRING) &&
	    (r = agent__text_session(c, agent__jval_str(v), fn, arg)) == 0 &&
	    (v = agent__jval_get(o, "success")) != NULL) {
		if (agent__jval_bool(v)) {
			r = omo_done(p, NULL, fn, arg);
		} else {
			const char *msg = "run failed";
			struct agent__jval *m = agent__jval_get(o, "error");
			if (agent__jval_is(m, AGENT__JV_STRING))
				msg = agent__jval_str(m);
			r = agent__text_error(c, msg, 1, fn, arg);
		}
	}
	agent__jdoc_free(&js);
	return r;
}

/* One --verbose event line (without the stdout text before it). */
static int
omo_verbose(struct omo *p, const char *v, agent_event_fn fn, void *arg)
{
	struct agent__text *c = &p->c;
	int main_session = agent__starts(v, "[MAIN] ");
	const char *body = strchr(v, ']') + 2, *msg, *g1, *g2;
	int rc;

	if ((msg = agent__after(body, "SESSION.ERROR: ")) != NULL) {
		/* "[session.error]" repeats it for the main session and ends
		 * the run; this copy is a notice. */
		return agent__text_error(c, agent__text_trimmed(c, msg), 0, fn, arg);
	}
	if (!main_session)
		return 0;
	if ((rc = agent__rx_match(&rxs, RX_VTOOL, body, strlen(body), c->md)) > 0) {
		/* The header and "└─ output" lines already say when a tool
		 * starts and ends; only the failure is news here. */
		size_t k1 = agent__rx_group(c->md, rc, 1, body, &g1);
		size_t k2 = agent__rx_group(c->md, rc, 2, body, &g2);
		struct agent_event e;

		if (k2 != 5 || strncmp(g2, "error", 5) != 0)
			return 0;
		const char *name = agent__text_piece(c, g1, k1);
		if (p->tool_on && (strcmp(name, agent__buf_str(&p->tool)) == 0 || !p->tool.len))
			return omo_tool_end(p, AGENT_TOOL_ERROR, fn, arg);
		agent_event_init(&e);
		e.kind = AGENT_EV_TOOL;
		e.status = AGENT_TOOL_ERROR;
		e.tool = e.title = name;
		e.tkind = agent__tool_kind(name);
		return agent__text_emit(&e, c->lineno, fn, arg);
	}
	if (strcmp(body, "session.idle: idle") == 0 || strcmp(body, "session.status: idle") == 0)
		return agent__text_simple(c, AGENT_EV_STEP, body, fn, arg);
	return 0;
}

static int
omo_candidate_flush(struct omo *p, agent_event_fn fn, void *arg)
{
	if (!p->has_model)
		return 0;
	p->has_model = 0;
	struct agent_event e;
	agent_event_init(&e);
	e.kind = AGENT_EV_TEXT;
	e.title = e.text = agent__skip_blanks(agent__buf_str(&p->model));
	return agent__text_emit(&e, p->model_line, fn, arg);
}

/* The rest of an OMO tree line: after "└─ " (or "`- " under CI), NULL
 * when s is none. */
static const char *
tree_rest(const char *s)
{
	if (agent__starts(s, "└─ "))
		return s + strlen("└─ ");
	if (agent__starts(s, "`- "))
		return s + strlen("`- ");
	return NULL;
}

static int
starts_any(const char *s, const char *const *prefixes, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (agent__starts(s, prefixes[i]))
			return 1;
	return 0;
}

/* A blank line ends a model header without its agent line, a patch, a
 * block of output. */
static int
omo_blank(struct omo *p, agent_event_fn fn, void *arg)
{
	int r;

	p->prev_blank = 1;
	if (p->has_model &&
	    (r = omo_model_event(p, NULL, omo_held_model(p), p->model_line, fn, arg)) != 0)
		return r;
	if (p->mode == OM_PATCH)
		return omo_patch_end(p, fn, arg);
	p->mode = OM_TEXT;
	return 0;
}

/* Releases before the icon headers: "> bash ls -la" (rc: its match). */
static int
omo_old_tool(struct omo *p, const char *x, int rc, agent_event_fn fn, void *arg)
{
	struct agent__text *c = &p->c;
	const char *g1, *g2, *name, *in;
	size_t k1 = agent__rx_group(c->md, rc, 1, x, &g1);
	size_t k2 = agent__rx_group(c->md, rc, 2, x, &g2);
	int r;

	name = agent__text_piece(c, g1, k1);
	in = k2 ? agent__text_piece(c, g2, k2) : name;
	if ((r = omo_tool_done(p, fn, arg)) != 0)
		return r;
	p->tool_on = 1;
	p->tool_line = c->lineno;
	snprintf(p->call, sizeof p->call, "L%ld", c->lineno);
	p->tool_kind = agent__tool_kind(name);
	agent__buf_set(&p->tool, name, strlen(name));
	agent__buf_set(&p->title, in, strlen(in));
	if (p->tool_kind == AGENT_TK_READ || p->tool_kind == AGENT_TK_WRITE ||
	    p->tool_kind == AGENT_TK_EDIT)
		agent__buf_set(&p->path, in, strlen(in));
	else
		agent__buf_clear(&p->path);
	p->npf = 0;
	return omo_tool_event(p, AGENT_TOOL_RUNNING, c->lineno, fn, arg);
}

/* A line at the left edge: OMO's own messages, errors, and stderr of the
 * processes below it. */
static int
omo_edge(struct omo *p, const char *t, size_t tn, agent_event_fn fn, void *arg)
{
	static const char *const steps[] = {
		"Starting server on port", "Server listening at", "Auto-selected port",
	};
	static const char *const quiet[] = {
		"oh-my-opencode: ", "Check if todos were completed", "[toast:",
	};
	struct agent__text *c = &p->c;
	const char *x = agent__text_trimmed(c, t), *g;
	int rc, r, hit;

	if ((rc = agent__rx_match(&rxs, RX_SESSION, t, tn, c->md)) > 0) {
		size_t k = agent__rx_group(c->md, rc, 1, t, &g);
		return agent__text_session(c, agent__text_piece(c, g, k), fn, arg);
	}
	if (agent__starts(x, "Model: "))
		return omo_model_event(p, NULL, agent__skip_blanks(x + strlen("Model: ")),
		    c->lineno, fn, arg);
	if (strcmp(x, "All tasks completed.") == 0)
		return omo_done(p, x, fn, arg);
	if (agent__starts(x, "Interrupted. Shutting down"))
		return agent__text_simple(c, AGENT_EV_INTERRUPT, x, fn, arg);
	if ((r = agent__text_stderr(c, x, agent__omo_says, &hit, fn, arg)) != 0 || hit)
		return r;
	if (x[0] == '{' && strstr(x, "\"sessionId\""))
		return omo_json(p, x, fn, arg);
	if (starts_any(x, steps, sizeof steps / sizeof steps[0]) ||
	    (agent__starts(x, "Port ") && strstr(x, "occupied")))
		return agent__text_simple(c, AGENT_EV_STEP, x, fn, arg);
	if (starts_any(x, quiet, sizeof quiet / sizeof quiet[0]))
		return 0;
	if ((rc = agent__rx_match(&rxs, RX_OLDTOOL, x, strlen(x), c->md)) > 0)
		return omo_old_tool(p, x, rc, fn, arg);
	p->mode = OM_TEXT;
	return agent__text_say(c, x, fn, arg);
}

/* An indented line: OMO's rendering of the session (tool headers, tree
 * lines, output, the model, reasoning, the answer). */
static int
omo_indented(struct omo *p, const char *t, size_t tn, int ends_hdr, int was_blank,
             agent_event_fn fn, void *arg)
{
	struct agent__text *c = &p->c;
	const char *b = t[1] != ' ' ? t + 1 : t + 2, *rest, *icon, *title;

	if (agent__rx_match(&rxs, RX_STACK, t, tn, c->md) > 0 ||
	    (p->verbose && agent__starts(t, "   input: ")))
		return 0;
	if (agent__starts(t, "   └─ "))
		return omo_tool_done(p, fn, arg);  /* older: "   └─ {output preview}" */
	if ((rest = tree_rest(b)) != NULL) {
		if (p->mode == OM_OUTPUT) {
			/* In a tool's output only OMO's own lines count. */
			const char *r = agent__text_trimmed(c, rest);

			if (strcmp(r, "output") != 0 &&
			    agent__rx_match(&rxs, RX_META, r, strlen(r), c->md) == 0)
				return 0;
		}
		return omo_tree(p, rest, fn, arg);
	}
	if (p->mode == OM_OUTPUT) {
		if (ends_hdr || agent__blank(t))
			return 0;
		p->mode = OM_TEXT;
	}
	if ((icon = agent__opencode_icon(b)) != NULL && b[strlen(icon) + 1] != ' ' &&
	    (strcmp(icon, "#") != 0 || strstr(b, "agent=") || agent__starts(b, "# Todos"))) {
		title = b + strlen(icon) + 1;
		return omo_header(p, icon, agent__text_piece(c, title, agent__rtrim_len(title,
		    strlen(title))), ends_hdr, fn, arg);
	}
	if (was_blank && agent__rx_match(&rxs, RX_MODEL, t, tn, c->md) > 0) {
		agent__buf_set(&p->model, t, agent__rtrim_len(t, tn));
		p->has_model = 1;
		p->model_line = c->lineno;
		return 0;
	}
	if (agent__starts(b, "┃  Thinking:")) {
		p->mode = OM_THINK;
		return agent__text_simple(c, AGENT_EV_STEP,
		    agent__text_trimmed(c, b + strlen("┃  ")), fn, arg);
	}
	return agent__text_say(c, agent__text_trimmed(c, t), fn, arg);
}

/* One stdout/stderr line of OMO's own output (verbose pieces removed). */
static int
omo_stdout(struct omo *p, const char *s, size_t n, agent_event_fn fn, void *arg)
{
	const char *t = omo_content(p, s, n), *tt;
	size_t tn = n - (size_t)(t - s);
	int r, ends_hdr = tn >= 2 && t[tn - 1] == ' ' && t[tn - 2] == ' ';
	int was_blank = p->prev_blank;

	p->prev_blank = 0;
	if (agent__blank(t) && !(p->mode == OM_OUTPUT && tn > 0))
		return omo_blank(p, fn, arg);
	switch (p->mode) {
	case OM_PATCH:
		if (ends_hdr)
			p->mode = OM_TEXT;
		if ((r = omo_patch_line(p, t, fn, arg)) != 0 || p->mode == OM_PATCH)
			return r;
		return omo_patch_end(p, fn, arg);
	case OM_HEADER:
		if (ends_hdr)
			p->mode = OM_TEXT;
		return 0;
	case OM_THINK:
		return 0;   /* reasoning is not the answer */
	default:
		break;
	}
	tt = agent__skip_blanks(t);
	if (p->has_model && tree_rest(tt) == NULL && (r = omo_candidate_flush(p, fn, arg)) != 0)
		return r;
	if (t[0] != ' ')
		return omo_edge(p, t, tn, fn, arg);
	return omo_indented(p, t, tn, ends_hdr, was_blank, fn, arg);
}

static int
omo_line(void *st, const char *raw, size_t n, long lineno, agent_event_fn fn, void *arg)
{
	struct omo *p = st;
	struct agent__text *c = &p->c;
	const char *s;
	size_t len;

	agent__text_begin(c, raw, n, lineno);
	s = agent__buf_str(&c->ln);
	len = c->ln.len;

	/* --verbose lines go to stderr while the text streams to stdout, so a
	 * verbose line can start in the middle of a text line: the text
	 * before it is a piece of that line, the rest of which follows on a
	 * later line. */
	if (agent__rx_match(&rxs, RX_VTAG, s, len, c->md) > 0) {
		size_t at = agent__rx_start(c->md);

		if (at == 0 || p->verbose) {
			p->verbose = 1;
			if (at > 0 && p->frag.len + at <= FRAG_MAX)
				agent__buf_add(&p->frag, s, at);
			return omo_verbose(p, s + at, fn, arg);
		}
	}
	if (p->frag.len) {
		/* Parse the joined line as if it had come whole. */
		(void)agent__buf_add(&p->frag, s, len);
		agent__text_swap(c, &p->frag);
		agent__buf_clear(&p->frag);
		s = agent__buf_str(&c->ln);
		len = c->ln.len;
	}
	return omo_stdout(p, s, len, fn, arg);
}

static int
omo_end(void *st, agent_event_fn fn, void *arg)
{
	struct omo *p = st;
	int r = 0;

	if (p->frag.len) {
		agent__text_swap(&p->c, &p->frag);
		agent__buf_clear(&p->frag);
		r = omo_stdout(p, agent__buf_str(&p->c.ln), p->c.ln.len, fn, arg);
	}
	if (!r && p->has_model)
		r = omo_model_event(p, NULL, omo_held_model(p), p->model_line, fn, arg);
	if (!r && p->mode == OM_PATCH)
		r = omo_patch_end(p, fn, arg);
	return r;
}

size_t
agent__omo_session(const char *line, size_t len, char *buf, size_t buflen)
{
	size_t n = agent__text_session_rx(&rxs, RX_SESSION, line, len, buf, buflen);

	if (n == 0 && memchr(line, '{', len))
		n = agent__text_session_rx(&rxs, RX_JSONSES, line, len, buf, buflen);
	return n;
}

const struct agent_dialect_ops agent__omo_ops = {
	.new = omo_new, .free = omo_free, .line = omo_line, .end = omo_end,
	.session = agent__omo_session,
};


/* ==== what oh-my-opencode prints on stderr ============================== */

enum agent__says
agent__omo_says(const char *t, enum agent_dialect as, const char **msg, size_t *len)
{
	static const struct {
		const char *prefix;
		int anywhere;           /* no other agent says it: read in any log */
		int whole;              /* the message is the whole line */
	} fatal[] = {
		{ "[session.error] ", 1, 0 },
		{ "[tui.toast.error] ", 0, 0 },
		{ "Session ended with error: ", 1, 0 },
		{ "Session ended with error", 0, 1 },
		{ "Error: ", 0, 0 },
	};

	for (size_t i = 0; i < sizeof fatal / sizeof fatal[0]; i++) {
		if (!agent__starts(t, fatal[i].prefix) || (as == AGENT_D_GENERIC && !fatal[i].anywhere))
			continue;
		if (!fatal[i].whole) {
			*msg = agent__skip_blanks(t + strlen(fatal[i].prefix));
			*len = strlen(*msg);
		}
		return AGENT__SAYS_FATAL;
	}
	return AGENT__SAYS_NOTHING;
}

/* ==== recognising an oh-my-opencode log ================================= */

enum agent_dialect
agent__omo_cue(const struct agent__cue *l, int *strong)
{
	pcre2_match_data *md;
	int hit;

	*strong = 1;
	if (l->json != NULL)
		return agent__jhead_has(l->json, "sessionId") && agent__jhead_has(l->json, "success")
		    ? AGENT_D_OMO : AGENT_D_GENERIC;
	if (agent__rx_compile(&rxs) < 0 || (md = agent__rx_md()) == NULL)
		return AGENT_D_GENERIC;
	hit = agent__rx_match(&rxs, RX_CUE, l->text, l->len, md) > 0;
	pcre2_match_data_free(md);
	return hit ? AGENT_D_OMO : AGENT_D_GENERIC;
}
