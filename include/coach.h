/* coach.h -- personal coaching: the profile, scoring a self-assessment,
 * strengths and gaps, and the plan built from them.
 *
 * Everything here works on jansson documents in the shape they are stored
 * in (store.h writes them; coachcmd.h shows them) and never prints, reads
 * files or exits. Functions that return a json_t * return a new reference
 * the caller decrefs; const json_t * arguments are only read.
 *
 * The stored shapes (each file also has "version": 1):
 *   profile.json      {"level": "junior"|"senior"|null, "years": N|null,
 *                      "focus": ["topic", ...], "goals": "text"|null}
 *   assessments.json  {"assessments": [{"date": "YYYY-MM-DD",
 *                      "answers": {"statement-id": 1..5, ...},
 *                      "scores": {"topic": 0..100, ...}}, ...]}   oldest first
 *   plan.json         {"created": date, "level": "junior"|"senior"|"any",
 *                      "from": date of the assessment or null,
 *                      "steps": [{"n", "title", "topic", "entry", "statement",
 *                                 "done": bool, "done_on": date|null}, ...]}
 */
#ifndef MLCOACH_COACH_H
#define MLCOACH_COACH_H

#include <stddef.h>

#include <jansson.h>

#include "kb.h"
#include "util.h"

#define COACH_PROFILE_FILE "profile.json"
#define COACH_ASSESSMENTS_FILE "assessments.json"
#define COACH_PLAN_FILE "plan.json"

#define COACH_STRENGTH 75   /* a topic scoring at least this (of 100) is a strength */
#define COACH_NGAPS 3       /* gaps shown after an assessment */
#define COACH_PLAN_MAX 8    /* new steps a plan gets at most */
#define COACH_GOALS_MAX 500 /* bytes of goals text */
#define COACH_YEARS_MAX 60

/* ---- Profile -------------------------------------------------------------- */

/* An empty profile: no level, no years, no focus, no goals. */
json_t *coach_profile_new(void);

/* Apply each "KEY=VALUE" of args[0..n) to profile p (keys level, years,
 * focus, goals; an empty value clears the key). All or nothing: on the first
 * bad argument p is unchanged, *why says what is wrong and -1 is returned. */
int coach_profile_set(json_t *p, const struct kb *kb, char *const *args, int n,
                      struct sbuf *why);

/* 0 if p has the stored profile shape, else -1 with the reason in *why. */
int coach_profile_check(const json_t *p, const struct kb *kb, struct sbuf *why);

/* The profile's level (KB_LEVEL_ANY when p is NULL or has none). */
enum kb_level coach_profile_level(const json_t *p);

/* 1 if topic is one of p's focus topics (p may be NULL). */
int coach_profile_focuses(const json_t *p, const char *topic);

/* ---- Assessment ------------------------------------------------------------ */

struct coach_result {
    size_t answered;                               /* statements rated */
    int score[KB_NTOPICS];                         /* 0-100; -1: none rated */
    const struct kb_statement *lowest[KB_NTOPICS]; /* lowest-rated statement per topic */
    size_t strengths[KB_NTOPICS], nstrengths;      /* topic indexes, in topic order */
    size_t gaps[COACH_NGAPS], ngaps;               /* topic indexes, largest gap first */
};

/* The rating (1-5) of statement s in an assessment record, 0 if skipped. */
int coach_rating(const json_t *record, const struct kb_statement *s);

/* Score an assessment record (as stored) against the statements of kb.
 * Gaps are topics below COACH_STRENGTH, lowest first; a tie goes to a focus
 * topic of profile (may be NULL), then to topic order. */
void coach_score(const struct kb *kb, const json_t *record, const json_t *profile,
                 struct coach_result *r);

/* A new assessment record dated date from ratings[i] (0-5) for each
 * kb->statements[i]; its "scores" are filled in. */
json_t *coach_assessment_new(const struct kb *kb, const int *ratings, const char *date);

/* 0 if doc has the stored assessments shape, else -1 with *why. */
int coach_assessments_check(const json_t *doc, const struct kb *kb, struct sbuf *why);

/* The list of records in doc, and the newest one; NULL when doc is NULL or
 * has none (jansson's array functions treat NULL as empty). Borrowed. */
json_t *coach_assessments_list(const json_t *doc);
const json_t *coach_latest(const json_t *doc);

/* ---- Plan --------------------------------------------------------------------- */

/* Build the plan for profile (may be NULL) from the latest assessment record
 * (may be NULL), dated today. Steps come from statements rated 3 or lower,
 * and from every statement of a focus topic not rated 5; the neediest come
 * first (lowest rating, focus topics, the three largest gaps), at most
 * COACH_PLAN_MAX of them. Done steps of old_plan (may be NULL) are kept,
 * first and with their dates, and their statements are not planned again.
 * May return a plan with no steps. */
json_t *coach_plan_build(const struct kb *kb, const json_t *profile, const json_t *latest,
                         const json_t *old_plan, const char *today);

/* 0 if plan has the stored plan shape, else -1 with *why. */
int coach_plan_check(const json_t *plan, const struct kb *kb, struct sbuf *why);

/* Mark step n (1-based) of plan done on date. Returns 0 when marked, 1 if it
 * was done already, -1 if there is no step n. */
int coach_plan_done(json_t *plan, long n, const char *date);

/* How many steps plan (may be NULL) has, and how many are done. */
void coach_plan_counts(const json_t *plan, size_t *done, size_t *total);

/* The entry a statement's step should point at for a reader of level: the
 * first entry not meant only for juniors when level is senior, else the
 * first entry. NULL when a senior has no suitable entry. */
const struct kb_entry *coach_step_entry(const struct kb_statement *s, enum kb_level level);

/* ---- Small shared pieces ------------------------------------------------------- */

/* Today's local date as YYYY-MM-DD into buf. */
void coach_today(char buf[11]);

/* 1 if v is a string of the form YYYY-MM-DD (digits and dashes), the only
 * form of date the stored files hold; 0 for anything else, NULL included. */
int coach_is_date(const json_t *v);

/* The statement with this id, or NULL. */
const struct kb_statement *coach_statement(const struct kb *kb, const char *id);

/* The index of topic t in kb_topic_names. */
size_t coach_topic_index(const struct kb *kb, const struct kb_topic *t);

#endif
