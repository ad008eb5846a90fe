/* spawn.c — starting a run: the run directory, its environment and
 * worktree, then the supervisor (supervise.c) forked to run it. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "spawn_int.h"
#include "preset.h"
#include "worktree.h"
#include "sandbox.h"


static char *
absolute(const char *path)
{
	char *cwd, *s;

	if (path[0] == '/')
		return strdup(path);
	if (!(cwd = getcwd(NULL, 0)))
		return NULL;
	if (asprintf(&s, "%s/%s", cwd, path) < 0)
		s = NULL;
	free(cwd);
	return s;
}

static int
add_env(struct job *j, size_t *n, const char *name, const char *value)
{
	if (asprintf(&j->env[*n], "%s=%s", name, value) < 0) {
		j->env[*n] = NULL;
		return -1;
	}
	(*n)++;
	return 0;
}

static int
make_env(struct job *j)
{
	static const char *const xdg[][2] = {
		{ "XDG_DATA_HOME", "data" },
		{ "XDG_STATE_HOME", "state" },
		{ "XDG_CACHE_HOME", "cache" },
	};
	char *const *e;
	size_t n = 0, extra = 0, i;
	char path[PATH_MAX];
	int n2;

	for (e = j->o->env; e && *e; e++)
		extra++;
	if (!(j->env = calloc(extra + 7, sizeof *j->env)))
		return -1;
	/* PWD follows the chdir: opencode takes its project from $PWD */
	if (add_env(j, &n, "NO_COLOR", "1") < 0 || add_env(j, &n, "AGENT_RUN_ID", j->id) < 0 ||
	    add_env(j, &n, "PWD", j->workdir) < 0)
		return -1;
	if (j->o->isolate && !j->o->isolate_dir) {
		if (mkdirat(j->dirfd, "xdg", 0700) < 0)
			return -1;
		for (i = 0; i < 3; i++) {
			snprintf(path, sizeof path, "xdg/%s", xdg[i][1]);
			if (mkdirat(j->dirfd, path, 0700) < 0)
				return -1;
		}
	}
	if (j->o->isolate) {
		for (i = 0; i < 3; i++) {
			if (j->o->isolate_dir)
				n2 = snprintf(path, sizeof path, "%s/%s", j->o->isolate_dir, xdg[i][1]);
			else
				n2 = snprintf(path, sizeof path, "%s/xdg/%s", j->dir, xdg[i][1]);
			if (n2 < 0 || (size_t)n2 >= sizeof path) {
				errno = ENAMETOOLONG;
				return -1;
			}
			if (add_env(j, &n, xdg[i][0], path) < 0)
				return -1;
		}
	}
	/* the user's -e and the preset's environment come last and win */
	for (e = j->o->env; e && *e; e++) {
		if (!strchr(*e, '=') || **e == '=') {
			errno = EINVAL;
			return -1;
		}
		if (!(j->env[n++] = strdup(*e)))
			return -1;
	}
	return 0;
}

/* --worktree: makes the run's worktree and branch, and moves the agent's
 * working directory into it.  -1 with errno and the message in msg. */
static int
make_worktree(struct job *j, char *msg, size_t len)
{
	struct agent_worktree_info *wi;
	char why[600];
	char *wt = NULL, *branch = NULL, *wd = NULL;
	size_t n;
	int e;

	if (!(wi = malloc(sizeof *wi)))
		goto fail_errno;
	if (agent_worktree_probe(j->workdir, wi, why, sizeof why) < 0 ||
	    (j->o->branch && agent_worktree_branch_check(j->workdir, j->o->branch,
	                                                why, sizeof why) < 0)) {
		e = errno;
		snprintf(msg, len, "%s: --worktree: %s", j->workdir, why);
		free(wi);
		errno = e;
		return -1;
	}
	if (asprintf(&wt, "%s/" AGENT_WORKTREE_DIR "/%s", wi->common, j->id) < 0 ||
	    (j->o->branch ? !(branch = strdup(j->o->branch)) :
	                    asprintf(&branch, "agent/%s", j->id) < 0)) {
		wt = NULL;
		goto fail_errno;
	}
	/* the agent works as far below the new tree's top as -d was below
	 * the old one's */
	n = strlen(wi->prefix);
	while (n > 0 && wi->prefix[n - 1] == '/')
		wi->prefix[--n] = '\0';
	if (asprintf(&wd, "%s%s%s", wt, n ? "/" : "", wi->prefix) < 0) {
		wd = NULL;
		goto fail_errno;
	}
	if (!(j->repo = strdup(wi->top)))
		goto fail_errno;
	if (agent_worktree_add(j->workdir, wt, branch, why, sizeof why) < 0) {
		e = errno;
		snprintf(msg, len, "%s: --worktree: %s", j->workdir, why);
		goto fail;
	}
	j->wt = wt;
	j->branch = branch;
	/* a directory git does not track (empty, or only untracked files)
	 * is not in the new tree: made, so that the agent starts there */
	if (n && agent__mkdirs(wd) < 0) {
		e = errno;
		snprintf(msg, len, "%s: %s", wd, strerror(e));
		free(wi);
		free(wd);
		errno = e;
		return -1;   /* j->wt is undone with the run */
	}
	free(j->workdir);
	j->workdir = wd;
	free(wi);
	return 0;
fail_errno:
	e = errno;
	snprintf(msg, len, "--worktree: %s", strerror(e));
fail:
	free(wi);
	free(wt);
	free(branch);
	free(wd);
	free(j->repo);
	j->repo = NULL;
	errno = e;
	return -1;
}

/* --sandbox: the command line that runs the agent under bwrap.  -1 with
 * the message in j->why. */
static int
sandbox(struct job *j)
{
	char *const *rw = j->o->sandbox_rw, **more = NULL;
	size_t n, k;

	/* a resumed isolated run writes its parent's data directories */
	if (j->o->isolate && j->o->isolate_dir) {
		for (n = 0; rw && rw[n]; n++)
			;
		if (!(more = calloc(n + 2, sizeof *more))) {
			snprintf(j->why, sizeof j->why, "--sandbox: %s", strerror(errno));
			return -1;
		}
		for (k = 0; k < n; k++)
			more[k] = rw[k];
		more[n] = (char *)j->o->isolate_dir;
		rw = more;
	}
	j->sandbox = agent_sandbox_for_run(j->workdir, j->wt ? j->wt : j->o->worktree,
	                                   j->dir, rw, j->env, j->why, sizeof j->why);
	free(more);
	if (!j->sandbox)
		return -1;
	for (n = 0; j->sandbox[n]; n++)
		;
	for (k = 0; j->argv[k]; k++)
		;
	if (!(j->exec_argv = calloc(n + k + 1, sizeof *j->exec_argv))) {
		snprintf(j->why, sizeof j->why, "--sandbox: %s", strerror(errno));
		return -1;
	}
	memcpy(j->exec_argv, j->sandbox, n * sizeof *j->exec_argv);
	memcpy(j->exec_argv + n, j->argv, k * sizeof *j->exec_argv);
	return 0;
}

static void
job_free(struct job *j)
{
	char **e;

	if (j->env) {
		for (e = j->env; *e; e++)
			free(*e);
		free(j->env);
	}
	if (j->own_argv)
		agent_argv_free(j->argv);
	agent_argv_free(j->sandbox);
	free(j->exec_argv);
	free(j->dir);
	free(j->workdir);
	free(j->wt);
	free(j->branch);
	free(j->repo);
	free(j->log);
	if (j->runsfd >= 0)
		close(j->runsfd);
	if (j->dirfd >= 0)
		close(j->dirfd);
	if (j->lockfd >= 0)
		close(j->lockfd);
	if (j->logfd >= 0)
		close(j->logfd);
	if (j->infd >= 0)
		close(j->infd);
}

/* The run directory and what the agent is started with: the log, the
 * prompt, the argv, its standard input, the lock, the environment.  -1
 * with errno and *what naming what failed, or -2 with the whole message
 * in j->why (the worktree, the sandbox); *made is set once the run
 * directory exists (and must be taken away again on failure). */
static int
make_run(struct job *j, char **runs, const char **what, int *made)
{
	const struct agent_spawn_opts *o = j->o;
	struct stat st;

	if (o->argv && (!o->argv[0] || !o->argv[0][0])) {
		errno = EINVAL;
		*what = "command";
		return -1;
	}
	if (!o->argv && !o->argv_fn) {
		errno = EINVAL;
		*what = "command";
		return -1;
	}
	*what = o->workdir ? o->workdir : ".";
	if (!(j->workdir = realpath(*what, NULL)))
		return -1;
	if (stat(j->workdir, &st) < 0)
		return -1;
	if (!S_ISDIR(st.st_mode)) {
		errno = ENOTDIR;
		return -1;
	}
	*what = "runs directory";
	if (!(*runs = agent_runs_dir()))
		return -1;
	*what = *runs;
	if (agent__mkdirs(*runs) < 0 ||
	    (j->runsfd = open(*runs, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0 ||
	    (j->dirfd = agent__run_mkdir(j->runsfd, j->id)) < 0)
		return -1;
	*made = 1;
	*what = j->id;
	if (asprintf(&j->dir, "%s/%s", *runs, j->id) < 0) {
		j->dir = NULL;
		return -1;
	}
	if (o->output) {
		*what = o->output;
		if (!(j->log = absolute(o->output)))
			return -1;
		/* like the shell's >: a fresh file, written in append mode so
		 * that every process of the run adds to its end */
		j->logfd = open(j->log, O_WRONLY | O_CREAT | O_TRUNC | O_APPEND |
		                       O_NOCTTY | O_CLOEXEC, 0666);
	} else {
		*what = "log";
		if (asprintf(&j->log, "%s/log", j->dir) < 0) {
			j->log = NULL;
			return -1;
		}
		j->logfd = openat(j->dirfd, "log", O_WRONLY | O_CREAT | O_EXCL | O_APPEND |
		                                  O_NOFOLLOW | O_CLOEXEC, 0600);
	}
	if (j->logfd < 0)
		return -1;
	*what = "prompt";
	if (o->prompt && agent__run_write(j->dirfd, "prompt", o->prompt, o->prompt_len, 0) < 0)
		return -1;
	if (o->new_worktree && make_worktree(j, j->why, sizeof j->why) < 0)
		return -2;
	if (o->argv)
		j->argv = (char **)o->argv;
	else {
		char *pf = NULL;

		*what = "command";
		if (o->prompt && asprintf(&pf, "%s/prompt", j->dir) < 0)
			return -1;
		j->argv = o->argv_fn(pf, j->workdir, o->argv_arg);
		free(pf);
		if (!j->argv)
			return -1;
		j->own_argv = 1;
		if (!j->argv[0] || !j->argv[0][0]) {
			errno = EINVAL;
			return -1;
		}
		*what = "prompt";
	}
	if (o->prompt && o->prompt_stdin)
		j->infd = openat(j->dirfd, "prompt", O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	else
		j->infd = open("/dev/null", O_RDONLY | O_CLOEXEC);
	if (j->infd < 0)
		return -1;
	*what = "lock";
	j->lockfd = openat(j->dirfd, "lock", O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (j->lockfd < 0)
		return -1;
	*what = "environment";
	if (make_env(j) < 0)
		return -1;
	if (j->o->sandbox && sandbox(j) < 0)
		return -2;
	return 0;
}

int
agent_spawn(const struct agent_spawn_opts *o, char **idout, char *errbuf, size_t errlen)
{
	struct job j;
	struct msg m;
	sigset_t stop, mask;
	char *runs = NULL;
	const char *what = "";
	int res[2] = { -1, -1 }, e, made = 0, ws, i;
	pid_t a;

	sigemptyset(&stop);
	for (i = 0; i < 3; i++)
		sigaddset(&stop, stop_signals[i]);
	sigprocmask(SIG_BLOCK, &stop, &mask);
	memset(&j, 0, sizeof j);
	j.o = o;
	j.runsfd = j.dirfd = j.lockfd = j.logfd = j.infd = -1;
	*idout = NULL;
	if (errlen)
		errbuf[0] = '\0';
	if ((i = make_run(&j, &runs, &what, &made)) < 0) {
		if (i != -2)
			goto fail;
		e = errno;
		snprintf(errbuf, errlen, "%s", j.why);
		errno = e;
		goto fail_msg;
	}
	what = "pipe";
	if (pipe2(res, O_CLOEXEC) < 0)
		goto fail;
	what = "fork";
	if ((a = fork()) < 0)
		goto fail;
	if (a == 0) {
		/* the supervisor, the caller's child: re-parented when the
		 * caller exits, as the tools do at once (no middle process
		 * exits to do it sooner: its fork was a tenth of the time
		 * agent-spawn takes; see spawn.h) */
		close(res[0]);
		agent__supervise(&j, res[1]);
	}
	close(res[1]);
	res[1] = -1;
	memset(&m, 0, sizeof m);
	i = agent__msg_read(res[0], &m);
	/* a supervisor that failed has exited: no zombie left behind */
	if (!i || !m.ok)
		while (waitpid(a, &ws, 0) < 0 && errno == EINTR)
			;
	if (!i) {
		what = "supervisor";
		errno = ECHILD;
		goto fail;
	}
	close(res[0]);
	res[0] = -1;
	if (!m.ok) {
		/* the supervisor has removed the run */
		made = 0;
		snprintf(errbuf, errlen, "%s", m.text);
		errno = m.err ? m.err : EIO;
		goto fail_msg;
	}
	if (!(*idout = strdup(j.id)))
		goto fail;
	job_free(&j);
	free(runs);
	sigprocmask(SIG_SETMASK, &mask, NULL);
	return 0;
fail:
	e = errno;
	if (errlen)
		snprintf(errbuf, errlen, "%s: %s", what, strerror(e));
	errno = e;
fail_msg:
	e = errno;
	if (made) {
		/* nothing was started: take the half-made run away again */
		agent__run_remove(j.runsfd, j.id);
	}
	if (j.wt)
		agent_worktree_undo(j.repo, j.wt, j.branch);
	if (res[0] >= 0)
		close(res[0]);
	if (res[1] >= 0)
		close(res[1]);
	job_free(&j);
	free(runs);
	sigprocmask(SIG_SETMASK, &mask, NULL);
	errno = e;
	return -1;
}
