/* lock.c - flock(2)-based lock for state files, see lock.h. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "lock.h"
#include "privfile.h"
#include "util.h"

static void parse_holder(const char *buf, struct lock_holder *h)
{
	const char *p = buf;

	memset(h, 0, sizeof(*h));
	while (*p) {
		const char *e = strchr(p, '\n');
		size_t n = e ? (size_t)(e - p) : strlen(p);
		if (n > 4 && strncmp(p, "pid=", 4) == 0)
			h->pid = strtol(p + 4, NULL, 10);
		else if (n > 5 && strncmp(p, "host=", 5) == 0)
			snprintf(h->host, sizeof(h->host), "%.*s", (int)(n - 5), p + 5);
		else if (n > 6 && strncmp(p, "since=", 6) == 0)
			snprintf(h->since, sizeof(h->since), "%.*s", (int)(n - 6), p + 6);
		p += n;
		if (*p == '\n')
			p++;
	}
	/* the record is ours to print: keep it to printable ASCII */
	for (char *c = h->host; *c; c++)
		if ((unsigned char)*c < 0x20 || (unsigned char)*c >= 0x7f)
			*c = '?';
	for (char *c = h->since; *c; c++)
		if ((unsigned char)*c < 0x20 || (unsigned char)*c >= 0x7f)
			*c = '?';
}

static void read_holder(int fd, struct lock_holder *h)
{
	char buf[512];
	ssize_t n = pread(fd, buf, sizeof(buf) - 1, 0);

	buf[n > 0 ? n : 0] = '\0';
	parse_holder(buf, h);
}

/* The lock file cannot be used: say what it is, that the state file was
 * not opened, and what to do. */
static enum lock_result refused(const char *lockpath, enum pf_result res, const struct stat *sb,
				char *msg, size_t msglen)
{
	size_t sl = strlen(lockpath) > 5 ? strlen(lockpath) - 5 : 0; /* without ".lock" */
	char *who;
	int e = errno;

	switch (res) {
	case PF_FOREIGN:
		who = pf_user(sb->st_uid);
		snprintf(msg, msglen, "the lock file %s belongs to the user %s, not to you (uid %ld), "
			 "so osmigrate did not open the state file %.*s: a lock of another user is never "
			 "taken over (an osmigrate of theirs may be working on that file now). If %s runs "
			 "no osmigrate on it, remove the lock (rm %s) and run osmigrate again",
			 lockpath, who, (long)geteuid(), (int)sl, lockpath, who, lockpath);
		free(who);
		return LOCK_FOREIGN;
	case PF_SYMLINK:
	case PF_NOT_REGULAR:
		snprintf(msg, msglen, "the lock file %s is %s, not a regular file, so osmigrate did not "
			 "open the state file %.*s (it never follows links or opens devices for its "
			 "files). Move it away (mv %s %s.suspect) and run osmigrate again", lockpath,
			 res == PF_SYMLINK ? "a symbolic link" : pf_kind(sb->st_mode), (int)sl, lockpath,
			 lockpath, lockpath);
		return LOCK_UNSAFE;
	default:
		snprintf(msg, msglen, "cannot create the lock file %s: %s", lockpath, strerror(e));
		errno = e;
		return LOCK_IOERR;
	}
}

enum lock_result lock_acquire(const char *lockpath, int *fdp, struct lock_holder *holder,
			      struct lock_holder *stale, char *msg, size_t msglen)
{
	if (stale)
		memset(stale, 0, sizeof(*stale));
	memset(holder, 0, sizeof(*holder));
	/* A few rounds: the file we locked may have been removed by a holder
	 * that was releasing it at that very moment. */
	for (int round = 0; round < 20; round++) {
		struct stat a, b;
		struct lock_holder prev;
		char host[200], since[OSM_ISO_LEN], rec[512];
		static const struct pf_rules rules = { .refuse = 0 };
		enum pf_result res;
		int fd = pf_open(lockpath, O_RDWR | O_CREAT, &rules, &a, &res);
		int len;

		if (fd < 0) {
			if (res == PF_REPLACED)
				continue; /* a holder released it just now: try the new one */
			return refused(lockpath, res, &a, msg, msglen);
		}
		if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
			int e = errno;
			if (e == EWOULDBLOCK) {
				/* the holder may be between truncate and write */
				for (int i = 0; i < 10; i++) {
					read_holder(fd, holder);
					if (holder->pid)
						break;
					nanosleep(&(struct timespec){ 0, 20 * 1000 * 1000 }, NULL);
				}
				close(fd);
				return LOCK_BUSY;
			}
			snprintf(msg, msglen, "cannot lock %s: %s", lockpath, strerror(e));
			close(fd);
			errno = e;
			return LOCK_IOERR;
		}
		if (stat(lockpath, &b) != 0 || a.st_dev != b.st_dev || a.st_ino != b.st_ino) {
			close(fd);
			continue;
		}
		/* A record left behind means its writer died without releasing. */
		read_holder(fd, &prev);
		if (stale && prev.pid)
			*stale = prev;
		if (gethostname(host, sizeof(host)) != 0)
			snprintf(host, sizeof(host), "unknown");
		host[sizeof(host) - 1] = '\0';
		iso8601_now(since);
		len = snprintf(rec, sizeof(rec), "pid=%ld\nhost=%s\nsince=%s\n", (long)getpid(), host, since);
		if (ftruncate(fd, 0) != 0 || pwrite(fd, rec, (size_t)len, 0) != len) {
			int e = errno;

			/* The lock is the flock; the record only names its holder.
			 * On a full disk hold it without one: what the holder
			 * then writes fails with its own message. */
			if (e == ENOSPC || e == EDQUOT || e == EFBIG) {
				if (ftruncate(fd, 0) != 0) {
					/* nothing more to do: an old record may remain */
				}
				*fdp = fd;
				return LOCK_OK;
			}
			snprintf(msg, msglen, "cannot write the lock file %s: %s", lockpath, strerror(e));
			unlink(lockpath);
			close(fd);
			errno = e;
			return LOCK_IOERR;
		}
		*fdp = fd;
		return LOCK_OK;
	}
	snprintf(msg, msglen, "cannot lock %s: it keeps being replaced; try again", lockpath);
	errno = EAGAIN;
	return LOCK_IOERR;
}

void lock_release(int fd, const char *lockpath)
{
	if (fd < 0)
		return;
	/* unlink while still holding it: a process that opened the old file
	 * notices the change of inode and retries on a fresh one */
	if (lockpath)
		unlink(lockpath);
	close(fd);
}
