/* tmpl_vars.c — the template engine's variables: a name to value store,
 * filled from -D definitions, the environment, and NAME=VALUE files
 * (continuation lines, comments), with positions in parse errors. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "tmpl_int.h"
#include "file.h"
#include "buf.h"

/* ---- variables ------------------------------------------------------- */

struct var {
	char *name, *value;
	size_t vlen;
};

struct agent_tmpl_vars {
	struct var *v;
	size_t n, cap;
};

static int
name_char(int c, int first)
{
	if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_')
		return 1;
	return !first && ((c >= '0' && c <= '9') || c == '.' || c == '-');
}

/* Length of the variable name at s (at most n bytes), 0 if none. */
size_t
agent__tmpl_name_len(const char *s, size_t n)
{
	size_t i = 0;
	while (i < n && name_char((unsigned char)s[i], i == 0))
		i++;
	return i;
}

struct agent_tmpl_vars *
agent_tmpl_vars_new(void)
{
	return calloc(1, sizeof(struct agent_tmpl_vars));
}

void
agent_tmpl_vars_free(struct agent_tmpl_vars *vs)
{
	size_t i;
	if (!vs)
		return;
	for (i = 0; i < vs->n; i++) {
		free(vs->v[i].name);
		free(vs->v[i].value);
	}
	free(vs->v);
	free(vs);
}

static struct var *
find(const struct agent_tmpl_vars *vs, const char *name, size_t nlen)
{
	size_t i;
	for (i = 0; i < vs->n; i++)
		if (strlen(vs->v[i].name) == nlen && memcmp(vs->v[i].name, name, nlen) == 0)
			return &vs->v[i];
	return NULL;
}

static int
vars_setn(struct agent_tmpl_vars *vs, const char *name, size_t nlen,
          const char *value, size_t vlen)
{
	struct var *v;
	char *copy;

	if (nlen == 0 || agent__tmpl_name_len(name, nlen) != nlen) {
		errno = EINVAL;
		return -1;
	}
	if (!(copy = malloc(vlen + 1)))
		return -1;
	if (vlen)
		memcpy(copy, value, vlen);
	copy[vlen] = '\0';
	if ((v = find(vs, name, nlen))) {
		free(v->value);
		v->value = copy;
		v->vlen = vlen;
		return 0;
	}
	if ((v = agent__grow(vs->v, &vs->cap, vs->n, sizeof *v)) == NULL) {
		free(copy);
		return -1;
	}
	vs->v = v;
	v = &vs->v[vs->n];
	if (!(v->name = strndup(name, nlen))) {
		free(copy);
		return -1;
	}
	v->value = copy;
	v->vlen = vlen;
	vs->n++;
	return 0;
}

int
agent_tmpl_vars_set(struct agent_tmpl_vars *vs, const char *name, const char *value,
                    size_t vlen)
{
	return vars_setn(vs, name, strlen(name), value, vlen);
}

const char *
agent_tmpl_vars_get(const struct agent_tmpl_vars *vs, const char *name, size_t nlen,
                    size_t *vlen)
{
	struct var *v = vs ? find(vs, name, nlen) : NULL;
	if (!v)
		return NULL;
	if (vlen)
		*vlen = v->vlen;
	return v->value;
}

int
agent_tmpl_vars_define(struct agent_tmpl_vars *vs, const char *def)
{
	const char *eq = strchr(def, '=');
	if (!eq) {
		errno = EINVAL;
		return -1;
	}
	return vars_setn(vs, def, (size_t)(eq - def), eq + 1, strlen(eq + 1));
}

int
agent_tmpl_vars_environ(struct agent_tmpl_vars *vs, char *const *env)
{
	for (; env && *env; env++) {
		const char *eq = strchr(*env, '=');
		size_t nlen;
		if (!eq)
			continue;
		nlen = (size_t)(eq - *env);
		if (nlen == 0 || agent__tmpl_name_len(*env, nlen) != nlen)
			continue;
		if (vars_setn(vs, *env, nlen, eq + 1, strlen(eq + 1)) < 0)
			return -1;
	}
	return 0;
}


int
agent_tmpl_vars_parse(struct agent_tmpl_vars *vs, const char *s, size_t len,
                      const char *file, struct agent_tmpl_error *err)
{
	struct agent__buf val = {0};
	const char *name = NULL;
	size_t nlen = 0, indent = 0, pending = 0, pos = 0;
	int ncont = 0, rc = -1;

	while (pos <= len) {
		size_t ls = pos, le, e;
		const char *nl = pos < len ? memchr(s + pos, '\n', len - pos) : NULL;
		int last = pos == len;

		le = nl ? (size_t)(nl - s) : len;
		pos = le + 1;
		e = le;
		while (e > ls && (blank(s[e - 1]) || s[e - 1] == '\r'))
			e--;
		if (e == ls) {                              /* blank line */
			if (name)
				pending++;
			if (last)
				break;
			continue;
		}
		if (blank(s[ls])) {                         /* continuation */
			size_t b = 0;
			if (!name) {
				agent__tmpl_fail(err, file, s, ls, "continuation line without a variable before it");
				goto out;
			}
			while (ls + b < e && blank(s[ls + b]))
				b++;
			if (!ncont++)
				indent = b;
			b = b < indent ? b : indent;
			/* blank lines inside a value stay, leading ones do not */
			for (size_t k = val.len ? pending + 1 : 0; k > 0; k--)
				if (agent__tmpl_buf_addc(&val, '\n') < 0)
					goto nomem;
			pending = 0;
			if (agent__tmpl_buf_add(&val, s + ls + b, e - ls - b) < 0)
				goto nomem;
			continue;
		}
		if (name && vars_setn(vs, name, nlen, val.p ? val.p : "", val.len) < 0)
			goto nomem;
		name = NULL;
		val.len = 0;
		pending = 0;
		ncont = 0;
		if (s[ls] == '#')                           /* comment */
			continue;
		nlen = agent__tmpl_name_len(s + ls, e - ls);
		if (nlen == 0) {
			agent__tmpl_fail(err, file, s, ls, "bad variable name (want NAME=VALUE)");
			goto out;
		}
		size_t q = ls + nlen;
		while (q < e && blank(s[q]))
			q++;
		if (q == e || s[q] != '=') {
			agent__tmpl_fail(err, file, s, q, "expected '=' after '%.*s'", (int)nlen, s + ls);
			goto out;
		}
		q++;
		while (q < e && blank(s[q]))
			q++;
		name = s + ls;
		if (agent__tmpl_buf_add(&val, s + q, e - q) < 0)
			goto nomem;
	}
	if (name && vars_setn(vs, name, nlen, val.p ? val.p : "", val.len) < 0)
		goto nomem;
	rc = 0;
	goto out;
nomem:
	if (err) {
		snprintf(err->file, sizeof err->file, "%s", file);
		err->line = err->column = 0;
		snprintf(err->msg, sizeof err->msg, "%s", strerror(errno));
	}
out:
	free(val.p);
	return rc;
}

int
agent_tmpl_vars_load(struct agent_tmpl_vars *vs, const char *path,
                     struct agent_tmpl_error *err)
{
	char *text;
	size_t len;
	int rc;

	if (agent_read_text(path, &text, &len) < 0) {
		int e = errno;
		if (err) {
			snprintf(err->file, sizeof err->file, "%s", path);
			err->line = err->column = 0;
			snprintf(err->msg, sizeof err->msg, "%s", strerror(e));
		}
		errno = e;
		return -1;
	}
	rc = agent_tmpl_vars_parse(vs, text, len, strcmp(path, "-") ? path : "<stdin>", err);
	int e = errno;
	free(text);
	errno = e;
	return rc;
}
