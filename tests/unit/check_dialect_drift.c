/* check_dialect_drift.c — format drift: what each JSON dialect does not
 * know is named on the events of its line (or on an UNKNOWN event of its
 * own), weighs nothing in the verdict, and is summed up once a name, with
 * a cap; what it knows is read whatever the order of an object's keys. */
#include <math.h>
#include "dialect_test.h"

#define INIT "{\"type\":\"system\",\"subtype\":\"init\",\"session_id\":\"" CL_SID "\",\"model\":\"m\"}\n"
#define DONE "{\"type\":\"result\",\"subtype\":\"success\",\"is_error\":false,\"result\":\"Done.\",\"session_id\":\"" CL_SID "\"}\n"

/* What the events of a log add up to. */
static void
summed(const struct evlog *l, struct agent_summary *s)
{
	agent_summary_init(s);
	for (size_t i = 0; i < l->n; i++)
		agent_summary_add(s, &l->v[i].e);
}

START_TEST(claude_line_of_an_unknown_type_is_one_unknown_event_that_weighs_nothing)
{
	struct evlog l = { 0 };
	struct agent_summary s;
	const struct agent_event *e;

	feed_str(AGENT_D_CLAUDE_STREAM, INIT DONE
	    "{\"type\":\"tool_progress\",\"tool_use_id\":\"t1\",\"session_id\":\"" CL_SID "\"}\n", &l);
	ck_assert_int_eq(count(&l, AGENT_EV_UNKNOWN), 1);
	e = last(&l);
	ck_assert_int_eq(e->kind, AGENT_EV_UNKNOWN);
	is_str(e->unknown, "tool_progress");
	is_str(e->title, "tool_progress");
	ck_assert_int_eq(e->line, 3);
	is_str(e->session, CL_SID);
	ck_assert_int_eq(e->final, 0);
	/* the known lines carry nothing */
	for (size_t i = 0; i + 1 < l.n; i++)
		ck_assert_ptr_null(l.v[i].e.unknown);
	summed(&l, &s);
	ck_assert_int_eq(s.terminal, AGENT_EV_DONE);
	ck_assert_int_eq(s.last, AGENT_EV_DONE);
	ck_assert_int_eq(s.nunknown, 1);
	ck_assert_str_eq(s.unknown[0], "tool_progress");
	evlog_free(&l);
}
END_TEST

START_TEST(claude_result_of_an_unknown_subtype_is_read_and_says_what_it_lacks)
{
	struct evlog l = { 0 };
	const struct agent_event *fin;

	feed_str(AGENT_D_CLAUDE_STREAM, INIT
	    "{\"type\":\"result\",\"subtype\":\"error_max_tools\",\"is_error\":true,"
	    "\"terminal_reason\":\"tools_exhausted\",\"errors\":[\"Reached max tools\"],"
	    "\"session_id\":\"" CL_SID "\"}\n", &l);
	fin = final_ev(&l);
	ck_assert_ptr_nonnull(fin);
	ck_assert_int_eq(fin->kind, AGENT_EV_ERROR);
	is_str(fin->text, "Reached max tools");
	is_str(fin->unknown, "result.subtype=error_max_tools,result.terminal_reason=tools_exhausted");
	ck_assert_int_eq(count(&l, AGENT_EV_UNKNOWN), 0);
	evlog_free(&l);

	/* is_error is what the verdict rests on: its absence is named */
	feed_str(AGENT_D_CLAUDE_STREAM, INIT
	    "{\"type\":\"result\",\"subtype\":\"success\",\"result\":\"ok\"}\n", &l);
	fin = final_ev(&l);
	ck_assert_int_eq(fin->kind, AGENT_EV_DONE);
	is_str(fin->unknown, "result.is_error");
	evlog_free(&l);

	/* a result without a subtype */
	feed_str(AGENT_D_CLAUDE_STREAM, INIT
	    "{\"type\":\"result\",\"is_error\":true,\"result\":\"boom\"}\n", &l);
	fin = final_ev(&l);
	ck_assert_int_eq(fin->kind, AGENT_EV_ERROR);
	is_str(fin->unknown, "result.subtype");
	evlog_free(&l);
}
END_TEST

/* Claude Code 2.1.332 writes the result's keys in another order, "type"
 * among the last: the same object reads the same in any order. */
START_TEST(claude_result_reads_the_same_whatever_the_order_of_its_keys)
{
	static const char *const orders[][2] = {
		{ "{\"type\":\"result\",\"subtype\":\"success\",\"is_error\":false,"
		  "\"terminal_reason\":\"completed\",\"result\":\"Done.\",\"session_id\":\"" CL_SID "\","
		  "\"total_cost_usd\":0.25,\"usage\":{\"input_tokens\":10,\"output_tokens\":20}}\n",
		  "{\"usage\":{\"output_tokens\":20,\"input_tokens\":10},\"total_cost_usd\":0.25,"
		  "\"session_id\":\"" CL_SID "\",\"result\":\"Done.\",\"terminal_reason\":\"completed\","
		  "\"is_error\":false,\"subtype\":\"success\",\"type\":\"result\"}\n" },
		{ "{\"type\":\"result\",\"subtype\":\"success\",\"is_error\":true,\"api_error_status\":500,"
		  "\"terminal_reason\":\"api_error\",\"result\":\"API Error: 500 Internal server error\"}\n",
		  "{\"result\":\"API Error: 500 Internal server error\",\"api_error_status\":500,"
		  "\"is_error\":true,\"terminal_reason\":\"api_error\",\"type\":\"result\",\"subtype\":\"success\"}\n" },
		{ "{\"type\":\"result\",\"subtype\":\"error_max_turns\",\"is_error\":true,"
		  "\"terminal_reason\":\"max_turns\",\"errors\":[\"Reached maximum number of turns (1)\"]}\n",
		  "{\"errors\":[\"Reached maximum number of turns (1)\"],\"terminal_reason\":\"max_turns\","
		  "\"is_error\":true,\"subtype\":\"error_max_turns\",\"type\":\"result\"}\n" },
	};

	for (size_t i = 0; i < sizeof orders / sizeof orders[0]; i++) {
		struct evlog a = { 0 }, b = { 0 };
		const struct agent_event *x, *y;

		feed_str(AGENT_D_CLAUDE_STREAM, orders[i][0], &a);
		feed_str(AGENT_D_CLAUDE_STREAM, orders[i][1], &b);
		x = final_ev(&a);
		y = final_ev(&b);
		ck_assert_ptr_nonnull(x);
		ck_assert_ptr_nonnull(y);
		ck_assert_int_eq(x->kind, y->kind);
		is_str(y->text, x->text);
		ck_assert_int_eq(x->http_status, y->http_status);
		ck_assert_int_eq(x->tokens_in, y->tokens_in);
		ck_assert_int_eq(x->tokens_out, y->tokens_out);
		ck_assert(x->cost == y->cost);
		ck_assert_ptr_null(x->unknown);
		ck_assert_ptr_null(y->unknown);
		ck_assert_uint_eq(a.n, b.n);
		evlog_free(&a);
		evlog_free(&b);
	}
}
END_TEST

START_TEST(claude_unknown_blocks_and_values_ride_on_the_line_s_events)
{
	struct evlog l = { 0 };
	const struct agent_event *e;

	feed_str(AGENT_D_CLAUDE_STREAM,
	    "{\"type\":\"assistant\",\"message\":{\"content\":[{\"type\":\"server_tool_use\",\"id\":\"s1\"},"
	    "{\"type\":\"text\",\"text\":\"hello\"}]},\"session_id\":\"" CL_SID "\"}\n"
	    "{\"type\":\"assistant\",\"error\":\"billing_error\",\"message\":{\"content\":"
	    "[{\"type\":\"text\",\"text\":\"Credit balance is too low\"}]}}\n"
	    "{\"type\":\"system\",\"subtype\":\"hook_started\",\"session_id\":\"" CL_SID "\"}\n"
	    "{\"type\":\"stream_event\",\"event\":{\"type\":\"ping\"},\"session_id\":\"" CL_SID "\"}\n"
	    "{\"type\":\"rate_limit_event\",\"rate_limit_info\":{\"status\":\"throttled\"}}\n"
	    "{\"session_id\":\"" CL_SID "\"}\n", &l);
	/* the blocks' events carry the unknown block, the known one too */
	e = nth(&l, AGENT_EV_STEP, 0);
	is_str(e->title, "server_tool_use");
	is_str(e->unknown, "assistant.content=server_tool_use");
	e = nth(&l, AGENT_EV_TEXT, 0);
	is_str(e->text, "hello");
	is_str(e->unknown, "assistant.content=server_tool_use");
	e = nth(&l, AGENT_EV_ERROR, 0);
	is_str(e->unknown, "assistant.error=billing_error");
	e = nth(&l, AGENT_EV_STEP, 1);
	is_str(e->title, "hook_started");
	is_str(e->unknown, "system.subtype=hook_started");
	e = nth(&l, AGENT_EV_STEP, 2);
	is_str(e->unknown, "stream_event.event.type=ping");
	/* a line that gives no event of its own gives an UNKNOWN one */
	e = nth(&l, AGENT_EV_UNKNOWN, 0);
	is_str(e->unknown, "rate_limit_event.rate_limit_info.status=throttled");
	ck_assert_int_eq(e->line, 5);
	e = nth(&l, AGENT_EV_UNKNOWN, 1);
	is_str(e->unknown, "(untyped)");
	ck_assert_int_eq(count(&l, AGENT_EV_UNKNOWN), 2);
	evlog_free(&l);
}
END_TEST

/* The json format's --verbose array is one line: what it does not know
 * is named once, on the events that come after it was met. */
START_TEST(claude_json_array_names_each_unknown_once)
{
	struct evlog l = { 0 };

	feed_str(AGENT_D_CLAUDE_JSON,
	    "[{\"type\":\"system\",\"subtype\":\"init\",\"session_id\":\"" CL_SID "\"},"
	    "{\"type\":\"tool_progress\"},{\"type\":\"tool_progress\"},{\"type\":\"keep_alive\"}]\n", &l);
	ck_assert_ptr_null(nth(&l, AGENT_EV_SESSION, 0)->unknown);
	ck_assert_int_eq(count(&l, AGENT_EV_UNKNOWN), 1);
	is_str(last(&l)->unknown, "tool_progress,keep_alive");
	evlog_free(&l);
}
END_TEST

START_TEST(unknown_names_are_made_safe_and_cut)
{
	struct evlog l = { 0 };
	char line[512], want[AGENT_UNKNOWN_NAME];

	feed_str(AGENT_D_CLAUDE_STREAM,
	    "{\"type\":\"a,b \\\"c\\\\\\u0007\\u00e9\\n\"}\n", &l);
	ck_assert_int_eq(l.n, 1);
	/* ',' ' ' '"' '\\' BEL, the two bytes of e-acute, newline */
	is_str(l.v[0].e.unknown, "a?b??c?????");
	evlog_free(&l);

	memset(want, 'x', sizeof want - 1);
	want[sizeof want - 1] = '\0';
	snprintf(line, sizeof line, "{\"type\":\"%s%s\"}", want, "yyyyyyyyyyyyyyyyyyyyyyyy");
	feed_str(AGENT_D_CLAUDE_STREAM, line, &l);
	is_str(l.v[0].e.unknown, want);
	ck_assert_uint_eq(strlen(l.v[0].e.unknown), AGENT_UNKNOWN_NAME - 1);
	evlog_free(&l);
}
END_TEST

START_TEST(codex_unknown_line_and_item_types_are_named)
{
	struct evlog l = { 0 };
	const struct agent_event *e;

	feed_str(AGENT_D_CODEX_JSON,
	    "{\"type\":\"thread.started\",\"thread_id\":\"" CX_SID "\"}\n"
	    "{\"type\":\"turn.started\"}\n"
	    "{\"type\":\"item.completed\",\"item\":{\"id\":\"item_0\",\"type\":\"image_generation\"}}\n"
	    "{\"type\":\"turn.paused\"}\n"
	    "{\"type\":\"turn.completed\",\"usage\":{\"input_tokens\":1,\"output_tokens\":2}}\n", &l);
	e = nth(&l, AGENT_EV_STEP, 1);
	ck_assert_ptr_nonnull(e);
	is_str(e->title, "image_generation");
	is_str(e->unknown, "item.type=image_generation");
	e = nth(&l, AGENT_EV_UNKNOWN, 0);
	is_str(e->unknown, "turn.paused");
	ck_assert_int_eq(e->line, 4);
	ck_assert_int_eq(final_ev(&l)->kind, AGENT_EV_DONE);
	ck_assert_ptr_null(final_ev(&l)->unknown);
	evlog_free(&l);
}
END_TEST

START_TEST(gemini_and_opencode_name_what_they_do_not_know)
{
	struct evlog l = { 0 };
	const struct agent_event *e;

	/* the deltas joined before the unknown line are not blamed for it */
	feed_str(AGENT_D_GEMINI_STREAM,
	    "{\"type\":\"init\",\"session_id\":\"" GM_SID "\",\"model\":\"g\"}\n"
	    "{\"type\":\"message\",\"role\":\"assistant\",\"content\":\"Hel\",\"delta\":true}\n"
	    "{\"type\":\"compression\",\"tokens\":5}\n"
	    "{\"type\":\"result\",\"status\":\"cancelled\"}\n", &l);
	e = nth(&l, AGENT_EV_TEXT, 0);
	is_str(e->text, "Hel");
	ck_assert_ptr_null(e->unknown);
	is_str(nth(&l, AGENT_EV_UNKNOWN, 0)->unknown, "compression");
	e = final_ev(&l);
	ck_assert_int_eq(e->kind, AGENT_EV_ERROR);
	is_str(e->unknown, "result.status=cancelled");
	evlog_free(&l);

	feed_str(AGENT_D_OPENCODE_JSON,
	    "{\"type\":\"step_start\",\"sessionID\":\"" OC_SID "\",\"part\":{\"type\":\"step-start\"}}\n"
	    "{\"type\":\"step_finish\",\"sessionID\":\"" OC_SID "\",\"part\":{\"reason\":\"end_turn\"}}\n"
	    "{\"type\":\"permission_asked\",\"sessionID\":\"" OC_SID "\"}\n", &l);
	e = nth(&l, AGENT_EV_STEP, 1);
	is_str(e->title, "end_turn");
	is_str(e->unknown, "step_finish.part.reason=end_turn");
	is_str(last(&l)->unknown, "permission_asked");
	ck_assert_int_eq(last(&l)->kind, AGENT_EV_UNKNOWN);
	evlog_free(&l);
}
END_TEST

/* Formats of free text have no types to know: they never name any. */
START_TEST(text_dialects_name_nothing)
{
	static const enum agent_dialect d[] = {
		AGENT_D_GENERIC, AGENT_D_CLAUDE_TEXT, AGENT_D_CODEX_TEXT,
		AGENT_D_GEMINI_TEXT, AGENT_D_OPENCODE_TEXT, AGENT_D_OMO,
	};

	for (size_t i = 0; i < sizeof d / sizeof d[0]; i++) {
		struct evlog l = { 0 };

		feed_str(d[i], "{\"type\":\"tool_progress\"}\nhello\n", &l);
		ck_assert_ptr_null(unknown_of(&l));
		ck_assert_int_eq(count(&l, AGENT_EV_UNKNOWN), 0);
		evlog_free(&l);
	}
}
END_TEST

START_TEST(summary_keeps_each_unknown_name_once_up_to_its_cap)
{
	struct agent_summary s;
	struct agent_event e;
	char name[32];

	agent_summary_init(&s);
	agent_event_init(&e);
	e.kind = AGENT_EV_TEXT;
	e.unknown = "a,b,a";
	agent_summary_add(&s, &e);
	e.unknown = "b";
	agent_summary_add(&s, &e);
	ck_assert_int_eq(s.nunknown, 2);
	ck_assert_str_eq(s.unknown[0], "a");
	ck_assert_str_eq(s.unknown[1], "b");
	ck_assert_int_eq(s.unknown_more, 0);
	ck_assert_int_eq(s.events, 2);
	for (int i = 0; i < 3 * AGENT_SUMMARY_UNKNOWN; i++) {
		agent_event_init(&e);
		e.kind = AGENT_EV_UNKNOWN;
		snprintf(name, sizeof name, "t%d", i % (2 * AGENT_SUMMARY_UNKNOWN));
		e.unknown = e.title = name;
		agent_summary_add(&s, &e);
	}
	ck_assert_int_eq(s.nunknown, AGENT_SUMMARY_UNKNOWN);
	ck_assert_int_eq(s.unknown_more, 1);
	ck_assert_str_eq(s.unknown[2], "t0");
	/* UNKNOWN events are not events of the run */
	ck_assert_int_eq(s.events, 2);
	ck_assert_int_eq(s.last, AGENT_EV_TEXT);
	/* a name too long for the summary is cut */
	agent_summary_init(&s);
	agent_event_init(&e);
	e.kind = AGENT_EV_STEP;
	e.unknown = "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx";
	agent_summary_add(&s, &e);
	ck_assert_uint_eq(strlen(s.unknown[0]), AGENT_UNKNOWN_NAME - 1);
}
END_TEST

static Suite *
drift_suite(void)
{
	Suite *s = suite_create("dialect_drift");
	TCase *tc = tcase_create("drift");

	tcase_add_test(tc, claude_line_of_an_unknown_type_is_one_unknown_event_that_weighs_nothing);
	tcase_add_test(tc, claude_result_of_an_unknown_subtype_is_read_and_says_what_it_lacks);
	tcase_add_test(tc, claude_result_reads_the_same_whatever_the_order_of_its_keys);
	tcase_add_test(tc, claude_unknown_blocks_and_values_ride_on_the_line_s_events);
	tcase_add_test(tc, claude_json_array_names_each_unknown_once);
	tcase_add_test(tc, unknown_names_are_made_safe_and_cut);
	tcase_add_test(tc, codex_unknown_line_and_item_types_are_named);
	tcase_add_test(tc, gemini_and_opencode_name_what_they_do_not_know);
	tcase_add_test(tc, text_dialects_name_nothing);
	tcase_add_test(tc, summary_keeps_each_unknown_name_once_up_to_its_cap);
	suite_add_tcase(s, tc);
	return s;
}

CHECK_MAIN(drift_suite)
