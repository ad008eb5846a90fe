#!/bin/sh
# Shell completion: bash's completion function driven as bash drives it
# (COMP_WORDS, COMP_CWORD, then COMPREPLY) for every tool; the zsh one
# parses; make install puts both where the shells look.
. ./lib.sh

top=$(cd ../.. && pwd)
comp=$top/contrib/completion/agentutils.bash
tools="$(cd "$top/bin" && ls *.c | sed 's/\.c$//')"
plan $(( $(echo "$tools" | wc -l) * 2 + 13 ))

# offers WORD...: what completing the last word offers, one a line
offers() {
	bash -c '. "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1))
		COMP_LINE="$*"; COMP_POINT=${#COMP_LINE}
		_agentutils; printf "%s\n" "${COMPREPLY[@]}"' _ "$comp" "$@"
}
# has LIST WORD...: every word is a line of LIST
has() {
	_l=$1; shift
	for _w; do printf '%s\n' "$_l" | grep -qxF -- "$_w" || return 1; done
}
# the options a usage line names: -x, clusters as letters, --long
usage_opts() {
	"$1" -h 2>&1 | grep -oE -- '(^|[[ ])--?[A-Za-z][-A-Za-z]*' | tr -d '[ ' |
	while read -r o; do
		case $o in
		--*) echo "$o" ;;
		*) echo "${o#-}" | fold -w 1 | sed 's/^/-/' ;;
		esac
	done | sort -u
}

for t in $tools; do
	got=$(offers "$t" - | sort -u)
	ok "$( [ -n "$got" ] && has "$got" $(usage_opts "$t"); echo $?)" \
		"$t -<TAB> offers every option of its usage line"
	extra=$(printf '%s\n' "$got" | while read -r o; do
		usage_opts "$t" | grep -qxF -- "$o" || echo "$o"; done)
	is "$extra" "" "$t -<TAB> offers no option its usage line lacks"
done

# arguments by what they are
mkdir -p "$XDG_CONFIG_HOME/agentutils"
printf '[profile zz-review]\nagent = claude\n' > "$XDG_CONFIG_HOME/agentutils/agents.conf"
ok "$(has "$(offers agent-spawn -a '')" claude codex gemini opencode omo zz-review; echo $?)" \
	"agent-spawn -a <TAB>: the presets and agents.conf's profiles"
is "$(offers agent-spawn -a zz)" "zz-review" "agent-spawn -a zz<TAB>: those that start so"
a=$(agent-spawn -l alpha -- true)
b=$(agent-spawn -l "two words" -- true)
c=$(agent-spawn -l "$(printf 'esc\033[2Jx')" -- true)
ok "$(has "$(offers agent-tail '')" @ "$a" "$b" "$c"; echo $?)" "agent-tail <TAB>: @ and every run id"
p=${a%??}
is "$(offers agent-state "$p" | sort)" "$(ls "$AGENT_RUNS" | grep "^$p" | sort)" \
	"agent-state PREFIX<TAB>: the run ids that start so"
ok "$(has "$(offers agent-kill -s '')" TERM KILL INT; echo $?)" "agent-kill -s <TAB>: signals"
labels=$(offers agent-ls -l '')
ok "$(has "$labels" alpha 'two\ words'; echo $?)" "agent-ls -l <TAB>: the labels, quoted for the command line"
is "$(printf '%s\n' "$labels" | LC_ALL=C tr -d '\n\040-\176' | wc -c)" 0 \
	"a label's control characters are offered escaped"
is "$(offers agent-ls -sd)" "-sday" "agent-ls -sd<TAB>: -sday"
ok "$(has "$(offers prompt-render -t '')" phase; echo $?)" "prompt-render -t <TAB>: the built-in templates"
mkdir "$T/somedir" && : > "$T/somefile"
is "$(offers agent-spawn -d "$T/some")" "$T/somedir" "agent-spawn -d <TAB>: directories only"
ok "$(has "$(offers agent-spawn -- ech)" echo; echo $?)" "agent-spawn -- <TAB>: commands"

# zsh's: it parses (zsh is a test dependency)
zsh -n "$top/contrib/completion/_agentutils"
ok $? "the zsh completion parses"

# make install: bash-completion's directory, under every tool's name, and zsh's
B=${BIN%/bin}
make -C "$top" --no-print-directory install B="$B" DESTDIR="$T/inst" PREFIX=/usr/local >/dev/null 2>&1
missing=$(for t in $tools phase-run; do
	test -f "$T/inst/usr/local/share/bash-completion/completions/$t" || echo "$t"; done
	test -f "$T/inst/usr/local/share/zsh/site-functions/_agentutils" || echo zsh)
is "$missing" "" "make install puts the completions where bash and zsh look"
