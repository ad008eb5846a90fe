/* file.h — reading a whole file, or standard input, into memory with a
 * bound: prompts and templates are text for a model, not data. */
#ifndef AGENT_FILE_H
#define AGENT_FILE_H
#include <stddef.h>

/* The most a prompt or template read whole may hold: it only bounds a
 * runaway pipe. */
#define AGENT_TEXT_MAX ((size_t)64 << 20)

/* Reads path ("-": standard input, left open) whole into a malloc'd buffer,
 * NUL-terminated (*len does not count the NUL; the text may hold NULs).
 * -1 with errno: the open's or read's, EFBIG past AGENT_TEXT_MAX, ENOMEM. */
int agent_read_text(const char *path, char **buf, size_t *len);

/* Inside the library: the same from an open descriptor (left open), at
 * most max bytes. */
int agent__read_fd(int fd, size_t max, char **buf, size_t *len);

#endif
