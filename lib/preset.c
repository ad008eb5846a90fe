/* preset.c — agent presets and profiles: the config file parser (the
 * built-in table, preset_builtin.c, is parsed by it too), lookup and
 * accessors.  The argv templates are preset_argv.c's. */
#include <ctype.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "preset_int.h"
#include "dialect.h"
#include "sandbox.h"

struct agent_conf {
	struct agent_preset **v;
	size_t n, cap;
};

static void
preset_free(struct agent_preset *p)
{
	if (!p || p->shared)
		return;
	free(p->key);
	free(p->dialect);
	free(p->resume_dialect);
	agent__argv_tmpl_free(&p->spawn);
	agent__argv_tmpl_free(&p->resume);
	for (size_t i = 0; i < p->nenv; i++)
		free(p->env[i]);
	free(p->env);
	for (size_t i = 0; i < p->nrw; i++)
		free(p->sandbox_rw[i]);
	free(p->sandbox_rw);
	free(p->model);
	free(p->agent_name);
	free(p->base_name);
	free(p);
}

void
agent_conf_free(struct agent_conf *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < c->n; i++)
		preset_free(c->v[i]);
	free(c->v);
	free(c);
}

static struct agent_preset *
conf_find(const struct agent_conf *c, const char *name)
{
	for (size_t i = 0; i < c->n; i++)
		if (strcmp(c->v[i]->key, name) == 0)
			return c->v[i];
	return NULL;
}

static int
dup_str(char **dst, const char *s)
{
	return !s || (*dst = strdup(s)) ? 0 : -1;
}

/* A NULL-terminated copy of n strings (NULL stays NULL). */
static int
dup_strv(char ***dst, size_t *dn, char *const *v, size_t n)
{
	if (!v)
		return 0;
	if (!(*dst = calloc(n + 1, sizeof **dst)))
		return -1;
	for (; *dn < n; ++*dn)
		if (!((*dst)[*dn] = strdup(v[*dn])))
			return -1;
	return 0;
}

/* A copy of a shared built-in that a file can change, in its place in c
 * (conf_find's answer stays the place of the name). */
static struct agent_preset *
conf_own(struct agent_conf *c, struct agent_preset *s)
{
	struct agent_preset *p;
	size_t i;

	if (!s->shared)
		return s;
	if (!(p = malloc(sizeof *p)))
		return NULL;
	*p = *s;
	p->shared = 0;
	p->key = p->dialect = p->resume_dialect = p->model = p->agent_name = p->base_name = NULL;
	memset(&p->spawn, 0, sizeof p->spawn);
	memset(&p->resume, 0, sizeof p->resume);
	p->env = p->sandbox_rw = NULL;
	p->nenv = p->nrw = 0;
	if (dup_str(&p->key, s->key) < 0 || dup_str(&p->dialect, s->dialect) < 0 ||
	    dup_str(&p->resume_dialect, s->resume_dialect) < 0 ||
	    dup_str(&p->model, s->model) < 0 || dup_str(&p->agent_name, s->agent_name) < 0 ||
	    dup_str(&p->base_name, s->base_name) < 0 ||
	    agent__argv_tmpl_copy(&p->spawn, &s->spawn) < 0 ||
	    agent__argv_tmpl_copy(&p->resume, &s->resume) < 0 ||
	    dup_strv(&p->env, &p->nenv, s->env, s->nenv) < 0 ||
	    dup_strv(&p->sandbox_rw, &p->nrw, s->sandbox_rw, s->nrw) < 0) {
		preset_free(p);
		errno = ENOMEM;
		return NULL;
	}
	for (i = 0; i < c->n; i++)
		if (c->v[i] == s)
			c->v[i] = p;
	return p;
}

/* ---- parsing ---- */

struct parse {
	struct agent_conf *c;
	struct agent_conf_err *err;
	const char *file;
	int line;
	struct agent_preset *cur;   /* section being filled */
	int sec_line;               /* its header line in this file */
};

static int
perr(struct parse *ps, int line, const char *fmt, const char *arg)
{
	if (ps->err) {
		snprintf(ps->err->file, sizeof ps->err->file, "%s", ps->file);
		ps->err->line = line;
		snprintf(ps->err->msg, sizeof ps->err->msg, fmt, arg ? arg : "");
	}
	errno = EINVAL;
	return -1;
}

static int
valid_name(const char *s)
{
	if (!*s || strlen(s) > 64)
		return 0;
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && *s != '-' && *s != '_' && *s != '.')
			return 0;
	return 1;
}

static struct agent_preset *
section_new(struct parse *ps, const char *name, int profile)
{
	struct agent_preset *p = calloc(1, sizeof *p);
	if (!p || !(p->key = strdup(name))) {
		free(p);
		return NULL;
	}
	p->profile = profile;
	snprintf(p->file, sizeof p->file, "%s", ps->file);
	p->line = ps->line;
	if (ps->c->n == ps->c->cap) {
		size_t ncap = ps->c->cap ? 2 * ps->c->cap : 16;
		struct agent_preset **nv = reallocarray(ps->c->v, ncap, sizeof *nv);
		if (!nv) {
			preset_free(p);
			return NULL;
		}
		ps->c->v = nv;
		ps->c->cap = ncap;
	}
	ps->c->v[ps->c->n++] = p;
	return p;
}

static void
conf_remove(struct agent_conf *c, struct agent_preset *p)
{
	for (size_t i = 0; i < c->n; i++)
		if (c->v[i] == p) {
			memmove(c->v + i, c->v + i + 1, (c->n - i - 1) * sizeof *c->v);
			c->n--;
			preset_free(p);
			return;
		}
}

/* A section is complete: check what a preset or profile must have. */
static int
section_end(struct parse *ps)
{
	struct agent_preset *p = ps->cur;
	int line = ps->sec_line;
	ps->cur = NULL;
	if (!p)
		return 0;
	if (p->profile) {
		if (!p->base_name)
			return perr(ps, line, "profile %s has no 'agent ='", p->key);
		return 0;
	}
	if (!p->spawn.set || !p->spawn.n)
		return perr(ps, line, "preset %s has no 'spawn =' template", p->key);
	if (p->resume.n && !agent__argv_tmpl_has(&p->resume, F_SESSION, 1))
		return perr(ps, line, "preset %s: resume template needs {session} outside an optional group", p->key);
	if (p->via == AGENT_PROMPT_ARG && !agent__argv_tmpl_has(&p->spawn, F_PROMPT, 0))
		return perr(ps, line, "preset %s: 'prompt = arg' but the spawn template has no {prompt}", p->key);
	if (p->via == AGENT_PROMPT_FILE && !agent__argv_tmpl_has(&p->spawn, F_PROMPT_FILE, 0))
		return perr(ps, line, "preset %s: 'prompt = file' but the spawn template has no {prompt_file}", p->key);
	if (p->long_via == AGENT_PROMPT_FILE && !agent__argv_tmpl_has(&p->spawn, F_PROMPT_FILE, 0))
		return perr(ps, line, "preset %s: 'long-prompt = file' but the spawn template has no {prompt_file}", p->key);
	return 0;
}

static int
section_start(struct parse *ps, char *s)
{
	size_t len = strlen(s);
	char *kind, *name, *sp;
	int profile;
	struct agent_preset *old;

	if (len < 2 || s[len - 1] != ']')
		return perr(ps, ps->line, "section header without ']'", NULL);
	s[len - 1] = '\0';
	kind = s + 1;
	while (*kind == ' ' || *kind == '\t')
		kind++;
	sp = kind + strcspn(kind, " \t");
	if (!*sp)
		return perr(ps, ps->line, "section header needs a kind and a name: [preset NAME] or [profile NAME]", NULL);
	*sp = '\0';
	name = sp + 1;
	name += strspn(name, " \t");
	name[strcspn(name, " \t")] = '\0';
	if (strcmp(kind, "preset") == 0)
		profile = 0;
	else if (strcmp(kind, "profile") == 0)
		profile = 1;
	else
		return perr(ps, ps->line, "unknown section kind '%s' (preset or profile)", kind);
	if (!valid_name(name))
		return perr(ps, ps->line, "bad name '%s' (letters, digits, '-', '_', '.')", name);
	old = conf_find(ps->c, name);
	if (old && old->profile != profile) {
		if (strcmp(old->file, ps->file) == 0) {
			if (ps->err) {
				snprintf(ps->err->file, sizeof ps->err->file, "%s", ps->file);
				ps->err->line = ps->line;
				snprintf(ps->err->msg, sizeof ps->err->msg,
				         "%s is already a %s (line %d)", name,
				         old->profile ? "profile" : "preset", old->line);
			}
			errno = EINVAL;
			return -1;
		}
		/* A name defined again, as the other kind, replaces it. */
		conf_remove(ps->c, old);
		old = NULL;
	}
	ps->sec_line = ps->line;
	if (old) {
		/* a built-in's keys are changed on this file's own copy */
		return (ps->cur = conf_own(ps->c, old)) ? 0 : -1;
	}
	if (!(ps->cur = section_new(ps, name, profile)))
		return -1;
	return 0;
}

static int
set_str(char **dst, const char *v)
{
	char *s = NULL;
	if (*v && !(s = strdup(v)))
		return -1;
	free(*dst);
	*dst = s;
	return 0;
}

static int
set_env(struct parse *ps, struct agent_preset *p, const char *v)
{
	size_t nlen = strcspn(v, "=");
	size_t i;

	if (!nlen || (!isalpha((unsigned char)v[0]) && v[0] != '_'))
		return perr(ps, ps->line, "env needs NAME=VALUE, got '%s'", v);
	for (i = 0; i < nlen; i++)
		if (!isalnum((unsigned char)v[i]) && v[i] != '_')
			return perr(ps, ps->line, "bad environment variable name in '%s'", v);
	for (i = 0; i < p->nenv; i++)
		if (strncmp(p->env[i], v, nlen) == 0 && p->env[i][nlen] == '=')
			break;
	if (!v[nlen]) {
		/* "env = NAME": the preset no longer sets NAME. */
		if (i < p->nenv) {
			free(p->env[i]);
			memmove(p->env + i, p->env + i + 1, (p->nenv - i) * sizeof *p->env);
			p->nenv--;
		}
		return 0;
	}
	char *s = strdup(v);
	if (!s)
		return -1;
	if (i < p->nenv) {
		free(p->env[i]);
		p->env[i] = s;
		return 0;
	}
	char **ne = reallocarray(p->env, p->nenv + 2, sizeof *ne);
	if (!ne) {
		free(s);
		return -1;
	}
	p->env = ne;
	p->env[p->nenv++] = s;
	p->env[p->nenv] = NULL;
	return 0;
}

/* sandbox-rw = ENTRY adds one; an empty value empties the list. */
static int
set_rw(struct parse *ps, struct agent_preset *p, const char *v)
{
	char **nv, *s;

	if (!*v) {
		for (size_t i = 0; i < p->nrw; i++)
			free(p->sandbox_rw[i]);
		p->nrw = 0;
		if (p->sandbox_rw)
			p->sandbox_rw[0] = NULL;
		return 0;
	}
	if (!agent_sandbox_entry_valid(v))
		return perr(ps, ps->line, "sandbox-rw needs an absolute path, ~/PATH or "
		            "${NAME:-DEFAULT}/PATH, got '%s'", v);
	for (size_t i = 0; i < p->nrw; i++)
		if (strcmp(p->sandbox_rw[i], v) == 0)
			return 0;
	if (!(nv = reallocarray(p->sandbox_rw, p->nrw + 2, sizeof *nv)))
		return -1;
	p->sandbox_rw = nv;
	if (!(s = strdup(v)))
		return -1;
	p->sandbox_rw[p->nrw++] = s;
	p->sandbox_rw[p->nrw] = NULL;
	return 0;
}

static int
set_key(struct parse *ps, const char *k, const char *v)
{
	struct agent_preset *p = ps->cur;
	const char *msg;
	char arg[80];

	if (!p)
		return perr(ps, ps->line, "'%s' outside a [preset] or [profile] section", k);
	if (strcmp(k, "model") == 0)
		return set_str(&p->model, v);
	if (strcmp(k, "agent-name") == 0)
		return set_str(&p->agent_name, v);
	if (strcmp(k, "sandbox") == 0) {
		if (strcmp(v, "yes") != 0 && strcmp(v, "no") != 0)
			return perr(ps, ps->line, "sandbox must be yes or no, not '%s'", v);
		p->sandbox = v[0] == 'y';
		p->sandbox_set = 1;
		return 0;
	}
	if (p->profile) {
		if (strcmp(k, "agent") != 0)
			return perr(ps, ps->line, "unknown key '%s' in a profile (agent, agent-name, model, sandbox)", k);
		if (!valid_name(v))
			return perr(ps, ps->line, "agent needs a preset name, got '%s'", v);
		return set_str(&p->base_name, v);
	}
	if (strcmp(k, "spawn") == 0 || strcmp(k, "resume") == 0) {
		struct argv_tmpl t, *dst = k[0] == 's' ? &p->spawn : &p->resume;
		if (agent__argv_tmpl_parse(v, &t, &msg, arg, sizeof arg) < 0)
			return msg ? perr(ps, ps->line, msg, arg) : -1;
		if (k[0] == 's' && !t.n)
			return perr(ps, ps->line, "empty spawn template", NULL);
		agent__argv_tmpl_free(dst);
		*dst = t;
		return 0;
	}
	if (strcmp(k, "dialect") == 0 || strcmp(k, "resume-dialect") == 0) {
		char **dst = k[0] == 'd' ? &p->dialect : &p->resume_dialect;
		int d;
		if (k[0] == 'r')
			p->resume_dialect_set = 1;
		if (strcmp(v, "detect") == 0) {
			p->dialect_set = 1;
			return set_str(dst, "");
		}
		/* dialect.c's table is the one list of names; stored canonical */
		if ((d = agent_dialect_lookup(v)) < 0)
			return perr(ps, ps->line, "unknown dialect '%s'", v);
		p->dialect_set = 1;
		return set_str(dst, agent_dialect_info(d)->name);
	}
	if (strcmp(k, "prompt") == 0) {
		if (strcmp(v, "arg") == 0)
			p->via = AGENT_PROMPT_ARG;
		else if (strcmp(v, "stdin") == 0)
			p->via = AGENT_PROMPT_STDIN;
		else if (strcmp(v, "file") == 0)
			p->via = AGENT_PROMPT_FILE;
		else
			return perr(ps, ps->line, "prompt must be arg, stdin or file, not '%s'", v);
		p->via_set = 1;
		return 0;
	}
	if (strcmp(k, "long-prompt") == 0) {
		if (strcmp(v, "refuse") == 0)
			p->long_via = AGENT_PROMPT_ARG;
		else if (strcmp(v, "stdin") == 0)
			p->long_via = AGENT_PROMPT_STDIN;
		else if (strcmp(v, "file") == 0)
			p->long_via = AGENT_PROMPT_FILE;
		else
			return perr(ps, ps->line, "long-prompt must be stdin, file or refuse, not '%s'", v);
		p->long_set = 1;
		return 0;
	}
	if (strcmp(k, "env") == 0)
		return set_env(ps, p, v);
	if (strcmp(k, "sandbox-rw") == 0)
		return set_rw(ps, p, v);
	return perr(ps, ps->line, "unknown key '%s' in a preset (spawn, resume, dialect, resume-dialect, prompt, long-prompt, env, sandbox, sandbox-rw, model, agent-name)", k);
}

static char *
trim(char *s)
{
	size_t n;
	while (*s == ' ' || *s == '\t')
		s++;
	n = strlen(s);
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r' || s[n - 1] == '\n'))
		s[--n] = '\0';
	return s;
}

static int
parse_line(struct parse *ps, char *line)
{
	char *s = trim(line), *eq, *k, *v;

	if (!*s || *s == '#')
		return 0;
	if (*s == '[') {
		if (section_end(ps) < 0)
			return -1;
		return section_start(ps, s);
	}
	if (!(eq = strchr(s, '=')))
		return perr(ps, ps->line, "expected 'key = value' or a [section], got '%.60s'", s);
	*eq = '\0';
	k = trim(s);
	v = trim(eq + 1);
	if (!*k)
		return perr(ps, ps->line, "missing key before '='", NULL);
	return set_key(ps, k, v);
}

/* Parses one config text (the built-ins) or stream (a file). */
static int
parse_stream(struct parse *ps, FILE *f, const char *text)
{
	char *line = NULL;
	size_t cap = 0;
	int rc = 0;

	ps->line = 0;
	ps->cur = NULL;
	for (;;) {
		ssize_t n;
		if (f) {
			errno = 0;
			if ((n = getline(&line, &cap, f)) < 0) {
				if (ferror(f)) {
					rc = -1;
					if (ps->err) {
						snprintf(ps->err->file, sizeof ps->err->file, "%s", ps->file);
						ps->err->line = ps->line;
						snprintf(ps->err->msg, sizeof ps->err->msg, "%s", strerror(errno));
					}
				}
				break;
			}
		} else {
			if (!*text)
				break;
			size_t len = strcspn(text, "\n");
			if (len + 1 > cap) {
				char *nl = realloc(line, len + 1);
				if (!nl) {
					rc = -1;
					break;
				}
				line = nl;
				cap = len + 1;
			}
			memcpy(line, text, len);
			line[len] = '\0';
			n = (ssize_t)len;
			text += len + (text[len] == '\n');
		}
		ps->line++;
		if (memchr(line, '\0', (size_t)n)) {
			rc = perr(ps, ps->line, "NUL byte in line", NULL);
			break;
		}
		if ((rc = parse_line(ps, line)) < 0)
			break;
	}
	free(line);
	if (rc == 0)
		rc = section_end(ps);
	return rc;
}

/* Links each profile to its preset; a profile naming an unknown preset or
 * another profile is an error at the profile's header. */
static int
resolve(struct agent_conf *c, struct agent_conf_err *err)
{
	for (size_t i = 0; i < c->n; i++) {
		struct agent_preset *p = c->v[i], *b;
		if (!p->profile)
			continue;
		b = conf_find(c, p->base_name);
		if (!b || b->profile) {
			if (err) {
				snprintf(err->file, sizeof err->file, "%s", p->file);
				err->line = p->line;
				snprintf(err->msg, sizeof err->msg, "profile %s: %s '%s'",
				         p->key, b ? "agent names another profile" : "no such preset",
				         p->base_name);
			}
			errno = EINVAL;
			return -1;
		}
		/* a built-in profile whose preset a file replaced or changed
		 * is the file's own */
		if (p->base != b && !(p = conf_own(c, p)))
			return -1;
		p->base = b;
	}
	return 0;
}

static char *
default_path(void)
{
	const char *x = getenv("XDG_CONFIG_HOME"), *home = getenv("HOME");
	const char *tail = "/agentutils/agents.conf";
	char *p;

	if (x && *x) {
		if (asprintf(&p, "%s%s", x, tail) < 0)
			return NULL;
	} else if (home && *home) {
		if (asprintf(&p, "%s/.config%s", home, tail) < 0)
			return NULL;
	} else {
		errno = ENOENT;
		return NULL;
	}
	return p;
}

const char *
agent_conf_builtin(void)
{
	return agent__builtin_conf;
}

/* The built-ins parsed, once per process (a file's sections change copies
 * of them): most of what a load would otherwise parse again each time. */
static struct agent_conf *builtins;
static pthread_mutex_t builtins_lock = PTHREAD_MUTEX_INITIALIZER;

static const struct agent_conf *
builtins_get(struct agent_conf_err *err)
{
	struct agent_conf *b = __atomic_load_n(&builtins, __ATOMIC_ACQUIRE);
	struct parse ps = { .err = err, .file = "<built-in>" };

	if (b)
		return b;
	pthread_mutex_lock(&builtins_lock);
	if (!(b = builtins) && (b = ps.c = calloc(1, sizeof *b))) {
		if (parse_stream(&ps, NULL, agent__builtin_conf) < 0 || resolve(b, err) < 0) {
			int e = errno;
			agent_conf_free(b);
			b = NULL;
			errno = e;
		} else {
			for (size_t i = 0; i < b->n; i++)
				b->v[i]->shared = 1;
			__atomic_store_n(&builtins, b, __ATOMIC_RELEASE);
		}
	}
	pthread_mutex_unlock(&builtins_lock);
	return b;
}

struct agent_conf *
agent_conf_load(const char *path, struct agent_conf_err *err)
{
	struct agent_conf *c = calloc(1, sizeof *c);
	struct parse ps = { .c = c, .err = err, .file = "<built-in>" };
	const struct agent_conf *b;
	char *def = NULL;
	FILE *f = NULL;
	int e;

	if (err)
		memset(err, 0, sizeof *err);
	if (!c)
		return NULL;
	if (!(b = builtins_get(err)))
		goto fail;
	c->cap = b->n + 16;
	if (!(c->v = calloc(c->cap, sizeof *c->v)))
		goto fail;
	memcpy(c->v, b->v, b->n * sizeof *c->v);
	c->n = b->n;
	if (!path) {
		def = default_path();
		if (def) {
			f = fopen(def, "re");
			if (!f && errno != ENOENT && errno != ENOTDIR)
				goto open_fail;
			path = def;
		}
	} else if (!(f = fopen(path, "re")))
		goto open_fail;
	if (f) {
		ps.file = path;
		e = parse_stream(&ps, f, NULL);
		fclose(f);
		f = NULL;
		if (e < 0)
			goto fail;
	}
	if (resolve(c, err) < 0)
		goto fail;
	free(def);
	return c;
open_fail:
	e = errno;
	if (err) {
		snprintf(err->file, sizeof err->file, "%s", path ? path : def);
		err->line = 0;
		snprintf(err->msg, sizeof err->msg, "%s", strerror(e));
	}
	errno = e;
fail:
	free(def);   /* frees only: errno stays the failure's */
	agent_conf_free(c);
	return NULL;
}

/* ---- lookup and accessors ---- */

const struct agent_preset *
agent_conf_get(const struct agent_conf *c, const char *name)
{
	if (!c || !name)
		return NULL;
	return conf_find(c, name);
}

size_t
agent_conf_names(const struct agent_conf *c, const char **names, size_t max)
{
	size_t i;
	for (i = 0; i < c->n && i < max; i++)
		names[i] = c->v[i]->key;
	return c->n;
}

/* The preset that holds the templates: a profile's base, else itself. */
const struct agent_preset *
agent__preset_of(const struct agent_preset *p)
{
	return p->profile ? p->base : p;
}

const char *agent_preset_key(const struct agent_preset *p) { return p->key; }
int agent_preset_is_profile(const struct agent_preset *p) { return p->profile; }
const char *agent_preset_name(const struct agent_preset *p) { return agent__preset_of(p)->key; }

const char *
agent_preset_dialect(const struct agent_preset *p)
{
	const char *d = agent__preset_of(p)->dialect;
	return d && *d ? d : NULL;
}

const char *
agent_preset_resume_dialect(const struct agent_preset *p)
{
	const char *d = agent__preset_of(p)->resume_dialect;
	if (!agent__preset_of(p)->resume_dialect_set)
		return agent_preset_dialect(p);
	return d;
}

enum agent_prompt_via agent_preset_prompt_via(const struct agent_preset *p) { return agent__preset_of(p)->via; }
enum agent_prompt_via agent_preset_long_prompt(const struct agent_preset *p) { return agent__preset_of(p)->long_via; }

int
agent_preset_prompt_route(const struct agent_preset *p, size_t len)
{
	if (agent__preset_of(p)->via != AGENT_PROMPT_ARG || len < AGENT_ARG_STRLEN_MAX)
		return agent__preset_of(p)->via;
	if (agent__preset_of(p)->long_via != AGENT_PROMPT_ARG)
		return agent__preset_of(p)->long_via;
	errno = E2BIG;
	return -1;
}

const char *
agent_preset_model(const struct agent_preset *p)
{
	return p->model ? p->model : agent__preset_of(p)->model;
}

const char *
agent_preset_agent_name(const struct agent_preset *p)
{
	return p->agent_name ? p->agent_name : agent__preset_of(p)->agent_name;
}

const char *const *
agent_preset_env(const struct agent_preset *p)
{
	static const char *const none[] = { NULL };
	const struct agent_preset *b = agent__preset_of(p);
	return b->env ? (const char *const *)b->env : none;
}

int
agent_preset_sandbox(const struct agent_preset *p)
{
	return p->sandbox_set ? p->sandbox : agent__preset_of(p)->sandbox;
}

const char *const *
agent_preset_sandbox_rw(const struct agent_preset *p)
{
	static const char *const none[] = { NULL };
	const struct agent_preset *b = agent__preset_of(p);
	return b->nrw ? (const char *const *)b->sandbox_rw : none;
}

int
agent_preset_can_resume(const struct agent_preset *p)
{
	return agent__preset_of(p)->resume.n > 0;
}
