/* kb.c -- the knowledge base's tables: creation, indexes, lookups, freeing,
 * and the built-in copy. Loading and validation live in kbload.c; reading a
 * directory from disk is kb_load_dir() at the bottom of this file.
 */
#include "kb_internal.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "spell.h"
#include "text.h"

/* The 13 topics, in the order they are listed. To add a topic, add a name
 * and a description at the same position (and bump KB_NTOPICS). */
const char *const kb_topic_names[KB_NTOPICS] = {
    "roles", "technical-skills", "problem-solving", "communication",
    "leadership", "mentorship", "learning", "experience", "specialization",
    "career-paths", "domain-knowledge", "organization", "progression",
};

const char *const kb_topic_about[KB_NTOPICS] = {
    "what juniors and seniors do, scope, day-to-day, impact on projects",
    "languages, algorithms, data, frameworks, deployment, architecture",
    "critical thinking, diagnosing models, data quality",
    "explaining to non-technical people, stakeholders, persuasion",
    "leading projects, decisions, autonomy, strategy, knowledge sharing",
    "finding and being a mentor, networking, meetups, communities",
    "courses, certifications, degrees, conferences, staying current",
    "internships, personal projects, portfolio, real-world practice",
    "NLP, computer vision, AI ethics, niches",
    "management vs technical track, after senior, changing field",
    "industry knowledge: healthcare, finance, self-driving",
    "company size and structure, team setups",
    "the path from junior to senior, promotion, goals, mindset",
};

static const char *const level_names[KB_NLEVELS] = {"any", "junior", "senior"};

const char *kb_level_name(enum kb_level level)
{
    return level_names[level];
}

int kb_level_parse(const char *s)
{
    for (int i = 0; i < KB_NLEVELS; i++)
        if (strcmp(s, level_names[i]) == 0)
            return i;
    return -1;
}

int kb_level_parse_typed(const char *s)
{
    /* "Junior" and "SENIOR" too: people type levels as they would write them. */
    for (int i = 0; i < KB_NLEVELS; i++)
        if (strcasecmp(s, level_names[i]) == 0)
            return i;
    return -1;
}

struct kb *kb_new(void)
{
    struct kb *kb = xcalloc(1, sizeof *kb);

    kb->topic_list = xcalloc(KB_NTOPICS, sizeof *kb->topic_list);
    for (size_t i = 0; i < KB_NTOPICS; i++) {
        struct kb_topic *t = &kb->topic_list[i];

        t->name = kb_topic_names[i];
        t->about = kb_topic_about[i];
        HASH_ADD_KEYPTR(hh, kb->topics, t->name, strlen(t->name), t);
    }
    return kb;
}

const char *kb_intern_file(struct kb *kb, const char *name)
{
    for (size_t i = 0; i < kb->nfiles; i++)
        if (strcmp(kb->files[i], name) == 0)
            return kb->files[i];
    kb->files = xrealloc(kb->files, (kb->nfiles + 1) * sizeof *kb->files);
    kb->files[kb->nfiles] = xstrdup(name);
    return kb->files[kb->nfiles++];
}

struct kb_entry *kb_add_entry(struct kb *kb, struct kb_entry *e)
{
    struct kb_entry *first = kb_entry_find(kb, e->id);
    struct kb_topic *t = (struct kb_topic *)e->topic;

    if (first)
        return first;
    HASH_ADD_KEYPTR(hh, kb->entries, e->id, strlen(e->id), e);
    e->order = kb->nentries;
    kb->entry_list = xrealloc(kb->entry_list, (kb->nentries + 1) * sizeof *kb->entry_list);
    kb->entry_list[kb->nentries++] = e;
    t->entries = xrealloc(t->entries, (t->nentries + 1) * sizeof *t->entries);
    t->entries[t->nentries++] = e;
    return NULL;
}

const struct kb_entry *kb_entry_at(const struct kb *kb, size_t order)
{
    return order < kb->nentries ? kb->entry_list[order] : kb->declines[order - kb->nentries];
}

struct kb_entry *kb_add_decline(struct kb *kb, struct kb_entry *e)
{
    struct kb_entry *first = kb_entry_find(kb, e->id);

    for (size_t i = 0; !first && i < kb->ndeclines; i++)
        if (strcmp(kb->declines[i]->id, e->id) == 0)
            first = kb->declines[i];
    if (first)
        return first;
    e->order = kb->nentries + kb->ndeclines;
    kb->declines = xrealloc(kb->declines, (kb->ndeclines + 1) * sizeof *kb->declines);
    kb->declines[kb->ndeclines++] = e;
    return NULL;
}

/* The index word for stem, created if new. */
static struct kb_word *word_of_stem(struct kb *kb, const char *stem, size_t slen)
{
    struct kb_word *kw = NULL;

    HASH_FIND(hh, kb->words, stem, (unsigned)slen, kw);
    if (!kw) {
        kw = xcalloc(1, sizeof *kw);
        kw->word = xstrndup(stem, slen);
        HASH_ADD_KEYPTR(hh, kb->words, kw->word, slen, kw);
    }
    return kw;
}

/* Count one occurrence of index word kw in e's document. Entries are
 * indexed one at a time, so if e is already listed it is the last one. */
static void index_word(struct kb_word *kw, struct kb_entry *e)
{
    size_t cap;

    e->doclen++;
    if (kw->nentries && kw->entries[kw->nentries - 1] == e) {
        kw->tf[kw->nentries - 1]++;
        return;
    }
    cap = kw->cap;
    util_grow((void **)&kw->entries, &kw->cap, kw->nentries + 1, sizeof *kw->entries);
    util_grow((void **)&kw->tf, &cap, kw->nentries + 1, sizeof *kw->tf);
    kw->tf[kw->nentries] = 1;
    kw->entries[kw->nentries++] = e;
}

/* A distinct word met while building the index, and what indexing it
 * needs, worked out on its first occurrence: the knowledge's thousands of
 * words are mostly repeats, and stemming is the dear part. The words are
 * found through an open-addressing table of indexes (at most half full),
 * their text in one buffer, so a repeat costs a hash and a comparison. */
struct seen {
    struct kb_word *kw; /* its stem's index word; NULL for a stop word */
    unsigned hash;
    unsigned at, len;   /* its text in indexer.text */
    unsigned given, examples;        /* occurrences outside and in examples */
    size_t given_first, example_first; /* the first of each, counting every word */
};

/* The knowledge's words for spelling: kb_build_word_index() counts them,
 * kb_spell_new() makes the dictionary from the counts. */
struct kb_vocab {
    struct seen *words;
    size_t n;
    char *text;         /* their text, back to back */
    unsigned *seq;      /* every word read, as an index + 1 into words; 0 ends a text */
    size_t nseq;
};

struct indexer {
    struct kb *kb;
    struct text *tx;
    struct sbuf norm;
    struct seen *seen;  /* nseen of them */
    size_t nseen, seen_cap;
    unsigned *slots;    /* mask + 1 of them: an index + 1 into seen, or 0 */
    size_t mask;
    struct sbuf text;   /* the words, back to back */
    size_t words;       /* word occurrences read so far */
    unsigned *seq;      /* kb_vocab.seq, nseq of seq_cap */
    size_t nseq, seq_cap;
};

/* The slot of the word with hash h and len bytes at w: its own, or the
 * empty one where it would go. */
static unsigned *seen_slot(const struct indexer *ix, unsigned h, const char *w, size_t len)
{
    size_t i = h & ix->mask;

    for (; ix->slots[i]; i = (i + 1) & ix->mask) {
        const struct seen *x = &ix->seen[ix->slots[i] - 1];

        if (x->len == len && memcmp(ix->text.s + x->at, w, len) == 0)
            break;
    }
    return &ix->slots[i];
}

static void seen_grow(struct indexer *ix)
{
    size_t n = ix->slots ? ix->mask + 1 : 0;

    free(ix->slots);
    ix->mask = n ? 2 * n - 1 : 4095;
    ix->slots = xcalloc(ix->mask + 1, sizeof *ix->slots);
    for (size_t k = 0; k < ix->nseen; k++)
        *seen_slot(ix, ix->seen[k].hash, ix->text.s + ix->seen[k].at, ix->seen[k].len) =
            (unsigned)k + 1;
}

static struct seen *seen_word(struct indexer *ix, const char *w, size_t len)
{
    unsigned h = util_hash(w, len), *slot = seen_slot(ix, h, w, len);
    struct seen *x;
    size_t slen;

    if (*slot)
        return &ix->seen[*slot - 1];
    if (2 * (ix->nseen + 1) > ix->mask + 1) {
        seen_grow(ix);
        slot = seen_slot(ix, h, w, len);
    }
    util_grow((void **)&ix->seen, &ix->seen_cap, ix->nseen + 1, sizeof *ix->seen);
    x = &ix->seen[ix->nseen++];
    *x = (struct seen){NULL, h, (unsigned)ix->text.len, (unsigned)len, 0, 0, 0, 0};
    *slot = (unsigned)ix->nseen;
    sbuf_append(&ix->text, w, len);
    if (!text_is_stopword(w, len)) {
        const char *stem = text_stem(ix->tx, w, len, &slen);

        x->kw = word_of_stem(ix->kb, stem, slen);
    }
    return x;
}

/* Add e under each content word of text (normalised, stemmed), and count
 * its words for spelling: as given (vocabulary set) or as written in an
 * example (see kb_spell_new). */
static void index_text(struct indexer *ix, struct kb_entry *e, const char *text, int vocabulary)
{
    const char *p, *w;
    size_t len;

    text_normalise(ix->tx, text, strlen(text), &ix->norm);
    p = ix->norm.s;
    while ((w = text_next_word(&p, &len))) {
        struct seen *x = seen_word(ix, w, len);

        if (vocabulary && !x->given++)
            x->given_first = ix->words;
        else if (!vocabulary && !x->examples++)
            x->example_first = ix->words;
        ix->words++;
        if (x->kw)
            index_word(x->kw, e);
        util_grow((void **)&ix->seq, &ix->seq_cap, ix->nseq + 2, sizeof *ix->seq);
        ix->seq[ix->nseq++] = (unsigned)(x - ix->seen) + 1;
    }
    if (ix->nseq && ix->seq[ix->nseq - 1])
        ix->seq[ix->nseq++] = 0; /* the next text's first word is no neighbour */
}

void kb_build_word_index(struct kb *kb)
{
    struct indexer ix = {kb, text_new(), {0}, NULL, 0, 0, NULL, 0, {0}, 0, NULL, 0, 0};
    double total = 0;

    seen_grow(&ix);
    for (size_t i = 0; i < kb->nentries; i++) {
        struct kb_entry *e = kb->entry_list[i];

        index_text(&ix, e, e->title, 1);
        for (size_t k = 0; k < e->nkeywords; k++)
            index_text(&ix, e, e->keywords[k], 1);
        for (size_t k = 0; k < e->nexamples; k++)
            index_text(&ix, e, e->examples[k].text, 0);
        for (int lv = 0; lv < KB_NLEVELS; lv++)
            if (e->answers[lv])
                index_text(&ix, e, e->answers[lv], 1);
        for (size_t c = 0; c < e->nconcepts; c++)
            for (size_t k = 0; k < e->concepts[c]->nwords; k++)
                index_text(&ix, e, e->concepts[c]->words[k], 1);
        total += e->doclen;
    }
    kb->avgdl = kb->nentries ? total / (double)kb->nentries : 0;
    kb->vocab = xmalloc(sizeof *kb->vocab);
    *kb->vocab = (struct kb_vocab){ix.seen, ix.nseen, sbuf_detach(&ix.text), ix.seq, ix.nseq};
    free(ix.slots);
    sbuf_free(&ix.norm);
    text_free(ix.tx);
}

/* A vocabulary word's place in the dictionary: it goes in where it first
 * counts, as if each occurrence had been added as it was read. */
struct vocab_order {
    size_t first, count;
    const struct seen *w;
};

static int cmp_first(const void *a, const void *b)
{
    size_t x = ((const struct vocab_order *)a)->first, y = ((const struct vocab_order *)b)->first;

    return (x > y) - (x < y);
}

/* The English words of a pattern's regex (runs of a-z not led by a
 * backslash, so \b and \w are no words) join the dictionary as words to
 * correct into: "truobleshooting" is fixed for a pattern that names
 * "troubleshooting" though no answer uses the word. A pattern's typos
 * ("leeding") do not join: correcting them lets every other pattern and
 * BM25 see the word too. Two words with one space between them ("stand
 * out") are a word pair. */
static void add_pattern_words(struct spell *s, const char *re)
{
    const char *prev = NULL;
    size_t plen = 0;

    while (*re) {
        const char *w = re;
        size_t len;

        if (*re == '\\') {
            re += re[1] ? 2 : 1;
            prev = NULL;
            continue;
        }
        while (*re >= 'a' && *re <= 'z')
            re++;
        if (re == w) {
            /* Only a single space keeps the word before as a neighbour. */
            if (!(*re == ' ' && prev && re == prev + plen))
                prev = NULL;
            re++;
            continue;
        }
        len = (size_t)(re - w);
        if (!spell_known(s, w, len) && spell_english(w, len))
            spell_add(s, w, len);
        if (prev)
            spell_add_pair(s, prev, plen, w, len);
        prev = w;
        plen = len;
    }
}

/* The word pairs of everything kb_build_word_index() read, in order. */
static void add_pairs(struct spell *s, const struct kb_vocab *v)
{
    for (size_t i = 1; i < v->nseq; i++)
        if (v->seq[i - 1] && v->seq[i]) {
            const struct seen *a = &v->words[v->seq[i - 1] - 1], *b = &v->words[v->seq[i] - 1];

            spell_add_pair(s, v->text + a->at, a->len, v->text + b->at, b->len);
        }
}

struct spell *kb_spell_new(const struct kb *kb)
{
    const struct kb_vocab *v = kb->vocab;
    struct spell *s = spell_new();
    struct vocab_order *order = xmalloc((v && v->n ? v->n : 1) * sizeof *order);
    size_t n = 0;

    for (size_t i = 0; v && i < v->n; i++) {
        const struct seen *w = &v->words[i];
        /* Examples are written the way people type, misspellings included,
         * so only their dictionary words are trusted as spellings. */
        int english = w->examples && spell_english(v->text + w->at, w->len);
        struct vocab_order o = {w->given ? w->given_first : (size_t)-1, w->given, w};

        if (english) {
            o.count += w->examples;
            o.first = o.first < w->example_first ? o.first : w->example_first;
        }
        if (o.count)
            order[n++] = o;
    }
    qsort(order, n, sizeof *order, cmp_first);
    for (size_t i = 0; i < n; i++)
        for (size_t k = 0; k < order[i].count; k++)
            spell_add(s, v->text + order[i].w->at, order[i].w->len);
    free(order);
    for (size_t i = 0; i < kb->nentries + kb->ndeclines; i++) {
        const struct kb_entry *e = kb_entry_at(kb, i);

        for (size_t k = 0; k < e->npatterns; k++)
            add_pattern_words(s, e->patterns[k].regex);
    }
    if (v)
        add_pairs(s, v);
    return s;
}

struct kb_entry *kb_entry_find(const struct kb *kb, const char *id)
{
    struct kb_entry *e = NULL;

    HASH_FIND_STR(kb->entries, id, e);
    return e;
}

struct kb_topic *kb_topic_find(const struct kb *kb, const char *name)
{
    struct kb_topic *t = NULL;

    HASH_FIND_STR(kb->topics, name, t);
    return t;
}

const struct kb_word *kb_word_find(const struct kb *kb, const char *word, size_t len)
{
    struct kb_word *w = NULL;

    HASH_FIND(hh, kb->words, word, (unsigned)len, w);
    return w;
}

static int is_name_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
}

const struct kb_concept *kb_concept_at(const struct kb *kb, const char *s, size_t *len)
{
    struct kb_concept *c = NULL;
    size_t n = 1;

    *len = 0;
    if (s[0] != '~' || !(s[1] >= 'a' && s[1] <= 'z'))
        return NULL;
    while (is_name_char(s[n]))
        n++;
    *len = n;
    HASH_FIND(hh, kb->concepts, s + 1, (unsigned)(n - 1), c);
    return c;
}

size_t kb_pattern_src_offset(const struct kb *kb, const struct kb_pattern *p, size_t off)
{
    size_t s = 0, r = 0;

    while (p->src[s] && r < off) {
        size_t len;
        const struct kb_concept *c = kb_concept_at(kb, p->src + s, &len);

        if (c) {
            size_t alen = strlen(c->alternation);

            if (off < r + alen)
                return s;
            r += alen, s += len;
        } else {
            /* An escaped character is copied as it is, "\~x" included. */
            size_t step = p->src[s] == '\\' && p->src[s + 1] ? 2 : 1;

            r += step, s += step;
        }
    }
    return s;
}

unsigned kb_pattern_col(const struct kb_pattern *p, size_t off)
{
    unsigned col = p->mark.col + (unsigned)off;

    for (size_t i = 0; p->single_quoted && i < off && p->src[i]; i++)
        col += p->src[i] == '\'';
    return col;
}

void kb_concept_free(struct kb_concept *c)
{
    free(c->name);
    for (size_t i = 0; i < c->nwords; i++)
        free(c->words[i]);
    free(c->words);
    free(c->alternation);
    free(c);
}

const char *kb_entry_answer(const struct kb_entry *e, enum kb_level level)
{
    if (e->answers[level])
        return e->answers[level];
    if (e->answers[KB_LEVEL_ANY])
        return e->answers[KB_LEVEL_ANY];
    return e->answers[KB_LEVEL_JUNIOR] ? e->answers[KB_LEVEL_JUNIOR]
                                       : e->answers[KB_LEVEL_SENIOR];
}

void kb_entry_free(struct kb_entry *e)
{
    free(e->id);
    free(e->title);
    for (size_t i = 0; i < e->npatterns; i++) {
        free(e->patterns[i].src);
        free(e->patterns[i].regex);
    }
    free(e->patterns);
    for (size_t i = 0; i < e->nkeywords; i++)
        free(e->keywords[i]);
    free(e->keywords);
    for (size_t i = 0; i < e->nexamples; i++)
        free(e->examples[i].text);
    free(e->examples);
    for (int lv = 0; lv < KB_NLEVELS; lv++)
        free(e->answers[lv]);
    free(e->sources);
    free(e->concepts);
    free(e->related);
    free(e);
}

void kb_document_free(struct kb_document *doc)
{
    free(doc->id);
    free(doc->title);
    free(doc->file);
    free(doc->sections);
    free(doc);
}

void kb_free(struct kb *kb)
{
    struct kb_entry *e, *etmp;
    struct kb_word *w, *wtmp;
    struct kb_section *s, *stmp;
    struct kb_document *d, *dtmp;
    struct kb_concept *c, *ctmp;

    if (!kb)
        return;
    HASH_ITER(hh, kb->entries, e, etmp) {
        HASH_DEL(kb->entries, e);
        kb_entry_free(e);
    }
    HASH_ITER(hh, kb->words, w, wtmp) {
        HASH_DEL(kb->words, w);
        free(w->word);
        free(w->entries);
        free(w->tf);
        free(w);
    }
    HASH_ITER(hh, kb->sections, s, stmp) {
        HASH_DEL(kb->sections, s);
        free(s->id);
        free(s->title);
        free(s->ref);
        free(s);
    }
    HASH_ITER(hh, kb->documents, d, dtmp) {
        HASH_DEL(kb->documents, d);
        kb_document_free(d);
    }
    HASH_ITER(hh, kb->concepts, c, ctmp) {
        HASH_DEL(kb->concepts, c);
        kb_concept_free(c);
    }
    HASH_CLEAR(hh, kb->topics);
    for (size_t i = 0; i < KB_NTOPICS; i++)
        free(kb->topic_list[i].entries);
    free(kb->topic_list);
    free(kb->entry_list);
    for (size_t i = 0; i < kb->ndeclines; i++)
        kb_entry_free(kb->declines[i]);
    free(kb->declines);
    if (kb->vocab) {
        free(kb->vocab->words);
        free(kb->vocab->text);
        free(kb->vocab->seq);
        free(kb->vocab);
    }
    for (size_t i = 0; i < kb->nfiles; i++)
        free(kb->files[i]);
    free(kb->files);
    kb_statements_free(kb);
    free(kb);
}

/* ---- Reading from disk and from the binary ----------------------------- */

/* Knowledge files larger than this are refused rather than read whole. */
#define KB_MAX_FILE (16u << 20)

/* Read path into a new string. Returns NULL (with a message) on failure.
 * The file is opened without blocking and checked to be a regular file
 * before anything is read: a FIFO or a device named like a knowledge file
 * would otherwise hang the program or never end. */
static char *read_file(const char *path, size_t *len, struct diag *d)
{
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    struct stat st;
    FILE *f;
    char *buf;

    if (fd < 0) {
        diag_add(d, path, 0, 0, "cannot open: %s", strerror(errno));
        return NULL;
    }
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        diag_add(d, path, 0, 0, "not a regular file");
        close(fd);
        return NULL;
    }
    if ((unsigned long long)st.st_size > KB_MAX_FILE) {
        diag_add(d, path, 0, 0, "too large (over %u MiB)", KB_MAX_FILE >> 20);
        close(fd);
        return NULL;
    }
    f = fdopen(fd, "rb");
    if (!f) {
        diag_add(d, path, 0, 0, "cannot read: %s", strerror(errno));
        close(fd);
        return NULL;
    }
    buf = xmalloc((size_t)st.st_size + 1);
    *len = fread(buf, 1, (size_t)st.st_size, f);
    if (ferror(f)) {
        diag_add(d, path, 0, 0, "cannot read: %s", strerror(errno));
        free(buf);
        fclose(f);
        return NULL;
    }
    buf[*len] = '\0';
    fclose(f);
    return buf;
}

static int is_yml(const struct dirent *de)
{
    size_t len = strlen(de->d_name);

    return de->d_name[0] != '.' && len > 4 && strcmp(de->d_name + len - 4, ".yml") == 0;
}

static int has_sources(struct dirent **names, int n)
{
    for (int i = 0; i < n; i++)
        if (strcmp(names[i]->d_name, "sources.yml") == 0)
            return 1;
    return 0;
}

struct kb *kb_load_dir(const char *dir, struct diag *d, int *missing)
{
    struct dirent **names = NULL;
    struct kb_file *files;
    struct kb *kb = NULL;
    int n = scandir(dir, &names, is_yml, alphasort), usable;
    size_t nread = 0;

    *missing = 0;
    if (n < 0) {
        diag_add(d, dir, 0, 0, "cannot open knowledge directory: %s", strerror(errno));
        *missing = 1;
        return NULL;
    }
    if (!(usable = has_sources(names, n))) {
        /* Say which directory: MLCOACH_KB=/tmp should not read as a
         * problem with some sources.yml. */
        diag_add(d, dir, 0, 0, "not a knowledge directory: it has no sources.yml");
        *missing = 1;
    }
    files = xcalloc((size_t)n, sizeof *files);
    for (int i = 0; i < n && usable; i++) {
        struct sbuf path = {0};
        size_t len = 0;

        sbuf_printf(&path, "%s/%s", dir, names[i]->d_name);
        files[nread].text = read_file(path.s, &len, d);
        files[nread].len = len;
        if (files[nread].text)
            files[nread++].name = sbuf_detach(&path);
        else
            *missing = 1;
        sbuf_free(&path);
    }
    for (int i = 0; i < n; i++)
        free(names[i]);
    free(names);
    if (!*missing)
        kb = kb_load_files(files, nread, d);
    for (size_t i = 0; i < nread; i++) {
        free((char *)files[i].name);
        free((char *)files[i].text);
    }
    free(files);
    return kb;
}

/* Generated at build time from the knowledge files (tools/embed.sh). */
extern const struct kb_file kb_builtin_files[];
extern const size_t kb_builtin_nfiles;

const struct kb_yaml_doc *kb_builtin_doc(const struct kb_file *f)
{
    for (size_t i = 0; i < kb_builtin_nfiles; i++)
        if (f == &kb_builtin_files[i])
            return &kb_builtin_docs[i];
    return NULL;
}

struct kb *kb_load_builtin(struct diag *d)
{
    struct kb *kb = kb_load_files(kb_builtin_files, kb_builtin_nfiles, d);

    if (kb)
        kb->builtin = 1;
    return kb;
}
