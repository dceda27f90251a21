#!/bin/sh
# input.sh -- standard input as scripts really give it: read errors, a
# non-blocking descriptor, lines over the limit (in answers to assess as
# well as questions), and line numbers that count every line read.
. "$(dirname "$0")/../lib.sh"

FAULT=$BUILD_DIR/libfault.so

# ---- a read error is reported, not taken for the end of the input ----
run sh -c "'$MLCOACH' --json < /tmp"
expect_rc "standard input that cannot be read (a directory): exit 74" 74
expect_eq "... says why" "$ERR" "mlcoach: cannot read standard input: Is a directory"
expect_eq "... and writes nothing" "$OUT" ""

# ---- a non-blocking standard input is waited on, not dropped ----
run sh -c "(echo 'how do I find a mentor?'; sleep 0.3; echo 'should I specialise?') |
    LD_PRELOAD='$FAULT' FAULT_NONBLOCK_STDIN=1 '$MLCOACH' --json"
expect_rc "non-blocking standard input: exit 0" 0
expect_eq "... every question that arrives later is answered" \
    "$(printf '%s\n' "$OUT" | jq -r .question)" \
    "$(printf 'how do I find a mentor?\nshould I specialise?')"
finish
