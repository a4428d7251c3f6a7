/* test_compare.c - the renderings of a comparison result: text for people
 * (control characters from object names neutralised), JSON for scripts
 * (valid, escaped, every field present).  The comparison itself runs
 * against real PostgreSQL databases in tests/e2e/compare_clone.sh. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>

#include "compare.h"
#include "compare_out.h"
#include "json.h"
#include "util.h"

static void push_diff(struct cmp_result *r, enum cmp_kind k, const char *obj, const char *what,
		      const char *o, const char *n, const char *msg)
{
	struct cmp_diff *d;

	r->diffs = xreallocarray(r->diffs, r->ndiffs + 1, sizeof *r->diffs);
	r->capdiffs = r->ndiffs + 1;
	d = &r->diffs[r->ndiffs++];
	d->kind = k;
	d->object = xstrdup(obj);
	d->what = xstrdup(what);
	d->old_value = o ? xstrdup(o) : NULL;
	d->new_value = n ? xstrdup(n) : NULL;
	d->message = xstrdup(msg);
}

static void sample(struct cmp_result *r)
{
	cmp_result_init(r);
	r->status = CMP_DIFFERENT;
	strcpy(r->old_label, "database 127.0.0.1:5432/old as osm");
	strcpy(r->new_label, "database 127.0.0.1:5432/new as osm");
	r->old_version = r->new_version = 150018;
	r->exact = true;
	r->compared[CMP_SCHEMA] = 1;
	r->compared[CMP_ROWS] = 3;
	push_diff(r, CMP_COLUMN, "public.\"t\x1b[2J\".\"a\"\"b\"", "type", "integer", "bigint",
		  "column public.\"t\x1b[2J\".\"a\"\"b\": type integer in old, bigint in new");
	push_diff(r, CMP_RELATION, "public.gone", "only in old", "table", NULL,
		  "table public.gone: only in old");
	r->notes = xreallocarray(NULL, 1, sizeof *r->notes);
	r->notes[0] = xstrdup("sequence public.s: not readable\nby this user");
	r->nnotes = r->capnotes = 1;
}

Test(compare_render, text_neutralises_control_characters)
{
	struct cmp_result r;
	struct strbuf sb = STRBUF_INIT;

	sample(&r);
	cmp_result_text(&r, &sb);
	cr_expect(strchr(sb_str(&sb), '\x1b') == NULL, "escape code reached the text: %s", sb_str(&sb));
	cr_expect(strstr(sb_str(&sb), "column public.\"t?[2J\".\"a\"\"b\": type integer in old, bigint in new\n"),
		  "%s", sb_str(&sb));
	cr_expect(strstr(sb_str(&sb), "  sequence public.s: not readable by this user\n"), "%s", sb_str(&sb));
	cr_expect(strstr(sb_str(&sb), "differences (2):\n"));
	cr_expect(strstr(sb_str(&sb), "result: 2 differences\n"));
	cr_expect(strstr(sb_str(&sb), "(PostgreSQL 15.18)"));
	sb_free(&sb);
	cmp_result_free(&r);
}

Test(compare_render, json_is_valid_and_complete)
{
	struct cmp_result r;
	struct strbuf sb = STRBUF_INIT;
	struct json *j;
	char err[256];
	const struct json *d0, *d1;
	long long v;

	sample(&r);
	cmp_result_json(&r, &sb);
	j = json_parse(sb_str(&sb), sb.len, err, sizeof err);
	cr_assert(j, "invalid JSON (%s): %s", err, sb_str(&sb));
	cr_expect(json_get_int(j, "version", &v) && v == 2, "versioned JSON");
	cr_expect_str_eq(json_get_str(j, "result"), "different");
	cr_expect_str_eq(json_get_str(j, "row_counts"), "exact");
	cr_expect(json_get_int(json_get(j, "compared"), "row_counts", &v) && v == 3);
	cr_expect(json_get_int(json_get(j, "old"), "server_version", &v) && v == 150018);
	cr_assert_eq(json_count(json_get(j, "differences")), 2);
	d0 = json_at(json_get(j, "differences"), 0);
	cr_expect_str_eq(json_get_str(d0, "kind"), "column");
	cr_expect_str_eq(json_get_str(d0, "object"), "public.\"t\x1b[2J\".\"a\"\"b\"");
	cr_expect_str_eq(json_get_str(d0, "old"), "integer");
	d1 = json_at(json_get(j, "differences"), 1);
	cr_expect_str_eq(json_get_str(d1, "kind"), "table");
	cr_expect_eq(json_get(d1, "new")->type, JSON_NULL);
	cr_assert_eq(json_at(json_get(j, "notes"), 0)->type, JSON_STRING);
	cr_expect_str_eq(json_at(json_get(j, "notes"), 0)->str,
			 "sequence public.s: not readable\nby this user");
	cr_expect_eq(json_get(j, "error")->type, JSON_NULL);
	json_free(j);
	sb_free(&sb);
	cmp_result_free(&r);
}

Test(compare_render, failure_names_side_and_fix)
{
	struct cmp_result r;
	struct strbuf sb = STRBUF_INIT;
	struct json *j;
	char err[256];

	cmp_result_init(&r);
	r.status = CMP_FAILED;
	strcpy(r.old_label, "database db1:5432/shop");
	strcpy(r.error_side, "new");
	strcpy(r.error, "new: connection refused");
	strcpy(r.fix, "Start the server.");
	cmp_result_text(&r, &sb);
	cr_expect(strstr(sb_str(&sb), "new: (not connected)\n"), "%s", sb_str(&sb));
	cr_expect(strstr(sb_str(&sb), "result: could not compare: new: connection refused\n"));
	cr_expect(strstr(sb_str(&sb), "what to do: Start the server.\n"));
	cr_expect(strstr(sb_str(&sb), "compared:") == NULL, "nothing was compared");
	sb_reset(&sb);
	cmp_result_json(&r, &sb);
	j = json_parse(sb_str(&sb), sb.len, err, sizeof err);
	cr_assert(j, "invalid JSON (%s): %s", err, sb_str(&sb));
	cr_expect_str_eq(json_get_str(j, "result"), "error");
	cr_expect_str_eq(json_get_str(json_get(j, "error"), "side"), "new");
	cr_expect_str_eq(json_get_str(json_get(j, "error"), "fix"), "Start the server.");
	cr_expect_eq(json_get(json_get(j, "new"), "label")->type, JSON_NULL);
	json_free(j);
	sb_free(&sb);
	cmp_result_free(&r);
}

Test(compare_render, kind_names)
{
	cr_expect_str_eq(cmp_kind_name(CMP_RELATION), "table");
	cr_expect_str_eq(cmp_kind_name(CMP_ROWS), "rows");
	cr_expect_str_eq(cmp_kind_plural(CMP_INDEX), "indexes");
	cr_expect_str_eq(cmp_kind_plural(CMP_ROWS), "row_counts");
}

static struct cmp_identity ident(const char *sysid, const char *started, const char *oid)
{
	struct cmp_identity id;

	memset(&id, 0, sizeof id);
	snprintf(id.system_identifier, sizeof id.system_identifier, "%s", sysid);
	snprintf(id.started, sizeof id.started, "%s", started);
	snprintf(id.datoid, sizeof id.datoid, "%s", oid);
	snprintf(id.datname, sizeof id.datname, "shop");
	return id;
}

#define T0 "2026-11-22T04:31:00.123456Z"
#define T1 "2026-11-22T05:00:00.000001Z"

Test(compare_identity, one_database_reached_twice_is_the_same)
{
	struct cmp_identity a = ident("7000", T0, "16384"), b = ident("7000", T0, "16384");

	cr_expect_eq(cmp_same_database(&a, &b), CMP_SAME_DATABASE);
	/* system identifier unreadable on a side: the start time still ties them */
	b.system_identifier[0] = '\0';
	cr_expect_eq(cmp_same_database(&a, &b), CMP_SAME_DATABASE);
}

Test(compare_identity, two_databases_of_one_server_are_distinct)
{
	struct cmp_identity a = ident("7000", T0, "16384"), b = ident("7000", T0, "16390");

	cr_expect_eq(cmp_same_database(&a, &b), CMP_DISTINCT);
}

Test(compare_identity, a_physical_copy_is_another_server)
{
	/* pg_basebackup or a storage snapshot: same system identifier and
	 * OIDs, but a server of its own, started at another time */
	struct cmp_identity a = ident("7000", T0, "16384"), b = ident("7000", T1, "16384");

	cr_expect_eq(cmp_same_database(&a, &b), CMP_DISTINCT);
	b = ident("7001", T0, "16384");
	cr_expect_eq(cmp_same_database(&a, &b), CMP_DISTINCT, "different clusters");
}

Test(compare_identity, an_incomplete_identity_is_unknown_never_distinct)
{
	struct cmp_identity a = ident("7000", T0, "16384"), b = ident("7000", "", "16384");

	cr_expect_eq(cmp_same_database(&a, &b), CMP_SAME_UNKNOWN);
	b = ident("7000", T0, "");
	cr_expect_eq(cmp_same_database(&a, &b), CMP_SAME_UNKNOWN);
}

Test(compare_render, json_names_each_sides_database)
{
	struct cmp_result r;
	struct strbuf sb = STRBUF_INIT;
	struct json *j;
	char err[256];
	long long v;

	sample(&r);
	r.old_id = ident("7000", T0, "16384");
	r.new_id = ident("", T1, "16390");
	r.exact = false;
	r.counted = 2;
	cmp_result_json(&r, &sb);
	j = json_parse(sb_str(&sb), sb.len, err, sizeof err);
	cr_assert(j, "invalid JSON (%s): %s", err, sb_str(&sb));
	cr_expect_str_eq(json_get_str(json_get(j, "old"), "database"), "shop");
	cr_expect_str_eq(json_get_str(json_get(j, "old"), "database_oid"), "16384");
	cr_expect_str_eq(json_get_str(json_get(j, "old"), "system_identifier"), "7000");
	cr_expect_eq(json_get(json_get(j, "new"), "system_identifier")->type, JSON_NULL);
	cr_expect(json_get_int(j, "counted_tables", &v) && v == 2);
	json_free(j);
	sb_reset(&sb);
	cmp_result_text(&r, &sb);
	cr_expect(strstr(sb_str(&sb), "2 counted for lack of statistics"), "%s", sb_str(&sb));
	sb_free(&sb);
	cmp_result_free(&r);
}
