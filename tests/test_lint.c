/* test_lint.c -- warnings about patterns that backtrack catastrophically
 * (lint_patterns), and about knowledge too long or repetitive to read
 * (lint_shape). */
#include "helpers.h"

#include <stdio.h>
#include <stdlib.h>

#include "lint.h"

/* Concepts every test kb has, for the alternation checks. */
#define TEST_CONCEPTS                                                                      \
    "concepts:\n"                                                                          \
    "  mentor: [mentor, mentors, mentoring, coach]\n"                                      \
    "  guide: [guide, coach, mentor, mentors, adviser]\n"                                  \
    "  signal: [career, job, jobs, mentor]\n"                                              \
    "  anchor: [ml, ai, machine learning]\n"

/* Load one entry (or decline, when decline is set) whose patterns are the
 * YAML list items in patterns (each "      - '...'\n"), with TEST_CONCEPTS,
 * and run lint on it into d. Returns what lint returns. */
static size_t lint_kb(const char *patterns, int decline,
                      size_t (*lint)(const struct kb *, struct diag *), struct diag *d)
{
    struct sbuf topic = {0};
    struct diag load = {0};
    struct kb *kb;
    size_t n;

    if (decline)
        sbuf_printf(&topic, "declines:\n  - id: out-of-scope.x\n    patterns:\n%s"
                            "    answer: A.\n", patterns);
    else
        sbuf_printf(&topic, "topic: mentorship\nentries:\n  - id: mentorship.x\n"
                            "    patterns:\n%s    answer: A.\n    sources: [doc#one]\n",
                    patterns);
    kb = report(load_two("k/concepts.yml", TEST_CONCEPTS,
                         decline ? "k/out-of-scope.yml" : "k/mentorship.yml", topic.s, &load),
                &load);
    assert_non_null(kb);
    n = lint(kb, d);
    kb_free(kb);
    sbuf_free(&topic);
    return n;
}

/* lint_patterns on an entry whose only pattern is pat (as a single-quoted
 * YAML scalar: a ' in pat must be written ''). */
static size_t lint_one(const char *pat, struct diag *d)
{
    struct sbuf line = {0};
    size_t n;

    sbuf_printf(&line, "      - '%s'\n", pat);
    n = lint_kb(line.s, 0, lint_patterns, d);
    sbuf_free(&line);
    return n;
}

/* Each case: a pattern and whether it must be warned about. */
static const struct {
    const char *pattern;
    int warned;
} cases[] = {
    {"(a+)+$", 1},
    {"(?:a+)*b", 1},
    {"(a{1,})+", 1},
    {"(\\w+\\s?)+$", 1},
    {"((ab)*c)*$", 1},
    {"(a|aa)+$", 1},          /* no nested quantifier: found by the probe */
    {"(a+)++$", 0},           /* possessive outer repeat */
    {"(a++)+$", 0},           /* possessive inner repeat */
    {"(?>a+)+$", 0},          /* atomic group */
    {"(a+){2}$", 0},          /* bounded outer repeat */
    {"(\\w+ ){0,2}senior", 0},
    {"\\(a+\\)+", 0},     /* escaped parentheses are no group */
    {"[(a+)]+", 0},           /* nor are they inside a class */
    {"\\b(find|get)\\b.*\\bmentors?\\b", 0},
    {"^(?!.*\\bschool\\b)(roles?) (\\w+ ){0,2}senior( (ml|ai))*$", 0},
};

static void test_cases(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        struct diag d = {0};
        size_t n = lint_one(cases[i].pattern, &d);

        if (n != (size_t)cases[i].warned)
            print_message("pattern %s: %zu warnings, wanted %d\n", cases[i].pattern, n,
                          cases[i].warned);
        assert_int_equal(n, cases[i].warned);
        assert_int_equal(d.n, n);
        diag_free(&d);
    }
}

/* The warning points at the outer quantifier, in the file's columns. */
static void test_position(void **state)
{
    struct diag d = {0};

    (void)state;
    assert_int_equal(lint_one("x(a+)+$", &d), 1);
    /* "      - '" is 9 columns: the regex starts at 10, its outer '+' at 15. */
    assert_one_diag(&d, "k/mentorship.yml:5:15: warning: nested quantifier in a pattern "
                        "of entry 'mentorship.x'");
    diag_free(&d);
    assert_int_equal(lint_one("(a|aa)+$", &d), 1);
    assert_one_diag(&d, "k/mentorship.yml:5:10: warning: a pattern of entry 'mentorship.x' "
                        "hits the match limit on the probe \"aaaaaaaaaaaa...\"");
    diag_free(&d);
}

/* The shipped knowledge has no pattern that backtracks catastrophically
 * (lint_shape's warnings are expected until its rewrite: issue 17). */
static void test_builtin_clean(void **state)
{
    struct diag d = {0};
    struct kb *kb = load_builtin();

    (void)state;
    assert_non_null(kb);
    assert_int_equal(lint_patterns(kb, &d), 0);
    report(NULL, &d);
    kb_free(kb);
}

/* ---- lint_shape: patterns too long, concepts spelled out, too many ---- */

/* lint_shape on an entry (or decline) with these patterns; see lint_kb. */
static size_t shape_of(const char *patterns, int decline, struct diag *d)
{
    return lint_kb(patterns, decline, lint_shape, d);
}

/* One pattern line for shape_of(). */
#define P(x) "      - '" x "'\n"

/* Each case: patterns, how many warnings, and the first one's start after
 * "k/mentorship.yml:" (NULL: none). */
static const struct {
    const char *patterns;
    size_t warnings;
    const char *first;
} shape_cases[] = {
    /* An alternation of a concept's words: at its '(' (column 10 + offset). */
    {P("(mentor|mentors|mentoring)"), 1,
     "5:10: warning: an alternation in a pattern of entry 'mentorship.x' repeats a concept "
     "(3 of its 3 alternatives are words of ~mentor): use ~mentor"},
    {P("\\bfind (a )?(mentor|coach)\\b"), 1, "5:22: warning: an alternation"},
    {P("(?:mentor|coach|find)"), 1, "5:10: warning: an alternation in a pattern of entry "
                                    "'mentorship.x' repeats a concept (2 of its 3"},
    {P("(mentors?|coach)"), 1, "5:10: warning: an alternation in a pattern of entry "
                               "'mentorship.x' repeats a concept (2 of its 2"},
    {P("mentor|coach"), 1, "5:10: warning: an alternation"}, /* the whole pattern */
    {P("x((mentor|coach) (mentor|coach))"), 2, "5:12: warning: an alternation"},
    /* A tie goes to the concept with fewer words. */
    {P("(mentor|mentors)"), 1, "5:10: warning: an alternation in a pattern of entry "
                               "'mentorship.x' repeats a concept (2 of its 2 alternatives "
                               "are words of ~mentor)"},
    /* More of guide's words than mentor's. */
    {P("(guide|adviser|coach)"), 1, "5:10: warning: an alternation in a pattern of entry "
                                    "'mentorship.x' repeats a concept (3 of its 3 "
                                    "alternatives are words of ~guide): use ~guide"},
    /* Not mostly, not plain words, not a group, or a scope list: no warning. */
    {P("(mentor|find|get|look)"), 0, NULL},
    {P("(mentor|coach|find|get)"), 0, NULL},
    {P("(mentor|find)"), 0, NULL},
    {P("(find|get) ~mentor"), 0, NULL},
    {P("(ment[oe]r|coach\\w*)"), 0, NULL},
    {P("\\(mentor\\)|\\(coach\\)"), 0, NULL},
    {P("[(mentor|coach)]"), 0, NULL},
    {P("(career|jobs?)"), 0, NULL},
    {P("(ml|ai|machine learning)"), 0, NULL},
    {P("(?"), 0, NULL},
    /* Length: 200 characters are fine, 201 are not; characters, not bytes. */
    {P("xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
       "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
       "xxxxxxxxxxxxxxxxxxxxxxxx"), 0, NULL},
    {P("xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
       "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
       "xxxxxxxxxxxxxxxxxxxxxxxxx"), 1,
     "5:10: warning: a pattern of entry 'mentorship.x' is 201 characters long (over 200)"},
    {P("\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"
       "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"
       "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
       "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
       "xxxx"), 0, NULL},
    /* Ten patterns are fine, eleven are not (at the entry). */
    {P("a") P("b") P("c") P("d") P("e") P("f") P("g") P("h") P("i") P("j"), 0, NULL},
    {P("a") P("b") P("c") P("d") P("e") P("f") P("g") P("h") P("i") P("j") P("k"), 1,
     "3:5: warning: entry 'mentorship.x' has 11 patterns (over 10)"},
    /* Every problem is reported: a long pattern that also repeats a concept. */
    {P("(mentor|coach)xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
       "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
       "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"), 2, "5:10: warning: a pattern of entry"},
};

static void test_shape(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof shape_cases / sizeof *shape_cases; i++) {
        struct diag d = {0};
        size_t n = shape_of(shape_cases[i].patterns, 0, &d);

        if (n != shape_cases[i].warnings)
            print_message("case %zu: %zu warnings, wanted %zu\n", i, n,
                          shape_cases[i].warnings);
        assert_int_equal(n, shape_cases[i].warnings);
        assert_int_equal(d.n, n);
        if (shape_cases[i].first) {
            const char *want = shape_cases[i].first, *got = d.msgs[0];

            assert_memory_equal(got, "k/mentorship.yml:", 17);
            if (strncmp(got + 17, want, strlen(want)) != 0)
                fail_msg("case %zu: got \"%s\"\nwant \"k/mentorship.yml:%s...\"", i, got, want);
        }
        diag_free(&d);
    }
}

/* Declines are checked too. */
static void test_shape_declines(void **state)
{
    struct diag d = {0};

    (void)state;
    assert_int_equal(shape_of(P("a") P("b") P("c") P("d") P("e") P("f") P("g") P("h") P("i")
                              P("j") P("(mentor|coach)"), 1, &d), 2);
    assert_string_equal(d.msgs[0], "k/out-of-scope.yml:2:5: warning: entry 'out-of-scope.x' "
                                   "has 11 patterns (over 10): merge them with concepts and "
                                   "let its examples find the rest");
    assert_memory_equal(d.msgs[1], "k/out-of-scope.yml:14:10: warning: an alternation", 49);
    diag_free(&d);
}

/* The fixture knowledge is clean: check's summary and its CLI tests rely
 * on it. */
static void test_shape_fixture_clean(void **state)
{
    struct diag d = {0};
    struct kb *kb = load_fixture();

    (void)state;
    assert_non_null(kb);
    assert_int_equal(lint_shape(kb, &d) + lint_patterns(kb, &d), 0);
    report(NULL, &d);
    kb_free(kb);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cases),
        cmocka_unit_test(test_position),
        cmocka_unit_test(test_builtin_clean),
        cmocka_unit_test(test_shape),
        cmocka_unit_test(test_shape_declines),
        cmocka_unit_test(test_shape_fixture_clean),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
