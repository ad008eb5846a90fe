#!/bin/sh
# What every tool does alike (bin/common/tool.c): -h and a bad option print
# the one usage line, a bad number is refused in one wording, and a prompt
# file is read with one bound by every tool that takes one.
. ./lib.sh

top=$(cd ../.. && pwd)
tools=$(cd "$top/bin" && ls *.c | sed 's/\.c$//')
plan $(( $(echo "$tools" | wc -l) * 2 + 16 ))

for t in $tools; do
	run "$t" -h
	h=$out
	run "$t" -Z
	# getopt's own complaint comes first, then the usage line
	is "$rc:$(printf '%s\n' "$err" | grep -v 'invalid option')" "64:$h" \
		"$t: a bad option exits 64 with the usage line -h prints"
	case $h in "usage: $t "*) r=0 ;; *) r=1 ;; esac
	ok $r "$t -h prints its usage line"
done

# A bad number: exit 64 and "prog: OPT ARG: not a [whole] number from LO to HI".
log=$FIX/claude/stream-json-cutoff-sigterm.log
run agent-state -x 2.5 "$log"
is "$rc:$err" "64:agent-state: -x 2.5: not a whole number from 0 to 255" \
	"agent-state -x takes a whole exit status only"
run agent-tail -x 2.5 "$log"
is "$rc:$err" "64:agent-tail: -x 2.5: not a whole number from 0 to 255" \
	"agent-tail -x refuses the same status in the same words"
run agent-tail -n -1 "$log"
is "$rc:$err" "64:agent-tail: -n -1: not a whole number from 0 to 9223372036854775807" \
	"agent-tail -n: a negative count is refused"
run agent-state -t soon "$log"
is "$rc:$err" "64:agent-state: -t soon: not a number from 0 to 1000000000" \
	"agent-state -t: seconds that are no number are refused"
run agent-kill -t -1 x
is "$rc:$err" "64:agent-kill: -t -1: not a number from 0 to 86400" \
	"agent-kill -t: a negative grace is refused"
run agent-resume --max x "$log"
is "$rc:$err" "64:agent-resume: --max x: not a whole number from 0 to 1000000" \
	"agent-resume --max: not a number is refused"
run agent-replay -r 256 "$log"
is "$rc:$err" "64:agent-replay: -r 256: not a whole number from 0 to 255" \
	"agent-replay -r: a status past 255 is refused"
run agent-replay -x 0 "$log"
is "$rc:$err" "64:agent-replay: -x 0: not a number from 0.001 to 1000000" \
	"agent-replay -x: a speed of 0 is refused"

# Prompts: one reader, one bound (64 MiB), for agent-spawn and agent-resume.
run agent-spawn -a claude -P /dev/zero
is "$rc:$err" "65:agent-spawn: /dev/zero: prompt larger than 67108864 bytes" \
	"agent-spawn -P: an endless prompt is refused at 64 MiB"
mkdir "$T/wd"
run agent-resume -a claude -d "$T/wd" -P /dev/zero "$log"
is "$rc:$err" "65:agent-resume: /dev/zero: prompt larger than 67108864 bytes" \
	"agent-resume -P: the same bound in the same words"
printf 'a\0b' >"$T/nul"
run agent-spawn -a claude -P "$T/nul"
is "$rc:$err" "65:agent-spawn: prompt: holds a NUL byte" \
	"agent-spawn -P: a prompt with a NUL byte is refused"
run agent-resume -a claude -d "$T/wd" -P "$T/nul" "$log"
is "$rc:$err" "65:agent-resume: prompt: holds a NUL byte" \
	"agent-resume -P: the same prompt refused the same way"

# agents.conf that cannot be read: the same words and exit 65 from every
# tool that loads it (agent-spawn -a list said "...:0: ...", agent-spawn -a
# "agents.conf: ...", agent-resume the path)
mkdir -p "$T/cfgdir/agentutils/agents.conf"
conf=$T/cfgdir/agentutils/agents.conf
run env XDG_CONFIG_HOME="$T/cfgdir" agent-spawn -a list
is "$rc:$err" "65:agent-spawn: $conf: Is a directory" \
	"agent-spawn -a list: an unreadable agents.conf is named with its reason"
a=$err
run env XDG_CONFIG_HOME="$T/cfgdir" agent-resume -a claude -d "$T/wd" "$log"
is "$rc:${err#agent-resume: }" "65:${a#agent-spawn: }" \
	"agent-resume says the same of it"

# an agent that no preset or profile names: exit 64 and where the names are
# (agent-resume did not say where)
run agent-spawn -a nosuch -p hi
is "$rc:$err" "64:agent-spawn: nosuch: no such agent or profile (agent-spawn -a list shows them)" \
	"agent-spawn: an unknown agent is a usage error that says where the names are"
run agent-resume -a nosuch -d "$T/wd" "$log"
is "$rc:$err" "64:agent-resume: nosuch: no such agent or profile (agent-spawn -a list shows them)" \
	"agent-resume says the same"
