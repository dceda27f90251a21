#!/bin/sh
# typos.sh [SEED] -- typo tolerance: put one random typo (a letter deleted,
# inserted, replaced, or two swapped) into every word of five letters or
# more of each in-scope question of questions.tsv, and print the share that
# still gets an acceptable topic, as "typos PCT (N/M)". The seed is fixed
# (default 1) so the figure is repeatable.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
MLCOACH=${MLCOACH:-$here/../../mlcoach}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

awk -F'\t' 'NR > 1 && $2 != "none" { print $2 "\t" $3 }' "$here/questions.tsv" |
    awk -F'\t' -v seed="${1:-1}" '
    BEGIN { srand(seed); abc = "abcdefghijklmnopqrstuvwxyz" }
    function letter() { return substr(abc, int(rand() * 26) + 1, 1) }
    function typo(w,    n, i, kind) {
        n = length(w); i = int(rand() * n) + 1; kind = int(rand() * 4)
        if (kind == 0) return substr(w, 1, i - 1) substr(w, i + 1)
        if (kind == 1) return substr(w, 1, i - 1) letter() substr(w, i)
        if (kind == 2) return substr(w, 1, i - 1) letter() substr(w, i + 1)
        if (i == n) i--
        return substr(w, 1, i - 1) substr(w, i + 1, 1) substr(w, i, 1) substr(w, i + 2)
    }
    {
        n = split($2, words, " "); out = ""
        for (k = 1; k <= n; k++) {
            w = words[k]
            if (w ~ /^[A-Za-z][A-Za-z]*$/ && length(w) >= 5) w = typo(w)
            out = out (k > 1 ? " " : "") w
        }
        print $1 "\t" out
    }' >"$tmp/cases"
cut -f2 "$tmp/cases" | "$MLCOACH" --json | jq -r '.topic // "-"' >"$tmp/got"
paste "$tmp/cases" "$tmp/got" | awk -F'\t' '
{ n = split($1, want, ","); ok = 0
  for (i = 1; i <= n; i++) if (want[i] == $3) ok = 1
  good += ok; all++ }
END { printf "typos %.1f (%d/%d)\n", 100 * good / all, good, all }'
