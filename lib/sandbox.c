/* sandbox.c — agent-spawn --sandbox: which paths a run may write, the
 * bubblewrap command line around the agent's, and whether bwrap can run
 * here at all (sandbox.h). */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include "sandbox.h"
#include "buf.h"
#include "preset.h"
#include "run_int.h"
#include "worktree.h"

/* NAME's value in env (the last NAME= wins, as putenv in order leaves it),
 * else (process) in the process environment; NULL when unset. */
static const char *
lookup_in(const char *name, size_t len, char *const *env, int process)
{
	const char *v = NULL;
	char buf[128];

	for (; env && *env; env++)
		if (strncmp(*env, name, len) == 0 && (*env)[len] == '=')
			v = *env + len + 1;
	if (v || !process || len >= sizeof buf)
		return v;
	memcpy(buf, name, len);
	buf[len] = '\0';
	return getenv(buf);
}

static const char *
lookup(const char *name, size_t len, char *const *env)
{
	return lookup_in(name, len, env, 1);
}

/* "~" or "~/..." at s: $HOME and the rest.  NULL (errno ENOENT) without a
 * HOME; *rest NULL when s does not start so. */
static const char *
tilde(const char *s, const char **rest, char *const *env, int process)
{
	const char *home;

	*rest = NULL;
	if (s[0] != '~' || (s[1] != '/' && s[1] != '\0'))
		return "";
	*rest = s + 1;
	if (!(home = lookup_in("HOME", 4, env, process)) || !*home) {
		errno = ENOENT;
		return NULL;
	}
	return home;
}

static char *
expand(const char *e, char *const *env, int process)
{
	const char *base = "", *rest = e, *name, *v, *dflt = NULL, *t;
	size_t nlen, dlen = 0;
	char *d = NULL, *out;

	if (e[0] == '$') {
		if (e[1] != '{')
			goto inval;
		name = e + 2;
		for (nlen = 0; name[nlen] == '_' || (name[nlen] >= 'A' && name[nlen] <= 'Z') ||
		     (name[nlen] >= 'a' && name[nlen] <= 'z') ||
		     (nlen && name[nlen] >= '0' && name[nlen] <= '9'); nlen++)
			;
		if (!nlen)
			goto inval;
		if (name[nlen] == ':' && name[nlen + 1] == '-') {
			dflt = name + nlen + 2;
			dlen = strcspn(dflt, "}");
			if (dflt[dlen] != '}')
				goto inval;
			rest = dflt + dlen + 1;
		} else if (name[nlen] == '}')
			rest = name + nlen + 1;
		else
			goto inval;
		if ((v = lookup_in(name, nlen, env, process)) && *v)
			base = v;
		else if (dflt) {
			if (!(d = strndup(dflt, dlen)))
				return NULL;
			if (!(base = tilde(d, &t, env, process)))
				goto fail;
			if (t) {
				/* "~/x": HOME, then "/x" */
				if (asprintf(&out, "%s%s", base, t) < 0) {
					out = NULL;
					goto fail;
				}
				free(d);
				d = out;
			}
			base = d;
		} else {
			/* unset, and no default: nothing to make writable */
			errno = ENOENT;
			return NULL;
		}
	} else if (!(base = tilde(e, &t, env, process)))
		return NULL;
	else if (t)
		rest = t;
	if (asprintf(&out, "%s%s", base, rest) < 0)
		goto fail;
	free(d);
	d = NULL;
	if (out[0] != '/') {
		free(out);
		goto inval;
	}
	return out;
inval:
	errno = EINVAL;
fail:
	{
		int err = errno;
		free(d);
		errno = err;
	}
	return NULL;
}

char *
agent_sandbox_expand(const char *e, char *const *env)
{
	return expand(e, env, 1);
}

int
agent_sandbox_entry_valid(const char *e)
{
	static char *const home[] = { "HOME=/", NULL };
	char *p;
	int ok;

	/* every variable unset: its default, or nothing, is what is checked */
	p = expand(e, home, 0);
	ok = p != NULL || errno == ENOENT;
	free(p);
	return ok;
}

/* Adds path (malloc'd, taken) to the list v of n, once. */
static int
push(char ***v, size_t *n, size_t *cap, char *path)
{
	char **nv;

	for (size_t i = 0; i < *n; i++)
		if (strcmp((*v)[i], path) == 0) {
			free(path);
			return 0;
		}
	if (!(nv = agent__grow(*v, cap, *n + 1, sizeof *nv))) {
		free(path);
		return -1;
	}
	*v = nv;
	nv[(*n)++] = path;
	nv[*n] = NULL;
	return 0;
}

int
agent_sandbox_add(struct agent_sandbox *s, const char *path, int dir)
{
	char *real;

	if (path[0] != '/') {
		errno = EINVAL;
		return -1;
	}
	if (dir && agent__mkdirs(path) < 0)
		return -1;
	if (!(real = realpath(path, NULL)))
		return errno == ENOENT ? 0 : -1;
	return push(&s->rw, &s->n, &s->cap, real);
}

int
agent_sandbox_keep(struct agent_sandbox *s, const char *path)
{
	char *real;

	if (path[0] != '/') {
		errno = EINVAL;
		return -1;
	}
	if (!(real = realpath(path, NULL)))
		return errno == ENOENT || errno == ENOTDIR ? 0 : -1;
	return push(&s->keep, &s->nkeep, &s->capkeep, real);
}

int
agent_sandbox_path(struct agent_sandbox *s, const char *path)
{
	const char *p, *e;
	struct stat st;
	char *d, *real;

	for (p = path ? path : ""; *p; p = *e ? e + 1 : e) {
		e = strchrnul(p, ':');
		if (e - p < 5 || strncmp(p, "/tmp/", 5) != 0)
			continue;
		if (!(d = strndup(p, (size_t)(e - p))))
			return -1;
		real = stat(d, &st) == 0 && S_ISDIR(st.st_mode) ? realpath(d, NULL) : NULL;
		free(d);
		if (real && strncmp(real, "/tmp/", 5) == 0) {
			if (push(&s->ro, &s->nro, &s->capro, real) < 0)
				return -1;
		} else
			free(real);
	}
	return 0;
}

int
agent_sandbox_tmpdir(struct agent_sandbox *s, const char *tmpdir)
{
	struct stat st;
	char *real;

	if (!tmpdir || tmpdir[0] != '/')
		return 0;
	/* a TMPDIR under /tmp is made in the private /tmp; one elsewhere
	 * gets a tmpfs of its own, where it exists (a mount point is needed
	 * in the read-only tree) */
	if (strncmp(tmpdir, "/tmp/", 5) != 0 && (stat(tmpdir, &st) < 0 || !S_ISDIR(st.st_mode)))
		return 0;
	if (!(real = realpath(tmpdir, NULL)))
		real = strdup(tmpdir);
	if (!real)
		return -1;
	if (strcmp(real, "/tmp") == 0) {
		free(real);
		return 0;
	}
	free(s->tmpdir);
	s->tmpdir = real;
	return 0;
}

void
agent_sandbox_clear(struct agent_sandbox *s)
{
	for (size_t i = 0; i < s->n; i++)
		free(s->rw[i]);
	free(s->rw);
	for (size_t i = 0; i < s->nro; i++)
		free(s->ro[i]);
	free(s->ro);
	for (size_t i = 0; i < s->nkeep; i++)
		free(s->keep[i]);
	free(s->keep);
	free(s->tmpdir);
	memset(s, 0, sizeof *s);
}

static int
cmp_len(const void *a, const void *b)
{
	size_t x = strlen(*(char *const *)a), y = strlen(*(char *const *)b);
	return (x > y) - (x < y);
}

/* 1 when path is at or below dir. */
static int
below(const char *path, const char *dir)
{
	size_t n = strlen(dir);
	return strncmp(path, dir, n) == 0 && (path[n] == '/' || path[n] == '\0' ||
	                                      (n == 1 && dir[0] == '/'));
}

char **
agent_sandbox_argv(const char *bwrap, const struct agent_sandbox *s)
{
	static const char *const head[] = {
		"--ro-bind", "/", "/", "--dev", "/dev", "--proc", "/proc",
		"--perms", "1777", "--tmpfs", "/tmp",
	};
	size_t nhead = sizeof head / sizeof *head, n = 0, max, i;
	const char **rw = NULL;
	char **av;
	int tmpdir = 0, root = geteuid() == 0;

	/* a TMPDIR inside a writable path is that path's, and stays */
	if (s->tmpdir) {
		tmpdir = 1;
		for (i = 0; i < s->n; i++)
			if (below(s->tmpdir, s->rw[i]))
				tmpdir = 0;
	}
	max = 1 + 2 * (size_t)root + nhead + 4 * (size_t)tmpdir + 3 * s->nro + 3 * s->n +
	      3 * s->nkeep + 2;
	if (!(av = calloc(max, sizeof *av)))
		return NULL;
	if (s->n && !(rw = malloc(s->n * sizeof *rw)))
		goto fail;
	if (!(av[n++] = strdup(bwrap)))
		goto fail;
	/* bwrap run by root keeps root's capabilities for the command, and
	 * with CAP_SYS_ADMIN a mount can be made writable again */
	if (root && (!(av[n++] = strdup("--cap-drop")) || !(av[n++] = strdup("ALL"))))
		goto fail;
	for (i = 0; i < nhead; i++)
		if (!(av[n++] = strdup(head[i])))
			goto fail;
	if (tmpdir) {
		const char *how = strncmp(s->tmpdir, "/tmp/", 5) == 0 ? "--dir" : "--tmpfs";
		if (!(av[n++] = strdup("--perms")) || !(av[n++] = strdup("1777")) ||
		    !(av[n++] = strdup(how)) || !(av[n++] = strdup(s->tmpdir)))
			goto fail;
	}
	/* what the private /tmp hid that the agent needs, read-only; one
	 * inside a writable path is seen (and writable) through it */
	for (i = 0; i < s->nro; i++) {
		size_t k;
		for (k = 0; k < s->n && !below(s->ro[i], s->rw[k]); k++)
			;
		if (k == s->n && (!(av[n++] = strdup("--ro-bind")) ||
		    !(av[n++] = strdup(s->ro[i])) || !(av[n++] = strdup(s->ro[i]))))
			goto fail;
	}
	/* parents before children: a bind over a path hides what was bound
	 * below it before */
	for (i = 0; i < s->n; i++)
		rw[i] = s->rw[i];
	if (s->n)
		qsort(rw, s->n, sizeof *rw, cmp_len);
	for (i = 0; i < s->n; i++)
		if (!(av[n++] = strdup("--bind")) || !(av[n++] = strdup(rw[i])) ||
		    !(av[n++] = strdup(rw[i])))
			goto fail;
	/* then read-only again what must stay so inside them (one that no
	 * writable path holds is read-only already) */
	for (i = 0; i < s->nkeep; i++) {
		size_t k;
		for (k = 0; k < s->n && !below(s->keep[i], s->rw[k]); k++)
			;
		if (k < s->n && (!(av[n++] = strdup("--ro-bind")) ||
		    !(av[n++] = strdup(s->keep[i])) || !(av[n++] = strdup(s->keep[i]))))
			goto fail;
	}
	if (!(av[n++] = strdup("--")))
		goto fail;
	free(rw);
	return av;
fail:
	{
		int e = errno;
		free(rw);
		agent_argv_free(av);
		errno = e;
	}
	return NULL;
}

char **
agent_sandbox_for_run(const char *workdir, const char *worktree, const char *rundir,
    char *const *entries, char *const *env, char *msg, size_t len)
{
	struct agent_sandbox s = { 0 };
	struct agent_worktree_info *wi = NULL;
	char **av = NULL, *bwrap = NULL, *p, why[600];
	const char *what = workdir;
	size_t n;
	int e;

	if (!(bwrap = agent_sandbox_bwrap())) {
		e = errno;
		snprintf(msg, len, "--sandbox: bwrap: %s", e == ENOENT ?
		         "not found along PATH (install bubblewrap)" : strerror(e));
		errno = e;
		return NULL;
	}
	if (agent_sandbox_add(&s, workdir, 0) < 0)
		goto fail;
	if (worktree) {
		what = worktree;
		if (!(wi = malloc(sizeof *wi)))
			goto fail;
		if (agent_worktree_probe(worktree, wi, why, sizeof why) < 0) {
			e = errno;
			snprintf(msg, len, "--sandbox: %s: %s", worktree, why);
			goto fail_msg;
		}
		if (agent_sandbox_add(&s, worktree, 0) < 0 || (what = wi->common,
		    agent_sandbox_add(&s, wi->common, 0) < 0))
			goto fail;
	} else if ((wi = malloc(sizeof *wi)) && agent_worktree_probe(workdir, wi, why, sizeof why) < 0) {
		free(wi);   /* not in a repository (or no git): nothing to keep */
		wi = NULL;
	}
	/* the repository's hooks and config stay read-only: git runs and
	 * reads them outside the sandbox, at the next commit */
	for (n = 0; wi && n < 2; n++) {
		if (asprintf(&p, "%s/%s", wi->common, n ? "config" : "hooks") < 0)
			goto fail;
		what = p;
		e = agent_sandbox_keep(&s, p);
		free(p);
		if (e < 0) {
			what = wi->common;
			goto fail;
		}
	}
	what = rundir;
	if (agent_sandbox_add(&s, rundir, 0) < 0)
		goto fail;
	for (; entries && *entries; entries++) {
		what = *entries;
		if (!(p = agent_sandbox_expand(*entries, env))) {
			if (errno == ENOENT)
				continue;   /* ${NAME} unset, or no HOME: nothing */
			goto fail;
		}
		n = strlen(p);
		what = p;
		e = agent_sandbox_add(&s, p, n > 1 && p[n - 1] == '/');
		free(p);
		if (e < 0) {
			what = *entries;
			goto fail;
		}
	}
	what = "PATH";
	if (agent_sandbox_path(&s, lookup("PATH", 4, env)) < 0)
		goto fail;
	what = "TMPDIR";
	if (agent_sandbox_tmpdir(&s, lookup("TMPDIR", 6, env)) < 0 ||
	    !(av = agent_sandbox_argv(bwrap, &s)))
		goto fail;
	agent_sandbox_clear(&s);
	free(wi);
	free(bwrap);
	return av;
fail:
	e = errno;
	snprintf(msg, len, "--sandbox: %s: %s", what, strerror(e));
fail_msg:
	agent_sandbox_clear(&s);
	free(wi);
	free(bwrap);
	errno = e;
	return NULL;
}

char *
agent_sandbox_bwrap(void)
{
	const char *path = getenv("PATH"), *p, *e;
	struct stat st;
	char *f;

	for (p = path && *path ? path : "/usr/bin:/bin";; p = e + 1) {
		e = strchrnul(p, ':');
		if (e > p) {
			if (asprintf(&f, "%.*s/bwrap", (int)(e - p), p) < 0)
				return NULL;
			if (stat(f, &st) == 0 && S_ISREG(st.st_mode) && access(f, X_OK) == 0)
				return f;
			free(f);
		}
		if (*e == '\0')
			break;
	}
	errno = ENOENT;
	return NULL;
}

/* The first line of what bwrap said, printable bytes only. */
static void
first_line(char *why, size_t len, const char *buf, size_t n)
{
	size_t i, k = 0;

	for (i = 0; i < n && buf[i] == '\n'; i++)
		;
	for (; i < n && buf[i] != '\n' && k + 1 < len; i++)
		why[k++] = (unsigned char)buf[i] >= 0x20 && buf[i] != 0x7f ? buf[i] : '?';
	if (len)
		why[k] = '\0';
}

int
agent_sandbox_probe(char *why, size_t len)
{
	struct agent_sandbox none = { 0 };
	char **av = NULL, *bwrap, buf[512];
	int pfd[2] = { -1, -1 }, ws, nul, e;
	size_t got = 0;
	ssize_t r;
	pid_t pid;

	if (!(bwrap = agent_sandbox_bwrap())) {
		e = errno;
		snprintf(why, len, "bwrap: %s", e == ENOENT ? "not found along PATH (install "
		         "bubblewrap)" : strerror(e));
		errno = e;
		return -1;
	}
	if (!(av = agent_sandbox_argv(bwrap, &none)))
		goto fail;
	{
		size_t n;
		char **nav;
		for (n = 0; av[n]; n++)
			;
		if (!(nav = reallocarray(av, n + 2, sizeof *av)))
			goto fail;
		av = nav;
		if (!(av[n] = strdup("true")))
			goto fail;
		av[n + 1] = NULL;
	}
	if (pipe2(pfd, O_CLOEXEC) < 0 || (pid = fork()) < 0)
		goto fail;
	if (pid == 0) {
		if ((nul = open("/dev/null", O_RDWR)) < 0 || dup2(nul, 0) < 0 ||
		    dup2(nul, 1) < 0 || dup2(pfd[1], 2) < 0)
			_exit(126);
		execv(bwrap, av);
		dprintf(2, "exec: %s\n", strerror(errno));
		_exit(127);
	}
	close(pfd[1]);
	pfd[1] = -1;
	/* to its end, so that it never blocks on a full pipe; what comes
	 * past the first bytes is not needed */
	for (;;) {
		char drain[512];
		if (got < sizeof buf)
			r = read(pfd[0], buf + got, sizeof buf - got);
		else
			r = read(pfd[0], drain, sizeof drain);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		if (got < sizeof buf)
			got += (size_t)r;
	}
	close(pfd[0]);
	pfd[0] = -1;
	while (waitpid(pid, &ws, 0) < 0)
		if (errno != EINTR)
			goto fail;
	if (WIFEXITED(ws) && WEXITSTATUS(ws) == 0) {
		free(bwrap);
		agent_argv_free(av);
		return 0;
	}
	first_line(buf, sizeof buf, buf, got);
	if (!buf[0])
		snprintf(buf, sizeof buf, "%s", WIFSIGNALED(ws) ? strsignal(WTERMSIG(ws)) :
		         "failed without a word");
	snprintf(why, len, "%s cannot make a sandbox here: %s", bwrap, buf);
	free(bwrap);
	agent_argv_free(av);
	errno = EPERM;
	return -1;
fail:
	e = errno;
	snprintf(why, len, "%s: %s", bwrap, strerror(e));
	if (pfd[0] >= 0)
		close(pfd[0]);
	if (pfd[1] >= 0)
		close(pfd[1]);
	free(bwrap);
	agent_argv_free(av);
	errno = e;
	return -1;
}
