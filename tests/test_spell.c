/* test_spell.c -- the deletion dictionary: edit distance, corrections,
 * preferences, and the words that are never touched. */
#include "helpers.h"

#include <stdlib.h>

#include "spell.h"

static unsigned dist(const char *a, const char *b, unsigned max)
{
    return spell_distance(a, strlen(a), b, strlen(b), max);
}

static void test_distance(void **state)
{
    (void)state;
    assert_int_equal(dist("mentor", "mentor", 2), 0);
    assert_int_equal(dist("mentr", "mentor", 2), 1);      /* deletion */
    assert_int_equal(dist("mentoor", "mentor", 2), 1);    /* insertion */
    assert_int_equal(dist("mentar", "mentor", 2), 1);     /* substitution */
    assert_int_equal(dist("mnetor", "mentor", 2), 1);     /* transposition */
    assert_int_equal(dist("mnetr", "mentor", 2), 2);
    assert_int_equal(dist("abc", "xyz", 1), 2);           /* over max: max + 1 */
    assert_int_equal(dist("a", "abcdef", 2), 3);
}

/* A dictionary of made-up words (never in the English word lists). */
static struct spell *made_up(void)
{
    struct spell *s = spell_new();
    static const char *const words[] = {"zorvat", "zorvax", "zorvax", "quillenbor", "mlx"};

    for (size_t i = 0; i < sizeof words / sizeof *words; i++)
        spell_add(s, words[i], strlen(words[i]));
    return s;
}

static const char *fix(struct spell *s, const char *w, unsigned *d)
{
    return spell_correct(s, w, strlen(w), d);
}

static void test_corrections(void **state)
{
    struct spell *s = made_up();
    unsigned d = 9;

    (void)state;
    assert_string_equal(fix(s, "zorvaz", &d), "zorvax"); /* both 1 away: more frequent */
    assert_int_equal(d, 1);
    assert_string_equal(fix(s, "zrovat", &d), "zorvat"); /* transposed */
    assert_string_equal(fix(s, "zorvt", &d), "zorvat");
    /* Long words may be two edits away, shorter ones only one. */
    assert_string_equal(fix(s, "qulenbor", &d), "quillenbor");
    assert_int_equal(d, 2);
    assert_null(fix(s, "zrvt", &d));
    spell_free(s);
}

static void test_never_touched(void **state)
{
    struct spell *s = made_up();
    unsigned d;

    (void)state;
    assert_null(fix(s, "zorvat", &d));  /* in the vocabulary */
    assert_true(spell_known(s, "zorvat", 6));
    assert_null(fix(s, "mlz", &d));     /* shorter than SPELL_MIN */
    assert_null(fix(s, "zorv4t", &d));  /* not all letters */
    /* A real English word one edit from a vocabulary word stays itself. */
    spell_add(s, "stays", 5);
    assert_true(spell_english("stats", 5));
    assert_null(fix(s, "stats", &d));
    assert_false(spell_english("zorvat", 6));
    spell_free(s);
}

static void test_deterministic(void **state)
{
    struct spell *s = spell_new();
    unsigned d;

    (void)state;
    /* Same distance, same frequency: the alphabetically first. */
    spell_add(s, "qazb", 4);
    spell_add(s, "qazc", 4);
    assert_string_equal(fix(s, "qaza", &d), "qazb");
    spell_free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_distance),
        cmocka_unit_test(test_corrections),
        cmocka_unit_test(test_never_touched),
        cmocka_unit_test(test_deterministic),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
