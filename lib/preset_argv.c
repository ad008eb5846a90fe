/* preset_argv.c — a preset's argv templates: parsing a template value of
 * agents.conf(5) into words and optional groups, and expanding it into an
 * argv with each {field} exactly one element (never a shell string). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "preset_int.h"

const char *const agent__field_names[F__MAX] = {
	"prompt", "prompt_file", "dir", "model", "agent_name", "session",
};

void
agent__argv_tmpl_free(struct argv_tmpl *t)
{
	for (size_t i = 0; i < t->n; i++)
		free(t->words[i]);
	free(t->words);
	free(t->group);
	memset(t, 0, sizeof *t);
}

int
agent__argv_tmpl_copy(struct argv_tmpl *d, const struct argv_tmpl *s)
{
	memset(d, 0, sizeof *d);
	d->set = s->set;
	if (!s->n)
		return 0;
	if (!(d->words = calloc(s->n, sizeof *d->words)) ||
	    !(d->group = malloc(s->n * sizeof *d->group)))
		goto fail;
	memcpy(d->group, s->group, s->n * sizeof *d->group);
	for (; d->n < s->n; d->n++)
		if (!(d->words[d->n] = strdup(s->words[d->n])))
			goto fail;
	return 0;
fail:
	agent__argv_tmpl_free(d);
	errno = ENOMEM;
	return -1;
}

/* Appends one word to t. */
static int
tmpl_push(struct argv_tmpl *t, const char *w, size_t len, int group)
{
	char **nw = reallocarray(t->words, t->n + 1, sizeof *nw);
	if (!nw)
		return -1;
	t->words = nw;
	int *ng = reallocarray(t->group, t->n + 1, sizeof *ng);
	if (!ng)
		return -1;
	t->group = ng;
	char *s = malloc(len + 1);
	if (!s)
		return -1;
	memcpy(s, w, len);
	s[len] = '\0';
	t->words[t->n] = s;
	t->group[t->n] = group;
	t->n++;
	return 0;
}

/* Parses a template value into t: words split at blanks, "\c" a literal
 * c, "{field}" one field, "[" at a word's start and "]" at its end bound
 * an optional group.  -1 with the message in *msg (or errno ENOMEM, *msg NULL). */
int
agent__argv_tmpl_parse(const char *s, struct argv_tmpl *t, const char **msg, char *arg, size_t arglen)
{
	size_t cap = strlen(s) + 1;
	char *w = malloc(cap);
	int group = 0, ngroups = 0, group_fields = 0;

	*msg = NULL;
	*arg = '\0';
	memset(t, 0, sizeof *t);
	t->set = 1;
	if (!w)
		return -1;
	while (*s) {
		size_t len = 0;
		int closes = 0, in_word = 0;

		while (*s == ' ' || *s == '\t')
			s++;
		if (!*s)
			break;
		if (*s == '[') {
			if (group) {
				*msg = "nested optional group '['";
				goto fail;
			}
			group = ++ngroups;
			group_fields = 0;
			s++;
		}
		while (*s && *s != ' ' && *s != '\t') {
			if (*s == '\\') {
				if (!s[1]) {
					*msg = "backslash at the end of the template";
					goto fail;
				}
				if ((unsigned char)s[1] < 0x20 || s[1] == 0x7f) {
					*msg = "control character in template";
					goto fail;
				}
				w[len++] = s[1];
				s += 2;
				in_word = 1;
			} else if (*s == '{') {
				const char *e = strchr(s + 1, '}');
				int f;
				if (!e) {
					*msg = "unterminated '{' in template";
					goto fail;
				}
				for (f = 0; f < F__MAX; f++)
					if (strlen(agent__field_names[f]) == (size_t)(e - s - 1) &&
					    strncmp(agent__field_names[f], s + 1, e - s - 1) == 0)
						break;
				if (f == F__MAX) {
					snprintf(arg, arglen, "%.*s", (int)(e - s - 1), s + 1);
					*msg = "unknown field {%s} (fields: prompt, prompt_file, dir, model, agent_name, session)";
					goto fail;
				}
				w[len++] = FIELD_MARK;
				w[len++] = (char)('0' + f);
				if (group)
					group_fields++;
				s = e + 1;
				in_word = 1;
			} else if (*s == '}') {
				*msg = "'}' without '{' (write \\} for a literal brace)";
				goto fail;
			} else if (*s == ']') {
				if (s[1] && s[1] != ' ' && s[1] != '\t') {
					*msg = "']' inside a word (write \\] for a literal bracket)";
					goto fail;
				}
				if (!group) {
					*msg = "']' without '['";
					goto fail;
				}
				closes = 1;
				s++;
			} else if (*s == '[') {
				*msg = "'[' inside a word (write \\[ for a literal bracket)";
				goto fail;
			} else if ((unsigned char)*s < 0x20 || *s == 0x7f) {
				*msg = "control character in template";
				goto fail;
			} else {
				w[len++] = *s++;
				in_word = 1;
			}
		}
		if (in_word && tmpl_push(t, w, len, group) < 0)
			goto nomem;
		if (closes) {
			if (!group_fields) {
				*msg = "optional group without a field: it could never be dropped";
				goto fail;
			}
			group = 0;
		}
	}
	if (group) {
		*msg = "'[' without ']'";
		goto fail;
	}
	free(w);
	return 0;
nomem:
	*msg = NULL;
fail:
	free(w);
	agent__argv_tmpl_free(t);
	if (!*msg)
		errno = ENOMEM;
	return -1;
}

/* Whether t uses field f (only outside groups when required is set). */
int
agent__argv_tmpl_has(const struct argv_tmpl *t, int f, int required)
{
	char m[3] = { FIELD_MARK, (char)('0' + f), '\0' };
	for (size_t i = 0; i < t->n; i++)
		if ((!required || !t->group[i]) && strstr(t->words[i], m))
			return 1;
	return 0;
}

/* ---- expansion ---- */

void
agent_argv_free(char **argv)
{
	if (!argv)
		return;
	for (char **a = argv; *a; a++)
		free(*a);
	free(argv);
}

/* Length of word w expanded, or -1 when a field it uses is missing. */
static long
word_len(const char *w, const char *const *val)
{
	long n = 0;
	for (; *w; w++) {
		if (*w == FIELD_MARK) {
			const char *v = val[*++w - '0'];
			if (!v || !*v)
				return -1;
			n += (long)strlen(v);
		} else
			n++;
	}
	return n;
}

/* The values of the fields: vars, with the profile's model and agent name
 * where vars leaves them out. */
static void
fill_vals(const struct agent_preset *p, const struct agent_vars *vars,
          const char **val)
{
	static const struct agent_vars novars;

	if (!vars)
		vars = &novars;
	val[F_PROMPT] = vars->prompt;
	val[F_PROMPT_FILE] = vars->prompt_file;
	val[F_DIR] = vars->dir;
	val[F_MODEL] = vars->model && *vars->model ? vars->model : agent_preset_model(p);
	val[F_AGENT_NAME] = vars->agent_name && *vars->agent_name ? vars->agent_name
	                                                         : agent_preset_agent_name(p);
	val[F_SESSION] = vars->session;
}

/* The first field word w uses that has no value, or -1. */
static int
word_missing(const char *w, const char *const *val)
{
	for (; *w; w++)
		if (*w == FIELD_MARK) {
			int f = *++w - '0';
			if (!val[f] || !*val[f])
				return f;
		}
	return -1;
}

const char *
agent_preset_missing(const struct agent_preset *p, enum agent_argv_which which,
                     const struct agent_vars *vars)
{
	const struct agent_preset *b = agent__preset_of(p);
	const struct argv_tmpl *t = which == AGENT_ARGV_RESUME ? &b->resume : &b->spawn;
	const char *val[F__MAX];
	size_t i;
	int f;

	fill_vals(p, vars, val);
	for (i = 0; i < t->n; i++)
		if (!t->group[i] && (f = word_missing(t->words[i], val)) >= 0)
			return agent__field_names[f];
	return NULL;
}

char **
agent_preset_argv(const struct agent_preset *p, enum agent_argv_which which,
                  const struct agent_vars *vars)
{
	const struct agent_preset *b = agent__preset_of(p);
	const struct argv_tmpl *t = which == AGENT_ARGV_RESUME ? &b->resume : &b->spawn;
	const char *val[F__MAX];
	char **argv;
	size_t i, n = 0;

	fill_vals(p, vars, val);
	if (!t->n) {
		errno = which == AGENT_ARGV_RESUME ? ENOTSUP : EINVAL;
		return NULL;
	}
	if (!(argv = calloc(t->n + 1, sizeof *argv)))
		return NULL;
	for (i = 0; i < t->n; i++) {
		long len;
		int g = t->group[i];
		if (g && (i == 0 || t->group[i - 1] != g)) {
			/* A group goes in whole or not at all. */
			size_t j;
			for (j = i; j < t->n && t->group[j] == g; j++)
				if (word_len(t->words[j], val) < 0)
					break;
			if (j < t->n && t->group[j] == g) {
				while (i + 1 < t->n && t->group[i + 1] == g)
					i++;
				continue;
			}
		}
		if ((len = word_len(t->words[i], val)) < 0)
			goto missing;
		char *s = malloc((size_t)len + 1), *d = s;
		if (!s)
			goto fail;
		for (const char *w = t->words[i]; *w; w++) {
			if (*w == FIELD_MARK) {
				const char *v = val[*++w - '0'];
				size_t vl = strlen(v);
				memcpy(d, v, vl);
				d += vl;
			} else
				*d++ = *w;
		}
		*d = '\0';
		argv[n++] = s;
	}
	if (n == 0)
		goto missing;
	return argv;
missing:
	agent_argv_free(argv);
	errno = EINVAL;
	return NULL;
fail:
	agent_argv_free(argv);
	errno = ENOMEM;
	return NULL;
}
