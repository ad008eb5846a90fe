#!/bin/sh
# agent-kill: every process of the run goes, whatever group or session it
# moved to; nothing outside the run is ever signalled.
. ./lib.sh
plan 37

R=$AGENT_RUNS
field() { sed -n "s/.*\"$3\":\"\{0,1\}\([^,\"}]*\).*/\1/p" "$R/$1/$2"; }
ended() { test -e "$R/$1/exit.json"; }
# gone PID: no such process, or only a zombie nobody has reaped yet
gone() { ! kill -0 "$1" 2>/dev/null || [ "$(sed 's/.*) //' "/proc/$1/stat" 2>/dev/null | cut -c1)" = Z ]; }
all_gone() { for p in $(cat "$1"); do gone "$p" || return 1; done; }
lines() { test "$(wc -l < "$1")" -ge "$2"; }
mkdir "$T/wd"

# The agent leaves a child in its group and one in a session of its own.
id=$(agent-spawn -d "$T/wd" -- sh -c 'echo $$ > pids; sleep 300 & echo $! >> pids
	setsid sleep 300 & echo $! >> pids; wait')
wait_for 30 lines "$T/wd/pids" 3
run agent-kill "$id"
is "$rc" 0 "agent-kill exits 0"
ok "$(all_gone "$T/wd/pids"; echo $?)" "no process of the run is left, in its group or not"
ok "$(ended "$id"; echo $?)" "the exit record is written before agent-kill returns"
is "$(field "$id" exit.json killed)" true "it says the run was killed"
is "$(field "$id" exit.json status)" 143 "and how the agent ended"

# An agent that ignores TERM gets KILL after the grace.
id=$(agent-spawn -d "$T/wd" -- sh -c 'trap "" TERM; echo $$ > pids2; sleep 300 & echo $! >> pids2; wait')
wait_for 30 lines "$T/wd/pids2" 2
run agent-kill -t 0.3 "$id"
is "$rc" 0 "a TERM-deaf run is stopped too"
ok "$(all_gone "$T/wd/pids2"; echo $?)" "by KILL after the grace"
is "$(field "$id" exit.json status)" 137 "which the exit record shows"

# -s picks the signal: an agent that handles INT ends its own way.
id=$(agent-spawn -d "$T/wd" -- sh -c 'trap "echo got INT; exit 0" INT; echo ready > ready
	while :; do sleep 0.05; done')
wait_for 30 test -s "$T/wd/ready"
run agent-kill -s INT "$id"
is "$rc" 0 "-s INT sends INT"
is "$(cat "$R/$id/log")" "got INT" "the agent saw it"
is "$(field "$id" exit.json status) $(field "$id" exit.json killed)" "0 true" \
	"its own exit status is kept, with killed"

# Nothing is signalled once the run is over, even if its pids were reused.
sleep 300 &
bystander=$!
id=$(agent-spawn -- true)
wait_for 30 ended "$id"
sed -i "s/\"supervisor\":[0-9]*/\"supervisor\":$bystander/; s/\"pid\":[0-9]*/\"pid\":$bystander/; s/\"pgid\":[0-9]*/\"pgid\":$bystander/" \
	"$R/$id/meta.json"
run agent-kill "$id"
is "$rc" 0 "a run that has ended exits 0"
is "$err" "agent-kill: $id: already ended (exit 0); nothing signalled" "and says so"
ok "$(kill -0 $bystander; echo $?)" "the process now holding its pids is untouched"
rm "$R/$id/exit.json"
run agent-kill "$id"
is "$rc" 77 "a run whose supervisor pid now belongs to another process is refused"
ok "$(kill -0 $bystander; echo $?)" "and that process is untouched"
# A quiet machine starts two processes in one clock tick: the start tick
# alone cannot tell them apart, so make them equal on purpose.
tick=$(sed 's/^.*) //' /proc/$bystander/stat | cut -d' ' -f20)
sed -i "s/\"supervisor_start\":[0-9]*/\"supervisor_start\":$tick/" "$R/$id/meta.json"
run agent-kill "$id"
is "$rc" 77 "a process started in the supervisor's clock tick that is no supervisor is refused too"
ok "$(kill -0 $bystander; echo $?)" "and is untouched"
run agent-state "$id"
is "$rc $out" "2 cut-off" "and the run it stands in for reads as ended, not running"
kill $bystander

# The supervisor killed with SIGKILL: its orphans are still the run's.
id=$(agent-spawn -d "$T/wd" -- sh -c 'echo $$ > pids3; sleep 300 & echo $! >> pids3; wait')
wait_for 30 lines "$T/wd/pids3" 2
kill -KILL "$(field "$id" meta.json supervisor)"
wait_for 30 gone "$(field "$id" meta.json supervisor)"
run agent-kill -t 1 "$id"
is "$rc" 0 "a run whose supervisor was killed can still be stopped"
ok "$(all_gone "$T/wd/pids3"; echo $?)" "its orphans are found by session and AGENT_RUN_ID"
run agent-state "$id"
is "$rc $out" "2 cut-off" "with no exit record, agent-kill's marker makes it cut-off"
run agent-kill "$id"
is "$rc" 0 "after that there is nothing left to stop"

# The launcher trap: the launched process has ended, and the child it left
# in a session of its own ignores TERM (Droid's native binary survives TERM
# to every process): KILL after the grace stops it, and the record follows.
id=$(agent-spawn -d "$T/wd" -- sh -c 'setsid sh -c "trap \"\" TERM; echo \$\$ > pids5
	while :; do sleep 0.05; done" &')
wait_for 30 lines "$T/wd/pids5" 1
wait_for 30 gone "$(field "$id" meta.json pid)"
run agent-kill -t 0.3 "$id"
is "$rc" 0 "a TERM-deaf child outside the run's session, its launcher gone, is stopped"
ok "$(all_gone "$T/wd/pids5"; echo $?)" "by KILL after the grace"
ok "$(ended "$id"; echo $?)" "and the exit record is written before agent-kill returns"

# Its supervisor killed too: that child, re-parented outside the run and in
# no session of the run's, is still found, by the AGENT_RUN_ID it carries.
id=$(agent-spawn -d "$T/wd" -- sh -c 'setsid sh -c "echo \$\$ > pids6; echo started
	while :; do sleep 0.05; done" &')
wait_for 30 lines "$T/wd/pids6" 1
wait_for 30 gone "$(field "$id" meta.json pid)"
kill -KILL "$(field "$id" meta.json supervisor)"
wait_for 30 gone "$(field "$id" meta.json supervisor)"
run agent-state "$id"
is "$out" running "agent-state says running while it may write"
run agent-kill -t 1 "$id"
is "$rc $err" "0 " "agent-kill stops it, saying nothing"
ok "$(all_gone "$T/wd/pids6"; echo $?)" "no process of the run is left"
run agent-state "$id"
is "$rc $out" "2 cut-off" "and the run reads cut-off"
for p in $(cat "$T/wd/pids5" "$T/wd/pids6"); do kill -KILL "$p" 2>/dev/null; done

# An agent that finishes its turn when TERM stops its tool (Factory
# Droid): its completion, written after agent-kill marked the run, does
# not make the run completed.  One written before the kill does.
cat > "$T/droidlike" <<'EOF'
sid=ead6ada3-d1f7-4cf1-8e7b-916fb79f56f3
line() { printf '{"type":"%s",%s,"timestamp":%s,"session_id":"%s"}\n' "$1" "$2" "$(date +%s%3N)" $sid; }
done_line() { line completion '"finalText":"Done.","numTurns":1'; }
printf '{"type":"system","subtype":"init","cwd":"/w","session_id":"%s","tools":["Execute"],"model":"m","reasoning_effort":"none"}\n' $sid
line tool_call '"id":"c1","toolId":"Execute","toolName":"Execute","parameters":{"command":"sleep 300"}'
if [ "$1" = after ]; then trap 'done_line; exit 0' TERM; else done_line; fi
echo ready > "ready-$1"
sleep 300 &
wait
EOF
id=$(agent-spawn -d "$T/wd" -- sh "$T/droidlike" after)
wait_for 30 test -s "$T/wd/ready-after"
run agent-kill "$id"
is "$(field "$id" exit.json status) $(tail -n 1 "$R/$id/log" | cut -c1-20)" '0 {"type":"completion"' \
	"a droid-like agent writes its completion when TERM stops its tool, and exits 0"
run agent-state -v "$id"
is "$rc $(echo "$out" | head -n 1)" "2 cut-off" "agent-state says cut-off, not completed"
case $out in *"why=stopped by agent-kill, the agent's completion came after it; exit 0"*) r=0 ;; *) r=1 ;; esac
ok $r "and -v says why"
id=$(agent-spawn -d "$T/wd" -- sh "$T/droidlike" before)
wait_for 30 test -s "$T/wd/ready-before"
run agent-kill "$id"
run agent-state "$id"
is "$rc $out" "0 completed" "a completion written before agent-kill keeps the run completed"

run agent-kill 1999
is "$rc" 66 "an unknown run exits 66"
run agent-kill -s NOSUCH "$id"
is "$rc" 64 "an unknown signal is a usage error"
run agent-kill
is "$rc" 64 "no run is a usage error"
