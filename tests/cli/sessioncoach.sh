#!/bin/sh
# sessioncoach.sh -- the coaching commands inside a session, as people use
# them (issue 18): /profile set changes the running session; hints name
# slash commands and one "Next:" line says what to do next; /export and
# /forget; the plan's wording.
. "$(dirname "$0")/../lib.sh"

D="$XDG_DATA_HOME/mlcoach"
NSTATEMENTS=$(grep -c '^  - id:' "$ROOT/knowledge/assessment.yml")
# One answer per statement, 1 to 5 in turn.
awk '/^    topic: / { n++; print n % 5 + 1 }' "$ROOT/knowledge/assessment.yml" >"$TMP/answers"

# ---- /profile set level=... changes the session's level ----
printf '/profile set level=senior\nhow do I find a mentor?\n/profile set level=junior\nhow do I find a mentor?\n' \
    >"$TMP/setlevel"
pipe() { f=$1; shift; run sh -c "'$MLCOACH' \"\$@\" <'$f'" sh "$@"; }
pipe "$TMP/setlevel" --json
expect_eq "after /profile set level=senior the next answer is for seniors" \
    "$(printf '%s\n' "$OUT" | sed -n 2p | jq -r .level)" senior
expect_eq "after /profile set level=junior the next is for juniors" \
    "$(printf '%s\n' "$OUT" | sed -n 4p | jq -r .level)" junior
printf '/level senior\n/profile set years=3\n/level\n' >"$TMP/keep"
pipe "$TMP/keep"
expect_match "/profile set without level= leaves the session's level" "$OUT" \
    "^Answers are tailored for seniors\.$"

# ---- /assess in a session gives what `mlcoach assess` gives ----
rm -rf "$D"
{ echo "/profile set level=senior"; echo /assess; cat "$TMP/answers"; } >"$TMP/assess"
pipe "$TMP/assess"
SESSION=$(printf '%s\n' "$OUT" | sed -n '/^Assessment of/,/^Saved to/p')
rm -rf "$D"
run "$MLCOACH" profile set level=senior
run sh -c "'$MLCOACH' assess <'$TMP/answers'"
CMD=$(printf '%s\n' "$OUT" | sed -n '/^Assessment of/,/^Saved to/p')
expect_eq "/assess after /profile set level= gives the texts 'mlcoach assess' gives" "$SESSION" "$CMD"
expect_match "(the assessment has gaps with advice)" "$CMD" "^Largest gaps"

# ---- hints name slash commands; Next: says what to do next ----
rm -rf "$D"
printf '/plan\n/progress\n/profile\n/done x\n' >"$TMP/hints"
pipe "$TMP/hints"
expect_match "/plan with no plan names /assess" "$OUT" "rate yourself with /assess, or choose"
expect_match "... and /profile set" "$(flat "$OUT")" "with /profile set focus="
expect_match "/progress with no assessment names /assess" "$OUT" "rate yourself with /assess\."
expect_match "/profile with no profile shows /profile set" "$OUT" "^  /profile set level=junior"
expect_match "/done with a bad number names /plan" "$ERR" "see /plan\)"
expect_no_match "no hint in a session names a shell command" "$OUT$ERR" "mlcoach (assess|plan|done|profile|progress)"
run "$MLCOACH" plan
expect_match "the command line still names mlcoach assess" "$OUT" "rate yourself with mlcoach assess,"

{ echo "/profile set level=junior"; echo /assess; cat "$TMP/answers"; echo "/done 1"; } >"$TMP/next"
pipe "$TMP/next"
expect_match "/profile set ends with what to do next: /assess" "$OUT" \
    "^Next: /assess rates you on $NSTATEMENTS statements"
expect_match "/assess ends with Next: /plan" "$OUT" "^Next: /plan shows your [0-9]+ steps\.$"
expect_match "/done ends with the next step" "$(flat "$OUT")" "Next: step 2 \(/done 2 when it is done\): [A-Z]"
expect_no_match "no 'Mark a step done with: mlcoach'" "$OUT" "mlcoach done"
run "$MLCOACH" done 2
expect_match "done on the command line names mlcoach done" "$OUT" "^Next: step 3 \(mlcoach done 3 when"
printf '/profile set years=2\n' >"$TMP/again"
pipe "$TMP/again"
expect_match "/profile set with a plan points at /plan" "$OUT" "^Next: /plan shows your plan"

# ---- /export and /forget in a session ----
printf '/export\n' >"$TMP/export"
pipe "$TMP/export"
expect_eq "/export prints the personal data" "$(printf '%s\n' "$OUT" | jq -r '.profile.level')" junior
printf '/help\n' >"$TMP/help"
pipe "$TMP/help"
expect_match "/help lists /export" "$OUT" "^  /export "
expect_match "/help lists /forget" "$OUT" "^  /forget "
printf '/forget\n' >"$TMP/forget"
pipe "$TMP/forget"
expect_match "a piped /forget says how to confirm" "$ERR" "say /forget --yes"
expect_eq "... and deletes nothing" "$(test -e "$D/profile.json" && echo kept)" kept
printf '/forget --yes\nhow do I find a mentor?\n' >"$TMP/forget"
pipe "$TMP/forget" --json
expect_eq "/forget --yes deletes the files" "$(test -e "$D/profile.json" && echo kept)" ""
expect_eq "the profile's level goes with it" "$(printf '%s\n' "$OUT" | tail -n 1 | jq -r .level)" any

# ---- the plan's wording ----
rm -rf "$D"
run "$MLCOACH" profile set level=senior focus=leadership
run "$MLCOACH" plan
expect_match "a senior's plan goes beyond senior" "$OUT" "^Your plan beyond senior \(toward lead"
expect_no_match "never 'toward beyond senior'" "$OUT" "toward beyond"

finish
