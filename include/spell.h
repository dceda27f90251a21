/* spell.h -- typo correction against a vocabulary (the text room).
 *
 * A spell dictionary holds the words the knowledge uses, each with how often
 * it occurs. spell_correct() maps a word outside the vocabulary to the
 * vocabulary word within Damerau-Levenshtein distance 1 (2 for words of
 * SPELL_LONG letters or more), found through a uthash-indexed deletion
 * dictionary in the SymSpell manner: every word is stored under the strings
 * it becomes with one or two letters deleted, so a lookup only generates the
 * deletions of the typed word. Ties go to the nearer word, then the more
 * frequent one, then the alphabetically first, so corrections are
 * deterministic. The deletion dictionary is built on the first lookup.
 */
#ifndef MLCOACH_SPELL_H
#define MLCOACH_SPELL_H

#include <stddef.h>

/* Words shorter than this are never corrected: too many real words lie one
 * edit away from them. */
#define SPELL_MIN 4
/* Words of at least this many letters may be two edits away. */
#define SPELL_LONG 8
/* Longer words are neither stored nor corrected. */
#define SPELL_MAX 40

struct spell;

/* An empty dictionary. Free with spell_free(). Never NULL. */
struct spell *spell_new(void);
void spell_free(struct spell *s);

/* Count one occurrence of word (len bytes, normalised form). Words with
 * characters other than a-z, or longer than SPELL_MAX, are known words but
 * never suggested as corrections. Call before the first spell_correct(). */
void spell_add(struct spell *s, const char *word, size_t len);

/* 1 if word is in the vocabulary. */
int spell_known(const struct spell *s, const char *word, size_t len);

/* 1 if word is in the system's English word lists (compiled in). */
int spell_english(const char *word, size_t len);

/* 1 if word may be corrected at all: SPELL_MIN to SPELL_MAX letters a-z,
 * not in the vocabulary and not an English word. */
int spell_correctable(const struct spell *s, const char *word, size_t len);

/* Corrections offered for one word at most. */
#define SPELL_SUGGEST 4

/* The corrections for word, into out: every vocabulary word at the nearest
 * distance spell_correct() allows, best first in its order (up to
 * SPELL_SUGGEST of them). Returns how many; 0 where spell_correct() gives
 * NULL. The words are owned by s; *dist is set to their distance when
 * there are any. */
size_t spell_suggest(struct spell *s, const char *word, size_t len,
                     const char *out[SPELL_SUGGEST], unsigned *dist);

/* Record that the knowledge writes word a (alen bytes) right before word b
 * (blen bytes): context to choose between corrections ("final say", not
 * "find say"). Words longer than SPELL_MAX are ignored. */
void spell_add_pair(struct spell *s, const char *a, size_t alen, const char *b, size_t blen);

/* 1 if spell_add_pair() recorded a right before b. */
int spell_pair(const struct spell *s, const char *a, size_t alen, const char *b, size_t blen);

/* The correction for word, or NULL when word is known (to the vocabulary or
 * the English word lists), too short, not all a-z, or has no vocabulary word
 * close enough. The result is owned by s and
 * lives as long as s; *dist is set to its edit distance. */
const char *spell_correct(struct spell *s, const char *word, size_t len, unsigned *dist);

/* 1 if spell_correct() would consider word (see above) and a suggestible
 * word lies within distance 2 of it whatever its length: a typo too garbled
 * to correct safely. The search is the deletion dictionary's: vocabulary
 * words of SPELL_LONG - 2 letters or more are found at any distance up to
 * 2, shorter ones only when word with one or two letters deleted meets
 * them or one of their single deletions. */
int spell_near(struct spell *s, const char *word, size_t len);

/* Damerau-Levenshtein distance (optimal string alignment) between a and b,
 * or max + 1 when it is larger than max. Exposed for tests. */
unsigned spell_distance(const char *a, size_t alen, const char *b, size_t blen, unsigned max);

#endif
