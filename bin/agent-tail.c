/* agent-tail — the end of a run or a log: the last lines, one line per
 * event (-s), normalized NDJSON events (-j) or the files touched (-F);
 * -f follows until the run reaches a final state. */
#include <err.h>
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "agent.h"
#include "tool.h"

const char tool_usage[] =
    "usage: agent-tail [-fjqsF] [-n lines] [-b bytes] [-D dialect] [-x status]\n"
    "                  [run | log | -]";

static const struct option longopts[] = {
	{ "lines", required_argument, NULL, 'n' },
	{ "bytes", required_argument, NULL, 'b' },
	{ "summary", no_argument, NULL, 's' },
	{ "json", no_argument, NULL, 'j' },
	{ "follow", no_argument, NULL, 'f' },
	{ "files", no_argument, NULL, 'F' },
	{ "quiet", no_argument, NULL, 'q' },
	{ "dialect", required_argument, NULL, 'D' },
	{ "exit", required_argument, NULL, 'x' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

enum mode { LINES, SUMMARY, JSON, FILES };

/* HOST:ID: the same on the host, -f following there (its inotify); after
 * a lost connection it goes on from the last offset the host marked. */
static void
remote_again(struct tool_rcall *c, double elapsed)
{
	(void)elapsed;
	if (c->mark >= 0)
		c->offset = c->mark;
}

static enum mode mode = LINES;
static struct agent_liner *liner;
static volatile sig_atomic_t stop;

static void
on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

/* A session or model line again with the same value says nothing new
 * (a parser started afresh for -f announces them again). */
static int
repeated(const struct agent_event *e)
{
	static char *last[2];
	const char *v = e->kind == AGENT_EV_SESSION ? e->session : e->model;
	int i = e->kind == AGENT_EV_SESSION ? 0 : 1;

	if ((e->kind != AGENT_EV_SESSION && e->kind != AGENT_EV_MODEL) || v == NULL)
		return 0;
	if (last[i] && strcmp(last[i], v) == 0)
		return 1;
	free(last[i]);
	last[i] = strdup(v);
	return 0;
}

/* One event rendered into f the way the mode wants: 1 written, 0 nothing. */
static int
render(FILE *f, const struct agent_event *e)
{
	if (mode == JSON)
		return agent_event_write_json(f, e) < 0 ? -1 : 1;
	if (repeated(e))
		return 0;
	return agent_liner_write(liner, f, e, 0);
}

/* Output that must fit a byte budget or keep only the newest n records:
 * a ring of rendered records, oldest dropped first. */
struct ring {
	char **rec;
	size_t n, cap, head;
};

static int
ring_push(struct ring *r, char *s)
{
	if (r->cap == 0) {
		free(s);
		return 0;
	}
	if (r->n == r->cap) {
		free(r->rec[r->head]);
		r->rec[r->head] = s;
		r->head = (r->head + 1) % r->cap;
	} else
		r->rec[(r->head + r->n++) % r->cap] = s;
	return 0;
}

static void
ring_free(struct ring *r)
{
	for (size_t i = 0; i < r->n; i++)
		free(r->rec[(r->head + i) % r->cap]);
	free(r->rec);
	memset(r, 0, sizeof *r);
}

/* Writes the ring, dropping the oldest records until it fits budget. */
static void
ring_write(struct ring *r, long budget)
{
	size_t i = 0, total = 0;

	for (size_t k = 0; k < r->n; k++)
		total += strlen(r->rec[(r->head + k) % r->cap]);
	while (budget >= 0 && total > (size_t)budget && i < r->n)
		total -= strlen(r->rec[(r->head + i++) % r->cap]);
	for (; i < r->n; i++)
		fputs(r->rec[(r->head + i) % r->cap], stdout);
}

static int
ev_to_ring(const struct agent_event *e, void *arg)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&buf, &len);
	int r;

	if (m == NULL)
		return -1;
	r = render(m, e);
	if (fclose(m) != 0 || r < 0) {
		free(buf);
		return -1;
	}
	if (r == 0) {
		free(buf);
		return 0;
	}
	return ring_push(arg, buf);
}

static int
line_to_ring(const char *line, size_t len, off_t off, int trunc, void *arg)
{
	char *v = agent_vis_str(line, len), *s;
	size_t n;
	(void)off;
	(void)trunc;
	if (v == NULL)
		return -1;
	/* the newline added in place: a long line is not copied again */
	n = strlen(v);
	if ((s = realloc(v, n + 2)) == NULL) {
		free(v);
		return -1;
	}
	s[n] = '\n';
	s[n + 1] = '\0';
	return ring_push(arg, s);
}

static int
ev_out(const struct agent_event *e, void *arg)
{
	(void)arg;
	return render(stdout, e) < 0 ? -1 : 0;
}

static int
line_out(const char *line, size_t len, off_t off, int trunc, void *arg)
{
	(void)off;
	(void)trunc;
	(void)arg;
	if (agent_vis_write(stdout, line, len, 1) < 0 || putchar('\n') == EOF)
		return -1;
	return 0;
}

/* --files: each (action, path) once, in order of first appearance. */
struct seen {
	char **v;
	size_t n;
};

static int
file_out(const struct agent_event *e, void *arg)
{
	struct seen *s = arg;
	const char *act;
	char *k;

	if (e->kind != AGENT_EV_TOOL || e->path == NULL ||
	    e->status == AGENT_TOOL_ERROR || e->status == AGENT_TOOL_PENDING)
		return 0;
	switch (e->tkind) {
	case AGENT_TK_READ: act = "read"; break;
	case AGENT_TK_WRITE: act = "write"; break;
	case AGENT_TK_EDIT: act = "edit"; break;
	case AGENT_TK_DELETE: act = "delete"; break;
	default: return 0;
	}
	if (asprintf(&k, "%s\t%s", act, e->path) < 0)
		return -1;
	for (size_t i = 0; i < s->n; i++)
		if (strcmp(s->v[i], k) == 0) {
			free(k);
			return 0;
		}
	char **v = reallocarray(s->v, s->n + 1, sizeof *v);
	if (v == NULL) {
		free(k);
		return -1;
	}
	s->v = v;
	s->v[s->n++] = k;
	printf("%s\t", act);
	return agent_vis_write(stdout, e->path, strlen(e->path), 0) < 0 ||
	    putchar('\n') == EOF ? -1 : 0;
}

static void
header(FILE *out, struct agent_input *in, const struct agent_input_opts *o)
{
	struct agent_summary s;
	struct agent_facts f;
	enum agent_state st;
	const struct agent_dialect_info *di = agent_dialect_info(in->dialect);

	if (agent_input_state(in, o, &s, &f, &st) < 0)
		err(AGENT_EXIT_IOERR, "%s", in->name);
	fputs("==> ", out);
	if (in->run)
		fputs(agent_run_id(in->run), out);
	else
		agent_vis_write(out, in->name, strlen(in->name), 0);
	fprintf(out, " \xc2\xb7 %s \xc2\xb7 %s \xc2\xb7 %lld bytes", di ? di->name : "generic",
	    agent_state_name(st), (long long)f.size);
	if (f.idle >= 0)
		fprintf(out, " \xc2\xb7 idle %.0fs", f.idle);
	if (s.session[0]) {
		fputs(" \xc2\xb7 session ", out);
		agent_vis_write(out, s.session, strlen(s.session), 0);
	}
	fputs(" <==\n", out);
}

/* The last n records (lines or events) from the end, reading backwards in
 * growing windows until there are enough or the start is reached. */
static off_t
tail(struct agent_input *in, long n, long budget, int flags)
{
	off_t next = 0;
	struct ring r = { NULL, 0, 0, 0 };
	off_t from;
	size_t want = n > 0 ? (size_t)n : 0;
	size_t window = want;
	int rc;

	if ((r.rec = calloc(want ? want : 1, sizeof *r.rec)) == NULL)
		err(AGENT_EXIT_OSERR, "malloc");
	r.cap = want;
	if (mode == LINES && budget < 0) {
		/* the last n lines start there: written as read, none kept */
		from = agent_log_tail_offset(in->log, want, 0);
		rc = from < 0 ? -1 : agent_log_lines(in->log, from, -1,
		    AGENT_INPUT_MAXLINE, flags, line_out, NULL, &next);
	} else if (mode == LINES) {
		from = agent_log_tail_offset(in->log, want, 0);
		rc = from < 0 ? -1 : agent_log_lines(in->log, from, -1,
		    AGENT_INPUT_MAXLINE, flags, line_to_ring, &r, &next);
	} else {
		/* events are fewer than lines: widen until n of them are seen */
		for (window = want * 4 + 64;; window *= 4) {
			from = agent_log_tail_offset(in->log, window, 0);
			agent_liner_free(liner);
			if (from < 0 || (liner = agent_liner_new()) == NULL) {
				rc = -1;
				break;
			}
			ring_free(&r);
			if ((r.rec = calloc(want ? want : 1, sizeof *r.rec)) == NULL)
				err(AGENT_EXIT_OSERR, "malloc");
			r.cap = want;
			struct agent_parser *p = agent_parser_new(in->dialect);
			rc = p == NULL ? -1 : agent_input_parse(in, p, NULL, from, -1,
			    flags, ev_to_ring, &r, &next);
			agent_parser_free(p);
			if (rc < 0 || r.n >= want || from == 0)
				break;
		}
	}
	if (rc < 0)
		err(AGENT_EXIT_IOERR, "%s", in->name);
	ring_write(&r, budget);
	ring_free(&r);
	return next;
}

/* -f: print what the log gains until the run is over; agent-state's exit. */
static int
follow(struct agent_input *in, const struct agent_input_opts *o, off_t next)
{
	struct agent_parser *p = NULL;
	struct agent_summary s;
	struct agent_facts f;
	enum agent_state st;
	long lineno = 0;
	int r;

	if (mode != LINES && (p = agent_parser_new(in->dialect)) == NULL)
		err(AGENT_EXIT_OSERR, "parser");
	for (;;) {
		if (agent_input_state(in, o, &s, &f, &st) < 0)
			err(AGENT_EXIT_IOERR, "%s", in->name);
		int fin = agent_state_final(st) || stop;
		/* the dialect may have been recognised only now */
		if (p && agent_parser_dialect(p) != in->dialect) {
			agent_parser_free(p);
			if ((p = agent_parser_new(in->dialect)) == NULL)
				err(AGENT_EXIT_OSERR, "parser");
		}
		int flags = fin ? AGENT_LOG_PARTIAL : 0;
		if (mode == LINES)
			r = agent_log_lines(in->log, next, -1, AGENT_INPUT_MAXLINE,
			    flags, line_out, NULL, &next);
		else
			r = agent_input_parse(in, p, &lineno, next, -1, flags,
			    ev_out, NULL, &next);
		if (r < 0)
			err(AGENT_EXIT_IOERR, "%s", in->name);
		tool_flush();
		tool_remote_mark(next);
		if (fin)
			break;
		tool_input_wait(in, 30000);
		if ((r = agent_log_reopen(in->log)) < 0 || agent_log_refresh(in->log) < 0)
			err(AGENT_EXIT_IOERR, "%s", in->name);
		if (r > 0) {
			warnx("%s: replaced; reading the new file from the start", in->name);
			next = 0;
			/* the watch was on the old file */
			if (in->wfd >= 0)
				close(in->wfd);
			in->wfd = -1;
		} else if (agent_log_size(in->log) < next) {
			warnx("%s: truncated; reading it again from the start", in->name);
			next = 0;
		}
	}
	agent_parser_free(p);
	return stop ? AGENT_EXIT_OK : agent_state_exit(st);
}

int
main(int argc, char *argv[])
{
	struct agent_input in;
	struct agent_input_opts o = { 0, 0, 0 };
	struct seen seen = { NULL, 0 };
	long n = -1, budget = -1;
	long long from = -1;
	off_t next = 0;
	int c, fol = 0, quiet = 0, force = -1, rc = AGENT_EXIT_OK, r;
	struct tool_args fwd = { NULL, 0 };
	const char *rid;
	char *host;

	while ((c = getopt_long(argc, argv, "n:b:sjfFqD:x:R:h", longopts, NULL)) != -1) {
		if (c != 'R' && c != 'h' && c != '?')
			tool_args_opt(&fwd, c, optarg);
		switch (c) {
		case 'n': n = tool_number("-n", optarg, 0, LONG_MAX); break;
		case 'b': budget = tool_number("-b", optarg, 0, LONG_MAX); break;
		case 's': mode = SUMMARY; break;
		case 'j': mode = JSON; break;
		case 'F': mode = FILES; break;
		case 'f': fol = 1; break;
		case 'q': quiet = 1; break;
		case 'D': force = tool_dialect(optarg); break;
		case 'x': tool_exit_status(&o, optarg); break;
		case 'R': from = tool_remote_serve(optarg); break;
		case 'h': usage(AGENT_EXIT_OK);
		default: usage(AGENT_EXIT_USAGE);
		}
	}
	if (argc - optind > 1)
		usage(AGENT_EXIT_USAGE);
	if (tool_remote_operand(argv[optind], &host, &rid)) {
		struct tool_rcall call = { 0 };
		struct tool_args a = { NULL, 0 };
		tool_args_add(&a, "agent-tail");
		for (size_t k = 0; k < fwd.n; k++)
			tool_args_add(&a, fwd.v[k]);
		tool_args_add(&a, "--");
		tool_args_add(&a, rid);
		call.host = host;
		call.cmd = a.v;
		call.offset = -1;
		call.keep_in = call.follow = fol && mode != FILES;
		call.again = remote_again;
		r = tool_remote(&call, call.follow);
		tool_rcall_free(&call);
		tool_args_free(&fwd);
		free(host);
		return r;
	}
	tool_args_free(&fwd);
	tool_input_open(&in, argv[optind], force);
	if (fol)
		tool_remote_watch(&in);
	if (fol && strcmp(agent_log_path(in.log), "-") == 0)
		errx(AGENT_EXIT_USAGE, "-f: standard input cannot be followed");
	/* whole logs go out as NDJSON: fewer, larger writes */
	if (!isatty(1) && setvbuf(stdout, NULL, _IOFBF, 1 << 16) != 0)
		err(AGENT_EXIT_OSERR, "stdout");
	if ((liner = agent_liner_new()) == NULL)
		err(AGENT_EXIT_OSERR, "malloc");
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	signal(SIGPIPE, SIG_IGN);

	/* -R N:OFFSET: a reconnection goes on following from there */
	if (from >= 0 && fol && mode != FILES) {
		next = (off_t)from;
		quiet = 1;
	}
	if (!quiet && (mode == LINES || mode == SUMMARY)) {
		/* the header counts against the byte budget too */
		char *h = NULL;
		size_t hlen = 0;
		FILE *m = open_memstream(&h, &hlen);
		if (m == NULL)
			err(AGENT_EXIT_OSERR, "malloc");
		header(m, &in, &o);
		if (fclose(m) != 0)
			err(AGENT_EXIT_OSERR, "malloc");
		if (budget < 0 || (long)hlen <= budget) {
			fputs(h, stdout);
			if (budget >= 0)
				budget -= (long)hlen;
		}
		free(h);
	}
	if (from >= 0 && fol && mode != FILES) {
		/* shown already: straight to following */
	} else if (mode == FILES) {
		r = agent_input_events(&in, 0, -1, AGENT_LOG_PARTIAL, file_out, &seen);
		if (r < 0)
			err(AGENT_EXIT_IOERR, "%s", in.name);
		for (size_t i = 0; i < seen.n; i++)
			free(seen.v[i]);
		free(seen.v);
	} else if (mode == JSON && n < 0 && budget < 0) {
		/* the whole log, streamed: no ring, constant memory; -f goes on
		 * from where it ended, not from the start again */
		struct agent_parser *p = agent_parser_new(in.dialect);
		if (p == NULL)
			err(AGENT_EXIT_OSERR, "parser");
		agent_parser_clock(p, agent_log_mtime(in.log));
		r = agent_input_parse(&in, p, NULL, 0, -1, fol ? 0 : AGENT_LOG_PARTIAL,
		    ev_out, NULL, &next);
		agent_parser_free(p);
		if (r < 0)
			err(AGENT_EXIT_IOERR, "%s", in.name);
	} else {
		next = tail(&in, n >= 0 ? n : 80, budget, fol ? 0 : AGENT_LOG_PARTIAL);
	}
	tool_flush();
	if (fol && mode != FILES) {
		tool_remote_mark(next);
		rc = follow(&in, &o, next);
	}
	agent_liner_free(liner);
	agent_input_close(&in);
	tool_flush();
	return rc;
}
