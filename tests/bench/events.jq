# events.jq — what `agent-tail -j` prints for each JSON dialect, said in jq,
# for make bench: jq -c -L tests/bench 'include "events"; opencode' LOG.
# One object per text, tool call, tool result, step, session and result,
# with the same fields computed the same way (line, seconds since the
# epoch, tool kind, title, path, first line of a text, the command inside
# codex's "/bin/bash -lc '…'").  Where agent-tail keeps state between
# lines, jq here does without: a tool result does not get its call's tool,
# title and path back (nor, where only the call names the tool, what
# depends on its kind: qwen's exit code of a shell without "Exit Code:"),
# no session or model is carried to later events, a model is printed
# each time a line names it (copilot's every model call, pi's every
# assistant message) instead of when it changes, copilot's result does
# not know of the error or abort before it, gemini's deltas are printed
# one by one instead of joined, an error is not told apart as a limit,
# and absent fields are printed as null rather than left out.

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
	"execute": "shell", "create": "write", "applypatch": "edit", "fetchurl": "fetch",
	"view": "read", "find": "search", "background_process": "shell",
	"kilo_local_recall": "search", "read_files": "read", "run_commands": "shell",
	"editor": "edit", "search_codebase": "search", "fetch_web_content": "fetch",
	"spawn_agent": "task"
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

# copilot -p --output-format json
def copilot:
	input_line_number as $l | .data as $d | (.timestamp | iso_time) as $ts
	| if .type == "assistant.message" then ($d.content | first_line) as $t | select($t)
		| {kind: "text", line: $l, ts: $ts, title: $t, text: $d.content}
	  elif .type == "tool.execution_start" then {kind: "tool", line: $l, ts: $ts, status: "running", call_id: $d.toolCallId}
		+ ($d.toolName as $n | $d.arguments | tool($n))
	  elif .type == "tool.execution_complete" then $d.shellExecution.exitCode as $x
		| {kind: "tool", line: $l, ts: $ts, status: (if $d.success == false or ($x // 0) != 0 then "error" else "completed" end),
		   call_id: $d.toolCallId,
		   text: (if $d.success == false and $d.error.message then $d.error.message
		          else $d.result | if type == "object" then .content elif type == "string" then . else null end end),
		   exit_code: $x}
	  elif .type == "result" then (.exitCode == 0) as $ok
		| {kind: "session", line: $l, session: .sessionId},
		  {kind: (if $ok then "done" else "error" end), line: $l, ts: $ts, session: .sessionId,
		   title: (if $ok then "done" else "exit code \(.exitCode)" end),
		   tokens_in: (.usage.inputTokens // .usage.input_tokens), tokens_out: (.usage.outputTokens // .usage.output_tokens), final: true}
	  elif .type == "session.error" then {kind: "error", line: $l, ts: $ts, title: ($d.message // $d.errorType | first_line),
		text: ($d.message // $d.errorType // "error"), status: $d.statusCode}
	  elif .type == "assistant.turn_retry" or (.type == "session.info" and $d.infoType == "model_retry") then
		($d.message // "model call retried (\($d.reason // "error"))") as $m | {kind: "error", line: $l, ts: $ts, title: ($m | first_line), text: $m}
	  elif .type == "assistant.idle" and $d.aborted == true then {kind: "step", line: $l, ts: $ts, title: "aborted"}
	  elif .type == "model.call_start" or .type == "session.model_change" then {kind: "model", line: $l, model: $d.model}
	  elif .type == "assistant.turn_start" then {kind: "step", line: $l, ts: $ts, title: "turn"}
	  else empty end;

# qwen --output-format stream-json
def qwen:
	input_line_number as $l | .session_id as $s
	| if .type == "assistant" then .message.model as $m | .message.content
		| if type == "string" then first_line as $t | select($t) | {kind: "text", line: $l, session: $s, model: $m, title: $t, text: .}
		  else .[]?
		  | if .type == "text" then
			if .text // "" | startswith("[API Error: ") then {kind: "error", line: $l, session: $s, model: $m, title: (.text | first_line), text}
			else (.text | first_line) as $t | select($t) | {kind: "text", line: $l, session: $s, model: $m, title: $t, text} end
		    elif .type == "tool_use" then {kind: "tool", line: $l, session: $s, model: $m, status: "running", call_id: .id} + (.name as $n | .input | tool($n))
		    elif .type == "thinking" or .type == "redacted_thinking" then {kind: "step", line: $l, session: $s, model: $m, title: "thinking", text: .thinking}
		    else {kind: "step", line: $l, session: $s, model: $m, title: .type} end
		  end
	  elif .type == "user" then .message.content | arrays | .[]
		| select(.type == "tool_result")
		| (.content | if type == "array" then map(if type == "string" then . else .text // empty end) | join("\n") else . end) as $t
		| {kind: "tool", line: $l, session: $s,
		   status: (if .is_error or ($t // "" | startswith("[Operation Cancelled]")) then "error" else "completed" end),
		   call_id: .tool_use_id, text: $t,
		   exit_code: ([$t | strings | capture("Exit Code: (?<c>[0-9]+)")] | if length > 0 then .[0].c | tonumber else null end)}
	  elif .type == "result" then
		if (.subtype // "" | startswith("error") | not) and (.is_error == false or (.is_error == null and .subtype == "success")) then
			{kind: "done", line: $l, session: $s, title: (.result | first_line), text: .result,
			 tokens_in: .usage.input_tokens, tokens_out: .usage.output_tokens, cost: .total_cost_usd, final: true}
		else (.error.message // (if .result != "" then .result else null end) // .subtype // "error") as $m
			| {kind: "error", line: $l, session: $s, title: ($m | first_line), text: $m,
			   tokens_in: .usage.input_tokens, tokens_out: .usage.output_tokens, cost: .total_cost_usd, final: true} end
	  elif .type == "system" then
		if .subtype == "init" then {kind: "session", line: $l, session: $s}, {kind: "model", line: $l, session: $s, model}
		elif .subtype == "retry" then .data as $d
			| "retry \($d.attempt)/\($d.maxRetries) in \(($d.delayMs + 999) / 1000 | floor)s\(if $d.error // $d.message then ": " + ($d.error // $d.message) else "" end)" as $m
			| {kind: "error", line: $l, session: $s, title: $m, text: $m}
		else {kind: "step", line: $l, session: $s, title: .subtype} end
	  elif .type == "stream_event" then {kind: "step", line: $l, session: $s, title: .event.type}
	  else empty end;

# pi --mode json
def pi:
	input_line_number as $l
	| if .type == "message_end" then .message | select(.role == "assistant")
		| (if .timestamp then .timestamp / 1000 else null end) as $ts
		| {kind: "model", line: $l, model},
		  (.content[]? | if .type == "text" then (.text | first_line) as $t | select($t) | {kind: "text", line: $l, ts: $ts, title: $t, text}
		               elif .type == "thinking" then {kind: "step", line: $l, ts: $ts, title: "thinking", text: .thinking}
		               else empty end),
		  (select(.stopReason == "error") | (.errorMessage // "error") as $m | {kind: "error", line: $l, ts: $ts, title: ($m | first_line), text: $m})
	  elif .type == "turn_end" then .message
		| {kind: "step", line: $l, ts: (if .timestamp then .timestamp / 1000 else null end), title: (.stopReason // "turn end"),
		   tokens_in: .usage.input, tokens_out: .usage.output, cost: .usage.cost.total}
	  elif .type == "tool_execution_start" then {kind: "tool", line: $l, status: "running", call_id: .toolCallId} + (.toolName as $n | .args | tool($n))
	  elif .type == "tool_execution_end" then
		(.result | if type == "object" then .content | arrays | map(select(.type == "text") | .text) | join("\n") elif type == "string" then . else null end) as $t
		| (if .isError == true then "error" else "completed" end) as $st
		| ({kind: "tool", line: $l, status: $st, call_id: .toolCallId} + (.toolName as $n | null | tool($n)))
		| . + {text: $t, exit_code: (if .tool_kind != "shell" then null elif $st == "completed" then 0
		                             else [$t // "" | match("Command exited with code ([0-9]+)"; "g")] | if length > 0 then last.captures[0].string | tonumber else null end end)}
	  elif .type == "agent_end" then [.messages[]? | select(.role == "assistant")] | last
		| (if .timestamp then .timestamp / 1000 else null end) as $ts
		| if .stopReason == "error" then (.errorMessage // "error") as $m | {kind: "error", line: $l, ts: $ts, title: ($m | first_line), text: $m, final: true}
		  elif .stopReason == "aborted" then (.errorMessage // "aborted") as $m | {kind: "interrupt", line: $l, ts: $ts, title: $m, text: $m, final: true}
		  else {kind: "done", line: $l, ts: $ts, final: true} end
	  elif .type == "session" then {kind: "session", line: $l, session: .id}
	  elif .type == "auto_retry_start" then {kind: "step", line: $l, title: "retry \(.attempt)/\(.maxAttempts)"},
		(.errorMessage // "error") as $m | {kind: "error", line: $l, title: ($m | first_line), text: $m}
	  elif .type == "auto_retry_end" then
		if .success == true then {kind: "step", line: $l, title: "retry succeeded"}
		else (.finalError // "error") as $m | {kind: "error", line: $l, title: ($m | first_line), text: $m, final: true} end
	  elif .type == "compaction_start" then {kind: "step", line: $l, title: "compaction"}
	  else empty end;

# cline --json
def cline_first($k): if type == "string" then . elif type == "array" then .[0] | if type == "string" then . else .[$k]? end else null end;
def cline_tool($n):
	. as $in | tool($n)
	| if .title != null then .
	  elif $n == "read_files" then ($in.files | cline_first("path")) as $p | .path = $p | .title = ($p | first_line)
	  elif $n == "run_commands" then .title = ($in.commands | cline_first("command") | first_line)
	  elif $n == "search_codebase" then .title = ($in.queries | cline_first("query") | first_line)
	  elif $n == "fetch_web_content" then .title = ($in.urls | cline_first("url") | first_line)
	  else . end;
def cline:
	input_line_number as $l | (.ts | iso_time) as $ts
	| if .type == "agent_event" then .event
		| if .type == "content_end" and .contentType == "text" then (.text | first_line) as $t | select($t)
			| {kind: "text", line: $l, ts: $ts, title: $t, text}
		  elif .type == "content_start" and .contentType == "tool" then
			{kind: "tool", line: $l, ts: $ts, status: "running", call_id: .toolCallId} + (.toolName as $n | .input | cline_tool($n))
		  elif .type == "content_end" and .contentType == "tool" then
			(.output | if type == "string" then . elif type == "array" then map(.result // .error // empty) | join("\n") else null end) as $t
			| (if .error != null or (.output | type == "array" and any(.[]; .success == false)) then "error" else "completed" end) as $st
			| ({kind: "tool", line: $l, ts: $ts, status: $st, call_id: .toolCallId} + (.toolName as $n | .input | cline_tool($n)))
			| . + {text: $t, exit_code: (if .tool_kind != "shell" then null elif $st == "completed" then 0
			                             else [$t // "" | capture("exited with code (?<c>[0-9]+)")] | if length > 0 then .[0].c | tonumber else null end end)}
		  elif .type == "usage" then {kind: "step", line: $l, ts: $ts, title: "usage", tokens_in: .inputTokens, tokens_out: .outputTokens}
		  elif .type == "error" then (.error | if type == "object" then .message elif type == "string" then . else null end // "error") as $m
			| {kind: "error", line: $l, ts: $ts, title: ($m | first_line), text: $m}
		  else empty end
	  elif .type == "run_result" then
		{kind: "model", line: $l, model: (.model | if type == "object" then .id else . end)},
		(if .finishReason == "completed" then {kind: "done", line: $l, ts: $ts, title: (.text | first_line), text, final: true}
		 elif .finishReason == "aborted" or .finishReason == "cancelled" then {kind: "interrupt", line: $l, ts: $ts, title: .finishReason, text: .finishReason, final: true}
		 else (if .text != null and .text != "" then .text else .finishReason // "error" end) as $m
			| {kind: "error", line: $l, ts: $ts, title: ($m | first_line), text: $m, final: true} end)
	  elif .type == "run_aborted" then {kind: "interrupt", line: $l, ts: $ts, title: (.message // "aborted"), text: .message, final: true}
	  elif .type == "error" then (.message // "error") as $m | {kind: "error", line: $l, ts: $ts, title: ($m | first_line), text: $m, final: true}
	  else empty end;
