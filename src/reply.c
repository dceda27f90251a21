/* reply.c -- choosing the answer text and suggestions. See reply.h. */
#include "reply.h"

#include <string.h>

/* Topics whose first entry is suggested when nothing in the question is
 * close to the knowledge: the broadest starting points, in this order. */
static const char *const starting_topics[] = {
    "progression", "mentorship", "technical-skills", "communication", "learning",
};

/* Examples shorter than this many words read as keywords, not questions. */
#define SUGGESTION_MIN_WORDS 4

static size_t words(const char *s)
{
    size_t n = 0;

    for (; *s; s++)
        n += *s != ' ' && (s[1] == ' ' || s[1] == '\0');
    return n;
}

const char *reply_question_of(const struct kb_entry *e)
{
    for (size_t i = 0; i < e->nexamples; i++)
        if (words(e->examples[i].text) >= SUGGESTION_MIN_WORDS)
            return e->examples[i].text;
    return e->nexamples ? e->examples[0].text : e->title;
}

static void add_suggestion(struct reply *out, const struct kb_entry *e)
{
    const char *s = reply_question_of(e);

    for (size_t i = 0; i < out->nsuggestions; i++)
        if (out->suggestions[i] == s)
            return;
    if (out->nsuggestions < MATCH_TOP) {
        out->suggested[out->nsuggestions] = e;
        out->suggestions[out->nsuggestions++] = s;
    }
}

size_t reply_see_also(const struct kb_entry *e, const struct kb_entry *see_also,
                      const struct kb_entry **out, size_t max)
{
    size_t n = 0;

    if (see_also && n < max)
        out[n++] = see_also;
    for (size_t i = 0; e && i < e->nrelated && n < max; i++)
        if (e->related[i] != see_also)
            out[n++] = e->related[i];
    return n;
}

void reply_build(const struct kb *kb, const struct match_result *r, const char *question,
                 enum kb_level level, struct reply *out)
{
    memset(out, 0, sizeof *out);
    out->question = question;
    out->level = level;
    out->match = r;
    out->confidence = r->confidence;
    out->answered = r->answered;
    for (size_t i = 0; i < r->nparts; i++) {
        const struct match_part *p = &r->parts[i];

        out->parts[out->nparts++] = (struct reply_part){question + p->start, p->len, p->entry,
                                                        kb_entry_answer(p->entry, level),
                                                        p->confidence};
    }
    if (r->answered) {
        out->entry = r->top[0].entry;
        out->answer = kb_entry_answer(out->entry, level);
        out->see_also = r->see_also;
        return;
    }
    /* A decline's own answer says why; its suggestions stay useful. */
    out->answer = r->declined ? kb_entry_answer(r->declined, level) : REPLY_NO_ANSWER;
    for (size_t i = 0; i < r->nsuggest; i++)
        add_suggestion(out, r->suggest[i]);
    for (size_t i = 0; i < sizeof starting_topics / sizeof *starting_topics; i++) {
        const struct kb_topic *t = kb_topic_find(kb, starting_topics[i]);

        if (t && t->nentries)
            add_suggestion(out, t->entries[0]);
    }
    for (size_t i = 0; i < kb->nentries && out->nsuggestions < MATCH_TOP; i++)
        add_suggestion(out, kb->entry_list[i]);
}
