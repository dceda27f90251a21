#!/bin/sh
# bench.sh -- `make bench`: how fast mlcoach is, and how that changes as the
# knowledge grows. Prints the tables and writes them to BENCHMARKS.md with
# a description of the machine. It never asserts a timing: the numbers are
# for reading, and wall times on a shared machine are noisy, which is why
# instruction counts (callgrind, repeatable) sit next to them.
#
# For the built-in knowledge and synthetic knowledge of each size in
# BENCH_SIZES (tests/bench/genkb.sh) it measures:
#   ask     start-to-exit wall time (median of BENCH_ASK_RUNS) and
#           instructions, with patterns JIT-compiled lazily (the default),
#           at load, or never, and with the prefilter off;
#   pipe    questions per second over BENCH_QUESTIONS questions (the eval or
#           example questions, cycled), --json and plain text, for each JIT
#           mode and without the prefilter (on fewer questions: every
#           pattern on every question is slow at 10,000 entries);
#   instr   instructions per question (callgrind, inside the question loop
#           only, so start-up is not counted), with and without prefilter;
#   memory  peak resident memory (/usr/bin/time -v's figure) for ask and pipe.
# Callgrind runs use MLCOACH_JIT=0: valgrind cannot follow JIT code.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$here/../.." && pwd)
MLCOACH=${MLCOACH:-$ROOT/mlcoach}
PFSTAT=${PFSTAT:-$ROOT/build/pfstat}
NQ=${BENCH_QUESTIONS:-100000}
CGQ=${BENCH_CALLGRIND_QUESTIONS:-2000}
RUNS=${BENCH_RUNS:-3}
ASK_RUNS=${BENCH_ASK_RUNS:-10}
SIZES=${BENCH_SIZES:-100 1000 10000}
ASK="how do I find a mentor?"
W=$(mktemp -d "${TMPDIR:-/tmp}/mlcoach-bench.XXXXXX")
trap 'rm -rf "$W"' EXIT

say() { echo "bench: $*" >&2; }

# median: the median of the numbers on stdin, one per line.
median() {
    sort -n | awk '{ a[NR] = $1 } END { print NR % 2 ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'
}

# secs INPUT CMD...: wall seconds of one run of CMD with stdin from INPUT.
# (sh has no local variables, so each function's names carry its prefix.)
secs() {
    secs_in=$1
    shift
    secs_s=$(date +%s%N)
    "$@" <"$secs_in" >/dev/null 2>&1 || true
    secs_e=$(date +%s%N)
    awk -v s="$secs_s" -v e="$secs_e" 'BEGIN { printf "%.4f\n", (e - s) / 1e9 }'
}

# median_secs N INPUT CMD...: median of N runs of secs.
median_secs() {
    ms_n=$1
    shift
    ms_i=0
    while [ "$ms_i" -lt "$ms_n" ]; do secs "$@"; ms_i=$((ms_i + 1)); done | median
}

# ask_ms KBARGS ENV...: median wall milliseconds of `mlcoach ask`.
ask_ms() {
    ask_kb=$1
    shift
    # shellcheck disable=SC2086
    median_secs "$ASK_RUNS" /dev/null env "$@" "$MLCOACH" $ask_kb ask "$ASK" |
        awk '{ printf "%.1f", $1 * 1000 }'
}

# qps N FILE KBARGS ENV... -- ARGS...: questions per second over the first N
# lines of FILE, start-up (the same run on no input) taken off.
qps() {
    qps_n=$1 qps_file=$2 qps_kb=$3
    shift 3
    qps_env=""
    while [ "$1" != "--" ]; do qps_env="$qps_env $1"; shift; done
    shift
    head -n "$qps_n" "$qps_file" >"$W/in"
    # shellcheck disable=SC2086
    qps_t=$(median_secs "$RUNS" "$W/in" env $qps_env "$MLCOACH" $qps_kb "$@")
    # shellcheck disable=SC2086
    qps_t0=$(median_secs "$RUNS" /dev/null env $qps_env "$MLCOACH" $qps_kb "$@")
    awk -v n="$qps_n" -v t="$qps_t" -v t0="$qps_t0" 'BEGIN { d = t - t0; printf "%d", (d > 0 ? n / d : 0) }'
}

# cg_total FILE: the instruction total of a callgrind output file.
cg_total() { sed -n 's/^summary: *//p' "$1" | head -n 1; }

# cg_fn FILE NAME: inclusive instructions of function NAME in FILE (0 if absent).
cg_fn() {
    callgrind_annotate --inclusive=yes "$1" 2>/dev/null |
        awk -v f="$2" '$0 ~ "[:.]" f " \\[" { gsub(",", "", $1); print $1; found = 1; exit }
                       END { if (!found) print 0 }'
}

# loop_instr N FILE KBARGS ENV...: callgrind instructions inside the
# question loop over the first N questions of FILE, --json; the profile is
# left in $W/cg.loop.
loop_instr() {
    li_n=$1 li_file=$2 li_kb=$3
    shift 3
    head -n "$li_n" "$li_file" >"$W/cgin"
    # shellcheck disable=SC2086
    env MLCOACH_JIT=0 "$@" valgrind --tool=callgrind --toggle-collect=cmd_loop \
        --callgrind-out-file="$W/cg.loop" "$MLCOACH" $li_kb --json <"$W/cgin" >/dev/null 2>&1
    cg_total "$W/cg.loop"
}

# instr_per_q N FILE KBARGS ENV...: instructions per question in the
# steady state: the loop over N questions minus the loop over N/10, so
# one-time work inside the loop (the first question, which tries every
# pattern, and building the prefilter index on the second) cancels out.
instr_per_q() {
    ipq_n=$1
    shift
    ipq_small=$(loop_instr $((ipq_n / 10)) "$@")
    ipq_large=$(loop_instr "$ipq_n" "$@")
    awk -v a="$ipq_small" -v b="$ipq_large" -v n="$ipq_n" \
        'BEGIN { printf "%d", (b - a) / (n - int(n / 10)) }'
}

# peak_kb INPUT KBARGS ARGS...: peak resident set, KiB.
peak_kb() {
    pk_in=$1 pk_kb=$2
    shift 2
    # shellcheck disable=SC2086
    /usr/bin/time -f %M -o "$W/mem" "$MLCOACH" $pk_kb "$@" <"$pk_in" >/dev/null 2>&1 || true
    tail -n 1 "$W/mem"
}

# cycle N FILE: N lines, cycling through FILE.
cycle() { awk -v n="$1" '{ a[NR] = $0 } END { for (i = 0; i < n; i++) print a[i % NR + 1] }' "$2"; }

# ---- One knowledge base: NAME KBARGS QUESTIONS ------------------------------
measure() {
    name=$1 kbargs=$2 qfile=$3
    say "$name: prefilter statistics"
    # shellcheck disable=SC2086
    set -- $($PFSTAT ${kbargs#--kb=} <"$qfile" | awk '{ print $2, $4, $8 }')
    npats=$1 always=$2 tried=$3
    entries=$("$MLCOACH" $kbargs topics | awk '{ n += $2 } END { print n }')

    say "$name: ask"
    a_lazy=$(ask_ms "$kbargs")
    a_load=$(ask_ms "$kbargs" MLCOACH_JIT=1)
    a_int=$(ask_ms "$kbargs" MLCOACH_JIT=0)
    a_off=$(ask_ms "$kbargs" MLCOACH_PREFILTER=0)
    MLCOACH_JIT=0 valgrind --tool=callgrind --callgrind-out-file="$W/cg.ask" \
        "$MLCOACH" $kbargs ask "$ASK" >/dev/null 2>&1 || true
    a_instr=$(cg_total "$W/cg.ask")
    a_windex=$(cg_fn "$W/cg.ask" kb_build_word_index)
    a_compile=$(cg_fn "$W/cg.ask" pcre2_compile_8)

    say "$name: pipe throughput ($NQ questions, median of $RUNS)"
    p_json=$(qps "$NQ" "$qfile" "$kbargs" -- --json)
    p_text=$(qps "$NQ" "$qfile" "$kbargs" -- )
    p_int=$(qps "$NQ" "$qfile" "$kbargs" MLCOACH_JIT=0 -- --json)
    p_load=$(qps "$NQ" "$qfile" "$kbargs" MLCOACH_JIT=1 -- --json)
    noff=$(awk -v p="$npats" -v n="$NQ" 'BEGIN { k = int(4000000 / p); print (k < 100 ? 100 : k > n ? n : k) }')
    p_off=$(qps "$noff" "$qfile" "$kbargs" MLCOACH_PREFILTER=0 -- --json)

    say "$name: instructions per question (callgrind)"
    i_on=$(instr_per_q "$CGQ" "$qfile" "$kbargs")
    i_build=$(cg_fn "$W/cg.loop" build)
    cgoff=$(awk -v p="$npats" -v n="$CGQ" 'BEGIN { k = int(100000 / p); print (k < 3 ? 3 : k > n ? n : k) }')
    # Without the prefilter nothing happens once, so no difference is needed.
    i_off=$(awk -v t="$(loop_instr "$cgoff" "$qfile" "$kbargs" MLCOACH_PREFILTER=0)" \
        -v n="$cgoff" 'BEGIN { printf "%d", t / n }')

    say "$name: peak memory"
    m_ask=$(peak_kb /dev/null "$kbargs" ask "$ASK")
    head -n "$NQ" "$qfile" >"$W/in"
    m_pipe=$(peak_kb "$W/in" "$kbargs" --json)

    echo "$name|$entries|$npats|$always|$tried|$a_lazy|$a_load|$a_int|$a_off|$a_instr|$a_windex|$a_compile|$i_build|$p_json|$p_text|$p_int|$p_load|$p_off|$noff|$i_on|$i_off|$cgoff|$m_ask|$m_pipe" \
        >>"$W/rows"
}

# ---- The report -------------------------------------------------------------
machine() {
    cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)
    echo "| | |"
    echo "|---|---|"
    echo "| date | $(date -u +%Y-%m-%dT%H:%MZ) |"
    echo "| CPU | ${cpu:-unknown}, $(nproc) cores |"
    echo "| kernel | $(uname -sr) |"
    echo "| compiler | $(${CC:-cc} --version | head -n 1) |"
    echo "| PCRE2 | $(pkg-config --modversion libpcre2-8) |"
    echo "| valgrind | $(valgrind --version) |"
    echo "| mlcoach | $("$MLCOACH" --version | head -n 1), commit $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown) |"
}

tables() {
    awk -F'|' -v nq="$NQ" -v cgq="$CGQ" -v ask_runs="$ASK_RUNS" -v runs="$RUNS" '
    function mi(x) { return sprintf("%.1f M", x / 1e6) }
    { for (i = 1; i <= NF; i++) r[NR, i] = $i; n = NR }
    END {
        print "### Knowledge\n"
        print "| knowledge | entries | patterns | always tried | patterns tried per question |"
        print "|---|---:|---:|---:|---:|"
        for (k = 1; k <= n; k++)
            printf "| %s | %s | %s | %s | %s |\n", r[k,1], r[k,2], r[k,3], r[k,4], r[k,5]
        printf "\n### `mlcoach ask \"how do I find a mentor?\"`, start to exit\n\n"
        printf "Wall time is the median of %d runs. Instructions: callgrind, interpreter.\n\n", ask_runs
        print "| knowledge | wall, JIT when used (default) | JIT at load | interpreter | no prefilter | instructions | of which kb word index | of which pcre2_compile |"
        print "|---|---:|---:|---:|---:|---:|---:|---:|"
        for (k = 1; k <= n; k++)
            printf "| %s | %s ms | %s ms | %s ms | %s ms | %s | %s (%.0f%%) | %s (%.0f%%) |\n", r[k,1], r[k,6], r[k,7],
                r[k,8], r[k,9], mi(r[k,10]), mi(r[k,11]), 100 * r[k,11] / r[k,10], mi(r[k,12]), 100 * r[k,12] / r[k,10]
        print ""
        print "`ask` never builds the prefilter index. With knowledge from a directory one"
        print "question tries every pattern, compiled at load; the built-in patterns are"
        print "compiled when first tried, and the question checks every pattern's keys, read"
        print "when mlcoach was built (tools/pfkeys.c), instead."
        printf "\n### Pipe mode: questions per second\n\n"
        printf "%d questions (median of %d runs), start-up taken off. Without the prefilter every\n", nq, runs
        print "pattern runs on every question, so that column uses fewer questions (in brackets)."
        print ""
        print "| knowledge | --json, JIT when used (default) | plain text (default) | --json, interpreter | --json, JIT at load | --json, no prefilter |"
        print "|---|---:|---:|---:|---:|---:|"
        for (k = 1; k <= n; k++)
            printf "| %s | %s | %s | %s | %s | %s (%s) |\n", r[k,1], r[k,14], r[k,15], r[k,16], r[k,17], r[k,18], r[k,19]
        printf "\n### Instructions per question\n\n"
        printf "callgrind, --json, interpreter, inside the question loop only (matching and\n"
        printf "rendering, no start-up). With the prefilter: the steady state, questions %d to %d\n", cgq / 10 + 1, cgq
        printf "(the one-time index build on the second question is shown on its own); without:\n"
        printf "the first questions (how many in brackets).\n\n"
        print "| knowledge | with prefilter | without prefilter | saved | prefilter index build, once |"
        print "|---|---:|---:|---:|---:|"
        for (k = 1; k <= n; k++)
            printf "| %s | %d | %d (%s) | %.1fx | %s |\n", r[k,1], r[k,20], r[k,21], r[k,22], r[k,21] / r[k,20], mi(r[k,13])
        printf "\n### Peak memory (resident, /usr/bin/time)\n\n"
        print "| knowledge | ask | pipe, --json |"
        print "|---|---:|---:|"
        for (k = 1; k <= n; k++)
            printf "| %s | %.1f MiB | %.1f MiB |\n", r[k,1], r[k,23] / 1024, r[k,24] / 1024
    }' "$W/rows"
}

targets() {
    awk -F'|' '
    $1 == "built-in" { ask = $6; qps = $14 }
    $1 == "synthetic 100" { small = $20 }
    $1 == "synthetic 10000" { large = $20 }
    function verdict(ok) { return ok ? "met" : "**not met**" }
    END {
        print "| target | measured | |"
        print "|---|---:|---|"
        printf "| `ask` on the built-in knowledge at most 15 ms (median of 10) | %s ms | %s |\n", ask, verdict(ask <= 15)
        printf "| pipe `--json` on the built-in knowledge at least 50,000 q/s | %s q/s | %s |\n", qps, verdict(qps >= 50000)
        if (small && large)
            printf "| instructions per question at 10,000 entries at most 5x those at 100 | %.2fx | %s |\n", large / small, verdict(large <= 5 * small)
    }' "$W/rows"
}

# ---- Main ------------------------------------------------------------------
for tool in valgrind callgrind_annotate /usr/bin/time; do
    command -v "$tool" >/dev/null 2>&1 || { echo "bench: $tool is missing (make bench installs it)" >&2; exit 1; }
done
[ -x "$PFSTAT" ] || { echo "bench: $PFSTAT is missing (make bench builds it)" >&2; exit 1; }
: >"$W/rows"
LOAD=$(cut -d' ' -f1-3 /proc/loadavg)
tail -n +2 "$ROOT/tests/eval/questions.tsv" | cut -f3 >"$W/eval"
cycle "$NQ" "$W/eval" >"$W/q-builtin"
measure built-in "" "$W/q-builtin"
for n in $SIZES; do
    say "synthetic $n: generating"
    "$here/genkb.sh" "$n" "$W/kb$n"
    cycle "$NQ" "$W/kb$n/questions.txt" >"$W/q$n"
    measure "synthetic $n" "--kb=$W/kb$n" "$W/q$n"
done

{
    echo "# Benchmarks"
    echo
    echo "Written by \`make bench\` (tests/bench/bench.sh); do not edit by hand. Wall times"
    echo "are from a machine other work may share, so read them next to the instruction"
    echo "counts, which callgrind makes repeatable (with MLCOACH_JIT=0: valgrind cannot"
    echo "follow JIT code). Synthetic knowledge comes from tests/bench/genkb.sh."
    echo "Load average when the run started: $LOAD (2 cores: above 1, expect slower wall times)."
    echo
    echo "How mlcoach uses these numbers: JIT-compiling every pattern at load costs more"
    echo "than it saves for a single question at every size, and the prefilter leaves only"
    echo "a few patterns per question, so by default a pattern is JIT-compiled once it has"
    echo "been tried 8 times (MATCH_JIT_AFTER) and the prefilter index is built on the"
    echo "second question (the first tries every pattern, which costs less than building it;"
    echo "the built-in knowledge, whose patterns are compiled only when first tried, instead"
    echo "checks every pattern's keys, read when mlcoach was built, against the first"
    echo "question, without an index)."
    echo
    echo "## Machine"
    echo
    machine
    echo
    echo "## Targets (issue 8)"
    echo
    targets
    echo
    echo "## Results"
    echo
    tables
} >"$W/report.md"
cp "$W/report.md" "$ROOT/BENCHMARKS.md"
cat "$W/report.md"
