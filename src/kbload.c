/* kbload.c -- reading knowledge YAML into a struct kb, with validation.
 *
 * Start at kb_load_files(): it reads sources.yml first (documents and
 * sections), then concepts.yml (word lists patterns use as ~name), then
 * each TOPIC.yml (entries), then resolves `related` ids once every entry is
 * known, then reads out-of-scope.yml (declines) and assessment.yml. Each YAML file is parsed whole with libyaml's
 * document API; entry keys are dispatched through entry_keys[]. Every problem
 * becomes one "FILE:LINE:COL: message" in the caller's struct diag and
 * loading goes on, so one run shows every mistake.
 */
#include "kb_internal.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <yaml.h>

/* A `related` id waiting until every file is loaded. */
struct pending {
    struct kb_entry *entry;
    char *id;
    struct kb_mark mark;
};

struct loader {
    struct kb *kb;
    struct diag *d;
    const char *file;       /* the kb's interned copy of the current name */
    yaml_document_t doc;
    struct pending *pending;
    size_t npending, pending_cap;
    size_t errors_before;   /* d->n when loading started */
    unsigned seen;          /* bit i: the entry has entry_keys[i] */
};

static struct kb_mark mark_of(const struct loader *l, const yaml_node_t *n)
{
    struct kb_mark m = {l->file, (unsigned)n->start_mark.line + 1,
                        (unsigned)n->start_mark.column + 1};
    return m;
}

static void bad(struct loader *l, const yaml_node_t *n, const char *fmt, ...) UTIL_PRINTF(3, 4);

static void bad(struct loader *l, const yaml_node_t *n, const char *fmt, ...)
{
    struct sbuf msg = {0};
    struct kb_mark m = mark_of(l, n);
    va_list ap;

    va_start(ap, fmt);
    sbuf_vprintf(&msg, fmt, ap);
    va_end(ap);
    diag_add(l->d, m.file, m.line, m.col, "%s", msg.s);
    sbuf_free(&msg);
}

static yaml_node_t *node(struct loader *l, int index)
{
    return yaml_document_get_node(&l->doc, index);
}

static const char *type_name(const yaml_node_t *n)
{
    static const char *const names[] = {
        [YAML_NO_NODE] = "nothing", [YAML_SCALAR_NODE] = "a scalar",
        [YAML_SEQUENCE_NODE] = "a list", [YAML_MAPPING_NODE] = "a mapping",
    };
    return names[n->type];
}

/* The scalar's text, or NULL (after a message naming what) if n is not a
 * non-empty scalar. */
static const char *scalar(struct loader *l, yaml_node_t *n, const char *what)
{
    if (n->type != YAML_SCALAR_NODE) {
        bad(l, n, "%s must be text, not %s", what, type_name(n));
        return NULL;
    }
    if (n->data.scalar.length == 0) {
        bad(l, n, "%s is empty", what);
        return NULL;
    }
    if (strlen((const char *)n->data.scalar.value) != n->data.scalar.length) {
        bad(l, n, "%s contains a NUL byte", what);
        return NULL;
    }
    return (const char *)n->data.scalar.value;
}

/* Copy of a scalar with trailing newlines removed, or NULL after a message. */
static char *scalar_dup(struct loader *l, yaml_node_t *n, const char *what)
{
    const char *s = scalar(l, n, what);
    size_t len;

    if (!s)
        return NULL;
    len = strlen(s);
    while (len && (s[len - 1] == '\n' || s[len - 1] == ' '))
        len--;
    return xstrndup(s, len);
}

/* A list of scalars: calls each(l, item_node, text, ctx) for every item. */
typedef void (*item_fn)(struct loader *l, yaml_node_t *n, const char *text, void *ctx);

static size_t each_scalar(struct loader *l, yaml_node_t *list, const char *what,
                          item_fn fn, void *ctx)
{
    size_t count = 0;

    if (list->type != YAML_SEQUENCE_NODE) {
        bad(l, list, "%s must be a list, not %s", what, type_name(list));
        return 0;
    }
    for (yaml_node_item_t *it = list->data.sequence.items.start;
         it < list->data.sequence.items.top; it++) {
        yaml_node_t *item = node(l, *it);
        const char *s = scalar(l, item, what);

        if (s) {
            fn(l, item, s, ctx);
            count++;
        }
    }
    return count;
}

/* Walk a mapping's pairs; reports duplicate keys and non-scalar keys. Keys
 * seen are kept in a hash, so a mapping of a million keys costs a million
 * lookups, not a million squared comparisons. */
typedef void (*pair_fn)(struct loader *l, yaml_node_t *key, const char *k,
                        yaml_node_t *value, void *ctx);

struct seen_key {
    const char *k;
    UT_hash_handle hh;
};

static void each_pair(struct loader *l, yaml_node_t *map, pair_fn fn, void *ctx)
{
    size_t n = (size_t)(map->data.mapping.pairs.top - map->data.mapping.pairs.start);
    struct seen_key *keys = xcalloc(n ? n : 1, sizeof *keys), *seen = NULL, *dup;
    size_t nkeys = 0;

    for (yaml_node_pair_t *p = map->data.mapping.pairs.start;
         p < map->data.mapping.pairs.top; p++) {
        yaml_node_t *key = node(l, p->key);
        const char *k = scalar(l, key, "a key");

        if (!k)
            continue;
        HASH_FIND_STR(seen, k, dup);
        if (dup) {
            bad(l, key, "duplicate key '%s'", k);
            continue;
        }
        keys[nkeys].k = k;
        HASH_ADD_KEYPTR(hh, seen, k, strlen(k), &keys[nkeys]);
        nkeys++;
        fn(l, key, k, node(l, p->value), ctx);
    }
    HASH_CLEAR(hh, seen);
    free(keys);
}

/* ---- Entries ----------------------------------------------------------- */

/* Remember that e's patterns use concept c (each concept once). */
static void note_concept(struct kb_entry *e, const struct kb_concept *c)
{
    size_t cap = e->nconcepts;

    for (size_t i = 0; i < e->nconcepts; i++)
        if (e->concepts[i] == c)
            return;
    util_grow((void **)&e->concepts, &cap, e->nconcepts + 1, sizeof *e->concepts);
    e->concepts[e->nconcepts++] = c;
}

/* p->src with every ~name replaced by its concept's alternation; an unknown
 * name is reported at its '~'. */
static char *expand_concepts(struct loader *l, struct kb_entry *e, const struct kb_pattern *p)
{
    struct sbuf b = {0};
    const char *s = p->src;

    while (*s) {
        size_t len, run = 0;
        const struct kb_concept *c;

        /* Copy everything up to the next '~' not escaped in one go. */
        while (s[run] && s[run] != '~')
            run += s[run] == '\\' && s[run + 1] ? 2 : 1;
        sbuf_append(&b, s, run);
        s += run;
        if (!*s)
            break;
        c = kb_concept_at(l->kb, s, &len);
        if (len && c) {
            sbuf_puts(&b, c->alternation);
            note_concept(e, c);
            s += len;
        } else if (len) {
            diag_add(l->d, p->mark.file, p->mark.line, kb_pattern_col(p, (size_t)(s - p->src)),
                     "unknown concept '%.*s' (concepts are defined in concepts.yml)",
                     (int)len, s);
            s += len;
        } else {
            sbuf_putc(&b, *s++); /* a '~' that names nothing */
        }
    }
    return b.s ? sbuf_detach(&b) : xstrdup("");
}

static void add_pattern(struct loader *l, yaml_node_t *n, const char *s, void *ctx)
{
    struct kb_entry *e = ctx;
    struct kb_pattern *p;
    size_t cap = e->npatterns;

    util_grow((void **)&e->patterns, &cap, e->npatterns + 1, sizeof *p);
    p = &e->patterns[e->npatterns++];
    p->src = xstrdup(s);
    p->mark = mark_of(l, n);
    /* Point the mark at the regex itself, past an opening quote, so compile
     * errors can put a caret under the offending character. */
    p->single_quoted = n->data.scalar.style == YAML_SINGLE_QUOTED_SCALAR_STYLE;
    if (p->single_quoted || n->data.scalar.style == YAML_DOUBLE_QUOTED_SCALAR_STYLE)
        p->mark.col++;
    p->regex = expand_concepts(l, e, p);
}

static void add_keyword(struct loader *l, yaml_node_t *n, const char *s, void *ctx)
{
    struct kb_entry *e = ctx;
    size_t cap = e->nkeywords;

    (void)l, (void)n;
    util_grow((void **)&e->keywords, &cap, e->nkeywords + 1, sizeof *e->keywords);
    e->keywords[e->nkeywords++] = xstrdup(s);
}

static void add_example(struct loader *l, yaml_node_t *n, const char *s, void *ctx)
{
    struct kb_entry *e = ctx;
    size_t cap = e->nexamples;

    util_grow((void **)&e->examples, &cap, e->nexamples + 1, sizeof *e->examples);
    e->examples[e->nexamples].text = xstrdup(s);
    e->examples[e->nexamples++].mark = mark_of(l, n);
}

static void add_source(struct loader *l, yaml_node_t *n, const char *s, void *ctx)
{
    struct kb_entry *e = ctx;
    struct kb_section *sec = NULL;
    size_t cap = e->nsources;

    HASH_FIND_STR(l->kb->sections, s, sec);
    if (!sec) {
        const char *hash = strchr(s, '#');
        struct kb_document *doc = NULL;

        if (hash)
            HASH_FIND(hh, l->kb->documents, s, (unsigned)(hash - s), doc);
        if (!hash)
            bad(l, n, "source '%s' must be DOCUMENT#SECTION", s);
        else if (!doc)
            bad(l, n, "unknown source document '%.*s'", (int)(hash - s), s);
        else
            bad(l, n, "unknown section '%s' of document '%s'", hash + 1, doc->id);
        return;
    }
    util_grow((void **)&e->sources, &cap, e->nsources + 1, sizeof *e->sources);
    e->sources[e->nsources++] = sec;
    sec->ncited++;
}

static void add_related(struct loader *l, yaml_node_t *n, const char *s, void *ctx)
{
    struct pending *p;

    util_grow((void **)&l->pending, &l->pending_cap, l->npending + 1, sizeof *p);
    p = &l->pending[l->npending++];
    p->entry = ctx;
    p->id = xstrdup(s);
    p->mark = mark_of(l, n);
}

static void set_answer_variant(struct loader *l, yaml_node_t *key, const char *k,
                               yaml_node_t *value, void *ctx)
{
    struct kb_entry *e = ctx;
    int level = kb_level_parse(k);

    if (level < 0) {
        bad(l, key, "unknown level '%s' in answers (junior, senior or any)", k);
        return;
    }
    free(e->answers[level]);
    e->answers[level] = scalar_dup(l, value, "an answer");
}

typedef void (*entry_key_fn)(struct loader *l, struct kb_entry *e, yaml_node_t *v);

static void key_id(struct loader *l, struct kb_entry *e, yaml_node_t *v)
{
    e->id = scalar_dup(l, v, "id");
}

static void key_title(struct loader *l, struct kb_entry *e, yaml_node_t *v)
{
    e->title = scalar_dup(l, v, "title");
}

static void key_level(struct loader *l, struct kb_entry *e, yaml_node_t *v)
{
    const char *s = scalar(l, v, "level");
    int level = s ? kb_level_parse(s) : 0;

    if (level < 0)
        bad(l, v, "unknown level '%s' (junior, senior or any)", s);
    else
        e->level = (enum kb_level)level;
}

static void key_patterns(struct loader *l, struct kb_entry *e, yaml_node_t *v)
{
    each_scalar(l, v, "a pattern", add_pattern, e);
}

static void key_keywords(struct loader *l, struct kb_entry *e, yaml_node_t *v)
{
    each_scalar(l, v, "a keyword", add_keyword, e);
}

static void key_examples(struct loader *l, struct kb_entry *e, yaml_node_t *v)
{
    each_scalar(l, v, "an example", add_example, e);
}

static void key_answer(struct loader *l, struct kb_entry *e, yaml_node_t *v)
{
    e->answers[KB_LEVEL_ANY] = scalar_dup(l, v, "answer");
}

static void key_answers(struct loader *l, struct kb_entry *e, yaml_node_t *v)
{
    if (v->type != YAML_MAPPING_NODE)
        bad(l, v, "answers must be a mapping of level to text, not %s", type_name(v));
    else
        each_pair(l, v, set_answer_variant, e);
}

static void key_sources(struct loader *l, struct kb_entry *e, yaml_node_t *v)
{
    each_scalar(l, v, "a source", add_source, e);
}

static void key_related(struct loader *l, struct kb_entry *e, yaml_node_t *v)
{
    /* Declines load after related ids are resolved and may not have any
     * (entry_complete says so): queue nothing for them. */
    if (e->topic)
        each_scalar(l, v, "a related id", add_related, e);
}

/* The keys an entry may have. To add one: write key_NAME above, add a row. */
static const struct {
    const char *name;
    entry_key_fn fn;
} entry_keys[] = {
    {"id", key_id},             {"title", key_title},
    {"level", key_level},       {"patterns", key_patterns},
    {"keywords", key_keywords}, {"examples", key_examples},
    {"answer", key_answer},     {"answers", key_answers},
    {"sources", key_sources},   {"related", key_related},
};

static void entry_pair(struct loader *l, yaml_node_t *key, const char *k,
                       yaml_node_t *value, void *ctx)
{
    for (size_t i = 0; i < sizeof entry_keys / sizeof *entry_keys; i++) {
        if (strcmp(k, entry_keys[i].name) == 0) {
            l->seen |= 1u << i;
            entry_keys[i].fn(l, ctx, value);
            return;
        }
    }
    bad(l, key, "unknown key '%s' in an entry", k);
}

static int has_key(const struct loader *l, const char *name)
{
    for (size_t i = 0; i < sizeof entry_keys / sizeof *entry_keys; i++)
        if (strcmp(entry_keys[i].name, name) == 0)
            return (l->seen >> i) & 1;
    return 0;
}

/* Report each required field the entry does not have at all (a field that
 * is present but wrong has been reported already). Returns 1 if complete. */
static int entry_complete(struct loader *l, yaml_node_t *n, const struct kb_entry *e,
                          size_t errors)
{
    int decline = e->topic == NULL;
    const struct {
        int missing;
        const char *field;
    } required[] = {
        {!has_key(l, "id"), "'id'"},
        {!has_key(l, "patterns"), "'patterns'"},
        {!has_key(l, "answer") && !has_key(l, "answers"), "'answer' (or 'answers')"},
        {!decline && !has_key(l, "sources"), "'sources'"},
    };
    /* A decline says why mlcoach does not answer: it cites nothing and
     * points nowhere. */
    const char *const refused[] = {"sources", "related", "answers", "level"};
    int ok = 1;

    for (size_t i = 0; decline && i < sizeof refused / sizeof *refused; i++) {
        if (has_key(l, refused[i])) {
            bad(l, n, "decline '%s' may not have '%s' (out-of-scope.yml)", e->id ? e->id : "?",
                refused[i]);
            ok = 0;
        }
    }

    for (size_t i = 0; i < sizeof required / sizeof *required; i++) {
        if (!required[i].missing)
            continue;
        bad(l, n, "entry%s%s%s is missing required field %s", e->id ? " '" : "",
            e->id ? e->id : "", e->id ? "'" : "", required[i].field);
        ok = 0;
    }
    if (!ok || l->d->n != errors)
        return 0;
    /* Present but empty ("patterns: []", an "answers" with no levels). */
    int has_answer = 0;
    for (int lv = 0; lv < KB_NLEVELS; lv++)
        has_answer |= e->answers[lv] != NULL;
    const struct {
        int empty;
        const char *field;
    } nonempty[] = {
        {!e->npatterns, "patterns"}, {!has_answer, "answer"}, {!decline && !e->nsources, "sources"},
    };
    for (size_t i = 0; i < sizeof nonempty / sizeof *nonempty; i++) {
        if (nonempty[i].empty) {
            bad(l, n, "entry '%s' has no %s", e->id, nonempty[i].field);
            ok = 0;
        }
    }
    return ok;
}

/* Load one entry of topic, or a decline when topic is NULL. */
static void load_entry(struct loader *l, yaml_node_t *n, const struct kb_topic *topic)
{
    struct kb_entry *e, *first;
    size_t errors = l->d->n;

    if (n->type != YAML_MAPPING_NODE) {
        bad(l, n, "an entry must be a mapping, not %s", type_name(n));
        return;
    }
    e = xcalloc(1, sizeof *e);
    e->topic = topic;
    e->mark = mark_of(l, n);
    l->seen = 0;
    each_pair(l, n, entry_pair, e);
    if (!entry_complete(l, n, e, errors)) {
        /* Keep the related ids of a broken entry out of the later check. */
        while (l->npending && l->pending[l->npending - 1].entry == e)
            free(l->pending[--l->npending].id);
        kb_entry_free(e);
        return;
    }
    if (!e->title)
        e->title = xstrdup(e->id);
    first = topic ? kb_add_entry(l->kb, e) : kb_add_decline(l->kb, e);
    if (first) {
        bad(l, n, "duplicate id '%s' (first defined at %s:%u:%u)", e->id,
            first->mark.file, first->mark.line, first->mark.col);
        while (l->npending && l->pending[l->npending - 1].entry == e)
            free(l->pending[--l->npending].id);
        kb_entry_free(e);
    }
}

/* ---- Topic files ------------------------------------------------------- */

struct topic_ctx {
    struct kb_topic *topic;
    yaml_node_t *entries;
};

static void topic_pair(struct loader *l, yaml_node_t *key, const char *k,
                       yaml_node_t *value, void *ctx)
{
    struct topic_ctx *t = ctx;

    if (strcmp(k, "topic") == 0) {
        const char *name = scalar(l, value, "topic");

        if (name && strcmp(name, t->topic->name) != 0)
            bad(l, value, "topic '%s' does not match the file name (expected '%s')",
                name, t->topic->name);
    } else if (strcmp(k, "entries") == 0) {
        t->entries = value;
    } else {
        bad(l, key, "unknown key '%s' in a topic file (topic, entries)", k);
    }
}

/* Load every entry of list (the value of key `what`; absent or empty is
 * allowed) for topic, or as declines when topic is NULL. */
static void load_entries(struct loader *l, yaml_node_t *list, const char *what,
                         const struct kb_topic *topic)
{
    if (!list || (list->type == YAML_SCALAR_NODE && !list->data.scalar.length))
        return;
    if (list->type != YAML_SEQUENCE_NODE) {
        bad(l, list, "%s must be a list, not %s", what, type_name(list));
        return;
    }
    for (yaml_node_item_t *it = list->data.sequence.items.start; it < list->data.sequence.items.top;
         it++)
        load_entry(l, node(l, *it), topic);
}

static void load_topic_doc(struct loader *l, yaml_node_t *root, struct kb_topic *topic)
{
    struct topic_ctx t = {topic, NULL};

    if (root->type != YAML_MAPPING_NODE) {
        bad(l, root, "a topic file must be a mapping with 'topic' and 'entries'");
        return;
    }
    each_pair(l, root, topic_pair, &t);
    load_entries(l, t.entries, "entries", topic);
}

/* ---- out-of-scope.yml -------------------------------------------------- */

static void declines_pair(struct loader *l, yaml_node_t *key, const char *k,
                          yaml_node_t *value, void *ctx)
{
    if (strcmp(k, "declines") != 0)
        bad(l, key, "unknown key '%s' in " KB_DECLINES_FILE " (declines)", k);
    else
        *(yaml_node_t **)ctx = value;
}

static void load_declines_doc(struct loader *l, yaml_node_t *root, void *ctx)
{
    yaml_node_t *list = NULL;

    (void)ctx;
    if (root->type != YAML_MAPPING_NODE) {
        bad(l, root, KB_DECLINES_FILE " must be a mapping with 'declines'");
        return;
    }
    each_pair(l, root, declines_pair, &list);
    load_entries(l, list, "declines", NULL);
}

/* ---- sources.yml ------------------------------------------------------- */

struct doc_ctx {
    struct kb_document *doc;
    yaml_node_t *sections;
};

static void doc_pair(struct loader *l, yaml_node_t *key, const char *k,
                     yaml_node_t *value, void *ctx)
{
    struct doc_ctx *c = ctx;
    char **field = strcmp(k, "id") == 0      ? &c->doc->id
                   : strcmp(k, "title") == 0 ? &c->doc->title
                   : strcmp(k, "file") == 0  ? &c->doc->file
                                             : NULL;

    if (field) {
        free(*field);
        *field = scalar_dup(l, value, k);
    } else if (strcmp(k, "sections") == 0) {
        c->sections = value;
    } else {
        bad(l, key, "unknown key '%s' in a document (id, title, file, sections)", k);
    }
}

struct section_ctx {
    char *id, *title;
};

static void section_pair(struct loader *l, yaml_node_t *key, const char *k,
                         yaml_node_t *value, void *ctx)
{
    struct section_ctx *s = ctx;
    char **field = strcmp(k, "id") == 0 ? &s->id : strcmp(k, "title") == 0 ? &s->title : NULL;

    if (!field) {
        bad(l, key, "unknown key '%s' in a section (id, title)", k);
        return;
    }
    free(*field);
    *field = scalar_dup(l, value, k);
}

static void load_section(struct loader *l, yaml_node_t *n, struct kb_document *doc)
{
    struct section_ctx s = {NULL, NULL};
    struct kb_section *sec, *dup = NULL;
    struct sbuf ref = {0};

    if (n->type != YAML_MAPPING_NODE) {
        bad(l, n, "a section must be a mapping with id and title, not %s", type_name(n));
        return;
    }
    each_pair(l, n, section_pair, &s);
    if (!s.id || !s.title) {
        bad(l, n, "section is missing required field '%s'", s.id ? "title" : "id");
        free(s.id);
        free(s.title);
        return;
    }
    sbuf_printf(&ref, "%s#%s", doc->id, s.id);
    HASH_FIND_STR(l->kb->sections, ref.s, dup);
    if (dup) {
        bad(l, n, "duplicate section '%s'", ref.s);
        free(s.id);
        free(s.title);
        sbuf_free(&ref);
        return;
    }
    sec = xcalloc(1, sizeof *sec);
    sec->id = s.id;
    sec->title = s.title;
    sec->ref = sbuf_detach(&ref);
    sec->doc = doc;
    sec->mark = mark_of(l, n);
    HASH_ADD_KEYPTR(hh, l->kb->sections, sec->ref, strlen(sec->ref), sec);
    doc->sections = xrealloc(doc->sections, (doc->nsections + 1) * sizeof *doc->sections);
    doc->sections[doc->nsections++] = sec;
}

static void load_document(struct loader *l, yaml_node_t *n)
{
    struct doc_ctx c = {xcalloc(1, sizeof *c.doc), NULL};
    struct kb_document *dup = NULL;

    if (n->type != YAML_MAPPING_NODE) {
        bad(l, n, "a document must be a mapping, not %s", type_name(n));
        kb_document_free(c.doc);
        return;
    }
    each_pair(l, n, doc_pair, &c);
    if (!c.doc->id || !c.doc->title || !c.sections) {
        bad(l, n, "document is missing required field '%s'",
            !c.doc->id ? "id" : !c.doc->title ? "title" : "sections");
        kb_document_free(c.doc);
        return;
    }
    HASH_FIND_STR(l->kb->documents, c.doc->id, dup);
    if (dup) {
        bad(l, n, "duplicate document id '%s'", c.doc->id);
        kb_document_free(c.doc);
        return;
    }
    HASH_ADD_KEYPTR(hh, l->kb->documents, c.doc->id, strlen(c.doc->id), c.doc);
    if (c.sections->type != YAML_SEQUENCE_NODE) {
        bad(l, c.sections, "sections must be a list, not %s", type_name(c.sections));
        return;
    }
    for (yaml_node_item_t *it = c.sections->data.sequence.items.start;
         it < c.sections->data.sequence.items.top; it++)
        load_section(l, node(l, *it), c.doc);
}

static void sources_pair(struct loader *l, yaml_node_t *key, const char *k,
                         yaml_node_t *value, void *ctx)
{
    (void)ctx;
    if (strcmp(k, "documents") != 0) {
        bad(l, key, "unknown key '%s' in sources.yml (documents)", k);
        return;
    }
    if (value->type != YAML_SEQUENCE_NODE) {
        bad(l, value, "documents must be a list, not %s", type_name(value));
        return;
    }
    for (yaml_node_item_t *it = value->data.sequence.items.start;
         it < value->data.sequence.items.top; it++)
        load_document(l, node(l, *it));
}

static void load_sources_doc(struct loader *l, yaml_node_t *root, void *ctx)
{
    (void)ctx;
    if (root->type != YAML_MAPPING_NODE)
        bad(l, root, "sources.yml must be a mapping with 'documents'");
    else
        each_pair(l, root, sources_pair, NULL);
    if (!l->kb->documents && l->d->n == l->errors_before)
        diag_add(l->d, l->file, 0, 0, "no documents defined");
}

/* ---- concepts.yml ------------------------------------------------------ */

/* Concept words are in the normalised form questions take (text.h): lower
 * case letters and digits, words separated by single spaces. */
static int normalised_words(const char *s)
{
    for (const char *p = s; *p; p++) {
        int alnum = (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9');

        if (!alnum && !(*p == ' ' && p > s && p[1] && p[1] != ' '))
            return 0;
    }
    return 1;
}

static void add_concept_word(struct loader *l, yaml_node_t *n, const char *s, void *ctx)
{
    struct kb_concept *c = ctx;
    size_t cap = c->nwords;

    if (!normalised_words(s)) {
        bad(l, n, "concept word '%s' must be lower-case letters and digits, words "
                  "separated by single spaces", s);
        return;
    }
    util_grow((void **)&c->words, &cap, c->nwords + 1, sizeof *c->words);
    c->words[c->nwords++] = xstrdup(s);
}

static int concept_name_ok(const char *k)
{
    if (!(*k >= 'a' && *k <= 'z'))
        return 0;
    for (; *k; k++)
        if (!((*k >= 'a' && *k <= 'z') || (*k >= '0' && *k <= '9') || *k == '_'))
            return 0;
    return 1;
}

static void concept_pair(struct loader *l, yaml_node_t *key, const char *k,
                         yaml_node_t *value, void *ctx)
{
    struct kb_concept *c;
    struct sbuf alt = {0};

    (void)ctx;
    if (!concept_name_ok(k)) {
        bad(l, key, "concept name '%s' must start with a-z and hold only a-z, 0-9 and '_'", k);
        return;
    }
    c = xcalloc(1, sizeof *c);
    c->name = xstrdup(k);
    c->mark = mark_of(l, key);
    each_scalar(l, value, "a concept word", add_concept_word, c);
    if (!c->nwords) {
        /* A list whose words were all bad has been reported already. */
        if (value->type == YAML_SEQUENCE_NODE &&
            value->data.sequence.items.start == value->data.sequence.items.top)
            bad(l, value, "concept '%s' has no words", k);
        kb_concept_free(c);
        return;
    }
    for (size_t i = 0; i < c->nwords; i++)
        sbuf_printf(&alt, "%s%s", i ? "|" : "(?:", c->words[i]);
    sbuf_putc(&alt, ')');
    c->alternation = sbuf_detach(&alt);
    HASH_ADD_KEYPTR(hh, l->kb->concepts, c->name, strlen(c->name), c);
}

static void concepts_pair(struct loader *l, yaml_node_t *key, const char *k,
                          yaml_node_t *value, void *ctx)
{
    (void)ctx;
    if (strcmp(k, "concepts") != 0)
        bad(l, key, "unknown key '%s' in concepts.yml (concepts)", k);
    else if (value->type != YAML_MAPPING_NODE)
        bad(l, value, "concepts must be a mapping of names to word lists, not %s",
            type_name(value));
    else
        each_pair(l, value, concept_pair, NULL);
}

static void load_concepts_doc(struct loader *l, yaml_node_t *root, void *ctx)
{
    (void)ctx;
    if (root->type != YAML_MAPPING_NODE)
        bad(l, root, "concepts.yml must be a mapping with 'concepts'");
    else
        each_pair(l, root, concepts_pair, NULL);
}

/* ---- Files ------------------------------------------------------------- */

typedef void (*doc_fn)(struct loader *l, yaml_node_t *root, void *ctx);

/* Knowledge nests five levels at most (sources.yml: documents, a document,
 * its sections, a section); anything deeper is refused before it is built. */
#define KB_MAX_DEPTH 16

static void syntax_error(struct diag *d, const char *file, const yaml_parser_t *parser)
{
    diag_add(d, file, (unsigned)parser->problem_mark.line + 1,
             (unsigned)parser->problem_mark.column + 1, "YAML syntax error: %s%s%s",
             parser->problem ? parser->problem : "unknown problem",
             parser->context ? " " : "", parser->context ? parser->context : "");
}

/* Read f's events once, before building the document, and refuse nesting
 * deeper than KB_MAX_DEPTH and aliases (*name). Both only ever come from a
 * hostile file: libyaml's scanner slows quadratically with nesting (100000
 * '[' take minutes), and an alias can stand for a whole entry any number of
 * times, so a small file could make the loader do unbounded work. Returns
 * 0 if the file may be loaded, else -1 after a message. */
static int check_shape(struct diag *d, const char *file, const struct kb_file *f)
{
    yaml_parser_t parser;
    yaml_event_t ev;
    int depth = 0, rc = 0, done = 0;

    if (!yaml_parser_initialize(&parser)) {
        diag_add(d, file, 0, 0, "cannot start the YAML parser");
        return -1;
    }
    yaml_parser_set_input_string(&parser, (const unsigned char *)f->text, f->len);
    while (!done && rc == 0) {
        if (!yaml_parser_parse(&parser, &ev)) {
            syntax_error(d, file, &parser);
            rc = -1;
            break;
        }
        switch (ev.type) {
        case YAML_SEQUENCE_START_EVENT:
        case YAML_MAPPING_START_EVENT:
            if (++depth <= KB_MAX_DEPTH)
                break;
            diag_add(d, file, (unsigned)ev.start_mark.line + 1,
                     (unsigned)ev.start_mark.column + 1,
                     "nested deeper than %d levels (knowledge needs at most 5)", KB_MAX_DEPTH);
            rc = -1;
            break;
        case YAML_SEQUENCE_END_EVENT:
        case YAML_MAPPING_END_EVENT:
            depth--;
            break;
        case YAML_ALIAS_EVENT:
            diag_add(d, file, (unsigned)ev.start_mark.line + 1,
                     (unsigned)ev.start_mark.column + 1,
                     "alias '*%s': knowledge files do not use anchors and aliases",
                     (const char *)ev.data.alias.anchor);
            rc = -1;
            break;
        case YAML_STREAM_END_EVENT:
            done = 1;
            break;
        default:
            break;
        }
        yaml_event_delete(&ev);
    }
    yaml_parser_delete(&parser);
    return rc;
}

static yaml_mark_t yaml_mark(struct kb_yaml_mark m)
{
    return (yaml_mark_t){m.index, m.line, m.column};
}

/* Rebuild built-in document b into doc: one allocation holds its nodes,
 * their items and their pairs, which point into kb_builtin_yaml's text. */
static void builtin_doc(const struct kb_yaml_doc *b, yaml_document_t *doc)
{
    const struct kb_yaml_image *im = &kb_builtin_yaml;
    const struct kb_yaml_node *src = im->nodes + b->first;
    size_t nitems = 0, npairs = 0;
    yaml_node_t *nodes;
    yaml_node_item_t *items;
    yaml_node_pair_t *pairs;

    for (size_t i = 0; i < b->count; i++) {
        nitems += src[i].type == YAML_SEQUENCE_NODE ? src[i].count : 0;
        npairs += src[i].type == YAML_MAPPING_NODE ? src[i].count : 0;
    }
    nodes = xmalloc(b->count * sizeof *nodes + nitems * sizeof *items + npairs * sizeof *pairs);
    pairs = (yaml_node_pair_t *)(nodes + b->count);
    items = (yaml_node_item_t *)(pairs + npairs);
    for (size_t i = 0; i < b->count; i++) {
        const struct kb_yaml_node *s = &src[i];
        yaml_node_t *n = &nodes[i];

        memset(n, 0, sizeof *n);
        n->type = (yaml_node_type_t)s->type;
        n->tag = (yaml_char_t *)(im->text + s->tag); /* read, never written */
        n->start_mark = yaml_mark(s->start_mark);
        n->end_mark = yaml_mark(s->end_mark);
        if (s->type == YAML_SCALAR_NODE) {
            n->data.scalar.value = (yaml_char_t *)(im->text + s->value);
            n->data.scalar.length = s->length;
            n->data.scalar.style = (yaml_scalar_style_t)s->style;
        } else if (s->type == YAML_SEQUENCE_NODE) {
            memcpy(items, im->items + s->first, s->count * sizeof *items);
            n->data.sequence.items.start = items;
            n->data.sequence.items.end = n->data.sequence.items.top = items + s->count;
            n->data.sequence.style = (yaml_sequence_style_t)s->style;
            items += s->count;
        } else if (s->type == YAML_MAPPING_NODE) {
            memcpy(pairs, im->pairs + s->first, s->count * sizeof *pairs);
            n->data.mapping.pairs.start = pairs;
            n->data.mapping.pairs.end = n->data.mapping.pairs.top = pairs + s->count;
            n->data.mapping.style = (yaml_mapping_style_t)s->style;
            pairs += s->count;
        }
    }
    memset(doc, 0, sizeof *doc);
    doc->nodes.start = nodes;
    doc->nodes.end = doc->nodes.top = nodes + b->count;
    doc->start_implicit = b->start_implicit;
    doc->end_implicit = b->end_implicit;
    doc->start_mark = yaml_mark(b->start_mark);
    doc->end_mark = yaml_mark(b->end_mark);
}

void kb_yaml_free(const struct kb_file *f, yaml_document_t *doc)
{
    if (kb_builtin_doc(f))
        free(doc->nodes.start);
    else
        yaml_document_delete(doc);
}

int kb_yaml_load(const struct kb_file *f, const char *file, struct diag *d, yaml_document_t *doc)
{
    const struct kb_yaml_doc *built = kb_builtin_doc(f);
    yaml_parser_t parser;
    int rc = 0;

    /* The built-in files were parsed when mlcoach was built; parsing them
     * again would be a third of every start-up. */
    if (built) {
        builtin_doc(built, doc);
        return 0;
    }
    if (check_shape(d, file, f) != 0)
        return -1;
    if (!yaml_parser_initialize(&parser)) {
        diag_add(d, file, 0, 0, "cannot start the YAML parser");
        return -1;
    }
    yaml_parser_set_input_string(&parser, (const unsigned char *)f->text, f->len);
    if (!yaml_parser_load(&parser, doc)) {
        syntax_error(d, file, &parser);
        rc = -1;
    }
    yaml_parser_delete(&parser);
    return rc;
}

/* Parse one file and hand its root node to fn (not called for an empty
 * file). */
static void parse_file(struct loader *l, const struct kb_file *f, doc_fn fn, void *ctx)
{
    yaml_node_t *root;

    l->file = kb_intern_file(l->kb, f->name);
    if (kb_yaml_load(f, l->file, l->d, &l->doc) != 0)
        return;
    root = yaml_document_get_root_node(&l->doc);
    if (root)
        fn(l, root, ctx);
    kb_yaml_free(f, &l->doc);
}

static void load_topic_file(struct loader *l, yaml_node_t *root, void *ctx)
{
    load_topic_doc(l, root, ctx);
}

static const char *base_name(const char *path)
{
    const char *slash = strrchr(path, '/');

    return slash ? slash + 1 : path;
}

/* The topic a file name stands for, or NULL. */
static struct kb_topic *topic_of_file(struct kb *kb, const char *name)
{
    const char *base = base_name(name);
    size_t len = strlen(base);
    struct kb_topic *t = NULL;

    if (len > 4 && strcmp(base + len - 4, ".yml") == 0)
        HASH_FIND(hh, kb->topics, base, (unsigned)(len - 4), t);
    return t;
}

static void resolve_related(struct loader *l)
{
    for (size_t i = 0; i < l->npending; i++) {
        struct pending *p = &l->pending[i];
        struct kb_entry *target = kb_entry_find(l->kb, p->id);

        if (!target) {
            diag_add(l->d, p->mark.file, p->mark.line, p->mark.col,
                     "unknown related id '%s'", p->id);
        } else {
            p->entry->related = xrealloc(p->entry->related,
                                         (p->entry->nrelated + 1) * sizeof *p->entry->related);
            p->entry->related[p->entry->nrelated++] = target;
        }
        free(p->id);
    }
    free(l->pending);
}

struct kb *kb_load_files(const struct kb_file *files, size_t n, struct diag *d)
{
    struct loader l = {.kb = kb_new(), .d = d, .errors_before = d->n};
    const struct kb_file *sources = NULL, *concepts = NULL, *assessment = NULL, *declines = NULL;

    for (size_t i = 0; i < n; i++) {
        if (strcmp(base_name(files[i].name), "sources.yml") == 0)
            sources = &files[i];
        if (strcmp(base_name(files[i].name), "concepts.yml") == 0)
            concepts = &files[i];
    }
    if (!sources)
        diag_add(d, "sources.yml", 0, 0, "missing: the knowledge needs a sources.yml");
    else
        parse_file(&l, sources, load_sources_doc, NULL);
    /* Concepts come before the topics: patterns are expanded as they load. */
    if (concepts)
        parse_file(&l, concepts, load_concepts_doc, NULL);
    for (size_t i = 0; i < n; i++) {
        struct kb_topic *t = topic_of_file(l.kb, files[i].name);

        if (&files[i] == sources || &files[i] == concepts)
            continue;
        if (strcmp(base_name(files[i].name), KB_ASSESSMENT_FILE) == 0) {
            assessment = &files[i]; /* read once every entry is known */
            continue;
        }
        if (strcmp(base_name(files[i].name), KB_DECLINES_FILE) == 0) {
            declines = &files[i]; /* numbered after every entry */
            continue;
        }
        if (!t) {
            diag_add(d, files[i].name, 1, 1,
                     "unknown topic file (topic files are named after one of the 13 topics)");
            continue;
        }
        parse_file(&l, &files[i], load_topic_file, t);
    }
    resolve_related(&l);
    if (declines)
        parse_file(&l, declines, load_declines_doc, NULL);
    if (assessment)
        kb_load_assessment(l.kb, assessment, d);
    if (d->n != l.errors_before) {
        kb_free(l.kb);
        return NULL;
    }
    kb_build_word_index(l.kb);
    return l.kb;
}
