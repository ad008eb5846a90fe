/* lint.c — the phase-prompt linter: finds the step list, then checks steps
 * and file-operation instructions with PCRE2 rules (verification commands
 * are lint_cmd.c's). */
#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "lint_int.h"

/* Words that run a build or test: with one of these a code span is a
 * verification command. */
#define RUNNER "(?:make|cargo|npm|pnpm|yarn|npx|go|dotnet|mvn|gradle|\\./gradlew|bun|deno|just|" \
	"ninja|meson|bazel|swift|mix|rake|bundle|zig|cmake)"
#define TESTER "(?:pytest|ctest|tox|jest|vitest|prove|phpunit|mypy|ruff|tsc|eslint|shellcheck|" \
	"rspec|nox)"
#define VERIFY_WORD "(?:test|tests|check|build|lint|vet|clippy|verify|ci|typecheck)"
#define SCRIPT "(?:(?:python3?|perl|ruby|node|shell|bash|sh)\\s+)?(?<![\\w/.-])scripts?(?![\\w/-]|\\.\\w)" \
	"|\\b(?:python3?|perl|ruby|node)\\b(?:\\s+-[ce]\\b)?"
/* within one sentence: a dot inside a file name does not end it */
#define SENT "(?:[^.;]|\\.(?=\\S))"
#define WRITES "\\b(?:writ(?:e|es|ing)|creat(?:e|es|ing)|generat(?:e|es|ing)|modif(?:y|ies|ying)" \
	"|edit(?:s|ing)?|produc(?:e|es|ing)|emit(?:s|ting)?|updat(?:e|es|ing)|patch(?:es|ing)?)\\b"

static const struct {
	const char *pat;
	int caseless;
} pats[RE_N] = {
	[RE_NUMBERED] = { "^([ \\t]*)(?:[0-9]{1,9}[.)]|#\\.)(?:[ \\t]+|$)", 0 },
	[RE_ITEMS_TAG] = { "^([ \\t]*)\\{\\{\\*[ \\t]*[A-Za-z_][\\w.-]*[ \\t]*\\}\\}[ \\t]*$", 0 },
	[RE_BULLET] = { "^([ \\t]*)[-*+][ \\t]+", 0 },
	[RE_HEADING] = { "^[ \\t]{0,3}#{1,6}(?:[ \\t]+|$)", 0 },
	[RE_COLON_HEADING] = { "^[A-Z][^:`]{0,60}:[ \\t]*$", 0 },
	[RE_FENCE] = { "^[ \\t]*(?:```|~~~)", 0 },
	[RE_STEPS_HEAD] = { "\\b(?:steps?|tasks?|plan|todo|instructions)\\b", 1 },
	[RE_FILES_HEAD] = { "\\bfiles?\\b", 1 },
	[RE_PATHLIKE] = { "^[-*+][ \\t]+`?[\\w.~-]*(?:/[\\w.-]+|\\.[A-Za-z0-9]{1,8}\\b)", 0 },
	[RE_COMMAND] = { "`[^`]+`|2>&1|\\b" RUNNER "\\s+(?:run\\s+)?" VERIFY_WORD "\\b|\\b" TESTER "\\b", 1 },
	[RE_FIX] = { "\\bfix", 1 },
	[RE_RERUN] = { "\\bre-?run|\\brun (?:it|them|this|that) again|\\bagain\\b|\\buntil\\b|\\brepeat", 1 },
	[RE_REPORT] = { "\\breport", 1 },
	[RE_FILE_OPS] = { "cat\\s*>{1,2}\\s*\\S+\\s*<<|<<-?\\s*['\"]?EOF|\\b(?:edit|str_replace|write|"
	                  "apply_patch|patch) tool\\b|\\bapply_patch\\b", 1 },
	[RE_SCRIPT1] = { "\\b(?:use|using|with|via|through|by|run|running|write|create|have|let)\\b"
	                 SENT "{0,30}?(?:" SCRIPT ")" SENT "{0,40}?\\b(?:to|that|which)\\b" SENT "{0,40}?" WRITES, 1 },
	[RE_SCRIPT2] = { WRITES SENT "{0,60}?\\b(?:with|via|through|using|by)\\b" SENT "{0,30}?(?:" SCRIPT ")", 1 },
	[RE_NEGATION] = { "\\b(?:do not|don't|dont|never|avoid|not|no|instead of|rather than)\\b", 1 },
	[RE_ACTION] = { "\\b(?:add|update|change|fix|improve|refactor|modify|implement|clean|handle|"
	                "adjust|support|make|wire|hook|extend|rework|rewrite|write|create|remove|delete|"
	                "rename|move|replace|edit|test|document|integrate|migrate|configure|set up|"
	                "setup|ensure|tidy|polish|optimi[sz]e|convert|port|finish|complete)", 1 },
	[RE_ANCHOR] = { "`[^`]+`|\\{\\{|\\S/\\S|(?<![\\w.])[\\w-]{2,}\\.[A-Za-z0-9]{1,8}(?![\\w])(?!\\.\\w)"
	                "|::|->|\\w\\(|(?<![\\w-])--?[A-Za-z][\\w-]*|\"[^\"]+\"|\\$\\w+", 0 },
	[RE_SYMBOL] = { "\\b[A-Za-z]\\w*_\\w+\\b|\\b[a-z]+[A-Z]\\w*\\b|\\b[A-Z][a-z0-9]+[A-Z]\\w*\\b", 0 },
	[RE_SPAN] = { "`([^`]+)`", 0 },
	[RE_VERIFY_CMD] = { "^\\s*(?:\\$\\s+)?(?:" RUNNER "(?:\\s*$|\\s+(?:run\\s+)?" VERIFY_WORD "\\b)|"
	                    TESTER "\\b|\\{\\{\\s*[\\w.-]+\\s*\\}\\})", 0 },
	/* a command named in words: the runner, its verb, then options */
	[RE_BARE_CMD] = { "(?<![\\w/.-])(?:" RUNNER "\\s+(?:run\\s+)?" VERIFY_WORD "(?:[\\w:-]*\\w)?|" TESTER
	                  ")(?![\\w/.-])(?:\\s+(?:--?\\w[\\w=.-]*|[\\w.-]*/[\\w./*-]*))*", 0 },
	[RE_DECIDES] = { "\\bdecides?\\b|\\bdecisive\\b|\\bauthoritative\\b|source of truth|what counts"
	                 "|\\bonly\\b[^.]{0,40}\\bcounts\\b|must (?:all )?pass|takes precedence|\\bpriority\\b"
	                 "|final say", 1 },
	[RE_ADVISORY] = { "\\badvisory\\b|\\boptional(?:ly)?\\b|\\binformational\\b|for information"
	                  "|(?:quick(?:er)?|fast(?:er)?) (?:look|check|feedback)|not required|need not pass"
	                  "|does(?: not|n't) decide|not decisive|nice to have|as a hint", 1 },
	[RE_PRONOUN] = { "^\\W*(?:it|this|that|which|this one|that one|the latter|the last)\\b", 1 },
};

/* Compiled once per process and kept: compiling them is most of the cost
 * of linting a prompt. */
static pcre2_code *compiled[RE_N];
static int compile_failed;
static pthread_once_t compile_once = PTHREAD_ONCE_INIT;

static void
compile_all(void)
{
	size_t i;
	for (i = 0; i < RE_N; i++) {
		int ec;
		PCRE2_SIZE eo;
		compiled[i] = pcre2_compile((PCRE2_SPTR)pats[i].pat, PCRE2_ZERO_TERMINATED,
		                            PCRE2_UTF | PCRE2_MATCH_INVALID_UTF |
		                            (pats[i].caseless ? PCRE2_CASELESS : 0), &ec, &eo, NULL);
		if (!compiled[i]) {
			compile_failed = 1;
			return;
		}
		pcre2_jit_compile(compiled[i], PCRE2_JIT_COMPLETE);
	}
}

int
lint_open(struct lint *l)
{
	*l = (struct lint){0};
	if (pthread_once(&compile_once, compile_all) != 0 || compile_failed) {
		errno = EINVAL;     /* a bad built-in pattern: a bug, caught by the tests */
		return -1;
	}
	l->re = compiled;
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
	int rc = pcre2_match(l->re[r], (PCRE2_SPTR)s, len, 0, 0, l->md, NULL);
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
	if (l->nf == l->capf) {
		size_t cap = l->capf ? l->capf * 2 : 8;
		struct agent_lint_finding *f = realloc(l->f, cap * sizeof *f);
		if (!f)
			return -1;
		l->f = f;
		l->capf = cap;
	}
	struct agent_lint_finding *f = &l->f[l->nf++];
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

/* Cuts the text into lines and says what each is. */
static void
classify_lines(struct lint *l, struct doc *d)
{
	size_t pos = 0, mlen;
	int fence = 0;

	for (d->nl = 0; pos <= d->len; d->nl++) {
		const char *text = d->text;
		const char *p = pos < d->len ? memchr(text + pos, '\n', d->len - pos) : NULL;
		size_t le = p ? (size_t)(p - text) : d->len;
		struct lline *x = &d->ln[d->nl];
		x->s = text + pos;
		x->len = le - pos;
		if (x->len && x->s[x->len - 1] == '\r')
			x->len--;
		while (x->indent < x->len && (x->s[x->indent] == ' ' || x->s[x->indent] == '\t'))
			x->indent++;
		pos = le + 1;
		if (lint_has(l, RE_FENCE, x->s, x->len)) {
			fence = !fence;
			x->code = x->fence = 1;
			continue;
		}
		if ((x->code = fence))
			continue;
		if (lint_find(l, RE_NUMBERED, x->s, x->len, &mlen) == 0) {
			x->numbered = 1;
			x->text = mlen;
		} else if (lint_has(l, RE_ITEMS_TAG, x->s, x->len)) {
			x->numbered = x->items_tag = 1;
			x->text = x->indent;
		} else if (lint_has(l, RE_HEADING, x->s, x->len) ||
		           lint_has(l, RE_COLON_HEADING, x->s, x->len))
			x->heading = 1;
		else if (lint_has(l, RE_BULLET, x->s, x->len))
			x->bullet = 1;
	}
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
		if (!x->code && lint_has(l, RE_PATHLIKE, x->s + x->indent, x->len - x->indent))
			d->path_items++;
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

static int
check_script(struct lint *l, const struct lline *ln)
{
	size_t mlen;
	long at = lint_find(l, RE_SCRIPT1, ln->s, ln->len, &mlen);
	if (at < 0)
		at = lint_find(l, RE_SCRIPT2, ln->s, ln->len, &mlen);
	if (at < 0)
		return 0;
	/* "never write files through a script" is the advice, not the fault */
	size_t from = (size_t)at;
	while (from > 0 && ln->s[from - 1] != '.' && ln->s[from - 1] != ';' && ln->s[from - 1] != '(')
		from--;
	if (lint_has(l, RE_NEGATION, ln->s + from, (size_t)at - from + mlen))
		return 0;
	return 1;
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

	if ((d->files_head || d->path_items) && !lint_has(l, RE_FILE_OPS, d->text, d->len) &&
	    lint_report(l, d->files_head ? (unsigned)d->files_head : 1, AGENT_LINT_FILE_OPS,
	                "files are listed but nothing says how to write them (new files with "
	                "`cat > path <<'EOF'`, existing ones with the Edit tool after reading them)") < 0)
		return -1;
	for (i = 0; i < d->nl; i++)
		if (!d->ln[i].code && check_script(l, &d->ln[i]) &&
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
