/* repl.c -- the interactive session: libedit, history, completion, signals.
 * Start at repl_run(); wait_key() is where signals meet the reading of keys
 * (read_char() for libedit, read_line() for /assess's answers).
 *
 * This uses libedit's native interface (<histedit.h>) rather than its
 * readline emulation: the emulation reads one byte per character when given
 * a custom reader (breaking UTF-8) and cannot tell Ctrl-C from Ctrl-D. Our
 * reader waits in pselect() with the signals unblocked only there, so a
 * signal either arrives while we wait for a key or waits for the next one.
 */
#include "repl.h"

#include <errno.h>
#include <langinfo.h>
#include <limits.h>
#include <locale.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/select.h>
#include <unistd.h>
#include <wchar.h>

#include <histedit.h>

#include "histfile.h"
#include "match.h"
#include "session.h"

#define INTERRUPT_KEY 3 /* Ctrl-C: read_char hands it to on_interrupt */
#define LIST_MAX 60     /* completion candidates shown at most */
#define MIN_WIDTH 20

/* The prompt; \1 brackets the colour codes so libedit does not count them. */
#define PROMPT_COLOR_ON "\1\033[1;36m\1"
#define PROMPT_COLOR_OFF "\1\033[0m\1"

static volatile sig_atomic_t got_int, got_winch, got_exit;

struct repl {
    EditLine *el;
    History *hist;
    struct session s;
    struct histfile file;
    char *path;        /* where history is saved; NULL: not saved */
    int color;
    char prompt[96];
    int interrupting;  /* Ctrl-C seen: on_interrupt runs twice */
    int interrupted;   /* the line was abandoned with Ctrl-C */
    sigset_t waitmask; /* the signal mask while waiting for a key */
};

static void on_signal(int sig)
{
    if (sig == SIGINT)
        got_int = 1;
    else if (sig == SIGWINCH)
        got_winch = 1;
    else
        got_exit = sig;
}

void repl_locale(void)
{
    const char *set = setlocale(LC_CTYPE, "");

    if (!set || strcmp(nl_langinfo(CODESET), "UTF-8") != 0)
        setlocale(LC_CTYPE, "C.UTF-8");
}

static unsigned term_width(void)
{
    struct winsize ws;

    if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col >= MIN_WIDTH)
        return ws.ws_col;
    return 80;
}

static struct repl *repl_of(EditLine *el)
{
    void *r = NULL;

    el_get(el, EL_CLIENTDATA, &r);
    return r;
}

/* ---- Reading keys ---- */

enum { KEY_READY, KEY_INT, KEY_EXIT, KEY_ERROR };

/* Wait until standard input can be read, with the signals unblocked only
 * inside pselect(). Returns KEY_READY; KEY_INT for Ctrl-C (taken: got_int
 * is cleared); KEY_EXIT for SIGTERM or SIGHUP (got_exit stays set); or
 * KEY_ERROR. SIGWINCH re-reads the size on the way. */
static int wait_key(struct repl *r)
{
    for (;;) {
        fd_set in;
        int n;

        if (got_exit)
            return KEY_EXIT;
        if (got_int) {
            got_int = 0;
            return KEY_INT;
        }
        if (got_winch) {
            got_winch = 0;
            el_resize(r->el);
            r->s.render.width = term_width();
        }
        FD_ZERO(&in);
        FD_SET(STDIN_FILENO, &in);
        n = pselect(STDIN_FILENO + 1, &in, NULL, NULL, NULL, &r->waitmask);
        if (n > 0)
            return KEY_READY;
        if (n < 0 && errno != EINTR)
            return KEY_ERROR;
    }
}

/* libedit's character reader: one character from standard input, decoded
 * from UTF-8, read after wait_key(): SIGINT becomes INTERRUPT_KEY, SIGTERM
 * and SIGHUP end the line with an error so that el_gets returns. */
static int read_char(EditLine *el, wchar_t *wc)
{
    struct repl *r = repl_of(el);
    char buf[MB_LEN_MAX];
    size_t n = 0;

    if (r->interrupting) {
        *wc = INTERRUPT_KEY;
        return 1;
    }
    for (;;) {
        mbstate_t st;
        ssize_t got;
        size_t k;

        switch (wait_key(r)) {
        case KEY_EXIT:
            errno = EINTR;
            return -1;
        case KEY_INT:
            *wc = INTERRUPT_KEY;
            return 1;
        case KEY_ERROR:
            return -1;
        }
        got = read(STDIN_FILENO, buf + n, 1);
        if (got <= 0) {
            if (got < 0 && (errno == EINTR || errno == EAGAIN))
                continue;
            return got == 0 ? 0 : -1;
        }
        n++;
        memset(&st, 0, sizeof st);
        k = mbrtowc(wc, buf, n, &st);
        if (k == (size_t)-2 && n < sizeof buf)
            continue;
        if (k == (size_t)-1 || k == (size_t)-2) {
            n = 0; /* not UTF-8: drop the bytes */
            continue;
        }
        return 1;
    }
}

/* The session's line reader for commands that read their own lines
 * (/assess's answers), in place of util_getline(stdin), whose read would
 * wait with every signal blocked: the terminal's line, read a byte at a
 * time (it is in cooked mode: nothing arrives before Enter) after
 * wait_key(). Ctrl-C stops the command; SIGTERM and SIGHUP too, and then
 * end the session at the next prompt (read_char sees got_exit). */
static ssize_t read_line(void *arg, char **line, size_t *cap, size_t max)
{
    struct repl *r = arg;
    size_t len = 0;
    ssize_t got;
    char c;
    int w;

    if (!*line || *cap == 0)
        *line = xrealloc(*line, *cap = 128);
    for (;;) {
        if ((w = wait_key(r)) != KEY_READY)
            return w == KEY_ERROR ? UTIL_READ_ERROR : UTIL_READ_STOP;
        got = read(STDIN_FILENO, &c, 1);
        if (got < 0 && (errno == EINTR || errno == EAGAIN))
            continue;
        if (got < 0)
            return UTIL_READ_ERROR;
        if (got == 0 && len == 0)
            return UTIL_READ_END;
        if (got == 0 || c == '\n')
            break;
        if (len < max && len + 1 >= *cap)
            *line = xrealloc(*line, *cap = *cap * 2 > max + 1 ? max + 1 : *cap * 2);
        if (len < max)
            (*line)[len] = c;
        len++;
    }
    (*line)[len < max ? len : max] = '\0';
    return (ssize_t)len;
}

/* Ctrl-C: first move the cursor past the end of the line (so "^C" lands
 * after it, even on a line that wraps), then end the line as abandoned. */
static unsigned char on_interrupt(EditLine *el, int ch)
{
    struct repl *r = repl_of(el);
    const LineInfoW *li = el_wline(el);

    (void)ch;
    if (!r->interrupting) {
        r->interrupting = 1;
        el_cursor(el, (int)(li->lastchar - li->cursor));
        return CC_CURSOR;
    }
    r->interrupting = 0;
    r->interrupted = 1;
    return CC_NEWLINE;
}

/* ---- Completion ---- */

/* Characters (not bytes) in the n bytes of UTF-8 at s. */
static int chars(const char *s, size_t n)
{
    int c = 0;

    for (size_t i = 0; i < n; i++)
        c += ((unsigned char)s[i] & 0xC0) != 0x80;
    return c;
}

static size_t common_prefix(char **items, size_t n)
{
    size_t len = strlen(items[0]);

    for (size_t i = 1; i < n; i++) {
        size_t k = 0;

        while (k < len && items[i][k] == items[0][k])
            k++;
        len = k;
    }
    /* Never stop inside a UTF-8 sequence. */
    while (len && ((unsigned char)items[0][len] & 0xC0) == 0x80)
        len--;
    return len;
}

/* Show the candidates below the line, in columns. */
static void list_candidates(struct repl *r, const struct session_completion *c)
{
    size_t wide = 0, cols, shown = c->n < LIST_MAX ? c->n : LIST_MAX;

    for (size_t i = 0; i < shown; i++)
        if (strlen(c->items[i]) > wide)
            wide = strlen(c->items[i]);
    cols = r->s.render.width / (wide + 2);
    if (cols == 0)
        cols = 1;
    fputc('\n', stdout);
    for (size_t i = 0; i < shown; i++)
        printf("%-*s%s", (int)wide + 2, c->items[i], (i + 1) % cols && i + 1 < shown ? "" : "\n");
    if (shown < c->n)
        printf("... and %zu more\n", c->n - shown);
    fflush(stdout);
}

/* Tab: complete the word before the cursor (see session_complete). One
 * candidate is inserted whole; several insert what they share, or are
 * listed when they share no more than was typed. */
static unsigned char on_tab(EditLine *el, int ch)
{
    struct repl *r = repl_of(el);
    const LineInfo *li = el_line(el);
    size_t point = (size_t)(li->cursor - li->buffer), typed, common;
    char *line = strndup(li->buffer, point);
    struct session_completion c = {0};
    unsigned char rc = CC_REFRESH;

    (void)ch;
    if (!line)
        return CC_ERROR;
    session_complete(&r->s, line, point, &c);
    typed = point - c.start;
    if (c.n == 0) {
        rc = CC_ERROR; /* beeps */
    } else if ((common = common_prefix(c.items, c.n)) > typed || c.n == 1) {
        el_deletestr(el, chars(line + c.start, typed));
        c.items[0][common] = '\0';
        el_insertstr(el, c.items[0]);
        if (c.n == 1)
            el_insertstr(el, " ");
    } else {
        list_candidates(r, &c);
        rc = CC_REDISPLAY;
    }
    session_completion_free(&c);
    free(line);
    return rc;
}

/* ---- Prompt, greeting, history ---- */

static char *prompt_of(EditLine *el)
{
    return repl_of(el)->prompt;
}

static void set_prompt(struct repl *r)
{
    char level[32] = "";

    if (r->s.level != KB_LEVEL_ANY)
        snprintf(level, sizeof level, " (%s)", kb_level_name(r->s.level));
    snprintf(r->prompt, sizeof r->prompt, "%smlcoach%s>%s ", r->color ? PROMPT_COLOR_ON : "",
             level, r->color ? PROMPT_COLOR_OFF : "");
}

/* Questions the greeting offers, in order; it shows the first three the
 * loaded knowledge answers, so --kb never makes it promise too much. */
static const char *const starters[] = {
    "how do I find a mentor?", "should I specialise?", "how do I get promoted?",
    "what does a senior do?", "is a degree worth it?",
};

/* Two lines: what this is, and three questions to start with. */
static void greet(struct repl *r)
{
    struct sbuf b = {0}, out = {0};
    struct match_result m;
    size_t n = 0;

    for (size_t i = 0; i < sizeof starters / sizeof *starters && n < 3; i++) {
        match_question(r->s.matcher, starters[i], strlen(starters[i]), r->s.level, &m);
        if (m.answered)
            sbuf_printf(&b, "%s%s", n++ ? " \xC2\xB7 " : "Try: ", starters[i]);
    }
    render_wrap(&out, "mlcoach: career advice for ML developers. /help lists the commands; "
                      "Ctrl-D quits.", r->s.render.width, 0);
    render_wrap(&out, b.s ? b.s : "Try /topics to see what I can answer.", r->s.render.width, 0);
    sbuf_putc(&out, '\n');
    fwrite(out.s, 1, out.len, stdout);
    sbuf_free(&b);
    sbuf_free(&out);
}

/* Load the history file into both our list and libedit's. */
static void load_history(struct repl *r)
{
    struct sbuf err = {0};
    HistEvent ev;
    int rc;

    r->path = histfile_path(getenv("XDG_STATE_HOME"), getenv("HOME"));
    if (!r->path) {
        fputs("mlcoach: warning: HOME is not set; history will not be saved\n", stderr);
        return;
    }
    rc = histfile_load(&r->file, r->path, &err);
    if (rc != 0)
        fprintf(stderr, "mlcoach: warning: %s%s\n", err.s,
                rc < 0 ? "; history will not be saved this session" : "");
    if (rc < 0) {
        free(r->path);
        r->path = NULL; /* do not overwrite what we could not read */
    }
    for (size_t i = 0; i < r->file.n; i++)
        history(r->hist, &ev, H_ENTER, r->file.lines[i]);
    sbuf_free(&err);
}

/* Save the history. Returns rc, or when the session otherwise ended well
 * and the history could not be saved, 73 (cannot create), 74 or 75 (another
 * session kept it locked). */
static int save_history(struct repl *r, int rc)
{
    struct sbuf err = {0};

    if (r->path && histfile_save(&r->file, r->path, &err) != 0) {
        int cause = errno;

        fprintf(stderr, "mlcoach: history not saved: %s\n", err.s);
        if (rc == CMD_OK)
            rc = cause == EWOULDBLOCK ? CMD_TEMPFAIL
               : util_cannot_create(cause) ? CMD_CANTCREAT : CMD_IOERR;
    }
    sbuf_free(&err);
    return rc;
}

/* ---- The session ---- */

static void install_signals(struct repl *r, sigset_t *old)
{
    static const int sigs[] = {SIGINT, SIGTERM, SIGHUP, SIGWINCH};
    struct sigaction sa = {0};
    sigset_t block;

    sa.sa_handler = on_signal;
    /* pselect() is never restarted, so the reader still sees each signal;
     * anything else a signal interrupts (a write to a slow terminal) goes on. */
    sa.sa_flags = SA_RESTART;
    sigemptyset(&sa.sa_mask);
    sigemptyset(&block);
    for (size_t i = 0; i < sizeof sigs / sizeof *sigs; i++) {
        sigaction(sigs[i], &sa, NULL);
        sigaddset(&block, sigs[i]);
    }
    sigprocmask(SIG_BLOCK, &block, old);
    r->waitmask = *old;
    for (size_t i = 0; i < sizeof sigs / sizeof *sigs; i++)
        sigdelset(&r->waitmask, sigs[i]);
}

static int setup(struct repl *r, struct cmd_ctx *ctx)
{
    HistEvent ev;

    session_init(&r->s, ctx->kb, ctx->matcher, ctx->level, stdout);
    r->s.render = ctx->render;
    r->s.explain = ctx->explain;
    r->s.render.width = term_width();
    r->s.history = &r->file;
    r->s.read_line = read_line;
    r->s.read_arg = r;
    r->color = ctx->render.color;
    r->hist = history_init();
    r->el = el_init("mlcoach", stdin, stdout, stderr);
    if (!r->hist || !r->el)
        return -1;
    history(r->hist, &ev, H_SETSIZE, HISTFILE_MAX);
    history(r->hist, &ev, H_SETUNIQUE, 1);
    el_set(r->el, EL_CLIENTDATA, r);
    el_set(r->el, EL_EDITOR, "emacs");
    el_set(r->el, EL_SIGNAL, 1);
    el_set(r->el, EL_HIST, history, r->hist);
    el_set(r->el, EL_PROMPT_ESC, prompt_of, '\1');
    el_source(r->el, NULL); /* ~/.editrc, before our own bindings win */
    el_set(r->el, EL_GETCFN, read_char);
    /* Wide strings: given narrow ones, libedit copies them and never frees. */
    el_wset(r->el, EL_ADDFN, L"mlcoach-complete", L"complete a word", on_tab);
    el_wset(r->el, EL_ADDFN, L"mlcoach-interrupt", L"abandon the line", on_interrupt);
    el_set(r->el, EL_BIND, "^I", "mlcoach-complete", NULL);
    el_set(r->el, EL_BIND, "^C", "mlcoach-interrupt", NULL);
    el_set(r->el, EL_BIND, "^R", "em-inc-search-prev", NULL);
    load_history(r);
    return 0;
}

/* Handle one line read by libedit. Returns 0 or -1 on a write error. */
static int handle(struct repl *r, const char *line, int n)
{
    HistEvent ev;
    size_t len = (size_t)n;
    char *copy;

    while (len && (line[len - 1] == '\n' || line[len - 1] == '\r'))
        len--;
    if (strspn(line, " \t") >= len)
        return 0;
    if (len > CMD_MAX_QUESTION) { /* the limit pipes and ask have too */
        r->s.render.width = term_width();
        if (session_error(&r->s, "question", "That line is too long (%zu bytes; the limit is "
                          "%d): not answered.", len, CMD_MAX_QUESTION) != 0)
            return -1;
        fputc('\n', stdout); /* apart from the next prompt, like an answer */
        return fflush(stdout) == 0 ? 0 : -1;
    }
    copy = xstrndup(line, len);
    history(r->hist, &ev, H_ENTER, copy);
    free(copy);
    histfile_add(&r->file, line, len);
    /* SIGWINCH may still be on its way when a line arrives; ask directly. */
    r->s.render.width = term_width();
    if (session_line(&r->s, line, len) != 0)
        return -1;
    if (r->s.clear) {
        r->s.clear = 0;
        fputs("\033[H\033[2J", stdout);
    } else if (!r->s.quit) {
        fputc('\n', stdout);
    }
    set_prompt(r);
    return fflush(stdout) == 0 ? 0 : -1;
}

/* Drop a Ctrl-C typed while an answer was being written: it was meant for
 * that answer, not for the next line. */
static void drop_pending_interrupt(void)
{
    sigset_t pending, intr;
    struct timespec now = {0, 0};

    sigemptyset(&intr);
    sigaddset(&intr, SIGINT);
    if (sigpending(&pending) == 0 && sigismember(&pending, SIGINT))
        sigtimedwait(&intr, NULL, &now);
    got_int = 0;
}

static int loop(struct repl *r)
{
    for (;;) {
        const char *line;
        int n = 0;

        drop_pending_interrupt();
        r->interrupted = 0;
        line = el_gets(r->el, &n);
        if (got_exit)
            return 128 + got_exit;
        if (r->interrupted) {
            fputs("^C\n", stdout);
            continue;
        }
        if (!line || n <= 0) {
            fputc('\n', stdout); /* Ctrl-D: leave the shell's prompt on a line of its own */
            return CMD_OK;
        }
        if (handle(r, line, n) != 0)
            return CMD_IOERR;
        if (got_exit) /* it came while a command (/assess) waited for a line */
            return 128 + got_exit;
        if (r->s.quit)
            return CMD_OK;
    }
}

int repl_run(struct cmd_ctx *ctx)
{
    struct repl r = {0};
    sigset_t old;
    int rc = CMD_IOERR;

    repl_locale();
    install_signals(&r, &old);
    if (setup(&r, ctx) == 0) {
        greet(&r);
        set_prompt(&r);
        rc = save_history(&r, loop(&r));
    } else {
        fputs("mlcoach: cannot start line editing\n", stderr);
    }
    if (r.el)
        el_end(r.el);
    if (r.hist)
        history_end(r.hist);
    histfile_free(&r.file);
    free(r.path);
    session_free(&r.s);
    sigprocmask(SIG_SETMASK, &old, NULL);
    return rc;
}
