#!/bin/sh
# droid.sh — captures the Factory Droid fixtures (tests/fixtures/droid/)
# from the real CLI, offline, against fake_model.py: each case is one
# `droid exec` (stdout and stderr into one log, as a run's log is), its
# exit status as $? reports it written beside it as NAME.exit.
# usage: droid.sh E2EDIR OUTDIR [CASE...]
#   E2EDIR holds the node_modules install.sh made; CASEs default to all
#   (capture/lib.sh: what every capture script shares).
#   The *-shim cases run DROID_SHIM instead: bin/droid of an install made
#   with --ignore-scripts, where it is a node script that runs the binary.
# Droid is hard to cut off: TERM or INT to the binary stops the tool it
# runs (in a session of its own) and the turn goes on to its completion;
# the node shim dies of it and leaves the binary running.  What each case
# does to it is in its name; a case ends when no process of it is left
# (KILL to all DROID_CAP_MAX s, default 200, after the launched pid ended).
AGENT=droid CAP_EXITS=1
. "$(dirname "$0")/lib.sh"
MAX=${DROID_CAP_MAX:-200}

# setup NAME SCENARIO: a fresh HOME whose ~/.factory/settings.json points
# a custom model at /s/SCENARIO of the fake, and a project.
setup() {
	cap_env "$1"
	mkdir -p "$D/home/.factory"
	cat > "$D/home/.factory/settings.json" <<-EOF
	{ "customModels": [ { "model": "fake-model", "displayName": "Fake Model",
	    "baseUrl": "http://127.0.0.1:$PORT/s/$2/v1", "apiKey": "dummy",
	    "provider": "generic-chat-completion-api", "maxOutputTokens": 8000 } ] }
	EOF
}

# capture NAME SCENARIO MODE HOW [ARG...]: one case (cap_exit's HOW) with
# droid exec in MODE (stream-json, json or text); SID the session its log
# names.
capture() {
	name=$1 scen=$2 mode=$3 how=$4
	shift 4
	setup "$name" "$scen"
	case $mode in
	text) ;;
	*) set -- -o "$mode" "$@" ;;
	esac
	cap_exit "$name" "$scen" "$how" "$DROID" exec --auto high -m custom:fake-model "$@" \
		"$(cap_prompt "$name" "$scen")"
	SID=$(sed -n 's/.*"session_id":"\([0-9a-f-]\{36\}\)".*/\1/p' "$OUT/$name.log" | head -n 1)
}

all="stream-json-happy stream-json-toolfail stream-json-resume
stream-json-cutoff-kill-all stream-json-cutoff-term-pid stream-json-cutoff-int-pid
stream-json-cutoff-term-all stream-json-cutoff-term-pid-shim stream-json-cutoff-term-all-shim
stream-json-err401 stream-json-limit429 stream-json-quota stream-json-err500
stream-json-stall stream-json-midstall
json-happy json-toolfail json-err401 json-limit429 json-cutoff-kill-all json-cutoff-term-pid
text-happy text-toolfail text-err401 text-limit429 text-cutoff-kill-all text-cutoff-term-pid"
[ -n "$CASES" ] && all=$CASES
for c in $all; do
	DELAY=15 CASE_MAX=$MAX DROID=droid
	mode=${c%%-*}
	[ "$mode" = stream ] && mode=stream-json
	what=${c#"$mode"-}
	case $what in
	*-shim)
		# the JS shim `npm install --ignore-scripts` leaves in place of
		# the binary: node, and the native droid as its child
		DROID=${DROID_SHIM:?"$c: DROID_SHIM names the shim's bin/droid"}
		what=${what%-shim} ;;
	esac
	case $what in
	happy|toolfail|err401|quota) capture "$c" "$what" "$mode" wait ;;
	resume)
		# Droid resumes with -s; offline (no Factory login) it fails
		capture "$c-first" happy "$mode" wait
		capture "$c" resume "$mode" wait -s "${SID:-00000000-0000-4000-8000-000000000000}" ;;
	cutoff-*) capture "$c" sleep "$mode" "${what#cutoff-}" ;;
	limit429) capture "$c" limit429-1 "$mode" wait ;;
	# Droid retries a 500 silently for minutes, and a model that does
	# not answer is waited for: TERM to all after DELAY s, then KILL
	err500|stall|midstall) DELAY=20 CASE_MAX=20; capture "$c" "$what" "$mode" term-all ;;
	*) echo "droid.sh: unknown case $c" >&2 ;;
	esac
done
cap_done
