#!/bin/sh
# tmux.sh -- the interactive session in a real terminal (tests/tmuxlib.sh
# drives it): greeting, editing, completion, Ctrl-C, history, colour,
# wrapping, signals. tests/cli/repl.sh has the session as newcomers use it.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../tmuxlib.sh"

HISTORY=$XDG_STATE_HOME/mlcoach/history

# ---- 1: greeting, a question answered on screen, colour on a terminal ----
start one 80
see one "the greeting shows three example questions" \
    "^Try: how do I find a mentor\? · should I specialise\? · how do I get promoted\?$"
t send-keys -t one "how do I find a mentor?" Enter
see one "a question gets its answer on screen" "^Look in three places\. At work, network actively"
see one "the answer cites its source" "^Sources: Climbing the ML Ladder"
screen one -e
expect_match "on a terminal the prompt is coloured" "$SCREEN" "${ESC}\[[0-9;]*m+mlcoach>"

# ---- 2: Up recalls the previous question ----
t send-keys -t one Up
see_prompt one "Up recalls the previous question" "how do I find a mentor?"
t send-keys -t one C-u

# ---- 3: Tab completes ----
t send-keys -t one "/he" Tab
see_prompt one "/he + Tab completes to /help" "/help"
t send-keys -t one Enter
see one "the completed /help runs" "^  /history +the questions asked so far$"
t send-keys -t one "/topic mentor" Tab
see_prompt one "Tab completes topic names after /topic" "/topic mentorship"
t send-keys -t one C-u "how do I find a mento" Tab
see_prompt one "Tab completes knowledge words in a question" "how do I find a mentor"
t send-keys -t one C-u

# ---- 4: Ctrl-C clears the line and keeps the session ----
t send-keys -t one "half a question"
see_prompt one "typing shows on the line" "half a question"
t send-keys -t one C-c
see one "Ctrl-C abandons the line" "^mlcoach> half a question\^C$"
see_prompt one "Ctrl-C leaves an empty prompt" ""
t send-keys -t one "should I specialise?" Enter
see one "the session goes on after Ctrl-C" "^Topic: specialization"

# ---- 5: "what about seniors?" returns the senior variant ----
run "$MLCOACH" ask "should I specialise?"
expect_no_match "(the general answer is not the senior one)" "$OUT" "^As a senior, specialisation"
t send-keys -t one "what about seniors?" Enter
see one "\"what about seniors?\" returns the senior variant" "^As a senior, specialisation becomes a career"
see one "the senior variant is labelled" "^Topic: specialization \(for seniors\)"

# ---- 6: editing stays right with a coloured prompt ----
t send-keys -t one "find mentor" C-a "how do I " C-e "?"
see_prompt one "cursor movement lands where it should after the coloured prompt" \
    "how do I find mentor?"
t send-keys -t one C-u "/quit" Enter
wait_exit one
screen one
expect_eq "/quit exits 0" "$STATUS" 0
[ "$STATUS" = 0 ] || printf '%s\n' "$SCREEN"

# ---- 7: the history file, and a second session that recalls it ----
expect_eq "after /quit the history file has mode 0600" "$(stat -c %a "$HISTORY" 2>&1)" 600
expect_eq "its directory has mode 0700" "$(stat -c %a "$(dirname "$HISTORY")" 2>&1)" 700
expect_eq "the history holds each line once per entry, not abandoned ones" "$(cat "$HISTORY")" \
"how do I find a mentor?
/help
should I specialise?
what about seniors?
/quit"
start two 80
see two "the second session starts" "^Try: "
t send-keys -t two Up Up
see_prompt two "a second session recalls the first session's question" "what about seniors?"
t send-keys -t two C-u C-d
wait_exit two
screen two
expect_eq "Ctrl-D exits 0" "$STATUS" 0
[ "$STATUS" = 0 ] || printf '%s\n' "$SCREEN"

# ---- 8: NO_COLOR leaves no escape sequences on screen ----
start plain 80 NO_COLOR=1
t send-keys -t plain "how do I find a mentor?" Enter
see plain "(NO_COLOR session answers)" "^Topic: mentorship"
screen plain -e
expect_no_match "NO_COLOR=1 leaves no escape sequences on screen" "$SCREEN" "$ESC"
t send-keys -t plain C-d
wait_exit plain

# ---- 9: wrapping to the width, re-read when the window changes ----
start narrow 60 -- --color=never
t send-keys -t narrow "how do I find a mentor?" Enter
see narrow "(narrow session answers)" "^Topic: mentorship"
screen narrow -J
expect_eq "at 60 columns mlcoach wraps every line itself" \
    "$(printf '%s\n' "$SCREEN" | columns | awk '$1 > 60' | wc -l)" 0
t resize-window -t narrow -x 120 -y 30
t send-keys -t narrow "/clear" Enter
see narrow "(/clear clears the screen)" "^mlcoach> *$"
t send-keys -t narrow "how do I find a mentor?" Enter
see narrow "(resized session answers)" "^Topic: mentorship"
screen narrow -J
expect_eq "after a resize to 120 columns answers use the new width" \
    "$(printf '%s\n' "$SCREEN" | columns | awk '$1 > 90 && $1 <= 120 { n++ } END { print (n >= 3) }')" 1
t send-keys -t narrow "mentor café" BSpace
see_prompt narrow "with LANG unset, Backspace deletes a whole accented letter" "mentor caf"
t send-keys -t narrow C-u "/quit" Enter
wait_exit narrow

# ---- 10: SIGTERM and SIGHUP save the history ----
for sig in TERM:15 HUP:1; do
    num=${sig#*:} sig=${sig%:*}
    rm -f "$HISTORY"
    start "sig$sig" 80
    t send-keys -t "sig$sig" "how do I find a mentor?" Enter
    see "sig$sig" "(SIG$sig session answers)" "^Topic: mentorship"
    kill -"$sig" "$(pid "sig$sig")"
    wait_exit "sig$sig"
    expect_eq "SIG$sig ends the session with 128 + the signal" "$STATUS" "$((128 + num))"
    expect_eq "SIG$sig saves the history first" "$(cat "$HISTORY" 2>&1)" "how do I find a mentor?"
done

# ---- 11: a damaged history gives one warning and the session goes on ----
printf 'good question\n\377\376\n' >"$HISTORY"
start damaged 80
see damaged "a damaged history gives a warning" "warning: history .*: skipped 1 damaged line" -J
t send-keys -t damaged Up
see_prompt damaged "the readable part of a damaged history is kept" "good question"
screen damaged
expect_eq "the warning is given once" "$(printf '%s\n' "$SCREEN" | grep -c warning)" 1
t send-keys -t damaged C-u C-d
wait_exit damaged
expect_eq "after a damaged history, Ctrl-D still exits 0" "$STATUS" 0
# ---- 12: valgrind follows the interactive session too ----
if [ "$SANITIZED" = 1 ]; then
    skip "valgrind: an interactive session is clean" "the binary is built with the sanitizers"
elif command -v valgrind >/dev/null 2>&1; then
    t new-session -d -s vg -x 80 -y 30 \
        "exec sh '$TMP/wrap' '$TMP/status.vg' env -u LANG MLCOACH_JIT=0 HOME='$HOME' XDG_STATE_HOME='$XDG_STATE_HOME' valgrind -q --leak-check=full --errors-for-leak-kinds=definite,indirect --error-exitcode=99 '$MLCOACH' --kb '$FIXTURE_KB'" \; \
        set-window-option -t vg remain-on-exit on
    wait_for vg "^Try: "
    # Each step waits for the last: a Ctrl-C typed ahead would make the
    # terminal discard the keys before it.
    t send-keys -t vg "how can I become a ment" Tab Enter
    wait_for vg "^Topic: mentorship"
    t send-keys -t vg "what about seniors?" Enter
    wait_for vg "^Guide the juniors on your team"
    t send-keys -t vg "/he" Tab Enter
    wait_for vg "^  /quit "
    t send-keys -t vg "half"
    wait_for vg "^mlcoach> half"
    t send-keys -t vg C-c
    wait_for vg "half\^C"
    t send-keys -t vg "/quit" Enter
    wait_exit vg
    screen vg
    expect_eq "valgrind: an interactive session is clean (no errors, nothing lost)" "$STATUS" 0
    [ "$STATUS" = 0 ] || printf '%s\n' "$SCREEN"
fi
finish
