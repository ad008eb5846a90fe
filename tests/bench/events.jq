# events.jq — what `agent-tail -j` prints for each JSON dialect, said in jq,
# for make bench: jq -c -L tests/bench 'include "events"; opencode' LOG.
# One object per text, tool call, tool result, step, session and result,
# with the same fields computed the same way (line, seconds since the
# epoch, tool kind, title, path, first line of a text, the command inside
# codex's "/bin/bash -lc '…'").  Where agent-tail keeps state between
# lines, jq here does without: a tool result does not get its call's tool,
# title and path back, no session or model is carried to later events,
# gemini's deltas are printed one by one instead of joined, and absent
# fields are printed as null rather than left out.

def kinds: {
	"read": "read", "write": "write", "edit": "edit", "multiedit": "edit",
	"notebookedit": "edit", "bash": "shell", "glob": "search", "grep": "search",
	"ls": "search", "webfetch": "fetch", "websearch": "fetch", "task": "task",
	"agent": "task", "todowrite": "todo", "patch": "edit", "apply_patch": "edit",
	"list": "search", "codesearch": "search", "todoread": "todo",
	"shell": "shell", "exec_command": "shell", "interactive_bash": "shell",
	"ast_grep_search": "search", "call_omo_agent": "task", "delegate_task": "task",
	"read_file": "read", "read_many_files": "read", "write_file": "write",
	"replace": "edit", "run_shell_command": "shell", "list_directory": "search",
	"grep_search": "search", "search_file_content": "search", "web_fetch": "fetch",
	"google_web_search": "fetch", "write_todos": "todo",
	"command_execution": "shell", "web_search": "fetch", "todo_list": "todo",
	"execute": "shell", "create": "write", "applypatch": "edit", "fetchurl": "fetch"
};

# the first non-empty line of a string
def first_line: if type == "string" then split("\n") | map(select(length > 0)) | .[0] else null end;

# "2026-11-23T19:42:25.846Z" as seconds
def iso_time: if type == "string" then (.[0:19] + "Z" | fromdate) + (.[20:23] | tonumber) / 1000 else null end;

# {tool, tool_kind, path, title} of a call to $name with input .
def tool($name):
	(kinds[$name // "" | ascii_downcase] // "other") as $k
	| (if $k == "read" or $k == "write" or $k == "edit" or $k == "delete"
	   then .file_path // .filePath // .absolute_path // .notebook_path // .filepath // .path
	   else null end) as $path
	| {tool: $name, tool_kind: $k, path: $path,
	   title: (if $path then $path
	           elif $k == "shell" then .command // .cmd
	           elif $k == "search" then .pattern // .query // .path // .dir_path // .directory
	           elif $k == "fetch" then .url // .query // .prompt
	           elif $k == "task" then .description // .prompt // .subagent_type
	           elif $k == "todo" then ((.todos // []) | map(select(.status == "in_progress")) + . | .[0].content)
	           else .description // .title end | first_line)};

# claude -p --output-format stream-json --verbose
def claude:
	input_line_number as $l | .session_id as $s
	| if .type == "assistant" then .message.model as $m | .message.content[]?
		| if .type == "text" then {kind: "text", line: $l, session: $s, model: $m, title: (.text | first_line), text}
		  elif .type == "tool_use" then {kind: "tool", line: $l, session: $s, model: $m, status: "running", call_id: .id} + (.name as $n | .input | tool($n))
		  else empty end
	  elif .type == "user" then (.timestamp | iso_time) as $ts | .message.content[]?
		| select(type == "object" and .type == "tool_result")
		| {kind: "tool", line: $l, ts: $ts, session: $s, status: (if .is_error then "error" else "completed" end),
		   call_id: .tool_use_id, text: (.content | if type == "array" then map(.text? // empty) | join("\n") else . end)}
	  elif .type == "result" then {kind: "done", line: $l, session: $s, title: (.result | first_line), text: .result,
		tokens_in: .usage.input_tokens, tokens_out: .usage.output_tokens, cost: .total_cost_usd, final: true}
	  elif .type == "system" and .subtype == "init" then {kind: "session", line: $l, session: $s}, {kind: "model", line: $l, session: $s, model}
	  else empty end;

# opencode run --format json
def opencode:
	input_line_number as $l | (.sessionID // .part.sessionID) as $s | (.timestamp / 1000) as $ts | .part as $p
	| if .type == "step_start" then {kind: "step", line: $l, ts: $ts, session: $s, title: "step start"}
	  elif .type == "text" then {kind: "text", line: $l, ts: $ts, session: $s, title: ($p.text | first_line), text: $p.text}
	  elif .type == "reasoning" then {kind: "step", line: $l, ts: $ts, session: $s, title: "reasoning", text: $p.text}
	  elif .type == "tool_use" then $p.state as $st
		| {kind: "tool", line: $l, ts: $ts, session: $s, status: $st.status, call_id: $p.callID}
		+ ($st.input | tool($p.tool))
		+ {text: (if $st.status == "error" then $st.error else $st.output end), exit_code: $st.metadata.exit}
	  elif .type == "step_finish" then
		{kind: (if $p.reason == "stop" then "done" else "step" end), line: $l, ts: $ts, session: $s, title: $p.reason,
		 tokens_in: $p.tokens.input, tokens_out: $p.tokens.output, cost: $p.cost, final: ($p.reason == "stop")}
	  elif .type == "error" then {kind: "error", line: $l, ts: $ts, session: $s, text: (.error.data.message // .error.name), final: true}
	  else empty end;

# codex exec --json
def codex:
	input_line_number as $l
	| if .type == "item.started" or .type == "item.completed" then .item as $i
		| if $i.type == "agent_message" then {kind: "text", line: $l, title: ($i.text | first_line), text: $i.text}
		  elif $i.type == "reasoning" then {kind: "step", line: $l, title: ($i.text | first_line), text: $i.text}
		  elif $i.type == "command_execution" then
			{kind: "tool", line: $l, tool: $i.type, tool_kind: "shell", status: (if $i.status == "in_progress" then "running" else $i.status end), call_id: $i.id,
			 title: ($i.command | ltrimstr("/bin/bash -lc ") | ltrimstr("'") | rtrimstr("'") | first_line),
			 text: $i.aggregated_output, exit_code: $i.exit_code}
		  elif $i.type == "file_change" then $i.changes[]?
			| {kind: "tool", line: $l, tool: $i.type, tool_kind: (if .kind == "add" then "write" elif .kind == "delete" then "delete" else "edit" end),
			   status: (if $i.status == "in_progress" then "running" else $i.status end), call_id: $i.id, path, title: .path}
		  else empty end
	  elif .type == "thread.started" then {kind: "session", line: $l, session: .thread_id}
	  elif .type == "turn.started" then {kind: "step", line: $l, title: "turn started"}
	  elif .type == "turn.completed" then {kind: "done", line: $l, tokens_in: .usage.input_tokens, tokens_out: .usage.output_tokens, final: true}
	  elif .type == "turn.failed" or .type == "error" then {kind: "error", line: $l, text: (.error.message // .message), final: true}
	  else empty end;

# droid exec -o stream-json
def droid:
	input_line_number as $l | .session_id as $s
	| (if .timestamp then .timestamp / 1000 else null end) as $ts
	| if .type == "message" then select(.role == "assistant") | {kind: "text", line: $l, ts: $ts, session: $s, title: (.text | first_line), text}
	  elif .type == "tool_call" then {kind: "tool", line: $l, ts: $ts, session: $s, status: "running", call_id: .id} + (.toolName as $n | .parameters | tool($n))
	  elif .type == "tool_result" then {kind: "tool", line: $l, ts: $ts, session: $s, status: (if .isError then "error" else "completed" end),
		call_id: .id, text: (.error.message // .value)}
	  elif .type == "completion" then {kind: "done", line: $l, ts: $ts, session: $s, title: (.finalText | first_line), text: .finalText,
		tokens_in: .usage.input_tokens, tokens_out: .usage.output_tokens, final: true}
	  elif .type == "system" then {kind: "session", line: $l, session: $s}, {kind: "model", line: $l, session: $s, model}
	  elif .type == "error" then {kind: "error", line: $l, ts: $ts, session: $s, text: .message, final: true}
	  else empty end;

# gemini -o stream-json
def gemini:
	input_line_number as $l | (.timestamp | iso_time) as $ts
	| if .type == "message" then select(.role == "assistant") | {kind: "text", line: $l, ts: $ts, title: (.content | first_line), text: .content}
	  elif .type == "tool_use" then {kind: "tool", line: $l, ts: $ts, status: "running", call_id: .tool_id} + (.tool_name as $n | .parameters | tool($n))
	  elif .type == "tool_result" then {kind: "tool", line: $l, ts: $ts, status: (if .status == "success" then "completed" else "error" end),
		call_id: .tool_id, text: (.output // .error.message)}
	  elif .type == "result" then {kind: "done", line: $l, ts: $ts, tokens_in: .stats.input_tokens, tokens_out: .stats.output_tokens, final: true}
	  elif .type == "init" then {kind: "session", line: $l, session: .session_id}, {kind: "model", line: $l, session: .session_id, model}
	  elif .type == "error" then {kind: "error", line: $l, ts: $ts, text: .message, final: true}
	  else empty end;
