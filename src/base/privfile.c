/* privfile.c - safe opens of osmigrate's own files (see privfile.h). */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <string.h>
#include <unistd.h>

#include "privfile.h"

static enum pf_result judge(const struct stat *s, const struct pf_rules *r)
{
	if (S_ISLNK(s->st_mode))
		return PF_SYMLINK;
	if (!S_ISREG(s->st_mode))
		return PF_NOT_REGULAR;
	if (s->st_uid != geteuid() && !(r->root_ok && s->st_uid == 0))
		return PF_FOREIGN;
	if (s->st_mode & r->refuse)
		return PF_OPEN_MODE;
	return PF_OK;
}

int pf_open(const char *path, int flags, const struct pf_rules *r, struct stat *sb,
	    enum pf_result *res)
{
	struct stat l, f;
	bool have_l;
	int fd, fl, e;

	memset(sb, 0, sizeof *sb);
	have_l = lstat(path, &l) == 0;
	if (!have_l) {
		e = errno;
		if (e != ENOENT || !(flags & O_CREAT)) {
			*res = e == ENOENT ? PF_MISSING : PF_IOERR;
			errno = e;
			return -1;
		}
	} else {
		*sb = l;
		if ((*res = judge(&l, r)) != PF_OK)
			return -1;
	}
	fd = open(path, flags | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC, 0600);
	if (fd < 0) {
		e = errno;
		/* Replaced by a link, FIFO or device after the lstat above. */
		if ((e == ELOOP || e == ENXIO || e == EWOULDBLOCK) && lstat(path, &l) == 0 &&
		    (*res = judge(&l, r)) != PF_OK) {
			*sb = l;
			return -1;
		}
		*res = e == ENOENT ? PF_MISSING : PF_IOERR;
		errno = e;
		return -1;
	}
	if (fstat(fd, &f) != 0) {
		e = errno;
		close(fd);
		*res = PF_IOERR;
		errno = e;
		return -1;
	}
	*sb = f;
	if ((*res = judge(&f, r)) != PF_OK) {
		close(fd);
		return -1;
	}
	if (have_l && (f.st_dev != l.st_dev || f.st_ino != l.st_ino)) {
		close(fd);
		*res = PF_REPLACED;
		return -1;
	}
	if (r->narrow && (f.st_mode & 077)) {
		if (fchmod(fd, 0600) == 0) {
			sb->st_mode = (f.st_mode & ~(mode_t)07777) | 0600;
		} else if ((flags & O_ACCMODE) != O_RDONLY) {
			e = errno;
			close(fd);
			*res = PF_IOERR;
			errno = e;
			return -1;
		}
	}
	/* O_NONBLOCK only guarded the open: a regular file never blocks, and
	 * the caller's reads and writes should not see EAGAIN. */
	fl = fcntl(fd, F_GETFL);
	if (fl >= 0)
		(void)fcntl(fd, F_SETFL, fl & ~O_NONBLOCK);
	*res = PF_OK;
	return fd;
}

int pf_read_all(int fd, size_t cap, struct strbuf *out)
{
	char buf[65536];
	struct stat sb;

	bool sized = fstat(fd, &sb) == 0 && sb.st_size > 0;

	if (sized && (unsigned long long)sb.st_size > cap)
		return 1;
	/* One allocation of the file's size: doubling would copy a large file
	 * and briefly hold up to 1.5 times more. */
	if (sized)
		sb_reserve(out, (size_t)sb.st_size);
	for (;;) {
		ssize_t n = read(fd, buf, sizeof buf);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		if (n == 0)
			return 0;
		/* The file may grow while it is read: the cap holds regardless. */
		if (out->len + (size_t)n > cap)
			return 1;
		sb_addn(out, buf, (size_t)n);
	}
}

const char *pf_kind(mode_t mode)
{
	if (S_ISREG(mode))
		return "a regular file";
	if (S_ISDIR(mode))
		return "a directory";
	if (S_ISFIFO(mode))
		return "a FIFO (named pipe)";
	if (S_ISCHR(mode))
		return "a character device";
	if (S_ISBLK(mode))
		return "a block device";
	if (S_ISSOCK(mode))
		return "a socket";
	if (S_ISLNK(mode))
		return "a symbolic link";
	return "not a regular file";
}

char *pf_user(uid_t uid)
{
	struct passwd *pw = getpwuid(uid);

	if (pw && pw->pw_name && *pw->pw_name)
		return xasprintf("%s (uid %ld)", pw->pw_name, (long)uid);
	return xasprintf("uid %ld", (long)uid);
}

char *pf_dir_of(const char *path)
{
	const char *slash = strrchr(path, '/');

	if (!slash)
		return xstrdup(".");
	if (slash == path)
		return xstrdup("/");
	return xstrndup(path, (size_t)(slash - path));
}

int pf_sync_dir(const char *dir)
{
	int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	int e;

	if (dfd < 0)
		return 0;
	if (fsync(dfd) == 0 || errno == EINVAL || errno == EROFS) {
		close(dfd);
		return 0;
	}
	e = errno;
	close(dfd);
	errno = e;
	return -1;
}
