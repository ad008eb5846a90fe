#!/bin/sh
# agent-state: every fixture's verdict (given --exit) from a file and from
# stdin; liveness of plain logs; -w; -v/-j; bad input never crashes.
. ./lib.sh

fixtures=$(grep -v '^#' "$FIX/MANIFEST.tsv" | cut -f1)
nfix=$(echo "$fixtures" | wc -l)
plan $((nfix * 2 + 57))

while IFS='	' read -r log agent ex want sid; do
	got=$(agent-state -x "$ex" "$FIX/$log")
	case "$want" in *"$got"*) r=0;; *) r=1;; esac
	ok $r "verdict of $log with exit $ex is $want (got $got)"
	got=$(agent-state -x "$ex" - < "$FIX/$log")
	case "$want" in *"$got"*) r=0;; *) r=1;; esac
	ok $r "verdict of $log read from stdin is $want (got $got)"
done <<EOF
$(grep -v '^#' "$FIX/MANIFEST.tsv")
EOF

# piped, not redirected: the pipe is spooled, the verdict is the same
got=$(cat "$FIX/claude/stream-json-cutoff-sigterm.log" | agent-state -x 143)
is "$got" cut-off "a log piped on stdin is judged like the file"

run agent-state -x 0 "$FIX/claude/stream-json-happy.log"
is "$rc" 0 "completed exits 0"
run agent-state -x 143 "$FIX/claude/stream-json-cutoff-sigterm.log"
is "$rc" 2 "cut-off exits 2"
run agent-state -x 1 "$FIX/claude/stream-json-err401-noretry.log"
is "$rc" 1 "failed exits 1"
run agent-state -x 1 "$FIX/claude/stream-json-err429-noretry.log"
is "$rc" 3 "limited exits 3"

# a plain log with no --exit: nobody writes to it any more, so it ended
cp "$FIX/codex/exec-json-cutoff-sigterm.log" "$T/c.log"
is "$(agent-state "$T/c.log")" cut-off "a log nobody writes to has ended: no completion means cut-off"
: > "$T/empty.log"
is "$(agent-state "$T/empty.log") $(agent-state -x 0 "$T/empty.log")" "cut-off completed" \
	"an ended log without a byte is cut-off, unless the exit status says otherwise"
cp "$FIX/codex/exec-json-happy.log" "$T/h.log"
is "$(agent-state "$T/h.log")" completed "a finished log without --exit is judged by its content"

# a log some process still writes to is alive
cp "$FIX/codex/exec-json-cutoff-sigterm.log" "$T/live.log"
# the writer: a process that holds the log open and uses no CPU
( exec 3>>"$T/live.log"; exec sleep 600 ) &
w=$!
wait_for 30 sh -c "agent-state '$T/live.log' | grep -qx running"
ok $? "a log still open for writing by a process is running"
# idle past -S 1 from the start (the copies' mtime is a minute old), so
# what decides is the CPU, not how soon the first look comes
touch -d '-60 seconds' "$T/live.log"
wait_for 30 sh -c "agent-state -S 1 '$T/live.log' | grep -qx stuck"
ok $? "alive, idle past --stuck-after and no CPU is stuck"
# CPU says working only when it is work: a busy writer is running, a
# writer that only wakes to poll (as a stalled agent's server does) is not
cp "$FIX/codex/exec-json-cutoff-sigterm.log" "$T/busy.log"
touch -d '-60 seconds' "$T/busy.log"
( exec 3>>"$T/busy.log"; while :; do :; done ) &
b=$!
wait_for 30 sh -c "agent-state -S 1 '$T/busy.log' | grep -qx running"
ok $? "alive, idle past --stuck-after but busy on the CPU is running"
kill $b; wait $b 2>/dev/null
cp "$FIX/codex/exec-json-cutoff-sigterm.log" "$T/poll.log"
touch -d '-60 seconds' "$T/poll.log"
( exec 3>>"$T/poll.log"; while :; do sleep 0.1; done ) &
b=$!
wait_for 30 sh -c "agent-state -S 1 '$T/poll.log' | grep -qx stuck"
ok $? "alive, idle past --stuck-after and only polling (a few % of a CPU) is stuck"
kill $b; wait $b 2>/dev/null
run agent-state -w -t 0.3 "$T/live.log"
is "$out" running "-w -t gives the state as it stands when the timeout passes"
is "$rc" 5 "running exits 5"
# the writer goes only once -w waits on the log, so -w saw it alive
agent-state -w "$T/live.log" > "$T/w.out" &
a=$!
wait_for 30 watching $a
kill $w; wait $w 2>/dev/null
wait_pid 30 $a; echo $? > "$T/w.rc"
is "$(cat "$T/w.out")" cut-off "-w returns when the last writer closes the log"
is "$(cat "$T/w.rc")" 2 "-w exits with the final state's status"

# a log that is empty when -w starts is recognised once output comes
: > "$T/late.log"
mkfifo "$T/go"
( exec 3>>"$T/late.log"; read x < "$T/go"; cat "$FIX/claude/stream-json-cutoff-sigterm.log" >&3 ) &
w=$!
wait_for 30 sh -c "agent-state '$T/late.log' | grep -qx starting"
agent-state -w "$T/late.log" > "$T/late.out" &
a=$!
wait_for 30 watching $a
echo go > "$T/go"; wait $w
wait_pid 30 $a
is "$(cat "$T/late.out")" cut-off "a log empty when -w began is read in its own dialect once it has output"

# -w -s: a run that stops writing and sleeps returns as stuck; plain -w
# goes on waiting through the stall until the run ends
sid=$(agent-spawn -- sh -c 'echo working; exec sleep 600')
( agent-state -w -S 1 "$sid" > "$T/ws.out"; echo $? > "$T/ws.rc" ) &
run agent-state -w -s -S 1 -t 120 "$sid"
is "$out" stuck "-w -s returns when the run becomes stuck"
is "$rc" 4 "-w -s exits 4 for stuck"
run agent-state -v -S 1 "$sid"
case $out in "stuck"*"why=alive, no output for"*) r=0 ;; *) r=1 ;; esac
ok $r "the stall is stuck by the same rule without -w"
test ! -s "$T/ws.rc"
ok $? "-w without -s is still waiting once the run is stuck"
agent-kill -t 5 "$sid" >/dev/null 2>&1
wait_for 30 test -s "$T/ws.rc"
is "$(cat "$T/ws.out") $(cat "$T/ws.rc")" "cut-off 2" "-w without -s waited through the stall until the run was stopped"
run agent-state -s "$sid"
is "$rc" 64 "-s without -w is a usage error"

# -v and -j
run agent-state -v -x 0 "$FIX/claude/stream-json-happy.log"
echo "$out" | sed -n 2p | grep -q 'session=2814a59a-40b5-4327-a10e-e34986560113'
ok $? "-v adds a line with the session id"
echo "$out" | sed -n 2p | grep -q 'cost='
ok $? "-v reports the cost the agent reported"
run agent-state -j -x 143 "$FIX/omo/cutoff-sigterm.log"
echo "$out" | jq -e '.state == "cut-off" and .session == "ses_df60a7513ffe8deB39MhHlv3A0" and .exit == 143' >/dev/null
ok $? "-j prints one JSON object with state, session and exit"

# resets_at from the generic wording of real limits, counted from the
# limit event's own time: Gemini's "Please retry in 400s", opencode's
# "Please try again in 2s"
run agent-state -j -x 173 "$FIX/gemini/stream-json-limit429.log"
is "$(printf '%s\n' "$out" | jq -c '[.state, .resets_at]')" '["limited",1796042946]' \
	"-j: a Gemini quota error's retry delay gives resets_at (its time + 400 s, rounded up)"
run agent-state -v -x 1 "$FIX/opencode/json-limit429.log"
case $out in *"	resets_at=1796042910	"*) r=0 ;; *) r=1 ;; esac
ok $r "-v: opencode's 'try again in 2s' gives resets_at=its time + 2 s"

# resets_at from each agent's own wording and fields, read against when
# the log was last written (the capture's end, set as its mtime)
at_mtime() { # FIXTURE EPOCH: a copy written then
	cp "$FIX/$1" "$T/at.log" && touch -d "@$2" "$T/at.log"
}
resets() { agent-state -j -x 1 "$T/at.log" | jq -c '[.state, .resets_at]'; }
at_mtime claude/stream-json-limit429.log 1796042900
is "$(TZ=UTC resets)" '["limited",1796042655]' \
	"claude's rate_limit_event gives resetsAt, whenever the log was written"
at_mtime claude/text-limit429.log 1796042512
is "$(TZ=UTC resets)" '["limited",1796042700]' \
	"claude's 'resets 12:44pm (UTC)' said at 12:41:52 is the end of 12:44 that day"
at_mtime claude/text-limit429-tz.log 1796042522
is "$(TZ=America/New_York resets)" '["limited",1796042700]' \
	"claude's 'resets 7:44am (America/New_York)' read in that zone"
is "$(TZ=UTC resets)" '["limited",null]' \
	"a zone that is neither UTC nor the local one is not guessed: no resets_at"
at_mtime codex/exec-json-limit429-days.log 1796042536
is "$(TZ=UTC resets)" '["limited",1796132580]' \
	"codex's 'try again at Dec 1st, 2026 1:42 PM' in local time"
at_mtime claude/stream-json-err429-noretry.log 1796042536
is "$(TZ=UTC resets)" '["limited",null]' \
	"a limit that does not say when it resets has no resets_at"

# format drift: what the dialect does not know is named and weighs
# nothing; --strict says the verdict rests on it
printf '%s\n' '{"type":"system","subtype":"init","session_id":"2814a59a-0000-4000-8000-000000000000"}' \
	'{"type":"tool_progress","tool_use_id":"t1"}' \
	'{"type":"result","subtype":"error_max_tools","is_error":true,"errors":["Reached max tools"]}' > "$T/drift.log"
run agent-state -v -x 1 "$T/drift.log"
case $out in "failed
"*"	unknown=tool_progress,result.subtype=error_max_tools	why=error: Reached max tools"*) r=0 ;; *) r=1 ;; esac
ok $r "-v names the line type and the result subtype the dialect does not know"
run agent-state -j -x 1 "$T/drift.log"
is "$(printf '%s\n' "$out" | jq -c '[.state, .unknown]')" '["failed",["tool_progress","result.subtype=error_max_tools"]]' \
	"-j lists them"
is "$rc" 1 "without --strict the exit status is the state's"
run agent-state --strict -x 1 "$T/drift.log"
is "$out $rc" "failed 76" "--strict: the word stands, exit 76 says it rests on what the dialect does not know"
# a real one: Claude Code 2.1.332 with hooks (--include-hook-events)
run agent-state -u -v -x 0 "$FIX/claude/stream-json-drift-hooks-2.1.332.log"
is "$(echo "$out" | head -n 1) $rc" "completed 76" "--strict on Claude Code's hook lines: completed, exit 76"
case $out in *"	unknown=system.subtype=hook_started,system.subtype=hook_response	"*) r=0 ;; *) r=1 ;; esac
ok $r "-v names the hook lines' system subtypes"
run agent-state -u -x 0 "$FIX/claude/stream-json-happy.log"
is "$out $rc" "completed 0" "--strict on a log its dialect fully knows exits with the state's status"
run agent-state -j -x 0 "$FIX/claude/stream-json-happy.log"
is "$(printf '%s\n' "$out" | jq -c .unknown)" '[]' "-j: an empty list when the dialect knows it all"

# bad input
run agent-state "$T/nonexistent"
is "$rc" 66 "a missing file exits 66"
echo "$err" | grep -q '^agent-state: .*nonexistent: no such run or log file'
ok $? "a missing file gets a prog: what: why message"
mkdir "$T/dir"
run agent-state "$T/dir"
is "$rc" 66 "a directory that is not a run exits 66"
: > "$T/empty"
run agent-state -x 0 "$T/empty"
ok $([ $rc -lt 64 ] && echo 0 || echo 1) "an empty log gets a verdict ($out)"
head -c 65536 /dev/urandom > "$T/garbage"
run agent-state -x 1 "$T/garbage"
is "$out" failed "binary garbage with exit 1 is failed, no crash"
printf '{"type":"system","subtype":"init","session_id":"2814a59a-0000-4000-8000-000000000000"}\n{"type":"assistant","message":{"content":[{"type":"text","text":"a\0b"}]}}\n' > "$T/nul"
run agent-state -x 0 "$T/nul"
is "$out" cut-off "a NUL byte inside a JSON line does not end reading"
head -c 4000 "$FIX/claude/stream-json-happy.log" > "$T/trunc"
run agent-state -x 143 "$T/trunc"
is "$out" cut-off "a truncated last JSON line is cut-off, not a crash"
awk 'BEGIN { s = "x"; for (i = 0; i < 24; i++) s = s s; print s }' > "$T/long"
run agent-state -x 0 "$T/long"
is "$rc" 0 "a 16 MB single line is read without failing"
sed 's/$/\r/' "$FIX/omo/happy.log" > "$T/crlf"
run agent-state -x 0 "$T/crlf"
is "$out" completed "CRLF line ends are read like LF"
printf '\033]0;pwned\007\033[2J\033[31mred\n' > "$T/esc"
run agent-state -v -x 0 "$T/esc"
printf '%s' "$out" | grep -q "$(printf '\033')"
ok $((1 - $?)) "no escape sequence from the log reaches the output"
printf '\377\376\300\257 caf\303\251\n' > "$T/utf"
run agent-state -x 0 "$T/utf"
is "$rc" 0 "invalid UTF-8 is read without failing"
run agent-state -x 300 "$T/utf"
is "$rc" 64 "--exit out of range is a usage error"
run agent-state -q
is "$rc" 64 "an unknown option is a usage error"
run agent-state -h
is "$rc" 0 "-h prints the usage and exits 0"
echo "$out" | grep -q '^usage: agent-state'
ok $? "-h prints the usage line"
