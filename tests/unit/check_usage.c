/* check_usage.c — tokens and cost: adding figures up, and a chain's runs
 * folded into each one's own figures, every way an agent reports them;
 * and each agent's real log read for them (agent_input_usage). */
#include <math.h>
#include <string.h>
#include "check_main.h"
#include "agent.h"

static struct agent_usage
fig(long long in, long long out, double cost)
{
	struct agent_usage u = { in, out, cost };
	return u;
}

static void
is_fig(const struct agent_usage *u, long long in, long long out, double cost)
{
	ck_assert_int_eq(u->tokens_in, in);
	ck_assert_int_eq(u->tokens_out, out);
	if (cost < 0)
		ck_assert(u->cost < 0);
	else
		ck_assert(fabs(u->cost - cost) < 1e-9);
}

START_TEST(unknown_adds_nothing_and_a_sum_is_known_once_a_term_is)
{
	struct agent_usage acc, u;

	agent_usage_init(&acc);
	ck_assert(!agent_usage_known(&acc));
	u = fig(-1, -1, -1);
	agent_usage_add(&acc, &u);
	is_fig(&acc, -1, -1, -1);
	u = fig(10, -1, -1);
	agent_usage_add(&acc, &u);
	is_fig(&acc, 10, -1, -1);
	ck_assert(agent_usage_known(&acc));
	u = fig(5, 7, 0.25);
	agent_usage_add(&acc, &u);
	is_fig(&acc, 15, 7, 0.25);
}
END_TEST

START_TEST(run_and_step_figures_are_each_runs_own)
{
	struct agent_usage_fold f;
	struct agent_usage own, a = fig(7677, 78, 0.040335), b = fig(2107, 11, 0.01081);

	agent_usage_fold_init(&f);
	agent_usage_fold(&f, AGENT_USAGE_RUN, "s1", &a, &own);
	is_fig(&own, 7677, 78, 0.040335);
	agent_usage_fold(&f, AGENT_USAGE_RUN, "s1", &b, &own);
	is_fig(&own, 2107, 11, 0.01081);
	is_fig(&f.chain, 9784, 89, 0.051145);
	ck_assert_int_eq(f.runs, 2);

	agent_usage_fold_init(&f);
	agent_usage_fold(&f, AGENT_USAGE_STEP, "s", &a, &own);
	agent_usage_fold(&f, AGENT_USAGE_STEP, "s", &b, &own);
	is_fig(&own, 2107, 11, 0.01081);
}
END_TEST

START_TEST(a_session_total_less_the_run_before_is_the_runs_own)
{
	struct agent_usage_fold f;
	struct agent_usage own, a = fig(29096, 332, -1), cut = fig(-1, -1, -1),
	    b = fig(36655, 394, -1), other = fig(100, 1, -1);

	agent_usage_fold_init(&f);
	agent_usage_fold(&f, AGENT_USAGE_SESSION, "t", &a, &own);
	is_fig(&own, 29096, 332, -1);
	/* a run cut off before it reported: unknown, and the total stays */
	agent_usage_fold(&f, AGENT_USAGE_SESSION, "t", &cut, &own);
	is_fig(&own, -1, -1, -1);
	agent_usage_fold(&f, AGENT_USAGE_SESSION, "t", &b, &own);
	is_fig(&own, 7559, 62, -1);
	is_fig(&f.chain, 36655, 394, -1);
	ck_assert_int_eq(f.runs, 3);
	/* another session's total is not this one's to subtract */
	agent_usage_fold(&f, AGENT_USAGE_SESSION, "u", &other, &own);
	is_fig(&own, 100, 1, -1);
	/* a total that went down says nothing: never below zero */
	agent_usage_fold(&f, AGENT_USAGE_SESSION, "u", &a, &own);
	is_fig(&own, 28996, 331, -1);
	a = fig(50, 0, -1);
	agent_usage_fold(&f, AGENT_USAGE_SESSION, "u", &a, &own);
	is_fig(&own, 0, 0, -1);
}
END_TEST

/* What agent_input_state and agent_input_usage read from a fixture. */
static struct agent_usage
read_fixture(const char *rel)
{
	struct agent_input in;
	struct agent_input_opts o;
	struct agent_summary sum;
	struct agent_facts f;
	struct agent_usage u;
	enum agent_state st;
	const char *what;
	char path[4096];

	snprintf(path, sizeof path, "%s/%s", FIXTURES, rel);
	memset(&o, 0, sizeof o);
	o.exit_known = 1;
	ck_assert_int_eq(agent_input_open(&in, path, -1, &what), 0);
	ck_assert_int_eq(agent_input_state(&in, &o, &sum, &f, &st), 0);
	ck_assert_int_eq(agent_input_usage(&in, &sum, &u), 0);
	agent_input_close(&in);
	return u;
}

START_TEST(each_agents_log_gives_its_figures)
{
	struct agent_usage u;

	u = read_fixture("claude/stream-json-happy.log");
	is_fig(&u, 7677, 78, 0.040334999999999996);
	u = read_fixture("claude/json-happy.log");
	is_fig(&u, 7684, 80, 0.04042);
	u = read_fixture("codex/exec-json-resume.log");
	is_fig(&u, 36655, 394, -1);
	u = read_fixture("opencode/json-happy.log");
	is_fig(&u, 5000, 125, 0);
	u = read_fixture("gemini/stream-json-happy.log");
	is_fig(&u, 48258, 147, -1);
	/* a cut-off Claude run has no result: nothing is made up */
	u = read_fixture("claude/stream-json-cutoff-sigterm.log");
	is_fig(&u, -1, -1, -1);
}
END_TEST

START_TEST(each_agent_says_how_it_reports)
{
	ck_assert_int_eq(agent_dialect_usage(AGENT_D_CLAUDE_STREAM), AGENT_USAGE_RUN);
	ck_assert_int_eq(agent_dialect_usage(AGENT_D_CLAUDE_JSON), AGENT_USAGE_RUN);
	ck_assert_int_eq(agent_dialect_usage(AGENT_D_CODEX_JSON), AGENT_USAGE_SESSION);
	ck_assert_int_eq(agent_dialect_usage(AGENT_D_OPENCODE_JSON), AGENT_USAGE_STEP);
	ck_assert_int_eq(agent_dialect_usage(AGENT_D_GEMINI_STREAM), AGENT_USAGE_RUN);
	ck_assert_int_eq(agent_dialect_usage(AGENT_D_GENERIC), AGENT_USAGE_NONE);
	ck_assert_int_eq(agent_dialect_usage(AGENT_D__MAX), AGENT_USAGE_NONE);
}
END_TEST

static Suite *
usage_suite(void)
{
	Suite *s = suite_create("usage");
	TCase *tc = tcase_create("usage");
	tcase_add_test(tc, unknown_adds_nothing_and_a_sum_is_known_once_a_term_is);
	tcase_add_test(tc, run_and_step_figures_are_each_runs_own);
	tcase_add_test(tc, a_session_total_less_the_run_before_is_the_runs_own);
	tcase_add_test(tc, each_agents_log_gives_its_figures);
	tcase_add_test(tc, each_agent_says_how_it_reports);
	suite_add_tcase(s, tc);
	return s;
}

CHECK_MAIN(usage_suite)
