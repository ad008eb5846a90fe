/* event.c — the normalized event: names, NDJSON, one-line summary. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "event.h"
#include "vis.h"
#include "jsonw.h"

void
agent_event_init(struct agent_event *e)
{
	memset(e, 0, sizeof *e);
	e->ts = -1;
	e->tokens_in = e->tokens_out = -1;
	e->cost = -1;
	e->exit_code = -1;
	e->http_status = -1;
	e->resets_at = -1;
	e->resets_in = -1;
}

static const char *const kind_names[AGENT_EV__MAX] = {
	"none", "session", "model", "step", "text", "tool", "done", "error",
	"limit", "interrupt", "unknown",
};

const char *
agent_ev_kind_name(enum agent_ev_kind k)
{
	return (unsigned)k < AGENT_EV__MAX ? kind_names[k] : "none";
}

const char *
agent_tool_status_name(enum agent_tool_status s)
{
	static const char *const n[] = { "", "pending", "running", "completed", "error" };
	return (unsigned)s < sizeof n / sizeof n[0] ? n[s] : "";
}

const char *
agent_tool_kind_name(enum agent_tool_kind k)
{
	static const char *const n[] = { "other", "read", "write", "edit", "delete",
		"shell", "search", "fetch", "task", "todo" };
	return (unsigned)k < sizeof n / sizeof n[0] ? n[k] : "other";
}

/* Absent fields are left out, not null: an event says only what it knows. */
int
agent_event_write_json(FILE *f, const struct agent_event *e)
{
	struct agent_jw w;

	agent_jw_begin(&w, f);
	agent_jw_str(&w, "kind", agent_ev_kind_name(e->kind));
	if (e->line > 0)
		agent_jw_int(&w, "line", e->line);
	if (e->ts >= 0)
		agent_jw_fixed(&w, "ts", e->ts, 3);
	if (e->session)
		agent_jw_str(&w, "session", e->session);
	if (e->model)
		agent_jw_str(&w, "model", e->model);
	if (e->kind == AGENT_EV_TOOL) {
		if (e->tool)
			agent_jw_str(&w, "tool", e->tool);
		agent_jw_str(&w, "tool_kind", agent_tool_kind_name(e->tkind));
		agent_jw_str(&w, "status", agent_tool_status_name(e->status));
	}
	if (e->call_id)
		agent_jw_str(&w, "call_id", e->call_id);
	if (e->path)
		agent_jw_str(&w, "path", e->path);
	if (e->title)
		agent_jw_str(&w, "title", e->title);
	if (e->text)
		agent_jw_str(&w, "text", e->text);
	if (e->exit_code >= 0)
		agent_jw_int(&w, "exit_code", e->exit_code);
	if (e->http_status >= 0)
		agent_jw_int(&w, "http_status", e->http_status);
	if (e->resets_at >= 0)
		agent_jw_fixed(&w, "resets_at", e->resets_at, 3);
	if (e->resets_in >= 0)
		agent_jw_fixed(&w, "resets_in", e->resets_in, 3);
	if (e->tokens_in >= 0)
		agent_jw_int(&w, "tokens_in", e->tokens_in);
	if (e->tokens_out >= 0)
		agent_jw_int(&w, "tokens_out", e->tokens_out);
	if (e->cost >= 0)
		agent_jw_fixed(&w, "cost", e->cost, 6);
	if (e->final)
		agent_jw_bool(&w, "final", 1);
	if (e->unknown)
		agent_jw_str(&w, "unknown", e->unknown);
	return agent_jw_end(&w);
}

/* The icon and verb a summary line starts with, opencode's own notation. */
static const char *
tool_icon(enum agent_tool_kind k)
{
	switch (k) {
	case AGENT_TK_READ: return "\xe2\x86\x92";   /* → */
	case AGENT_TK_WRITE:
	case AGENT_TK_EDIT:
	case AGENT_TK_DELETE: return "\xe2\x86\x90"; /* ← */
	case AGENT_TK_SHELL: return "$";
	case AGENT_TK_SEARCH: return "\xe2\x9c\xb1"; /* ✱ */
	case AGENT_TK_FETCH: return "%";
	case AGENT_TK_TASK:
	case AGENT_TK_TODO: return "#";
	default: return "\xe2\x9a\x99";               /* ⚙ */
	}
}

static const char *
tool_verb(const struct agent_event *e)
{
	switch (e->tkind) {
	case AGENT_TK_READ: return "Read";
	case AGENT_TK_WRITE: return "Write";
	case AGENT_TK_EDIT: return "Edit";
	case AGENT_TK_DELETE: return "Delete";
	case AGENT_TK_SHELL: return NULL;
	case AGENT_TK_SEARCH: return e->tool ? e->tool : "Search";
	case AGENT_TK_FETCH: return e->tool ? e->tool : "Fetch";
	case AGENT_TK_TODO: return "Todos";
	default: return e->tool ? e->tool : "tool";
	}
}

/* Writes s up to its first newline, made visible, within *room columns. */
static int
put_vis(FILE *f, const char *s, int *room)
{
	size_t len, n;
	const char *nl;

	if (s == NULL || *room == 0)
		return 0;
	nl = strchr(s, '\n');
	len = nl ? (size_t)(nl - s) : strlen(s);
	if (len > 0 && s[len - 1] == '\r')
		len--;
	n = len;
	if (*room > 0) {
		n = agent_vis_cut(s, len, *room);
		*room -= (int)n > *room ? *room : (int)n; /* bytes >= columns: a bound */
	}
	return agent_vis_write(f, s, n, 0);
}

static int write_line(FILE *f, const struct agent_event *e);

int
agent_event_write_line(FILE *f, const struct agent_event *e, int width)
{
	char *buf = NULL;
	size_t len = 0, n;
	FILE *m;
	int r;

	if (width <= 0)
		return write_line(f, e);
	/* render, then cut whole characters: the width is the whole line's */
	if ((m = open_memstream(&buf, &len)) == NULL)
		return -1;
	r = write_line(m, e);
	if (fclose(m) != 0)
		r = -1;
	if (r == 1) {
		n = agent_vis_cut(buf, len - 1, width);
		if (fwrite(buf, 1, n, f) != n || putc('\n', f) == EOF)
			r = -1;
	}
	free(buf);
	return r;
}

static int
write_line(FILE *f, const struct agent_event *e)
{
	int room = -1;
	const char *arg, *verb;
	char buf[128];

	switch (e->kind) {
	case AGENT_EV_TOOL:
		arg = e->title ? e->title : e->path;
		verb = tool_verb(e);
		if (e->status == AGENT_TOOL_ERROR) {
			fputs("\xe2\x9c\x97 ", f);                 /* ✗ */
			if (verb)
				fprintf(f, "%s ", verb);
			put_vis(f, arg, &room);
			fputs(" failed", f);
		} else {
			fprintf(f, "%s ", tool_icon(e->tkind));
			if (verb) {
				fputs(verb, f);
				if (arg)
					putc(' ', f);
			}
			put_vis(f, arg, &room);
		}
		break;
	case AGENT_EV_TEXT:
		arg = e->title ? e->title : e->text;
		if (arg == NULL || *arg == '\0')
			return 0;
		put_vis(f, arg, &room);
		break;
	case AGENT_EV_ERROR:
		fputs(e->final ? "\xe2\x9c\x97 error: " : "! ", f);
		put_vis(f, e->text ? e->text : e->title ? e->title : "(no message)", &room);
		break;
	case AGENT_EV_LIMIT:
		fputs("\xe2\x9c\x97 limit: ", f);
		put_vis(f, e->text ? e->text : e->title ? e->title : "(no message)", &room);
		break;
	case AGENT_EV_INTERRUPT:
		fputs("\xe2\x9c\x97 interrupted", f);
		break;
	case AGENT_EV_UNKNOWN:
		fputs("? unknown to agentutils: ", f);
		put_vis(f, e->unknown ? e->unknown : e->title ? e->title : "?", &room);
		break;
	case AGENT_EV_DONE:
		fputs("\xe2\x9c\x93 done", f);                     /* ✓ */
		if (e->tokens_in >= 0 || e->tokens_out >= 0 || e->cost >= 0) {
			int n = 0;
			fputs(" (", f);
			if (e->tokens_in >= 0)
				n += fprintf(f, "in %lld", e->tokens_in) > 0;
			if (e->tokens_out >= 0)
				n += fprintf(f, "%sout %lld", n ? ", " : "", e->tokens_out) > 0;
			if (e->cost >= 0) {
				snprintf(buf, sizeof buf, "%s$%.4f", n ? ", " : "", e->cost);
				fputs(buf, f);
			}
			putc(')', f);
		}
		break;
	case AGENT_EV_SESSION:
		if (e->session == NULL)
			return 0;
		fputs("session ", f);
		put_vis(f, e->session, &room);
		break;
	case AGENT_EV_MODEL:
		if (e->model == NULL && e->title == NULL)
			return 0;
		fputs("model ", f);
		put_vis(f, e->model ? e->model : e->title, &room);
		if (e->model && e->title) {
			fputs(" (", f);
			put_vis(f, e->title, &room);
			putc(')', f);
		}
		break;
	default:
		return 0;
	}
	putc('\n', f);
	return ferror(f) ? -1 : 1;
}

/* Summary lines for a stream of events: a tool is shown once, when it
 * starts; its end only when it failed or when its start was never seen
 * (opencode prints tools only when they finish). */
#define LINER_OPEN 64
struct agent_liner {
	char *open[LINER_OPEN];  /* call ids (or tool+title) of started tools */
	size_t next;
};

struct agent_liner *
agent_liner_new(void)
{
	return calloc(1, sizeof(struct agent_liner));
}

void
agent_liner_free(struct agent_liner *l)
{
	if (l == NULL)
		return;
	for (size_t i = 0; i < LINER_OPEN; i++)
		free(l->open[i]);
	free(l);
}

static char *
tool_key(const struct agent_event *e)
{
	char *k;
	if (e->call_id)
		return strdup(e->call_id);
	if (asprintf(&k, "%d\x1f%s\x1f%s", e->tkind, e->tool ? e->tool : "",
	    e->title ? e->title : e->path ? e->path : "") < 0)
		return NULL;
	return k;
}

int
agent_liner_write(struct agent_liner *l, FILE *f, const struct agent_event *e,
    int width)
{
	char *k;
	size_t i;

	if (e->kind != AGENT_EV_TOOL || (k = tool_key(e)) == NULL)
		return agent_event_write_line(f, e, width);
	if (e->status == AGENT_TOOL_RUNNING || e->status == AGENT_TOOL_PENDING) {
		for (i = 0; i < LINER_OPEN; i++)
			if (l->open[i] && strcmp(l->open[i], k) == 0) {
				free(k);   /* pending then running: one line */
				return 0;
			}
		free(l->open[l->next]);
		l->open[l->next] = k;
		l->next = (l->next + 1) % LINER_OPEN;
		return agent_event_write_line(f, e, width);
	}
	for (i = 0; i < LINER_OPEN; i++)
		if (l->open[i] && strcmp(l->open[i], k) == 0) {
			free(l->open[i]);
			l->open[i] = NULL;
			free(k);
			return e->status == AGENT_TOOL_ERROR ?
			    agent_event_write_line(f, e, width) : 0;
		}
	free(k);
	return agent_event_write_line(f, e, width);
}
