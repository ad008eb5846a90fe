/* jscan.c — a strict JSON tokenizer for event lines: one pass into a
 * reusable token array, strings decoded in place only when asked for. */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include "jscan.h"

static int
is_ws(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static int
hexval(unsigned char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* The input ended inside a value: what came was JSON so far. */
static struct agent__jval *
cut(void)
{
	errno = EAGAIN;
	return NULL;
}

static int
tok_grow(struct agent__jdoc *d)
{
	size_t cap = d->cap ? d->cap * 2 : 256;
	struct agent__jval *nt;

	if (cap > UINT32_MAX / 2 || (nt = realloc(d->t, cap * sizeof *nt)) == NULL) {
		errno = ENOMEM;
		return -1;
	}
	d->t = nt;
	d->cap = cap;
	return 0;
}

static inline struct agent__jval *
tok_new(struct agent__jdoc *d, int type, char *p)
{
	struct agent__jval *t;

	if (d->n == d->cap && tok_grow(d) < 0)
		return NULL;
	t = &d->t[d->n++];
	t->p = p;
	t->len = 0;
	t->n = 0;
	t->skip = 1;
	t->type = (uint8_t)type;
	t->esc = 0;
	return t;
}

/* The bytes of w (8 of the text, little-endian) that are a quote, a
 * backslash or a NUL, as their top bits: exact up to the first of them,
 * which is all we use.  Strings are read 8 bytes a step: their bodies are
 * most of an event line. */
static uint64_t
word_stops(uint64_t w)
{
	const uint64_t ones = 0x0101010101010101u, highs = 0x8080808080808080u;
	uint64_t q = w ^ (ones * '"'), bs = w ^ (ones * '\\');

	return (((w - ones) & ~w) | ((q - ones) & ~q) | ((bs - ones) & ~bs)) & highs;
}

/* The string whose opening quote is at *i; NULL when malformed.  b[len]
 * is a NUL (agent__jdoc_parse puts it there). */
static struct agent__jval *
scan_string(struct agent__jdoc *d, char *b, size_t len, size_t *i)
{
	size_t j = *i + 1;
	int esc = 0;
	struct agent__jval *t;

	for (;;) {
		unsigned char c;
		uint64_t w;

#if defined(__GNUC__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
		while (j + 8 <= len) {
			uint64_t m;

			memcpy(&w, b + j, 8);
			if ((m = word_stops(w)) != 0) {
				j += (size_t)__builtin_ctzll(m) / 8;
				break;
			}
			j += 8;
		}
#endif
		while ((c = (unsigned char)b[j]) != '"' && c != '\\' && c != '\0')
			j++;
		if (j >= len)
			return cut();
		if (c == '"')
			break;
		/* json-c's strict mode lets raw control characters through and
		 * so do we; a NUL is no line's text. */
		if (c == '\0')
			return NULL;
		if (j + 1 >= len)
			return cut();
		esc = 1;
		switch (b[j + 1]) {
		case '"': case '\\': case '/': case 'b': case 'f':
		case 'n': case 'r': case 't':
			j += 2;
			continue;
		case 'u':
			if (j + 5 >= len)
				return cut();
			if (hexval((unsigned char)b[j + 2]) < 0 ||
			    hexval((unsigned char)b[j + 3]) < 0 ||
			    hexval((unsigned char)b[j + 4]) < 0 ||
			    hexval((unsigned char)b[j + 5]) < 0)
				return NULL;
			j += 6;
			continue;
		default:
			return NULL;
		}
	}
	if (j - *i - 1 > UINT32_MAX)
		return NULL;
	if ((t = tok_new(d, AGENT__JV_STRING, b + *i + 1)) == NULL)
		return NULL;
	t->len = (uint32_t)(j - *i - 1);
	t->esc = (uint8_t)esc;
	b[j] = '\0';
	*i = j + 1;
	return t;
}

static size_t
digits(const char *b, size_t len, size_t i)
{
	size_t j = i;

	while (j < len && b[j] >= '0' && b[j] <= '9')
		j++;
	return j - i;
}

/* The number at *i per RFC 8259; NULL when malformed. */
static struct agent__jval *
scan_number(struct agent__jdoc *d, char *b, size_t len, size_t *i)
{
	size_t j = *i, k;
	int type = AGENT__JV_INT;
	struct agent__jval *t;

	if (b[j] == '-')
		j++;
	if (j >= len)
		return cut();
	if (b[j] == '0')
		j++;
	else if ((k = digits(b, len, j)) > 0)
		j += k;
	else
		return NULL;
	if (j < len && b[j] == '.') {
		if ((k = digits(b, len, j + 1)) == 0)
			return j + 1 >= len ? cut() : NULL;
		j += 1 + k;
		type = AGENT__JV_DOUBLE;
	}
	if (j < len && (b[j] == 'e' || b[j] == 'E')) {
		j++;
		if (j < len && (b[j] == '+' || b[j] == '-'))
			j++;
		if ((k = digits(b, len, j)) == 0)
			return j >= len ? cut() : NULL;
		j += k;
		type = AGENT__JV_DOUBLE;
	}
	if (j - *i > UINT32_MAX)
		return NULL;
	if ((t = tok_new(d, type, b + *i)) == NULL)
		return NULL;
	t->len = (uint32_t)(j - *i);
	if (type == AGENT__JV_INT && t->len > 18) {
		/* Past the range of long long json-c keeps it as a double. */
		char *e;

		errno = 0;
		(void)strtoll(t->p, &e, 10);
		if (errno == ERANGE)
			t->type = AGENT__JV_DOUBLE;
	}
	*i = j;
	return t;
}

static struct agent__jval *
scan_literal(struct agent__jdoc *d, char *b, size_t len, size_t *i)
{
	static const struct { const char *w; size_t n; int type; } lit[] = {
		{ "true", 4, AGENT__JV_BOOL }, { "false", 5, AGENT__JV_BOOL },
		{ "null", 4, AGENT__JV_NULL },
	};
	size_t k;
	struct agent__jval *t;

	for (k = 0; k < sizeof lit / sizeof lit[0]; k++)
		if (len - *i >= lit[k].n && memcmp(b + *i, lit[k].w, lit[k].n) == 0) {
			if ((t = tok_new(d, lit[k].type, b + *i)) == NULL)
				return NULL;
			t->len = (uint32_t)lit[k].n;
			*i += lit[k].n;
			return t;
		}
	for (k = 0; k < sizeof lit / sizeof lit[0]; k++)
		if (len - *i < lit[k].n && memcmp(b + *i, lit[k].w, len - *i) == 0)
			return cut();
	return NULL;
}

struct agent__jval *
agent__jdoc_parse(struct agent__jdoc *d, const char *s, size_t len, size_t *end)
{
	uint32_t stack[AGENT__JDOC_DEPTH];
	size_t depth = 0, i = 0;
	char *b;
	struct agent__jval *t;

	if (len >= UINT32_MAX) {
		errno = EINVAL;
		return NULL;
	}
	if (len + 1 > d->bufcap) {
		size_t cap = len + 1 > 4096 ? len + 1 : 4096;
		char *nb = malloc(cap);

		if (nb == NULL) {
			errno = ENOMEM;
			return NULL;
		}
		free(d->buf);
		d->buf = nb;
		d->bufcap = cap;
	}
	b = d->buf;
	if (len > 0)
		memcpy(b, s, len);
	b[len] = '\0';
	d->n = 0;
	errno = EINVAL;
	while (i < len && is_ws((unsigned char)b[i]))
		i++;
value:
	if (i >= len)
		goto cut;
	switch (b[i]) {
	case '{':
	case '[':
		if (depth == AGENT__JDOC_DEPTH)
			goto bad;
		if ((t = tok_new(d, b[i] == '{' ? AGENT__JV_OBJECT : AGENT__JV_ARRAY,
		    b + i)) == NULL)
			goto bad;
		stack[depth++] = (uint32_t)(d->n - 1);
		i++;
		while (i < len && is_ws((unsigned char)b[i]))
			i++;
		if (i < len && b[i] == (t->type == AGENT__JV_OBJECT ? '}' : ']')) {
			i++;
			goto close;
		}
		if (t->type == AGENT__JV_OBJECT)
			goto key;
		goto value;
	case '"':
		t = scan_string(d, b, len, &i);
		break;
	case 't': case 'f': case 'n':
		t = scan_literal(d, b, len, &i);
		break;
	default:
		t = b[i] == '-' || (b[i] >= '0' && b[i] <= '9')
		    ? scan_number(d, b, len, &i) : NULL;
		break;
	}
	if (t == NULL)
		goto bad;
	goto after;
close:
	depth--;
	d->t[stack[depth]].skip = (uint32_t)(d->n - stack[depth]);
after:
	if (depth == 0)
		goto done;
	t = &d->t[stack[depth - 1]];
	t->n++;
	while (i < len && is_ws((unsigned char)b[i]))
		i++;
	if (i >= len)
		goto cut;
	if (b[i] == ',') {
		i++;
		while (i < len && is_ws((unsigned char)b[i]))
			i++;
		if (t->type == AGENT__JV_OBJECT)
			goto key;
		goto value;
	}
	if (b[i] == (t->type == AGENT__JV_OBJECT ? '}' : ']')) {
		i++;
		goto close;
	}
	goto bad;
key:
	if (i >= len)
		goto cut;
	if (b[i] != '"' || scan_string(d, b, len, &i) == NULL)
		goto bad;
	while (i < len && is_ws((unsigned char)b[i]))
		i++;
	if (i >= len)
		goto cut;
	if (b[i] != ':')
		goto bad;
	i++;
	while (i < len && is_ws((unsigned char)b[i]))
		i++;
	goto value;
done:
	while (i < len && is_ws((unsigned char)b[i]))
		i++;
	if (end != NULL)
		*end = i;
	return &d->t[0];
cut:
	errno = EAGAIN;
bad:
	if (errno != ENOMEM && errno != EAGAIN)
		errno = EINVAL;
	d->n = 0;
	return NULL;
}

void
agent__jdoc_free(struct agent__jdoc *d)
{
	free(d->t);
	free(d->buf);
	memset(d, 0, sizeof *d);
}

int
agent__jval_is(const struct agent__jval *v, enum agent__jval_type type)
{
	return v != NULL && v->type == type;
}

static int
key_is(struct agent__jval *k, const char *key, size_t klen)
{
	if (k->esc)
		return strcmp(agent__jval_str(k), key) == 0;
	return k->len == klen && k->p[0] == key[0] && memcmp(k->p, key, klen) == 0;
}

struct agent__jval *
agent__jval_get(struct agent__jval *o, const char *key)
{
	struct agent__jval *k, *v, *found = NULL;
	size_t klen = strlen(key);
	uint32_t m;

	if (o == NULL || o->type != AGENT__JV_OBJECT)
		return NULL;
	k = o + 1;
	for (m = 0; m < o->n; m++) {
		v = k + 1;
		if (key_is(k, key, klen))
			found = v;
		k = v + v->skip;
	}
	return found;
}

struct agent__jval *
agent__jval_idx(struct agent__jval *a, size_t i)
{
	struct agent__jval *v;

	if (a == NULL || a->type != AGENT__JV_ARRAY || i >= a->n)
		return NULL;
	for (v = a + 1; i > 0; i--)
		v += v->skip;
	return v;
}

size_t
agent__jval_len(const struct agent__jval *a)
{
	return a != NULL && a->type == AGENT__JV_ARRAY ? a->n : 0;
}

struct agent__jval *
agent__jval_first(struct agent__jval *o)
{
	return o != NULL && o->type == AGENT__JV_OBJECT && o->n > 0 ? o + 1 : NULL;
}

struct agent__jval *
agent__jval_next(struct agent__jval *o, struct agent__jval *k)
{
	struct agent__jval *v = k + 1, *nk = v + v->skip;

	return nk < o + o->skip ? nk : NULL;
}

static char *
put_utf8(char *w, unsigned long cp)
{
	if (cp < 0x80) {
		*w++ = (char)cp;
	} else if (cp < 0x800) {
		*w++ = (char)(0xc0 | (cp >> 6));
		*w++ = (char)(0x80 | (cp & 0x3f));
	} else if (cp < 0x10000) {
		*w++ = (char)(0xe0 | (cp >> 12));
		*w++ = (char)(0x80 | ((cp >> 6) & 0x3f));
		*w++ = (char)(0x80 | (cp & 0x3f));
	} else {
		*w++ = (char)(0xf0 | (cp >> 18));
		*w++ = (char)(0x80 | ((cp >> 12) & 0x3f));
		*w++ = (char)(0x80 | ((cp >> 6) & 0x3f));
		*w++ = (char)(0x80 | (cp & 0x3f));
	}
	return w;
}

static unsigned long
hex4(const char *p)
{
	return (unsigned long)(hexval((unsigned char)p[0]) << 12 |
	    hexval((unsigned char)p[1]) << 8 | hexval((unsigned char)p[2]) << 4 |
	    hexval((unsigned char)p[3]));
}

/* Decodes in place: every escape is at least as long as its UTF-8. */
const char *
agent__jval_str(struct agent__jval *v)
{
	char *r, *w, *e;

	if (v == NULL || v->type != AGENT__JV_STRING)
		return NULL;
	if (!v->esc)
		return v->p;
	r = w = v->p;
	e = v->p + v->len;
	while (r < e) {
		unsigned long cp;

		if (*r != '\\') {
			*w++ = *r++;
			continue;
		}
		switch (r[1]) {
		case 'b': *w++ = '\b'; break;
		case 'f': *w++ = '\f'; break;
		case 'n': *w++ = '\n'; break;
		case 'r': *w++ = '\r'; break;
		case 't': *w++ = '\t'; break;
		case 'u':
			cp = hex4(r + 2);
			if (cp >= 0xd800 && cp <= 0xdbff && e - r >= 12 &&
			    r[6] == '\\' && r[7] == 'u') {
				unsigned long lo = hex4(r + 8);

				if (lo >= 0xdc00 && lo <= 0xdfff) {
					w = put_utf8(w, 0x10000 + ((cp - 0xd800) << 10) +
					    (lo - 0xdc00));
					r += 12;
					continue;
				}
			}
			if (cp >= 0xd800 && cp <= 0xdfff)
				cp = 0xfffd;
			w = put_utf8(w, cp);
			r += 6;
			continue;
		default: *w++ = r[1]; break;
		}
		r += 2;
	}
	*w = '\0';
	v->len = (uint32_t)(w - v->p);
	v->esc = 0;
	return v->p;
}

long long
agent__jval_int(const struct agent__jval *v)
{
	if (v == NULL)
		return 0;
	if (v->type == AGENT__JV_INT) {
		char tmp[32];

		if (v->len <= 18) {
			/* -?[0-9]{1,18} (scan_number checked it): fits, no strtoll */
			const char *p = v->p, *e = v->p + v->len;
			long long n = 0;
			int neg = *p == '-';

			for (p += neg; p < e; p++)
				n = n * 10 + (*p - '0');
			return neg ? -n : n;
		}
		if (v->len >= sizeof tmp)
			return v->p[0] == '-' ? LLONG_MIN : LLONG_MAX;
		memcpy(tmp, v->p, v->len);
		tmp[v->len] = '\0';
		return strtoll(tmp, NULL, 10);
	}
	if (v->type == AGENT__JV_DOUBLE) {
		double d = agent__jval_double(v);

		if (d >= 9.2e18)
			return LLONG_MAX;
		if (d <= -9.2e18)
			return LLONG_MIN;
		return (long long)d;
	}
	return v->type == AGENT__JV_BOOL ? v->p[0] == 't' : 0;
}

double
agent__jval_double(const struct agent__jval *v)
{
	char tmp[64], *p = tmp;
	double d;

	if (v == NULL)
		return 0;
	if (v->type == AGENT__JV_BOOL)
		return v->p[0] == 't';
	if (v->type != AGENT__JV_INT && v->type != AGENT__JV_DOUBLE)
		return 0;
	/* A copy: the number's end must not depend on what follows it. */
	if (v->len >= sizeof tmp && (p = malloc(v->len + 1u)) == NULL)
		return 0;
	memcpy(p, v->p, v->len);
	p[v->len] = '\0';
	d = strtod(p, NULL);
	if (p != tmp)
		free(p);
	return d;
}

int
agent__jval_bool(const struct agent__jval *v)
{
	if (v == NULL)
		return 0;
	switch (v->type) {
	case AGENT__JV_BOOL:
		return v->p[0] == 't';
	case AGENT__JV_INT:
	case AGENT__JV_DOUBLE:
		return agent__jval_double(v) != 0;
	case AGENT__JV_STRING:
		return v->len != 0;
	default:
		return 0;
	}
}
