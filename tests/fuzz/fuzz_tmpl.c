/* fuzz_tmpl.c — libFuzzer harness for the bytes the template module takes:
 * a template to render, a VARS file to parse, a prompt to lint and to take
 * the verification command from. */
#include <stdint.h>
#include <stdlib.h>
#include "tmpl.h"
#include "lint.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data;
	static struct agent_tmpl_vars *v;
	struct agent_tmpl_vars *fv;
	struct agent_tmpl_error err;
	struct agent_lint_finding *f;
	char *out;
	size_t olen, n;
	unsigned line;
	char why[128];

	if (!v) {
		/* kept for the whole run: the same variables every time */
		v = agent_tmpl_vars_new();
		if (!v || agent_tmpl_vars_define(v, "a=1") < 0 || agent_tmpl_vars_define(v, "e=") < 0 ||
		    agent_tmpl_vars_define(v, "steps=#. one\n2) two\n\n3. {{a}}") < 0 ||
		    agent_tmpl_vars_define(v, "v={{a}} #. {{{{") < 0)
			abort();
	}
	/* includes resolve against a directory that does not exist, so the
	 * fuzzer cannot read the machine's files */
	if (agent_tmpl_render(s, size, "fuzz", "/nonexistent-fuzz-dir", v, NULL, &out, &olen,
	                      &err) == 0)
		free(out);

	if ((fv = agent_tmpl_vars_new())) {
		agent_tmpl_vars_parse(fv, s, size, "fuzz.vars", &err);
		agent_tmpl_vars_free(fv);
	}

	if (agent_lint(s, size, &f, &n) == 0)
		free(f);
	if (agent_lint_verify(s, size, &out, &line, why, sizeof why) == 0)
		free(out);
	return 0;
}
