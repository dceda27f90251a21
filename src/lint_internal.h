/* lint_internal.h -- what lint.c and lint_shape.c share: reading a regex
 * one token at a time. Not for other modules. */
#ifndef MLCOACH_LINT_INTERNAL_H
#define MLCOACH_LINT_INTERNAL_H

#include <stddef.h>

/* Length of the escape at r (r[0] is '\\'), braces and all ("\p{L}"). */
size_t lint_escape_len(const char *r);

/* Length of the character class at r (r[0] is '['), up to its ']'. */
size_t lint_class_len(const char *r);

#endif
