/* jsonw.c — the JSON writer every -j uses: plain stdio puts and
 * hand-made number formatting, no printf, since agent-tail -j runs it once
 * per event over whole logs. */
#include <stdio.h>
#include <string.h>
#include "jsonw.h"

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
		if (c >= 0x20 && c != '"' && c != '\\' && c < 0x7f) {
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
			/* C1 controls (U+0080..U+009F; U+009B is a CSI) are
			 * escaped as C0 ones: JSON read in a terminal is a
			 * terminal's input too */
			if (n == 2 && cp < 0xa0) {
				char u[6] = { '\\', 'u', '0', '0', hex[cp >> 4], hex[cp & 15] };
				if (p > run && fwrite_unlocked(run, 1, p - run, f) != (size_t)(p - run))
					return -1;
				fwrite_unlocked(u, 1, 6, f);
				run = p += 2;
				continue;
			}
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
			if (c < 0x20 || c == 0x7f) {
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
key(struct agent_jw *w, const char *k)
{
	if (w->fields++)
		putc_unlocked(',', w->f);
	putc_unlocked('"', w->f);
	put_lit(w->f, k);
	put_lit(w->f, "\":");
}

void
agent_jw_begin(struct agent_jw *w, FILE *f)
{
	w->f = f;
	w->fields = 0;
	putc_unlocked('{', f);
}

void
agent_jw_str(struct agent_jw *w, const char *k, const char *v)
{
	key(w, k);
	if (v)
		agent_json_str(w->f, v);
	else
		put_lit(w->f, "null");
}

void
agent_jw_int(struct agent_jw *w, const char *k, long long v)
{
	key(w, k);
	put_ll(w->f, v);
}

void
agent_jw_fixed(struct agent_jw *w, const char *k, double v, int digits)
{
	key(w, k);
	put_fixed(w->f, v, digits);
}

void
agent_jw_bool(struct agent_jw *w, const char *k, int v)
{
	key(w, k);
	put_lit(w->f, v ? "true" : "false");
}

void
agent_jw_null(struct agent_jw *w, const char *k)
{
	key(w, k);
	put_lit(w->f, "null");
}

int
agent_jw_end(struct agent_jw *w)
{
	put_lit(w->f, "}\n");
	return ferror(w->f) ? -1 : 0;
}
