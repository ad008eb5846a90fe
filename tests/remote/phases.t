#!/bin/sh
# phases.t — the phase pipeline (contrib/phases.mk, phase-run) with phases
# on other hosts: two independent phases spread over two hosts at once,
# each in a worktree of a repository there that the project's HEAD is
# pushed to (git over the tools' ssh), verified and committed there, its
# branch fetched back and merged here; a run cut off on a host resumed
# there and a failed verification sent back there; a host down before the
# spawn and while waiting: the phase stops with 69, nothing lost, and the
# next make goes on.  The agent is a shell script speaking Claude Code's
# stream-json, run on the hosts as their ssh user.
. ./lib.sh
plan 40
TOP=$(cd ../.. && pwd)
export GIT_CONFIG_GLOBAL="$T/gitconfig" GIT_CONFIG_NOSYSTEM=1
export GIT_AUTHOR_NAME='Pha Se' GIT_AUTHOR_EMAIL=phase@example.org
export GIT_COMMITTER_NAME='Pha Se' GIT_COMMITTER_EMAIL=phase@example.org
: >"$GIT_CONFIG_GLOBAL"
hosts_start h1 h2
# what the hosts' agent and git write, as the hosts' user
mkdir -p "$T/plan" "$T/calls" "$T/hrepo"
chown "$RUSER" "$T/calls" "$T/hrepo"

# The agent (as in tests/cli/phases.t): its session comes from the
# "agent-key: KEY" line of the prompt; run N of a session does what line N
# of $T/plan/KEY says:
#   ok CMD      run CMD, then the completion result
#   cutoff CMD  run CMD, then die by SIGTERM before any result
#   wait FILE CMD  wait for $T/calls/FILE, run CMD, complete
#   meet KEY CMD   wait (30 s at most, else fail) for the run of KEY to be
#               there too, run CMD: two runs at once
#   limit N     hit a usage limit that resets in N seconds
# $T/calls/KEY.N gets the prompt of run N, $T/calls/where.KEY the runs
# directory (which host), the directory and the branch of the last run.
printf 'T=%s\n' "$T" >"$T/agent.sh"
cat >>"$T/agent.sh" <<'EOF'
C=$T/calls
if [ "$1" = --resume ]; then sid=$2 key=$(cat "$C/sess.$2"); shift 2
else
	key=$(printf '%s\n' "$1" | sed -n 's/^agent-key: //p' | head -n 1)
	sid=$(printf '%08x-0000-4000-8000-000000000000' "$(printf %s "$key" | cksum | cut -d' ' -f1)")
	printf '%s\n' "$key" >"$C/sess.$sid"
fi
echo run >>"$C/$key"
n=$(wc -l <"$C/$key")
printf '%s\n' "$1" >"$C/$key.$n"
printf '%s\n' "$AGENT_RUNS" "$(pwd)" "$(git branch --show-current)" >"$C/where.$key"
line=$(sed -n "${n}p" "$T/plan/$key")
set -- ${line:-ok}
act=$1; shift
printf '{"type":"system","subtype":"init","session_id":"%s"}\n' "$sid"
case $act in
ok)	[ "$1" = ok ] || eval "$*" ;;
cutoff)	eval "$*"; kill -TERM $$ ;;
wait)	while [ ! -e "$C/$1" ]; do sleep 0.05; done; shift; eval "$*" ;;
meet)	: >"$C/met.$key"; i=0
	while [ ! -e "$C/met.$1" ] && [ $i -lt 600 ]; do sleep 0.05; i=$((i + 1)); done
	[ -e "$C/met.$1" ] || exit 1
	shift; eval "$*" ;;
limit)	printf '{"type":"result","subtype":"success","is_error":true,"api_error_status":429,"result":"Rate limited: try again in %s seconds","session_id":"%s"}\n' "$1" "$sid"
	exit 1 ;;
esac
printf '{"type":"result","subtype":"success","is_error":false,"result":"Done.","session_id":"%s","total_cost_usd":0.25,"usage":{"input_tokens":100,"output_tokens":20}}\n' "$sid"
EOF
for h in h1 h2; do
	cat >"$H/$h/config/agentutils/agents.conf" <<-EOF
	[preset toy]
	dialect = claude-stream
	spawn = sh $T/agent.sh {prompt}
	resume = sh $T/agent.sh --resume {session} {prompt}
	EOF
done

# mkrepo DIR PHASE:KEY:TITLE ...: a project whose Makefile runs those
# phases with the toy agent on hosts; each prompt's last step runs
# `make verify`: no file says BROKEN.  MKEXTRA: more Makefile lines.
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
PHASE_HOST_DIR = $T/hrepo/%h/${d##*/}
verify:
	! grep -rq BROKEN --include=*.txt .
${MKEXTRA-}
include $TOP/contrib/phases.mk
EOF
	git -C "$d" add -A && git -C "$d" commit -q -m start
}
subjects() { git -C "$T/$1" log --reverse --format=%s | tr '\n' '|'; }
calls() { if [ -f "$T/calls/$1" ]; then wc -l <"$T/calls/$1"; else echo 0; fi; }
runs() { cut -f1 "$T/$1/.phases/$2.runs" | tr '\n' ' '; }
# the host a phase's runs are on, when they all are on one
runhost() { cut -f1 "$T/$1/.phases/$2.runs" | cut -d: -f1 | sort -u | tr '\n' ' '; }
meta() { jq -r ".$3 // empty" "$(host_runs "$1")/$2/meta.json"; }

# --- two independent phases, spread over two hosts at once -------------------
MKEXTRA='PHASE_CHAIN = no
PHASE_HOSTS = h1 h2' mkrepo par 1-a:pa:'Phase A' 2-b:pb:'Phase B' 3-c:pc:'Phase C'
printf '.phases/3-c.done: .phases/1-a.done .phases/2-b.done\n' >>"$T/par/Makefile"
git -C "$T/par" commit -q -am 'phase 3 after 1 and 2'
echo 'meet pb echo a >a.txt' >"$T/plan/pa"
echo 'meet pa echo b >b.txt' >"$T/plan/pb"
echo 'ok cat a.txt b.txt >c.txt' >"$T/plan/pc"
run make --no-print-directory -C "$T/par" -j2 phases
is "$rc" 0 "make -j2 phases with PHASE_HOSTS = h1 h2 runs two phases at once, on hosts, and the third after them"
[ "$rc" = 0 ] || printf '%s\n' "$out" "$err" | sed 's/^/# /'
ha=$(runhost par 1-a) hb=$(runhost par 2-b)
is "$(printf '%s\n' "$ha" "$hb" | sort | tr -d '\n')" "h1 h2 " "one phase on each host (a slot each)"
ra=$(runs par 1-a) ra=${ra#*:} ra=${ra% }
is "$(sed -n 1p "$T/calls/where.pa")" "$(host_runs "${ha% }")" "the phase's run is in that host's runs directory"
is "$(sed -n 2,3p "$T/calls/where.pa" | tr '\n' ' ')" \
	"$T/hrepo/${ha% }/par/.git/agentutils-worktrees/$ra phase/1-a " \
	"it worked in a worktree of the host's repository (PHASE_HOST_DIR, %h the host), on the phase's branch"
is "$(git -C "$T/par" log --first-parent --format=%s | sed -n '2,3p' | sort | tr '\n' '|')" \
	"Merge phase 1-a: Phase A|Merge phase 2-b: Phase B|" "both branches were fetched back and merged into the project's branch"
is "$(cat "$T/par/c.txt" | tr '\n' ' ')" "a b " "the phase after them, on a host, started from both merges (pushed there)"
is "$(git -C "$T/par" log --format='%an <%ae>|%s' | grep '|Phase [12]-[ab]: ' | cut -d'|' -f1 | sort -u)" \
	"Pha Se <phase@example.org>" "the phases' commits, made on the hosts, are in this user's name"
is "$(AGENT_RUNS=$(host_runs "${ha% }") agent-ls -j | jq -r 'select(.label == "phase-1-a-verify") | .status')" 0 \
	"the verification ran on the host, as a run there, and passed"
is "$(git -C "$T/par" branch --list 'phase/*' | wc -l).$(git -C "$T/par" status --porcelain)" 0. \
	"merged, the branches are removed here, and the checkout is clean"
left=0
for h in h1 h2; do
	[ "$(git -c safe.directory='*' -C "$T/hrepo/$h/par" worktree list | wc -l)" = 1 ] || left=1
	[ -z "$(git -c safe.directory='*' -C "$T/hrepo/$h/par" branch --list 'phase/*')" ] || left=1
done
is "$left" 0 "and the worktrees and branches on the hosts"
is "$(ls "$T/par/.phases/" | grep -c '\.remote$')" 0 "no phase is left on a host"
run make --no-print-directory -C "$T/par" phases-status
case $(printf '%s\n' "$out" | sed -n 1p) in "1-a	done	1 run	0 resumes	120 tokens	\$0.2500	${ha% }:2"*) r=0 ;; *) r=1 ;; esac
ok $r "phases-status reads the phase's runs on its host: HOST:ID, tokens and cost"

# --- a run cut off on a host is resumed there; a failed verification too ----
canary=$T/calls/pwned
MKEXTRA='PHASE_HOST_1-c = h2' mkrepo cut 1-c:c1:"Cut \$(touch $canary) 'once'"
printf '%s\n' 'cutoff echo half >half.txt' 'ok echo BROKEN >v.txt' 'ok echo fixed >v.txt' >"$T/plan/c1"
run make --no-print-directory -C "$T/cut" phases
is "$rc.$(calls c1)" 0.3 "a phase on h2 (PHASE_HOST_NAME): cut off, resumed, verification failed, resumed, done"
[ "$rc" = 0 ] || printf "%s\n" "$out" "$err" | sed "s/^/# /"
is "$(runhost cut 1-c)" "h2 " "every run of the phase was on h2"
is "$(cut -f2 "$T/cut/.phases/1-c.runs" | tr '\n' ' ')" "spawn cut-off verify " "NAME.runs: the spawn, and why each resume"
set -- $(runs cut 1-c)
is "$(meta h2 "${2#h2:}" parent).$(meta h2 "${3#h2:}" parent)" "${1#h2:}.${2#h2:}" \
	"each resume on h2 continues the run before it"
is "$(agent-session-id "$3")" "$(agent-session-id "$1")" "in the same session"
case $(cat "$T/calls/c1.3") in
*"verification command of this phase failed (exit 2)"*"    make verify"*"BROKEN"*) r=0 ;; *) r=1 ;; esac
ok $r "the resumed session is told what the verification on the host said"
is "$(sed -n 2p "$T/calls/where.c1")" "$T/hrepo/h2/cut/.git/agentutils-worktrees/${1#h2:}" \
	"in the worktree the first run made on h2"
is "$(git -C "$T/cut" log --format=%s main^2 | sed -n 1p)" "Phase 1-c: Cut \$(touch $canary) 'once'" \
	"the commit on the host has the title as it is"
test ! -e "$canary"
ok $? "no shell on the host read it as anything but itself"
is "$(git -C "$T/cut" show --format= --name-only main^2 | tr '\n' ' ')$(cat "$T/cut/v.txt")" \
	"half.txt v.txt fixed" "the one commit holds the work of every run, merged here"

# --- a host down before the spawn: 69, nothing started ----------------------
MKEXTRA='PHASE_HOST_1-d = h2' mkrepo down 1-d:d1:'Down'
echo 'ok echo d >d.txt' >"$T/plan/d1"
host_down h2
run sh -c "cd '$T/down' && '$TOP/contrib/phase-run' -a toy -H h2 -g '$T/hrepo/h2/down' 1-d phases/1-d.md"
is "$rc" 69 "phase-run on a host that cannot be reached exits 69"
case $err in "phase 1-d: stopped: h2: cannot reach the host"*"make phases again once h2 is back"*) r=0 ;; *) r=1 ;; esac
ok $r "saying so, and that nothing is lost"
[ "$r" = 0 ] || printf '# %s\n' "$err"
run make --no-print-directory -C "$T/down" phases
case $rc:$err in [1-9]*"phase 1-d: stopped: h2: cannot reach the host"*) r=0 ;; *) r=1 ;; esac
ok $r "make phases stops at that phase, with the same message"
is "$(calls d1).$(cat "$T/down/.phases/1-d.runs" 2>/dev/null | wc -l)" 0.0 "no run was started, none recorded"
host_up h2
run make --no-print-directory -C "$T/down" phases
is "$rc.$(calls d1).$(cat "$T/down/d.txt")" 0.1.d "with h2 back, make phases runs the phase to the end"

# --- a repository on the host that phase-run did not make: refused -------
MKEXTRA='PHASE_HOST_1-f = h1' mkrepo foreign 1-f:f1:'Foreign'
sed -i "s|^PHASE_HOST_DIR = .*|PHASE_HOST_DIR = $T/hrepo/mine|" "$T/foreign/Makefile"
git init -q -b main "$T/hrepo/mine" && git -C "$T/hrepo/mine" commit -q --allow-empty -m theirs &&
	chown -R "$RUSER" "$T/hrepo/mine"
run make --no-print-directory -C "$T/foreign" phases
case $rc:$err in [1-9]*"phase 1-f: stopped: h1:$T/hrepo/mine is a repository phase-run did not make (its HEAD is not agentutils-base)"*) r=0 ;; *) r=1 ;; esac
ok $r "PHASE_HOST_DIR naming a repository of someone else's: refused, since the worktree would not start from HEAD here"
is "$(calls f1).$(git -c safe.directory='*' -C "$T/hrepo/mine" for-each-ref --format='%(refname)')" 0.refs/heads/main \
	"no run started, nothing pushed there"

# --- a host down while the phase waits: the run goes on, and is waited on --
MKEXTRA='PHASE_HOST_1-w = h1' mkrepo wait 1-w:w1:'Waited'
echo 'wait go echo w >w.txt' >"$T/plan/w1"
AGENT_SSH_RETRIES=1 make --no-print-directory -C "$T/wait" phases >"$T/wait.out" 2>"$T/wait.err" &
m=$!
# the host's own agent-state waiting for the run: its pid once it watches
far_waiter() {
	p=$(pgrep -u "$RUSER" -f "agent-state -R 1.* $1\$" | head -n 1)
	[ -n "$p" ] && watching "$p"
}
wait_for 60 test -s "$T/wait/.phases/1-w.runs"
w=$(runs wait 1-w)
w=${w% }
wait_for 60 far_waiter "${w#h1:}"
ok $? "a phase on h1 waits for its run, on h1"
host_down h1
wait_pid 60 $m
case $?:$(cat "$T/wait.err") in [1-9]*"phase 1-w: stopped: h1: the connection was lost and not regained"*) r=0 ;; *) r=1 ;; esac
ok $r "h1 gone mid-wait: the phase stops, saying the connection is lost"
[ "$r" = 0 ] || sed 's/^/# /' "$T/wait.err"
host_up h1
case $(agent-state "$w") in running | starting) r=0 ;; *) r=1 ;; esac
ok $r "the run on h1 went on meanwhile"
touch "$T/calls/go"
run make --no-print-directory -C "$T/wait" phases
is "$rc" 0 "make phases again waits for the same run and finishes the phase"
is "$(calls w1).$(wc -l <"$T/wait/.phases/1-w.runs")" 1.1 "one run: nothing started twice"
is "$(subjects wait)" "start|Phase 1-w: Waited|Merge phase 1-w: Waited|" "its work committed on h1 and merged here"

# --- a limit on a host: waited out there; a wait cut off resumes nothing ----
# on h2 by way of the hosts file (PHASE_HOSTS = ..), as agent-ls -H .. reads it
mkdir -p "$XDG_CONFIG_HOME/agentutils"
printf '# the only host\n1/h2\n' >"$XDG_CONFIG_HOME/agentutils/hosts"
MKEXTRA='PHASE_HOSTS = ..' mkrepo lim 1-l:l1:'Limited'
printf '%s\n' 'limit 12' 'ok echo l >l.txt' >"$T/plan/l1"
AGENT_SSH_RETRIES=1 make --no-print-directory -C "$T/lim" phases >"$T/lim.out" 2>"$T/lim.err" &
m=$!
far_resume() { pgrep -u "$RUSER" -f 'agent-resume -R ' >/dev/null; }
wait_for 60 far_resume
ok $? "a phase on h2 (the hosts file's one host) whose run hit a limit waits for the reset on h2 (agent-resume -w there)"
host_cut h2
wait_pid 60 $m
case $?:$(cat "$T/lim.err") in [1-9]*"phase 1-l: stopped: h2: the connection was lost"*"make phases again once h2 is back"*) r=0 ;; *) r=1 ;; esac
ok $r "the connection cut mid-wait: the phase stops, saying so"
[ "$r" = 0 ] || sed 's/^/# /' "$T/lim.err"
wait_for 10 sh -c '! pgrep -u "$1" -f "agent-resume -R " >/dev/null' sh "$RUSER"
ok $? "and the wait on h2 ended with the connection: nothing will be resumed behind its back"
run make --no-print-directory -C "$T/lim" phases
is "$rc.$(calls l1)" 0.2 "make phases again waits for the reset and resumes the session once, on h2"
is "$(cut -f2 "$T/lim/.phases/1-l.runs" | tr '\n' ' ')$(runhost lim 1-l)" "spawn limited h2 " \
	"NAME.runs: the spawn and the one resume, both on h2"
