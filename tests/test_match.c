/* test_match.c -- choosing entries: patterns, scores, ties, keywords, BM25,
 * typo correction, concepts, scope, compound questions, see-also,
 * explanations, thresholds, suggestions, runaway patterns. */
#include "helpers.h"

#include <math.h>
#include <stdlib.h>

#include "match.h"

static struct kb *kb;
static struct matcher *m;
static struct match_result r;

static int setup(void **state)
{
    struct diag d = {0};

    (void)state;
    kb = load_fixture();
    m = kb ? match_new(kb, 1, &d) : NULL;
    report(kb, &d);
    return m ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    match_free(m);
    kb_free(kb);
    return 0;
}

/* A matcher over one inline mentorship.yml; free with free_inline(). */
static struct matcher *inline_matcher(const char *topic, struct kb **k)
{
    struct diag d = {0};
    struct matcher *mm;

    *k = load_topic("k/mentorship.yml", topic, &d);
    mm = *k ? match_new(*k, 1, &d) : NULL;
    report(*k, &d);
    assert_non_null(mm);
    return mm;
}

/* inline_matcher() over a single entry: its id, one pattern and answer. */
static struct matcher *one_entry_matcher(const char *id, const char *pattern, const char *answer,
                                         struct kb **k)
{
    char topic[512];

    snprintf(topic, sizeof topic,
             ENTRY_HEAD "  - id: %s\n    patterns: ['%s']\n    answer: %s\n    sources: [doc#one]\n",
             id, pattern, answer);
    return inline_matcher(topic, k);
}

static void free_inline(struct matcher *mm, struct kb *k)
{
    match_free(mm);
    kb_free(k);
}

/* Ask mm question q into r. */
static void ask(struct matcher *mm, const char *q)
{
    match_question(mm, q, strlen(q), KB_LEVEL_ANY, &r);
}

static const char *best(const char *q)
{
    ask(m, q);
    return r.answered ? r.top[0].entry->id : NULL;
}

static void test_pattern_selects_entry(void **state)
{
    (void)state;
    assert_string_equal(best("How do I find a mentor?"), "mentorship.find");
    assert_string_equal(best("could I become a mentor one day"), "mentorship.become");
    assert_string_equal(best("are certifications worth it"), "learning.courses");
    assert_string_equal(r.norm, "are certifications worth it");
    assert_int_equal(r.top[0].pattern, 1); /* the \bcertificat\w* pattern */
}

static void test_confidence_in_range_and_ordered(void **state)
{
    (void)state;
    best("how do i find a mentor at a meetup or a conference");
    assert_true(r.answered);
    assert_true(r.confidence >= MATCH_THRESHOLD && r.confidence <= 1.0);
    assert_true(r.ntop >= 2);
    /* Entries a pattern chose come first, each group by falling score. */
    for (size_t i = 1; i < r.ntop; i++) {
        int a = r.top[i - 1].pattern >= 0, b = r.top[i].pattern >= 0;

        assert_true(a >= b);
        if (a == b)
            assert_true(r.top[i - 1].score >= r.top[i].score);
    }
}

static void test_coverage_prefers_longer_match(void **state)
{
    double whole, part;

    (void)state;
    /* The same pattern matches "find a mentor" in both questions, with the
     * same keyword hits; only the share of the question covered differs. */
    assert_string_equal(best("find a mentor"), "mentorship.find");
    assert_int_equal(r.top[0].pattern, 0);
    whole = r.confidence;
    assert_string_equal(best("find a mentor at the office during the next few weeks"),
                        "mentorship.find");
    assert_int_equal(r.top[0].pattern, 0);
    part = r.confidence;
    assert_true(whole > part);
}

static void test_deterministic(void **state)
{
    const char *q = "find a mentor and become a mentor";
    const struct kb_entry *first;
    double conf;

    (void)state;
    best(q);
    first = r.top[0].entry;
    conf = r.confidence;
    for (int i = 0; i < 50; i++) {
        best(q);
        assert_ptr_equal(r.top[0].entry, first);
        assert_true(r.confidence == conf);
    }
}

static void test_keyword_hits_counted(void **state)
{
    (void)state;
    best("find a mentor at a meetup");
    assert_string_equal(r.top[0].entry->id, "mentorship.find");
    assert_int_equal(r.top[0].keyword_hits, 2); /* mentor, meetup */
}

static void test_bm25_without_pattern(void **state)
{
    (void)state;
    /* No pattern matches; every word is in mentorship.find's keywords and
     * answer, and only "community" is anywhere else. */
    assert_string_equal(best("network community meetup"), "mentorship.find");
    assert_int_equal(r.top[0].pattern, -1);
    assert_true(r.top[0].coverage > 0.99);
    assert_true(r.top[0].bm25 > 0);
    /* One shared word among unknown ones covers too little to answer. */
    assert_null(best("conference zebra giraffe walrus"));
    assert_true(r.ntop > 0 && r.top[0].pattern == -1);
    assert_true(r.confidence < MATCH_THRESHOLD);
}

static void test_pattern_outranks_bm25(void **state)
{
    (void)state;
    /* "meetup network community" favour mentorship.find by words, but a
     * pattern of learning.courses matches. */
    assert_string_equal(best("courses for my network community meetup"), "learning.courses");
    assert_true(r.top[0].pattern >= 0);
    assert_string_equal(r.top[1].entry->id, "mentorship.find");
    assert_int_equal(r.top[1].pattern, -1);
}

static void test_out_of_scope(void **state)
{
    (void)state;
    /* "meetup" is knowledge, but nothing here is about careers or ML. */
    assert_null(best("how do I cook pasta at a meetup"));
    assert_false(r.in_scope);
    assert_true(r.nsuggest >= 1);
    assert_string_equal(r.suggest[0]->id, "mentorship.find");
    /* A matching pattern vouches for the question by itself. */
    assert_string_equal(best("find mentors"), "mentorship.find");
}

static void test_decline(void **state)
{
    (void)state;
    assert_null(best("what salary should a mentor earn"));
    assert_non_null(r.declined);
    assert_string_equal(r.declined->id, "out-of-scope.pay");
    assert_true(r.in_scope); /* declined for its kind, not for lacking signal */
    /* A decline whose pattern matched outranks an entry whose pattern did. */
    assert_null(best("how do I find a mentor with a good salary"));
    assert_string_equal(r.top[0].entry->id, "out-of-scope.pay");
    assert_string_equal(r.top[1].entry->id, "mentorship.find");
    assert_true(r.top[1].pattern >= 0);
    assert_ptr_equal(r.declined, r.top[0].entry);
    /* Suggestions are entries, never declines. */
    assert_true(r.nsuggest >= 1);
    for (size_t i = 0; i < r.nsuggest; i++)
        assert_non_null(r.suggest[i]->topic);
    /* Without the decline's words, the entry answers. */
    assert_string_equal(best("how do I find a mentor with a good network"), "mentorship.find");
    assert_null(r.declined);
}

static void test_decline_part_of_compound(void **state)
{
    (void)state;
    /* The whole is declined, but the part the knowledge covers is answered. */
    assert_string_equal(best("how do I find a mentor and what salary should I ask?"),
                        "mentorship.find");
    assert_null(r.declined);
    assert_int_equal(r.nparts, 0);
    /* A part that only shares words with an entry does not undo the
     * decline: it may well be about the declined part. */
    assert_string_equal(best("the network community meetup"), "mentorship.find");
    assert_int_equal(r.top[0].pattern, -1); /* by BM25 alone, on its own */
    assert_null(best("what salary is fair; the network community meetup?"));
    assert_non_null(r.declined);
    assert_string_equal(r.declined->id, "out-of-scope.pay");
    /* The declined part must ask something of its own, by a '?' or an
     * opening question word; a statement sets the scene for the rest. */
    assert_string_equal(best("my salary is fair? how do I find a mentor"), "mentorship.find");
    assert_string_equal(best("what salary is fair; how do I find a mentor"), "mentorship.find");
    assert_string_equal(best("what's a fair salary; how do I find a mentor"), "mentorship.find");
    assert_null(best("my salary is fair; how do I find a mentor"));
    assert_string_equal(r.declined->id, "out-of-scope.pay");
    /* The answered part must ask too: here the question is the salary. */
    assert_null(best("I want to find a mentor; what salary should I ask?"));
    assert_string_equal(r.declined->id, "out-of-scope.pay");
    /* One declined statement is enough to decline the whole. */
    assert_null(best("my wage is low; what salary is fair; how do I find a mentor"));
    assert_string_equal(r.declined->id, "out-of-scope.pay");
}

static void test_typo_corrected(void **state)
{
    (void)state;
    assert_string_equal(best("how do i find a mentr"), "mentorship.find");
    assert_int_equal(r.ncorrections, 1);
    assert_string_equal(r.corrections[0].from, "mentr");
    assert_string_equal(r.corrections[0].to, "mentor");
    assert_string_equal(r.norm, "how do i find a mentor");
    /* Other forms of knowledge words and real English words stay. */
    best("mentoring stats");
    assert_int_equal(r.ncorrections, 0);
    assert_string_equal(r.norm, "mentoring stats");
}

/* A word outside the vocabulary is corrected even when its stem is one the
 * knowledge indexes: an example's own typo ("modle") or a real stem
 * ("caree" stems like "care") is no reason to keep it. */
static void test_typo_with_known_stem_corrected(void **state)
{
    struct kb *k;
    struct matcher *mm = inline_matcher(ENTRY_HEAD
                                        "  - id: mentorship.model\n"
                                        "    patterns: ['\\bmodel\\b']\n"
                                        "    keywords: [model, career]\n"
                                        "    examples:\n"
                                        "      - my modle is bad\n"
                                        "    answer: Take care of the model and your career.\n"
                                        "    sources: [doc#one]\n",
                                        &k);
    const char *q = "my modle and caree";

    (void)state;
    ask(mm, q);
    assert_string_equal(r.norm, "my model and career");
    assert_int_equal(r.ncorrections, 2);
    free_inline(mm, k);
}

/* A typo of another form of a knowledge word is corrected through its
 * stem, keeping the typed ending: the knowledge says "troubleshoot" only. */
static void test_typo_of_inflected_form(void **state)
{
    struct kb *k;
    struct matcher *mm = one_entry_matcher("mentorship.data", "\\bdata\\b",
                                           "Troubleshoot the data first.", &k);
    const char *q = "truobleshooting data";

    (void)state;
    ask(mm, q);
    assert_string_equal(r.norm, "troubleshooting data");
    assert_int_equal(r.ncorrections, 1);
    assert_string_equal(r.corrections[0].from, "truobleshooting");
    assert_string_equal(r.corrections[0].to, "troubleshooting");
    free_inline(mm, k);
}

/* A stem is corrected only under an ending that inflects it: "analytics"
 * stems to "analyt", one edit from "analyst", but "analystics" is no word. */
static void test_typo_stem_needs_inflection(void **state)
{
    struct kb *k;
    struct matcher *mm = one_entry_matcher("mentorship.analyst", "\\banalyst\\b",
                                           "An analyst has data to start from.", &k);

    (void)state;
    ask(mm, "our analytics team");
    assert_int_equal(r.ncorrections, 0);
    assert_string_equal(r.norm, "our analytics team");
    ask(mm, "anlaysting"); /* the same stem under "ing" is corrected */
    assert_int_equal(r.ncorrections, 1);
    assert_string_equal(r.corrections[0].to, "analysting");
    free_inline(mm, k);
}

/* Between two corrections at one distance the neighbouring words decide:
 * "finl say" is "final say" though "find" is the more frequent word. */
static void test_typo_context(void **state)
{
    struct kb *k;
    struct matcher *mm = one_entry_matcher("mentorship.say", "\\bfinal say\\b",
                                           "Find a mentor, find time, then take the final say.", &k);
    const char *q = "who has the finl say", *q2 = "finl";

    (void)state;
    ask(mm, q);
    assert_string_equal(r.norm, "who has the final say");
    assert_string_equal(r.top[0].entry->id, "mentorship.say");
    ask(mm, q2);
    assert_string_equal(r.norm, "find"); /* no context: the more frequent */
    free_inline(mm, k);
}

/* An unknown word two edits from a vocabulary word ("mnetr", too far to
 * correct) weighs MATCH_UNKNOWN_NEAR of one the knowledge never uses. */
static void test_garbled_word_weighs_less(void **state)
{
    double garbled = -1, unknown = -1;

    (void)state;
    best("zebra mnetr");
    assert_int_equal(r.ncorrections, 0);
    for (size_t i = 0; i < r.nterms; i++) {
        if (strcmp(r.terms[i].stem, "zebra") == 0)
            unknown = r.terms[i].weight;
        if (strcmp(r.terms[i].stem, "mnetr") == 0)
            garbled = r.terms[i].weight;
    }
    assert_true(unknown > 0 && garbled > 0);
    assert_true(fabs(garbled / unknown - MATCH_UNKNOWN_NEAR) < 1e-9);
}

static void test_concept_in_pattern(void **state)
{
    (void)state;
    /* learning.courses' pattern '\bgo(ing)? to (an? )?~gathering\b'. */
    assert_string_equal(best("should I go to a conference"), "learning.courses");
    assert_int_equal(r.top[0].pattern, 2);
    assert_string_equal(best("going to a meetup"), "learning.courses");
    assert_int_equal(r.top[0].pattern, 2);
}

static void test_compound_question(void **state)
{
    const char *q = "how do I find a mentor and are online courses worth it?";

    (void)state;
    best(q);
    assert_true(r.answered);
    assert_int_equal(r.nparts, 2);
    assert_string_equal(r.parts[0].entry->id, "mentorship.find");
    assert_string_equal(r.parts[1].entry->id, "learning.courses");
    assert_int_equal(r.parts[0].start, 0);
    assert_int_equal(r.parts[0].len, strlen("how do I find a mentor"));
    assert_memory_equal(q + r.parts[0].start, "how do I find a mentor", r.parts[0].len);
    /* The joiner and the question mark belong to no part. */
    assert_int_equal(r.parts[1].len, strlen("are online courses worth it"));
    assert_memory_equal(q + r.parts[1].start, "are online courses worth it", r.parts[1].len);
    /* "and" before a word that does not open a question does not split. */
    best("find a mentor and network");
    assert_int_equal(r.nparts, 0);
    /* Two parts about the same entry are one question. */
    best("how do I find a mentor? where do I find mentors?");
    assert_int_equal(r.nparts, 0);
}

static void test_see_also_when_close(void **state)
{
    static const char topic[] =
        "topic: mentorship\nentries:\n"
        "  - id: m.a\n    patterns: ['\\bmentor\\b']\n    answer: x\n    sources: [doc#one]\n"
        "  - id: m.b\n    patterns: ['\\bmentor\\b']\n    answer: y\n    sources: [doc#one]\n"
        "  - id: m.c\n    patterns: ['\\bcourse\\b']\n    answer: z\n    sources: [doc#one]\n";
    struct kb *k2;
    struct matcher *m2 = inline_matcher(topic, &k2);
    const char *q = "mentor";

    (void)state;
    ask(m2, q);
    assert_string_equal(r.top[0].entry->id, "m.a");
    assert_non_null(r.see_also);
    assert_string_equal(r.see_also->id, "m.b");
    q = "course";
    ask(m2, q);
    assert_null(r.see_also);
    free_inline(m2, k2);
}

static void test_explain_terms(void **state)
{
    double sum = 0;
    int zebra = 0;

    (void)state;
    best("find a mentor at a zebra meetup");
    assert_true(r.nterms >= 3);
    for (size_t i = 0; i < r.nterms; i++) {
        assert_true(r.terms[i].counted <= r.terms[i].weight + 1e-9);
        if (i)
            assert_true(r.terms[i - 1].weight >= r.terms[i].weight);
        sum += r.terms[i].weight;
        /* "zebra" is no knowledge word: it weighs but counts for nothing. */
        if (strcmp(r.terms[i].stem, "zebra") == 0) {
            assert_true(r.terms[i].weight > 0 && r.terms[i].counted == 0);
            zebra = 1;
        }
    }
    assert_true(zebra);
    assert_true(sum > 0.99 && sum < 1.01);
}

/* A keyword made of stop words ("how", "the") is no evidence. */
static void test_stopword_keywords_ignored(void **state)
{
    static const char topic[] =
        "topic: mentorship\nentries:\n"
        "  - id: m.a\n    patterns: ['^never$']\n    keywords: [why, how, the, mentor]\n"
        "    answer: x\n    sources: [doc#one]\n";
    struct kb *k2;
    struct matcher *m2 = inline_matcher(topic, &k2);
    const char *q = "why and how is the sky blue";

    (void)state;
    ask(m2, q);
    assert_false(r.answered);
    assert_int_equal(r.ntop, 0); /* not even a keyword-only candidate */
    q = "why how the mentor";
    ask(m2, q);
    assert_int_equal(r.top[0].keyword_hits, 1); /* only "mentor" counts */
    free_inline(m2, k2);
}

static void test_unanswered_gets_suggestions(void **state)
{
    (void)state;
    assert_null(best("career zebra walrus meetup"));
    assert_false(r.answered);
    assert_true(r.nsuggest >= 1);
    /* "meetup" is only in mentorship.find's answer and keywords. */
    assert_string_equal(r.suggest[0]->id, "mentorship.find");
}

static void test_empty_and_garbage(void **state)
{
    (void)state;
    assert_null(best(""));
    assert_null(best("?!?!"));
    assert_null(best("\xFF\xFE\xFD"));
    assert_true(r.invalid_utf8);
}

/* Two entries with the same pattern tie: load order decides for level
 * any, and the reader's level decides otherwise. */
static void test_level_nudges_ties(void **state)
{
    static const char topic[] =
        "topic: mentorship\nentries:\n"
        "  - id: m.junior\n    level: junior\n    patterns: ['\\bmentor\\b']\n"
        "    answer: x\n    sources: [doc#one]\n"
        "  - id: m.senior\n    level: senior\n    patterns: ['\\bmentor\\b']\n"
        "    answer: y\n    sources: [doc#one]\n";
    struct kb *k2;
    struct matcher *m2 = inline_matcher(topic, &k2);
    const char *q = "a mentor";

    (void)state;
    ask(m2, q);
    assert_string_equal(r.top[0].entry->id, "m.junior");
    assert_true(r.top[0].score == r.top[1].score);
    match_question(m2, q, strlen(q), KB_LEVEL_SENIOR, &r);
    assert_string_equal(r.top[0].entry->id, "m.senior");
    match_question(m2, q, strlen(q), KB_LEVEL_JUNIOR, &r);
    assert_string_equal(r.top[0].entry->id, "m.junior");
    free_inline(m2, k2);
}

/* A pattern with catastrophic backtracking hits the match limit and counts
 * as no match instead of hanging. */
static void test_runaway_pattern_is_no_match(void **state)
{
    static const char topic[] =
        "topic: mentorship\nentries:\n"
        "  - id: m.slow\n    patterns: ['(a+)+$']\n    answer: x\n    sources: [doc#one]\n"
        "  - id: m.fine\n    patterns: ['\\baaa']\n    answer: y\n    sources: [doc#one]\n";
    struct kb *k2;
    struct matcher *m2 = inline_matcher(topic, &k2);
    /* Short enough that nothing but our match limit stops the ~2^30 steps. */
    char q[33];

    (void)state;
    memset(q, 'a', sizeof q - 3);
    memcpy(q + sizeof q - 3, " b", 3); /* normalisation keeps this, unlike "!" */
    ask(m2, q);
    /* m.slow never matches (the " b" defeats '$' after exponential work):
     * the match limit stops it, and m.fine still answers. */
    assert_int_equal(r.limited, 1);
    for (size_t i = 0; i < r.ntop; i++)
        assert_string_not_equal(r.top[i].entry->id, "m.slow");
    assert_string_equal(r.top[0].entry->id, "m.fine");
    free_inline(m2, k2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pattern_selects_entry),
        cmocka_unit_test(test_confidence_in_range_and_ordered),
        cmocka_unit_test(test_coverage_prefers_longer_match),
        cmocka_unit_test(test_deterministic),
        cmocka_unit_test(test_keyword_hits_counted),
        cmocka_unit_test(test_bm25_without_pattern),
        cmocka_unit_test(test_pattern_outranks_bm25),
        cmocka_unit_test(test_out_of_scope),
        cmocka_unit_test(test_decline),
        cmocka_unit_test(test_decline_part_of_compound),
        cmocka_unit_test(test_typo_corrected),
        cmocka_unit_test(test_typo_with_known_stem_corrected),
        cmocka_unit_test(test_typo_of_inflected_form),
        cmocka_unit_test(test_typo_stem_needs_inflection),
        cmocka_unit_test(test_typo_context),
        cmocka_unit_test(test_garbled_word_weighs_less),
        cmocka_unit_test(test_concept_in_pattern),
        cmocka_unit_test(test_compound_question),
        cmocka_unit_test(test_see_also_when_close),
        cmocka_unit_test(test_explain_terms),
        cmocka_unit_test(test_stopword_keywords_ignored),
        cmocka_unit_test(test_unanswered_gets_suggestions),
        cmocka_unit_test(test_empty_and_garbage),
        cmocka_unit_test(test_level_nudges_ties),
        cmocka_unit_test(test_runaway_pattern_is_no_match),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
