#!/bin/sh
# sandbox.t — agent-spawn --sandbox: the agent writes only where its work
# is (its directory or worktree, its run, its CLI's own state), /tmp is its
# own, the network is the host's; refused with exit 78 where bubblewrap is
# missing or cannot run, and skipped, saying why, where it cannot.
. ./lib.sh
N=43
plan $N
R=$AGENT_RUNS
REPLAY=$(cd ../../contrib/replay && pwd)
ended() { test -e "$R/$1/exit.json"; }
meta() { jq -r ".$2 // empty" "$R/$1/meta.json"; }

# The sandbox's /tmp is private, so what the agent may write must lie
# outside /tmp to be seen from here: a directory beside the built tools,
# or in /var/tmp when they are under /tmp themselves.
case $(cd "$BIN" && pwd -P) in
/tmp/*) O=$(mktemp -d /var/tmp/agentutils-sandbox-test.XXXXXX) ;;
*) O=$(mktemp -d "$BIN/../sandbox-test.XXXXXX") ;;
esac
O=$(cd "$O" && pwd -P) || exit 1
# a directory under the host's /tmp whatever TMPDIR says
U=$(mktemp -d /tmp/agentutils-sandbox-test.XXXXXX) || exit 1
trap 'rm -rf "$T" "$O" "$U"' EXIT
W=$O/work
mkdir -p "$W" "$O/home" "$O/bin"
export HOME=$O/home

# --- refusals, wherever this runs ---------------------------------------------
run env PATH="$O/bin" "$BIN/agent-spawn" --sandbox -- /bin/true
is "$rc" 78 "without bwrap along PATH, --sandbox exits 78"
is "$err" "agent-spawn: --sandbox: bwrap: not found along PATH (install bubblewrap)" \
	"and says what is missing"
is "$(ls "$R" 2>/dev/null | wc -l)" 0 "and makes no run"

# a user namespace where this user has no id: bwrap cannot make its own
if unshare --user true 2>/dev/null; then
	run unshare --user "$BIN/agent-spawn" --sandbox -- /bin/true
	is "$rc" 78 "where bwrap cannot make a sandbox, --sandbox exits 78"
	case $err in "agent-spawn: --sandbox: "*"bwrap cannot make a sandbox here: bwrap: "?*) r=0 ;; *) r=1 ;; esac
	ok $r "and gives bwrap's own reason"
	[ $r -ne 0 ] && printf '#   %s\n' "$err"
else
	_n=$((_n + 2)); echo "ok $((_n - 1)) # SKIP unshare --user is not allowed here"
	echo "ok $_n # SKIP unshare --user is not allowed here"
fi

# bwrap can run here, or the rest is skipped with its own words
run agent-spawn --sandbox -d "$W" -- true
if [ "$rc" != 0 ]; then
	why=$(printf '%s' "$err" | head -n 1)
	_i=$_n
	while [ $_i -lt $N ]; do _i=$((_i + 1)); echo "ok $_i # SKIP $why"; done
	exit 0
fi

# --- the agent's work, and a write outside --------------------------------------
echo host > "$T/on-host"
id=$(agent-spawn --sandbox -d "$W" -- sh -c '
	echo work > result.txt
	echo escape > "$1/outside.txt"; echo "outside: $?"
	echo mine > /tmp/scratch; cat /tmp/scratch
	test -e "$2/on-host" && echo "host /tmp: visible" || echo "host /tmp: hidden"
	touch "$AGENT_RUNS/$AGENT_RUN_ID/from-agent" && echo "run dir: written"
	readlink /proc/self/ns/net' sh "$O" "$T")
wait_for 30 ended "$id"
is "$(cat "$W/result.txt" 2>/dev/null)" work "the agent's work in its directory succeeds"
ok "$(test ! -e "$O/outside.txt"; echo $?)" "a write outside its directory is refused"
ok "$(grep -q 'outside.txt: Read-only file system' "$R/$id/log"; echo $?)" \
	"with EROFS, read-only file system"
is "$(grep '^outside:' "$R/$id/log")" "outside: 2" "and the agent's shell sees it fail"
is "$(sed -n 3p "$R/$id/log")" mine "the agent writes its own /tmp"
ok "$(test ! -e /tmp/scratch || ! grep -qx mine /tmp/scratch; echo $?)" \
	"which is not the host's"
is "$(grep '^host /tmp' "$R/$id/log")" "host /tmp: hidden" "and the host's /tmp is not seen in it"
is "$(grep '^run dir' "$R/$id/log")" "run dir: written" "the run directory is writable"
is "$(tail -n 1 "$R/$id/log")" "$(readlink /proc/self/ns/net)" \
	"the network is the host's (the same namespace)"
is "$(jq -r '.status' "$R/$id/exit.json")" 0 "the run ends with the agent's own status"

# --- the record -----------------------------------------------------------------
is "$(meta "$id" 'argv[0]')" sh "argv is the agent's own command"
is "$(meta "$id" 'sandbox[0]' | sed 's,.*/,,')" bwrap "sandbox is bwrap's command line"
is "$(meta "$id" 'sandbox[-1]')" -- "up to its --"
ok "$(meta "$id" 'sandbox | join(" ")' | grep -qF -- "--bind $W $W"; echo $?)" \
	"which binds the working directory writable"
ok "$(meta "$id" 'sandbox | join(" ")' | grep -qF -- "--bind $R/$id $R/$id"; echo $?)" \
	"and the run directory"

# --- no shell between the user's words and exec ---------------------------------
mkdir -p "$O/a dir 'q' \$(x)"
id=$(agent-spawn --sandbox -d "$O/a dir 'q' \$(x)" -- printf '%s|' '$(touch pwned)' "a b" ';')
wait_for 30 ended "$id"
is "$(cat "$R/$id/log")" '$(touch pwned)|a b|;|' "arguments reach the agent as they are"
ok "$(test ! -e "$O/a dir 'q' \$(x)/pwned" && test ! -e pwned; echo $?)" "and nothing runs them"

run agent-spawn --sandbox -- nosuch-agent-command
is "$rc:$err" "71:agent-spawn: exec: nosuch-agent-command: No such file or directory" \
	"a command not found is agent-spawn's error, as without a sandbox"

# --- a preset's own state, and a preset that turns the sandbox on ---------------
mkdir -p "$XDG_CONFIG_HOME/agentutils"
cat > "$XDG_CONFIG_HOME/agentutils/agents.conf" <<'EOF'
[preset boxed]
spawn = sh -c {prompt} boxed
sandbox = yes
sandbox-rw = ~/state/
sandbox-rw = ${BOXED_CACHE:-~/cache}/x/
sandbox-rw = ~/.boxed.json

[preset boxreplay]
spawn = agent-replay -i 0 [-p {prompt}] {model}
resume = agent-replay -i 0 [-p {prompt}] -R {session} {model}

[preset isobox]
dialect = claude-stream
spawn = sh {model} [{prompt}]
resume = sh {model} {session} [{prompt}]

[profile open]
agent = boxed
sandbox = no
EOF
echo '{}' > "$HOME/.boxed.json"
id=$(agent-spawn -a boxed -d "$W" -p 'touch ~/state/s ~/cache/x/c; echo "{\"a\":1}" > ~/.boxed.json; touch ~/other; echo done')
wait_for 30 ended "$id"
ok "$(test -e "$HOME/state/s" && test -e "$HOME/cache/x/c"; echo $?)" \
	"sandbox = yes: the preset's state directories are writable, made when missing"
is "$(stat -c %a "$HOME/state")" 700 "and made private (0700)"
is "$(cat "$HOME/.boxed.json")" '{"a":1}' "an existing state file is writable"
ok "$(test ! -e "$HOME/other"; echo $?)" "the rest of HOME is not"
rm -rf "$HOME/cache"
id=$(agent-spawn -a boxed -d "$W" -e "BOXED_CACHE=$O/c2" -p 'touch "$BOXED_CACHE/x/c"')
wait_for 30 ended "$id"
ok "$(test -e "$O/c2/x/c" && test ! -e "$HOME/cache"; echo $?)" \
	"\${NAME:-DEFAULT} takes the agent's own environment (-e)"
id=$(agent-spawn -a open -d "$W" -p 'touch ~/other')
wait_for 30 ended "$id"
ok "$(test -e "$HOME/other" && test -z "$(meta "$id" sandbox)"; echo $?)" \
	"a profile with sandbox = no runs without"

# --- a command under /tmp -------------------------------------------------------
mkdir -p "$U/bin" "$U/other"
printf '#!/bin/sh\necho "tmp agent ran"; ls "$1" >/dev/null 2>&1 && echo seen || echo hidden\n' > "$U/bin/tmp-agent"
chmod +x "$U/bin/tmp-agent"
id=$(agent-spawn --sandbox -d "$W" -e "PATH=$U/bin:$PATH" -- tmp-agent "$U/other")
wait_for 30 ended "$id"
is "$(head -n 1 "$R/$id/log")" "tmp agent ran" \
	"a PATH directory under /tmp is bound back read-only: the agent's command runs"
is "$(sed -n 2p "$R/$id/log")" hidden "and the rest of the host's /tmp stays hidden"

# --- resume keeps it; agent-kill reaches through it -----------------------------
# the model file too must lie outside /tmp to be seen in the sandbox
cp "$REPLAY/claude-cutoff.log" "$REPLAY/claude-cutoff.resume.log" "$O/"
id=$(agent-spawn --sandbox -a boxreplay -m "$O/claude-cutoff.log" -d "$W" -p x)
agent-state -w -t 30 "$id" >/dev/null
is "$?" 2 "a sandboxed replay run ends cut off"
new=$(agent-resume "$id")
agent-state -w -t 30 "$new" >/dev/null
is "$?" 0 "agent-resume continues it"
ok "$(test -n "$(meta "$new" sandbox)"; echo $?)" "in a sandbox too"

id=$(agent-spawn --sandbox -d "$W" -- sh -c 'echo up; exec sleep 300')
wait_for 30 grep -q up "$R/$id/log"
agent-kill "$id" >/dev/null
is "$?" 0 "agent-kill stops a sandboxed run"
is "$(agent-state "$id")" cut-off "which is then cut-off"

# --- a worktree: the agent commits in it ----------------------------------------
git init -q "$O/repo" && git -C "$O/repo" -c user.name=t -c user.email=t@t commit -q --allow-empty -m init
id=$(agent-spawn --sandbox -w -d "$O/repo" -- sh -c \
	'echo x > f && git add f && git -c user.name=a -c user.email=a@a commit -qm "by the agent" && echo committed')
wait_for 30 ended "$id"
is "$(tail -n 1 "$R/$id/log")" committed "in a worktree the agent commits (the git directory is writable)"
is "$(git -C "$O/repo" log -1 --format=%s "agent/$id")" "by the agent" "and its branch has the commit"

# --- but not the repository's hooks and config, which git runs outside ----------
id=$(agent-spawn --sandbox -w -d "$O/repo" -- sh -c '
	c=$(git rev-parse --git-common-dir)
	printf "#!/bin/sh\ntouch escaped\n" > "$c/hooks/post-commit" 2>/dev/null; echo "hook: $?"
	git config core.hooksPath /x 2>/dev/null; echo "config: $?"
	echo y > g && git add g && git -c user.name=a -c user.email=a@a commit -qm again && echo committed')
wait_for 30 ended "$id"
ok "$(grep -qx 'hook: [1-9]' "$R/$id/log" && test ! -e "$O/repo/.git/hooks/post-commit"; echo $?)" \
	"with a worktree, the agent cannot write a hook into the repository"
ok "$(grep -qx 'config: [1-9]' "$R/$id/log" && test -z "$(git -C "$O/repo" config core.hooksPath)"; echo $?)" \
	"nor change its config"
is "$(tail -n 1 "$R/$id/log")" committed "and still commits"
id=$(agent-spawn --sandbox -d "$O/repo" -- sh -c \
	'printf "#!/bin/sh\n" > .git/hooks/pre-commit 2>/dev/null; echo "hook: $?"; echo z > h && echo wrote')
wait_for 30 ended "$id"
ok "$(grep -qx 'hook: [1-9]' "$R/$id/log" && grep -qx wrote "$R/$id/log" && test ! -e "$O/repo/.git/hooks/pre-commit"; echo $?)" \
	"in a repository as its directory too: its work is writable, its hooks are not"

# --- an isolated run's continuation writes the first run's data directories ------
H=$FIX/claude/stream-json-happy.log
{ echo 'if [ $# -ge 2 ]; then echo "store: $(cat "$XDG_DATA_HOME/store" 2>&1)"; echo more >> "$XDG_DATA_HOME/store"; else echo kept > "$XDG_DATA_HOME/store"; fi'
  echo "cat <<'EOS'"; head -n 1 "$H"; grep '"type":"result"' "$H" | tail -n 1; echo EOS; } > "$O/iso.sh"
id=$(agent-spawn --sandbox --isolate -a isobox -m "$O/iso.sh" -d "$W" -p x)
agent-state -w -t 30 "$id" >/dev/null
new=$(agent-resume "$id")
agent-state -w -t 30 "$new" >/dev/null
is "$(grep '^store:' "$R/$new/log"):$(tail -n 1 "$R/$id/xdg/data/store")" "store: kept:more" \
	"a sandboxed isolated run's continuation reads and writes the first run's data directories"
