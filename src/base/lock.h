/* lock.h - the state file lock: flock(2) on "<state>.lock", which records
 * who holds it (pid, host, since) so that a refused second session can say
 * whom to look for.  The kernel drops a flock when its holder dies, so a lock
 * left by a killed process is simply taken over.
 * UI-free: never include curses here. */
#ifndef OSM_LOCK_H
#define OSM_LOCK_H

#include <stddef.h>

struct lock_holder {
	long pid;        /* 0 if the lock file did not say */
	char host[256];
	char since[32];  /* ISO 8601 UTC, as written by the holder */
};

enum lock_result { LOCK_OK = 0, LOCK_BUSY, LOCK_IOERR, LOCK_FOREIGN, LOCK_UNSAFE };

/* Take the lock at lockpath (created 0600), without waiting.  LOCK_OK: *fd
 * holds it (on a full disk possibly without its record: the flock is the
 * lock, the record only names the holder).
 * LOCK_BUSY: another live process holds it, *holder says who.
 * LOCK_IOERR: msg says why (errno preserved).
 * LOCK_FOREIGN: the lock file belongs to another user; LOCK_UNSAFE: it is a
 * symbolic link, FIFO, device or directory.  Neither is opened for writing
 * nor taken over; msg says what was found and what to do.
 * The lock file is opened through privfile.h (O_NOFOLLOW, O_NONBLOCK, a
 * regular file of ours).  stale (may be NULL) is set
 * when a previous holder's record was found and taken over. */
enum lock_result lock_acquire(const char *lockpath, int *fd, struct lock_holder *holder,
			      struct lock_holder *stale, char *msg, size_t msglen);
/* Release and remove the lock file. */
void lock_release(int fd, const char *lockpath);

#endif
