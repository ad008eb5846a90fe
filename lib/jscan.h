/* jscan.h — inside the library only: a strict JSON tokenizer that parses a
 * line into a reusable token array, so event lines cost no allocation. */
#ifndef AGENT_JSCAN_H
#define AGENT_JSCAN_H
#include <stddef.h>
#include <stdint.h>

enum agent__jval_type {
	AGENT__JV_NULL, AGENT__JV_BOOL, AGENT__JV_INT, AGENT__JV_DOUBLE,
	AGENT__JV_STRING, AGENT__JV_ARRAY, AGENT__JV_OBJECT
};

/* One value.  Objects are followed by key, value, key, value...; arrays by
 * their elements; skip is the token count of the whole subtree, so the next
 * sibling is this + skip. */
struct agent__jval {
	char *p;                 /* first byte (of a string: after the quote) */
	uint32_t len;            /* bytes (of a string: raw, then decoded) */
	uint32_t n;              /* members of an object, elements of an array */
	uint32_t skip;
	uint8_t type;
	uint8_t esc;             /* string holds escapes not yet decoded */
};

/* A parsed document: its tokens and a private copy of the text, in which
 * strings are decoded and NUL-terminated on demand.  Reused line to line. */
struct agent__jdoc {
	struct agent__jval *t;
	size_t n, cap;
	char *buf;
	size_t bufcap;
};

/* Nesting deeper than this is not JSON for us. */
#define AGENT__JDOC_DEPTH 512

/* Parses the value at the start of s (after blanks).  Bytes after a whole
 * value and blanks are left unread; *end (may be NULL) is where they start.
 * Returns the root token, NULL otherwise: errno EINVAL (not JSON), EAGAIN
 * (JSON so far, but s ends inside it: a line cut short), ENOMEM.
 * Tokens live until the next parse or agent__jdoc_free. */
struct agent__jval *agent__jdoc_parse(struct agent__jdoc *, const char *s, size_t len,
                                  size_t *end);
void agent__jdoc_free(struct agent__jdoc *);

int agent__jval_is(const struct agent__jval *, enum agent__jval_type);
/* The member key of object o (the last one when repeated); NULL none. */
struct agent__jval *agent__jval_get(struct agent__jval *o, const char *key);
/* Element i of array a; NULL out of range or not an array. */
struct agent__jval *agent__jval_idx(struct agent__jval *a, size_t i);
size_t agent__jval_len(const struct agent__jval *a);   /* 0 not an array */
/* A string's decoded value, NUL-terminated (cut at an escaped NUL); lone
 * surrogates become U+FFFD.  NULL when v is not a string. */
const char *agent__jval_str(struct agent__jval *v);
/* Numbers: ints as long long (saturated), any number as double. */
long long agent__jval_int(const struct agent__jval *v);
double agent__jval_double(const struct agent__jval *v);
int agent__jval_bool(const struct agent__jval *v);     /* json-c truthiness */
/* Walks an object: first member's key token, then the next key after k. */
struct agent__jval *agent__jval_first(struct agent__jval *o);
struct agent__jval *agent__jval_next(struct agent__jval *o, struct agent__jval *k);

#endif
