/* tool.c — the tools' shared side: one usage idiom, one wording for a bad
 * number, one prompt reader, one agents.conf error. */
#include <err.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <bsd/stdlib.h>
#include "tool.h"
#include "file.h"

_Noreturn void
usage(int status)
{
	FILE *f = status ? stderr : stdout;

	fprintf(f, "%s\n", tool_usage);
	if (!status)
		tool_flush();
	exit(status);
}

long long
tool_number(const char *opt, const char *arg, long long lo, long long hi)
{
	const char *errstr;
	long long v = strtonum(arg, lo, hi, &errstr);

	if (errstr)
		errx(AGENT_EXIT_USAGE, "%s %s: not a whole number from %lld to %lld",
		     opt, arg, lo, hi);
	return v;
}

double
tool_decimal(const char *opt, const char *arg, double lo, double hi)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(arg, &end);
	if (errno || end == arg || *end || !(v >= lo) || v > hi)
		errx(AGENT_EXIT_USAGE, "%s %s: not a number from %.15g to %.15g",
		     opt, arg, lo, hi);
	return v;
}

int
tool_dialect(const char *name)
{
	int d = agent_dialect_lookup(name);

	if (d < 0)
		errx(AGENT_EXIT_USAGE, "-D %s: no such dialect", name);
	return d;
}

void
tool_exit_status(struct agent_input_opts *o, const char *arg)
{
	o->exit_status = (int)tool_number("-x", arg, 0, 255);
	o->exit_known = 1;
}

void
tool_input_open(struct agent_input *in, const char *arg, int dialect)
{
	const char *what;

	if (agent_input_open(in, arg, dialect, &what) < 0)
		errx(AGENT_EXIT_NOINPUT, "%s: %s", what, agent_input_strerror(errno));
}

char *
tool_read_prompt(const char *path, size_t *len)
{
	char *buf;

	if (agent_read_text(path, &buf, len) == 0)
		return buf;
	if (errno == EFBIG)
		errx(AGENT_EXIT_DATAERR, "%s: prompt larger than %zu bytes", path,
		     AGENT_TEXT_MAX);
	err(errno == ENOMEM ? AGENT_EXIT_OSERR : errno == EIO ? AGENT_EXIT_IOERR :
	    AGENT_EXIT_NOINPUT, "%s", path);
}

enum agent_prompt_via
tool_prompt_route(const struct agent_preset *p, const char *prompt, size_t len)
{
	int via;

	if (prompt && memchr(prompt, '\0', len))
		errx(AGENT_EXIT_DATAERR, "prompt: holds a NUL byte");
	if ((via = agent_preset_prompt_route(p, len)) < 0)
		errx(AGENT_EXIT_DATAERR, "prompt: %zu bytes, more than one argument "
		     "can hold (%d), and %s takes it no other way", len,
		     AGENT_ARG_STRLEN_MAX - 1, agent_preset_name(p));
	return via;
}

struct agent_conf *
tool_conf_load(void)
{
	struct agent_conf_err ce;
	struct agent_conf *c;

	if ((c = agent_conf_load(NULL, &ce)))
		return c;
	if (errno == EINVAL)
		errx(AGENT_EXIT_DATAERR, "%s:%d: %s", ce.file, ce.line, ce.msg);
	err(errno == ENOMEM ? AGENT_EXIT_OSERR : AGENT_EXIT_DATAERR, "%s",
	    ce.file[0] ? ce.file : "agents.conf");
}

const struct agent_preset *
tool_preset(const struct agent_conf *c, const char *name)
{
	const struct agent_preset *p = agent_conf_get(c, name);

	if (!p)
		errx(AGENT_EXIT_USAGE, "%s: no such agent or profile "
		     "(agent-spawn -a list shows them)", name);
	return p;
}

void
tool_sandbox_check(void)
{
	char why[700];

	if (agent_sandbox_probe(why, sizeof why) < 0)
		errx(AGENT_EXIT_CONFIG, "--sandbox: %s", why);
}

void
tool_foreground_begin(void)
{
	sigset_t set;

	signal(SIGCHLD, SIG_DFL);
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGHUP);
	sigaddset(&set, SIGCHLD);
	sigprocmask(SIG_BLOCK, &set, NULL);
}

int
tool_foreground_end(const char *id)
{
	struct agent_input in;
	struct agent_input_opts io;
	struct agent_summary sum;
	struct agent_facts facts;
	enum agent_state st;

	memset(&io, 0, sizeof io);
	tool_input_open(&in, id, -1);
	if (agent_run_wait_child(in.run) < 0)
		err(AGENT_EXIT_OSERR, "%s: waiting for the run", id);
	if (agent_input_state(&in, &io, &sum, &facts, &st) < 0)
		err(AGENT_EXIT_IOERR, "%s", id);
	agent_input_close(&in);
	return agent_state_exit(st);
}

void
tool_flush(void)
{
	if (fflush(stdout) == EOF || ferror(stdout))
		err(AGENT_EXIT_IOERR, "stdout");
}
