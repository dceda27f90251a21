/* fuzz_store.c -- libFuzzer target for the personal-file readers.
 *
 * The first byte picks which personal file the rest of the input becomes
 * (its value modulo 4: '0' profile.json, '1' assessments.json, '2'
 * plan.json, '3' the REPL history); the other files are small valid ones.
 * A JSON file is read by the coaching commands exactly as `mlcoach` runs
 * them: profile, plan, progress and export, as text and as JSON, and the
 * default level of answers; then done, profile set and assess, which write.
 * The history is loaded, saved and loaded again. Besides crashes and
 * sanitizer reports, these abort the run: JSON output that does not parse,
 * text a terminal could act on (oracle.h), a file that could not be used
 * but was changed anyway, and a history that does not survive its own
 * save. The files live in a directory made at start-up under /dev/shm when
 * there is one (fsync is free there), else under $TMPDIR or /tmp.
 */
#define _XOPEN_SOURCE 700 /* nftw, to remove the scratch directory */
#include <fcntl.h>
#include <ftw.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "coach.h"
#include "coachcmd.h"
#include "diag.h"
#include "histfile.h"
#include "kb.h"
#include "oracle.h"
#include "store.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char profile[] =
    "{\"version\": 1, \"level\": \"junior\", \"years\": 2, \"focus\": [\"mentorship\"], "
    "\"goals\": \"Lead a project\"}\n";

static const char assessments[] =
    "{\"version\": 1, \"assessments\": [{\"date\": \"2026-01-02\", \"answers\": "
    "{\"roles.know-next-level\": 2, \"mentorship.have-a-mentor\": 1}, "
    "\"scores\": {\"roles\": 25, \"mentorship\": 0}}]}\n";

static const char plan[] =
    "{\"version\": 1, \"created\": \"2026-01-02\", \"level\": \"junior\", "
    "\"from\": \"2026-01-02\", \"steps\": ["
    "{\"n\": 1, \"title\": \"Ask a senior\", \"topic\": \"roles\", "
    "\"entry\": \"roles.junior-vs-senior\", \"statement\": \"roles.know-next-level\", "
    "\"done\": true, \"done_on\": \"2026-01-03\"}, "
    "{\"n\": 2, \"title\": \"Find a mentor\", \"topic\": \"mentorship\", "
    "\"entry\": \"mentorship.find-a-mentor\", \"statement\": \"mentorship.have-a-mentor\", "
    "\"done\": false, \"done_on\": null}]}\n";

/* The personal files as the coaching commands know them. */
static const struct {
    const char *name;
    const char *valid;
    int (*check)(const json_t *doc, const struct kb *kb, struct sbuf *why);
} files[] = {
    {COACH_PROFILE_FILE, profile, coach_profile_check},
    {COACH_ASSESSMENTS_FILE, assessments, coach_assessments_check},
    {COACH_PLAN_FILE, plan, coach_plan_check},
};
#define NFILES (sizeof files / sizeof *files)
enum { AS_HISTORY = NFILES, NKINDS };

static struct kb *kb;
static char base[128];       /* the scratch directory */
static struct sbuf data_dir; /* $XDG_DATA_HOME/mlcoach */
static char *history;        /* $XDG_STATE_HOME/mlcoach/history */

static int remove_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st, (void)flag, (void)ftw;
    return remove(path);
}

static void cleanup(void)
{
    nftw(base, remove_one, 16, FTW_DEPTH | FTW_PHYS);
    kb_free(kb);
    sbuf_free(&data_dir);
    free(history);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    const char *tmp = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : getenv("TMPDIR");
    struct sbuf path = {0}, why = {0};
    struct diag d = {0};

    (void)argc, (void)argv;
    snprintf(base, sizeof base, "%s/mlcoach-fuzz.XXXXXX", tmp && *tmp ? tmp : "/tmp");
    kb = kb_load_builtin(&d);
    diag_free(&d);
    if (!kb || !mkdtemp(base))
        abort();
    sbuf_printf(&path, "%s/data", base);
    setenv("XDG_DATA_HOME", path.s, 1);
    sbuf_reset(&path);
    sbuf_printf(&path, "%s/state", base);
    setenv("XDG_STATE_HOME", path.s, 1);
    if (store_dir(&data_dir, &why) != 0)
        abort();
    history = histfile_path(path.s, NULL);
    sbuf_free(&path);
    sbuf_free(&why);
    atexit(cleanup);
    return 0;
}

/* Replace the file at path with the n bytes at s (creating its directory). */
static void put(const char *path, const void *s, size_t n)
{
    char *dir = xstrdup(path);
    int fd;

    for (char *p = strchr(dir + 1, '/'); p; p = strchr(p + 1, '/')) {
        *p = '\0';
        mkdir(dir, 0700);
        *p = '/';
    }
    free(dir);
    fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW, 0600);
    if (fd < 0 || write(fd, s, n) != (ssize_t)n || close(fd) != 0)
        abort();
}

/* The same for the file name in the data directory. */
static void put_data(const char *name, const void *s, size_t n)
{
    struct sbuf path = {0};

    sbuf_printf(&path, "%s/%s", data_dir.s, name);
    put(path.s, s, n);
    sbuf_free(&path);
}

/* The bytes of the file name in the data directory, or NULL when it
 * cannot be read. */
static char *get_data(const char *name, size_t *n)
{
    struct sbuf path = {0}, text = {0};
    char chunk[4096];
    size_t got;
    FILE *f;

    sbuf_printf(&path, "%s/%s", data_dir.s, name);
    f = fopen(path.s, "rb");
    sbuf_free(&path);
    if (!f)
        return NULL;
    while ((got = fread(chunk, 1, sizeof chunk, f)) > 0)
        sbuf_append(&text, chunk, got);
    fclose(f);
    *n = text.len;
    return text.s ? sbuf_detach(&text) : calloc(1, 1);
}

/* 1 if the coaching commands can use file k as it is now. */
static int usable(size_t k)
{
    struct sbuf why = {0};
    json_t *doc;
    int ok = store_read(data_dir.s, files[k].name, &doc, &why) == STORE_OK &&
             files[k].check(doc, kb, &why) == 0;

    json_decref(doc);
    sbuf_free(&why);
    return ok;
}

/* Run one command with args, its output in memory, and check that output:
 * JSON Lines, one JSON document (export), or text safe for a terminal. */
static void run(cmd_fn fn, int json, enum kb_level level, const char *const *args, int nargs)
{
    static char answers[] = "2\n\n5\n1\nq\n";
    struct cmd_ctx ctx = {.kb = kb, .level = level, .json = json, .render = {.width = 80},
                          .args = (char **)args, .nargs = nargs};
    char *buf = NULL;
    size_t len = 0;

    ctx.out = open_memstream(&buf, &len);
    ctx.in = fmemopen(answers, strlen(answers), "r");
    if (!ctx.out || !ctx.in)
        abort();
    fn(&ctx);
    if (fclose(ctx.out) != 0)
        abort();
    fclose(ctx.in);
    if (fn == coach_cmd_export)
        oracle_json_document(buf, len);
    else if (json)
        oracle_json_lines(buf, len);
    else
        oracle_text(buf, len, 0);
    free(buf);
}

/* Every coaching command that reads, as text and as JSON; then those that
 * write. A file that was unusable must come out of all of it unchanged. */
static void coach_all(size_t k, const uint8_t *text, size_t n, enum kb_level level)
{
    static const cmd_fn readers[] = {coach_cmd_profile, coach_cmd_plan, coach_cmd_progress};
    static const char *const step[] = {"2"}, *const set[] = {"set", "years=3"};
    int was_usable = usable(k);
    struct sbuf why = {0};
    char *after;
    size_t len = 0;

    for (size_t i = 0; i < sizeof readers / sizeof *readers; i++) {
        run(readers[i], 0, level, NULL, 0);
        run(readers[i], 1, level, NULL, 0);
    }
    run(coach_cmd_export, 1, level, NULL, 0);
    coach_default_level(kb, &why);
    sbuf_free(&why);
    for (int json = 0; json < 2; json++) {
        run(coach_cmd_done, json, level, step, 1);
        run(coach_cmd_profile, json, level, set, 2);
        run(coach_cmd_assess, json, level, NULL, 0);
    }
    after = get_data(files[k].name, &len);
    if (!was_usable && (!after || len != n || memcmp(after, text, n) != 0))
        abort();
    free(after);
}

/* Load the history, check what was kept, save it and load it again. */
static void history_round_trip(void)
{
    struct histfile h = {0}, again = {0};
    struct sbuf err = {0};
    int rc = histfile_load(&h, history, &err);

    if (rc < -1 || rc > 1 || h.n > HISTFILE_MAX)
        abort();
    for (size_t i = 0; i < h.n; i++)
        if (!h.lines[i][0] || strpbrk(h.lines[i], "\r\n"))
            abort();
    if (rc >= 0) {
        if (histfile_save(&h, history, &err) != 0 || histfile_load(&again, history, &err) != 0 ||
            again.n != h.n)
            abort();
        for (size_t i = 0; i < h.n; i++)
            if (strcmp(h.lines[i], again.lines[i]) != 0)
                abort();
    }
    histfile_free(&h);
    histfile_free(&again);
    sbuf_free(&err);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    size_t kind;
    enum kb_level level;

    if (size == 0)
        return 0;
    kind = data[0] % NKINDS;
    level = (enum kb_level)(data[0] / NKINDS % KB_NLEVELS);
    for (size_t k = 0; k < NFILES; k++)
        put_data(files[k].name, k == kind ? (const char *)data + 1 : files[k].valid,
                 k == kind ? size - 1 : strlen(files[k].valid));
    if (kind == AS_HISTORY) {
        put(history, data + 1, size - 1);
        history_round_trip();
    } else {
        coach_all(kind, data + 1, size - 1, level);
    }
    return 0;
}
