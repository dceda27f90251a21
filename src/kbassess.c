/* kbassess.c -- reading knowledge/assessment.yml: the self-assessment
 * statements `mlcoach assess` asks, each tied to a topic and to the entries
 * that help. Called by kb_load_files() once every entry is loaded, so entry
 * ids can be checked here. Start at kb_load_assessment(); the keys a
 * statement may have are in statement_keys[]. Every problem is one
 * "FILE:LINE:COL: message", like the rest of the knowledge.
 */
#include "kb_internal.h"

#include <stdlib.h>
#include <string.h>

#include <yaml.h>

struct reader {
    struct kb *kb;
    struct diag *d;
    const char *file;
    yaml_document_t doc;
};

static void bad(struct reader *r, const yaml_node_t *n, const char *fmt, ...) UTIL_PRINTF(3, 4);

static void bad(struct reader *r, const yaml_node_t *n, const char *fmt, ...)
{
    struct sbuf msg = {0};
    va_list ap;

    va_start(ap, fmt);
    sbuf_vprintf(&msg, fmt, ap);
    va_end(ap);
    diag_add(r->d, r->file, (unsigned)n->start_mark.line + 1,
             (unsigned)n->start_mark.column + 1, "%s", msg.s);
    sbuf_free(&msg);
}

/* The text of a non-empty scalar, or NULL after a message naming what. */
static const char *scalar(struct reader *r, const yaml_node_t *n, const char *what)
{
    if (n->type != YAML_SCALAR_NODE || n->data.scalar.length == 0 ||
        strlen((const char *)n->data.scalar.value) != n->data.scalar.length) {
        bad(r, n, "%s must be non-empty text", what);
        return NULL;
    }
    return (const char *)n->data.scalar.value;
}

/* A copy without trailing newlines or spaces (block scalars end in one). */
static char *scalar_dup(struct reader *r, const yaml_node_t *n, const char *what)
{
    const char *s = scalar(r, n, what);
    size_t len = s ? strlen(s) : 0;

    while (len && (s[len - 1] == '\n' || s[len - 1] == ' '))
        len--;
    return s ? xstrndup(s, len) : NULL;
}

static yaml_node_t *node(struct reader *r, int index)
{
    return yaml_document_get_node(&r->doc, index);
}

/* ---- One statement ------------------------------------------------------ */

typedef void (*statement_key_fn)(struct reader *r, struct kb_statement *s, yaml_node_t *v);

static void key_id(struct reader *r, struct kb_statement *s, yaml_node_t *v)
{
    s->id = scalar_dup(r, v, "id");
}

static void key_text(struct reader *r, struct kb_statement *s, yaml_node_t *v)
{
    s->text = scalar_dup(r, v, "text");
}

static void key_step(struct reader *r, struct kb_statement *s, yaml_node_t *v)
{
    s->step = scalar_dup(r, v, "step");
}

static void key_topic(struct reader *r, struct kb_statement *s, yaml_node_t *v)
{
    const char *name = scalar(r, v, "topic");

    if (name && !(s->topic = kb_topic_find(r->kb, name)))
        bad(r, v, "unknown topic '%s' (one of the 13 topics, see `mlcoach topics`)", name);
}

static void key_entries(struct reader *r, struct kb_statement *s, yaml_node_t *v)
{
    if (v->type != YAML_SEQUENCE_NODE) {
        bad(r, v, "entries must be a list of entry ids");
        return;
    }
    for (yaml_node_item_t *it = v->data.sequence.items.start; it < v->data.sequence.items.top;
         it++) {
        yaml_node_t *item = node(r, *it);
        const char *id = scalar(r, item, "an entry id");
        struct kb_entry *e = id ? kb_entry_find(r->kb, id) : NULL;

        if (id && !e)
            bad(r, item, "unknown entry id '%s'", id);
        if (!e)
            continue;
        s->entries = xrealloc(s->entries, (s->nentries + 1) * sizeof *s->entries);
        s->entries[s->nentries++] = e;
    }
}

/* The keys a statement may have; all are required. To add one: write
 * key_NAME above and add a row. */
static const struct {
    const char *name;
    statement_key_fn fn;
} statement_keys[] = {
    {"id", key_id},     {"topic", key_topic},     {"text", key_text},
    {"step", key_step}, {"entries", key_entries},
};
#define NKEYS (sizeof statement_keys / sizeof *statement_keys)

/* Run the key's function; returns its bit for the "seen" mask, 0 if the key
 * is unknown or was seen already. */
static unsigned statement_pair(struct reader *r, struct kb_statement *s, yaml_node_t *key,
                               yaml_node_t *value, unsigned seen)
{
    const char *k = scalar(r, key, "a key");

    for (size_t i = 0; k && i < NKEYS; i++) {
        if (strcmp(k, statement_keys[i].name) != 0)
            continue;
        if (seen >> i & 1) {
            bad(r, key, "duplicate key '%s'", k);
            return 0;
        }
        statement_keys[i].fn(r, s, value);
        return 1u << i;
    }
    if (k)
        bad(r, key, "unknown key '%s' in a statement (id, topic, text, step, entries)", k);
    return 0;
}

static void statement_free(struct kb_statement *s)
{
    free(s->id);
    free(s->text);
    free(s->step);
    free(s->entries);
}

static const struct kb_statement *find_statement(const struct kb *kb, const char *id)
{
    for (size_t i = 0; i < kb->nstatements; i++)
        if (strcmp(kb->statements[i].id, id) == 0)
            return &kb->statements[i];
    return NULL;
}

/* Report every missing field and a duplicate id; 1 if s can be kept. */
static int statement_ok(struct reader *r, yaml_node_t *n, const struct kb_statement *s,
                        unsigned seen, size_t errors)
{
    const struct kb_statement *first;

    for (size_t i = 0; i < NKEYS; i++)
        if (!(seen >> i & 1))
            bad(r, n, "statement%s%s%s is missing required field '%s'", s->id ? " '" : "",
                s->id ? s->id : "", s->id ? "'" : "", statement_keys[i].name);
    if (r->d->n != errors)
        return 0;
    if (!s->nentries) {
        bad(r, n, "statement '%s' has no entries", s->id);
        return 0;
    }
    if ((first = find_statement(r->kb, s->id))) {
        bad(r, n, "duplicate statement id '%s' (first defined at %s:%u:%u)", s->id,
            first->mark.file, first->mark.line, first->mark.col);
        return 0;
    }
    return 1;
}

static void load_statement(struct reader *r, yaml_node_t *n)
{
    struct kb_statement s = {0};
    size_t errors = r->d->n;
    unsigned seen = 0;

    if (n->type != YAML_MAPPING_NODE) {
        bad(r, n, "a statement must be a mapping with id, topic, text, step and entries");
        return;
    }
    s.mark = (struct kb_mark){r->file, (unsigned)n->start_mark.line + 1,
                              (unsigned)n->start_mark.column + 1};
    for (yaml_node_pair_t *p = n->data.mapping.pairs.start; p < n->data.mapping.pairs.top; p++)
        seen |= statement_pair(r, &s, node(r, p->key), node(r, p->value), seen);
    if (!statement_ok(r, n, &s, seen, errors)) {
        statement_free(&s);
        return;
    }
    r->kb->statements = xrealloc(r->kb->statements,
                                 (r->kb->nstatements + 1) * sizeof *r->kb->statements);
    r->kb->statements[r->kb->nstatements++] = s;
}

/* ---- The file ------------------------------------------------------------ */

static void load_root(struct reader *r, yaml_node_t *root)
{
    yaml_node_t *list = NULL;

    if (root->type != YAML_MAPPING_NODE) {
        bad(r, root, "%s must be a mapping with 'statements'", KB_ASSESSMENT_FILE);
        return;
    }
    for (yaml_node_pair_t *p = root->data.mapping.pairs.start;
         p < root->data.mapping.pairs.top; p++) {
        yaml_node_t *key = node(r, p->key);
        const char *k = scalar(r, key, "a key");

        if (k && strcmp(k, "statements") == 0)
            list = node(r, p->value);
        else if (k)
            bad(r, key, "unknown key '%s' in %s (statements)", k, KB_ASSESSMENT_FILE);
    }
    if (!list || list->type != YAML_SEQUENCE_NODE) {
        bad(r, list ? list : root, "statements must be a list");
        return;
    }
    for (yaml_node_item_t *it = list->data.sequence.items.start;
         it < list->data.sequence.items.top; it++)
        load_statement(r, node(r, *it));
}

void kb_load_assessment(struct kb *kb, const struct kb_file *f, struct diag *d)
{
    struct reader r = {.kb = kb, .d = d, .file = kb_intern_file(kb, f->name)};
    yaml_node_t *root;

    if (kb_yaml_load(f, r.file, d, &r.doc) != 0)
        return;
    root = yaml_document_get_root_node(&r.doc);
    if (root)
        load_root(&r, root);
    kb_yaml_free(f, &r.doc);
}

void kb_statements_free(struct kb *kb)
{
    for (size_t i = 0; i < kb->nstatements; i++)
        statement_free(&kb->statements[i]);
    free(kb->statements);
    kb->statements = NULL;
    kb->nstatements = 0;
}
