#!/bin/sh
# genkb.sh N DIR -- write synthetic knowledge of N entries to DIR, in the
# format of knowledge/*.yml (README "The knowledge format"), for `make bench`.
#
# DIR gets sources.yml (one document, one section per topic), the 13 topic
# files with the entries spread over them, and questions.txt: one example
# question per entry, shuffled, for measuring. Each entry is about its own
# made-up noun (unique three-syllable word) and mixes in words from a shared
# vocabulary of two-syllable words, so patterns differ the way real ones do
# while sharing common words. Its four patterns use word boundaries,
# alternations, optional groups, `.*` and `\w*`, like the real knowledge.
# Plain POSIX sh and awk, with its own random numbers (same output from
# mawk and gawk), so it runs on a fresh machine without python.
set -eu
[ $# -eq 2 ] || { echo "usage: genkb.sh N DIR" >&2; exit 64; }
n=$1
dir=$2
mkdir -p "$dir"
rm -f "$dir"/*.yml "$dir/questions.txt"

awk -v n="$n" -v dir="$dir" '
BEGIN {
    split("roles technical-skills problem-solving communication leadership mentorship " \
          "learning experience specialization career-paths domain-knowledge organization " \
          "progression", topic, " ")
    split("b d f g k l m n p r s t v z", cons, " ")
    split("a e i o u", vow, " ")
    split("any junior senior", level, " ")
    split("how what why where when which", wh, " ")
    nsyl = 0
    for (c = 1; c <= 14; c++) for (v = 1; v <= 5; v++) syl[nsyl++] = cons[c] vow[v]
    seed = 20260101
    srcs = dir "/sources.yml"
    print "documents:\n  - id: synth\n    title: \"Synthetic Knowledge\"\n    file: synth.txt\n    sections:" > srcs
    for (t = 1; t <= 13; t++) {
        printf "      - id: %s\n        title: \"About %s\"\n", topic[t], topic[t] > srcs
        f = dir "/" topic[t] ".yml"
        printf "topic: %s\nentries:\n", topic[t] > f
        first[t] = ""
    }
    for (i = 0; i < n; i++) entry(i)
    for (i = 0; i < n; i++) { j = rnd(n); tmp = q[i]; q[i] = q[j]; q[j] = tmp }
    for (i = 0; i < n; i++) print q[i] > (dir "/questions.txt")
}
# Park-Miller: exact in the doubles awk computes with.
function rnd(k) { seed = (16807 * seed) % 2147483647; return seed % k }
# A shared word: two syllables, 4,900 of them.
function word() { return syl[rnd(nsyl)] syl[rnd(nsyl)] }
# The entry noun: three syllables spelling a scrambled i in base 70 (7919 is
# prime to 70^3, so no two entries share one).
function noun(i,    j) {
    j = (i * 7919 + 12345) % 343000
    return syl[int(j / 4900)] syl[int(j / 70) % 70] syl[j % 70]
}
function entry(i,    t, f, id, nn, v1, v2, v3, a1, q1, q2, o1, w, k, ans) {
    t = i % 13 + 1
    f = dir "/" topic[t] ".yml"
    nn = noun(i); v1 = word(); v2 = word(); v3 = word()
    a1 = word(); q1 = word(); q2 = word(); o1 = word()
    w = wh[rnd(6) + 1]
    id = topic[t] "." nn
    printf "  - id: %s\n    title: \"About %s\"\n    level: %s\n", id, nn, level[i % 3 + 1] > f
    print "    patterns:" > f
    printf "      - '\''\\b(%s|%s|%s)\\b.*\\b%ss?\\b'\''\n", v1, v2, v3, nn > f
    printf "      - '\''\\b%s (%s )?(%s|%s)s?\\b'\''\n", nn, a1, q1, q2 > f
    printf "      - '\''\\b(how|what|why|%s)\\b.*\\b%s\\w*\\b.*\\b(%s|%s)\\b'\''\n", o1, nn, q1, topic[t] > f
    printf "      - '\''^(the )?%s(s| %s)?$'\''\n", nn, q1 > f
    printf "    keywords: [%s, %s, %s]\n", nn, q1, v1 > f
    printf "    examples:\n      - %s do i %s a %s\n      - %s %s %s\n", w, v2, nn, nn, a1, q2 > f
    ans = "      The " nn " works best when you " v1 " it with care."
    for (k = 0; k < 50; k++) ans = ans (k % 10 == 0 ? "\n      " : " ") word()
    printf "    answer: |\n%s.\n", ans > f
    printf "    sources: [synth#%s]\n", topic[t] > f
    if (first[t] != "") printf "    related: [%s]\n", first[t] > f
    else first[t] = id
    q[i] = (i % 2 ? w " do i " v2 " a " nn : nn " " a1 " " q2)
}'
