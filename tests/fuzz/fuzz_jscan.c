/* fuzz_jscan.c — libFuzzer harness for the JSON tokenizer and the JSON
 * dialect parsers built on it: every token of every input is read back. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "dialect/parsers.h"
#include "jscan.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int
count(const struct agent_event *e, void *arg)
{
	(void)e;
	++*(size_t *)arg;
	return 0;
}

static void
walk(struct agent__jval *t)
{
	struct agent__jval *k;
	size_t i, n;
	const char *s;

	switch (t->type) {
	case AGENT__JV_STRING:
		s = agent__jval_str(t);
		if (s == NULL || strlen(s) > t->len)
			abort();
		break;
	case AGENT__JV_INT:
	case AGENT__JV_DOUBLE:
		(void)agent__jval_int(t);
		(void)agent__jval_double(t);
		break;
	case AGENT__JV_ARRAY:
		n = agent__jval_len(t);
		for (i = 0; i < n; i++)
			walk(agent__jval_idx(t, i));
		if (agent__jval_idx(t, n) != NULL)
			abort();
		break;
	case AGENT__JV_OBJECT:
		for (k = agent__jval_first(t); k != NULL; k = agent__jval_next(t, k)) {
			if (k->type != AGENT__JV_STRING || (s = agent__jval_str(k)) == NULL)
				abort();
			/* a key is found by its name, but one with a NUL in it
			 * ("\u0000") cannot be named by a C string */
			if (strlen(s) == k->len && agent__jval_get(t, s) == NULL)
				abort();
			walk(k + 1);
		}
		break;
	default:
		(void)agent__jval_bool(t);
		break;
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct { const struct agent_dialect_ops *ops; enum agent_dialect d; } p[] = {
		{ &agent__claude_json_ops, AGENT_D_CLAUDE_STREAM },
		{ &agent__codex_json_ops, AGENT_D_CODEX_JSON },
		{ &agent__gemini_stream_ops, AGENT_D_GEMINI_STREAM },
		{ &agent__gemini_json_ops, AGENT_D_GEMINI_JSON },
		{ &agent__opencode_json_ops, AGENT_D_OPENCODE_JSON },
	};
	struct agent__jdoc js = { 0 };
	struct agent__jval *t;
	size_t end, i, nev = 0;
	char *copy = malloc(size ? size : 1);

	if (copy == NULL)
		return 0;
	/* an exact-size copy, so a read past the input is caught */
	memcpy(copy, data, size);
	if ((t = agent__jdoc_parse(&js, copy, size, &end)) != NULL) {
		if (end > size || t->skip != js.n)
			abort();
		walk(t);
	}
	agent__jdoc_free(&js);
	for (i = 0; i < sizeof p / sizeof p[0]; i++) {
		void *st = p[i].ops->new(p[i].d);
		const char *s = copy, *e = copy + size, *nl;
		long ln = 1;

		if (st == NULL)
			continue;
		while (s < e) {
			nl = memchr(s, '\n', (size_t)(e - s));
			if (nl == NULL)
				nl = e;
			(void)p[i].ops->line(st, s, (size_t)(nl - s), ln++, count, &nev);
			s = nl + 1;
		}
		if (p[i].ops->end != NULL)
			(void)p[i].ops->end(st, count, &nev);
		p[i].ops->free(st);
	}
	free(copy);
	return 0;
}
