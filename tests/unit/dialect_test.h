/* dialect_test.h — what the dialect suites share: feeding lines to a
 * dialect's parser (through the public handle), the events it handed
 * over with their strings copied, fixtures and their MANIFEST rows. */
#ifndef DIALECT_TEST_H
#define DIALECT_TEST_H
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "check_main.h"
#include "dialect.h"
#include "state.h"

/* Helpers a suite may leave unused. */
#define HELPER static __attribute__((unused))

/* Session ids of the fixtures the synthetic lines borrow. */
#define CL_SID "2814a59a-40b5-4327-a10e-e34986560113"
#define OC_SID "ses_df60fc02bffesADN5iSiUraCW7"
#define CX_SID "01a209f9-4831-77a0-a6c6-e6f107c047e4"
#define GM_SID "2e55092e-0dc0-4aad-b96b-e0e34de53683"

/* Events as the parser handed them over, with their strings copied. */
struct rec {
	struct agent_event e;
};

struct evlog {
	struct rec *v;
	size_t n, cap;
	int stop_at;    /* callback returns 7 at this event number (1-based), 0 never */
};

HELPER char *
dup_or_null(const char *s)
{
	char *p;

	if (s == NULL)
		return NULL;
	p = strdup(s);
	ck_assert_ptr_nonnull(p);
	return p;
}

HELPER int
collect(const struct agent_event *e, void *arg)
{
	struct evlog *l = arg;
	struct rec *r;

	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 64;
		l->v = realloc(l->v, l->cap * sizeof *l->v);
		ck_assert_ptr_nonnull(l->v);
	}
	r = &l->v[l->n++];
	r->e = *e;
	r->e.session = dup_or_null(e->session);
	r->e.model = dup_or_null(e->model);
	r->e.tool = dup_or_null(e->tool);
	r->e.call_id = dup_or_null(e->call_id);
	r->e.path = dup_or_null(e->path);
	r->e.title = dup_or_null(e->title);
	r->e.text = dup_or_null(e->text);
	r->e.unknown = dup_or_null(e->unknown);
	ck_assert_int_gt(e->kind, AGENT_EV_NONE);
	ck_assert_int_lt(e->kind, AGENT_EV__MAX);
	return l->stop_at != 0 && (int)l->n == l->stop_at ? 7 : 0;
}

HELPER void
evlog_free(struct evlog *l)
{
	size_t i;

	for (i = 0; i < l->n; i++) {
		struct agent_event *e = &l->v[i].e;

		free((char *)e->session);
		free((char *)e->model);
		free((char *)e->tool);
		free((char *)e->call_id);
		free((char *)e->path);
		free((char *)e->title);
		free((char *)e->text);
		free((char *)e->unknown);
	}
	free(l->v);
	memset(l, 0, sizeof *l);
}

/* Feeds data line by line (the last line may lack its '\n') to a new
 * parser of dialect d, told first when mid that the lines start inside
 * the log, then ends it.  Returns the callback's value; one that stops
 * when no stop was asked for fails the test. */
HELPER int
feed_as(enum agent_dialect d, int mid, const char *data, size_t len, struct evlog *l)
{
	struct agent_parser *p = agent_parser_new(d);
	size_t i = 0, j;
	long lineno = 0;
	int r = 0;

	ck_assert_ptr_nonnull(p);
	if (mid)
		agent_parser_mid(p);
	while (i < len && r == 0) {
		const char *nl = memchr(data + i, '\n', len - i);

		j = nl != NULL ? (size_t)(nl - data) : len;
		r = agent_parser_line(p, data + i, j - i, ++lineno, collect, l);
		i = j + 1;
	}
	if (r == 0)
		r = agent_parser_end(p, collect, l);
	agent_parser_free(p);
	if (l->stop_at == 0)
		ck_assert_int_eq(r, 0);
	return r;
}

HELPER int
feed(enum agent_dialect d, const char *data, size_t len, struct evlog *l)
{
	return feed_as(d, 0, data, len, l);
}

HELPER int
feed_str(enum agent_dialect d, const char *s, struct evlog *l)
{
	return feed_as(d, 0, s, strlen(s), l);
}

/* As feed_str, told first that the lines start inside the log. */
HELPER int
feed_mid(enum agent_dialect d, const char *s, struct evlog *l)
{
	return feed_as(d, 1, s, strlen(s), l);
}

/* A fixture (path below tests/fixtures) whole, NUL-terminated. */
HELPER char *
slurp(const char *rel, size_t *len)
{
	char path[1024];
	FILE *f;
	char *buf;
	long n;

	snprintf(path, sizeof path, "%s/%s", FIXTURES, rel);
	f = fopen(path, "rb");
	ck_assert_msg(f != NULL, "cannot open %s", path);
	ck_assert_int_eq(fseek(f, 0, SEEK_END), 0);
	n = ftell(f);
	ck_assert_int_ge(n, 0);
	rewind(f);
	buf = malloc((size_t)n + 1);
	ck_assert_ptr_nonnull(buf);
	ck_assert_uint_eq(fread(buf, 1, (size_t)n, f), (size_t)n);
	buf[n] = '\0';
	fclose(f);
	*len = (size_t)n;
	return buf;
}

HELPER void
feed_file(enum agent_dialect d, const char *rel, struct evlog *l)
{
	size_t len;
	char *data = slurp(rel, &len);

	feed(d, data, len, l);
	free(data);
}

/* Column col (0-based) of the fixture's MANIFEST row, malloc'd. */
HELPER char *
manifest_field(const char *rel, int col)
{
	size_t len;
	char *m = slurp("MANIFEST.tsv", &len), *line, *save = NULL, *res = NULL;

	for (line = strtok_r(m, "\n", &save); line != NULL;
	    line = strtok_r(NULL, "\n", &save)) {
		char *f[5], *s2 = NULL;
		int k = 0;

		for (char *t = strtok_r(line, "\t", &s2); t != NULL && k < 5;
		    t = strtok_r(NULL, "\t", &s2))
			f[k++] = t;
		if (k == 5 && strcmp(f[0], rel) == 0)
			res = strdup(f[col]);
	}
	free(m);
	ck_assert_msg(res != NULL, "%s not in MANIFEST", rel);
	return res;
}

HELPER char *
manifest_session(const char *rel)
{
	return manifest_field(rel, 4);
}

HELPER char *
manifest_state(const char *rel)
{
	return manifest_field(rel, 3);
}

HELPER int
count(const struct evlog *l, enum agent_ev_kind k)
{
	int n = 0;

	for (size_t i = 0; i < l->n; i++)
		n += l->v[i].e.kind == k;
	return n;
}

/* The i-th (0-based) event of kind k, NULL when there are fewer. */
HELPER const struct agent_event *
nth(const struct evlog *l, enum agent_ev_kind k, size_t i)
{
	for (size_t j = 0; j < l->n; j++)
		if (l->v[j].e.kind == k && i-- == 0)
			return &l->v[j].e;
	return NULL;
}

HELPER const struct agent_event *
last(const struct evlog *l)
{
	return l->n ? &l->v[l->n - 1].e : NULL;
}

/* The .unknown of the first event that carries one, NULL when none: what
 * the log held that its dialect does not know. */
HELPER const char *
unknown_of(const struct evlog *l)
{
	for (size_t i = 0; i < l->n; i++)
		if (l->v[i].e.unknown != NULL)
			return l->v[i].e.unknown;
	return NULL;
}

/* The last event with final set, NULL when none. */
HELPER const struct agent_event *
final_ev(const struct evlog *l)
{
	for (size_t i = l->n; i-- > 0;)
		if (l->v[i].e.final)
			return &l->v[i].e;
	return NULL;
}

HELPER int
has_text(const struct evlog *l, const char *s)
{
	for (size_t i = 0; i < l->n; i++)
		if (l->v[i].e.kind == AGENT_EV_TEXT && l->v[i].e.text && strstr(l->v[i].e.text, s))
			return 1;
	return 0;
}

HELPER void
is_str(const char *got, const char *want)
{
	ck_assert_msg(got != NULL, "got NULL, want \"%s\"", want);
	ck_assert_str_eq(got, want);
}

/* The session id of the log: the first SESSION event's, checked on every
 * event that carries one. */
HELPER const char *
session_of(const struct evlog *l)
{
	const char *s = NULL;

	for (size_t i = 0; i < l->n; i++) {
		if (l->v[i].e.kind == AGENT_EV_SESSION && s == NULL)
			s = l->v[i].e.session;
		if (s != NULL && l->v[i].e.session != NULL)
			ck_assert_str_eq(l->v[i].e.session, s);
	}
	return s;
}

/* A TOOL event with this status, kind and tool name (path and title when
 * not NULL), paired by a call id. */
HELPER void
tool_is(const struct agent_event *e, enum agent_tool_status st,
        enum agent_tool_kind k, const char *tool, const char *path,
        const char *title)
{
	ck_assert_ptr_nonnull(e);
	ck_assert_int_eq(e->kind, AGENT_EV_TOOL);
	ck_assert_int_eq(e->status, st);
	ck_assert_int_eq(e->tkind, k);
	is_str(e->tool, tool);
	if (path != NULL)
		is_str(e->path, path);
	if (title != NULL)
		is_str(e->title, title);
	ck_assert_ptr_nonnull(e->call_id);
}

/* A TOOL event with this status and kind (path and title when not NULL). */
HELPER void
is_tool(const struct agent_event *e, enum agent_tool_status st, enum agent_tool_kind k,
        const char *path, const char *title)
{
	ck_assert_ptr_nonnull(e);
	ck_assert_int_eq(e->kind, AGENT_EV_TOOL);
	ck_assert_int_eq(e->status, st);
	ck_assert_int_eq(e->tkind, k);
	if (path)
		is_str(e->path, path);
	if (title)
		is_str(e->title, title);
}

/* A fixture of a format with a completion signal, read as dialect d: its
 * MANIFEST session id (once, and found by the stateless finder on the
 * first line that has one), and the final event its verdict calls for,
 * with nothing after it. */
HELPER void
check_fixture(const char *log, enum agent_dialect d)
{
	struct evlog l = { 0 };
	const struct agent_event *fin;
	char *sid = manifest_session(log);
	char *state = manifest_state(log);
	const char *got;

	feed_file(d, log, &l);
	got = session_of(&l);
	if (strcmp(sid, "-") == 0) {
		ck_assert_ptr_null(got);
	} else {
		ck_assert_msg(got != NULL, "%s: no session", log);
		ck_assert_str_eq(got, sid);
		ck_assert_int_eq(count(&l, AGENT_EV_SESSION), 1);
	}
	/* a dialect knows everything its agent's captured logs hold, but
	 * those captured to show it does not ("drift" in their names) */
	ck_assert_msg(unknown_of(&l) == NULL || strstr(log, "drift") != NULL,
	    "%s: carries %s, which its dialect does not know", log, unknown_of(&l));
	fin = final_ev(&l);
	if (strcmp(state, "completed") == 0) {
		ck_assert_ptr_nonnull(fin);
		ck_assert_int_eq(fin->kind, AGENT_EV_DONE);
	} else if (strcmp(state, "failed") == 0) {
		ck_assert_ptr_nonnull(fin);
		ck_assert_int_eq(fin->kind, AGENT_EV_ERROR);
	} else if (strcmp(state, "limited") == 0) {
		ck_assert_ptr_nonnull(fin);
		ck_assert_int_eq(fin->kind, AGENT_EV_LIMIT);
	} else {
		ck_assert_str_eq(state, "cut-off");
		ck_assert_msg(fin == NULL || fin->kind == AGENT_EV_INTERRUPT,
		    "%s: cut-off log has final %s", log, agent_ev_kind_name(fin->kind));
	}
	if (fin != NULL) {
		size_t k = l.n - 1;

		while (k > 0 && l.v[k].e.kind == AGENT_EV_UNKNOWN)
			k--;
		ck_assert_ptr_eq(fin, &l.v[k].e);
	}
	if (strcmp(sid, "-") != 0) {
		size_t len, i = 0, n = 0;
		char *data = slurp(log, &len), buf[64];

		while (i < len && n == 0) {
			char *nl = memchr(data + i, '\n', len - i);
			size_t j = nl ? (size_t)(nl - data) : len;

			n = agent_session_in_line(d, data + i, j - i, buf, sizeof buf);
			i = j + 1;
		}
		ck_assert_uint_eq(n, strlen(sid));
		ck_assert_str_eq(buf, sid);
		free(data);
	}
	free(sid);
	free(state);
	evlog_free(&l);
}

/* Every fixture of an agent in MANIFEST.tsv whose format (detected from
 * its head) has a completion signal, checked as above; how many. */
HELPER int
check_agent_fixtures(const char *agent)
{
	size_t len;
	char *m = slurp("MANIFEST.tsv", &len), *line, *save = NULL;
	int n = 0;

	for (line = strtok_r(m, "\n", &save); line != NULL; line = strtok_r(NULL, "\n", &save)) {
		char log[256], who[32];
		size_t flen;
		char *data;
		enum agent_dialect d;

		if (line[0] == '#' || sscanf(line, "%255[^\t]\t%31[^\t]", log, who) != 2 ||
		    strcmp(who, agent) != 0)
			continue;
		data = slurp(log, &flen);
		d = agent_dialect_detect(data, flen);
		free(data);
		if (!agent_dialect_info(d)->has_done)
			continue;
		check_fixture(log, d);
		n++;
	}
	free(m);
	return n;
}

/* ---- when a limit resets ------------------------------------------------ */

/* The local time a test reads clock times in: each test says which. */
HELPER void
zone(const char *tz)
{
	ck_assert_int_eq(setenv("TZ", tz, 1), 0);
	tzset();
}

static int
resets_event(const struct agent_event *e, void *arg)
{
	struct agent_summary *s = arg;

	agent_summary_add(s, e);
	return 0;
}

/* When the limit that ends data (dialect d) resets, read as written at
 * clock (-1 unknown): the summary's resets_at, or its resets_in counted
 * from clock as agent_input_state counts it from the log's last write.
 * -1 when it does not say; the data must end in a limit. */
HELPER double
resets_of(enum agent_dialect d, const char *data, size_t len, double clock)
{
	struct agent_parser *p = agent_parser_new(d);
	struct agent_summary s;
	long ln = 0;

	ck_assert_ptr_nonnull(p);
	agent_summary_init(&s);
	agent_parser_clock(p, clock);
	for (size_t i = 0; i < len;) {
		const char *nl = memchr(data + i, '\n', len - i);
		size_t k = nl ? (size_t)(nl - (data + i)) : len - i;

		ck_assert_int_eq(agent_parser_line(p, data + i, k, ++ln, resets_event, &s), 0);
		i += k + (nl != NULL);
	}
	ck_assert_int_eq(agent_parser_end(p, resets_event, &s), 0);
	agent_parser_free(p);
	ck_assert_msg(s.terminal == AGENT_EV_LIMIT, "does not end in a limit");
	if (s.resets_at < 0 && s.resets_in >= 0 && clock >= 0)
		return clock + s.resets_in;
	return s.resets_at;
}

HELPER double
resets_of_str(enum agent_dialect d, const char *s, double clock)
{
	return resets_of(d, s, strlen(s), clock);
}

/* A captured fixture read in the zone its agent ran in, at the end of its
 * capture (its mtime then): resets_at as the reader gives it. */
HELPER double
resets_of_fixture(const char *rel, const char *tz, double clock)
{
	size_t len;
	char *data = slurp(rel, &len);
	double r;

	zone(tz);
	r = resets_of(agent_dialect_detect(data, len < AGENT_DIALECT_HEAD ? len :
	    AGENT_DIALECT_HEAD), data, len, clock);
	free(data);
	return r;
}

/* A captured limit and when its agent said it resets: read in zone tz at
 * clock (the capture's end; -1: the log does not say), resets_at must be
 * want (-1: no reset known), and never before the limit was hit. */
struct resets_case {
	const char *log, *tz;
	double clock, want;
};

HELPER void
check_resets(const struct resets_case *c, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		double got = resets_of_fixture(c[i].log, c[i].tz, c[i].clock);

		ck_assert_msg(got == c[i].want, "%s in %s: resets_at %.3f, want %.3f",
		    c[i].log, c[i].tz, got, c[i].want);
		if (got >= 0 && c[i].clock >= 0)
			ck_assert(got > c[i].clock);
	}
}

/* The verdict agent-state gives a fixture read as dialect d once it has
 * ended with its MANIFEST exit status (the state classifier over what the
 * parser made of it): for formats whose verdict rests on the exit status
 * too (text with no completion signal). */
HELPER enum agent_state
fixture_verdict(enum agent_dialect d, const char *rel)
{
	const struct agent_dialect_info *info = agent_dialect_info(d);
	struct agent_parser *p = agent_parser_new(d);
	char *ex = manifest_field(rel, 2), *data;
	struct agent_summary s;
	struct agent_facts f;
	size_t len;
	long ln = 0;

	ck_assert_ptr_nonnull(p);
	data = slurp(rel, &len);
	agent_summary_init(&s);
	for (size_t i = 0; i < len;) {
		const char *nl = memchr(data + i, '\n', len - i);
		size_t k = nl ? (size_t)(nl - (data + i)) : len - i;

		ck_assert_int_eq(agent_parser_line(p, data + i, k, ++ln, resets_event, &s), 0);
		i += k + (nl != NULL);
	}
	ck_assert_int_eq(agent_parser_end(p, resets_event, &s), 0);
	agent_parser_free(p);
	memset(&f, 0, sizeof f);
	f.sum = &s;
	f.has_done = info->has_done;
	f.needs_answer = info->answer_only;
	f.size = (long long)len;
	f.live = AGENT_LIVE_ENDED;
	f.exit_known = 1;
	f.exit_status = atoi(ex);
	f.idle = -1;
	f.cpu_progress = -1;
	free(ex);
	free(data);
	return agent_state_classify(&f);
}

/* Every MANIFEST fixture of agent, read as the dialect dialect_of gives
 * its name: the verdict agent-state gives it is one MANIFEST lists;
 * how many there were. */
HELPER int
check_agent_verdicts(const char *agent, enum agent_dialect (*dialect_of)(const char *log))
{
	size_t len;
	char *m = slurp("MANIFEST.tsv", &len), *line, *save = NULL;
	int n = 0;

	for (line = strtok_r(m, "\n", &save); line != NULL; line = strtok_r(NULL, "\n", &save)) {
		char log[256], who[32], *want;
		enum agent_state got;

		if (line[0] == '#' || sscanf(line, "%255[^\t]\t%31[^\t]", log, who) != 2 ||
		    strcmp(who, agent) != 0)
			continue;
		want = manifest_state(log);
		got = fixture_verdict(dialect_of(log), log);
		ck_assert_msg(strstr(want, agent_state_name(got)) != NULL,
		    "%s: verdict %s, MANIFEST says %s", log, agent_state_name(got), want);
		free(want);
		n++;
	}
	free(m);
	return n;
}

#define AT(want, got) ck_assert_msg((got) == (want), "resets_at %.3f, want %.3f", \
                                    (double)(got), (double)(want))
/* 2026-11-30 12:41:51 UTC, when the claude and codex limits were captured */
#define T0 1796042511.0
/* 2026-11-30 12:45:00 UTC */
#define T1245 1796042700.0

#endif
