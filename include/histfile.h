/* histfile.h -- the REPL's history as a plain-text file: one entry per line,
 * UTF-8, oldest first, at most HISTFILE_MAX entries.
 *
 * mlcoach reads and writes the file itself (libedit's own format has a
 * header line that history_truncate_file mishandles). Saving merges, as
 * bash's histappend does: under a lock, the file is read again and this
 * session's new lines are appended to what other sessions saved meanwhile.
 * It is atomic: a temporary file in the same directory, mode 0600 set with
 * fchmod on the open descriptor, fsync, rename over the old file, fsync of
 * the directory. Nothing here prints; errors come back as a one-line
 * message. Start at histfile_path().
 */
#ifndef MLCOACH_HISTFILE_H
#define MLCOACH_HISTFILE_H

#include <stddef.h>

#include "util.h"

#define HISTFILE_MAX 1000
/* A history file larger than this is not one mlcoach wrote (HISTFILE_MAX
 * lines of at most CMD_MAX_QUESTION bytes come to about 8 MiB): not read. */
#define HISTFILE_MAX_BYTES (16 << 20)

/* Entries in memory, oldest first. Zero-initialise; free with histfile_free. */
struct histfile {
    char **lines;
    size_t n, cap;
    size_t fresh; /* how many of the newest came from histfile_add, not a file */
};

/* The history file's path: $XDG_STATE_HOME/mlcoach/history when that is an
 * absolute path, else $HOME/.local/state/mlcoach/history (HOME absolute).
 * Either argument may be NULL. Returns a string the caller frees, or NULL
 * when neither gives an absolute directory. */
char *histfile_path(const char *xdg_state_home, const char *home);

/* Append line (its first len bytes, trailing white space dropped; embedded
 * newlines become spaces) unless it is empty or repeats the newest entry.
 * Past HISTFILE_MAX entries the oldest is dropped. */
void histfile_add(struct histfile *h, const char *line, size_t len);

/* Read path into h (appending). A missing file (or directory) is an empty
 * history. Returns 0 when all is well; 1 when the file held lines that are
 * not valid UTF-8 or contain NUL bytes (they are skipped; the rest is
 * loaded); -1 when the file exists but cannot be read, or is not one to
 * read: a symbolic link (not followed), not a regular file (a FIFO is
 * never waited on) or larger than HISTFILE_MAX_BYTES. For 1 and -1 a
 * one-line message naming the file is put in *err. Only the newest
 * HISTFILE_MAX are kept. */
int histfile_load(struct histfile *h, const char *path, struct sbuf *err);

/* Save h's fresh lines to path: under an flock on .NAME.lock next to it
 * (util_lock), read the file again, append the lines histfile_add gave h
 * since it was loaded, keep the newest HISTFILE_MAX and write the result
 * atomically, creating missing parent directories with mode 0700 and the
 * file with mode 0600; temporary files of saves that were killed are
 * removed. Two sessions that save in turn thus keep both sessions' lines.
 * h->fresh is then 0, so a second save adds nothing twice. Returns 0, or
 * -1 with a message in *err and errno saying what failed: EWOULDBLOCK when
 * another session held the lock past the timeout; the old file, if any, is
 * then left as it was (also when it can no longer be read), and no
 * temporary file of this save remains. */
int histfile_save(struct histfile *h, const char *path, struct sbuf *err);

/* Delete the history at path (forget): under the lock histfile_save()
 * takes, the file and what killed saves left, then the lock file and the
 * directory if that leaves it empty. *removed is 1 when there was a
 * history. Returns 0 (also when there was none), or -1 with a message in
 * *err and errno set: the history is then still there. */
int histfile_remove(const char *path, int *removed, struct sbuf *err);

/* Release every entry; h may be reused afterwards. */
void histfile_free(struct histfile *h);

#endif
