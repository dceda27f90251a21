/* session.c -- a conversation: dispatching each line, asking, showing
 * advice, numbered lists and picks from them. Start at session_line(); the
 * slash commands are in sessioncmd.c, the follow-ups in session_followup.c,
 * Tab completion in session_complete.c.
 */
#include "session.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "reply.h"
#include "session_internal.h"

void session_init(struct session *s, const struct kb *kb, struct matcher *m,
                  enum kb_level level, FILE *out)
{
    memset(s, 0, sizeof *s);
    s->kb = kb;
    s->matcher = m;
    s->level = level;
    s->out = out;
    s->cache = render_cache_new();
    s->followups = session_followups_new();
}

void session_forget(struct session *s)
{
    free(s->last_question);
    s->last_question = NULL;
    s->last_entry = s->more_of = NULL;
    s->more_next = 0;
    s->nlist = 0;
}

void session_free(struct session *s)
{
    session_forget(s);
    session_patterns_free(s->followups);
    for (size_t i = 0; i < s->nvocab; i++)
        free(s->vocab[i]);
    free(s->vocab);
    render_cache_free(s->cache);
    memset(s, 0, sizeof *s);
}

unsigned session_number(const char *line, size_t len)
{
    size_t i = 0;
    unsigned long n = 0;

    while (i < len && isspace((unsigned char)line[i]))
        i++;
    if (i == len || !isdigit((unsigned char)line[i]))
        return 0;
    for (; i < len && isdigit((unsigned char)line[i]); i++) {
        n = n * 10 + (unsigned long)(line[i] - '0');
        if (n > 1000000)
            return 0;
    }
    if (i < len && (line[i] == '.' || line[i] == ')'))
        i++;
    while (i < len && isspace((unsigned char)line[i]))
        i++;
    return i == len ? (unsigned)n : 0;
}

/* ---- Writing ---- */

static int emit(struct session *s, const struct sbuf *b)
{
    if (b->len && fwrite(b->s, 1, b->len, s->out) != b->len)
        return -1;
    return ferror(s->out) ? -1 : 0;
}

int session_write(struct session *s, struct sbuf *b)
{
    int rc = emit(s, b);

    sbuf_free(b);
    return rc;
}

int session_json(struct session *s, json_t *obj)
{
    return render_json_dump(s->out, obj, JSON_COMPACT | JSON_REAL_PRECISION(3));
}

static int say(struct session *s, const char *fmt, va_list ap) UTIL_PRINTF(2, 0);

static int say(struct session *s, const char *fmt, va_list ap)
{
    struct sbuf msg = {0}, b = {0};

    sbuf_vprintf(&msg, fmt, ap);
    render_say(&b, msg.s, s->render.width);
    sbuf_free(&msg);
    return session_write(s, &b);
}

int session_say(struct session *s, const char *fmt, ...)
{
    va_list ap;
    int rc;

    va_start(ap, fmt);
    rc = say(s, fmt, ap);
    va_end(ap);
    return rc;
}

int session_error(struct session *s, const char *command, const char *fmt, ...)
{
    va_list ap;
    int rc;

    va_start(ap, fmt);
    if (s->json) {
        struct sbuf msg = {0};

        sbuf_vprintf(&msg, fmt, ap);
        /* The message may quote the line: any bytes at all. */
        rc = session_json(s, json_pack("{s:o, s:o}", "command", render_json_text(command),
                                       "error", render_json_text(msg.s)));
        sbuf_free(&msg);
    } else {
        rc = say(s, fmt, ap);
    }
    va_end(ap);
    return rc;
}

/* ---- Asking ---- */

void session_set_list(struct session *s, const struct kb_entry *const *items, size_t n)
{
    s->nlist = 0;
    for (size_t i = 0; i < n && s->nlist < SESSION_LIST_MAX; i++)
        s->list[s->nlist++] = items[i];
}

/* Write a reply in the session's form. An answer's "See also" becomes the
 * numbered list, unless keep (the answer was picked from a list, which
 * stays: browsing /topic goes on) or it has parts (each with its own). */
static int show(struct session *s, const struct reply *rep, int keep)
{
    struct render_opts o = s->render;
    const struct kb_entry *also[RENDER_SEE_ALSO_MAX];

    o.numbered = !keep && !rep->nparts && rep->answered;
    if (o.numbered)
        session_set_list(s, also, reply_see_also(rep->entry, rep->see_also, also,
                                                 RENDER_SEE_ALSO_MAX));
    else if (!rep->answered && !keep)
        session_set_list(s, rep->suggested, rep->nsuggestions);
    return s->json ? render_json_cached(s->out, rep, s->cache) : render_text(s->out, rep, &o);
}

/* Show entry e's advice for level as a reply to question; keep as show(). */
static int show_entry(struct session *s, const struct kb_entry *e, enum kb_level level,
                      const char *question, int keep)
{
    /* A match result as if the question had chosen e outright: the reply
     * and its renderers need one, and it keeps every field zero. */
    struct match_result r = {.norm = "", .answered = 1, .confidence = s->last_confidence,
                             .ntop = 1};
    struct reply rep;

    r.top[0] = (struct match_candidate){.entry = e, .score = r.confidence, .pattern = -1};
    reply_build(s->kb, &r, question ? question : e->title, level, &rep);
    s->last_entry = e;
    return show(s, &rep, keep);
}

int session_show_entry(struct session *s, const struct kb_entry *e, enum kb_level level,
                       const char *question)
{
    return show_entry(s, e, level, question, 0);
}

/* Ask q; when expect is given (a pick from the numbered list), the list
 * stays and the answer is expect itself even if q, its example question,
 * would now choose another entry: a pick gives what the list said. */
static int ask(struct session *s, const char *q, const struct kb_entry *expect)
{
    struct match_result r;
    struct reply rep;
    char *question = xstrdup(q); /* q may be the old last_question */
    const struct kb_entry *list[SESSION_LIST_MAX];
    size_t nlist = s->nlist;

    memcpy(list, s->list, nlist * sizeof *list);
    match_question(s->matcher, question, strlen(question), s->level, &r);
    reply_build(s->kb, &r, question, s->level, &rep);
    rep.explain = s->explain;
    session_forget(s);
    if (expect)
        session_set_list(s, list, nlist);
    s->last_question = question;
    s->last_level = s->level;
    s->last_confidence = rep.confidence;
    if (expect && rep.entry != expect) {
        s->last_confidence = 1;
        s->more_of = expect;
        return show_entry(s, expect, s->level, question, 1);
    }
    s->last_entry = s->more_of = rep.entry;
    return show(s, &rep, expect != NULL);
}

int session_ask(struct session *s, const char *q)
{
    return ask(s, q, NULL);
}

/* ---- Dispatch ---- */

/* How many words arg holds, as the command will split them. */
static int count_words(const char *arg)
{
    char **words;
    int n = session_words(arg, &words);

    for (int i = 0; i < n; i++)
        free(words[i]);
    free(words);
    return n;
}

/* 0 if arg holds as many words as c takes, else the usage error's result. */
static int check_args(struct session *s, const struct session_cmd *c, const char *arg, int *rc)
{
    int n = count_words(arg);

    if (n < c->min_args)
        *rc = session_error(s, c->name, "/%s needs %s: /%s %s (%s).", c->name, c->args, c->name,
                            c->args, c->help);
    else if (c->max_args >= 0 && n > c->max_args && c->max_args)
        *rc = session_error(s, c->name, "/%s takes at most %d argument%s: /%s %s.", c->name,
                            c->max_args, c->max_args == 1 ? "" : "s", c->name, c->args);
    else if (c->max_args >= 0 && n > c->max_args)
        *rc = session_error(s, c->name, "/%s takes no arguments.", c->name);
    else
        return 0;
    return -1;
}

/* A line starting with '/': split off the name, check its arguments
 * against its row of the table and run it, or name the closest command. */
static int run_command(struct session *s, const char *line)
{
    const char *p = line + 1;
    size_t n = strcspn(p, " \t");
    char *name = xstrndup(p, n);
    const char *arg = p + n + strspn(p + n, " \t");
    const struct session_cmd *c = session_cmd_find(name);
    int rc;

    if (!*name) /* a lone "/" asks what there is */
        c = session_cmd_find("help");
    if (c && check_args(s, c, *arg ? arg : NULL, &rc) == 0)
        rc = c->run(s, *arg ? arg : NULL);
    else if (!c)
        rc = session_error(s, name, "Unknown command /%s. Did you mean /%s? (/help lists them)",
                           name, session_cmd_closest(name)->name);
    free(name);
    return rc;
}

/* A bare number: the entry with that number in the numbered list on
 * screen, asked by its own example question (which selects it). The list
 * stays, so the next number picks from it too. */
static int pick(struct session *s, unsigned n)
{
    if (!s->nlist)
        return session_error(s, "pick", "There is no numbered list to pick %u from; ask a "
                             "question or try /topics.", n);
    if (n > s->nlist)
        return session_error(s, "pick", "Pick a number from 1 to %zu.", s->nlist);
    return ask(s, reply_question_of(s->list[n - 1]), s->list[n - 1]);
}

/* The order matters: a slash is always a command; a bare number picks
 * before anything could read it as a question; follow-ups come before the
 * matcher, which would otherwise answer "why?" with "no advice on that". */
int session_line(struct session *s, const char *line, size_t len)
{
    char *q = xstrndup(line, len);
    size_t start = strspn(q, " \t"), end = strlen(q);
    unsigned n;
    int rc = 0;

    while (end > start && strchr(" \t\r\n", q[end - 1]))
        q[--end] = '\0';
    if (end == start)
        ; /* nothing to do */
    else if (q[start] == '/')
        rc = run_command(s, q + start);
    else if ((n = session_number(q, end)) > 0)
        rc = pick(s, n);
    else if (session_run_followup(s, q, end, &rc))
        rc = session_ask(s, q + start);
    free(q);
    return rc;
}
