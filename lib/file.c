/* file.c — one reader for whole prompts, templates and run records: a file
 * or standard input, NUL-terminated, bounded. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "file.h"

int
agent__read_fd(int fd, size_t max, char **bufp, size_t *lenp)
{
	size_t n = 0, cap = 8192;
	char *buf = NULL, *nb;
	ssize_t r;
	int e;

	for (;;) {
		if (!buf || n == cap) {
			/* one byte past the bound tells a text that is too long */
			if (buf && cap > max) {
				errno = EFBIG;
				goto fail;
			}
			if (buf)
				cap = cap > max / 2 ? max + 1 : cap * 2;
			/* +1: the NUL */
			if (!(nb = realloc(buf, cap + 1)))
				goto fail;
			buf = nb;
		}
		if ((r = read(fd, buf + n, cap - n)) < 0) {
			if (errno == EINTR)
				continue;
			goto fail;
		}
		if (r == 0)
			break;
		n += (size_t)r;
	}
	buf[n] = '\0';
	*bufp = buf;
	*lenp = n;
	return 0;
fail:
	e = errno;
	free(buf);
	errno = e;
	return -1;
}

int
agent_read_text(const char *path, char **bufp, size_t *lenp)
{
	int fd = strcmp(path, "-") == 0 ? 0 : open(path, O_RDONLY | O_CLOEXEC);
	int r, e;

	if (fd < 0)
		return -1;
	r = agent__read_fd(fd, AGENT_TEXT_MAX, bufp, lenp);
	e = errno;
	if (fd != 0)
		close(fd);
	errno = e;
	return r;
}
