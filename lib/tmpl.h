/* tmpl.h — the template engine behind prompt-render: variables, sections,
 * includes, auto-numbered list items (agent-template(5)). */
#ifndef AGENT_TMPL_H
#define AGENT_TMPL_H
#include <stddef.h>

/* Where and why rendering or reading variables failed.  line and column
 * count from 1 (column in characters); 0 when the error has no position
 * (the file could not be read at all).  Both strings are truncated to fit. */
struct agent_tmpl_error {
	char file[512];
	unsigned line, column;
	char msg[256];
};

/* Variables: names are [A-Za-z_][A-Za-z0-9_.-]*, values any bytes. */
struct agent_tmpl_vars;

struct agent_tmpl_vars *agent_tmpl_vars_new(void);
void agent_tmpl_vars_free(struct agent_tmpl_vars *);
/* Sets (or replaces) name to a copy of value.  -1 EINVAL on a bad name. */
int agent_tmpl_vars_set(struct agent_tmpl_vars *, const char *name,
                        const char *value, size_t vlen);
/* The value of the nlen bytes at name, NULL if unset. */
const char *agent_tmpl_vars_get(const struct agent_tmpl_vars *, const char *name,
                                size_t nlen, size_t *vlen);
/* "NAME=VALUE" as -D gives it.  -1 EINVAL when there is no '=' or the name
 * is bad. */
int agent_tmpl_vars_define(struct agent_tmpl_vars *, const char *def);
/* Every environ entry whose name is valid (others are skipped). */
int agent_tmpl_vars_environ(struct agent_tmpl_vars *, char *const *env);
/* A VARS file: name=value lines, '#' comment lines, values continued on
 * indented lines (joined with newlines, the first continuation line's
 * indentation removed from each).  file names the text in errors.
 * -1 EINVAL with err filled on a syntax error, ENOMEM. */
int agent_tmpl_vars_parse(struct agent_tmpl_vars *, const char *buf, size_t len,
                          const char *file, struct agent_tmpl_error *err);
/* The same from a file ("-": stdin).  -1 with errno (ENOENT, EACCES ...
 * when it cannot be read; EINVAL on syntax) and err filled. */
int agent_tmpl_vars_load(struct agent_tmpl_vars *, const char *path,
                         struct agent_tmpl_error *err);

struct agent_tmpl_opts {
	/* Directories includes may come from besides the template's own;
	 * also searched, in order, for an include not found beside the
	 * including file. */
	const char *const *include_dirs;
	size_t n_include_dirs;
};

/* Renders len bytes of src.  name is the template's name in errors, dir
 * the directory its includes are relative to and confined to (NULL: ".").
 * On success *out is a malloc'd NUL-terminated string of *outlen bytes.
 * -1 with errno EINVAL and err filled for a template error (unknown
 * variable, bad or unclosed tag or section, missing, escaping or looping
 * include), ENOMEM, EFBIG when the output would pass AGENT_TMPL_MAX_OUTPUT. */
int agent_tmpl_render(const char *src, size_t len, const char *name, const char *dir,
                      const struct agent_tmpl_vars *, const struct agent_tmpl_opts *,
                      char **out, size_t *outlen, struct agent_tmpl_error *err);

#define AGENT_TMPL_MAX_OUTPUT ((size_t)256 << 20)
#define AGENT_TMPL_MAX_INCLUDE_DEPTH 32

/* Built-in templates: the text of name (NULL if there is none) and, for
 * i = 0, 1, ..., their names and one-line descriptions (NULL past the end). */
const char *agent_tmpl_builtin(const char *name, size_t *len);
const char *agent_tmpl_builtin_name(size_t i, const char **description);

#endif
