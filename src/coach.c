/* coach.c -- the profile, scoring, gaps and the plan, as pure functions over
 * jansson documents (see include/coach.h for the stored shapes). Start at
 * coach_score() and coach_plan_build(); profile keys are set through
 * profile_keys[].
 */
#include "coach.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

void coach_today(char buf[11])
{
    time_t now = time(NULL);
    struct tm tm;

    if (!localtime_r(&now, &tm) || strftime(buf, 11, "%Y-%m-%d", &tm) != 10)
        strcpy(buf, "1970-01-01");
}

int coach_is_date(const json_t *v)
{
    static const char shape[] = "dddd-dd-dd";
    const char *s = json_string_value(v);

    if (!s || strlen(s) != sizeof shape - 1)
        return 0;
    for (size_t i = 0; shape[i]; i++)
        if (shape[i] == 'd' ? s[i] < '0' || s[i] > '9' : s[i] != shape[i])
            return 0;
    return 1;
}

const struct kb_statement *coach_statement(const struct kb *kb, const char *id)
{
    for (size_t i = 0; i < kb->nstatements; i++)
        if (strcmp(kb->statements[i].id, id) == 0)
            return &kb->statements[i];
    return NULL;
}

size_t coach_topic_index(const struct kb *kb, const struct kb_topic *t)
{
    return (size_t)(t - kb->topic_list);
}

/* ---- Profile -------------------------------------------------------------- */

json_t *coach_profile_new(void)
{
    return json_pack("{s:n, s:n, s:[], s:n}", "level", "years", "focus", "goals");
}

typedef int (*profile_key_fn)(json_t *p, const struct kb *kb, const char *v, struct sbuf *why);

static int set_level(json_t *p, const struct kb *kb, const char *v, struct sbuf *why)
{
    int level = *v ? kb_level_parse_typed(v) : KB_LEVEL_ANY;

    (void)kb;
    if (level < 0 || (*v && level == KB_LEVEL_ANY)) {
        sbuf_printf(why, "level must be junior or senior, not '%s'", v);
        return -1;
    }
    /* Stored as the canonical name, whatever the case it was typed in. */
    json_object_set_new(p, "level", *v ? json_string(kb_level_name((enum kb_level)level))
                                       : json_null());
    return 0;
}

static int set_years(json_t *p, const struct kb *kb, const char *v, struct sbuf *why)
{
    char *end;
    long n;

    (void)kb;
    errno = 0;
    n = strtol(v, &end, 10);
    if (*v && (*v < '0' || *v > '9' || *end || errno || n > COACH_YEARS_MAX)) {
        sbuf_printf(why, "years must be a whole number from 0 to %d, not '%s'",
                    COACH_YEARS_MAX, v);
        return -1;
    }
    json_object_set_new(p, "years", *v ? json_integer(n) : json_null());
    return 0;
}

/* "a,b,c" -> ["a", "b", "c"], each a known topic, each once. */
static int set_focus(json_t *p, const struct kb *kb, const char *v, struct sbuf *why)
{
    json_t *focus = json_array();
    const char *s = v;

    while (*s) {
        size_t len = strcspn(s, ",");
        char *name = xstrndup(s, len);
        int known = kb_topic_find(kb, name) != NULL, dup = 0;
        size_t i;
        json_t *f;

        json_array_foreach(focus, i, f)
            dup |= strcmp(json_string_value(f), name) == 0;
        if (!known && len) {
            sbuf_printf(why, "unknown topic '%s' in focus (topics:", name);
            for (size_t t = 0; t < KB_NTOPICS; t++)
                sbuf_printf(why, "%s %s", t ? "," : "", kb_topic_names[t]);
            sbuf_puts(why, ")");
            free(name);
            json_decref(focus);
            return -1;
        }
        if (len && !dup)
            json_array_append_new(focus, json_string(name));
        free(name);
        s += len + (s[len] == ',');
    }
    json_object_set_new(p, "focus", focus);
    return 0;
}

static int set_goals(json_t *p, const struct kb *kb, const char *v, struct sbuf *why)
{
    json_t *s = *v ? json_string(v) : json_null();

    (void)kb;
    if (!s || strlen(v) > COACH_GOALS_MAX) {
        sbuf_printf(why, "goals must be UTF-8 text of at most %d bytes", COACH_GOALS_MAX);
        json_decref(s);
        return -1;
    }
    json_object_set_new(p, "goals", s);
    return 0;
}

/* The keys of `profile set`. To add one: write set_NAME, add a row. */
static const struct {
    const char *name;
    profile_key_fn set;
} profile_keys[] = {
    {"level", set_level}, {"years", set_years}, {"focus", set_focus}, {"goals", set_goals},
};
#define NPROFILE_KEYS (sizeof profile_keys / sizeof *profile_keys)

/* Apply one "KEY=VALUE" to p. */
static int set_one(json_t *p, const struct kb *kb, const char *arg, struct sbuf *why)
{
    const char *eq = strchr(arg, '=');

    for (size_t i = 0; eq && i < NPROFILE_KEYS; i++) {
        if (strlen(profile_keys[i].name) == (size_t)(eq - arg) &&
            strncmp(arg, profile_keys[i].name, (size_t)(eq - arg)) == 0)
            return profile_keys[i].set(p, kb, eq + 1, why);
    }
    if (eq)
        sbuf_printf(why, "unknown profile key '%.*s' (level, years, focus, goals)",
                    (int)(eq - arg), arg);
    else
        sbuf_printf(why, "'%s' is not KEY=VALUE (keys: level, years, focus, goals)", arg);
    return -1;
}

int coach_profile_set(json_t *p, const struct kb *kb, char *const *args, int n,
                      struct sbuf *why)
{
    json_t *copy = json_deep_copy(p);

    for (int i = 0; i < n; i++) {
        if (set_one(copy, kb, args[i], why) != 0) {
            json_decref(copy);
            return -1;
        }
    }
    json_object_update(p, copy);
    json_decref(copy);
    return 0;
}

int coach_profile_check(const json_t *p, const struct kb *kb, struct sbuf *why)
{
    const json_t *level = json_object_get(p, "level"), *years = json_object_get(p, "years"),
                 *focus = json_object_get(p, "focus"), *goals = json_object_get(p, "goals");
    size_t i;
    json_t *f;

    if (level && !json_is_null(level) &&
        !(json_is_string(level) && kb_level_parse(json_string_value(level)) > 0))
        sbuf_puts(why, "\"level\" must be \"junior\", \"senior\" or null");
    else if (years && !json_is_null(years) &&
             !(json_is_integer(years) && json_integer_value(years) >= 0 &&
               json_integer_value(years) <= COACH_YEARS_MAX))
        sbuf_printf(why, "\"years\" must be a number from 0 to %d or null", COACH_YEARS_MAX);
    else if (focus && !json_is_array(focus))
        sbuf_puts(why, "\"focus\" must be a list of topics");
    else if (goals && !json_is_null(goals) && !json_is_string(goals))
        sbuf_puts(why, "\"goals\" must be text or null");
    json_array_foreach(focus, i, f)
        if (!why->len && !(json_is_string(f) && kb_topic_find(kb, json_string_value(f))))
            sbuf_puts(why, "\"focus\" holds something that is not a topic");
    return why->len ? -1 : 0;
}

enum kb_level coach_profile_level(const json_t *p)
{
    const char *s = json_string_value(json_object_get(p, "level"));
    int level = s ? kb_level_parse(s) : -1;

    return level > 0 ? (enum kb_level)level : KB_LEVEL_ANY;
}

int coach_profile_focuses(const json_t *p, const char *topic)
{
    size_t i;
    json_t *f;

    json_array_foreach(json_object_get(p, "focus"), i, f)
        if (json_is_string(f) && strcmp(json_string_value(f), topic) == 0)
            return 1;
    return 0;
}

/* ---- Assessment ------------------------------------------------------------ */

int coach_rating(const json_t *record, const struct kb_statement *s)
{
    json_t *v = json_object_get(json_object_get(record, "answers"), s->id);
    json_int_t n = json_is_integer(v) ? json_integer_value(v) : 0;

    return n >= 1 && n <= 5 ? (int)n : 0;
}

/* The order of gaps as one number, smallest first: score, then focus topics
 * before others, then topic order. */
static long gap_key(const struct coach_result *r, const json_t *profile, size_t t)
{
    return (long)r->score[t] * 1000 + (coach_profile_focuses(profile, kb_topic_names[t]) ? 0 : 100)
           + (long)t;
}

static void find_gaps(struct coach_result *r, const json_t *profile)
{
    int used[KB_NTOPICS] = {0};

    for (r->ngaps = 0; r->ngaps < COACH_NGAPS; r->ngaps++) {
        long best_key = 0;
        size_t best = KB_NTOPICS;

        for (size_t t = 0; t < KB_NTOPICS; t++) {
            if (used[t] || r->score[t] < 0 || r->score[t] >= COACH_STRENGTH)
                continue;
            if (best == KB_NTOPICS || gap_key(r, profile, t) < best_key) {
                best = t;
                best_key = gap_key(r, profile, t);
            }
        }
        if (best == KB_NTOPICS)
            break;
        used[best] = 1;
        r->gaps[r->ngaps] = best;
    }
}

void coach_score(const struct kb *kb, const json_t *record, const json_t *profile,
                 struct coach_result *r)
{
    int sum[KB_NTOPICS] = {0}, count[KB_NTOPICS] = {0}, low[KB_NTOPICS] = {0};

    memset(r, 0, sizeof *r);
    for (size_t i = 0; i < kb->nstatements; i++) {
        const struct kb_statement *s = &kb->statements[i];
        size_t t = coach_topic_index(kb, s->topic);
        int rating = coach_rating(record, s);

        if (!rating)
            continue;
        r->answered++;
        sum[t] += rating;
        count[t]++;
        if (!r->lowest[t] || rating < low[t]) {
            r->lowest[t] = s;
            low[t] = rating;
        }
    }
    for (size_t t = 0; t < KB_NTOPICS; t++) {
        /* 1..5 on average -> 0..100 */
        r->score[t] = count[t] ? (int)lround((sum[t] / (double)count[t] - 1) * 25) : -1;
        if (r->score[t] >= COACH_STRENGTH)
            r->strengths[r->nstrengths++] = t;
    }
    find_gaps(r, profile);
}

json_t *coach_assessment_new(const struct kb *kb, const int *ratings, const char *date)
{
    json_t *answers = json_object(), *scores = json_object(), *rec;
    struct coach_result r;

    for (size_t i = 0; i < kb->nstatements; i++)
        if (ratings[i] >= 1 && ratings[i] <= 5)
            json_object_set_new(answers, kb->statements[i].id, json_integer(ratings[i]));
    rec = json_pack("{s:s, s:o}", "date", date, "answers", answers);
    coach_score(kb, rec, NULL, &r);
    for (size_t t = 0; t < KB_NTOPICS; t++)
        if (r.score[t] >= 0)
            json_object_set_new(scores, kb_topic_names[t], json_integer(r.score[t]));
    json_object_set_new(rec, "scores", scores);
    return rec;
}

/* 0 if every value of object o is an integer in [lo, hi]. */
static int all_ints(const json_t *o, json_int_t lo, json_int_t hi)
{
    const char *k;
    json_t *v;

    if (!json_is_object(o))
        return -1;
    json_object_foreach((json_t *)o, k, v)
        if (!json_is_integer(v) || json_integer_value(v) < lo || json_integer_value(v) > hi)
            return -1;
    return 0;
}

int coach_assessments_check(const json_t *doc, const struct kb *kb, struct sbuf *why)
{
    const json_t *list = json_object_get(doc, "assessments");
    size_t i;
    json_t *rec;

    (void)kb;
    if (!json_is_array(list)) {
        sbuf_puts(why, "\"assessments\" must be a list");
        return -1;
    }
    json_array_foreach(list, i, rec) {
        if (!coach_is_date(json_object_get(rec, "date")) ||
            all_ints(json_object_get(rec, "answers"), 1, 5) != 0 ||
            all_ints(json_object_get(rec, "scores"), 0, 100) != 0) {
            sbuf_printf(why, "assessment %zu must have a date (YYYY-MM-DD), answers 1-5 and "
                             "scores 0-100", i + 1);
            return -1;
        }
    }
    return 0;
}

json_t *coach_assessments_list(const json_t *doc)
{
    json_t *list = json_object_get(doc, "assessments");

    return json_is_array(list) ? list : NULL;
}

const json_t *coach_latest(const json_t *doc)
{
    json_t *list = coach_assessments_list(doc);
    size_t n = json_array_size(list);

    return n ? json_array_get(list, n - 1) : NULL;
}

/* ---- Plan ----------------------------------------------------------------------- */

const struct kb_entry *coach_step_entry(const struct kb_statement *s, enum kb_level level)
{
    if (level != KB_LEVEL_SENIOR)
        return s->entries[0];
    for (size_t i = 0; i < s->nentries; i++)
        if (s->entries[i]->level != KB_LEVEL_JUNIOR)
            return s->entries[i];
    return NULL;
}

/* How much statement s needs work: 0 when it does not go in the plan. */
static int need_of(const struct kb *kb, const struct kb_statement *s, const json_t *profile,
                   const json_t *latest, const struct coach_result *r)
{
    int rating = coach_rating(latest, s);
    int focus = coach_profile_focuses(profile, s->topic->name), gap = 0;

    for (size_t g = 0; g < r->ngaps; g++)
        gap |= r->gaps[g] == coach_topic_index(kb, s->topic);
    if (!(rating >= 1 && rating <= 3) && !(focus && rating != 5))
        return 0;
    return (rating ? 5 - rating : 2) * 2 + focus * 3 + gap * 2;
}

static json_t *new_step(const struct kb_statement *s, const struct kb_entry *e)
{
    return json_pack("{s:i, s:s, s:s, s:s, s:s, s:b, s:n}", "n", 0, "title", s->step, "topic",
                     s->topic->name, "entry", e->id, "statement", s->id, "done", 0, "done_on");
}

/* 1 if a step of steps came from statement id. */
static int planned(const json_t *steps, const char *id)
{
    size_t i;
    json_t *step;

    json_array_foreach(steps, i, step) {
        const char *from = json_string_value(json_object_get(step, "statement"));

        if (from && strcmp(from, id) == 0)
            return 1;
    }
    return 0;
}

/* Append up to COACH_PLAN_MAX new steps, neediest first. */
static void add_needed(json_t *steps, const struct kb *kb, const json_t *profile,
                       const json_t *latest)
{
    struct coach_result r;
    int *need = xcalloc(kb->nstatements, sizeof *need);
    enum kb_level level = coach_profile_level(profile);

    coach_score(kb, latest, profile, &r);
    for (size_t i = 0; i < kb->nstatements; i++)
        if (!planned(steps, kb->statements[i].id) && coach_step_entry(&kb->statements[i], level))
            need[i] = need_of(kb, &kb->statements[i], profile, latest, &r);
    for (int added = 0; added < COACH_PLAN_MAX; added++) {
        size_t best = 0;

        for (size_t i = 1; i < kb->nstatements; i++)
            if (need[i] > need[best])
                best = i;
        if (!kb->nstatements || need[best] == 0)
            break;
        need[best] = 0;
        json_array_append_new(steps, new_step(&kb->statements[best],
                                              coach_step_entry(&kb->statements[best], level)));
    }
    free(need);
}

json_t *coach_plan_build(const struct kb *kb, const json_t *profile, const json_t *latest,
                         const json_t *old_plan, const char *today)
{
    json_t *steps = json_array(), *step;
    const json_t *from = json_object_get(latest, "date");
    size_t i;

    json_array_foreach(json_object_get(old_plan, "steps"), i, step)
        if (json_is_true(json_object_get(step, "done")))
            json_array_append_new(steps, json_deep_copy(step));
    add_needed(steps, kb, profile, latest);
    json_array_foreach(steps, i, step)
        json_object_set_new(step, "n", json_integer((json_int_t)i + 1));
    return json_pack("{s:s, s:s, s:O, s:o}", "created", today, "level",
                     kb_level_name(coach_profile_level(profile)), "from",
                     from ? from : json_null(), "steps", steps);
}

/* 1 if v is absent, null or a date. */
static int date_or_null(const json_t *v)
{
    return !v || json_is_null(v) || coach_is_date(v);
}

int coach_plan_check(const json_t *plan, const struct kb *kb, struct sbuf *why)
{
    const json_t *steps = json_object_get(plan, "steps");
    size_t i;
    json_t *s;

    (void)kb;
    if (!json_is_array(steps)) {
        sbuf_puts(why, "\"steps\" must be a list");
        return -1;
    }
    if (!date_or_null(json_object_get(plan, "created")) ||
        !date_or_null(json_object_get(plan, "from"))) {
        sbuf_puts(why, "\"created\" and \"from\" must be dates (YYYY-MM-DD) or null");
        return -1;
    }
    json_array_foreach(steps, i, s) {
        if (json_integer_value(json_object_get(s, "n")) != (json_int_t)i + 1 ||
            !json_is_string(json_object_get(s, "title")) ||
            !json_is_string(json_object_get(s, "topic")) ||
            !json_is_string(json_object_get(s, "entry")) ||
            !json_is_boolean(json_object_get(s, "done")) ||
            !date_or_null(json_object_get(s, "done_on"))) {
            sbuf_printf(why, "step %zu must have n, title, topic, entry, done and a "
                             "done_on date (YYYY-MM-DD) or null", i + 1);
            return -1;
        }
    }
    return 0;
}

int coach_plan_done(json_t *plan, long n, const char *date)
{
    json_t *step = n >= 1 ? json_array_get(json_object_get(plan, "steps"), (size_t)n - 1) : NULL;

    if (!step)
        return -1;
    if (json_is_true(json_object_get(step, "done")))
        return 1;
    json_object_set_new(step, "done", json_true());
    json_object_set_new(step, "done_on", json_string(date));
    return 0;
}

void coach_plan_counts(const json_t *plan, size_t *done, size_t *total)
{
    const json_t *steps = json_object_get(plan, "steps");
    size_t i;
    json_t *s;

    *done = 0;
    *total = json_array_size(steps);
    json_array_foreach(steps, i, s)
        *done += json_is_true(json_object_get(s, "done"));
}
