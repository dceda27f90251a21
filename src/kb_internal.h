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
 * every knowledge file gets the same protection (but the built-in copy,
 * see kb_file_is_builtin). Returns 0 (free *doc with yaml_document_delete),
 * or -1 after a "FILE:LINE:COL: ..." message in d. */
int kb_yaml_load(const struct kb_file *f, const char *file, struct diag *d, yaml_document_t *doc);

/* 1 if f is one of the files compiled into the binary (kb_load_builtin),
 * which `make test` has checked. */
int kb_file_is_builtin(const struct kb_file *f);

/* Read the self-assessment statements of file f (assessment.yml) into
 * kb->statements, after every entry is loaded; problems go to d as
 * FILE:LINE:COL messages (kbassess.c). */
void kb_load_assessment(struct kb *kb, const struct kb_file *f, struct diag *d);
void kb_statements_free(struct kb *kb);

#endif
