/* sessioncoach.c -- the coaching slash commands (/profile, /assess, /plan,
 * /done, /progress): each builds the struct cmd_ctx the subcommand of the
 * same name gets and calls it, so the REPL, piped scripts and the command
 * line run one piece of code and give the same results. Start at
 * coach_slash().
 */
#include "session_internal.h"

#include <stdlib.h>
#include <string.h>

#include "coachcmd.h"

int session_words(const char *arg, char ***words)
{
    int n = 0;
    size_t cap = 0;

    *words = NULL;
    while (arg && *arg) {
        struct sbuf w = {0};
        int quoted = 0;

        arg += strspn(arg, " \t");
        if (!*arg)
            break;
        for (; *arg && (quoted || (*arg != ' ' && *arg != '\t')); arg++) {
            if (*arg == '"')
                quoted = !quoted;
            else
                sbuf_putc(&w, *arg);
        }
        util_grow((void **)words, &cap, (size_t)n + 1, sizeof **words);
        (*words)[n++] = w.s ? sbuf_detach(&w) : xstrdup("");
    }
    return n;
}

/* What a coaching command that wrote nothing means in JSON mode, by its
 * exit code; from 64 on, it has said more on stderr. */
static const char *const failures[] = {
    [CMD_UNANSWERED] = "Nothing to show yet, and nothing was saved.",
    [CMD_USAGE] = "Bad arguments; standard error says why.",
    [CMD_DATAERR] = "A personal file is damaged or from a newer mlcoach, or an answer is not "
                    "1-5; standard error says which.",
    [CMD_CANTCREAT] = "There is no data directory, or it or a personal file cannot be "
                      "created; standard error says why.",
    [CMD_IOERR] = "Reading or writing a personal file failed; standard error says why.",
    [CMD_TEMPFAIL] = "Another mlcoach kept your personal files locked, so nothing was saved; "
                     "try again.",
};

/* Run fn as the subcommand would run with arg's words as its arguments.
 * The exit code is the command's business (it has said what went wrong on
 * stderr); the session only stops when writing failed. In JSON mode every
 * line gives one object, so a command that wrote nothing gives
 * {"command": name, "error": ...}. */
static int coach_slash(struct session *s, const char *name, const char *arg, cmd_fn fn)
{
    struct cmd_ctx ctx = {.kb = s->kb, .matcher = s->matcher, .level = s->level,
                          .json = s->json, .render = s->render, .out = s->out,
                          .in = s->in ? s->in : stdin, .read_line = s->read_line,
                          .read_arg = s->read_arg, .lineno = s->lineno};
    char *buf = NULL;
    size_t len = 0;
    int rc, failed = 0;

    if (s->json && !(ctx.out = open_memstream(&buf, &len)))
        return -1;
    ctx.nargs = session_words(arg, &ctx.args);
    rc = fn(&ctx);
    for (int i = 0; i < ctx.nargs; i++)
        free(ctx.args[i]);
    free(ctx.args);
    if (s->json) {
        failed = fclose(ctx.out) != 0;
        if (!failed && len)
            fwrite(buf, 1, len, s->out);
        else if (!failed)
            failed = session_error(s, name, "%s", (size_t)rc < sizeof failures / sizeof *failures
                                                  && failures[rc] ? failures[rc] : "Failed.");
        free(buf);
    }
    return failed || ferror(s->out) ? -1 : 0;
}

int session_cmd_profile(struct session *s, const char *arg)
{
    return coach_slash(s, "profile", arg, coach_cmd_profile);
}

int session_cmd_assess(struct session *s, const char *arg)
{
    return coach_slash(s, "assess", arg, coach_cmd_assess);
}

int session_cmd_plan(struct session *s, const char *arg)
{
    return coach_slash(s, "plan", arg, coach_cmd_plan);
}

int session_cmd_done(struct session *s, const char *arg)
{
    return coach_slash(s, "done", arg, coach_cmd_done);
}

int session_cmd_progress(struct session *s, const char *arg)
{
    return coach_slash(s, "progress", arg, coach_cmd_progress);
}
