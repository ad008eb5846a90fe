/* vis.h — making bytes from a log safe for a terminal: control characters,
 * C1 controls and invalid UTF-8 become visible escapes. */
#ifndef AGENT_VIS_H
#define AGENT_VIS_H
#include <stdio.h>
#include <stddef.h>

/* Writes len bytes of s to f with control characters escaped (ESC as \e,
 * CR as \r, others as \xNN; tab kept when keep_tab); valid printable UTF-8
 * passes unchanged, invalid bytes become \xNN.  -1 on a write error. */
int agent_vis_write(FILE *f, const char *s, size_t len, int keep_tab);

/* The same into a new NUL-terminated string (malloc'd); NULL on ENOMEM. */
char *agent_vis_str(const char *s, size_t len);

/* Bytes of s that fit in at most width columns (whole UTF-8 characters). */
size_t agent_vis_cut(const char *s, size_t len, size_t width);

#endif
