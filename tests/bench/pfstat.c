/* pfstat.c -- how much the prefilter saves: for a knowledge directory (or
 * the built-in copy) and questions on stdin, print the number of patterns,
 * how many are always tried, and how many are tried per question on
 * average, with and without the prefilter. Built and run by `make bench`.
 *
 * usage: pfstat [KBDIR] < questions
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kb.h"
#include "prefilter.h"
#include "text.h"

static struct kb *load(const char *dir)
{
    struct diag d = {0};
    int missing;
    struct kb *kb = dir ? kb_load_dir(dir, &d, &missing) : kb_load_builtin(&d);

    for (size_t i = 0; i < d.n; i++)
        fprintf(stderr, "%s\n", d.msgs[i]);
    diag_free(&d);
    return kb;
}

int main(int argc, char **argv)
{
    struct kb *kb = load(argc > 1 ? argv[1] : NULL);
    struct prefilter *pf = prefilter_new();
    struct text *t = text_new();
    struct sbuf norm = {0};
    char *line = NULL;
    size_t cap = 0, npats, always, questions = 0, tried = 0;
    ssize_t got;

    if (!kb)
        return 1;
    for (size_t i = 0; i < kb->nentries; i++)
        for (size_t k = 0; k < kb->entry_list[i]->npatterns; k++)
            prefilter_add(pf, kb->entry_list[i]->patterns[k].src);
    npats = prefilter_count(pf, &always);
    while ((got = getline(&line, &cap, stdin)) > 0) {
        text_normalise(t, line, (size_t)got, &norm);
        tried += prefilter_run(pf, norm.s, norm.len, npats);
        questions++;
    }
    printf("patterns %zu always %zu questions %zu tried_per_question %.1f\n", npats, always,
           questions, questions ? (double)tried / (double)questions : 0.0);
    free(line);
    sbuf_free(&norm);
    text_free(t);
    prefilter_free(pf);
    kb_free(kb);
    return 0;
}
