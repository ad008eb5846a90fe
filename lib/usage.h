/* usage.h — tokens and cost: what a run used on its own and what its chain
 * (the run and every run it resumes) used, each agent read as it reports. */
#ifndef AGENT_USAGE_H
#define AGENT_USAGE_H
#include <stddef.h>
#include "dialect.h"
#include "state.h"

/* Figures; each -1 when unknown. */
struct agent_usage {
	long long tokens_in, tokens_out;
	double cost;                 /* USD */
};
void agent_usage_init(struct agent_usage *);      /* all unknown */
int agent_usage_known(const struct agent_usage *); /* any figure known */
/* acc += u, figure by figure: an unknown figure adds nothing, and a sum
 * is known once any of its terms is. */
void agent_usage_add(struct agent_usage *acc, const struct agent_usage *u);
/* The figures a summary holds (what agent_summary_add kept). */
void agent_usage_of(const struct agent_summary *, struct agent_usage *);

/* The runs of a chain, oldest first, folded into each one's own figures
 * and the chain's total.  Pure: the caller reads each run. */
struct agent_usage_fold {
	struct agent_usage chain;    /* the runs so far, each its own */
	struct agent_usage last;     /* the last session running total seen */
	char session[96];            /* and the session it was of */
	int runs;
};
void agent_usage_fold_init(struct agent_usage_fold *);
/* Adds the next run: how its agent reports, its session id ("" or NULL
 * unknown) and what its log reported; *own gets what the run used itself:
 * for AGENT_USAGE_SESSION the reported total less the last total of the
 * same session before it, else what was reported. */
void agent_usage_fold(struct agent_usage_fold *, enum agent_usage_kind,
                      const char *session, const struct agent_usage *reported,
                      struct agent_usage *own);

/* Runs a chain is followed back at most (a loop in the records ends too). */
#define AGENT_CHAIN_MAX 64

struct agent_run;
/* A run's own figures and its chain's, from what its own log reported
 * (agent_input_usage): the runs it resumes are read back to the first one
 * (agent-run(5)'s parent) and folded.  *runs gets how many runs the chain
 * has.  0, or -1 with errno when a run of the chain cannot be read (a run
 * removed ends the chain there: not an error). */
int agent_run_usage(const struct agent_run *, enum agent_dialect, const char *session,
                    const struct agent_usage *reported, struct agent_usage *own,
                    struct agent_usage *chain, int *runs);

#endif
