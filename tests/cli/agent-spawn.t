#!/bin/sh
# agent-spawn: a run that starts at once, outlives whoever started it,
# records how it ended, and never leaves the caller guessing.
. ./lib.sh
plan 83

R=$AGENT_RUNS
# field RUN FILE KEY: a plain value of a record
field() { sed -n "s/.*\"$3\":\"\{0,1\}\([^,\"}]*\).*/\1/p" "$R/$1/$2"; }
ended() { test -e "$R/$1/exit.json"; }
held() { ! flock -n -s "$R/$1/lock" true; }
gone() { ! kill -0 "$1" 2>/dev/null; }
# dead PID: gone, or a zombie its parent (this shell) has yet to reap
dead() { case $(ps -o stat= -p "$1" 2>/dev/null) in ''|Z*) true ;; *) false ;; esac; }
in_log() { grep -q "$2" "$R/$1/log"; }

run agent-spawn -- sh -c 'echo out; echo err >&2; exit 3'
id=$out
is "$rc" 0 "spawning a command exits 0"
ok "$(expr "$id" : '[0-9]\{8\}-[0-9]\{6\}-[0-9a-z]\{4\}$' >/dev/null; echo $?)" "it prints a run id"
ok "$(test -s "$R/$id/meta.json"; echo $?)" "the run's record exists when agent-spawn returns"
wait_for 30 ended "$id"
is "$(field "$id" exit.json status)" 3 "an exit status is recorded"
is "$(field "$id" exit.json signal)" null "an exit records no signal"
is "$(cat "$R/$id/log")" "out
err" "stdout and stderr both go to the log"
is "$(stat -c %a "$R/$id")" 700 "the run directory is private (0700)"
is "$(stat -c %a "$R/$id/meta.json" "$R/$id/exit.json" "$R/$id/log" | sort -u)" 600 \
	"its records are private (0600)"
is "$(stat -c %a "$R")" 700 "the runs directory is private (0700)"
is "$(ls -A "$R/$id" | grep -c '^\.')" 0 "no temporary record is left behind"

id=$(agent-spawn -- sh -c 'kill -USR1 $$')
wait_for 30 ended "$id"
is "$(field "$id" exit.json status)" 138 "a signal is recorded as \$? shows it"
is "$(field "$id" exit.json signal)" 10 "and as the signal's number"

run agent-spawn -- nosuch-agent-command --flag
is "$rc" 71 "exec failure exits 71"
is "$err" "agent-spawn: exec: nosuch-agent-command: No such file or directory" \
	"exec failure is reported by agent-spawn itself"
is "$out" "" "exec failure prints no run id"
is "$(ls "$R" | wc -l)" 2 "exec failure leaves no run behind"

# the command is looked up along the agent's PATH (-e), past a file of its
# name that cannot be run, as execvp would
mkdir -p "$T/path1" "$T/path2"
printf 'echo wrong\n' > "$T/path1/some-agent"
printf '#!/bin/sh\necho right "$@"\n' > "$T/path2/some-agent"
chmod 644 "$T/path1/some-agent"
chmod 755 "$T/path2/some-agent"
id=$(agent-spawn -e "PATH=$T/path1:$T/path2:/usr/bin:/bin" -- some-agent --flag)
wait_for 30 ended "$id"
is "$(cat "$R/$id/log")" "right --flag" "the command runs from the first PATH directory where it can"
run agent-spawn -e "PATH=$T/path1" -- some-agent
is "$err" "agent-spawn: exec: some-agent: Permission denied" \
	"a command found only where it cannot run fails as execvp says"

run agent-spawn -d "$T/nonexistent" -- true
is "$rc" 66 "a missing -d DIR exits 66"

id=$(agent-spawn -- cat)
ok "$(wait_for 30 ended "$id"; echo $?)" "an agent that reads stdin gets EOF, not a hang"
is "$(field "$id" exit.json status)" 0 "and exits 0"

id=$(agent-spawn -p 'the prompt' -- cat)
wait_for 30 ended "$id"
is "$(cat "$R/$id/log")" "the prompt" "a command without a preset reads -p on stdin"
is "$(cat "$R/$id/prompt")" "the prompt" "the prompt is kept in the run"

id=$(printf 'from\nstdin' | agent-spawn -P - -- cat)
wait_for 30 ended "$id"
is "$(cat "$R/$id/log")" "from
stdin" "-P - reads the prompt from standard input"

id=$(agent-spawn printf '%s|' -l x -- -e)
wait_for 30 ended "$id"
is "$(cat "$R/$id/log")" "-l|x|--|-e|" "options after the command are the command's"

mkdir "$T/wd"
id=$(agent-spawn -d "$T/wd" -e FOO=bar -e NO_COLOR=0x -- \
	sh -c 'echo "$PWD $FOO $AGENT_RUN_ID"; echo "$NO_COLOR"; read x || echo eof')
wait_for 30 ended "$id"
is "$(sed -n 1p "$R/$id/log")" "$T/wd bar $id" "the agent runs in -d DIR with -e and AGENT_RUN_ID"
is "$(sed -n 2p "$R/$id/log")" "0x" "-e wins over the defaults"
is "$(sed -n 3p "$R/$id/log")" "eof" "stdin is /dev/null"
id=$(agent-spawn -- sh -c 'echo "$NO_COLOR"')
wait_for 30 ended "$id"
is "$(cat "$R/$id/log")" "1" "NO_COLOR=1 is set"

id=$(agent-spawn -o "$T/out.log" -- echo to a file)
wait_for 30 ended "$id"
is "$(cat "$T/out.log")" "to a file" "-o FILE takes the log"
is "$(field "$id" meta.json log)" "$T/out.log" "and the record says where"

# A launcher that leaves a child behind: the run lasts until the child ends.
id=$(agent-spawn -d "$T/wd" -- sh -c '(while [ ! -e go ]; do sleep 0.05; done; echo late) & echo early')
pid=$(field "$id" meta.json pid)
wait_for 30 gone "$pid"
ok "$(in_log "$id" early; echo $?)" "the launcher wrote and exited"
ok "$(held "$id" && ! ended "$id"; echo $?)" "its child keeps the run alive"
touch "$T/wd/go"
wait_for 30 ended "$id"
ok "$(in_log "$id" late; echo $?)" "the child's late output is in the log"
is "$(field "$id" exit.json reaped)" 1 "the stray child is counted as reaped"
is "$(field "$id" exit.json status)" 0 "the status is the launcher's own"
ok "$(wait_for 30 sh -c "! flock -n -s '$R/$id/lock' false"; echo $?)" "the lock is released at the end"

# The launcher trap (Copilot's and Qwen Code's node loaders): a TERM to the
# launched process ends it alone; the child it started in a session of its
# own is not signalled and goes on writing.  The run is not over, for the
# supervisor nor for agent-state, until that child is gone.
rm -f "$T/wd/go" "$T/wd/child"
id=$(agent-spawn -d "$T/wd" -- sh -c 'setsid sh -c "echo \$\$ > child; echo started
	while [ ! -e go ]; do sleep 0.05; done; echo late" & wait')
pid=$(field "$id" meta.json pid)
wait_for 30 test -s "$T/wd/child"
kill -TERM "$pid"
wait_for 30 gone "$pid"
ok "$(gone "$pid" && ! gone "$(cat "$T/wd/child")"; echo $?)" \
	"a TERM to the launched process ends it, not its child in a session of its own"
ok "$(held "$id" && ! ended "$id"; echo $?)" "the child keeps the run alive: no exit record yet"
run agent-state "$id"
is "$out" running "agent-state says running while the child may still write"
touch "$T/wd/go"
wait_for 30 ended "$id"
ok "$(in_log "$id" late; echo $?)" "what the child wrote after the launcher ended is in the log"
is "$(field "$id" exit.json status) $(field "$id" exit.json signal)" "143 15" \
	"the exit record keeps how the launched process ended"
ok "$(awk -v a="$(field "$id" exit.json pid_ended)" -v b="$(field "$id" exit.json ended)" \
	'BEGIN { exit !(a != "" && a != "null" && a + 0 <= b + 0) }'; echo $?)" \
	"and when: pid_ended, no later than ended, when the child was gone"
rm -f "$T/wd/go"

# The launching shell's process group and its hangup do not reach the run.
# The launcher gets the signal's default action back first: the suite may
# run under nohup (HUP ignored, and inherited), and a launcher that ignores
# the signal would prove nothing and outlive the test.
rm -f "$T/wd/go"
for sig in TERM HUP; do
	setsid env --default-signal="$sig" sh -c 'echo $$ > "$1/pg"; agent-spawn -d "$1/wd" -- sh -c "while [ ! -e go ]; do sleep 0.05; done" > "$1/id"; exec sleep 300' \
		sh "$T" &
	launcher=$!
	wait_for 30 test -s "$T/id"
	id=$(cat "$T/id")
	kill -"$sig" -"$(cat "$T/pg")"
	ok "$(wait_for 30 dead "$launcher"; echo $?)" "kill -$sig of the launcher's process group ends the launcher"
	ok "$(held "$id" && kill -0 "$(field "$id" meta.json pid)"; echo $?)" \
		"the agent survives kill -$sig of the launcher's process group"
	wait "$launcher"
	touch "$T/wd/go"
	wait_for 30 ended "$id"
	rm -f "$T/wd/go" "$T/id"
done

# A symlink planted in a run directory is replaced, never written through.
echo precious > "$T/target"
id=$(agent-spawn -d "$T/wd" -- sh -c 'while [ ! -e go ]; do sleep 0.05; done')
ln -s "$T/target" "$R/$id/exit.json"
touch "$T/wd/go"
wait_for 30 test -f "$R/$id/exit.json" -a ! -L "$R/$id/exit.json"
is "$(cat "$T/target")" precious "a planted symlink is not followed"
rm -f "$T/wd/go"

# --on-exit runs once the run is over, with its id and state.
id2=$(agent-spawn -d "$T" --on-exit 'echo "$AGENT_RUN_ID $AGENT_RUN_STATE $AGENT_RUN_STATUS" > hook.out' -- true)
wait_for 30 test -s "$T/hook.out"
is "$(cat "$T/hook.out")" "$id2 completed 0" "--on-exit gets AGENT_RUN_ID and AGENT_RUN_STATE"

id=$(agent-spawn --isolate -- sh -c 'echo "$XDG_DATA_HOME"')
wait_for 30 ended "$id"
is "$(cat "$R/$id/log")" "$R/$id/xdg/data" "--isolate gives the run its own XDG_DATA_HOME"
ok "$(test -d "$R/$id/xdg/state" && test -d "$R/$id/xdg/cache"; echo $?)" "and state and cache homes"

# 100 spawns at once: unique ids, whole records.
i=0
pids=
while [ $i -lt 100 ]; do
	agent-spawn -l many -- true > "$T/many.$i" &
	pids="$pids $!"
	i=$((i + 1))
done
wait $pids
is "$(cat "$T"/many.* | sort -u | wc -l)" 100 "100 concurrent spawns get 100 ids"
bad=0
for f in "$T"/many.*; do
	id=$(cat "$f")
	wait_for 30 ended "$id" || bad=$((bad + 1))
	[ "$(field "$id" meta.json id)" = "$id" ] || bad=$((bad + 1))
	[ "$(field "$id" exit.json status)" = 0 ] || bad=$((bad + 1))
done
is "$bad" 0 "and every record is intact"

# Presets come from agents.conf(5).
mkdir -p "$XDG_CONFIG_HOME/agentutils"
printf '#!/bin/sh\nfor a; do printf "%%s\\n" "$a"; done; echo "ECHOER=$ECHOER"\n' > "$T/echoer"
printf '#!/bin/sh\nprintf %%s "$1" | wc -c; wc -c\n' > "$T/catter"
chmod +x "$T/echoer" "$T/catter"
cat > "$XDG_CONFIG_HOME/agentutils/agents.conf" <<EOF
[preset echoer]
spawn = $T/echoer [--model={model}] {prompt}
dialect = generic
env = ECHOER=1

[preset catter]
spawn = $T/catter [{prompt}]
long-prompt = stdin
EOF
id=$(agent-spawn -a echoer -m m1 -l lab -p 'a "quoted" prompt; $(no shell)')
wait_for 30 ended "$id"
is "$(cat "$R/$id/log")" "--model=m1
a \"quoted\" prompt; \$(no shell)
ECHOER=1" "a preset's template becomes argv, no shell, with its env"
is "$(field "$id" meta.json agent) $(field "$id" meta.json dialect) $(field "$id" meta.json model)" \
	"echoer generic m1" "the record names the agent, dialect and model"
run agent-spawn -a nosuch -p x
is "$rc" 64 "an unknown agent is a usage error"
run agent-spawn -a echoer
is "$err" "agent-spawn: echoer: needs a prompt (-p or -P)" "a preset that needs a prompt says so"
run agent-spawn -a replay -p hi
is "$rc $err" "64 agent-spawn: replay: the spawn template needs {model}: give -m MODEL" \
	"a preset whose template needs a model names the field and the option"
head -c 200000 /dev/zero | tr '\0' x > "$T/long"
run agent-spawn -a echoer -P "$T/long"
is "$rc" 65 "a prompt too long for one argument is refused where the agent has no other way"
id=$(agent-spawn -a catter -P "$T/long")
wait_for 30 ended "$id"
is "$(tr -d ' ' < "$R/$id/log" | tr '\n' ' ')" "0 200000 " "or goes on stdin where the preset says so"
run agent-spawn -h
is "$rc $(echo "$out" | head -n 1 | cut -d ' ' -f 1-2)" "0 usage: agent-spawn" "-h prints the usage and exits 0"
mkdir -p "$T/proj"
id=$(agent-spawn -d "$T/proj" -- sh -c 'echo "$PWD"')
wait_for 30 ended "$id"
is "$(cat "$R/$id/log")" "$(cd "$T/proj" && pwd -P)" "the agent's PWD is its -d directory (opencode takes its project from PWD)"

# agent-spawn inside a run (an agent's shell tool starting another agent):
# the inner run is a run of its own, which the outer one neither waits for
# nor takes down with it.
outer=$(agent-spawn -- sh -c 'agent-spawn -l inner -- sleep 300 > "$1"' sh "$T/inner")
wait_for 30 test -s "$T/inner"
inner=$(cat "$T/inner")
ok "$(wait_for 30 ended "$outer"; echo $?)" "a run that spawned another run ends when its own processes end"
is "$(agent-state "$outer" 2>&1) $(agent-state "$inner" 2>&1)" "completed starting" \
	"the outer run is completed while the inner one (silent so far) still runs"
is "$(field "$inner" meta.json spawned_by) $(field "$outer" meta.json spawned_by)" "$outer null" \
	"the inner run records the run it was spawned inside"
outer=$(agent-spawn -- sh -c 'agent-spawn -- sleep 300 > "$1"; exec sleep 300' sh "$T/inner2")
wait_for 30 test -s "$T/inner2"
inner2=$(cat "$T/inner2")
agent-kill "$outer" >/dev/null 2>&1
wait_for 30 ended "$outer"
is "$(field "$outer" exit.json signal) $(agent-state "$inner2" 2>&1)" "15 starting" \
	"agent-kill on the outer run leaves the inner run running"
agent-kill "$inner" "$inner2" >/dev/null 2>&1
ok "$(wait_for 30 ended "$inner" && wait_for 30 ended "$inner2"; echo $?)" \
	"the inner runs end when they are killed themselves"

# -a list names every preset and profile, however many agents.conf adds
mkdir -p "$T/many/agentutils"
i=0; while [ $i -lt 300 ]; do printf '[profile p%d]\nagent = claude\n\n' $i; i=$((i + 1)); done \
	>"$T/many/agentutils/agents.conf"
builtin=$(XDG_CONFIG_HOME=$T/none agent-spawn -a list | wc -l | tr -d ' ')
is "$(XDG_CONFIG_HOME=$T/many agent-spawn -a list | wc -l | tr -d ' ')" $((builtin + 300)) \
	"-a list shows the $builtin built-in names and all 300 profiles of a config (it stopped at 256)"

# -w / --worktree: the agent works in a new git worktree of -d's
# repository, on a branch of its own, under the common git directory.
mkdir -p "$T/repo/sub" && git -C "$T/repo" init -q &&
	git -C "$T/repo" -c user.name=t -c user.email=t@t commit -q --allow-empty -m init
printf '[preset where]\nspawn = sh -c {prompt} where {dir}\n' >> "$XDG_CONFIG_HOME/agentutils/agents.conf"
run agent-spawn -d "$T/repo/sub" -w -- sh -c 'pwd; git branch --show-current'
id=$out
wait_for 30 ended "$id"
wt=$(git -C "$T/repo" rev-parse --path-format=absolute --git-common-dir)/agentutils-worktrees/$id
is "$rc:$(cat "$R/$id/log")" "0:$wt/sub
agent/$id" "-w: the agent works in a new worktree, as far below its top as -d was, on branch agent/<run id>"
is "$(jq -r '[.worktree, .branch, .repo, .workdir] | join(" ")' "$R/$id/meta.json")" \
	"$wt agent/$id $T/repo $wt/sub" "meta.json records the worktree, its branch, the repository and the directory"
id=$(agent-spawn -a where -d "$T/repo" --worktree=phase/one -p 'echo "$1"')
wait_for 30 ended "$id"
is "$(cat "$R/$id/log") $(git -C "$T/repo" for-each-ref --format='%(refname:short)' refs/heads/phase/one)" \
	"$(git -C "$T/repo" rev-parse --path-format=absolute --git-common-dir)/agentutils-worktrees/$id phase/one" \
	"--worktree=BRANCH names the branch, and a preset's {dir} is the worktree"
n=$(ls "$R" | wc -l)
run agent-spawn -d "$T/repo" -wphase/one -- true
case $rc:$err in "77:agent-spawn: --worktree=phase/one: refused: branch phase/one already exists") r=0 ;; *) r=1 ;; esac
ok $r "a branch that exists is refused (77), saying so"
run agent-spawn -d "$T/repo" -w'bad..name' -- true
is "$rc" 64 "a name git would not take for a branch is a usage error"
run agent-spawn -d "$T/wd" -w -- true
case $rc:$err in "77:agent-spawn: $T/wd: --worktree: refused: not inside a git work tree") r=0 ;; *) r=1 ;; esac
ok $r "outside a git work tree -w is refused (77), saying so"
is "$(ls "$R" | wc -l)" "$n" "a refused -w makes no run"
git -C "$T/repo" worktree remove "$wt" && git -C "$T/repo" branch -q -d "agent/${wt##*/}"
ok "$(test ! -e "$wt" && [ -z "$(git -C "$T/repo" branch --list "agent/${wt##*/}")" ]; echo $?)" \
	"git worktree remove and git branch -d take a run's worktree away, as agent-spawn(1) says"

# --foreground: the run's whole life, and its final state as the exit status
run agent-spawn -F -d "$T/wd" -- sh -c 'echo fg; exit 0'
is "$rc" 0 "--foreground exits 0 once its run has completed"
id=$out
ok "$(ended "$id"; echo $?)" "the run is over when it returns: its exit record is written"
is "$(cat "$R/$id/log")" fg "and it ran as any run does"
run agent-spawn -F -d "$T/wd" -- sh -c 'exit 3'
is "$rc" 1 "a run that fails: --foreground exits 1"
agent-spawn -F -d "$T/wd" -- sh -c 'echo up; exec sleep 300' > "$T/fg.out" &
fg=$!
fg_up() { _id=$(head -n 1 "$T/fg.out") && [ -n "$_id" ] && grep -q up "$R/$_id/log"; }
wait_for 30 fg_up
id=$(head -n 1 "$T/fg.out")
is "$(awk '{ print $4 }' "/proc/$(field "$id" meta.json supervisor)/stat")" "$fg" \
	"the supervisor is agent-spawn's own child, not detached"
kill -TERM "$fg"
wait_pid 30 "$fg"
is "$?" 2 "TERM to agent-spawn --foreground reaches the agent: cut-off, exit 2"
is "$(field "$id" exit.json signal)" 15 "the agent was ended by that TERM"
