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

/* spell_near(): a word too far to correct yet within two edits of a
 * vocabulary word, and never a word spell_correct() leaves alone. */
static void test_near(void **state)
{
    struct spell *s = made_up();
    unsigned d;

    (void)state;
    assert_null(fix(s, "zrvta", &d));           /* two edits from "zorvat": too far */
    assert_true(spell_near(s, "zrvta", 5));
    assert_true(spell_near(s, "qulenbor", 8));  /* correctable words are near too */
    assert_false(spell_near(s, "zrvtk", 5));    /* three edits */
    assert_false(spell_near(s, "pqwxyz", 6));   /* nothing like it */
    assert_false(spell_near(s, "zorvat", 6));   /* known */
    assert_false(spell_near(s, "stats", 5));    /* English */
    assert_false(spell_near(s, "zrv", 3));      /* shorter than SPELL_MIN */
    assert_true(spell_correctable(s, "zrvta", 5));
    assert_false(spell_correctable(s, "zorvat", 6));
    assert_false(spell_correctable(s, "stats", 5));
    assert_false(spell_correctable(s, "zr4vt", 5));
    spell_free(s);
}

/* spell_suggest(): every word at the nearest distance, best first, and
 * nothing where spell_correct() gives nothing; word pairs as recorded. */
static void test_suggest_and_pairs(void **state)
{
    struct spell *s = made_up();
    const char *out[SPELL_SUGGEST];
    unsigned d = 9;

    (void)state;
    assert_int_equal(spell_suggest(s, "zorvaz", 6, out, &d), 2);
    assert_string_equal(out[0], "zorvax"); /* the more frequent first */
    assert_string_equal(out[1], "zorvat");
    assert_int_equal(d, 1);
    assert_int_equal(spell_suggest(s, "zorvat", 6, out, &d), 0); /* known */
    assert_int_equal(spell_suggest(s, "zrvt", 4, out, &d), 0);   /* too far */
    spell_add_pair(s, "final", 5, "say", 3);
    assert_true(spell_pair(s, "final", 5, "say", 3));
    assert_false(spell_pair(s, "say", 3, "final", 5)); /* in that order only */
    assert_false(spell_pair(s, "final", 5, "sa", 2));
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
        cmocka_unit_test(test_near),
        cmocka_unit_test(test_suggest_and_pairs),
        cmocka_unit_test(test_deterministic),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
