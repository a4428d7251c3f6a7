/* counts.c - compare two exported per-table row counts (see counts.h). */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "counts.h"
#include "sha256.h"
#include "text.h"
#include "util.h"

void counts_free(struct counts_file *cf)
{
	for (size_t i = 0; i < cf->n; i++)
		free(cf->t[i].name);
	free(cf->t);
	memset(cf, 0, sizeof *cf);
}

/* One CSV record: its fields, unquoted, outer blanks of unquoted fields
 * trimmed (sqlcmd and sqlplus pad). */
struct record {
	char **f;
	size_t n, cap;
	size_t line;       /* where it starts */
};

static void record_clear(struct record *r)
{
	for (size_t i = 0; i < r->n; i++)
		free(r->f[i]);
	r->n = 0;
}

static void record_push(struct record *r, struct strbuf *field, bool quoted)
{
	char *s = sb_detach(field);

	if (!quoted) {
		size_t lead = strspn(s, " \t"), n = strlen(s);

		while (n > lead && (s[n - 1] == ' ' || s[n - 1] == '\t'))
			n--;
		memmove(s, s + lead, n - lead);
		s[n - lead] = '\0';
	}
	if (r->n == r->cap) {
		r->cap = r->cap ? r->cap * 2 : 4;
		r->f = xreallocarray(r->f, r->cap, sizeof *r->f);
	}
	r->f[r->n++] = s;
}

static bool all_chars(const char *s, const char *set)
{
	return *s && strspn(s, set) == strlen(s);
}

/* sqlcmd's "(12 rows affected)", sqlplus's "12 rows selected." */
static bool is_footer(const struct record *r)
{
	const char *s;
	size_t d;

	if (r->n != 1)
		return false;
	s = r->f[0];
	if (*s == '(') {
		d = strspn(s + 1, "0123456789");
		return d && (str_eq(s + 1 + d, " rows affected)") || str_eq(s + 1 + d, " row affected)"));
	}
	d = strspn(s, "0123456789");
	return d && (str_eq(s + d, " rows selected.") || str_eq(s + d, " row selected."));
}

static bool parse_count(const char *s, long long *out)
{
	long long v = 0;

	if (!*s || strspn(s, "0123456789") != strlen(s) || strlen(s) > 18)
		return false;
	for (; *s; s++)
		v = v * 10 + (*s - '0');
	*out = v;
	return true;
}

static int table_cmp(const void *a, const void *b)
{
	return strcmp(((const struct counts_table *)a)->name, ((const struct counts_table *)b)->name);
}

/* Interpret one record; false with err on a malformed one. */
static bool take_record(const char *name, struct record *r, struct counts_file *cf,
			char **header, char *err, size_t errlen)
{
	struct strbuf key = STRBUF_INIT;
	struct strbuf joined = STRBUF_INIT;
	long long rows;
	bool empty = true;

	for (size_t i = 0; i < r->n; i++)
		empty = empty && !*r->f[i];
	if (empty || is_footer(r))
		return true;
	/* sqlcmd's underline of the header: dashes, and the separators. */
	{
		bool dashes = true;

		for (size_t i = 0; i < r->n && dashes; i++)
			dashes = all_chars(r->f[i], "-") || !*r->f[i];
		if (dashes)
			return true;
	}
	for (size_t i = 0; i < r->n; i++)
		sb_addf(&joined, "%s%s", i ? "," : "", r->f[i]);
	if (*header && str_eq(*header, sb_str(&joined))) {
		sb_free(&joined);   /* the header again, on the next page */
		return true;
	}
	if (r->n < 2 || r->n > 3 || !parse_count(r->f[r->n - 1], &rows)) {
		if (!cf->n && !*header && r->n >= 2 && r->n <= 3) {
			*header = sb_detach(&joined);
			return true;
		}
		{
			char *safe = text_safe(r->n ? r->f[r->n - 1] : "");

			if (r->n < 2 || r->n > 3)
				snprintf(err, errlen, "%s, line %zu: expected TABLE,COUNT or "
					 "SCHEMA,TABLE,COUNT, got %zu field%s", name, r->line, r->n,
					 r->n == 1 ? "" : "s");
			else
				snprintf(err, errlen, "%s, line %zu: '%.60s' is not a row count (a "
					 "whole number)", name, r->line, safe);
			free(safe);
		}
		sb_free(&joined);
		return false;
	}
	sb_free(&joined);
	for (size_t i = 0; i + 1 < r->n; i++) {
		if (!*r->f[i]) {
			snprintf(err, errlen, "%s, line %zu: an empty table or schema name", name, r->line);
			sb_free(&key);
			return false;
		}
		sb_addf(&key, "%s%s", i ? "." : "", r->f[i]);
	}
	if (cf->n == cf->cap) {
		cf->cap = cf->cap ? cf->cap * 2 : 64;
		cf->t = xreallocarray(cf->t, cf->cap, sizeof *cf->t);
	}
	cf->t[cf->n].name = sb_detach(&key);
	cf->t[cf->n].rows = rows;
	cf->t[cf->n].line = r->line;
	cf->n++;
	return true;
}

bool counts_parse(const char *name, const char *buf, size_t len, struct counts_file *cf,
		  char *err, size_t errlen)
{
	struct record r = { 0 };
	struct strbuf field = STRBUF_INIT;
	char *header = NULL;
	size_t line = 1, line_start = 0, i = 0;
	bool quoted = false, in_quotes = false, after_quote = false, ok = true;

	memset(cf, 0, sizeof *cf);
	sha256_hex(buf, len, cf->sha256);
	if (len >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0)
		i = 3;
	if (memchr(buf, '\0', len)) {
		snprintf(err, errlen, "%s: contains a NUL byte: not a CSV text file", name);
		return false;
	}
	r.line = 1;
	for (; ok && i <= len; i++) {
		int c = i < len ? (unsigned char)buf[i] : EOF;

		if (c != EOF && i - line_start >= COUNTS_MAX_LINE) {
			snprintf(err, errlen, "%s, line %zu: longer than %d bytes: not a row count "
				 "export", name, line, COUNTS_MAX_LINE);
			ok = false;
			break;
		}
		if (in_quotes) {
			if (c == EOF) {
				snprintf(err, errlen, "%s, line %zu: a quoted field is not closed",
					 name, r.line);
				ok = false;
			} else if (c == '"') {
				if (i + 1 < len && buf[i + 1] == '"') {
					sb_addc(&field, '"');
					i++;
				} else {
					in_quotes = false;
					after_quote = true;
				}
			} else {
				if (c == '\n') {
					line++;
					line_start = i + 1;
				}
				sb_addc(&field, (char)c);
			}
			continue;
		}
		if (c == '"' && !after_quote &&
		    strspn(sb_str(&field), " \t") == field.len) {
			sb_free(&field);
			in_quotes = quoted = true;
			continue;
		}
		if (c == ',' ) {
			record_push(&r, &field, quoted);
			quoted = after_quote = false;
			continue;
		}
		if (c == '\r' && i + 1 < len && buf[i + 1] == '\n')
			continue;
		if (c == '\n' || c == '\r' || c == EOF) {
			if (r.n || field.len || quoted)
				record_push(&r, &field, quoted);
			ok = take_record(name, &r, cf, &header, err, errlen);
			record_clear(&r);
			quoted = after_quote = false;
			line++;
			line_start = i + 1;
			r.line = line;
			continue;
		}
		if (after_quote) {
			if (c == ' ' || c == '\t')
				continue;
			snprintf(err, errlen, "%s, line %zu: text after a closing quote", name, line);
			ok = false;
			break;
		}
		sb_addc(&field, (char)c);
	}
	record_clear(&r);
	free(r.f);
	sb_free(&field);
	free(header);
	if (ok && !cf->n) {
		snprintf(err, errlen, "%s: no table counts in it (expected lines TABLE,COUNT or "
			 "SCHEMA,TABLE,COUNT)", name);
		ok = false;
	}
	if (ok) {
		qsort(cf->t, cf->n, sizeof *cf->t, table_cmp);
		for (size_t k = 1; k < cf->n; k++)
			if (str_eq(cf->t[k].name, cf->t[k - 1].name)) {
				char *safe = text_safe(cf->t[k].name);

				snprintf(err, errlen, "%s: table %.100s is listed twice (lines %zu and "
					 "%zu)", name, safe, cf->t[k - 1].line < cf->t[k].line ?
					 cf->t[k - 1].line : cf->t[k].line, cf->t[k - 1].line <
					 cf->t[k].line ? cf->t[k].line : cf->t[k - 1].line);
				free(safe);
				ok = false;
				break;
			}
	}
	if (!ok) {
		char keep[65];

		memcpy(keep, cf->sha256, sizeof keep);
		counts_free(cf);
		memcpy(cf->sha256, keep, sizeof keep);
	}
	return ok;
}

bool counts_read(const char *path, struct counts_file *cf, char *err, size_t errlen)
{
	struct stat st;
	char *buf;
	size_t got = 0;
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	bool ok;

	memset(cf, 0, sizeof *cf);
	if (fd < 0) {
		snprintf(err, errlen, "cannot read %s: %s", path, strerror(errno));
		return false;
	}
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		snprintf(err, errlen, "%s is not a regular file", path);
		return false;
	}
	if (st.st_size > COUNTS_MAX_BYTES) {
		close(fd);
		snprintf(err, errlen, "%s is larger than %ld MiB: not a row count export", path,
			 COUNTS_MAX_BYTES / (1024 * 1024));
		return false;
	}
	buf = xmalloc((size_t)st.st_size + 1);
	for (;;) {
		ssize_t n = read(fd, buf + got, (size_t)st.st_size + 1 - got);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			snprintf(err, errlen, "cannot read %s: %s", path, strerror(errno));
			close(fd);
			free(buf);
			return false;
		}
		if (n == 0)
			break;
		got += (size_t)n;
		if (got > (size_t)st.st_size) {
			snprintf(err, errlen, "%s grew while it was read", path);
			close(fd);
			free(buf);
			return false;
		}
	}
	close(fd);
	ok = counts_parse(path, buf, got, cf, err, errlen);
	free(buf);
	return ok;
}

enum cmp_status compare_counts(const char *old_path, const char *new_path, struct cmp_result *r)
{
	struct counts_file o, n;
	char err[700];
	size_t i = 0, k = 0;

	cmp_result_init(r);
	r->from_counts = true;
	r->exact = true;
	snprintf(r->old_label, sizeof r->old_label, "%s", old_path);
	snprintf(r->new_label, sizeof r->new_label, "%s", new_path);
	{
		struct stat so, sn;

		/* One file given twice proves nothing, as one database twice. */
		if (stat(old_path, &so) == 0 && stat(new_path, &sn) == 0 &&
		    so.st_dev == sn.st_dev && so.st_ino == sn.st_ino) {
			r->status = CMP_FAILED;
			snprintf(r->error, sizeof r->error, "OLD and NEW are the same file");
			snprintf(r->fix, sizeof r->fix, "Export the counts on the old server and on "
				 "the new one into two files, and compare those.");
			return r->status;
		}
	}
	if (!counts_read(old_path, &o, err, sizeof err)) {
		snprintf(r->old_sha256, sizeof r->old_sha256, "%s", o.sha256);
		r->status = CMP_FAILED;
		snprintf(r->error_side, sizeof r->error_side, "old");
		snprintf(r->error, sizeof r->error, "%.590s", err);
		snprintf(r->fix, sizeof r->fix, "Save the old server's output of the row count "
			 "query again as CSV (osmigrate compare --counts-query shows it and how).");
		return r->status;
	}
	snprintf(r->old_sha256, sizeof r->old_sha256, "%s", o.sha256);
	if (!counts_read(new_path, &n, err, sizeof err)) {
		snprintf(r->new_sha256, sizeof r->new_sha256, "%s", n.sha256);
		counts_free(&o);
		r->status = CMP_FAILED;
		snprintf(r->error_side, sizeof r->error_side, "new");
		snprintf(r->error, sizeof r->error, "%.590s", err);
		snprintf(r->fix, sizeof r->fix, "Save the new server's output of the row count "
			 "query again as CSV (osmigrate compare --counts-query shows it and how).");
		return r->status;
	}
	snprintf(r->new_sha256, sizeof r->new_sha256, "%s", n.sha256);
	while (i < o.n || k < n.n) {
		int c = i >= o.n ? 1 : k >= n.n ? -1 : strcmp(o.t[i].name, n.t[k].name);

		if (c < 0) {
			cmp_add_diff(r, CMP_RELATION, o.t[i].name, "table", "table", NULL);
			i++;
		} else if (c > 0) {
			cmp_add_diff(r, CMP_RELATION, n.t[k].name, "table", NULL, "table");
			k++;
		} else {
			r->compared[CMP_RELATION]++;
			r->compared[CMP_ROWS]++;
			if (o.t[i].rows != n.t[k].rows) {
				char a[24], b[24];

				snprintf(a, sizeof a, "%lld", o.t[i].rows);
				snprintf(b, sizeof b, "%lld", n.t[k].rows);
				cmp_add_diff(r, CMP_ROWS, o.t[i].name, "row count", a, b);
			}
			i++;
			k++;
		}
	}
	counts_free(&o);
	counts_free(&n);
	r->status = r->ndiffs ? CMP_DIFFERENT : CMP_IDENTICAL;
	return r->status;
}

enum counts_dbms counts_dbms_parse(const char *s)
{
	if (!s)
		return COUNTS_DBMS_UNKNOWN;
	if (strcasecmp(s, "sqlserver") == 0 || strcasecmp(s, "sql server") == 0 ||
	    strcasecmp(s, "mssql") == 0)
		return COUNTS_SQLSERVER;
	if (strcasecmp(s, "oracle") == 0)
		return COUNTS_ORACLE;
	return COUNTS_DBMS_UNKNOWN;
}

static const char sqlserver_howto[] =
	"SQL Server: on the old server, then on the new one, in the platform database, run\n"
	"this read-only query (sys.partitions.rows, which Microsoft documents as approximate:\n"
	"run it while the front-ends are stopped, so nothing writes in between):\n"
	"\n"
	"  SET NOCOUNT ON;\n"
	"  SELECT s.name AS schema_name, t.name AS table_name, SUM(p.rows) AS row_count\n"
	"  FROM sys.tables AS t\n"
	"  JOIN sys.schemas AS s ON s.schema_id = t.schema_id\n"
	"  JOIN sys.partitions AS p ON p.object_id = t.object_id AND p.index_id IN (0, 1)\n"
	"  WHERE t.is_ms_shipped = 0\n"
	"  GROUP BY s.name, t.name\n"
	"  ORDER BY s.name, t.name;\n"
	"\n"
	"Save it (in counts.sql) and keep each output as CSV:\n"
	"  sqlcmd -S OLD-SERVER -d PLATFORM-DB -E -s, -W -i counts.sql -o old.csv\n"
	"  sqlcmd -S NEW-SERVER -d PLATFORM-DB -E -s, -W -i counts.sql -o new.csv\n"
	"Then: osmigrate compare --counts old.csv new.csv, or set [compare] old_counts and\n"
	"new_counts and run the verify step's checks (r).\n"
	"\n"
	"Guidance, general SQL Server practice (not OutSystems documentation): a database\n"
	"restored on another server may have orphaned users, database users without a\n"
	"login of the same SID there. On the new server, in the platform database:\n"
	"\n"
	"  SELECT dp.name AS user_name, dp.type_desc\n"
	"  FROM sys.database_principals AS dp\n"
	"  LEFT JOIN sys.server_principals AS sp ON sp.sid = dp.sid\n"
	"  WHERE sp.sid IS NULL AND dp.type IN ('S', 'U', 'G')\n"
	"    AND dp.authentication_type_desc = 'INSTANCE' AND dp.principal_id > 4;\n"
	"\n"
	"Each user listed is fixed by the DBA (a change, which osmigrate never makes):\n"
	"  ALTER USER [user_name] WITH LOGIN = [login_name];\n";

static const char oracle_howto[] =
	"Oracle: connected as the platform schema's owner, on the old database, then on the\n"
	"new one, run this read-only query. It counts every table exactly (one count per\n"
	"table, through DBMS_XMLGEN); user_tables.num_rows alone is the statistics'\n"
	"estimate, as of the last gather:\n"
	"\n"
	"  SET MARKUP CSV ON\n"
	"  SET FEEDBACK OFF\n"
	"  SET PAGESIZE 50000\n"
	"  SELECT table_name,\n"
	"         TO_NUMBER(EXTRACTVALUE(XMLTYPE(DBMS_XMLGEN.GETXML(\n"
	"           'SELECT COUNT(*) c FROM \"' || table_name || '\"')), '/ROWSET/ROW/C'))\n"
	"           AS row_count\n"
	"  FROM user_tables\n"
	"  ORDER BY table_name;\n"
	"  EXIT\n"
	"\n"
	"Save it (in counts.sql; SET MARKUP CSV needs SQL*Plus 12.2 or later) and keep\n"
	"each output as CSV:\n"
	"  sqlplus -s PLATFORM_USER@OLD-DB @counts.sql > old.csv\n"
	"  sqlplus -s PLATFORM_USER@NEW-DB @counts.sql > new.csv\n"
	"Then: osmigrate compare --counts old.csv new.csv, or set [compare] old_counts and\n"
	"new_counts and run the verify step's checks (r).\n";

void counts_howto(enum counts_dbms d, struct strbuf *sb)
{
	if (d != COUNTS_ORACLE)
		sb_add(sb, sqlserver_howto);
	if (d == COUNTS_DBMS_UNKNOWN)
		sb_add(sb, "\n");
	if (d != COUNTS_SQLSERVER)
		sb_add(sb, oracle_howto);
}
