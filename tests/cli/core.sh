#!/bin/sh
# core.sh -- the command line: ask, pipe, JSON, levels, check, topics,
# help, and every exit code.
. "$(dirname "$0")/../lib.sh"

# ---- ask, with the built-in knowledge, from another directory ----
cd "$TMP"
run "$MLCOACH" ask "how do I find a mentor?"
expect_rc "ask answers with exit 0" 0
expect_match "ask gives mentorship advice" "$OUT" "[Mm]entor"
expect_match "ask cites the document and section" "$(flat "$OUT")" \
    "Sources: Climbing the ML Ladder: From Junior to Senior Developer — The Role of Mentorship"
expect_match "ask names the topic" "$OUT" "^Topic: mentorship"
expect_eq "ask writes nothing to stderr" "$ERR" ""

run "$MLCOACH" ask how do I knit a scarf
expect_rc "ask with no confident answer exits 1" 1
expect_match "unanswered says so plainly" "$OUT" "^I don't have advice on that"
expect_match "unanswered offers numbered suggestions" "$OUT" "^  3\. "

# ---- pipe mode: one answer per non-empty line, in order ----
printf 'how do I find a mentor?\n\n   \nhow do I knit a scarf\n' >"$TMP/q2"
run sh -c "'$MLCOACH' --json < '$TMP/q2'"
expect_rc "pipe mode exits 0" 0
expect_eq "pipe --json prints one line per question" "$(printf '%s\n' "$OUT" | wc -l)" 2
L1=$(printf '%s\n' "$OUT" | sed -n 1p)
L2=$(printf '%s\n' "$OUT" | sed -n 2p)
expect_eq "json keys, in order" "$(jqf "$L1" 'keys_unsorted | join(",")')" \
    "question,answered,intent,topic,level,confidence,answer,sources,related,see_also,declined,suggestions,parts"
expect_eq "json question" "$(jqf "$L1" .question)" "how do I find a mentor?"
expect_eq "json answered" "$(jqf "$L1" .answered)" "true"
expect_eq "json intent is a mentorship entry" "$(jqf "$L1" '.intent | startswith("mentorship.")')" "true"
expect_eq "json topic" "$(jqf "$L1" .topic)" "mentorship"
expect_eq "json level" "$(jqf "$L1" .level)" "any"
expect_eq "json confidence in (0.5, 1]" "$(jqf "$L1" '.confidence > 0.5 and .confidence <= 1')" "true"
expect_eq "json answer is text" "$(jqf "$L1" '.answer | length > 100')" "true"
expect_eq "json sources have doc, title, section" \
    "$(jqf "$L1" '.sources[0] | [.doc, .title, .section] | join("|")')" \
    "ladder|Climbing the ML Ladder: From Junior to Senior Developer|The Role of Mentorship"
expect_eq "json related are entry ids" \
    "$(jqf "$L1" '(.related | length > 0) and (.related | all(test("^[a-z-]+\\.")))')" "true"
expect_eq "json no suggestions when answered" "$(jqf "$L1" '.suggestions | length')" "0"
expect_eq "json unanswered" "$(jqf "$L2" '[.answered, .intent, .topic] | tostring')" "[false,null,null]"
expect_eq "json unanswered has suggestions" "$(jqf "$L2" '.suggestions | length')" "3"
expect_eq "json unanswered confidence below threshold" "$(jqf "$L2" '.confidence < 0.5')" "true"

printf 'how do I find a mentor?\nhow do I knit a scarf\n' >"$TMP/q2"
run sh -c "'$MLCOACH' < '$TMP/q2'"
expect_match "pipe text answers the first question" "$(flat "$OUT")" "Sources: .* Mentorship"
expect_match "pipe text says it cannot answer the second" "$OUT" "I don't have advice on that"
expect_no_match "pipe text has no prompt" "$OUT" "mlcoach>"
expect_no_match "pipe text has no colour" "$OUT" "$(printf '\033')"

# ---- levels (fixture: mentorship.become has junior and senior variants) ----
run "$MLCOACH" --kb "$FIXTURE_KB" --level senior ask how can I become a mentor
expect_match "--level senior picks the senior variant" "$OUT" "^Guide the juniors on your team\."
run "$MLCOACH" --kb "$FIXTURE_KB" --level junior --json ask how can I become a mentor
expect_eq "--level junior picks the junior variant" "$(jqf "$OUT" .answer)" "Learn first, then teach."
expect_eq "--level is reported in json" "$(jqf "$OUT" .level)" "junior"
run "$MLCOACH" --kb "$FIXTURE_KB" ask how can I become a mentor
expect_match "no --level gives the general answer" "$OUT" "^Pass it forward\."
run "$MLCOACH" --level expert ask hi
expect_rc "an unknown level is a usage error" 64
expect_match "an unknown level says which" "$ERR" "invalid level 'expert'"

# ---- --kb and MLCOACH_KB ----
run env MLCOACH_KB="$FIXTURE_KB" "$MLCOACH" topics
expect_match "MLCOACH_KB selects the knowledge" "$OUT" "^mentorship +2 "
run env MLCOACH_KB=/nonexistent "$MLCOACH" --kb "$FIXTURE_KB" topics
expect_rc "--kb wins over MLCOACH_KB" 0
run "$MLCOACH" --kb "$TMP/nowhere" ask hi
expect_rc "a missing knowledge directory exits 66" 66
expect_match "a missing knowledge directory is named" "$ERR" "nowhere: cannot open knowledge directory"

# ---- topics ----
run "$MLCOACH" --kb "$FIXTURE_KB" topics
expect_eq "topics lists all 13" "$(printf '%s\n' "$OUT" | grep -c '^[a-z]')" 13
expect_match "topics counts entries" "$OUT" "^learning +1 "
run "$MLCOACH" --kb "$FIXTURE_KB" topics --json
expect_eq "topics --json is one object per line" \
    "$(printf '%s\n' "$OUT" | jq -s 'map(.topic) | length')" 13
expect_eq "topics --json entry count" \
    "$(printf '%s\n' "$OUT" | jq -s -r 'map(select(.topic == "mentorship"))[0].entries')" 2

# ---- check ----
run "$MLCOACH" check --kb "$FIXTURE_KB"
expect_rc "check passes on good knowledge" 0
expect_match "check summarises" "$OUT" "^check: 3 entries, 1 declines, 7 examples"
run "$MLCOACH" check --kb "$ROOT/knowledge"
expect_rc "check passes on the shipped knowledge" 0

# A decline refuses its kind of question: no answer, its reason, suggestions.
run "$MLCOACH" --kb "$FIXTURE_KB" ask "what salary should a mentor earn"
expect_rc "a declined question exits 1" 1
expect_match "a declined question gives the decline's reason" "$OUT" "^Pay is not something"
expect_no_match "a declined question does not say it has no advice" "$OUT" "don't have advice"
expect_match "a declined question still suggests" "$OUT" "^  1\. "
run "$MLCOACH" --kb "$FIXTURE_KB" --json ask "what salary should a mentor earn"
expect_eq "json names the decline" "$(jqf "$OUT" '[.answered, .declined, .intent] | @tsv')" \
    "$(printf 'false\tout-of-scope.pay\t')"
run "$MLCOACH" --kb "$FIXTURE_KB" --json ask "how do I find a mentor"
expect_eq "json declined is null when answered" \
    "$(jqf "$OUT" 'if has("declined") then (.declined | tostring) else "missing" end')" "null"

# A decline's example that an entry answers fails check, and so does an
# entry's example a decline refuses.
cp -r "$FIXTURE_KB" "$TMP/kb-decline"
sed -i 's/^      - salary$/      - how do I find a mentor/' "$TMP/kb-decline/out-of-scope.yml"
run "$MLCOACH" check --kb "$TMP/kb-decline"
expect_rc "check fails when a decline's example is answered" 65
expect_match "check names the decline's example" "$ERR" \
    "out-of-scope.yml:[0-9]+: example \"how do I find a mentor\" selected mentorship.find instead of out-of-scope.pay"
cp -r "$FIXTURE_KB" "$TMP/kb-decline2"
sed -i "s/^    patterns:$/    patterns:\n      - 'mentor'/" "$TMP/kb-decline2/out-of-scope.yml"
run "$MLCOACH" check --kb "$TMP/kb-decline2"
expect_rc "check fails when a decline refuses an entry's example" 65
expect_match "check names the entry's example" "$ERR" \
    "mentorship.yml:[0-9]+: example \"how do I find a mentor\?\" selected out-of-scope.pay instead of mentorship.find"

# A copy of the real knowledge with a broken regex.
cp -r "$ROOT/knowledge" "$TMP/kb-regex"
line=$(grep -n "^      - '" "$TMP/kb-regex/mentorship.yml" | head -n 1 | cut -d: -f1)
sed -i "${line}s/^      - '/      - ')/" "$TMP/kb-regex/mentorship.yml"
run "$MLCOACH" check --kb "$TMP/kb-regex"
expect_rc "a broken regex exits 65" 65
expect_match "a broken regex is reported as FILE:LINE:COL" "$ERR" \
    "^$TMP/kb-regex/mentorship.yml:$line:10: regex error in entry '[a-z.-]+': unmatched closing parenthesis"
expect_match "a broken regex shows a caret under the error" "$ERR" "^    \^$"

# And one with broken YAML.
cp -r "$ROOT/knowledge" "$TMP/kb-yaml"
printf '  - id: [broken\n' >>"$TMP/kb-yaml/learning.yml"
run "$MLCOACH" check --kb "$TMP/kb-yaml"
expect_rc "broken YAML exits 65" 65
expect_match "broken YAML is reported as FILE:LINE:COL" "$ERR" \
    "^$TMP/kb-yaml/learning.yml:[0-9]+:[0-9]+: YAML syntax error"
run "$MLCOACH" --kb "$TMP/kb-yaml" ask how do I find a mentor
expect_rc "asking with broken knowledge exits 65 too" 65

# An example that selects another entry.
cp -r "$FIXTURE_KB" "$TMP/kb-ex"
sed -i 's/      - are online courses worth it/      - how do i find a mentor at a meetup/' "$TMP/kb-ex/learning.yml"
run "$MLCOACH" check --kb "$TMP/kb-ex"
expect_rc "a wrong example fails check with 65" 65
expect_match "a wrong example is reported as FILE:LINE" "$ERR" \
    "^$TMP/kb-ex/learning.yml:[0-9]+: example \"how do i find a mentor at a meetup\" selected mentorship.find instead of learning.courses$"

# A section nobody cites.
cp -r "$FIXTURE_KB" "$TMP/kb-cite"
printf '      - id: three\n        title: "Section Three"\n' >>"$TMP/kb-cite/sources.yml"
run "$MLCOACH" check --kb "$TMP/kb-cite"
expect_rc "an uncited section fails check with 65" 65
expect_match "an uncited section is reported as FILE:LINE:COL" "$ERR" \
    "^$TMP/kb-cite/sources.yml:[0-9]+:9: section 'doc#three' is cited by no entry$"

# ---- help, version, usage errors ----
run "$MLCOACH" --help
expect_rc "--help exits 0" 0
expect_match "--help shows usage on stdout" "$OUT" "^Usage: mlcoach "
for c in ask check topics profile assess plan done progress export forget; do
    expect_match "--help lists $c" "$OUT" "^  $c( |$)"
done
run "$MLCOACH" --version
expect_rc "--version exits 0" 0
expect_match "--version names the program" "$OUT" "^mlcoach [0-9]+\.[0-9]+\.[0-9]+$"
run "$MLCOACH" --frobnicate
expect_rc "an unknown option exits 64" 64
expect_match "an unknown option points at --help" "$ERR" "Try 'mlcoach --help'"
run "$MLCOACH" bogus
expect_rc "an unknown command exits 64" 64
run "$MLCOACH" ask
expect_rc "ask without a question exits 64" 64
run "$MLCOACH" topics extra
expect_rc "extra arguments exit 64" 64
run "$MLCOACH" --kb
expect_rc "an option without its argument exits 64" 64

# ---- output errors ----
run sh -c "'$MLCOACH' ask how do I find a mentor > /dev/full"
expect_rc "a full disk exits 74" 74
expect_match "a full disk is reported" "$ERR" "write error"
run sh -c "yes 'how do I find a mentor' | head -n 20000 | '$MLCOACH' | head -n 1"
expect_eq "piped into head it exits quietly" "$ERR" ""

finish
