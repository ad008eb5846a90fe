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

/* ---- runs on other hosts (tool_remote.c) ---- */

/* -R ARG (PROTOCOL[:OFFSET]): this tool was called over ssh by its copy on
 * another host.  Writes the hello line its caller waits for, or exits 76
 * for a protocol it does not speak; returns the OFFSET, or -1. */
long long tool_remote_serve(const char *arg);
extern int tool_serving;
/* A waiter (-w, -f) under -R, once its input is open: its waits end when
 * the caller's connection goes (standard input at its end), instead of
 * waiting for nobody. */
void tool_remote_watch(struct agent_input *);
/* agent_input_wait, or exits: 74 on an error, 69 (quietly) when the
 * caller over ssh is gone. */
void tool_input_wait(struct agent_input *, int timeout_ms);
/* agent-tail -f under -R: what came before is written up to this offset. */
void tool_remote_mark(long long offset);

/* 1 when arg is HOST:ID (remote.h), with *host malloc'd; 0 when it is a
 * local operand; exits 64 for a host with no run after its colon. */
int tool_remote_operand(const char *arg, char **host, const char **id);

struct tool_rcall_int;
/* One call of a tool on a host. */
struct tool_rcall {
	const char *host;
	char **cmd;          /* the tool and its arguments there, -R aside */
	long long offset;    /* agent-tail -f: continue after it (-1: no) */
	const char *in;      /* its standard input (a prompt), or NULL */
	size_t inlen;
	int keep_in;         /* a waiter: standard input kept open, so that it
	                        ends when the connection goes */
	int follow;          /* agent-tail -f: output held until marked shown */
	int buffered;        /* output and errors kept in out and err */
	/* each line of its output (NULL: as it is), written to o */
	void (*line)(struct tool_rcall *, FILE *o, const char *s, size_t n);
	/* a waiter's arguments again before a reconnection, elapsed seconds
	 * after the first try */
	void (*again)(struct tool_rcall *, double elapsed);
	void *arg;
	/* what came of it */
	int hello, hello_ever; /* the tool there answered (this try, any try) */
	int status;          /* its exit status there; 255: ssh failed */
	long long mark;      /* follow: the last offset the host marked */
	char *out, *err;     /* buffered */
	size_t outlen, errlen;
	char *lasterr;       /* the last line on stderr before a hello: why */
	struct tool_rcall_int *i;
};
/* Frees what a call holds (cmd, out, err, lasterr); not the call. */
void tool_rcall_free(struct tool_rcall *);
/* Runs the calls at once and waits for them all. */
void tool_rcall_run(struct tool_rcall **, size_t n);
/* The exit status of a finished call, saying why when the host did not
 * answer (69) or has no agentutils that speaks with this one (76). */
int tool_rcall_status(struct tool_rcall *);
/* One call, relayed as it comes; a waiter's lost connection is tried again
 * (AGENT_SSH_RETRIES, backoff) and then 69.  The exit status to use. */
int tool_remote(struct tool_rcall *, int wait);
/* Line rewriters: "HOST:" before a run id; "host" first in a JSON object. */
void tool_line_host_id(struct tool_rcall *, FILE *, const char *, size_t);
void tool_line_host_json(struct tool_rcall *, FILE *, const char *, size_t);

/* An argument vector being built: NULL-terminated, strings copied. */
struct tool_args {
	char **v;
	size_t n;
};
void tool_args_add(struct tool_args *, const char *);
void tool_args_opt(struct tool_args *, int c, const char *arg);  /* "-c" [arg] */
void tool_args_free(struct tool_args *);

#endif
