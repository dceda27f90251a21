/* helpers.h -- small shared pieces for the cmocka unit tests. */
#ifndef MLCOACH_TEST_HELPERS_H
#define MLCOACH_TEST_HELPERS_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "diag.h"
#include "kb.h"

/* A valid sources.yml: document "doc" with sections "one" and "two". */
#define TEST_SOURCES                                                                       \
    "documents:\n"                                                                         \
    "  - id: doc\n"                                                                        \
    "    title: \"A Test Document\"\n"                                                     \
    "    sections:\n"                                                                      \
    "      - id: one\n"                                                                    \
    "        title: \"Section One\"\n"                                                     \
    "      - id: two\n"                                                                    \
    "        title: \"Section Two\"\n"

/* The start of a mentorship.yml: append entries. */
#define ENTRY_HEAD "topic: mentorship\nentries:\n"

/* Load TEST_SOURCES plus one topic file named name with the given text. */
static inline struct kb *load_topic(const char *name, const char *text, struct diag *d)
{
    struct kb_file files[2] = {
        {"k/sources.yml", TEST_SOURCES, sizeof TEST_SOURCES - 1},
        {name, text, strlen(text)},
    };
    return kb_load_files(files, 2, d);
}

/* Load TEST_SOURCES plus two files: name1 with text1 and name2 with text2
 * (the order topic files and special files such as concepts.yml arrive in
 * does not matter to the loader). */
static inline struct kb *load_two(const char *name1, const char *text1, const char *name2,
                                  const char *text2, struct diag *d)
{
    struct kb_file files[3] = {
        {"k/sources.yml", TEST_SOURCES, sizeof TEST_SOURCES - 1},
        {name1, text1, strlen(text1)},
        {name2, text2, strlen(text2)},
    };
    return kb_load_files(files, 3, d);
}

/* Print every message of d (a test's setup failing says why), free them,
 * and pass kb through. */
static inline struct kb *report(struct kb *kb, struct diag *d)
{
    for (size_t i = 0; i < d->n; i++)
        print_message("%s\n", d->msgs[i]);
    diag_free(d);
    return kb;
}

/* The knowledge compiled into the binary. */
static inline struct kb *load_builtin(void)
{
    struct diag d = {0};

    return report(kb_load_builtin(&d), &d);
}

/* The fixture knowledge base in tests/fixtures/kb. */
static inline struct kb *load_fixture(void)
{
    struct diag d = {0};
    int missing;

    return report(kb_load_dir(FIXTURE_KB, &d, &missing), &d);
}

/* Assert that d holds exactly one message and that it starts with want. */
#define assert_one_diag(d, want)                                                           \
    do {                                                                                   \
        if ((d)->n != 1) {                                                                 \
            for (size_t i_ = 0; i_ < (d)->n; i_++)                                         \
                print_message("diag: %s\n", (d)->msgs[i_]);                                \
        }                                                                                  \
        assert_int_equal((d)->n, 1);                                                       \
        if (strncmp((d)->msgs[0], (want), strlen(want)) != 0)                              \
            fail_msg("got  \"%s\"\nwant \"%s...\"", (d)->msgs[0], (want));                 \
    } while (0)

#endif
