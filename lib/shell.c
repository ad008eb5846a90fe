/* shell.c — the one quoting of words for a POSIX shell: agent-resume -n
 * prints commands with it, and every call to a tool on another host
 * (agent_remote_ssh_argv) goes through it, since ssh hands the remote
 * side one command string that its shell splits again. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "shell.h"
#include "vis.h"

static int
safe_char(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       strchr("@%+=:,./_-", c) != NULL;
}

/* The length of the character at s (UTF-8; a byte that starts no valid
 * sequence is one character on its own). */
static size_t
char_len(const unsigned char *s, size_t n)
{
	size_t len, i;

	if (s[0] < 0x80)
		return 1;
	len = s[0] >= 0xf0 && s[0] <= 0xf4 ? 4 : s[0] >= 0xe0 ? 3 : s[0] >= 0xc2 ? 2 : 1;
	if (len > n)
		return 1;
	for (i = 1; i < len; i++)
		if ((s[i] & 0xc0) != 0x80)
			return 1;
	return len;
}

/* 1 when the character shows as itself: agent_vis_str leaves it alone,
 * or it is a newline, a tab or a backslash.  -1 on ENOMEM. */
static int
shows_as_itself(const char *c, size_t len)
{
	char *v;
	int same;

	if (len == 1 && (*c == '\n' || *c == '\t' || *c == '\\'))
		return 1;
	if (!(v = agent_vis_str(c, len)))
		return -1;
	same = strlen(v) == len && memcmp(v, c, len) == 0;
	free(v);
	return same;
}

char *
agent_shell_quote(const char *w)
{
	size_t n = strlen(w), i, k;
	int plain = n > 0, open = 0, same;
	char *out, *d;

	for (i = 0; i < n && plain; i++)
		plain = safe_char((unsigned char)w[i]);
	if (plain)
		return strdup(w);
	/* Runs of characters that show as themselves go in '...' (a ' as
	 * \'); any other character, which a terminal could act on, is made
	 * by printf from octal escapes: "$(printf '\033')".  Every POSIX
	 * shell reads that, dash included, and the line shows no raw
	 * control.  The worst case is 25 bytes a byte. */
	if (!(out = d = malloc(25 * n + 3)))
		return NULL;
	if (n == 0) {
		strcpy(out, "''");
		return out;
	}
	for (i = 0; i < n; i += k) {
		k = char_len((const unsigned char *)w + i, n - i);
		if ((same = shows_as_itself(w + i, k)) < 0) {
			free(out);
			return NULL;
		}
		if (same && w[i] != '\'') {
			if (!open)
				*d++ = '\'';
			open = 1;
			memcpy(d, w + i, k);
			d += k;
			continue;
		}
		if (open)
			*d++ = '\'';
		open = 0;
		if (same) {
			memcpy(d, "\\'", 2);
			d += 2;
			continue;
		}
		d += sprintf(d, "\"$(printf '");
		for (size_t j = 0; j < k; j++)
			d += sprintf(d, "\\%03o", (unsigned char)w[i + j]);
		d += sprintf(d, "')\"");
	}
	if (open)
		*d++ = '\'';
	*d = '\0';
	return out;
}

char *
agent_shell_join(char *const *argv)
{
	char *out = NULL;
	size_t len = 0;

	for (size_t i = 0; argv[i]; i++) {
		char *q = agent_shell_quote(argv[i]), *nout;
		size_t ql;
		if (!q)
			goto fail;
		/* "A=b" first on a line would be an assignment, not a command. */
		if (i == 0 && safe_char((unsigned char)q[0]) && strchr(q, '=')) {
			char *qq = malloc(strlen(q) + 3);
			if (!qq) {
				free(q);
				goto fail;
			}
			sprintf(qq, "'%s'", q);
			free(q);
			q = qq;
		}
		ql = strlen(q);
		if (!(nout = realloc(out, len + ql + 2))) {
			free(q);
			goto fail;
		}
		out = nout;
		if (len)
			out[len++] = ' ';
		memcpy(out + len, q, ql + 1);
		len += ql;
		free(q);
	}
	if (!out)
		out = strdup("");
	return out;
fail:
	free(out);
	return NULL;
}
