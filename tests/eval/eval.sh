#!/bin/sh
# eval.sh [--summary | --held-misses] -- measure mlcoach on
# tests/eval/questions.tsv.
#
# Each line is "split<TAB>topics<TAB>question": split is tune or held;
# topics is one or more acceptable topics (comma-separated), or "none" for a
# question that must get no answer. For each half it prints the in-scope
# top-1 topic accuracy and the out-of-scope rejection rate, then every miss
# of the tune half with what was chosen instead. Tune patterns against the
# tune half only: the held half is for measuring, so its misses are counted
# but not shown, lest they be read while writing patterns.
# --summary prints only "SPLIT IN_SCOPE_PCT OOS_PCT" lines (for the tests).
# --held-misses shows the held half's misses too (an audit, not for tuning).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
MLCOACH=${MLCOACH:-$here/../../mlcoach}
tsv=$here/questions.tsv
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

tail -n +2 "$tsv" >"$tmp/cases"
cut -f3 "$tmp/cases" | "$MLCOACH" --json |
    jq -r '[(if .answered then "yes" else "no" end), (.topic // "-"), (.intent // "-")] | @tsv' \
        >"$tmp/got"
if [ "$(wc -l <"$tmp/cases")" -ne "$(wc -l <"$tmp/got")" ]; then
    echo "eval: $(wc -l <"$tmp/got") answers for $(wc -l <"$tmp/cases") questions" >&2
    exit 1
fi
paste "$tmp/cases" "$tmp/got" | awk -F'\t' -v summary="${1:-}" '
{
    split_ = $1; want = $2; q = $3; answered = $4; topic = $5; intent = $6
    if (want == "none") {
        oos[split_]++
        if (answered == "no") rejected[split_]++
        else miss[split_] = miss[split_] sprintf("  out of scope, answered %s: %s\n", intent, q)
    } else {
        ins[split_]++
        ok = 0
        n = split(want, topics, ",")
        for (i = 1; i <= n; i++) if (answered == "yes" && topics[i] == topic) ok = 1
        if (ok) correct[split_]++
        else miss[split_] = miss[split_] sprintf("  want %s, got %s: %s\n", want,
                                                 answered == "yes" ? intent : "no answer", q)
    }
}
function pct(a, b) { return b ? 100 * a / b : 0 }
END {
    for (k = 1; k <= 2; k++) {
        s = k == 1 ? "tune" : "held"
        if (summary == "--summary") {
            printf "%s %.1f %.1f\n", s, pct(correct[s], ins[s]), pct(rejected[s], oos[s])
            continue
        }
        printf "%s half: in-scope top-1 topic accuracy %.1f%% (%d/%d), out-of-scope rejection %.1f%% (%d/%d)\n",
            s, pct(correct[s], ins[s]), correct[s], ins[s], pct(rejected[s], oos[s]), rejected[s], oos[s]
    }
    if (summary == "--summary") exit 0
    printf "\nmisses, tune half:\n%s", miss["tune"] == "" ? "  none\n" : miss["tune"]
    if (summary == "--held-misses")
        printf "\nmisses, held half:\n%s", miss["held"] == "" ? "  none\n" : miss["held"]
    else
        printf "\nmisses, held half: %d, not shown (eval.sh --held-misses shows them)\n",
            ins["held"] - correct["held"] + oos["held"] - rejected["held"]
}'
