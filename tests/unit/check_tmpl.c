/* check_tmpl.c — the template engine: every construct, every error with its
 * position, includes and their confinement, VARS files, the built-ins. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "check_main.h"
#include "tmpl.h"

static struct agent_tmpl_vars *
mkvars(const char *const *defs)
{
	struct agent_tmpl_vars *v = agent_tmpl_vars_new();
	ck_assert_ptr_nonnull(v);
	for (; defs && *defs; defs++)
		ck_assert_int_eq(agent_tmpl_vars_define(v, *defs), 0);
	return v;
}

/* Renders src with "name=value" definitions; NULL and err filled on error. */
static char *
render_in(const char *src, const char *dir, const struct agent_tmpl_opts *o,
          const char *const *defs, struct agent_tmpl_error *err)
{
	struct agent_tmpl_vars *v = mkvars(defs);
	char *out = NULL;
	size_t len = 0;
	int rc = agent_tmpl_render(src, strlen(src), "t.tmpl", dir, v, o, &out, &len, err);
	agent_tmpl_vars_free(v);
	if (rc < 0) {
		ck_assert_int_eq(errno, EINVAL);
		ck_assert_ptr_null(out);
		return NULL;
	}
	ck_assert_uint_eq(strlen(out), len);
	return out;
}

static void
is_render(const char *src, const char *const *defs, const char *want)
{
	struct agent_tmpl_error err = {0};
	char *got = render_in(src, "/nonexistent", NULL, defs, &err);
	if (!got)
		ck_abort_msg("render failed: %s:%u:%u: %s", err.file, err.line, err.column, err.msg);
	ck_assert_str_eq(got, want);
	free(got);
}

static void
is_error_in(const char *src, const char *dir, const struct agent_tmpl_opts *o,
            const char *const *defs, const char *file, unsigned line, unsigned col,
            const char *msg)
{
	struct agent_tmpl_error err = {0};
	char *got = render_in(src, dir, o, defs, &err);
	if (got)
		ck_abort_msg("rendered, want error %s: [%s]", msg, got);
	ck_assert_str_eq(err.file, file);
	ck_assert_uint_eq(err.line, line);
	ck_assert_uint_eq(err.column, col);
	if (!strstr(err.msg, msg))
		ck_abort_msg("message [%s] lacks [%s]", err.msg, msg);
}

static void
is_error(const char *src, const char *const *defs, unsigned line, unsigned col, const char *msg)
{
	is_error_in(src, "/nonexistent", NULL, defs, "t.tmpl", line, col, msg);
}

#define V(...) ((const char *const[]){ __VA_ARGS__, NULL })

START_TEST(text_without_tags_passes_unchanged)
{
	is_render("", NULL, "");
	is_render("plain } text { with }} braces\n", NULL, "plain } text { with }} braces\n");
}
END_TEST

START_TEST(variables_are_substituted)
{
	is_render("Phase {{n}} of {{ project }}.", V("n=5", "project=agentutils"),
	          "Phase 5 of agentutils.");
	is_render("{{a.b-c_1}}", V("a.b-c_1=x"), "x");
}
END_TEST

START_TEST(default_applies_when_unset_or_empty)
{
	is_render("[{{x|some default}}]", NULL, "[some default]");
	is_render("[{{x|some default}}]", V("x="), "[some default]");
	is_render("[{{x|some default}}]", V("x=set"), "[set]");
	is_render("[{{x|}}]", NULL, "[]");
	is_render("[{{x| a|b }}]", NULL, "[ a|b ]");
}
END_TEST

START_TEST(values_are_never_re_expanded)
{
	is_render("{{a}}", V("a={{b}}", "b=no"), "{{b}}");
	is_render("{{a}}", V("a={{#b}}x{{/b}}{{{{"), "{{#b}}x{{/b}}{{{{");
	is_render("{{x|{{y}}", V("y=no"), "{{y");
}
END_TEST

START_TEST(quadruple_brace_writes_literal_braces)
{
	is_render("a {{{{x}} b", NULL, "a {{x}} b");
	is_render("{{{{{{{{", NULL, "{{{{");
}
END_TEST

START_TEST(sections_keep_body_when_non_empty)
{
	const char *t = "a{{#x}}X{{/x}}b{{^x}}N{{/x}}c";
	is_render(t, V("x=1"), "aXbc");
	is_render(t, V("x="), "abNc");
	is_render(t, NULL, "abNc");
}
END_TEST

START_TEST(sections_nest_and_skip_what_they_hide)
{
	const char *t = "{{#a}}A{{#b}}B{{/b}}{{^b}}-{{/b}}{{/a}}";
	is_render(t, V("a=1", "b=1"), "AB");
	is_render(t, V("a=1"), "A-");
	is_render(t, V("b=1"), "");
	/* unknown variables and includes inside a hidden section are not errors */
	is_render("{{#a}}{{nosuch}}{{> missing.tmpl}}{{/a}}ok", NULL, "ok");
}
END_TEST

START_TEST(standalone_section_lines_vanish)
{
	is_render("one\n{{#x}}\ntwo\n  {{/x}}  \nthree\n", V("x=1"), "one\ntwo\nthree\n");
	is_render("one\n{{#x}}\ntwo\n{{/x}}\nthree\n", NULL, "one\nthree\n");
	is_render("one\n{{^x}}\nnone\n{{/x}}", NULL, "one\nnone\n");
	/* a variable tag alone on its line is content */
	is_render("a\n{{x}}\nb\n", V("x="), "a\n\nb\n");
}
END_TEST

START_TEST(hash_dot_items_are_numbered_per_list)
{
	is_render("#. one\n#. two\n#. three\n", NULL, "1. one\n2. two\n3. three\n");
	is_render("Steps:\n#. a\n#. b\nMore:\n#. c\n", NULL, "Steps:\n1. a\n2. b\nMore:\n1. c\n");
	/* blank lines and continuation lines keep the list going */
	is_render("#. a\n   more a\n\n#. b\n", NULL, "1. a\n   more a\n\n2. b\n");
	/* nested lists count on their own */
	is_render("#. a\n   #. a1\n   #. a2\n#. b\n   #. b1\n", NULL,
	          "1. a\n   1. a1\n   2. a2\n2. b\n   1. b1\n");
	/* hidden items do not count */
	is_render("#. a\n{{#x}}\n#. hidden\n{{/x}}\n#. b\n", NULL, "1. a\n2. b\n");
	/* not markers: mid-line, no blank after, from a value */
	is_render("x #. y\n#.5\n{{v}}\n", V("v=#. from value"), "x #. y\n#.5\n#. from value\n");
	is_render("#.", NULL, "1.");
}
END_TEST

START_TEST(item_lists_take_one_value_line_per_item)
{
	const char *t = "## Steps\n{{*steps}}\n#. Verify\n";
	is_render(t, V("steps=write a\nedit b"), "## Steps\n1. write a\n2. edit b\n3. Verify\n");
	is_render(t, V("steps=#. write a\n\n  2) edit b\n7. c\n1.5 stays"),
	          "## Steps\n1. write a\n2. edit b\n3. c\n4. 1.5 stays\n5. Verify\n");
	is_render(t, V("steps="), "## Steps\n1. Verify\n");
	is_render(t, V("steps=- a\n* b\n+ c\n--flag d\n-"), "## Steps\n1. a\n2. b\n3. c\n4. --flag d\n5. Verify\n");
	is_render("  {{*s}}\n", V("s=a {{b}}\nc"), "  1. a {{b}}\n  2. c\n");
	is_error("x {{*s}}\n", V("s=a"), 1, 3, "must be on a line of its own");
	is_error("{{*s}}\n", NULL, 1, 1, "unknown variable 's'");
}
END_TEST

START_TEST(crlf_templates_keep_crlf_and_positions)
{
	is_render("a {{x}}\r\n{{#x}}\r\n#. b\r\n{{/x}}\r\n{{*s}}\r\nend\r\n", V("x=1", "s=c"),
	          "a 1\r\n1. b\r\n2. c\r\nend\r\n");
	is_error("line one\r\nline {{two}}\r\n", NULL, 2, 6, "unknown variable 'two'");
}
END_TEST

START_TEST(errors_name_line_and_column)
{
	is_error("hello {{who}}", NULL, 1, 7, "unknown variable 'who'");
	is_error("a\nb\n  {{#s}}x", NULL, 3, 3, "unclosed section '{{#s}}'");
	is_error("{{^s}}\n{{#t}}\n{{/t}}\n", NULL, 1, 1, "unclosed section '{{^s}}'");
	is_error("x\n {{#a}}{{/b}}", NULL, 2, 8, "'{{/b}}' closes '{{#a}}' opened at 2:2");
	is_error("ok\n{{/a}}", NULL, 2, 1, "closes no open section");
	is_error("ab {{x\n}}", NULL, 1, 4, "unclosed tag");
	is_error("ab {{x}", NULL, 1, 4, "unclosed tag");
	is_error("{{}}", NULL, 1, 1, "bad tag");
	is_error("{{ 9x }}", NULL, 1, 1, "bad tag");
	is_error("{{x y}}", NULL, 1, 1, "bad tag");
	is_error("{{#x|d}}", NULL, 1, 1, "bad tag");
	is_error("{{{x}}}", NULL, 1, 1, "bad tag");
	is_error("{{>  }}", NULL, 1, 1, "include without a path");
	/* columns count characters, not bytes */
	is_error("\xc3\xa9\xe2\x86\x92 {{x}}", NULL, 1, 4, "unknown variable");
	/* syntax errors count even inside hidden sections */
	is_error("{{#no}}{{bad tag}}{{/no}}", NULL, 1, 8, "bad tag");
}
END_TEST

START_TEST(deep_nesting_works)
{
	enum { N = 20000 };
	size_t cap = N * 16 + 16, len = 0;
	char *t = malloc(cap);
	int i;

	ck_assert_ptr_nonnull(t);
	for (i = 0; i < N; i++)
		len += (size_t)snprintf(t + len, cap - len, "{{#a}}");
	len += (size_t)snprintf(t + len, cap - len, "deep");
	for (i = 0; i < N; i++)
		len += (size_t)snprintf(t + len, cap - len, "{{/a}}");
	is_render(t, V("a=1"), "deep");
	is_render(t, NULL, "");
	t[len - 6] = '\0';    /* drop the outermost close */
	is_error(t, V("a=1"), 1, 1, "unclosed section");
	free(t);
}
END_TEST

START_TEST(one_megabyte_template_renders)
{
	const char *line = "#. step {{n}} with {{v|default}} and {{{{literal}}\n";
	size_t ll = strlen(line), n = (1 << 20) / ll + 1, i;
	char *t = malloc(n * ll + 1), *out = NULL;
	struct agent_tmpl_vars *v = mkvars(V("n=N"));
	struct agent_tmpl_error err;
	size_t olen;

	ck_assert_ptr_nonnull(t);
	for (i = 0; i < n; i++)
		memcpy(t + i * ll, line, ll);
	t[n * ll] = '\0';
	ck_assert_uint_ge(n * ll, 1 << 20);
	ck_assert_int_eq(agent_tmpl_render(t, n * ll, "big", NULL, v, NULL, &out, &olen, &err), 0);
	ck_assert(strncmp(out, "1. step N with default and {{literal}}\n2. step", 46) == 0);
	char last[64];
	snprintf(last, sizeof last, "%zu. step N with default and {{literal}}\n", n);
	ck_assert_str_eq(out + olen - strlen(last), last);
	free(out);
	free(t);
	agent_tmpl_vars_free(v);
}
END_TEST

/* ---- includes --------------------------------------------------------- */

static char tmpdir[64];

static void
put(const char *rel, const char *text)
{
	char path[256];
	FILE *f;
	snprintf(path, sizeof path, "%s/%s", tmpdir, rel);
	ck_assert_ptr_nonnull(f = fopen(path, "w"));
	fputs(text, f);
	ck_assert_int_eq(fclose(f), 0);
}

static void
mk_tree(void)
{
	char p[256];
	snprintf(tmpdir, sizeof tmpdir, "/tmp/check_tmpl.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(tmpdir));
	snprintf(p, sizeof p, "%s/tpl", tmpdir);
	ck_assert_int_eq(mkdir(p, 0700), 0);
	snprintf(p, sizeof p, "%s/tpl/sub", tmpdir);
	ck_assert_int_eq(mkdir(p, 0700), 0);
	snprintf(p, sizeof p, "%s/shared", tmpdir);
	ck_assert_int_eq(mkdir(p, 0700), 0);
	put("tpl/head.tmpl", "Head {{x}}\n");
	put("tpl/sub/a.tmpl", "A[{{> b.tmpl}}]");
	put("tpl/sub/b.tmpl", "B");
	put("tpl/loop1.tmpl", "{{> loop2.tmpl}}");
	put("tpl/loop2.tmpl", "x\n  {{> loop1.tmpl}}\n");
	put("tpl/self.tmpl", "{{> self.tmpl}}");
	put("tpl/bad.tmpl", "ok\nthen {{oops}}\n");
	put("tpl/noeol.tmpl", "no eol");
	put("tpl/items.tmpl", "#. inc one\n#. inc two\n");
	put("shared/s.tmpl", "shared\n");
	put("secret", "SECRET\n");
	snprintf(p, sizeof p, "%s/tpl/link.tmpl", tmpdir);
	char target[256];
	snprintf(target, sizeof target, "%s/secret", tmpdir);
	ck_assert_int_eq(symlink(target, p), 0);
}

static void
rm_tree(void)
{
	char cmd[128];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
	ck_assert_int_eq(system(cmd), 0);
}

static char *
tdir(const char *rel)
{
	static char p[256];
	snprintf(p, sizeof p, "%s/%s", tmpdir, rel);
	return p;
}

static void
is_incl(const char *src, const struct agent_tmpl_opts *o, const char *const *defs, const char *want)
{
	struct agent_tmpl_error err = {0};
	char *got = render_in(src, tdir("tpl"), o, defs, &err);
	if (!got)
		ck_abort_msg("render failed: %s:%u:%u: %s", err.file, err.line, err.column, err.msg);
	ck_assert_str_eq(got, want);
	free(got);
}

START_TEST(includes_render_with_the_same_variables)
{
	is_incl("{{> head.tmpl}}\nbody\n", NULL, V("x=1"), "Head 1\nbody\n");
	is_incl("in {{> sub/a.tmpl}} line", NULL, NULL, "in A[B] line");
	is_incl("{{> noeol.tmpl}}\nnext\n", NULL, NULL, "no eol\nnext\n");
	is_incl("#. first\n{{> items.tmpl}}\n#. last\n", NULL, NULL,
	        "1. first\n2. inc one\n3. inc two\n4. last\n");
}
END_TEST

START_TEST(include_errors_name_their_position)
{
	char name[300];
	is_error_in("x\n {{> nope.tmpl}}", tdir("tpl"), NULL, NULL, "t.tmpl", 2, 2,
	            "cannot open include 'nope.tmpl'");
	snprintf(name, sizeof name, "%s/bad.tmpl", tdir("tpl"));
	is_error_in("{{> bad.tmpl}}", tdir("tpl"), NULL, NULL, name, 2, 6,
	            "unknown variable 'oops'");
	snprintf(name, sizeof name, "%s/loop2.tmpl", tdir("tpl"));
	is_error_in("{{> loop1.tmpl}}", tdir("tpl"), NULL, NULL, name, 2, 3, "include loop");
	snprintf(name, sizeof name, "%s/self.tmpl", tdir("tpl"));
	is_error_in("{{> self.tmpl}}", tdir("tpl"), NULL, NULL, name, 1, 1, "include loop");
}
END_TEST

START_TEST(include_depth_is_bounded)
{
	char name[64], text[64], want[300];
	int i;
	for (i = 1; i <= 40; i++) {
		snprintf(name, sizeof name, "tpl/d%d.tmpl", i);
		snprintf(text, sizeof text, "{{> d%d.tmpl}}", i + 1);
		put(name, text);
	}
	snprintf(want, sizeof want, "%s/d%d.tmpl", tdir("tpl"), AGENT_TMPL_MAX_INCLUDE_DEPTH);
	is_error_in("{{> d1.tmpl}}", tdir("tpl"), NULL, NULL, want, 1, 1, "includes nested deeper than 32");
}
END_TEST

START_TEST(includes_cannot_leave_the_directory)
{
	const char *msg = "outside the template's directory";
	char abs[300];
	is_error_in("{{> ../secret}}", tdir("tpl"), NULL, NULL, "t.tmpl", 1, 1, msg);
	is_error_in("{{> ../shared/s.tmpl}}", tdir("tpl"), NULL, NULL, "t.tmpl", 1, 1, msg);
	is_error_in("{{> link.tmpl}}", tdir("tpl"), NULL, NULL, "t.tmpl", 1, 1, msg);
	is_error_in("{{> /etc/passwd}}", tdir("tpl"), NULL, NULL, "t.tmpl", 1, 1, msg);
	snprintf(abs, sizeof abs, "{{> %s/secret}}", tmpdir);
	is_error_in(abs, tdir("tpl"), NULL, NULL, "t.tmpl", 1, 1, msg);
	/* sub/../head.tmpl stays inside and is fine */
	is_incl("{{> sub/../head.tmpl}}", NULL, V("x=2"), "Head 2\n");
}
END_TEST

START_TEST(include_dirs_allow_and_are_searched)
{
	const char *dirs[] = { tdir("shared") };
	char d0[256];
	snprintf(d0, sizeof d0, "%s", dirs[0]);
	dirs[0] = d0;
	struct agent_tmpl_opts o = { dirs, 1 };
	is_incl("{{> ../shared/s.tmpl}}", &o, NULL, "shared\n");
	is_incl("{{> s.tmpl}}", &o, NULL, "shared\n");
	is_error_in("{{> ../secret}}", tdir("tpl"), &o, NULL, "t.tmpl", 1, 1,
	            "outside the template's directory");
}
END_TEST

/* ---- VARS files -------------------------------------------------------- */

static struct agent_tmpl_vars *
parse_ok(const char *text)
{
	struct agent_tmpl_vars *v = agent_tmpl_vars_new();
	struct agent_tmpl_error err = {0};
	if (agent_tmpl_vars_parse(v, text, strlen(text), "p.vars", &err) < 0)
		ck_abort_msg("parse failed: %s:%u:%u: %s", err.file, err.line, err.column, err.msg);
	return v;
}

static void
has(struct agent_tmpl_vars *v, const char *name, const char *want)
{
	size_t len;
	const char *got = agent_tmpl_vars_get(v, name, strlen(name), &len);
	ck_assert_msg(got != NULL, "%s unset", name);
	ck_assert_str_eq(got, want);
	ck_assert_uint_eq(len, strlen(want));
}

START_TEST(vars_files_hold_names_values_and_comments)
{
	struct agent_tmpl_vars *v = parse_ok(
		"# a comment\n"
		"phase=5\n"
		"project = agentutils  \n"
		"\n"
		"empty=\n"
		"url=http://x/?a=b#frag\n"
		"phase=6\n");
	has(v, "phase", "6");
	has(v, "project", "agentutils");
	has(v, "empty", "");
	has(v, "url", "http://x/?a=b#frag");
	ck_assert_ptr_null(agent_tmpl_vars_get(v, "a comment", 9, NULL));
	agent_tmpl_vars_free(v);
}
END_TEST

START_TEST(vars_values_continue_on_indented_lines)
{
	struct agent_tmpl_vars *v = parse_ok(
		"steps=\n"
		"    #. Write lib/a.c\n"
		"    #. Edit lib/b.c\n"
		"      (keep the API)\n"
		"\n"
		"    #. Run make\n"
		"\n"
		"files=lib/a.c\r\n"
		"\tlib/b.c\r\n"
		"# comment ends it\n"
		"  \n");
	has(v, "steps", "#. Write lib/a.c\n#. Edit lib/b.c\n  (keep the API)\n\n#. Run make");
	has(v, "files", "lib/a.c\nlib/b.c");
	agent_tmpl_vars_free(v);
}
END_TEST

static void
vars_error(const char *text, unsigned line, unsigned col, const char *msg)
{
	struct agent_tmpl_vars *v = agent_tmpl_vars_new();
	struct agent_tmpl_error err = {0};
	ck_assert_int_eq(agent_tmpl_vars_parse(v, text, strlen(text), "p.vars", &err), -1);
	ck_assert_int_eq(errno, EINVAL);
	ck_assert_str_eq(err.file, "p.vars");
	ck_assert_uint_eq(err.line, line);
	ck_assert_uint_eq(err.column, col);
	if (!strstr(err.msg, msg))
		ck_abort_msg("message [%s] lacks [%s]", err.msg, msg);
	agent_tmpl_vars_free(v);
}

START_TEST(vars_errors_name_line_and_column)
{
	vars_error("a=1\n  b\nno equals here\n", 3, 4, "expected '=' after 'no'");
	vars_error("  orphan\n", 1, 1, "continuation line without a variable");
	vars_error("# c\n=x\n", 2, 1, "bad variable name");
	vars_error("ok=1\n9x=1\n", 2, 1, "bad variable name");
	vars_error("name\n", 1, 5, "expected '='");
}
END_TEST

START_TEST(defines_and_environment)
{
	struct agent_tmpl_vars *v = agent_tmpl_vars_new();
	char *env[] = { "HOME=/h", "BAD NAME=x", "noeq", "=x", "A_1=a=b", NULL };
	ck_assert_int_eq(agent_tmpl_vars_define(v, "x=1=2"), 0);
	has(v, "x", "1=2");
	ck_assert_int_eq(agent_tmpl_vars_define(v, "noequals"), -1);
	ck_assert_int_eq(errno, EINVAL);
	ck_assert_int_eq(agent_tmpl_vars_define(v, "bad name=1"), -1);
	ck_assert_int_eq(agent_tmpl_vars_define(v, "=1"), -1);
	ck_assert_int_eq(agent_tmpl_vars_set(v, "x", "multi\nline", 10), 0);
	has(v, "x", "multi\nline");
	ck_assert_int_eq(agent_tmpl_vars_environ(v, env), 0);
	has(v, "HOME", "/h");
	has(v, "A_1", "a=b");
	ck_assert_ptr_null(agent_tmpl_vars_get(v, "BAD NAME", 8, NULL));
	agent_tmpl_vars_free(v);
	agent_tmpl_vars_free(NULL);
}
END_TEST

/* ---- built-ins --------------------------------------------------------- */

START_TEST(phase_builtin_fills_every_part)
{
	size_t len;
	const char *t = agent_tmpl_builtin("phase", &len);
	struct agent_tmpl_vars *v = mkvars(V("phase=5", "project=agentutils",
		"description=the template engine", "context=C11 tools; lib/ holds the library.",
		"files=- lib/tmpl.c (new)", "steps=1. Write lib/tmpl.c\n#. Add tests/unit/check_tmpl.c",
		"verify=make check"));
	struct agent_tmpl_error err;
	char *out;
	size_t olen;

	ck_assert_ptr_nonnull(t);
	ck_assert_int_eq(agent_tmpl_render(t, len, "phase", NULL, v, NULL, &out, &olen, &err), 0);
	ck_assert_ptr_nonnull(strstr(out, "You are implementing Phase 5 of agentutils: the template engine.\n"));
	ck_assert_ptr_nonnull(strstr(out, "## Project\n\nC11 tools; lib/ holds the library.\n"));
	ck_assert_ptr_nonnull(strstr(out, "## CRITICAL INSTRUCTIONS\n"));
	ck_assert_ptr_nonnull(strstr(out, "- For NEW files: use `cat > /path <<'EOF' ... EOF`"));
	ck_assert_ptr_nonnull(strstr(out, "- For EXISTING file modifications: use the Edit tool (read"));
	ck_assert_ptr_nonnull(strstr(out, "- Final step: run `make check 2>&1` and fix any errors"));
	ck_assert_ptr_nonnull(strstr(out, "- Report final result\n"));
	ck_assert_ptr_nonnull(strstr(out, "## Files to Create/Modify\n\n- lib/tmpl.c (new)\n"));
	ck_assert_ptr_nonnull(strstr(out, "## Steps\n\n1. Write lib/tmpl.c\n"
		"2. Add tests/unit/check_tmpl.c\n"
		"3. Run `make check 2>&1`, fix any errors and re-run it until it passes, "
		"then report the final result\n"));
	ck_assert_ptr_null(strstr(out, "{{"));
	ck_assert_ptr_null(strstr(out, "#."));
	free(out);
	agent_tmpl_vars_free(v);
}
END_TEST

START_TEST(phase_builtin_names_a_missing_part)
{
	size_t len;
	const char *t = agent_tmpl_builtin("phase", &len);
	struct agent_tmpl_vars *v = mkvars(V("phase=5", "project=p", "description=d",
		"context=c", "files=f", "steps=s"));
	struct agent_tmpl_error err;
	char *out = NULL;
	size_t olen;

	ck_assert_int_eq(agent_tmpl_render(t, len, "phase", NULL, v, NULL, &out, &olen, &err), -1);
	ck_assert_str_eq(err.msg, "unknown variable 'verify'");
	ck_assert_uint_gt(err.line, 1);
	agent_tmpl_vars_free(v);
}
END_TEST

START_TEST(builtins_are_listed)
{
	const char *d = NULL, *n;
	size_t i;
	ck_assert_str_eq(agent_tmpl_builtin_name(0, &d), "phase");
	ck_assert_ptr_nonnull(d);
	for (i = 0; (n = agent_tmpl_builtin_name(i, NULL)); i++)
		ck_assert_ptr_nonnull(agent_tmpl_builtin(n, NULL));
	ck_assert_uint_ge(i, 2);
	ck_assert_ptr_null(agent_tmpl_builtin("nosuch", NULL));
}
END_TEST

static Suite *
tmpl_suite(void)
{
	Suite *s = suite_create("tmpl");
	TCase *c = tcase_create("engine");
	tcase_add_test(c, text_without_tags_passes_unchanged);
	tcase_add_test(c, variables_are_substituted);
	tcase_add_test(c, default_applies_when_unset_or_empty);
	tcase_add_test(c, values_are_never_re_expanded);
	tcase_add_test(c, quadruple_brace_writes_literal_braces);
	tcase_add_test(c, sections_keep_body_when_non_empty);
	tcase_add_test(c, sections_nest_and_skip_what_they_hide);
	tcase_add_test(c, standalone_section_lines_vanish);
	tcase_add_test(c, hash_dot_items_are_numbered_per_list);
	tcase_add_test(c, item_lists_take_one_value_line_per_item);
	tcase_add_test(c, crlf_templates_keep_crlf_and_positions);
	tcase_add_test(c, errors_name_line_and_column);
	tcase_add_test(c, deep_nesting_works);
	tcase_add_test(c, one_megabyte_template_renders);
	tcase_set_timeout(c, 60);
	suite_add_tcase(s, c);

	c = tcase_create("includes");
	tcase_add_checked_fixture(c, mk_tree, rm_tree);
	tcase_add_test(c, includes_render_with_the_same_variables);
	tcase_add_test(c, include_errors_name_their_position);
	tcase_add_test(c, include_depth_is_bounded);
	tcase_add_test(c, includes_cannot_leave_the_directory);
	tcase_add_test(c, include_dirs_allow_and_are_searched);
	suite_add_tcase(s, c);

	c = tcase_create("vars");
	tcase_add_test(c, vars_files_hold_names_values_and_comments);
	tcase_add_test(c, vars_values_continue_on_indented_lines);
	tcase_add_test(c, vars_errors_name_line_and_column);
	tcase_add_test(c, defines_and_environment);
	suite_add_tcase(s, c);

	c = tcase_create("builtins");
	tcase_add_test(c, phase_builtin_fills_every_part);
	tcase_add_test(c, phase_builtin_names_a_missing_part);
	tcase_add_test(c, builtins_are_listed);
	suite_add_tcase(s, c);
	return s;
}

CHECK_MAIN(tmpl_suite)
