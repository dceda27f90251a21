/* store.h -- personal files that survive crashes: the profile, the
 * assessments and the plan, each one JSON document in mlcoach's data
 * directory ($XDG_DATA_HOME/mlcoach, else ~/.local/share/mlcoach).
 *
 * A write never leaves a half-written file: the new text goes to a temporary
 * file in the same directory (created O_EXCL|O_NOFOLLOW, mode 0600), is
 * fsynced, renamed over the old file, and the directory is fsynced too.
 * Every document is an object with an integer "version"; a file that is
 * damaged or written by a newer mlcoach is never overwritten. The store
 * never prints: each call that fails fills a message that names the file.
 *
 * A command that changes a file holds the data directory's lock
 * (store_lock) from the read of what it changes to the rename of the new
 * file, so that two mlcoach processes never lose each other's updates.
 * Start with store_lock(), store_read() and store_write().
 */
#ifndef MLCOACH_STORE_H
#define MLCOACH_STORE_H

#include <jansson.h>

#include "util.h"

/* The format version this mlcoach reads and writes. */
#define STORE_VERSION 1

/* store_write refuses to write a file larger than this, and store_read
 * treats one larger than STORE_MAX_READ as damaged. The reader allows
 * more than the writer writes, so that a file an older mlcoach let grow
 * past STORE_MAX_FILE can still be read (and be made smaller). */
#define STORE_MAX_FILE (4u << 20)
#define STORE_MAX_READ (16u << 20)

/* The lock file in the data directory. */
#define STORE_LOCK_FILE ".lock"

enum store_status {
    STORE_OK,         /* done */
    STORE_ABSENT,     /* store_read: no such file (not an error) */
    STORE_DAMAGED,    /* not JSON, not an object, no valid version, not a regular file */
    STORE_NEWER,      /* written by a newer mlcoach (version > STORE_VERSION) */
    STORE_CANTCREATE, /* the directory or file cannot be created (permissions, not a dir) */
    STORE_IOERR,      /* reading, writing or syncing failed */
    STORE_UNSYNCED,   /* store_write: the new file is in place, but the directory
                         could not be synced, so a crash may still undo it */
    STORE_BUSY,       /* store_lock: another process held the lock until the timeout */
};

/* The data directory into *dir (replacing what it held): $XDG_DATA_HOME/
 * mlcoach when XDG_DATA_HOME is an absolute path (a relative one is ignored,
 * as the XDG spec says), else $HOME/.local/share/mlcoach. Returns 0, or -1
 * with a message in *why when neither is usable. */
int store_dir(struct sbuf *dir, struct sbuf *why);

/* Create dir (0700, and any missing parents) and take its lock
 * (util_lock on dir/STORE_LOCK_FILE). Returns STORE_OK with *fd holding the
 * lock (store_unlock releases it), or STORE_BUSY, STORE_CANTCREATE or
 * STORE_IOERR with a message in *why and *fd -1. */
enum store_status store_lock(const char *dir, int *fd, struct sbuf *why);
void store_unlock(int fd);

/* Read dir/name into *doc (a new reference the caller decrefs). On any
 * status but STORE_OK, *doc is NULL; on errors *why gets a message that
 * starts with the file's path. Symbolic links are not followed. */
enum store_status store_read(const char *dir, const char *name, json_t **doc,
                             struct sbuf *why);

/* Replace dir/name with doc atomically, creating dir (0700, and any missing
 * parents) first; the caller holds the lock (store_lock). doc must be an
 * object; the file gets "version": STORE_VERSION as its first key (doc
 * itself is not changed). Refuses with STORE_DAMAGED / STORE_NEWER (and
 * writes nothing) when the file already there is damaged or newer, and
 * with STORE_IOERR when the text would be larger than STORE_MAX_FILE.
 * STORE_UNSYNCED means the new file is in place but the directory sync
 * failed. Stale temporary files left by a killed writer are removed after
 * a successful write. doc stays the caller's. */
enum store_status store_write(const char *dir, const char *name, json_t *doc,
                              struct sbuf *why);

/* Delete dir/name and any temporary files of it; the caller holds the
 * lock. Sets *removed to 1 if the file existed and is gone. Returns
 * STORE_OK (also when there was no such file), or STORE_IOERR with a
 * message when the file is there and could not be deleted. */
enum store_status store_remove(const char *dir, const char *name, int *removed,
                               struct sbuf *why);

/* Remove the lock file and then dir if it is empty (forget: the caller
 * holds the lock, and a process waiting for it locks a new one); quietly
 * does nothing when they cannot be removed. */
void store_remove_dir(const char *dir);

#endif
