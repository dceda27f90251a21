/* spell.c -- the vocabulary, the deletion dictionary and spell_correct().
 *
 * Start at spell_correct(): it generates the typed word's deletions, looks
 * each up in the deletion dictionary (built once by build_deletions()), and
 * checks every vocabulary word found with the true edit distance. The
 * dictionary lives in three flat arrays sized before they are filled, so
 * building it costs a handful of allocations, not one per key.
 */
#include "spell.h"

#include <stdlib.h>
#include <string.h>

#include <uthash.h>

#include "util.h"

/* Vocabulary words shorter than this are never suggested. */
#define TARGET_MIN (SPELL_MIN - 1)

struct vword {
    char *word;
    size_t len;
    unsigned freq;
    int target;        /* may be suggested: a-z only, TARGET_MIN..SPELL_MAX */
    UT_hash_handle hh;
};

/* One deletion key and the first vocabulary word stored under it; more
 * words under the same key are chained through spell.next. */
struct deletion {
    const char *key;
    size_t first;      /* index into spell.targets */
    UT_hash_handle hh;
};

/* Two words the knowledge writes one after the other, as "first second". */
struct pair {
    UT_hash_handle hh;
    char key[];
};

struct spell {
    struct vword *vocab;          /* hash by word */
    struct pair *pairs;           /* hash by key */
    struct vword **targets;       /* suggestible words, once built */
    size_t ntargets;
    struct deletion *dels;        /* hash by key */
    struct deletion *pool;        /* every deletion record */
    size_t npool;
    size_t *next;                 /* chain of words per key: next[word] */
    size_t *link;                 /* link[record] = word of that record */
    char *keys;                   /* every key, NUL-terminated, back to back */
    int built;
};

#define NONE ((size_t)-1)

struct spell *spell_new(void)
{
    return xcalloc(1, sizeof(struct spell));
}

void spell_free(struct spell *s)
{
    struct vword *w, *tmp;
    struct pair *p, *ptmp;

    if (!s)
        return;
    HASH_ITER(hh, s->vocab, w, tmp) {
        HASH_DEL(s->vocab, w);
        free(w->word);
        free(w);
    }
    HASH_CLEAR(hh, s->dels);
    HASH_ITER(hh, s->pairs, p, ptmp) {
        HASH_DEL(s->pairs, p);
        free(p);
    }
    free(s->pool);
    free(s->link);
    free(s->next);
    free(s->keys);
    free(s->targets);
    free(s);
}

static int all_letters(const char *w, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if (w[i] < 'a' || w[i] > 'z')
            return 0;
    return len > 0;
}

void spell_add(struct spell *s, const char *word, size_t len)
{
    struct vword *w = NULL;

    HASH_FIND(hh, s->vocab, word, (unsigned)len, w);
    if (!w) {
        w = xcalloc(1, sizeof *w);
        w->word = xstrndup(word, len);
        w->len = len;
        w->target = len >= TARGET_MIN && len <= SPELL_MAX && all_letters(word, len);
        HASH_ADD_KEYPTR(hh, s->vocab, w->word, (unsigned)len, w);
    }
    w->freq++;
}

int spell_known(const struct spell *s, const char *word, size_t len)
{
    struct vword *w = NULL;

    HASH_FIND(hh, s->vocab, word, (unsigned)len, w);
    return w != NULL;
}

/* Distance-two deletions are kept for words at least this long: a word two
 * edits from one of SPELL_LONG letters has at least SPELL_LONG - 2. */
static int keeps_two(size_t len)
{
    return len >= SPELL_LONG - 2;
}

/* How many keys a word of len letters is stored under (itself included). */
static size_t nkeys(size_t len)
{
    return 1 + len + (keeps_two(len) ? len * (len - 1) / 2 : 0);
}

/* Store the key held at s->keys + at (len bytes) for word t, unless the same
 * word is already stored under it (deleting either of two equal letters
 * gives the same key). */
static void store(struct spell *s, size_t at, size_t len, size_t t)
{
    struct deletion *d = NULL;
    const char *key = s->keys + at;

    HASH_FIND(hh, s->dels, key, (unsigned)len, d);
    if (d) {
        for (size_t i = d->first; i != NONE; i = s->next[i])
            if (s->link[i] == t)
                return;
        s->link[s->npool] = t;
        s->next[s->npool] = d->first;
        d->first = s->npool++;
        return;
    }
    d = &s->pool[s->npool];
    d->key = key;
    d->first = s->npool;
    s->link[s->npool] = t;
    s->next[s->npool++] = NONE;
    HASH_ADD_KEYPTR(hh, s->dels, d->key, (unsigned)len, d);
}

/* Write word w (len bytes) without the letters at i and j (j < 0: only i;
 * i < 0: none) at *at in the key arena and store it for target t. */
static void store_without(struct spell *s, size_t *at, const char *w, size_t len,
                          long i, long j, size_t t)
{
    size_t n = 0, start = *at;

    for (long k = 0; k < (long)len; k++)
        if (k != i && k != j)
            s->keys[start + n++] = w[k];
    s->keys[start + n] = '\0';
    *at += n + 1;
    store(s, start, n, t);
}

static void build_deletions(struct spell *s)
{
    struct vword *w, *tmp;
    size_t records = 0, bytes = 0, at = 0;

    s->built = 1;
    HASH_ITER(hh, s->vocab, w, tmp) {
        if (!w->target)
            continue;
        records += nkeys(w->len);
        bytes += nkeys(w->len) * (w->len + 1);
        s->ntargets++;
    }
    s->targets = xcalloc(s->ntargets ? s->ntargets : 1, sizeof *s->targets);
    s->pool = xcalloc(records ? records : 1, sizeof *s->pool);
    s->link = xcalloc(records ? records : 1, sizeof *s->link);
    s->next = xcalloc(records ? records : 1, sizeof *s->next);
    s->keys = xmalloc(bytes ? bytes : 1);
    s->ntargets = 0;
    HASH_ITER(hh, s->vocab, w, tmp) {
        size_t t = s->ntargets;

        if (!w->target)
            continue;
        s->targets[s->ntargets++] = w;
        store_without(s, &at, w->word, w->len, -1, -1, t);
        for (long i = 0; i < (long)w->len; i++) {
            store_without(s, &at, w->word, w->len, i, -1, t);
            for (long j = i + 1; keeps_two(w->len) && j < (long)w->len; j++)
                store_without(s, &at, w->word, w->len, i, j, t);
        }
    }
}

unsigned spell_distance(const char *a, size_t alen, const char *b, size_t blen, unsigned max)
{
    unsigned rows[3][SPELL_MAX + 3];
    unsigned *prev2 = rows[0], *prev = rows[1], *cur = rows[2];

    if (alen > SPELL_MAX + 1 || blen > SPELL_MAX + 1)
        return max + 1;
    if ((alen > blen ? alen - blen : blen - alen) > max)
        return max + 1;
    for (size_t j = 0; j <= blen; j++)
        prev[j] = (unsigned)j;
    for (size_t i = 1; i <= alen; i++) {
        unsigned best = cur[0] = (unsigned)i;

        for (size_t j = 1; j <= blen; j++) {
            unsigned cost = a[i - 1] != b[j - 1];
            unsigned v = prev[j - 1] + cost;

            if (prev[j] + 1 < v)
                v = prev[j] + 1;
            if (cur[j - 1] + 1 < v)
                v = cur[j - 1] + 1;
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
                prev2[j - 2] + 1 < v)
                v = prev2[j - 2] + 1; /* a transposition */
            cur[j] = v;
            if (v < best)
                best = v;
        }
        if (best > max)
            return max + 1;
        unsigned *t = prev2;
        prev2 = prev, prev = cur, cur = t;
    }
    return prev[blen] > max ? max + 1 : prev[blen];
}

/* The best corrections seen so far: all at the nearest distance, best
 * first. */
struct best {
    const struct vword *w[SPELL_SUGGEST];
    size_t n;
    unsigned dist;
};

/* Of two words at one distance, is t the better correction than u? The
 * more frequent, then the alphabetically first. */
static int before(const struct vword *t, const struct vword *u)
{
    if (t->freq != u->freq)
        return t->freq > u->freq;
    return strcmp(t->word, u->word) < 0;
}

/* Keep t at dist in b if it is among the best. */
static void offer(struct best *b, const struct vword *t, unsigned dist)
{
    size_t i;

    if (b->n && dist > b->dist)
        return;
    if (b->n && dist < b->dist)
        b->n = 0;
    b->dist = dist;
    for (i = 0; i < b->n; i++)
        if (b->w[i] == t)
            return; /* found again under another key */
    for (i = b->n; i > 0 && before(t, b->w[i - 1]); i--)
        ;
    if (i >= SPELL_SUGGEST)
        return;
    memmove(&b->w[i + 1], &b->w[i], ((b->n < SPELL_SUGGEST ? b->n : SPELL_SUGGEST - 1) - i) *
                                        sizeof *b->w);
    b->w[i] = t;
    if (b->n < SPELL_SUGGEST)
        b->n++;
}

/* Consider every target stored under key for the typed word. */
static void consider(const struct spell *s, const char *key, size_t klen, const char *word,
                     size_t len, unsigned max, struct best *b)
{
    struct deletion *d = NULL;

    HASH_FIND(hh, s->dels, key, (unsigned)klen, d);
    for (size_t i = d ? d->first : NONE; i != NONE; i = s->next[i]) {
        const struct vword *t = s->targets[s->link[i]];
        unsigned dist = spell_distance(word, len, t->word, t->len, max);

        if (dist <= max)
            offer(b, t, dist);
    }
}

/* The system word lists, compiled in by tools/dict.sh. */
extern const unsigned char spell_dict_text[];
extern const unsigned spell_dict_offsets[];
extern const size_t spell_dict_count;

int spell_english(const char *word, size_t len)
{
    size_t lo = 0, hi = spell_dict_count;

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        const char *w = (const char *)spell_dict_text + spell_dict_offsets[mid];
        int c = strncmp(w, word, len);

        if (c == 0 && w[len] == '\0')
            return 1;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid; /* w sorts after word (a longer w with word as prefix too) */
    }
    return 0;
}

/* The best target within max edits of word that the deletion keys reach. */
static struct best search(struct spell *s, const char *word, size_t len, unsigned max)
{
    char key[SPELL_MAX + 1];
    struct best b = {{NULL}, 0, 0};

    if (!s->built)
        build_deletions(s);
    consider(s, word, len, word, len, max, &b);
    for (size_t i = 0; i < len; i++) {
        memcpy(key, word, i);
        memcpy(key + i, word + i + 1, len - i - 1);
        consider(s, key, len - 1, word, len, max, &b);
        for (size_t j = i + 1; max > 1 && j < len; j++) {
            size_t n = 0;

            for (size_t k = 0; k < len; k++)
                if (k != i && k != j)
                    key[n++] = word[k];
            consider(s, key, n, word, len, max, &b);
        }
    }
    return b;
}

int spell_correctable(const struct spell *s, const char *word, size_t len)
{
    return len >= SPELL_MIN && len <= SPELL_MAX && all_letters(word, len) &&
           !spell_known(s, word, len) && !spell_english(word, len);
}

size_t spell_suggest(struct spell *s, const char *word, size_t len,
                     const char *out[SPELL_SUGGEST], unsigned *dist)
{
    struct best b;

    if (!spell_correctable(s, word, len))
        return 0;
    b = search(s, word, len, len >= SPELL_LONG ? 2 : 1);
    for (size_t i = 0; i < b.n; i++)
        out[i] = b.w[i]->word;
    *dist = b.dist;
    return b.n;
}

const char *spell_correct(struct spell *s, const char *word, size_t len, unsigned *dist)
{
    const char *out[SPELL_SUGGEST];

    return spell_suggest(s, word, len, out, dist) ? out[0] : NULL;
}

int spell_near(struct spell *s, const char *word, size_t len)
{
    return spell_correctable(s, word, len) && search(s, word, len, 2).n > 0;
}

/* Write "a b" into key (2 * SPELL_MAX + 2 bytes); its length, or 0 when a
 * word is longer than SPELL_MAX. */
static size_t pair_key(char *key, const char *a, size_t alen, const char *b, size_t blen)
{
    if (alen > SPELL_MAX || blen > SPELL_MAX)
        return 0;
    memcpy(key, a, alen);
    key[alen] = ' ';
    memcpy(key + alen + 1, b, blen);
    return alen + 1 + blen;
}

void spell_add_pair(struct spell *s, const char *a, size_t alen, const char *b, size_t blen)
{
    struct pair *p = NULL;
    char key[2 * SPELL_MAX + 2];
    size_t n = pair_key(key, a, alen, b, blen);

    if (!n)
        return;
    HASH_FIND(hh, s->pairs, key, (unsigned)n, p);
    if (p)
        return;
    p = xmalloc(sizeof *p + n);
    memcpy(p->key, key, n);
    HASH_ADD(hh, s->pairs, key, (unsigned)n, p);
}

int spell_pair(const struct spell *s, const char *a, size_t alen, const char *b, size_t blen)
{
    struct pair *p = NULL;
    char key[2 * SPELL_MAX + 2];
    size_t n = pair_key(key, a, alen, b, blen);

    if (n)
        HASH_FIND(hh, s->pairs, key, (unsigned)n, p);
    return p != NULL;
}
