#!/bin/sh
# The manual: every tool has a page, every page is mandoc -Tlint clean, and
# each tool's -h usage line is its page's SYNOPSIS, word for word.
. ./lib.sh

top=$(cd ../.. && pwd)
# the tools, and contrib/phase-run, which make install installs with them
tools="$(cd "$top/bin" && ls *.c | sed 's/\.c$//')
phase-run"
usage() { case $1 in phase-run) sh "$top/contrib/phase-run" -h ;; *) "$BIN/$1" -h ;; esac; }
pages=$(cd "$top/man" && ls)
plan $(( $(echo "$tools" | wc -l) * 2 + $(echo "$pages" | wc -l) ))

for t in $tools; do
	test -f "$top/man/$t.1"
	ok $? "$t has a man page"
	syn=$(mandoc -Tascii "$top/man/$t.1" 2>/dev/null | sed "s/.$(printf "\\b")//g" |
		awk '/^SYNOPSIS/ { on = 1; next } /^[A-Z]/ { on = 0 } on' |
		tr -s ' \n' '  ' | sed 's/^ *//; s/ *$//')
	use=$(usage "$t" 2>&1 | sed 's/^usage: //' | tr -s ' \n' '  ' | sed 's/^ *//; s/ *$//')
	# word for word, line breaks and runs of blanks aside
	is "$use" "$syn" "$t -h prints its SYNOPSIS word for word"
done
for p in $pages; do
	out=$(mandoc -Tlint -Wwarning "$top/man/$p" 2>&1)
	is "$out" "" "man/$p is mandoc -Tlint clean"
done
