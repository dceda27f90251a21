/* fault.c -- failures on demand for the CLI tests, as an LD_PRELOAD
 * library (BUILD_DIR/libfault.so): the disk filling up, a directory that
 * cannot be synced or changed, a slow rename. Each is switched on by an
 * environment variable and touches only the calls it names:
 *   FAULT_ENOSPC=TEXT  write() to a file whose path holds TEXT fails, ENOSPC
 *   FAULT_DIRSYNC=1    fsync() of a directory fails, EIO
 *   FAULT_EROFS=TEXT   unlink() of a path holding TEXT fails, EROFS (as on a
 *                      read-only file system, whether the file is there or not)
 *   FAULT_RENAME_DELAY=SECONDS  rename() waits that long first
 *   FAULT_NONBLOCK_STDIN=1  standard input is put in non-blocking mode
 *                      before main() runs
 * The sanitizer builds intercept these calls themselves, so tests that use
 * this library skip themselves there (SANITIZED=1).
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* Store the real function called name in *fn (a function pointer; the
 * copy is how POSIX says to turn dlsym's answer into one). */
static void real(const char *name, void *fn)
{
    void *p = dlsym(RTLD_NEXT, name);

    if (!p)
        abort();
    memcpy(fn, &p, sizeof p);
}

/* 1 if the file open on fd has a path that holds text. */
static int fd_path_has(int fd, const char *text)
{
    char link[64], path[PATH_MAX];
    ssize_t n;

    snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
    n = readlink(link, path, sizeof path - 1);
    if (n < 0)
        return 0;
    path[n] = '\0';
    return strstr(path, text) != NULL;
}

ssize_t write(int fd, const void *buf, size_t n)
{
    static ssize_t (*next)(int, const void *, size_t);
    const char *text = getenv("FAULT_ENOSPC");

    if (!next)
        real("write", &next);
    if (text && *text && fd_path_has(fd, text)) {
        errno = ENOSPC;
        return -1;
    }
    return next(fd, buf, n);
}

int fsync(int fd)
{
    static int (*next)(int);
    const char *on = getenv("FAULT_DIRSYNC");
    struct stat st;

    if (!next)
        real("fsync", &next);
    if (on && *on == '1' && fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
        errno = EIO;
        return -1;
    }
    return next(fd);
}

int unlink(const char *path)
{
    static int (*next)(const char *);
    const char *text = getenv("FAULT_EROFS");

    if (!next)
        real("unlink", &next);
    if (text && *text && strstr(path, text)) {
        errno = EROFS;
        return -1;
    }
    return next(path);
}

int rename(const char *from, const char *to)
{
    static int (*next)(const char *, const char *);
    const char *delay = getenv("FAULT_RENAME_DELAY");

    if (!next)
        real("rename", &next);
    if (delay && *delay) {
        double s = atof(delay);
        struct timespec ts = {(time_t)s, (long)((s - (double)(time_t)s) * 1e9)};

        nanosleep(&ts, NULL);
    }
    return next(from, to);
}

__attribute__((constructor)) static void nonblocking_stdin(void)
{
    const char *on = getenv("FAULT_NONBLOCK_STDIN");
    int flags = fcntl(0, F_GETFL);

    if (on && *on == '1' && flags >= 0)
        fcntl(0, F_SETFL, flags | O_NONBLOCK);
}
