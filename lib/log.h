/* log.h — reading an agent's log without loading it: lines from the end by
 * seeking, lines forward from an offset, following a growing file, and who
 * still writes to it (Linux /proc). */
#ifndef AGENT_LOG_H
#define AGENT_LOG_H
#include <sys/types.h>
#include <stddef.h>

struct agent_log;

/* Opens a log: a path, or NULL / "-" for standard input.  A regular file
 * (also stdin redirected from one) is seekable; a pipe is read forward once.
 * NULL with errno on failure (EISDIR for a directory). */
struct agent_log *agent_log_open(const char *path);
void agent_log_free(struct agent_log *);            /* NULL is a no-op */

int agent_log_seekable(const struct agent_log *);
const char *agent_log_path(const struct agent_log *); /* "-" for stdin */
off_t agent_log_size(const struct agent_log *);       /* at open / last refresh; -1 pipe */
double agent_log_mtime(const struct agent_log *);     /* seconds, -1 pipe */
int agent_log_refresh(struct agent_log *);            /* re-fstat: size, mtime */
/* 1 when the path now names another file than the one open (the log was
 * replaced, by a rename or a new file): that one is open now, from its
 * start.  0 when not (or the path is gone), -1 error. */
int agent_log_reopen(struct agent_log *);

/* Flags for agent_log_lines. */
#define AGENT_LOG_PARTIAL 1  /* pass an unterminated last line too (the run ended) */

/* Called for each line, without its '\n' (a trailing '\r' is removed too).
 * off is the line's offset in the file; truncated is 1 when the line was
 * longer than maxline and only its first maxline bytes are given.  Non-zero
 * stops the iteration and is returned.  line[len] is '\0' (so a parser that
 * wants a C string can take it as is); line is valid only during the call. */
typedef int (*agent_line_fn)(const char *line, size_t len, off_t off,
                             int truncated, void *arg);

/* Iterates the lines that start in [from, to) (to < 0: to the end), reading
 * in blocks: memory is bounded by maxline, not by the file.  For a pipe,
 * from and to must be 0 and -1.  Returns 0, the callback's non-zero value,
 * or -1 with errno (EINTR when a signal interrupts reading a pipe; EINVAL
 * for maxline 0).  *next (may be NULL) gets the offset after the last
 * whole line handed over: where a follower continues (a partial last line
 * passed with AGENT_LOG_PARTIAL does not move it). */
int agent_log_lines(struct agent_log *, off_t from, off_t to, size_t maxline,
                    int flags, agent_line_fn fn, void *arg, off_t *next);

/* Offset where the last n lines begin, found by reading backwards from the
 * end in blocks; never goes back further than maxbytes (0: no limit) and
 * then returns the start of the first whole line inside that window.
 * An unterminated last line counts as a line.  -1 with errno on error. */
off_t agent_log_tail_offset(struct agent_log *, size_t n, off_t maxbytes);

/* Reads up to len bytes from offset off (pread); the byte count or -1. */
ssize_t agent_log_read_at(struct agent_log *, void *buf, size_t len, off_t off);

/* Following a file that grows. */
struct agent_follow;
/* Watches path (inotify, falling back to polling).  NULL with errno. */
struct agent_follow *agent_follow_open(const char *path);
void agent_follow_free(struct agent_follow *);
/* Waits up to timeout_ms (-1 forever) for the file to change.  known_size is
 * the size last seen (agent_log_size after agent_log_refresh), not where the
 * last whole line ended: a partial last line would make it return 1 at once.
 * A file removed from under path counts as unchanged until something
 * appears under that name again (then 2).  Returns 1
 * when it grew, 2 when it was truncated or replaced (start again from 0),
 * 0 on timeout, -1 with errno (EINTR when a signal arrived). */
int agent_follow_wait(struct agent_follow *, off_t known_size, int timeout_ms);
int agent_follow_fd(const struct agent_follow *); /* for poll(2); -1 when polling */

/* Liveness of a plain log: the pids of processes that have path open for
 * writing, found in /proc/<pid>/fd and fdinfo.  Returns how many (0: none),
 * storing up to max of them in pids; -1 with errno when /proc is unusable. */
int agent_log_writers(const char *path, pid_t *pids, int max);

/* CPU time (user+system, in clock ticks) of the given pids and all their
 * descendants, with the children they waited for (so the sum does not drop
 * when a compiler or a test run exits between two readings: the one
 * reading of lib/proc.c, which a run's CPU sums too); -1 when none could
 * be read. */
long long agent_proc_cpu_ticks(const pid_t *pids, int n);

#endif
