/* diag.h -- a list of diagnostics ("FILE:LINE:COL: message") collected by the
 * knowledge loader and the pattern compiler, shown by whoever called them.
 * Library modules never print: they add to a struct diag instead.
 */
#ifndef MLCOACH_DIAG_H
#define MLCOACH_DIAG_H

#include <stddef.h>

#include "util.h"

struct diag {
    char **msgs;
    size_t n, cap;
};

/* Append one message "FILE:LINE:COL: text". line and col are 1-based; a zero
 * line leaves out LINE:COL, a zero col leaves out COL. */
void diag_add(struct diag *d, const char *file, unsigned line, unsigned col,
              const char *fmt, ...) UTIL_PRINTF(5, 6);

/* Release every message; d may be reused afterwards. */
void diag_free(struct diag *d);

#endif
