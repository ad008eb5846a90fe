# lib.sh — the TAP helpers every CLI test sources: plan, ok, is, run, wait_for.
# Tools come from $AGENTUTILS_BIN (set by make); fixtures from tests/fixtures.
set -u
BIN=${AGENTUTILS_BIN:?run through make check}
FIX=$(cd ../fixtures && pwd)
PATH=$BIN:$PATH
export LC_ALL=C.UTF-8
T=$(mktemp -d "${TMPDIR:-/tmp}/agentutils-test.XXXXXX") || exit 1
export AGENT_RUNS=$T/runs XDG_CONFIG_HOME=$T/config XDG_STATE_HOME=$T/state
trap 'rm -rf "$T"' EXIT
_n=0
plan() { echo "1..$1"; }
ok() { # ok COND-EXIT-STATUS NAME
	_n=$((_n + 1))
	if [ "$1" -eq 0 ]; then echo "ok $_n - $2"; else echo "not ok $_n - $2"; fi
}
is() { # is GOT WANT NAME
	_n=$((_n + 1))
	if [ "$1" = "$2" ]; then echo "ok $_n - $3"
	else echo "not ok $_n - $3"; printf '#   got:  %s\n#   want: %s\n' "$1" "$2"; fi
}
# run CMD...: sets $out, $err, $rc
run() {
	"$@" >"$T/.out" 2>"$T/.err"; rc=$?
	out=$(cat "$T/.out"); err=$(cat "$T/.err")
}
# wait_for SECONDS CMD...: poll a condition (never a fixed sleep), 0 when it held
wait_for() {
	_limit=$(( $1 * 20 )); shift; _i=0
	while [ $_i -lt $_limit ]; do
		"$@" >/dev/null 2>&1 && return 0
		sleep 0.05; _i=$((_i + 1))
	done
	return 1
}
# watching PID: PID waits on a file through inotify (agent-state -w,
# agent-tail -f): from then on, whatever happens to the file wakes it
watching() { ls -l "/proc/$1/fd" 2>/dev/null | grep -q 'anon_inode:inotify'; }
# exited PID: no such process, or a zombie not reaped yet
exited() { ! kill -0 "$1" 2>/dev/null || [ "$(sed 's/.*) //' "/proc/$1/stat" 2>/dev/null | cut -c1)" = Z ]; }
# wait_pid SECONDS PID: the exit status of a child of this shell, or 124
# (and the child killed) when it is still running after SECONDS
wait_pid() {
	if wait_for "$1" exited "$2"; then wait "$2"; return; fi
	kill "$2" 2>/dev/null; wait "$2" 2>/dev/null
	return 124
}
