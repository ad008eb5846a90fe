#!/bin/sh
# bench.sh — make bench: the tools against tail, grep and jq on 128 MiB logs
# of each JSON dialect with a parser of its own (claude stream-json,
# opencode json, codex json, gemini stream-json, droid stream-json,
# copilot json, qwen stream-json, pi json, cline json; kilo json is
# opencode's parser) and one text dialect
# (oh-my-opencode), best of several runs, peak RSS; then agent-spawn's
# return latency, agent-ls, and agent-top's redraw latency and idle CPU
# over 1000 runs; last, a call to a run on
# another host, with and without an ssh ControlMaster, against a loopback
# sshd started and stopped for it (ssh.sh, as root).
# usage: bench.sh BUILDDIR   (run from the top of the tree, as make does)
# Environment: BENCH_RUNS (runs per command, default 25), BENCH_BUDGET
# (seconds one command may take over all its runs, default 30), BENCH_SIZE
# (bytes per log, default 128 MiB), BENCH_ONLY (the dialects to measure,
# default all: "claude opencode codex gemini droid copilot qwen pi cline
# omo runs top remote").  Informational: always exits 0.
set -u
B=${1:-build}
D=$B/bench
BIN=$B/bin
M=$D/measure
FIX=tests/fixtures
RUNS=${BENCH_RUNS:-25}
BUDGET=${BENCH_BUDGET:-30}
SIZE=${BENCH_SIZE:-134217728}
ONLY=${BENCH_ONLY:-claude opencode codex gemini droid copilot qwen pi cline omo runs top remote}
RSS_MAX=4096   # KiB: the tools' peak RSS target
export LC_ALL=C

mkdir -p "$D" || exit 0
[ -x "$M" ] || { echo "bench: $M not built (run make bench)"; exit 0; }

# mklog NAME FIXTURE HEAD TAIL [json]: NAME.log of about SIZE bytes from a
# real log: its first HEAD lines once, the lines between repeated, its last
# TAIL lines once at the end (so the run still ends with its final result).
# Each repetition gives the ids of messages, parts and tool calls a suffix
# of its own, as a long session has them all different; the session stays
# one.  With json, only the fixture's JSON lines are kept (the few stderr
# lines an agent prints first would stop jq, not agent-tail).  Built under
# a temporary name and renamed, so a log that exists is complete; one of
# another size (an older BENCH_SIZE) is made again.
mklog() {
	out=$D/$1.log
	if [ -f "$out" ]; then
		sz=$(wc -c < "$out")
		[ "$sz" -ge "$SIZE" ] && [ "$sz" -lt $((SIZE + 1048576)) ] && return 0
	fi
	echo "bench: building $out (once; reused by later runs)"
	tmp=$D/.$1.tmp
	if [ "${5:-}" = json ]; then grep '^{' "$2"; else cat "$2"; fi |
	awk -v head="$3" -v tail="$4" -v size="$SIZE" '
	{ l[NR] = $0 }
	END {
		for (i = 1; i <= head; i++) { print l[i]; got += length(l[i]) + 1 }
		for (i = NR - tail + 1; i <= NR; i++) end += length(l[i]) + 1
		for (k = 1; got + end < size; k++)
			for (i = head + 1; i <= NR - tail && got + end < size; i++) {
				s = l[i]
				gsub(/"(id|uuid|tool_use_id|tool_id|callID|toolCallId|messageID|messageId)":"[^"]*/, "&-" k, s)
				print s; got += length(s) + 1
			}
		for (i = NR - tail + 1; i <= NR; i++) print l[i]
	}' > "$tmp" && [ -s "$tmp" ] || { rm -f "$tmp"; return 1; }
	mv "$tmp" "$out"
}

# Commands are measured in groups: a baseline and the tools compared with
# it, interleaved over ROUNDS rounds so that a change of machine load hits
# both sides alike; each keeps its best time.  A command whose runs have
# used up BUDGET seconds is not run again.
ROUNDS=5
PER=$(( (RUNS + ROUNDS - 1) / ROUNDS ))
k=0

# add LABEL BASE MAXRATIO CMD: CMD is a string for eval ("$log" and the like
# stay quoted); BASE is the number of its baseline's entry, 0 for a
# baseline itself, "-" for one of ours with no baseline; MAXRATIO "-" when
# only the RSS target applies.
add() {
	k=$((k + 1))
	eval "lab_$k=\$1 bas_$k=\$2 max_$k=\$3 cmd_$k=\$4"
	eval "sec_$k=- cpu_$k=- rss_$k=0 st_$k=0 n_$k=0 spent_$k=0"
}

# avail I: can entry I run?  Ours must be built (a tool still being written
# is skipped); a baseline must be installed.
avail() {
	eval "c=\$cmd_$1"
	eval "set -- $c"
	case $1 in
	"$BIN"/*) [ -x "$1" ] ;;
	*) command -v "$1" >/dev/null 2>&1 ;;
	esac
}

measure_group() {
	r=0
	while [ $r -lt $ROUNDS ]; do
		i=1
		while [ $i -le $k ]; do
			eval "c=\$cmd_$i sp=\$spent_$i"
			if avail $i && awk -v s="$sp" -v b="$BUDGET" 'BEGIN { exit !(s < b) }'; then
				eval "set -- $c"
				set -- $("$M" -n "$PER" -t "$BUDGET" "$@")
				eval "osec=\$sec_$i ocpu=\$cpu_$i orss=\$rss_$i on=\$n_$i"
				[ "$osec" = - ] || set -- "$(awk -v a="$1" -v b="$osec" 'BEGIN { print a < b ? a : b }')" "$2" "$3" "$4" "$5" "$6"
				[ "$ocpu" = - ] || ncpu=$(awk -v a="$5" -v b="$ocpu" 'BEGIN { print a < b ? a : b }')
				[ "$ocpu" = - ] && ncpu=$5
				[ "$orss" -gt "$2" ] && set -- "$1" "$orss" "$3" "$4" "$5" "$6"
				sp=$(awk -v a="$sp" -v b="$6" 'BEGIN { print a + b }')
				eval "sec_$i=\$1 rss_$i=\$2 st_$i=\$3 n_$i=\$((on + \$4)) cpu_$i=\$ncpu spent_$i=\$sp"
			fi
			i=$((i + 1))
		done
		r=$((r + 1))
	done
}

# print_group DIALECT: one row an entry, then forgets the group
print_group() {
	i=1
	while [ $i -le $k ]; do
		eval "lab=\$lab_$i bas=\$bas_$i maxr=\$max_$i sec=\$sec_$i cpu=\$cpu_$i rss=\$rss_$i st=\$st_$i n=\$n_$i c=\$cmd_$i"
		if [ "$sec" = - ]; then
			eval "set -- $c"
			if [ "$bas" = 0 ]; then why="$1 not installed"; else why="${1##*/} not built yet"; fi
			printf '%-8s %-28s %s\n' "$dia" "$lab" "skipped: $why"
			i=$((i + 1)); continue
		fi
		if [ "$bas" = 0 ]; then
			ratio=1.00 target=baseline verdict=-
			[ "$st" -gt 1 ] && verdict="ERR(exit $st)"   # grep: 1 is "no match"
		else
			bsec=-
			[ "$bas" = - ] || eval "bsec=\$sec_$bas"
			ratio=- verdict=PASS target=
			if [ "$bsec" != - ] && [ "$maxr" != - ]; then
				ratio=$(awk -v a="$sec" -v b="$bsec" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }')
				target="<=${maxr}x"
				awk -v r="$ratio" -v m="$maxr" 'BEGIN { exit !(r <= m) }' || verdict=FAIL
			elif [ "$bsec" != - ]; then
				ratio=$(awk -v a="$sec" -v b="$bsec" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }')
			fi
			target="${target:+$target, }<${RSS_MAX}K"
			[ "$rss" -lt "$RSS_MAX" ] || verdict=FAIL
			# 64 and up is a tool's error, not an agent state
			[ "$st" -ge 64 ] && verdict="ERR(exit $st)"
		fi
		printf '%-8s %-28s %10s %8s %8s %5s %9s  %-16s %s\n' "$dia" "$lab" "$sec" "$ratio" "$cpu" "$n" "$rss" "$target" "$verdict"
		i=$((i + 1))
	done
	k=0
}

hdr() {
	printf '%-8s %-28s %10s %8s %8s %5s %9s  %-16s %s\n' dialect command seconds ratio 'cpu s' runs 'RSS KiB' target result
}

# What agent-tail -j prints, said in jq: tests/bench/events.jq, one
# function a dialect.
jqf() {
	printf 'include "events"; %s' "$1"
}
JQLIB=tests/bench

# dialect NAME LOG GREP-PATTERN [JQ-FILTER]: the reader tools on one log
dialect() {
	dia=$1 log=$2 pat=$3 jqf=${4:-}
	add "tail -n 80" 0 - 'tail -n 80 "$log"'
	add "agent-state" 1 2 '"$BIN/agent-state" "$log"'
	add "agent-tail -n 80" 1 2 '"$BIN/agent-tail" -n 80 "$log"'
	add "grep -m1 '$pat'" 0 - 'grep -m1 "$pat" "$log"'
	add "agent-session-id" 4 1.5 '"$BIN/agent-session-id" "$log"'
	if [ -n "$jqf" ]; then
		add "jq -c (same events)" 0 - 'jq -c -L "$JQLIB" "$jqf" "$log"'
		add "agent-tail -j (whole log)" 6 0.1 '"$BIN/agent-tail" -j "$log"'
	else
		add "agent-tail -j (whole log)" - - '"$BIN/agent-tail" -j "$log"'
	fi
	measure_group
	# how many times faster than jq, for the summary
	[ -n "$jqf" ] && speedups="$speedups $dia $(awk -v a="$sec_6" -v b="$sec_7" \
	    'BEGIN { if (a != "-" && b != "-" && b > 0) printf "%.1fx", a / b; else print "-" }')"
	print_group
}

# make_runs: $rd, a runs directory of 1000 finished runs, made once
make_runs() {
	rd=$D/runs
	if [ -x "$BIN/agent-spawn" ] && [ ! -f "$rd/.bench-complete" ]; then
		echo "bench: creating 1000 runs in $rd (once)"
		rm -rf "$rd"
		i=0
		while [ $i -lt 1000 ]; do
			AGENT_RUNS=$rd "$BIN/agent-spawn" -- true >/dev/null </dev/null || {
				echo "bench: agent-spawn failed; agent-ls skipped"; return 1; }
			i=$((i + 1))
		done
		: > "$rd/.bench-complete"
	fi
}

# The live view over those runs, on a pseudo-terminal (tests/bench/top.py):
# from a run's end to the frame that shows it, and its CPU while idle.
top_bench() {
	make_runs || return
	if [ ! -f "$rd/.bench-complete" ] || [ ! -x "$BIN/agent-top" ]; then
		echo "top      skipped: agent-spawn or agent-top not built yet"; return
	fi
	command -v python3 >/dev/null 2>&1 || { echo "top      skipped: python3 not installed"; return; }
	python3 tests/bench/top.py "$BIN" "$rd" || :
}

# Runs: how long agent-spawn takes to return (the job is really running by
# then), and agent-ls over a runs directory of 1000 finished runs.
runs_bench() {
	dia=runs
	# a directory of its own, removed only afterwards: on ext4 a file
	# made just after many were deleted costs a scan of their inodes
	# (recently_deleted), which would be measured with agent-spawn
	sp=$D/spawn-runs.$$
	export AGENT_RUNS="$sp"
	add "agent-spawn -- true" - - '"$BIN/agent-spawn" -- true'
	measure_group
	print_group
	# the latency a caller sees is the median, not the best run
	if [ -x "$BIN/agent-spawn" ]; then
		set -- $("$M" -m -n 20 -t "$BUDGET" "$BIN/agent-spawn" -- true)
		printf '%-8s %-28s %10s  median of %s runs\n' runs "agent-spawn -- true" "$1" "$4"
	fi
	rm -rf "$sp"
	make_runs || return
	if [ ! -f "$rd/.bench-complete" ]; then
		printf '%-8s %-28s %s\n' runs "agent-ls (1000 runs)" "skipped: agent-spawn (which makes the runs) not built yet"
		return
	fi
	export AGENT_RUNS="$rd"
	add "agent-ls (1000 runs)" - - '"$BIN/agent-ls"'
	measure_group
	print_group
}

want() {
	case " $ONLY " in *" $1 "*) return 0 ;; esac
	return 1
}

# The logs: one real session of each agent, repeated (tests/fixtures).
# NAME FIXTURE HEAD TAIL [json]: the lines kept once at its start and end
while read -r name fix head tail fmt; do
	want "$name" || continue
	mklog "$name" "$FIX/$fix" "$head" "$tail" $fmt ||
		{ echo "bench: cannot build the $name log"; exit 0; }
done <<EOF
claude claude/stream-json-happy.log 1 1 json
opencode opencode/json-happy.log 0 0 json
codex codex/exec-json-happy.log 2 1 json
gemini gemini/stream-json-happy.log 2 1 json
droid droid/stream-json-happy.log 2 1 json
copilot copilot/json-happy.log 4 1 json
qwen qwen/stream-json-happy.log 1 1 json
pi pi/json-happy.log 2 1 json
cline cline/json-happy.log 1 1 json
omo omo/happy.log 4 3
EOF

echo "agentutils bench: best of up to $RUNS runs (at most ${BUDGET}s each command), output to /dev/null;"
echo "ratio: wall time to the baseline above it; cpu s: the least user+system time of a run; load now: $(cut -d' ' -f1-3 /proc/loadavg)"
for n in claude opencode codex gemini droid copilot qwen pi cline omo; do
	[ -f "$D/$n.log" ] && want $n && echo "log: $D/$n.log, $(wc -c < "$D/$n.log") bytes, $(wc -l < "$D/$n.log") lines"
done
hdr
speedups=
want claude && dialect claude "$D/claude.log" '"session_id"' "$(jqf claude)"
want opencode && dialect opencode "$D/opencode.log" '"sessionID"' "$(jqf opencode)"
want codex && dialect codex "$D/codex.log" '"thread_id"' "$(jqf codex)"
want gemini && dialect gemini "$D/gemini.log" '"session_id"' "$(jqf gemini)"
want droid && dialect droid "$D/droid.log" '"session_id"' "$(jqf droid)"
# copilot names its session in the last line alone, cline in none: there
# agent-session-id and grep -m1 both read the whole log
want copilot && dialect copilot "$D/copilot.log" '"sessionId"' "$(jqf copilot)"
want qwen && dialect qwen "$D/qwen.log" '"session_id"' "$(jqf qwen)"
want pi && dialect pi "$D/pi.log" '"type":"session"' "$(jqf pi)"
want cline && dialect cline "$D/cline.log" '"sessionId"' "$(jqf cline)"
want omo && dialect omo "$D/omo.log" 'Session:'
[ -n "$speedups" ] && echo "agent-tail -j against jq -c, times faster (target 10x):$speedups"
want runs && runs_bench
want top && top_bench
if want remote && [ -x "$BIN/agent-state" ]; then
	bin=$(cd "$BIN" && pwd) m=$(cd "$D" && pwd)/measure
	(cd tests/bench && AGENTUTILS_BIN=$bin sh ssh.sh "$m" "$BUDGET")
fi
exit 0
