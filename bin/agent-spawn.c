/* agent-spawn — start an agent (a preset or any command) as a detached run
 * and print its run id as soon as the agent has been executed. */
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "agent.h"
#include "tool.h"

const char tool_usage[] =
	"usage: agent-spawn [-a AGENT] [-A NAME] [-m MODEL] [-d DIR] [-l LABEL] [-o FILE]\n"
	"                   [-p PROMPT | -P FILE] [-e NAME=VALUE] ... [--on-exit CMD]\n"
	"                   [--isolate] [--sandbox] [--foreground] [-w[BRANCH]]\n"
	"                   [-H HOST] [-- COMMAND [ARG ...]]";

static const char agent_run_dummy_prompt_file[] = "prompt";

struct preset_argv {
	const struct agent_preset *p;
	struct agent_vars vars;
	enum agent_prompt_via via;
	char **extra;      /* operands after the options: appended */
};

/* Expands the preset once the run directory (and its prompt file) exist. */
static char **
build_argv(const char *prompt_file, const char *workdir, void *arg)
{
	struct preset_argv *pa = arg;
	char **av, **nav;
	size_t n, k, i;

	/* {dir} is where the agent works: a new worktree's, with -w */
	if (workdir)
		pa->vars.dir = workdir;
	if (pa->via == AGENT_PROMPT_FILE)
		pa->vars.prompt_file = prompt_file;
	if (!(av = agent_preset_argv(pa->p, AGENT_ARGV_SPAWN, &pa->vars)))
		return NULL;
	for (k = 0; pa->extra[k]; k++)
		;
	if (!k)
		return av;
	for (n = 0; av[n]; n++)
		;
	if (!(nav = reallocarray(av, n + k + 1, sizeof *av))) {
		agent_argv_free(av);
		return NULL;
	}
	av = nav;
	for (i = 0; i < k; i++) {
		if (!(av[n + i] = strdup(pa->extra[i]))) {
			av[n + i] = NULL;
			agent_argv_free(av);
			return NULL;
		}
	}
	av[n + k] = NULL;
	return av;
}

/* -w: refused before a run is made, outside a git work tree or when the
 * branch is taken; a name git would not take is a usage error. */
static void
check_worktree(const char *dir, const char *branch)
{
	struct agent_worktree_info *wi;
	char why[600];

	if (!(wi = malloc(sizeof *wi)))
		err(AGENT_EXIT_OSERR, "malloc");
	if (agent_worktree_probe(dir, wi, why, sizeof why) < 0)
		errx(errno == ENOTDIR ? AGENT_EXIT_REFUSED : AGENT_EXIT_OSERR,
		     "%s: --worktree: %s%s", dir, errno == ENOTDIR ? "refused: " : "", why);
	free(wi);
	if (branch && agent_worktree_branch_check(dir, branch, why, sizeof why) < 0)
		errx(errno == EINVAL ? AGENT_EXIT_USAGE : errno == EEXIST ?
		     AGENT_EXIT_REFUSED : AGENT_EXIT_OSERR, "--worktree=%s: %s%s", branch,
		     errno == EEXIST ? "refused: " : "", why);
}

/* -H HOST: agent-spawn on the host, the options as given (-d, -o, -a
 * and agents.conf are the host's), the prompt on its standard input and
 * never in the command ssh hands to the host's shell; prints HOST:ID. */
static int
spawn_remote(const char *host, struct tool_args *fwd, const char *prompt, size_t plen,
             int listing, int argc, char **argv)
{
	struct tool_rcall rc = { 0 };
	struct tool_args a = { NULL, 0 };
	int r;

	tool_args_add(&a, "agent-spawn");
	for (size_t k = 0; k < fwd->n; k++)
		tool_args_add(&a, fwd->v[k]);
	if (prompt)
		tool_args_opt(&a, 'P', "-");
	if (argc) {
		tool_args_add(&a, "--");
		for (int k = 0; k < argc; k++)
			tool_args_add(&a, argv[k]);
	}
	rc.host = host;
	rc.cmd = a.v;
	rc.offset = -1;
	rc.in = prompt;
	rc.inlen = plen;
	rc.line = listing ? NULL : tool_line_host_id;
	r = tool_remote(&rc, 0);
	tool_rcall_free(&rc);
	return r;
}

static void
list_agents(void)
{
	struct agent_conf *conf = tool_conf_load();
	const char **names;
	size_t n, i;

	/* as many as agents.conf defines: first the count, then the names */
	n = agent_conf_names(conf, NULL, 0);
	if (!(names = reallocarray(NULL, n ? n : 1, sizeof *names)))
		err(AGENT_EXIT_OSERR, "malloc");
	agent_conf_names(conf, names, n);
	for (i = 0; i < n; i++)
		printf("%s\n", names[i]);
	free(names);
	agent_conf_free(conf);
}

int
main(int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "on-exit", required_argument, NULL, 'x' },
		{ "isolate", no_argument, NULL, 'i' },
		{ "sandbox", no_argument, NULL, 'S' },
		{ "foreground", no_argument, NULL, 'F' },
		{ "worktree", optional_argument, NULL, 'w' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct agent_spawn_opts o;
	struct preset_argv pa;
	struct agent_conf *conf = NULL;
	const char *agent = NULL, *prompt_file = NULL;
	char **env = NULL, *prompt = NULL, *workdir = NULL, *id, errbuf[600];
	const char *host = NULL;
	struct tool_args fwd = { NULL, 0 };
	const char *const *penv;
	size_t nenv = 0, np = 0, plen = 0, i;
	int c, sandbox = 0, rc = AGENT_EXIT_OK;

	memset(&o, 0, sizeof o);
	memset(&pa, 0, sizeof pa);
	if (!(env = calloc((size_t)argc + 1, sizeof *env)))
		err(AGENT_EXIT_OSERR, "calloc");
	/* "+": the command's own options are not ours */
	while ((c = getopt_long(argc, argv, "+a:A:m:d:l:o:p:P:e:x:iSFw::H:R:h", longopts, NULL)) != -1) {
		/* for -H: the options again, the prompt aside; -w's branch
		 * joined to it, as an optional argument must be */
		if (c == 'w') {
			char *w;
			if (asprintf(&w, "-w%s", optarg ? optarg : "") < 0)
				err(AGENT_EXIT_OSERR, "asprintf");
			tool_args_add(&fwd, w);
			free(w);
		} else if (!strchr("pPHRh?", c))
			tool_args_opt(&fwd, c, optarg);
		switch (c) {
		case 'a': agent = optarg; break;
		case 'A': o.agent_name = optarg; break;
		case 'm': o.model = optarg; break;
		case 'd': o.workdir = optarg; break;
		case 'l': o.label = optarg; break;
		case 'o': o.output = optarg; break;
		case 'p':
			if (prompt || prompt_file)
				usage(AGENT_EXIT_USAGE);
			prompt = optarg;
			plen = strlen(optarg);
			break;
		case 'P':
			if (prompt || prompt_file)
				usage(AGENT_EXIT_USAGE);
			prompt_file = optarg;
			break;
		case 'e':
			if (!strchr(optarg, '=') || optarg[0] == '=')
				errx(AGENT_EXIT_USAGE, "-e %s: not NAME=VALUE", optarg);
			env[np++] = optarg;
			break;
		case 'x': o.on_exit = optarg; break;
		case 'i': o.isolate = 1; break;
		case 'S': sandbox = 1; break;
		case 'F': o.foreground = 1; break;
		case 'w':
			o.new_worktree = 1;
			o.branch = optarg;
			break;
		case 'H':
			if (!agent_remote_host_valid(optarg))
				errx(AGENT_EXIT_USAGE, "-H %s: not a host ssh can be given", optarg);
			host = optarg;
			break;
		case 'R':
			tool_remote_serve(optarg);
			break;
		case 'h':
			free(env);
			usage(AGENT_EXIT_OK);
		default:
			usage(AGENT_EXIT_USAGE);
		}
	}
	argc -= optind;
	argv += optind;
	if (host) {
		if (!agent && argc == 0)
			usage(AGENT_EXIT_USAGE);
		if (prompt_file)
			prompt = tool_read_prompt(prompt_file, &plen);
		c = spawn_remote(host, &fwd, prompt, plen, agent && !strcmp(agent, "list"),
		                 argc, argv);
		if (prompt_file)
			free(prompt);
		tool_args_free(&fwd);
		free(env);
		return c;
	}
	tool_args_free(&fwd);
	if (agent && !strcmp(agent, "list")) {
		free(env);
		list_agents();
		tool_flush();
		return AGENT_EXIT_OK;
	}
	if (!agent && argc == 0)
		usage(AGENT_EXIT_USAGE);
	if (prompt_file)
		prompt = tool_read_prompt(prompt_file, &plen);
	o.prompt = prompt;
	o.prompt_len = plen;

	if (!agent) {
		/* a raw command has no template: its prompt comes on stdin */
		o.argv = argv;
		o.prompt_stdin = prompt != NULL;
		if (o.model || o.agent_name)
			warnx("-m and -A only reach a preset; %s gets neither", argv[0]);
	} else {
		conf = tool_conf_load();
		pa.p = tool_preset(conf, agent);
		pa.via = tool_prompt_route(pa.p, prompt, plen);
		if (pa.via == AGENT_PROMPT_ARG)
			pa.vars.prompt = prompt;
		o.prompt_stdin = pa.via == AGENT_PROMPT_STDIN && prompt;
		pa.vars.dir = o.workdir ? o.workdir : ".";
		pa.vars.model = o.model;
		pa.vars.agent_name = o.agent_name;
		pa.extra = argv;
		o.argv_fn = build_argv;
		o.argv_arg = &pa;
		o.agent = agent_preset_name(pa.p);
		o.dialect = agent_preset_dialect(pa.p);
		o.sandbox = agent_preset_sandbox(pa.p);
		o.sandbox_rw = (char *const *)agent_preset_sandbox_rw(pa.p);
		if (!o.model)
			o.model = agent_preset_model(pa.p);
		if (!o.agent_name)
			o.agent_name = agent_preset_agent_name(pa.p);
		/* the preset's environment first, so that -e overrides it */
		penv = agent_preset_env(pa.p);
		for (nenv = 0; penv && penv[nenv]; nenv++)
			;
		if (nenv) {
			char **all = calloc(nenv + np + 1, sizeof *all);
			if (!all)
				err(AGENT_EXIT_OSERR, "calloc");
			for (i = 0; i < nenv; i++)
				all[i] = (char *)penv[i];
			for (i = 0; i < np; i++)
				all[nenv + i] = env[i];
			free(env);
			env = all;
		}
	}
	if (agent) {
		/* expand once now, so that a missing field is a usage error
		 * and not a half-made run */
		char **av = build_argv(prompt ? agent_run_dummy_prompt_file : NULL, NULL, &pa);
		if (!av) {
			const char *f;
			if (errno == EINVAL && !prompt)
				errx(AGENT_EXIT_USAGE, "%s: needs a prompt (-p or -P)", agent);
			if (errno == EINVAL &&
			    (f = agent_preset_missing(pa.p, AGENT_ARGV_SPAWN, &pa.vars)))
				errx(AGENT_EXIT_USAGE, "%s: the spawn template needs {%s}%s",
				     agent, f, !strcmp(f, "model") ? ": give -m MODEL" :
				     !strcmp(f, "agent_name") ? ": give -A NAME" : "");
			err(errno == EINVAL ? AGENT_EXIT_USAGE : AGENT_EXIT_OSERR,
			    "%s: spawn template", agent);
		}
		agent_argv_free(av);
		pa.vars.prompt_file = NULL;
	}
	o.env = env;
	/* {dir} is absolute in the agent's argv, like the run's record */
	if (!(workdir = realpath(o.workdir ? o.workdir : ".", NULL)))
		err(AGENT_EXIT_NOINPUT, "%s", o.workdir ? o.workdir : ".");
	pa.vars.dir = workdir;
	if (o.new_worktree)
		check_worktree(workdir, o.branch);
	o.sandbox |= sandbox;
	if (o.sandbox)
		tool_sandbox_check();

	if (o.foreground)
		tool_foreground_begin();
	if (agent_spawn(&o, &id, errbuf, sizeof errbuf) < 0)
		errx(AGENT_EXIT_OSERR, "%s", errbuf);
	printf("%s\n", id);
	if (o.foreground) {
		/* the id first, where the batch job's output shows it */
		tool_flush();
		rc = tool_foreground_end(id);
	}
	free(id);
	if (prompt_file)
		free(prompt);
	free(env);
	free(workdir);
	agent_conf_free(conf);
	tool_flush();
	return rc;
}
