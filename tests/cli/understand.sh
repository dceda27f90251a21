#!/bin/sh
# understand.sh -- issue 4 from the outside: typo correction, concepts,
# BM25 without a pattern, out-of-scope questions, compound questions,
# --explain in text and JSON, and the typo-tolerance figure.
. "$(dirname "$0")/../lib.sh"

# ---- typos are corrected, and the correction is shown ----
run "$MLCOACH" --explain ask "hw do i get promotd"
expect_rc "a misspelled question is answered" 0
expect_match "it gets promotion advice" "$OUT" "^Topic: progression"
expect_match "--explain shows the normalised text" "$OUT" "^Normalised: how do i get promoted$"
expect_match "--explain shows the correction" "$OUT" "^Corrections: promotd -> promoted$"
expect_match "--explain shows the pattern that fired" "$OUT" "^  1\. progression\.[a-z-]* [0-9.]*, pattern [0-9]*: "
expect_match "--explain shows the terms" "$OUT" "^Terms \(share of the question, share matched\): "

# ---- a concept in a pattern (~course holds "nanodegree") ----
run "$MLCOACH" --json --explain ask "is it worth paying for a nanodegree"
expect_eq "a concept word reaches its entry" "$(jqf "$OUT" .intent)" "learning.online-courses"
expect_match "the pattern that fired is shown as written, with the concept" \
    "$(jqf "$OUT" '.explain.candidates[0].pattern')" "~course"

# ---- BM25 answers what no pattern anticipated, and says so ----
run "$MLCOACH" --json --explain ask "which libraries should I get really good at for deep learning work"
expect_eq "BM25 finds the frameworks entry" "$(jqf "$OUT" .intent)" "technical-skills.frameworks"
expect_eq "no pattern fired for the answer" \
    "$(jqf "$OUT" '.explain.candidates[0] | [.intent, has("pattern"), .pattern] | map(tostring) | join(" ")')" \
    "technical-skills.frameworks true null"
expect_match "its terms are listed" "$(jqf "$OUT" '[.explain.terms[].term] | join(",")')" "librari"

# ---- out of scope, even when a word is shared with the knowledge ----
for q in "how do I cook up a good pasta sauce" "is bitcoin a good investment" \
         "recommend a good netflix series"; do
    run "$MLCOACH" --json --explain ask "$q"
    expect_eq "out of scope: $q" "$(jqf "$OUT" .answered)" "false"
done
run "$MLCOACH" --json --explain ask "is gold a good investment"
expect_eq "explain says it is out of scope" "$(jqf "$OUT" .explain.in_scope)" "false"
expect_eq "still three suggestions" "$(jqf "$OUT" '.suggestions | length')" "3"

# ---- everyday life is declined, unless the question is about ML work ----
run "$MLCOACH" --json ask "who won the champions league last night"
expect_eq "a sports question is declined as everyday life" "$(jqf "$OUT" .declined)" \
    "out-of-scope.everyday"
run "$MLCOACH" --json ask "should I build an ML model of football results for my portfolio"
expect_eq "an ML project about football is answered" "$(jqf "$OUT" '[.answered, .declined] | tostring')" \
    "[true,null]"

# ---- compound questions: both parts, in order ----
run "$MLCOACH" --json ask "how do I find a mentor and should I learn pytorch?"
expect_eq "two parts" "$(jqf "$OUT" '.parts | length')" "2"
expect_eq "first part: mentorship" "$(jqf "$OUT" '.parts[0].topic')" "mentorship"
expect_eq "second part: technical skills" "$(jqf "$OUT" '.parts[1].topic')" "technical-skills"
expect_eq "parts keep their words" "$(jqf "$OUT" '.parts[1].question')" "should I learn pytorch"
expect_eq "each part cites its sources" "$(jqf "$OUT" '[.parts[].sources | length > 0] | all')" "true"
run "$MLCOACH" ask "how do I find a mentor and should I learn pytorch?"
expect_match "text shows the first part's heading" "$OUT" "^» how do I find a mentor$"
expect_match "text shows the second part's heading" "$OUT" "^» should I learn pytorch$"
run "$MLCOACH" --json ask "how do I find a mentor?"
expect_eq "one question has no parts" "$(jqf "$OUT" '.parts | length')" "0"

# ---- the explain key only when asked ----
run "$MLCOACH" --json ask "how do I find a mentor?"
expect_eq "no explain key without --explain" "$(jqf "$OUT" 'has("explain")')" "false"

# ---- typo tolerance (fixed seed): the figure goes in the note ----
run sh "$TESTS_DIR/eval/typos.sh" 1
expect_rc "the typo run works" 0
expect_match "it prints a figure" "$OUT" "^typos [0-9.]* \([0-9]*/[0-9]*\)$"
got=$(printf '%s\n' "$OUT" | awk '{print $2}')
ok=$(awk -v a="$got" 'BEGIN { print (a >= 91.1) ? 1 : 0 }')
[ "$ok" = 1 ] && pass "typo tolerance $got% >= the floor 91.1%" ||
    fail "typo tolerance $got% fell below the floor 91.1%"
finish
