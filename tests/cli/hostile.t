#!/bin/sh
# hostile.t — logs made to break the readers, generated here (no blobs):
# NUL bytes, invalid UTF-8, a 64 MB line, a JSON line cut at EOF, CRLF,
# escape sequences in tool output and in the agent's text, JSON nested
# 100,000 deep, 10 million events, a FIFO, a directory; a log truncated and
# one replaced under agent-tail -f; 1 MB prompts.  Every reader: no crash,
# no hang, bounded memory, nothing raw on the terminal, one-line errors.
. ./lib.sh

# Peak RSS of a reader: at most 4 MB plus three times the longest line it
# keeps (lines are kept up to 2 MB, AGENT_INPUT_MAXLINE): the read buffer,
# the parser's copy and the rendered event each hold one.
RSS_MAX=$((4096 + 3 * 2048))
# under ASan the shadow memory makes RSS meaningless
san=0
grep -q __asan_init "$BIN/agent-state" && san=1

ESC=$(printf '\033')
E='\u001b'
FIXC=$FIX/claude/stream-json-happy.log
cd "$T" || exit 1

# NUL bytes inside JSON strings, raw in a JSON line, and lines of them
printf '{"type":"system","subtype":"init","session_id":"2814a59a-0000-4000-8000-000000000000"}\n{"type":"assistant","message":{"content":[{"type":"text","text":"a\\u0000b\0c"}]}}\n\0\0\0\n{"type":"result","subtype":"success","is_error":false,"result":"ok\0"}\n' > nul.log
# invalid UTF-8: stray continuation, overlong, surrogate, past U+10FFFF
printf '\377\376\300\257 caf\303\251 \355\240\200 \364\220\200\200\n{"type":"assistant","message":{"content":[{"type":"text","text":"\377\300"}]}}\n' > badutf.log
# one 64 MB line
head -c 67108864 /dev/zero | tr '\0' x > long.log; echo >> long.log
# a JSON line cut off at EOF
head -c 3000 "$FIXC" > cut.log
# CRLF line ends
sed 's/$/\r/' "$FIXC" > crlf.log
# CSI, OSC, DCS and C1 in the agent's own text, in a tool's command and in
# its output (as JSON escapes: the parser decodes them to raw bytes)
printf '{"type":"system","subtype":"init","session_id":"2814a59a-0000-4000-8000-000000000000"}\n{"type":"assistant","message":{"content":[{"type":"text","text":"%s[31mred %s]0;pwned\\u0007 %sP1;2|x%s\\\\ c1\\u009b2J"}]}}\n{"type":"assistant","message":{"content":[{"type":"tool_use","id":"t1","name":"Bash","input":{"command":"ls %s[2J","description":"x"}}]}}\n{"type":"user","message":{"content":[{"type":"tool_result","tool_use_id":"t1","content":"out %s]8;;http://x%s\\\\link %sP+q%s\\\\","is_error":false}]}}\n{"type":"result","subtype":"success","is_error":false,"result":"done %s[0m"}\n' \
	$E $E $E $E $E $E $E $E $E $E > esc.log
# and raw in a text log (the session id line too)
printf 'Session: ses_\033[31mabc\n\033]0;title\007\033[2J\033P1;2|x\033\\ text \302\233 c1\n\033[0m$ \033[0mls \033]0;x\007\n' > esctext.log
# JSON nested 100,000 deep: arrays in a Claude message, objects alone
awk 'BEGIN { printf "{\"type\":\"assistant\",\"message\":{\"content\":"
	for (i = 0; i < 100000; i++) printf "["; for (i = 0; i < 100000; i++) printf "]"
	printf "}}\n" }' > deep.log
awk 'BEGIN { for (i = 0; i < 100000; i++) printf "{\"a\":"; printf "1"
	for (i = 0; i < 100000; i++) printf "}"; printf "\n" }' > deep2.log
# 10 million events (Codex JSON steps), the session first, an answer last
{
	echo '{"type":"thread.started","thread_id":"01a209f9-4831-77a0-a6c6-e6f107c047e4"}'
	yes '{"type":"turn.started"}' | head -n 10000000
	echo '{"type":"item.completed","item":{"id":"i","type":"agent_message","text":"last"}}'
	echo '{"type":"turn.completed","usage":{"input_tokens":1,"output_tokens":1}}'
} > ten.log
mkfifo fifo
mkdir dir
echo 0 > peak

# check NAME FILE TOOL ARGS...: no crash, no hang, no control character on
# stdout, peak RSS within the bound, and an error is one line
check() {
	_name=$1 _f=$2; shift 2
	timeout 300 /usr/bin/time -f %M -o rss "$@" "$_f" > out 2> err
	_rc=$?
	_why=
	[ $_rc -eq 124 ] && _why="$_why hang"
	[ $_rc -ge 125 ] && [ $_rc -ne 124 ] && _why="$_why crash($_rc)"
	grep -q 'Sanitizer\|runtime error' err && _why="$_why sanitizer"
	# C0 (but tab and newline), DEL and C1 (U+0080..U+009F)
	[ "$(LC_ALL=C tr -d '\n\t\040-\176\200-\377' < out | wc -c)" -eq 0 ] || _why="$_why control-char"
	LC_ALL=C grep -q "$(printf '\302[\200-\237]')" out && _why="$_why C1"
	if [ $_rc -ge 64 ] && [ $_rc -lt 124 ]; then
		[ "$(grep -vc '^[0-9]*$' err)" -eq 1 ] || _why="$_why error-not-one-line"
	fi
	if [ $san = 0 ] && [ "$(tail -n 1 rss)" -gt $RSS_MAX ]; then
		_why="$_why rss($(tail -n 1 rss)KB)"
	fi
	if [ $san = 0 ] && [ "$(tail -n 1 rss)" -gt "$(cat peak)" ]; then
		tail -n 1 rss > peak
		echo "$* $_f" > peak.what
	fi
	ok "$([ -z "$_why" ]; echo $?)" "$_name: $* on $_f: exit $_rc, no crash, hang, raw control or memory past $RSS_MAX KB${_why:+ (got:$_why)}"
}

set -- nul.log badutf.log long.log cut.log crlf.log esc.log esctext.log deep.log deep2.log ten.log fifo dir
plan $(( $# * 6 + 19 ))
for f; do
	# none of the 10 million events makes a summary line: -s with its
	# default 80 would read the whole log back to front (minutes under
	# ASan), which is no property of a hostile log
	sn=
	[ "$f" = ten.log ] && sn="-n 2"
	check reader "$f" agent-state -v
	check reader "$f" agent-tail
	check reader "$f" agent-tail -s $sn
	check reader "$f" agent-tail -j
	check reader "$f" agent-tail -F
	check reader "$f" agent-session-id -a
done

[ $san = 0 ] && echo "# peak RSS of a reader: $(cat peak) KB ($(cat peak.what))"

# what the readers say about them
is "$(agent-state fifo 2>&1; echo $?)" "agent-state: fifo: not a regular file (give a pipe or a FIFO on standard input)
66" "a FIFO is refused at once, not waited on for a writer"
( cat "$FIXC" > fifo ) &
is "$(agent-state - < fifo)" completed "and read on standard input"
wait
is "$(agent-tail -q -n 1 long.log | wc -c)" $((2 * 1024 * 1024 + 1)) \
	"a 64 MB line is shown cut at 2 MB"
agent-tail -q -s esc.log > out
is "$(grep -c '\\e\[31mred \\e\]0;pwned\\x07 \\eP1;2|x\\e\\\\ c1\\xc2\\x9b2J' out)" 1 \
	"CSI, OSC, DCS and C1 in the agent's text are shown escaped"
is "$(grep -c '^\$ ls \\e\[2J$' out)" 1 "and in a tool's command"
case $(agent-tail -q -s -n 1 ten.log) in "✓ done"*) r=0 ;; *) r=1 ;; esac
ok $r "the end of 10 million events is found from the end"
is "$(agent-session-id ten.log)" 01a209f9-4831-77a0-a6c6-e6f107c047e4 "and the session from the head"
is "$(agent-state -x 0 cut.log)" cut-off "a JSON line cut at EOF reads as cut off"

# a log truncated, then replaced, while agent-tail -f follows it
head -n 3 "$FIXC" > grow.log
( exec 3>>grow.log; while [ ! -e go ]; do sleep 0.05; done ) &
w=$!
wait_for 30 sh -c "ls -l /proc/$w/fd 2>/dev/null | grep -q grow.log"
agent-tail -f -q -n 0 grow.log > f.out 2> f.err &
a=$!
wait_for 30 watching $a
printf '{"type":"assistant","message":{"content":[{"type":"text","text":"after truncation"}]}}\n' > grow.log
wait_for 30 grep -q 'after truncation' f.out
ok $? "-f reads a truncated log again from its start"
is "$(sed -n 1p f.err)" "agent-tail: grow.log: truncated; reading it again from the start" \
	"and says so in one line"
printf '{"type":"assistant","message":{"content":[{"type":"text","text":"replacement"}]}}\n' > new.log
# its writer holds it before it takes the old one's place (a log that
# nobody writes to when -f looks at it has ended)
( exec 3>>new.log; while [ ! -e go ]; do sleep 0.05; done ) &
w2=$!
wait_for 30 sh -c "ls -l /proc/$w2/fd 2>/dev/null | grep -q new.log"
mv new.log grow.log
printf '{"type":"assistant","message":{"content":[{"type":"text","text":"more"}]}}\n' >> grow.log
wait_for 30 grep -q more f.out
ok $? "-f follows a log replaced under it"
is "$(sed -n 2p f.err)" "agent-tail: grow.log: replaced; reading the new file from the start" \
	"and says so in one line"
touch go
kill $w $w2 2>/dev/null
wait_pid 30 $a; rc=$?
ok "$([ "$rc" -lt 124 ]; echo $?)" "and ends when its writers are gone (exit $rc)"
is "$(LC_ALL=C tr -d '\n\t\040-\176\200-\377' < f.out | wc -c)" 0 "nothing raw in what -f printed"

# a run whose log is hostile, in agent-ls
id=$(agent-spawn -l "$(printf 'l\033]0;x\007')" -- cat esctext.log)
wait_for 30 test -e "$AGENT_RUNS/$id/exit.json"
agent-ls -a > out
is "$(LC_ALL=C tr -d '\n\t\040-\176\200-\377' < out | wc -c)" 0 "agent-ls prints no raw control character of a label or a log's session id"

# 1 MB prompts
head -c 1048576 /dev/zero | tr '\0' p > big.prompt
id=$(agent-spawn -P big.prompt -- wc -c)
wait_for 30 test -e "$AGENT_RUNS/$id/exit.json"
is "$(tr -d ' ' < "$AGENT_RUNS/$id/log")" 1048576 "a 1 MB prompt reaches a command on its standard input"
run agent-spawn -a omo -P big.prompt
is "$rc $err" "65 agent-spawn: prompt: 1048576 bytes, more than one argument can hold (131071), and omo takes it no other way" \
	"a preset that can only take it as an argument refuses it in one line"
{ echo '# Phase {{n}}'; echo; cat big.prompt; echo; echo '1. Run `make check`.'; } > big.tmpl
prompt-render -D n=1 big.tmpl > out 2> err
is "$? $(awk 'length($0) == 1048576' out | wc -l)" "0 1" "prompt-render renders a 1 MB template"
run prompt-render -l big.tmpl
ok "$([ $rc -lt 64 ] || [ "$(echo "$err" | wc -l)" -eq 1 ]; echo $?)" "and lints it (exit $rc)"
