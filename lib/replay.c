/* replay.c — the parts of agent-replay that are not options and output:
 * recorded line times, the continuation's name, the manifest's status. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "replay.h"
#include "timestamp.h"

static int
digits(const char *s, size_t n, int *v)
{
	int x = 0;
	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		x = x * 10 + (s[i] - '0');
	}
	*v = x;
	return 0;
}

double
agent_replay_line_time(const char *line, size_t len)
{
	static const char key[] = "\"timestamp\"";
	const char *p = memmem(line, len, key, sizeof key - 1), *end = line + len;
	int h, m, s;

	if (p) {
		p += sizeof key - 1;
		while (p < end && (*p == ' ' || *p == '\t'))
			p++;
		if (p < end && *p == ':')
			p++;
		while (p < end && (*p == ' ' || *p == '\t'))
			p++;
		if (p < end && *p == '"')
			return agent__iso_time_at(p + 1, (size_t)(end - p - 1), NULL);
		if (p < end && *p >= '0' && *p <= '9') {
			double v = 0;
			for (; p < end && *p >= '0' && *p <= '9'; p++)
				v = v * 10 + (*p - '0');
			/* Epoch milliseconds from about 1973 on; seconds before. */
			return v > 1e11 ? v / 1000 : v;
		}
		return -1;
	}
	if (len >= 10 && line[0] == '[' && line[3] == ':' && line[6] == ':' && line[9] == ']' &&
	    !digits(line + 1, 2, &h) && !digits(line + 4, 2, &m) && !digits(line + 7, 2, &s) &&
	    h < 24 && m < 60 && s < 61)
		return h * 3600.0 + m * 60.0 + s;
	return -1;
}

char *
agent_replay_continuation(const char *path)
{
	size_t n = strlen(path);
	char *s;

	if (n > 4 && strcmp(path + n - 4, ".log") == 0) {
		if (asprintf(&s, "%.*s.resume.log", (int)(n - 4), path) < 0)
			return NULL;
	} else if (asprintf(&s, "%s.resume", path) < 0)
		return NULL;
	return s;
}

/* Looks rel up in the manifest at mpath: 1 found, 0 not, -1 error. */
static int
manifest_lookup(const char *mpath, const char *rel, int *status)
{
	FILE *f = fopen(mpath, "re");
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	int found = 0;

	if (!f)
		return errno == ENOENT || errno == ENOTDIR || errno == EACCES ? 0 : -1;
	while ((n = getline(&line, &cap, f)) > 0) {
		char *tab1 = strchr(line, '\t'), *tab2, *endp;
		long v;
		if (line[0] == '#' || !tab1)
			continue;
		if ((size_t)(tab1 - line) != strlen(rel) || strncmp(line, rel, strlen(rel)) != 0)
			continue;
		if (!(tab2 = strchr(tab1 + 1, '\t')))
			continue;
		errno = 0;
		v = strtol(tab2 + 1, &endp, 10);
		if (errno || endp == tab2 + 1 || (*endp != '\t' && *endp != '\n' && *endp) ||
		    v < 0 || v > 255)
			continue;
		*status = (int)v;
		found = 1;
		break;
	}
	if (!found && ferror(f))
		found = -1;
	free(line);
	fclose(f);
	return found;
}

int
agent_replay_manifest_status(const char *path, int *status)
{
	char *real = realpath(path, NULL), *slash;
	int rc = 0;

	if (!real)
		return -1;
	/* real = dir/rel; move the split point up one directory at a time. */
	slash = strrchr(real, '/');
	for (int level = 0; level < 4 && slash && slash > real; level++) {
		char *mpath;
		*slash = '\0';
		if (asprintf(&mpath, "%s/MANIFEST.tsv", real) < 0) {
			rc = -1;
			break;
		}
		rc = manifest_lookup(mpath, slash + 1, status);
		free(mpath);
		*slash = '/';
		if (rc != 0)
			break;
		do
			slash--;
		while (slash > real && *slash != '/');
	}
	free(real);
	return rc;
}
