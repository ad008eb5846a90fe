#!/bin/sh
# agent-session-id: every fixture's id from a file and from stdin, -a, and
# exit 1 with nothing printed when a log has none.
. ./lib.sh

nfix=$(grep -vc '^#' "$FIX/MANIFEST.tsv")
plan $((nfix * 2 + 10))

while IFS='	' read -r log agent ex want sid; do
	got=$(agent-session-id "$FIX/$log"); rc=$?
	if [ "$sid" = - ]; then
		is "$got:$rc" ":1" "$log has no session id: nothing printed, exit 1"
	else
		is "$got:$rc" "$sid:0" "session id of $log"
	fi
	got=$(agent-session-id < "$FIX/$log")
	is "${got:--}" "$sid" "session id of $log read from stdin"
done <<EOF
$(grep -v '^#' "$FIX/MANIFEST.tsv")
EOF

cat "$FIX/claude/stream-json-happy.log" "$FIX/claude/stream-json-resume.log" \
	"$FIX/claude/stream-json-happy.log" > "$T/two.log"
run agent-session-id -a "$T/two.log"
is "$out" "2814a59a-40b5-4327-a10e-e34986560113
11111111-2222-4333-8444-555555555555" "-a prints each distinct id once, in order of appearance"
is "$(agent-session-id "$T/two.log")" "$(echo "$out" | head -n 1)" "without -a only the first id"

cat "$FIX/claude/stream-json-happy.log" | agent-session-id > "$T/p.out"
is "$(cat "$T/p.out")" "$(agent-session-id "$FIX/claude/stream-json-happy.log")" "a pipe on stdin works"

run agent-session-id "$T/missing"
is "$rc" 66 "a missing log exits 66"
: > "$T/empty"
run agent-session-id "$T/empty"
is "$rc:$out" "1:" "an empty log has no id: exit 1, nothing printed"
printf 'Session: ses_\033[31mevil\n' > "$T/esc"
run agent-session-id "$T/esc"
printf '%s' "$out" | grep -q "$(printf '\033')"
ok $((1 - $?)) "no escape sequence reaches the output"
run agent-session-id -D bogus "$FIX/omo/happy.log"
is "$rc" 64 "an unknown dialect is a usage error"
run agent-session-id -D omo "$FIX/omo/happy.log"
is "$out" ses_df60bda3bffeXCkoDZ48rADnTM "-D forces the dialect"
run agent-session-id a b
is "$rc" 64 "two operands are a usage error"
run agent-session-id -h
is "$rc:$(echo "$out" | cut -c1-23)" "0:usage: agent-session-id" "-h prints the usage line and exits 0"
