/* fuzz_lint.c — libFuzzer harness for prompt-render --lint and --verify
 * alone: the findings for a prompt and the one verification command its
 * last step names.  Its seeds include fuzz_tmpl's (tmpl-*), whose
 * harness leaves the lint to this one. */
#include <stdint.h>
#include <stdlib.h>
#include "lint.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct agent_lint_finding *f;
	char *out, why[128];
	unsigned line;
	size_t n;

	if (agent_lint((const char *)data, size, &f, &n) == 0)
		free(f);
	if (agent_lint_verify((const char *)data, size, &out, &line, why, sizeof why) == 0)
		free(out);
	return 0;
}
