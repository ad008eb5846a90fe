/* check_replay.c — the replay agent's pure parts: recorded line times in
 * every form the agents write, continuation names, manifest statuses. */
#include <stdlib.h>
#include <string.h>
#include "check_main.h"
#include "replay.h"

static double
t(const char *s)
{
	return agent_replay_line_time(s, strlen(s));
}

START_TEST(epoch_milliseconds)
{
	/* opencode --format json */
	ck_assert_double_eq_tol(t("{\"type\":\"text\",\"timestamp\":1795463071175,\"x\":1}"),
	                        1795463071.175, 1e-6);
	ck_assert_double_eq_tol(t("{\"timestamp\" : 1795463071}"), 1795463071, 1e-6);
}
END_TEST

START_TEST(iso_8601)
{
	/* Claude Code user lines, Gemini CLI every line */
	ck_assert_double_eq_tol(t("{\"type\":\"user\",\"timestamp\":\"2026-11-23T19:42:25.846Z\"}"),
	                        1795462945.846, 1e-6);
	ck_assert_double_eq_tol(t("{\"timestamp\":\"1970-01-01T00:00:10Z\"}"), 10, 1e-9);
	ck_assert_double_eq_tol(t("{\"timestamp\":\"1970-01-01T01:00:10+01:00\"}"), 10, 1e-9);
	ck_assert_double_eq_tol(t("{\"timestamp\":\"1970-01-01T00:00:10-00:30\"}"), 1810, 1e-9);
}
END_TEST

START_TEST(omo_clock_prefix)
{
	ck_assert_double_eq_tol(t("[19:50:14] Starting server on port 4096"), 71414, 1e-9);
	ck_assert_double_eq_tol(t("[00:00:00] "), 0, 1e-9);
}
END_TEST

START_TEST(lines_without_a_time)
{
	ck_assert(t("{\"type\":\"turn.started\"}") < 0);
	ck_assert(t("[MAIN] session.status: busy") < 0);
	ck_assert(t("[25:00:00] x") < 0);
	ck_assert(t("{\"timestamp\":\"yesterday\"}") < 0);
	ck_assert(t("{\"timestamp\":null}") < 0);
	ck_assert(t("{\"timestamp\":\"2026-11-23") < 0);
	ck_assert(t("") < 0);
	/* An escaped key inside a string is not the line's time. */
	ck_assert(t("{\"text\":\"say \\\"timestamp\\\":5\"}") < 0);
	ck_assert(agent_replay_line_time("\"timestamp\":12", 3) < 0);
}
END_TEST

START_TEST(continuation_names)
{
	char *s = agent_replay_continuation("/r/claude-cutoff.log");
	ck_assert_str_eq(s, "/r/claude-cutoff.resume.log");
	free(s);
	s = agent_replay_continuation("run.jsonl");
	ck_assert_str_eq(s, "run.jsonl.resume");
	free(s);
	s = agent_replay_continuation(".log");
	ck_assert_str_eq(s, ".log.resume");
	free(s);
}
END_TEST

START_TEST(manifest_gives_the_status)
{
	int st = -1;
	ck_assert_int_eq(agent_replay_manifest_status(FIXTURES "/claude/stream-json-cutoff-sigterm.log", &st), 1);
	ck_assert_int_eq(st, 143);
	ck_assert_int_eq(agent_replay_manifest_status(FIXTURES "/gemini/stream-json-err401.log", &st), 1);
	ck_assert_int_eq(st, 145);
	ck_assert_int_eq(agent_replay_manifest_status(FIXTURES "/claude/../omo/happy.log", &st), 1);
	ck_assert_int_eq(st, 0);
	ck_assert_int_eq(agent_replay_manifest_status(FIXTURES "/MANIFEST.tsv", &st), 0);
	ck_assert_int_eq(agent_replay_manifest_status(FIXTURES "/nosuch.log", &st), -1);
}
END_TEST

static Suite *
replay_suite(void)
{
	Suite *s = suite_create("replay");
	TCase *tc = tcase_create("replay");
	tcase_add_test(tc, epoch_milliseconds);
	tcase_add_test(tc, iso_8601);
	tcase_add_test(tc, omo_clock_prefix);
	tcase_add_test(tc, lines_without_a_time);
	tcase_add_test(tc, continuation_names);
	tcase_add_test(tc, manifest_gives_the_status);
	suite_add_tcase(s, tc);
	return s;
}

CHECK_MAIN(replay_suite)
