/* kb_internal.h -- what kb.c and kbload.c share; not for other modules. */
#ifndef MLCOACH_KB_INTERNAL_H
#define MLCOACH_KB_INTERNAL_H

#include <yaml.h>

#include "kb.h"

/* Create an empty kb with its 13 topics in place. */
struct kb *kb_new(void);

/* Remember a file name and return the kb's copy (marks point at it). */
const char *kb_intern_file(struct kb *kb, const char *name);

/* Add entry e (already filled and validated) to the id hash, its topic's
 * list and entry_list. Returns the entry already holding e's id, or NULL. */
struct kb_entry *kb_add_entry(struct kb *kb, struct kb_entry *e);

/* Add decline e (topic NULL, filled and validated) to kb->declines, after
 * every entry is loaded. Returns the entry or decline already holding e's
 * id, or NULL. */
struct kb_entry *kb_add_decline(struct kb *kb, struct kb_entry *e);

/* Fill the inverted index from every entry's keywords, examples, answers. */
void kb_build_word_index(struct kb *kb);

void kb_entry_free(struct kb_entry *e);
void kb_concept_free(struct kb_concept *c);
/* Free a document but not its sections (they belong to kb->sections). */
void kb_document_free(struct kb_document *doc);

/* Parse knowledge file f (named file in messages) whole into *doc, after
 * refusing nesting deeper than the knowledge needs and YAML aliases, so
 * every knowledge file gets the same protection. A built-in file (see
 * kb_builtin_doc) was parsed when mlcoach was built: its document is
 * rebuilt from kb_builtin_docs instead. Returns 0 (free *doc with
 * kb_yaml_free), or -1 after a "FILE:LINE:COL: ..." message in d. */
int kb_yaml_load(const struct kb_file *f, const char *file, struct diag *d, yaml_document_t *doc);


/* The built-in files as libyaml parsed them at build time (tools/yamldoc.c
 * writes them; kb_yaml_load() turns one back into a yaml_document_t). Nodes
 * refer to text, items and pairs by offset, so the tables hold no pointers.
 * A scalar's value and every tag are NUL-terminated in text; a sequence's
 * items are items[first .. first + count), a mapping's pairs likewise. */
struct kb_yaml_mark {
    unsigned index, line, column; /* as in yaml_mark_t */
};

struct kb_yaml_node {
    unsigned char type, style;
    unsigned tag, value, length, first, count;
    struct kb_yaml_mark start_mark, end_mark;
};

struct kb_yaml_doc {
    unsigned first, count; /* its nodes in kb_builtin_yaml.nodes */
    int start_implicit, end_implicit;
    struct kb_yaml_mark start_mark, end_mark;
};

struct kb_yaml_image {
    const struct kb_yaml_node *nodes;
    const yaml_node_item_t *items;
    const yaml_node_pair_t *pairs;
    const char *text;
};

/* One document per built-in file, in kb_builtin_files' order. */
extern const struct kb_yaml_doc kb_builtin_docs[];
extern const struct kb_yaml_image kb_builtin_yaml;

/* The document of f if f is one of the files compiled into the binary
 * (kb_load_builtin), else NULL. */
const struct kb_yaml_doc *kb_builtin_doc(const struct kb_file *f);

/* Free a document that kb_yaml_load() filled from file f. */
void kb_yaml_free(const struct kb_file *f, yaml_document_t *doc);

/* Read the self-assessment statements of file f (assessment.yml) into
 * kb->statements, after every entry is loaded; problems go to d as
 * FILE:LINE:COL messages (kbassess.c). */
void kb_load_assessment(struct kb *kb, const struct kb_file *f, struct diag *d);
void kb_statements_free(struct kb *kb);

#endif
