#!/bin/sh
# tmux_assess.sh -- signals while /assess waits for an answer in the REPL
# (issue 16, finding 14): Ctrl-C abandons the assessment, saying so, and
# the session goes on; SIGTERM and SIGHUP end the session at once, as they
# do at the prompt. Nothing half-rated is saved.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../tmuxlib.sh"

DATA=$XDG_DATA_HOME/mlcoach
ANSWER="1-5, Enter skips, b back, q stops:"

# ---- Ctrl-C during /assess ----
start int 80 "XDG_DATA_HOME=$XDG_DATA_HOME"
see int "(the session starts)" "^Try: "
t send-keys -t int "/assess" Enter
see int "(/assess asks the first statement)" "^\[1/"
t send-keys -t int 3 Enter
see int "(and the second)" "^\[2/"
t send-keys -t int C-c
see int "Ctrl-C during /assess abandons it, said so" "^Assessment abandoned; nothing was saved\.$"
expect_eq "... and nothing is saved" "$(ls "$DATA" 2>/dev/null)" ""
see_prompt int "... the prompt comes back" ""
t send-keys -t int "how do I find a mentor?" Enter
see int "... and the session goes on" "^Topic: mentorship"
t send-keys -t int "/quit" Enter
wait_exit int
expect_eq "... to /quit, exit 0" "$STATUS" 0

# ---- SIGTERM and SIGHUP during /assess ----
for sig in TERM:15 HUP:1; do
    num=${sig#*:} sig=${sig%:*}
    start "s$sig" 80 "XDG_DATA_HOME=$XDG_DATA_HOME"
    see "s$sig" "(SIG$sig: the session starts)" "^Try: "
    t send-keys -t "s$sig" "/assess" Enter
    see "s$sig" "(SIG$sig: /assess waits for an answer)" "$ANSWER"
    kill -"$sig" "$(pid "s$sig")"
    wait_exit "s$sig"
    expect_eq "SIG$sig during /assess ends the session with 128 + the signal" "$STATUS" \
        "$((128 + num))"
    expect_eq "... and saves nothing" "$(ls "$DATA" 2>/dev/null)" ""
done
finish
