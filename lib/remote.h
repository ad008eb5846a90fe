/* remote.h — runs on other hosts, named HOST:ID as scp names files: which
 * operands are remote, the hosts file, the ssh command that reaches a
 * host, and the few lines a tool writes for its caller on the far side. */
#ifndef AGENT_REMOTE_H
#define AGENT_REMOTE_H
#include <stddef.h>

/* The version of what a tool and its copy on a host say to each other;
 * a host whose tools speak another is refused with a clear message. */
#define AGENT_REMOTE_PROTO 1

/* 1 when arg names a run on another host: it is no file or directory
 * here, and what comes before its first colon is a host (agent_remote_host_
 * valid; an IPv6 address in [...]); *host gets a malloc'd copy and *id
 * points into arg after the colon.  0 when arg is local (also when it
 * holds no colon); -1 with errno (ENOMEM). */
int agent_remote_split(const char *arg, char **host, const char **id);

/* 1 when s can be handed to ssh as a host: [user@]name of letters,
 * digits and ._-+%@, or an IPv6 address in [...]; not empty, not starting
 * with '-' (ssh would read an option). */
int agent_remote_host_valid(const char *s);

/* The hosts file: $XDG_CONFIG_HOME/agentutils/hosts, else
 * ~/.config/agentutils/hosts; malloc'd, NULL with errno. */
char *agent_remote_hosts_path(void);

/* The hosts of a hosts file's text: one a line, as GNU parallel's
 * --sshloginfile ("2/h1": the job slots before the slash are parallel's
 * and skipped here); blank lines and lines starting with # are skipped.
 * A malloc'd NULL-terminated array (agent_argv_free), *n the count.
 * NULL with errno: EINVAL for a line that is no host (*line: its number),
 * ENOMEM. */
char **agent_remote_hosts_parse(const char *text, size_t len, size_t *n, int *line);

/* A comma-separated list of hosts ("h1,h2"), each checked; the same
 * array.  NULL with errno EINVAL (*bad: the offending host, pointing into
 * list) or ENOMEM. */
char **agent_remote_hosts_list(const char *list, size_t *n, const char **bad);

/* The command that runs cmd (a tool and its arguments) on host: the words
 * of $AGENT_SSH (split at blanks; "ssh" when unset), then "--", host and
 * one command string, "exec" and cmd quoted word by word for the host's
 * POSIX shell (agent_shell_join): no word of cmd is ever read by that
 * shell as anything but itself.  malloc'd NULL-terminated (agent_argv_free);
 * NULL with errno (EINVAL: an invalid host or an empty $AGENT_SSH). */
char **agent_remote_ssh_argv(const char *host, char *const *cmd);

/* What a tool writes first on standard output when called with -R by its
 * copy on another host: this, the version and a newline.  No output of the
 * tools starts with this byte (control characters are always escaped). */
#define AGENT_REMOTE_HELLO "\001agentutils "
/* agent-tail -f under -R: "\001@OFFSET\n" after each batch, the log's
 * offset up to which what came before it has been written. */
#define AGENT_REMOTE_MARK "\001@"

/* -R's argument: "PROTO" or "PROTO:OFFSET" (agent-tail -f continuing
 * after a lost connection).  0 (*offset -1 when absent), -1 with EINVAL. */
int agent_remote_arg(const char *s, int *proto, long long *offset);

#endif
