#!/bin/sh
# demo.sh — the `make demo` tour: a replayed Claude Code run is spawned,
# followed, cut off, classified, resumed to completion and listed; then a
# project in three phases runs to the end under contrib/phases.mk, its
# cut-off, failed verification and usage limit recovered unattended.  No
# model, no network: agent-replay plays contrib/replay/ back.
# usage: sh contrib/demo.sh [BUILDDIR]
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
b=${1:-build}
case $b in /*) ;; *) b=$top/$b ;; esac
PATH=$b/bin:$PATH
demo=$b/demo
rec=$top/contrib/replay/claude-cutoff.log

# A private world: runs, config and state under build/demo, removed first.
rm -rf "$demo"
mkdir -p "$demo/work" "$demo/config/agentutils" || exit 1
export AGENT_RUNS="$demo/runs" XDG_CONFIG_HOME="$demo/config" XDG_STATE_HOME="$demo/state"
# agents.conf(5) at work: the replay agent slowed down to a human pace.
cat >"$demo/config/agentutils/agents.conf" <<'EOF'
[preset replay]
spawn = agent-replay -i 700 [-p {prompt}] {model}
resume = agent-replay -i 700 [-p {prompt}] -R {session} {model}
EOF

if [ -t 1 ]; then bold=$(printf '\033[1m') off=$(printf '\033[0m'); else bold= off=; fi
say() { printf '\n%s==> %s%s\n' "$bold" "$*" "$off"; }
show() { printf '$ %s\n' "$*"; }
fail() { printf 'demo: %s\n' "$*" >&2; exit 1; }

say "Start an agent in the background: Claude Code's recorded output, played back by agent-replay (no model is called). The run id comes back at once."
show "agent-spawn -a replay -m contrib/replay/claude-cutoff.log -d build/demo/work -l demo -p 'Create output.txt from input.txt'"
id=$(agent-spawn -a replay -m "$rec" -d "$demo/work" -l demo -p 'Create output.txt from input.txt') ||
	fail "agent-spawn failed"
echo "$id"

say "Follow it: one line per event, until the run ends."
# Wait for its first output, so that the log's dialect can be recognised.
while [ "$(agent-state "$id")" = starting ]; do sleep 0.1; done
show "agent-tail -f -s $id"
agent-tail -f -s "$id"

say "The agent was killed in the middle of a long Bash call. Where does the run stand?"
show "agent-state -v $id"
agent-state -v "$id"
st=$(agent-state "$id")
[ "$st" = cut-off ] || fail "expected cut-off, got $st"

say "Its session id, found in the log:"
show "agent-session-id $id"
agent-session-id "$id"

say "What agent-resume will run: Claude's own --resume, the session, and a drafted prompt."
show "agent-resume -n $id"
agent-resume -n "$id"

say "Resume it. The new run continues the same session, linked to the old one."
show "agent-resume $id"
new=$(agent-resume "$id") || fail "agent-resume failed"
echo "$new"
while [ "$(agent-state "$new")" = starting ]; do sleep 0.1; done
show "agent-tail -f -s $new"
agent-tail -f -s "$new"
show "agent-state -w $new"
st=$(agent-state -w "$new")
echo "$st"
[ "$st" = completed ] || fail "expected completed, got $st"

say "Both runs, newest last:"
show "agent-ls -a"
agent-ls -a

# --- the whole job: a project in phases, with nobody watching ---------------
# A toy project (a greeting in sh) in three phases, run by contrib/phases.mk.
# Its agent, contrib/replay/demo-agent, speaks in real Claude Code
# recordings and does its work by copying files, to a plan: phase 1 is cut
# off, phase 2's first answer fails the verification, phase 3 hits a usage
# limit.  Phases 2 and 3 need only 1, so make -j2 runs them at once.
command -v git >/dev/null || fail "git is needed for the pipeline part (apt-get install git)"
p=$demo/project
export AGENT_DEMO="$demo/agent" GIT_CONFIG_GLOBAL="$demo/gitconfig" GIT_CONFIG_NOSYSTEM=1
mkdir -p "$p/phases" "$AGENT_DEMO/plan" "$AGENT_DEMO/files" || exit 1
printf '[user]\n\tname = demo\n\temail = demo@example.org\n' >"$GIT_CONFIG_GLOBAL" || exit 1
printf '\n[preset demo]\ndialect = claude-stream\nspawn = demo-agent {prompt}\nresume = demo-agent --resume {session} {prompt}\n' \
	>>"$demo/config/agentutils/agents.conf" || exit 1
phase() { # NAME TITLE WHAT
	printf '# %s\n\n1. %s\n2. Run `make verify`, fix any errors and re-run it until it passes.\n' \
		"$2" "$3" >"$p/phases/$1.md" || exit 1
}
phase 1-hello 'Say hello' 'Write hello.sh: it prints "hello, world".'
phase 2-greet 'Greet by name' 'Write greet.sh: `sh greet.sh NAME` prints "hello, NAME".'
phase 3-docs 'Document it' 'Write README: what hello.sh and greet.sh do.'
{
	echo 'PHASES = 1-hello 2-greet 3-docs'
	echo 'AGENT = demo'
	echo '# each phase in a git worktree of its own, merged back once verified;'
	echo '# the order is said here: 2 and 3 after 1, side by side'
	echo 'PHASE_CHAIN = no'
	echo '.phases/2-greet.done .phases/3-docs.done: .phases/1-hello.done'
	echo '# a limit that names no reset time: try again after 3 s (default 900)'
	echo 'LIMIT_DELAY = 3'
	echo 'verify:'
	printf '\tsh test.sh\n'
	echo "include $top/contrib/phases.mk"
} >"$p/Makefile" || exit 1
{
	echo '[ ! -e hello.sh ] || [ "$(sh hello.sh)" = "hello, world" ] || { echo "hello.sh: $(sh hello.sh)"; exit 1; }'
	echo '[ ! -e greet.sh ] || [ "$(sh greet.sh Ada)" = "hello, Ada" ] || { echo "greet.sh Ada: $(sh greet.sh Ada)"; exit 1; }'
} >"$p/test.sh" || exit 1
f=$AGENT_DEMO/files
printf 'printf "hello, "\n' >"$f/hello.half" &&
	printf 'echo "hello, world"\n' >"$f/hello.sh" &&
	printf 'echo "helo, $1"\n' >"$f/greet.typo" &&
	printf 'echo "hello, $1"\n' >"$f/greet.sh" &&
	printf 'hello.sh says hello; sh greet.sh NAME greets NAME.\n' >"$f/README" &&
	printf '%s\n' 'cutoff hello.half hello.sh' 'ok hello.sh hello.sh' >"$AGENT_DEMO/plan/1-hello" &&
	printf '%s\n' 'ok greet.typo greet.sh' 'ok greet.sh greet.sh' >"$AGENT_DEMO/plan/2-greet" &&
	printf '%s\n' 'limit' 'ok README README' >"$AGENT_DEMO/plan/3-docs" || exit 1
{ git -C "$p" init -q -b main && git -C "$p" add -A && git -C "$p" commit -q -m 'A toy project'; } ||
	fail "cannot make the project's git repository"
PATH=$top/contrib/replay:$PATH

say "The whole job: a project in three phases (phases/*.md) run to the end by make, nobody watching. For each phase phase-run renders the prompt, spawns the agent and waits; resumes the run when it is cut off, stuck or limited; runs the verification the prompt names and sends the agent back when it fails; commits and merges. Here the agent is cut off in phase 1, fails the verification once in phase 2 and hits a usage limit in phase 3."
show "cat build/demo/project/Makefile"
sed "s|$top/|\$(top)/|" "$p/Makefile"
show "make -C build/demo/project -j2 phases"
make --no-print-directory -C "$p" -j2 phases || fail "make phases failed"

say "Each phase verified, committed on a branch of its own and merged back:"
show "git log --graph --format='%h %s'"
git -C "$p" log --graph --format='%h %s'
show "make phases-status"
make --no-print-directory -C "$p" phases-status

say "Done. The runs stay in build/demo/runs and the project in build/demo/project; try: AGENT_RUNS=$demo/runs $b/bin/agent-ls -a, or make -C $p phases-status"
