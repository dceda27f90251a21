/* session_internal.h -- what session.c and sessioncmd.c share: asking,
 * showing advice, and writing messages in text or JSON. Not for other
 * modules; they use session.h.
 */
#ifndef MLCOACH_SESSION_INTERNAL_H
#define MLCOACH_SESSION_INTERNAL_H

#include <jansson.h>

#include "session.h"
#include "util.h"

/* Match question q for s->level, show the reply and make it the context.
 * Returns 0, or -1 if writing failed. */
int session_ask(struct session *s, const char *q);

/* Show entry e's advice for level as a reply to question (the context's
 * question), and make e the last advice shown. Returns 0 or -1. */
int session_show_entry(struct session *s, const struct kb_entry *e, enum kb_level level,
                       const char *question);

/* Write obj (consumed) as one JSON line. Returns 0 or -1. */
int session_json(struct session *s, json_t *obj);

/* Write text already laid out by render_wrap() or render_hanging() (b is
 * freed). Returns 0 or -1. */
int session_write(struct session *s, struct sbuf *b);

/* Wrapped text (text mode only). Returns 0 or -1. */
int session_say(struct session *s, const char *fmt, ...) UTIL_PRINTF(2, 3);

/* The coaching commands (sessioncoach.c): the subcommands of the same name,
 * with arg split into their arguments. Return 0, or -1 if writing failed. */
int session_cmd_profile(struct session *s, const char *arg);
int session_cmd_assess(struct session *s, const char *arg);
int session_cmd_plan(struct session *s, const char *arg);
int session_cmd_done(struct session *s, const char *arg);
int session_cmd_progress(struct session *s, const char *arg);
int session_cmd_export(struct session *s, const char *arg);
int session_cmd_forget(struct session *s, const char *arg);

/* Make items[0..n) the numbered list a bare number picks from. */
void session_set_list(struct session *s, const struct kb_entry *const *items, size_t n);

/* Patterns over normalised lines (session_followup.c): compiled once,
 * tried in order through a prefilter. session_patterns_first() returns the
 * index of the first that matches norm (len bytes), or -1. */
struct session_patterns *session_patterns_new(const char *const *patterns, size_t n);
void session_patterns_free(struct session_patterns *p);
long session_patterns_first(struct session_patterns *p, const char *norm, size_t len);

/* The follow-up table, compiled (session.c keeps it in s->followups). */
struct session_patterns *session_followups_new(void);

/* If line is a follow-up and there is something for it to refer to, answer
 * it (*rc: 0 or -1) and return 0; else return 1 (ask it as a question). */
int session_run_followup(struct session *s, const char *line, size_t len, int *rc);

/* Split arg (NULL: none) into words at spaces; "double quotes" keep
 * spaces inside one word (goals="lead a project"). Returns how many;
 * *words and each word are the caller's to free. */
int session_words(const char *arg, char ***words);

/* Levenshtein distance between a and b (bytes). */
size_t session_distance(const char *a, const char *b);

#endif
