#!/bin/sh
# phases.t — contrib/phases.mk and phase-run(1) driving toy git projects
# whose agent is a shell script speaking Claude Code's stream-json: each
# phase verified and committed in order, cut-off runs resumed, a failed
# verification sent back, a failed phase stopping the pipeline and the next
# make going on from there, a live run waited on, NOTIFY, phases-status;
# stuck runs stopped and resumed, limits waited out, independent phases in
# worktrees at once (make -j2, PHASE_CHAIN = no), a merge conflict.
. ./lib.sh
plan 63
TOP=$(cd ../.. && pwd)
export GIT_CONFIG_GLOBAL="$T/gitconfig" GIT_CONFIG_NOSYSTEM=1
export GIT_AUTHOR_NAME=t GIT_AUTHOR_EMAIL=t@example.org GIT_COMMITTER_NAME=t GIT_COMMITTER_EMAIL=t@example.org
: >"$GIT_CONFIG_GLOBAL"
# Runs the test leaves alive (a failing test) are stopped with it.
trap 'for r in "$AGENT_RUNS"/*/; do [ -d "$r" ] && agent-kill -t 1 "$r" >/dev/null 2>&1; done; rm -rf "$T"' EXIT
mkdir -p "$T/plan" "$T/sess" "$T/calls" "$XDG_CONFIG_HOME/agentutils"

# The agent.  Its session comes from the "agent-key: KEY" line of the phase
# prompt; run N of a session does what line N of $T/plan/KEY says:
#   ok CMD      run CMD, then the completion result
#   cutoff CMD  run CMD, then die by SIGTERM before any result
#   fail        an error result
#   wait FILE CMD  announce the session, wait for FILE, run CMD, complete
#   stall CMD   run CMD, then hang without output or CPU (stuck)
#   limit N     hit a usage limit that resets in N seconds
#   meet KEY CMD   write where it works, wait (30 s at most, else fail) for
#               the run of KEY to be there too, run CMD: two runs at once
# $T/calls/KEY gets a line a run, $T/calls/KEY.N the prompt of run N.
printf 'T=%s\n' "$T" >"$T/agent.sh"
cat >>"$T/agent.sh" <<'EOF'
if [ "$1" = --resume ]; then sid=$2 key=$(cat "$T/sess/$2"); shift 2
else
	key=$(printf '%s\n' "$1" | sed -n 's/^agent-key: //p' | head -n 1)
	sid=$(printf '%08x-0000-4000-8000-000000000000' "$(printf %s "$key" | cksum | cut -d' ' -f1)")
	printf '%s\n' "$key" >"$T/sess/$sid"
fi
echo run >>"$T/calls/$key"
n=$(wc -l <"$T/calls/$key")
printf '%s\n' "$1" >"$T/calls/$key.$n"
line=$(sed -n "${n}p" "$T/plan/$key")
set -- ${line:-ok}
act=$1; shift
printf '{"type":"system","subtype":"init","session_id":"%s"}\n' "$sid"
case $act in
ok)	[ "$1" = ok ] || eval "$*" ;;
cutoff)	eval "$*"; kill -TERM $$ ;;
fail)	printf '{"type":"result","subtype":"error_during_execution","is_error":true,"result":"the model broke","session_id":"%s"}\n' "$sid"; exit 1 ;;
wait)	while [ ! -e "$1" ]; do sleep 0.05; done; shift; eval "$*" ;;
stall)	eval "$*"; exec sleep 3600 ;;
meet)	pwd >"$T/where.$key"; git branch --show-current >>"$T/where.$key"
	: >"$T/met.$key"; i=0
	while [ ! -e "$T/met.$1" ] && [ $i -lt 600 ]; do sleep 0.05; i=$((i + 1)); done
	[ -e "$T/met.$1" ] || exit 1
	shift; eval "$*" ;;
limit)	printf '{"type":"result","subtype":"success","is_error":true,"api_error_status":429,"result":"Rate limited: try again in %s seconds","session_id":"%s"}\n' "$1" "$sid"
	exit 1 ;;
esac
printf '{"type":"result","subtype":"success","is_error":false,"result":"Done.","session_id":"%s","total_cost_usd":0.25,"usage":{"input_tokens":100,"output_tokens":20}}\n' "$sid"
EOF
cat >"$XDG_CONFIG_HOME/agentutils/agents.conf" <<EOF
[preset toy]
dialect = claude-stream
spawn = sh $T/agent.sh {prompt}
resume = sh $T/agent.sh --resume {session} {prompt}
EOF

# mkrepo DIR PHASE:KEY:TITLE ...: a git repository whose Makefile runs
# those phases with the toy agent; each prompt's last step runs
# `make verify`: no file says BROKEN.
mkrepo() {
	d=$T/$1; shift
	mkdir -p "$d/phases"
	git init -q -b main "$d"
	ph=
	for p; do
		n=${p%%:*} k=${p#*:}; t=${k#*:}; k=${k%%:*}
		printf '# %s\n\nagent-key: %s\n\n1. Do the work.\n2. Run `make verify`, fix any errors and re-run it until it passes.\n' \
			"$t" "$k" >"$d/phases/$n.md"
		ph="$ph $n"
	done
	cat >"$d/Makefile" <<EOF
PHASES =$ph
AGENT = toy
verify:
	! grep -rq BROKEN --include=*.txt .
NOTIFY = printf '%s|%s|%s|%s\\n' "\$\$PHASE" "\$\$PHASE_STATE" "\$\$PHASE_RUN" "\$\$PHASE_REASON" >>$T/notes.$(basename "$d")
${MKEXTRA-}
include $TOP/contrib/phases.mk
EOF
	git -C "$d" add -A && git -C "$d" commit -q -m start
}
subjects() { git -C "$T/$1" log --reverse --format=%s | tr '\n' '|'; }
calls() { if [ -f "$T/calls/$1" ]; then wc -l <"$T/calls/$1"; else echo 0; fi; }

# --- a happy run of two phases ------------------------------------------------
mkrepo happy 1-one:h1:'Scaffold the toy' 2-two:h2:'Add the second file'
echo 'ok echo one >one.txt' >"$T/plan/h1"
echo 'ok echo two >two.txt' >"$T/plan/h2"
run make --no-print-directory -C "$T/happy" phases
is "$rc" 0 "make phases runs both phases to the end"
is "$(subjects happy)" "start|Phase 1-one: Scaffold the toy|Phase 2-two: Add the second file|" \
	"each phase is committed in order, 'Phase NAME: title'"
is "$(git -C "$T/happy" show --format= --name-only HEAD~1)" one.txt "the first phase's commit holds its work"
is "$(git -C "$T/happy" status --porcelain)" "" "nothing is left uncommitted (.phases is ignored)"
is "$(calls h1) $(calls h2)" "1 1" "one run each"
cut -d'|' -f1,2 "$T/notes.happy" | tr '\n' ' ' >"$T/got"
is "$(cat "$T/got")" "1-one|done 2-two|done |finished " "NOTIFY hears each phase's end, then the pipeline's"
id1=$(cut -f1 "$T/happy/.phases/1-one.runs")
is "$(sed -n 1p "$T/notes.happy" | cut -d'|' -f3)" "$id1" "NOTIFY gets the phase's run in PHASE_RUN"
run make --no-print-directory -C "$T/happy" phases
is "$rc.$(calls h1).$(calls h2).$(git -C "$T/happy" rev-list --count HEAD)" 0.1.1.3 "a second make phases redoes nothing"

# --- a run cut off is resumed in its session ----------------------------------
mkrepo cut 1-one:c1:'Cut once'
printf '%s\n' 'cutoff echo half >half.txt' 'ok echo whole >whole.txt' >"$T/plan/c1"
run make --no-print-directory -C "$T/cut" phases
is "$rc.$(calls c1)" 0.2 "a cut-off run is resumed and the phase completes"
is "$(cut -f2 "$T/cut/.phases/1-one.runs" | tr '\n' ' ')" "spawn cut-off " "NAME.runs records the spawn and the resume, and why"
r2=$(sed -n 2p "$T/cut/.phases/1-one.runs" | cut -f1)
is "$(agent-session-id "$r2")" "$(agent-session-id "$(sed -n 1p "$T/cut/.phases/1-one.runs" | cut -f1)")" \
	"the resumed run continues the same session"
is "$(git -C "$T/cut" show --format=%s --name-only HEAD | tr '\n' ' ')" "Phase 1-one: Cut once  half.txt whole.txt " \
	"the phase's one commit holds the work of both runs"

# --- a failed verification goes back to the agent ----------------------------
mkrepo ver 1-one:v1:'Verify twice'
printf '%s\n' 'ok echo BROKEN >v.txt' 'ok echo fixed >v.txt' >"$T/plan/v1"
run make --no-print-directory -C "$T/ver" phases
is "$rc.$(calls v1)" 0.2 "a phase whose verification fails is resumed, and passes the second time"
case $(cat "$T/calls/v1.2") in
*"verification command of this phase failed (exit 2)"*"    make verify"*"BROKEN"*"Fix it and re-run \`make verify\`"*) r=0 ;; *) r=1 ;; esac
ok $r "the resumed session is told the command, its failure and to fix it and re-run"
is "$(sed -n 2p "$T/ver/.phases/1-one.runs" | cut -f2)" verify "the resume is recorded as a verification's"
is "$(git -C "$T/ver" show HEAD:v.txt)" fixed "the commit holds the fixed work"
# a verification that never passes stops after VERIFY_MAX resumes
mkrepo ver2 1-one:v2:'Never passes'
printf '%s\n' 'ok echo BROKEN >v.txt' 'ok' 'ok' >"$T/plan/v2"
run make --no-print-directory -C "$T/ver2" phases VERIFY_MAX=1
case $rc:$err in [1-9]*"phase 1-one: stopped: verification failed 1 times"*) r=0 ;; *) r=1 ;; esac
ok $r "verification failing after VERIFY_MAX resumes stops the phase and says so"
is "$(calls v2).$(git -C "$T/ver2" rev-list --count HEAD)" 2.1 "nothing is committed"

# --- a failed phase stops the pipeline; the next make goes on ---------------
mkrepo fail 1-one:f1:'First' 2-two:f2:'Second' 3-three:f3:'Third'
echo 'ok echo 1 >1.txt' >"$T/plan/f1"
printf '%s\n' 'fail' 'ok echo 2 >2.txt' >"$T/plan/f2"
echo 'ok echo 3 >3.txt' >"$T/plan/f3"
run make --no-print-directory -C "$T/fail" phases
case $rc:$err in [1-9]*"phase 2-two: stopped: run "*" failed: "*"the model broke"*) r=0 ;; *) r=1 ;; esac
ok $r "a failed run stops the pipeline, with the agent's error"
is "$(calls f1).$(calls f2).$(calls f3).$(subjects fail)" "1.1.0.start|Phase 1-one: First|" \
	"the phases before it are committed, the ones after it not started"
is "$(cut -d'|' -f1,2 "$T/notes.fail" | tr '\n' ' ')" "1-one|done 2-two|failed |stopped " \
	"NOTIFY hears the phase fail and the pipeline stop"
case $(sed -n 3p "$T/notes.fail") in "|stopped|"*"|2-two: run "*"the model broke") r=0 ;; *) r=1 ;; esac
ok $r "the pipeline's PHASE_REASON names the phase and why"
run make --no-print-directory -C "$T/fail" phases-status
printf '%s\n' "$out" >"$T/status"
case $(sed -n 1p "$T/status") in "1-one	done	1 run	0 resumes	120 tokens	\$0.2500	"2*) r=0 ;; *) r=1 ;; esac
ok $r "phases-status: a done phase with its runs, resumes, tokens and cost"
case $(sed -n 2p "$T/status") in "2-two	failed: run "*"the model broke	1 run	0 resumes	0 tokens	"*) r=0 ;; *) r=1 ;; esac
ok $r "phases-status: the failed phase and why"
is "$(sed -n 3p "$T/status" | cut -f1-3)" "3-three	pending	0 runs" "phases-status: a phase not started is pending"
run make --no-print-directory -C "$T/fail" phases
is "$rc.$(calls f1).$(calls f2).$(calls f3)" 0.1.2.1 "make phases again: the done phase is not redone, the failed one resumed, the rest run"
is "$(subjects fail)" "start|Phase 1-one: First|Phase 2-two: Second|Phase 3-three: Third|" "and every phase is committed in order"

# --- a run still alive when make stopped is waited on, not started again -----
mkrepo live 1-one:l1:'Live'
echo "wait $T/go echo live >live.txt" >"$T/plan/l1"
runs=$T/live/.phases/1-one.runs
# make in a session of its own, so that it can be stopped as a terminal would
setsid make --no-print-directory -C "$T/live" phases >"$T/live.out" 2>&1 &
m=$!
wait_for 30 test -s "$runs"
lid=$(cut -f1 "$runs")
wait_for 30 sh -c "agent-state $lid | grep -qx running && grep -qx running '$T/live/.phases/1-one.step'"
kill -TERM -$m; wait $m 2>/dev/null
is "$(agent-state "$lid")" running "make stopped with the phase's run going: the run goes on"
run make --no-print-directory -C "$T/live" phases-status
case $out in "1-one	running (idle for "*"), not watched (make phases goes on)	1 run	"*) r=0 ;; *) r=1 ;; esac
ok $r "phases-status: the run is running and nobody waits on it"
setsid make --no-print-directory -C "$T/live" phases >"$T/live.out" 2>&1 &
m=$!
wait_for 30 sh -c "make --no-print-directory -C '$T/live' phases-status | grep -q '^1-one	running (idle for [0-9]*[smhd])	'"
ok $? "make phases again: phases-status shows the run watched"
run make --no-print-directory -C "$T/live" phases
case $rc:$err in [1-9]*"1-one: refused: another phase-run holds"*) r=0 ;; *) r=1 ;; esac
ok $r "a third make phases meanwhile is refused, not run a second time"
touch "$T/go"
wait $m
is "$?.$(calls l1).$(wc -l <"$runs")" 0.1.1 "the second make waited on the same run: one run, the phase done"
is "$(subjects live)" "start|Phase 1-one: Live|" "and committed it once"

# --- no verification command: the phase does not start ----------------------
mkrepo nover 1-one:n1:'Unverified'
printf '# Unverified\n\nagent-key: n1\n\nJust do it.\n' >"$T/nover/phases/1-one.md"
run make --no-print-directory -C "$T/nover" phases
case $rc:$err in [1-9]*"phase 1-one: stopped: no verification command: "*"no numbered steps"*"or set VERIFY"*) r=0 ;; *) r=1 ;; esac
ok $r "a prompt that names no verification command, and no VERIFY: the phase stops, saying so"
is "$(calls n1)" 0 "and no agent was started"
run make --no-print-directory -C "$T/nover" phases VERIFY=true
is "$rc.$(calls n1)" 0.1 "VERIFY is the verification when the prompt names none"

# --- a stuck run is stopped and resumed ---------------------------------------
mkrepo stuck 1-one:s1:'Stalls once'
printf '%s\n' 'stall echo half >half.txt' 'ok echo whole >whole.txt' >"$T/plan/s1"
run make --no-print-directory -C "$T/stuck" phases STUCK_AFTER=1
is "$rc.$(calls s1)" 0.2 "a run stuck past STUCK_AFTER is stopped, resumed, and the phase completes"
s1=$(sed -n 1p "$T/stuck/.phases/1-one.runs" | cut -f1)
is "$(cut -f2 "$T/stuck/.phases/1-one.runs" | tr '\n' ' ')$(agent-state "$s1")" "spawn stuck cut-off" \
	"the stuck run was stopped (cut-off) and its resume recorded as a stall's"
case $(cat "$T/calls/s1.2") in *stall*|*stuck*) r=0 ;; *) r=1 ;; esac
ok $r "the resumed session is told that it stalled"
is "$(git -C "$T/stuck" show --format=%s --name-only HEAD | tr '\n' ' ')" "Phase 1-one: Stalls once  half.txt whole.txt " \
	"and the phase is committed once, with the work of both runs"

# --- a usage limit is waited out, then the session resumed ------------------
mkrepo lim 1-one:m1:'Limited once'
printf '%s\n' 'limit 2' 'ok echo done >done.txt' >"$T/plan/m1"
run make --no-print-directory -C "$T/lim" phases
is "$rc.$(calls m1)" 0.2 "a run that hit a limit resetting in 2 s is resumed after the reset and completes"
case $out in *"phase 1-one: limited; waiting until 20"*"limited: run "*" resumed as "*) r=0 ;; *) r=1 ;; esac
ok $r "make phases says until when it waits"
m2=$(sed -n 2p "$T/lim/.phases/1-one.runs" | cut -f1)
r=1; [ "$(jq -r .started "$AGENT_RUNS/$m2/meta.json" | cut -d. -f1)" -ge \
	"$(agent-state -j "$(sed -n 1p "$T/lim/.phases/1-one.runs" | cut -f1)" | jq -r .resets_at)" ] && r=0
ok $r "the resume started no earlier than the announced reset"
# phases-status while it waits
mkrepo lim3 1-one:m3:'Limited, watched'
printf '%s\n' 'limit 6' 'ok' >"$T/plan/m3"
make --no-print-directory -C "$T/lim3" phases >"$T/lim3.out" 2>&1 &
m=$!
wait_for 30 sh -c "make --no-print-directory -C '$T/lim3' phases-status | grep -q '^1-one	waiting for a limit until 20[0-9-]* [0-9:]* [A-Z]*	1 run	'"
ok $? "phases-status: a phase waiting for a limit says until when"
wait $m
is "$?.$(calls m3)" 0.2 "and it goes on after the reset"
# A phases-status probe takes the phase's lock for a moment (shared): a
# make phases starting just then waits for it instead of being refused.
mkrepo probe 1-one:p1:'Probed'
printf '%s\n' 'ok echo p >p.txt' >"$T/plan/p1"
mkdir -p "$T/probe/.phases"
flock -s "$T/probe/.phases/1-one.lock" sh -c 'touch "$1"; sleep 2' sh "$T/probing" &
probe=$!
wait_for 30 test -e "$T/probing"
run make --no-print-directory -C "$T/probe" phases
is "$rc.$(calls p1)" 0.1 "make phases starting while phases-status looks at the phase waits for it, not refused"
wait $probe
mkrepo lim2 1-one:m2:'Limited long'
printf '%s\n' 'limit 3600' >"$T/plan/m2"
run make --no-print-directory -C "$T/lim2" phases LIMIT_WAIT_MAX=60
case $rc:$err in [1-9]*"phase 1-one: stopped: limited: "*) r=0 ;; *) r=1 ;; esac
ok $r "a limit that resets later than LIMIT_WAIT_MAX allows stops the phase, saying so"
is "$(calls m2)" 1 "without resuming it"

# --- PHASE_CHAIN = no: independent phases at once, in worktrees, merged -----
MKEXTRA='PHASE_CHAIN = no' mkrepo par 1-a:pa:'Phase A' 2-b:pb:'Phase B' 3-c:pc:'Phase C'
printf '.phases/3-c.done: .phases/1-a.done .phases/2-b.done\n' >>"$T/par/Makefile"
git -C "$T/par" commit -q -am 'phase 3 after 1 and 2'
echo 'meet pb echo a >a.txt' >"$T/plan/pa"
echo 'meet pa echo b >b.txt' >"$T/plan/pb"
echo 'ok cat a.txt b.txt >c.txt' >"$T/plan/pc"
run make --no-print-directory -C "$T/par" -j2 phases
is "$rc" 0 "make -j2 phases with PHASE_CHAIN = no runs two independent phases at once and the third after them"
is "$(sed -n 2p "$T/where.pa") $(sed -n 2p "$T/where.pb")" "phase/1-a phase/2-b" "each works on a branch of its own"
r=1; [ "$(sed -n 1p "$T/where.pa")" != "$(sed -n 1p "$T/where.pb")" ] &&
	[ "$(sed -n 1p "$T/where.pa")" != "$T/par" ] && r=0
ok $r "in a worktree of its own, not in the project"
is "$(cat "$T/par/c.txt" | tr '\n' ' ')" "a b " "the phase after them sees both merged"
is "$(git -C "$T/par" log --first-parent --format=%s | sed -n 1p)" "Merge phase 3-c: Phase C" \
	"each phase is merged back into the starting branch"
is "$(git -C "$T/par" log --format=%s | grep -c '^Phase [123]-[abc]: Phase [ABC]$')" 3 "with its own commit"
is "$(git -C "$T/par" branch --list 'phase/*' | wc -l).$(git -C "$T/par" worktree list | wc -l)" 0.1 \
	"merged, the phases' branches and worktrees are removed"
is "$(git -C "$T/par" status --porcelain)" "" "and the project's checkout is clean"

# --- a merge conflict stops that phase, its branch kept ---------------------
MKEXTRA='PHASE_CHAIN = no' mkrepo con 1-a:ca:'Conflict A' 2-b:cb:'Conflict B'
echo 'meet cb echo a >same.txt' >"$T/plan/ca"
echo 'meet ca echo b >same.txt' >"$T/plan/cb"
run make --no-print-directory -C "$T/con" -j2 phases
case $rc:$err in [1-9]*": stopped: merge conflict in same.txt: branch phase/"*" is kept, in "*"; merge it into main by hand, then make phases again"*) r=0 ;; *) r=1 ;; esac
ok $r "two phases that change the same lines: the second merge stops with a clear message"
is "$(ls "$T/con/.phases/"*.done | wc -l).$(git -C "$T/con" branch --list 'phase/*' | wc -l)" 1.1 \
	"the first phase is merged and done, the second one's branch kept"
is "$(git -C "$T/con" status --porcelain)" "" "the failed merge is undone in the project's checkout"

# --- phases on hosts: what phases.mk hands phase-run (tests/remote/phases.t
# runs them) --------------------------------------------------------------
MKEXTRA='PHASE_CHAIN = no
PHASE_HOSTS = h1 2/h2
PHASE_HOST_1-a = h3
PHASE_HOST_2-b = .
PHASE_HOST_DIR = src/%h' mkrepo hosts 1-a:ha:'A' 2-b:hb:'B' 3-c:hc:'C'
dry() { make --no-print-directory -n -C "$T/hosts" ".phases/$1.done" | grep -o -- "-[Hpg] '[^']*'" | tr '\n' ' '; }
is "$(dry 1-a)" "-H 'h3' -g 'src/%h' " "PHASE_HOST_NAME: phase-run -H, with PHASE_HOST_DIR as -g"
is "$(dry 2-b)" "-g 'src/%h' " "PHASE_HOST_NAME = . keeps the phase here, whatever PHASE_HOSTS says"
is "$(dry 3-c)" "-p 'h1 2/h2' -g 'src/%h' " "the other phases: PHASE_HOSTS as phase-run -p"
run "$TOP/contrib/phase-run" -H h1 -p h2 1-a "$T/hosts/phases/1-a.md"
is "$rc" 64 "phase-run -H and -p together: a usage error"
