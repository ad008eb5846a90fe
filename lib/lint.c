/* lint.c — the phase-prompt linter: finds the step list, then checks steps
 * and file-operation instructions with PCRE2 rules (verification commands
 * are lint_cmd.c's). */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "lint_int.h"
#include "buf.h"

/* Words that run a build or test: with one of these a code span is a
 * verification command. */
#define RUNNER "(?:make|cargo|npm|pnpm|yarn|npx|go|dotnet|mvn|\\./mvnw|gradle|\\./gradlew|bun|deno|" \
	"just|ninja|meson|bazel|swift|mix|rake|bundle|zig|cmake|uv|poetry|pipenv|hatch|stack|cabal|" \
	"dune|wasm-pack|xcodebuild|rebar3|sbt|lein|composer|python3?)"
#define TESTER "(?:pytest|ctest|tox|jest|vitest|prove|phpunit|mypy|ruff|tsc|eslint|shellcheck|" \
	"rspec|nox|clippy|rustfmt|gofmt|golangci-lint|staticcheck|ktlint|detekt|rubocop|hlint|" \
	"swiftlint|flake8|pylint|black|prettier|fmt)"
#define VERIFY_WORD "(?:test|check|build|lint|vet|clippy|verify|ci|typecheck|fmt|credo|dialyzer)"
/* a runner's task that verifies ("test", "check-all", "testDebugUnitTest",
 * "test:unit"), or a tester; "npm ci" installs */
#define END "(?![\\w/-]|\\.\\w)"
#define RUN_CMD "(?!npm\\s+ci\\b)(?:\\w+=\\S*\\s+)*(?:" RUNNER "(?:\\s+(?:run|exec|x|task|-[\\w-]+))*" \
	"\\s+(?:[\\w:.-]*?" VERIFY_WORD "(?:[\\w:.-]*\\w)?|" TESTER ")|" TESTER ")" END
#define SCRIPT "(?:(?:python3?|perl|ruby|node|shell|bash|sh|elixir|deno|bun|php|small|quick|helper|" \
	"throwaway|one-off|generator)\\s+)?(?<![\\w/.-])(?:scripts?|generators?)(?![\\w/-]|\\.\\w)" \
	"|\\b(?:python3?|perl|ruby|node|elixir|deno|bun)\\b(?:\\s+-[a-z]*[cep]\\b)?"
/* within one sentence: a dot inside a file name does not end it */
#define SENT "(?:[^.;]|\\.(?=\\S))"
#define WRITES "\\b(?:writ(?:e|es|ing)|creat(?:e|es|ing)|generat(?:e|es|ing)|modif(?:y|ies|ying)" \
	"|edit(?:s|ing)?|produc(?:e|es|ing)|emit(?:s|ting)?|updat(?:e|es|ing)|patch(?:es|ing)?)\\b"
#define EXT "(?:c|h|cc|cpp|cxx|hpp|hh|rs|py|pyi|ts|tsx|js|jsx|mjs|cjs|go|mod|kt|kts|java|scala|ex|exs|" \
	"erl|hrl|rb|rake|hs|cabal|zig|swift|m|mm|cs|fs|ml|mli|php|lua|pl|pm|sh|bash|toml|ya?ml|json|" \
	"jsonc|xml|html?|css|scss|vue|svelte|md|rst|txt|adoc|sql|proto|graphql|ini|cfg|conf|env|lock|" \
	"mk|cmake|gradle|properties|plist|csv|tsv|dart|nix|tf|tmpl|tpl|j2|erb|heex|eex|builder|r|jl|" \
	"el|clj|edn)"
/* a file or directory named in the text */
#define FILE_TOKEN "(?<![\\w.@/:~-])(?:(?:[\\w.-]+/){2,}[\\w.-]*|(?:[\\w.-]+/)+[\\w-]*\\.[A-Za-z]\\w{0,7}\\b" \
	"|[\\w.-]+/(?=[\\s`'\",;:)]|$)|[\\w-]+(?:\\.[\\w-]+)*\\." EXT END ")" \
	"|\\b(?:Makefile|GNUmakefile|Dockerfile|Gemfile|Rakefile|Procfile|Justfile|CMakeLists\\.txt)\\b"
/* verbs that have the agent write a file, in the imperative: "uses" in
 * "the CLI uses src/cli.c" describes, "check src/a.c" only reads */
#define ACTION "add|update|change|fix|improve|refactor|modify|implement|clean|adjust|support|wire|hook|" \
	"extend|rework|rewrite|write|create|remove|delete|rename|move|replace|edit|document|integrate|" \
	"migrate|configure|set up|convert|port|call|register|use|set|insert|export|include|link|put|" \
	"append|bump|skip|maintain|import|declare|define|expose|enable|disable|generate|scaffold|make|" \
	"cover|emit|apply|patch|introduce|handle|drop|stub|wrap|split|merge|inline|pass|return|raise|" \
	"throw|log|guard|validate|store|save|cache|mount|route|print"

static struct agent__rx pats[RE_N] = {
	/* "1.", "1)", "#.", "Step 1:", "**1.**", "**Step 1 —**" */
	[RE_NUMBERED] = { "^([ \\t]*)(?:\\*\\*|__)?(?:(?:[Ss]tep|STEP)[ \\t]+[0-9]{1,3}(?:[ \\t]*[:.)])?"
	                  "|[0-9]{1,9}[.)]|#\\.)(?:\\*\\*|__)?(?:[ \\t]+[-\\x{2013}\\x{2014}](?=[ \\t]|$))?(?:[ \\t]+|$)", 0, NULL },
	[RE_ITEMS_TAG] = { "^([ \\t]*)\\{\\{\\*[ \\t]*[A-Za-z_][\\w.-]*[ \\t]*\\}\\}[ \\t]*$", 0, NULL },
	[RE_BULLET] = { "^([ \\t]*)[-*+][ \\t]+", 0, NULL },
	[RE_HEADING] = { "^[ \\t]{0,3}(#{1,6})(?:[ \\t]+|$)", 0, NULL },
	[RE_COLON_HEADING] = { "^[A-Z][^:`]{0,60}:[ \\t]*$", 0, NULL },
	[RE_FENCE] = { "^[ \\t]*(`{3,}|~{3,})[ \\t]*([^`]*?)[ \\t]*$", 0, NULL },
	[RE_PROSE_INFO] = { "^(?:|text|txt|plain|plaintext|markdown|md|prompt)$", PCRE2_CASELESS, NULL },
	[RE_HEREDOC] = { "<<-?[ \\t]*(['\"]?)([A-Za-z_]\\w*)\\1[ \\t]*`?[ \\t]*$", 0, NULL },
	[RE_STEPS_HEAD] = { "\\b(?:steps?|tasks?|plan|todo|instructions)\\b", PCRE2_CASELESS, NULL },
	[RE_FILES_HEAD] = { "\\bfiles?\\b", PCRE2_CASELESS, NULL },
	[RE_PATHLIKE] = { "^[-*+][ \\t]+`?[\\w.~-]*(?:/[\\w.-]+|\\.[A-Za-z0-9]{1,8}\\b)", 0, NULL },
	[RE_COMMAND] = { "`[^`]+`|2>&1|(?<![\\w/.-])" RUN_CMD, 0, NULL },
	[RE_FIX] = { "\\bfix", PCRE2_CASELESS, NULL },
	[RE_RERUN] = { "\\bre-?run|\\brun (?:it|them|this|that) again|\\bagain\\b|\\buntil\\b|\\brepeat", PCRE2_CASELESS, NULL },
	[RE_REPORT] = { "\\breport", PCRE2_CASELESS, NULL },
	/* how new files are written: whole, in one go */
	[RE_OPS_NEW] = { "cat\\s*>{1,2}\\s*\\S+\\s*<<|<<-?\\s*['\"]?EOF|\\b(?:write|create)(?:_file)?\\s+tool\\b"
	                 "|\\bwrite_file\\b", PCRE2_CASELESS, NULL },
	/* how existing files are changed: in place, after reading them */
	[RE_OPS_EDIT] = { "\\b(?:edit|multi_?edit|str_replace(?:_editor)?|apply_patch|patch|replace)\\s+tool\\b"
	                  "|\\bapply_patch\\b|\\bstr_replace\\b", PCRE2_CASELESS, NULL },
	[RE_FILE] = { FILE_TOKEN, 0, NULL },
	[RE_WRITE_VERB] = { "\\b(?:" ACTION ")\\b", PCRE2_CASELESS, NULL },
	[RE_CHANGE_CUE] = { "(?:\\b(?:in|into|to|from|inside|within|under|of)\\s+(?:the\\s+)?(?:file\\s+|module\\s+)?`?$)"
	                    "|\\b(?:modif|updat|edit|chang|extend|patch|refactor|rewrit|fix|renam|bump)\\w*", PCRE2_CASELESS, NULL },
	[RE_NEW_CUE] = { "^`?[^\\s`]*`?\\s*\\((?:new|new file|create)\\b", PCRE2_CASELESS, NULL },
	[RE_SCRIPT1] = { "\\b(?:use|using|with|via|through|by|run|running|write|create|have|let)\\b"
	                 SENT "{0,30}?(?:" SCRIPT ")" SENT "{0,40}?\\b(?:to|that|which)\\b" SENT "{0,40}?" WRITES, PCRE2_CASELESS, NULL },
	[RE_SCRIPT2] = { WRITES SENT "{0,60}?\\b(?:with|via|through|using|by)\\b" SENT "{0,30}?(?:" SCRIPT ")", PCRE2_CASELESS, NULL },
	/* a generator in a script file: "create gen.exs that writes the fixtures" */
	[RE_SCRIPT3] = { "\\b(?:write|create|add)\\s+(?:a\\s+)?`?(?:[\\w.-]+/)*[\\w-]+\\.(?:exs|py|js|mjs|cjs|rb|pl|sh)`?"
	                 "\\s+(?:that|which)\\s+" SENT "{0,20}?" WRITES, PCRE2_CASELESS, NULL },
	/* an interpreter fed a script: "python3 - <<'PY'", "node -e '...'" */
	[RE_INTERP] = { "(?<![\\w/.-])(?:python3?|node|ruby|perl|elixir|bun|deno|php|lua)\\b[^<|;&]*"
	                "(?:<<-?[ \\t]*(['\"]?)([A-Za-z_]\\w*)\\1|\\s-[a-z]*[ce]\\s)", 0, NULL },
	[RE_WRITE_CALL] = { "\\bopen\\(.*['\"][wax]b?\\+?['\"]|\\.write_(?:text|bytes)\\(|\\bwriteFile(?:Sync)?\\("
	                    "|\\bfs\\.write|\\bFile\\.(?:write|open)|\\bIO\\.write|\\bos\\.WriteFile|\\.write\\(", 0, NULL },
	[RE_FILE_OBJ] = { FILE_TOKEN "|\\b(?:files?|modules?|sources?|fixtures?|configs?|configuration|locales?"
	                  "|translations?|stubs?|boilerplate|code|tests?|json|yaml|csv|html|markdown|docs?"
	                  "|director(?:y|ies)|folders?)\\b", PCRE2_CASELESS, NULL },
	[RE_NEGATION] = { "\\b(?:do not|don't|dont|never|avoid|not|no|instead of|rather than)\\b", PCRE2_CASELESS, NULL },
	[RE_ACTION] = { "\\b(?:add|update|change|fix|improve|refactor|modify|implement|clean|handle|"
	                "adjust|support|make|wire|hook|extend|rework|rewrite|write|create|remove|delete|"
	                "rename|move|replace|edit|test|document|integrate|migrate|configure|set up|"
	                "setup|ensure|tidy|polish|optimi[sz]e|convert|port|finish|complete)", PCRE2_CASELESS, NULL },
	[RE_ANCHOR] = { "`[^`]+`|\\{\\{|\\S/\\S|(?<![\\w.])[\\w-]{2,}\\.[A-Za-z0-9]{1,8}(?![\\w])(?!\\.\\w)"
	                "|::|->|\\w\\(|(?<![\\w-])--?[A-Za-z][\\w-]*|\"[^\"]+\"|\\$\\w+|(?<![\\w/.-])" RUN_CMD, 0, NULL },
	[RE_SYMBOL] = { "\\b[A-Za-z]\\w*_\\w+\\b|\\b[a-z]+[A-Z]\\w*\\b|\\b[A-Z][a-z0-9]+[A-Z]\\w*\\b", 0, NULL },
	[RE_SPAN] = { "`([^`]+)`", 0, NULL },
	[RE_VERIFY_CMD] = { "^\\s*(?:\\$\\s+)?(?:" RUN_CMD "|(?:make|ninja|just)\\s*$|\\{\\{\\s*[\\w.-]+\\s*\\}\\})", 0, NULL },
	/* a command named in words: the runner, its task, then options and paths */
	[RE_BARE_CMD] = { "(?<![\\w/.-])" RUN_CMD "(?:\\s+(?:--?\\w[\\w=.-]*|[\\w.-]*/[\\w./*-]*))*", 0, NULL },
	/* what comes just before a command named in words in prose */
	[RE_RUN_BEFORE] = { "\\b(?:run|runs|running|re-?run|execute|also)\\s+(?:the\\s+|a\\s+)?$", PCRE2_CASELESS, NULL },
	[RE_DECIDES] = { "\\bdecides?\\b|\\bdecisive\\b|\\bauthoritative\\b|source of truth|what counts"
	                 "|\\bonly\\b[^.]{0,40}\\bcounts\\b|must (?:all |both )?pass|takes precedence|\\bpriority\\b"
	                 "|final say", PCRE2_CASELESS, NULL },
	[RE_ADVISORY] = { "\\badvisory\\b|\\boptional(?:ly)?\\b|\\binformational\\b|for information"
	                  "|(?:quick(?:er)?|fast(?:er)?) (?:look|check|feedback)|not required|need not pass"
	                  "|does(?: not|n't) decide|not decisive|nice to have|as a hint", PCRE2_CASELESS, NULL },
	[RE_PRONOUN] = { "^\\W*(?:it|this|that|which|this one|that one|the latter|the last|both|all|they"
	                 "|these|each)\\b", PCRE2_CASELESS, NULL },
};
static struct agent__rxset rules = AGENT__RXSET(pats);

/* Compiled once per process and kept (lib/rx.c): compiling them is most
 * of the cost of linting a prompt. */
int
lint_open(struct lint *l)
{
	*l = (struct lint){0};
	if (agent__rx_compile(&rules) < 0)
		return -1;          /* EINVAL: a bad built-in pattern, caught by the tests */
	l->rules = &rules;
	if (!(l->md = pcre2_match_data_create(4, NULL))) {
		errno = ENOMEM;
		return -1;
	}
	return 0;
}

void
lint_close(struct lint *l)
{
	pcre2_match_data_free(l->md);
	free(l->f);
	l->md = NULL;
	l->f = NULL;
}

/* Offset of the first match of rule r in s, -1 if none; *mlen its length. */
long
lint_find(struct lint *l, int r, const char *s, size_t len, size_t *mlen)
{
	int rc = pcre2_match(agent__rx_code(l->rules, r), (PCRE2_SPTR)s, len, 0, 0, l->md, NULL);
	if (rc < 0)
		return -1;
	PCRE2_SIZE *ov = pcre2_get_ovector_pointer(l->md);
	if (mlen)
		*mlen = ov[1] - ov[0];
	return (long)ov[0];
}

int
lint_has(struct lint *l, int r, const char *s, size_t len)
{
	return lint_find(l, r, s, len, NULL) >= 0;
}

int
lint_report(struct lint *l, unsigned line, enum agent_lint_rule rule, const char *fmt, ...)
{
	va_list ap;
	struct agent_lint_finding *f = agent__grow(l->f, &l->capf, l->nf, sizeof *f);

	if (f == NULL)
		return -1;
	l->f = f;
	f = &l->f[l->nf++];
	f->line = line;
	f->rule = rule;
	va_start(ap, fmt);
	vsnprintf(f->msg, sizeof f->msg, fmt, ap);
	va_end(ap);
	return 0;
}

/* The text of lines first..last joined by spaces, malloc'd. */
static char *
join_lines(const struct lline *ln, size_t first, size_t last, size_t *len)
{
	size_t i, n = 0;
	char *p;
	for (i = first; i <= last; i++)
		n += ln[i].len + 1;
	if (!(p = malloc(n + 1)))
		return NULL;
	n = 0;
	for (i = first; i <= last; i++) {
		size_t from = i == first ? ln[i].text : 0;
		memcpy(p + n, ln[i].s + from, ln[i].len - from);
		n += ln[i].len - from;
		p[n++] = ' ';
	}
	p[n] = '\0';
	*len = n;
	return p;
}

static const char *
excerpt(const struct lline *ln, char *buf, size_t size)
{
	size_t n = ln->len - ln->text;
	if (n > 40) {
		snprintf(buf, size, "%.37s...", ln->s + ln->text);
	} else
		snprintf(buf, size, "%.*s", (int)n, ln->s + ln->text);
	return buf;
}

/* The line ending the heredoc that line i opens, within lines i+1..to-1;
 * 0 when line i opens none (or it is never closed). */
static size_t
heredoc_end(struct lint *l, const struct doc *d, size_t i, size_t to)
{
	const struct lline *x = &d->ln[i];
	size_t j, wlen;
	const char *w;

	if (lint_find(l, RE_HEREDOC, x->s, x->len, NULL) < 0)
		return 0;
	PCRE2_SIZE *ov = pcre2_get_ovector_pointer(l->md);
	w = x->s + ov[4];
	wlen = ov[5] - ov[4];
	for (j = i + 1; j < to; j++) {
		const struct lline *y = &d->ln[j];
		size_t n = y->len;
		while (n > y->indent && (y->s[n - 1] == ' ' || y->s[n - 1] == '\t'))
			n--;
		if (n - y->indent == wlen && memcmp(y->s + y->indent, w, wlen) == 0)
			return j;
	}
	return 0;
}

/* Whether line x is a fence: its character, length, and whether it has
 * an info string and that names prose. */
static int
fence_of(struct lint *l, const struct lline *x, char *ch, size_t *n, int *info, int *prose)
{
	if (lint_find(l, RE_FENCE, x->s, x->len, NULL) < 0)
		return 0;
	PCRE2_SIZE *ov = pcre2_get_ovector_pointer(l->md);
	*ch = x->s[ov[2]];
	*n = ov[3] - ov[2];
	*info = ov[5] > ov[4];
	*prose = lint_has(l, RE_PROSE_INFO, x->s + ov[4], ov[5] - ov[4]);
	return 1;
}

/* What a line outside code is: a numbered item (or step heading), an
 * item-list tag, a heading, a bullet. */
static void
classify_text(struct lint *l, struct lline *x)
{
	size_t mlen, hlen;

	if (lint_find(l, RE_HEADING, x->s, x->len, &hlen) == 0) {
		PCRE2_SIZE *ov = pcre2_get_ovector_pointer(l->md);
		x->heading = 1;
		x->hlevel = (int)(ov[3] - ov[2]);
		if (lint_find(l, RE_NUMBERED, x->s + hlen, x->len - hlen, &mlen) == 0) {
			x->numbered = 1;    /* "## Step 1: ..." */
			x->text = hlen + mlen;
		}
	} else if (lint_find(l, RE_NUMBERED, x->s, x->len, &mlen) == 0) {
		x->numbered = 1;
		x->text = mlen;
	} else if (lint_has(l, RE_ITEMS_TAG, x->s, x->len)) {
		x->numbered = x->items_tag = 1;
		x->text = x->indent;
	} else if (lint_has(l, RE_COLON_HEADING, x->s, x->len)) {
		x->heading = 1;
		x->hlevel = 7;
	} else if (lint_has(l, RE_BULLET, x->s, x->len))
		x->bullet = 1;
}

/* Says what each of lines from..to-1 is: fenced code (a fence closes on
 * the same character, at least as long, with no info string), a heredoc's
 * body, or text. */
static void
classify_range(struct lint *l, struct doc *d, size_t from, size_t to)
{
	size_t i, flen = 0, n, hd_end = 0;
	char fch = 0, ch;
	int info, prose;

	for (i = from; i < to; i++) {
		struct lline *x = &d->ln[i];
		*x = (struct lline){ .s = x->s, .len = x->len, .indent = x->indent };
		if (hd_end && i <= hd_end) {
			x->code = x->heredoc = 1;
		} else if (fch) {
			x->code = 1;
			if (fence_of(l, x, &ch, &n, &info, &prose) && ch == fch && n >= flen && !info) {
				x->fence = 2;
				fch = 0;
			}
		} else if (fence_of(l, x, &fch, &flen, &info, &prose)) {
			x->code = 1;
			x->fence = 1;
		} else {
			hd_end = heredoc_end(l, d, i, to);
			classify_text(l, x);
		}
	}
}

/* A fenced block without a language (or marked text, markdown, prompt)
 * that holds numbered items, in a text with none outside code, is the
 * prompt itself pasted in a fence: its lines are read as text. */
static void
open_prompt_fences(struct lint *l, struct doc *d)
{
	size_t i, j, k, items;
	char ch;
	int info, prose;

	for (i = 0; i < d->nl; i++)
		if (d->ln[i].numbered && !d->ln[i].code)
			return;
	for (i = 0; i < d->nl; i++) {
		if (d->ln[i].fence != 1)
			continue;
		for (j = i + 1; j < d->nl && d->ln[j].fence != 2; j++)
			;
		fence_of(l, &d->ln[i], &ch, &k, &info, &prose);
		for (items = 0, k = i + 1; k < j; k++)
			items += lint_has(l, RE_NUMBERED, d->ln[k].s, d->ln[k].len);
		if (prose && items >= 2)
			classify_range(l, d, i + 1, j);
		i = j;
	}
}

/* Cuts the text into lines and says what each is. */
static void
classify_lines(struct lint *l, struct doc *d)
{
	size_t pos = 0;

	for (d->nl = 0; pos <= d->len; d->nl++) {
		const char *p = pos < d->len ? memchr(d->text + pos, '\n', d->len - pos) : NULL;
		size_t le = p ? (size_t)(p - d->text) : d->len;
		struct lline *x = &d->ln[d->nl];
		x->s = d->text + pos;
		x->len = le - pos;
		if (x->len && x->s[x->len - 1] == '\r')
			x->len--;
		while (x->indent < x->len && (x->s[x->indent] == ' ' || x->s[x->indent] == '\t'))
			x->indent++;
		pos = le + 1;
	}
	classify_range(l, d, 0, d->nl);
	open_prompt_fences(l, d);
}

/* Groups numbered lines into steps and lists, notes the headings that
 * name steps and files, and picks the list of steps. */
static void
build_lists(struct lint *l, struct doc *d)
{
	struct list *cur = NULL;
	size_t cur_indent = 0, i;
	int last_head_steps = 0, files_content = 0;

	for (i = 0; i < d->nl; i++) {
		struct lline *x = &d->ln[i];
		if (x->len == x->indent && !x->code)
			continue;                        /* blank */
		if (cur && cur->hlevel) {                /* steps that are headings */
			if (x->numbered && x->heading && x->hlevel == cur->hlevel) {
				d->st[d->ns++] = (struct step){ i, i, 0 };
				cur->n++;
				continue;
			}
			if (!x->heading || x->hlevel > cur->hlevel) {
				d->st[d->ns - 1].last = i;
				continue;
			}
			cur = NULL;
		}
		if (x->numbered && x->heading) {
			cur = &d->li[d->nli++];
			*cur = (struct list){ d->ns, 1, 1, x->hlevel };
			d->st[d->ns++] = (struct step){ i, i, 0 };
			continue;
		}
		if (x->numbered && (!cur || x->indent <= cur_indent)) {
			if (!cur || x->indent < cur_indent) {
				cur = &d->li[d->nli++];
				cur->first = d->ns;
				cur->under_steps = last_head_steps;
				cur_indent = x->indent;
			}
			d->st[d->ns++] = (struct step){ i, i, x->items_tag };
			cur->n++;
			continue;
		}
		if (cur && (x->code || (!x->heading && x->indent > cur_indent))) {
			d->st[d->ns - 1].last = i;               /* continuation */
			continue;
		}
		cur = NULL;
		if (x->heading) {
			last_head_steps = lint_has(l, RE_STEPS_HEAD, x->s, x->len);
			if (lint_has(l, RE_FILES_HEAD, x->s, x->len) && !last_head_steps) {
				d->files_head = i + 1;
				files_content = 0;
			} else if (d->files_head && !files_content)
				d->files_head = 0;      /* a files heading with nothing under it */
			if (last_head_steps && !d->steps_head)
				d->steps_head = i + 1;
		} else if (d->files_head)
			files_content = 1;
		if (!x->code && !d->path_first &&
		    lint_has(l, RE_PATHLIKE, x->s + x->indent, x->len - x->indent))
			d->path_first = i + 1;
	}
	if (d->files_head && !files_content)
		d->files_head = 0;
	for (i = 0; i < d->nli; i++)
		if (d->li[i].under_steps || !d->steps || !d->steps->under_steps)
			d->steps = &d->li[i];
}

int
doc_parse(struct lint *l, const char *text, size_t len, struct doc *d)
{
	size_t i, n = 0;

	*d = (struct doc){ .text = text, .len = len };
	for (i = 0; i <= len; i++)
		if (i == len || text[i] == '\n')
			n++;
	if (!(d->ln = calloc(n + 1, sizeof *d->ln)) || !(d->st = calloc(n + 1, sizeof *d->st)) ||
	    !(d->li = calloc(n + 1, sizeof *d->li))) {
		doc_free(d);
		errno = ENOMEM;
		return -1;
	}
	classify_lines(l, d);
	build_lists(l, d);
	return 0;
}

void
doc_free(struct doc *d)
{
	free(d->ln);
	free(d->st);
	free(d->li);
	d->ln = NULL;
	d->st = NULL;
	d->li = NULL;
}

static int
check_last_step(struct lint *l, const struct lline *ln, const struct step *st)
{
	size_t len;
	char *t, missing[96] = "";

	if (st->items_tag)
		return lint_report(l, (unsigned)st->first + 1, AGENT_LINT_LAST_STEP,
		                   "the last step is a list of items; end with a verification step "
		                   "(run a command, fix errors and re-run, report)");
	if (!(t = join_lines(ln, st->first, st->last, &len)))
		return -1;
	if (!lint_has(l, RE_COMMAND, t, len))
		strcat(missing, ", a command to run");
	if (!lint_has(l, RE_FIX, t, len) || !lint_has(l, RE_RERUN, t, len))
		strcat(missing, ", fix errors and re-run");
	if (!lint_has(l, RE_REPORT, t, len))
		strcat(missing, ", report the result");
	free(t);
	if (!missing[0])
		return 0;
	return lint_report(l, (unsigned)st->first + 1, AGENT_LINT_LAST_STEP,
	                   "the last step is not a verification step: it lacks%s", missing + 1);
}

static int
check_vague(struct lint *l, const struct lline *ln, const struct step *st, unsigned no)
{
	size_t len;
	char *t, ex[48];
	int rc = 0;

	if (st->items_tag)
		return 0;
	if (!(t = join_lines(ln, st->first, st->last, &len)))
		return -1;
	if (lint_has(l, RE_ACTION, t, len) && !lint_has(l, RE_ANCHOR, t, len) &&
	    !lint_has(l, RE_SYMBOL, t, len))
		rc = lint_report(l, (unsigned)st->first + 1, AGENT_LINT_VAGUE_STEP,
		                 "step %u names an action but no file, command or symbol: \"%s\"", no,
		                 excerpt(&ln[st->first], ex, sizeof ex));
	free(t);
	return rc;
}

/* Whether s[i] ends a clause: a semicolon, or a sentence's (or a label's)
 * end before a blank. */
static int
ends_clause_at(const char *s, size_t len, size_t i, const char *enders)
{
	return s[i] == ';' || (strchr(enders, s[i]) && (i + 1 == len || s[i + 1] == ' ' || s[i + 1] == '\t'));
}

/* Where the clause holding offset at of line s begins; code spans do not
 * end clauses. */
static size_t
clause_start(const char *s, size_t at)
{
	size_t i, start = 0;
	int in = 0;
	for (i = 0; i < at; i++) {
		if (s[i] == '`')
			in = !in;
		else if (!in && ends_clause_at(s, at, i, ".!?:"))
			start = i + 1;
	}
	return start;
}

/* Where the clause holding offset at of line s (len bytes) ends. */
static size_t
clause_end(const char *s, size_t len, size_t at)
{
	size_t i;
	int in = 0;
	for (i = 0; i < len; i++) {
		if (s[i] == '`')
			in = !in;
		else if (!in && i >= at && ends_clause_at(s, len, i, ".!?"))
			return i;
	}
	return len;
}

static int
check_script(struct lint *l, const struct lline *ln)
{
	size_t mlen, from, to;
	long at = lint_find(l, RE_SCRIPT1, ln->s, ln->len, &mlen);
	if (at < 0)
		at = lint_find(l, RE_SCRIPT2, ln->s, ln->len, &mlen);
	if (at < 0)
		at = lint_find(l, RE_SCRIPT3, ln->s, ln->len, &mlen);
	if (at < 0)
		return 0;
	/* "never write files through a script" is the advice, not the fault */
	from = (size_t)at;
	while (from > 0 && ln->s[from - 1] != '.' && ln->s[from - 1] != ';' && ln->s[from - 1] != '(')
		from--;
	if (lint_has(l, RE_NEGATION, ln->s + from, (size_t)at - from + mlen))
		return 0;
	/* a script that creates a table or a user writes no file */
	to = clause_end(ln->s, ln->len, (size_t)at + mlen);
	return lint_has(l, RE_FILE_OBJ, ln->s + at, to - (size_t)at);
}

/* An interpreter fed a script that writes files: "python3 - <<'PY'" with
 * open(..., "w") in its body, "node -e 'fs.writeFileSync(...)'". */
static int
check_interp(struct lint *l, const struct doc *d, size_t i)
{
	const struct lline *x = &d->ln[i];
	size_t j, wlen, end;
	const char *w;

	if (x->heredoc || lint_find(l, RE_INTERP, x->s, x->len, NULL) < 0)
		return 0;
	PCRE2_SIZE *ov = pcre2_get_ovector_pointer(l->md);
	end = ov[1];
	if (ov[4] == PCRE2_UNSET)            /* -c, -e: the script is on the line */
		return lint_has(l, RE_WRITE_CALL, x->s + end, x->len - end);
	w = x->s + ov[4];
	wlen = ov[5] - ov[4];
	for (j = i + 1; j < d->nl; j++) {
		const struct lline *y = &d->ln[j];
		if (y->len - y->indent == wlen && memcmp(y->s + y->indent, w, wlen) == 0)
			return 0;
		if (lint_has(l, RE_WRITE_CALL, y->s, y->len))
			return 1;
	}
	return 0;
}

enum { W_NEW = 1, W_CHANGE = 2 };

/* What line x says about writing files: W_NEW for a file it has the agent
 * create, W_CHANGE for one it has it change. */
static unsigned
writes_on(struct lint *l, const struct lline *x)
{
	size_t off = 0, a;
	unsigned w = 0;

	if (x->code)
		return 0;
	while (off < x->len) {
		if (pcre2_match(agent__rx_code(l->rules, RE_FILE), (PCRE2_SPTR)x->s, x->len, off, 0, l->md, NULL) < 0)
			break;
		PCRE2_SIZE *ov = pcre2_get_ovector_pointer(l->md);
		size_t fs = ov[0];
		off = ov[1] > off ? ov[1] : off + 1;
		a = clause_start(x->s, fs);
		if (!lint_has(l, RE_WRITE_VERB, x->s + a, fs - a) || lint_has(l, RE_NEGATION, x->s + a, fs - a))
			continue;
		if (lint_has(l, RE_NEW_CUE, x->s + fs, x->len - fs))
			w |= W_NEW;
		else
			w |= lint_has(l, RE_CHANGE_CUE, x->s + a, fs - a) ? W_CHANGE : W_NEW;
	}
	return w;
}

/* file-ops: files to write and nothing that says how, or files to change
 * and only whole-file writes (a heredoc, the Write tool) named. */
static int
check_file_ops(struct lint *l, const struct doc *d)
{
	size_t i, first = 0, first_change = 0;
	unsigned w, all = 0;
	int ops_new = lint_has(l, RE_OPS_NEW, d->text, d->len);
	int ops_edit = lint_has(l, RE_OPS_EDIT, d->text, d->len);

	for (i = 0; i < d->nl; i++) {
		w = writes_on(l, &d->ln[i]);
		if (w && !first)
			first = i + 1;
		if ((w & W_CHANGE) && !first_change)
			first_change = i + 1;
		all |= w;
	}
	if (!d->files_head && !d->path_first && !all)
		return 0;
	if (d->path_first && (!first || d->path_first < first))
		first = d->path_first;
	if (!ops_new && !ops_edit)
		return lint_report(l, d->files_head ? (unsigned)d->files_head : (unsigned)first,
		                   AGENT_LINT_FILE_OPS, "files are to be written but nothing says how (new "
		                   "files with `cat > path <<'EOF'`, existing ones with the Edit tool after "
		                   "reading them)");
	if ((all & W_CHANGE) && !ops_edit)
		return lint_report(l, (unsigned)first_change, AGENT_LINT_FILE_OPS,
		                   "existing files are to be changed but only whole-file writes are named "
		                   "(a heredoc, the Write tool); say to change them with the Edit tool "
		                   "after reading them");
	return 0;
}

static int
check_steps(struct lint *l, const struct doc *d)
{
	size_t i;
	const struct list *s = d->steps;

	if (!s)
		return lint_report(l, d->steps_head ? (unsigned)d->steps_head : 1, AGENT_LINT_NO_STEPS,
		                   "no numbered steps (number them \"1.\" or \"#.\"; agents track them "
		                   "as todos)");
	for (i = 0; i < s->n; i++)
		if (check_vague(l, d->ln, &d->st[s->first + i], (unsigned)i + 1) < 0)
			return -1;
	return check_last_step(l, d->ln, &d->st[s->first + s->n - 1]);
}

static int
check_files(struct lint *l, const struct doc *d)
{
	size_t i;

	if (check_file_ops(l, d) < 0)
		return -1;
	for (i = 0; i < d->nl; i++)
		if (((!d->ln[i].code && check_script(l, &d->ln[i])) || check_interp(l, d, i)) &&
		    lint_report(l, (unsigned)i + 1, AGENT_LINT_SCRIPT_WRITES,
		                "files are to be written through a script; have the agent write them "
		                "itself (cat > path <<'EOF', or the Edit tool)") < 0)
			return -1;
	return 0;
}

static int
by_line(const void *a, const void *b)
{
	const struct agent_lint_finding *x = a, *y = b;
	if (x->line != y->line)
		return x->line < y->line ? -1 : 1;
	return x->rule < y->rule ? -1 : x->rule > y->rule;
}

int
agent_lint(const char *text, size_t len, struct agent_lint_finding **found, size_t *nfound)
{
	struct lint l;
	struct doc d = {0};
	int rc = -1;

	*found = NULL;
	*nfound = 0;
	if (lint_open(&l) < 0)
		return -1;
	if (doc_parse(&l, text, len, &d) < 0 || check_steps(&l, &d) < 0 || check_files(&l, &d) < 0 ||
	    lint_many_verify(&l, &d) < 0)
		goto out;
	if (l.nf)
		qsort(l.f, l.nf, sizeof *l.f, by_line);
	*found = l.f;
	*nfound = l.nf;
	l.f = NULL;
	rc = 0;
out:
	doc_free(&d);
	lint_close(&l);
	if (rc < 0)
		errno = ENOMEM;
	return rc;
}

const char *
agent_lint_rule_name(enum agent_lint_rule r)
{
	static const char *const names[AGENT_LINT_NRULES] = {
		[AGENT_LINT_NO_STEPS] = "no-steps",
		[AGENT_LINT_LAST_STEP] = "last-step",
		[AGENT_LINT_FILE_OPS] = "file-ops",
		[AGENT_LINT_SCRIPT_WRITES] = "script-writes",
		[AGENT_LINT_VAGUE_STEP] = "vague-step",
		[AGENT_LINT_MANY_VERIFY] = "many-verify",
	};
	return (unsigned)r < AGENT_LINT_NRULES ? names[r] : "?";
}
