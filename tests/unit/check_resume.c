/* check_resume.c — agent-resume's library parts: the drafted prompt, the
 * lineage count over parent records, and shell quoting. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <fcntl.h>
#include <sys/stat.h>
#include "check_main.h"
#include "resume.h"
#include "run_int.h"

static void
has(const char *s, const char *want)
{
	ck_assert_msg(strstr(s, want) != NULL, "'%s' lacks '%s'", s, want);
}

static void
lacks(const char *s, const char *bad)
{
	ck_assert_msg(strstr(s, bad) == NULL, "'%s' holds '%s'", s, bad);
}

START_TEST(cut_off_prompt_names_the_tool_in_flight)
{
	struct agent_summary sum;
	agent_summary_init(&sum);
	snprintf(sum.last_tool, sizeof sum.last_tool, "Bash sleep 60");
	sum.last_tool_status = AGENT_TOOL_RUNNING;
	char *p = agent_resume_prompt(AGENT_ST_CUTOFF, &sum);
	ck_assert_ptr_nonnull(p);
	has(p, "cut off");
	has(p, "in flight");
	has(p, "Bash sleep 60");
	has(p, "check the work already done");
	has(p, "do not redo");
	has(p, "whether it did before running it again");
	free(p);
}
END_TEST

START_TEST(stuck_prompt_says_it_stalled_and_to_bound_the_hung_call)
{
	struct agent_summary sum;
	agent_summary_init(&sum);
	snprintf(sum.last_tool, sizeof sum.last_tool, "Bash npm test");
	sum.last_tool_status = AGENT_TOOL_RUNNING;
	snprintf(sum.last_error, sizeof sum.last_error, "retrying in 2s");
	char *p = agent_resume_prompt(AGENT_ST_STUCK, &sum);
	ck_assert_ptr_nonnull(p);
	has(p, "stalled");
	has(p, "in flight");
	has(p, "Bash npm test");
	has(p, "may be what hung");
	has(p, "check the work already done");
	lacks(p, "retrying in 2s");   /* a notice while stalled is no cause */
	free(p);
	/* the hint belongs to a stall only */
	p = agent_resume_prompt(AGENT_ST_CUTOFF, &sum);
	lacks(p, "may be what hung");
	free(p);
}
END_TEST

START_TEST(finished_tool_is_the_last_call_not_in_flight)
{
	struct agent_summary sum;
	agent_summary_init(&sum);
	snprintf(sum.last_tool, sizeof sum.last_tool, "Read input.txt");
	sum.last_tool_status = AGENT_TOOL_COMPLETED;
	char *p = agent_resume_prompt(AGENT_ST_CUTOFF, &sum);
	has(p, "The last tool call was: Read input.txt.");
	lacks(p, "in flight");
	free(p);
	sum.last_tool_status = AGENT_TOOL_ERROR;
	p = agent_resume_prompt(AGENT_ST_CUTOFF, &sum);
	has(p, "which failed, was: Read input.txt.");
	free(p);
}
END_TEST

START_TEST(no_tool_no_tool_line)
{
	struct agent_summary sum;
	agent_summary_init(&sum);
	char *p = agent_resume_prompt(AGENT_ST_CUTOFF, &sum);
	lacks(p, "tool call");
	has(p, "continue with what is left");
	free(p);
	p = agent_resume_prompt(AGENT_ST_CUTOFF, NULL);
	ck_assert_ptr_nonnull(p);
	free(p);
}
END_TEST

START_TEST(failed_and_limited_say_why)
{
	struct agent_summary sum;
	agent_summary_init(&sum);
	snprintf(sum.last_error, sizeof sum.last_error, "Invalid API key");
	char *p = agent_resume_prompt(AGENT_ST_FAILED, &sum);
	has(p, "stopped on an error");
	has(p, "The error was: Invalid API key");
	free(p);
	p = agent_resume_prompt(AGENT_ST_LIMITED, &sum);
	has(p, "rate limit");
	free(p);
	p = agent_resume_prompt(AGENT_ST_COMPLETED, &sum);
	has(p, "reported that it was done");
	free(p);
}
END_TEST

START_TEST(log_text_in_the_prompt_is_terminal_safe)
{
	struct agent_summary sum;
	agent_summary_init(&sum);
	snprintf(sum.last_tool, sizeof sum.last_tool, "Bash printf '\x1b]0;pwned\x07'");
	sum.last_tool_status = AGENT_TOOL_RUNNING;
	snprintf(sum.last_error, sizeof sum.last_error, "bad\x1b[2J");
	char *p = agent_resume_prompt(AGENT_ST_FAILED, &sum);
	lacks(p, "\x1b");
	lacks(p, "\x07");
	has(p, "\\e]0;pwned\\x07");
	has(p, "bad\\e[2J");
	free(p);
}
END_TEST

static void
is_quoted(const char *in, const char *want)
{
	char *q = agent_shell_quote(in);
	ck_assert_ptr_nonnull(q);
	ck_assert_str_eq(q, want);
	free(q);
}

START_TEST(quoting)
{
	is_quoted("claude", "claude");
	is_quoted("--output-format=stream-json", "--output-format=stream-json");
	is_quoted("/a/b_c.d@e%f+g:h,i", "/a/b_c.d@e%f+g:h,i");
	is_quoted("", "''");
	is_quoted("two words", "'two words'");
	is_quoted("it's", "'it'\\''s'");
	is_quoted("$HOME `id` ; rm *", "'$HOME `id` ; rm *'");
	is_quoted("line1\nline2\ttab", "'line1\nline2\ttab'");
	is_quoted("caf\xc3\xa9", "'caf\xc3\xa9'");
	is_quoted("a\x1b[31mb", "'a'\"$(printf '\\033')\"'[31mb'");
	is_quoted("it's\n\x07", "'it'\\''s\n'\"$(printf '\\007')\"");
	is_quoted("back\\slash\r", "'back\\slash'\"$(printf '\\015')\"");
	is_quoted("bad\xff", "'bad'\"$(printf '\\377')\"");
	is_quoted("\xc2\x9b" "2J", "\"$(printf '\\302\\233')\"'2J'");   /* C1 CSI */
	is_quoted("caf\xc3\xa9\x07", "'caf\xc3\xa9'\"$(printf '\\007')\"");
}
END_TEST

/* What /bin/sh (dash on Debian) makes of printf '%s' QUOTED. */
static char *
shell_reads(const char *quoted)
{
	static char got[256];
	char cmd[1024];
	size_t n;
	FILE *p;

	snprintf(cmd, sizeof cmd, "printf '%%s' %s", quoted);
	ck_assert_ptr_nonnull(p = popen(cmd, "r"));
	n = fread(got, 1, sizeof got - 1, p);
	got[n] = '\0';
	ck_assert_int_eq(pclose(p), 0);
	return got;
}

START_TEST(quoted_words_read_back_in_a_posix_shell)
{
	static const char *const words[] = {
		"plain", "", "two words", "it's", "'", "''", "a\\b", "$HOME `id`",
		"line1\nline2\ttab", "a\x1b[31mb", "it's\n\x07", "bad\xff\xfe",
		"\xc2\x9b" "2J", "caf\xc3\xa9\x01'\x7f", "\x1b]0;t\x07\n", "-n",
	};
	for (size_t i = 0; i < sizeof words / sizeof *words; i++) {
		char *q = agent_shell_quote(words[i]);
		ck_assert_ptr_nonnull(q);
		ck_assert_msg(strcmp(shell_reads(q), words[i]) == 0, "word %zu via %s", i, q);
		free(q);
	}
}
END_TEST

START_TEST(joining)
{
	char *argv[] = { "claude", "-p", "Continue: it's done?", "--resume", "abc-1", NULL };
	char *s = agent_shell_join(argv);
	ck_assert_str_eq(s, "claude -p 'Continue: it'\\''s done?' --resume abc-1");
	free(s);
	char *assign[] = { "A=b", "c=d", NULL };
	s = agent_shell_join(assign);
	ck_assert_str_eq(s, "'A=b' c=d");
	free(s);
	char *none[] = { NULL };
	s = agent_shell_join(none);
	ck_assert_str_eq(s, "");
	free(s);
}
END_TEST

static char tmpdir[64];

static void
lineage_setup(void)
{
	char runs[96];
	strcpy(tmpdir, "/tmp/check_resume.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(tmpdir));
	snprintf(runs, sizeof runs, "%s/runs", tmpdir);
	ck_assert_int_eq(mkdir(runs, 0700), 0);
	setenv("AGENT_RUNS", runs, 1);
}

static void
lineage_teardown(void)
{
	char cmd[128];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
	ck_assert_int_eq(system(cmd), 0);
}

/* Makes a run whose meta names parent (as agent-run(5) writes it); its id
 * goes to id. */
static void
mkrun(const char *parent, char *id)
{
	char runs[96], meta[1024], par[64];
	snprintf(runs, sizeof runs, "%s/runs", tmpdir);
	int runsfd = open(runs, O_RDONLY | O_DIRECTORY);
	ck_assert_int_ge(runsfd, 0);
	int dfd = agent__run_mkdir(runsfd, id);
	ck_assert_int_ge(dfd, 0);
	snprintf(par, sizeof par, parent ? "\"%s\"" : "null", parent);
	snprintf(meta, sizeof meta,
	         "{\"version\":1,\"id\":\"%s\",\"agent\":\"replay\",\"dialect\":null,"
	         "\"workdir\":\"/tmp\",\"label\":null,\"parent\":%s,"
	         "\"model\":null,\"agent_name\":null,\"started\":1.000,"
	         "\"supervisor\":1,\"supervisor_start\":1,\"pid\":2,\"pgid\":2,"
	         "\"argv\":[\"true\"],\"log\":null,\"on_exit\":null,"
	         "\"isolate\":false}\n", id, par);
	ck_assert_int_eq(agent__run_write(dfd, "meta.json", meta, strlen(meta), 0), 0);
	close(dfd);
	close(runsfd);
}

static int
lineage_of(const char *id)
{
	struct agent_run *r = agent_run_open(id);
	ck_assert_ptr_nonnull(r);
	int n = agent_resume_lineage(r);
	agent_run_free(r);
	return n;
}

START_TEST(lineage_counts_resumes_up_the_parent_chain)
{
	char a[AGENT_RUN_ID_LEN + 1], b[AGENT_RUN_ID_LEN + 1], c[AGENT_RUN_ID_LEN + 1];
	mkrun(NULL, a);
	mkrun(a, b);
	mkrun(b, c);
	ck_assert_int_eq(lineage_of(a), 0);
	ck_assert_int_eq(lineage_of(b), 1);
	ck_assert_int_eq(lineage_of(c), 2);
}
END_TEST

START_TEST(lineage_stops_at_a_removed_parent)
{
	char a[AGENT_RUN_ID_LEN + 1];
	/* The parent's directory was cleaned up: the link still counts. */
	mkrun("20200101-000000-gone", a);
	ck_assert_int_eq(lineage_of(a), 1);
}
END_TEST

static Suite *
resume_suite(void)
{
	Suite *s = suite_create("resume");
	TCase *tc = tcase_create("prompt");
	tcase_add_test(tc, cut_off_prompt_names_the_tool_in_flight);
	tcase_add_test(tc, stuck_prompt_says_it_stalled_and_to_bound_the_hung_call);
	tcase_add_test(tc, finished_tool_is_the_last_call_not_in_flight);
	tcase_add_test(tc, no_tool_no_tool_line);
	tcase_add_test(tc, failed_and_limited_say_why);
	tcase_add_test(tc, log_text_in_the_prompt_is_terminal_safe);
	suite_add_tcase(s, tc);
	tc = tcase_create("quote");
	tcase_add_test(tc, quoting);
	tcase_add_test(tc, quoted_words_read_back_in_a_posix_shell);
	tcase_add_test(tc, joining);
	suite_add_tcase(s, tc);
	tc = tcase_create("lineage");
	tcase_add_checked_fixture(tc, lineage_setup, lineage_teardown);
	tcase_add_test(tc, lineage_counts_resumes_up_the_parent_chain);
	tcase_add_test(tc, lineage_stops_at_a_removed_parent);
	suite_add_tcase(s, tc);
	return s;
}

CHECK_MAIN(resume_suite)
