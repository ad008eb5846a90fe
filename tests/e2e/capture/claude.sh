#!/bin/sh
# capture/claude.sh — captures the Claude Code fixtures of what changed in
# 2.1.332 (tests/fixtures/claude/*-2.1.332.log) from the real CLI against
# fake_model.py on 127.0.0.1, offline, and prints their MANIFEST.tsv rows.
# usage: capture/claude.sh E2EDIR [OUTDIR]   (ONLY="NAME ..." picks captures)
#   E2EDIR: what tests/e2e/install.sh made (build/e2e); OUTDIR: where the
#   logs go (default tests/fixtures/claude).  As root the CLI runs as the
#   e2e user (it refuses bypassPermissions as root), as run.sh does.
set -u
HERE=$(cd "$(dirname "$0")/.." && pwd)
E2E=$(cd "${1:?usage: capture/claude.sh E2EDIR [OUTDIR]}" && pwd) || exit 66
OUT=${2:-$HERE/../fixtures/claude}
BIN=${AGENTUTILS_BIN:-$HERE/../../build/bin}
VERSION=2.1.332
. "$HERE/lib.sh"

W=$(mktemp -d "${TMPDIR:-/tmp}/capture-claude.XXXXXX") || exit 1
chmod 755 "$W"
fake=
trap '[ -n "$fake" ] && kill "$fake" 2>/dev/null; rm -rf "$W"' EXIT
trap 'exit 130' INT TERM HUP
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)

start_fake
e2e_env
exe=$E2E/node_modules/@anthropic-ai/claude-code/bin/claude.exe
[ -x "$exe" ] || { echo "capture/claude.sh: $exe is not installed" >&2; exit 69; }
got=$("$exe" --version 2>/dev/null | cut -d' ' -f1)
[ "$got" = "$VERSION" ] || { echo "capture/claude.sh: claude is $got, not $VERSION" >&2; exit 69; }
run=
if [ "$(id -u)" = 0 ]; then
	e2e_user || { echo "capture/claude.sh: $user_why" >&2; exit 77; }
	cp "$exe" "$W/claude.exe" && chmod 755 "$W/claude.exe"
	exe=$W/claude.exe
	run="setpriv --reuid=$USER_NAME --regid=$USER_NAME --init-groups"
fi

long_tool() { run_procs "$1" | grep -q '^[0-9]* sleep 60 $'; }

# cap NAME SCENARIO SIGNAL VERDICT [VAR=VALUE...] -- ARG...: one capture.
# The CLI runs `claude -p PROMPT ARG...` in a fresh HOME and project
# against /s/SCENARIO; with a SIGNAL (TERM, INT, KILL) it gets it once its
# tool's `sleep 60` runs.  The log is stdout and stderr as `> log 2>&1`
# makes them; the row's session id is the transcript's file name.
cap() {
	case " ${ONLY:-$1} " in *" $1 "*) ;; *) return 0 ;; esac
	name=$1 scen=$2 sig=$3 verdict=$4
	shift 4
	D=$W/$name
	mkdir -p "$D/home" "$D/proj"
	printf 'some input\n' > "$D/proj/input.txt"
	[ -n "${SETTINGS-}" ] && mkdir -p "$D/home/.claude" && printf '%s\n' "$SETTINGS" > "$D/home/.claude/settings.json"
	[ -n "$run" ] && chown -R "$USER_NAME:" "$D"
	envs=
	while [ "$1" != -- ]; do envs="$envs $1"; shift; done
	shift
	rid=capture-$$-$name
	# shellcheck disable=SC2086
	(cd "$D/proj" && exec env HOME="$D/home" TMPDIR="$D/home" AGENT_RUN_ID="$rid" \
		ANTHROPIC_BASE_URL="http://127.0.0.1:$PORT/s/$scen" ANTHROPIC_API_KEY=dummy \
		NO_COLOR=1 $envs $run "$exe" -p "E2E-DIR=$D/proj Read input.txt, run echo hi, write output.txt, then say Done." "$@") \
		</dev/null > "$D/log" 2>&1 &
	pid=$!
	if [ "$sig" != - ]; then
		wait_for 120 long_tool "$rid" || echo "# $name: the long tool never ran" >&2
		kill -"$sig" "$pid"
	fi
	wait "$pid"
	rc=$?
	# what KILL leaves behind (the tool's process group) goes now
	for p in $(run_pids "$rid"); do kill -KILL "$p" 2>/dev/null; done
	cp "$D/log" "$OUT/$name.log"
	sid=-
	case $name in text-*) ;; *)
		for f in "$D"/home/.claude/projects/*/*.jsonl; do
			[ -f "$f" ] && sid=$(basename "$f" .jsonl)
		done ;;
	esac
	printf 'claude/%s.log\tclaude\t%s\t%s\t%s\n' "$name" "$rc" "$verdict" "$sid"
}

v=$VERSION
sj="--output-format stream-json --verbose --permission-mode bypassPermissions"
js="--output-format json --permission-mode bypassPermissions"
tx="--permission-mode bypassPermissions"
# the result object's keys in their new order
cap stream-json-happy-$v happy - completed -- $sj
cap json-happy-$v happy - completed -- $js
# API errors: terminal_reason api_error, api_error_type
cap stream-json-err401-noretry-$v err401 - failed CLAUDE_CODE_MAX_RETRIES=0 -- $sj
cap stream-json-err500-noretry-$v err500 - failed CLAUDE_CODE_MAX_RETRIES=0 -- $sj
cap json-err500-noretry-$v err500 - failed CLAUDE_CODE_MAX_RETRIES=0 -- $js
# the caps the user set: read as failed (a resume would go past them)
cap stream-json-max-turns-$v happy - failed -- $sj --max-turns 1
cap json-max-turns-$v happy - failed -- $js --max-turns 1
cap text-max-turns-$v happy - failed -- $tx --max-turns 1
cap stream-json-max-budget-$v happy - failed -- $sj --max-budget-usd 0.0001
# signals during the tool's `echo started && sleep 60 && echo finished`
cap stream-json-cutoff-sigterm-$v sleep TERM cut-off -- $sj
cap stream-json-cutoff-sigint-$v sleep INT cut-off -- $sj
cap stream-json-cutoff-sigkill-$v sleep KILL cut-off -- $sj
# a standalone `sleep 60` is refused before it runs; the run goes on
cap stream-json-sleep-refused-$v sleep-bare - completed -- $sj
# what it prints when hooks run: lines the dialect does not read (drift)
SETTINGS='{"hooks":{"SessionStart":[{"hooks":[{"type":"command","command":"echo hook-said-hello"}]}],"PreToolUse":[{"matcher":"Bash","hooks":[{"type":"command","command":"true"}]}]}}'
cap stream-json-drift-hooks-$v happy - completed -- $sj --include-hook-events
SETTINGS=
