/* check_dialect_text.c — the text dialect parsers (opencode run, OMO run,
 * codex exec, plain text): real fixtures, one synthetic line per rule, and
 * hostile input. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "check_main.h"
#include "dialect/parsers.h"

/* ---- collecting events ------------------------------------------------ */

struct ev {
	enum agent_ev_kind kind;
	enum agent_tool_status status;
	enum agent_tool_kind tkind;
	int final, exit_code, http_status;
	long line;
	char *session, *model, *tool, *path, *title, *text, *call_id;
};

struct evs {
	struct ev *v;
	int n, cap;
};

static char *
dup_or_null(const char *s)
{
	if (!s)
		return NULL;
	char *d = strdup(s);
	ck_assert_ptr_nonnull(d);
	return d;
}

static int
collect(const struct agent_event *e, void *arg)
{
	struct evs *l = arg;
	if (l->n == l->cap) {
		l->cap = l->cap ? 2 * l->cap : 64;
		l->v = realloc(l->v, (size_t)l->cap * sizeof *l->v);
		ck_assert_ptr_nonnull(l->v);
	}
	struct ev *v = &l->v[l->n++];
	v->kind = e->kind;
	v->status = e->status;
	v->tkind = e->tkind;
	v->final = e->final;
	v->exit_code = e->exit_code;
	v->http_status = e->http_status;
	v->line = e->line;
	v->session = dup_or_null(e->session);
	v->model = dup_or_null(e->model);
	v->tool = dup_or_null(e->tool);
	v->path = dup_or_null(e->path);
	v->title = dup_or_null(e->title);
	v->text = dup_or_null(e->text);
	v->call_id = dup_or_null(e->call_id);
	return 0;
}

static void
evs_free(struct evs *l)
{
	for (int i = 0; i < l->n; i++) {
		free(l->v[i].session);
		free(l->v[i].model);
		free(l->v[i].tool);
		free(l->v[i].path);
		free(l->v[i].title);
		free(l->v[i].text);
		free(l->v[i].call_id);
	}
	free(l->v);
	memset(l, 0, sizeof *l);
}

static const struct agent_dialect_ops *
ops_of(enum agent_dialect d)
{
	switch (d) {
	case AGENT_D_OPENCODE_TEXT: return &agent__opencode_text_ops;
	case AGENT_D_OMO: return &agent__omo_ops;
	case AGENT_D_CODEX_TEXT: return &agent__codex_text_ops;
	case AGENT_D_CLAUDE_TEXT: return &agent__claude_text_ops;
	case AGENT_D_GEMINI_TEXT: return &agent__gemini_text_ops;
	default: return &agent__generic_ops;
	}
}

/* Feeds buf (lines split at '\n', the newline not passed) to a new parser. */
static void
feed(enum agent_dialect d, const char *buf, size_t len, struct evs *out)
{
	const struct agent_dialect_ops *o = ops_of(d);
	void *st = o->new(d);
	ck_assert_ptr_nonnull(st);
	long ln = 0;
	size_t i = 0;
	while (i < len) {
		const char *nl = memchr(buf + i, '\n', len - i);
		size_t n = nl ? (size_t)(nl - (buf + i)) : len - i;
		ck_assert_int_eq(o->line(st, buf + i, n, ++ln, collect, out), 0);
		i += n + (nl != NULL);
	}
	if (o->end)
		ck_assert_int_eq(o->end(st, collect, out), 0);
	o->free(st);
}

static void
feed_str(enum agent_dialect d, const char *s, struct evs *out)
{
	feed(d, s, strlen(s), out);
}

/* As feed_str, told first that the lines start inside the log. */
static void
feed_mid(enum agent_dialect d, const char *s, struct evs *out)
{
	const struct agent_dialect_ops *o = ops_of(d);
	void *st = o->new(d);
	long ln = 0;
	ck_assert_ptr_nonnull(st);
	if (o->mid)
		o->mid(st);
	for (const char *nl; *s; s = nl ? nl + 1 : s + strlen(s)) {
		nl = strchr(s, '\n');
		ck_assert_int_eq(o->line(st, s, nl ? (size_t)(nl - s) : strlen(s), ++ln,
		                         collect, out), 0);
	}
	if (o->end)
		ck_assert_int_eq(o->end(st, collect, out), 0);
	o->free(st);
}

static char *
slurp(const char *rel, size_t *len)
{
	char path[4096];
	snprintf(path, sizeof path, "%s/%s", FIXTURES, rel);
	FILE *f = fopen(path, "rb");
	ck_assert_msg(f != NULL, "cannot open %s", path);
	char *buf = NULL;
	size_t cap = 0, n = 0, k;
	do {
		if (n + 4096 > cap) {
			cap = cap ? cap * 2 : 65536;
			buf = realloc(buf, cap);
			ck_assert_ptr_nonnull(buf);
		}
		k = fread(buf + n, 1, cap - n, f);
		n += k;
	} while (k > 0);
	fclose(f);
	*len = n;
	return buf;
}

static void
feed_fixture(enum agent_dialect d, const char *rel, struct evs *out)
{
	size_t len;
	char *buf = slurp(rel, &len);
	feed(d, buf, len, out);
	free(buf);
}

static int
count(const struct evs *l, enum agent_ev_kind k)
{
	int c = 0;
	for (int i = 0; i < l->n; i++)
		c += l->v[i].kind == k;
	return c;
}

/* The i-th event of kind k (0-based), NULL when fewer. */
static const struct ev *
nth(const struct evs *l, enum agent_ev_kind k, int i)
{
	for (int j = 0; j < l->n; j++)
		if (l->v[j].kind == k && i-- == 0)
			return &l->v[j];
	return NULL;
}

static const struct ev *
last(const struct evs *l)
{
	return l->n ? &l->v[l->n - 1] : NULL;
}

/* The last event that can end a run (DONE, final ERROR/LIMIT, INTERRUPT). */
static const struct ev *
last_final(const struct evs *l)
{
	for (int j = l->n - 1; j >= 0; j--)
		if (l->v[j].final)
			return &l->v[j];
	return NULL;
}

static int
has_text(const struct evs *l, const char *s)
{
	for (int i = 0; i < l->n; i++)
		if (l->v[i].kind == AGENT_EV_TEXT && l->v[i].text && strstr(l->v[i].text, s))
			return 1;
	return 0;
}

static void
is_tool(const struct ev *e, enum agent_tool_status st, enum agent_tool_kind k,
        const char *path, const char *title)
{
	ck_assert_ptr_nonnull(e);
	ck_assert_int_eq(e->kind, AGENT_EV_TOOL);
	ck_assert_int_eq(e->status, st);
	ck_assert_int_eq(e->tkind, k);
	if (path) {
		ck_assert_ptr_nonnull(e->path);
		ck_assert_str_eq(e->path, path);
	}
	if (title) {
		ck_assert_ptr_nonnull(e->title);
		ck_assert_str_eq(e->title, title);
	}
}

/* ==== opencode run ====================================================== */

START_TEST(oc_happy_fixture_reports_each_tool_completed_with_its_path)
{
	struct evs l = { 0 };
	feed_fixture(AGENT_D_OPENCODE_TEXT, "opencode/text-happy.log", &l);
	ck_assert_int_eq(count(&l, AGENT_EV_TOOL), 4);
	is_tool(nth(&l, AGENT_EV_TOOL, 0), AGENT_TOOL_COMPLETED, AGENT_TK_READ, "README.md", NULL);
	is_tool(nth(&l, AGENT_EV_TOOL, 1), AGENT_TOOL_COMPLETED, AGENT_TK_SHELL, NULL, "ls && echo hi");
	is_tool(nth(&l, AGENT_EV_TOOL, 2), AGENT_TOOL_COMPLETED, AGENT_TK_WRITE, "hello.txt", NULL);
	is_tool(nth(&l, AGENT_EV_TOOL, 3), AGENT_TOOL_COMPLETED, AGENT_TK_EDIT, "hello.txt", NULL);
	ck_assert_int_eq(nth(&l, AGENT_EV_TOOL, 0)->line, 5);
	evs_free(&l);
}
END_TEST

START_TEST(oc_happy_fixture_keeps_tool_bodies_out_of_assistant_text)
{
	struct evs l = { 0 };
	feed_fixture(AGENT_D_OPENCODE_TEXT, "opencode/text-happy.log", &l);
	ck_assert_int_eq(count(&l, AGENT_EV_TEXT), 5);
	ck_assert_str_eq(nth(&l, AGENT_EV_TEXT, 0)->title, "I'll read the README first.");
	ck_assert_str_eq(nth(&l, AGENT_EV_TEXT, 4)->text, "Done. Created hello.txt");
	ck_assert(!has_text(&l, "Wrote file successfully."));
	ck_assert(!has_text(&l, "hello opencode"));
	ck_assert(!has_text(&l, "opencode.json"));
	evs_free(&l);
}
END_TEST

START_TEST(oc_header_line_gives_agent_and_model)
{
	struct evs l = { 0 };
	feed_fixture(AGENT_D_OPENCODE_TEXT, "opencode/text-happy.log", &l);
	const struct ev *m = nth(&l, AGENT_EV_MODEL, 0);
	ck_assert_ptr_nonnull(m);
	ck_assert_str_eq(m->title, "build");
	ck_assert_str_eq(m->model, "fake-model");
	evs_free(&l);
}
END_TEST

START_TEST(oc_format_has_no_session_and_no_completion_marker)
{
	struct evs l = { 0 };
	feed_fixture(AGENT_D_OPENCODE_TEXT, "opencode/text-happy.log", &l);
	ck_assert_int_eq(count(&l, AGENT_EV_SESSION), 0);
	ck_assert_int_eq(count(&l, AGENT_EV_DONE), 0);
	ck_assert_ptr_null(last_final(&l));
	evs_free(&l);
}
END_TEST

START_TEST(oc_err401_fixture_ends_in_final_error_with_status_401)
{
	struct evs l = { 0 };
	feed_fixture(AGENT_D_OPENCODE_TEXT, "opencode/text-err401.log", &l);
	const struct ev *e = last(&l);
	ck_assert_int_eq(e->kind, AGENT_EV_ERROR);
	ck_assert_int_eq(e->final, 1);
	ck_assert_int_eq(e->http_status, 401);
	ck_assert_str_eq(e->text, "Incorrect API key provided: x");
	evs_free(&l);
}
END_TEST

START_TEST(oc_cutoff_and_stall_fixtures_have_no_final_event)
{
	struct evs l = { 0 };
	feed_fixture(AGENT_D_OPENCODE_TEXT, "opencode/text-cutoff-sigkill.log", &l);
	ck_assert_ptr_null(last_final(&l));
	ck_assert_int_eq(last(&l)->kind, AGENT_EV_TEXT);
	ck_assert_str_eq(last(&l)->text, "Running a long command.");
	evs_free(&l);
	feed_fixture(AGENT_D_OPENCODE_TEXT, "opencode/text-stall.log", &l);
	ck_assert_ptr_null(last_final(&l));
	ck_assert_int_eq(l.n, 1);
	ck_assert_int_eq(l.v[0].kind, AGENT_EV_MODEL);
	evs_free(&l);
}
END_TEST

START_TEST(oc_error_line_after_failed_tool_is_the_tools_error_not_a_run_error)
{
	struct evs l = { 0 };
	feed_str(AGENT_D_OPENCODE_TEXT,
	         "\x1b[0m\n"
	         "Reading a missing file.\n"
	         "\x1b[0m\xe2\x9c\x97 \x1b[0mRead missing.txt failed\n"
	         "\x1b[91m\x1b[1mError: \x1b[0mFile not found: /p/missing.txt\n"
	         "The file does not exist.\n", &l);
	ck_assert_int_eq(count(&l, AGENT_EV_ERROR), 0);
	const struct ev *t = nth(&l, AGENT_EV_TOOL, 0);
	is_tool(t, AGENT_TOOL_ERROR, AGENT_TK_READ, "missing.txt", NULL);
	ck_assert_str_eq(t->text, "File not found: /p/missing.txt");
	ck_assert_int_eq(t->line, 3);
	ck_assert_str_eq(last(&l)->text, "The file does not exist.");
	evs_free(&l);
}
END_TEST

START_TEST(oc_failed_tool_without_error_line_is_reported_anyway)
{
	struct evs l = { 0 };
	feed_str(AGENT_D_OPENCODE_TEXT, "\x1b[0m\xe2\x9c\x97 \x1b[0mls /nope failed", &l);
	ck_assert_int_eq(l.n, 1);
	ck_assert_int_eq(l.v[0].kind, AGENT_EV_TOOL);
	ck_assert_int_eq(l.v[0].status, AGENT_TOOL_ERROR);
	ck_assert_str_eq(l.v[0].title, "ls /nope");
	evs_free(&l);
}
END_TEST

START_TEST(oc_permission_auto_reject_is_a_nonfinal_error)
{
	struct evs l = { 0 };
	feed_str(AGENT_D_OPENCODE_TEXT,
	         "\x1b[93m\x1b[1m! \x1b[0mpermission requested: external_directory (/etc/*); auto-rejecting\n", &l);
	ck_assert_int_eq(l.n, 1);
	ck_assert_int_eq(l.v[0].kind, AGENT_EV_ERROR);
	ck_assert_int_eq(l.v[0].final, 0);
	ck_assert_ptr_nonnull(strstr(l.v[0].text, "permission requested: external_directory"));
	evs_free(&l);
}
END_TEST

START_TEST(oc_error_line_alone_is_final_and_rate_limits_are_limits)
{
	struct evs l = { 0 };
	feed_str(AGENT_D_OPENCODE_TEXT, "\x1b[91m\x1b[1mError: \x1b[0mSession not found\n", &l);
	ck_assert_int_eq(l.v[0].kind, AGENT_EV_ERROR);
	ck_assert_int_eq(l.v[0].final, 1);
	evs_free(&l);
	feed_str(AGENT_D_OPENCODE_TEXT, "\x1b[91m\x1b[1mError: \x1b[0mRate limit exceeded (429)\n", &l);
	ck_assert_int_eq(l.v[0].kind, AGENT_EV_LIMIT);
	ck_assert_int_eq(l.v[0].final, 1);
	ck_assert_int_eq(l.v[0].http_status, 429);
	evs_free(&l);
}
END_TEST

START_TEST(oc_icons_map_to_tool_kinds_and_descriptions_are_dropped)
{
	struct evs l = { 0 };
	feed_str(AGENT_D_OPENCODE_TEXT,
	         "\x1b[0m\xe2\x9c\xb1 \x1b[0mGlob \"*.c\"\x1b[2m in src \xc2\xb7 3 matches\x1b[0m\n"
	         "\x1b[0m\xe2\x9c\xb1 \x1b[0mGrep \"main\"\n"
	         "\x1b[0m% \x1b[0mWebFetch https://example.com/x\n"
	         "\x1b[0m\xe2\x86\x92 \x1b[0mRead src/a.c\x1b[2m [offset=10, limit=5]\x1b[0m\n"
	         "\x1b[0m\xe2\x86\x92 \x1b[0mList src\n"
	         "\x1b[0m\xe2\x9a\x99 \x1b[0mmytool {\"a\":1}\n"
	         "\x1b[0m% \x1b[0mPatch 2 files\n", &l);
	ck_assert_int_eq(l.n, 7);
	is_tool(&l.v[0], AGENT_TOOL_COMPLETED, AGENT_TK_SEARCH, NULL, "*.c");
	ck_assert_str_eq(l.v[0].tool, "glob");
	is_tool(&l.v[1], AGENT_TOOL_COMPLETED, AGENT_TK_SEARCH, NULL, "main");
	is_tool(&l.v[2], AGENT_TOOL_COMPLETED, AGENT_TK_FETCH, NULL, "https://example.com/x");
	is_tool(&l.v[3], AGENT_TOOL_COMPLETED, AGENT_TK_READ, "src/a.c", "src/a.c");
	is_tool(&l.v[4], AGENT_TOOL_COMPLETED, AGENT_TK_SEARCH, NULL, "src");
	is_tool(&l.v[5], AGENT_TOOL_COMPLETED, AGENT_TK_OTHER, NULL, NULL);
	ck_assert_str_eq(l.v[5].tool, "mytool");
	is_tool(&l.v[6], AGENT_TOOL_COMPLETED, AGENT_TK_EDIT, NULL, NULL);
	evs_free(&l);
}
END_TEST

START_TEST(oc_todo_block_body_is_not_text)
{
	struct evs l = { 0 };
	feed_str(AGENT_D_OPENCODE_TEXT,
	         "\x1b[0m\n\x1b[0m# \x1b[0mTodos\n[\xe2\x9c\x93] read\n[ ] write\n\x1b[0m\nNext.\n", &l);
	ck_assert_int_eq(l.n, 2);
	is_tool(&l.v[0], AGENT_TOOL_COMPLETED, AGENT_TK_TODO, NULL, NULL);
	ck_assert_str_eq(l.v[1].text, "Next.");
	evs_free(&l);
}
END_TEST

START_TEST(oc_empty_lines_inside_a_diff_do_not_end_the_block)
{
	struct evs l = { 0 };
	feed_str(AGENT_D_OPENCODE_TEXT,
	         "\x1b[0m\n\x1b[0m\xe2\x86\x90 \x1b[0mEdit a.txt\n@@ -1,3 +1,3 @@\n \n-x\n+y\n\n\x1b[0m\nAfter.\n", &l);
	ck_assert_int_eq(l.n, 2);
	ck_assert_int_eq(count(&l, AGENT_EV_TEXT), 1);
	ck_assert_str_eq(l.v[1].text, "After.");
	evs_free(&l);
}
END_TEST

START_TEST(oc_markdown_that_looks_like_a_tool_line_is_text_in_a_coloured_log)
{
	struct evs l = { 0 };
	feed_str(AGENT_D_OPENCODE_TEXT, "\x1b[0m\n# Plan\n$ make check\n", &l);
	ck_assert_int_eq(count(&l, AGENT_EV_TOOL), 0);
	ck_assert_int_eq(count(&l, AGENT_EV_TEXT), 2);
	evs_free(&l);
}
END_TEST

START_TEST(oc_tool_lines_without_any_escapes_are_still_tools)
{
	struct evs l = { 0 };
	feed_str(AGENT_D_OPENCODE_TEXT,
	         "> build \xc2\xb7 m\nLooking.\n\xe2\x86\x92 Read a.c\nError: boom\n", &l);
	ck_assert_int_eq(l.v[0].kind, AGENT_EV_MODEL);
	is_tool(&l.v[2], AGENT_TOOL_COMPLETED, AGENT_TK_READ, "a.c", NULL);
	ck_assert_int_eq(l.v[3].kind, AGENT_EV_ERROR);
	ck_assert_int_eq(l.v[3].final, 1);
	evs_free(&l);
}
END_TEST

START_TEST(oc_print_logs_lines_are_not_text_and_name_the_session)
{
	const char *line = "timestamp=2026-11-23T19:44:40.915Z level=INFO service=session "
	                   "id=ses_df60fc02bffesADN5iSiUraCW7 created";
	struct evs l = { 0 };
	char buf[64];
	feed_str(AGENT_D_OPENCODE_TEXT, line, &l);
	ck_assert_int_eq(l.n, 0);
	ck_assert_uint_eq(agent__opencode_text_ops.session(line, strlen(line), buf, sizeof buf), 30);
	ck_assert_str_eq(buf, "ses_df60fc02bffesADN5iSiUraCW7");
	ck_assert_uint_eq(agent__opencode_text_ops.session("Session: ses_df60fc02bffesADN5iSiUraCW7", 39,
	                                                   buf, sizeof buf), 0);
	evs_free(&l);
}
END_TEST

START_TEST(oc_thinking_lines_are_steps_not_text)
{
	struct evs l = { 0 };
	feed_str(AGENT_D_OPENCODE_TEXT, "Thinking: about the file\n", &l);
	ck_assert_int_eq(l.v[0].kind, AGENT_EV_STEP);
	evs_free(&l);
}
END_TEST

/* ==== oh-my-opencode ==================================================== */

START_TEST(omo_happy_fixture_reports_session_model_and_done)
{
	struct evs l = { 0 };
	feed_fixture(AGENT_D_OMO, "omo/happy.log", &l);
	const struct ev *s = nth(&l, AGENT_EV_SESSION, 0);
	ck_assert_str_eq(s->session, "ses_df60bda3bffeXCkoDZ48rADnTM");
	ck_assert_int_eq(s->line, 4);
	const struct ev *m = nth(&l, AGENT_EV_MODEL, 0);
	ck_assert_str_eq(m->model, "gpt-5.5");
	ck_assert_str_eq(m->title, "Hephaestus - Deep Agent");
	ck_assert_int_eq(last(&l)->kind, AGENT_EV_DONE);
	ck_assert_int_eq(last(&l)->final, 1);
	ck_assert_int_eq(count(&l, AGENT_EV_ERROR), 0);
	evs_free(&l);
}
END_TEST

START_TEST(omo_happy_fixture_tools_start_running_and_complete_at_output)
{
	struct evs l = { 0 };
	feed_fixture(AGENT_D_OMO, "omo/happy.log", &l);
	ck_assert_int_eq(count(&l, AGENT_EV_TOOL), 8);
	is_tool(nth(&l, AGENT_EV_TOOL, 0), AGENT_TOOL_RUNNING, AGENT_TK_READ,
	        "/home/dev/oc/omo-proj/README.md", NULL);
	is_tool(nth(&l, AGENT_EV_TOOL, 1), AGENT_TOOL_COMPLETED, AGENT_TK_READ,
	        "/home/dev/oc/omo-proj/README.md", NULL);
	is_tool(nth(&l, AGENT_EV_TOOL, 2), AGENT_TOOL_RUNNING, AGENT_TK_SHELL, NULL, "ls && echo hi");
	is_tool(nth(&l, AGENT_EV_TOOL, 3), AGENT_TOOL_COMPLETED, AGENT_TK_SHELL, NULL, "ls && echo hi");
	/* apply_patch: one event per file, by what the patch does to it */
	is_tool(nth(&l, AGENT_EV_TOOL, 4), AGENT_TOOL_RUNNING, AGENT_TK_WRITE, "hello.txt", NULL);
	is_tool(nth(&l, AGENT_EV_TOOL, 5), AGENT_TOOL_COMPLETED, AGENT_TK_WRITE, "hello.txt", NULL);
	is_tool(nth(&l, AGENT_EV_TOOL, 6), AGENT_TOOL_RUNNING, AGENT_TK_EDIT, "hello.txt", NULL);
	is_tool(nth(&l, AGENT_EV_TOOL, 7), AGENT_TOOL_COMPLETED, AGENT_TK_EDIT, "hello.txt", NULL);
	evs_free(&l);
}
END_TEST

START_TEST(omo_happy_fixture_keeps_tool_output_and_patches_out_of_text)
{
	struct evs l = { 0 };
	feed_fixture(AGENT_D_OMO, "omo/happy.log", &l);
	ck_assert_int_eq(count(&l, AGENT_EV_TEXT), 5);
	ck_assert_str_eq(nth(&l, AGENT_EV_TEXT, 0)->text, "I'll read the README first.");
	ck_assert_str_eq(nth(&l, AGENT_EV_TEXT, 4)->text, "Done. Created hello.txt");
	ck_assert(!has_text(&l, "Demo project"));
	ck_assert(!has_text(&l, "Success. Updated"));
	ck_assert(!has_text(&l, "hello world"));
	ck_assert(!has_text(&l, "gpt-5.5"));
	evs_free(&l);
}
END_TEST

START_TEST(omo_cutoff_fixture_ends_with_a_running_tool_and_no_final_event)
{
	struct evs l = { 0 };
	feed_fixture(AGENT_D_OMO, "omo/cutoff-sigterm.log", &l);
	ck_assert_ptr_null(last_final(&l));
	const struct ev *t = nth(&l, AGENT_EV_TOOL, 0);
	is_tool(t, AGENT_TOOL_RUNNING, AGENT_TK_SHELL, NULL, "sleep 60");
	ck_assert_int_eq(count(&l, AGENT_EV_TOOL), 1);
	ck_assert_str_eq(nth(&l, AGENT_EV_SESSION, 0)->session, "ses_df60a7513ffe8deB39MhHlv3A0");
	evs_free(&l);
}
END_TEST

START_TEST(omo_err401_fixture_ends_in_final_error)
{
	struct evs l = { 0 };
	feed_fixture(AGENT_D_OMO, "omo/err401.log", &l);
	const struct ev *e = last_final(&l);
	ck_assert_ptr_nonnull(e);
	ck_assert_int_eq(e->kind, AGENT_EV_ERROR);
	ck_assert_int_eq(e->http_status, 401);
	ck_assert_str_eq(e->text, "Incorrect API key provided: x");
	ck_assert_int_eq(count(&l, AGENT_EV_DONE), 0);
	ck_assert(!has_text(&l, "Check if todos"));
	evs_free(&l);
}
END_TEST

START_TEST(omo_resume_badid_fixture_is_a_final_error_without_session)
{
	struct evs l = { 0 };
	feed_fixture(AGENT_D_OMO, "omo/resume-badid.log", &l);
	ck_assert_int_eq(count(&l, AGENT_EV_SESSION), 0);
	ck_assert_int_eq(last(&l)->kind, AGENT_EV_ERROR);
	ck_assert_int_eq(last(&l)->final, 1);
	ck_assert_str_eq(last(&l)->text, "Session not found: ses_doesnotexist000000000000");
	evs_free(&l);
}
END_TEST

START_TEST(omo_json_result_next_to_all_tasks_completed_is_one_completion)
{
	struct evs l = { 0 };
	/* oh-my-opencode 4.19.4 run --json, 2>&1 (captured against the fake) */
	feed_str(AGENT_D_OMO, "  Done.\n\n\nAll tasks completed.\n"
	         "{\"sessionId\":\"ses_df3700134ffegMyjuYompmvFJv\",\"success\":true,"
	         "\"durationMs\":31560,\"messageCount\":4,\"summary\":\"Done.\"}\n", &l);
	ck_assert_int_eq(count(&l, AGENT_EV_DONE), 1);
	ck_assert_int_eq(last(&l)->kind, AGENT_EV_DONE);
	evs_free(&l);
	/* the result line alone (stdout only) is the completion and the session */
	feed_str(AGENT_D_OMO, "{\"sessionId\":\"ses_df3700134ffegMyjuYompmvFJv\",\"success\":true}\n", &l);
	ck_assert_int_eq(count(&l, AGENT_EV_DONE), 1);
	ck_assert_int_eq(count(&l, AGENT_EV_SESSION), 1);
	evs_free(&l);
	feed_str(AGENT_D_OMO, "{\"sessionId\":\"ses_x\",\"success\":false,\"error\":\"boom\"}\n", &l);
	ck_assert_int_eq(count(&l, AGENT_EV_DONE), 0);
	ck_assert_int_eq(last(&l)->kind, AGENT_EV_ERROR);
	evs_free(&l);
}
END_TEST

START_TEST(omo_resume_fixture_keeps_the_session_and_completes)
{
	struct evs l = { 0 };
	feed_fixture(AGENT_D_OMO, "omo/resume.log", &l);
	ck_assert_str_eq(nth(&l, AGENT_EV_SESSION, 0)->session, "ses_df60bda3bffeXCkoDZ48rADnTM");
	ck_assert_int_eq(last(&l)->kind, AGENT_EV_DONE);
	evs_free(&l);
}
END_TEST

START_TEST(omo_verbose_fixture_joins_text_cut_by_event_lines)
{
	struct evs l = { 0 };
	feed_fixture(AGENT_D_OMO, "omo/verbose-happy.log", &l);
	ck_assert(has_text(&l, "I'll read the README first."));
	ck_assert(has_text(&l, "Now listing the directory."));
	ck_assert(has_text(&l, "Done. Created hello.txt"));
	ck_assert(!has_text(&l, "[MAIN]"));
	ck_assert(!has_text(&l, "[system]"));
	ck_assert(!has_text(&l, "Read README.md, list files"));   /* the prompt */
	ck_assert_int_eq(count(&l, AGENT_EV_TEXT), 5);
	ck_assert_int_eq(last(&l)->kind, AGENT_EV_DONE);
	evs_free(&l);
}
END_TEST

START_TEST(omo_verbose_tool_brackets_add_only_failures)
{
	struct evs l = { 0 };
	/* running / completed repeat what the header and output lines say */
	feed_str(AGENT_D_OMO,
	         "[MAIN] message.part (tool): bash [pending]\n"
	         "[MAIN] message.part (tool): bash [running]\n"
	         "[10:00:00]   $ make  \n"
	         "[MAIN] message.part (tool): bash [running]\n"
	         "[MAIN] message.part (tool): bash [error]\n"
	         "[10:00:01]   \xe2\x94\x94\xe2\x94\x80 output  \n"
	         "[10:00:01]   make: *** no rule  \n"
	         "[ses_abcd] message.part (tool): read [error]\n"
	         "[MAIN] message.part.delta (text): \"x\"\n"
	         "[system] plugin.added\n"
	         "[MAIN] message.part (tool): grep [error]\n", &l);
	ck_assert_int_eq(count(&l, AGENT_EV_TOOL), 3);
	is_tool(nth(&l, AGENT_EV_TOOL, 0), AGENT_TOOL_RUNNING, AGENT_TK_SHELL, NULL, "make");
	is_tool(nth(&l, AGENT_EV_TOOL, 1), AGENT_TOOL_ERROR, AGENT_TK_SHELL, NULL, "make");
	ck_assert_str_eq(nth(&l, AGENT_EV_TOOL, 1)->tool, "bash");
	is_tool(nth(&l, AGENT_EV_TOOL, 2), AGENT_TOOL_ERROR, AGENT_TK_SEARCH, NULL, "grep");
	ck_assert(!has_text(&l, "no rule"));
	evs_free(&l);
}
END_TEST

START_TEST(omo_tool_start_and_end_share_a_call_id)
{
	struct evs l = { 0 };
	feed_fixture(AGENT_D_OMO, "omo/happy.log", &l);
	for (int i = 0; i < 8; i += 2) {
		const struct ev *a = nth(&l, AGENT_EV_TOOL, i), *b = nth(&l, AGENT_EV_TOOL, i + 1);
		ck_assert_ptr_nonnull(a->call_id);
		ck_assert_str_eq(a->call_id, b->call_id);
		if (i)
			ck_assert_str_ne(a->call_id, nth(&l, AGENT_EV_TOOL, i - 1)->call_id);
	}
	evs_free(&l);
	feed_fixture(AGENT_D_CODEX_TEXT, "codex/exec-text-happy.log", &l);
	ck_assert_str_eq(nth(&l, AGENT_EV_TOOL, 0)->call_id, nth(&l, AGENT_EV_TOOL, 1)->call_id);
	ck_assert_str_ne(nth(&l, AGENT_EV_TOOL, 0)->call_id, nth(&l, AGENT_EV_TOOL, 2)->call_id);
	evs_free(&l);
}
END_TEST

START_TEST(omo_reasoning_block_is_a_step_not_text)
{
	struct evs l = { 0 };
	feed_str(AGENT_D_OMO,
	         "[10:00:00] \n"
	         "[10:00:00]   \xe2\x94\x83  Thinking: I should look  \n"
	         "[10:00:00]   at the file first.  \n"
	         "[10:00:00] \n"
	         "[10:00:01]   Reading it.\n", &l);
	ck_assert_int_eq(l.n, 2);
	ck_assert_int_eq(l.v[0].kind, AGENT_EV_STEP);
	ck_assert_str_eq(l.v[1].text, "Reading it.");
	evs_free(&l);
}
END_TEST

START_TEST(omo_lines_without_timestamps_parse_the_same)
{
	struct evs a = { 0 }, b = { 0 };
	size_t len;
	char *buf = slurp("omo/happy.log", &len);
	char *out = malloc(len + 1);
	size_t o = 0;
	ck_assert_ptr_nonnull(out);
	/* --no-timestamp: drop every "[HH:MM:SS] " prefix */
	for (size_t i = 0; i < len; ) {
		if (len - i >= 11 && buf[i] == '[' && buf[i + 3] == ':' && buf[i + 6] == ':' &&
		    buf[i + 9] == ']' && (i == 0 || buf[i - 1] == '\n'))
			i += buf[i + 10] == ' ' ? 11 : 10;
		out[o++] = buf[i++];
	}
	feed(AGENT_D_OMO, buf, len, &a);
	feed(AGENT_D_OMO, out, o, &b);
	ck_assert_int_eq(a.n, b.n);
	for (int i = 0; i < a.n; i++) {
		ck_assert_int_eq(a.v[i].kind, b.v[i].kind);
		ck_assert_int_eq(a.v[i].status, b.v[i].status);
		ck_assert_int_eq(a.v[i].tkind, b.v[i].tkind);
	}
	free(buf);
	free(out);
	evs_free(&a);
	evs_free(&b);
}
END_TEST

START_TEST(omo_ci_tree_marker_works_like_the_box_drawing_one)
{
	struct evs l = { 0 };
	feed_str(AGENT_D_OMO,
	         "\n  fake-model  \n  `- Sisyphus - ultraworker  \n\n"
	         "  Reading.\n  \xe2\x86\x92 Read /p/a.c  \n\n"
	         "  `- Sisyphus - ultraworker \xc2\xb7 fake-model \xc2\xb7 0.3s  \n"
	         "  `- output  \n  int main;  \n\n", &l);
	const struct ev *m = nth(&l, AGENT_EV_MODEL, 0);
	ck_assert_str_eq(m->model, "fake-model");
	ck_assert_str_eq(m->title, "Sisyphus - ultraworker");
	is_tool(nth(&l, AGENT_EV_TOOL, 0), AGENT_TOOL_RUNNING, AGENT_TK_READ, "/p/a.c", NULL);
	is_tool(nth(&l, AGENT_EV_TOOL, 1), AGENT_TOOL_COMPLETED, AGENT_TK_READ, "/p/a.c", NULL);
	ck_assert_int_eq(nth(&l, AGENT_EV_STEP, 0)->line, 8);
	ck_assert(!has_text(&l, "int main"));
	evs_free(&l);
}
END_TEST

START_TEST(omo_header_icons_map_to_tool_kinds)
{
	struct evs l = { 0 };
	feed_str(AGENT_D_OMO,
	         "[10:00:00]   \xe2\x9c\xb1 Glob \"**/*.ts\"  \n"
	         "[10:00:01]   \xe2\x9c\xb1 Grep \"TODO\"  \n"
	         "[10:00:02]   % WebFetch https://example.com  \n"
	         "[10:00:03]   # Explore the repo agent=explore  \n"
	         "[10:00:04]   # Todos  \n"
	         "[10:00:05]   \xe2\x86\x90 Write /p/new.txt  \n"
	         "[10:00:06]   \xe2\x86\x90 Edit /p/old.txt  \n"
	         "[10:00:07]   \xe2\x9a\x99 lsp_diagnostics filePath=/p/a.ts  \n", &l);
	/* each header ends the tool before it */
	ck_assert_int_eq(count(&l, AGENT_EV_TOOL), 15);
	is_tool(nth(&l, AGENT_EV_TOOL, 0), AGENT_TOOL_RUNNING, AGENT_TK_SEARCH, NULL, "**/*.ts");
	is_tool(nth(&l, AGENT_EV_TOOL, 1), AGENT_TOOL_COMPLETED, AGENT_TK_SEARCH, NULL, "**/*.ts");
	is_tool(nth(&l, AGENT_EV_TOOL, 2), AGENT_TOOL_RUNNING, AGENT_TK_SEARCH, NULL, "TODO");
	is_tool(nth(&l, AGENT_EV_TOOL, 4), AGENT_TOOL_RUNNING, AGENT_TK_FETCH, NULL, "https://example.com");
	is_tool(nth(&l, AGENT_EV_TOOL, 6), AGENT_TOOL_RUNNING, AGENT_TK_TASK, NULL, NULL);
	is_tool(nth(&l, AGENT_EV_TOOL, 8), AGENT_TOOL_RUNNING, AGENT_TK_TODO, NULL, NULL);
	is_tool(nth(&l, AGENT_EV_TOOL, 10), AGENT_TOOL_RUNNING, AGENT_TK_WRITE, "/p/new.txt", NULL);
	is_tool(nth(&l, AGENT_EV_TOOL, 12), AGENT_TOOL_RUNNING, AGENT_TK_EDIT, "/p/old.txt", NULL);
	is_tool(nth(&l, AGENT_EV_TOOL, 14), AGENT_TOOL_RUNNING, AGENT_TK_OTHER, NULL, NULL);
	ck_assert_str_eq(nth(&l, AGENT_EV_TOOL, 14)->tool, "lsp_diagnostics");
	evs_free(&l);
}
END_TEST

START_TEST(omo_apply_patch_names_every_file_with_its_operation)
{
	struct evs l = { 0 };
	feed_str(AGENT_D_OMO,
	         "[10:00:00]   \xe2\x9a\x99 apply_patch patchText=*** Begin Patch\n"
	         "[10:00:00] *** Add File: a.txt\n"
	         "[10:00:00] +x\n"
	         "[10:00:00] *** Update File: b.txt\n"
	         "[10:00:00] *** Delete File: c.txt\n"
	         "[10:00:00] *** End Patch  \n"
	         "[10:00:00] \n"
	         "[10:00:01]   \xe2\x94\x94\xe2\x94\x80 output  \n"
	         "[10:00:01]   Success.  \n", &l);
	ck_assert_int_eq(count(&l, AGENT_EV_TOOL), 6);
	is_tool(nth(&l, AGENT_EV_TOOL, 0), AGENT_TOOL_RUNNING, AGENT_TK_WRITE, "a.txt", NULL);
	is_tool(nth(&l, AGENT_EV_TOOL, 1), AGENT_TOOL_RUNNING, AGENT_TK_EDIT, "b.txt", NULL);
	is_tool(nth(&l, AGENT_EV_TOOL, 2), AGENT_TOOL_RUNNING, AGENT_TK_DELETE, "c.txt", NULL);
	is_tool(nth(&l, AGENT_EV_TOOL, 5), AGENT_TOOL_COMPLETED, AGENT_TK_DELETE, "c.txt", NULL);
	ck_assert_int_eq(count(&l, AGENT_EV_TEXT), 0);
	evs_free(&l);
}
END_TEST

START_TEST(omo_multiline_command_header_is_one_tool)
{
	struct evs l = { 0 };
	feed_str(AGENT_D_OMO,
	         "[10:00:00]   $ cat > f <<EOF\n"
	         "[10:00:00] line two\n"
	         "[10:00:00] EOF  \n"
	         "[10:00:01]   Next text.\n", &l);
	ck_assert_int_eq(count(&l, AGENT_EV_TOOL), 1);
	is_tool(nth(&l, AGENT_EV_TOOL, 0), AGENT_TOOL_RUNNING, AGENT_TK_SHELL, NULL, "cat > f <<EOF");
	ck_assert_int_eq(count(&l, AGENT_EV_TEXT), 1);
	ck_assert(has_text(&l, "Next text."));
	evs_free(&l);
}
END_TEST

START_TEST(omo_end_states_interrupt_errors_and_limits)
{
	struct evs l = { 0 };
	feed_str(AGENT_D_OMO, "[10:00:00] Interrupted. Shutting down...\n", &l);
	ck_assert_int_eq(l.v[0].kind, AGENT_EV_INTERRUPT);
	ck_assert_int_eq(l.v[0].final, 1);
	evs_free(&l);
	feed_str(AGENT_D_OMO, "\n[session.error] Rate limit reached for requests (429)\n", &l);
	ck_assert_int_eq(l.v[0].kind, AGENT_EV_LIMIT);
	ck_assert_int_eq(l.v[0].final, 1);
	evs_free(&l);
	feed_str(AGENT_D_OMO, "Error: Session errored before prompt started: Agent not found\n", &l);
	ck_assert_int_eq(l.v[0].kind, AGENT_EV_ERROR);
	ck_assert_int_eq(l.v[0].final, 1);
	evs_free(&l);
	feed_str(AGENT_D_OMO, "[MAIN] SESSION.ERROR: boom\n", &l);
	ck_assert_int_eq(l.v[0].kind, AGENT_EV_ERROR);
	ck_assert_int_eq(l.v[0].final, 0);
	evs_free(&l);
	feed_str(AGENT_D_OMO, "    at run (file:///x/index.js:10:5)\n", &l);
	ck_assert_int_eq(l.n, 0);
	evs_free(&l);
}
END_TEST

START_TEST(omo_json_result_line_gives_session_and_outcome)
{
	struct evs l = { 0 };
	char buf[64];
	const char *ok = "{\"sessionId\":\"ses_df60bda3bffeXCkoDZ48rADnTM\",\"success\":true,"
	                 "\"durationMs\":9969,\"messageCount\":5,\"summary\":\"Done.\"}";
	feed_str(AGENT_D_OMO, ok, &l);
	ck_assert_int_eq(l.n, 2);
	ck_assert_str_eq(l.v[0].session, "ses_df60bda3bffeXCkoDZ48rADnTM");
	ck_assert_int_eq(l.v[1].kind, AGENT_EV_DONE);
	ck_assert_int_eq(l.v[1].final, 1);
	evs_free(&l);
	feed_str(AGENT_D_OMO, "{\"sessionId\":\"ses_df60bda3bffeXCkoDZ48rADnTM\",\"success\":false}", &l);
	ck_assert_int_eq(l.v[1].kind, AGENT_EV_ERROR);
	ck_assert_int_eq(l.v[1].final, 1);
	evs_free(&l);
	ck_assert_uint_eq(agent__omo_ops.session(ok, strlen(ok), buf, sizeof buf), 30);
	ck_assert_str_eq(buf, "ses_df60bda3bffeXCkoDZ48rADnTM");
}
END_TEST

START_TEST(omo_session_op_reads_the_marker_with_or_without_timestamp)
{
	char buf[64];
	ck_assert_uint_eq(agent__omo_ops.session("[19:48:45] Session: ses_df60bda3bffeXCkoDZ48rADnTM", 50,
	                                         buf, sizeof buf), 30);
	ck_assert_str_eq(buf, "ses_df60bda3bffeXCkoDZ48rADnTM");
	ck_assert_uint_eq(agent__omo_ops.session("Session: ses_df60bda3bffeXCkoDZ48rADnTM", 39,
	                                         buf, sizeof buf), 30);
	ck_assert_uint_eq(agent__omo_ops.session("  I said Session: ses_df60bda3bffeXCkoDZ48rADnTM", 48,
	                                         buf, sizeof buf), 0);
	/* a short buffer gets a cut, terminated id */
	ck_assert_uint_eq(agent__omo_ops.session("Session: ses_df60bda3bffeXCkoDZ48rADnTM", 39, buf, 5), 4);
	ck_assert_str_eq(buf, "ses_");
	ck_assert_uint_eq(agent__omo_ops.session("Session: ses_df60bda3bffeXCkoDZ48rADnTM", 39, buf, 0), 0);
}
END_TEST

START_TEST(omo_tool_without_output_ends_when_the_next_tool_starts)
{
	struct evs l = { 0 };
	feed_str(AGENT_D_OMO,
	         "[10:00:00]   $ true  \n[10:00:00] \n"
	         "[10:00:01]   \xe2\x86\x92 Read /p/a  \n", &l);
	ck_assert_int_eq(l.n, 3);
	is_tool(&l.v[1], AGENT_TOOL_COMPLETED, AGENT_TK_SHELL, NULL, "true");
	ck_assert_int_eq(l.v[1].line, 3);
	evs_free(&l);
}
END_TEST

START_TEST(omo_ansi_coloured_lines_parse_like_plain_ones)
{
	struct evs l = { 0 };
	feed_str(AGENT_D_OMO,
	         "\x1b[2m[10:00:00]\x1b[22m Session: ses_df60bda3bffeXCkoDZ48rADnTM\n"
	         "\x1b[31m\n[session.error] \x1b[1mbad\x1b[0m\n", &l);
	ck_assert_int_eq(l.v[0].kind, AGENT_EV_SESSION);
	ck_assert_int_eq(last(&l)->kind, AGENT_EV_ERROR);
	ck_assert_str_eq(last(&l)->text, "bad");
	evs_free(&l);
}
END_TEST

/* ==== codex exec ======================================================== */

START_TEST(cx_happy_fixture_reports_session_model_and_done)
{
	struct evs l = { 0 };
	feed_fixture(AGENT_D_CODEX_TEXT, "codex/exec-text-happy.log", &l);
	ck_assert_str_eq(nth(&l, AGENT_EV_SESSION, 0)->session, "01a209f9-6da9-72e0-9602-0d3ba67cb8ef");
	ck_assert_str_eq(nth(&l, AGENT_EV_MODEL, 0)->model, "gpt-5.5");
	ck_assert_int_eq(last(&l)->kind, AGENT_EV_DONE);
	ck_assert_int_eq(last(&l)->final, 1);
	ck_assert_int_eq(last(&l)->line, 41);
	evs_free(&l);
}
END_TEST

START_TEST(cx_happy_fixture_text_is_the_agents_not_the_prompt_or_stdout_copy)
{
	struct evs l = { 0 };
	feed_fixture(AGENT_D_CODEX_TEXT, "codex/exec-text-happy.log", &l);
	ck_assert_int_eq(count(&l, AGENT_EV_TEXT), 2);
	ck_assert_str_eq(nth(&l, AGENT_EV_TEXT, 0)->text, "I'll read the file first.");
	ck_assert_str_eq(nth(&l, AGENT_EV_TEXT, 1)->text, "Done.");
	ck_assert(!has_text(&l, "Read input.txt"));
	ck_assert(!has_text(&l, "some input content"));
	evs_free(&l);
}
END_TEST

START_TEST(cx_happy_fixture_commands_and_patch_are_tools)
{
	struct evs l = { 0 };
	feed_fixture(AGENT_D_CODEX_TEXT, "codex/exec-text-happy.log", &l);
	ck_assert_int_eq(count(&l, AGENT_EV_TOOL), 5);
	is_tool(nth(&l, AGENT_EV_TOOL, 0), AGENT_TOOL_RUNNING, AGENT_TK_SHELL, NULL, "cat input.txt");
	is_tool(nth(&l, AGENT_EV_TOOL, 1), AGENT_TOOL_COMPLETED, AGENT_TK_SHELL, NULL, "cat input.txt");
	ck_assert_int_eq(nth(&l, AGENT_EV_TOOL, 1)->exit_code, 0);
	is_tool(nth(&l, AGENT_EV_TOOL, 3), AGENT_TOOL_COMPLETED, AGENT_TK_SHELL, NULL, "echo hi");
	is_tool(nth(&l, AGENT_EV_TOOL, 4), AGENT_TOOL_COMPLETED, AGENT_TK_WRITE,
	        "/home/dev/agents/codex/w-text-happy/output.txt", NULL);
	evs_free(&l);
}
END_TEST

START_TEST(cx_failed_command_is_a_tool_error_with_its_exit_code)
{
	struct evs l = { 0 };
	feed_str(AGENT_D_CODEX_TEXT,
	         "exec\n/bin/bash -lc 'ls /nonexistent-dir' in /w\n exited 2 in 3ms:\n"
	         "ls: cannot access '/nonexistent-dir'\nERROR: not ours\n", &l);
	ck_assert_int_eq(l.n, 2);
	is_tool(&l.v[1], AGENT_TOOL_ERROR, AGENT_TK_SHELL, NULL, "ls /nonexistent-dir");
	ck_assert_int_eq(l.v[1].exit_code, 2);
	evs_free(&l);
}
END_TEST

START_TEST(cx_shell_quoting_is_undone_in_the_title)
{
	struct evs l = { 0 };
	feed_str(AGENT_D_CODEX_TEXT, "exec\n/bin/bash -lc 'echo '\\''hi'\\''' in /w\n", &l);
	ck_assert_str_eq(l.v[0].title, "echo 'hi'");
	evs_free(&l);
}
END_TEST

START_TEST(cx_reconnects_are_notices_and_the_repeated_final_error_counts_once)
{
	struct evs l = { 0 };
	feed_str(AGENT_D_CODEX_TEXT,
	         "ERROR: Reconnecting... 1/5 (unexpected status 401 Unauthorized)\n"
	         "ERROR: Reconnecting... 2/5\n"
	         "ERROR: unexpected status 401 Unauthorized: bad key, url: http://x\n"
	         "ERROR: unexpected status 401 Unauthorized: bad key, url: http://x\n", &l);
	ck_assert_int_eq(l.n, 3);
	ck_assert_int_eq(l.v[0].final, 0);
	ck_assert_int_eq(l.v[0].http_status, 401);
	ck_assert_int_eq(l.v[2].kind, AGENT_EV_ERROR);
	ck_assert_int_eq(l.v[2].final, 1);
	ck_assert_int_eq(l.v[2].http_status, 401);
	evs_free(&l);
	feed_str(AGENT_D_CODEX_TEXT,
	         "ERROR: exceeded retry limit, last status: 429 Too Many Requests, request id: x\n", &l);
	ck_assert_int_eq(l.v[0].kind, AGENT_EV_LIMIT);
	ck_assert_int_eq(l.v[0].final, 1);
	ck_assert_int_eq(l.v[0].http_status, 429);
	evs_free(&l);
}
END_TEST

START_TEST(cx_retry_notice_after_command_output_still_counts)
{
	struct evs l = { 0 };
	feed_str(AGENT_D_CODEX_TEXT,
	         "exec\n/bin/bash -lc 'make' in /w\n succeeded in 3ms:\nok\n"
	         "ERROR: Reconnecting... 1/5\nERROR: stream disconnected\n", &l);
	ck_assert_int_eq(count(&l, AGENT_EV_ERROR), 2);
	ck_assert_int_eq(last(&l)->final, 1);
	evs_free(&l);
}
END_TEST

START_TEST(cx_read_from_inside_the_log_an_error_line_of_command_output_is_not_an_error)
{
	struct evs l = { 0 };
	/* a tail read that starts in the output of `seq 1 80; echo 'ERROR: …'`
	 * (captured from codex 0.169.0 against the e2e fake model) */
	feed_mid(AGENT_D_CODEX_TEXT,
	         "79\n80\nERROR: a line of the command output\n\ncodex\n"
	         "Running a long command.\nexec\n/bin/bash -lc 'sleep 60' in /w\n", &l);
	ck_assert_int_eq(count(&l, AGENT_EV_ERROR), 0);
	ck_assert_int_eq(last(&l)->kind, AGENT_EV_TOOL);
	evs_free(&l);
	/* the same output as the last lines read: still not codex's */
	feed_mid(AGENT_D_CODEX_TEXT, "79\n80\nERROR: a line of the command output\n", &l);
	ck_assert_int_eq(count(&l, AGENT_EV_ERROR), 0);
	evs_free(&l);
	feed_mid(AGENT_D_CODEX_TEXT, "ERROR: one\nERROR: two\n", &l);
	ck_assert_int_eq(count(&l, AGENT_EV_ERROR), 0);
	evs_free(&l);
	/* "Error: " there is no more codex's than "ERROR: " */
	feed_mid(AGENT_D_CODEX_TEXT, "80\nError: from a test runner\n", &l);
	ck_assert_int_eq(count(&l, AGENT_EV_ERROR), 0);
	evs_free(&l);
	/* read from the head, an ERROR line outside a section is codex's */
	feed_str(AGENT_D_CODEX_TEXT, "ERROR: a line of the command output\n", &l);
	ck_assert_int_eq(count(&l, AGENT_EV_ERROR), 1);
	evs_free(&l);
}
END_TEST

START_TEST(cx_read_from_inside_the_log_codex_errors_still_count)
{
	struct evs l = { 0 };
	/* the final error, printed twice, without the notices before it */
	feed_mid(AGENT_D_CODEX_TEXT,
	         "80\nERROR: unexpected status 401 Unauthorized: bad key\n"
	         "ERROR: unexpected status 401 Unauthorized: bad key\n", &l);
	ck_assert_int_eq(count(&l, AGENT_EV_ERROR), 1);
	ck_assert_int_eq(last(&l)->final, 1);
	ck_assert_int_eq(last(&l)->http_status, 401);
	evs_free(&l);
	/* with the notices (err401 captured from codex 0.169.0) */
	feed_mid(AGENT_D_CODEX_TEXT,
	         "user\ndo it\nERROR: Reconnecting... 4/5\nERROR: Reconnecting... 5/5\n"
	         "ERROR: unexpected status 401 Unauthorized: Incorrect API key provided: x, url: http://h/v1/responses\n"
	         "ERROR: unexpected status 401 Unauthorized: Incorrect API key provided: x, url: http://h/v1/responses\n", &l);
	ck_assert_int_eq(count(&l, AGENT_EV_ERROR), 3);
	ck_assert_int_eq(last(&l)->final, 1);
	evs_free(&l);
	feed_mid(AGENT_D_CODEX_TEXT,
	         "ok\nERROR: Reconnecting... 5/5\nERROR: stream disconnected\n", &l);
	ck_assert_int_eq(count(&l, AGENT_EV_ERROR), 2);
	ck_assert_int_eq(last(&l)->final, 1);
	evs_free(&l);
	/* once a section has placed the reader, the usual rules hold */
	feed_mid(AGENT_D_CODEX_TEXT, "80\ncodex\nhi\nERROR: boom\n", &l);
	ck_assert_int_eq(count(&l, AGENT_EV_ERROR), 1);
	evs_free(&l);
}
END_TEST

START_TEST(cx_bad_resume_is_a_final_error)
{
	struct evs l = { 0 };
	feed_str(AGENT_D_CODEX_TEXT,
	         "Error: thread/resume: thread/resume failed: no rollout found for thread id x (code -32600)\n"
	         "\nStack backtrace:\n   0: foo\n", &l);
	ck_assert_int_eq(l.n, 1);
	ck_assert_int_eq(l.v[0].kind, AGENT_EV_ERROR);
	ck_assert_int_eq(l.v[0].final, 1);
	evs_free(&l);
}
END_TEST

START_TEST(cx_patch_paths_take_their_kind_from_the_diff)
{
	struct evs l = { 0 };
	feed_str(AGENT_D_CODEX_TEXT,
	         "apply patch\npatch: completed\n/w/a.c\ndiff --git a/a.c b/a.c\nindex 1..2 100644\n"
	         "--- a/a.c\n+++ b/a.c\n@@ -1 +1 @@\n-x\n+y\n"
	         "/w/b.c\ndiff --git a/b.c b/b.c\ndeleted file mode 100644\n"
	         "apply patch\npatch: failed\n/w/c.c\n\ncodex\nOops.\n", &l);
	ck_assert_int_eq(count(&l, AGENT_EV_TOOL), 3);
	is_tool(nth(&l, AGENT_EV_TOOL, 0), AGENT_TOOL_COMPLETED, AGENT_TK_EDIT, "/w/a.c", NULL);
	is_tool(nth(&l, AGENT_EV_TOOL, 1), AGENT_TOOL_COMPLETED, AGENT_TK_DELETE, "/w/b.c", NULL);
	is_tool(nth(&l, AGENT_EV_TOOL, 2), AGENT_TOOL_ERROR, AGENT_TK_EDIT, "/w/c.c", NULL);
	ck_assert_str_eq(last(&l)->text, "Oops.");
	evs_free(&l);
}
END_TEST

START_TEST(cx_thinking_is_a_step_and_older_timestamped_lines_parse)
{
	struct evs l = { 0 };
	feed_str(AGENT_D_CODEX_TEXT,
	         "thinking\nconsidering\n"
	         "[2025-08-01T10:00:00] exec bash -lc 'ls' in /w\n"
	         "[2025-08-01T10:00:01] bash -lc 'ls' succeeded in 5ms:\n"
	         "[2025-08-01T10:00:02] tokens used: 1234\n", &l);
	ck_assert_int_eq(l.v[0].kind, AGENT_EV_STEP);
	is_tool(&l.v[1], AGENT_TOOL_RUNNING, AGENT_TK_SHELL, NULL, "ls");
	is_tool(&l.v[2], AGENT_TOOL_COMPLETED, AGENT_TK_SHELL, NULL, "ls");
	/* the one-line count came after every reply: progress, not the end */
	ck_assert_int_eq(l.v[3].kind, AGENT_EV_STEP);
	ck_assert_int_eq(l.n, 4);
	evs_free(&l);
}
END_TEST

START_TEST(cx_after_the_token_count_only_the_final_message_copy_follows)
{
	struct evs l = { 0 };
	feed_str(AGENT_D_CODEX_TEXT,
	         "codex\nDone.\ntokens used\n29,446\nDone.\nexec means nothing here\n", &l);
	ck_assert_int_eq(l.n, 2);
	ck_assert_int_eq(l.v[1].kind, AGENT_EV_DONE);
	evs_free(&l);
	/* a later section (a run appended to the log) is read again */
	feed_str(AGENT_D_CODEX_TEXT, "tokens used\n12\nDone.\ncodex\nAgain.\n", &l);
	ck_assert_int_eq(l.n, 2);
	ck_assert_str_eq(l.v[1].text, "Again.");
	evs_free(&l);
}
END_TEST

START_TEST(cx_session_op_reads_the_header_line_only)
{
	char buf[64];
	ck_assert_uint_eq(agent__codex_text_ops.session("session id: 01a209f9-6da9-72e0-9602-0d3ba67cb8ef", 48,
	                                                buf, sizeof buf), 36);
	ck_assert_str_eq(buf, "01a209f9-6da9-72e0-9602-0d3ba67cb8ef");
	ck_assert_uint_eq(agent__codex_text_ops.session("the session id: 01a209f9-6da9-72e0-9602-0d3ba67cb8ef", 52,
	                                                buf, sizeof buf), 0);
}
END_TEST

/* ==== plain text ========================================================= */

START_TEST(plain_claude_fixture_is_one_text_and_no_final_event)
{
	struct evs l = { 0 };
	feed_fixture(AGENT_D_CLAUDE_TEXT, "claude/text-happy.log", &l);
	ck_assert_int_eq(l.n, 1);
	ck_assert_str_eq(l.v[0].text, "Done.");
	evs_free(&l);
}
END_TEST

START_TEST(plain_claude_documented_errors_are_final)
{
	struct evs l = { 0 };
	feed_str(AGENT_D_CLAUDE_TEXT, "Invalid API key \xc2\xb7 Fix external API key\n", &l);
	ck_assert_int_eq(l.v[0].kind, AGENT_EV_ERROR);
	ck_assert_int_eq(l.v[0].final, 1);
	ck_assert_int_eq(l.v[0].http_status, 401);
	evs_free(&l);
	feed_str(AGENT_D_CLAUDE_TEXT, "API Error: Request rejected (429) \xc2\xb7 slow down\n", &l);
	ck_assert_int_eq(l.v[0].kind, AGENT_EV_LIMIT);
	ck_assert_int_eq(l.v[0].final, 1);
	ck_assert_int_eq(l.v[0].http_status, 429);
	evs_free(&l);
	feed_str(AGENT_D_CLAUDE_TEXT, "API Error: 500 Internal server error\n", &l);
	ck_assert_int_eq(l.v[0].kind, AGENT_EV_ERROR);
	evs_free(&l);
}
END_TEST

START_TEST(plain_gemini_fixture_skips_stderr_noise)
{
	struct evs l = { 0 };
	feed_fixture(AGENT_D_GEMINI_TEXT, "gemini/text-happy.log", &l);
	ck_assert_int_eq(l.n, 2);
	ck_assert_str_eq(l.v[0].text, "I'll read the file first.");
	ck_assert_str_eq(l.v[1].text, "Done.");
	evs_free(&l);
	feed_str(AGENT_D_GEMINI_TEXT, "An unexpected critical error occurred:[object Object]\n", &l);
	ck_assert_int_eq(l.v[0].kind, AGENT_EV_ERROR);
	ck_assert_int_eq(l.v[0].final, 1);
	evs_free(&l);
}
END_TEST

START_TEST(plain_gemini_result_object_after_a_text_head_is_read)
{
	struct evs l = { 0 };
	/* gemini -p --output-format json against a 500 (captured from
	 * gemini-cli 0.61.0): retry traces fill the head, the result object
	 * ends the log */
	feed_str(AGENT_D_GEMINI_TEXT,
	         "YOLO mode is enabled. All tool calls will be automatically approved.\n"
	         "Attempt 1 failed with status 500. Retrying with backoff... _ApiError: x\n"
	         "    at async Turn.run (file:///x.js:333001:24) {\n  status: 500\n}\n"
	         "{\n  \"session_id\": \"cce79bf7-5f67-4960-805a-21dedb75aaa0\",\n"
	         "  \"error\": {\n    \"type\": \"Error\",\n    \"message\": \"fake internal server error\",\n"
	         "    \"code\": 500\n  }\n}\n", &l);
	ck_assert_int_eq(last(&l)->kind, AGENT_EV_ERROR);
	ck_assert_int_eq(last(&l)->final, 1);
	ck_assert_int_eq(count(&l, AGENT_EV_SESSION), 1);
	ck_assert(!has_text(&l, "\"session_id\""));
	evs_free(&l);
	/* a "{" of the answer's own is text */
	feed_str(AGENT_D_GEMINI_TEXT, "Here:\n{\nint x;\n}\n", &l);
	ck_assert(has_text(&l, "{"));
	ck_assert(has_text(&l, "int x;"));
	ck_assert_int_eq(count(&l, AGENT_EV_ERROR) + count(&l, AGENT_EV_DONE), 0);
	evs_free(&l);
	feed_str(AGENT_D_GEMINI_TEXT, "last line\n{\n", &l);
	ck_assert(has_text(&l, "{"));
	evs_free(&l);
}
END_TEST

START_TEST(plain_gemini_error_dump_is_not_text)
{
	struct evs l = { 0 };
	/* gemini -p (text) retrying a 500, captured from gemini-cli 0.61.0 */
	feed_str(AGENT_D_GEMINI_TEXT,
	         "Attempt 9 failed with status 500. Retrying with backoff... _ApiError: {\"error\":{}}\n"
	         "    at async Turn.run (file:///x.js:333001:24) {\n  status: 500\n}\n", &l);
	ck_assert_int_eq(l.n, 1);
	ck_assert_int_eq(last(&l)->kind, AGENT_EV_ERROR);
	ck_assert_int_eq(last(&l)->final, 0);
	evs_free(&l);
	/* outside a dump, "}" is the answer's */
	feed_str(AGENT_D_GEMINI_TEXT, "if (x) {\n}\n", &l);
	ck_assert(has_text(&l, "}"));
	evs_free(&l);
}
END_TEST

START_TEST(plain_generic_does_not_invent_errors_from_text)
{
	struct evs l = { 0 };
	feed_str(AGENT_D_GENERIC, "Error: the build failed\nERROR: x\nfailed\n", &l);
	ck_assert_int_eq(count(&l, AGENT_EV_TEXT), 3);
	ck_assert_int_eq(count(&l, AGENT_EV_ERROR), 0);
	evs_free(&l);
	feed_str(AGENT_D_GENERIC, "[session.error] Incorrect API key provided: x\n", &l);
	ck_assert_int_eq(l.v[0].kind, AGENT_EV_ERROR);
	ck_assert_int_eq(l.v[0].final, 1);
	evs_free(&l);
}
END_TEST

START_TEST(plain_generic_finds_session_markers_of_every_agent)
{
	struct evs l = { 0 };
	char buf[64];
	feed_str(AGENT_D_GENERIC, "[19:48:45] Session: ses_df60bda3bffeXCkoDZ48rADnTM\n"
	                          "session id: 01a209f9-6da9-72e0-9602-0d3ba67cb8ef\n", &l);
	ck_assert_int_eq(count(&l, AGENT_EV_SESSION), 2);
	ck_assert_str_eq(nth(&l, AGENT_EV_SESSION, 0)->session, "ses_df60bda3bffeXCkoDZ48rADnTM");
	ck_assert_str_eq(nth(&l, AGENT_EV_SESSION, 1)->session, "01a209f9-6da9-72e0-9602-0d3ba67cb8ef");
	evs_free(&l);
	const char *j = "{\"type\":\"init\",\"session_id\":\"2e55092e-0dc0-4aad-b96b-e0e34de53683\"}";
	ck_assert_uint_eq(agent__generic_ops.session(j, strlen(j), buf, sizeof buf), 36);
	ck_assert_str_eq(buf, "2e55092e-0dc0-4aad-b96b-e0e34de53683");
	ck_assert_uint_eq(agent__generic_ops.session("hello", 5, buf, sizeof buf), 0);
}
END_TEST

/* ==== detection markers ================================================== */

static enum agent_dialect
det(const char *s, int *strong)
{
	return agent__detect_text_line(s, strlen(s), strong);
}

START_TEST(detect_line_markers_name_their_dialect)
{
	int st;
	ck_assert_int_eq(det("[19:48:12] Starting server on port 4096", &st), AGENT_D_OMO);
	ck_assert_int_eq(st, 1);
	ck_assert_int_eq(det("Session: ses_df60bda3bffeXCkoDZ48rADnTM", &st), AGENT_D_OMO);
	ck_assert_int_eq(det("oh-my-opencode: bun is not available", &st), AGENT_D_OMO);
	ck_assert_int_eq(det("[MAIN] session.status: busy", &st), AGENT_D_OMO);
	ck_assert_int_eq(det("  \xe2\x94\x94\xe2\x94\x80 Sisyphus - ultraworker  ", &st), AGENT_D_OMO);
	ck_assert_int_eq(det("> build \xc2\xb7 fake-model", &st), AGENT_D_OPENCODE_TEXT);
	ck_assert_int_eq(st, 1);
	ck_assert_int_eq(det("\x1b[0m\xe2\x86\x92 \x1b[0mRead a", &st), AGENT_D_OPENCODE_TEXT);
	ck_assert_int_eq(det("\x1b[0m", &st), AGENT_D_OPENCODE_TEXT);
	ck_assert_int_eq(st, 0);
	ck_assert_int_eq(det("OpenAI Codex v0.169.0", &st), AGENT_D_CODEX_TEXT);
	ck_assert_int_eq(st, 1);
	ck_assert_int_eq(det("session id: 01a209f9-6da9-72e0-9602-0d3ba67cb8ef", &st), AGENT_D_CODEX_TEXT);
	ck_assert_int_eq(det("YOLO mode is enabled. All tool calls will be automatically approved.", &st),
	                 AGENT_D_GEMINI_TEXT);
	ck_assert_int_eq(st, 0);
	ck_assert_int_eq(det("Invalid API key \xc2\xb7 Fix external API key", &st), AGENT_D_CLAUDE_TEXT);
	ck_assert_int_eq(det("Done.", &st), AGENT_D_GENERIC);
	ck_assert_int_eq(det("", &st), AGENT_D_GENERIC);
}
END_TEST

/* ==== hostile input ====================================================== */

static const enum agent_dialect all_text[] = {
	AGENT_D_OPENCODE_TEXT, AGENT_D_OMO, AGENT_D_CODEX_TEXT,
	AGENT_D_CLAUDE_TEXT, AGENT_D_GEMINI_TEXT, AGENT_D_GENERIC,
};

START_TEST(bad_bytes_nul_and_invalid_utf8_never_crash)
{
	static const char bad[] =
		"\xff\xfe\xfd\n\xe2\x86\n\xc0\xaf\xed\xa0\x80\n"
		"a\0b\0c\n\0\n[MAIN] \xff\n\xe2\x9a\x99 \xff\xff  \n"
		"\x1b[0m\xe2\x9c\x97 \x1b[0m\xff failed\nError: \xff\xfe\n"
		"session id: \xff\n[19:00:00] Session: ses_\xff\n"
		"exec\n\xff in /\xff\n exited \xff in 1ms:\n";
	for (size_t i = 0; i < sizeof all_text / sizeof all_text[0]; i++) {
		struct evs l = { 0 };
		feed(all_text[i], bad, sizeof bad - 1, &l);
		evs_free(&l);
	}
}
END_TEST

START_TEST(nul_bytes_are_dropped_not_truncating_the_line)
{
	struct evs l = { 0 };
	feed(AGENT_D_CLAUDE_TEXT, "Do\0ne.", 6, &l);
	ck_assert_int_eq(l.n, 1);
	ck_assert_str_eq(l.v[0].text, "Done.");
	evs_free(&l);
}
END_TEST

START_TEST(two_megabyte_lines_are_survived)
{
	size_t n = 2u << 20;
	char *big = malloc(n + 64);
	ck_assert_ptr_nonnull(big);
	for (size_t i = 0; i < sizeof all_text / sizeof all_text[0]; i++) {
		/* a plain run of letters, then one with a marker and escapes */
		memset(big, 'a', n);
		struct evs l = { 0 };
		feed(all_text[i], big, n, &l);
		evs_free(&l);
		memcpy(big, "  \xe2\x94\x94\xe2\x94\x80 ", 8);
		for (size_t k = 100; k + 4 < n; k += 4096)
			memcpy(big + k, "\x1b[0m", 4);
		memcpy(big + n - 12, " [MAIN] x.y", 11);
		feed(all_text[i], big, n, &l);
		evs_free(&l);
	}
	free(big);
}
END_TEST

START_TEST(crlf_line_ends_parse_like_lf)
{
	static const char *const fx[] = {
		"codex/exec-text-happy.log", "omo/happy.log", "opencode/text-happy.log",
	};
	static const enum agent_dialect dd[] = {
		AGENT_D_CODEX_TEXT, AGENT_D_OMO, AGENT_D_OPENCODE_TEXT,
	};
	for (int f = 0; f < 3; f++) {
		size_t len, o = 0;
		char *buf = slurp(fx[f], &len);
		char *crlf = malloc(2 * len + 1);
		ck_assert_ptr_nonnull(crlf);
		for (size_t i = 0; i < len; i++) {
			if (buf[i] == '\n')
				crlf[o++] = '\r';
			crlf[o++] = buf[i];
		}
		struct evs a = { 0 }, b = { 0 };
		feed(dd[f], buf, len, &a);
		feed(dd[f], crlf, o, &b);
		ck_assert_int_eq(a.n, b.n);
		for (int i = 0; i < a.n; i++) {
			ck_assert_int_eq(a.v[i].kind, b.v[i].kind);
			if (a.v[i].title)
				ck_assert_str_eq(a.v[i].title, b.v[i].title);
		}
		evs_free(&a);
		evs_free(&b);
		free(buf);
		free(crlf);
	}
}
END_TEST

START_TEST(escape_floods_and_cut_escapes_are_harmless)
{
	size_t n = 1u << 20;
	char *s = malloc(n);
	ck_assert_ptr_nonnull(s);
	for (size_t i = 0; i + 4 <= n; i += 4)
		memcpy(s + i, "\x1b[0m", 4);
	for (size_t i = 0; i < sizeof all_text / sizeof all_text[0]; i++) {
		struct evs l = { 0 };
		feed(all_text[i], s, n, &l);
		ck_assert_int_eq(count(&l, AGENT_EV_TEXT), 0);
		evs_free(&l);
		feed(all_text[i], "\x1b[", 2, &l);
		feed(all_text[i], "\x1b]0;title", 9, &l);
		feed(all_text[i], "abc\x1b", 4, &l);
		evs_free(&l);
	}
	free(s);
}
END_TEST

static int
stop(const struct agent_event *e, void *a)
{
	(void)e;
	(void)a;
	return 7;
}

START_TEST(a_nonzero_callback_stops_the_parser_and_is_returned)
{
	for (size_t i = 0; i < sizeof all_text / sizeof all_text[0]; i++) {
		const struct agent_dialect_ops *o = ops_of(all_text[i]);
		void *st = o->new(all_text[i]);
		ck_assert_ptr_nonnull(st);
		ck_assert_int_eq(o->line(st, "Error: Session not found", 24, 1, stop, NULL), 7);
		o->free(st);
	}
	/* freeing nothing is allowed, like free(3) */
	agent__generic_ops.free(NULL);
	agent__omo_ops.free(NULL);
	agent__codex_text_ops.free(NULL);
	agent__opencode_text_ops.free(NULL);
}
END_TEST

static Suite *
dialect_text_suite(void)
{
	Suite *s = suite_create("dialect_text");
	TCase *oc = tcase_create("opencode");
	tcase_add_test(oc, oc_happy_fixture_reports_each_tool_completed_with_its_path);
	tcase_add_test(oc, oc_happy_fixture_keeps_tool_bodies_out_of_assistant_text);
	tcase_add_test(oc, oc_header_line_gives_agent_and_model);
	tcase_add_test(oc, oc_format_has_no_session_and_no_completion_marker);
	tcase_add_test(oc, oc_err401_fixture_ends_in_final_error_with_status_401);
	tcase_add_test(oc, oc_cutoff_and_stall_fixtures_have_no_final_event);
	tcase_add_test(oc, oc_error_line_after_failed_tool_is_the_tools_error_not_a_run_error);
	tcase_add_test(oc, oc_failed_tool_without_error_line_is_reported_anyway);
	tcase_add_test(oc, oc_permission_auto_reject_is_a_nonfinal_error);
	tcase_add_test(oc, oc_error_line_alone_is_final_and_rate_limits_are_limits);
	tcase_add_test(oc, oc_icons_map_to_tool_kinds_and_descriptions_are_dropped);
	tcase_add_test(oc, oc_todo_block_body_is_not_text);
	tcase_add_test(oc, oc_empty_lines_inside_a_diff_do_not_end_the_block);
	tcase_add_test(oc, oc_markdown_that_looks_like_a_tool_line_is_text_in_a_coloured_log);
	tcase_add_test(oc, oc_tool_lines_without_any_escapes_are_still_tools);
	tcase_add_test(oc, oc_print_logs_lines_are_not_text_and_name_the_session);
	tcase_add_test(oc, oc_thinking_lines_are_steps_not_text);
	suite_add_tcase(s, oc);

	TCase *om = tcase_create("omo");
	tcase_add_test(om, omo_happy_fixture_reports_session_model_and_done);
	tcase_add_test(om, omo_happy_fixture_tools_start_running_and_complete_at_output);
	tcase_add_test(om, omo_happy_fixture_keeps_tool_output_and_patches_out_of_text);
	tcase_add_test(om, omo_cutoff_fixture_ends_with_a_running_tool_and_no_final_event);
	tcase_add_test(om, omo_err401_fixture_ends_in_final_error);
	tcase_add_test(om, omo_resume_badid_fixture_is_a_final_error_without_session);
	tcase_add_test(om, omo_resume_fixture_keeps_the_session_and_completes);
	tcase_add_test(om, omo_json_result_next_to_all_tasks_completed_is_one_completion);
	tcase_add_test(om, omo_verbose_fixture_joins_text_cut_by_event_lines);
	tcase_add_test(om, omo_verbose_tool_brackets_add_only_failures);
	tcase_add_test(om, omo_tool_start_and_end_share_a_call_id);
	tcase_add_test(om, omo_reasoning_block_is_a_step_not_text);
	tcase_add_test(om, omo_lines_without_timestamps_parse_the_same);
	tcase_add_test(om, omo_ci_tree_marker_works_like_the_box_drawing_one);
	tcase_add_test(om, omo_header_icons_map_to_tool_kinds);
	tcase_add_test(om, omo_apply_patch_names_every_file_with_its_operation);
	tcase_add_test(om, omo_multiline_command_header_is_one_tool);
	tcase_add_test(om, omo_end_states_interrupt_errors_and_limits);
	tcase_add_test(om, omo_json_result_line_gives_session_and_outcome);
	tcase_add_test(om, omo_session_op_reads_the_marker_with_or_without_timestamp);
	tcase_add_test(om, omo_tool_without_output_ends_when_the_next_tool_starts);
	tcase_add_test(om, omo_ansi_coloured_lines_parse_like_plain_ones);
	suite_add_tcase(s, om);

	TCase *cx = tcase_create("codex");
	tcase_add_test(cx, cx_happy_fixture_reports_session_model_and_done);
	tcase_add_test(cx, cx_happy_fixture_text_is_the_agents_not_the_prompt_or_stdout_copy);
	tcase_add_test(cx, cx_happy_fixture_commands_and_patch_are_tools);
	tcase_add_test(cx, cx_failed_command_is_a_tool_error_with_its_exit_code);
	tcase_add_test(cx, cx_shell_quoting_is_undone_in_the_title);
	tcase_add_test(cx, cx_reconnects_are_notices_and_the_repeated_final_error_counts_once);
	tcase_add_test(cx, cx_retry_notice_after_command_output_still_counts);
	tcase_add_test(cx, cx_read_from_inside_the_log_an_error_line_of_command_output_is_not_an_error);
	tcase_add_test(cx, cx_read_from_inside_the_log_codex_errors_still_count);
	tcase_add_test(cx, cx_bad_resume_is_a_final_error);
	tcase_add_test(cx, cx_patch_paths_take_their_kind_from_the_diff);
	tcase_add_test(cx, cx_thinking_is_a_step_and_older_timestamped_lines_parse);
	tcase_add_test(cx, cx_after_the_token_count_only_the_final_message_copy_follows);
	tcase_add_test(cx, cx_session_op_reads_the_header_line_only);
	suite_add_tcase(s, cx);

	TCase *pl = tcase_create("plain");
	tcase_add_test(pl, plain_claude_fixture_is_one_text_and_no_final_event);
	tcase_add_test(pl, plain_claude_documented_errors_are_final);
	tcase_add_test(pl, plain_gemini_fixture_skips_stderr_noise);
	tcase_add_test(pl, plain_gemini_result_object_after_a_text_head_is_read);
	tcase_add_test(pl, plain_gemini_error_dump_is_not_text);
	tcase_add_test(pl, plain_generic_does_not_invent_errors_from_text);
	tcase_add_test(pl, plain_generic_finds_session_markers_of_every_agent);
	tcase_add_test(pl, detect_line_markers_name_their_dialect);
	suite_add_tcase(s, pl);

	TCase *bad = tcase_create("hostile");
	tcase_set_timeout(bad, 60);
	tcase_add_test(bad, bad_bytes_nul_and_invalid_utf8_never_crash);
	tcase_add_test(bad, nul_bytes_are_dropped_not_truncating_the_line);
	tcase_add_test(bad, two_megabyte_lines_are_survived);
	tcase_add_test(bad, crlf_line_ends_parse_like_lf);
	tcase_add_test(bad, escape_floods_and_cut_escapes_are_harmless);
	tcase_add_test(bad, a_nonzero_callback_stops_the_parser_and_is_returned);
	suite_add_tcase(s, bad);
	return s;
}

CHECK_MAIN(dialect_text_suite)
