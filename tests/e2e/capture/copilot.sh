#!/bin/sh
# copilot.sh — captures the GitHub Copilot CLI fixtures (tests/fixtures/
# copilot/) from the real CLI in its offline BYOK mode, against
# fake_model.py: each case is one `copilot -p` (stdout and stderr into one
# log, as a run's log is), its exit status as $? reports it written beside
# it as NAME.exit.
# usage: copilot.sh E2EDIR OUTDIR [CASE...]
#   E2EDIR holds the node_modules install.sh made; CASEs default to all
#   (capture/lib.sh: what every capture script shares).
# The launched `copilot` is a node loader that starts the native binary as
# its child; a signal to the loader alone does not reach that child, a
# signal to the process group does (what Ctrl-C and agent-kill do).  What
# each cut-off case does is in its name; a case ends when no process of it
# is left (KILL to all COPILOT_CAP_MAX seconds after the loader ended).
# The toolfail, quota and midstall scenarios are the ones fake_model.py
# has for the pi, Kilo and Cline captures.
AGENT=copilot CAP_EXITS=1
. "$(dirname "$0")/lib.sh"
MAX=${COPILOT_CAP_MAX:-200}

# The first start in a HOME unpacks the native package into ~/.cache:
# every case shares one, as a user's runs do.
CACHE=$W/cache

# setup NAME SCENARIO [CASE]: a fresh HOME, Copilot's offline provider at
# /s/SCENARIO of the fake (the name in hex: Copilot prints the URL in its
# errors), a project; with CASE, that case's HOME and project (a session
# is resumed where it was made).
setup() {
	cap_env "${3:-$1}"
	mkdir -p "$D/home/.cache" "$CACHE"
	ln -sfn "$CACHE" "$D/home/.cache/copilot"
	export COPILOT_OFFLINE=true COPILOT_PROVIDER_API_KEY=dummy COPILOT_MODEL=fake-model \
		COPILOT_AUTO_UPDATE=false \
		COPILOT_PROVIDER_BASE_URL=http://127.0.0.1:$PORT/s/x$(printf %s "$2" | od -An -tx1 | tr -d ' \n')/v1
}

# capture NAME SCENARIO MODE HOW [ARG...]: one case (cap_exit's HOW) in
# the case set up last, in MODE (json or text); SID the session its log
# names.
capture() {
	name=$1 scen=$2 mode=$3 how=$4
	shift 4
	case $mode in
	text) ;;
	*) set -- --output-format "$mode" "$@" ;;
	esac
	cap_exit "$name" "$scen" "$how" copilot -p "$(cap_prompt "$name" "$scen")" \
		--allow-all-tools "$@"
	SID=$(grep -o '"sessionId":"[0-9a-f-]\{36\}"' "$OUT/$name.log" | head -n 1 | cut -d'"' -f4)
	[ -n "$SID" ] || SID=$(grep -o 'copilot --resume=[0-9a-f-]\{36\}' "$OUT/$name.log" | head -n 1 | cut -d= -f2)
}

all="json-happy json-toolfail json-cutoff-term-group json-resume json-cutoff-int-group
json-cutoff-kill-all json-cutoff-term-pid json-err401 json-limit429 json-quota json-err500
json-stall json-midstall
text-happy text-toolfail text-resume text-resume-unknown text-cutoff-int-group text-cutoff-term-pid
text-err401 text-limit429 text-err500"
[ -n "$CASES" ] && all=$CASES
for c in $all; do
	DELAY=15 CASE_MAX=$MAX
	mode=${c%%-*}
	what=${c#"$mode"-}
	case $what in
	happy) setup "$c" happy; capture "$c" happy "$mode" wait ;;
	toolfail) setup "$c" toolfail; capture "$c" toolfail "$mode" wait ;;
	resume)
		# the session the group TERM cut off, continued; text names no
		# session when cut off, so the failing command's session there
		prev=$mode-cutoff-term-group pscen=sleep phow=term-group
		[ "$mode" = text ] && prev=text-toolfail pscen=toolfail phow=wait
		[ -d "$W/$prev" ] || { setup "$prev" $pscen; capture "$prev" $pscen "$mode" $phow; }
		setup "$c" resume "$prev"
		capture "$c" resume "$mode" wait --resume "${SID:-00000000-0000-4000-8000-000000000000}" ;;
	resume-unknown)
		# a session id that names no session
		setup "$c" resume
		capture "$c" resume "$mode" wait --resume 00000000-0000-4000-8000-000000000000 ;;
	cutoff-*) setup "$c" sleep; capture "$c" sleep "$mode" "${what#cutoff-}" ;;
	err401) setup "$c" err401; capture "$c" err401 "$mode" wait ;;
	err500) setup "$c" err500; capture "$c" err500 "$mode" wait ;;
	limit429) setup "$c" limit429-1; capture "$c" limit429-1 "$mode" wait ;;
	quota) setup "$c" quota; capture "$c" quota "$mode" wait ;;
	stall) DELAY=20 CASE_MAX=20; setup "$c" stall; capture "$c" stall "$mode" term-group ;;
	midstall) DELAY=20 CASE_MAX=20; setup "$c" midstall; capture "$c" midstall "$mode" term-group ;;
	*) echo "copilot.sh: unknown case $c" >&2 ;;
	esac
done
cap_done
