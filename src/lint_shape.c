/* lint_shape.c -- warnings about knowledge an author can no longer read or
 * extend: a pattern too long, an inline alternation that spells out a
 * concept, an entry with too many patterns (issue 17, point 3). See
 * lint_shape() in lint.h; start at the tables entry_checks[] and
 * pattern_checks[] at the bottom.
 */
#include "lint.h"

#include <stdlib.h>
#include <string.h>

#include <uthash.h>

#include "lint_internal.h"

/* Concepts that are scope lists rather than vocabulary, never suggested:
 * `signal` (every word of ML work and careers, for the scope test) and
 * `anchor` (the words that keep a question from being declined as
 * everyday life). A few of their words in a group ("ml|ai") do not mean
 * what the whole list means. */
static const char *const scope_concepts[] = {"signal", "anchor"};

/* A concept word, and the concepts that list it (indexes into
 * shape.concepts). */
struct cword {
    char *word;
    size_t *of;
    size_t n, cap;
    UT_hash_handle hh;
};

struct shape {
    const struct kb *kb;
    struct diag *d;
    const struct kb_concept **concepts; /* every concept but the scope lists, by name */
    size_t nconcepts;
    struct cword *words;                /* hash by word */
};

static int is_scope_list(const struct kb_concept *c)
{
    for (size_t i = 0; i < sizeof scope_concepts / sizeof *scope_concepts; i++)
        if (strcmp(c->name, scope_concepts[i]) == 0)
            return 1;
    return 0;
}

static int by_name(const void *a, const void *b)
{
    return strcmp((*(const struct kb_concept *const *)a)->name,
                  (*(const struct kb_concept *const *)b)->name);
}

/* Index the words of every concept (sorted by name, so that a tie between
 * two concepts always goes to the same one). */
static void shape_init(struct shape *s)
{
    size_t n = HASH_COUNT(s->kb->concepts);

    s->concepts = xcalloc(n ? n : 1, sizeof *s->concepts);
    for (const struct kb_concept *c = s->kb->concepts; c; c = c->hh.next)
        if (!is_scope_list(c))
            s->concepts[s->nconcepts++] = c;
    qsort(s->concepts, s->nconcepts, sizeof *s->concepts, by_name);
    for (size_t i = 0; i < s->nconcepts; i++)
        for (size_t k = 0; k < s->concepts[i]->nwords; k++) {
            const char *w = s->concepts[i]->words[k];
            struct cword *x = NULL;

            HASH_FIND_STR(s->words, w, x);
            if (!x) {
                x = xcalloc(1, sizeof *x);
                x->word = xstrdup(w);
                HASH_ADD_KEYPTR(hh, s->words, x->word, strlen(x->word), x);
            }
            if (x->n && x->of[x->n - 1] == i)
                continue; /* listed twice in one concept */
            util_grow((void **)&x->of, &x->cap, x->n + 1, sizeof *x->of);
            x->of[x->n++] = i;
        }
}

static void shape_free(struct shape *s)
{
    struct cword *x, *tmp;

    HASH_ITER(hh, s->words, x, tmp) {
        HASH_DEL(s->words, x);
        free(x->word);
        free(x->of);
        free(x);
    }
    free(s->concepts);
}

/* Characters (UTF-8 code points) of s. */
static size_t chars(const char *s)
{
    size_t n = 0;

    for (; *s; s++)
        n += ((unsigned char)*s & 0xC0) != 0x80;
    return n;
}

/* ---- An alternation that repeats a concept. ---- */

/* The concept words an alternative (n bytes at a) stands for, in *w (lower
 * case, at most size - 1 bytes): the alternative itself when it is plain
 * words (letters, digits, single spaces; spaces around it are dropped), and
 * for "words?" both "words" and "word". Returns how many (0: not plain). */
static int alternative_words(const char *a, size_t n, char w[2][64])
{
    int optional_s = 0;

    while (n && a[0] == ' ')
        a++, n--;
    while (n && a[n - 1] == ' ')
        n--;
    if (n > 2 && a[n - 1] == '?' && (a[n - 2] == 's' || a[n - 2] == 'S')) {
        optional_s = 1;
        n--;
    }
    if (!n || n >= 64)
        return 0;
    for (size_t i = 0; i < n; i++) {
        char c = a[i] >= 'A' && a[i] <= 'Z' ? (char)(a[i] - 'A' + 'a') : a[i];

        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
              (c == ' ' && i && a[i - 1] != ' ')))
            return 0;
        w[0][i] = w[1][i] = c;
    }
    w[0][n] = '\0';
    if (!optional_s)
        return 1;
    w[1][n - 1] = '\0';
    return 2;
}

/* How the alternatives of one group fall into concepts. */
struct tally {
    size_t alternatives;
    size_t *hits; /* hits[i]: alternatives that are words of concepts[i] */
};

/* Whether word x (may be NULL) is a word of concept c. */
static int lists(const struct cword *x, size_t c)
{
    for (size_t j = 0; x && j < x->n; j++)
        if (x->of[j] == c)
            return 1;
    return 0;
}

/* Count the alternative of n bytes at a into t. */
static void count_alternative(const struct shape *s, struct tally *t, const char *a, size_t n)
{
    char w[2][64];
    int nw = alternative_words(a, n, w);
    struct cword *x[2] = {NULL, NULL};

    t->alternatives++;
    for (int k = 0; k < nw; k++)
        HASH_FIND_STR(s->words, w[k], x[k]);
    for (size_t c = 0; c < s->nconcepts; c++)
        t->hits[c] += lists(x[0], c) || lists(x[1], c); /* "mentors?" counts once */
}

/* The length of the escape or character class at r, or 0 when r starts
 * neither: what a scan steps over whole, parentheses and bars in it
 * included. */
static size_t opaque_len(const char *r)
{
    return *r == '\\' ? lint_escape_len(r) : *r == '[' ? lint_class_len(r) : 0;
}

/* The length of the group at r (r[0] is '('), up to and with its ')', or
 * the rest of r when it is not closed. */
static size_t group_len(const char *r)
{
    size_t i = 1, depth = 1, skip;

    while (r[i] && depth) {
        if ((skip = opaque_len(r + i))) {
            i += skip;
            continue;
        }
        if (r[i] == '(')
            depth++;
        else if (r[i] == ')')
            depth--;
        i++;
    }
    return i;
}

/* Where the alternatives of the group at r start: after "(", "(?:", "(?>",
 * a lookaround's "(?=" and the like, or a name "(?<name>". */
static size_t group_body(const char *r)
{
    size_t i = 1;

    if (r[1] != '?')
        return 1;
    i = 2;
    if (r[i] && strchr(":>=!|", r[i]))
        return i + 1;
    if (r[i] == '<' && (r[i + 1] == '=' || r[i + 1] == '!'))
        return i + 2;
    if (r[i] == 'P')
        i++;
    if (r[i] == '<' || r[i] == '\'') {
        while (r[i] && r[i] != '>' && r[i] != '\'' && r[i] != ')')
            i++;
        return r[i] ? i + 1 : i;
    }
    while (r[i] && r[i] != ':' && r[i] != ')')
        i++; /* inline flags, "(?i:" or "(?i)" */
    return r[i] == ':' ? i + 1 : i;
}

/* The concept most alternatives of g[start..end) (a group's inside, or a
 * whole pattern) are words of, when at least two are and they are more
 * than half; else -1. *hits and *of say how many of how many. */
static long repeated_concept(const struct shape *s, const char *g, size_t start, size_t end,
                             size_t *hits, size_t *of)
{
    struct tally t = {0, xcalloc(s->nconcepts ? s->nconcepts : 1, sizeof *t.hits)};
    size_t i = start;
    long best = -1;

    while (i <= end) {
        size_t skip = i < end ? opaque_len(g + i) : 0;

        if (skip) {
            i += skip;
        } else if (i < end && g[i] == '(') {
            i += group_len(g + i);
        } else if (i == end || g[i] == '|') {
            count_alternative(s, &t, g + start, i - start);
            start = ++i;
        } else {
            i++;
        }
    }
    for (size_t c = 0; c < s->nconcepts; c++)
        if (t.hits[c] >= 2 && 2 * t.hits[c] > t.alternatives &&
            (best < 0 || t.hits[c] > t.hits[best] ||
             (t.hits[c] == t.hits[best] && s->concepts[c]->nwords < s->concepts[best]->nwords)))
            best = (long)c;
    *hits = best >= 0 ? t.hits[best] : 0;
    *of = t.alternatives;
    free(t.hits);
    return best;
}

/* Warn about the alternatives of p->src[start..end) if they repeat a
 * concept, at the column of offset at. Returns the warnings added. */
static size_t warn_repeated(struct shape *s, const struct kb_entry *e, const struct kb_pattern *p,
                            size_t at, size_t start, size_t end)
{
    size_t hits, of;
    long c = repeated_concept(s, p->src, start, end, &hits, &of);

    if (c < 0)
        return 0;
    diag_add(s->d, p->mark.file, p->mark.line, kb_pattern_col(p, at),
             "warning: an alternation in a pattern of entry '%s' repeats a concept (%zu of "
             "its %zu alternatives are words of ~%s): use ~%s", e->id, hits, of,
             s->concepts[c]->name, s->concepts[c]->name);
    return 1;
}

/* Every group of the pattern, and the pattern itself, whose alternatives
 * repeat a concept; a group that does is not looked into further. */
static size_t check_alternation(struct shape *s, const struct kb_entry *e,
                                const struct kb_pattern *p)
{
    const char *r = p->src;
    size_t i = 0, n = strlen(r), warnings = warn_repeated(s, e, p, 0, 0, n);

    if (warnings)
        return warnings;
    while (i < n) {
        size_t len, end, found, skip = opaque_len(r + i);

        if (skip || r[i] != '(') {
            i += skip ? skip : 1;
            continue;
        }
        len = group_len(r + i);
        end = r[i + len - 1] == ')' ? i + len - 1 : i + len;
        found = warn_repeated(s, e, p, i, i + group_body(r + i), end);
        warnings += found;
        /* A group that repeats a concept is skipped whole; any other is
         * looked into, its inner groups in turn. */
        i += found ? len : 1;
    }
    return warnings;
}

/* ---- Length and number of patterns. ---- */

static size_t check_length(struct shape *s, const struct kb_entry *e, const struct kb_pattern *p)
{
    size_t n = chars(p->src);

    if (n <= LINT_MAX_PATTERN_CHARS)
        return 0;
    diag_add(s->d, p->mark.file, p->mark.line, p->mark.col,
             "warning: a pattern of entry '%s' is %zu characters long (over %d): split it "
             "into short patterns over concepts", e->id, n, LINT_MAX_PATTERN_CHARS);
    return 1;
}

static size_t check_count(struct shape *s, const struct kb_entry *e)
{
    if (e->npatterns <= LINT_MAX_PATTERNS)
        return 0;
    diag_add(s->d, e->mark.file, e->mark.line, e->mark.col,
             "warning: entry '%s' has %zu patterns (over %d): merge them with concepts and "
             "let its examples find the rest", e->id, e->npatterns, LINT_MAX_PATTERNS);
    return 1;
}

/* The checks. Each adds its warnings to s->d and returns how many; every
 * check runs (one problem does not hide another). To add one, write
 * check_NAME above and list it here; lint.h says what each looks for. */
static size_t (*const entry_checks[])(struct shape *, const struct kb_entry *) = {
    check_count,
};
static size_t (*const pattern_checks[])(struct shape *, const struct kb_entry *,
                                        const struct kb_pattern *) = {
    check_length,
    check_alternation,
};

size_t lint_shape(const struct kb *kb, struct diag *d)
{
    struct shape s = {kb, d, NULL, 0, NULL};
    size_t warnings = 0;

    shape_init(&s);
    for (size_t i = 0; i < kb->nentries + kb->ndeclines; i++) {
        const struct kb_entry *e = kb_entry_at(kb, i);

        for (size_t c = 0; c < sizeof entry_checks / sizeof *entry_checks; c++)
            warnings += entry_checks[c](&s, e);
        for (size_t k = 0; k < e->npatterns; k++)
            for (size_t c = 0; c < sizeof pattern_checks / sizeof *pattern_checks; c++)
                warnings += pattern_checks[c](&s, e, &e->patterns[k]);
    }
    shape_free(&s);
    return warnings;
}
