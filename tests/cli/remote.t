#!/bin/sh
# remote.t — HOST:ID without a network: AGENT_SSH is a stand-in for ssh
# that runs the command string with sh on this machine, in a runs
# directory per "host", so that the caller's side (the relay, the hello,
# statuses, host columns) and the host's side (-R) run under make check
# and its sanitizers.  The real thing, sshd on loopback addresses, is
# make check-remote (tests/remote).
. ./lib.sh
plan 31
mkdir -p "$T/hosts/h1" "$T/hosts/h2" "$T/bin"
# the stand-in: skips ssh's options, takes the host, runs the one command
# string as a host's shell would; "down" answers as ssh does when it
# cannot connect, "old" has an agentutils from before remote runs
cat > "$T/bin/fakessh" <<'EOF'
#!/bin/sh
while [ "$1" != -- ]; do shift; done
host=$2 cmd=$3
printf '%s\n' "$cmd" >> "$T/ssh.log"
case $host in
down) echo "ssh: connect to host down port 22: Connection refused" >&2; exit 255 ;;
old) PATH=$T/old:/usr/bin:/bin ;;
esac
AGENT_RUNS=$T/hosts/$host exec sh -c "$cmd"
EOF
mkdir -p "$T/old"
printf '#!/bin/sh\necho "agent-state: invalid option -- '"'R'"'" >&2\nexit 64\n' > "$T/old/agent-state"
chmod +x "$T/bin/fakessh" "$T/old/agent-state"
export T AGENT_SSH="sh $T/bin/fakessh -o BatchMode=yes"

run agent-spawn -H h1 -l one -- sh -c 'echo hi; echo there'
is "$rc" 0 "agent-spawn -H: exit 0"
case $out in h1:2[0-9]*-*-*) r=0 ;; *) r=1 ;; esac
ok $r "prints HOST:ID"
a=${out#h1:}
test -f "$T/hosts/h1/$a/meta.json"
ok $? "the run is in the host's runs directory"
run agent-state -w -t 30 "h1:$a"
is "$rc.$out" "0.completed" "agent-state -w HOST:ID: the state and its status"
run agent-state -j "h1:$a"
is "$(printf '%s\n' "$out" | jq -r 'keys_unsorted[0] + " " + .host + " " + .run')" "host h1 $a" \
	"agent-state -j: \"host\" first"
run agent-tail -q "h1:$a"
is "$out" "hi
there" "agent-tail HOST:ID"
run agent-tail -f -q -s "h1:$a"
is "$rc" 0 "agent-tail -f HOST:ID of an ended run: its status"
case $out in *"$(printf '\001')"*) r=1 ;; *) r=0 ;; esac
ok $r "no protocol line reaches the output"
run agent-session-id "h1:$a"
is "$rc" 1 "agent-session-id HOST:ID: the host's answer (no id: 1)"
b=$(agent-spawn -H h2 -- true)
agent-state -w -t 30 "$b" > /dev/null
run agent-ls -H h1,h2
is "$(printf '%s\n' "$out" | cut -f 1,2 | tr '\t\n' ': ')" "h1:$a h2:${b#h2:} " "agent-ls -H: a host column first, hosts in order"
run agent-ls -j -H h1,h2
is "$(printf '%s\n' "$out" | jq -r .host | tr '\n' ' ')" "h1 h2 " "agent-ls -j -H: a host key"

# hostile words: the one command string reads back as the words given
evil="\$(touch $T/pwned)\`touch $T/pwned\`;'\"
*\\ \$HOME"
run agent-spawn -H h1 -l "$evil" -- printf '[%s]' "$evil" '' -n
c=${out#h1:}
agent-state -w -t 30 "$out" > /dev/null
is "$(cat "$T/hosts/h1/$c/log")" "[$evil][][-n]" "hostile words arrive as themselves"
test ! -e "$T/pwned"
ok $? "and none is run by the host's shell"
run agent-spawn -H h1 -p "$evil" -- cat
d=${out#h1:}
agent-state -w -t 30 "$out" > /dev/null
is "$(cat "$T/hosts/h1/$d/log")" "$evil" "a prompt travels on standard input"
line=$(grep -F -- "-P -" "$T/ssh.log")
case $line in '' | *pwned*) r=1 ;; *) r=0 ;; esac
ok $r "never in the command string"

# an existing file is local, whatever its name
cp "$T/hosts/h1/$a/log" "$T/h1:$a"
(cd "$T" && agent-tail -q "h1:$a") > "$T/local.out"
is "$(cat "$T/local.out")" "hi
there" "an operand that exists here is local"

# hosts that do not answer, or have no or another agentutils
run agent-ls -H h1,down
is "$rc" 69 "agent-ls -H with a host down: 69"
is "$(printf '%s\n' "$out" | cut -f 1 | sort -u)" h1 "the others are listed"
is "$err" "agent-ls: down: cannot reach the host: ssh: connect to host down port 22: Connection refused" \
	"the host down is one line, with ssh's reason"
run agent-state "down:$a"
is "$rc" 69 "agent-state on a host down: 69"
run agent-state "old:$a"
is "$rc" 78 "a host whose agentutils does not take -R: 78"
case $err in "agent-state: old: agentutils there is older or newer than this one (agent-state there does not take -R 1: agent-state: invalid option -- 'R')"*) r=0 ;; *) r=1 ;; esac
ok $r "saying so"
run agent-ls -H old
is "$rc" 78 "a host without the tool: 78"
case $err in "agent-ls: old: agentutils is not installed there"*) r=0 ;; *) r=1 ;; esac
ok $r "saying it is not installed"
AGENT_SSH=$T/no-such-ssh run agent-state "h1:$a"
is "$rc.$err" "71.agent-state: $T/no-such-ssh: No such file or directory" \
	"no ssh here is not agentutils missing there"
run agent-spawn -H -oProxyCommand=x -- true
is "$rc" 64 "-H refuses what ssh would read as an option"

# the host's side: -R
run agent-state -R 1 "$T/hosts/h1/$a"
is "$out" "$(printf '\001agentutils 1')
completed" "-R: the hello line first, then the answer"
run agent-state -R 2 "$T/hosts/h1/$a"
is "$rc.$out" "78." "-R with another protocol: 78, no hello"
run agent-state -R x "$T/hosts/h1/$a"
is "$rc" 64 "-R with no protocol: 64"
e=$(agent-spawn -- sleep 60)
agent-state -R 1 -w "$e" < /dev/null > /dev/null
is "$?" 69 "-R -w: a waiter whose caller is gone (stdin at its end) ends: 69"
agent-kill -t 1 "$e" 2>/dev/null
size=$(wc -c < "$T/hosts/h1/$a/log")
# standard input kept open, as a caller's connection keeps it
mkfifo "$T/conn"
run agent-tail -R "1:3" -f "$T/hosts/h1/$a" <>"$T/conn"
is "$out" "$(printf '\001agentutils 1')
$(printf '\001@')3
there
$(printf '\001@')$size" "-R 1:OFFSET -f: on from the offset, each batch marked"
