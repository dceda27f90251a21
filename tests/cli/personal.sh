#!/bin/sh
# personal.sh -- personal files under hostile conditions, each with a
# defined result: output that stays JSON or terminal-safe whatever a file
# says; data and state directories that cannot be written; a personal file
# replaced by a symbolic link, a FIFO, a directory, a huge file, truncated
# or wrongly typed JSON; no HOME or XDG variables at all; file modes
# whatever the umask. (coach.sh covers the everyday journey, damaged and
# newer files, and a data directory below a regular file.)
. "$(dirname "$0")/../lib.sh"

D="$XDG_DATA_HOME/mlcoach"
ESC=$(printf '\033')
# has_byte FILE OCTAL: FILE holds that byte (od prints it as three digits).
has_byte() { od -An -v -to1 "$1" | tr -s ' ' '\n' | grep -qx "$2"; }
# same FILE1 FILE2: "same" when the two files have the same bytes.
same() { cmp -s "$1" "$2" && echo same; }
# one_step_plan TITLE: a plan of one step, not done, titled TITLE (JSON text).
one_step_plan() {
    mkdir -p "$D"
    cat >"$D/plan.json" <<EOF
{"version": 1, "created": "2026-01-02", "level": "junior", "from": null, "steps": [
 {"n": 1, "title": "$1", "topic": "mentorship",
  "entry": "mentorship.find-a-mentor", "done": false, "done_on": null}]}
EOF
}

# ---- JSON output stays JSON when there is nothing to show ----
run "$MLCOACH" --json done 1
expect_rc "done --json without a plan: exit 1" 1
expect_eq "done --json without a plan: the empty plan, as JSON" "$OUT" \
    '{"steps":[],"done":0,"total":0}'
run sh -c "'$MLCOACH' --json assess < /dev/null"
expect_rc "assess --json with nothing rated: exit 1" 1
expect_eq "assess --json with nothing rated: no text on stdout" "$OUT" ""

run env XDG_DATA_HOME="$TMP/$(printf '\377')data" "$MLCOACH" export
expect_rc "export with a data directory that is not UTF-8: exit 0" 0
expect_eq "... the path in the JSON has U+FFFD for the bad byte" "$(jqf "$OUT" .data_dir)" \
    "$TMP/$(printf '\357\277\275')data/mlcoach"

# ---- text from a personal file is never written raw to a terminal ----
one_step_plan 'Find \u001b]0;pwned\u0007 a mentor'
run "$MLCOACH" done 1
expect_rc "done with an escape in the step's title: exit 0" 0
printf '%s' "$OUT" >"$TMP/done.out"
if has_byte "$TMP/done.out" 033 || has_byte "$TMP/done.out" 007; then
    fail "done: no ESC or BEL from the step's title" "$(od -c "$TMP/done.out" | head)"
else
    pass "done: no ESC or BEL from the step's title"
fi
expect_match "done: the title is shown with '?' for the controls" "$(flat "$OUT")" \
    "^Step 1 done on [0-9-]+: Find \?\]0;pwned\? a mentor 1 of 1 steps done\. Next: "
cat >"$D/assessments.json" <<'EOF'
{"version": 1, "assessments": [{"date": "\u001b[2J", "answers": {}, "scores": {"roles": 50}}]}
EOF
run "$MLCOACH" progress
expect_rc "an assessment dated with an escape is a damaged file (65)" 65
expect_match "... named, with what a date must be" "$ERR" \
    "^mlcoach: $D/assessments.json: damaged: assessment 1 must have a date \(YYYY-MM-DD\)"
expect_no_match "... and the escape is not shown" "$OUT" "$ESC"
rm -rf "$D"

# ---- no HOME and no XDG variables: no data directory, said plainly ----
NOHOME="env -u HOME -u XDG_DATA_HOME -u XDG_STATE_HOME"
NODIR="^mlcoach: no data directory: set HOME or XDG_DATA_HOME to an absolute path$"
for c in profile progress plan "done 1" export "forget --yes" "profile set years=2"; do
    run $NOHOME "$MLCOACH" $c
    expect_rc "no HOME: '$c' exits 73" 73
    expect_match "no HOME: '$c' says why" "$ERR" "$NODIR"
    expect_eq "no HOME: '$c' writes nothing on stdout" "$OUT" ""
done
run sh -c "$NOHOME '$MLCOACH' assess < /dev/null"
expect_rc "no HOME: assess exits 73 before asking anything" 73
run env -u XDG_DATA_HOME HOME=relative/home "$MLCOACH" profile
expect_rc "a relative HOME counts as none: exit 73" 73
printf '/profile\n/progress\nhow do I find a mentor?\n/plan\n' >"$TMP/coaching"
run sh -c "$NOHOME '$MLCOACH' < '$TMP/coaching'"
expect_rc "no HOME, piped session: exit 0, the session goes on" 0
expect_eq "no HOME, piped session: each coaching command says why once" \
    "$(printf '%s\n' "$ERR" | grep -c "$NODIR")" 3
expect_match "no HOME, piped session: the question is answered" "$OUT" "^Sources: "
run sh -c "$NOHOME '$MLCOACH' --json < '$TMP/coaching'"
expect_rc "no HOME, piped JSON session: exit 0" 0
expect_eq "no HOME, piped JSON session: one object per line, in order" \
    "$(printf '%s\n' "$OUT" | jq -c '[.command, .answered]')" \
    "$(printf '["profile",null]\n["progress",null]\n[null,true]\n["plan",null]')"
expect_eq "no HOME, piped JSON session: each command's object is an error" \
    "$(printf '%s\n' "$OUT" | jq -r 'select(.command) | .error')" \
    "$(for i in 1 2 3; do echo "There is no data directory, or it or a personal file cannot be created; standard error says why."; done)"
one_step_plan 'Find a mentor'
run sh -c "printf '/done 0\n/done 9\n/done 1\n/assess\n' | '$MLCOACH' --json"
expect_eq "piped JSON session: a coaching command that fails gives an error object" \
    "$(printf '%s\n' "$OUT" | jq -c '[.command, has("error")]')" \
    "$(printf '["done",true]\n["done",true]\n[null,false]\n["assess",true]')"
expect_eq "... and one that works gives its own object" \
    "$(printf '%s\n' "$OUT" | sed -n 3p | jq -c '[.done, .total]')" "[1,1]"
rm -rf "$D"

# ---- the REPL's history: a state directory that cannot be written, and
# a history file that is a link, a FIFO, a directory or huge ----
# repl VAR=VALUE...: on a terminal (script(1)), ask one question and /quit;
# the exit status in $RC, the screen (stderr included) in $OUT. timeout
# turns a hang into exit 124.
repl() {
    run sh -c "printf 'how do I find a mentor?\n/quit\n' |
        env $* timeout 30 script -qec '$MLCOACH --color=never' /dev/null"
}
H="$XDG_STATE_HOME/mlcoach/history"
if command -v script >/dev/null 2>&1; then
    printf 'not a directory' >"$TMP/statefile"
    repl XDG_STATE_HOME="$TMP/statefile"
    expect_rc "state directory below a regular file: exit 73" 73
    expect_match "... says the history was not saved, and why" "$OUT" \
        "^mlcoach: history not saved: cannot create $TMP/statefile: Not a directory"
    expect_match "... after answering the question" "$OUT" "^Sources: "
    expect_eq "... and the file in the way is untouched" "$(cat "$TMP/statefile")" "not a directory"
    repl XDG_STATE_HOME=/proc/mlcoach-state
    expect_rc "state directory in /proc (not writable even for root): exit 73" 73
    expect_match "... says why" "$OUT" \
        "^mlcoach: history not saved: cannot create /proc/mlcoach-state: No such file or directory"

    mkdir -p "$(dirname "$H")"
    printf 'my own notes\n' >"$TMP/notes"
    ln -s "$TMP/notes" "$H"
    repl
    expect_rc "history replaced by a symbolic link: exit 0" 0
    expect_match "... warned about, not followed" "$OUT" \
        "^mlcoach: warning: history $H is a symbolic link, which mlcoach does not follow; history will not be saved this session"
    expect_eq "... the link's target is unchanged" "$(cat "$TMP/notes")" "my own notes"
    expect_eq "... and the link is still a link" "$(test -L "$H" && echo link)" link
    rm -f "$H"
    mkfifo "$H"
    repl
    expect_rc "history that is a FIFO: no hang, exit 0" 0
    expect_match "... warned about" "$OUT" "^mlcoach: warning: history $H is not a regular file"
    expect_eq "... and left a FIFO" "$(test -p "$H" && echo fifo)" fifo
    rm -f "$H"
    mkdir "$H"
    repl
    expect_rc "history that is a directory: exit 0" 0
    expect_match "... warned about" "$OUT" "^mlcoach: warning: history $H is not a regular file"
    rmdir "$H"
    head -c 52428800 /dev/zero | tr '\0' 'a' >"$H"
    repl
    expect_rc "a 50 MB history: exit 0" 0
    expect_match "... not read, warned about" "$OUT" \
        "^mlcoach: warning: history $H is larger than 16 MiB, so not one mlcoach wrote"
    expect_eq "... and left as it was" "$(wc -c <"$H")" 52428800
    # 4 million short lines (8 MB, under the limit): only the newest 1000
    # are kept, without moving 1000 entries for every line read.
    yes 'a
b' | head -n 4000000 >"$H"
    repl
    expect_rc "a history of 4 million lines: loads, exit 0" 0
    expect_eq "... the newest 1000 entries are kept" "$(wc -l <"$H")" 1000
    expect_eq "... the question asked is the newest" "$(tail -n 3 "$H" | tr '\n' '|')" \
        "b|how do I find a mentor?|/quit|"
else
    skip "history on a terminal" "script(1) is not installed"
fi

# ---- modes: personal files 0600, the directories mlcoach makes 0700,
# whatever the umask; a directory that was already there is left alone ----
for mask in 000 277; do
    M="$TMP/modes$mask"
    (umask $mask
     XDG_DATA_HOME="$M/a/b" "$MLCOACH" profile set level=junior focus=mentorship
     printf '2\n3\n' | XDG_DATA_HOME="$M/a/b" "$MLCOACH" assess) >/dev/null 2>&1
    expect_eq "umask $mask: profile, assessments and plan are 0600" \
        "$(stat -c '%n %a' "$M/a/b/mlcoach"/* | sed "s|^$M/a/b/mlcoach/||" | tr '\n' ' ')" \
        "assessments.json 600 plan.json 600 profile.json 600 "
    expect_eq "umask $mask: every directory mlcoach made is 0700" \
        "$(stat -c %a "$M" "$M/a" "$M/a/b" "$M/a/b/mlcoach" | tr '\n' ' ')" "700 700 700 700 "
    if command -v script >/dev/null 2>&1; then
        (umask $mask; repl XDG_STATE_HOME="$M/state"; echo "$RC" >"$TMP/rc")
        expect_eq "umask $mask: the history is saved" "$(cat "$TMP/rc")" 0
        expect_eq "umask $mask: the history is 0600, its directories 0700" \
            "$(stat -c %a "$M/state/mlcoach/history" "$M/state/mlcoach" "$M/state" | tr '\n' ' ')" \
            "600 700 700 "
    fi
done
mkdir -p "$TMP/shared" && chmod 755 "$TMP/shared"
XDG_DATA_HOME="$TMP/shared" "$MLCOACH" profile set years=1 >/dev/null 2>&1
expect_eq "a data home that was already there keeps its mode" "$(stat -c %a "$TMP/shared")" 755
expect_eq "... the mlcoach directory in it is 0700" "$(stat -c %a "$TMP/shared/mlcoach")" 700

# ---- a data directory that cannot be written, even by root ----
run env XDG_DATA_HOME=/proc/mlcoach-data "$MLCOACH" profile set years=2
expect_rc "data directory in /proc: exit 73" 73
expect_match "... names the directory and says why" "$ERR" \
    "^mlcoach: /proc/mlcoach-data: cannot create the data directory: No such file or directory; nothing was saved$"
run sh -c "printf '2\n' | XDG_DATA_HOME=/proc/mlcoach-data '$MLCOACH' --json assess"
expect_rc "assess with its data directory in /proc: exit 73" 73
expect_eq "... still shows the result, marked not saved" "$(jqf "$OUT" .saved)" false
mkdir -p "$TMP/blocked"
printf 'in the way' >"$TMP/blocked/mlcoach"
run env XDG_DATA_HOME="$TMP/blocked" "$MLCOACH" profile set years=2
expect_rc "a file where the data directory goes: exit 73" 73
expect_eq "... nothing else is left behind" "$(ls -A "$TMP/blocked")" mlcoach
expect_eq "... and the file is untouched" "$(cat "$TMP/blocked/mlcoach")" "in the way"

# ---- a personal file replaced by a symbolic link: never followed ----
# setup: a plan, a profile and an assessment to replace.
"$MLCOACH" profile set level=junior focus=mentorship >/dev/null 2>&1
printf '2\n3\n' | "$MLCOACH" assess >/dev/null 2>&1
# no_temps NAME: no temporary file is left in the data directory.
no_temps() { expect_eq "$1" "$(ls -A "$D" | grep -c '\.tmp-')" 0; }
for f in profile.json assessments.json plan.json; do
    cp "$D/$f" "$TMP/target.$f"
    cp "$D/$f" "$TMP/copy.$f"
    rm "$D/$f"
    ln -s "$TMP/target.$f" "$D/$f"
done
run "$MLCOACH" profile set years=9
expect_rc "profile.json is a symbolic link: profile set exits 65" 65
expect_match "... says it is a link it does not follow" "$ERR" \
    "^mlcoach: $D/profile.json: is a symbolic link, which mlcoach does not follow for personal files"
run "$MLCOACH" done 1
expect_rc "plan.json is a symbolic link: done exits 65" 65
run sh -c "printf '5\n' | '$MLCOACH' assess"
expect_rc "assessments.json is a symbolic link: assess exits 65" 65
for f in profile.json assessments.json plan.json; do
    expect_eq "the target of the link at $f is unchanged" \
        "$(same "$TMP/target.$f" "$TMP/copy.$f")" same
    expect_eq "... and $f is still the link" "$(readlink "$D/$f")" "$TMP/target.$f"
done
no_temps "no temporary file is left after refusing links"
rm "$D/profile.json"
ln -s "$TMP/nowhere.json" "$D/profile.json"
run "$MLCOACH" profile set years=9
expect_rc "a dangling link as profile.json: exit 65" 65
expect_eq "... and its target is not created" "$(test -e "$TMP/nowhere.json" && echo created)" ""
rm -rf "$D"

# ---- a personal file that is a FIFO, a directory, huge, truncated or of
# the wrong types: named, left untouched, exit 65, never a hang ----
# unusable NAME FILE CMD...: run CMD (under timeout) with FILE unusable in
# some way; it must exit 65, name FILE, leave it as it was and save
# nothing in its place.
unusable() {
    name=$1 f=$2
    shift 2
    before=$(ls -l --time-style=+%s.%N "$D/$f" | cut -d' ' -f1,5-)
    run timeout 30 "$MLCOACH" "$@"
    expect_rc "$name: '$*' exits 65, no hang" 65
    expect_match "$name: '$*' names the file" "$ERR" "^mlcoach: $D/$f: "
    expect_eq "$name: '$*' leaves it as it was" \
        "$(ls -l --time-style=+%s.%N "$D/$f" | cut -d' ' -f1,5-)" "$before"
    no_temps "$name: '$*' leaves no temporary file"
}
mkdir -p "$D"
mkfifo "$D/profile.json"
unusable "a FIFO" profile.json profile
unusable "a FIFO" profile.json profile set years=2
expect_match "a FIFO: said to be no regular file" "$ERR" "profile.json: not a regular file"
rm "$D/profile.json"
mkdir "$D/plan.json"
unusable "a directory" plan.json plan
unusable "a directory" plan.json done 1
rmdir "$D/plan.json"
{ printf '{"version": 1, "assessments": ['
  yes '{"date": "2026-01-02", "answers": {}, "scores": {}},' | head -c 52428800
  printf '{"date": "2026-01-02", "answers": {}, "scores": {}}]}\n'; } >"$D/assessments.json"
unusable "a 50 MB file" assessments.json progress
expect_match "a 50 MB file: said to be too large" "$ERR" "assessments.json: larger than 16 MiB"
rm "$D/assessments.json"
"$MLCOACH" profile set level=junior focus=mentorship >/dev/null 2>&1
printf '2\n3\n' | "$MLCOACH" assess >/dev/null 2>&1
for f in profile.json assessments.json plan.json; do
    head -c 40 "$D/$f" >"$TMP/half" && mv "$TMP/half" "$D/$f"
done
unusable "half-written JSON" profile.json profile
expect_match "half-written JSON: says where the JSON ends" "$ERR" \
    "profile.json: damaged: line [0-9]+, column [0-9]+: "
unusable "half-written JSON" assessments.json progress
unusable "half-written JSON" plan.json plan --json
printf '{"version": 1, "level": 3, "years": "two", "focus": "mentorship", "goals": []}\n' \
    >"$D/profile.json"
unusable "wrong JSON types" profile.json profile set goals=x
expect_match "wrong JSON types: says which key" "$ERR" '"level" must be "junior", "senior" or null'
printf '{"version": 1, "assessments": {"date": "2026-01-02"}}\n' >"$D/assessments.json"
unusable "wrong JSON types" assessments.json progress --json
expect_match "wrong JSON types: assessments must be a list" "$ERR" '"assessments" must be a list'
printf '{"version": 1, "steps": [{"n": "1", "title": 2, "done": "yes"}]}\n' >"$D/plan.json"
unusable "wrong JSON types" plan.json done 1
expect_match "wrong JSON types: the bad step is named" "$ERR" "step 1 must have n, title, topic"
printf '{"version": "1"}\n' >"$D/plan.json"
unusable "a version that is not a number" plan.json plan
rm -rf "$D"

finish
