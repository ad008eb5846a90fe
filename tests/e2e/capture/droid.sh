#!/bin/sh
# droid.sh — captures the Factory Droid fixtures (tests/fixtures/droid/)
# from the real CLI, offline, against fake_model.py: each case is one
# `droid exec` (stdout and stderr into one log, as a run's log is), its
# exit status as $? reports it written beside it as NAME.exit.
# usage: droid.sh E2EDIR OUTDIR [CASE...]
#   E2EDIR holds the node_modules install.sh made; CASEs default to all.
#   The *-shim cases run DROID_SHIM instead: bin/droid of an install made
#   with --ignore-scripts, where it is a node script that runs the binary.
# Droid is hard to cut off: TERM or INT to the binary stops the tool it
# runs (in a session of its own) and the turn goes on to its completion;
# the node shim dies of it and leaves the binary running.  What each case
# does to it is in its name; a case ends when no process of it is left
# (KILL to all DROID_CAP_MAX s, default 200, after the launched pid ended).
set -u
E2E=$(cd "${1:?usage: droid.sh E2EDIR OUTDIR [CASE...]}" && pwd) || exit 66
mkdir -p "${2:?usage: droid.sh E2EDIR OUTDIR [CASE...]}" || exit 73
OUT=$(cd "$2" && pwd)
shift 2
HERE=$(cd "$(dirname "$0")/.." && pwd)
MAX=${DROID_CAP_MAX:-200}
export LC_ALL=C.UTF-8
W=$(mktemp -d "${TMPDIR:-/tmp}/droid-capture.XXXXXX") || exit 1
BIN=$W/nobin    # lib.sh puts the built tools on PATH: none are needed here
. "$HERE/lib.sh"
fake=
trap '[ -n "$fake" ] && kill "$fake" 2>/dev/null; rm -rf "$W"' EXIT
trap 'exit 130' INT TERM HUP
start_fake
e2e_env

PROMPT_OF() { # SCENARIO
	case $1 in
	resume) echo "E2E-CONTINUE: the run was cut off; finish the task, then say Done." ;;
	*) echo "E2E-DIR=$D/proj Read input.txt, run echo hi, write output.txt, then say Done." ;;
	esac
}

# setup NAME SCENARIO: a fresh HOME whose ~/.factory/settings.json points
# a custom model at /s/SCENARIO of the fake, and a project.
setup() {
	D=$W/$1
	mkdir -p "$D/home/.factory" "$D/proj" "$D/tmp"
	printf 'some input\n' > "$D/proj/input.txt"
	export HOME=$D/home TMPDIR=$D/tmp XDG_CONFIG_HOME=$D/home/.config \
		XDG_DATA_HOME=$D/home/.local/share XDG_STATE_HOME=$D/home/.local/state \
		XDG_CACHE_HOME=$D/home/.cache
	cat > "$D/home/.factory/settings.json" <<-EOF
	{ "customModels": [ { "model": "fake-model", "displayName": "Fake Model",
	    "baseUrl": "http://127.0.0.1:$PORT/s/$2/v1", "apiKey": "dummy",
	    "provider": "generic-chat-completion-api", "maxOutputTokens": 8000 } ] }
	EOF
}

long_tool() { run_procs "$1" | grep -q ' sleep 60 $'; }
gone() { [ -z "$(run_pids "$1")" ]; }
kill_all() { # SIGNAL RUNID: the signal to every process of the case
	for p in $(run_pids "$2"); do kill -"$1" "$p" 2>/dev/null; done
}

# capture NAME SCENARIO MODE HOW [ARG...]: one case.  MODE is stream-json,
# json or text; HOW: wait (to its end), or a signal sent once the long tool
# runs (sleep scenario) or after DELAY s (others): term-pid, int-pid (the
# launched pid), term-group, term-all (every process), kill-all; a term-*
# or int-* is followed by KILL to all when the case is not over CASE_MAX
# s after its launcher ended.
capture() {
	name=$1 scen=$2 mode=$3 how=$4
	shift 4
	setup "$name" "$scen"
	rid=droid-capture-$$-$name
	case $mode in
	text) set -- "$@" ;;
	*) set -- -o "$mode" "$@" ;;
	esac
	(cd "$D/proj" && AGENT_RUN_ID=$rid exec setsid "$DROID" exec --auto high \
		-m custom:fake-model "$@" "$(PROMPT_OF "$scen")") </dev/null > "$D/log" 2>&1 &
	pid=$!
	case $how in
	wait) ;;
	*)
		if [ "$scen" = sleep ]; then
			wait_for 120 long_tool "$rid" || echo "droid.sh: $name: the long tool never ran" >&2
		else
			sleep "$DELAY"
		fi
		case $how in
		term-pid) kill -TERM "$pid" ;;
		int-pid) kill -INT "$pid" ;;
		term-group) kill -TERM -- "-$pid" ;;
		term-all) kill_all TERM "$rid" ;;
		kill-all) kill_all KILL "$rid" ;;
		esac ;;
	esac
	wait "$pid"
	rc=$?
	wait_for "$CASE_MAX" gone "$rid" || {
		echo "droid.sh: $name: still running $CASE_MAX s after its launcher ended: KILL to all" >&2
		kill_all KILL "$rid"
		wait_for 30 gone "$rid"
	}
	cp "$D/log" "$OUT/$name.log"
	echo "$rc" > "$OUT/$name.exit"
	printf '%s\texit %s\t%s lines\n' "$name" "$rc" "$(wc -l < "$D/log")"
	SID=$(sed -n 's/.*"session_id":"\([0-9a-f-]\{36\}\)".*/\1/p' "$D/log" | head -n 1)
}

all="stream-json-happy stream-json-toolfail stream-json-resume
stream-json-cutoff-kill-all stream-json-cutoff-term-pid stream-json-cutoff-int-pid
stream-json-cutoff-term-all stream-json-cutoff-term-pid-shim stream-json-cutoff-term-all-shim
stream-json-err401 stream-json-limit429 stream-json-quota stream-json-err500
stream-json-stall stream-json-midstall
json-happy json-toolfail json-err401 json-limit429 json-cutoff-kill-all json-cutoff-term-pid
text-happy text-toolfail text-err401 text-limit429 text-cutoff-kill-all text-cutoff-term-pid"
[ $# -gt 0 ] && all=$*
for c in $all; do
	DELAY=15 CASE_MAX=$MAX DROID=droid
	mode=${c%%-*}
	[ "$mode" = stream ] && mode=stream-json
	what=${c#"$mode"-}
	case $what in
	*-shim)
		# the JS shim `npm install --ignore-scripts` leaves in place of
		# the binary: node, and the native droid as its child
		DROID=${DROID_SHIM:?"$c: DROID_SHIM names the shim's bin/droid"}
		what=${what%-shim} ;;
	esac
	case $what in
	happy|toolfail|err401|quota) capture "$c" "$what" "$mode" wait ;;
	resume)
		# Droid resumes with -s; offline (no Factory login) it fails
		capture "$c-first" happy "$mode" wait
		capture "$c" resume "$mode" wait -s "${SID:-00000000-0000-4000-8000-000000000000}" ;;
	cutoff-*) capture "$c" sleep "$mode" "${what#cutoff-}" ;;
	limit429) capture "$c" limit429-1 "$mode" wait ;;
	# Droid retries a 500 silently for minutes, and a model that does
	# not answer is waited for: TERM to all after DELAY s, then KILL
	err500|stall|midstall) DELAY=20 CASE_MAX=20; capture "$c" "$what" "$mode" term-all ;;
	*) echo "droid.sh: unknown case $c" >&2 ;;
	esac
done
