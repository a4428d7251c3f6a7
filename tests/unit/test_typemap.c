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

#define BASE(name) { .type_schema = "pg_catalog", .type_name = name, .typtype = 'b', .typmod = -1 }
#define BASEM(name, mod) { .type_schema = "pg_catalog", .type_name = name, .typtype = 'b', .typmod = mod }
#define USER(schema, name, tt) { .type_schema = schema, .type_name = name, .typtype = tt, .typmod = -1 }
/* a domain `depth` levels over a base type */
#define DOMAIN(schema, name, tt, mod, depth) { .type_schema = schema, .type_name = name, \
	.typtype = tt, .is_domain = true, .typmod = mod, .domain_depth = depth }

/* Every row of both tables (domain.md section 3), written out, and how
 * information_schema (which both connectors read) sees the rest. */
static const struct expect cases[] = {
	{ "character(10)", BASEM("bpchar", LEN(10)), "Text(10)", "Text" },
	{ "varchar(40)", BASEM("varchar", LEN(40)), "Text(40)", "Text" },
	{ "varchar", BASE("varchar"), "Text", "Text" },
	{ "uuid", BASE("uuid"), "Text", "Text" },
	{ "xml", BASE("xml"), "ignored", "Text" },
	{ "citext", USER("public", "citext", 'b'), "ignored", "Text" },
	{ "citext outside public", USER("ext", "citext", 'b'), "ignored", "Text (unverified)" },
	{ "text", BASE("text"), "Text", "Text" },
	{ "real", BASE("float4"), "Decimal(24, scale unknown)", "Text" },
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
	{ "bit(8)", BASEM("bit", 8), "ignored", "Boolean" },
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
	{ "integer[]", { .type_schema = "pg_catalog", .type_name = "_int4", .typtype = 'b', .is_array = true, .typmod = -1 }, "ignored", "ignored" },
	/* USER-DEFINED: ignored by both */
	{ "enum", USER("public", "mood", 'e'), "ignored", "ignored" },
	{ "composite", USER("public", "pair", 'c'), "ignored", "ignored" },
	{ "hstore", USER("public", "hstore", 'b'), "ignored", "ignored" },
	{ "ltree", USER("public", "ltree", 'b'), "ignored", "ignored" },
	{ "geometry", USER("postgis", "geometry", 'b'), "ignored", "ignored" },
	{ "vector", USER("public", "vector", 'b'), "ignored", "ignored" },
	{ "user range", USER("public", "floatrange", 'r'), "ignored", "ignored" },
	/* pg_catalog types neither table names */
	{ "int4range", BASE("int4range"), "ignored", "undocumented" },
	{ "macaddr8", BASE("macaddr8"), "ignored", "undocumented" },
	/* domains: information_schema resolves one level */
	{ "domain over numeric(12,2)", DOMAIN("pg_catalog", "numeric", 'b', NUMMOD(12, 2), 1), "Decimal(12,2)", "Decimal(12,2)" },
	{ "domain over varchar(5)", DOMAIN("pg_catalog", "varchar", 'b', LEN(5), 1), "Text(5)", "Text" },
	{ "domain (is_domain only) over int4", { .type_schema = "pg_catalog", .type_name = "int4", .typtype = 'b', .is_domain = true, .typmod = -1 }, "Integer", "Integer" },
	{ "domain over a domain over numeric", DOMAIN("pg_catalog", "numeric", 'b', NUMMOD(12, 2), 2), "ignored", "ignored" },
	{ "domain over a domain over a domain", DOMAIN("pg_catalog", "int4", 'b', -1, 3), "ignored", "ignored" },
	{ "domain over citext", DOMAIN("public", "citext", 'b', -1, 1), "ignored", "ignored" },
	{ "domain over an enum", DOMAIN("public", "mood", 'e', -1, 1), "ignored", "ignored" },
	{ "domain over integer[]", { .type_schema = "pg_catalog", .type_name = "_int4", .typtype = 'b', .is_array = true, .is_domain = true, .typmod = -1, .domain_depth = 1 }, "ignored", "ignored" },
	/* a materialized view: not in information_schema */
	{ "integer in a materialized view", { .type_schema = "pg_catalog", .type_name = "int4", .typtype = 'b', .typmod = -1, .relkind = 'm' }, "not importable", "Integer (unverified)" },
	{ "numeric(12,2) in a partition", { .type_schema = "pg_catalog", .type_name = "numeric", .typtype = 'b', .typmod = NUMMOD(12, 2), .relkind = 'r' }, "Decimal(12,2)", "Decimal(12,2)" },
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
		{ 18, -1, "Long Integer" }, { 19, 0, "Decimal(19,0)" }, { 24, -1, "Decimal(24, scale unknown)" },
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
		same = BASE("int4"), hstore = USER("public", "hstore", 'b'),
		citext = USER("public", "citext", 'b'), citext_ext = USER("ext", "citext", 'b'),
		bit1 = BASEM("bit", 1), bit8 = BASEM("bit", 8),
		dom2 = DOMAIN("pg_catalog", "numeric", 'b', NUMMOD(12, 2), 2),
		mv = BASE("float4"), gen = BASE("int4"), ident_d = BASE("int8");
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

	c = findings_of(&hstore);
	cr_expect(c.n == 1 && has(&c, TF_STILL_IGNORED, TS_INFO),
		  "USER-DEFINED is ignored by both, not undocumented");
	c = findings_of(&citext);
	cr_expect(c.n == 1 && has(&c, TF_NEWLY_MAPPED, TS_WARNING), "Public.citext is documented");
	c = findings_of(&citext_ext);
	cr_expect(c.n == 1 && has(&c, TF_MAPPING_UNVERIFIED, TS_WARNING),
		  "citext outside public: unverified, not a clean NEWLY_MAPPED");
	c = findings_of(&bit1);
	cr_expect(c.n == 1 && has(&c, TF_NEWLY_MAPPED, TS_WARNING));
	c = findings_of(&bit8);
	cr_expect(c.n == 1 && has(&c, TF_BIT_STRING, TS_WARNING), "bit(8): its own code");
	c = findings_of(&dom2);
	cr_expect(c.n == 1 && has(&c, TF_STILL_IGNORED, TS_INFO), "a domain over a domain: USER-DEFINED");

	mv.relkind = 'm';
	c = findings_of(&mv);
	cr_expect_eq(c.n, 0, "a materialized view's columns: the table finding only");

	gen.generated = 's';
	c = findings_of(&gen);
	cr_expect(c.n == 1 && has(&c, TF_GENERATED_COLUMN, TS_WARNING));
	ident_d.identity = 'd';
	c = findings_of(&ident_d);
	cr_expect(c.n == 1 && has(&c, TF_IDENTITY_BY_DEFAULT, TS_INFO), "BY DEFAULT: info, not a warning");
	ident_d.identity = 'a';
	c = findings_of(&ident_d);
	cr_expect(c.n == 1 && has(&c, TF_IDENTITY_ALWAYS, TS_WARNING));
	/* an ignored column is never written */
	box.identity = 'a';
	box.generated = 's';
	c = findings_of(&box);
	cr_expect(c.n == 1 && has(&c, TF_STILL_IGNORED, TS_INFO));
}

Test(typemap, information_schema_notes)
{
	struct tm_column arr = { .type_schema = "pg_catalog", .type_name = "_int4", .typtype = 'b', .is_array = true, .typmod = -1 },
		dom2 = DOMAIN("pg_catalog", "numeric", 'b', -1, 2), domc = DOMAIN("public", "citext", 'b', -1, 1),
		enm = USER("typ", "mood", 'e'), base = BASE("int4"), dom1 = DOMAIN("pg_catalog", "int4", 'b', -1, 1);

	cr_expect_str_eq(typemap_info_schema_note(&arr), "information_schema: ARRAY");
	cr_expect_str_eq(typemap_info_schema_note(&dom2), "information_schema: USER-DEFINED, a domain over a domain");
	cr_expect_str_eq(typemap_info_schema_note(&domc), "information_schema: USER-DEFINED, a domain over a type outside pg_catalog");
	cr_expect_str_eq(typemap_info_schema_note(&enm), "information_schema: USER-DEFINED");
	cr_expect_null(typemap_info_schema_note(&base));
	cr_expect_null(typemap_info_schema_note(&dom1));
}

Test(typemap, keys_and_autonumbers)
{
	struct tm_column serial = BASE("int4"), bigserial = BASE("int8"), ident = BASE("int4"),
		bigkey = BASE("int8"), textkey = BASEM("varchar", LEN(20)), composite = BASE("int8"),
		comp_int = BASE("int4"), datekey = BASE("date"), deckey = BASEM("numeric", NUMMOD(20, 0)),
		hidden = BASE("int8"), hidden_int = BASE("int4"), nodeparse = BASE("int4");
	struct tm_class cls;
	struct collected c;

	serial.default_expr = "nextval('t_id_seq'::regclass)";
	serial.pk_position = serial.pk_columns = 1;
	c = findings_of(&serial);
	cr_expect_eq(c.n, 0, "serial key: same under both");

	/* typescan's node-tree reading gives the same answer */
	nodeparse.default_nextval = true;
	nodeparse.pk_position = nodeparse.pk_columns = 1;
	typemap_classify(&nodeparse, &cls);
	cr_expect(cls.ardo.autonumber && cls.supported.autonumber);

	bigserial.default_expr = "nextval('t_id_seq'::regclass)";
	bigserial.pk_position = bigserial.pk_columns = 1;
	c = findings_of(&bigserial);
	cr_expect(has(&c, TF_KEY_CHANGED, TS_WARNING) && has(&c, TF_AUTONUMBER_CHANGED, TS_WARNING));

	ident.identity = 'a';
	ident.pk_position = ident.pk_columns = 1;
	c = findings_of(&ident);
	cr_expect(c.n == 2 && has(&c, TF_AUTONUMBER_CHANGED, TS_WARNING) &&
		  has(&c, TF_IDENTITY_ALWAYS, TS_WARNING), "identity not detected by ardo; ALWAYS refuses ids");

	bigkey.pk_position = bigkey.pk_columns = 1;
	c = findings_of(&bigkey);
	cr_expect(c.n == 1 && has(&c, TF_KEY_CHANGED, TS_WARNING));

	textkey.pk_position = textkey.pk_columns = 1;
	c = findings_of(&textkey);
	cr_expect_eq(c.n, 0);

	/* an identifier is Integer, Long Integer or Text, never Date or Decimal */
	datekey.pk_position = datekey.pk_columns = 1;
	typemap_classify(&datekey, &cls);
	cr_expect(!cls.supported.key && !cls.ardo.key);
	c = findings_of(&datekey);
	cr_expect_eq(c.n, 0, "a date key is the identifier under neither");
	deckey.pk_position = deckey.pk_columns = 1;
	typemap_classify(&deckey, &cls);
	cr_expect(!cls.supported.key, "Decimal(20,0) cannot be the identifier");
	c = findings_of(&deckey);
	cr_expect_eq(c.n, 0);

	/* composite: ardo marks each Integer/Text member; supported unknown */
	composite.pk_position = 1;
	composite.pk_columns = 2;
	c = findings_of(&composite);
	cr_expect_eq(c.n, 0, "composite keys: the table finding says it");
	comp_int.pk_position = 2;
	comp_int.pk_columns = 2;
	typemap_classify(&comp_int, &cls);
	cr_expect(cls.ardo.key, "ardo marks every member of a composite key");
	cr_expect(!cls.supported.key && cls.supported.key_unknown);
	typemap_classify(&composite, &cls);
	cr_expect(!cls.ardo.key, "but keeps only Integer and Text keys");

	/* a key ardo could not see: no KEY_CHANGED, the table finding says it */
	hidden.pk_position = hidden.pk_columns = 1;
	hidden.pk_hidden_from_ardo = true;
	c = findings_of(&hidden);
	cr_expect_eq(c.n, 0);
	hidden_int.pk_position = hidden_int.pk_columns = 1;
	hidden_int.pk_hidden_from_ardo = true;
	typemap_classify(&hidden_int, &cls);
	cr_expect(!cls.ardo.key && cls.supported.key, "ardo saw no key at all");
}

Test(typemap, table_findings)
{
	struct tm_table mv = { 'm', false, 0, false }, part = { 'r', true, 2, false },
		hidden = { 'r', false, 1, true }, plain = { 'r', false, 1, false },
		view = { 'v', false, 0, false };
	struct collected c;

	c.n = 0;
	typemap_table_findings(&mv, collect, &c);
	cr_expect(c.n == 1 && has(&c, TF_MATVIEW, TS_INFO), "a materialized view: info, never a blocker");
	c.n = 0;
	typemap_table_findings(&part, collect, &c);
	cr_expect(c.n == 2 && has(&c, TF_PARTITION, TS_INFO) && has(&c, TF_COMPOSITE_KEY, TS_WARNING));
	c.n = 0;
	typemap_table_findings(&hidden, collect, &c);
	cr_expect(c.n == 1 && has(&c, TF_KEY_HIDDEN_FROM_ARDO, TS_WARNING));
	c.n = 0;
	typemap_table_findings(&plain, collect, &c);
	cr_expect_eq(c.n, 0);
	c.n = 0;
	typemap_table_findings(&view, collect, &c);
	cr_expect_eq(c.n, 0);
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
		i4 = BASE("int4"), json = BASE("json"), money = BASE("money"), t = BASE("time"),
		n9 = BASEM("numeric", NUMMOD(9, 0)), n30 = BASEM("numeric", NUMMOD(30, 2)),
		neg = BASEM("numeric", NUMMOD(5, -2)), negbig = BASEM("numeric", NUMMOD(28, -3)),
		mvdate = BASE("date"), mvnum = BASE("numeric"), dom2 = DOMAIN("pg_catalog", "numeric", 'b', -1, 2),
		citext_ext = USER("ext", "citext", 'b');
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
	cr_expect_eq(p.kinds, TP_NAN | TP_INFINITY | TP_DECIMAL_RANGE | TP_INT_RANGE |
		     TP_DECIMAL_SCALE | TP_NULLS,
		     "unconstrained numeric: what decimal cannot read, against ardo's Integer and the probable Decimal");
	cr_expect_eq(p.target, OST_INTEGER);
	cr_expect_eq(typemap_probe_severity(TF_NUMERIC_NAN, &p), TS_BLOCKER,
		     "NaN breaks the read whatever the mapping");
	cr_expect_eq(typemap_probe_severity(TF_INTEGER_OVERFLOW, &p), TS_WARNING);

	n12.not_null = true;
	p = plan_of(&n12);
	cr_expect_eq(p.kinds, TP_NAN, "numeric(12,2) fits Decimal, but may hold NaN");
	n9.not_null = true;
	p = plan_of(&n9);
	cr_expect_eq(p.kinds, TP_NAN, "numeric(9,0) -> Integer: NaN only");
	n30.not_null = true;
	p = plan_of(&n30);
	cr_expect_eq(p.kinds, 0, "numeric(30,2) maps to Text: nothing decimal must read");
	neg.not_null = true;
	p = plan_of(&neg);
	cr_expect_eq(p.kinds, TP_NAN | TP_TEXT_LENGTH, "numeric(5,-2): undocumented, ardo's Text(8)");
	cr_expect_eq(p.text_length, 8);
	negbig.not_null = true;
	p = plan_of(&negbig);
	cr_expect_eq(p.kinds, TP_NAN | TP_DECIMAL_RANGE | TP_TEXT_LENGTH,
		     "numeric(28,-3) holds 31 digits: beyond decimal");

	p = plan_of(&box);
	cr_expect_eq(p.kinds, 0);
	p = plan_of(&json);
	cr_expect_eq(p.kinds, 0);
	dom2.not_null = false;
	p = plan_of(&dom2);
	cr_expect_eq(p.kinds, 0, "a domain over a domain is ignored: nothing read");

	i4.pk_position = i4.pk_columns = 1;
	p = plan_of(&i4);
	cr_expect_eq(p.kinds, 0, "integer key: nothing can overflow, no NULLs");

	p = plan_of(&money);
	cr_expect_eq(p.kinds, TP_NULLS);
	cr_expect_eq(typemap_probe_severity(TF_NULLS_READ_AS_DEFAULT, &p), TS_WARNING);

	t.not_null = true;
	p = plan_of(&t);
	cr_expect_eq(p.kinds, TP_TIME_RANGE | TP_TIME_FRACTION);
	cr_expect_eq(typemap_probe_severity(TF_TIME_FRACTION, &p), TS_INFO, "a truncated fraction is info");

	mvdate.relkind = 'm';
	mvdate.not_null = true;
	p = plan_of(&mvdate);
	cr_expect_eq(p.kinds, TP_DATETIME_RANGE);
	cr_expect_eq(typemap_probe_severity(TF_DATETIME_OUT_OF_RANGE, &p), TS_WARNING,
		     "a materialized view: never a blocker");
	mvnum.relkind = 'm';
	p = plan_of(&mvnum);
	cr_expect_eq(p.kinds, TP_NAN | TP_INFINITY | TP_DECIMAL_RANGE);
	cr_expect_eq(typemap_probe_severity(TF_NUMERIC_NAN, &p), TS_WARNING);

	p = plan_of(&citext_ext);
	cr_expect_eq(p.kinds, TP_NULLS);
	cr_expect_eq(typemap_probe_severity(TF_NULLS_READ_AS_DEFAULT, &p), TS_WARNING);
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
	tf_format_message(&sb, TF_TYPE_CHANGED, "real", "Decimal(24, scale unknown)", "Text", -1, NULL);
	cr_expect_str_eq(sb_str(&sb), "real changes from Decimal(24, scale unknown) (ardoPostgreSQL) to Text (supported connector)");
	sb_reset(&sb);
	tf_format_message(&sb, TF_MAPPING_UNDOCUMENTED, "json", "ignored", "undocumented", -1, NULL);
	cr_expect(strstr(sb_str(&sb), "mapping undocumented") != NULL);
	sb_reset(&sb);
	tf_format_message(&sb, TF_STILL_IGNORED, "typ.d2 (domain over integer)", "ignored", "ignored", -1,
			  "information_schema: USER-DEFINED, a domain over a domain");
	cr_expect_str_eq(sb_str(&sb), "typ.d2 (domain over integer) is ignored by both connectors "
			 "(information_schema: USER-DEFINED, a domain over a domain)");
	sb_reset(&sb);
	tf_format_message(&sb, TF_COMPOSITE_KEY, "", "", "", -1, "(a, b)");
	cr_expect(str_startswith(sb_str(&sb), "composite primary key (a, b): "), "%s", sb_str(&sb));
	cr_expect(strstr(sb_str(&sb), "unknown") != NULL, "the supported connector: unknown");
	sb_reset(&sb);
	tf_format_message(&sb, TF_MATVIEW, "", "", "", -1, "not populated");
	cr_expect(str_startswith(sb_str(&sb), "materialized view, not populated: "), "%s", sb_str(&sb));
	cr_expect(strstr(sb_str(&sb), "unverified") != NULL);
	sb_reset(&sb);
	tf_format_message(&sb, TF_NUMERIC_NAN, "numeric", "Integer", "undocumented", 3, NULL);
	cr_expect(str_startswith(sb_str(&sb), "3 NaN values in numeric"), "%s", sb_str(&sb));
	sb_reset(&sb);
	tf_format_message(&sb, TF_MAPPING_UNVERIFIED, "ext.citext", "ignored", "Text (unverified)", -1, NULL);
	cr_expect(strstr(sb_str(&sb), "unverified") != NULL, "%s", sb_str(&sb));
	sb_free(&sb);
}
