/* cmd.h -- mlcoach's subcommands and exit codes.
 *
 * main.c parses options into a struct cmd_ctx, loads the knowledge, and
 * calls one of these through cmd_table. Each command writes to ctx->out and
 * returns an exit code; none of them exits.
 */
#ifndef MLCOACH_CMD_H
#define MLCOACH_CMD_H

#include <stdio.h>

#include "kb.h"
#include "match.h"
#include "render.h"
#include "util.h"

/* Exit codes (the sysexits.h values where one fits). */
enum cmd_exit {
    CMD_OK = 0,          /* answered / succeeded */
    CMD_UNANSWERED = 1,  /* ask: no confident answer; coaching: nothing yet */
    CMD_USAGE = 64,      /* bad command line */
    CMD_DATAERR = 65,    /* knowledge invalid, check found failures, a personal
                            file is damaged or newer, bad assess input, or a
                            question too long */
    CMD_NOINPUT = 66,    /* knowledge directory or file cannot be read */
    CMD_SOFTWARE = 70,   /* internal error */
    CMD_CANTCREAT = 73,  /* a personal file or its directory cannot be created */
    CMD_IOERR = 74,      /* writing the output or a personal file failed */
    CMD_TEMPFAIL = 75,   /* another mlcoach held the personal files' lock too long */
};

/* A question longer than this many bytes is refused with a message (exit
 * 65) rather than answered: no real question comes near it, and a longer
 * one would only make matching and the echoed question slow. */
#define CMD_MAX_QUESTION 8192

struct cmd_ctx {
    const struct kb *kb;
    struct matcher *matcher;
    enum kb_level level;
    int json;
    int explain;   /* add how each answer was chosen */
    struct render_opts render;
    FILE *out;
    FILE *in;      /* where assess reads answers and forget its confirmation */
    util_read_fn read_line; /* reads in's lines instead of util_getline() when set */
    void *read_arg;         /* read_line's own argument */
    size_t *lineno; /* lines of in read so far, when a session counts them (so that
                     * messages name the input's line); NULL: the command counts */
    int yes;       /* --yes: forget without asking */
    int slash;     /* run from a session: hints name /commands, not mlcoach's */
    char **args;   /* the command's arguments */
    int nargs;
};

typedef int (*cmd_fn)(struct cmd_ctx *ctx);

struct cmd {
    const char *name;
    const char *args;  /* for usage, e.g. "QUESTION..." */
    const char *help;  /* one line */
    int min_args;      /* fewer is a usage error */
    int max_args;      /* -1: any number */
    cmd_fn run;
};

/* Every subcommand; the same table drives dispatch and --help. Ends with a
 * row whose name is NULL. */
extern const struct cmd cmd_table[];

/* The command named name, or NULL. */
const struct cmd *cmd_find(const char *name);

/* Read lines from in, one question, follow-up or slash command per
 * non-empty line, and answer each in order through a session (the mode used
 * when standard input or output is not a terminal). No prompt, no colour
 * codes beyond ctx->render. Stops at end of input or /quit. A line longer
 * than CMD_MAX_QUESTION is refused on stderr and the loop goes on; the
 * result is then CMD_DATAERR. */
int cmd_loop(struct cmd_ctx *ctx, FILE *in);

#endif
