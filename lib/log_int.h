/* log_int.h — internals of log.c that its unit suite reasons about: the
 * read block size, so tests can put lines exactly on block boundaries. */
#ifndef AGENT_LOG_INT_H
#define AGENT_LOG_INT_H

/* Bytes read at a time, forward and backward.  Memory for line iteration is
 * this plus maxline. */
#define AGENT__LOG_BLOCK (64 * 1024)

/* How often agent_follow_wait re-stats when it has no inotify, and at the
 * longest even with it (a write over NFS raises no inotify event). */
#define AGENT__FOLLOW_POLL_MS 250
#define AGENT__FOLLOW_RESTAT_MS 1000

#endif
