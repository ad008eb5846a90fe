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

# KILL to the node launcher orphans the native .kilo, which goes on and
# finishes the turn: json says so; the transcript, which has no completion
# line, reads as the KILL's cut-off
cap_modes "kilo run --format json --auto" "kilo run --auto" completed "cut-off completed"
if cap_wanted json-resume; then
	cap_env json-happy
	sid=$(agent_session)
	CAP_DIR=json-happy cap json-resume completed happy end - \
		kilo run --format json --auto --session "$sid" "$CAP_CONT"
fi
CAP_DIR=json-happy cap json-resume-badid failed happy end - \
	kilo run --format json --auto --session ses_000000000000000000000000zz "$CAP_CONT"
cap_done
