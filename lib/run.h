/* run.h — the run directory (agent-run(5)): one directory per run under
 * $AGENT_RUNS, its records written atomically, liveness by a lock. */
#ifndef AGENT_RUN_H
#define AGENT_RUN_H
#include <sys/types.h>
#include <stddef.h>

/* $AGENT_RUNS, else ${XDG_STATE_HOME:-$HOME/.local/state}/agentutils/runs;
 * malloc'd.  Does not create it. */
char *agent_runs_dir(void);
/* Makes the runs directory, and its parents, mode 0700, when they are not
 * there (as agent-spawn does): 0, or -1 with errno. */
int agent_runs_mkdir(const char *runs);

/* Seconds since the epoch (CLOCK_REALTIME): the clock the run records'
 * times (started, ended, killed) and files' mtimes are in, and so the one
 * to compare them with. */
double agent_now(void);
/* Seconds on a clock that only moves forward (CLOCK_MONOTONIC), for the
 * deadlines a tool keeps: a step of the wall clock must not stretch a
 * kill's grace or a wait's timeout. */
double agent_clock(void);

struct agent_run;

/* Finds a run: a run id, a unique prefix of one, "@" for the newest, or the
 * path of a run directory.  NULL with errno: ENOENT (no such run),
 * ENOTUNIQ (the prefix names several), or an I/O error. */
struct agent_run *agent_run_open(const char *spec);
/* Opens the run directory at path (must hold a meta record). */
struct agent_run *agent_run_open_dir(const char *path);
void agent_run_free(struct agent_run *);  /* NULL is a no-op */

const char *agent_run_id(const struct agent_run *);
const char *agent_run_path(const struct agent_run *);    /* the run directory */
const char *agent_run_log(const struct agent_run *);     /* the log: <dir>/log or -o FILE */
const char *agent_run_agent(const struct agent_run *);   /* preset name, or NULL for a raw command */
const char *agent_run_dialect(const struct agent_run *); /* dialect name, or NULL: detect */
const char *agent_run_label(const struct agent_run *);
const char *agent_run_parent(const struct agent_run *);  /* run id this one resumes, or NULL */
/* The run whose processes ran agent-spawn (its AGENT_RUN_ID), or NULL. */
const char *agent_run_spawned_by(const struct agent_run *);
const char *agent_run_workdir(const struct agent_run *); /* the agent's -d DIR */
const char *agent_run_model(const struct agent_run *);
const char *agent_run_agent_name(const struct agent_run *); /* -A NAME */
/* --worktree: the run's own git worktree, its branch and the work tree of
 * the repository it was made from; NULL when the run has none. */
const char *agent_run_worktree(const struct agent_run *);
const char *agent_run_branch(const struct agent_run *);
const char *agent_run_repo(const struct agent_run *);
double agent_run_started(const struct agent_run *);
pid_t agent_run_supervisor(const struct agent_run *);
pid_t agent_run_pid(const struct agent_run *);             /* the agent's first process */

pid_t agent_run_pgid(const struct agent_run *);            /* the agent's process group */
/* The command as exec'd: NULL-terminated, owned by the run. */
char *const *agent_run_argv(const struct agent_run *);
const char *agent_run_on_exit(const struct agent_run *);   /* --on-exit CMD or NULL */
int agent_run_isolated(const struct agent_run *);          /* spawned with --isolate */
/* --isolate: the directory of the agent's private data, state and cache
 * directories (its own xdg/, or the first run's of a resumed chain);
 * NULL when the run is not isolated. */
const char *agent_run_xdg(const struct agent_run *);
/* --sandbox: the command line the agent's argv was run under (bwrap's,
 * up to "--"), NULL-terminated; NULL when the run has no sandbox. */
char *const *agent_run_sandbox(const struct agent_run *);

/* 1 while the run is live: its supervisor holds the lock and no exit record
 * has been written yet, or (the supervisor was killed without writing one)
 * processes of the run still exist.  0 when it is over, -1 error. */
int agent_run_alive(const struct agent_run *);
/* When the run last showed life, in seconds since the epoch: the latest of
 * its start, the end in its exit record and its log's last write.  Reads
 * the records and stats the log only. */
double agent_run_active(const struct agent_run *);
/* What agent-ls and agent-top show without -a: runs that are live, or were
 * active (agent_run_active) within this many seconds. */
#define AGENT_RUN_RECENT (24 * 3600.0)
/* Waits until the run's supervisor has ended (its lock is released), at
 * most timeout seconds: 0 ended, 1 still running then, -1 with errno.  For
 * a run whose agent has said its last word and is exiting.  Uses SIGALRM
 * and ITIMER_REAL meanwhile. */
int agent_run_wait_end(const struct agent_run *, double timeout);

/* For a run spawned in the foreground (its supervisor is the caller's
 * child): waits until the supervisor has ended, passing INT, TERM and HUP
 * that reach the caller on to it (and so to the agent), as a batch
 * system's cancel or a Ctrl-C sends them.  0, or -1 with errno (ECHILD:
 * the supervisor is not the caller's child). */
int agent_run_wait_child(const struct agent_run *);

/* 1 when the supervisor recorded in the run is still alive, is the same
 * process (its start time matches the record) and holds the lock; 0 when
 * not (gone, or its pid now belongs to another process); -1 error. */
int agent_run_supervised(const struct agent_run *);

/* 1 when the supervisor's pid now belongs to another live process (the id
 * is stale: the run ended without an exit record and the pid was reused),
 * 0 when not, -1 error. */
int agent_run_stale(const struct agent_run *);

/* The live processes of the run, its supervisor excepted: every descendant
 * of the supervisor and every member of its session; when the supervisor
 * is gone, the members of its session still carrying AGENT_RUN_ID=<id>.
 * A malloc'd array in *pids; returns how many, or -1 with errno. */
int agent_run_procs(const struct agent_run *, pid_t **pids);

/* Sends sig to every process of the run (agent_run_procs), each checked
 * again through a pidfd so that a pid reused meanwhile is never hit.
 * Returns how many were signalled, -1 with errno. */
int agent_run_signal(const struct agent_run *, int sig);

/* Records that the run is being stopped on request: the supervisor then
 * writes killed into the exit record.  0, or -1 with errno. */
int agent_run_mark_killed(const struct agent_run *);
/* 1 when agent-kill marked the run (the marker is what says so when the
 * supervisor was gone and wrote no exit record), 0 when not, -1 errno. */
int agent_run_marked_killed(const struct agent_run *);
/* When agent-kill marked the run, seconds since the epoch: 0 when it did
 * not (or the marker does not say), -1 with errno. */
double agent_run_killed_at(const struct agent_run *);

/* The ids of every run under agent_runs_dir(), oldest first: a malloc'd,
 * NULL-terminated array (free with agent_run_ids_free); *n gets the count.
 * An absent runs directory gives an empty list.  NULL with errno. */
char **agent_run_ids(size_t *n);
void agent_run_ids_free(char **);
/* 1 when s has the form of a run id (20261124-043512-k3f9), else 0. */
int agent_run_id_valid(const char *s);

struct agent_run_exit {
	int status;   /* as $? reports it: code, or 128+signal */
	int signal;   /* the signal that ended the agent, 0 if it exited */
	int code;     /* exit code when it exited */
	double ended; /* when the run's last process was gone: seconds since
	                 the epoch */
	double pid_ended; /* when the agent's own process (pid) ended: before
	                     ended when processes it started outlived it (a
	                     launcher's child); -1 unknown (older records) */
	int reaped;   /* stray descendants the subreaper collected */
	int killed;   /* ended by agent-kill */
};
/* 1 and *e filled when the exit record exists, 0 when not (yet), -1 error. */
int agent_run_exit(const struct agent_run *, struct agent_run_exit *e);

/* CPU ticks used so far by every live process of the run; -1 when none. */
long long agent_run_cpu_ticks(const struct agent_run *);

/* How agent_run_stop went. */
enum agent_stop {
	AGENT_STOP_STOPPED = 0, /* signalled; every process of the run is gone */
	AGENT_STOP_ENDED,       /* it had ended (exit record): nothing signalled */
	AGENT_STOP_ORPHANED,    /* it had ended, its supervisor killed before
	                           writing the record: nothing signalled */
	AGENT_STOP_STALE,       /* nothing of it left, and its supervisor's pid
	                           is now another process's: nothing signalled */
	AGENT_STOP_LEFT,        /* processes remain after KILL for a while */
};
struct agent_run_stopped {
	struct agent_run_exit exit; /* the exit record, when has_exit */
	int has_exit;
	int left;                   /* AGENT_STOP_LEFT: how many remain */
	int mark_errno;             /* the killed marker could not be written */
};
/* Stops every process of the run, as agent-kill(1) does: marks it killed,
 * sends sig, and KILL to what is left after grace seconds (repeated for a
 * few seconds against processes that fork as they die); then waits a few
 * seconds for the supervisor's exit record.  Sleeps; prints nothing.
 * Returns an enum agent_stop, or -1 with errno. */
int agent_run_stop(const struct agent_run *, int sig, double grace,
                   struct agent_run_stopped *);

#endif
