# lib.sh — what the end-to-end tests (run.sh, phases.sh) share: TAP output,
# waiting on a condition, a run's processes, the fake model, the environment
# every agent CLI runs in, and its configuration for the fake.  Sourced;
# expects $BIN (the built tools), $E2E (what install.sh made), $HERE (this
# directory) and $W (the work directory).

n=0 passed=0 failed=0 skipped=0

# $nogo, when a case sets it, is why the case could not be run as meant (the
# agent CLI's own limit, proven from its log): its failures are skips then.
nogo=
ok() { # ok STATUS NAME
	n=$((n + 1))
	if [ "$1" -eq 0 ]; then echo "ok $n - $2"; passed=$((passed + 1))
	elif [ -n "$nogo" ]; then echo "ok $n # SKIP $2: $nogo"; skipped=$((skipped + 1))
	else echo "not ok $n - $2"; failed=$((failed + 1)); fi
}
is() { # is GOT WANT NAME
	if [ "$1" = "$2" ]; then ok 0 "$3"
	else ok 1 "$3"; printf '#   got:  %s\n#   want: %s\n' "$1" "$2"; fi
}
skip() { # skip COUNT REASON
	_i=0
	while [ $_i -lt "$1" ]; do
		n=$((n + 1)) _i=$((_i + 1)) skipped=$((skipped + 1))
		echo "ok $n # SKIP $2"
	done
}
diag() { sed 's/^/#   /'; }
# wait_for SECONDS CMD...: poll a condition, 0 as soon as it holds
wait_for() {
	_end=$(( $(date +%s) + $1 )); shift
	while :; do
		"$@" >/dev/null 2>&1 && return 0
		[ "$(date +%s)" -ge "$_end" ] && return 1
		sleep 0.2
	done
}

# Every process of a run carries AGENT_RUN_ID=<id> in its environment (the
# supervisor sets it and every descendant inherits it): that finds them all,
# whatever they were re-parented to.
run_pids() {
	grep -lzxF "AGENT_RUN_ID=$1" /proc/[0-9]*/environ 2>/dev/null |
		sed 's,^/proc/,,; s,/environ$,,'
}
run_procs() { # one line a process: pid and command line
	for p in $(run_pids "$1"); do
		printf '%s %s\n' "$p" "$(tr '\0' ' ' < "/proc/$p/cmdline" 2>/dev/null | cut -c1-150)"
	done
}

# start_fake: fake_model.py on 127.0.0.1, its pid in $fake, its port in
# $PORT; the caller's EXIT trap kills $fake.
start_fake() {
	python3 "$HERE/fake_model.py" --port-file "$W/port" --idle 600 --dump "$W/requests" \
		2> "$W/fake_model.log" &
	fake=$!
	wait_for 30 test -s "$W/port" || { echo "Bail out! fake_model.py did not start"; exit 1; }
	PORT=$(cat "$W/port")
}

# e2e_env: the environment every agent runs in: nothing that phones home,
# no real key or base URL from the caller's environment, the pinned CLIs
# first on PATH (each test case gives HOME and XDG_* of its own).
e2e_env() {
	unset OPENAI_API_KEY OPENAI_BASE_URL ANTHROPIC_API_KEY ANTHROPIC_AUTH_TOKEN \
		CLAUDE_CODE_OAUTH_TOKEN GEMINI_API_KEY GOOGLE_API_KEY CODEX_HOME \
		OPENCODE_CONFIG OPENCODE_CONFIG_CONTENT KILO_CONFIG KILO_CONFIG_CONTENT KILO_API_KEY
	export OPENCODE_DISABLE_AUTOUPDATE=1 OPENCODE_DISABLE_MODELS_FETCH=1 \
		OPENCODE_DISABLE_LSP_DOWNLOAD=1 OPENCODE_DISABLE_SHARE=1 \
		OMO_DISABLE_POSTHOG=1 OMO_SEND_ANONYMOUS_TELEMETRY=0 \
		DISABLE_TELEMETRY=1 DISABLE_AUTOUPDATER=1 CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC=1 \
		PI_OFFLINE=1 \
		CLINE_SESSION_BACKEND_MODE=local CLINE_NO_AUTO_UPDATE=1 \
		KILO_TELEMETRY_LEVEL=off KILO_DISABLE_AUTOUPDATE=1 KILO_DISABLE_SHARE=1 \
		KILO_DISABLE_SESSION_INGEST=1 KILO_DISABLE_MODELS_FETCH=1 KILO_DISABLE_LSP_DOWNLOAD=1 \
		DO_NOT_TRACK=1 NO_UPDATE_NOTIFIER=1 npm_config_update_notifier=false \
		npm_config_prefix=$E2E/global
	mkdir -p "$W/userbin" "$E2E/cache"
	PATH=$W/userbin:$E2E/node_modules/.bin:$BIN:$PATH
	export PATH
}

# Claude Code refuses bypassPermissions as root (the preset's flag, which
# lets tools run headless): as root, the agents run as this user.
USER_NAME=agentutils-e2e
# e2e_user: creates USER_NAME when root and it is missing; 1 (with the
# reason in $user_why) when that fails.
e2e_user() {
	user_why=
	[ "$(id -u)" = 0 ] || return 0
	id "$USER_NAME" >/dev/null 2>&1 && return 0
	useradd -r -M -d /nonexistent -s /usr/sbin/nologin "$USER_NAME" 2> "$W/useradd.err" && return 0
	user_why="useradd $USER_NAME failed: $(head -n 1 "$W/useradd.err")"
	return 1
}

# opencode_json [omo]: the opencode.json of a project whose provider is the
# fake (its URL from $FAKE_BASEURL), with oh-my-opencode's plugin for omo.
opencode_json() {
	_plugin=
	[ "${1-}" = omo ] && _plugin='"plugin": ["oh-my-opencode@4.19.4"],'
	cat <<-EOF
	{ "\$schema": "https://opencode.ai/config.json",
	  "provider": { "fake": { "npm": "@ai-sdk/openai-compatible", "name": "Fake",
	      "options": { "baseURL": "{env:FAKE_BASEURL}", "apiKey": "x" },
	      "models": { "fake-model": { "name": "Fake Model", "tool_call": true },
	                  "gpt-5.5": { "name": "Fake GPT", "tool_call": true } } } },
	  "model": "fake/fake-model", "small_model": "fake/fake-model", $_plugin
	  "autoupdate": false, "share": "disabled", "permission": { "*": "allow" } }
	EOF
}

# oh-my-opencode: every agent on a model of the fake provider (Hephaestus
# accepts only GPT model ids), no remote MCP servers.
omo_config() {
	printf '{ "agents": {\n'
	for _ag in build plan sisyphus sisyphus-junior OpenCode-Builder prometheus metis \
		momus oracle librarian explore multimodal-looker atlas; do
		printf '    "%s": { "model": "fake/fake-model" },\n' "$_ag"
	done
	printf '    "hephaestus": { "model": "fake/gpt-5.5" } },\n'
	printf '  "disabled_mcps": ["websearch", "context7", "grep_app"] }\n'
}

# pi_config BASEURL: pi's provider "fake" at BASEURL (OpenAI chat
# completions), the default of $HOME's settings.json, so that the preset's
# command line needs no --provider.
pi_config() {
	mkdir -p "$HOME/.pi/agent"
	cat > "$HOME/.pi/agent/models.json" <<-EOF
	{ "providers": { "fake": {
	    "baseUrl": "$1", "api": "openai-completions", "apiKey": "dummy",
	    "compat": { "supportsDeveloperRole": false, "supportsReasoningEffort": false },
	    "models": [ { "id": "fake-model", "name": "Fake Model", "reasoning": false, "input": ["text"],
	                  "contextWindow": 128000, "maxTokens": 8000 } ] } } }
	EOF
	printf '{ "defaultProvider": "fake", "defaultModel": "fake-model" }\n' \
		> "$HOME/.pi/agent/settings.json"
}

# cline_config BASEURL: Cline's provider openai-compatible at BASEURL, as
# `cline auth -p openai -k dummy -m fake-model -b BASEURL` writes it (that
# command also starts a hub daemon that outlives the run: the file is
# written instead).
cline_config() {
	mkdir -p "$HOME/.cline/data/settings"
	cat > "$HOME/.cline/data/settings/providers.json" <<-EOF
	{ "version": 1, "lastUsedProvider": "openai-compatible", "modes": {},
	  "providers": { "openai-compatible": { "settings": { "provider": "openai-compatible",
	        "apiKey": "dummy", "model": "fake-model", "baseUrl": "$1" },
	      "updatedAt": "2026-11-30T00:00:00.000Z", "tokenSource": "manual" } } }
	EOF
}

# kilo_json BASEURL: the kilo.json of a project whose provider is the fake
# at BASEURL.  Kilo 7.7.7 skips the whole file (and falls back to its own
# gateway) when it has opencode's "{env:...}" in a URL or opencode's
# $schema, autoupdate or share keys: the URL is written into it.
kilo_json() {
	cat <<-EOF
	{ "provider": { "fake": { "npm": "@ai-sdk/openai-compatible", "name": "Fake",
	      "options": { "baseURL": "$1", "apiKey": "dummy" },
	      "models": { "fake-model": { "name": "Fake Model", "tool_call": true } } } },
	  "model": "fake/fake-model", "small_model": "fake/fake-model" }
	EOF
}
