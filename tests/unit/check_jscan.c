/* check_jscan.c — the strict JSON tokenizer the dialect parsers use: what it
 * accepts, what it refuses, how strings decode, how lookups walk the tree. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "check_main.h"
#include "jscan.h"

static struct agent__jdoc js;

static void
teardown(void)
{
	agent__jdoc_free(&js);
}

/* Parses s as exactly one value with nothing after it. */
static struct agent__jval *
whole(const char *s, size_t len)
{
	size_t end = (size_t)-1;
	struct agent__jval *t = agent__jdoc_parse(&js, s, len, &end);

	return t != NULL && end == len ? t : NULL;
}

#define WHOLE(s) whole((s), sizeof(s) - 1)

START_TEST(every_value_type_parses)
{
	static const struct { const char *s; int type; } v[] = {
		{ "null", AGENT__JV_NULL }, { "true", AGENT__JV_BOOL },
		{ "false", AGENT__JV_BOOL }, { "0", AGENT__JV_INT },
		{ "-12", AGENT__JV_INT }, { "1.5", AGENT__JV_DOUBLE },
		{ "\"x\"", AGENT__JV_STRING }, { "[]", AGENT__JV_ARRAY },
		{ "{}", AGENT__JV_OBJECT }, { "[1,\"a\",null,{}]", AGENT__JV_ARRAY },
		{ "{\"a\":{\"b\":[]}}", AGENT__JV_OBJECT }, { "\"\"", AGENT__JV_STRING },
	};
	size_t i;

	for (i = 0; i < sizeof v / sizeof v[0]; i++) {
		struct agent__jval *t = whole(v[i].s, strlen(v[i].s));

		ck_assert_msg(t != NULL, "%s", v[i].s);
		ck_assert_msg(agent__jval_is(t, v[i].type), "%s", v[i].s);
	}
}
END_TEST

START_TEST(malformed_values_are_refused)
{
	static const char *const bad[] = {
		"", " ", "{", "}", "[", "]", "[1,]", "{\"a\":1,}", "{\"a\"}", "{\"a\" 1}",
		"{a:1}", "{'a':1}", "[1 2]", "{\"a\":1 \"b\":2}", "tru", "nul", "True",
		"NULL", "\"abc", "[\"a\",", "{\"a\":", ",", ":", "[}", "{]", "{1:2}",
		"\"\\x\"", "\"\\u12\"", "\"\\uZZZZ\"", "\"\\u12G4\"", "\"\\", "'a'",
		"\xff", "{\"a\":-}",
	};
	size_t i;

	for (i = 0; i < sizeof bad / sizeof bad[0]; i++)
		ck_assert_msg(whole(bad[i], strlen(bad[i])) == NULL, "accepted %s", bad[i]);
}
END_TEST

START_TEST(numbers_follow_rfc_8259)
{
	static const char *const good[] = {
		"[0]", "[-0]", "[1]", "[-1]", "[10]", "[1.0]", "[-1.25]", "[1e5]",
		"[1E5]", "[1e+5]", "[1e-5]", "[0.5e10]", "[123456789012345678901234]",
		"[1e999]", "[-1e-999]",
	};
	static const char *const bad[] = {
		"[01]", "[-01]", "[1.]", "[.5]", "[-]", "[1e]", "[1e+]", "[1e-]", "[+1]",
		"[--1]", "[0x10]", "[1.e5]", "[Infinity]", "[NaN]", "[-a]", "[1.5.5]",
		"[00]", "[NaN]", "[-Infinity]",
	};
	size_t i;

	for (i = 0; i < sizeof good / sizeof good[0]; i++)
		ck_assert_msg(whole(good[i], strlen(good[i])) != NULL, "refused %s", good[i]);
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++)
		ck_assert_msg(whole(bad[i], strlen(bad[i])) == NULL, "accepted %s", bad[i]);
}
END_TEST

START_TEST(number_values_are_read_without_loss)
{
	struct agent__jval *o = WHOLE("{\"i\":-42,\"d\":2.5,\"e\":1e3,\"big\":99999999999999999999,"
	    "\"max\":9223372036854775807,\"inf\":1e999,\"z\":-0}");

	ck_assert_ptr_nonnull(o);
	ck_assert(agent__jval_is(agent__jval_get(o, "i"), AGENT__JV_INT));
	ck_assert_int_eq(agent__jval_int(agent__jval_get(o, "i")), -42);
	ck_assert(agent__jval_is(agent__jval_get(o, "d"), AGENT__JV_DOUBLE));
	ck_assert_double_eq(agent__jval_double(agent__jval_get(o, "d")), 2.5);
	ck_assert_double_eq(agent__jval_double(agent__jval_get(o, "e")), 1000.0);
	ck_assert_int_eq(agent__jval_int(agent__jval_get(o, "e")), 1000);
	ck_assert(agent__jval_is(agent__jval_get(o, "big"), AGENT__JV_DOUBLE));
	ck_assert(agent__jval_is(agent__jval_get(o, "max"), AGENT__JV_INT));
	ck_assert_int_eq(agent__jval_int(agent__jval_get(o, "max")), 9223372036854775807LL);
	ck_assert_double_infinite(agent__jval_double(agent__jval_get(o, "inf")));
	ck_assert_int_eq(agent__jval_int(agent__jval_get(o, "z")), 0);
	ck_assert_double_eq(agent__jval_double(agent__jval_get(o, "i")), -42.0);
}
END_TEST

START_TEST(simple_escapes_decode)
{
	struct agent__jval *t = WHOLE("\"q\\\"b\\\\s\\/b\\bf\\fn\\nr\\rt\\t\"");

	ck_assert_ptr_nonnull(t);
	ck_assert_str_eq(agent__jval_str(t), "q\"b\\s/b\bf\fn\nr\rt\t");
	/* decoding twice gives the same */
	ck_assert_str_eq(agent__jval_str(t), "q\"b\\s/b\bf\fn\nr\rt\t");
	ck_assert_uint_eq(t->len, strlen("q\"b\\s/b\bf\fn\nr\rt\t"));
}
END_TEST

START_TEST(unicode_escapes_become_utf8)
{
	static const struct { const char *in, *out; } v[] = {
		{ "\"\\u0041\"", "A" }, { "\"\\u00e9\"", "\xc3\xa9" },
		{ "\"\\u20AC\"", "\xe2\x82\xac" }, { "\"\\uffff\"", "\xef\xbf\xbf" },
		{ "\"\\ud83d\\ude00\"", "\xf0\x9f\x98\x80" },
		{ "\"\\uDBFF\\uDFFF\"", "\xf4\x8f\xbf\xbf" },
		{ "\"a\\u0000b\"", "a" },
	};
	size_t i;

	for (i = 0; i < sizeof v / sizeof v[0]; i++) {
		struct agent__jval *t = whole(v[i].in, strlen(v[i].in));

		ck_assert_msg(t != NULL, "%s", v[i].in);
		ck_assert_str_eq(agent__jval_str(t), v[i].out);
	}
}
END_TEST

START_TEST(lone_surrogates_become_replacement_characters)
{
	static const struct { const char *in, *out; } v[] = {
		{ "\"\\ud800\"", "\xef\xbf\xbd" },
		{ "\"\\udc00\"", "\xef\xbf\xbd" },
		{ "\"\\udc00\\ud800\"", "\xef\xbf\xbd\xef\xbf\xbd" },
		{ "\"\\ud800\\u0041\"", "\xef\xbf\xbd" "A" },
		{ "\"\\ud800x\"", "\xef\xbf\xbd" "x" },
		{ "\"x\\ud83d\"", "x\xef\xbf\xbd" },
		{ "\"\\ud800\\ud83d\\ude00\"", "\xef\xbf\xbd\xf0\x9f\x98\x80" },
	};
	size_t i;

	for (i = 0; i < sizeof v / sizeof v[0]; i++) {
		struct agent__jval *t = whole(v[i].in, strlen(v[i].in));

		ck_assert_msg(t != NULL, "%s", v[i].in);
		ck_assert_str_eq(agent__jval_str(t), v[i].out);
	}
}
END_TEST

START_TEST(raw_invalid_utf8_and_control_characters_are_kept_and_nul_is_not)
{
	struct agent__jval *t = WHOLE("\"\xff\xc0\xe2\x82 \x7f\"");
	char s[] = "\"a?b\"";
	int c;

	ck_assert_ptr_nonnull(t);
	ck_assert_str_eq(agent__jval_str(t), "\xff\xc0\xe2\x82 \x7f");
	for (c = 1; c < 0x20; c++) {
		s[2] = (char)c;
		ck_assert_msg((t = whole(s, sizeof s - 1)) != NULL, "refused raw %#x", c);
		ck_assert_uint_eq((unsigned char)agent__jval_str(t)[1], (unsigned)c);
	}
	s[2] = '\0';
	ck_assert_ptr_null(whole(s, sizeof s - 1));
}
END_TEST

START_TEST(nesting_is_limited_to_512)
{
	size_t n = AGENT__JDOC_DEPTH + 1, i;
	char *s = malloc(2 * n + 1);

	ck_assert_ptr_nonnull(s);
	for (i = 0; i < n; i++) {
		s[i] = '[';
		s[2 * n - 1 - i] = ']';
	}
	ck_assert_ptr_null(whole(s, 2 * n));
	ck_assert_ptr_nonnull(whole(s + 1, 2 * n - 2));
	ck_assert_uint_eq(agent__jval_len(js.t), 1);
	ck_assert_uint_eq(js.t[0].skip, AGENT__JDOC_DEPTH);
	free(s);
}
END_TEST

START_TEST(deep_objects_and_long_arrays_parse)
{
	size_t n = AGENT__JDOC_DEPTH, i, len = 0;
	char *s = malloc(n * 8 + 16);
	struct agent__jval *t;

	ck_assert_ptr_nonnull(s);
	for (i = 0; i < n; i++)
		len += (size_t)sprintf(s + len, "{\"k\":");
	len += (size_t)sprintf(s + len, "1");
	for (i = 0; i < n; i++)
		s[len++] = '}';
	ck_assert_ptr_nonnull(t = whole(s, len));
	for (i = 0; i < n; i++)
		t = agent__jval_get(t, "k");
	ck_assert_int_eq(agent__jval_int(t), 1);
	free(s);

	n = 100000;
	s = malloc(n * 2 + 2);
	ck_assert_ptr_nonnull(s);
	s[0] = '[';
	for (i = 0; i < n; i++) {
		s[1 + 2 * i] = '7';
		s[2 + 2 * i] = ',';
	}
	s[2 * n] = ']';
	ck_assert_ptr_nonnull(t = whole(s, 2 * n + 1));
	ck_assert_uint_eq(agent__jval_len(t), n);
	ck_assert_int_eq(agent__jval_int(agent__jval_idx(t, n - 1)), 7);
	ck_assert_ptr_null(agent__jval_idx(t, n));
	free(s);
}
END_TEST

START_TEST(every_truncation_of_a_line_is_not_json)
{
	static const char line[] = "{\"type\":\"assistant\",\"message\":{\"content\":"
	    "[{\"type\":\"text\",\"text\":\"h\\u00e9\\ud83d\\ude00\\n\"},"
	    "{\"type\":\"tool_use\",\"input\":{\"n\":-1.5e3,\"b\":true,\"z\":null}}]},"
	    "\"session_id\":\"x\"}";
	size_t n;

	ck_assert_ptr_nonnull(WHOLE(line));
	for (n = 0; n < sizeof line - 1; n++) {
		char *s = malloc(n + 1);

		/* a copy of exactly n bytes, so reading past it is caught */
		ck_assert_ptr_nonnull(s);
		memcpy(s, line, n);
		ck_assert_msg(agent__jdoc_parse(&js, s, n, NULL) == NULL, "prefix %zu", n);
		free(s);
	}
}
END_TEST

START_TEST(bytes_after_a_whole_value_are_left_unread)
{
	static const char s[] = "{\"a\":1}  stray text";
	size_t end = 0;

	ck_assert_ptr_nonnull(agent__jdoc_parse(&js, s, sizeof s - 1, &end));
	ck_assert_uint_eq(end, 9);
	ck_assert_ptr_nonnull(agent__jdoc_parse(&js, "[1]]", 4, &end));
	ck_assert_uint_eq(end, 3);
	ck_assert_ptr_nonnull(agent__jdoc_parse(&js, "{}{}", 4, &end));
	ck_assert_uint_eq(end, 2);
}
END_TEST

START_TEST(json_whitespace_is_skipped_and_other_blanks_are_not)
{
	struct agent__jval *t = WHOLE(" \t\r\n{ \"a\" :\n[ 1 ,\t2 ] , \"b\":\"\" }\r\n");

	ck_assert_ptr_nonnull(t);
	ck_assert_uint_eq(agent__jval_len(agent__jval_get(t, "a")), 2);
	ck_assert_str_eq(agent__jval_str(agent__jval_get(t, "b")), "");
	ck_assert_ptr_null(WHOLE("\f{}"));
	ck_assert_ptr_null(WHOLE("{\v}"));
	ck_assert_ptr_null(WHOLE("\xc2\xa0{}"));
}
END_TEST

START_TEST(two_megabyte_string_parses)
{
	size_t big = 2u << 20;
	char *s = malloc(big + 2);
	struct agent__jval *t;

	ck_assert_ptr_nonnull(s);
	memset(s, 'x', big + 2);
	s[0] = s[big + 1] = '"';
	s[big / 2] = '\\';
	s[big / 2 + 1] = 'n';
	ck_assert_ptr_nonnull(t = whole(s, big + 2));
	ck_assert_uint_eq(strlen(agent__jval_str(t)), big - 1);
	ck_assert_ptr_null(whole(s, big + 1));
	free(s);
}
END_TEST

START_TEST(nul_bytes_end_a_value_or_refuse_it)
{
	static const char after[] = "{\"a\":1}\0x";
	static const char inside[] = "{\"a\0\":1}";
	static const char between[] = "{\"a\":\0 1}";
	size_t end = 0;

	ck_assert_ptr_nonnull(agent__jdoc_parse(&js, after, sizeof after - 1, &end));
	ck_assert_uint_eq(end, 7);
	ck_assert_ptr_null(agent__jdoc_parse(&js, inside, sizeof inside - 1, NULL));
	ck_assert_ptr_null(agent__jdoc_parse(&js, between, sizeof between - 1, NULL));
	ck_assert_ptr_null(agent__jdoc_parse(&js, "\0{}", 3, NULL));
}
END_TEST

START_TEST(lookups_skip_subtrees_and_take_the_last_repeated_key)
{
	struct agent__jval *o = WHOLE("{\"a\":{\"c\":[1,{\"c\":2}],\"x\":[]},\"c\":3,"
	    "\"k\\u0065y\":\"v\",\"d\":1,\"d\":\"two\"}"), *k;
	const char *keys[8];
	size_t n = 0;

	ck_assert_ptr_nonnull(o);
	ck_assert_int_eq(agent__jval_int(agent__jval_get(o, "c")), 3);
	ck_assert_str_eq(agent__jval_str(agent__jval_get(o, "key")), "v");
	ck_assert_str_eq(agent__jval_str(agent__jval_get(o, "d")), "two");
	ck_assert_ptr_null(agent__jval_get(o, "x"));
	ck_assert_ptr_null(agent__jval_get(o, "k"));
	ck_assert_int_eq(agent__jval_int(agent__jval_get(agent__jval_idx(
	    agent__jval_get(agent__jval_get(o, "a"), "c"), 1), "c")), 2);
	ck_assert_ptr_null(agent__jval_get(agent__jval_get(o, "c"), "c"));
	ck_assert_ptr_null(agent__jval_idx(o, 0));
	ck_assert_uint_eq(agent__jval_len(o), 0);
	ck_assert_ptr_null(agent__jval_get(NULL, "a"));
	ck_assert_ptr_null(agent__jval_str(agent__jval_get(o, "a")));
	for (k = agent__jval_first(o); k != NULL && n < 8; k = agent__jval_next(o, k))
		keys[n++] = agent__jval_str(k);
	ck_assert_uint_eq(n, 5);
	ck_assert_str_eq(keys[0], "a");
	ck_assert_str_eq(keys[2], "key");
	ck_assert_str_eq(keys[4], "d");
	ck_assert_ptr_null(agent__jval_first(agent__jval_get(o, "c")));
	ck_assert_ptr_null(agent__jval_first(WHOLE("{}")));
}
END_TEST

START_TEST(truthiness_follows_json_c)
{
	struct agent__jval *o = WHOLE("{\"t\":true,\"f\":false,\"one\":1,\"zero\":0,"
	    "\"half\":0.5,\"s\":\"x\",\"e\":\"\",\"n\":null,\"o\":{},\"a\":[1]}");

	ck_assert_ptr_nonnull(o);
	ck_assert_int_eq(agent__jval_bool(agent__jval_get(o, "t")), 1);
	ck_assert_int_eq(agent__jval_bool(agent__jval_get(o, "f")), 0);
	ck_assert_int_eq(agent__jval_bool(agent__jval_get(o, "one")), 1);
	ck_assert_int_eq(agent__jval_bool(agent__jval_get(o, "zero")), 0);
	ck_assert_int_eq(agent__jval_bool(agent__jval_get(o, "half")), 1);
	ck_assert_int_eq(agent__jval_bool(agent__jval_get(o, "s")), 1);
	ck_assert_int_eq(agent__jval_bool(agent__jval_get(o, "e")), 0);
	ck_assert_int_eq(agent__jval_bool(agent__jval_get(o, "n")), 0);
	ck_assert_int_eq(agent__jval_bool(agent__jval_get(o, "o")), 0);
	ck_assert_int_eq(agent__jval_bool(agent__jval_get(o, "a")), 0);
	ck_assert_int_eq(agent__jval_bool(NULL), 0);
}
END_TEST

START_TEST(a_document_is_reused_line_after_line)
{
	char big[4096];
	size_t i;
	struct agent__jval *t;

	big[0] = '[';
	for (i = 1; i + 2 < sizeof big; i += 2) {
		big[i] = '1';
		big[i + 1] = ',';
	}
	big[i - 1] = ']';
	ck_assert_ptr_nonnull(whole(big, i));
	ck_assert_ptr_nonnull(t = WHOLE("{\"a\":\"b\"}"));
	ck_assert_uint_eq(js.n, 3);
	ck_assert_str_eq(agent__jval_str(agent__jval_get(t, "a")), "b");
	ck_assert_ptr_null(WHOLE("{\"a\":"));
	ck_assert_uint_eq(js.n, 0);
}
END_TEST

static Suite *
jscan_suite(void)
{
	Suite *s = suite_create("jscan");
	TCase *tc = tcase_create("core");

	tcase_add_checked_fixture(tc, NULL, teardown);
	tcase_add_test(tc, every_value_type_parses);
	tcase_add_test(tc, malformed_values_are_refused);
	tcase_add_test(tc, numbers_follow_rfc_8259);
	tcase_add_test(tc, number_values_are_read_without_loss);
	tcase_add_test(tc, simple_escapes_decode);
	tcase_add_test(tc, unicode_escapes_become_utf8);
	tcase_add_test(tc, lone_surrogates_become_replacement_characters);
	tcase_add_test(tc, raw_invalid_utf8_and_control_characters_are_kept_and_nul_is_not);
	tcase_add_test(tc, nesting_is_limited_to_512);
	tcase_add_test(tc, deep_objects_and_long_arrays_parse);
	tcase_add_test(tc, every_truncation_of_a_line_is_not_json);
	tcase_add_test(tc, bytes_after_a_whole_value_are_left_unread);
	tcase_add_test(tc, json_whitespace_is_skipped_and_other_blanks_are_not);
	tcase_add_test(tc, two_megabyte_string_parses);
	tcase_add_test(tc, nul_bytes_end_a_value_or_refuse_it);
	tcase_add_test(tc, lookups_skip_subtrees_and_take_the_last_repeated_key);
	tcase_add_test(tc, truthiness_follows_json_c);
	tcase_add_test(tc, a_document_is_reused_line_after_line);
	suite_add_tcase(s, tc);
	return s;
}

CHECK_MAIN(jscan_suite)
