/* lint_int.h — what the linter's two halves share: lint.c (lines, steps,
 * the rules) and lint_cmd.c (verification commands and which one decides). */
#ifndef AGENT_LINT_INT_H
#define AGENT_LINT_INT_H
#include "rx.h"
#include "lint.h"

enum {
	RE_NUMBERED, RE_ITEMS_TAG, RE_BULLET, RE_HEADING, RE_COLON_HEADING, RE_FENCE,
	RE_PROSE_INFO, RE_HEREDOC, RE_STEPS_HEAD, RE_FILES_HEAD, RE_PATHLIKE,
	RE_COMMAND, RE_FIX, RE_RERUN, RE_REPORT,
	RE_OPS_NEW, RE_OPS_EDIT, RE_FILE, RE_WRITE_VERB, RE_CHANGE_CUE, RE_NEW_CUE,
	RE_SCRIPT1, RE_SCRIPT2, RE_SCRIPT3, RE_INTERP, RE_WRITE_CALL, RE_FILE_OBJ, RE_NEGATION,
	RE_ACTION, RE_ANCHOR, RE_SYMBOL,
	RE_SPAN, RE_VERIFY_CMD, RE_BARE_CMD, RE_RUN_BEFORE, RE_DECIDES, RE_ADVISORY, RE_PRONOUN,
	RE_N
};

struct lint {
	const struct agent__rxset *rules;
	pcre2_match_data *md;
	struct agent_lint_finding *f;
	size_t nf, capf;
};

struct lline {
	const char *s;
	size_t len;        /* without the line end */
	size_t indent;
	int code;          /* inside a fenced block or a heredoc's body (or a fence line) */
	int fence;         /* a fence line: 1 opens, 2 closes */
	int heredoc;       /* a heredoc's body or its end: file content */
	int hlevel;        /* a heading's level (1..6; 7 for "Title:") */
	int numbered;      /* a numbered item or a {{*name}} item list */
	int items_tag;
	int heading;
	int bullet;
	size_t text;       /* where an item's text starts */
};

struct step {
	size_t first, last; /* lines */
	int items_tag;
};

struct list {
	size_t first, n;    /* steps */
	int under_steps;    /* follows a heading that names steps */
	int hlevel;         /* steps are headings of this level ("## Step 1: ...") */
};

/* A prompt cut into lines, its numbered lists and the list of steps. */
struct doc {
	const char *text;
	size_t len;
	struct lline *ln;
	size_t nl;
	struct step *st;
	size_t ns;
	struct list *li;
	size_t nli;
	const struct list *steps;  /* NULL: no numbered steps */
	size_t steps_head, files_head, path_first;  /* lines from 1, 0: none */
};

int lint_open(struct lint *);
void lint_close(struct lint *);
long lint_find(struct lint *, int re, const char *s, size_t len, size_t *mlen);
int lint_has(struct lint *, int re, const char *s, size_t len);
int lint_report(struct lint *, unsigned line, enum agent_lint_rule, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
int doc_parse(struct lint *, const char *text, size_t len, struct doc *);
void doc_free(struct doc *);

/* many-verify, on the whole prompt (lint_cmd.c) */
int lint_many_verify(struct lint *, const struct doc *);

#endif
