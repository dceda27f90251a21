/* lint.h -- warnings about knowledge that loads, and may pass `check`, but
 * can misbehave on some question: patterns that backtrack catastrophically.
 * Warnings never make knowledge invalid; `mlcoach check` shows them.
 */
#ifndef MLCOACH_LINT_H
#define MLCOACH_LINT_H

#include "diag.h"
#include "kb.h"

/* How many characters a probe string repeats (see lint_patterns). */
#define LINT_PROBE_LEN 48

/* Add a "FILE:LINE:COL: warning: ..." message to d for every pattern of kb
 * that either repeats a group that itself repeats without bound (a nested
 * quantifier such as "(a+)+", reported at the outer quantifier), or hits
 * MATCH_LIMIT or MATCH_DEPTH_LIMIT on a probe string: LINT_PROBE_LEN copies
 * of one of the pattern's literal letters, or of that letter and a space,
 * followed by a character that fails the match. Such a pattern costs every
 * question up to the match limit and then silently never matches. Returns
 * the number of warnings added. */
size_t lint_patterns(const struct kb *kb, struct diag *d);

#endif
