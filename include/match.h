/* match.h -- choosing the entry that answers a question.
 *
 * A matcher compiles every pattern of a kb once (PCRE2, caseless, UTF, UCP,
 * JIT where available) and indexes the entries' keywords. match_question()
 * normalises the question (text.h), runs the patterns, scores each entry and
 * fills a struct match_result: the best candidates, a confidence in [0, 1]
 * and, when nothing is confident enough, the closest entries to suggest.
 * The matcher reuses its buffers between questions, so one matcher serves
 * one thread; it keeps nothing else from one question to the next.
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

/* Score weights (see README "How a question is matched"). */
#define MATCH_W_BASE 0.55     /* any pattern matched */
#define MATCH_W_COVER 0.25    /* x share of the question the match spans */
#define MATCH_W_SPECIFIC 0.10 /* x literal letters in the pattern / 30 */
#define MATCH_W_KEYWORD 0.10  /* x keyword hits (at most 3) / 3 */
#define MATCH_KEYWORDS_ALONE 3 /* keyword hits that answer without a pattern */

struct matcher;

struct match_candidate {
    const struct kb_entry *entry;
    double score;
    int pattern;          /* index into entry->patterns, or -1: keywords only */
    unsigned keyword_hits;
};

struct match_result {
    const char *norm;     /* the normalised question; valid until the next call */
    int answered;         /* confidence >= MATCH_THRESHOLD */
    int invalid_utf8;     /* some input bytes were not UTF-8 and were dropped */
    unsigned limited;     /* patterns run and stopped by a match, depth or stack limit */
    double confidence;
    struct match_candidate top[MATCH_TOP]; /* best first */
    size_t ntop;
    const struct kb_entry *suggest[MATCH_TOP]; /* closest entries, when not answered */
    size_t nsuggest;
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

/* Compile kb's patterns, JIT-compiling them as jit (enum match_jit) says.
 * Returns NULL after adding a "FILE:LINE:COL: ..." message (with the
 * pattern and a caret under the error) to d for every pattern that does not
 * compile. kb must outlive the matcher. */
struct matcher *match_new(const struct kb *kb, int jit, struct diag *d);
void match_free(struct matcher *m);

/* Run only the patterns whose required words occur in the question (on,
 * the default) or every pattern (off). The choice is the same either way;
 * off is for comparing and measuring. */
void match_set_prefilter(struct matcher *m, int on);

/* Match len bytes of question q for the reader's level and fill *r. Any
 * bytes are accepted; pointers in *r are valid until the next call on m. */
void match_question(struct matcher *m, const char *q, size_t len,
                    enum kb_level level, struct match_result *r);

#endif
