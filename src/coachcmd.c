/* coachcmd.c -- the personal coaching commands (see include/coachcmd.h).
 *
 * Each command reads the personal files it needs through struct coach_data
 * (coachio.c), works on the documents with coach.h, and shows the result as
 * text or JSON. A file that cannot be read safely is reported once, by name,
 * and never written; the command goes on with what it has and returns the
 * first problem's exit code. Start at coach_cmd_profile(); each command is
 * a coach_cmd_NAME function, the helpers just above it.
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

/* "Label:  text" with later lines indented under the text. */
#define LABEL_COLS 8

static void labelled(struct sbuf *b, const char *label, const char *text, unsigned width)
{
    coach_hanging(b, label, text, width, LABEL_COLS);
}

/* ---- profile ------------------------------------------------------------------ */

/* The profile as shown: level, years, focus, goals (null/[] when unset). */
static json_t *profile_view(const json_t *p)
{
    json_t *focus = json_object_get(p, "focus");

    return json_pack("{s:O?, s:O?, s:o, s:O?}", "level", json_object_get(p, "level"), "years",
                     json_object_get(p, "years"), "focus",
                     json_is_array(focus) ? json_incref(focus) : json_array(), "goals",
                     json_object_get(p, "goals"));
}

static const char *or_unset(const char *s)
{
    return s ? s : "(not set)";
}

static int show_profile(struct cmd_ctx *ctx, const json_t *p)
{
    json_t *v = profile_view(p), *f;
    struct sbuf b = {0}, focus = {0};
    size_t i;

    if (ctx->json)
        return coach_emit_json(ctx, v, 0);
    if (!p)
        sbuf_puts(&b, "No profile yet. Set one with, for example:\n"
                      "  mlcoach profile set level=junior years=1 focus=mentorship,communication\n");
    sbuf_printf(&b, "Level:  %s\n", or_unset(json_string_value(json_object_get(v, "level"))));
    if (json_is_integer(json_object_get(v, "years")))
        sbuf_printf(&b, "Years:  %lld\n", (long long)json_integer_value(json_object_get(v, "years")));
    else
        sbuf_puts(&b, "Years:  (not set)\n");
    json_array_foreach(json_object_get(v, "focus"), i, f)
        sbuf_printf(&focus, "%s%s", i ? ", " : "", json_string_value(f));
    labelled(&b, "Focus:", or_unset(focus.s), ctx->render.width);
    labelled(&b, "Goals:", or_unset(json_string_value(json_object_get(v, "goals"))),
             ctx->render.width);
    sbuf_free(&focus);
    json_decref(v);
    return coach_emit(ctx, &b);
}

static int profile_set(struct cmd_ctx *ctx, struct coach_data *d)
{
    json_t *old, *p;
    struct sbuf why = {0};

    if (coach_data_lock(d) != 0)
        return d->rc;
    old = coach_data_get(d, COACH_P_PROFILE);
    if (coach_data_blocked(d, COACH_P_PROFILE))
        return d->rc;
    p = old ? json_deep_copy(old) : coach_profile_new();
    if (ctx->nargs < 2 || coach_profile_set(p, ctx->kb, ctx->args + 1, ctx->nargs - 1, &why)) {
        fprintf(stderr, "mlcoach: profile set: %s\n",
                why.s ? why.s : "give at least one KEY=VALUE (level, years, focus, goals)");
        sbuf_free(&why);
        json_decref(p);
        return CMD_USAGE;
    }
    if (coach_data_put(d, COACH_P_PROFILE, p) == 0) {
        coach_replan(d);
        if (!ctx->json)
            fprintf(ctx->out, "Saved to %s/%s.\n", d->dir.s, COACH_PROFILE_FILE);
    }
    json_decref(p);
    return d->rc ? d->rc : show_profile(ctx, d->doc[COACH_P_PROFILE]);
}

int coach_cmd_profile(struct cmd_ctx *ctx)
{
    struct coach_data d;
    int rc = coach_data_init(&d, ctx->kb);

    if (rc)
        return rc;
    if (ctx->nargs && strcmp(ctx->args[0], "set") == 0) {
        rc = profile_set(ctx, &d);
    } else if (ctx->nargs) {
        fprintf(stderr, "mlcoach: profile: unknown subcommand '%s' (profile [set KEY=VALUE...])\n",
                ctx->args[0]);
        rc = CMD_USAGE;
    } else {
        json_t *p = coach_data_get(&d, COACH_P_PROFILE);

        rc = d.rc ? d.rc : show_profile(ctx, p);
    }
    coach_data_free(&d);
    return rc;
}

/* ---- assess ------------------------------------------------------------------- */

enum { ANSWER_QUIT = -1, ANSWER_BAD = -2 };

/* 1-5, 0 to skip (empty, "s", "skip"), ANSWER_QUIT ("q", "quit") or
 * ANSWER_BAD. Surrounding white space is ignored. */
static int parse_answer(char *line)
{
    static const struct {
        const char *word;
        int value;
    } words[] = {{"", 0}, {"s", 0}, {"skip", 0}, {"q", ANSWER_QUIT}, {"quit", ANSWER_QUIT}};
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

/* Ask statement i on a terminal. */
static void prompt(struct cmd_ctx *ctx, size_t i)
{
    const struct kb_statement *s = &ctx->kb->statements[i];

    fprintf(ctx->out, "\n[%zu/%zu] %s: %s\n1-5, Enter skips, q stops: ", i + 1,
            ctx->kb->nstatements, s->topic->name, s->text);
    fflush(ctx->out);
}

/* Read a rating for every statement into ratings[] (0: skipped). Stops early
 * at the end of input or on "q". Returns CMD_OK, or CMD_DATAERR for a line
 * that is not an answer when not on a terminal (a terminal asks again). */
static int ask_all(struct cmd_ctx *ctx, int *ratings, size_t *answered)
{
    int tty = isatty(fileno(ctx->in)), rc = CMD_OK, v = 0;
    char *line = NULL;
    size_t cap = 0, lineno = 0;

    *answered = 0;
    if (tty)
        fputs("Rate each statement from 1 (not at all true of me) to 5 (fully true).\n",
              ctx->out);
    for (size_t i = 0; i < ctx->kb->nstatements && v != ANSWER_QUIT; i++) {
        if (tty)
            prompt(ctx, i);
        if (getline(&line, &cap, ctx->in) < 0)
            break;
        lineno++;
        v = parse_answer(line);
        if (v == ANSWER_BAD && tty) {
            fputs("Please answer 1 to 5, press Enter to skip, or q to stop.\n", ctx->out);
            i--;
        } else if (v == ANSWER_BAD) {
            fprintf(stderr, "mlcoach: assess: line %zu: '%s' is not an answer (1-5, s or an "
                            "empty line to skip, q to stop)\n", lineno, line);
            rc = CMD_DATAERR;
            break;
        } else if (v > 0) {
            ratings[i] = v;
            ++*answered;
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

static void scores_text(struct sbuf *b, const struct coach_result *r, int utf8)
{
    sbuf_puts(b, "\nScores (0-100)\n");
    for (size_t t = 0; t < KB_NTOPICS; t++) {
        if (r->score[t] < 0)
            continue;
        sbuf_printf(b, "  %-17s ", kb_topic_names[t]);
        coach_bar(b, (size_t)(r->score[t] + 5) / 10, 10, utf8);
        sbuf_printf(b, " %3d\n", r->score[t]);
    }
    sbuf_puts(b, "\nStrengths: ");
    for (size_t i = 0; i < r->nstrengths; i++)
        sbuf_printf(b, "%s%s", i ? ", " : "", kb_topic_names[r->strengths[i]]);
    sbuf_printf(b, "%s\n", r->nstrengths ? "" : "none yet (a topic counts from 75)");
}

static int result_text(struct cmd_ctx *ctx, const json_t *rec, const struct coach_result *r)
{
    struct sbuf b = {0};
    unsigned w = ctx->render.width;

    sbuf_printf(&b, "%sAssessment of %s: %zu of %zu statements rated.\n",
                isatty(fileno(ctx->in)) ? "\n" : "", json_string_value(json_object_get(rec, "date")),
                r->answered, ctx->kb->nstatements);
    scores_text(&b, r, coach_utf8_locale());
    sbuf_puts(&b, r->ngaps ? "\nLargest gaps\n" : "\nNo gaps: every topic you rated scores 75 or more.\n");
    for (size_t g = 0; g < r->ngaps; g++) {
        size_t t = r->gaps[g];
        const struct kb_entry *e = gap_entry(r, t, ctx->level);

        sbuf_printf(&b, "%s%zu. %s (%d): %s\n", g ? "\n" : "", g + 1, kb_topic_names[t],
                    r->score[t], e->title);
        sbuf_printf(&b, "   You rated: \"%s\"\n", r->lowest[t]->text);
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

int coach_cmd_assess(struct cmd_ctx *ctx)
{
    struct coach_data d;
    struct coach_result r;
    size_t answered, done, total;
    int *ratings, rc, saved = 0;
    char today[11];
    json_t *rec;

    if (!ctx->kb->nstatements) {
        fprintf(stderr, "mlcoach: the knowledge has no self-assessment statements (%s)\n",
                KB_ASSESSMENT_FILE);
        return CMD_DATAERR;
    }
    if ((rc = coach_data_init(&d, ctx->kb)))
        return rc;
    coach_data_get(&d, COACH_P_PROFILE);
    coach_data_get(&d, COACH_P_ASSESSMENTS); /* a damaged file is reported before the questions */
    ratings = xcalloc(ctx->kb->nstatements, sizeof *ratings);
    rc = ask_all(ctx, ratings, &answered);
    if (rc == CMD_OK && !answered) {
        if (!ctx->json) /* JSON output stays JSON: no object, exit 1 */
            fputs("No statement was rated, so nothing was saved.\n", ctx->out);
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
            fprintf(ctx->out, "\nSaved to %s. Your plan has %zu step%s: mlcoach plan\n",
                    d.dir.s, total, total == 1 ? "" : "s");
        json_decref(rec);
    }
    free(ratings);
    rc = d.rc ? d.rc : rc;
    coach_data_free(&d);
    return rc;
}

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

/* Where the plan leads, from the level it was made for. */
static const char *toward(const json_t *plan)
{
    static const char *const next[KB_NLEVELS] = {
        [KB_LEVEL_ANY] = "the next level",
        [KB_LEVEL_JUNIOR] = "senior",
        [KB_LEVEL_SENIOR] = "beyond senior (lead, staff or management)",
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
    sbuf_printf(&head, "Your plan toward %s, %s%s (%zu of %zu done)", toward(plan),
                from ? "from the assessment of " : "from your focus topics", from ? from : "",
                done, total);
    render_wrap(&b, head.s, ctx->render.width, 0);
    json_array_foreach(json_object_get(plan, "steps"), i, s) {
        const struct kb_entry *e = kb_entry_find(ctx->kb,
                                                 json_string_value(json_object_get(s, "entry")));
        const char *on = json_string_value(json_object_get(s, "done_on"));

        char label[32];

        snprintf(label, sizeof label, "%2zu. [%c]", i + 1,
                 json_is_true(json_object_get(s, "done")) ? 'x' : ' ');
        sbuf_reset(&head);
        sbuf_puts(&head, json_string_value(json_object_get(s, "title")));
        if (on)
            sbuf_printf(&head, " (done %s)", on);
        sbuf_putc(&b, '\n');
        coach_hanging(&b, label, head.s, ctx->render.width, 8);
        sbuf_reset(&head);
        sbuf_printf(&head, "%s \xC2\xB7 %s", json_string_value(json_object_get(s, "topic")),
                    e ? e->title : json_string_value(json_object_get(s, "entry")));
        render_wrap(&b, head.s, ctx->render.width, 8);
        coach_cite(&b, e, ctx->render.width, 8);
    }
    sbuf_puts(&b, "\nMark a step done with: mlcoach done N\n");
    sbuf_free(&head);
    return coach_emit(ctx, &b);
}

static int show_plan(struct cmd_ctx *ctx, const json_t *plan)
{
    return ctx->json ? coach_emit_json(ctx, plan_json(ctx->kb, plan), 0) : plan_text(ctx, plan);
}

#define NO_PLAN "No plan yet: rate yourself with `mlcoach assess`, or choose focus topics " \
                "with `mlcoach profile set focus=TOPIC,...`.\n"

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

    if ((rc = coach_data_init(&d, ctx->kb)))
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
        fputs(NO_PLAN, ctx->out);
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

/* "Step N done on DATE: TITLE" and the count, or "Step N was already
 * done"; the title is the file's text, so it goes through render_wrap. */
static int done_text(struct cmd_ctx *ctx, const json_t *step, long n, int marked, size_t done,
                     size_t total)
{
    const char *on = json_string_value(json_object_get(step, "done_on"));
    struct sbuf b = {0}, line = {0};

    if (marked && on) {
        sbuf_printf(&b, "Step %ld was already done on %s.\n", n, on);
    } else if (marked) { /* a plan may say done without a date */
        sbuf_printf(&b, "Step %ld was already done.\n", n);
    } else {
        sbuf_printf(&line, "Step %ld done on %s: %s", n, on,
                    json_string_value(json_object_get(step, "title")));
        render_wrap(&b, line.s, ctx->render.width, 0);
        sbuf_printf(&b, "%zu of %zu steps done.\n", done, total);
    }
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
        fprintf(stderr, "mlcoach: done: there is no step %ld (the plan has %zu)\n", n, total);
        json_decref(plan);
        return CMD_USAGE;
    }
    if (marked == 0 && coach_data_put(d, COACH_P_PLAN, plan) != 0) {
        json_decref(plan);
        return d->rc;
    }
    rc = ctx->json ? show_plan(ctx, d->doc[COACH_P_PLAN])
                   : done_text(ctx, step, n, marked, done, total);
    json_decref(plan);
    return rc;
}

int coach_cmd_done(struct cmd_ctx *ctx)
{
    struct coach_data d;
    long n = step_number(ctx->args[0]);
    int rc;

    if (n < 0) {
        fprintf(stderr, "mlcoach: done: '%s' is not a step number (see mlcoach plan)\n",
                ctx->args[0]);
        return CMD_USAGE;
    }
    if ((rc = coach_data_init(&d, ctx->kb)))
        return rc;
    if (coach_data_lock(&d) != 0)
        ;
    else if (coach_data_get(&d, COACH_P_PLAN))
        rc = mark_done(ctx, &d, n);
    else if (!d.rc && ctx->json)
        rc = show_plan(ctx, NULL);
    else if (!d.rc)
        fputs(NO_PLAN, ctx->out);
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

/* One row: topic, a sparkline over the last CHART_MAX assessments, latest. */
static void chart_row(struct sbuf *b, const json_t *list, size_t t, int utf8)
{
    size_t n = json_array_size(list), first = n > CHART_MAX ? n - CHART_MAX : 0;
    int latest = -1, any = 0;

    for (size_t i = first; i < n; i++)
        any |= score_in(json_array_get(list, i), kb_topic_names[t]) >= 0;
    if (!any)
        return;
    sbuf_printf(b, "  %-17s ", kb_topic_names[t]);
    for (size_t i = first; i < n; i++) {
        int s = score_in(json_array_get(list, i), kb_topic_names[t]);

        sbuf_puts(b, s >= 0 ? coach_height(s, utf8) : " ");
        latest = s;
    }
    for (size_t i = n - first; i < 12; i++)
        sbuf_putc(b, ' ');
    if (latest >= 0)
        sbuf_printf(b, " %3d\n", latest);
    else
        sbuf_puts(b, "   -\n");
}

static int progress_text(struct cmd_ctx *ctx, const json_t *list, const json_t *plan)
{
    struct sbuf b = {0};
    size_t n = json_array_size(list), done, total;
    int utf8 = coach_utf8_locale();

    if (n)
        sbuf_printf(&b, "Scores over %zu assessment%s (%s to %s), latest on the right:\n", n,
                    n == 1 ? "" : "s", json_string_value(json_object_get(json_array_get(list, 0), "date")),
                    json_string_value(json_object_get(json_array_get(list, n - 1), "date")));
    else
        sbuf_puts(&b, "No assessments yet: run `mlcoach assess`.\n");
    for (size_t t = 0; n && t < KB_NTOPICS; t++)
        chart_row(&b, list, t, utf8);
    coach_plan_counts(plan, &done, &total);
    if (total) {
        sbuf_printf(&b, "\nPlan: %zu of %zu steps done ", done, total);
        coach_bar(&b, done, total, utf8);
        sbuf_printf(&b, " %zu%%\n", done * 100 / total);
    }
    return coach_emit(ctx, &b);
}

int coach_cmd_progress(struct cmd_ctx *ctx)
{
    struct coach_data d;
    const json_t *list, *plan;
    int rc;

    if ((rc = coach_data_init(&d, ctx->kb)))
        return rc;
    list = coach_assessments_list(coach_data_get(&d, COACH_P_ASSESSMENTS));
    plan = coach_data_get(&d, COACH_P_PLAN);
    rc = ctx->json ? coach_emit_json(ctx, progress_json(list, plan), 0) : progress_text(ctx, list, plan);
    rc = d.rc ? d.rc : rc ? rc : json_array_size(list) ? CMD_OK : CMD_UNANSWERED;
    coach_data_free(&d);
    return rc;
}

/* ---- export and forget ----------------------------------------------------------- */

int coach_cmd_export(struct cmd_ctx *ctx)
{
    struct coach_data d;
    json_t *all;
    char today[11];
    int rc;

    if ((rc = coach_data_init(&d, ctx->kb)))
        return rc;
    coach_today(today);
    /* The directory comes from the environment: any bytes at all. */
    all = json_pack("{s:i, s:s, s:o}", "version", STORE_VERSION, "exported", today, "data_dir",
                    render_json_text(d.dir.s));
    for (int p = 0; p < COACH_P_N; p++)
        json_object_set(all, coach_files[p].what, coach_data_get(&d, p) ? d.doc[p] : json_null());
    rc = coach_emit_json(ctx, all, 1);
    rc = d.rc ? d.rc : rc;
    coach_data_free(&d);
    return rc;
}

/* Ask on the terminal; 1 for y/yes. */
static int confirm(struct cmd_ctx *ctx, const char *dir)
{
    char *line = NULL;
    size_t cap = 0;
    int yes;

    fprintf(ctx->out, "Delete your profile, assessments and plan in %s? [y/N] ", dir);
    fflush(ctx->out);
    yes = getline(&line, &cap, ctx->in) > 0 && (strcasecmp(line, "y\n") == 0 ||
                                                 strcasecmp(line, "yes\n") == 0);
    free(line);
    return yes;
}

int coach_cmd_forget(struct cmd_ctx *ctx)
{
    struct coach_data d;
    struct sbuf why = {0};
    int rc, removed, count = 0;

    if (!ctx->yes && !isatty(fileno(ctx->in))) {
        fputs("mlcoach: forget deletes all your personal data; it asks on a terminal, or pass "
              "--yes\n", stderr);
        return CMD_USAGE;
    }
    if ((rc = coach_data_init(&d, ctx->kb)))
        return rc;
    if (!ctx->yes && !confirm(ctx, d.dir.s)) {
        fputs("Nothing deleted.\n", ctx->out);
        coach_data_free(&d);
        return CMD_OK;
    }
    /* No writer may be half-way through a change while the files go; a
     * directory that is not there has nothing to lock or delete. */
    if (access(d.dir.s, F_OK) == 0 && coach_data_lock(&d) != 0) {
        rc = d.rc;
        coach_data_free(&d);
        return rc;
    }
    for (int p = 0; p < COACH_P_N; p++) {
        sbuf_reset(&why);
        if (store_remove(d.dir.s, coach_files[p].name, &removed, &why) != STORE_OK) {
            fprintf(stderr, "mlcoach: %s\n", why.s);
            coach_worse(&d, CMD_IOERR);
        }
        count += removed;
    }
    store_remove_dir(d.dir.s);
    if (count)
        fprintf(ctx->out, "Deleted %d personal file%s from %s.\n", count, count == 1 ? "" : "s",
                d.dir.s);
    else
        fprintf(ctx->out, "Nothing to delete in %s.\n", d.dir.s);
    rc = d.rc;
    sbuf_free(&why);
    coach_data_free(&d);
    return rc;
}

enum kb_level coach_default_level(const struct kb *kb, struct sbuf *why)
{
    struct sbuf dir = {0}, reason = {0};
    json_t *p = NULL;
    enum kb_level level = KB_LEVEL_ANY;
    enum store_status st;

    if (store_dir(&dir, &reason) != 0) {
        sbuf_free(&reason);
        return level; /* no home: no profile either */
    }
    st = store_read(dir.s, COACH_PROFILE_FILE, &p, why);
    if (st == STORE_OK && coach_profile_check(p, kb, &reason) != 0)
        sbuf_printf(why, "%s/%s: damaged: %s", dir.s, COACH_PROFILE_FILE, reason.s);
    else if (st == STORE_OK)
        level = coach_profile_level(p);
    json_decref(p);
    sbuf_free(&dir);
    sbuf_free(&reason);
    return level;
}
