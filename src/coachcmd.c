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
#include "histfile.h"
#include "render.h"
#include "coach_internal.h"
#include "store.h"

/* "Label:  text" with later lines indented under the text. */
#define LABEL_COLS 8

static void labelled(struct sbuf *b, const char *label, const char *text, unsigned width)
{
    render_hanging(b, label, text, width, LABEL_COLS);
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
    if (!p) {
        coach_line(&b, ctx, "No profile yet. Set one with, for example:");
        coach_line(&b, ctx, "  %sprofile set level=junior years=1 "
                            "focus=mentorship,communication", coach_run(ctx));
    }
    labelled(&b, "Level:", or_unset(json_string_value(json_object_get(v, "level"))),
             ctx->render.width);
    if (json_is_integer(json_object_get(v, "years")))
        sbuf_printf(&focus, "%lld", (long long)json_integer_value(json_object_get(v, "years")));
    labelled(&b, "Years:", or_unset(focus.s), ctx->render.width);
    sbuf_reset(&focus);
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
    size_t done, total;
    int rc;

    if (coach_data_lock(d) != 0)
        return d->rc;
    old = coach_data_get(d, COACH_P_PROFILE);
    if (coach_data_blocked(d, COACH_P_PROFILE))
        return d->rc;
    p = old ? json_deep_copy(old) : coach_profile_new();
    if (ctx->nargs < 2 || coach_profile_set(p, ctx->kb, ctx->args + 1, ctx->nargs - 1, &why)) {
        coach_warn(ctx->render.width, "profile set: %s",
                   why.s ? why.s : "give at least one KEY=VALUE (level, years, focus, goals)");
        sbuf_free(&why);
        json_decref(p);
        return CMD_USAGE;
    }
    if (coach_data_put(d, COACH_P_PROFILE, p) == 0) {
        coach_replan(d);
        if (!ctx->json)
            coach_say(ctx, "Saved to %s/%s.", d->dir.s, COACH_PROFILE_FILE);
    }
    json_decref(p);
    if (d->rc || (rc = show_profile(ctx, d->doc[COACH_P_PROFILE])) != CMD_OK || ctx->json)
        return d->rc ? d->rc : rc;
    coach_plan_counts(coach_data_get(d, COACH_P_PLAN), &done, &total);
    if (total)
        return coach_say(ctx, "Next: %splan shows your plan, rebuilt for this profile.",
                         coach_run(ctx));
    return coach_say(ctx, "Next: %sassess rates you on %zu statements and builds your plan.",
                     coach_run(ctx), ctx->kb->nstatements);
}

int coach_cmd_profile(struct cmd_ctx *ctx)
{
    struct coach_data d;
    int rc = coach_data_init(&d, ctx);

    if (rc)
        return rc;
    if (ctx->nargs && strcmp(ctx->args[0], "set") == 0) {
        rc = profile_set(ctx, &d);
    } else if (ctx->nargs) {
        coach_warn(ctx->render.width, "profile: unknown subcommand '%s' (profile [set "
                   "KEY=VALUE...])", ctx->args[0]);
        rc = CMD_USAGE;
    } else {
        json_t *p = coach_data_get(&d, COACH_P_PROFILE);

        rc = d.rc ? d.rc : show_profile(ctx, p);
    }
    coach_data_free(&d);
    return rc;
}

/* ---- export and forget ----------------------------------------------------------- */

/* export's part for the question history: its lines, oldest first, as a
 * JSON array (empty when there is none); a history that cannot be read is
 * said and recorded in d, and what could be read is still given. */
static json_t *export_history(struct cmd_ctx *ctx, struct coach_data *d)
{
    char *path = histfile_path(getenv("XDG_STATE_HOME"), getenv("HOME"));
    struct histfile h = {0};
    struct sbuf why = {0};
    json_t *lines = json_array();
    int st = path ? histfile_load(&h, path, &why) : 0;

    if (st != 0) {
        coach_warn(ctx->render.width, "%s", why.s);
        coach_worse(d, st < 0 ? CMD_IOERR : CMD_DATAERR);
    }
    for (size_t i = 0; i < h.n; i++)
        json_array_append_new(lines, render_json_text(h.lines[i]));
    histfile_free(&h);
    sbuf_free(&why);
    free(path);
    return lines;
}

int coach_cmd_export(struct cmd_ctx *ctx)
{
    struct coach_data d;
    json_t *all;
    char today[11];
    int rc;

    if ((rc = coach_data_init(&d, ctx)))
        return rc;
    coach_today(today);
    /* The directory comes from the environment: any bytes at all. */
    all = json_pack("{s:i, s:s, s:o}", "version", STORE_VERSION, "exported", today, "data_dir",
                    render_json_text(d.dir.s));
    for (int p = 0; p < COACH_P_N; p++)
        json_object_set(all, coach_files[p].what, coach_data_get(&d, p) ? d.doc[p] : json_null());
    json_object_set_new(all, "history", export_history(ctx, &d));
    rc = coach_emit_json(ctx, all, 1);
    rc = d.rc ? d.rc : rc;
    coach_data_free(&d);
    return rc;
}

/* Ask on the terminal; 1 for y/yes. */
static int confirm(struct cmd_ctx *ctx, const char *dir)
{
    char *line = NULL;
    size_t cap = 0, lineno = 0;
    int yes;
    struct sbuf q = {0};

    /* The prompt waits on its line: wrapped, with the newline taken off. */
    coach_line(&q, ctx, "Delete your profile, assessments and plan in %s, and your question "
               "history? [y/N]", dir);
    if (q.len)
        q.s[q.len - 1] = ' ';
    coach_emit(ctx, &q);
    fflush(ctx->out);
    yes = coach_read_line(ctx, &line, &cap, &lineno) == COACH_READ_LINE &&
          (strcasecmp(line, "y") == 0 || strcasecmp(line, "yes") == 0);
    free(line);
    return yes;
}

/* forget's part for the question history (histfile.c): *deleted is its
 * path when it was there and is gone (the caller frees it); a failure is
 * said, counted in *failed and recorded in d. */
static void forget_history(struct cmd_ctx *ctx, struct coach_data *d, char **deleted,
                           int *failed)
{
    char *path = histfile_path(getenv("XDG_STATE_HOME"), getenv("HOME"));
    struct sbuf why = {0};
    int removed = 0;

    if (path && histfile_remove(path, &removed, &why) != 0) {
        coach_warn(ctx->render.width, "%s", why.s);
        coach_worse(d, CMD_IOERR);
        ++*failed;
    }
    if (removed)
        *deleted = path;
    else
        free(path);
    sbuf_free(&why);
}

int coach_cmd_forget(struct cmd_ctx *ctx)
{
    struct coach_data d;
    struct sbuf why = {0};
    char *history = NULL;
    int rc, removed, count = 0, failed = 0;

    if (!ctx->yes && !isatty(fileno(ctx->in))) {
        coach_warn(ctx->render.width, "forget deletes all your personal data; it asks on a "
                   "terminal, or %s", ctx->slash ? "say /forget --yes" : "pass --yes");
        return CMD_USAGE;
    }
    if ((rc = coach_data_init(&d, ctx)))
        return rc;
    if (!ctx->yes && !confirm(ctx, d.dir.s)) {
        coach_say(ctx, "Nothing deleted.");
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
            coach_warn(ctx->render.width, "%s", why.s);
            coach_worse(&d, CMD_IOERR);
            failed++;
        }
        count += removed;
    }
    store_remove_dir(d.dir.s);
    forget_history(ctx, &d, &history, &failed);
    if (count)
        coach_say(ctx, "Deleted %d personal file%s from %s.", count, count == 1 ? "" : "s",
                  d.dir.s);
    if (history)
        coach_say(ctx, "Deleted the question history %s.", history);
    /* As rm does: what could not go is named above and the exit says so. */
    if (failed)
        coach_say(ctx, "%d file%s could not be deleted and remain%s.", failed,
                  failed == 1 ? "" : "s", failed == 1 ? "s" : "");
    else if (!count && !history)
        coach_say(ctx, "Nothing to delete in %s.", d.dir.s);
    free(history);
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
