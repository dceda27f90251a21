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

/* Run fn as the subcommand would run with arg's words as its arguments,
 * its hints naming slash commands; *code (if not NULL) gets its exit code.
 * The exit code is the command's business (it has said what went wrong on
 * stderr); the session only stops when writing failed. In JSON mode every
 * line gives one object, so a command that wrote nothing gives
 * {"command": name, "error": ...}. */
static int coach_slash(struct session *s, const char *name, const char *arg, cmd_fn fn,
                       int *code)
{
    struct cmd_ctx ctx = {.kb = s->kb, .matcher = s->matcher, .level = s->level,
                          .json = s->json, .render = s->render, .out = s->out,
                          .in = s->in ? s->in : stdin, .read_line = s->read_line,
                          .read_arg = s->read_arg, .lineno = s->lineno, .slash = 1};
    char *buf = NULL;
    size_t len = 0;
    int rc, failed = 0;

    if (s->json && !(ctx.out = open_memstream(&buf, &len)))
        return -1;
    ctx.nargs = session_words(arg, &ctx.args);
    rc = fn(&ctx);
    if (code)
        *code = rc;
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

/* The profile's level, or -1 when it has none or cannot be read. */
static int profile_level(const struct session *s)
{
    struct sbuf why = {0};
    enum kb_level l = coach_default_level(s->kb, &why);
    int bad = why.len > 0;

    sbuf_free(&why);
    return bad ? -1 : (int)l;
}

/* /profile set level=... changes the running session's level too (and so
 * the prompt), as `mlcoach profile set` changes the next command's: the
 * session and the subcommands keep one state. */
int session_cmd_profile(struct session *s, const char *arg)
{
    int code = -1, rc = coach_slash(s, "profile", arg, coach_cmd_profile, &code);
    int level;

    if (rc == 0 && code == CMD_OK && arg && strstr(arg, "level=") &&
        (level = profile_level(s)) >= 0)
        s->level = (enum kb_level)level;
    return rc;
}

int session_cmd_assess(struct session *s, const char *arg)
{
    return coach_slash(s, "assess", arg, coach_cmd_assess, NULL);
}

int session_cmd_plan(struct session *s, const char *arg)
{
    return coach_slash(s, "plan", arg, coach_cmd_plan, NULL);
}

int session_cmd_done(struct session *s, const char *arg)
{
    return coach_slash(s, "done", arg, coach_cmd_done, NULL);
}

int session_cmd_progress(struct session *s, const char *arg)
{
    return coach_slash(s, "progress", arg, coach_cmd_progress, NULL);
}

int session_cmd_export(struct session *s, const char *arg)
{
    return coach_slash(s, "export", arg, coach_cmd_export, NULL);
}

/* /forget asks on a terminal as `mlcoach forget` does; a piped session
 * says "/forget --yes". The level the profile gave the session goes with
 * it; a level chosen with /level or --level stays. */
static int forget_yes(struct cmd_ctx *ctx)
{
    ctx->yes = 1;
    ctx->nargs = 0;
    return coach_cmd_forget(ctx);
}

int session_cmd_forget(struct session *s, const char *arg)
{
    int before = profile_level(s), code = -1, rc;

    if (arg && strcmp(arg, "--yes") == 0)
        rc = coach_slash(s, "forget", NULL, forget_yes, &code);
    else if (arg)
        rc = session_error(s, "forget", "/forget takes no arguments but --yes.");
    else
        rc = coach_slash(s, "forget", NULL, coach_cmd_forget, &code);
    if (code == CMD_OK && before >= 0 && s->level == (enum kb_level)before &&
        profile_level(s) == KB_LEVEL_ANY)
        s->level = KB_LEVEL_ANY;
    return rc;
}
