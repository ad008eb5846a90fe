/* fuzz_records.c — libFuzzer harness for the run records of agent-run(5):
 * meta.json and exit.json as the readers parse them.  What parses must
 * write back to a record that parses to the same values. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "run_int.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int
same(const char *a, const char *b)
{
	return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct agent_run r, r2;
	struct agent_run_exit e, e2;
	char *json;
	size_t i;

	memset(&r, 0, sizeof r);
	if (agent__run_meta_parse((const char *)data, size, &r) == 0) {
		if (!(json = agent__run_meta_json(&r)))
			abort();
		memset(&r2, 0, sizeof r2);
		if (agent__run_meta_parse(json, strlen(json), &r2) < 0)
			abort();
		if (!same(r.id, r2.id) || !same(r.workdir, r2.workdir) || !same(r.log, r2.log) ||
		    !same(r.label, r2.label) || r.pid != r2.pid || r.supervisor != r2.supervisor ||
		    r.supervisor_start != r2.supervisor_start)
			abort();
		for (i = 0; r.argv && r.argv[i]; i++)
			if (!r2.argv || !same(r.argv[i], r2.argv[i]))
				abort();
		free(json);
		agent__run_clear(&r2);
	}
	agent__run_clear(&r);

	memset(&e, 0, sizeof e);
	if (agent__run_exit_parse((const char *)data, size, &e) == 0) {
		if (!(json = agent__run_exit_json(&e)))
			abort();
		memset(&e2, 0, sizeof e2);
		if (agent__run_exit_parse(json, strlen(json), &e2) < 0 ||
		    e.status != e2.status || e.signal != e2.signal || e.code != e2.code ||
		    e.reaped != e2.reaped || e.killed != e2.killed)
			abort();
		free(json);
	}
	return 0;
}
