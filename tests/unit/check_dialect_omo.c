/* check_dialect_omo.c — oh-my-opencode's logs (tests/fixtures/omo/): run
 * with and without timestamps, --verbose event lines cutting text, --json's
 * result line; real fixtures and one synthetic line per rule. */
#include "dialect_test.h"

/* Every fixture of tests/fixtures/omo/ in a format with a completion
 * signal: its MANIFEST session id and the final event its verdict needs. */
START_TEST(every_omo_fixture_gives_its_manifest_session_and_final_event)
{
	ck_assert_int_gt(check_agent_fixtures("omo"), 0);
}
END_TEST

START_TEST(omo_happy_fixture_reports_session_model_and_done)
{
	struct evlog l = { 0 };
	feed_file(AGENT_D_OMO, "omo/happy.log", &l);
	const struct agent_event *s = nth(&l, AGENT_EV_SESSION, 0);
	ck_assert_str_eq(s->session, "ses_df60bda3bffeXCkoDZ48rADnTM");
	ck_assert_int_eq(s->line, 4);
	const struct agent_event *m = nth(&l, AGENT_EV_MODEL, 0);
	ck_assert_str_eq(m->model, "gpt-5.5");
	ck_assert_str_eq(m->title, "Hephaestus - Deep Agent");
	ck_assert_int_eq(last(&l)->kind, AGENT_EV_DONE);
	ck_assert_int_eq(last(&l)->final, 1);
	ck_assert_int_eq(count(&l, AGENT_EV_ERROR), 0);
	evlog_free(&l);
}
END_TEST

START_TEST(omo_happy_fixture_tools_start_running_and_complete_at_output)
{
	struct evlog l = { 0 };
	feed_file(AGENT_D_OMO, "omo/happy.log", &l);
	ck_assert_int_eq(count(&l, AGENT_EV_TOOL), 8);
	is_tool(nth(&l, AGENT_EV_TOOL, 0), AGENT_TOOL_RUNNING, AGENT_TK_READ,
	        "/home/dev/oc/omo-proj/README.md", NULL);
	is_tool(nth(&l, AGENT_EV_TOOL, 1), AGENT_TOOL_COMPLETED, AGENT_TK_READ,
	        "/home/dev/oc/omo-proj/README.md", NULL);
	is_tool(nth(&l, AGENT_EV_TOOL, 2), AGENT_TOOL_RUNNING, AGENT_TK_SHELL, NULL, "ls && echo hi");
	is_tool(nth(&l, AGENT_EV_TOOL, 3), AGENT_TOOL_COMPLETED, AGENT_TK_SHELL, NULL, "ls && echo hi");
	/* apply_patch: one event per file, by what the patch does to it */
	is_tool(nth(&l, AGENT_EV_TOOL, 4), AGENT_TOOL_RUNNING, AGENT_TK_WRITE, "hello.txt", NULL);
	is_tool(nth(&l, AGENT_EV_TOOL, 5), AGENT_TOOL_COMPLETED, AGENT_TK_WRITE, "hello.txt", NULL);
	is_tool(nth(&l, AGENT_EV_TOOL, 6), AGENT_TOOL_RUNNING, AGENT_TK_EDIT, "hello.txt", NULL);
	is_tool(nth(&l, AGENT_EV_TOOL, 7), AGENT_TOOL_COMPLETED, AGENT_TK_EDIT, "hello.txt", NULL);
	evlog_free(&l);
}
END_TEST

START_TEST(omo_happy_fixture_keeps_tool_output_and_patches_out_of_text)
{
	struct evlog l = { 0 };
	feed_file(AGENT_D_OMO, "omo/happy.log", &l);
	ck_assert_int_eq(count(&l, AGENT_EV_TEXT), 5);
	ck_assert_str_eq(nth(&l, AGENT_EV_TEXT, 0)->text, "I'll read the README first.");
	ck_assert_str_eq(nth(&l, AGENT_EV_TEXT, 4)->text, "Done. Created hello.txt");
	ck_assert(!has_text(&l, "Demo project"));
	ck_assert(!has_text(&l, "Success. Updated"));
	ck_assert(!has_text(&l, "hello world"));
	ck_assert(!has_text(&l, "gpt-5.5"));
	evlog_free(&l);
}
END_TEST

START_TEST(omo_cutoff_fixture_ends_with_a_running_tool_and_no_final_event)
{
	struct evlog l = { 0 };
	feed_file(AGENT_D_OMO, "omo/cutoff-sigterm.log", &l);
	ck_assert_ptr_null(final_ev(&l));
	const struct agent_event *t = nth(&l, AGENT_EV_TOOL, 0);
	is_tool(t, AGENT_TOOL_RUNNING, AGENT_TK_SHELL, NULL, "sleep 60");
	ck_assert_int_eq(count(&l, AGENT_EV_TOOL), 1);
	ck_assert_str_eq(nth(&l, AGENT_EV_SESSION, 0)->session, "ses_df60a7513ffe8deB39MhHlv3A0");
	evlog_free(&l);
}
END_TEST

START_TEST(omo_err401_fixture_ends_in_final_error)
{
	struct evlog l = { 0 };
	feed_file(AGENT_D_OMO, "omo/err401.log", &l);
	const struct agent_event *e = final_ev(&l);
	ck_assert_ptr_nonnull(e);
	ck_assert_int_eq(e->kind, AGENT_EV_ERROR);
	ck_assert_int_eq(e->http_status, 401);
	ck_assert_str_eq(e->text, "Incorrect API key provided: x");
	ck_assert_int_eq(count(&l, AGENT_EV_DONE), 0);
	ck_assert(!has_text(&l, "Check if todos"));
	evlog_free(&l);
}
END_TEST

START_TEST(omo_resume_badid_fixture_is_a_final_error_without_session)
{
	struct evlog l = { 0 };
	feed_file(AGENT_D_OMO, "omo/resume-badid.log", &l);
	ck_assert_int_eq(count(&l, AGENT_EV_SESSION), 0);
	ck_assert_int_eq(last(&l)->kind, AGENT_EV_ERROR);
	ck_assert_int_eq(last(&l)->final, 1);
	ck_assert_str_eq(last(&l)->text, "Session not found: ses_doesnotexist000000000000");
	evlog_free(&l);
}
END_TEST

START_TEST(omo_json_result_next_to_all_tasks_completed_is_one_completion)
{
	struct evlog l = { 0 };
	/* oh-my-opencode 4.19.4 run --json, 2>&1 (captured against the fake) */
	feed_str(AGENT_D_OMO, "  Done.\n\n\nAll tasks completed.\n"
	         "{\"sessionId\":\"ses_df3700134ffegMyjuYompmvFJv\",\"success\":true,"
	         "\"durationMs\":31560,\"messageCount\":4,\"summary\":\"Done.\"}\n", &l);
	ck_assert_int_eq(count(&l, AGENT_EV_DONE), 1);
	ck_assert_int_eq(last(&l)->kind, AGENT_EV_DONE);
	evlog_free(&l);
	/* the result line alone (stdout only) is the completion and the session */
	feed_str(AGENT_D_OMO, "{\"sessionId\":\"ses_df3700134ffegMyjuYompmvFJv\",\"success\":true}\n", &l);
	ck_assert_int_eq(count(&l, AGENT_EV_DONE), 1);
	ck_assert_int_eq(count(&l, AGENT_EV_SESSION), 1);
	evlog_free(&l);
	feed_str(AGENT_D_OMO, "{\"sessionId\":\"ses_x\",\"success\":false,\"error\":\"boom\"}\n", &l);
	ck_assert_int_eq(count(&l, AGENT_EV_DONE), 0);
	ck_assert_int_eq(last(&l)->kind, AGENT_EV_ERROR);
	evlog_free(&l);
}
END_TEST

START_TEST(omo_resume_fixture_keeps_the_session_and_completes)
{
	struct evlog l = { 0 };
	feed_file(AGENT_D_OMO, "omo/resume.log", &l);
	ck_assert_str_eq(nth(&l, AGENT_EV_SESSION, 0)->session, "ses_df60bda3bffeXCkoDZ48rADnTM");
	ck_assert_int_eq(last(&l)->kind, AGENT_EV_DONE);
	evlog_free(&l);
}
END_TEST

START_TEST(omo_verbose_fixture_joins_text_cut_by_event_lines)
{
	struct evlog l = { 0 };
	feed_file(AGENT_D_OMO, "omo/verbose-happy.log", &l);
	ck_assert(has_text(&l, "I'll read the README first."));
	ck_assert(has_text(&l, "Now listing the directory."));
	ck_assert(has_text(&l, "Done. Created hello.txt"));
	ck_assert(!has_text(&l, "[MAIN]"));
	ck_assert(!has_text(&l, "[system]"));
	ck_assert(!has_text(&l, "Read README.md, list files"));   /* the prompt */
	ck_assert_int_eq(count(&l, AGENT_EV_TEXT), 5);
	ck_assert_int_eq(last(&l)->kind, AGENT_EV_DONE);
	evlog_free(&l);
}
END_TEST

START_TEST(omo_verbose_tool_brackets_add_only_failures)
{
	struct evlog l = { 0 };
	/* running / completed repeat what the header and output lines say */
	feed_str(AGENT_D_OMO,
	         "[MAIN] message.part (tool): bash [pending]\n"
	         "[MAIN] message.part (tool): bash [running]\n"
	         "[10:00:00]   $ make  \n"
	         "[MAIN] message.part (tool): bash [running]\n"
	         "[MAIN] message.part (tool): bash [error]\n"
	         "[10:00:01]   \xe2\x94\x94\xe2\x94\x80 output  \n"
	         "[10:00:01]   make: *** no rule  \n"
	         "[ses_abcd] message.part (tool): read [error]\n"
	         "[MAIN] message.part.delta (text): \"x\"\n"
	         "[system] plugin.added\n"
	         "[MAIN] message.part (tool): grep [error]\n", &l);
	ck_assert_int_eq(count(&l, AGENT_EV_TOOL), 3);
	is_tool(nth(&l, AGENT_EV_TOOL, 0), AGENT_TOOL_RUNNING, AGENT_TK_SHELL, NULL, "make");
	is_tool(nth(&l, AGENT_EV_TOOL, 1), AGENT_TOOL_ERROR, AGENT_TK_SHELL, NULL, "make");
	ck_assert_str_eq(nth(&l, AGENT_EV_TOOL, 1)->tool, "bash");
	is_tool(nth(&l, AGENT_EV_TOOL, 2), AGENT_TOOL_ERROR, AGENT_TK_SEARCH, NULL, "grep");
	ck_assert(!has_text(&l, "no rule"));
	evlog_free(&l);
}
END_TEST

START_TEST(omo_tool_start_and_end_share_a_call_id)
{
	struct evlog l = { 0 };
	feed_file(AGENT_D_OMO, "omo/happy.log", &l);
	for (int i = 0; i < 8; i += 2) {
		const struct agent_event *a = nth(&l, AGENT_EV_TOOL, i), *b = nth(&l, AGENT_EV_TOOL, i + 1);
		ck_assert_ptr_nonnull(a->call_id);
		ck_assert_str_eq(a->call_id, b->call_id);
		if (i)
			ck_assert_str_ne(a->call_id, nth(&l, AGENT_EV_TOOL, i - 1)->call_id);
	}
	evlog_free(&l);
	feed_file(AGENT_D_CODEX_TEXT, "codex/exec-text-happy.log", &l);
	ck_assert_str_eq(nth(&l, AGENT_EV_TOOL, 0)->call_id, nth(&l, AGENT_EV_TOOL, 1)->call_id);
	ck_assert_str_ne(nth(&l, AGENT_EV_TOOL, 0)->call_id, nth(&l, AGENT_EV_TOOL, 2)->call_id);
	evlog_free(&l);
}
END_TEST

START_TEST(omo_reasoning_block_is_a_step_not_text)
{
	struct evlog l = { 0 };
	feed_str(AGENT_D_OMO,
	         "[10:00:00] \n"
	         "[10:00:00]   \xe2\x94\x83  Thinking: I should look  \n"
	         "[10:00:00]   at the file first.  \n"
	         "[10:00:00] \n"
	         "[10:00:01]   Reading it.\n", &l);
	ck_assert_int_eq(l.n, 2);
	ck_assert_int_eq(l.v[0].e.kind, AGENT_EV_STEP);
	ck_assert_str_eq(l.v[1].e.text, "Reading it.");
	evlog_free(&l);
}
END_TEST

START_TEST(omo_lines_without_timestamps_parse_the_same)
{
	struct evlog a = { 0 }, b = { 0 };
	size_t len;
	char *buf = slurp("omo/happy.log", &len);
	char *out = malloc(len + 1);
	size_t o = 0;
	ck_assert_ptr_nonnull(out);
	/* --no-timestamp: drop every "[HH:MM:SS] " prefix */
	for (size_t i = 0; i < len; ) {
		if (len - i >= 11 && buf[i] == '[' && buf[i + 3] == ':' && buf[i + 6] == ':' &&
		    buf[i + 9] == ']' && (i == 0 || buf[i - 1] == '\n'))
			i += buf[i + 10] == ' ' ? 11 : 10;
		out[o++] = buf[i++];
	}
	feed(AGENT_D_OMO, buf, len, &a);
	feed(AGENT_D_OMO, out, o, &b);
	ck_assert_int_eq(a.n, b.n);
	for (size_t i = 0; i < a.n; i++) {
		ck_assert_int_eq(a.v[i].e.kind, b.v[i].e.kind);
		ck_assert_int_eq(a.v[i].e.status, b.v[i].e.status);
		ck_assert_int_eq(a.v[i].e.tkind, b.v[i].e.tkind);
	}
	free(buf);
	free(out);
	evlog_free(&a);
	evlog_free(&b);
}
END_TEST

START_TEST(omo_ci_tree_marker_works_like_the_box_drawing_one)
{
	struct evlog l = { 0 };
	feed_str(AGENT_D_OMO,
	         "\n  fake-model  \n  `- Sisyphus - ultraworker  \n\n"
	         "  Reading.\n  \xe2\x86\x92 Read /p/a.c  \n\n"
	         "  `- Sisyphus - ultraworker \xc2\xb7 fake-model \xc2\xb7 0.3s  \n"
	         "  `- output  \n  int main;  \n\n", &l);
	const struct agent_event *m = nth(&l, AGENT_EV_MODEL, 0);
	ck_assert_str_eq(m->model, "fake-model");
	ck_assert_str_eq(m->title, "Sisyphus - ultraworker");
	is_tool(nth(&l, AGENT_EV_TOOL, 0), AGENT_TOOL_RUNNING, AGENT_TK_READ, "/p/a.c", NULL);
	is_tool(nth(&l, AGENT_EV_TOOL, 1), AGENT_TOOL_COMPLETED, AGENT_TK_READ, "/p/a.c", NULL);
	ck_assert_int_eq(nth(&l, AGENT_EV_STEP, 0)->line, 8);
	ck_assert(!has_text(&l, "int main"));
	evlog_free(&l);
}
END_TEST

START_TEST(omo_header_icons_map_to_tool_kinds)
{
	struct evlog l = { 0 };
	feed_str(AGENT_D_OMO,
	         "[10:00:00]   \xe2\x9c\xb1 Glob \"**/*.ts\"  \n"
	         "[10:00:01]   \xe2\x9c\xb1 Grep \"TODO\"  \n"
	         "[10:00:02]   % WebFetch https://example.com  \n"
	         "[10:00:03]   # Explore the repo agent=explore  \n"
	         "[10:00:04]   # Todos  \n"
	         "[10:00:05]   \xe2\x86\x90 Write /p/new.txt  \n"
	         "[10:00:06]   \xe2\x86\x90 Edit /p/old.txt  \n"
	         "[10:00:07]   \xe2\x9a\x99 lsp_diagnostics filePath=/p/a.ts  \n", &l);
	/* each header ends the tool before it */
	ck_assert_int_eq(count(&l, AGENT_EV_TOOL), 15);
	is_tool(nth(&l, AGENT_EV_TOOL, 0), AGENT_TOOL_RUNNING, AGENT_TK_SEARCH, NULL, "**/*.ts");
	is_tool(nth(&l, AGENT_EV_TOOL, 1), AGENT_TOOL_COMPLETED, AGENT_TK_SEARCH, NULL, "**/*.ts");
	is_tool(nth(&l, AGENT_EV_TOOL, 2), AGENT_TOOL_RUNNING, AGENT_TK_SEARCH, NULL, "TODO");
	is_tool(nth(&l, AGENT_EV_TOOL, 4), AGENT_TOOL_RUNNING, AGENT_TK_FETCH, NULL, "https://example.com");
	is_tool(nth(&l, AGENT_EV_TOOL, 6), AGENT_TOOL_RUNNING, AGENT_TK_TASK, NULL, NULL);
	is_tool(nth(&l, AGENT_EV_TOOL, 8), AGENT_TOOL_RUNNING, AGENT_TK_TODO, NULL, NULL);
	is_tool(nth(&l, AGENT_EV_TOOL, 10), AGENT_TOOL_RUNNING, AGENT_TK_WRITE, "/p/new.txt", NULL);
	is_tool(nth(&l, AGENT_EV_TOOL, 12), AGENT_TOOL_RUNNING, AGENT_TK_EDIT, "/p/old.txt", NULL);
	is_tool(nth(&l, AGENT_EV_TOOL, 14), AGENT_TOOL_RUNNING, AGENT_TK_OTHER, NULL, NULL);
	ck_assert_str_eq(nth(&l, AGENT_EV_TOOL, 14)->tool, "lsp_diagnostics");
	evlog_free(&l);
}
END_TEST

START_TEST(omo_apply_patch_names_every_file_with_its_operation)
{
	struct evlog l = { 0 };
	feed_str(AGENT_D_OMO,
	         "[10:00:00]   \xe2\x9a\x99 apply_patch patchText=*** Begin Patch\n"
	         "[10:00:00] *** Add File: a.txt\n"
	         "[10:00:00] +x\n"
	         "[10:00:00] *** Update File: b.txt\n"
	         "[10:00:00] *** Delete File: c.txt\n"
	         "[10:00:00] *** End Patch  \n"
	         "[10:00:00] \n"
	         "[10:00:01]   \xe2\x94\x94\xe2\x94\x80 output  \n"
	         "[10:00:01]   Success.  \n", &l);
	ck_assert_int_eq(count(&l, AGENT_EV_TOOL), 6);
	is_tool(nth(&l, AGENT_EV_TOOL, 0), AGENT_TOOL_RUNNING, AGENT_TK_WRITE, "a.txt", NULL);
	is_tool(nth(&l, AGENT_EV_TOOL, 1), AGENT_TOOL_RUNNING, AGENT_TK_EDIT, "b.txt", NULL);
	is_tool(nth(&l, AGENT_EV_TOOL, 2), AGENT_TOOL_RUNNING, AGENT_TK_DELETE, "c.txt", NULL);
	is_tool(nth(&l, AGENT_EV_TOOL, 5), AGENT_TOOL_COMPLETED, AGENT_TK_DELETE, "c.txt", NULL);
	ck_assert_int_eq(count(&l, AGENT_EV_TEXT), 0);
	evlog_free(&l);
}
END_TEST

START_TEST(omo_multiline_command_header_is_one_tool)
{
	struct evlog l = { 0 };
	feed_str(AGENT_D_OMO,
	         "[10:00:00]   $ cat > f <<EOF\n"
	         "[10:00:00] line two\n"
	         "[10:00:00] EOF  \n"
	         "[10:00:01]   Next text.\n", &l);
	ck_assert_int_eq(count(&l, AGENT_EV_TOOL), 1);
	is_tool(nth(&l, AGENT_EV_TOOL, 0), AGENT_TOOL_RUNNING, AGENT_TK_SHELL, NULL, "cat > f <<EOF");
	ck_assert_int_eq(count(&l, AGENT_EV_TEXT), 1);
	ck_assert(has_text(&l, "Next text."));
	evlog_free(&l);
}
END_TEST

START_TEST(omo_end_states_interrupt_errors_and_limits)
{
	struct evlog l = { 0 };
	feed_str(AGENT_D_OMO, "[10:00:00] Interrupted. Shutting down...\n", &l);
	ck_assert_int_eq(l.v[0].e.kind, AGENT_EV_INTERRUPT);
	ck_assert_int_eq(l.v[0].e.final, 1);
	evlog_free(&l);
	feed_str(AGENT_D_OMO, "\n[session.error] Rate limit reached for requests (429)\n", &l);
	ck_assert_int_eq(l.v[0].e.kind, AGENT_EV_LIMIT);
	ck_assert_int_eq(l.v[0].e.final, 1);
	evlog_free(&l);
	feed_str(AGENT_D_OMO, "Error: Session errored before prompt started: Agent not found\n", &l);
	ck_assert_int_eq(l.v[0].e.kind, AGENT_EV_ERROR);
	ck_assert_int_eq(l.v[0].e.final, 1);
	evlog_free(&l);
	feed_str(AGENT_D_OMO, "[MAIN] SESSION.ERROR: boom\n", &l);
	ck_assert_int_eq(l.v[0].e.kind, AGENT_EV_ERROR);
	ck_assert_int_eq(l.v[0].e.final, 0);
	evlog_free(&l);
	feed_str(AGENT_D_OMO, "    at run (file:///x/index.js:10:5)\n", &l);
	ck_assert_int_eq(l.n, 0);
	evlog_free(&l);
}
END_TEST

START_TEST(omo_json_result_line_gives_session_and_outcome)
{
	struct evlog l = { 0 };
	char buf[64];
	const char *ok = "{\"sessionId\":\"ses_df60bda3bffeXCkoDZ48rADnTM\",\"success\":true,"
	                 "\"durationMs\":9969,\"messageCount\":5,\"summary\":\"Done.\"}";
	feed_str(AGENT_D_OMO, ok, &l);
	ck_assert_int_eq(l.n, 2);
	ck_assert_str_eq(l.v[0].e.session, "ses_df60bda3bffeXCkoDZ48rADnTM");
	ck_assert_int_eq(l.v[1].e.kind, AGENT_EV_DONE);
	ck_assert_int_eq(l.v[1].e.final, 1);
	evlog_free(&l);
	feed_str(AGENT_D_OMO, "{\"sessionId\":\"ses_df60bda3bffeXCkoDZ48rADnTM\",\"success\":false}", &l);
	ck_assert_int_eq(l.v[1].e.kind, AGENT_EV_ERROR);
	ck_assert_int_eq(l.v[1].e.final, 1);
	evlog_free(&l);
	ck_assert_uint_eq(agent_session_in_line(AGENT_D_OMO, ok, strlen(ok), buf, sizeof buf), 30);
	ck_assert_str_eq(buf, "ses_df60bda3bffeXCkoDZ48rADnTM");
}
END_TEST

START_TEST(omo_session_op_reads_the_marker_with_or_without_timestamp)
{
	char buf[64];
	ck_assert_uint_eq(agent_session_in_line(AGENT_D_OMO, "[19:48:45] Session: ses_df60bda3bffeXCkoDZ48rADnTM", 50,
	                                         buf, sizeof buf), 30);
	ck_assert_str_eq(buf, "ses_df60bda3bffeXCkoDZ48rADnTM");
	ck_assert_uint_eq(agent_session_in_line(AGENT_D_OMO, "Session: ses_df60bda3bffeXCkoDZ48rADnTM", 39,
	                                         buf, sizeof buf), 30);
	ck_assert_uint_eq(agent_session_in_line(AGENT_D_OMO, "  I said Session: ses_df60bda3bffeXCkoDZ48rADnTM", 48,
	                                         buf, sizeof buf), 0);
	/* a short buffer gets a cut, terminated id */
	ck_assert_uint_eq(agent_session_in_line(AGENT_D_OMO, "Session: ses_df60bda3bffeXCkoDZ48rADnTM", 39, buf, 5), 4);
	ck_assert_str_eq(buf, "ses_");
	ck_assert_uint_eq(agent_session_in_line(AGENT_D_OMO, "Session: ses_df60bda3bffeXCkoDZ48rADnTM", 39, buf, 0), 0);
}
END_TEST

START_TEST(omo_tool_without_output_ends_when_the_next_tool_starts)
{
	struct evlog l = { 0 };
	feed_str(AGENT_D_OMO,
	         "[10:00:00]   $ true  \n[10:00:00] \n"
	         "[10:00:01]   \xe2\x86\x92 Read /p/a  \n", &l);
	ck_assert_int_eq(l.n, 3);
	is_tool(&l.v[1].e, AGENT_TOOL_COMPLETED, AGENT_TK_SHELL, NULL, "true");
	ck_assert_int_eq(l.v[1].e.line, 3);
	evlog_free(&l);
}
END_TEST

START_TEST(omo_ansi_coloured_lines_parse_like_plain_ones)
{
	struct evlog l = { 0 };
	feed_str(AGENT_D_OMO,
	         "\x1b[2m[10:00:00]\x1b[22m Session: ses_df60bda3bffeXCkoDZ48rADnTM\n"
	         "\x1b[31m\n[session.error] \x1b[1mbad\x1b[0m\n", &l);
	ck_assert_int_eq(l.v[0].e.kind, AGENT_EV_SESSION);
	ck_assert_int_eq(last(&l)->kind, AGENT_EV_ERROR);
	ck_assert_str_eq(last(&l)->text, "bad");
	evlog_free(&l);
}
END_TEST

START_TEST(omo_session_error_gives_the_message_delay)
{
	const char *omo =
	    "[12:49:11] Session: ses_dd38057b3fferBNpSGgVMwpHxG\n"
	    "[session.error] Rate limit reached for fake-model. Please try again in 1m30s.\n"
	    "Session ended with error: Rate limit reached for fake-model. Please try again in 1m30s.\n";

	zone("UTC");
	AT(T0 + 90, resets_of_str(AGENT_D_OMO, omo, T0));
}
END_TEST

/* The limits captured from the real CLI against the fake model's
 * limit429 scenario, read when they were written. */
START_TEST(every_captured_omo_limit_resets_when_omo_said)
{
	static const struct resets_case cap[] = {
		{ "omo/limit429-attach.log", "UTC", 1796047891, 1796047891 + 2 },
	};

	check_resets(cap, sizeof cap / sizeof cap[0]);
}
END_TEST

static Suite *
omo_suite(void)
{
	Suite *s = suite_create("dialect_omo");
	TCase *tc = tcase_create("omo");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, every_omo_fixture_gives_its_manifest_session_and_final_event);
	tcase_add_test(tc, omo_happy_fixture_reports_session_model_and_done);
	tcase_add_test(tc, omo_happy_fixture_tools_start_running_and_complete_at_output);
	tcase_add_test(tc, omo_happy_fixture_keeps_tool_output_and_patches_out_of_text);
	tcase_add_test(tc, omo_cutoff_fixture_ends_with_a_running_tool_and_no_final_event);
	tcase_add_test(tc, omo_err401_fixture_ends_in_final_error);
	tcase_add_test(tc, omo_resume_badid_fixture_is_a_final_error_without_session);
	tcase_add_test(tc, omo_json_result_next_to_all_tasks_completed_is_one_completion);
	tcase_add_test(tc, omo_resume_fixture_keeps_the_session_and_completes);
	tcase_add_test(tc, omo_verbose_fixture_joins_text_cut_by_event_lines);
	tcase_add_test(tc, omo_verbose_tool_brackets_add_only_failures);
	tcase_add_test(tc, omo_tool_start_and_end_share_a_call_id);
	tcase_add_test(tc, omo_reasoning_block_is_a_step_not_text);
	tcase_add_test(tc, omo_lines_without_timestamps_parse_the_same);
	tcase_add_test(tc, omo_ci_tree_marker_works_like_the_box_drawing_one);
	tcase_add_test(tc, omo_header_icons_map_to_tool_kinds);
	tcase_add_test(tc, omo_apply_patch_names_every_file_with_its_operation);
	tcase_add_test(tc, omo_multiline_command_header_is_one_tool);
	tcase_add_test(tc, omo_end_states_interrupt_errors_and_limits);
	tcase_add_test(tc, omo_json_result_line_gives_session_and_outcome);
	tcase_add_test(tc, omo_session_op_reads_the_marker_with_or_without_timestamp);
	tcase_add_test(tc, omo_tool_without_output_ends_when_the_next_tool_starts);
	tcase_add_test(tc, omo_ansi_coloured_lines_parse_like_plain_ones);
	tcase_add_test(tc, omo_session_error_gives_the_message_delay);
	tcase_add_test(tc, every_captured_omo_limit_resets_when_omo_said);
	suite_add_tcase(s, tc);
	return s;
}

CHECK_MAIN(omo_suite)
