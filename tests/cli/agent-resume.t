#!/bin/sh
# agent-resume.t — resuming a cut-off run with the replay agent: the
# agent's own resume command, a drafted prompt, a new run linked to the
# old; refusals for a live run, a log without a session, a long lineage.
. ./lib.sh
plan 58
R=$(cd ../../contrib/replay && pwd)
SID=7df02eb4-513b-4551-9950-a612932a2017
mkdir -p "$T/work" "$XDG_CONFIG_HOME/agentutils"
# The replay agent without pauses, and one that hangs after two lines.
cat >"$XDG_CONFIG_HOME/agentutils/agents.conf" <<'EOF'
[preset replay]
spawn = agent-replay -i 0 [-p {prompt}] {model}
resume = agent-replay -i 0 [-p {prompt}] -R {session} {model}

[preset hang]
spawn = agent-replay -i 0 -S -c 2 [-p {prompt}] {model}
resume = agent-replay -i 0 -S -c 2 [-p {prompt}] -R {session} {model}

[preset linger]
dialect = claude-stream
spawn = sh {model} [{prompt}]
resume = sh {model} {session} [{prompt}]

[preset iso]
dialect = claude-stream
spawn = sh {model} [{prompt}]
resume = sh {model} {session} [{prompt}]

[preset rd]
spawn = agent-replay -i 0 [-p {prompt}] {model}
resume = agent-replay -i 0 [-p {prompt}] -R {session} {model}
resume-dialect = claude-stream
EOF
meta() { jq -r ".$2 // empty" "$AGENT_RUNS/$1/meta.json"; }
state_is() { [ "$(agent-state "$1")" = "$2" ]; }

id=$(agent-spawn -a replay -m "$R/claude-cutoff.log" -d "$T/work" -l demo -p 'Create output.txt')
agent-state -w -t 30 "$id" >/dev/null
is "$?" 2 "the replayed run ends cut off"

run agent-resume -n "$id"
is "$rc" 0 "-n prints the command"
case $out in *"agent-replay -i 0 -p "*" -R $SID $R/claude-cutoff.log") r=0 ;; *) r=1 ;; esac
ok $r "the command is the preset's resume template with the session and the recording"
case $out in "cd $T/work && agent-replay"*) r=0 ;; *) r=1 ;; esac
ok $r "the command runs in the run's directory"
case $out in *"cut off"*"in flight"*"sleep 60"*"check the work already done"*) r=0 ;; *) r=1 ;; esac
ok $r "the drafted prompt says cut off, names the Bash call in flight, asks to check the work"
(eval "$out") >"$T/dry.out" 2>/dev/null
cmp -s "$T/dry.out" "$R/claude-cutoff.resume.log"
ok $? "the printed command, run by sh, plays the continuation"

run agent-resume "$id"
new=$out
is "$rc" 0 "agent-resume starts a new run"
agent-state -w -t 30 "$new" >/dev/null
is "$?" 0 "the resumed run completes"
is "$(meta "$new" parent)" "$id" "its metadata names the old run as parent"
is "$(meta "$new" agent).$(meta "$new" model).$(meta "$new" workdir)" \
	"replay.$R/claude-cutoff.log.$T/work" "agent, model and directory are the original's"
is "$(meta "$new" label)" demo "the label is kept"
is "$(agent-session-id "$new")" "$SID" "the new run continues the same session"
cmp -s "$AGENT_RUNS/$new/log" "$R/claude-cutoff.resume.log"
ok $? "the new run's log is the continuation"
case $(cat "$AGENT_RUNS/$new/prompt") in *"sleep 60"*) r=0 ;; *) r=1 ;; esac
ok $r "the drafted prompt is the run's prompt"

run agent-resume --max 1 "$new"
case $rc:$err in 77:*"lineage already holds 1 resume"*) r=0 ;; *) r=1 ;; esac
ok $r "--max 1 refuses to resume a resumed run"

run agent-resume -n -p 'Only the tests are left; it'\''s "fine"; go' "$id"
case $out in *"-p 'Only the tests are left; it'\\''s \"fine\"; go' -R $SID"*) r=0 ;; *) r=1 ;; esac
ok $r "-p gives the prompt, quoted as one word"
run agent-resume -n -p "$(printf 'red \033[31m here')" "$id"
case $out in *"\$(printf '\\033')"*) r=0 ;; *) r=1 ;; esac
[ "$(printf '%s' "$out" | tr -d '\n\t' | tr -d '\040-\176' | wc -c)" -eq 0 ] || r=1
ok $r "-n prints a control character as \$(printf '\\033'), for dash too, and nothing raw"
printf 'from a file\n' >"$T/p.txt"
run agent-resume -n -P "$T/p.txt" "$id"
case $out in *"-p 'from a file"*) r=0 ;; *) r=1 ;; esac
ok $r "-P reads the prompt from a file"

# A live run is refused.
hang=$(agent-spawn -a hang -m "$R/claude-cutoff.log" -d "$T/work" -p x)
wait_for 30 state_is "$hang" running
run agent-resume "$hang"
case $rc:$err in 77:*"still alive"*"-k"*) r=0 ;; *) r=1 ;; esac
ok $r "a run that is still alive is refused, and the message names -k"

# -k stops it first, as agent-kill does, then resumes it; only once
# nothing else refuses, and never with -n.
run agent-resume -k --max 0 "$hang"
is "$rc:$(agent-state "$hang")" "77:running" "-k leaves a run alone that would be refused anyway (--max)"
run agent-resume -n -k "$hang"
is "$rc:$(agent-state "$hang")" "0:running" "-n -k prints the command and stops nothing"
wait_for 30 sh -c "agent-state -S 1 '$hang' | grep -qx stuck"
run agent-resume -k -S 1 "$hang"
new=$out
is "$rc" 0 "-k resumes a stuck run"
is "$(jq -r .killed "$AGENT_RUNS/$hang/exit.json")" true "the stuck run was stopped, its exit record says killed"
is "$(agent-state "$hang")" cut-off "and it reads as cut off"
is "$(meta "$new" parent)" "$hang" "the new run resumes it"
case $(cat "$AGENT_RUNS/$new/prompt") in *"stalled"*) r=0 ;; *) r=1 ;; esac
ok $r "the drafted prompt says the run stalled (-S as agent-state's)"
wait_for 30 sh -c "agent-session-id '$new' | grep -qx $SID"
ok $? "the new run continues the same session"
agent-kill -t 1 "$new" >/dev/null 2>&1

# A log without a session id (opencode printed nothing before it was killed).
nosid=$(agent-spawn -a replay -m "$FIX/opencode/json-stall.log" -d "$T/work" -p x)
agent-state -w -t 30 "$nosid" >/dev/null
run agent-resume "$nosid"
case $rc:$err in 77:*"no session id"*) r=0 ;; *) r=1 ;; esac
ok $r "a run with no session id is refused"

# A plain log, given the agent and the directory.
run agent-resume -n -a claude -d "$T/work" "$FIX/claude/stream-json-cutoff-sigterm.log"
case $out in "cd $T/work && DISABLE_AUTOUPDATER=1 "*" claude -p "*" --resume $SID --output-format stream-json --verbose --permission-mode bypassPermissions") r=0 ;; *) r=1 ;; esac
ok $r "a plain log resumes with the preset's own command (claude --resume)"
run agent-resume -n "$FIX/claude/stream-json-cutoff-sigterm.log"
is "$rc" 64 "a plain log without -a and -d is a usage error"
run agent-resume -n -a omo -d "$T/work" "$FIX/omo/cutoff-sigterm.log"
case $out in *" opencode run --format json --session ses_df60a7513ffe8deB39MhHlv3A0 "*) r=0 ;; *) r=1 ;; esac
ok $r "omo resumes through opencode run --session (OMO's own --session-id refuses a cut-off session)"

# A preset whose resume prints another dialect (omo resumes via opencode).
rd=$(agent-spawn -a rd -m "$R/claude-cutoff.log" -d "$T/work" -p 'Create output.txt')
agent-state -w -t 30 "$rd" >/dev/null
rd2=$(agent-resume -p 'go on' "$rd")
agent-state -w -t 30 "$rd2" >/dev/null
is "$(meta "$rd" dialect)/$(meta "$rd2" dialect)" "/claude-stream" \
	"the resumed run records the preset's resume-dialect"

# -w: a limited run is resumed once its limit resets.  The recordings are
# Claude Code's real 429 result, one with the wording of a reset added.
L=$FIX/claude/stream-json-err429-noretry.log
LSID=4ece4ab7-4bbf-4bda-92fa-015b03e356cd
sed 's/per-minute rate limit"/per-minute rate limit. Please try again in 2 seconds."/' "$L" > "$T/soon.log"
sed 's/per-minute rate limit"/per-minute rate limit. Please try again in 1 hour."/' "$L" > "$T/late.log"
cp "$L" "$T/unknown.log"
for f in soon late unknown; do head -n 1 "$L" > "$T/$f.resume.log"; done
limited() { # limited NAME: a finished replay run of $T/NAME.log
	_id=$(agent-spawn -a replay -m "$T/$1.log" -d "$T/work" -p x)
	agent-state -w -t 30 "$_id" >/dev/null
	echo "$_id"
}
soon=$(limited soon) late=$(limited late) unk=$(limited unknown)
is "$(agent-state "$late")" limited "a run that hit a limit is limited"
logt=$(stat -c %Y "$AGENT_RUNS/$late/log")
at=$(agent-state -j "$late" | jq -r .resets_at)
ok "$( [ "$at" -ge $((logt + 3600)) ] && [ "$at" -le $((logt + 3601)) ]; echo $?)" \
	"-j gives resets_at: 'try again in 1 hour' counted from the log's last write"
case $(agent-state -v "$late" | sed -n 2p) in *"	resets_at=$at	"*) r=0 ;; *) r=1 ;; esac
ok $r "-v gives resets_at= too"
is "$(agent-state -j "$unk" | jq 'has("resets_at")')" false "resets_at is absent when the agent did not say"
run agent-resume -n "$late"
is "$rc" 0 "without -w a limited run is resumed at once, as before"
run agent-resume -n -w "$late"
is "$rc:$err" "0:" "-n -w prints the command and neither waits nor says it would"
run agent-resume -w -W 60 "$late"
case $rc:$err in 77:*"refused: the limit resets at "*"more than --wait-max 60"*) r=0 ;; *) r=1 ;; esac
ok $r "-W refuses a wait longer than it allows"
run agent-resume -w "$unk"
case $rc:$err in 77:*"did not say when it resets"*"-D SECONDS"*) r=0 ;; *) r=1 ;; esac
ok $r "-w refuses when the reset is unknown, and names -D"
run agent-resume -w -D 3600 -W 60 "$unk"
is "$rc" 77 "-D counts from the run's end: an hour is more than -W 60"
run agent-resume -w -D 0 "$unk"
is "$rc" 0 "-D 0: the delay has passed, resumed at once"
agent-state -w -t 30 "$out" >/dev/null
run agent-resume -w "$soon"
new=$out
is "$rc" 0 "-w resumes once the limit has reset"
case $err in ""|"agent-resume: $soon: waiting until "*" for the limit to reset") r=0 ;; *) r=1 ;; esac
ok $r "and says on stderr until when it waits (one line)"
started=$(jq -r .started "$AGENT_RUNS/$new/meta.json")
at=$(agent-state -j "$soon" | jq -r .resets_at)
ok "$(awk -v s="$started" -v a="$at" 'BEGIN { exit !(s >= a) }'; echo $?)" \
	"the new run started no earlier than the reset"
is "$(meta "$new" parent)" "$soon" "the new run resumes the limited one"
agent-state -w -t 30 "$new" >/dev/null

# A run in a worktree of its own is resumed there, and the new run
# records the same worktree and branch.
mkdir -p "$T/repo" && git -C "$T/repo" init -q &&
	git -C "$T/repo" -c user.name=t -c user.email=t@t commit -q --allow-empty -m init
wt=$(agent-spawn -a replay -m "$R/claude-cutoff.log" -d "$T/repo" -wphase/r -p x)
agent-state -w -t 30 "$wt" >/dev/null
wt2=$(agent-resume -p 'go on' "$wt")
agent-state -w -t 30 "$wt2" >/dev/null
is "$(jq -r '[.workdir, .worktree, .branch, .repo] | join(" ")' "$AGENT_RUNS/$wt2/meta.json")" \
	"$(jq -r '[.workdir, .worktree, .branch, .repo] | join(" ")' "$AGENT_RUNS/$wt/meta.json")" \
	"a resumed run works in the same worktree, on the same branch"
case $(jq -r .workdir "$AGENT_RUNS/$wt2/meta.json") in */agentutils-worktrees/"$wt") r=0 ;; *) r=1 ;; esac
ok $r "which is the first run's worktree"

# An agent that has said its last word is still exiting: agent-resume waits
# for the run's end instead of refusing a run that is "still alive".
H=$FIX/claude/stream-json-happy.log
{ echo "cat <<'EOS'"; head -n 1 "$H"; grep '"type":"result"' "$H" | tail -n 1; echo EOS
  printf 'while [ ! -e "%s/go" ]; do sleep 0.05; done\n' "$T"; } > "$T/linger.sh"
lid=$(agent-spawn -a linger -m "$T/linger.sh" -d "$T/work" -p x)
agent-state -w -t 30 "$lid" >/dev/null
is "$?:$(agent-state "$lid")" "0:completed" "a run whose agent said it completed reads completed while it exits"
agent-resume -n "$lid" > "$T/linger.out" 2>&1 &
rp=$!
touch "$T/go"
wait $rp
is "$?" 0 "agent-resume waits for such a run to end instead of refusing it as alive"
run agent-resume nosuchrun
is "$rc" 66 "an unknown run is no input"
run agent-resume -h
case $rc:$out in "0:usage: agent-resume ["*"RUN | LOG") r=0 ;; *) r=1 ;; esac
ok $r "-h prints the usage line"

# -F: the new run in the foreground, its final state as the exit status
cid=$(agent-spawn -a replay -m "$R/claude-cutoff.log" -d "$T/work" -p x)
agent-state -w -t 30 "$cid" >/dev/null
run agent-resume -F "$cid"
is "$rc" 0 "agent-resume -F exits 0 once the continuation has completed"
ok "$(test -s "$AGENT_RUNS/$out/exit.json"; echo $?)" "its run is over by then"

# --isolate: the continuation uses the first run's data directories, where
# the agent CLI keeps the session it continues
{ echo 'if [ $# -ge 2 ]; then echo "store: $(cat "$XDG_DATA_HOME/store" 2>&1)"; else echo kept > "$XDG_DATA_HOME/store"; fi'
  echo "cat <<'EOS'"; head -n 1 "$H"; grep '"type":"result"' "$H" | tail -n 1; echo EOS; } > "$T/iso.sh"
iid=$(agent-spawn --isolate -a iso -m "$T/iso.sh" -d "$T/work" -p x)
agent-state -w -t 30 "$iid" >/dev/null
rid=$(agent-resume "$iid")
agent-state -w -t 30 "$rid" >/dev/null
is "$(grep '^store:' "$AGENT_RUNS/$rid/log")" "store: kept" \
	"a resumed isolated run sees what the first run stored in its XDG_DATA_HOME"
is "$(meta "$rid" isolate):$(meta "$rid" xdg)" "true:$AGENT_RUNS/$iid/xdg" \
	"its record names the first run's data directories"
ok "$(test ! -e "$AGENT_RUNS/$rid/xdg"; echo $?)" "and it makes none of its own"
rid2=$(agent-resume "$rid")
agent-state -w -t 30 "$rid2" >/dev/null
is "$(meta "$rid2" xdg):$(grep '^store:' "$AGENT_RUNS/$rid2/log")" "$AGENT_RUNS/$iid/xdg:store: kept" \
	"and so does the resume of that resume"
