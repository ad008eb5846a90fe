/* jscan.h — inside the library only: a strict JSON tokenizer that parses a
 * line into a reusable token array, so event lines cost no allocation. */
#ifndef AGENT_JSCAN_H
#define AGENT_JSCAN_H
#include <stddef.h>
#include <stdint.h>

enum agent__jt_type {
	AGENT__JT_NULL, AGENT__JT_BOOL, AGENT__JT_INT, AGENT__JT_DOUBLE,
	AGENT__JT_STRING, AGENT__JT_ARRAY, AGENT__JT_OBJECT
};

/* One value.  Objects are followed by key, value, key, value...; arrays by
 * their elements; skip is the token count of the whole subtree, so the next
 * sibling is this + skip. */
struct agent__jt {
	char *p;                 /* first byte (of a string: after the quote) */
	uint32_t len;            /* bytes (of a string: raw, then decoded) */
	uint32_t n;              /* members of an object, elements of an array */
	uint32_t skip;
	uint8_t type;
	uint8_t esc;             /* string holds escapes not yet decoded */
};

/* A parsed document: its tokens and a private copy of the text, in which
 * strings are decoded and NUL-terminated on demand.  Reused line to line. */
struct agent__js {
	struct agent__jt *t;
	size_t n, cap;
	char *buf;
	size_t bufcap;
};

/* Nesting deeper than this is not JSON for us. */
#define AGENT__JS_DEPTH 512

/* Parses the value at the start of s (after blanks).  Bytes after a whole
 * value and blanks are left unread; *end (may be NULL) is where they start.
 * Returns the root token, NULL (errno EINVAL: not JSON, ENOMEM) otherwise.
 * Tokens live until the next parse or agent__js_free. */
struct agent__jt *agent__js_parse(struct agent__js *, const char *s, size_t len,
                                  size_t *end);
void agent__js_free(struct agent__js *);

int agent__js_is(const struct agent__jt *, enum agent__jt_type);
/* The member key of object o (the last one when repeated); NULL none. */
struct agent__jt *agent__js_get(struct agent__jt *o, const char *key);
/* Element i of array a; NULL out of range or not an array. */
struct agent__jt *agent__js_idx(struct agent__jt *a, size_t i);
size_t agent__js_len(const struct agent__jt *a);   /* 0 not an array */
/* A string's decoded value, NUL-terminated (cut at an escaped NUL); lone
 * surrogates become U+FFFD.  NULL when v is not a string. */
const char *agent__js_str(struct agent__jt *v);
/* Numbers: ints as long long (saturated), any number as double. */
long long agent__js_int(const struct agent__jt *v);
double agent__js_double(const struct agent__jt *v);
int agent__js_bool(const struct agent__jt *v);     /* json-c truthiness */
/* Walks an object: first member's key token, then the next key after k. */
struct agent__jt *agent__js_first(struct agent__jt *o);
struct agent__jt *agent__js_next(struct agent__jt *o, struct agent__jt *k);

#endif
