/* privfile.h - open osmigrate's own files (the state file, the answers
 * file, the journal, the lock file) so that nothing planted in their place
 * is followed, blocked on or believed.
 *
 * Every open is checked twice: lstat(2) first, so that a FIFO or a device
 * is never opened at all (opening either can block or have side effects),
 * then fstat(2) on the descriptor, which is what counts.  The open itself
 * uses O_NOFOLLOW (a symbolic link is never followed), O_NONBLOCK (a FIFO
 * that appears between the two checks cannot hang the caller, who may hold
 * the state lock), O_NOCTTY and O_CLOEXEC.  A file is accepted only when it
 * is a regular file, owned by the effective user (or by root when the rules
 * allow it) and has none of the refused mode bits.
 * Also the directory a file lives in, and flushing it after a rename.
 * UI-free: never include curses here. */
#ifndef OSM_PRIVFILE_H
#define OSM_PRIVFILE_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/stat.h>
#include <sys/types.h>

#include "util.h"

/* The most osmigrate reads of one of its files: 64 MiB.  A state file of
 * 5,000 extensions is about 20 MB, a journal of a long night a few MB;
 * anything larger is not osmigrate's (or a device that never ends). */
#define PF_READ_CAP ((size_t)64 * 1024 * 1024)

/* What makes a file acceptable. */
struct pf_rules {
	bool root_ok;    /* a file of root's is accepted too (answers files) */
	mode_t refuse;   /* mode bits that make the file refused: 077 for a file
			  * no one else may read, 022 for one no one else may change */
	bool narrow;     /* remove the remaining group/other bits of a file of
			  * ours (chmod 600); only a failure when writing */
};

enum pf_result {
	PF_OK = 0,
	PF_MISSING,      /* no such file (and O_CREAT was not given) */
	PF_SYMLINK,      /* the path is a symbolic link */
	PF_NOT_REGULAR,  /* a directory, FIFO, device or socket: see pf_kind() */
	PF_FOREIGN,      /* owned by another user: st_uid says who */
	PF_OPEN_MODE,    /* has a refused mode bit: st_mode says which */
	PF_REPLACED,     /* the file changed between the check and the open */
	PF_IOERR,        /* the open failed: errno says why */
};

/* Open path with flags (O_RDONLY, or O_WRONLY/O_RDWR with O_APPEND,
 * O_CREAT; new files get mode 0600) under rules.  Returns the descriptor,
 * in blocking mode, or -1 with *res saying why (errno kept for PF_IOERR and
 * PF_MISSING).  *sb receives what was found (also on refusal, for the
 * message). */
int pf_open(const char *path, int flags, const struct pf_rules *rules, struct stat *sb,
	    enum pf_result *res);

/* Read fd to its end into out, at most cap bytes.  Returns 0, -1 on a read
 * error (errno set) or 1 when the file holds more than cap bytes (out is
 * then incomplete and must not be used). */
int pf_read_all(int fd, size_t cap, struct strbuf *out);

/* "a directory", "a FIFO (named pipe)", "a character device", ... for a
 * file that is not regular; "a regular file" otherwise.  Static storage. */
const char *pf_kind(mode_t mode);

/* "bob (uid 1001)", or "uid 1001" for a uid without a name; caller frees. */
char *pf_user(uid_t uid);

/* The directory of path: "." for a bare name, "/" for a file in /.
 * Caller frees. */
char *pf_dir_of(const char *path);
/* Flush directory dir to disk, so that a rename into it is durable.  0
 * when done, when it cannot be opened, or when the file system does not
 * sync directories (EINVAL, EROFS); -1 with errno when fsync failed. */
int pf_sync_dir(const char *dir);

#endif
