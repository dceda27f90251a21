#!/bin/sh
# session.sh -- a session through a pipe: /level, follow-ups, bare numbers,
# slash commands, their JSON Lines, and --color. (The same session at a real
# terminal is tests/cli/tmux.sh.)
. "$(dirname "$0")/../lib.sh"

# pipe FILE ARGS...: run mlcoach ARGS with FILE on standard input.
pipe() {
    f=$1
    shift
    run sh -c 'f=$1; shift; exec "$@" < "$f"' sh "$f" "$MLCOACH" "$@"
}
# line N: line N of $OUT.
line() { printf '%s\n' "$OUT" | sed -n "${1}p"; }

# ---- /level, then a question (fixture: mentorship.become has variants) ----
printf '/level senior\nhow can I become a mentor\n' >"$TMP/level"
pipe "$TMP/level" --kb "$FIXTURE_KB"
expect_rc "a piped session exits 0" 0
expect_match "/level senior says so" "$OUT" "^Answers are tailored for seniors\.$"
expect_match "/level senior then a question gives the senior variant" "$OUT" \
    "^Guide the juniors on your team\.$"
expect_no_match "/level senior hides the general answer" "$OUT" "Pass it forward"
pipe "$TMP/level" --kb "$FIXTURE_KB" --json
expect_eq "/level in JSON is a command object" "$(line 1)" '{"command":"level","level":"senior"}'
expect_eq "the next answer in JSON carries the level" "$(jqf "$(line 2)" '[.level, .answer] | join("|")')" \
    "senior|Guide the juniors on your team."
printf '/level expert\n' >"$TMP/badlevel"
pipe "$TMP/badlevel" --kb "$FIXTURE_KB"
expect_match "an unknown level is explained" "$OUT" "Levels are junior, senior and any; 'expert' is not one"

# ---- follow-ups against the last answer ----
printf 'how can I become a mentor\nwhat about seniors?\nand for juniors?\n' >"$TMP/follow"
pipe "$TMP/follow" --kb "$FIXTURE_KB" --json
expect_eq "a question, then two follow-ups: three objects" "$(printf '%s\n' "$OUT" | wc -l)" 3
expect_eq "the question gets the general answer" "$(jqf "$(line 1)" .answer)" "Pass it forward."
expect_eq "\"what about seniors?\" gives the senior variant" "$(jqf "$(line 2)" '[.intent, .level, .answer] | join("|")')" \
    "mentorship.become|senior|Guide the juniors on your team."
expect_eq "\"and for juniors?\" gives the junior variant" "$(jqf "$(line 3)" '[.level, .answer] | join("|")')" \
    "junior|Learn first, then teach."
expect_eq "a follow-up answer names the question it resolved" "$(jqf "$(line 2)" .question)" \
    "how can I become a mentor"
expect_eq "follow-ups do not change the session's level" "$(jqf "$(line 3)" .confidence)" \
    "$(jqf "$(line 1)" .confidence)"

printf 'what about seniors?\n' >"$TMP/nocontext"
pipe "$TMP/nocontext" --kb "$FIXTURE_KB" --json
expect_eq "with nothing to follow up, a follow-up is asked as a question" \
    "$(jqf "$OUT" '[.question, .answered] | join("|")')" "what about seniors?|false"

# ---- a bare number picks a suggestion of an unanswered question ----
printf 'how do I cook pasta\n2\n' >"$TMP/pick"
pipe "$TMP/pick" --kb "$FIXTURE_KB" --json
want=$(jqf "$(line 1)" '.suggestions[1]')
expect_eq "the unanswered question offers suggestions" "$(jqf "$(line 1)" '.suggestions | length')" 3
expect_eq "\"2\" asks the second suggestion" "$(jqf "$(line 2)" .question)" "$want"
expect_eq "the picked suggestion is answered" "$(jqf "$(line 2)" .answered)" "true"
pipe "$TMP/pick" --kb "$FIXTURE_KB"
expect_match "in text, \"2\" answers the second suggestion" "$OUT" "^Take online courses and earn certifications\.$"

printf '3\n' >"$TMP/nolist"
pipe "$TMP/nolist" --kb "$FIXTURE_KB"
expect_match "a number with no list says so" "$OUT" "^There is no numbered list to pick 3 from"
printf 'how do I cook pasta\n9\n' >"$TMP/range"
pipe "$TMP/range" --kb "$FIXTURE_KB"
expect_match "a number past the list gives the range" "$OUT" "^Pick a number from 1 to 3\.$"

printf '/topic mentorship\n2\n' >"$TMP/topic"
pipe "$TMP/topic" --kb "$FIXTURE_KB"
expect_match "/topic numbers the topic's entries by title" "$OUT" "^  2\. Become a mentor$"
expect_match "a number after /topic asks that question" "$OUT" "^Pass it forward\.$"
printf '/topic mentorshp\n/topic\n/topic lea\n' >"$TMP/badtopic"
pipe "$TMP/badtopic" --kb "$FIXTURE_KB"
expect_match "a misspelt topic gets the closest name" "$OUT" "There is no topic 'mentorshp'\. Did you mean mentorship\?"
expect_match "/topic alone says how to use it" "$OUT" "^/topic needs NAME: /topic NAME "
expect_match "a topic prefix names every topic it starts" "$OUT" "Did you mean leadership or learning\?"

# ---- /why, /sources, /more and their spoken forms ----
printf 'how can I become a mentor\n/why\n/sources\nwhere does that come from?\nwhy did you say that?\n' >"$TMP/why"
pipe "$TMP/why" --kb "$FIXTURE_KB"
expect_match "/why names the chosen entry and its confidence" "$OUT" \
    "^Answered with mentorship\.become: confidence 0\.[0-9]+, threshold 0\.50$"
expect_match "/why shows the normalised question" "$OUT" "^Normalised: how can i become a mentor$"
expect_match "/sources lists each cited section in full" "$OUT" \
    "^  2\. A Test Document — Section Two \[doc#two, file test\.txt\]$"
expect_eq "\"where does that come from?\" is /sources" "$(printf '%s\n' "$OUT" | grep -c '^Sources of "Become a mentor"')" 2
expect_eq "\"why did you say that?\" is /why" "$(printf '%s\n' "$OUT" | grep -c '^Answered with mentorship.become')" 2
pipe "$TMP/why" --kb "$FIXTURE_KB" --json
expect_eq "/why in JSON" "$(jqf "$(line 2)" '[.command, .intent, .normalised, (.candidates | length > 0)] | join("|")')" \
    "why|mentorship.become|how can i become a mentor|true"
expect_eq "/sources in JSON" "$(jqf "$(line 3)" '[.command, .intent, .sources[1].ref, .sources[1].file] | join("|")')" \
    "sources|mentorship.become|doc#two|test.txt"

# The built-in mentorship.find-a-mentor has related entries to walk.
printf 'how do I find a mentor?\n/more\ntell me more\n' >"$TMP/more"
pipe "$TMP/more" --json
expect_eq "the first answer has two related entries to walk" \
    "$(jqf "$(line 1)" '.related | length >= 2')" "true"
expect_eq "/more answers the first related entry" "$(jqf "$(line 2)" .intent)" "$(jqf "$(line 1)" '.related[0]')"
expect_eq "\"tell me more\" answers the next one" "$(jqf "$(line 3)" .intent)" "$(jqf "$(line 1)" '.related[1]')"
printf 'how can I become a mentor\n/more\n' >"$TMP/nomore"
pipe "$TMP/nomore" --kb "$FIXTURE_KB"
expect_match "/more with nothing related says so" "$OUT" "^That is all the related advice on \"Become a mentor\""
printf '/why\n/sources\n/more\n' >"$TMP/first"
pipe "$TMP/first" --kb "$FIXTURE_KB" --json
expect_eq "/why, /sources and /more before any question are errors in JSON" \
    "$(printf '%s\n' "$OUT" | jq -r '[.command, (.error | length > 0)] | join(":")' | tr '\n' ' ')" \
    "why:true sources:true more:true "

# ---- other commands ----
printf 'how can I become a mentor\n/help\n/hepl\n/topics\n/history\n/clear\nwhy?\n' >"$TMP/cmds"
pipe "$TMP/cmds" --kb "$FIXTURE_KB"
for c in help topics "topic NAME" "level junior\\|senior\\|any" more why sources history clear quit; do
    expect_match "/help lists /$c" "$OUT" "^  /$c +[a-z]"
done
expect_match "an unknown command gets the closest one" "$OUT" "^Unknown command /hepl\. Did you mean /help\?"
expect_match "/topics lists the topics" "$OUT" "^mentorship +2 "
expect_match "/history lists the lines so far" "$OUT" "^ +4  /topics$"
expect_no_match "/clear forgets the last answer" "$OUT" "^Answered with"

printf 'how do I find a mentor?\n/quit\nhow can I become a mentor\n' >"$TMP/quit"
pipe "$TMP/quit" --kb "$FIXTURE_KB"
expect_rc "/quit exits 0" 0
expect_no_match "/quit stops reading" "$OUT" "Pass it forward"

# Every line of a JSON session is one valid object, commands included.
cat "$TMP/level" "$TMP/follow" "$TMP/pick" "$TMP/topic" "$TMP/why" "$TMP/cmds" "$TMP/quit" >"$TMP/all"
pipe "$TMP/all" --kb "$FIXTURE_KB" --json
expect_eq "a JSON session writes one object per line up to /quit" \
    "$(printf '%s\n' "$OUT" | jq -c 'type' | grep -c object)" "$(sed -n '1,/^\/quit$/p' "$TMP/all" | wc -l)"
expect_eq "commands in JSON name themselves" \
    "$(printf '%s\n' "$OUT" | jq -r 'select(.command) | .command' | tr '\n' ' ')" \
    "level topic why sources sources why help hepl topics history clear quit "

# ---- follow-ups for the other level, and what people say after an answer ----
printf 'what skills does a junior need?\nwhat about seniors?\nand juniors?\n' >"$TMP/other"
pipe "$TMP/other" --json
expect_eq "\"what about seniors?\" after the junior skills gives the senior entry" \
    "$(jqf "$(line 2)" '[.intent, .level] | join("|")')" "technical-skills.senior-skills|senior"
expect_eq "the first answer listed that entry in See also" \
    "$(jqf "$(line 1)" '[.see_also] + .related | index("technical-skills.senior-skills") != null')" true
expect_eq "\"and juniors?\" goes back to the junior entry" "$(jqf "$(line 3)" .intent)" \
    "technical-skills.junior-skills"
pipe "$TMP/other"
expect_no_match "no \"no separate advice\" when the other level has its entry" "$OUT" \
    "no separate advice"
printf 'how do I find a mentor?\nwhy?\nexample?\nwhat do you mean?\nsources?\n' >"$TMP/said"
pipe "$TMP/said" --json
expect_eq "\"why?\" is why to do it (the reasons entry), not /why" \
    "$(jqf "$(line 2)" '[.command // "answer", .intent] | join("|")')" "answer|mentorship.why-mentor"
expect_eq "\"example?\" gives concrete steps for that advice" \
    "$(jqf "$(line 3)" '[.command, .intent, (.examples | length > 0)] | join("|")')" \
    "example|mentorship.why-mentor|true"
expect_eq "\"what do you mean?\" restates it in short" \
    "$(jqf "$(line 4)" '[.command, .title] | join("|")')" "clarify|Why a mentor matters"
expect_eq "\"sources?\" is /sources" "$(jqf "$(line 5)" .command)" "sources"

# ---- a numbered list stays pickable; See also is numbered ----
printf '/topic mentorship\n2\n5\n' >"$TMP/picks"
pipe "$TMP/picks"
second=$(printf '%s\n' "$OUT" | sed -n 's/^  2\. //p')
fifth=$(printf '%s\n' "$OUT" | sed -n 's/^  5\. //p')
expect_match "after /topic, 2 answers the second entry" "$OUT" "^$second\$"
expect_match "then 5 still picks from the same list" "$OUT" "^$fifth\$"
expect_no_match "the list is not gone after one pick" "$OUT" "no numbered list"
printf 'how do I find a mentor?\n2\n3\n' >"$TMP/also"
pipe "$TMP/also" --json
expect_eq "2 after an answer picks its second See also item" "$(jqf "$(line 2)" .intent)" \
    "$(jqf "$(line 1)" '([.see_also // empty] + .related)[1]')"
expect_eq "and 3 the third" "$(jqf "$(line 3)" .intent)" \
    "$(jqf "$(line 1)" '([.see_also // empty] + .related)[2]')"
pipe "$TMP/also"
expect_match "See also items are numbered" "$OUT" "See also: \[1\] [A-Z].*, \[2\] "

# ---- suggestions: typos of topics and levels, topics listed by title ----
printf '/topic carreer\n/level senoir\n/level Senior\n/topic roles\n' >"$TMP/typos"
pipe "$TMP/typos"
expect_match "/topic carreer suggests career-paths" "$OUT" "Did you mean career-paths\?"
expect_match "/level senoir suggests senior" "$OUT" "Did you mean senior\?"
expect_match "/level Senior is senior" "$OUT" "^Answers are tailored for seniors\.$"
pipe "$TMP/typos" --json
expect_eq "/topic roles lists each entry by its title" \
    "$(printf '%s\n' "$OUT" | sed -n 4p | jq -r '.titles[]')" \
    "$(pipe "$TMP/typos"; printf '%s\n' "$OUT" | sed -n 's/^  [0-9]*\. //p')"

# ---- --color ----
run "$MLCOACH" --color=always ask how do I find a mentor
expect_match "--color=always colours a pipe" "$OUT" "$(printf '\033')\[2m"
run env NO_COLOR=1 "$MLCOACH" --color=always ask how do I find a mentor
expect_match "--color=always wins over NO_COLOR" "$OUT" "$(printf '\033')"
run "$MLCOACH" --color=never ask how do I find a mentor
expect_no_match "--color=never has no escapes" "$OUT" "$(printf '\033')"
run "$MLCOACH" --color=sometimes ask hi
expect_rc "an unknown --color is a usage error" 64
expect_match "an unknown --color says which" "$ERR" "invalid --color 'sometimes'"
run "$MLCOACH" --help
expect_match "--help documents --color" "$OUT" "--color=WHEN"
finish
