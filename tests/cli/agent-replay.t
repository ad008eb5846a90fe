#!/bin/sh
# agent-replay.t — the replay agent plays recordings byte for byte, ends as
# the recorded run ended, cuts off, stalls and resumes on request.
. ./lib.sh
plan 21
R=$(cd ../../contrib/replay && pwd)
lines_ge() { [ "$(wc -l <"$1")" -ge "$2" ]; }

# Every fixture, played without pauses, is the fixture again.
bad=
while IFS='	' read -r log agent rc state sid; do
	case $log in '#'*) continue ;; esac
	agent-replay -i 0 "$FIX/$log" >"$T/out" 2>/dev/null
	cmp -s "$T/out" "$FIX/$log" || bad="$bad $log"
done <"$FIX/MANIFEST.tsv"
is "$bad" "" "every fixture replays byte for byte"

run agent-replay -i 0 "$FIX/claude/stream-json-cutoff-sigterm.log"
is "$rc" 143 "a recording that was SIGTERMed ends by SIGTERM (MANIFEST status 143)"
run agent-replay -i 0 "$FIX/gemini/stream-json-err401.log"
is "$rc" 145 "status 145 (Gemini's HTTP 401) stays an exit code"
run agent-replay -i 0 "$FIX/claude/stream-json-happy.log"
is "$rc" 0 "a completed recording exits 0"
run agent-replay -i 0 -r 7 "$FIX/claude/stream-json-happy.log"
is "$rc" 7 "-r overrides the recorded status"

# A recording outside any manifest exits 0.
cp "$FIX/codex/exec-json-happy.log" "$T/loose.log"
run agent-replay -i 0 "$T/loose.log"
is "$rc" 0 "a recording no manifest lists exits 0"

run agent-replay -i 0 -c 4 "$FIX/claude/stream-json-happy.log"
is "$rc" 143 "-c cuts off by SIGTERM"
is "$out" "$(head -n 4 "$FIX/claude/stream-json-happy.log")" "-c 4 writes exactly the first 4 lines"
run agent-replay -i 0 -c 0 "$FIX/claude/stream-json-happy.log"
is "$rc.$out" "143." "-c 0 is cut off before any output"
run agent-replay -i 0 -C '"name":"Bash"' "$FIX/claude/stream-json-happy.log"
is "$(printf '%s\n' "$out" | wc -l | tr -d ' ').$rc" "5.143" "-C cuts off after the first line holding the string"

# -S: the agent hangs after its cut-off point and is still alive.
agent-replay -i 0 -S -c 2 "$FIX/claude/stream-json-happy.log" >"$T/stall" 2>&1 &
pid=$!
wait_for 30 lines_ge "$T/stall" 2
ok $? "-S writes up to the cut-off point"
kill -0 $pid 2>/dev/null
ok $? "-S then stays alive without writing"
{ kill $pid; wait $pid; } 2>/dev/null
is "$(wc -l <"$T/stall" | tr -d ' ')" 2 "-S wrote nothing after the cut-off point"

# Line by line, not at once: a slow replay has shown its first line while
# the rest is still to come.
agent-replay -i 3000 "$FIX/claude/stream-json-happy.log" >"$T/slow" &
pid=$!
wait_for 30 test -s "$T/slow"
test "$(wc -l <"$T/slow")" -lt 10
ok $? "lines arrive one by one, paced"
{ kill $pid; wait $pid; } 2>/dev/null

run agent-replay -i 0 -R 7df02eb4-513b-4551-9950-a612932a2017 "$R/claude-cutoff.log"
is "$rc" 0 "-R plays the continuation and exits as it did"
is "$out" "$(cat "$R/claude-cutoff.resume.log")" "-R output is the continuation"
run agent-replay -i 0 -R 00000000-0000-4000-8000-000000000000 "$R/claude-cutoff.log"
is "$rc:$out" "1:" "-R with a session the continuation lacks fails like an agent"
run agent-replay -i 0 -R x "$FIX/claude/stream-json-happy.log"
is "$rc" 66 "-R without a continuation file: no input"

run agent-replay -h
is "$rc:$out" "0:usage: agent-replay [-S] [-c LINE | -C STRING] [-i MS | -x SPEED] [-p PROMPT] [-r STATUS] [-R SESSION] FILE" "-h prints the usage line"
run agent-replay -x 0 "$FIX/claude/stream-json-happy.log"
is "$rc" 64 "-x 0 is a usage error"

# Spawned as the replay agent, a recording is read in its own dialect and
# classifies exactly as the original log does, for every fixture.
mkdir -p "$XDG_CONFIG_HOME/agentutils"
printf '[preset replay]\nspawn = agent-replay -i 0 [-p {prompt}] {model}\n' \
	>"$XDG_CONFIG_HOME/agentutils/agents.conf"
bad=
while IFS='	' read -r log agent rc state sid; do
	case $log in '#'*) continue ;; esac
	id=$(agent-spawn -a replay -m "$FIX/$log" -p x) || { bad="$bad $log(spawn)"; continue; }
	agent-state -w -t 30 "$id" >/dev/null
	got=$(agent-state "$id")
	want=$(agent-state -x "$rc" "$FIX/$log")
	[ "$got" = "$want" ] || bad="$bad $log($got/$want)"
done <"$FIX/MANIFEST.tsv"
is "$bad" "" "every replayed fixture classifies as the original"
