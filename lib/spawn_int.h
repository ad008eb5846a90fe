/* spawn_int.h — inside the library only: what agent_spawn (spawn.c)
 * prepares and the supervisor it forks (supervise.c) carries out. */
#ifndef AGENT_SPAWN_INT_H
#define AGENT_SPAWN_INT_H
#include <signal.h>
#include "spawn.h"
#include "run_int.h"

/* What the agent's child tells the supervisor, and the supervisor the
 * caller, through close-on-exec pipes.  Smaller than PIPE_BUF: one write,
 * one read. */
struct msg {
	int ok;
	int err;
	char text[512];
};

/* Held back while agent_spawn runs: a Ctrl-C or kill of the caller's
 * group then lands once the run is whole (its record written, its
 * supervisor in a session of its own), never halfway, which would leave a
 * run directory without a record or a supervisor killed before setsid. */
static const int stop_signals[3] = { SIGINT, SIGTERM, SIGHUP };

/* Everything the supervisor needs, prepared by the caller before forking. */
struct job {
	const struct agent_spawn_opts *o;
	char id[AGENT_RUN_ID_LEN + 1];
	char *dir;          /* the run directory */
	char *workdir;      /* absolute */
	char *wt, *branch, *repo; /* --worktree made: path, branch, repository */
	char why[700];      /* a whole message, when make_run returns -2 */
	char *log;          /* absolute */
	char **env;         /* NAME=VALUE for the agent, NULL-terminated */
	char **argv;        /* the command */
	int own_argv;       /* argv came from argv_fn */
	char **sandbox;     /* --sandbox: bwrap's command line up to "--" */
	char **exec_argv;   /* sandbox then argv (their strings), or NULL */
	int runsfd, dirfd, lockfd, logfd, infd;
};

/* msg: a message with errno err; the text formatted as printf does. */
void agent__msgf(struct msg *, int err, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* One write / one read of a whole msg.  0 or -1. */
int agent__msg_write(int fd, const struct msg *);
int agent__msg_read(int fd, struct msg *);

/* The forked child of agent_spawn: becomes the run's supervisor (its own
 * session, the lock, the agent's exec, every descendant reaped, the exit
 * record), telling the caller through resfd whether the run started.
 * Never returns. */
void agent__supervise(struct job *, int resfd) __attribute__((noreturn));

#endif
