#!/bin/sh
# capture/pi.sh — captures tests/fixtures/pi/ from the real pi
# (@mariozechner/pi-coding-agent, pinned in tests/e2e/install.sh) against
# fake_model.py, each case with the command line the pi preset runs, and
# writes each log's row of tests/fixtures/MANIFEST.tsv.
# usage: capture/pi.sh E2EDIR [CASE...]     (json-resume needs json-happy)
AGENT=pi

# pi's own provider for the fake (tests/e2e/lib.sh), its retries as they
# are by default.
agent_setup() { pi_config "http://127.0.0.1:$PORT/s/$1/v1"; }

# ~/.pi/agent/sessions/--<cwd>--/<time>_<uuid>.jsonl; pi writes it once
# the model has answered, so a run stopped before has only the id its
# json header announced
agent_session() {
	for f in "$HOME"/.pi/agent/sessions/*/*.jsonl; do
		[ -f "$f" ] || continue
		basename "$f" .jsonl | sed 's/^.*_//'
		return
	done
	head -n 1 "$_log" | jq -r 'select(.type == "session") | .id // empty' 2>/dev/null
}

. "$(dirname "$0")/lib.sh"

JSON="pi --mode json -p"
TEXT="pi -p"
P() { echo "E2E-DIR=$W/$1/proj Read input.txt, run echo hi, write output.txt, then say Done."; }
CONT="E2E-CONTINUE: the run was cut off; finish the task, then say Done."

for m in json text; do
	case $m in json) cmd=$JSON ;; text) cmd=$TEXT ;; esac
	cap $m-happy completed happy end - $cmd "$(P $m-happy)"
	cap $m-happy-colour completed happy end - env -u NO_COLOR $cmd "$(P $m-happy-colour)"
	cap $m-toolfail completed toolfail end - $cmd "$(P $m-toolfail)"
	cap $m-cutoff-sigterm cut-off sleep tool TERM $cmd "$(P $m-cutoff-sigterm)"
	cap $m-cutoff-sigint cut-off sleep tool INT $cmd "$(P $m-cutoff-sigint)"
	cap $m-cutoff-sigkill cut-off sleep tool KILL $cmd "$(P $m-cutoff-sigkill)"
	cap $m-err401 failed err401 end - $cmd "$(P $m-err401)"
	cap $m-err500 failed err500 end - $cmd "$(P $m-err500)"
	cap $m-limit429 limited limit429-2 end - $cmd "$(P $m-limit429)"
	cap $m-quota limited quota end - $cmd "$(P $m-quota)"
	cap $m-stall cut-off stall request TERM $cmd "$(P $m-stall)"
	cap $m-midstall cut-off midstall request TERM $cmd "$(P $m-midstall)"
done
# resume: the happy run's session, in its HOME and project
if cap_wanted json-resume; then
	cap_env json-happy
	sid=$(agent_session)
	CAP_DIR=json-happy cap json-resume completed happy end - \
		pi --mode json --session "$sid" -p "$CONT"
fi
CAP_DIR=json-happy cap json-resume-badid failed happy end - \
	pi --mode json --session 01234567-89ab-7def-8123-456789abcdef -p "$CONT"
cap_done
