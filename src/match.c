/* match.c -- compiled patterns, keyword index, scoring, suggestions.
 *
 * Start at match_question(): normalise, count keyword hits (keyword_hits),
 * run every pattern (pattern_scores), rank (rank), and, when the best score
 * is under MATCH_THRESHOLD, find close entries through the kb's inverted
 * word index (suggest). Per-question state lives in arrays sized once in
 * match_new and reset lazily with a generation counter, so answering a
 * question allocates nothing once the buffers have grown.
 */
#define PCRE2_CODE_UNIT_WIDTH 8
#include "match.h"

#include <math.h>
#include <pcre2.h>
#include <stdlib.h>
#include <string.h>

#include "prefilter.h"
#include "text.h"

/* Limits that turn a runaway pattern into "no match" instead of a hang. */
#define MATCH_LIMIT 200000
#define MATCH_DEPTH_LIMIT 10000
#define JIT_STACK_MAX (512 * 1024)
/* Literal letters at which a pattern counts as fully specific. */
#define SPECIFIC_LETTERS 30.0

struct compiled {
    pcre2_code *re;
    const struct kb_entry *entry;
    int index;       /* in entry->patterns */
    double specific; /* 0..1 */
    unsigned runs;   /* times tried, for MATCH_JIT_LAZY */
};

/* One keyword: the entry it belongs to and how many words it has. */
struct keyword {
    size_t entry;    /* index in kb->entry_list */
    unsigned nwords;
    unsigned seen;   /* words seen in this question (valid when gen matches) */
    unsigned gen;
};

/* A stemmed keyword word and every keyword that contains it. */
struct kwword {
    char *stem;
    size_t *keywords;
    size_t n;
    unsigned gen;    /* last question that contained it */
    UT_hash_handle hh;
};

/* Per-entry scratch, reset lazily per question. */
struct scratch {
    unsigned gen;
    unsigned hits;
    double related; /* inverted-index closeness, for suggestions */
};

struct matcher {
    const struct kb *kb;
    struct text *text;
    struct compiled *pats;
    size_t npats;
    struct keyword *keywords;
    size_t nkeywords;
    struct kwword *kwwords;
    struct scratch *scratch;
    unsigned gen;
    pcre2_match_data *md;
    pcre2_match_context *mctx;
    pcre2_jit_stack *jit_stack;
    struct sbuf norm;
    struct prefilter *pf, *pf_off; /* pf_off holds it while switched off */
    int jit;
};

/* Literal letters in a pattern (letters not escaped), as a share of 30. */
static double specificity(const char *src)
{
    unsigned letters = 0;

    for (const char *p = src; *p; p++) {
        if (*p == '\\' && p[1]) {
            p++;
            continue;
        }
        letters += (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z');
    }
    return letters >= SPECIFIC_LETTERS ? 1.0 : letters / SPECIFIC_LETTERS;
}

/* Report a compile error with the pattern and a caret under its offset. */
static void compile_error(const struct kb_entry *e, const struct kb_pattern *p,
                          int code, PCRE2_SIZE offset, struct diag *d)
{
    PCRE2_UCHAR msg[256];
    unsigned col = p->mark.col + (unsigned)offset;

    pcre2_get_error_message(code, msg, sizeof msg);
    for (PCRE2_SIZE i = 0; p->single_quoted && i < offset && p->src[i]; i++)
        col += p->src[i] == '\'';
    diag_add(d, p->mark.file, p->mark.line, col,
             "regex error in entry '%s': %s\n    %s\n    %*s^", e->id, (char *)msg,
             p->src, (int)offset, "");
}

static int compile_patterns(struct matcher *m, int jit, struct diag *d)
{
    const struct kb *kb = m->kb;
    size_t errors = d->n;

    for (size_t i = 0; i < kb->nentries; i++)
        m->npats += kb->entry_list[i]->npatterns;
    m->pats = xcalloc(m->npats, sizeof *m->pats);
    m->npats = 0;
    for (size_t i = 0; i < kb->nentries; i++) {
        const struct kb_entry *e = kb->entry_list[i];

        for (size_t k = 0; k < e->npatterns; k++) {
            int code;
            PCRE2_SIZE off;
            pcre2_code *re = pcre2_compile((PCRE2_SPTR)e->patterns[k].src, PCRE2_ZERO_TERMINATED,
                                           PCRE2_CASELESS | PCRE2_UTF | PCRE2_UCP, &code, &off,
                                           NULL);

            if (!re) {
                compile_error(e, &e->patterns[k], code, off, d);
                continue;
            }
            /* Without JIT support PCRE2 interprets; that is slower, not wrong. */
            if (jit == MATCH_JIT_LOAD)
                (void)pcre2_jit_compile(re, PCRE2_JIT_COMPLETE);
            prefilter_add(m->pf, e->patterns[k].src);
            m->pats[m->npats++] = (struct compiled){re, e, (int)k, specificity(e->patterns[k].src), 0};
        }
    }
    return d->n == errors ? 0 : -1;
}

/* Add one stemmed keyword word to the hash, pointing at keyword kw. */
static void index_keyword_word(struct matcher *m, const char *stem, size_t len, size_t kw)
{
    struct kwword *w = NULL;

    HASH_FIND(hh, m->kwwords, stem, (unsigned)len, w);
    if (!w) {
        w = xcalloc(1, sizeof *w);
        w->stem = xstrndup(stem, len);
        HASH_ADD_KEYPTR(hh, m->kwwords, w->stem, len, w);
    }
    if (w->n && w->keywords[w->n - 1] == kw)
        return; /* the same word twice in one keyword */
    w->keywords = xrealloc(w->keywords, (w->n + 1) * sizeof *w->keywords);
    w->keywords[w->n++] = kw;
}

static void index_keywords(struct matcher *m)
{
    const struct kb *kb = m->kb;
    size_t total = 0;

    for (size_t i = 0; i < kb->nentries; i++)
        total += kb->entry_list[i]->nkeywords;
    m->keywords = xcalloc(total, sizeof *m->keywords);
    for (size_t i = 0; i < kb->nentries; i++) {
        const struct kb_entry *e = kb->entry_list[i];

        for (size_t k = 0; k < e->nkeywords; k++) {
            struct keyword *kw = &m->keywords[m->nkeywords];
            const char *p, *w;
            size_t len, slen;

            text_normalise(m->text, e->keywords[k], strlen(e->keywords[k]), &m->norm);
            kw->entry = i;
            p = m->norm.s;
            while ((w = text_next_word(&p, &len))) {
                const char *stem;

                /* "why" or "how" in a keyword would match half of all
                 * questions: stop words never count as keyword evidence. */
                if (text_is_stopword(w, len))
                    continue;
                stem = text_stem(m->text, w, len, &slen);
                index_keyword_word(m, stem, slen, m->nkeywords);
                kw->nwords++;
            }
            if (kw->nwords)
                m->nkeywords++;
        }
    }
}

struct matcher *match_new(const struct kb *kb, int jit, struct diag *d)
{
    struct matcher *m = xcalloc(1, sizeof *m);

    m->kb = kb;
    m->text = text_new();
    m->pf = prefilter_new();
    m->jit = jit;
    if (compile_patterns(m, jit, d) != 0) {
        match_free(m);
        return NULL;
    }
    index_keywords(m);
    m->scratch = xcalloc(kb->nentries, sizeof *m->scratch);
    m->md = pcre2_match_data_create(1, NULL);
    m->mctx = pcre2_match_context_create(NULL);
    m->jit_stack = pcre2_jit_stack_create(32 * 1024, JIT_STACK_MAX, NULL);
    if (!m->md || !m->mctx)
        xmalloc((size_t)-1); /* PCRE2 fails these only when memory is gone */
    pcre2_set_match_limit(m->mctx, MATCH_LIMIT);
    pcre2_set_depth_limit(m->mctx, MATCH_DEPTH_LIMIT);
    if (m->jit_stack)
        pcre2_jit_stack_assign(m->mctx, NULL, m->jit_stack);
    return m;
}

void match_free(struct matcher *m)
{
    struct kwword *w, *tmp;

    if (!m)
        return;
    for (size_t i = 0; i < m->npats; i++)
        pcre2_code_free(m->pats[i].re);
    free(m->pats);
    prefilter_free(m->pf ? m->pf : m->pf_off);
    HASH_ITER(hh, m->kwwords, w, tmp) {
        HASH_DEL(m->kwwords, w);
        free(w->stem);
        free(w->keywords);
        free(w);
    }
    free(m->keywords);
    free(m->scratch);
    pcre2_match_data_free(m->md);
    pcre2_match_context_free(m->mctx);
    pcre2_jit_stack_free(m->jit_stack);
    sbuf_free(&m->norm);
    text_free(m->text);
    free(m);
}

static struct scratch *scratch_of(struct matcher *m, size_t entry)
{
    struct scratch *s = &m->scratch[entry];

    if (s->gen != m->gen)
        *s = (struct scratch){.gen = m->gen};
    return s;
}

/* Count, for every entry, the keywords whose words all occur in the
 * question. Each distinct question word is looked at once. */
static void keyword_hits(struct matcher *m)
{
    const char *p = m->norm.s, *w;
    size_t len, slen;

    while ((w = text_next_word(&p, &len))) {
        const char *stem = text_stem(m->text, w, len, &slen);
        struct kwword *kw = NULL;

        HASH_FIND(hh, m->kwwords, stem, (unsigned)slen, kw);
        if (!kw || kw->gen == m->gen)
            continue;
        kw->gen = m->gen;
        for (size_t i = 0; i < kw->n; i++) {
            struct keyword *k = &m->keywords[kw->keywords[i]];

            if (k->gen != m->gen)
                k->gen = m->gen, k->seen = 0;
            if (++k->seen == k->nwords)
                scratch_of(m, k->entry)->hits++;
        }
    }
}

/* Is a better than b? Higher score first, then the earlier entry. */
static int better(const struct match_candidate *a, const struct match_candidate *b)
{
    if (a->score != b->score)
        return a->score > b->score;
    return a->entry->order < b->entry->order;
}

/* Insert c into the sorted top list if it belongs there. Each entry appears
 * once: a better candidate for an entry already listed replaces it. */
static void offer(struct match_result *r, const struct match_candidate *c)
{
    size_t i;

    for (i = 0; i < r->ntop; i++) {
        if (r->top[i].entry != c->entry)
            continue;
        if (!better(c, &r->top[i]))
            return;
        memmove(&r->top[i], &r->top[i + 1], (r->ntop - i - 1) * sizeof *r->top);
        r->ntop--;
        break;
    }
    for (i = r->ntop; i > 0 && better(c, &r->top[i - 1]); i--)
        ;
    if (i >= MATCH_TOP)
        return;
    memmove(&r->top[i + 1], &r->top[i],
            ((r->ntop < MATCH_TOP ? r->ntop : MATCH_TOP - 1) - i) * sizeof *r->top);
    r->top[i] = *c;
    if (r->ntop < MATCH_TOP)
        r->ntop++;
}

/* The small nudge toward entries written for the reader's level. */
static double level_bonus(const struct kb_entry *e, enum kb_level level)
{
    if (level == KB_LEVEL_ANY || e->level == KB_LEVEL_ANY)
        return 0;
    return e->level == level ? 0.01 : -0.01;
}

static double keyword_share(unsigned hits)
{
    return (hits > MATCH_KEYWORDS_ALONE ? MATCH_KEYWORDS_ALONE : hits) /
           (double)MATCH_KEYWORDS_ALONE;
}

/* Run every pattern; offer each match as a candidate. */
static void pattern_scores(struct matcher *m, enum kb_level level, struct match_result *r)
{
    size_t len = m->norm.len;
    size_t n = prefilter_run(m->pf, m->norm.s, len, m->npats);

    for (size_t i = 0; i < n && len; i++) {
        struct compiled *c = &m->pats[prefilter_id(m->pf, i)];
        PCRE2_SIZE *ov;
        struct match_candidate cand;
        int rc;

        if (m->jit == MATCH_JIT_LAZY && ++c->runs == MATCH_JIT_AFTER)
            (void)pcre2_jit_compile(c->re, PCRE2_JIT_COMPLETE); /* once, for a pattern in use */
        rc = pcre2_match(c->re, (PCRE2_SPTR)m->norm.s, len, 0, PCRE2_NO_UTF_CHECK, m->md,
                         m->mctx);

        if (rc < 0) { /* no match, or a limit hit: either way not this one */
            r->limited += rc != PCRE2_ERROR_NOMATCH;
            continue;
        }
        ov = pcre2_get_ovector_pointer(m->md);
        cand.entry = c->entry;
        cand.pattern = c->index;
        cand.keyword_hits = scratch_of(m, c->entry->order)->hits;
        cand.score = MATCH_W_BASE + MATCH_W_COVER * (double)(ov[1] - ov[0]) / (double)len +
                     MATCH_W_SPECIFIC * c->specific +
                     MATCH_W_KEYWORD * keyword_share(cand.keyword_hits) +
                     level_bonus(c->entry, level);
        offer(r, &cand);
    }
}

/* Entries that no pattern chose still compete on keywords alone: enough
 * hits reach the threshold, fewer stay under it. */
static void keyword_scores(struct matcher *m, struct match_result *r)
{
    for (size_t i = 0; i < m->kb->nentries; i++) {
        struct scratch *s = scratch_of(m, i);
        struct match_candidate cand = {m->kb->entry_list[i], 0, -1, s->hits};

        if (!s->hits)
            continue;
        cand.score = s->hits >= MATCH_KEYWORDS_ALONE
                         ? MATCH_THRESHOLD + 0.01 * (s->hits - MATCH_KEYWORDS_ALONE)
                         : MATCH_THRESHOLD * s->hits / (MATCH_KEYWORDS_ALONE + 1.0);
        if (cand.score >= MATCH_W_BASE)
            cand.score = MATCH_W_BASE - 0.01;
        offer(r, &cand);
    }
}

/* Closest entries for an unanswered question: shared content words,
 * rarer words counting more (idf through the kb's inverted index). */
static void suggest(struct matcher *m, struct match_result *r)
{
    const char *p = m->norm.s, *w;
    size_t len, slen;
    double n = (double)m->kb->nentries;
    double best[MATCH_TOP] = {0};

    while ((w = text_next_word(&p, &len))) {
        const struct kb_word *kw;
        const char *stem;

        if (text_is_stopword(w, len))
            continue;
        stem = text_stem(m->text, w, len, &slen);
        kw = kb_word_find(m->kb, stem, slen);
        for (size_t i = 0; kw && i < kw->nentries; i++)
            scratch_of(m, kw->entries[i]->order)->related += log(1.0 + n / kw->nentries);
    }
    for (size_t i = 0; i < m->kb->nentries; i++) {
        double s = scratch_of(m, i)->related;
        size_t k = r->nsuggest;

        if (s <= 0)
            continue;
        while (k > 0 && s > best[k - 1])
            k--;
        if (k >= MATCH_TOP)
            continue;
        for (size_t j = MATCH_TOP - 1; j > k; j--) {
            best[j] = best[j - 1];
            r->suggest[j] = r->suggest[j - 1];
        }
        best[k] = s;
        r->suggest[k] = m->kb->entry_list[i];
        if (r->nsuggest < MATCH_TOP)
            r->nsuggest++;
    }
}

void match_set_prefilter(struct matcher *m, int on)
{
    struct prefilter *t = m->pf;

    if ((t != NULL) == (on != 0))
        return;
    m->pf = m->pf_off;
    m->pf_off = t;
}

void match_question(struct matcher *m, const char *q, size_t len,
                    enum kb_level level, struct match_result *r)
{
    memset(r, 0, sizeof *r);
    if (++m->gen == 0) { /* wrapped: clear every stamp once */
        struct kwword *w, *tmp;

        memset(m->scratch, 0, m->kb->nentries * sizeof *m->scratch);
        for (size_t i = 0; i < m->nkeywords; i++)
            m->keywords[i].gen = 0;
        HASH_ITER(hh, m->kwwords, w, tmp)
            w->gen = 0;
        m->gen = 1;
    }
    r->invalid_utf8 = text_normalise(m->text, q, len, &m->norm);
    r->norm = m->norm.s;
    keyword_hits(m);
    pattern_scores(m, level, r);
    keyword_scores(m, r);
    r->confidence = r->ntop ? (r->top[0].score > 1 ? 1 : r->top[0].score) : 0;
    r->answered = r->confidence >= MATCH_THRESHOLD;
    if (!r->answered)
        suggest(m, r);
}
