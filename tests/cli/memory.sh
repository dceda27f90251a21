#!/bin/sh
# memory.sh -- valgrind memcheck on a piped session, on `check`, and on
# broken knowledge: no errors, nothing definitely or indirectly lost.
# JIT is off because valgrind cannot follow JIT-generated code.
. "$(dirname "$0")/../lib.sh"

# valgrind cannot run a binary built with AddressSanitizer (make sanitize):
# there the sanitizers do this job, on every test.
if [ "$SANITIZED" = 1 ]; then
    skip "valgrind memcheck" "the binary is built with the sanitizers"
    finish
    exit
fi

export MLCOACH_JIT=0
vg() {
    run valgrind --leak-check=full --errors-for-leak-kinds=definite,indirect \
        --error-exitcode=99 -q "$@"
}

printf 'how do I find a mentor?\nhow do I cook pasta\n\377\376 not utf-8\n\nwhat about seniors\n' \
    >"$TMP/questions"
vg sh -c "exec '$MLCOACH' --json < '$TMP/questions'"
expect_rc "valgrind: a piped JSON session is clean" 0
vg sh -c "exec '$MLCOACH' --level senior < '$TMP/questions'"
expect_rc "valgrind: a piped text session is clean" 0
vg "$MLCOACH" check
expect_rc "valgrind: check is clean" 0

# A refused 9000-byte line between two questions; check with a pattern it
# warns about (the lint pass compiles and runs patterns of its own).
{ printf 'how do I find a mentor?\n'; head -c 9000 /dev/zero | tr '\0' 'a'
  printf '\nwhat about seniors\n'; } >"$TMP/long"
vg sh -c "exec '$MLCOACH' --json < '$TMP/long'"
expect_rc "valgrind: a refused long line is clean (exit 65, no errors)" 65
cp -r "$FIXTURE_KB" "$TMP/redos"
sed -i "s/^      - '^mentors?\$'$/&\n      - '(a+)+\$'\n      - '(a|aa)+\$'/" "$TMP/redos/mentorship.yml"
vg "$MLCOACH" check --kb "$TMP/redos"
expect_rc "valgrind: check with warnings is clean" 0
expect_match "... and it did warn twice" "$OUT" "; 2 warnings above$"

cp -r "$FIXTURE_KB" "$TMP/bad"
printf '  - id: [x\n' >>"$TMP/bad/learning.yml"
printf '    related: [nope]\n' >>"$TMP/bad/mentorship.yml"
vg "$MLCOACH" check --kb "$TMP/bad"
expect_rc "valgrind: broken knowledge is clean (exit 65, no errors)" 65
finish
