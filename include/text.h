/* text.h -- turning raw question bytes into the one normalised form that
 * patterns, keywords and the word index all see.
 *
 * The normalised form: NFKC, case-folded, accents stripped; every character
 * that is not a letter or digit becomes a space; contractions and chat
 * spellings expanded from a table ("don't" -> "do not", "u" -> "you"); single
 * spaces, no leading or trailing space. Start reading at text_normalise().
 */
#ifndef MLCOACH_TEXT_H
#define MLCOACH_TEXT_H

#include <stddef.h>

#include "util.h"

struct text;

/* Create a normaliser (it owns a Snowball English stemmer and scratch
 * buffers, reused by every call). Free with text_free(). Never NULL. */
struct text *text_new(void);
void text_free(struct text *t);

/* Normalise len bytes at in and store the result in out (replacing what it
 * held). Bytes that are not valid UTF-8 are dropped (read as a space).
 * Returns 0, or 1 when invalid UTF-8 was dropped. Allocates only when out or
 * the scratch buffers must grow. in must not point into out. */
int text_normalise(struct text *t, const char *in, size_t len, struct sbuf *out);

/* Stem one normalised word of len bytes. Returns a pointer to the stem, valid
 * until the next call on t, and its length in *stem_len. */
const char *text_stem(struct text *t, const char *word, size_t len, size_t *stem_len);

/* 1 if the normalised word is a stop word (carries no topic signal). */
int text_is_stopword(const char *word, size_t len);

/* Iterate over the words of a normalised string: set *p to the string first;
 * each call returns the next word and its length in *len, or NULL at the end. */
const char *text_next_word(const char **p, size_t *len);

#endif
