/* tmpl_int.h — inside the template engine: what the renderer (tmpl.c) and
 * the variables (tmpl_vars.c) share: the bounded output buffer and errors
 * with a file, line and column. */
#ifndef AGENT_TMPL_INT_H
#define AGENT_TMPL_INT_H
#include <stddef.h>
#include "tmpl.h"
#include "buf.h"

/* Appends to b, refusing (EFBIG) past AGENT_TMPL_MAX_OUTPUT.  -1 errno. */
int agent__tmpl_buf_add(struct agent__buf *b, const char *s, size_t n);
int agent__tmpl_buf_addc(struct agent__buf *b, char c);
/* Fills err with the position of off in src (line and column) and the
 * message; errno EINVAL; returns -1. */
int agent__tmpl_fail(struct agent_tmpl_error *err, const char *file, const char *src,
                     size_t off, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

/* The length of the variable name at the start of s (at most n bytes). */
size_t agent__tmpl_name_len(const char *s, size_t n);

static inline int
blank(int c)
{
	return c == ' ' || c == '\t';
}

#endif
