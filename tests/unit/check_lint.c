/* check_lint.c — the phase-prompt linter: each rule fires on its bad
 * example and stays quiet on its good one; a good prompt is clean. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "check_main.h"
#include "lint.h"
#include "tmpl.h"

/* The rule a test is about (its findings alone are summarised), or -1 for
 * all: the rule tests' prompts may break other rules as well. */
static int only = -1;

/* Lints text and returns the findings as "line:rule" joined by spaces. */
static char *
lint_summary(const char *text)
{
	struct agent_lint_finding *f;
	size_t n, i, len = 0;
	static char buf[1024];

	ck_assert_int_eq(agent_lint(text, strlen(text), &f, &n), 0);
	buf[0] = '\0';
	for (i = 0; i < n; i++) {
		ck_assert(f[i].msg[0] != '\0');
		if (only >= 0 && f[i].rule != (enum agent_lint_rule)only)
			continue;
		len += (size_t)snprintf(buf + len, sizeof buf - len, "%s%u:%s", len ? " " : "",
		                        f[i].line, agent_lint_rule_name(f[i].rule));
	}
	free(f);
	return buf;
}

static void
is_lint(const char *text, const char *want)
{
	ck_assert_str_eq(lint_summary(text), want);
}

static const char good[] =
	"You are implementing Phase 3 of shop: the checkout page.\n"
	"\n"
	"## Project\n"
	"\n"
	"A Flask app; views in shop/views/, models in shop/models.py.\n"
	"\n"
	"## CRITICAL INSTRUCTIONS\n"
	"\n"
	"- For NEW files: use `cat > /path <<'EOF' ... EOF`\n"
	"- For EXISTING file modifications: use the Edit tool (read first, then edit)\n"
	"- Never write files through a Python script\n"
	"- Final step: run `make check 2>&1` and fix any errors; it decides\n"
	"- Report final result\n"
	"\n"
	"## Files to Create/Modify\n"
	"\n"
	"- shop/views/checkout.py (new): the view `checkout()`\n"
	"- shop/models.py: add `Order.total`\n"
	"\n"
	"## Steps\n"
	"\n"
	"1. Write shop/views/checkout.py with `checkout()` returning the cart total\n"
	"2. Add `Order.total` to shop/models.py\n"
	"   (sum of line items; see `LineItem.price`)\n"
	"3. Register the route in shop/urls.py\n"
	"4. Run `make check 2>&1`, fix any errors and re-run it until it passes, then report the final result\n";

static const char bad[] =
	"You are implementing Phase 3 of shop: the checkout page.\n"
	"\n"
	"## Files to Create/Modify\n"
	"\n"
	"- shop/views/checkout.py\n"
	"- shop/models.py\n"
	"\n"
	"## Steps\n"
	"\n"
	"1. Use Python scripts to write shop/views/checkout.py\n"
	"2. Update the CLI.\n"
	"3. Run `pytest` and `make lint`.\n";

START_TEST(good_prompt_is_clean)
{
	only = -1;
	is_lint(good, "");
}
END_TEST

START_TEST(bad_prompt_gets_every_finding)
{
	only = -1;
	is_lint(bad, "3:file-ops 10:script-writes 11:vague-step 12:last-step 12:many-verify");
}
END_TEST

START_TEST(crlf_prompt_lints_the_same)
{
	char crlf[sizeof bad * 2], *o = crlf;
	const char *s;
	only = -1;
	for (s = bad; *s; s++) {
		if (*s == '\n')
			*o++ = '\r';
		*o++ = *s;
	}
	*o = '\0';
	is_lint(crlf, "3:file-ops 10:script-writes 11:vague-step 12:last-step 12:many-verify");
}
END_TEST

START_TEST(phase_builtin_and_its_rendering_are_clean)
{
	size_t len, olen;
	const char *t = agent_tmpl_builtin("phase", &len);
	struct agent_tmpl_vars *v = agent_tmpl_vars_new();
	struct agent_tmpl_error err;
	char *out;
	only = -1;

	is_lint(t, "");
	ck_assert_int_eq(agent_tmpl_vars_define(v, "phase=2"), 0);
	ck_assert_int_eq(agent_tmpl_vars_define(v, "project=agentutils"), 0);
	ck_assert_int_eq(agent_tmpl_vars_define(v, "description=the linter"), 0);
	ck_assert_int_eq(agent_tmpl_vars_define(v, "context=C11; the library is lib/."), 0);
	ck_assert_int_eq(agent_tmpl_vars_define(v, "files=- lib/lint.c (new)\n- lib/agent.h"), 0);
	ck_assert_int_eq(agent_tmpl_vars_define(v,
		"steps=#. Write lib/lint.c with agent_lint()\n#. Include lint.h from lib/agent.h"), 0);
	ck_assert_int_eq(agent_tmpl_vars_define(v, "verify=make check"), 0);
	ck_assert_int_eq(agent_tmpl_render(t, len, "phase", NULL, v, NULL, &out, &olen, &err), 0);
	is_lint(out, "");
	free(out);
	agent_tmpl_vars_free(v);
	t = agent_tmpl_builtin("continue", &len);
	is_lint(t, "");
}
END_TEST

/* Each rule with the good and bad example agent-template(5) shows. */

START_TEST(rule_no_steps)
{
	only = AGENT_LINT_NO_STEPS;
	is_lint("Implement the parser in src/parse.c, then run `make check`.\n", "1:no-steps");
	is_lint("## Steps\n\nWrite src/parse.c.\n", "1:no-steps");
	is_lint("1. Implement the parser in src/parse.c\n"
	        "2. Run `make check 2>&1`, fix errors and re-run, report the result\n", "");
	is_lint("#. Implement the parser in src/parse.c\n"
	        "#. Run `make check 2>&1`, fix errors and re-run, report the result\n", "");
}
END_TEST

START_TEST(rule_last_step)
{
	only = AGENT_LINT_LAST_STEP;
	is_lint("1. Write src/a.c\n2. Write src/b.c\n", "2:last-step");
	is_lint("1. Write src/a.c\n2. Run `make check`\n", "2:last-step");
	is_lint("1. Write src/a.c\n2. Run `make check`, fix errors\n", "2:last-step");
	is_lint("1. Write src/a.c\n2. Run `make check` and report\n", "2:last-step");
	is_lint("1. Write src/a.c\n2. Run `make check 2>&1`, fix any errors and re-run until it "
	        "passes, then report the final result\n", "");
	/* continuation lines belong to the step */
	is_lint("1. Write src/a.c\n2. Run `make check 2>&1`\n   fix what fails and run it again\n"
	        "   report the result\n", "");
	/* the Steps list is the one that counts, not a later list */
	is_lint("## Steps\n1. Write src/a.c\n2. Run `make check`, fix, re-run, report\n"
	        "## Notes\n1. See docs/a.md\n", "");
	/* a template whose list ends in the items placeholder */
	is_lint("## Steps\n{{*steps}}\n", "2:last-step");
}
END_TEST

START_TEST(rule_file_ops)
{
	const char *steps = "\n## Steps\n1. Read src/a.c\n"
		"2. Run `make check 2>&1`, fix errors and re-run, report the result\n";
	char t[512];
	only = AGENT_LINT_FILE_OPS;
	snprintf(t, sizeof t, "## Files\n- src/a.c (new)\n%s", steps);
	is_lint(t, "1:file-ops");
	snprintf(t, sizeof t, "Work on these:\n- src/a.c\n- src/b.c\n%s", steps);
	is_lint(t, "2:file-ops");
	snprintf(t, sizeof t, "## Files\n- src/a.c (new): write it with `cat > src/a.c <<'EOF'`\n%s", steps);
	is_lint(t, "");
	snprintf(t, sizeof t, "## Files\n- src/a.c: change it with the Edit tool, after reading it\n%s", steps);
	is_lint(t, "");
	/* a files heading with nothing under it lists nothing */
	snprintf(t, sizeof t, "## Files\n%s", steps);
	is_lint(t, "");
}
END_TEST

START_TEST(rule_script_writes)
{
	const char *tail = "1. Edit src/a.c\n2. Run `make check 2>&1`, fix errors and re-run, report\n";
	char t[512];
	static const char *const badl[] = {
		"Use Python scripts to write files.",
		"Use a script to generate the new files.",
		"Write the files with a shell script.",
		"Create the files by running a Python script.",
		"Run python -c to write the file.",
		"Update config.toml via a small Perl script.",
	};
	static const char *const goodl[] = {
		"Never write files through a script.",
		"Do not use Python scripts to write files.",
		"Write src/a.c yourself; no script should generate it.",
		"Add scripts/release.sh that tags the release.",
		"Run the tests with the test script that exists.",
	};
	size_t i;
	only = AGENT_LINT_SCRIPT_WRITES;
	for (i = 0; i < sizeof badl / sizeof *badl; i++) {
		snprintf(t, sizeof t, "%s\n%s", badl[i], tail);
		ck_assert_msg(strcmp(lint_summary(t), "1:script-writes") == 0, "%s: %s", badl[i],
		              lint_summary(t));
	}
	for (i = 0; i < sizeof goodl / sizeof *goodl; i++) {
		snprintf(t, sizeof t, "%s\n%s", goodl[i], tail);
		ck_assert_msg(strcmp(lint_summary(t), "") == 0, "%s: %s", goodl[i], lint_summary(t));
	}
}
END_TEST

START_TEST(rule_vague_step)
{
	const char *last = "9. Run `make check 2>&1`, fix errors and re-run, report the result\n";
	static const char *const badl[] = {
		"Update the CLI.", "Add tests", "Refactor the parser for speed", "Fix the bug",
		"Clean up the error handling",
	};
	static const char *const goodl[] = {
		"Add a `--lint` option to the CLI", "Add tests in tests/unit/check_lint.c",
		"Refactor parse_line() for speed", "Fix the crash in agent_lint", "Update README.md",
		"Rename TmplVars to Vars", "Replace \"warning\" with \"error\" under -W error",
		"Read the design first",   /* no action of the listed kinds */
		"Edit {{file}} as described",
	};
	char t[512];
	size_t i;
	only = AGENT_LINT_VAGUE_STEP;
	for (i = 0; i < sizeof badl / sizeof *badl; i++) {
		snprintf(t, sizeof t, "1. %s\n%s", badl[i], last);
		ck_assert_msg(strcmp(lint_summary(t), "1:vague-step") == 0, "%s: %s", badl[i],
		              lint_summary(t));
	}
	for (i = 0; i < sizeof goodl / sizeof *goodl; i++) {
		snprintf(t, sizeof t, "1. %s\n%s", goodl[i], last);
		ck_assert_msg(strcmp(lint_summary(t), "") == 0, "%s: %s", goodl[i], lint_summary(t));
	}
	/* a vague first line made concrete by its continuation */
	is_lint("1. Update the CLI:\n   add `-W error` to bin/prompt-render.c\n2. Update the docs\n",
	        "3:vague-step");
}
END_TEST

START_TEST(rule_many_verify)
{
	const char *head = "1. Edit src/a.c\n";
	char t[512];
	only = AGENT_LINT_MANY_VERIFY;
	snprintf(t, sizeof t, "%s2. Run `make check` and `cargo test`, fix errors and re-run, report\n", head);
	is_lint(t, "2:many-verify");
	snprintf(t, sizeof t, "Check with `pytest`.\n%s2. Run `make check 2>&1`, fix errors and "
	         "re-run, report\n", head);
	is_lint(t, "3:many-verify");
	snprintf(t, sizeof t, "```\n$ npm test\n```\n%s2. Run `npm run lint`, fix errors and "
	         "re-run, report\n", head);
	is_lint(t, "5:many-verify");
	/* one command named twice is one command */
	snprintf(t, sizeof t, "Verify with `make check`.\n%s2. Run `make check 2>&1`, fix errors "
	         "and re-run, report\n", head);
	is_lint(t, "");
	/* saying which decides settles it */
	snprintf(t, sizeof t, "`make check` decides; `cargo test` is a quicker look.\n%s"
	         "2. Run `make check 2>&1`, fix errors and re-run, report\n", head);
	is_lint(t, "");
	/* commands that verify nothing do not count */
	snprintf(t, sizeof t, "Install with `npm install`.\n%s2. Run `npm test`, fix errors and "
	         "re-run, report\n", head);
	is_lint(t, "");
}
END_TEST

START_TEST(code_blocks_are_not_steps)
{
	only = -1;
	is_lint("```\n1. Update the CLI\n```\n", "1:no-steps");
	is_lint("1. Write src/a.c with `cat > src/a.c <<'EOF'`:\n```c\nint x;\n```\n"
	        "2. Run `make`, fix errors and re-run, report\n", "");
}
END_TEST

/* Numbering styles people use, and numbered lines that are not steps. */
START_TEST(numbering_styles)
{
	static const char *const styles[] = {
		"1. Read src/a.c\n2. Run `make check`, fix errors and re-run, report\n",
		"1) Read src/a.c\n2) Run `make check`, fix errors and re-run, report\n",
		"#. Read src/a.c\n#. Run `make check`, fix errors and re-run, report\n",
		"Step 1: Read src/a.c\nStep 2: Run `make check`, fix errors and re-run, report\n",
		"Step 1. Read src/a.c\nStep 2 \xe2\x80\x94 Run `make check`, fix errors and re-run, report\n",
		"**1.** Read src/a.c\n**2.** Run `make check`, fix errors and re-run, report\n",
		"**Step 1:** Read src/a.c\n**Step 2:** Run `make check`, fix errors and re-run, report\n",
		"1. [ ] Read src/a.c\n2. [ ] Run `make check`, fix errors and re-run, report\n",
		/* steps that are headings, their text below them */
		"## Step 1: read\n\nRead src/a.c.\n\n## Step 2: verify\n\n"
		"Run `make check`, fix errors and re-run, report.\n",
		"### Step 1 \xe2\x80\x94 read\nRead src/a.c.\n1. first this\n2. then that\n"
		"### Step 2 \xe2\x80\x94 verify\nRun `make check`, fix errors and re-run, report.\n",
		/* the prompt pasted in a fence */
		"The prompt:\n```\n1. Read src/a.c\n2. Run `make check`, fix errors and re-run, report\n```\n",
		"````markdown\n1. Read src/a.c:\n   ```c\n   int x;\n   ```\n"
		"2. Run `make check`, fix errors and re-run, report\n````\n",
	};
	size_t i;
	only = -1;
	for (i = 0; i < sizeof styles / sizeof *styles; i++)
		ck_assert_msg(strcmp(lint_summary(styles[i]), "") == 0, "%s: %s", styles[i],
		              lint_summary(styles[i]));
	/* a step heading ends at a heading of its level or above */
	is_lint("## Step 1: read\nRead src/a.c.\n## Notes\nRun `make check`, fix, re-run, report.\n",
	        "1:last-step");
	/* numbered lines of a heredoc's body are file content */
	is_lint("Create README.md with `make check` after:\ncat > README.md <<'EOF'\n1. Install\n"
	        "2. Run\nEOF\n", "1:no-steps");
	/* a heredoc that never ends is no heredoc */
	is_lint("Use cat > path <<'EOF'\n1. Read src/a.c\n2. Run `make check`, fix, re-run, report\n", "");
	/* a fence with a language, or items outside, is not the prompt */
	is_lint("```sh\n1. Read src/a.c\n2. Run `make check`, fix, re-run, report\n```\n", "1:no-steps");
	is_lint("1. Read src/a.c\n2. Run `make check`, fix, re-run, report\n"
	        "```\n1. one\n2. two\n```\n", "");
	/* a fence closes only on its own character, as long, with no info */
	is_lint("1. Read src/a.c:\n````\n```c\n9. not a step\n```\n````\n"
	        "2. Run `make check`, fix, re-run, report\n", "");
}
END_TEST

START_TEST(file_ops_in_steps)
{
	const char *last = "9. Run `make check 2>&1`, fix errors and re-run, report\n";
	static const struct {
		const char *text, *want;
	} cases[] = {
		/* files written in steps and prose, and nothing says how */
		{ "1. Create src/a.rs with `parse()`\n", "1:file-ops" },
		{ "1. Add `parse()` to src/a.rs\n", "1:file-ops" },
		{ "Put the model in app/models.py.\n1. Read docs/x.md\n", "1:file-ops" },
		{ "1. Read docs/x.md\n2. Modify `Cargo.toml`\n", "2:file-ops" },
		/* said how */
		{ "New files: `cat > path <<'EOF'`.\n1. Create src/a.rs\n", "" },
		{ "Edit files with the Edit\ntool.\n1. Add `parse()` to src/a.rs\n", "" },
		{ "Use apply_patch.\n1. Add `parse()` to src/a.rs\n", "" },
		/* the Write tool writes new files whole: fine for new ones ... */
		{ "Use the Write tool.\n1. Create src/a.rs\n2. Create src/b.rs (new)\n", "" },
		/* ... not for changing existing ones */
		{ "Use the Write tool.\n1. Create src/a.rs\n2. Add `mod a;` to src/lib.rs\n", "3:file-ops" },
		{ "Use cat > f <<'EOF' for files.\n1. Update src/lib.rs\n", "2:file-ops" },
		/* no file written */
		{ "1. Read src/a.rs and list the `unsafe` blocks\n", "" },
		{ "1. Do not modify src/vendor/lib.c; read it\n", "" },
		{ "1. Add a `--count` flag\n", "" },
		/* a sentence that describes, a step that only reads */
		{ "The CLI uses src/cli.c to parse arguments.\n1. Check src/db.c for races\n", "" },
	};
	char t[512];
	size_t i;
	only = AGENT_LINT_FILE_OPS;
	for (i = 0; i < sizeof cases / sizeof *cases; i++) {
		snprintf(t, sizeof t, "%s%s", cases[i].text, last);
		ck_assert_msg(strcmp(lint_summary(t), cases[i].want) == 0, "%s: %s", cases[i].text,
		              lint_summary(t));
	}
}
END_TEST

START_TEST(script_writes_in_any_language)
{
	const char *tail = "1. Edit src/a.c\n2. Run `make check 2>&1`, fix errors and re-run, report\n";
	static const char *const badl[] = {
		"Write a small Node script that generates locales/de.json.",
		"Create priv/gen.exs that writes one JSON file per country.",
		"Run `python3 - <<'PY'` to write the fixtures.",
		"Use perl -pi -e to update the version in every file.",
		"```\npython3 - <<'PY'\nopen('data/a.csv', 'w').write('x')\nPY\n```",
		"```\nnode -e 'require(\"fs\").writeFileSync(\"a.json\", \"{}\")'\n```",
	};
	static const char *const goodl[] = {
		"Write migrations/0002.sql, a migration script that creates the `users` table.",
		"Print the version with `node -e 'console.log(process.version)'`.",
		"Write the Python module src/app.py with `cat > src/app.py <<'EOF'`.",
		"```\npython3 - <<'PY'\nprint(sum(range(10)))\nPY\n```",
		"cat > bin/x <<'EOF'\n# Use a Ruby script to write the files.\nEOF",
		"Add tests/test_gen.py that checks the generated files.",
	};
	char t[512];
	size_t i;
	only = AGENT_LINT_SCRIPT_WRITES;
	for (i = 0; i < sizeof badl / sizeof *badl; i++) {
		snprintf(t, sizeof t, "%s\n%s", badl[i], tail);
		ck_assert_msg(strcmp(lint_summary(t), "1:script-writes") == 0 ||
		              strcmp(lint_summary(t), "2:script-writes") == 0, "%s: %s", badl[i],
		              lint_summary(t));
	}
	for (i = 0; i < sizeof goodl / sizeof *goodl; i++) {
		snprintf(t, sizeof t, "%s\n%s", goodl[i], tail);
		ck_assert_msg(strcmp(lint_summary(t), "") == 0, "%s: %s", goodl[i], lint_summary(t));
	}
}
END_TEST

START_TEST(many_verify_in_prose_and_lists)
{
	const char *head = "1. Edit src/a.rs\n";
	static const struct {
		const char *text, *want;
	} cases[] = {
		{ "2. Run `cargo test`, fix errors and re-run, report. Also run clippy. Also run fmt.\n",
		  "2:many-verify" },
		{ "2. Run the checks below, fix errors and re-run, report\n- `make test`\n- `make lint`\n",
		  "4:many-verify" },
		{ "2. Run `cargo test` and `cargo clippy` (optional), fix errors and re-run, report\n", "" },
		{ "2. Run `uv run ruff check .` and `uv run pytest`; only pytest counts. Fix, re-run, "
		  "report\n", "" },
		{ "2. Run `mix test` and `mix credo`; both must pass. Fix, re-run, report\n", "" },
		{ "`make lint` is advisory; `make test` decides.\n2. Run `make lint` and `make test`, fix "
		  "errors and re-run, report\n", "" },
		/* a word that only looks like a tool is not a command */
		{ "2. Run `go test ./...`, fix errors and re-run, report; use `fmt.Println` for output\n", "" },
		{ "2. Run `npm ci` and `npm test`, fix errors and re-run, report\n", "" },
		{ "2. Run `./gradlew testDebugUnitTest` and `./gradlew ktlintCheck`, fix, re-run, report\n",
		  "2:many-verify" },
	};
	char t[512];
	size_t i;
	only = AGENT_LINT_MANY_VERIFY;
	for (i = 0; i < sizeof cases / sizeof *cases; i++) {
		snprintf(t, sizeof t, "%s%s", head, cases[i].text);
		ck_assert_msg(strcmp(lint_summary(t), cases[i].want) == 0, "%s: %s", cases[i].text,
		              lint_summary(t));
	}
}
END_TEST

START_TEST(empty_and_odd_input)
{
	struct agent_lint_finding *f = (void *)1;
	size_t n = 9;
	ck_assert_int_eq(agent_lint("", 0, &f, &n), 0);
	ck_assert_uint_eq(n, 1);
	ck_assert_uint_eq(f[0].rule, AGENT_LINT_NO_STEPS);
	free(f);
	ck_assert_int_eq(agent_lint("\xff\xfe\n1. \xc3(\n", 8, &f, &n), 0);
	free(f);
	ck_assert_str_eq(agent_lint_rule_name(AGENT_LINT_MANY_VERIFY), "many-verify");
	ck_assert_str_eq(agent_lint_rule_name(AGENT_LINT_NRULES), "?");
}
END_TEST

/* The verification command of the last step: "line:command", or "!reason". */
static const char *
verify_of(const char *text)
{
	static char buf[512];
	char *cmd, why[256];
	unsigned line = 0;
	int rc = agent_lint_verify(text, strlen(text), &cmd, &line, why, sizeof why);

	ck_assert_int_ge(rc, 0);
	if (rc == 0) {
		ck_assert_ptr_nonnull(cmd);
		snprintf(buf, sizeof buf, "%u:%s", line, cmd);
		free(cmd);
	} else {
		ck_assert_ptr_null(cmd);
		snprintf(buf, sizeof buf, "!%s", why);
	}
	return buf;
}

static void
is_verify(const char *text, const char *want)
{
	ck_assert_str_eq(verify_of(text), want);
}

START_TEST(verify_one_command)
{
	const char *w = "1. Write src/a.c\n";
	char t[512];
#define V(last, want) (snprintf(t, sizeof t, "%s%s\n", w, last), is_verify(t, want))
	V("2. Run `make check 2>&1`, fix errors and re-run, report", "2:make check 2>&1");
	V("2. Run ` $ cargo test --all `, fix errors and re-run, report", "2:cargo test --all");
	V("2. Run make check, fix errors and re-run, report", "2:make check");
	V("2. Run pytest -q tests/ until it passes, fixing errors; report", "2:pytest -q tests/");
	V("2. Run go test ./... and fix errors, re-run, report", "2:go test ./...");
	V("2. Run `npm run typecheck` then fix, re-run, report", "2:npm run typecheck");
	/* named in words and in a span: one command */
	V("2. Fix errors and re-run make check until `make check` passes; report", "2:make check");
	/* continuation lines and fenced blocks belong to the step */
	V("2. Run the tests, fix errors and re-run, report:\n   ```sh\n   $ mix test\n   ```",
	  "4:mix test");
	V("2. Fix errors and re-run, report:\n   `zig build test`", "3:zig build test");
	/* spans that do not run a build or test are not commands */
	V("2. Run `npm install` and `npm test`, fix errors and re-run, report", "2:npm test");
	/* one command written twice */
	V("2. Run `make check`, fix, run `make check 2>&1` again, report", "2:make check");
#undef V
}
END_TEST

START_TEST(verify_the_deciding_one)
{
	const char *last = "1. Write src/a.c\n2. Run `make lint` and `make test`, fix errors and re-run, report\n";
	static const char *const decide[] = {
		"`make lint` is advisory; `make test` decides.",
		"`make test` decides; `make lint` is only a quicker look.",
		"Only `make test` counts.",
		"`make test` must pass.",
		"The gate is `make test`. It decides whether the phase is done.",
		"Run `make lint` (optional) before `make test`.",
		"- Final step: run `make test 2>&1` and fix any errors; that command alone decides\n"
		"  whether the phase is done",
	};
	char t[512];
	size_t i;
	for (i = 0; i < sizeof decide / sizeof *decide; i++) {
		snprintf(t, sizeof t, "%s\n\n%s", decide[i], last);
		ck_assert_msg(strcmp(strchr(verify_of(t), ':'), ":make test") == 0, "%s: %s", decide[i], verify_of(t));
	}
	is_verify("1. Write src/a.c\n2. Run `cargo test` (`cargo clippy` is optional), fix errors "
	          "and re-run, report\n", "2:cargo test");
}
END_TEST

START_TEST(verify_none_or_several)
{
	is_verify("Just run `make check`.\n", "!no numbered steps, so no last step to name a "
	          "verification command");
	is_verify("1. Write src/a.c\n2. Fix errors and re-run, report\n",
	          "!line 2: the last step names no verification command");
	/* a command elsewhere is not the last step's */
	is_verify("Run `make check` at the end.\n1. Write src/a.c\n2. Fix errors and re-run, report\n",
	          "!line 3: the last step names no verification command");
	is_verify("1. Write src/a.c\n2. Run `make lint` and `make test`, fix errors and re-run, report\n",
	          "!line 2: the last step names more than one verification command (`make lint`, "
	          "`make test`) and none as deciding");
	/* both said to decide: still not one */
	is_verify("1. Write src/a.c\n2. Run `make lint` and `make test`; both must pass. Fix, re-run, "
	          "report\n", "!line 2: the last step names more than one verification command "
	          "(`make lint`, `make test`) and none as deciding");
	is_verify("#. Write src/a.c\n#. Run `{{verify}} 2>&1`, fix errors and re-run, report\n",
	          "!line 2: the verification command is a template tag; render the prompt first");
	is_verify("1. Write src/a.c\n2. Run `make check\x01`, fix, re-run, report\n",
	          "!line 2: the verification command holds a control character");
	is_verify("## Steps\n{{*steps}}\n", "!line 2: the last step names no verification command");
}
END_TEST

/* Hundreds of commands in one step: which one decides is still found
 * (commands are told apart by sorting their keys, and a clause's word is
 * looked for among the others only when the clause has it). */
START_TEST(verify_among_hundreds_of_commands)
{
	char *t = malloc(16384);
	size_t n = 0, i;

	ck_assert_ptr_nonnull(t);
	n += (size_t)snprintf(t + n, 16384 - n, "1. Write src/a.c\n2. Run");
	for (i = 0; i < 300; i++)
		n += (size_t)snprintf(t + n, 16384 - n, " `make check-%zu`", i);
	snprintf(t + n, 16384 - n, ", fix errors and re-run, report\n");
	is_verify(t, "!line 2: the last step names more than one verification command "
	          "(`make check-0`, `make check-1`) and none as deciding");
	/* "check-7" is a word of the one it names, not of check-70 */
	snprintf(t + n, 16384 - n, ". Only make check-7 counts; fix errors and re-run, report\n");
	is_verify(t, "2:make check-7");

	/* one command written 300 times and another: two */
	n = (size_t)snprintf(t, 16384, "1. Write src/a.c\n2. Run");
	for (i = 0; i < 300; i++)
		n += (size_t)snprintf(t + n, 16384 - n, " `make test`");
	snprintf(t + n, 16384 - n, " and `npm test`, fix errors and re-run, report\n");
	is_verify(t, "!line 2: the last step names more than one verification command "
	          "(`make test`, `npm test`) and none as deciding");
	snprintf(t + n, 16384 - n, " and `npm test` (optional), fix errors and re-run, report\n");
	is_verify(t, "2:make test");
	free(t);
}
END_TEST

/* Commands named in words count after "run" (or "the" after it, however
 * far apart), also on a line of hundreds of them. */
START_TEST(many_verify_named_in_words_on_a_long_line)
{
	char *t = malloc(16384);
	size_t n, i;

	ck_assert_ptr_nonnull(t);
	only = AGENT_LINT_MANY_VERIFY;
	n = (size_t)snprintf(t, 16384, "1. Write src/a.c\n2. Fix errors and re-run, report\n\nNotes:");
	for (i = 0; i < 200; i++)
		n += (size_t)snprintf(t + n, 16384 - n, " see make check-%zu,", i);
	snprintf(t + n, 16384 - n, " run the \t make check-x and also   make check-y.\n");
	is_lint(t, "4:many-verify");
	snprintf(t + n, 16384 - n, " run the \t make check-x.\n");
	is_lint(t, "");
	only = -1;
	free(t);
}
END_TEST

START_TEST(verify_of_the_phase_builtin)
{
	size_t len, olen;
	const char *t = agent_tmpl_builtin("phase", &len);
	struct agent_tmpl_vars *v = agent_tmpl_vars_new();
	struct agent_tmpl_error err;
	char *out;

	ck_assert_int_eq(agent_tmpl_vars_define(v, "phase=2"), 0);
	ck_assert_int_eq(agent_tmpl_vars_define(v, "project=p"), 0);
	ck_assert_int_eq(agent_tmpl_vars_define(v, "description=d"), 0);
	ck_assert_int_eq(agent_tmpl_vars_define(v, "context=c"), 0);
	ck_assert_int_eq(agent_tmpl_vars_define(v, "files=- a.c"), 0);
	ck_assert_int_eq(agent_tmpl_vars_define(v, "steps=#. Write a.c with main()"), 0);
	ck_assert_int_eq(agent_tmpl_vars_define(v, "verify=cargo test --workspace"), 0);
	ck_assert_int_eq(agent_tmpl_render(t, len, "phase", NULL, v, NULL, &out, &olen, &err), 0);
	ck_assert_str_eq(strchr(verify_of(out), ':') + 1, "cargo test --workspace 2>&1");
	free(out);
	agent_tmpl_vars_free(v);
}
END_TEST

static Suite *
lint_suite(void)
{
	Suite *s = suite_create("lint");
	TCase *c = tcase_create("prompts");
	tcase_add_test(c, good_prompt_is_clean);
	tcase_add_test(c, bad_prompt_gets_every_finding);
	tcase_add_test(c, crlf_prompt_lints_the_same);
	tcase_add_test(c, phase_builtin_and_its_rendering_are_clean);
	suite_add_tcase(s, c);
	c = tcase_create("rules");
	tcase_add_test(c, rule_no_steps);
	tcase_add_test(c, rule_last_step);
	tcase_add_test(c, rule_file_ops);
	tcase_add_test(c, rule_script_writes);
	tcase_add_test(c, rule_vague_step);
	tcase_add_test(c, rule_many_verify);
	tcase_add_test(c, many_verify_named_in_words_on_a_long_line);
	tcase_add_test(c, code_blocks_are_not_steps);
	tcase_add_test(c, numbering_styles);
	tcase_add_test(c, file_ops_in_steps);
	tcase_add_test(c, script_writes_in_any_language);
	tcase_add_test(c, many_verify_in_prose_and_lists);
	tcase_add_test(c, empty_and_odd_input);
	suite_add_tcase(s, c);
	c = tcase_create("verify");
	tcase_add_test(c, verify_one_command);
	tcase_add_test(c, verify_the_deciding_one);
	tcase_add_test(c, verify_none_or_several);
	tcase_add_test(c, verify_of_the_phase_builtin);
	tcase_add_test(c, verify_among_hundreds_of_commands);
	suite_add_tcase(s, c);
	return s;
}

CHECK_MAIN(lint_suite)
