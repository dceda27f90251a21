# tmuxlib.sh -- driving mlcoach in a real terminal, for the tmux tests
# (sourced after lib.sh). tmux runs ./mlcoach in a detached pane of fixed
# size on a private server; a test types with send-keys and reads the
# screen with capture-pane, polling until the expected text appears (or a
# timeout says it never did). The server socket lives in the test's
# temporary directory, so nothing is left behind. Without tmux the script
# that sources this says so and stops.

if ! command -v tmux >/dev/null 2>&1; then
    echo "SKIP - tmux is not installed (make deps installs it); terminal tests not run"
    finish
    exit
fi

SOCKET=$TMP/tmux.sock
trap 'tmux -S "$SOCKET" kill-server 2>/dev/null; rm -rf "$TMP"' EXIT
t() { tmux -u -S "$SOCKET" -f /dev/null "$@"; }
ESC=$(printf '\033')

# The pane runs this wrapper, which records mlcoach's exit status in a file
# (tmux can be slow to reap a pane's process). It ignores the signals the
# tests send, because libedit passes each one on to the whole process group.
cat >"$TMP/wrap" <<'EOF_WRAP'
status=$1
shift
trap '' INT TERM HUP
"$@"
echo $? >"$status"
EOF_WRAP

# start NAME WIDTH [VAR=VALUE]... [-- ARG...]: a session in a pane NAME,
# WIDTH columns by 30 rows, with the private HOME and XDG directories
# lib.sh made, and no LANG (the locale fallback must cope).
start() {
    name=$1 width=$2
    shift 2
    vars="" args=""
    while [ $# -gt 0 ] && [ "$1" != "--" ]; do vars="$vars '$1'"; shift; done
    [ $# -gt 0 ] && shift
    for a in "$@"; do args="$args '$a'"; done
    t new-session -d -s "$name" -x "$width" -y 30 \
        "exec sh '$TMP/wrap' '$TMP/status.$name' env -u LANG -u LC_ALL -u NO_COLOR HOME='$HOME' XDG_STATE_HOME='$XDG_STATE_HOME' $vars '$MLCOACH' $args" \; \
        set-window-option -t "$name" remain-on-exit on
}

# pid NAME: the process id of mlcoach in pane NAME.
pid() { pgrep -P "$(t display -p -t "$1" '#{pane_pid}')"; }

# screen NAME [FLAGS]: the pane's text now, in $SCREEN.
screen() { SCREEN=$(t capture-pane -t "$1" -p ${2:-}); }

# wait_for NAME REGEX [FLAGS]: poll the screen (every 0.05 s, at most 10 s)
# until a line matches REGEX; returns 1 on timeout. $SCREEN holds the text.
wait_for() {
    i=0
    while [ $i -lt 200 ]; do
        screen "$1" "${3:-}"
        printf '%s\n' "$SCREEN" | grep -Eq -- "$2" && return 0
        sleep 0.05
        i=$((i + 1))
    done
    return 1
}

# see NAME CHECK REGEX [FLAGS]: a check that passes when REGEX shows up.
see() {
    if wait_for "$1" "$3" "${4:-}"; then pass "$2"; else fail "$2" "never saw /$3/ on screen:" "$SCREEN"; fi
}

# cursor_line NAME: the text of the line the cursor is on.
cursor_line() { t capture-pane -t "$1" -p | sed -n "$(($(t display -p -t "$1" '#{cursor_y}') + 1))p"; }

# see_prompt NAME CHECK TEXT: the line being edited reads exactly "mlcoach> TEXT".
see_prompt() {
    i=0
    while [ $i -lt 200 ]; do
        got=$(cursor_line "$1" | sed 's/ *$//')
        [ "$got" = "$(printf 'mlcoach> %s' "$3" | sed 's/ *$//')" ] && { pass "$2"; return; }
        sleep 0.05
        i=$((i + 1))
    done
    fail "$2" "line being edited: '$got'" "wanted:             'mlcoach> $3'"
}

# wait_exit NAME: wait for mlcoach in pane NAME to end; $STATUS is its
# exit status (empty if it did not end within 10 s).
wait_exit() {
    i=0 STATUS=""
    while [ $i -lt 200 ]; do
        [ -s "$TMP/status.$1" ] && { STATUS=$(cat "$TMP/status.$1"); return; }
        sleep 0.05
        i=$((i + 1))
    done
}

# columns: each line of stdin as its width (a UTF-8 character counts once).
columns() { LC_ALL=C sed 's/[\xc2-\xf4][\x80-\xbf]*/x/g' | awk '{ print length }'; }

# overlong NAME WIDTH: how many lines of pane NAME (the terminal's own
# wrapping undone, so a line mlcoach did not wrap shows whole) are wider
# than WIDTH columns.
overlong() {
    screen "$1" -J
    printf '%s\n' "$SCREEN" | sed 's/ *$//' | columns | awk -v w="$2" '$1 > w' | wc -l
}
