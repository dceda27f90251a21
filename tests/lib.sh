# lib.sh -- shared helpers for the CLI test scripts (sourced, not run).
#
# Each script sources this file, calls the check functions, and ends with
# `finish`. A check prints "ok - NAME" or "not ok - NAME" plus what differed;
# finish prints the counts and exits non-zero if any check failed.
# MLCOACH is the binary under test; FIXTURE_KB a small valid knowledge base;
# BUILD_DIR holds the test programs built with it (make sanitize sets all
# three, and SANITIZED=1 when the binary is built with the sanitizers).

set -u
TESTS_DIR=$(cd "$(dirname "$0")/.." && pwd)
ROOT=$(cd "$TESTS_DIR/.." && pwd)
MLCOACH=${MLCOACH:-$ROOT/mlcoach}
BUILD_DIR=${BUILD_DIR:-$ROOT/build}
SANITIZED=${SANITIZED:-0}
FIXTURE_KB=$TESTS_DIR/fixtures/kb
TMP=$(mktemp -d "${TMPDIR:-/tmp}/mlcoach-test.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
PASSED=0
FAILED=0
SKIPPED=0
# Keep the user's environment out of the tests.
unset MLCOACH_KB NO_COLOR COLUMNS PAGER MLCOACH_PAGER XDG_CONFIG_HOME
export HOME="$TMP/home" XDG_STATE_HOME="$TMP/state" XDG_DATA_HOME="$TMP/data"
mkdir -p "$HOME"

pass() { PASSED=$((PASSED + 1)); echo "ok - $1"; }
# skip NAME REASON: a check that cannot run here, said out loud.
skip() { SKIPPED=$((SKIPPED + 1)); echo "ok - $1 # SKIP $2"; }
fail() { FAILED=$((FAILED + 1)); echo "not ok - $1"; shift; for l in "$@"; do echo "    $l"; done; }

# run CMD...: run it, keeping stdout in $OUT, stderr in $ERR, status in $RC.
run() {
    "$@" >"$TMP/out" 2>"$TMP/err"
    RC=$?
    OUT=$(cat "$TMP/out")
    ERR=$(cat "$TMP/err")
    # Under make sanitize any report fails, whatever the check looks at.
    if [ "$SANITIZED" = 1 ] &&
        grep -Eq 'ERROR: (Address|Leak)Sanitizer|runtime error:' "$TMP/err"; then
        fail "no sanitizer report from: $*" "$(head -n 20 "$TMP/err")"
    fi
}

# expect_rc NAME WANT: the last run exited with WANT.
expect_rc() {
    if [ "$RC" -eq "$2" ]; then pass "$1"; else fail "$1" "exit $RC, wanted $2" "stderr: $ERR"; fi
}

# expect_eq NAME GOT WANT
expect_eq() {
    if [ "$2" = "$3" ]; then pass "$1"; else fail "$1" "got:    $2" "wanted: $3"; fi
}

# expect_match NAME TEXT REGEX (extended regex, grep -E)
expect_match() {
    if printf '%s\n' "$2" | grep -Eq -- "$3"; then pass "$1"; else fail "$1" "no match for /$3/ in:" "$2"; fi
}

# expect_no_match NAME TEXT REGEX
expect_no_match() {
    if printf '%s\n' "$2" | grep -Eq -- "$3"; then fail "$1" "unexpected /$3/ in:" "$2"; else pass "$1"; fi
}

# flat TEXT: TEXT on one line (wrapped output joined with spaces).
flat() { printf '%s' "$1" | tr '\n' ' '; }

# jqf JSON FILTER: run jq on one JSON text, printing raw output.
jqf() { printf '%s\n' "$1" | jq -r "$2"; }

finish() {
    skipped=""
    [ "$SKIPPED" -eq 0 ] || skipped=", $SKIPPED skipped"
    echo "# $(basename "$0"): $PASSED passed, $FAILED failed$skipped"
    echo "$PASSED $FAILED" >>"${RESULTS:-/dev/null}"
    [ "$FAILED" -eq 0 ]
}
