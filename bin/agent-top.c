/* agent-top — every run at a glance, kept up to date: one row a run (state,
 * age, idle time, tokens, cost, label, last tool), redrawn when a run
 * changes (inotify on the runs directory, live runs' directories and logs),
 * until q or Ctrl-C; one plain listing when standard output is no terminal. */
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <locale.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>
#include <wchar.h>
#include "agent.h"
#include "tool.h"

const char tool_usage[] = "usage: agent-top [-a] [-l LABEL]";

static const struct option longopts[] = {
	{ "all", no_argument, NULL, 'a' },
	{ "label", required_argument, NULL, 'l' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

/* Runs are read again and drawn at most this often (seconds): a log
 * written a line at a time costs no more. */
#define FRAME_MIN 0.03
/* Times on the screen are redrawn at most this often (seconds). */
#define TICK_MIN 1.0

static struct {
	const char *label;
	int all, color;
	struct agent_watch *w;
	int rows, cols;
} T;

/* ---- the terminal --------------------------------------------------------- */

static struct termios saved;
static int term_on, have_saved;
static int sigpipe[2] = { -1, -1 };
static volatile sig_atomic_t got_quit, got_winch, got_tstp;

#define ENTER "\033[?1049h\033[?25l\033[H\033[2J"
#define LEAVE "\033[?25h\033[?1049l"

/* Async-signal-safe: only write(2) and tcsetattr(3). */
static void
term_restore(void)
{
	if (!term_on)
		return;
	term_on = 0;
	if (write(STDOUT_FILENO, LEAVE, sizeof LEAVE - 1) < 0) {
		/* nothing left to tell it with */
	}
	if (have_saved)
		tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved);
}

static void
term_enter(void)
{
	struct termios raw;

	if (isatty(STDIN_FILENO) && tcgetattr(STDIN_FILENO, &saved) == 0) {
		have_saved = 1;
		raw = saved;
		/* keys one by one, not echoed; Ctrl-C still signals */
		raw.c_lflag &= ~(ICANON | ECHO);
		raw.c_cc[VMIN] = 1;
		raw.c_cc[VTIME] = 0;
		if (tcsetattr(STDIN_FILENO, TCSAFLUSH, &raw) < 0)
			err(AGENT_EXIT_IOERR, "tcsetattr");
	}
	term_on = 1;
	if (write(STDOUT_FILENO, ENTER, sizeof ENTER - 1) < 0)
		err(AGENT_EXIT_IOERR, "write");
}

static void
on_signal(int sig)
{
	int e = errno;

	if (sig == SIGWINCH)
		got_winch = 1;
	else if (sig == SIGTSTP)
		got_tstp = 1;
	else
		got_quit = 1;
	if (write(sigpipe[1], "", 1) < 0) {
		/* the pipe is full: a wake-up is pending anyway */
	}
	errno = e;
}

/* A crash leaves the terminal as it found it, then dies of the signal. */
static void
on_fatal(int sig)
{
	term_restore();
	signal(sig, SIG_DFL);
	raise(sig);
}

static void
signals(void)
{
	struct sigaction sa;
	static const int quit[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGWINCH, SIGTSTP };
	static const int fatal[] = { SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT };

	if (pipe2(sigpipe, O_CLOEXEC | O_NONBLOCK) < 0)
		err(AGENT_EXIT_OSERR, "pipe");
	memset(&sa, 0, sizeof sa);
	sigemptyset(&sa.sa_mask);
	sa.sa_handler = on_signal;
	for (size_t i = 0; i < sizeof quit / sizeof quit[0]; i++)
		sigaction(quit[i], &sa, NULL);
	sa.sa_handler = on_fatal;
	for (size_t i = 0; i < sizeof fatal / sizeof fatal[0]; i++)
		sigaction(fatal[i], &sa, NULL);
}

static void
winsize(void)
{
	struct winsize ws;

	T.rows = 24;
	T.cols = 80;
	if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_row > 0 && ws.ws_col > 0) {
		T.rows = ws.ws_row;
		T.cols = ws.ws_col;
	}
}

/* ---- the rows ------------------------------------------------------------ */

/* "45s", "12m", "3h", "2d" as agent-ls shows them; *next gets the seconds
 * until the text changes. */
static void
duration(char *buf, size_t len, double secs, double *next)
{
	static const struct { double unit; char c; } u[] = {
		{ 1, 's' }, { 60, 'm' }, { 3600, 'h' }, { 86400, 'd' },
	};
	size_t i;

	if (secs < 0) {
		snprintf(buf, len, "-");
		return;
	}
	for (i = 0; i + 1 < sizeof u / sizeof u[0] && secs >= u[i + 1].unit; i++)
		;
	snprintf(buf, len, "%d%c", (int)(secs / u[i].unit), u[i].c);
	double n = ((long long)(secs / u[i].unit) + 1) * u[i].unit - secs;
	if (next && n < *next)
		*next = n;
}

/* 950, 12.3k, 4.5M: tokens at a glance */
static void
count(char *buf, size_t len, long long v)
{
	if (v < 0)
		snprintf(buf, len, "-");
	else if (v < 1000)
		snprintf(buf, len, "%lld", v);
	else if (v < 1000000)
		snprintf(buf, len, "%.1fk", v / 1e3);
	else
		snprintf(buf, len, "%.1fM", v / 1e6);
}

static const char *
state_color(enum agent_state st)
{
	switch (st) {
	case AGENT_ST_RUNNING: return "\033[32m";
	case AGENT_ST_COMPLETED: return "\033[34m";
	case AGENT_ST_FAILED: return "\033[31m";
	case AGENT_ST_CUTOFF: return "\033[33m";
	case AGENT_ST_LIMITED: return "\033[35m";
	case AGENT_ST_STUCK: return "\033[1;31m";
	default: return "";
	}
}

/* The frame being built, written whole. */
struct frame {
	char *p;
	size_t len, cap;
};

static void
put(struct frame *f, const char *s, size_t n)
{
	if (f->len + n + 1 > f->cap) {
		size_t cap = f->cap ? f->cap : 8192;
		while (cap < f->len + n + 1)
			cap *= 2;
		char *p = realloc(f->p, cap);
		if (!p)
			err(AGENT_EXIT_OSERR, "realloc");
		f->p = p;
		f->cap = cap;
	}
	memcpy(f->p + f->len, s, n);
	f->len += n;
}

static void
puts_(struct frame *f, const char *s)
{
	put(f, s, strlen(s));
}

/* s (escaped already: printable) in at most *left columns, padded to width
 * when pad; counts what a terminal shows, wide characters as two. */
static void
cell(struct frame *f, const char *s, int width, int pad, int *left)
{
	mbstate_t mb;
	int cols = 0, lim = width < *left ? width : *left;
	size_t n, rem = strlen(s);
	wchar_t wc;

	memset(&mb, 0, sizeof mb);
	while (rem > 0) {
		int w = 1;
		n = mbrtowc(&wc, s, rem, &mb);
		if (n == (size_t)-1 || n == (size_t)-2 || n == 0) {
			memset(&mb, 0, sizeof mb);
			n = 1;
		} else if ((w = wcwidth(wc)) < 0)
			w = 1;
		if (cols + w > lim)
			break;
		put(f, s, n);
		s += n;
		rem -= n;
		cols += w;
	}
	for (; pad && cols < lim; cols++)
		put(f, " ", 1);
	*left -= cols;
}

/* The runs to show, newest first; *live gets how many are live. */
static size_t
shown(const struct agent_watch_run *const **v, int *live)
{
	size_t n = agent_watch_runs(T.w, v);

	if (n == (size_t)-1)
		err(AGENT_EXIT_OSERR, "runs");
	*live = 0;
	for (size_t i = 0; i < n; i++)
		*live += (*v)[i]->live;
	return n;
}

/* One line of the table, cut to the window. */
static void
row(struct frame *f, const char *id, const char *color, const char *state,
    const char *age, const char *idle, const char *tokens, const char *cost,
    const char *label, const char *tool)
{
	char buf[64];
	int left = T.cols;

	cell(f, id, 20, 1, &left);
	cell(f, " ", 1, 0, &left);
	if (color && *color)
		puts_(f, color);
	cell(f, state, 9, 1, &left);
	if (color && *color)
		puts_(f, "\033[m");
	snprintf(buf, sizeof buf, " %4s %5s  ", age, idle);
	cell(f, buf, 13, 0, &left);
	cell(f, tokens, 15, 1, &left);
	cell(f, " ", 1, 0, &left);
	cell(f, cost, 8, 1, &left);
	cell(f, " ", 1, 0, &left);
	cell(f, label, 16, 1, &left);
	cell(f, " ", 1, 0, &left);
	cell(f, tool, left, 0, &left);
	puts_(f, "\033[K");
}

/* Draws every shown run that fits; returns the seconds until a time on
 * the screen changes. */
static double
draw(double now)
{
	struct frame f = { NULL, 0, 0 };
	const struct agent_watch_run *const *v;
	size_t n, i;
	int live, left;
	double next = 86400;
	char head[128], age[16], idle[16], in[16], out[16], tokens[40], cost[24];

	n = shown(&v, &live);
	puts_(&f, "\033[H");
	left = T.cols;
	snprintf(head, sizeof head, "agent-top: %zu run%s, %d live; q quits", n,
	    n == 1 ? "" : "s", live);
	cell(&f, head, T.cols, 0, &left);
	puts_(&f, "\033[K\r\n");
	row(&f, "RUN", NULL, "STATE", "AGE", "IDLE", "TOKENS IN/OUT", "COST", "LABEL",
	    "LAST TOOL");
	for (i = 0; i < n && (int)i < T.rows - 2; i++) {
		const struct agent_watch_run *e = v[i];
		duration(age, sizeof age, now - e->started, &next);
		duration(idle, sizeof idle, e->idle_since >= 0 ? now - e->idle_since : -1, &next);
		count(in, sizeof in, e->own.tokens_in);
		count(out, sizeof out, e->own.tokens_out);
		snprintf(tokens, sizeof tokens, "%s/%s", in, out);
		if (e->own.cost >= 0)
			snprintf(cost, sizeof cost, "$%.4f", e->own.cost);
		else
			snprintf(cost, sizeof cost, "-");
		puts_(&f, "\r\n");
		row(&f, e->id, T.color ? state_color(e->state) : NULL, agent_state_name(e->state),
		    age, idle, tokens, cost, e->label[0] ? e->label : "-",
		    e->tool[0] ? e->tool : "-");
	}
	puts_(&f, "\033[J");
	for (size_t off = 0; off < f.len;) {
		ssize_t w = write(STDOUT_FILENO, f.p + off, f.len - off);
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			err(AGENT_EXIT_IOERR, "write");
		off += (size_t)w;
	}
	free(f.p);
	return next;
}

/* Standard output is no terminal: the rows once, tab-separated. */
static void
listing(double now)
{
	const struct agent_watch_run *const *v;
	size_t n;
	int live;
	char age[16], idle[16];

	n = shown(&v, &live);
	for (size_t i = 0; i < n; i++) {
		const struct agent_watch_run *e = v[i];
		duration(age, sizeof age, now - e->started, NULL);
		duration(idle, sizeof idle, e->idle_since >= 0 ? now - e->idle_since : -1, NULL);
		printf("%s\t%s\t%s\t%s\t", e->id, agent_state_name(e->state), age, idle);
		if (e->own.tokens_in >= 0)
			printf("%lld\t", e->own.tokens_in);
		else
			fputs("-\t", stdout);
		if (e->own.tokens_out >= 0)
			printf("%lld\t", e->own.tokens_out);
		else
			fputs("-\t", stdout);
		if (e->own.cost >= 0)
			printf("%.4f\t", e->own.cost);
		else
			fputs("-\t", stdout);
		printf("%s\t%s\n", e->label[0] ? e->label : "-", e->tool[0] ? e->tool : "-");
	}
}

/* ---- the loop ------------------------------------------------------------ */

/* Reads what waits on standard input: 1 when it says quit. */
static int
keys(void)
{
	char buf[64];
	ssize_t n = read(STDIN_FILENO, buf, sizeof buf);

	if (n == 0)
		return 1;   /* the terminal went away */
	for (ssize_t i = 0; i < n; i++)
		if (buf[i] == 'q' || buf[i] == 'Q' || buf[i] == 0x04)
			return 1;
	return 0;
}

static void
live_view(void)
{
	struct pollfd pfd[3];
	double now, since, last_frame = -1, tick = 0, until, wait_s, r;
	int dirty = 1, npfd, n;
	char c[64];

	atexit(term_restore);
	term_enter();
	winsize();
	for (;;) {
		if (got_quit)
			break;
		if (got_tstp) {
			/* Ctrl-Z: the terminal is given back while stopped */
			got_tstp = 0;
			term_restore();
			raise(SIGSTOP);
			term_enter();
			dirty = 1;
		}
		if (got_winch) {
			got_winch = 0;
			winsize();
			dirty = 1;
		}
		now = agent_now();
		/* a run due for a look, or a time on the screen moved on */
		if (((r = agent_watch_due(T.w)) > 0 && r <= now) ||
		    (tick > 0 && agent_clock() >= tick))
			dirty = 1;
		wait_s = 0;
		if (dirty) {
			/* runs are read again, and drawn, at most every FRAME_MIN:
			 * a log written a line at a time costs no more */
			since = last_frame < 0 ? FRAME_MIN : agent_clock() - last_frame;
			if (since < FRAME_MIN)
				wait_s = FRAME_MIN - since;
			else {
				agent_watch_refresh(T.w, now);
				/* the times shown move on at most a frame a second:
				 * rows started in different fractions of a second
				 * do not each get one */
				until = draw(now) + 0.01;
				tick = agent_clock() + (until > TICK_MIN ? until : TICK_MIN);
				last_frame = agent_clock();
				dirty = 0;
			}
		}
		if (!dirty) {
			wait_s = tick - agent_clock();
			if ((r = agent_watch_due(T.w)) > 0 && r - now < wait_s)
				wait_s = r - now;
			if (wait_s < 0)
				wait_s = 0;
		}
		npfd = 0;
		pfd[npfd++] = (struct pollfd){ sigpipe[0], POLLIN, 0 };
		pfd[npfd++] = (struct pollfd){ agent_watch_fd(T.w), POLLIN, 0 };
		if (have_saved)
			pfd[npfd++] = (struct pollfd){ STDIN_FILENO, POLLIN, 0 };
		if ((n = poll(pfd, npfd, (int)(wait_s * 1000) + 1)) < 0) {
			if (errno == EINTR)
				continue;
			err(AGENT_EXIT_IOERR, "poll");
		}
		if (n == 0)
			continue;
		if (pfd[0].revents)
			while (read(sigpipe[0], c, sizeof c) > 0)
				;
		if (pfd[1].revents) {
			int r2 = agent_watch_drain(T.w);
			if (r2 < 0)
				err(AGENT_EXIT_IOERR, "inotify");
			dirty |= r2;
		}
		if (npfd > 2 && pfd[2].revents && keys())
			break;
	}
	term_restore();
}

int
main(int argc, char *argv[])
{
	const char *nc;
	int c, tty;

	setlocale(LC_CTYPE, "");
	while ((c = getopt_long(argc, argv, "al:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'a': T.all = 1; break;
		case 'l': T.label = optarg; break;
		case 'h': usage(AGENT_EXIT_OK);
		default: usage(AGENT_EXIT_USAGE);
		}
	}
	if (optind != argc)
		usage(AGENT_EXIT_USAGE);
	tty = isatty(STDOUT_FILENO);
	nc = getenv("NO_COLOR");
	T.color = tty && !(nc && *nc);
	if (tty)
		signals();
	if (!(T.w = agent_watch_open(T.all, T.label, tty))) {
		char *runs = agent_runs_dir();
		err(errno == ENOMEM ? AGENT_EXIT_OSERR : AGENT_EXIT_NOINPUT, "%s",
		    runs ? runs : "runs directory");
	}
	if (tty)
		live_view();
	else
		listing(agent_now());
	agent_watch_free(T.w);
	tool_flush();
	return AGENT_EXIT_OK;
}
