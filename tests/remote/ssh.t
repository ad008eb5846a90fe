#!/bin/sh
# ssh.t — runs on other hosts as HOST:ID: agent-spawn -H starts one there,
# every tool reaches it through ssh (state -w and tail -f waiting on the
# host's side), agent-ls -H lists the hosts at once; hostile words arrive
# as themselves; a host down, a connection cut mid-wait, a host with no
# or another agentutils.
. ./lib.sh
plan 64
R=$(cd ../../contrib/replay && pwd)
SID=7df02eb4-513b-4551-9950-a612932a2017
hosts_start h1 h2
for h in h1 h2; do
	mkdir -p "$H/$h/work"
	chown "$RUSER" "$H/$h/work"
	cat > "$H/$h/config/agentutils/agents.conf" <<-'EOF'
	[preset replay]
	spawn = agent-replay -i 0 [-p {prompt}] {model}
	resume = agent-replay -i 0 [-p {prompt}] -R {session} {model}
	EOF
done
W1=$H/h1/work W2=$H/h2/work
meta() { jq -r ".$3 // empty" "$(host_runs "$1")/$2/meta.json"; }
# the host's own agent-state waiting for the run: its pid once it watches
far_waiter() { # HOST ID TOOL
	p=$(pgrep -u "$RUSER" -f "$3 -R 1.* $2\$" | head -n 1)
	[ -n "$p" ] && watching "$p"
}
gate() { [ -e "$1/go" ]; }

# -- spawn on a host, then every tool on HOST:ID
run agent-spawn -H h1 -d "$W1" -l remote -- sh -c 'echo hello; while [ ! -e go ]; do sleep 0.1; done; echo bye'
is "$rc" 0 "agent-spawn -H starts a run on the host"
case $out in h1:2[0-9]*-*-*) r=0 ;; *) r=1 ;; esac
ok $r "and prints HOST:ID"
a=${out#h1:}
test -d "$(host_runs h1)/$a" && ! test -e "$(host_runs h2)/$a"
ok $? "the run is in h1's runs directory, not h2's"
is "$(meta h1 "$a" workdir)" "$W1" "-d is a path on the host"
is "$(stat -c %U "/proc/$(meta h1 "$a" supervisor)" 2>/dev/null)" "$RUSER" \
	"the run belongs to the host's ssh user"
run agent-state "h1:$a"
is "$rc.$out" "5.running" "agent-state HOST:ID says running (exit 5)"
run agent-state -j "h1:$a"
is "$(printf '%s\n' "$out" | jq -r '[.host, .run, .state] | join(" ")')" "h1 $a running" \
	"agent-state -j HOST:ID gives the host first, then the host's record"
wait_for 10 sh -c "agent-tail -q 'h1:$a' | grep -qx hello"
ok $? "agent-tail HOST:ID shows the run's output"

agent-tail -f -q "h1:$a" > "$T/follow" 2>"$T/follow.err" &
tp=$!
agent-state -w "h1:$a" > "$T/wait" &
wp=$!
wait_for 20 far_waiter h1 "$a" agent-state
ok $? "agent-state -w HOST:ID waits on the host, watching with its inotify"
wait_for 20 far_waiter h1 "$a" agent-tail
ok $? "agent-tail -f HOST:ID follows on the host, watching with its inotify"
touch "$W1/go"
wait_pid 30 $wp
is "$?.$(cat "$T/wait")" "0.completed" "agent-state -w HOST:ID returns the final state and its status"
wait_pid 30 $tp
is "$?" 0 "agent-tail -f HOST:ID ends with the run, with agent-state's status"
is "$(cat "$T/follow" | tr '\n' ' ')" "hello bye " "and showed every line once"
wait_for 10 sh -c "! pgrep -u $RUSER -f 'agent-(state|tail) -R'"
ok $? "no waiter is left on the host"

# -- agent-ls over hosts at once
b=$(agent-spawn -H h2 -d "$W2" -l remote -- sleep 300)
b=${b#h2:}
run agent-ls -H h1,h2
is "$rc" 0 "agent-ls -H h1,h2 lists both hosts"
is "$(printf '%s\n' "$out" | cut -f 1,2 | tr '\t\n' ': ')" "h1:$a h2:$b " "a host column first, hosts in order"
local=$(AGENT_RUNS=$(host_runs h1) agent-ls | awk -F '\t' '{ print NF + 1 }')
is "$(printf '%s\n' "$out" | awk -F '\t' '{ print NF }' | sort -u)" "$local" "the host's own row follows it"
run agent-ls -j -H h1,h2
is "$(printf '%s\n' "$out" | jq -r '"\(.host):\(.id):\(.state)"' | tr '\n' ' ')" \
	"h1:$a:completed h2:$b:starting " "-j: \"host\" in every object"
mkdir -p "$XDG_CONFIG_HOME/agentutils"
printf '# hosts as GNU parallel reads them\n2/h2\n\nh1\n' > "$XDG_CONFIG_HOME/agentutils/hosts"
run agent-ls -H ..
is "$(printf '%s\n' "$out" | cut -f 1 | tr '\n' ' ')" "h2 h1 " "-H .. reads the hosts file, slots and comments aside"
printf 'h1\nssh -p 2222 h2\n' > "$XDG_CONFIG_HOME/agentutils/hosts"
run agent-ls -H ..
is "$rc.$err" "65.agent-ls: $XDG_CONFIG_HOME/agentutils/hosts:2: not a host ssh can be given ([SLOTS/][USER@]HOST; options go in ~/.ssh/config)" \
	"a hosts file line that is no host: file:line, exit 65"
run agent-ls -H 'h1,-oProxyCommand=touch /tmp/x'
is "$rc" 64 "a host that ssh would read as an option is refused (64)"

# -- agent-ls -s over hosts: each host's groups, added up here
FIX=$(cd ../fixtures && pwd)
for h in h1 h2; do
	cp "$FIX/claude/stream-json-happy.log" "$H/$h/work/happy.log"
	chmod 644 "$H/$h/work/happy.log"
done
s1=$(agent-spawn -H h1 -d "$W1" -l sums -- cat happy.log)
s2=$(agent-spawn -H h2 -d "$W2" -l sums -- cat happy.log)
agent-state -w "$s1" >/dev/null; agent-state -w "$s2" >/dev/null
run agent-ls -s -j -l sums -H h1,h2
want=$({ AGENT_RUNS=$(host_runs h1) agent-ls -s -j -l sums; AGENT_RUNS=$(host_runs h2) agent-ls -s -j -l sums; } |
	jq -s -c '{runs: (map(.runs) | add), tokens_in: (map(.tokens_in) | add), tokens_out: (map(.tokens_out) | add)}')
is "$rc:$(printf '%s\n' "$out" | jq -c '{runs, tokens_in, tokens_out}')" "0:$want" \
	"agent-ls -s -H adds up every host's runs and tokens"
case $want in *'"runs":2,"tokens_in":'[1-9]*) r=0 ;; *) r=1 ;; esac
ok $r "(two runs, with tokens)"
run agent-ls --sum=label -a -H h1,h2
is "$(printf '%s\n' "$out" | awk -F '\t' '$1 == "sums" { print $2 }')" 2 \
	"--sum=label over hosts: one row a label, the hosts' runs in it"

# -- agent-kill across hosts
agent-state -w "h2:$b" > "$T/wait" &
wp=$!
wait_for 20 far_waiter h2 "$b" agent-state
run agent-kill -t 2 "h2:$b"
is "$rc" 0 "agent-kill HOST:ID stops the run on the host"
wait_pid 30 $wp
is "$?.$(cat "$T/wait")" "2.cut-off" "a waiter on another connection sees it cut off"
run agent-kill "h2:$b"
is "$rc" 0 "agent-kill of an ended remote run: nothing to do, exit 0"
case $err in "agent-kill: h2: $b: already ended"*) r=0 ;; *) r=1 ;; esac
ok $r "and the host's words come back as prog: host: what"
run agent-state h2:20990101-000000-none
is "$rc" 66 "a run the host does not have: its status (66)"
case $err in "agent-state: h2: "*) r=0 ;; *) r=1 ;; esac
ok $r "its message names the host"

# -- resume across hosts
c=$(agent-spawn -H h2 -a replay -m "$R/claude-cutoff.log" -d "$W2" -p 'Create output.txt')
run agent-state -w -t 30 "$c"
is "$rc.$out" "2.cut-off" "a replayed run on h2 ends cut off"
is "$(agent-session-id "$c")" "$SID" "agent-session-id HOST:ID reads the session on the host"
run agent-resume "$c"
is "$rc" 0 "agent-resume HOST:ID resumes it on the host"
case $out in h2:2[0-9]*) r=0 ;; *) r=1 ;; esac
ok $r "and prints the new run as HOST:ID"
new=$out
agent-state -w -t 30 "$new" >/dev/null
is "$?" 0 "the resumed run completes"
is "$(meta h2 "${new#h2:}" parent)" "${c#h2:}" "its parent is the old run, on the same host"
cmp -s "$(host_runs h2)/${new#h2:}/log" "$R/claude-cutoff.resume.log"
ok $? "the new run's log is the continuation"
run agent-resume -n "$c"
case $out in "cd $W2 && "*agent-replay*"-R $SID"*) r=0 ;; *) r=1 ;; esac
ok $r "agent-resume -n HOST:ID prints the host's command as it is"

# -- hostile words: never read by the host's shell as anything but themselves
canary=$T/pwned
evil="\$(touch $canary)\`touch $canary\`; touch $canary #'\"
 *~\\"
run agent-spawn -H h1 -d "$W1" -l "$evil" -e "EVIL=$evil" -p "$evil" -- \
	sh -c 'printf "[%s]" "$@" "$EVIL"; echo; cat' sh "$evil" '' "-n" '$HOME'
is "$rc" 0 "a run with hostile words in every option and argument starts"
e=${out#h1:}
agent-state -w -t 30 "$out" >/dev/null
is "$(cat "$(host_runs h1)/$e/log")" "$(printf '[%s][][-n][$HOME][%s]\n%s' "$evil" "$evil" "$evil")" \
	"every argument, -e value and the prompt (on the agent's stdin) arrive as given"
is "$(meta h1 "$e" label)" "$evil" "the label too"
test ! -e "$canary"
ok $? "no shell on the host ran any of it"
run agent-state -w "h1:\$(touch $canary)"
test ! -e "$canary"
ok $? "nor of a run id"

# -- a host down
host_down h2
run agent-ls -H h1,h2
is "$rc" 69 "agent-ls -H with a host down exits 69"
is "$(printf '%s\n' "$out" | cut -f 1 | sort -u)" h1 "the hosts that answer are still listed"
is "$(printf '%s\n' "$err" | wc -l)" 1 "the host down is one warning line"
case $err in "agent-ls: h2: cannot reach the host: "*) r=0 ;; *) r=1 ;; esac
ok $r "which names the host and why"
run agent-ls -s -j -a -H h1,h2
is "$rc:$(printf '%s\n' "$out" | jq -r .runs)" "69:$(AGENT_RUNS=$(host_runs h1) agent-ls -s -j -a | jq -r .runs)" \
	"agent-ls -s -H with a host down sums the others and exits 69"
run agent-state "h2:$c"
is "$rc" 69 "agent-state on a host down exits 69"
run agent-spawn -H h2 -- true
is "$rc" 69 "so does agent-spawn -H"

# -- a connection cut while waiting: retried, the run unaffected
rm -f "$W1/go"
d=$(agent-spawn -H h1 -d "$W1" -- sh -c 'echo one; while [ ! -e go ]; do sleep 0.1; done; echo two')
AGENT_SSH_RETRIES=3 agent-state -w "$d" > "$T/wait" 2> "$T/wait.err" &
wp=$!
AGENT_SSH_RETRIES=3 agent-tail -f -q "$d" > "$T/follow" 2> "$T/follow.err" &
tp=$!
wait_for 20 far_waiter h1 "${d#h1:}" agent-state && wait_for 20 far_waiter h1 "${d#h1:}" agent-tail &&
	wait_for 20 grep -qx one "$T/follow"
ok $? "a waiter and a follower on h1 are watching"
old=$(pgrep -u "$RUSER" -f "agent-(state|tail) -R 1.* ${d#h1:}\$" | sort | tr '\n' ' ')
host_cut h1
wait_for 30 grep -q 'connection was lost; trying again' "$T/wait.err"
ok $? "the cut connection is said, and tried again"
wait_for 30 far_waiter h1 "${d#h1:}" agent-state && wait_for 30 far_waiter h1 "${d#h1:}" agent-tail
ok $? "both wait on the host again"
left=0
for p in $old; do kill -0 "$p" 2>/dev/null && left=1; done
is "$left" 0 "the host's waiters of the cut connection ended with it"
touch "$W1/go"
wait_pid 30 $wp
is "$?.$(cat "$T/wait")" "0.completed" "the reconnected waiter returns the run's final state"
wait_pid 30 $tp
is "$?.$(cat "$T/follow" | tr '\n' ' ')" "0.one two " "the follower goes on where it was: no line twice, none lost"

rm -f "$W1/go"
f=$(agent-spawn -H h1 -d "$W1" -- sh -c 'while [ ! -e go ]; do sleep 0.1; done')
AGENT_SSH_RETRIES=2 agent-state -w "$f" > "$T/wait" 2> "$T/wait.err" &
wp=$!
wait_for 20 far_waiter h1 "${f#h1:}" agent-state
host_down h1
wait_pid 60 $wp
is "$?" 69 "when the host stays away, the waiter gives up after its retries: 69"
case $(tail -n 1 "$T/wait.err") in "agent-state: h1: the connection was lost and not regained; the run itself goes on") r=0 ;; *) r=1 ;; esac
ok $r "and says the run itself goes on"
host_up h1
is "$(agent-state "$f")" starting "it does: the run is still there, silent as it was"
touch "$W1/go"
agent-state -w -t 30 "$f" >/dev/null
is "$?" 0 "and completes"

# -- a host without agentutils, and one with an older one
mkdir -p "$T/old"
cat > "$T/old/agent-state" <<'EOF'
#!/bin/sh
# as a tool from before remote runs answers -R
echo "agent-state: invalid option -- 'R'" >&2
echo "usage: agent-state [-jsvw] [-D dialect] [-x status] [-S seconds] [-t seconds]" >&2
exit 64
EOF
chmod 755 "$T/old" "$T/old/agent-state"
sed -i "s|PATH=$BIN:|PATH=$T/old:|" "$H/h2/sshd_config"
host_up h2
run agent-ls -H h2
is "$rc" 78 "a host without agentutils: exit 78"
case $err in "agent-ls: h2: agentutils is not installed there (agent-ls: "*) r=0 ;; *) r=1 ;; esac
ok $r "saying it is not installed there"
run agent-state "h2:$c"
is "$rc" 78 "a host whose agentutils does not speak this one's protocol: 78"
case $err in "agent-state: h2: agentutils there is older or newer than this one"*) r=0 ;; *) r=1 ;; esac
ok $r "saying so, with what the host answered"
