/* lint_cmd.c — verification commands in a phase prompt: which code spans and
 * lines run a build or test, which one the prompt names as deciding (the
 * many-verify rule), and the one its last step runs (agent_lint_verify). */
#include <ctype.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "lint_int.h"
#include "buf.h"

enum { DECIDES = 1, ADVISORY = 2, JOINT = 4, NAMED = 8 /* in weigh only */ };

struct vcmd {
	size_t off, len;    /* in the text, as written */
	size_t keylen;      /* without a trailing 2>&1: "make check 2>&1" is "make check" */
	size_t line;        /* from 0 */
	unsigned flags;
	size_t kid;         /* weigh: the key's id, the first index holding it */
};

struct vcmds {
	struct vcmd *v;
	size_t n, cap;
	/* weigh's, by key id: a mark, and every flag the key's commands got */
	size_t *mark;
	unsigned *kflags;
};

static void
vcmds_free(struct vcmds *c)
{
	free(c->v);
	free(c->mark);
	free(c->kflags);
}

static int
is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static int
add(struct vcmds *c, const char *text, size_t off, size_t len, size_t line)
{
	size_t k = len;
	struct vcmd *v = agent__grow(c->v, &c->cap, c->n, sizeof *v);

	if (v == NULL)
		return -1;
	c->v = v;
	if (k >= 4 && memcmp(text + off + k - 4, "2>&1", 4) == 0)
		k -= 4;
	while (k && is_blank(text[off + k - 1]))
		k--;
	c->v[c->n++] = (struct vcmd){ off, len, k, line, 0, 0 };
	return 0;
}

/* Adds text[off, off+len) when, without blanks and a "$ " prompt around
 * it, it runs a build or test. */
static int
add_if_verify(struct lint *l, struct vcmds *c, const char *text, size_t off, size_t len, size_t line)
{
	while (len && (is_blank(text[off]) || text[off] == '$')) {
		off++;
		len--;
	}
	while (len && is_blank(text[off + len - 1]))
		len--;
	if (!len || !lint_has(l, RE_VERIFY_CMD, text + off, len))
		return 0;
	return add(c, text, off, len, line);
}

/* Verification commands of line i: its code spans, or the line itself
 * inside a fenced block. */
static int
collect_line(struct lint *l, const struct doc *d, size_t i, struct vcmds *c)
{
	const struct lline *x = &d->ln[i];
	size_t base = (size_t)(x->s - d->text), off = 0;

	if (x->fence)
		return 0;
	if (x->code)
		return add_if_verify(l, c, d->text, base, x->len, i);
	while (off < x->len) {
		int rc = pcre2_match(agent__rx_code(l->rules, RE_SPAN), (PCRE2_SPTR)x->s, x->len, off, 0, l->md, NULL);
		if (rc < 0)
			break;
		PCRE2_SIZE *ov = pcre2_get_ovector_pointer(l->md);
		off = ov[1];
		if (add_if_verify(l, c, d->text, base + ov[2], ov[3] - ov[2], i) < 0)
			return -1;
	}
	return 0;
}

/* PCRE2's \\s (without UCP) */
static int
is_rx_space(char c)
{
	return c == ' ' || (c >= '\t' && c <= '\r');
}

/* Whether m[0, from) ends as RE_RUN_BEFORE says ("run the "): the match
 * can start no earlier than the second-last word, so it is searched from
 * there (the whole prefix for every command of a line was quadratic). */
static int
run_before(struct lint *l, const char *m, size_t from)
{
	size_t a = from;
	int w;

	for (w = 0; w < 2; w++) {
		while (a && is_rx_space(m[a - 1]))
			a--;
		while (a && !is_rx_space(m[a - 1]))
			a--;
	}
	return pcre2_match(agent__rx_code(l->rules, RE_RUN_BEFORE), (PCRE2_SPTR)m, from, a, 0,
	                   l->md, NULL) >= 0;
}

/* Commands named in words on line i, outside code spans ("run make check,
 * fix ..."); with after_run only those right after "run" or "also". */
static int
collect_bare(struct lint *l, const struct doc *d, size_t i, int after_run, struct vcmds *c)
{
	const struct lline *x = &d->ln[i];
	size_t base = (size_t)(x->s - d->text), off = 0, k;
	char *m;
	int in = 0, rc = 0;

	if (x->code || !(m = malloc(x->len + 1)))
		return x->code ? 0 : -1;
	for (k = 0; k < x->len; k++) {            /* code spans blanked out */
		if (x->s[k] == '`')
			in = !in;
		m[k] = in || x->s[k] == '`' ? ' ' : x->s[k];
	}
	while (off < x->len) {
		if (pcre2_match(agent__rx_code(l->rules, RE_BARE_CMD), (PCRE2_SPTR)m, x->len, off, 0, l->md, NULL) < 0)
			break;
		PCRE2_SIZE *ov = pcre2_get_ovector_pointer(l->md);
		size_t from = ov[0], to = ov[1];
		if (to == from)
			break;
		off = to;
		if (after_run && !run_before(l, m, from))
			continue;
		if ((rc = add(c, d->text, base + from, to - from, i)) < 0)
			break;
	}
	free(m);
	return rc;
}

/* ---- clauses: what a command's sentence says about it */

static size_t
line_start(const struct doc *d, size_t i)
{
	return (size_t)(d->ln[i].s - d->text);
}

/* A clause ends at a semicolon, a sentence's end or a parenthesis, never
 * inside a code span (span[] marks them). */
static int
ends_clause(const struct doc *d, const char *span, size_t i)
{
	const char *t = d->text;
	if (span[i])
		return 0;
	if (t[i] == ';' || t[i] == '(' || t[i] == ')')
		return 1;
	if (t[i] == '.' || t[i] == '!' || t[i] == '?')
		return i + 1 == d->len || is_blank(t[i + 1]);
	return 0;
}

/* span[i] is 1 inside code spans and on code lines; malloc'd. */
static char *
span_mask(const struct doc *d)
{
	char *m = calloc(d->len + 1, 1);
	size_t i, k;
	if (!m)
		return NULL;
	for (i = 0; i < d->nl; i++) {
		const struct lline *x = &d->ln[i];
		size_t base = line_start(d, i);
		int in = 0;
		for (k = 0; k < x->len; k++) {
			if (x->s[k] == '`')
				in = !in;
			m[base + k] = x->code || in || x->s[k] == '`';
		}
	}
	return m;
}

/* Whether line i runs on into line i+1 as one paragraph. */
static int
flows(const struct doc *d, size_t i)
{
	const struct lline *a, *b;
	if (i + 1 >= d->nl)
		return 0;
	a = &d->ln[i];
	b = &d->ln[i + 1];
	return !a->code && !b->code && !a->heading && !b->heading && !b->numbered && !b->bullet &&
	       a->len > a->indent && b->len > b->indent;
}

/* The clause around offset off of line i: [*from, *to). */
static void
clause(const struct doc *d, const char *span, size_t i, size_t off, size_t *from, size_t *to)
{
	size_t a = off, b = off, j = i;

	for (;;) {
		while (a > line_start(d, j) && !ends_clause(d, span, a - 1))
			a--;
		if (a > line_start(d, j) || j == 0 || d->ln[j].code || !flows(d, j - 1))
			break;
		j--;
		a = line_start(d, j) + d->ln[j].len;
	}
	for (j = i;;) {
		while (b < line_start(d, j) + d->ln[j].len && !ends_clause(d, span, b))
			b++;
		if (b < line_start(d, j) + d->ln[j].len || d->ln[j].code || !flows(d, j))
			break;
		b = line_start(d, ++j);
	}
	*from = a;
	*to = b;
}

static int
by_off(const void *x, const void *y)
{
	const struct vcmd *a = x, *b = y;
	return a->off < b->off ? -1 : a->off > b->off;
}

struct kent {
	const char *s;
	size_t len, i;
};

static int
by_key(const void *x, const void *y)
{
	const struct kent *a = x, *b = y;
	int r = memcmp(a->s, b->s, a->len < b->len ? a->len : b->len);
	if (r || a->len != b->len)
		return r ? r : a->len < b->len ? -1 : 1;
	return a->i < b->i ? -1 : a->i > b->i;
}

/* Gives each command the id of its key (the first index with that key),
 * sorting the keys instead of comparing every pair: a prompt of many
 * commands was quadratic in them.  -1: ENOMEM. */
static int
key_ids(const char *t, struct vcmds *c)
{
	struct kent *e;
	size_t i, id = 0;

	if (!(c->mark = calloc(c->n + 1, sizeof *c->mark)) ||
	    !(c->kflags = calloc(c->n + 1, sizeof *c->kflags)) ||
	    !(e = malloc((c->n + 1) * sizeof *e)))
		return -1;
	for (i = 0; i < c->n; i++)
		e[i] = (struct kent){ t + c->v[i].off, c->v[i].keylen, i };
	qsort(e, c->n, sizeof *e, by_key);
	for (i = 0; i < c->n; i++) {
		if (i == 0 || e[i].len != e[i - 1].len || memcmp(e[i].s, e[i - 1].s, e[i].len) != 0)
			id = e[i].i;
		c->v[e[i].i].kid = id;
	}
	free(e);
	return 0;
}

/* How many different commands c->v[g, i) are (g: the group's first). */
static size_t
distinct(struct vcmds *c, size_t g, size_t i)
{
	size_t m, k = 0;
	for (m = g; m < i; m++)
		if (c->mark[c->v[m].kid] != g + 1) {
			c->mark[c->v[m].kid] = g + 1;
			k++;
		}
	return k;
}

/* What the clause t[a, b) says of the k commands in it. */
static unsigned
judge(struct lint *l, const char *t, size_t a, size_t b, size_t k)
{
	if (lint_has(l, RE_ADVISORY, t + a, b - a))
		return ADVISORY;
	if (lint_has(l, RE_DECIDES, t + a, b - a))
		return k == 1 ? DECIDES : JOINT;
	return 0;
}

/* Whether t[a, b) holds the word w[0, n). */
static int
has_word(const char *t, size_t a, size_t b, const char *w, size_t n)
{
	const char *p = t + a, *e = t + b;
	while (n && (p = memmem(p, (size_t)(e - p), w, n))) {
		int before = p == t + a || !(isalnum((unsigned char)p[-1]) || p[-1] == '_');
		int after = p + n == e || !(isalnum((unsigned char)p[n]) || p[n] == '_');
		if (before && after)
			return 1;
		p++;
	}
	return 0;
}

/* Whether the clause t[a, b) names command v by a word of it that the
 * other commands of its group c[0, n) do not have ("only pytest counts"). */
static int
names_cmd(const char *t, size_t a, size_t b, const struct vcmd *v, const struct vcmd *c, size_t n)
{
	size_t p = v->off, e = v->off + v->keylen, q, i;
	while (p < e) {
		while (p < e && is_blank(t[p]))
			p++;
		for (q = p; q < e && !is_blank(t[q]); q++)
			;
		/* the clause first: it is short, the group may be long */
		int shared = q - p < 3 || !has_word(t, a, b, t + p, q - p);
		for (i = 0; i < n && !shared; i++)
			if (c[i].kid != v->kid && has_word(t, c[i].off, c[i].off + c[i].keylen, t + p, q - p))
				shared = 1;
		if (!shared)
			return 1;
		p = q;
	}
	return 0;
}

/* The clause after the one ending at b, when no command of c from i on
 * lies in it: [*a2, *b2). */
static int
next_clause(const struct doc *d, const char *span, const struct vcmds *c, size_t g, size_t i,
            size_t b, size_t *a2, size_t *b2)
{
	const char *t = d->text;
	size_t j, a = is_blank(t[b]) ? b : b + 1;

	while (a < d->len && is_blank(t[a]))
		a++;
	if (a >= d->len)
		return 0;
	for (j = c->v[g].line; j + 1 < d->nl && line_start(d, j + 1) <= a; j++)
		;
	clause(d, span, j, a, a2, b2);
	return i == c->n || c->v[i].off >= *b2;
}

/* Marks each command deciding, advisory, or deciding with others, from its
 * clause, or from the next one when that says "it decides" of it. */
static int
weigh(struct lint *l, const struct doc *d, struct vcmds *c)
{
	const char *t = d->text;
	size_t g = 0, i, a, b, a2, b2;
	char *span = span_mask(d);

	if (!span)
		return -1;
	if (c->n > 1)
		qsort(c->v, c->n, sizeof *c->v, by_off);
	if (key_ids(t, c) < 0) {
		free(span);
		return -1;
	}
	while (g < c->n) {
		clause(d, span, c->v[g].line, c->v[g].off, &a, &b);
		for (i = g + 1; i < c->n && c->v[i].off < b; i++)
			;
		size_t k = distinct(c, g, i);
		unsigned f = judge(l, t, a, b, k);
		if (!f && b < d->len && next_clause(d, span, c, g, i, b, &a2, &b2)) {
			/* it only refers back to these: "it decides", "(optional)",
			 * "only pytest counts" */
			if (t[b] == '(') {         /* of the command right before it */
				unsigned pf = judge(l, t, a2, b2, 1);
				size_t m;
				for (m = g; m < i; m++)
					if (c->v[m].kid == c->v[i - 1].kid)
						c->v[m].flags |= pf;
			} else if (lint_has(l, RE_PRONOUN, t + a2, b2 - a2))
				f = judge(l, t, a2, b2, k);
			else {
				size_t named = 0, m;
				for (m = g; m < i; m++)
					if (names_cmd(t, a2, b2, &c->v[m], &c->v[g], i - g)) {
						c->v[m].flags |= NAMED;
						named++;
					}
				unsigned nf = named ? judge(l, t, a2, b2, named) : 0;
				for (m = g; m < i; m++)
					if (c->v[m].flags & NAMED)
						c->v[m].flags = nf ? nf : c->v[m].flags & ~NAMED;
			}
		}
		for (; g < i; g++)
			c->v[g].flags |= f;
	}
	for (g = 0; g < c->n; g++)
		c->kflags[c->v[g].kid] |= c->v[g].flags;
	free(span);
	return 0;
}

enum pick { PICK_ONE, PICK_NONE, PICK_MANY, PICK_JOINT };

/* The deciding command among those of lines first..last, by what the whole
 * prompt says of each: *one its index; with PICK_MANY, *other the index of
 * the second different command.  After weigh (its key ids and flags). */
static enum pick
pick(struct vcmds *c, size_t first, size_t last, size_t *one, size_t *other)
{
	size_t i, nk = 0, ndec = 0, nfree = 0, dec = 0, free1 = 0;
	int joint = 0, seen = 0;

	for (i = 0; i < c->n; i++) {
		unsigned f;
		if (c->v[i].line < first || c->v[i].line > last)
			continue;
		if (c->mark[c->v[i].kid] == SIZE_MAX)
			continue;                        /* seen already */
		c->mark[c->v[i].kid] = SIZE_MAX;
		f = c->kflags[c->v[i].kid];
		if (!seen) {
			*one = i;
			seen = 1;
		} else if (nk == 1)
			*other = i;
		nk++;
		if (f & DECIDES) {
			dec = i;
			ndec++;
		}
		if (!(f & ADVISORY)) {
			free1 = i;
			nfree++;
		}
		joint |= (f & JOINT) != 0;
	}
	if (nk <= 1)
		return nk ? PICK_ONE : PICK_NONE;
	if (ndec == 1 || (!ndec && nfree == 1)) {
		*one = ndec ? dec : free1;
		return PICK_ONE;
	}
	return joint && !ndec ? PICK_JOINT : PICK_MANY;
}

/* Every verification command of the text: code spans, code lines, and
 * commands named in words after "run". */
static int
collect_all(struct lint *l, const struct doc *d, struct vcmds *c)
{
	size_t i;
	for (i = 0; i < d->nl; i++)
		if (collect_line(l, d, i, c) < 0 || collect_bare(l, d, i, 1, c) < 0)
			return -1;
	return 0;
}

int
lint_many_verify(struct lint *l, const struct doc *d)
{
	struct vcmds c = {0};
	size_t one = 0, other = 0;
	int rc = 0;

	if (collect_all(l, d, &c) < 0) {
		vcmds_free(&c);
		return -1;
	}
	if (weigh(l, d, &c) < 0) {
		vcmds_free(&c);
		return -1;
	}
	if (pick(&c, 0, d->nl, &one, &other) == PICK_MANY) {
		const struct vcmd *a = &c.v[one], *b = &c.v[other];
		rc = lint_report(l, (unsigned)b->line + 1, AGENT_LINT_MANY_VERIFY,
		                 "more than one verification command (`%.*s`, `%.*s`) and nothing says "
		                 "which one decides", (int)(a->keylen > 60 ? 60 : a->keylen),
		                 d->text + a->off, (int)(b->keylen > 60 ? 60 : b->keylen),
		                 d->text + b->off);
	}
	vcmds_free(&c);
	return rc;
}

/* The command of the last step, or why there is not one: 0, 1 or -1. */
static int
verify_of(struct lint *l, const struct doc *d, struct vcmds *c, size_t *one, char *why, size_t wsize)
{
	const struct step *st;
	size_t other = 0, i, n0;

	if (!d->steps) {
		snprintf(why, wsize, "no numbered steps, so no last step to name a verification command");
		return 1;
	}
	st = &d->st[d->steps->first + d->steps->n - 1];
	if (collect_all(l, d, c) < 0)
		return -1;
	for (i = 0, n0 = c->n; i < n0 && (c->v[i].line < st->first || c->v[i].line > st->last); i++)
		;
	if (i == n0)            /* none in code: the commands it names in words */
		for (i = st->first; i <= st->last; i++)
			if (collect_bare(l, d, i, 0, c) < 0)
				return -1;
	if (weigh(l, d, c) < 0)
		return -1;
	switch (pick(c, st->first, st->last, one, &other)) {
	case PICK_ONE:
		return 0;
	case PICK_NONE:
		snprintf(why, wsize, "line %zu: the last step names no verification command",
		         st->first + 1);
		return 1;
	default:
		snprintf(why, wsize, "line %zu: the last step names more than one verification "
		         "command (`%.*s`, `%.*s`) and none as deciding", st->first + 1,
		         (int)(c->v[*one].len > 60 ? 60 : c->v[*one].len), d->text + c->v[*one].off,
		         (int)(c->v[other].len > 60 ? 60 : c->v[other].len), d->text + c->v[other].off);
		return 1;
	}
}

int
agent_lint_verify(const char *text, size_t len, char **cmd, unsigned *line, char *why, size_t wsize)
{
	struct lint l;
	struct doc d = {0};
	struct vcmds c = {0};
	size_t one = 0, i;
	int rc;

	*cmd = NULL;
	if (wsize)
		why[0] = '\0';
	if (lint_open(&l) < 0)
		return -1;
	if (doc_parse(&l, text, len, &d) < 0 || (rc = verify_of(&l, &d, &c, &one, why, wsize)) < 0) {
		rc = -1;
		goto out;
	}
	if (rc == 0) {
		const struct vcmd *v = &c.v[one];
		for (i = 0; i < v->len && ((unsigned char)text[v->off + i] >= ' ' ||
		                           text[v->off + i] == '\t') && text[v->off + i] != 0x7f; i++)
			;
		if (i < v->len || memmem(text + v->off, v->len, "{{", 2)) {
			snprintf(why, wsize, "line %zu: the verification command %s", v->line + 1,
			         i < v->len ? "holds a control character"
			                    : "is a template tag; render the prompt first");
			rc = 1;
		} else if (!(*cmd = strndup(text + v->off, v->len)))
			rc = -1;
		else
			*line = (unsigned)v->line + 1;
	}
out:
	vcmds_free(&c);
	doc_free(&d);
	lint_close(&l);
	if (rc < 0)
		errno = ENOMEM;
	return rc;
}
