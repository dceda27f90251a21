#!/bin/sh
# hostile.sh -- input meant to break mlcoach, each with a defined result:
# huge, NUL-laden, invalid or escape-laden questions; knowledge with
# terminal escapes, catastrophic patterns, deep nesting, huge size, and
# paths that are missing, unreadable or of the wrong type; closed output;
# no HOME. (stdout on /dev/full is tested in core.sh, "a full disk exits 74";
# a missing knowledge directory there too, "exits 66". Hostile personal
# files and data or state directories are in personal.sh.)
. "$(dirname "$0")/../lib.sh"

ESC=$(printf '\033')
BEL=$(printf '\007')
# has_byte FILE OCTAL: FILE holds that byte (od prints it as three digits).
has_byte() { od -An -v -to1 "$1" | tr -s ' ' '\n' | grep -qx "$2"; }

# ---- a 10 MB line: refused with a message, the next line still answered ----
head -c 10485760 /dev/zero | tr '\0' 'a' >"$TMP/big"
printf '\nhow do I find a mentor?\n' >>"$TMP/big"
run sh -c "'$MLCOACH' --json < '$TMP/big'"
expect_rc "a 10 MB line: exit 65 (refused)" 65
expect_match "a 10 MB line: says why, with its line number" "$ERR" \
    "^mlcoach: line 1: question too long \(10485760 bytes; the limit is 8192\), not answered$"
expect_eq "a 10 MB line: an error object for it, then the next question answered" \
    "$(printf '%s\n' "$OUT" | jq -r '.error // .question' | cut -c1-17)" \
    "$(printf 'question too long\nhow do I find a mentor?' | cut -c1-17)"
head -c 8192 "$TMP/big" >"$TMP/limit"
run sh -c "'$MLCOACH' --json < '$TMP/limit'"
expect_rc "a question of exactly 8192 bytes is not refused" 0
expect_eq "... and gets an answer object" "$(jqf "$OUT" '.question | length')" 8192
run "$MLCOACH" ask "$(head -c 8193 "$TMP/big")"
expect_rc "ask refuses 8193 bytes too" 65
expect_match "ask says why" "$ERR" "^mlcoach: question too long \(8193 bytes"

# ---- NUL bytes: read as spaces, the question still answered ----
printf 'how do I\000find a mentor?\000\n' >"$TMP/nul"
run sh -c "'$MLCOACH' --json < '$TMP/nul'"
expect_rc "NUL bytes: exit 0" 0
expect_eq "NUL bytes become spaces (a trailing one is trimmed)" "$(jqf "$OUT" .question)" "how do I find a mentor?"
expect_eq "NUL bytes: still answered" "$(jqf "$OUT" '[.answered, .topic] | tostring')" \
    '[true,"mentorship"]'

# ---- invalid UTF-8: valid JSON with U+FFFD, no raw bytes in text ----
printf 'how do I find a mentor \377\376 \300\257?\n' >"$TMP/utf8"
run sh -c "'$MLCOACH' --json --explain < '$TMP/utf8'"
expect_eq "invalid UTF-8: the JSON line parses" "$(printf '%s\n' "$OUT" | jq -c type)" '"object"'
expect_eq "invalid UTF-8: each bad byte is U+FFFD in the question" \
    "$(jqf "$OUT" .question)" "how do I find a mentor $(printf '\357\277\275\357\277\275 \357\277\275\357\277\275')?"
expect_eq "invalid UTF-8: still answered" "$(jqf "$OUT" .answered)" "true"
sh -c "'$MLCOACH' --explain < '$TMP/utf8'" >"$TMP/utf8.out" 2>&1
if has_byte "$TMP/utf8.out" 377 || has_byte "$TMP/utf8.out" 300; then
    fail "invalid UTF-8: never written raw as text" "$(od -c "$TMP/utf8.out" | head)"
else
    pass "invalid UTF-8: never written raw as text"
fi

# ---- terminal escapes in a question: never written raw ----
q="how do I find a mentor and should I learn pytorch? ${ESC}]0;pwned${BEL} ${ESC}[31mred"
"$MLCOACH" --explain ask "$q" >"$TMP/esc.out" 2>&1
if has_byte "$TMP/esc.out" 033 || has_byte "$TMP/esc.out" 007; then
    fail "escapes in a question: no ESC or BEL in text output" "$(od -c "$TMP/esc.out" | head)"
else
    pass "escapes in a question: no ESC or BEL in text output"
fi
expect_match "escapes in a question: the compound parts are still answered" \
    "$(cat "$TMP/esc.out")" "^» how do I find a mentor"
"$MLCOACH" --json --explain ask "$q" >"$TMP/esc.json" 2>&1
if has_byte "$TMP/esc.json" 033; then
    fail "escapes in a question: JSON escapes them" "$(od -c "$TMP/esc.json" | head)"
else
    pass "escapes in a question: JSON escapes them"
fi
expect_match "escapes in a question: ... as \\u001b" "$(cat "$TMP/esc.json")" \
    '"question":"[^"]*\\u001B\]0;pwned\\u0007 \\u001B\[31mred"'

# ---- terminal escapes in knowledge: shown as '?', colour codes only ours ----
# YAML double-quoted scalars decode \e (ESC) and \a (BEL); libyaml refuses
# the raw bytes anywhere in a file.
cp -r "$FIXTURE_KB" "$TMP/kb-esc"
cat >"$TMP/kb-esc/mentorship.yml" <<'YAML'
topic: mentorship
entries:
  - id: mentorship.find
    title: "Find \e]0;pwned\a a mentor"
    patterns:
      - '\b(find|get)\b.*\bmentors?\b'
    examples:
      - how do I find a mentor?
    answer: "Network \e[31mat work\e[0m, \e]0;pwned\a go to meetups."
    sources: [doc#one]
YAML
run "$MLCOACH" --kb "$TMP/kb-esc" check
expect_rc "escapes in knowledge: the copy is valid knowledge" 0
"$MLCOACH" --kb "$TMP/kb-esc" ask how do I find a mentor >"$TMP/kesc.out" 2>&1
expect_match "escapes in knowledge: the answer is shown" "$(cat "$TMP/kesc.out")" \
    "^Network \?\[31mat work\?\[0m, \?\]0;pwned\? go to meetups\.$"
if has_byte "$TMP/kesc.out" 033 || has_byte "$TMP/kesc.out" 007; then
    fail "escapes in knowledge: no ESC or BEL in text output" "$(od -c "$TMP/kesc.out" | head)"
else
    pass "escapes in knowledge: no ESC or BEL in text output"
fi
# On a terminal (script(1) gives one) the title is printed in bold: the
# only escapes allowed are mlcoach's own bold, dim and reset.
if command -v script >/dev/null 2>&1; then
    script -qec "'$MLCOACH' --kb '$TMP/kb-esc' ask how do I find a mentor" /dev/null \
        >"$TMP/tty.out" 2>&1
    expect_match "escapes in knowledge, on a terminal: coloured" "$(cat "$TMP/tty.out")" \
        "${ESC}\[1mFind \?\]0;pwned\? a mentor"
    sed "s/${ESC}\[[012]m//g" "$TMP/tty.out" >"$TMP/tty.rest"
    if has_byte "$TMP/tty.rest" 033 || has_byte "$TMP/tty.rest" 007; then
        fail "escapes in knowledge, on a terminal: no other escape" "$(od -c "$TMP/tty.rest" | head)"
    else
        pass "escapes in knowledge, on a terminal: no other escape"
    fi
else
    skip "escapes in knowledge, on a terminal" "script(1) is not installed"
fi

# ---- a million empty lines: nothing to answer, nothing printed ----
run sh -c "yes '' | head -n 1000000 | '$MLCOACH' --json"
expect_rc "a million empty lines: exit 0" 0
expect_eq "a million empty lines: no output" "$OUT$ERR" ""

# ---- a catastrophic pattern: the answer still comes; check warns ----
cp -r "$FIXTURE_KB" "$TMP/kb-redos"
line=$(grep -n "^      - '^mentors?\$'" "$TMP/kb-redos/mentorship.yml" | cut -d: -f1)
sed -i "${line}a\\      - '(a+)+\$'" "$TMP/kb-redos/mentorship.yml"
a5000=$(head -c 5000 "$TMP/big")
run "$MLCOACH" --kb "$TMP/kb-redos" --json ask "how do I find a mentor $a5000 x"
expect_rc "(a+)+\$ against 5000 a's: answered" 0
expect_eq "(a+)+\$ against 5000 a's: by the right entry" "$(jqf "$OUT" .intent)" "mentorship.find"
run "$MLCOACH" --kb "$TMP/kb-redos" --json ask "$a5000 x"
expect_rc "(a+)+\$ against only a's: no answer, no hang" 1
run "$MLCOACH" check --kb "$TMP/kb-redos"
expect_rc "check with (a+)+\$: still passes (a warning, not an error)" 0
expect_match "check warns about (a+)+\$ at FILE:LINE:COL of the outer +" "$ERR" \
    "^$TMP/kb-redos/mentorship.yml:$((line + 1)):14: warning: nested quantifier in a pattern of entry 'mentorship.find'"
expect_match "check counts the warning" "$OUT" "; 1 warning above$"

# ---- deeply nested and very large YAML ----
cp -r "$FIXTURE_KB" "$TMP/kb-deep"
head -c 100000 /dev/zero | tr '\0' '[' >"$TMP/kb-deep/learning.yml"
run "$MLCOACH" --kb "$TMP/kb-deep" ask how do I find a mentor
expect_rc "100000 '[': invalid knowledge (65)" 65
expect_match "100000 '[': refused at FILE:LINE:COL" "$ERR" \
    "^$TMP/kb-deep/learning.yml:1:17: nested deeper than 16 levels"
cp -r "$FIXTURE_KB" "$TMP/kb-alias"
printf '  - *e\n' >>"$TMP/kb-alias/learning.yml"
sed -i 's/^  - id: learning.courses/  - \&e\n    id: learning.courses/' "$TMP/kb-alias/learning.yml"
run "$MLCOACH" --kb "$TMP/kb-alias" check
expect_rc "an alias (billion laughs): invalid knowledge (65)" 65
expect_match "an alias: refused at FILE:LINE:COL" "$ERR" \
    "^$TMP/kb-alias/learning.yml:[0-9]+:5: alias '\*e': knowledge files do not use anchors"
cp -r "$FIXTURE_KB" "$TMP/kb-huge"
{ cat "$FIXTURE_KB/learning.yml"; yes '# padding padding padding padding padding padding' |
    head -c 20971520; } >"$TMP/kb-huge/learning.yml"
run "$MLCOACH" --kb "$TMP/kb-huge" ask how do I find a mentor
expect_rc "a 20 MB knowledge file: not read (66)" 66
expect_match "a 20 MB knowledge file: says why" "$ERR" \
    "^$TMP/kb-huge/learning.yml: too large \(over 16 MiB\)$"
cp -r "$FIXTURE_KB" "$TMP/kb-wide"
{ echo "concepts:"; i=0; while [ $i -lt 2000 ]; do echo "  c$i: [w]"; i=$((i + 1)); done; } |
    sed 's/^  c\([0-9]*\): \[w\]$/  c\1: [w]\n  c\1x: [w]/' >"$TMP/kb-wide/concepts.yml"
cat "$FIXTURE_KB/concepts.yml" | sed 1,3d >>"$TMP/kb-wide/concepts.yml"
run "$MLCOACH" --kb "$TMP/kb-wide" ask how do I find a mentor
expect_rc "a concepts.yml of 4000 keys loads" 0

# ---- knowledge paths that are not readable files ----
cp -r "$FIXTURE_KB" "$TMP/kb-dir"
rm "$TMP/kb-dir/mentorship.yml"
mkdir "$TMP/kb-dir/mentorship.yml"
run "$MLCOACH" --kb "$TMP/kb-dir" ask how do I find a mentor
expect_rc "a directory named mentorship.yml: exit 66" 66
expect_match "a directory named mentorship.yml: named" "$ERR" \
    "^$TMP/kb-dir/mentorship.yml: not a regular file$"
cp -r "$FIXTURE_KB" "$TMP/kb-fifo"
rm "$TMP/kb-fifo/learning.yml"
mkfifo "$TMP/kb-fifo/learning.yml"
run "$MLCOACH" --kb "$TMP/kb-fifo" ask how do I find a mentor
expect_rc "a FIFO named learning.yml: exit 66, no hang" 66
cp -r "$FIXTURE_KB" "$TMP/kb-dangling"
ln -sf "$TMP/nowhere.yml" "$TMP/kb-dangling/learning.yml"
run "$MLCOACH" --kb "$TMP/kb-dangling" ask how do I find a mentor
expect_rc "a dangling symlink: exit 66" 66
expect_match "a dangling symlink: says why" "$ERR" \
    "^$TMP/kb-dangling/learning.yml: cannot open: No such file or directory$"
cp -r "$FIXTURE_KB" "$TMP/kb-perm"
chmod 000 "$TMP/kb-perm/learning.yml"
if [ "$(id -u)" -eq 0 ]; then
    skip "an unreadable knowledge file exits 66" "running as root, which reads it anyway"
else
    run "$MLCOACH" --kb "$TMP/kb-perm" ask how do I find a mentor
    expect_rc "an unreadable knowledge file exits 66" 66
    expect_match "an unreadable knowledge file: says why" "$ERR" \
        "^$TMP/kb-perm/learning.yml: cannot open: Permission denied$"
fi
chmod 644 "$TMP/kb-perm/learning.yml"

# ---- closed output, no HOME ----
run sh -c "'$MLCOACH' ask how do I find a mentor >&-"
expect_rc "stdout closed: exit 74" 74
expect_eq "stdout closed: says so" "$ERR" "mlcoach: write error: standard output is closed"
run sh -c "echo 'how do I find a mentor' | '$MLCOACH' --json >&-"
expect_rc "stdout closed in pipe mode: exit 74" 74
run sh -c "'$MLCOACH' --json <&-"
expect_rc "stdin closed: nothing to answer, exit 0" 0
run env -u HOME -u XDG_STATE_HOME -u XDG_DATA_HOME "$MLCOACH" ask how do I find a mentor
expect_rc "HOME unset: still answers" 0
expect_match "HOME unset: the answer is there" "$OUT" "^Sources: "
finish
