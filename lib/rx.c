/* rx.c — PCRE2 pattern sets compiled once per process. */
#include <errno.h>
#include <pthread.h>
#include "rx.h"

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

static int
compile_all(struct agent__rxset *set)
{
	size_t i;

	for (i = 0; i < set->n; i++) {
		struct agent__rx *r = &set->rx[i];
		PCRE2_SIZE off;
		int err;

		r->code = pcre2_compile((PCRE2_SPTR)r->src, PCRE2_ZERO_TERMINATED,
		    PCRE2_UTF | PCRE2_MATCH_INVALID_UTF | r->flags, &err, &off, NULL);
		if (r->code == NULL) {
			while (i-- > 0) {
				pcre2_code_free(set->rx[i].code);
				set->rx[i].code = NULL;
			}
			return -1;
		}
		(void)pcre2_jit_compile(r->code, PCRE2_JIT_COMPLETE);
	}
	return 1;
}

int
agent__rx_compile(struct agent__rxset *set)
{
	int st = __atomic_load_n(&set->state, __ATOMIC_ACQUIRE);

	if (st == 0) {
		pthread_mutex_lock(&lock);
		if ((st = set->state) == 0) {
			st = compile_all(set);
			__atomic_store_n(&set->state, st, __ATOMIC_RELEASE);
		}
		pthread_mutex_unlock(&lock);
	}
	if (st < 0) {
		errno = EINVAL;
		return -1;
	}
	return 0;
}

pcre2_match_data *
agent__rx_md(void)
{
	return pcre2_match_data_create(16, NULL);
}

int
agent__rx_match(const struct agent__rxset *set, int i, const char *s, size_t n,
    pcre2_match_data *md)
{
	int rc;

	if (__atomic_load_n(&set->state, __ATOMIC_ACQUIRE) != 1 || md == NULL)
		return 0;
	rc = pcre2_match(set->rx[i].code, (PCRE2_SPTR)s, n, 0, 0, md, NULL);
	return rc > 0 ? rc : 0;
}

size_t
agent__rx_group(pcre2_match_data *md, int rc, int g, const char *s, const char **p)
{
	PCRE2_SIZE *ov = pcre2_get_ovector_pointer(md);

	*p = s;
	if (g >= rc || ov[2 * g] == PCRE2_UNSET)
		return 0;
	*p = s + ov[2 * g];
	return ov[2 * g + 1] - ov[2 * g];
}

size_t
agent__rx_end(pcre2_match_data *md)
{
	return pcre2_get_ovector_pointer(md)[1];
}

size_t
agent__rx_start(pcre2_match_data *md)
{
	return pcre2_get_ovector_pointer(md)[0];
}
