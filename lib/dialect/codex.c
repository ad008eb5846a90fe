/* codex.c — Codex CLI: `codex exec --json` lines (thread / turn / item
 * events), the human transcript of `codex exec`, the lines it prints on
 * stderr, and how its logs are recognised. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "json.h"
#include "rules.h"
#include "text.h"

#define UUID "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"

enum {
	RX_SESSION,      /* "session id: UUID" */
	RX_TS,           /* older releases' "[2025-…] " prefix */
	RX_EXEC,         /* "/bin/bash -lc '…' in DIR" */
	RX_STATUS,       /* " succeeded in 0ms:" / " exited 2 in 5ms:" */
	RX_SHELL,        /* the shell wrapper around a command */
	RX_TOKENS,       /* "tokens used" with or without the number */
	RX_NUMBER,
	RX_CUE,          /* the banner or the session line */
};
static struct agent__rx rx_tab[] = {
	[RX_SESSION] = { "^session id: (" UUID ")\\s*$", 0, NULL },
	[RX_TS] = { "^\\[\\d{4}-\\d\\d-\\d\\dT[0-9:.]+Z?\\] ", 0, NULL },
	[RX_EXEC] = { "^(?:exec )?(.+) in (/.*|~.*)$", 0, NULL },
	[RX_STATUS] = { "^(?:(.*) )?(?:(succeeded)|exited (-?\\d+)|failed) in [\\d.]+m?s:?$", 0, NULL },
	[RX_SHELL] = { "^(?:/usr)?(?:/bin/)?(?:ba|z|da)?sh -l?c (.+)$", 0, NULL },
	[RX_TOKENS] = { "^tokens used(?::?\\s*([\\d,]+))?$", 0, NULL },
	[RX_NUMBER] = { "^[\\d,.]+$", 0, NULL },
	[RX_CUE] = { "^(?:\\[[^\\]]*\\] )?OpenAI Codex v\\d|^session id: " UUID "\\s*$", 0, NULL },
};
static struct agent__rxset rxs = AGENT__RXSET(rx_tab);

/* ==== exec --json ======================================================= */

/* What this dialect knows (format drift, json.h): the line types and the
 * item types (named "item.type=…" whatever the line's phase) that the
 * code below reads, as Codex 0.169.0 and 0.171.0 write them, and the item
 * types of Codex's exec protocol it reads beside them. */
static const char *const known[] = {
	"thread.started", "turn.started", "turn.completed", "turn.failed", "error",
	"item.started", "item.updated", "item.completed",
	"item.type=agent_message", "item.type=command_execution",
	"item.type=file_change", "item.type=reasoning", "item.type=error",
	"item.type=mcp_tool_call", "item.type=web_search", "item.type=todo_list",
	NULL
};

struct codex {
	struct agent__json j;
	int turn_open;          /* turn.started, and no turn.completed/failed yet */
};

static void *
codex_new(enum agent_dialect d)
{
	struct codex *x = agent__json_new(sizeof(struct codex), d, agent__valid_uuid);

	if (x != NULL)
		x->j.known = known;
	return x;
}

/* started / updated / completed: where an item is in its life */
enum phase { PH_START, PH_UPDATE, PH_DONE };

static enum agent_tool_status
item_status(struct agent__jval *item, enum phase ph)
{
	const char *s = agent__jstr(item, "status");

	if (s != NULL && (strcmp(s, "failed") == 0 || strcmp(s, "declined") == 0))
		return AGENT_TOOL_ERROR;
	if (ph != PH_DONE || (s != NULL && strcmp(s, "in_progress") == 0))
		return AGENT_TOOL_RUNNING;
	return AGENT_TOOL_COMPLETED;
}

/* One TOOL event per file of a file_change, each paired by "<id>#<n>". */
static int
file_change(struct codex *x, struct agent__jval *item, enum phase ph)
{
	struct agent__jval *changes = agent__jget(item, "changes");
	const char *id = agent__jstr(item, "id");
	struct agent_event e;
	char cid[128];
	size_t i, n;
	int r;

	if (changes == NULL || !agent__jval_is(changes, AGENT__JV_ARRAY))
		return 0;
	n = agent__jval_len(changes);
	for (i = 0; i < n; i++) {
		struct agent__jval *c = agent__jval_idx(changes, i);
		const char *kind = agent__jstr(c, "kind");

		agent_event_init(&e);
		e.kind = AGENT_EV_TOOL;
		e.tool = "file_change";
		e.status = item_status(item, ph);
		e.path = agent__jstr(c, "path");
		e.title = agent__first_line(&x->j, e.path);
		e.tkind = AGENT_TK_EDIT;
		if (kind != NULL && strcmp(kind, "add") == 0)
			e.tkind = AGENT_TK_WRITE;
		else if (kind != NULL && strcmp(kind, "delete") == 0)
			e.tkind = AGENT_TK_DELETE;
		if (id != NULL) {
			if (i == 0)
				e.call_id = id;
			else if ((size_t)snprintf(cid, sizeof cid, "%s#%zu", id, i) < sizeof cid)
				e.call_id = agent__json_strdup(&x->j, cid);
		}
		if ((r = agent__json_emit(&x->j, &e)) != 0)
			return r;
	}
	return 0;
}

static int
item_line(struct codex *x, struct agent__jval *item, enum phase ph)
{
	const char *type = agent__jstr(item, "type");
	struct agent_event e;
	long long v;

	agent__json_knows(&x->j, "item", "type", type);
	if (type == NULL)
		return 0;
	agent_event_init(&e);
	if (strcmp(type, "file_change") == 0)
		return file_change(x, item, ph);
	if (strcmp(type, "command_execution") == 0) {
		e.kind = AGENT_EV_TOOL;
		e.tool = type;
		e.tkind = AGENT_TK_SHELL;
		e.call_id = agent__jstr(item, "id");
		e.title = agent__first_line(&x->j,
		    agent__unwrap_shell(&x->j, agent__jstr(item, "command")));
		e.status = item_status(item, ph);
		if (agent__jint(item, "exit_code", &v) && v >= -255 && v <= 255)
			e.exit_code = (int)v;
		if (e.exit_code > 0 && ph == PH_DONE)
			e.status = AGENT_TOOL_ERROR;
		if (e.status != AGENT_TOOL_RUNNING)
			e.text = agent__jstr(item, "aggregated_output");
	} else if (strcmp(type, "mcp_tool_call") == 0) {
		const char *server = agent__jstr(item, "server");
		const char *tool = agent__jstr(item, "tool");
		char t[256];

		e.kind = AGENT_EV_TOOL;
		e.tool = tool != NULL ? tool : type;
		e.call_id = agent__jstr(item, "id");
		e.status = item_status(item, ph);
		if (server != NULL && tool != NULL &&
		    (size_t)snprintf(t, sizeof t, "%s.%s", server, tool) < sizeof t)
			e.title = agent__json_strdup(&x->j, t);
		e.text = agent__jstr(agent__jget(item, "error"), "message");
	} else if (strcmp(type, "web_search") == 0) {
		e.kind = AGENT_EV_TOOL;
		e.tool = type;
		e.tkind = AGENT_TK_FETCH;
		e.call_id = agent__jstr(item, "id");
		e.status = item_status(item, ph);
		e.title = agent__first_line(&x->j, agent__jstr(item, "query"));
	} else if (strcmp(type, "todo_list") == 0) {
		struct agent__jval *items = agent__jget(item, "items");
		size_t i, n;

		e.kind = AGENT_EV_TOOL;
		e.tool = type;
		e.tkind = AGENT_TK_TODO;
		e.call_id = agent__jstr(item, "id");
		e.status = ph == PH_DONE ? AGENT_TOOL_COMPLETED : AGENT_TOOL_RUNNING;
		n = items != NULL && agent__jval_is(items, AGENT__JV_ARRAY)
		    ? agent__jval_len(items) : 0;
		for (i = 0; i < n && e.title == NULL; i++) {
			struct agent__jval *t = agent__jval_idx(items, i);

			if (agent__jbool(t, "completed") != 1)
				e.title = agent__first_line(&x->j, agent__jstr(t, "text"));
		}
	} else if (ph != PH_DONE) {
		/* Only the tools above have a life worth following. */
		return 0;
	} else if (strcmp(type, "agent_message") == 0) {
		e.kind = AGENT_EV_TEXT;
		e.text = agent__jstr(item, "text");
		e.title = agent__first_line(&x->j, e.text);
		if (e.title == NULL)
			return 0;
	} else if (strcmp(type, "reasoning") == 0) {
		e.kind = AGENT_EV_STEP;
		e.title = "reasoning";
		e.text = agent__jstr(item, "text");
	} else if (strcmp(type, "error") == 0) {
		/* A warning item: the turn goes on. */
		agent__json_error(&x->j, &e, agent__jstr(item, "message"), -1, 0);
	} else {
		e.kind = AGENT_EV_STEP;
		e.title = type;
	}
	return agent__json_emit(&x->j, &e);
}

static int
codex_obj(void *v, struct agent__jval *o)
{
	struct codex *x = v;
	struct agent_event e;
	struct agent__jval *usage;
	const char *type;
	int r = 0;

	type = agent__jstr(o, "type");
	agent_event_init(&e);
	if (!agent__json_knows(&x->j, type, NULL, NULL)) {
		;
	} else if (strcmp(type, "thread.started") == 0) {
		r = agent__json_session(&x->j, agent__jstr(o, "thread_id"));
	} else if (strcmp(type, "turn.started") == 0) {
		x->turn_open = 1;
		e.kind = AGENT_EV_STEP;
		e.title = "turn started";
		r = agent__json_emit(&x->j, &e);
	} else if (strcmp(type, "turn.completed") == 0) {
		x->turn_open = 0;
		usage = agent__jget(o, "usage");
		e.kind = AGENT_EV_DONE;
		e.final = 1;
		agent__json_tokens(usage, &e);
		r = agent__json_emit(&x->j, &e);
	} else if (strcmp(type, "turn.failed") == 0) {
		x->turn_open = 0;
		const char *msg = agent__jstr(agent__jget(o, "error"), "message");

		agent__json_error(&x->j, &e, msg != NULL ? msg : "turn failed", -1, 1);
		r = agent__json_emit(&x->j, &e);
	} else if (strcmp(type, "error") == 0) {
		const char *msg = agent__jstr(o, "message");

		agent__json_error(&x->j, &e, msg != NULL ? msg : "error", -1, 0);
		r = agent__json_emit(&x->j, &e);
	} else if (strcmp(type, "item.started") == 0) {
		r = item_line(x, agent__jget(o, "item"), PH_START);
	} else if (strcmp(type, "item.updated") == 0) {
		r = item_line(x, agent__jget(o, "item"), PH_UPDATE);
	} else if (strcmp(type, "item.completed") == 0) {
		r = item_line(x, agent__jget(o, "item"), PH_DONE);
	}
	return r;
}


/* What codex logs when its session is torn down with items still to
 * record: on SIGINT (0.169.0, 0.171.0) in the middle of a turn, which
 * then has no terminator and exits 1.  (After a turn's end it says the
 * same when its launcher was killed, and means nothing more.) */
#define ROLLOUT_LOST " ERROR codex_core::session: failed to record rollout items: "

static int
codex_line(void *v, const char *line, size_t len, long lineno,
           agent_event_fn fn, void *arg)
{
	struct codex *x = v;
	struct agent_event e;

	if (x->turn_open && len > 0 && line[0] != '{' &&
	    memmem(line, len, ROLLOUT_LOST, sizeof ROLLOUT_LOST - 1) != NULL) {
		x->turn_open = 0;
		agent__json_begin(&x->j, lineno, fn, arg);
		agent_event_init(&e);
		e.kind = AGENT_EV_INTERRUPT;
		e.final = 1;
		e.title = "turn interrupted (its rollout items were lost)";
		return agent__json_emit(&x->j, &e);
	}
	return agent__json_line(v, line, len, lineno, fn, arg, codex_obj, agent__codex_says);
}

/* usage_limit_reached with its resets_at: "You’ve hit your usage limit.
 * … or try again at 12:44 PM." in codex's local time, "try again at Dec
 * 1st, 2026 1:42 PM." on another day ("try again later." without one). */
static double
codex_resets(const char *text, double ref)
{
	static const char at[] = "try again at ", At[] = "Try again at ";
	const char *p = strstr(text, at);

	if (p == NULL && (p = strstr(text, At)) == NULL)
		return -1;
	return agent__reset_clock(p + sizeof at - 1, NULL, ref);
}

const struct agent_dialect_ops agent__codex_json_ops = {
	.new = codex_new,
	.free = agent__json_free,
	.line = codex_line,
	.session_key = "thread_id",
	.session_id = agent__valid_uuid,
	.resets = codex_resets,
	/* turn.completed's usage: the thread's total, resumed runs' included */
	.usage = AGENT_USAGE_SESSION,
};

/* ==== exec: the human transcript on stderr ============================== */

enum section {
	SEC_NONE,      /* before the header, or after an error */
	SEC_HEADER,    /* "OpenAI Codex v…" up to the second "--------" */
	SEC_USER,      /* the prompt */
	SEC_CODEX,     /* assistant text */
	SEC_THINK,     /* reasoning */
	SEC_EXEC_CMD,  /* the command line after "exec" */
	SEC_EXEC_OUT,  /* its status line and output */
	SEC_PATCH,     /* "apply patch": status, paths, diffs */
	SEC_TOKENS,    /* the count after "tokens used" */
	SEC_DONE,      /* after the count: the final message again (stdout) */
};

struct codex_text {
	struct agent__text c;
	enum section sec;
	int rules;              /* "--------" lines seen in the header */
	int cmd_on;             /* a command started, its status not seen */
	long cmd_line;
	char call[32];          /* pairs its start and end */
	struct agent__buf cmd;
	enum agent_tool_status pstatus;
	int ppend;              /* a patched path waits for its diff header */
	long pline;
	enum agent_tool_kind pkind;
	struct agent__buf ppath;
	struct agent__buf lasterr;    /* codex prints its final error twice */
	int interrupted;        /* "turn interrupted": the footer after it is
	                           no completion */
	int mid;                /* started inside the log, no section seen yet */
	struct agent__buf held;       /* there: an ERROR line, until its second copy */
};

static void *
text_new(enum agent_dialect d)
{
	return agent__text_new(sizeof(struct codex_text), d, &rxs);
}

static void
text_mid(void *st)
{
	struct codex_text *p = st;
	p->mid = 1;
}

static void
text_free(void *st)
{
	struct codex_text *p = st;
	if (!p)
		return;
	agent__buf_free(&p->cmd);
	agent__buf_free(&p->ppath);
	agent__buf_free(&p->lasterr);
	agent__buf_free(&p->held);
	agent__text_free(p);
}

static int
text_patch_flush(struct codex_text *p, enum agent_tool_kind k, agent_event_fn fn, void *arg)
{
	struct agent_event e;

	if (!p->ppend)
		return 0;
	p->ppend = 0;
	agent_event_init(&e);
	e.kind = AGENT_EV_TOOL;
	e.status = p->pstatus;
	e.tkind = k;
	e.tool = "apply_patch";
	e.title = e.path = agent__buf_str(&p->ppath);
	return agent__text_emit(&e, p->pline, fn, arg);
}

/* The command inside codex's "/bin/bash -lc '…'" wrapper. */
static const char *
text_command(struct agent__text *c, const char *s, size_t n)
{
	const char *g;
	int rc = agent__rx_match(&rxs, RX_SHELL, s, n, c->md);
	if (rc > 0) {
		size_t k = agent__rx_group(c->md, rc, 1, s, &g);
		if (k >= 2 && g[0] == '\'' && g[k - 1] == '\'') {
			/* Undo the shell quoting: '\'' is one quote. */
			char *o = (char *)agent__text_piece(c, g + 1, k - 2);
			char *w = o;
			for (const char *q = o; *q; ) {
				if (strncmp(q, "'\\''", 4) == 0) {
					*w++ = '\'';
					q += 4;
				} else {
					*w++ = *q++;
				}
			}
			*w = '\0';
			return o;
		}
		if (k >= 2 && g[0] == '"' && g[k - 1] == '"')
			return agent__text_piece(c, g + 1, k - 2);
		return agent__text_piece(c, g, k);
	}
	return agent__text_piece(c, s, n);
}

static int
text_exec_start(struct codex_text *p, const char *s, size_t n, agent_event_fn fn, void *arg)
{
	struct agent__text *c = &p->c;
	struct agent_event e;
	const char *g;
	int rc = agent__rx_match(&rxs, RX_EXEC, s, n, c->md);
	size_t k = rc > 0 ? agent__rx_group(c->md, rc, 1, s, &g) : (g = s, n);
	const char *cmd = text_command(c, g, k);

	agent__buf_set(&p->cmd, cmd, strlen(cmd));
	p->cmd_on = 1;
	p->cmd_line = c->lineno;
	snprintf(p->call, sizeof p->call, "L%ld", c->lineno);
	p->sec = SEC_EXEC_OUT;
	agent_event_init(&e);
	e.call_id = p->call;
	e.kind = AGENT_EV_TOOL;
	e.status = AGENT_TOOL_RUNNING;
	e.tkind = AGENT_TK_SHELL;
	e.tool = "exec_command";
	e.title = cmd;
	return agent__text_emit(&e, c->lineno, fn, arg);
}

/* *hit says whether t was a section marker. */
static int
text_marker(struct codex_text *p, const char *t, int *hit, agent_event_fn fn, void *arg)
{
	static const struct {
		const char *m;
		enum section sec;
	} mk[] = {
		{ "user", SEC_USER }, { "codex", SEC_CODEX }, { "thinking", SEC_THINK },
		{ "exec", SEC_EXEC_CMD }, { "apply patch", SEC_PATCH }, { "apply_patch", SEC_PATCH },
	};
	for (size_t i = 0; i < sizeof mk / sizeof mk[0]; i++) {
		if (strcmp(t, mk[i].m) != 0)
			continue;
		*hit = 1;
		int r = text_patch_flush(p, AGENT_TK_EDIT, fn, arg);
		if (r)
			return r;
		p->sec = mk[i].sec;
		p->interrupted = 0;
		p->pstatus = AGENT_TOOL_COMPLETED;
		if (mk[i].sec == SEC_THINK)
			return agent__text_simple(&p->c, AGENT_EV_STEP, "thinking", fn, arg);
		return 0;
	}
	*hit = 0;
	return 0;
}

static int
text_patch(struct codex_text *p, const char *t, agent_event_fn fn, void *arg)
{
	static const char *const diffhdr[] = {
		"diff --git", "index ", "--- ", "+++ ", "@@", "similarity", "rename ",
		"old mode", "new mode", "\\ No newline", "Binary files",
	};
	struct agent__text *c = &p->c;

	if (agent__starts(t, "patch: ")) {
		p->pstatus = strstr(t, "completed") ? AGENT_TOOL_COMPLETED : AGENT_TOOL_ERROR;
		return 0;
	}
	if (agent__starts(t, "new file mode"))
		return text_patch_flush(p, AGENT_TK_WRITE, fn, arg);
	if (agent__starts(t, "deleted file mode"))
		return text_patch_flush(p, AGENT_TK_DELETE, fn, arg);
	for (size_t i = 0; i < sizeof diffhdr / sizeof diffhdr[0]; i++)
		if (agent__starts(t, diffhdr[i]))
			return agent__starts(t, "diff --git") ? 0 : text_patch_flush(p, p->pkind, fn, arg);
	if (t[0] == '+' || t[0] == '-' || t[0] == ' ' || !t[0])
		return 0;
	int r = text_patch_flush(p, p->pkind, fn, arg);
	if (r)
		return r;
	p->pkind = AGENT_TK_EDIT;
	/* Older releases list "A path" / "M path" / "D path". */
	if ((t[0] == 'A' || t[0] == 'M' || t[0] == 'D') && t[1] == ' ') {
		p->pkind = t[0] == 'A' ? AGENT_TK_WRITE : t[0] == 'D' ? AGENT_TK_DELETE : AGENT_TK_EDIT;
		t += 2;
	}
	agent__buf_set(&p->ppath, t, strlen(t));
	p->ppend = 1;
	p->pline = c->lineno;
	return 0;
}

/* "ERROR: …": codex's own error, a retry notice, or (inside a command's
 * output, or read from inside the log before any section) the command's.
 * *hit when the line was taken. */
static int
text_error(struct codex_text *p, const char *t, int held, int *hit, agent_event_fn fn, void *arg)
{
	struct agent__text *c = &p->c;
	const char *msg = agent__text_trimmed(c, t + strlen("ERROR: "));
	int retry = agent__is_retry(msg), r;

	*hit = 1;
	/* Started inside the log, before any section: this may be the end
	 * of a command's output.  Codex prints its final error twice, so
	 * the second copy says it is codex's. */
	if (retry)
		p->mid = 0;
	if (p->mid && p->sec == SEC_NONE) {
		if (!held || strcmp(agent__buf_str(&p->lasterr), msg) != 0) {
			agent__buf_set(&p->lasterr, msg, strlen(msg));
			agent__buf_set(&p->held, msg, strlen(msg));
			return 0;
		}
		p->mid = 0;
		agent__buf_clear(&p->lasterr);
	}
	/* Command output may say "ERROR:" too; codex's own retry notices
	 * are recognisable, and end any output. */
	if (p->sec == SEC_EXEC_OUT && !retry) {
		*hit = 0;
		return 0;
	}
	if ((r = text_patch_flush(p, p->pkind, fn, arg)) != 0)
		return r;
	p->sec = SEC_NONE;
	if (retry)
		return agent__text_error(c, msg, 0, fn, arg);
	if (p->lasterr.len && strcmp(agent__buf_str(&p->lasterr), msg) == 0)
		return 0;
	agent__buf_set(&p->lasterr, msg, strlen(msg));
	return agent__text_error(c, msg, 1, fn, arg);
}

/* The banner, the session id and the header up to its second rule.
 * *hit when the line was taken. */
static int
text_header(struct codex_text *p, const char *t, size_t tn, int *hit, agent_event_fn fn, void *arg)
{
	struct agent__text *c = &p->c;
	struct agent_event e;
	const char *g;
	int rc;

	*hit = 1;
	if (agent__rx_match(&rxs, RX_CUE, t, tn, c->md) > 0 && strstr(t, "OpenAI Codex v")) {
		p->sec = SEC_HEADER;
		p->rules = 0;
		p->interrupted = 0;
		return 0;
	}
	if (p->sec != SEC_HEADER && p->sec != SEC_NONE) {
		*hit = 0;
		return 0;
	}
	if ((rc = agent__rx_match(&rxs, RX_SESSION, t, tn, c->md)) > 0) {
		size_t k = agent__rx_group(c->md, rc, 1, t, &g);
		return agent__text_session(c, agent__text_piece(c, g, k), fn, arg);
	}
	if (p->sec != SEC_HEADER) {
		*hit = 0;
		return 0;
	}
	if (strcmp(t, "--------") == 0 && ++p->rules >= 2)
		p->sec = SEC_NONE;
	if (!agent__starts(t, "model: "))
		return 0;
	agent_event_init(&e);
	e.kind = AGENT_EV_MODEL;
	e.model = agent__skip_blanks(t + strlen("model: "));
	return agent__text_emit(&e, c->lineno, fn, arg);
}

/* " succeeded in 0ms:" / " exited 2 in 5ms:": the running command ends. */
static int
text_exec_end(struct codex_text *p, const char *t, agent_event_fn fn, void *arg)
{
	struct agent__text *c = &p->c;
	const char *u = agent__skip_blanks(t), *ok, *code;
	struct agent_event e;
	size_t kok, kcode;
	int rc;

	if (!p->cmd_on || (rc = agent__rx_match(&rxs, RX_STATUS, u, strlen(u), c->md)) <= 0)
		return 0;
	kok = agent__rx_group(c->md, rc, 2, u, &ok);
	kcode = agent__rx_group(c->md, rc, 3, u, &code);
	agent_event_init(&e);
	e.kind = AGENT_EV_TOOL;
	e.tkind = AGENT_TK_SHELL;
	e.tool = "exec_command";
	e.title = agent__buf_str(&p->cmd);
	e.call_id = p->call;
	e.status = kok ? AGENT_TOOL_COMPLETED : AGENT_TOOL_ERROR;
	e.exit_code = kok ? 0 : kcode ? atoi(agent__text_piece(c, code, kcode)) : -1;
	p->cmd_on = 0;
	return agent__text_emit(&e, c->lineno, fn, arg);
}

/* "tokens used" over its count ends the run; older releases printed
 * "tokens used: N" after every model reply.  *hit when taken. */
static int
text_tokens(struct codex_text *p, const char *t, size_t tn, int *hit, agent_event_fn fn, void *arg)
{
	struct agent__text *c = &p->c;
	const char *g;
	int rc, r;

	*hit = 1;
	if ((rc = agent__rx_match(&rxs, RX_TOKENS, t, tn, c->md)) > 0) {
		if ((r = text_patch_flush(p, p->pkind, fn, arg)) != 0)
			return r;
		if (agent__rx_group(c->md, rc, 1, t, &g) == 0) {
			p->sec = SEC_TOKENS;
			return 0;
		}
		return agent__text_simple(c, AGENT_EV_STEP, t, fn, arg);
	}
	if (p->sec == SEC_TOKENS && agent__rx_match(&rxs, RX_NUMBER, t, tn, c->md) > 0) {
		p->sec = SEC_DONE;
		/* printed after an interrupted turn too (0.171.0) */
		if (p->interrupted)
			return 0;
		return agent__text_simple(c, AGENT_EV_DONE, "tokens used", fn, arg);
	}
	*hit = 0;
	return 0;
}

/* "turn interrupted": codex says it stopped the turn (SIGINT), after the
 * last section and before its "tokens used" footer.  Not in the prompt;
 * anywhere else a line of just these words is taken for codex's own, and
 * should work go on after it (a command's output said it), the next
 * section takes it back.  *hit when taken. */
static int
text_interrupted(struct codex_text *p, const char *t, int *hit, agent_event_fn fn, void *arg)
{
	int r;

	*hit = p->sec != SEC_USER && strcmp(t, "turn interrupted") == 0;
	if (!*hit)
		return 0;
	if ((r = text_patch_flush(p, p->pkind, fn, arg)) != 0)
		return r;
	p->interrupted = 1;
	p->cmd_on = 0;
	p->sec = SEC_NONE;
	return agent__text_simple(&p->c, AGENT_EV_INTERRUPT, t, fn, arg);
}

static int
text_line(void *st, const char *raw, size_t n, long lineno, agent_event_fn fn, void *arg)
{
	struct codex_text *p = st;
	struct agent__text *c = &p->c;
	const char *s, *t;
	size_t len, tn;
	int r, hit, held = p->held.len > 0;

	agent__text_begin(c, raw, n, lineno);
	s = agent__buf_str(&c->ln);
	len = c->ln.len;
	if (agent__rx_match(&rxs, RX_TS, s, len, c->md) > 0) {
		s += agent__rx_end(c->md);
		len -= agent__rx_end(c->md);
	}
	t = agent__text_piece(c, s, agent__rtrim_len(s, len));
	tn = strlen(t);
	agent__buf_clear(&p->held);
	if (p->sec != SEC_NONE)
		p->mid = 0;
	if (agent__starts(t, "ERROR: ") && ((r = text_error(p, t, held, &hit, fn, arg)) != 0 || hit))
		return r;
	if (agent__starts(t, "Error: ") && ((p->sec == SEC_NONE && !p->mid) || p->sec == SEC_HEADER ||
	                                    p->sec == SEC_DONE || agent__starts(t, "Error: thread/")))
		return agent__text_error(c, agent__text_trimmed(c, t + strlen("Error: ")), 1, fn, arg);
	if ((r = text_header(p, t, tn, &hit, fn, arg)) != 0 || hit)
		return r;
	if ((r = text_tokens(p, t, tn, &hit, fn, arg)) != 0 || hit)
		return r;
	if ((r = text_interrupted(p, t, &hit, fn, arg)) != 0 || hit)
		return r;
	if ((r = text_marker(p, t, &hit, fn, arg)) != 0 || hit || p->sec == SEC_DONE)
		return r;   /* after the count only a new section counts */
	if (agent__starts(t, "exec ") && agent__rx_match(&rxs, RX_EXEC, t, tn, c->md) > 0)
		return text_exec_start(p, t + strlen("exec "), tn - strlen("exec "), fn, arg);  /* older one-line form */
	switch (p->sec) {
	case SEC_CODEX:
		return agent__text_say(c, agent__text_trimmed(c, t), fn, arg);
	case SEC_EXEC_CMD:
		return *t ? text_exec_start(p, t, tn, fn, arg) : 0;
	case SEC_EXEC_OUT:
		return text_exec_end(p, t, fn, arg);
	case SEC_PATCH:
		return text_patch(p, t, fn, arg);
	default:
		return 0;
	}
}

static int
text_end(void *st, agent_event_fn fn, void *arg)
{
	struct codex_text *p = st;
	return text_patch_flush(p, p->pkind, fn, arg);
}

size_t
agent__codex_text_session(const char *line, size_t len, char *buf, size_t buflen)
{
	if (len < 11 || !memmem(line, len > 256 ? 256 : len, "session id: ", 12))
		return 0;
	return agent__text_session_rx(&rxs, RX_SESSION, line, len, buf, buflen);
}

const struct agent_dialect_ops agent__codex_text_ops = {
	.new = text_new, .free = text_free, .line = text_line, .end = text_end,
	.session = agent__codex_text_session, .mid = text_mid,
	.resets = codex_resets,
};


/* ==== what codex prints on stderr ======================================= */

enum agent__says
agent__codex_says(const char *t, enum agent_dialect as, const char **msg, size_t *len)
{
	(void)msg, (void)len;
	/* a fatal error (bad resume id, bad config) is "Error: …", and codex
	 * exits; its log lines read "ERROR codex_…" */
	if (as == AGENT_D_GENERIC)
		return agent__starts(t, "Error: thread/resume") ? AGENT__SAYS_FATAL : AGENT__SAYS_NOTHING;
	return agent__starts(t, "Error: ") ? AGENT__SAYS_FATAL : AGENT__SAYS_NOTHING;
}

/* ==== recognising a codex log =========================================== */

enum agent_dialect
agent__codex_cue(const struct agent__cue *l, int *strong)
{
	char type[40];
	pcre2_match_data *md;
	int hit;

	*strong = 1;
	if (l->json != NULL) {
		agent__jhead_type(l->json, type, sizeof type);
		if (strcmp(type, "thread.started") == 0 || strcmp(type, "turn.started") == 0 ||
		    strcmp(type, "turn.completed") == 0 || strcmp(type, "turn.failed") == 0 ||
		    strncmp(type, "item.", 5) == 0)
			return AGENT_D_CODEX_JSON;
		return AGENT_D_GENERIC;
	}
	if (agent__rx_compile(&rxs) < 0 || (md = agent__rx_md()) == NULL)
		return AGENT_D_GENERIC;
	hit = agent__rx_match(&rxs, RX_CUE, l->text, l->len, md) > 0;
	pcre2_match_data_free(md);
	return hit ? AGENT_D_CODEX_TEXT : AGENT_D_GENERIC;
}
