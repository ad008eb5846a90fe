/* vis.c — escaping what a log holds before it reaches a terminal: C0/C1
 * controls, DEL and invalid UTF-8 become visible, printable UTF-8 stays.
 * Not libbsd's strvis/stravis (0.11): they escape every byte of valid UTF-8
 * ("→" comes out as M-bM-^FM-^R), write ESC as \033 and mix octal with
 * M- notation, where the tools promise UTF-8 unchanged and \e, \r, \xNN
 * (agent-tail(1); tests/unit/check_vis.c). */
#include <stdlib.h>
#include <string.h>
#include "vis.h"
#include "buf.h"

/* Length of the valid UTF-8 sequence at s (1..4), 0 if invalid or cut. */
static size_t
utf8_len(const unsigned char *s, size_t n)
{
	unsigned c = s[0];
	size_t len, i;
	unsigned cp;

	if (c < 0x80)
		return 1;
	if (c < 0xc2)
		return 0;
	if (c < 0xe0) {
		len = 2; cp = c & 0x1f;
	} else if (c < 0xf0) {
		len = 3; cp = c & 0x0f;
	} else if (c < 0xf5) {
		len = 4; cp = c & 0x07;
	} else
		return 0;
	if (n < len)
		return 0;
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	if ((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10ffff)) ||
	    (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	/* C1 controls (U+0080..U+009F) can drive some terminals too */
	if (cp >= 0x80 && cp <= 0x9f)
		return 0;
	return len;
}

/* Escape for one unsafe byte into out (at least 5 bytes); its length. */
static size_t
escape(unsigned char c, char *out)
{
	static const char hex[] = "0123456789abcdef";

	switch (c) {
	case 0x1b: memcpy(out, "\\e", 2); return 2;
	case '\r': memcpy(out, "\\r", 2); return 2;
	case '\n': memcpy(out, "\\n", 2); return 2;
	case '\t': memcpy(out, "\\t", 2); return 2;
	case '\\': memcpy(out, "\\\\", 2); return 2;
	}
	out[0] = '\\'; out[1] = 'x';
	out[2] = hex[c >> 4]; out[3] = hex[c & 15];
	return 4;
}

/* Walks s, calling put for each run of safe bytes and each escape. */
typedef int (*put_fn)(const char *, size_t, void *);

static int
vis_walk(const char *s, size_t len, int keep_tab, put_fn put, void *arg)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, start = 0, n;
	char esc[8];

	while (i < len) {
		unsigned c = p[i];
		if (c >= 0x20 && c < 0x7f && c != '\\') {
			i++;
			continue;
		}
		if (c == '\t' && keep_tab) {
			i++;
			continue;
		}
		if (c >= 0x80 && (n = utf8_len(p + i, len - i)) > 0) {
			i += n;
			continue;
		}
		if (i > start && put(s + start, i - start, arg) < 0)
			return -1;
		if (put(esc, escape(c, esc), arg) < 0)
			return -1;
		start = ++i;
	}
	if (i > start && put(s + start, i - start, arg) < 0)
		return -1;
	return 0;
}

static int
put_file(const char *s, size_t n, void *arg)
{
	return fwrite(s, 1, n, (FILE *)arg) == n ? 0 : -1;
}

int
agent_vis_write(FILE *f, const char *s, size_t len, int keep_tab)
{
	return vis_walk(s, len, keep_tab, put_file, f);
}

static int
put_buf(const char *s, size_t n, void *arg)
{
	return agent__buf_add(arg, s, n);
}

static int
put_count(const char *s, size_t n, void *arg)
{
	(void)s;
	*(size_t *)arg += n;
	return 0;
}

char *
agent_vis_str(const char *s, size_t len)
{
	struct agent__buf b = { NULL, 0, 0 };
	size_t need = 0;

	/* measured first, so that a long line is held once at its size, not
	 * copied at each doubling of a buffer grown as it is written */
	vis_walk(s, len, 0, put_count, &need);
	if (agent__buf_reserve(&b, need + 1) < 0 || agent__buf_add(&b, "", 0) < 0 ||
	    vis_walk(s, len, 0, put_buf, &b) < 0) {
		agent__buf_free(&b);
		return NULL;
	}
	return b.p;
}

size_t
agent_vis_cut(const char *s, size_t len, size_t width)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, cols = 0, n;

	while (i < len && cols < width) {
		n = p[i] >= 0x80 ? utf8_len(p + i, len - i) : 1;
		if (n == 0)
			n = 1;
		i += n;
		cols++;
	}
	return i;
}
