/* render.c -- text layout and JSON Lines. Start at render_text() and
 * render_json(); render_wrap() does the word wrapping for both text forms.
 */
#include "render.h"

#include <errno.h>
#include <math.h>
#include <string.h>

#include <jansson.h>
#include <utf8proc.h>
#include <uthash.h>

#define DIM "\033[2m"
#define BOLD "\033[1m"
#define RESET "\033[0m"

/* Display columns of n bytes of UTF-8: utf8proc's width of each code
 * point (2 for CJK, 0 for combining marks), one per invalid byte (it is
 * shown as U+FFFD). */
static unsigned columns(const char *s, size_t n)
{
    unsigned c = 0;

    for (size_t i = 0; i < n;) {
        utf8proc_int32_t cp;
        utf8proc_ssize_t len = utf8proc_iterate((const utf8proc_uint8_t *)s + i,
                                                (utf8proc_ssize_t)(n - i), &cp);

        if (len <= 0) {
            c++, i++;
            continue;
        }
        c += cp < 0x80 ? 1u : (unsigned)utf8proc_charwidth(cp);
        i += (size_t)len;
    }
    return c;
}

/* Length of the valid UTF-8 sequence at s (n bytes left), or 0. */
static size_t utf8_seq(const unsigned char *s, size_t n)
{
    size_t len = s[0] < 0x80 ? 1 : (s[0] & 0xE0) == 0xC0 ? 2 : (s[0] & 0xF0) == 0xE0 ? 3
               : (s[0] & 0xF8) == 0xF0 ? 4 : 0;
    unsigned long cp;

    if (!len || len > n || (len == 1 && s[0] == 0))
        return 0;
    cp = len == 1 ? s[0] : s[0] & (0x7F >> len);
    for (size_t i = 1; i < len; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        cp = cp << 6 | (s[i] & 0x3F);
    }
    /* Overlong forms, surrogates and values past U+10FFFF are invalid. */
    if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
        (cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF)
        return 0;
    return len;
}

/* 1 for the three bytes of a bidirectional control (U+200E, U+200F,
 * U+202A-U+202E, U+2066-U+2069): shown raw they reorder what follows on
 * the line, so a question could make the text after it read backwards
 * ("Trojan Source"). U+061C (Arabic letter mark) is two bytes. */
static int bidi_control(const unsigned char *u, size_t len)
{
    if (len == 2)
        return u[0] == 0xD8 && u[1] == 0x9C;
    if (len != 3 || u[0] != 0xE2)
        return 0;
    return (u[1] == 0x80 && (u[2] == 0x8E || u[2] == 0x8F || (u[2] >= 0xAA && u[2] <= 0xAE))) ||
           (u[1] == 0x81 && u[2] >= 0xA6 && u[2] <= 0xA9);
}

/* How many bytes at u (n left) a terminal may be shown as they are: a
 * printable character's, or 0 for a control character, DEL, a bidi control
 * or a byte that is not valid UTF-8. */
static size_t printable(const unsigned char *u, size_t n)
{
    size_t len;

    if (*u >= 0x20 && *u < 0x7F)
        return 1;
    len = utf8_seq(u, n);
    if (len == 1 || (len == 2 && u[0] == 0xC2 && u[1] < 0xA0) || bidi_control(u, len))
        return 0; /* C0 or DEL, C1, bidi */
    return len;
}

/* Append n bytes of s so that a terminal can only show them: a C0 or C1
 * control character, DEL or a bidi control becomes '?', an invalid UTF-8
 * byte U+FFFD.
 * Printable text is copied a run at a time. */
static void put_clean(struct sbuf *out, const char *s, size_t n)
{
    size_t i = 0, run = 0, len;

    while (i < n) {
        const unsigned char *u = (const unsigned char *)s + i;

        if ((len = printable(u, n - i))) {
            i += len, run += len;
            continue;
        }
        sbuf_append(out, s + i - run, run);
        run = 0;
        len = utf8_seq(u, n - i);
        sbuf_puts(out, len ? "?" : "\xEF\xBF\xBD");
        i += len ? len : 1;
    }
    sbuf_append(out, s + i - run, run);
}

static int is_item(const char *line)
{
    return line[0] == '-' && line[1] == ' ';
}

void render_wrap(struct sbuf *out, const char *text, unsigned width, unsigned indent)
{
    unsigned col = 0;
    int on_line = 0; /* a word is on the current line: col may still be 0 */
    const char *p = text;
    int pending_break = 0; /* a blank line was seen: start a new paragraph */

    while (*p) {
        const char *eol = strchr(p, '\n');
        const char *end = eol ? eol : p + strlen(p);
        const char *w = p;
        int first = 1; /* the first word of this source line */

        if (end == p || strspn(p, " \t") == (size_t)(end - p)) {
            pending_break = on_line;
        } else {
            if (on_line && (pending_break || is_item(p))) {
                sbuf_puts(out, pending_break ? "\n\n" : "\n");
                col = 0;
                on_line = 0;
            }
            pending_break = 0;
            while (w < end) {
                size_t len, gap = strspn(w, " \t");

                w += gap;
                /* Spaces between words of one line are kept (tables line
                 * up); a line joined to the one before gets one. */
                if (first || gap == 0)
                    gap = 1;
                first = 0;
                len = strcspn(w, " \t\n");
                if (!len)
                    break;
                if (!on_line) {
                    for (unsigned i = 0; i < indent; i++)
                        sbuf_putc(out, ' ');
                    col = indent;
                } else if (width && col + gap + columns(w, len) > width) {
                    sbuf_putc(out, '\n');
                    for (unsigned i = 0; i < indent; i++)
                        sbuf_putc(out, ' ');
                    col = indent;
                } else {
                    for (size_t i = 0; i < gap; i++)
                        sbuf_putc(out, ' ');
                    col += (unsigned)gap;
                }
                put_clean(out, w, len);
                col += columns(w, len);
                on_line = 1;
                w += len;
            }
        }
        p = eol ? eol + 1 : end;
    }
    if (on_line)
        sbuf_putc(out, '\n');
}

static int emit(FILE *out, const struct sbuf *b)
{
    if (b->len && fwrite(b->s, 1, b->len, out) != b->len)
        return -1;
    return ferror(out) ? -1 : 0;
}

void render_citation(struct sbuf *b, const struct kb_entry *e)
{
    for (size_t i = 0; i < e->nsources; i++) {
        const struct kb_document *doc = e->sources[i]->doc;
        int seen = 0;

        for (size_t k = 0; k < i; k++)
            seen |= e->sources[k]->doc == doc;
        if (seen)
            continue;
        sbuf_printf(b, "%s%s \xE2\x80\x94 ", i ? "; " : "", doc->title);
        for (size_t k = i, n = 0; k < e->nsources; k++)
            if (e->sources[k]->doc == doc)
                sbuf_printf(b, "%s%s", n++ ? ", " : "", e->sources[k]->title);
    }
}

static void meta_line(struct sbuf *b, const struct render_opts *o, const char *label,
                      const char *text)
{
    struct sbuf line = {0};

    if (label)
        sbuf_printf(&line, "%s: %s", label, text);
    else
        sbuf_puts(&line, text);
    if (o->color)
        sbuf_puts(b, DIM);
    render_wrap(b, line.s, o->width, 0);
    if (o->color) {
        b->len--; /* keep the newline after the colour reset */
        sbuf_puts(b, RESET "\n");
    }
    sbuf_free(&line);
}

/* One answer: title, advice, sources, topic and what else to read. */
static void answer_block(struct sbuf *b, const struct render_opts *o, const struct kb_entry *e,
                         const char *answer, enum kb_level level,
                         const struct kb_entry *see_also)
{
    struct sbuf tmp = {0};
    size_t n = 0;

    /* The title heads the answer in plain text too (a pipe, NO_COLOR, a
     * file): without it the reader cannot tell which advice this is. */
    if (o->color)
        sbuf_puts(b, BOLD);
    render_wrap(b, e->title, o->width, 0);
    if (o->color) {
        b->len--; /* keep the newline after the reset */
        sbuf_puts(b, RESET "\n");
    }
    render_wrap(b, answer, o->width, 0);
    sbuf_putc(b, '\n');
    render_citation(&tmp, e);
    meta_line(b, o, "Sources", tmp.s);
    sbuf_reset(&tmp);
    sbuf_printf(&tmp, "%s", e->topic->name);
    if (level != KB_LEVEL_ANY)
        sbuf_printf(&tmp, " (for %ss)", kb_level_name(level));
    if (see_also)
        sbuf_printf(&tmp, " \xC2\xB7 See also: %s (also close)", see_also->title), n++;
    for (size_t i = 0; i < e->nrelated; i++)
        if (e->related[i] != see_also)
            sbuf_printf(&tmp, "%s%s", n++ ? ", " : " \xC2\xB7 See also: ", e->related[i]->title);
    meta_line(b, o, "Topic", tmp.s);
    sbuf_free(&tmp);
}

static void unanswered_block(struct sbuf *b, const struct reply *rep, const struct render_opts *o)
{
    struct sbuf head = {0};

    /* Wrapped like everything else: at 60 columns it is longer than a line.
     * A decline's reason is a paragraph of its own. */
    if (rep->match && rep->match->declined) {
        render_wrap(b, rep->answer, o->width, 0);
        sbuf_puts(b, "\n");
        sbuf_puts(&head, "Questions I can answer that come closest:");
    } else {
        sbuf_printf(&head, "%s Questions I can answer that come closest:", rep->answer);
    }
    render_wrap(b, head.s, o->width, 0);
    sbuf_free(&head);
    for (size_t i = 0; i < rep->nsuggestions; i++) {
        sbuf_printf(b, "  %zu. ", i + 1);
        render_wrap(b, rep->suggestions[i], o->width > 5 ? o->width - 5 : 0, 0);
    }
}

/* A compound question: each part under the words that asked it. */
static void parts_block(struct sbuf *b, const struct reply *rep, const struct render_opts *o)
{
    for (size_t i = 0; i < rep->nparts; i++) {
        const struct reply_part *p = &rep->parts[i];
        struct sbuf q = {0};

        sbuf_printf(&q, "\xC2\xBB %.*s", (int)p->len, p->question);
        if (i)
            sbuf_putc(b, '\n');
        meta_line(b, o, NULL, q.s);
        answer_block(b, o, p->entry, p->answer, rep->level, NULL);
        sbuf_free(&q);
    }
}

int render_text(FILE *out, const struct reply *rep, const struct render_opts *o)
{
    struct sbuf b = {0};
    int rc;

    if (rep->nparts)
        parts_block(&b, rep, o);
    else if (rep->answered)
        answer_block(&b, o, rep->entry, rep->answer, rep->level, rep->see_also);
    else
        unanswered_block(&b, rep, o);
    rc = emit(out, &b);
    sbuf_free(&b);
    if (rc == 0 && rep->explain) {
        if (fputc('\n', out) == EOF)
            return -1;
        rc = render_explain(out, rep, o);
    }
    return rc;
}

/* How one candidate was found: "pattern 2: <regex>" or "BM25 coverage 0.61". */
static void evidence(struct sbuf *b, const struct match_candidate *c)
{
    if (c->pattern >= 0)
        sbuf_printf(b, "pattern %d: %s", c->pattern + 1, c->entry->patterns[c->pattern].src);
    else
        sbuf_printf(b, "no pattern; BM25 coverage %.2f", c->coverage);
}

/* Append one explanation line, wrapped with a hanging indent. */
static void explain_line(struct sbuf *b, const struct render_opts *o, struct sbuf *line)
{
    render_wrap(b, line->s, o->width, 0);
    sbuf_reset(line);
}

int render_explain(FILE *out, const struct reply *rep, const struct render_opts *o)
{
    const struct match_result *r = rep->match;
    struct sbuf b = {0}, line = {0};
    int rc;

    sbuf_printf(&line, "Normalised: %s", r->norm);
    explain_line(&b, o, &line);
    sbuf_puts(&line, "Corrections:");
    for (size_t i = 0; i < r->ncorrections; i++)
        sbuf_printf(&line, "%s %s -> %s", i ? "," : "", r->corrections[i].from,
                    r->corrections[i].to);
    sbuf_puts(&line, r->ncorrections ? "" : " none");
    explain_line(&b, o, &line);
    sbuf_puts(&line, "Terms (share of the question, share matched):");
    for (size_t i = 0; i < r->nterms; i++)
        sbuf_printf(&line, "%s %s %.2f/%.2f", i ? "," : "", r->terms[i].stem,
                    r->terms[i].weight, r->terms[i].counted);
    sbuf_puts(&line, r->nterms ? "" : " none");
    explain_line(&b, o, &line);
    if (rep->answered)
        sbuf_printf(&line, "Answered with %s: confidence %.2f, threshold %.2f", rep->entry->id,
                    r->confidence, MATCH_THRESHOLD);
    else if (r->declined)
        sbuf_printf(&line, "Not answered: declined as out of scope by %s", r->declined->id);
    else if (!r->in_scope)
        sbuf_puts(&line, "Not answered: no career or ML-work word in the question");
    else
        sbuf_printf(&line, "Not answered: best confidence %.2f is below %.2f", r->confidence,
                    MATCH_THRESHOLD);
    explain_line(&b, o, &line);
    sbuf_puts(&b, r->ntop ? "Candidates:\n" : "Candidates: none\n");
    for (size_t i = 0; i < r->ntop; i++) {
        sbuf_printf(&line, "%zu. %s %.3f, ", i + 1, r->top[i].entry->id, r->top[i].score);
        evidence(&line, &r->top[i]);
        render_wrap(&b, line.s, o->width, 2);
        sbuf_reset(&line);
    }
    rc = emit(out, &b);
    sbuf_free(&b);
    sbuf_free(&line);
    return rc;
}

/* ---- JSON Lines --------------------------------------------------------
 *
 * Answers are written straight into one buffer, key by key: building a
 * jansson tree per question and dumping it cost more than matching it. The
 * bytes are those json_dumpf(JSON_COMPACT | JSON_REAL_PRECISION(3)) gives
 * (test_render compares the two), and so are the strings: invalid UTF-8
 * becomes U+FFFD, '"', '\' and C0 controls are escaped. */

/* Append n bytes of s to b as a JSON string. It is written straight into
 * b's memory, made large enough first: no input byte takes more than six. */
static void put_json_string(struct sbuf *b, const char *s, size_t n)
{
    static const char hex[] = "0123456789ABCDEF";
    char *p;

    util_grow((void **)&b->s, &b->cap, b->len + 6 * n + 3, 1);
    p = b->s + b->len;
    *p++ = '"';
    for (size_t i = 0; i < n;) {
        const unsigned char *u = (const unsigned char *)s + i;
        const char *esc;
        size_t len;

        if (*u >= 0x20 && *u < 0x80 && *u != '"' && *u != '\\') {
            *p++ = (char)*u, i++;
        } else if (*u >= 0x80) { /* a character as it is, or U+FFFD for a bad byte */
            len = utf8_seq(u, n - i);
            memcpy(p, len ? (const char *)u : "\xEF\xBF\xBD", len ? len : 3);
            p += len ? len : 3, i += len ? len : 1;
        } else {
            *p++ = '\\';
            if (*u == '"' || *u == '\\')
                *p++ = (char)*u;
            else if (*u && (esc = strchr("\bb\ff\nn\rr\tt", *u)))
                *p++ = esc[1];
            else
                *p++ = 'u', *p++ = '0', *p++ = '0', *p++ = hex[*u >> 4], *p++ = hex[*u & 15];
            i++;
        }
    }
    *p++ = '"';
    *p = '\0';
    b->len = (size_t)(p - b->s);
}

static void put_json_text(struct sbuf *b, const char *s)
{
    put_json_string(b, s, strlen(s));
}

/* A string, or null for NULL. */
static void put_json_or_null(struct sbuf *b, const char *s)
{
    if (s)
        put_json_text(b, s);
    else
        sbuf_puts(b, "null");
}

/* v rounded to 3 decimals, as jansson writes a real to 3 significant
 * digits: "%.3g", with ".0" when that reads as an integer. For a share in
 * [0, 1] (n thousandths) that is n's digits after "0." (or "1.0"): n has at
 * most three significant digits, which the nearest double keeps. Other
 * values in [0, 1000) go through printf, anything else to jansson itself
 * (which would also leave out a NaN). */
static void put_json_real(struct sbuf *b, double v)
{
    double n = round(v * 1000);
    json_t *j;
    char *text;

    if (n >= 0 && n < 1000 && !signbit(n)) { /* printf writes -0 */
        char digits[8] = {'0', '.', (char)('0' + (int)n / 100), (char)('0' + (int)n / 10 % 10),
                          (char)('0' + (int)n % 10), 0};
        size_t len = 5;

        while (len > 3 && digits[len - 1] == '0')
            len--;
        sbuf_append(b, digits, len);
        return;
    }
    v = n / 1000;
    if (v >= 0 && v < 1000) {
        size_t at = b->len;

        sbuf_printf(b, "%.3g", v);
        if (!memchr(b->s + at, '.', b->len - at))
            sbuf_puts(b, ".0");
        return;
    }
    j = json_real(v);
    text = j ? json_dumps(j, JSON_ENCODE_ANY | JSON_REAL_PRECISION(3)) : NULL;
    sbuf_puts(b, text ? text : "null");
    free(text);
    json_decref(j);
}

/* ",\"key\":" (no comma right after an opening brace). */
static void put_key(struct sbuf *b, const char *key)
{
    size_t n = strlen(key);
    char *p;

    util_grow((void **)&b->s, &b->cap, b->len + n + 5, 1);
    p = b->s + b->len;
    if (b->len && p[-1] != '{')
        *p++ = ',';
    *p++ = '"';
    memcpy(p, key, n);
    p += n;
    *p++ = '"';
    *p++ = ':';
    *p = '\0';
    b->len = (size_t)(p - b->s);
}

/* Advice as one string: paragraphs stay apart, the file's line breaks do not. */
static void put_json_answer(struct sbuf *b, const char *answer, struct sbuf *tmp)
{
    sbuf_reset(tmp);
    render_wrap(tmp, answer, 0, 0);
    while (tmp->len && tmp->s[tmp->len - 1] == '\n')
        tmp->len--;
    put_json_string(b, tmp->s ? tmp->s : "", tmp->len);
}

static void put_json_sources(struct sbuf *b, const struct kb_entry *e)
{
    sbuf_putc(b, '[');
    for (size_t i = 0; e && i < e->nsources; i++) {
        sbuf_puts(b, i ? ",{" : "{");
        put_key(b, "doc");
        put_json_text(b, e->sources[i]->doc->id);
        put_key(b, "title");
        put_json_text(b, e->sources[i]->doc->title);
        put_key(b, "section");
        put_json_text(b, e->sources[i]->title);
        sbuf_putc(b, '}');
    }
    sbuf_putc(b, ']');
}

/* ---- What render_json_cached() keeps between answers ------------------- */

/* Answers, sources, ids and example questions depend on the knowledge
 * alone, and a long pipe renders the same few hundred over and over: each
 * one's JSON is made once and copied after that. A piece is known by what
 * it is made from (a pointer into the kb, which outlives the cache) and how
 * (its piece_fn); past RENDER_CACHE_MAX pieces new ones are made each time. */
#define RENDER_CACHE_MAX 4096

typedef void (*piece_fn)(struct sbuf *b, const void *from, struct sbuf *tmp);

struct piece_key {
    const void *from;
    piece_fn make;
};

struct piece {
    struct piece_key key;
    char *json;
    size_t len;
    UT_hash_handle hh;
};

struct render_cache {
    struct piece *pieces; /* hash by key */
    size_t n;
    struct sbuf out, tmp; /* the line being written; advice being wrapped */
};

struct render_cache *render_cache_new(void)
{
    return xcalloc(1, sizeof(struct render_cache));
}

void render_cache_free(struct render_cache *c)
{
    struct piece *p, *tmp;

    if (!c)
        return;
    HASH_ITER(hh, c->pieces, p, tmp) {
        HASH_DEL(c->pieces, p);
        free(p->json);
        free(p);
    }
    sbuf_free(&c->out);
    sbuf_free(&c->tmp);
    free(c);
}

static void answer_piece(struct sbuf *b, const void *answer, struct sbuf *tmp)
{
    put_json_answer(b, answer, tmp);
}

static void sources_piece(struct sbuf *b, const void *entry, struct sbuf *tmp)
{
    (void)tmp;
    put_json_sources(b, entry);
}

static void text_piece(struct sbuf *b, const void *text, struct sbuf *tmp)
{
    (void)tmp;
    put_json_text(b, text);
}

/* An entry's related ids as an array. */
static void related_piece(struct sbuf *b, const void *entry, struct sbuf *tmp)
{
    const struct kb_entry *e = entry;

    (void)tmp;
    sbuf_putc(b, '[');
    for (size_t i = 0; e && i < e->nrelated; i++) {
        sbuf_puts(b, i ? "," : "");
        put_json_text(b, e->related[i]->id);
    }
    sbuf_putc(b, ']');
}

/* Append the piece make writes from from, out of c when it has it. */
static void put_piece(struct sbuf *b, struct render_cache *c, const void *from, piece_fn make,
                      struct sbuf *tmp)
{
    struct piece_key key = {from, make};
    struct piece *p = NULL;
    size_t at = b->len;

    if (c)
        HASH_FIND(hh, c->pieces, &key, sizeof key, p);
    if (p) {
        sbuf_append(b, p->json, p->len);
        return;
    }
    make(b, from, tmp);
    if (!c || c->n == RENDER_CACHE_MAX)
        return;
    p = xmalloc(sizeof *p);
    p->key = key;
    p->len = b->len - at;
    p->json = xstrndup(b->s + at, p->len);
    HASH_ADD(hh, c->pieces, key, sizeof key, p);
    c->n++;
}

/* A string of the kb (or null for NULL), out of c when it has it. */
static void put_kb_text(struct sbuf *b, struct render_cache *c, const char *s, struct sbuf *tmp)
{
    if (s)
        put_piece(b, c, s, text_piece, tmp);
    else
        sbuf_puts(b, "null");
}

static void put_json_parts(struct sbuf *b, const struct reply *rep, struct render_cache *c,
                           struct sbuf *tmp)
{
    sbuf_putc(b, '[');
    for (size_t i = 0; i < rep->nparts; i++) {
        const struct reply_part *p = &rep->parts[i];

        sbuf_puts(b, i ? ",{" : "{");
        put_key(b, "question");
        /* As a C string: the question ends at a NUL byte, if it has one. */
        put_json_string(b, p->question, strnlen(p->question, p->len));
        put_key(b, "intent");
        put_kb_text(b, c, p->entry->id, tmp);
        put_key(b, "topic");
        put_kb_text(b, c, p->entry->topic->name, tmp);
        put_key(b, "confidence");
        put_json_real(b, p->confidence);
        put_key(b, "answer");
        put_piece(b, c, p->answer, answer_piece, tmp);
        put_key(b, "sources");
        put_piece(b, c, p->entry, sources_piece, tmp);
        sbuf_putc(b, '}');
    }
    sbuf_putc(b, ']');
}

static void put_json_explain(struct sbuf *b, const struct match_result *r)
{
    put_key(b, "normalised");
    put_json_text(b, r->norm);
    put_key(b, "corrections");
    sbuf_putc(b, '[');
    for (size_t i = 0; i < r->ncorrections; i++) {
        sbuf_puts(b, i ? ",{" : "{");
        put_key(b, "from");
        put_json_text(b, r->corrections[i].from);
        put_key(b, "to");
        put_json_text(b, r->corrections[i].to);
        sbuf_putc(b, '}');
    }
    sbuf_putc(b, ']');
    put_key(b, "in_scope");
    sbuf_puts(b, r->in_scope ? "true" : "false");
    put_key(b, "terms");
    sbuf_putc(b, '[');
    for (size_t i = 0; i < r->nterms; i++) {
        sbuf_puts(b, i ? ",{" : "{");
        put_key(b, "term");
        put_json_text(b, r->terms[i].stem);
        put_key(b, "weight");
        put_json_real(b, r->terms[i].weight);
        put_key(b, "counted");
        put_json_real(b, r->terms[i].counted);
        sbuf_putc(b, '}');
    }
    sbuf_putc(b, ']');
    put_key(b, "candidates");
    sbuf_putc(b, '[');
    for (size_t i = 0; i < r->ntop; i++) {
        const struct match_candidate *c = &r->top[i];

        sbuf_puts(b, i ? ",{" : "{");
        put_key(b, "intent");
        put_json_text(b, c->entry->id);
        put_key(b, "score");
        put_json_real(b, c->score);
        put_key(b, "pattern");
        put_json_or_null(b, c->pattern >= 0 ? c->entry->patterns[c->pattern].src : NULL);
        put_key(b, "coverage");
        put_json_real(b, c->coverage);
        put_key(b, "bm25");
        put_json_real(b, c->bm25);
        put_key(b, "keyword_hits");
        sbuf_printf(b, "%u", c->keyword_hits);
        sbuf_putc(b, '}');
    }
    sbuf_putc(b, ']');
}

/* The answer object, without its line end, in b. */
static void put_json_reply(struct sbuf *b, const struct reply *rep, struct render_cache *c,
                           struct sbuf *tmp)
{
    const struct kb_entry *e = rep->entry;

    sbuf_putc(b, '{');
    put_key(b, "question");
    put_json_text(b, rep->question ? rep->question : "");
    put_key(b, "answered");
    sbuf_puts(b, rep->answered ? "true" : "false");
    put_key(b, "intent");
    put_kb_text(b, c, e ? e->id : NULL, tmp);
    put_key(b, "topic");
    put_kb_text(b, c, e ? e->topic->name : NULL, tmp);
    put_key(b, "level");
    put_json_text(b, kb_level_name(rep->level));
    put_key(b, "confidence");
    put_json_real(b, rep->confidence);
    put_key(b, "answer");
    put_piece(b, c, rep->answer, answer_piece, tmp);
    put_key(b, "sources");
    put_piece(b, c, e, sources_piece, tmp);
    put_key(b, "related");
    put_piece(b, c, e, related_piece, tmp);
    put_key(b, "see_also");
    put_kb_text(b, c, rep->see_also ? rep->see_also->id : NULL, tmp);
    put_key(b, "declined");
    put_kb_text(b, c, rep->match && rep->match->declined ? rep->match->declined->id : NULL, tmp);
    put_key(b, "suggestions");
    sbuf_putc(b, '[');
    for (size_t i = 0; i < rep->nsuggestions; i++) {
        sbuf_puts(b, i ? "," : "");
        put_kb_text(b, c, rep->suggestions[i], tmp);
    }
    sbuf_putc(b, ']');
    put_key(b, "parts");
    put_json_parts(b, rep, c, tmp);
    if (rep->explain) {
        put_key(b, "explain");
        sbuf_putc(b, '{');
        put_json_explain(b, rep->match);
        sbuf_putc(b, '}');
    }
    sbuf_putc(b, '}');
}

int render_json_cached(FILE *out, const struct reply *rep, struct render_cache *c)
{
    struct sbuf own = {0}, own_tmp = {0};
    struct sbuf *b = c ? &c->out : &own, *tmp = c ? &c->tmp : &own_tmp;
    int rc;

    sbuf_reset(b);
    put_json_reply(b, rep, c, tmp);
    sbuf_putc(b, '\n');
    rc = emit(out, b);
    sbuf_free(&own);
    sbuf_free(&own_tmp);
    return rc;
}

int render_json(FILE *out, const struct reply *rep)
{
    return render_json_cached(out, rep, NULL);
}

json_t *render_json_text(const char *s)
{
    struct sbuf b = {0};
    size_t n = strlen(s);
    json_t *j;

    /* jansson refuses invalid UTF-8: each such byte becomes U+FFFD. */
    for (size_t i = 0; i < n;) {
        size_t len = utf8_seq((const unsigned char *)s + i, n - i);

        if (len) {
            sbuf_append(&b, s + i, len);
            i += len;
        } else {
            sbuf_puts(&b, "\xEF\xBF\xBD");
            i++;
        }
    }
    j = json_stringn(b.s ? b.s : "", b.len);
    sbuf_free(&b);
    return j;
}

json_t *render_sources_json(const struct kb_entry *e)
{
    json_t *a = json_array();

    for (size_t i = 0; e && i < e->nsources; i++)
        json_array_append_new(a, json_pack("{s:s, s:s, s:s}", "doc", e->sources[i]->doc->id,
                                           "title", e->sources[i]->doc->title, "section",
                                           e->sources[i]->title));
    return a;
}

static int write_json(FILE *out, json_t *obj)
{
    int rc = json_dumpf(obj, out, JSON_COMPACT | JSON_REAL_PRECISION(3));

    json_decref(obj);
    if (rc != 0 || fputc('\n', out) == EOF || ferror(out))
        return -1;
    return 0;
}

int render_topics(FILE *out, const struct kb *kb, int json)
{
    for (size_t i = 0; i < KB_NTOPICS; i++) {
        const struct kb_topic *t = &kb->topic_list[i];

        if (json) {
            if (write_json(out, json_pack("{s:s, s:i, s:s}", "topic", t->name, "entries",
                                          (int)t->nentries, "about", t->about)) != 0)
                return -1;
        } else if (fprintf(out, "%-17s %3zu  %s\n", t->name, t->nentries, t->about) < 0) {
            return -1;
        }
    }
    return ferror(out) ? -1 : 0;
}
