/* sandbox.h — agent-spawn --sandbox: the agent under bubblewrap, the file
 * system read-only but for its work, its run and its own state, a private
 * /tmp, the network as it is.  Nothing is printed; no shell is involved. */
#ifndef AGENT_SANDBOX_H
#define AGENT_SANDBOX_H
#include <stddef.h>

/* One entry of a preset's sandbox-rw list (agents.conf(5)) as a path: a
 * leading "~" is $HOME; "${NAME:-DEFAULT}" at the start is NAME's value,
 * from env (NAME=VALUE strings, the last one for a name wins) or else the
 * process environment, when set and not empty, else DEFAULT (which may
 * start with "~" itself).  A trailing "/" is kept.  Malloc'd; NULL with
 * errno: EINVAL for a form other than these or a result that is not an
 * absolute path, ENOENT for "~" without HOME. */
char *agent_sandbox_expand(const char *entry, char *const *env);
/* 1 when entry has one of those forms (whatever the environment), else 0. */
int agent_sandbox_entry_valid(const char *entry);

/* The writable paths of a sandbox, gathered before the command line is
 * made. */
struct agent_sandbox {
	char **rw;       /* absolute, resolved, existing; NULL-terminated */
	size_t n, cap;
	char *tmpdir;    /* the agent's $TMPDIR, made private too; or NULL */
	char **ro;       /* under /tmp, seen read-only all the same; NULL-terminated */
	size_t nro, capro;
	char **keep;     /* read-only again inside a writable path; NULL-terminated */
	size_t nkeep, capkeep;
};

/* Adds path (absolute) to the writable ones: resolved with realpath(3);
 * a missing path whose entry ends in "/" (dir) is made first, 0700 with
 * its parents; another missing path is left out (returns 0, nothing
 * added).  -1 with errno. */
int agent_sandbox_add(struct agent_sandbox *, const char *path, int dir);
/* The agent's TMPDIR (from its environment), when it names a directory
 * other than /tmp: it is private as /tmp is. */
int agent_sandbox_tmpdir(struct agent_sandbox *, const char *tmpdir);
/* The directories of the agent's PATH (from its environment) that lie
 * under /tmp: the private /tmp would hide them, and with them the agent's
 * own command; each is bound back read-only. */
int agent_sandbox_path(struct agent_sandbox *, const char *path);
/* Adds path (absolute) to those kept read-only although a writable path
 * holds them: a repository's hooks and config, which git runs and reads
 * outside the sandbox afterwards.  A missing path is left out. */
int agent_sandbox_keep(struct agent_sandbox *, const char *path);
void agent_sandbox_clear(struct agent_sandbox *);

/* The command line that runs a command in the sandbox, up to and
 * including the "--" before the command: bwrap (its path), without any
 * capability when run by root, with / bound read-only, a fresh /dev and
 * /proc, /tmp a private tmpfs (mode 1777), the read-only paths under
 * /tmp bound back, then each writable path bound over itself, parents
 * before children, and last the kept paths inside them read-only.
 * Malloc'd, NULL-terminated (agent_argv_free); NULL with errno. */
char **agent_sandbox_argv(const char *bwrap, const struct agent_sandbox *);

/* The sandbox of a run, as agent_spawn makes it: writable are the
 * agent's working directory; with a worktree, the worktree and its
 * repository's common git directory (a commit writes objects and refs
 * there) but not the repository's hooks and config (nor those of the
 * working directory's repository: a hook the agent wrote would run
 * outside the sandbox at the next commit); the run directory; each of the preset's entries, expanded in
 * the agent's environment env (agent_sandbox_expand); and its TMPDIR is
 * private.  The command line prefix (agent_sandbox_argv), malloc'd;
 * NULL with errno and a message in msg. */
char **agent_sandbox_for_run(const char *workdir, const char *worktree, const char *rundir,
                             char *const *entries, char *const *env,
                             char *msg, size_t len);

/* Where bwrap is: the first executable "bwrap" along $PATH, malloc'd;
 * NULL with errno ENOENT when there is none. */
char *agent_sandbox_bwrap(void);
/* Whether bwrap can make a sandbox here: runs it once with the namespaces
 * and mounts a run gets, around true(1).  0, or -1 with errno (ENOENT: no
 * bwrap along $PATH; EPERM: it ran and failed) and bwrap's own first
 * line of complaint, or what failed, in why. */
int agent_sandbox_probe(char *why, size_t len);

#endif
