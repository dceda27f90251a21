/* diag.c -- collected diagnostics. See include/diag.h. */
#include "diag.h"

#include <stdlib.h>

void diag_add(struct diag *d, const char *file, unsigned line, unsigned col,
              const char *fmt, ...)
{
    struct sbuf b = {0};
    va_list ap;

    sbuf_puts(&b, file);
    if (line)
        sbuf_printf(&b, ":%u", line);
    if (line && col)
        sbuf_printf(&b, ":%u", col);
    sbuf_puts(&b, ": ");
    va_start(ap, fmt);
    sbuf_vprintf(&b, fmt, ap);
    va_end(ap);
    util_grow((void **)&d->msgs, &d->cap, d->n + 1, sizeof *d->msgs);
    d->msgs[d->n++] = sbuf_detach(&b);
}

void diag_free(struct diag *d)
{
    for (size_t i = 0; i < d->n; i++)
        free(d->msgs[i]);
    free(d->msgs);
    d->msgs = NULL;
    d->n = d->cap = 0;
}
