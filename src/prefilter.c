/* prefilter.c -- the literal keys a pattern requires, and an index of them.
 *
 * Start at requirement(): lex() turns a pattern into a flat token list
 * (literal letters, spaces, boundaries, groups, "anything else"), then
 * need_alt()/need_seq() walk it and collect clauses -- sets of keys one of
 * which every match must contain -- keeping the ANDS_MAX cheapest. Anything
 * the lexer does not understand makes the whole pattern "always tried": a
 * missing key costs a little speed, a wrong key a wrong answer.
 * build() files each pattern under its cheapest clause's keys in a trie of
 * every prefix of every key (its edges in one flat hash table);
 * prefilter_run() walks the substrings of each question word down that
 * trie, then checks the other clauses of the patterns it reached.
 *
 * Assumed: patterns are compiled caseless, UTF and UCP, without extended
 * or multiline mode, and run on text_normalise() output.
 *
 * Why keys are ASCII letters and digits only: the question is normalised to
 * lower-case letters, digits and single spaces, so such a literal in a
 * caseless pattern can only match itself (NFKC has already turned the two
 * non-ASCII characters that fold to ASCII letters, U+017F and U+212A, into
 * plain 's' and 'k'), and a space-free literal must lie inside one word.
 */
#include "prefilter.h"

#include <stdlib.h>
#include <string.h>

#include "text.h"

#define KEY_MAX 16     /* longer keys are cut; a part of a required literal is required */
#define CLAUSE_MAX 64  /* more alternative keys than this: not worth indexing */
#define ANDS_MAX 4     /* required clauses kept per pattern */
#define NEST_MAX 32    /* deeper groups: always tried */

/* ---- Lexing ------------------------------------------------------------ */

enum tok_kind {
    T_LIT,   /* an ASCII letter or digit (lower-cased) */
    T_SPACE, /* a literal space: a word edge in normalised text */
    T_BOUND, /* \b ^ $: the next word character starts a word */
    T_OTHER, /* anything that matches something we do not track */
    T_OPEN,  /* ( (?: (?<name> (?> (?| */
    T_LOOK,  /* (?= (?! (?<= (?<! : zero-width, its contents not required */
    T_ALT,   /* | */
    T_CLOSE, /* ) */
};

struct tok {
    unsigned char kind;
    char ch;      /* T_LIT */
    int qmin;     /* minimum repeat of a quantified atom; -1 when unquantified */
    size_t close; /* T_OPEN, T_LOOK: index of the matching T_CLOSE */
};

struct lexer {
    const char *p;
    struct tok *toks;
    size_t n, cap;
    size_t open[NEST_MAX];
    size_t depth;
};

/* lex() has made room: no byte of the pattern makes more than one token. */
static void push(struct lexer *lx, enum tok_kind kind, char ch)
{
    lx->toks[lx->n++] = (struct tok){(unsigned char)kind, ch, -1, 0};
}

static int is_alnum(int c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

/* A backslash sequence at lx->p (past the backslash). Only \b, the
 * one-letter classes and the zero-width \K \A \z \Z \G (which hide no
 * literal) are understood; anything else (\Q, \x, \p, \1, \g...)
 * returns -1. */
static int lex_escape(struct lexer *lx)
{
    static const char classes[] = "BwWdDsShHvVRXKAzZG";
    char c = *lx->p++;

    if (c == 'b')
        push(lx, T_BOUND, 0);
    else if (c && strchr(classes, c))
        push(lx, T_OTHER, 0);
    else if (c && !is_alnum(c) && (unsigned char)c < 0x80)
        push(lx, T_OTHER, 0); /* escaped punctuation: never in normalised text */
    else
        return -1;
    return 0;
}

/* Skip a character class; lx->p is past the '['. */
static int lex_class(struct lexer *lx)
{
    const char *p = lx->p;

    if (*p == '^')
        p++;
    if (*p == ']')
        p++; /* a leading ] is literal */
    for (; *p && *p != ']'; p++) {
        if (*p == '\\') {
            if (p[1] == 'Q' || p[1] == 'E' || !p[1])
                return -1;
            p++;
        } else if (*p == '[' && (p[1] == ':' || p[1] == '.' || p[1] == '=')) {
            const char *e = strstr(p + 2, (char[]){p[1], ']', 0});

            if (!e)
                return -1;
            p = e + 1;
        }
    }
    if (!*p)
        return -1;
    lx->p = p + 1;
    push(lx, T_OTHER, 0);
    return 0;
}

/* Read a quantifier's minimum at lx->p: -2 when there is none, -1 when the
 * text is one this lexer does not trust. */
static int lex_quant_min(struct lexer *lx)
{
    const char *p = lx->p;
    long min = 0;

    switch (*p) {
    case '?': case '*': lx->p++; return 0;
    case '+': lx->p++; return 1;
    case '{': break;
    default: return -2;
    }
    for (p++; *p >= '0' && *p <= '9'; p++)
        if (min < 65536)
            min = min * 10 + (*p - '0');
    if (*p == ',')
        for (p++; *p >= '0' && *p <= '9'; p++)
            ;
    if (*p != '}' || p == lx->p + 1)
        return -1;
    lx->p = p + 1;
    return (int)min;
}

/* After an atom: attach a quantifier if one follows. */
static int lex_quant(struct lexer *lx)
{
    int min = lex_quant_min(lx);

    if (min == -2)
        return 0;
    if (min == -1 || lx->toks[lx->n - 1].qmin >= 0)
        return -1;
    lx->toks[lx->n - 1].qmin = min;
    if (*lx->p == '?' || *lx->p == '+') /* lazy or possessive */
        lx->p++;
    return lex_quant_min(lx) == -2 ? 0 : -1;
}

/* A group opening; lx->p is past the '('. */
static int lex_open(struct lexer *lx)
{
    enum tok_kind kind = T_OPEN;
    const char *p = lx->p;

    if (lx->depth == NEST_MAX || *p == '*')
        return -1;
    if (*p == '?') {
        p++;
        if (*p == '=' || *p == '!' || (*p == '<' && (p[1] == '=' || p[1] == '!'))) {
            kind = T_LOOK;
            p += *p == '<' ? 2 : 1;
        } else if (*p == '<' || (*p == 'P' && p[1] == '<') || *p == '\'') {
            char end = *p == '\'' ? '\'' : '>';

            p = strchr(p + 1, end);
            if (!p)
                return -1;
            p++;
        } else if (*p == ':' || *p == '>' || *p == '|') {
            p++;
        } else {
            return -1; /* option settings, comments, conditions, recursion */
        }
    }
    lx->p = p;
    lx->open[lx->depth++] = lx->n;
    push(lx, kind, 0);
    return 0;
}

static int lex_close(struct lexer *lx)
{
    if (lx->depth == 0)
        return -1;
    lx->toks[lx->open[--lx->depth]].close = lx->n;
    push(lx, T_CLOSE, 0);
    return lex_quant(lx);
}

/* One atom (with its quantifier) or one structural token. */
static int lex_one(struct lexer *lx)
{
    unsigned char c = (unsigned char)*lx->p++;

    switch (c) {
    case '(': return lex_open(lx);
    case ')': return lex_close(lx);
    case '|': push(lx, T_ALT, 0); return 0;
    case '^': case '$': push(lx, T_BOUND, 0); return 0;
    case '?': case '*': case '+': case '{': return -1; /* nothing to repeat */
    case '\\':
        if (lex_escape(lx) != 0)
            return -1;
        return lx->toks[lx->n - 1].kind == T_BOUND ? 0 : lex_quant(lx);
    case '[':
        if (lex_class(lx) != 0)
            return -1;
        return lex_quant(lx);
    default:
        break;
    }
    if (c == ' ')
        push(lx, T_SPACE, 0);
    else if (is_alnum(c))
        push(lx, T_LIT, (char)(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c));
    else
        push(lx, T_OTHER, 0); /* '.', punctuation, a UTF-8 character */
    while (c >= 0x80 && ((unsigned char)*lx->p & 0xC0) == 0x80)
        lx->p++;
    return lex_quant(lx);
}

/* Tokenise src into lx; -1 when any part of it is not understood. */
static int lex(struct lexer *lx, const char *src)
{
    lx->p = src;
    util_grow((void **)&lx->toks, &lx->cap, strlen(src) + 1, sizeof *lx->toks);
    while (*lx->p)
        if (lex_one(lx) != 0)
            return -1;
    return lx->depth == 0 ? 0 : -1;
}

/* ---- Requirements ------------------------------------------------------ */

enum key_type { K_WORD, K_PREFIX, K_SUFFIX, K_SUBSTR, K_NTYPES };

struct key {
    unsigned char type, len;
    char s[KEY_MAX]; /* zero past len, so keys compare with memcmp */
};

/* A clause: one of keys[0..n) occurs in every match. any == 0: nothing
 * is known to be required. */
struct need {
    int any;
    size_t n;
    double cost; /* a guess at how often the clause lets a pattern through */
    struct key keys[CLAUSE_MAX];
};

/* Clauses that all hold for every match: the cheapest ANDS_MAX found. */
struct conj {
    size_t n;
    struct need c[ANDS_MAX];
};

/* Tokens from..to of one branch, and whether the pattern guarantees a
 * non-word character (or the subject's edge) before and after them. */
struct span {
    size_t from, to;
    int left, right;
};

/* How common words are in questions (prefilter_set_share), when known. */
struct sharer {
    prefilter_share_fn *fn;
    void *ctx;
};

/* How much more a word key that every question holds costs than one that
 * none does: enough that a clause of a few rare keys beats one common word
 * ("ml", "career"), which would send the pattern to nearly every question. */
#define COMMON_COST 20.0

/* Longer keys and tighter bounds are rarer; stop words are everywhere, and
 * sh (NULL: unknown) says how common other words are. */
static double key_cost(const struct sharer *sh, const struct key *k)
{
    static const double per_type[K_NTYPES] = {1, 2, 3, 4};
    double c = per_type[k->type] * (1.0 + 8.0 / k->len);

    if (k->type != K_WORD)
        return c;
    if (text_is_stopword(k->s, k->len))
        return c * 10;
    return sh && sh->fn ? c * (1 + COMMON_COST * sh->fn(sh->ctx, k->s, k->len)) : c;
}

/* *dst = *src, but only the keys in use: a clause has room for CLAUSE_MAX
 * keys and usually holds one, and reading patterns copies clauses a lot. */
static void need_copy(struct need *dst, const struct need *src)
{
    dst->any = src->any;
    dst->n = src->n;
    dst->cost = src->cost;
    memcpy(dst->keys, src->keys, src->n * sizeof *src->keys);
}

static void conj_add(struct conj *all, const struct need *n)
{
    size_t worst = 0;

    if (!all || !n->any)
        return;
    for (size_t i = 0; i < all->n; i++)
        if (all->c[i].n == n->n && !memcmp(all->c[i].keys, n->keys, n->n * sizeof *n->keys))
            return;
    if (all->n < ANDS_MAX) {
        need_copy(&all->c[all->n++], n);
        return;
    }
    for (size_t i = 1; i < all->n; i++)
        if (all->c[i].cost > all->c[worst].cost)
            worst = i;
    if (n->cost < all->c[worst].cost)
        need_copy(&all->c[worst], n);
}

/* n is required: keep it if it is the cheapest so far, and in all. */
static void require(struct need *best, struct conj *all, const struct need *n)
{
    if (n->any && (!best->any || n->cost < best->cost))
        need_copy(best, n);
    conj_add(all, n);
}

/* A run of literal tokens being collected by need_seq. */
struct run {
    size_t from, len;
    int left; /* the character before it is not a word character */
};

/* Turn the run into a one-key clause; right: the character after it is not
 * a word character. */
static void run_close(const struct sharer *sh, const struct tok *t, struct run *r, int right, struct need *best,
                      struct conj *all)
{
    struct need n; /* one key, the only part read (see need_copy) */
    struct key *k = &n.keys[0];
    size_t len = r->len < KEY_MAX ? r->len : KEY_MAX;
    size_t skip = 0;

    if (!r->len)
        return;
    n.any = 1;
    n.n = 1;
    memset(k, 0, sizeof *k);
    if (r->left)
        k->type = right && r->len <= KEY_MAX ? K_WORD : K_PREFIX;
    else
        k->type = right ? K_SUFFIX : K_SUBSTR;
    if (k->type == K_SUFFIX)
        skip = r->len - len; /* keep the end, which touches the boundary */
    for (size_t i = 0; i < len; i++)
        k->s[i] = t[r->from + skip + i].ch;
    k->len = (unsigned char)len;
    n.cost = key_cost(sh, k);
    require(best, all, &n);
    r->len = 0;
}

/* Is the character after token k of span s a non-word character whenever
 * a word character precedes it? */
static int bounded_after(const struct tok *t, size_t k, const struct span *s)
{
    if (k == s->to)
        return s->right;
    return t[k].kind == T_BOUND || (t[k].kind == T_SPACE && t[k].qmin != 0);
}

static void need_alt(const struct sharer *sh, const struct tok *t, struct span s, struct conj *all, struct need *out,
                     int *ends);

/* The group t[i] .. t[t[i].close] inside span s; updates *prev. */
static void need_group(const struct sharer *sh, const struct tok *t, size_t i, const struct span *s, int *prev,
                       struct need *best, struct conj *all)
{
    size_t j = t[i].close;
    int q = t[j].qmin, ends;
    /* A repeated group may follow itself, so its edges are unknown. */
    struct span g = {i + 1, j, q < 0 ? *prev : 0, q < 0 ? bounded_after(t, j + 1, s) : 0};
    struct need n;

    need_alt(sh, t, g, q != 0 ? all : NULL, &n, &ends);
    if (q != 0)
        require(best, NULL, &n); /* need_alt has put it in all */
    *prev = q == 0 ? *prev && ends : ends;
}

/* The cheapest clause required by the branch s (no top-level |), in *best;
 * every required clause also goes to all (when not NULL). *ends: a
 * non-word character (or the start) is guaranteed at the branch's end. */
static void need_seq(const struct sharer *sh, const struct tok *t, struct span s, struct conj *all, struct need *best,
                     int *ends)
{
    struct run r = {0, 0, 0};
    int prev = s.left; /* a word character here would start a word */

    best->any = 0;
    for (size_t i = s.from; i < s.to; i++) {
        const struct tok *k = &t[i];

        if (k->kind == T_LIT && k->qmin != 0) {
            if (r.len++ == 0)
                r.from = i, r.left = prev;
            if (k->qmin > 0) /* "o+": one 'o' for sure, then who knows */
                run_close(sh, t, &r, 0, best, all);
            prev = 0;
            continue;
        }
        run_close(sh, t, &r, k->kind == T_BOUND || (k->kind == T_SPACE && k->qmin != 0), best, all);
        if (k->kind == T_OPEN) {
            need_group(sh, t, i, &s, &prev, best, all);
            i = k->close;
        } else {
            prev = k->kind == T_BOUND || (k->kind == T_SPACE && k->qmin != 0);
            if (k->kind == T_LOOK)
                i = k->close;
        }
    }
    run_close(sh, t, &r, s.right, best, all);
    *ends = prev;
}

/* The index of the next | at this level from token i, or to. */
static size_t next_alt(const struct tok *t, size_t i, size_t to)
{
    for (; i < to && t[i].kind != T_ALT; i++)
        if (t[i].kind == T_OPEN || t[i].kind == T_LOOK)
            i = t[i].close;
    return i;
}

/* The clause required by the alternatives in s: one key of any branch's
 * clause; nothing if some branch requires nothing. A single branch hands
 * all of its clauses to all. */
static void need_alt(const struct sharer *sh, const struct tok *t, struct span s, struct conj *all, struct need *out,
                     int *ends)
{
    struct need b;
    int ok = 1, e, single = next_alt(t, s.from, s.to) == s.to;

    out->any = 0, out->n = 0, out->cost = 0; /* the keys are read up to n only */
    *ends = 1;
    for (size_t from = s.from, i; from <= s.to; from = i + 1) {
        i = next_alt(t, from, s.to);
        need_seq(sh, t, (struct span){from, i, s.left, s.right}, single ? all : NULL, &b, &e);
        *ends = *ends && e;
        ok = ok && b.any && out->n + b.n <= CLAUSE_MAX;
        if (ok) {
            memcpy(&out->keys[out->n], b.keys, b.n * sizeof *b.keys);
            out->n += b.n;
            out->cost += b.cost;
        }
    }
    out->any = ok && out->n > 0;
    if (!single)
        conj_add(all, out);
}

/* Every clause src requires (up to ANDS_MAX); none when it must always be
 * tried. */
static void requirement(const struct sharer *sh, const char *src, struct conj *out)
{
    struct lexer lx = {0};
    struct need best;
    int ends;

    out->n = 0;
    if (lex(&lx, src) == 0)
        need_alt(sh, lx.toks, (struct span){0, lx.n, 0, 0}, out, &best, &ends);
    free(lx.toks);
}

/* ---- The index --------------------------------------------------------- */


/* Every prefix of every key is a node of a trie, so a walk down a question
 * word can stop at the first substring that no key starts with. Each
 * pattern is filed under the keys of its cheapest clause only (refs, by key
 * type): filing it under a common word too would make every question with
 * that word touch it, and the cost per question grow with the knowledge.
 * Its other clauses are checked afterwards, for the few patterns that got
 * that far, against the nodes the walk has stamped. Node 0 is the root.
 * Only a few nodes have patterns filed under them: theirs are kept apart
 * (prefilter.filings), so that the rest cost a few bytes each. */
struct filing {
    size_t *refs[K_NTYPES];
    size_t n[K_NTYPES], cap[K_NTYPES];
};

/* What a question's walk reads and writes of a node, kept apart from its
 * refs so that the walk touches 16 bytes a node. */
struct reach {
    unsigned long long kids; /* kid_bit() of each letter that has a child;
                                once laid out, the first child's index above */
    unsigned gen;            /* the question that last reached the node */
    unsigned char seen;      /* and at which positions: 1 << K_WORD etc. */
    unsigned char filed;     /* 1 << t when refs[t] holds patterns */
    unsigned char checked;   /* some check names it: stamp it when reached */
};

/* While the trie is built, each node's children are a list (first child,
 * next sibling). Once built it is laid out again (lay_out) so that each
 * node's children are consecutive in letter order: a question's walk, a
 * step per letter, then finds a child from its parent's reach alone, and
 * the lists go. */
struct link {
    unsigned first, next; /* nodes; 0: none (the root is nobody's child) */
    char letter;
};

/* reach.kids holds the first child's index in its top 28 bits. */
#define NODES_MAX (1u << 24)
/* kid_bit() uses the low KIDS bits of reach.kids. */
#define KIDS 36
#define KIDS_MASK ((1ull << KIDS) - 1)

/* A pattern's other clauses, each a head (nd 0, n its keys) followed by its
 * n keys (a node and a key type). */
struct check {
    unsigned nd;
    unsigned char type;
    unsigned char n;
};

struct pat {
    unsigned gen;      /* the question that last marked it */
    size_t check, n;   /* its other clauses: checks[check .. check + n) */
};

/* What walking a word did, kept for the next time the word comes (a pipe
 * of questions keeps using the same words): its visits to nodes that are
 * filed or checked, the only ones with an effect, in order. Direct-mapped
 * by the word's hash; a word with more effects than fit is walked every
 * time. Sized, like match.c's corrections, for a few thousand words. */
#define WALK_SLOTS 4096
#define WALK_WORD 24
#define WALK_EFFECTS 12

struct walked {
    unsigned char len;      /* 0: empty (or being recorded) */
    unsigned char n;        /* effects */
    char word[WALK_WORD];
    unsigned node[WALK_EFFECTS];
    unsigned char bits[WALK_EFFECTS];
};

struct prefilter {
    const char **srcs; /* the patterns, until the index is built */
    size_t srcs_cap;
    const char **described; /* prefilter_add_described()'s keys, or NULL */
    size_t described_cap;
    int built, exhaustive; /* the last run tried every pattern */
    int choose_first;      /* prefilter_choose_first() */
    struct sharer share;   /* prefilter_set_share(); share.fn NULL: none */
    struct reach *reach;   /* every prefix of every key: the trie's nodes */
    unsigned *filing;      /* for each node, an index + 1 into filings, or 0 */
    size_t nnodes, reach_cap, filing_cap;
    struct filing *filings;
    size_t nfilings, filings_cap;
    struct link *links; /* while building */
    size_t links_cap;
    unsigned roots[KIDS]; /* while building: the root's children by letter */
    struct pat *pats;
    size_t npats;
    struct check *checks;
    size_t nchecks, checks_cap;
    size_t *always; /* patterns with no key */
    size_t nalways, always_cap;
    size_t *cand;   /* the last run's candidates */
    size_t ncand;
    unsigned gen;
    int inner; /* some key is a suffix or substring: try every start in a word */
    struct walked *walked; /* WALK_SLOTS, made on the first walk */
    struct walked *rec;    /* the word being walked and recorded, or NULL */
    int rec_full;          /* it had more effects than a slot holds */
};

struct prefilter *prefilter_new(void)
{
    return xcalloc(1, sizeof(struct prefilter));
}

void prefilter_free(struct prefilter *pf)
{
    if (!pf)
        return;
    for (size_t k = 0; k < pf->nfilings; k++)
        for (int i = 0; i < K_NTYPES; i++)
            free(pf->filings[k].refs[i]);
    free(pf->filings);
    free(pf->filing);
    free(pf->reach);
    free(pf->links);
    free(pf->walked);
    free(pf->srcs);
    free(pf->described);
    free(pf->pats);
    free(pf->checks);
    free(pf->always);
    free(pf->cand);
    free(pf);
}

/* The bit of a key letter (a-z, 0-9) in reach.kids; 0 for anything else,
 * which no key holds. */
static unsigned long long kid_bit(char c)
{
    if (c >= 'a' && c <= 'z')
        return 1ull << (c - 'a');
    if (c >= '0' && c <= '9')
        return 1ull << (26 + c - '0');
    return 0;
}

/* The position of kid_bit(c), for a key letter c. */
static int kid_index(char c)
{
    return c >= 'a' && c <= 'z' ? c - 'a' : 26 + c - '0';
}

/* The letter of kid_bit b (1 << bit). */
static char kid_letter(int bit)
{
    return (char)(bit < 26 ? 'a' + bit : '0' + bit - 26);
}

/* The child of node parent by letter c, or 0, while the trie is built. */
static size_t list_child(const struct prefilter *pf, size_t parent, char c)
{
    if (!(pf->reach[parent].kids & kid_bit(c)))
        return 0;
    if (parent == 0) /* most keys' first step: the root's children by letter */
        return pf->roots[kid_index(c)];
    for (size_t k = pf->links[parent].first; k; k = pf->links[k].next)
        if (pf->links[k].letter == c)
            return k;
    return 0;
}

/* A new node with nothing filed under it; returns its index. Nodes move as
 * they are added: keep indexes, not pointers. */
static size_t node_new(struct prefilter *pf)
{
    util_grow((void **)&pf->filing, &pf->filing_cap, pf->nnodes + 1, sizeof *pf->filing);
    util_grow((void **)&pf->reach, &pf->reach_cap, pf->nnodes + 1, sizeof *pf->reach);
    util_grow((void **)&pf->links, &pf->links_cap, pf->nnodes + 1, sizeof *pf->links);
    pf->filing[pf->nnodes] = 0;
    memset(&pf->links[pf->nnodes], 0, sizeof *pf->links);
    memset(&pf->reach[pf->nnodes], 0, sizeof *pf->reach);
    return pf->nnodes++;
}

/* The child of parent by key letter c, made if new. */
static size_t child_get(struct prefilter *pf, size_t parent, char c)
{
    size_t nd = list_child(pf, parent, c);

    if (nd)
        return nd;
    nd = node_new(pf);
    pf->reach[parent].kids |= kid_bit(c);
    pf->links[nd] = (struct link){0, pf->links[parent].first, c};
    pf->links[parent].first = (unsigned)nd;
    if (parent == 0)
        pf->roots[kid_index(c)] = (unsigned)nd;
    return nd;
}

/* The node of key k, with a node for each of its prefixes. */
static size_t key_node(struct prefilter *pf, const struct key *k)
{
    size_t nd = 0;

    pf->inner |= k->type == K_SUFFIX || k->type == K_SUBSTR;
    for (size_t i = 0; i < k->len; i++)
        nd = child_get(pf, nd, k->s[i]);
    return nd;
}

static void file_key(struct prefilter *pf, const struct key *k, size_t id)
{
    size_t at = key_node(pf, k);
    struct filing *nd;
    int t = k->type;

    if (!pf->filing[at]) {
        util_grow((void **)&pf->filings, &pf->filings_cap, pf->nfilings + 1,
                  sizeof *pf->filings);
        memset(&pf->filings[pf->nfilings], 0, sizeof *pf->filings);
        pf->filing[at] = (unsigned)++pf->nfilings;
    }
    nd = &pf->filings[pf->filing[at] - 1];
    if (nd->n[t] && nd->refs[t][nd->n[t] - 1] == id)
        return; /* the same key twice in one clause */
    util_grow((void **)&nd->refs[t], &nd->cap[t], nd->n[t] + 1, sizeof *nd->refs[t]);
    nd->refs[t][nd->n[t]++] = id;
    pf->reach[at].filed |= (unsigned char)(1u << t);
}

/* Add clause n of all to the checks. */
static void add_clause(struct prefilter *pf, const struct need *n)
{
    util_grow((void **)&pf->checks, &pf->checks_cap, pf->nchecks + 1 + n->n, sizeof *pf->checks);
    pf->checks[pf->nchecks++] = (struct check){0, 0, (unsigned char)n->n};
    for (size_t i = 0; i < n->n; i++) {
        size_t nd = key_node(pf, &n->keys[i]);

        pf->checks[pf->nchecks++] = (struct check){(unsigned)nd, n->keys[i].type, 0};
        pf->reach[nd].checked = 1;
    }
}

void prefilter_choose_first(struct prefilter *pf)
{
    pf->choose_first = 1;
}

void prefilter_set_share(struct prefilter *pf, prefilter_share_fn *share, void *ctx)
{
    pf->share = (struct sharer){share, ctx};
}

void prefilter_add_described(struct prefilter *pf, const char *src, const char *keys)
{
    util_grow((void **)&pf->srcs, &pf->srcs_cap, pf->npats + 1, sizeof *pf->srcs);
    if (keys || pf->described) {
        size_t had = pf->described ? pf->described_cap : 0;

        util_grow((void **)&pf->described, &pf->described_cap, pf->npats + 1,
                  sizeof *pf->described);
        memset(pf->described + had, 0, (pf->described_cap - had) * sizeof *pf->described);
        pf->described[pf->npats] = keys;
    }
    pf->srcs[pf->npats++] = src;
}

void prefilter_add(struct prefilter *pf, const char *src)
{
    prefilter_add_described(pf, src, NULL);
}

/* Read pattern id's clauses and file it. */
static void index_pattern(struct prefilter *pf, size_t id, const char *src)
{
    struct conj all;
    size_t first = 0;

    requirement(&pf->share, src, &all);
    /* A trie so large that its edges could overflow takes no more keys: a
     * pattern without them is tried on every question, slower, not wrong. */
    if (pf->nnodes + ANDS_MAX * CLAUSE_MAX * KEY_MAX >= NODES_MAX)
        all.n = 0;
    if (all.n == 0) {
        util_grow((void **)&pf->always, &pf->always_cap, pf->nalways + 1, sizeof *pf->always);
        pf->always[pf->nalways++] = id;
    }
    for (size_t c = 1; c < all.n; c++)
        if (all.c[c].cost < all.c[first].cost)
            first = c;
    pf->pats[id] = (struct pat){0, pf->nchecks, 0};
    for (size_t i = 0; all.n && i < all.c[first].n; i++)
        file_key(pf, &all.c[first].keys[i], id);
    /* The rarest clauses first: the first unmet one rejects the pattern. */
    all.c[first].any = 0;
    for (size_t added = 1; added < all.n; added++) {
        size_t c = first;

        for (size_t k = 0; k < all.n; k++)
            if (all.c[k].any && (c == first || all.c[k].cost < all.c[c].cost))
                c = k;
        add_clause(pf, &all.c[c]);
        all.c[c].any = 0;
    }
    pf->pats[id].n = pf->nchecks - pf->pats[id].check;
}

/* Number the nodes again breadth first, each node's children together in
 * letter order, note where each node's children start, and drop the lists
 * of children. */
static void lay_out(struct prefilter *pf)
{
    size_t *to = xmalloc(pf->nnodes * sizeof *to);     /* old index to new */
    size_t *from = xmalloc(pf->nnodes * sizeof *from); /* new index to old */
    unsigned *filing = xmalloc(pf->nnodes * sizeof *filing);
    struct reach *reach = xmalloc(pf->nnodes * sizeof *reach);
    size_t placed = 1;

    to[0] = from[0] = 0;
    for (size_t k = 0; k < pf->nnodes; k++) {
        size_t old = from[k];
        unsigned long long kids = pf->reach[old].kids;

        filing[k] = pf->filing[old];
        reach[k] = pf->reach[old];
        reach[k].kids |= (unsigned long long)placed << KIDS;
        for (int bit = 0; bit < KIDS; bit++) {
            if (kids >> bit & 1) {
                size_t c = list_child(pf, old, kid_letter(bit));

                to[c] = placed;
                from[placed++] = c;
            }
        }
    }
    for (size_t i = 0; i < pf->nchecks; i++)
        pf->checks[i].nd = (unsigned)to[pf->checks[i].nd]; /* the root is none */
    free(pf->filing);
    free(pf->reach);
    free(pf->links);
    pf->filing = filing;
    pf->reach = reach;
    pf->filing_cap = pf->reach_cap = pf->nnodes;
    pf->links = NULL;
    free(to);
    free(from);
}

/* The number of bits set in x (without a POPCNT instruction, which not
 * every x86-64 has, the compiler's builtin is a library call). */
static unsigned ones(unsigned long long x)
{
    x -= (x >> 1) & 0x5555555555555555ull;
    x = (x & 0x3333333333333333ull) + ((x >> 2) & 0x3333333333333333ull);
    x = (x + (x >> 4)) & 0x0F0F0F0F0F0F0F0Full;
    return (unsigned)((x * 0x0101010101010101ull) >> 56);
}

/* The child of node parent by letter c, or 0, once laid out: the first
 * child's index plus the number of letters before c that have a child. */
static size_t child(const struct prefilter *pf, size_t parent, char c)
{
    unsigned long long kids = pf->reach[parent].kids, bit = kid_bit(c);

    if (!(kids & bit))
        return 0;
    return (size_t)(kids >> KIDS) + ones(kids & KIDS_MASK & (bit - 1));
}

static void build(struct prefilter *pf)
{
    size_t bytes = 0;

    if (!pf->cand) /* choose_directly() may have made it */
        pf->cand = xcalloc(pf->npats ? pf->npats : 1, sizeof *pf->cand);
    pf->pats = xcalloc(pf->npats, sizeof *pf->pats);
    /* Room for the nodes at once (the built-in knowledge makes one per 15
     * bytes of pattern), rather than copying them each time they double. */
    for (size_t id = 0; id < pf->npats; id++)
        bytes += strlen(pf->srcs[id]);
    util_grow((void **)&pf->reach, &pf->reach_cap, bytes / 8 + 1, sizeof *pf->reach);
    util_grow((void **)&pf->filing, &pf->filing_cap, bytes / 8 + 1, sizeof *pf->filing);
    util_grow((void **)&pf->links, &pf->links_cap, bytes / 8 + 1, sizeof *pf->links);
    node_new(pf); /* the root */
    for (size_t id = 0; id < pf->npats; id++)
        index_pattern(pf, id, pf->srcs[id]);
    lay_out(pf);
    free(pf->srcs);
    pf->srcs = NULL;
    free(pf->described);
    pf->described = NULL;
    pf->described_cap = 0;
    pf->built = 1;
}

/* ---- Asking ------------------------------------------------------------ */

static void mark(struct prefilter *pf, const size_t *ids, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (pf->pats[ids[i]].gen == pf->gen)
            continue;
        pf->pats[ids[i]].gen = pf->gen;
        pf->cand[pf->ncand++] = ids[i];
    }
}

/* The walk reached node nd at a place where key types in bits would be met. */
static void visit(struct prefilter *pf, size_t nd, unsigned bits)
{
    struct reach *r = &pf->reach[nd];

    if (pf->rec && (r->checked || r->filed)) {
        if (pf->rec->n == WALK_EFFECTS) {
            pf->rec_full = 1;
        } else {
            pf->rec->node[pf->rec->n] = (unsigned)nd;
            pf->rec->bits[pf->rec->n++] = (unsigned char)bits;
        }
    }
    if (r->checked) {
        if (r->gen != pf->gen)
            r->gen = pf->gen, r->seen = 0;
        r->seen |= (unsigned char)bits;
    }
    bits &= r->filed; /* most nodes on the way are only prefixes */
    for (int t = 0; bits; t++, bits >>= 1)
        if (bits & 1)
            mark(pf, pf->filings[pf->filing[nd] - 1].refs[t],
                 pf->filings[pf->filing[nd] - 1].n[t]);
}

/* Visit the nodes of every substring of word w, noting where each lies:
 * the whole word, a prefix, a suffix, or anywhere. */
static void walk_word(struct prefilter *pf, const char *w, size_t wl)
{
    size_t starts = pf->inner ? wl : 1;
    struct walked *memo = NULL;

    if (wl < WALK_WORD) {
        if (!pf->walked)
            pf->walked = xcalloc(WALK_SLOTS, sizeof *pf->walked);
        memo = &pf->walked[util_hash(w, wl) % WALK_SLOTS];
        if (memo->len == wl && memcmp(memo->word, w, wl) == 0) {
            for (size_t k = 0; k < memo->n; k++)
                visit(pf, memo->node[k], memo->bits[k]);
            return;
        }
        memo->len = memo->n = 0;
        pf->rec = memo;
        pf->rec_full = 0;
    }
    for (size_t i = 0; i < starts; i++) {
        size_t nd = 0;

        for (size_t l = 1; l <= KEY_MAX && i + l <= wl; l++) {
            if (!(nd = child(pf, nd, w[i + l - 1])))
                break;
            visit(pf, nd, 1u << K_SUBSTR | (i == 0 ? 1u << K_PREFIX : 0) |
                          (i + l == wl ? 1u << K_SUFFIX : 0) |
                          (i == 0 && l == wl ? 1u << K_WORD : 0));
        }
    }
    if (memo && !pf->rec_full) {
        memo->len = (unsigned char)wl;
        memcpy(memo->word, w, wl);
    }
    pf->rec = NULL;
}

/* Are all of pattern id's other clauses met by the nodes the walk saw? */
static int checks_met(const struct prefilter *pf, size_t id)
{
    const struct check *c, *end;

    if (!pf->pats[id].n) /* no other clause (checks may be NULL then) */
        return 1;
    c = pf->checks + pf->pats[id].check;
    end = c + pf->pats[id].n;
    for (const struct check *head = c; head < end; head += 1 + head->n) {
        int met = 0;

        /* A clause is met by its first key the walk saw. */
        for (c = head + 1; c <= head + head->n && !met; c++) {
            const struct reach *r = &pf->reach[c->nd];

            met = r->gen == pf->gen && r->seen & 1u << c->type;
        }
        if (!met)
            return 0;
    }
    return 1;
}

static int cmp_id(const void *a, const void *b)
{
    size_t x = *(const size_t *)a, y = *(const size_t *)b;

    return (x > y) - (x < y);
}

/* Does key k occur in norm (len bytes of normalised words) where its type
 * says: a whole word, a word's start or end, or anywhere in a word? */
static int key_in(const struct key *k, const char *norm, size_t len)
{
    for (size_t i = 0, start; i < len; i++) {
        for (start = i; i < len && norm[i] != ' '; i++)
            ;
        for (size_t at = start; at + k->len <= i; at++) {
            int fits = k->type == K_SUBSTR || (at == start && k->type != K_SUFFIX) ||
                       (at + k->len == i && k->type != K_PREFIX);

            if (fits && (k->type != K_WORD || i - start == k->len) &&
                memcmp(norm + at, k->s, k->len) == 0)
                return 1;
            if (k->type == K_WORD || k->type == K_PREFIX)
                break; /* only the word's start counts */
        }
    }
    return 0;
}

/* Read one key of prefilter_describe()'s text at *s ("word", "pre*",
 * "*suf", "*in*") into k; 0 on success. */
static int parse_key(const char **s, struct key *k)
{
    const char *p = *s;
    int before = *p == '*', after;
    size_t n = 0;

    p += before;
    memset(k, 0, sizeof *k);
    while (n < KEY_MAX && ((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9')))
        k->s[n++] = *p++;
    after = *p == '*';
    p += after;
    if (n == 0 || (*p != '\0' && *p != ' ' && *p != ')'))
        return -1;
    k->len = (unsigned char)n;
    k->type = before ? (after ? K_SUBSTR : K_SUFFIX) : (after ? K_PREFIX : K_WORD);
    *s = p;
    return 0;
}

/* Read prefilter_describe()'s text s back into *all; 0 on success, -1 (and
 * *all unusable) when s is not such a text. */
static int parse_described(const char *s, struct conj *all)
{
    all->n = 0;
    while (*s) {
        struct need *n = &all->c[all->n];
        int open = *s == '(';

        if (all->n == ANDS_MAX)
            return -1;
        s += open;
        n->any = 1, n->n = 0, n->cost = 0;
        for (;;) {
            if (n->n == CLAUSE_MAX || parse_key(&s, &n->keys[n->n++]) != 0)
                return -1;
            if (strncmp(s, " | ", 3) != 0)
                break;
            s += 3;
        }
        if (open && *s++ != ')')
            return -1;
        all->n++;
        if (*s && strncmp(s, " & ", 3) != 0)
            return -1;
        s += *s ? 3 : 0;
    }
    return 0;
}

/* The first run of a prefilter that chooses first: every pattern's clauses
 * read (or taken as described) and checked against the question directly,
 * without an index. */
static size_t choose_directly(struct prefilter *pf, const char *norm, size_t len)
{
    pf->cand = xcalloc(pf->npats ? pf->npats : 1, sizeof *pf->cand);
    pf->ncand = 0;
    for (size_t id = 0; id < pf->npats; id++) {
        struct conj all;
        size_t c = 0;

        if (!pf->described || !pf->described[id] ||
            parse_described(pf->described[id], &all) != 0)
            requirement(NULL, pf->srcs[id], &all); /* no index: any cheap keys do */
        for (; c < all.n; c++) {
            size_t k = 0;

            while (k < all.c[c].n && !key_in(&all.c[c].keys[k], norm, len))
                k++;
            if (k == all.c[c].n)
                break; /* no key of this clause occurs */
        }
        if (c == all.n)
            pf->cand[pf->ncand++] = id;
    }
    return pf->ncand;
}

size_t prefilter_run(struct prefilter *pf, const char *norm, size_t len, size_t npats)
{
    size_t i = 0, kept;

    if (!pf)
        return npats;
    /* Reading every pattern costs several times one exhaustive run, which
     * is all a one-question `ask` needs: build on the second question. */
    pf->exhaustive = !pf->built && !pf->choose_first && pf->gen++ == 0;
    if (pf->exhaustive)
        return pf->npats;
    if (!pf->built && pf->gen++ == 0)
        return choose_directly(pf, norm, len);
    if (!pf->built)
        build(pf);
    if (++pf->gen == 0) { /* wrapped: forget every stamp once */
        for (size_t k = 0; k < pf->npats; k++)
            pf->pats[k].gen = 0;
        for (size_t k = 0; k < pf->nnodes; k++)
            pf->reach[k].gen = 0;
        pf->gen = 1;
    }
    if (pf->nalways) /* memcpy from NULL is undefined even for 0 bytes */
        memcpy(pf->cand, pf->always, pf->nalways * sizeof *pf->cand);
    pf->ncand = kept = pf->nalways;
    while (i < len) {
        size_t start;

        while (i < len && norm[i] == ' ')
            i++;
        for (start = i; i < len && norm[i] != ' '; i++)
            ;
        if (i > start)
            walk_word(pf, norm + start, i - start);
    }
    for (size_t k = kept; k < pf->ncand; k++)
        if (checks_met(pf, pf->cand[k]))
            pf->cand[kept++] = pf->cand[k];
    pf->ncand = kept;
    /* Patterns run in load order, as without the prefilter, so ties between
     * equal scores go the same way. */
    qsort(pf->cand, pf->ncand, sizeof *pf->cand, cmp_id);
    return pf->ncand;
}

size_t prefilter_id(const struct prefilter *pf, size_t k)
{
    return pf && !pf->exhaustive ? pf->cand[k] : k;
}

size_t prefilter_count(struct prefilter *pf, size_t *always)
{
    if (!pf->built)
        build(pf);
    *always = pf->nalways;
    return pf->npats;
}

static void describe_clause(const struct need *n, int parens, struct sbuf *out)
{
    parens = parens && n->n > 1;
    sbuf_puts(out, parens ? "(" : "");
    for (size_t i = 0; i < n->n; i++) {
        const struct key *k = &n->keys[i];

        sbuf_puts(out, i ? " | " : "");
        sbuf_puts(out, k->type == K_SUFFIX || k->type == K_SUBSTR ? "*" : "");
        sbuf_append(out, k->s, k->len);
        sbuf_puts(out, k->type == K_PREFIX || k->type == K_SUBSTR ? "*" : "");
    }
    sbuf_puts(out, parens ? ")" : "");
}

void prefilter_describe(const char *src, struct sbuf *out)
{
    struct conj all;

    sbuf_reset(out);
    sbuf_append(out, "", 0);
    requirement(NULL, src, &all);
    for (size_t c = 0; c < all.n; c++) {
        sbuf_puts(out, c ? " & " : "");
        describe_clause(&all.c[c], all.n > 1, out);
    }
}
