/* check_dialect_droid.c — Factory Droid's logs (tests/fixtures/droid/):
 * `droid exec -o stream-json` lines, the one result object of -o json, the
 * bare answer of text mode; real fixtures and synthetic lines. */
#include <math.h>
#include "dialect_test.h"

#define DR_SID "ead6ada3-d1f7-4cf1-8e7b-916fb79f56f3"

/* A droid stream-json line of type TYPE with the fields F (a JSON object's
 * members, without braces). */
#define DLINE(type, f) "{\"type\":\"" type "\"," f ",\"timestamp\":1796055285367," \
	"\"session_id\":\"" DR_SID "\"}\n"

/* Every fixture of tests/fixtures/droid/ in a format with a completion
 * signal: its MANIFEST session id and the final event its verdict needs. */
START_TEST(every_droid_fixture_gives_its_manifest_session_and_final_event)
{
	ck_assert_int_gt(check_agent_fixtures("droid"), 10);
}
END_TEST

START_TEST(droid_stream_happy_pairs_tools_and_ends_with_its_completion)
{
	struct evlog l = { 0 };
	const struct agent_event *e;

	feed_file(AGENT_D_DROID_STREAM, "droid/stream-json-happy.log", &l);
	is_str(session_of(&l), DR_SID);
	is_str(nth(&l, AGENT_EV_MODEL, 0)->model, "custom:Fake-Model-0");
	/* the prompt (a user message) is not the agent's text */
	ck_assert_int_eq(count(&l, AGENT_EV_TEXT), 4);
	e = nth(&l, AGENT_EV_TEXT, 0);
	is_str(e->text, "I'll read the input file first.");
	ck_assert_int_eq(e->line, 3);
	ck_assert(fabs(e->ts - 1796055285.367) < 0.0005);
	ck_assert_int_eq(count(&l, AGENT_EV_TOOL), 6);
	tool_is(nth(&l, AGENT_EV_TOOL, 0), AGENT_TOOL_RUNNING, AGENT_TK_READ, "Read",
	    "/tmp/droid-capture.zOwLDD/stream-json-happy/proj/input.txt", NULL);
	e = nth(&l, AGENT_EV_TOOL, 1);
	tool_is(e, AGENT_TOOL_COMPLETED, AGENT_TK_READ, "Read",
	    "/tmp/droid-capture.zOwLDD/stream-json-happy/proj/input.txt", NULL);
	is_str(e->call_id, "call_00000003");
	is_str(e->text, "some input\n");
	e = nth(&l, AGENT_EV_TOOL, 2);
	tool_is(e, AGENT_TOOL_RUNNING, AGENT_TK_SHELL, "Execute", NULL, "echo hi");
	ck_assert_int_eq(e->exit_code, -1);
	e = nth(&l, AGENT_EV_TOOL, 3);
	tool_is(e, AGENT_TOOL_COMPLETED, AGENT_TK_SHELL, "Execute", NULL, "echo hi");
	ck_assert_int_eq(e->exit_code, 0);
	tool_is(nth(&l, AGENT_EV_TOOL, 5), AGENT_TOOL_COMPLETED, AGENT_TK_WRITE, "Create",
	    "/tmp/droid-capture.zOwLDD/stream-json-happy/proj/output.txt", NULL);
	e = final_ev(&l);
	ck_assert_int_eq(e->kind, AGENT_EV_DONE);
	is_str(e->text, "Done.");
	ck_assert_int_eq(e->tokens_in, 400);
	ck_assert_int_eq(e->tokens_out, 40);
	ck_assert(fabs(e->ts - 1796055287.859) < 0.0005);
	evlog_free(&l);
}
END_TEST

START_TEST(droid_failing_command_is_a_tool_error_with_its_exit_code)
{
	struct evlog l = { 0 };
	const struct agent_event *e;

	feed_file(AGENT_D_DROID_STREAM, "droid/stream-json-toolfail.log", &l);
	e = nth(&l, AGENT_EV_TOOL, 1);
	tool_is(e, AGENT_TOOL_ERROR, AGENT_TK_SHELL, "Execute", NULL, "ls /nonexistent-e2e-path");
	ck_assert_int_eq(e->exit_code, 2);
	ck_assert_ptr_nonnull(strstr(e->text, "No such file or directory"));
	ck_assert_int_eq(final_ev(&l)->kind, AGENT_EV_DONE);
	evlog_free(&l);
}
END_TEST

START_TEST(droid_cut_off_by_kill_ends_with_its_tool_running)
{
	struct evlog l = { 0 };

	feed_file(AGENT_D_DROID_STREAM, "droid/stream-json-cutoff-kill-all.log", &l);
	ck_assert_ptr_null(final_ev(&l));
	tool_is(last(&l), AGENT_TOOL_RUNNING, AGENT_TK_SHELL, "Execute", NULL, "sleep 60");
	evlog_free(&l);
}
END_TEST

/* TERM or INT to droid stops the tool it runs, and the turn goes on to
 * droid's completion: the log alone says completed. */
START_TEST(droid_tool_stopped_by_a_signal_fails_and_the_turn_completes)
{
	static const char *const logs[] = {
		"droid/stream-json-cutoff-term-pid.log", "droid/stream-json-cutoff-int-pid.log",
		"droid/stream-json-cutoff-term-all.log",
	};
	struct evlog l = { 0 };
	const struct agent_event *e;

	for (size_t i = 0; i < sizeof logs / sizeof logs[0]; i++) {
		feed_file(AGENT_D_DROID_STREAM, logs[i], &l);
		e = nth(&l, AGENT_EV_TOOL, 1);
		tool_is(e, AGENT_TOOL_ERROR, AGENT_TK_SHELL, "Execute", NULL, "sleep 60");
		is_str(e->text, "Error: Command terminated by signal: SIGTERM");
		ck_assert_int_eq(e->exit_code, -1);
		ck_assert_int_eq(final_ev(&l)->kind, AGENT_EV_DONE);
		ck_assert(final_ev(&l)->ts > 0);
		evlog_free(&l);
	}
}
END_TEST

/* agent_loop's error ends the run; the cli's "Exec failed" after it adds
 * nothing (the reason stays the API's). */
START_TEST(droid_api_errors_end_the_run_once_with_the_apis_words)
{
	struct evlog l = { 0 };
	const struct agent_event *e;

	feed_file(AGENT_D_DROID_STREAM, "droid/stream-json-err401.log", &l);
	ck_assert_int_eq(count(&l, AGENT_EV_ERROR), 1);
	e = final_ev(&l);
	ck_assert_int_eq(e->kind, AGENT_EV_ERROR);
	is_str(e->text, "401 Incorrect API key provided: x");
	ck_assert_int_eq(e->http_status, 401);
	evlog_free(&l);

	feed_file(AGENT_D_DROID_STREAM, "droid/stream-json-limit429.log", &l);
	e = final_ev(&l);
	ck_assert_int_eq(e->kind, AGENT_EV_LIMIT);
	ck_assert_int_eq(e->http_status, 429);
	ck_assert(e->resets_in == 1);
	ck_assert_int_eq(count(&l, AGENT_EV_ERROR), 0);
	evlog_free(&l);

	feed_file(AGENT_D_DROID_STREAM, "droid/stream-json-quota.log", &l);
	e = final_ev(&l);
	ck_assert_int_eq(e->kind, AGENT_EV_LIMIT);
	ck_assert(e->resets_in < 0 && e->resets_at < 0);
	evlog_free(&l);
}
END_TEST

START_TEST(droid_cli_error_alone_ends_the_run_and_work_after_an_error_goes_on)
{
	struct evlog l = { 0 };

	feed_str(AGENT_D_DROID_STREAM,
	    DLINE("error", "\"source\":\"cli\",\"message\":\"Exec failed\""), &l);
	ck_assert_uint_eq(l.n, 2);
	ck_assert_int_eq(last(&l)->kind, AGENT_EV_ERROR);
	ck_assert_int_eq(last(&l)->final, 1);
	is_str(last(&l)->text, "Exec failed");
	evlog_free(&l);
	/* an error the loop got past: the cli's error after later work is
	 * the run's end again */
	feed_str(AGENT_D_DROID_STREAM,
	    DLINE("error", "\"source\":\"agent_loop\",\"message\":\"500 fake internal server error\"")
	    DLINE("tool_call", "\"id\":\"c1\",\"toolName\":\"LS\",\"parameters\":{\"directory_path\":\"/p\"}")
	    DLINE("tool_result", "\"id\":\"c1\",\"toolId\":\"LS\",\"isError\":false,\"value\":\"a\"")
	    DLINE("error", "\"source\":\"cli\",\"message\":\"Exec failed\""), &l);
	ck_assert_int_eq(count(&l, AGENT_EV_ERROR), 2);
	is_str(final_ev(&l)->text, "Exec failed");
	ck_assert_ptr_eq(final_ev(&l), last(&l));
	evlog_free(&l);
}
END_TEST

START_TEST(droid_tool_result_without_its_call_is_named_by_its_tool_id)
{
	struct evlog l = { 0 };
	const struct agent_event *e;

	feed_mid(AGENT_D_DROID_STREAM,
	    DLINE("tool_result", "\"id\":\"c9\",\"toolId\":\"Execute\",\"isError\":false,"
	          "\"value\":\"[Process exited with code 3]\\nx\\n\\n[Process exited with code 1]\"")
	    DLINE("tool_result", "\"id\":\"c8\",\"toolId\":\"Execute\",\"isError\":true,"
	          "\"error\":{\"type\":\"tool_error\",\"message\":\"Error: Command failed (exit code: 7)\\n\"}")
	    DLINE("tool_result", "\"id\":\"c7\",\"toolId\":\"Execute\",\"isError\":true,"
	          "\"error\":{\"type\":\"tool_error\",\"message\":\"Error: Command failed (exit code: 300)\"}")
	    DLINE("tool_result", "\"id\":\"c6\",\"toolId\":\"Grep\",\"isError\":false,\"value\":\"\""), &l);
	e = nth(&l, AGENT_EV_TOOL, 0);
	tool_is(e, AGENT_TOOL_COMPLETED, AGENT_TK_SHELL, "Execute", NULL, NULL);
	ck_assert_int_eq(e->exit_code, 1);      /* droid's own line is the last */
	ck_assert_int_eq(nth(&l, AGENT_EV_TOOL, 1)->exit_code, 7);
	ck_assert_int_eq(nth(&l, AGENT_EV_TOOL, 2)->exit_code, -1);
	tool_is(nth(&l, AGENT_EV_TOOL, 3), AGENT_TOOL_COMPLETED, AGENT_TK_SEARCH, "Grep", NULL, NULL);
	evlog_free(&l);
}
END_TEST

START_TEST(droid_tools_have_their_kinds)
{
	static const struct {
		const char *name;
		enum agent_tool_kind kind;
	} t[] = {
		{ "Read", AGENT_TK_READ }, { "Create", AGENT_TK_WRITE }, { "Edit", AGENT_TK_EDIT },
		{ "ApplyPatch", AGENT_TK_EDIT }, { "Execute", AGENT_TK_SHELL },
		{ "LS", AGENT_TK_SEARCH }, { "Grep", AGENT_TK_SEARCH }, { "Glob", AGENT_TK_SEARCH },
		{ "WebSearch", AGENT_TK_FETCH }, { "FetchUrl", AGENT_TK_FETCH },
		{ "TodoWrite", AGENT_TK_TODO }, { "Task", AGENT_TK_TASK },
		{ "AskUser", AGENT_TK_OTHER },
	};
	char buf[512];

	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
		struct evlog l = { 0 };

		snprintf(buf, sizeof buf, DLINE("tool_call", "\"id\":\"c1\",\"toolId\":\"%s\","
		    "\"toolName\":\"%s\",\"parameters\":{}"), t[i].name, t[i].name);
		feed_str(AGENT_D_DROID_STREAM, buf, &l);
		tool_is(last(&l), AGENT_TOOL_RUNNING, t[i].kind, t[i].name, NULL, NULL);
		evlog_free(&l);
	}
}
END_TEST

START_TEST(droid_json_result_is_text_and_completion_or_the_error)
{
	struct evlog l = { 0 };
	const struct agent_event *e;

	feed_file(AGENT_D_DROID_JSON, "droid/json-happy.log", &l);
	ck_assert_uint_eq(l.n, 3);
	ck_assert_int_eq(l.v[0].e.kind, AGENT_EV_SESSION);
	is_str(l.v[1].e.text, "Done.");
	e = final_ev(&l);
	ck_assert_int_eq(e->kind, AGENT_EV_DONE);
	ck_assert_int_eq(e->tokens_in, 400);
	ck_assert_int_eq(e->tokens_out, 40);
	evlog_free(&l);
	/* -o json says only "Exec failed", whatever failed */
	feed_file(AGENT_D_DROID_JSON, "droid/json-err401.log", &l);
	e = final_ev(&l);
	ck_assert_int_eq(e->kind, AGENT_EV_ERROR);
	is_str(e->text, "Exec failed");
	evlog_free(&l);
}
END_TEST

START_TEST(droid_text_is_the_answer_and_its_error_line_is_final)
{
	struct evlog l = { 0 };

	feed_file(AGENT_D_DROID_TEXT, "droid/text-happy.log", &l);
	ck_assert_uint_eq(l.n, 1);
	ck_assert_int_eq(l.v[0].e.kind, AGENT_EV_TEXT);
	is_str(l.v[0].e.text, "Done.");
	evlog_free(&l);
	feed_file(AGENT_D_DROID_TEXT, "droid/text-err401.log", &l);
	ck_assert_uint_eq(l.n, 1);
	ck_assert_int_eq(l.v[0].e.kind, AGENT_EV_ERROR);
	ck_assert_int_eq(l.v[0].e.final, 1);
	is_str(l.v[0].e.text, "Error during droid execution: Exec failed");
	evlog_free(&l);
}
END_TEST

/* Droid's lines share their types with Claude Code's (system/init,
 * result) and Gemini CLI's (message, tool_result): told apart by what
 * each carries. */
START_TEST(droid_lines_are_told_from_claude_and_gemini_lines)
{
	static const struct {
		const char *head;
		enum agent_dialect want;
	} t[] = {
		{ "{\"type\":\"system\",\"subtype\":\"init\",\"cwd\":\"/p\",\"session_id\":\"" DR_SID "\","
		  "\"tools\":[\"Read\"],\"model\":\"m\",\"reasoning_effort\":\"none\"}\n", AGENT_D_DROID_STREAM },
		{ "{\"type\":\"system\",\"subtype\":\"init\",\"cwd\":\"/p\",\"session_id\":\"" DR_SID "\","
		  "\"tools\":[],\"model\":\"m\"}\n", AGENT_D_DROID_STREAM },
		{ "{\"type\":\"system\",\"subtype\":\"init\",\"cwd\":\"/p\",\"session_id\":\"" DR_SID "\","
		  "\"tools\":[],\"mcp_servers\":[],\"model\":\"m\"}\n", AGENT_D_CLAUDE_STREAM },
		{ "{\"type\":\"system\",\"subtype\":\"init\",\"session_id\":\"x\"}\n", AGENT_D_CLAUDE_STREAM },
		{ "{\"type\":\"system\",\"subtype\":\"init\",\"cwd\":\"/p\",\"session_id\":\"" DR_SID "\","
		  "\"tools\":[],\"model\":\"m\",\"apiKeySource\":\"none\",\"uuid\":\"" CL_SID "\"}\n",
		  AGENT_D_CLAUDE_STREAM },
		{ DLINE("message", "\"role\":\"user\",\"text\":\"hi\""), AGENT_D_DROID_STREAM },
		{ DLINE("completion", "\"finalText\":\"Done.\""), AGENT_D_DROID_STREAM },
		{ "{\"type\":\"message\",\"timestamp\":\"2026-11-23T19:57:01.671Z\",\"role\":\"user\","
		  "\"content\":\"hi\"}\n", AGENT_D_GEMINI_STREAM },
		{ "{\"type\":\"result\",\"subtype\":\"success\",\"is_error\":false,\"result\":\"Done.\","
		  "\"session_id\":\"" DR_SID "\",\"usage\":{\"input_tokens\":1,\"factory_credits\":0}}\n",
		  AGENT_D_DROID_JSON },
		{ "{\"type\":\"result\",\"subtype\":\"success\",\"is_error\":false,\"result\":\"Done.\","
		  "\"session_id\":\"" CL_SID "\",\"total_cost_usd\":0.1,\"usage\":{\"input_tokens\":1}}\n",
		  AGENT_D_CLAUDE_JSON },
		{ "{\"type\":\"result\",\"session_id\":\"x\"}\n", AGENT_D_CLAUDE_JSON },
		{ "Error during droid execution: Exec failed\n", AGENT_D_DROID_TEXT },
	};

	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++)
		ck_assert_msg(agent_dialect_detect(t[i].head, strlen(t[i].head)) == t[i].want,
		    "case %zu: %s", i, t[i].head);
}
END_TEST

START_TEST(droid_session_is_found_in_any_line_of_the_stream_and_json)
{
	char buf[64];
	const char *l = DLINE("message", "\"role\":\"user\",\"text\":\"hi\"");

	ck_assert_uint_eq(agent_session_in_line(AGENT_D_DROID_STREAM, l, strlen(l), buf,
	    sizeof buf), 36);
	is_str(buf, DR_SID);
	ck_assert_uint_eq(agent_session_in_line(AGENT_D_DROID_JSON, l, strlen(l), buf,
	    sizeof buf), 36);
	ck_assert_uint_eq(agent_session_in_line(AGENT_D_DROID_TEXT, l, strlen(l), buf,
	    sizeof buf), 0);
}
END_TEST

/* Format drift: what droid 0.225.2 did not write is named, and weighs
 * nothing in the verdict. */
START_TEST(droid_names_what_it_does_not_know)
{
	struct evlog l = { 0 };
	const struct agent_event *e;

	feed_str(AGENT_D_DROID_STREAM,
	    DLINE("tool_progress", "\"id\":\"c1\"")
	    DLINE("error", "\"source\":\"mcp\",\"message\":\"server gone\"")
	    DLINE("message", "\"role\":\"system\",\"text\":\"hi\"")
	    DLINE("completion", "\"finalText\":\"Done.\""), &l);
	/* the first line's session event carries its type; the others are
	 * events of their own */
	is_str(nth(&l, AGENT_EV_SESSION, 0)->unknown, "tool_progress");
	ck_assert_int_eq(count(&l, AGENT_EV_UNKNOWN), 1);
	is_str(nth(&l, AGENT_EV_UNKNOWN, 0)->unknown, "message.role=system");
	e = nth(&l, AGENT_EV_ERROR, 0);
	is_str(e->unknown, "error.source=mcp");
	ck_assert_int_eq(final_ev(&l)->kind, AGENT_EV_DONE);
	ck_assert_ptr_null(final_ev(&l)->unknown);
	evlog_free(&l);
	/* -o json: a result without is_error reads by its subtype, and says
	 * what it lacked */
	feed_str(AGENT_D_DROID_JSON, "{\"type\":\"result\",\"subtype\":\"success\",\"result\":\"ok\","
	    "\"session_id\":\"" DR_SID "\"}\n", &l);
	e = final_ev(&l);
	ck_assert_int_eq(e->kind, AGENT_EV_DONE);
	is_str(e->unknown, "result.is_error");
	evlog_free(&l);
}
END_TEST

static Suite *
droid_suite(void)
{
	Suite *s = suite_create("dialect_droid");
	TCase *tc = tcase_create("droid");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, every_droid_fixture_gives_its_manifest_session_and_final_event);
	tcase_add_test(tc, droid_stream_happy_pairs_tools_and_ends_with_its_completion);
	tcase_add_test(tc, droid_failing_command_is_a_tool_error_with_its_exit_code);
	tcase_add_test(tc, droid_cut_off_by_kill_ends_with_its_tool_running);
	tcase_add_test(tc, droid_tool_stopped_by_a_signal_fails_and_the_turn_completes);
	tcase_add_test(tc, droid_api_errors_end_the_run_once_with_the_apis_words);
	tcase_add_test(tc, droid_cli_error_alone_ends_the_run_and_work_after_an_error_goes_on);
	tcase_add_test(tc, droid_tool_result_without_its_call_is_named_by_its_tool_id);
	tcase_add_test(tc, droid_tools_have_their_kinds);
	tcase_add_test(tc, droid_json_result_is_text_and_completion_or_the_error);
	tcase_add_test(tc, droid_text_is_the_answer_and_its_error_line_is_final);
	tcase_add_test(tc, droid_lines_are_told_from_claude_and_gemini_lines);
	tcase_add_test(tc, droid_session_is_found_in_any_line_of_the_stream_and_json);
	tcase_add_test(tc, droid_names_what_it_does_not_know);
	suite_add_tcase(s, tc);
	return s;
}

CHECK_MAIN(droid_suite)
