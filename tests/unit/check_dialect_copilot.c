/* check_dialect_copilot.c — GitHub Copilot CLI's logs (tests/fixtures/
 * copilot/): --output-format json events and the result line, the text
 * output with its footer; real fixtures and synthetic lines. */
#include "dialect_test.h"

#define CP_SID "b0c0d39f-7f3f-4c12-ba2b-461f67453da0"
#define CP_TS "\"timestamp\":\"2026-11-30T16:53:38.461Z\""
#define CP_RESULT(code) "{\"type\":\"result\"," CP_TS ",\"sessionId\":\"" CP_SID "\"," \
	"\"exitCode\":" #code ",\"usage\":{\"premiumRequests\":0}}\n"

/* Every fixture of tests/fixtures/copilot/: its MANIFEST session id and
 * the final event its verdict needs. */
START_TEST(every_copilot_fixture_gives_its_manifest_session_and_final_event)
{
	ck_assert_int_gt(check_agent_fixtures("copilot"), 0);
}
END_TEST

START_TEST(copilot_json_happy_reads_tools_text_and_the_result)
{
	struct evlog l = { 0 };
	const struct agent_event *e;

	feed_file(AGENT_D_COPILOT_JSON, "copilot/json-happy.log", &l);
	is_str(nth(&l, AGENT_EV_MODEL, 0)->model, "fake-model");
	ck_assert_uint_eq(count(&l, AGENT_EV_TEXT), 4);
	is_str(nth(&l, AGENT_EV_TEXT, 0)->text, "I'll read the input file first.");
	is_str(nth(&l, AGENT_EV_TEXT, 3)->text, "Done.");
	ck_assert_uint_eq(count(&l, AGENT_EV_TOOL), 6);
	e = nth(&l, AGENT_EV_TOOL, 0);
	ck_assert_int_eq(e->status, AGENT_TOOL_RUNNING);
	ck_assert_int_eq(e->tkind, AGENT_TK_READ);
	is_str(e->tool, "view");
	e = nth(&l, AGENT_EV_TOOL, 3);
	tool_is(e, AGENT_TOOL_COMPLETED, AGENT_TK_SHELL, "bash", NULL, "echo hi");
	ck_assert_int_eq(e->exit_code, 0);
	e = nth(&l, AGENT_EV_TOOL, 5);
	ck_assert_int_eq(e->status, AGENT_TOOL_COMPLETED);
	ck_assert_int_eq(e->tkind, AGENT_TK_WRITE);
	is_str(e->tool, "create");
	e = final_ev(&l);
	ck_assert_int_eq(e->kind, AGENT_EV_DONE);
	ck_assert(e->ts > 1795000000);
	evlog_free(&l);
}
END_TEST

/* A shell command that fails is a success of the tool, with its exit code. */
START_TEST(copilot_failing_command_is_a_failed_tool_with_its_exit_code)
{
	struct evlog l = { 0 };
	const struct agent_event *e;

	feed_str(AGENT_D_COPILOT_JSON,
	    "{\"type\":\"tool.execution_start\",\"data\":{\"toolCallId\":\"c1\",\"toolName\":\"bash\","
	    "\"arguments\":{\"command\":\"ls /nope\",\"description\":\"Runs ls\"}},\"id\":\"x\"," CP_TS "}\n"
	    "{\"type\":\"tool.execution_complete\",\"data\":{\"toolCallId\":\"c1\",\"shellExecution\":"
	    "{\"exitCode\":2},\"success\":true,\"result\":{\"content\":\"ls: cannot access\\n"
	    "<shellId: 0 completed with exit code 2>\"}},\"id\":\"y\"," CP_TS "}\n"
	    "{\"type\":\"tool.execution_complete\",\"data\":{\"toolCallId\":\"c2\",\"success\":false,"
	    "\"error\":{\"message\":\"no such file\"}},\"id\":\"z\"," CP_TS "}\n"
	    CP_RESULT(0), &l);
	e = nth(&l, AGENT_EV_TOOL, 1);
	tool_is(e, AGENT_TOOL_ERROR, AGENT_TK_SHELL, "bash", NULL, "ls /nope");
	ck_assert_int_eq(e->exit_code, 2);
	e = nth(&l, AGENT_EV_TOOL, 2);
	ck_assert_int_eq(e->status, AGENT_TOOL_ERROR);
	is_str(e->text, "no such file");
	ck_assert_int_eq(final_ev(&l)->kind, AGENT_EV_DONE);
	is_str(session_of(&l), CP_SID);
	evlog_free(&l);
}
END_TEST

/* session.error, then assistant.idle and the result: the error is the
 * last word, at the result line; a rate_limit one is a limit. */
START_TEST(copilot_session_error_ends_the_run_at_the_result)
{
	static const char *const errs[][3] = {
		{ "authentication", "Authentication failed with provider at http://h/v1 (Request ID: x)", "401" },
		{ "rate_limit", "Failed to get response from the AI model; retried 5 times (total retry "
		  "wait time: 5.1 seconds) Last error: 429 Rate limit reached. Please try again in 1s.", "429" },
		{ "query", "Failed to get response from the AI model; retried 5 times Last error: 500 "
		  "fake internal server error", "500" },
	};
	struct evlog l = { 0 };
	char buf[1024];
	const struct agent_event *e;

	for (size_t i = 0; i < 3; i++) {
		snprintf(buf, sizeof buf,
		    "{\"type\":\"assistant.turn_retry\",\"data\":{\"reason\":\"%s\"},\"id\":\"a\"," CP_TS "}\n"
		    "{\"type\":\"session.error\",\"data\":{\"errorType\":\"%s\",\"message\":\"%s\","
		    "\"statusCode\":%s},\"id\":\"b\"," CP_TS "}\n"
		    "{\"type\":\"assistant.idle\",\"data\":{},\"ephemeral\":true,\"id\":\"c\"," CP_TS "}\n"
		    CP_RESULT(1), errs[i][0], errs[i][0], errs[i][1], errs[i][2]);
		feed_str(AGENT_D_COPILOT_JSON, buf, &l);
		e = nth(&l, AGENT_EV_ERROR, 0);
		ck_assert_int_eq(e->final, 0);      /* the retry */
		e = final_ev(&l);
		ck_assert_ptr_eq(e, &l.v[l.n - 1].e);
		ck_assert_int_eq(e->kind, i == 1 ? AGENT_EV_LIMIT : AGENT_EV_ERROR);
		ck_assert_int_eq(e->http_status, atoi(errs[i][2]));
		is_str(e->text, errs[i][1]);
		if (i == 1)
			ck_assert(fabs(e->resets_in - 1) < 0.01);
		is_str(session_of(&l), CP_SID);
		evlog_free(&l);
	}
	/* a result that fails with no error before it */
	feed_str(AGENT_D_COPILOT_JSON, CP_RESULT(1), &l);
	ck_assert_int_eq(final_ev(&l)->kind, AGENT_EV_ERROR);
	is_str(final_ev(&l)->text, "exit code 1");
	evlog_free(&l);
}
END_TEST

/* A signal to the group: assistant.idle {aborted}, then the result or the
 * plain line about the disposed session. */
START_TEST(copilot_aborted_run_is_an_interruption)
{
	struct evlog l = { 0 };

	feed_str(AGENT_D_COPILOT_JSON,
	    "{\"type\":\"assistant.idle\",\"data\":{\"aborted\":true},\"ephemeral\":true,\"id\":\"c\"," CP_TS "}\n"
	    CP_RESULT(0), &l);
	ck_assert_int_eq(final_ev(&l)->kind, AGENT_EV_INTERRUPT);
	ck_assert_uint_eq(count(&l, AGENT_EV_DONE), 0);
	evlog_free(&l);
	feed_str(AGENT_D_COPILOT_JSON,
	    "{\"type\":\"assistant.idle\",\"data\":{\"aborted\":true},\"ephemeral\":true,\"id\":\"c\"," CP_TS "}\n"
	    "Error executing prompt: Error: Cannot invoke native session after disposal has started\n", &l);
	ck_assert_int_eq(final_ev(&l)->kind, AGENT_EV_INTERRUPT);
	ck_assert_uint_eq(count(&l, AGENT_EV_ERROR), 0);
	evlog_free(&l);
	/* any other failure to run the prompt is an error */
	feed_str(AGENT_D_COPILOT_JSON, "Error executing prompt: Error: no model\n", &l);
	ck_assert_int_eq(final_ev(&l)->kind, AGENT_EV_ERROR);
	evlog_free(&l);
}
END_TEST

START_TEST(copilot_text_reads_tools_footer_and_errors)
{
	struct evlog l = { 0 };
	const struct agent_event *e;

	feed_file(AGENT_D_COPILOT_TEXT, "copilot/text-happy.log", &l);
	ck_assert_uint_eq(count(&l, AGENT_EV_TEXT), 4);
	ck_assert_uint_eq(count(&l, AGENT_EV_TOOL), 3);
	e = nth(&l, AGENT_EV_TOOL, 0);
	ck_assert_int_eq(e->tkind, AGENT_TK_READ);
	ck_assert_int_eq(e->status, AGENT_TOOL_COMPLETED);
	is_str(e->path, "input.txt");
	e = nth(&l, AGENT_EV_TOOL, 1);
	ck_assert_int_eq(e->tkind, AGENT_TK_SHELL);
	is_str(e->title, "Runs echo");
	e = nth(&l, AGENT_EV_TOOL, 2);
	ck_assert_int_eq(e->tkind, AGENT_TK_WRITE);
	is_str(e->path, "output.txt");
	ck_assert_int_eq(final_ev(&l)->kind, AGENT_EV_DONE);
	evlog_free(&l);
	/* an error before the footer is the last word */
	feed_str(AGENT_D_COPILOT_TEXT,
	    "● Request failed due to a transient API error. Retrying...\n"
	    "Failed to get response from the AI model; retried 5 times (total retry wait time: "
	    "16.2 seconds) Last error: 500 fake internal server error\n\n"
	    "Changes    +0 -0\nDuration   17s\nTokens     ↑ 0 • ↓ 0\n"
	    "Resume     copilot --resume=" CP_SID "\n", &l);
	ck_assert_int_eq(nth(&l, AGENT_EV_ERROR, 0)->final, 0);
	e = final_ev(&l);
	ck_assert_int_eq(e->kind, AGENT_EV_ERROR);
	ck_assert_int_eq(e->http_status, 500);
	ck_assert_uint_eq(count(&l, AGENT_EV_DONE), 0);
	is_str(session_of(&l), CP_SID);
	ck_assert_uint_eq(count(&l, AGENT_EV_TEXT), 0);
	evlog_free(&l);
	feed_str(AGENT_D_COPILOT_TEXT,
	    "Running a long command.\n\n\nExiting…\n✗ Runs sleep (shell)\n  │ sleep 60\n"
	    "  └ Operation aborted by user\n\n● Operation cancelled by user\n\n"
	    "Error executing prompt: Error: Cannot invoke native session after disposal has started\n", &l);
	ck_assert_int_eq(final_ev(&l)->kind, AGENT_EV_INTERRUPT);
	ck_assert_uint_eq(count(&l, AGENT_EV_TEXT), 1);
	ck_assert_int_eq(nth(&l, AGENT_EV_TOOL, 0)->status, AGENT_TOOL_ERROR);
	ck_assert_uint_eq(count(&l, AGENT_EV_ERROR), 0);
	evlog_free(&l);
	/* a failed command's further output lines are indented under it */
	feed_str(AGENT_D_COPILOT_TEXT,
	    "✗ Runs ls (shell)\n  │ ls /nope\n  └ ls: cannot access '/nope'\n"
	    "    Failed with exit code 2\n\nDone.\n", &l);
	ck_assert_uint_eq(count(&l, AGENT_EV_TEXT), 1);
	is_str(nth(&l, AGENT_EV_TEXT, 0)->text, "Done.");
	evlog_free(&l);
}
END_TEST

START_TEST(copilot_detection_and_session_lines)
{
	const char *res = CP_RESULT(0), *foot = "Resume     copilot --resume=" CP_SID;
	char buf[64];

	ck_assert_int_eq(agent_dialect_detect(res, strlen(res)), AGENT_D_COPILOT_JSON);
	ck_assert_int_eq(agent_dialect_detect(foot, strlen(foot)), AGENT_D_COPILOT_TEXT);
	ck_assert_int_eq(agent_dialect_detect("Hi.\n● Read a.txt\n  └ 1 line read\n", 34),
	    AGENT_D_COPILOT_TEXT);
	/* a bullet alone names nothing */
	ck_assert_int_eq(agent_dialect_detect("● item\n", 9), AGENT_D_GENERIC);
	ck_assert_uint_eq(agent_session_in_line(AGENT_D_COPILOT_JSON, res, strlen(res), buf,
	    sizeof buf), 36);
	is_str(buf, CP_SID);
	ck_assert_uint_eq(agent_session_in_line(AGENT_D_COPILOT_TEXT, foot, strlen(foot), buf,
	    sizeof buf), 36);
	is_str(buf, CP_SID);
	ck_assert_uint_eq(agent_session_in_line(AGENT_D_GENERIC, foot, strlen(foot), buf,
	    sizeof buf), 36);
}
END_TEST

/* Format drift: an event type, or a kind of session error, that 1.0.102
 * did not write is named. */
START_TEST(copilot_names_what_it_does_not_know)
{
	struct evlog l = { 0 };
	const struct agent_event *e;

	feed_str(AGENT_D_COPILOT_JSON,
	    "{\"type\":\"session.compaction_start\",\"data\":{},\"id\":\"a\"," CP_TS "}\n"
	    "{\"type\":\"session.error\",\"data\":{\"errorType\":\"context_length\",\"message\":"
	    "\"too long\"},\"id\":\"b\"," CP_TS "}\n" CP_RESULT(1), &l);
	e = nth(&l, AGENT_EV_UNKNOWN, 0);
	is_str(e->unknown, "session.compaction_start");
	e = nth(&l, AGENT_EV_ERROR, 0);
	is_str(e->unknown, "session.error.errorType=context_length");
	ck_assert_int_eq(final_ev(&l)->kind, AGENT_EV_ERROR);
	evlog_free(&l);
	/* every captured type is known */
	feed_file(AGENT_D_COPILOT_JSON, "copilot/json-limit429.log", &l);
	ck_assert_uint_eq(count(&l, AGENT_EV_UNKNOWN), 0);
	for (size_t i = 0; i < l.n; i++)
		ck_assert_ptr_null(l.v[i].e.unknown);
	evlog_free(&l);
}
END_TEST

static Suite *
copilot_suite(void)
{
	Suite *s = suite_create("dialect_copilot");
	TCase *tc = tcase_create("copilot");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, every_copilot_fixture_gives_its_manifest_session_and_final_event);
	tcase_add_test(tc, copilot_json_happy_reads_tools_text_and_the_result);
	tcase_add_test(tc, copilot_failing_command_is_a_failed_tool_with_its_exit_code);
	tcase_add_test(tc, copilot_session_error_ends_the_run_at_the_result);
	tcase_add_test(tc, copilot_aborted_run_is_an_interruption);
	tcase_add_test(tc, copilot_text_reads_tools_footer_and_errors);
	tcase_add_test(tc, copilot_detection_and_session_lines);
	tcase_add_test(tc, copilot_names_what_it_does_not_know);
	suite_add_tcase(s, tc);
	return s;
}

CHECK_MAIN(copilot_suite)
