/* fuzz_kb.c -- libFuzzer target for the knowledge loader.
 *
 * The first byte picks which file the rest of the input becomes (a topic
 * file, concepts.yml or sources.yml); the other files are small valid ones.
 * The input is loaded with kb_load_files, its patterns compiled with
 * match_new, two fixed questions matched against it, check's shape warnings
 * (lint_shape) taken, and everything freed.
 * Any crash, sanitizer report or leak is a finding. Built with libFuzzer by
 * `make fuzz`, and with tests/fuzz/replay.c by `make test`.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "kb.h"
#include "lint.h"
#include "match.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char sources[] =
    "documents:\n"
    "  - id: doc\n"
    "    title: \"A Document\"\n"
    "    sections:\n"
    "      - id: one\n"
    "        title: \"Section One\"\n"
    "      - id: two\n"
    "        title: \"Section Two\"\n";

static const char concepts[] =
    "concepts:\n"
    "  mentor: [mentor, mentors, coach]\n"
    "  signal: [career, mentor, ml]\n";

static const char topic[] =
    "topic: mentorship\n"
    "entries:\n"
    "  - id: mentorship.find\n"
    "    patterns:\n"
    "      - '\\bfind\\b.*~mentor'\n"
    "    keywords: [mentor]\n"
    "    examples: [how do i find a mentor]\n"
    "    answer: Ask at meetups.\n"
    "    sources: [doc#one]\n"
    "    related: [mentorship.be]\n"
    "  - id: mentorship.be\n"
    "    patterns: ['\\bbecome\\b.*~mentor']\n"
    "    answers:\n"
    "      junior: Learn first.\n"
    "      senior: Teach.\n"
    "    sources: [doc#two]\n";

/* Which of the three files the input replaces. */
enum { AS_TOPIC, AS_CONCEPTS, AS_SOURCES, NMODES };

static const char *const questions[] = {
    "how do I find a mentor?",
    "how can i become a mentor and what about my career",
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct kb_file files[3] = {
        {"fuzz/sources.yml", sources, sizeof sources - 1},
        {"fuzz/concepts.yml", concepts, sizeof concepts - 1},
        {"fuzz/mentorship.yml", topic, sizeof topic - 1},
    };
    static const int slot[NMODES] = {[AS_TOPIC] = 2, [AS_CONCEPTS] = 1, [AS_SOURCES] = 0};
    struct diag d = {0};
    struct kb *kb;
    struct matcher *m;
    char *text;

    if (size == 0)
        return 0;
    /* The loader is given a NUL-terminated copy, as read_file() makes. */
    text = malloc(size);
    if (!text)
        return 0;
    memcpy(text, data + 1, size - 1);
    text[size - 1] = '\0';
    files[slot[data[0] % NMODES]].text = text;
    files[slot[data[0] % NMODES]].len = size - 1;
    kb = kb_load_files(files, 3, &d);
    m = kb ? match_new(kb, data[0] & 0x80, &d) : NULL;
    for (size_t i = 0; m && i < sizeof questions / sizeof *questions; i++) {
        struct match_result r;

        match_question(m, questions[i], strlen(questions[i]), KB_LEVEL_ANY, &r);
    }
    /* check's shape warnings read every pattern's text as written. */
    if (m)
        lint_shape(kb, &d);
    match_free(m);
    kb_free(kb);
    diag_free(&d);
    free(text);
    return 0;
}
