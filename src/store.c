/* store.c -- crash-safe personal files. See include/store.h for the rules.
 *
 * Start at store_write(): it checks the file already there (store_read),
 * creates the directory, writes a temporary file (write_temp), renames it
 * over the old one and syncs the directory. Writers take turns through
 * store_lock(); each also holds an flock on its temporary file until the
 * rename is done, so sweep_temps() can tell a killed writer's leftovers
 * (unlocked) from a live writer's file (locked), even one of an older
 * mlcoach that took no directory lock.
 */
#include "store.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define TEMP_MARK ".tmp-"

int store_dir(struct sbuf *dir, struct sbuf *why)
{
    const char *xdg = getenv("XDG_DATA_HOME"), *home = getenv("HOME");

    sbuf_reset(dir);
    if (xdg && xdg[0] == '/') {
        sbuf_printf(dir, "%s/mlcoach", xdg);
        return 0;
    }
    if (home && home[0] == '/') {
        sbuf_printf(dir, "%s/.local/share/mlcoach", home);
        return 0;
    }
    sbuf_puts(why, "no data directory: set HOME or XDG_DATA_HOME to an absolute path");
    return -1;
}

static void path_of(struct sbuf *path, const char *dir, const char *name)
{
    sbuf_reset(path);
    sbuf_printf(path, "%s/%s", dir, name);
}

/* Read all of fd (a regular file of at most STORE_MAX_READ bytes) into *b. */
static int read_all(int fd, struct sbuf *b)
{
    char chunk[4096];
    ssize_t got;

    while ((got = read(fd, chunk, sizeof chunk)) != 0) {
        if (got < 0 && errno == EINTR)
            continue;
        if (got < 0)
            return -1;
        sbuf_append(b, chunk, (size_t)got);
        if (b->len > STORE_MAX_READ)
            return 1;
    }
    return 0;
}

/* Open path for reading without following a link and read it into *text. */
static enum store_status load_text(const char *path, struct sbuf *text, struct sbuf *why)
{
    int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
    struct stat st;
    int rc;

    if (fd < 0 && (errno == ENOENT || errno == ENOTDIR))
        return STORE_ABSENT;
    if (fd < 0 && errno == ELOOP) {
        sbuf_printf(why, "%s: is a symbolic link, which mlcoach does not follow for personal "
                         "files", path);
        return STORE_DAMAGED;
    }
    if (fd < 0) {
        sbuf_printf(why, "%s: cannot open: %s", path, strerror(errno));
        return STORE_IOERR;
    }
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        close(fd);
        sbuf_printf(why, "%s: not a regular file", path);
        return STORE_DAMAGED;
    }
    rc = read_all(fd, text);
    if (rc < 0)
        sbuf_printf(why, "%s: cannot read: %s", path, strerror(errno));
    else if (rc > 0)
        sbuf_printf(why, "%s: larger than %u MiB, so not a file mlcoach wrote", path,
                    STORE_MAX_READ >> 20);
    close(fd);
    return rc < 0 ? STORE_IOERR : rc > 0 ? STORE_DAMAGED : STORE_OK;
}

/* Check the parsed document's shape and version. */
static enum store_status check_version(const char *path, const json_t *doc, struct sbuf *why)
{
    json_t *v = json_is_object(doc) ? json_object_get(doc, "version") : NULL;

    if (!json_is_object(doc)) {
        sbuf_printf(why, "%s: damaged: not a JSON object", path);
        return STORE_DAMAGED;
    }
    if (!json_is_integer(v) || json_integer_value(v) < 1) {
        sbuf_printf(why, "%s: damaged: no valid \"version\"", path);
        return STORE_DAMAGED;
    }
    if (json_integer_value(v) > STORE_VERSION) {
        sbuf_printf(why, "%s: written by a newer mlcoach (format version %lld; this one reads "
                         "version %d)", path, (long long)json_integer_value(v), STORE_VERSION);
        return STORE_NEWER;
    }
    return STORE_OK;
}

enum store_status store_read(const char *dir, const char *name, json_t **doc,
                             struct sbuf *why)
{
    struct sbuf path = {0}, text = {0};
    json_error_t err;
    enum store_status st;

    *doc = NULL;
    path_of(&path, dir, name);
    st = load_text(path.s, &text, why);
    if (st == STORE_OK) {
        *doc = json_loadb(text.s ? text.s : "", text.len, JSON_REJECT_DUPLICATES, &err);
        if (!*doc) {
            sbuf_printf(why, "%s: damaged: line %d, column %d: %s", path.s, err.line,
                        err.column, err.text);
            st = STORE_DAMAGED;
        } else {
            st = check_version(path.s, *doc, why);
        }
    }
    if (st != STORE_OK && *doc) {
        json_decref(*doc);
        *doc = NULL;
    }
    sbuf_free(&path);
    sbuf_free(&text);
    return st;
}

/* errno after a failed create: permissions and non-directories are
 * "cannot create"; anything else is an I/O error. */
static enum store_status create_status(int err)
{
    return util_cannot_create(err) ? STORE_CANTCREATE : STORE_IOERR;
}

/* mkdir -p with mode 0700 for every directory it creates. */
static enum store_status make_dirs(const char *dir, struct sbuf *why)
{
    struct sbuf failed = {0};
    enum store_status st = STORE_OK;

    if (util_make_dirs(dir, &failed) != 0) {
        int err = errno;

        sbuf_printf(why, "%s: cannot create the data directory: %s", failed.s, strerror(err));
        st = create_status(err);
    }
    sbuf_free(&failed);
    return st;
}

enum store_status store_lock(const char *dir, int *fd, struct sbuf *why)
{
    struct sbuf path = {0};
    enum store_status st = make_dirs(dir, why);

    *fd = -1;
    if (st != STORE_OK)
        return st;
    path_of(&path, dir, STORE_LOCK_FILE);
    /* forget may remove the directory while we wait: make it again. */
    for (int tries = 0; (*fd = util_lock(path.s)) < 0 && errno == ENOENT && tries < 3; tries++)
        if ((st = make_dirs(dir, why)) != STORE_OK)
            break;
    if (st != STORE_OK) {
        sbuf_free(&path);
        return st;
    }
    if (*fd < 0 && errno == EWOULDBLOCK) {
        sbuf_printf(why, "%s: another mlcoach kept your personal files locked for %g "
                         "seconds; try again", path.s, util_lock_timeout());
        st = STORE_BUSY;
    } else if (*fd < 0) {
        sbuf_printf(why, "%s: cannot create the lock file: %s", path.s, strerror(errno));
        st = create_status(errno);
    }
    sbuf_free(&path);
    return st;
}

void store_unlock(int fd)
{
    util_unlock(fd);
}

static int write_all(int fd, const char *s, size_t n)
{
    while (n) {
        ssize_t put = write(fd, s, n);

        if (put < 0 && errno == EINTR)
            continue;
        if (put < 0)
            return -1;
        s += put;
        n -= (size_t)put;
    }
    return 0;
}

/* Create a new temporary file for dir/name, named ".NAME.tmp-PID-N", locked
 * with flock until it is closed. Returns the fd or -1 (errno set). */
static int open_temp(const char *dir, const char *name, struct sbuf *tmp)
{
    static unsigned counter;
    struct timespec ts;

    clock_gettime(CLOCK_REALTIME, &ts);
    for (int tries = 0; tries < 100; tries++) {
        int fd;

        sbuf_reset(tmp);
        sbuf_printf(tmp, "%s/.%s" TEMP_MARK "%ld-%lx%u", dir, name, (long)getpid(),
                    (unsigned long)ts.tv_nsec, counter++);
        fd = open(tmp->s, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
        if (fd >= 0) {
            /* The umask may have removed bits the owner needs. */
            if (fchmod(fd, 0600) != 0 || flock(fd, LOCK_EX | LOCK_NB) != 0) {
                int err = errno;

                close(fd);
                unlink(tmp->s);
                errno = err;
                return -1;
            }
            return fd;
        }
        if (errno != EEXIST)
            return -1;
    }
    return -1;
}

/* Close fd, keeping errno from what failed before. */
static void close_keep_errno(int fd)
{
    int err = errno;

    close(fd);
    errno = err;
}

/* Write text to fd (the temporary file tmp), sync it and rename it over
 * path, closing fd only then: its flock tells sweep_temps() it is not a
 * leftover until the rename is done. Returns NULL, or what failed (errno
 * set); fd is closed either way. */
static const char *commit_temp(int fd, const char *tmp, const char *path, const char *text)
{
    const char *failed = NULL;

    if (write_all(fd, text, strlen(text)) != 0)
        failed = "cannot write";
    else if (fsync(fd) != 0)
        failed = "cannot sync";
    else if (rename(tmp, path) != 0)
        failed = "cannot rename the temporary file over it";
    if (failed) {
        close_keep_errno(fd);
        return failed;
    }
    /* The data is synced and renamed: close cannot lose it now. */
    close(fd);
    return NULL;
}

/* Write text to a new temporary file, rename it over path and sync dir. */
static enum store_status write_temp(const char *dir, const char *name, const char *path,
                                    const char *text, struct sbuf *why)
{
    struct sbuf tmp = {0};
    int fd = open_temp(dir, name, &tmp);
    const char *failed;
    enum store_status st = STORE_OK;

    if (fd < 0) {
        st = create_status(errno);
        sbuf_printf(why, "%s: cannot create a temporary file next to it: %s", path,
                    strerror(errno));
    } else if ((failed = commit_temp(fd, tmp.s, path, text))) {
        st = STORE_IOERR;
        sbuf_printf(why, "%s: %s: %s", path, failed, strerror(errno));
        unlink(tmp.s);
    } else if (util_sync_dir(dir) != 0) {
        /* The new file is in place; only its survival of a crash is unsure. */
        st = STORE_UNSYNCED;
        sbuf_printf(why, "%s: saved, but the directory %s cannot be synced (%s), so a crash "
                         "could still undo it", path, dir, strerror(errno));
    }
    sbuf_free(&tmp);
    return st;
}

/* Remove the temporary files of name that no live writer holds. With all
 * set, remove them even if locked (forget deletes everything). */
static void sweep_temps(const char *dir, const char *name, int all)
{
    DIR *d = opendir(dir);
    struct sbuf prefix = {0}, path = {0};
    struct dirent *de;

    if (!d)
        return;
    sbuf_printf(&prefix, ".%s" TEMP_MARK, name);
    while ((de = readdir(d))) {
        int fd;

        if (strncmp(de->d_name, prefix.s, prefix.len) != 0)
            continue;
        path_of(&path, dir, de->d_name);
        fd = open(path.s, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
        if (fd >= 0 && (all || flock(fd, LOCK_EX | LOCK_NB) == 0))
            unlink(path.s);
        else if (fd < 0 && all)
            unlink(path.s);
        if (fd >= 0)
            close(fd);
    }
    closedir(d);
    sbuf_free(&prefix);
    sbuf_free(&path);
}

enum store_status store_write(const char *dir, const char *name, json_t *doc,
                              struct sbuf *why)
{
    struct sbuf path = {0};
    json_t *old = NULL, *versioned;
    enum store_status st = store_read(dir, name, &old, why);
    char *text;

    json_decref(old);
    if (st == STORE_DAMAGED || st == STORE_NEWER)
        sbuf_puts(why, "; it was left untouched");
    if (st != STORE_OK && st != STORE_ABSENT)
        return st;
    st = make_dirs(dir, why);
    if (st != STORE_OK)
        return st;
    /* The version goes first, so a reader sees it at the top of the file. */
    versioned = json_pack("{s:i}", "version", STORE_VERSION);
    json_object_update(versioned, doc);
    json_object_set_new(versioned, "version", json_integer(STORE_VERSION));
    text = json_dumps(versioned, JSON_INDENT(2));
    json_decref(versioned);
    path_of(&path, dir, name);
    if (!text) {
        sbuf_printf(why, "%s: cannot encode the data as JSON", path.s);
        st = STORE_IOERR;
    } else if (strlen(text) + 1 > STORE_MAX_FILE) {
        /* A file this size would be refused by the next read. */
        sbuf_printf(why, "%s: the new file would be larger than %u MiB", path.s,
                    STORE_MAX_FILE >> 20);
        st = STORE_IOERR;
    } else {
        struct sbuf body = {0};

        sbuf_printf(&body, "%s\n", text);
        st = write_temp(dir, name, path.s, body.s, why);
        sbuf_free(&body);
    }
    if (st == STORE_OK || st == STORE_UNSYNCED)
        sweep_temps(dir, name, 0);
    free(text);
    sbuf_free(&path);
    return st;
}

/* 1 if there is nothing at path (errno is kept). */
static int absent(const char *path)
{
    struct stat st;
    int err = errno, none = lstat(path, &st) != 0 && (errno == ENOENT || errno == ENOTDIR);

    errno = err;
    return none;
}

enum store_status store_remove(const char *dir, const char *name, int *removed,
                               struct sbuf *why)
{
    struct sbuf path = {0};
    enum store_status st = STORE_OK;

    *removed = 0;
    path_of(&path, dir, name);
    if (unlink(path.s) == 0) {
        *removed = 1;
    } else if (errno != ENOENT && errno != ENOTDIR && !absent(path.s)) {
        /* A read-only file system says EROFS even for a file that is not
         * there: only one that is there "cannot be deleted". */
        sbuf_printf(why, "%s: cannot delete: %s", path.s, strerror(errno));
        st = STORE_IOERR;
    }
    sweep_temps(dir, name, 1);
    if (st == STORE_OK && *removed && util_sync_dir(dir) != 0) {
        sbuf_printf(why, "%s: cannot sync the directory: %s", dir, strerror(errno));
        st = STORE_IOERR;
    }
    sbuf_free(&path);
    return st;
}

void store_remove_dir(const char *dir)
{
    struct sbuf path = {0};

    path_of(&path, dir, STORE_LOCK_FILE);
    unlink(path.s);
    rmdir(dir);
    sbuf_free(&path);
}
