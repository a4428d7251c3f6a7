/* test_counts.c - exported per-table row counts (counts.h): the outputs
 * sqlcmd and sqlplus write, read as hostile input, and their comparison. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <criterion/criterion.h>

#include "counts.h"
#include "util.h"

static bool parse(const char *s, struct counts_file *cf, char *err, size_t errlen)
{
	return counts_parse("t.csv", s, strlen(s), cf, err, errlen);
}

static long long rows_of(const struct counts_file *cf, const char *name)
{
	for (size_t i = 0; i < cf->n; i++)
		if (str_eq(cf->t[i].name, name))
			return cf->t[i].rows;
	return -1;
}

/* sqlcmd -s, -W: a header, its dashes, the rows, a blank line and the
 * footer (when NOCOUNT was not set), CRLF line ends, a BOM. */
Test(counts, sqlcmd_output)
{
	struct counts_file cf;
	char err[512];
	const char *s = "\xEF\xBB\xBF" "schema_name,table_name,row_count\r\n"
			"-----------,----------,---------\r\n"
			"dbo,OSSYS_ESPACE,42\r\n"
			"dbo,OSSYS_ENTITY,1200\r\n"
			"\r\n"
			"(2 rows affected)\r\n";

	cr_assert(parse(s, &cf, err, sizeof err), "%s", err);
	cr_expect_eq(cf.n, 2);
	cr_expect_eq(rows_of(&cf, "dbo.OSSYS_ESPACE"), 42);
	cr_expect_eq(rows_of(&cf, "dbo.OSSYS_ENTITY"), 1200);
	cr_expect_eq(strlen(cf.sha256), 64);
	counts_free(&cf);
}

/* sqlplus markup csv: quoted names, the header repeated on a new page,
 * "N rows selected.", a quote doubled inside a name, a comma in one. */
Test(counts, sqlplus_output)
{
	struct counts_file cf;
	char err[512];
	const char *s = "\"TABLE_NAME\",\"ROW_COUNT\"\n"
			"\"OSSYS_ESPACE\",42\n"
			"\"TABLE_NAME\",\"ROW_COUNT\"\n"
			"\"Odd \"\"quoted\"\", name\",7\n"
			"\n"
			"2 rows selected.\n";

	cr_assert(parse(s, &cf, err, sizeof err), "%s", err);
	cr_expect_eq(cf.n, 2);
	cr_expect_eq(rows_of(&cf, "OSSYS_ESPACE"), 42);
	cr_expect_eq(rows_of(&cf, "Odd \"quoted\", name"), 7);
	counts_free(&cf);
}

Test(counts, malformed_input_is_refused_with_its_line)
{
	struct counts_file cf;
	char err[512];
	char *huge;

	cr_expect_not(parse("a,1\nb,-3\n", &cf, err, sizeof err));
	cr_expect(strstr(err, "line 2") && strstr(err, "not a row count"), "%s", err);
	cr_expect_not(parse("a,1\nb,99999999999999999999\n", &cf, err, sizeof err));
	cr_expect(strstr(err, "line 2"), "%s", err);
	cr_expect_not(parse("a,1\na,2\n", &cf, err, sizeof err));
	cr_expect(strstr(err, "listed twice (lines 1 and 2)"), "%s", err);
	cr_expect_not(parse("a,1\n\"b,2\n", &cf, err, sizeof err));
	cr_expect(strstr(err, "not closed"), "%s", err);
	cr_expect_not(parse("a,1\nx,y,z,4\n", &cf, err, sizeof err));
	cr_expect(strstr(err, "line 2") && strstr(err, "4 fields"), "%s", err);
	cr_expect_not(parse("\"a\"b,1\n", &cf, err, sizeof err));
	cr_expect(strstr(err, "after a closing quote"), "%s", err);
	cr_expect_not(parse("", &cf, err, sizeof err));
	cr_expect(strstr(err, "no table counts"), "%s", err);
	cr_expect_not(counts_parse("t.csv", "a,1\n\0b,2\n", 9, &cf, err, sizeof err));
	cr_expect(strstr(err, "NUL"), "%s", err);
	/* A line of a megabyte: refused, not read into a field for ever. */
	huge = xmalloc(1 << 20);
	memset(huge, 'x', (1 << 20) - 1);
	huge[(1 << 20) - 1] = '\0';
	cr_expect_not(parse(huge, &cf, err, sizeof err));
	cr_expect(strstr(err, "longer than"), "%s", err);
	free(huge);
	/* An escape sequence in a bad value is not quoted raw. */
	cr_expect_not(parse("a,1\nb,\x1b[2J\n", &cf, err, sizeof err));
	cr_expect_null(strchr(err, '\x1b'), "%s", err);
}

static char *write_file(const char *dir, const char *name, const char *text)
{
	char *p = xasprintf("%s/%s", dir, name);
	FILE *f = fopen(p, "w");

	cr_assert_not_null(f);
	fputs(text, f);
	fclose(f);
	return p;
}

/* One count differs, one table only in old, one only in new. */
Test(counts, compare_two_files)
{
	char dir[] = "/tmp/osm-counts-XXXXXX";
	char *o, *n, *cmd;
	struct cmp_result r;

	cr_assert_not_null(mkdtemp(dir));
	o = write_file(dir, "old.csv", "dbo,A,1\ndbo,B,2\ndbo,C,3\n");
	n = write_file(dir, "new.csv", "dbo,A,1\ndbo,B,5\ndbo,D,4\n");
	cr_expect_eq(compare_counts(o, n, &r), CMP_DIFFERENT);
	cr_expect(r.from_counts);
	cr_expect_eq(r.compared[CMP_RELATION], 2);
	cr_expect_eq(r.ndiffs, 3);
	cr_expect_str_eq(r.diffs[0].message, "table dbo.B: row count 2 in old, 5 in new");
	cr_expect_str_eq(r.diffs[1].message, "table dbo.C: only in old");
	cr_expect_str_eq(r.diffs[2].message, "table dbo.D: only in new");
	cr_expect_eq(strlen(r.old_sha256), 64);
	cr_expect_str_neq(r.old_sha256, r.new_sha256);
	cmp_result_free(&r);
	cr_expect_eq(compare_counts(o, o, &r), CMP_FAILED);
	cr_expect(strstr(r.error, "same file"), "%s", r.error);
	cmp_result_free(&r);
	free(n);
	n = write_file(dir, "new.csv", "\xEF\xBB\xBF\"dbo\",\"C\",3\r\ndbo,B,2\r\ndbo,A,1\r\n");
	cr_expect_eq(compare_counts(o, n, &r), CMP_IDENTICAL);
	cr_expect_eq(r.compared[CMP_ROWS], 3);
	cmp_result_free(&r);
	cr_expect_eq(compare_counts(o, "/nonexistent/new.csv", &r), CMP_FAILED);
	cr_expect_str_eq(r.error_side, "new");
	cmp_result_free(&r);
	free(o);
	free(n);
	cmd = xasprintf("rm -rf '%s'", dir);
	cr_expect_eq(system(cmd), 0);
	free(cmd);
}

Test(counts, howto_names_the_queries_and_marks_the_guidance)
{
	struct strbuf sb = STRBUF_INIT;

	counts_howto(counts_dbms_parse("SqlServer"), &sb);
	cr_expect(strstr(sb_str(&sb), "sys.partitions"));
	cr_expect(strstr(sb_str(&sb), "sqlcmd"));
	cr_expect(strstr(sb_str(&sb), "-s, -W"));
	cr_expect(strstr(sb_str(&sb), "not OutSystems documentation"));
	cr_expect(strstr(sb_str(&sb), "WITH LOGIN"));
	cr_expect_null(strstr(sb_str(&sb), "user_tables"));
	sb_free(&sb);
	counts_howto(counts_dbms_parse("Oracle"), &sb);
	cr_expect(strstr(sb_str(&sb), "user_tables"));
	cr_expect(strstr(sb_str(&sb), "MARKUP CSV"));
	cr_expect(strstr(sb_str(&sb), "COUNT(*)"));
	cr_expect_null(strstr(sb_str(&sb), "sys.partitions"));
	sb_free(&sb);
	counts_howto(counts_dbms_parse("PostgreSQL"), &sb);
	cr_expect(strstr(sb_str(&sb), "sys.partitions") && strstr(sb_str(&sb), "user_tables"));
	sb_free(&sb);
}
