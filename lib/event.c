/* event.c — the normalized event: names, NDJSON, one-line summary. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "event.h"
#include "vis.h"

void
agent_event_init(struct agent_event *e)
{
	memset(e, 0, sizeof *e);
	e->ts = -1;
	e->tokens_in = e->tokens_out = -1;
	e->cost = -1;
	e->exit_code = -1;
	e->http_status = -1;
}

static const char *const kind_names[AGENT_EV__MAX] = {
	"none", "session", "model", "step", "text", "tool", "done", "error",
	"limit", "interrupt",
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

/* JSON string body: escapes what JSON needs, replaces invalid UTF-8 with
 * U+FFFD so every line we emit is valid JSON whatever the log held. */
int
agent_json_str(FILE *f, const char *s)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *p = (const unsigned char *)s;
	const unsigned char *run = p;

	if (putc('"', f) == EOF)
		return -1;
	while (*p) {
		unsigned c = *p;
		size_t n = 0;
		if (c >= 0x20 && c != '"' && c != '\\' && c < 0x80) {
			p++;
			continue;
		}
		if (c >= 0x80) {
			/* validate one UTF-8 sequence */
			unsigned cp = 0;
			size_t i;
			if (c >= 0xc2 && c < 0xe0) { n = 2; cp = c & 0x1f; }
			else if (c >= 0xe0 && c < 0xf0) { n = 3; cp = c & 0x0f; }
			else if (c >= 0xf0 && c < 0xf5) { n = 4; cp = c & 0x07; }
			for (i = 1; n && i < n; i++) {
				if ((p[i] & 0xc0) != 0x80) { n = 0; break; }
				cp = cp << 6 | (p[i] & 0x3f);
			}
			if (n == 3 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff)))
				n = 0;
			if (n == 4 && (cp < 0x10000 || cp > 0x10ffff))
				n = 0;
			if (n) {
				p += n;
				continue;
			}
		}
		if (p > run && fwrite(run, 1, p - run, f) != (size_t)(p - run))
			return -1;
		switch (c) {
		case '"': fputs("\\\"", f); break;
		case '\\': fputs("\\\\", f); break;
		case '\n': fputs("\\n", f); break;
		case '\r': fputs("\\r", f); break;
		case '\t': fputs("\\t", f); break;
		default:
			if (c < 0x20)
				fprintf(f, "\\u00%c%c", hex[c >> 4], hex[c & 15]);
			else
				fputs("\\ufffd", f);
		}
		run = ++p;
	}
	if (p > run && fwrite(run, 1, p - run, f) != (size_t)(p - run))
		return -1;
	return putc('"', f) == EOF ? -1 : 0;
}

static void
json_field_s(FILE *f, const char *name, const char *v)
{
	if (v == NULL)
		return;
	fprintf(f, ",\"%s\":", name);
	agent_json_str(f, v);
}

int
agent_event_write_json(FILE *f, const struct agent_event *e)
{
	fprintf(f, "{\"kind\":\"%s\"", agent_ev_kind_name(e->kind));
	if (e->line > 0)
		fprintf(f, ",\"line\":%ld", e->line);
	if (e->ts >= 0)
		fprintf(f, ",\"ts\":%.3f", e->ts);
	json_field_s(f, "session", e->session);
	json_field_s(f, "model", e->model);
	if (e->kind == AGENT_EV_TOOL) {
		json_field_s(f, "tool", e->tool);
		fprintf(f, ",\"tool_kind\":\"%s\",\"status\":\"%s\"",
		    agent_tool_kind_name(e->tkind), agent_tool_status_name(e->status));
	}
	json_field_s(f, "call_id", e->call_id);
	json_field_s(f, "path", e->path);
	json_field_s(f, "title", e->title);
	json_field_s(f, "text", e->text);
	if (e->exit_code >= 0)
		fprintf(f, ",\"exit_code\":%d", e->exit_code);
	if (e->http_status >= 0)
		fprintf(f, ",\"http_status\":%d", e->http_status);
	if (e->tokens_in >= 0)
		fprintf(f, ",\"tokens_in\":%lld", e->tokens_in);
	if (e->tokens_out >= 0)
		fprintf(f, ",\"tokens_out\":%lld", e->tokens_out);
	if (e->cost >= 0)
		fprintf(f, ",\"cost\":%.6f", e->cost);
	if (e->final)
		fputs(",\"final\":true", f);
	fputs("}\n", f);
	return ferror(f) ? -1 : 0;
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
