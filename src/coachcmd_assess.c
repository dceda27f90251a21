/* coachcmd_assess.c -- `assess` (and /assess): rating the statements one
 * by one, scoring them, showing strengths and gaps with their advice, and
 * saving the assessment. Start at coach_cmd_assess(); ask_all() reads the
 * answers.
 */
#include "coachcmd.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <jansson.h>

#include "coach.h"
#include "render.h"
#include "coach_internal.h"
#include "store.h"

/* ---- assess ------------------------------------------------------------------- */

enum { ANSWER_QUIT = -1, ANSWER_BAD = -2, ANSWER_BACK = -3 };

/* 1-5, 0 to skip (empty, "s", "skip"), ANSWER_BACK ("b", "back": the
 * statement before), ANSWER_QUIT ("q", "quit") or ANSWER_BAD. Surrounding
 * white space is ignored. */
static int parse_answer(char *line)
{
    static const struct {
        const char *word;
        int value;
    } words[] = {{"", 0}, {"s", 0}, {"skip", 0}, {"b", ANSWER_BACK}, {"back", ANSWER_BACK},
                 {"q", ANSWER_QUIT}, {"quit", ANSWER_QUIT}};
    size_t len = strlen(line);

    while (len && strchr(" \t\r\n", line[len - 1]))
        line[--len] = '\0';
    line += strspn(line, " \t");
    if (line[0] >= '1' && line[0] <= '5' && line[1] == '\0')
        return line[0] - '0';
    for (size_t i = 0; i < sizeof words / sizeof *words; i++)
        if (strcasecmp(line, words[i].word) == 0)
            return words[i].value;
    return ANSWER_BAD;
}

/* Write b, whose last line is a question: its newline is taken off so the
 * answer is typed after it. */
static void ask_on_line(struct cmd_ctx *ctx, struct sbuf *b)
{
    if (b->len && b->s[b->len - 1] == '\n')
        b->s[b->len - 1] = ' ';
    coach_emit(ctx, b);
    fflush(ctx->out);
}

/* Ask statement i on a terminal. */
static void prompt(struct cmd_ctx *ctx, size_t i)
{
    const struct kb_statement *s = &ctx->kb->statements[i];
    struct sbuf b = {0}, text = {0};
    char label[32];

    snprintf(label, sizeof label, "[%zu/%zu] ", i + 1, ctx->kb->nstatements);
    sbuf_putc(&b, '\n');
    sbuf_printf(&text, "%s: %s", s->topic->name, s->text);
    render_hanging(&b, label, text.s, ctx->render.width, (unsigned)strlen(label));
    coach_line(&b, ctx, "1-5, Enter skips, b back, q stops:");
    sbuf_free(&text);
    ask_on_line(ctx, &b);
}

/* q on a terminal with ratings given: keep them only if the reader says
 * so, like an editor asking before it quits a changed file. */
static int keep_partial(struct cmd_ctx *ctx, size_t answered, char **line, size_t *cap,
                        size_t *lineno)
{
    struct sbuf b = {0};

    coach_line(&b, ctx, "Save the %zu rating%s given so far as an assessment of %zu of %zu "
               "statements? [y/N]", answered, answered == 1 ? "" : "s", answered,
               ctx->kb->nstatements);
    ask_on_line(ctx, &b);
    if (coach_read_line(ctx, line, cap, lineno) != COACH_READ_LINE)
        return 0;
    return strcasecmp(*line, "y") == 0 || strcasecmp(*line, "yes") == 0;
}

/* Why reading the answers stopped before the end, said; the exit code. */
static int stopped(struct cmd_ctx *ctx, enum coach_read got)
{
    struct sbuf b = {0};

    if (got == COACH_READ_ERROR) {
        coach_warn(ctx->render.width, "assess: cannot read the answers: %s; nothing was saved",
                   strerror(errno));
        return CMD_IOERR;
    }
    sbuf_putc(&b, '\n'); /* after the ^C the terminal echoed */
    coach_line(&b, ctx, "Assessment abandoned; nothing was saved.");
    coach_emit(ctx, &b);
    return CMD_UNANSWERED;
}

/* Read a rating for every statement into ratings[] (0: skipped). "b" goes
 * back one statement. Stops early at the end of input or on "q": on a
 * terminal q asks whether to keep what was rated and *answered is 0 if
 * not (nothing is saved). Returns CMD_OK; CMD_DATAERR for a line that is
 * not an answer when not on a terminal (a terminal asks again); or, with
 * nothing rated, CMD_UNANSWERED when the reader stopped it (Ctrl-C, a
 * signal ending the session) and CMD_IOERR when reading failed. */
static int ask_all(struct cmd_ctx *ctx, int *ratings, size_t *answered)
{
    int tty = isatty(fileno(ctx->in)), rc = CMD_OK, v = 0;
    char *line = NULL;
    size_t cap = 0, own = 0, n = ctx->kb->nstatements;
    size_t *lineno = ctx->lineno ? ctx->lineno : &own; /* a session's: its input's line */
    enum coach_read got;

    *answered = 0;
    if (tty)
        coach_say(ctx, "Rate each statement from 1 (not at all true of me) to 5 (fully true).");
    for (size_t i = 0; i < n && v != ANSWER_QUIT; i++) {
        if (tty)
            prompt(ctx, i);
        if ((got = coach_read_line(ctx, &line, &cap, lineno)) == COACH_READ_END)
            break;
        if (got == COACH_READ_STOP || got == COACH_READ_ERROR) {
            memset(ratings, 0, n * sizeof *ratings);
            *answered = 0;
            rc = stopped(ctx, got);
            break;
        }
        v = got == COACH_READ_LONG ? ANSWER_BAD : parse_answer(line);
        if (v == ANSWER_BACK) { /* the statement before is asked again, unrated */
            i = i ? i - 1 : 0;
            *answered -= ratings[i] > 0;
            ratings[i] = 0;
            i--;
        } else if (v == ANSWER_QUIT && tty && *answered &&
                   !keep_partial(ctx, *answered, &line, &cap, lineno)) {
            memset(ratings, 0, n * sizeof *ratings);
            *answered = 0;
        } else if (v == ANSWER_BAD && tty) {
            coach_say(ctx, "Please answer 1 to 5, press Enter to skip, b to go back, or q to "
                           "stop.");
            i--;
        } else if (v == ANSWER_BAD) {
            if (got == COACH_READ_LONG)
                coach_warn(0, "assess: line %zu: too long to be an answer (over %d bytes)",
                           *lineno, CMD_MAX_QUESTION);
            else
                coach_warn(0, "assess: line %zu: '%s' is not an answer (1-5, s or an empty "
                              "line to skip, b to go back, q to stop)", *lineno, line);
            rc = CMD_DATAERR;
            break;
        } else if (v > 0) {
            *answered += ratings[i] == 0;
            ratings[i] = v;
        }
    }
    free(line);
    return rc;
}

/* The advice shown for a gap: the lowest-rated statement's entry. */
static const struct kb_entry *gap_entry(const struct coach_result *r, size_t t,
                                        enum kb_level level)
{
    const struct kb_entry *e = coach_step_entry(r->lowest[t], level);

    return e ? e : r->lowest[t]->entries[0];
}

static json_t *result_json(struct cmd_ctx *ctx, const json_t *rec, const struct coach_result *r,
                           int saved)
{
    json_t *strengths = json_array(), *gaps = json_array();

    for (size_t i = 0; i < r->nstrengths; i++)
        json_array_append_new(strengths, json_string(kb_topic_names[r->strengths[i]]));
    for (size_t g = 0; g < r->ngaps; g++) {
        size_t t = r->gaps[g];
        const struct kb_entry *e = gap_entry(r, t, ctx->level);

        json_array_append_new(gaps, json_pack("{s:s, s:i, s:s, s:s, s:s, s:s, s:o}", "topic",
                                              kb_topic_names[t], "score", r->score[t],
                                              "statement", r->lowest[t]->id, "entry", e->id,
                                              "title", e->title, "advice",
                                              kb_entry_answer(e, ctx->level), "sources",
                                              render_sources_json(e)));
    }
    return json_pack("{s:O, s:i, s:i, s:O, s:o, s:o, s:b}", "date", json_object_get(rec, "date"),
                     "answered", (int)r->answered, "total", (int)ctx->kb->nstatements, "scores",
                     json_object_get(rec, "scores"), "strengths", strengths, "gaps", gaps,
                     "saved", saved);
}

static void scores_text(struct sbuf *b, const struct cmd_ctx *ctx, const struct coach_result *r,
                        int utf8)
{
    struct sbuf row = {0};

    sbuf_putc(b, '\n');
    coach_line(b, ctx, "Scores (0-100)");
    for (size_t t = 0; t < KB_NTOPICS; t++) {
        if (r->score[t] < 0)
            continue;
        sbuf_reset(&row);
        sbuf_printf(&row, "  %-17s ", kb_topic_names[t]);
        coach_bar(&row, (size_t)(r->score[t] + 5) / 10, 10, utf8);
        sbuf_printf(&row, " %3d", r->score[t]);
        coach_line(b, ctx, "%s", row.s);
    }
    sbuf_reset(&row);
    for (size_t i = 0; i < r->nstrengths; i++)
        sbuf_printf(&row, "%s%s", i ? ", " : "", kb_topic_names[r->strengths[i]]);
    sbuf_putc(b, '\n');
    render_hanging(b, "Strengths: ", r->nstrengths ? row.s : "none yet (a topic counts from 75)",
                   ctx->render.width, 11);
    sbuf_free(&row);
}

static int result_text(struct cmd_ctx *ctx, const json_t *rec, const struct coach_result *r)
{
    struct sbuf b = {0};
    unsigned w = ctx->render.width;

    if (isatty(fileno(ctx->in)))
        sbuf_putc(&b, '\n');
    coach_line(&b, ctx, "Assessment of %s: %zu of %zu statements rated.",
               json_string_value(json_object_get(rec, "date")), r->answered,
               ctx->kb->nstatements);
    scores_text(&b, ctx, r, coach_utf8_locale());
    sbuf_putc(&b, '\n');
    if (r->ngaps)
        coach_line(&b, ctx, "Largest gaps");
    else if (r->answered < ctx->kb->nstatements)
        coach_line(&b, ctx, "No gaps among the %zu statements you rated: each of their topics "
                   "scores 75 or more.", r->answered);
    else
        coach_line(&b, ctx, "No gaps: every topic scores 75 or more.");
    for (size_t g = 0; g < r->ngaps; g++) {
        size_t t = r->gaps[g];
        const struct kb_entry *e = gap_entry(r, t, ctx->level);
        struct sbuf rated = {0};

        if (g)
            sbuf_putc(&b, '\n');
        coach_line(&b, ctx, "%zu. %s (%d): %s", g + 1, kb_topic_names[t], r->score[t], e->title);
        sbuf_printf(&rated, "You rated: \"%s\"", r->lowest[t]->text);
        render_wrap(&b, rated.s, w, 3);
        sbuf_free(&rated);
        render_wrap(&b, kb_entry_answer(e, ctx->level), w, 3);
        coach_cite(&b, e, w, 3);
    }
    return coach_emit(ctx, &b);
}

/* Add rec to the assessments and rebuild the plan. Returns 1 if saved. */
static int save_assessment(struct coach_data *d, const json_t *rec)
{
    json_t *old, *doc;
    int saved;

    /* Locked only now, not while the questions wait for answers: what
     * other commands saved meanwhile is read again and kept. */
    if (coach_data_lock(d) != 0)
        return 0;
    old = coach_data_get(d, COACH_P_ASSESSMENTS);
    if (coach_data_blocked(d, COACH_P_ASSESSMENTS))
        return 0;
    doc = old ? json_deep_copy(old) : json_pack("{s:[]}", "assessments");
    json_array_append(json_object_get(doc, "assessments"), (json_t *)rec);
    saved = coach_data_put(d, COACH_P_ASSESSMENTS, doc) == 0;
    json_decref(doc);
    if (saved)
        coach_replan(d);
    return saved;
}

/* Where the assessment went and what to do next. */
static void saved_text(struct cmd_ctx *ctx, const char *dir, size_t steps)
{
    struct sbuf b = {0};

    sbuf_putc(&b, '\n');
    coach_line(&b, ctx, "Saved to %s.", dir);
    if (steps)
        coach_line(&b, ctx, "Next: %splan shows your %zu step%s.", coach_run(ctx), steps,
                   steps == 1 ? "" : "s");
    else
        coach_line(&b, ctx, "Next: %sprogress shows your scores over time.", coach_run(ctx));
    coach_emit(ctx, &b);
}

int coach_cmd_assess(struct cmd_ctx *ctx)
{
    struct coach_data d;
    struct coach_result r;
    size_t answered, done, total;
    int *ratings, rc, saved = 0;
    char today[11];
    json_t *rec;

    if (!ctx->kb->nstatements) {
        coach_warn(ctx->render.width, "the knowledge has no self-assessment statements (%s)",
                   KB_ASSESSMENT_FILE);
        return CMD_DATAERR;
    }
    if ((rc = coach_data_init(&d, ctx)))
        return rc;
    coach_data_get(&d, COACH_P_PROFILE);
    coach_data_get(&d, COACH_P_ASSESSMENTS); /* a damaged file is reported before the questions */
    ratings = xcalloc(ctx->kb->nstatements, sizeof *ratings);
    rc = ask_all(ctx, ratings, &answered);
    if (rc == CMD_OK && !answered) {
        if (!ctx->json) /* JSON output stays JSON: no object, exit 1 */
            coach_say(ctx, "No statement was rated, so nothing was saved.");
        rc = CMD_UNANSWERED;
    } else if (rc == CMD_OK) {
        coach_today(today);
        rec = coach_assessment_new(ctx->kb, ratings, today);
        coach_score(ctx->kb, rec, d.doc[COACH_P_PROFILE], &r);
        saved = save_assessment(&d, rec);
        rc = ctx->json ? coach_emit_json(ctx, result_json(ctx, rec, &r, saved), 0)
                       : result_text(ctx, rec, &r);
        coach_plan_counts(d.doc[COACH_P_PLAN], &done, &total);
        if (!ctx->json && saved)
            saved_text(ctx, d.dir.s, total);
        json_decref(rec);
    }
    free(ratings);
    rc = d.rc ? d.rc : rc;
    coach_data_free(&d);
    return rc;
}

