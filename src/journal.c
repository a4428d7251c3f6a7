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
#include "util.h"

#define JOURNAL_MAGIC "J1"
#define JOURNAL_FIELDS 8 /* magic + 7 data fields, then the checksum */

static char last_error[512];

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

bool journal_append_path(const char *state_path, const char *runbook, const char *step,
			 const char *item, const char *action, const char *result)
{
	char now[OSM_ISO_LEN];
	char *path, *line;
	struct stat sb;
	bool ok = false;
	int fd;

	last_error[0] = '\0';
	path = journal_path(state_path);
	fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0) {
		snprintf(last_error, sizeof last_error,
			 "could not open the journal %s: %s; the state file is saved, "
			 "check the directory's permissions and free space",
			 path, strerror(errno));
		free(path);
		return false;
	}
	/* The journal is 0600 like the state file: one someone widened is
	 * narrowed again before anything more is written to it. */
	if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode) || sb.st_uid != geteuid() ||
	    ((sb.st_mode & 077) && fchmod(fd, 0600) != 0)) {
		snprintf(last_error, sizeof last_error,
			 "not writing the journal %s: it is not a regular file of yours with mode 0600 "
			 "(fix: chmod 600 %s); the state file is saved", path, path);
		close(fd);
		free(path);
		return false;
	}
	/* A torn tail (kill -9 during a write) would swallow the next event into
	 * a line whose checksum fails: end it first. */
	if (sb.st_size > 0) {
		char last = '\n';
		int rfd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);

		if (rfd >= 0) {
			if (pread(rfd, &last, 1, sb.st_size - 1) != 1)
				last = '\n';
			close(rfd);
		}
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
	char buf[8192];
	size_t n, start = 0;
	FILE *f;

	memset(j, 0, sizeof *j);
	f = fopen(path, "re");
	if (!f) {
		if (errno == ENOENT)
			return true;
		snprintf(err, errlen, "could not read the journal %s: %s", path, strerror(errno));
		return false;
	}
	while ((n = fread(buf, 1, sizeof buf, f)) > 0)
		sb_addn(&sb, buf, n);
	if (ferror(f)) {
		snprintf(err, errlen, "could not read the journal %s: %s", path, strerror(errno));
		fclose(f);
		sb_free(&sb);
		return false;
	}
	fclose(f);
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
