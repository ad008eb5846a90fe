/* tool_remote.c — a tool's call to itself on another host over ssh (the
 * caller's side: output relayed, the host's answer checked, a lost
 * connection retried), and the far side's few lines for its caller (-R). */
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/wait.h>
#include <bsd/stdlib.h>
#include "tool.h"

/* A lost connection is tried again this many times (AGENT_SSH_RETRIES),
 * after 1, 2, 4 ... seconds. */
#define RETRIES 5
/* agent-tail -f's output is held back until the host marks it shown; past
 * this much without a mark it goes out anyway (a reconnection may then
 * repeat some of it). */
#define HELD_MAX (8u << 20)

int tool_serving;

/* ---- the far side ---- */

long long
tool_remote_serve(const char *arg)
{
	char hello[64];
	long long offset;
	int proto, n;

	if (agent_remote_arg(arg, &proto, &offset) < 0)
		errx(AGENT_EXIT_USAGE, "-R %s: not PROTOCOL[:OFFSET]", arg);
	if (proto != AGENT_REMOTE_PROTO)
		errx(AGENT_EXIT_CONFIG, "-R %d: this agentutils speaks remote protocol "
		     "%d: install the same version here and on the calling host",
		     proto, AGENT_REMOTE_PROTO);
	/* written past stdio, before anything else: the tools may still set
	 * standard output's buffering */
	n = snprintf(hello, sizeof hello, "%s%d\n", AGENT_REMOTE_HELLO, AGENT_REMOTE_PROTO);
	if (write(1, hello, (size_t)n) != n)
		err(AGENT_EXIT_IOERR, "stdout");
	tool_serving = 1;
	return offset;
}

/* The caller keeps our standard input open and writes nothing: its end
 * means the connection is gone, and so is the one we would answer. */
void
tool_remote_watch(struct agent_input *in)
{
	int fl;

	if (!tool_serving)
		return;
	if ((fl = fcntl(0, F_GETFL)) < 0 || fcntl(0, F_SETFL, fl | O_NONBLOCK) < 0)
		err(AGENT_EXIT_OSERR, "stdin");
	in->hupfd = 0;
}

void
tool_input_wait(struct agent_input *in, int timeout_ms)
{
	if (agent_input_wait(in, timeout_ms) >= 0 || errno == EINTR)
		return;
	if (errno == EPIPE && in->hupfd >= 0)
		exit(AGENT_EXIT_UNAVAILABLE);
	err(AGENT_EXIT_IOERR, "%s: wait", in->name);
}

void
tool_remote_mark(long long offset)
{
	if (!tool_serving)
		return;
	printf("%s%lld\n", AGENT_REMOTE_MARK, offset);
	tool_flush();
}

/* ---- the caller's side ---- */

struct rbuf {
	char *p;
	size_t len, cap;
};

static void
radd(struct rbuf *b, const char *s, size_t n)
{
	if (b->len + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 256;
		char *p;
		while (cap < b->len + n + 1)
			cap *= 2;
		if (!(p = realloc(b->p, cap)))
			err(AGENT_EXIT_OSERR, "malloc");
		b->p = p;
		b->cap = cap;
	}
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
}

struct tool_rcall_int {
	pid_t pid;
	int in, out, errfd;
	size_t inoff;
	struct rbuf oline, eline, held, early;
	FILE *o, *e;
};

static void err_line(struct tool_rcall *, const char *, size_t);

static void
write_out(struct tool_rcall *c, const char *s, size_t n)
{
	FILE *o = c->i->o;

	if (c->line)
		c->line(c, o, s, n);
	else if (fwrite(s, 1, n, o) != n)
		err(AGENT_EXIT_IOERR, "stdout");
}

static void
out_line(struct tool_rcall *c, const char *s, size_t n)
{
	struct tool_rcall_int *i = c->i;
	size_t hl = strlen(AGENT_REMOTE_HELLO), ml = strlen(AGENT_REMOTE_MARK);

	if (!c->hello) {
		if (n > hl && !memcmp(s, AGENT_REMOTE_HELLO, hl)) {
			c->hello = c->hello_ever = 1;
			/* what it said on stderr meanwhile is its own */
			if (i->early.len) {
				struct rbuf e = i->early;
				memset(&i->early, 0, sizeof i->early);
				for (char *p = e.p, *nl; p < e.p + e.len; p = nl + 1) {
					nl = memchr(p, '\n', (size_t)(e.p + e.len - p));
					err_line(c, p, (size_t)(nl - p));
				}
				free(e.p);
			}
		}
		/* anything else before the hello: not our protocol */
		return;
	}
	if (c->follow && n > ml && !memcmp(s, AGENT_REMOTE_MARK, ml)) {
		char num[24];
		const char *errstr;
		size_t k = n - ml - (s[n - 1] == '\n');
		if (k < sizeof num) {
			memcpy(num, s + ml, k);
			num[k] = '\0';
			long long off = strtonum(num, 0, LLONG_MAX, &errstr);
			if (!errstr) {
				if (i->held.len)
					write_out(c, i->held.p, i->held.len);
				i->held.len = 0;
				c->mark = off;
				return;
			}
		}
	}
	if (!c->follow) {
		write_out(c, s, n);
		return;
	}
	radd(&i->held, s, n);
	if (i->held.len > HELD_MAX) {
		write_out(c, i->held.p, i->held.len);
		i->held.len = 0;
	}
}

/* A line of the host's stderr after the hello: made safe for a terminal,
 * and "prog: what" from the tool there said as "prog: host: what". */
static void
relay_err(struct tool_rcall *c, const char *s, size_t n)
{
	FILE *e = c->i->e;
	size_t pl = strlen(getprogname());

	if (n > pl + 2 && !memcmp(s, getprogname(), pl) && s[pl] == ':' && s[pl + 1] == ' ') {
		fprintf(e, "%s: %s: ", getprogname(), c->host);
		s += pl + 2;
		n -= pl + 2;
	}
	agent_vis_write(e, s, n, 1);
	fputc('\n', e);
	fflush(e);
}

static void
err_line(struct tool_rcall *c, const char *s, size_t n)
{
	struct tool_rcall_int *i = c->i;

	if (n && s[n - 1] == '\n')
		n--;
	if (c->hello) {
		relay_err(c, s, n);
		return;
	}
	/* before the hello: ssh's, the shell's or an older tool's; kept */
	radd(&i->early, s, n);
	radd(&i->early, "\n", 1);
	free(c->lasterr);
	if (!(c->lasterr = agent_vis_str(s, n)))
		err(AGENT_EXIT_OSERR, "malloc");
}

/* Feeds what was read to the lines of b, each handed to fn; at EOF
 * (r == 0) a last partial line too. */
static void
lines(struct tool_rcall *c, struct rbuf *b, const char *s, size_t r,
      void (*fn)(struct tool_rcall *, const char *, size_t))
{
	char *nl;
	size_t done = 0;

	radd(b, s, r);
	while (done < b->len && (nl = memchr(b->p + done, '\n', b->len - done))) {
		fn(c, b->p + done, (size_t)(nl - (b->p + done)) + 1);
		done = (size_t)(nl - b->p) + 1;
	}
	if (r == 0 && done < b->len) {
		fn(c, b->p + done, b->len - done);
		done = b->len;
	}
	memmove(b->p, b->p + done, b->len - done);
	b->len -= done;
}

static void
start(struct tool_rcall *c)
{
	struct tool_rcall_int *i;
	int pin[2] = { -1, -1 }, pout[2], perr[2], pex[2], xerr;
	char **cmd, **av, arg[48];
	ssize_t r;
	size_t k;

	if (!(i = c->i = calloc(1, sizeof *i)))
		err(AGENT_EXIT_OSERR, "malloc");
	c->hello = 0;
	c->status = -1;
	free(c->lasterr);
	c->lasterr = NULL;
	/* the tool, -R, its arguments */
	for (k = 0; c->cmd[k]; k++)
		;
	if (!(cmd = calloc(k + 3, sizeof *cmd)))
		err(AGENT_EXIT_OSERR, "malloc");
	if (c->offset >= 0)
		snprintf(arg, sizeof arg, "%d:%lld", AGENT_REMOTE_PROTO, c->offset);
	else
		snprintf(arg, sizeof arg, "%d", AGENT_REMOTE_PROTO);
	cmd[0] = c->cmd[0];
	cmd[1] = "-R";
	cmd[2] = arg;
	memcpy(cmd + 3, c->cmd + 1, k * sizeof *cmd);
	if (!(av = agent_remote_ssh_argv(c->host, cmd)))
		err(errno == EINVAL ? AGENT_EXIT_USAGE : AGENT_EXIT_OSERR, "%s: ssh command",
		    c->host);
	free(cmd);
	if ((c->in || c->keep_in) && pipe2(pin, O_CLOEXEC) < 0)
		err(AGENT_EXIT_OSERR, "pipe");
	if (pipe2(pout, O_CLOEXEC) < 0 || pipe2(perr, O_CLOEXEC) < 0)
		err(AGENT_EXIT_OSERR, "pipe");
	if (c->buffered) {
		if (!(i->o = open_memstream(&c->out, &c->outlen)) ||
		    !(i->e = open_memstream(&c->err, &c->errlen)))
			err(AGENT_EXIT_OSERR, "malloc");
	} else {
		i->o = stdout;
		i->e = stderr;
	}
	/* an exec that fails comes back through this: ssh missing here is
	 * not agentutils missing there */
	if (pipe2(pex, O_CLOEXEC) < 0)
		err(AGENT_EXIT_OSERR, "pipe");
	fflush(stdout);
	fflush(stderr);
	if ((i->pid = fork()) < 0)
		err(AGENT_EXIT_OSERR, "fork");
	if (i->pid == 0) {
		int nul = open("/dev/null", O_RDONLY), e;
		if ((pin[0] >= 0 ? dup2(pin[0], 0) : dup2(nul, 0)) < 0 ||
		    dup2(pout[1], 1) < 0 || dup2(perr[1], 2) < 0)
			_exit(127);
		signal(SIGPIPE, SIG_DFL);
		execvp(av[0], av);
		e = errno;
		(void)!write(pex[1], &e, sizeof e);
		_exit(127);
	}
	close(pex[1]);
	while ((r = read(pex[0], &xerr, sizeof xerr)) < 0 && errno == EINTR)
		;
	close(pex[0]);
	if (r == (ssize_t)sizeof xerr) {
		errno = xerr;
		err(AGENT_EXIT_OSERR, "%s", av[0]);
	}
	agent_argv_free(av);
	close(pout[1]);
	close(perr[1]);
	i->out = pout[0];
	i->errfd = perr[0];
	i->in = -1;
	if (pin[0] >= 0) {
		close(pin[0]);
		i->in = pin[1];
		if (c->in && fcntl(i->in, F_SETFL, O_NONBLOCK) < 0)
			err(AGENT_EXIT_OSERR, "pipe");
		if (c->in && c->inlen == 0 && !c->keep_in) {
			close(i->in);
			i->in = -1;
		}
	}
}

static void
finish(struct tool_rcall *c)
{
	struct tool_rcall_int *i = c->i;
	int ws;

	if (i->in >= 0)
		close(i->in);
	while (waitpid(i->pid, &ws, 0) < 0)
		if (errno != EINTR)
			err(AGENT_EXIT_OSERR, "waitpid");
	/* killed: the connection is as good as lost */
	c->status = WIFEXITED(ws) ? WEXITSTATUS(ws) : 255;
	/* a follower's output never marked shown: lost with the connection,
	 * written again from the mark after a reconnection */
	if (i->held.len && c->status != 255)
		write_out(c, i->held.p, i->held.len);
	if (c->buffered) {
		if (fclose(i->o) != 0 || fclose(i->e) != 0)
			err(AGENT_EXIT_OSERR, "malloc");
	} else if (fflush(stdout) == EOF)
		err(AGENT_EXIT_IOERR, "stdout");
	free(i->oline.p);
	free(i->eline.p);
	free(i->held.p);
	free(i->early.p);
	free(i);
	c->i = NULL;
}

void
tool_rcall_run(struct tool_rcall **calls, size_t n)
{
	struct pollfd *pf;
	struct tool_rcall **who;
	char buf[65536];
	size_t k, np, live = n;
	ssize_t r;
	void (*old)(int) = signal(SIGPIPE, SIG_IGN);

	for (k = 0; k < n; k++)
		start(calls[k]);
	if (!(pf = calloc(3 * n, sizeof *pf)) || !(who = calloc(3 * n, sizeof *who)))
		err(AGENT_EXIT_OSERR, "malloc");
	while (live) {
		np = 0;
		for (k = 0; k < n; k++) {
			struct tool_rcall_int *i = calls[k]->i;
			if (!i)
				continue;
			/* standard output before standard error: the hello first */
			if (i->out >= 0) {
				pf[np] = (struct pollfd){ i->out, POLLIN, 0 };
				who[np++] = calls[k];
			}
			if (i->errfd >= 0) {
				pf[np] = (struct pollfd){ i->errfd, POLLIN, 0 };
				who[np++] = calls[k];
			}
			if (i->in >= 0 && calls[k]->in && i->inoff < calls[k]->inlen) {
				pf[np] = (struct pollfd){ i->in, POLLOUT, 0 };
				who[np++] = calls[k];
			}
		}
		if (poll(pf, np, -1) < 0) {
			if (errno == EINTR)
				continue;
			err(AGENT_EXIT_OSERR, "poll");
		}
		for (k = 0; k < np; k++) {
			struct tool_rcall *c = who[k];
			struct tool_rcall_int *i = c->i;
			if (!pf[k].revents || !i)
				continue;
			if (pf[k].fd == i->in) {
				r = write(i->in, c->in + i->inoff, c->inlen - i->inoff);
				if (r > 0)
					i->inoff += (size_t)r;
				/* all of it sent, or nobody reads: its end */
				if ((r < 0 && errno != EAGAIN && errno != EINTR) ||
				    (i->inoff == c->inlen && !c->keep_in)) {
					close(i->in);
					i->in = -1;
				}
				continue;
			}
			if ((r = read(pf[k].fd, buf, sizeof buf)) < 0) {
				if (errno == EINTR || errno == EAGAIN)
					continue;
				r = 0;
			}
			if (pf[k].fd == i->out) {
				lines(c, &i->oline, buf, (size_t)r, out_line);
				if (r == 0) {
					close(i->out);
					i->out = -1;
				}
			} else {
				lines(c, &i->eline, buf, (size_t)r, err_line);
				if (r == 0) {
					close(i->errfd);
					i->errfd = -1;
				}
			}
			if (!c->buffered && fflush(stdout) == EOF)
				err(AGENT_EXIT_IOERR, "stdout");
			if (i->out < 0 && i->errfd < 0) {
				finish(c);
				live--;
			}
		}
	}
	free(pf);
	free(who);
	signal(SIGPIPE, old);
}

void
tool_rcall_free(struct tool_rcall *c)
{
	agent_argv_free(c->cmd);
	free(c->out);
	free(c->err);
	free(c->lasterr);
	c->cmd = NULL;
	c->out = c->err = c->lasterr = NULL;
}

int
tool_rcall_status(struct tool_rcall *c)
{
	const char *why = c->lasterr ? c->lasterr : "no message";

	if (c->hello && c->status != 255)
		return c->status;
	if (c->hello) {
		warnx("%s: the connection was lost", c->host);
		return AGENT_EXIT_UNAVAILABLE;
	}
	if (c->status == 255) {
		warnx("%s: cannot reach the host: %s", c->host, why);
		return AGENT_EXIT_UNAVAILABLE;
	}
	if (c->status == 127 || c->status == 126) {
		warnx("%s: agentutils is not installed there (%s: %s): install it on "
		      "the host, on the PATH its shell has for ssh commands", c->host,
		      c->cmd[0], why);
		return AGENT_EXIT_CONFIG;
	}
	warnx("%s: agentutils there is older or newer than this one (%s there does not "
	      "take -R %d: %s): install the same version on both", c->host, c->cmd[0],
	      AGENT_REMOTE_PROTO, why);
	return AGENT_EXIT_CONFIG;
}

static int
retries(void)
{
	const char *s = getenv("AGENT_SSH_RETRIES"), *errstr;
	long long n;

	if (!s || !*s)
		return RETRIES;
	n = strtonum(s, 0, 100, &errstr);
	if (errstr)
		errx(AGENT_EXIT_USAGE, "AGENT_SSH_RETRIES=%s: not a whole number from 0 to 100", s);
	return (int)n;
}

int
tool_remote(struct tool_rcall *c, int wait)
{
	struct timespec ts;
	double start = agent_clock(), delay = 1;
	int tries = wait ? retries() : 0, k;

	c->mark = -1;
	c->hello_ever = 0;
	for (k = 0;; k++) {
		tool_rcall_run(&c, 1);
		if (!(c->status == 255 && c->hello_ever) || k >= tries)
			break;
		warnx("%s: the connection was lost; trying again in %.0f s (%d of %d)",
		      c->host, delay, k + 1, tries);
		ts.tv_sec = (time_t)delay;
		ts.tv_nsec = 0;
		while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
			;
		delay *= 2;
		if (c->again)
			c->again(c, agent_clock() - start);
	}
	if (wait && c->status == 255 && c->hello_ever) {
		warnx("%s: the connection was lost and not regained; the run itself "
		      "goes on", c->host);
		return AGENT_EXIT_UNAVAILABLE;
	}
	return tool_rcall_status(c);
}

int
tool_remote_operand(const char *arg, char **host, const char **id)
{
	int r = agent_remote_split(arg, host, id);

	if (r < 0)
		err(AGENT_EXIT_OSERR, "malloc");
	if (r && !**id)
		errx(AGENT_EXIT_USAGE, "%s: no run after the host's colon", arg);
	return r;
}

/* ---- argument vectors ---- */

void
tool_args_add(struct tool_args *a, const char *s)
{
	char **v;

	if (!(v = reallocarray(a->v, a->n + 2, sizeof *v)) || !(v[a->n] = strdup(s)))
		err(AGENT_EXIT_OSERR, "malloc");
	a->v = v;
	a->v[++a->n] = NULL;
}

void
tool_args_opt(struct tool_args *a, int c, const char *arg)
{
	char o[3] = { '-', (char)c, '\0' };

	tool_args_add(a, o);
	if (arg)
		tool_args_add(a, arg);
}

void
tool_args_free(struct tool_args *a)
{
	for (size_t k = 0; k < a->n; k++)
		free(a->v[k]);
	free(a->v);
	a->v = NULL;
	a->n = 0;
}

/* "HOST:" before a run id the host printed. */
void
tool_line_host_id(struct tool_rcall *c, FILE *o, const char *s, size_t n)
{
	if (fprintf(o, "%s:", c->host) < 0 || fwrite(s, 1, n, o) != n)
		err(AGENT_EXIT_IOERR, "stdout");
}

/* A JSON object from the host with "host" as its first key. */
void
tool_line_host_json(struct tool_rcall *c, FILE *o, const char *s, size_t n)
{
	if (n < 2 || s[0] != '{') {
		if (fwrite(s, 1, n, o) != n)
			err(AGENT_EXIT_IOERR, "stdout");
		return;
	}
	fputs("{\"host\":", o);
	agent_json_str(o, c->host);
	if (s[1] != '}')
		fputc(',', o);
	if (fwrite(s + 1, 1, n - 1, o) != n - 1)
		err(AGENT_EXIT_IOERR, "stdout");
}
