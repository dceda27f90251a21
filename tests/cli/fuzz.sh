#!/bin/sh
# fuzz.sh -- replay every fuzz target's seed corpus and every input that
# once crashed it (tests/fuzz/regressions/TARGET/) through the target's own
# entry point, built without libFuzzer as BUILD_DIR/replay_NAME. Each must
# run to the end: no crash, no abort from the target's own checks.
. "$(dirname "$0")/../lib.sh"

for src in "$TESTS_DIR"/fuzz/fuzz_*.c; do
    t=$(basename "$src" .c)
    replay=$BUILD_DIR/replay_${t#fuzz_}
    if [ ! -x "$replay" ]; then
        fail "$t: replay program built" "no $replay (add $t to FUZZ_TARGETS)"
        continue
    fi
    for kind in corpus regressions; do
        n=0 bad=""
        for f in "$TESTS_DIR/fuzz/$kind/$t"/*; do
            [ -f "$f" ] || continue
            n=$((n + 1))
            run "$replay" "$f"
            [ "$RC" -eq 0 ] || bad="$bad $(basename "$f") (exit $RC)"
        done
        if [ -n "$bad" ]; then
            fail "$t: $kind inputs replay cleanly" "failed:$bad"
        elif [ "$kind" = corpus ] && [ "$n" -eq 0 ]; then
            fail "$t: has a seed corpus" "tests/fuzz/corpus/$t is empty"
        else
            pass "$t: $n $kind inputs replay cleanly"
        fi
    done
done
finish
