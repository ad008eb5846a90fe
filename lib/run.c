/* run.c — the run directory of agent-run(5): finding a run by id, prefix or
 * "@", reading and writing its records atomically, liveness by its lock. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/pidfd.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <json-c/json.h>
#include "run_int.h"
#include "file.h"
#include "proc.h"

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
	int e;

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
	e = errno;
	free(p);
	errno = e;
	return -1;
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

/* --- JSON records ------------------------------------------------------ */

static json_object *
json_parse_strict(const char *buf, size_t len)
{
	struct json_tokener *tok;
	json_object *o;
	size_t end;

	if (len > INT_MAX || !(tok = json_tokener_new()))
		return NULL;
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT);
	o = json_tokener_parse_ex(tok, buf, (int)len);
	if (json_tokener_get_error(tok) != json_tokener_success) {
		json_object_put(o);
		o = NULL;
	} else {
		/* one object and nothing but white space after it */
		for (end = json_tokener_get_parse_end(tok); end < len; end++)
			if (!strchr(" \t\r\n", buf[end])) {
				json_object_put(o);
				o = NULL;
				break;
			}
	}
	json_tokener_free(tok);
	if (o && !json_object_is_type(o, json_type_object)) {
		json_object_put(o);
		o = NULL;
	}
	return o;
}

/* A string field: absent or null gives NULL; 0 ok, -1 wrong type or ENOMEM. */
static int
get_str(json_object *o, const char *key, char **out)
{
	json_object *v;

	*out = NULL;
	if (!json_object_object_get_ex(o, key, &v) || !v)
		return 0;
	if (!json_object_is_type(v, json_type_string))
		return -1;
	return (*out = strdup(json_object_get_string(v))) ? 0 : -1;
}

/* A number field: absent or null leaves *out; 0 ok, -1 wrong type. */
static int
get_num(json_object *o, const char *key, double *out)
{
	json_object *v;

	if (!json_object_object_get_ex(o, key, &v) || !v)
		return 0;
	if (!json_object_is_type(v, json_type_int) &&
	    !json_object_is_type(v, json_type_double))
		return -1;
	*out = json_object_get_double(v);
	return 0;
}

static int
get_int(json_object *o, const char *key, long long min, long long max, long long *out)
{
	json_object *v;
	long long n;

	if (!json_object_object_get_ex(o, key, &v) || !v)
		return 0;
	if (!json_object_is_type(v, json_type_int))
		return -1;
	errno = 0;
	n = json_object_get_int64(v);
	if (errno || n < min || n > max)
		return -1;
	*out = n;
	return 0;
}

static int
get_bool(json_object *o, const char *key, int *out)
{
	json_object *v;

	if (!json_object_object_get_ex(o, key, &v) || !v)
		return 0;
	if (!json_object_is_type(v, json_type_boolean))
		return -1;
	*out = json_object_get_boolean(v);
	return 0;
}

static int
check_version(json_object *o, int *version)
{
	long long v = -1;

	if (get_int(o, "version", 1, INT_MAX, &v) < 0 || v < 0) {
		errno = EBADMSG;
		return -1;
	}
	if (v != AGENT_RUN_VERSION) {
		errno = ENOTSUP;
		return -1;
	}
	if (version)
		*version = (int)v;
	return 0;
}

void
agent__run_clear(struct agent_run *r)
{
	char **a;

	free(r->path);
	free(r->id);
	free(r->agent);
	free(r->dialect);
	free(r->workdir);
	free(r->label);
	free(r->parent);
	free(r->spawned_by);
	free(r->model);
	free(r->agent_name);
	free(r->log);
	free(r->on_exit);
	free(r->worktree);
	free(r->branch);
	free(r->repo);
	if (r->argv) {
		for (a = r->argv; *a; a++)
			free(*a);
		free(r->argv);
	}
}

int
agent__run_meta_parse(const char *buf, size_t len, struct agent_run *r)
{
	json_object *o, *av, *el;
	long long n;
	size_t i, na;

	if (!(o = json_parse_strict(buf, len))) {
		errno = EBADMSG;
		return -1;
	}
	if (check_version(o, &r->version) < 0)
		goto fail_keep;
	if (get_str(o, "id", &r->id) < 0 || get_str(o, "agent", &r->agent) < 0 ||
	    get_str(o, "dialect", &r->dialect) < 0 ||
	    get_str(o, "workdir", &r->workdir) < 0 ||
	    get_str(o, "label", &r->label) < 0 ||
	    get_str(o, "parent", &r->parent) < 0 ||
	    get_str(o, "spawned_by", &r->spawned_by) < 0 ||
	    get_str(o, "model", &r->model) < 0 ||
	    get_str(o, "agent_name", &r->agent_name) < 0 ||
	    get_str(o, "log", &r->log) < 0 ||
	    get_str(o, "on_exit", &r->on_exit) < 0 ||
	    get_str(o, "worktree", &r->worktree) < 0 ||
	    get_str(o, "branch", &r->branch) < 0 ||
	    get_str(o, "repo", &r->repo) < 0 ||
	    get_num(o, "started", &r->started) < 0 ||
	    get_bool(o, "isolate", &r->isolate) < 0)
		goto fail;
	if (!r->id || !agent_run_id_valid(r->id))
		goto fail;
	n = 0;
	if (get_int(o, "supervisor", 1, INT_MAX, &n) < 0)
		goto fail;
	r->supervisor = (pid_t)n;
	n = 0;
	if (get_int(o, "pid", 1, INT_MAX, &n) < 0)
		goto fail;
	r->pid = (pid_t)n;
	n = 0;
	if (get_int(o, "pgid", 1, INT_MAX, &n) < 0)
		goto fail;
	r->pgid = (pid_t)n;
	n = 0;
	if (get_int(o, "supervisor_start", 0, LLONG_MAX, &n) < 0)
		goto fail;
	r->supervisor_start = (unsigned long long)n;
	if (!json_object_object_get_ex(o, "argv", &av) ||
	    !json_object_is_type(av, json_type_array))
		goto fail;
	na = json_object_array_length(av);
	if (!(r->argv = calloc(na + 1, sizeof *r->argv)))
		goto fail;
	for (i = 0; i < na; i++) {
		el = json_object_array_get_idx(av, i);
		if (!el || !json_object_is_type(el, json_type_string) ||
		    !(r->argv[i] = strdup(json_object_get_string(el))))
			goto fail;
	}
	json_object_put(o);
	return 0;
fail:
	errno = EBADMSG;
fail_keep:
	{
		int e = errno;
		json_object_put(o);
		errno = e;
	}
	return -1;
}

static json_object *
jstr(const char *s)
{
	return s ? json_object_new_string(s) : NULL;
}

static json_object *
jpid(pid_t p)
{
	return p > 0 ? json_object_new_int(p) : NULL;
}

static json_object *
jtime(double t)
{
	char buf[64];

	/* milliseconds are enough, and read better than %.17g */
	snprintf(buf, sizeof buf, "%.3f", t);
	return json_object_new_double_s(t, buf);
}

/* Serialises o (then releases it) into a malloc'd line. */
static char *
json_line(json_object *o)
{
	const char *s;
	char *line = NULL;

	s = json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN |
	                                      JSON_C_TO_STRING_NOSLASHESCAPE);
	if (s && asprintf(&line, "%s\n", s) < 0)
		line = NULL;
	json_object_put(o);
	return line;
}

char *
agent__run_meta_json(const struct agent_run *r)
{
	json_object *o, *av;
	char **a;

	if (!(o = json_object_new_object()) || !(av = json_object_new_array())) {
		json_object_put(o);
		return NULL;
	}
	for (a = r->argv; a && *a; a++)
		json_object_array_add(av, json_object_new_string(*a));
	json_object_object_add(o, "version", json_object_new_int(AGENT_RUN_VERSION));
	json_object_object_add(o, "id", jstr(r->id));
	json_object_object_add(o, "agent", jstr(r->agent));
	json_object_object_add(o, "dialect", jstr(r->dialect));
	json_object_object_add(o, "workdir", jstr(r->workdir));
	json_object_object_add(o, "label", jstr(r->label));
	json_object_object_add(o, "parent", jstr(r->parent));
	json_object_object_add(o, "spawned_by", jstr(r->spawned_by));
	json_object_object_add(o, "model", jstr(r->model));
	json_object_object_add(o, "agent_name", jstr(r->agent_name));
	json_object_object_add(o, "started", jtime(r->started));
	/* a pid not known is null, as the reader takes it (0 is no pid) */
	json_object_object_add(o, "supervisor", jpid(r->supervisor));
	json_object_object_add(o, "supervisor_start",
	                       json_object_new_int64((int64_t)r->supervisor_start));
	json_object_object_add(o, "pid", jpid(r->pid));
	json_object_object_add(o, "pgid", jpid(r->pgid));
	json_object_object_add(o, "argv", av);
	json_object_object_add(o, "log", jstr(r->log));
	json_object_object_add(o, "on_exit", jstr(r->on_exit));
	json_object_object_add(o, "isolate", json_object_new_boolean(r->isolate));
	if (r->worktree) {
		json_object_object_add(o, "worktree", jstr(r->worktree));
		json_object_object_add(o, "branch", jstr(r->branch));
		json_object_object_add(o, "repo", jstr(r->repo));
	}
	return json_line(o);
}

void
agent__run_exit_from_wait(struct agent_run_exit *e, int ws)
{
	if (WIFSIGNALED(ws)) {
		e->signal = WTERMSIG(ws);
		e->code = 0;
		e->status = 128 + e->signal;
	} else {
		e->signal = 0;
		e->code = WEXITSTATUS(ws);
		e->status = e->code;
	}
}

char *
agent__run_exit_json(const struct agent_run_exit *e)
{
	json_object *o;

	if (!(o = json_object_new_object()))
		return NULL;
	json_object_object_add(o, "version", json_object_new_int(AGENT_RUN_VERSION));
	json_object_object_add(o, "status", json_object_new_int(e->status));
	json_object_object_add(o, "code", e->signal ? NULL : json_object_new_int(e->code));
	json_object_object_add(o, "signal", e->signal ? json_object_new_int(e->signal) : NULL);
	json_object_object_add(o, "ended", jtime(e->ended));
	json_object_object_add(o, "reaped", json_object_new_int(e->reaped));
	json_object_object_add(o, "killed", json_object_new_boolean(e->killed));
	return json_line(o);
}

int
agent__run_exit_parse(const char *buf, size_t len, struct agent_run_exit *e)
{
	json_object *o, *v;
	long long status = -1, code = 0, sig = 0, reaped = 0;
	double ended = 0;
	int killed = 0, err;

	if (!(o = json_parse_strict(buf, len))) {
		errno = EBADMSG;
		return -1;
	}
	if (check_version(o, NULL) < 0)
		goto fail_keep;
	if (get_int(o, "status", 0, 255, &status) < 0 || status < 0 ||
	    get_int(o, "code", 0, 255, &code) < 0 ||
	    get_int(o, "signal", 0, 127, &sig) < 0 ||
	    get_int(o, "reaped", 0, INT_MAX, &reaped) < 0 ||
	    !json_object_object_get_ex(o, "ended", &v) ||
	    get_num(o, "ended", &ended) < 0 || get_bool(o, "killed", &killed) < 0)
		goto fail;
	/* the fields must tell one story */
	if (sig ? status != 128 + sig : status != code)
		goto fail;
	json_object_put(o);
	e->status = (int)status;
	e->code = sig ? 0 : (int)code;
	e->signal = (int)sig;
	e->ended = ended;
	e->reaped = (int)reaped;
	e->killed = killed;
	return 0;
fail:
	errno = EBADMSG;
fail_keep:
	err = errno;
	json_object_put(o);
	errno = err;
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
		if (n + 1 >= cap) {
			cap = cap ? cap * 2 : 64;
			if (!(nv = reallocarray(v, cap, sizeof *v)))
				goto fail;
			v = nv;
		}
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

/* --- liveness, exit, processes ----------------------------------------- */

/* 1 when someone holds the lock exclusively.  A shared probe, so that two
 * readers probing at once never mistake each other for the supervisor. */
static int
lock_held(const struct agent_run *r)
{
	int fd, held;

	if ((fd = openat(r->dirfd, "lock", O_RDONLY | O_NOFOLLOW | O_CLOEXEC)) < 0)
		return errno == ENOENT ? 0 : -1;
	if (flock(fd, LOCK_SH | LOCK_NB) == 0)
		held = 0;
	else
		held = errno == EWOULDBLOCK ? 1 : -1;
	close(fd);
	return held;
}

static int
has_exit(const struct agent_run *r)
{
	struct stat st;

	if (fstatat(r->dirfd, "exit.json", &st, AT_SYMLINK_NOFOLLOW) == 0)
		return 1;
	return errno == ENOENT ? 0 : -1;
}

int
agent_run_exit(const struct agent_run *r, struct agent_run_exit *e)
{
	char *buf;
	size_t len;
	int rc;

	if (agent__run_read(r->dirfd, "exit.json", &buf, &len) < 0)
		return errno == ENOENT ? 0 : -1;
	rc = agent__run_exit_parse(buf, len, e);
	free(buf);
	return rc < 0 ? -1 : 1;
}

/* Whether p is this run's supervisor, alive.  The start tick alone cannot
 * say it: a process started in the same clock tick as the supervisor (a
 * quiet machine starts several) has the same one.  A supervisor is also a
 * session leader named AGENT__SUPERVISOR_COMM (it is so before meta.json
 * names it), which a reused pid is not unless it is another run's
 * supervisor, and no two of those share a pid and a start tick. */
static int
is_supervisor(const struct agent_run *r, const struct agent__proc *p)
{
	return p->start == r->supervisor_start && p->supervisor &&
	    p->state != 'Z' && p->state != 'X';
}

int
agent_run_supervised(const struct agent_run *r)
{
	struct agent__proc p;

	if (r->supervisor <= 0)
		return 0;
	if (agent__proc_stat(r->supervisor, &p) < 0)
		return errno == ENOENT ? 0 : -1;
	if (!is_supervisor(r, &p))
		return 0;
	return lock_held(r);
}

int
agent_run_stale(const struct agent_run *r)
{
	struct agent__proc p;

	if (r->supervisor <= 0)
		return 0;
	if (agent__proc_stat(r->supervisor, &p) < 0)
		return errno == ENOENT ? 0 : -1;
	return !is_supervisor(r, &p) && p.state != 'Z' && p.state != 'X';
}

static int
cmp_proc(const void *a, const void *b)
{
	pid_t x = ((const struct agent__proc *)a)->pid;
	pid_t y = ((const struct agent__proc *)b)->pid;
	return (x > y) - (x < y);
}

static long
find_proc(const struct agent__proc *v, size_t n, pid_t pid)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (v[mid].pid == pid)
			return (long)mid;
		if (v[mid].pid < pid)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -1;
}

/* Marks in in[] the processes of the run, the supervisor excepted, and
 * returns how many; v is sorted by pid.  -1 with errno. */
static long
mark_members(const struct agent_run *r, struct agent__proc *v, size_t n, char *in)
{
	char env[sizeof "AGENT_RUN_ID=" + AGENT_RUN_ID_LEN];
	pid_t sup = r->supervisor;
	int supervised, changed;
	long count = 0;
	size_t i;
	long k;

	supervised = agent_run_supervised(r);
	if (supervised < 0)
		return -1;
	if (!supervised) {
		/* no supervisor and an exit record: the run is over */
		int x = has_exit(r);
		if (x != 0)
			return x < 0 ? -1 : 0;
	}
	snprintf(env, sizeof env, "AGENT_RUN_ID=%s", r->id);
	for (i = 0; i < n; i++) {
		if (v[i].pid == sup || v[i].sid != sup || sup <= 0)
			continue;
		/* Without its supervisor the session id alone is not proof (the
		 * pid may be a new session's): the process must have started
		 * after the run and carry its id.  One that is exiting has no
		 * environment left to show: it is the run's until it is a
		 * zombie (else agent-kill could return while one still dies). */
		if (!supervised && (v[i].start < r->supervisor_start ||
		                    agent__proc_has_env(v[i].pid, env) == 0))
			continue;
		in[i] = 1;
	}
	/* descendants, also those that left the session with setsid() */
	do {
		changed = 0;
		for (i = 0; i < n; i++) {
			/* another run's supervisor (agent-spawn run inside this
			 * run) heads a run of its own: not this run's */
			if (in[i] || v[i].pid == sup || v[i].supervisor)
				continue;
			if (supervised && v[i].ppid == sup) {
				in[i] = changed = 1;
				continue;
			}
			k = find_proc(v, n, v[i].ppid);
			if (k >= 0 && in[k] &&
			    (supervised || agent__proc_has_env(v[i].pid, env) != 0))
				in[i] = changed = 1;
		}
	} while (changed);
	for (i = 0; i < n; i++) {
		/* a zombie is gone already; its children were reparented */
		if (in[i] && (v[i].state == 'Z' || v[i].state == 'X'))
			in[i] = 0;
		count += in[i];
	}
	return count;
}

/* The run's processes as agent__proc records: malloc'd in *out. */
static long
run_members(const struct agent_run *r, struct agent__proc **out)
{
	struct agent__proc *v;
	size_t n, i, j;
	char *in;
	long count;
	int e;

	*out = NULL;
	if (agent__proc_scan(&v, &n) < 0)
		return -1;
	qsort(v, n, sizeof *v, cmp_proc);
	if (!(in = calloc(n ? n : 1, 1))) {
		free(v);
		return -1;
	}
	count = mark_members(r, v, n, in);
	if (count >= 0) {
		for (i = j = 0; i < n; i++)
			if (in[i])
				v[j++] = v[i];
		*out = v;
	} else {
		e = errno;
		free(v);
		errno = e;
	}
	free(in);
	return count;
}

int
agent_run_procs(const struct agent_run *r, pid_t **pids)
{
	struct agent__proc *v;
	long n, i;

	if ((n = run_members(r, &v)) < 0)
		return -1;
	if (!(*pids = malloc((size_t)(n ? n : 1) * sizeof **pids))) {
		free(v);
		return -1;
	}
	for (i = 0; i < n; i++)
		(*pids)[i] = v[i].pid;
	free(v);
	return (int)n;
}

int
agent_run_signal(const struct agent_run *r, int sig)
{
	struct agent__proc *v, now;
	long n, i;
	int sent = 0, fd;

	if ((n = run_members(r, &v)) < 0)
		return -1;
	for (i = 0; i < n; i++) {
		if ((fd = pidfd_open(v[i].pid, 0)) < 0)
			continue;   /* gone since the scan */
		/* the pidfd pins one process: if it is still the one scanned,
		 * the signal cannot reach a newcomer that reused the pid */
		if (agent__proc_stat(v[i].pid, &now) == 0 && now.start == v[i].start &&
		    pidfd_send_signal(fd, sig, NULL, 0) == 0)
			sent++;
		close(fd);
	}
	free(v);
	return sent;
}

long long
agent_run_cpu_ticks(const struct agent_run *r)
{
	struct agent__proc *v;
	long long ticks = 0;
	long n, i;

	if ((n = run_members(r, &v)) < 0)
		return -1;
	for (i = 0; i < n; i++)
		ticks += v[i].ticks;
	free(v);
	return n > 0 ? ticks : -1;
}

int
agent_run_alive(const struct agent_run *r)
{
	pid_t *pids;
	int held, x, n;

	if ((x = has_exit(r)) != 0)
		return x < 0 ? -1 : 0;
	if ((held = lock_held(r)) != 0)
		return held;
	/* lock free and no exit record: the supervisor was killed; what it
	 * started may still run and write */
	if ((n = agent_run_procs(r, &pids)) < 0)
		return -1;
	free(pids);
	return n > 0;
}

static double
seconds(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

double
agent_now(void)
{
	return seconds(CLOCK_REALTIME);
}

double
agent_clock(void)
{
	return seconds(CLOCK_MONOTONIC);
}

int
agent_run_mark_killed(const struct agent_run *r)
{
	char buf[64];
	int len;

	len = snprintf(buf, sizeof buf, "%.3f\n", agent_now());
	return agent__run_write(r->dirfd, "killed", buf, (size_t)len, 0);
}

int
agent_run_marked_killed(const struct agent_run *r)
{
	struct stat st;

	if (fstatat(r->dirfd, "killed", &st, AT_SYMLINK_NOFOLLOW) == 0)
		return 1;
	return errno == ENOENT ? 0 : -1;
}

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
