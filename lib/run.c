/* run.c — the run directory of agent-run(5): making one with a fresh id,
 * finding a run by id, prefix or "@", reading and writing its records
 * atomically, removing it.  The records' JSON is run_record.c's, liveness
 * and processes run_proc.c's. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include "run_int.h"
#include "file.h"
#include "buf.h"

/* Crockford's base32, lower case: no i, l, o, u to misread or misspell. */
static const char id_alphabet[] = "0123456789abcdefghjkmnpqrstvwxyz";

/* Records are small; this only bounds a corrupt or hostile one. */
#define RECORD_MAX ((size_t)64 << 20)

char *
agent_runs_dir(void)
{
	const char *e = getenv("AGENT_RUNS"), *home;
	char *s;
	struct passwd *pw;

	if (e && *e)
		return strdup(e);
	e = getenv("XDG_STATE_HOME");
	/* the XDG spec says relative values are invalid and must be ignored */
	if (e && *e == '/') {
		if (asprintf(&s, "%s/agentutils/runs", e) < 0)
			return NULL;
		return s;
	}
	home = getenv("HOME");
	if (!home || !*home) {
		if (!(pw = getpwuid(getuid())) || !pw->pw_dir) {
			errno = ENOENT;
			return NULL;
		}
		home = pw->pw_dir;
	}
	if (asprintf(&s, "%s/.local/state/agentutils/runs", home) < 0)
		return NULL;
	return s;
}

int
agent__mkdirs(const char *path)
{
	char *p, *s;
	struct stat st;

	if (!*path) {
		errno = ENOENT;
		return -1;
	}
	if (!(p = strdup(path)))
		return -1;
	for (s = p + 1; ; s++) {
		if (*s != '/' && *s)
			continue;
		char c = *s;
		*s = '\0';
		if (mkdir(p, 0700) < 0 && errno != EEXIST)
			goto fail;
		*s = c;
		if (!c)
			break;
	}
	if (stat(p, &st) < 0)
		goto fail;
	if (!S_ISDIR(st.st_mode)) {
		errno = ENOTDIR;
		goto fail;
	}
	free(p);
	return 0;
fail:
	free(p);   /* keeps errno */
	return -1;
}

int
agent_runs_mkdir(const char *runs)
{
	return agent__mkdirs(runs);
}

int
agent_run_id_valid(const char *s)
{
	int i;

	if (strlen(s) != AGENT_RUN_ID_LEN)
		return 0;
	for (i = 0; i < AGENT_RUN_ID_LEN; i++) {
		char c = s[i];
		if (i == 8 || i == 15) {
			if (c != '-')
				return 0;
		} else if (i < 15) {
			if (c < '0' || c > '9')
				return 0;
		} else if (!c || !strchr(id_alphabet, c))
			return 0;
	}
	return 1;
}

int
agent__run_mkdir(int runsfd, char *id)
{
	unsigned char rnd[4];
	struct tm tm;
	time_t now;
	int tries, i, fd;

	for (tries = 0; tries < 1000; tries++) {
		now = time(NULL);
		if (!gmtime_r(&now, &tm) ||
		    strftime(id, AGENT_RUN_ID_LEN + 1, "%Y%m%d-%H%M%S-", &tm) != 16) {
			errno = EOVERFLOW;
			return -1;
		}
		if (getrandom(rnd, sizeof rnd, 0) != (ssize_t)sizeof rnd)
			return -1;
		for (i = 0; i < 4; i++)
			id[16 + i] = id_alphabet[rnd[i] & 31];
		id[AGENT_RUN_ID_LEN] = '\0';
		/* the directory's creation is what makes the id ours */
		if (mkdirat(runsfd, id, 0700) == 0)
			break;
		if (errno != EEXIST)
			return -1;
	}
	if (tries == 1000) {
		errno = EEXIST;
		return -1;
	}
	if ((fd = openat(runsfd, id, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)) < 0)
		return -1;
	/* whatever the umask, a run directory is the owner's alone */
	if (fchmod(fd, 0700) < 0) {
		int e = errno;
		close(fd);
		errno = e;
		return -1;
	}
	return fd;
}

static int
write_all(int fd, const void *buf, size_t len)
{
	const char *p = buf;
	ssize_t w;

	while (len > 0) {
		if ((w = write(fd, p, len)) < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += w;
		len -= (size_t)w;
	}
	return 0;
}

int
agent__run_write(int dirfd, const char *name, const void *buf, size_t len, int sync)
{
	char tmp[NAME_MAX + 1];
	unsigned rnd;
	int fd = -1, tries, e;

	for (tries = 0; tries < 100; tries++) {
		if (getrandom(&rnd, sizeof rnd, 0) != (ssize_t)sizeof rnd)
			return -1;
		if (snprintf(tmp, sizeof tmp, ".%s.%ld.%08x", name, (long)getpid(), rnd)
		    >= (int)sizeof tmp) {
			errno = ENAMETOOLONG;
			return -1;
		}
		fd = openat(dirfd, tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
		if (fd >= 0 || errno != EEXIST)
			break;
	}
	if (fd < 0)
		return -1;
	if (write_all(fd, buf, len) < 0 || (sync && fsync(fd) < 0))
		goto fail;
	if (close(fd) < 0) {
		fd = -1;
		goto fail;
	}
	fd = -1;
	if (renameat(dirfd, tmp, dirfd, name) < 0)
		goto fail;
	return 0;
fail:
	e = errno;
	if (fd >= 0)
		close(fd);
	unlinkat(dirfd, tmp, 0);
	errno = e;
	return -1;
}

int
agent__run_read(int dirfd, const char *name, char **out, size_t *outlen)
{
	struct stat st;
	size_t len;
	int fd, e;

	if ((fd = openat(dirfd, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)) < 0)
		return -1;
	if (fstat(fd, &st) < 0)
		goto fail;
	if (!S_ISREG(st.st_mode)) {
		errno = EINVAL;
		goto fail;
	}
	if (agent__read_fd(fd, RECORD_MAX, out, &len) < 0)
		goto fail;
	close(fd);
	if (outlen)
		*outlen = len;
	return 0;
fail:
	e = errno;
	close(fd);
	errno = e;
	return -1;
}

/* --- opening runs ------------------------------------------------------ */

/* Opens the run directory path (relative to atfd); shown is its full name. */
static struct agent_run *
open_at(int atfd, const char *path, const char *shown, int nofollow)
{
	struct agent_run *r;
	char *buf = NULL;
	size_t len;
	int e;

	if (!(r = calloc(1, sizeof *r)))
		return NULL;
	r->dirfd = -1;
	r->dirfd = openat(atfd, path, O_RDONLY | O_DIRECTORY | O_CLOEXEC |
	                              (nofollow ? O_NOFOLLOW : 0));
	if (r->dirfd < 0) {
		/* a symlink or a file where a run should be: no such run */
		if (nofollow && (errno == ELOOP || errno == ENOTDIR))
			errno = ENOENT;
		goto fail;
	}
	if (agent__run_read(r->dirfd, "meta.json", &buf, &len) < 0)
		goto fail;
	if (agent__run_meta_parse(buf, len, r) < 0)
		goto fail;
	free(buf);
	buf = NULL;
	if (shown)
		r->path = strdup(shown);
	else if (!(r->path = realpath(path, NULL)))
		r->path = strdup(path);
	if (!r->path)
		goto fail;
	if (!r->log && asprintf(&r->log, "%s/log", r->path) < 0) {
		r->log = NULL;
		goto fail;
	}
	/* an isolated run recorded before "xdg" was: its own */
	if (r->isolate && !r->xdg && asprintf(&r->xdg, "%s/xdg", r->path) < 0) {
		r->xdg = NULL;
		goto fail;
	}
	return r;
fail:
	e = errno;
	free(buf);
	agent_run_free(r);
	errno = e;
	return NULL;
}

struct agent_run *
agent_run_open_dir(const char *path)
{
	return open_at(AT_FDCWD, path, NULL, 0);
}

void
agent_run_free(struct agent_run *r)
{
	if (!r)
		return;
	if (r->dirfd >= 0)
		close(r->dirfd);
	agent__run_clear(r);
	free(r);
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static char **
list_ids(const char *runs, size_t *nout)
{
	char **v = NULL, **nv;
	size_t n = 0, cap = 0;
	struct dirent *de;
	DIR *d;
	int e;

	if (!(d = opendir(runs))) {
		if (errno != ENOENT)
			return NULL;
		if (!(v = calloc(1, sizeof *v)))
			return NULL;
		*nout = 0;
		return v;
	}
	while ((errno = 0, de = readdir(d))) {
		if (!agent_run_id_valid(de->d_name) ||
		    (de->d_type != DT_DIR && de->d_type != DT_UNKNOWN))
			continue;
		/* room for this one and the NULL after the last */
		if (!(nv = agent__grow(v, &cap, n + 1, sizeof *v)))
			goto fail;
		v = nv;
		if (!(v[n] = strdup(de->d_name)))
			goto fail;
		n++;
	}
	if (errno)
		goto fail;
	closedir(d);
	if (!v && !(v = calloc(1, sizeof *v)))
		return NULL;
	v[n] = NULL;
	qsort(v, n, sizeof *v, cmp_str);
	*nout = n;
	return v;
fail:
	e = errno;
	closedir(d);
	while (n > 0)
		free(v[--n]);
	free(v);
	errno = e;
	return NULL;
}

char **
agent_run_ids(size_t *n)
{
	char *runs, **v;
	size_t dummy;
	int e;

	if (!(runs = agent_runs_dir()))
		return NULL;
	v = list_ids(runs, n ? n : &dummy);
	e = errno;
	free(runs);
	errno = e;
	return v;
}

void
agent_run_ids_free(char **v)
{
	char **p;

	if (!v)
		return;
	for (p = v; *p; p++)
		free(*p);
	free(v);
}

static struct agent_run *
open_id(const char *runs, const char *id)
{
	struct agent_run *r;
	char *shown;
	int fd, e;

	if (asprintf(&shown, "%s/%s", runs, id) < 0)
		return NULL;
	if ((fd = open(runs, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0) {
		e = errno;
		free(shown);
		errno = e;
		return NULL;
	}
	/* a run directory is never a symlink: one planted there is not a run */
	r = open_at(fd, id, shown, 1);
	e = errno;
	close(fd);
	free(shown);
	errno = e;
	return r;
}

/* The newest run: the greatest id, and among the ids of that same second
 * the one started last (the random part of an id says nothing of order). */
static struct agent_run *
open_newest(const char *runs)
{
	struct agent_run *best = NULL, *r;
	size_t n, i;
	char **v;

	if (!(v = list_ids(runs, &n)))
		return NULL;
	for (i = n; i-- > 0; ) {
		if (best && strncmp(v[i], best->id, 15) != 0)
			break;
		if (!(r = open_id(runs, v[i])))
			continue;   /* being created, or not a run */
		if (!best || r->started > best->started) {
			agent_run_free(best);
			best = r;
		} else
			agent_run_free(r);
	}
	agent_run_ids_free(v);
	if (!best)
		errno = ENOENT;
	return best;
}

struct agent_run *
agent_run_open(const char *spec)
{
	struct agent_run *r = NULL;
	char *runs, **v = NULL, *match = NULL;
	size_t n, i, plen;
	int e;

	if (!spec || !*spec) {
		errno = ENOENT;
		return NULL;
	}
	if (strchr(spec, '/') || !strcmp(spec, ".") || !strcmp(spec, ".."))
		return agent_run_open_dir(spec);
	if (!(runs = agent_runs_dir()))
		return NULL;
	if (!strcmp(spec, "@")) {
		r = open_newest(runs);
		goto out;
	}
	if (agent_run_id_valid(spec)) {
		r = open_id(runs, spec);
		goto out;
	}
	if (!(v = list_ids(runs, &n)))
		goto out;
	plen = strlen(spec);
	for (i = 0; i < n; i++) {
		if (strncmp(v[i], spec, plen) != 0)
			continue;
		if (match) {
			errno = ENOTUNIQ;
			goto out;
		}
		match = v[i];
	}
	if (!match) {
		errno = ENOENT;
		goto out;
	}
	r = open_id(runs, match);
out:
	e = errno;
	agent_run_ids_free(v);
	free(runs);
	errno = e;
	return r;
}

const char *agent_run_id(const struct agent_run *r) { return r->id; }
const char *agent_run_path(const struct agent_run *r) { return r->path; }
const char *agent_run_log(const struct agent_run *r) { return r->log; }
const char *agent_run_agent(const struct agent_run *r) { return r->agent; }
const char *agent_run_dialect(const struct agent_run *r) { return r->dialect; }
const char *agent_run_label(const struct agent_run *r) { return r->label; }
const char *agent_run_parent(const struct agent_run *r) { return r->parent; }
const char *agent_run_spawned_by(const struct agent_run *r) { return r->spawned_by; }
const char *agent_run_workdir(const struct agent_run *r) { return r->workdir; }
const char *agent_run_model(const struct agent_run *r) { return r->model; }
const char *agent_run_agent_name(const struct agent_run *r) { return r->agent_name; }
const char *agent_run_on_exit(const struct agent_run *r) { return r->on_exit; }
const char *agent_run_worktree(const struct agent_run *r) { return r->worktree; }
const char *agent_run_branch(const struct agent_run *r) { return r->branch; }
const char *agent_run_repo(const struct agent_run *r) { return r->repo; }
double agent_run_started(const struct agent_run *r) { return r->started; }
pid_t agent_run_supervisor(const struct agent_run *r) { return r->supervisor; }
pid_t agent_run_pid(const struct agent_run *r) { return r->pid; }
pid_t agent_run_pgid(const struct agent_run *r) { return r->pgid; }
char *const *agent_run_argv(const struct agent_run *r) { return r->argv; }
int agent_run_isolated(const struct agent_run *r) { return r->isolate; }
const char *agent_run_xdg(const struct agent_run *r) { return r->isolate ? r->xdg : NULL; }
char *const *agent_run_sandbox(const struct agent_run *r) { return r->sandbox; }

/* --- removal ------------------------------------------------------------ */

static int
remove_at(int atfd, const char *name)
{
	struct dirent *de;
	DIR *d;
	int fd, rc = 0;

	if (unlinkat(atfd, name, 0) == 0)
		return 0;
	if (errno != EISDIR && errno != EPERM)
		return errno == ENOENT ? 0 : -1;
	if ((fd = openat(atfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)) < 0)
		return -1;
	if (!(d = fdopendir(fd))) {
		close(fd);
		return -1;
	}
	while ((de = readdir(d))) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		if (remove_at(dirfd(d), de->d_name) < 0)
			rc = -1;
	}
	closedir(d);
	if (unlinkat(atfd, name, AT_REMOVEDIR) < 0)
		rc = -1;
	return rc;
}

int
agent__run_remove(int runsfd, const char *id)
{
	return remove_at(runsfd, id);
}
