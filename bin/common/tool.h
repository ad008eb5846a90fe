/* tool.h — what every tool in bin/ shares on its side of the library: the
 * usage line, option numbers, the readers' options, prompts, agents.conf.
 * These print `prog: what: why` and exit with agentutils(7)'s statuses,
 * which the library never does, so they live here and not in lib/. */
#ifndef AGENT_TOOL_H
#define AGENT_TOOL_H
#include <stddef.h>
#include "agent.h"

/* Each tool defines its usage line: "usage: " and then its man page's
 * SYNOPSIS, word for word (tests/cli/man.t holds them to it). */
extern const char tool_usage[];

/* The usage line: for -h (status 0) on standard output, else on standard
 * error; then exits with status (74 if standard output fails). */
_Noreturn void usage(int status);

/* An option's argument as a whole number from lo to hi (strtonum(3)), or
 * exits 64 saying "OPT ARG: not a whole number from LO to HI". */
long long tool_number(const char *opt, const char *arg, long long lo, long long hi);
/* An option's argument as a number, fractions allowed, from lo to hi, or
 * exits 64 saying "OPT ARG: not a number from LO to HI". */
double tool_decimal(const char *opt, const char *arg, double lo, double hi);

/* -D: a dialect by name, or exits 64. */
int tool_dialect(const char *name);
/* -x: how the process that wrote a plain log ended (0 to 255), or exits 64. */
void tool_exit_status(struct agent_input_opts *, const char *arg);

/* Opens a run or a log for reading (agent_input_open), or exits 66. */
void tool_input_open(struct agent_input *, const char *arg, int dialect);

/* A prompt file ("-": standard input) whole, NUL-terminated, at most
 * AGENT_TEXT_MAX bytes; exits 66, 65 or 74 when it cannot be had. */
char *tool_read_prompt(const char *path, size_t *len);
/* How the prompt reaches the preset's agent (its long-prompt way when one
 * argument cannot hold it); exits 65 when it cannot reach it at all or
 * holds a NUL byte. */
enum agent_prompt_via tool_prompt_route(const struct agent_preset *, const char *prompt,
                                        size_t len);

/* The built-in presets and agents.conf(5), or exits 65 saying why. */
struct agent_conf *tool_conf_load(void);
/* A preset or profile by name, or exits 64 saying where the names are. */
const struct agent_preset *tool_preset(const struct agent_conf *, const char *name);

/* --sandbox: exits 78 saying why when bwrap is missing or cannot make a
 * sandbox here. */
void tool_sandbox_check(void);

/* -F: before agent_spawn with foreground set, so that no INT, TERM, HUP
 * or CHLD is lost until tool_foreground_end waits; */
void tool_foreground_begin(void);
/* then, once the run id is out: waits for the run's end, passing those
 * signals on to it, and returns the exit status its final state has in
 * agentutils(7) (as agent-state -w would). */
int tool_foreground_end(const char *id);

/* Flushes standard output, or exits 74. */
void tool_flush(void);

#endif
