/* match.h -- choosing the entry that answers a question.
 *
 * A matcher compiles each pattern of a kb once (PCRE2, caseless, UTF, UCP,
 * JIT where available) and indexes the entries' keywords. match_question()
 * normalises the question (text.h), corrects typos (spell.h), runs the
 * patterns, ranks entries no pattern chose with BM25, and fills a struct
 * match_result: the best candidates, a confidence in [0, 1], the parts of a
 * compound question, what the explanation needs and, when nothing is
 * confident enough, the closest entries to suggest.
 * The matcher reuses its buffers between questions, so one matcher serves
 * one thread; from one question to the next it keeps only what cannot
 * change an answer (compiled patterns, recent corrections).
 */
#ifndef MLCOACH_MATCH_H
#define MLCOACH_MATCH_H

#include <stddef.h>

#include "diag.h"
#include "kb.h"

/* Below this confidence mlcoach does not answer. */
#define MATCH_THRESHOLD 0.5
/* How many candidates and suggestions a result carries. */
#define MATCH_TOP 3

/* Score of an entry one of whose patterns matched (README "How a question
 * is matched"): the base, plus shares for how much of the question the match
 * spans, how specific the pattern is, keyword hits and BM25 coverage. */
#define MATCH_W_BASE 0.55     /* any pattern matched */
#define MATCH_W_COVER 0.25    /* x share of the question the match spans */
#define MATCH_W_SPECIFIC 0.10 /* x literal letters in the pattern / 30 */
#define MATCH_W_KEYWORD 0.10  /* x keyword hits (at most 3) / 3 */
#define MATCH_KEYWORDS_FULL 3 /* keyword hits that earn the whole keyword share */
#define MATCH_W_BM25 0.15     /* x BM25 coverage */

/* Entries no pattern chose are ranked by BM25 (k1, b) over their title,
 * keywords, examples, answers and concept words, and always rank below an
 * entry a pattern chose. Their score is a logistic function of BM25
 * coverage (the share of the question's term weight the entry accounts for)
 * and of its lead over the next entry. */
#define MATCH_BM25_K1 1.2
/* The logistic curve's coefficients, fitted by tests/eval/calibrate.sh
 * (maximum likelihood) to whether the top BM25 entry had an acceptable
 * topic, over the tune half of tests/eval/questions.tsv and
 * tests/eval/calibration.tsv with patterns switched off: so the confidence
 * of an answer without a pattern estimates how often such answers are right. */
#define MATCH_BM25_BIAS (-2.30)
#define MATCH_BM25_SLOPE 4.26
#define MATCH_BM25_LEAD 1.12
#define MATCH_BM25_B 0.75
/* A word the knowledge never uses weighs this share of the rarest word's
 * weight in the question's total, so unknown words lower coverage. */
#define MATCH_UNKNOWN_WEIGHT 0.75
/* ... and an unknown word shorter than SPELL_MIN letters this share again. */
#define MATCH_UNKNOWN_SHORT 0.25
/* A corrected word counts this share of its weight: it may be a wrong guess. */
#define MATCH_CORRECTED_WEIGHT 0.8
/* An unknown word within two edits of a vocabulary word counts this share
 * of MATCH_UNKNOWN_WEIGHT: likely a typo of a word the knowledge uses, too
 * garbled to correct, it says less against coverage than a word the
 * knowledge never uses ("pasta"). */
#define MATCH_UNKNOWN_NEAR 0.3

/* Limits that turn a runaway pattern into "no match" instead of a hang
 * (lint.c warns about patterns that reach them). */
#define MATCH_LIMIT 200000
#define MATCH_DEPTH_LIMIT 10000

/* A runner-up this close to the answer is offered as "See also". */
#define MATCH_SEE_ALSO 0.06

#define MATCH_MAX_CORRECTIONS 8
#define MATCH_MAX_TERMS 8
#define MATCH_MAX_PARTS 4

struct matcher;

struct match_candidate {
    const struct kb_entry *entry;
    double score;
    int pattern;          /* index into entry->patterns, or -1: no pattern matched */
    unsigned keyword_hits;
    double coverage;      /* capped BM25 / the question's total term weight, 0..1 */
    double bm25;          /* the BM25 score itself */
};

/* A word of the question replaced by the vocabulary word it was taken for. */
struct match_correction {
    const char *from, *to;
};

/* A question term (stemmed) and what it added to top[0]'s coverage. */
struct match_term {
    const char *stem;
    double weight;        /* its share of the question's total weight, 0..1 */
    double counted;       /* the part of that share top[0] matched */
};

/* One question of a compound question ("... and should I ...?"). */
struct match_part {
    size_t start, len;    /* its bytes in the question as asked */
    const struct kb_entry *entry;
    double confidence;
};

struct match_result {
    const char *norm;     /* the normalised question after corrections;
                             valid until the next call */
    int answered;         /* confidence >= MATCH_THRESHOLD and in scope */
    int in_scope;         /* has a career or ML-work word (see match_new) */
    const struct kb_entry *declined; /* a decline (kb.h) was the best match:
                                        not answered, for the reason it gives */
    int invalid_utf8;     /* some input bytes were not UTF-8 and were dropped */
    unsigned limited;     /* patterns run and stopped by a match, depth or stack limit */
    double confidence;
    struct match_candidate top[MATCH_TOP]; /* best first */
    size_t ntop;
    const struct kb_entry *suggest[MATCH_TOP]; /* closest entries, when not answered */
    size_t nsuggest;
    const struct kb_entry *see_also;   /* a close runner-up, when answered */
    struct match_correction corrections[MATCH_MAX_CORRECTIONS];
    size_t ncorrections;
    struct match_term terms[MATCH_MAX_TERMS]; /* heaviest first */
    size_t nterms;
    struct match_part parts[MATCH_MAX_PARTS]; /* none, or two or more in order */
    size_t nparts;
};

/* When patterns are JIT-compiled. The interpreter gives the same results
 * (and valgrind can only follow it); JIT code runs several times faster
 * but costs more to build than a few runs save, so by default a pattern is
 * JIT-compiled once it has been tried MATCH_JIT_AFTER times: a single
 * question stays on the cheap interpreter, a long pipe gets JIT code for
 * the patterns it keeps trying. `make bench` measures all three. */
enum match_jit {
    MATCH_JIT_OFF,  /* never */
    MATCH_JIT_LOAD, /* every pattern, in match_new */
    MATCH_JIT_LAZY, /* each pattern once it has been tried MATCH_JIT_AFTER times */
};
#ifndef MATCH_JIT_AFTER
#define MATCH_JIT_AFTER 8
#endif

/* Compile kb's patterns, JIT-compiling them as jit (enum match_jit) says. When
 * the kb has a concept named "signal", a question none of whose words (by
 * stem) is one of its words, and that no pattern matches, is out of scope.
 * Returns NULL after adding a "FILE:LINE:COL: ..." message (with the
 * pattern and a caret under the error) to d for every pattern that does not
 * compile. The built-in knowledge's patterns (kb->builtin), which make test
 * compiles, are compiled when a question first tries them instead, unless
 * jit is MATCH_JIT_LOAD. kb must outlive the matcher. */
struct matcher *match_new(const struct kb *kb, int jit, struct diag *d);
void match_free(struct matcher *m);

/* With on = 0, patterns are not run and every entry is ranked by BM25 alone:
 * how the MATCH_BM25_* curve was fitted, and a way for knowledge authors to
 * see what their text alone would find (MLCOACH_PATTERNS=0). */
void match_set_patterns(struct matcher *m, int on);

/* Run only the patterns whose required words occur in the question (on,
 * the default) or every pattern (off). The choice is the same either way;
 * off is for comparing and measuring. */
void match_set_prefilter(struct matcher *m, int on);

/* q (len bytes) normalised as match_question() normalises it (text.h),
 * valid until the next call on m. Matching the same bytes next uses this
 * instead of normalising them again: a caller that reads the normalised
 * line first (the session, for follow-ups) need not pay for it twice. */
const char *match_normalise(struct matcher *m, const char *q, size_t len);

/* Match len bytes of question q for the reader's level and fill *r. Any
 * bytes are accepted; pointers in *r are valid until the next call on m. */
void match_question(struct matcher *m, const char *q, size_t len,
                    enum kb_level level, struct match_result *r);

#endif
