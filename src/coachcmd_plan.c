/* coachcmd_plan.c -- `plan`, `done` and `progress` (and their slash
 * commands): showing the plan, marking steps, charting the scores over
 * time. Start at coach_cmd_plan().
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

/* ---- plan and done ----------------------------------------------------------- */

/* The plan as shown in JSON: {"steps": [{n, title, topic, entry, done,
 * sources}], "done": N, "total": N}. */
static json_t *plan_json(const struct kb *kb, const json_t *plan)
{
    json_t *steps = json_array(), *s;
    size_t i, done, total;

    json_array_foreach(json_object_get(plan, "steps"), i, s) {
        const char *id = json_string_value(json_object_get(s, "entry"));

        json_array_append_new(steps, json_pack("{s:O, s:O, s:O, s:O, s:O, s:o}", "n",
                                               json_object_get(s, "n"), "title",
                                               json_object_get(s, "title"), "topic",
                                               json_object_get(s, "topic"), "entry",
                                               json_object_get(s, "entry"), "done",
                                               json_object_get(s, "done"), "sources",
                                               render_sources_json(kb_entry_find(kb, id))));
    }
    coach_plan_counts(plan, &done, &total);
    return json_pack("{s:o, s:i, s:i}", "steps", steps, "done", (int)done, "total", (int)total);
}

/* Where the plan leads, from the level it was made for: the words after
 * "Your plan" ("toward beyond senior" read badly). */
static const char *toward(const json_t *plan)
{
    static const char *const next[KB_NLEVELS] = {
        [KB_LEVEL_ANY] = "toward the next level",
        [KB_LEVEL_JUNIOR] = "toward senior",
        [KB_LEVEL_SENIOR] = "beyond senior (toward lead, staff or management)",
    };
    const char *level = json_string_value(json_object_get(plan, "level"));
    int l = level ? kb_level_parse(level) : -1;

    return next[l < 0 ? KB_LEVEL_ANY : l];
}

static int plan_text(struct cmd_ctx *ctx, const json_t *plan)
{
    struct sbuf b = {0}, head = {0};
    const char *from = json_string_value(json_object_get(plan, "from"));
    size_t i, done, total;
    json_t *s;

    coach_plan_counts(plan, &done, &total);
    sbuf_printf(&head, "Your plan %s, %s%s (%zu of %zu done)", toward(plan),
                from ? "from the assessment of " : "from your focus topics", from ? from : "",
                done, total);
    render_wrap(&b, head.s, ctx->render.width, 0);
    json_array_foreach(json_object_get(plan, "steps"), i, s) {
        const struct kb_entry *e = kb_entry_find(ctx->kb,
                                                 json_string_value(json_object_get(s, "entry")));
        const char *on = json_string_value(json_object_get(s, "done_on"));

        char label[32];

        snprintf(label, sizeof label, "%2zu. [%c] ", i + 1,
                 json_is_true(json_object_get(s, "done")) ? 'x' : ' ');
        sbuf_reset(&head);
        sbuf_puts(&head, json_string_value(json_object_get(s, "title")));
        if (on)
            sbuf_printf(&head, " (done %s)", on);
        sbuf_putc(&b, '\n');
        render_hanging(&b, label, head.s, ctx->render.width, 8);
        sbuf_reset(&head);
        sbuf_printf(&head, "%s \xC2\xB7 %s", json_string_value(json_object_get(s, "topic")),
                    e ? e->title : json_string_value(json_object_get(s, "entry")));
        render_wrap(&b, head.s, ctx->render.width, 8);
        coach_cite(&b, e, ctx->render.width, 8);
    }
    sbuf_putc(&b, '\n');
    coach_line(&b, ctx, "Mark a step done with %sdone N.", coach_run(ctx));
    sbuf_free(&head);
    return coach_emit(ctx, &b);
}

static int show_plan(struct cmd_ctx *ctx, const json_t *plan)
{
    return ctx->json ? coach_emit_json(ctx, plan_json(ctx->kb, plan), 0) : plan_text(ctx, plan);
}

/* No plan: how to get one, naming the commands as ctx runs them. */
static int no_plan(struct cmd_ctx *ctx)
{
    const char *run = coach_run(ctx);

    return coach_say(ctx, "No plan yet: rate yourself with %sassess, or choose focus topics "
                     "with %sprofile set focus=TOPIC,...", run, run);
}

/* A plan built from the profile and the latest assessment as d has them. */
static json_t *first_plan(struct coach_data *d)
{
    char today[11];

    coach_today(today);
    return coach_plan_build(d->kb, coach_data_get(d, COACH_P_PROFILE),
                            coach_latest(coach_data_get(d, COACH_P_ASSESSMENTS)), NULL, today);
}

int coach_cmd_plan(struct cmd_ctx *ctx)
{
    struct coach_data d;
    json_t *plan;
    size_t done, total;
    int rc;

    if ((rc = coach_data_init(&d, ctx)))
        return rc;
    plan = json_incref(coach_data_get(&d, COACH_P_PLAN));
    /* First use, or the plan file is unusable: build one, and in the first
     * case save it, under the lock, from what the files say then (another
     * mlcoach may just have saved a plan, or a newer assessment). */
    if (!plan)
        plan = first_plan(&d);
    if (!coach_data_get(&d, COACH_P_PLAN) && !coach_data_blocked(&d, COACH_P_PLAN) &&
        json_array_size(json_object_get(plan, "steps")) && coach_data_lock(&d) == 0) {
        json_t *now = coach_data_get(&d, COACH_P_PLAN);

        json_decref(plan);
        plan = now ? json_incref(now) : first_plan(&d);
        if (!now && json_array_size(json_object_get(plan, "steps")))
            coach_data_put(&d, COACH_P_PLAN, plan);
    }
    coach_plan_counts(plan, &done, &total);
    if (!total && !ctx->json)
        no_plan(ctx);
    rc = total || ctx->json ? show_plan(ctx, plan) : CMD_OK;
    rc = d.rc ? d.rc : rc ? rc : total ? CMD_OK : CMD_UNANSWERED;
    json_decref(plan);
    coach_data_free(&d);
    return rc;
}

/* Step number from text: digits only, at least 1. */
static long step_number(const char *s)
{
    char *end;
    long n;

    if (*s < '0' || *s > '9')
        return -1;
    errno = 0;
    n = strtol(s, &end, 10);
    return *end || errno || n < 1 ? -1 : n;
}

/* "Next: step K (...): TITLE": the first step not done; or, when all are,
 * to assess again. */
static void next_step(struct sbuf *b, const struct cmd_ctx *ctx, const json_t *plan)
{
    struct sbuf line = {0};
    size_t i;
    json_t *s;

    json_array_foreach(json_object_get(plan, "steps"), i, s) {
        if (json_is_true(json_object_get(s, "done")))
            continue;
        sbuf_printf(&line, "Next: step %zu (%sdone %zu when it is done): %s", i + 1,
                    coach_run(ctx), i + 1, json_string_value(json_object_get(s, "title")));
        render_wrap(b, line.s, ctx->render.width, 0); /* the title is the file's text */
        sbuf_free(&line);
        return;
    }
    coach_line(b, ctx, "Next: every step is done; %sassess again to see how far you came.",
               coach_run(ctx));
}

/* "Step N done on DATE: TITLE" and the count, or "Step N was already
 * done"; the title is the file's text, so it goes through render_wrap. */
static int done_text(struct cmd_ctx *ctx, const json_t *plan, const json_t *step, long n,
                     int marked, size_t done, size_t total)
{
    const char *on = json_string_value(json_object_get(step, "done_on"));
    struct sbuf b = {0}, line = {0};

    if (marked && on) {
        coach_line(&b, ctx, "Step %ld was already done on %s.", n, on);
    } else if (marked) { /* a plan may say done without a date */
        coach_line(&b, ctx, "Step %ld was already done.", n);
    } else {
        sbuf_printf(&line, "Step %ld done on %s: %s", n, on,
                    json_string_value(json_object_get(step, "title")));
        render_wrap(&b, line.s, ctx->render.width, 0);
        coach_line(&b, ctx, "%zu of %zu steps done.", done, total);
    }
    next_step(&b, ctx, plan);
    sbuf_free(&line);
    return coach_emit(ctx, &b);
}

/* Mark step n of the stored plan done and save it. */
static int mark_done(struct cmd_ctx *ctx, struct coach_data *d, long n)
{
    json_t *plan = json_deep_copy(d->doc[COACH_P_PLAN]);
    json_t *step = json_array_get(json_object_get(plan, "steps"), (size_t)n - 1);
    size_t done, total;
    char today[11];
    int marked, rc;

    coach_today(today);
    marked = coach_plan_done(plan, n, today);
    coach_plan_counts(plan, &done, &total);
    if (marked < 0) {
        coach_warn(ctx->render.width, "done: there is no step %ld (the plan has %zu)", n, total);
        json_decref(plan);
        return CMD_USAGE;
    }
    if (marked == 0 && coach_data_put(d, COACH_P_PLAN, plan) != 0) {
        json_decref(plan);
        return d->rc;
    }
    rc = ctx->json ? show_plan(ctx, d->doc[COACH_P_PLAN])
                   : done_text(ctx, plan, step, n, marked, done, total);
    json_decref(plan);
    return rc;
}

int coach_cmd_done(struct cmd_ctx *ctx)
{
    struct coach_data d;
    long n = step_number(ctx->args[0]);
    int rc;

    if (n < 0) {
        coach_warn(ctx->render.width, "done: '%s' is not a step number (see %splan)",
                   ctx->args[0], coach_run(ctx));
        return CMD_USAGE;
    }
    if ((rc = coach_data_init(&d, ctx)))
        return rc;
    if (coach_data_lock(&d) != 0)
        ;
    else if (coach_data_get(&d, COACH_P_PLAN))
        rc = mark_done(ctx, &d, n);
    else if (!d.rc && ctx->json)
        rc = show_plan(ctx, NULL);
    else if (!d.rc)
        no_plan(ctx);
    rc = d.rc ? d.rc : rc ? rc : d.doc[COACH_P_PLAN] ? CMD_OK : CMD_UNANSWERED;
    coach_data_free(&d);
    return rc;
}

/* ---- progress ------------------------------------------------------------------- */

/* At most this many assessments are charted (the latest ones). */
#define CHART_MAX 30

static int score_in(const json_t *rec, const char *topic)
{
    json_t *v = json_object_get(json_object_get(rec, "scores"), topic);

    return json_is_integer(v) ? (int)json_integer_value(v) : -1;
}

static json_t *progress_json(const json_t *list, const json_t *plan)
{
    json_t *dates = json_array(), *topics = json_array(), *rec;
    size_t i, done, total;

    json_array_foreach(list, i, rec)
        json_array_append(dates, json_object_get(rec, "date"));
    for (size_t t = 0; t < KB_NTOPICS; t++) {
        json_t *scores = json_array(), *latest = json_null();
        int any = 0;

        json_array_foreach(list, i, rec) {
            int s = score_in(rec, kb_topic_names[t]);

            any |= s >= 0;
            json_array_append_new(scores, s >= 0 ? json_integer(s) : json_null());
            latest = json_array_get(scores, i);
        }
        if (any)
            json_array_append_new(topics, json_pack("{s:s, s:o, s:O}", "topic", kb_topic_names[t],
                                                    "scores", scores, "latest", latest));
        else
            json_decref(scores);
    }
    coach_plan_counts(plan, &done, &total);
    return json_pack("{s:o, s:o, s:{s:i, s:i}}", "assessments", dates, "topics", topics, "plan",
                     "done", (int)done, "total", (int)total);
}

/* One row: topic, a sparkline over the last cells assessments, latest. */
static void chart_row(struct sbuf *b, const struct cmd_ctx *ctx, const json_t *list, size_t t,
                      size_t cells, int utf8)
{
    size_t n = json_array_size(list), first = n > cells ? n - cells : 0;
    struct sbuf row = {0};
    int latest = -1, any = 0;

    for (size_t i = first; i < n; i++)
        any |= score_in(json_array_get(list, i), kb_topic_names[t]) >= 0;
    if (!any)
        return;
    sbuf_printf(&row, "  %-17s ", kb_topic_names[t]);
    for (size_t i = first; i < n; i++) {
        int s = score_in(json_array_get(list, i), kb_topic_names[t]);

        sbuf_puts(&row, s >= 0 ? coach_height(s, utf8) : " ");
        latest = s;
    }
    for (size_t i = n - first; i < 12 && i < cells; i++)
        sbuf_putc(&row, ' '); /* render_wrap keeps spaces inside a line */
    if (latest >= 0)
        sbuf_printf(&row, " %3d", latest);
    else
        sbuf_puts(&row, "   -");
    coach_line(b, ctx, "%s", row.s);
    sbuf_free(&row);
}

/* Columns a chart row needs besides its cells: indent, topic, score. */
#define CHART_FRAME 24

static int progress_text(struct cmd_ctx *ctx, const json_t *list, const json_t *plan)
{
    struct sbuf b = {0}, bar = {0};
    size_t n = json_array_size(list), done, total, cells = CHART_MAX;
    int utf8 = coach_utf8_locale();

    if (ctx->render.width && ctx->render.width < CHART_FRAME + CHART_MAX)
        cells = ctx->render.width > CHART_FRAME + 4 ? ctx->render.width - CHART_FRAME : 4;
    if (n)
        coach_line(&b, ctx, "Scores over %zu assessment%s (%s to %s), latest on the right:", n,
                   n == 1 ? "" : "s",
                   json_string_value(json_object_get(json_array_get(list, 0), "date")),
                   json_string_value(json_object_get(json_array_get(list, n - 1), "date")));
    else
        coach_line(&b, ctx, "No assessments yet: rate yourself with %sassess.", coach_run(ctx));
    for (size_t t = 0; n && t < KB_NTOPICS; t++)
        chart_row(&b, ctx, list, t, cells, utf8);
    coach_plan_counts(plan, &done, &total);
    if (total) {
        coach_bar(&bar, done, total, utf8);
        sbuf_putc(&b, '\n');
        coach_line(&b, ctx, "Plan: %zu of %zu steps done %s %zu%%", done, total, bar.s,
                   done * 100 / total);
    }
    sbuf_free(&bar);
    return coach_emit(ctx, &b);
}

int coach_cmd_progress(struct cmd_ctx *ctx)
{
    struct coach_data d;
    const json_t *list, *plan;
    int rc;

    if ((rc = coach_data_init(&d, ctx)))
        return rc;
    list = coach_assessments_list(coach_data_get(&d, COACH_P_ASSESSMENTS));
    plan = coach_data_get(&d, COACH_P_PLAN);
    rc = ctx->json ? coach_emit_json(ctx, progress_json(list, plan), 0) : progress_text(ctx, list, plan);
    rc = d.rc ? d.rc : rc ? rc : json_array_size(list) ? CMD_OK : CMD_UNANSWERED;
    coach_data_free(&d);
    return rc;
}

