#!/bin/sh
# concurrency.sh -- many mlcoach processes changing the same personal files
# at once lose nothing. Each of ROUNDS rounds starts from the same files (an
# assessment that rates every statement 1, and its plan) and runs WRITERS
# processes of each kind at the same time: `done K`, `assess` and `profile
# set`, and meanwhile two interactive sessions under tmux that each enter a
# line and quit at the same moment. Afterwards every file must parse, every
# command must have succeeded, and every change a command reported must be
# in the files: each "Step K done" is a done step, each "saved": true an
# assessment, each profile key holds this round's value, and the history
# holds both sessions' lines of every round.
. "$(dirname "$0")/../lib.sh"
. "$TESTS_DIR/tmuxlib.sh"

ROUNDS=${ROUNDS:-20}
WRITERS=16
D="$XDG_DATA_HOME/mlcoach"
yes 1 | head -n 25 >"$TMP/ones"
run sh -c "'$MLCOACH' assess < '$TMP/ones'"
expect_rc "the starting assessment is saved" 0
mkdir -p "$TMP/start"
cp "$D/assessments.json" "$D/plan.json" "$TMP/start/"
TOPICS="mentorship communication leadership learning"
BUSY="Another mlcoach kept your personal files locked, so nothing was saved; try again."

# writers ROUND: start every writer of the round in the background, each
# recording its output and exit status in $TMP/w; waits for all of them.
writers() {
    rm -rf "$TMP/w"
    mkdir "$TMP/w"
    set -- $TOPICS
    i=1
    while [ $i -le $WRITERS ]; do
        k=$(( (i - 1) % 8 + 1 ))
        case $((i % 4)) in
        0) set_arg="level=$( [ $((r % 2)) = 0 ] && echo junior || echo senior)" ;;
        1) set_arg="years=$r" ;;
        2) set_arg="focus=$(echo $TOPICS | cut -d' ' -f$((r % 4 + 1)))" ;;
        3) set_arg="goals=round $r" ;;
        esac
        ( "$MLCOACH" done $k >"$TMP/w/done.$i" 2>&1; echo $? >"$TMP/w/rc.done.$i" ) &
        ( "$MLCOACH" --json assess <"$TMP/ones" >"$TMP/w/assess.$i" 2>&1
          echo $? >"$TMP/w/rc.assess.$i" ) &
        ( "$MLCOACH" profile set "$set_arg" >"$TMP/w/profile.$i" 2>&1
          echo $? >"$TMP/w/rc.profile.$i" ) &
        i=$((i + 1))
    done
    wait
}

# sessions ROUND: two interactive sessions, a and b, each typing one line
# and /quit as soon as both show their prompt, so that both save the
# history at the same moment; waits for both to end.
sessions() {
    start "a$1" 80
    start "b$1" 80
    wait_for "a$1" '^mlcoach>' && wait_for "b$1" '^mlcoach>' ||
        bad_repl="$bad_repl round $1: no prompt"
    t send-keys -t "a$1" "round $1 from a" Enter /quit Enter \; \
        send-keys -t "b$1" "round $1 from b" Enter /quit Enter
    for n in a b; do
        wait_exit "$n$1"
        [ "$STATUS" = 0 ] || bad_repl="$bad_repl round $1: session $n exit '$STATUS'"
        t kill-session -t "$n$1"
    done
}

bad_rc="" bad_parse="" bad_done="" bad_assess="" bad_profile="" bad_repl=""
r=1
while [ $r -le $ROUNDS ]; do
    rm -f "$D/profile.json"
    cp "$TMP/start/assessments.json" "$TMP/start/plan.json" "$D/"
    sessions $r &
    repl=$!
    writers
    wait $repl
    for f in "$TMP"/w/rc.*; do
        [ "$(cat "$f")" = 0 ] || bad_rc="$bad_rc round $r: $(basename "$f") $(cat "$f")"
    done
    # One jq for the three files: it fails if any of them does not parse.
    if ! facts=$(jq -nr --slurpfile p "$D/profile.json" --slurpfile a "$D/assessments.json" \
        --slurpfile l "$D/plan.json" '[([$l[0].steps[] | select(.done)] | length),
        ($a[0].assessments | length), ([$p[0].level, ($p[0].years | tostring),
        ($p[0].focus | join(",")), $p[0].goals] | join("|"))] | join(" ")' 2>&1); then
        bad_parse="$bad_parse round $r: $facts"
    fi
    marked=${facts%% *} rest=${facts#* }
    kept=${rest%% *} got=${rest#* }
    said=$(cat "$TMP"/w/done.* | grep -Ec '^Step [0-9]+ done on ')
    [ "$said" = "$marked" ] || bad_done="$bad_done round $r: $said said, $marked done"
    saved=$(cat "$TMP"/w/assess.* | grep -c '"saved":true')
    [ "$kept" = $((saved + 1)) ] || bad_assess="$bad_assess round $r: $saved saved, $kept kept"
    want=$(printf '%s|%s|%s|%s' "$( [ $((r % 2)) = 0 ] && echo junior || echo senior)" "$r" \
        "$(echo $TOPICS | cut -d' ' -f$((r % 4 + 1)))" "round $r")
    [ "$got" = "$want" ] || bad_profile="$bad_profile round $r: $got"
    r=$((r + 1))
done

expect_eq "$ROUNDS rounds of $WRITERS writers of each kind: every command succeeds" "$bad_rc" ""
expect_eq "... every personal file parses after each round" "$bad_parse" ""
expect_eq "... every step 'done' said it marked is done" "$bad_done" ""
expect_eq "... every assessment reported saved is kept" "$bad_assess" ""
expect_eq "... every profile key holds the value set in its round" "$bad_profile" ""
expect_eq "... no temporary file is left behind" "$(ls -A "$D" | grep -c tmp)" 0
expect_eq "... both interactive sessions of every round quit with status 0" "$bad_repl" ""
H="$XDG_STATE_HOME/mlcoach/history"
expect_eq "... the history holds both sessions' lines of every round" \
    "$(grep '^round [0-9]* from [ab]$' "$H" | sort -u | wc -l)" "$((2 * ROUNDS))"

# ---- a lock held too long: exit 75, said so, nothing changed ----
cp "$D/plan.json" "$TMP/plan.before"
flock -o "$D/.lock" sleep 5 >/dev/null 2>&1 &
holder=$!
sleep 0.2
run env MLCOACH_LOCK_TIMEOUT=0.3 "$MLCOACH" done 1
expect_rc "done while another process holds the lock: exit 75 (EX_TEMPFAIL)" 75
expect_match "... says so" "$ERR" \
    "^mlcoach: $D/.lock: another mlcoach kept your personal files locked for 0.3 seconds; try again; nothing was saved$"
expect_eq "... and the plan is unchanged" "$(cmp -s "$D/plan.json" "$TMP/plan.before" && echo same)" same
run sh -c "printf '/done 1\n/profile set years=4\n' | MLCOACH_LOCK_TIMEOUT=0.3 '$MLCOACH' --json"
expect_rc "... in a piped session the session goes on: exit 0" 0
expect_eq "... each command that could not lock gives an error object" \
    "$(printf '%s\n' "$OUT" | jq -r '.command + ": " + .error')" \
    "$(printf 'done: %s\nprofile: %s' "$BUSY" "$BUSY")"
kill $holder 2>/dev/null
wait $holder 2>/dev/null
run "$MLCOACH" done 1
expect_rc "once the lock is free, done works" 0
finish
