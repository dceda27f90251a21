#!/bin/sh
# harden.sh -- the hardening the Makefile asks for is really in the binary
# (PIE, full RELRO, stack protector, FORTIFY_SOURCE), and the source never
# runs a shell: no system() or popen().
. "$(dirname "$0")/../lib.sh"

run readelf -h "$MLCOACH"
expect_match "a position-independent executable (ELF type DYN)" "$OUT" "Type: +DYN "
run readelf -d "$MLCOACH"
expect_match "relocations bound at start-up (-z now)" "$OUT" "\(FLAGS\) +BIND_NOW|Flags: .*NOW"
run readelf -lW "$MLCOACH"
expect_match "relocations made read-only after start-up (-z relro)" "$OUT" "GNU_RELRO"
run nm -D --undefined-only "$MLCOACH"
expect_match "stack protector (-fstack-protector-strong)" "$OUT" " __stack_chk_fail"
# The sanitizer build turns FORTIFY_SOURCE off: its checked libc calls
# would hide memory accesses from AddressSanitizer.
if [ "$SANITIZED" = 1 ]; then
    skip "checked libc calls (-D_FORTIFY_SOURCE=2)" "off in the sanitizer build"
    # ... and make sanitize must really be testing an instrumented binary.
    syms=$(nm "$MLCOACH")
    expect_match "the binary under test is built with ASan" "$syms" " __asan_report_load"
    expect_match "the binary under test is built with UBSan" "$syms" " __ubsan_handle_"
else
    expect_match "checked libc calls (-D_FORTIFY_SOURCE=2)" "$OUT" " __[a-z]+_chk(@|$)"
fi
expect_no_match "the binary imports no system() or popen()" "$OUT" " (system|popen)(@|$)"

hits=$(grep -nE '(^|[^a-z_])(system|popen)[[:space:]]*\(' "$ROOT"/src/*.c "$ROOT"/src/*.h \
    "$ROOT"/include/*.h 2>/dev/null)
expect_eq "no system() or popen() in src/ or include/" "$hits" ""
finish
