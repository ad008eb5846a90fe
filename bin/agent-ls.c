/* agent-ls — one line a run: id, state, age, idle time, label, agent and
 * session id, tab-separated, or JSON lines with -j. */
#include <err.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include "agent.h"
#include "tool.h"

const char tool_usage[] = "usage: agent-ls [-a] [-j] [-l LABEL]";

/* Without -a: runs that are live, or were active within this long. */
#define RECENT (24 * 3600.0)

/* "45s", "12m", "3h", "2d": a duration at a glance; "-" when unknown. */
static void
duration(char *buf, size_t len, double secs)
{
	if (secs < 0)
		snprintf(buf, len, "-");
	else if (secs < 60)
		snprintf(buf, len, "%ds", (int)secs);
	else if (secs < 3600)
		snprintf(buf, len, "%dm", (int)(secs / 60));
	else if (secs < 86400)
		snprintf(buf, len, "%dh", (int)(secs / 3600));
	else
		snprintf(buf, len, "%dd", (int)(secs / 86400));
}

/* The agent column: the preset, else the command's name. */
static const char *
agent_of(const struct agent_run *r)
{
	char *const *av = agent_run_argv(r);
	const char *s;

	if (agent_run_agent(r))
		return agent_run_agent(r);
	if (!av || !av[0])
		return NULL;
	s = strrchr(av[0], '/');
	return s ? s + 1 : av[0];
}

/* A field that came from the user or the agent: escaped, tabs included,
 * so that it can neither drive a terminal nor split a row. */
static void
put_field(const char *s, int last)
{
	if (!s || !*s)
		fputs("-", stdout);
	else
		agent_vis_write(stdout, s, strlen(s), 0);
	putchar(last ? '\n' : '\t');
}

static void
put_json(const struct agent_run *r, const char *state, double t,
         const struct agent_facts *f, const struct agent_summary *sum,
         const struct agent_run_exit *ex, int has_exit)
{
	struct agent_jw w;

	agent_jw_begin(&w, stdout);
	agent_jw_str(&w, "id", agent_run_id(r));
	agent_jw_str(&w, "state", state);
	agent_jw_fixed(&w, "started", agent_run_started(r), 3);
	agent_jw_fixed(&w, "age", t - agent_run_started(r), 3);
	if (f->idle >= 0)
		agent_jw_fixed(&w, "idle", f->idle, 3);
	else
		agent_jw_null(&w, "idle");
	agent_jw_str(&w, "label", agent_run_label(r));
	agent_jw_str(&w, "agent", agent_of(r));
	agent_jw_str(&w, "session", sum->session[0] ? sum->session : NULL);
	agent_jw_str(&w, "spawned_by", agent_run_spawned_by(r));
	agent_jw_bool(&w, "alive", f->live == AGENT_LIVE_ALIVE);
	if (has_exit)
		agent_jw_int(&w, "status", ex->status);
	else
		agent_jw_null(&w, "status");
	agent_jw_int(&w, "size", f->size);
	agent_jw_str(&w, "workdir", agent_run_workdir(r));
	agent_jw_str(&w, "worktree", agent_run_worktree(r));
	agent_jw_str(&w, "branch", agent_run_branch(r));
	agent_jw_str(&w, "repo", agent_run_repo(r));
	agent_jw_str(&w, "log", agent_run_log(r));
	agent_jw_end(&w);
}

/* Whether a run is worth showing without -a: live, or active lately.  Only
 * the records and the log's mtime are read, so old runs cost little. */
static int
recent(const struct agent_run *r, double t)
{
	struct agent_run_exit ex;
	struct stat st;
	double last = agent_run_started(r);
	int alive;

	if ((alive = agent_run_alive(r)) != 0)
		return 1;   /* live, or unknown: show it */
	if (agent_run_exit(r, &ex) == 1 && ex.ended > last)
		last = ex.ended;
	if (stat(agent_run_log(r), &st) == 0 && st.st_mtime > last)
		last = (double)st.st_mtime;
	return t - last < RECENT;
}

struct pick {
	char *path;
	double started;
};

static int
cmp_pick(const void *a, const void *b)
{
	const struct pick *x = a, *y = b;

	if (x->started != y->started)
		return x->started < y->started ? -1 : 1;
	return strcmp(x->path, y->path);
}

/* Pass one: the runs to show, from their records alone.  0 when id is
 * not to be shown, 1 when it is (*started set), -1 on error. */
static int
pick(const char *path, const char *id, int all, const char *label, double t,
     double *started)
{
	struct agent_run *r;
	const char *lbl;
	int show;

	if (!(r = agent_run_open_dir(path))) {
		/* a run being created has no record yet: not a run so far */
		if (errno == ENOENT)
			return 0;
		warn("%s", id);
		return -1;
	}
	lbl = agent_run_label(r);
	show = !(label && (!lbl || strcmp(lbl, label))) && (all || recent(r, t));
	*started = agent_run_started(r);
	agent_run_free(r);
	return show;
}

/* Pass two: the state and the row. */
static int
list_one(const char *path, int json, double t)
{
	struct agent_input in;
	struct agent_input_opts io;
	struct agent_summary sum;
	struct agent_facts f;
	struct agent_run_exit ex;
	enum agent_state st;
	const char *what = NULL, *lbl;
	char age[16], idle[16];
	int has_exit;

	memset(&in, 0, sizeof in);
	memset(&io, 0, sizeof io);
	if (agent_input_open(&in, path, -1, &what) < 0) {
		/* removed since pass one */
		if (errno == ENOENT)
			return 0;
		warn("%s", path);
		return -1;
	}
	lbl = agent_run_label(in.run);
	if (agent_input_state(&in, &io, &sum, &f, &st) < 0) {
		warn("%s", agent_run_id(in.run));
		agent_input_close(&in);
		return -1;
	}
	has_exit = agent_run_exit(in.run, &ex) == 1;
	if (json)
		put_json(in.run, agent_state_name(st), t, &f, &sum, &ex, has_exit);
	else {
		duration(age, sizeof age, t - agent_run_started(in.run));
		duration(idle, sizeof idle, f.idle);
		printf("%s\t%s\t%s\t%s\t", agent_run_id(in.run), agent_state_name(st), age, idle);
		put_field(lbl, 0);
		put_field(agent_of(in.run), 0);
		put_field(sum.session, 0);
		put_field(agent_run_branch(in.run), 1);
	}
	agent_input_close(&in);
	return 0;
}

int
main(int argc, char *argv[])
{
	const char *label = NULL;
	int c, all = 0, json = 0, rc = 0;
	char **ids, *runs;
	struct pick *picks;
	size_t n, i, np = 0;
	double t;
	int r;

	while ((c = getopt(argc, argv, "ajl:h")) != -1) {
		switch (c) {
		case 'a': all = 1; break;
		case 'j': json = 1; break;
		case 'l': label = optarg; break;
		case 'h':
			usage(AGENT_EXIT_OK);
		default:
			usage(AGENT_EXIT_USAGE);
		}
	}
	if (optind != argc)
		usage(AGENT_EXIT_USAGE);
	if (!(runs = agent_runs_dir()))
		err(AGENT_EXIT_NOINPUT, "runs directory");
	if (!(ids = agent_run_ids(&n)))
		err(AGENT_EXIT_NOINPUT, "%s", runs);
	/* ages and recency against the run records' clock */
	t = agent_now();
	if (!(picks = calloc(n ? n : 1, sizeof *picks)))
		err(AGENT_EXIT_OSERR, "calloc");
	for (i = 0; i < n; i++) {
		/* the directory, not the id: a file of that name here is no run */
		if (asprintf(&picks[np].path, "%s/%s", runs, ids[i]) < 0)
			err(AGENT_EXIT_OSERR, "asprintf");
		r = pick(picks[np].path, ids[i], all, label, t, &picks[np].started);
		if (r < 0)
			rc = AGENT_EXIT_IOERR;
		if (r > 0)
			np++;
		else
			free(picks[np].path);
	}
	/* ids order by the second; the start time orders within one */
	qsort(picks, np, sizeof *picks, cmp_pick);
	for (i = 0; i < np; i++) {
		if (list_one(picks[i].path, json, t) < 0)
			rc = AGENT_EXIT_IOERR;
		free(picks[i].path);
	}
	free(picks);
	agent_run_ids_free(ids);
	free(runs);
	tool_flush();
	return rc;
}
