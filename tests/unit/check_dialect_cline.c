/* check_dialect_cline.c — Cline's logs (tests/fixtures/cline/): --json
 * lines among the AI SDK's warnings, and the transcript; real fixtures and
 * one synthetic line per rule. */
#include <math.h>
#include "dialect_test.h"

#define TS "{\"ts\":\"2026-11-30T17:00:00.000Z\","
#define EV(x) TS "\"type\":\"agent_event\",\"event\":{" x "}}\n"

static enum agent_dialect
cline_dialect(const char *log)
{
	return strncmp(log, "cline/json-", 11) == 0 ? AGENT_D_CLINE_JSON : AGENT_D_CLINE_TEXT;
}

/* Every fixture: the final event its verdict needs (json), no session id,
 * and the verdict agent-state gives it with its exit status. */
START_TEST(every_cline_fixture_gives_its_final_event_and_verdict)
{
	ck_assert_int_gt(check_agent_fixtures("cline"), 8);
	ck_assert_int_gt(check_agent_verdicts("cline", cline_dialect), 8);
}
END_TEST

START_TEST(cline_happy_gives_each_tool_twice_its_text_whole_and_done)
{
	struct evlog l = { 0 };
	const struct agent_event *e;

	feed_file(AGENT_D_CLINE_JSON, "cline/json-happy.log", &l);
	ck_assert_int_eq(count(&l, AGENT_EV_TOOL), 6);
	e = nth(&l, AGENT_EV_TOOL, 1);
	tool_is(e, AGENT_TOOL_COMPLETED, AGENT_TK_READ, "read_files", NULL, NULL);
	ck_assert(strstr(e->path, "/json-happy/proj/input.txt") != NULL);
	e = nth(&l, AGENT_EV_TOOL, 3);
	tool_is(e, AGENT_TOOL_COMPLETED, AGENT_TK_SHELL, "run_commands", NULL, "echo hi");
	ck_assert_int_eq(e->exit_code, 0);
	is_str(e->text, "hi\n");
	tool_is(nth(&l, AGENT_EV_TOOL, 5), AGENT_TOOL_COMPLETED, AGENT_TK_EDIT, "editor", NULL, NULL);
	/* the deltas of content_start are not text; content_end is, once */
	ck_assert_int_eq(count(&l, AGENT_EV_TEXT), 4);
	is_str(nth(&l, AGENT_EV_TEXT, 3)->text, "Done.");
	is_str(nth(&l, AGENT_EV_MODEL, 0)->model, "fake-model");
	ck_assert_int_eq(final_ev(&l)->kind, AGENT_EV_DONE);
	ck_assert_ptr_null(session_of(&l));
	evlog_free(&l);
}
END_TEST

START_TEST(cline_failing_command_is_a_failed_tool_and_the_run_goes_on)
{
	struct evlog l = { 0 };
	const struct agent_event *e;

	feed_file(AGENT_D_CLINE_JSON, "cline/json-toolfail.log", &l);
	e = nth(&l, AGENT_EV_TOOL, 1);
	tool_is(e, AGENT_TOOL_ERROR, AGENT_TK_SHELL, "run_commands", NULL, "ls /nonexistent-e2e-path");
	ck_assert_int_eq(e->exit_code, 2);
	ck_assert_int_eq(final_ev(&l)->kind, AGENT_EV_DONE);
	evlog_free(&l);
}
END_TEST

/* SIGTERM: Cline cuts the tool, asks the model once more, reports the run
 * completed, then run_aborted, and exits 0: its last word is the abort. */
START_TEST(cline_sigterm_completed_then_aborted_is_cut_off)
{
	struct evlog l = { 0 };

	feed_file(AGENT_D_CLINE_JSON, "cline/json-cutoff-sigterm.log", &l);
	ck_assert_int_eq(count(&l, AGENT_EV_DONE), 1);
	ck_assert_int_eq(last(&l)->kind, AGENT_EV_INTERRUPT);
	ck_assert_int_eq(last(&l)->final, 1);
	ck_assert_int_eq(fixture_verdict(AGENT_D_CLINE_JSON, "cline/json-cutoff-sigterm.log"),
	    AGENT_ST_CUTOFF);
	evlog_free(&l);
}
END_TEST

START_TEST(cline_api_errors_end_the_run_with_their_message)
{
	static const struct {
		const char *log;
		enum agent_ev_kind kind;
		int status;
	} t[] = {
		{ "cline/json-err401.log", AGENT_EV_ERROR, 401 },
		{ "cline/json-err500.log", AGENT_EV_ERROR, -1 },
		{ "cline/json-limit429.log", AGENT_EV_LIMIT, -1 },
		{ "cline/json-quota.log", AGENT_EV_LIMIT, -1 },
	};

	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
		struct evlog l = { 0 };

		feed_file(AGENT_D_CLINE_JSON, t[i].log, &l);
		ck_assert_int_eq(final_ev(&l)->kind, t[i].kind);
		if (t[i].status >= 0)
			ck_assert_int_eq(final_ev(&l)->http_status, t[i].status);
		/* the agent's error event is a notice; run_result ends it */
		ck_assert_int_eq(nth(&l, AGENT_EV_ERROR, 0)->final, 0);
		evlog_free(&l);
	}
}
END_TEST

START_TEST(cline_json_lines_one_rule_each)
{
	struct evlog l = { 0 };

	feed_str(AGENT_D_CLINE_JSON,
	    "Warning: AI SDK Warning System: To turn off warning logging, set it.\n"
	    "      at iX (/$bunfs/root/chunk-c152qqqg.js:26:46952)\n"
	    "\n"
	    EV("\"type\":\"content_start\",\"contentType\":\"tool\",\"toolName\":\"read_files\","
	       "\"toolCallId\":\"c1\",\"input\":{\"files\":[\"/a\",\"/b\"]}")
	    EV("\"type\":\"content_end\",\"contentType\":\"tool\",\"toolName\":\"read_files\","
	       "\"toolCallId\":\"c1\",\"output\":[{\"query\":\"/a\",\"result\":\"x\",\"success\":true},"
	       "{\"query\":\"/b\",\"error\":\"no such file\",\"success\":false}]")
	    EV("\"type\":\"usage\",\"inputTokens\":100,\"outputTokens\":10")
	    TS "\"type\":\"run_result\",\"finishReason\":\"aborted\",\"text\":\"\"}\n", &l);
	ck_assert_uint_eq(l.n, 4);
	tool_is(&l.v[0].e, AGENT_TOOL_RUNNING, AGENT_TK_READ, "read_files", "/a", "/a");
	tool_is(&l.v[1].e, AGENT_TOOL_ERROR, AGENT_TK_READ, "read_files", "/a", "/a");
	is_str(l.v[1].e.text, "x\nno such file");
	ck_assert_int_eq(l.v[2].e.kind, AGENT_EV_STEP);
	ck_assert_int_eq(l.v[2].e.tokens_in, 100);
	ck_assert_int_eq(l.v[3].e.kind, AGENT_EV_INTERRUPT);
	ck_assert(fabs(l.v[3].e.ts - 1796058000.0) < 0.001);
	evlog_free(&l);
	feed_str(AGENT_D_CLINE_JSON,
	    "{\"type\":\"error\",\"message\":\"JSON output mode requires a prompt argument\"}\n", &l);
	ck_assert_int_eq(final_ev(&l)->kind, AGENT_EV_ERROR);
	evlog_free(&l);
}
END_TEST

START_TEST(cline_transcript_tools_errors_and_abort)
{
	struct evlog l = { 0 };

	feed_str(AGENT_D_CLINE_TEXT,
	    "I'll read the input file first.\n"
	    "\x1b[36m[read_files]\x1b[0m /p/input.txt\n"
	    "   \x1b[90m\xe2\x8e\xbf \x1b[0m\x1b[2m1 | some input\x1b[0m\n"
	    "[run_commands] ls /nope\n"
	    "   \xe2\x8e\xbf [Command exited with code 2]  [stderr] ls: cannot access '/nope'...\n"
	    "DeprecationWarning: AI SDK Warning (openai-compatible.chat / fake-model): Deprecated\n"
	    "      at iX (/$bunfs/root/chunk-c152qqqg.js:26:46952)\n"
	    "Done.\n"
	    "\x1b[2m[abort] aborted\x1b[0m\n", &l);
	ck_assert_uint_eq(l.n, 6);
	ck_assert_int_eq(l.v[0].e.kind, AGENT_EV_TEXT);
	is_tool(&l.v[1].e, AGENT_TOOL_COMPLETED, AGENT_TK_READ, "/p/input.txt", "/p/input.txt");
	is_tool(&l.v[2].e, AGENT_TOOL_COMPLETED, AGENT_TK_SHELL, NULL, "ls /nope");
	is_tool(&l.v[3].e, AGENT_TOOL_ERROR, AGENT_TK_SHELL, NULL, NULL);
	ck_assert_int_eq(l.v[3].e.exit_code, 2);
	is_str(l.v[4].e.text, "Done.");
	ck_assert_int_eq(l.v[5].e.kind, AGENT_EV_INTERRUPT);
	evlog_free(&l);
	feed_str(AGENT_D_CLINE_TEXT, "\x1b[31merror:\x1b[0m Incorrect API key provided: x\n", &l);
	ck_assert_int_eq(final_ev(&l)->kind, AGENT_EV_ERROR);
	ck_assert_int_eq(final_ev(&l)->http_status, 401);
	is_str(final_ev(&l)->text, "Incorrect API key provided: x");
	evlog_free(&l);
	/* an input shown as JSON: its path, when it was not cut */
	feed_str(AGENT_D_CLINE_TEXT,
	    "[read_files] {\"files\":[{\"path\":\"/p/in.txt\"}]}\n"
	    "[editor] {\"path\":\"/tmp/agentutils-capture.i54PUO/text-ha...\n", &l);
	is_tool(&l.v[0].e, AGENT_TOOL_COMPLETED, AGENT_TK_READ, "/p/in.txt", "/p/in.txt");
	is_tool(&l.v[1].e, AGENT_TOOL_COMPLETED, AGENT_TK_EDIT, NULL,
	    "/tmp/agentutils-capture.i54PUO/text-ha...");
	ck_assert_ptr_null(l.v[1].e.path);
	evlog_free(&l);
}
END_TEST

static enum agent_dialect
det(const char *s)
{
	return agent_dialect_detect(s, strlen(s));
}

START_TEST(cline_logs_are_recognised)
{
	ck_assert_int_eq(det("Warning: AI SDK Warning System: x\n" TS "\"type\":\"hook_event\","
	    "\"hookEventName\":\"agent_start\"}\n"), AGENT_D_CLINE_JSON);
	ck_assert_int_eq(det(EV("\"type\":\"iteration_start\",\"iteration\":1")), AGENT_D_CLINE_JSON);
	ck_assert_int_eq(det("{\"type\":\"hook_event\"}\n"), AGENT_D_GENERIC);
	ck_assert_int_eq(det("Let me look.\n[run_commands] echo hi\n"), AGENT_D_CLINE_TEXT);
	ck_assert_int_eq(det("[x] done\n"), AGENT_D_GENERIC);
}
END_TEST

static Suite *
cline_suite(void)
{
	Suite *s = suite_create("dialect_cline");
	TCase *tc = tcase_create("cline");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, every_cline_fixture_gives_its_final_event_and_verdict);
	tcase_add_test(tc, cline_happy_gives_each_tool_twice_its_text_whole_and_done);
	tcase_add_test(tc, cline_failing_command_is_a_failed_tool_and_the_run_goes_on);
	tcase_add_test(tc, cline_sigterm_completed_then_aborted_is_cut_off);
	tcase_add_test(tc, cline_api_errors_end_the_run_with_their_message);
	tcase_add_test(tc, cline_json_lines_one_rule_each);
	tcase_add_test(tc, cline_transcript_tools_errors_and_abort);
	tcase_add_test(tc, cline_logs_are_recognised);
	suite_add_tcase(s, tc);
	return s;
}

CHECK_MAIN(cline_suite)
