/* test_session.c -- follow-ups, numbered picks, the command table,
 * completion, a short conversation, and the history file (src/session.c,
 * src/sessioncmd.c, src/histfile.c).
 */
#include "helpers.h"

#include <errno.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "histfile.h"
#include "match.h"
#include "session.h"

static struct kb *kb;
static struct matcher *m;
static struct session s;

static int setup(void **state)
{
    struct diag d = {0};

    (void)state;
    kb = load_fixture();
    m = kb ? match_new(kb, 0, &d) : NULL;
    diag_free(&d);
    if (!m)
        return -1;
    session_init(&s, kb, m, KB_LEVEL_ANY, stdout);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    session_free(&s);
    match_free(m);
    kb_free(kb);
    return 0;
}

/* ---- Follow-ups ---- */

static const struct {
    const char *line;
    enum session_followup want;
    enum kb_level level;
} followups[] = {
    {"tell me more", SESSION_MORE, KB_LEVEL_ANY},
    {"More", SESSION_MORE, KB_LEVEL_ANY},
    {"more please!", SESSION_MORE, KB_LEVEL_ANY},
    /* "why?" means "why should I?"; how the answer was chosen is /why. */
    {"why?", SESSION_REASON, KB_LEVEL_ANY},
    {"Why is that?", SESSION_REASON, KB_LEVEL_ANY},
    {"why should I?", SESSION_REASON, KB_LEVEL_ANY},
    {"why did you say that?", SESSION_WHY, KB_LEVEL_ANY},
    {"sources?", SESSION_SOURCES, KB_LEVEL_ANY},
    {"example?", SESSION_EXAMPLE, KB_LEVEL_ANY},
    {"for example?", SESSION_EXAMPLE, KB_LEVEL_ANY},
    {"what do you mean?", SESSION_CLARIFY, KB_LEVEL_ANY},
    {"and seniors?", SESSION_LEVEL, KB_LEVEL_SENIOR},
    {"seniors?", SESSION_LEVEL, KB_LEVEL_SENIOR},
    {"where does that come from?", SESSION_SOURCES, KB_LEVEL_ANY},
    {"Where does it come from", SESSION_SOURCES, KB_LEVEL_ANY},
    {"what about seniors?", SESSION_LEVEL, KB_LEVEL_SENIOR},
    {"What about a senior developer?", SESSION_LEVEL, KB_LEVEL_SENIOR},
    {"and for Sr. devs?", SESSION_LEVEL, KB_LEVEL_SENIOR},
    {"and for juniors?", SESSION_LEVEL, KB_LEVEL_JUNIOR},
    {"how about the juniors", SESSION_LEVEL, KB_LEVEL_JUNIOR},
    /* Questions that merely start like a follow-up are questions. */
    {"why does having a mentor matter?", SESSION_NOT_FOLLOWUP, KB_LEVEL_ANY},
    {"more about deployment", SESSION_NOT_FOLLOWUP, KB_LEVEL_ANY},
    {"what about seniority in startups?", SESSION_NOT_FOLLOWUP, KB_LEVEL_ANY},
    {"how do I find a mentor?", SESSION_NOT_FOLLOWUP, KB_LEVEL_ANY},
    {"why should I find a mentor?", SESSION_NOT_FOLLOWUP, KB_LEVEL_ANY},
    {"an example of a portfolio project", SESSION_NOT_FOLLOWUP, KB_LEVEL_ANY},
};

static void test_followups(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof followups / sizeof *followups; i++) {
        enum kb_level level = KB_LEVEL_ANY;
        enum session_followup got =
            session_followup(&s, followups[i].line, strlen(followups[i].line), &level);

        if (got != followups[i].want || (got == SESSION_LEVEL && level != followups[i].level))
            fail_msg("\"%s\": got %d (level %d), want %d (level %d)", followups[i].line, got,
                     level, followups[i].want, followups[i].level);
    }
}

static void test_number(void **state)
{
    (void)state;
    assert_int_equal(session_number("2", 1), 2);
    assert_int_equal(session_number(" 3. ", 4), 3);
    assert_int_equal(session_number("12)", 3), 12);
    assert_int_equal(session_number("0", 1), 0);
    assert_int_equal(session_number("2 things", 8), 0);
    assert_int_equal(session_number("x", 1), 0);
    assert_int_equal(session_number("", 0), 0);
    assert_int_equal(session_number("-1", 2), 0);
}

/* ---- The command table ---- */

static void test_command_table(void **state)
{
    static const char *const required[] = {"help", "topics", "topic", "level", "more",
                                           "why", "sources", "history", "clear", "quit"};

    (void)state;
    for (size_t i = 0; i < sizeof required / sizeof *required; i++) {
        const struct session_cmd *c = session_cmd_find(required[i]);

        if (!c)
            fail_msg("no /%s", required[i]);
        assert_non_null(c->run);
        assert_true(strlen(c->help) > 5);
    }
    assert_null(session_cmd_find("nope"));
    assert_string_equal(session_cmd_closest("hepl")->name, "help");
    assert_string_equal(session_cmd_closest("qit")->name, "quit");
    assert_string_equal(session_cmd_closest("sorces")->name, "sources");
    assert_string_equal(session_cmd_closest("tpoic")->name, "topic");
    /* A prefix wins over a nearer name: "/so" is /sources, not /topics. */
    assert_string_equal(session_cmd_closest("so")->name, "sources");
    assert_string_equal(session_cmd_closest("hist")->name, "history");
}

/* Complete line (cursor at its end); return the items joined by ",". */
static const char *complete(const char *line, size_t *start)
{
    static char buf[1024];
    struct session_completion c = {0};

    session_complete(&s, line, strlen(line), &c);
    buf[0] = '\0';
    for (size_t i = 0; i < c.n; i++)
        snprintf(buf + strlen(buf), sizeof buf - strlen(buf), "%s%s", i ? "," : "", c.items[i]);
    *start = c.start;
    session_completion_free(&c);
    return buf;
}

static void test_completion(void **state)
{
    size_t start;

    (void)state;
    assert_string_equal(complete("/he", &start), "/help");
    assert_int_equal(start, 0);
    assert_string_equal(complete("/h", &start), "/help,/history");
    assert_string_equal(complete("/topic ment", &start), "mentorship");
    assert_int_equal(start, 7);
    assert_string_equal(complete("/level s", &start), "senior");
    assert_string_equal(complete("/quit x", &start), "");
    /* Knowledge words, from keywords and examples, ignoring case. */
    assert_string_equal(complete("how do I find a MEN", &start), "mentor");
    assert_int_equal(start, 16);
    assert_string_equal(complete("are online cour", &start), "course,courses");
}

/* The built-in knowledge misspells some examples on purpose ("mentr");
 * completion offers only words the advice itself uses, and keywords. */
static void test_completion_skips_misspellings(void **state)
{
    struct diag d = {0};
    struct kb *builtin = kb_load_builtin(&d);
    struct session b;
    struct session_completion c = {0};
    int mentorship = 0;

    (void)state;
    assert_non_null(builtin);
    session_init(&b, builtin, NULL, KB_LEVEL_ANY, stdout);
    session_complete(&b, "how do I find a ment", 20, &c);
    for (size_t i = 0; i < c.n; i++) {
        if (strcmp(c.items[i], "mentr") == 0 || strcmp(c.items[i], "mentring") == 0)
            fail_msg("misspelt example word offered: %s", c.items[i]);
        mentorship |= strcmp(c.items[i], "mentorship") == 0;
    }
    assert_true(mentorship);
    session_completion_free(&c);
    session_free(&b);
    kb_free(builtin);
    diag_free(&d);
}

/* ---- A conversation, written to memory ---- */

static const char *converse(const char *const *lines, size_t n, int json)
{
    static char *buf;
    size_t len;
    FILE *out;

    free(buf);
    buf = NULL;
    out = open_memstream(&buf, &len);
    s.out = out;
    s.json = json;
    for (size_t i = 0; i < n; i++)
        assert_int_equal(session_line(&s, lines[i], strlen(lines[i])), 0);
    fclose(out);
    s.out = stdout;
    s.json = 0;
    return buf;
}

static void test_conversation(void **state)
{
    static const char *const level[] = {"how can I become a mentor", "what about seniors?"};
    static const char *const pick[] = {"how do I cook pasta", "2"};
    static const char *const setlevel[] = {"/level junior", "how can I become a mentor"};
    static const char *const context[] = {"/clear", "why?", "/sources"};
    const char *out;

    (void)state;
    out = converse(level, 2, 0);
    assert_non_null(strstr(out, "Pass it forward."));
    assert_non_null(strstr(out, "Guide the juniors on your team."));
    /* The second suggestion for pasta is the learning entry's question. */
    out = converse(pick, 2, 1);
    assert_non_null(strstr(out, "\"intent\":\"learning.courses\""));
    out = converse(setlevel, 2, 0);
    assert_non_null(strstr(out, "Learn first, then teach."));
    assert_int_equal(s.level, KB_LEVEL_JUNIOR);
    out = converse(context, 3, 1);
    assert_non_null(strstr(out, "{\"command\":\"clear\"}"));
    /* After /clear nothing is left to explain or cite. */
    assert_non_null(strstr(out, "{\"command\":\"sources\",\"error\":"));
    s.level = KB_LEVEL_ANY;
}

/* ---- The history file ---- */

static char dir[64];

static const char *in_dir(const char *name)
{
    static char path[128];

    snprintf(path, sizeof path, "%s/%s", dir, name);
    return path;
}

static int setup_dir(void **state)
{
    (void)state;
    strcpy(dir, "/tmp/mlcoach-hist.XXXXXX");
    return mkdtemp(dir) ? 0 : -1;
}

static int teardown_dir(void **state)
{
    char cmd[128];

    (void)state;
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    return system(cmd) == 0 ? 0 : -1;
}

static void test_history_path(void **state)
{
    char *p;

    (void)state;
    p = histfile_path("/x/state", "/home/u");
    assert_string_equal(p, "/x/state/mlcoach/history");
    free(p);
    /* A relative XDG_STATE_HOME is ignored, as is an empty one. */
    p = histfile_path("rel/state", "/home/u");
    assert_string_equal(p, "/home/u/.local/state/mlcoach/history");
    free(p);
    p = histfile_path("", "/home/u");
    assert_string_equal(p, "/home/u/.local/state/mlcoach/history");
    free(p);
    assert_null(histfile_path(NULL, "relative"));
    assert_null(histfile_path(NULL, NULL));
}

static void test_history_add_and_cap(void **state)
{
    struct histfile h = {0};
    char line[32];

    (void)state;
    histfile_add(&h, "one\n", 4);
    histfile_add(&h, "one", 3);  /* repeats the newest */
    histfile_add(&h, "\n", 1);   /* empty */
    histfile_add(&h, "a\nb", 3); /* an embedded newline becomes a space */
    assert_int_equal(h.n, 2);
    assert_string_equal(h.lines[0], "one");
    assert_string_equal(h.lines[1], "a b");
    for (int i = 0; i < HISTFILE_MAX + 5; i++) {
        snprintf(line, sizeof line, "q%d", i);
        histfile_add(&h, line, strlen(line));
    }
    assert_int_equal(h.n, HISTFILE_MAX);
    assert_string_equal(h.lines[0], "q5");
    assert_string_equal(h.lines[HISTFILE_MAX - 1], "q1004");
    histfile_free(&h);
}

static size_t entries_in(const char *path)
{
    DIR *d = opendir(path);
    struct dirent *e;
    size_t n = 0;

    while (d && (e = readdir(d)))
        n += e->d_name[0] != '.';
    if (d)
        closedir(d);
    return n;
}

static void test_history_round_trip(void **state)
{
    struct histfile h = {0}, back = {0};
    struct sbuf err = {0};
    struct stat st;
    mode_t old = umask(0);

    (void)state;
    histfile_add(&h, "how do I find a mentor?", 23);
    histfile_add(&h, "caf\xC3\xA9 question", 15);
    assert_int_equal(histfile_save(&h, in_dir("state/mlcoach/history"), &err), 0);
    umask(old);
    assert_int_equal(stat(in_dir("state/mlcoach/history"), &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);
    assert_int_equal(stat(in_dir("state/mlcoach"), &st), 0);
    assert_int_equal(st.st_mode & 0777, 0700);
    assert_int_equal(stat(in_dir("state"), &st), 0);
    assert_int_equal(st.st_mode & 0777, 0700);
    /* The temporary file was renamed, not left behind. */
    assert_int_equal(entries_in(in_dir("state/mlcoach")), 1);
    assert_int_equal(histfile_load(&back, in_dir("state/mlcoach/history"), &err), 0);
    assert_int_equal(back.n, 2);
    assert_string_equal(back.lines[1], "caf\xC3\xA9 question");
    histfile_free(&h);
    histfile_free(&back);
    sbuf_free(&err);
}

static void write_file(const char *path, const char *text, size_t len)
{
    FILE *f = fopen(path, "w");

    assert_non_null(f);
    assert_int_equal(fwrite(text, 1, len, f), len);
    fclose(f);
}

static void test_history_damaged(void **state)
{
    static const char text[] = "good\n\xFF\xFE bad\nnul\0here\nfine\n";
    struct histfile h = {0};
    struct sbuf err = {0};

    (void)state;
    write_file(in_dir("damaged"), text, sizeof text - 1);
    assert_int_equal(histfile_load(&h, in_dir("damaged"), &err), 1);
    assert_non_null(strstr(err.s, "skipped 2 damaged lines"));
    assert_non_null(strstr(err.s, in_dir("damaged")));
    assert_int_equal(h.n, 2);
    assert_string_equal(h.lines[0], "good");
    assert_string_equal(h.lines[1], "fine");
    histfile_free(&h);
    sbuf_reset(&err);
    /* A directory or a FIFO where the file should be is not read (a FIFO
     * would block the open), nor is a symbolic link followed. */
    assert_int_equal(mkdir(in_dir("adir"), 0700), 0);
    assert_int_equal(histfile_load(&h, in_dir("adir"), &err), -1);
    assert_non_null(strstr(err.s, "is not a regular file"));
    sbuf_reset(&err);
    assert_int_equal(mkfifo(in_dir("fifo"), 0600), 0);
    assert_int_equal(histfile_load(&h, in_dir("fifo"), &err), -1);
    assert_non_null(strstr(err.s, "is not a regular file"));
    sbuf_reset(&err);
    assert_int_equal(symlink("damaged", in_dir("link")), 0); /* relative: next to it */
    assert_int_equal(histfile_load(&h, in_dir("link"), &err), -1);
    assert_non_null(strstr(err.s, "symbolic link"));
    assert_int_equal(h.n, 0);
    sbuf_reset(&err);
    /* A missing file is an empty history, not an error. */
    assert_int_equal(histfile_load(&h, in_dir("missing"), &err), 0);
    assert_int_equal(h.n, 0);
    assert_int_equal(err.len, 0);
    histfile_free(&h);
    sbuf_free(&err);
}

static void test_history_load_cap(void **state)
{
    struct histfile h = {0};
    struct sbuf text = {0}, err = {0};

    (void)state;
    for (int i = 0; i < 1500; i++)
        sbuf_printf(&text, "line %d\n", i);
    write_file(in_dir("long"), text.s, text.len);
    assert_int_equal(histfile_load(&h, in_dir("long"), &err), 0);
    assert_int_equal(h.n, HISTFILE_MAX);
    assert_string_equal(h.lines[0], "line 500");
    histfile_free(&h);
    sbuf_free(&text);
    sbuf_free(&err);
}

static void test_history_save_fails_cleanly(void **state)
{
    struct histfile h = {0};
    struct sbuf err = {0};

    (void)state;
    histfile_add(&h, "q", 1);
    write_file(in_dir("plain"), "x", 1);
    /* A parent that is a regular file cannot hold the history. */
    assert_int_equal(histfile_save(&h, in_dir("plain/mlcoach/history"), &err), -1);
    assert_int_equal(errno, ENOTDIR); /* the REPL turns it into exit 73 */
    assert_non_null(strstr(err.s, "plain"));
    histfile_free(&h);
    sbuf_free(&err);
}

/* One group, so tests/run.sh counts every test from cmocka's summary. */
static int setup_all(void **state)
{
    return setup(state) || setup_dir(state) ? -1 : 0;
}

static int teardown_all(void **state)
{
    return teardown(state) | teardown_dir(state);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_followups),
        cmocka_unit_test(test_number),
        cmocka_unit_test(test_command_table),
        cmocka_unit_test(test_completion),
        cmocka_unit_test(test_completion_skips_misspellings),
        cmocka_unit_test(test_conversation),
        cmocka_unit_test(test_history_path),
        cmocka_unit_test(test_history_add_and_cap),
        cmocka_unit_test(test_history_round_trip),
        cmocka_unit_test(test_history_damaged),
        cmocka_unit_test(test_history_load_cap),
        cmocka_unit_test(test_history_save_fails_cleanly),
    };

    return cmocka_run_group_tests(tests, setup_all, teardown_all);
}
