#!/bin/sh
# bench.sh — make bench: the tools against tail, grep and jq on 1 GB logs
# (one JSON dialect, one text dialect), best of several runs, peak RSS.
# usage: bench.sh BUILDDIR   (run from the top of the tree, as make does)
# Environment: BENCH_RUNS (runs per command, default 25), BENCH_BUDGET
# (seconds one command may take over all its runs, default 30), BENCH_SIZE
# (bytes per log, default 1 GiB).  Informational: always exits 0.
set -u
B=${1:-build}
D=$B/bench
BIN=$B/bin
M=$D/measure
FIX=tests/fixtures
RUNS=${BENCH_RUNS:-25}
BUDGET=${BENCH_BUDGET:-30}
SIZE=${BENCH_SIZE:-1073741824}
RSS_MAX=4096   # KiB: the tools' peak RSS target
export LC_ALL=C

mkdir -p "$D" || exit 0
[ -x "$M" ] || { echo "bench: $M not built (run make bench)"; exit 0; }

# mklog NAME FIXTURE HEAD TAIL: NAME.log of about SIZE bytes: the fixture's
# first HEAD lines once, the lines between repeated, its last TAIL lines
# once at the end (so the run still ends with its final result).  Built
# under a temporary name and renamed, so a log that exists is complete.
mklog() {
	out=$D/$1.log
	[ -f "$out" ] && return 0
	echo "bench: building $out (once; reused by later runs)"
	total=$(wc -l < "$2")
	body=$((total - $3 - $4))
	tmp=$D/.$1.tmp
	head -n "$3" "$2" > "$tmp" || return 1
	sed -n "$(($3 + 1)),$(($3 + body))p" "$2" > "$D/.chunk" || return 1
	# a ~1 MiB chunk, then as many chunks as fit
	while [ "$(wc -c < "$D/.chunk")" -lt 1048576 ]; do
		cat "$D/.chunk" "$D/.chunk" > "$D/.chunk2" && mv "$D/.chunk2" "$D/.chunk" || return 1
	done
	csize=$(wc -c < "$D/.chunk")
	n=$((SIZE / csize)); i=0
	while [ $i -lt "$n" ]; do
		cat "$D/.chunk" || return 1
		i=$((i + 1))
	done >> "$tmp"
	tail -n "$4" "$2" >> "$tmp" || return 1
	rm -f "$D/.chunk"
	mv "$tmp" "$out"
}

# have TOOL: is a tool built?  A tool still being written is skipped.
have() {
	[ -x "$BIN/$1" ]
}

# Table rows: dialect, what, seconds, baseline seconds, ratio, RSS, target,
# verdict.  measure prints "best rss status runs".
hdr() {
	printf '%-8s %-34s %10s %8s %9s  %-18s %s\n' dialect command seconds ratio 'RSS KiB' target result
}

# meas LABEL CMD...: sets $sec $rss $st; prints nothing
meas() {
	set -- $("$M" -n "$RUNS" -t "$BUDGET" "$@")
	sec=$1 rss=$2 st=$3
}

# row DIALECT LABEL BASE_SECONDS MAX_RATIO CMD...  (BASE_SECONDS "-": none)
# A status of 64 or more is an error from the tool, not a state.
row() {
	dia=$1 label=$2 base=$3 maxr=$4; shift 4
	tool=${1##*/}
	if ! have "$tool"; then
		printf '%-8s %-34s %s\n' "$dia" "$label" "skipped: $tool not built yet"
		return
	fi
	meas "$@"
	if [ "$base" = - ]; then
		ratio=- maxr=-
	else
		ratio=$(awk -v a="$sec" -v b="$base" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }')
	fi
	verdict=PASS target=
	if [ "$maxr" != - ]; then
		target="<=${maxr}x"
		awk -v r="$ratio" -v m="$maxr" 'BEGIN { exit !(r <= m) }' || verdict=FAIL
	fi
	target="${target:+$target, }<${RSS_MAX}K"
	[ "$rss" -lt "$RSS_MAX" ] || verdict=FAIL
	[ "$st" -ge 64 ] && verdict="ERR(exit $st)"
	printf '%-8s %-34s %10s %8s %9s  %-18s %s\n' "$dia" "$label" "$sec" "$ratio" "$rss" "$target" "$verdict"
}

# base DIALECT LABEL CMD...: a baseline row; sets $bsec
base() {
	dia=$1 label=$2; shift 2
	if ! command -v "$1" >/dev/null 2>&1; then
		printf '%-8s %-34s %s\n' "$dia" "$label" "skipped: $1 not installed"
		bsec=-
		return
	fi
	meas "$@"
	bsec=$sec verdict=-
	# grep exits 1 when nothing matched: still a fair baseline
	[ "$st" -gt 1 ] && verdict="ERR(exit $st)" bsec=-
	printf '%-8s %-34s %10s %8s %9s  %-18s %s\n' "$dia" "$label" "$sec" 1.00 "$rss" baseline "$verdict"
}

# What agent-tail -j does for Claude stream-json, said in jq: one small
# normalized object per text, tool call, tool result, session and result.
JQ_CLAUDE='.session_id as $s |
  if .type == "assistant" then .message.content[]? |
    if .type == "text" then {kind: "text", session: $s, text: .text}
    elif .type == "tool_use" then {kind: "tool", status: "running", session: $s, tool: .name, call_id: .id}
    else empty end
  elif .type == "user" then .message.content[]? | select(type == "object" and .type == "tool_result") |
    {kind: "tool", status: (if .is_error then "error" else "completed" end), session: $s,
     call_id: .tool_use_id, text: (.content | tostring)}
  elif .type == "result" then {kind: "done", final: 1, session: $s, text: .result,
     tokens_in: .usage.input_tokens, tokens_out: .usage.output_tokens, cost: .total_cost_usd}
  elif .type == "system" then {kind: "session", session: $s, model: .model}
  else empty end'

# dialect NAME LOG GREP-PATTERN [JQ-FILTER]
dialect() {
	name=$1 log=$2 pat=$3 jqf=${4:-}
	base "$name" "tail -n 80" tail -n 80 "$log"; t=$bsec
	row "$name" "agent-state" "$t" 2 "$BIN/agent-state" "$log"
	row "$name" "agent-tail -n 80" "$t" 2 "$BIN/agent-tail" -n 80 "$log"
	base "$name" "grep -m1 '$pat'" grep -m1 "$pat" "$log"; g=$bsec
	row "$name" "agent-session-id" "$g" 1.5 "$BIN/agent-session-id" "$log"
	if [ -n "$jqf" ]; then
		base "$name" "jq -c (the same events)" jq -c "$jqf" "$log"; j=$bsec
		row "$name" "agent-tail -j (whole log)" "$j" 0.1 "$BIN/agent-tail" -j "$log"
	else
		row "$name" "agent-tail -j (whole log)" - - "$BIN/agent-tail" -j "$log"
	fi
}

# Runs: how long agent-spawn takes to return (the job is really running by
# then), and agent-ls over a runs directory of 1000 finished runs.
runs_bench() {
	if ! have agent-spawn; then
		printf '%-8s %-34s %s\n' runs "agent-spawn -- true" "skipped: agent-spawn not built yet"
		printf '%-8s %-34s %s\n' runs "agent-ls (1000 runs)" "skipped: agent-spawn not built yet"
		return
	fi
	sp=$D/spawn-runs
	rm -rf "$sp"
	export AGENT_RUNS="$sp"
	row runs "agent-spawn -- true" - - "$BIN/agent-spawn" -- true
	rm -rf "$sp"
	rd=$D/runs
	if [ ! -f "$rd/.bench-complete" ]; then
		echo "bench: creating 1000 runs in $rd (once)"
		rm -rf "$rd"
		i=0
		while [ $i -lt 1000 ]; do
			AGENT_RUNS=$rd "$BIN/agent-spawn" -- true >/dev/null </dev/null || {
				echo "bench: agent-spawn failed; agent-ls skipped"; return; }
			i=$((i + 1))
		done
		: > "$rd/.bench-complete"
	fi
	export AGENT_RUNS="$rd"
	row runs "agent-ls (1000 runs)" - - "$BIN/agent-ls"
}

mklog claude "$FIX/claude/stream-json-happy.log" 1 1 || { echo "bench: cannot build the claude log"; exit 0; }
mklog omo "$FIX/omo/happy.log" 4 3 || { echo "bench: cannot build the omo log"; exit 0; }

echo "agentutils bench: best of up to $RUNS runs (at most ${BUDGET}s each command), output to /dev/null"
echo "logs: $(wc -c < "$D/claude.log") bytes (claude stream-json), $(wc -c < "$D/omo.log") bytes (omo text)"
hdr
dialect claude "$D/claude.log" '"session_id"' "$JQ_CLAUDE"
dialect omo "$D/omo.log" 'Session:'
runs_bench
exit 0
