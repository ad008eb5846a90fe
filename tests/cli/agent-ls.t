#!/bin/sh
# agent-ls: one row a run, honest about state, safe for a terminal.
. ./lib.sh
plan 33

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
is "$(row "$ok_id" | awk -F '\t' '{ print NF }')" 11 "a row has eleven tab-separated fields"
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

# Tokens and cost, each agent read as it reports them (real logs): a run
# whose agent printed FIXTURE, labelled LABEL; resuming PARENT when given.
usage_run() {
	_id=$(agent-spawn -l "$2" -- cat "$FIX/$1") && wait_for 30 ended "$_id" || return 1
	[ -z "${3:-}" ] || sed -i "s/\"parent\":null/\"parent\":\"$3\"/" "$R/$_id/meta.json"
	echo "$_id"
}
figs() { col "$1" 9-11 | tr '\t' ' '; }
jfield() { agent-ls -a -j | jq -r --arg id "$1" "select(.id == \$id) | $2"; }

cl1=$(usage_run claude/stream-json-happy.log cl)
cl2=$(usage_run claude/stream-json-resume.log cl "$cl1")
is "$(figs "$cl1")" "7677 78 0.0403" "claude: tokens in, out and cost are the result's (the run's totals)"
is "$(figs "$cl2") $(jfield "$cl2" '[.chain_runs, .chain_tokens_in, .chain_tokens_out, .chain_cost] | @tsv')" \
	"2107 11 0.0108 2	9784	89	0.051145" \
	"claude: a resumed run's figures are its own result's; its chain's add both runs"
cx1=$(usage_run codex/exec-json-happy.log cx)
cx2=$(usage_run codex/exec-json-resume.log cx "$cx1")
is "$(figs "$cx1")" "29096 332 -" "codex: turn.completed's usage, and no cost (codex reports none)"
is "$(figs "$cx2") $(jfield "$cx2" '[.chain_runs, .chain_tokens_in, .chain_tokens_out] | @tsv')" \
	"7559 62 - 2	36655	394" \
	"codex: the session's running total less the resumed run's is the new run's own; the chain's is the total"
oc1=$(usage_run opencode/json-happy.log oc)
oc2=$(usage_run opencode/json-resume-session.log oc "$oc1")
is "$(figs "$oc1")" "5000 125 0.0000" "opencode: every step_finish added up"
is "$(figs "$oc2") $(jfield "$oc2" '[.chain_tokens_in, .chain_tokens_out] | @tsv')" "2000 50 0.0000 7000	175" \
	"opencode: a resumed run's steps are its own; its chain's add both"
gm=$(usage_run gemini/stream-json-happy.log gm)
is "$(figs "$gm")" "48258 147 -" "gemini: the result's stats, and no cost"

# A long opencode log: its steps before the end that agent-state reads
# are counted too (the whole log is read for an agent that reports per step).
for i in $(seq 40); do head -n 15 "$FIX/opencode/json-happy.log"; done > "$T/long.log"
tail -n 4 "$FIX/opencode/json-happy.log" >> "$T/long.log"
want=$(jq -s '[.[] | select(.type == "step_finish") | .part.tokens.input] | add' "$T/long.log")
long=$(agent-spawn -l long -- cat "$T/long.log")
wait_for 30 ended "$long"
is "$(col "$long" 9) $(agent-state -j "$T/long.log" | jq .tokens_in)" "$want $want" \
	"opencode: steps far from the end of a long log are added up too (agent-ls and agent-state -j alike)"

# Totals
is "$(agent-ls -s -l cl)" "2	9784	89	0.0511" "-s adds up the runs' own figures"
is "$(agent-ls -j -slabel | jq -c 'select(.label == "cx") | [.runs, .tokens_in, .tokens_out, .cost]')" \
	"[2,36655,394,null]" "-slabel -j: one JSON object a label; a cost no run reported is null"
is "$(agent-ls -a -sagent | cut -f 1 | grep -c '^cat$')" 1 "-sagent: one row an agent"
sed -i 's/"started":[0-9.]*/"started":1795463071.000/' "$R/$cl1/meta.json" "$R/$cl2/meta.json"
is "$(TZ=UTC agent-ls -a -l cl --sum=day)" "2026-11-23	2	9784	89	0.0511" \
	"--sum=day: by the day the runs started"
run agent-ls -sweek
is "$rc" 64 "-s by anything else is a usage error"

run agent-ls -x
is "$rc" 64 "an unknown option is a usage error"
