#!/bin/sh
# prefilter.sh -- the literal prefilter and lazy JIT change nothing a user can see:
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

# Patterns JIT-compiled at load, never, or once tried 8 times (the
# default, which switches mid-stream on this corpus): the same answers.
MLCOACH_JIT=0 "$MLCOACH" --json <"$TMP/q" >"$TMP/interp"
MLCOACH_JIT=1 "$MLCOACH" --json <"$TMP/q" >"$TMP/eager"
"$MLCOACH" --json <"$TMP/q" >"$TMP/lazy"
for mode in interp eager lazy; do
    expect_eq "JIT mode $mode: one answer per question" "$(wc -l <"$TMP/$mode")" \
        "$(grep -c '[^ ]' "$TMP/q")"
done
if cmp -s "$TMP/interp" "$TMP/lazy" && cmp -s "$TMP/eager" "$TMP/lazy"; then
    pass "interpreter, JIT at load and JIT when used give identical answers"
else
    fail "JIT modes differ" "$(diff "$TMP/interp" "$TMP/lazy" | head -4)"
fi

MLCOACH_PREFILTER=0 run "$MLCOACH" ask "how do I find a mentor?"
expect_rc "ask answers with the prefilter off" 0
expect_match "and gives the same advice" "$OUT" "^Look in three places"
finish
