/* test_store.c -- crash-safe personal files: where they go, round trips,
 * modes, versions, damaged and newer files left untouched, symbolic links
 * refused, temporary files swept. Each test works in its own directory
 * under $TMPDIR (or /tmp), removed at the end. */
#include "helpers.h"

#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "store.h"

static char base[256]; /* this test's scratch directory */
static char dir[300];  /* the data directory inside it (not created yet) */

static int setup(void **state)
{
    const char *tmp = getenv("TMPDIR");

    (void)state;
    snprintf(base, sizeof base, "%s/mlcoach-store.XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(base))
        return -1;
    snprintf(dir, sizeof dir, "%s/data/mlcoach", base);
    return 0;
}

static int teardown(void **state)
{
    char cmd[400];

    (void)state;
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", base);
    return system(cmd) == 0 ? 0 : -1;
}

static void put_file(const char *name, const char *text)
{
    char path[400];
    FILE *f;

    snprintf(path, sizeof path, "%s/%s", dir, name);
    f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

/* The file's bytes, as a new string. */
static char *slurp(const char *name)
{
    char path[400];
    struct sbuf b = {0};
    char buf[512];
    size_t got;
    FILE *f;

    snprintf(path, sizeof path, "%s/%s", dir, name);
    f = fopen(path, "r");
    assert_non_null(f);
    while ((got = fread(buf, 1, sizeof buf, f)) > 0)
        sbuf_append(&b, buf, got);
    fclose(f);
    return sbuf_detach(&b);
}

/* How many entries of dir start with prefix. */
static int count_prefixed(const char *prefix)
{
    DIR *d = opendir(dir);
    struct dirent *de;
    int n = 0;

    assert_non_null(d);
    while ((de = readdir(d)))
        n += strncmp(de->d_name, prefix, strlen(prefix)) == 0;
    closedir(d);
    return n;
}

static enum store_status write_doc(const char *name, const char *json, struct sbuf *why)
{
    json_t *doc = json_loads(json, 0, NULL);
    enum store_status st;

    assert_non_null(doc);
    st = store_write(dir, name, doc, why);
    json_decref(doc);
    return st;
}

static void test_dir_from_environment(void **state)
{
    struct sbuf d = {0}, why = {0};

    (void)state;
    setenv("XDG_DATA_HOME", "/x/data", 1);
    setenv("HOME", "/home/u", 1);
    assert_int_equal(store_dir(&d, &why), 0);
    assert_string_equal(d.s, "/x/data/mlcoach");
    setenv("XDG_DATA_HOME", "relative/data", 1); /* ignored, as the XDG spec says */
    assert_int_equal(store_dir(&d, &why), 0);
    assert_string_equal(d.s, "/home/u/.local/share/mlcoach");
    unsetenv("XDG_DATA_HOME");
    unsetenv("HOME");
    assert_int_equal(store_dir(&d, &why), -1);
    assert_non_null(strstr(why.s, "HOME"));
    sbuf_free(&d);
    sbuf_free(&why);
}

static void test_round_trip_modes_and_version(void **state)
{
    struct sbuf why = {0};
    struct stat st;
    char path[400];
    json_t *doc;
    char *text;

    (void)state;
    snprintf(path, sizeof path, "%s/p.json", dir);
    assert_int_equal(store_read(dir, "p.json", &doc, &why), STORE_ABSENT);
    assert_null(doc);
    assert_int_equal(write_doc("p.json", "{\"level\": \"junior\"}", &why), STORE_OK);
    assert_int_equal(store_read(dir, "p.json", &doc, &why), STORE_OK);
    assert_string_equal(json_string_value(json_object_get(doc, "level")), "junior");
    assert_int_equal(json_integer_value(json_object_get(doc, "version")), STORE_VERSION);
    json_decref(doc);
    text = slurp("p.json");
    assert_true(strncmp(text, "{\n  \"version\": 1,", 16) == 0); /* version comes first */
    free(text);
    assert_int_equal(stat(dir, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0700);
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);
    assert_int_equal(count_prefixed(".p.json"), 0); /* no temporary file left */
    sbuf_free(&why);
}

static void test_overwrite_replaces(void **state)
{
    struct sbuf why = {0};
    json_t *doc;

    (void)state;
    assert_int_equal(write_doc("p.json", "{\"n\": 1}", &why), STORE_OK);
    assert_int_equal(write_doc("p.json", "{\"n\": 2}", &why), STORE_OK);
    assert_int_equal(store_read(dir, "p.json", &doc, &why), STORE_OK);
    assert_int_equal(json_integer_value(json_object_get(doc, "n")), 2);
    json_decref(doc);
    sbuf_free(&why);
}

/* A file that is there but unusable reads as status want, and a write
 * leaves its bytes alone. */
static void expect_untouched(const char *text, enum store_status want, const char *msg)
{
    struct sbuf why = {0};
    json_t *doc;
    char *after;

    put_file("p.json", text);
    assert_int_equal(store_read(dir, "p.json", &doc, &why), want);
    assert_null(doc);
    assert_non_null(strstr(why.s, "/p.json: "));
    if (!strstr(why.s, msg))
        fail_msg("\"%s\" does not say \"%s\"", why.s, msg);
    sbuf_reset(&why);
    assert_int_equal(write_doc("p.json", "{\"n\": 1}", &why), want);
    assert_non_null(strstr(why.s, "left untouched"));
    after = slurp("p.json");
    assert_string_equal(after, text);
    free(after);
    sbuf_free(&why);
}

static void test_damaged_and_newer_never_overwritten(void **state)
{
    struct sbuf why = {0};

    (void)state;
    assert_int_equal(write_doc("p.json", "{}", &why), STORE_OK); /* creates dir */
    expect_untouched("garbage{", STORE_DAMAGED, "damaged: line 1");
    expect_untouched("{\"version\": 1, \"a\": 1, \"a\": 2}", STORE_DAMAGED, "duplicate");
    expect_untouched("[1, 2]", STORE_DAMAGED, "not a JSON object");
    expect_untouched("{\"level\": \"junior\"}", STORE_DAMAGED, "no valid \"version\"");
    expect_untouched("{\"version\": \"1\"}", STORE_DAMAGED, "no valid \"version\"");
    expect_untouched("{\"version\": 2}", STORE_NEWER, "newer mlcoach (format version 2");
    expect_untouched("", STORE_DAMAGED, "damaged");
    sbuf_free(&why);
}

static void test_symlink_refused(void **state)
{
    struct sbuf why = {0};
    char link_path[400], target[400];
    json_t *doc;
    char *after;

    (void)state;
    assert_int_equal(write_doc("target.json", "{\"n\": 1}", &why), STORE_OK);
    snprintf(target, sizeof target, "%s/target.json", dir);
    snprintf(link_path, sizeof link_path, "%s/p.json", dir);
    assert_int_equal(symlink(target, link_path), 0);
    assert_int_equal(store_read(dir, "p.json", &doc, &why), STORE_DAMAGED);
    assert_non_null(strstr(why.s, "symbolic link"));
    assert_int_equal(write_doc("p.json", "{\"n\": 2}", &why), STORE_DAMAGED);
    after = slurp("target.json");
    assert_non_null(strstr(after, "\"n\": 1"));
    free(after);
    sbuf_free(&why);
}

static void test_unwritable_directory(void **state)
{
    struct sbuf why = {0};
    char path[400];
    FILE *f;

    (void)state;
    /* The data directory's parent is a regular file: nothing can be created,
     * whoever runs the test (root included). */
    snprintf(path, sizeof path, "%s/data", base);
    f = fopen(path, "w");
    assert_non_null(f);
    fclose(f);
    assert_int_equal(write_doc("p.json", "{}", &why), STORE_CANTCREATE);
    assert_non_null(strstr(why.s, "cannot create the data directory"));
    sbuf_free(&why);
}

static void test_stale_temps_swept_live_kept(void **state)
{
    struct sbuf why = {0};
    char live[400];
    int fd;

    (void)state;
    assert_int_equal(write_doc("p.json", "{}", &why), STORE_OK);
    put_file(".p.json.tmp-99999-dead", "{\"half"); /* a killed writer's leftover */
    snprintf(live, sizeof live, "%s/.p.json.tmp-1-live", dir);
    fd = open(live, O_WRONLY | O_CREAT | O_EXCL, 0600);
    assert_true(fd >= 0);
    assert_int_equal(flock(fd, LOCK_EX), 0); /* a writer still at work */
    assert_int_equal(write_doc("p.json", "{\"n\": 3}", &why), STORE_OK);
    assert_int_equal(count_prefixed(".p.json.tmp-99999"), 0);
    assert_int_equal(count_prefixed(".p.json.tmp-1-live"), 1);
    close(fd);
    sbuf_free(&why);
}

static void test_remove(void **state)
{
    struct sbuf why = {0};
    int removed;

    (void)state;
    assert_int_equal(write_doc("p.json", "{}", &why), STORE_OK);
    put_file(".p.json.tmp-5-x", "");
    assert_int_equal(store_remove(dir, "p.json", &removed, &why), STORE_OK);
    assert_int_equal(removed, 1);
    assert_int_equal(count_prefixed(".p.json"), 0);
    assert_int_equal(count_prefixed("p.json"), 0);
    assert_int_equal(store_remove(dir, "p.json", &removed, &why), STORE_OK);
    assert_int_equal(removed, 0);
    store_remove_dir(dir);
    assert_int_equal(access(dir, F_OK), -1);
    sbuf_free(&why);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_dir_from_environment),
        cmocka_unit_test_setup_teardown(test_round_trip_modes_and_version, setup, teardown),
        cmocka_unit_test_setup_teardown(test_overwrite_replaces, setup, teardown),
        cmocka_unit_test_setup_teardown(test_damaged_and_newer_never_overwritten, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_symlink_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(test_unwritable_directory, setup, teardown),
        cmocka_unit_test_setup_teardown(test_stale_temps_swept_live_kept, setup, teardown),
        cmocka_unit_test_setup_teardown(test_remove, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
