/* check_dialect_claude.c — Claude Code's logs (tests/fixtures/claude/):
 * stream-json and json lines, the bare answer of -p, the lines claude
 * prints on stderr; real fixtures and one synthetic line per rule. */
#include "dialect_test.h"

/* Every fixture of tests/fixtures/claude/ in a format with a completion
 * signal: its MANIFEST session id and the final event its verdict needs. */
START_TEST(every_claude_fixture_gives_its_manifest_session_and_final_event)
{
	ck_assert_int_gt(check_agent_fixtures("claude"), 0);
}
END_TEST

/* Claude Code 2.1.332 (tests/fixtures/claude/ *-2.1.332.log): what changed
 * reads as before. */
START_TEST(claude_2_1_332_result_keys_in_their_new_order_read_as_before)
{
	struct evlog a = { 0 }, b = { 0 };
	const struct agent_event *x, *y;

	feed_file(AGENT_D_CLAUDE_STREAM, "claude/stream-json-happy-2.1.332.log", &a);
	feed_file(AGENT_D_CLAUDE_JSON, "claude/json-happy-2.1.332.log", &b);
	x = final_ev(&a);
	y = final_ev(&b);
	ck_assert_int_eq(x->kind, AGENT_EV_DONE);
	ck_assert_int_eq(y->kind, AGENT_EV_DONE);
	is_str(x->text, "Done.");
	is_str(y->text, "Done.");
	ck_assert_int_eq(x->tokens_in, 400);
	ck_assert_int_eq(x->tokens_out, 40);
	ck_assert(fabs(x->cost - 0.0024) < 1e-9);
	ck_assert_ptr_null(unknown_of(&a));
	ck_assert_ptr_null(unknown_of(&b));
	is_str(session_of(&b), "e21fbfcc-0067-496c-b3e1-b78a00e7b2d8");
	{
		static const char late[] = "{\"duration_api_ms\":1,\"session_id\":\"" CL_SID "\",\"type\":\"result\"}";

		ck_assert_int_eq(agent_dialect_detect(late, sizeof late - 1), AGENT_D_CLAUDE_JSON);
	}
	evlog_free(&a);
	evlog_free(&b);
}
END_TEST

START_TEST(claude_2_1_332_api_errors_caps_and_signals)
{
	static const struct { const char *log; enum agent_dialect d; enum agent_ev_kind k;
	                      int status; const char *text; } v[] = {
		{ "claude/stream-json-err401-noretry-2.1.332.log", AGENT_D_CLAUDE_STREAM, AGENT_EV_ERROR, 401, "Invalid API key" },
		{ "claude/stream-json-err500-noretry-2.1.332.log", AGENT_D_CLAUDE_STREAM, AGENT_EV_ERROR, 500, "API Error: 500" },
		{ "claude/json-err500-noretry-2.1.332.log", AGENT_D_CLAUDE_JSON, AGENT_EV_ERROR, 500, "API Error: 500" },
		/* a cap the user set is no limit that resets: failed */
		{ "claude/stream-json-max-turns-2.1.332.log", AGENT_D_CLAUDE_STREAM, AGENT_EV_ERROR, -1, "Reached maximum number of turns (1)" },
		{ "claude/json-max-turns-2.1.332.log", AGENT_D_CLAUDE_JSON, AGENT_EV_ERROR, -1, "Reached maximum number of turns (1)" },
		{ "claude/stream-json-max-budget-2.1.332.log", AGENT_D_CLAUDE_STREAM, AGENT_EV_ERROR, -1, "Reached maximum budget ($0.0001)" },
		{ "claude/stream-json-cutoff-sigint-2.1.332.log", AGENT_D_CLAUDE_STREAM, AGENT_EV_INTERRUPT, -1, NULL },
	};

	for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
		struct evlog l = { 0 };
		const struct agent_event *fin;

		feed_file(v[i].d, v[i].log, &l);
		fin = final_ev(&l);
		ck_assert_msg(fin != NULL && fin->kind == v[i].k, "%s", v[i].log);
		ck_assert_int_eq(fin->http_status, v[i].status);
		if (v[i].text != NULL)
			ck_assert_msg(fin->text != NULL && strncmp(fin->text, v[i].text, strlen(v[i].text)) == 0,
			    "%s: %s", v[i].log, fin->text);
		ck_assert_ptr_null(unknown_of(&l));
		evlog_free(&l);
	}
}
END_TEST

/* TERM now stops the tool and says so; a standalone sleep is refused
 * before it runs, and the run goes on to its end. */
START_TEST(claude_2_1_332_sigterm_fails_the_tool_and_refused_sleep_goes_on)
{
	struct evlog l = { 0 };
	const struct agent_event *e;

	feed_file(AGENT_D_CLAUDE_STREAM, "claude/stream-json-cutoff-sigterm-2.1.332.log", &l);
	ck_assert_ptr_null(final_ev(&l));
	e = last(&l);
	tool_is(e, AGENT_TOOL_ERROR, AGENT_TK_SHELL, "Bash", NULL,
	    "echo started && sleep 60 && echo finished");
	ck_assert_int_eq(e->exit_code, 137);
	evlog_free(&l);
	feed_file(AGENT_D_CLAUDE_STREAM, "claude/stream-json-sleep-refused-2.1.332.log", &l);
	e = nth(&l, AGENT_EV_TOOL, 1);
	tool_is(e, AGENT_TOOL_ERROR, AGENT_TK_SHELL, "Bash", NULL, "sleep 60");
	ck_assert_msg(strstr(e->text, "Blocked: standalone sleep 60") != NULL, "%s", e->text);
	ck_assert_int_eq(final_ev(&l)->kind, AGENT_EV_DONE);
	evlog_free(&l);
}
END_TEST

/* Hooks' lines (--include-hook-events) are system subtypes this dialect
 * does not read: named on their events, the verdict unchanged. */
START_TEST(claude_hook_events_are_named_as_unknown_and_weigh_nothing)
{
	struct evlog l = { 0 };
	struct agent_summary s;

	feed_file(AGENT_D_CLAUDE_STREAM, "claude/stream-json-drift-hooks-2.1.332.log", &l);
	is_str(nth(&l, AGENT_EV_STEP, 0)->unknown, "system.subtype=hook_started");
	ck_assert_int_eq(count(&l, AGENT_EV_UNKNOWN), 0);
	agent_summary_init(&s);
	for (size_t i = 0; i < l.n; i++)
		agent_summary_add(&s, &l.v[i].e);
	ck_assert_int_eq(s.terminal, AGENT_EV_DONE);
	ck_assert_int_eq(s.nunknown, 2);
	ck_assert_str_eq(s.unknown[0], "system.subtype=hook_started");
	ck_assert_str_eq(s.unknown[1], "system.subtype=hook_response");
	evlog_free(&l);
}
END_TEST

START_TEST(claude_stream_happy_gives_tools_paired_text_and_done)
{
	struct evlog l = { 0 };
	const struct agent_event *e, *fin;

	feed_file(AGENT_D_CLAUDE_STREAM,
	    "claude/stream-json-happy.log", &l);
	ck_assert_int_eq(l.v[0].e.kind, AGENT_EV_SESSION);
	e = nth(&l, AGENT_EV_MODEL, 0);
	is_str(e->model, "claude-opus-4-8[1m]");
	ck_assert_uint_eq(count(&l, AGENT_EV_TOOL), 6);
	e = nth(&l, AGENT_EV_TOOL, 0);
	tool_is(e, AGENT_TOOL_RUNNING, AGENT_TK_READ, "Read",
	    "/home/dev/agents/claude/w-happy/input.txt",
	    "/home/dev/agents/claude/w-happy/input.txt");
	is_str(e->call_id, "toolu_VWRv6wSEF52v8RJb8ZHkI8kp");
	e = nth(&l, AGENT_EV_TOOL, 1);
	tool_is(e, AGENT_TOOL_COMPLETED, AGENT_TK_READ, "Read",
	    "/home/dev/agents/claude/w-happy/input.txt", NULL);
	is_str(e->call_id, "toolu_VWRv6wSEF52v8RJb8ZHkI8kp");
	ck_assert(fabs(e->ts - 1795462945.846) < 0.001);
	e = nth(&l, AGENT_EV_TOOL, 2);
	tool_is(e, AGENT_TOOL_RUNNING, AGENT_TK_SHELL, "Bash", NULL, "echo hi");
	e = nth(&l, AGENT_EV_TOOL, 3);
	tool_is(e, AGENT_TOOL_COMPLETED, AGENT_TK_SHELL, "Bash", NULL, "echo hi");
	ck_assert_int_eq(e->exit_code, 0);
	is_str(e->text, "hi");
	e = nth(&l, AGENT_EV_TOOL, 5);
	tool_is(e, AGENT_TOOL_COMPLETED, AGENT_TK_WRITE, "Write",
	    "/home/dev/agents/claude/w-happy/output.txt", NULL);
	ck_assert_uint_eq(count(&l, AGENT_EV_TEXT), 2);
	is_str(nth(&l, AGENT_EV_TEXT, 0)->text, "I'll read the file first.");
	is_str(nth(&l, AGENT_EV_TEXT, 1)->title, "Done.");
	fin = final_ev(&l);
	ck_assert_int_eq(fin->kind, AGENT_EV_DONE);
	ck_assert_int_eq(fin->tokens_in, 7677);
	ck_assert_int_eq(fin->tokens_out, 78);
	ck_assert(fabs(fin->cost - 0.040335) < 1e-6);
	is_str(fin->text, "Done.");
	ck_assert_int_eq(fin->line, 10);
	evlog_free(&l);
}
END_TEST

START_TEST(claude_json_single_unterminated_result_line_is_done)
{
	struct evlog l = { 0 };

	feed_file(AGENT_D_CLAUDE_JSON, "claude/json-happy.log", &l);
	ck_assert_uint_eq(l.n, 2);
	ck_assert_int_eq(l.v[0].e.kind, AGENT_EV_SESSION);
	ck_assert_int_eq(l.v[1].e.kind, AGENT_EV_DONE);
	is_str(l.v[1].e.session, "870124a1-fad0-40df-8a60-f6cf1bd92a13");
	ck_assert_int_eq(l.v[1].e.tokens_in, 7684);
	evlog_free(&l);
}
END_TEST

START_TEST(claude_sigint_gives_failed_tool_then_interrupt)
{
	struct evlog l = { 0 };
	const struct agent_event *e;

	feed_file(AGENT_D_CLAUDE_STREAM,
	    "claude/stream-json-cutoff-sigint.log", &l);
	e = nth(&l, AGENT_EV_TOOL, 1);
	tool_is(e, AGENT_TOOL_ERROR, AGENT_TK_SHELL, "Bash", NULL, "sleep 60");
	ck_assert_int_eq(e->exit_code, -1);
	ck_assert_int_eq(final_ev(&l)->kind, AGENT_EV_INTERRUPT);
	evlog_free(&l);
}
END_TEST

START_TEST(claude_sigterm_cutoff_ends_with_running_tool_and_no_final)
{
	struct evlog l = { 0 };
	const struct agent_event *e;

	feed_file(AGENT_D_CLAUDE_STREAM,
	    "claude/stream-json-cutoff-sigterm.log", &l);
	ck_assert_ptr_null(final_ev(&l));
	e = &l.v[l.n - 1].e;
	tool_is(e, AGENT_TOOL_RUNNING, AGENT_TK_SHELL, "Bash", NULL, "sleep 60");
	evlog_free(&l);
}
END_TEST

START_TEST(claude_api_errors_give_error_401_and_limit_429)
{
	struct evlog l = { 0 };
	const struct agent_event *e;

	feed_file(AGENT_D_CLAUDE_STREAM,
	    "claude/stream-json-err401-noretry.log", &l);
	e = final_ev(&l);
	ck_assert_int_eq(e->kind, AGENT_EV_ERROR);
	ck_assert_int_eq(e->http_status, 401);
	ck_assert_ptr_nonnull(e->text);
	evlog_free(&l);
	feed_file(AGENT_D_CLAUDE_STREAM,
	    "claude/stream-json-err429-noretry.log", &l);
	e = final_ev(&l);
	ck_assert_int_eq(e->kind, AGENT_EV_LIMIT);
	ck_assert_int_eq(e->http_status, 429);
	/* the synthetic assistant error before the result is not final */
	e = nth(&l, AGENT_EV_ERROR, 0);
	ck_assert_int_eq(e->final, 0);
	ck_assert_int_eq(count(&l, AGENT_EV_TEXT), 0);
	evlog_free(&l);
}
END_TEST

START_TEST(claude_partial_messages_are_steps_and_status)
{
	struct evlog l = { 0 };

	feed_file(AGENT_D_CLAUDE_STREAM,
	    "claude/stream-json-partial-happy.log", &l);
	ck_assert_uint_gt(count(&l, AGENT_EV_STEP), 10);
	is_str(nth(&l, AGENT_EV_STEP, 0)->title, "requesting");
	ck_assert_uint_eq(count(&l, AGENT_EV_TEXT), 2);
	ck_assert_uint_eq(count(&l, AGENT_EV_TOOL), 6);
	evlog_free(&l);
}
END_TEST

START_TEST(claude_api_retry_is_nonfinal_error_even_for_429)
{
	struct evlog l = { 0 };
	const struct agent_event *e;

	feed_str(AGENT_D_CLAUDE_STREAM,
	    "{\"type\":\"system\",\"subtype\":\"api_retry\",\"attempt\":2,\"max_retries\":10,"
	    "\"retry_delay_ms\":1200.5,\"error_status\":429,\"error\":\"rate_limit\","
	    "\"session_id\":\"" CL_SID "\"}\n", &l);
	ck_assert_uint_eq(l.n, 2);
	e = &l.v[1].e;
	ck_assert_int_eq(e->kind, AGENT_EV_ERROR);
	ck_assert_int_eq(e->final, 0);
	ck_assert_int_eq(e->http_status, 429);
	is_str(e->session, CL_SID);
	ck_assert_ptr_nonnull(strstr(e->text, "2/10"));
	evlog_free(&l);
}
END_TEST

START_TEST(claude_result_error_kinds_by_status_and_text)
{
	struct evlog l = { 0 };

	feed_str(AGENT_D_CLAUDE_JSON,
	    "{\"type\":\"result\",\"subtype\":\"success\",\"is_error\":true,"
	    "\"api_error_status\":500,\"result\":\"API Error: 500 Internal server error\"}", &l);
	ck_assert_int_eq(l.v[0].e.kind, AGENT_EV_ERROR);
	ck_assert_int_eq(l.v[0].e.final, 1);
	ck_assert_int_eq(l.v[0].e.http_status, 500);
	evlog_free(&l);
	feed_str(AGENT_D_CLAUDE_JSON,
	    "{\"type\":\"result\",\"subtype\":\"success\",\"is_error\":true,"
	    "\"api_error_status\":null,\"result\":\"Claude AI usage limit reached|1795500000\"}", &l);
	ck_assert_int_eq(l.v[0].e.kind, AGENT_EV_LIMIT);
	ck_assert_int_eq(l.v[0].e.final, 1);
	evlog_free(&l);
	/* an error subtype ends the run short even without is_error */
	feed_str(AGENT_D_CLAUDE_JSON,
	    "{\"type\":\"result\",\"subtype\":\"error_max_turns\",\"is_error\":false,"
	    "\"num_turns\":3}", &l);
	ck_assert_int_eq(l.v[0].e.kind, AGENT_EV_ERROR);
	ck_assert_int_eq(l.v[0].e.final, 1);
	is_str(l.v[0].e.text, "error_max_turns");
	ck_assert_int_eq(l.v[0].e.http_status, -1);
	evlog_free(&l);
	/* a bad resume id: error_during_execution that is no interrupt */
	feed_str(AGENT_D_CLAUDE_STREAM,
	    "No conversation found with session ID: " CL_SID "\n"
	    "{\"type\":\"result\",\"subtype\":\"error_during_execution\",\"is_error\":true,"
	    "\"errors\":[\"No conversation found with session ID: " CL_SID "\"],"
	    "\"terminal_reason\":\"completed\"}\n", &l);
	ck_assert_uint_eq(l.n, 1);
	ck_assert_int_eq(l.v[0].e.kind, AGENT_EV_ERROR);
	is_str(l.v[0].e.title, "No conversation found with session ID: " CL_SID);
	ck_assert_ptr_null(l.v[0].e.session);
	evlog_free(&l);
}
END_TEST

START_TEST(claude_interrupt_text_makes_error_result_an_interrupt)
{
	struct evlog l = { 0 };

	feed_str(AGENT_D_CLAUDE_STREAM,
	    "{\"type\":\"user\",\"message\":{\"role\":\"user\",\"content\":[{\"type\":\"text\","
	    "\"text\":\"[Request interrupted by user]\"}]}}\n"
	    "{\"type\":\"result\",\"subtype\":\"error_during_execution\",\"is_error\":true,"
	    "\"terminal_reason\":\"completed\"}\n", &l);
	ck_assert_int_eq(final_ev(&l)->kind, AGENT_EV_INTERRUPT);
	evlog_free(&l);
}
END_TEST

START_TEST(claude_root_refusal_line_is_final_error)
{
	struct evlog l = { 0 };

	feed_str(AGENT_D_CLAUDE_STREAM,
	    "--dangerously-skip-permissions cannot be used with root/sudo privileges "
	    "for security reasons\n", &l);
	ck_assert_uint_eq(l.n, 1);
	ck_assert_int_eq(l.v[0].e.kind, AGENT_EV_ERROR);
	ck_assert_int_eq(l.v[0].e.final, 1);
	evlog_free(&l);
	feed_str(AGENT_D_CLAUDE_STREAM,
	    "Error: Session ID " CL_SID " is already in use.\n", &l);
	ck_assert_int_eq(final_ev(&l)->kind, AGENT_EV_ERROR);
	evlog_free(&l);
}
END_TEST

START_TEST(claude_failed_bash_result_carries_exit_code_and_start_facts)
{
	struct evlog l = { 0 };
	const struct agent_event *e;

	feed_str(AGENT_D_CLAUDE_STREAM,
	    "{\"type\":\"assistant\",\"message\":{\"model\":\"claude-x\",\"content\":[{\"type\":\"tool_use\","
	    "\"id\":\"toolu_1\",\"name\":\"Bash\",\"input\":{\"command\":\"ls /nope\\nid\"}}]}}\n"
	    "{\"type\":\"assistant\",\"message\":{\"content\":[{\"type\":\"thinking\",\"thinking\":\"hm\"}]}}\n"
	    "{\"type\":\"user\",\"message\":{\"content\":[{\"type\":\"tool_result\",\"tool_use_id\":\"toolu_1\","
	    "\"is_error\":true,\"content\":[{\"type\":\"text\",\"text\":\"Exit code 2\\nls: cannot access\"}]}]},"
	    "\"timestamp\":\"2026-11-23T19:42:25+01:00\"}\n", &l);
	ck_assert_uint_eq(l.n, 3);
	tool_is(&l.v[0].e, AGENT_TOOL_RUNNING, AGENT_TK_SHELL, "Bash", NULL, "ls /nope");
	is_str(l.v[0].e.model, "claude-x");
	ck_assert_int_eq(l.v[1].e.kind, AGENT_EV_STEP);
	is_str(l.v[1].e.text, "hm");
	e = &l.v[2].e;
	tool_is(e, AGENT_TOOL_ERROR, AGENT_TK_SHELL, "Bash", NULL, "ls /nope");
	ck_assert_int_eq(e->exit_code, 2);
	is_str(e->text, "Exit code 2\nls: cannot access");
	ck_assert(fabs(e->ts - 1795459345.0) < 0.001);
	evlog_free(&l);
}
END_TEST

START_TEST(claude_results_read_from_the_tail_still_name_their_tool)
{
	struct evlog l = { 0 };
	size_t len, i, start = 0;
	char *data = slurp("claude/stream-json-happy.log", &len);

	/* from the first tool_result line on: every start is missing */
	for (i = 0; i < 3; i++)
		start = (size_t)((char *)memchr(data + start, '\n', len - start) - data) + 1;
	ck_assert_int_eq(feed(AGENT_D_CLAUDE_STREAM, data + start,
	    len - start, &l), 0);
	tool_is(nth(&l, AGENT_EV_TOOL, 0), AGENT_TOOL_COMPLETED, AGENT_TK_READ, "Read",
	    "/home/dev/agents/claude/w-happy/input.txt", "/home/dev/agents/claude/w-happy/input.txt");
	evlog_free(&l);
	feed_str(AGENT_D_CLAUDE_STREAM,
	    "{\"type\":\"user\",\"message\":{\"content\":[{\"type\":\"tool_result\",\"tool_use_id\":\"t1\","
	    "\"content\":\"hi\"}]},\"tool_use_result\":{\"stdout\":\"hi\",\"stderr\":\"\",\"interrupted\":false}}\n"
	    "{\"type\":\"user\",\"message\":{\"content\":[{\"type\":\"tool_result\",\"tool_use_id\":\"t2\","
	    "\"content\":\"ok\"}]},\"tool_use_result\":{\"type\":\"create\",\"filePath\":\"/o\"}}\n"
	    "{\"type\":\"user\",\"message\":{\"content\":[{\"type\":\"tool_result\",\"tool_use_id\":\"t3\","
	    "\"content\":\"ok\"}]},\"tool_use_result\":{\"filePath\":\"/e\",\"oldString\":\"a\"}}\n"
	    "{\"type\":\"user\",\"message\":{\"content\":[{\"type\":\"tool_result\",\"tool_use_id\":\"t4\","
	    "\"is_error\":true,\"content\":\"Error: Exit code 1\"}]},\"tool_use_result\":\"Error: Exit code 1\"}\n", &l);
	ck_assert_uint_eq(l.n, 4);
	tool_is(&l.v[0].e, AGENT_TOOL_COMPLETED, AGENT_TK_SHELL, "Bash", NULL, NULL);
	ck_assert_int_eq(l.v[0].e.exit_code, 0);
	tool_is(&l.v[1].e, AGENT_TOOL_COMPLETED, AGENT_TK_WRITE, "Write", "/o", "/o");
	tool_is(&l.v[2].e, AGENT_TOOL_COMPLETED, AGENT_TK_EDIT, "Edit", "/e", "/e");
	ck_assert_int_eq(l.v[3].e.tkind, AGENT_TK_OTHER);
	ck_assert_ptr_null(l.v[3].e.tool);
	ck_assert_int_eq(l.v[3].e.status, AGENT_TOOL_ERROR);
	evlog_free(&l);
	free(data);
}
END_TEST

START_TEST(claude_tool_kinds_paths_and_titles)
{
	static const struct {
		const char *name, *input;
		enum agent_tool_kind k;
		const char *path, *title;
	} t[] = {
		{ "Read", "{\"file_path\":\"/a/b\"}", AGENT_TK_READ, "/a/b", "/a/b" },
		{ "Write", "{\"file_path\":\"x.c\",\"content\":\"\"}", AGENT_TK_WRITE, "x.c", "x.c" },
		{ "Edit", "{\"file_path\":\"/e\"}", AGENT_TK_EDIT, "/e", "/e" },
		{ "MultiEdit", "{\"file_path\":\"/m\"}", AGENT_TK_EDIT, "/m", "/m" },
		{ "Bash", "{\"command\":\"make\"}", AGENT_TK_SHELL, NULL, "make" },
		{ "Glob", "{\"pattern\":\"**/*.c\"}", AGENT_TK_SEARCH, NULL, "**/*.c" },
		{ "Grep", "{\"pattern\":\"foo\",\"path\":\"/src\"}", AGENT_TK_SEARCH, NULL, "foo" },
		{ "WebFetch", "{\"url\":\"https://x.org\"}", AGENT_TK_FETCH, NULL, "https://x.org" },
		{ "Task", "{\"description\":\"explore\",\"prompt\":\"p\"}", AGENT_TK_TASK, NULL, "explore" },
		{ "TodoWrite", "{\"todos\":[{\"content\":\"a\",\"status\":\"completed\"},"
		  "{\"content\":\"b\",\"status\":\"in_progress\"}]}", AGENT_TK_TODO, NULL, "b" },
		{ "mcp__x__y", "{\"q\":1}", AGENT_TK_OTHER, NULL, NULL },
	};
	char line[512];
	size_t i;

	for (i = 0; i < sizeof t / sizeof t[0]; i++) {
		struct evlog l = { 0 };

		snprintf(line, sizeof line, "{\"type\":\"assistant\",\"message\":{\"content\":"
		    "[{\"type\":\"tool_use\",\"id\":\"t%zu\",\"name\":\"%s\",\"input\":%s}]}}",
		    i, t[i].name, t[i].input);
		feed_str(AGENT_D_CLAUDE_STREAM, line, &l);
		ck_assert_uint_eq(l.n, 1);
		tool_is(&l.v[0].e, AGENT_TOOL_RUNNING, t[i].k, t[i].name, t[i].path, t[i].title);
		if (t[i].path == NULL)
			ck_assert_ptr_null(l.v[0].e.path);
		if (t[i].title == NULL)
			ck_assert_ptr_null(l.v[0].e.title);
		evlog_free(&l);
	}
}
END_TEST

START_TEST(deeply_nested_tool_input_is_still_read)
{
	struct evlog l = { 0 };
	char *s = malloc(4096), *p;
	int i;

	ck_assert_ptr_nonnull(s);
	p = s + sprintf(s, "{\"type\":\"assistant\",\"message\":{\"content\":[{\"type\":\"tool_use\","
	    "\"id\":\"t\",\"name\":\"mcp__x\",\"input\":");
	for (i = 0; i < 100; i++)
		*p++ = '[';
	for (i = 0; i < 100; i++)
		*p++ = ']';
	strcpy(p, "}]}}");
	feed_str(AGENT_D_CLAUDE_STREAM, s, &l);
	ck_assert_uint_eq(l.n, 1);
	ck_assert_int_eq(l.v[0].e.kind, AGENT_EV_TOOL);
	free(s);
	evlog_free(&l);
}
END_TEST

START_TEST(claude_json_verbose_array_gives_every_message)
{
	struct evlog l = { 0 };

	feed_str(AGENT_D_CLAUDE_JSON,
	    "[{\"type\":\"system\",\"subtype\":\"init\",\"session_id\":\"" CL_SID "\",\"model\":\"m\"},"
	    "{\"type\":\"assistant\",\"message\":{\"content\":[{\"type\":\"tool_use\",\"id\":\"t\","
	    "\"name\":\"Read\",\"input\":{\"file_path\":\"/x\"}}]}},5,null,"
	    "{\"type\":\"result\",\"subtype\":\"success\",\"is_error\":false,\"result\":\"ok\"}]", &l);
	ck_assert_uint_eq(l.n, 4);
	ck_assert_int_eq(l.v[0].e.kind, AGENT_EV_SESSION);
	ck_assert_int_eq(l.v[1].e.kind, AGENT_EV_MODEL);
	tool_is(&l.v[2].e, AGENT_TOOL_RUNNING, AGENT_TK_READ, "Read", "/x", "/x");
	ck_assert_int_eq(l.v[3].e.kind, AGENT_EV_DONE);
	is_str(l.v[3].e.session, CL_SID);
	evlog_free(&l);
}
END_TEST

START_TEST(claude_wrong_field_types_and_bad_ids_give_no_session)
{
	struct evlog l = { 0 };

	feed_str(AGENT_D_CLAUDE_STREAM,
	    "{\"type\":\"system\",\"subtype\":\"init\",\"session_id\":5,\"model\":[1]}\n"
	    "{\"type\":\"system\",\"subtype\":\"init\",\"session_id\":\"NOT-A-UUID\"}\n"
	    "{\"type\":\"system\",\"subtype\":\"init\",\"session_id\":\"2814A59A-40B5-4327-A10E-E34986560113\"}\n"
	    "{\"type\":5}\n{\"type\":\"assistant\",\"message\":[]}\n"
	    "{\"type\":\"assistant\",\"message\":{\"content\":[1,null,{\"type\":7}]}}\n"
	    "{\"type\":\"user\",\"message\":{\"content\":[{\"type\":\"tool_result\",\"is_error\":\"yes\"}]}}\n"
	    "{\"type\":\"result\",\"is_error\":\"no\",\"usage\":{\"input_tokens\":\"many\"},"
	    "\"total_cost_usd\":\"free\"}\n", &l);
	ck_assert_uint_eq(count(&l, AGENT_EV_SESSION), 0);
	ck_assert_uint_eq(count(&l, AGENT_EV_MODEL), 0);
	/* the result with no usable is_error or subtype is an error, not done */
	ck_assert_int_eq(final_ev(&l)->kind, AGENT_EV_ERROR);
	ck_assert_int_eq(final_ev(&l)->tokens_in, -1);
	ck_assert(final_ev(&l)->cost < 0);
	evlog_free(&l);
}
END_TEST

START_TEST(claude_session_finder_reads_json_field_only)
{
	char buf[64];
	const char *s;

	s = "{\"type\":\"system\",\"subtype\":\"init\",\"session_id\": \"" CL_SID "\",\"x\":1";
	ck_assert_uint_eq(agent_session_in_line(AGENT_D_CLAUDE_STREAM, s, strlen(s), buf, sizeof buf), 36);
	is_str(buf, CL_SID);
	s = "No conversation found with session ID: " CL_SID;
	ck_assert_uint_eq(agent_session_in_line(AGENT_D_CLAUDE_STREAM, s, strlen(s), buf, sizeof buf), 0);
	s = "{\"type\":\"user\",\"text\":\"\\\"session_id\\\":\\\"" CL_SID "\\\"\"}";
	ck_assert_uint_eq(agent_session_in_line(AGENT_D_CLAUDE_STREAM, s, strlen(s), buf, sizeof buf), 0);
	s = "{\"session_id\":\"" CL_SID "\"}";
	ck_assert_uint_eq(agent_session_in_line(AGENT_D_CLAUDE_STREAM, s, strlen(s), buf, 36), 0);
	s = "{\"session_id\":\"2814a59a-40b5";
	ck_assert_uint_eq(agent_session_in_line(AGENT_D_CLAUDE_STREAM, s, strlen(s), buf, sizeof buf), 0);
}
END_TEST

START_TEST(plain_claude_fixture_is_one_text_and_no_final_event)
{
	struct evlog l = { 0 };
	feed_file(AGENT_D_CLAUDE_TEXT, "claude/text-happy.log", &l);
	ck_assert_int_eq(l.n, 1);
	ck_assert_str_eq(l.v[0].e.text, "Done.");
	evlog_free(&l);
}
END_TEST

START_TEST(plain_claude_documented_errors_are_final)
{
	struct evlog l = { 0 };
	feed_str(AGENT_D_CLAUDE_TEXT, "Invalid API key \xc2\xb7 Fix external API key\n", &l);
	ck_assert_int_eq(l.v[0].e.kind, AGENT_EV_ERROR);
	ck_assert_int_eq(l.v[0].e.final, 1);
	ck_assert_int_eq(l.v[0].e.http_status, 401);
	evlog_free(&l);
	feed_str(AGENT_D_CLAUDE_TEXT, "API Error: Request rejected (429) \xc2\xb7 slow down\n", &l);
	ck_assert_int_eq(l.v[0].e.kind, AGENT_EV_LIMIT);
	ck_assert_int_eq(l.v[0].e.final, 1);
	ck_assert_int_eq(l.v[0].e.http_status, 429);
	evlog_free(&l);
	feed_str(AGENT_D_CLAUDE_TEXT, "API Error: 500 Internal server error\n", &l);
	ck_assert_int_eq(l.v[0].e.kind, AGENT_EV_ERROR);
	evlog_free(&l);
}
END_TEST

START_TEST(claude_fatal_stderr_lines_are_one_list_read_by_every_format)
{
	static const char *const everywhere[] = {
		"--dangerously-skip-permissions cannot be used with root/sudo privileges for security reasons",
		"Error: Session ID " CL_SID " is already in use.",
		"Error: When using --print, --output-format=stream-json requires --verbose",
	};
	static const enum agent_dialect as[] = {
		AGENT_D_CLAUDE_STREAM, AGENT_D_CLAUDE_JSON, AGENT_D_CLAUDE_TEXT, AGENT_D_GENERIC,
	};
	struct evlog l = { 0 };

	for (size_t i = 0; i < sizeof everywhere / sizeof everywhere[0]; i++)
		for (size_t j = 0; j < sizeof as / sizeof as[0]; j++) {
			feed_str(as[j], everywhere[i], &l);
			ck_assert_msg(l.n == 1 && l.v[0].e.kind == AGENT_EV_ERROR && l.v[0].e.final,
			    "%s as %s", everywhere[i], agent_dialect_info(as[j])->name);
			evlog_free(&l);
		}
	/* what the json formats' result object says again is left to it */
	feed_str(AGENT_D_CLAUDE_STREAM, "No conversation found with session ID: " CL_SID, &l);
	ck_assert_uint_eq(l.n, 0);
	evlog_free(&l);
	feed_str(AGENT_D_CLAUDE_TEXT, "No conversation found with session ID: " CL_SID, &l);
	ck_assert_int_eq(final_ev(&l)->kind, AGENT_EV_ERROR);
	evlog_free(&l);
	/* -p text is claude's alone: any error it prints is its last word,
	 * which in a log of unknown origin is just text */
	feed_str(AGENT_D_CLAUDE_TEXT, "Error: something else", &l);
	ck_assert_int_eq(final_ev(&l)->kind, AGENT_EV_ERROR);
	evlog_free(&l);
	feed_str(AGENT_D_GENERIC, "Error: something else", &l);
	ck_assert_int_eq(count(&l, AGENT_EV_ERROR), 0);
	evlog_free(&l);
}
END_TEST

START_TEST(plain_claude_api_error_status_is_the_one_named_not_an_address)
{
	struct evlog l = { 0 };

	/* "(127.0.0.1:46603)" in the message once read as status 127 */
	feed_file(AGENT_D_CLAUDE_TEXT, "claude/text-err500.log", &l);
	ck_assert_int_eq(final_ev(&l)->kind, AGENT_EV_ERROR);
	ck_assert_int_eq(final_ev(&l)->http_status, 500);
	evlog_free(&l);
}
END_TEST

START_TEST(claude_rate_limit_event_gives_resets_at_whatever_the_clock)
{
	const char *log =
	    "{\"type\":\"system\",\"subtype\":\"init\",\"session_id\":\"8faeba3a-d4d9-46ed-8b2e-1d140dbc4fec\"}\n"
	    "{\"type\":\"rate_limit_event\",\"rate_limit_info\":{\"status\":\"rejected\",\"resetsAt\":1796042651,"
	    "\"rateLimitType\":\"five_hour\",\"isUsingOverage\":false},\"session_id\":\"8faeba3a-d4d9-46ed-8b2e-1d140dbc4fec\"}\n"
	    "{\"type\":\"result\",\"subtype\":\"success\",\"is_error\":true,\"api_error_status\":429,"
	    "\"result\":\"You've hit your session limit · resets 12:44pm (UTC)\",\"session_id\":\"8faeba3a-d4d9-46ed-8b2e-1d140dbc4fec\"}\n";

	zone("UTC");
	AT(1796042651, resets_of_str(AGENT_D_CLAUDE_STREAM, log, -1));
	AT(1796042651, resets_of_str(AGENT_D_CLAUDE_STREAM, log, T0 + 86400));
}
END_TEST

START_TEST(claude_allowed_warning_event_does_not_say_when_a_later_error_resets)
{
	/* a warning's resetsAt is the warning's; an API-key 429 after it
	 * says nothing of a reset */
	const char *log =
	    "{\"type\":\"rate_limit_event\",\"rate_limit_info\":{\"status\":\"allowed_warning\",\"resetsAt\":1796042651}}\n"
	    "{\"type\":\"result\",\"subtype\":\"success\",\"is_error\":true,\"api_error_status\":429,"
	    "\"result\":\"API Error: Request rejected (429) · Please try again later.\"}\n";

	zone("UTC");
	AT(-1, resets_of_str(AGENT_D_CLAUDE_STREAM, log, T0));
}
END_TEST

START_TEST(claude_resets_wording_is_read_in_the_zone_it_names)
{
	const char *utc = "You've hit your session limit · resets 12:44pm (UTC)\n";
	const char *ny = "You've hit your session limit · resets 7:44am (America/New_York)\n";

	zone("UTC");
	AT(T1245, resets_of_str(AGENT_D_CLAUDE_TEXT, utc, T0));
	/* a zone that is neither UTC nor local: not guessed */
	AT(-1, resets_of_str(AGENT_D_CLAUDE_TEXT, ny, T0));
	zone("America/New_York");
	AT(T1245, resets_of_str(AGENT_D_CLAUDE_TEXT, ny, T0));
	AT(T1245, resets_of_str(AGENT_D_CLAUDE_TEXT, utc, T0));
	/* the text alone says nothing without the time it was said */
	AT(-1, resets_of_str(AGENT_D_CLAUDE_TEXT, utc, -1));
}
END_TEST

START_TEST(claude_resets_on_the_hour_a_day_ahead_and_with_a_date)
{
	zone("UTC");
	/* "1pm": the minute is left out on the hour */
	AT(1796043600 + 60, resets_of_str(AGENT_D_CLAUDE_TEXT,
	    "You've hit your usage limit · resets 1pm (UTC)\n", T0));
	/* said at 12:41 of a time already past today: tomorrow's */
	AT(T1245 - 3 * 3600 + 86400, resets_of_str(AGENT_D_CLAUDE_TEXT,
	    "You've hit your session limit · resets 9:44am (UTC)\n", T0));
	/* more than 24 hours away claude gives the date */
	AT(1796132520, resets_of_str(AGENT_D_CLAUDE_TEXT,
	    "You've hit your weekly limit · resets Dec 1, 1:41pm (UTC)\n", T0));
	/* a date said in December for January is next year's */
	AT(1798804860, resets_of_str(AGENT_D_CLAUDE_TEXT,
	    "You've hit your weekly limit · resets Jan 1, 12pm (UTC)\n", 1798700000));
	/* Claude Code before 2: the epoch after a bar */
	AT(1796042651, resets_of_str(AGENT_D_CLAUDE_TEXT,
	    "Claude AI usage limit reached|1796042651\n", T0));
}
END_TEST

/* The limits captured from the real CLI against the fake model's
 * limit429 scenario, read when they were written. */
START_TEST(every_captured_claude_limit_resets_when_claude_said)
{
	static const struct resets_case cap[] = {
		{ "claude/stream-json-limit429.log", "UTC", -1, 1796042655 },
		{ "claude/json-limit429.log", "UTC", 1796042511, T1245 },
		{ "claude/text-limit429.log", "UTC", 1796042512, T1245 },
		{ "claude/text-limit429-days.log", "UTC", 1796042514, 1796132520 },
		{ "claude/text-limit429-tz.log", "America/New_York", 1796042522, T1245 },
		{ "claude/text-limit429-tz.log", "UTC", 1796042522, -1 },
		{ "claude/stream-json-err429-noretry.log", "UTC", 1796042511, -1 },
	};

	check_resets(cap, sizeof cap / sizeof cap[0]);
}
END_TEST

static Suite *
claude_suite(void)
{
	Suite *s = suite_create("dialect_claude");
	TCase *tc = tcase_create("claude");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, claude_fatal_stderr_lines_are_one_list_read_by_every_format);
	tcase_add_test(tc, plain_claude_api_error_status_is_the_one_named_not_an_address);
	tcase_add_test(tc, every_claude_fixture_gives_its_manifest_session_and_final_event);
	tcase_add_test(tc, claude_stream_happy_gives_tools_paired_text_and_done);
	tcase_add_test(tc, claude_json_single_unterminated_result_line_is_done);
	tcase_add_test(tc, claude_sigint_gives_failed_tool_then_interrupt);
	tcase_add_test(tc, claude_sigterm_cutoff_ends_with_running_tool_and_no_final);
	tcase_add_test(tc, claude_api_errors_give_error_401_and_limit_429);
	tcase_add_test(tc, claude_partial_messages_are_steps_and_status);
	tcase_add_test(tc, claude_api_retry_is_nonfinal_error_even_for_429);
	tcase_add_test(tc, claude_result_error_kinds_by_status_and_text);
	tcase_add_test(tc, claude_interrupt_text_makes_error_result_an_interrupt);
	tcase_add_test(tc, claude_root_refusal_line_is_final_error);
	tcase_add_test(tc, claude_failed_bash_result_carries_exit_code_and_start_facts);
	tcase_add_test(tc, claude_results_read_from_the_tail_still_name_their_tool);
	tcase_add_test(tc, claude_tool_kinds_paths_and_titles);
	tcase_add_test(tc, deeply_nested_tool_input_is_still_read);
	tcase_add_test(tc, claude_json_verbose_array_gives_every_message);
	tcase_add_test(tc, claude_wrong_field_types_and_bad_ids_give_no_session);
	tcase_add_test(tc, claude_session_finder_reads_json_field_only);
	tcase_add_test(tc, plain_claude_fixture_is_one_text_and_no_final_event);
	tcase_add_test(tc, plain_claude_documented_errors_are_final);
	tcase_add_test(tc, claude_rate_limit_event_gives_resets_at_whatever_the_clock);
	tcase_add_test(tc, claude_allowed_warning_event_does_not_say_when_a_later_error_resets);
	tcase_add_test(tc, claude_resets_wording_is_read_in_the_zone_it_names);
	tcase_add_test(tc, claude_resets_on_the_hour_a_day_ahead_and_with_a_date);
	tcase_add_test(tc, every_captured_claude_limit_resets_when_claude_said);
	tcase_add_test(tc, claude_2_1_332_result_keys_in_their_new_order_read_as_before);
	tcase_add_test(tc, claude_2_1_332_api_errors_caps_and_signals);
	tcase_add_test(tc, claude_2_1_332_sigterm_fails_the_tool_and_refused_sleep_goes_on);
	tcase_add_test(tc, claude_hook_events_are_named_as_unknown_and_weigh_nothing);
	suite_add_tcase(s, tc);
	return s;
}

CHECK_MAIN(claude_suite)
