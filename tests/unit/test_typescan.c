/* test_typescan.c - the database-free parts of typescan: scope parsing,
 * the state file round trip, JSON and text writers, exit codes. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "doc.h"
#include "exitcodes.h"
#include "platformver.h"
#include "state.h"
#include "typecheck.h"
#include "types_out.h"
#include "typescan.h"
#include "util.h"

Test(typescan, table_names_with_quotes_dots_spaces)
{
	struct type_scope s;
	char msg[256];

	type_scope_init(&s);
	cr_assert(type_scope_parse_table(&s, "public.orders", msg, sizeof msg));
	cr_assert(type_scope_parse_table(&s, "\"Odd \"\"Sch.ema\"\"\".\"My Table.v1\"", msg, sizeof msg));
	cr_assert(type_scope_parse_table(&s, "Sales.\"a.b\"", msg, sizeof msg));
	cr_assert_eq(s.ntables, 3);
	cr_expect_str_eq(s.tab_schema[1], "Odd \"Sch.ema\"");
	cr_expect_str_eq(s.tab_name[1], "My Table.v1");
	cr_expect_str_eq(s.tab_schema[2], "Sales");
	cr_expect_str_eq(s.tab_name[2], "a.b");
	cr_expect(!type_scope_parse_table(&s, "nodot", msg, sizeof msg));
	cr_expect(strstr(msg, "schema.table") != NULL);
	cr_expect(!type_scope_parse_table(&s, "\"open.t", msg, sizeof msg));
	cr_expect(!type_scope_parse_table(&s, "a.b.c", msg, sizeof msg));
	cr_expect(!type_scope_parse_table(&s, ".t", msg, sizeof msg));
	cr_expect_eq(s.ntables, 3, "failures add nothing");
	type_scope_free(&s);
}

Test(typescan, scope_from_settings)
{
	struct doc *d = doc_new();
	struct type_scope s;
	char msg[256], *desc;

	doc_set(d, "scope", NULL, "schemas", "public, sales \"Odd, Name\"");
	doc_set(d, "extension", "Orders", "tables", "sales.orders \"x y\".z");
	doc_set(d, "extension", "Other", "tables", "other.t");
	type_scope_init(&s);
	cr_assert(type_scope_from_doc(&s, d, NULL, msg, sizeof msg));
	cr_expect_eq(s.nschemas, 3);
	cr_expect_eq(s.ntables, 3);
	desc = type_scope_describe(&s);
	cr_expect_str_eq(desc, "schemas public, sales, Odd, Name; tables sales.orders, x y.z, other.t");
	free(desc);
	type_scope_free(&s);

	type_scope_init(&s);
	cr_assert(type_scope_from_doc(&s, d, "Other", msg, sizeof msg));
	cr_expect_eq(s.nschemas, 0, "one extension: its tables only");
	cr_expect_eq(s.ntables, 1);
	type_scope_free(&s);

	type_scope_init(&s);
	desc = type_scope_describe(&s);
	cr_expect_str_eq(desc, "all user schemas");
	free(desc);
	doc_free(d);
}

static void fill(struct type_result *r)
{
	type_result_add(r, TF_TYPE_CHANGED, TS_BLOCKER, "typ", "t", "c_real", 2, "real",
			"Decimal(24,0)", "Text", -1, NULL);
	type_result_add(r, TF_DATETIME_OUT_OF_RANGE, TS_BLOCKER, "Odd \"S\"", "T;1", "d #x", 1,
			"date", "Date", "Date", 2, "k'1\nk \"2\"");
	type_result_add(r, TF_STILL_IGNORED, TS_INFO, "typ", "t", "c_box", 3, "box", "ignored",
			"ignored", -1, NULL);
	type_result_add(r, TF_MAPPING_UNDOCUMENTED, TS_WARNING, "typ", "t", "c_json", 4, "json",
			"ignored", "undocumented", -1, NULL);
	r->columns = 10;
	r->tables = 2;
	snprintf(r->at, sizeof r->at, "2026-11-22T04:31:00Z");
	r->scope = xstrdup("schemas typ");
	r->data_probed = true;
}

Test(typescan, store_and_load_round_trip)
{
	struct type_result r, back;
	struct doc *d = doc_new(), *d2;
	struct doc_error derr;
	char err[256], *text;

	type_result_init(&r);
	fill(&r);
	type_result_sort(&r);
	type_result_store(&r, d);
	cr_expect_str_eq(doc_get(d, "types", NULL, "blockers"), "2");
	cr_expect_str_eq(doc_get(d, "types", NULL, "warnings"), "1");
	cr_expect_str_eq(doc_get(d, "types", NULL, "infos"), "1");
	cr_expect_str_eq(doc_get(d, "types", NULL, "columns"), "10");

	/* through the file format and back */
	text = doc_serialize(d, NULL);
	d2 = doc_parse_string(text, strlen(text), "<test>", NULL, NULL, &derr);
	cr_assert_not_null(d2, "%s line %d: %s", derr.file, derr.line, derr.msg);

	type_result_init(&back);
	cr_assert(type_result_load(&back, d2, err, sizeof err), "%s", err);
	cr_assert_eq(back.n, r.n);
	for (size_t i = 0; i < r.n; i++) {
		cr_expect_eq(back.f[i].code, r.f[i].code);
		cr_expect_eq(back.f[i].severity, r.f[i].severity);
		cr_expect_str_eq(back.f[i].schema, r.f[i].schema);
		cr_expect_str_eq(back.f[i].table, r.f[i].table);
		cr_expect_str_eq(back.f[i].column, r.f[i].column);
		cr_expect_str_eq(back.f[i].pg_type, r.f[i].pg_type);
		cr_expect_str_eq(back.f[i].ardo_type, r.f[i].ardo_type);
		cr_expect_str_eq(back.f[i].supported_type, r.f[i].supported_type);
		cr_expect_eq(back.f[i].count, r.f[i].count);
		if (r.f[i].samples)
			cr_expect_str_eq(back.f[i].samples, r.f[i].samples);
		else
			cr_expect_null(back.f[i].samples);
	}
	cr_expect_eq(back.counts[TS_BLOCKER], 2);
	cr_expect_str_eq(back.at, r.at);
	cr_expect_str_eq(back.scope, "schemas typ");

	/* storing again replaces, never accumulates */
	type_result_store(&back, d2);
	{
		size_t n;
		const char **names = doc_section_names(d2, "finding", &n);
		cr_expect_eq(n, 4);
		free(names);
	}
	free(text);
	doc_free(d);
	doc_free(d2);
	type_result_free(&r);
	type_result_free(&back);
}

Test(typescan, load_refuses_tampered_counts)
{
	struct type_result r, back;
	struct doc *d = doc_new();
	char err[256];

	type_result_init(&r);
	fill(&r);
	type_result_store(&r, d);
	doc_set(d, "types", NULL, "blockers", "0");
	type_result_init(&back);
	cr_expect(!type_result_load(&back, d, err, sizeof err));
	cr_expect(strstr(err, "run the type verification again") != NULL);
	type_result_free(&back);

	doc_set(d, "types", NULL, "blockers", "2");
	doc_set(d, "finding", "1", "code", "NOT_A_CODE");
	type_result_init(&back);
	cr_expect(!type_result_load(&back, d, err, sizeof err));
	type_result_free(&back);

	type_result_init(&back);
	cr_expect(!type_result_load(&back, doc_new(), err, sizeof err), "nothing recorded yet");
	type_result_free(&back);
	type_result_free(&r);
	doc_free(d);
}

static char *capture(bool json, const struct type_result *r)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	cr_assert_not_null(f);
	cr_assert(json ? type_result_write_json(r, f) : type_result_write_text(r, f, false));
	fclose(f);
	return buf;
}

Test(typescan, json_and_text_writers)
{
	struct type_result r;
	char *j, *t;

	type_result_init(&r);
	fill(&r);
	type_result_sort(&r);
	j = capture(true, &r);
	cr_expect(str_startswith(j, "{\"version\":2,"));
	cr_expect(strstr(j, "\"schema\":\"Odd \\\"S\\\"\"") != NULL, "quotes escaped: %s", j);
	cr_expect(strstr(j, "\"samples\":[\"k'1\",\"k \\\"2\\\"\"]") != NULL, "samples as an array");
	cr_expect(strstr(j, "\"count\":null") != NULL);
	cr_expect(strstr(j, "\"detail\":null") != NULL);
	cr_expect(strstr(j, "\"summary\":{\"blockers\":2,\"warnings\":1,\"infos\":1,\"columns\":10,"
			    "\"tables\":2,\"probed_tables\":0,\"not_probed\":0,\"errors\":0,\"unmatched\":0}") != NULL, "%s", j);
	cr_expect(strstr(j, "\"unmatched\":[]") != NULL, "%s", j);
	t = capture(false, &r);
	cr_expect(strstr(t, "BLOCKER TYPE_CHANGED") != NULL);
	cr_expect(strstr(t, "(e.g. k'1, k \"2\")") != NULL, "%s", t);
	cr_expect(strstr(t, "2 blockers, 1 warning, 1 info over 10 columns in 2 tables") != NULL);
	free(j);
	free(t);
	type_result_free(&r);
}

/* The text report groups by table, then column: a column's findings read
 * together, a table's own findings and failed probes under its name. */
Test(typescan, text_groups_by_table_then_column)
{
	struct type_result r;
	struct type_finding *f;
	char *t, *p1, *p2, *p3, *p4, *p5;

	type_result_init(&r);
	r.columns = 5;
	r.tables = 3;
	r.data_probed = true;
	snprintf(r.at, sizeof r.at, "2026-11-22T04:31:00Z");
	r.scope = xstrdup("schemas s");
	/* added out of order on purpose */
	type_result_add(&r, TF_NULLS_READ_AS_DEFAULT, TS_WARNING, "s", "a", "n", 2, "numeric",
			"Integer", "undocumented", 4, "id=1\nid=9");
	type_result_add(&r, TF_TYPE_CHANGED, TS_BLOCKER, "s", "b", "r", 1, "real",
			"Decimal(24, scale unknown)", "Text", -1, NULL);
	type_result_add(&r, TF_MAPPING_UNDOCUMENTED, TS_WARNING, "s", "a", "n", 2, "numeric",
			"Integer", "undocumented", -1, NULL);
	type_result_add(&r, TF_NUMERIC_NAN, TS_BLOCKER, "s", "a", "n", 2, "numeric",
			"Integer", "undocumented", 1, "(a, b)=(1, 'x')");
	f = type_result_add(&r, TF_COMPOSITE_KEY, TS_WARNING, "s", "a", "", 0, "", "", "", -1, NULL);
	type_finding_set_detail(&r, f, "(a, b)");
	f = type_result_add(&r, TF_NOT_PROBED, TS_INFO, "s", "v", "", 0, "", "", "", -1, NULL);
	type_finding_set_detail(&r, f, "a view: reading it runs its query; probe its base tables");
	r.not_probed = 1;
	type_result_add_error(&r, "s", "c", "timeout", "the probe ran longer than 1 s",
			      "Raise --probe-timeout.");
	type_result_sort(&r);
	t = capture(false, &r);
	p1 = strstr(t, "\ns.a\n    warning COMPOSITE_KEY          composite primary key (a, b): ");
	p2 = strstr(t, "\n  n numeric: ardoPostgreSQL Integer, supported connector undocumented\n"
		    "    warning MAPPING_UNDOCUMENTED   numeric: mapping undocumented");
	p3 = strstr(t, "    BLOCKER NUMERIC_NAN            1 NaN value in numeric");
	p4 = strstr(t, "\ns.b\n  r real: ardoPostgreSQL Decimal(24, scale unknown), supported connector Text\n"
		    "    BLOCKER TYPE_CHANGED ");
	p5 = strstr(t, "\ns.c\n    error   PROBE_FAILED           could not check the data (timeout): "
		    "the probe ran longer than 1 s. Raise --probe-timeout.\n");
	cr_expect(p1 && p2 && p3 && p4 && p5, "%s", t);
	cr_expect(p1 < p2 && p2 < p3 && p3 < p4 && p4 < p5, "table, then its columns, then the next: %s", t);
	/* one header per column, however many findings */
	cr_expect(strstr(p2 + 1, "\n  n numeric") == NULL, "%s", t);
	cr_expect(strstr(t, "(e.g. id=1, id=9)") != NULL, "%s", t);
	cr_expect(strstr(t, "(e.g. (a, b)=(1, 'x'))") != NULL, "%s", t);
	cr_expect(strstr(t, "\nNot probed (1): s.v.\n") != NULL, "named in the summary: %s", t);
	free(t);

	t = capture(true, &r);
	cr_expect(strstr(t, "{\"code\":\"COMPOSITE_KEY\",\"severity\":\"warning\",\"schema\":\"s\","
			    "\"table\":\"a\",\"column\":null,\"pg_type\":null,\"ardo_type\":null,"
			    "\"supported_type\":null,\"count\":null,\"samples\":[],\"detail\":\"(a, b)\"") != NULL, "%s", t);
	cr_expect(strstr(t, "\"errors\":[\n{\"code\":\"PROBE_FAILED\",\"schema\":\"s\",\"table\":\"c\","
			    "\"cause\":\"timeout\",\"message\":\"the probe ran longer than 1 s\","
			    "\"fix\":\"Raise --probe-timeout.\"}]") != NULL, "%s", t);
	cr_expect(strstr(t, "\"not_probed\":1") != NULL, "%s", t);
	free(t);
	type_result_free(&r);
}

Test(typescan, detail_survives_the_state_file)
{
	struct type_result r, back;
	struct type_finding *f;
	struct doc *d = doc_new();
	char err[256], *m1, *m2;

	type_result_init(&r);
	r.columns = 1;
	f = type_result_add(&r, TF_PARTITION, TS_INFO, "s", "p1", "", 0, "", "", "", -1, NULL);
	type_finding_set_detail(&r, f, "partition of s.p; its rows are probed through s.p");
	type_result_store(&r, d);
	cr_expect_str_eq(doc_get(d, "finding", "1", "detail"),
			 "partition of s.p; its rows are probed through s.p");
	type_result_init(&back);
	cr_assert(type_result_load(&back, d, err, sizeof err), "%s", err);
	cr_assert_eq(back.n, 1);
	m1 = type_finding_message(&r.f[0]);
	m2 = type_finding_message(&back.f[0]);
	cr_expect_str_eq(m2, m1);
	cr_expect(strstr(m1, "partition of s.p; its rows are probed through s.p") != NULL, "%s", m1);
	free(m1);
	free(m2);
	type_result_free(&r);
	type_result_free(&back);
	doc_free(d);
}

Test(typescan, exit_codes_by_worst_finding)
{
	struct type_result r;

	type_result_init(&r);
	/* nothing scanned is never a pass */
	cr_expect_eq(type_result_exit_code(&r), EXIT_NOCHECK);
	cr_expect_eq(type_result_status(&r), CHECK_ERROR);
	r.columns = 3;
	r.tables = 1;
	cr_expect_eq(type_result_exit_code(&r), EXIT_OK);
	cr_expect_null(type_result_scope_problem(&r));
	type_result_add(&r, TF_STILL_IGNORED, TS_INFO, "s", "t", "c", 1, "box", "ignored", "ignored", -1, NULL);
	cr_expect_eq(type_result_exit_code(&r), EXIT_OK, "infos alone: 0");
	type_result_add(&r, TF_KEY_CHANGED, TS_WARNING, "s", "t", "c", 1, "bigint", "Long Integer", "Long Integer", -1, NULL);
	cr_expect_eq(type_result_exit_code(&r), EXIT_WARNINGS);
	cr_expect_eq(type_result_status(&r), CHECK_WARNING);
	r.errors = xcalloc(1, sizeof *r.errors);
	r.errors[0].message = xstrdup("no SELECT privilege");
	r.nerrors = 1;
	cr_expect_eq(type_result_exit_code(&r), EXIT_NOCHECK);
	cr_expect_eq(type_result_status(&r), CHECK_ERROR);
	type_result_add(&r, TF_TYPE_CHANGED, TS_BLOCKER, "s", "t", "c", 1, "real", "Decimal(24,0)", "Text", -1, NULL);
	cr_expect_eq(type_result_exit_code(&r), EXIT_FAILURES, "a blocker outranks could-not-check");
	cr_expect_eq(type_result_status(&r), CHECK_FAILED);
	type_result_free(&r);
}

Test(typescan, state_file_round_trip)
{
	char dir[] = "/tmp/osm-typescan-XXXXXX";
	struct state_error se;
	struct state *st;
	struct type_result r, back;
	char *path, err[256];

	cr_assert_not_null(mkdtemp(dir));
	path = xasprintf("%s/connector-migration.ini", dir);
	st = state_open(path, &se);
	cr_assert_not_null(st, "%s", se.msg);
	state_set_runbook(st, "connector-migration");
	type_result_init(&r);
	fill(&r);
	type_result_sort(&r);
	type_result_store(&r, st->doc);
	cr_assert(state_save(st, &se), "%s", se.msg);
	state_close(st);

	st = state_open_readonly(path, &se);
	cr_assert_not_null(st, "the state schema accepts [types] and [finding]: %s", se.msg);
	type_result_init(&back);
	cr_assert(type_result_load(&back, st->doc, err, sizeof err), "%s", err);
	cr_expect_eq(back.n, 4);
	cr_expect_str_eq(back.f[0].samples, "k'1\nk \"2\"");
	cr_expect_eq(back.counts[TS_BLOCKER], 2);
	state_close(st);
	type_result_free(&r);
	type_result_free(&back);
	unlink(path);
	rmdir(dir);
	free(path);
}

Test(typescan, a_scope_entry_that_matched_nothing_is_named_and_not_a_pass)
{
	struct type_result r;
	char *p, *t;

	type_result_init(&r);
	r.columns = 5;
	r.tables = 1;
	r.unmatched = xcalloc(2, sizeof *r.unmatched);
	r.unmatched[0].schema = "Sales";
	r.unmatched[1].schema = "public";
	r.unmatched[1].table = "Ordrs";
	r.nunmatched = 2;
	cr_expect_eq(type_result_exit_code(&r), EXIT_NOCHECK);
	cr_expect_eq(type_result_status(&r), CHECK_ERROR);
	p = type_result_scope_problem(&r);
	cr_assert_not_null(p);
	cr_expect(strstr(p, "schema Sales, table public.Ordrs") != NULL, "%s", p);
	cr_expect(strstr(p, "case-sensitive") != NULL, "%s", p);
	t = capture(false, &r);
	cr_expect(strstr(t, "NO_MATCH               table public.Ordrs: matches no table or view") != NULL, "%s", t);
	cr_expect(strstr(t, "1 scope entr") == NULL && strstr(t, "2 scope entries matched nothing") != NULL, "%s", t);
	free(t);
	t = capture(true, &r);
	cr_expect(strstr(t, "\"unmatched\":[\n{\"schema\":\"Sales\",\"table\":null},\n"
			    "{\"schema\":\"public\",\"table\":\"Ordrs\"}]") != NULL, "%s", t);
	free(t);
	free(p);
	/* a blocker still outranks could-not-check */
	type_result_add(&r, TF_TYPE_CHANGED, TS_BLOCKER, "s", "t", "c", 1, "real", "Decimal(24,0)", "Text", -1, NULL);
	cr_expect_eq(type_result_exit_code(&r), EXIT_FAILURES);
	free(r.unmatched);
	r.unmatched = NULL;
	r.nunmatched = 0;
	r.columns = 0;
	p = type_result_scope_problem(&r);
	cr_expect(p && strstr(p, "nothing in scope matched a table or view"), "%s", p ? p : "(null)");
	free(p);
	type_result_free(&r);
}

/* uuid columns through the supported connector need Platform Server
 * 11.18.1 (11.18.0 withdrawn): a blocker naming the older environments, a
 * warning where the version is unknown, nothing when all are recent; the
 * finding survives the state file. */
Test(typescan, uuid_needs_platform_11_18_1)
{
	struct uuid_col col = { "s", "t", "id", "uuid", "Text", "Text", 1 };
	struct env_version ev[3] = { { "Dev", "11.18.1" }, { "Test", "11.18.0.38000" },
				     { "Prod", NULL } };
	struct platform_versions pv = { .source = PV_LIFETIME, .env = ev, .n = 3 };
	struct type_result r, back;
	struct doc *d = doc_new();
	char *m, err[256];

	type_result_init(&r);
	typecheck_uuid_findings(&r, &col, 1, &pv);
	cr_assert_eq(r.n, 1);
	cr_assert_eq(r.f[0].code, TF_UUID_PLATFORM_VERSION);
	cr_assert_eq(r.f[0].severity, TS_BLOCKER);
	cr_assert_eq(r.counts[TS_BLOCKER], 1);
	m = type_finding_message(&r.f[0]);
	cr_assert(strstr(m, "needs Platform Server 11.18.1 or later (11.18.0 was withdrawn)"), "%s", m);
	cr_assert(strstr(m, "older than 11.18.1: Test 11.18.0.38000; version not reported: Prod"),
		  "%s", m);
	free(m);
	type_result_store(&r, d);
	type_result_init(&back);
	cr_assert(type_result_load(&back, d, err, sizeof err), "%s", err);
	cr_assert_eq(back.n, 1);
	cr_assert_eq(back.f[0].code, TF_UUID_PLATFORM_VERSION);
	type_result_free(&back);
	type_result_free(&r);
	doc_free(d);

	/* only unknown: a warning saying so */
	ev[1].version = "11.40.0";
	type_result_init(&r);
	typecheck_uuid_findings(&r, &col, 1, &pv);
	cr_assert_eq(r.n, 1);
	cr_assert_eq(r.f[0].severity, TS_WARNING);
	m = type_finding_message(&r.f[0]);
	cr_assert(strstr(m, "LifeTime reports no Platform Server version for Prod"), "%s", m);
	free(m);
	type_result_free(&r);

	/* every environment 11.18.1 or later: no finding */
	ev[2].version = "11.43.0";
	type_result_init(&r);
	typecheck_uuid_findings(&r, &col, 1, &pv);
	cr_assert_eq(r.n, 0);
	type_result_free(&r);

	/* nothing known at all: a warning */
	pv.source = PV_UNKNOWN;
	pv.n = 0;
	type_result_init(&r);
	typecheck_uuid_findings(&r, &col, 1, &pv);
	cr_assert_eq(r.n, 1);
	cr_assert_eq(r.f[0].severity, TS_WARNING);
	type_result_free(&r);
}

/* Issue 13: what each extension of Rebind/Refresh shows: the stored
 * findings on the tables it lists (type_scope_from_doc), counted by
 * severity, its blockers by place (a table finding "s.t", no trailing
 * dot); never ok for an extension the scan could not check; stale once
 * the settings changed. */
Test(typescan, findings_per_extension)
{
	struct type_result r;
	struct doc *d = doc_new();
	struct type_index *ix;
	enum check_verdict v;
	char *line, *dg;

	doc_set(d, "osmigrate", NULL, "runbook", "connector-migration");
	doc_set(d, "extension", "A", "tables", "s.t, s.t2");
	doc_set(d, "extension", "B", "tables", "s.t2x");
	doc_add_section(d, "extension", "C");
	doc_set(d, "extension", "D", "tables", "s.t3");
	type_result_init(&r);
	r.columns = 9;
	r.tables = 3;
	type_result_add(&r, TF_TYPE_CHANGED, TS_BLOCKER, "s", "t", "c", 1, "real",
			"Decimal(24,0)", "Text", -1, NULL);
	type_result_add(&r, TF_COMPOSITE_KEY, TS_WARNING, "s", "t", "", 0, "", "", "", -1, NULL);
	type_result_add(&r, TF_STILL_IGNORED, TS_INFO, "s", "t2", "x", 1, "hstore", "ignored",
			"ignored", -1, NULL);
	type_result_add(&r, TF_TYPE_CHANGED, TS_BLOCKER, "s", "other", "c", 1, "real",
			"Decimal(24,0)", "Text", -1, NULL);
	r.unmatched = xcalloc(1, sizeof *r.unmatched);
	r.unmatched[0].schema = "s";
	r.unmatched[0].table = "t2x";
	r.nunmatched = 1;
	type_result_sort(&r);
	type_result_store(&r, d);
	free(r.unmatched);
	r.unmatched = NULL;
	r.nunmatched = 0;
	dg = check_settings_digest(d, "type_verification");
	cr_assert_not_null(dg);
	doc_set(d, "types", NULL, "settings_digest", dg);
	free(dg);

	ix = type_index_build(d);
	line = type_extension_findings(d, ix, "A", 0, &v);
	cr_expect_eq(v, VERDICT_FAILED, "%s", line);
	cr_expect_str_eq(line, "type verification: 1 blocker, 1 warning, 1 info in its 2 tables; "
			 "blockers: s.t.c (TYPE_CHANGED)");
	free(line);
	line = type_extension_findings(d, ix, "B", 0, &v);
	cr_expect_eq(v, VERDICT_ERROR, "%s", line);
	cr_expect(strstr(line, "matched nothing for its table s.t2x") != NULL, "%s", line);
	free(line);
	line = type_extension_findings(d, NULL, "C", 0, &v);
	cr_expect_eq(v, VERDICT_ERROR, "%s", line);
	cr_expect(strstr(line, "lists no tables") != NULL, "%s", line);
	free(line);
	line = type_extension_findings(d, ix, "D", 0, &v);
	cr_expect_eq(v, VERDICT_OK, "%s", line);
	cr_expect_str_eq(line, "type verification: 0 blockers, 0 warnings, 0 infos in its 1 table");
	free(line);
	line = type_place("s", "t", "");
	cr_expect_str_eq(line, "s.t");
	free(line);
	type_index_free(ix);

	doc_set(d, "extension", "D", "tables", "s.t3, s.t");
	line = type_extension_findings(d, NULL, "D", 0, &v);
	cr_expect_eq(v, VERDICT_STALE, "%s", line);
	cr_expect(strstr(line, "stale") && strstr(line, "1 blocker"), "%s", line);
	free(line);
	doc_set(d, "extension", "D", "tables", "s.t3");
	doc_remove_section(d, "types", NULL);
	line = type_extension_findings(d, NULL, "D", 0, &v);
	cr_expect_eq(v, VERDICT_NONE, "%s", line);
	free(line);
	doc_free(d);
	type_result_free(&r);
}
