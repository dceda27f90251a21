#!/bin/sh
# memory.sh -- valgrind memcheck on a piped session, on `check`, on broken
# knowledge, and on the coaching commands (alone, in piped sessions, with
# no HOME and over unusable personal files): no errors, nothing definitely
# or indirectly lost.
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

# The coaching commands inside a piped session, as JSON and as text: the
# profile set and shown, an assessment read from the session's own lines,
# the plan, done (new, again, out of range), progress and a question, in a
# fresh data directory each time; then the same with no HOME at all, where
# every command fails and JSON gives error objects instead.
printf '%s\n' '/profile set level=junior focus=mentorship "goals=lead a team"' /assess 2 3 '' 1 q \
    /plan '/done 1' '/done 1' '/done 99' /progress /profile 'how do I find a mentor?' \
    '/profile set level=nope' /quit >"$TMP/coaching"
for mode in --json --color=never; do
    rm -rf "$XDG_DATA_HOME/mlcoach"
    vg "$MLCOACH" $mode <"$TMP/coaching"
    expect_rc "valgrind: a piped $mode session with the coaching commands is clean" 0
done
expect_match "... and it did save, plan and mark a step done" "$(flat "$OUT")" \
    "Step 1 done on .* Step 1 was already done on "
vg env -u HOME -u XDG_DATA_HOME -u XDG_STATE_HOME "$MLCOACH" --json <"$TMP/coaching"
expect_rc "valgrind: the same session with no HOME is clean" 0
# (/assess fails at once, so its answers are read as picks from a list.)
expect_eq "... and every coaching command gave an error object" \
    "$(printf '%s\n' "$OUT" | jq -r 'select(.error) | .command' | tr '\n' ' ')" \
    "profile assess pick pick pick plan done done done progress profile profile "
# Personal files that cannot be used: a link, a FIFO, half-written JSON.
rm -rf "$XDG_DATA_HOME/mlcoach" && mkdir -p "$XDG_DATA_HOME/mlcoach"
ln -s "$TMP/coaching" "$XDG_DATA_HOME/mlcoach/profile.json"
mkfifo "$XDG_DATA_HOME/mlcoach/plan.json"
printf '{"version": 1, "assessments": [{"date": "2026-' >"$XDG_DATA_HOME/mlcoach/assessments.json"
vg "$MLCOACH" --json <"$TMP/coaching"
expect_rc "valgrind: a session over unusable personal files is clean" 0
expect_eq "... each of them was refused" \
    "$(printf '%s\n' "$ERR" | sed -n 's|^mlcoach: .*/mlcoach/\([a-z]*\.json\): .*|\1|p' | sort -u | tr '\n' ' ')" \
    "assessments.json plan.json profile.json "
finish
