/* test_coach.c -- the coaching logic over the built-in knowledge: the
 * statements, profile keys, scoring, strengths and gaps, plan building and
 * done marks that survive a rebuild, and the checks of stored shapes. */
#include "helpers.h"

#include <stdlib.h>

#include "coach.h"

static struct kb *kb;

static int setup(void **state)
{
    (void)state;
    kb = load_builtin();
    return kb ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    kb_free(kb);
    return 0;
}

/* A record where every statement of topic gets rating, the others other. */
static json_t *record_with(const char *topic, int rating, int other)
{
    int *r = xcalloc(kb->nstatements, sizeof *r);
    json_t *rec;

    for (size_t i = 0; i < kb->nstatements; i++)
        r[i] = topic && strcmp(kb->statements[i].topic->name, topic) == 0 ? rating : other;
    rec = coach_assessment_new(kb, r, "2026-01-02");
    free(r);
    return rec;
}

static json_t *profile_of(const char *arg1, const char *arg2)
{
    json_t *p = coach_profile_new();
    char *args[2] = {(char *)arg1, (char *)arg2};
    struct sbuf why = {0};

    assert_int_equal(coach_profile_set(p, kb, args, arg2 ? 2 : 1, &why), 0);
    sbuf_free(&why);
    return p;
}

static void test_statements_cover_the_topics(void **state)
{
    int covered[KB_NTOPICS] = {0}, ncovered = 0;

    (void)state;
    assert_in_range(kb->nstatements, 15, 25);
    for (size_t i = 0; i < kb->nstatements; i++) {
        const struct kb_statement *s = &kb->statements[i];

        covered[coach_topic_index(kb, s->topic)] = 1;
        assert_true(strlen(s->text) > 20 && strlen(s->step) > 20);
        assert_non_null(strstr(s->text, "I ")); /* a statement about the reader */
    }
    for (size_t t = 0; t < KB_NTOPICS; t++)
        ncovered += covered[t];
    assert_true(ncovered >= 10);
}

static void test_profile_set(void **state)
{
    json_t *p = coach_profile_new();
    char *good[] = {"level=junior", "years=1", "focus=mentorship,communication,mentorship",
                    "goals=Lead a project"};
    struct sbuf why = {0};

    (void)state;
    assert_int_equal(coach_profile_set(p, kb, good, 4, &why), 0);
    assert_string_equal(json_string_value(json_object_get(p, "level")), "junior");
    assert_int_equal(json_integer_value(json_object_get(p, "years")), 1);
    assert_int_equal(json_array_size(json_object_get(p, "focus")), 2); /* once each */
    assert_true(coach_profile_focuses(p, "communication"));
    assert_false(coach_profile_focuses(p, "leadership"));
    assert_int_equal(coach_profile_level(p), KB_LEVEL_JUNIOR);
    assert_int_equal(coach_profile_check(p, kb, &why), 0);
    json_decref(p);
    sbuf_free(&why);
}

static void test_profile_set_rejects(void **state)
{
    static const struct {
        const char *arg, *want;
    } cases[] = {
        {"focus=mentorship,cooking", "unknown topic 'cooking' in focus (topics: roles,"},
        {"level=expert", "level must be junior or senior, not 'expert'"},
        {"years=61", "years must be a whole number from 0 to 60"},
        {"years=-1", "years must be a whole number"},
        {"years=2x", "years must be a whole number"},
        {"colour=red", "unknown profile key 'colour'"},
        {"junior", "'junior' is not KEY=VALUE"},
        {"goals=\xff\xfe", "goals must be UTF-8 text"},
    };
    json_t *p = profile_of("level=senior", "years=9");

    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char *args[2] = {"years=3", (char *)cases[i].arg};
        struct sbuf why = {0};

        assert_int_equal(coach_profile_set(p, kb, args, 2, &why), -1);
        if (strncmp(why.s, cases[i].want, strlen(cases[i].want)) != 0)
            fail_msg("got \"%s\", want \"%s...\"", why.s, cases[i].want);
        /* All or nothing: the good years=3 before it was not applied. */
        assert_int_equal(json_integer_value(json_object_get(p, "years")), 9);
        sbuf_free(&why);
    }
    json_decref(p);
}

static void test_profile_clear_and_check(void **state)
{
    json_t *p = profile_of("level=senior", "focus=learning");
    json_t *bad = json_pack("{s:s}", "level", "wizard");
    json_t *bad_focus = json_pack("{s:[s]}", "focus", "cooking");
    struct sbuf why = {0};
    char *clear[] = {"level=", "focus="};

    (void)state;
    assert_int_equal(coach_profile_set(p, kb, clear, 2, &why), 0);
    assert_true(json_is_null(json_object_get(p, "level")));
    assert_int_equal(json_array_size(json_object_get(p, "focus")), 0);
    assert_int_equal(coach_profile_level(p), KB_LEVEL_ANY);
    assert_int_equal(coach_profile_check(bad, kb, &why), -1);
    sbuf_reset(&why);
    assert_int_equal(coach_profile_check(bad_focus, kb, &why), -1);
    json_decref(p);
    json_decref(bad);
    json_decref(bad_focus);
    sbuf_free(&why);
}

static void test_score_strengths_and_gaps(void **state)
{
    json_t *rec = record_with("communication", 1, 3), *focus = profile_of("focus=mentorship",
                                                                          NULL);
    struct coach_result r;
    size_t comm = coach_topic_index(kb, kb_topic_find(kb, "communication"));
    size_t mentor = coach_topic_index(kb, kb_topic_find(kb, "mentorship"));

    (void)state;
    coach_score(kb, rec, NULL, &r);
    assert_int_equal(r.answered, kb->nstatements);
    assert_int_equal(r.score[comm], 0);
    assert_int_equal(r.score[mentor], 50);
    assert_int_equal(r.nstrengths, 0);
    assert_int_equal(r.ngaps, 3);
    assert_int_equal(r.gaps[0], comm);      /* the largest gap first */
    assert_int_equal(r.gaps[1], 0);         /* then ties in topic order: roles */
    assert_string_equal(r.lowest[comm]->topic->name, "communication");
    coach_score(kb, rec, focus, &r);
    assert_int_equal(r.gaps[1], mentor);    /* a tie goes to a focus topic */
    json_decref(rec);
    rec = record_with("leadership", 5, 4);
    coach_score(kb, rec, NULL, &r);
    assert_int_equal(r.ngaps, 0);           /* 4 of 5 is 75: a strength, not a gap */
    assert_int_equal(r.nstrengths, KB_NTOPICS);
    json_decref(rec);
    json_decref(focus);
}

static void test_assessment_record(void **state)
{
    int *ratings = xcalloc(kb->nstatements, sizeof *ratings);
    json_t *rec, *scores;

    (void)state;
    ratings[0] = 4; /* only the first statement rated */
    rec = coach_assessment_new(kb, ratings, "2026-03-04");
    assert_string_equal(json_string_value(json_object_get(rec, "date")), "2026-03-04");
    assert_int_equal(json_object_size(json_object_get(rec, "answers")), 1);
    assert_int_equal(coach_rating(rec, &kb->statements[0]), 4);
    assert_int_equal(coach_rating(rec, &kb->statements[1]), 0);
    scores = json_object_get(rec, "scores");
    assert_int_equal(json_object_size(scores), 1);
    assert_int_equal(json_integer_value(json_object_get(scores, kb->statements[0].topic->name)),
                     75);
    json_decref(rec);
    free(ratings);
}

static size_t nsteps(const json_t *plan)
{
    return json_array_size(json_object_get(plan, "steps"));
}

static const char *step_field(const json_t *plan, size_t i, const char *key)
{
    return json_string_value(json_object_get(json_array_get(json_object_get(plan, "steps"), i),
                                             key));
}

static void test_plan_from_gaps_and_focus(void **state)
{
    json_t *rec = record_with("communication", 1, 5), *plan;
    json_t *focus = profile_of("focus=mentorship", NULL), *rec2;
    size_t ncomm = 0;

    (void)state;
    for (size_t i = 0; i < kb->nstatements; i++)
        ncomm += strcmp(kb->statements[i].topic->name, "communication") == 0;
    plan = coach_plan_build(kb, NULL, rec, NULL, "2026-01-03");
    assert_int_equal(nsteps(plan), ncomm); /* only what was rated low */
    for (size_t i = 0; i < nsteps(plan); i++) {
        const struct kb_statement *s = coach_statement(kb, step_field(plan, i, "statement"));

        assert_string_equal(step_field(plan, i, "topic"), "communication");
        assert_string_equal(step_field(plan, i, "title"), s->step);
        assert_string_equal(step_field(plan, i, "entry"), s->entries[0]->id);
    }
    assert_string_equal(json_string_value(json_object_get(plan, "from")), "2026-01-02");
    json_decref(plan);
    /* A focus topic rated 4 joins the plan, after the topic rated 1. */
    rec2 = record_with("communication", 1, 4);
    json_object_set_new(focus, "focus", json_pack("[s]", "mentorship"));
    plan = coach_plan_build(kb, focus, rec2, NULL, "2026-01-03");
    assert_true(nsteps(plan) > ncomm);
    assert_string_equal(step_field(plan, 0, "topic"), "communication");
    assert_string_equal(step_field(plan, ncomm, "topic"), "mentorship");
    json_decref(plan);
    json_decref(rec2);
    /* Everything rated 1: capped. */
    json_decref(rec);
    rec = record_with(NULL, 0, 1);
    plan = coach_plan_build(kb, NULL, rec, NULL, "2026-01-03");
    assert_int_equal(nsteps(plan), COACH_PLAN_MAX);
    json_decref(plan);
    json_decref(rec);
    json_decref(focus);
}

static void test_done_marks_survive_rebuild(void **state)
{
    json_t *low = record_with(NULL, 0, 1), *high = record_with(NULL, 0, 5), *plan, *again;
    size_t done, total;
    char *second;
    struct sbuf why = {0};

    (void)state;
    plan = coach_plan_build(kb, NULL, low, NULL, "2026-01-03");
    second = xstrdup(step_field(plan, 1, "statement"));
    assert_int_equal(coach_plan_done(plan, 2, "2026-01-05"), 0);
    assert_int_equal(coach_plan_done(plan, 2, "2026-01-06"), 1); /* already done */
    assert_int_equal(coach_plan_done(plan, 0, "2026-01-06"), -1);
    assert_int_equal(coach_plan_done(plan, COACH_PLAN_MAX + 1, "2026-01-06"), -1);
    coach_plan_counts(plan, &done, &total);
    assert_int_equal(done, 1);
    assert_int_equal(total, COACH_PLAN_MAX);
    assert_int_equal(coach_plan_check(plan, kb, &why), 0);
    /* Everything rated 5 now: only the done step remains, renumbered 1. */
    again = coach_plan_build(kb, NULL, high, plan, "2026-02-01");
    assert_int_equal(nsteps(again), 1);
    assert_string_equal(step_field(again, 0, "statement"), second);
    assert_string_equal(step_field(again, 0, "done_on"), "2026-01-05");
    assert_int_equal(json_integer_value(json_object_get(json_array_get(
                         json_object_get(again, "steps"), 0), "n")), 1);
    json_decref(plan);
    /* Low again: the done step first, and its statement not planned twice. */
    plan = coach_plan_build(kb, NULL, low, again, "2026-03-01");
    assert_int_equal(nsteps(plan), COACH_PLAN_MAX + 1);
    assert_string_equal(step_field(plan, 0, "statement"), second);
    for (size_t i = 1; i < nsteps(plan); i++)
        assert_string_not_equal(step_field(plan, i, "statement"), second);
    json_decref(plan);
    json_decref(again);
    json_decref(low);
    json_decref(high);
    free(second);
    sbuf_free(&why);
}

static void test_senior_plan_skips_junior_entries(void **state)
{
    json_t *low = record_with(NULL, 0, 1), *senior = profile_of("level=senior", NULL), *plan;

    (void)state;
    plan = coach_plan_build(kb, senior, low, NULL, "2026-01-03");
    assert_string_equal(json_string_value(json_object_get(plan, "level")), "senior");
    assert_true(nsteps(plan) > 0);
    for (size_t i = 0; i < nsteps(plan); i++) {
        const struct kb_entry *e = kb_entry_find(kb, step_field(plan, i, "entry"));

        assert_non_null(e);
        assert_int_not_equal(e->level, KB_LEVEL_JUNIOR);
    }
    json_decref(plan);
    json_decref(low);
    json_decref(senior);
}

static void test_stored_shapes_checked(void **state)
{
    static const char *const bad_assessments[] = {
        "{\"assessments\": 3}",
        "{\"assessments\": [{\"answers\": {}, \"scores\": {}}]}",
        "{\"assessments\": [{\"date\": \"d\", \"answers\": {\"x\": 6}, \"scores\": {}}]}",
        "{\"assessments\": [{\"date\": \"d\", \"answers\": {}, \"scores\": {\"x\": 101}}]}",
        /* progress shows dates as they are: only YYYY-MM-DD may reach it */
        "{\"assessments\": [{\"date\": \"\\u001b[2J\", \"answers\": {}, \"scores\": {}}]}",
        "{\"assessments\": [{\"date\": \"2026-1-02\", \"answers\": {}, \"scores\": {}}]}",
    };
    static const char *const bad_plans[] = {
        "{}",
        /* one string in two pieces: the parentheses say so to clang */
        ("{\"steps\": [{\"n\": 2, \"title\": \"t\", \"topic\": \"t\", \"entry\": \"e\", "
         "\"done\": false}]}"),
        "{\"steps\": [{\"n\": 1, \"title\": \"t\", \"topic\": \"t\", \"entry\": \"e\"}]}",
        ("{\"steps\": [{\"n\": 1, \"title\": \"t\", \"topic\": \"t\", \"entry\": \"e\", "
         "\"done\": true, \"done_on\": \"yesterday\"}]}"),
        "{\"created\": 5, \"steps\": []}",
        "{\"from\": \"2026-01-02x\", \"steps\": []}",
    };
    static const char *const good[] = {
        "{\"assessments\": [{\"date\": \"2026-01-02\", \"answers\": {}, \"scores\": {}}]}",
        ("{\"created\": \"2026-01-02\", \"from\": null, \"steps\": [{\"n\": 1, \"title\": "
         "\"t\", \"topic\": \"t\", \"entry\": \"e\", \"done\": true, \"done_on\": "
         "\"2026-01-03\"}]}"),
    };
    struct sbuf why = {0};

    (void)state;
    for (size_t i = 0; i < sizeof bad_assessments / sizeof *bad_assessments; i++) {
        json_t *doc = json_loads(bad_assessments[i], 0, NULL);

        assert_int_equal(coach_assessments_check(doc, kb, &why), -1);
        json_decref(doc);
    }
    for (size_t i = 0; i < sizeof bad_plans / sizeof *bad_plans; i++) {
        json_t *doc = json_loads(bad_plans[i], 0, NULL);

        assert_int_equal(coach_plan_check(doc, kb, &why), -1);
        json_decref(doc);
    }
    for (size_t i = 0; i < sizeof good / sizeof *good; i++) {
        json_t *doc = json_loads(good[i], 0, NULL);

        sbuf_reset(&why);
        assert_int_equal((i == 0 ? coach_assessments_check : coach_plan_check)(doc, kb, &why), 0);
        json_decref(doc);
    }
    sbuf_free(&why);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_statements_cover_the_topics),
        cmocka_unit_test(test_profile_set),
        cmocka_unit_test(test_profile_set_rejects),
        cmocka_unit_test(test_profile_clear_and_check),
        cmocka_unit_test(test_score_strengths_and_gaps),
        cmocka_unit_test(test_assessment_record),
        cmocka_unit_test(test_plan_from_gaps_and_focus),
        cmocka_unit_test(test_done_marks_survive_rebuild),
        cmocka_unit_test(test_senior_plan_skips_junior_entries),
        cmocka_unit_test(test_stored_shapes_checked),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
