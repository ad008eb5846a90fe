/* worktree.c — a run's own git worktree (agent-spawn --worktree): git is
 * run without a shell, its output read back for the caller's message. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include "worktree.h"
#include "run_int.h"

/* git's output is a few lines; more is cut, not an error. */
#define OUT_MAX 8192

/* Runs git with argv (argv[0] "git") in dir, stdin from /dev/null, its
 * stdout and stderr together into out (NUL-terminated, cut to len, its
 * trailing newline dropped).  The exit status (0..255, 128+N after a
 * signal), or -1 with errno when it could not be run (ENOENT: no git). */
static int
git(const char *dir, char *const argv[], char *out, size_t len)
{
	int pfd[2], efd[2], ws, e = 0;
	size_t n = 0;
	ssize_t r;
	char sink[512];
	pid_t pid;

	if (len)
		out[0] = '\0';
	if (pipe2(pfd, O_CLOEXEC) < 0)
		return -1;
	if (pipe2(efd, O_CLOEXEC) < 0) {
		e = errno;
		close(pfd[0]);
		close(pfd[1]);
		errno = e;
		return -1;
	}
	if ((pid = fork()) < 0) {
		e = errno;
		close(pfd[0]); close(pfd[1]); close(efd[0]); close(efd[1]);
		errno = e;
		return -1;
	}
	if (pid == 0) {
		int nul = open("/dev/null", O_RDONLY | O_CLOEXEC);
		signal(SIGPIPE, SIG_DFL);
		if (nul < 0 || dup2(nul, 0) < 0 || dup2(pfd[1], 1) < 0 || dup2(pfd[1], 2) < 0 ||
		    chdir(dir) < 0)
			e = errno;
		else {
			/* git's messages in its own words, not translated */
			setenv("LC_ALL", "C", 1);
			execvp(argv[0], argv);
			e = errno;
		}
		/* why exec failed, through the close-on-exec pipe */
		(void)!write(efd[1], &e, sizeof e);
		_exit(127);
	}
	close(pfd[1]);
	close(efd[1]);
	for (;;) {
		r = read(pfd[0], n + 1 < len ? out + n : sink,
		         n + 1 < len ? len - n - 1 : sizeof sink);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		if (n + 1 < len)
			n += (size_t)r;
	}
	close(pfd[0]);
	if (read(efd[0], &e, sizeof e) != (ssize_t)sizeof e)
		e = 0;
	close(efd[0]);
	while (waitpid(pid, &ws, 0) < 0)
		if (errno != EINTR)
			return -1;
	if (len) {
		out[n] = '\0';
		while (n > 0 && (out[n - 1] == '\n' || out[n - 1] == '\r'))
			out[--n] = '\0';
	}
	if (e) {
		errno = e;
		return -1;
	}
	return WIFSIGNALED(ws) ? 128 + WTERMSIG(ws) : WEXITSTATUS(ws);
}

/* One line of out (line 0, 1, ...) copied into buf; -1 when out has fewer. */
static int
line_of(const char *out, int k, char *buf, size_t len)
{
	const char *e;

	for (; k > 0; k--) {
		if (!(out = strchr(out, '\n')))
			return -1;
		out++;
	}
	e = strchr(out, '\n');
	if (!e)
		e = out + strlen(out);
	if ((size_t)(e - out) >= len) {
		errno = ENAMETOOLONG;
		return -1;
	}
	memcpy(buf, out, (size_t)(e - out));
	buf[e - out] = '\0';
	return 0;
}

static void
say(char *msg, size_t len, const char *fmt, ...)
{
	va_list ap;

	if (!len)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, len, fmt, ap);
	va_end(ap);
}

int
agent_worktree_probe(const char *dir, struct agent_worktree_info *wi, char *msg, size_t len)
{
	char *const argv[] = { "git", "rev-parse", "--path-format=absolute",
	    "--is-inside-work-tree", "--show-toplevel", "--git-common-dir",
	    "--show-prefix", NULL };
	char out[OUT_MAX], inside[16];
	int rc;

	memset(wi, 0, sizeof *wi);
	if ((rc = git(dir, argv, out, sizeof out)) < 0) {
		say(msg, len, "git: %s", strerror(errno));
		return -1;
	}
	if (rc != 0 || line_of(out, 0, inside, sizeof inside) < 0 ||
	    strcmp(inside, "true") != 0) {
		say(msg, len, "not inside a git work tree");
		errno = ENOTDIR;
		return -1;
	}
	if (line_of(out, 1, wi->top, sizeof wi->top) < 0 ||
	    line_of(out, 2, wi->common, sizeof wi->common) < 0 ||
	    line_of(out, 3, wi->prefix, sizeof wi->prefix) < 0) {
		/* a top level: --show-prefix printed an empty line, or none */
		if (wi->common[0] == '\0') {
			say(msg, len, "git rev-parse: %s", out);
			errno = EPROTO;
			return -1;
		}
		wi->prefix[0] = '\0';
	}
	return 0;
}

int
agent_worktree_branch_check(const char *dir, const char *branch, char *msg, size_t len)
{
	char ref[AGENT_WORKTREE_PATH + 16];
	char out[OUT_MAX];
	char *const fmt[] = { "git", "check-ref-format", "--branch", (char *)branch, NULL };
	char *const ver[] = { "git", "rev-parse", "--verify", "--quiet", ref, NULL };
	int rc;

	if (*branch == '-' || (rc = git(dir, fmt, out, sizeof out)) == 1 || rc == 128) {
		say(msg, len, "%s: not a valid branch name", branch);
		errno = EINVAL;
		return -1;
	}
	if (rc != 0) {
		say(msg, len, "git check-ref-format: %s", rc < 0 ? strerror(errno) : out);
		return -1;
	}
	if (snprintf(ref, sizeof ref, "refs/heads/%s", branch) >= (int)sizeof ref) {
		say(msg, len, "%s: branch name too long", branch);
		errno = ENAMETOOLONG;
		return -1;
	}
	if ((rc = git(dir, ver, out, sizeof out)) == 0) {
		say(msg, len, "branch %s already exists", branch);
		errno = EEXIST;
		return -1;
	}
	if (rc < 0) {
		say(msg, len, "git: %s", strerror(errno));
		return -1;
	}
	return 0;
}

int
agent_worktree_add(const char *dir, const char *path, const char *branch,
    char *msg, size_t len)
{
	char out[OUT_MAX];
	char *const argv[] = { "git", "worktree", "add", "--quiet", "-b", (char *)branch,
	    (char *)path, "HEAD", NULL };
	char *parent, *slash;
	int rc;

	/* the place for worktrees: made here, the owner's alone */
	if (!(parent = strdup(path)))
		return -1;
	if ((slash = strrchr(parent, '/')) && slash != parent) {
		*slash = '\0';
		if (agent__mkdirs(parent) < 0) {
			rc = errno;
			say(msg, len, "%s: %s", parent, strerror(rc));
			free(parent);
			errno = rc;
			return -1;
		}
	}
	free(parent);
	if ((rc = git(dir, argv, out, sizeof out)) != 0) {
		say(msg, len, "git worktree add: %s", rc < 0 ? strerror(errno) : out);
		if (rc > 0)
			errno = EIO;
		return -1;
	}
	return 0;
}

void
agent_worktree_undo(const char *dir, const char *path, const char *branch)
{
	char out[256];
	char *const rm[] = { "git", "worktree", "remove", "--force", (char *)path, NULL };
	char *const br[] = { "git", "branch", "-D", (char *)branch, NULL };

	(void)git(dir, rm, out, sizeof out);
	(void)git(dir, br, out, sizeof out);
}
