/* check_dialect_kilo.c — Kilo CLI's logs (tests/fixtures/kilo/): `kilo run
 * --format json` and the transcript of `kilo run`, opencode's formats with
 * Kilo's own stderr wording; real fixtures, the shared reading a log gets
 * when read without its run, and one synthetic line per rule. */
#include "dialect_test.h"

#define KL_SID "ses_dd2a35da6ffec2EQVpQW3oKtp2"
#define RED_ERROR "\x1b[91m\x1b[1mError: \x1b[0m"
#define LINE(type, rest) "{\"type\":\"" type "\",\"timestamp\":1796057466117,\"sessionID\":\"" \
	KL_SID "\"" rest "}\n"

static enum agent_dialect
kilo_dialect(const char *log)
{
	return strncmp(log, "kilo/json-", 10) == 0 ? AGENT_D_KILO_JSON : AGENT_D_KILO_TEXT;
}

/* The dialect a fixture's head names, as a log read without its run. */
static enum agent_dialect
detected(const char *log)
{
	size_t len;
	char *data = slurp(log, &len);
	enum agent_dialect d = agent_dialect_detect(data, len);

	free(data);
	return d;
}

/* Every fixture: its session id and the final event its verdict needs
 * (json, read as detected), and the verdict agent-state gives it with its
 * exit status, read as the preset names it and as detected. */
START_TEST(every_kilo_fixture_gives_its_final_event_and_verdict)
{
	ck_assert_int_ge(check_agent_fixtures("kilo"), 12);
	ck_assert_int_gt(check_agent_verdicts("kilo", kilo_dialect), 24);
	ck_assert_int_gt(check_agent_verdicts("kilo", detected), 24);
}
END_TEST

/* Read as the preset names it, every json fixture gives its MANIFEST
 * session id and names nothing kilo-json does not know. */
START_TEST(every_kilo_json_fixture_is_known_to_kilo_json)
{
	size_t len;
	char *m = slurp("MANIFEST.tsv", &len), *line, *save = NULL;
	int n = 0;

	for (line = strtok_r(m, "\n", &save); line != NULL; line = strtok_r(NULL, "\n", &save)) {
		struct evlog l = { 0 };
		char log[256], *sid;
		const char *got;

		if (sscanf(line, "%255[^\t]", log) != 1 || strncmp(log, "kilo/json-", 10) != 0)
			continue;
		feed_file(AGENT_D_KILO_JSON, log, &l);
		ck_assert_msg(unknown_of(&l) == NULL, "%s: carries %s", log, unknown_of(&l));
		sid = manifest_session(log);
		got = session_of(&l);
		ck_assert_msg(strcmp(got != NULL ? got : "-", sid) == 0, "%s: session %s, want %s",
		    log, got != NULL ? got : "-", sid);
		free(sid);
		evlog_free(&l);
		n++;
	}
	free(m);
	ck_assert_int_ge(n, 14);
}
END_TEST

/* What the head of a Kilo log names: opencode's format, as it is, unless
 * the log holds what only Kilo writes. */
START_TEST(kilo_logs_read_as_opencode_unless_they_hold_what_only_kilo_writes)
{
	ck_assert_int_eq(detected("kilo/json-happy.log"), AGENT_D_OPENCODE_JSON);
	ck_assert_int_eq(detected("kilo/text-happy.log"), AGENT_D_OPENCODE_TEXT);
	/* its API error, red on stderr and then as the JSON line */
	ck_assert_int_eq(detected("kilo/json-err401.log"), AGENT_D_KILO_JSON);
	ck_assert_int_eq(detected("kilo/json-limit429.log"), AGENT_D_KILO_JSON);
	/* opencode's: the JSON line alone; the red line alone */
	ck_assert_int_eq(detected("opencode/json-err401.log"), AGENT_D_OPENCODE_JSON);
	ck_assert_int_eq(agent_dialect_detect(RED_ERROR "Session not found\n",
	    strlen(RED_ERROR "Session not found\n")), AGENT_D_OPENCODE_TEXT);
}
END_TEST

START_TEST(kilo_happy_gives_its_tools_text_tokens_and_done)
{
	struct evlog l = { 0 };
	const struct agent_event *e;

	feed_file(AGENT_D_KILO_JSON, "kilo/json-happy.log", &l);
	ck_assert_int_eq(count(&l, AGENT_EV_TOOL), 3);
	e = nth(&l, AGENT_EV_TOOL, 0);
	tool_is(e, AGENT_TOOL_COMPLETED, AGENT_TK_READ, "read", NULL, NULL);
	ck_assert(strstr(e->path, "/json-happy/proj/input.txt") != NULL);
	e = nth(&l, AGENT_EV_TOOL, 1);
	tool_is(e, AGENT_TOOL_COMPLETED, AGENT_TK_SHELL, "bash", NULL, "echo hi");
	ck_assert_int_eq(e->exit_code, 0);
	is_str(e->text, "hi\n");
	e = nth(&l, AGENT_EV_TOOL, 2);
	tool_is(e, AGENT_TOOL_COMPLETED, AGENT_TK_WRITE, "write", NULL, NULL);
	ck_assert(strstr(e->path, "/json-happy/proj/output.txt") != NULL);
	ck_assert(has_text(&l, "Done."));
	ck_assert_int_eq(count(&l, AGENT_EV_STEP), 7);
	ck_assert_int_eq(final_ev(&l)->kind, AGENT_EV_DONE);
	ck_assert_int_eq(final_ev(&l)->tokens_in, 100);
	ck_assert_ptr_null(unknown_of(&l));
	evlog_free(&l);
}
END_TEST

/* A failing command is a completed bash tool with its exit status and the
 * error in its output; the run goes on to its end. */
START_TEST(kilo_failing_command_keeps_its_exit_status_and_the_run_goes_on)
{
	struct evlog l = { 0 };
	const struct agent_event *e;

	feed_file(AGENT_D_KILO_JSON, "kilo/json-toolfail.log", &l);
	e = nth(&l, AGENT_EV_TOOL, 0);
	tool_is(e, AGENT_TOOL_COMPLETED, AGENT_TK_SHELL, "bash", NULL, "ls /nonexistent-e2e-path");
	ck_assert_int_eq(e->exit_code, 2);
	ck_assert(strstr(e->text, "No such file or directory") != NULL);
	ck_assert_int_eq(final_ev(&l)->kind, AGENT_EV_DONE);
	evlog_free(&l);
}
END_TEST

START_TEST(kilo_api_errors_end_the_run_with_their_status)
{
	static const struct {
		const char *log;
		enum agent_ev_kind kind;
		int status;
	} t[] = {
		{ "kilo/json-err401.log", AGENT_EV_ERROR, 401 },
		{ "kilo/json-err500.log", AGENT_EV_ERROR, 500 },
		{ "kilo/json-limit429.log", AGENT_EV_LIMIT, 429 },
		{ "kilo/json-quota.log", AGENT_EV_LIMIT, 429 },
	};

	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
		struct evlog l = { 0 };

		feed_file(AGENT_D_KILO_JSON, t[i].log, &l);
		ck_assert_msg(final_ev(&l)->kind == t[i].kind, "%s", t[i].log);
		ck_assert_int_eq(final_ev(&l)->http_status, t[i].status);
		/* the red stderr line first, then the JSON line: two final
		 * errors of one message */
		ck_assert_int_eq(count(&l, AGENT_EV_ERROR) + count(&l, AGENT_EV_LIMIT), 2);
		evlog_free(&l);
	}
}
END_TEST

/* The 429's Retry-After (2 s) counted from when Kilo gave up. */
START_TEST(kilo_limit_resets_when_its_retry_after_says)
{
	struct evlog l = { 0 };
	const struct agent_event *e;

	feed_file(AGENT_D_KILO_JSON, "kilo/json-limit429.log", &l);
	e = final_ev(&l);
	ck_assert_int_eq(e->kind, AGENT_EV_LIMIT);
	ck_assert(e->resets_at > e->ts && e->resets_at - e->ts < 3);
	evlog_free(&l);
}
END_TEST

/* Kilo's own wording: a refused permission and the network retries given
 * up are notices; a run that ends without an answer or on a refused
 * permission (no --auto) is an error, on stderr and as the JSON error
 * line's string. */
START_TEST(kilo_stderr_lines_one_rule_each)
{
	struct evlog l = { 0 };

	feed_str(AGENT_D_KILO_JSON,
	    "\x1b[93m\x1b[1m!\x1b[0m permission requested: external_directory (/etc/*); auto-rejecting\n"
	    "! subagent permission requested: bash (rm *); auto-rejecting\n"
	    "! network retry limit reached (3); rejecting\n"
	    RED_ERROR "run ended with an auto-rejected permission; pass --auto for autonomous use\n"
	    LINE("error", ",\"error\":\"run ended with an auto-rejected permission; pass --auto for "
	         "autonomous use\""), &l);
	ck_assert_int_eq(count(&l, AGENT_EV_ERROR), 5);
	is_str(nth(&l, AGENT_EV_ERROR, 0)->text,
	    "permission requested: external_directory (/etc/*); auto-rejecting");
	ck_assert_int_eq(nth(&l, AGENT_EV_ERROR, 0)->final, 0);
	ck_assert_int_eq(nth(&l, AGENT_EV_ERROR, 1)->final, 0);
	ck_assert_int_eq(nth(&l, AGENT_EV_ERROR, 2)->final, 0);
	ck_assert_int_eq(nth(&l, AGENT_EV_ERROR, 3)->final, 1);
	ck_assert_int_eq(final_ev(&l)->kind, AGENT_EV_ERROR);
	is_str(final_ev(&l)->text,
	    "run ended with an auto-rejected permission; pass --auto for autonomous use");
	is_str(session_of(&l), KL_SID);
	evlog_free(&l);
	/* the transcript: the same notice, and the red error ends it */
	feed_str(AGENT_D_KILO_TEXT,
	    "! permission requested: bash (rm *); auto-rejecting\n"
	    RED_ERROR "run ended without an assistant message; the model returned no output\n", &l);
	ck_assert_int_eq(count(&l, AGENT_EV_ERROR), 2);
	ck_assert_int_eq(nth(&l, AGENT_EV_ERROR, 0)->final, 0);
	is_str(final_ev(&l)->text, "run ended without an assistant message; the model returned no output");
	evlog_free(&l);
	/* read without a dialect, only Kilo's own words count */
	feed_str(AGENT_D_GENERIC,
	    "Error: run ended without an assistant message; the model returned no output\n", &l);
	ck_assert_int_eq(final_ev(&l)->kind, AGENT_EV_ERROR);
	evlog_free(&l);
	feed_str(AGENT_D_GENERIC, "! network retry limit reached (3); rejecting\n", &l);
	ck_assert_ptr_null(final_ev(&l));
	ck_assert_int_eq(count(&l, AGENT_EV_ERROR), 0);
	evlog_free(&l);
}
END_TEST

/* Kilo prints a tool once it has finished; a pending or running one, or a
 * step that stopped for another reason, is format drift. */
START_TEST(kilo_json_names_what_it_does_not_know)
{
	struct evlog l = { 0 };

	feed_str(AGENT_D_KILO_JSON,
	    LINE("tool_use", ",\"part\":{\"type\":\"tool\",\"tool\":\"bash\",\"callID\":\"c1\","
	         "\"state\":{\"status\":\"running\",\"input\":{\"command\":\"make\"}}}")
	    LINE("step_finish", ",\"part\":{\"type\":\"step-finish\",\"reason\":\"length\"}"), &l);
	is_str(unknown_of(&l), "tool_use.part.state.status=running");
	is_str(last(&l)->unknown, "step_finish.part.reason=length");
	evlog_free(&l);
	/* opencode's reading of the same lines knows a running tool */
	feed_str(AGENT_D_OPENCODE_JSON,
	    LINE("tool_use", ",\"part\":{\"type\":\"tool\",\"tool\":\"bash\",\"callID\":\"c1\","
	         "\"state\":{\"status\":\"running\",\"input\":{\"command\":\"make\"}}}"), &l);
	ck_assert_ptr_null(unknown_of(&l));
	evlog_free(&l);
	/* Kilo's own tools have their kinds */
	feed_str(AGENT_D_KILO_JSON,
	    LINE("tool_use", ",\"part\":{\"type\":\"tool\",\"tool\":\"background_process\",\"callID\":\"c2\","
	         "\"state\":{\"status\":\"completed\",\"input\":{},\"output\":\"started\"}}")
	    LINE("tool_use", ",\"part\":{\"type\":\"tool\",\"tool\":\"kilo_local_recall\",\"callID\":\"c3\","
	         "\"state\":{\"status\":\"error\",\"input\":{},\"error\":\"no index\"}}"), &l);
	tool_is(nth(&l, AGENT_EV_TOOL, 0), AGENT_TOOL_COMPLETED, AGENT_TK_SHELL, "background_process",
	    NULL, NULL);
	tool_is(nth(&l, AGENT_EV_TOOL, 1), AGENT_TOOL_ERROR, AGENT_TK_SEARCH, "kilo_local_recall",
	    NULL, NULL);
	is_str(nth(&l, AGENT_EV_TOOL, 1)->text, "no index");
	ck_assert_ptr_null(unknown_of(&l));
	evlog_free(&l);
}
END_TEST

static enum agent_dialect
det(const char *s)
{
	return agent_dialect_detect(s, strlen(s));
}

START_TEST(kilo_cues_one_rule_each)
{
	/* the JSON error line in Kilo's own words, or after the red line */
	ck_assert_int_eq(det(LINE("error", ",\"error\":\"run ended without an assistant message; "
	    "the model returned no output\"")), AGENT_D_KILO_JSON);
	ck_assert_int_eq(det(RED_ERROR "boom\n" LINE("error", ",\"error\":{\"name\":\"UnknownError\"}")),
	    AGENT_D_KILO_JSON);
	/* a JSON error line alone, or one in other words, is opencode's */
	ck_assert_int_eq(det(LINE("error", ",\"error\":{\"name\":\"UnknownError\"}")),
	    AGENT_D_OPENCODE_JSON);
	ck_assert_int_eq(det(LINE("error", ",\"error\":\"run ended\"")), AGENT_D_OPENCODE_JSON);
	/* Kilo's words on stderr name its transcript, but weakly */
	ck_assert_int_eq(det("! network retry limit reached (3); rejecting\n"), AGENT_D_KILO_TEXT);
	ck_assert_int_eq(det(RED_ERROR "run ended without an assistant message; the model returned "
	    "no output\n"), AGENT_D_KILO_TEXT);
	ck_assert_int_eq(det("! network retry limit reached (3); rejecting\n"
	    LINE("step_start", ",\"part\":{\"type\":\"step-start\"}")), AGENT_D_OPENCODE_JSON);
	/* opencode prints the permission notice too */
	ck_assert_int_eq(det("! permission requested: bash (rm *); auto-rejecting\n"), AGENT_D_GENERIC);
}
END_TEST

START_TEST(kilo_transcript_tools_and_text)
{
	struct evlog l = { 0 };

	feed_file(AGENT_D_KILO_TEXT, "kilo/text-happy.log", &l);
	is_str(nth(&l, AGENT_EV_MODEL, 0)->model, "fake-model");
	is_tool(nth(&l, AGENT_EV_TOOL, 0), AGENT_TOOL_COMPLETED, AGENT_TK_READ, "input.txt", NULL);
	is_tool(nth(&l, AGENT_EV_TOOL, 1), AGENT_TOOL_COMPLETED, AGENT_TK_SHELL, NULL, "echo hi");
	is_tool(nth(&l, AGENT_EV_TOOL, 2), AGENT_TOOL_COMPLETED, AGENT_TK_WRITE, "output.txt", NULL);
	ck_assert_int_eq(count(&l, AGENT_EV_TOOL), 3);
	/* a tool's output is not the assistant's text */
	ck_assert(!has_text(&l, "Wrote file successfully."));
	ck_assert(!has_text(&l, "hi"));
	is_str(last(&l)->text, "Done.");
	ck_assert_ptr_null(final_ev(&l));
	ck_assert_ptr_null(session_of(&l));
	evlog_free(&l);
}
END_TEST

static Suite *
kilo_suite(void)
{
	Suite *s = suite_create("dialect_kilo");
	TCase *tc = tcase_create("kilo");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, every_kilo_fixture_gives_its_final_event_and_verdict);
	tcase_add_test(tc, every_kilo_json_fixture_is_known_to_kilo_json);
	tcase_add_test(tc, kilo_logs_read_as_opencode_unless_they_hold_what_only_kilo_writes);
	tcase_add_test(tc, kilo_happy_gives_its_tools_text_tokens_and_done);
	tcase_add_test(tc, kilo_failing_command_keeps_its_exit_status_and_the_run_goes_on);
	tcase_add_test(tc, kilo_api_errors_end_the_run_with_their_status);
	tcase_add_test(tc, kilo_limit_resets_when_its_retry_after_says);
	tcase_add_test(tc, kilo_stderr_lines_one_rule_each);
	tcase_add_test(tc, kilo_json_names_what_it_does_not_know);
	tcase_add_test(tc, kilo_cues_one_rule_each);
	tcase_add_test(tc, kilo_transcript_tools_and_text);
	suite_add_tcase(s, tc);
	return s;
}

CHECK_MAIN(kilo_suite)
