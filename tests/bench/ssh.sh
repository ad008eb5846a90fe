#!/bin/sh
# ssh.sh — make bench's remote part: what a call to a run on another host
# costs, against a loopback sshd it starts and stops (tests/remote/lib.sh,
# as root): ssh alone and agent-state HOST:ID, each with a connection of
# its own and over a ControlMaster, medians of 20; agent-state on the same
# run locally for scale.
# usage: (cd tests/bench && AGENTUTILS_BIN=... sh ssh.sh MEASURE BUDGET)
M=$1 BUDGET=$2
if [ "$(id -u)" != 0 ] || [ ! -x /usr/sbin/sshd ]; then
	printf '%-8s %s\n' remote "skipped: needs root and sshd (make check-remote installs it)"
	exit 0
fi
. ../remote/lib.sh
hosts_start h1 > /dev/null
id=$(agent-spawn -H h1 -- true) || exit 0
agent-state -w -t 30 "$id" > /dev/null
med() { # NAME CMD...: the median of 20 runs
	n=$1; shift
	set -- $("$M" -m -n 20 -t "$BUDGET" "$@")
	printf '%-8s %-40s %10s  median of %s runs\n' remote "$n" "$1" "$4"
}
med "ssh h1 true" $AGENT_SSH h1 true
med "agent-state h1:ID" "$BIN/agent-state" "$id"
# the same over one master connection, started first
cm="-o ControlMaster=auto -o ControlPath=$T/ssh/cm-%n -o ControlPersist=60"
$AGENT_SSH $cm -fN h1
AGENT_SSH="$AGENT_SSH $cm"
med "ssh h1 true (ControlMaster)" $AGENT_SSH h1 true
med "agent-state h1:ID (ControlMaster)" "$BIN/agent-state" "$id"
$AGENT_SSH -O exit h1 2>/dev/null
med "agent-state ID (on the host itself)" env AGENT_RUNS="$(host_runs h1)" "$BIN/agent-state" "${id#h1:}"
