#!/bin/sh
# slurm.t — contrib/agent.sbatch on a one-node Slurm cluster this test
# starts on 127.0.0.1 (munged, slurmctld, slurmd, its own ports, socket and
# state) and stops again, also when it fails: jobs that complete, fail and
# hit a limit show it in Slurm's accounting; scancel leaves a cut-off run
# with its exit record, which agent-resume continues from the "login node"
# and as a job of its own.  Runs as root (slurmd does); skipped otherwise.
. ../cli/lib.sh
TOP=$(cd ../.. && pwd)
SBATCH_SCRIPT=$TOP/contrib/agent.sbatch
N=27
plan $N

skip_all() {
	_i=$_n
	while [ $_i -lt $N ]; do _i=$((_i + 1)); echo "ok $_i # SKIP $1"; done
	exit 0
}
[ "$(id -u)" = 0 ] || skip_all "needs root: slurmd runs jobs as their users"
for c in munged munge slurmctld slurmd sbatch squeue scancel sacct setpriv python3; do
	command -v "$c" >/dev/null 2>&1 ||
		skip_all "$c is missing (apt-get install slurm-wlm munge)"
done
id munge >/dev/null 2>&1 || skip_all "no munge user (apt-get install munge)"

S=$T/slurm
mkdir -p "$S/state" "$S/spool" "$S/munge" "$S/jobs"
# munged runs as munge, which must reach its directory; jobs write theirs
chmod 711 "$T" "$S"
chmod 777 "$S/jobs"
chown munge: "$S/munge"
chmod 711 "$S/munge"
export SLURM_CONF=$S/slurm.conf
MSOCK=$S/munge/munge.sock

# free_port: one the kernel hands out on 127.0.0.1 now (bound once, let go)
free_port() {
	python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}
CTLD_PORT=$(free_port) SLURMD_PORT=$(free_port)

cat > "$SLURM_CONF" <<EOF
ClusterName=agentutils
SlurmctldHost=localhost(127.0.0.1)
SlurmctldPort=$CTLD_PORT
SlurmdPort=$SLURMD_PORT
SlurmUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$MSOCK
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
SchedulerParameters=batch_sched_delay=0
ReturnToService=2
JobCompType=jobcomp/filetxt
JobCompLoc=$S/jobcomp.txt
StateSaveLocation=$S/state
SlurmdSpoolDir=$S/spool
SlurmctldPidFile=$S/slurmctld.pid
SlurmdPidFile=$S/slurmd.pid
SlurmctldLogFile=$S/slurmctld.log
SlurmdLogFile=$S/slurmd.log
NodeName=localhost NodeAddr=127.0.0.1 CPUs=$(nproc) RealMemory=500
PartitionName=debug Nodes=ALL Default=YES State=UP MaxTime=INFINITE
EOF

munged_pid= ctld_pid= slurmd_pid=
# Stops what this test started, in the order that leaves nothing behind:
# the jobs (a daemon killed under a running job leaves its processes), then
# the daemons by their pids, KILL for a slurmd that ignores TERM.
stop_cluster() {
	if [ -n "$ctld_pid" ]; then
		_jobs=$(squeue -h -t "$ACTIVE" -o %i 2>/dev/null)
		[ -n "$_jobs" ] && scancel --quiet $_jobs 2>/dev/null
		wait_for 60 no_jobs
	fi
	for p in $slurmd_pid $ctld_pid $munged_pid; do
		kill "$p" 2>/dev/null
		wait_for 10 exited "$p" || kill -KILL "$p" 2>/dev/null
	done
	wait 2>/dev/null
}
trap 'stop_cluster; rm -rf "$T"' EXIT
trap 'exit 130' INT TERM HUP
ACTIVE=pending,running,configuring,completing,suspended
no_jobs() { [ -z "$(squeue -h -t "$ACTIVE" -o %i 2>/dev/null)" ]; }

dd if=/dev/urandom of="$S/munge/munge.key" bs=1024 count=1 2>/dev/null
chown munge: "$S/munge/munge.key"
chmod 400 "$S/munge/munge.key"
setpriv --reuid=munge --regid=munge --init-groups /usr/sbin/munged -F \
	--socket="$MSOCK" --key-file="$S/munge/munge.key" \
	--pid-file="$S/munge/munged.pid" --log-file="$S/munge/munged.log" \
	--seed-file="$S/munge/munged.seed" 2>"$S/munged.err" &
munged_pid=$!
munge_up() { munge --socket="$MSOCK" -n | unmunge --socket="$MSOCK"; }
wait_for 30 munge_up || { cat "$S/munged.err" "$S/munge/munged.log" 2>/dev/null | sed 's/^/# /'
	echo "Bail out! munged did not start"; exit 1; }
slurmctld -D -i 2>"$S/slurmctld.err" &
ctld_pid=$!
slurmd -D -N localhost 2>"$S/slurmd.err" &
slurmd_pid=$!
node_idle() { sinfo -hNo %T | grep -qx idle; }
wait_for 60 node_idle || { tail -n 20 "$S/slurmctld.log" "$S/slurmd.log" 2>/dev/null | sed 's/^/# /'
	echo "Bail out! the Slurm node did not come up idle"; exit 1; }

# agents.conf: the replay agent without pauses, and one that stalls after
# two lines (an agent at work) but whose resumed session plays through
mkdir -p "$XDG_CONFIG_HOME/agentutils" "$T/work"
cat > "$XDG_CONFIG_HOME/agentutils/agents.conf" <<'EOF'
[preset replay]
spawn = agent-replay -i 0 [-p {prompt}] {model}
resume = agent-replay -i 0 [-p {prompt}] -R {session} {model}

[preset busy]
dialect = claude-stream
spawn = agent-replay -i 0 -S -c 2 [-p {prompt}] {model}
resume = agent-replay -i 0 [-p {prompt}] -R {session} {model}
EOF
R=$TOP/contrib/replay

# submit ARGS...: sbatch the recipe (the environment goes with the job:
# PATH, AGENT_RUNS, XDG_CONFIG_HOME); the job id in $job
submit() {
	job=$(cd "$T/work" && sbatch --parsable -o "$S/jobs/%j.out" "$SBATCH_SCRIPT" "$@")
}
# acct JOB: State and ExitCode as Slurm's accounting (jobcomp) keeps them
acct() { sacct -c -n -P -j "$1" -o State,ExitCode 2>/dev/null | head -n 1 | sed 's/ .*|/|/'; }
# job_done JOB: no longer active, and in the accounting
job_done() {
	[ -z "$(squeue -h -j "$1" -t "$ACTIVE" -o %i 2>/dev/null)" ] && [ -n "$(acct "$1")" ]
}
runid() { head -n 1 "$S/jobs/$1.out" 2>/dev/null; }
meta() { jq -r ".$2 // empty" "$AGENT_RUNS/$1/meta.json"; }

# --- a job per outcome --------------------------------------------------------
submit -a replay -m "$FIX/claude/stream-json-happy.log" -p 'say hi'
ok $? "sbatch takes the recipe with agent-spawn's options"
wait_for 60 job_done "$job"
ok $? "the job ends when the run ends"
id=$(runid "$job")
is "$(agent-state "$id")" completed "the job's output starts with the run id, and the run completed"
is "$(acct "$job")" "COMPLETED|0:0" "Slurm's accounting: COMPLETED 0:0"
is "$(meta "$id" label)" "slurm-$job" "the run is labelled with the job"

submit -a replay -m "$FIX/claude/stream-json-err401-noretry.log" -p x
wait_for 60 job_done "$job"
is "$(agent-state "$(runid "$job")")" failed "an agent that fails: the run is failed"
is "$(acct "$job")" "FAILED|1:0" "Slurm's accounting: FAILED 1:0"

submit -a replay -m "$FIX/claude/stream-json-limit429.log" -p x
wait_for 60 job_done "$job"
is "$(agent-state "$(runid "$job")")" limited "an agent that hits a limit: the run is limited"
is "$(acct "$job")" "FAILED|3:0" "Slurm's accounting: FAILED 3:0, limited's status"

# --- scancel -> cut-off -> resume ---------------------------------------------
submit -a busy -m "$R/claude-cutoff.log" -p 'Create output.txt'
at_work() { _id=$(runid "$job") && [ -n "$_id" ] && [ "$(agent-state "$_id")" = running ]; }
wait_for 60 at_work
ok $? "a job whose agent is at work: its run is running"
id=$(runid "$job")
sup=$(meta "$id" supervisor)
# the run is inside the job: the supervisor descends from the job's script
in_job() { _p=$1; while [ "$_p" -gt 1 ]; do
	[ "$(cat "/proc/$_p/comm" 2>/dev/null)" = slurmstepd ] && return 0
	_p=$(awk '{ print $4 }' "/proc/$_p/stat" 2>/dev/null) || return 1
	[ -n "$_p" ] || return 1
done; return 1; }
in_job "$sup"
ok $? "the run's supervisor is in the job's process tree (a child of the job, not detached)"
scancel "$job"
wait_for 60 job_done "$job"
ok $? "scancel ends the job"
wait_for 30 test -s "$AGENT_RUNS/$id/exit.json"
ok $? "the cancelled run has its exit record"
is "$(jq -r '.signal' "$AGENT_RUNS/$id/exit.json")" 15 "the agent was ended by TERM"
agent-state "$id" >/dev/null
is "$?" 2 "the cancelled run is cut-off (agent-state exits 2)"
is "$(acct "$job" | cut -d'|' -f1)" CANCELLED "Slurm's accounting: CANCELLED"
none_left() { ! grep -lzxF "AGENT_RUN_ID=$1" /proc/[0-9]*/environ 2>/dev/null | grep -q .; }
wait_for 30 none_left "$id"
ok $? "no process of the cancelled run is left"

# from the login node (here: the same machine, the runs directory shared)
new=$(agent-resume "$id")
is "$?" 0 "agent-resume continues the cancelled run from the login node"
agent-state -w -t 60 "$new" >/dev/null
is "$?" 0 "the resumed run completes"
is "$(meta "$new" parent)" "$id" "its parent is the cancelled run"
is "$(agent-session-id "$new")" "$(agent-session-id "$id")" "in the same session"

# and as a job of its own
submit -a busy -m "$R/claude-cutoff.log" -p 'Create output.txt'
wait_for 60 at_work
scancel "$job"
wait_for 60 job_done "$job"
id=$(runid "$job")
wait_for 30 test -s "$AGENT_RUNS/$id/exit.json"
submit --resume "$id"
ok $? "sbatch takes the recipe with --resume RUN"
wait_for 60 job_done "$job"
new=$(runid "$job")
is "$(agent-state "$new")" completed "the resumed run, a job of its own, completes"
is "$(meta "$new" parent)" "$id" "and continues the cancelled run"
is "$(acct "$job")" "COMPLETED|0:0" "Slurm's accounting: COMPLETED 0:0"

# a job's exit status is the run's state also for a plain command
submit -- sh -c 'exit 0'
wait_for 60 job_done "$job"
is "$(acct "$job")" "COMPLETED|0:0" "a command after -- runs as a job too"
submit -d /nonexistent -- true
wait_for 60 job_done "$job"
is "$(acct "$job" | cut -d'|' -f2)" "66:0" "agent-spawn's own error is the job's exit status (66: no such directory)"
