/* prefilter.h -- which patterns are worth running on a question.
 *
 * At load, each pattern's source is read conservatively for the literal
 * text any match must contain: a set of alternative keys, at least one of
 * which must occur in the normalised question. A key is a run of ASCII
 * letters and digits, marked by what bounds it: a whole word, a word
 * prefix, a word suffix, or anywhere inside a word. The keys are indexed
 * (a trie), so finding the candidates for a question costs a few lookups
 * per question word, not one regex run per pattern. A pattern with no key
 * it can prove (anything unusual in its syntax) is always a candidate.
 *
 * The answer is exact, never approximate: a pattern left out could not
 * have matched. Patterns run against text_normalise() output (lower case,
 * letters and digits, single spaces) and are compiled caseless; both are
 * assumed here.
 */
#ifndef MLCOACH_PREFILTER_H
#define MLCOACH_PREFILTER_H

#include <stddef.h>

#include "util.h"

struct prefilter;

/* ---- Building ---------------------------------------------------------- */

/* An empty prefilter. Never NULL; free with prefilter_free(). */
struct prefilter *prefilter_new(void);
void prefilter_free(struct prefilter *pf);

/* Add the pattern source src (PCRE2 syntax) under the next id: the first
 * pattern added is id 0, the next 1, and so on. src must stay valid until
 * the index is built (at the second prefilter_run or prefilter_count). */
void prefilter_add(struct prefilter *pf, const char *src);

/* prefilter_add(), with keys: the text prefilter_describe() wrote for src
 * earlier (when mlcoach was built, for its built-in knowledge), which the
 * first run of a prefilter that chooses first then reads instead of src.
 * keys must stay valid until the index is built; NULL, or a text that is
 * not prefilter_describe()'s, is as if it were not given. */
void prefilter_add_described(struct prefilter *pf, const char *src, const char *keys);

/* Choose candidates on the first prefilter_run too, instead of returning
 * every pattern: for a caller to whom trying every pattern once costs more
 * than reading them all (patterns not yet compiled). The first run then
 * reads each pattern's keys straight against the question, which costs
 * less than building the index; the index is still built on the second. */
void prefilter_choose_first(struct prefilter *pf);

/* How common a word is in questions: the share (0 to 1) of questions that
 * hold the len bytes at w as a whole word, as best the caller can tell. */
typedef double prefilter_share_fn(void *ctx, const char *w, size_t len);

/* Weigh keys by share() when the index is built: a pattern is filed under
 * its clause of rarest keys, and its other clauses are checked rarest first.
 * Without it, keys are judged by their length and kind alone, so a pattern
 * needing "ml" and "options" may be filed under "ml", which nearly every
 * question holds. Only which patterns are looked at first changes, never
 * which can match. Call before the second prefilter_run. */
void prefilter_set_share(struct prefilter *pf, prefilter_share_fn *share, void *ctx);

/* ---- Asking ------------------------------------------------------------ */

/* Find the patterns that could match norm (len bytes of normalised text)
 * and return how many there are; prefilter_id() reads them, ascending.
 * With pf NULL, every one of npats patterns is a candidate, so a caller
 * can switch the prefilter off by passing NULL. The first call also
 * returns every pattern (unless prefilter_choose_first): building the index
 * costs more than trying every compiled pattern once, so it is built (and
 * memory allocated) on the second call, and never again after that. */
size_t prefilter_run(struct prefilter *pf, const char *norm, size_t len, size_t npats);

/* The k-th candidate of the last prefilter_run(), k < its result. */
size_t prefilter_id(const struct prefilter *pf, size_t k);

/* ---- Inspecting -------------------------------------------------------- */

/* Write to out (replacing its text) the keys pattern src requires: its
 * clauses (every one holds for any match) joined by " & ", each clause's
 * keys (one of which occurs) joined by " | " and, when there are several
 * clauses, a clause of several keys in parentheses: "(find | get) & mentor*".
 * A key is "word" for a whole word, "pre*" for a word prefix, "*suf" for a
 * word suffix, "*in*" for text anywhere; letters and digits only. Empty
 * when the pattern is always tried. tools/pfkeys.c writes this text for
 * the built-in knowledge and prefilter_add_described() reads it back; tests
 * and `make bench` show it. */
void prefilter_describe(const char *src, struct sbuf *out);

/* How many patterns were added, and how many of them are always tried. */
size_t prefilter_count(struct prefilter *pf, size_t *always);

#endif
