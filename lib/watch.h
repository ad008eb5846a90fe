/* watch.h — the runs of the runs directory kept up to date for a live view
 * (agent-top): each run read once, and again only when inotify says its
 * directory or log changed, or when it may have become stuck, which no file
 * tells. */
#ifndef AGENT_WATCH_H
#define AGENT_WATCH_H
#include <stddef.h>
#include "state.h"
#include "usage.h"

/* One run as the view shows it.  Strings are escaped for a terminal
 * (agent_vis_str) and "" when there is none. */
struct agent_watch_run {
	const char *id;
	double started;
	enum agent_state state;
	int live;
	double idle_since;          /* idle time is now minus this; -1 unknown */
	const char *label;
	const char *tool;           /* the last tool call ("Bash make check") */
	struct agent_usage own;     /* tokens and cost: the run's own */
};

struct agent_watch;
/* The runs of agent_runs_dir(): without all, those live or active within
 * AGENT_RUN_RECENT; with label, only its runs.  With notify, changes are
 * watched (inotify; the runs directory is made if it is not there) and
 * agent_watch_fd is to be polled.  Every run is read before it returns.
 * NULL with errno. */
struct agent_watch *agent_watch_open(int all, const char *label, int notify);
void agent_watch_free(struct agent_watch *);

/* The inotify descriptor to poll for POLLIN, or -1 without notify. */
int agent_watch_fd(const struct agent_watch *);
/* Takes what the descriptor says: runs made, removed or changed are marked
 * to be read again.  1 when something changed, 0 not, -1 with errno. */
int agent_watch_drain(struct agent_watch *);
/* Reads again the runs marked, and those due for a look (at now). */
void agent_watch_refresh(struct agent_watch *, double now);
/* When a run is next due for a look without any change (a live run that
 * may become stuck), seconds since the epoch; 0 when none is. */
double agent_watch_due(const struct agent_watch *);

/* The runs to show, newest first: *v gets an array valid until the next
 * call on the watch.  Their count, or (size_t)-1 with errno ENOMEM. */
size_t agent_watch_runs(struct agent_watch *, const struct agent_watch_run *const **v);

#endif
