/* histfile.c -- reading, merging and atomically writing the plain-text
 * history file. See include/histfile.h; start at histfile_save(), the part
 * that must not lose a user's history when the disk fills, the power goes
 * or another session saves at the same time.
 */
#include "histfile.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <utf8proc.h>

char *histfile_path(const char *xdg_state_home, const char *home)
{
    struct sbuf b = {0};

    /* The XDG spec says a relative path in these variables is invalid. */
    if (xdg_state_home && xdg_state_home[0] == '/')
        sbuf_printf(&b, "%s/mlcoach/history", xdg_state_home);
    else if (home && home[0] == '/')
        sbuf_printf(&b, "%s/.local/state/mlcoach/history", home);
    else
        return NULL;
    return sbuf_detach(&b);
}

/* Drop the oldest entries so that at most max remain. */
static void keep_newest(struct histfile *h, size_t max)
{
    size_t drop;

    if (h->n <= max)
        return;
    drop = h->n - max;
    for (size_t i = 0; i < drop; i++)
        free(h->lines[i]);
    memmove(h->lines, h->lines + drop, max * sizeof *h->lines);
    h->n = max;
    if (h->fresh > max)
        h->fresh = max;
}

/* histfile_add without the trimming, which the caller does. Returns 1 if
 * the line was added. */
static int append(struct histfile *h, const char *line, size_t len)
{
    char *copy;

    while (len && strchr(" \t\r\n", line[len - 1]))
        len--;
    if (!len)
        return 0;
    copy = xstrndup(line, len);
    for (char *p = copy; *p; p++)
        if (*p == '\n' || *p == '\r')
            *p = ' ';
    if (h->n && strcmp(h->lines[h->n - 1], copy) == 0) {
        free(copy);
        return 0;
    }
    util_grow((void **)&h->lines, &h->cap, h->n + 1, sizeof *h->lines);
    h->lines[h->n++] = copy;
    return 1;
}

void histfile_add(struct histfile *h, const char *line, size_t len)
{
    h->fresh += (size_t)append(h, line, len);
    keep_newest(h, HISTFILE_MAX);
}

/* 1 if the len bytes at s are valid UTF-8 with no NUL byte. */
static int valid_line(const char *s, size_t len)
{
    utf8proc_int32_t cp;

    while (len) {
        utf8proc_ssize_t n = utf8proc_iterate((const utf8proc_uint8_t *)s, (utf8proc_ssize_t)len,
                                              &cp);
        if (n <= 0 || cp == 0)
            return 0;
        s += n;
        len -= (size_t)n;
    }
    return 1;
}

/* Open path for reading as a regular file of at most HISTFILE_MAX_BYTES,
 * without following a link or waiting on a FIFO. Returns 0 with *f the
 * stream, or NULL when there is no history yet; -1 with *err filled. */
static int open_history(const char *path, FILE **f, struct sbuf *err)
{
    int fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
    struct stat st;

    *f = NULL;
    if (fd < 0 && (errno == ENOENT || errno == ENOTDIR))
        return 0; /* the directory is made when the history is saved */
    if (fd < 0 && errno == ELOOP)
        sbuf_printf(err, "history %s is a symbolic link, which mlcoach does not follow", path);
    else if (fd < 0)
        sbuf_printf(err, "cannot read history %s: %s", path, strerror(errno));
    else if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode))
        sbuf_printf(err, "history %s is not a regular file", path);
    else if (st.st_size > HISTFILE_MAX_BYTES)
        sbuf_printf(err, "history %s is larger than %d MiB, so not one mlcoach wrote", path,
                    HISTFILE_MAX_BYTES >> 20);
    else if (!(*f = fdopen(fd, "r")))
        sbuf_printf(err, "cannot read history %s: %s", path, strerror(errno));
    if (!*f && fd >= 0)
        close(fd);
    return *f ? 0 : -1;
}

int histfile_load(struct histfile *h, const char *path, struct sbuf *err)
{
    FILE *f;
    char *line = NULL;
    size_t cap = 0, damaged = 0;
    ssize_t got;
    int rc = 0;

    if (open_history(path, &f, err) != 0)
        return -1;
    if (!f)
        return 0;
    errno = 0;
    while ((got = getline(&line, &cap, f)) >= 0) {
        size_t len = (size_t)got;

        while (len && (line[len - 1] == '\n' || line[len - 1] == '\r'))
            len--;
        if (valid_line(line, len))
            append(h, line, len);
        else
            damaged++;
        /* Trim now and then, not on every line: a file of many short lines
         * must not cost a move of HISTFILE_MAX entries each. */
        if (h->n >= 2 * HISTFILE_MAX)
            keep_newest(h, HISTFILE_MAX);
    }
    keep_newest(h, HISTFILE_MAX);
    if (ferror(f)) {
        sbuf_printf(err, "cannot read history %s: %s", path, strerror(errno ? errno : EIO));
        rc = -1;
    } else if (damaged) {
        sbuf_printf(err, "history %s: skipped %zu damaged line%s", path, damaged,
                    damaged == 1 ? "" : "s");
        rc = 1;
    }
    free(line);
    fclose(f);
    return rc;
}

/* Create every missing directory above the file at path, mode 0700. */
static int make_parents(const char *path, struct sbuf *err)
{
    char *dir = xstrndup(path, (size_t)(strrchr(path, '/') - path));
    struct sbuf failed = {0};
    int rc = util_make_dirs(dir, &failed), e = errno;

    if (rc != 0)
        sbuf_printf(err, "cannot create %s: %s", failed.s, strerror(e));
    sbuf_free(&failed);
    free(dir);
    errno = e;
    return rc;
}

/* Write every entry to fd, then flush it to the disk. */
static int write_all(int fd, const struct histfile *h)
{
    struct sbuf b = {0};
    size_t off = 0;
    int rc = 0;

    for (size_t i = 0; i < h->n; i++)
        sbuf_printf(&b, "%s\n", h->lines[i]);
    while (off < b.len && rc == 0) {
        ssize_t w = write(fd, b.s + off, b.len - off);

        if (w < 0 && errno != EINTR)
            rc = -1;
        else if (w > 0)
            off += (size_t)w;
    }
    sbuf_free(&b);
    return rc == 0 ? fsync(fd) : -1;
}

/* The directory of path and its last component, as new strings. */
static void split_path(const char *path, char **dir, char **base)
{
    const char *slash = strrchr(path, '/');

    *dir = xstrndup(path, (size_t)(slash - path));
    *base = xstrdup(slash + 1);
}

/* Write h to path through a temporary file (mkstemp's path.XXXXXX), then
 * rename it over path and sync the directory. */
static int write_atomically(const struct histfile *h, const char *path, const char *dir,
                            struct sbuf *err)
{
    struct sbuf tmp = {0};
    int fd, rc = -1, e = 0;

    sbuf_printf(&tmp, "%s.XXXXXX", path);
    fd = mkstemp(tmp.s);
    if (fd < 0) {
        e = errno;
        sbuf_printf(err, "cannot save history in %s: %s", tmp.s, strerror(e));
        sbuf_free(&tmp);
        errno = e;
        return -1;
    }
    /* mkstemp already makes 0600; fchmod says so whatever the umask did. */
    if (fchmod(fd, 0600) != 0 || write_all(fd, h) != 0) {
        e = errno;
        close(fd);
    } else if (close(fd) == 0 && rename(tmp.s, path) == 0) {
        rc = 0;
    } else {
        e = errno;
    }
    if (rc == 0 && util_sync_dir(dir) != 0) {
        e = errno; /* the new file is in place, but may not survive a crash */
        sbuf_printf(err, "history %s saved, but its directory cannot be synced: %s", path,
                    strerror(e));
        rc = -1;
    } else if (rc != 0) {
        sbuf_printf(err, "cannot save history %s: %s", path, strerror(e));
        unlink(tmp.s);
    }
    sbuf_free(&tmp);
    errno = e;
    return rc;
}

/* Remove what saves killed half-way left: base.XXXXXX (mkstemp's six
 * letters or digits) in dir. Only called under the lock, so no such file
 * belongs to a save still running. */
static void sweep_leftovers(const char *dir, const char *base)
{
    size_t n = strlen(base);
    struct sbuf path = {0};
    struct dirent *de;
    DIR *d = opendir(dir);

    while (d && (de = readdir(d))) {
        const char *tail = de->d_name + n + 1;
        int ours = strncmp(de->d_name, base, n) == 0 && de->d_name[n] == '.' &&
                   strlen(tail) == 6;

        for (size_t i = 0; ours && i < 6; i++)
            ours = isalnum((unsigned char)tail[i]);
        if (!ours)
            continue;
        sbuf_reset(&path);
        sbuf_printf(&path, "%s/%s", dir, de->d_name);
        unlink(path.s);
    }
    if (d)
        closedir(d);
    sbuf_free(&path);
}

/* Under the lock: the file as it is now, with h's fresh lines appended. */
static int merge_and_write(struct histfile *h, const char *path, const char *dir,
                           const char *base, struct sbuf *err)
{
    struct histfile merged = {0};
    struct sbuf why = {0};
    int rc = -1;

    if (histfile_load(&merged, path, &why) < 0) {
        /* Never replace what cannot be read (a link put there, say). */
        sbuf_printf(err, "%s; the history was not saved", why.s);
        errno = EIO;
    } else {
        for (size_t i = h->n - h->fresh; i < h->n; i++)
            append(&merged, h->lines[i], strlen(h->lines[i]));
        keep_newest(&merged, HISTFILE_MAX);
        rc = write_atomically(&merged, path, dir, err);
        sweep_leftovers(dir, base);
        if (rc == 0)
            h->fresh = 0;
    }
    histfile_free(&merged);
    sbuf_free(&why);
    return rc;
}

int histfile_save(struct histfile *h, const char *path, struct sbuf *err)
{
    struct sbuf lock = {0};
    char *dir, *base;
    int fd, rc = -1, e;

    if (make_parents(path, err) != 0)
        return -1;
    split_path(path, &dir, &base);
    sbuf_printf(&lock, "%s/.%s.lock", dir, base);
    fd = util_lock(lock.s);
    if (fd < 0) {
        e = errno;
        if (e == EWOULDBLOCK)
            sbuf_printf(err, "cannot save history %s: another mlcoach session kept it locked "
                             "for %g seconds", path, util_lock_timeout());
        else
            sbuf_printf(err, "cannot save history %s: cannot create %s: %s", path, lock.s,
                        strerror(e));
    } else {
        rc = merge_and_write(h, path, dir, base, err);
        e = errno;
        util_unlock(fd);
    }
    free(dir);
    free(base);
    sbuf_free(&lock);
    errno = e;
    return rc;
}

int histfile_remove(const char *path, int *removed, struct sbuf *err)
{
    struct sbuf lock = {0};
    struct stat st;
    char *dir, *base;
    int fd, rc = 0, e = 0;

    *removed = 0;
    split_path(path, &dir, &base);
    sbuf_printf(&lock, "%s/.%s.lock", dir, base);
    if (stat(dir, &st) != 0 && (errno == ENOENT || errno == ENOTDIR)) {
        /* no directory: nothing to delete, nothing to lock */
    } else if ((fd = util_lock(lock.s)) < 0) {
        e = errno;
        sbuf_printf(err, "cannot delete history %s: %s", path,
                    e == EWOULDBLOCK ? "another mlcoach session keeps it locked" : strerror(e));
        rc = -1;
    } else {
        if (unlink(path) == 0)
            *removed = 1;
        else if (errno != ENOENT && (e = errno, lstat(path, &st) == 0)) {
            sbuf_printf(err, "%s: cannot delete: %s", path, strerror(e));
            rc = -1;
        } else {
            e = 0; /* a read-only file system's EROFS for a file not there */
        }
        sweep_leftovers(dir, base);
        if (rc == 0 && *removed && util_sync_dir(dir) != 0) {
            e = errno;
            sbuf_printf(err, "%s: cannot sync the directory: %s", dir, strerror(e));
            rc = -1;
        }
        if (rc == 0)
            unlink(lock.s);
        util_unlock(fd);
        if (rc == 0)
            rmdir(dir); /* only when empty: other files there are not ours */
    }
    free(dir);
    free(base);
    sbuf_free(&lock);
    errno = e;
    return rc;
}

void histfile_free(struct histfile *h)
{
    for (size_t i = 0; i < h->n; i++)
        free(h->lines[i]);
    free(h->lines);
    *h = (struct histfile){0};
}
