#!/bin/sh
# soak.sh — many short runs of real-format agent output, each hit at a
# random (seeded) moment by a signal to the agent, its process group, its
# supervisor or the shell that launched it, or left alone; then 100 spawns
# at once.  Checks that every run ends consistently with what was done to
# it, that no record is lost or torn, that ids are unique, that no process
# is left and that agent-ls lists every run once.  Ends "N passed, N failed".
#
# usage: soak.sh            (AGENTUTILS_BIN: the tools; SOAK_N runs, default
#                            1000; SOAK_SEED; SOAK_JOBS at a time, default 8)
set -u
BIN=${AGENTUTILS_BIN:?set AGENTUTILS_BIN to the built tools (make soak does)}
HERE=$(cd "$(dirname "$0")" && pwd)
FIX=$(cd "$HERE/../fixtures" && pwd)
PATH=$BIN:$PATH
export PATH LC_ALL=C.UTF-8

# one run, in its own process (xargs -P runs several): soak.sh --one W I
if [ "${1:-}" = --one ]; then
	W=$2 i=$3
	export AGENT_RUNS=$W/runs XDG_CONFIG_HOME=$W/config XDG_STATE_HOME=$W/state
	# shellcheck disable=SC2046
	set -- $(sed -n "${i}p" "$W/plan")
	kind=$1 fix=$3 target=$4 sig=$5 ms=$6 dur=$7 form=$8
	set -- $(sed -n "${fix}p" "$W/fixtures")
	log=$1 want_status=$2 want=$3 nlines=$4
	iv=$((dur / nlines))
	label=$kind-$i
	idf=$W/id.$i
	: > "$idf"
	if [ "$form" = sh ]; then
		# a launcher that waits for the agent, as npx waits for node
		# (its own "Terminated" goes elsewhere: the log is the agent's)
		set -- sh -c 'agent-replay -i "$1" "$2"; exit $?' sh "$iv" "$FIX/$log"
	else
		set -- agent-replay -i "$iv" "$FIX/$log"
	fi
	# the shell that launches it: its own session and group, as a
	# terminal's would be, waiting for the run as a user's script does
	setsid env SOAK_TAG="$(cat "$W/tag")" sh -c \
	    'o=$1; shift; agent-spawn "$@" > "$o" || exit; exec agent-state -w -t 300 "$(cat "$o")"' \
	    sh "$idf" -l "$label" -d "$W/wd" -- "$@" >/dev/null 2>&1 &
	lpid=$!
	what=none
	tries=0
	if [ "$target" = launcher ]; then
		sleep "$(echo "$ms" | awk '{ printf "%.3f", $1 / 1000 }')"
		kill -"$sig" "-$lpid" 2>/dev/null && what=sent || what=late
	elif [ "$target" != none ]; then
		while [ ! -s "$idf" ] && [ $tries -lt 3000 ]; do sleep 0.01; tries=$((tries + 1)); done
		id=$(cat "$idf")
		what=late
		if [ -n "$id" ]; then
			# the moment counts from the agent's start, whatever this
			# driver's own delays
			set -- $(jq -r '"\(.pid) \(.pgid) \(.supervisor) \(.started)"' \
			    "$AGENT_RUNS/$id/meta.json")
			sleep "$(awk -v t="$4" -v ms="$ms" -v now="$(date +%s.%N)" \
			    'BEGIN { d = t + ms / 1000 - now; printf "%.3f", (d > 0 ? d : 0) }')"
		fi
		if [ -n "$id" ] && [ ! -e "$AGENT_RUNS/$id/exit.json" ]; then
			case $target in
			agent)
				pid=$1
				# still this run's, not a pid reused since
				if grep -qsa "AGENT_RUN_ID=$id" "/proc/$pid/environ"; then
					kill -"$sig" "$pid" 2>/dev/null && what=sent
				fi ;;
			group)
				pid=$2
				if grep -qsa "AGENT_RUN_ID=$id" "/proc/$pid/environ"; then
					kill -"$sig" "-$pid" 2>/dev/null && what=sent
				fi ;;
			supervisor)
				pid=$3
				if [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = agent-supervise ]; then
					kill -"$sig" "$pid" 2>/dev/null && what=sent
				fi
				# a supervisor killed outright writes no record: a
				# user stops what is left with agent-kill
				if [ "$what" = sent ] && [ "$sig" = KILL ]; then
					agent-kill -t 2 "$id" > /dev/null 2> "$W/kill.$i"
					[ $? -eq 0 ] || what=sent-agent-kill-failed
				fi ;;
			esac
		fi
	fi
	# the run: by its id, or (its launcher killed before it printed one)
	# by its label, when its supervisor got as far as writing meta.json
	tries=0
	while [ ! -s "$idf" ] && [ $tries -lt 600 ] && kill -0 "$lpid" 2>/dev/null; do
		sleep 0.05; tries=$((tries + 1))
	done
	id=$(cat "$idf")
	if [ -z "$id" ]; then
		tries=0
		while [ $tries -lt 20 ]; do
			id=$(grep -l "\"label\":\"$label\"" "$AGENT_RUNS"/*/meta.json 2>/dev/null | head -n 1)
			[ -n "$id" ] && break
			sleep 0.05; tries=$((tries + 1))
		done
		[ -n "$id" ] && id=$(basename "$(dirname "$id")")
	fi
	wait "$lpid" 2>/dev/null
	fail=
	if [ -z "$id" ]; then
		# no run: only when the launcher was stopped before agent-spawn
		# had a supervisor running
		[ "$target" = launcher ] && [ "$what" = sent ] || fail="$fail no-run"
		echo "$i $kind $target $sig $what - norun - - - $log${fail:+ FAIL$fail}" > "$W/res.$i"
		exit 0
	fi
	d=$AGENT_RUNS/$id
	# the end of the run, not its first final state (an error line reads
	# as failed while the agent still runs): the exit record, or no
	# supervisor and no process of the run
	tries=0
	while [ ! -e "$d/exit.json" ] && [ $tries -lt 6000 ]; do
		if flock -n -s "$d/lock" true &&
		    ! grep -qsa "AGENT_RUN_ID=$id" /proc/[0-9]*/environ; then
			break
		fi
		sleep 0.05; tries=$((tries + 1))
	done
	state=$(agent-state "$id" 2>&1)
	case $state in completed|cut-off|failed|limited) ;; *) fail="$fail state-not-final" ;; esac
	jq -e --arg id "$id" '.version == 1 and .id == $id' "$d/meta.json" >/dev/null 2>&1 ||
		fail="$fail meta-torn"
	rec=exit
	status=-
	if [ -e "$d/exit.json" ]; then
		if jq -e '.version == 1 and (.status | type) == "number" and
		    (if .signal == null then .status == .code else .status == 128 + .signal end)' \
		    "$d/exit.json" >/dev/null 2>&1; then
			status=$(jq -r .status "$d/exit.json")
		else
			rec=torn fail="$fail exit-torn"
		fi
	elif [ -e "$d/killed" ]; then
		rec=marker
		[ "$target $sig $what" = "supervisor KILL sent" ] || fail="$fail marker-without-supervisor-kill"
	elif [ "$target $sig $what" = "supervisor KILL sent" ] &&
	    grep -q 'already ended (its supervisor was killed' "$W/kill.$i" 2>/dev/null; then
		# the agent finished on its own between the supervisor's death
		# and agent-kill: nobody was left to record how; agent-kill
		# said so, and stopped nothing
		rec=unrecorded
	else
		rec=lost fail="$fail exit-lost"
	fi
	[ -z "$(find "$d" -maxdepth 1 -name '.*' ! -name . | head -n 1)" ] || fail="$fail temp-left"
	# the log: what the agent wrote, whole lines of the recording, in
	# order, and after them at most the launcher's word on how it ended
	size=$(wc -c < "$d/log")
	if [ "$form" = sh ]; then
		last=$(tail -n 1 "$d/log")
		case $last in Terminated|Killed) size=$((size - ${#last} - 1)) ;; esac
	fi
	cmp -s -n "$size" "$d/log" "$FIX/$log" || fail="$fail log-not-prefix"
	full=0
	[ "$size" -eq "$(wc -c < "$FIX/$log")" ] && full=1
	case $target:$what in
	none:*|*:late|launcher:*)
		# nothing reached the run: it ends as its recording did
		[ "$status" = "$want_status" ] || fail="$fail status($status/$want_status)"
		[ $full = 1 ] || fail="$fail log-short"
		[ "$state" = "$want" ] || fail="$fail state($state/$want)" ;;
	*)
		cp "$d/log" "$W/log.$i"
		case $rec in marker) x=137 ;; unrecorded) x= ;; *) x=$status ;; esac
		# the signal, or (it came as the agent ended) the recorded end
		case $rec:$status in
		marker:*|unrecorded:*|*:"$want_status") ;;
		*:$((128 + $(case $sig in KILL) echo 9 ;; TERM) echo 15 ;; INT) echo 2 ;; esac)))) ;;
		*) fail="$fail status($status)" ;;
		esac
		# the run reads as its log does with that exit status
		expect=$(agent-state ${x:+-x "$x"} "$W/log.$i" 2>&1)
		[ "$state" = "$expect" ] || fail="$fail state($state/$expect)"
		rm -f "$W/log.$i" ;;
	esac
	echo "$i $kind $target $sig $what $id $state $rec $status $full $log${fail:+ FAIL$fail}" > "$W/res.$i"
	exit 0
fi

N=${SOAK_N:-1000}
SEED=${SOAK_SEED:-$(od -An -N4 -tu4 /dev/urandom | tr -d ' ')}
JOBS=${SOAK_JOBS:-8}
BURST=100
W=$(mktemp -d "${TMPDIR:-/tmp}/agentutils-soak.XXXXXX") || exit 1
TAG=soak-$$-$SEED
echo "$TAG" > "$W/tag"
mkdir "$W/wd" "$W/config" "$W/state"
export AGENT_RUNS=$W/runs XDG_CONFIG_HOME=$W/config XDG_STATE_HOME=$W/state
# every process the soak started carries SOAK_TAG: the ones still there
tagged() {
	grep -lsa "SOAK_TAG=$TAG" /proc/[0-9]*/environ 2>/dev/null | cut -d/ -f3
}
cleanup() {
	for p in $(tagged); do kill -KILL "$p" 2>/dev/null; done
	[ -n "${SOAK_KEEP:-}" ] && echo "# kept $W" || rm -rf "$W"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP

echo "# soak: seed $SEED, $N runs ($JOBS at a time), then $BURST spawns at once"
# the recordings: path, exit status, verdict, line count
grep -v '^#' "$FIX/MANIFEST.tsv" | while IFS='	' read -r log agent st want sid; do
	printf '%s %s %s %s\n' "$log" "$st" "$want" "$(wc -l < "$FIX/$log" | awk '{ print ($1 > 0 ? $1 : 1) }')"
done > "$W/fixtures"
nfix=$(wc -l < "$W/fixtures")
# the plan, one line a run: kind i fixture target signal moment(ms)
# duration(ms) form; the burst's runs are left alone
awk -v n="$N" -v b="$BURST" -v seed="$SEED" -v nfix="$nfix" 'BEGIN {
	srand(seed)
	split("none agent group supervisor launcher", tg, " ")
	split("KILL TERM INT", sg, " ")
	for (i = 1; i <= n + b; i++) {
		t = i <= n ? tg[int(rand() * 5) + 1] : "none"
		# the agent writes its recording over dur ms; the fault comes
		# at a moment within that (delays in the driver make a few
		# come after the end: those count as left alone)
		dur = int(rand() * 1200) + 300
		printf "%s %d %d %s %s %d %d %s\n", i <= n ? "soak" : "burst", i,
		    int(rand() * nfix) + 1, t, sg[int(rand() * 3) + 1],
		    int(rand() * dur * 0.8), dur, rand() < 0.5 ? "sh" : "exec"
	}
}' > "$W/plan"

start=$(date +%s)
seq 1 "$N" | xargs -P "$JOBS" -n 1 sh "$HERE/soak.sh" --one "$W"
# the burst: every one of them spawned at the same moment
seq $((N + 1)) $((N + BURST)) | xargs -P "$BURST" -n 1 sh "$HERE/soak.sh" --one "$W"
took=$(($(date +%s) - start))
cat "$W"/res.* > "$W/results"

# ids unique, every run listed by agent-ls exactly once
agent-ls -a > "$W/ls" 2>&1 || echo "# agent-ls failed: $(head -n 1 "$W/ls")"
cut -f 1 "$W/ls" | sort | uniq -c | awk '{ print $2, $1 }' > "$W/listed"
awk '$6 != "-" { print $6 }' "$W/results" | sort | uniq -d > "$W/dupids"
# no process left: a supervisor writes its record and then exits
left=
i=0
while [ $i -lt 100 ]; do
	left=$(tagged | tr '\n' ' ')
	[ -z "$left" ] && break
	sleep 0.1; i=$((i + 1))
done
# directories agent-spawn made whose supervisor never took over
halfmade=$(for d in "$AGENT_RUNS"/*/; do [ -d "$d" ] && [ ! -e "$d/meta.json" ] && basename "$d"; done | wc -l)

awk -v listed="$W/listed" -v dup="$W/dupids" -v left="$left" -v half="$halfmade" -v took="$took" '
BEGIN {
	while ((getline l < listed) > 0) { split(l, a, " "); seen[a[1]] = a[2]; nlisted++ }
	while ((getline l < dup) > 0) isdup[l] = 1
}
{
	f = ($0 ~ / FAIL/)
	if ($6 != "-") {
		runs++
		if (!($6 in seen)) { f = 1; notlisted++; print "# not listed by agent-ls: " $0 }
		else if (seen[$6] != 1) { f = 1; twice++; print "# listed " seen[$6] " times: " $0 }
		if ($6 in isdup) { f = 1; dups++ }
		ids[$6] = 1
	}
	if ($3 == "none") fault["none"]++
	else fault[$3 " " $4 ($5 == "late" ? " late" : "")]++
	state[$7]++
	rec[$8]++
	if ($7 == "norun" && $4 == "KILL") killnorun++
	if (f) { failed++; if (/ FAIL/) print "# FAIL " $0 }
	else passed++
}
END {
	for (id in seen) if (!(id in ids)) extra++
	printf "# %d runs in %d s: %d soak runs with faults, %d spawned at once\n", NR, took, NR - 100, 100
	printf "# left alone: %d\n", fault["none"]
	nt = split("agent group supervisor launcher", tg, " ")
	split("KILL TERM INT", sg, " ")
	for (t = 1; t <= nt; t++) {
		printf "# %s:", tg[t] == "group" ? "agent'"'"'s group" : tg[t] == "launcher" ? "launching shell'"'"'s group" : tg[t]
		for (g = 1; g <= 3; g++)
			printf " %s %d hit, %d after the end;", sg[g], fault[tg[t] " " sg[g]], fault[tg[t] " " sg[g] " late"]
		printf "\n"
	}
	printf "# final states: completed %d, cut-off %d, failed %d, limited %d, other %d\n",
	    state["completed"], state["cut-off"], state["failed"], state["limited"],
	    NR - state["completed"] - state["cut-off"] - state["failed"] - state["limited"] - state["norun"]
	printf "# exit records: %d parse, %d absent and explained by agent-kill'"'"'s marker, %d absent because the agent ended on its own after its supervisor was killed (agent-kill: already ended), %d torn, %d lost\n",
	    rec["exit"], rec["marker"], rec["unrecorded"], rec["torn"], rec["lost"]
	printf "# runs never made (launcher stopped inside agent-spawn): %d, %d of them by KILL; directories without a record left: %d (only a KILL, which cannot be held back, may leave one)\n",
	    state["norun"], killnorun, half
	printf "# ids: %d runs, %d duplicated\n", runs, dups
	printf "# agent-ls: %d rows; %d runs missing, %d listed more than once, %d rows of no soak run\n",
	    nlisted, notlisted, twice, extra
	n = split(left, lp, " ")
	printf "# processes left: %d%s\n", n, n ? " (" left ")" : ""
	if (n > 0 || extra > 0 || half > killnorun) failed++
	printf "%d passed, %d failed\n", passed, failed
}' "$W/results" | tee "$W/summary"
tail -n 1 "$W/summary" | grep -q ', 0 failed$'
