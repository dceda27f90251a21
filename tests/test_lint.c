/* test_lint.c -- warnings about patterns that backtrack catastrophically. */
#include "helpers.h"

#include <stdio.h>
#include <stdlib.h>

#include "lint.h"

/* A topic file with one entry whose only pattern is pat (as a single-quoted
 * YAML scalar: a ' in pat must be written ''). */
static size_t lint_one(const char *pat, struct diag *d)
{
    struct sbuf topic = {0};
    struct diag load = {0};
    struct kb *kb;
    size_t n;

    sbuf_printf(&topic, "topic: mentorship\nentries:\n  - id: mentorship.x\n"
                        "    patterns:\n      - '%s'\n    answer: A.\n"
                        "    sources: [doc#one]\n", pat);
    kb = report(load_topic("k/mentorship.yml", topic.s, &load), &load);
    assert_non_null(kb);
    n = lint_patterns(kb, d);
    kb_free(kb);
    sbuf_free(&topic);
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

/* The shipped knowledge has nothing to warn about. */
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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cases),
        cmocka_unit_test(test_position),
        cmocka_unit_test(test_builtin_clean),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
