/* test_knowledge.c -- guards on the shipped knowledge (the copy built into
 * the binary): coverage of topics and sections, the shape of every entry,
 * and that answers paraphrase the documents instead of copying them. */
#include "helpers.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>

#include "prefilter.h"
#include "text.h"

/* Where the source documents are, relative to the repository root; the
 * paraphrase test is skipped when they are not there. */
#ifndef SEEDS_DIR
#define SEEDS_DIR "../shared/seeds"
#endif
/* Consecutive words an answer may share with the documents, at most. */
#define MAX_SHARED_RUN 6

static struct kb *kb;

static int setup(void **state)
{
    (void)state;
    kb = load_builtin();
    return kb ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    kb_free(kb);
    return 0;
}

static void test_every_topic_has_entries(void **state)
{
    (void)state;
    assert_true(kb->nentries >= 60);
    for (size_t i = 0; i < KB_NTOPICS; i++) {
        if (kb->topic_list[i].nentries == 0)
            fail_msg("topic %s has no entries", kb->topic_list[i].name);
    }
}

static void test_every_section_cited(void **state)
{
    (void)state;
    assert_int_equal(HASH_COUNT(kb->documents), 3);
    for (const struct kb_section *s = kb->sections; s; s = s->hh.next)
        if (!s->ncited)
            fail_msg("section %s is cited by no entry", s->ref);
}

/* Sentences: ends of sentence followed by a space or the end. */
static unsigned sentences(const char *s)
{
    unsigned n = 0;

    for (; *s; s++)
        n += (*s == '.' || *s == '?' || *s == '!') && (s[1] == '\0' || s[1] == ' ' ||
                                                        s[1] == '\n');
    return n;
}

static void test_entry_shape(void **state)
{
    (void)state;
    for (size_t i = 0; i < kb->nentries; i++) {
        const struct kb_entry *e = kb->entry_list[i];

        if (e->npatterns < 3 || e->nexamples < 5 || e->nkeywords < 1)
            fail_msg("%s: %zu patterns, %zu examples, %zu keywords (want 3, 5, 1)", e->id,
                     e->npatterns, e->nexamples, e->nkeywords);
        if (strncmp(e->id, e->topic->name, strlen(e->topic->name)) != 0 ||
            e->id[strlen(e->topic->name)] != '.')
            fail_msg("%s: id does not start with its topic '%s.'", e->id, e->topic->name);
        for (int lv = 0; lv < KB_NLEVELS; lv++) {
            unsigned n = e->answers[lv] ? sentences(e->answers[lv]) : 2;

            if (n < 2 || n > 6)
                fail_msg("%s (%s): %u sentences, want 2-6", e->id, kb_level_name(lv), n);
        }
    }
}

/* Append "\n" and each run of MAX_SHARED_RUN + 1 consecutive words of the
 * normalised text norm to out. */
static void append_windows(struct sbuf *out, const char *norm)
{
    const char *starts[MAX_SHARED_RUN + 1], *p = norm, *w;
    size_t count = 0, len;

    while ((w = text_next_word(&p, &len))) {
        starts[count++ % (MAX_SHARED_RUN + 1)] = w;
        if (count > MAX_SHARED_RUN) {
            const char *first = starts[count % (MAX_SHARED_RUN + 1)];

            sbuf_putc(out, '\n');
            sbuf_append(out, first, (size_t)(w + len - first));
        }
    }
}

/* Every run of the documents' words, one per line, for strstr; NULL if the
 * documents are not there. */
static char *document_runs(struct text *tx)
{
    struct sbuf all = {0}, norm = {0}, runs = {0};
    struct dirent **names;
    int n = scandir(SEEDS_DIR, &names, NULL, alphasort);

    if (n < 0)
        return NULL;
    for (int i = 0; i < n; i++) {
        struct sbuf path = {0};
        char buf[4096];
        size_t got;
        FILE *f;

        sbuf_printf(&path, "%s/%s", SEEDS_DIR, names[i]->d_name);
        f = names[i]->d_name[0] != '.' ? fopen(path.s, "r") : NULL;
        while (f && (got = fread(buf, 1, sizeof buf, f)) > 0)
            sbuf_append(&all, buf, got);
        if (f)
            fclose(f);
        sbuf_putc(&all, '\n');
        sbuf_free(&path);
        free(names[i]);
    }
    free(names);
    text_normalise(tx, all.s, all.len, &norm);
    append_windows(&runs, norm.s);
    sbuf_putc(&runs, '\n');
    sbuf_free(&all);
    sbuf_free(&norm);
    return sbuf_detach(&runs);
}

/* Fail if text shares a run of MAX_SHARED_RUN + 1 words with the documents. */
static void expect_own_words(struct text *tx, const char *runs, const char *what,
                             const char *text)
{
    struct sbuf norm = {0}, windows = {0}, key = {0};
    const char *line, *eol;

    text_normalise(tx, text, strlen(text), &norm);
    append_windows(&windows, norm.s);
    for (line = windows.s; line && *line; line = eol) {
        eol = strchr(line + 1, '\n');
        if (!eol)
            eol = line + strlen(line);
        sbuf_reset(&key);
        sbuf_append(&key, line, (size_t)(eol - line));
        sbuf_putc(&key, '\n');
        if (strstr(runs, key.s))
            fail_msg("%s copies the documents:%s", what, key.s);
    }
    sbuf_free(&norm);
    sbuf_free(&windows);
    sbuf_free(&key);
}

static void test_answers_paraphrase_documents(void **state)
{
    struct text *tx = text_new();
    char *runs = document_runs(tx);
    struct sbuf what = {0};

    (void)state;
    if (!runs) {
        text_free(tx);
        skip();
    }
    for (size_t i = 0; i < kb->nentries; i++) {
        for (int lv = 0; lv < KB_NLEVELS; lv++) {
            const char *a = kb->entry_list[i]->answers[lv];

            if (!a)
                continue;
            sbuf_reset(&what);
            sbuf_printf(&what, "%s (%s)", kb->entry_list[i]->id, kb_level_name(lv));
            expect_own_words(tx, runs, what.s, a);
        }
    }
    sbuf_free(&what);
    free(runs);
    text_free(tx);
}

/* The self-assessment statements and their steps are our own words too. */
static void test_statements_paraphrase_documents(void **state)
{
    struct text *tx = text_new();
    char *runs = document_runs(tx);

    (void)state;
    if (!runs) {
        text_free(tx);
        skip();
    }
    assert_true(kb->nstatements >= 15);
    for (size_t i = 0; i < kb->nstatements; i++) {
        expect_own_words(tx, runs, kb->statements[i].id, kb->statements[i].text);
        expect_own_words(tx, runs, kb->statements[i].id, kb->statements[i].step);
    }
    free(runs);
    text_free(tx);
}

/* kb_builtin_keys, made at build time, describes every pattern of the
 * built-in copy as prefilter_describe() does now, in match_new()'s order. */
static void test_builtin_keys_are_current(void **state)
{
    struct sbuf keys = {0};
    size_t n = 0;

    (void)state;
    for (size_t i = 0; i < kb->nentries + kb->ndeclines; i++) {
        const struct kb_entry *e = kb_entry_at(kb, i);

        for (size_t k = 0; k < e->npatterns; k++, n++) {
            const char *re = e->patterns[k].regex;

            assert_true(n < kb_builtin_nkeys);
            prefilter_describe(re, &keys);
            assert_int_equal(kb_builtin_keys[n].len, strlen(re));
            assert_int_equal(kb_builtin_keys[n].hash, util_hash(re, strlen(re)));
            assert_string_equal(kb_builtin_keys[n].keys, keys.s);
        }
    }
    assert_int_equal(n, kb_builtin_nkeys);
    sbuf_free(&keys);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_topic_has_entries),
        cmocka_unit_test(test_every_section_cited),
        cmocka_unit_test(test_entry_shape),
        cmocka_unit_test(test_builtin_keys_are_current),
        cmocka_unit_test(test_answers_paraphrase_documents),
        cmocka_unit_test(test_statements_paraphrase_documents),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
