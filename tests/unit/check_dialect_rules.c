/* check_dialect_rules.c — the rules every agent file shares, each written
 * once: tool kinds by name, what an error's wording says, the pattern sets
 * that refuse to work half-compiled, and the growable buffer. */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "check_main.h"
#include "dialect_test.h"
#include "buf.h"
#include "dialect.h"
#include "dialect/rules.h"
#include "rx.h"
#include "timestamp.h"

/* ---- a result line in Claude Code's shape ------------------------------ */

/* Claude Code's result, Qwen Code's and Droid's -o json one: done when
 * is_error is false, or missing with subtype success; a subtype error…
 * never, whatever is_error says; one rule for the three. */
START_TEST(a_claude_shaped_result_is_done_by_one_rule_in_each_agent)
{
	static const enum agent_dialect ds[] = {
		AGENT_D_CLAUDE_STREAM, AGENT_D_QWEN_STREAM, AGENT_D_DROID_JSON,
	};
	static const char *const subs[] = {
		"success", "error_max_turns", "error_during_execution", "failure", NULL,
	};
	static const char *const errs[] = { "false", "true", NULL };
	char line[256];

	for (size_t d = 0; d < sizeof ds / sizeof ds[0]; d++)
		for (size_t s = 0; s < sizeof subs / sizeof subs[0]; s++)
			for (size_t i = 0; i < sizeof errs / sizeof errs[0]; i++) {
				struct evlog l = { 0 };
				const struct agent_event *e;
				int want = subs[s] == NULL || strncmp(subs[s], "error", 5) != 0
				    ? (errs[i] != NULL ? strcmp(errs[i], "false") == 0
				       : subs[s] != NULL && strcmp(subs[s], "success") == 0)
				    : 0;

				snprintf(line, sizeof line, "{\"type\":\"result\"%s%s%s%s%s,"
				    "\"result\":\"r\",\"session_id\":\"" CL_SID "\"}\n",
				    subs[s] != NULL ? ",\"subtype\":\"" : "", subs[s] != NULL ? subs[s] : "",
				    subs[s] != NULL ? "\"" : "",
				    errs[i] != NULL ? ",\"is_error\":" : "", errs[i] != NULL ? errs[i] : "");
				ck_assert_int_eq(feed_str(ds[d], line, &l), 0);
				e = final_ev(&l);
				ck_assert_msg(e != NULL, "%s: %s: no final event", agent_dialect_info(ds[d])->name, line);
				ck_assert_msg((e->kind == AGENT_EV_DONE) == want, "%s: %s: kind %d",
				    agent_dialect_info(ds[d])->name, line, e->kind);
				evlog_free(&l);
			}
}
END_TEST

/* ---- tool kinds ------------------------------------------------------ */

START_TEST(tool_kinds_do_not_depend_on_case)
{
	ck_assert_int_eq(agent__tool_kind("Read"), AGENT_TK_READ);
	ck_assert_int_eq(agent__tool_kind("read"), AGENT_TK_READ);
	ck_assert_int_eq(agent__tool_kind("READ"), AGENT_TK_READ);
	ck_assert_int_eq(agent__tool_kind("LS"), AGENT_TK_SEARCH);
	ck_assert_int_eq(agent__tool_kind("ls"), AGENT_TK_SEARCH);
	ck_assert_int_eq(agent__tool_kind("Bash"), AGENT_TK_SHELL);
	ck_assert_int_eq(agent__tool_kind("bash"), AGENT_TK_SHELL);
	ck_assert_int_eq(agent__tool_kind("TodoWrite"), AGENT_TK_TODO);
	ck_assert_int_eq(agent__tool_kind("todowrite"), AGENT_TK_TODO);
}
END_TEST

START_TEST(tool_kinds_of_every_agent_are_known_to_every_format)
{
	/* oh-my-opencode's sub-agent tools also show in opencode --format
	 * json (its resume runs through opencode run): one kind everywhere */
	ck_assert_int_eq(agent__tool_kind("delegate_task"), AGENT_TK_TASK);
	ck_assert_int_eq(agent__tool_kind("call_omo_agent"), AGENT_TK_TASK);
	ck_assert_int_eq(agent__tool_kind("interactive_bash"), AGENT_TK_SHELL);
	ck_assert_int_eq(agent__tool_kind("ast_grep_search"), AGENT_TK_SEARCH);
	ck_assert_int_eq(agent__tool_kind("run_shell_command"), AGENT_TK_SHELL);
	ck_assert_int_eq(agent__tool_kind("command_execution"), AGENT_TK_SHELL);
	ck_assert_int_eq(agent__tool_kind("apply_patch"), AGENT_TK_EDIT);
	ck_assert_int_eq(agent__tool_kind("mystery"), AGENT_TK_OTHER);
	ck_assert_int_eq(agent__tool_kind(""), AGENT_TK_OTHER);
	ck_assert_int_eq(agent__tool_kind(NULL), AGENT_TK_OTHER);
}
END_TEST

/* ---- error wording ---------------------------------------------------- */

static struct agent_event
kind_of(const char *text, int status, int final)
{
	struct agent_event e;

	agent_event_init(&e);
	agent__error_kind(&e, text, status, final);
	return e;
}

START_TEST(a_limit_ends_the_run_only_when_final_else_it_is_an_error_notice)
{
	struct agent_event e = kind_of("Rate limit reached (429)", -1, 1);

	ck_assert_int_eq(e.kind, AGENT_EV_LIMIT);
	ck_assert_int_eq(e.final, 1);
	ck_assert_int_eq(e.http_status, 429);
	/* the same words in a retry notice: the run goes on */
	e = kind_of("Rate limit reached (429)", -1, 0);
	ck_assert_int_eq(e.kind, AGENT_EV_ERROR);
	ck_assert_int_eq(e.final, 0);
	ck_assert_int_eq(e.http_status, 429);
	e = kind_of("boom", 429, 1);
	ck_assert_int_eq(e.kind, AGENT_EV_LIMIT);
	ck_assert_double_eq(e.resets_at, -1);
}
END_TEST

START_TEST(generic_reset_wording_gives_the_seconds_until_the_limit_resets)
{
	static const struct { const char *text; double secs; } cases[] = {
		{ "try again in 2 seconds", 2 },
		{ "You've hit your usage limit. Try again in 4 days 2 hours 10 minutes.", 353400 },
		{ "Retry-After: 120", 120 },
		{ "retry-after 7", 7 },
		{ "Please retry in 39.580141s.", 39.580141 },
		{ "retry after 1h30m", 5400 },
		{ "resets in 5 min, and 3 s", 303 },
		{ "Try again in 1 hour and 5 minutes", 3900 },
		{ "429: RETRY IN 250ms", 0.25 },
		/* no duration, no answer: never a guess */
		{ "rate limit", -1 },
		{ "retry interval exceeded", -1 },
		{ "try again in a few minutes", -1 },
		{ "try again in ", -1 },
		{ "", -1 },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
		ck_assert_msg(agent__resets_in(cases[i].text) > cases[i].secs - 1e-6 &&
		              agent__resets_in(cases[i].text) < cases[i].secs + 1e-6,
		              "%s: %g, want %g", cases[i].text,
		              agent__resets_in(cases[i].text), cases[i].secs);
	ck_assert_double_eq(agent__resets_in(NULL), -1);
	/* a limit gets it, a retry notice (not final) and an error do not */
	struct agent_event e = kind_of("Rate limit reached (429), try again in 30s", -1, 1);
	ck_assert_int_eq(e.kind, AGENT_EV_LIMIT);
	ck_assert_double_eq(e.resets_in, 30);
	ck_assert_double_eq(e.resets_at, -1);
	e = kind_of("Rate limit reached (429), try again in 30s", -1, 0);
	ck_assert_double_eq(e.resets_in, -1);
	e = kind_of("Server error, try again in 30s", -1, 1);
	ck_assert_int_eq(e.kind, AGENT_EV_ERROR);
	ck_assert_double_eq(e.resets_in, -1);
}
END_TEST

START_TEST(limit_wording_of_every_agent_is_a_limit)
{
	static const char *const limits[] = {
		"Too Many Requests", "rate_limit_error", "usage limit", "You've hit your limit",
		"[API Error: Resource has been exhausted (e.g. check quota).]",
		"RESOURCE_EXHAUSTED", "Claude AI usage limit reached|1795500000",
		"5-hour limit reached \xe2\x88\x99 resets 3pm", "exceeded quota",
		"status: 429", "{\"code\":429}",
		"You've hit your session limit · resets 12:44pm (UTC)",
		"You've hit your org's monthly usage limit", "You're out of usage credits · resets 3pm",
	};
	for (size_t i = 0; i < sizeof limits / sizeof limits[0]; i++)
		ck_assert_msg(agent__is_limit(limits[i]), "not a limit: %s", limits[i]);
	ck_assert(!agent__is_limit("unexpected status 401 Unauthorized"));
	ck_assert(!agent__is_limit("line 4290 of main.c"));
	ck_assert(!agent__is_limit(NULL));
}
END_TEST

START_TEST(retry_after_is_seconds_or_an_http_date)
{
	ck_assert(agent__retry_after("120", 1000) == 1120);
	ck_assert(agent__retry_after(" 2.5 ", 1000) == 1002.5);
	ck_assert(agent__retry_after("Mon, 30 Nov 2026 13:00:00 GMT", -1) == 1796043600);
	ck_assert(agent__retry_after("120", -1) == -1);     /* from when? */
	ck_assert(agent__retry_after("soon", 1000) == -1);
	ck_assert(agent__retry_after("12x", 1000) == -1);
	ck_assert(agent__retry_after("-3", 1000) == -1);
	ck_assert(agent__retry_after(NULL, 1000) == -1);
}
END_TEST

START_TEST(reset_clock_is_the_next_such_minute_and_its_end)
{
	const double t0 = 1796042511;   /* 2026-11-30 12:41:51 UTC */

	ck_assert_int_eq(setenv("TZ", "UTC", 1), 0);
	tzset();
	ck_assert(agent__reset_clock("12:44pm (UTC)", "UTC", t0) == 1796042700);
	ck_assert(agent__reset_clock("12:44 PM.", NULL, t0) == 1796042700);
	ck_assert(agent__reset_clock("12:44pm", "Etc/UTC", t0) == 1796042700);
	/* just passed when said (clock skew, a late write): still today */
	ck_assert(agent__reset_clock("12:40pm", NULL, t0) == 1796042460);
	/* long passed: tomorrow */
	ck_assert(agent__reset_clock("12:30am", NULL, t0) == 1795998660 + 86400);
	ck_assert(agent__reset_clock("12pm", NULL, t0) == 1796040060 + 86400);
	ck_assert(agent__reset_clock("Dec 1st, 2026 1:42 PM", NULL, t0) == 1796132580);
	ck_assert(agent__reset_clock("Dec 1, 2027, 1pm", NULL, t0) == 1827666060);
	/* not a clock, an impossible one, a zone not known here */
	ck_assert(agent__reset_clock("later", NULL, t0) == -1);
	ck_assert(agent__reset_clock("13:44pm", NULL, t0) == -1);
	ck_assert(agent__reset_clock("12:44pm", "Mars/Olympus", t0) == -1);
	ck_assert(agent__reset_clock("12:44pm", NULL, -1) == -1);
	ck_assert_int_eq(setenv("TZ", "Europe/Berlin", 1), 0);
	tzset();
	ck_assert(agent__reset_clock("1:44pm", "Europe/Berlin", t0) == 1796042700);
	ck_assert(agent__reset_clock("12:44pm", "UTC", t0) == 1796042700);
	ck_assert_int_eq(setenv("TZ", ":Europe/Berlin", 1), 0);
	tzset();
	ck_assert(agent__reset_clock("1:44pm", "Europe/Berlin", t0) == 1796042700);
}
END_TEST

START_TEST(http_status_is_read_from_every_agents_wording)
{
	ck_assert_int_eq(agent__http_status("status: 500"), 500);
	ck_assert_int_eq(agent__http_status("API Error: 500 fake internal server error"), 500);
	/* the first one named counts, not a number that looks like one */
	ck_assert_int_eq(agent__http_status("API Error: 500 gateway (127.0.0.1:46603)"), 500);
	ck_assert_int_eq(agent__http_status("failed (127.0.0.1:4000)"), -1);
	ck_assert_int_eq(agent__http_status("unexpected status 401 Unauthorized: bad key"), 401);
	ck_assert_int_eq(agent__http_status("Attempt 2 failed with status 503. Retrying"), 503);
	ck_assert_int_eq(agent__http_status("status=502"), 502);
	ck_assert_int_eq(agent__http_status("{\"error\":{\"code\":429}}"), 429);
	ck_assert_int_eq(agent__http_status("{\"statusCode\":404}"), 404);
	ck_assert_int_eq(agent__http_status("Request rejected (429) \xc2\xb7 slow down"), 429);
	ck_assert_int_eq(agent__http_status("got 503 Service Unavailable"), 503);
	ck_assert_int_eq(agent__http_status("status code: 400"), 400);
	/* only error statuses: an aborted request's (200) is none */
	ck_assert_int_eq(agent__http_status("The operation was aborted (200)"), -1);
	ck_assert_int_eq(agent__http_status("status 5000"), -1);
	ck_assert_int_eq(agent__http_status("nothing"), -1);
	ck_assert_int_eq(agent__http_status(NULL), -1);
}
END_TEST

START_TEST(authentication_wording_means_401_when_no_status_is_named)
{
	struct agent_event e = kind_of("Invalid API key \xc2\xb7 Please run /login", -1, 1);

	ck_assert_int_eq(e.kind, AGENT_EV_ERROR);
	ck_assert_int_eq(e.http_status, 401);
	e = kind_of("Incorrect API key provided: x", -1, 1);
	ck_assert_int_eq(e.http_status, 401);
	e = kind_of("unauthorized", 403, 1);
	ck_assert_int_eq(e.http_status, 403);
	e = kind_of("something broke", -1, 1);
	ck_assert_int_eq(e.http_status, -1);
}
END_TEST

START_TEST(retry_notices_of_codex_and_gemini_are_told)
{
	ck_assert(agent__is_retry("Reconnecting... 2/5 (unexpected status 500)"));
	ck_assert(agent__is_retry("Attempt 1 failed with status 500. Retrying with backoff..."));
	ck_assert(agent__is_retry("Attempt 10 failed: {\"error\":{}}. Max attempts reached"));
	ck_assert(!agent__is_retry("Reconnecting"));
	ck_assert(!agent__is_retry("Attempted a fix, failed"));
}
END_TEST

/* ---- pattern sets ----------------------------------------------------- */

START_TEST(a_pattern_set_compiles_once_and_matches)
{
	static struct agent__rx tab[] = { { "^a(b+)c", 0, NULL }, { "x", PCRE2_CASELESS, NULL } };
	static struct agent__rxset set = AGENT__RXSET(tab);
	pcre2_match_data *md = agent__rx_md();
	const char *p;
	int rc;

	ck_assert_ptr_nonnull(md);
	ck_assert_int_eq(agent__rx_compile(&set), 0);
	ck_assert_int_eq(agent__rx_compile(&set), 0);
	ck_assert_int_eq(rc = agent__rx_match(&set, 0, "abbc!", 5, md), 2);
	ck_assert_uint_eq(agent__rx_group(md, rc, 1, "abbc!", &p), 2);
	ck_assert_uint_eq(agent__rx_end(md), 4);
	ck_assert_int_eq(agent__rx_match(&set, 1, "X", 1, md), 1);
	ck_assert_int_eq(agent__rx_match(&set, 0, "ac", 2, md), 0);
	pcre2_match_data_free(md);
}
END_TEST

START_TEST(a_pattern_that_does_not_compile_fails_its_whole_set_loudly)
{
	static struct agent__rx tab[] = { { "fine", 0, NULL }, { "broken(", 0, NULL } };
	static struct agent__rxset set = AGENT__RXSET(tab);
	pcre2_match_data *md = agent__rx_md();

	errno = 0;
	ck_assert_int_eq(agent__rx_compile(&set), -1);
	ck_assert_int_eq(errno, EINVAL);
	ck_assert_int_eq(agent__rx_compile(&set), -1);
	/* none of it is used, not even the patterns that compiled */
	ck_assert_int_eq(agent__rx_match(&set, 0, "fine", 4, md), 0);
	pcre2_match_data_free(md);
}
END_TEST

START_TEST(every_dialects_patterns_compile)
{
	/* a parser is made only when its agent's patterns all compile */
	for (int d = 0; d < AGENT_D__MAX; d++) {
		struct agent_parser *p = agent_parser_new(d);

		ck_assert_msg(p != NULL, "%s: no parser", agent_dialect_info(d)->name);
		agent_parser_free(p);
	}
}
END_TEST

/* ---- times ------------------------------------------------------------ */

START_TEST(one_reader_of_iso_times_for_dialects_and_replay)
{
	size_t end;

	ck_assert_double_eq(agent__iso_time("2026-11-23T19:42:25Z"), 1795462945);
	ck_assert_double_eq_tol(agent__iso_time("2026-11-23T19:42:25.846Z"), 1795462945.846, 1e-6);
	/* an offset with or without its colon, a fraction after a comma */
	ck_assert_double_eq(agent__iso_time("2026-11-23T20:42:25+01:00"), 1795462945);
	ck_assert_double_eq(agent__iso_time("2026-11-23T20:42:25+0100"), 1795462945);
	ck_assert_double_eq_tol(agent__iso_time("2026-11-23 19:42:25,5"), 1795462945.5, 1e-6);
	/* a whole string is one time and nothing else; a prefix says where */
	ck_assert_double_eq(agent__iso_time("2026-11-23T19:42:25Z\""), -1);
	ck_assert_double_eq(agent__iso_time_at("2026-11-23T19:42:25Z\",", 22, &end), 1795462945);
	ck_assert_uint_eq(end, 20);
	ck_assert_double_eq(agent__iso_time("2026-13-23T19:42:25Z"), -1);
	ck_assert_double_eq(agent__iso_time("2026-11-23T19:42"), -1);
	ck_assert_double_eq(agent__iso_time(NULL), -1);
	ck_assert_double_eq(agent__iso_time_at("2026-11-23T19:42:25Z", 10, NULL), -1);
}
END_TEST

/* ---- the buffer ------------------------------------------------------- */

START_TEST(buffer_grows_stays_terminated_and_cuts_at_a_utf8_boundary)
{
	struct agent__buf b = { 0 };

	ck_assert_str_eq(agent__buf_str(&b), "");
	ck_assert_int_eq(agent__buf_add(&b, "ab", 2), 0);
	ck_assert_int_eq(agent__buf_add(&b, "", 0), 0);
	ck_assert_str_eq(agent__buf_str(&b), "ab");
	for (int i = 0; i < 1000; i++)
		ck_assert_int_eq(agent__buf_add(&b, "xyz", 3), 0);
	ck_assert_uint_eq(b.len, 3002);
	ck_assert_int_eq(agent__buf_set(&b, "\xc3\xa9t\xc3\xa9", 5), 0);
	/* a cap inside "é": the whole character goes */
	agent__buf_clear(&b);
	ck_assert_int_eq(agent__buf_add_max(&b, "a\xc3\xa9", 3, 2), 1);
	ck_assert_str_eq(agent__buf_str(&b), "a");
	ck_assert_int_eq(agent__buf_add_max(&b, "b", 1, 2), 0);
	ck_assert_int_eq(agent__buf_add_max(&b, "c", 1, 2), 1);
	ck_assert_str_eq(agent__buf_str(&b), "ab");
	agent__buf_free(&b);
	ck_assert_ptr_null(b.p);
	agent__buf_free(&b);
}
END_TEST

START_TEST(an_array_grows_by_doubling_and_keeps_its_elements)
{
	size_t cap = 0, n, *v = NULL, *nv;

	for (n = 0; n < 100; n++) {
		nv = agent__grow(v, &cap, n, sizeof *v);
		ck_assert_ptr_nonnull(nv);
		ck_assert_uint_gt(cap, n);
		if (n == 0)
			ck_assert_uint_eq(cap, 8);
		ck_assert(cap == 8 || cap == 16 || cap == 32 || cap == 64 || cap == 128);
		v = nv;
		v[n] = n * 7;
	}
	for (n = 0; n < 100; n++)
		ck_assert_uint_eq(v[n], n * 7);
	/* room left: the same array, the room unchanged */
	ck_assert_ptr_eq(agent__grow(v, &cap, 100, sizeof *v), v);
	ck_assert_uint_eq(cap, 128);
	/* a size that cannot be had: NULL, the array and its room as they were */
	size_t big = SIZE_MAX / 2;
	ck_assert_ptr_null(agent__grow(v, &big, big, sizeof *v));
	ck_assert_uint_eq(big, SIZE_MAX / 2);
	ck_assert_uint_eq(v[99], 99 * 7);
	free(v);
}
END_TEST

static Suite *
rules_suite(void)
{
	Suite *s = suite_create("dialect_rules");
	TCase *t = tcase_create("rules");

	tcase_add_test(t, tool_kinds_do_not_depend_on_case);
	tcase_add_test(t, tool_kinds_of_every_agent_are_known_to_every_format);
	tcase_add_test(t, a_limit_ends_the_run_only_when_final_else_it_is_an_error_notice);
	tcase_add_test(t, limit_wording_of_every_agent_is_a_limit);
	tcase_add_test(t, generic_reset_wording_gives_the_seconds_until_the_limit_resets);
	tcase_add_test(t, http_status_is_read_from_every_agents_wording);
	tcase_add_test(t, retry_after_is_seconds_or_an_http_date);
	tcase_add_test(t, reset_clock_is_the_next_such_minute_and_its_end);
	tcase_add_test(t, authentication_wording_means_401_when_no_status_is_named);
	tcase_add_test(t, retry_notices_of_codex_and_gemini_are_told);
	tcase_add_test(t, a_pattern_set_compiles_once_and_matches);
	tcase_add_test(t, a_pattern_that_does_not_compile_fails_its_whole_set_loudly);
	tcase_add_test(t, every_dialects_patterns_compile);
	tcase_add_test(t, one_reader_of_iso_times_for_dialects_and_replay);
	tcase_add_test(t, buffer_grows_stays_terminated_and_cuts_at_a_utf8_boundary);
	tcase_add_test(t, an_array_grows_by_doubling_and_keeps_its_elements);
	tcase_add_test(t, a_claude_shaped_result_is_done_by_one_rule_in_each_agent);
	suite_add_tcase(s, t);
	return s;
}

CHECK_MAIN(rules_suite)
