#!/bin/sh
# run.sh UNIT_TEST... -- run the given cmocka unit-test binaries, then every
# tests/cli/*.sh script, and print one summary line "N passed, N failed".
# Exits non-zero if anything failed.
here=$(cd "$(dirname "$0")" && pwd)
RESULTS=$(mktemp)
export RESULTS
status=0

for t in "$@"; do
    out=$("$t" 2>&1)
    rc=$?
    printf '%s\n' "$out"
    # cmocka prints "[  PASSED  ] N test(s)." and "[  FAILED  ] N test(s)..."
    p=$(printf '%s\n' "$out" | sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' | tail -n 1)
    f=$(printf '%s\n' "$out" | sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p' | tail -n 1)
    [ "$rc" -eq 0 ] || { status=1; [ -n "$f" ] || f=1; }
    echo "${p:-0} ${f:-0}" >>"$RESULTS"
done
for s in "$here"/cli/*.sh; do
    sh "$s" || status=1
done
awk '{p += $1; f += $2} END {printf "%d passed, %d failed\n", p, f}' "$RESULTS"
rm -f "$RESULTS"
exit $status
