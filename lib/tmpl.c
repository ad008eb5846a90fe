/* tmpl.c — the template engine: one pass over the source with an explicit
 * section stack, includes confined to allowed directories, #. numbering. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "tmpl.h"
#include "file.h"
#include "buf.h"
#include "tmpl_int.h"

/* ---- the output: the library's buffer, bounded ------------------------ */

int
agent__tmpl_buf_add(struct agent__buf *b, const char *s, size_t n)
{
	if (n > AGENT_TMPL_MAX_OUTPUT - b->len) {
		errno = EFBIG;
		return -1;
	}
	return agent__buf_add(b, s, n);
}

int
agent__tmpl_buf_addc(struct agent__buf *b, char c)
{
	return agent__tmpl_buf_add(b, &c, 1);
}

/* ---- errors with positions ------------------------------------------ */

static void
set_pos(struct agent_tmpl_error *err, const char *file, const char *src, size_t off)
{
	unsigned line = 1, col = 1;
	size_t i;

	for (i = 0; i < off; i++) {
		if (src[i] == '\n') {
			line++;
			col = 1;
		} else if (((unsigned char)src[i] & 0xc0) != 0x80 && src[i] != '\r')
			col++;
	}
	snprintf(err->file, sizeof err->file, "%s", file);
	err->line = line;
	err->column = col;
}

static int
vfail(struct agent_tmpl_error *err, const char *file, const char *src, size_t off,
      int e, const char *fmt, va_list ap)
{
	if (err) {
		if (src)
			set_pos(err, file, src, off);
		else {
			snprintf(err->file, sizeof err->file, "%s", file);
			err->line = err->column = 0;
		}
		vsnprintf(err->msg, sizeof err->msg, fmt, ap);
	}
	errno = e;
	return -1;
}

int
agent__tmpl_fail(struct agent_tmpl_error *err, const char *file, const char *src, size_t off,
     const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vfail(err, file, src, off, EINVAL, fmt, ap);
	va_end(ap);
	return -1;
}

/* ---- rendering -------------------------------------------------------- */

struct render {
	const struct agent_tmpl_vars *vars;
	const struct agent_tmpl_opts *opts;
	struct agent_tmpl_error *err;
	struct agent__buf out;
	size_t *marks, nmarks, capmarks;   /* output offsets of "#." items */
	int bol_blank;                     /* output line so far only blanks */
	const char *topdir;
	char **roots;                      /* real paths includes may come from */
	size_t nroots;
	int roots_done;
	char *chain[AGENT_TMPL_MAX_INCLUDE_DEPTH + 1]; /* files being rendered */
	int depth;
};

struct frame {
	const char *src;
	size_t len;
	const char *name;   /* as shown in errors */
	const char *dir;    /* includes are relative to this */
};

struct section {
	const char *name;
	size_t nlen, off;
	int saved_skip;
	char kind;
};

static int
add_mark(struct render *r, size_t off)
{
	if (r->nmarks == r->capmarks) {
		size_t cap = r->capmarks ? r->capmarks * 2 : 64;
		size_t *m = reallocarray(r->marks, cap, sizeof *m);
		if (!m)
			return -1;
		r->marks = m;
		r->capmarks = cap;
	}
	r->marks[r->nmarks++] = off;
	return 0;
}

/* Appends n bytes at s.  In template text (literal), a "#." at the start of
 * an output line followed by a blank or the line's end is an item marker;
 * end bounds what may be peeked at after s. */
static int
emit(struct render *r, const char *s, size_t n, const char *end, int literal)
{
	size_t i, base = r->out.len;

	for (i = 0; i < n; i++) {
		char c = s[i];
		if (c == '\n')
			r->bol_blank = 1;
		else if (!blank(c) && c != '\r') {
			if (literal && r->bol_blank && c == '#' && s + i + 1 < end && s[i + 1] == '.' &&
			    (s + i + 2 == end || blank(s[i + 2]) || s[i + 2] == '\n' || s[i + 2] == '\r'))
				if (add_mark(r, base + i) < 0)
					return -1;
			r->bol_blank = 0;
		}
	}
	return agent__tmpl_buf_add(&r->out, s, n);
}

static int render_frame(struct render *r, const struct frame *f);

static char *
join(const char *dir, const char *path)
{
	char *p;
	if (path[0] == '/' || !dir || !*dir)
		return strdup(path);
	if (asprintf(&p, "%s/%s", dir, path) < 0)
		return NULL;
	return p;
}

static int
under(const char *path, const char *root)
{
	size_t rl = strlen(root);
	if (strcmp(root, "/") == 0)
		return 1;
	return strncmp(path, root, rl) == 0 && (path[rl] == '/' || path[rl] == '\0');
}

static int
compute_roots(struct render *r)
{
	size_t i, n = 1 + (r->opts ? r->opts->n_include_dirs : 0);

	r->roots_done = 1;
	if (!(r->roots = calloc(n, sizeof *r->roots)))
		return -1;
	for (i = 0; i < n; i++) {
		const char *d = i == 0 ? r->topdir : r->opts->include_dirs[i - 1];
		char *rp = realpath(d, NULL);
		if (rp)
			r->roots[r->nroots++] = rp;
		else if (errno == ENOMEM)
			return -1;
	}
	return 0;
}

static char *
dir_of(const char *path)
{
	const char *sl = strrchr(path, '/');
	if (!sl)
		return strdup(".");
	if (sl == path)
		return strdup("/");
	return strndup(path, (size_t)(sl - path));
}

static int
include(struct render *r, const struct frame *f, size_t off, const char *ipath, size_t plen)
{
	char *path = NULL, *cand = NULL, *real = NULL, *shown = NULL, *rdir = NULL, *text = NULL;
	size_t i, tlen, ninc = r->opts ? r->opts->n_include_dirs : 0;
	int rc = -1, e = ENOENT;

	if (!(path = strndup(ipath, plen)))
		goto out;
	if (r->depth >= AGENT_TMPL_MAX_INCLUDE_DEPTH) {
		agent__tmpl_fail(r->err, f->name, f->src, off, "includes nested deeper than %d",
		     AGENT_TMPL_MAX_INCLUDE_DEPTH);
		goto out;
	}
	for (i = 0; i <= ninc && !real; i++) {
		const char *d = i == 0 ? f->dir : r->opts->include_dirs[i - 1];
		if (i > 0 && path[0] == '/')
			break;
		free(cand);
		if (!(cand = join(d, path)))
			goto out;
		if ((real = realpath(cand, NULL)))
			break;
		if (errno == ENOMEM)
			goto out;
		if (i == 0)
			e = errno;
	}
	if (!real) {
		agent__tmpl_fail(r->err, f->name, f->src, off, "cannot open include '%s': %s", path, strerror(e));
		goto out;
	}
	if (!r->roots_done && compute_roots(r) < 0)
		goto out;
	for (i = 0; i < r->nroots && !under(real, r->roots[i]); i++)
		;
	if (i == r->nroots) {
		agent__tmpl_fail(r->err, f->name, f->src, off,
		     "include '%s' is outside the template's directory (allow it with -I)", path);
		goto out;
	}
	for (i = 0; i <= (size_t)r->depth; i++)
		if (r->chain[i] && strcmp(r->chain[i], real) == 0) {
			agent__tmpl_fail(r->err, f->name, f->src, off, "include loop: '%s' is already being rendered",
			     path);
			goto out;
		}
	if (agent_read_text(real, &text, &tlen) < 0) {
		agent__tmpl_fail(r->err, f->name, f->src, off, "cannot read include '%s': %s", path,
		     strerror(errno));
		goto out;
	}
	/* named and resolved further as found, so messages show the path a
	 * user would type; confinement was checked on the real path */
	if (!(shown = strdup(cand)) || !(rdir = dir_of(cand)))
		goto out;
	struct frame sub = { text, tlen, shown, rdir };
	r->chain[++r->depth] = real;
	rc = render_frame(r, &sub);
	r->chain[r->depth--] = NULL;
out:
	free(path);
	free(cand);
	free(real);
	free(shown);
	free(rdir);
	free(text);
	return rc;
}

/* Emits a value's lines as "#." items: blank lines dropped, a leading "#.",
 * "N.", "N)" or "-", "*", "+" bullet marker replaced. */
static int
emit_items(struct render *r, const char *v, size_t vlen, const char *indent, size_t ilen,
           const char *eol)
{
	size_t pos = 0;

	while (pos < vlen) {
		const char *nl = memchr(v + pos, '\n', vlen - pos);
		size_t ls = pos, le = nl ? (size_t)(nl - v) : vlen, q;
		pos = le + 1;
		while (ls < le && (blank(v[ls]) || v[ls] == '\r'))
			ls++;
		while (le > ls && (blank(v[le - 1]) || v[le - 1] == '\r'))
			le--;
		q = ls;
		if (q + 1 < le && v[q] == '#' && v[q + 1] == '.')
			q += 2;
		else if (q < le && strchr("-*+", v[q]))
			q++;
		else {
			while (q < le && v[q] >= '0' && v[q] <= '9')
				q++;
			if (q > ls && q < le && (v[q] == '.' || v[q] == ')'))
				q++;
			else
				q = ls;
		}
		if (q > ls && (q == le || blank(v[q])))
			ls = q;
		while (ls < le && blank(v[ls]))
			ls++;
		if (ls == le)
			continue;
		if (agent__tmpl_buf_add(&r->out, indent, ilen) < 0 || add_mark(r, r->out.len) < 0 ||
		    agent__tmpl_buf_add(&r->out, "#. ", 3) < 0)
			return -1;
		r->bol_blank = 0;
		if (emit(r, v + ls, le - ls, NULL, 0) < 0 || emit(r, eol, strlen(eol), NULL, 0) < 0)
			return -1;
	}
	return 0;
}

/* ---- one frame: tags, the standalone-line rule, sections, dispatch ---- */

/* A tag of the frame being rendered, offsets into its source. */
struct tag {
	size_t t;          /* its "{{" */
	size_t e;          /* its "}}" */
	size_t a, b;       /* the inner text after the sigil, leading blanks skipped */
	size_t ls;         /* where the blanks before it on its line start */
	size_t after;      /* where the text after it resumes */
	char kind;         /* '#', '^', '/', '>', '*', or 0: a variable */
	int standalone;    /* alone on its line, which it takes */
};

/* A frame being rendered: where it stands and its open sections. */
struct walk {
	struct render *r;
	const struct frame *f;
	struct section *st;     /* open sections, innermost last */
	size_t nst, capst;
	int skip;               /* in a section whose text is not output */
};

/* Reports errno (ENOMEM, or EFBIG: the output too large) for the frame. */
static int
sys_error(struct render *r, const struct frame *f)
{
	if (r->err) {
		int e = errno;
		snprintf(r->err->file, sizeof r->err->file, "%s", f->name);
		r->err->line = r->err->column = 0;
		snprintf(r->err->msg, sizeof r->err->msg, "%s",
		         e == EFBIG ? "output too large" : strerror(e));
		errno = e;
	}
	return -1;
}

/* A section, include or item tag alone on its line takes the line: the
 * blanks before it and the line end after it are not output. */
static void
take_line(const struct frame *f, struct tag *g)
{
	const char *s = f->src;
	size_t q;

	for (g->ls = g->t; g->ls > 0 && blank(s[g->ls - 1]); g->ls--)
		;
	g->standalone = 0;
	if (!g->kind || (g->ls > 0 && s[g->ls - 1] != '\n'))
		return;
	for (q = g->after; q < f->len && (blank(s[q]) || s[q] == '\r'); q++)
		;
	if (q == f->len || s[q] == '\n') {
		g->standalone = 1;
		g->after = q == f->len ? q : q + 1;
	}
}

/* Reads the tag whose "{{" is at t; -1 (reported) when no "}}" closes it
 * on its line. */
static int
scan_tag(struct render *r, const struct frame *f, size_t t, struct tag *g)
{
	const char *s = f->src;
	size_t e;

	for (e = t + 2; e + 1 < f->len && !(s[e] == '}' && s[e + 1] == '}'); e++)
		if (s[e] == '\n')
			break;
	if (e + 1 >= f->len || s[e] == '\n') {
		agent__tmpl_fail(r->err, f->name, s, t, "unclosed tag: no '}}' on the same line");
		return -1;
	}
	g->t = t;
	g->e = e;
	g->a = t + 2;
	g->b = e;
	while (g->a < g->b && blank(s[g->a]))
		g->a++;
	g->kind = g->a < g->b && strchr("#^/>*", s[g->a]) ? s[g->a++] : 0;
	while (g->a < g->b && blank(s[g->a]))
		g->a++;
	g->after = e + 2;
	take_line(f, g);
	return 0;
}

/* {{>path}}: renders the included file in place. */
static int
tag_include(struct walk *w, const struct tag *g)
{
	const char *s = w->f->src;
	struct render *r = w->r;
	size_t b = g->b;

	while (b > g->a && blank(s[b - 1]))
		b--;
	if (g->a == b) {
		agent__tmpl_fail(r->err, w->f->name, s, g->t, "include without a path");
		return -1;
	}
	if (w->skip)
		return 0;
	if (include(r, w->f, g->t, s + g->a, b - g->a) < 0)
		return -1;
	/* the included text brings its own line end, unless it has none */
	if (g->standalone && r->out.len && r->out.p[r->out.len - 1] != '\n' &&
	    g->after > g->e + 2 && emit(r, s + g->e + 2, g->after - g->e - 2, NULL, 0) < 0)
		return sys_error(r, w->f);
	return 0;
}

/* {{#name}} and {{^name}}: opens a section, shown when name is set and
 * not empty (#) or when it is not (^). */
static int
section_open(struct walk *w, const struct tag *g, const char *name, size_t nlen)
{
	const char *val;
	size_t vlen = 0;

	if (w->nst == w->capst) {
		size_t cap = w->capst ? w->capst * 2 : 16;
		struct section *ns = reallocarray(w->st, cap, sizeof *ns);
		if (!ns)
			return sys_error(w->r, w->f);
		w->st = ns;
		w->capst = cap;
	}
	w->st[w->nst++] = (struct section){ name, nlen, g->t, w->skip, g->kind };
	if (!w->skip) {
		val = agent_tmpl_vars_get(w->r->vars, name, nlen, &vlen);
		int full = val && vlen > 0;
		w->skip = g->kind == '#' ? !full : full;
	}
	return 0;
}

/* {{/name}}: closes the innermost section, which must be name's. */
static int
section_close(struct walk *w, const struct tag *g, const char *name, size_t nlen)
{
	const char *s = w->f->src;
	const struct section *top = w->nst ? &w->st[w->nst - 1] : NULL;
	struct agent_tmpl_error tmp;

	if (!top) {
		agent__tmpl_fail(w->r->err, w->f->name, s, g->t, "'{{/%.*s}}' closes no open section",
		     (int)nlen, name);
		return -1;
	}
	if (top->nlen != nlen || memcmp(top->name, name, nlen) != 0) {
		set_pos(&tmp, w->f->name, s, top->off);
		agent__tmpl_fail(w->r->err, w->f->name, s, g->t, "'{{/%.*s}}' closes '{{%c%.*s}}' opened at %u:%u",
		     (int)nlen, name, top->kind, (int)top->nlen, top->name, tmp.line, tmp.column);
		return -1;
	}
	w->skip = w->st[--w->nst].saved_skip;
	return 0;
}

/* {{*name}}: name's lines as list items, each with the tag's indent. */
static int
tag_items(struct walk *w, const struct tag *g, const char *name, size_t nlen)
{
	const char *s = w->f->src, *val;
	size_t vlen = 0;

	if (!g->standalone) {
		agent__tmpl_fail(w->r->err, w->f->name, s, g->t, "'{{*%.*s}}' must be on a line of its own",
		     (int)nlen, name);
		return -1;
	}
	if (w->skip)
		return 0;
	if (!(val = agent_tmpl_vars_get(w->r->vars, name, nlen, &vlen))) {
		agent__tmpl_fail(w->r->err, w->f->name, s, g->t, "unknown variable '%.*s'", (int)nlen, name);
		return -1;
	}
	if (emit_items(w->r, val, vlen, s + g->ls, g->t - g->ls,
	               g->after >= 2 && s[g->after - 2] == '\r' ? "\r\n" : "\n") < 0)
		return sys_error(w->r, w->f);
	return 0;
}

/* {{name}} and {{name|default}}: the value, or the default when name is
 * unset or empty. */
static int
tag_var(struct walk *w, const struct tag *g, const char *name, size_t nlen, size_t q)
{
	const char *s = w->f->src, *val;
	size_t vlen = 0;

	if (w->skip)
		return 0;
	val = agent_tmpl_vars_get(w->r->vars, name, nlen, &vlen);
	if (q < g->b && (!val || vlen == 0)) {
		val = s + q + 1;
		vlen = g->b - q - 1;
	}
	if (!val) {
		agent__tmpl_fail(w->r->err, w->f->name, s, g->t, "unknown variable '%.*s'", (int)nlen, name);
		return -1;
	}
	return emit(w->r, val, vlen, NULL, 0) < 0 ? sys_error(w->r, w->f) : 0;
}

/* Everything but an include names a variable: checks the name, then does
 * what the tag's kind says. */
static int
tag_named(struct walk *w, const struct tag *g)
{
	const char *s = w->f->src, *name = s + g->a;
	size_t nlen = agent__tmpl_name_len(name, g->b - g->a), q = g->a + nlen;

	while (q < g->b && blank(s[q]))
		q++;
	if (nlen == 0 || (q < g->b && !(g->kind == 0 && s[q] == '|'))) {
		agent__tmpl_fail(w->r->err, w->f->name, s, g->t, "bad tag '%.*s'", (int)(g->e + 2 - g->t),
		     s + g->t);
		return -1;
	}
	switch (g->kind) {
	case '#':
	case '^':
		return section_open(w, g, name, nlen);
	case '/':
		return section_close(w, g, name, nlen);
	case '*':
		return tag_items(w, g, name, nlen);
	default:
		return tag_var(w, g, name, nlen, q);
	}
}

static int
render_frame(struct render *r, const struct frame *f)
{
	struct walk w = { r, f, NULL, 0, 0, 0 };
	const char *s = f->src, *end = f->src + f->len, *p;
	struct tag g;
	size_t pos = 0, t;
	int rc = -1;

	while (pos < f->len) {
		if (!(p = memmem(s + pos, f->len - pos, "{{", 2))) {
			if (!w.skip && emit(r, s + pos, f->len - pos, end, 1) < 0)
				goto sys;
			break;
		}
		t = (size_t)(p - s);
		/* {{{{ writes {{ */
		if (t + 3 < f->len && s[t + 2] == '{' && s[t + 3] == '{') {
			if (!w.skip && (emit(r, s + pos, t - pos, end, 1) < 0 ||
			                emit(r, "{{", 2, NULL, 0) < 0))
				goto sys;
			pos = t + 4;
			continue;
		}
		if (scan_tag(r, f, t, &g) < 0)
			goto out;
		if (!w.skip && emit(r, s + pos, (g.standalone ? g.ls : t) - pos, end, 1) < 0)
			goto sys;
		pos = g.after;
		if ((g.kind == '>' ? tag_include(&w, &g) : tag_named(&w, &g)) < 0)
			goto out;
	}
	if (w.nst) {
		const struct section *top = &w.st[w.nst - 1];
		agent__tmpl_fail(r->err, f->name, s, top->off, "unclosed section '{{%c%.*s}}'",
		     top->kind, (int)top->nlen, top->name);
		goto out;
	}
	rc = 0;
	goto out;
sys:
	sys_error(r, f);
out:
	free(w.st);
	return rc;
}

/* Replaces each recorded "#." with its number: a list continues across
 * blank lines and deeper-indented lines, and ends at a line of text
 * indented no deeper than its items. */
static int
number_items(struct render *r, char **outp, size_t *outlen)
{
	struct agent__buf o = {0};
	struct level { size_t indent; unsigned long n; } *lv = NULL;
	size_t nlv = 0, mi = 0, pos = 0, len = r->out.len;
	const char *s = r->out.p;
	char num[24];

	if (!(lv = malloc((r->nmarks + 1) * sizeof *lv)))
		return -1;
	while (pos < len) {
		const char *nl = memchr(s + pos, '\n', len - pos);
		size_t le = nl ? (size_t)(nl - s) + 1 : len, f = pos;
		while (f < le && blank(s[f]))
			f++;
		size_t indent = f - pos;
		if (f == le || s[f] == '\n' || s[f] == '\r') {
			/* blank line: lists go on */
		} else if (mi < r->nmarks && r->marks[mi] == f) {
			while (nlv && lv[nlv - 1].indent > indent)
				nlv--;
			if (nlv && lv[nlv - 1].indent == indent)
				lv[nlv - 1].n++;
			else
				lv[nlv++] = (struct level){ indent, 1 };
			snprintf(num, sizeof num, "%lu.", lv[nlv - 1].n);
			if (agent__tmpl_buf_add(&o, s + pos, f - pos) < 0 || agent__tmpl_buf_add(&o, num, strlen(num)) < 0 ||
			    agent__tmpl_buf_add(&o, s + f + 2, le - f - 2) < 0)
				goto fail;
			mi++;
			pos = le;
			continue;
		} else {
			while (nlv && lv[nlv - 1].indent >= indent)
				nlv--;
		}
		while (mi < r->nmarks && r->marks[mi] < le)   /* cannot happen; stay in step */
			mi++;
		if (agent__tmpl_buf_add(&o, s + pos, le - pos) < 0)
			goto fail;
		pos = le;
	}
	if (!o.p && agent__tmpl_buf_add(&o, "", 0) < 0)
		goto fail;
	free(lv);
	*outp = o.p;
	*outlen = o.len;
	return 0;
fail:
	free(lv);
	free(o.p);
	return -1;
}

int
agent_tmpl_render(const char *src, size_t len, const char *name, const char *dir,
                  const struct agent_tmpl_vars *vars, const struct agent_tmpl_opts *opts,
                  char **out, size_t *outlen, struct agent_tmpl_error *err)
{
	struct render r = { .vars = vars, .opts = opts, .err = err, .bol_blank = 1 };
	struct frame f = { src, len, name ? name : "<template>", dir ? dir : "." };
	size_t i;
	int rc;

	r.topdir = f.dir;
	r.chain[0] = name ? realpath(name, NULL) : NULL;
	rc = render_frame(&r, &f);
	if (rc == 0 && (rc = number_items(&r, out, outlen)) < 0 && err) {
		snprintf(err->file, sizeof err->file, "%s", f.name);
		err->line = err->column = 0;
		snprintf(err->msg, sizeof err->msg, "%s", strerror(errno));
	}
	int e = errno;
	free(r.chain[0]);
	for (i = 0; i < r.nroots; i++)
		free(r.roots[i]);
	free(r.roots);
	free(r.marks);
	free(r.out.p);
	errno = e;
	return rc;
}

/* ---- built-in templates ---------------------------------------------- */

static const char phase_tmpl[] =
	"You are implementing Phase {{phase}} of {{project}}: {{description}}.\n"
	"\n"
	"## Project\n"
	"\n"
	"{{context}}\n"
	"\n"
	"## CRITICAL INSTRUCTIONS\n"
	"\n"
	"- For NEW files: use `cat > /path <<'EOF' ... EOF` (the quoted 'EOF' keeps the shell\n"
	"  from expanding anything in the content)\n"
	"- For EXISTING file modifications: use the Edit tool (read the file first, then edit it)\n"
	"- Never write or change files through a script (no Python or shell programs that write files)\n"
	"- Final step: run `{{verify}} 2>&1` and fix any errors; that command alone decides\n"
	"  whether the phase is done\n"
	"- Report final result\n"
	"\n"
	"## Files to Create/Modify\n"
	"\n"
	"{{files}}\n"
	"\n"
	"## Steps\n"
	"\n"
	"{{*steps}}\n"
	"#. Run `{{verify}} 2>&1`, fix any errors and re-run it until it passes, then report the final result\n";

static const char continue_tmpl[] =
	"Continue where you stopped{{#phase}} on Phase {{phase}}{{/phase}}. What is done stays done;\n"
	"do not redo it. You still need to:\n"
	"\n"
	"{{*remaining}}\n"
	"#. Run `{{verify}} 2>&1`, fix any errors and re-run it until it passes, then report the final result\n";

static const struct {
	const char *name, *desc, *text;
	size_t len;
} builtins[] = {
	{ "phase", "one phase of multi-phase work: phase project description context files steps verify",
	  phase_tmpl, sizeof phase_tmpl - 1 },
	{ "continue", "a follow-up for a cut-off session: remaining verify [phase]",
	  continue_tmpl, sizeof continue_tmpl - 1 },
};

const char *
agent_tmpl_builtin(const char *name, size_t *len)
{
	size_t i;
	for (i = 0; i < sizeof builtins / sizeof builtins[0]; i++)
		if (strcmp(builtins[i].name, name) == 0) {
			if (len)
				*len = builtins[i].len;
			return builtins[i].text;
		}
	return NULL;
}

const char *
agent_tmpl_builtin_name(size_t i, const char **description)
{
	if (i >= sizeof builtins / sizeof builtins[0])
		return NULL;
	if (description)
		*description = builtins[i].desc;
	return builtins[i].name;
}
