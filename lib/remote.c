/* remote.c — naming runs on other hosts (HOST:ID), the hosts file, and the
 * ssh command line; the calls themselves are the tools' (bin/common). */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <bsd/stdlib.h>
#include "remote.h"
#include "shell.h"
#include "preset.h"

static int
host_char(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       (c && strchr("._-+%@", c));
}

int
agent_remote_host_valid(const char *s)
{
	const char *at = strrchr(s, '@'), *name = at ? at + 1 : s;
	size_t i, n = strlen(name);

	if (!*s || *s == '-' || !*name || *name == '-')
		return 0;
	for (i = 0; s + i < name; i++)
		if (!host_char((unsigned char)s[i]))
			return 0;
	if (name[0] == '[') {
		/* an IPv6 address: hex digits, colons, dots, a %zone */
		if (n < 3 || name[n - 1] != ']')
			return 0;
		for (i = 1; i < n - 1; i++)
			if (!host_char((unsigned char)name[i]) && name[i] != ':')
				return 0;
		return 1;
	}
	for (i = 0; i < n; i++)
		if (!host_char((unsigned char)name[i]) || name[i] == '@')
			return 0;
	return 1;
}

int
agent_remote_split(const char *arg, char **host, const char **id)
{
	struct stat st;
	const char *colon;
	char *h;

	*host = NULL;
	*id = NULL;
	if (!arg || stat(arg, &st) == 0)
		return 0;
	/* [v6]:ID: the colon after the bracket */
	if (arg[0] == '[' || strstr(arg, "@["))
		colon = (colon = strchr(arg, ']')) ? (colon[1] == ':' ? colon + 1 : NULL) : NULL;
	else
		colon = strchr(arg, ':');
	if (!colon || colon == arg)
		return 0;
	if (!(h = strndup(arg, (size_t)(colon - arg))))
		return -1;
	if (!agent_remote_host_valid(h)) {
		free(h);
		return 0;
	}
	*host = h;
	*id = colon + 1;
	return 1;
}

char *
agent_remote_hosts_path(void)
{
	const char *x = getenv("XDG_CONFIG_HOME"), *home = getenv("HOME");
	char *p;

	if (x && *x) {
		if (asprintf(&p, "%s/agentutils/hosts", x) < 0)
			return NULL;
	} else if (home && *home) {
		if (asprintf(&p, "%s/.config/agentutils/hosts", home) < 0)
			return NULL;
	} else {
		errno = ENOENT;
		return NULL;
	}
	return p;
}

static int
push(char ***v, size_t *n, const char *s, size_t len)
{
	char **nv;

	if (!(nv = reallocarray(*v, *n + 2, sizeof *nv)))
		return -1;
	*v = nv;
	if (!(nv[*n] = strndup(s, len)))
		return -1;
	nv[++*n] = NULL;
	return 0;
}

static char **
empty(void)
{
	return calloc(1, sizeof(char *));
}

char **
agent_remote_hosts_parse(const char *text, size_t len, size_t *n, int *line)
{
	const char *p = text, *end = text + len, *nl, *s, *e, *slash;
	char **v;
	int ln = 0;

	*n = 0;
	if (!(v = empty()))
		return NULL;
	for (; p < end; p = nl + 1) {
		ln++;
		if (!(nl = memchr(p, '\n', (size_t)(end - p))))
			nl = end;
		for (s = p; s < nl && (*s == ' ' || *s == '\t' || *s == '\r'); s++)
			;
		for (e = nl; e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r'); e--)
			;
		if (s == e || *s == '#')
			continue;
		/* parallel's "N/host": N job slots on host */
		if ((slash = memchr(s, '/', (size_t)(e - s)))) {
			const char *d = s;
			while (d < slash && *d >= '0' && *d <= '9')
				d++;
			if (d == s || d != slash)
				goto bad;
			s = slash + 1;
		}
		if (push(&v, n, s, (size_t)(e - s)) < 0)
			goto fail;
		if (!agent_remote_host_valid(v[*n - 1]))
			goto bad;
	}
	return v;
bad:
	*line = ln;
	agent_argv_free(v);
	errno = EINVAL;
	return NULL;
fail:
	agent_argv_free(v);
	errno = ENOMEM;
	return NULL;
}

char **
agent_remote_hosts_list(const char *list, size_t *n, const char **bad)
{
	const char *p = list, *c;
	char **v;

	*n = 0;
	*bad = NULL;
	if (!(v = empty()))
		return NULL;
	for (;;) {
		c = strchrnul(p, ',');
		if (push(&v, n, p, (size_t)(c - p)) < 0) {
			agent_argv_free(v);
			errno = ENOMEM;
			return NULL;
		}
		if (!agent_remote_host_valid(v[*n - 1])) {
			*bad = p;
			agent_argv_free(v);
			errno = EINVAL;
			return NULL;
		}
		if (!*c)
			break;
		p = c + 1;
	}
	return v;
}

char **
agent_remote_ssh_argv(const char *host, char *const *cmd)
{
	const char *ssh = getenv("AGENT_SSH"), *p, *e;
	char **v, **ex = NULL, *line = NULL;
	size_t n = 0, k;

	if (!agent_remote_host_valid(host)) {
		errno = EINVAL;
		return NULL;
	}
	if (!ssh)
		ssh = "ssh";
	if (!(v = empty()))
		return NULL;
	for (p = ssh; *p; p = e) {
		while (*p == ' ' || *p == '\t')
			p++;
		for (e = p; *e && *e != ' ' && *e != '\t'; e++)
			;
		if (e > p && push(&v, &n, p, (size_t)(e - p)) < 0)
			goto fail;
	}
	if (n == 0) {
		agent_argv_free(v);
		errno = EINVAL;
		return NULL;
	}
	/* "exec" first: the shell makes way for the tool, and a NAME=VALUE
	 * first word could never be an assignment */
	for (k = 0; cmd[k]; k++)
		;
	if (!(ex = calloc(k + 2, sizeof *ex)))
		goto fail;
	ex[0] = "exec";
	memcpy(ex + 1, cmd, k * sizeof *ex);
	if (!(line = agent_shell_join(ex)))
		goto fail;
	if (push(&v, &n, "--", 2) < 0 || push(&v, &n, host, strlen(host)) < 0 ||
	    push(&v, &n, line, strlen(line)) < 0)
		goto fail;
	free(ex);
	free(line);
	return v;
fail:
	free(ex);
	free(line);
	agent_argv_free(v);
	errno = ENOMEM;
	return NULL;
}

int
agent_remote_arg(const char *s, int *proto, long long *offset)
{
	const char *errstr, *colon = strchr(s, ':');
	char num[24];
	size_t n = colon ? (size_t)(colon - s) : strlen(s);

	*offset = -1;
	if (n == 0 || n >= sizeof num)
		goto bad;
	memcpy(num, s, n);
	num[n] = '\0';
	*proto = (int)strtonum(num, 1, 1000000, &errstr);
	if (errstr)
		goto bad;
	if (colon) {
		*offset = strtonum(colon + 1, 0, LLONG_MAX, &errstr);
		if (errstr)
			goto bad;
	}
	return 0;
bad:
	errno = EINVAL;
	return -1;
}
