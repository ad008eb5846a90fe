/* check_dialect_generic.c — a log no agent's cue names: every line is
 * text, but for the wording and session markers only one agent prints. */
#include "dialect_test.h"

START_TEST(plain_generic_does_not_invent_errors_from_text)
{
	struct evlog l = { 0 };
	feed_str(AGENT_D_GENERIC, "Error: the build failed\nERROR: x\nfailed\n", &l);
	ck_assert_int_eq(count(&l, AGENT_EV_TEXT), 3);
	ck_assert_int_eq(count(&l, AGENT_EV_ERROR), 0);
	evlog_free(&l);
	feed_str(AGENT_D_GENERIC, "[session.error] Incorrect API key provided: x\n", &l);
	ck_assert_int_eq(l.v[0].e.kind, AGENT_EV_ERROR);
	ck_assert_int_eq(l.v[0].e.final, 1);
	evlog_free(&l);
}
END_TEST

START_TEST(plain_generic_finds_session_markers_of_every_agent)
{
	struct evlog l = { 0 };
	char buf[64];
	feed_str(AGENT_D_GENERIC, "[19:48:45] Session: ses_df60bda3bffeXCkoDZ48rADnTM\n"
	                          "session id: 01a209f9-6da9-72e0-9602-0d3ba67cb8ef\n", &l);
	ck_assert_int_eq(count(&l, AGENT_EV_SESSION), 2);
	ck_assert_str_eq(nth(&l, AGENT_EV_SESSION, 0)->session, "ses_df60bda3bffeXCkoDZ48rADnTM");
	ck_assert_str_eq(nth(&l, AGENT_EV_SESSION, 1)->session, "01a209f9-6da9-72e0-9602-0d3ba67cb8ef");
	evlog_free(&l);
	const char *j = "{\"type\":\"init\",\"session_id\":\"2e55092e-0dc0-4aad-b96b-e0e34de53683\"}";
	ck_assert_uint_eq(agent_session_in_line(AGENT_D_GENERIC, j, strlen(j), buf, sizeof buf), 36);
	ck_assert_str_eq(buf, "2e55092e-0dc0-4aad-b96b-e0e34de53683");
	ck_assert_uint_eq(agent_session_in_line(AGENT_D_GENERIC, "hello", 5, buf, sizeof buf), 0);
}
END_TEST

static Suite *
generic_suite(void)
{
	Suite *s = suite_create("dialect_generic");
	TCase *tc = tcase_create("generic");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, plain_generic_does_not_invent_errors_from_text);
	tcase_add_test(tc, plain_generic_finds_session_markers_of_every_agent);
	suite_add_tcase(s, tc);
	return s;
}

CHECK_MAIN(generic_suite)
