/* shell.h — words quoted for a POSIX shell, in one place: for printing a
 * command (agent-resume -n) and for the command string ssh hands to a
 * host's shell (remote.h). */
#ifndef AGENT_SHELL_H
#define AGENT_SHELL_H

/* One word quoted for a POSIX shell: as it is when it holds only safe
 * characters, in '...' otherwise (newlines included, a ' as \'), and
 * each character a terminal would act on (controls, invalid UTF-8) as
 * "$(printf '\ooo')", which every POSIX shell reads (dash too) and which
 * shows nothing raw.  malloc'd; NULL on ENOMEM. */
char *agent_shell_quote(const char *word);
/* argv as one line of quoted words joined by blanks (a first word that
 * looks like NAME=VALUE is quoted so that it is not an assignment). */
char *agent_shell_join(char *const *argv);

#endif
