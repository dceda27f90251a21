/* test_kbassess.c -- reading assessment.yml: a good file, and every error
 * with its FILE:LINE:COL. */
#include "helpers.h"

#define TOPIC_FILE                                                                         \
    "topic: mentorship\nentries:\n"                                                        \
    "  - id: mentorship.find\n"                                                            \
    "    patterns: ['\\bmentor\\b']\n"                                                      \
    "    answer: Go to meetups.\n"                                                         \
    "    sources: [doc#one]\n"

#define STATEMENT(extra)                                                                   \
    "statements:\n"                                                                        \
    "  - id: have-mentor\n"                                                                \
    "    topic: mentorship\n"                                                              \
    "    text: I have a mentor.\n"                                                         \
    "    step: Ask someone.\n"                                                             \
    "    entries: [mentorship.find]\n" extra

static struct kb *load(const char *assessment, struct diag *d)
{
    return load_two("k/assessment.yml", assessment, "k/mentorship.yml", TOPIC_FILE, d);
}

static void test_good_statement_loads(void **state)
{
    struct diag d = {0};
    struct kb *kb = report(load(STATEMENT(""), &d), &d);

    (void)state;
    assert_non_null(kb);
    assert_int_equal(kb->nstatements, 1);
    assert_string_equal(kb->statements[0].id, "have-mentor");
    assert_string_equal(kb->statements[0].topic->name, "mentorship");
    assert_string_equal(kb->statements[0].text, "I have a mentor.");
    assert_int_equal(kb->statements[0].nentries, 1);
    assert_string_equal(kb->statements[0].entries[0]->id, "mentorship.find");
    assert_int_equal(kb->statements[0].mark.line, 2);
    kb_free(kb);
}

static void expect_error(const char *text, const char *want)
{
    struct diag d = {0};
    struct kb *kb = load(text, &d);

    assert_null(kb);
    assert_one_diag(&d, want);
    diag_free(&d);
}

static void test_errors(void **state)
{
    static const struct {
        const char *text, *want;
    } cases[] = {
        {"statements:\n  - id: x\n    topic: cooking\n    text: t\n    step: s\n"
         "    entries: [mentorship.find]\n",
         "k/assessment.yml:3:12: unknown topic 'cooking'"},
        {"statements:\n  - id: x\n    topic: mentorship\n    text: t\n    step: s\n"
         "    entries: [mentorship.nope]\n",
         "k/assessment.yml:6:15: unknown entry id 'mentorship.nope'"},
        {"statements:\n  - id: x\n    topic: mentorship\n    step: s\n"
         "    entries: [mentorship.find]\n",
         "k/assessment.yml:2:5: statement 'x' is missing required field 'text'"},
        {"statements:\n  - id: x\n    topic: mentorship\n    text: ''\n    step: s\n"
         "    entries: [mentorship.find]\n",
         "k/assessment.yml:4:11: text must be non-empty text"},
        {"statements:\n  - id: x\n    topic: mentorship\n    text: t\n    step: s\n"
         "    entries: []\n",
         "k/assessment.yml:2:5: statement 'x' has no entries"},
        {STATEMENT("    colour: red\n"),
         "k/assessment.yml:7:5: unknown key 'colour' in a statement"},
        {STATEMENT("    text: again\n"), "k/assessment.yml:7:5: duplicate key 'text'"},
        {STATEMENT("  - id: have-mentor\n    topic: mentorship\n    text: t\n    step: s\n"
                   "    entries: [mentorship.find]\n"),
         "k/assessment.yml:7:5: duplicate statement id 'have-mentor' (first defined at "
         "k/assessment.yml:2:5)"},
        {"questions: []\nstatements: []\n", "k/assessment.yml:1:1: unknown key 'questions'"},
        {"statements: 3\n", "k/assessment.yml:1:13: statements must be a list"},
        {"statements: [\n", "k/assessment.yml:2:1: YAML syntax error"},
    };

    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++)
        expect_error(cases[i].text, cases[i].want);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_good_statement_loads),
        cmocka_unit_test(test_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
