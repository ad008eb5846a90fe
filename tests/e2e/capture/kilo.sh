#!/bin/sh
# capture/kilo.sh — captures tests/fixtures/kilo/ from the real Kilo CLI
# (@kilocode/cli, pinned in tests/e2e/install.sh) against fake_model.py,
# each case with the command line the kilo preset runs (its environment
# from e2e_env: telemetry off), and writes each log's row of
# tests/fixtures/MANIFEST.tsv.  The transcript names no session: only
# json resumes.
# usage: capture/kilo.sh E2EDIR [CASE...]     (json-resume needs json-happy)
AGENT=kilo

agent_setup() { kilo_json "http://127.0.0.1:$PORT/s/$1/v1" > "$D/proj/kilo.json"; }

# Kilo's own list of the project's sessions; the run's is the oldest.
agent_session() {
	(cd "$D/proj" && kilo session list --format json </dev/null 2>/dev/null) |
		jq -r --arg d "$D/proj" '[.[] | select(.directory == $d)] | last | .id // empty'
}

. "$(dirname "$0")/lib.sh"

JSON="kilo run --format json --auto"
TEXT="kilo run --auto"
P() { echo "E2E-DIR=$W/$1/proj Read input.txt, run echo hi, write output.txt, then say Done."; }
CONT="E2E-CONTINUE: the run was cut off; finish the task, then say Done."

for m in json text; do
	case $m in json) cmd=$JSON ;; text) cmd=$TEXT ;; esac
	cap $m-happy completed happy end - $cmd "$(P $m-happy)"
	cap $m-happy-colour completed happy end - env -u NO_COLOR $cmd "$(P $m-happy-colour)"
	cap $m-toolfail completed toolfail end - $cmd "$(P $m-toolfail)"
	cap $m-cutoff-sigterm cut-off sleep tool TERM $cmd "$(P $m-cutoff-sigterm)"
	cap $m-cutoff-sigint cut-off sleep tool INT $cmd "$(P $m-cutoff-sigint)"
	# KILL to the node launcher orphans the native .kilo, which goes on
	# and finishes the turn: json says so; the transcript, which has no
	# completion line, reads as the KILL's cut-off
	case $m in json) st=completed ;; text) st="cut-off completed" ;; esac
	cap $m-cutoff-sigkill "$st" sleep tool KILL $cmd "$(P $m-cutoff-sigkill)"
	cap $m-err401 failed err401 end - $cmd "$(P $m-err401)"
	cap $m-err500 failed err500 end - $cmd "$(P $m-err500)"
	cap $m-limit429 limited limit429-2 end - $cmd "$(P $m-limit429)"
	cap $m-quota limited quota end - $cmd "$(P $m-quota)"
	cap $m-stall cut-off stall request TERM $cmd "$(P $m-stall)"
	cap $m-midstall cut-off midstall request TERM $cmd "$(P $m-midstall)"
done
if cap_wanted json-resume; then
	cap_env json-happy
	sid=$(agent_session)
	CAP_DIR=json-happy cap json-resume completed happy end - \
		kilo run --format json --auto --session "$sid" "$CONT"
fi
CAP_DIR=json-happy cap json-resume-badid failed happy end - \
	kilo run --format json --auto --session ses_000000000000000000000000zz "$CONT"
cap_done
