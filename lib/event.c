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
	e->resets_at = -1;
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

	if (putc_unlocked('"', f) == EOF)
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
		if (p > run && fwrite_unlocked(run, 1, p - run, f) != (size_t)(p - run))
			return -1;
		switch (c) {
		case '"': fwrite_unlocked("\\\"", 1, 2, f); break;
		case '\\': fwrite_unlocked("\\\\", 1, 2, f); break;
		case '\n': fwrite_unlocked("\\n", 1, 2, f); break;
		case '\r': fwrite_unlocked("\\r", 1, 2, f); break;
		case '\t': fwrite_unlocked("\\t", 1, 2, f); break;
		default:
			if (c < 0x20) {
				char u[6] = { '\\', 'u', '0', '0', hex[c >> 4], hex[c & 15] };
				fwrite_unlocked(u, 1, 6, f);
			} else
				fwrite_unlocked("\\ufffd", 1, 6, f);
		}
		run = ++p;
	}
	if (p > run && fwrite_unlocked(run, 1, p - run, f) != (size_t)(p - run))
		return -1;
	return putc_unlocked('"', f) == EOF ? -1 : 0;
}

/* The writer below runs once per event over whole logs (agent-tail -j):
 * plain stdio puts and hand-made number formatting, no printf. */
static void
put_lit(FILE *f, const char *s)
{
	fwrite_unlocked(s, 1, strlen(s), f);
}

static void
put_ll(FILE *f, long long v)
{
	char buf[24], *p = buf + sizeof buf;
	unsigned long long u = v < 0 ? -(unsigned long long)v : (unsigned long long)v;

	do
		*--p = '0' + u % 10;
	while ((u /= 10) > 0);
	if (v < 0)
		*--p = '-';
	fwrite_unlocked(p, 1, buf + sizeof buf - p, f);
}

/* v with exactly digits decimals (3: milliseconds, 6: micro-dollars) */
static void
put_fixed(FILE *f, double v, int digits)
{
	long long scale = digits == 3 ? 1000 : 1000000;
	long long n = (long long)(v * scale + (v < 0 ? -0.5 : 0.5));
	char frac[8];

	if (n < 0) {
		putc_unlocked('-', f);
		n = -n;
	}
	put_ll(f, n / scale);
	n %= scale;
	for (int i = digits - 1; i >= 0; i--, n /= 10)
		frac[i] = '0' + n % 10;
	putc_unlocked('.', f);
	fwrite_unlocked(frac, 1, digits, f);
}

static void
json_field_s(FILE *f, const char *key, const char *v)
{
	if (v == NULL)
		return;
	put_lit(f, key);
	agent_json_str(f, v);
}

static void
json_field_n(FILE *f, const char *key, long long v)
{
	put_lit(f, key);
	put_ll(f, v);
}

int
agent_event_write_json(FILE *f, const struct agent_event *e)
{
	put_lit(f, "{\"kind\":\"");
	put_lit(f, agent_ev_kind_name(e->kind));
	putc_unlocked('"', f);
	if (e->line > 0)
		json_field_n(f, ",\"line\":", e->line);
	if (e->ts >= 0) {
		put_lit(f, ",\"ts\":");
		put_fixed(f, e->ts, 3);
	}
	json_field_s(f, ",\"session\":", e->session);
	json_field_s(f, ",\"model\":", e->model);
	if (e->kind == AGENT_EV_TOOL) {
		json_field_s(f, ",\"tool\":", e->tool);
		put_lit(f, ",\"tool_kind\":\"");
		put_lit(f, agent_tool_kind_name(e->tkind));
		put_lit(f, "\",\"status\":\"");
		put_lit(f, agent_tool_status_name(e->status));
		putc_unlocked('"', f);
	}
	json_field_s(f, ",\"call_id\":", e->call_id);
	json_field_s(f, ",\"path\":", e->path);
	json_field_s(f, ",\"title\":", e->title);
	json_field_s(f, ",\"text\":", e->text);
	if (e->exit_code >= 0)
		json_field_n(f, ",\"exit_code\":", e->exit_code);
	if (e->http_status >= 0)
		json_field_n(f, ",\"http_status\":", e->http_status);
	if (e->tokens_in >= 0)
		json_field_n(f, ",\"tokens_in\":", e->tokens_in);
	if (e->tokens_out >= 0)
		json_field_n(f, ",\"tokens_out\":", e->tokens_out);
	if (e->cost >= 0) {
		put_lit(f, ",\"cost\":");
		put_fixed(f, e->cost, 6);
	}
	if (e->final)
		put_lit(f, ",\"final\":true");
	put_lit(f, "}\n");
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
