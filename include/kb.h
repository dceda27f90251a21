/* kb.h -- the knowledge base: documents and sections, topics, entries, and
 * the uthash indexes over them.
 *
 * A kb is read from YAML files (kb_load_dir for a directory on disk,
 * kb_load_builtin for the copy compiled into the binary; both go through
 * kb_load_files). Loading validates everything it can without compiling
 * patterns (that is match.c's job) and reports each problem into a struct
 * diag as "FILE:LINE:COL: message". The kb owns every string and array in
 * it; kb_free releases them all. Start with struct kb_entry.
 */
#ifndef MLCOACH_KB_H
#define MLCOACH_KB_H

#include <stddef.h>

#include <uthash.h>

#include "diag.h"

struct spell;
struct kb_vocab;

enum kb_level { KB_LEVEL_ANY, KB_LEVEL_JUNIOR, KB_LEVEL_SENIOR, KB_NLEVELS };

/* A place in a knowledge file; file points at a string the kb owns. */
struct kb_mark {
    const char *file;
    unsigned line, col; /* 1-based */
};

struct kb_document;

struct kb_section {
    char *id, *title;
    char *ref; /* "doc#section", the key of kb.sections */
    const struct kb_document *doc;
    struct kb_mark mark;
    size_t ncited;        /* entries citing it */
    UT_hash_handle hh;
};

struct kb_document {
    char *id, *title, *file;
    struct kb_section **sections;
    size_t nsections;
    UT_hash_handle hh;
};

struct kb_pattern {
    char *src;           /* as written */
    char *regex;         /* src with every ~concept expanded: what is compiled */
    struct kb_mark mark; /* where the regex text itself starts */
    int single_quoted;   /* each ' in src stands for '' in the file */
};

struct kb_example {
    char *text;
    struct kb_mark mark;
};

/* A concept from concepts.yml: a name a pattern can use as ~name to mean any
 * of its words (normalised form), and that the word index treats as one. */
struct kb_concept {
    char *name;
    char **words;
    size_t nwords;
    char *alternation;   /* "(?:word|word|...)", what ~name expands to */
    struct kb_mark mark;
    UT_hash_handle hh;
};

struct kb_topic;

struct kb_entry {
    char *id;
    char *title;                    /* never NULL: defaults to the id */
    const struct kb_topic *topic;   /* NULL for a decline (KB_DECLINES_FILE) */
    enum kb_level level;            /* who it is mainly for */
    struct kb_pattern *patterns;
    size_t npatterns;
    char **keywords;                /* as written */
    size_t nkeywords;
    struct kb_example *examples;
    size_t nexamples;
    char *answers[KB_NLEVELS];      /* [KB_LEVEL_ANY] is `answer`; others may be NULL */
    const struct kb_section **sources;
    size_t nsources;
    const struct kb_concept **concepts; /* used by its patterns, each once */
    size_t nconcepts;
    struct kb_entry **related;
    size_t nrelated;
    size_t order;                   /* load order: the tie-breaker; a decline's
                                       is kb->nentries + its index */
    unsigned doclen;                /* words the index holds for it (BM25) */
    struct kb_mark mark;
    UT_hash_handle hh;
};

struct kb_topic {
    const char *name;
    const char *about;
    struct kb_entry **entries;
    size_t nentries;
    UT_hash_handle hh;
};

/* One word of the inverted index: a normalised, stemmed word and the entries
 * whose title, keywords, examples, answers or concepts contain it (each
 * entry once), with how often it occurs in each (for BM25). */
struct kb_word {
    char *word;
    struct kb_entry **entries;
    unsigned *tf;          /* tf[i]: occurrences in entries[i] */
    size_t nentries, cap;
    UT_hash_handle hh;
};

/* One self-assessment statement (knowledge/assessment.yml), rated 1-5 by
 * the reader. */
struct kb_statement {
    char *id;
    char *text;                     /* "I can ...", in our own words */
    char *step;                     /* the concrete step a plan gives for it */
    const struct kb_topic *topic;
    struct kb_entry **entries;      /* the entries that help, at least one */
    size_t nentries;
    struct kb_mark mark;
};

/* The file that holds the statements, next to the topic files. */
#define KB_ASSESSMENT_FILE "assessment.yml"

/* The file of declines: entries with patterns, examples and an `answer`
 * that says why mlcoach does not advise on that kind of question (pay,
 * visas, coding how-tos...), and no sources. When a decline is the best
 * match the question gets no answer, with that reason; a decline never
 * appears as a topic, a suggestion or a related entry. */
#define KB_DECLINES_FILE "out-of-scope.yml"

struct kb {
    struct kb_document *documents;  /* hash by id */
    struct kb_section *sections;    /* hash by "doc#section" */
    struct kb_topic *topics;        /* hash by name; also topic_list below */
    struct kb_topic *topic_list;    /* all KB_NTOPICS topics in fixed order */
    struct kb_entry *entries;       /* hash by id */
    struct kb_entry **entry_list;   /* in load order */
    size_t nentries;
    struct kb_entry **declines;     /* from KB_DECLINES_FILE, not in `entries` */
    size_t ndeclines;
    struct kb_concept *concepts;    /* hash by name */
    struct kb_word *words;          /* inverted index */
    double avgdl;                   /* mean doclen */
    struct kb_vocab *vocab;         /* its words as written, for kb_spell_new() */
    char **files;                   /* file names the marks point into */
    size_t nfiles;
    struct kb_statement *statements; /* from assessment.yml; none without it */
    size_t nstatements;
    int builtin;                    /* the copy compiled in (kb_load_builtin), whose
                                       patterns `make test` has compiled */
};

/* The concept a "~name" reference at s names (s points at the '~'), or NULL
 * if s is not a reference or names no concept; *len is set to the length of
 * "~name" whenever s is a reference. */
const struct kb_concept *kb_concept_at(const struct kb *kb, const char *s, size_t *len);

/* The offset in p->src of the character that offset off of p->regex came
 * from (the '~' of a concept for anything inside its expansion), so errors
 * in the compiled regex point at what the author wrote. */
size_t kb_pattern_src_offset(const struct kb *kb, const struct kb_pattern *p, size_t off);

/* The file column of offset off of p->src (quotes doubled in a
 * single-quoted YAML scalar taken into account). */
unsigned kb_pattern_col(const struct kb_pattern *p, size_t off);

/* A knowledge file held in memory: name (as shown in messages) and text. */
struct kb_file {
    const char *name;
    const char *text;
    size_t len;
};

#define KB_NTOPICS 13

/* The fixed topic names, in display order, and a one-line description. */
extern const char *const kb_topic_names[KB_NTOPICS];
extern const char *const kb_topic_about[KB_NTOPICS];

/* Load knowledge from files[0..n): exactly one must have the base name
 * sources.yml; at most one may be concepts.yml (word lists for patterns)
 * and one assessment.yml (the self-assessment statements); every other one
 * must be TOPIC.yml for a known topic.
 * Returns the kb, or NULL after adding at least one
 * message to d. The caller frees the kb with kb_free. */
struct kb *kb_load_files(const struct kb_file *files, size_t n, struct diag *d);

/* Load every *.yml file of directory dir (sorted by name). Returns NULL with
 * messages in d on any error; *missing is set to 1 when dir (or a file in it)
 * cannot be opened or read, so callers can tell that apart from bad content. */
struct kb *kb_load_dir(const char *dir, struct diag *d, int *missing);

/* Load the knowledge compiled into the binary. NULL with messages in d only
 * if the built-in copy is broken, which `make test` prevents. */
struct kb *kb_load_builtin(struct diag *d);

/* What tools/pfkeys.c read, when mlcoach was built, of each pattern of the
 * built-in knowledge (entries and declines in kb_entry_at() order, each
 * one's patterns in order): its regex's length and util_hash(), and the
 * keys prefilter_describe() wrote for it. match_new() hands them to the
 * prefilter, so that a one-question run need not read every pattern. */
struct kb_described {
    size_t len;
    unsigned hash;
    const char *keys;
};

extern const struct kb_described kb_builtin_keys[];
extern const size_t kb_builtin_nkeys;

void kb_free(struct kb *kb);

/* The entry (order < nentries) or decline (the rest, up to nentries +
 * ndeclines) whose order is `order`. */
const struct kb_entry *kb_entry_at(const struct kb *kb, size_t order);

/* Lookups; NULL when absent. */
struct kb_entry *kb_entry_find(const struct kb *kb, const char *id);
struct kb_topic *kb_topic_find(const struct kb *kb, const char *name);
const struct kb_word *kb_word_find(const struct kb *kb, const char *word, size_t len);

/* The answer for a level: that level's variant, else the general answer,
 * else (for KB_LEVEL_ANY) the junior then the senior variant. Never NULL for
 * a loaded entry. */
const char *kb_entry_answer(const struct kb_entry *e, enum kb_level level);

/* A typo dictionary (spell.h) of the knowledge's own spellings: every word
 * of the titles, keywords, answers and concepts, and the English words of
 * the examples (which keep their deliberate typos), each counted as often
 * as it occurs. Made on demand, since only a question with a word the
 * knowledge does not use needs one: making it is a tenth of start-up. The
 * caller frees it with spell_free(). Never NULL. */
struct spell *kb_spell_new(const struct kb *kb);

/* "junior"/"senior"/"any" <-> enum; kb_level_parse returns -1 if unknown.
 * Knowledge and stored files use it; what people type (options, /level,
 * profile set) goes through kb_level_parse_typed, which ignores ASCII case. */
const char *kb_level_name(enum kb_level level);
int kb_level_parse(const char *s);
int kb_level_parse_typed(const char *s);

#endif
