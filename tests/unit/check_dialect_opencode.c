/* check_dialect_opencode.c — opencode's logs (tests/fixtures/opencode/):
 * run --format json lines and the coloured transcript of run; real
 * fixtures and one synthetic line per rule. */
#include "dialect_test.h"

/* Every fixture of tests/fixtures/opencode/ in a format with a completion
 * signal: its MANIFEST session id and the final event its verdict needs. */
START_TEST(every_opencode_fixture_gives_its_manifest_session_and_final_event)
{
	ck_assert_int_gt(check_agent_fixtures("opencode"), 0);
}
END_TEST

START_TEST(opencode_happy_gives_completed_tools_steps_and_done)
{
	struct evlog l = { 0 };
	const struct agent_event *e;

	feed_file(AGENT_D_OPENCODE_JSON, "opencode/json-happy.log", &l);
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

	feed_file(AGENT_D_OPENCODE_JSON, "opencode/json-toolerr.log", &l);
	e = nth(&l, AGENT_EV_TOOL, 0);
	tool_is(e, AGENT_TOOL_ERROR, AGENT_TK_READ, "read", "/home/dev/oc/proj/missing.txt", NULL);
	is_str(e->text, "File not found: /home/dev/oc/proj/missing.txt");
	ck_assert_int_eq(final_ev(&l)->kind, AGENT_EV_DONE);
	evlog_free(&l);
	feed_file(AGENT_D_OPENCODE_JSON, "opencode/json-err401.log", &l);
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

	feed_str(AGENT_D_OPENCODE_JSON,
	    "\x1b[91m\x1b[1mError: \x1b[0mSession not found\n", &l);
	ck_assert_uint_eq(l.n, 1);
	ck_assert_int_eq(l.v[0].e.kind, AGENT_EV_ERROR);
	ck_assert_int_eq(l.v[0].e.final, 1);
	is_str(l.v[0].e.text, "Error: Session not found");
	evlog_free(&l);
	feed_str(AGENT_D_OPENCODE_JSON,
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
	feed_str(AGENT_D_OPENCODE_JSON,
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

	feed_str(AGENT_D_OPENCODE_JSON,
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
		feed_str(AGENT_D_OPENCODE_JSON, line, &l);
		ck_assert_uint_eq(l.n, 1);
		tool_is(&l.v[0].e, AGENT_TOOL_RUNNING, t[i].k, t[i].name, t[i].path, t[i].title);
		evlog_free(&l);
	}
}
END_TEST

START_TEST(a_new_session_id_in_the_same_log_is_announced)
{
	struct evlog l = { 0 };

	feed_str(AGENT_D_OPENCODE_JSON,
	    "{\"type\":\"step_start\",\"sessionID\":\"" OC_SID "\"}\n"
	    "{\"type\":\"step_start\",\"sessionID\":\"" OC_SID "\"}\n"
	    "{\"type\":\"step_start\",\"sessionID\":\"ses_df60fc02bffesADN5iSiUraCW8\"}\n", &l);
	ck_assert_uint_eq(count(&l, AGENT_EV_SESSION), 2);
	is_str(l.v[l.n - 1].e.session, "ses_df60fc02bffesADN5iSiUraCW8");
	evlog_free(&l);
}
END_TEST

START_TEST(oc_happy_fixture_reports_each_tool_completed_with_its_path)
{
	struct evlog l = { 0 };
	feed_file(AGENT_D_OPENCODE_TEXT, "opencode/text-happy.log", &l);
	ck_assert_int_eq(count(&l, AGENT_EV_TOOL), 4);
	is_tool(nth(&l, AGENT_EV_TOOL, 0), AGENT_TOOL_COMPLETED, AGENT_TK_READ, "README.md", NULL);
	is_tool(nth(&l, AGENT_EV_TOOL, 1), AGENT_TOOL_COMPLETED, AGENT_TK_SHELL, NULL, "ls && echo hi");
	is_tool(nth(&l, AGENT_EV_TOOL, 2), AGENT_TOOL_COMPLETED, AGENT_TK_WRITE, "hello.txt", NULL);
	is_tool(nth(&l, AGENT_EV_TOOL, 3), AGENT_TOOL_COMPLETED, AGENT_TK_EDIT, "hello.txt", NULL);
	ck_assert_int_eq(nth(&l, AGENT_EV_TOOL, 0)->line, 5);
	evlog_free(&l);
}
END_TEST

START_TEST(oc_happy_fixture_keeps_tool_bodies_out_of_assistant_text)
{
	struct evlog l = { 0 };
	feed_file(AGENT_D_OPENCODE_TEXT, "opencode/text-happy.log", &l);
	ck_assert_int_eq(count(&l, AGENT_EV_TEXT), 5);
	ck_assert_str_eq(nth(&l, AGENT_EV_TEXT, 0)->title, "I'll read the README first.");
	ck_assert_str_eq(nth(&l, AGENT_EV_TEXT, 4)->text, "Done. Created hello.txt");
	ck_assert(!has_text(&l, "Wrote file successfully."));
	ck_assert(!has_text(&l, "hello opencode"));
	ck_assert(!has_text(&l, "opencode.json"));
	evlog_free(&l);
}
END_TEST

START_TEST(oc_header_line_gives_agent_and_model)
{
	struct evlog l = { 0 };
	feed_file(AGENT_D_OPENCODE_TEXT, "opencode/text-happy.log", &l);
	const struct agent_event *m = nth(&l, AGENT_EV_MODEL, 0);
	ck_assert_ptr_nonnull(m);
	ck_assert_str_eq(m->title, "build");
	ck_assert_str_eq(m->model, "fake-model");
	evlog_free(&l);
}
END_TEST

START_TEST(oc_format_has_no_session_and_no_completion_marker)
{
	struct evlog l = { 0 };
	feed_file(AGENT_D_OPENCODE_TEXT, "opencode/text-happy.log", &l);
	ck_assert_int_eq(count(&l, AGENT_EV_SESSION), 0);
	ck_assert_int_eq(count(&l, AGENT_EV_DONE), 0);
	ck_assert_ptr_null(final_ev(&l));
	evlog_free(&l);
}
END_TEST

START_TEST(oc_err401_fixture_ends_in_final_error_with_status_401)
{
	struct evlog l = { 0 };
	feed_file(AGENT_D_OPENCODE_TEXT, "opencode/text-err401.log", &l);
	const struct agent_event *e = last(&l);
	ck_assert_int_eq(e->kind, AGENT_EV_ERROR);
	ck_assert_int_eq(e->final, 1);
	ck_assert_int_eq(e->http_status, 401);
	ck_assert_str_eq(e->text, "Incorrect API key provided: x");
	evlog_free(&l);
}
END_TEST

START_TEST(oc_cutoff_and_stall_fixtures_have_no_final_event)
{
	struct evlog l = { 0 };
	feed_file(AGENT_D_OPENCODE_TEXT, "opencode/text-cutoff-sigkill.log", &l);
	ck_assert_ptr_null(final_ev(&l));
	ck_assert_int_eq(last(&l)->kind, AGENT_EV_TEXT);
	ck_assert_str_eq(last(&l)->text, "Running a long command.");
	evlog_free(&l);
	feed_file(AGENT_D_OPENCODE_TEXT, "opencode/text-stall.log", &l);
	ck_assert_ptr_null(final_ev(&l));
	ck_assert_int_eq(l.n, 1);
	ck_assert_int_eq(l.v[0].e.kind, AGENT_EV_MODEL);
	evlog_free(&l);
}
END_TEST

START_TEST(oc_error_line_after_failed_tool_is_the_tools_error_not_a_run_error)
{
	struct evlog l = { 0 };
	feed_str(AGENT_D_OPENCODE_TEXT,
	         "\x1b[0m\n"
	         "Reading a missing file.\n"
	         "\x1b[0m\xe2\x9c\x97 \x1b[0mRead missing.txt failed\n"
	         "\x1b[91m\x1b[1mError: \x1b[0mFile not found: /p/missing.txt\n"
	         "The file does not exist.\n", &l);
	ck_assert_int_eq(count(&l, AGENT_EV_ERROR), 0);
	const struct agent_event *t = nth(&l, AGENT_EV_TOOL, 0);
	is_tool(t, AGENT_TOOL_ERROR, AGENT_TK_READ, "missing.txt", NULL);
	ck_assert_str_eq(t->text, "File not found: /p/missing.txt");
	ck_assert_int_eq(t->line, 3);
	ck_assert_str_eq(last(&l)->text, "The file does not exist.");
	evlog_free(&l);
}
END_TEST

START_TEST(oc_failed_tool_without_error_line_is_reported_anyway)
{
	struct evlog l = { 0 };
	feed_str(AGENT_D_OPENCODE_TEXT, "\x1b[0m\xe2\x9c\x97 \x1b[0mls /nope failed", &l);
	ck_assert_int_eq(l.n, 1);
	ck_assert_int_eq(l.v[0].e.kind, AGENT_EV_TOOL);
	ck_assert_int_eq(l.v[0].e.status, AGENT_TOOL_ERROR);
	ck_assert_str_eq(l.v[0].e.title, "ls /nope");
	evlog_free(&l);
}
END_TEST

START_TEST(oc_permission_auto_reject_is_a_nonfinal_error)
{
	struct evlog l = { 0 };
	feed_str(AGENT_D_OPENCODE_TEXT,
	         "\x1b[93m\x1b[1m! \x1b[0mpermission requested: external_directory (/etc/*); auto-rejecting\n", &l);
	ck_assert_int_eq(l.n, 1);
	ck_assert_int_eq(l.v[0].e.kind, AGENT_EV_ERROR);
	ck_assert_int_eq(l.v[0].e.final, 0);
	ck_assert_ptr_nonnull(strstr(l.v[0].e.text, "permission requested: external_directory"));
	evlog_free(&l);
}
END_TEST

START_TEST(oc_error_line_alone_is_final_and_rate_limits_are_limits)
{
	struct evlog l = { 0 };
	feed_str(AGENT_D_OPENCODE_TEXT, "\x1b[91m\x1b[1mError: \x1b[0mSession not found\n", &l);
	ck_assert_int_eq(l.v[0].e.kind, AGENT_EV_ERROR);
	ck_assert_int_eq(l.v[0].e.final, 1);
	evlog_free(&l);
	feed_str(AGENT_D_OPENCODE_TEXT, "\x1b[91m\x1b[1mError: \x1b[0mRate limit exceeded (429)\n", &l);
	ck_assert_int_eq(l.v[0].e.kind, AGENT_EV_LIMIT);
	ck_assert_int_eq(l.v[0].e.final, 1);
	ck_assert_int_eq(l.v[0].e.http_status, 429);
	evlog_free(&l);
}
END_TEST

START_TEST(oc_icons_map_to_tool_kinds_and_descriptions_are_dropped)
{
	struct evlog l = { 0 };
	feed_str(AGENT_D_OPENCODE_TEXT,
	         "\x1b[0m\xe2\x9c\xb1 \x1b[0mGlob \"*.c\"\x1b[2m in src \xc2\xb7 3 matches\x1b[0m\n"
	         "\x1b[0m\xe2\x9c\xb1 \x1b[0mGrep \"main\"\n"
	         "\x1b[0m% \x1b[0mWebFetch https://example.com/x\n"
	         "\x1b[0m\xe2\x86\x92 \x1b[0mRead src/a.c\x1b[2m [offset=10, limit=5]\x1b[0m\n"
	         "\x1b[0m\xe2\x86\x92 \x1b[0mList src\n"
	         "\x1b[0m\xe2\x9a\x99 \x1b[0mmytool {\"a\":1}\n"
	         "\x1b[0m% \x1b[0mPatch 2 files\n", &l);
	ck_assert_int_eq(l.n, 7);
	is_tool(&l.v[0].e, AGENT_TOOL_COMPLETED, AGENT_TK_SEARCH, NULL, "*.c");
	ck_assert_str_eq(l.v[0].e.tool, "glob");
	is_tool(&l.v[1].e, AGENT_TOOL_COMPLETED, AGENT_TK_SEARCH, NULL, "main");
	is_tool(&l.v[2].e, AGENT_TOOL_COMPLETED, AGENT_TK_FETCH, NULL, "https://example.com/x");
	is_tool(&l.v[3].e, AGENT_TOOL_COMPLETED, AGENT_TK_READ, "src/a.c", "src/a.c");
	is_tool(&l.v[4].e, AGENT_TOOL_COMPLETED, AGENT_TK_SEARCH, NULL, "src");
	is_tool(&l.v[5].e, AGENT_TOOL_COMPLETED, AGENT_TK_OTHER, NULL, NULL);
	ck_assert_str_eq(l.v[5].e.tool, "mytool");
	is_tool(&l.v[6].e, AGENT_TOOL_COMPLETED, AGENT_TK_EDIT, NULL, NULL);
	evlog_free(&l);
}
END_TEST

START_TEST(oc_todo_block_body_is_not_text)
{
	struct evlog l = { 0 };
	feed_str(AGENT_D_OPENCODE_TEXT,
	         "\x1b[0m\n\x1b[0m# \x1b[0mTodos\n[\xe2\x9c\x93] read\n[ ] write\n\x1b[0m\nNext.\n", &l);
	ck_assert_int_eq(l.n, 2);
	is_tool(&l.v[0].e, AGENT_TOOL_COMPLETED, AGENT_TK_TODO, NULL, NULL);
	ck_assert_str_eq(l.v[1].e.text, "Next.");
	evlog_free(&l);
}
END_TEST

START_TEST(oc_empty_lines_inside_a_diff_do_not_end_the_block)
{
	struct evlog l = { 0 };
	feed_str(AGENT_D_OPENCODE_TEXT,
	         "\x1b[0m\n\x1b[0m\xe2\x86\x90 \x1b[0mEdit a.txt\n@@ -1,3 +1,3 @@\n \n-x\n+y\n\n\x1b[0m\nAfter.\n", &l);
	ck_assert_int_eq(l.n, 2);
	ck_assert_int_eq(count(&l, AGENT_EV_TEXT), 1);
	ck_assert_str_eq(l.v[1].e.text, "After.");
	evlog_free(&l);
}
END_TEST

START_TEST(oc_markdown_that_looks_like_a_tool_line_is_text_in_a_coloured_log)
{
	struct evlog l = { 0 };
	feed_str(AGENT_D_OPENCODE_TEXT, "\x1b[0m\n# Plan\n$ make check\n", &l);
	ck_assert_int_eq(count(&l, AGENT_EV_TOOL), 0);
	ck_assert_int_eq(count(&l, AGENT_EV_TEXT), 2);
	evlog_free(&l);
}
END_TEST

START_TEST(oc_tool_lines_without_any_escapes_are_still_tools)
{
	struct evlog l = { 0 };
	feed_str(AGENT_D_OPENCODE_TEXT,
	         "> build \xc2\xb7 m\nLooking.\n\xe2\x86\x92 Read a.c\nError: boom\n", &l);
	ck_assert_int_eq(l.v[0].e.kind, AGENT_EV_MODEL);
	is_tool(&l.v[2].e, AGENT_TOOL_COMPLETED, AGENT_TK_READ, "a.c", NULL);
	ck_assert_int_eq(l.v[3].e.kind, AGENT_EV_ERROR);
	ck_assert_int_eq(l.v[3].e.final, 1);
	evlog_free(&l);
}
END_TEST

START_TEST(oc_print_logs_lines_are_not_text_and_name_the_session)
{
	const char *line = "timestamp=2026-11-23T19:44:40.915Z level=INFO service=session "
	                   "id=ses_df60fc02bffesADN5iSiUraCW7 created";
	struct evlog l = { 0 };
	char buf[64];
	feed_str(AGENT_D_OPENCODE_TEXT, line, &l);
	ck_assert_int_eq(l.n, 0);
	ck_assert_uint_eq(agent_session_in_line(AGENT_D_OPENCODE_TEXT, line, strlen(line), buf, sizeof buf), 30);
	ck_assert_str_eq(buf, "ses_df60fc02bffesADN5iSiUraCW7");
	ck_assert_uint_eq(agent_session_in_line(AGENT_D_OPENCODE_TEXT, "Session: ses_df60fc02bffesADN5iSiUraCW7", 39,
	                                                   buf, sizeof buf), 0);
	evlog_free(&l);
}
END_TEST

START_TEST(oc_thinking_lines_are_steps_not_text)
{
	struct evlog l = { 0 };
	feed_str(AGENT_D_OPENCODE_TEXT, "Thinking: about the file\n", &l);
	ck_assert_int_eq(l.v[0].e.kind, AGENT_EV_STEP);
	evlog_free(&l);
}
END_TEST

START_TEST(opencode_permission_notice_reads_the_same_in_json_and_text)
{
	struct evlog l = { 0 };

	feed_str(AGENT_D_OPENCODE_JSON, "! permission requested: bash (rm -rf x)", &l);
	ck_assert_uint_eq(l.n, 1);
	ck_assert_int_eq(l.v[0].e.kind, AGENT_EV_ERROR);
	ck_assert_int_eq(l.v[0].e.final, 0);
	is_str(l.v[0].e.text, "permission requested: bash (rm -rf x)");
	evlog_free(&l);
	feed_str(AGENT_D_OPENCODE_TEXT, "! permission requested: bash (rm -rf x)", &l);
	ck_assert_uint_eq(l.n, 1);
	is_str(l.v[0].e.text, "permission requested: bash (rm -rf x)");
	ck_assert_int_eq(l.v[0].e.final, 0);
	evlog_free(&l);
}
END_TEST

START_TEST(opencode_json_tools_of_oh_my_opencode_have_their_kinds)
{
	struct evlog l = { 0 };

	/* oh-my-opencode's resume runs through opencode --format json */
	feed_str(AGENT_D_OPENCODE_JSON,
	    "{\"type\":\"tool_use\",\"sessionID\":\"" OC_SID "\",\"part\":{\"tool\":\"delegate_task\","
	    "\"callID\":\"c1\",\"state\":{\"status\":\"running\",\"input\":{\"description\":\"fix it\"}}}}\n"
	    "{\"type\":\"tool_use\",\"sessionID\":\"" OC_SID "\",\"part\":{\"tool\":\"Read\","
	    "\"callID\":\"c2\",\"state\":{\"status\":\"completed\",\"input\":{\"filePath\":\"/a\"}}}}\n", &l);
	tool_is(nth(&l, AGENT_EV_TOOL, 0), AGENT_TOOL_RUNNING, AGENT_TK_TASK, "delegate_task", NULL, "fix it");
	tool_is(nth(&l, AGENT_EV_TOOL, 1), AGENT_TOOL_COMPLETED, AGENT_TK_READ, "Read", "/a", "/a");
	evlog_free(&l);
}
END_TEST

START_TEST(opencode_retry_after_header_counts_from_the_error_event)
{
	const char *fmt = "{\"type\":\"error\",\"timestamp\":1796042907974,\"sessionID\":\"ses_dd38057b3fferBNpSGgVMwpHxG\","
	    "\"error\":{\"name\":\"APIError\",\"data\":{\"message\":\"Rate limit reached.\",\"statusCode\":429,"
	    "\"isRetryable\":true,\"responseHeaders\":{%s}}}}\n";
	char line[1024];

	zone("UTC");
	snprintf(line, sizeof line, fmt, "\"retry-after\":\"120\"");
	AT(1796042907.974 + 120, resets_of_str(AGENT_D_OPENCODE_JSON, line, -1));
	snprintf(line, sizeof line, fmt, "\"retry-after-ms\":\"2500\",\"retry-after\":\"3\"");
	AT(1796042907.974 + 2.5, resets_of_str(AGENT_D_OPENCODE_JSON, line, -1));
	snprintf(line, sizeof line, fmt, "\"retry-after\":\"Mon, 30 Nov 2026 13:00:00 GMT\"");
	AT(1796043600, resets_of_str(AGENT_D_OPENCODE_JSON, line, -1));
	/* no header, no delay in the message: unknown */
	snprintf(line, sizeof line, fmt, "\"date\":\"Mon, 30 Nov 2026 12:48:27 GMT\"");
	AT(-1, resets_of_str(AGENT_D_OPENCODE_JSON, line, T0));
}
END_TEST

/* The limits captured from the real CLI against the fake model's
 * limit429 scenario, read when they were written. */
START_TEST(every_captured_opencode_limit_resets_when_opencode_said)
{
	static const struct resets_case cap[] = {
		{ "opencode/json-limit429.log", "UTC", -1, 1796042907.974 + 2 },
		{ "opencode/text-limit429.log", "UTC", 1796042933, 1796042933 + 2 },
	};

	check_resets(cap, sizeof cap / sizeof cap[0]);
}
END_TEST

START_TEST(opencode_text_gives_the_message_delay_only)
{
	const char *oc = "\x1b[91m\x1b[1mError: \x1b[0mRate limit reached for fake-model. "
	    "Please try again in 20s.\n";

	zone("UTC");
	AT(T0 + 20, resets_of_str(AGENT_D_OPENCODE_TEXT, oc, T0));
}
END_TEST

static Suite *
opencode_suite(void)
{
	Suite *s = suite_create("dialect_opencode");
	TCase *tc = tcase_create("opencode");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, opencode_permission_notice_reads_the_same_in_json_and_text);
	tcase_add_test(tc, opencode_json_tools_of_oh_my_opencode_have_their_kinds);
	tcase_add_test(tc, every_opencode_fixture_gives_its_manifest_session_and_final_event);
	tcase_add_test(tc, opencode_happy_gives_completed_tools_steps_and_done);
	tcase_add_test(tc, opencode_tool_error_does_not_end_the_run);
	tcase_add_test(tc, opencode_plain_errors_permission_and_limits);
	tcase_add_test(tc, opencode_apply_patch_gives_one_tool_per_file);
	tcase_add_test(tc, opencode_tool_kinds_paths_and_titles);
	tcase_add_test(tc, a_new_session_id_in_the_same_log_is_announced);
	tcase_add_test(tc, oc_happy_fixture_reports_each_tool_completed_with_its_path);
	tcase_add_test(tc, oc_happy_fixture_keeps_tool_bodies_out_of_assistant_text);
	tcase_add_test(tc, oc_header_line_gives_agent_and_model);
	tcase_add_test(tc, oc_format_has_no_session_and_no_completion_marker);
	tcase_add_test(tc, oc_err401_fixture_ends_in_final_error_with_status_401);
	tcase_add_test(tc, oc_cutoff_and_stall_fixtures_have_no_final_event);
	tcase_add_test(tc, oc_error_line_after_failed_tool_is_the_tools_error_not_a_run_error);
	tcase_add_test(tc, oc_failed_tool_without_error_line_is_reported_anyway);
	tcase_add_test(tc, oc_permission_auto_reject_is_a_nonfinal_error);
	tcase_add_test(tc, oc_error_line_alone_is_final_and_rate_limits_are_limits);
	tcase_add_test(tc, oc_icons_map_to_tool_kinds_and_descriptions_are_dropped);
	tcase_add_test(tc, oc_todo_block_body_is_not_text);
	tcase_add_test(tc, oc_empty_lines_inside_a_diff_do_not_end_the_block);
	tcase_add_test(tc, oc_markdown_that_looks_like_a_tool_line_is_text_in_a_coloured_log);
	tcase_add_test(tc, oc_tool_lines_without_any_escapes_are_still_tools);
	tcase_add_test(tc, oc_print_logs_lines_are_not_text_and_name_the_session);
	tcase_add_test(tc, oc_thinking_lines_are_steps_not_text);
	tcase_add_test(tc, opencode_retry_after_header_counts_from_the_error_event);
	tcase_add_test(tc, every_captured_opencode_limit_resets_when_opencode_said);
	tcase_add_test(tc, opencode_text_gives_the_message_delay_only);
	suite_add_tcase(s, tc);
	return s;
}

CHECK_MAIN(opencode_suite)
