/* lint.h -- warnings about knowledge that loads, and may pass `check`, but
 * can misbehave on some question (patterns that backtrack catastrophically:
 * lint_patterns) or has a shape no author can read or extend (lint_shape).
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

/* The shape limits lint_shape() warns past. */
#define LINT_MAX_PATTERN_CHARS 200 /* characters of a pattern as written */
#define LINT_MAX_PATTERNS 10       /* patterns of one entry or decline */

/* Add a "FILE:LINE:COL: warning: ..." message naming the entry to d for
 * every entry and decline of kb with more than LINT_MAX_PATTERNS patterns
 * (at the entry), every pattern whose text as written is longer than
 * LINT_MAX_PATTERN_CHARS characters (at the pattern), and every group of a
 * pattern whose alternatives are mostly words of one concept of
 * concepts.yml, at least two of them and more than half (at its '('; the
 * message says which ~concept to use). An alternative counts when it is
 * plain words (letters, digits, single spaces) or plain words followed by
 * "s?". The scope lists `signal` and `anchor` are never suggested.
 * Returns the number of warnings added. */
size_t lint_shape(const struct kb *kb, struct diag *d);

#endif
