/* fuzz_conf.c — libFuzzer harness for agents.conf(5): the parser (sections,
 * keys, env, the argv templates with their optional groups) after the
 * built-ins, then every preset's and profile's spawn and resume argv with
 * all fields, none, and empty ones.  The input reaches agent_conf_load as
 * a file through one memfd made once, so an input costs no file system;
 * the built-ins it starts from are parsed once per process (preset.c), so
 * an input costs its own parse.  Only the presets the input names are
 * expanded. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include "preset.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const struct agent_vars vars[] = {
	{ .prompt = "p", .prompt_file = "/p", .dir = "/d", .model = "m",
	  .agent_name = "A", .session = "S" },
	{ 0 },
	{ .prompt = "", .prompt_file = "", .dir = "", .model = "", .agent_name = "",
	  .session = "" },
	{ .prompt_file = "/p", .session = "S" },
};

static void
expand(const struct agent_preset *p)
{
	char **av;
	size_t v;
	int w;

	(void)agent_preset_name(p);
	(void)agent_preset_dialect(p);
	(void)agent_preset_resume_dialect(p);
	(void)agent_preset_prompt_via(p);
	(void)agent_preset_long_prompt(p);
	(void)agent_preset_model(p);
	(void)agent_preset_agent_name(p);
	(void)agent_preset_can_resume(p);
	for (const char *const *e = agent_preset_env(p); e && *e; e++)
		if (!strchr(*e, '='))
			abort();   /* the parser promised NAME=VALUE */
	for (w = AGENT_ARGV_SPAWN; w <= AGENT_ARGV_RESUME; w++)
		for (v = 0; v < sizeof vars / sizeof *vars; v++) {
			(void)agent_preset_missing(p, w, &vars[v]);
			if ((av = agent_preset_argv(p, w, &vars[v])) != NULL) {
				if (!av[0])
					abort();   /* an argv always has a command */
				agent_argv_free(av);
			}
		}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char path[64];
	static int fd = -1;
	struct agent_conf_err err;
	struct agent_conf *c;
	const char *names[256];
	size_t n, i;

	if (fd < 0) {
		if ((fd = memfd_create("agents.conf", MFD_CLOEXEC)) < 0)
			abort();
		snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
	}
	if (ftruncate(fd, 0) < 0 || pwrite(fd, data, size, 0) != (ssize_t)size)
		abort();
	if (!(c = agent_conf_load(path, &err)))
		return 0;
	/* the input's own presets and profiles (and built-ins it names):
	 * expanding all eleven built-ins every time would be most of the
	 * cost and the same work every time */
	n = agent_conf_names(c, names, sizeof names / sizeof *names);
	for (i = 0; i < n && i < sizeof names / sizeof *names; i++)
		if (memmem(data, size, names[i], strlen(names[i])))
			expand(agent_conf_get(c, names[i]));
	agent_conf_free(c);
	return 0;
}
