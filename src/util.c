/* util.c -- allocation helpers, struct sbuf, errors and mkdir -p, bounded
 * line reading. See include/util.h. */
#include "util.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

static void oom(size_t n)
{
    fprintf(stderr, "mlcoach: out of memory (%zu bytes)\n", n);
    abort();
}

void util_bug(const char *what)
{
    fprintf(stderr, "mlcoach: internal error: %s\n", what);
    abort();
}

void *xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p)
        oom(n);
    return p;
}

void *xcalloc(size_t count, size_t size)
{
    void *p = calloc(count ? count : 1, size ? size : 1);
    if (!p)
        oom(count * size);
    return p;
}

void *xrealloc(void *p, size_t n)
{
    p = realloc(p, n ? n : 1);
    if (!p)
        oom(n);
    return p;
}

char *xstrndup(const char *s, size_t n)
{
    char *d = xmalloc(n + 1);
    memcpy(d, s, n);
    d[n] = '\0';
    return d;
}

char *xstrdup(const char *s)
{
    return xstrndup(s, strlen(s));
}

void util_grow(void **items, size_t *cap, size_t need, size_t elem)
{
    size_t n = *cap ? *cap : 8;

    if (need <= *cap)
        return;
    while (n < need)
        n *= 2;
    *items = xrealloc(*items, n * elem);
    *cap = n;
}

int util_cannot_create(int err)
{
    switch (err) {
    case EACCES: case EPERM: case EROFS: case ENOTDIR: case EEXIST: case ENOENT: case ELOOP:
        return 1;
    default:
        return 0;
    }
}

int util_make_dirs(const char *dir, struct sbuf *failed)
{
    char *p = xstrdup(dir);
    struct stat st;
    int rc = 0, err = 0;

    /* Stop at the first component that fails, so the caller can name it.
     * An empty path fails in mkdir (ENOENT) before s is ever used. */
    for (char *s = *p ? strchr(p + 1, '/') : NULL;; s = strchr(s + 1, '/')) {
        if (s)
            *s = '\0';
        if (mkdir(p, 0700) == 0) {
            /* Only the umask can have taken bits away; none may be added. */
            if (chmod(p, 0700) != 0) {
                err = errno;
                rc = -1;
                break;
            }
        } else if (errno != EEXIST || stat(p, &st) != 0 || !S_ISDIR(st.st_mode)) {
            err = errno == EEXIST ? ENOTDIR : errno; /* something else is in the way */
            rc = -1;
            break;
        }
        if (!s)
            break;
        *s = '/';
    }
    if (rc != 0)
        sbuf_puts(failed, p);
    free(p);
    errno = err;
    return rc;
}

double util_lock_timeout(void)
{
    const char *v = getenv("MLCOACH_LOCK_TIMEOUT");
    char *end;
    double t;

    if (!v || !*v)
        return UTIL_LOCK_TIMEOUT;
    t = strtod(v, &end);
    return *end || !(t >= 0 && t <= 86400) ? UTIL_LOCK_TIMEOUT : t;
}

/* 1 if fd is still the file at path (not removed or replaced). */
static int still_there(int fd, const char *path)
{
    struct stat a, b;

    return fstat(fd, &a) == 0 && lstat(path, &b) == 0 && a.st_dev == b.st_dev &&
           a.st_ino == b.st_ino;
}

static volatile sig_atomic_t lock_timed_out;

static void on_lock_alarm(int sig)
{
    (void)sig;
    lock_timed_out = 1;
}

/* flock(fd, LOCK_EX), given up when SIGALRM has said the time is over. The
 * alarm repeats, so one that came just before flock() was entered is
 * followed by another that interrupts it. */
static int wait_for_lock(int fd)
{
    while (flock(fd, LOCK_EX) != 0) {
        if (errno != EINTR)
            return -1;
        if (lock_timed_out) {
            errno = EWOULDBLOCK;
            return -1;
        }
    }
    return 0;
}

int util_lock(const char *path)
{
    /* A blocking flock woken by the kernel the moment the lock is free,
     * with a timer to end the wait, as flock(1) -w does. The REPL blocks
     * SIGALRM nowhere; it is unblocked here and everything is restored. */
    double t = util_lock_timeout();
    struct itimerval timer = {{0, 50 * 1000},
                              {(time_t)t, (suseconds_t)((t - (double)(time_t)t) * 1e6)}};
    struct itimerval old_timer;
    struct sigaction sa = {0}, old_sa;
    sigset_t alrm, old_mask;
    int fd = -1, locked, err;

    if (timer.it_value.tv_sec == 0 && timer.it_value.tv_usec == 0)
        timer.it_value.tv_usec = 1; /* 0 would switch the timer off */
    sa.sa_handler = on_lock_alarm; /* no SA_RESTART: flock must return */
    sigemptyset(&sa.sa_mask);
    sigemptyset(&alrm);
    sigaddset(&alrm, SIGALRM);
    lock_timed_out = 0;
    sigaction(SIGALRM, &sa, &old_sa);
    sigprocmask(SIG_UNBLOCK, &alrm, &old_mask);
    setitimer(ITIMER_REAL, &timer, &old_timer);
    for (;;) {
        fd = open(path, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600);
        if (fd < 0)
            break;
        locked = wait_for_lock(fd) == 0;
        if (locked && still_there(fd, path))
            break;
        util_unlock(fd); /* forget removed it while we waited: lock the new one */
        fd = -1;
        if (!locked)
            break;
    }
    err = errno;
    setitimer(ITIMER_REAL, &old_timer, NULL);
    sigaction(SIGALRM, &old_sa, NULL);
    sigprocmask(SIG_SETMASK, &old_mask, NULL);
    errno = err;
    return fd;
}

void util_unlock(int fd)
{
    int err = errno;

    if (fd >= 0)
        close(fd);
    errno = err;
}

int util_sync_dir(const char *dir)
{
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC), rc, err;

    if (fd < 0)
        return -1;
    rc = fsync(fd);
    /* Some file systems cannot sync a directory; the rename still stands. */
    if (rc != 0 && (errno == EINVAL || errno == ENOTSUP))
        rc = 0;
    err = errno;
    close(fd);
    errno = err;
    return rc;
}

void sbuf_append(struct sbuf *b, const char *s, size_t n)
{
    util_grow((void **)&b->s, &b->cap, b->len + n + 1, 1);
    memcpy(b->s + b->len, s, n);
    b->len += n;
    b->s[b->len] = '\0';
}

void sbuf_puts(struct sbuf *b, const char *s)
{
    sbuf_append(b, s, strlen(s));
}

void sbuf_putc(struct sbuf *b, char c)
{
    sbuf_append(b, &c, 1);
}

void sbuf_vprintf(struct sbuf *b, const char *fmt, va_list ap)
{
    va_list again;
    int n;

    va_copy(again, ap);
    n = vsnprintf(NULL, 0, fmt, ap);
    if (n < 0) {
        va_end(again);
        return;
    }
    util_grow((void **)&b->s, &b->cap, b->len + (size_t)n + 1, 1);
    vsnprintf(b->s + b->len, (size_t)n + 1, fmt, again);
    va_end(again);
    b->len += (size_t)n;
}

void sbuf_printf(struct sbuf *b, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    sbuf_vprintf(b, fmt, ap);
    va_end(ap);
}

void sbuf_reset(struct sbuf *b)
{
    b->len = 0;
    if (b->s)
        b->s[0] = '\0';
}

char *sbuf_detach(struct sbuf *b)
{
    char *s = b->s ? b->s : xstrdup("");

    b->s = NULL;
    b->len = b->cap = 0;
    return s;
}

void sbuf_free(struct sbuf *b)
{
    free(b->s);
    b->s = NULL;
    b->len = b->cap = 0;
}

/* Wait until in's descriptor has input (or its end) to read. */
static int wait_readable(FILE *in)
{
    struct pollfd p = {.fd = fileno(in), .events = POLLIN};

    while (poll(&p, 1, -1) < 0)
        if (errno != EINTR)
            return -1;
    return 0;
}

ssize_t util_getline(char **line, size_t *cap, FILE *in, size_t max)
{
    size_t len = 0;
    int c;

    if (*cap == 0 || !*line) {
        *cap = 128;
        *line = xrealloc(*line, *cap);
    }
    for (;;) {
        c = getc_unlocked(in);
        /* A non-blocking descriptor has nothing yet: wait, then go on. */
        if (c == EOF && ferror(in) && (errno == EAGAIN || errno == EWOULDBLOCK) &&
            wait_readable(in) == 0) {
            clearerr(in);
            continue;
        }
        if (c == EOF || c == '\n')
            break;
        if (len < max) {
            if (len + 1 >= *cap) {
                *cap = *cap * 2 > max + 1 ? max + 1 : *cap * 2;
                *line = xrealloc(*line, *cap);
            }
            (*line)[len] = (char)c;
        }
        if (len < (size_t)SSIZE_MAX)
            len++;
    }
    (*line)[len < max ? len : max] = '\0';
    if (c == EOF && (len == 0 || ferror(in)))
        return -1;
    return (ssize_t)len;
}
