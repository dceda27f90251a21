/* text.c -- normalisation, words, stop words and stemming.
 *
 * text_normalise() runs in three passes over reused buffers: drop invalid
 * UTF-8, NFKC + case fold + strip marks with utf8proc, then fold everything
 * that is not a letter or digit to a space while rewriting contractions and
 * chat spellings word by word (the rewrites[] table below). ASCII input,
 * which needs none of the first two, takes one pass (words_ascii).
 */
#include "text.h"

#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <threads.h>

#include <libstemmer.h>
#include <utf8proc.h>

/* Stems of recent words, direct-mapped by hash: the Snowball stemmer costs
 * about 2,000 instructions a word, and questions keep using the same words.
 * Longer words are stemmed every time. Sized, like match.c's corrections,
 * for a pipe's vocabulary of a few thousand words. */
#define STEM_SLOTS 4096
#define STEM_WORD 24

struct stem_slot {
    unsigned char wlen, slen; /* wlen 0: empty */
    char word[STEM_WORD], stem[STEM_WORD];
};

struct text {
    struct sb_stemmer *stemmer;
    struct stem_slot *stems;  /* STEM_SLOTS of them, made on the first stem */
    struct sbuf clean;     /* pass 1: the input with invalid UTF-8 dropped */
    utf8proc_int32_t *cps; /* pass 2: code points */
    size_t ncps_cap;
    struct sbuf word;      /* pass 3: the word being collected */
};

/* Whole-word rewrites, applied after case folding. Words that still contain
 * an apostrophe after this table go through suffixes[] below.
 * To add one: add a row (keep the table sorted by `from`, for readers). */
static const struct rewrite {
    const char *from, *to;
} rewrites[] = {
    {"abt", "about"},           {"altho", "although"},
    {"aren't", "are not"},      {"arent", "are not"},
    {"b4", "before"},           {"bc", "because"},
    {"bcuz", "because"},        {"becuz", "because"},
    {"bout", "about"},          {"btw", "by the way"},
    {"can't", "cannot"},        {"cant", "cannot"},
    {"couldn't", "could not"},  {"couldnt", "could not"},
    {"couldve", "could have"},  {"coz", "because"},
    {"cud", "could"},           {"cuz", "because"},
    {"didn't", "did not"},      {"didnt", "did not"},
    {"dnt", "do not"},          {"doesn't", "does not"},
    {"doesnt", "does not"},     {"don't", "do not"},
    {"dont", "do not"},         {"dunno", "do not know"},
    {"gimme", "give me"},       {"gonna", "going to"},
    {"goto", "go to"},          {"gotta", "got to"},
    {"gud", "good"},            {"hadn't", "had not"},
    {"hadnt", "had not"},       {"hasn't", "has not"},
    {"hasnt", "has not"},       {"haven't", "have not"},
    {"havent", "have not"},     {"how's", "how is"},
    {"hows", "how is"},         {"hv", "have"},
    {"hw", "how"},              {"i'd", "i would"},
    {"i'll", "i will"},         {"i'm", "i am"},
    {"i've", "i have"},         {"idc", "i do not care"},
    {"idk", "i do not know"},   {"im", "i am"},
    {"imho", "in my humble opinion"}, {"imo", "in my opinion"},
    {"isn't", "is not"},        {"isnt", "is not"},
    {"it's", "it is"},          {"ive", "i have"},
    {"jr", "junior"},           {"kinda", "kind of"},
    {"knw", "know"},            {"lemme", "let me"},
    {"let's", "let us"},        {"mgr", "manager"},
    {"mngr", "manager"},        {"ngl", "not going to lie"},
    {"ofc", "of course"},       {"outta", "out of"},
    {"pls", "please"},          {"plz", "please"},
    {"ppl", "people"},          {"rn", "right now"},
    {"shld", "should"},         {"shouldn't", "should not"},
    {"shouldnt", "should not"}, {"shouldve", "should have"},
    {"shud", "should"},         {"smth", "something"},
    {"sorta", "sort of"},       {"sr", "senior"},
    {"sth", "something"},       {"tbh", "to be honest"},
    {"that's", "that is"},      {"thats", "that is"},
    {"there's", "there is"},    {"theyre", "they are"},
    {"theyve", "they have"},    {"tho", "though"},
    {"thx", "thanks"},          {"u", "you"},
    {"ur", "your"},             {"wanna", "want to"},
    {"wasn't", "was not"},      {"wat", "what"},
    {"we're", "we are"},        {"weren't", "were not"},
    {"werent", "were not"},     {"what's", "what is"},
    {"whats", "what is"},       {"whos", "who is"},
    {"wht", "what"},            {"won't", "will not"},
    {"wont", "will not"},       {"wouldn't", "would not"},
    {"wouldve", "would have"},  {"wud", "would"},
    {"you're", "you are"},      {"youre", "you are"},
    {"youve", "you have"},      {"yr", "year"},
    {"yrs", "years"},
};

/* Apostrophe suffixes of words not in rewrites[]: "teams'" and "senior's"
 * lose theirs, "they've" becomes "they have". Checked in order. */
static const struct rewrite suffixes[] = {
    {"n't", " not"}, {"'re", " are"}, {"'ve", " have"}, {"'ll", " will"},
    {"'m", " am"},   {"'d", " would"}, {"'s", ""},      {"'", ""},
};

/* Words that carry no topic signal. Keep sorted, for readers. */
static const char *const stopwords[] = {
    "a", "about", "actually", "after", "again", "all", "already", "also",
    "always", "am", "an", "and", "another", "any", "anyone", "anything",
    "are", "around", "as", "at", "back", "be", "because", "been", "before",
    "being", "best", "better", "both", "but", "by", "can", "could", "did",
    "do", "does", "each", "else", "enough", "etc", "even", "ever", "every",
    "everyone", "everything", "few", "for", "from", "get", "good", "got",
    "gotten", "had", "has", "have", "he", "hello", "her", "here", "hey", "hi",
    "him", "his", "how", "i", "if", "in", "into", "is", "it", "its", "just",
    "kind", "like", "lol", "lot", "lots", "many", "maybe", "me", "might",
    "more", "most", "much", "must", "my", "no", "not", "now", "of", "often",
    "ok", "okay", "on", "one", "only", "or", "other", "others", "our", "out",
    "over", "please", "quite", "rather", "really", "same", "she", "should",
    "since", "so", "some", "someone", "something", "soon", "sooner", "sort",
    "still", "such", "sure", "than", "thank", "thanks", "that", "the",
    "their", "them", "then", "there", "these", "they", "thing", "things",
    "this", "those", "through", "thus", "to", "too", "until", "up", "us",
    "very", "want", "wants", "was", "way", "we", "well", "were", "what",
    "when", "where", "whether", "which", "while", "who", "whose", "why",
    "will", "with", "would", "yes", "yet", "you", "your",
};

/* rewrites[] and stopwords[] by hash (open addressing), made once: every
 * word of every text is looked up in both, and a binary search mispredicts
 * its way through most of them. Each slot points at a table row, whose
 * first member is its word. Powers of two, over twice the tables. */
#define REWRITE_SLOTS 256
#define STOPWORD_SLOTS 512
#define NROWS(a) (sizeof (a) / sizeof *(a))

_Static_assert(2 * NROWS(rewrites) <= REWRITE_SLOTS, "REWRITE_SLOTS is too small");
_Static_assert(2 * NROWS(stopwords) <= STOPWORD_SLOTS, "STOPWORD_SLOTS is too small");

static const void *rewrite_slots[REWRITE_SLOTS], *stopword_slots[STOPWORD_SLOTS];
static unsigned char rewrite_lens[REWRITE_SLOTS], stopword_lens[STOPWORD_SLOTS];
static once_flag slots_once = ONCE_FLAG_INIT;
static atomic_int slots_made; /* read first: call_once() is a call into libc */

static const char *row_word(const void *row)
{
    return *(const char *const *)row;
}

/* Put the rows of table (n of size bytes) in slots (nslots), and the
 * length of each one's word in lens. */
static void fill_slots(const void **slots, unsigned char *lens, size_t nslots,
                       const void *table, size_t n, size_t size)
{
    for (size_t k = 0; k < n; k++) {
        const void *row = (const char *)table + k * size;
        size_t len = strlen(row_word(row)), i = util_hash(row_word(row), len) % nslots;

        while (slots[i])
            i = (i + 1) % nslots;
        slots[i] = row;
        lens[i] = (unsigned char)len;
    }
}

static void make_slots(void)
{
    fill_slots(rewrite_slots, rewrite_lens, REWRITE_SLOTS, rewrites, NROWS(rewrites),
               sizeof *rewrites);
    fill_slots(stopword_slots, stopword_lens, STOPWORD_SLOTS, stopwords, NROWS(stopwords),
               sizeof *stopwords);
    atomic_store_explicit(&slots_made, 1, memory_order_release);
}

/* The row in slots (nslots, word lengths in lens) whose word is the len
 * bytes at w, or NULL. */
static const void *find_word(const void *const *slots, const unsigned char *lens,
                             size_t nslots, const char *w, size_t len)
{
    if (!atomic_load_explicit(&slots_made, memory_order_acquire))
        call_once(&slots_once, make_slots);
    for (size_t i = util_hash(w, len) % nslots; slots[i]; i = (i + 1) % nslots)
        if (lens[i] == len && memcmp(row_word(slots[i]), w, len) == 0)
            return slots[i];
    return NULL;
}

struct text *text_new(void)
{
    struct text *t = xcalloc(1, sizeof *t);

    t->stemmer = sb_stemmer_new("english", NULL);
    if (!t->stemmer) {
        /* Only out of memory makes the built-in English stemmer fail. */
        xmalloc((size_t)-1);
    }
    return t;
}

void text_free(struct text *t)
{
    if (!t)
        return;
    sb_stemmer_delete(t->stemmer);
    free(t->stems);
    sbuf_free(&t->clean);
    sbuf_free(&t->word);
    free(t->cps);
    free(t);
}

/* Pass 1: copy in to t->clean, reading each invalid UTF-8 byte as a space. */
static int drop_invalid(struct text *t, const char *in, size_t len)
{
    const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)in;
    size_t i = 0;
    int dropped = 0;

    sbuf_reset(&t->clean);
    while (i < len) {
        utf8proc_int32_t cp;
        utf8proc_ssize_t n = utf8proc_iterate(p + i, (utf8proc_ssize_t)(len - i), &cp);

        if (n < 1 || cp == 0) {
            sbuf_putc(&t->clean, ' ');
            dropped = n < 1;
            i++;
            continue;
        }
        sbuf_append(&t->clean, in + i, (size_t)n);
        i += (size_t)n;
    }
    return dropped;
}

/* Pass 2: decompose t->clean into code points, NFKC + fold + strip marks.
 * Returns the number of code points, or -1 on a utf8proc error. */
static utf8proc_ssize_t fold(struct text *t)
{
    const utf8proc_option_t opts = UTF8PROC_COMPAT | UTF8PROC_COMPOSE |
        UTF8PROC_CASEFOLD | UTF8PROC_STRIPMARK | UTF8PROC_IGNORE;
    utf8proc_ssize_t n;

    for (;;) {
        n = utf8proc_decompose((const utf8proc_uint8_t *)t->clean.s,
                               (utf8proc_ssize_t)t->clean.len, t->cps,
                               (utf8proc_ssize_t)t->ncps_cap, opts);
        if (n < 0)
            return -1;
        if ((size_t)n <= t->ncps_cap)
            break;
        t->ncps_cap = (size_t)n + 64;
        t->cps = xrealloc(t->cps, t->ncps_cap * sizeof *t->cps);
    }
    return utf8proc_normalize_utf32(t->cps, n, opts);
}

static int is_word_cp(utf8proc_int32_t cp)
{
    switch (utf8proc_category(cp)) {
    case UTF8PROC_CATEGORY_LU: case UTF8PROC_CATEGORY_LL:
    case UTF8PROC_CATEGORY_LT: case UTF8PROC_CATEGORY_LM:
    case UTF8PROC_CATEGORY_LO: case UTF8PROC_CATEGORY_ND:
    case UTF8PROC_CATEGORY_NL: case UTF8PROC_CATEGORY_NO:
        return 1;
    default:
        return 0;
    }
}

static int is_apostrophe(utf8proc_int32_t cp)
{
    return cp == '\'' || cp == 0x2019 || cp == 0x02BC;
}

/* Append the word in t->word to out, rewritten by the tables. */
static void emit_word(struct text *t, struct sbuf *out)
{
    struct sbuf *w = &t->word;
    const struct rewrite *r;

    if (w->len == 0)
        return;
    r = find_word(rewrite_slots, rewrite_lens, REWRITE_SLOTS, w->s, w->len);
    if (!r && !memchr(w->s, '\'', w->len)) { /* most words: copied as they are */
        char *p;

        util_grow((void **)&out->s, &out->cap, out->len + w->len + 2, 1);
        p = out->s + out->len;
        if (out->len)
            *p++ = ' ';
        memcpy(p, w->s, w->len);
        p[w->len] = '\0';
        out->len = (size_t)(p - out->s) + w->len;
        sbuf_reset(w);
        return;
    }
    if (out->len)
        sbuf_putc(out, ' ');
    if (r) {
        sbuf_puts(out, r->to);
    } else if (memchr(w->s, '\'', w->len)) {
        for (size_t i = 0; i < sizeof suffixes / sizeof *suffixes; i++) {
            size_t sl = strlen(suffixes[i].from);

            if (w->len > sl && memcmp(w->s + w->len - sl, suffixes[i].from, sl) == 0) {
                w->len -= sl;
                for (size_t j = 0; j < w->len; j++)
                    if (w->s[j] != '\'')
                        sbuf_putc(out, w->s[j]);
                sbuf_puts(out, suffixes[i].to);
                break;
            }
        }
    } else {
        sbuf_append(out, w->s, w->len);
    }
    sbuf_reset(w);
}

/* 1 if the len bytes at in are all ASCII. */
static int is_ascii(const char *in, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if ((unsigned char)in[i] >= 0x80)
            return 0;
    return 1;
}

/* Passes 1-3 for ASCII input, the common case (all of the knowledge is
 * ASCII): NFKC, stripping marks and dropping invalid UTF-8 leave it as it
 * is, case folding is A-Z to a-z, and its only letters and digits are
 * a-z, A-Z and 0-9, so utf8proc has nothing to add. */
static void words_ascii(struct text *t, const char *in, size_t len, struct sbuf *out)
{
    struct sbuf *w = &t->word;

    util_grow((void **)&w->s, &w->cap, len + 1, 1); /* no word is longer */
    for (size_t i = 0; i < len; i++) {
        char c = in[i];

        if (c >= 'A' && c <= 'Z')
            c = (char)(c - 'A' + 'a');
        if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || (c == '\'' && w->len)) {
            w->s[w->len++] = c;
            w->s[w->len] = '\0';
        } else {
            emit_word(t, out);
        }
    }
}

/* Passes 1-3 for any other input. Returns 1 when invalid UTF-8 was dropped. */
static int words_unicode(struct text *t, const char *in, size_t len, struct sbuf *out)
{
    int dropped = drop_invalid(t, in, len);
    utf8proc_ssize_t n = fold(t);

    for (utf8proc_ssize_t i = 0; i < n; i++) {
        utf8proc_int32_t cp = t->cps[i];
        utf8proc_uint8_t enc[4];

        if (is_word_cp(cp)) {
            sbuf_append(&t->word, (const char *)enc,
                        (size_t)utf8proc_encode_char(cp, enc));
        } else if (is_apostrophe(cp) && t->word.len) {
            sbuf_putc(&t->word, '\'');
        } else {
            emit_word(t, out);
        }
    }
    return dropped;
}

int text_normalise(struct text *t, const char *in, size_t len, struct sbuf *out)
{
    int dropped = 0;

    sbuf_reset(out);
    sbuf_reset(&t->word);
    if (!out->s)
        sbuf_append(out, "", 0);
    if (is_ascii(in, len))
        words_ascii(t, in, len, out);
    else
        dropped = words_unicode(t, in, len, out);
    emit_word(t, out);
    if (out->len && out->s[out->len - 1] == ' ') /* a rewrite to "" at the end */
        out->s[--out->len] = '\0';
    return dropped;
}

/* The slot word (len bytes) is kept in. */
static struct stem_slot *stem_slot(struct text *t, const char *word, size_t len)
{
    if (!t->stems)
        t->stems = xcalloc(STEM_SLOTS, sizeof *t->stems);
    return &t->stems[util_hash(word, len) % STEM_SLOTS];
}

const char *text_stem(struct text *t, const char *word, size_t len, size_t *stem_len)
{
    struct stem_slot *slot = len && len < STEM_WORD ? stem_slot(t, word, len) : NULL;
    const sb_symbol *s;

    if (slot && slot->wlen == len && memcmp(slot->word, word, len) == 0) {
        *stem_len = slot->slen;
        return slot->stem;
    }
    s = sb_stemmer_stem(t->stemmer, (const sb_symbol *)word, (int)len);
    if (!s) { /* out of memory inside the stemmer: use the word itself */
        *stem_len = len;
        return word;
    }
    *stem_len = (size_t)sb_stemmer_length(t->stemmer);
    if (!slot || *stem_len >= STEM_WORD)
        return (const char *)s;
    slot->wlen = (unsigned char)len;
    slot->slen = (unsigned char)*stem_len;
    memcpy(slot->word, word, len);
    memcpy(slot->stem, s, *stem_len);
    return slot->stem;
}

int text_is_stopword(const char *word, size_t len)
{
    return find_word(stopword_slots, stopword_lens, STOPWORD_SLOTS, word, len) != NULL;
}

const char *text_next_word(const char **p, size_t *len)
{
    const char *s = *p, *e;

    while (*s == ' ')
        s++;
    if (!*s)
        return NULL;
    e = strchr(s, ' ');
    if (!e)
        e = s + strlen(s);
    *len = (size_t)(e - s);
    *p = e;
    return s;
}
