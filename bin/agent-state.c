/* agent-state — say in one word where a run or a log stands: starting,
 * running, stuck, completed, cut-off, failed or limited; -w waits for the
 * end (-s: or for the run to become stuck). */
#include <err.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "agent.h"
#include "tool.h"

const char tool_usage[] =
    "usage: agent-state [-jsuvw] [-D dialect] [-x status] [-S seconds] [-t seconds]\n"
    "                   [run | log | -]";

/* How often -s looks again at a run idle past the threshold whose CPU
 * use still says it works. */
#define STUCK_RECHECK 5.0

static const struct option longopts[] = {
	{ "exit", required_argument, NULL, 'x' },
	{ "stuck-after", required_argument, NULL, 'S' },
	{ "timeout", required_argument, NULL, 't' },
	{ "dialect", required_argument, NULL, 'D' },
	{ "json", no_argument, NULL, 'j' },
	{ "verbose", no_argument, NULL, 'v' },
	{ "wait", no_argument, NULL, 'w' },
	{ "stuck", no_argument, NULL, 's' },
	{ "strict", no_argument, NULL, 'u' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

/* HOST:ID: the same question asked on the host, where -w waits on its
 * inotify; a lost connection is tried again with what is left of -t. */
struct remote {
	struct tool_args opts;  /* the options as given, -t aside */
	const char *id;
	double timeout;
};

static void
remote_args(struct tool_rcall *c, double elapsed)
{
	struct remote *r = c->arg;
	struct tool_args a = { NULL, 0 };
	char t[32];

	tool_args_add(&a, "agent-state");
	for (size_t k = 0; k < r->opts.n; k++)
		tool_args_add(&a, r->opts.v[k]);
	if (r->timeout >= 0) {
		snprintf(t, sizeof t, "%.3f", r->timeout > elapsed ? r->timeout - elapsed : 0);
		tool_args_opt(&a, 't', t);
	}
	tool_args_add(&a, "--");
	tool_args_add(&a, r->id);
	if (c->cmd)
		agent_argv_free(c->cmd);
	c->cmd = a.v;
}

/* Whole seconds since the epoch, rounded up: a reset is never said to
 * come before it does. */
static long long
epoch_up(double t)
{
	long long s = (long long)t;
	return s + (t > (double)s);
}

static void
kv(const char *key, const char *val)
{
	if (val == NULL || *val == '\0')
		return;
	printf("\t%s=", key);
	agent_vis_write(stdout, val, strlen(val), 0);
}

static void
print_verbose(struct agent_input *in, const struct agent_summary *s,
    const struct agent_facts *f, enum agent_state st, const struct agent_usage *u)
{
	const struct agent_dialect_info *di = agent_dialect_info(in->dialect);
	char buf[512];

	printf("agent=%s", in->run && agent_run_agent(in->run) ?
	    agent_run_agent(in->run) : di ? di->agent : "generic");
	kv("dialect", di ? di->name : "generic");
	kv("session", s->session);
	kv("last", agent_ev_kind_name(s->last));
	kv("tool", s->last_tool);
	if (f->idle >= 0)
		printf("\tidle=%.0f", f->idle);
	if (f->exit_known)
		printf("\texit=%d", f->exit_status);
	if (u->tokens_in >= 0)
		printf("\ttokens_in=%lld", u->tokens_in);
	if (u->tokens_out >= 0)
		printf("\ttokens_out=%lld", u->tokens_out);
	if (u->cost >= 0)
		printf("\tcost=%.4f", u->cost);
	if (st == AGENT_ST_LIMITED && s->resets_at >= 0)
		printf("\tresets_at=%lld", epoch_up(s->resets_at));
	if (s->nunknown > 0) {
		printf("\tunknown=");
		for (int i = 0; i < s->nunknown; i++) {
			if (i > 0)
				putchar(',');
			agent_vis_write(stdout, s->unknown[i], strlen(s->unknown[i]), 0);
		}
		if (s->unknown_more)
			fputs(",(more)", stdout);
	}
	agent_state_reason(f, st, buf, sizeof buf);
	kv("why", buf);
	putchar('\n');
}

/* An empty string is as unknown as none. */
static const char *
known(const char *s)
{
	return s && *s ? s : NULL;
}

/* A number the summary keeps as -1 when unknown: null then. */
static void
number(struct agent_jw *w, const char *key, double v, int digits)
{
	if (v < 0)
		agent_jw_null(w, key);
	else if (digits)
		agent_jw_fixed(w, key, v, digits);
	else
		agent_jw_int(w, key, (long long)v);
}

static void
print_json(struct agent_input *in, const struct agent_summary *s,
    const struct agent_facts *f, enum agent_state st, const struct agent_usage *u)
{
	const struct agent_dialect_info *di = agent_dialect_info(in->dialect);
	const char *live[] = { "unknown", "alive", "ended" };
	struct agent_jw w;
	char buf[512];

	agent_jw_begin(&w, stdout);
	agent_jw_str(&w, "state", agent_state_name(st));
	agent_jw_str(&w, "run", in->run ? agent_run_id(in->run) : NULL);
	agent_jw_str(&w, "log", known(agent_log_path(in->log)));
	agent_jw_str(&w, "agent", in->run && agent_run_agent(in->run) ?
	    agent_run_agent(in->run) : di ? di->agent : NULL);
	agent_jw_str(&w, "dialect", di ? di->name : "generic");
	agent_jw_str(&w, "session", known(s->session));
	agent_jw_str(&w, "model", known(s->model));
	agent_jw_str(&w, "liveness", live[f->live]);
	number(&w, "exit", f->exit_known ? f->exit_status : -1, 0);
	number(&w, "size", (double)f->size, 0);
	number(&w, "idle", f->idle, 3);
	agent_jw_str(&w, "last_event", s->events ? agent_ev_kind_name(s->last) : NULL);
	agent_jw_str(&w, "last_tool", known(s->last_tool));
	agent_jw_int(&w, "open_tools", s->open_tools);
	agent_jw_int(&w, "tool_errors", s->tool_errors);
	agent_jw_str(&w, "last_error", known(s->last_error));
	number(&w, "http_status", s->http_status, 0);
	number(&w, "tokens_in", (double)u->tokens_in, 0);
	number(&w, "tokens_out", (double)u->tokens_out, 0);
	number(&w, "cost", u->cost, 6);
	/* absent, not null, when unknown: its presence is the news */
	if (st == AGENT_ST_LIMITED && s->resets_at >= 0)
		agent_jw_int(&w, "resets_at", epoch_up(s->resets_at));
	{
		const char *names[AGENT_SUMMARY_UNKNOWN];

		for (int i = 0; i < s->nunknown; i++)
			names[i] = s->unknown[i];
		agent_jw_strs(&w, "unknown", names, (size_t)s->nunknown);
		if (s->unknown_more)
			agent_jw_bool(&w, "unknown_more", 1);
	}
	agent_state_reason(f, st, buf, sizeof buf);
	agent_jw_str(&w, "reason", known(buf));
	agent_jw_end(&w);
}

int
main(int argc, char *argv[])
{
	struct agent_input in;
	struct agent_input_opts o = { 0, 0, 0 };
	struct agent_summary sum;
	struct agent_usage u;
	struct agent_facts f;
	enum agent_state st;
	double timeout = -1, start, left, wait_s, stuck;
	int c, json = 0, verbose = 0, wait = 0, on_stuck = 0, strict = 0, force = -1;
	struct remote rem = { { NULL, 0 }, NULL, -1 };
	char *host;

	while ((c = getopt_long(argc, argv, "jsuvwD:x:S:t:R:h", longopts, NULL)) != -1) {
		if (c != 't' && c != 'R' && c != 'h' && c != '?')
			tool_args_opt(&rem.opts, c, optarg);
		switch (c) {
		case 'j': json = 1; break;
		case 's': on_stuck = 1; break;
		case 'u': strict = 1; break;
		case 'v': verbose = 1; break;
		case 'w': wait = 1; break;
		case 'D': force = tool_dialect(optarg); break;
		case 'x': tool_exit_status(&o, optarg); break;
		case 'S': o.stuck_after = tool_decimal("-S", optarg, 0, 1e9); break;
		case 't': timeout = tool_decimal("-t", optarg, 0, 1e9); break;
		case 'R': tool_remote_serve(optarg); break;
		case 'h': usage(AGENT_EXIT_OK);
		default: usage(AGENT_EXIT_USAGE);
		}
	}
	if (on_stuck && !wait)
		errx(AGENT_EXIT_USAGE, "-s: only with -w (without it a stuck run is "
		     "reported anyway)");
	if (argc - optind > 1)
		usage(AGENT_EXIT_USAGE);
	if (tool_remote_operand(argv[optind], &host, &rem.id)) {
		struct tool_rcall rc = { 0 };
		rem.timeout = timeout;
		rc.host = host;
		rc.offset = -1;
		rc.keep_in = wait;
		rc.arg = &rem;
		rc.again = remote_args;
		rc.line = json ? tool_line_host_json : NULL;
		remote_args(&rc, 0);
		c = tool_remote(&rc, wait);
		tool_rcall_free(&rc);
		tool_args_free(&rem.opts);
		free(host);
		return c;
	}
	tool_args_free(&rem.opts);
	tool_input_open(&in, argv[optind], force);
	if (wait)
		tool_remote_watch(&in);

	start = agent_clock();
	stuck = o.stuck_after > 0 ? o.stuck_after : AGENT_STUCK_AFTER;
	for (;;) {
		if (agent_input_state(&in, &o, &sum, &f, &st) < 0)
			err(AGENT_EXIT_IOERR, "%s", in.name);
		if (!wait || agent_state_final(st) || (on_stuck && st == AGENT_ST_STUCK))
			break;
		left = timeout < 0 ? 3600 : timeout - (agent_clock() - start);
		if (left <= 0)
			break;
		/* wake at the latest when the stuck threshold is crossed; the
		 * cap only guards against a change inotify cannot see */
		wait_s = left < 30 ? left : 30;
		if (st == AGENT_ST_RUNNING && f.idle >= 0 && f.idle < stuck &&
		    stuck - f.idle < wait_s)
			wait_s = stuck - f.idle + 0.05;
		/* idle past the threshold but busy on the CPU: nothing will
		 * wake the wait when the work stops, so look again now and
		 * then (each look samples the CPU for half a second) */
		else if (on_stuck && f.idle >= stuck && wait_s > STUCK_RECHECK)
			wait_s = STUCK_RECHECK;
		tool_input_wait(&in, (int)(wait_s * 1000));
	}

	/* the whole log's figures, read only when shown */
	if ((json || verbose) && agent_input_usage(&in, &sum, &u) < 0)
		err(AGENT_EXIT_IOERR, "%s", in.name);
	if (json)
		print_json(&in, &sum, &f, st, &u);
	else {
		puts(agent_state_name(st));
		if (verbose)
			print_verbose(&in, &sum, &f, st, &u);
	}
	agent_input_close(&in);
	tool_flush();
	/* the lines the verdict was drawn from carried what the dialect
	 * does not know: the word stands, the status says not to trust it */
	if (strict && sum.nunknown > 0)
		return AGENT_EXIT_DRIFT;
	return agent_state_exit(st);
}
