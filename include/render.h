/* render.h -- showing a reply: word-wrapped text (optionally coloured) or
 * one JSON object on one line (JSON Lines, via jansson). Knows nothing of
 * how the answer was chosen. Control characters from questions or knowledge
 * are never written raw.
 */
#ifndef MLCOACH_RENDER_H
#define MLCOACH_RENDER_H

#include <stdio.h>

#include <jansson.h>

#include "kb.h"
#include "reply.h"

/* The most "See also" items an answer lists. */
#define RENDER_SEE_ALSO_MAX 8

struct render_opts {
    unsigned width; /* wrap text at this many columns; 0: do not wrap */
    int color;      /* use ANSI dim/bold */
    int numbered;   /* number "See also" items ([1] ...): a session picks them */
    int brief;      /* leave out the Sources and Topic lines */
};

/* Write rep as text to out. Returns 0, or -1 if a write failed (errno set). */
int render_text(FILE *out, const struct reply *rep, const struct render_opts *o);

/* Write rep as one JSON line to out. Returns 0 or -1 as render_text. */
int render_json(FILE *out, const struct reply *rep);

/* What render_json_cached() keeps from one answer to the next: its buffers,
 * and the JSON of the answer texts, sources, ids and example questions it
 * has written (they depend on the knowledge alone, and the cache knows them
 * by their address in the kb). Create one per kb, which must outlive it;
 * free it with render_cache_free(). Never NULL. */
struct render_cache;
struct render_cache *render_cache_new(void);
void render_cache_free(struct render_cache *c);

/* render_json(), reusing what c holds (c may be NULL: nothing kept). The
 * output is the same; a pipe of questions writes it several times faster. */
int render_json_cached(FILE *out, const struct reply *rep, struct render_cache *c);

/* Write how rep was chosen, as text: the normalised question, what the
 * matcher found and the top candidates with their scores. Returns 0 or -1
 * as render_text. */
int render_explain(FILE *out, const struct reply *rep, const struct render_opts *o);

/* Write the topics of kb, one per line (text, wrapped at width with the
 * description hanging) or one JSON object per line. Returns 0 or -1 as
 * render_text. */
int render_topics(FILE *out, const struct kb *kb, int json, unsigned width);

/* Append e's sources to b as "Title — Section, Section; Title — Section":
 * each document once, in order of first citation, with its cited sections. */
void render_citation(struct sbuf *b, const struct kb_entry *e);

/* A new JSON string of s, with each invalid UTF-8 byte replaced by U+FFFD
 * (jansson refuses invalid UTF-8): the one way text from outside (a line
 * typed or piped, a path, an argument) reaches jansson. */
json_t *render_json_text(const char *s);

/* The one way a jansson value is written: obj (consumed) dumped with
 * jansson's flags, DEL and C1 controls escaped as \u00XX (jansson writes
 * them raw), then a newline. NULL, or a value jansson refuses to encode,
 * is a bug (util_bug aborts). Returns 0, or -1 if writing failed. */
int render_json_dump(FILE *out, json_t *obj, size_t flags);

/* e's sources as a new JSON array of {doc, title, section} (empty for a
 * NULL e), the shape every JSON answer uses. */
json_t *render_sources_json(const struct kb_entry *e);

/* Append text to out wrapped at width columns, each line starting with
 * indent spaces; paragraphs (blank-line separated) stay apart, lines inside
 * a paragraph are joined, and lines starting with "- " start a new line.
 * Control characters become '?'. width 0 means no wrapping. Ends with a
 * newline unless text has no words, even when they take no columns. */
void render_wrap(struct sbuf *out, const char *text, unsigned width, unsigned indent);

/* Append label, then text wrapped at width with every line indented by
 * cols columns, the label written over the first line's indent: a row of a
 * two-column table ("  /help    list the commands"). A label the text
 * cannot follow on its line (wider than cols, or as wide without a
 * trailing space) gets a line of its own. Both are cleaned as render_wrap
 * cleans. */
void render_hanging(struct sbuf *out, const char *label, const char *text, unsigned width,
                    unsigned cols);

/* Append a message wrapped at width: its leading spaces, and the number of
 * a numbered item ("  2. "), indent every line, so that items hang. */
void render_say(struct sbuf *out, const char *msg, unsigned width);

#endif
