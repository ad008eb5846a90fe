/* run.h — the run directory (agent-run(5)): one directory per run under
 * $AGENT_RUNS, its records written atomically, liveness by a lock. */
#ifndef AGENT_RUN_H
#define AGENT_RUN_H
#include <sys/types.h>

/* $AGENT_RUNS, else ${XDG_STATE_HOME:-$HOME/.local/state}/agentutils/runs;
 * malloc'd.  Does not create it. */
char *agent_runs_dir(void);

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
const char *agent_run_workdir(const struct agent_run *); /* the agent's -d DIR */
const char *agent_run_model(const struct agent_run *);
const char *agent_run_agent_name(const struct agent_run *); /* -A NAME */
double agent_run_started(const struct agent_run *);
pid_t agent_run_supervisor(const struct agent_run *);
pid_t agent_run_pid(const struct agent_run *);             /* the agent's first process */

/* 1 when the supervisor still holds the run's lock, 0 when not, -1 error. */
int agent_run_alive(const struct agent_run *);

struct agent_run_exit {
	int status;   /* as $? reports it: code, or 128+signal */
	int signal;   /* the signal that ended the agent, 0 if it exited */
	int code;     /* exit code when it exited */
	double ended; /* seconds since the epoch */
	int reaped;   /* stray descendants the subreaper collected */
	int killed;   /* ended by agent-kill */
};
/* 1 and *e filled when the exit record exists, 0 when not (yet), -1 error. */
int agent_run_exit(const struct agent_run *, struct agent_run_exit *e);

/* CPU ticks used so far by every live process of the run; -1 when none. */
long long agent_run_cpu_ticks(const struct agent_run *);

#endif
