/* preset_int.h — inside the presets module: a preset as a struct and its
 * argv templates, shared by the config parser (preset.c) and the argv
 * templates' parsing and expansion (preset_argv.c). */
#ifndef AGENT_PRESET_INT_H
#define AGENT_PRESET_INT_H
#include <stddef.h>
#include "preset.h"

/* Template fields, in the order of struct agent_vars. */
enum { F_PROMPT, F_PROMPT_FILE, F_DIR, F_MODEL, F_AGENT_NAME, F_SESSION, F__MAX };
/* The built-in presets and profiles, as agents.conf(5) text. */
extern const char agent__builtin_conf[];
extern const char *const agent__field_names[F__MAX];

/* Inside a stored word, a field is the byte FIELD_MARK followed by '0'+index;
 * templates never hold control characters, so the mark is unambiguous. */
#define FIELD_MARK '\001'

struct argv_tmpl {
	char **words;   /* literal text with field marks */
	int *group;     /* 0: required word; n > 0: optional group n */
	size_t n;
	int set;        /* a template was given (an empty resume: cannot resume) */
};

struct agent_preset {
	char *key;                       /* the name it is looked up by */
	int profile;
	/* preset part */
	char *dialect;                   /* NULL: detect */
	char *resume_dialect;            /* NULL: detect */
	int dialect_set, resume_dialect_set;   /* unset resume_dialect: as dialect */
	struct argv_tmpl spawn, resume;
	enum agent_prompt_via via, long_via;
	int via_set, long_set;
	char **env;                      /* NULL-terminated */
	size_t nenv;
	char **sandbox_rw;               /* sandbox-rw entries, NULL-terminated */
	size_t nrw;
	int sandbox, sandbox_set;        /* sandbox = yes (presets and profiles) */
	/* defaults (profiles; presets may give them too) */
	char *model, *agent_name;
	char *base_name;                 /* profile: its preset's name */
	const struct agent_preset *base; /* profile: resolved preset */
	char file[256];                  /* where it was defined, for messages */
	int line;
	int shared;                      /* one of the built-ins, parsed once per
	                                    process: read-only, never freed; a
	                                    file that changes it changes a copy */
};

/* The preset that holds the templates: a profile's base, else itself. */
const struct agent_preset *agent__preset_of(const struct agent_preset *p);

/* Parses a template value into t (see preset_argv.c).  -1 with the message
 * in *msg (arg filled for its %s), or errno ENOMEM with *msg NULL. */
int agent__argv_tmpl_parse(const char *s, struct argv_tmpl *t, const char **msg,
                           char *arg, size_t arglen);
/* Whether t uses field f (only outside optional groups when required). */
int agent__argv_tmpl_has(const struct argv_tmpl *t, int f, int required);
void agent__argv_tmpl_free(struct argv_tmpl *t);
/* A deep copy of s into d.  -1 with errno (ENOMEM), d then empty. */
int agent__argv_tmpl_copy(struct argv_tmpl *d, const struct argv_tmpl *s);

#endif
