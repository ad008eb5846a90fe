# agentutils.bash — bash completion for every agentutils tool.  Options are
# read from the tool's own usage line (TOOL -h, its man page's SYNOPSIS), so
# they are never out of date; an option's argument and an operand complete
# by the name the usage line gives them: presets and profiles for AGENT
# (agent-spawn -a list), run ids and @ for a RUN, labels for a LABEL, files,
# directories, signals, built-in templates.  Installed by make install into
# bash-completion's directory under every tool's name.

# The runs directory, as agent-run(5) says it is found.
_agentutils_runs() {
	if [ -n "${AGENT_RUNS:-}" ]; then
		printf '%s\n' "$AGENT_RUNS"
	else
		printf '%s\n' "${XDG_STATE_HOME:-$HOME/.local/state}/agentutils/runs"
	fi
}

# _agentutils_spec TOOL: the tool's usage line as one entry a line,
# "opt NAME ARG" (ARG empty for a flag, "?ARG" when it is attached and
# optional) or "operand NAME"; kept for the shell's life.
_agentutils_spec() {
	local var="_agentutils_spec_${1//[^A-Za-z0-9]/_}"
	# a tool that is not there (yet) is asked again next time
	command -v "$1" >/dev/null 2>&1 || return 0
	if [ -z "${!var+set}" ]; then
		printf -v "$var" '%s' "$("$1" -h 2>&1 |
		sed -e '1s/^usage: *[^ ]*//' -e "s/^ *${1##*/} / /" \
		    -e 's/\(-[A-Za-z]\)\[\([A-Za-z_]*\)\]/\1=?\2/g' \
		    -e 's/\(--[a-z-]*\)\[=\([A-Za-z_]*\)\]/\1=?\2/g' \
		    -e 's/[][|]/ & /g' |
		awk '
		function opt(o, a) { if (!seen[o]++) print "opt " o " " a }
		{ for (i = 1; i <= NF; i++) t[++n] = $i }
		END {
			depth = 0
			for (i = 1; i <= n; i++) {
				w = t[i]
				if (w == "[") { depth++; continue }
				if (w == "]") { depth--; continue }
				if (w == "|" || w == "..." || w == "-" || w == "--") continue
				if (w ~ /^-/) {
					# an option (a second synopsis names some outside brackets)
					if (w ~ /=\?/) {
						k = index(w, "=?")
						opt(substr(w, 1, k - 1), "?" substr(w, k + 2))
					} else if (w ~ /^-[A-Za-z0-9]+$/ && length(w) > 2) {
						for (j = 2; j <= length(w); j++)
							opt("-" substr(w, j, 1), "")
					} else if (i < n && t[i + 1] !~ /^[][|-]/ && t[i + 1] != "...") {
						opt(w, t[i + 1])
						i++
					} else
						opt(w, "")
				} else
					print "operand " w
			}
		}')"
	fi
	printf '%s\n' "${!var}"
}

# _agentutils_add CUR WORD...: each word that starts with CUR, quoted for
# the command line (and so shown with any control character escaped).
_agentutils_add() {
	local cur=$1 w q
	shift
	for w in "$@"; do
		[[ $w == "$cur"* ]] || continue
		printf -v q '%q' "$w"
		COMPREPLY+=("$q")
	done
}

_agentutils_ids() {
	local dir d
	dir=$(_agentutils_runs)
	_agentutils_add "$1" @
	for d in "$dir"/[0-9]*-[0-9]*-*; do
		[ -d "$d" ] && _agentutils_add "$1" "${d##*/}"
	done
}

# the labels of the runs, from their meta.json (agent-run(5)), unescaped
_agentutils_labels() {
	local dir l labels=()
	dir=$(_agentutils_runs)
	while IFS= read -r l; do
		[ -n "$l" ] || continue
		l=${l//\\\"/\"}
		l=${l//\\\//\/}
		printf -v l '%b' "$l"
		labels+=("$l")
	done < <(sed -n 's/.*"label":"\(\([^"\\]\|\\.\)*\)".*/\1/p' \
	    "$dir"/*/meta.json 2>/dev/null | sort -u)
	_agentutils_add "$1" "${labels[@]}"
}

# _agentutils_files CUR [-d]: file (or directory) names, quoted by bash
_agentutils_files() {
	local w
	compopt -o filenames 2>/dev/null
	while IFS= read -r w; do COMPREPLY+=("$w"); done < <(compgen ${2:--f} -- "$1")
}

# _agentutils_value TOOL NAME CUR: the words an argument called NAME takes.
_agentutils_value() {
	local tool=$1 name=$2 cur=$3 w list=()
	case $name in
	AGENT|agent)
		# the presets and agents.conf(5)'s profiles, as agent-spawn knows them
		w=agent-spawn
		[[ $tool == */* && -x ${tool%/*}/agent-spawn ]] && w=${tool%/*}/agent-spawn
		while IFS= read -r w; do list+=("$w"); done < <("$w" -a list 2>/dev/null)
		_agentutils_add "$cur" "${list[@]}" ;;
	LABEL) _agentutils_labels "$cur" ;;
	RUN|run) _agentutils_ids "$cur" ;;
	BY) _agentutils_add "$cur" label agent day ;;
	SIGNAL)
		while IFS= read -r w; do list+=("${w#SIG}"); done < <(compgen -A signal)
		_agentutils_add "$cur" "${list[@]}" ;;
	builtin)
		# name<TAB>what it is
		while IFS= read -r w; do list+=("${w%%	*}"); done < <("$tool" -t list 2>/dev/null)
		_agentutils_add "$cur" "${list[@]}" ;;
	DIR|dir) _agentutils_files "$cur" -d ;;
	FILE|LOG|log|vars|template) _agentutils_files "$cur" ;;
	CMD|COMMAND)
		while IFS= read -r w; do COMPREPLY+=("$w"); done < <(compgen -c -- "$cur") ;;
	esac
}

_agentutils() {
	local cmd=${COMP_WORDS[0]} cur=${COMP_WORDS[COMP_CWORD]} prev= i n
	local kind name arg names=() args=() operands=() before
	COMPREPLY=()
	[ "$COMP_CWORD" -gt 0 ] && prev=${COMP_WORDS[COMP_CWORD - 1]}
	# agent-spawn -- COMMAND ARG ...: the command, then its files
	for ((i = 1; i < COMP_CWORD; i++)); do
		[ "${COMP_WORDS[i]}" = -- ] || continue
		if [ $((i + 1)) -eq "$COMP_CWORD" ]; then
			_agentutils_value "$cmd" COMMAND "$cur"
		else
			_agentutils_files "$cur"
		fi
		return 0
	done
	while read -r kind name arg; do
		case $kind in
		opt) names+=("$name"); args+=("$arg") ;;
		operand) operands+=("$name") ;;
		esac
	done < <(_agentutils_spec "$cmd")
	n=${#names[@]}
	for ((i = 0; i < n; i++)); do
		arg=${args[i]}
		# the argument of the option before
		if [ "$prev" = "${names[i]}" ] && [ -n "$arg" ] && [ "${arg#\?}" = "$arg" ]; then
			_agentutils_value "$cmd" "$arg" "$cur"
			return 0
		fi
		# an optional argument attached: -sday
		if [ "${arg#\?}" != "$arg" ] && [[ $cur == "${names[i]}"?* ]]; then
			before=${#COMPREPLY[@]}
			_agentutils_value "$cmd" "${arg#\?}" "${cur#"${names[i]}"}"
			for ((; before < ${#COMPREPLY[@]}; before++)); do
				COMPREPLY[before]=${names[i]}${COMPREPLY[before]}
			done
			return 0
		fi
	done
	if [[ $cur == -* ]]; then
		_agentutils_add "$cur" "${names[@]}"
		return 0
	fi
	for name in "${operands[@]}"; do
		_agentutils_value "$cmd" "$name" "$cur"
	done
	return 0
}

complete -F _agentutils agent-spawn agent-tail agent-state agent-session-id \
	agent-resume agent-ls agent-top agent-kill prompt-render agent-replay phase-run
