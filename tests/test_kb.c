/* test_kb.c -- the knowledge loader: every error with its FILE:LINE:COL,
 * and the indexes over a good knowledge base. */
#include "helpers.h"

#include <stdlib.h>

#include "match.h"
#include "spell.h"
#include "../src/kb_internal.h"

/* One entry as YAML, with fields replaceable by the test. */
#define GOOD_ENTRY                                                                         \
    "  - id: mentorship.find\n"                                                            \
    "    patterns:\n"                                                                      \
    "      - '\\bmentor\\b'\n"                                                             \
    "    answer: Go to meetups.\n"                                                         \
    "    sources: [doc#one]\n"

static void expect_error(const char *file, const char *text, const char *want)
{
    struct diag d = {0};
    struct kb *kb = load_topic(file, text, &d);

    assert_null(kb);
    assert_one_diag(&d, want);
    diag_free(&d);
}

static void test_good_entry_loads(void **state)
{
    struct diag d = {0};
    struct kb *kb = load_topic("k/mentorship.yml", ENTRY_HEAD GOOD_ENTRY, &d);

    (void)state;
    assert_non_null(kb);
    assert_int_equal(d.n, 0);
    assert_int_equal(kb->nentries, 1);
    assert_string_equal(kb->entry_list[0]->title, "mentorship.find");
    kb_free(kb);
}

static void test_yaml_syntax_error(void **state)
{
    (void)state;
    expect_error("k/mentorship.yml", ENTRY_HEAD "  - id: [unclosed\n",
                 "k/mentorship.yml:4:1: YAML syntax error: did not find expected ',' or ']'");
}

static void test_unknown_key(void **state)
{
    (void)state;
    expect_error("k/mentorship.yml", ENTRY_HEAD GOOD_ENTRY "    colour: red\n",
                 "k/mentorship.yml:8:5: unknown key 'colour' in an entry");
}

static void test_missing_fields(void **state)
{
    static const struct {
        const char *text, *want;
    } cases[] = {
        {"  - patterns: ['x']\n    answer: a\n    sources: [doc#one]\n",
         "k/mentorship.yml:3:5: entry is missing required field 'id'"},
        {"  - id: m.a\n    answer: a\n    sources: [doc#one]\n",
         "k/mentorship.yml:3:5: entry 'm.a' is missing required field 'patterns'"},
        {"  - id: m.a\n    patterns: ['x']\n    sources: [doc#one]\n",
         "k/mentorship.yml:3:5: entry 'm.a' is missing required field 'answer' (or 'answers')"},
        {"  - id: m.a\n    patterns: ['x']\n    answer: a\n",
         "k/mentorship.yml:3:5: entry 'm.a' is missing required field 'sources'"},
    };
    struct sbuf text = {0};

    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        sbuf_reset(&text);
        sbuf_printf(&text, ENTRY_HEAD "%s", cases[i].text);
        expect_error("k/mentorship.yml", text.s, cases[i].want);
    }
    sbuf_free(&text);
}

static void test_answers_variants_suffice(void **state)
{
    struct diag d = {0};
    struct kb *kb = load_topic("k/mentorship.yml",
                               ENTRY_HEAD "  - id: m.a\n    patterns: ['x']\n"
                                          "    answers:\n      junior: J\n      senior: S\n"
                                          "    sources: [doc#one]\n", &d);

    (void)state;
    assert_non_null(kb);
    assert_string_equal(kb_entry_answer(kb->entry_list[0], KB_LEVEL_SENIOR), "S");
    assert_string_equal(kb_entry_answer(kb->entry_list[0], KB_LEVEL_JUNIOR), "J");
    /* No general answer: level any falls back to a variant, never NULL. */
    assert_string_equal(kb_entry_answer(kb->entry_list[0], KB_LEVEL_ANY), "J");
    kb_free(kb);
}

static void test_duplicate_id(void **state)
{
    (void)state;
    expect_error("k/mentorship.yml", ENTRY_HEAD GOOD_ENTRY GOOD_ENTRY,
                 "k/mentorship.yml:8:5: duplicate id 'mentorship.find' (first defined at "
                 "k/mentorship.yml:3:5)");
}

static void test_unknown_topic_file(void **state)
{
    (void)state;
    expect_error("k/cooking.yml", "topic: cooking\nentries: []\n",
                 "k/cooking.yml:1:1: unknown topic file");
}

static void test_topic_name_mismatch(void **state)
{
    (void)state;
    expect_error("k/learning.yml", "topic: mentorship\nentries: []\n",
                 "k/learning.yml:1:8: topic 'mentorship' does not match the file name");
}

static void test_unknown_source_document(void **state)
{
    (void)state;
    expect_error("k/mentorship.yml",
                 ENTRY_HEAD "  - id: m.a\n    patterns: ['x']\n    answer: a\n"
                            "    sources: [book#one]\n",
                 "k/mentorship.yml:6:15: unknown source document 'book'");
}

static void test_unknown_section(void **state)
{
    (void)state;
    expect_error("k/mentorship.yml",
                 ENTRY_HEAD "  - id: m.a\n    patterns: ['x']\n    answer: a\n"
                            "    sources: [doc#three]\n",
                 "k/mentorship.yml:6:15: unknown section 'three' of document 'doc'");
}

static void test_unknown_related(void **state)
{
    (void)state;
    expect_error("k/mentorship.yml", ENTRY_HEAD GOOD_ENTRY "    related: [mentorship.nope]\n",
                 "k/mentorship.yml:8:15: unknown related id 'mentorship.nope'");
}

static void test_unknown_level(void **state)
{
    (void)state;
    expect_error("k/mentorship.yml", ENTRY_HEAD GOOD_ENTRY "    level: expert\n",
                 "k/mentorship.yml:8:12: unknown level 'expert'");
}

static void test_missing_sources_file(void **state)
{
    struct kb_file f = {"k/mentorship.yml", ENTRY_HEAD, sizeof ENTRY_HEAD - 1};
    struct diag d = {0};

    (void)state;
    assert_null(kb_load_files(&f, 1, &d));
    assert_one_diag(&d, "sources.yml: missing");
    diag_free(&d);
}

static void test_regex_error_has_caret(void **state)
{
    struct diag d = {0};
    struct kb *kb = load_topic("k/mentorship.yml",
                               ENTRY_HEAD "  - id: m.a\n    patterns:\n"
                                          "      - '\\b(find|get\\b'\n"
                                          "    answer: a\n    sources: [doc#one]\n", &d);

    (void)state;
    assert_non_null(kb); /* the YAML is fine; compiling the pattern is not */
    assert_null(match_new(kb, 1, &d));
    /* The quote is at column 9, the regex starts at 10 and is 13 bytes long:
     * PCRE2 reports the missing ')' at the end, column 23. */
    assert_one_diag(&d, "k/mentorship.yml:5:23: regex error in entry 'm.a': missing closing "
                        "parenthesis\n    \\b(find|get\\b\n                 ^");
    diag_free(&d);
    kb_free(kb);
}

/* ---- Declines (out-of-scope.yml) ---- */

#define DECLINE_HEAD "declines:\n"
#define GOOD_DECLINE                                                                       \
    "  - id: out-of-scope.pay\n"                                                           \
    "    patterns: ['\\bsalary\\b']\n"                                                    \
    "    examples: [what salary should I ask]\n"                                          \
    "    answer: Pay is not covered.\n"

static void expect_decline_error(const char *declines, const char *want)
{
    struct diag d = {0};

    assert_null(load_two("k/out-of-scope.yml", declines, "k/mentorship.yml",
                         ENTRY_HEAD GOOD_ENTRY, &d));
    assert_one_diag(&d, want);
    diag_free(&d);
}

static void test_decline_loads_apart_from_entries(void **state)
{
    struct diag d = {0};
    /* Declines come first here: they are still numbered after the entries. */
    struct kb *kb = report(load_two("k/out-of-scope.yml", DECLINE_HEAD GOOD_DECLINE,
                                    "k/mentorship.yml", ENTRY_HEAD GOOD_ENTRY, &d), &d);
    const struct kb_entry *e;

    (void)state;
    assert_non_null(kb);
    assert_int_equal(kb->nentries, 1);
    assert_int_equal(kb->ndeclines, 1);
    e = kb->declines[0];
    assert_string_equal(e->id, "out-of-scope.pay");
    assert_null(e->topic);
    assert_int_equal(e->order, 1);
    assert_ptr_equal(kb_entry_at(kb, 0), kb->entry_list[0]);
    assert_ptr_equal(kb_entry_at(kb, 1), e);
    /* Not an entry: no lookup, no topic, no word index finds it. */
    assert_null(kb_entry_find(kb, "out-of-scope.pay"));
    assert_null(kb_word_find(kb, "salari", 6));
    kb_free(kb);
}

static void test_decline_refuses_entry_fields(void **state)
{
    (void)state;
    expect_decline_error(DECLINE_HEAD GOOD_DECLINE "    sources: [doc#one]\n",
                         "k/out-of-scope.yml:2:5: decline 'out-of-scope.pay' may not have "
                         "'sources'");
    expect_decline_error(DECLINE_HEAD GOOD_DECLINE "    related: [mentorship.find]\n",
                         "k/out-of-scope.yml:2:5: decline 'out-of-scope.pay' may not have "
                         "'related'");
    expect_decline_error(DECLINE_HEAD "  - id: out-of-scope.x\n    answer: a\n",
                         "k/out-of-scope.yml:2:5: entry 'out-of-scope.x' is missing required "
                         "field 'patterns'");
    expect_decline_error("declines: {a: 1}\n",
                         "k/out-of-scope.yml:1:11: declines must be a list, not a mapping");
    expect_decline_error("refusals: []\n",
                         "k/out-of-scope.yml:1:1: unknown key 'refusals' in out-of-scope.yml "
                         "(declines)");
}

static void test_decline_id_unique(void **state)
{
    (void)state;
    /* An entry's id ... */
    expect_decline_error(DECLINE_HEAD "  - id: mentorship.find\n    patterns: [x]\n"
                                      "    answer: a\n",
                         "k/out-of-scope.yml:2:5: duplicate id 'mentorship.find' (first defined "
                         "at k/mentorship.yml:3:5)");
    /* ... or another decline's. */
    expect_decline_error(DECLINE_HEAD GOOD_DECLINE GOOD_DECLINE,
                         "k/out-of-scope.yml:6:5: duplicate id 'out-of-scope.pay' (first defined "
                         "at k/out-of-scope.yml:2:5)");
}

/* Load TEST_SOURCES, a concepts.yml and one mentorship.yml. */
static struct kb *load_with_concepts(const char *concepts, const char *topic, struct diag *d)
{
    return load_two("k/concepts.yml", concepts, "k/mentorship.yml", topic, d);
}

#define BOSS_CONCEPT "concepts:\n  boss: [manager, team lead]\n"

static void test_concept_expanded(void **state)
{
    struct diag d = {0};
    struct kb *kb = load_with_concepts(BOSS_CONCEPT,
                                       ENTRY_HEAD "  - id: m.a\n    patterns: ['my ~boss\\b']\n"
                                                  "    answer: a\n    sources: [doc#one]\n", &d);
    const struct kb_entry *e;

    (void)state;
    report(kb, &d);
    assert_non_null(kb);
    e = kb_entry_find(kb, "m.a");
    assert_string_equal(e->patterns[0].src, "my ~boss\\b");
    assert_string_equal(e->patterns[0].regex, "my (?:manager|team lead)\\b");
    assert_int_equal(e->nconcepts, 1);
    /* The index gives the entry the concept's words. */
    assert_non_null(kb_word_find(kb, "lead", 4));
    kb_free(kb);
}

static void test_unknown_concept(void **state)
{
    struct diag d = {0};
    struct kb *kb = load_with_concepts(BOSS_CONCEPT,
                                       ENTRY_HEAD "  - id: m.a\n    patterns: ['my ~bos\\b']\n"
                                                  "    answer: a\n    sources: [doc#one]\n", &d);

    (void)state;
    assert_null(kb);
    /* The pattern's quote is at column 16: "~bos" starts at column 20. */
    assert_one_diag(&d, "k/mentorship.yml:4:20: unknown concept '~bos'");
    diag_free(&d);
}

static void test_bad_concepts(void **state)
{
    struct diag d = {0};
    struct kb *kb = load_with_concepts("concepts:\n  Boss: [x]\n  lead: [Team Lead]\n"
                                       "  none: []\n",
                                       ENTRY_HEAD "  - id: m.a\n    patterns: [x]\n"
                                                  "    answer: a\n    sources: [doc#one]\n", &d);

    (void)state;
    assert_null(kb);
    assert_int_equal(d.n, 3);
    assert_string_equal(d.msgs[0], "k/concepts.yml:2:3: concept name 'Boss' must start with "
                                   "a-z and hold only a-z, 0-9 and '_'");
    assert_string_equal(d.msgs[1], "k/concepts.yml:3:10: concept word 'Team Lead' must be "
                                   "lower-case letters and digits, words separated by single "
                                   "spaces");
    assert_string_equal(d.msgs[2], "k/concepts.yml:4:9: concept 'none' has no words");
    diag_free(&d);
}

static void test_regex_error_after_concept(void **state)
{
    struct diag d = {0};
    struct kb *kb = load_with_concepts(BOSS_CONCEPT,
                                       ENTRY_HEAD "  - id: m.a\n    patterns: ['~boss (x']\n"
                                                  "    answer: a\n    sources: [doc#one]\n", &d);

    (void)state;
    assert_non_null(kb);
    assert_null(match_new(kb, 1, &d));
    /* The regex starts at column 17; "(x" is unclosed at its end, offset 8
     * of what was written even though the compiled text is longer. */
    assert_one_diag(&d, "k/mentorship.yml:4:25: regex error in entry 'm.a': missing closing "
                        "parenthesis\n    ~boss (x\n            ^");
    diag_free(&d);
    kb_free(kb);
}

static void test_every_error_reported_at_once(void **state)
{
    struct diag d = {0};
    struct kb *kb = load_topic("k/mentorship.yml",
                               ENTRY_HEAD GOOD_ENTRY "    colour: red\n"
                                          "  - id: m.b\n    patterns: ['x']\n    answer: a\n"
                                          "    sources: [doc#nine]\n", &d);

    (void)state;
    assert_null(kb);
    assert_int_equal(d.n, 2);
    diag_free(&d);
}

/* The fixture knowledge base on disk, with its indexes. */
static void test_load_dir_and_indexes(void **state)
{
    struct diag d = {0};
    int missing = -1;
    struct kb *kb = kb_load_dir(FIXTURE_KB, &d, &missing);
    const struct kb_topic *t;
    const struct kb_word *w;
    struct kb_entry *e;

    (void)state;
    assert_non_null(kb);
    assert_int_equal(missing, 0);
    /* Files load in name order: learning.yml before mentorship.yml. */
    assert_int_equal(kb->nentries, 3);
    assert_string_equal(kb->entry_list[0]->id, "learning.courses");
    e = kb_entry_find(kb, "mentorship.become");
    assert_non_null(e);
    assert_int_equal(e->level, KB_LEVEL_SENIOR);
    assert_int_equal(e->nsources, 2);
    assert_string_equal(e->sources[1]->title, "Section Two");
    assert_string_equal(e->sources[1]->doc->title, "A Test Document");
    assert_null(kb_entry_find(kb, "nope"));
    t = kb_topic_find(kb, "mentorship");
    assert_non_null(t);
    assert_int_equal(t->nentries, 2);
    assert_int_equal(kb_topic_find(kb, "roles")->nentries, 0);
    assert_null(kb_topic_find(kb, "cooking"));
    /* related resolves across files. */
    e = kb_entry_find(kb, "mentorship.find");
    assert_int_equal(e->nrelated, 1);
    assert_string_equal(e->related[0]->id, "learning.courses");
    /* The word index is stemmed: "meetups" in the answer is under "meetup",
     * and learning.courses has it too, from the concept its pattern uses;
     * "mentor" is in both mentorship entries, once each. */
    w = kb_word_find(kb, "meetup", 6);
    assert_non_null(w);
    assert_int_equal(w->nentries, 2);
    assert_string_equal(w->entries[0]->id, "learning.courses"); /* loaded first */
    w = kb_word_find(kb, "mentor", 6);
    assert_non_null(w);
    assert_int_equal(w->nentries, 2);
    assert_null(kb_word_find(kb, "the", 3)); /* stop words are not indexed */
    kb_free(kb);
}

static void test_load_dir_missing(void **state)
{
    struct diag d = {0};
    int missing = 0;

    (void)state;
    assert_null(kb_load_dir("/nonexistent/mlcoach", &d, &missing));
    assert_int_equal(missing, 1);
    assert_one_diag(&d, "/nonexistent/mlcoach: cannot open knowledge directory");
    diag_free(&d);
}

static void test_builtin_loads(void **state)
{
    struct diag d = {0};
    struct kb *kb = kb_load_builtin(&d);

    (void)state;
    for (size_t i = 0; i < d.n; i++)
        print_message("%s\n", d.msgs[i]);
    assert_non_null(kb);
    assert_true(kb->nentries > 0);
    kb_free(kb);
}

/* The built-in files' documents were read when mlcoach was built
 * (tools/yamldoc.c); they must be node for node what libyaml reads from
 * the same files now. A copy of a file's kb_file is not the built-in one,
 * so kb_yaml_load() parses it. */
extern const struct kb_file kb_builtin_files[];
extern const size_t kb_builtin_nfiles;

static void assert_same_mark(yaml_mark_t a, yaml_mark_t b)
{
    assert_int_equal(a.index, b.index);
    assert_int_equal(a.line, b.line);
    assert_int_equal(a.column, b.column);
}

static void assert_same_node(const yaml_node_t *a, const yaml_node_t *b)
{
    assert_int_equal(a->type, b->type);
    assert_string_equal((const char *)a->tag, (const char *)b->tag);
    assert_same_mark(a->start_mark, b->start_mark);
    assert_same_mark(a->end_mark, b->end_mark);
    if (a->type == YAML_SCALAR_NODE) {
        assert_int_equal(a->data.scalar.length, b->data.scalar.length);
        assert_memory_equal(a->data.scalar.value, b->data.scalar.value,
                            a->data.scalar.length + 1);
        assert_int_equal(a->data.scalar.style, b->data.scalar.style);
    } else if (a->type == YAML_SEQUENCE_NODE) {
        size_t n = (size_t)(a->data.sequence.items.top - a->data.sequence.items.start);

        assert_int_equal(n, b->data.sequence.items.top - b->data.sequence.items.start);
        assert_memory_equal(a->data.sequence.items.start, b->data.sequence.items.start,
                            n * sizeof *a->data.sequence.items.start);
        assert_int_equal(a->data.sequence.style, b->data.sequence.style);
    } else if (a->type == YAML_MAPPING_NODE) {
        size_t n = (size_t)(a->data.mapping.pairs.top - a->data.mapping.pairs.start);

        assert_int_equal(n, b->data.mapping.pairs.top - b->data.mapping.pairs.start);
        assert_memory_equal(a->data.mapping.pairs.start, b->data.mapping.pairs.start,
                            n * sizeof *a->data.mapping.pairs.start);
        assert_int_equal(a->data.mapping.style, b->data.mapping.style);
    }
}

static void test_builtin_documents_as_parsed(void **state)
{
    (void)state;
    assert_true(kb_builtin_nfiles > 0);
    for (size_t i = 0; i < kb_builtin_nfiles; i++) {
        struct kb_file copy = kb_builtin_files[i];
        yaml_document_t built, parsed;
        struct diag d = {0};
        size_t n;

        assert_int_equal(kb_yaml_load(&kb_builtin_files[i], copy.name, &d, &built), 0);
        assert_int_equal(kb_yaml_load(&copy, copy.name, &d, &parsed), 0);
        n = (size_t)(parsed.nodes.top - parsed.nodes.start);
        assert_int_equal(built.nodes.top - built.nodes.start, n);
        for (size_t k = 0; k < n; k++)
            assert_same_node(&built.nodes.start[k], &parsed.nodes.start[k]);
        assert_int_equal(built.start_implicit, parsed.start_implicit);
        assert_int_equal(built.end_implicit, parsed.end_implicit);
        assert_same_mark(built.start_mark, parsed.start_mark);
        assert_same_mark(built.end_mark, parsed.end_mark);
        kb_yaml_free(&kb_builtin_files[i], &built);
        kb_yaml_free(&copy, &parsed);
        diag_free(&d);
    }
}

/* The spelling dictionary holds the knowledge's words as given and the
 * English words of its examples, but not the examples' deliberate typos. */
static void test_spell_dictionary(void **state)
{
    struct diag d = {0};
    struct kb *kb = kb_load_builtin(&d);
    struct spell *s;
    unsigned dist;

    (void)state;
    assert_non_null(kb);
    s = kb_spell_new(kb);
    assert_true(spell_known(s, "mentorship", 10)); /* answers and keywords */
    assert_true(spell_known(s, "really", 6));      /* English, as examples write it */
    assert_false(spell_known(s, "mentr", 5));      /* an example's typo */
    assert_string_equal(spell_correct(s, "mentorshp", 9, &dist), "mentorship");
    spell_free(s);
    kb_free(kb);
}

/* A pattern's English words are words to correct into, even when no
 * answer uses them; its typos and its escapes (the "b" of \\b) are not. */
static void test_spell_pattern_words(void **state)
{
    struct diag d = {0};
    struct kb *kb = report(load_topic("k/mentorship.yml", ENTRY_HEAD
                                      "  - id: mentorship.find\n"
                                      "    patterns:\n"
                                      "      - '\\btroubleshooting\\b (leeding|\\bteamwork)'\n"
                                      "    answer: Go to meetups.\n"
                                      "    sources: [doc#one]\n",
                                      &d),
                           &d);
    struct spell *s;
    unsigned dist;

    (void)state;
    assert_non_null(kb);
    s = kb_spell_new(kb);
    assert_true(spell_known(s, "troubleshooting", 15));
    assert_true(spell_known(s, "teamwork", 8));      /* after a \\b */
    assert_false(spell_known(s, "leeding", 7));      /* a typo the pattern accepts */
    assert_false(spell_known(s, "bteamwork", 9));
    assert_string_equal(spell_correct(s, "truobleshooting", 15, &dist), "troubleshooting");
    assert_string_equal(spell_correct(s, "temawork", 8, &dist), "teamwork");
    assert_null(spell_correct(s, "leedingg", 8, &dist)); /* nothing to correct into */
    spell_free(s);
    kb_free(kb);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_good_entry_loads),
        cmocka_unit_test(test_yaml_syntax_error),
        cmocka_unit_test(test_unknown_key),
        cmocka_unit_test(test_missing_fields),
        cmocka_unit_test(test_answers_variants_suffice),
        cmocka_unit_test(test_duplicate_id),
        cmocka_unit_test(test_unknown_topic_file),
        cmocka_unit_test(test_topic_name_mismatch),
        cmocka_unit_test(test_unknown_source_document),
        cmocka_unit_test(test_unknown_section),
        cmocka_unit_test(test_unknown_related),
        cmocka_unit_test(test_unknown_level),
        cmocka_unit_test(test_missing_sources_file),
        cmocka_unit_test(test_regex_error_has_caret),
        cmocka_unit_test(test_decline_loads_apart_from_entries),
        cmocka_unit_test(test_decline_refuses_entry_fields),
        cmocka_unit_test(test_decline_id_unique),
        cmocka_unit_test(test_concept_expanded),
        cmocka_unit_test(test_unknown_concept),
        cmocka_unit_test(test_bad_concepts),
        cmocka_unit_test(test_regex_error_after_concept),
        cmocka_unit_test(test_every_error_reported_at_once),
        cmocka_unit_test(test_load_dir_and_indexes),
        cmocka_unit_test(test_load_dir_missing),
        cmocka_unit_test(test_builtin_loads),
        cmocka_unit_test(test_builtin_documents_as_parsed),
        cmocka_unit_test(test_spell_dictionary),
        cmocka_unit_test(test_spell_pattern_words),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
