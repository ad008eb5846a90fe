/* check_vis.c — terminal-safety escaping: nothing that can drive a terminal
 * passes, printable UTF-8 does. */
#include <stdlib.h>
#include <string.h>
#include "check_main.h"
#include "vis.h"

static void
is_vis(const char *in, size_t len, const char *want)
{
	char *got = agent_vis_str(in, len);
	ck_assert_ptr_nonnull(got);
	ck_assert_str_eq(got, want);
	free(got);
}

START_TEST(plain_ascii_passes)
{
	is_vis("hello world", 11, "hello world");
}
END_TEST

START_TEST(escape_sequences_are_made_visible)
{
	is_vis("\x1b[31mred\x1b[0m", 12, "\\e[31mred\\e[0m");
	is_vis("a\rb\x07", 4, "a\\rb\\x07");
	is_vis("\x7f", 1, "\\x7f");
}
END_TEST

START_TEST(utf8_passes_and_invalid_bytes_do_not)
{
	is_vis("\xe2\x86\x92 Read", 8, "\xe2\x86\x92 Read");
	is_vis("\xff\xfe", 2, "\\xff\\xfe");
	is_vis("\xe2\x86", 2, "\\xe2\\x86");            /* cut sequence */
	is_vis("\xc2\x9b" "31m", 5, "\\xc2\\x9b31m");      /* C1 CSI */
	is_vis("\xed\xa0\x80", 3, "\\xed\\xa0\\x80");    /* lone surrogate */
	is_vis("\xc0\xaf", 2, "\\xc0\\xaf");             /* overlong */
}
END_TEST

START_TEST(nul_and_backslash_are_escaped)
{
	is_vis("a\0b\\", 4, "a\\x00b\\\\");
}
END_TEST

START_TEST(cut_counts_columns_not_bytes)
{
	ck_assert_uint_eq(agent_vis_cut("\xe2\x86\x92 abc", 7, 2), 4);
	ck_assert_uint_eq(agent_vis_cut("abc", 3, 10), 3);
}
END_TEST

static Suite *
vis_suite(void)
{
	Suite *s = suite_create("vis");
	TCase *tc = tcase_create("vis");
	tcase_add_test(tc, plain_ascii_passes);
	tcase_add_test(tc, escape_sequences_are_made_visible);
	tcase_add_test(tc, utf8_passes_and_invalid_bytes_do_not);
	tcase_add_test(tc, nul_and_backslash_are_escaped);
	tcase_add_test(tc, cut_counts_columns_not_bytes);
	suite_add_tcase(s, tc);
	return s;
}

CHECK_MAIN(vis_suite)
