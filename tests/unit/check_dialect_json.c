/* check_dialect_json.c — the JSON dialect parsers (claude, codex, gemini,
 * opencode): real fixture logs and synthetic lines give the right events,
 * and bad input never crashes them. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "check_main.h"
#include "dialect/parsers.h"

/* Events as the parser handed them over, with their strings copied. */
struct rec {
	struct agent_event e;
};

struct evlog {
	struct rec *v;
	size_t n, cap;
	int stop_at;    /* callback returns 7 at this event number (1-based), 0 never */
};

static char *
dup_or_null(const char *s)
{
	char *p;

	if (s == NULL)
		return NULL;
	p = strdup(s);
	ck_assert_ptr_nonnull(p);
	return p;
}

static int
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
	ck_assert_int_gt(e->kind, AGENT_EV_NONE);
	ck_assert_int_lt(e->kind, AGENT_EV__MAX);
	return l->stop_at != 0 && (int)l->n == l->stop_at ? 7 : 0;
}

static void
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
	}
	free(l->v);
	memset(l, 0, sizeof *l);
}

/* Feeds data line by line (the last line may lack its '\n'), then end(). */
static int
feed(const struct agent_dialect_ops *ops, enum agent_dialect d,
     const char *data, size_t len, struct evlog *l)
{
	void *st = ops->new(d);
	size_t i = 0, j;
	long lineno = 0;
	int r = 0;

	ck_assert_ptr_nonnull(st);
	while (i < len && r == 0) {
		const char *nl = memchr(data + i, '\n', len - i);

		j = nl != NULL ? (size_t)(nl - data) : len;
		r = ops->line(st, data + i, j - i, ++lineno, collect, l);
		i = j + 1;
	}
	if (r == 0 && ops->end != NULL)
		r = ops->end(st, collect, l);
	ops->free(st);
	return r;
}

static int
feed_str(const struct agent_dialect_ops *ops, enum agent_dialect d,
         const char *s, struct evlog *l)
{
	return feed(ops, d, s, strlen(s), l);
}

static char *
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

static void
feed_file(const struct agent_dialect_ops *ops, enum agent_dialect d,
          const char *rel, struct evlog *l)
{
	size_t len;
	char *data = slurp(rel, &len);

	ck_assert_int_eq(feed(ops, d, data, len, l), 0);
	free(data);
}

/* Column 5 (session id) of the fixture's MANIFEST row; "-" none. */
static char *
manifest_session(const char *rel)
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
			res = strdup(f[4]);
	}
	free(m);
	ck_assert_msg(res != NULL, "%s not in MANIFEST", rel);
	return res;
}

static size_t
count(const struct evlog *l, enum agent_ev_kind k)
{
	size_t i, n = 0;

	for (i = 0; i < l->n; i++)
		n += l->v[i].e.kind == k;
	return n;
}

/* The i-th (0-based) event of kind k. */
static const struct agent_event *
nth(const struct evlog *l, enum agent_ev_kind k, size_t i)
{
	size_t j;

	for (j = 0; j < l->n; j++)
		if (l->v[j].e.kind == k && i-- == 0)
			return &l->v[j].e;
	ck_abort_msg("no event %s #%zu", agent_ev_kind_name(k), i);
	return NULL;
}

/* The last event with final set, NULL when none. */
static const struct agent_event *
final_ev(const struct evlog *l)
{
	size_t i;

	for (i = l->n; i-- > 0;)
		if (l->v[i].e.final)
			return &l->v[i].e;
	return NULL;
}

static void
is_str(const char *got, const char *want)
{
	ck_assert_msg(got != NULL, "got NULL, want \"%s\"", want);
	ck_assert_str_eq(got, want);
}

/* The session id of the log: the one SESSION event's, checked on every
 * event that carries one. */
static const char *
session_of(const struct evlog *l)
{
	const char *s = NULL;
	size_t i;

	for (i = 0; i < l->n; i++) {
		if (l->v[i].e.kind == AGENT_EV_SESSION && s == NULL)
			s = l->v[i].e.session;
		if (s != NULL && l->v[i].e.session != NULL)
			ck_assert_str_eq(l->v[i].e.session, s);
	}
	return s;
}

static void
tool_is(const struct agent_event *e, enum agent_tool_status st,
        enum agent_tool_kind k, const char *tool, const char *path,
        const char *title)
{
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

/* Every JSON fixture of the MANIFEST: its session id, and the final event
 * its expected state calls for. */
static const struct {
	const char *log;
	const struct agent_dialect_ops *ops;
	enum agent_dialect d;
} fixtures[] = {
	{ "claude/json-happy.log", &agent__claude_json_ops, AGENT_D_CLAUDE_JSON },
	{ "claude/stream-json-cutoff-sigint.log", &agent__claude_json_ops, AGENT_D_CLAUDE_STREAM },
	{ "claude/stream-json-cutoff-sigterm.log", &agent__claude_json_ops, AGENT_D_CLAUDE_STREAM },
	{ "claude/stream-json-err401-noretry.log", &agent__claude_json_ops, AGENT_D_CLAUDE_STREAM },
	{ "claude/stream-json-err429-noretry.log", &agent__claude_json_ops, AGENT_D_CLAUDE_STREAM },
	{ "claude/stream-json-happy.log", &agent__claude_json_ops, AGENT_D_CLAUDE_STREAM },
	{ "claude/stream-json-partial-happy.log", &agent__claude_json_ops, AGENT_D_CLAUDE_STREAM },
	{ "claude/stream-json-resume.log", &agent__claude_json_ops, AGENT_D_CLAUDE_STREAM },
	{ "codex/exec-json-cutoff-sigterm.log", &agent__codex_json_ops, AGENT_D_CODEX_JSON },
	{ "codex/exec-json-err401.log", &agent__codex_json_ops, AGENT_D_CODEX_JSON },
	{ "codex/exec-json-failcmd.log", &agent__codex_json_ops, AGENT_D_CODEX_JSON },
	{ "codex/exec-json-happy.log", &agent__codex_json_ops, AGENT_D_CODEX_JSON },
	{ "codex/exec-json-resume.log", &agent__codex_json_ops, AGENT_D_CODEX_JSON },
	{ "gemini/json-happy.log", &agent__gemini_json_ops, AGENT_D_GEMINI_JSON },
	{ "gemini/stream-json-cutoff-sigkill.log", &agent__gemini_stream_ops, AGENT_D_GEMINI_STREAM },
	{ "gemini/stream-json-cutoff-sigterm-child.log", &agent__gemini_stream_ops, AGENT_D_GEMINI_STREAM },
	{ "gemini/stream-json-err401.log", &agent__gemini_stream_ops, AGENT_D_GEMINI_STREAM },
	{ "gemini/stream-json-happy.log", &agent__gemini_stream_ops, AGENT_D_GEMINI_STREAM },
	{ "opencode/json-cutoff-sigkill.log", &agent__opencode_json_ops, AGENT_D_OPENCODE_JSON },
	{ "opencode/json-err401.log", &agent__opencode_json_ops, AGENT_D_OPENCODE_JSON },
	{ "opencode/json-happy.log", &agent__opencode_json_ops, AGENT_D_OPENCODE_JSON },
	{ "opencode/json-resume-session.log", &agent__opencode_json_ops, AGENT_D_OPENCODE_JSON },
	{ "opencode/json-stall.log", &agent__opencode_json_ops, AGENT_D_OPENCODE_JSON },
	{ "opencode/json-toolerr.log", &agent__opencode_json_ops, AGENT_D_OPENCODE_JSON },
};

static char *
manifest_state(const char *rel)
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
			res = strdup(f[3]);
	}
	free(m);
	ck_assert_ptr_nonnull(res);
	return res;
}

START_TEST(every_json_fixture_gives_manifest_session_and_final_event)
{
	struct evlog l = { 0 };
	const struct agent_event *fin;
	char *sid = manifest_session(fixtures[_i].log);
	char *state = manifest_state(fixtures[_i].log);
	const char *got;

	feed_file(fixtures[_i].ops, fixtures[_i].d, fixtures[_i].log, &l);
	got = session_of(&l);
	if (strcmp(sid, "-") == 0) {
		ck_assert_ptr_null(got);
	} else {
		ck_assert_msg(got != NULL, "%s: no session", fixtures[_i].log);
		ck_assert_str_eq(got, sid);
		ck_assert_int_eq(count(&l, AGENT_EV_SESSION), 1);
	}
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
		    "%s: cut-off log has final %s", fixtures[_i].log,
		    agent_ev_kind_name(fin->kind));
	}
	/* Nothing follows the final event. */
	if (fin != NULL)
		ck_assert_ptr_eq(fin, &l.v[l.n - 1].e);
	/* The stateless finder agrees on the first line that has an id. */
	if (strcmp(sid, "-") != 0) {
		size_t len, i = 0;
		char *data = slurp(fixtures[_i].log, &len), buf[64];
		size_t n = 0;

		while (i < len && n == 0) {
			char *nl = memchr(data + i, '\n', len - i);
			size_t j = nl ? (size_t)(nl - data) : len;

			n = fixtures[_i].ops->session(data + i, j - i, buf, sizeof buf);
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
END_TEST

/* claude */

START_TEST(claude_stream_happy_gives_tools_paired_text_and_done)
{
	struct evlog l = { 0 };
	const struct agent_event *e, *fin;

	feed_file(&agent__claude_json_ops, AGENT_D_CLAUDE_STREAM,
	    "claude/stream-json-happy.log", &l);
	ck_assert_int_eq(l.v[0].e.kind, AGENT_EV_SESSION);
	e = nth(&l, AGENT_EV_MODEL, 0);
	is_str(e->model, "claude-opus-4-8[1m]");
	ck_assert_uint_eq(count(&l, AGENT_EV_TOOL), 6);
	e = nth(&l, AGENT_EV_TOOL, 0);
	tool_is(e, AGENT_TOOL_RUNNING, AGENT_TK_READ, "Read",
	    "/home/dev/agents/claude/w-happy/input.txt",
	    "/home/dev/agents/claude/w-happy/input.txt");
	is_str(e->call_id, "toolu_VWRv6wSEF52v8RJb8ZHkI8kp");
	e = nth(&l, AGENT_EV_TOOL, 1);
	tool_is(e, AGENT_TOOL_COMPLETED, AGENT_TK_READ, "Read",
	    "/home/dev/agents/claude/w-happy/input.txt", NULL);
	is_str(e->call_id, "toolu_VWRv6wSEF52v8RJb8ZHkI8kp");
	ck_assert(fabs(e->ts - 1795462945.846) < 0.001);
	e = nth(&l, AGENT_EV_TOOL, 2);
	tool_is(e, AGENT_TOOL_RUNNING, AGENT_TK_SHELL, "Bash", NULL, "echo hi");
	e = nth(&l, AGENT_EV_TOOL, 3);
	tool_is(e, AGENT_TOOL_COMPLETED, AGENT_TK_SHELL, "Bash", NULL, "echo hi");
	ck_assert_int_eq(e->exit_code, 0);
	is_str(e->text, "hi");
	e = nth(&l, AGENT_EV_TOOL, 5);
	tool_is(e, AGENT_TOOL_COMPLETED, AGENT_TK_WRITE, "Write",
	    "/home/dev/agents/claude/w-happy/output.txt", NULL);
	ck_assert_uint_eq(count(&l, AGENT_EV_TEXT), 2);
	is_str(nth(&l, AGENT_EV_TEXT, 0)->text, "I'll read the file first.");
	is_str(nth(&l, AGENT_EV_TEXT, 1)->title, "Done.");
	fin = final_ev(&l);
	ck_assert_int_eq(fin->kind, AGENT_EV_DONE);
	ck_assert_int_eq(fin->tokens_in, 7677);
	ck_assert_int_eq(fin->tokens_out, 78);
	ck_assert(fabs(fin->cost - 0.040335) < 1e-6);
	is_str(fin->text, "Done.");
	ck_assert_int_eq(fin->line, 10);
	evlog_free(&l);
}
END_TEST

START_TEST(claude_json_single_unterminated_result_line_is_done)
{
	struct evlog l = { 0 };

	feed_file(&agent__claude_json_ops, AGENT_D_CLAUDE_JSON, "claude/json-happy.log", &l);
	ck_assert_uint_eq(l.n, 2);
	ck_assert_int_eq(l.v[0].e.kind, AGENT_EV_SESSION);
	ck_assert_int_eq(l.v[1].e.kind, AGENT_EV_DONE);
	is_str(l.v[1].e.session, "870124a1-fad0-40df-8a60-f6cf1bd92a13");
	ck_assert_int_eq(l.v[1].e.tokens_in, 7684);
	evlog_free(&l);
}
END_TEST

START_TEST(claude_sigint_gives_failed_tool_then_interrupt)
{
	struct evlog l = { 0 };
	const struct agent_event *e;

	feed_file(&agent__claude_json_ops, AGENT_D_CLAUDE_STREAM,
	    "claude/stream-json-cutoff-sigint.log", &l);
	e = nth(&l, AGENT_EV_TOOL, 1);
	tool_is(e, AGENT_TOOL_ERROR, AGENT_TK_SHELL, "Bash", NULL, "sleep 60");
	ck_assert_int_eq(e->exit_code, -1);
	ck_assert_int_eq(final_ev(&l)->kind, AGENT_EV_INTERRUPT);
	evlog_free(&l);
}
END_TEST

START_TEST(claude_sigterm_cutoff_ends_with_running_tool_and_no_final)
{
	struct evlog l = { 0 };
	const struct agent_event *e;

	feed_file(&agent__claude_json_ops, AGENT_D_CLAUDE_STREAM,
	    "claude/stream-json-cutoff-sigterm.log", &l);
	ck_assert_ptr_null(final_ev(&l));
	e = &l.v[l.n - 1].e;
	tool_is(e, AGENT_TOOL_RUNNING, AGENT_TK_SHELL, "Bash", NULL, "sleep 60");
	evlog_free(&l);
}
END_TEST

START_TEST(claude_api_errors_give_error_401_and_limit_429)
{
	struct evlog l = { 0 };
	const struct agent_event *e;

	feed_file(&agent__claude_json_ops, AGENT_D_CLAUDE_STREAM,
	    "claude/stream-json-err401-noretry.log", &l);
	e = final_ev(&l);
	ck_assert_int_eq(e->kind, AGENT_EV_ERROR);
	ck_assert_int_eq(e->http_status, 401);
	ck_assert_ptr_nonnull(e->text);
	evlog_free(&l);
	feed_file(&agent__claude_json_ops, AGENT_D_CLAUDE_STREAM,
	    "claude/stream-json-err429-noretry.log", &l);
	e = final_ev(&l);
	ck_assert_int_eq(e->kind, AGENT_EV_LIMIT);
	ck_assert_int_eq(e->http_status, 429);
	/* the synthetic assistant error before the result is not final */
	e = nth(&l, AGENT_EV_ERROR, 0);
	ck_assert_int_eq(e->final, 0);
	ck_assert_int_eq(count(&l, AGENT_EV_TEXT), 0);
	evlog_free(&l);
}
END_TEST

START_TEST(claude_partial_messages_are_steps_and_status)
{
	struct evlog l = { 0 };

	feed_file(&agent__claude_json_ops, AGENT_D_CLAUDE_STREAM,
	    "claude/stream-json-partial-happy.log", &l);
	ck_assert_uint_gt(count(&l, AGENT_EV_STEP), 10);
	is_str(nth(&l, AGENT_EV_STEP, 0)->title, "requesting");
	ck_assert_uint_eq(count(&l, AGENT_EV_TEXT), 2);
	ck_assert_uint_eq(count(&l, AGENT_EV_TOOL), 6);
	evlog_free(&l);
}
END_TEST

#define CL_SID "2814a59a-40b5-4327-a10e-e34986560113"
#define OC_SID "ses_df60fc02bffesADN5iSiUraCW7"

START_TEST(claude_api_retry_is_nonfinal_error_even_for_429)
{
	struct evlog l = { 0 };
	const struct agent_event *e;

	feed_str(&agent__claude_json_ops, AGENT_D_CLAUDE_STREAM,
	    "{\"type\":\"system\",\"subtype\":\"api_retry\",\"attempt\":2,\"max_retries\":10,"
	    "\"retry_delay_ms\":1200.5,\"error_status\":429,\"error\":\"rate_limit\","
	    "\"session_id\":\"" CL_SID "\"}\n", &l);
	ck_assert_uint_eq(l.n, 2);
	e = &l.v[1].e;
	ck_assert_int_eq(e->kind, AGENT_EV_ERROR);
	ck_assert_int_eq(e->final, 0);
	ck_assert_int_eq(e->http_status, 429);
	is_str(e->session, CL_SID);
	ck_assert_ptr_nonnull(strstr(e->text, "2/10"));
	evlog_free(&l);
}
END_TEST

START_TEST(claude_result_error_kinds_by_status_and_text)
{
	struct evlog l = { 0 };

	feed_str(&agent__claude_json_ops, AGENT_D_CLAUDE_JSON,
	    "{\"type\":\"result\",\"subtype\":\"success\",\"is_error\":true,"
	    "\"api_error_status\":500,\"result\":\"API Error: 500 Internal server error\"}", &l);
	ck_assert_int_eq(l.v[0].e.kind, AGENT_EV_ERROR);
	ck_assert_int_eq(l.v[0].e.final, 1);
	ck_assert_int_eq(l.v[0].e.http_status, 500);
	evlog_free(&l);
	feed_str(&agent__claude_json_ops, AGENT_D_CLAUDE_JSON,
	    "{\"type\":\"result\",\"subtype\":\"success\",\"is_error\":true,"
	    "\"api_error_status\":null,\"result\":\"Claude AI usage limit reached|1795500000\"}", &l);
	ck_assert_int_eq(l.v[0].e.kind, AGENT_EV_LIMIT);
	ck_assert_int_eq(l.v[0].e.final, 1);
	evlog_free(&l);
	/* an error subtype ends the run short even without is_error */
	feed_str(&agent__claude_json_ops, AGENT_D_CLAUDE_JSON,
	    "{\"type\":\"result\",\"subtype\":\"error_max_turns\",\"is_error\":false,"
	    "\"num_turns\":3}", &l);
	ck_assert_int_eq(l.v[0].e.kind, AGENT_EV_ERROR);
	ck_assert_int_eq(l.v[0].e.final, 1);
	is_str(l.v[0].e.text, "error_max_turns");
	ck_assert_int_eq(l.v[0].e.http_status, -1);
	evlog_free(&l);
	/* a bad resume id: error_during_execution that is no interrupt */
	feed_str(&agent__claude_json_ops, AGENT_D_CLAUDE_STREAM,
	    "No conversation found with session ID: " CL_SID "\n"
	    "{\"type\":\"result\",\"subtype\":\"error_during_execution\",\"is_error\":true,"
	    "\"errors\":[\"No conversation found with session ID: " CL_SID "\"],"
	    "\"terminal_reason\":\"completed\"}\n", &l);
	ck_assert_uint_eq(l.n, 1);
	ck_assert_int_eq(l.v[0].e.kind, AGENT_EV_ERROR);
	is_str(l.v[0].e.title, "No conversation found with session ID: " CL_SID);
	ck_assert_ptr_null(l.v[0].e.session);
	evlog_free(&l);
}
END_TEST

START_TEST(claude_interrupt_text_makes_error_result_an_interrupt)
{
	struct evlog l = { 0 };

	feed_str(&agent__claude_json_ops, AGENT_D_CLAUDE_STREAM,
	    "{\"type\":\"user\",\"message\":{\"role\":\"user\",\"content\":[{\"type\":\"text\","
	    "\"text\":\"[Request interrupted by user]\"}]}}\n"
	    "{\"type\":\"result\",\"subtype\":\"error_during_execution\",\"is_error\":true,"
	    "\"terminal_reason\":\"completed\"}\n", &l);
	ck_assert_int_eq(final_ev(&l)->kind, AGENT_EV_INTERRUPT);
	evlog_free(&l);
}
END_TEST

START_TEST(claude_root_refusal_line_is_final_error)
{
	struct evlog l = { 0 };

	feed_str(&agent__claude_json_ops, AGENT_D_CLAUDE_STREAM,
	    "--dangerously-skip-permissions cannot be used with root/sudo privileges "
	    "for security reasons\n", &l);
	ck_assert_uint_eq(l.n, 1);
	ck_assert_int_eq(l.v[0].e.kind, AGENT_EV_ERROR);
	ck_assert_int_eq(l.v[0].e.final, 1);
	evlog_free(&l);
	feed_str(&agent__claude_json_ops, AGENT_D_CLAUDE_STREAM,
	    "Error: Session ID " CL_SID " is already in use.\n", &l);
	ck_assert_int_eq(final_ev(&l)->kind, AGENT_EV_ERROR);
	evlog_free(&l);
}
END_TEST

START_TEST(claude_failed_bash_result_carries_exit_code_and_start_facts)
{
	struct evlog l = { 0 };
	const struct agent_event *e;

	feed_str(&agent__claude_json_ops, AGENT_D_CLAUDE_STREAM,
	    "{\"type\":\"assistant\",\"message\":{\"model\":\"claude-x\",\"content\":[{\"type\":\"tool_use\","
	    "\"id\":\"toolu_1\",\"name\":\"Bash\",\"input\":{\"command\":\"ls /nope\\nid\"}}]}}\n"
	    "{\"type\":\"assistant\",\"message\":{\"content\":[{\"type\":\"thinking\",\"thinking\":\"hm\"}]}}\n"
	    "{\"type\":\"user\",\"message\":{\"content\":[{\"type\":\"tool_result\",\"tool_use_id\":\"toolu_1\","
	    "\"is_error\":true,\"content\":[{\"type\":\"text\",\"text\":\"Exit code 2\\nls: cannot access\"}]}]},"
	    "\"timestamp\":\"2026-11-23T19:42:25+01:00\"}\n", &l);
	ck_assert_uint_eq(l.n, 3);
	tool_is(&l.v[0].e, AGENT_TOOL_RUNNING, AGENT_TK_SHELL, "Bash", NULL, "ls /nope");
	is_str(l.v[0].e.model, "claude-x");
	ck_assert_int_eq(l.v[1].e.kind, AGENT_EV_STEP);
	is_str(l.v[1].e.text, "hm");
	e = &l.v[2].e;
	tool_is(e, AGENT_TOOL_ERROR, AGENT_TK_SHELL, "Bash", NULL, "ls /nope");
	ck_assert_int_eq(e->exit_code, 2);
	is_str(e->text, "Exit code 2\nls: cannot access");
	ck_assert(fabs(e->ts - 1795459345.0) < 0.001);
	evlog_free(&l);
}
END_TEST

START_TEST(claude_results_read_from_the_tail_still_name_their_tool)
{
	struct evlog l = { 0 };
	size_t len, i, start = 0;
	char *data = slurp("claude/stream-json-happy.log", &len);

	/* from the first tool_result line on: every start is missing */
	for (i = 0; i < 3; i++)
		start = (size_t)((char *)memchr(data + start, '\n', len - start) - data) + 1;
	ck_assert_int_eq(feed(&agent__claude_json_ops, AGENT_D_CLAUDE_STREAM, data + start,
	    len - start, &l), 0);
	tool_is(nth(&l, AGENT_EV_TOOL, 0), AGENT_TOOL_COMPLETED, AGENT_TK_READ, "Read",
	    "/home/dev/agents/claude/w-happy/input.txt", "/home/dev/agents/claude/w-happy/input.txt");
	evlog_free(&l);
	feed_str(&agent__claude_json_ops, AGENT_D_CLAUDE_STREAM,
	    "{\"type\":\"user\",\"message\":{\"content\":[{\"type\":\"tool_result\",\"tool_use_id\":\"t1\","
	    "\"content\":\"hi\"}]},\"tool_use_result\":{\"stdout\":\"hi\",\"stderr\":\"\",\"interrupted\":false}}\n"
	    "{\"type\":\"user\",\"message\":{\"content\":[{\"type\":\"tool_result\",\"tool_use_id\":\"t2\","
	    "\"content\":\"ok\"}]},\"tool_use_result\":{\"type\":\"create\",\"filePath\":\"/o\"}}\n"
	    "{\"type\":\"user\",\"message\":{\"content\":[{\"type\":\"tool_result\",\"tool_use_id\":\"t3\","
	    "\"content\":\"ok\"}]},\"tool_use_result\":{\"filePath\":\"/e\",\"oldString\":\"a\"}}\n"
	    "{\"type\":\"user\",\"message\":{\"content\":[{\"type\":\"tool_result\",\"tool_use_id\":\"t4\","
	    "\"is_error\":true,\"content\":\"Error: Exit code 1\"}]},\"tool_use_result\":\"Error: Exit code 1\"}\n", &l);
	ck_assert_uint_eq(l.n, 4);
	tool_is(&l.v[0].e, AGENT_TOOL_COMPLETED, AGENT_TK_SHELL, "Bash", NULL, NULL);
	ck_assert_int_eq(l.v[0].e.exit_code, 0);
	tool_is(&l.v[1].e, AGENT_TOOL_COMPLETED, AGENT_TK_WRITE, "Write", "/o", "/o");
	tool_is(&l.v[2].e, AGENT_TOOL_COMPLETED, AGENT_TK_EDIT, "Edit", "/e", "/e");
	ck_assert_int_eq(l.v[3].e.tkind, AGENT_TK_OTHER);
	ck_assert_ptr_null(l.v[3].e.tool);
	ck_assert_int_eq(l.v[3].e.status, AGENT_TOOL_ERROR);
	evlog_free(&l);
	free(data);
}
END_TEST

START_TEST(claude_tool_kinds_paths_and_titles)
{
	static const struct {
		const char *name, *input;
		enum agent_tool_kind k;
		const char *path, *title;
	} t[] = {
		{ "Read", "{\"file_path\":\"/a/b\"}", AGENT_TK_READ, "/a/b", "/a/b" },
		{ "Write", "{\"file_path\":\"x.c\",\"content\":\"\"}", AGENT_TK_WRITE, "x.c", "x.c" },
		{ "Edit", "{\"file_path\":\"/e\"}", AGENT_TK_EDIT, "/e", "/e" },
		{ "MultiEdit", "{\"file_path\":\"/m\"}", AGENT_TK_EDIT, "/m", "/m" },
		{ "Bash", "{\"command\":\"make\"}", AGENT_TK_SHELL, NULL, "make" },
		{ "Glob", "{\"pattern\":\"**/*.c\"}", AGENT_TK_SEARCH, NULL, "**/*.c" },
		{ "Grep", "{\"pattern\":\"foo\",\"path\":\"/src\"}", AGENT_TK_SEARCH, NULL, "foo" },
		{ "WebFetch", "{\"url\":\"https://x.org\"}", AGENT_TK_FETCH, NULL, "https://x.org" },
		{ "Task", "{\"description\":\"explore\",\"prompt\":\"p\"}", AGENT_TK_TASK, NULL, "explore" },
		{ "TodoWrite", "{\"todos\":[{\"content\":\"a\",\"status\":\"completed\"},"
		  "{\"content\":\"b\",\"status\":\"in_progress\"}]}", AGENT_TK_TODO, NULL, "b" },
		{ "mcp__x__y", "{\"q\":1}", AGENT_TK_OTHER, NULL, NULL },
	};
	char line[512];
	size_t i;

	for (i = 0; i < sizeof t / sizeof t[0]; i++) {
		struct evlog l = { 0 };

		snprintf(line, sizeof line, "{\"type\":\"assistant\",\"message\":{\"content\":"
		    "[{\"type\":\"tool_use\",\"id\":\"t%zu\",\"name\":\"%s\",\"input\":%s}]}}",
		    i, t[i].name, t[i].input);
		feed_str(&agent__claude_json_ops, AGENT_D_CLAUDE_STREAM, line, &l);
		ck_assert_uint_eq(l.n, 1);
		tool_is(&l.v[0].e, AGENT_TOOL_RUNNING, t[i].k, t[i].name, t[i].path, t[i].title);
		if (t[i].path == NULL)
			ck_assert_ptr_null(l.v[0].e.path);
		if (t[i].title == NULL)
			ck_assert_ptr_null(l.v[0].e.title);
		evlog_free(&l);
	}
}
END_TEST

START_TEST(blank_assistant_text_gives_no_text_event)
{
	struct evlog l = { 0 };

	feed_str(&agent__claude_json_ops, AGENT_D_CLAUDE_STREAM,
	    "{\"type\":\"assistant\",\"message\":{\"content\":[{\"type\":\"text\",\"text\":\"\\n \"}]}}\n"
	    "{\"type\":\"assistant\",\"message\":{\"content\":\"\"}}\n", &l);
	ck_assert_uint_eq(l.n, 0);
	feed_str(&agent__codex_json_ops, AGENT_D_CODEX_JSON,
	    "{\"type\":\"item.completed\",\"item\":{\"type\":\"agent_message\",\"text\":\"\"}}\n", &l);
	ck_assert_uint_eq(l.n, 0);
	feed_str(&agent__gemini_stream_ops, AGENT_D_GEMINI_STREAM,
	    "{\"type\":\"message\",\"role\":\"assistant\",\"content\":\" \",\"delta\":true}\n", &l);
	ck_assert_uint_eq(l.n, 0);
	feed_str(&agent__opencode_json_ops, AGENT_D_OPENCODE_JSON,
	    "{\"type\":\"text\",\"part\":{\"text\":\"\\r\\n\"}}\n", &l);
	ck_assert_uint_eq(l.n, 0);
	feed_str(&agent__gemini_json_ops, AGENT_D_GEMINI_JSON, "{\"response\":\"\"}", &l);
	ck_assert_uint_eq(l.n, 1);
	ck_assert_int_eq(l.v[0].e.kind, AGENT_EV_DONE);
	evlog_free(&l);
}
END_TEST

START_TEST(deeply_nested_tool_input_is_still_read)
{
	struct evlog l = { 0 };
	char *s = malloc(4096), *p;
	int i;

	ck_assert_ptr_nonnull(s);
	p = s + sprintf(s, "{\"type\":\"assistant\",\"message\":{\"content\":[{\"type\":\"tool_use\","
	    "\"id\":\"t\",\"name\":\"mcp__x\",\"input\":");
	for (i = 0; i < 100; i++)
		*p++ = '[';
	for (i = 0; i < 100; i++)
		*p++ = ']';
	strcpy(p, "}]}}");
	feed_str(&agent__claude_json_ops, AGENT_D_CLAUDE_STREAM, s, &l);
	ck_assert_uint_eq(l.n, 1);
	ck_assert_int_eq(l.v[0].e.kind, AGENT_EV_TOOL);
	free(s);
	evlog_free(&l);
}
END_TEST

START_TEST(claude_json_verbose_array_gives_every_message)
{
	struct evlog l = { 0 };

	feed_str(&agent__claude_json_ops, AGENT_D_CLAUDE_JSON,
	    "[{\"type\":\"system\",\"subtype\":\"init\",\"session_id\":\"" CL_SID "\",\"model\":\"m\"},"
	    "{\"type\":\"assistant\",\"message\":{\"content\":[{\"type\":\"tool_use\",\"id\":\"t\","
	    "\"name\":\"Read\",\"input\":{\"file_path\":\"/x\"}}]}},5,null,"
	    "{\"type\":\"result\",\"subtype\":\"success\",\"is_error\":false,\"result\":\"ok\"}]", &l);
	ck_assert_uint_eq(l.n, 4);
	ck_assert_int_eq(l.v[0].e.kind, AGENT_EV_SESSION);
	ck_assert_int_eq(l.v[1].e.kind, AGENT_EV_MODEL);
	tool_is(&l.v[2].e, AGENT_TOOL_RUNNING, AGENT_TK_READ, "Read", "/x", "/x");
	ck_assert_int_eq(l.v[3].e.kind, AGENT_EV_DONE);
	is_str(l.v[3].e.session, CL_SID);
	evlog_free(&l);
}
END_TEST

START_TEST(model_is_announced_once_until_it_changes)
{
	struct evlog l = { 0 };

	feed_str(&agent__opencode_json_ops, AGENT_D_OPENCODE_JSON,
	    "{\"type\":\"step_start\",\"sessionID\":\"" OC_SID "\",\"part\":{\"modelID\":\"fake-model\"}}\n"
	    "{\"type\":\"text\",\"sessionID\":\"" OC_SID "\",\"part\":{\"text\":\"hi\"}}\n"
	    "{\"type\":\"step_start\",\"sessionID\":\"" OC_SID "\",\"part\":{\"modelID\":\"fake-model\"}}\n"
	    "{\"type\":\"step_start\",\"sessionID\":\"" OC_SID "\",\"part\":{\"modelID\":\"other\"}}\n", &l);
	ck_assert_uint_eq(count(&l, AGENT_EV_MODEL), 2);
	is_str(nth(&l, AGENT_EV_MODEL, 0)->model, "fake-model");
	is_str(nth(&l, AGENT_EV_TEXT, 0)->model, "fake-model");
	is_str(nth(&l, AGENT_EV_MODEL, 1)->model, "other");
	evlog_free(&l);
	feed_str(&agent__claude_json_ops, AGENT_D_CLAUDE_STREAM,
	    "{\"type\":\"system\",\"subtype\":\"init\",\"session_id\":\"" CL_SID "\",\"model\":\"m\"}\n"
	    "{\"type\":\"system\",\"subtype\":\"init\",\"session_id\":\"" CL_SID "\",\"model\":\"m\"}\n", &l);
	ck_assert_uint_eq(l.n, 2);
	evlog_free(&l);
}
END_TEST

START_TEST(claude_wrong_field_types_and_bad_ids_give_no_session)
{
	struct evlog l = { 0 };

	feed_str(&agent__claude_json_ops, AGENT_D_CLAUDE_STREAM,
	    "{\"type\":\"system\",\"subtype\":\"init\",\"session_id\":5,\"model\":[1]}\n"
	    "{\"type\":\"system\",\"subtype\":\"init\",\"session_id\":\"NOT-A-UUID\"}\n"
	    "{\"type\":\"system\",\"subtype\":\"init\",\"session_id\":\"2814A59A-40B5-4327-A10E-E34986560113\"}\n"
	    "{\"type\":5}\n{\"type\":\"assistant\",\"message\":[]}\n"
	    "{\"type\":\"assistant\",\"message\":{\"content\":[1,null,{\"type\":7}]}}\n"
	    "{\"type\":\"user\",\"message\":{\"content\":[{\"type\":\"tool_result\",\"is_error\":\"yes\"}]}}\n"
	    "{\"type\":\"result\",\"is_error\":\"no\",\"usage\":{\"input_tokens\":\"many\"},"
	    "\"total_cost_usd\":\"free\"}\n", &l);
	ck_assert_uint_eq(count(&l, AGENT_EV_SESSION), 0);
	ck_assert_uint_eq(count(&l, AGENT_EV_MODEL), 0);
	/* the result with no usable is_error or subtype is an error, not done */
	ck_assert_int_eq(final_ev(&l)->kind, AGENT_EV_ERROR);
	ck_assert_int_eq(final_ev(&l)->tokens_in, -1);
	ck_assert(final_ev(&l)->cost < 0);
	evlog_free(&l);
}
END_TEST

START_TEST(claude_session_finder_reads_json_field_only)
{
	char buf[64];
	const char *s;

	s = "{\"type\":\"system\",\"subtype\":\"init\",\"session_id\": \"" CL_SID "\",\"x\":1";
	ck_assert_uint_eq(agent__claude_json_ops.session(s, strlen(s), buf, sizeof buf), 36);
	is_str(buf, CL_SID);
	s = "No conversation found with session ID: " CL_SID;
	ck_assert_uint_eq(agent__claude_json_ops.session(s, strlen(s), buf, sizeof buf), 0);
	s = "{\"type\":\"user\",\"text\":\"\\\"session_id\\\":\\\"" CL_SID "\\\"\"}";
	ck_assert_uint_eq(agent__claude_json_ops.session(s, strlen(s), buf, sizeof buf), 0);
	s = "{\"session_id\":\"" CL_SID "\"}";
	ck_assert_uint_eq(agent__claude_json_ops.session(s, strlen(s), buf, 36), 0);
	s = "{\"session_id\":\"2814a59a-40b5";
	ck_assert_uint_eq(agent__claude_json_ops.session(s, strlen(s), buf, sizeof buf), 0);
}
END_TEST

/* codex */

START_TEST(codex_happy_gives_shell_and_file_tools_and_done)
{
	struct evlog l = { 0 };
	const struct agent_event *e;

	feed_file(&agent__codex_json_ops, AGENT_D_CODEX_JSON, "codex/exec-json-happy.log", &l);
	ck_assert_uint_eq(count(&l, AGENT_EV_TOOL), 6);
	e = nth(&l, AGENT_EV_TOOL, 0);
	tool_is(e, AGENT_TOOL_RUNNING, AGENT_TK_SHELL, "command_execution", NULL, "cat input.txt");
	is_str(e->call_id, "item_1");
	e = nth(&l, AGENT_EV_TOOL, 1);
	tool_is(e, AGENT_TOOL_COMPLETED, AGENT_TK_SHELL, "command_execution", NULL, "cat input.txt");
	ck_assert_int_eq(e->exit_code, 0);
	is_str(e->text, "some input content\n");
	e = nth(&l, AGENT_EV_TOOL, 5);
	tool_is(e, AGENT_TOOL_COMPLETED, AGENT_TK_WRITE, "file_change",
	    "/home/dev/agents/codex/w-happy/output.txt", "/home/dev/agents/codex/w-happy/output.txt");
	is_str(e->call_id, "item_3");
	is_str(nth(&l, AGENT_EV_TEXT, 1)->text, "Done.");
	e = final_ev(&l);
	ck_assert_int_eq(e->kind, AGENT_EV_DONE);
	ck_assert_int_eq(e->tokens_in, 29096);
	ck_assert_int_eq(e->tokens_out, 332);
	ck_assert_int_eq(nth(&l, AGENT_EV_STEP, 0)->line, 3);
	evlog_free(&l);
}
END_TEST

START_TEST(codex_failed_command_is_tool_error_with_exit_code)
{
	struct evlog l = { 0 };
	const struct agent_event *e;

	feed_file(&agent__codex_json_ops, AGENT_D_CODEX_JSON, "codex/exec-json-failcmd.log", &l);
	e = nth(&l, AGENT_EV_TOOL, 1);
	tool_is(e, AGENT_TOOL_ERROR, AGENT_TK_SHELL, "command_execution", NULL,
	    "ls /nonexistent-dir");
	ck_assert_int_eq(e->exit_code, 2);
	ck_assert_int_eq(final_ev(&l)->kind, AGENT_EV_DONE);
	evlog_free(&l);
}
END_TEST

START_TEST(codex_401_gives_retry_errors_then_final_error)
{
	struct evlog l = { 0 };
	const struct agent_event *e;
	size_t i;

	feed_file(&agent__codex_json_ops, AGENT_D_CODEX_JSON, "codex/exec-json-err401.log", &l);
	ck_assert_uint_eq(count(&l, AGENT_EV_ERROR), 7);
	for (i = 0; i < 6; i++) {
		e = nth(&l, AGENT_EV_ERROR, i);
		ck_assert_int_eq(e->final, 0);
		ck_assert_int_eq(e->http_status, 401);
	}
	e = final_ev(&l);
	ck_assert_int_eq(e->kind, AGENT_EV_ERROR);
	ck_assert_int_eq(e->http_status, 401);
	evlog_free(&l);
}
END_TEST

#define CX_SID "01a209f9-4831-77a0-a6c6-e6f107c047e4"

START_TEST(codex_429_retries_stay_errors_and_failure_is_limit)
{
	struct evlog l = { 0 };

	feed_str(&agent__codex_json_ops, AGENT_D_CODEX_JSON,
	    "{\"type\":\"thread.started\",\"thread_id\":\"" CX_SID "\"}\n"
	    "{\"type\":\"error\",\"message\":\"Reconnecting... 1/5 (exceeded retry limit, last status: 429 Too Many Requests)\"}\n"
	    "{\"type\":\"turn.failed\",\"error\":{\"message\":\"exceeded retry limit, last status: "
	    "429 Too Many Requests, request id: r\"}}\n", &l);
	ck_assert_int_eq(l.v[1].e.kind, AGENT_EV_ERROR);
	ck_assert_int_eq(l.v[1].e.final, 0);
	ck_assert_int_eq(l.v[1].e.http_status, 429);
	ck_assert_int_eq(l.v[2].e.kind, AGENT_EV_LIMIT);
	ck_assert_int_eq(l.v[2].e.final, 1);
	is_str(l.v[2].e.session, CX_SID);
	evlog_free(&l);
	feed_str(&agent__codex_json_ops, AGENT_D_CODEX_JSON,
	    "{\"type\":\"turn.failed\",\"error\":{\"message\":\"You've hit your usage limit. "
	    "Try again later.\"}}\n", &l);
	ck_assert_int_eq(final_ev(&l)->kind, AGENT_EV_LIMIT);
	evlog_free(&l);
}
END_TEST

START_TEST(codex_file_change_gives_one_tool_per_change)
{
	struct evlog l = { 0 };

	feed_str(&agent__codex_json_ops, AGENT_D_CODEX_JSON,
	    "{\"type\":\"item.completed\",\"item\":{\"id\":\"item_7\",\"type\":\"file_change\","
	    "\"changes\":[{\"path\":\"/w/a\",\"kind\":\"add\"},{\"path\":\"/w/b\",\"kind\":\"update\"},"
	    "{\"path\":\"/w/c\",\"kind\":\"delete\"}],\"status\":\"completed\"}}\n"
	    "{\"type\":\"item.completed\",\"item\":{\"id\":\"item_8\",\"type\":\"file_change\","
	    "\"changes\":[{\"path\":\"/w/d\",\"kind\":\"update\"}],\"status\":\"failed\"}}\n", &l);
	ck_assert_uint_eq(l.n, 4);
	tool_is(&l.v[0].e, AGENT_TOOL_COMPLETED, AGENT_TK_WRITE, "file_change", "/w/a", "/w/a");
	tool_is(&l.v[1].e, AGENT_TOOL_COMPLETED, AGENT_TK_EDIT, "file_change", "/w/b", "/w/b");
	tool_is(&l.v[2].e, AGENT_TOOL_COMPLETED, AGENT_TK_DELETE, "file_change", "/w/c", "/w/c");
	tool_is(&l.v[3].e, AGENT_TOOL_ERROR, AGENT_TK_EDIT, "file_change", "/w/d", "/w/d");
	ck_assert_str_ne(l.v[0].e.call_id, l.v[1].e.call_id);
	ck_assert_str_ne(l.v[1].e.call_id, l.v[2].e.call_id);
	evlog_free(&l);
}
END_TEST

START_TEST(codex_plain_lines_skipped_but_fatal_error_line_is_final)
{
	struct evlog l = { 0 };

	feed_str(&agent__codex_json_ops, AGENT_D_CODEX_JSON,
	    "Reading additional input from stdin...\n"
	    "WARNING: proceeding, even though we could not create PATH aliases\n"
	    "2026-11-23T19:00:00Z ERROR codex_core::session: failed to record rollout items\n", &l);
	ck_assert_uint_eq(l.n, 0);
	feed_str(&agent__codex_json_ops, AGENT_D_CODEX_JSON,
	    "Error: thread/resume: thread/resume failed: no rollout found for thread id "
	    CX_SID " (code -32600)\nStack backtrace:\n   0: x\n", &l);
	ck_assert_uint_eq(l.n, 1);
	ck_assert_int_eq(l.v[0].e.kind, AGENT_EV_ERROR);
	ck_assert_int_eq(l.v[0].e.final, 1);
	evlog_free(&l);
}
END_TEST

START_TEST(codex_items_warning_reasoning_and_shell_unwrapping)
{
	struct evlog l = { 0 };

	feed_str(&agent__codex_json_ops, AGENT_D_CODEX_JSON,
	    "{\"type\":\"item.completed\",\"item\":{\"id\":\"item_0\",\"type\":\"error\","
	    "\"message\":\"Model metadata for `x` not found.\"}}\n"
	    "{\"type\":\"item.completed\",\"item\":{\"id\":\"item_1\",\"type\":\"reasoning\",\"text\":\"why\"}}\n"
	    "{\"type\":\"item.started\",\"item\":{\"id\":\"item_2\",\"type\":\"command_execution\","
	    "\"command\":\"/bin/bash -lc 'echo '\\\"'\\\"'a b'\\\"'\\\"''\",\"status\":\"in_progress\"}}\n"
	    "{\"type\":\"item.started\",\"item\":{\"id\":\"item_3\",\"type\":\"command_execution\","
	    "\"command\":\"/bin/bash -lc ls\",\"status\":\"in_progress\"}}\n"
	    "{\"type\":\"item.started\",\"item\":{\"id\":\"item_4\",\"type\":\"command_execution\","
	    "\"command\":\"/bin/bash -lc 'unterminated\",\"status\":\"in_progress\"}}\n", &l);
	ck_assert_uint_eq(l.n, 5);
	ck_assert_int_eq(l.v[0].e.kind, AGENT_EV_ERROR);
	ck_assert_int_eq(l.v[0].e.final, 0);
	ck_assert_int_eq(l.v[1].e.kind, AGENT_EV_STEP);
	is_str(l.v[2].e.title, "echo 'a b'");
	is_str(l.v[3].e.title, "ls");
	is_str(l.v[4].e.title, "/bin/bash -lc 'unterminated");
	evlog_free(&l);
}
END_TEST

/* gemini */

START_TEST(gemini_stream_happy_joins_deltas_and_pairs_tools)
{
	struct evlog l = { 0 };
	const struct agent_event *e;

	feed_file(&agent__gemini_stream_ops, AGENT_D_GEMINI_STREAM,
	    "gemini/stream-json-happy.log", &l);
	is_str(nth(&l, AGENT_EV_MODEL, 0)->model, "auto");
	ck_assert_uint_eq(count(&l, AGENT_EV_TEXT), 2);
	e = nth(&l, AGENT_EV_TEXT, 0);
	is_str(e->text, "I'll read the file first.");
	ck_assert_int_eq(e->line, 9);
	ck_assert(fabs(e->ts - 1795463821.714) < 0.001);
	is_str(nth(&l, AGENT_EV_TEXT, 1)->text, "Done.");
	ck_assert_uint_eq(count(&l, AGENT_EV_TOOL), 6);
	tool_is(nth(&l, AGENT_EV_TOOL, 0), AGENT_TOOL_RUNNING, AGENT_TK_READ, "read_file",
	    "/home/dev/agents/gemini/w-happy/input.txt", NULL);
	e = nth(&l, AGENT_EV_TOOL, 3);
	tool_is(e, AGENT_TOOL_COMPLETED, AGENT_TK_SHELL, "run_shell_command", NULL, "echo hi");
	is_str(e->call_id, "run_shell_command__run_shell_command_1795463821845_0");
	is_str(e->text, "hi");
	tool_is(nth(&l, AGENT_EV_TOOL, 5), AGENT_TOOL_COMPLETED, AGENT_TK_WRITE, "write_file",
	    "/home/dev/agents/gemini/w-happy/output.txt", NULL);
	e = final_ev(&l);
	ck_assert_int_eq(e->kind, AGENT_EV_DONE);
	ck_assert_int_eq(e->tokens_in, 48258);
	ck_assert_int_eq(e->tokens_out, 147);
	evlog_free(&l);
}
END_TEST

START_TEST(gemini_stream_cutoff_ends_with_running_tool)
{
	struct evlog l = { 0 };

	feed_file(&agent__gemini_stream_ops, AGENT_D_GEMINI_STREAM,
	    "gemini/stream-json-cutoff-sigkill.log", &l);
	is_str(nth(&l, AGENT_EV_TEXT, 0)->text, "Running a long command.");
	tool_is(&l.v[l.n - 1].e, AGENT_TOOL_RUNNING, AGENT_TK_SHELL, "run_shell_command",
	    NULL, "sleep 60");
	evlog_free(&l);
}
END_TEST

START_TEST(gemini_deltas_at_end_of_input_are_flushed_and_capped)
{
	struct evlog l = { 0 };
	const char *d = "{\"type\":\"message\",\"role\":\"assistant\",\"content\":\"";
	size_t chunk = 1u << 20, i, n = 0, dl = strlen(d);
	char *s = malloc(5 * (chunk + 100));

	feed_str(&agent__gemini_stream_ops, AGENT_D_GEMINI_STREAM,
	    "{\"type\":\"message\",\"role\":\"assistant\",\"content\":\"Half \",\"delta\":true}\n"
	    "Warning: noise between deltas\n"
	    "{\"type\":\"message\",\"role\":\"assistant\",\"content\":\"done\\nmore\",\"delta\":true}", &l);
	ck_assert_uint_eq(l.n, 1);
	is_str(l.v[0].e.text, "Half done\nmore");
	is_str(l.v[0].e.title, "Half done");
	evlog_free(&l);
	ck_assert_ptr_nonnull(s);
	for (i = 0; i < 5; i++) {
		memcpy(s + n, d, dl);
		n += dl;
		memset(s + n, 'a' + (int)i, chunk);
		n += chunk;
		memcpy(s + n, "\",\"delta\":true}\n", 16);
		n += 16;
	}
	ck_assert_int_eq(feed(&agent__gemini_stream_ops, AGENT_D_GEMINI_STREAM, s, n, &l), 0);
	ck_assert_uint_eq(l.n, 1);
	ck_assert_uint_eq(strlen(l.v[0].e.text), 4u << 20);
	free(s);
	evlog_free(&l);
}
END_TEST

#define GM_SID "2e55092e-0dc0-4aad-b96b-e0e34de53683"

START_TEST(gemini_stream_errors_limits_and_tool_failures)
{
	struct evlog l = { 0 };
	const struct agent_event *e;

	feed_str(&agent__gemini_stream_ops, AGENT_D_GEMINI_STREAM,
	    "{\"type\":\"init\",\"timestamp\":\"2026-11-23T19:57:01.670Z\",\"session_id\":\"" GM_SID "\",\"model\":\"auto\"}\n"
	    "{\"type\":\"tool_use\",\"tool_name\":\"read_file\",\"tool_id\":\"read_file__1\","
	    "\"parameters\":{\"file_path\":\"/m\"}}\n"
	    "{\"type\":\"tool_result\",\"tool_id\":\"read_file__1\",\"status\":\"error\","
	    "\"output\":\"File not found.\",\"error\":{\"type\":\"file_not_found\",\"message\":\"File not found: /m\"}}\n"
	    "{\"type\":\"tool_result\",\"tool_id\":\"grep_search__2\",\"status\":\"success\",\"output\":\"x\"}\n"
	    "Attempt 2 failed with status 429. Retrying with backoff... _ApiError: {\"error\":{\"code\":429}}\n"
	    "    at throwErrorIfNotOK (file:///x.js:1:2) {\n"
	    "}\n"
	    "{\"type\":\"result\",\"status\":\"error\",\"error\":{\"type\":\"unknown\",\"message\":"
	    "\"[API Error: Resource has been exhausted (e.g. check quota).]\\nPlease wait\"},"
	    "\"stats\":{\"input_tokens\":3,\"output_tokens\":0}}\n", &l);
	e = nth(&l, AGENT_EV_TOOL, 1);
	tool_is(e, AGENT_TOOL_ERROR, AGENT_TK_READ, "read_file", "/m", "/m");
	is_str(e->text, "File not found: /m");
	e = nth(&l, AGENT_EV_TOOL, 2);
	tool_is(e, AGENT_TOOL_COMPLETED, AGENT_TK_SEARCH, "grep_search", NULL, NULL);
	e = nth(&l, AGENT_EV_ERROR, 0);
	ck_assert_int_eq(e->final, 0);
	ck_assert_int_eq(e->http_status, 429);
	is_str(e->text, "Attempt 2 failed with status 429. Retrying with backoff...");
	is_str(e->session, GM_SID);
	e = final_ev(&l);
	ck_assert_int_eq(e->kind, AGENT_EV_LIMIT);
	is_str(e->title, "[API Error: Resource has been exhausted (e.g. check quota).]");
	ck_assert_int_eq(e->tokens_in, 3);
	ck_assert_uint_eq(count(&l, AGENT_EV_ERROR), 1);
	evlog_free(&l);
	feed_str(&agent__gemini_stream_ops, AGENT_D_GEMINI_STREAM,
	    "Error resuming session: Invalid session identifier \"nope\".\n"
	    "  Use --list-sessions to see available sessions.\n", &l);
	ck_assert_uint_eq(l.n, 1);
	ck_assert_int_eq(l.v[0].e.kind, AGENT_EV_ERROR);
	ck_assert_int_eq(l.v[0].e.final, 1);
	evlog_free(&l);
	feed_str(&agent__gemini_json_ops, AGENT_D_GEMINI_JSON,
	    "Error resuming session: Invalid session identifier \"nope\".\n", &l);
	ck_assert_int_eq(final_ev(&l)->kind, AGENT_EV_ERROR);
	evlog_free(&l);
}
END_TEST

START_TEST(gemini_json_happy_gives_model_text_tokens_and_done)
{
	struct evlog l = { 0 };
	const struct agent_event *e;

	feed_file(&agent__gemini_json_ops, AGENT_D_GEMINI_JSON, "gemini/json-happy.log", &l);
	ck_assert_uint_eq(l.n, 4);
	ck_assert_int_eq(l.v[0].e.kind, AGENT_EV_SESSION);
	is_str(nth(&l, AGENT_EV_MODEL, 0)->model, "gemini-3.8-flash");
	is_str(nth(&l, AGENT_EV_TEXT, 0)->text, "Done.");
	e = final_ev(&l);
	ck_assert_int_eq(e->kind, AGENT_EV_DONE);
	ck_assert_int_eq(e->tokens_in, 969 + 47317);
	ck_assert_int_eq(e->tokens_out, 23 + 127);
	evlog_free(&l);
}
END_TEST

#define GJ_ERR(code) \
	"Warning: 256-color support not detected.\n" \
	"    at async x (file:///x.js:1:2) {\n" \
	"  status: " #code "\n" \
	"}\n" \
	"{\n" \
	"  \"session_id\": \"" GM_SID "\",\n" \
	"  \"error\": {\n" \
	"    \"type\": \"Error\",\n" \
	"    \"message\": \"{\\\"error\\\":{\\\"code\\\":" #code ",\\\"message\\\":\\\"m\\\"}}\",\n" \
	"    \"code\": " #code "\n" \
	"  }\n" \
	"}"

START_TEST(gemini_json_error_object_among_stderr_noise_is_final)
{
	struct evlog l = { 0 };

	feed_str(&agent__gemini_json_ops, AGENT_D_GEMINI_JSON, GJ_ERR(401), &l);
	ck_assert_uint_eq(l.n, 2);
	is_str(l.v[0].e.session, GM_SID);
	ck_assert_int_eq(l.v[1].e.kind, AGENT_EV_ERROR);
	ck_assert_int_eq(l.v[1].e.final, 1);
	ck_assert_int_eq(l.v[1].e.http_status, 401);
	ck_assert_int_eq(l.v[1].e.line, 12);
	evlog_free(&l);
	feed_str(&agent__gemini_json_ops, AGENT_D_GEMINI_JSON, GJ_ERR(429), &l);
	ck_assert_int_eq(final_ev(&l)->kind, AGENT_EV_LIMIT);
	evlog_free(&l);
	/* compact on one line works too */
	feed_str(&agent__gemini_json_ops, AGENT_D_GEMINI_JSON,
	    "{\"session_id\":\"" GM_SID "\",\"response\":\"ok\"}\n", &l);
	ck_assert_int_eq(final_ev(&l)->kind, AGENT_EV_DONE);
	evlog_free(&l);
}
END_TEST

START_TEST(gemini_json_unclosed_restarted_and_oversized_objects)
{
	struct evlog l = { 0 };
	size_t i, n = 0, cap = (5u << 20) + 4096;
	char *s = malloc(cap);

	/* cut off inside the object: nothing */
	feed_str(&agent__gemini_json_ops, AGENT_D_GEMINI_JSON,
	    "{\n  \"session_id\": \"" GM_SID "\",\n  \"response\": \"Do", &l);
	ck_assert_uint_eq(l.n, 0);
	/* a second "{" line starts over */
	feed_str(&agent__gemini_json_ops, AGENT_D_GEMINI_JSON,
	    "{\n  \"x\": [\n{\n  \"response\": \"ok\"\n}\n", &l);
	ck_assert_uint_eq(l.n, 2);
	ck_assert_int_eq(final_ev(&l)->kind, AGENT_EV_DONE);
	evlog_free(&l);
	/* stderr lines that race into the object are left out of it */
	feed_str(&agent__gemini_json_ops, AGENT_D_GEMINI_JSON,
	    "{\n  \"session_id\": \"" GM_SID "\",\n[STARTUP] Cannot measure phase\n"
	    "Error resuming session: x\n  \"response\": \"ok\"\n}\n", &l);
	ck_assert_uint_eq(l.n, 4);
	ck_assert_int_eq(l.v[0].e.kind, AGENT_EV_ERROR);
	ck_assert_int_eq(l.v[1].e.kind, AGENT_EV_SESSION);
	ck_assert_int_eq(l.v[3].e.kind, AGENT_EV_DONE);
	evlog_free(&l);
	/* past the cap the object is dropped; the next one still counts */
	ck_assert_ptr_nonnull(s);
	memcpy(s, "{\n", 2);
	n = 2;
	for (i = 0; i < 5000; i++) {
		memset(s + n, ' ', 1000);
		n += 1000;
		s[n++] = '\n';
	}
	n += (size_t)snprintf(s + n, cap - n, "}\n{\n  \"response\": \"ok\"\n}\n");
	ck_assert_int_eq(feed(&agent__gemini_json_ops, AGENT_D_GEMINI_JSON, s, n, &l), 0);
	ck_assert_uint_eq(l.n, 2);
	ck_assert_int_eq(l.v[1].e.kind, AGENT_EV_DONE);
	free(s);
	evlog_free(&l);
}
END_TEST

START_TEST(gemini_tool_kinds_paths_and_titles)
{
	static const struct {
		const char *name, *input;
		enum agent_tool_kind k;
		const char *path, *title;
	} t[] = {
		{ "read_file", "{\"file_path\":\"/a\"}", AGENT_TK_READ, "/a", "/a" },
		{ "write_file", "{\"file_path\":\"/w\",\"content\":\"\"}", AGENT_TK_WRITE, "/w", "/w" },
		{ "replace", "{\"file_path\":\"/r\",\"old_string\":\"a\"}", AGENT_TK_EDIT, "/r", "/r" },
		{ "run_shell_command", "{\"command\":\"ls -l\\necho\",\"description\":\"d\"}",
		  AGENT_TK_SHELL, NULL, "ls -l" },
		{ "list_directory", "{\"dir_path\":\"/src\"}", AGENT_TK_SEARCH, NULL, "/src" },
		{ "glob", "{\"pattern\":\"*.h\"}", AGENT_TK_SEARCH, NULL, "*.h" },
		{ "grep_search", "{\"pattern\":\"TODO\"}", AGENT_TK_SEARCH, NULL, "TODO" },
		{ "web_fetch", "{\"prompt\":\"get https://a.b\"}", AGENT_TK_FETCH, NULL, "get https://a.b" },
		{ "update_topic", "{}", AGENT_TK_OTHER, NULL, NULL },
	};
	char line[512];
	size_t i;

	for (i = 0; i < sizeof t / sizeof t[0]; i++) {
		struct evlog l = { 0 };

		snprintf(line, sizeof line, "{\"type\":\"tool_use\",\"tool_name\":\"%s\","
		    "\"tool_id\":\"%s__%zu\",\"parameters\":%s}", t[i].name, t[i].name, i, t[i].input);
		feed_str(&agent__gemini_stream_ops, AGENT_D_GEMINI_STREAM, line, &l);
		ck_assert_uint_eq(l.n, 1);
		tool_is(&l.v[0].e, AGENT_TOOL_RUNNING, t[i].k, t[i].name, t[i].path, t[i].title);
		evlog_free(&l);
	}
}
END_TEST

/* opencode */

START_TEST(opencode_happy_gives_completed_tools_steps_and_done)
{
	struct evlog l = { 0 };
	const struct agent_event *e;

	feed_file(&agent__opencode_json_ops, AGENT_D_OPENCODE_JSON, "opencode/json-happy.log", &l);
	ck_assert_uint_eq(count(&l, AGENT_EV_TOOL), 4);
	e = nth(&l, AGENT_EV_TOOL, 0);
	tool_is(e, AGENT_TOOL_COMPLETED, AGENT_TK_READ, "read", "/home/dev/oc/proj/README.md",
	    "/home/dev/oc/proj/README.md");
	is_str(e->call_id, "call_153f952f");
	ck_assert(fabs(e->ts - 1795463071.229) < 0.0005);
	e = nth(&l, AGENT_EV_TOOL, 1);
	tool_is(e, AGENT_TOOL_COMPLETED, AGENT_TK_SHELL, "bash", NULL, "ls && echo hi");
	ck_assert_int_eq(e->exit_code, 0);
	is_str(e->text, "README.md\nopencode.json\nhi\n");
	tool_is(nth(&l, AGENT_EV_TOOL, 2), AGENT_TOOL_COMPLETED, AGENT_TK_WRITE, "write",
	    "/home/dev/oc/proj/hello.txt", NULL);
	tool_is(nth(&l, AGENT_EV_TOOL, 3), AGENT_TOOL_COMPLETED, AGENT_TK_EDIT, "edit",
	    "/home/dev/oc/proj/hello.txt", NULL);
	ck_assert_uint_eq(count(&l, AGENT_EV_TEXT), 5);
	is_str(nth(&l, AGENT_EV_TEXT, 4)->text, "Done. Created hello.txt");
	e = nth(&l, AGENT_EV_STEP, 1);
	is_str(e->title, "tool-calls");
	ck_assert_int_eq(e->tokens_in, 1000);
	ck_assert(e->cost == 0);
	e = final_ev(&l);
	ck_assert_int_eq(e->kind, AGENT_EV_DONE);
	ck_assert_int_eq(e->tokens_out, 25);
	ck_assert_int_eq(e->line, 19);
	evlog_free(&l);
}
END_TEST

START_TEST(opencode_tool_error_does_not_end_the_run)
{
	struct evlog l = { 0 };
	const struct agent_event *e;

	feed_file(&agent__opencode_json_ops, AGENT_D_OPENCODE_JSON, "opencode/json-toolerr.log", &l);
	e = nth(&l, AGENT_EV_TOOL, 0);
	tool_is(e, AGENT_TOOL_ERROR, AGENT_TK_READ, "read", "/home/dev/oc/proj/missing.txt", NULL);
	is_str(e->text, "File not found: /home/dev/oc/proj/missing.txt");
	ck_assert_int_eq(final_ev(&l)->kind, AGENT_EV_DONE);
	evlog_free(&l);
	feed_file(&agent__opencode_json_ops, AGENT_D_OPENCODE_JSON, "opencode/json-err401.log", &l);
	e = final_ev(&l);
	ck_assert_int_eq(e->kind, AGENT_EV_ERROR);
	ck_assert_int_eq(e->http_status, 401);
	is_str(e->text, "Incorrect API key provided: x");
	evlog_free(&l);
}
END_TEST


START_TEST(opencode_plain_errors_permission_and_limits)
{
	struct evlog l = { 0 };

	feed_str(&agent__opencode_json_ops, AGENT_D_OPENCODE_JSON,
	    "\x1b[91m\x1b[1mError: \x1b[0mSession not found\n", &l);
	ck_assert_uint_eq(l.n, 1);
	ck_assert_int_eq(l.v[0].e.kind, AGENT_EV_ERROR);
	ck_assert_int_eq(l.v[0].e.final, 1);
	is_str(l.v[0].e.text, "Error: Session not found");
	evlog_free(&l);
	feed_str(&agent__opencode_json_ops, AGENT_D_OPENCODE_JSON,
	    "{\"type\":\"step_start\",\"timestamp\":1,\"sessionID\":\"" OC_SID "\",\"part\":{}}\n"
	    "\x1b[93m\x1b[1m! \x1b[0mpermission requested: external_directory (/etc/*); auto-rejecting\n"
	    "{\"type\":\"error\",\"sessionID\":\"" OC_SID "\",\"error\":{\"name\":\"APIError\","
	    "\"data\":{\"message\":\"Rate limit reached\",\"statusCode\":429,\"isRetryable\":true}}}\n", &l);
	ck_assert_uint_eq(l.n, 4);
	ck_assert_int_eq(l.v[2].e.kind, AGENT_EV_ERROR);
	ck_assert_int_eq(l.v[2].e.final, 0);
	is_str(l.v[2].e.text, "permission requested: external_directory (/etc/*); auto-rejecting");
	is_str(l.v[2].e.session, OC_SID);
	ck_assert_int_eq(l.v[3].e.kind, AGENT_EV_LIMIT);
	ck_assert_int_eq(l.v[3].e.final, 1);
	ck_assert_int_eq(l.v[3].e.http_status, 429);
	evlog_free(&l);
	feed_str(&agent__opencode_json_ops, AGENT_D_OPENCODE_JSON,
	    "{\"type\":\"error\",\"error\":{\"name\":\"MessageAbortedError\",\"data\":"
	    "{\"message\":\"The operation was aborted (200)\"}}}\n", &l);
	ck_assert_int_eq(final_ev(&l)->kind, AGENT_EV_INTERRUPT);
	ck_assert_int_eq(final_ev(&l)->http_status, -1);
	evlog_free(&l);
}
END_TEST

START_TEST(opencode_apply_patch_gives_one_tool_per_file)
{
	struct evlog l = { 0 };

	feed_str(&agent__opencode_json_ops, AGENT_D_OPENCODE_JSON,
	    "{\"type\":\"tool_use\",\"sessionID\":\"" OC_SID "\",\"part\":{\"type\":\"tool\","
	    "\"tool\":\"apply_patch\",\"callID\":\"call_1\",\"state\":{\"status\":\"completed\","
	    "\"input\":{\"patchText\":\"*** Begin Patch\\n*** Add File: a.txt\\n+x\\n"
	    "*** Update File: b.txt\\n@@\\n-a\\n+b\\n*** Delete File: c.txt\\n*** End Patch\"},"
	    "\"output\":\"Success.\"}}}\n"
	    "{\"type\":\"tool_use\",\"part\":{\"tool\":\"apply_patch\",\"callID\":\"call_2\","
	    "\"state\":{\"status\":\"error\",\"input\":{},\"error\":\"bad patch\"}}}\n", &l);
	ck_assert_uint_eq(l.n, 5);
	tool_is(&l.v[1].e, AGENT_TOOL_COMPLETED, AGENT_TK_WRITE, "apply_patch", "a.txt", "a.txt");
	tool_is(&l.v[2].e, AGENT_TOOL_COMPLETED, AGENT_TK_EDIT, "apply_patch", "b.txt", "b.txt");
	tool_is(&l.v[3].e, AGENT_TOOL_COMPLETED, AGENT_TK_DELETE, "apply_patch", "c.txt", "c.txt");
	is_str(l.v[1].e.call_id, "call_1");
	is_str(l.v[2].e.call_id, "call_1#1");
	tool_is(&l.v[4].e, AGENT_TOOL_ERROR, AGENT_TK_EDIT, "apply_patch", NULL, NULL);
	is_str(l.v[4].e.text, "bad patch");
	evlog_free(&l);
}
END_TEST

START_TEST(opencode_tool_kinds_paths_and_titles)
{
	static const struct {
		const char *name, *input;
		enum agent_tool_kind k;
		const char *path, *title;
	} t[] = {
		{ "read", "{\"filePath\":\"/a\"}", AGENT_TK_READ, "/a", "/a" },
		{ "write", "{\"filePath\":\"/w\"}", AGENT_TK_WRITE, "/w", "/w" },
		{ "edit", "{\"filePath\":\"/e\"}", AGENT_TK_EDIT, "/e", "/e" },
		{ "bash", "{\"command\":\"make -j\"}", AGENT_TK_SHELL, NULL, "make -j" },
		{ "glob", "{\"pattern\":\"**/*.ts\"}", AGENT_TK_SEARCH, NULL, "**/*.ts" },
		{ "grep", "{\"pattern\":\"x\",\"path\":\"/s\"}", AGENT_TK_SEARCH, NULL, "x" },
		{ "list", "{\"path\":\"/s\"}", AGENT_TK_SEARCH, NULL, "/s" },
		{ "webfetch", "{\"url\":\"https://a\"}", AGENT_TK_FETCH, NULL, "https://a" },
		{ "task", "{\"description\":\"look\"}", AGENT_TK_TASK, NULL, "look" },
		{ "todowrite", "{\"todos\":[{\"content\":\"one\",\"status\":\"pending\"}]}",
		  AGENT_TK_TODO, NULL, "one" },
		{ "custom", "{}", AGENT_TK_OTHER, NULL, "Custom title" },
	};
	char line[512];
	size_t i;

	for (i = 0; i < sizeof t / sizeof t[0]; i++) {
		struct evlog l = { 0 };

		snprintf(line, sizeof line, "{\"type\":\"tool_use\",\"part\":{\"tool\":\"%s\","
		    "\"callID\":\"c%zu\",\"state\":{\"status\":\"running\",\"input\":%s,"
		    "\"title\":\"Custom title\"}}}", t[i].name, i, t[i].input);
		feed_str(&agent__opencode_json_ops, AGENT_D_OPENCODE_JSON, line, &l);
		ck_assert_uint_eq(l.n, 1);
		tool_is(&l.v[0].e, AGENT_TOOL_RUNNING, t[i].k, t[i].name, t[i].path, t[i].title);
		evlog_free(&l);
	}
}
END_TEST

START_TEST(session_finders_check_id_shapes)
{
	char buf[64];
	const char *s;

	s = "{\"type\":\"step_start\",\"timestamp\":1,\"sessionID\":\"" OC_SID "\"}";
	ck_assert_uint_eq(agent__opencode_json_ops.session(s, strlen(s), buf, sizeof buf), 30);
	is_str(buf, OC_SID);
	s = "{\"sessionID\":\"ses_short\"}";
	ck_assert_uint_eq(agent__opencode_json_ops.session(s, strlen(s), buf, sizeof buf), 0);
	s = "{\"sessionID\":\"ses_df60fc02bffesADN5iSiUraC-7\"}";
	ck_assert_uint_eq(agent__opencode_json_ops.session(s, strlen(s), buf, sizeof buf), 0);
	s = "Error: Session not found: " OC_SID;
	ck_assert_uint_eq(agent__opencode_json_ops.session(s, strlen(s), buf, sizeof buf), 0);
	s = "  \"session_id\": \"" GM_SID "\",";
	ck_assert_uint_eq(agent__gemini_json_ops.session(s, strlen(s), buf, sizeof buf), 36);
	ck_assert_uint_eq(agent__gemini_stream_ops.session(s, strlen(s), buf, sizeof buf), 36);
	s = "{\"type\":\"thread.started\",\"thread_id\":\"01a209f9-4831-77a0-a6c6-e6f107c047e4\"}";
	ck_assert_uint_eq(agent__codex_json_ops.session(s, strlen(s), buf, sizeof buf), 36);
	s = "{\"type\":\"thread.started\",\"thread_id\":\"01a209f9-4831-77a0-a6c6-e6f107c047eg\"}";
	ck_assert_uint_eq(agent__codex_json_ops.session(s, strlen(s), buf, sizeof buf), 0);
	s = "{\"session_id\":\"x\",\"session_id\":\"" GM_SID "\"}";
	ck_assert_uint_eq(agent__gemini_stream_ops.session(s, strlen(s), buf, sizeof buf), 36);
}
END_TEST

START_TEST(a_new_session_id_in_the_same_log_is_announced)
{
	struct evlog l = { 0 };

	feed_str(&agent__opencode_json_ops, AGENT_D_OPENCODE_JSON,
	    "{\"type\":\"step_start\",\"sessionID\":\"" OC_SID "\"}\n"
	    "{\"type\":\"step_start\",\"sessionID\":\"" OC_SID "\"}\n"
	    "{\"type\":\"step_start\",\"sessionID\":\"ses_df60fc02bffesADN5iSiUraCW8\"}\n", &l);
	ck_assert_uint_eq(count(&l, AGENT_EV_SESSION), 2);
	is_str(l.v[l.n - 1].e.session, "ses_df60fc02bffesADN5iSiUraCW8");
	evlog_free(&l);
}
END_TEST

/* Bad input, for every JSON dialect: each row says how an assistant text
 * line of the dialect is written, and how many events such a line gives. */
static const struct {
	const struct agent_dialect_ops *ops;
	enum agent_dialect d;
	const char *pre, *post;
	size_t nev;
} all_ops[] = {
	{ &agent__claude_json_ops, AGENT_D_CLAUDE_STREAM,
	  "{\"type\":\"assistant\",\"message\":{\"content\":[{\"type\":\"text\",\"text\":\"", "\"}]}}", 1 },
	{ &agent__claude_json_ops, AGENT_D_CLAUDE_JSON,
	  "{\"type\":\"result\",\"is_error\":false,\"result\":\"", "\"}", 1 },
	{ &agent__codex_json_ops, AGENT_D_CODEX_JSON,
	  "{\"type\":\"item.completed\",\"item\":{\"type\":\"agent_message\",\"text\":\"", "\"}}", 1 },
	{ &agent__gemini_stream_ops, AGENT_D_GEMINI_STREAM,
	  "{\"type\":\"message\",\"role\":\"assistant\",\"delta\":true,\"content\":\"", "\"}", 1 },
	{ &agent__gemini_json_ops, AGENT_D_GEMINI_JSON, "{\"response\":\"", "\"}", 2 },
	{ &agent__opencode_json_ops, AGENT_D_OPENCODE_JSON,
	  "{\"type\":\"text\",\"part\":{\"type\":\"text\",\"text\":\"", "\"}}", 1 },
};

/* pre + body (blen bytes) + post */
static char *
wrap(size_t row, const char *body, size_t blen, size_t *len)
{
	size_t a = strlen(all_ops[row].pre), b = strlen(all_ops[row].post);
	char *s = malloc(a + blen + b + 1);

	ck_assert_ptr_nonnull(s);
	memcpy(s, all_ops[row].pre, a);
	memcpy(s + a, body, blen);
	memcpy(s + a + blen, all_ops[row].post, b + 1);
	*len = a + blen + b;
	return s;
}

START_TEST(bad_lines_never_crash_and_yield_nothing)
{
	static const char *const lines[] = {
		"{\"type\":\"result\",\"is_error\":false,\"session_id\":\"",  /* truncated */
		"{\"type\":\"turn.completed\"", "[1]", "\"x\"", "5", "null", "{", "}",
		"{\"type\":\"result\",,}", "{\"type\":\"result\",}", "{'type':1}",
		"\xff\xfe{\"type\":\"result\"", "{\"a\":\"\\ud800\"}", "{\"a\":\"\\udc00\\ud800\"}",
		"{\"a\":\"\\uZZZZ\"}", "", " ", "\t\r", "{\"type\":null,\"part\":5,\"item\":[]}",
		"{\"response\":5,\"error\":null}",
		"{\"type\":\"step_finish\",\"part\":{\"reason\":5}}",
	};
	const struct agent_dialect_ops *ops = all_ops[_i].ops;
	size_t i;

	for (i = 0; i < sizeof lines / sizeof lines[0]; i++) {
		struct evlog l = { 0 };

		ck_assert_int_eq(feed_str(ops, all_ops[_i].d, lines[i], &l), 0);
		ck_assert_msg(l.n == 0 || (i == 20 && all_ops[_i].d == AGENT_D_OPENCODE_JSON),
		    "line %zu gave %zu events", i, l.n);
		evlog_free(&l);
	}
}
END_TEST

START_TEST(nul_bytes_invalid_utf8_and_surrogates_are_survived)
{
	static const char nul[] = "a\0b";
	static const char bad[] = "\xff\xc0\\ud800 x\\u0000y\\ud83d\xe2\x82\\udfff";
	struct evlog l = { 0 };
	size_t len;
	char *s;

	s = wrap(_i, nul, sizeof nul - 1, &len);
	ck_assert_int_eq(feed(all_ops[_i].ops, all_ops[_i].d, s, len, &l), 0);
	ck_assert_uint_eq(l.n, 0);
	free(s);
	s = wrap(_i, bad, sizeof bad - 1, &len);
	ck_assert_int_eq(feed(all_ops[_i].ops, all_ops[_i].d, s, len, &l), 0);
	ck_assert_uint_eq(l.n, all_ops[_i].nev);
	ck_assert_ptr_nonnull(l.v[0].e.text);
	ck_assert_uint_eq(strncmp(l.v[0].e.text, "\xff\xc0\xef\xbf\xbd x", 7), 0);
	free(s);
	evlog_free(&l);
}
END_TEST

START_TEST(two_megabyte_line_is_parsed_and_its_half_is_not)
{
	size_t big = 2u << 20, len;
	char *x = malloc(big), *s;
	struct evlog l = { 0 };

	ck_assert_ptr_nonnull(x);
	memset(x, 'x', big);
	s = wrap(_i, x, big, &len);
	ck_assert_int_eq(feed(all_ops[_i].ops, all_ops[_i].d, s, len, &l), 0);
	ck_assert_uint_eq(l.n, all_ops[_i].nev);
	ck_assert_uint_eq(strlen(l.v[0].e.text), big);
	ck_assert_uint_le(strlen(l.v[0].e.title), 1000);
	evlog_free(&l);
	ck_assert_int_eq(feed(all_ops[_i].ops, all_ops[_i].d, s, len / 2, &l), 0);
	ck_assert_uint_eq(l.n, 0);
	free(s);
	free(x);
	evlog_free(&l);
}
END_TEST

START_TEST(wrong_field_types_are_ignored_per_field)
{
	static const char *const lines[] = {
		"{\"type\":\"thread.started\",\"thread_id\":5}",
		"{\"type\":\"init\",\"session_id\":{\"x\":1},\"model\":7}",
		"{\"type\":\"step_start\",\"sessionID\":[\"ses_df60fc02bffesADN5iSiUraCW7\"]}",
		"{\"session_id\":5,\"response\":[\"x\"]}",
		"{\"type\":\"tool_use\",\"tool_name\":5,\"tool_id\":{},\"parameters\":\"x\","
		"\"part\":{\"tool\":5,\"callID\":6,\"state\":\"x\"}}",
		"{\"type\":\"item.started\",\"item\":{\"type\":\"command_execution\",\"command\":5,"
		"\"exit_code\":\"0\"}}",
		"{\"type\":\"item.completed\",\"item\":{\"type\":\"file_change\",\"changes\":{\"a\":1}}}",
		"{\"type\":\"tool_result\",\"tool_id\":\"x__\",\"status\":9}",
	};
	size_t i;

	for (i = 0; i < sizeof lines / sizeof lines[0]; i++) {
		struct evlog l = { 0 };

		ck_assert_int_eq(feed_str(all_ops[_i].ops, all_ops[_i].d, lines[i], &l), 0);
		ck_assert_uint_eq(count(&l, AGENT_EV_SESSION), 0);
		ck_assert_ptr_null(final_ev(&l));
		evlog_free(&l);
	}
}
END_TEST

START_TEST(callback_nonzero_stops_parsing_and_is_returned)
{
	struct evlog l = { 0 };
	size_t len;
	char *data = slurp("claude/stream-json-happy.log", &len);

	l.stop_at = 3;
	ck_assert_int_eq(feed(&agent__claude_json_ops, AGENT_D_CLAUDE_STREAM, data, len, &l), 7);
	ck_assert_uint_eq(l.n, 3);
	evlog_free(&l);
	free(data);
}
END_TEST

START_TEST(object_glued_behind_text_or_followed_by_text_is_read)
{
	struct evlog l = { 0 };

	feed_str(&agent__claude_json_ops, AGENT_D_CLAUDE_JSON,
	    "{\"type\":\"result\",\"subtype\":\"success\",\"is_error\":false,\"result\":\"ok\"}"
	    "warning: something on stderr\n", &l);
	ck_assert_uint_eq(l.n, 1);
	ck_assert_int_eq(l.v[0].e.kind, AGENT_EV_DONE);
	evlog_free(&l);
	feed_str(&agent__codex_json_ops, AGENT_D_CODEX_JSON,
	    "some stderr text without newline{\"type\":\"turn.completed\",\"usage\":{}}\n", &l);
	ck_assert_uint_eq(l.n, 1);
	ck_assert_int_eq(l.v[0].e.kind, AGENT_EV_DONE);
	evlog_free(&l);
}
END_TEST

static Suite *
dialect_json_suite(void)
{
	Suite *s = suite_create("dialect_json");
	TCase *tc = tcase_create("fixtures");

	tcase_set_timeout(tc, 60);
	tcase_add_loop_test(tc, every_json_fixture_gives_manifest_session_and_final_event,
	    0, sizeof fixtures / sizeof fixtures[0]);
	tcase_add_test(tc, claude_stream_happy_gives_tools_paired_text_and_done);
	tcase_add_test(tc, claude_json_single_unterminated_result_line_is_done);
	tcase_add_test(tc, claude_sigint_gives_failed_tool_then_interrupt);
	tcase_add_test(tc, claude_sigterm_cutoff_ends_with_running_tool_and_no_final);
	tcase_add_test(tc, claude_api_errors_give_error_401_and_limit_429);
	tcase_add_test(tc, claude_partial_messages_are_steps_and_status);
	tcase_add_test(tc, codex_happy_gives_shell_and_file_tools_and_done);
	tcase_add_test(tc, codex_failed_command_is_tool_error_with_exit_code);
	tcase_add_test(tc, codex_401_gives_retry_errors_then_final_error);
	tcase_add_test(tc, callback_nonzero_stops_parsing_and_is_returned);
	tcase_add_test(tc, gemini_stream_happy_joins_deltas_and_pairs_tools);
	tcase_add_test(tc, gemini_stream_cutoff_ends_with_running_tool);
	tcase_add_test(tc, gemini_json_happy_gives_model_text_tokens_and_done);
	tcase_add_test(tc, opencode_happy_gives_completed_tools_steps_and_done);
	tcase_add_test(tc, opencode_tool_error_does_not_end_the_run);
	suite_add_tcase(s, tc);

	tc = tcase_create("synthetic");
	tcase_add_test(tc, claude_api_retry_is_nonfinal_error_even_for_429);
	tcase_add_test(tc, claude_result_error_kinds_by_status_and_text);
	tcase_add_test(tc, claude_interrupt_text_makes_error_result_an_interrupt);
	tcase_add_test(tc, claude_root_refusal_line_is_final_error);
	tcase_add_test(tc, claude_failed_bash_result_carries_exit_code_and_start_facts);
	tcase_add_test(tc, claude_tool_kinds_paths_and_titles);
	tcase_add_test(tc, claude_results_read_from_the_tail_still_name_their_tool);
	tcase_add_test(tc, claude_wrong_field_types_and_bad_ids_give_no_session);
	tcase_add_test(tc, claude_json_verbose_array_gives_every_message);
	tcase_add_test(tc, model_is_announced_once_until_it_changes);
	tcase_add_test(tc, blank_assistant_text_gives_no_text_event);
	tcase_add_test(tc, deeply_nested_tool_input_is_still_read);
	tcase_add_test(tc, claude_session_finder_reads_json_field_only);
	tcase_add_test(tc, codex_429_retries_stay_errors_and_failure_is_limit);
	tcase_add_test(tc, codex_file_change_gives_one_tool_per_change);
	tcase_add_test(tc, codex_plain_lines_skipped_but_fatal_error_line_is_final);
	tcase_add_test(tc, codex_items_warning_reasoning_and_shell_unwrapping);
	tcase_add_test(tc, object_glued_behind_text_or_followed_by_text_is_read);
	tcase_add_test(tc, gemini_deltas_at_end_of_input_are_flushed_and_capped);
	tcase_add_test(tc, gemini_stream_errors_limits_and_tool_failures);
	tcase_add_test(tc, gemini_json_error_object_among_stderr_noise_is_final);
	tcase_add_test(tc, gemini_json_unclosed_restarted_and_oversized_objects);
	tcase_add_test(tc, gemini_tool_kinds_paths_and_titles);
	tcase_add_test(tc, opencode_plain_errors_permission_and_limits);
	tcase_add_test(tc, opencode_apply_patch_gives_one_tool_per_file);
	tcase_add_test(tc, opencode_tool_kinds_paths_and_titles);
	tcase_add_test(tc, session_finders_check_id_shapes);
	tcase_add_test(tc, a_new_session_id_in_the_same_log_is_announced);
	suite_add_tcase(s, tc);

	tc = tcase_create("bad input");
	tcase_set_timeout(tc, 60);
	tcase_add_loop_test(tc, bad_lines_never_crash_and_yield_nothing, 0,
	    sizeof all_ops / sizeof all_ops[0]);
	tcase_add_loop_test(tc, nul_bytes_invalid_utf8_and_surrogates_are_survived, 0,
	    sizeof all_ops / sizeof all_ops[0]);
	tcase_add_loop_test(tc, two_megabyte_line_is_parsed_and_its_half_is_not, 0,
	    sizeof all_ops / sizeof all_ops[0]);
	tcase_add_loop_test(tc, wrong_field_types_are_ignored_per_field, 0,
	    sizeof all_ops / sizeof all_ops[0]);
	suite_add_tcase(s, tc);
	return s;
}

CHECK_MAIN(dialect_json_suite)
