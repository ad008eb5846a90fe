/* check_dialect_hostile.c — what holds for every agent's parsers: bad
 * bytes, huge lines, broken JSON, wrong field types, CRLF, escape floods
 * and blank text never crash them or make events up (a whole object they
 * do not know is named as such), and a callback's
 * non-zero value stops them. */
#include "dialect_test.h"

/* Every JSON dialect: each row says how an assistant text
 * line of the dialect is written, and how many events such a line gives. */
static const struct {
	enum agent_dialect d;
	const char *pre, *post;
	size_t nev;
} all_json[] = {
	{ AGENT_D_CLAUDE_STREAM,
	  "{\"type\":\"assistant\",\"message\":{\"content\":[{\"type\":\"text\",\"text\":\"", "\"}]}}", 1 },
	{ AGENT_D_CLAUDE_JSON,
	  "{\"type\":\"result\",\"is_error\":false,\"result\":\"", "\"}", 1 },
	{ AGENT_D_CODEX_JSON,
	  "{\"type\":\"item.completed\",\"item\":{\"type\":\"agent_message\",\"text\":\"", "\"}}", 1 },
	{ AGENT_D_GEMINI_STREAM,
	  "{\"type\":\"message\",\"role\":\"assistant\",\"delta\":true,\"content\":\"", "\"}", 1 },
	{ AGENT_D_GEMINI_JSON, "{\"response\":\"", "\"}", 2 },
	{ AGENT_D_OPENCODE_JSON,
	  "{\"type\":\"text\",\"part\":{\"type\":\"text\",\"text\":\"", "\"}}", 1 },
};

/* pre + body (blen bytes) + post */
static char *
wrap(size_t row, const char *body, size_t blen, size_t *len)
{
	size_t a = strlen(all_json[row].pre), b = strlen(all_json[row].post);
	char *s = malloc(a + blen + b + 1);

	ck_assert_ptr_nonnull(s);
	memcpy(s, all_json[row].pre, a);
	memcpy(s + a, body, blen);
	memcpy(s + a + blen, all_json[row].post, b + 1);
	*len = a + blen + b;
	return s;
}


static const enum agent_dialect all_text[] = {
	AGENT_D_OPENCODE_TEXT, AGENT_D_OMO, AGENT_D_CODEX_TEXT,
	AGENT_D_CLAUDE_TEXT, AGENT_D_GEMINI_TEXT, AGENT_D_GENERIC,
};

START_TEST(blank_assistant_text_gives_no_text_event)
{
	struct evlog l = { 0 };

	feed_str(AGENT_D_CLAUDE_STREAM,
	    "{\"type\":\"assistant\",\"message\":{\"content\":[{\"type\":\"text\",\"text\":\"\\n \"}]}}\n"
	    "{\"type\":\"assistant\",\"message\":{\"content\":\"\"}}\n", &l);
	ck_assert_uint_eq(l.n, 0);
	feed_str(AGENT_D_CODEX_JSON,
	    "{\"type\":\"item.completed\",\"item\":{\"type\":\"agent_message\",\"text\":\"\"}}\n", &l);
	ck_assert_uint_eq(l.n, 0);
	feed_str(AGENT_D_GEMINI_STREAM,
	    "{\"type\":\"message\",\"role\":\"assistant\",\"content\":\" \",\"delta\":true}\n", &l);
	ck_assert_uint_eq(l.n, 0);
	feed_str(AGENT_D_OPENCODE_JSON,
	    "{\"type\":\"text\",\"part\":{\"text\":\"\\r\\n\"}}\n", &l);
	ck_assert_uint_eq(l.n, 0);
	feed_str(AGENT_D_GEMINI_JSON, "{\"response\":\"\"}", &l);
	ck_assert_uint_eq(l.n, 1);
	ck_assert_int_eq(l.v[0].e.kind, AGENT_EV_DONE);
	evlog_free(&l);
}
END_TEST

START_TEST(model_is_announced_once_until_it_changes)
{
	struct evlog l = { 0 };

	feed_str(AGENT_D_OPENCODE_JSON,
	    "{\"type\":\"step_start\",\"sessionID\":\"" OC_SID "\",\"part\":{\"modelID\":\"fake-model\"}}\n"
	    "{\"type\":\"text\",\"sessionID\":\"" OC_SID "\",\"part\":{\"text\":\"hi\"}}\n"
	    "{\"type\":\"step_start\",\"sessionID\":\"" OC_SID "\",\"part\":{\"modelID\":\"fake-model\"}}\n"
	    "{\"type\":\"step_start\",\"sessionID\":\"" OC_SID "\",\"part\":{\"modelID\":\"other\"}}\n", &l);
	ck_assert_uint_eq(count(&l, AGENT_EV_MODEL), 2);
	is_str(nth(&l, AGENT_EV_MODEL, 0)->model, "fake-model");
	is_str(nth(&l, AGENT_EV_TEXT, 0)->model, "fake-model");
	is_str(nth(&l, AGENT_EV_MODEL, 1)->model, "other");
	evlog_free(&l);
	feed_str(AGENT_D_CLAUDE_STREAM,
	    "{\"type\":\"system\",\"subtype\":\"init\",\"session_id\":\"" CL_SID "\",\"model\":\"m\"}\n"
	    "{\"type\":\"system\",\"subtype\":\"init\",\"session_id\":\"" CL_SID "\",\"model\":\"m\"}\n", &l);
	ck_assert_uint_eq(l.n, 2);
	evlog_free(&l);
}
END_TEST

START_TEST(bad_lines_never_crash_and_yield_nothing)
{
	static const char *const lines[] = {
		"{\"type\":\"result\",\"is_error\":false,\"session_id\":\"",  /* truncated */
		"{\"type\":\"turn.completed\"", "[1]", "\"x\"", "5", "null", "{", "}",
		"{\"type\":\"result\",,}", "{\"type\":\"result\",}", "{'type':1}",
		"\xff\xfe{\"type\":\"result\"", "{\"a\":\"\\ud800\"}", "{\"a\":\"\\udc00\\ud800\"}",
		"{\"a\":\"\\uZZZZ\"}", "", " ", "\t\r", "{\"type\":null,\"part\":5,\"item\":[]}",
		"{\"response\":5,\"error\":null}",
		"{\"type\":\"step_finish\",\"part\":{\"reason\":5}}",
	};
	size_t i;

	for (i = 0; i < sizeof lines / sizeof lines[0]; i++) {
		struct evlog l = { 0 };

		ck_assert_int_eq(feed_str(all_json[_i].d, lines[i], &l), 0);
		/* a whole object the dialect does not know is named (format
		 * drift), in an event that weighs nothing */
		ck_assert_msg(l.n == 0 || (i == 20 && all_json[_i].d == AGENT_D_OPENCODE_JSON) ||
		    (l.n == 1 && l.v[0].e.kind == AGENT_EV_UNKNOWN && l.v[0].e.unknown != NULL),
		    "line %zu gave %zu events", i, l.n);
		evlog_free(&l);
	}
}
END_TEST

START_TEST(nul_bytes_invalid_utf8_and_surrogates_are_survived)
{
	static const char nul[] = "a\0b";
	static const char bad[] = "\xff\xc0\\ud800 x\\u0000y\\ud83d\xe2\x82\\udfff";
	struct evlog l = { 0 };
	size_t len;
	char *s;

	s = wrap(_i, nul, sizeof nul - 1, &len);
	ck_assert_int_eq(feed(all_json[_i].d, s, len, &l), 0);
	ck_assert_uint_eq(l.n, 0);
	free(s);
	s = wrap(_i, bad, sizeof bad - 1, &len);
	ck_assert_int_eq(feed(all_json[_i].d, s, len, &l), 0);
	ck_assert_uint_eq(l.n, all_json[_i].nev);
	ck_assert_ptr_nonnull(l.v[0].e.text);
	ck_assert_uint_eq(strncmp(l.v[0].e.text, "\xff\xc0\xef\xbf\xbd x", 7), 0);
	free(s);
	evlog_free(&l);
}
END_TEST

START_TEST(two_megabyte_line_is_parsed_and_its_half_is_not)
{
	size_t big = 2u << 20, len;
	char *x = malloc(big), *s;
	struct evlog l = { 0 };

	ck_assert_ptr_nonnull(x);
	memset(x, 'x', big);
	s = wrap(_i, x, big, &len);
	ck_assert_int_eq(feed(all_json[_i].d, s, len, &l), 0);
	ck_assert_uint_eq(l.n, all_json[_i].nev);
	ck_assert_uint_eq(strlen(l.v[0].e.text), big);
	ck_assert_uint_le(strlen(l.v[0].e.title), 1000);
	evlog_free(&l);
	ck_assert_int_eq(feed(all_json[_i].d, s, len / 2, &l), 0);
	ck_assert_uint_eq(l.n, 0);
	free(s);
	free(x);
	evlog_free(&l);
}
END_TEST

START_TEST(wrong_field_types_are_ignored_per_field)
{
	static const char *const lines[] = {
		"{\"type\":\"thread.started\",\"thread_id\":5}",
		"{\"type\":\"init\",\"session_id\":{\"x\":1},\"model\":7}",
		"{\"type\":\"step_start\",\"sessionID\":[\"ses_df60fc02bffesADN5iSiUraCW7\"]}",
		"{\"session_id\":5,\"response\":[\"x\"]}",
		"{\"type\":\"tool_use\",\"tool_name\":5,\"tool_id\":{},\"parameters\":\"x\","
		"\"part\":{\"tool\":5,\"callID\":6,\"state\":\"x\"}}",
		"{\"type\":\"item.started\",\"item\":{\"type\":\"command_execution\",\"command\":5,"
		"\"exit_code\":\"0\"}}",
		"{\"type\":\"item.completed\",\"item\":{\"type\":\"file_change\",\"changes\":{\"a\":1}}}",
		"{\"type\":\"tool_result\",\"tool_id\":\"x__\",\"status\":9}",
	};
	size_t i;

	for (i = 0; i < sizeof lines / sizeof lines[0]; i++) {
		struct evlog l = { 0 };

		ck_assert_int_eq(feed_str(all_json[_i].d, lines[i], &l), 0);
		ck_assert_uint_eq(count(&l, AGENT_EV_SESSION), 0);
		ck_assert_ptr_null(final_ev(&l));
		evlog_free(&l);
	}
}
END_TEST

START_TEST(callback_nonzero_stops_parsing_and_is_returned)
{
	struct evlog l = { 0 };
	size_t len;
	char *data = slurp("claude/stream-json-happy.log", &len);

	l.stop_at = 3;
	ck_assert_int_eq(feed(AGENT_D_CLAUDE_STREAM, data, len, &l), 7);
	ck_assert_uint_eq(l.n, 3);
	evlog_free(&l);
	free(data);
}
END_TEST

START_TEST(object_glued_behind_text_or_followed_by_text_is_read)
{
	struct evlog l = { 0 };

	feed_str(AGENT_D_CLAUDE_JSON,
	    "{\"type\":\"result\",\"subtype\":\"success\",\"is_error\":false,\"result\":\"ok\"}"
	    "warning: something on stderr\n", &l);
	ck_assert_uint_eq(l.n, 1);
	ck_assert_int_eq(l.v[0].e.kind, AGENT_EV_DONE);
	evlog_free(&l);
	feed_str(AGENT_D_CODEX_JSON,
	    "some stderr text without newline{\"type\":\"turn.completed\",\"usage\":{}}\n", &l);
	ck_assert_uint_eq(l.n, 1);
	ck_assert_int_eq(l.v[0].e.kind, AGENT_EV_DONE);
	evlog_free(&l);
}
END_TEST

START_TEST(bad_bytes_nul_and_invalid_utf8_never_crash)
{
	static const char bad[] =
		"\xff\xfe\xfd\n\xe2\x86\n\xc0\xaf\xed\xa0\x80\n"
		"a\0b\0c\n\0\n[MAIN] \xff\n\xe2\x9a\x99 \xff\xff  \n"
		"\x1b[0m\xe2\x9c\x97 \x1b[0m\xff failed\nError: \xff\xfe\n"
		"session id: \xff\n[19:00:00] Session: ses_\xff\n"
		"exec\n\xff in /\xff\n exited \xff in 1ms:\n";
	for (size_t i = 0; i < sizeof all_text / sizeof all_text[0]; i++) {
		struct evlog l = { 0 };
		feed(all_text[i], bad, sizeof bad - 1, &l);
		evlog_free(&l);
	}
}
END_TEST

START_TEST(nul_bytes_are_dropped_not_truncating_the_line)
{
	struct evlog l = { 0 };
	feed(AGENT_D_CLAUDE_TEXT, "Do\0ne.", 6, &l);
	ck_assert_int_eq(l.n, 1);
	ck_assert_str_eq(l.v[0].e.text, "Done.");
	evlog_free(&l);
}
END_TEST

START_TEST(two_megabyte_lines_are_survived)
{
	size_t n = 2u << 20;
	char *big = malloc(n + 64);
	ck_assert_ptr_nonnull(big);
	for (size_t i = 0; i < sizeof all_text / sizeof all_text[0]; i++) {
		/* a plain run of letters, then one with a marker and escapes */
		memset(big, 'a', n);
		struct evlog l = { 0 };
		feed(all_text[i], big, n, &l);
		evlog_free(&l);
		memcpy(big, "  \xe2\x94\x94\xe2\x94\x80 ", 8);
		for (size_t k = 100; k + 4 < n; k += 4096)
			memcpy(big + k, "\x1b[0m", 4);
		memcpy(big + n - 12, " [MAIN] x.y", 11);
		feed(all_text[i], big, n, &l);
		evlog_free(&l);
	}
	free(big);
}
END_TEST

START_TEST(crlf_line_ends_parse_like_lf)
{
	static const char *const fx[] = {
		"codex/exec-text-happy.log", "omo/happy.log", "opencode/text-happy.log",
	};
	static const enum agent_dialect dd[] = {
		AGENT_D_CODEX_TEXT, AGENT_D_OMO, AGENT_D_OPENCODE_TEXT,
	};
	for (int f = 0; f < 3; f++) {
		size_t len, o = 0;
		char *buf = slurp(fx[f], &len);
		char *crlf = malloc(2 * len + 1);
		ck_assert_ptr_nonnull(crlf);
		for (size_t i = 0; i < len; i++) {
			if (buf[i] == '\n')
				crlf[o++] = '\r';
			crlf[o++] = buf[i];
		}
		struct evlog a = { 0 }, b = { 0 };
		feed(dd[f], buf, len, &a);
		feed(dd[f], crlf, o, &b);
		ck_assert_int_eq(a.n, b.n);
		for (size_t i = 0; i < a.n; i++) {
			ck_assert_int_eq(a.v[i].e.kind, b.v[i].e.kind);
			if (a.v[i].e.title)
				ck_assert_str_eq(a.v[i].e.title, b.v[i].e.title);
		}
		evlog_free(&a);
		evlog_free(&b);
		free(buf);
		free(crlf);
	}
}
END_TEST

START_TEST(escape_floods_and_cut_escapes_are_harmless)
{
	size_t n = 1u << 20;
	char *s = malloc(n);
	ck_assert_ptr_nonnull(s);
	for (size_t i = 0; i + 4 <= n; i += 4)
		memcpy(s + i, "\x1b[0m", 4);
	for (size_t i = 0; i < sizeof all_text / sizeof all_text[0]; i++) {
		struct evlog l = { 0 };
		feed(all_text[i], s, n, &l);
		ck_assert_int_eq(count(&l, AGENT_EV_TEXT), 0);
		evlog_free(&l);
		feed(all_text[i], "\x1b[", 2, &l);
		feed(all_text[i], "\x1b]0;title", 9, &l);
		feed(all_text[i], "abc\x1b", 4, &l);
		evlog_free(&l);
	}
	free(s);
}
END_TEST

static int
stop(const struct agent_event *e, void *a)
{
	(void)e;
	(void)a;
	return 7;
}

START_TEST(a_nonzero_callback_stops_the_parser_and_is_returned)
{
	for (size_t i = 0; i < sizeof all_text / sizeof all_text[0]; i++) {
		struct agent_parser *p = agent_parser_new(all_text[i]);

		ck_assert_ptr_nonnull(p);
		ck_assert_int_eq(agent_parser_line(p, "Error: Session not found", 24, 1, stop, NULL), 7);
		agent_parser_free(p);
	}
	/* freeing nothing is allowed, like free(3) */
	agent_parser_free(NULL);
}
END_TEST

START_TEST(session_finders_check_id_shapes)
{
	char buf[64];
	const char *s;

	s = "{\"type\":\"step_start\",\"timestamp\":1,\"sessionID\":\"" OC_SID "\"}";
	ck_assert_uint_eq(agent_session_in_line(AGENT_D_OPENCODE_JSON, s, strlen(s), buf, sizeof buf), 30);
	is_str(buf, OC_SID);
	s = "{\"sessionID\":\"ses_short\"}";
	ck_assert_uint_eq(agent_session_in_line(AGENT_D_OPENCODE_JSON, s, strlen(s), buf, sizeof buf), 0);
	s = "{\"sessionID\":\"ses_df60fc02bffesADN5iSiUraC-7\"}";
	ck_assert_uint_eq(agent_session_in_line(AGENT_D_OPENCODE_JSON, s, strlen(s), buf, sizeof buf), 0);
	s = "Error: Session not found: " OC_SID;
	ck_assert_uint_eq(agent_session_in_line(AGENT_D_OPENCODE_JSON, s, strlen(s), buf, sizeof buf), 0);
	s = "  \"session_id\": \"" GM_SID "\",";
	ck_assert_uint_eq(agent_session_in_line(AGENT_D_GEMINI_JSON, s, strlen(s), buf, sizeof buf), 36);
	ck_assert_uint_eq(agent_session_in_line(AGENT_D_GEMINI_STREAM, s, strlen(s), buf, sizeof buf), 36);
	s = "{\"type\":\"thread.started\",\"thread_id\":\"01a209f9-4831-77a0-a6c6-e6f107c047e4\"}";
	ck_assert_uint_eq(agent_session_in_line(AGENT_D_CODEX_JSON, s, strlen(s), buf, sizeof buf), 36);
	s = "{\"type\":\"thread.started\",\"thread_id\":\"01a209f9-4831-77a0-a6c6-e6f107c047eg\"}";
	ck_assert_uint_eq(agent_session_in_line(AGENT_D_CODEX_JSON, s, strlen(s), buf, sizeof buf), 0);
	s = "{\"session_id\":\"x\",\"session_id\":\"" GM_SID "\"}";
	ck_assert_uint_eq(agent_session_in_line(AGENT_D_GEMINI_STREAM, s, strlen(s), buf, sizeof buf), 36);
}
END_TEST

static Suite *
hostile_suite(void)
{
	Suite *s = suite_create("dialect_hostile");
	TCase *tc = tcase_create("hostile");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, blank_assistant_text_gives_no_text_event);
	tcase_add_test(tc, model_is_announced_once_until_it_changes);
	tcase_add_loop_test(tc, bad_lines_never_crash_and_yield_nothing, 0,
	    sizeof all_json / sizeof all_json[0]);
	tcase_add_loop_test(tc, nul_bytes_invalid_utf8_and_surrogates_are_survived, 0,
	    sizeof all_json / sizeof all_json[0]);
	tcase_add_loop_test(tc, two_megabyte_line_is_parsed_and_its_half_is_not, 0,
	    sizeof all_json / sizeof all_json[0]);
	tcase_add_loop_test(tc, wrong_field_types_are_ignored_per_field, 0,
	    sizeof all_json / sizeof all_json[0]);
	tcase_add_test(tc, callback_nonzero_stops_parsing_and_is_returned);
	tcase_add_test(tc, object_glued_behind_text_or_followed_by_text_is_read);
	tcase_add_test(tc, bad_bytes_nul_and_invalid_utf8_never_crash);
	tcase_add_test(tc, nul_bytes_are_dropped_not_truncating_the_line);
	tcase_add_test(tc, two_megabyte_lines_are_survived);
	tcase_add_test(tc, crlf_line_ends_parse_like_lf);
	tcase_add_test(tc, escape_floods_and_cut_escapes_are_harmless);
	tcase_add_test(tc, a_nonzero_callback_stops_the_parser_and_is_returned);
	tcase_add_test(tc, session_finders_check_id_shapes);
	suite_add_tcase(s, tc);
	return s;
}

CHECK_MAIN(hostile_suite)
