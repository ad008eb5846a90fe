/* tools.c — what a tool does, from any agent's name for it: the one table
 * of tool kinds.  Names are matched without regard to case (claude's
 * "Read" is opencode's "read"), so a tool one agent's format shows under
 * another agent's name (oh-my-opencode's delegate_task in opencode --format
 * json) has the same kind everywhere. */
#include <stddef.h>
#include <strings.h>
#include "rules.h"

static const struct {
	const char *name;
	enum agent_tool_kind kind;
} kinds[] = {
	/* claude */
	{ "Read", AGENT_TK_READ }, { "Write", AGENT_TK_WRITE },
	{ "Edit", AGENT_TK_EDIT }, { "MultiEdit", AGENT_TK_EDIT },
	{ "NotebookEdit", AGENT_TK_EDIT }, { "Bash", AGENT_TK_SHELL },
	{ "Glob", AGENT_TK_SEARCH }, { "Grep", AGENT_TK_SEARCH },
	{ "LS", AGENT_TK_SEARCH }, { "WebFetch", AGENT_TK_FETCH },
	{ "WebSearch", AGENT_TK_FETCH }, { "Task", AGENT_TK_TASK },
	{ "Agent", AGENT_TK_TASK }, { "TodoWrite", AGENT_TK_TODO },
	/* opencode (those claude's names do not cover) */
	{ "patch", AGENT_TK_EDIT }, { "apply_patch", AGENT_TK_EDIT },
	{ "list", AGENT_TK_SEARCH }, { "codesearch", AGENT_TK_SEARCH },
	{ "todoread", AGENT_TK_TODO },
	/* oh-my-opencode's own */
	{ "shell", AGENT_TK_SHELL }, { "exec_command", AGENT_TK_SHELL },
	{ "interactive_bash", AGENT_TK_SHELL }, { "ast_grep_search", AGENT_TK_SEARCH },
	{ "call_omo_agent", AGENT_TK_TASK }, { "delegate_task", AGENT_TK_TASK },
	/* gemini */
	{ "read_file", AGENT_TK_READ }, { "read_many_files", AGENT_TK_READ },
	{ "write_file", AGENT_TK_WRITE }, { "replace", AGENT_TK_EDIT },
	{ "run_shell_command", AGENT_TK_SHELL },
	{ "list_directory", AGENT_TK_SEARCH }, { "grep_search", AGENT_TK_SEARCH },
	{ "search_file_content", AGENT_TK_SEARCH },
	{ "web_fetch", AGENT_TK_FETCH }, { "google_web_search", AGENT_TK_FETCH },
	{ "write_todos", AGENT_TK_TODO },
	/* copilot (bash, edit, glob, grep are the names above) */
	{ "view", AGENT_TK_READ }, { "create", AGENT_TK_WRITE },
	/* droid (those claude's and copilot's names do not cover) */
	{ "Execute", AGENT_TK_SHELL }, { "ApplyPatch", AGENT_TK_EDIT },
	{ "FetchUrl", AGENT_TK_FETCH },
	/* codex items */
	{ "command_execution", AGENT_TK_SHELL }, { "web_search", AGENT_TK_FETCH },
	{ "todo_list", AGENT_TK_TODO },
	/* pi (read, bash, edit, write, grep and ls are named above) */
	{ "find", AGENT_TK_SEARCH },
	/* Kilo's own (beside opencode's) */
	{ "background_process", AGENT_TK_SHELL }, { "kilo_local_recall", AGENT_TK_SEARCH },
	/* cline */
	{ "read_files", AGENT_TK_READ }, { "run_commands", AGENT_TK_SHELL },
	{ "editor", AGENT_TK_EDIT }, { "search_codebase", AGENT_TK_SEARCH },
	{ "fetch_web_content", AGENT_TK_FETCH }, { "spawn_agent", AGENT_TK_TASK },
};

enum agent_tool_kind
agent__tool_kind(const char *name)
{
	size_t i;

	if (name == NULL)
		return AGENT_TK_OTHER;
	/* the first letters first: a strcasecmp for the likely names only */
	for (i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
		if ((name[0] | 0x20) == (kinds[i].name[0] | 0x20) &&
		    strcasecmp(name, kinds[i].name) == 0)
			return kinds[i].kind;
	return AGENT_TK_OTHER;
}
