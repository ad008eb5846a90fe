#!/bin/sh
# copilot.sh — captures the GitHub Copilot CLI fixtures (tests/fixtures/
# copilot/) from the real CLI in its offline BYOK mode, against
# fake_model.py: each case is one `copilot -p` (stdout and stderr into one
# log, as a run's log is), its exit status as $? reports it written beside
# it as NAME.exit.
# usage: copilot.sh E2EDIR OUTDIR [CASE...]
#   E2EDIR holds the node_modules install.sh made; CASEs default to all.
# The launched `copilot` is a node loader that starts the native binary as
# its child; a signal to the loader alone does not reach that child, a
# signal to the process group does (what Ctrl-C and agent-kill do).  What
# each cut-off case does is in its name; a case ends when no process of it
# is left (KILL to all COPILOT_CAP_MAX seconds after the loader ended).
# The toolfail, quota and midstall scenarios are the ones fake_model.py
# has for the pi, Kilo and Cline captures.
set -u
E2E=$(cd "${1:?usage: copilot.sh E2EDIR OUTDIR [CASE...]}" && pwd) || exit 66
mkdir -p "${2:?usage: copilot.sh E2EDIR OUTDIR [CASE...]}" || exit 73
OUT=$(cd "$2" && pwd)
shift 2
HERE=$(cd "$(dirname "$0")/.." && pwd)
MAX=${COPILOT_CAP_MAX:-200}
export LC_ALL=C.UTF-8
W=$(mktemp -d "${TMPDIR:-/tmp}/copilot-capture.XXXXXX") || exit 1
BIN=$W/nobin    # lib.sh puts the built tools on PATH: none are needed here
. "$HERE/lib.sh"
fake=
trap '[ -n "$fake" ] && kill "$fake" 2>/dev/null; rm -rf "$W"' EXIT
trap 'exit 130' INT TERM HUP
start_fake
e2e_env
# The first start in a HOME unpacks the native package into ~/.cache:
# every case shares one, as a user's runs do.
CACHE=$W/cache

PROMPT_OF() { # SCENARIO
	case $1 in
	resume) echo "E2E-CONTINUE: the run was cut off; finish the task, then say Done." ;;
	*) echo "E2E-DIR=$D/proj Read input.txt, run echo hi, write output.txt, then say Done." ;;
	esac
}

# setup NAME SCENARIO [CASE]: a fresh HOME, Copilot's offline provider at
# /s/SCENARIO of the fake (the name in hex: Copilot prints the URL in its
# errors), a project; with CASE, that case's HOME and project (a session
# is resumed where it was made).
setup() {
	D=$W/${3:-$1}
	mkdir -p "$D/home/.cache" "$D/proj" "$D/tmp" "$CACHE"
	ln -sfn "$CACHE" "$D/home/.cache/copilot"
	printf 'some input\n' > "$D/proj/input.txt"
	export HOME=$D/home TMPDIR=$D/tmp XDG_CONFIG_HOME=$D/home/.config \
		XDG_DATA_HOME=$D/home/.local/share XDG_STATE_HOME=$D/home/.local/state \
		XDG_CACHE_HOME=$D/home/.cache
	export COPILOT_OFFLINE=true COPILOT_PROVIDER_API_KEY=dummy COPILOT_MODEL=fake-model \
		COPILOT_AUTO_UPDATE=false \
		COPILOT_PROVIDER_BASE_URL=http://127.0.0.1:$PORT/s/x$(printf %s "$2" | od -An -tx1 | tr -d ' \n')/v1
}

long_tool() { run_procs "$1" | grep -q ' sleep 60 $'; }
gone() { [ -z "$(run_pids "$1")" ]; }
kill_all() { # SIGNAL RUNID: the signal to every process of the case
	for p in $(run_pids "$2"); do kill -"$1" "$p" 2>/dev/null; done
}

# capture NAME SCENARIO MODE HOW [ARG...]: one case.  MODE is json or
# text; HOW: wait (to its end), or a signal sent once the long tool runs
# (sleep scenario) or after DELAY s (others): term-pid, int-pid (the
# launched loader alone), term-group, int-group (its process group),
# kill-all (every process); then KILL to all when the case is not over
# CASE_MAX s after its loader ended.
capture() {
	name=$1 scen=$2 mode=$3 how=$4
	shift 4
	rid=copilot-capture-$$-$name
	case $mode in
	text) ;;
	*) set -- --output-format "$mode" "$@" ;;
	esac
	(cd "$D/proj" && AGENT_RUN_ID=$rid exec setsid copilot -p "$(PROMPT_OF "$scen")" \
		--allow-all-tools "$@") </dev/null > "$D/$name.log" 2>&1 &
	pid=$!
	case $how in
	wait) ;;
	*)
		if [ "$scen" = sleep ]; then
			wait_for 120 long_tool "$rid" || echo "copilot.sh: $name: the long tool never ran" >&2
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
		echo "copilot.sh: $name: still running $CASE_MAX s after its loader ended: KILL to all" >&2
		kill_all KILL "$rid"
		wait_for 30 gone "$rid"
	}
	cp "$D/$name.log" "$OUT/$name.log"
	echo "$rc" > "$OUT/$name.exit"
	printf '%s\texit %s\t%s lines\n' "$name" "$rc" "$(wc -l < "$D/$name.log")"
	SID=$(grep -o '"sessionId":"[0-9a-f-]\{36\}"' "$D/$name.log" | head -n 1 | cut -d'"' -f4)
	[ -n "$SID" ] || SID=$(grep -o 'copilot --resume=[0-9a-f-]\{36\}' "$D/$name.log" | head -n 1 | cut -d= -f2)
}

all="json-happy json-toolfail json-cutoff-term-group json-resume json-cutoff-int-group
json-cutoff-kill-all json-cutoff-term-pid json-err401 json-limit429 json-quota json-err500
json-stall json-midstall
text-happy text-toolfail text-resume text-resume-unknown text-cutoff-int-group text-cutoff-term-pid
text-err401 text-limit429 text-err500"
[ $# -gt 0 ] && all=$*
for c in $all; do
	DELAY=15 CASE_MAX=$MAX
	mode=${c%%-*}
	what=${c#"$mode"-}
	case $what in
	happy) setup "$c" happy; capture "$c" happy "$mode" wait ;;
	toolfail) setup "$c" toolfail; capture "$c" toolfail "$mode" wait ;;
	resume)
		# the session the group TERM cut off, continued; text names no
		# session when cut off, so the failing command's session there
		prev=$mode-cutoff-term-group pscen=sleep phow=term-group
		[ "$mode" = text ] && prev=text-toolfail pscen=toolfail phow=wait
		[ -d "$W/$prev" ] || { setup "$prev" $pscen; capture "$prev" $pscen "$mode" $phow; }
		setup "$c" resume "$prev"
		capture "$c" resume "$mode" wait --resume "${SID:-00000000-0000-4000-8000-000000000000}" ;;
	resume-unknown)
		# a session id that names no session
		setup "$c" resume
		capture "$c" resume "$mode" wait --resume 00000000-0000-4000-8000-000000000000 ;;
	cutoff-*) setup "$c" sleep; capture "$c" sleep "$mode" "${what#cutoff-}" ;;
	err401) setup "$c" err401; capture "$c" err401 "$mode" wait ;;
	err500) setup "$c" err500; capture "$c" err500 "$mode" wait ;;
	limit429) setup "$c" limit429-1; capture "$c" limit429-1 "$mode" wait ;;
	quota) setup "$c" quota; capture "$c" quota "$mode" wait ;;
	stall) DELAY=20 CASE_MAX=20; setup "$c" stall; capture "$c" stall "$mode" term-group ;;
	midstall) DELAY=20 CASE_MAX=20; setup "$c" midstall; capture "$c" midstall "$mode" term-group ;;
	*) echo "copilot.sh: unknown case $c" >&2 ;;
	esac
done
