# prompt-render.t — the built prompt-render as a user runs it: rendering,
# VARS files, -e, the phase built-in, includes, --lint, exit statuses.
. ./lib.sh
plan 69

cd "$T" || exit 1
mkdir -p tpl/sub shared
printf 'Phase {{phase}} of {{project|a project}}.\n' > tpl/hello.tmpl

# ---- rendering
run prompt-render -D phase=5 tpl/hello.tmpl
is "$rc:$out" "0:Phase 5 of a project." "-D sets a variable; a default fills the other"

run prompt-render --define phase=5 --define project=x tpl/hello.tmpl
is "$out" "Phase 5 of x." "--define is -D"

out=$(printf 'a {{x}} b\n' | prompt-render -D x=1 -)
is "$out" "a 1 b" "a template on standard input with -"

out=$(printf 'a {{x}} b\n' | prompt-render -D x=1)
is "$out" "a 1 b" "no operand reads standard input"

run prompt-render -D 'v={{phase}} {{{{' tpl/hello.tmpl -D phase=x
is "$out" "Phase x of a project." "options after the operand are read too"
out=$(printf '{{v}}\n' | prompt-render -D 'v={{phase}} {{#a}}')
is "$out" "{{phase}} {{#a}}" "a value holding {{ is not expanded again"

printf 'one\r\n{{#x}}\r\n#. {{x}}\r\n#. two\r\n{{/x}}\r\n' > tpl/crlf.tmpl
out=$(prompt-render -D x=y tpl/crlf.tmpl | od -An -c | tr -s ' ' | tr -d '\n')
is "$out" " o n e \r \n 1 . y \r \n 2 . t w o \r \n" "a CRLF template keeps CRLF, sections and numbering"

# ---- VARS files and the environment
cat > p.vars <<'EOF'
# a comment
phase = 3
steps=
    #. first
    #. second
EOF
printf '{{phase}}\n{{*steps}}\n#. last\n' > tpl/steps.tmpl
run prompt-render -f p.vars tpl/steps.tmpl
is "$out" "$(printf '3\n1. first\n2. second\n3. last')" "-f reads a VARS file with continued values"

run prompt-render -D phase=9 -f p.vars tpl/steps.tmpl
is "$(echo "$out" | head -n 1)" "9" "-D wins over -f whatever the order"

run prompt-render --vars p.vars tpl/steps.tmpl
is "$rc" 0 "--vars is -f"

printf 'phase=1\nno equals\n' > bad.vars
run prompt-render -f bad.vars tpl/hello.tmpl
is "$rc:$out" "65:" "a VARS syntax error exits 65 and prints nothing"
is "$err" "prompt-render: bad.vars:2:4: expected '=' after 'no'" "... naming file:line:column"

run prompt-render -f nosuch.vars tpl/hello.tmpl
is "$rc" 66 "a VARS file that cannot be opened exits 66"

run env phase=7 prompt-render tpl/hello.tmpl
is "$rc:$out" "65:" "the environment is not read without -e"
run env phase=7 prompt-render -e tpl/hello.tmpl
is "$rc:$out" "0:Phase 7 of a project." "-e reads the environment"
run env phase=7 prompt-render -e -D phase=8 tpl/hello.tmpl
is "$out" "Phase 8 of a project." "-D wins over -e"

# ---- the phase built-in
cat > phase5.vars <<'EOF'
project=agentutils
description=the template engine
context=C11 tools; the library is lib/.
files=
    - lib/tmpl.c (new)
    - lib/agent.h (add the include)
steps=
    1. Write lib/tmpl.c with agent_tmpl_render()
    #. Add tests/unit/check_tmpl.c
    Add bin/prompt-render.c
verify=make check
EOF
run prompt-render -t phase -D phase=5 -f phase5.vars
is "$rc" 0 "-t phase renders with every variable set"
echo "$out" > phase.out
grep -qx 'You are implementing Phase 5 of agentutils: the template engine.' phase.out
ok $? "... the opening line names phase, project and description"
grep -qx '## Project' phase.out && grep -qx 'C11 tools; the library is lib/.' phase.out
ok $? "... the Project part holds the context"
grep -qx '## CRITICAL INSTRUCTIONS' phase.out &&
	grep -q "^- For NEW files: use \`cat > /path <<'EOF' ... EOF\`" phase.out &&
	grep -q '^- For EXISTING file modifications: use the Edit tool (read' phase.out &&
	grep -q '^- Final step: run `make check 2>&1` and fix any errors' phase.out &&
	grep -qx -- '- Report final result' phase.out
ok $? "... the critical instructions are all there, with the verify command"
grep -qx '## Files to Create/Modify' phase.out && grep -qx -- '- lib/tmpl.c (new)' phase.out
ok $? "... the files part lists the files"
sed -n '/^## Steps/,$p' phase.out | grep -E '^[0-9]+\. ' | cut -c1-40 > steps.out
printf '%s\n' '1. Write lib/tmpl.c with agent_tmpl_rend' '2. Add tests/unit/check_tmpl.c' \
	'3. Add bin/prompt-render.c' '4. Run `make check 2>&1`, fix any errors' > steps.want
cmp -s steps.out steps.want
ok $? "... steps are numbered 1..N with the verification step last"
grep -q '{{\|#\.' phase.out
ok $((!$?)) "... no tag or #. marker is left"

out=$(prompt-render -t phase -D phase=5 -f phase5.vars | cat); rc=$?
is "$rc:$(echo "$out" | tail -n 1 | cut -c1-12)" "0:4. Run \`make" "prompt-render -t phase ... | cat works as a pipeline"

run prompt-render -t phase -D phase=5 -f phase5.vars -D verify=
is "$rc" 0 "an empty verify still renders (the linter is the judge)"

grep -v '^verify' phase5.vars > partial.vars
run prompt-render -t phase -D phase=5 -f partial.vars
is "$rc:$out" "65:" "a missing part exits 65 with nothing on stdout"
case $err in "prompt-render: <phase>:"*": unknown variable 'verify'") r=0 ;; *) r=1 ;; esac
ok $r "... and names the missing variable with a position"

out=$(prompt-render -t continue -D remaining="$(printf -- '- finish lib/b.c\n- add tests/b.t')" -D verify='make check' | tail -n 3 | cut -c1-20)
is "$out" "$(printf '1. finish lib/b.c\n2. add tests/b.t\n3. Run `make check 2')" "-t continue lists what remains, then the verification step"

run prompt-render -t list
echo "$out" | grep -q '^phase	' && echo "$out" | grep -q '^continue	'
ok $? "-t list names the built-ins"
run prompt-render -t nosuch
is "$rc" 64 "an unknown built-in is a usage error"
run prompt-render -t phase tpl/hello.tmpl
is "$rc" 64 "-t and a template operand together are a usage error"

# ---- errors carry positions and leave stdout empty
awk 'BEGIN { for (i = 0; i < 20000; i++) print "line", i; print "end {{nosuch}}" }' > tpl/big.tmpl
run prompt-render tpl/big.tmpl
is "$rc:${#out}" "65:0" "an error after much output leaves stdout empty"
is "$err" "prompt-render: tpl/big.tmpl:20001:5: unknown variable 'nosuch'" "... and says file:line:column"

printf 'a\n  {{#s}}\nx\n' > tpl/unclosed.tmpl
run prompt-render -D s=1 tpl/unclosed.tmpl
is "$rc:$err" "65:prompt-render: tpl/unclosed.tmpl:2:3: unclosed section '{{#s}}'" "an unclosed section is an error at its opening"

printf 'text {{> missing.tmpl}}\n' > tpl/inc-missing.tmpl
run prompt-render tpl/inc-missing.tmpl
is "$rc:$out" "65:" "a missing include exits 65"
case $err in "prompt-render: tpl/inc-missing.tmpl:1:6: cannot open include 'missing.tmpl'"*) r=0 ;; *) r=1 ;; esac
ok $r "... naming the include's position"

printf '[{{> sub/b.tmpl}}]\n' > tpl/a.tmpl
printf 'B{{x}}' > tpl/sub/b.tmpl
run prompt-render -D x=1 tpl/a.tmpl
is "$out" "[B1]" "an include is rendered with the same variables"

printf '{{> loop2.tmpl}}\n' > tpl/loop1.tmpl
printf '{{> loop1.tmpl}}\n' > tpl/loop2.tmpl
run prompt-render tpl/loop1.tmpl
case $rc:$err in "65:prompt-render: tpl/loop2.tmpl:1:1: include loop"*) r=0 ;; *) r=1 ;; esac
ok $r "an include loop is an error naming where it closes"

printf 'shared text\n' > shared/s.tmpl
printf '{{> ../shared/s.tmpl}}\n' > tpl/escape.tmpl
run prompt-render tpl/escape.tmpl
case $rc:$out:$err in "65::"*"outside the template's directory"*) r=0 ;; *) r=1 ;; esac
ok $r "an include outside the template's directory is refused"
run prompt-render -I shared tpl/escape.tmpl
is "$rc:$out" "0:shared text" "-I allows a directory"
printf '{{> s.tmpl}}\n' > tpl/search.tmpl
run prompt-render --include-dir shared tpl/search.tmpl
is "$out" "shared text" "--include-dir is searched for includes"
run prompt-render -I nosuchdir tpl/hello.tmpl
is "$rc" 66 "-I with a missing directory exits 66"

run prompt-render nosuch.tmpl
is "$rc:$err" "66:prompt-render: nosuch.tmpl: No such file or directory" "a template that cannot be opened exits 66"

if [ -w /dev/full ]; then
	prompt-render -D phase=1 tpl/hello.tmpl > /dev/full 2>/dev/null
	is "$?" 74 "a failed write to stdout exits 74"
else
	ok 0 "# SKIP no /dev/full"
fi

# ---- options
run prompt-render -h
case $out in "usage: prompt-render [-ehjlV] "*) r=$rc ;; *) r=1 ;; esac
ok $r "-h prints the usage line and exits 0"
run prompt-render -Q
is "$rc:$out" "64:" "an unknown option exits 64"
run prompt-render -D novalue tpl/hello.tmpl
is "$rc" 64 "-D without = is a usage error"
run prompt-render -W all -l tpl/hello.tmpl
is "$rc" 64 "-W knows only error"

# ---- lint
prompt-render -t phase -D phase=5 -f phase5.vars > good.prompt
run prompt-render --lint good.prompt
is "$rc:$out" "0:" "--lint says nothing about a good prompt"

cat > bad.prompt <<'EOF'
You are implementing Phase 3 of shop: the checkout page.

## Files to Create/Modify

- shop/views/checkout.py
- shop/models.py

## Steps

1. Use Python scripts to write shop/views/checkout.py
2. Update the CLI.
3. Run `pytest` and `make lint`.
EOF
run prompt-render -l bad.prompt
is "$rc" 0 "--lint exits 0 on warnings"
echo "$out" | sed 's/: warning: .*\[/ [/' > lint.out
printf '%s\n' 'bad.prompt:3 [file-ops]' 'bad.prompt:10 [script-writes]' 'bad.prompt:11 [vague-step]' \
	'bad.prompt:12 [last-step]' 'bad.prompt:12 [many-verify]' > lint.want
cmp -s lint.out lint.want
ok $? "--lint flags each problem of a bad prompt as file:line: warning"
printf 'Just do it.\n' | prompt-render -l > lint.out
grep -q '^<stdin>:1: warning: no numbered steps' lint.out
ok $? "--lint flags a prompt with no numbered steps"

run prompt-render -l -W error bad.prompt
is "$rc:$(echo "$out" | grep -c ': error: ')" "65:5" "-W error makes them errors and exits 65"
run prompt-render -l -W error good.prompt
is "$rc:$out" "0:" "-W error on a good prompt exits 0"
out=$(prompt-render -t phase -D phase=5 -f phase5.vars | prompt-render -l -W error -); rc=$?
is "$rc:$out" "0:" "a rendered phase prompt piped into --lint is clean"
run prompt-render -l -j bad.prompt
is "$(echo "$out" | jq -r '"\(.line) \(.severity) \(.rule)"' | tr '\n' ,)" \
	"3 warning file-ops,10 warning script-writes,11 warning vague-step,12 warning last-step,12 warning many-verify," \
	"-j prints the findings as JSON lines"
run prompt-render -j tpl/hello.tmpl
is "$rc" 64 "-j without -l is a usage error"

# ---- verify: the one command of the last step
run prompt-render -V good.prompt
is "$rc:$out:$err" "0:make check 2>&1:" "-V prints the last step's command as written, 2>&1 kept"
out=$(prompt-render -t phase -D phase=5 -f phase5.vars -D verify='cargo test --all' | prompt-render --verify -)
is "$out" "cargo test --all 2>&1" "--verify reads a rendered prompt on standard input"
printf '1. Write src/a.c\n2. Run pytest -q tests/, fix errors and re-run, report\n' > words.prompt
run prompt-render -V words.prompt
is "$rc:$out" "0:pytest -q tests/" "-V takes a command named in words with its options and paths"
cat > fenced.prompt <<'EOF2'
1. Write main.go
2. Run this, fix what fails and re-run it until it passes, then report:
   ```
   $ go test ./...
   ```
EOF2
run prompt-render -V fenced.prompt
is "$rc:$out" "0:go test ./..." "-V takes a line of a fenced block in the last step, without its \$ prompt"
cat > decides.prompt <<'EOF2'
`make lint` is advisory; `make test` decides.

1. Write src/a.c
2. Run `make lint` and `make test`, fix errors and re-run, report
EOF2
run prompt-render -V decides.prompt
is "$rc:$out" "0:make test" "-V picks the command the prompt names as deciding"
printf '1. Write src/a.c\n2. Run `make check`; fix errors, run `make check 2>&1` again, report\n' > twice.prompt
run prompt-render -V twice.prompt
is "$rc:$out" "0:make check" "-V: one command written twice is one command"
printf '1. Write src/a.c\n2. Run `make lint` and `make test`, fix errors and re-run, report\n' > many.prompt
run prompt-render -V many.prompt
is "$rc:$out" "65:" "-V exits 65 and prints nothing when several commands and none decides"
is "$err" 'prompt-render: many.prompt: line 2: the last step names more than one verification command (`make lint`, `make test`) and none as deciding' \
	"... saying so in one line"
printf '1. Write src/a.c\n2. Fix errors and re-run, report\n' > none.prompt
run prompt-render -V none.prompt
is "$rc:$out:$err" "65::prompt-render: none.prompt: line 2: the last step names no verification command" \
	"-V exits 65 when the last step names no command"
run prompt-render -V tpl/hello.tmpl
is "$rc:$out" "65:" "-V exits 65 on a prompt with no numbered steps"
printf '#. Write src/a.c\n#. Run `{{verify}} 2>&1`, fix errors and re-run, report\n' > tag.tmpl
run prompt-render -V tag.tmpl
is "$rc:$err" "65:prompt-render: tag.tmpl: line 2: the verification command is a template tag; render the prompt first" \
	"-V refuses a template tag as a command"
run prompt-render -V -l good.prompt
is "$rc" 64 "-V with -l is a usage error"
