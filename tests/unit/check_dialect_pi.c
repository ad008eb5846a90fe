/* check_dialect_pi.c — pi's logs (tests/fixtures/pi/): --mode json event
 * lines and the answer alone of -p; real fixtures and one synthetic line
 * per rule. */
#include "dialect_test.h"

#define PI_SID "019a2c3d-ca88-7138-9b1e-5f0c3a2b1d4e"
#define HEAD "{\"type\":\"session\",\"version\":3,\"id\":\"" PI_SID "\"," \
	"\"timestamp\":\"2026-11-30T16:00:00.000Z\",\"cwd\":\"/p\"}\n"
/* an assistant message that ended with stopReason R and errorMessage E */
#define ASSIST(R, E) "{\"role\":\"assistant\",\"content\":[],\"model\":\"fake-model\"," \
	"\"stopReason\":\"" R "\"" E ",\"timestamp\":1796054400000}"

static enum agent_dialect
pi_dialect(const char *log)
{
	return strncmp(log, "pi/json-", 8) == 0 ? AGENT_D_PI_JSON : AGENT_D_PI_TEXT;
}

/* Every fixture of tests/fixtures/pi/ in json mode: its MANIFEST session
 * id and the final event its verdict needs; and every one, json or -p,
 * judged as agent-state judges it with its exit status. */
START_TEST(every_pi_fixture_gives_its_manifest_session_final_event_and_verdict)
{
	ck_assert_int_gt(check_agent_fixtures("pi"), 10);
	ck_assert_int_gt(check_agent_verdicts("pi", pi_dialect), 20);
}
END_TEST

START_TEST(pi_happy_gives_each_tool_once_completed_texts_tokens_and_done)
{
	struct evlog l = { 0 };
	const struct agent_event *e;
	long long in = 0;

	feed_file(AGENT_D_PI_JSON, "pi/json-happy.log", &l);
	ck_assert_int_eq(count(&l, AGENT_EV_TOOL), 6);
	e = nth(&l, AGENT_EV_TOOL, 1);
	tool_is(e, AGENT_TOOL_COMPLETED, AGENT_TK_READ, "read", NULL, NULL);
	ck_assert(strstr(e->path, "/json-happy/proj/input.txt") != NULL);
	is_str(e->text, "some input\n");
	e = nth(&l, AGENT_EV_TOOL, 3);
	tool_is(e, AGENT_TOOL_COMPLETED, AGENT_TK_SHELL, "bash", NULL, "echo hi");
	ck_assert_int_eq(e->exit_code, 0);
	tool_is(nth(&l, AGENT_EV_TOOL, 5), AGENT_TOOL_COMPLETED, AGENT_TK_WRITE, "write", NULL, NULL);
	ck_assert_int_eq(count(&l, AGENT_EV_TEXT), 4);
	is_str(nth(&l, AGENT_EV_TEXT, 3)->text, "Done.");
	ck_assert_int_eq(count(&l, AGENT_EV_MODEL), 1);
	for (size_t i = 0; i < l.n; i++)
		if (l.v[i].e.kind == AGENT_EV_STEP && l.v[i].e.tokens_in > 0)
			in += l.v[i].e.tokens_in;
	ck_assert_int_eq(in, 400);   /* four model calls, 100 each */
	ck_assert_int_eq(final_ev(&l)->kind, AGENT_EV_DONE);
	evlog_free(&l);
}
END_TEST

START_TEST(pi_failing_command_is_a_failed_tool_and_the_run_goes_on)
{
	struct evlog l = { 0 };
	const struct agent_event *e;

	feed_file(AGENT_D_PI_JSON, "pi/json-toolfail.log", &l);
	e = nth(&l, AGENT_EV_TOOL, 1);
	tool_is(e, AGENT_TOOL_ERROR, AGENT_TK_SHELL, "bash", NULL, "ls /nonexistent-e2e-path");
	ck_assert_int_eq(e->exit_code, 2);
	ck_assert_int_eq(final_ev(&l)->kind, AGENT_EV_DONE);
	evlog_free(&l);
}
END_TEST

START_TEST(pi_api_errors_end_the_run_though_pi_exits_0)
{
	static const struct {
		const char *log;
		enum agent_ev_kind kind;
		int status, retries;
	} t[] = {
		{ "pi/json-err401.log", AGENT_EV_ERROR, 401, 0 },
		{ "pi/json-err500.log", AGENT_EV_ERROR, 500, 3 },
		{ "pi/json-limit429.log", AGENT_EV_LIMIT, 429, 3 },
		{ "pi/json-quota.log", AGENT_EV_LIMIT, 429, 3 },
	};

	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
		struct evlog l = { 0 };
		char *ex = manifest_field(t[i].log, 2);
		int notices = 0;

		ck_assert_str_eq(ex, "0");
		free(ex);
		feed_file(AGENT_D_PI_JSON, t[i].log, &l);
		ck_assert_int_eq(final_ev(&l)->kind, t[i].kind);
		ck_assert_int_eq(final_ev(&l)->http_status, t[i].status);
		ck_assert_ptr_eq(final_ev(&l), last(&l));
		for (size_t k = 0; k < l.n; k++)
			notices += l.v[k].e.kind == AGENT_EV_STEP && l.v[k].e.title != NULL &&
			    strncmp(l.v[k].e.title, "retry ", 6) == 0;
		ck_assert_int_eq(notices, t[i].retries);
		evlog_free(&l);
	}
}
END_TEST

START_TEST(pi_header_line_alone_names_the_session)
{
	struct evlog l = { 0 };
	char buf[64];

	feed_str(AGENT_D_PI_JSON, HEAD
	    "{\"type\":\"message_start\",\"message\":{\"id\":\"" PI_SID "\"}}\n", &l);
	ck_assert_uint_eq(l.n, 1);
	ck_assert_int_eq(l.v[0].e.kind, AGENT_EV_SESSION);
	is_str(l.v[0].e.session, PI_SID);
	evlog_free(&l);
	ck_assert_uint_eq(agent_session_in_line(AGENT_D_PI_JSON, HEAD, strlen(HEAD) - 1,
	    buf, sizeof buf), 36);
	is_str(buf, PI_SID);
	/* "id" elsewhere is a message's, a call's: no session */
	ck_assert_uint_eq(agent_session_in_line(AGENT_D_PI_JSON,
	    "{\"type\":\"message_end\",\"id\":\"" PI_SID "\"}", 60, buf, sizeof buf), 0);
}
END_TEST

START_TEST(pi_assistant_message_gives_its_text_reasoning_and_model_not_its_calls)
{
	struct evlog l = { 0 };

	feed_str(AGENT_D_PI_JSON, HEAD
	    "{\"type\":\"message_end\",\"message\":{\"role\":\"user\",\"content\":"
	    "[{\"type\":\"text\",\"text\":\"the prompt\"}]}}\n"
	    "{\"type\":\"message_end\",\"message\":{\"role\":\"assistant\",\"content\":["
	    "{\"type\":\"thinking\",\"thinking\":\"hmm\"},"
	    "{\"type\":\"text\",\"text\":\"\\nI'll read it.\\nThen more.\"},"
	    "{\"type\":\"toolCall\",\"id\":\"call_1\",\"name\":\"read\",\"arguments\":{\"path\":\"a\"}}],"
	    "\"model\":\"fake-model\",\"stopReason\":\"toolUse\",\"timestamp\":1796054400500}}\n", &l);
	ck_assert_uint_eq(l.n, 4);
	ck_assert_int_eq(l.v[1].e.kind, AGENT_EV_MODEL);
	is_str(l.v[1].e.model, "fake-model");
	ck_assert_int_eq(l.v[2].e.kind, AGENT_EV_STEP);
	is_str(l.v[2].e.title, "thinking");
	ck_assert_int_eq(l.v[3].e.kind, AGENT_EV_TEXT);
	is_str(l.v[3].e.title, "I'll read it.");
	ck_assert(l.v[3].e.ts == 1796054400.5);
	ck_assert_int_eq(count(&l, AGENT_EV_TOOL), 0);
	evlog_free(&l);
}
END_TEST

START_TEST(pi_tool_execution_pairs_start_and_end_and_reads_the_exit_code)
{
	struct evlog l = { 0 };

	feed_str(AGENT_D_PI_JSON, HEAD
	    "{\"type\":\"tool_execution_start\",\"toolCallId\":\"c1\",\"toolName\":\"bash\","
	    "\"args\":{\"command\":\"ls /x\"}}\n"
	    "{\"type\":\"tool_execution_update\",\"toolCallId\":\"c1\",\"toolName\":\"bash\"}\n"
	    "{\"type\":\"tool_execution_end\",\"toolCallId\":\"c1\",\"toolName\":\"bash\","
	    "\"result\":{\"content\":[{\"type\":\"text\",\"text\":\"ls: no\\n\\nCommand exited with code 2\"}]},"
	    "\"isError\":true}\n"
	    "{\"type\":\"tool_execution_start\",\"toolCallId\":\"c2\",\"toolName\":\"write\","
	    "\"args\":{\"path\":\"out.txt\",\"content\":\"x\"}}\n"
	    "{\"type\":\"tool_execution_end\",\"toolCallId\":\"c2\",\"toolName\":\"write\","
	    "\"result\":{\"content\":[{\"type\":\"text\",\"text\":\"Wrote 1 bytes\"}]},\"isError\":false}\n"
	    "{\"type\":\"tool_execution_end\",\"toolCallId\":\"c3\",\"toolName\":\"read\","
	    "\"args\":{\"path\":\"in.txt\"},\"result\":{\"content\":[]},\"isError\":false}\n", &l);
	ck_assert_int_eq(count(&l, AGENT_EV_TOOL), 5);
	tool_is(nth(&l, AGENT_EV_TOOL, 0), AGENT_TOOL_RUNNING, AGENT_TK_SHELL, "bash", NULL, "ls /x");
	tool_is(nth(&l, AGENT_EV_TOOL, 1), AGENT_TOOL_ERROR, AGENT_TK_SHELL, "bash", NULL, "ls /x");
	ck_assert_int_eq(nth(&l, AGENT_EV_TOOL, 1)->exit_code, 2);
	is_str(nth(&l, AGENT_EV_TOOL, 1)->text, "ls: no\n\nCommand exited with code 2");
	tool_is(nth(&l, AGENT_EV_TOOL, 3), AGENT_TOOL_COMPLETED, AGENT_TK_WRITE, "write",
	    "out.txt", "out.txt");
	/* an end whose start was not seen (a tail read) still names its tool */
	tool_is(nth(&l, AGENT_EV_TOOL, 4), AGENT_TOOL_COMPLETED, AGENT_TK_READ, "read",
	    "in.txt", "in.txt");
	evlog_free(&l);
}
END_TEST

START_TEST(pi_agent_end_says_how_the_last_assistant_message_ended)
{
	static const struct {
		const char *msg;
		enum agent_ev_kind kind;
		int final, status;
	} t[] = {
		{ ASSIST("stop", ""), AGENT_EV_DONE, 1, -1 },
		{ ASSIST("error", ",\"errorMessage\":\"401 Incorrect API key provided: dummy\""),
		  AGENT_EV_ERROR, 1, 401 },
		{ ASSIST("error", ",\"errorMessage\":\"400 Unknown parameter: 'x'\""),
		  AGENT_EV_ERROR, 1, 400 },
		/* errors pi retries itself: auto_retry_* says when they end it */
		{ ASSIST("error", ",\"errorMessage\":\"500 fake internal server error\""),
		  AGENT_EV_ERROR, 0, 500 },
		{ ASSIST("error", ",\"errorMessage\":\"429 Rate limit reached. Please try again in 2s.\""),
		  AGENT_EV_ERROR, 0, 429 },
		{ ASSIST("error", ",\"errorMessage\":\"Connection error.\""), AGENT_EV_ERROR, 0, -1 },
		{ ASSIST("error", ",\"errorMessage\":\"Request timed out.\""), AGENT_EV_ERROR, 0, -1 },
		{ ASSIST("aborted", ""), AGENT_EV_INTERRUPT, 1, -1 },
	};
	char data[1024];

	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
		struct evlog l = { 0 };
		const struct agent_event *e;

		snprintf(data, sizeof data, HEAD
		    "{\"type\":\"message_end\",\"message\":%s}\n"
		    "{\"type\":\"turn_end\",\"message\":%s,\"toolResults\":[]}\n"
		    "{\"type\":\"agent_end\",\"messages\":[{\"role\":\"user\",\"content\":\"p\"},%s]}\n",
		    t[i].msg, t[i].msg, t[i].msg);
		feed_str(AGENT_D_PI_JSON, data, &l);
		e = last(&l);
		ck_assert_int_eq(e->kind, t[i].kind);
		ck_assert_int_eq(e->final, t[i].final);
		ck_assert_int_eq(e->http_status, t[i].status);
		ck_assert_int_eq(e->line, 4);
		/* an error is a notice where its message ends */
		if (t[i].kind == AGENT_EV_ERROR)
			ck_assert_int_eq(nth(&l, AGENT_EV_ERROR, 0)->final, 0);
		evlog_free(&l);
	}
}
END_TEST

START_TEST(pi_agent_end_without_its_messages_uses_the_message_that_ended_last)
{
	struct evlog l = { 0 };

	feed_str(AGENT_D_PI_JSON,
	    "{\"type\":\"message_end\",\"message\":" ASSIST("error",
	    ",\"errorMessage\":\"401 Incorrect API key provided: dummy\"") "}\n"
	    "{\"type\":\"agent_end\",\"messages\":[]}\n", &l);
	ck_assert_int_eq(final_ev(&l)->kind, AGENT_EV_ERROR);
	is_str(final_ev(&l)->text, "401 Incorrect API key provided: dummy");
	evlog_free(&l);
	feed_str(AGENT_D_PI_JSON, "{\"type\":\"agent_end\"}\n", &l);
	ck_assert_int_eq(final_ev(&l)->kind, AGENT_EV_DONE);
	evlog_free(&l);
}
END_TEST

START_TEST(pi_retries_are_notices_and_the_last_failed_retry_ends_the_run)
{
	struct evlog l = { 0 };

	feed_str(AGENT_D_PI_JSON, HEAD
	    "{\"type\":\"agent_end\",\"messages\":[" ASSIST("error",
	    ",\"errorMessage\":\"500 fake internal server error\"") "]}\n"
	    "{\"type\":\"auto_retry_start\",\"attempt\":1,\"maxAttempts\":3,\"delayMs\":2000,"
	    "\"errorMessage\":\"500 fake internal server error\"}\n", &l);
	ck_assert_uint_eq(l.n, 4);
	ck_assert_int_eq(l.v[1].e.kind, AGENT_EV_ERROR);
	ck_assert_int_eq(l.v[1].e.final, 0);
	ck_assert_int_eq(l.v[2].e.kind, AGENT_EV_STEP);
	is_str(l.v[2].e.title, "retry 1/3");
	ck_assert_int_eq(l.v[3].e.kind, AGENT_EV_ERROR);
	ck_assert_int_eq(l.v[3].e.final, 0);
	ck_assert_int_eq(l.v[3].e.http_status, 500);
	evlog_free(&l);
	feed_str(AGENT_D_PI_JSON,
	    "{\"type\":\"auto_retry_end\",\"success\":false,\"attempt\":3,"
	    "\"finalError\":\"429 Rate limit reached. Please try again in 2s.\"}\n"
	    "{\"type\":\"auto_retry_end\",\"success\":true,\"attempt\":2}\n", &l);
	ck_assert_int_eq(l.v[0].e.kind, AGENT_EV_LIMIT);
	ck_assert_int_eq(l.v[0].e.final, 1);
	ck_assert(l.v[0].e.resets_in == 2);
	ck_assert_int_eq(l.v[1].e.kind, AGENT_EV_STEP);
	evlog_free(&l);
}
END_TEST

START_TEST(pi_turn_end_carries_the_turns_tokens_and_cost)
{
	struct evlog l = { 0 };

	feed_str(AGENT_D_PI_JSON,
	    "{\"type\":\"turn_end\",\"message\":{\"role\":\"assistant\",\"stopReason\":\"toolUse\","
	    "\"usage\":{\"input\":100,\"output\":10,\"cacheRead\":0,\"cacheWrite\":0,"
	    "\"totalTokens\":110,\"cost\":{\"input\":0.1,\"output\":0.05,\"total\":0.15}}},"
	    "\"toolResults\":[]}\n", &l);
	ck_assert_uint_eq(l.n, 1);
	ck_assert_int_eq(l.v[0].e.kind, AGENT_EV_STEP);
	is_str(l.v[0].e.title, "toolUse");
	ck_assert_int_eq(l.v[0].e.tokens_in, 100);
	ck_assert_int_eq(l.v[0].e.tokens_out, 10);
	ck_assert(l.v[0].e.cost == 0.15);
	evlog_free(&l);
}
END_TEST

START_TEST(pi_text_an_api_error_alone_is_the_runs_end_else_the_answer)
{
	static const struct {
		const char *log;
		enum agent_ev_kind kind;
		int final, status;
	} t[] = {
		{ "401 Incorrect API key provided: dummy\n", AGENT_EV_ERROR, 1, 401 },
		{ "\n429 Rate limit reached. Please try again in 2s.\n\n", AGENT_EV_LIMIT, 1, 429 },
		{ "500 fake internal server error", AGENT_EV_ERROR, 1, 500 },
		/* an answer that starts like one goes on */
		{ "404 is the status the server gave.\nSo the page is missing.\n", AGENT_EV_TEXT, 0, -1 },
		{ "Done.\n", AGENT_EV_TEXT, 0, -1 },
		{ "200 OK was the answer\n", AGENT_EV_TEXT, 0, -1 },
	};

	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
		struct evlog l = { 0 };

		feed_str(AGENT_D_PI_TEXT, t[i].log, &l);
		ck_assert_uint_ge(l.n, 1);
		ck_assert_int_eq(l.v[0].e.kind, t[i].kind);
		ck_assert_int_eq(l.v[0].e.final, t[i].final);
		ck_assert_int_eq(l.v[0].e.http_status, t[i].status);
		ck_assert_int_eq(l.v[0].e.line, t[i].log[0] == '\n' ? 2 : 1);
		evlog_free(&l);
	}
	{
		struct evlog l = { 0 };

		/* read from inside the log, the first line seen is not the first */
		feed_mid(AGENT_D_PI_TEXT, "500 fake internal server error\n", &l);
		ck_assert_int_eq(l.v[0].e.kind, AGENT_EV_TEXT);
		evlog_free(&l);
	}
}
END_TEST

static enum agent_dialect
det(const char *s)
{
	return agent_dialect_detect(s, strlen(s));
}

START_TEST(pi_logs_are_recognised_by_their_json_events)
{
	ck_assert_int_eq(det(HEAD), AGENT_D_PI_JSON);
	ck_assert_int_eq(det("{\"type\":\"agent_start\"}\n"), AGENT_D_PI_JSON);
	ck_assert_int_eq(det("{\"type\":\"tool_execution_end\",\"toolCallId\":\"c\"}\n"),
	    AGENT_D_PI_JSON);
	ck_assert_int_eq(det("{\"type\":\"session\",\"id\":\"x\"}\n"), AGENT_D_GENERIC);
	ck_assert_int_eq(det("Done.\n"), AGENT_D_GENERIC);
	/* -p's answer names nothing; an API error alone on its first line
	 * is pi's wording, weakly */
	ck_assert_int_eq(det("401 Incorrect API key provided: dummy\n"), AGENT_D_PI_TEXT);
	ck_assert_int_eq(det("Here:\n401 Unauthorized\n"), AGENT_D_GENERIC);
	ck_assert_int_eq(det("200 OK\n"), AGENT_D_GENERIC);
}
END_TEST

static Suite *
pi_suite(void)
{
	Suite *s = suite_create("dialect_pi");
	TCase *tc = tcase_create("pi");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, every_pi_fixture_gives_its_manifest_session_final_event_and_verdict);
	tcase_add_test(tc, pi_happy_gives_each_tool_once_completed_texts_tokens_and_done);
	tcase_add_test(tc, pi_failing_command_is_a_failed_tool_and_the_run_goes_on);
	tcase_add_test(tc, pi_api_errors_end_the_run_though_pi_exits_0);
	tcase_add_test(tc, pi_header_line_alone_names_the_session);
	tcase_add_test(tc, pi_assistant_message_gives_its_text_reasoning_and_model_not_its_calls);
	tcase_add_test(tc, pi_tool_execution_pairs_start_and_end_and_reads_the_exit_code);
	tcase_add_test(tc, pi_agent_end_says_how_the_last_assistant_message_ended);
	tcase_add_test(tc, pi_agent_end_without_its_messages_uses_the_message_that_ended_last);
	tcase_add_test(tc, pi_retries_are_notices_and_the_last_failed_retry_ends_the_run);
	tcase_add_test(tc, pi_turn_end_carries_the_turns_tokens_and_cost);
	tcase_add_test(tc, pi_text_an_api_error_alone_is_the_runs_end_else_the_answer);
	tcase_add_test(tc, pi_logs_are_recognised_by_their_json_events);
	suite_add_tcase(s, tc);
	return s;
}

CHECK_MAIN(pi_suite)
