/* spawn.h — starting an agent as a run: the run directory, a supervisor in
 * its own session that holds the run's lock, reaps every descendant and
 * writes the exit record. */
#ifndef AGENT_SPAWN_H
#define AGENT_SPAWN_H
#include <stddef.h>

struct agent_spawn_opts {
	char *const *argv;          /* the command, exec'd without a shell */
	/* Instead of argv, when argv is NULL: builds the command once the run
	 * directory exists, given the path of the run's prompt file (for a
	 * preset that takes {prompt_file}) and the agent's absolute working
 * directory (a new worktree's, with new_worktree).  A malloc'd NULL-terminated argv
	 * that agent_spawn frees with agent_argv_free(3); NULL with errno. */
	char **(*argv_fn)(const char *prompt_file, const char *workdir, void *arg);
	void *argv_arg;
	const char *agent;          /* preset name, or NULL for a raw command */
	const char *dialect;        /* dialect name, or NULL: detect when reading */
	const char *workdir;        /* the agent's working directory, or NULL */
	const char *label;
	const char *parent;         /* run id this run resumes */
	const char *spawned_by;     /* run id agent-spawn was run inside;
	                               NULL: $AGENT_RUN_ID, when it is one */
	const char *model;
	const char *agent_name;
	const char *prompt;         /* kept in the run directory */
	size_t prompt_len;
	int prompt_stdin;           /* feed the prompt on stdin (else /dev/null) */
	const char *output;         /* -o FILE: the log goes there */
	char *const *env;           /* extra NAME=VALUE, NULL-terminated, or NULL */
	const char *on_exit;        /* command to run when the run is over */
	int isolate;                /* private data directories for the agent */
	/* With isolate: the directory that holds them (data, state, cache),
	 * the run's own xdg/ when NULL; a resumed run passes its parent's,
	 * where the agent CLI keeps the session it continues. */
	const char *isolate_dir;
	/* The agent runs under bubblewrap (agent_sandbox_for_run): writable
	 * only its working directory (or worktree), the run directory and
	 * sandbox_rw (a preset's entries, NULL-terminated, or NULL). */
	int sandbox;
	char *const *sandbox_rw;
	/* The caller waits for the supervisor, its child, instead of
	 * exiting, so that a batch system that follows process trees (Slurm)
	 * holds the whole run in the job: agent_run_wait_child, with INT,
	 * TERM, HUP and CHLD blocked before agent_spawn so that none is lost
	 * in between. */
	int foreground;
	/* The agent works in a new git worktree of workdir's repository, on
	 * a new branch (branch, else "agent/<run id>"), made at
	 * <common git dir>/agentutils-worktrees/<run id> (the same place
	 * below it as workdir is below its top level). */
	int new_worktree;
	/* Without new_worktree: the worktree, branch and repository to record
	 * (a resumed run keeps its parent's), or NULL. */
	const char *worktree, *branch, *repo;
};

/* Creates the run and returns once the agent has been exec'd: the new run
 * id in *id (malloc'd).  -1 with errno, and a message for the user
 * ("exec: nosuchagent: No such file or directory") in errbuf.  The run's
 * supervisor is then the caller's child: the tools exit, and it is
 * re-parented (to init, or to the nearest subreaper: the supervisor of the
 * run the caller is in); a caller that lives on reaps it when it ends
 * (SIGCHLD), or it stays a zombie until the caller exits. */
int agent_spawn(const struct agent_spawn_opts *, char **id, char *errbuf, size_t errlen);

#endif
