# capture/lib.sh — what the fixture capture scripts share (capture/pi.sh,
# cline.sh, kilo.sh, copilot.sh, qwen.sh, droid.sh): the fake model, a fresh HOME
# and project for each case, the prompts, the real CLI started as a user
# starts it (stdout and stderr in one log, as agent-spawn keeps it), the
# signal its case calls for at the moment it calls for it, and where the
# log goes.  Two ways to run a case:
#   cap      (pi, cline, kilo) the log to tests/fixtures/AGENT/NAME.log and its
#            row in tests/fixtures/MANIFEST.tsv, with the verdict the
#            script names; the script defines
#              agent_setup SCENARIO  the CLI's configuration for
#                                    /s/SCENARIO of the fake (in $D/home
#                                    and $D/proj)
#              agent_session         the session id the CLI recorded in
#                                    its own store for the case's HOME,
#                                    empty when none
#   cap_exit (copilot, qwen, droid; the script sets CAP_EXITS=1) the log
#            and its exit status as $? reports it (NAME.exit) into the
#            OUTDIR the script was given; the script sets up each case
#            itself (cap_env and its CLI's configuration).
# Sourced after the script has set AGENT (and CAP_EXITS).
# usage of every capture script: capture/AGENT.sh E2EDIR [OUTDIR] [CASE...]
# (E2EDIR holds the node_modules tests/e2e/install.sh made; OUTDIR with
# CAP_EXITS only; CASE names only some of the script's cases).  CAP_KEEP=1
# keeps the work directory.

set -u
E2E=$(cd "${1:?usage: $0 E2EDIR ${CAP_EXITS:+OUTDIR }[CASE...]}" && pwd) || exit 66
shift
# (CAP_E2E: tests/e2e, when the script runs from a copy elsewhere)
HERE=${CAP_E2E:-$(cd "$(dirname "$0")/.." && pwd)}
ROOT=$(cd "$HERE/../.." && pwd)
if [ -n "${CAP_EXITS:-}" ]; then
	mkdir -p "${1:?usage: $0 E2EDIR OUTDIR [CASE...]}" || exit 73
	OUT=$(cd "$1" && pwd)
	shift
else
	# (CAP_OUT, CAP_MANIFEST: elsewhere, for two captures of one agent at once)
	OUT=${CAP_OUT:-$ROOT/tests/fixtures/$AGENT}
	MANIFEST=${CAP_MANIFEST:-$ROOT/tests/fixtures/MANIFEST.tsv}
fi
CASES=$*
BIN=$E2E/node_modules/.bin    # no agentutils tool is needed here
export LC_ALL=C.UTF-8
. "$HERE/lib.sh"

W=$(mktemp -d "${TMPDIR:-/tmp}/$AGENT-capture.XXXXXX") || exit 1
fake=
captured=0 missed=0

cap_cleanup() {
	for m in $(cat "$W/markers" 2>/dev/null); do
		for p in $(run_pids "$m"); do kill -KILL "$p" 2>/dev/null; done
	done
	[ -n "$fake" ] && kill "$fake" 2>/dev/null
	if [ "${CAP_KEEP:-0}" = 1 ] || [ "$missed" -gt 0 ]; then
		echo "capture: work directory kept: $W" >&2
	else
		rm -rf "$W"
	fi
}
trap cap_cleanup EXIT
trap 'exit 130' INT TERM HUP

start_fake
e2e_env
# what agent-spawn gives every agent; a case that wants colours unsets it
# (the cap_exit captures were made without it)
[ -n "${CAP_EXITS:-}" ] || export NO_COLOR=1
mkdir -p "$OUT"

# The prompt of case NAME: the task in its project, or with SCENARIO
# resume, CAP_CONT, the one that continues a run cut off.
CAP_CONT="E2E-CONTINUE: the run was cut off; finish the task, then say Done."
cap_prompt() { # NAME [SCENARIO]
	if [ "${2:-}" = resume ]; then
		echo "$CAP_CONT"
	else
		echo "E2E-DIR=$W/$1/proj Read input.txt, run echo hi, write output.txt, then say Done."
	fi
}

# Whether the case was asked for (all are when none is named).
cap_wanted() {
	[ -z "$CASES" ] && return 0
	for _c in $CASES; do [ "$_c" = "$1" ] && return 0; done
	return 1
}

# Requests the fake has had for a scenario so far.
cap_requests() {
	grep -l "\"/s/$1/" "$W"/requests/*.json 2>/dev/null | wc -l
}

# cap_env CASE: the case's directory in $D, made when new, with its
# project, and HOME, TMPDIR and XDG_* in it.
cap_env() {
	D=$W/$1
	mkdir -p "$D/home" "$D/proj" "$D/tmp"
	[ -e "$D/proj/input.txt" ] || printf 'some input\n' > "$D/proj/input.txt"
	export HOME=$D/home TMPDIR=$D/tmp XDG_CONFIG_HOME=$D/home/.config \
		XDG_DATA_HOME=$D/home/.local/share XDG_STATE_HOME=$D/home/.local/state \
		XDG_CACHE_HOME=$D/home/.cache
}

long_tool_running() { run_procs "$1" | grep -q '^[0-9]* sleep 60 $'; }
# Whether a child of this shell still runs (not yet a zombie: kill -0
# succeeds on one until it is waited for).
alive() { [ -r "/proc/$1/stat" ] && [ "$(sed 's/.*) //' "/proc/$1/stat" | cut -c1)" != Z ]; }
# Whether no process of run RUNID is left; SIGNAL to every one of them.
all_gone() { [ -z "$(run_pids "$1")" ]; }
kill_all() { # SIGNAL RUNID
	for _p in $(run_pids "$2"); do kill -"$1" "$_p" 2>/dev/null; done
}

# cap NAME STATE SCENARIO WHEN SIGNAL CMD...: runs CMD in the case's
# project (the directory of case $CAP_DIR when set: a resume goes on in the
# HOME of the run it resumes), its output in one log; WHEN the CLI is sent
# SIGNAL:
#   end      never (SIGNAL "-"): the CLI ends by itself
#   tool     once the scenario's `sleep 60` runs as its tool
#   request  once the fake has its request (and has streamed what it will)
# Then every process of the case is waited for (a launcher's orphan may
# finish the run by itself), and the log goes to tests/fixtures/AGENT/NAME.log
# with its row: exit status as $? reports it, STATE (the verdict the case
# calls for), and the session id the CLI recorded, when the log carries it.
cap() {
	_name=$1 _state=$2 _scen=$3 _when=$4 _sig=$5
	shift 5
	cap_wanted "$_name" || return 0
	cap_env "${CAP_DIR:-$_name}"
	agent_setup "$_scen"
	_mark=capture-$$-$_name
	echo "$_mark" >> "$W/markers"
	_log=$W/$_name.log
	_before=$(cap_requests "$_scen")
	_t0=$(date +%s)
	(cd "$D/proj" && exec env AGENT_RUN_ID="$_mark" "$@") </dev/null > "$_log" 2>&1 &
	_pid=$!
	_fired=
	case $_when in
	tool)
		_ready() { long_tool_running "$_mark" || ! alive "$_pid"; }
		wait_for 600 _ready && long_tool_running "$_mark" && _fired=1 ;;
	request)
		_ready() { [ "$(cap_requests "$_scen")" -gt "$_before" ] || ! alive "$_pid"; }
		if wait_for 300 _ready && alive "$_pid"; then
			# what a mid-stream stall streams comes with the request's
			# answer: let the CLI print what it prints of it
			[ "$_scen" = midstall ] && wait_for 10 grep -q 'Let me' "$_log"
			_fired=1
		fi ;;
	esac
	if [ "$_when" != end ]; then
		if [ -n "$_fired" ]; then
			kill -s "$_sig" "$_pid"
		else
			echo "capture: $_name: the moment for SIG$_sig never came" >&2
		fi
	fi
	# The CLI has 600 s to end (silent retries of a 429 take minutes).
	_gone() { ! alive "$_pid"; }
	if ! wait_for 600 _gone; then
		echo "capture: $_name: still running after 600 s: killed, not kept" >&2
		kill -KILL "$_pid" 2>/dev/null
	fi
	wait "$_pid"
	_rc=$?
	_left=$(run_pids "$_mark")
	if [ -n "$_left" ]; then
		# A launcher's child left behind may still be writing the log.
		_none() { [ -z "$(run_pids "$_mark")" ]; }
		wait_for 400 _none || echo "capture: $_name: processes left after 400 s: $(run_procs "$_mark")" >&2
	fi
	if [ "$_when" != end ] && [ -z "$_fired" ] || [ "$(( $(date +%s) - _t0 ))" -gt 600 ]; then
		missed=$((missed + 1))
		return 1
	fi
	_sid=$(agent_session)
	[ -n "$_sid" ] && grep -qF "$_sid" "$_log" || _sid=-
	cp "$_log" "$OUT/$_name.log"
	cap_row "$AGENT/$_name.log" "$_rc" "$_state" "$_sid"
	captured=$((captured + 1))
	echo "capture: $AGENT/$_name.log: exit $_rc, $(wc -c < "$_log") bytes, session $_sid, $(( $(date +%s) - _t0 )) s" >&2
}

# cap_modes JSONCMD TEXTCMD [JSONKILL TEXTKILL]: the cases every cap
# script has in each of its two modes (JSONCMD and TEXTCMD are word lists:
# the command line the agent's preset runs, the prompt after it; JSONKILL
# and TEXTKILL the verdicts a KILL during the long tool calls for in each,
# cut-off unless named).
cap_modes() {
	for _m in json text; do
		case $_m in
		json) _cmd=$1 _kst=${3:-cut-off} ;;
		text) _cmd=$2 _kst=${4:-cut-off} ;;
		esac
		# (word splitting of _cmd on purpose)
		cap $_m-happy completed happy end - $_cmd "$(cap_prompt $_m-happy)"
		cap $_m-happy-colour completed happy end - env -u NO_COLOR $_cmd "$(cap_prompt $_m-happy-colour)"
		cap $_m-toolfail completed toolfail end - $_cmd "$(cap_prompt $_m-toolfail)"
		cap $_m-cutoff-sigterm cut-off sleep tool TERM $_cmd "$(cap_prompt $_m-cutoff-sigterm)"
		cap $_m-cutoff-sigint cut-off sleep tool INT $_cmd "$(cap_prompt $_m-cutoff-sigint)"
		cap $_m-cutoff-sigkill "$_kst" sleep tool KILL $_cmd "$(cap_prompt $_m-cutoff-sigkill)"
		cap $_m-err401 failed err401 end - $_cmd "$(cap_prompt $_m-err401)"
		cap $_m-err500 failed err500 end - $_cmd "$(cap_prompt $_m-err500)"
		cap $_m-limit429 limited limit429-2 end - $_cmd "$(cap_prompt $_m-limit429)"
		cap $_m-quota limited quota end - $_cmd "$(cap_prompt $_m-quota)"
		cap $_m-stall cut-off stall request TERM $_cmd "$(cap_prompt $_m-stall)"
		cap $_m-midstall cut-off midstall request TERM $_cmd "$(cap_prompt $_m-midstall)"
	done
}

# cap_row LOG EXIT STATE SESSION: the fixture's row of MANIFEST.tsv, in
# place of the one it had, else at the end.
cap_row() {
	_row=$(printf '%s\t%s\t%s\t%s\t%s' "$1" "$AGENT" "$2" "$3" "$4")
	awk -F '\t' -v name="$1" -v row="$_row" '
		$1 == name { print row; done = 1; next }
		{ print }
		END { if (!done) print row }' "$MANIFEST" > "$W/manifest" &&
		cat "$W/manifest" > "$MANIFEST"
}

cap_done() {
	echo "capture: $captured logs captured into $OUT, $missed missed" >&2
	[ "$missed" -eq 0 ]
}

# cap_exit NAME SCENARIO HOW CMD...: one case with CAP_EXITS, in $D (set
# up by the script: cap_env and its CLI's configuration).  CMD runs in
# $D/proj in a session of its own, its output in $OUT/NAME.log, its exit
# status as $? reports it in $OUT/NAME.exit.  HOW: wait (to its end), or a
# signal sent once the scenario's `sleep 60` runs as its tool (sleep
# scenario) or after DELAY s (others): term-pid, int-pid (the launched
# pid alone), term-group, int-group (its process group), term-all,
# kill-all (every process of the case); then KILL to all when the case is
# not over CASE_MAX s after the launched pid ended.
cap_exit() {
	_name=$1 _scen=$2 _how=$3
	shift 3
	_mark=$AGENT-capture-$$-$_name
	echo "$_mark" >> "$W/markers"
	_log=$D/$_name.log
	(cd "$D/proj" && AGENT_RUN_ID=$_mark exec setsid "$@") </dev/null > "$_log" 2>&1 &
	_pid=$!
	case $_how in
	wait) ;;
	*)
		if [ "$_scen" = sleep ]; then
			wait_for 120 long_tool_running "$_mark" ||
				echo "capture: $_name: the long tool never ran" >&2
		else
			sleep "$DELAY"
		fi
		case $_how in
		term-pid) kill -TERM "$_pid" ;;
		int-pid) kill -INT "$_pid" ;;
		term-group) kill -TERM "-$_pid" ;;
		int-group) kill -INT "-$_pid" ;;
		term-all) kill_all TERM "$_mark" ;;
		kill-all) kill_all KILL "$_mark" ;;
		esac ;;
	esac
	wait "$_pid"
	_rc=$?
	wait_for "$CASE_MAX" all_gone "$_mark" || {
		echo "capture: $_name: still running $CASE_MAX s after its launcher ended: KILL to all" >&2
		kill_all KILL "$_mark"
		wait_for 30 all_gone "$_mark"
	}
	cp "$_log" "$OUT/$_name.log"
	echo "$_rc" > "$OUT/$_name.exit"
	captured=$((captured + 1))
	printf '%s\texit %s\t%s lines\n' "$_name" "$_rc" "$(wc -l < "$_log")"
}
