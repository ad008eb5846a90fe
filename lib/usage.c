/* usage.c — tokens and cost of a run and of its chain: each run's own
 * figures from what its log reported, as its agent reports them. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "agent.h"

void
agent_usage_init(struct agent_usage *u)
{
	u->tokens_in = u->tokens_out = -1;
	u->cost = -1;
}

int
agent_usage_known(const struct agent_usage *u)
{
	return u->tokens_in >= 0 || u->tokens_out >= 0 || u->cost >= 0;
}

static void
add_int(long long *acc, long long v)
{
	if (v >= 0)
		*acc = (*acc < 0 ? 0 : *acc) + v;
}

void
agent_usage_add(struct agent_usage *acc, const struct agent_usage *u)
{
	add_int(&acc->tokens_in, u->tokens_in);
	add_int(&acc->tokens_out, u->tokens_out);
	if (u->cost >= 0)
		acc->cost = (acc->cost < 0 ? 0 : acc->cost) + u->cost;
}

void
agent_usage_of(const struct agent_summary *s, struct agent_usage *u)
{
	u->tokens_in = s->tokens_in;
	u->tokens_out = s->tokens_out;
	u->cost = s->cost;
}

void
agent_usage_fold_init(struct agent_usage_fold *f)
{
	memset(f, 0, sizeof *f);
	agent_usage_init(&f->chain);
	agent_usage_init(&f->last);
}

/* What a running total grew by since before; never below 0 (a total
 * that went down says nothing of what this run used). */
static void
since_int(long long *v, long long before)
{
	if (*v >= 0 && before >= 0)
		*v = *v > before ? *v - before : 0;
}

void
agent_usage_fold(struct agent_usage_fold *f, enum agent_usage_kind kind,
    const char *session, const struct agent_usage *reported, struct agent_usage *own)
{
	*own = *reported;
	if (kind == AGENT_USAGE_SESSION) {
		/* the session's total so far: what the runs before this one
		 * in the same session reached is theirs */
		if (session && *session && strcmp(session, f->session) == 0) {
			since_int(&own->tokens_in, f->last.tokens_in);
			since_int(&own->tokens_out, f->last.tokens_out);
			if (own->cost >= 0 && f->last.cost >= 0)
				own->cost = own->cost > f->last.cost ? own->cost - f->last.cost : 0;
		}
		if (agent_usage_known(reported)) {
			f->last = *reported;
			snprintf(f->session, sizeof f->session, "%s", session ? session : "");
		}
	}
	agent_usage_add(&f->chain, own);
	f->runs++;
}

/* One run of the chain as its log reported it. */
struct link {
	struct agent_usage reported;
	enum agent_usage_kind kind;
	char session[96];
};

/* Reads the run at path: its figures, and its parent's id into parent
 * (empty when none).  1 read, 0 no such run, -1 error. */
static int
read_link(const char *path, struct link *l, char *parent, size_t plen)
{
	struct agent_input in;
	struct agent_input_opts o;
	struct agent_summary sum;
	struct agent_facts facts;
	enum agent_state st;
	const char *what, *p;

	memset(&o, 0, sizeof o);
	if (agent_input_open(&in, path, -1, &what) < 0)
		return errno == ENOENT ? 0 : -1;
	if (agent_input_state(&in, &o, &sum, &facts, &st) < 0 ||
	    agent_input_usage(&in, &sum, &l->reported) < 0) {
		int e = errno;
		agent_input_close(&in);
		errno = e;
		return -1;
	}
	l->kind = agent_dialect_usage(in.dialect);
	snprintf(l->session, sizeof l->session, "%s", sum.session);
	p = agent_run_parent(in.run);
	snprintf(parent, plen, "%s", p && agent_run_id_valid(p) ? p : "");
	agent_input_close(&in);
	return 1;
}

int
agent_run_usage(const struct agent_run *r, enum agent_dialect d, const char *session,
    const struct agent_usage *reported, struct agent_usage *own,
    struct agent_usage *chain, int *runs)
{
	struct link *links = NULL;
	struct agent_usage_fold f;
	struct agent_usage u;
	char parent[128], *dir = NULL, *path = NULL, *slash;
	const char *p = agent_run_parent(r);
	size_t n = 0;
	int rc = 0, got;

	agent_usage_fold_init(&f);
	snprintf(parent, sizeof parent, "%s", p && agent_run_id_valid(p) ? p : "");
	if (parent[0]) {
		/* the runs it resumes live beside it */
		if (!(dir = strdup(agent_run_path(r))) ||
		    !(links = calloc(AGENT_CHAIN_MAX, sizeof *links))) {
			rc = -1;
			goto out;
		}
		if ((slash = strrchr(dir, '/')) != NULL)
			*slash = '\0';
		else
			strcpy(dir, ".");
	}
	while (parent[0] && n < AGENT_CHAIN_MAX - 1 &&
	    strcmp(parent, agent_run_id(r)) != 0) {
		free(path);
		if (asprintf(&path, "%s/%s", dir, parent) < 0) {
			path = NULL;
			rc = -1;
			goto out;
		}
		if ((got = read_link(path, &links[n], parent, sizeof parent)) < 0) {
			rc = -1;
			goto out;
		}
		if (got == 0)
			break;   /* removed: the chain is known from here on */
		n++;
	}
	while (n-- > 0)
		agent_usage_fold(&f, links[n].kind, links[n].session, &links[n].reported, &u);
	agent_usage_fold(&f, agent_dialect_usage(d), session, reported, own);
	*chain = f.chain;
	*runs = f.runs;
out:
	free(path);
	free(dir);
	free(links);
	return rc;
}
