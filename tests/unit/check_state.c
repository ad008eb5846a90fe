/* check_state.c — every rule of the state classifier and the summary that
 * feeds it, without files or processes. */
#include <string.h>
#include "check_main.h"
#include "agent.h"

static struct agent_summary S;
static struct agent_facts F;

static void
setup(void)
{
	agent_summary_init(&S);
	memset(&F, 0, sizeof F);
	F.sum = &S;
	F.cpu_progress = -1;
	F.idle = 0;
	F.size = 100;
}

static void
ev(enum agent_ev_kind k, int final)
{
	struct agent_event e;
	agent_event_init(&e);
	e.kind = k;
	e.final = final;
	agent_summary_add(&S, &e);
}

static void
tool(enum agent_tool_status st)
{
	struct agent_event e;
	agent_event_init(&e);
	e.kind = AGENT_EV_TOOL;
	e.status = st;
	e.tool = "Bash";
	e.title = "sleep 60\nsecond line";
	e.tkind = AGENT_TK_SHELL;
	agent_summary_add(&S, &e);
}

static void
ended(int status)
{
	F.live = AGENT_LIVE_ENDED;
	F.exit_known = 1;
	F.exit_status = status;
}

#define IS(want) ck_assert_str_eq(agent_state_name(agent_state_classify(&F)), want)

START_TEST(done_signal_means_completed_even_after_a_kill)
{
	ev(AGENT_EV_DONE, 1);
	F.has_done = 1;
	ended(137);
	F.signaled = 1;
	IS("completed");
	F.live = AGENT_LIVE_ALIVE;  /* still exiting after its result line */
	IS("completed");
}
END_TEST

START_TEST(error_result_means_failed_whatever_the_exit)
{
	ev(AGENT_EV_ERROR, 1);
	F.has_done = 1;
	ended(0);
	IS("failed");
	ended(145);   /* gemini: HTTP 401 mod 256 */
	IS("failed");
}
END_TEST

static void
limit_at(double ts, double at, double in)
{
	struct agent_event e;
	agent_event_init(&e);
	e.kind = AGENT_EV_LIMIT;
	e.final = 1;
	e.ts = ts;
	e.resets_at = at;
	e.resets_in = in;
	agent_summary_add(&S, &e);
}

START_TEST(the_newest_limit_that_says_when_it_resets_is_the_one)
{
	ck_assert_double_eq(S.resets_at, -1);
	ck_assert_double_eq(S.resets_in, -1);
	limit_at(-1, 2000, -1);
	ck_assert_double_eq(S.resets_at, 2000);
	/* a later limit that does not say keeps what the last one said */
	limit_at(-1, -1, -1);
	ck_assert_double_eq(S.resets_at, 2000);
	/* relative, on a line with a time: absolute at once */
	limit_at(1000, -1, 30);
	ck_assert_double_eq(S.resets_at, 1030);
	ck_assert_double_eq(S.resets_in, -1);
	/* relative without a time: left for the reader, the old one dropped */
	limit_at(-1, -1, 60);
	ck_assert_double_eq(S.resets_at, -1);
	ck_assert_double_eq(S.resets_in, 60);
	limit_at(-1, 3000, -1);
	ck_assert_double_eq(S.resets_at, 3000);
	ck_assert_double_eq(S.resets_in, -1);
}
END_TEST

START_TEST(limit_result_means_limited)
{
	ev(AGENT_EV_LIMIT, 1);
	ended(1);
	IS("limited");
}
END_TEST

START_TEST(interrupt_means_cutoff_even_with_exit_0)
{
	ev(AGENT_EV_INTERRUPT, 1);
	F.has_done = 1;
	ended(0);
	IS("cut-off");
}
END_TEST

START_TEST(no_done_and_signal_status_means_cutoff)
{
	int sigs[] = { 129, 130, 131, 134, 137, 141, 142, 143 };
	F.has_done = 1;
	tool(AGENT_TOOL_RUNNING);
	for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++) {
		ended(sigs[i]);
		IS("cut-off");
	}
	F.has_done = 0;
	ended(143);
	IS("cut-off");
}
END_TEST

START_TEST(status_128_plus_n_that_is_no_stop_signal_means_failed)
{
	F.has_done = 1;
	ended(145);
	IS("failed");
	ended(173);
	IS("failed");
	ended(244);
	IS("failed");
}
END_TEST

START_TEST(signaled_flag_from_a_wait_status_means_cutoff)
{
	F.has_done = 1;
	ended(128 + 10);   /* SIGUSR1: not in the shell table, but a wait status says so */
	F.signaled = 1;
	IS("cut-off");
}
END_TEST

START_TEST(exit_0_without_done_in_a_format_that_has_one_means_cutoff)
{
	F.has_done = 1;
	tool(AGENT_TOOL_RUNNING);
	ended(0);
	IS("cut-off");
}
END_TEST

START_TEST(exit_0_in_a_format_without_done_means_completed)
{
	F.has_done = 0;
	ev(AGENT_EV_TEXT, 0);
	ended(0);
	IS("completed");
}
END_TEST

START_TEST(nonzero_exit_without_error_event_means_failed)
{
	F.has_done = 1;
	ended(1);
	IS("failed");
	F.has_done = 0;
	IS("failed");
}
END_TEST

START_TEST(pending_error_then_exit_0_means_failed)
{
	F.has_done = 1;
	ev(AGENT_EV_ERROR, 0);      /* permission auto-rejected */
	tool(AGENT_TOOL_ERROR);
	ev(AGENT_EV_STEP, 0);
	ended(0);
	IS("failed");
}
END_TEST

START_TEST(a_limit_notice_is_pending_like_any_error_notice)
{
	/* every dialect makes a limit that did not end the run an ERROR;
	 * one that says LIMIT all the same is weighed the same way */
	F.has_done = 1;
	ev(AGENT_EV_LIMIT, 0);
	ended(0);
	IS("failed");
	ck_assert_int_eq(S.errors, 1);
}
END_TEST

START_TEST(error_followed_by_text_is_no_longer_pending)
{
	F.has_done = 1;
	ev(AGENT_EV_ERROR, 0);      /* a retry notice */
	ev(AGENT_EV_TEXT, 0);
	ended(0);
	IS("cut-off");
}
END_TEST

START_TEST(retry_notices_then_killed_means_cutoff)
{
	F.has_done = 1;
	ev(AGENT_EV_ERROR, 0);
	ev(AGENT_EV_ERROR, 0);
	ended(143);
	IS("cut-off");
}
END_TEST

START_TEST(killed_on_request_means_cutoff)
{
	F.has_done = 1;
	F.live = AGENT_LIVE_ENDED;
	F.killed = 1;
	IS("cut-off");
}
END_TEST

static void
done_at(double ts)
{
	struct agent_event e;
	agent_event_init(&e);
	e.kind = AGENT_EV_DONE;
	e.final = 1;
	e.ts = ts;
	agent_summary_add(&S, &e);
}

/* Factory Droid, its tool stopped by agent-kill's TERM, goes on to its
 * completion: written after the kill, it is not the end of the task. */
START_TEST(a_completion_written_after_agent_kill_marked_the_run_is_cutoff)
{
	char why[256];

	F.has_done = 1;
	F.killed_at = 1796055336.100;
	done_at(1796055336.592);
	ended(0);
	F.killed = 1;
	IS("cut-off");
	agent_state_reason(&F, agent_state_classify(&F), why, sizeof why);
	ck_assert_str_eq(why, "stopped by agent-kill, the agent's completion came after it; exit 0");
	/* while agent-kill is still stopping it, too */
	F.live = AGENT_LIVE_ALIVE;
	F.killed = 0;
	IS("cut-off");
	/* at the very moment of the mark: after it */
	setup();
	F.has_done = 1;
	F.killed_at = 1796055336.592;
	done_at(1796055336.592);
	ended(143);
	IS("cut-off");
}
END_TEST

START_TEST(a_completion_before_the_kill_or_without_a_time_stays_completed)
{
	F.has_done = 1;
	F.killed_at = 1796055336.600;
	done_at(1796055336.592);     /* done, then killed while exiting */
	ended(143);
	F.killed = 1;
	IS("completed");
	setup();
	F.has_done = 1;
	F.killed_at = 1796055336.600;
	done_at(-1);                 /* claude's result line has no time */
	ended(143);
	F.killed = 1;
	IS("completed");
	setup();
	F.has_done = 1;
	done_at(1796055336.592);     /* not killed */
	ended(0);
	IS("completed");
	/* an error after the kill stays the error it is */
	setup();
	F.has_done = 1;
	F.killed_at = 1;
	ev(AGENT_EV_ERROR, 1);
	ended(1);
	IS("failed");
}
END_TEST

START_TEST(work_after_a_final_event_reopens_the_run)
{
	F.has_done = 1;
	ev(AGENT_EV_DONE, 1);
	ev(AGENT_EV_SESSION, 0);    /* a resume appended to the same log */
	tool(AGENT_TOOL_RUNNING);
	ended(143);
	IS("cut-off");
	ck_assert_int_eq(S.terminal, AGENT_EV_NONE);
}
END_TEST

START_TEST(text_after_done_keeps_the_verdict)
{
	F.has_done = 1;
	ev(AGENT_EV_DONE, 1);
	ev(AGENT_EV_TEXT, 0);       /* codex text repeats its last message */
	ended(0);
	IS("completed");
}
END_TEST

START_TEST(non_final_error_does_not_end_the_run)
{
	ev(AGENT_EV_ERROR, 0);
	F.live = AGENT_LIVE_ALIVE;
	IS("running");
}
END_TEST

START_TEST(alive_with_output_is_running)
{
	F.live = AGENT_LIVE_ALIVE;
	F.idle = 10;
	IS("running");
}
END_TEST

START_TEST(alive_without_output_is_starting)
{
	F.live = AGENT_LIVE_ALIVE;
	F.size = 0;
	IS("starting");
}
END_TEST

START_TEST(alive_idle_past_threshold_without_cpu_is_stuck)
{
	F.live = AGENT_LIVE_ALIVE;
	F.idle = 301;
	F.cpu_progress = 0;
	IS("stuck");
	F.cpu_progress = -1;        /* unknown CPU: idleness decides */
	IS("stuck");
	F.size = 0;                 /* never printed anything */
	IS("stuck");
}
END_TEST

START_TEST(alive_idle_but_using_cpu_is_running)
{
	F.live = AGENT_LIVE_ALIVE;
	F.idle = 1000;
	F.cpu_progress = 1;
	IS("running");
}
END_TEST

START_TEST(stuck_after_threshold_is_honoured)
{
	F.live = AGENT_LIVE_ALIVE;
	F.idle = 5;
	F.stuck_after = 2;
	F.cpu_progress = 0;
	IS("stuck");
	F.stuck_after = 10;
	IS("running");
	F.stuck_after = 0;          /* default 300 s */
	IS("running");
}
END_TEST

START_TEST(ended_without_exit_status_weighs_content_only)
{
	F.live = AGENT_LIVE_ENDED;
	F.has_done = 1;
	IS("cut-off");
	F.has_done = 0;
	ev(AGENT_EV_TEXT, 0);
	IS("completed");
	ev(AGENT_EV_ERROR, 0);
	IS("failed");
}
END_TEST

START_TEST(unknown_liveness_is_judged_as_ended)
{
	F.live = AGENT_LIVE_UNKNOWN;
	F.has_done = 1;
	IS("cut-off");
}
END_TEST

START_TEST(empty_log_killed_is_cutoff_and_exit_1_is_failed)
{
	F.size = 0;
	F.has_done = 1;
	ended(143);
	IS("cut-off");
	ended(1);
	IS("failed");
}
END_TEST

START_TEST(empty_ended_log_without_exit_status_is_cutoff_not_completed)
{
	/* claude -p (text, json) and opencode --format json print nothing
	 * when cut off; a finished run prints at least its answer */
	char why[256];
	F.size = 0;
	F.live = AGENT_LIVE_ENDED;
	IS("cut-off");
	agent_state_reason(&F, AGENT_ST_CUTOFF, why, sizeof why);
	ck_assert_str_eq(why, "no output at all; exit status unknown");
	F.live = AGENT_LIVE_UNKNOWN;
	IS("cut-off");
	/* the exit status, when known, still decides */
	ended(0);
	IS("completed");
	/* and alive, it is starting */
	F.exit_known = 0;
	F.live = AGENT_LIVE_ALIVE;
	IS("starting");
}
END_TEST

START_TEST(output_without_any_event_and_exit_0_is_cutoff)
{
	/* gemini -p stopped before its answer: only its warnings, exit 0 */
	F.has_done = 0;
	ended(0);
	IS("completed");   /* in a format where output is not only the answer */
	F.needs_answer = 1;
	IS("cut-off");
	F.exit_known = 0;
	IS("cut-off");
	/* a signal or a failure says more */
	ended(1);
	IS("failed");
	/* the answer makes it complete */
	ended(0);
	ev(AGENT_EV_TEXT, 0);
	IS("completed");
}
END_TEST

START_TEST(names_exits_and_finality_are_one_table)
{
	const char *want[] = { "starting", "running", "stuck", "completed",
		"cut-off", "failed", "limited" };
	int exits[] = { 6, 5, 4, 0, 2, 1, 3 };
	int final[] = { 0, 0, 0, 1, 1, 1, 1 };
	for (int i = 0; i < AGENT_ST__MAX; i++) {
		ck_assert_str_eq(agent_state_name(i), want[i]);
		ck_assert_int_eq(agent_state_lookup(want[i]), i);
		ck_assert_int_eq(agent_state_exit(i), exits[i]);
		ck_assert_int_eq(agent_state_final(i), final[i]);
		ck_assert_int_lt(agent_state_exit(i), AGENT_EXIT_USAGE);
	}
	ck_assert_int_eq(agent_state_lookup("bogus"), -1);
}
END_TEST

START_TEST(summary_keeps_first_session_last_tool_and_open_count)
{
	struct agent_event e;
	agent_event_init(&e);
	e.kind = AGENT_EV_SESSION;
	e.session = "ses_a";
	agent_summary_add(&S, &e);
	e.session = "ses_b";
	agent_summary_add(&S, &e);
	ck_assert_str_eq(S.session, "ses_a");
	tool(AGENT_TOOL_RUNNING);
	ck_assert_int_eq(S.open_tools, 1);
	ck_assert_str_eq(S.last_tool, "Bash sleep 60");
	tool(AGENT_TOOL_ERROR);
	ck_assert_int_eq(S.open_tools, 0);
	ck_assert_int_eq(S.tool_errors, 1);
	tool(AGENT_TOOL_COMPLETED);   /* unmatched end never goes negative */
	ck_assert_int_eq(S.open_tools, 0);
}
END_TEST

START_TEST(summary_adds_step_tokens_and_takes_run_totals)
{
	struct agent_event e;
	agent_event_init(&e);
	e.kind = AGENT_EV_DONE;
	e.final = 1;
	e.tokens_in = 100;
	e.tokens_out = 10;
	e.cost = 0.5;
	agent_summary_add(&S, &e);       /* claude: the total */
	ck_assert_int_eq(S.tokens_in, 100);
	ck_assert(S.cost == 0.5);

	agent_summary_init(&S);
	e.kind = AGENT_EV_STEP;
	e.final = 0;
	agent_summary_add(&S, &e);       /* opencode: per step */
	e.kind = AGENT_EV_DONE;
	e.final = 1;
	agent_summary_add(&S, &e);
	ck_assert_int_eq(S.tokens_in, 200);
	ck_assert_int_eq(S.tokens_out, 20);
	ck_assert(S.cost == 1.0);
}
END_TEST

START_TEST(reason_names_the_evidence)
{
	char buf[256];
	F.has_done = 1;
	ended(143);
	agent_state_reason(&F, agent_state_classify(&F), buf, sizeof buf);
	ck_assert_str_eq(buf, "no completion signal; exit 143 (signal 15)");
	setup();
	struct agent_event e;
	agent_event_init(&e);
	e.kind = AGENT_EV_ERROR;
	e.final = 1;
	e.text = "Invalid API key";
	agent_summary_add(&S, &e);
	ended(1);
	agent_state_reason(&F, agent_state_classify(&F), buf, sizeof buf);
	ck_assert_str_eq(buf, "error: Invalid API key");
	/* nothing printed (droid's resume without a Factory login) */
	setup();
	F.has_done = 1;
	F.size = 0;
	ended(1);
	agent_state_reason(&F, agent_state_classify(&F), buf, sizeof buf);
	ck_assert_str_eq(buf, "no output at all; exit 1");
}
END_TEST

/* Copilot's and Qwen Code's launchers end on a TERM their child does not
 * get: the child finishes the turn, the exit status is the launcher's. */
START_TEST(reason_says_how_long_a_launchers_child_went_on)
{
	char buf[256];
	struct agent_event e;

	agent_event_init(&e);
	e.kind = AGENT_EV_DONE;
	e.final = 1;
	agent_summary_add(&S, &e);
	F.has_done = 1;
	ended(143);
	F.outlived = 61.2;
	ck_assert_int_eq(agent_state_classify(&F), AGENT_ST_COMPLETED);
	agent_state_reason(&F, AGENT_ST_COMPLETED, buf, sizeof buf);
	ck_assert_str_eq(buf, "the agent's completion signal; exit 143 (signal 15), "
	    "and its children went on 61s after it");
	F.outlived = 0.4;    /* a child reaped in the same moment says nothing */
	agent_state_reason(&F, AGENT_ST_COMPLETED, buf, sizeof buf);
	ck_assert_str_eq(buf, "the agent's completion signal; exit 143 (signal 15)");
}
END_TEST

static Suite *
state_suite(void)
{
	Suite *s = suite_create("state");
	TCase *tc = tcase_create("classify");
	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_test(tc, done_signal_means_completed_even_after_a_kill);
	tcase_add_test(tc, error_result_means_failed_whatever_the_exit);
	tcase_add_test(tc, limit_result_means_limited);
	tcase_add_test(tc, the_newest_limit_that_says_when_it_resets_is_the_one);
	tcase_add_test(tc, interrupt_means_cutoff_even_with_exit_0);
	tcase_add_test(tc, no_done_and_signal_status_means_cutoff);
	tcase_add_test(tc, status_128_plus_n_that_is_no_stop_signal_means_failed);
	tcase_add_test(tc, signaled_flag_from_a_wait_status_means_cutoff);
	tcase_add_test(tc, exit_0_without_done_in_a_format_that_has_one_means_cutoff);
	tcase_add_test(tc, exit_0_in_a_format_without_done_means_completed);
	tcase_add_test(tc, nonzero_exit_without_error_event_means_failed);
	tcase_add_test(tc, pending_error_then_exit_0_means_failed);
	tcase_add_test(tc, error_followed_by_text_is_no_longer_pending);
	tcase_add_test(tc, a_limit_notice_is_pending_like_any_error_notice);
	tcase_add_test(tc, retry_notices_then_killed_means_cutoff);
	tcase_add_test(tc, killed_on_request_means_cutoff);
	tcase_add_test(tc, a_completion_written_after_agent_kill_marked_the_run_is_cutoff);
	tcase_add_test(tc, a_completion_before_the_kill_or_without_a_time_stays_completed);
	tcase_add_test(tc, work_after_a_final_event_reopens_the_run);
	tcase_add_test(tc, text_after_done_keeps_the_verdict);
	tcase_add_test(tc, non_final_error_does_not_end_the_run);
	tcase_add_test(tc, alive_with_output_is_running);
	tcase_add_test(tc, alive_without_output_is_starting);
	tcase_add_test(tc, alive_idle_past_threshold_without_cpu_is_stuck);
	tcase_add_test(tc, alive_idle_but_using_cpu_is_running);
	tcase_add_test(tc, stuck_after_threshold_is_honoured);
	tcase_add_test(tc, ended_without_exit_status_weighs_content_only);
	tcase_add_test(tc, unknown_liveness_is_judged_as_ended);
	tcase_add_test(tc, empty_log_killed_is_cutoff_and_exit_1_is_failed);
	tcase_add_test(tc, empty_ended_log_without_exit_status_is_cutoff_not_completed);
	tcase_add_test(tc, output_without_any_event_and_exit_0_is_cutoff);
	tcase_add_test(tc, names_exits_and_finality_are_one_table);
	tcase_add_test(tc, summary_keeps_first_session_last_tool_and_open_count);
	tcase_add_test(tc, summary_adds_step_tokens_and_takes_run_totals);
	tcase_add_test(tc, reason_names_the_evidence);
	tcase_add_test(tc, reason_says_how_long_a_launchers_child_went_on);
	suite_add_tcase(s, tc);
	return s;
}

CHECK_MAIN(state_suite)
