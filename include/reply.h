/* reply.h -- turning a match into an answer for the reader's level: the
 * text, the citations, related entries, and suggestions when there is no
 * confident answer. A reply only points into the kb and the match result;
 * it owns nothing and needs no freeing.
 */
#ifndef MLCOACH_REPLY_H
#define MLCOACH_REPLY_H

#include "kb.h"
#include "match.h"

/* One answered question of a compound question. */
struct reply_part {
    const char *question;            /* its bytes in the question as asked */
    size_t len;
    const struct kb_entry *entry;
    const char *answer;              /* for the reply's level */
    double confidence;
};

struct reply {
    const char *question;            /* as asked */
    int answered;
    const struct kb_entry *entry;    /* NULL when not answered */
    enum kb_level level;             /* the level the reply was tailored for */
    double confidence;
    const char *answer;              /* the advice, a decline's reason, or the
                                        "no answer" sentence */
    const char *suggestions[MATCH_TOP]; /* example questions, when not answered */
    const struct kb_entry *suggested[MATCH_TOP]; /* the entry of each suggestion */
    size_t nsuggestions;
    const struct kb_entry *see_also; /* a close second, when answered */
    struct reply_part parts[MATCH_MAX_PARTS]; /* a compound question's answers, in order */
    size_t nparts;                   /* 0, or 2 or more */
    int explain;                     /* show how it was chosen (set by the caller) */
    const struct match_result *match; /* how it was chosen */
};

/* The sentence given instead of advice when nothing is confident enough. */
#define REPLY_NO_ANSWER "I don't have advice on that."

/* The question entry e answers, as suggested, listed under /topic and in
 * the greeting: its first example of four words or more (shorter ones read
 * as keywords), else its first example, else its title. Points into the kb. */
const char *reply_question_of(const struct kb_entry *e);

/* What "See also" lists after an answer with entry e, in the order it is
 * shown: the close runner-up see_also (may be NULL) first, then e's related
 * entries. Fills out[0..max) and returns how many. */
size_t reply_see_also(const struct kb_entry *e, const struct kb_entry *see_also,
                      const struct kb_entry **out, size_t max);

/* Fill *out for question (as asked) from match result r. Unanswered
 * questions always get MATCH_TOP suggestions when the kb has that many
 * entries: the closest ones first, then a fixed set of starting points. */
void reply_build(const struct kb *kb, const struct match_result *r, const char *question,
                 enum kb_level level, struct reply *out);

#endif
