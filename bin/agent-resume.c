/* agent-resume — continues a cut-off run in its own session: the agent's
 * resume command, a drafted follow-up prompt, a new run linked to the old. */
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/timerfd.h>
#include "agent.h"
#include "resume.h"
#include "tool.h"

const char tool_usage[] = "usage: agent-resume [-Fknw] [-a AGENT] [-A NAME] [-d DIR] "
	"[-l LABEL] [-m MODEL] [--max N] [-D SECONDS] [-W SECONDS] [-S SECONDS] "
	"[-p PROMPT | -P FILE] RUN | LOG";

/* -k: the grace between TERM and KILL, as agent-kill's default. */
#define STOP_GRACE 10.0

/* -k: stops a live run as agent-kill does, and returns once it is over. */
static void
stop_run(const struct agent_run *r)
{
	struct agent_run_stopped res;
	const char *id = agent_run_id(r);
	int live;

	switch (agent_run_stop(r, SIGTERM, STOP_GRACE, &res)) {
	case AGENT_STOP_STOPPED:
	case AGENT_STOP_ENDED:      /* it ended meanwhile */
	case AGENT_STOP_ORPHANED:
		break;
	case AGENT_STOP_STALE:
		errx(AGENT_EXIT_REFUSED, "%s: refused: stale: process %ld is no longer "
		     "this run's supervisor", id, (long)agent_run_supervisor(r));
	case AGENT_STOP_LEFT:
		errx(AGENT_EXIT_OSERR, "%s: %d process%s of the run still running after "
		     "KILL; not resumed", id, res.left, res.left == 1 ? "" : "es");
	default:
		err(AGENT_EXIT_OSERR, "%s: stopping", id);
	}
	if ((live = agent_run_alive(r)) != 0) {
		if (live < 0)
			err(AGENT_EXIT_IOERR, "%s", id);
		errx(AGENT_EXIT_OSERR, "%s: stopped, but its supervisor has not ended "
		     "it; not resumed", id);
	}
}

/* A run whose agent has said its last word (agent-state -w returns then)
 * may still be exiting: its launchers and the supervisor take a moment.
 * Waits for that, at most END_WAIT seconds; a run still at work is
 * refused. */
#define END_WAIT 60.0
static void
wait_exiting(struct agent_input *in, const struct agent_input_opts *io)
{
	struct agent_summary sum;
	struct agent_facts facts;
	enum agent_state st;
	const char *id = agent_run_id(in->run);
	int live;

	if (agent_input_state(in, io, &sum, &facts, &st) < 0)
		err(AGENT_EXIT_IOERR, "%s", in->name);
	if (!agent_state_final(st))
		errx(AGENT_EXIT_REFUSED, "%s: refused: the run is still alive "
		     "(wait for it with agent-state -w, or stop it first: -k)", id);
	if (agent_run_wait_end(in->run, END_WAIT) < 0)
		err(AGENT_EXIT_IOERR, "%s: waiting for its end", id);
	if ((live = agent_run_alive(in->run)) < 0)
		err(AGENT_EXIT_IOERR, "%s", id);
	if (live)
		errx(AGENT_EXIT_REFUSED, "%s: refused: the agent said it ended (%s) but "
		     "the run is still alive after %.0f s (stop it first: -k)", id,
		     agent_state_name(st), END_WAIT);
}

/* When the run ended: its exit record, else the log's last write, else now. */
static double
ended_at(struct agent_input *in)
{
	struct agent_run_exit ex;

	if (in->run && agent_run_exit(in->run, &ex) > 0)
		return ex.ended;
	if (agent_log_mtime(in->log) >= 0)
		return agent_log_mtime(in->log);
	return agent_now();
}

/* Sleeps until the wall clock's time t, or, for a caller on another host
 * that keeps our standard input open (-R, no prompt on it), until that
 * input ends: the connection is gone, and so is the one who would learn
 * the new run's id, so nothing is resumed (as when Ctrl-C ends the wait
 * here). */
static void
sleep_until(time_t t, int watch)
{
	struct itimerspec its = { .it_value = { .tv_sec = t } };
	struct timespec until = { .tv_sec = t };
	struct pollfd pfd[2];
	char buf[256];
	ssize_t k;
	int r;

	if (!watch) {
		/* the wall clock's time, also across a suspend */
		while ((r = clock_nanosleep(CLOCK_REALTIME, TIMER_ABSTIME, &until, NULL)) == EINTR)
			;
		if (r != 0) {
			errno = r;
			err(AGENT_EXIT_OSERR, "clock_nanosleep");
		}
		return;
	}
	pfd[0].fd = timerfd_create(CLOCK_REALTIME, TFD_CLOEXEC);
	if (pfd[0].fd < 0 || timerfd_settime(pfd[0].fd, TFD_TIMER_ABSTIME, &its, NULL) < 0)
		err(AGENT_EXIT_OSERR, "timerfd");
	pfd[0].events = POLLIN;
	pfd[1].fd = 0;
	pfd[1].events = POLLIN;
	for (;;) {
		if (poll(pfd, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			err(AGENT_EXIT_OSERR, "poll");
		}
		if (pfd[0].revents)
			break;
		if (pfd[1].revents && ((k = read(0, buf, sizeof buf)) == 0 ||
		    (k < 0 && errno != EAGAIN && errno != EINTR)))
			exit(AGENT_EXIT_UNAVAILABLE);
	}
	close(pfd[0].fd);
}

/* -w: sleeps until the limit the run hit resets (the time the agent said,
 * else -D seconds after the run ended), or refuses.  -n: only the
 * refusals, no sleep.  watch: see sleep_until. */
static void
wait_for_reset(struct agent_input *in, const struct agent_summary *sum,
    double delay, double wait_max, int dry, int watch)
{
	const char *name = in->run ? agent_run_id(in->run) : in->name;
	char when[64];
	double at, left;
	struct tm tm;
	time_t t;

	if (sum->resets_at >= 0)
		at = sum->resets_at;
	else if (delay >= 0)
		at = ended_at(in) + delay;
	else
		errx(AGENT_EXIT_REFUSED, "%s: refused: the run hit a usage or rate limit "
		     "and the agent did not say when it resets (give -D SECONDS to wait "
		     "that long after the run ended)", name);
	/* the whole second agent-state -j shows as resets_at, rounded up: a
	 * run resumed between the exact time and that second would start
	 * before the reset the user was shown */
	t = (time_t)at + (at > (double)(time_t)at);
	if ((left = (double)t - agent_now()) <= 0)
		return;
	if (!localtime_r(&t, &tm) || !strftime(when, sizeof when, "%Y-%m-%d %H:%M:%S %Z", &tm))
		snprintf(when, sizeof when, "%lld", (long long)t);
	if (wait_max >= 0 && left > wait_max)
		errx(AGENT_EXIT_REFUSED, "%s: refused: the limit resets at %s, in %.0f s, "
		     "more than --wait-max %.0f s", name, when, left, wait_max);
	if (dry)
		return;
	fprintf(stderr, "agent-resume: %s: waiting until %s for the limit to reset\n",
	        name, when);
	sleep_until(t, watch);
}

/* HOST:ID: agent-resume on the host (-d, agents.conf and the lineage are
 * the host's), a prompt given here sent on its standard input; prints
 * HOST:ID of the new run (-n: the command, to run there).  With -w and no
 * prompt, its standard input is kept open: the host's wait ends with the
 * connection. */
static int
resume_remote(const char *host, const char *id, struct tool_args *fwd,
              const char *prompt, size_t plen, int dry, int wait)
{
	struct tool_rcall rc = { 0 };
	struct tool_args a = { NULL, 0 };
	int r;

	tool_args_add(&a, "agent-resume");
	for (size_t k = 0; k < fwd->n; k++)
		tool_args_add(&a, fwd->v[k]);
	if (prompt)
		tool_args_opt(&a, 'P', "-");
	tool_args_add(&a, "--");
	tool_args_add(&a, id);
	rc.host = host;
	rc.cmd = a.v;
	rc.offset = -1;
	rc.in = prompt;
	rc.inlen = plen;
	rc.keep_in = wait && !prompt && !dry;
	rc.line = dry ? NULL : tool_line_host_id;
	r = tool_remote(&rc, 0);
	tool_rcall_free(&rc);
	return r;
}

struct resume_argv {
	const struct agent_preset *p;
	struct agent_vars vars;
	enum agent_prompt_via via;
};

/* Expands the resume template once the run directory (and so the path of
 * its prompt file) exists. */
static char **
build_argv(const char *prompt_file, const char *workdir, void *arg)
{
	struct resume_argv *ra = arg;
	if (ra->via == AGENT_PROMPT_FILE)
		ra->vars.prompt_file = prompt_file;
	return agent_preset_argv(ra->p, AGENT_ARGV_RESUME, &ra->vars);
}

/* -n: the command as a shell line that does what the run would do. */
static void
print_command(struct resume_argv *ra, const char *prompt)
{
	const char *const *env = agent_preset_env(ra->p);
	char **argv, *s;

	if (ra->via == AGENT_PROMPT_FILE)
		ra->vars.prompt_file = "PROMPT_FILE";
	if (!(argv = agent_preset_argv(ra->p, AGENT_ARGV_RESUME, &ra->vars)))
		err(AGENT_EXIT_DATAERR, "%s: resume template", agent_preset_name(ra->p));
	if (ra->vars.dir) {
		if (!(s = agent_shell_quote(ra->vars.dir)))
			err(AGENT_EXIT_OSERR, "malloc");
		printf("cd %s && ", s);
		free(s);
	}
	if (ra->via == AGENT_PROMPT_STDIN) {
		if (!(s = agent_shell_quote(prompt)))
			err(AGENT_EXIT_OSERR, "malloc");
		printf("printf '%%s\\n' %s | ", s);
		free(s);
	}
	for (; *env; env++) {
		const char *eq = strchr(*env, '=');
		if (!(s = agent_shell_quote(eq + 1)))
			err(AGENT_EXIT_OSERR, "malloc");
		printf("%.*s=%s ", (int)(eq - *env), *env, s);
		free(s);
	}
	if (!(s = agent_shell_join(argv)))
		err(AGENT_EXIT_OSERR, "malloc");
	printf("%s\n", s);
	free(s);
	agent_argv_free(argv);
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "max", required_argument, NULL, 'M' },
		{ "kill", no_argument, NULL, 'k' },
		{ "stuck-after", required_argument, NULL, 'S' },
		{ "wait", no_argument, NULL, 'w' },
		{ "delay", required_argument, NULL, 'D' },
		{ "wait-max", required_argument, NULL, 'W' },
		{ "foreground", no_argument, NULL, 'F' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *agent = NULL, *agent_name = NULL, *dir = NULL, *label = NULL;
	const char *model = NULL, *prompt_path = NULL;
	char *prompt = NULL, *id = NULL, *absdir = NULL, errbuf[512], *host;
	const char *rid;
	struct tool_args fwd = { NULL, 0 };
	size_t plen = 0;
	long long max = 3;
	int dry = 0, stop = 0, wait = 0, c, live = 0, sandbox = 0, rc = AGENT_EXIT_OK;
	double delay = -1, wait_max = -1;
	struct agent_input in;
	struct agent_input_opts io = { 0 };
	struct agent_summary sum;
	struct agent_facts facts;
	enum agent_state st, before;
	struct agent_conf *conf;
	struct resume_argv ra = { 0 };
	struct agent_spawn_opts o = { 0 };

	while ((c = getopt_long(argc, argv, "A:a:D:d:Fhkl:M:m:nP:p:R:S:W:w", longopts, NULL)) != -1) {
		if (!strchr("pPRh?", c))
			tool_args_opt(&fwd, c, optarg);
		switch (c) {
		case 'A': agent_name = optarg; break;
		case 'a': agent = optarg; break;
		case 'd': dir = optarg; break;
		case 'F': o.foreground = 1; break;
		case 'h': usage(AGENT_EXIT_OK);
		case 'k': stop = 1; break;
		case 'l': label = optarg; break;
		case 'M': max = tool_number("--max", optarg, 0, 1000000); break;
		case 'm': model = optarg; break;
		case 'w': wait = 1; break;
		case 'D': delay = tool_decimal("-D", optarg, 0, 1e9); break;
		case 'W': wait_max = tool_decimal("--wait-max", optarg, 0, 1e9); break;
		case 'S': io.stuck_after = tool_decimal("-S", optarg, 0, 1e9); break;
		case 'n': dry = 1; break;
		case 'R': tool_remote_serve(optarg); break;
		case 'P': prompt_path = optarg; break;
		case 'p':
			if (!(prompt = strdup(optarg)))
				err(AGENT_EXIT_OSERR, "malloc");
			plen = strlen(prompt);
			break;
		default: usage(AGENT_EXIT_USAGE);
		}
	}
	if (argc - optind != 1)
		usage(AGENT_EXIT_USAGE);
	if (prompt && prompt_path)
		errx(AGENT_EXIT_USAGE, "-p and -P: give the prompt one way");
	if (tool_remote_operand(argv[optind], &host, &rid)) {
		if (prompt_path)
			prompt = tool_read_prompt(prompt_path, &plen);
		c = resume_remote(host, rid, &fwd, prompt, plen, dry, wait);
		free(prompt);
		free(host);
		tool_args_free(&fwd);
		return c;
	}
	tool_args_free(&fwd);

	tool_input_open(&in, argv[optind], -1);
	if (!in.run && (!agent || !dir))
		errx(AGENT_EXIT_USAGE, "%s: a plain log needs -a AGENT and -d DIR "
		     "(the run directory records them for a run)", in.name);
	if (in.run && (live = agent_run_alive(in.run)) != 0) {
		if (live < 0)
			err(AGENT_EXIT_IOERR, "%s", agent_run_id(in.run));
		if (!stop)
			wait_exiting(&in, &io);
	}
	if (agent_input_state(&in, &io, &sum, &facts, &st) < 0)
		err(AGENT_EXIT_IOERR, "%s", in.name);
	before = st;
	if (!in.run && facts.live == AGENT_LIVE_ALIVE)
		errx(AGENT_EXIT_REFUSED, "%s: refused: a process is still writing the log%s",
		     in.name, stop ? " (-k stops runs, not the writers of a plain log)" : "");
	if (!sum.session[0])
		errx(AGENT_EXIT_REFUSED, "%s: refused: no session id in the log "
		     "(the agent never announced one), so there is nothing to resume",
		     in.name);
	if (in.run) {
		int n = agent_resume_lineage(in.run);
		if (n < 0)
			err(AGENT_EXIT_IOERR, "%s: lineage", agent_run_id(in.run));
		if (n >= max)
			errx(AGENT_EXIT_REFUSED, "%s: refused: its lineage already holds %d "
			     "resume%s (--max %lld)", agent_run_id(in.run), n, n == 1 ? "" : "s", max);
		if (!agent && !(agent = agent_run_agent(in.run)))
			errx(AGENT_EXIT_USAGE, "%s: the run was a raw command, not a preset: "
			     "give -a AGENT", agent_run_id(in.run));
		if (!dir) {
			dir = agent_run_workdir(in.run);
			/* the same worktree: recorded again for the new run */
			o.worktree = agent_run_worktree(in.run);
			o.branch = agent_run_branch(in.run);
			o.repo = agent_run_repo(in.run);
		}
		if (!model)
			model = agent_run_model(in.run);
		if (!agent_name)
			agent_name = agent_run_agent_name(in.run);
		if (!label)
			label = agent_run_label(in.run);
		/* a sandboxed run's continuation is sandboxed too, and an
		 * isolated one's keeps its data directories: the agent CLI's
		 * session store is there */
		sandbox = agent_run_sandbox(in.run) != NULL;
		o.isolate = agent_run_isolated(in.run);
		o.isolate_dir = agent_run_xdg(in.run);
	}

	conf = tool_conf_load();
	ra.p = tool_preset(conf, agent);
	if (!agent_preset_can_resume(ra.p))
		errx(AGENT_EXIT_REFUSED, "%s: refused: the preset has no resume command",
		     agent_preset_name(ra.p));
	o.sandbox = sandbox || agent_preset_sandbox(ra.p);
	o.sandbox_rw = (char *const *)agent_preset_sandbox_rw(ra.p);
	if (o.sandbox && !dry)
		tool_sandbox_check();

	/* Stopped only now, when nothing else refuses: a run that could not
	 * be resumed anyway is left as it was.  -n stops nothing. */
	if (live > 0 && !dry) {
		stop_run(in.run);
		if (agent_input_state(&in, &io, &sum, &facts, &st) < 0)
			err(AGENT_EXIT_IOERR, "%s", in.name);
		/* the prompt says it stalled, not only that it was stopped */
		if (before == AGENT_ST_STUCK)
			st = before;
	}

	if (wait && st == AGENT_ST_LIMITED)
		wait_for_reset(&in, &sum, delay, wait_max, dry,
		               tool_serving && !(prompt_path && strcmp(prompt_path, "-") == 0));

	if (prompt_path)
		prompt = tool_read_prompt(prompt_path, &plen);
	else if (!prompt) {
		if (!(prompt = agent_resume_prompt(st, &sum)))
			err(AGENT_EXIT_OSERR, "malloc");
		plen = strlen(prompt);
	}
	if (dir && !(absdir = realpath(dir, NULL)))
		err(AGENT_EXIT_NOINPUT, "%s", dir);

	ra.via = tool_prompt_route(ra.p, prompt, plen);
	ra.vars.prompt = ra.via == AGENT_PROMPT_ARG ? prompt : NULL;
	ra.vars.dir = absdir;
	ra.vars.model = model;
	ra.vars.agent_name = agent_name;
	ra.vars.session = sum.session;

	if (dry) {
		print_command(&ra, prompt);
	} else {
		/* Expand once first: a template error is reported before a run
		 * directory is made. */
		char **av = build_argv("PROMPT_FILE", NULL, &ra);
		if (!av)
			err(AGENT_EXIT_DATAERR, "%s: resume template", agent_preset_name(ra.p));
		agent_argv_free(av);
		ra.vars.prompt_file = NULL;
		o.argv_fn = build_argv;
		o.argv_arg = &ra;
		o.agent = agent_preset_name(ra.p);
		o.dialect = agent_preset_resume_dialect(ra.p);
		o.workdir = absdir;
		o.label = label;
		o.parent = in.run ? agent_run_id(in.run) : NULL;
		o.model = model ? model : agent_preset_model(ra.p);
		o.agent_name = agent_name ? agent_name : agent_preset_agent_name(ra.p);
		o.prompt = prompt;
		o.prompt_len = plen;
		o.prompt_stdin = ra.via == AGENT_PROMPT_STDIN;
		o.env = (char *const *)agent_preset_env(ra.p);
		if (o.foreground)
			tool_foreground_begin();
		if (agent_spawn(&o, &id, errbuf, sizeof errbuf) < 0)
			errx(AGENT_EXIT_OSERR, "%s", errbuf);
		printf("%s\n", id);
		if (o.foreground) {
			tool_flush();
			rc = tool_foreground_end(id);
		}
		free(id);
	}
	tool_flush();
	free(prompt);
	free(absdir);
	agent_conf_free(conf);
	agent_input_close(&in);
	return rc;
}
