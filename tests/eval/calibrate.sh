#!/bin/sh
# calibrate.sh -- fit the curve that turns BM25 evidence into a confidence
# (MATCH_BM25_BIAS, _SLOPE and _LEAD in include/match.h).
#
# It ranks the tune half of questions.tsv and every question of
# calibration.tsv by BM25 alone (MLCOACH_PATTERNS=0), takes for each the top
# entry's coverage and its lead over the runner-up's coverage, and fits a logistic regression (Newton's method) of "the top entry
# has an acceptable topic" on the two. The held half is never read.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
MLCOACH=${MLCOACH:-$here/../../mlcoach}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

{ awk -F'\t' '$1 == "tune" { print $2 "\t" $3 }' "$here/questions.tsv"
  tail -n +2 "$here/calibration.tsv"; } >"$tmp/cases"
cut -f2 "$tmp/cases" | MLCOACH_PATTERNS=0 "$MLCOACH" --json --explain |
    jq -r '.explain.candidates as $c | [($c[0].intent // "-"), ($c[0].coverage // 0),
           ([($c[0].coverage // 0) - (if ($c | length) > 1 then $c[1].coverage else 0 end), 0]
            | max),
           .explain.in_scope] | @tsv' >"$tmp/got"
paste "$tmp/cases" "$tmp/got" | awk -F'\t' '
$6 == "true" {
    split($3, id, "."); ok = 0
    n = split($1, want, ",")
    for (i = 1; i <= n; i++) if (want[i] == id[1]) ok = 1
    N++; y[N] = ok; x1[N] = $4; x2[N] = $5
}
END {
    b0 = b1 = b2 = 0
    for (it = 0; it < 50; it++) {
        for (i = 0; i < 3; i++) { g[i] = 0; for (j = 0; j < 3; j++) H[i, j] = 0 }
        for (k = 1; k <= N; k++) {
            p = 1 / (1 + exp(-(b0 + b1 * x1[k] + b2 * x2[k])))
            v[0] = 1; v[1] = x1[k]; v[2] = x2[k]
            for (i = 0; i < 3; i++) {
                g[i] += (p - y[k]) * v[i]
                for (j = 0; j < 3; j++) H[i, j] += p * (1 - p) * v[i] * v[j]
            }
        }
        for (i = 0; i < 3; i++) { H[i, i] += 1e-6; A[i, 3] = g[i]; for (j = 0; j < 3; j++) A[i, j] = H[i, j] }
        for (i = 0; i < 3; i++) {
            piv = A[i, i]
            for (j = 0; j < 4; j++) A[i, j] /= piv
            for (r = 0; r < 3; r++) if (r != i) { f = A[r, i]; for (j = 0; j < 4; j++) A[r, j] -= f * A[i, j] }
        }
        b0 -= A[0, 3]; b1 -= A[1, 3]; b2 -= A[2, 3]
    }
    printf "questions in scope: %d\n", N
    printf "#define MATCH_BM25_BIAS (%.2f)\n#define MATCH_BM25_SLOPE %.2f\n#define MATCH_BM25_LEAD %.2f\n", b0, b1, b2
}'
