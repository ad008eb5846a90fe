/* preset.h — agent presets and profiles: how to start and resume each agent
 * CLI headless, built in and overridable by agents.conf(5).  Every {field}
 * of a template becomes exactly one argv element: never a shell string. */
#ifndef AGENT_PRESET_H
#define AGENT_PRESET_H
#include <stddef.h>

struct agent_conf;
struct agent_preset;

/* Where a preset hands the prompt to the agent. */
enum agent_prompt_via {
	AGENT_PROMPT_ARG = 0,   /* as one argv element ({prompt}) */
	AGENT_PROMPT_STDIN,     /* on the agent's standard input */
	AGENT_PROMPT_FILE,      /* a file path ({prompt_file}) */
};

/* Values for a template's fields ({prompt}, {prompt_file}, {dir}, {model},
 * {agent_name}, {session}).  A NULL or empty field drops the optional group
 * ("[-m {model}]") that uses it; a field outside a group is required. */
struct agent_vars {
	const char *prompt;
	const char *prompt_file;
	const char *dir;
	const char *model;
	const char *agent_name;  /* the agent's own agent: "Hephaestus" */
	const char *session;     /* for resume */
};

/* Parse error position for a config file. */
struct agent_conf_err {
	char file[256];
	int line;
	char msg[256];
};

/* Built-in presets, then path (NULL: ${XDG_CONFIG_HOME:-~/.config}/agentutils/agents.conf
 * if it exists).  NULL with errno, and *err filled for a syntax error (EINVAL). */
struct agent_conf *agent_conf_load(const char *path, struct agent_conf_err *err);
void agent_conf_free(struct agent_conf *);
/* The built-in presets and profiles, in agents.conf(5)'s own syntax: the
 * page lists them word for word (tests/unit/check_preset.c holds it to). */
const char *agent_conf_builtin(void);

/* A preset ("omo", "claude") or a profile ("deep"), which resolves to its
 * preset with the profile's agent name and model as defaults. NULL: unknown. */
const struct agent_preset *agent_conf_get(const struct agent_conf *, const char *name);
/* Names of every preset and profile, for -h and agent-spawn -a list: at
 * most max into names; returns how many there are (max 0: just count). */
size_t agent_conf_names(const struct agent_conf *, const char **names, size_t max);

const char *agent_preset_name(const struct agent_preset *);     /* the preset ("omo") */
const char *agent_preset_dialect(const struct agent_preset *);  /* dialect name */
/* The dialect of what the resume template prints: resume-dialect, else the
 * dialect.  NULL: detect. */
const char *agent_preset_resume_dialect(const struct agent_preset *);
enum agent_prompt_via agent_preset_prompt_via(const struct agent_preset *);
const char *agent_preset_model(const struct agent_preset *);      /* profile default or NULL */
const char *agent_preset_agent_name(const struct agent_preset *); /* profile default or NULL */
/* Extra environment, "NAME=VALUE" strings, NULL-terminated. */
const char *const *agent_preset_env(const struct agent_preset *);
/* Whether its runs are sandboxed (sandbox = yes): a profile's own
 * setting, else its preset's. */
int agent_preset_sandbox(const struct agent_preset *);
/* The paths the agent writes besides its work (its own state), as the
 * sandbox-rw entries give them, unexpanded (agent_sandbox_expand);
 * NULL-terminated, never NULL. */
const char *const *agent_preset_sandbox_rw(const struct agent_preset *);
/* Whether the preset can resume a session. */
int agent_preset_can_resume(const struct agent_preset *);
/* How a prompt too long for one argv element (the kernel's MAX_ARG_STRLEN)
 * can reach the agent: STDIN or FILE, with {prompt} left NULL; ARG when the
 * agent has no other way and the caller must refuse such a prompt. */
enum agent_prompt_via agent_preset_long_prompt(const struct agent_preset *);
/* The kernel's limit on one argv element, its NUL included (Linux's
 * MAX_ARG_STRLEN: 32 pages). */
#define AGENT_ARG_STRLEN_MAX (32 * 4096)
/* How a prompt of len bytes reaches the agent: the preset's way, or its
 * long-prompt way when one argv element cannot hold the prompt.  -1 with
 * E2BIG when it cannot and the agent takes a prompt no other way. */
int agent_preset_prompt_route(const struct agent_preset *, size_t len);
/* The name it was looked up by: the profile ("deep") or the preset. */
const char *agent_preset_key(const struct agent_preset *);
int agent_preset_is_profile(const struct agent_preset *);

enum agent_argv_which { AGENT_ARGV_SPAWN, AGENT_ARGV_RESUME };
/* Expands the spawn or resume template: a malloc'd NULL-terminated argv
 * (free with agent_argv_free).  A profile's model and agent name fill
 * model and agent_name when vars leaves them NULL.  NULL with errno
 * (EINVAL: a field the template needs is missing, e.g. no session for
 * resume; ENOTSUP: resume asked of a preset that cannot resume). */
char **agent_preset_argv(const struct agent_preset *, enum agent_argv_which,
                         const struct agent_vars *);
void agent_argv_free(char **);
/* The name of the first field ("model", "session", ...) the template needs
 * outside an optional group and vars does not give, or NULL. */
const char *agent_preset_missing(const struct agent_preset *,
                                 enum agent_argv_which, const struct agent_vars *);

#endif
