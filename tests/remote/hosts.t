#!/bin/sh
# hosts.t — the harness every remote suite stands on: two sshd "hosts" on
# loopback addresses, each its own runs directory and the built tools, as
# an unprivileged user; a host taken down stops answering and comes back;
# every daemon is gone once the suite stops them.
. ./lib.sh
plan 8
hosts_start h1 h2

is "$(hssh h1 'echo $AGENT_RUNS')" "$(host_runs h1)" "h1 has its own runs directory"
is "$(hssh h2 'echo $AGENT_RUNS')" "$(host_runs h2)" "h2 has another"
is "$(hssh h1 'command -v agent-state')" "$BIN/agent-state" "the built tools are on a host's PATH"
is "$(hssh h2 id -un)" "$RUSER" "the tools are reached as the unprivileged test user"
case $(cat "$H/h1/address") in 127.*) r=0 ;; *) r=1 ;; esac
ok $r "hosts listen on loopback addresses only"

host_down h2
hssh h2 true 2>/dev/null
is "$?" 255 "a host taken down no longer answers (ssh exits 255)"
host_up h2
ok $? "and answers again once started"

pids="$(cat "$H/h1/pid") $(cat "$H/h2/pid")"
hosts_stop
left=0
for p in $pids; do kill -0 "$p" 2>/dev/null && left=1; done
is "$left" 0 "stopping the hosts stops every sshd"
