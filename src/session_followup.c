/* session_followup.c -- follow-ups: lines that refer to the last answer
 * ("tell me more", "why?", "sources?", "and seniors?", "example?", "what do
 * you mean?") and what each gives. Start at followup_table[]: one row per
 * phrasing, with the function that answers it; session_followup() finds the
 * row and session_run_followup() runs it. The compiled table is a struct
 * session_patterns, which the conversation replies use too.
 */
#include "session_internal.h"

#include <stdlib.h>
#include <string.h>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "prefilter.h"
#include "reply.h"

/* ---- A compiled list of patterns over normalised lines ---- */

struct session_patterns {
    pcre2_code **re;
    size_t n;
    struct prefilter *pf; /* which rows a line could match: most lines none */
    pcre2_match_data *md;
};

struct session_patterns *session_patterns_new(const char *const *patterns, size_t n)
{
    struct session_patterns *p = xcalloc(1, sizeof *p);

    p->re = xcalloc(n ? n : 1, sizeof *p->re);
    p->n = n;
    p->pf = prefilter_new();
    prefilter_choose_first(p->pf);
    for (size_t i = 0; i < n; i++) {
        int code;
        PCRE2_SIZE off;

        /* The tables are tested (tests/test_session.c, `mlcoach check`); a
         * pattern that does not compile is left out rather than stopping. */
        p->re[i] = pcre2_compile((PCRE2_SPTR)patterns[i], PCRE2_ZERO_TERMINATED, PCRE2_UTF,
                                 &code, &off, NULL);
        prefilter_add(p->pf, patterns[i]);
    }
    p->md = pcre2_match_data_create(1, NULL);
    if (!p->md)
        xmalloc((size_t)-1);
    return p;
}

void session_patterns_free(struct session_patterns *p)
{
    if (!p)
        return;
    for (size_t i = 0; i < p->n; i++)
        pcre2_code_free(p->re[i]);
    free(p->re);
    pcre2_match_data_free(p->md);
    prefilter_free(p->pf);
    free(p);
}

long session_patterns_first(struct session_patterns *p, const char *norm, size_t len)
{
    /* In table order, as without the prefilter: the first match wins. */
    size_t n = prefilter_run(p->pf, norm, len, p->n);

    for (size_t k = 0; k < n; k++) {
        size_t i = prefilter_id(p->pf, k);

        if (p->re[i] && pcre2_match(p->re[i], (PCRE2_SPTR)norm, len, 0, PCRE2_NO_UTF_CHECK,
                                    p->md, NULL) >= 0)
            return (long)i;
    }
    return -1;
}

/* ---- What each follow-up gives ---- */

typedef int (*followup_fn)(struct session *s, enum kb_level level);

static int run_command(struct session *s, const char *name)
{
    return session_cmd_find(name)->run(s, NULL);
}

static int more(struct session *s, enum kb_level level)
{
    (void)level;
    return run_command(s, "more");
}

static int explain(struct session *s, enum kb_level level)
{
    (void)level;
    return run_command(s, "why");
}

static int sources(struct session *s, enum kb_level level)
{
    (void)level;
    return run_command(s, "sources");
}

/* 1 if the two ids or titles read the same with "junior" and "senior"
 * swapped ("roles.junior-day-to-day" and "roles.senior-day-to-day"). */
static int mirrors(const char *a, const char *b)
{
    size_t la = strlen(a);

    if (la != strlen(b))
        return 0;
    for (size_t i = 0; i < la;) {
        if ((strncmp(a + i, "junior", 6) == 0 && strncmp(b + i, "senior", 6) == 0) ||
            (strncmp(a + i, "senior", 6) == 0 && strncmp(b + i, "junior", 6) == 0)) {
            i += 6;
            continue;
        }
        if (a[i] != b[i])
            return 0;
        i++;
    }
    return strcmp(a, b) != 0;
}

/* The entry of e's topic for level whose id or title is e's with junior
 * and senior swapped, or NULL. */
static const struct kb_entry *mirror_of(const struct kb_entry *e, enum kb_level level)
{
    const struct kb_topic *t = e->topic;

    for (size_t i = 0; t && i < t->nentries; i++)
        if (t->entries[i]->level == level && (mirrors(e->id, t->entries[i]->id) ||
                                              mirrors(e->title, t->entries[i]->title)))
            return t->entries[i];
    return NULL;
}

/* The entry that says for level what e says for another: its mirror
 * ("Technical skills a junior needs" / "... a senior needs"), else a
 * related entry for that level, else, when e is meant for the other level,
 * the first entry of its topic for this one. NULL when there is none. */
static const struct kb_entry *counterpart(const struct kb_entry *e, enum kb_level level)
{
    const struct kb_topic *t = e->topic;
    const struct kb_entry *m = mirror_of(e, level);

    if (m)
        return m;
    for (size_t i = 0; i < e->nrelated; i++)
        if (e->related[i]->level == level)
            return e->related[i];
    if (e->level == KB_LEVEL_ANY || e->level == level)
        return NULL;
    for (size_t i = 0; t && i < t->nentries; i++)
        if (t->entries[i]->level == level)
            return t->entries[i];
    return NULL;
}

/* "what about seniors?": the level's own variant of the last answer, else
 * the counterpart entry for that level, else say the advice holds. */
static int for_level(struct session *s, enum kb_level level)
{
    const struct kb_entry *e = s->last_entry, *other;
    const char *who = kb_level_name(level);

    /* An entry for the other level with a mirror for this one gives the
     * mirror ("and juniors?" after "Technical skills a senior needs");
     * else its variant for this level; else its counterpart. */
    other = e->level != level && e->level != KB_LEVEL_ANY ? mirror_of(e, level) : NULL;
    if (!other && e->answers[level])
        return session_show_entry(s, e, level, s->last_question);
    if (!other && e->level != level)
        other = counterpart(e, level);
    if (other)
        return session_show_entry(s, other, level, reply_question_of(other));
    if (s->json) /* the same answer again, for that level, says it all */
        return session_show_entry(s, e, level, s->last_question);
    if (e->level == level)
        return session_say(s, "\"%s\" is the advice for %ss: what I said is it.", e->title, who);
    return session_say(s, "There is no separate advice for %ss on \"%s\": what I said holds "
                          "for every level.", who, e->title);
}

/* 1 if title gives reasons ("Why a mentor matters"). */
static int is_reason(const struct kb_entry *e)
{
    return strncmp(e->title, "Why ", 4) == 0;
}

/* "why?" after an answer means "why should I?": the advice that gives the
 * reasons, among the related entries, then the topic's. (How the answer was
 * chosen is /why.) */
static int reason(struct session *s, enum kb_level level)
{
    const struct kb_entry *e = s->last_entry, *why = NULL;

    (void)level;
    for (size_t i = 0; i < e->nrelated && !why; i++)
        if (is_reason(e->related[i]))
            why = e->related[i];
    for (size_t i = 0; e->topic && i < e->topic->nentries && !why; i++)
        if (is_reason(e->topic->entries[i]) && e->topic->entries[i] != e)
            why = e->topic->entries[i];
    if (why && !is_reason(e))
        return session_show_entry(s, why, s->level, reply_question_of(why));
    if (s->json)
        return session_error(s, "reason", "\"%s\" gives its own reasons; /sources cites them.",
                             e->title);
    return session_say(s, "The answer above gives its own reasons. /sources says where they "
                          "come from; /why shows how that answer was chosen.");
}

/* "for example?": the concrete steps the self-assessment gives for this
 * advice (assessment.yml), which is the closest the knowledge has. */
static int example(struct session *s, enum kb_level level)
{
    const struct kb_entry *e = s->last_entry;
    json_t *steps = json_array();
    size_t n = 0;
    int rc = 0;

    (void)level;
    for (size_t i = 0; i < s->kb->nstatements && rc == 0; i++) {
        const struct kb_statement *st = &s->kb->statements[i];
        int tied = 0;

        for (size_t k = 0; k < st->nentries; k++)
            tied |= st->entries[k] == e;
        if (!tied)
            continue;
        if (s->json)
            json_array_append_new(steps, json_string(st->step));
        else
            rc = session_say(s, "%s %s", n ? "Or:" : "For example:", st->step);
        n++;
    }
    if (s->json)
        return session_json(s, json_pack("{s:s, s:s, s:o}", "command", "example", "intent",
                                         e->id, "examples", steps));
    json_decref(steps);
    if (rc || n)
        return rc;
    return session_say(s, "I have no worked example for \"%s\". /more gives related advice, "
                          "and /sources the text it comes from.", e->title);
}

/* The first sentence of text, in *b. */
static void first_sentence(struct sbuf *b, const char *text)
{
    size_t n = 0;

    while (text[n] && !(strchr(".!?", text[n]) && (text[n + 1] == ' ' || text[n + 1] == '\n' ||
                                                   !text[n + 1])))
        n++;
    sbuf_append(b, text, text[n] ? n + 1 : n);
}

/* "what do you mean?": the advice in short, its title and first sentence. */
static int clarify(struct session *s, enum kb_level level)
{
    const struct kb_entry *e = s->last_entry;
    struct sbuf b = {0};
    int rc;

    (void)level;
    first_sentence(&b, kb_entry_answer(e, s->last_level));
    if (s->json)
        rc = session_json(s, json_pack("{s:s, s:s, s:s, s:s}", "command", "clarify", "intent",
                                       e->id, "title", e->title, "summary", b.s));
    else
        rc = session_say(s, "In short: %s. %s /sources cites where it comes from.", e->title,
                         b.s);
    sbuf_free(&b);
    return rc;
}

/* ---- The table ---- */

/* Follow-ups, matched against the normalised line (lower case, words
 * separated by single spaces, "what's" already "what is", "sr" already
 * "senior"). To add one, add a row: the first pattern that matches wins. */
#define LEVEL_WORDS(w) \
    "^(?:and |but |so )?(?:(?:(?:what|how) about|and for|what if i am|if i am|for|as) )?" \
    "(?:the |a |an |for )*" w "s?(?: ones?| engineers?| developers?| devs?| people)?$"

static const struct {
    const char *pattern;
    enum session_followup what;
    enum kb_level level;
    followup_fn run;
} followup_table[] = {
    {"^(?:please )?(?:(?:tell|show|give) me |say )?(?:some |a bit |a little )?more"
     "(?: about (?:it|that|this))?(?: please)?$|^go on$|^(?:and )?then what$",
     SESSION_MORE, KB_LEVEL_ANY, more},
    {"^why (?:did|do) you (?:say|answer|pick|choose) (?:that|this)$"
     "|^how (?:did|do) you (?:know|pick|choose) (?:that|this)$",
     SESSION_WHY, KB_LEVEL_ANY, explain},
    {"^(?:but |and |so )?why(?: (?:is|was) that| so| that| this| not)?(?: answer)?$|^how come$"
     "|^why (?:should|would|do) i(?: do that| do it| care| bother)?$"
     "|^why (?:does|is) (?:it|that|this) (?:matter|important)$|^what for$",
     SESSION_REASON, KB_LEVEL_ANY, reason},
    {"^(?:and |so )?where (?:does|did|do) (?:that|this|it|these|those) (?:come|comes) from$"
     "|^(?:what is|what are) (?:the |your )?sources?$|^(?:and )?sources?(?: please)?$"
     "|^says who$|^citations?$",
     SESSION_SOURCES, KB_LEVEL_ANY, sources},
    {LEVEL_WORDS("senior"), SESSION_LEVEL, KB_LEVEL_SENIOR, for_level},
    {LEVEL_WORDS("junior"), SESSION_LEVEL, KB_LEVEL_JUNIOR, for_level},
    {"^(?:for |an? )?examples?(?: please)?$|^(?:can you )?(?:give|show) (?:me )?an? examples?"
     "(?: please)?$|^like what$|^such as$|^for instance$|^(?:do you have|got) an? examples?$",
     SESSION_EXAMPLE, KB_LEVEL_ANY, example},
    {"^what do you mean(?: by that)?$|^what does that mean$|^meaning$|^in other words$"
     "|^(?:i do not|i dont) (?:get it|understand)$|^huh$|^come again$|^(?:please )?explain"
     "(?: that| please)?$|^can you explain(?: that)?$",
     SESSION_CLARIFY, KB_LEVEL_ANY, clarify},
};
#define NFOLLOWUPS (sizeof followup_table / sizeof *followup_table)

struct session_patterns *session_followups_new(void)
{
    const char *patterns[NFOLLOWUPS];

    for (size_t i = 0; i < NFOLLOWUPS; i++)
        patterns[i] = followup_table[i].pattern;
    return session_patterns_new(patterns, NFOLLOWUPS);
}

/* The row line matches, or -1. */
static long followup_row(struct session *s, const char *line, size_t len)
{
    /* The matcher's normaliser: when the line turns out to be a question,
     * the matcher reuses this. */
    const char *norm = match_normalise(s->matcher, line, len);

    return session_patterns_first(s->followups, norm, strlen(norm));
}

enum session_followup session_followup(struct session *s, const char *line, size_t len,
                                        enum kb_level *level)
{
    long i = followup_row(s, line, len);

    if (i < 0)
        return SESSION_NOT_FOLLOWUP;
    *level = followup_table[i].level;
    return followup_table[i].what;
}

int session_run_followup(struct session *s, const char *line, size_t len, int *rc)
{
    long i = followup_row(s, line, len);

    /* /why needs a question; everything else the advice last shown. */
    if (i < 0 || (followup_table[i].what == SESSION_WHY ? !s->last_question : !s->last_entry))
        return 1;
    *rc = followup_table[i].run(s, followup_table[i].level);
    return 0;
}
