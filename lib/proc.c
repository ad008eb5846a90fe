/* proc.c — reading the Linux process table from /proc: parent, session,
 * start time and CPU of each process, and one process's environment. */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "log.h"
#include "proc.h"
#include "buf.h"

/* Parses the text of /proc/PID/stat.  The command name may hold spaces and
 * parentheses, so the fields are counted from the last ')'. */
static int
parse_stat(const char *buf, struct agent__proc *p)
{
	const char *s = strrchr(buf, ')'), *c = strchr(buf, '(');
	long long v[20];
	char *end;
	int i;

	if (!s || !c || c > s || s[1] != ' ' || !s[2])
		return -1;
	p->supervisor = (size_t)(s - c - 1) == sizeof AGENT__SUPERVISOR_COMM - 1 &&
	                memcmp(c + 1, AGENT__SUPERVISOR_COMM, sizeof AGENT__SUPERVISOR_COMM - 1) == 0;
	p->state = s[2];
	s += 3;
	/* fields 4 (ppid) .. 22 (starttime) */
	for (i = 0; i < 19; i++) {
		while (*s == ' ')
			s++;
		errno = 0;
		v[i] = strtoll(s, &end, 10);
		if (end == s || errno)
			return -1;
		s = end;
	}
	p->ppid = (pid_t)v[0];
	p->pgid = (pid_t)v[1];
	p->sid = (pid_t)v[2];
	/* fields 14-17: utime, stime, and cutime, cstime of the children it
	 * waited for, so the sum over a tree does not drop when one exits */
	p->ticks = v[10] + v[11] + v[12] + v[13];
	p->start = (unsigned long long)v[18];
	p->supervisor = p->supervisor && p->sid == p->pid;
	return 0;
}

static int
read_stat(int dirfd, const char *path, pid_t pid, struct agent__proc *p)
{
	char buf[1024];
	ssize_t r;
	int fd, e;

	fd = openat(dirfd, path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	r = read(fd, buf, sizeof buf - 1);
	e = errno;
	close(fd);
	if (r < 0) {
		/* a process that exits between open and read reads as ESRCH */
		errno = e == ESRCH ? ENOENT : e;
		return -1;
	}
	buf[r] = '\0';
	memset(p, 0, sizeof *p);
	p->pid = pid;
	if (parse_stat(buf, p) < 0) {
		errno = EINVAL;
		return -1;
	}
	return 0;
}

int
agent__proc_stat(pid_t pid, struct agent__proc *p)
{
	char path[64];

	if (pid <= 0) {
		errno = ENOENT;
		return -1;
	}
	snprintf(path, sizeof path, "/proc/%ld/stat", (long)pid);
	return read_stat(AT_FDCWD, path, pid, p);
}

int
agent__proc_scan(struct agent__proc **out, size_t *nout)
{
	struct agent__proc *v = NULL, *nv;
	size_t n = 0, cap = 0;
	struct dirent *de;
	char path[300];
	DIR *d;
	int e;

	if (!(d = opendir("/proc")))
		return -1;
	while ((errno = 0, de = readdir(d))) {
		char *end;
		long pid;

		if (!isdigit((unsigned char)de->d_name[0]))
			continue;
		pid = strtol(de->d_name, &end, 10);
		if (*end || pid <= 0)
			continue;
		if (!(nv = agent__grow(v, &cap, n, sizeof *v)))
			goto fail;
		v = nv;
		snprintf(path, sizeof path, "%s/stat", de->d_name);
		if (read_stat(dirfd(d), path, (pid_t)pid, &v[n]) == 0)
			n++;
	}
	if (errno)
		goto fail;
	closedir(d);
	*out = v;
	*nout = n;
	return 0;
fail:
	e = errno;
	closedir(d);
	free(v);
	errno = e;
	return -1;
}

int
agent__proc_has_env(pid_t pid, const char *entry)
{
	char path[64], buf[4096];
	size_t want = strlen(entry), pos = 0;
	int match = 1, found = 0, fd;
	ssize_t r, i, total = 0;

	snprintf(path, sizeof path, "/proc/%ld/environ", (long)pid);
	/* ESRCH: the process is there but its memory is gone (see below) */
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return errno == ESRCH ? -1 : 0;
	/* streamed entry by entry: an environment can be megabytes */
	while (!found && (r = read(fd, buf, sizeof buf)) > 0) {
		total += r;
		for (i = 0; i < r; i++) {
			if (buf[i] == '\0') {
				if (match && pos == want) {
					found = 1;
					break;
				}
				match = 1;
				pos = 0;
			} else if (match) {
				if (pos < want && buf[i] == entry[pos])
					pos++;
				else
					match = 0;
			}
		}
	}
	close(fd);
	/* no byte at all: the process has no memory left to read, it is
	 * exiting (or a zombie); whose it was can no longer be told */
	return found ? 1 : total == 0 ? -1 : 0;
}

static int
by_pid(const void *a, const void *b)
{
	pid_t x = ((const struct agent__proc *)a)->pid, y = ((const struct agent__proc *)b)->pid;

	return (x > y) - (x < y);
}

static struct agent__proc *
find(struct agent__proc *v, size_t n, pid_t pid)
{
	struct agent__proc key = { .pid = pid };

	return bsearch(&key, v, n, sizeof *v, by_pid);
}

long long
agent_proc_cpu_ticks(const pid_t *pids, int n)
{
	struct agent__proc *v, *t;
	unsigned char *in;
	size_t nv, i;
	long long sum = 0;
	int found = 0, changed, k;

	if (agent__proc_scan(&v, &nv) < 0)
		return -1;
	if ((in = calloc(nv + 1, 1)) == NULL) {
		free(v);
		return -1;
	}
	qsort(v, nv, sizeof *v, by_pid);
	for (k = 0; k < n; k++)
		if ((t = find(v, nv, pids[k])) != NULL)
			in[t - v] = 1;
	/* process trees are shallow: passes until nothing new joins */
	do {
		changed = 0;
		for (i = 0; i < nv; i++)
			if (!in[i] && (t = find(v, nv, v[i].ppid)) != NULL && in[t - v])
				in[i] = changed = 1;
	} while (changed);
	for (i = 0; i < nv; i++)
		if (in[i]) {
			sum += v[i].ticks;
			found = 1;
		}
	free(in);
	free(v);
	return found ? sum : -1;
}
