/* check_dialect_gemini.c — Gemini CLI's logs (tests/fixtures/gemini/):
 * stream-json lines, the pretty-printed json object, the answer of -p
 * among warnings and retry traces; real fixtures and synthetic lines. */
#include "dialect_test.h"

/* Every fixture of tests/fixtures/gemini/ in a format with a completion
 * signal: its MANIFEST session id and the final event its verdict needs. */
START_TEST(every_gemini_fixture_gives_its_manifest_session_and_final_event)
{
	ck_assert_int_gt(check_agent_fixtures("gemini"), 0);
}
END_TEST

START_TEST(gemini_stream_happy_joins_deltas_and_pairs_tools)
{
	struct evlog l = { 0 };
	const struct agent_event *e;

	feed_file(AGENT_D_GEMINI_STREAM,
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

	feed_file(AGENT_D_GEMINI_STREAM,
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

	feed_str(AGENT_D_GEMINI_STREAM,
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
	ck_assert_int_eq(feed(AGENT_D_GEMINI_STREAM, s, n, &l), 0);
	ck_assert_uint_eq(l.n, 1);
	ck_assert_uint_eq(strlen(l.v[0].e.text), 4u << 20);
	free(s);
	evlog_free(&l);
}
END_TEST

START_TEST(gemini_stream_errors_limits_and_tool_failures)
{
	struct evlog l = { 0 };
	const struct agent_event *e;

	feed_str(AGENT_D_GEMINI_STREAM,
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
	feed_str(AGENT_D_GEMINI_STREAM,
	    "Error resuming session: Invalid session identifier \"nope\".\n"
	    "  Use --list-sessions to see available sessions.\n", &l);
	ck_assert_uint_eq(l.n, 1);
	ck_assert_int_eq(l.v[0].e.kind, AGENT_EV_ERROR);
	ck_assert_int_eq(l.v[0].e.final, 1);
	evlog_free(&l);
	feed_str(AGENT_D_GEMINI_JSON,
	    "Error resuming session: Invalid session identifier \"nope\".\n", &l);
	ck_assert_int_eq(final_ev(&l)->kind, AGENT_EV_ERROR);
	evlog_free(&l);
}
END_TEST

START_TEST(gemini_json_happy_gives_model_text_tokens_and_done)
{
	struct evlog l = { 0 };
	const struct agent_event *e;

	feed_file(AGENT_D_GEMINI_JSON, "gemini/json-happy.log", &l);
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

	feed_str(AGENT_D_GEMINI_JSON, GJ_ERR(401), &l);
	ck_assert_uint_eq(l.n, 2);
	is_str(l.v[0].e.session, GM_SID);
	ck_assert_int_eq(l.v[1].e.kind, AGENT_EV_ERROR);
	ck_assert_int_eq(l.v[1].e.final, 1);
	ck_assert_int_eq(l.v[1].e.http_status, 401);
	ck_assert_int_eq(l.v[1].e.line, 12);
	evlog_free(&l);
	feed_str(AGENT_D_GEMINI_JSON, GJ_ERR(429), &l);
	ck_assert_int_eq(final_ev(&l)->kind, AGENT_EV_LIMIT);
	evlog_free(&l);
	/* compact on one line works too */
	feed_str(AGENT_D_GEMINI_JSON,
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
	feed_str(AGENT_D_GEMINI_JSON,
	    "{\n  \"session_id\": \"" GM_SID "\",\n  \"response\": \"Do", &l);
	ck_assert_uint_eq(l.n, 0);
	/* a second "{" line starts over */
	feed_str(AGENT_D_GEMINI_JSON,
	    "{\n  \"x\": [\n{\n  \"response\": \"ok\"\n}\n", &l);
	ck_assert_uint_eq(l.n, 2);
	ck_assert_int_eq(final_ev(&l)->kind, AGENT_EV_DONE);
	evlog_free(&l);
	/* stderr lines that race into the object are left out of it */
	feed_str(AGENT_D_GEMINI_JSON,
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
	ck_assert_int_eq(feed(AGENT_D_GEMINI_JSON, s, n, &l), 0);
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
		feed_str(AGENT_D_GEMINI_STREAM, line, &l);
		ck_assert_uint_eq(l.n, 1);
		tool_is(&l.v[0].e, AGENT_TOOL_RUNNING, t[i].k, t[i].name, t[i].path, t[i].title);
		evlog_free(&l);
	}
}
END_TEST

START_TEST(plain_gemini_fixture_skips_stderr_noise)
{
	struct evlog l = { 0 };
	feed_file(AGENT_D_GEMINI_TEXT, "gemini/text-happy.log", &l);
	ck_assert_int_eq(l.n, 2);
	ck_assert_str_eq(l.v[0].e.text, "I'll read the file first.");
	ck_assert_str_eq(l.v[1].e.text, "Done.");
	evlog_free(&l);
	feed_str(AGENT_D_GEMINI_TEXT, "An unexpected critical error occurred:[object Object]\n", &l);
	ck_assert_int_eq(l.v[0].e.kind, AGENT_EV_ERROR);
	ck_assert_int_eq(l.v[0].e.final, 1);
	evlog_free(&l);
}
END_TEST

START_TEST(plain_gemini_result_object_after_a_text_head_is_read)
{
	struct evlog l = { 0 };
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
	evlog_free(&l);
	/* a "{" of the answer's own is text */
	feed_str(AGENT_D_GEMINI_TEXT, "Here:\n{\nint x;\n}\n", &l);
	ck_assert(has_text(&l, "{"));
	ck_assert(has_text(&l, "int x;"));
	ck_assert_int_eq(count(&l, AGENT_EV_ERROR) + count(&l, AGENT_EV_DONE), 0);
	evlog_free(&l);
	feed_str(AGENT_D_GEMINI_TEXT, "last line\n{\n", &l);
	ck_assert(has_text(&l, "{"));
	evlog_free(&l);
}
END_TEST

START_TEST(plain_gemini_error_dump_is_not_text)
{
	struct evlog l = { 0 };
	/* gemini -p (text) retrying a 500, captured from gemini-cli 0.61.0 */
	feed_str(AGENT_D_GEMINI_TEXT,
	         "Attempt 9 failed with status 500. Retrying with backoff... _ApiError: {\"error\":{}}\n"
	         "    at async Turn.run (file:///x.js:333001:24) {\n  status: 500\n}\n", &l);
	ck_assert_int_eq(l.n, 1);
	ck_assert_int_eq(last(&l)->kind, AGENT_EV_ERROR);
	ck_assert_int_eq(last(&l)->final, 0);
	evlog_free(&l);
	/* outside a dump, "}" is the answer's */
	feed_str(AGENT_D_GEMINI_TEXT, "if (x) {\n}\n", &l);
	ck_assert(has_text(&l, "}"));
	evlog_free(&l);
}
END_TEST

START_TEST(gemini_retry_notices_are_one_rule_in_every_format)
{
	static const char line[] = "Attempt 10 failed: {\"error\":{\"code\":500}}. Max attempts reached";
	static const enum agent_dialect as[] = {
		AGENT_D_GEMINI_STREAM, AGENT_D_GEMINI_JSON, AGENT_D_GEMINI_TEXT,
	};
	struct evlog l = { 0 };

	/* the last attempt says no "Retrying": a notice all the same */
	for (size_t j = 0; j < sizeof as / sizeof as[0]; j++) {
		feed_str(as[j], line, &l);
		ck_assert_uint_eq(l.n, 1);
		ck_assert_int_eq(l.v[0].e.kind, AGENT_EV_ERROR);
		ck_assert_int_eq(l.v[0].e.final, 0);
		ck_assert_int_eq(l.v[0].e.http_status, 500);
		evlog_free(&l);
	}
	/* the ApiError dump after a notice is no title, in text mode too */
	feed_str(AGENT_D_GEMINI_TEXT, "Attempt 2 failed with status 429. Retrying with backoff... "
	    "_ApiError: {\"error\":{\"code\":429}}", &l);
	is_str(l.v[0].e.title, "Attempt 2 failed with status 429. Retrying with backoff...");
	ck_assert_int_eq(l.v[0].e.kind, AGENT_EV_ERROR);
	ck_assert_int_eq(l.v[0].e.http_status, 429);
	evlog_free(&l);
}
END_TEST

START_TEST(gemini_suggested_retry_is_counted_from_the_result_time)
{
	const char *log =
	    "{\"type\":\"init\",\"timestamp\":\"2026-11-30T12:42:20.000Z\",\"session_id\":\"61971071-8066-4854-8399-39223b125365\",\"model\":\"auto\"}\n"
	    "{\"type\":\"result\",\"timestamp\":\"2026-11-30T12:42:25.885Z\",\"status\":\"error\",\"error\":{\"type\":\"unknown\","
	    "\"message\":\"[API Error: You exceeded your current quota. Please retry in 400s.\\nSuggested retry after 400s.]"
	    "\\nPlease wait and try again later.\"}}\n";

	zone("UTC");
	AT(1796042545.885 + 400, resets_of_str(AGENT_D_GEMINI_STREAM, log, -1));
}
END_TEST

START_TEST(gemini_daily_quota_names_no_reset)
{
	const char *log =
	    "{\"type\":\"result\",\"timestamp\":\"2026-11-30T12:42:25.885Z\",\"status\":\"error\",\"error\":{\"type\":\"unknown\","
	    "\"message\":\"[API Error: You have exhausted your daily quota on this model.]\"}}\n";

	zone("UTC");
	AT(-1, resets_of_str(AGENT_D_GEMINI_STREAM, log, T0));
}
END_TEST

START_TEST(gemini_text_quota_error_is_the_limit_not_object_object)
{
	const char *log =
	    "Error when talking to Gemini API Full report available at: /tmp/x.json TerminalQuotaError: "
	    "You exceeded your current quota. Please retry in 400s.\n"
	    "Suggested retry after 400s.\n"
	    "  cause: {\n"
	    "    code: 429,\n"
	    "}\n"
	    "An unexpected critical error occurred:[object Object]\n";

	zone("UTC");
	AT(T0 + 400, resets_of_str(AGENT_D_GEMINI_TEXT, log, T0));
}
END_TEST

/* The limits captured from the real CLI against the fake model's
 * limit429 scenario, read when they were written. */
START_TEST(every_captured_gemini_limit_resets_when_gemini_said)
{
	static const struct resets_case cap[] = {
		{ "gemini/stream-json-limit429.log", "UTC", -1, 1796042545.885 + 400 },
		{ "gemini/stream-json-limit429-retry.log", "UTC", -1, 1796042862.133 + 3 },
		{ "gemini/json-limit429.log", "UTC", 1796042872, 1796042872 + 400 },
		{ "gemini/text-limit429.log", "UTC", 1796042877, 1796042877 + 400 },
	};

	check_resets(cap, sizeof cap / sizeof cap[0]);
}
END_TEST

static Suite *
gemini_suite(void)
{
	Suite *s = suite_create("dialect_gemini");
	TCase *tc = tcase_create("gemini");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, gemini_retry_notices_are_one_rule_in_every_format);
	tcase_add_test(tc, every_gemini_fixture_gives_its_manifest_session_and_final_event);
	tcase_add_test(tc, gemini_stream_happy_joins_deltas_and_pairs_tools);
	tcase_add_test(tc, gemini_stream_cutoff_ends_with_running_tool);
	tcase_add_test(tc, gemini_deltas_at_end_of_input_are_flushed_and_capped);
	tcase_add_test(tc, gemini_stream_errors_limits_and_tool_failures);
	tcase_add_test(tc, gemini_json_happy_gives_model_text_tokens_and_done);
	tcase_add_test(tc, gemini_json_error_object_among_stderr_noise_is_final);
	tcase_add_test(tc, gemini_json_unclosed_restarted_and_oversized_objects);
	tcase_add_test(tc, gemini_tool_kinds_paths_and_titles);
	tcase_add_test(tc, plain_gemini_fixture_skips_stderr_noise);
	tcase_add_test(tc, plain_gemini_result_object_after_a_text_head_is_read);
	tcase_add_test(tc, plain_gemini_error_dump_is_not_text);
	tcase_add_test(tc, gemini_suggested_retry_is_counted_from_the_result_time);
	tcase_add_test(tc, gemini_daily_quota_names_no_reset);
	tcase_add_test(tc, gemini_text_quota_error_is_the_limit_not_object_object);
	tcase_add_test(tc, every_captured_gemini_limit_resets_when_gemini_said);
	suite_add_tcase(s, tc);
	return s;
}

CHECK_MAIN(gemini_suite)
