#!/bin/sh
# untrusted.sh -- a piped session fed bytes no person would type, as a
# hostile tester did (issue 16): invalid UTF-8 in slash commands and their
# arguments, C1 controls and DEL, over-long lines, commands without their
# arguments. Every line gets exactly one answer; JSON always parses.
. "$(dirname "$0")/../lib.sh"

FFFD=$(printf '\357\277\275')
# pipe FILE ARGS...: run mlcoach ARGS with FILE on standard input.
pipe() {
    f=$1
    shift
    run sh -c 'f=$1; shift; exec "$@" < "$f"' sh "$f" "$MLCOACH" "$@"
}
# line N: line N of $OUT.
line() { printf '%s\n' "$OUT" | sed -n "${1}p"; }
# all_parse: every line of $OUT is one JSON object.
all_parse() {
    printf '%s\n' "$OUT" | jq -e 'type == "object"' >/dev/null 2>&1 &&
        [ "$(printf '%s\n' "$OUT" | jq -c . 2>/dev/null | wc -l)" = "$(printf '%s\n' "$OUT" | wc -l)" ]
}
# has_byte FILE OCTAL: FILE holds that byte.
has_byte() { od -An -v -to1 "$1" | tr -s ' ' '\n' | grep -qx "$2"; }

# ---- finding 4: an invalid UTF-8 byte in a command is text, not an end ----
printf '/\377\nhow do I find a mentor\n' >"$TMP/bad"
pipe "$TMP/bad" --json
expect_rc "a bad byte as a command: the session goes on (exit 0)" 0
expect_eq "... one object per line" "$(printf '%s\n' "$OUT" | wc -l)" 2
expect_eq "... the command's error names it, with U+FFFD" "$(jqf "$(line 1)" .command)" "$FFFD"
expect_eq "... and the question after it is answered" "$(jqf "$(line 2)" .intent)" \
    "mentorship.find-a-mentor"
for cmd in '/topic \377' '/level x\377' '/foo\377' '/profile set goals=\377'; do
    printf "$cmd\n" >"$TMP/cmd"
    pipe "$TMP/cmd" --json
    expect_eq "'$cmd' in JSON: exit 0 and an object with an error" \
        "$RC $(jqf "$OUT" 'has("error")' 2>&1)" "0 true"
done
printf 'how do I find a mentor \377\n/why\n/more\n/sources\n/history\n' >"$TMP/after"
pipe "$TMP/after" --json
expect_rc "/why, /more, /sources, /history after a bad byte: exit 0" 0
expect_eq "... five objects, all parse" "$(all_parse && printf '%s\n' "$OUT" | wc -l)" 5
expect_eq "... /why quotes the question with U+FFFD" "$(jqf "$(line 2)" .question)" \
    "how do I find a mentor $FFFD"
expect_eq "... /history keeps that line, not drops it" "$(jqf "$(line 5)" '.entries[0]')" \
    "how do I find a mentor $FFFD"

# ---- finding 5: JSON escapes C1 controls and DEL ----
printf 'mentor \302\233 31m x\177\n/history\n' >"$TMP/c1"
pipe "$TMP/c1" --json
printf '%s\n' "$OUT" >"$TMP/c1.out"
if has_byte "$TMP/c1.out" 233 || has_byte "$TMP/c1.out" 177; then
    fail "JSON: no raw C1 control or DEL" "$(od -c "$TMP/c1.out" | head)"
else
    pass "JSON: no raw C1 control or DEL"
fi
expect_match "... they are \\u009B and \\u007F" "$(line 1)" '"question":"mentor \\u009B 31m x\\u007F"'
expect_eq "... and read back as the same text" "$(jqf "$(line 2)" '.entries[0]')" \
    "$(printf 'mentor \302\233 31m x\177')"

# ---- finding 8: assess bounds its answer lines and reports read errors ----
head -c 10000 /dev/zero | tr '\0' 3 >"$TMP/long"
{ echo 3; cat "$TMP/long"; echo; echo 4; } >"$TMP/answers"
pipe "$TMP/answers" assess
expect_rc "assess: an answer line over 8192 bytes is refused (exit 65)" 65
expect_match "... said, with its line number" "$ERR" \
    "^mlcoach: assess: line 2: too long to be an answer \(over 8192 bytes\)"
expect_eq "... and nothing is saved" "$(ls "$XDG_DATA_HOME/mlcoach" 2>/dev/null)" ""
pipe "$TMP" assess
expect_rc "assess: a read error is not the end of the answers (exit 74)" 74
expect_match "... it is said" "$ERR" "^mlcoach: assess: cannot read the answers: Is a directory"

# ---- finding 16: line numbers count the lines /assess read ----
NSTATEMENTS=$(grep -c '^  - id:' "$ROOT/knowledge/assessment.yml")
{ echo /assess; yes 3 | head -n "$NSTATEMENTS"; cat "$TMP/long"; echo; } >"$TMP/after-assess"
pipe "$TMP/after-assess"
expect_match "a long question after /assess: its own line number" "$ERR" \
    "^mlcoach: line $((NSTATEMENTS + 2)): question too long"
rm -rf "$XDG_DATA_HOME/mlcoach"

# ---- finding 17: in JSON an over-long line gets its object too ----
{ echo "how do I find a mentor"; cat "$TMP/long"; echo; echo "should I specialise"; } >"$TMP/mixed"
pipe "$TMP/mixed" --json
expect_rc "a long line in JSON: exit 65 (refused)" 65
expect_eq "... one object per input line" "$(all_parse && printf '%s\n' "$OUT" | wc -l)" 3
expect_eq "... the long line's is an error with its line and size" \
    "$(jqf "$(line 2)" '[.error != null, .line, .bytes] | @tsv')" "$(printf 'true\t2\t10000')"
expect_eq "... and the next line is answered in its place" "$(jqf "$(line 3)" .question)" \
    "should I specialise"

# ---- finding 10: every slash command checks its arguments from the table ----
printf '/done\n' >"$TMP/done"
pipe "$TMP/done"
expect_rc "/done without a number: no crash, exit 0" 0
expect_match "... says what it needs" "$OUT" "^/done needs N: /done N "
printf '/done\n/topic\n/why 1\n/level a b\nhow do I find a mentor\n' >"$TMP/args"
pipe "$TMP/args" --json
expect_eq "missing and extra arguments in JSON: an error object each, then the answer" \
    "$(printf '%s\n' "$OUT" | jq -r '.error // .intent' | cut -c1-22 | tr '\n' '|')" \
    "/done needs N: /done N|/topic needs NAME: /to|/why takes no argument|/level takes at most 1|mentorship.find-a-ment|"
# Every command of /help, with no argument and with three: one object each
# and no crash, whatever the command (a new row is covered when added).
printf '/help\n' >"$TMP/help"
pipe "$TMP/help" --json
for name in $(jqf "$OUT" '.commands[].name | split(" ")[0]'); do
    for extra in "" " a b c"; do
        printf '%s%s\n' "$name" "$extra" >"$TMP/one"
        pipe "$TMP/one" --json
        if [ "$RC" -ne 0 ] || [ "$(printf '%s\n' "$OUT" | jq -c type 2>/dev/null)" != '"object"' ]; then
            fail "'$name$extra': exit 0 and one JSON object" "exit $RC" "$OUT" "$ERR"
        else
            pass "'$name$extra': exit 0 and one JSON object"
        fi
    done
done
finish
