#!/bin/sh
# build.sh — rebuilds the demo recordings from the real Claude Code captures
# in tests/fixtures: a run cut off during a long Bash call, and the resume
# that continues it, spliced so that both carry one session id and one cwd.
# usage: sh contrib/replay/build.sh   (from the top of the source tree)
set -eu
fx=tests/fixtures/claude
out=contrib/replay
sid=7df02eb4-513b-4551-9950-a612932a2017
cwd=/home/dev/agents/claude/w-stream-json-cutoff-sigterm
# Every session id and working directory of the spliced captures becomes
# the cut-off run's, as if one session had produced all the lines.
unify() {
	sed -e "s/2814a59a-40b5-4327-a10e-e34986560113/$sid/g" \
	    -e "s/11111111-2222-4333-8444-555555555555/$sid/g" \
	    -e "s|/home/dev/agents/claude/w-happy|$cwd|g" \
	    -e "s|/home/dev/agents/claude/w-sid|$cwd|g"
}
{
	sed -n 1p $fx/stream-json-cutoff-sigterm.log     # init
	sed -n 2,4p $fx/stream-json-happy.log | unify     # text, Read, its result
	sed -n 2,3p $fx/stream-json-cutoff-sigterm.log   # text, Bash sleep 60 (killed)
} > $out/claude-cutoff.log
{
	sed -n 1p $fx/stream-json-resume.log | unify      # init of the resumed session
	sed -n 5,10p $fx/stream-json-happy.log | unify    # Bash, Write, "Done.", result
} > $out/claude-cutoff.resume.log
# How each recording ended (agent-replay exits the same way).
printf '# log\tagent\texit\texpected-state\tsession-id\n' > $out/MANIFEST.tsv
printf 'claude-cutoff.log\tclaude\t143\tcut-off\t%s\n' $sid >> $out/MANIFEST.tsv
printf 'claude-cutoff.resume.log\tclaude\t0\tcompleted\t%s\n' $sid >> $out/MANIFEST.tsv
# make demo's pipeline: a usage limit (a 429 without a reset time), as is.
cp $fx/stream-json-err429-noretry.log $out/claude-limit.log
printf 'claude-limit.log\tclaude\t1\tlimited\t4ece4ab7-4bbf-4bda-92fa-015b03e356cd\n' >> $out/MANIFEST.tsv
