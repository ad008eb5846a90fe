/* prompt-render — renders a phase prompt from a template and variables, or
 * lints a prompt against the rules of a good phase prompt. */
#include <err.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "agent.h"
#include "tool.h"

extern char **environ;

const char tool_usage[] =
	"usage: prompt-render [-ehjlV] [-D name=value] [-f vars] [-I dir] [-t builtin] [-W error] "
	"[template | -]";

/* A growable list of option arguments, in command-line order. */
struct args {
	const char **v;
	size_t n;
};

static void
push(struct args *a, const char *s)
{
	const char **v = reallocarray(a->v, a->n + 1, sizeof *v);
	if (!v)
		err(AGENT_EXIT_OSERR, "malloc");
	a->v = v;
	a->v[a->n++] = s;
}

/* Messages carry template text: make it safe for a terminal. */
static void
tmpl_fail(int status, const struct agent_tmpl_error *e)
{
	char *msg = agent_vis_str(e->msg, strlen(e->msg));
	char *file = agent_vis_str(e->file, strlen(e->file));
	if (!msg || !file)
		err(AGENT_EXIT_OSERR, "malloc");
	if (e->line)
		errx(status, "%s:%u:%u: %s", file, e->line, e->column, msg);
	errx(status, "%s: %s", file, msg);
}

static int
status_for(int e, int data_status)
{
	switch (e) {
	case EINVAL:
	case EFBIG:
		return data_status;
	case ENOMEM:
		return AGENT_EXIT_OSERR;
	case EIO:
		return AGENT_EXIT_IOERR;
	default:
		return AGENT_EXIT_NOINPUT;
	}
}

static void
list_builtins(void)
{
	const char *name, *desc;
	size_t i;
	for (i = 0; (name = agent_tmpl_builtin_name(i, &desc)); i++)
		printf("%s\t%s\n", name, desc);
}

/* Prints each finding as file:line: warning: message [rule], or with json
 * as one object a line; returns the count. */
static size_t
lint(const char *name, const char *text, size_t len, int werror, int json)
{
	const char *sev = werror ? "error" : "warning";
	struct agent_lint_finding *f;
	size_t n, i;

	if (agent_lint(text, len, &f, &n) < 0)
		err(AGENT_EXIT_OSERR, "lint");
	for (i = 0; i < n; i++) {
		const char *rule = agent_lint_rule_name(f[i].rule);
		if (json) {
			struct agent_jw w;
			agent_jw_begin(&w, stdout);
			agent_jw_str(&w, "file", name);
			agent_jw_int(&w, "line", f[i].line);
			agent_jw_str(&w, "severity", sev);
			agent_jw_str(&w, "rule", rule);
			agent_jw_str(&w, "message", f[i].msg);
			agent_jw_end(&w);
			continue;
		}
		printf("%s:%u: %s: ", name, f[i].line, sev);
		if (agent_vis_write(stdout, f[i].msg, strlen(f[i].msg), 1) < 0)
			break;
		printf(" [%s]\n", rule);
	}
	free(f);
	return n;
}

/* Prints the verification command of the prompt's last step; exits 65 with
 * the reason when it names none, or several and none as deciding. */
static void
verify(const char *name, const char *text, size_t len)
{
	char *cmd, why[256];
	unsigned line;
	int rc = agent_lint_verify(text, len, &cmd, &line, why, sizeof why);

	if (rc < 0)
		err(AGENT_EXIT_OSERR, "verify");
	if (rc > 0) {
		char *v = agent_vis_str(why, strlen(why)), *n = agent_vis_str(name, strlen(name));
		if (!v || !n)
			err(AGENT_EXIT_OSERR, "malloc");
		errx(AGENT_EXIT_DATAERR, "%s: %s", n, v);
	}
	if (printf("%s\n", cmd) < 0)
		err(AGENT_EXIT_IOERR, "stdout");
	free(cmd);
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "define", required_argument, NULL, 'D' },
		{ "env", no_argument, NULL, 'e' },
		{ "vars", required_argument, NULL, 'f' },
		{ "help", no_argument, NULL, 'h' },
		{ "include-dir", required_argument, NULL, 'I' },
		{ "json", no_argument, NULL, 'j' },
		{ "lint", no_argument, NULL, 'l' },
		{ "template", required_argument, NULL, 't' },
		{ "verify", no_argument, NULL, 'V' },
		{ "warnings", required_argument, NULL, 'W' },
		{ NULL, 0, NULL, 0 },
	};
	struct args defs = {0}, files = {0}, incs = {0};
	struct agent_tmpl_error e = {0};
	struct agent_tmpl_vars *vars;
	const char *builtin = NULL, *path = NULL, *name, *src;
	char *text = NULL, *dir = NULL, *out = NULL, *display = NULL;
	size_t len, outlen, i;
	int c, use_env = 0, do_lint = 0, do_verify = 0, werror = 0, json = 0, status = AGENT_EXIT_OK;

	while ((c = getopt_long(argc, argv, "D:ef:hI:jlt:VW:", longopts, NULL)) != -1) {
		switch (c) {
		case 'D':
			if (!strchr(optarg, '='))
				errx(AGENT_EXIT_USAGE, "-D %s: want name=value", optarg);
			push(&defs, optarg);
			break;
		case 'e':
			use_env = 1;
			break;
		case 'f':
			push(&files, optarg);
			break;
		case 'h':
			usage(AGENT_EXIT_OK);
			break;
		case 'I': {
			struct stat sb;
			if (stat(optarg, &sb) < 0)
				err(AGENT_EXIT_NOINPUT, "-I %s", optarg);
			if (!S_ISDIR(sb.st_mode))
				errx(AGENT_EXIT_NOINPUT, "-I %s: not a directory", optarg);
			push(&incs, optarg);
			break;
		}
		case 'j':
			json = 1;
			break;
		case 'l':
			do_lint = 1;
			break;
		case 't':
			builtin = optarg;
			break;
		case 'V':
			do_verify = 1;
			break;
		case 'W':
			if (strcmp(optarg, "error") != 0)
				errx(AGENT_EXIT_USAGE, "-W %s: only -W error is known", optarg);
			werror = 1;
			break;
		default:
			usage(AGENT_EXIT_USAGE);
		}
	}
	argc -= optind;
	argv += optind;
	if (argc > 1 || (argc == 1 && builtin) || (json && !do_lint) || (do_verify && do_lint))
		usage(AGENT_EXIT_USAGE);
	if (builtin && strcmp(builtin, "list") == 0) {
		list_builtins();
		goto done;
	}

	/* the text: a built-in, a file, or standard input */
	if (builtin) {
		if (!(src = agent_tmpl_builtin(builtin, &len)))
			errx(AGENT_EXIT_USAGE, "-t %s: no such built-in template (see -t list)", builtin);
		if (asprintf(&display, "<%s>", builtin) < 0)
			err(AGENT_EXIT_OSERR, "malloc");
		name = display;
	} else {
		path = argc == 1 ? argv[0] : "-";
		if (agent_read_text(path, &text, &len) < 0)
			err(errno == EIO ? AGENT_EXIT_IOERR : AGENT_EXIT_NOINPUT, "%s",
			    strcmp(path, "-") ? path : "<stdin>");
		src = text;
		name = strcmp(path, "-") ? path : "<stdin>";
		if (strcmp(path, "-") != 0) {
			const char *sl = strrchr(path, '/');
			dir = sl ? strndup(path, sl == path ? 1 : (size_t)(sl - path)) : strdup(".");
			if (!dir)
				err(AGENT_EXIT_OSERR, "malloc");
		}
	}

	if (do_verify) {
		verify(name, src, len);
		goto done;
	}
	if (do_lint) {
		if (lint(name, src, len, werror, json) > 0 && werror)
			status = AGENT_EXIT_DATAERR;
		goto done;
	}

	/* variables: the environment, then VARS files, then -D, later wins */
	if (!(vars = agent_tmpl_vars_new()))
		err(AGENT_EXIT_OSERR, "malloc");
	if (use_env && agent_tmpl_vars_environ(vars, environ) < 0)
		err(AGENT_EXIT_OSERR, "environment");
	for (i = 0; i < files.n; i++)
		if (agent_tmpl_vars_load(vars, files.v[i], &e) < 0)
			tmpl_fail(status_for(errno, AGENT_EXIT_DATAERR), &e);
	for (i = 0; i < defs.n; i++)
		if (agent_tmpl_vars_define(vars, defs.v[i]) < 0)
			errx(AGENT_EXIT_USAGE, "-D %s: bad variable name", defs.v[i]);

	struct agent_tmpl_opts o = { incs.v, incs.n };
	/* rendered whole into memory: on any error nothing reaches stdout */
	if (agent_tmpl_render(src, len, name, dir, vars, &o, &out, &outlen, &e) < 0)
		tmpl_fail(status_for(errno, AGENT_EXIT_DATAERR), &e);
	if (fwrite(out, 1, outlen, stdout) != outlen)
		err(AGENT_EXIT_IOERR, "stdout");
	agent_tmpl_vars_free(vars);
done:
	tool_flush();
	free(out);
	free(text);
	free(dir);
	free(display);
	free(defs.v);
	free(files.v);
	free(incs.v);
	return status;
}
