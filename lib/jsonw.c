/* jsonw.c — the JSON writer every -j uses: hand-made number formatting (no
 * printf but for numbers past 9e18 of their units), and an object's bytes
 * gathered in a buffer of its own that goes to stdio when it fills and at
 * the end (a field costs a memcpy, not a stdio call), since agent-tail -j
 * runs it once per event over whole logs. */
#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include "jsonw.h"

static void
flush(struct agent_jw *w)
{
	if (w->n > 0 && fwrite_unlocked(w->b, 1, w->n, w->f) != w->n)
		w->err = 1;
	w->n = 0;
}

static void
put(struct agent_jw *w, const void *s, size_t n)
{
	if (n > sizeof w->b - w->n) {
		flush(w);
		if (n > sizeof w->b) {
			if (fwrite_unlocked(s, 1, n, w->f) != n)
				w->err = 1;
			return;
		}
	}
	memcpy(w->b + w->n, s, n);
	w->n += n;
}

static void
put_c(struct agent_jw *w, char c)
{
	if (w->n == sizeof w->b)
		flush(w);
	w->b[w->n++] = c;
}

#define put_lit(w, s) put((w), (s), sizeof(s) - 1)

/* Bytes a JSON string body takes as they are: printable ASCII but the
 * quote, the backslash and DEL. */
static const unsigned char plain[256] = {
	['\x20'] = 1, 1, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,   /* no '"' */
	['\x30'] = 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	['\x40'] = 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	['\x50'] = 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 1, 1,   /* no '\\' */
	['\x60'] = 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	['\x70'] = 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0,   /* no DEL */
};

/* JSON string: escapes what JSON needs, replaces invalid UTF-8 with
 * U+FFFD so every line we emit is valid JSON whatever the log held. */
static void
put_str(struct agent_jw *w, const char *s)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *p = (const unsigned char *)s;
	const unsigned char *run = p, *end = p + strlen(s);

	put_c(w, '"');
	for (;;) {
		unsigned c;
		size_t n = 0;

#if defined(__GNUC__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
		/* 8 bytes a step while they are all plain (bit tricks find a
		 * control character, DEL, a byte from 0x80, a quote or a
		 * backslash; the first one found is exact), then byte by byte */
		while (end - p >= 8) {
			const uint64_t ones = 0x0101010101010101u, highs = ones * 0x80;
			uint64_t v, q, bs, del, m;

			memcpy(&v, p, 8);
			q = v ^ (ones * '"');
			bs = v ^ (ones * '\\');
			del = v ^ (ones * 0x7f);
			m = (v | ((v - ones * 0x20) & ~v) | ((q - ones) & ~q) |
			     ((bs - ones) & ~bs) | ((del - ones) & ~del)) & highs;
			if (m != 0) {
				p += __builtin_ctzll(m) / 8;
				break;
			}
			p += 8;
		}
#endif
		while (plain[*p])
			p++;
		if ((c = *p) == '\0')
			break;
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
			/* C1 controls (U+0080..U+009F; U+009B is a CSI) are
			 * escaped as C0 ones: JSON read in a terminal is a
			 * terminal's input too */
			if (n == 2 && cp < 0xa0) {
				char u[6] = { '\\', 'u', '0', '0', hex[cp >> 4], hex[cp & 15] };

				if (p > run)
					put(w, run, (size_t)(p - run));
				put(w, u, 6);
				run = p += 2;
				continue;
			}
			if (n) {
				p += n;
				continue;
			}
		}
		if (p > run)
			put(w, run, (size_t)(p - run));
		switch (c) {
		case '"': put_lit(w, "\\\""); break;
		case '\\': put_lit(w, "\\\\"); break;
		case '\n': put_lit(w, "\\n"); break;
		case '\r': put_lit(w, "\\r"); break;
		case '\t': put_lit(w, "\\t"); break;
		default:
			if (c < 0x20 || c == 0x7f) {
				char u[6] = { '\\', 'u', '0', '0', hex[c >> 4], hex[c & 15] };
				put(w, u, 6);
			} else
				put_lit(w, "\\ufffd");
		}
		run = ++p;
	}
	if (p > run)
		put(w, run, (size_t)(p - run));
	put_c(w, '"');
}

int
agent_json_str(FILE *f, const char *s)
{
	struct agent_jw w;

	w.f = f;
	w.n = 0;
	w.err = 0;
	put_str(&w, s);
	flush(&w);
	return w.err ? -1 : 0;
}

static void
put_ll(struct agent_jw *w, long long v)
{
	char buf[24], *p = buf + sizeof buf;
	unsigned long long u = v < 0 ? -(unsigned long long)v : (unsigned long long)v;

	do
		*--p = '0' + u % 10;
	while ((u /= 10) > 0);
	if (v < 0)
		*--p = '-';
	put(w, p, (size_t)(buf + sizeof buf - p));
}

/* v with exactly digits decimals (3: milliseconds, 6: micro-dollars).  A
 * number a log gave can be anything strtod makes of it: past what the
 * integer arithmetic holds it is printed by printf (at most
 * DBL_MAX_10_EXP + 1 digits before the point), and one that is not finite
 * (1e999 reads as infinity), which JSON cannot say, as null. */
static void
put_fixed(struct agent_jw *w, double v, int digits)
{
	long long scale = digits == 3 ? 1000 : 1000000;
	long long n;
	char frac[8];

	if (!isfinite(v)) {
		put_lit(w, "null");
		return;
	}
	if (fabs(v) >= 9e18 / (double)scale) {
		char big[DBL_MAX_10_EXP + 16];
		int len = snprintf(big, sizeof big, "%.*f", digits, v);

		if (len < 0 || (size_t)len >= sizeof big)
			put_lit(w, "null");
		else
			put(w, big, (size_t)len);
		return;
	}
	n = (long long)(v * scale + (v < 0 ? -0.5 : 0.5));
	if (n < 0) {
		put_c(w, '-');
		n = -n;
	}
	put_ll(w, n / scale);
	n %= scale;
	frac[0] = '.';
	for (int i = digits; i >= 1; i--, n /= 10)
		frac[i] = '0' + n % 10;
	put(w, frac, (size_t)digits + 1);
}

static void
key(struct agent_jw *w, const char *k)
{
	size_t n = strlen(k);
	char *p;

	if (n + 4 > sizeof w->b - w->n)
		flush(w);
	if (n + 4 > sizeof w->b) {     /* no key of ours, but still right */
		if (w->fields++)
			put_c(w, ',');
		put_c(w, '"');
		put(w, k, n);
		put_lit(w, "\":");
		return;
	}
	/* one copy for the comma, the quoted key and the colon */
	p = w->b + w->n;
	if (w->fields++)
		*p++ = ',';
	*p++ = '"';
	memcpy(p, k, n);
	p += n;
	*p++ = '"';
	*p++ = ':';
	w->n = (size_t)(p - w->b);
}

void
agent_jw_begin(struct agent_jw *w, FILE *f)
{
	w->f = f;
	w->fields = 0;
	w->n = 0;
	w->err = 0;
	put_c(w, '{');
}

void
agent_jw_str(struct agent_jw *w, const char *k, const char *v)
{
	key(w, k);
	if (v)
		put_str(w, v);
	else
		put_lit(w, "null");
}

void
agent_jw_int(struct agent_jw *w, const char *k, long long v)
{
	key(w, k);
	put_ll(w, v);
}

void
agent_jw_fixed(struct agent_jw *w, const char *k, double v, int digits)
{
	key(w, k);
	put_fixed(w, v, digits);
}

void
agent_jw_bool(struct agent_jw *w, const char *k, int v)
{
	key(w, k);
	if (v)
		put_lit(w, "true");
	else
		put_lit(w, "false");
}

void
agent_jw_null(struct agent_jw *w, const char *k)
{
	key(w, k);
	put_lit(w, "null");
}

void
agent_jw_strs(struct agent_jw *w, const char *k, const char *const *v, size_t n)
{
	key(w, k);
	put_c(w, '[');
	for (size_t i = 0; i < n; i++) {
		if (i > 0)
			put_c(w, ',');
		put_str(w, v[i] ? v[i] : "");
	}
	put_c(w, ']');
}

int
agent_jw_end(struct agent_jw *w)
{
	put_lit(w, "}\n");
	flush(w);
	return w->err || ferror(w->f) ? -1 : 0;
}
