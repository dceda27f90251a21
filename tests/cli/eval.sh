#!/bin/sh
# eval.sh -- regression floors on the evaluation set: accuracy on each half
# must not fall below what has been reached. Raise the floors whenever
# `make eval` shows a lasting improvement; never lower them to pass.
. "$(dirname "$0")/../lib.sh"

# split  in-scope%  out-of-scope-rejection%
FLOORS="tune 100.0 100.0
held 92.4 95.7"

run sh "$TESTS_DIR/eval/eval.sh" --summary
expect_rc "the evaluation runs" 0
echo "$FLOORS" | while read -r split in_floor oos_floor; do
    line=$(printf '%s\n' "$OUT" | grep "^$split ")
    set -- $line
    echo "$2 $in_floor $3 $oos_floor" >"$TMP/$split"
done
for split in tune held; do
    read -r got_in floor_in got_oos floor_oos <"$TMP/$split"
    ok=$(awk -v a="$got_in" -v b="$floor_in" 'BEGIN { print (a >= b) ? 1 : 0 }')
    [ "$ok" = 1 ] && pass "$split in-scope accuracy $got_in% >= $floor_in%" ||
        fail "$split in-scope accuracy $got_in% fell below the floor $floor_in%"
    ok=$(awk -v a="$got_oos" -v b="$floor_oos" 'BEGIN { print (a >= b) ? 1 : 0 }')
    [ "$ok" = 1 ] && pass "$split out-of-scope rejection $got_oos% >= $floor_oos%" ||
        fail "$split out-of-scope rejection $got_oos% fell below the floor $floor_oos%"
done
finish
