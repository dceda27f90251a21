/* render_internal.h -- what render.c and render_json.c share; not for
 * other modules. */
#ifndef MLCOACH_RENDER_INTERNAL_H
#define MLCOACH_RENDER_INTERNAL_H

#include <stddef.h>
#include <stdio.h>

#include <jansson.h>

/* Length of the valid UTF-8 sequence at s (n bytes left, n > 0), or 0 for
 * an invalid one (overlong, a surrogate, past U+10FFFF) or a NUL byte. */
size_t render_utf8_seq(const unsigned char *s, size_t n);

/* Write obj (consumed) compactly as one line. Returns 0, or -1 if it could
 * not be written. */
int render_json_line(FILE *out, json_t *obj);

#endif
