/* util.h -- allocation helpers, a growable byte buffer, errors and mkdir -p,
 * and bounded line reading.
 *
 * The x* allocators abort on out-of-memory, so no caller checks for NULL.
 * struct sbuf is the one string builder every module uses; its contents are
 * always NUL-terminated.
 */
#ifndef MLCOACH_UTIL_H
#define MLCOACH_UTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <sys/types.h>

#if defined(__GNUC__)
#define UTIL_PRINTF(a, b) __attribute__((format(printf, a, b)))
#else
#define UTIL_PRINTF(a, b)
#endif

/* ---- Allocation: abort with a message on failure, never return NULL. ---- */
void *xmalloc(size_t n);
void *xcalloc(size_t count, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);

/* A bug, not a condition to handle (the lock not held where a file is
 * written, a string jansson cannot encode): say what, on stderr, and
 * abort, so that a fuzzer or a test sees it. */
void util_bug(const char *what) __attribute__((noreturn));

/* A hash of the len bytes at s (FNV-1a), for small tables of words. Inline:
 * every word of every question is hashed a few times. */
static inline unsigned util_hash(const char *s, size_t len)
{
    unsigned h = 2166136261u;

    for (size_t i = 0; i < len; i++)
        h = (h ^ (unsigned char)s[i]) * 16777619u;
    return h;
}

/* Grow *items (of *cap elements of size elem) so that it holds at least need
 * elements; doubles the capacity. */
void util_grow(void **items, size_t *cap, size_t need, size_t elem);

/* ---- Growable buffer. Zero-initialise (struct sbuf b = {0}) before use; ----
 * sbuf_free releases it. b.s is NULL until something is appended. */
struct sbuf {
    char *s;
    size_t len, cap;
};

void sbuf_append(struct sbuf *b, const char *s, size_t n);
void sbuf_puts(struct sbuf *b, const char *s);
void sbuf_putc(struct sbuf *b, char c);
void sbuf_printf(struct sbuf *b, const char *fmt, ...) UTIL_PRINTF(2, 3);
void sbuf_vprintf(struct sbuf *b, const char *fmt, va_list ap) UTIL_PRINTF(2, 0);
/* Empty the buffer but keep its memory for reuse. */
void sbuf_reset(struct sbuf *b);
/* Give the string away (caller frees it) and leave b empty. Never NULL. */
char *sbuf_detach(struct sbuf *b);
void sbuf_free(struct sbuf *b);

/* ---- Errors and directories. ---- */

/* 1 if err, an errno value from creating a file or directory, means that it
 * cannot be created there (no permission, a read-only file system, a parent
 * missing or not a directory, a file or link in the way): exit 73 rather
 * than 74, an I/O error. */
int util_cannot_create(int err);

/* mkdir -p: create dir and every missing directory above it, each with mode
 * 0700 whatever the umask (directories already there are left as they
 * are). Returns 0, or -1 with errno set (ENOTDIR when something else is in
 * the way) and the path of the directory that could not be made appended
 * to *failed. */
int util_make_dirs(const char *dir, struct sbuf *failed);

/* fsync the directory dir, so that a rename into it survives a crash.
 * File systems that cannot sync a directory (EINVAL, ENOTSUP) count as
 * done. Returns 0, or -1 with errno set. */
int util_sync_dir(const char *dir);

/* ---- Locks between mlcoach processes. ---- */

/* How long util_lock() waits, in seconds, unless MLCOACH_LOCK_TIMEOUT (a
 * number of seconds, fractions allowed) says otherwise. */
#define UTIL_LOCK_TIMEOUT 5.0

/* That timeout: MLCOACH_LOCK_TIMEOUT when it is a number from 0 to a day,
 * else UTIL_LOCK_TIMEOUT. */
double util_lock_timeout(void);

/* Take an exclusive flock(2) on the lock file at path, creating it (mode
 * 0600, never through a symbolic link) if it is missing; its directory
 * must exist. Waits while another process holds it, at most the timeout
 * above. A lock file removed or replaced while we waited (forget removes
 * them) is opened again, so two processes never both hold "the" lock.
 * The wait is timed with SIGALRM (ITIMER_REAL), whose handler, timer and
 * mask are restored before it returns. Returns the descriptor that holds
 * the lock (util_unlock releases it), or -1 with errno: EWOULDBLOCK when
 * the wait timed out, else why the file could not be opened. */
int util_lock(const char *path);

/* Release a lock from util_lock (fd < 0: nothing to do). errno is kept. */
void util_unlock(int fd);

/* ---- Input. ---- */

/* Read one line from in, like getline(3), but keep at most max bytes of it
 * in *line (grown as needed; the caller frees it) and discard the rest, so
 * a line without end cannot exhaust memory. The '\n' is not stored; *line
 * is NUL-terminated. Returns the line's whole length without the '\n'
 * (more than max means it was cut), or -1 at the end of input or on a read
 * error (tell them apart with ferror; a line cut short by an error is
 * not returned). A descriptor in non-blocking mode that has nothing yet
 * (EAGAIN) is waited on with poll(2); EINTR is an error, so that a signal
 * can end the wait. */
ssize_t util_getline(char **line, size_t *cap, FILE *in, size_t max);

/* A reader of lines that takes util_getline()'s place where the input is
 * not simply a stream (the REPL's terminal, where a signal must end the
 * wait): arg is its own, the rest as util_getline(). Returns the line's
 * length, UTIL_READ_END, UTIL_READ_ERROR (errno set) or UTIL_READ_STOP (the
 * reader was asked to stop waiting: Ctrl-C, or a signal ending the
 * session). */
enum { UTIL_READ_END = -1, UTIL_READ_STOP = -2, UTIL_READ_ERROR = -3 };
typedef ssize_t (*util_read_fn)(void *arg, char **line, size_t *cap, size_t max);

#endif
