/* agent-ls — one line a run: id, state, age, idle time, label, agent,
 * session id, branch, tokens and cost, tab-separated, or JSON lines with -j;
 * -s: the tokens and cost added up, in all or by label, agent or day. */
#include <err.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <json-c/json.h>
#include "agent.h"
#include "tool.h"

const char tool_usage[] = "usage: agent-ls [-a] [-j] [-l LABEL] [-s[BY]] [-H HOSTS]";

static const struct option longopts[] = {
	{ "all", no_argument, NULL, 'a' },
	{ "json", no_argument, NULL, 'j' },
	{ "label", required_argument, NULL, 'l' },
	{ "sum", optional_argument, NULL, 's' },
	{ "hosts", required_argument, NULL, 'H' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

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

/* ---- tokens and cost ---------------------------------------------------- */

/* A run's figures: its own, and its chain's (it and the runs it resumes). */
struct figures {
	struct agent_usage own, chain;
	int runs;
};

static int
figures(struct agent_input *in, const struct agent_summary *sum, struct figures *fg)
{
	struct agent_usage reported;

	if (agent_input_usage(in, sum, &reported) < 0)
		return -1;
	return agent_run_usage(in->run, in->dialect, sum->session, &reported,
	    &fg->own, &fg->chain, &fg->runs);
}

/* tokens in, tokens out and cost as text fields ("-" unknown) */
static void
put_usage(const struct agent_usage *u, int last)
{
	if (u->tokens_in >= 0)
		printf("%lld\t", u->tokens_in);
	else
		fputs("-\t", stdout);
	if (u->tokens_out >= 0)
		printf("%lld\t", u->tokens_out);
	else
		fputs("-\t", stdout);
	if (u->cost >= 0)
		printf("%.4f", u->cost);
	else
		putchar('-');
	putchar(last ? '\n' : '\t');
}

static void
json_usage(struct agent_jw *w, const char *in, const char *out, const char *cost,
    const struct agent_usage *u)
{
	if (u->tokens_in >= 0)
		agent_jw_int(w, in, u->tokens_in);
	else
		agent_jw_null(w, in);
	if (u->tokens_out >= 0)
		agent_jw_int(w, out, u->tokens_out);
	else
		agent_jw_null(w, out);
	if (u->cost >= 0)
		agent_jw_fixed(w, cost, u->cost, 6);
	else
		agent_jw_null(w, cost);
}

/* -s: the figures added up, in all or by a key. */
enum by { BY_ALL, BY_LABEL, BY_AGENT, BY_DAY };
static const char *const by_names[] = { "", "label", "agent", "day" };

struct group {
	char *key;                  /* NULL: the run has none (no label) */
	long runs, unknown;         /* runs; of them, with no figure at all */
	struct agent_usage u;
};

struct sums {
	enum by by;
	struct group *g;
	size_t n;
};

static int
by_lookup(const char *s)
{
	if (s == NULL)
		return BY_ALL;
	for (size_t i = 1; i < sizeof by_names / sizeof by_names[0]; i++)
		if (strcmp(s, by_names[i]) == 0)
			return (int)i;
	errx(AGENT_EXIT_USAGE, "-s %s: not label, agent or day", s);
}

/* The key a run is added up under: malloc'd, or NULL when it has none. */
static char *
sum_key(const struct sums *S, const struct agent_run *r)
{
	char day[16];
	time_t when = (time_t)agent_run_started(r);
	struct tm tm;
	const char *k = NULL;

	switch (S->by) {
	case BY_ALL: k = "total"; break;
	case BY_LABEL: k = agent_run_label(r); break;
	case BY_AGENT: k = agent_of(r); break;
	case BY_DAY:
		/* the day the run started, in the local time zone */
		if (localtime_r(&when, &tm) && strftime(day, sizeof day, "%Y-%m-%d", &tm))
			k = day;
		break;
	}
	if (k == NULL || *k == '\0')
		return NULL;
	char *dup = strdup(k);
	if (!dup)
		err(AGENT_EXIT_OSERR, "strdup");
	return dup;
}

static int
same_key(const char *a, const char *b)
{
	return a == b || (a && b && strcmp(a, b) == 0);
}

/* The group of key (malloc'd or NULL, taken), made when new. */
static struct group *
sum_group(struct sums *S, char *key)
{
	struct group *g;
	size_t i;

	for (i = 0; i < S->n; i++)
		if (same_key(S->g[i].key, key)) {
			free(key);
			return &S->g[i];
		}
	if (!(g = reallocarray(S->g, S->n + 1, sizeof *S->g)))
		err(AGENT_EXIT_OSERR, "reallocarray");
	S->g = g;
	g = &S->g[S->n++];
	memset(g, 0, sizeof *g);
	g->key = key;
	agent_usage_init(&g->u);
	return g;
}

static void
sum_add(struct sums *S, const struct agent_run *r, const struct agent_usage *own)
{
	struct group *g = sum_group(S, sum_key(S, r));

	g->runs++;
	if (!agent_usage_known(own))
		g->unknown++;
	agent_usage_add(&g->u, own);
}

/* -s with -H: a host's groups (its agent-ls -j -s lines) added to S.
 * -1 when a line is not such a group. */
static int
sum_merge(struct sums *S, const char *out, size_t len)
{
	const char *s = out, *e = out + len, *nl;
	json_object *o, *v;
	struct agent_usage u;
	struct group *g;
	char *key;

	for (; s < e; s = nl + 1) {
		if (!(nl = memchr(s, '\n', (size_t)(e - s))))
			nl = e;
		if (nl == s)
			continue;
		if (!(o = json_tokener_parse(key = strndup(s, (size_t)(nl - s)))) && key) {
			free(key);
			return -1;
		}
		free(key);
		if (!o)
			err(AGENT_EXIT_OSERR, "strndup");
		key = NULL;
		if (S->by == BY_ALL)
			key = strdup("total");
		else if (json_object_object_get_ex(o, by_names[S->by], &v) &&
		         json_object_is_type(v, json_type_string))
			key = strdup(json_object_get_string(v));
		if (S->by == BY_ALL && !key)
			err(AGENT_EXIT_OSERR, "strdup");
		if (!json_object_object_get_ex(o, "runs", &v) ||
		    !json_object_is_type(v, json_type_int)) {
			free(key);
			json_object_put(o);
			return -1;
		}
		g = sum_group(S, key);
		g->runs += json_object_get_int64(v);
		if (json_object_object_get_ex(o, "unknown", &v) && json_object_is_type(v, json_type_int))
			g->unknown += json_object_get_int64(v);
		agent_usage_init(&u);
		if (json_object_object_get_ex(o, "tokens_in", &v) && json_object_is_type(v, json_type_int))
			u.tokens_in = json_object_get_int64(v);
		if (json_object_object_get_ex(o, "tokens_out", &v) && json_object_is_type(v, json_type_int))
			u.tokens_out = json_object_get_int64(v);
		if (json_object_object_get_ex(o, "cost", &v) &&
		    (json_object_is_type(v, json_type_double) || json_object_is_type(v, json_type_int)))
			u.cost = json_object_get_double(v);
		agent_usage_add(&g->u, &u);
		json_object_put(o);
	}
	return 0;
}

static int
cmp_group(const void *a, const void *b)
{
	const struct group *x = a, *y = b;

	/* the runs without a key last */
	if (!x->key || !y->key)
		return !x->key - !y->key;
	return strcmp(x->key, y->key);
}

static void
sum_print(struct sums *S, int json)
{
	struct agent_jw w;
	struct group none = { NULL, 0, 0, { -1, -1, -1 } };

	/* no run at all still has a total: zero runs */
	if (S->by == BY_ALL && S->n == 0) {
		S->g = &none;
		S->n = 1;
	}
	qsort(S->g, S->n, sizeof *S->g, cmp_group);
	for (size_t i = 0; i < S->n; i++) {
		struct group *g = &S->g[i];
		if (json) {
			agent_jw_begin(&w, stdout);
			if (S->by != BY_ALL)
				agent_jw_str(&w, by_names[S->by], g->key);
			agent_jw_int(&w, "runs", g->runs);
			agent_jw_int(&w, "unknown", g->unknown);
			json_usage(&w, "tokens_in", "tokens_out", "cost", &g->u);
			agent_jw_end(&w);
			continue;
		}
		if (S->by != BY_ALL)
			put_field(g->key, 0);
		printf("%ld\t", g->runs);
		put_usage(&g->u, 1);
	}
	if (S->g != &none) {
		for (size_t i = 0; i < S->n; i++)
			free(S->g[i].key);
		free(S->g);
	}
}

/* ---- rows ---------------------------------------------------------------- */

static void
put_json(const struct agent_run *r, const char *state, double t,
         const struct agent_facts *f, const struct agent_summary *sum,
         const struct agent_run_exit *ex, int has_exit, const struct figures *fg)
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
	json_usage(&w, "tokens_in", "tokens_out", "cost", &fg->own);
	agent_jw_int(&w, "chain_runs", fg->runs);
	json_usage(&w, "chain_tokens_in", "chain_tokens_out", "chain_cost", &fg->chain);
	agent_jw_end(&w);
}

/* Whether a run is worth showing without -a: live, or active lately.  Only
 * the records and the log's mtime are read, so old runs cost little. */
static int
recent(const struct agent_run *r, double t)
{
	/* live, or unknown: show it */
	return agent_run_alive(r) != 0 || t - agent_run_active(r) < AGENT_RUN_RECENT;
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

/* Pass two: the state and the row (with -s: the run added up). */
static int
list_one(const char *path, int json, double t, struct sums *S)
{
	struct agent_input in;
	struct agent_input_opts io;
	struct agent_summary sum;
	struct agent_facts f;
	struct agent_run_exit ex;
	enum agent_state st;
	const char *what = NULL, *lbl;
	struct figures fg;
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
	if (figures(&in, &sum, &fg) < 0) {
		warn("%s", agent_run_id(in.run));
		agent_input_close(&in);
		return -1;
	}
	has_exit = agent_run_exit(in.run, &ex) == 1;
	if (S)
		sum_add(S, in.run, &fg.own);
	else if (json)
		put_json(in.run, agent_state_name(st), t, &f, &sum, &ex, has_exit, &fg);
	else {
		duration(age, sizeof age, t - agent_run_started(in.run));
		duration(idle, sizeof idle, f.idle);
		printf("%s\t%s\t%s\t%s\t", agent_run_id(in.run), agent_state_name(st), age, idle);
		put_field(lbl, 0);
		put_field(agent_of(in.run), 0);
		put_field(sum.session, 0);
		put_field(agent_run_branch(in.run), 0);
		put_usage(&fg.own, 1);
	}
	agent_input_close(&in);
	return 0;
}

/* -H: the host first in each row. */
static void
host_col(struct tool_rcall *c, FILE *o, const char *s, size_t n)
{
	if (fprintf(o, "%s\t", c->host) < 0 || fwrite(s, 1, n, o) != n)
		err(AGENT_EXIT_IOERR, "stdout");
}

/* -H ..: the hosts file, one host a line as GNU parallel's --sshloginfile. */
static char **
hosts_file(size_t *n)
{
	char *path, *text;
	char **v;
	size_t len;
	int line = 0;

	if (!(path = agent_remote_hosts_path()))
		err(AGENT_EXIT_NOINPUT, "hosts file");
	if (agent_read_text(path, &text, &len) < 0)
		err(errno == ENOMEM ? AGENT_EXIT_OSERR : AGENT_EXIT_NOINPUT, "%s", path);
	if (!(v = agent_remote_hosts_parse(text, len, n, &line))) {
		if (errno == EINVAL)
			errx(AGENT_EXIT_DATAERR, "%s:%d: not a host ssh can be given "
			     "([SLOTS/][USER@]HOST; options go in ~/.ssh/config)", path, line);
		err(AGENT_EXIT_OSERR, "%s", path);
	}
	if (*n == 0)
		errx(AGENT_EXIT_DATAERR, "%s: no hosts in it", path);
	free(text);
	free(path);
	return v;
}

/* -H: agent-ls on every host at once; the rows in the order of the hosts,
 * a host that does not answer one warning, its status the first failure's. */
static int
list_hosts(const char *spec, int all, int json, const char *label, struct sums *S)
{
	struct tool_rcall *c, **cp;
	const char *bad;
	char **hosts;
	size_t n, k;
	int rc = 0, one;

	if (!strcmp(spec, ".."))
		hosts = hosts_file(&n);
	else if (!(hosts = agent_remote_hosts_list(spec, &n, &bad))) {
		if (errno == EINVAL)
			errx(AGENT_EXIT_USAGE, "-H %s: %.*s: not a host ssh can be given", spec,
			     (int)strcspn(bad, ","), bad);
		err(AGENT_EXIT_OSERR, "-H");
	}
	if (!(c = calloc(n, sizeof *c)) || !(cp = calloc(n, sizeof *cp)))
		err(AGENT_EXIT_OSERR, "calloc");
	for (k = 0; k < n; k++) {
		struct tool_args a = { NULL, 0 };
		tool_args_add(&a, "agent-ls");
		if (all)
			tool_args_add(&a, "-a");
		if (json || S)
			tool_args_add(&a, "-j");
		if (label)
			tool_args_opt(&a, 'l', label);
		/* -s: each host's groups, added up here */
		if (S)
			tool_args_add(&a, S->by == BY_ALL ? "-s" : S->by == BY_LABEL ? "-slabel" :
			                  S->by == BY_AGENT ? "-sagent" : "-sday");
		c[k].host = hosts[k];
		c[k].cmd = a.v;
		c[k].offset = -1;
		c[k].buffered = 1;
		c[k].line = S ? NULL : json ? tool_line_host_json : host_col;
		cp[k] = &c[k];
	}
	tool_rcall_run(cp, n);
	for (k = 0; k < n; k++) {
		one = tool_rcall_status(&c[k]);
		if (S && !one && c[k].outlen && sum_merge(S, c[k].out, c[k].outlen) < 0) {
			warnx("%s: agent-ls -s there wrote what is not its sums", c[k].host);
			one = AGENT_EXIT_CONFIG;
		} else if (!S && c[k].outlen && fwrite(c[k].out, 1, c[k].outlen, stdout) != c[k].outlen)
			err(AGENT_EXIT_IOERR, "stdout");
		tool_flush();
		if (c[k].errlen)
			fwrite(c[k].err, 1, c[k].errlen, stderr);
		if (one && !rc)
			rc = one;
		tool_rcall_free(&c[k]);
	}
	if (S)
		sum_print(S, json);
	free(c);
	free(cp);
	agent_argv_free(hosts);
	return rc;
}

int
main(int argc, char *argv[])
{
	const char *label = NULL, *hosts = NULL;
	struct sums sums = { BY_ALL, NULL, 0 }, *S = NULL;
	int c, all = 0, json = 0, rc = 0;
	char **ids, *runs;
	struct pick *picks;
	size_t n, i, np = 0;
	double t;
	int r;

	while ((c = getopt_long(argc, argv, "ajl:s::H:R:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'a': all = 1; break;
		case 'j': json = 1; break;
		case 'l': label = optarg; break;
		case 's':
			sums.by = by_lookup(optarg);
			S = &sums;
			break;
		case 'H': hosts = optarg; break;
		case 'R': tool_remote_serve(optarg); break;
		case 'h':
			usage(AGENT_EXIT_OK);
		default:
			usage(AGENT_EXIT_USAGE);
		}
	}
	if (optind != argc)
		usage(AGENT_EXIT_USAGE);
	if (hosts) {
		rc = list_hosts(hosts, all, json, label, S);
		tool_flush();
		return rc;
	}
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
		if (list_one(picks[i].path, json, t, S) < 0)
			rc = AGENT_EXIT_IOERR;
		free(picks[i].path);
	}
	free(picks);
	if (S)
		sum_print(S, json);
	agent_run_ids_free(ids);
	free(runs);
	tool_flush();
	return rc;
}
