/* coach_internal.h -- what coachio.c gives the coaching commands in
 * coachcmd.c; not for other modules.
 *
 * struct coach_data is what one command has read of the personal files:
 * coach_data_get() reads and checks a file once, reporting on stderr a file
 * that is there but cannot be used; coach_data_put() saves through the store
 * and never writes such a file. A command that changes a file calls
 * coach_data_lock() before it reads what it changes; the lock is held until
 * coach_data_free(). The rest are small output helpers shared by
 * the commands' text and JSON forms.
 */
#ifndef MLCOACH_COACH_INTERNAL_H
#define MLCOACH_COACH_INTERNAL_H

#include <jansson.h>

#include "cmd.h"
#include "store.h"

enum { COACH_P_PROFILE, COACH_P_ASSESSMENTS, COACH_P_PLAN, COACH_P_N };

/* Each personal file: its name in the data directory, its key in export,
 * and the check of its stored shape (coach.h). */
struct coach_file {
    const char *name;
    const char *what;
    int (*check)(const json_t *doc, const struct kb *kb, struct sbuf *why);
};
extern const struct coach_file coach_files[COACH_P_N];

struct coach_data {
    const struct kb *kb;
    struct sbuf dir;                   /* the data directory */
    json_t *doc[COACH_P_N];            /* NULL when absent or unusable */
    enum store_status st[COACH_P_N];
    int loaded[COACH_P_N];
    int lock;                          /* the data directory's lock, or -1 */
    int rc;                            /* the first problem's exit code */
    unsigned width;                    /* messages are wrapped at this */
};

/* Find the data directory for the command of ctx. Returns 0, or an exit
 * code after a message. */
int coach_data_init(struct coach_data *d, const struct cmd_ctx *ctx);
void coach_data_free(struct coach_data *d);

/* Record exit code rc unless an earlier problem was recorded. */
void coach_worse(struct coach_data *d, int rc);

/* File p's document (borrowed), read and checked on first use; NULL when
 * absent or unusable (then reported once, and d->rc set). */
json_t *coach_data_get(struct coach_data *d, int p);

/* Take the data directory's lock (once; held until coach_data_free), and
 * forget what was read before it so that every file is read again under
 * it (a file already reported unusable stays so). Returns 0, or -1 after
 * saying why (d->rc set: 75 when another mlcoach held it too long). */
int coach_data_lock(struct coach_data *d);

/* 1 if file p is there but unusable, so it must not be written. */
int coach_data_blocked(const struct coach_data *d, int p);

/* Save doc as file p under the lock (coach_data_lock must have been
 * called: anything else is a bug, and aborts); d keeps a new reference.
 * Returns 0 when the new file is in place (when only the directory sync
 * failed, after a warning, with d->rc set to 74), or -1 after reporting why
 * nothing was saved (d->rc set). */
int coach_data_put(struct coach_data *d, int p, json_t *doc);

/* Rebuild and save the plan from the latest assessment and the profile,
 * keeping done steps; nothing happens when there is nothing to build from. */
void coach_replan(struct coach_data *d);

/* Write b (and free it) / obj (and decref it; one line, or indented when
 * pretty) to ctx->out. Return CMD_OK or CMD_IOERR. */
int coach_emit(struct cmd_ctx *ctx, struct sbuf *b);
int coach_emit_json(struct cmd_ctx *ctx, json_t *obj, int pretty);

/* Append "Sources: Title — Section, ...; Title — ..." wrapped at width with
 * every line indented. */
void coach_cite(struct sbuf *b, const struct kb_entry *e, unsigned width, unsigned indent);

/* 1 when LC_ALL, LC_CTYPE or LANG (the first set) names UTF-8. */
int coach_utf8_locale(void);

/* One chart cell for a score 0-100 (eight heights), and a bar of width
 * cells with filled of them full; Unicode blocks or ASCII. */
const char *coach_height(int score, int utf8);
void coach_bar(struct sbuf *b, size_t filled, size_t width, int utf8);

/* Append a printf-style message to b, wrapped at ctx's width (leading
 * spaces and "N. " hang, as render_say() does). */
void coach_line(struct sbuf *b, const struct cmd_ctx *ctx, const char *fmt, ...)
    UTIL_PRINTF(3, 4);

/* What goes before a command's name in a hint: "/" when ctx runs inside
 * a session (/assess), else "mlcoach " (mlcoach assess). */
const char *coach_run(const struct cmd_ctx *ctx);

/* coach_line() straight to ctx->out. Returns CMD_OK or CMD_IOERR. */
int coach_say(struct cmd_ctx *ctx, const char *fmt, ...) UTIL_PRINTF(2, 3);

/* What coach_read_line() got. */
enum coach_read {
    COACH_READ_LINE,  /* a line, in *line without its '\n' */
    COACH_READ_LONG,  /* a line over CMD_MAX_QUESTION bytes: *line is empty */
    COACH_READ_END,   /* the end of the input */
    COACH_READ_STOP,  /* the reader asked to stop (Ctrl-C, or the session ends) */
    COACH_READ_ERROR, /* reading failed (errno set) */
};

/* One line of ctx->in (through ctx->read_line when set) into *line, bounded
 * like a question, counted in *lineno. */
enum coach_read coach_read_line(struct cmd_ctx *ctx, char **line, size_t *cap, size_t *lineno);

/* "mlcoach: MESSAGE" on stderr, cleaned for a terminal like every text
 * (render_wrap), and wrapped at width when stderr is a terminal (else one
 * line, for logs and grep). */
void coach_warn(unsigned width, const char *fmt, ...) UTIL_PRINTF(2, 3);

#endif
