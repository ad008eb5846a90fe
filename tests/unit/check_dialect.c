/* check_dialect.c — the dialect table, detection from a log's head, and the
 * parser handle: every fixture is detected, gives its session id and ends
 * in the event its verdict needs. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "check_main.h"
#include "dialect.h"
#include "dialect/parsers.h"

static const char *const names[AGENT_D__MAX] = {
	"generic", "opencode-text", "opencode-json", "omo", "claude-stream",
	"claude-json", "claude-text", "codex-json", "codex-text",
	"gemini-stream", "gemini-json", "gemini-text", "pi-json", "pi-text",
	"cline-json", "cline-text", "copilot-json", "copilot-text",
	"qwen-stream", "qwen-json", "qwen-text", "droid-stream", "droid-json", "droid-text",
	"kilo-json", "kilo-text",
};

static char *
slurp(const char *rel, size_t *len)
{
	char path[4096];
	snprintf(path, sizeof path, "%s/%s", FIXTURES, rel);
	FILE *f = fopen(path, "rb");
	ck_assert_msg(f != NULL, "cannot open %s", path);
	char *buf = NULL;
	size_t cap = 0, n = 0, k;
	do {
		if (n + 4096 > cap) {
			cap = cap ? cap * 2 : 65536;
			buf = realloc(buf, cap + 1);
			ck_assert_ptr_nonnull(buf);
		}
		k = fread(buf + n, 1, cap - n, f);
		n += k;
	} while (k > 0);
	fclose(f);
	buf[n] = '\0';
	*len = n;
	return buf;
}

/* ---- the table ------------------------------------------------------ */

START_TEST(table_has_a_row_for_every_dialect_in_enum_order)
{
	for (int d = 0; d < AGENT_D__MAX; d++) {
		const struct agent_dialect_info *i = agent_dialect_info(d);
		ck_assert_ptr_nonnull(i);
		ck_assert_int_eq(i->id, d);
		ck_assert_str_eq(i->name, names[d]);
		ck_assert_ptr_nonnull(i->agent);
		ck_assert_int_eq(agent_dialect_lookup(i->name), d);
	}
	ck_assert_ptr_null(agent_dialect_info(AGENT_D__MAX));
	ck_assert_ptr_null(agent_dialect_info((enum agent_dialect)-1));
}
END_TEST

START_TEST(table_traits_say_which_formats_signal_completion_and_carry_sessions)
{
	ck_assert_int_eq(agent_dialect_info(AGENT_D_OPENCODE_TEXT)->has_done, 0);
	ck_assert_int_eq(agent_dialect_info(AGENT_D_OPENCODE_TEXT)->has_session, 0);
	ck_assert_int_eq(agent_dialect_info(AGENT_D_OMO)->has_done, 1);
	ck_assert_int_eq(agent_dialect_info(AGENT_D_OMO)->has_session, 1);
	ck_assert_int_eq(agent_dialect_info(AGENT_D_CODEX_TEXT)->has_done, 1);
	ck_assert_int_eq(agent_dialect_info(AGENT_D_CLAUDE_TEXT)->has_done, 0);
	ck_assert_int_eq(agent_dialect_info(AGENT_D_GEMINI_TEXT)->has_session, 0);
	ck_assert_int_eq(agent_dialect_info(AGENT_D_CLAUDE_STREAM)->has_done, 1);
	ck_assert_str_eq(agent_dialect_info(AGENT_D_CLAUDE_JSON)->agent, "claude");
	ck_assert_str_eq(agent_dialect_info(AGENT_D_OMO)->agent, "omo");
	ck_assert_str_eq(agent_dialect_info(AGENT_D_GEMINI_TEXT)->agent, "gemini");
	/* only gemini -p text and qwen's text are nothing but the answer
	 * (claude -p's is too, but nothing names it: it reads as generic) */
	for (int d = 0; d < AGENT_D__MAX; d++)
		ck_assert_int_eq(agent_dialect_info(d)->answer_only,
		    d == AGENT_D_GEMINI_TEXT || d == AGENT_D_QWEN_TEXT);
}
END_TEST

START_TEST(lookup_by_agent_name_gives_its_default_dialect)
{
	ck_assert_int_eq(agent_dialect_lookup("opencode"), AGENT_D_OPENCODE_JSON);
	ck_assert_int_eq(agent_dialect_lookup("omo"), AGENT_D_OMO);
	ck_assert_int_eq(agent_dialect_lookup("claude"), AGENT_D_CLAUDE_STREAM);
	ck_assert_int_eq(agent_dialect_lookup("codex"), AGENT_D_CODEX_JSON);
	ck_assert_int_eq(agent_dialect_lookup("gemini"), AGENT_D_GEMINI_STREAM);
	ck_assert_int_eq(agent_dialect_lookup("copilot"), AGENT_D_COPILOT_JSON);
	ck_assert_int_eq(agent_dialect_lookup("qwen"), AGENT_D_QWEN_STREAM);
	ck_assert_int_eq(agent_dialect_lookup("droid"), AGENT_D_DROID_STREAM);
	ck_assert_int_eq(agent_dialect_lookup("kilo"), AGENT_D_KILO_JSON);
	ck_assert_int_eq(agent_dialect_lookup("nonesuch"), -1);
	ck_assert_int_eq(agent_dialect_lookup(""), -1);
	ck_assert_int_eq(agent_dialect_lookup(NULL), -1);
	ck_assert_int_eq(agent_dialect_lookup("Claude"), -1);
}
END_TEST

/* ---- every fixture ------------------------------------------------------ */

struct fixture {
	char log[256], agent[32], verdict[64], session[128];
	int exit;       /* as $? reported it */
};
/* MANIFEST.tsv's rows, at most */
#define MAX_FIXTURES 512

/* MANIFEST.tsv rows (comment lines skipped). */
static int
manifest(struct fixture *fx, int max)
{
	size_t len;
	char *buf = slurp("MANIFEST.tsv", &len), *save = NULL;
	int n = 0;
	for (char *l = strtok_r(buf, "\n", &save); l && n < max; l = strtok_r(NULL, "\n", &save)) {
		char exitbuf[16];
		if (l[0] == '#')
			continue;
		ck_assert_int_eq(sscanf(l, "%255[^\t]\t%31[^\t]\t%15[^\t]\t%63[^\t]\t%127s",
		                        fx[n].log, fx[n].agent, exitbuf, fx[n].verdict, fx[n].session), 5);
		fx[n].exit = atoi(exitbuf);
		n++;
	}
	free(buf);
	ck_assert_int_gt(n, 30);
	ck_assert_int_lt(n, max);      /* none left unread */
	return n;
}

/* The dialect a fixture was written in, from its directory and name. */
static enum agent_dialect
expected_dialect(const char *log, size_t len)
{
	static const struct {
		const char *prefix;
		enum agent_dialect d;
	} t[] = {
		{ "opencode/json-", AGENT_D_OPENCODE_JSON }, { "opencode/text-", AGENT_D_OPENCODE_TEXT },
		{ "omo/", AGENT_D_OMO }, { "claude/stream-json-", AGENT_D_CLAUDE_STREAM },
		{ "claude/json-", AGENT_D_CLAUDE_JSON },
		/* claude -p prints the final answer only: nothing names it,
		 * but its error lines ("API Error: 500 ...") do */
		{ "claude/text-err", AGENT_D_CLAUDE_TEXT },
		{ "claude/text-limit", AGENT_D_CLAUDE_TEXT },  /* "You've hit your … · resets …" */
		{ "claude/text-max-turns", AGENT_D_CLAUDE_TEXT },  /* "Error: Reached max turns (1)" */
		{ "claude/text-", AGENT_D_GENERIC },
		{ "codex/exec-json-", AGENT_D_CODEX_JSON }, { "codex/exec-text-", AGENT_D_CODEX_TEXT },
		{ "gemini/stream-json-", AGENT_D_GEMINI_STREAM },
		/* 23 KB of retry traces before the result object: the head
		 * reads as text, and the gemini-text parser takes the object */
		{ "gemini/json-err500", AGENT_D_GEMINI_TEXT },
		/* stopped, json mode prints only the warnings of text mode */
		{ "gemini/json-cutoff-", AGENT_D_GEMINI_TEXT },
		{ "gemini/json-", AGENT_D_GEMINI_JSON },
		{ "gemini/text-", AGENT_D_GEMINI_TEXT },
		/* pi's own "No session found matching '…'", alone */
		{ "pi/json-resume-badid", AGENT_D_PI_TEXT },
		{ "pi/json-", AGENT_D_PI_JSON },
		/* pi -p prints the answer alone: nothing names it, but its
		 * API error alone on the first line does, weakly */
		{ "pi/text-err", AGENT_D_PI_TEXT }, { "pi/text-limit", AGENT_D_PI_TEXT },
		{ "pi/text-quota", AGENT_D_PI_TEXT },
		{ "pi/text-", AGENT_D_GENERIC },
		{ "cline/json-", AGENT_D_CLINE_JSON },
		{ "cline/text-", AGENT_D_CLINE_TEXT },
		{ "copilot/json-", AGENT_D_COPILOT_JSON }, { "copilot/text-", AGENT_D_COPILOT_TEXT },
		{ "qwen/stream-json-", AGENT_D_QWEN_STREAM },
		/* stopped, json mode prints only the warning and an error object */
		{ "qwen/json-cutoff-", AGENT_D_QWEN_TEXT }, { "qwen/json-", AGENT_D_QWEN_JSON },
		{ "qwen/text-", AGENT_D_QWEN_TEXT },
		{ "droid/stream-json-", AGENT_D_DROID_STREAM }, { "droid/json-", AGENT_D_DROID_JSON },
		/* droid's text is the answer alone: only its error names it */
		{ "droid/text-err", AGENT_D_DROID_TEXT }, { "droid/text-limit", AGENT_D_DROID_TEXT },
		{ "droid/text-", AGENT_D_GENERIC },
		/* Kilo prints opencode's formats, read as opencode's unless
		 * they hold what only Kilo writes: its API error twice, red
		 * on stderr and as the JSON line */
		{ "kilo/json-err", AGENT_D_KILO_JSON }, { "kilo/json-limit", AGENT_D_KILO_JSON },
		{ "kilo/json-quota", AGENT_D_KILO_JSON },
		/* "Error: Session not found" alone, as opencode says it */
		{ "kilo/json-resume-badid", AGENT_D_OPENCODE_TEXT },
		{ "kilo/json-", AGENT_D_OPENCODE_JSON }, { "kilo/text-", AGENT_D_OPENCODE_TEXT },
	};
	if (len == 0)
		return AGENT_D_GENERIC;   /* an empty log names nothing */
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++)
		if (strncmp(log, t[i].prefix, strlen(t[i].prefix)) == 0)
			return t[i].d;
	ck_abort_msg("no dialect known for %s", log);
	return AGENT_D_GENERIC;
}

START_TEST(detect_names_the_dialect_of_every_fixture_from_its_head)
{
	static struct fixture fx[MAX_FIXTURES];
	int n = manifest(fx, MAX_FIXTURES);
	for (int i = 0; i < n; i++) {
		size_t len;
		char *buf = slurp(fx[i].log, &len);
		size_t head = len < 65536 ? len : 65536;
		enum agent_dialect want = expected_dialect(fx[i].log, len);
		enum agent_dialect got = agent_dialect_detect(buf, head);
		ck_assert_msg(got == want, "%s: detected %s, want %s", fx[i].log,
		              names[got], names[want]);
		free(buf);
	}
}
END_TEST

struct run {
	char session[128];
	int done, final_error, final_limit, interrupt, events;
	enum agent_ev_kind last_final;
	long last_line;
};

static int
record(const struct agent_event *e, void *arg)
{
	struct run *r = arg;
	r->events++;
	ck_assert_int_ge(e->line, r->last_line);   /* lines come in order */
	r->last_line = e->line;
	if (e->kind == AGENT_EV_SESSION && !r->session[0]) {
		ck_assert_ptr_nonnull(e->session);
		snprintf(r->session, sizeof r->session, "%s", e->session);
	}
	if (e->kind == AGENT_EV_DONE)
		r->done++;
	if (e->kind == AGENT_EV_INTERRUPT)
		r->interrupt++;
	if (e->final && e->kind == AGENT_EV_ERROR)
		r->final_error++;
	if (e->final && e->kind == AGENT_EV_LIMIT)
		r->final_limit++;
	if (e->final || e->kind == AGENT_EV_DONE)
		r->last_final = e->kind;
	return 0;
}

static void
parse_fixture(const char *log, struct run *r, enum agent_dialect *dp)
{
	size_t len;
	char *buf = slurp(log, &len);
	enum agent_dialect d = agent_dialect_detect(buf, len);
	struct agent_parser *p = agent_parser_new(d);
	ck_assert_ptr_nonnull(p);
	ck_assert_int_eq(agent_parser_dialect(p), d);
	memset(r, 0, sizeof *r);
	long ln = 0;
	for (size_t i = 0; i < len; ) {
		const char *nl = memchr(buf + i, '\n', len - i);
		size_t k = nl ? (size_t)(nl - (buf + i)) : len - i;
		ck_assert_int_eq(agent_parser_line(p, buf + i, k, ++ln, record, r), 0);
		i += k + (nl != NULL);
	}
	ck_assert_int_eq(agent_parser_end(p, record, r), 0);
	agent_parser_free(p);
	free(buf);
	*dp = d;
}

START_TEST(every_fixture_gives_the_manifest_session_id)
{
	static struct fixture fx[MAX_FIXTURES];
	int n = manifest(fx, MAX_FIXTURES);
	for (int i = 0; i < n; i++) {
		struct run r;
		enum agent_dialect d;
		parse_fixture(fx[i].log, &r, &d);
		const char *want = strcmp(fx[i].session, "-") == 0 ? "" : fx[i].session;
		ck_assert_msg(strcmp(r.session, want) == 0, "%s: session \"%s\", want \"%s\"",
		              fx[i].log, r.session, want);
	}
}
END_TEST

START_TEST(every_fixture_head_gives_its_session_id_line_by_line)
{
	static struct fixture fx[MAX_FIXTURES];
	int n = manifest(fx, MAX_FIXTURES);
	for (int i = 0; i < n; i++) {
		size_t len;
		char *buf = slurp(fx[i].log, &len), id[128] = "", any[128] = "";
		enum agent_dialect d = agent_dialect_detect(buf, len);
		/* the dialect's own marker, and "any agent's" when the dialect
		 * is not known, find the same first id */
		for (size_t at = 0; at < len && (!id[0] || !any[0]); ) {
			const char *nl = memchr(buf + at, '\n', len - at);
			size_t k = nl ? (size_t)(nl - (buf + at)) : len - at;
			if (!id[0])
				agent_session_in_line(d, buf + at, k, id, sizeof id);
			if (!any[0])
				agent_session_in_line(AGENT_D_GENERIC, buf + at, k, any, sizeof any);
			at += k + (nl != NULL);
		}
		ck_assert_msg(strcmp(id, any) == 0, "%s: \"%s\" but generic \"%s\"", fx[i].log, id, any);
		const char *want = strcmp(fx[i].session, "-") == 0 ? "" : fx[i].session;
		ck_assert_msg(strcmp(id, want) == 0, "%s: session \"%s\", want \"%s\"", fx[i].log, id, want);
		free(buf);
	}
}
END_TEST

START_TEST(every_fixture_ends_in_the_event_its_verdict_needs)
{
	static struct fixture fx[MAX_FIXTURES];
	int n = manifest(fx, MAX_FIXTURES);
	for (int i = 0; i < n; i++) {
		struct run r;
		enum agent_dialect d;
		const char *v = fx[i].verdict, *log = fx[i].log;
		/* where two are listed, the first is the careful reader's */
		fx[i].verdict[strcspn(fx[i].verdict, " ")] = '\0';
		parse_fixture(log, &r, &d);
		int has_done = agent_dialect_info(d)->has_done;
		if (strcmp(v, "completed") == 0) {
			if (has_done)
				ck_assert_msg(r.last_final == AGENT_EV_DONE, "%s: no completion signal", log);
			else
				ck_assert_msg(r.last_final == AGENT_EV_NONE, "%s: a final event", log);
			ck_assert_msg(r.final_error == 0 && r.final_limit == 0, "%s: final error", log);
		} else if (strcmp(v, "failed") == 0 && r.events == 0) {
			/* nothing printed (droid's resume offline): the exit
			 * status alone says it */
			ck_assert_msg(fx[i].exit != 0, "%s: failed, silent, and exit 0", log);
		} else if (strcmp(v, "failed") == 0) {
			ck_assert_msg(r.last_final == AGENT_EV_ERROR, "%s: does not end in an error", log);
			ck_assert_msg(r.done == 0, "%s: completion signal in a failed run", log);
		} else if (strcmp(v, "limited") == 0) {
			ck_assert_msg(r.last_final == AGENT_EV_LIMIT, "%s: does not end in a limit", log);
		} else if (strcmp(v, "cut-off") == 0) {
			/* no last word, or the agent's own interruption (Cline
			 * reports a SIGTERM'd run completed, or failed, and then
			 * run_aborted) */
			ck_assert_msg(r.last_final == AGENT_EV_NONE || r.last_final == AGENT_EV_INTERRUPT,
			              "%s: cut-off log whose last word is a completion or error", log);
		} else {
			ck_abort_msg("%s: unknown verdict %s", log, v);
		}
	}
}
END_TEST

/* ---- detection rules, one line each -------------------------------------- */

static enum agent_dialect
det(const char *s)
{
	return agent_dialect_detect(s, strlen(s));
}

START_TEST(detect_json_lines_by_their_shape)
{
	ck_assert_int_eq(det("{\"type\":\"system\",\"subtype\":\"init\",\"session_id\":\"x\"}\n"),
	                 AGENT_D_CLAUDE_STREAM);
	ck_assert_int_eq(det("{\"type\":\"assistant\",\"message\":{},\"session_id\":\"x\"}"),
	                 AGENT_D_CLAUDE_STREAM);
	ck_assert_int_eq(det("{\"type\":\"result\",\"subtype\":\"success\",\"session_id\":\"x\"}"),
	                 AGENT_D_CLAUDE_JSON);
	ck_assert_int_eq(det("{\"type\":\"thread.started\",\"thread_id\":\"x\"}"), AGENT_D_CODEX_JSON);
	ck_assert_int_eq(det("{\"type\":\"turn.started\"}"), AGENT_D_CODEX_JSON);
	ck_assert_int_eq(det("{\"type\":\"item.completed\",\"item\":{}}"), AGENT_D_CODEX_JSON);
	ck_assert_int_eq(det("{\"type\":\"init\",\"timestamp\":\"2026-01-01T00:00:00Z\",\"session_id\":\"x\"}"),
	                 AGENT_D_GEMINI_STREAM);
	ck_assert_int_eq(det("{\"type\":\"message\",\"timestamp\":\"t\",\"role\":\"assistant\",\"content\":\"x\"}"),
	                 AGENT_D_GEMINI_STREAM);
	ck_assert_int_eq(det("{\"type\":\"step_start\",\"timestamp\":1,\"sessionID\":\"ses_x\",\"part\":{}}"),
	                 AGENT_D_OPENCODE_JSON);
	ck_assert_int_eq(det("{\"type\":\"error\",\"timestamp\":1,\"sessionID\":\"ses_x\",\"error\":{}}"),
	                 AGENT_D_OPENCODE_JSON);
	ck_assert_int_eq(det("{\"sessionId\":\"ses_x\",\"success\":true,\"durationMs\":1}"), AGENT_D_OMO);
	ck_assert_int_eq(det("{\n  \"session_id\": \"aad78641-831a-429d-a81a-a69df018cbb5\",\n"
	                     "  \"response\": \"Done.\"\n}\n"), AGENT_D_GEMINI_JSON);
	ck_assert_int_eq(det("{\"unrelated\":1}\n"), AGENT_D_GENERIC);
}
END_TEST

START_TEST(detect_skips_noise_before_the_first_json_line)
{
	ck_assert_int_eq(det("\n\r\nYOLO mode is enabled.\nRipgrep is not available.\n"
	                     "{\"type\":\"init\",\"timestamp\":\"t\",\"session_id\":\"x\",\"model\":\"auto\"}\n"),
	                 AGENT_D_GEMINI_STREAM);
	ck_assert_int_eq(det("No conversation found with session ID: x\n"
	                     "{\"type\":\"result\",\"session_id\":\"x\"}\n"), AGENT_D_CLAUDE_JSON);
	ck_assert_int_eq(det("Reading additional input from stdin...\n"
	                     "{\"type\":\"thread.started\",\"thread_id\":\"x\"}\r\n"), AGENT_D_CODEX_JSON);
	ck_assert_int_eq(det("{\"unrelated\":1}\n{\"type\":\"result\",\"session_id\":\"x\"}\n"),
	                 AGENT_D_CLAUDE_STREAM);
}
END_TEST

START_TEST(detect_text_markers)
{
	ck_assert_int_eq(det("[19:48:12] Starting server on port 4096\n"), AGENT_D_OMO);
	ck_assert_int_eq(det("Starting server on port 4096\nSession: ses_df60bda3bffeXCkoDZ48rADnTM\n"),
	                 AGENT_D_OMO);
	ck_assert_int_eq(det("[MAIN] session.status: busy\n"), AGENT_D_OMO);
	ck_assert_int_eq(det("\x1b[0m\n> build \xc2\xb7 fake-model\n"), AGENT_D_OPENCODE_TEXT);
	ck_assert_int_eq(det("\x1b[0m\xe2\x86\x92 \x1b[0mRead a\n"), AGENT_D_OPENCODE_TEXT);
	ck_assert_int_eq(det("OpenAI Codex v0.169.0\n--------\nworkdir: /w\n"), AGENT_D_CODEX_TEXT);
	ck_assert_int_eq(det("YOLO mode is enabled.\nI'll read it.\n"), AGENT_D_GEMINI_TEXT);
	ck_assert_int_eq(det("Done.\n"), AGENT_D_GENERIC);
}
END_TEST

START_TEST(detect_reads_only_the_head_and_survives_bad_input)
{
	ck_assert_int_eq(agent_dialect_detect(NULL, 10), AGENT_D_GENERIC);
	ck_assert_int_eq(agent_dialect_detect("", 0), AGENT_D_GENERIC);
	ck_assert_int_eq(agent_dialect_detect("\xff\xfe\0\x1b[\n{\xff", 7), AGENT_D_GENERIC);

	/* 300 plain lines, then a marker: past the 200 lines looked at */
	size_t cap = 1u << 20, n = 0;
	char *s = malloc(cap);
	ck_assert_ptr_nonnull(s);
	for (int i = 0; i < 300; i++)
		n += (size_t)sprintf(s + n, "line %d\n", i);
	n += (size_t)sprintf(s + n, "OpenAI Codex v1\n");
	ck_assert_int_eq(agent_dialect_detect(s, n), AGENT_D_GENERIC);

	/* a claude init line longer than the head is still claude's */
	n = (size_t)sprintf(s, "{\"type\":\"system\",\"subtype\":\"init\",\"session_id\":\"x\",\"tools\":[");
	while (n < cap - 16)
		n += (size_t)sprintf(s + n, "\"T\",");
	ck_assert_int_eq(agent_dialect_detect(s, n), AGENT_D_CLAUDE_STREAM);

	/* one 1 MiB line of escapes */
	for (size_t i = 0; i + 4 <= cap; i += 4)
		memcpy(s + i, "\x1b[0m", 4);
	ck_assert_int_eq(agent_dialect_detect(s, cap), AGENT_D_GENERIC);
	free(s);
}
END_TEST

/* ---- one line's cues and session finders ------------------------------ */

static enum agent_dialect
det_line(const char *s, int *strong)
{
	return agent__detect_text_line(s, strlen(s), strong);
}

START_TEST(detect_line_markers_name_their_dialect)
{
	int st;
	ck_assert_int_eq(det_line("[19:48:12] Starting server on port 4096", &st), AGENT_D_OMO);
	ck_assert_int_eq(st, 1);
	ck_assert_int_eq(det_line("Session: ses_df60bda3bffeXCkoDZ48rADnTM", &st), AGENT_D_OMO);
	ck_assert_int_eq(det_line("oh-my-opencode: bun is not available", &st), AGENT_D_OMO);
	ck_assert_int_eq(det_line("[MAIN] session.status: busy", &st), AGENT_D_OMO);
	ck_assert_int_eq(det_line("  \xe2\x94\x94\xe2\x94\x80 Sisyphus - ultraworker  ", &st), AGENT_D_OMO);
	ck_assert_int_eq(det_line("> build \xc2\xb7 fake-model", &st), AGENT_D_OPENCODE_TEXT);
	ck_assert_int_eq(st, 1);
	ck_assert_int_eq(det_line("\x1b[0m\xe2\x86\x92 \x1b[0mRead a", &st), AGENT_D_OPENCODE_TEXT);
	ck_assert_int_eq(det_line("\x1b[0m", &st), AGENT_D_OPENCODE_TEXT);
	ck_assert_int_eq(st, 0);
	ck_assert_int_eq(det_line("OpenAI Codex v0.169.0", &st), AGENT_D_CODEX_TEXT);
	ck_assert_int_eq(st, 1);
	ck_assert_int_eq(det_line("session id: 01a209f9-6da9-72e0-9602-0d3ba67cb8ef", &st), AGENT_D_CODEX_TEXT);
	ck_assert_int_eq(det_line("YOLO mode is enabled. All tool calls will be automatically approved.", &st),
	                 AGENT_D_GEMINI_TEXT);
	ck_assert_int_eq(st, 0);
	ck_assert_int_eq(det_line("Invalid API key \xc2\xb7 Fix external API key", &st), AGENT_D_CLAUDE_TEXT);
	ck_assert_int_eq(det_line("Done.", &st), AGENT_D_GENERIC);
	ck_assert_int_eq(det_line("", &st), AGENT_D_GENERIC);
}
END_TEST

/* ---- the parser handle -------------------------------------------------- */

static int
count_ev(const struct agent_event *e, void *arg)
{
	(void)e;
	++*(int *)arg;
	return 0;
}

START_TEST(parser_rejects_unknown_dialects_and_tolerates_null)
{
	errno = 0;
	ck_assert_ptr_null(agent_parser_new(AGENT_D__MAX));
	ck_assert_int_eq(errno, EINVAL);
	agent_parser_free(NULL);
	ck_assert_int_eq(agent_parser_line(NULL, "x", 1, 1, count_ev, NULL), 0);
	ck_assert_int_eq(agent_parser_end(NULL, count_ev, NULL), 0);
	for (int d = 0; d < AGENT_D__MAX; d++) {
		int k = 0;
		struct agent_parser *p = agent_parser_new(d);
		ck_assert_ptr_nonnull(p);
		ck_assert_int_eq(agent_parser_line(p, NULL, 5, 1, count_ev, &k), 0);
		ck_assert_int_eq(agent_parser_line(p, "\xff\0\x1b[", 4, 2, count_ev, &k), 0);
		ck_assert_int_eq(agent_parser_end(p, count_ev, &k), 0);
		agent_parser_free(p);
	}
}
END_TEST

START_TEST(parser_hands_lines_to_the_dialect)
{
	int k = 0;
	struct agent_parser *p = agent_parser_new(AGENT_D_GENERIC);
	ck_assert_ptr_nonnull(p);
	ck_assert_int_eq(agent_parser_line(p, "hello", 5, 1, count_ev, &k), 0);
	ck_assert_int_eq(k, 1);
	agent_parser_free(p);
}
END_TEST

START_TEST(session_in_line_uses_the_dialect_or_any_agent_for_generic)
{
	char buf[64];
	const char *oc = "{\"type\":\"step_start\",\"timestamp\":1,\"sessionID\":\"ses_df60fc02bffesADN5iSiUraCW7\"}";
	ck_assert_uint_eq(agent_session_in_line(AGENT_D_GENERIC, oc, strlen(oc), buf, sizeof buf), 30);
	ck_assert_str_eq(buf, "ses_df60fc02bffesADN5iSiUraCW7");
	ck_assert_uint_eq(agent_session_in_line(AGENT_D_OPENCODE_JSON, oc, strlen(oc), buf, sizeof buf), 30);
	const char *omo = "[19:48:45] Session: ses_df60bda3bffeXCkoDZ48rADnTM";
	ck_assert_uint_eq(agent_session_in_line(AGENT_D_OMO, omo, strlen(omo), buf, sizeof buf), 30);
	ck_assert_uint_eq(agent_session_in_line(AGENT_D_GENERIC, omo, strlen(omo), buf, sizeof buf), 30);
	ck_assert_str_eq(buf, "ses_df60bda3bffeXCkoDZ48rADnTM");
	ck_assert_uint_eq(agent_session_in_line(AGENT_D_GENERIC, "nothing", 7, buf, sizeof buf), 0);
	ck_assert_uint_eq(agent_session_in_line(AGENT_D_OMO, omo, strlen(omo), buf, 0), 0);
	ck_assert_uint_eq(agent_session_in_line(AGENT_D__MAX, omo, strlen(omo), buf, sizeof buf), 0);
}
END_TEST

static Suite *
dialect_suite(void)
{
	Suite *s = suite_create("dialect");
	TCase *t = tcase_create("table");
	tcase_add_test(t, table_has_a_row_for_every_dialect_in_enum_order);
	tcase_add_test(t, table_traits_say_which_formats_signal_completion_and_carry_sessions);
	tcase_add_test(t, lookup_by_agent_name_gives_its_default_dialect);
	suite_add_tcase(s, t);

	TCase *f = tcase_create("fixtures");
	tcase_set_timeout(f, 60);
	tcase_add_test(f, detect_names_the_dialect_of_every_fixture_from_its_head);
	tcase_add_test(f, every_fixture_gives_the_manifest_session_id);
	tcase_add_test(f, every_fixture_head_gives_its_session_id_line_by_line);
	tcase_add_test(f, every_fixture_ends_in_the_event_its_verdict_needs);
	suite_add_tcase(s, f);

	TCase *d = tcase_create("detect");
	tcase_set_timeout(d, 60);
	tcase_add_test(d, detect_json_lines_by_their_shape);
	tcase_add_test(d, detect_skips_noise_before_the_first_json_line);
	tcase_add_test(d, detect_text_markers);
	tcase_add_test(d, detect_reads_only_the_head_and_survives_bad_input);
	tcase_add_test(d, detect_line_markers_name_their_dialect);
	suite_add_tcase(s, d);

	TCase *p = tcase_create("parser");
	tcase_add_test(p, parser_rejects_unknown_dialects_and_tolerates_null);
	tcase_add_test(p, parser_hands_lines_to_the_dialect);
	tcase_add_test(p, session_in_line_uses_the_dialect_or_any_agent_for_generic);
	suite_add_tcase(s, p);
	return s;
}

CHECK_MAIN(dialect_suite)
