#!/bin/sh
# docs.sh -- the man page: it formats without a warning, documents every
# slash command and option the program has, and `make install` installs it.
. "$(dirname "$0")/../lib.sh"

MAN=$ROOT/mlcoach.1
run groff -man -ww -z "$MAN"
expect_rc "groff -man -ww -z accepts mlcoach.1" 0
expect_eq "groff -man -ww -z prints no warning for mlcoach.1" "$OUT$ERR" ""

# has LINE-REGEX: the man page source has a line matching LINE-REGEX.
has() { grep -Eq -- "$1" "$MAN"; }
# check NAME: pass when the last `has` succeeded.
check() { if [ "$?" -eq 0 ]; then pass "$1"; else fail "$1" "not found in mlcoach.1"; fi; }

# Every slash command the program lists in /help has a man page entry.
cmds=$(printf '/help\n' | "$MLCOACH" --json | jq -r '.commands[].name | split(" ")[0]')
expect_eq "/help lists seventeen commands" "$(printf '%s\n' "$cmds" | wc -l)" 17
for c in $cmds; do
    has "^\.(B|BI|BR) $c( |\$)"; check "the man page documents $c"
done
# The README's slash-command table is /help's, row for row, in order.
want=$(printf '/help\n' | "$MLCOACH" --json | jq -r '.commands[] | "\(.name)|\(.help)"')
got=$(sed -n 's/^| `\(\/[^`]*\)` | \(.*\) |$/\1|\2/p' "$ROOT/README.md" | sed 's/\\|/|/g')
expect_eq "the README's slash-command table is /help's" "$got" "$want"
# Every long option in --help has one too (written \-\- in the source).
for o in $("$MLCOACH" --help | grep -oE -- '--[a-z]+' | sort -u); do
    grep -Fq -- "\\-\\-${o#--}" "$MAN"; check "the man page documents $o"
done
for s in MODES OPTIONS COMMANDS "INTERACTIVE SESSION" FILES ENVIRONMENT "EXIT STATUS"; do
    has "^\.SH \"?$s\"?\$"; check "the man page has a $s section"
done
for code in 0 1 64 65 66 73 74 75 129 143; do
    has "^\.BR? (.* )?$code( |\$)"; check "the man page explains exit status $code"
done

run make -s -C "$ROOT" install PREFIX=/usr DESTDIR="$TMP/dest"
expect_rc "make install succeeds" 0
expect_eq "make install puts the man page in share/man/man1" \
    "$(stat -c %a "$TMP/dest/usr/share/man/man1/mlcoach.1" 2>&1)" 644
run make -s -C "$ROOT" uninstall PREFIX=/usr DESTDIR="$TMP/dest"
expect_eq "make uninstall removes it" "$(ls "$TMP/dest/usr/share/man/man1")" ""
finish
