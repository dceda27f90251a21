/* oracle.c -- the output checks the fuzz targets share; see oracle.h. */
#include "oracle.h"

#include <stdlib.h>
#include <string.h>

#include <jansson.h>

void oracle_json_lines(const char *s, size_t n)
{
    const char *end = s + n;

    while (s < end) {
        const char *nl = memchr(s, '\n', (size_t)(end - s));
        json_error_t err;
        json_t *j;

        if (!nl)
            abort(); /* every object ends its line */
        j = json_loadb(s, (size_t)(nl - s), 0, &err);
        if (!json_is_object(j))
            abort();
        json_decref(j);
        s = nl + 1;
    }
}

void oracle_json_document(const char *s, size_t n)
{
    json_error_t err;
    json_t *j = json_loadb(s, n, 0, &err);

    if (!json_is_object(j))
        abort();
    json_decref(j);
}

/* Length of the UTF-8 sequence at s that a terminal shows as text, or 0
 * for anything else: C0 and C1 controls, DEL, invalid or overlong bytes.
 * Written apart from render.c's utf8_seq on purpose: an oracle that shared
 * the renderer's decoder would share its bugs. */
static size_t printable_seq(const unsigned char *s, size_t n)
{
    size_t len = s[0] < 0x80 ? 1 : (s[0] & 0xE0) == 0xC0 ? 2 : (s[0] & 0xF0) == 0xE0 ? 3
               : (s[0] & 0xF8) == 0xF0 ? 4 : 0;
    unsigned long cp;

    if (!len || len > n)
        return 0;
    cp = len == 1 ? s[0] : s[0] & (0x7F >> len);
    for (size_t i = 1; i < len; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        cp = cp << 6 | (s[i] & 0x3F);
    }
    if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
        (cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF)
        return 0;
    if ((cp < 0x20 && cp != '\n') || (cp >= 0x7F && cp < 0xA0))
        return 0;
    return len;
}

void oracle_text(const char *s, size_t n, int color)
{
    static const char *const ours[] = {"\033[0m", "\033[1m", "\033[2m"};

    for (size_t i = 0; i < n;) {
        size_t len = printable_seq((const unsigned char *)s + i, n - i);

        for (size_t k = 0; !len && color && k < sizeof ours / sizeof *ours; k++)
            if (n - i >= 4 && memcmp(s + i, ours[k], 4) == 0)
                len = 4;
        if (!len)
            abort();
        i += len;
    }
}
