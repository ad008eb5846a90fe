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

cap_modes "pi --mode json -p" "pi -p"
# resume: the happy run's session, in its HOME and project
if cap_wanted json-resume; then
	cap_env json-happy
	sid=$(agent_session)
	CAP_DIR=json-happy cap json-resume completed happy end - \
		pi --mode json --session "$sid" -p "$CAP_CONT"
fi
CAP_DIR=json-happy cap json-resume-badid failed happy end - \
	pi --mode json --session 01234567-89ab-7def-8123-456789abcdef -p "$CAP_CONT"
cap_done
