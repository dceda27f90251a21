/* main.c -- mlcoach's entry point: options, loading the knowledge, choosing
 * a mode, exit codes. Everything else lives in the modules; start reading
 * at main() below, then cmd.c.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "cmd.h"
#include "coachcmd.h"
#include "kb.h"
#include "match.h"
#include "repl.h"

#ifndef MLCOACH_VERSION
#define MLCOACH_VERSION "0.1.0"
#endif

#define DEFAULT_WIDTH 80

enum color_when { COLOR_AUTO, COLOR_ALWAYS, COLOR_NEVER, COLOR_NONE };

struct options {
    const char *kb_dir;
    int json;
    int explain;
    int level; /* -1: not given, the profile's level applies */
    int yes;
    enum color_when color;
};

static void usage_error(const char *fmt, ...) UTIL_PRINTF(1, 2);

static void usage_error(const char *fmt, ...)
{
    va_list ap;

    fputs("mlcoach: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputs("\nTry 'mlcoach --help' for more information.\n", stderr);
}

static void print_help(FILE *out)
{
    fputs("Usage: mlcoach [OPTION]... [COMMAND [ARG]...]\n"
          "Career advice for machine-learning developers, from a cited knowledge base.\n"
          "\n"
          "With no COMMAND, start an interactive session when standard input and\n"
          "output are terminals; otherwise read questions, follow-ups and /commands\n"
          "from standard input, one per line, and answer each.\n"
          "\n"
          "Commands:\n", out);
    for (const struct cmd *c = cmd_table; c->name; c++) {
        char name[64];

        snprintf(name, sizeof name, "%s %s", c->name, c->args);
        fprintf(out, "  %-20s %s\n", name, c->help);
    }
    fputs("\n"
          "Options:\n"
          "  -j, --json           one JSON object per answer (JSON Lines)\n"
          "  -l, --level=LEVEL    tailor answers for junior, senior or any (default)\n"
          "  -e, --explain        show how each answer was chosen (JSON: an explain key)\n"
          "      --kb=DIR         load knowledge from DIR instead of the built-in copy\n"
          "      --color=WHEN     colour text output: auto (default), always or never\n"
          "  -y, --yes            forget: do not ask for confirmation\n"
          "  -h, --help           display this help and exit\n"
          "  -V, --version        output version information and exit\n"
          "\n"
          "Environment:\n"
          "  MLCOACH_KB           knowledge directory, as --kb (the option wins)\n"
          "  MLCOACH_JIT=0|1      never / always JIT-compile patterns (default: once\n"
          "                       a pattern has been tried 8 times; 0 for valgrind)\n"
          "  MLCOACH_PREFILTER=0  try every pattern on every question (for comparing)\n"
          "  MLCOACH_PATTERNS=0   rank by BM25 alone, without patterns (for calibration)\n"
          "  MLCOACH_LOCK_TIMEOUT seconds to wait for another mlcoach changing your\n"
          "                       personal files or history (default 5)\n"
          "  NO_COLOR             when set and not empty, --color=auto means never\n"
          "  XDG_STATE_HOME       history is kept in $XDG_STATE_HOME/mlcoach/history\n"
          "                       (default ~/.local/state/mlcoach/history)\n"
          "  XDG_DATA_HOME        personal data goes to $XDG_DATA_HOME/mlcoach\n"
          "                       (default ~/.local/share/mlcoach); the profile's\n"
          "                       level is the default for --level\n"
          "\n"
          "Exit status: 0 answered or succeeded; 1 no confident answer (ask), or\n"
          "nothing yet (plan, done, progress, assess); 64 usage error; 65 invalid\n"
          "knowledge, failed check, or a damaged or newer personal file (left\n"
          "untouched); 66 knowledge not readable; 73 personal file cannot be\n"
          "created; 74 output, input or personal file I/O error; 75 personal files\n"
          "locked by another mlcoach for too long; 129 or 143 interactive\n"
          "session ended by SIGHUP or SIGTERM (history saved).\n"
          "See mlcoach(1) for the interactive session's commands.\n", out);
}

static void print_version(FILE *out)
{
    fputs("mlcoach " MLCOACH_VERSION "\n"
          "Copyright (c) 2026 the mlcoach authors.\n"
          "License MIT: <https://opensource.org/licenses/MIT>.\n"
          "This is free software: you are free to change and redistribute it.\n", out);
}

/* Parse options into *o. Returns -1 to go on, else an exit code. */
static int parse_options(int argc, char **argv, struct options *o)
{
    enum { OPT_KB = 256, OPT_COLOR };
    static const char *const colors[] = {"auto", "always", "never"};
    static const struct option longopts[] = {
        {"json", no_argument, NULL, 'j'},       {"level", required_argument, NULL, 'l'},
        {"kb", required_argument, NULL, OPT_KB}, {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, 'V'},    {"explain", no_argument, NULL, 'e'},
        {"color", required_argument, NULL, OPT_COLOR},
        {"colour", required_argument, NULL, OPT_COLOR}, {"yes", no_argument, NULL, 'y'},
        {NULL, 0, NULL, 0},
    };
    int c;

    opterr = 0;
    while ((c = getopt_long(argc, argv, ":jel:hVy", longopts, NULL)) != -1) {
        switch (c) {
        case 'j': o->json = 1; break;
        case 'e': o->explain = 1; break;
        case 'y': o->yes = 1; break;
        case OPT_KB: o->kb_dir = optarg; break;
        case 'h': print_help(stdout); return CMD_OK;
        case OPT_COLOR:
            o->color = COLOR_NONE;
            for (int i = 0; i < COLOR_NONE; i++)
                if (strcmp(optarg, colors[i]) == 0)
                    o->color = (enum color_when)i;
            if (o->color == COLOR_NONE) {
                usage_error("invalid --color '%s' (auto, always or never)", optarg);
                return CMD_USAGE;
            }
            break;
        case 'V': print_version(stdout); return CMD_OK;
        case 'l':
            o->level = kb_level_parse_typed(optarg);
            if (o->level < 0) {
                usage_error("invalid level '%s' (junior, senior or any)", optarg);
                return CMD_USAGE;
            }
            break;
        case ':':
            usage_error("option '%s' needs an argument", argv[optind - 1]);
            return CMD_USAGE;
        default:
            usage_error("unknown option '%s'", argv[optind - 1]);
            return CMD_USAGE;
        }
    }
    return -1;
}

/* Load the knowledge and compile its patterns; on failure print every
 * diagnostic and return the exit code, else 0. */
static int load(const struct options *o, struct kb **kb, struct matcher **m)
{
    struct diag d = {0};
    const char *dir = o->kb_dir ? o->kb_dir : getenv("MLCOACH_KB");
    int missing = 0, rc = CMD_OK;

    *m = NULL;
    *kb = dir && *dir ? kb_load_dir(dir, &d, &missing) : kb_load_builtin(&d);
    const char *jit = getenv("MLCOACH_JIT");

    const char *patterns = getenv("MLCOACH_PATTERNS");
    const char *pre = getenv("MLCOACH_PREFILTER");
    enum match_jit mode = !jit || !*jit ? MATCH_JIT_LAZY
                        : strcmp(jit, "0") == 0 ? MATCH_JIT_OFF : MATCH_JIT_LOAD;

    if (*kb)
        *m = match_new(*kb, mode, &d);
    if (*m && pre && strcmp(pre, "0") == 0)
        match_set_prefilter(*m, 0);
    if (*m && patterns && strcmp(patterns, "0") == 0)
        match_set_patterns(*m, 0);
    for (size_t i = 0; i < d.n; i++)
        fprintf(stderr, "%s\n", d.msgs[i]);
    if (!*kb || !*m)
        rc = missing ? CMD_NOINPUT : CMD_DATAERR;
    diag_free(&d);
    return rc;
}

static int use_color(enum color_when when)
{
    const char *term = getenv("TERM"), *no = getenv("NO_COLOR");

    if (when != COLOR_AUTO)
        return when == COLOR_ALWAYS;
    return isatty(STDOUT_FILENO) && !(term && strcmp(term, "dumb") == 0) && !(no && *no);
}

/* The width text is wrapped at: the terminal's, else COLUMNS (as ls and
 * git read it, so a script can ask for a width), else 80. */
static unsigned term_width(void)
{
    struct winsize ws;
    const char *cols = getenv("COLUMNS");
    char *end;
    long n;

    if (isatty(STDOUT_FILENO) && ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 20)
        return ws.ws_col;
    n = cols && *cols ? strtol(cols, &end, 10) : 0;
    return n > 20 && n <= 1000 && !*end ? (unsigned)n : DEFAULT_WIDTH;
}

/* The level answers are for: --level, else the profile's (with a warning
 * when the profile cannot be read), else any. */
static enum kb_level level_of(const struct options *o, const struct kb *kb)
{
    struct sbuf why = {0};
    enum kb_level level;

    if (o->level >= 0)
        return (enum kb_level)o->level;
    level = coach_default_level(kb, &why);
    if (why.len)
        fprintf(stderr, "mlcoach: warning: %s; answers are not tailored to your level\n", why.s);
    sbuf_free(&why);
    return level;
}

/* Find the command named by argv[0] and check its argument count, before
 * any knowledge is loaded. Sets *c (NULL for the question loop when there
 * are no arguments); returns -1 to go on, else CMD_USAGE after a message. */
static int pick_command(int argc, char **argv, const struct cmd **c)
{
    int nargs = argc - 1;

    *c = NULL;
    if (argc == 0)
        return -1;
    *c = cmd_find(argv[0]);
    if (!*c) {
        usage_error("unknown command '%s' (to ask a question: mlcoach ask QUESTION)", argv[0]);
        return CMD_USAGE;
    }
    if (nargs < (*c)->min_args) {
        usage_error("'%s' needs more arguments", (*c)->name);
        return CMD_USAGE;
    }
    if ((*c)->max_args >= 0 && nargs > (*c)->max_args) {
        if ((*c)->max_args)
            usage_error("'%s' takes at most %d argument(s)", (*c)->name, (*c)->max_args);
        else
            usage_error("'%s' takes no arguments", (*c)->name);
        return CMD_USAGE;
    }
    return -1;
}

/* Run command c with its arguments; with no command, the interactive
 * session on a terminal, else the question loop. */
static int dispatch(struct cmd_ctx *ctx, const struct cmd *c, int argc, char **argv)
{
    if (!c && !ctx->json && isatty(STDIN_FILENO) && isatty(STDOUT_FILENO))
        return repl_run(ctx);
    if (!c)
        return cmd_loop(ctx, stdin);
    ctx->args = argv + 1;
    ctx->nargs = argc - 1;
    return c->run(ctx);
}

/* Flush stdout; a failed write to it is reported (quietly for a closed
 * pipe). rc may already be CMD_IOERR for a personal file, which the
 * command has reported itself: errno then says nothing about stdout. */
static int finish_output(int rc)
{
    if (fflush(stdout) == 0 && !ferror(stdout))
        return rc;
    if (errno != EPIPE)
        fprintf(stderr, "mlcoach: write error: %s\n", strerror(errno ? errno : EIO));
    return CMD_IOERR;
}

/* Make sure descriptors 0-2 are open (on /dev/null if they were closed),
 * so that no file opened later takes the place of standard output and
 * receives its answers. Returns -1 if standard output was closed: nothing
 * written could reach anyone, which is a write error. */
static int reserve_std_fds(void)
{
    int out_closed = 0;

    for (int fd = STDIN_FILENO; fd <= STDERR_FILENO; fd++) {
        if (fcntl(fd, F_GETFD) != -1 || errno != EBADF)
            continue;
        out_closed |= fd == STDOUT_FILENO;
        /* The lowest free descriptor is fd itself: the ones below are open. */
        if (open("/dev/null", fd == STDIN_FILENO ? O_RDONLY : O_WRONLY) != fd)
            return -1;
    }
    return out_closed ? -1 : 0;
}

int main(int argc, char **argv)
{
    struct options o = {.level = -1, .color = COLOR_AUTO};
    struct cmd_ctx ctx = {0};
    struct kb *kb;
    struct matcher *m;
    const struct cmd *c;
    int rc;

    if (reserve_std_fds() != 0) {
        fputs("mlcoach: write error: standard output is closed\n", stderr);
        return CMD_IOERR;
    }
    rc = parse_options(argc, argv, &o);
    if (rc >= 0)
        return finish_output(rc);
    rc = pick_command(argc - optind, argv + optind, &c);
    if (rc >= 0)
        return rc;
    rc = load(&o, &kb, &m);
    if (rc == CMD_OK) {
        ctx = (struct cmd_ctx){.kb = kb, .matcher = m, .level = level_of(&o, kb),
                               .json = o.json, .explain = o.explain, .out = stdout,
                               .in = stdin, .yes = o.yes,
                               .render = {.width = term_width(), .color = !o.json && use_color(o.color)}};
        errno = 0;
        rc = finish_output(dispatch(&ctx, c, argc - optind, argv + optind));
    }
    match_free(m);
    kb_free(kb);
    return rc;
}
