/* fuzz_dialect.c — libFuzzer harness for everything in lib/ that reads a
 * log's bytes: detection, every dialect's line parser, the session finder,
 * the summary, and the NDJSON and summary-line writers.  The first byte
 * picks the dialect (its top bit: the lines start inside the log).  The
 * lines are read as written at a fixed time, so a limit's "resets 3pm" or
 * "try again in 20s" is read too. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include "agent.h"

static int
sink(const struct agent_event *e, void *arg)
{
	FILE *devnull = arg;
	agent_event_write_json(devnull, e);
	agent_event_write_line(devnull, e, 40);
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static FILE *devnull;
	struct agent_summary sum;
	struct agent_parser *p;
	enum agent_dialect d;
	char id[128];
	size_t i, j;
	long ln = 0;
	int mid;

	if (devnull == NULL && (devnull = fopen("/dev/null", "w")) == NULL)
		return 0;
	if (size == 0)
		return 0;
	d = (data[0] & 0x7f) % AGENT_D__MAX;
	mid = data[0] & 0x80;   /* the lines start inside the log */
	data++;
	size--;
	(void)agent_dialect_detect((const char *)data, size);
	if ((p = agent_parser_new(d)) == NULL)
		return 0;
	if (mid)
		agent_parser_mid(p);
	agent_parser_clock(p, 1796042511.0);
	agent_summary_init(&sum);
	for (i = 0; i < size; i = j + 1) {
		const uint8_t *nl = memchr(data + i, '\n', size - i);
		j = nl ? (size_t)(nl - data) : size;
		agent_parser_line(p, (const char *)data + i, j - i, ++ln, sink, devnull);
		agent_session_in_line(d, (const char *)data + i, j - i, id, sizeof id);
	}
	agent_parser_end(p, sink, devnull);
	agent_parser_free(p);
	return 0;
}
