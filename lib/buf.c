/* buf.c — the library's growable byte buffer. */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "buf.h"

void *
agent__grow(void *array, size_t *cap, size_t n, size_t size)
{
	size_t c;
	void *p;

	if (n < *cap)
		return array;
	c = *cap ? *cap * 2 : 8;
	/* refused here, not by reallocarray: a sanitizer's aborts instead */
	if (c < *cap || c > SIZE_MAX / size ||
	    (p = reallocarray(array, c, size)) == NULL) {
		errno = ENOMEM;
		return NULL;
	}
	*cap = c;
	return p;
}

int
agent__buf_reserve(struct agent__buf *b, size_t need)
{
	size_t cap;
	char *p;

	if (need <= b->cap)
		return 0;
	cap = b->cap ? b->cap : 256;
	while (cap < need) {
		if (cap > (size_t)-1 / 2) {
			errno = ENOMEM;
			return -1;
		}
		cap *= 2;
	}
	if ((p = realloc(b->p, cap)) == NULL)
		return -1;
	b->p = p;
	b->cap = cap;
	return 0;
}

int
agent__buf_add(struct agent__buf *b, const char *s, size_t n)
{
	int r = 0;

	if (n > (size_t)-1 - b->len - 1 || agent__buf_reserve(b, b->len + n + 1) < 0) {
		if (b->cap <= b->len + 1)
			return -1;
		n = b->cap - b->len - 1;
		r = -1;
	}
	if (n > 0)
		memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
	return r;
}

int
agent__buf_add_max(struct agent__buf *b, const char *s, size_t n, size_t max)
{
	int cut = 0;

	if (b->len >= max)
		return 1;
	if (n > max - b->len) {
		n = agent__utf8_floor(s, max - b->len);
		cut = 1;
	}
	if (agent__buf_add(b, s, n) < 0)
		return -1;
	return cut;
}

int
agent__buf_set(struct agent__buf *b, const char *s, size_t n)
{
	agent__buf_clear(b);
	return agent__buf_add(b, s, n);
}

void
agent__buf_clear(struct agent__buf *b)
{
	b->len = 0;
	if (b->p != NULL)
		b->p[0] = '\0';
}

const char *
agent__buf_str(const struct agent__buf *b)
{
	return b->p != NULL ? b->p : "";
}

void
agent__buf_free(struct agent__buf *b)
{
	free(b->p);
	b->p = NULL;
	b->len = b->cap = 0;
}

size_t
agent__utf8_floor(const char *s, size_t n)
{
	size_t k = n;

	while (k > 0 && n - k < 3 && ((unsigned char)s[k] & 0xc0) == 0x80)
		k--;
	return ((unsigned char)s[k] & 0xc0) == 0x80 ? n : k;
}
