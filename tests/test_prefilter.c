/* test_prefilter.c -- the literal keys read from patterns, and proof that
 * the prefilter never drops a pattern that matches: on tricky patterns, on
 * every eval question, every knowledge example, random word salad and odd
 * inputs, against the built-in knowledge. */
#define PCRE2_CODE_UNIT_WIDTH 8
#include "helpers.h"

#include <pcre2.h>
#include <stdio.h>
#include <stdlib.h>

#include "match.h"
#include "prefilter.h"
#include "text.h"

/* ---- Reading keys from patterns --------------------------------------- */

static const struct {
    const char *pattern, *keys;
} cases[] = {
    /* Word edges decide the key type: word, prefix*, *suffix, *inside*. */
    {"\\bfind\\b", "find"},
    {"\\bmentors?\\b", "mentor*"},
    {"mentor", "*mentor*"},
    {"find\\b", "*find"},
    {"^mentor$", "mentor"},
    {"\\bhow to find", "how & to & find*"},
    /* Alternations: one key per branch, or nothing if a branch has none. */
    {"^(mentor|mentors)$", "mentor | mentors"},
    {"foo|bar", "*foo* | *bar*"},
    {"foo|", ""},
    {"foo|\\w+", ""},
    {"\\b(senior|(junior|jr) dev)\\b", "senior | dev"},
    /* Optional and repeated parts are not required. */
    {"(foo)?bar", "*bar*"},
    {"\\b(foo )?bar\\b", "bar"},
    {"\\bcolou?r\\b", "colo* & *r"},
    {"\\bfo+\\b", "fo*"},
    {"a{0,2}b", "*b*"},
    {"x{,3}y", "*y*"},
    {"\\b(it )*works\\b", "works"},
    {"\\bhealth ?care\\b", "health* & *care"},
    {"(\\w+ ){0,3}\\bmodel\\b", "model"},
    /* Classes and escapes cut literals; the cut side is not a word edge. */
    {"\\bfoo[a-z]bar\\b", "foo* & *bar"},
    {"[]x]y", "*y*"},
    {"[^]]z", "*z*"},
    {"[[:alpha:]]q\\b", "*q"},
    {"\\bx\\w*", "x*"},
    {"foo\\d", "*foo*"},
    {"\\.net\\b", "*net"},
    {"\\bcan't\\b", "can* & *t"},
    {"\\bcaf\xC3\xA9\\b", "caf*"},
    {"\\bment.r", "ment* & *r*"},
    /* Lookarounds and \K match no text of their own. */
    {"\\bdomain(?! names?\\b)", "domain*"},
    {"(?=.*\\bml\\b)foo", "*foo*"},
    {"^(?!.*\\bschool\\b).*?\\K\\bsenior\\b", "senior"},
    /* Long literals are cut to 16 letters. */
    {"\\binternationalization\\b", "internationaliza*"},
    {"internationalization\\b", "*rnationalization"},
    /* Anything not understood: always tried. */
    {"(?i)foo", ""},
    {"(?x) f o o", ""},
    {"\\Qfoo\\E", ""},
    {"(*UTF)foo", ""},
    {"foo(?#note)", ""},
    {"(a)\\1", ""},
    {"x{ 1}y", ""},
    {"\\x{41}bc", ""},
    {"\\p{L}abc", ""},
    {"a**", ""},
    {"", ""},
    {"((((x))))", "*x*"},
};

static void test_keys_of_tricky_patterns(void **state)
{
    struct sbuf out = {0};
    int bad = 0;

    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        prefilter_describe(cases[i].pattern, &out);
        if (strcmp(out.s, cases[i].keys) != 0) {
            print_message("pattern %s\n  got  \"%s\"\n  want \"%s\"\n", cases[i].pattern, out.s,
                          cases[i].keys);
            bad++;
        }
    }
    sbuf_free(&out);
    assert_int_equal(bad, 0);
}

/* Too many alternatives are not worth indexing: the pattern is always tried. */
static void test_wide_alternation_is_always_tried(void **state)
{
    struct sbuf src = {0}, out = {0};

    (void)state;
    sbuf_puts(&src, "\\b(w0");
    for (int i = 1; i < 100; i++)
        sbuf_printf(&src, "|w%d", i);
    sbuf_puts(&src, ")\\b");
    prefilter_describe(src.s, &out);
    assert_string_equal(out.s, "");
    sbuf_free(&src);
    sbuf_free(&out);
}

/* ---- The prefilter against every pattern of the built-in knowledge ---- */

struct corpus {
    char **q;
    size_t n, cap;
};

static void add(struct corpus *c, const char *s, size_t len)
{
    util_grow((void **)&c->q, &c->cap, c->n + 1, sizeof *c->q);
    c->q[c->n++] = xstrndup(s, len);
}

/* The question column of tests/eval/questions.tsv. */
static void add_eval(struct corpus *c)
{
    FILE *f = fopen("tests/eval/questions.tsv", "r");
    char line[4096];

    assert_non_null(f);
    while (fgets(line, sizeof line, f)) {
        char *q = strchr(line, '\t');

        q = q ? strchr(q + 1, '\t') : NULL;
        if (q && strncmp(line, "split", 5) != 0)
            add(c, q + 1, strcspn(q + 1, "\r\n"));
    }
    fclose(f);
    assert_true(c->n > 200);
}

/* Words from the knowledge's examples, drawn at random (fixed seed). */
static void add_salad(struct corpus *c, const struct kb *kb, size_t count)
{
    struct corpus words = {0};
    unsigned long seed = 12345;

    for (size_t i = 0; i < kb->nentries; i++)
        for (size_t k = 0; k < kb->entry_list[i]->nexamples; k++) {
            const char *p = kb->entry_list[i]->examples[k].text, *w;
            size_t len;

            while ((w = text_next_word(&p, &len)))
                add(&words, w, len);
        }
    for (size_t i = 0; i < count; i++) {
        struct sbuf q = {0};
        size_t n = 1 + i % 12;

        for (size_t k = 0; k < n; k++) {
            seed = seed * 6364136223846793005UL + 1442695040888963407UL;
            sbuf_printf(&q, "%s%s", k ? " " : "", words.q[(seed >> 33) % words.n]);
        }
        add(c, q.s, q.len);
        sbuf_free(&q);
    }
    for (size_t i = 0; i < words.n; i++)
        free(words.q[i]);
    free(words.q);
}

static void add_odd(struct corpus *c)
{
    static const char *const odd[] = {
        "", " ", "?!?...", "\xff\xfe mentor \xc3", "HOW DO I FIND A MENTOR???",
        "ment\xc3\xb3" "r", "\xef\xbd\x8d\xef\xbd\x85\xef\xbd\x8e\xef\xbd\x94\xef\xbd\x8f\xef\xbd\x92",
        "\xc5\xbf" "enior vs junior", "\xe2\x84\xaa" "eywords to senior", "what's the diff, Jr. vs Sr.?",
        "mentorship mentorships mentoring", "a", "ml", "\t\tcareer\tpath\t", "senior's role",
    };
    struct sbuf longq = {0};

    for (size_t i = 0; i < sizeof odd / sizeof *odd; i++)
        add(c, odd[i], strlen(odd[i]));
    for (int i = 0; i < 60; i++)
        sbuf_puts(&longq, "how do i find a mentor and become senior in ml ");
    add(c, longq.s, longq.len);
    sbuf_reset(&longq);
    for (int i = 0; i < 5000; i++)
        sbuf_putc(&longq, "mentorx"[i % 7]);
    add(c, longq.s, longq.len);
    sbuf_free(&longq);
}

static struct corpus everything(const struct kb *kb)
{
    struct corpus c = {0};

    add_eval(&c);
    for (size_t i = 0; i < kb->nentries; i++)
        for (size_t k = 0; k < kb->entry_list[i]->nexamples; k++)
            add(&c, kb->entry_list[i]->examples[k].text,
                strlen(kb->entry_list[i]->examples[k].text));
    add_salad(&c, kb, 2000);
    add_odd(&c);
    return c;
}

static void corpus_free(struct corpus *c)
{
    for (size_t i = 0; i < c->n; i++)
        free(c->q[i]);
    free(c->q);
}

static struct kb *builtin(void)
{
    struct diag d = {0};

    return report(kb_load_builtin(&d), &d);
}

/* Every pattern that matches a normalised question is among its candidates. */
static void test_no_matching_pattern_is_dropped(void **state)
{
    struct kb *kb = builtin();
    struct corpus c = everything(kb);
    struct prefilter *pf = prefilter_new();
    struct text *t = text_new();
    struct sbuf norm = {0};
    pcre2_code **re = NULL;
    size_t npats = 0, cap = 0, missed = 0, tried = 0, always;
    pcre2_match_data *md = pcre2_match_data_create(1, NULL);
    unsigned char *cand;

    (void)state;
    for (size_t i = 0; i < kb->nentries; i++)
        for (size_t k = 0; k < kb->entry_list[i]->npatterns; k++) {
            /* What match.c compiles and files: concepts expanded. */
            const char *src = kb->entry_list[i]->patterns[k].regex;
            int err;
            PCRE2_SIZE off;

            util_grow((void **)&re, &cap, npats + 1, sizeof *re);
            re[npats] = pcre2_compile((PCRE2_SPTR)src, PCRE2_ZERO_TERMINATED,
                                      PCRE2_CASELESS | PCRE2_UTF | PCRE2_UCP, &err, &off, NULL);
            assert_non_null(re[npats]);
            pcre2_jit_compile(re[npats++], PCRE2_JIT_COMPLETE);
            prefilter_add(pf, src);
        }
    /* Builds the index, which the first run would otherwise skip. */
    assert_int_equal(prefilter_count(pf, &always), npats);
    assert_true(always < npats / 10);
    cand = xcalloc(npats, 1);
    for (size_t q = 0; q < c.n; q++) {
        size_t n;

        text_normalise(t, c.q[q], strlen(c.q[q]), &norm);
        n = prefilter_run(pf, norm.s, norm.len, npats);
        tried += n;
        memset(cand, 0, npats);
        for (size_t k = 0; k < n; k++) {
            assert_true(k == 0 || prefilter_id(pf, k) > prefilter_id(pf, k - 1));
            cand[prefilter_id(pf, k)] = 1;
        }
        for (size_t p = 0; p < npats; p++) {
            if (cand[p] || pcre2_match(re[p], (PCRE2_SPTR)norm.s, norm.len, 0, 0, md, NULL) < 0)
                continue;
            print_message("dropped pattern %zu for \"%s\"\n", p, norm.s);
            missed++;
        }
    }
    /* The prefilter must also earn its keep: far fewer patterns than all. */
    assert_true(tried < c.n * npats / 10);
    assert_int_equal(missed, 0);
    free(cand);
    for (size_t p = 0; p < npats; p++)
        pcre2_code_free(re[p]);
    free(re);
    pcre2_match_data_free(md);
    sbuf_free(&norm);
    text_free(t);
    prefilter_free(pf);
    corpus_free(&c);
    kb_free(kb);
}

/* Add every entry pattern of kb (the built-in copy) to pf, in load order,
 * with the keys read at build time (kb_builtin_keys) if described; how
 * many. */
static size_t add_patterns(struct prefilter *pf, const struct kb *kb, int described)
{
    size_t n = 0;

    for (size_t i = 0; i < kb->nentries; i++)
        for (size_t k = 0; k < kb->entry_list[i]->npatterns; k++, n++)
            prefilter_add_described(pf, kb->entry_list[i]->patterns[k].regex,
                                    described ? kb_builtin_keys[n].keys : NULL);
    return n;
}

static size_t add_every_pattern(struct prefilter *pf, const struct kb *kb)
{
    return add_patterns(pf, kb, 0);
}

/* A prefilter that chooses on its first run (prefilter_choose_first) reads
 * the patterns' keys straight against the question instead of building the
 * index, or takes them from kb_builtin_keys: either way it must choose
 * exactly the candidates the index chooses. A fresh prefilter per question,
 * so every one is a first run (a sample of the corpus: each reads all the
 * patterns). */
static void test_first_choice_equals_index(void **state)
{
    struct kb *kb = builtin();
    struct corpus c = everything(kb);
    struct prefilter *index = prefilter_new();
    struct text *t = text_new();
    struct sbuf norm = {0};
    size_t npats, always, checked = 0;

    (void)state;
    npats = add_every_pattern(index, kb);
    assert_int_equal(prefilter_count(index, &always), npats);
    for (size_t q = 0; q < c.n; q += 37, checked++) {
        text_normalise(t, c.q[q], strlen(c.q[q]), &norm);
        size_t want = prefilter_run(index, norm.s, norm.len, npats);

        for (int described = 0; described < 2; described++) {
            struct prefilter *first = prefilter_new();
            size_t n;

            (void)add_patterns(first, kb, described);
            prefilter_choose_first(first);
            n = prefilter_run(first, norm.s, norm.len, npats);
            if (n != want)
                fail_msg("%zu candidates for \"%s\" on the first run (described %d), %zu "
                         "from the index", n, norm.s, described, want);
            for (size_t k = 0; k < n; k++)
                assert_int_equal(prefilter_id(first, k), prefilter_id(index, k));
            prefilter_free(first);
        }
    }
    assert_true(checked > 50);
    sbuf_free(&norm);
    text_free(t);
    prefilter_free(index);
    corpus_free(&c);
    kb_free(kb);
}

/* The first run reads a described pattern's keys from its description,
 * not from the pattern, and reads the pattern when the description is not
 * prefilter_describe()'s text. */
static void test_first_choice_reads_description(void **state)
{
    static const char *const bad[] = {"", "(mentor", "mentor |", "mentor & & x", "men tor",
                                      "*", "mentor) | x", "MENTOR", "(a | b) & c &"};
    struct sbuf out = {0};
    struct prefilter *pf;

    (void)state;
    prefilter_describe("\\bmentors?\\b", &out);
    assert_string_equal(out.s, "mentor*");
    /* A description that disagrees with the pattern shows which is read. */
    pf = prefilter_new();
    prefilter_add_described(pf, "\\bmentors?\\b", "zebra");
    prefilter_choose_first(pf);
    assert_int_equal(prefilter_run(pf, "find a mentor", 13, 1), 0);
    prefilter_free(pf);
    pf = prefilter_new();
    prefilter_add_described(pf, "\\bmentors?\\b", "(zeb* | *ra) & *ent*");
    prefilter_choose_first(pf);
    assert_int_equal(prefilter_run(pf, "zebras mentor", 13, 1), 1);
    prefilter_free(pf);
    /* Not a description (the empty one is: always tried): the pattern. */
    for (size_t i = 1; i < sizeof bad / sizeof *bad; i++) {
        pf = prefilter_new();
        prefilter_add_described(pf, "\\bmentors?\\b", bad[i]);
        prefilter_choose_first(pf);
        /* "mentors" needs the pattern's "mentor*", not a word "mentor" a
         * lenient reading of the description might find. */
        if (prefilter_run(pf, "find mentors", 12, 1) != 1)
            fail_msg("description \"%s\" was read", bad[i]);
        assert_int_equal(prefilter_run(pf, "a coach", 7, 1), 0); /* from here, the index */
        prefilter_free(pf);
    }
    pf = prefilter_new();
    prefilter_add_described(pf, "\\bmentors?\\b", bad[0]);
    prefilter_choose_first(pf);
    assert_int_equal(prefilter_run(pf, "a coach", 7, 1), 1);
    prefilter_free(pf);
    sbuf_free(&out);
}

/* r->limited may differ: a pattern the prefilter skips cannot hit a limit,
 * and it could not have matched either. */
static void same_result(const struct match_result *a, const struct match_result *b,
                        const char *q)
{
    int same = a->answered == b->answered && a->confidence == b->confidence &&
               a->ntop == b->ntop && a->nsuggest == b->nsuggest;

    for (size_t i = 0; same && i < a->ntop; i++)
        same = a->top[i].entry == b->top[i].entry && a->top[i].score == b->top[i].score &&
               a->top[i].pattern == b->top[i].pattern;
    for (size_t i = 0; same && i < a->nsuggest; i++)
        same = a->suggest[i] == b->suggest[i];
    if (!same)
        fail_msg("prefiltered and exhaustive matchers differ on \"%s\"", q);
}

/* The whole matcher: the same entries, scores, patterns and suggestions
 * with the prefilter on and off, at every level. */
static void test_prefiltered_matcher_equals_exhaustive(void **state)
{
    struct kb *kb = builtin();
    struct corpus c = everything(kb);
    struct diag d = {0};
    struct matcher *m = match_new(kb, 1, &d);
    struct match_result on, off;

    (void)state;
    assert_non_null(m);
    for (size_t q = 0; q < c.n; q++) {
        for (int lv = 0; lv < KB_NLEVELS; lv++) {
            match_question(m, c.q[q], strlen(c.q[q]), (enum kb_level)lv, &on);
            match_set_prefilter(m, 0);
            match_question(m, c.q[q], strlen(c.q[q]), (enum kb_level)lv, &off);
            match_set_prefilter(m, 1);
            same_result(&on, &off, c.q[q]);
        }
    }
    match_free(m);
    corpus_free(&c);
    kb_free(kb);
}

/* The first question tries every pattern (one exhaustive run is cheaper
 * than building the index); the second builds the index and filters. */
static void test_first_run_is_exhaustive(void **state)
{
    struct prefilter *pf = prefilter_new();
    const char *q = "how do i find a mentor";

    (void)state;
    prefilter_add(pf, "\\bmentor\\b");
    prefilter_add(pf, "\\bcourses?\\b");
    prefilter_add(pf, "\\w+");
    assert_int_equal(prefilter_run(pf, q, strlen(q), 3), 3);
    assert_int_equal(prefilter_id(pf, 1), 1);
    assert_int_equal(prefilter_run(pf, q, strlen(q), 3), 2);
    assert_int_equal(prefilter_id(pf, 0), 0);
    assert_int_equal(prefilter_id(pf, 1), 2);
    assert_int_equal(prefilter_run(pf, "courses", 7, 3), 2);
    assert_int_equal(prefilter_id(pf, 0), 1);
    prefilter_free(pf);
}

/* A share function for the test: "career" is in nearly every question. */
static double career_is_common(void *ctx, const char *w, size_t len)
{
    (void)ctx;
    return len == 6 && memcmp(w, "career", 6) == 0 ? 0.9 : 0;
}

/* Each branch needs "career" and a rarer word. Judged by length alone,
 * "career" is the cheaper key, so a question with that word and neither
 * rarer one still makes the pattern a candidate; told how common "career"
 * is, the prefilter files the pattern under the rarer words instead. The
 * candidates a matching question gets are the same either way. */
static void test_common_words_file_rarer_keys(void **state)
{
    const char *pat = "\\bcareer\\b.*\\bjobs\\b|\\bcareer\\b.*\\broles\\b";
    const char *plain = "career advice", *both = "career roles";

    (void)state;
    for (int share = 0; share < 2; share++) {
        struct prefilter *pf = prefilter_new();

        if (share)
            prefilter_set_share(pf, career_is_common, NULL);
        prefilter_add(pf, pat);
        (void)prefilter_run(pf, plain, strlen(plain), 1); /* the exhaustive first run */
        assert_int_equal(prefilter_run(pf, plain, strlen(plain), 1), share ? 0 : 1);
        assert_int_equal(prefilter_run(pf, both, strlen(both), 1), 1);
        prefilter_free(pf);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_keys_of_tricky_patterns),
        cmocka_unit_test(test_wide_alternation_is_always_tried),
        cmocka_unit_test(test_first_run_is_exhaustive),
        cmocka_unit_test(test_common_words_file_rarer_keys),
        cmocka_unit_test(test_first_choice_equals_index),
        cmocka_unit_test(test_first_choice_reads_description),
        cmocka_unit_test(test_no_matching_pattern_is_dropped),
        cmocka_unit_test(test_prefiltered_matcher_equals_exhaustive),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
