/* check_dialect_codex.c — Codex CLI's logs (tests/fixtures/codex/): exec
 * --json lines and the human transcript of exec, read from the head or
 * from inside the log; real fixtures and one synthetic line per rule. */
#include "dialect_test.h"

/* Every fixture of tests/fixtures/codex/ in a format with a completion
 * signal: its MANIFEST session id and the final event its verdict needs. */
START_TEST(every_codex_fixture_gives_its_manifest_session_and_final_event)
{
	ck_assert_int_gt(check_agent_fixtures("codex"), 0);
}
END_TEST

START_TEST(codex_happy_gives_shell_and_file_tools_and_done)
{
	struct evlog l = { 0 };
	const struct agent_event *e;

	feed_file(AGENT_D_CODEX_JSON, "codex/exec-json-happy.log", &l);
	ck_assert_uint_eq(count(&l, AGENT_EV_TOOL), 6);
	e = nth(&l, AGENT_EV_TOOL, 0);
	tool_is(e, AGENT_TOOL_RUNNING, AGENT_TK_SHELL, "command_execution", NULL, "cat input.txt");
	is_str(e->call_id, "item_1");
	e = nth(&l, AGENT_EV_TOOL, 1);
	tool_is(e, AGENT_TOOL_COMPLETED, AGENT_TK_SHELL, "command_execution", NULL, "cat input.txt");
	ck_assert_int_eq(e->exit_code, 0);
	is_str(e->text, "some input content\n");
	e = nth(&l, AGENT_EV_TOOL, 5);
	tool_is(e, AGENT_TOOL_COMPLETED, AGENT_TK_WRITE, "file_change",
	    "/home/dev/agents/codex/w-happy/output.txt", "/home/dev/agents/codex/w-happy/output.txt");
	is_str(e->call_id, "item_3");
	is_str(nth(&l, AGENT_EV_TEXT, 1)->text, "Done.");
	e = final_ev(&l);
	ck_assert_int_eq(e->kind, AGENT_EV_DONE);
	ck_assert_int_eq(e->tokens_in, 29096);
	ck_assert_int_eq(e->tokens_out, 332);
	ck_assert_int_eq(nth(&l, AGENT_EV_STEP, 0)->line, 3);
	evlog_free(&l);
}
END_TEST

START_TEST(codex_failed_command_is_tool_error_with_exit_code)
{
	struct evlog l = { 0 };
	const struct agent_event *e;

	feed_file(AGENT_D_CODEX_JSON, "codex/exec-json-failcmd.log", &l);
	e = nth(&l, AGENT_EV_TOOL, 1);
	tool_is(e, AGENT_TOOL_ERROR, AGENT_TK_SHELL, "command_execution", NULL,
	    "ls /nonexistent-dir");
	ck_assert_int_eq(e->exit_code, 2);
	ck_assert_int_eq(final_ev(&l)->kind, AGENT_EV_DONE);
	evlog_free(&l);
}
END_TEST

START_TEST(codex_401_gives_retry_errors_then_final_error)
{
	struct evlog l = { 0 };
	const struct agent_event *e;
	size_t i;

	feed_file(AGENT_D_CODEX_JSON, "codex/exec-json-err401.log", &l);
	ck_assert_uint_eq(count(&l, AGENT_EV_ERROR), 7);
	for (i = 0; i < 6; i++) {
		e = nth(&l, AGENT_EV_ERROR, i);
		ck_assert_int_eq(e->final, 0);
		ck_assert_int_eq(e->http_status, 401);
	}
	e = final_ev(&l);
	ck_assert_int_eq(e->kind, AGENT_EV_ERROR);
	ck_assert_int_eq(e->http_status, 401);
	evlog_free(&l);
}
END_TEST

START_TEST(codex_429_retries_stay_errors_and_failure_is_limit)
{
	struct evlog l = { 0 };

	feed_str(AGENT_D_CODEX_JSON,
	    "{\"type\":\"thread.started\",\"thread_id\":\"" CX_SID "\"}\n"
	    "{\"type\":\"error\",\"message\":\"Reconnecting... 1/5 (exceeded retry limit, last status: 429 Too Many Requests)\"}\n"
	    "{\"type\":\"turn.failed\",\"error\":{\"message\":\"exceeded retry limit, last status: "
	    "429 Too Many Requests, request id: r\"}}\n", &l);
	ck_assert_int_eq(l.v[1].e.kind, AGENT_EV_ERROR);
	ck_assert_int_eq(l.v[1].e.final, 0);
	ck_assert_int_eq(l.v[1].e.http_status, 429);
	ck_assert_int_eq(l.v[2].e.kind, AGENT_EV_LIMIT);
	ck_assert_int_eq(l.v[2].e.final, 1);
	is_str(l.v[2].e.session, CX_SID);
	evlog_free(&l);
	feed_str(AGENT_D_CODEX_JSON,
	    "{\"type\":\"turn.failed\",\"error\":{\"message\":\"You've hit your usage limit. "
	    "Try again later.\"}}\n", &l);
	ck_assert_int_eq(final_ev(&l)->kind, AGENT_EV_LIMIT);
	evlog_free(&l);
}
END_TEST

START_TEST(codex_file_change_gives_one_tool_per_change)
{
	struct evlog l = { 0 };

	feed_str(AGENT_D_CODEX_JSON,
	    "{\"type\":\"item.completed\",\"item\":{\"id\":\"item_7\",\"type\":\"file_change\","
	    "\"changes\":[{\"path\":\"/w/a\",\"kind\":\"add\"},{\"path\":\"/w/b\",\"kind\":\"update\"},"
	    "{\"path\":\"/w/c\",\"kind\":\"delete\"}],\"status\":\"completed\"}}\n"
	    "{\"type\":\"item.completed\",\"item\":{\"id\":\"item_8\",\"type\":\"file_change\","
	    "\"changes\":[{\"path\":\"/w/d\",\"kind\":\"update\"}],\"status\":\"failed\"}}\n", &l);
	ck_assert_uint_eq(l.n, 4);
	tool_is(&l.v[0].e, AGENT_TOOL_COMPLETED, AGENT_TK_WRITE, "file_change", "/w/a", "/w/a");
	tool_is(&l.v[1].e, AGENT_TOOL_COMPLETED, AGENT_TK_EDIT, "file_change", "/w/b", "/w/b");
	tool_is(&l.v[2].e, AGENT_TOOL_COMPLETED, AGENT_TK_DELETE, "file_change", "/w/c", "/w/c");
	tool_is(&l.v[3].e, AGENT_TOOL_ERROR, AGENT_TK_EDIT, "file_change", "/w/d", "/w/d");
	ck_assert_str_ne(l.v[0].e.call_id, l.v[1].e.call_id);
	ck_assert_str_ne(l.v[1].e.call_id, l.v[2].e.call_id);
	evlog_free(&l);
}
END_TEST

START_TEST(codex_plain_lines_skipped_but_fatal_error_line_is_final)
{
	struct evlog l = { 0 };

	feed_str(AGENT_D_CODEX_JSON,
	    "Reading additional input from stdin...\n"
	    "WARNING: proceeding, even though we could not create PATH aliases\n"
	    "2026-11-23T19:00:00Z ERROR codex_core::session: failed to record rollout items\n", &l);
	ck_assert_uint_eq(l.n, 0);
	feed_str(AGENT_D_CODEX_JSON,
	    "Error: thread/resume: thread/resume failed: no rollout found for thread id "
	    CX_SID " (code -32600)\nStack backtrace:\n   0: x\n", &l);
	ck_assert_uint_eq(l.n, 1);
	ck_assert_int_eq(l.v[0].e.kind, AGENT_EV_ERROR);
	ck_assert_int_eq(l.v[0].e.final, 1);
	evlog_free(&l);
}
END_TEST

START_TEST(codex_items_warning_reasoning_and_shell_unwrapping)
{
	struct evlog l = { 0 };

	feed_str(AGENT_D_CODEX_JSON,
	    "{\"type\":\"item.completed\",\"item\":{\"id\":\"item_0\",\"type\":\"error\","
	    "\"message\":\"Model metadata for `x` not found.\"}}\n"
	    "{\"type\":\"item.completed\",\"item\":{\"id\":\"item_1\",\"type\":\"reasoning\",\"text\":\"why\"}}\n"
	    "{\"type\":\"item.started\",\"item\":{\"id\":\"item_2\",\"type\":\"command_execution\","
	    "\"command\":\"/bin/bash -lc 'echo '\\\"'\\\"'a b'\\\"'\\\"''\",\"status\":\"in_progress\"}}\n"
	    "{\"type\":\"item.started\",\"item\":{\"id\":\"item_3\",\"type\":\"command_execution\","
	    "\"command\":\"/bin/bash -lc ls\",\"status\":\"in_progress\"}}\n"
	    "{\"type\":\"item.started\",\"item\":{\"id\":\"item_4\",\"type\":\"command_execution\","
	    "\"command\":\"/bin/bash -lc 'unterminated\",\"status\":\"in_progress\"}}\n", &l);
	ck_assert_uint_eq(l.n, 5);
	ck_assert_int_eq(l.v[0].e.kind, AGENT_EV_ERROR);
	ck_assert_int_eq(l.v[0].e.final, 0);
	ck_assert_int_eq(l.v[1].e.kind, AGENT_EV_STEP);
	is_str(l.v[2].e.title, "echo 'a b'");
	is_str(l.v[3].e.title, "ls");
	is_str(l.v[4].e.title, "/bin/bash -lc 'unterminated");
	evlog_free(&l);
}
END_TEST

START_TEST(cx_happy_fixture_reports_session_model_and_done)
{
	struct evlog l = { 0 };
	feed_file(AGENT_D_CODEX_TEXT, "codex/exec-text-happy.log", &l);
	ck_assert_str_eq(nth(&l, AGENT_EV_SESSION, 0)->session, "01a209f9-6da9-72e0-9602-0d3ba67cb8ef");
	ck_assert_str_eq(nth(&l, AGENT_EV_MODEL, 0)->model, "gpt-5.5");
	ck_assert_int_eq(last(&l)->kind, AGENT_EV_DONE);
	ck_assert_int_eq(last(&l)->final, 1);
	ck_assert_int_eq(last(&l)->line, 41);
	evlog_free(&l);
}
END_TEST

START_TEST(cx_happy_fixture_text_is_the_agents_not_the_prompt_or_stdout_copy)
{
	struct evlog l = { 0 };
	feed_file(AGENT_D_CODEX_TEXT, "codex/exec-text-happy.log", &l);
	ck_assert_int_eq(count(&l, AGENT_EV_TEXT), 2);
	ck_assert_str_eq(nth(&l, AGENT_EV_TEXT, 0)->text, "I'll read the file first.");
	ck_assert_str_eq(nth(&l, AGENT_EV_TEXT, 1)->text, "Done.");
	ck_assert(!has_text(&l, "Read input.txt"));
	ck_assert(!has_text(&l, "some input content"));
	evlog_free(&l);
}
END_TEST

START_TEST(cx_happy_fixture_commands_and_patch_are_tools)
{
	struct evlog l = { 0 };
	feed_file(AGENT_D_CODEX_TEXT, "codex/exec-text-happy.log", &l);
	ck_assert_int_eq(count(&l, AGENT_EV_TOOL), 5);
	is_tool(nth(&l, AGENT_EV_TOOL, 0), AGENT_TOOL_RUNNING, AGENT_TK_SHELL, NULL, "cat input.txt");
	is_tool(nth(&l, AGENT_EV_TOOL, 1), AGENT_TOOL_COMPLETED, AGENT_TK_SHELL, NULL, "cat input.txt");
	ck_assert_int_eq(nth(&l, AGENT_EV_TOOL, 1)->exit_code, 0);
	is_tool(nth(&l, AGENT_EV_TOOL, 3), AGENT_TOOL_COMPLETED, AGENT_TK_SHELL, NULL, "echo hi");
	is_tool(nth(&l, AGENT_EV_TOOL, 4), AGENT_TOOL_COMPLETED, AGENT_TK_WRITE,
	        "/home/dev/agents/codex/w-text-happy/output.txt", NULL);
	evlog_free(&l);
}
END_TEST

START_TEST(cx_failed_command_is_a_tool_error_with_its_exit_code)
{
	struct evlog l = { 0 };
	feed_str(AGENT_D_CODEX_TEXT,
	         "exec\n/bin/bash -lc 'ls /nonexistent-dir' in /w\n exited 2 in 3ms:\n"
	         "ls: cannot access '/nonexistent-dir'\nERROR: not ours\n", &l);
	ck_assert_int_eq(l.n, 2);
	is_tool(&l.v[1].e, AGENT_TOOL_ERROR, AGENT_TK_SHELL, NULL, "ls /nonexistent-dir");
	ck_assert_int_eq(l.v[1].e.exit_code, 2);
	evlog_free(&l);
}
END_TEST

START_TEST(cx_shell_quoting_is_undone_in_the_title)
{
	struct evlog l = { 0 };
	feed_str(AGENT_D_CODEX_TEXT, "exec\n/bin/bash -lc 'echo '\\''hi'\\''' in /w\n", &l);
	ck_assert_str_eq(l.v[0].e.title, "echo 'hi'");
	evlog_free(&l);
}
END_TEST

START_TEST(cx_reconnects_are_notices_and_the_repeated_final_error_counts_once)
{
	struct evlog l = { 0 };
	feed_str(AGENT_D_CODEX_TEXT,
	         "ERROR: Reconnecting... 1/5 (unexpected status 401 Unauthorized)\n"
	         "ERROR: Reconnecting... 2/5\n"
	         "ERROR: unexpected status 401 Unauthorized: bad key, url: http://x\n"
	         "ERROR: unexpected status 401 Unauthorized: bad key, url: http://x\n", &l);
	ck_assert_int_eq(l.n, 3);
	ck_assert_int_eq(l.v[0].e.final, 0);
	ck_assert_int_eq(l.v[0].e.http_status, 401);
	ck_assert_int_eq(l.v[2].e.kind, AGENT_EV_ERROR);
	ck_assert_int_eq(l.v[2].e.final, 1);
	ck_assert_int_eq(l.v[2].e.http_status, 401);
	evlog_free(&l);
	feed_str(AGENT_D_CODEX_TEXT,
	         "ERROR: exceeded retry limit, last status: 429 Too Many Requests, request id: x\n", &l);
	ck_assert_int_eq(l.v[0].e.kind, AGENT_EV_LIMIT);
	ck_assert_int_eq(l.v[0].e.final, 1);
	ck_assert_int_eq(l.v[0].e.http_status, 429);
	evlog_free(&l);
}
END_TEST

START_TEST(cx_retry_notice_after_command_output_still_counts)
{
	struct evlog l = { 0 };
	feed_str(AGENT_D_CODEX_TEXT,
	         "exec\n/bin/bash -lc 'make' in /w\n succeeded in 3ms:\nok\n"
	         "ERROR: Reconnecting... 1/5\nERROR: stream disconnected\n", &l);
	ck_assert_int_eq(count(&l, AGENT_EV_ERROR), 2);
	ck_assert_int_eq(last(&l)->final, 1);
	evlog_free(&l);
}
END_TEST

START_TEST(cx_read_from_inside_the_log_an_error_line_of_command_output_is_not_an_error)
{
	struct evlog l = { 0 };
	/* a tail read that starts in the output of `seq 1 80; echo 'ERROR: …'`
	 * (captured from codex 0.169.0 against the e2e fake model) */
	feed_mid(AGENT_D_CODEX_TEXT,
	         "79\n80\nERROR: a line of the command output\n\ncodex\n"
	         "Running a long command.\nexec\n/bin/bash -lc 'sleep 60' in /w\n", &l);
	ck_assert_int_eq(count(&l, AGENT_EV_ERROR), 0);
	ck_assert_int_eq(last(&l)->kind, AGENT_EV_TOOL);
	evlog_free(&l);
	/* the same output as the last lines read: still not codex's */
	feed_mid(AGENT_D_CODEX_TEXT, "79\n80\nERROR: a line of the command output\n", &l);
	ck_assert_int_eq(count(&l, AGENT_EV_ERROR), 0);
	evlog_free(&l);
	feed_mid(AGENT_D_CODEX_TEXT, "ERROR: one\nERROR: two\n", &l);
	ck_assert_int_eq(count(&l, AGENT_EV_ERROR), 0);
	evlog_free(&l);
	/* "Error: " there is no more codex's than "ERROR: " */
	feed_mid(AGENT_D_CODEX_TEXT, "80\nError: from a test runner\n", &l);
	ck_assert_int_eq(count(&l, AGENT_EV_ERROR), 0);
	evlog_free(&l);
	/* read from the head, an ERROR line outside a section is codex's */
	feed_str(AGENT_D_CODEX_TEXT, "ERROR: a line of the command output\n", &l);
	ck_assert_int_eq(count(&l, AGENT_EV_ERROR), 1);
	evlog_free(&l);
}
END_TEST

START_TEST(cx_read_from_inside_the_log_codex_errors_still_count)
{
	struct evlog l = { 0 };
	/* the final error, printed twice, without the notices before it */
	feed_mid(AGENT_D_CODEX_TEXT,
	         "80\nERROR: unexpected status 401 Unauthorized: bad key\n"
	         "ERROR: unexpected status 401 Unauthorized: bad key\n", &l);
	ck_assert_int_eq(count(&l, AGENT_EV_ERROR), 1);
	ck_assert_int_eq(last(&l)->final, 1);
	ck_assert_int_eq(last(&l)->http_status, 401);
	evlog_free(&l);
	/* with the notices (err401 captured from codex 0.169.0) */
	feed_mid(AGENT_D_CODEX_TEXT,
	         "user\ndo it\nERROR: Reconnecting... 4/5\nERROR: Reconnecting... 5/5\n"
	         "ERROR: unexpected status 401 Unauthorized: Incorrect API key provided: x, url: http://h/v1/responses\n"
	         "ERROR: unexpected status 401 Unauthorized: Incorrect API key provided: x, url: http://h/v1/responses\n", &l);
	ck_assert_int_eq(count(&l, AGENT_EV_ERROR), 3);
	ck_assert_int_eq(last(&l)->final, 1);
	evlog_free(&l);
	feed_mid(AGENT_D_CODEX_TEXT,
	         "ok\nERROR: Reconnecting... 5/5\nERROR: stream disconnected\n", &l);
	ck_assert_int_eq(count(&l, AGENT_EV_ERROR), 2);
	ck_assert_int_eq(last(&l)->final, 1);
	evlog_free(&l);
	/* once a section has placed the reader, the usual rules hold */
	feed_mid(AGENT_D_CODEX_TEXT, "80\ncodex\nhi\nERROR: boom\n", &l);
	ck_assert_int_eq(count(&l, AGENT_EV_ERROR), 1);
	evlog_free(&l);
}
END_TEST

START_TEST(cx_bad_resume_is_a_final_error)
{
	struct evlog l = { 0 };
	feed_str(AGENT_D_CODEX_TEXT,
	         "Error: thread/resume: thread/resume failed: no rollout found for thread id x (code -32600)\n"
	         "\nStack backtrace:\n   0: foo\n", &l);
	ck_assert_int_eq(l.n, 1);
	ck_assert_int_eq(l.v[0].e.kind, AGENT_EV_ERROR);
	ck_assert_int_eq(l.v[0].e.final, 1);
	evlog_free(&l);
}
END_TEST

START_TEST(cx_patch_paths_take_their_kind_from_the_diff)
{
	struct evlog l = { 0 };
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
	evlog_free(&l);
}
END_TEST

START_TEST(cx_thinking_is_a_step_and_older_timestamped_lines_parse)
{
	struct evlog l = { 0 };
	feed_str(AGENT_D_CODEX_TEXT,
	         "thinking\nconsidering\n"
	         "[2025-08-01T10:00:00] exec bash -lc 'ls' in /w\n"
	         "[2025-08-01T10:00:01] bash -lc 'ls' succeeded in 5ms:\n"
	         "[2025-08-01T10:00:02] tokens used: 1234\n", &l);
	ck_assert_int_eq(l.v[0].e.kind, AGENT_EV_STEP);
	is_tool(&l.v[1].e, AGENT_TOOL_RUNNING, AGENT_TK_SHELL, NULL, "ls");
	is_tool(&l.v[2].e, AGENT_TOOL_COMPLETED, AGENT_TK_SHELL, NULL, "ls");
	/* the one-line count came after every reply: progress, not the end */
	ck_assert_int_eq(l.v[3].e.kind, AGENT_EV_STEP);
	ck_assert_int_eq(l.n, 4);
	evlog_free(&l);
}
END_TEST

START_TEST(cx_after_the_token_count_only_the_final_message_copy_follows)
{
	struct evlog l = { 0 };
	feed_str(AGENT_D_CODEX_TEXT,
	         "codex\nDone.\ntokens used\n29,446\nDone.\nexec means nothing here\n", &l);
	ck_assert_int_eq(l.n, 2);
	ck_assert_int_eq(l.v[1].e.kind, AGENT_EV_DONE);
	evlog_free(&l);
	/* a later section (a run appended to the log) is read again */
	feed_str(AGENT_D_CODEX_TEXT, "tokens used\n12\nDone.\ncodex\nAgain.\n", &l);
	ck_assert_int_eq(l.n, 2);
	ck_assert_str_eq(l.v[1].e.text, "Again.");
	evlog_free(&l);
}
END_TEST

/* 0.171.0, SIGINT: "turn interrupted", then the usual footer, exit 1 */
START_TEST(cx_turn_interrupted_is_the_last_word_and_its_footer_no_completion)
{
	struct evlog l = { 0 };
	const struct agent_event *fin;

	feed_file(AGENT_D_CODEX_TEXT, "codex/exec-text-cutoff-sigint-0.171.0.log", &l);
	fin = final_ev(&l);
	ck_assert_ptr_nonnull(fin);
	ck_assert_int_eq(fin->kind, AGENT_EV_INTERRUPT);
	ck_assert_int_eq(fin->line, 17);
	ck_assert_int_eq(count(&l, AGENT_EV_DONE), 0);
	is_str(nth(&l, AGENT_EV_TEXT, 0)->text, "Running a long command.");
	evlog_free(&l);
	/* the words in the prompt are the user's */
	feed_str(AGENT_D_CODEX_TEXT, "user\nturn interrupted\ncodex\nDone.\ntokens used\n12\n", &l);
	ck_assert_int_eq(count(&l, AGENT_EV_INTERRUPT), 0);
	ck_assert_int_eq(final_ev(&l)->kind, AGENT_EV_DONE);
	evlog_free(&l);
	/* work that goes on after them takes them back */
	feed_str(AGENT_D_CODEX_TEXT,
	    "exec\n/bin/bash -lc 'cat x' in /p\n succeeded in 0ms:\nturn interrupted\n"
	    "codex\nDone.\ntokens used\n12\n", &l);
	ck_assert_int_eq(final_ev(&l)->kind, AGENT_EV_DONE);
	ck_assert_ptr_eq(final_ev(&l), last(&l));
	evlog_free(&l);
	/* a new run in the same log starts afresh */
	feed_str(AGENT_D_CODEX_TEXT, "codex\nx\nturn interrupted\ntokens used\n12\n"
	    "OpenAI Codex v0.171.0\n--------\n--------\ncodex\nDone.\ntokens used\n40\n", &l);
	ck_assert_int_eq(count(&l, AGENT_EV_INTERRUPT), 1);
	ck_assert_int_eq(last(&l)->kind, AGENT_EV_DONE);
	evlog_free(&l);
}
END_TEST

/* exec --json, SIGINT: no terminator, the rollout ERROR line, exit 1 */
START_TEST(codex_rollout_lost_in_an_open_turn_is_an_interrupt)
{
	struct evlog l = { 0 };
	const struct agent_event *fin;

	feed_file(AGENT_D_CODEX_JSON, "codex/exec-json-cutoff-sigint-0.171.0.log", &l);
	fin = final_ev(&l);
	ck_assert_ptr_nonnull(fin);
	ck_assert_int_eq(fin->kind, AGENT_EV_INTERRUPT);
	ck_assert_int_eq(fin->line, 6);
	is_str(fin->session, "01a22d7b-c4bf-7152-992f-5f25960ea652");
	evlog_free(&l);
	/* after the turn's end it says nothing more (a killed launcher's
	 * orphan prints it when it finishes the turn) */
	feed_str(AGENT_D_CODEX_JSON,
	    "{\"type\":\"turn.started\"}\n"
	    "{\"type\":\"turn.completed\",\"usage\":{\"input_tokens\":1,\"output_tokens\":1}}\n"
	    "2026-11-30T17:23:36.318986Z ERROR codex_core::session: failed to record rollout items: thread "
	    CX_SID " not found\n", &l);
	ck_assert_int_eq(count(&l, AGENT_EV_INTERRUPT), 0);
	ck_assert_int_eq(last(&l)->kind, AGENT_EV_DONE);
	evlog_free(&l);
}
END_TEST

START_TEST(cx_session_op_reads_the_header_line_only)
{
	char buf[64];
	ck_assert_uint_eq(agent_session_in_line(AGENT_D_CODEX_TEXT, "session id: 01a209f9-6da9-72e0-9602-0d3ba67cb8ef", 48,
	                                                buf, sizeof buf), 36);
	ck_assert_str_eq(buf, "01a209f9-6da9-72e0-9602-0d3ba67cb8ef");
	ck_assert_uint_eq(agent_session_in_line(AGENT_D_CODEX_TEXT, "the session id: 01a209f9-6da9-72e0-9602-0d3ba67cb8ef", 52,
	                                                buf, sizeof buf), 0);
}
END_TEST

START_TEST(cx_a_limit_retry_notice_is_an_error_until_the_limit_ends_the_run)
{
	struct evlog l = { 0 };

	feed_str(AGENT_D_CODEX_TEXT,
	         "ERROR: Reconnecting... 1/5 (exceeded retry limit, last status: 429 Too Many Requests)\n"
	         "ERROR: exceeded retry limit, last status: 429 Too Many Requests\n", &l);
	ck_assert_uint_eq(l.n, 2);
	ck_assert_int_eq(l.v[0].e.kind, AGENT_EV_ERROR);
	ck_assert_int_eq(l.v[0].e.final, 0);
	ck_assert_int_eq(l.v[0].e.http_status, 429);
	ck_assert_int_eq(l.v[1].e.kind, AGENT_EV_LIMIT);
	ck_assert_int_eq(l.v[1].e.final, 1);
	evlog_free(&l);
}
END_TEST

START_TEST(codex_try_again_at_is_local_time_to_the_minute)
{
	const char *json =
	    "{\"type\":\"thread.started\",\"thread_id\":\"01a22c7a-22b3-74b1-ae8f-338d2fed3bab\"}\n"
	    "{\"type\":\"turn.failed\",\"error\":{\"message\":\"You’ve hit your usage limit. Upgrade to Pro "
	    "(https://chatgpt.com/explore/pro), visit https://chatgpt.com/settings/usage to purchase more "
	    "credits or try again at 12:44 PM.\"}}\n";
	const char *later = "{\"type\":\"turn.failed\",\"error\":{\"message\":"
	    "\"You’ve hit your usage limit. Try again at Dec 1st, 2026 1:42 PM.\"}}\n";
	const char *unknown = "{\"type\":\"turn.failed\",\"error\":{\"message\":"
	    "\"You’ve hit your usage limit. Upgrade to Plus to continue using Codex "
	    "(https://chatgpt.com/explore/plus), or try again later.\"}}\n";

	zone("UTC");
	AT(T1245, resets_of_str(AGENT_D_CODEX_JSON, json, T0));
	AT(1796132580, resets_of_str(AGENT_D_CODEX_JSON, later, T0));
	AT(-1, resets_of_str(AGENT_D_CODEX_JSON, unknown, T0));
	zone("Asia/Tokyo");     /* codex said it in its local time */
	AT(T1245 - 9 * 3600, resets_of_str(AGENT_D_CODEX_JSON, json, T0 - 9 * 3600));
}
END_TEST

START_TEST(codex_try_again_in_is_a_delay)
{
	/* older releases: "… Try again in 2 days 3 hours 5 minutes." */
	const char *json = "{\"type\":\"turn.failed\",\"error\":{\"message\":"
	    "\"You've hit your usage limit. Try again in 2 days 3 hours 5 minutes.\"}}\n";

	zone("UTC");
	AT(T0 + 2 * 86400 + 3 * 3600 + 5 * 60, resets_of_str(AGENT_D_CODEX_JSON, json, T0));
}
END_TEST

/* The limits captured from the real CLI against the fake model's
 * limit429 scenario, read when they were written. */
START_TEST(every_captured_codex_limit_resets_when_codex_said)
{
	static const struct resets_case cap[] = {
		{ "codex/exec-json-limit429.log", "UTC", 1796042531, T1245 },
		{ "codex/exec-text-limit429.log", "UTC", 1796042532, T1245 },
		{ "codex/exec-json-limit429-days.log", "UTC", 1796042536, 1796132580 },
	};

	check_resets(cap, sizeof cap / sizeof cap[0]);
}
END_TEST

static Suite *
codex_suite(void)
{
	Suite *s = suite_create("dialect_codex");
	TCase *tc = tcase_create("codex");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, cx_a_limit_retry_notice_is_an_error_until_the_limit_ends_the_run);
	tcase_add_test(tc, every_codex_fixture_gives_its_manifest_session_and_final_event);
	tcase_add_test(tc, codex_happy_gives_shell_and_file_tools_and_done);
	tcase_add_test(tc, codex_failed_command_is_tool_error_with_exit_code);
	tcase_add_test(tc, codex_401_gives_retry_errors_then_final_error);
	tcase_add_test(tc, codex_429_retries_stay_errors_and_failure_is_limit);
	tcase_add_test(tc, codex_file_change_gives_one_tool_per_change);
	tcase_add_test(tc, codex_plain_lines_skipped_but_fatal_error_line_is_final);
	tcase_add_test(tc, codex_items_warning_reasoning_and_shell_unwrapping);
	tcase_add_test(tc, cx_happy_fixture_reports_session_model_and_done);
	tcase_add_test(tc, cx_happy_fixture_text_is_the_agents_not_the_prompt_or_stdout_copy);
	tcase_add_test(tc, cx_happy_fixture_commands_and_patch_are_tools);
	tcase_add_test(tc, cx_failed_command_is_a_tool_error_with_its_exit_code);
	tcase_add_test(tc, cx_shell_quoting_is_undone_in_the_title);
	tcase_add_test(tc, cx_reconnects_are_notices_and_the_repeated_final_error_counts_once);
	tcase_add_test(tc, cx_retry_notice_after_command_output_still_counts);
	tcase_add_test(tc, cx_read_from_inside_the_log_an_error_line_of_command_output_is_not_an_error);
	tcase_add_test(tc, cx_read_from_inside_the_log_codex_errors_still_count);
	tcase_add_test(tc, cx_bad_resume_is_a_final_error);
	tcase_add_test(tc, cx_patch_paths_take_their_kind_from_the_diff);
	tcase_add_test(tc, cx_thinking_is_a_step_and_older_timestamped_lines_parse);
	tcase_add_test(tc, cx_after_the_token_count_only_the_final_message_copy_follows);
	tcase_add_test(tc, cx_session_op_reads_the_header_line_only);
	tcase_add_test(tc, cx_turn_interrupted_is_the_last_word_and_its_footer_no_completion);
	tcase_add_test(tc, codex_rollout_lost_in_an_open_turn_is_an_interrupt);
	tcase_add_test(tc, codex_try_again_at_is_local_time_to_the_minute);
	tcase_add_test(tc, codex_try_again_in_is_a_delay);
	tcase_add_test(tc, every_captured_codex_limit_resets_when_codex_said);
	suite_add_tcase(s, tc);
	return s;
}

CHECK_MAIN(codex_suite)
