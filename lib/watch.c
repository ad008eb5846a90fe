/* watch.c — the runs kept up to date for a live view: read once, read again
 * when inotify reports a change to the runs directory or to a live run's
 * directory or log (an ended run no longer changes), or when a live run
 * reaches the stuck threshold. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <unistd.h>
#include "agent.h"

/* A live run idle past the threshold whose processes still work: looked
 * at again this often (each look samples its CPU for half a second). */
#define STUCK_RECHECK 30.0

struct entry {
	struct agent_watch_run pub;
	char *id, *path, *label, *tool;
	int loaded;                /* its row has been read */
	int stale;                 /* changed since: read it again */
	int shown;                 /* passes the label and the recency rule */
	int wdir, wlog;            /* inotify watches, -1 none */
	double recheck;            /* look again then, 0 no need */
};

struct agent_watch {
	char *runs, *label;
	int all, ino, wruns;
	struct entry *e;
	size_t n;
	const struct agent_watch_run **view;
};

static void
unwatch(struct agent_watch *w, struct entry *e)
{
	if (e->wdir >= 0)
		inotify_rm_watch(w->ino, e->wdir);
	if (e->wlog >= 0)
		inotify_rm_watch(w->ino, e->wlog);
	e->wdir = e->wlog = -1;
}

/* A live run is watched: its directory (records appearing) and its log
 * (growing, closed); a failed watch only costs that run its updates. */
static void
watch(struct agent_watch *w, struct entry *e, const char *log)
{
	if (w->ino < 0)
		return;
	if (e->wdir < 0)
		e->wdir = inotify_add_watch(w->ino, e->path, IN_CREATE | IN_MOVED_TO |
		    IN_CLOSE_WRITE | IN_DELETE | IN_ATTRIB | IN_ONLYDIR);
	if (e->wlog < 0 && log)
		e->wlog = inotify_add_watch(w->ino, log, IN_MODIFY | IN_CLOSE_WRITE |
		    IN_ATTRIB | IN_MOVE_SELF | IN_DELETE_SELF);
}

static int
set_str(char **dst, const char *s)
{
	char *v = agent_vis_str(s ? s : "", s ? strlen(s) : 0);

	if (!v)
		return -1;
	free(*dst);
	*dst = v;
	return 0;
}

/* Reads a run's row: agent-state's reading, agent-ls's figures.  A run
 * that cannot be read now (being made, or an error) is read again at its
 * next change. */
static void
entry_read(struct agent_watch *w, struct entry *e, double now)
{
	struct agent_input in;
	struct agent_input_opts o;
	struct agent_summary sum;
	struct agent_facts f;
	struct agent_usage reported, chain;
	const char *what, *lbl;
	int runs;

	e->stale = 0;
	e->recheck = 0;
	/* a directory being made has no record yet: its watch tells when */
	watch(w, e, NULL);
	memset(&o, 0, sizeof o);
	if (agent_input_open(&in, e->path, -1, &what) < 0)
		return;
	lbl = agent_run_label(in.run);
	e->pub.started = agent_run_started(in.run);
	e->shown = !(w->label && (!lbl || strcmp(lbl, w->label) != 0));
	if (e->shown && !w->all && !agent_run_alive(in.run) &&
	    now - agent_run_active(in.run) >= AGENT_RUN_RECENT)
		e->shown = 0;
	if (!e->shown) {
		/* an old run's log is not read, as agent-ls does without -a */
		unwatch(w, e);
		agent_input_close(&in);
		return;
	}
	if (agent_input_state(&in, &o, &sum, &f, &e->pub.state) < 0 ||
	    agent_input_usage(&in, &sum, &reported) < 0 ||
	    agent_run_usage(in.run, in.dialect, sum.session, &reported, &e->pub.own,
	    &chain, &runs) < 0 ||
	    set_str(&e->label, lbl) < 0 || set_str(&e->tool, sum.last_tool) < 0) {
		e->pub.label = e->label ? e->label : "";
		e->pub.tool = e->tool ? e->tool : "";
		agent_input_close(&in);
		return;
	}
	e->loaded = 1;
	e->pub.label = e->label;
	e->pub.tool = e->tool;
	e->pub.live = f.live == AGENT_LIVE_ALIVE;
	e->pub.idle_since = f.idle >= 0 ? now - f.idle : -1;
	if (e->pub.live) {
		watch(w, e, agent_run_log(in.run));
		/* becoming stuck is no file's change: look when it can be */
		if ((e->pub.state == AGENT_ST_RUNNING || e->pub.state == AGENT_ST_STARTING) &&
		    f.idle >= 0)
			e->recheck = f.idle < AGENT_STUCK_AFTER ?
			    now + AGENT_STUCK_AFTER - f.idle + 0.05 : now + STUCK_RECHECK;
	} else
		unwatch(w, e);
	agent_input_close(&in);
}

static void
entry_free(struct agent_watch *w, struct entry *e)
{
	unwatch(w, e);
	free(e->id);
	free(e->path);
	free(e->label);
	free(e->tool);
}

static struct entry *
entry_find(struct agent_watch *w, const char *id)
{
	for (size_t i = 0; i < w->n; i++)
		if (strcmp(w->e[i].id, id) == 0)
			return &w->e[i];
	return NULL;
}

/* The run of that id, marked to be read: NULL with errno ENOMEM. */
static struct entry *
entry_add(struct agent_watch *w, const char *id)
{
	struct entry *e;

	if ((e = entry_find(w, id)) != NULL) {
		e->stale = 1;
		return e;
	}
	if (!(e = reallocarray(w->e, w->n + 1, sizeof *w->e)))
		return NULL;
	w->e = e;
	e = &w->e[w->n];
	memset(e, 0, sizeof *e);
	e->wdir = e->wlog = -1;
	e->pub.idle_since = -1;
	e->stale = 1;
	agent_usage_init(&e->pub.own);
	if (!(e->id = strdup(id)) || asprintf(&e->path, "%s/%s", w->runs, id) < 0) {
		free(e->id);
		return NULL;
	}
	e->pub.id = e->id;
	w->n++;
	return e;
}

static void
entry_remove(struct agent_watch *w, const char *id)
{
	struct entry *e = entry_find(w, id);

	if (!e)
		return;
	entry_free(w, e);
	*e = w->e[--w->n];
}

static int
load_all(struct agent_watch *w)
{
	char **ids;
	size_t n, i;

	if (!(ids = agent_run_ids(&n)))
		return -1;
	for (i = 0; i < n; i++)
		if (!entry_add(w, ids[i]))
			break;
	agent_run_ids_free(ids);
	return i < n ? -1 : 0;
}

struct agent_watch *
agent_watch_open(int all, const char *label, int notify)
{
	struct agent_watch *w;
	int e;

	if (!(w = calloc(1, sizeof *w)))
		return NULL;
	w->ino = w->wruns = -1;
	w->all = all;
	if (!(w->runs = agent_runs_dir()) || (label && !(w->label = strdup(label))))
		goto fail;
	if (notify) {
		/* watched before it is read, so that no run made meanwhile is
		 * missed; made first, as agent-spawn would, to be watched */
		if ((w->ino = inotify_init1(IN_CLOEXEC | IN_NONBLOCK)) < 0 ||
		    agent_runs_mkdir(w->runs) < 0 ||
		    (w->wruns = inotify_add_watch(w->ino, w->runs, IN_CREATE |
		    IN_MOVED_TO | IN_DELETE | IN_MOVED_FROM | IN_ONLYDIR)) < 0)
			goto fail;
	}
	if (load_all(w) < 0)
		goto fail;
	agent_watch_refresh(w, agent_now());
	return w;
fail:
	e = errno;
	agent_watch_free(w);
	errno = e;
	return NULL;
}

void
agent_watch_free(struct agent_watch *w)
{
	if (!w)
		return;
	for (size_t i = 0; i < w->n; i++)
		entry_free(w, &w->e[i]);
	if (w->ino >= 0)
		close(w->ino);
	free(w->e);
	free(w->view);
	free(w->runs);
	free(w->label);
	free(w);
}

int
agent_watch_fd(const struct agent_watch *w)
{
	return w->ino;
}

int
agent_watch_drain(struct agent_watch *w)
{
	char buf[16384] __attribute__((aligned(__alignof__(struct inotify_event))));
	ssize_t len;
	int changed = 0;

	if (w->ino < 0)
		return 0;
	while ((len = read(w->ino, buf, sizeof buf)) > 0) {
		for (char *p = buf; p < buf + len;) {
			struct inotify_event *ev = (struct inotify_event *)p;
			p += sizeof *ev + ev->len;
			changed = 1;
			if (ev->mask & IN_Q_OVERFLOW) {
				/* more than the queue held: everything again */
				if (load_all(w) < 0)
					return -1;
				for (size_t i = 0; i < w->n; i++)
					w->e[i].stale = 1;
				continue;
			}
			if (ev->wd == w->wruns) {
				if (ev->len == 0 || !agent_run_id_valid(ev->name))
					continue;
				if (ev->mask & (IN_DELETE | IN_MOVED_FROM))
					entry_remove(w, ev->name);
				else if (!entry_add(w, ev->name))
					return -1;
				continue;
			}
			for (size_t i = 0; i < w->n; i++)
				if (w->e[i].wdir == ev->wd || w->e[i].wlog == ev->wd)
					w->e[i].stale = 1;
		}
	}
	if (len < 0 && errno != EAGAIN && errno != EINTR)
		return -1;
	return changed;
}

void
agent_watch_refresh(struct agent_watch *w, double now)
{
	for (size_t i = 0; i < w->n; i++)
		if (w->e[i].stale || (w->e[i].recheck > 0 && now >= w->e[i].recheck))
			entry_read(w, &w->e[i], now);
}

double
agent_watch_due(const struct agent_watch *w)
{
	double t = 0;

	for (size_t i = 0; i < w->n; i++)
		if (w->e[i].recheck > 0 && (t == 0 || w->e[i].recheck < t))
			t = w->e[i].recheck;
	return t;
}

static int
newest_first(const void *a, const void *b)
{
	const struct agent_watch_run *x = *(const struct agent_watch_run *const *)a;
	const struct agent_watch_run *y = *(const struct agent_watch_run *const *)b;

	if (x->started != y->started)
		return x->started < y->started ? 1 : -1;
	return strcmp(y->id, x->id);
}

size_t
agent_watch_runs(struct agent_watch *w, const struct agent_watch_run *const **v)
{
	const struct agent_watch_run **view;
	size_t n = 0;

	if (!(view = reallocarray(w->view, w->n ? w->n : 1, sizeof *view))) {
		errno = ENOMEM;
		return (size_t)-1;
	}
	w->view = view;
	for (size_t i = 0; i < w->n; i++)
		if (w->e[i].loaded && w->e[i].shown)
			view[n++] = &w->e[i].pub;
	qsort(view, n, sizeof *view, newest_first);
	*v = view;
	return n;
}
