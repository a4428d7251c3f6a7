/* test_typemap.c - both mapping tables, the ardo precision/scale rule, the
 * findings and probe plans derived from a classification. */
#include <criterion/criterion.h>
#include <string.h>

#include "typemap.h"
#include "util.h"

#define NUMMOD(p, s) ((((p) << 16) | ((s) & 0x7ff)) + 4)
#define LEN(n) ((n) + 4)

struct expect {
	const char *label;
	struct tm_column col;
	const char *ardo;       /* tm_mapping_format of each side */
	const char *supported;
};

#define BASE(name) { "pg_catalog", name, 'b', false, false, -1, false, 0, NULL, 0, 0 }
#define BASEM(name, mod) { "pg_catalog", name, 'b', false, false, mod, false, 0, NULL, 0, 0 }

/* Every row of both tables (domain.md section 3), written out. */
static const struct expect cases[] = {
	{ "character(10)", BASEM("bpchar", LEN(10)), "Text(10)", "Text" },
	{ "varchar(40)", BASEM("varchar", LEN(40)), "Text(40)", "Text" },
	{ "varchar", BASE("varchar"), "Text", "Text" },
	{ "uuid", BASE("uuid"), "Text", "Text" },
	{ "xml", BASE("xml"), "ignored", "Text" },
	{ "citext", { "public", "citext", 'b', false, false, -1, false, 0, NULL, 0, 0 }, "ignored", "Text" },
	{ "text", BASE("text"), "Text", "Text" },
	{ "real", BASE("float4"), "Decimal(24,0)", "Text" },
	{ "double precision", BASE("float8"), "Text", "Text" },
	{ "numeric(30,2)", BASEM("numeric", NUMMOD(30, 2)), "Text(33)", "Text" },
	{ "numeric(29,0)", BASEM("numeric", NUMMOD(29, 0)), "Text", "Text" },
	{ "numeric(20,9)", BASEM("numeric", NUMMOD(20, 9)), "Text(23)", "Text" },
	{ "integer", BASE("int4"), "Integer", "Integer" },
	{ "smallint", BASE("int2"), "Integer", "Integer" },
	{ "numeric(1,0)", BASEM("numeric", NUMMOD(1, 0)), "Integer", "Integer" },
	{ "numeric(9,0)", BASEM("numeric", NUMMOD(9, 0)), "Integer", "Integer" },
	{ "bigint", BASE("int8"), "Long Integer", "Long Integer" },
	{ "numeric(10,0)", BASEM("numeric", NUMMOD(10, 0)), "Long Integer", "Long Integer" },
	{ "numeric(18,0)", BASEM("numeric", NUMMOD(18, 0)), "Long Integer", "Long Integer" },
	{ "money", BASE("money"), "ignored", "Decimal" },
	{ "numeric(19,0)", BASEM("numeric", NUMMOD(19, 0)), "Decimal(19,0)", "Decimal(19,0)" },
	{ "numeric(28,0)", BASEM("numeric", NUMMOD(28, 0)), "Decimal(28,0)", "Decimal(28,0)" },
	{ "numeric(28,8)", BASEM("numeric", NUMMOD(28, 8)), "Decimal(28,8)", "Decimal(28,8)" },
	{ "numeric(12,2)", BASEM("numeric", NUMMOD(12, 2)), "Decimal(12,2)", "Decimal(12,2)" },
	{ "numeric unconstrained", BASE("numeric"), "Integer", "undocumented" },
	{ "numeric(5,-2)", BASEM("numeric", NUMMOD(5, -2)), "Text(8)", "undocumented" },
	{ "bit(1)", BASEM("bit", 1), "ignored", "Boolean" },
	{ "boolean", BASE("bool"), "Boolean", "Boolean" },
	{ "date", BASE("date"), "Date", "Date" },
	{ "timestamp", BASE("timestamp"), "Date Time", "Date Time" },
	{ "timestamptz", BASE("timestamptz"), "Date Time", "undocumented" },
	{ "time", BASE("time"), "Time", "undocumented" },
	{ "timetz", BASE("timetz"), "Time", "undocumented" },
	{ "bytea", BASE("bytea"), "Binary Data", "Binary Data" },
	{ "json", BASE("json"), "ignored", "undocumented" },
	{ "jsonb", BASE("jsonb"), "ignored", "undocumented" },
	{ "box", BASE("box"), "ignored", "ignored" },
	{ "cidr", BASE("cidr"), "ignored", "ignored" },
	{ "circle", BASE("circle"), "ignored", "ignored" },
	{ "inet", BASE("inet"), "ignored", "ignored" },
	{ "line", BASE("line"), "ignored", "ignored" },
	{ "lseg", BASE("lseg"), "ignored", "ignored" },
	{ "macaddr", BASE("macaddr"), "ignored", "ignored" },
	{ "path", BASE("path"), "ignored", "ignored" },
	{ "point", BASE("point"), "ignored", "ignored" },
	{ "polygon", BASE("polygon"), "ignored", "ignored" },
	{ "tsquery", BASE("tsquery"), "ignored", "ignored" },
	{ "tsvector", BASE("tsvector"), "ignored", "ignored" },
	{ "txid_snapshot", BASE("txid_snapshot"), "ignored", "ignored" },
	{ "bit varying", BASE("varbit"), "ignored", "ignored" },
	{ "interval", BASE("interval"), "ignored", "ignored" },
	{ "integer[]", { "pg_catalog", "_int4", 'b', true, false, -1, false, 0, NULL, 0, 0 }, "ignored", "ignored" },
	{ "enum", { "public", "mood", 'e', false, false, -1, false, 0, NULL, 0, 0 }, "ignored", "ignored" },
	{ "composite", { "public", "pair", 'c', false, false, -1, false, 0, NULL, 0, 0 }, "ignored", "ignored" },
	{ "hstore", { "public", "hstore", 'b', false, false, -1, false, 0, NULL, 0, 0 }, "ignored", "undocumented" },
	{ "int4range", BASE("int4range"), "ignored", "undocumented" },
	{ "macaddr8", BASE("macaddr8"), "ignored", "undocumented" },
	{ "domain over numeric(12,2)", { "pg_catalog", "numeric", 'b', false, true, NUMMOD(12, 2), false, 0, NULL, 0, 0 }, "Decimal(12,2)", "Decimal(12,2)" },
};

Test(typemap, every_row_of_both_tables)
{
	for (size_t i = 0; i < OSM_ARRAY_LEN(cases); i++) {
		struct tm_class cls;
		char a[64], s[64];

		typemap_classify(&cases[i].col, &cls);
		tm_mapping_format(&cls.ardo, a, sizeof a);
		tm_mapping_format(&cls.supported, s, sizeof s);
		cr_expect_str_eq(a, cases[i].ardo, "%s under ardo: got %s", cases[i].label, a);
		cr_expect_str_eq(s, cases[i].supported, "%s under supported: got %s", cases[i].label, s);
		cr_expect_not_null(cls.ardo.source, "%s: ardo source cited", cases[i].label);
		cr_expect_not_null(cls.supported.source, "%s: supported source cited", cases[i].label);
	}
}

Test(typemap, every_table_row_is_cited_and_covered)
{
	/* each catalog type named in a table has a test case above */
	for (size_t i = 0; i < tm_n_supported_rows; i++) {
		cr_expect(!str_empty(tm_supported_rows[i].source));
		if (tm_supported_rows[i].pg_type[0] == '<')
			continue;
		bool found = false;
		for (size_t k = 0; k < OSM_ARRAY_LEN(cases); k++)
			if (strcmp(cases[k].col.type_name, tm_supported_rows[i].pg_type) == 0)
				found = true;
		cr_expect(found, "supported row %s has no test case", tm_supported_rows[i].pg_type);
	}
	for (size_t i = 0; i < tm_n_ardo_rows; i++) {
		cr_expect(!str_empty(tm_ardo_rows[i].source));
		if (tm_ardo_rows[i].pg_type[0] == '<')
			continue;
		bool found = false;
		for (size_t k = 0; k < OSM_ARRAY_LEN(cases); k++)
			if (strcmp(cases[k].col.type_name, tm_ardo_rows[i].pg_type) == 0)
				found = true;
		cr_expect(found, "ardo row %s has no test case", tm_ardo_rows[i].pg_type);
	}
}

Test(typemap, ardo_precision_scale_rule)
{
	static const struct { int p, s; const char *want; } r[] = {
		{ -1, -1, "Integer" }, { 9, 0, "Integer" }, { 10, 0, "Long Integer" },
		{ 18, -1, "Long Integer" }, { 19, 0, "Decimal(19,0)" }, { 24, -1, "Decimal(24,0)" },
		{ 28, 0, "Decimal(28,0)" }, { 29, 0, "Text" }, { 53, -1, "Text" },
		{ 28, 8, "Decimal(28,8)" }, { 29, 1, "Text(32)" }, { 10, 9, "Text(13)" },
		{ 5, 2, "Decimal(5,2)" },
	};
	for (size_t i = 0; i < OSM_ARRAY_LEN(r); i++) {
		struct tm_mapping m;
		char buf[64];
		typemap_ardo_numeric_rule(r[i].p, r[i].s, &m);
		tm_mapping_format(&m, buf, sizeof buf);
		cr_expect_str_eq(buf, r[i].want, "(%d,%d) -> %s", r[i].p, r[i].s, buf);
	}
}

struct collected {
	enum tf_code code[16];
	enum tf_severity sev[16];
	int n;
};

static void collect(void *ud, enum tf_code code, enum tf_severity sev)
{
	struct collected *c = ud;
	c->code[c->n] = code;
	c->sev[c->n] = sev;
	c->n++;
}

static struct collected findings_of(const struct tm_column *col)
{
	struct tm_class cls;
	struct collected c = { .n = 0 };
	typemap_classify(col, &cls);
	typemap_findings(col, &cls, collect, &c);
	return c;
}

static bool has(const struct collected *c, enum tf_code code, enum tf_severity sev)
{
	for (int i = 0; i < c->n; i++)
		if (c->code[i] == code && c->sev[i] == sev)
			return true;
	return false;
}

Test(typemap, findings_per_difference)
{
	struct tm_column real = BASE("float4"), money = BASE("money"), json = BASE("json"),
		box = BASE("box"), tstz = BASE("timestamptz"), num = BASE("numeric"),
		same = BASE("int4");
	struct collected c;

	c = findings_of(&real);
	cr_expect(c.n == 1 && has(&c, TF_TYPE_CHANGED, TS_BLOCKER));
	c = findings_of(&money);
	cr_expect(c.n == 1 && has(&c, TF_NEWLY_MAPPED, TS_WARNING));
	c = findings_of(&json);
	cr_expect(c.n == 1 && has(&c, TF_MAPPING_UNDOCUMENTED, TS_WARNING));
	c = findings_of(&box);
	cr_expect(c.n == 1 && has(&c, TF_STILL_IGNORED, TS_INFO));
	c = findings_of(&tstz);
	cr_expect(c.n == 2 && has(&c, TF_MAPPING_UNDOCUMENTED, TS_WARNING) &&
		  has(&c, TF_TIMEZONE_SEMANTICS, TS_WARNING));
	c = findings_of(&num);
	cr_expect(c.n == 1 && has(&c, TF_MAPPING_UNDOCUMENTED, TS_WARNING));
	c = findings_of(&same);
	cr_expect_eq(c.n, 0);
}

Test(typemap, keys_and_autonumbers)
{
	struct tm_column serial = BASE("int4"), bigserial = BASE("int8"), ident = BASE("int4"),
		bigkey = BASE("int8"), textkey = BASEM("varchar", LEN(20)), composite = BASE("int8");
	struct collected c;

	serial.default_expr = "nextval('t_id_seq'::regclass)";
	serial.pk_position = serial.pk_columns = 1;
	c = findings_of(&serial);
	cr_expect_eq(c.n, 0, "serial key: same under both");

	bigserial.default_expr = "nextval('t_id_seq'::regclass)";
	bigserial.pk_position = bigserial.pk_columns = 1;
	c = findings_of(&bigserial);
	cr_expect(has(&c, TF_KEY_CHANGED, TS_WARNING) && has(&c, TF_AUTONUMBER_CHANGED, TS_WARNING));

	ident.identity = 'a';
	ident.pk_position = ident.pk_columns = 1;
	c = findings_of(&ident);
	cr_expect(c.n == 1 && has(&c, TF_AUTONUMBER_CHANGED, TS_WARNING), "identity not detected by ardo");

	bigkey.pk_position = bigkey.pk_columns = 1;
	c = findings_of(&bigkey);
	cr_expect(c.n == 1 && has(&c, TF_KEY_CHANGED, TS_WARNING));

	textkey.pk_position = textkey.pk_columns = 1;
	c = findings_of(&textkey);
	cr_expect_eq(c.n, 0);

	composite.pk_position = 1;
	composite.pk_columns = 2;
	c = findings_of(&composite);
	cr_expect_eq(c.n, 0, "composite keys are not identifiers under either");
}

static struct tm_probe plan_of(const struct tm_column *col)
{
	struct tm_class cls;
	struct tm_probe p;
	typemap_classify(col, &cls);
	typemap_probe_plan(col, &cls, &p);
	return p;
}

Test(typemap, probe_plans)
{
	struct tm_column date = BASE("date"), ts = BASE("timestamp"), tstz = BASE("timestamptz"),
		num = BASE("numeric"), n12 = BASEM("numeric", NUMMOD(12, 2)), box = BASE("box"),
		i4 = BASE("int4"), json = BASE("json"), money = BASE("money"), t = BASE("time");
	struct tm_probe p;

	date.not_null = true;
	p = plan_of(&date);
	cr_expect_eq(p.kinds, TP_DATETIME_RANGE);
	cr_expect(p.target_documented);
	cr_expect_eq(typemap_probe_severity(TF_DATETIME_OUT_OF_RANGE, &p), TS_BLOCKER);

	p = plan_of(&ts);
	cr_expect_eq(p.kinds, TP_DATETIME_RANGE | TP_NULLS);
	cr_expect_eq(typemap_probe_severity(TF_NULLS_READ_AS_DEFAULT, &p), TS_INFO);

	p = plan_of(&tstz);
	cr_expect_eq(p.kinds, TP_DATETIME_RANGE | TP_NULLS);
	cr_expect(!p.target_documented, "timestamptz: probed against ardo's Date Time");
	cr_expect_eq(typemap_probe_severity(TF_DATETIME_OUT_OF_RANGE, &p), TS_WARNING);

	p = plan_of(&num);
	cr_expect_eq(p.kinds, TP_INT_RANGE | TP_DECIMAL_SCALE | TP_NULLS,
		     "unconstrained numeric: against ardo's Integer and the probable Decimal");
	cr_expect_eq(p.target, OST_INTEGER);

	n12.not_null = true;
	p = plan_of(&n12);
	cr_expect_eq(p.kinds, 0, "numeric(12,2) always fits Decimal");

	p = plan_of(&box);
	cr_expect_eq(p.kinds, 0);
	p = plan_of(&json);
	cr_expect_eq(p.kinds, 0);

	i4.pk_position = i4.pk_columns = 1;
	p = plan_of(&i4);
	cr_expect_eq(p.kinds, 0, "integer key: nothing can overflow, no NULLs");

	p = plan_of(&money);
	cr_expect_eq(p.kinds, TP_NULLS);
	cr_expect_eq(typemap_probe_severity(TF_NULLS_READ_AS_DEFAULT, &p), TS_WARNING);

	t.not_null = true;
	p = plan_of(&t);
	cr_expect_eq(p.kinds, TP_TIME_RANGE);
}

Test(typemap, names_round_trip)
{
	for (int i = 0; i < TF_NCODES; i++) {
		enum tf_code c;
		cr_expect(tf_code_parse(tf_code_name((enum tf_code)i), &c));
		cr_expect_eq(c, i);
		cr_expect(!str_empty(tf_explain((enum tf_code)i)));
		cr_expect(!str_empty(tf_fix((enum tf_code)i)));
	}
	for (int i = 0; i < TS_NSEV; i++) {
		enum tf_severity s;
		cr_expect(tf_severity_parse(tf_severity_name((enum tf_severity)i), &s));
		cr_expect_eq(s, i);
	}
	enum tf_code c;
	cr_expect(!tf_code_parse("NOPE", &c));
}

Test(typemap, messages_name_both_types)
{
	struct strbuf sb = STRBUF_INIT;
	tf_format_message(&sb, TF_TYPE_CHANGED, "real", "Decimal(24,0)", "Text", -1);
	cr_expect_str_eq(sb_str(&sb), "real changes from Decimal(24,0) (ardoPostgreSQL) to Text (supported connector)");
	sb_reset(&sb);
	tf_format_message(&sb, TF_MAPPING_UNDOCUMENTED, "json", "ignored", "undocumented", -1);
	cr_expect(strstr(sb_str(&sb), "mapping undocumented") != NULL);
	sb_free(&sb);
}
