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
# Redirect stdin around vg itself: under `sh -c "exec ..."` valgrind would
# check sh and not follow the exec into mlcoach.
vg "$MLCOACH" --json <"$TMP/questions"
expect_rc "valgrind: a piped JSON session is clean" 0
vg "$MLCOACH" --level senior <"$TMP/questions"
expect_rc "valgrind: a piped text session is clean" 0
printf 'how do I find a mentor?\n/more\nwhat about seniors?\nwhy?\n/sources\n/level junior\nhow do I cook pasta\n2\n/topic mentorship\n1\n/topic nope\n/hepl\n/help\n/topics\n/history\n/clear\n/quit\n' \
    >"$TMP/session"
vg "$MLCOACH" --json <"$TMP/session"
expect_rc "valgrind: a piped JSON session with commands and follow-ups is clean" 0
vg "$MLCOACH" <"$TMP/session"
expect_rc "valgrind: the same session as text is clean" 0
vg "$MLCOACH" check
expect_rc "valgrind: check is clean" 0

# A refused 9000-byte line between two questions; check with a pattern it
# warns about (the lint pass compiles and runs patterns of its own).
{ printf 'how do I find a mentor?\n'; head -c 9000 /dev/zero | tr '\0' 'a'
  printf '\nwhat about seniors\n'; } >"$TMP/long"
vg "$MLCOACH" --json <"$TMP/long"
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

# Personal coaching: a save, a piped assessment (which also writes the
# plan), the plan, done, progress, export, and a damaged profile.
vg "$MLCOACH" profile set level=junior focus=mentorship "goals=grow"
expect_rc "valgrind: profile set is clean" 0
grep '^    topic: ' "$ROOT/knowledge/assessment.yml" | sed 's/.*/2/' >"$TMP/answers"
vg "$MLCOACH" --json assess <"$TMP/answers"
expect_rc "valgrind: assess is clean" 0
vg "$MLCOACH" done 1
expect_rc "valgrind: done is clean" 0
vg "$MLCOACH" plan --json
expect_rc "valgrind: plan is clean" 0
vg "$MLCOACH" progress
expect_rc "valgrind: progress is clean" 0
printf 'garbage{' >"$XDG_DATA_HOME/mlcoach/profile.json"
vg "$MLCOACH" export
expect_rc "valgrind: export with a damaged profile is clean (exit 65)" 65
finish
