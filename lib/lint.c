/* lint.c — the phase-prompt linter: finds the step list, then checks steps,
 * file-operation instructions and verification commands with PCRE2 rules. */
#define PCRE2_CODE_UNIT_WIDTH 8
#include <errno.h>
#include <pcre2.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "lint.h"

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

enum {
	RE_NUMBERED, RE_ITEMS_TAG, RE_BULLET, RE_HEADING, RE_COLON_HEADING, RE_FENCE,
	RE_STEPS_HEAD, RE_FILES_HEAD, RE_PATHLIKE,
	RE_COMMAND, RE_FIX, RE_RERUN, RE_REPORT,
	RE_FILE_OPS, RE_SCRIPT1, RE_SCRIPT2, RE_NEGATION,
	RE_ACTION, RE_ANCHOR, RE_SYMBOL,
	RE_SPAN, RE_VERIFY_CMD, RE_DECIDES,
	RE_N
};

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
	[RE_DECIDES] = { "\\bdecides?\\b|\\bdecisive\\b|\\bauthoritative\\b|source of truth|what counts"
	                 "|\\bonly\\b[^.]{0,40}\\bcounts\\b|must (?:all )?pass|takes precedence|\\bpriority\\b"
	                 "|final say", 1 },
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

struct lint {
	pcre2_code *const *re;
	pcre2_match_data *md;
	struct agent_lint_finding *f;
	size_t nf, capf;
};

struct lline {
	const char *s;
	size_t len;        /* without the line end */
	size_t indent;
	int code;          /* inside a fenced block (or a fence line) */
	int numbered;      /* a numbered item or a {{*name}} item list */
	int items_tag;
	int heading;
	size_t text;       /* where an item's text starts */
};

struct step {
	size_t first, last; /* lines */
	int items_tag;
};

struct list {
	size_t first, n;    /* steps */
	int under_steps;    /* follows a heading that names steps */
};

/* Offset of the first match of rule r in s, -1 if none; *mlen its length. */
static long
find(struct lint *l, int r, const char *s, size_t len, size_t *mlen)
{
	int rc = pcre2_match(l->re[r], (PCRE2_SPTR)s, len, 0, 0, l->md, NULL);
	if (rc < 0)
		return -1;
	PCRE2_SIZE *ov = pcre2_get_ovector_pointer(l->md);
	if (mlen)
		*mlen = ov[1] - ov[0];
	return (long)ov[0];
}

static int
has(struct lint *l, int r, const char *s, size_t len)
{
	return find(l, r, s, len, NULL) >= 0;
}

static int
report(struct lint *l, unsigned line, enum agent_lint_rule rule, const char *fmt, ...)
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

static int
check_last_step(struct lint *l, const struct lline *ln, const struct step *st)
{
	size_t len;
	char *t, missing[96] = "";

	if (st->items_tag)
		return report(l, (unsigned)st->first + 1, AGENT_LINT_LAST_STEP,
		              "the last step is a list of items; end with a verification step "
		              "(run a command, fix errors and re-run, report)");
	if (!(t = join_lines(ln, st->first, st->last, &len)))
		return -1;
	if (!has(l, RE_COMMAND, t, len))
		strcat(missing, ", a command to run");
	if (!has(l, RE_FIX, t, len) || !has(l, RE_RERUN, t, len))
		strcat(missing, ", fix errors and re-run");
	if (!has(l, RE_REPORT, t, len))
		strcat(missing, ", report the result");
	free(t);
	if (!missing[0])
		return 0;
	return report(l, (unsigned)st->first + 1, AGENT_LINT_LAST_STEP,
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
	if (has(l, RE_ACTION, t, len) && !has(l, RE_ANCHOR, t, len) && !has(l, RE_SYMBOL, t, len))
		rc = report(l, (unsigned)st->first + 1, AGENT_LINT_VAGUE_STEP,
		            "step %u names an action but no file, command or symbol: \"%s\"", no,
		            excerpt(&ln[st->first], ex, sizeof ex));
	free(t);
	return rc;
}

static int
check_script(struct lint *l, const struct lline *ln)
{
	size_t mlen;
	long at = find(l, RE_SCRIPT1, ln->s, ln->len, &mlen);
	if (at < 0)
		at = find(l, RE_SCRIPT2, ln->s, ln->len, &mlen);
	if (at < 0)
		return 0;
	/* "never write files through a script" is the advice, not the fault */
	size_t from = (size_t)at;
	while (from > 0 && ln->s[from - 1] != '.' && ln->s[from - 1] != ';' && ln->s[from - 1] != '(')
		from--;
	if (has(l, RE_NEGATION, ln->s + from, (size_t)at - from + mlen))
		return 0;
	return 1;
}

/* Verification commands: code spans, and lines of fenced blocks, that run a
 * build or test.  Reports the second distinct one unless the text says
 * which decides. */
static int
check_verify(struct lint *l, const struct lline *ln, size_t n, const char *all, size_t alen)
{
	const char *first = NULL;
	size_t i, firstlen = 0;
	unsigned secondline = 0;
	char second[64] = "";

	for (i = 0; i < n && !secondline; i++) {
		const char *s = ln[i].s;
		size_t len = ln[i].len, off = 0;
		while (off < len) {
			const char *c;
			size_t clen;
			if (ln[i].code) {
				c = s;
				clen = len;
				off = len;
				if (has(l, RE_FENCE, s, len))
					break;
			} else {
				int rc = pcre2_match(l->re[RE_SPAN], (PCRE2_SPTR)s, len, off, 0, l->md, NULL);
				if (rc < 0)
					break;
				PCRE2_SIZE *ov = pcre2_get_ovector_pointer(l->md);
				c = s + ov[2];
				clen = ov[3] - ov[2];
				off = ov[1];
			}
			/* "make check 2>&1" and "make check" are one command */
			while (clen && (c[clen - 1] == ' ' || c[clen - 1] == '\t'))
				clen--;
			if (clen >= 4 && memcmp(c + clen - 4, "2>&1", 4) == 0)
				clen -= 4;
			while (clen && (c[clen - 1] == ' ' || c[clen - 1] == '\t'))
				clen--;
			while (clen && (*c == ' ' || *c == '\t' || *c == '$')) {
				c++;
				clen--;
			}
			if (!clen || !has(l, RE_VERIFY_CMD, c, clen))
				continue;
			if (!first) {
				first = c;
				firstlen = clen;
			} else if (clen != firstlen || memcmp(c, first, clen) != 0) {
				secondline = (unsigned)i + 1;
				snprintf(second, sizeof second, "%.*s", (int)(clen > 60 ? 60 : clen), c);
				break;
			}
		}
	}
	if (!secondline || has(l, RE_DECIDES, all, alen))
		return 0;
	return report(l, secondline, AGENT_LINT_MANY_VERIFY,
	              "more than one verification command (`%.*s`, `%s`) and nothing says which one decides",
	              (int)(firstlen > 60 ? 60 : firstlen), first, second);
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
	struct lint l = {0};
	struct lline *ln = NULL;
	struct step *st = NULL;
	struct list *li = NULL;
	size_t nl = 0, ns = 0, nli = 0, i, pos = 0;
	int rc = -1, fence = 0, last_head_steps = 0;
	size_t steps_head = 0, files_head = 0, files_content = 0, path_items = 0;
	int e = ENOMEM;

	*found = NULL;
	*nfound = 0;
	if (pthread_once(&compile_once, compile_all) != 0 || compile_failed) {
		e = EINVAL;     /* a bad built-in pattern: a bug, caught by the tests */
		goto out;
	}
	l.re = compiled;
	if (!(l.md = pcre2_match_data_create(4, NULL)))
		goto out;

	/* lines and what each is */
	for (i = 0; i <= len; i++)
		if (i == len || text[i] == '\n')
			nl++;
	if (!(ln = calloc(nl + 1, sizeof *ln)) || !(st = calloc(nl + 1, sizeof *st)) ||
	    !(li = calloc(nl + 1, sizeof *li)))
		goto out;
	for (nl = 0; pos <= len; nl++) {
		const char *p = pos < len ? memchr(text + pos, '\n', len - pos) : NULL;
		size_t le = p ? (size_t)(p - text) : len;
		struct lline *x = &ln[nl];
		size_t mlen;
		x->s = text + pos;
		x->len = le - pos;
		if (x->len && x->s[x->len - 1] == '\r')
			x->len--;
		while (x->indent < x->len && (x->s[x->indent] == ' ' || x->s[x->indent] == '\t'))
			x->indent++;
		pos = le + 1;
		if (has(&l, RE_FENCE, x->s, x->len)) {
			fence = !fence;
			x->code = 1;
			continue;
		}
		if ((x->code = fence))
			continue;
		if (find(&l, RE_NUMBERED, x->s, x->len, &mlen) == 0) {
			x->numbered = 1;
			x->text = mlen;
		} else if (has(&l, RE_ITEMS_TAG, x->s, x->len)) {
			x->numbered = x->items_tag = 1;
			x->text = x->indent;
		} else if (has(&l, RE_HEADING, x->s, x->len) ||
		           has(&l, RE_COLON_HEADING, x->s, x->len))
			x->heading = 1;
	}

	/* steps and the lists they form */
	struct list *cur = NULL;
	size_t cur_indent = 0;
	for (i = 0; i < nl; i++) {
		struct lline *x = &ln[i];
		if (x->len == x->indent && !x->code)
			continue;                        /* blank */
		if (x->numbered && (!cur || x->indent <= cur_indent)) {
			if (!cur || x->indent < cur_indent) {
				cur = &li[nli++];
				cur->first = ns;
				cur->under_steps = last_head_steps;
				cur_indent = x->indent;
			}
			st[ns++] = (struct step){ i, i, x->items_tag };
			cur->n++;
			continue;
		}
		if (cur && (x->code || (!x->heading && x->indent > cur_indent))) {
			st[ns - 1].last = i;                     /* continuation */
			continue;
		}
		cur = NULL;
		if (x->heading) {
			last_head_steps = has(&l, RE_STEPS_HEAD, x->s, x->len);
			if (has(&l, RE_FILES_HEAD, x->s, x->len) && !last_head_steps) {
				files_head = i + 1;
				files_content = 0;
			} else if (files_head && !files_content)
				files_head = 0;         /* a files heading with nothing under it */
			if (last_head_steps && !steps_head)
				steps_head = i + 1;
		} else if (files_head)
			files_content = 1;
		if (!x->code && has(&l, RE_PATHLIKE, x->s + x->indent, x->len - x->indent))
			path_items++;
	}
	if (files_head && !files_content)
		files_head = 0;

	/* no-steps, last-step, vague-step */
	struct list *steps = NULL;
	for (i = 0; i < nli; i++)
		if (li[i].under_steps || !steps || !steps->under_steps)
			steps = &li[i];
	if (!steps) {
		if (report(&l, steps_head ? (unsigned)steps_head : 1, AGENT_LINT_NO_STEPS,
		           "no numbered steps (number them \"1.\" or \"#.\"; agents track them as todos)") < 0)
			goto out;
	} else {
		for (i = 0; i < steps->n; i++)
			if (check_vague(&l, ln, &st[steps->first + i], (unsigned)i + 1) < 0)
				goto out;
		if (check_last_step(&l, ln, &st[steps->first + steps->n - 1]) < 0)
			goto out;
	}

	/* file-ops, script-writes */
	if ((files_head || path_items) && !has(&l, RE_FILE_OPS, text, len) &&
	    report(&l, files_head ? (unsigned)files_head : 1, AGENT_LINT_FILE_OPS,
	           "files are listed but nothing says how to write them (new files with "
	           "`cat > path <<'EOF'`, existing ones with the Edit tool after reading them)") < 0)
		goto out;
	for (i = 0; i < nl; i++)
		if (!ln[i].code && check_script(&l, &ln[i]) &&
		    report(&l, (unsigned)i + 1, AGENT_LINT_SCRIPT_WRITES,
		           "files are to be written through a script; have the agent write them "
		           "itself (cat > path <<'EOF', or the Edit tool)") < 0)
			goto out;

	if (check_verify(&l, ln, nl, text, len) < 0)
		goto out;

	if (l.nf)
		qsort(l.f, l.nf, sizeof *l.f, by_line);
	*found = l.f;
	*nfound = l.nf;
	l.f = NULL;
	rc = 0;
out:
	pcre2_match_data_free(l.md);
	free(l.f);
	free(ln);
	free(st);
	free(li);
	if (rc < 0)
		errno = e;
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
