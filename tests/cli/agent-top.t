#!/bin/sh
# agent-top: the live view under a pseudo-terminal (tmux): what the screen
# shows as runs change, sized to the window, escaped, coloured unless
# NO_COLOR; q, Ctrl-C and TERM give the terminal back; plain rows once when
# standard output is no terminal.
. ./lib.sh
plan 19

R=$AGENT_RUNS
S=$T/tmux.sock
# the tmux server this test starts is stopped by it, also when it fails
trap 'tmux -S "$S" kill-server 2>/dev/null; rm -rf "$T"' EXIT
tm() { tmux -S "$S" "$@"; }
ended() { test -e "$R/$1/exit.json"; }
# the terminal's modes after agent-top in session $1 (its size aside: the
# test resizes it)
modes() { grep -v rows "$T/$1.after"; }
screen() { tm capture-pane -p -t "$1"; }
# the row of run $2 on screen $1 shows $3
row_shows() { screen "$1" | grep -F -- "$2" | grep -q -- "$3"; }
# top NAME COLS ROWS [ENV...]: agent-top in a new tmux session NAME; the
# terminal's modes are written before and after, and the pane stays
top() {
	_s=$1 _c=$2 _r=$3
	shift 3
	tm -f /dev/null new-session -d -s "$_s" -x "$_c" -y "$_r" \
		"stty -a > '$T/$_s.before'; env $* agent-top; echo \"exit \$?\" > '$T/$_s.rc';
		 stty -a > '$T/$_s.after'; echo agent-top-ended; read x"
}
mkdir "$T/wd"

# a live run, and the view started on it
id=$(agent-spawn -l watched -d "$T/wd" -- sh -c 'echo started
	while [ ! -e go ]; do sleep 0.05; done; echo finished')
wait_for 30 grep -q started "$R/$id/log"
top one 150 20 -u NO_COLOR
wait_for 30 row_shows one "$id" running
ok $? "a live run has a row: running"
ok "$(screen one | grep -F "$id" | grep -q watched; echo $?)" "with its label"

# the run ends: its row changes without a key pressed (inotify, not a poll)
touch "$T/wd/go"
wait_for 30 ended "$id"
wait_for 30 row_shows one "$id" completed
ok $? "when the run ends, its row says completed"

# a run started while watching appears, with its tokens and cost
cl=$(agent-spawn -l claude-run -- cat "$FIX/claude/stream-json-happy.log")
wait_for 30 ended "$cl"
wait_for 30 row_shows one "$cl" completed
ok $? "a run started while watching appears"
ok "$(screen one | grep -F "$cl" | grep -qF '7.7k/78'; echo $?)" "its tokens in and out"
ok "$(screen one | grep -F "$cl" | grep -qF '$0.0403'; echo $?)" "and its cost"
ok "$(screen one | grep -F "$cl" | grep -qF 'Write'; echo $?)" "and its last tool"

# what a log or a label holds is shown escaped, never sent to the terminal
bad=$(agent-spawn -l "$(printf 'bad\033]0;pwned\007\033[2Jx')" -- true)
wait_for 30 ended "$bad"
wait_for 30 row_shows one "$bad" completed
ok "$(screen one | grep -F "$bad" | grep -qF 'bad\e]0;pwned'; echo $?)" \
	"a label's control characters are shown escaped"
ok "$(screen one | grep -qF "$id"; echo $?)" "and the screen was not cleared by it"

# colour: the state is coloured unless NO_COLOR
ok "$(tm capture-pane -p -e -t one | grep -F "$cl" | grep -q "$(printf '\033')\\[34mcompleted"; echo $?)" \
	"the state is coloured"

# sized to the window: every row cut to its width, as many as fit
small() { # the screen holds the header and two rows, none past 60 columns
	screen one > "$T/small"
	[ "$(awk 'length > 60' "$T/small" | wc -l) $(grep -c '^20[0-9]\{6\}-' "$T/small")" = "0 2" ] &&
		grep -q '^agent-top: ' "$T/small"
}
changed() { screen one | cmp -s - "$T/small.seen"; [ $? -ne 0 ]; }
tm resize-window -t one -x 60 -y 4
wait_for 30 small && screen one > "$T/small.seen"
# and still after a frame drawn since (the ages shown move on each second):
# tmux's own cut of the old frame is not what is checked
wait_for 30 changed && wait_for 30 small
ok $? "a smaller window: rows cut to its width, two runs below the header"

# q quits, and the terminal is as it was
grep -v rows "$T/one.before" > "$T/one.before.modes"
tm send-keys -t one q
wait_for 30 test -s "$T/one.after"
is "$(cat "$T/one.rc")" "exit 0" "q quits with status 0"
ok "$(modes one | cmp -s - "$T/one.before.modes"; echo $?)" "and leaves the terminal's modes as they were"
wait_for 30 sh -c "tmux -S '$S' capture-pane -p -t one | grep -q agent-top-ended"
ok "$(screen one | grep -q 'TOKENS IN/OUT'; [ $? -ne 0 ]; echo $?)" "and its screen is gone"

# NO_COLOR, and Ctrl-C
top two 150 20 NO_COLOR=1
wait_for 30 row_shows two "$cl" completed
ok "$(tm capture-pane -p -e -t two | grep -F "$cl" | grep -q "$(printf '\033')\\[3"; [ $? -ne 0 ]; echo $?)" \
	"NO_COLOR: no colour"
tm send-keys -t two C-c
wait_for 30 test -s "$T/two.after"
ok "$(cmp -s "$T/two.before" "$T/two.after"; echo $?)" "Ctrl-C quits and gives the terminal back"

# TERM
top three 150 20
wait_for 30 row_shows three "$cl" completed
pid=$(pgrep -P "$(tm display -p -t three '#{pane_pid}')" agent-top)
kill -TERM "$pid"
wait_for 30 test -s "$T/three.after"
ok "$(cmp -s "$T/three.before" "$T/three.after"; echo $?)" "TERM: the terminal is given back too"

# no terminal: the rows once, plain
run agent-top
is "$rc $(echo "$out" | grep -F "$cl" | cut -f 2,5-7 | tr '\t' ' ')" "0 completed 7677 78 0.0403" \
	"standard output no terminal: one plain listing, tab-separated"
is "$(printf '%s\n' "$out" | grep -c "$(printf '\033')")" 0 "with no escape sequence in it"
