/* check_main.h — the main() every unit suite shares: run one Check suite
 * with CK_NORMAL output and exit non-zero on any failure. */
#ifndef CHECK_MAIN_H
#define CHECK_MAIN_H
#include <check.h>
#include <stdlib.h>

#define CHECK_MAIN(suite_fn)                                         \
	int main(void)                                               \
	{                                                            \
		SRunner *sr = srunner_create(suite_fn());            \
		srunner_run_all(sr, CK_NORMAL);                      \
		int nf = srunner_ntests_failed(sr);                  \
		srunner_free(sr);                                    \
		return nf ? EXIT_FAILURE : EXIT_SUCCESS;             \
	}
#endif
