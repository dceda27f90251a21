/* render.c -- text layout: word wrapping, cleaning text for a terminal,
 * answers, explanations and the topic list. Start at render_text();
 * render_wrap() does the wrapping for everything shown as text. JSON Lines
 * are in render_json.c.
 */
#include "render.h"
#include "render_internal.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
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

size_t render_utf8_seq(const unsigned char *s, size_t n)
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
    len = render_utf8_seq(u, n);
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
        len = render_utf8_seq(u, n - i);
        sbuf_puts(out, len ? "?" : "\xEF\xBF\xBD");
        i += len ? len : 1;
    }
    sbuf_append(out, s + i - run, run);
}

/* How many of the n bytes at s fit in cols columns, whole characters only. */
static size_t fitting(const char *s, size_t n, unsigned cols)
{
    size_t i = 0;

    while (i < n) {
        size_t next = i + 1;

        while (next < n && ((unsigned char)s[next] & 0xC0) == 0x80)
            next++;
        if (columns(s, next) > cols)
            break;
        i = next;
    }
    return i;
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
                /* A word wider than a whole line is cut where the line
                 * ends (a regex in /why), so the indent still holds. */
                while (width && col + columns(w, len) > width && width > col) {
                    size_t fit = fitting(w, len, width - col);

                    if (!fit)
                        break;
                    put_clean(out, w, fit);
                    sbuf_putc(out, '\n');
                    for (unsigned i = 0; i < indent; i++)
                        sbuf_putc(out, ' ');
                    col = indent;
                    w += fit, len -= fit;
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

void render_hanging(struct sbuf *out, const char *label, const char *text, unsigned width,
                    unsigned cols)
{
    struct sbuf t = {0};
    size_t len = strlen(label);
    unsigned lcols = columns(label, len);
    /* The label needs a line of its own when the text cannot follow it on
     * the first line with a space between. */
    int own_line = lcols > cols || (lcols == cols && len && label[len - 1] != ' ');

    put_clean(out, label, len);
    render_wrap(&t, text, width, cols);
    if (own_line) {
        sbuf_putc(out, '\n');
        sbuf_append(out, t.s ? t.s : "", t.len);
    } else {
        for (unsigned i = lcols; i < cols; i++)
            sbuf_putc(out, ' ');
        if (t.len > cols)
            sbuf_append(out, t.s + cols, t.len - cols);
        else
            sbuf_putc(out, '\n');
    }
    sbuf_free(&t);
}

void render_say(struct sbuf *out, const char *msg, unsigned width)
{
    size_t n = strspn(msg, " "), digits = strspn(msg + n, "0123456789");
    char *prefix;

    /* "  2. text" hangs under "text"; "   text" under its first letter. */
    if (digits && msg[n + digits] == '.' && msg[n + digits + 1] == ' ')
        n += digits + 2;
    prefix = xstrndup(msg, n);
    render_hanging(out, prefix, msg + n, width, (unsigned)n);
    free(prefix);
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
    const struct kb_entry *also[RENDER_SEE_ALSO_MAX];
    size_t n;

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
    if (!o->brief) {
        sbuf_putc(b, '\n');
        render_citation(&tmp, e);
        meta_line(b, o, "Sources", tmp.s);
    }
    sbuf_reset(&tmp);
    sbuf_printf(&tmp, "%s", e->topic->name);
    if (level != KB_LEVEL_ANY)
        sbuf_printf(&tmp, " (for %ss)", kb_level_name(level));
    n = reply_see_also(e, see_also, also, RENDER_SEE_ALSO_MAX);
    for (size_t i = 0; i < n; i++) {
        sbuf_puts(&tmp, i ? ", " : " \xC2\xB7 See also: ");
        if (o->numbered)
            sbuf_printf(&tmp, "[%zu] ", i + 1);
        sbuf_puts(&tmp, also[i]->title);
        if (also[i] == see_also)
            sbuf_puts(&tmp, " (also close)");
    }
    if (!o->brief)
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

int render_topics(FILE *out, const struct kb *kb, int json, unsigned width)
{
    struct sbuf b = {0};
    int rc = 0;

    for (size_t i = 0; i < KB_NTOPICS && rc == 0; i++) {
        const struct kb_topic *t = &kb->topic_list[i];
        char label[64];

        if (json) {
            rc = render_json_line(out, json_pack("{s:s, s:i, s:s}", "topic", t->name, "entries",
                                           (int)t->nentries, "about", t->about));
            continue;
        }
        snprintf(label, sizeof label, "%-17s %3zu  ", t->name, t->nentries);
        render_hanging(&b, label, t->about, width, (unsigned)strlen(label));
    }
    if (rc == 0)
        rc = emit(out, &b);
    sbuf_free(&b);
    return rc || ferror(out) ? -1 : 0;
}
