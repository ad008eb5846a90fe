#!/bin/sh
# demo.sh — the `make demo` tour: a replayed Claude Code run is spawned,
# followed, cut off, classified, resumed to completion and listed.  No
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

say "Done. The runs stay in build/demo/runs; try: AGENT_RUNS=$demo/runs $b/bin/agent-tail -s @"
