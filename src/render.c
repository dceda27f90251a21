/* render.c -- text layout and JSON Lines. Start at render_text() and
 * render_json(); render_wrap() does the word wrapping for both text forms.
 */
#include "render.h"

#include <errno.h>
#include <math.h>
#include <string.h>

#include <jansson.h>

#define DIM "\033[2m"
#define BOLD "\033[1m"
#define RESET "\033[0m"

/* Display columns of n bytes of UTF-8 (one per code point; good enough for
 * the Latin text of the knowledge). */
static unsigned columns(const char *s, size_t n)
{
    unsigned c = 0;

    for (size_t i = 0; i < n; i++)
        c += ((unsigned char)s[i] & 0xC0) != 0x80;
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

/* Append n bytes of s so that a terminal can only show them: a C0 or C1
 * control character or DEL becomes '?', an invalid UTF-8 byte U+FFFD. */
static void put_clean(struct sbuf *out, const char *s, size_t n)
{
    for (size_t i = 0; i < n;) {
        const unsigned char *u = (const unsigned char *)s + i;
        size_t len = utf8_seq(u, n - i);

        if (!len) {
            sbuf_puts(out, "\xEF\xBF\xBD");
            i++;
        } else if ((len == 1 && (u[0] < 0x20 || u[0] == 0x7F)) ||
                   (len == 2 && u[0] == 0xC2 && u[1] < 0xA0)) {
            sbuf_putc(out, '?');
            i += len;
        } else {
            sbuf_append(out, s + i, len);
            i += len;
        }
    }
}

static int is_item(const char *line)
{
    return line[0] == '-' && line[1] == ' ';
}

void render_wrap(struct sbuf *out, const char *text, unsigned width, unsigned indent)
{
    unsigned col = 0;
    const char *p = text;
    int pending_break = 0; /* a blank line was seen: start a new paragraph */

    while (*p) {
        const char *eol = strchr(p, '\n');
        const char *end = eol ? eol : p + strlen(p);
        const char *w = p;

        if (end == p || strspn(p, " \t") == (size_t)(end - p)) {
            pending_break = col > 0;
        } else {
            if (col > 0 && (pending_break || is_item(p))) {
                sbuf_puts(out, pending_break ? "\n\n" : "\n");
                col = 0;
            }
            pending_break = 0;
            while (w < end) {
                size_t len;

                while (w < end && (*w == ' ' || *w == '\t'))
                    w++;
                len = strcspn(w, " \t\n");
                if (!len)
                    break;
                if (col == 0) {
                    for (unsigned i = 0; i < indent; i++)
                        sbuf_putc(out, ' ');
                    col = indent;
                } else if (width && col + 1 + columns(w, len) > width) {
                    sbuf_putc(out, '\n');
                    for (unsigned i = 0; i < indent; i++)
                        sbuf_putc(out, ' ');
                    col = indent;
                } else {
                    sbuf_putc(out, ' ');
                    col++;
                }
                put_clean(out, w, len);
                col += columns(w, len);
                w += len;
            }
        }
        p = eol ? eol + 1 : end;
    }
    if (col > 0)
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

    if (o->color) {
        sbuf_puts(b, BOLD);
        put_clean(b, e->title, strlen(e->title));
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

/* A JSON string of s, with each invalid UTF-8 byte replaced by U+FFFD
 * (jansson refuses invalid UTF-8). */
static json_t *json_text(const char *s)
{
    struct sbuf b = {0};
    size_t n = strlen(s);
    json_t *j;

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

json_t *render_json_text(const char *s)
{
    return json_text(s);
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

/* Advice as one string: paragraphs stay apart, the file's line breaks do not. */
static json_t *answer_json(const char *answer)
{
    struct sbuf text = {0};
    json_t *j;

    render_wrap(&text, answer, 0, 0);
    while (text.len && text.s[text.len - 1] == '\n')
        text.s[--text.len] = '\0';
    j = json_text(text.s ? text.s : "");
    sbuf_free(&text);
    return j;
}

static json_t *parts_json(const struct reply *rep)
{
    json_t *a = json_array();

    for (size_t i = 0; i < rep->nparts; i++) {
        const struct reply_part *p = &rep->parts[i];
        struct sbuf q = {0};
        json_t *o;

        sbuf_append(&q, p->question, p->len);
        o = json_pack("{s:o, s:s, s:s, s:f, s:o, s:o}", "question", json_text(q.s), "intent",
                      p->entry->id, "topic", p->entry->topic->name, "confidence",
                      round(p->confidence * 1000) / 1000, "answer", answer_json(p->answer),
                      "sources", render_sources_json(p->entry));
        json_array_append_new(a, o);
        sbuf_free(&q);
    }
    return a;
}

static json_t *explain_json(const struct match_result *r)
{
    json_t *corr = json_array(), *terms = json_array(), *cands = json_array();

    for (size_t i = 0; i < r->ncorrections; i++)
        json_array_append_new(corr, json_pack("{s:s, s:s}", "from", r->corrections[i].from,
                                              "to", r->corrections[i].to));
    for (size_t i = 0; i < r->nterms; i++)
        json_array_append_new(terms, json_pack("{s:s, s:f, s:f}", "term", r->terms[i].stem,
                                               "weight", round(r->terms[i].weight * 1000) / 1000,
                                               "counted",
                                               round(r->terms[i].counted * 1000) / 1000));
    for (size_t i = 0; i < r->ntop; i++) {
        const struct match_candidate *c = &r->top[i];

        json_array_append_new(cands, json_pack(
            "{s:s, s:f, s:o, s:f, s:f, s:i}", "intent", c->entry->id, "score",
            round(c->score * 1000) / 1000, "pattern",
            c->pattern >= 0 ? json_text(c->entry->patterns[c->pattern].src) : json_null(),
            "coverage", round(c->coverage * 1000) / 1000, "bm25", round(c->bm25 * 1000) / 1000,
            "keyword_hits", (int)c->keyword_hits));
    }
    return json_pack("{s:o, s:o, s:b, s:o, s:o}", "normalised", json_text(r->norm),
                     "corrections", corr, "in_scope", r->in_scope, "terms", terms,
                     "candidates", cands);
}

int render_json(FILE *out, const struct reply *rep)
{
    const struct kb_entry *e = rep->entry;
    json_t *obj = json_object(), *related = json_array(), *sugg = json_array();

    for (size_t i = 0; e && i < e->nrelated; i++)
        json_array_append_new(related, json_string(e->related[i]->id));
    for (size_t i = 0; i < rep->nsuggestions; i++)
        json_array_append_new(sugg, json_string(rep->suggestions[i]));
    json_object_set_new(obj, "question", json_text(rep->question ? rep->question : ""));
    json_object_set_new(obj, "answered", json_boolean(rep->answered));
    json_object_set_new(obj, "intent", e ? json_string(e->id) : json_null());
    json_object_set_new(obj, "topic", e ? json_string(e->topic->name) : json_null());
    json_object_set_new(obj, "level", json_string(kb_level_name(rep->level)));
    json_object_set_new(obj, "confidence", json_real(round(rep->confidence * 1000) / 1000));
    json_object_set_new(obj, "answer", answer_json(rep->answer));
    json_object_set_new(obj, "sources", render_sources_json(e));
    json_object_set_new(obj, "related", related);
    json_object_set_new(obj, "see_also", rep->see_also ? json_string(rep->see_also->id)
                                                       : json_null());
    json_object_set_new(obj, "declined", rep->match && rep->match->declined
                                             ? json_string(rep->match->declined->id)
                                             : json_null());
    json_object_set_new(obj, "suggestions", sugg);
    json_object_set_new(obj, "parts", parts_json(rep));
    if (rep->explain)
        json_object_set_new(obj, "explain", explain_json(rep->match));
    return write_json(out, obj);
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
