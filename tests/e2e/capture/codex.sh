#!/bin/sh
# capture/codex.sh — captures the Codex fixtures of what changed in 0.171.0
# (tests/fixtures/codex/*-0.171.0.log) from the real CLI against
# fake_model.py on 127.0.0.1, offline, and prints their MANIFEST.tsv rows.
# usage: capture/codex.sh E2EDIR [OUTDIR]
#   E2EDIR: what tests/e2e/install.sh made (build/e2e); OUTDIR: where the
#   logs go (default tests/fixtures/codex).
set -u
HERE=$(cd "$(dirname "$0")/.." && pwd)
E2E=$(cd "${1:?usage: capture/codex.sh E2EDIR [OUTDIR]}" && pwd) || exit 66
OUT=${2:-$HERE/../fixtures/codex}
BIN=${AGENTUTILS_BIN:-$HERE/../../build/bin}
VERSION=0.171.0
. "$HERE/lib.sh"

W=$(mktemp -d "${TMPDIR:-/tmp}/capture-codex.XXXXXX") || exit 1
fake=
trap '[ -n "$fake" ] && kill "$fake" 2>/dev/null; rm -rf "$W"' EXIT
trap 'exit 130' INT TERM HUP
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)

start_fake
e2e_env
launcher=$E2E/node_modules/@openai/codex/bin/codex.js
[ -e "$launcher" ] || { echo "capture/codex.sh: $launcher is not installed" >&2; exit 69; }
got=$(codex --version 2>/dev/null | awk '{ print $NF }')
[ "$got" = "$VERSION" ] || { echo "capture/codex.sh: codex is $got, not $VERSION" >&2; exit 69; }

long_tool() { run_procs "$1" | grep -q '^[0-9]* sleep 60 $'; }

# cap NAME SCENARIO SIGNAL VERDICT -- ARG...: one capture of `codex exec
# ARG... --skip-git-repo-check --dangerously-bypass-approvals-and-sandbox
# PROMPT` in a fresh CODEX_HOME and project against /s/SCENARIO; with a
# SIGNAL (TERM, INT, KILL) the launcher (`codex` on PATH, node) gets it
# once the tool's `sleep 60` runs.  The log is stdout and stderr as
# `> log 2>&1` makes them (stdin /dev/null, as agent-spawn gives it); the
# row's session id is the thread id of the rollout file's name.
cap() {
	name=$1 scen=$2 sig=$3 verdict=$4
	shift 5
	D=$W/$name
	mkdir -p "$D/home/.codex" "$D/proj" "$D/tmp"
	printf 'some input\n' > "$D/proj/input.txt"
	cat > "$D/home/.codex/config.toml" <<-EOC
	model = "gpt-5.5"
	model_provider = "fake"
	[model_providers.fake]
	name = "fake"
	base_url = "http://127.0.0.1:$PORT/s/$scen/v1"
	env_key = "FAKE_OPENAI_KEY"
	wire_api = "responses"
	EOC
	rid=capture-$$-$name
	(cd "$D/proj" && exec env HOME="$D/home" CODEX_HOME="$D/home/.codex" TMPDIR="$D/tmp" \
		AGENT_RUN_ID="$rid" FAKE_OPENAI_KEY=dummy NO_COLOR=1 \
		codex exec "$@" --skip-git-repo-check --dangerously-bypass-approvals-and-sandbox \
		"E2E-DIR=$D/proj Read input.txt, run echo hi, write output.txt, then say Done.") \
		</dev/null > "$D/log" 2>&1 &
	pid=$!
	if [ "$sig" != - ]; then
		wait_for 120 long_tool "$rid" || echo "# $name: the long tool never ran" >&2
		kill -"$sig" "$pid"
	fi
	wait "$pid"
	rc=$?
	# a KILLed launcher leaves the native binary writing: wait for it
	wait_for 120 sh -c "[ -z \"\$(grep -lzxF 'AGENT_RUN_ID=$rid' /proc/[0-9]*/environ 2>/dev/null)\" ]"
	for p in $(run_pids "$rid"); do kill -KILL "$p" 2>/dev/null; done
	cp "$D/log" "$OUT/$name.log"
	sid=-
	for f in "$D"/home/.codex/sessions/*/*/*/rollout-*.jsonl; do
		[ -f "$f" ] && sid=$(basename "$f" .jsonl | grep -oE '[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}$')
	done
	printf 'codex/%s.log\tcodex\t%s\t%s\t%s\n' "$name" "$rc" "$verdict" "$sid"
}

v=$VERSION
cap exec-json-happy-$v happy - completed -- --json
cap exec-text-happy-$v happy - completed --
# signals to the launcher during the tool's `echo started && sleep 60 && echo finished`
cap exec-text-cutoff-sigint-$v sleep INT cut-off --
cap exec-json-cutoff-sigint-$v sleep INT cut-off -- --json
cap exec-text-cutoff-sigterm-$v sleep TERM cut-off --
cap exec-json-cutoff-sigterm-$v sleep TERM cut-off -- --json
