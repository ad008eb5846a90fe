/* rx.h — inside the library only: sets of PCRE2 patterns compiled once per
 * process, on first use, where a pattern that does not compile fails the
 * whole set (and so whatever needs it) instead of silently matching nothing. */
#ifndef AGENT_RX_H
#define AGENT_RX_H
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <stddef.h>
#include <stdint.h>

struct agent__rx {
	const char *src;
	uint32_t flags;        /* PCRE2 options beside UTF and invalid UTF */
	pcre2_code *code;      /* set when the set compiles */
};

struct agent__rxset {
	struct agent__rx *rx;
	size_t n;
	int state;             /* 0 not yet, 1 compiled, -1 did not compile */
};
#define AGENT__RXSET(table) { (table), sizeof (table) / sizeof (table)[0], 0 }

/* Compiles every pattern of the set the first time it is asked (safe from
 * several threads).  0, or -1 with errno EINVAL when a pattern does not
 * compile: then none of the set matches, and the caller refuses to work
 * (agent_parser_new fails) rather than read logs half-blind. */
int agent__rx_compile(struct agent__rxset *);

/* Pattern i of a compiled set, for a caller that matches by itself. */
static inline pcre2_code *
agent__rx_code(const struct agent__rxset *set, int i)
{
	return set->rx[i].code;
}

/* Match data for up to 16 groups; NULL: ENOMEM. */
pcre2_match_data *agent__rx_md(void);

/* Pattern i of a compiled set against s[0:n]: the number of groups set
 * plus one, 0 when it does not match (or the set did not compile). */
int agent__rx_match(const struct agent__rxset *, int i, const char *s, size_t n,
                    pcre2_match_data *);
/* Group g of the last match: its start in *p, its length returned (0 and
 * *p = s when unset). */
size_t agent__rx_group(pcre2_match_data *, int rc, int g, const char *s, const char **p);
/* Where the last match ended. */
size_t agent__rx_end(pcre2_match_data *);
/* Where the last match started. */
size_t agent__rx_start(pcre2_match_data *);

#endif
