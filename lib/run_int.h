/* run_int.h — inside the run module: the run record as a struct, and the
 * helpers spawn.c shares with run.c (creating runs, writing records). */
#ifndef AGENT_RUN_INT_H
#define AGENT_RUN_INT_H
#include <sys/types.h>
#include <stddef.h>
#include "run.h"

#define AGENT_RUN_VERSION 1  /* of meta.json and exit.json, agent-run(5) */
#define AGENT_RUN_ID_LEN 20  /* 20261124-043512-k3f9 */

struct agent_run {
	char *path;                /* the run directory */
	int dirfd;                 /* open on it: records are read relative to it */
	int version;
	char *id, *agent, *dialect, *workdir, *label, *parent, *spawned_by, *model;
	char *agent_name, *log, *on_exit;
	char *worktree, *branch, *repo;  /* --worktree: its path, branch, repository */
	char **argv;               /* NULL-terminated */
	double started;
	pid_t supervisor, pid, pgid;
	unsigned long long supervisor_start; /* /proc/PID/stat starttime */
	int isolate;
	char *xdg;                 /* --isolate: the directory of data/state/cache */
	char **sandbox;            /* bwrap's argv up to "--", or NULL */
};

/* Creates the runs directory and its parents, 0700.  -1 with errno. */
int agent__mkdirs(const char *path);
/* Makes a new run directory (0700) under runs with a fresh id: the id in
 * id (AGENT_RUN_ID_LEN + 1 bytes), an O_DIRECTORY fd returned.  -1 errno. */
int agent__run_mkdir(int runsfd, char *id);
/* Writes a record atomically: a temporary name created O_EXCL|O_NOFOLLOW,
 * then renamed to name.  sync: fsync before the rename.  -1 with errno. */
int agent__run_write(int dirfd, const char *name, const void *buf, size_t len,
                     int sync);
/* Reads a whole record (O_NOFOLLOW) into a malloc'd NUL-terminated buffer.
 * -1 with errno (ENOENT when it does not exist). */
int agent__run_read(int dirfd, const char *name, char **buf, size_t *len);

/* meta.json: serialise the struct (malloc'd string) / parse into it (the
 * caller zeroes r first; fields are malloc'd; EBADMSG on bad JSON, ENOTSUP
 * on a version this code does not know). */
char *agent__run_meta_json(const struct agent_run *r);
int agent__run_meta_parse(const char *buf, size_t len, struct agent_run *r);
/* exit.json the same way. */
char *agent__run_exit_json(const struct agent_run_exit *e);
int agent__run_exit_parse(const char *buf, size_t len, struct agent_run_exit *e);
/* Fills e from a wait status. */
void agent__run_exit_from_wait(struct agent_run_exit *e, int wstatus);

/* Frees the fields of r, not r itself. */
void agent__run_clear(struct agent_run *r);
/* Removes the run directory's contents and itself (nothing followed). */
int agent__run_remove(int runsfd, const char *id);

#endif
