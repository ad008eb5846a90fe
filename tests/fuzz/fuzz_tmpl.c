/* fuzz_tmpl.c — libFuzzer harness for the bytes the template module takes:
 * a template to render and a VARS file to parse.  The lint and the
 * verification command of the same bytes are fuzz_lint's (its seeds hold
 * this harness's too): here they were 80% of each input's time. */
#include <stdint.h>
#include <stdlib.h>
#include "tmpl.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data;
	static struct agent_tmpl_vars *v;
	struct agent_tmpl_vars *fv;
	struct agent_tmpl_error err;
	char *out;
	size_t olen;

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
	return 0;
}
