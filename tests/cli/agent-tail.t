#!/bin/sh
# agent-tail: the last lines with a header, one line per event for every
# dialect, NDJSON events, the byte budget, --files, -f, and hostile logs.
. ./lib.sh

plan 40
ESC=$(printf '\033')

# lines
run agent-tail -n 5 "$FIX/claude/stream-json-happy.log"
is "$(echo "$out" | sed 1d)" "$(tail -n 5 "$FIX/claude/stream-json-happy.log")" "-n 5 prints the last 5 lines as tail does"
echo "$out" | head -n 1 | grep -q '^==> .*claude-stream.*session 2814a59a-40b5-4327-a10e-e34986560113 <==$'
ok $? "the header names the dialect and the session id"
run agent-tail -q -n 3 "$FIX/codex/exec-json-happy.log"
is "$out" "$(tail -n 3 "$FIX/codex/exec-json-happy.log")" "-q drops the header"
run agent-tail -q "$FIX/omo/verbose-happy.log"
is "$(echo "$out" | wc -l)" 80 "80 lines by default"
run agent-tail -q -n 1000 "$FIX/omo/happy.log"
is "$(echo "$out" | wc -l)" "$(wc -l < "$FIX/omo/happy.log")" "-n larger than the log prints all of it"
printf 'a\nb\nno newline' > "$T/partial"
run agent-tail -q -n 2 "$T/partial"
is "$out" "b
no newline" "an unterminated last line of an ended log is shown"

# summary: every dialect looks alike
run agent-tail -s -q "$FIX/claude/stream-json-happy.log"
echo "$out" | grep -q '^→ Read .*input.txt'
ok $? "claude: the read is one → Read line"
echo "$out" | grep -q '^\$ echo hi$'
ok $? "claude: the command is one \$ line"
echo "$out" | grep -q '^← Write .*output.txt'
ok $? "claude: the write is one ← Write line"
is "$(echo "$out" | grep -c '^\$ echo hi$')" 1 "claude: a tool's start and end give one line"
echo "$out" | grep -q '^✓ done'
ok $? "claude: the result is a ✓ done line"
run agent-tail -s -q "$FIX/omo/happy.log"
echo "$out" | grep -q '^→ Read .*README.md'
ok $? "omo: the read is one → Read line"
echo "$out" | grep -q '^\$ ls && echo hi$'
ok $? "omo: the command is one \$ line"
echo "$out" | grep -q '^✓ done'
ok $? "omo: All tasks completed is a ✓ done line"
run agent-tail -s -q "$FIX/opencode/json-toolerr.log"
echo "$out" | grep -q '^✗ .*failed$'
ok $? "opencode: a failed tool is a ✗ … failed line"
run agent-tail -s -q "$FIX/claude/stream-json-err401-noretry.log"
echo "$out" | grep -q '^✗ error: '
ok $? "claude: an API error is a ✗ error: line"
run agent-tail -s -q -n 2 "$FIX/codex/exec-json-happy.log"
is "$(echo "$out" | wc -l)" 2 "-s -n 2 keeps the last two events"
echo "$out" | tail -n 1 | grep -q '^✓ done'
ok $? "the newest event is last"
run agent-tail -s -n 3 "$FIX/codex/exec-text-errout-cutoff-sigterm.log"
is "$(echo "$out" | grep -c error)" 0 \
	"-s from inside a codex text log: an ERROR line of a command's output is not an error"

# JSON events
run agent-tail -j "$FIX/gemini/stream-json-happy.log"
is "$(echo "$out" | jq -c . 2>/dev/null | wc -l)" "$(echo "$out" | wc -l)" "-j prints one valid JSON object a line"
echo "$out" | jq -se 'map(.kind) | index("session") != null and index("tool") != null and .[-1] == "done"' >/dev/null
ok $? "-j gives session, tool and done events"
echo "$out" | jq -se 'map(select(.kind == "session"))[0].session == "2e55092e-0dc0-4aad-b96b-e0e34de53683"' >/dev/null
ok $? "-j session event carries the id"
run agent-tail -j -n 1 "$FIX/gemini/stream-json-happy.log"
is "$(echo "$out" | jq -r .kind)" done "-j -n 1 is the last event"
printf '{"type":"assistant","session_id":"x","message":{"content":[{"type":"text","text":"bad \\ud800 \377 end"}]}}\n' > "$T/bad.json"
run agent-tail -j -D claude-stream "$T/bad.json"
echo "$out" | jq -e . >/dev/null 2>&1
ok $? "-j output stays valid JSON with lone surrogates and invalid UTF-8"

# format drift: a line of a type the dialect does not know is an event
# of kind unknown, not dropped; a known line carries what it did not know
printf '%s\n' '{"type":"system","subtype":"init","session_id":"2814a59a-0000-4000-8000-000000000000"}' \
	'{"type":"tool_progress","tool_use_id":"t1"}' \
	'{"type":"result","subtype":"error_max_tools","is_error":true,"errors":["Reached max tools"]}' > "$T/drift.log"
run agent-tail -j "$T/drift.log"
is "$(printf '%s\n' "$out" | jq -c 'select(.unknown) | [.kind, .line, .unknown]' | tr '\n' ' ')" \
	'["unknown",2,"tool_progress"] ["error",3,"result.subtype=error_max_tools"] ' \
	"-j marks the events of lines the dialect does not fully know"
run agent-tail -s "$T/drift.log"
echo "$out" | grep -qx '? unknown to agentutils: tool_progress'
ok $? "-s shows a line of an unknown type as such"

# budget
run agent-tail -s -b 200 "$FIX/omo/verbose-happy.log"
ok $([ ${#out} -le 200 ] && echo 0 || echo 1) "-b 200 keeps the output under 200 bytes (${#out})"
echo "$out" | tail -n 1 | grep -q '^✓ done'
ok $? "-b keeps the newest lines"

# files
run agent-tail -F "$FIX/claude/stream-json-happy.log"
echo "$out" | grep -q '^read	.*input.txt$'
ok $? "--files lists a read file"
echo "$out" | grep -q '^write	.*output.txt$'
ok $? "--files lists a written file"

# follow
cp "$FIX/claude/stream-json-happy.log" "$T/done.log"
run agent-tail -f -q -n 1 "$T/done.log"
is "$rc" 0 "-f on a finished log exits at once with completed's status"
run agent-tail -f -j "$T/done.log"
is "$(printf '%s\n' "$out" | wc -l)" "$(agent-tail -j "$T/done.log" | wc -l)" \
	"-j -f prints each event of the log once (it printed them twice)"
head -n 3 "$FIX/codex/exec-json-happy.log" > "$T/grow.log"
(
	exec 3>>"$T/grow.log"
	while [ ! -e "$T/go" ]; do sleep 0.05; done
	tail -n +4 "$FIX/codex/exec-json-happy.log" >&3
) &
w=$!
wait_for 30 sh -c "ls -l /proc/$w/fd 2>/dev/null | grep -q grow.log"
# the rest comes only once -f follows the log
agent-tail -f -s -q "$T/grow.log" > "$T/f.out" &
a=$!
wait_for 30 watching $a
touch "$T/go"
wait_pid 30 $a; echo $? > "$T/f.rc"
is "$(cat "$T/f.rc")" 0 "-f exits with completed's status when the writer is done"
grep -q '^✓ done' "$T/f.out"
ok $? "-f printed the events the log gained"

# hostile logs
printf '\033]0;title\007\033[2J\033[31mred\033[0m\r\n\302\233 c1\n' > "$T/esc"
run agent-tail "$T/esc"
printf '%s' "$out" | grep -q "$ESC"
ok $((1 - $?)) "no ESC from the log reaches the output"
printf '%s' "$out" | grep -q '\\e\[31mred'
ok $? "escapes are shown as \\e"
printf '%s' "$out" | grep -q "$(printf '\302\233')"
ok $((1 - $?)) "C1 control characters are escaped too"
run agent-tail "$T/nonexistent"
is "$rc" 66 "a missing log exits 66"
run agent-tail -f - < "$FIX/omo/happy.log"
is "$rc" 64 "-f on stdin is a usage error"
run agent-tail -n x "$FIX/omo/happy.log"
is "$rc" 64 "a bad -n is a usage error"
