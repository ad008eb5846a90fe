/* replay.h — what agent-replay needs to play a recorded log back: the
 * recorded time of a line, the continuation that a resume plays, and the
 * exit status a recording's MANIFEST.tsv gives. */
#ifndef AGENT_REPLAY_H
#define AGENT_REPLAY_H
#include <stddef.h>

/* The time a log line records, in seconds: a JSON "timestamp" (epoch
 * milliseconds or ISO 8601, as opencode, Claude Code and Gemini CLI write
 * it) or a leading "[HH:MM:SS] " (oh-my-opencode: seconds of the day).
 * -1 when the line carries none. */
double agent_replay_line_time(const char *line, size_t len);

/* The recording a resume of path plays: "x.log" gives "x.resume.log",
 * any other name gets ".resume" appended.  malloc'd, NULL on ENOMEM. */
char *agent_replay_continuation(const char *path);

/* The exit status (as $? reports it) that a MANIFEST.tsv in the
 * recording's directory or up to three directories above lists for it
 * (columns: log path relative to the manifest, agent, exit, ...).
 * 1 and *status set when found, 0 when no manifest lists it, -1 errno. */
int agent_replay_manifest_status(const char *path, int *status);

#endif
