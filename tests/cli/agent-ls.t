#!/bin/sh
# agent-ls: one row a run, honest about state, safe for a terminal.
. ./lib.sh
plan 20

R=$AGENT_RUNS
field() { sed -n "s/.*\"$3\":\"\{0,1\}\([^,\"}]*\).*/\1/p" "$R/$1/$2"; }
ended() { test -e "$R/$1/exit.json"; }
gone() { ! kill -0 "$1" 2>/dev/null || [ "$(sed 's/.*) //' "/proc/$1/stat" 2>/dev/null | cut -c1)" = Z ]; }
row() { agent-ls -a | grep "^$1	"; }
col() { row "$1" | cut -f "$2"; }
mkdir "$T/wd"

run agent-ls
is "$rc $out" "0 " "no runs: no rows, exit 0"

ok_id=$(agent-spawn -l first -- echo done)
fail_id=$(agent-spawn -l second -- sh -c 'echo oops; exit 3')
wait_for 30 ended "$ok_id"
wait_for 30 ended "$fail_id"
is "$(row "$ok_id" | awk -F '\t' '{ print NF }')" 8 "a row has eight tab-separated fields"
is "$(col "$ok_id" 2)" completed "a clean exit of a plain command is completed"
is "$(col "$fail_id" 2)" failed "a non-zero exit is failed"
is "$(col "$ok_id" 5) $(col "$ok_id" 6)" "first echo" "label and agent (the command's name)"
is "$(agent-ls -l second | cut -f 1)" "$fail_id" "-l LABEL shows only that label's runs"
is "$(agent-ls | cut -f 1 | tr '\n' ' ')" "$ok_id $fail_id " "runs are listed oldest first"

sid=870124a1-fad0-40df-8a60-f6cf1bd92a13
id=$(agent-spawn -- cat "$FIX/claude/json-happy.log")
wait_for 30 ended "$id"
is "$(col "$id" 7) $(col "$id" 2)" "$sid completed" "the session id is read from the log"

run agent-ls -j -l first
ok "$(echo "$out" | grep -q "^{\"id\":\"$ok_id\",\"state\":\"completed\",.*\"label\":\"first\",\"agent\":\"echo\",.*\"status\":0,"; echo $?)" \
	"-j prints a JSON line a run"

id=$(agent-spawn -l "$(printf 'bad\033]0;x\007\tlabel')" -- true)
wait_for 30 ended "$id"
is "$(col "$id" 5)" 'bad\e]0;x\x07\tlabel' "control characters and tabs in a label are escaped"

# A live run: starting with no output, running once it writes.
id=$(agent-spawn -d "$T/wd" -- sh -c 'while [ ! -e go1 ]; do sleep 0.05; done; echo working
	while [ ! -e go2 ]; do sleep 0.05; done')
is "$(col "$id" 2)" starting "a live run without output is starting"
touch "$T/wd/go1"
wait_for 30 grep -q working "$R/$id/log"
is "$(col "$id" 2)" running "a live run that wrote is running"

# Its supervisor killed: the run is live while its agent lives, and
# afterwards neither running nor completed (no exit was ever recorded).
kill -KILL "$(field "$id" meta.json supervisor)"
wait_for 30 gone "$(field "$id" meta.json supervisor)"
is "$(col "$id" 2)" running "a run whose supervisor was killed is running while its agent runs"
touch "$T/wd/go2"
wait_for 30 gone "$(field "$id" meta.json pid)"
case $(col "$id" 2) in running|starting|stuck) st=1 ;; *) st=0 ;; esac
ok $st "and is no longer live once the agent has gone"
ok "$(agent-ls -j | grep "\"id\":\"$id\"" | grep -q '"alive":false,"status":null,'; echo $?)" \
	"with no exit status made up (none was recorded)"

# Old runs are hidden without -a.
old=$(agent-spawn -- true)
wait_for 30 ended "$old"
sed -i 's/"started":[0-9.]*/"started":1000.000/' "$R/$old/meta.json"
sed -i 's/"ended":[0-9.]*/"ended":1001.000/' "$R/$old/exit.json"
touch -d @1001 "$R/$old/log"
is "$(agent-ls | grep -c "^$old")" 0 "a run that ended long ago is hidden"
is "$(agent-ls -a | grep -c "^$old")" 1 "and shown by -a"

# A run in a worktree of its own shows its branch, and -j where it is.
mkdir -p "$T/repo" && git -C "$T/repo" init -q &&
	git -C "$T/repo" -c user.name=t -c user.email=t@t commit -q --allow-empty -m init
id=$(agent-spawn -d "$T/repo" -wphase/ls -- true)
wait_for 30 ended "$id"
is "$(col "$id" 8)" phase/ls "the last field is the run's branch"
ok "$(agent-ls -j | grep "\"id\":\"$id\"" | jq -e --arg r "$T/repo" \
	'.branch == "phase/ls" and .repo == $r and (.worktree | endswith("/agentutils-worktrees/'"$id"'"))' >/dev/null; echo $?)" \
	"-j gives the worktree, its branch and the repository"

run agent-ls -x
is "$rc" 64 "an unknown option is a usage error"
