/* coachio.c -- the personal files as the coaching commands see them, and
 * the output helpers they share (see src/coach_internal.h). Start at
 * coach_data_get() and coach_data_put(): a file that is there but cannot be
 * used is reported once, by name, and never written.
 */
#include "coach_internal.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "coach.h"
#include "render.h"

/* ---- Personal files ---------------------------------------------------------- */

const struct coach_file coach_files[COACH_P_N] = {
    [COACH_P_PROFILE] = {COACH_PROFILE_FILE, "profile", coach_profile_check},
    [COACH_P_ASSESSMENTS] = {COACH_ASSESSMENTS_FILE, "assessments", coach_assessments_check},
    [COACH_P_PLAN] = {COACH_PLAN_FILE, "plan", coach_plan_check},
};

static const int status_exit[] = {
    [STORE_OK] = CMD_OK,          [STORE_ABSENT] = CMD_OK,
    [STORE_DAMAGED] = CMD_DATAERR, [STORE_NEWER] = CMD_DATAERR,
    [STORE_CANTCREATE] = CMD_CANTCREAT, [STORE_IOERR] = CMD_IOERR,
    [STORE_UNSYNCED] = CMD_IOERR,  [STORE_BUSY] = CMD_TEMPFAIL,
};

void coach_worse(struct coach_data *d, int rc)
{
    if (d->rc == CMD_OK)
        d->rc = rc;
}

int coach_data_init(struct coach_data *d, const struct cmd_ctx *ctx)
{
    struct sbuf why = {0};

    memset(d, 0, sizeof *d);
    d->kb = ctx->kb;
    d->width = ctx->render.width;
    d->lock = -1;
    if (store_dir(&d->dir, &why) == 0)
        return CMD_OK;
    coach_warn(d->width, "%s", why.s);
    sbuf_free(&why);
    sbuf_free(&d->dir);
    return CMD_CANTCREAT;
}

void coach_data_free(struct coach_data *d)
{
    for (int p = 0; p < COACH_P_N; p++)
        json_decref(d->doc[p]);
    store_unlock(d->lock);
    d->lock = -1;
    sbuf_free(&d->dir);
}

int coach_data_lock(struct coach_data *d)
{
    struct sbuf why = {0};
    enum store_status st;

    if (d->lock >= 0)
        return 0;
    st = store_lock(d->dir.s, &d->lock, &why);
    if (st != STORE_OK) {
        coach_warn(d->width, "%s; nothing was saved", why.s);
        coach_worse(d, status_exit[st]);
        sbuf_free(&why);
        return -1;
    }
    /* What was read before may have changed since: read it again. */
    for (int p = 0; p < COACH_P_N; p++) {
        if (coach_data_blocked(d, p))
            continue;
        json_decref(d->doc[p]);
        d->doc[p] = NULL;
        d->loaded[p] = 0;
    }
    return 0;
}

/* Read and check file p once. A file that is there but cannot be used is
 * reported and remembered, so coach_data_put never overwrites it. */
json_t *coach_data_get(struct coach_data *d, int p)
{
    struct sbuf why = {0}, reason = {0};

    if (d->loaded[p])
        return d->doc[p];
    d->loaded[p] = 1;
    d->st[p] = store_read(d->dir.s, coach_files[p].name, &d->doc[p], &why);
    if (d->st[p] == STORE_OK && coach_files[p].check(d->doc[p], d->kb, &reason) != 0) {
        sbuf_printf(&why, "%s/%s: damaged: %s", d->dir.s, coach_files[p].name, reason.s);
        json_decref(d->doc[p]);
        d->doc[p] = NULL;
        d->st[p] = STORE_DAMAGED;
    }
    if (d->st[p] != STORE_OK && d->st[p] != STORE_ABSENT) {
        coach_warn(d->width, "%s", why.s);
        coach_warn(d->width, "it is left untouched and nothing is saved to it; %s, or move it "
                   "away to start afresh", d->st[p] == STORE_NEWER ? "use the newer mlcoach"
                                                                   : "repair it");
        coach_worse(d, status_exit[d->st[p]]);
    }
    sbuf_free(&why);
    sbuf_free(&reason);
    return d->doc[p];
}

/* 1 if file p is there but unusable (so it must not be written). */
int coach_data_blocked(const struct coach_data *d, int p)
{
    return d->loaded[p] && d->st[p] != STORE_OK && d->st[p] != STORE_ABSENT;
}

/* Save doc as file p (taking a new reference to it). Returns 0, or -1 after
 * reporting why nothing was saved. */
int coach_data_put(struct coach_data *d, int p, json_t *doc)
{
    struct sbuf why = {0};
    enum store_status st;

    if (coach_data_blocked(d, p))
        return -1;
    if (d->lock < 0)
        util_bug("a personal file written without the lock");
    st = store_write(d->dir.s, coach_files[p].name, doc, &why);
    if (st == STORE_UNSYNCED) {
        coach_warn(d->width, "warning: %s", why.s);
        coach_worse(d, status_exit[st]);
    } else if (st != STORE_OK) {
        coach_warn(d->width, "%s; nothing was saved", why.s);
        coach_worse(d, status_exit[st]);
        sbuf_free(&why);
        return -1;
    }
    sbuf_free(&why);
    json_incref(doc);
    json_decref(d->doc[p]);
    d->doc[p] = doc;
    d->loaded[p] = 1;
    d->st[p] = STORE_OK;
    return 0;
}

/* Rebuild the plan from the latest assessment and the profile, keeping the
 * done steps. Skipped when there is nothing to build from. */
void coach_replan(struct coach_data *d)
{
    const json_t *latest = coach_latest(coach_data_get(d, COACH_P_ASSESSMENTS));
    json_t *profile = coach_data_get(d, COACH_P_PROFILE), *old = coach_data_get(d, COACH_P_PLAN), *plan;
    char today[11];

    if (!latest && !json_array_size(json_object_get(profile, "focus")) && !old)
        return;
    coach_today(today);
    plan = coach_plan_build(d->kb, profile, latest, old, today);
    coach_data_put(d, COACH_P_PLAN, plan);
    json_decref(plan);
}

/* ---- Output helpers --------------------------------------------------------- */

int coach_emit(struct cmd_ctx *ctx, struct sbuf *b)
{
    int rc = b->len && fwrite(b->s, 1, b->len, ctx->out) != b->len ? -1 : 0;

    sbuf_free(b);
    return rc || ferror(ctx->out) ? CMD_IOERR : CMD_OK;
}

/* Write obj (taking it) as one line of JSON, or indented when pretty. */
int coach_emit_json(struct cmd_ctx *ctx, json_t *obj, int pretty)
{
    return render_json_dump(ctx->out, obj, pretty ? JSON_INDENT(2) : JSON_COMPACT) != 0
           ? CMD_IOERR : CMD_OK;
}

/* "Sources: Title — Section, Section; Title — Section", wrapped. */
void coach_cite(struct sbuf *b, const struct kb_entry *e, unsigned width, unsigned indent)
{
    struct sbuf line = {0};

    sbuf_puts(&line, "Sources: ");
    if (e)
        render_citation(&line, e);
    render_wrap(b, line.s, width, indent);
    sbuf_free(&line);
}

/* 1 when the locale's character set is UTF-8 (LC_ALL, LC_CTYPE, LANG). */
int coach_utf8_locale(void)
{
    static const char *const vars[] = {"LC_ALL", "LC_CTYPE", "LANG"};

    for (size_t i = 0; i < sizeof vars / sizeof *vars; i++) {
        const char *v = getenv(vars[i]);

        if (v && *v) {
            char *low = xstrdup(v);
            int utf8;

            for (char *c = low; *c; c++)
                *c = (char)(*c >= 'A' && *c <= 'Z' ? *c - 'A' + 'a' : *c);
            utf8 = strstr(low, "utf-8") || strstr(low, "utf8");
            free(low);
            return utf8;
        }
    }
    return 0;
}

/* Eight heights for a score chart, and full/empty cells for bars. */
static const char *const blocks_utf8[8] = {
    "\xE2\x96\x81", "\xE2\x96\x82", "\xE2\x96\x83", "\xE2\x96\x84",
    "\xE2\x96\x85", "\xE2\x96\x86", "\xE2\x96\x87", "\xE2\x96\x88",
};
static const char *const blocks_ascii[8] = {"_", ".", ":", "-", "=", "+", "*", "#"};

const char *coach_height(int score, int utf8)
{
    int i = score < 0 ? 0 : score * 7 / 100;

    return (utf8 ? blocks_utf8 : blocks_ascii)[i];
}

/* A coach_bar of width cells with filled of them full. */
void coach_bar(struct sbuf *b, size_t filled, size_t width, int utf8)
{
    for (size_t i = 0; i < width; i++)
        sbuf_puts(b, i < filled ? (utf8 ? "\xE2\x96\x88" : "#") : (utf8 ? "\xE2\x96\x91" : "."));
}

void coach_line(struct sbuf *b, const struct cmd_ctx *ctx, const char *fmt, ...)
{
    struct sbuf msg = {0};
    va_list ap;

    va_start(ap, fmt);
    sbuf_vprintf(&msg, fmt, ap);
    va_end(ap);
    render_say(b, msg.s, ctx->render.width);
    sbuf_free(&msg);
}

const char *coach_run(const struct cmd_ctx *ctx)
{
    return ctx->slash ? "/" : "mlcoach ";
}

int coach_say(struct cmd_ctx *ctx, const char *fmt, ...)
{
    struct sbuf msg = {0}, b = {0};
    va_list ap;

    va_start(ap, fmt);
    sbuf_vprintf(&msg, fmt, ap);
    va_end(ap);
    render_say(&b, msg.s, ctx->render.width);
    sbuf_free(&msg);
    return coach_emit(ctx, &b);
}

void coach_warn(unsigned width, const char *fmt, ...)
{
    struct sbuf msg = {0}, out = {0};
    va_list ap;

    sbuf_puts(&msg, "mlcoach: ");
    va_start(ap, fmt);
    sbuf_vprintf(&msg, fmt, ap);
    va_end(ap);
    render_wrap(&out, msg.s, isatty(STDERR_FILENO) ? width : 0, 0);
    fwrite(out.s ? out.s : "", 1, out.len, stderr);
    sbuf_free(&msg);
    sbuf_free(&out);
}

enum coach_read coach_read_line(struct cmd_ctx *ctx, char **line, size_t *cap, size_t *lineno)
{
    ssize_t got;

    errno = 0;
    got = ctx->read_line ? ctx->read_line(ctx->read_arg, line, cap, CMD_MAX_QUESTION)
                         : util_getline(line, cap, ctx->in, CMD_MAX_QUESTION);
    if (got == UTIL_READ_STOP)
        return COACH_READ_STOP;
    /* As cat and sh do: a read error is not the end of the input. */
    if (got == UTIL_READ_ERROR || (got < 0 && !ctx->read_line && ferror(ctx->in))) {
        if (!errno)
            errno = EIO;
        return COACH_READ_ERROR;
    }
    if (got < 0)
        return COACH_READ_END;
    ++*lineno;
    if (got > CMD_MAX_QUESTION) {
        (*line)[0] = '\0';
        return COACH_READ_LONG;
    }
    return COACH_READ_LINE;
}
