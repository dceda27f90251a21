#!/bin/sh
# repl.sh -- the session as a newcomer uses it, in a real terminal at 50
# and 100 columns (issue 18): titles without colour, wrapping, numbered
# lists, follow-ups, conversation, the coaching commands, the pager, paste,
# resize and suspend. tests/tmuxlib.sh drives tmux; tests/cli/tmux.sh has
# the line-editing basics.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../tmuxlib.sh"

# ---- titles show without colour: NO_COLOR, TERM=dumb, a pipe, a file ----
for w in 50 100; do
    start "plain$w" "$w" NO_COLOR=1
    t send-keys -t "plain$w" "how do I find a mentor?" Enter
    see "plain$w" "at $w columns with NO_COLOR the answer starts with its title" \
        "^Where to find a mentor$"
    t send-keys -t "plain$w" C-d
    wait_exit "plain$w"
done
start dumb 80 TERM=dumb
t send-keys -t dumb "how do I find a mentor?" Enter
see dumb "with TERM=dumb the answer starts with its title" "^Where to find a mentor$"
t send-keys -t dumb C-d
wait_exit dumb
"$MLCOACH" ask "how do I find a mentor?" >"$TMP/ask.txt"
expect_eq "ask to a file: the first line is the title" "$(head -n 1 "$TMP/ask.txt")" \
    "Where to find a mentor"
run sh -c "echo 'how do I find a mentor?' | '$MLCOACH' | head -n 1"
expect_eq "a pipe: the first line is the title" "$OUT" "Where to find a mentor"

# ---- everything a session prints is wrapped to the width (pipe: COLUMNS) ----
LONGQ="what should I do about the very long meeting schedule my manager keeps adding to my calendar every single week"
answers_file=$TMP/wrap-answers
awk '/^    topic: / { print 2 }' "$ROOT/knowledge/assessment.yml" >"$answers_file"
printf '%s\n' "/help" "/topics" "/topic roles" "$LONGQ" "how do I find a mentor?" "/why" \
    "/sources" "/history" "/profile set level=expert" "/profile set focus=mentorship,cooking" \
    "/profile set level=junior goals=\"Lead a small project within a year and then a bigger one\"" \
    "/profile" "/assess" >"$TMP/wrap-in"
cat "$answers_file" >>"$TMP/wrap-in"
printf '%s\n' "/plan" "/done 1" "/progress" >>"$TMP/wrap-in"
for w in 50 100; do
    run sh -c "XDG_DATA_HOME='$TMP/wrap$w' COLUMNS=$w '$MLCOACH' < '$TMP/wrap-in'"
    expect_eq "COLUMNS=$w: no line of a whole piped session (commands, coaching) is wider" \
        "$(printf '%s\n' "$OUT" | columns | awk -v w="$w" '$1 > w' | wc -l)" 0
    expect_match "COLUMNS=$w: the session ran to /progress" "$OUT" "^Plan: 1 of [0-9]+ steps done"
done
run sh -c "XDG_DATA_HOME='$TMP/wrap-a' COLUMNS=100 '$MLCOACH' < '$TMP/wrap-in'"
expect_eq "/help's descriptions all start in one column" \
    "$(printf '%s\n' "$OUT" | sed -n '/^Commands:/,/^$/p' | grep '^  /' | awk '{ match($0, /  +[a-z]/); print RSTART + RLENGTH }' | sort -u | wc -l)" 1
run sh -c "XDG_DATA_HOME='$TMP/wrap-b' COLUMNS=50 '$MLCOACH' < '$TMP/wrap-in'"
expect_match "at 50 columns /help puts each description under its command" "$OUT" \
    "^  /topic NAME\$"
expect_match "a wrapped /topics line hangs under the description" "$OUT" "^ {23}[a-z]"
expect_match "a wrapped /history line hangs under its text" "$OUT" "^ {7}[a-z]"
expect_match "\"You rated:\" lines wrap under their text" "$OUT" "^   You rated: \"I "

# ---- the same at a terminal, 50 and 100 columns, and after a resize ----
for w in 50 100; do
    start "wrap$w" "$w" -- --color=never
    t send-keys -t "wrap$w" "/topics" Enter
    see "wrap$w" "(/topics at $w)" "^/topic NAME lists"
    t send-keys -t "wrap$w" "$LONGQ" Enter
    see "wrap$w" "(a long question at $w)" "(^Topic: |closest:$)"
    t send-keys -t "wrap$w" "/history" Enter
    see "wrap$w" "(/history at $w)" "^ +2  "
    t send-keys -t "wrap$w" "/profile set focus=mentorship,cooking" Enter
    see "wrap$w" "(a profile error at $w)" "unknown topic 'cooking'" -J
    t send-keys -t "wrap$w" "/help" Enter
    see "wrap$w" "(/help at $w)" "Tab completes commands"
    expect_eq "at $w columns nothing on screen was cut by the terminal" "$(overlong "wrap$w" "$w")" 0
    t send-keys -t "wrap$w" "/clear" Enter "/assess" Enter
    see "wrap$w" "(/assess at $w)" "^1-5, Enter skips, b back, q stops:"
    expect_eq "at $w columns the statements are wrapped" "$(overlong "wrap$w" "$w")" 0
    t send-keys -t "wrap$w" "q" Enter
    see "wrap$w" "(q with nothing rated ends /assess)" "nothing was saved"
done
t resize-window -t wrap100 -x 50 -y 30
t send-keys -t wrap100 "/clear" Enter "/help" Enter
see wrap100 "(/help after the resize)" "Tab completes commands"
expect_eq "after a resize from 100 to 50 columns /help fits the new width" "$(overlong wrap100 50)" 0
t send-keys -t wrap50 "/clear" Enter "$(printf 'x%.0s' $(seq 1 8300))" Enter
see wrap50 "(an over-long line is refused)" "8192\): not answered\.$" -J
screen wrap50
expect_eq "the too-long message is wrapped, and a blank line parts it from the prompt" \
    "$(printf '%s\n' "$SCREEN" | grep -A3 '^That line is too long' | sed 's/ *$//' | tr '\n' '|')" \
    "That line is too long (8300 bytes; the limit is|8192): not answered.||mlcoach>|"
for w in 50 100; do t send-keys -t "wrap$w" C-d; wait_exit "wrap$w"; done

# ---- follow-ups for the other level; lists that stay pickable ----
for w in 50 100; do
    start "follow$w" "$w" -- --color=never
    t send-keys -t "follow$w" "what skills does a junior need?" Enter
    see "follow$w" "(the junior skills at $w)" "^Topic: technical-skills"
    t send-keys -t "follow$w" "what about seniors?" Enter
    see "follow$w" "at $w columns \"what about seniors?\" gives the senior entry" \
        "^Technical skills a senior needs$"
    t send-keys -t "follow$w" "/clear" Enter "/topic mentorship" Enter "2" Enter
    see "follow$w" "(a pick from /topic at $w)" "^What a mentor gives you$"
    t send-keys -t "follow$w" "5" Enter
    see "follow$w" "at $w columns a second number picks from the same list" \
        "^Become a mentor yourself$"
    t send-keys -t "follow$w" C-d
    wait_exit "follow$w"
done

# ---- /profile set level= changes the prompt; hints name /commands ----
for w in 50 100; do
    start "prof$w" "$w" XDG_DATA_HOME="$TMP/prof$w" -- --color=never
    t send-keys -t "prof$w" "/profile set level=senior" Enter
    see "prof$w" "at $w columns /profile set says what to do next" "^Next: /assess rates you"
    see "prof$w" "at $w columns the prompt shows the new level" "^mlcoach \(senior\)> *$"
    t send-keys -t "prof$w" "/plan" Enter
    see "prof$w" "at $w columns /plan's hint names /assess" "rate yourself with /assess"
    t send-keys -t "prof$w" C-d
    wait_exit "prof$w"
done

# ---- a directory that is not knowledge is named ----
mkdir -p "$TMP/notkb" && echo "x: 1" >"$TMP/notkb/notes.yml"
run env MLCOACH_KB="$TMP/notkb" "$MLCOACH" ask "how do I find a mentor?"
expect_rc "MLCOACH_KB naming a directory without sources.yml exits 66" 66
expect_match "the message names the directory" "$ERR" "^$TMP/notkb: not a knowledge directory: it has no sources\.yml$"
finish
