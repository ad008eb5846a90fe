/* agent-session-id — print the agent's session id from a run or a log,
 * reading only as far as the first id (all of it with -a). */
#include <err.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "agent.h"
#include "tool.h"

const char tool_usage[] = "usage: agent-session-id [-a] [-D dialect] [run | log | -]";

static int
print_id(const char *id, void *arg)
{
	int *n = arg;
	(*n)++;
	if (agent_vis_write(stdout, id, strlen(id), 0) < 0 || putchar('\n') == EOF)
		return -1;
	return 0;
}

int
main(int argc, char *argv[])
{
	struct agent_input in;
	char id[128], *host;
	const char *rid;
	int c, all = 0, force = -1, n = 0, r;
	struct tool_args fwd = { NULL, 0 };

	while ((c = getopt(argc, argv, "aD:R:h")) != -1) {
		if (c != 'R' && c != 'h' && c != '?')
			tool_args_opt(&fwd, c, optarg);
		switch (c) {
		case 'a':
			all = 1;
			break;
		case 'D':
			force = tool_dialect(optarg);
			break;
		case 'R':
			tool_remote_serve(optarg);
			break;
		case 'h':
			usage(AGENT_EXIT_OK);
		default:
			usage(AGENT_EXIT_USAGE);
		}
	}
	if (argc - optind > 1)
		usage(AGENT_EXIT_USAGE);
	if (tool_remote_operand(argv[optind], &host, &rid)) {
		struct tool_rcall rc = { 0 };
		struct tool_args a = { NULL, 0 };
		tool_args_add(&a, "agent-session-id");
		for (size_t k = 0; k < fwd.n; k++)
			tool_args_add(&a, fwd.v[k]);
		tool_args_add(&a, "--");
		tool_args_add(&a, rid);
		rc.host = host;
		rc.cmd = a.v;
		rc.offset = -1;
		r = tool_remote(&rc, 0);
		tool_rcall_free(&rc);
		tool_args_free(&fwd);
		free(host);
		return r;
	}
	tool_args_free(&fwd);
	tool_input_open(&in, argv[optind], force);
	if (all) {
		r = agent_input_sessions(&in, print_id, &n);
	} else {
		r = agent_input_session(&in, -1, id, sizeof id);
		if (r > 0 && print_id(id, &n) < 0)
			r = -1;
	}
	if (r < 0)
		err(AGENT_EXIT_IOERR, "%s", in.name);
	agent_input_close(&in);
	tool_flush();
	return n > 0 ? AGENT_EXIT_OK : AGENT_EXIT_FAILED;
}
