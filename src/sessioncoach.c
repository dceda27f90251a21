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

/* Split arg into words at spaces; "double quotes" keep spaces inside one
 * word (goals="lead a project"). Returns how many; *words and each word
 * are the caller's to free. */
static int split_words(const char *arg, char ***words)
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

/* Run fn as the subcommand would run with arg's words as its arguments.
 * The exit code is the command's business (it has said what went wrong);
 * the session only stops when writing failed. */
static int coach_slash(struct session *s, const char *arg, cmd_fn fn)
{
    struct cmd_ctx ctx = {.kb = s->kb, .matcher = s->matcher, .level = s->level,
                          .json = s->json, .render = s->render, .out = s->out,
                          .in = s->in ? s->in : stdin};
    int rc;

    ctx.nargs = split_words(arg, &ctx.args);
    rc = fn(&ctx);
    for (int i = 0; i < ctx.nargs; i++)
        free(ctx.args[i]);
    free(ctx.args);
    return rc == CMD_IOERR && ferror(s->out) ? -1 : 0;
}

int session_cmd_profile(struct session *s, const char *arg)
{
    return coach_slash(s, arg, coach_cmd_profile);
}

int session_cmd_assess(struct session *s, const char *arg)
{
    return coach_slash(s, arg, coach_cmd_assess);
}

int session_cmd_plan(struct session *s, const char *arg)
{
    return coach_slash(s, arg, coach_cmd_plan);
}

int session_cmd_done(struct session *s, const char *arg)
{
    return coach_slash(s, arg, coach_cmd_done);
}

int session_cmd_progress(struct session *s, const char *arg)
{
    return coach_slash(s, arg, coach_cmd_progress);
}
