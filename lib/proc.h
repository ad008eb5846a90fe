/* proc.h — the Linux process table as the run tools need it: who is whose
 * child, which session, when it started, how much CPU it used (/proc). */
#ifndef AGENT_PROC_H
#define AGENT_PROC_H
#include <sys/types.h>
#include <stddef.h>

struct agent__proc {
	pid_t pid, ppid, pgid, sid;
	char state;                /* 'R', 'S', 'Z', ... */
	unsigned long long start;  /* clock ticks after boot: with pid, an identity */
	long long ticks;           /* CPU used: utime + stime, and cutime +
	                              cstime of the children it waited for */
	int supervisor;            /* a run's supervisor (named so, session leader) */
};

/* The name a supervisor gives itself (15 bytes: the kernel's limit), by
 * which a run's supervisor tells another run's supervisor, adopted when
 * agent-spawn was run inside the run, from its own processes. */
#define AGENT__SUPERVISOR_COMM "agent-supervise"

/* Reads /proc/PID/stat.  -1 with errno (ENOENT: no such process). */
int agent__proc_stat(pid_t pid, struct agent__proc *p);

/* Every process visible in /proc: a malloc'd array in *v, its length in
 * *n.  Processes that vanish during the scan are skipped.  -1 with errno. */
int agent__proc_scan(struct agent__proc **v, size_t *n);

/* 1 when /proc/PID/environ holds the exact entry "NAME=VALUE", 0 when not
 * (or the process is gone or not ours to read), -1 when the process has no
 * environment left to read: it is exiting (its memory is gone) or a zombie. */
int agent__proc_has_env(pid_t pid, const char *entry);

#endif
