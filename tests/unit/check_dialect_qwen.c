/* check_dialect_qwen.c — Qwen Code's logs (tests/fixtures/qwen/):
 * stream-json lines, the one array of --output-format json, the answer
 * of its text mode among its warning and retry lines; real fixtures and
 * synthetic lines. */
#include "dialect_test.h"

#define QW_SID "43f3548f-2d2d-4903-9cca-4fe2b1062fdd"
#define QW_LINE(rest) "{\"type\":" rest ",\"uuid\":\"u\",\"session_id\":\"" QW_SID "\"}\n"
#define QW_WARNING "Warning: running headless with --yolo / approval-mode=yolo and no " \
	"sandbox. All tool calls (shell, write, edit) auto-execute at this process's " \
	"privilege level. Configure tools.executionSandbox on Linux or a supported legacy " \
	"sandbox via --sandbox / QWEN_SANDBOX, or set QWEN_CODE_SUPPRESS_YOLO_WARNING=1 to " \
	"silence this notice.\n"

/* Every fixture of tests/fixtures/qwen/ in a format with a completion
 * signal: its MANIFEST session id and the final event its verdict needs. */
START_TEST(every_qwen_fixture_gives_its_manifest_session_and_final_event)
{
	ck_assert_int_gt(check_agent_fixtures("qwen"), 0);
}
END_TEST

START_TEST(qwen_stream_happy_reads_tools_text_and_the_result)
{
	struct evlog l = { 0 };
	const struct agent_event *e;

	feed_file(AGENT_D_QWEN_STREAM, "qwen/stream-json-happy.log", &l);
	is_str(nth(&l, AGENT_EV_MODEL, 0)->model, "fake-model");
	ck_assert_uint_eq(count(&l, AGENT_EV_TEXT), 4);
	is_str(nth(&l, AGENT_EV_TEXT, 3)->text, "Done.");
	ck_assert_uint_eq(count(&l, AGENT_EV_TOOL), 6);
	ck_assert_int_eq(nth(&l, AGENT_EV_TOOL, 0)->tkind, AGENT_TK_READ);
	e = nth(&l, AGENT_EV_TOOL, 3);
	tool_is(e, AGENT_TOOL_COMPLETED, AGENT_TK_SHELL, "run_shell_command", NULL, "echo hi");
	ck_assert_int_eq(e->exit_code, 0);
	is_str(e->text, "hi");
	ck_assert_int_eq(nth(&l, AGENT_EV_TOOL, 5)->tkind, AGENT_TK_WRITE);
	e = final_ev(&l);
	ck_assert_int_eq(e->kind, AGENT_EV_DONE);
	ck_assert_int_eq(e->tokens_in, 400);
	ck_assert_int_eq(e->tokens_out, 40);
	ck_assert_uint_eq(count(&l, AGENT_EV_ERROR), 0);
	evlog_free(&l);
}
END_TEST

START_TEST(qwen_failing_command_and_api_errors)
{
	struct evlog l = { 0 };
	const struct agent_event *e;

	feed_str(AGENT_D_QWEN_STREAM, QW_WARNING
	    QW_LINE("\"assistant\",\"message\":{\"content\":[{\"type\":\"tool_use\",\"id\":\"c1\","
	            "\"name\":\"run_shell_command\",\"input\":{\"command\":\"ls /nope\"}}]}")
	    QW_LINE("\"user\",\"message\":{\"content\":[{\"type\":\"tool_result\",\"tool_use_id\":\"c1\","
	            "\"is_error\":true,\"content\":\"Command: ls /nope\\nDirectory: (root)\\n"
	            "Output: ls: cannot access\\nError: (none)\\nExit Code: 2\"}]}")
	    QW_LINE("\"system\",\"subtype\":\"retry\",\"data\":{\"attempt\":1,\"maxRetries\":10,"
	            "\"delayMs\":1000}")
	    "Retrying in 1s (attempt 1/10): [API Error: 429 Rate limit reached. Please try again in 1s.]\n"
	    QW_LINE("\"assistant\",\"message\":{\"content\":[{\"type\":\"text\",\"text\":"
	            "\"[API Error: 429 Rate limit reached. Please try again in 1s.]\"}]}")
	    QW_LINE("\"result\",\"subtype\":\"error_during_execution\",\"is_error\":true,"
	            "\"error\":{\"message\":\"[API Error: 429 Rate limit reached. Please try again in 1s.]\"}"),
	    &l);
	e = nth(&l, AGENT_EV_TOOL, 1);
	tool_is(e, AGENT_TOOL_ERROR, AGENT_TK_SHELL, "run_shell_command", NULL, "ls /nope");
	ck_assert_int_eq(e->exit_code, 2);
	/* the retry line, the stderr line and the assistant's text: not the end */
	ck_assert_uint_eq(count(&l, AGENT_EV_ERROR), 3);
	for (size_t i = 0; i < 3; i++)
		ck_assert_int_eq(nth(&l, AGENT_EV_ERROR, i)->final, 0);
	ck_assert_uint_eq(count(&l, AGENT_EV_TEXT), 0);
	e = final_ev(&l);
	ck_assert_ptr_eq(e, &l.v[l.n - 1].e);
	ck_assert_int_eq(e->kind, AGENT_EV_LIMIT);
	ck_assert_int_eq(e->http_status, 429);
	is_str(session_of(&l), QW_SID);
	evlog_free(&l);
	feed_str(AGENT_D_QWEN_STREAM,
	    QW_LINE("\"result\",\"subtype\":\"error_during_execution\",\"is_error\":true,"
	            "\"error\":{\"message\":\"[API Error: 401 Incorrect API key provided: dummy]\"}"), &l);
	e = final_ev(&l);
	ck_assert_int_eq(e->kind, AGENT_EV_ERROR);
	ck_assert_int_eq(e->http_status, 401);
	evlog_free(&l);
}
END_TEST

/* A group signal: the running tool's result says "[Operation Cancelled]"
 * and the plain line "Operation cancelled." ends the log. */
START_TEST(qwen_cancelled_run_is_an_interruption)
{
	struct evlog l = { 0 };

	feed_str(AGENT_D_QWEN_STREAM,
	    QW_LINE("\"assistant\",\"message\":{\"content\":[{\"type\":\"tool_use\",\"id\":\"c1\","
	            "\"name\":\"run_shell_command\",\"input\":{\"command\":\"sleep 60\"}}]}")
	    QW_LINE("\"user\",\"message\":{\"content\":[{\"type\":\"tool_result\",\"tool_use_id\":\"c1\","
	            "\"is_error\":true,\"content\":\"[Operation Cancelled] Reason: user\"}]}")
	    "Operation cancelled.\n", &l);
	ck_assert_int_eq(nth(&l, AGENT_EV_TOOL, 1)->status, AGENT_TOOL_ERROR);
	ck_assert_int_eq(final_ev(&l)->kind, AGENT_EV_INTERRUPT);
	ck_assert_uint_eq(count(&l, AGENT_EV_ERROR), 0);
	evlog_free(&l);
	feed_str(AGENT_D_QWEN_TEXT, QW_WARNING "Operation cancelled.\n", &l);
	ck_assert_uint_eq(l.n, 1);
	ck_assert_int_eq(final_ev(&l)->kind, AGENT_EV_INTERRUPT);
	evlog_free(&l);
}
END_TEST

START_TEST(qwen_text_is_the_answer_and_its_errors)
{
	struct evlog l = { 0 };

	/* the error object it ends with, in the json and text formats */
	for (int d = AGENT_D_QWEN_JSON; d <= AGENT_D_QWEN_TEXT; d++) {
		feed_str(d, QW_WARNING "{\n  \"error\": {\n    \"type\": \"FatalCancellationError\",\n"
		    "    \"message\": \"Operation cancelled.\",\n    \"code\": 130\n  }\n}\n", &l);
		ck_assert_uint_eq(l.n, 1);
		ck_assert_int_eq(final_ev(&l)->kind, AGENT_EV_INTERRUPT);
		evlog_free(&l);
		feed_str(d, "{\n  \"error\": {\n    \"type\": \"AlreadyReportedError\",\n"
		    "    \"message\": \"[API Error: 401 Incorrect API key provided: x]\",\n"
		    "    \"code\": 1\n  }\n}\n", &l);
		ck_assert_uint_eq(l.n, 1);
		ck_assert_int_eq(final_ev(&l)->kind, AGENT_EV_ERROR);
		ck_assert_int_eq(final_ev(&l)->http_status, 401);
		evlog_free(&l);
	}
	/* a brace that opens no error object is the answer's */
	feed_str(AGENT_D_QWEN_TEXT, "{\n  \"a\": 1\n}\n", &l);
	ck_assert_uint_eq(count(&l, AGENT_EV_TEXT), 3);
	is_str(l.v[0].e.text, "{");
	evlog_free(&l);

	feed_str(AGENT_D_QWEN_TEXT, QW_WARNING "Done.\n", &l);
	ck_assert_uint_eq(l.n, 1);
	is_str(l.v[0].e.text, "Done.");
	evlog_free(&l);
	feed_str(AGENT_D_QWEN_TEXT, QW_WARNING
	    "Retrying in 2s (attempt 1/10): [API Error: 500 fake internal server error]\n"
	    "[API Error: 500 fake internal server error]\n", &l);
	ck_assert_int_eq(nth(&l, AGENT_EV_ERROR, 0)->final, 0);
	ck_assert_int_eq(final_ev(&l)->kind, AGENT_EV_ERROR);
	ck_assert_int_eq(final_ev(&l)->http_status, 500);
	ck_assert_uint_eq(count(&l, AGENT_EV_TEXT), 0);
	evlog_free(&l);
}
END_TEST

START_TEST(qwen_detection_tells_it_from_claude)
{
	const char *init = QW_WARNING
	    "{\"type\":\"system\",\"subtype\":\"init\",\"uuid\":\"" QW_SID "\",\"session_id\":\""
	    QW_SID "\",\"model\":\"fake-model\",\"permission_mode\":\"yolo\","
	    "\"qwen_code_version\":\"0.24.4\"}\n";
	const char *arr = "[{\"type\":\"system\",\"subtype\":\"init\",\"session_id\":\"" QW_SID
	    "\",\"qwen_code_version\":\"0.24.4\"},{\"type\":\"result\",\"subtype\":\"success\","
	    "\"session_id\":\"" QW_SID "\",\"is_error\":false,\"result\":\"Done.\"}]\n";
	const char *claude = "{\"type\":\"system\",\"subtype\":\"init\",\"session_id\":\"" CL_SID "\"}\n";
	struct evlog l = { 0 };

	ck_assert_int_eq(agent_dialect_detect(init, strlen(init)), AGENT_D_QWEN_STREAM);
	ck_assert_int_eq(agent_dialect_detect(claude, strlen(claude)), AGENT_D_CLAUDE_STREAM);
	ck_assert_int_eq(agent_dialect_detect(QW_WARNING "Done.\n", strlen(QW_WARNING) + 6),
	    AGENT_D_QWEN_TEXT);
	ck_assert_int_eq(agent_dialect_detect(arr, strlen(arr)), AGENT_D_QWEN_JSON);
	feed_str(AGENT_D_QWEN_JSON, arr, &l);
	ck_assert_int_eq(final_ev(&l)->kind, AGENT_EV_DONE);
	is_str(session_of(&l), QW_SID);
	evlog_free(&l);
}
END_TEST

/* Format drift: a line type or a result subtype 0.24.4 did not write is
 * named. */
START_TEST(qwen_names_what_it_does_not_know)
{
	struct evlog l = { 0 };

	feed_str(AGENT_D_QWEN_STREAM,
	    QW_LINE("\"stream_event\",\"event\":{\"type\":\"goal_state\"}")
	    QW_LINE("\"tool_progress\",\"tool_use_id\":\"c1\"")
	    QW_LINE("\"result\",\"subtype\":\"error_max_turns\",\"is_error\":true,"
	            "\"error\":{\"message\":\"Reached max turns\"}"), &l);
	is_str(nth(&l, AGENT_EV_UNKNOWN, 0)->unknown, "tool_progress");
	is_str(final_ev(&l)->unknown, "result.subtype=error_max_turns");
	ck_assert_int_eq(final_ev(&l)->kind, AGENT_EV_ERROR);
	evlog_free(&l);
	feed_file(AGENT_D_QWEN_STREAM, "qwen/stream-json-happy.log", &l);
	for (size_t i = 0; i < l.n; i++)
		ck_assert_ptr_null(l.v[i].e.unknown);
	evlog_free(&l);
}
END_TEST

static Suite *
qwen_suite(void)
{
	Suite *s = suite_create("dialect_qwen");
	TCase *tc = tcase_create("qwen");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, every_qwen_fixture_gives_its_manifest_session_and_final_event);
	tcase_add_test(tc, qwen_stream_happy_reads_tools_text_and_the_result);
	tcase_add_test(tc, qwen_failing_command_and_api_errors);
	tcase_add_test(tc, qwen_cancelled_run_is_an_interruption);
	tcase_add_test(tc, qwen_text_is_the_answer_and_its_errors);
	tcase_add_test(tc, qwen_detection_tells_it_from_claude);
	tcase_add_test(tc, qwen_names_what_it_does_not_know);
	suite_add_tcase(s, tc);
	return s;
}

CHECK_MAIN(qwen_suite)
