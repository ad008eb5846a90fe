/* check_jsonw.c — the JSON writer behind every -j: fields in order, null
 * for what is unknown, numbers in their fixed forms, strings always valid. */
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "check_main.h"
#include "jsonw.h"

/* What one object written by fn comes out as. */
static char *
written(void (*fn)(struct agent_jw *))
{
	char *buf = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&buf, &len);
	struct agent_jw w;

	ck_assert_ptr_nonnull(m);
	agent_jw_begin(&w, m);
	fn(&w);
	ck_assert_int_eq(agent_jw_end(&w), 0);
	fclose(m);
	return buf;
}

static void
every_kind(struct agent_jw *w)
{
	agent_jw_str(w, "s", "a\"b\\c\n\x01");
	agent_jw_str(w, "none", NULL);
	agent_jw_int(w, "n", -42);
	agent_jw_int(w, "big", 9007199254740993LL);
	agent_jw_fixed(w, "t", 1764506000.1234, 3);
	agent_jw_fixed(w, "usd", 0.04, 6);
	agent_jw_fixed(w, "neg", -1.5, 3);
	agent_jw_bool(w, "yes", 1);
	agent_jw_bool(w, "no", 0);
	agent_jw_null(w, "z");
}

static void
nothing(struct agent_jw *w)
{
	(void)w;
}

START_TEST(fields_come_out_in_order_as_one_line)
{
	char *got = written(every_kind);
	ck_assert_str_eq(got, "{\"s\":\"a\\\"b\\\\c\\n\\u0001\",\"none\":null,\"n\":-42,"
	                      "\"big\":9007199254740993,\"t\":1764506000.123,\"usd\":0.040000,"
	                      "\"neg\":-1.500,\"yes\":true,\"no\":false,\"z\":null}\n");
	free(got);
}
END_TEST

static void
arrays(struct agent_jw *w)
{
	static const char *const v[] = { "a", NULL, "q\"", "\xff" };

	agent_jw_strs(w, "none", v, 0);
	agent_jw_strs(w, "v", v, 4);
}

START_TEST(string_arrays_are_valid_empty_or_not)
{
	char *got = written(arrays);
	ck_assert_str_eq(got, "{\"none\":[],\"v\":[\"a\",\"\",\"q\\\"\",\"\\ufffd\"]}\n");
	free(got);
}
END_TEST

START_TEST(an_empty_object_is_valid)
{
	char *got = written(nothing);
	ck_assert_str_eq(got, "{}\n");
	free(got);
}
END_TEST

START_TEST(invalid_utf8_becomes_replacement_characters)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&buf, &len);

	ck_assert_int_eq(agent_json_str(m, "ok \xe2\x86\x92 \xff\xc0\xaf \xed\xa0\x80"), 0);
	fclose(m);
	ck_assert_str_eq(buf, "\"ok \xe2\x86\x92 \\ufffd\\ufffd\\ufffd \\ufffd\\ufffd\\ufffd\"");
	free(buf);
}
END_TEST

static void
extremes(struct agent_jw *w)
{
	agent_jw_fixed(w, "huge", 2.5e39, 6);
	agent_jw_fixed(w, "neg", -1e20, 3);
	agent_jw_fixed(w, "edge", 9e15, 3);
	agent_jw_fixed(w, "max", DBL_MAX, 6);
	agent_jw_fixed(w, "inf", INFINITY, 3);
	agent_jw_fixed(w, "ninf", -INFINITY, 6);
	agent_jw_fixed(w, "nan", NAN, 3);
}

/* A cost or time from a log is whatever strtod made of it (the dialect
 * fuzzer's "total_cost_usd" of 2.2e39 overflowed the long long the digits
 * were made in: UBSan). */
START_TEST(numbers_past_the_integer_range_are_whole_and_infinity_is_null)
{
	char *got = written(extremes);
	char max[400];

	snprintf(max, sizeof max, "%.6f", DBL_MAX);
	ck_assert_ptr_nonnull(strstr(got, "\"huge\":2500000000000000"));
	ck_assert_ptr_nonnull(strstr(got, ".000000,\"neg\":-100000000000000000000.000,"));
	ck_assert_ptr_nonnull(strstr(got, "\"edge\":9000000000000000.000,"));
	ck_assert_ptr_nonnull(strstr(got, max));
	ck_assert_ptr_nonnull(strstr(got, ",\"inf\":null,\"ninf\":null,\"nan\":null}\n"));
	free(got);
}
END_TEST

static Suite *
jsonw_suite(void)
{
	Suite *s = suite_create("jsonw");
	TCase *c = tcase_create("writer");
	tcase_add_test(c, fields_come_out_in_order_as_one_line);
	tcase_add_test(c, an_empty_object_is_valid);
	tcase_add_test(c, string_arrays_are_valid_empty_or_not);
	tcase_add_test(c, invalid_utf8_becomes_replacement_characters);
	tcase_add_test(c, numbers_past_the_integer_range_are_whole_and_infinity_is_null);
	suite_add_tcase(s, c);
	return s;
}

CHECK_MAIN(jsonw_suite)
