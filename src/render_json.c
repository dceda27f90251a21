/* render_json.c -- answers as JSON Lines, written key by key into one
 * buffer, and the JSON helpers other modules use for text from outside.
 * Start at render_json_cached().
 */
#include "render.h"
#include "render_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <uthash.h>

static int emit(FILE *out, const struct sbuf *b)
{
    if (b->len && fwrite(b->s, 1, b->len, out) != b->len)
        return -1;
    return ferror(out) ? -1 : 0;
}

/* ---- JSON Lines --------------------------------------------------------
 *
 * Answers are written straight into one buffer, key by key: building a
 * jansson tree per question and dumping it cost more than matching it. The
 * bytes are those render_json_dump(JSON_COMPACT | JSON_REAL_PRECISION(3))
 * gives (test_render compares the two), and so are the strings: invalid
 * UTF-8 becomes U+FFFD; '"', '\', C0 and C1 controls and DEL are escaped. */

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

        if (*u >= 0x20 && *u < 0x7F && *u != '"' && *u != '\\') {
            *p++ = (char)*u, i++;
        } else if (*u == 0x7F || (*u == 0xC2 && i + 1 < n && u[1] >= 0x80 && u[1] < 0xA0)) {
            unsigned c = *u == 0x7F ? 0x7F : u[1]; /* DEL or C1: escaped, never raw */

            *p++ = '\\', *p++ = 'u', *p++ = '0', *p++ = '0', *p++ = hex[c >> 4], *p++ = hex[c & 15];
            i += *u == 0x7F ? 1 : 2;
        } else if (*u >= 0x80) { /* a character as it is, or U+FFFD for a bad byte */
            len = render_utf8_seq(u, n - i);
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
        size_t len = render_utf8_seq((const unsigned char *)s + i, n - i);

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

/* Append jansson's text to b with DEL and each C1 control (U+0080-U+009F,
 * bytes C2 80-9F) as \u00XX: jansson writes them raw, and a terminal acts
 * on C1 controls. Outside strings JSON text has neither, so the escape
 * always lands inside a string. */
static void put_escaped(struct sbuf *b, const char *text)
{
    static const char hex[] = "0123456789ABCDEF";
    const unsigned char *u = (const unsigned char *)text;
    size_t run = 0, i = 0;

    while (u[i]) {
        unsigned c = u[i] == 0x7F ? 0x7F : u[i] == 0xC2 && u[i + 1] >= 0x80 && u[i + 1] < 0xA0
                                                ? u[i + 1] : 0;
        char esc[7] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15], 0};

        if (!c) {
            i++, run++;
            continue;
        }
        sbuf_append(b, text + i - run, run);
        sbuf_puts(b, esc);
        run = 0;
        i += c == 0x7F ? 1 : 2;
    }
    sbuf_append(b, text + i - run, run);
}

int render_json_dump(FILE *out, json_t *obj, size_t flags)
{
    char *text = obj ? json_dumps(obj, flags) : NULL;
    struct sbuf b = {0};
    int rc;

    /* Every string from outside went through render_json_text, so jansson
     * refusing one (or json_pack having failed) is a bug, not an I/O error. */
    if (!text)
        util_bug("a value that cannot be encoded as JSON");
    json_decref(obj);
    put_escaped(&b, text);
    sbuf_putc(&b, '\n');
    rc = emit(out, &b);
    sbuf_free(&b);
    free(text);
    return rc;
}

int render_json_line(FILE *out, json_t *obj)
{
    return render_json_dump(out, obj, JSON_COMPACT | JSON_REAL_PRECISION(3));
}

