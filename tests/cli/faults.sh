#!/bin/sh
# faults.sh -- personal files when the system fails under them: a full
# disk, a directory that cannot be synced, a slow rename while another
# writer sweeps leftovers. The failures come from BUILD_DIR/libfault.so
# (tests/fault.c) through LD_PRELOAD; the sanitizer builds intercept the
# same calls themselves, so there these checks are skipped.
. "$(dirname "$0")/../lib.sh"

FAULT=$BUILD_DIR/libfault.so
if [ "$SANITIZED" = 1 ]; then
    skip "fault injection" "the sanitizers intercept write, fsync and unlink themselves"
    finish
    exit
fi
D="$XDG_DATA_HOME/mlcoach"
yes 1 | head -n 25 >"$TMP/ones"
run sh -c "'$MLCOACH' assess < '$TMP/ones'"
expect_rc "an assessment and its plan to start from" 0
cp "$D/plan.json" "$TMP/plan.before"

# ---- a full disk: the error says so, and nothing else ----
run env LD_PRELOAD="$FAULT" FAULT_ENOSPC=.tmp- "$MLCOACH" done 1
expect_rc "done on a full disk: exit 74" 74
expect_match "... says the plan could not be written, and why" "$ERR" \
    "^mlcoach: $D/plan.json: cannot write: No space left on device; nothing was saved$"
expect_eq "... and nothing more: no stale 'write error' line" "$(printf '%s\n' "$ERR" | wc -l)" 1
expect_eq "... the plan is unchanged" "$(cmp -s "$D/plan.json" "$TMP/plan.before" && echo same)" same
expect_eq "... no temporary file is left" "$(ls -A "$D" | grep -c tmp)" 0

# ---- the directory cannot be synced after the rename: saved, said so ----
run env LD_PRELOAD="$FAULT" FAULT_DIRSYNC=1 "$MLCOACH" done 1
expect_rc "done when the directory sync fails: exit 74" 74
expect_match "... says the step was saved but may not survive a crash" "$ERR" \
    "^mlcoach: warning: $D/plan.json: saved, but the directory $D cannot be synced \(Input/output error\), so a crash could still undo it$"
expect_no_match "... and not that nothing was saved" "$ERR" "nothing was saved|write error"
expect_match "... the step is reported done" "$OUT" "^Step 1 done on "
expect_eq "... and is done in the file" "$(jq '.steps[0].done' "$D/plan.json")" true

# ---- a writer's temporary file stays locked until it is renamed, so a
# sweep by another writer cannot take it away ----
env LD_PRELOAD="$FAULT" FAULT_RENAME_DELAY=1 "$MLCOACH" done 2 >"$TMP/slow.out" 2>&1 &
slow=$!
i=0
while [ $i -lt 100 ] && ! ls -A "$D" | grep -q '^\.plan\.json\.tmp-'; do sleep 0.02; i=$((i + 1)); done
tmp=$(ls -A "$D" | grep '^\.plan\.json\.tmp-' | head -n 1)
if [ -z "$tmp" ]; then
    fail "a temporary file is there while the rename waits" "$(ls -A "$D")"
else
    flock -n -E 99 "$D/$tmp" true
    expect_eq "a writer's temporary file is still locked just before its rename" "$?" 99
fi
wait $slow
expect_eq "... and the write succeeds" "$?" 0
expect_eq "... step 2 is done" "$(jq '.steps[1].done' "$D/plan.json")" true

# ---- forget where files cannot be deleted: said, not "nothing to delete" ----
rm -f "$D/assessments.json"
"$MLCOACH" profile set level=junior >/dev/null
run env LD_PRELOAD="$FAULT" FAULT_EROFS="$D/" "$MLCOACH" forget --yes
expect_rc "forget on a read-only data directory: exit 74" 74
expect_match "... names each file that cannot be deleted" "$(flat "$ERR")" \
    "profile.json: cannot delete: Read-only file system.*plan.json: cannot delete"
expect_no_match "... and not one that is not there" "$ERR" "assessments.json"
expect_no_match "... never says there was nothing to delete" "$OUT" "Nothing to delete"
expect_match "... says how many remain" "$OUT" "^2 files could not be deleted and remain\.$"
expect_eq "... and they do" "$(ls "$D" | tr '\n' ' ')" "plan.json profile.json "
finish
