#!/bin/sh
# Runs the unit suites (Check) and the CLI tests (TAP) of one build and
# appends "passed failed" counts to the results file for tests/summary.sh.
# usage: run.sh BUILDDIR RESULTS UNIT... -- TAPFILE...
b=$1 results=$2; shift 2
names=$(for a; do [ "$a" = -- ] || printf ' %s' "${a##*/}"; done)
passed=0 failed=0
while [ $# -gt 0 ] && [ "$1" != -- ]; do
	out=$("$1" 2>&1); rc=$?
	printf '%s\n' "$out"
	# Check's CK_NORMAL line: "100%: Checks: 12, Failures: 0, Errors: 0"
	line=$(printf '%s\n' "$out" | grep -E '^[0-9]+%: Checks: ' | tail -n 1)
	if [ -n "$line" ]; then
		n=$(echo "$line" | sed -E 's/.*Checks: ([0-9]+).*/\1/')
		f=$(echo "$line" | sed -E 's/.*Failures: ([0-9]+), Errors: ([0-9]+).*/\1 \2/' | awk '{print $1+$2}')
		passed=$((passed + n - f)); failed=$((failed + f))
		# all checks passed but the suite did not: a sanitizer (a leak
		# report at exit) or a crash after the summary
		if [ $rc -ne 0 ] && [ "$f" -eq 0 ]; then
			echo "$1: exit $rc after its checks passed"; failed=$((failed + 1))
		fi
	else
		echo "$1: no Check summary (exit $rc)"; failed=$((failed + 1))
	fi
	shift
done
[ "$1" = -- ] && shift
for t in "$@"; do
	echo "# $t"
	out=$(cd "$(dirname "$t")" && sh "./$(basename "$t")" 2>&1); rc=$?
	printf '%s\n' "$out"
	p=$(printf '%s\n' "$out" | grep -cE '^ok ')
	f=$(printf '%s\n' "$out" | grep -cE '^not ok ')
	plan=$(printf '%s\n' "$out" | grep -E '^1\.\.[0-9]+' | head -n 1 | sed 's/^1\.\.//; s/ .*//')
	if [ -n "$plan" ] && [ $((p + f)) -ne "$plan" ]; then
		echo "not ok - $t: planned $plan tests, ran $((p + f)) (exit $rc)"; f=$((f + 1))
	elif [ -z "$plan" ]; then
		echo "not ok - $t: no TAP plan (exit $rc)"; f=$((f + 1))
	fi
	passed=$((passed + p)); failed=$((failed + f))
done
echo "$passed $failed" >> "$results"
echo "# $b$names: $passed passed, $failed failed"
