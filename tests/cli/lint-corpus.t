# lint-corpus.t — prompt-render -l on a corpus of phase prompts written in
# many styles and ecosystems (tests/lint/corpus): each prompt gets exactly
# the rules tests/lint/labels gives it; recall and precision per rule are
# printed as TAP comments.
. ./lib.sh
C=$(cd ../lint && pwd)
n=$(grep -cv '^#' "$C/labels")
plan $((n + 1))

rules="no-steps last-step file-ops script-writes vague-step many-verify"
: > "$T/tally"
grep -v '^#' "$C/labels" | while IFS='	' read -r name want; do
	[ "$want" = - ] && want=
	want=$(printf '%s\n' $want | sed '/^$/d' | sort -u | tr '\n' ' ')
	got=$(prompt-render -l "$C/corpus/$name" | sed -n 's/.*\[\([a-z-]*\)\]$/\1/p' | sort -u | tr '\n' ' ')
	for r in $rules; do
		w=0 g=0
		case " $want" in *" $r "*) w=1 ;; esac
		case " $got" in *" $r "*) g=1 ;; esac
		echo "$r $w $g" >> "$T/tally"
	done
	is "${got% }" "${want% }" "$name: ${want:-clean}"
done
printf '# %-14s %3s %3s %3s %7s %9s\n' rule tp fp fn recall precision
for r in $rules; do
	awk -v r="$r" '$1 == r { tp += $2 && $3; fp += !$2 && $3; fn += $2 && !$3 }
		END { printf "# %-14s %3d %3d %3d %7s %9s\n", r, tp, fp, fn,
			tp + fn ? sprintf("%.2f", tp / (tp + fn)) : "-",
			tp + fp ? sprintf("%.2f", tp / (tp + fp)) : "-" }' "$T/tally"
done
ls "$C/corpus" | sort > "$T/files"
grep -v '^#' "$C/labels" | cut -f1 | sort | cmp -s - "$T/files"
ok $? "every prompt of the corpus is labelled, and every label has its prompt"
