/* check_preset.c — agent presets, profiles, agents.conf(5) parsing and argv
 * templates: exact argv for every preset, one element per field, errors
 * with their line. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include "check_main.h"
#include "preset.h"

static char tmpdir[64];

static void
setup(void)
{
	strcpy(tmpdir, "/tmp/check_preset.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(tmpdir));
	/* No user config unless a test writes one. */
	setenv("XDG_CONFIG_HOME", tmpdir, 1);
}

static void
teardown(void)
{
	char cmd[128];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
	ck_assert_int_eq(system(cmd), 0);
}

/* Writes text to a file in tmpdir and returns its path (static). */
static const char *
write_conf(const char *text)
{
	static char path[128];
	FILE *f;
	snprintf(path, sizeof path, "%s/agents.conf", tmpdir);
	f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	ck_assert_int_ge(fputs(text, f), 0);
	ck_assert_int_eq(fclose(f), 0);
	return path;
}

/* Joins argv with '|' for comparison (elements never hold '|' here). */
static char *
join(char **argv)
{
	static char buf[4096];
	size_t n = 0;
	buf[0] = '\0';
	for (; *argv; argv++)
		n += (size_t)snprintf(buf + n, sizeof buf - n, "%s%s", n ? "|" : "", *argv);
	return buf;
}

static void
is_argv(const char *name, enum agent_argv_which w, const struct agent_vars *v,
        const char *want)
{
	struct agent_conf_err e;
	struct agent_conf *c = agent_conf_load(NULL, &e);
	ck_assert_msg(c != NULL, "load: %s:%d: %s", e.file, e.line, e.msg);
	const struct agent_preset *p = agent_conf_get(c, name);
	ck_assert_msg(p != NULL, "no preset %s", name);
	char **argv = agent_preset_argv(p, w, v);
	ck_assert_msg(argv != NULL, "%s: argv: %s", name, strerror(errno));
	ck_assert_str_eq(join(argv), want);
	agent_argv_free(argv);
	agent_conf_free(c);
}

static const struct agent_vars full = {
	.prompt = "do it", .prompt_file = "/tmp/p.txt", .dir = "/repo",
	.model = "m1", .agent_name = "Hephaestus", .session = "S1",
};
static const struct agent_vars bare = { .prompt = "do it" };

START_TEST(opencode_expands_exactly)
{
	is_argv("opencode", AGENT_ARGV_SPAWN, &full,
	        "opencode|run|--format|json|-m|m1|--agent|Hephaestus|do it");
	is_argv("opencode", AGENT_ARGV_SPAWN, &bare, "opencode|run|--format|json|do it");
	is_argv("opencode", AGENT_ARGV_RESUME, &full,
	        "opencode|run|--format|json|-m|m1|--agent|Hephaestus|--session|S1|do it");
}
END_TEST

START_TEST(omo_expands_exactly)
{
	is_argv("omo", AGENT_ARGV_SPAWN, &full,
	        "npx|oh-my-opencode|run|--agent|Hephaestus|--directory|/repo|-m|m1|do it");
	is_argv("omo", AGENT_ARGV_SPAWN, &bare, "npx|oh-my-opencode|run|do it");
	/* OMO's own --session-id refuses a cut-off session: opencode resumes */
	is_argv("omo", AGENT_ARGV_RESUME, &full,
	        "opencode|run|--format|json|-m|m1|--session|S1|do it");
}
END_TEST

START_TEST(resume_dialect_is_the_dialect_unless_given)
{
	struct agent_conf *c = agent_conf_load(NULL, NULL);
	ck_assert_str_eq(agent_preset_dialect(agent_conf_get(c, "omo")), "omo");
	ck_assert_str_eq(agent_preset_resume_dialect(agent_conf_get(c, "omo")), "opencode-json");
	ck_assert_str_eq(agent_preset_resume_dialect(agent_conf_get(c, "deep")), "opencode-json");
	ck_assert_str_eq(agent_preset_resume_dialect(agent_conf_get(c, "claude")), "claude-stream");
	ck_assert_ptr_null(agent_preset_resume_dialect(agent_conf_get(c, "replay")));
	agent_conf_free(c);
	c = agent_conf_load(write_conf("[preset x]\nspawn = x {prompt}\nresume = y {session}\n"
	                               "dialect = codex-text\nresume-dialect = detect\n"), NULL);
	ck_assert_ptr_nonnull(c);
	ck_assert_str_eq(agent_preset_dialect(agent_conf_get(c, "x")), "codex-text");
	ck_assert_ptr_null(agent_preset_resume_dialect(agent_conf_get(c, "x")));
	agent_conf_free(c);
	c = agent_conf_load(write_conf("[preset x]\nspawn = x {prompt}\nresume-dialect = nosuch\n"), NULL);
	ck_assert_ptr_null(c);
}
END_TEST

START_TEST(claude_expands_exactly)
{
	is_argv("claude", AGENT_ARGV_SPAWN, &full,
	        "claude|-p|do it|--output-format|stream-json|--verbose|--permission-mode|bypassPermissions|--model|m1");
	is_argv("claude", AGENT_ARGV_SPAWN, &bare,
	        "claude|-p|do it|--output-format|stream-json|--verbose|--permission-mode|bypassPermissions");
	is_argv("claude", AGENT_ARGV_RESUME, &full,
	        "claude|-p|do it|--resume|S1|--output-format|stream-json|--verbose|--permission-mode|bypassPermissions|--model|m1");
}
END_TEST

START_TEST(codex_expands_exactly)
{
	is_argv("codex", AGENT_ARGV_SPAWN, &full,
	        "codex|exec|--json|--skip-git-repo-check|--dangerously-bypass-approvals-and-sandbox|-m|m1|do it");
	is_argv("codex", AGENT_ARGV_RESUME, &full,
	        "codex|exec|resume|--json|--skip-git-repo-check|--dangerously-bypass-approvals-and-sandbox|-m|m1|S1|do it");
	is_argv("codex", AGENT_ARGV_RESUME, &(struct agent_vars){ .session = "S1", .prompt = "go" },
	        "codex|exec|resume|--json|--skip-git-repo-check|--dangerously-bypass-approvals-and-sandbox|S1|go");
}
END_TEST

START_TEST(gemini_expands_exactly)
{
	is_argv("gemini", AGENT_ARGV_SPAWN, &full,
	        "gemini|-p|do it|--output-format|stream-json|--yolo|--skip-trust|-m|m1");
	is_argv("gemini", AGENT_ARGV_RESUME, &full,
	        "gemini|-p|do it|--resume|S1|--output-format|stream-json|--yolo|--skip-trust|-m|m1");
}
END_TEST

START_TEST(copilot_and_qwen_expand_exactly)
{
	is_argv("copilot", AGENT_ARGV_SPAWN, &full,
	        "copilot|-p|do it|--allow-all-tools|--output-format|json|--model|m1");
	is_argv("copilot", AGENT_ARGV_RESUME, &full,
	        "copilot|--resume|S1|-p|do it|--allow-all-tools|--output-format|json|--model|m1");
	is_argv("qwen", AGENT_ARGV_SPAWN, &full,
	        "qwen|do it|--yolo|--output-format|stream-json|-m|m1");
	is_argv("qwen", AGENT_ARGV_RESUME, &full,
	        "qwen|--resume|S1|do it|--yolo|--output-format|stream-json|-m|m1");
	/* the prompt on standard input: qwen reads it there */
	is_argv("qwen", AGENT_ARGV_SPAWN, &(struct agent_vars){ 0 },
	        "qwen|--yolo|--output-format|stream-json");
}
END_TEST

/* Droid's prompt is an operand or standard input; -s resumes (with a
 * Factory login only). */
START_TEST(droid_expands_exactly)
{
	is_argv("droid", AGENT_ARGV_SPAWN, &full,
	        "droid|exec|--auto|high|-o|stream-json|-m|m1|do it");
	is_argv("droid", AGENT_ARGV_SPAWN, &(struct agent_vars){ 0 },
	        "droid|exec|--auto|high|-o|stream-json");
	is_argv("droid", AGENT_ARGV_RESUME, &full,
	        "droid|exec|--auto|high|-o|stream-json|-m|m1|-s|S1|do it");
}
END_TEST

START_TEST(replay_expands_exactly)
{
	is_argv("replay", AGENT_ARGV_SPAWN, &(struct agent_vars){ .model = "/r/x.log" },
	        "agent-replay|-x|4|/r/x.log");
	is_argv("replay", AGENT_ARGV_RESUME, &(struct agent_vars){ .model = "/r/x.log", .session = "S1", .prompt = "go on" },
	        "agent-replay|-x|4|-p|go on|-R|S1|/r/x.log");
}
END_TEST

START_TEST(prompt_left_out_goes_by_stdin)
{
	/* With the prompt on stdin the spawn template drops {prompt}. */
	is_argv("claude", AGENT_ARGV_SPAWN, &(struct agent_vars){ 0 },
	        "claude|-p|--output-format|stream-json|--verbose|--permission-mode|bypassPermissions");
	is_argv("codex", AGENT_ARGV_SPAWN, &(struct agent_vars){ 0 },
	        "codex|exec|--json|--skip-git-repo-check|--dangerously-bypass-approvals-and-sandbox");
}
END_TEST

START_TEST(presets_report_dialect_env_and_prompt_way)
{
	struct agent_conf *c = agent_conf_load(NULL, NULL);
	ck_assert_ptr_nonnull(c);
	static const char *const want[][2] = {
		{ "opencode", "opencode-json" }, { "omo", "omo" },
		{ "claude", "claude-stream" }, { "codex", "codex-json" },
		{ "gemini", "gemini-stream" }, { "droid", "droid-stream" },
	};
	for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
		const struct agent_preset *p = agent_conf_get(c, want[i][0]);
		ck_assert_ptr_nonnull(p);
		ck_assert_str_eq(agent_preset_dialect(p), want[i][1]);
		ck_assert_str_eq(agent_preset_name(p), want[i][0]);
		ck_assert_int_eq(agent_preset_prompt_via(p), AGENT_PROMPT_ARG);
		ck_assert_int_eq(agent_preset_can_resume(p), 1);
		ck_assert_int_eq(agent_preset_is_profile(p), 0);
	}
	/* The replay agent's dialect is its recording's: detected. */
	ck_assert_ptr_null(agent_preset_dialect(agent_conf_get(c, "replay")));
	ck_assert_int_eq(agent_preset_long_prompt(agent_conf_get(c, "omo")), AGENT_PROMPT_ARG);
	ck_assert_int_eq(agent_preset_long_prompt(agent_conf_get(c, "claude")), AGENT_PROMPT_STDIN);

	const char *const *env = agent_preset_env(agent_conf_get(c, "omo"));
	int posthog = 0, telemetry = 0;
	for (; *env; env++) {
		posthog |= strcmp(*env, "OMO_DISABLE_POSTHOG=1") == 0;
		telemetry |= strcmp(*env, "OMO_SEND_ANONYMOUS_TELEMETRY=0") == 0;
	}
	ck_assert(posthog && telemetry);
	/* Kilo's PostHog telemetry is on unless the level says otherwise */
	telemetry = 0;
	for (env = agent_preset_env(agent_conf_get(c, "kilo")); *env; env++)
		telemetry |= strcmp(*env, "KILO_TELEMETRY_LEVEL=off") == 0;
	ck_assert(telemetry);
	env = agent_preset_env(agent_conf_get(c, "claude"));
	ck_assert_ptr_nonnull(env[0]);
	ck_assert_str_eq(env[0], "DISABLE_AUTOUPDATER=1");
	ck_assert_ptr_null(agent_preset_env(agent_conf_get(c, "codex"))[0]);
	ck_assert_ptr_null(agent_conf_get(c, "nosuch"));
	agent_conf_free(c);
}
END_TEST

START_TEST(a_value_stays_one_element)
{
	struct agent_vars v = {
		.prompt = "it's \"quoted\"; rm -rf / && echo $HOME `id` *",
		.model = "a model with spaces",
	};
	struct agent_conf *c = agent_conf_load(NULL, NULL);
	char **argv = agent_preset_argv(agent_conf_get(c, "claude"), AGENT_ARGV_SPAWN, &v);
	ck_assert_ptr_nonnull(argv);
	ck_assert_str_eq(argv[0], "claude");
	ck_assert_str_eq(argv[1], "-p");
	ck_assert_str_eq(argv[2], v.prompt);
	ck_assert_str_eq(argv[8], "--model");
	ck_assert_str_eq(argv[9], "a model with spaces");
	ck_assert_ptr_null(argv[10]);
	agent_argv_free(argv);
	agent_conf_free(c);
}
END_TEST

START_TEST(empty_field_drops_its_group)
{
	is_argv("opencode", AGENT_ARGV_SPAWN,
	        &(struct agent_vars){ .prompt = "x", .model = "", .agent_name = "" },
	        "opencode|run|--format|json|x");
}
END_TEST

START_TEST(resume_without_session_is_einval)
{
	const char *names[] = { "opencode", "omo", "claude", "codex", "gemini", "droid", "replay" };
	struct agent_conf *c = agent_conf_load(NULL, NULL);
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
		errno = 0;
		ck_assert_ptr_null(agent_preset_argv(agent_conf_get(c, names[i]), AGENT_ARGV_RESUME,
		                   &(struct agent_vars){ .prompt = "x", .model = "m" }));
		ck_assert_int_eq(errno, EINVAL);
		errno = 0;
		ck_assert_ptr_null(agent_preset_argv(agent_conf_get(c, names[i]), AGENT_ARGV_RESUME,
		                   &(struct agent_vars){ .prompt = "x", .model = "m", .session = "" }));
		ck_assert_int_eq(errno, EINVAL);
	}
	/* omo needs its prompt: it has no other way to get it. */
	errno = 0;
	ck_assert_ptr_null(agent_preset_argv(agent_conf_get(c, "omo"), AGENT_ARGV_SPAWN, &(struct agent_vars){ 0 }));
	ck_assert_int_eq(errno, EINVAL);
	agent_conf_free(c);
}
END_TEST

START_TEST(missing_names_the_field_outside_optional_groups)
{
	const char *names[] = { "opencode", "omo", "claude", "codex", "gemini", "droid", "replay" };
	struct agent_conf *c = agent_conf_load(NULL, NULL);
	const struct agent_vars none = { 0 }, full = { .prompt = "x", .model = "m", .session = "s" };
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
		const struct agent_preset *p = agent_conf_get(c, names[i]);
		ck_assert_str_eq(agent_preset_missing(p, AGENT_ARGV_RESUME,
		                 &(struct agent_vars){ .prompt = "x", .model = "m" }), "session");
		ck_assert_ptr_null(agent_preset_missing(p, AGENT_ARGV_RESUME, &full));
		ck_assert_ptr_null(agent_preset_missing(p, AGENT_ARGV_SPAWN, &full));
	}
	/* replay's model is a plain word; its prompt sits in a group */
	ck_assert_str_eq(agent_preset_missing(agent_conf_get(c, "replay"), AGENT_ARGV_SPAWN,
	                 &(struct agent_vars){ .prompt = "x" }), "model");
	ck_assert_ptr_null(agent_preset_missing(agent_conf_get(c, "replay"), AGENT_ARGV_SPAWN,
	                   &(struct agent_vars){ .model = "m" }));
	/* an empty value is as missing as none */
	ck_assert_str_eq(agent_preset_missing(agent_conf_get(c, "replay"), AGENT_ARGV_SPAWN,
	                 &(struct agent_vars){ .model = "" }), "model");
	ck_assert_str_eq(agent_preset_missing(agent_conf_get(c, "omo"), AGENT_ARGV_SPAWN, &none), "prompt");
	agent_conf_free(c);
}
END_TEST

START_TEST(profiles_resolve_to_presets_with_defaults)
{
	struct agent_conf *c = agent_conf_load(NULL, NULL);
	const struct agent_preset *p = agent_conf_get(c, "deep");
	ck_assert_ptr_nonnull(p);
	ck_assert_int_eq(agent_preset_is_profile(p), 1);
	ck_assert_str_eq(agent_preset_key(p), "deep");
	ck_assert_str_eq(agent_preset_name(p), "omo");
	ck_assert_str_eq(agent_preset_dialect(p), "omo");
	ck_assert_str_eq(agent_preset_agent_name(p), "Hephaestus");
	ck_assert_ptr_null(agent_preset_model(p));
	agent_conf_free(c);
	is_argv("deep", AGENT_ARGV_SPAWN, &(struct agent_vars){ .prompt = "p", .dir = "/d" },
	        "npx|oh-my-opencode|run|--agent|Hephaestus|--directory|/d|p");
	/* The caller's values win over the profile's. */
	is_argv("deep", AGENT_ARGV_SPAWN, &(struct agent_vars){ .prompt = "p", .agent_name = "Sisyphus" },
	        "npx|oh-my-opencode|run|--agent|Sisyphus|p");
	is_argv("fast", AGENT_ARGV_SPAWN, &bare,
	        "opencode|run|--format|json|-m|anthropic/claude-haiku-4-5|do it");
	is_argv("debug", AGENT_ARGV_RESUME, &(struct agent_vars){ .prompt = "p", .session = "S" },
	        "claude|-p|p|--resume|S|--output-format|stream-json|--verbose|--permission-mode|bypassPermissions|--model|opus");
	is_argv("plan", AGENT_ARGV_SPAWN, &bare, "npx|oh-my-opencode|run|--agent|Prometheus|do it");
	/* pi: -p is a flag, the prompt its own argument; no prompt: stdin */
	is_argv("pi", AGENT_ARGV_SPAWN, &bare, "pi|--mode|json|-p|do it");
	is_argv("pi", AGENT_ARGV_RESUME, &(struct agent_vars){ .prompt = "p", .session = "S",
	        .model = "fake-model" }, "pi|--mode|json|--model|fake-model|--session|S|-p|p");
	is_argv("pi", AGENT_ARGV_SPAWN, &(struct agent_vars){ 0 }, "pi|--mode|json|-p");
	is_argv("cline", AGENT_ARGV_SPAWN, &(struct agent_vars){ .prompt = "p", .model = "m" },
	        "cline|--json|--auto-approve|true|-m|m|p");
	is_argv("kilo", AGENT_ARGV_SPAWN, &bare, "kilo|run|--format|json|--auto|do it");
	is_argv("kilo", AGENT_ARGV_RESUME, &(struct agent_vars){ .prompt = "p", .session = "S",
	        .model = "fake/fake-model" },
	        "kilo|run|--format|json|--auto|-m|fake/fake-model|--session|S|p");
}
END_TEST

START_TEST(names_list_every_preset_and_profile)
{
	struct agent_conf *c = agent_conf_load(NULL, NULL);
	const char *names[32];
	size_t n = agent_conf_names(c, names, 32);
	ck_assert_uint_eq(n, 16);
	ck_assert_str_eq(names[0], "opencode");
	ck_assert_str_eq(names[5], "pi");
	ck_assert_str_eq(names[6], "cline");
	ck_assert_str_eq(names[7], "copilot");
	ck_assert_str_eq(names[8], "qwen");
	ck_assert_str_eq(names[9], "droid");
	ck_assert_str_eq(names[10], "kilo");
	ck_assert_str_eq(names[11], "replay");
	ck_assert_str_eq(names[12], "deep");
	ck_assert_uint_eq(agent_conf_names(c, names, 2), 16);
	agent_conf_free(c);
}
END_TEST

START_TEST(config_overrides_and_extends)
{
	write_conf("# my agents\n"
	           "[preset claude]\n"
	           "  env = DISABLE_TELEMETRY\n"
	           "env = ANTHROPIC_BASE_URL=http://127.0.0.1:9\n"
	           "model = sonnet\n"
	           "\n"
	           "[preset aider]\n"
	           "spawn = aider --yes-always [--model {model}] --message {prompt} --cwd\\ dir={dir} \\[x\\]\n"
	           "dialect = generic\n"
	           "[profile fast]\n"
	           "agent = claude\n"
	           "model = haiku\n"
	           "[profile review]\n"
	           "agent = aider\n"
	           "agent-name = reviewer\n");
	/* Found through XDG_CONFIG_HOME/agentutils/agents.conf. */
	char dir[128], path[160];
	snprintf(dir, sizeof dir, "%s/agentutils", tmpdir);
	ck_assert_int_eq(mkdir(dir, 0700), 0);
	snprintf(path, sizeof path, "%s/agents.conf", dir);
	char old[128];
	snprintf(old, sizeof old, "%s/agents.conf", tmpdir);
	ck_assert_int_eq(rename(old, path), 0);

	struct agent_conf_err e;
	struct agent_conf *c = agent_conf_load(NULL, &e);
	ck_assert_msg(c != NULL, "%s:%d: %s", e.file, e.line, e.msg);
	const struct agent_preset *p = agent_conf_get(c, "claude");
	const char *const *env = agent_preset_env(p);
	ck_assert_str_eq(env[0], "DISABLE_AUTOUPDATER=1");
	ck_assert_str_eq(env[1], "CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC=1");
	ck_assert_str_eq(env[2], "ANTHROPIC_BASE_URL=http://127.0.0.1:9");
	ck_assert_ptr_null(env[3]);
	ck_assert_str_eq(agent_preset_model(p), "sonnet");
	/* The rest of the built-in is kept. */
	ck_assert_str_eq(agent_preset_dialect(p), "claude-stream");
	ck_assert_int_eq(agent_preset_can_resume(p), 1);

	p = agent_conf_get(c, "aider");
	ck_assert_ptr_nonnull(p);
	ck_assert_int_eq(agent_preset_can_resume(p), 0);
	errno = 0;
	ck_assert_ptr_null(agent_preset_argv(p, AGENT_ARGV_RESUME, &full));
	ck_assert_int_eq(errno, ENOTSUP);
	char **argv = agent_preset_argv(p, AGENT_ARGV_SPAWN, &full);
	ck_assert_ptr_nonnull(argv);
	ck_assert_str_eq(join(argv), "aider|--yes-always|--model|m1|--message|do it|--cwd dir=/repo|[x]");
	agent_argv_free(argv);

	p = agent_conf_get(c, "fast");
	ck_assert_str_eq(agent_preset_name(p), "claude");
	ck_assert_str_eq(agent_preset_model(p), "haiku");
	p = agent_conf_get(c, "review");
	ck_assert_str_eq(agent_preset_name(p), "aider");
	ck_assert_str_eq(agent_preset_agent_name(p), "reviewer");
	ck_assert_ptr_null(agent_preset_model(p));
	agent_conf_free(c);
}
END_TEST

START_TEST(explicit_path_is_read_and_must_exist)
{
	const char *path = write_conf("[profile quick]\nagent = codex\nmodel = gpt-5.5-mini\n");
	struct agent_conf *c = agent_conf_load(path, NULL);
	ck_assert_ptr_nonnull(c);
	ck_assert_str_eq(agent_preset_model(agent_conf_get(c, "quick")), "gpt-5.5-mini");
	agent_conf_free(c);

	struct agent_conf_err e;
	char missing[128];
	snprintf(missing, sizeof missing, "%s/nope.conf", tmpdir);
	errno = 0;
	ck_assert_ptr_null(agent_conf_load(missing, &e));
	ck_assert_int_eq(errno, ENOENT);
	ck_assert_str_eq(e.file, missing);
	ck_assert_int_eq(e.line, 0);
}
END_TEST

START_TEST(profile_can_be_replaced_by_a_preset)
{
	const char *path = write_conf("[preset deep]\nspawn = mytool {prompt}\n");
	struct agent_conf *c = agent_conf_load(path, NULL);
	ck_assert_ptr_nonnull(c);
	const struct agent_preset *p = agent_conf_get(c, "deep");
	ck_assert_int_eq(agent_preset_is_profile(p), 0);
	ck_assert_ptr_null(agent_preset_dialect(p));
	agent_conf_free(c);
}
END_TEST

/* A file changes its own conf, never the built-ins the next load starts
 * from (they are parsed once per process and shared). */
START_TEST(a_file_leaves_the_builtins_as_they_were)
{
	const char *path = write_conf("[preset claude]\nmodel = sonnet\nenv = X=1\n"
	                              "spawn = myclaude {prompt}\nsandbox-rw =\n"
	                              "[preset omo]\nspawn = myomo [--agent {agent_name}] {prompt}\n"
	                              "[profile codex]\nagent = claude\n");
	struct agent_conf *c = agent_conf_load(path, NULL), *plain;
	const struct agent_preset *p;
	const char *names[32];
	char **argv;

	ck_assert_ptr_nonnull(c);
	/* a built-in profile follows the file's preset of that name */
	argv = agent_preset_argv(agent_conf_get(c, "deep"), AGENT_ARGV_SPAWN, &bare);
	ck_assert_ptr_nonnull(argv);
	ck_assert_str_eq(join(argv), "myomo|--agent|Hephaestus|do it");
	agent_argv_free(argv);
	ck_assert_int_eq(agent_preset_is_profile(agent_conf_get(c, "codex")), 1);
	/* changed in place: the list keeps its order */
	ck_assert_uint_eq(agent_conf_names(c, names, 32), 16);
	ck_assert_str_eq(names[2], "claude");
	ck_assert_str_eq(names[15], "codex");

	ck_assert_ptr_nonnull(plain = agent_conf_load("/dev/null", NULL));
	p = agent_conf_get(plain, "claude");
	ck_assert_ptr_null(agent_preset_model(p));
	ck_assert_str_eq(agent_preset_env(p)[0], "DISABLE_AUTOUPDATER=1");
	ck_assert_str_eq(agent_preset_sandbox_rw(p)[1], "~/.claude.json");
	ck_assert_int_eq(agent_preset_is_profile(agent_conf_get(plain, "codex")), 0);
	agent_conf_free(c);
	/* the file's conf gone, the plain one is whole */
	argv = agent_preset_argv(agent_conf_get(plain, "deep"), AGENT_ARGV_SPAWN, &bare);
	ck_assert_ptr_nonnull(argv);
	ck_assert_str_eq(join(argv), "npx|oh-my-opencode|run|--agent|Hephaestus|do it");
	agent_argv_free(argv);
	argv = agent_preset_argv(agent_conf_get(plain, "claude"), AGENT_ARGV_SPAWN, &bare);
	ck_assert_ptr_nonnull(argv);
	ck_assert_str_eq(join(argv), "claude|-p|do it|--output-format|stream-json|--verbose|"
	                 "--permission-mode|bypassPermissions");
	agent_argv_free(argv);
	agent_conf_free(plain);
}
END_TEST

START_TEST(sandbox_keys_of_presets_and_profiles)
{
	const char *path = write_conf(
		"[preset claude]\nsandbox = yes\nsandbox-rw = /opt/cache/\n"
		"[preset bare]\nspawn = x {prompt}\nsandbox-rw = /a/\nsandbox-rw = /a/\nsandbox-rw =\n"
		"[profile loose]\nagent = claude\nsandbox = no\n"
		"[profile tight]\nagent = codex\nsandbox = yes\n");
	struct agent_conf *c = agent_conf_load(path, NULL);
	const char *const *rw;
	size_t n;

	ck_assert_ptr_nonnull(c);
	ck_assert_int_eq(agent_preset_sandbox(agent_conf_get(c, "claude")), 1);
	/* a key added to a built-in preset adds to its list */
	rw = agent_preset_sandbox_rw(agent_conf_get(c, "claude"));
	for (n = 0; rw[n]; n++)
		;
	ck_assert_int_eq(n, 3);
	ck_assert_str_eq(rw[2], "/opt/cache/");
	/* an empty value empties the list */
	ck_assert_ptr_null(agent_preset_sandbox_rw(agent_conf_get(c, "bare"))[0]);
	ck_assert_int_eq(agent_preset_sandbox(agent_conf_get(c, "bare")), 0);
	/* a profile's own setting wins, else its preset's; its list is its preset's */
	ck_assert_int_eq(agent_preset_sandbox(agent_conf_get(c, "loose")), 0);
	ck_assert_int_eq(agent_preset_sandbox(agent_conf_get(c, "tight")), 1);
	ck_assert_int_eq(agent_preset_sandbox(agent_conf_get(c, "debug")), 1);
	ck_assert_str_eq(agent_preset_sandbox_rw(agent_conf_get(c, "tight"))[0],
	                 "${CODEX_HOME:-~/.codex}/");
	agent_conf_free(c);
}
END_TEST

/* Every parse error, with the line it is reported on. */
static const struct { const char *text; int line; const char *msg; } bad[] = {
	{ "spawn = x {prompt}\n", 1, "outside a [preset]" },
	{ "\n[preset a\n", 2, "without ']'" },
	{ "[preset]\n", 1, "needs a kind and a name" },
	{ "[agent a]\n", 1, "unknown section kind 'agent'" },
	{ "[preset a/b]\n", 1, "bad name 'a/b'" },
	{ "[preset a]\nspawn x\n", 2, "expected 'key = value'" },
	{ "[preset a]\n = x\n", 2, "missing key" },
	{ "[preset a]\nspawn = x {prompt}\ncolour = red\n", 3, "unknown key 'colour'" },
	{ "[profile p]\nagent = claude\nspawn = x\n", 3, "unknown key 'spawn' in a profile" },
	{ "[preset a]\nspawn = x {prompt}\ndialect = cobol\n", 3, "unknown dialect 'cobol'" },
	{ "[preset a]\nspawn = x {prompt}\nprompt = pigeon\n", 3, "prompt must be arg, stdin or file" },
	{ "[preset a]\nspawn = x {prompt}\nlong-prompt = arg\n", 3, "long-prompt must be" },
	{ "[preset a]\nspawn = x {prompt}\nenv = =1\n", 3, "env needs NAME=VALUE" },
	{ "[preset a]\nspawn = x {prompt}\nenv = A-B=1\n", 3, "bad environment variable name" },
	{ "[preset a]\nspawn = x {promt}\n", 2, "unknown field {promt}" },
	{ "[preset a]\nspawn = x {prompt\n", 2, "unterminated '{'" },
	{ "[preset a]\nspawn = x } {prompt}\n", 2, "'}' without '{'" },
	{ "[preset a]\nspawn = x [-m [{model}]] {prompt}\n", 2, "nested optional group" },
	{ "[preset a]\nspawn = x -m {model}] {prompt}\n", 2, "']' without '['" },
	{ "[preset a]\nspawn = x [-m {model} {prompt}\n", 2, "'[' without ']'" },
	{ "[preset a]\nspawn = x [-v] {prompt}\n", 2, "optional group without a field" },
	{ "[preset a]\nspawn = x a]b {prompt}\n", 2, "']' inside a word" },
	{ "[preset a]\nspawn = x a[b {prompt}\n", 2, "'[' inside a word" },
	{ "[preset a]\nspawn = x {prompt} \\\n", 2, "backslash at the end" },
	{ "[preset a]\nspawn = x\t\001 {prompt}\n", 2, "control character" },
	{ "[preset a]\nspawn =\n", 2, "empty spawn template" },
	{ "[preset a]\ndialect = omo\n\n[preset b]\n", 1, "preset a has no 'spawn ='" },
	{ "[preset a]\nspawn = x\n", 1, "has no {prompt}" },
	{ "[preset a]\nspawn = x {prompt}\nprompt = file\n", 1, "has no {prompt_file}" },
	{ "[preset a]\nspawn = x {prompt}\nlong-prompt = file\n", 1, "'long-prompt = file'" },
	{ "[preset a]\nspawn = x {prompt}\nresume = x [--s {session}] {prompt}\n", 1, "needs {session} outside" },
	{ "[preset a]\nspawn = x {prompt}\nresume = x {prompt}\n", 1, "needs {session}" },
	{ "[profile p]\nmodel = m\n", 1, "profile p has no 'agent ='" },
	{ "# c\n[profile p]\nagent = nosuch\n", 2, "no such preset 'nosuch'" },
	{ "[profile p]\nagent = deep\n", 1, "agent names another profile 'deep'" },
	{ "[profile p]\nagent = a b\n", 2, "agent needs a preset name" },
	{ "[preset a]\nspawn = x {prompt}\n[profile a]\nagent = claude\n", 3, "a is already a preset (line 1)" },
	{ "[preset claude]\nspawn = claude\n", 1, "preset claude: 'prompt = arg'" },
	{ "[preset a]\nspawn = x {prompt}\nsandbox = maybe\n", 3, "sandbox must be yes or no" },
	{ "[profile p]\nagent = claude\nsandbox = 1\n", 3, "sandbox must be yes or no" },
	{ "[preset a]\nspawn = x {prompt}\nsandbox-rw = rel/x\n", 3, "sandbox-rw needs an absolute path" },
	{ "[preset a]\nspawn = x {prompt}\nsandbox-rw = ${A:-rel}/x\n", 3, "sandbox-rw needs an absolute path" },
	{ "[profile p]\nagent = claude\nsandbox-rw = /x\n", 3, "unknown key 'sandbox-rw' in a profile" },
};

START_TEST(parse_errors_name_their_line)
{
	struct agent_conf_err e;
	const char *path = write_conf(bad[_i].text);
	errno = 0;
	struct agent_conf *c = agent_conf_load(path, &e);
	ck_assert_msg(c == NULL, "case %d loaded", _i);
	ck_assert_int_eq(errno, EINVAL);
	ck_assert_str_eq(e.file, path);
	ck_assert_msg(e.line == bad[_i].line, "case %d: line %d, want %d (%s)", _i, e.line, bad[_i].line, e.msg);
	ck_assert_msg(strstr(e.msg, bad[_i].msg) != NULL, "case %d: message '%s' lacks '%s'", _i, e.msg, bad[_i].msg);
}
END_TEST

START_TEST(nul_byte_is_an_error)
{
	char path[128];
	snprintf(path, sizeof path, "%s/nul.conf", tmpdir);
	FILE *f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	ck_assert_uint_eq(fwrite("# ok\n[preset a\0]\n", 1, 17, f), 17);
	ck_assert_int_eq(fclose(f), 0);
	struct agent_conf_err e;
	ck_assert_ptr_null(agent_conf_load(path, &e));
	ck_assert_int_eq(e.line, 2);
	ck_assert_str_eq(e.msg, "NUL byte in line");
}
END_TEST

/* agents.conf(5) lists the built-in presets and profiles: its listing is
 * the table that runs, comments aside, line for line. */
START_TEST(the_manual_lists_the_builtin_table_as_it_is)
{
	const char *b = agent_conf_builtin(), *nl;
	char *line = NULL, *want = NULL, *got = NULL;
	size_t cap = 0, wlen = 0, glen = 0;
	FILE *page, *w, *g;
	int in = 0;
	ssize_t n;

	page = fopen(FIXTURES "/../../man/agents.conf.5", "r");
	ck_assert_ptr_nonnull(page);
	ck_assert_ptr_nonnull(w = open_memstream(&want, &wlen));
	ck_assert_ptr_nonnull(g = open_memstream(&got, &glen));
	for (; *b; b = nl + 1) {
		ck_assert_ptr_nonnull(nl = strchr(b, '\n'));
		if (*b != '#')
			fprintf(w, "%.*s\n", (int)(nl - b), b);
	}
	while ((n = getline(&line, &cap, page)) > 0) {
		if (!strcmp(line, ".Ss Built-in presets and profiles\n")) {
			in = 1;
			continue;
		}
		if (in == 1 && !strcmp(line, ".Bd -literal\n")) {
			in = 2;
			continue;
		}
		if (in == 2 && !strcmp(line, ".Ed\n"))
			break;
		if (in == 2) {
			/* mdoc's escapes: \e is a backslash, \& nothing */
			for (char *p = line; *p; p++) {
				if (p[0] == '\\' && p[1] == 'e')
					fputc('\\', g), p++;
				else if (p[0] == '\\' && p[1] == '&')
					p++;
				else
					fputc(*p, g);
			}
		}
	}
	free(line);
	fclose(page);
	fclose(w);
	fclose(g);
	ck_assert_int_eq(in, 2);
	/* the first line that differs, not the whole text (Check's message
	 * would not hold it) */
	size_t i = 0, from = 0;
	while (got[i] && got[i] == want[i])
		if (got[i++] == '\n')
			from = i;
	char *gl = strndup(got + from, strcspn(got + from, "\n"));
	char *wl = strndup(want + from, strcspn(want + from, "\n"));
	ck_assert_str_eq(gl, wl);
	ck_assert_msg(strcmp(got, want) == 0, "one of the two ends early");
	free(gl);
	free(wl);
	free(want);
	free(got);
}
END_TEST

static Suite *
preset_suite(void)
{
	Suite *s = suite_create("preset");
	TCase *tc = tcase_create("presets");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, opencode_expands_exactly);
	tcase_add_test(tc, omo_expands_exactly);
	tcase_add_test(tc, resume_dialect_is_the_dialect_unless_given);
	tcase_add_test(tc, claude_expands_exactly);
	tcase_add_test(tc, codex_expands_exactly);
	tcase_add_test(tc, gemini_expands_exactly);
	tcase_add_test(tc, copilot_and_qwen_expand_exactly);
	tcase_add_test(tc, droid_expands_exactly);
	tcase_add_test(tc, replay_expands_exactly);
	tcase_add_test(tc, prompt_left_out_goes_by_stdin);
	tcase_add_test(tc, presets_report_dialect_env_and_prompt_way);
	tcase_add_test(tc, a_value_stays_one_element);
	tcase_add_test(tc, empty_field_drops_its_group);
	tcase_add_test(tc, resume_without_session_is_einval);
	tcase_add_test(tc, missing_names_the_field_outside_optional_groups);
	tcase_add_test(tc, profiles_resolve_to_presets_with_defaults);
	tcase_add_test(tc, names_list_every_preset_and_profile);
	suite_add_tcase(s, tc);
	tc = tcase_create("config");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, config_overrides_and_extends);
	tcase_add_test(tc, explicit_path_is_read_and_must_exist);
	tcase_add_test(tc, profile_can_be_replaced_by_a_preset);
	tcase_add_test(tc, a_file_leaves_the_builtins_as_they_were);
	tcase_add_loop_test(tc, parse_errors_name_their_line, 0, (int)(sizeof bad / sizeof *bad));
	tcase_add_test(tc, nul_byte_is_an_error);
	tcase_add_test(tc, the_manual_lists_the_builtin_table_as_it_is);
	tcase_add_test(tc, sandbox_keys_of_presets_and_profiles);
	suite_add_tcase(s, tc);
	return s;
}

CHECK_MAIN(preset_suite)
