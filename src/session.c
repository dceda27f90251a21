/* session.c -- a conversation: dispatching each line, follow-ups, numbered
 * picks, and completion. Start at session_line(); the slash commands
 * themselves are in sessioncmd.c.
 */
#include "session.h"

#include <ctype.h>
#include <strings.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "prefilter.h"
#include "reply.h"
#include "session_internal.h"

/* Follow-ups, matched against the normalised line (lower case, words
 * separated by single spaces, "what's" already "what is", "sr" already
 * "senior"). To add one, add a row: the first pattern that matches wins. */
static const struct {
    const char *pattern;
    enum session_followup what;
    enum kb_level level;
} followup_table[] = {
    {"^(?:please )?(?:(?:tell|show|give) me |say )?(?:some |a bit |a little )?more"
     "(?: about (?:it|that|this))?(?: please)?$|^go on$|^(?:and )?then what$",
     SESSION_MORE, KB_LEVEL_ANY},
    {"^(?:but |and )?why(?: (?:is|was) that| so| that| this)?(?: answer)?$|^how come$"
     "|^why (?:did|do) you (?:say|answer|pick|choose) (?:that|this)$",
     SESSION_WHY, KB_LEVEL_ANY},
    {"^(?:and |so )?where (?:does|did|do) (?:that|this|it|these|those) (?:come|comes) from$"
     "|^(?:what is|what are) (?:the |your )?sources?$|^sources? please$|^says who$",
     SESSION_SOURCES, KB_LEVEL_ANY},
    {"^(?:and |but |so )?(?:(?:what|how) about|and for|what if i am|if i am|for|as) "
     "(?:the |a |an |for )*seniors?(?: ones?| engineers?| developers?| devs?| people)?$",
     SESSION_LEVEL, KB_LEVEL_SENIOR},
    {"^(?:and |but |so )?(?:(?:what|how) about|and for|what if i am|if i am|for|as) "
     "(?:the |a |an |for )*juniors?(?: ones?| engineers?| developers?| devs?| people)?$",
     SESSION_LEVEL, KB_LEVEL_JUNIOR},
};
#define NFOLLOWUPS (sizeof followup_table / sizeof *followup_table)

struct session_followups {
    pcre2_code *re[NFOLLOWUPS];
    struct prefilter *pf; /* which rows a line could match: most lines none */
    pcre2_match_data *md;
};

void session_init(struct session *s, const struct kb *kb, struct matcher *m,
                  enum kb_level level, FILE *out)
{
    struct session_followups *f = xcalloc(1, sizeof *f);

    f->pf = prefilter_new();
    prefilter_choose_first(f->pf);
    memset(s, 0, sizeof *s);
    s->kb = kb;
    s->matcher = m;
    s->level = level;
    s->out = out;
    s->cache = render_cache_new();
    for (size_t i = 0; i < NFOLLOWUPS; i++) {
        int code;
        PCRE2_SIZE off;

        /* The table is tested (tests/test_session.c); a pattern that does
         * not compile is left out rather than stopping the program. */
        f->re[i] = pcre2_compile((PCRE2_SPTR)followup_table[i].pattern, PCRE2_ZERO_TERMINATED,
                                 PCRE2_UTF, &code, &off, NULL);
        prefilter_add(f->pf, followup_table[i].pattern);
    }
    f->md = pcre2_match_data_create(1, NULL);
    if (!f->md)
        xmalloc((size_t)-1);
    s->followups = f;
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
    struct session_followups *f = s->followups;

    session_forget(s);
    for (size_t i = 0; f && i < NFOLLOWUPS; i++)
        pcre2_code_free(f->re[i]);
    if (f) {
        pcre2_match_data_free(f->md);
        prefilter_free(f->pf);
        free(f);
    }
    for (size_t i = 0; i < s->nvocab; i++)
        free(s->vocab[i]);
    free(s->vocab);
    render_cache_free(s->cache);
    memset(s, 0, sizeof *s);
}

enum session_followup session_followup(struct session *s, const char *line, size_t len,
                                        enum kb_level *level)
{
    struct session_followups *f = s->followups;
    /* The matcher's normaliser: when the line turns out to be a question,
     * the matcher reuses this. */
    const char *norm = match_normalise(s->matcher, line, len);
    size_t n, nlen = strlen(norm);

    /* In table order, as without the prefilter: the first match wins. */
    n = prefilter_run(f->pf, norm, nlen, NFOLLOWUPS);
    for (size_t k = 0; k < n; k++) {
        size_t i = prefilter_id(f->pf, k);

        if (!f->re[i] || pcre2_match(f->re[i], (PCRE2_SPTR)norm, nlen, 0, PCRE2_NO_UTF_CHECK,
                                     f->md, NULL) < 0)
            continue;
        *level = followup_table[i].level;
        return followup_table[i].what;
    }
    return SESSION_NOT_FOLLOWUP;
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

/* Write a reply in the session's form. */
static int show(struct session *s, const struct reply *rep)
{
    return s->json ? render_json_cached(s->out, rep, s->cache)
                   : render_text(s->out, rep, &s->render);
}

int session_ask(struct session *s, const char *q)
{
    struct match_result r;
    struct reply rep;
    char *question = xstrdup(q); /* q may be the old last_question */

    match_question(s->matcher, question, strlen(question), s->level, &r);
    reply_build(s->kb, &r, question, s->level, &rep);
    rep.explain = s->explain;
    session_forget(s);
    s->last_question = question;
    s->last_level = s->level;
    s->last_confidence = rep.confidence;
    s->last_entry = s->more_of = rep.entry;
    for (size_t i = 0; i < rep.nsuggestions && i < SESSION_LIST_MAX; i++)
        s->list[s->nlist++] = rep.suggestions[i];
    return show(s, &rep);
}

int session_show_entry(struct session *s, const struct kb_entry *e, enum kb_level level,
                       const char *question)
{
    /* A match result as if the question had chosen e outright: the reply
     * and its renderers need one, and it keeps every field zero. */
    struct match_result r = {.norm = "", .answered = 1, .confidence = s->last_confidence,
                             .ntop = 1};
    struct reply rep;

    r.top[0] = (struct match_candidate){.entry = e, .score = r.confidence, .pattern = -1};
    reply_build(s->kb, &r, question ? question : e->title, level, &rep);
    s->nlist = 0;
    /* The same text again would read as a mistake; say why instead. */
    if (!s->json && e == s->last_entry && level != KB_LEVEL_ANY && !e->answers[level])
        return session_say(s, "There is no separate advice for %ss on \"%s\": what I said "
                           "holds for every level.", kb_level_name(level), e->title);
    s->last_entry = e;
    return show(s, &rep);
}

/* ---- Dispatch ---- */

/* A line starting with '/': split off the name, run its row of the table,
 * or name the closest command. */
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
    if (c)
        rc = c->run(s, *arg ? arg : NULL);
    else
        rc = session_error(s, name, "Unknown command /%s. Did you mean /%s? (/help lists them)",
                           name, session_cmd_closest(name)->name);
    free(name);
    return rc;
}

/* The follow-up f, resolved against the context. Returns 1 when there is
 * no context for it (the line is then asked as a question). */
static int followup(struct session *s, enum session_followup f, enum kb_level level, int *rc)
{
    static const char *const command[] = {
        [SESSION_MORE] = "more", [SESSION_WHY] = "why", [SESSION_SOURCES] = "sources",
    };

    if (f == SESSION_WHY ? !s->last_question : !s->last_entry)
        return 1;
    if (f == SESSION_LEVEL)
        *rc = session_show_entry(s, s->last_entry, level, s->last_question);
    else
        *rc = session_cmd_find(command[f])->run(s, NULL);
    return 0;
}

/* A bare number: ask the question with that number in the list just shown
 * (it is the kb's own example, so it selects its entry). */
static int pick(struct session *s, unsigned n)
{
    if (!s->nlist)
        return session_error(s, "pick", "There is no numbered list to pick %u from; ask a "
                             "question or try /topics.", n);
    if (n > s->nlist)
        return session_error(s, "pick", "Pick a number from 1 to %zu.", s->nlist);
    return session_ask(s, s->list[n - 1]);
}

/* The order matters: a slash is always a command; a bare number picks
 * before anything could read it as a question; follow-ups come before the
 * matcher, which would otherwise answer "why?" with "no advice on that". */
int session_line(struct session *s, const char *line, size_t len)
{
    char *q = xstrndup(line, len);
    size_t start = strspn(q, " \t"), end = strlen(q);
    enum session_followup f;
    enum kb_level level;
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
    else if ((f = session_followup(s, q, end, &level)) == SESSION_NOT_FOLLOWUP ||
             followup(s, f, level, &rc))
        rc = session_ask(s, q + start);
    free(q);
    return rc;
}

/* ---- Completion ---- */

/* qsort comparison for an array of strings. */
static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Append a lower-cased copy of the len bytes at w to the vector *v. */
static void add_word(char ***v, size_t *n, size_t *cap, const char *w, size_t len)
{
    char *word = xstrndup(w, len);

    for (char *p = word; *p; p++)
        *p = (char)tolower((unsigned char)*p);
    util_grow((void **)v, cap, *n + 1, sizeof **v);
    (*v)[(*n)++] = word;
}

/* Words of at least 4 letters (bytes past ASCII count as letters). */
static void add_words(char ***v, size_t *n, size_t *cap, const char *text)
{
    for (const char *p = text; *p;) {
        size_t len = 0;

        while (p[len] && (isalnum((unsigned char)p[len]) || (unsigned char)p[len] >= 0x80 ||
                          (len && p[len] == '-' && isalnum((unsigned char)p[len + 1]))))
            len++;
        if (len >= 4)
            add_word(v, n, cap, p, len);
        p += len ? len : 1;
    }
}

/* Sort v[0..*n) and drop repeats. */
static void sort_unique(char **v, size_t *n)
{
    size_t k = 0;

    if (*n)
        qsort(v, *n, sizeof *v, cmp_str);
    for (size_t i = 0; i < *n; i++) {
        if (k && strcmp(v[k - 1], v[i]) == 0)
            free(v[i]);
        else
            v[k++] = v[i];
    }
    *n = k;
}

/* The knowledge's words for completion: every keyword word, and each word
 * of the example questions that the advice itself uses too. Examples are
 * misspelt on purpose ("mentr") to test the matcher; completion should not
 * offer those. */
static void build_vocab(struct session *s)
{
    char **known = NULL, **ex = NULL;
    size_t nknown = 0, capk = 0, nex = 0, capx = 0, cap = 0;

    for (size_t i = 0; i < s->kb->nentries; i++) {
        const struct kb_entry *e = s->kb->entry_list[i];

        for (size_t k = 0; k < e->nkeywords; k++)
            add_words(&s->vocab, &s->nvocab, &cap, e->keywords[k]);
        for (size_t k = 0; k < e->nexamples; k++)
            add_words(&ex, &nex, &capx, e->examples[k].text);
        for (int l = 0; l < KB_NLEVELS; l++)
            if (e->answers[l])
                add_words(&known, &nknown, &capk, e->answers[l]);
    }
    sort_unique(known, &nknown);
    for (size_t i = 0; i < nex; i++) {
        if (nknown && bsearch(&ex[i], known, nknown, sizeof *known, cmp_str))
            add_word(&s->vocab, &s->nvocab, &cap, ex[i], strlen(ex[i]));
        free(ex[i]);
    }
    for (size_t i = 0; i < nknown; i++)
        free(known[i]);
    free(known);
    free(ex);
    sort_unique(s->vocab, &s->nvocab);
}

/* Add before + word to c when word starts with the len bytes of prefix,
 * ignoring ASCII case (the word's own case wins in the line). */
static void offer(struct session_completion *c, const char *prefix, size_t len,
                  const char *before, const char *word)
{
    if (strncasecmp(word, prefix, len) != 0)
        return;
    util_grow((void **)&c->items, &c->cap, c->n + 1, sizeof *c->items);
    c->items[c->n] = xmalloc(strlen(before) + strlen(word) + 1);
    strcat(strcpy(c->items[c->n], before), word);
    c->n++;
}

/* The argument kind of the command this line starts with, if the word at
 * start is its first argument. */
static enum session_arg arg_kind(const char *line, size_t start)
{
    size_t n = strcspn(line + 1, " \t");
    char *name;
    const struct session_cmd *c;

    if (line[0] != '/' || start != 1 + n + strspn(line + 1 + n, " \t"))
        return SESSION_ARG_NONE;
    name = xstrndup(line + 1, n);
    c = session_cmd_find(name);
    free(name);
    return c ? c->arg : SESSION_ARG_NONE;
}

void session_complete(struct session *s, const char *line, size_t point,
                      struct session_completion *c)
{
    size_t start = point;
    const char *w;
    size_t len;

    while (start > 0 && line[start - 1] != ' ' && line[start - 1] != '\t')
        start--;
    c->start = start;
    w = line + start;
    len = point - start;
    if (start == 0 && line[0] == '/') {
        for (const struct session_cmd *k = session_cmds; k->name; k++)
            offer(c, w + 1, len - 1, "/", k->name);
        return;
    }
    switch (arg_kind(line, start)) {
    case SESSION_ARG_TOPIC:
        for (size_t i = 0; i < KB_NTOPICS; i++)
            offer(c, w, len, "", kb_topic_names[i]);
        return;
    case SESSION_ARG_LEVEL:
        for (int i = 0; i < KB_NLEVELS; i++)
            offer(c, w, len, "", kb_level_name((enum kb_level)i));
        return;
    case SESSION_ARG_NONE:
        break;
    }
    if (line[0] == '/' || len == 0)
        return;
    if (!s->vocab)
        build_vocab(s);
    for (size_t i = 0; i < s->nvocab; i++)
        offer(c, w, len, "", s->vocab[i]);
}

void session_completion_free(struct session_completion *c)
{
    for (size_t i = 0; i < c->n; i++)
        free(c->items[i]);
    free(c->items);
    *c = (struct session_completion){0};
}
