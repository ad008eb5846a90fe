/* check_file.c — the one reader of whole prompts and templates: errors
 * with errno, NUL-terminated text, and the bound on a runaway input. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "check_main.h"
#include "file.h"

START_TEST(read_text_reports_errors)
{
	char *b;
	size_t l;
	ck_assert_int_eq(agent_read_text("/nonexistent/x", &b, &l), -1);
	ck_assert_int_eq(errno, ENOENT);
	ck_assert_int_eq(agent_read_text("/", &b, &l), -1);
	ck_assert_int_eq(errno, EISDIR);
	ck_assert_int_eq(agent_read_text("/dev/null", &b, &l), 0);
	ck_assert_uint_eq(l, 0);
	ck_assert_str_eq(b, "");
	free(b);
}
END_TEST

START_TEST(read_text_is_whole_and_nul_terminated)
{
	char path[] = "/tmp/check_file.XXXXXX", *b;
	size_t l, i, n = 3 * 8192 + 5;   /* past the first buffer's growth */
	char *want = malloc(n);
	int fd = mkstemp(path);

	ck_assert_int_ge(fd, 0);
	ck_assert_ptr_nonnull(want);
	for (i = 0; i < n; i++)
		want[i] = i % 251 ? (char)('a' + i % 26) : '\0';
	ck_assert_int_eq(write(fd, want, n), (ssize_t)n);
	close(fd);
	ck_assert_int_eq(agent_read_text(path, &b, &l), 0);
	unlink(path);
	ck_assert_uint_eq(l, n);
	ck_assert_int_eq(memcmp(b, want, n), 0);
	ck_assert_int_eq(b[n], '\0');
	free(b);
	free(want);
}
END_TEST

START_TEST(read_text_refuses_past_the_bound)
{
	char *b = NULL;
	size_t l = 0;
	/* endless input: refused once it passes AGENT_TEXT_MAX, not read on */
	ck_assert_int_eq(agent_read_text("/dev/zero", &b, &l), -1);
	ck_assert_int_eq(errno, EFBIG);
}
END_TEST

static Suite *
file_suite(void)
{
	Suite *s = suite_create("file");
	TCase *c = tcase_create("read_text");
	tcase_add_test(c, read_text_reports_errors);
	tcase_add_test(c, read_text_is_whole_and_nul_terminated);
	tcase_add_test(c, read_text_refuses_past_the_bound);
	suite_add_tcase(s, c);
	return s;
}

CHECK_MAIN(file_suite)
