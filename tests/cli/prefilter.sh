#!/bin/sh
# prefilter.sh -- the literal prefilter changes nothing a user can see:
# `--json` output with it on and off (MLCOACH_PREFILTER=0) is the same,
# byte for byte, for every eval question, every knowledge example and odd
# input, at every level.
. "$(dirname "$0")/../lib.sh"

tail -n +2 "$ROOT/tests/eval/questions.tsv" | cut -f3 >"$TMP/q"
sed -n "s/^      - \([^'].*\)/\1/p" "$ROOT"/knowledge/*.yml >>"$TMP/q"
printf '?!?...\n\377\376 mentor \303\n   \nHOW DO I FIND A MENTOR???\nment\303\263r\n' >>"$TMP/q"
awk 'BEGIN { for (i = 0; i < 50; i++) printf "how do i find a mentor and become senior "; print "" }' \
    >>"$TMP/q"
expect_match "the corpus holds the eval questions and the examples" "$(wc -l <"$TMP/q")" \
    '^ *[0-9]{3,}$'

for level in any junior senior; do
    "$MLCOACH" --json --level "$level" <"$TMP/q" >"$TMP/on"
    MLCOACH_PREFILTER=0 "$MLCOACH" --json --level "$level" <"$TMP/q" >"$TMP/off"
    expect_eq "level $level: one answer per question" "$(wc -l <"$TMP/on")" \
        "$(grep -c '[^ ]' "$TMP/q")"
    if cmp -s "$TMP/on" "$TMP/off"; then
        pass "level $level: prefiltered and exhaustive answers are identical"
    else
        fail "level $level: prefiltered and exhaustive answers differ" \
            "$(diff "$TMP/on" "$TMP/off" | head -4)"
    fi
done

MLCOACH_PREFILTER=0 run "$MLCOACH" ask "how do I find a mentor?"
expect_rc "ask answers with the prefilter off" 0
expect_match "and gives the same advice" "$OUT" "^Look in three places"
finish
