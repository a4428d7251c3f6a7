/* counts.h - the clone verification for the databases osmigrate cannot
 * read (an OutSystems 11 .NET platform database is SQL Server or Oracle):
 * the operator runs a read-only query that lists every table of the
 * platform schema with its row count, on the old and on the new server,
 * saves each output as CSV, and compare_counts compares the two files:
 * tables missing on either side and row counts that differ.
 *
 * The files are untrusted input: a UTF-8 byte order mark, CRLF, quoted
 * fields ("" inside), sqlcmd's dashes line and "(N rows affected)" footer,
 * sqlplus's "N rows selected." and a header repeated on each page are
 * understood; anything else that is not "name,count" or
 * "schema,name,count" is refused with its line number, as are a line
 * longer than COUNTS_MAX_LINE, a file larger than COUNTS_MAX_BYTES, a NUL
 * byte, a negative or oversized count and a table listed twice.  Names
 * are neutralised (text.h) where they are shown.  Each file's SHA-256 is
 * kept so that the record names the evidence it rests on.
 * UI-free: never include curses here. */
#ifndef OSM_COUNTS_H
#define OSM_COUNTS_H

#include <stdbool.h>
#include <stddef.h>

#include "compare.h"

#define COUNTS_MAX_BYTES (64L * 1024 * 1024)
#define COUNTS_MAX_LINE 65536

enum counts_dbms { COUNTS_DBMS_UNKNOWN = 0, COUNTS_SQLSERVER, COUNTS_ORACLE };

struct counts_table {
	char *name;        /* "schema.table" or "table", as the file spells it */
	long long rows;
	size_t line;
};

struct counts_file {
	char sha256[65];
	struct counts_table *t;
	size_t n, cap;
};

/* Read and parse one file; false with err ("FILE, line N: ...") otherwise. */
bool counts_read(const char *path, struct counts_file *cf, char *err, size_t errlen);
/* The same on a buffer (tests); name is what err calls it. */
bool counts_parse(const char *name, const char *buf, size_t len, struct counts_file *cf,
		  char *err, size_t errlen);
void counts_free(struct counts_file *cf);

/* Compare OLD.csv and NEW.csv: r->from_counts set, the labels name the
 * files, the digests are filled, compared[CMP_RELATION] and [CMP_ROWS]
 * count the tables present in both; diffs for a table only on one side
 * and for a differing count.  CMP_FAILED with error and fix when a file
 * cannot be read or parsed. */
enum cmp_status compare_counts(const char *old_path, const char *new_path, struct cmp_result *r);

/* "sqlserver", "oracle" (also LifeTime's DatabaseProvider spellings
 * "SqlServer", "SQLServer", "Oracle"; case-insensitive), else UNKNOWN. */
enum counts_dbms counts_dbms_parse(const char *s);
/* What the operator runs and how to save it, for one DBMS (UNKNOWN: both):
 * the read-only query, the command that saves its output as CSV, and for
 * SQL Server the orphaned-users query and fix, marked as general SQL
 * Server practice, not OutSystems documentation. */
void counts_howto(enum counts_dbms d, struct strbuf *sb);

#endif
