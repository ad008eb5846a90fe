#!/bin/sh
# scripts.t — every shell script of the project parses: the scripts the
# user runs (contrib/), the suites that only CI runs (tests/e2e,
# tests/remote, tests/bench), and the completions; a syntax error in a
# suite make check does not run would otherwise first show in CI.
. ./lib.sh

top=$(cd ../.. && pwd)
list=$T/scripts
{
	find "$top/contrib" "$top/tests" -type f \( -name '*.sh' -o -name '*.t' \) \
		! -path '*/fixtures/*' ! -path '*/corpus/*'
	for f in "$top"/contrib/* "$top"/contrib/*/*; do
		[ -f "$f" ] && head -n 1 "$f" | grep -q '^#!/bin/sh' && echo "$f"
	done
} | sort -u > "$list"
n=$(wc -l < "$list")
plan $((n + 3))

ok "$(test "$n" -gt 40; echo $?)" "the scripts are found ($n)"
while read -r f; do
	sh -n "$f" 2>"$T/err"
	r=$?
	ok $r "sh -n ${f#$top/}"
	[ $r -ne 0 ] && sed 's/^/#   /' "$T/err"
done < "$list"
if command -v bash >/dev/null 2>&1; then
	bash -n "$top/contrib/completion/agentutils.bash"
	ok $? "bash -n contrib/completion/agentutils.bash"
else
	_n=$((_n + 1)); echo "ok $_n # SKIP no bash here"
fi
if command -v zsh >/dev/null 2>&1; then
	zsh -n "$top/contrib/completion/_agentutils"
	ok $? "zsh -n contrib/completion/_agentutils"
else
	_n=$((_n + 1)); echo "ok $_n # SKIP no zsh here"
fi
