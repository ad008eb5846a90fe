#!/bin/sh
# capture/cline.sh — captures tests/fixtures/cline/ from the real Cline CLI
# (cline, pinned in tests/e2e/install.sh) against fake_model.py, each case
# with the command line the cline preset runs, and writes each log's row
# of tests/fixtures/MANIFEST.tsv.  Cline's logs carry no session id (the
# resumable id is in `cline history` only), and --id resumes in its
# terminal interface alone: json-resume-rejected is what it says headless.
# usage: capture/cline.sh E2EDIR [CASE...]
AGENT=cline

agent_setup() { cline_config "http://127.0.0.1:$PORT/s/$1/v1"; }
agent_session() { :; }

. "$(dirname "$0")/lib.sh"

JSON="cline --json"
TEXT="cline"
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
CAP_DIR=json-happy cap json-resume-rejected failed happy end - \
	cline --id 1796038580437_301ac --json "$CONT"
CAP_DIR=json-happy cap text-resume-rejected failed happy end - \
	cline --id 1796038580437_301ac "$CONT"
cap_done
