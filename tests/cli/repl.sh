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
finish
