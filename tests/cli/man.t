#!/bin/sh
# The manual: every tool has a page, every page is mandoc -Tlint clean, and
# each tool's -h usage line matches its page's SYNOPSIS.
. ./lib.sh

top=$(cd ../.. && pwd)
tools=$(cd "$top/bin" && ls *.c | sed 's/\.c$//')
pages=$(cd "$top/man" && ls)
plan $(( $(echo "$tools" | wc -l) * 2 + $(echo "$pages" | wc -l) ))

for t in $tools; do
	test -f "$top/man/$t.1"
	ok $? "$t has a man page"
	# the usage line names the same options as the SYNOPSIS
	syn=$(mandoc -Tascii "$top/man/$t.1" 2>/dev/null | sed "s/.$(printf "\\b")//g" |
		awk '/^SYNOPSIS/ { on = 1; next } /^[A-Z]/ { on = 0 } on' |
		tr -s ' \n' '  ' | sed 's/^ *//; s/ *$//')
	use=$("$BIN/$t" -h 2>&1 | sed 's/^usage: //' | tr -s ' \n' '  ' | sed 's/^ *//; s/ *$//')
	# mandoc renders the options; compare the option letters as a set
	a=$(printf '%s' "$syn" | grep -o '\-[A-Za-z]' | sort -u | tr -d '\n')
	b=$(printf '%s' "$use" | grep -o '\-[A-Za-z]' | sort -u | tr -d '\n')
	is "$b" "$a" "$t -h names the options of its SYNOPSIS"
done
for p in $pages; do
	out=$(mandoc -Tlint -Wwarning "$top/man/$p" 2>&1)
	is "$out" "" "man/$p is mandoc -Tlint clean"
done
