/* buf.h — inside the library only: the one growable byte buffer, always
 * NUL-terminated, optionally capped (text cut at a UTF-8 boundary). */
#ifndef AGENT_BUF_H
#define AGENT_BUF_H
#include <stddef.h>

struct agent__buf {
	char *p;            /* NULL until something is added */
	size_t len, cap;
};

/* Room for need bytes in all (the NUL included).  0, or -1 (ENOMEM). */
int agent__buf_reserve(struct agent__buf *, size_t need);
/* Appends n bytes.  0, or -1 (ENOMEM) with as much added as there was
 * room for: text is cut, never lost entirely. */
int agent__buf_add(struct agent__buf *, const char *s, size_t n);
/* Appends what keeps the length at most max, cut at a UTF-8 boundary:
 * 0 all of it, 1 cut (or the buffer was full already), -1 ENOMEM. */
int agent__buf_add_max(struct agent__buf *, const char *s, size_t n, size_t max);
/* Empties it, and then appends s[0:n]. */
int agent__buf_set(struct agent__buf *, const char *s, size_t n);
void agent__buf_clear(struct agent__buf *);
/* The text: "" while nothing was added. */
const char *agent__buf_str(const struct agent__buf *);
void agent__buf_free(struct agent__buf *);

/* An array of n elements of size bytes with room for *cap: returns it
 * with room for at least one more (the room doubled, from 8, when full),
 * or NULL (ENOMEM) with the array and *cap as they were.  The one way the
 * library grows its arrays. */
void *agent__grow(void *array, size_t *cap, size_t n, size_t size);

/* Largest k <= n that does not split a UTF-8 sequence of s (s[n] must be
 * readable when it is a continuation byte). */
size_t agent__utf8_floor(const char *s, size_t n);

#endif
