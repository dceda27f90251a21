/* fuzz_question.c -- libFuzzer target for the question path.
 *
 * The input is a question, any bytes at all: it is matched against the
 * built-in knowledge, turned into a reply, and rendered as JSON and as text
 * (with --explain on) into memory. Besides crashes and sanitizer reports,
 * two properties abort the run (oracle.h): every JSON line must parse, and
 * the text must hold no control character, stray escape or invalid UTF-8
 * that a terminal could act on. The level, width and colour come from the
 * input's size, so the corpus files stay plain questions.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kb.h"
#include "match.h"
#include "oracle.h"
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

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct render_opts o = {.width = size / 3 % 4 ? 20 + (unsigned)(size / 3 % 100) : 0,
                            .color = size / 7 % 2};
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
    oracle_json_lines(buf, len);
    free(buf);

    out = open_memstream(&buf, &len);
    if (!out || render_text(out, &rep, &o) != 0 || fclose(out) != 0)
        abort();
    oracle_text(buf, len, o.color);
    free(buf);
    free(q);
    return 0;
}
