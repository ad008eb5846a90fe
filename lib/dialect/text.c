/* text.c — the text toolkit of the agent files: lines without escape
 * sequences, pieces of them for events, and the events text lines make. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "rules.h"
#include "text.h"

size_t
agent__strip_escapes(char *out, const char *s, size_t n, size_t *dim)
{
	size_t i = 0, o = 0;

	*dim = SIZE_MAX;
	while (i < n) {
		unsigned char ch = (unsigned char)s[i];

		if (ch == 0x1b) {
			if (i + 1 < n && s[i + 1] == '[') {
				size_t j = i + 2, p0 = j, p1;

				while (j < n && (unsigned char)s[j] >= 0x30 && (unsigned char)s[j] <= 0x3f)
					j++;
				p1 = j;
				while (j < n && (unsigned char)s[j] >= 0x20 && (unsigned char)s[j] <= 0x2f)
					j++;
				if (j < n && s[j] == 'm' && p1 - p0 == 1 && s[p0] == '2' && *dim == SIZE_MAX)
					*dim = o;
				i = j < n ? j + 1 : n;
			} else if (i + 1 < n && s[i + 1] == ']') {
				size_t j = i + 2;

				while (j < n && s[j] != '\a' && !(s[j] == 0x1b && j + 1 < n && s[j + 1] == '\\'))
					j++;
				i = j >= n ? n : s[j] == '\a' ? j + 1 : j + 2;
			} else {
				i += i + 1 < n ? 2 : 1;
			}
			continue;
		}
		if (ch != '\0')
			out[o++] = (char)ch;
		i++;
	}
	if (o > 0 && out[o - 1] == '\r')
		o--;
	out[o] = '\0';
	return o;
}

/* s[0:n] without escapes into b (cut at AGENT__TEXT_LINE_MAX). */
static void
strip_into(struct agent__buf *b, const char *s, size_t n, size_t *dim)
{
	agent__buf_clear(b);
	*dim = SIZE_MAX;
	if (n > AGENT__TEXT_LINE_MAX)
		n = AGENT__TEXT_LINE_MAX;
	if (agent__buf_reserve(b, n + 1) < 0)
		return;
	b->len = agent__strip_escapes(b->p, s, n, dim);
}

void *
agent__text_new(size_t size, enum agent_dialect d, struct agent__rxset *rxs)
{
	struct agent__text *c;

	if (rxs != NULL && agent__rx_compile(rxs) < 0)
		return NULL;
	if ((c = calloc(1, size)) == NULL)
		return NULL;
	c->d = d;
	if ((c->md = agent__rx_md()) == NULL) {
		free(c);
		return NULL;
	}
	return c;
}

void
agent__text_fini(struct agent__text *c)
{
	agent__buf_free(&c->ln);
	agent__buf_free(&c->aux);
	pcre2_match_data_free(c->md);
	c->md = NULL;
}

void
agent__text_free(void *v)
{
	if (v == NULL)
		return;
	agent__text_fini(v);
	free(v);
}

/* Pieces are carved out of one line: reserving twice its size up front
 * keeps every pointer handed out stable until the next line. */
static void
aux_reset(struct agent__text *c)
{
	agent__buf_clear(&c->aux);
	(void)agent__buf_reserve(&c->aux, 2 * c->ln.len + 256);
}

void
agent__text_begin(struct agent__text *c, const char *raw, size_t n, long lineno)
{
	c->lineno = lineno;
	c->raw_esc = memchr(raw, 0x1b, n > AGENT__TEXT_LINE_MAX ? AGENT__TEXT_LINE_MAX : n) != NULL;
	strip_into(&c->ln, raw, n, &c->dim);
	aux_reset(c);
}

void
agent__text_swap(struct agent__text *c, struct agent__buf *line)
{
	struct agent__buf t = *line;

	*line = c->ln;
	c->ln = t;
	aux_reset(c);
}

const char *
agent__text_piece(struct agent__text *c, const char *s, size_t n)
{
	char *p;

	if (c->aux.p == NULL || c->aux.len + n + 1 > c->aux.cap)
		return "";
	p = c->aux.p + c->aux.len;
	memcpy(p, s, n);
	p[n] = '\0';
	c->aux.len += n + 1;
	return p;
}

int
agent__starts(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

const char *
agent__after(const char *s, const char *prefix)
{
	size_t n = strlen(prefix);

	return strncmp(s, prefix, n) == 0 ? s + n : NULL;
}

int
agent__blank(const char *s)
{
	for (; *s; s++)
		if (*s != ' ' && *s != '\t')
			return 0;
	return 1;
}

size_t
agent__rtrim_len(const char *s, size_t n)
{
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	return n;
}

const char *
agent__skip_blanks(const char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	return s;
}

const char *
agent__text_trimmed(struct agent__text *c, const char *s)
{
	s = agent__skip_blanks(s);
	return agent__text_piece(c, s, agent__rtrim_len(s, strlen(s)));
}

const char *
agent__text_start(struct agent__text *c, const char *raw, size_t n, long lineno)
{
	const char *t;

	agent__text_begin(c, raw, n, lineno);
	t = agent__text_trimmed(c, agent__buf_str(&c->ln));
	return *t != '\0' ? t : NULL;
}

int
agent__text_emit(struct agent_event *e, long line, agent_event_fn fn, void *arg)
{
	e->line = line;
	return fn(e, arg);
}

int
agent__text_error(struct agent__text *c, const char *msg, int final,
                  agent_event_fn fn, void *arg)
{
	struct agent_event e;

	agent_event_init(&e);
	agent__error_kind(&e, msg, -1, final);
	e.title = e.text = msg;
	return agent__text_emit(&e, c->lineno, fn, arg);
}

int
agent__text_simple(struct agent__text *c, enum agent_ev_kind k, const char *title,
                   agent_event_fn fn, void *arg)
{
	struct agent_event e;

	agent_event_init(&e);
	e.kind = k;
	e.title = e.text = title;
	if (k == AGENT_EV_DONE || k == AGENT_EV_INTERRUPT)
		e.final = 1;
	return agent__text_emit(&e, c->lineno, fn, arg);
}

int
agent__text_session(struct agent__text *c, const char *id, agent_event_fn fn, void *arg)
{
	struct agent_event e;

	agent_event_init(&e);
	e.kind = AGENT_EV_SESSION;
	e.session = id;
	return agent__text_emit(&e, c->lineno, fn, arg);
}

int
agent__text_say(struct agent__text *c, const char *text, agent_event_fn fn, void *arg)
{
	if (*text == '\0')
		return 0;
	return agent__text_simple(c, AGENT_EV_TEXT, text, fn, arg);
}

int
agent__text_stderr(struct agent__text *c, const char *t, agent__says_fn says,
                   int *hit, agent_event_fn fn, void *arg)
{
	const char *msg = t;
	size_t n = strlen(t);
	enum agent__says k = says(t, c->d, &msg, &n);

	*hit = k != AGENT__SAYS_NOTHING;
	if (!*hit)
		return 0;
	return agent__text_error(c, agent__text_piece(c, msg, n), k == AGENT__SAYS_FATAL, fn, arg);
}

void *
agent__text_answer_new(enum agent_dialect d)
{
	return agent__text_new(sizeof(struct agent__text), d, NULL);
}

int
agent__text_answer_line(struct agent__text *c, const char *raw, size_t n, long lineno,
                        agent__says_fn says, agent_event_fn fn, void *arg)
{
	const char *t;
	int r, hit;

	if ((t = agent__text_start(c, raw, n, lineno)) == NULL)
		return 0;
	if ((r = agent__text_stderr(c, t, says, &hit, fn, arg)) != 0 || hit)
		return r;
	return agent__text_say(c, t, fn, arg);
}

size_t
agent__text_session_rx(struct agent__rxset *rxs, int i, const char *line, size_t len,
                       char *buf, size_t buflen)
{
	struct agent__buf b = { 0 };
	pcre2_match_data *md;
	size_t dim, n = 0, k;
	const char *p;
	int rc;

	if (buflen == 0 || agent__rx_compile(rxs) < 0 || (md = agent__rx_md()) == NULL)
		return 0;
	strip_into(&b, line, len, &dim);
	if (b.p != NULL && (rc = agent__rx_match(rxs, i, b.p, b.len, md)) > 0 &&
	    (k = agent__rx_group(md, rc, 1, b.p, &p)) > 0) {
		n = k < buflen - 1 ? k : buflen - 1;
		memcpy(buf, p, n);
		buf[n] = '\0';
	}
	agent__buf_free(&b);
	pcre2_match_data_free(md);
	return n;
}
