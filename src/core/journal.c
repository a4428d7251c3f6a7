/* journal.c - the append-only event log (see journal.h for the format). */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "journal.h"
#include "privfile.h"
#include "util.h"

#define JOURNAL_MAGIC "J1"
#define JOURNAL_FIELDS 8 /* magic + 7 data fields, then the checksum */

static char last_error[1536];

const char *journal_last_error(void)
{
	return last_error;
}

char *journal_path(const char *state_path)
{
	return xasprintf("%s%s", state_path, JOURNAL_SUFFIX);
}

static uint32_t crc32_ieee(const unsigned char *p, size_t n)
{
	uint32_t crc = 0xffffffffu;

	/* Bitwise: the journal is written a few times per minute at most. */
	for (size_t i = 0; i < n; i++) {
		crc ^= p[i];
		for (int k = 0; k < 8; k++)
			crc = (crc >> 1) ^ (0xedb88320u & (0u - (crc & 1u)));
	}
	return ~crc;
}

/* A secret must never reach the journal: every field goes through
 * mask_secrets (secret.h), whatever its caller did. */
static void add_masked(struct strbuf *sb, const char *s)
{
	char *m = mask_secrets(s);

	sb_add(sb, m);
	free(m);
}

static void add_field(struct strbuf *sb, const char *value)
{
	struct strbuf raw = STRBUF_INIT;
	const char *s;

	add_masked(&raw, value ? value : "");
	for (s = sb_str(&raw); *s; s++) {
		switch (*s) {
		case '\\': sb_add(sb, "\\\\"); break;
		case '\t': sb_add(sb, "\\t"); break;
		case '\n': sb_add(sb, "\\n"); break;
		case '\r': sb_add(sb, "\\r"); break;
		default: sb_addc(sb, *s); break;
		}
	}
	sb_addc(sb, '\t');
	sb_free(&raw);
}

char *journal_format(const char *time, const char *op, const char *runbook, const char *step,
		     const char *item, const char *action, const char *result)
{
	struct strbuf sb = STRBUF_INIT;
	char crc[16];

	sb_add(&sb, JOURNAL_MAGIC "\t");
	add_field(&sb, time);
	add_field(&sb, op);
	add_field(&sb, runbook);
	add_field(&sb, step);
	add_field(&sb, item);
	add_field(&sb, action);
	add_field(&sb, result);
	snprintf(crc, sizeof crc, "%08x\n",
		 (unsigned)crc32_ieee((const unsigned char *)sb_str(&sb), sb.len));
	sb_add(&sb, crc);
	return sb_detach(&sb);
}

static bool write_all(int fd, const char *p, size_t n)
{
	while (n > 0) {
		ssize_t w = write(fd, p, n);

		if (w < 0) {
			if (errno == EINTR)
				continue;
			return false;
		}
		p += w;
		n -= (size_t)w;
	}
	return true;
}

/* The journal's rules: a regular file of ours that no one else can change.
 * Others' read bits (a journal created under a lax umask, or widened) are
 * taken away again: it names hosts and operators. */
static const struct pf_rules journal_rules = { .refuse = 022, .narrow = true };

/* Why the journal at path cannot be used, and what to do, into buf. */
static void refusal(char *buf, size_t len, const char *path, enum pf_result res,
		    const struct stat *sb, int e)
{
	char *who;

	switch (res) {
	case PF_SYMLINK:
		snprintf(buf, len, "the journal %s is a symbolic link; osmigrate does not follow links "
			 "for its files (it could point at a device or at another user's file). Put the "
			 "real file in its place (mv \"$(readlink -f %s)\" %s) or move the link away",
			 path, path, path);
		break;
	case PF_NOT_REGULAR:
		snprintf(buf, len, "the journal %s is %s, not a regular file; osmigrate reads and writes "
			 "only regular files of yours. Move it away (mv %s %s.suspect): the next change "
			 "starts a new journal", path, pf_kind(sb->st_mode), path, path);
		break;
	case PF_FOREIGN:
		who = pf_user(sb->st_uid);
		snprintf(buf, len, "the journal %s belongs to the user %s, not to you (uid %ld): any "
			 "of its lines could be forged, so none is used. Move it away (mv %s %s.suspect): "
			 "the next change starts a new journal of yours", path, who, (long)geteuid(),
			 path, path);
		free(who);
		break;
	case PF_OPEN_MODE:
		snprintf(buf, len, "the journal %s can be changed by other users (mode %04o): any of its "
			 "lines could be forged, so none is used. If you trust its content, make it "
			 "private (chmod 600 %s); otherwise move it away (mv %s %s.suspect)", path,
			 (unsigned)(sb->st_mode & 07777), path, path, path);
		break;
	case PF_REPLACED:
		snprintf(buf, len, "the journal %s was replaced while being opened; run the command "
			 "again", path);
		break;
	case PF_OK:
	case PF_MISSING:
	case PF_IOERR:
	default:
		snprintf(buf, len, "could not open the journal %s: %s; check the directory's "
			 "permissions and free space", path, strerror(e));
		break;
	}
}

bool journal_check(const char *state_path, char *err, size_t errlen)
{
	enum pf_result res;
	struct stat sb;
	char *path = journal_path(state_path);
	int fd = pf_open(path, O_RDONLY, &journal_rules, &sb, &res);
	int e = errno;

	if (fd >= 0)
		close(fd);
	if (res != PF_OK && res != PF_MISSING) {
		refusal(err, errlen, path, res, &sb, e);
		free(path);
		return false;
	}
	free(path);
	return true;
}

bool journal_append_path(const char *state_path, const char *runbook, const char *step,
			 const char *item, const char *action, const char *result)
{
	char now[OSM_ISO_LEN];
	char *path, *line;
	enum pf_result res;
	struct stat sb;
	bool ok = false;
	int fd;

	last_error[0] = '\0';
	path = journal_path(state_path);
	/* O_RDWR: the torn-tail check below reads the last byte. */
	fd = pf_open(path, O_RDWR | O_APPEND | O_CREAT, &journal_rules, &sb, &res);
	if (fd < 0) {
		char why[1024];

		refusal(why, sizeof why, path, res, &sb, errno);
		snprintf(last_error, sizeof last_error, "%s; the state file is saved, but this event "
			 "is not in the journal", why);
		free(path);
		return false;
	}
	/* A torn tail (kill -9 during a write) would swallow the next event into
	 * a line whose checksum fails: end it first. */
	if (sb.st_size > 0) {
		char last = '\n';

		if (pread(fd, &last, 1, sb.st_size - 1) != 1)
			last = '\n';
		if (last != '\n' && !write_all(fd, "\n", 1))
			goto fail;
	}
	iso8601_now(now);
	line = journal_format(now, operator_id(), runbook, step, item, action, result);
	if (!write_all(fd, line, strlen(line))) {
		free(line);
		goto fail;
	}
	free(line);
	if (fsync(fd) != 0)
		goto fail;
	ok = true;
fail:
	if (!ok)
		snprintf(last_error, sizeof last_error,
			 "could not write the journal %s: %s; the state file is saved, "
			 "free some space so that later events are recorded",
			 path, strerror(errno));
	if (close(fd) != 0 && ok) {
		snprintf(last_error, sizeof last_error, "could not write the journal %s: %s",
			 path, strerror(errno));
		ok = false;
	}
	free(path);
	return ok;
}

bool journal_append(const struct state *st, const char *step, const char *item,
		    const char *action, const char *result)
{
	return journal_append_path(st->path, state_runbook(st), step, item, action, result);
}

/* Unescape one field in place; false on a bad escape. */
static bool unescape(char *s)
{
	char *w = s;

	for (char *r = s; *r; r++) {
		if (*r != '\\') {
			*w++ = *r;
			continue;
		}
		switch (*++r) {
		case '\\': *w++ = '\\'; break;
		case 't': *w++ = '\t'; break;
		case 'n': *w++ = '\n'; break;
		case 'r': *w++ = '\r'; break;
		default: return false;
		}
	}
	*w = '\0';
	return true;
}

/* Parse one complete line (without its NL); false if it is not an event. */
static bool parse_line(char *line, size_t len, struct journal_entry *e)
{
	char *fields[JOURNAL_FIELDS + 1];
	char *tab, *p = line;
	unsigned long want;
	char *end;
	size_t nf = 0;

	tab = memrchr(line, '\t', len);
	if (!tab || (size_t)(line + len - tab - 1) != 8)
		return false;
	want = strtoul(tab + 1, &end, 16);
	if (end != line + len)
		return false;
	if (crc32_ieee((const unsigned char *)line, (size_t)(tab - line) + 1) != (uint32_t)want)
		return false;
	*tab = '\0';
	while (nf < JOURNAL_FIELDS + 1) {
		fields[nf++] = p;
		p = strchr(p, '\t');
		if (!p)
			break;
		*p++ = '\0';
	}
	/* The last data field ends with the TAB before the checksum. */
	if (nf != JOURNAL_FIELDS || strcmp(fields[0], JOURNAL_MAGIC) != 0)
		return false;
	for (size_t i = 1; i < nf; i++)
		if (!unescape(fields[i]))
			return false;
	e->time = xstrdup(fields[1]);
	e->operator = xstrdup(fields[2]);
	e->runbook = xstrdup(fields[3]);
	e->step = xstrdup(fields[4]);
	e->item = xstrdup(fields[5]);
	e->action = xstrdup(fields[6]);
	/* Lines written before a kind of secret was masked stay masked on display. */
	e->result = mask_secrets(fields[7]);
	return true;
}

bool journal_read(const char *path, struct journal *j, char *err, size_t errlen)
{
	struct strbuf sb = STRBUF_INIT;
	enum pf_result res;
	struct stat st;
	size_t start = 0;
	int fd, r;

	memset(j, 0, sizeof *j);
	fd = pf_open(path, O_RDONLY, &journal_rules, &st, &res);
	if (fd < 0) {
		if (res == PF_MISSING)
			return true;
		refusal(err, errlen, path, res, &st, errno);
		return false;
	}
	r = pf_read_all(fd, PF_READ_CAP, &sb);
	if (r != 0) {
		if (r < 0)
			snprintf(err, errlen, "could not read the journal %s: %s", path, strerror(errno));
		else
			snprintf(err, errlen, "the journal %s is larger than %zu MiB, more than osmigrate "
				 "ever writes for one procedure: it was not read. Move it away (mv %s "
				 "%s.old) to start a new one", path, PF_READ_CAP >> 20, path, path);
		close(fd);
		sb_free(&sb);
		return false;
	}
	close(fd);
	while (start < sb.len) {
		char *nl = memchr(sb.buf + start, '\n', sb.len - start);
		struct journal_entry e;
		size_t len;

		if (!nl) {
			j->bad++; /* torn tail: never an event */
			break;
		}
		len = (size_t)(nl - (sb.buf + start));
		*nl = '\0';
		if (len == 0) {
			/* Terminator written after a torn line: not an event, not damage. */
		} else if (memchr(sb.buf + start, '\0', len) || !parse_line(sb.buf + start, len, &e)) {
			j->bad++;
		} else {
			if (j->n == j->cap) {
				j->cap = j->cap ? j->cap * 2 : 32;
				j->e = xreallocarray(j->e, j->cap, sizeof *j->e);
			}
			j->e[j->n++] = e;
		}
		start += len + 1;
	}
	sb_free(&sb);
	return true;
}

void journal_free(struct journal *j)
{
	for (size_t i = 0; i < j->n; i++) {
		free(j->e[i].time);
		free(j->e[i].operator);
		free(j->e[i].runbook);
		free(j->e[i].step);
		free(j->e[i].item);
		free(j->e[i].action);
		free(j->e[i].result);
	}
	free(j->e);
	memset(j, 0, sizeof *j);
}
