/* presence.c - who has a state file open, see presence.h. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include "presence.h"
#include "privfile.h"
#include "util.h"

static char *presence_path(const char *state_path)
{
	return xasprintf("%s%s", state_path, PRESENCE_SUFFIX);
}

static void this_host(char *host, size_t n)
{
	if (gethostname(host, n) != 0)
		snprintf(host, n, "unknown");
	host[n - 1] = '\0';
	for (char *c = host; *c; c++)
		if ((unsigned char)*c <= 0x20 || (unsigned char)*c >= 0x7f)
			*c = '?';
}

/* One field of a line: printable ASCII, no TAB. */
static void field(char *out, size_t n, const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len && i + 1 < n; i++)
		out[i] = (unsigned char)s[i] < 0x20 || (unsigned char)s[i] >= 0x7f ? '?' : s[i];
	out[i] = '\0';
}

static bool parse_line(const char *ln, size_t len, struct presence *p)
{
	const char *f[5], *e = ln + len;
	size_t fl[5];
	int n = 0;
	char beat[32];

	for (const char *s = ln; n < 5 && s <= e; n++) {
		const char *t = memchr(s, '\t', (size_t)(e - s));

		f[n] = s;
		fl[n] = t ? (size_t)(t - s) : (size_t)(e - s);
		s = t ? t + 1 : e + 1;
	}
	if (n != 5 || fl[0] != 2 || memcmp(f[0], "P1", 2) != 0)
		return false;
	memset(p, 0, sizeof(*p));
	p->pid = strtol(f[1], NULL, 10);
	field(p->host, sizeof(p->host), f[2], fl[2]);
	field(p->op, sizeof(p->op), f[3], fl[3]);
	field(beat, sizeof(beat), f[4], fl[4]);
	return p->pid > 0 && iso8601_parse(beat, &p->beat);
}

/* Alive: a recent heartbeat, and on this host a process of that pid. */
static bool alive(const struct presence *p, const char *host, time_t now)
{
	if (now - p->beat > PRESENCE_STALE_S)
		return false;
	if (str_eq(p->host, host) && kill((pid_t)p->pid, 0) != 0 && errno == ESRCH)
		return false;
	return true;
}

static bool is_me(const struct presence *p, const char *host)
{
	return p->pid == (long)getpid() && str_eq(p->host, host);
}

/* Read the lines of the file open on fd. */
static size_t read_lines(int fd, struct presence **out)
{
	struct strbuf sb = STRBUF_INIT;
	size_t n = 0, cap = 0;
	const char *s, *e;

	*out = NULL;
	if (lseek(fd, 0, SEEK_SET) != 0 || pf_read_all(fd, 1024 * 1024, &sb) != 0) {
		sb_free(&sb);
		return 0;
	}
	s = sb.buf ? sb.buf : "";
	e = s + sb.len;
	while (s < e) {
		const char *nl = memchr(s, '\n', (size_t)(e - s));
		struct presence p;

		if (!nl)
			break; /* a torn last line is no session */
		if (parse_line(s, (size_t)(nl - s), &p)) {
			if (n == cap) {
				cap = cap ? cap * 2 : 4;
				*out = xreallocarray(*out, cap, sizeof(**out));
			}
			(*out)[n++] = p;
		}
		s = nl + 1;
	}
	sb_free(&sb);
	return n;
}

static int open_locked(const char *state_path, bool create)
{
	static const struct pf_rules rules = { .refuse = 077 };
	char *path = presence_path(state_path);
	enum pf_result res;
	struct stat sb;
	int fd = pf_open(path, create ? O_RDWR | O_CREAT : O_RDWR, &rules, &sb, &res);

	free(path);
	if (fd < 0)
		return -1;
	if (flock(fd, LOCK_EX) != 0) {
		close(fd);
		return -1;
	}
	return fd;
}

/* Rewrite the file: the live lines other than this process's, then this
 * process's when me is true.  Returns the number of lines written. */
static long rewrite(int fd, bool me)
{
	struct presence *ps;
	size_t n = read_lines(fd, &ps), kept = 0;
	char host[128], now[OSM_ISO_LEN];
	struct strbuf sb = STRBUF_INIT;
	time_t t = osm_now();
	bool ok;

	this_host(host, sizeof host);
	for (size_t i = 0; i < n; i++) {
		char beat[OSM_ISO_LEN];

		if (is_me(&ps[i], host) || !alive(&ps[i], host, t))
			continue;
		iso8601_utc(ps[i].beat, beat);
		sb_addf(&sb, "P1\t%ld\t%s\t%s\t%s\n", ps[i].pid, ps[i].host, ps[i].op, beat);
		kept++;
	}
	free(ps);
	if (me) {
		char op[128];

		field(op, sizeof op, operator_id(), strlen(operator_id()));
		iso8601_now(now);
		sb_addf(&sb, "P1\t%ld\t%s\t%s\t%s\n", (long)getpid(), host, op, now);
		kept++;
	}
	ok = ftruncate(fd, 0) == 0 &&
	     (sb.len == 0 || pwrite(fd, sb.buf, sb.len, 0) == (ssize_t)sb.len);
	sb_free(&sb);
	return ok ? (long)kept : -1;
}

bool presence_beat(const char *state_path)
{
	int fd = open_locked(state_path, true);
	bool ok;

	if (fd < 0)
		return false;
	ok = rewrite(fd, true) > 0;
	close(fd);
	return ok;
}

void presence_leave(const char *state_path)
{
	int fd = open_locked(state_path, false);

	if (fd < 0)
		return;
	if (rewrite(fd, false) == 0) {
		/* the last one out removes the file, still holding its lock */
		char *path = presence_path(state_path);

		unlink(path);
		free(path);
	}
	close(fd);
}

size_t presence_list(const char *state_path, struct presence **out)
{
	static const struct pf_rules rules = { .refuse = 077 };
	char *path = presence_path(state_path), host[128];
	struct presence *ps;
	enum pf_result res;
	struct stat sb;
	int fd = pf_open(path, O_RDONLY, &rules, &sb, &res);
	size_t n, k = 0;
	time_t t = osm_now();

	free(path);
	*out = NULL;
	if (fd < 0)
		return 0;
	(void)flock(fd, LOCK_SH);
	n = read_lines(fd, &ps);
	close(fd);
	this_host(host, sizeof host);
	for (size_t i = 0; i < n; i++)
		if (!is_me(&ps[i], host) && alive(&ps[i], host, t))
			ps[k++] = ps[i];
	if (k == 0) {
		free(ps);
		ps = NULL;
	}
	*out = ps;
	return k;
}
