#!/bin/sh
# parallel.t — the GNU parallel recipe (contrib/parallel-job): prompts
# fanned over a hosts file with job slots per host, one run per prompt,
# each waited for to its final state; the joblog's Exitval is the state's
# status and each job prints HOST:ID and the state; ssh multiplexed by a
# ControlMaster started beforehand, never parallel's -M.
. ./lib.sh
plan 11
JOB=$(cd ../../contrib && pwd)/parallel-job
hosts_start h1 h2
# every call over one master connection a host, started before the jobs
{ echo "Host *"; echo "  ControlPath $T/ssh/cm-%n"; echo "  ControlMaster auto"; } >> "$T/ssh/config"
hssh -fN -o ControlMaster=yes h1 && hssh -fN -o ControlMaster=yes h2
ok $? "a ControlMaster is up for each host"
mkdir -p "$XDG_CONFIG_HOME/agentutils" "$T/prompts"
printf '# slots per host, as --sshloginfile\n2/h1\n1/h2\n' > "$XDG_CONFIG_HOME/agentutils/hosts"
is "$("$JOB" -n)" 3 "parallel-job -n: the slots of the hosts file"
for i in 1 2 3 4 5; do echo "prompt $i" > "$T/prompts/p$i.md"; done
echo fail > "$T/prompts/p6.md"

# each run: the prompt on stdin, a second of work, failed for "fail"
# (a script: parallel hands its command line to a shell)
printf '%s\n' 'p=$(cat); sleep 1; [ "$p" != fail ]' > "$T/agent.sh"
chmod 755 "$T/agent.sh"
parallel --will-cite -j "$("$JOB" -n)" --joblog "$T/jobs.log" --tag \
	"$JOB" {%} {} -- sh "$T/agent.sh" \
	::: "$T"/prompts/p*.md > "$T/out" 2> "$T/err"
is "$?" 1 "parallel's status counts the one failed run"
is "$(wc -l < "$T/out")" 6 "one line a prompt"
is "$(awk -F '\t' '$3 != "" { print $3 }' "$T/out" | sort | uniq -c | awk '{ print $1, $2 }' | tr '\n' ' ')" \
	"5 completed 1 failed " "each prompt's run reached its final state"
is "$(awk -F '\t' 'NR > 1 { print $7 }' "$T/jobs.log" | sort | uniq -c | awk '{ print $1, $2 }' | tr '\n' ' ')" \
	"5 0 1 1 " "the joblog's Exitval is each run's state status (0 completed, 1 failed)"
ids=$(cut -f 2 "$T/out")
bad=0
for id in $ids; do
	h=${id%%:*} r=${id#*:}
	p=$(grep -F "	$id	" "$T/out" | cut -f 1)
	cmp -s "$(host_runs "$h")/$r/log" /dev/null || bad=1   # the agent prints nothing
	[ "$(jq -r .id "$(host_runs "$h")/$r/meta.json")" = "$r" ] || bad=1
	cmp -s "$(host_runs "$h")/$r/prompt" "$p" || bad=1
done
is "$bad" 0 "each HOST:ID is a run on that host, with its prompt"
is "$(cut -f 2 "$T/out" | cut -d: -f 1 | sort -u | tr '\n' ' ')" "h1 h2 " "both hosts ran prompts"

# at no moment more runs on a host than its slots: the runs' own times
most() { # HOST: the most runs alive at once there
	for r in $(ls "$(host_runs "$1")"); do
		d=$(host_runs "$1")/$r
		echo "$(jq .started "$d/meta.json") 1"
		echo "$(jq .ended "$d/exit.json") -1"
	done | sort -n -k1,1 -k2,2n | awk '{ n += $2; if (n > m) m = n } END { print m + 0 }'
}
[ "$(most h1)" -le 2 ]
ok $? "h1 never ran more than its 2 slots at once"
[ "$(most h2)" -le 1 ]
ok $? "h2 never more than its 1"
pgrep -u "$RUSER" -f 'agent-state -R' >/dev/null
ok $((! $?)) "no waiter is left on the hosts"
