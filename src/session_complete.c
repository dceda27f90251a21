/* session_complete.c -- what Tab offers in a session: slash commands, topic
 * names after /topic, levels after /level, else words of the knowledge.
 * Start at session_complete().
 */
#include "session.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util.h"

/* ---- Completion ---- */

/* qsort comparison for an array of strings. */
static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Append a lower-cased copy of the len bytes at w to the vector *v. */
static void add_word(char ***v, size_t *n, size_t *cap, const char *w, size_t len)
{
    char *word = xstrndup(w, len);

    for (char *p = word; *p; p++)
        *p = (char)tolower((unsigned char)*p);
    util_grow((void **)v, cap, *n + 1, sizeof **v);
    (*v)[(*n)++] = word;
}

/* Words of at least 4 letters (bytes past ASCII count as letters). */
static void add_words(char ***v, size_t *n, size_t *cap, const char *text)
{
    for (const char *p = text; *p;) {
        size_t len = 0;

        while (p[len] && (isalnum((unsigned char)p[len]) || (unsigned char)p[len] >= 0x80 ||
                          (len && p[len] == '-' && isalnum((unsigned char)p[len + 1]))))
            len++;
        if (len >= 4)
            add_word(v, n, cap, p, len);
        p += len ? len : 1;
    }
}

/* Sort v[0..*n) and drop repeats. */
static void sort_unique(char **v, size_t *n)
{
    size_t k = 0;

    if (*n)
        qsort(v, *n, sizeof *v, cmp_str);
    for (size_t i = 0; i < *n; i++) {
        if (k && strcmp(v[k - 1], v[i]) == 0)
            free(v[i]);
        else
            v[k++] = v[i];
    }
    *n = k;
}

/* The knowledge's words for completion: every keyword word, and each word
 * of the example questions that the advice itself uses too. Examples are
 * misspelt on purpose ("mentr") to test the matcher; completion should not
 * offer those. */
static void build_vocab(struct session *s)
{
    char **known = NULL, **ex = NULL;
    size_t nknown = 0, capk = 0, nex = 0, capx = 0, cap = 0;

    for (size_t i = 0; i < s->kb->nentries; i++) {
        const struct kb_entry *e = s->kb->entry_list[i];

        for (size_t k = 0; k < e->nkeywords; k++)
            add_words(&s->vocab, &s->nvocab, &cap, e->keywords[k]);
        for (size_t k = 0; k < e->nexamples; k++)
            add_words(&ex, &nex, &capx, e->examples[k].text);
        for (int l = 0; l < KB_NLEVELS; l++)
            if (e->answers[l])
                add_words(&known, &nknown, &capk, e->answers[l]);
    }
    sort_unique(known, &nknown);
    for (size_t i = 0; i < nex; i++) {
        if (nknown && bsearch(&ex[i], known, nknown, sizeof *known, cmp_str))
            add_word(&s->vocab, &s->nvocab, &cap, ex[i], strlen(ex[i]));
        free(ex[i]);
    }
    for (size_t i = 0; i < nknown; i++)
        free(known[i]);
    free(known);
    free(ex);
    sort_unique(s->vocab, &s->nvocab);
}

/* Add before + word to c when word starts with the len bytes of prefix,
 * ignoring ASCII case (the word's own case wins in the line). */
static void offer(struct session_completion *c, const char *prefix, size_t len,
                  const char *before, const char *word)
{
    if (strncasecmp(word, prefix, len) != 0)
        return;
    util_grow((void **)&c->items, &c->cap, c->n + 1, sizeof *c->items);
    c->items[c->n] = xmalloc(strlen(before) + strlen(word) + 1);
    strcat(strcpy(c->items[c->n], before), word);
    c->n++;
}

/* The argument kind of the command this line starts with, if the word at
 * start is its first argument. */
static enum session_arg arg_kind(const char *line, size_t start)
{
    size_t n = strcspn(line + 1, " \t");
    char *name;
    const struct session_cmd *c;

    if (line[0] != '/' || start != 1 + n + strspn(line + 1 + n, " \t"))
        return SESSION_ARG_NONE;
    name = xstrndup(line + 1, n);
    c = session_cmd_find(name);
    free(name);
    return c ? c->arg : SESSION_ARG_NONE;
}

void session_complete(struct session *s, const char *line, size_t point,
                      struct session_completion *c)
{
    size_t start = point;
    const char *w;
    size_t len;

    while (start > 0 && line[start - 1] != ' ' && line[start - 1] != '\t')
        start--;
    c->start = start;
    w = line + start;
    len = point - start;
    if (start == 0 && line[0] == '/') {
        for (const struct session_cmd *k = session_cmds; k->name; k++)
            offer(c, w + 1, len - 1, "/", k->name);
        return;
    }
    switch (arg_kind(line, start)) {
    case SESSION_ARG_TOPIC:
        for (size_t i = 0; i < KB_NTOPICS; i++)
            offer(c, w, len, "", kb_topic_names[i]);
        return;
    case SESSION_ARG_LEVEL:
        for (int i = 0; i < KB_NLEVELS; i++)
            offer(c, w, len, "", kb_level_name((enum kb_level)i));
        return;
    case SESSION_ARG_NONE:
        break;
    }
    if (line[0] == '/' || len == 0)
        return;
    if (!s->vocab)
        build_vocab(s);
    for (size_t i = 0; i < s->nvocab; i++)
        offer(c, w, len, "", s->vocab[i]);
}

void session_completion_free(struct session_completion *c)
{
    for (size_t i = 0; i < c->n; i++)
        free(c->items[i]);
    free(c->items);
    *c = (struct session_completion){0};
}
