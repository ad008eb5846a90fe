/* jsonw.h — the one JSON writer behind every -j: an object a line, written
 * straight to a FILE with no tree in memory (agent-tail -j writes one per
 * event over whole logs), its strings always valid JSON. */
#ifndef AGENT_JSONW_H
#define AGENT_JSONW_H
#include <stddef.h>
#include <stdio.h>

/* One object being written: begin, fields in order, end (which writes
 * it: the object is gathered here, handed to the FILE as it fills). */
struct agent_jw {
	FILE *f;
	int fields;    /* written so far: the next one needs a comma */
	int err;       /* a write failed */
	size_t n;      /* bytes in b */
	char b[4096];
};

void agent_jw_begin(struct agent_jw *, FILE *);
/* A field.  key is a literal of ours (written as it is: no characters JSON
 * must escape); a NULL string is written as null. */
void agent_jw_str(struct agent_jw *, const char *key, const char *v);
void agent_jw_int(struct agent_jw *, const char *key, long long v);
/* v with exactly digits decimals (3: seconds to the millisecond, 6: USD to
 * the micro-dollar). */
void agent_jw_fixed(struct agent_jw *, const char *key, double v, int digits);
void agent_jw_bool(struct agent_jw *, const char *key, int v);
void agent_jw_null(struct agent_jw *, const char *key);
/* An array of n strings (a NULL one written as ""). */
void agent_jw_strs(struct agent_jw *, const char *key, const char *const *v, size_t n);
/* Closes the object and the line ("}\n").  -1 when the FILE has an error. */
int agent_jw_end(struct agent_jw *);

/* Writes s as a JSON string (quotes included); invalid UTF-8 becomes
 * U+FFFD, so the output is always valid JSON.  -1 on a write error. */
int agent_json_str(FILE *, const char *s);

#endif
