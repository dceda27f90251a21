/* session.h -- one conversation: the level, the last answer, the numbered
 * list just shown, and the slash commands. The REPL and the piped loop both
 * feed lines to session_line(), so scripts get the same follow-ups and
 * commands as people at a terminal.
 *
 * The matcher keeps nothing between questions; the session keeps just
 * enough to resolve "more", "why?", "what about seniors?" and bare numbers
 * against what was last shown. Output goes to s->out, as text or as one JSON
 * object per line. Start at session_line(), then session_cmds[].
 */
#ifndef MLCOACH_SESSION_H
#define MLCOACH_SESSION_H

#include <stdio.h>

#include "histfile.h"
#include "kb.h"
#include "match.h"
#include "render.h"
#include "util.h"

/* The most items a numbered list (suggestions, /topic questions) holds. */
#define SESSION_LIST_MAX 32

enum session_followup {
    SESSION_NOT_FOLLOWUP,
    SESSION_MORE,    /* "tell me more": the next related advice */
    SESSION_WHY,     /* "why did you say that?": how the answer was chosen (/why) */
    SESSION_REASON,  /* "why?" (should I): the advice that gives the reasons */
    SESSION_SOURCES, /* "where does that come from?", "sources?": full citations */
    SESSION_LEVEL,   /* "what about seniors?": the last answer for a level */
    SESSION_EXAMPLE, /* "example?": concrete steps for the last advice */
    SESSION_CLARIFY, /* "what do you mean?": the advice in short */
};

struct session_patterns;

struct session {
    /* Set by session_init; the caller may change level, json, render, out
     * and history at any time. */
    const struct kb *kb;
    struct matcher *matcher;
    enum kb_level level;
    int json;
    int explain;     /* add how each answer was chosen (--explain) */
    struct render_opts render;
    FILE *out;
    FILE *in;        /* where /assess reads its answers; NULL: stdin */
    util_read_fn read_line; /* how, instead of util_getline(), when set; */
    void *read_arg;         /* with its argument (the REPL's terminal) */
    size_t *lineno;  /* lines of the input read so far (the piped loop's); NULL */
    const struct histfile *history; /* what /history lists; NULL: nothing */

    /* The context follow-ups resolve against. */
    char *last_question;              /* last question matched (owned) or NULL */
    enum kb_level last_level;         /* the level it was matched for */
    const struct kb_entry *last_entry; /* last advice shown, NULL if none */
    double last_confidence;
    const struct kb_entry *more_of;   /* whose related advice /more walks */
    size_t more_next;
    /* The numbered list a bare number picks from: suggestions, /topic's
     * entries or an answer's "See also". It stays until another replaces it. */
    const struct kb_entry *list[SESSION_LIST_MAX];
    size_t nlist;

    int quit;  /* set by /quit */
    int clear; /* set by /clear: the REPL clears the screen, then resets it */

    struct session_patterns *followups;
    struct render_cache *cache; /* what JSON answers reuse */
    char **vocab; /* completion words, sorted; built on first use */
    size_t nvocab;
};

/* ---- Life cycle ---- */

/* Start a conversation over kb and m (both must outlive s) at level, writing
 * text to out. Never fails. */
void session_init(struct session *s, const struct kb *kb, struct matcher *m,
                  enum kb_level level, FILE *out);
void session_free(struct session *s);

/* ---- Conversation ---- */

/* Handle one line (len bytes; need not be NUL-terminated): a slash command,
 * a follow-up, a bare number picking from the list just shown, or a new
 * question. Writes the result to s->out. Returns 0, or -1 if writing failed.
 * Blank lines do nothing. */
int session_line(struct session *s, const char *line, size_t len);

/* A message for the reader: wrapped at s->render.width like every text
 * the session writes, or in JSON mode {"command": command, "error":
 * message}. Returns 0, or -1 if writing failed. */
int session_error(struct session *s, const char *command, const char *fmt, ...)
    UTIL_PRINTF(3, 4);

/* Which follow-up line is, if any, and for SESSION_LEVEL the level it asks
 * about (in *level). Recognised whatever the context. */
enum session_followup session_followup(struct session *s, const char *line, size_t len,
                                        enum kb_level *level);

/* The number a line consisting only of a positive number (surrounding
 * spaces and a trailing '.' or ')' allowed) stands for, else 0. */
unsigned session_number(const char *line, size_t len);

/* Forget the last answer and the numbered list; the level stays. */
void session_forget(struct session *s);

/* ---- Slash commands ---- */

enum session_arg { SESSION_ARG_NONE, SESSION_ARG_TOPIC, SESSION_ARG_LEVEL };

struct session_cmd {
    const char *name;  /* without the slash */
    const char *args;  /* for /help, e.g. "NAME"; "" for none */
    const char *help;  /* one line */
    enum session_arg arg; /* what completes after it */
    int min_args, max_args; /* words after the name (session_words); max -1: any */
    int (*run)(struct session *s, const char *arg);
};

/* Every slash command. The same table drives dispatch (which checks the
 * number of arguments before run is called, as main does for the
 * subcommands), /help and completion. Ends with a row whose name is NULL. */
extern const struct session_cmd session_cmds[];

/* The command named name (without the slash), or NULL. */
const struct session_cmd *session_cmd_find(const char *name);

/* The command closest to name: the first whose name starts with name,
 * else the nearest by edit distance (ties: the first in the table). Never
 * NULL. */
const struct session_cmd *session_cmd_closest(const char *name);

/* ---- Completion ---- */

/* The words that may replace the word ending at byte point of line: slash
 * commands at the start, topic names after /topic, levels after /level,
 * else words from the knowledge as written, not stemmed (keywords, and
 * the words of example questions that the advice also uses, which leaves
 * out the examples' deliberate misspellings). Matching ignores ASCII case. */
struct session_completion {
    size_t start;  /* where the word being completed starts in line */
    char **items;  /* whole replacement words (owned), in table or word order */
    size_t n, cap;
};

void session_complete(struct session *s, const char *line, size_t point,
                      struct session_completion *c);
void session_completion_free(struct session_completion *c);

#endif
