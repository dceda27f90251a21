/* test_histfile.c -- saving the history when more than one session uses
 * it (src/histfile.c): merging under the lock, sweeping what killed saves
 * left, and saving twice. Reading and the single-session round trip are in
 * test_session.c.
 */
#include "helpers.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <fcntl.h>
#include <unistd.h>

#include "histfile.h"

static char dir[64];
static char path[128];

static int setup(void **state)
{
    (void)state;
    strcpy(dir, "/tmp/mlcoach-histfile.XXXXXX");
    if (!mkdtemp(dir))
        return -1;
    snprintf(path, sizeof path, "%s/state/history", dir);
    return 0;
}

static int teardown(void **state)
{
    char cmd[128];

    (void)state;
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    return system(cmd) == 0 ? 0 : -1;
}

/* A session: the history as loaded at start-up, then lines typed. */
static void start(struct histfile *h)
{
    struct sbuf err = {0};

    *h = (struct histfile){0};
    assert_true(histfile_load(h, path, &err) >= 0);
    sbuf_free(&err);
}

static void type(struct histfile *h, const char *line)
{
    histfile_add(h, line, strlen(line));
}

static void save(struct histfile *h)
{
    struct sbuf err = {0};

    assert_int_equal(histfile_save(h, path, &err), 0);
    sbuf_free(&err);
}

/* The saved history as one string, lines joined with '|'. */
static char *saved(void)
{
    struct histfile h = {0};
    struct sbuf b = {0}, err = {0};

    assert_int_equal(histfile_load(&h, path, &err), 0);
    for (size_t i = 0; i < h.n; i++)
        sbuf_printf(&b, "%s%s", i ? "|" : "", h.lines[i]);
    histfile_free(&h);
    sbuf_free(&err);
    return sbuf_detach(&b);
}

static void test_two_sessions_keep_both(void **state)
{
    struct histfile a, b;
    char *text;

    (void)state;
    start(&a);
    type(&a, "before");
    save(&a);
    histfile_free(&a);
    /* Both start from "before"; each types its own lines; A quits first. */
    start(&a);
    start(&b);
    type(&a, "a one");
    type(&b, "b one");
    type(&a, "a two");
    type(&b, "b two");
    save(&a);
    save(&b);
    text = saved();
    assert_string_equal(text, "before|a one|a two|b one|b two");
    free(text);
    /* Saving again adds nothing twice. */
    save(&b);
    text = saved();
    assert_string_equal(text, "before|a one|a two|b one|b two");
    free(text);
    histfile_free(&a);
    histfile_free(&b);
}

static void test_merge_keeps_the_newest(void **state)
{
    struct histfile a, b;
    char line[32];

    (void)state;
    start(&a);
    start(&b);
    for (int i = 0; i < HISTFILE_MAX; i++) {
        snprintf(line, sizeof line, "a%d", i);
        type(&a, line);
    }
    type(&b, "b last");
    save(&a);
    save(&b);
    histfile_free(&a);
    start(&a);
    assert_int_equal(a.n, HISTFILE_MAX);
    assert_string_equal(a.lines[0], "a1");
    assert_string_equal(a.lines[HISTFILE_MAX - 1], "b last");
    histfile_free(&a);
    histfile_free(&b);
}

static void test_sweeps_killed_saves(void **state)
{
    struct histfile h;
    char left[160], other[160];
    struct stat st;
    int fd;

    (void)state;
    snprintf(left, sizeof left, "%s.Ab3dE9", path);    /* what mkstemp makes */
    snprintf(other, sizeof other, "%s.keep-me", path); /* not one of ours */
    start(&h);
    type(&h, "q");
    save(&h);
    fd = open(left, O_WRONLY | O_CREAT, 0600);
    assert_true(fd >= 0);
    close(fd);
    fd = open(other, O_WRONLY | O_CREAT, 0600);
    assert_true(fd >= 0);
    close(fd);
    type(&h, "r");
    save(&h);
    assert_int_equal(stat(left, &st), -1);
    assert_int_equal(stat(other, &st), 0);
    histfile_free(&h);
}

static void test_busy_lock(void **state)
{
    struct histfile h;
    struct sbuf err = {0}, lock = {0};
    char *before = saved();
    int fd;

    (void)state;
    sbuf_printf(&lock, "%s/state/.history.lock", dir);
    fd = open(lock.s, O_RDWR | O_CREAT, 0600);
    assert_true(fd >= 0);
    assert_int_equal(flock(fd, LOCK_EX), 0);
    setenv("MLCOACH_LOCK_TIMEOUT", "0.1", 1);
    start(&h);
    type(&h, "while locked");
    assert_int_equal(histfile_save(&h, path, &err), -1);
    assert_int_equal(errno, EWOULDBLOCK);
    assert_non_null(strstr(err.s, "locked"));
    unsetenv("MLCOACH_LOCK_TIMEOUT");
    close(fd);
    /* Nothing was written; the lines are still there to save. */
    {
        char *after = saved();

        assert_string_equal(after, before);
        free(after);
    }
    save(&h);
    histfile_free(&h);
    free(before);
    sbuf_free(&err);
    sbuf_free(&lock);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_two_sessions_keep_both),
        cmocka_unit_test(test_merge_keeps_the_newest),
        cmocka_unit_test(test_sweeps_killed_saves),
        cmocka_unit_test(test_busy_lock),
    };

    return cmocka_run_group_tests(tests, setup, teardown);
}
