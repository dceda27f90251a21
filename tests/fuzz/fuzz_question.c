/* fuzz_question.c -- libFuzzer target for the question path.
 *
 * The input is a question, any bytes at all: it is matched against the
 * built-in knowledge, turned into a reply, and rendered as JSON and as text
 * (with --explain on) into memory. Besides crashes and sanitizer reports,
 * two properties abort the run: every JSON line must parse, and the text
 * must hold no control character, stray escape or invalid UTF-8 that a
 * terminal could act on. The level, width and colour come from the input's
 * size, so the corpus files stay plain questions.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "kb.h"
#include "match.h"
#include "render.h"
#include "reply.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct kb *kb;
static struct matcher *matcher;

static void cleanup(void)
{
    match_free(matcher);
    kb_free(kb);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    struct diag d = {0};

    (void)argc, (void)argv;
    kb = kb_load_builtin(&d);
    matcher = kb ? match_new(kb, 1, &d) : NULL;
    diag_free(&d);
    if (!matcher)
        abort();
    atexit(cleanup);
    return 0;
}

/* Every line of the n bytes at s is one JSON object. */
static void check_json(const char *s, size_t n)
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

/* Length of the UTF-8 sequence at s that a terminal shows as text, or 0
 * for anything else: C0 and C1 controls, DEL, invalid or overlong bytes. */
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

/* Text output holds nothing a terminal would act on, apart from the
 * colour codes render.c itself writes when color is set. */
static void check_text(const char *s, size_t n, int color)
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

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct render_opts o = {size / 3 % 4 ? 20 + (unsigned)(size / 3 % 100) : 0, size / 7 % 2};
    enum kb_level level = (enum kb_level)(size % KB_NLEVELS);
    char *q = malloc(size + 1), *buf = NULL;
    size_t len = 0;
    struct match_result r;
    struct reply rep;
    FILE *out;

    if (!q)
        return 0;
    /* The question as the command line passes it: NUL-terminated. */
    memcpy(q, data, size);
    q[size] = '\0';
    match_question(matcher, q, size, level, &r);
    reply_build(kb, &r, q, level, &rep);
    rep.explain = 1;

    out = open_memstream(&buf, &len);
    if (!out || render_json(out, &rep) != 0 || fclose(out) != 0)
        abort();
    check_json(buf, len);
    free(buf);

    out = open_memstream(&buf, &len);
    if (!out || render_text(out, &rep, &o) != 0 || fclose(out) != 0)
        abort();
    check_text(buf, len, o.color);
    free(buf);
    free(q);
    return 0;
}
