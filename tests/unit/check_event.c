/* check_event.c — the normalized event's NDJSON form and its one-line
 * summary, and the liner that shows each tool once. */
#include <stdlib.h>
#include <string.h>
#include "check_main.h"
#include "event.h"

static char *buf;
static size_t len;
static FILE *m;

static void
open_mem(void)
{
	buf = NULL;
	len = 0;
	m = open_memstream(&buf, &len);
	ck_assert_ptr_nonnull(m);
}

static const char *
close_mem(void)
{
	fclose(m);
	return buf;
}

static void
teardown(void)
{
	free(buf);
	buf = NULL;
}

static struct agent_event
tool(enum agent_tool_kind k, enum agent_tool_status st, const char *title)
{
	struct agent_event e;
	agent_event_init(&e);
	e.kind = AGENT_EV_TOOL;
	e.tkind = k;
	e.status = st;
	e.title = title;
	return e;
}

START_TEST(init_marks_every_number_unknown)
{
	struct agent_event e;
	memset(&e, 0x55, sizeof e);
	agent_event_init(&e);
	ck_assert_int_eq(e.kind, AGENT_EV_NONE);
	ck_assert(e.ts == -1 && e.cost == -1);
	ck_assert_int_eq(e.tokens_in, -1);
	ck_assert_int_eq(e.exit_code, -1);
	ck_assert_int_eq(e.http_status, -1);
	ck_assert_ptr_null(e.session);
}
END_TEST

START_TEST(json_has_only_known_fields)
{
	struct agent_event e = tool(AGENT_TK_SHELL, AGENT_TOOL_RUNNING, "ls -l");
	e.tool = "Bash";
	e.line = 7;
	open_mem();
	ck_assert_int_eq(agent_event_write_json(m, &e), 0);
	ck_assert_str_eq(close_mem(), "{\"kind\":\"tool\",\"line\":7,\"tool\":\"Bash\","
	    "\"tool_kind\":\"shell\",\"status\":\"running\",\"title\":\"ls -l\"}\n");
}
END_TEST

START_TEST(json_escapes_and_replaces_invalid_utf8)
{
	struct agent_event e;
	agent_event_init(&e);
	e.kind = AGENT_EV_TEXT;
	e.text = "a\"b\\c\nd\x1b\xff\xe2\x86\x92";
	open_mem();
	agent_event_write_json(m, &e);
	ck_assert_str_eq(close_mem(),
	    "{\"kind\":\"text\",\"text\":\"a\\\"b\\\\c\\nd\\u001b\\ufffd\xe2\x86\x92\"}\n");
	/* DEL and the C1 controls (U+009B is a CSI) too; U+00A0 is text */
	free(buf);
	e.text = "\x7f\xc2\x9b[2J\xc2\x80\xc2\xa0";
	open_mem();
	agent_event_write_json(m, &e);
	ck_assert_str_eq(close_mem(),
	    "{\"kind\":\"text\",\"text\":\"\\u007f\\u009b[2J\\u0080\xc2\xa0\"}\n");
}
END_TEST

START_TEST(json_numbers_and_final)
{
	struct agent_event e;
	agent_event_init(&e);
	e.kind = AGENT_EV_DONE;
	e.final = 1;
	e.tokens_in = 10;
	e.tokens_out = 2;
	e.cost = 0.25;
	e.ts = 1.5;
	open_mem();
	agent_event_write_json(m, &e);
	ck_assert_str_eq(close_mem(), "{\"kind\":\"done\",\"ts\":1.500,\"tokens_in\":10,"
	    "\"tokens_out\":2,\"cost\":0.250000,\"final\":true}\n");
}
END_TEST

START_TEST(json_and_line_name_what_the_dialect_did_not_know)
{
	struct agent_event e;
	agent_event_init(&e);
	e.kind = AGENT_EV_UNKNOWN;
	e.title = e.unknown = "tool_progress";
	e.line = 3;
	open_mem();
	agent_event_write_json(m, &e);
	ck_assert_int_eq(agent_event_write_line(m, &e, 0), 1);
	ck_assert_str_eq(close_mem(), "{\"kind\":\"unknown\",\"line\":3,\"title\":\"tool_progress\","
	    "\"unknown\":\"tool_progress\"}\n? unknown to agentutils: tool_progress\n");
	teardown();
	/* a known event may carry what its line held beside it */
	agent_event_init(&e);
	e.kind = AGENT_EV_ERROR;
	e.final = 1;
	e.text = "boom";
	e.unknown = "result.subtype=error_x\x1b[2J";
	open_mem();
	agent_event_write_json(m, &e);
	ck_assert_int_eq(agent_event_write_line(m, &e, 0), 1);
	ck_assert_str_eq(close_mem(), "{\"kind\":\"error\",\"text\":\"boom\",\"final\":true,"
	    "\"unknown\":\"result.subtype=error_x\\u001b[2J\"}\n\xe2\x9c\x97 error: boom\n");
}
END_TEST

START_TEST(line_for_each_tool_kind)
{
	struct { enum agent_tool_kind k; const char *title; const char *want; } t[] = {
		{ AGENT_TK_READ, "a.c", "\xe2\x86\x92 Read a.c\n" },
		{ AGENT_TK_WRITE, "b.c", "\xe2\x86\x90 Write b.c\n" },
		{ AGENT_TK_EDIT, "c.c", "\xe2\x86\x90 Edit c.c\n" },
		{ AGENT_TK_SHELL, "make", "$ make\n" },
	};
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
		struct agent_event e = tool(t[i].k, AGENT_TOOL_RUNNING, t[i].title);
		open_mem();
		ck_assert_int_eq(agent_event_write_line(m, &e, 0), 1);
		ck_assert_str_eq(close_mem(), t[i].want);
		free(buf);
		buf = NULL;
	}
}
END_TEST

START_TEST(failed_tool_line)
{
	struct agent_event e = tool(AGENT_TK_READ, AGENT_TOOL_ERROR, "missing.txt");
	open_mem();
	agent_event_write_line(m, &e, 0);
	ck_assert_str_eq(close_mem(), "\xe2\x9c\x97 Read missing.txt failed\n");
}
END_TEST

START_TEST(text_line_is_its_first_line_made_visible)
{
	struct agent_event e;
	agent_event_init(&e);
	e.kind = AGENT_EV_TEXT;
	e.text = "\x1b[31mfirst\r\nsecond";
	open_mem();
	agent_event_write_line(m, &e, 0);
	ck_assert_str_eq(close_mem(), "\\e[31mfirst\n");
}
END_TEST

START_TEST(width_cuts_long_lines)
{
	struct agent_event e = tool(AGENT_TK_SHELL, AGENT_TOOL_RUNNING,
	    "echo aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa");
	open_mem();
	agent_event_write_line(m, &e, 10);
	ck_assert_str_eq(close_mem(), "$ echo aaa\n");
}
END_TEST

START_TEST(steps_have_no_line)
{
	struct agent_event e;
	agent_event_init(&e);
	e.kind = AGENT_EV_STEP;
	open_mem();
	ck_assert_int_eq(agent_event_write_line(m, &e, 0), 0);
	ck_assert_str_eq(close_mem(), "");
}
END_TEST

START_TEST(done_line_reports_tokens_and_cost)
{
	struct agent_event e;
	agent_event_init(&e);
	e.kind = AGENT_EV_DONE;
	e.tokens_in = 100;
	e.tokens_out = 5;
	e.cost = 0.01;
	open_mem();
	agent_event_write_line(m, &e, 0);
	ck_assert_str_eq(close_mem(), "\xe2\x9c\x93 done (in 100, out 5, $0.0100)\n");
}
END_TEST

START_TEST(liner_shows_a_tool_once_and_failures_again)
{
	struct agent_liner *l = agent_liner_new();
	struct agent_event a = tool(AGENT_TK_SHELL, AGENT_TOOL_RUNNING, "ls");
	struct agent_event b = tool(AGENT_TK_SHELL, AGENT_TOOL_COMPLETED, "ls");
	struct agent_event c = tool(AGENT_TK_READ, AGENT_TOOL_RUNNING, "x");
	struct agent_event d = tool(AGENT_TK_READ, AGENT_TOOL_ERROR, "x");
	struct agent_event o = tool(AGENT_TK_EDIT, AGENT_TOOL_COMPLETED, "y");
	a.call_id = b.call_id = "c1";
	open_mem();
	ck_assert_int_eq(agent_liner_write(l, m, &a, 0), 1);
	ck_assert_int_eq(agent_liner_write(l, m, &b, 0), 0);
	ck_assert_int_eq(agent_liner_write(l, m, &c, 0), 1);
	ck_assert_int_eq(agent_liner_write(l, m, &d, 0), 1);
	ck_assert_int_eq(agent_liner_write(l, m, &o, 0), 1);  /* end only: shown */
	ck_assert_str_eq(close_mem(), "$ ls\n\xe2\x86\x92 Read x\n"
	    "\xe2\x9c\x97 Read x failed\n\xe2\x86\x90 Edit y\n");
	agent_liner_free(l);
	agent_liner_free(NULL);
}
END_TEST

START_TEST(names_cover_every_kind)
{
	ck_assert_str_eq(agent_ev_kind_name(AGENT_EV_INTERRUPT), "interrupt");
	ck_assert_str_eq(agent_ev_kind_name(AGENT_EV_UNKNOWN), "unknown");
	ck_assert_str_eq(agent_ev_kind_name(AGENT_EV__MAX), "none");
	ck_assert_str_eq(agent_tool_kind_name(AGENT_TK_TODO), "todo");
	ck_assert_str_eq(agent_tool_status_name(AGENT_TOOL_ERROR), "error");
}
END_TEST

static Suite *
event_suite(void)
{
	Suite *s = suite_create("event");
	TCase *tc = tcase_create("event");
	tcase_add_checked_fixture(tc, NULL, teardown);
	tcase_add_test(tc, init_marks_every_number_unknown);
	tcase_add_test(tc, json_has_only_known_fields);
	tcase_add_test(tc, json_escapes_and_replaces_invalid_utf8);
	tcase_add_test(tc, json_numbers_and_final);
	tcase_add_test(tc, line_for_each_tool_kind);
	tcase_add_test(tc, failed_tool_line);
	tcase_add_test(tc, text_line_is_its_first_line_made_visible);
	tcase_add_test(tc, width_cuts_long_lines);
	tcase_add_test(tc, steps_have_no_line);
	tcase_add_test(tc, done_line_reports_tokens_and_cost);
	tcase_add_test(tc, liner_shows_a_tool_once_and_failures_again);
	tcase_add_test(tc, names_cover_every_kind);
	tcase_add_test(tc, json_and_line_name_what_the_dialect_did_not_know);
	suite_add_tcase(s, tc);
	return s;
}

CHECK_MAIN(event_suite)
