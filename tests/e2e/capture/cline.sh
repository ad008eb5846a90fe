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

cap_modes "cline --json" cline
CAP_DIR=json-happy cap json-resume-rejected failed happy end - \
	cline --id 1796038580437_301ac --json "$CAP_CONT"
CAP_DIR=json-happy cap text-resume-rejected failed happy end - \
	cline --id 1796038580437_301ac "$CAP_CONT"
cap_done
