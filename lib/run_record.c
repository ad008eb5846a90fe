/* run_record.c — the run's records as JSON (agent-run(5)): meta.json and
 * exit.json serialised from and parsed into their structs, strictly. */
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <json-c/json.h>
#include "run_int.h"
/* --- JSON records ------------------------------------------------------ */

static json_object *
json_parse_strict(const char *buf, size_t len)
{
	struct json_tokener *tok;
	json_object *o;
	size_t end;

	if (len > INT_MAX || !(tok = json_tokener_new()))
		return NULL;
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT);
	o = json_tokener_parse_ex(tok, buf, (int)len);
	if (json_tokener_get_error(tok) != json_tokener_success) {
		json_object_put(o);
		o = NULL;
	} else {
		/* one object and nothing but white space after it */
		for (end = json_tokener_get_parse_end(tok); end < len; end++)
			if (!strchr(" \t\r\n", buf[end])) {
				json_object_put(o);
				o = NULL;
				break;
			}
	}
	json_tokener_free(tok);
	if (o && !json_object_is_type(o, json_type_object)) {
		json_object_put(o);
		o = NULL;
	}
	return o;
}

/* A string field: absent or null gives NULL; 0 ok, -1 wrong type or ENOMEM. */
static int
get_str(json_object *o, const char *key, char **out)
{
	json_object *v;

	*out = NULL;
	if (!json_object_object_get_ex(o, key, &v) || !v)
		return 0;
	if (!json_object_is_type(v, json_type_string))
		return -1;
	return (*out = strdup(json_object_get_string(v))) ? 0 : -1;
}

/* A number field: absent or null leaves *out; 0 ok, -1 wrong type or
 * out of a double's range (json-c reads 1e999 as infinity, which no
 * record can hold: JSON has no way to write it back). */
static int
get_num(json_object *o, const char *key, double *out)
{
	json_object *v;
	double d;

	if (!json_object_object_get_ex(o, key, &v) || !v)
		return 0;
	if (!json_object_is_type(v, json_type_int) &&
	    !json_object_is_type(v, json_type_double))
		return -1;
	if (!isfinite(d = json_object_get_double(v)))
		return -1;
	*out = d;
	return 0;
}

static int
get_int(json_object *o, const char *key, long long min, long long max, long long *out)
{
	json_object *v;
	long long n;

	if (!json_object_object_get_ex(o, key, &v) || !v)
		return 0;
	if (!json_object_is_type(v, json_type_int))
		return -1;
	errno = 0;
	n = json_object_get_int64(v);
	if (errno || n < min || n > max)
		return -1;
	*out = n;
	return 0;
}

static int
get_bool(json_object *o, const char *key, int *out)
{
	json_object *v;

	if (!json_object_object_get_ex(o, key, &v) || !v)
		return 0;
	if (!json_object_is_type(v, json_type_boolean))
		return -1;
	*out = json_object_get_boolean(v);
	return 0;
}

static int
check_version(json_object *o, int *version)
{
	long long v = -1;

	if (get_int(o, "version", 1, INT_MAX, &v) < 0 || v < 0) {
		errno = EBADMSG;
		return -1;
	}
	if (v != AGENT_RUN_VERSION) {
		errno = ENOTSUP;
		return -1;
	}
	if (version)
		*version = (int)v;
	return 0;
}

void
agent__run_clear(struct agent_run *r)
{
	char **a;

	free(r->path);
	free(r->id);
	free(r->agent);
	free(r->dialect);
	free(r->workdir);
	free(r->label);
	free(r->parent);
	free(r->spawned_by);
	free(r->model);
	free(r->agent_name);
	free(r->log);
	free(r->on_exit);
	free(r->worktree);
	free(r->branch);
	free(r->repo);
	free(r->xdg);
	if (r->argv) {
		for (a = r->argv; *a; a++)
			free(*a);
		free(r->argv);
	}
	if (r->sandbox) {
		for (a = r->sandbox; *a; a++)
			free(*a);
		free(r->sandbox);
	}
}

/* An array of strings into a malloc'd NULL-terminated *out; absent or
 * null leaves *out NULL unless required.  -1 when not such an array. */
static int
get_strv(json_object *o, const char *key, int required, char ***out)
{
	json_object *av, *el;
	size_t na, i;

	if (!json_object_object_get_ex(o, key, &av) || !av)
		return required ? -1 : 0;
	if (!json_object_is_type(av, json_type_array))
		return -1;
	na = json_object_array_length(av);
	if (!(*out = calloc(na + 1, sizeof **out)))
		return -1;
	for (i = 0; i < na; i++) {
		el = json_object_array_get_idx(av, i);
		if (!el || !json_object_is_type(el, json_type_string) ||
		    !((*out)[i] = strdup(json_object_get_string(el))))
			return -1;
	}
	return 0;
}

int
agent__run_meta_parse(const char *buf, size_t len, struct agent_run *r)
{
	json_object *o;
	long long n;

	if (!(o = json_parse_strict(buf, len))) {
		errno = EBADMSG;
		return -1;
	}
	if (check_version(o, &r->version) < 0)
		goto fail_keep;
	if (get_str(o, "id", &r->id) < 0 || get_str(o, "agent", &r->agent) < 0 ||
	    get_str(o, "dialect", &r->dialect) < 0 ||
	    get_str(o, "workdir", &r->workdir) < 0 ||
	    get_str(o, "label", &r->label) < 0 ||
	    get_str(o, "parent", &r->parent) < 0 ||
	    get_str(o, "spawned_by", &r->spawned_by) < 0 ||
	    get_str(o, "model", &r->model) < 0 ||
	    get_str(o, "agent_name", &r->agent_name) < 0 ||
	    get_str(o, "log", &r->log) < 0 ||
	    get_str(o, "on_exit", &r->on_exit) < 0 ||
	    get_str(o, "worktree", &r->worktree) < 0 ||
	    get_str(o, "branch", &r->branch) < 0 ||
	    get_str(o, "repo", &r->repo) < 0 ||
	    get_num(o, "started", &r->started) < 0 ||
	    get_bool(o, "isolate", &r->isolate) < 0 ||
	    get_str(o, "xdg", &r->xdg) < 0)
		goto fail;
	if (!r->id || !agent_run_id_valid(r->id))
		goto fail;
	n = 0;
	if (get_int(o, "supervisor", 1, INT_MAX, &n) < 0)
		goto fail;
	r->supervisor = (pid_t)n;
	n = 0;
	if (get_int(o, "pid", 1, INT_MAX, &n) < 0)
		goto fail;
	r->pid = (pid_t)n;
	n = 0;
	if (get_int(o, "pgid", 1, INT_MAX, &n) < 0)
		goto fail;
	r->pgid = (pid_t)n;
	n = 0;
	if (get_int(o, "supervisor_start", 0, LLONG_MAX, &n) < 0)
		goto fail;
	r->supervisor_start = (unsigned long long)n;
	if (get_strv(o, "argv", 1, &r->argv) < 0 || get_strv(o, "sandbox", 0, &r->sandbox) < 0)
		goto fail;
	json_object_put(o);
	return 0;
fail:
	errno = EBADMSG;
fail_keep:
	{
		int e = errno;
		json_object_put(o);
		errno = e;
	}
	return -1;
}

static json_object *
jstr(const char *s)
{
	return s ? json_object_new_string(s) : NULL;
}

static json_object *
jpid(pid_t p)
{
	return p > 0 ? json_object_new_int(p) : NULL;
}

static json_object *
jtime(double t)
{
	char buf[64];

	/* milliseconds are enough, and read better than %.17g; a time too
	 * large for buf in %.3f (1e300) is written whole, not cut */
	if (snprintf(buf, sizeof buf, "%.3f", t) >= (int)sizeof buf)
		snprintf(buf, sizeof buf, "%.17g", t);
	return json_object_new_double_s(t, buf);
}

/* Serialises o (then releases it) into a malloc'd line. */
static char *
json_line(json_object *o)
{
	const char *s;
	char *line = NULL;

	s = json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN |
	                                      JSON_C_TO_STRING_NOSLASHESCAPE);
	if (s && asprintf(&line, "%s\n", s) < 0)
		line = NULL;
	json_object_put(o);
	return line;
}

char *
agent__run_meta_json(const struct agent_run *r)
{
	json_object *o, *av;
	char **a;

	if (!(o = json_object_new_object()) || !(av = json_object_new_array())) {
		json_object_put(o);
		return NULL;
	}
	for (a = r->argv; a && *a; a++)
		json_object_array_add(av, json_object_new_string(*a));
	json_object_object_add(o, "version", json_object_new_int(AGENT_RUN_VERSION));
	json_object_object_add(o, "id", jstr(r->id));
	json_object_object_add(o, "agent", jstr(r->agent));
	json_object_object_add(o, "dialect", jstr(r->dialect));
	json_object_object_add(o, "workdir", jstr(r->workdir));
	json_object_object_add(o, "label", jstr(r->label));
	json_object_object_add(o, "parent", jstr(r->parent));
	json_object_object_add(o, "spawned_by", jstr(r->spawned_by));
	json_object_object_add(o, "model", jstr(r->model));
	json_object_object_add(o, "agent_name", jstr(r->agent_name));
	json_object_object_add(o, "started", jtime(r->started));
	/* a pid not known is null, as the reader takes it (0 is no pid) */
	json_object_object_add(o, "supervisor", jpid(r->supervisor));
	json_object_object_add(o, "supervisor_start",
	                       json_object_new_int64((int64_t)r->supervisor_start));
	json_object_object_add(o, "pid", jpid(r->pid));
	json_object_object_add(o, "pgid", jpid(r->pgid));
	json_object_object_add(o, "argv", av);
	json_object_object_add(o, "log", jstr(r->log));
	json_object_object_add(o, "on_exit", jstr(r->on_exit));
	json_object_object_add(o, "isolate", json_object_new_boolean(r->isolate));
	if (r->xdg)
		json_object_object_add(o, "xdg", jstr(r->xdg));
	if (r->sandbox) {
		json_object *sv = json_object_new_array();
		if (!sv) {
			json_object_put(o);
			return NULL;
		}
		for (a = r->sandbox; *a; a++)
			json_object_array_add(sv, json_object_new_string(*a));
		json_object_object_add(o, "sandbox", sv);
	} else
		json_object_object_add(o, "sandbox", NULL);
	if (r->worktree) {
		json_object_object_add(o, "worktree", jstr(r->worktree));
		json_object_object_add(o, "branch", jstr(r->branch));
		json_object_object_add(o, "repo", jstr(r->repo));
	}
	return json_line(o);
}

void
agent__run_exit_from_wait(struct agent_run_exit *e, int ws)
{
	if (WIFSIGNALED(ws)) {
		e->signal = WTERMSIG(ws);
		e->code = 0;
		e->status = 128 + e->signal;
	} else {
		e->signal = 0;
		e->code = WEXITSTATUS(ws);
		e->status = e->code;
	}
}

char *
agent__run_exit_json(const struct agent_run_exit *e)
{
	json_object *o;

	if (!(o = json_object_new_object()))
		return NULL;
	json_object_object_add(o, "version", json_object_new_int(AGENT_RUN_VERSION));
	json_object_object_add(o, "status", json_object_new_int(e->status));
	json_object_object_add(o, "code", e->signal ? NULL : json_object_new_int(e->code));
	json_object_object_add(o, "signal", e->signal ? json_object_new_int(e->signal) : NULL);
	json_object_object_add(o, "ended", jtime(e->ended));
	json_object_object_add(o, "pid_ended", e->pid_ended >= 0 ? jtime(e->pid_ended) : NULL);
	json_object_object_add(o, "reaped", json_object_new_int(e->reaped));
	json_object_object_add(o, "killed", json_object_new_boolean(e->killed));
	return json_line(o);
}

int
agent__run_exit_parse(const char *buf, size_t len, struct agent_run_exit *e)
{
	json_object *o, *v;
	long long status = -1, code = 0, sig = 0, reaped = 0;
	double ended = 0, pid_ended = -1;
	int killed = 0, err;

	if (!(o = json_parse_strict(buf, len))) {
		errno = EBADMSG;
		return -1;
	}
	if (check_version(o, NULL) < 0)
		goto fail_keep;
	if (get_int(o, "status", 0, 255, &status) < 0 || status < 0 ||
	    get_int(o, "code", 0, 255, &code) < 0 ||
	    get_int(o, "signal", 0, 127, &sig) < 0 ||
	    get_int(o, "reaped", 0, INT_MAX, &reaped) < 0 ||
	    !json_object_object_get_ex(o, "ended", &v) ||
	    get_num(o, "ended", &ended) < 0 || get_bool(o, "killed", &killed) < 0 ||
	    get_num(o, "pid_ended", &pid_ended) < 0)
		goto fail;
	/* the fields must tell one story */
	if (sig ? status != 128 + sig : status != code)
		goto fail;
	json_object_put(o);
	e->status = (int)status;
	e->code = sig ? 0 : (int)code;
	e->signal = (int)sig;
	e->ended = ended;
	/* absent from records written before it was, never after ended */
	e->pid_ended = pid_ended >= 0 && pid_ended <= ended ? pid_ended : -1;
	e->reaped = (int)reaped;
	e->killed = killed;
	return 0;
fail:
	errno = EBADMSG;
fail_keep:
	err = errno;
	json_object_put(o);
	errno = err;
	return -1;
}

