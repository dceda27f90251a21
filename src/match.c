/* match.c -- compiled patterns, keyword index, typo correction, BM25,
 * scoring, compound questions and suggestions.
 *
 * Start at match_question(): it splits a compound question into parts
 * (split_parts) and scores each part and the whole with score(): normalise,
 * correct typos (correct), collect the question's terms (collect_terms),
 * count keyword hits, run every pattern (pattern_scores), add BM25 (bm25),
 * then rank every entry touched (rank). Per-question state lives in arrays
 * sized once in match_new and reset lazily with a generation counter, so
 * answering a question allocates nothing once the buffers have grown.
 */
#define PCRE2_CODE_UNIT_WIDTH 8
#include "match.h"

#include <ctype.h>
#include <math.h>
#include <pcre2.h>
#include <stdlib.h>
#include <string.h>

#include "prefilter.h"
#include "spell.h"
#include "text.h"

#define JIT_STACK_MAX (512 * 1024)
/* Corrections kept, direct-mapped, and the longest word kept. With 1,024
 * slots the 760 distinct words of the eval questions evicted each other
 * about half the time (make bench); 4,096 keep most. */
#define FIX_SLOTS 4096
#define FIX_WORD 24
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
    size_t entry;    /* its entry's order (kb_entry_at) */
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
    unsigned hits;     /* keywords whose words all occur */
    double pattern;    /* best pattern score, 0: none matched */
    int pat;           /* its index in entry->patterns */
    double bm25;       /* BM25 score: ranks the entries no pattern chose */
    double cover;      /* the same with each term capped at its weight */
};

/* A distinct content word of the question. */
struct term {
    size_t at, len;    /* its stem in matcher.stems */
    const struct kb_word *w; /* NULL: the knowledge never uses it */
    double weight;     /* idf, reduced for unknown and corrected words */
};

/* The correction of a recent word (see correct()). */
struct fix {
    unsigned char len;    /* 0: empty */
    char word[FIX_WORD];
    const char *to[SPELL_SUGGEST]; /* spell_suggest()'s answer */
    char built[FIX_WORD + SPELL_MAX + 1]; /* correct_stem()'s */
    size_t nto;
    int near;             /* with no answer, spell_near()'s */
};

/* A stemmed word of the "signal" concept. */
struct stem {
    char *s;
    UT_hash_handle hh;
};

struct matcher {
    const struct kb *kb;
    size_t nslots;     /* entries and declines, numbered by their order */
    struct text *text;
    struct compiled *pats;
    size_t npats;
    struct keyword *keywords;
    size_t nkeywords;
    struct kwword *kwwords;
    struct scratch *scratch;
    size_t *touched;   /* entries whose scratch this question used */
    size_t ntouched;
    unsigned gen;
    struct stem *signal; /* NULL: every question is in scope */
    pcre2_match_data *md;
    pcre2_match_context *mctx;
    pcre2_jit_stack *jit_stack;
    struct sbuf raw;   /* the question normalised, before corrections */
    struct sbuf given, given_norm; /* match_normalise()'s last question, and result */
    int given_dropped; /* its invalid_utf8 */
    struct sbuf norm;  /* after corrections: what patterns see */
    struct sbuf stems; /* the terms' stems and the corrections' words */
    struct term *terms;
    size_t nterms, terms_cap;
    double total;      /* the question's total term weight */
    int patterns_off;  /* rank by BM25 alone (match_set_patterns) */
    struct fix *fixes; /* FIX_SLOTS, made on the first correction */
    struct spell *spell; /* kb_spell_new(), made on the first correction */
    double *bm25_k;    /* per entry: BM25's k1 scaled by its length (bm25_term) */
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
static void compile_error(const struct kb *kb, const struct kb_entry *e, const struct kb_pattern *p,
                          int code, PCRE2_SIZE offset, struct diag *d)
{
    PCRE2_UCHAR msg[256];
    size_t at = kb_pattern_src_offset(kb, p, offset);

    pcre2_get_error_message(code, msg, sizeof msg);
    diag_add(d, p->mark.file, p->mark.line, kb_pattern_col(p, at),
             "regex error in entry '%s': %s\n    %s\n    %*s^", e->id, (char *)msg,
             p->src, (int)at, "");
}

/* Compile c's pattern into c->re. Returns 0, or -1 after reporting the
 * error to d (when d is not NULL). */
static int compile(const struct matcher *m, struct compiled *c, struct diag *d)
{
    const struct kb_pattern *p = &c->entry->patterns[c->index];
    int code;
    PCRE2_SIZE off;

    c->re = pcre2_compile((PCRE2_SPTR)p->regex, PCRE2_ZERO_TERMINATED,
                          PCRE2_CASELESS | PCRE2_UTF | PCRE2_UCP, &code, &off, NULL);
    if (!c->re) {
        if (d)
            compile_error(m->kb, c->entry, p, code, off, d);
        return -1;
    }
    /* Without JIT support PCRE2 interprets; that is slower, not wrong. */
    if (m->jit == MATCH_JIT_LOAD)
        (void)pcre2_jit_compile(c->re, PCRE2_JIT_COMPLETE);
    return 0;
}

/* What tools/pfkeys read of the built-in knowledge's pattern number n,
 * regex, when mlcoach was built; NULL for other knowledge, or if the table
 * does not describe this regex. */
static const char *described(const struct kb *kb, size_t n, const char *regex)
{
    size_t len;

    if (!kb->builtin || n >= kb_builtin_nkeys)
        return NULL;
    len = strlen(regex);
    if (kb_builtin_keys[n].len != len || kb_builtin_keys[n].hash != util_hash(regex, len))
        return NULL;
    return kb_builtin_keys[n].keys;
}

/* Compile every pattern now, reporting each error, or (lazy) leave each one
 * until a question first tries it. */
static int compile_patterns(struct matcher *m, int lazy, struct diag *d)
{
    const struct kb *kb = m->kb;
    size_t errors = d->n, n = 0;

    for (size_t i = 0; i < m->nslots; i++)
        m->npats += kb_entry_at(kb, i)->npatterns;
    m->pats = xcalloc(m->npats ? m->npats : 1, sizeof *m->pats);
    m->npats = 0;
    for (size_t i = 0; i < m->nslots; i++) {
        const struct kb_entry *e = kb_entry_at(kb, i);

        for (size_t k = 0; k < e->npatterns; k++, n++) {
            struct compiled *c = &m->pats[m->npats];
            const char *re = e->patterns[k].regex; /* concepts expanded */

            *c = (struct compiled){NULL, e, (int)k, specificity(e->patterns[k].src), 0};
            if (!lazy && compile(m, c, d) != 0)
                continue;
            prefilter_add_described(m->pf, re, described(kb, n, re));
            m->npats++;
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

    for (size_t i = 0; i < m->nslots; i++)
        total += kb_entry_at(kb, i)->nkeywords;
    m->keywords = xcalloc(total ? total : 1, sizeof *m->keywords);
    for (size_t i = 0; i < m->nslots; i++) {
        const struct kb_entry *e = kb_entry_at(kb, i);

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

/* Stem every word of the "signal" concept into m->signal. */
static void index_signal(struct matcher *m)
{
    size_t len;
    const struct kb_concept *c = kb_concept_at(m->kb, "~signal", &len);

    for (size_t i = 0; c && i < c->nwords; i++) {
        const char *p, *w;

        text_normalise(m->text, c->words[i], strlen(c->words[i]), &m->norm);
        p = m->norm.s;
        while ((w = text_next_word(&p, &len))) {
            size_t slen;
            const char *st = text_stem(m->text, w, len, &slen);
            struct stem *x = NULL;

            HASH_FIND(hh, m->signal, st, (unsigned)slen, x);
            if (x)
                continue;
            x = xcalloc(1, sizeof *x);
            x->s = xstrndup(st, slen);
            HASH_ADD_KEYPTR(hh, m->signal, x->s, slen, x);
        }
    }
}

/* The prefilter's prefilter_share_fn: the share of the knowledge's entries
 * whose text holds word w (by its stem, from the word index), a fair guess
 * at how common it is in the questions they answer. */
static double entry_share(void *ctx, const char *w, size_t len)
{
    struct matcher *m = ctx;
    size_t slen;
    const char *st = text_stem(m->text, w, len, &slen);
    const struct kb_word *x = kb_word_find(m->kb, st, slen);

    return x && m->nslots ? (double)x->nentries / (double)m->nslots : 0;
}

struct matcher *match_new(const struct kb *kb, int jit, struct diag *d)
{
    struct matcher *m = xcalloc(1, sizeof *m);
    /* Compiling is most of start-up; patterns not yet checked must be
     * compiled now to report their errors, but the built-in copy's are
     * compiled as questions first try them, the few the prefilter picks. */
    int lazy = kb->builtin && jit != MATCH_JIT_LOAD;

    m->kb = kb;
    m->nslots = kb->nentries + kb->ndeclines;
    m->text = text_new();
    m->pf = prefilter_new();
    prefilter_set_share(m->pf, entry_share, m);
    m->jit = jit;
    if (lazy)
        prefilter_choose_first(m->pf);
    if (compile_patterns(m, lazy, d) != 0) {
        match_free(m);
        return NULL;
    }
    index_keywords(m);
    index_signal(m);
    m->scratch = xcalloc(m->nslots ? m->nslots : 1, sizeof *m->scratch);
    m->touched = xcalloc(m->nslots ? m->nslots : 1, sizeof *m->touched);
    m->bm25_k = xcalloc(m->nslots ? m->nslots : 1, sizeof *m->bm25_k);
    for (size_t i = 0; i < m->nslots; i++)
        m->bm25_k[i] = MATCH_BM25_K1 * (1 - MATCH_BM25_B + MATCH_BM25_B *
                                        kb_entry_at(kb, i)->doclen / kb->avgdl);
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

void match_set_patterns(struct matcher *m, int on)
{
    m->patterns_off = !on;
}

void match_free(struct matcher *m)
{
    struct kwword *w, *tmp;
    struct stem *x, *xtmp;

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
    HASH_ITER(hh, m->signal, x, xtmp) {
        HASH_DEL(m->signal, x);
        free(x->s);
        free(x);
    }
    free(m->keywords);
    free(m->scratch);
    free(m->touched);
    free(m->terms);
    free(m->fixes);
    spell_free(m->spell);
    free(m->bm25_k);
    pcre2_match_data_free(m->md);
    pcre2_match_context_free(m->mctx);
    pcre2_jit_stack_free(m->jit_stack);
    sbuf_free(&m->raw);
    sbuf_free(&m->given);
    sbuf_free(&m->given_norm);
    sbuf_free(&m->norm);
    sbuf_free(&m->stems);
    text_free(m->text);
    free(m);
}

/* Start a new question: every stamp older than this one is stale. */
static void next_generation(struct matcher *m)
{
    m->ntouched = 0;
    if (++m->gen != 0)
        return;
    struct kwword *w, *tmp; /* wrapped: clear every stamp once */

    memset(m->scratch, 0, m->nslots * sizeof *m->scratch);
    for (size_t i = 0; i < m->nkeywords; i++)
        m->keywords[i].gen = 0;
    HASH_ITER(hh, m->kwwords, w, tmp)
        w->gen = 0;
    m->gen = 1;
}

static struct scratch *scratch_of(struct matcher *m, size_t entry)
{
    struct scratch *s = &m->scratch[entry];

    if (s->gen != m->gen) {
        *s = (struct scratch){.gen = m->gen, .pat = -1};
        m->touched[m->ntouched++] = entry;
    }
    return s;
}

/* ---- Words: corrections and terms -------------------------------------- */

/* Questions longer than this many distinct content words are scored on
 * their first ones: enough for any real question, and a bound for a
 * hostile one. */
#define MAX_QUESTION_TERMS 64

/* Add a question word (wlen bytes, normalised) by its stem, and the index
 * word w for that stem (NULL: the knowledge never uses it), unless the stem
 * is already a term. */
/* How a question word was read, for its weight. */
enum reading {
    READ_AS_TYPED, /* as typed */
    READ_CORRECTED, /* replaced by its correction */
    READ_GARBLED   /* unknown, yet near a vocabulary word (spell_near) */
};

static void add_term(struct matcher *m, const char *stem, size_t slen,
                     const struct kb_word *w, size_t wlen, enum reading how)
{
    double n = (double)m->kb->nentries, weight;

    if (m->nterms >= MAX_QUESTION_TERMS)
        return;
    for (size_t i = 0; i < m->nterms; i++)
        if (m->terms[i].len == slen && memcmp(m->stems.s + m->terms[i].at, stem, slen) == 0)
            return;
    weight = w ? log(1 + (n - (double)w->nentries + 0.5) / ((double)w->nentries + 0.5))
               : MATCH_UNKNOWN_WEIGHT * log(1 + (n + 0.5) / 0.5);
    if (!w && wlen < SPELL_MIN)
        weight *= MATCH_UNKNOWN_SHORT; /* "hw", "ok", "lol": noise more than content */
    if (how == READ_CORRECTED)
        weight *= MATCH_CORRECTED_WEIGHT;
    if (!w && how == READ_GARBLED)
        weight *= MATCH_UNKNOWN_NEAR;
    util_grow((void **)&m->terms, &m->terms_cap, m->nterms + 1, sizeof *m->terms);
    m->terms[m->nterms++] = (struct term){m->stems.len, slen, w, weight};
    sbuf_append(&m->stems, stem, slen);
    sbuf_putc(&m->stems, '\0');
    m->total += weight;
}

/* Endings that make another form of the same word: what correct_stem()
 * may keep. Others make a new word ("analyt" + "ics"), which a corrected
 * stem would turn into nonsense ("analystics"). */
static const char *const inflections[] = {
    "s", "es", "ed", "d", "ing", "ings", "er", "ers", "ly", "ment", "ments",
};

static int is_inflection(const char *s, size_t len)
{
    for (size_t i = 0; i < sizeof inflections / sizeof *inflections; i++)
        if (strlen(inflections[i]) == len && memcmp(inflections[i], s, len) == 0)
            return 1;
    return 0;
}

/* With no correction for word w (len bytes) itself, correct its stem and
 * keep its ending, into f: "truobleshooting" becomes "troubleshooting" when
 * the knowledge has "troubleshoot" but not that form. Only for a stem that
 * begins the word, so the ending is the typed one, and an ending that
 * inflects. */
static void correct_stem(struct matcher *m, const char *w, size_t len, struct fix *f)
{
    char stem[FIX_WORD];
    const char *st, *to[SPELL_SUGGEST];
    size_t slen, tlen;
    unsigned dist;

    if (len >= FIX_WORD || !spell_correctable(m->spell, w, len))
        return;
    st = text_stem(m->text, w, len, &slen);
    if (slen < SPELL_MIN || slen >= len || memcmp(st, w, slen) != 0 ||
        !is_inflection(w + slen, len - slen))
        return;
    memcpy(stem, st, slen);
    if (!spell_suggest(m->spell, stem, slen, to, &dist))
        return;
    tlen = strlen(to[0]);
    memcpy(f->built, to[0], tlen);
    memcpy(f->built + tlen, w + slen, len - slen);
    f->built[tlen + len - slen] = '\0';
    f->to[0] = f->built;
    f->nto = 1;
}

/* The correction of word w (len bytes), or NULL: of spell_suggest()'s
 * candidates (or correct_stem()'s), the first the knowledge writes after
 * prev or before next (the neighbouring words, either may be empty), else
 * the first. Candidates are
 * remembered: finding them tries every deletion of the word against the
 * vocabulary, and a pipe of questions keeps repeating its unknown words and
 * typos. With no correction, *near is set to spell_near()'s answer. */
static const char *correct(struct matcher *m, const char *w, size_t len, const char *prev,
                           size_t plen, const char *next, size_t nlen, int *near)
{
    unsigned dist;
    struct fix *f, one = {0};

    *near = 0;
    if (len < SPELL_MIN || len > SPELL_MAX)
        return NULL;
    f = &one;
    if (len < FIX_WORD) {
        if (!m->fixes)
            m->fixes = xcalloc(FIX_SLOTS, sizeof *m->fixes);
        f = &m->fixes[util_hash(w, len) % FIX_SLOTS];
    }
    if (f == &one || f->len != len || memcmp(f->word, w, len) != 0) {
        f->nto = 0;
        f->near = 0;
        /* Most words are English: settled without making the dictionary,
         * which a question of such words then never needs. */
        if (!spell_english(w, len)) {
            if (!m->spell)
                m->spell = kb_spell_new(m->kb);
            f->nto = spell_suggest(m->spell, w, len, f->to, &dist);
            if (!f->nto)
                correct_stem(m, w, len, f);
            f->near = !f->nto && spell_near(m->spell, w, len);
        }
        if (f != &one) {
            f->len = (unsigned char)len;
            memcpy(f->word, w, len);
        }
    }
    *near = f->near;
    for (size_t i = 0; f->nto > 1 && i < f->nto; i++) {
        size_t tlen = strlen(f->to[i]);

        if ((plen && spell_pair(m->spell, prev, plen, f->to[i], tlen)) ||
            (nlen && spell_pair(m->spell, f->to[i], tlen, next, nlen)))
            return f->to[i];
    }
    return f->nto ? f->to[0] : NULL;
}

/* Copy m->raw to m->norm, replacing each word outside the vocabulary by its
 * correction (recorded in r), and collect the question's terms. Each word,
 * or its correction, is stemmed and looked up once; stop words, which are
 * all English, need neither. */
static void read_words(struct matcher *m, struct match_result *r)
{
    const char *p = m->raw.s, *w;
    size_t len, from[MATCH_MAX_CORRECTIONS], to[MATCH_MAX_CORRECTIONS], prev_at = 0,
                                                                   prev_len = 0;

    sbuf_reset(&m->norm);
    sbuf_reset(&m->stems);
    m->nterms = 0;
    m->total = 0;
    while ((w = text_next_word(&p, &len))) {
        size_t slen = 0;
        const char *stem = NULL, *fix = NULL;
        const struct kb_word *kw = NULL;
        int near = 0;

        if (!text_is_stopword(w, len)) {
            const char *q = p, *next;
            size_t nlen = 0;

            next = text_next_word(&q, &nlen);
            /* Even another form of a known word: examples index their typos
             * ("modle"), and "caree" stems like "care". */
            fix = correct(m, w, len, prev_len ? m->norm.s + prev_at : NULL, prev_len, next,
                          next ? nlen : 0, &near);
            if (!fix) {
                stem = text_stem(m->text, w, len, &slen);
                kw = kb_word_find(m->kb, stem, slen);
            }
        }
        if (m->norm.len)
            sbuf_putc(&m->norm, ' ');
        prev_at = m->norm.len;
        prev_len = fix ? strlen(fix) : len;
        sbuf_append(&m->norm, fix ? fix : w, prev_len);
        if (fix) {
            /* Both words are copied: a correction may live in a cache slot
             * that a later word of the question takes over. */
            if (r->ncorrections < MATCH_MAX_CORRECTIONS) {
                from[r->ncorrections] = m->stems.len;
                sbuf_append(&m->stems, w, len);
                sbuf_putc(&m->stems, '\0');
                to[r->ncorrections++] = m->stems.len;
                sbuf_puts(&m->stems, fix);
                sbuf_putc(&m->stems, '\0');
            }
            len = strlen(fix);
            stem = text_is_stopword(fix, len) ? NULL : text_stem(m->text, fix, len, &slen);
            kw = stem ? kb_word_find(m->kb, stem, slen) : NULL;
        }
        if (stem)
            add_term(m, stem, slen, kw, len,
                     fix ? READ_CORRECTED : near ? READ_GARBLED : READ_AS_TYPED);
    }
    if (!m->norm.s)
        sbuf_puts(&m->norm, "");
    /* m->stems moves as it grows: point into it once it is complete. */
    for (size_t i = 0; i < r->ncorrections; i++) {
        r->corrections[i].from = m->stems.s + from[i];
        r->corrections[i].to = m->stems.s + to[i];
    }
    for (size_t i = 0; i < m->nterms && !r->in_scope; i++) {
        struct stem *x = NULL;

        HASH_FIND(hh, m->signal, m->stems.s + m->terms[i].at, (unsigned)m->terms[i].len, x);
        r->in_scope = x != NULL;
    }
    r->in_scope |= m->signal == NULL;
}

/* Count, for every entry, the keywords whose words all occur in the
 * question. */
static void keyword_hits(struct matcher *m)
{
    for (size_t t = 0; t < m->nterms; t++) {
        struct kwword *kw = NULL;

        HASH_FIND(hh, m->kwwords, m->stems.s + m->terms[t].at, (unsigned)m->terms[t].len, kw);
        if (!kw)
            continue;
        for (size_t i = 0; i < kw->n; i++) {
            struct keyword *k = &m->keywords[kw->keywords[i]];

            if (k->gen != m->gen)
                k->gen = m->gen, k->seen = 0;
            if (++k->seen == k->nwords)
                scratch_of(m, k->entry)->hits++;
        }
    }
}

/* ---- Scoring ------------------------------------------------------------ */

/* The small nudge toward entries written for the reader's level. */
static double level_bonus(const struct kb_entry *e, enum kb_level level)
{
    if (level == KB_LEVEL_ANY || e->level == KB_LEVEL_ANY)
        return 0;
    return e->level == level ? 0.01 : -0.01;
}

static double keyword_share(unsigned hits)
{
    return (hits > MATCH_KEYWORDS_FULL ? MATCH_KEYWORDS_FULL : hits) /
           (double)MATCH_KEYWORDS_FULL;
}

/* Run every pattern; keep each entry's best pattern score. */
static void pattern_scores(struct matcher *m, enum kb_level level, struct match_result *r)
{
    size_t len = m->norm.len;
    size_t n = prefilter_run(m->pf, m->norm.s, len, m->npats);

    for (size_t i = 0; i < n && len; i++) {
        struct compiled *c = &m->pats[prefilter_id(m->pf, i)];
        struct scratch *s;
        PCRE2_SIZE *ov;
        double score;
        int rc;

        if (!c->re && compile(m, c, NULL) != 0)
            continue; /* the built-in copy's patterns compile (make test) */
        if (m->jit == MATCH_JIT_LAZY && ++c->runs == MATCH_JIT_AFTER)
            (void)pcre2_jit_compile(c->re, PCRE2_JIT_COMPLETE); /* once, for a pattern in use */
        rc = pcre2_match(c->re, (PCRE2_SPTR)m->norm.s, len, 0, PCRE2_NO_UTF_CHECK, m->md,
                         m->mctx);
        if (rc < 0) { /* no match, or a limit hit: either way not this one */
            r->limited += rc != PCRE2_ERROR_NOMATCH;
            continue;
        }
        ov = pcre2_get_ovector_pointer(m->md);
        s = scratch_of(m, c->entry->order);
        score = MATCH_W_BASE + MATCH_W_COVER * (double)(ov[1] - ov[0]) / (double)len +
                MATCH_W_SPECIFIC * c->specific + MATCH_W_KEYWORD * keyword_share(s->hits) +
                level_bonus(c->entry, level);
        if (score > s->pattern) {
            s->pattern = score;
            s->pat = c->index;
        }
    }
}

/* BM25 of one term of weight idf for entry e, which holds it tf times. */
static double bm25_term(const struct matcher *m, const struct kb_entry *e, unsigned tf,
                        double idf)
{
    double k = m->bm25_k[e->order];

    return idf * tf * (MATCH_BM25_K1 + 1) / (tf + k);
}

/* Add every term's BM25 to the entries that hold it. */
static void bm25(struct matcher *m)
{
    for (size_t t = 0; t < m->nterms; t++) {
        const struct kb_word *w = m->terms[t].w;

        for (size_t i = 0; w && i < w->nentries; i++) {
            struct scratch *s = scratch_of(m, w->entries[i]->order);
            double v = bm25_term(m, w->entries[i], w->tf[i], m->terms[t].weight);

            s->bm25 += v;
            /* Capped at the term's own weight, so coverage is a share of the
             * question: a word said ten times in an answer is not ten words. */
            s->cover += v > m->terms[t].weight ? m->terms[t].weight : v;
        }
    }
}

static double coverage(const struct matcher *m, const struct scratch *s)
{
    double c = m->total > 0 ? s->cover / m->total : 0;

    return c > 1 ? 1 : c;
}

/* How strongly a candidate was chosen: a decline whose pattern matched (its
 * author wrote it to catch exactly such questions), then any other pattern,
 * then BM25 alone. */
static int strength(const struct match_candidate *c)
{
    return c->pattern < 0 ? 0 : c->entry->topic ? 1 : 2;
}

/* Is a better than b? The stronger evidence first, then the higher score,
 * then the earlier entry. */
static int better(const struct match_candidate *a, const struct match_candidate *b)
{
    if (strength(a) != strength(b))
        return strength(a) > strength(b);
    if (a->score != b->score)
        return a->score > b->score;
    return a->entry->order < b->entry->order;
}

/* Insert c into the sorted list top[0..*n) of at most max if it belongs. */
static void offer(struct match_candidate *top, size_t *n, size_t max,
                  const struct match_candidate *c)
{
    size_t i;

    for (i = *n; i > 0 && better(c, &top[i - 1]); i--)
        ;
    if (i >= max)
        return;
    memmove(&top[i + 1], &top[i], ((*n < max ? *n : max - 1) - i) * sizeof *top);
    top[i] = *c;
    if (*n < max)
        (*n)++;
}

/* The score of an entry no pattern chose: a logistic curve in its BM25
 * coverage and its lead over the runner-up's coverage. */
static double bm25_confidence(double cover, double lead)
{
    double z = MATCH_BM25_BIAS + MATCH_BM25_SLOPE * cover + MATCH_BM25_LEAD * lead;

    return 1 / (1 + exp(-z));
}

/* Rank every touched entry into r->top. Entries no pattern chose are ranked
 * by BM25 and the best two offered with a confidence from their coverage. */
static void rank(struct matcher *m, struct match_result *r)
{
    struct match_candidate bm[2] = {{0}};
    size_t nbm = 0;

    for (size_t i = 0; i < m->ntouched; i++) {
        const struct scratch *s = &m->scratch[m->touched[i]];
        struct match_candidate c = {kb_entry_at(m->kb, m->touched[i]), 0, s->pat, s->hits,
                                    coverage(m, s), s->bm25};

        if (s->pat >= 0) {
            c.score = s->pattern + MATCH_W_BM25 * c.coverage;
            offer(r->top, &r->ntop, MATCH_TOP, &c);
        } else if (s->bm25 > 0) {
            c.score = s->bm25;
            offer(bm, &nbm, 2, &c);
        }
    }
    if (nbm) {
        double lead = bm[0].coverage - (nbm > 1 ? bm[1].coverage : 0);

        bm[0].score = bm25_confidence(bm[0].coverage, lead > 0 ? lead : 0);
        offer(r->top, &r->ntop, MATCH_TOP, &bm[0]);
    }
    if (nbm > 1) {
        bm[1].score = bm25_confidence(bm[1].coverage, 0);
        if (bm[1].score >= bm[0].score)
            bm[1].score = bm[0].score - 0.001;
        offer(r->top, &r->ntop, MATCH_TOP, &bm[1]);
    }
}

/* ---- Choosing ----------------------------------------------------------- */

/* The closest entries by BM25 coverage, for a question not answered. */
static void suggest(struct matcher *m, struct match_result *r)
{
    struct match_candidate best[MATCH_TOP];
    size_t n = 0;

    for (size_t i = 0; i < m->ntouched; i++) {
        const struct scratch *s = &m->scratch[m->touched[i]];
        struct match_candidate c = {kb_entry_at(m->kb, m->touched[i]), coverage(m, s), -1, 0, 0,
                                    0};

        if (c.score > 0 && c.entry->topic) /* never suggest a decline */
            offer(best, &n, MATCH_TOP, &c);
    }
    for (size_t i = 0; i < n; i++)
        r->suggest[r->nsuggest++] = best[i].entry;
}

/* What each of the question's heaviest terms counted for top[0]. */
static void explain_terms(struct matcher *m, struct match_result *r)
{
    const struct kb_entry *e = r->ntop ? r->top[0].entry : NULL;

    for (size_t t = 0; t < m->nterms; t++) {
        const struct term *x = &m->terms[t];
        struct match_term mt = {m->stems.s + x->at, x->weight / m->total, 0};
        size_t i = r->nterms < MATCH_MAX_TERMS ? r->nterms : MATCH_MAX_TERMS - 1;

        for (size_t k = 0; e && x->w && k < x->w->nentries; k++)
            if (x->w->entries[k] == e)
                mt.counted = bm25_term(m, e, x->w->tf[k], x->weight) / m->total;
        if (mt.counted > mt.weight)
            mt.counted = mt.weight; /* as in coverage */
        if (r->nterms == MATCH_MAX_TERMS && mt.weight <= r->terms[i].weight)
            continue;
        for (; i > 0 && mt.weight > r->terms[i - 1].weight; i--)
            r->terms[i] = r->terms[i - 1];
        r->terms[i] = mt;
        if (r->nterms < MATCH_MAX_TERMS)
            r->nterms++;
    }
}

/* Score one question (or part of one) into r. */
static void score(struct matcher *m, const char *q, size_t len, enum kb_level level,
                  struct match_result *r)
{
    memset(r, 0, sizeof *r);
    next_generation(m);
    if (m->given.s && len == m->given.len && memcmp(q, m->given.s, len) == 0) {
        sbuf_reset(&m->raw); /* match_normalise() did it */
        sbuf_append(&m->raw, m->given_norm.s, m->given_norm.len);
        r->invalid_utf8 = m->given_dropped;
    } else {
        r->invalid_utf8 = text_normalise(m->text, q, len, &m->raw);
    }
    read_words(m, r);
    r->norm = m->norm.s;
    keyword_hits(m);
    if (!m->patterns_off)
        pattern_scores(m, level, r);
    bm25(m);
    rank(m, r);
    r->confidence = r->ntop ? (r->top[0].score > 1 ? 1 : r->top[0].score) : 0;
    /* A matching pattern is the author's word that the question is in
     * scope; shared words alone need a career or ML-work word too. */
    r->in_scope |= r->ntop && r->top[0].pattern >= 0;
    /* The best match is a decline: the author's word that this kind of
     * question is out of scope. */
    if (r->ntop && !r->top[0].entry->topic)
        r->declined = r->top[0].entry;
    r->answered = r->in_scope && !r->declined && r->confidence >= MATCH_THRESHOLD;
    explain_terms(m, r);
    if (!r->answered)
        suggest(m, r);
    else if (r->ntop > 1 && r->top[1].entry->topic && r->top[1].score >= MATCH_THRESHOLD &&
             r->top[0].score - r->top[1].score < MATCH_SEE_ALSO)
        r->see_also = r->top[1].entry;
}

/* ---- Compound questions ------------------------------------------------- */

/* Words that open a question: "... and should I ..." splits before "and". */
static const char *const openers[] = {
    "are", "can", "could", "do", "does", "how", "is", "should", "what", "when",
    "where", "which", "who", "why", "will", "would",
};

/* Joining words that may start a second question when an opener follows. */
static const char *const joiners[] = {" and ", " also ", ", and ", " plus "};

static int starts_with_ci(const char *s, size_t n, const char *word)
{
    size_t len = strlen(word);

    if (len > n)
        return 0;
    for (size_t i = 0; i < len; i++)
        if ((s[i] | 0x20) != word[i] && s[i] != word[i])
            return 0;
    return 1;
}

/* Length of the question opener s (n bytes) starts with, a whole word
 * (followed by the end or a byte that is no letter or digit: "what's"
 * opens), else 0. */
static size_t opener_at(const char *s, size_t n)
{
    for (size_t k = 0; k < sizeof openers / sizeof *openers; k++) {
        size_t ol = strlen(openers[k]);

        if (starts_with_ci(s, n, openers[k]) && (ol == n || !isalnum((unsigned char)s[ol])))
            return ol;
    }
    return 0;
}

/* Length of the joiner at q (n bytes left) when a question opener follows
 * it, else 0. */
static size_t joiner_at(const char *q, size_t n)
{
    for (size_t j = 0; j < sizeof joiners / sizeof *joiners; j++) {
        size_t jl, ol;

        /* starts_with_ci's test of the first byte alone rules out nearly
         * every position, for a fraction of the cost. */
        if ((q[0] | 0x20) != joiners[j][0] && q[0] != joiners[j][0])
            continue;
        jl = strlen(joiners[j]);
        if (!starts_with_ci(q, n, joiners[j]))
            continue;
        ol = opener_at(q + jl, n - jl);
        if (ol && (jl + ol == n || q[jl + ol] == ' '))
            return jl;
    }
    return 0;
}

/* Cut q into the questions it asks: at '?', '!', ';', a full stop before a
 * space, or a joiner before a question opener. Returns how many spans (at
 * most max) it filled; 1 means q asks one thing. */
static size_t split_parts(const char *q, size_t len, struct match_part *spans, size_t max)
{
    size_t n = 0, start = 0;
    unsigned char may_join[256] = {0};

    /* The bytes a joiner can start with, as starts_with_ci compares them:
     * the rest of the question's bytes need not look any further. */
    for (size_t j = 0; j < sizeof joiners / sizeof *joiners; j++) {
        unsigned char f = (unsigned char)joiners[j][0];

        may_join[f] = 1;
        if (f & 0x20)
            may_join[f & ~0x20] = 1;
    }

    for (size_t i = 0; i <= len && n < max; i++) {
        size_t cut = 0, skip = 0;

        if (i == len)
            cut = 1;
        else if (q[i] == '?' || q[i] == '!' || q[i] == ';' ||
                 (q[i] == '.' && i + 1 < len && q[i + 1] == ' '))
            cut = 1, skip = 1;
        else if (may_join[(unsigned char)q[i]] && (skip = joiner_at(q + i, len - i)))
            cut = 1;
        if (!cut)
            continue;
        if (i > start + 1) /* a part needs more than one byte */
            spans[n++] = (struct match_part){start, i - start, NULL, 0};
        if (i == len)
            break;
        start = i + skip;
        i = start - 1;
    }
    return n;
}

/* Does the span q[start .. start + len) of the whole question (qlen bytes)
 * ask something, rather than set the scene ("I am a nurse; ...")? It ends
 * at a '?' or starts with a question opener ("what", "what's"). */
static int asks(const char *q, size_t qlen, const struct match_part *span)
{
    const char *s = q + span->start;
    size_t n = span->len;

    if (span->start + n < qlen && q[span->start + n] == '?')
        return 1;
    for (; n && (*s == ' ' || *s == '\t'); s++, n--)
        ;
    return opener_at(s, n) > 0;
}

void match_set_prefilter(struct matcher *m, int on)
{
    struct prefilter *t = m->pf;

    if ((t != NULL) == (on != 0))
        return;
    m->pf = m->pf_off;
    m->pf_off = t;
}

const char *match_normalise(struct matcher *m, const char *q, size_t len)
{
    m->given_dropped = text_normalise(m->text, q, len, &m->given_norm);
    sbuf_reset(&m->given);
    sbuf_append(&m->given, q, len);
    return m->given_norm.s;
}

void match_question(struct matcher *m, const char *q, size_t len,
                    enum kb_level level, struct match_result *r)
{
    struct match_part spans[MATCH_MAX_PARTS], parts[MATCH_MAX_PARTS];
    size_t nspans = split_parts(q, len, spans, MATCH_MAX_PARTS), nparts = 0;
    int first_asks = 0;       /* a pattern chose parts[0], which asks */
    int declined_ask = 0;     /* a span that asks something was declined */
    int declined_say = 0;     /* a span that asks nothing was declined */

    for (size_t i = 0; nspans > 1 && i < nspans; i++) {
        int seen = 0;

        score(m, q + spans[i].start, spans[i].len, level, r);
        if (r->declined && asks(q, len, &spans[i]))
            declined_ask = 1;
        else if (r->declined)
            declined_say = 1;
        for (size_t k = 0; k < nparts; k++)
            seen |= r->answered && parts[k].entry == r->top[0].entry;
        if (r->answered && !seen) {
            if (!nparts)
                first_asks = r->top[0].pattern >= 0 && asks(q, len, &spans[i]);
            parts[nparts++] = (struct match_part){spans[i].start, spans[i].len,
                                                  r->top[0].entry, r->confidence};
        }
    }
    score(m, q, len, level, r);
    /* "find a mentor and what salary should I ask": the whole is declined,
     * but the part mlcoach knows still gets its answer when two questions
     * were asked: a pattern chose that part and it asks something, and at
     * least one other part is declined on its own, every such part asking
     * something too. Otherwise one part is what the other is about:
     * "I was offered RSUs; can you explain how that works", "I coach my
     * son's football team; how do I get a coaching licence", "I got
     * promoted without a raise; how do I negotiate one". */
    if (nparts == 1 && r->declined && first_asks && declined_ask && !declined_say)
        score(m, q + parts[0].start, parts[0].len, level, r);
    if (nparts < 2)
        return;
    /* Asked two things: answer the first in the usual place if the whole
     * question found nothing. */
    if (!r->answered)
        score(m, q + parts[0].start, parts[0].len, level, r);
    memcpy(r->parts, parts, nparts * sizeof *parts);
    r->nparts = nparts;
}
