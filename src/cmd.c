/* cmd.c -- the subcommands: ask, check, topics, and the question loop used
 * for piped input (a session without line editing; see session.h); the
 * personal coaching commands live in coachcmd.c. Start at cmd_table[] at
 * the bottom.
 */
#include "cmd.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "histfile.h"
#include "coachcmd.h"
#include "lint.h"
#include "reply.h"
#include "session.h"

/* Answer one question and write the reply in the chosen form. Returns 0,
 * or -1 if writing failed. *answered is set when the answer was confident. */
static int answer(struct cmd_ctx *ctx, const char *q, size_t len, int *answered)
{
    struct match_result r;
    struct reply rep;

    match_question(ctx->matcher, q, len, ctx->level, &r);
    reply_build(ctx->kb, &r, q, ctx->level, &rep);
    rep.explain = ctx->explain;
    *answered = rep.answered;
    return ctx->json ? render_json(ctx->out, &rep) : render_text(ctx->out, &rep, &ctx->render);
}

/* Say that a question of len bytes is too long to answer; line is its
 * line number in the input, or 0 for the command line. In JSON the line
 * still gets its object, {"error", "line", "bytes"}, so that output lines
 * up with input. Returns CMD_DATAERR, or CMD_IOERR if writing failed. */
static int refuse(const struct cmd_ctx *ctx, size_t line, size_t len)
{
    static const char *const what = "question too long (%zu bytes; the limit is %d), not answered";
    struct sbuf msg = {0};
    int rc = CMD_DATAERR;

    sbuf_printf(&msg, what, len, CMD_MAX_QUESTION);
    if (line)
        fprintf(stderr, "mlcoach: line %zu: %s\n", line, msg.s);
    else
        fprintf(stderr, "mlcoach: %s\n", msg.s);
    if (line && ctx->json &&
        render_json_dump(ctx->out, json_pack("{s:s, s:I, s:I}", "error", msg.s, "line",
                                             (json_int_t)line, "bytes", (json_int_t)len),
                         JSON_COMPACT) != 0)
        rc = CMD_IOERR;
    sbuf_free(&msg);
    return rc;
}

static int cmd_ask(struct cmd_ctx *ctx)
{
    struct sbuf q = {0};
    int answered = 0, rc;

    for (int i = 0; i < ctx->nargs; i++)
        sbuf_printf(&q, "%s%s", i ? " " : "", ctx->args[i]);
    if (q.len > CMD_MAX_QUESTION) {
        rc = refuse(ctx, 0, q.len);
        sbuf_free(&q);
        return rc;
    }
    rc = answer(ctx, q.s, q.len, &answered);
    sbuf_free(&q);
    if (rc != 0)
        return CMD_IOERR;
    return answered ? CMD_OK : CMD_UNANSWERED;
}

/* Strip the line ending and turn NUL bytes into spaces; returns the new
 * length, 0 for a line with nothing but white space. */
static size_t clean_line(char *line, size_t len)
{
    size_t start = 0;

    while (len && (line[len - 1] == '\n' || line[len - 1] == '\r'))
        line[--len] = '\0';
    for (size_t i = 0; i < len; i++)
        if (line[i] == '\0')
            line[i] = ' ';
    while (start < len && (line[start] == ' ' || line[start] == '\t'))
        start++;
    return start == len ? 0 : len;
}

/* Where a piped session writes each line's output first: a memory stream,
 * so that a blank line can go between outputs and lines that print nothing
 * (/level in JSON prints, /quit does not) leave no gap. One stream serves
 * every line, rewound before each. */
struct staging {
    FILE *f;
    char *buf;
    size_t len;
};

/* Handle one line of a piped session. Returns 0 or -1. */
static int loop_line(struct session *s, FILE *out, struct staging *st, const char *line,
                     size_t len, size_t *shown)
{
    int rc;

    if (fseeko(st->f, 0, SEEK_SET) != 0)
        return -1;
    s->out = st->f;
    rc = session_line(s, line, len);
    s->out = out;
    if (fflush(st->f) != 0 || ferror(st->f))
        rc = -1;
    if (rc == 0 && st->len) { /* st->len: the stream's position, what this line wrote */
        if (!s->json && (*shown)++)
            fputc('\n', out);
        if (fwrite(st->buf, 1, st->len, out) != st->len || ferror(out))
            rc = -1;
    }
    return rc;
}

int cmd_loop(struct cmd_ctx *ctx, FILE *in)
{
    struct session s;
    struct histfile asked = {0}; /* what /history lists: this run's lines */
    struct staging st = {0};
    char *line = NULL;
    size_t cap = 0, shown = 0, lineno = 0;
    ssize_t got;
    int rc = CMD_OK;

    st.f = open_memstream(&st.buf, &st.len);
    if (!st.f)
        return CMD_IOERR;
    session_init(&s, ctx->kb, ctx->matcher, ctx->level, ctx->out);
    s.json = ctx->json;
    s.explain = ctx->explain;
    s.in = in;
    s.render = ctx->render;
    s.history = &asked;
    s.lineno = &lineno; /* /assess reads lines too: the count is shared */
    while (!s.quit && (got = util_getline(&line, &cap, in, CMD_MAX_QUESTION)) >= 0) {
        size_t len = (size_t)got > CMD_MAX_QUESTION ? 0 : clean_line(line, (size_t)got);

        lineno++;
        if ((size_t)got > CMD_MAX_QUESTION && (rc = refuse(ctx, lineno, (size_t)got)) == CMD_IOERR)
            break;
        if (!len)
            continue;
        histfile_add(&asked, line, len);
        if (loop_line(&s, ctx->out, &st, line, len, &shown) != 0) {
            rc = CMD_IOERR;
            break;
        }
    }
    /* As cat and sh do: a read error is not the end of the input. */
    if (rc != CMD_IOERR && !s.quit && ferror(in)) {
        fprintf(stderr, "mlcoach: cannot read standard input: %s\n",
                strerror(errno ? errno : EIO));
        rc = CMD_IOERR;
    }
    fclose(st.f);
    free(st.buf);
    free(line);
    histfile_free(&asked);
    session_free(&s);
    return rc;
}

/* Every section of every document must be cited by some entry. Prints
 * each uncited one and returns how many there are. */
static size_t uncited_sections(const struct kb *kb)
{
    size_t uncited = 0;

    for (const struct kb_document *doc = kb->documents; doc; doc = doc->hh.next) {
        for (size_t s = 0; s < doc->nsections; s++) {
            const struct kb_section *sec = doc->sections[s];

            if (sec->ncited)
                continue;
            uncited++;
            fprintf(stderr, "%s:%u:%u: section '%s' is cited by no entry\n", sec->mark.file,
                    sec->mark.line, sec->mark.col, sec->ref);
        }
    }
    return uncited;
}

/* Every example must select its own entry; every section must be cited.
 * Patterns that can backtrack catastrophically, and knowledge too long or
 * repetitive to read, are warned about (lint.h) on stderr; warnings do not
 * change the exit status. */
static int cmd_check(struct cmd_ctx *ctx)
{
    const struct kb *kb = ctx->kb;
    size_t examples = 0, failures = 0, uncited, warnings;
    struct match_result r;
    struct diag d = {0};

    for (size_t i = 0; i < kb->nentries + kb->ndeclines; i++) {
        const struct kb_entry *e = kb_entry_at(kb, i);

        for (size_t k = 0; k < e->nexamples; k++) {
            const struct kb_example *x = &e->examples[k];
            const struct kb_entry *got;

            match_question(ctx->matcher, x->text, strlen(x->text), e->level, &r);
            examples++;
            /* An entry's examples must be answered by it, a decline's
             * declined by it. */
            got = r.answered ? r.top[0].entry : r.declined;
            if (got == e)
                continue;
            failures++;
            fprintf(stderr, "%s:%u: example \"%s\" selected %s instead of %s\n", x->mark.file,
                    x->mark.line, x->text, got ? got->id : "nothing", e->id);
        }
    }
    uncited = uncited_sections(kb);
    warnings = lint_patterns(kb, &d) + lint_shape(kb, &d);
    for (size_t i = 0; i < d.n; i++)
        fprintf(stderr, "%s\n", d.msgs[i]);
    diag_free(&d);
    if (failures || uncited) {
        fprintf(ctx->out, "check: %zu of %zu examples select the wrong entry, %zu sections "
                          "uncited\n", failures, examples, uncited);
        return CMD_DATAERR;
    }
    fprintf(ctx->out, "check: %zu entries, %zu declines, %zu examples, all select their own entry",
            kb->nentries, kb->ndeclines, examples);
    if (warnings)
        fprintf(ctx->out, "; %zu warning%s above", warnings, warnings == 1 ? "" : "s");
    fputc('\n', ctx->out);
    return CMD_OK;
}

static int cmd_topics(struct cmd_ctx *ctx)
{
    return render_topics(ctx->out, ctx->kb, ctx->json, ctx->render.width) == 0 ? CMD_OK : CMD_IOERR;
}

/* To add a subcommand: write cmd_NAME above and add a row; --help lists it. */
const struct cmd cmd_table[] = {
    {"ask", "QUESTION...", "answer one question (exit 1 if no confident answer)", 1, -1, cmd_ask},
    {"check", "", "validate the knowledge; every example must select its entry", 0, 0, cmd_check},
    {"topics", "", "list the topics and how many entries each has", 0, 0, cmd_topics},
    {"profile", "[set K=V...]", "show or set your level, years, focus topics, goals", 0, -1,
     coach_cmd_profile},
    {"assess", "", "rate yourself on the statements; scores, strengths, gaps", 0, 0,
     coach_cmd_assess},
    {"plan", "", "your steps toward the next level, with sources", 0, 0, coach_cmd_plan},
    {"done", "N", "mark step N of the plan done", 1, 1, coach_cmd_done},
    {"progress", "", "your scores over time and the plan's completion", 0, 0,
     coach_cmd_progress},
    {"export", "", "print all your personal data as one JSON document", 0, 0, coach_cmd_export},
    {"forget", "", "delete all your personal data (asks first; --yes for scripts)", 0, 0,
     coach_cmd_forget},
    {NULL, NULL, NULL, 0, 0, NULL},
};

const struct cmd *cmd_find(const char *name)
{
    for (const struct cmd *c = cmd_table; c->name; c++)
        if (strcmp(c->name, name) == 0)
            return c;
    return NULL;
}
