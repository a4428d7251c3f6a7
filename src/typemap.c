/* typemap.c - the two PostgreSQL -> OutSystems mapping tables as data, the
 * classification of a column under both, and the findings that follow.
 *
 * Sources (details and confidence in ../shared/domain.md):
 *   [OS-MAP]  OutSystems, "Mapping External DB Data Types to OutSystems Data
 *             Types" (supported PostgreSQL / Aurora PostgreSQL connector), domain.md 3
 *   [OS-RN]   OutSystems Platform Server release notes 11.18.0, 11.29.0, 11.38.0, domain.md 2
 *   [ARDO]    ardoPostgreSQL public source, last changed 2021, domain.md 3
 *   [OS-RNG]  OutSystems data type ranges and defaults, domain.md 4
 * To follow a documentation change, edit the rows below; the classification
 * code only walks them. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "typemap.h"
#include "util.h"

#define SRC_OS_MAP "OutSystems 'Mapping External DB Data Types to OutSystems Data Types' (PostgreSQL)"
#define SRC_OS_UNDOC "not in OutSystems 'Mapping External DB Data Types to OutSystems Data Types'"
#define SRC_ARDO "ardoPostgreSQL source (2021)"

const struct tm_row tm_supported_rows[] = {
	/* pg_type.typname, as documented, OutSystems type, source */
	{ "bpchar", "character", OST_TEXT, SRC_OS_MAP },
	{ "varchar", "character varying, varchar", OST_TEXT, SRC_OS_MAP },
	{ "uuid", "uuid", OST_TEXT, SRC_OS_MAP },
	{ "xml", "xml", OST_TEXT, SRC_OS_MAP },
	{ "citext", "citext", OST_TEXT, SRC_OS_MAP },
	{ "text", "text", OST_TEXT, SRC_OS_MAP },
	{ "float4", "real", OST_TEXT, SRC_OS_MAP },
	{ "float8", "double precision", OST_TEXT, SRC_OS_MAP },
	{ "int4", "integer, int, int4, serial, serial4", OST_INTEGER, SRC_OS_MAP },
	{ "int2", "smallint, int2", OST_INTEGER, SRC_OS_MAP },
	{ "int8", "bigint, int8, bigserial, serial8", OST_LONG_INTEGER, SRC_OS_MAP },
	{ "money", "money", OST_DECIMAL, SRC_OS_MAP },
	{ "bit", "bit", OST_BOOLEAN, SRC_OS_MAP },
	{ "bool", "boolean, bool", OST_BOOLEAN, SRC_OS_MAP },
	{ "date", "date", OST_DATE, SRC_OS_MAP },
	{ "timestamp", "timestamp", OST_DATETIME, SRC_OS_MAP },
	{ "bytea", "bytea", OST_BINARY, SRC_OS_MAP },
	{ "box", "box", OST_IGNORED, SRC_OS_MAP },
	{ "cidr", "cidr", OST_IGNORED, SRC_OS_MAP },
	{ "circle", "circle", OST_IGNORED, SRC_OS_MAP },
	{ "inet", "inet", OST_IGNORED, SRC_OS_MAP },
	{ "line", "line", OST_IGNORED, SRC_OS_MAP },
	{ "lseg", "lseg", OST_IGNORED, SRC_OS_MAP },
	{ "macaddr", "macaddr", OST_IGNORED, SRC_OS_MAP },
	{ "path", "path", OST_IGNORED, SRC_OS_MAP },
	{ "point", "point", OST_IGNORED, SRC_OS_MAP },
	{ "polygon", "polygon", OST_IGNORED, SRC_OS_MAP },
	{ "tsquery", "tsquery", OST_IGNORED, SRC_OS_MAP },
	{ "tsvector", "tsvector", OST_IGNORED, SRC_OS_MAP },
	{ "txid_snapshot", "txid_snapshot", OST_IGNORED, SRC_OS_MAP },
	{ "varbit", "bit varying", OST_IGNORED, SRC_OS_MAP },
	{ "interval", "interval", OST_IGNORED, SRC_OS_MAP },
	{ "<array>", "arrays", OST_IGNORED, SRC_OS_MAP },
	{ "<enum>", "user-defined types (enums)", OST_IGNORED, SRC_OS_MAP },
	{ "<composite>", "user-defined types (composites)", OST_IGNORED, SRC_OS_MAP },
	/* Named here only so that the finding can say so; readable since 11.18.0 /
	 * 11.29.0 per [OS-RN], but the mapping page is silent. */
	{ "time", "time", OST_UNDOCUMENTED, SRC_OS_UNDOC "; read fixed in 11.18.0" },
	{ "timetz", "time with time zone", OST_UNDOCUMENTED, SRC_OS_UNDOC "; read fixed in 11.29.0" },
	{ "timestamptz", "timestamp with time zone", OST_UNDOCUMENTED, SRC_OS_UNDOC },
	{ "json", "json", OST_UNDOCUMENTED, SRC_OS_UNDOC },
	{ "jsonb", "jsonb", OST_UNDOCUMENTED, SRC_OS_UNDOC },
	{ "<numeric>", "numeric without precision", OST_UNDOCUMENTED, SRC_OS_UNDOC },
};
const size_t tm_n_supported_rows = OSM_ARRAY_LEN(tm_supported_rows);

/* numeric/decimal(p,s) under the supported connector, first match wins [OS-MAP]. */
static const struct {
	int pmin, pmax, smin, smax;
	enum os_type type;
	const char *source;
} supported_numeric[] = {
	{ 29, 1000, -1000, 1000, OST_TEXT, SRC_OS_MAP ": numeric/decimal with precision > 28" },
	{ 1, 28, 9, 1000, OST_TEXT, SRC_OS_MAP ": numeric/decimal with scale > 8" },
	{ 1, 9, 0, 0, OST_INTEGER, SRC_OS_MAP ": numeric/decimal(1-9, 0)" },
	{ 10, 18, 0, 0, OST_LONG_INTEGER, SRC_OS_MAP ": numeric/decimal(10-18, 0)" },
	{ 19, 28, 0, 0, OST_DECIMAL, SRC_OS_MAP ": numeric/decimal(19-28, 0)" },
	{ 1, 28, 1, 8, OST_DECIMAL, SRC_OS_MAP ": numeric/decimal(1-28, 1-8)" },
	/* negative scale (PostgreSQL 15+) matches nothing: undocumented */
};

const struct tm_row tm_ardo_rows[] = {
	{ "bpchar", "character, char", OST_TEXT, SRC_ARDO },
	{ "varchar", "character varying, varchar", OST_TEXT, SRC_ARDO },
	{ "uuid", "uuid", OST_TEXT, SRC_ARDO },
	{ "text", "text", OST_TEXT, SRC_ARDO },
	{ "bool", "boolean, bool", OST_BOOLEAN, SRC_ARDO },
	{ "date", "date", OST_DATE, SRC_ARDO },
	{ "timestamp", "timestamp without time zone", OST_DATETIME, SRC_ARDO },
	{ "timestamptz", "timestamp with time zone, timestamptz", OST_DATETIME, SRC_ARDO },
	{ "time", "time, time without time zone", OST_TIME, SRC_ARDO },
	{ "timetz", "time with time zone", OST_TIME, SRC_ARDO },
	{ "int4", "integer, int, int4, serial, serial4", OST_INTEGER, SRC_ARDO },
	{ "int2", "smallint, int2", OST_INTEGER, SRC_ARDO },
	{ "int8", "bigint, int8, bigserial, serial8", OST_LONG_INTEGER, SRC_ARDO },
	{ "bytea", "bytea", OST_BINARY, SRC_ARDO },
	{ "box", "box", OST_IGNORED, SRC_ARDO },
	{ "cidr", "cidr", OST_IGNORED, SRC_ARDO },
	{ "circle", "circle", OST_IGNORED, SRC_ARDO },
	{ "inet", "inet", OST_IGNORED, SRC_ARDO },
	{ "line", "line", OST_IGNORED, SRC_ARDO },
	{ "lseg", "lseg", OST_IGNORED, SRC_ARDO },
	{ "macaddr", "macaddr", OST_IGNORED, SRC_ARDO },
	{ "money", "money", OST_IGNORED, SRC_ARDO },
	{ "path", "path", OST_IGNORED, SRC_ARDO },
	{ "point", "point", OST_IGNORED, SRC_ARDO },
	{ "polygon", "polygon", OST_IGNORED, SRC_ARDO },
	{ "tsquery", "tsquery", OST_IGNORED, SRC_ARDO },
	{ "tsvector", "tsvector", OST_IGNORED, SRC_ARDO },
	{ "txid_snapshot", "txid_snapshot", OST_IGNORED, SRC_ARDO },
	{ "xml", "xml", OST_IGNORED, SRC_ARDO },
	{ "bit", "bit", OST_IGNORED, SRC_ARDO },
	{ "varbit", "bit varying", OST_IGNORED, SRC_ARDO },
	{ "interval", "interval", OST_IGNORED, SRC_ARDO },
	{ "<array>", "ARRAY", OST_IGNORED, SRC_ARDO },
	{ "<user-defined>", "USER-DEFINED (enums, composites, citext, extension types)", OST_IGNORED, SRC_ARDO },
	{ "<numeric>", "numeric, decimal, real, double precision: precision/scale rule", OST_UNDOCUMENTED, SRC_ARDO },
	{ "<unknown>", "anything else (json, jsonb, ...)", OST_IGNORED, SRC_ARDO },
};
const size_t tm_n_ardo_rows = OSM_ARRAY_LEN(tm_ardo_rows);

static const char *const os_type_names[] = {
	[OST_IGNORED] = "ignored",
	[OST_UNDOCUMENTED] = "undocumented",
	[OST_TEXT] = "Text",
	[OST_INTEGER] = "Integer",
	[OST_LONG_INTEGER] = "Long Integer",
	[OST_DECIMAL] = "Decimal",
	[OST_BOOLEAN] = "Boolean",
	[OST_DATE] = "Date",
	[OST_DATETIME] = "Date Time",
	[OST_TIME] = "Time",
	[OST_BINARY] = "Binary Data",
};

const char *os_type_name(enum os_type t)
{
	if ((size_t)t < OSM_ARRAY_LEN(os_type_names) && os_type_names[t])
		return os_type_names[t];
	return "undocumented";
}

static const struct tm_row *find_row(const struct tm_row *rows, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(rows[i].pg_type, name) == 0)
			return &rows[i];
	return NULL;
}

static void set_mapping(struct tm_mapping *m, enum os_type t, const char *source)
{
	m->type = t;
	m->length = m->precision = m->scale = -1;
	m->key = m->autonumber = false;
	m->source = source;
}

void typemap_ardo_numeric_rule(int p, int s, struct tm_mapping *m)
{
	/* ardo's own comparison order, NULL precision/scale read as -1: so an
	 * unconstrained numeric (-1, -1) lands on Integer. */
	if (s <= 0) {
		if (p <= 9)
			set_mapping(m, OST_INTEGER, SRC_ARDO ": precision/scale rule, scale <= 0, precision <= 9");
		else if (p <= 18)
			set_mapping(m, OST_LONG_INTEGER, SRC_ARDO ": precision/scale rule, scale <= 0, precision <= 18");
		else if (p <= 28) {
			set_mapping(m, OST_DECIMAL, SRC_ARDO ": precision/scale rule, scale <= 0, precision <= 28");
			m->precision = p;
			m->scale = 0;
		} else
			set_mapping(m, OST_TEXT, SRC_ARDO ": precision/scale rule, scale <= 0, precision > 28");
	} else if (p > 28 || s > 8) {
		set_mapping(m, OST_TEXT, SRC_ARDO ": precision/scale rule, precision > 28 or scale > 8");
		m->length = p + 3;
	} else {
		set_mapping(m, OST_DECIMAL, SRC_ARDO ": precision/scale rule, Decimal(p,s)");
		m->precision = p;
		m->scale = s;
	}
}

/* numeric typmod: ((p << 16) | s) + VARHDRSZ; PostgreSQL 15 stores the
 * scale as an 11-bit signed field (negative scales). */
static bool numeric_typmod(int typmod, int *p, int *s)
{
	if (typmod < 4)
		return false;
	*p = ((typmod - 4) >> 16) & 0xffff;
	*s = (((typmod - 4) & 0x7ff) ^ 1024) - 1024;
	return true;
}

static bool is_catalog_type(const struct tm_column *c)
{
	return c->type_schema == NULL || strcmp(c->type_schema, "pg_catalog") == 0;
}

static void classify_supported(const struct tm_column *c, struct tm_class *out)
{
	struct tm_mapping *m = &out->supported;
	const struct tm_row *row = NULL;
	int p, s;

	if (c->is_array)
		row = find_row(tm_supported_rows, tm_n_supported_rows, "<array>");
	else if (c->typtype == 'e')
		row = find_row(tm_supported_rows, tm_n_supported_rows, "<enum>");
	else if (c->typtype == 'c')
		row = find_row(tm_supported_rows, tm_n_supported_rows, "<composite>");
	else if (strcmp(c->type_name, "citext") == 0)
		/* citext lives in whatever schema the extension was created in. */
		row = find_row(tm_supported_rows, tm_n_supported_rows, "citext");
	else if (is_catalog_type(c) && strcmp(c->type_name, "numeric") == 0) {
		if (!numeric_typmod(c->typmod, &p, &s)) {
			row = find_row(tm_supported_rows, tm_n_supported_rows, "<numeric>");
		} else {
			for (size_t i = 0; i < OSM_ARRAY_LEN(supported_numeric); i++) {
				if (p < supported_numeric[i].pmin || p > supported_numeric[i].pmax ||
				    s < supported_numeric[i].smin || s > supported_numeric[i].smax)
					continue;
				set_mapping(m, supported_numeric[i].type, supported_numeric[i].source);
				if (m->type == OST_DECIMAL) {
					m->precision = p;
					m->scale = s;
				}
				return;
			}
			set_mapping(m, OST_UNDOCUMENTED, SRC_OS_UNDOC ": numeric with a negative scale");
			return;
		}
	} else if (is_catalog_type(c))
		row = find_row(tm_supported_rows, tm_n_supported_rows, c->type_name);
	/* Extension and other user base types (hstore, geometry...) and ranges:
	 * the page says nothing, so neither do we. */
	if (row)
		set_mapping(m, row->type, row->source);
	else
		set_mapping(m, OST_UNDOCUMENTED, SRC_OS_UNDOC);
}

static void classify_ardo(const struct tm_column *c, struct tm_class *out)
{
	struct tm_mapping *m = &out->ardo;
	const struct tm_row *row = NULL;
	int p, s;

	/* ardo reads information_schema.columns: data_type 'ARRAY' and
	 * 'USER-DEFINED' (enums, composites, any non-catalog type such as citext)
	 * are ignored; domains show their base type there. */
	if (c->is_array) {
		row = find_row(tm_ardo_rows, tm_n_ardo_rows, "<array>");
	} else if (!is_catalog_type(c) || c->typtype == 'e' || c->typtype == 'c') {
		row = find_row(tm_ardo_rows, tm_n_ardo_rows, "<user-defined>");
	} else if (strcmp(c->type_name, "numeric") == 0) {
		/* information_schema: numeric_precision NULL without typmod, and
		 * numeric_scale = (typmod - 4) & 65535 (so a negative scale reads big). */
		if (numeric_typmod(c->typmod, &p, &s))
			s = (c->typmod - 4) & 65535;
		else
			p = s = -1;
		typemap_ardo_numeric_rule(p, s, m);
		return;
	} else if (strcmp(c->type_name, "float4") == 0) {
		typemap_ardo_numeric_rule(24, -1, m);   /* information_schema: precision 24, scale NULL */
		return;
	} else if (strcmp(c->type_name, "float8") == 0) {
		typemap_ardo_numeric_rule(53, -1, m);
		return;
	} else {
		row = find_row(tm_ardo_rows, tm_n_ardo_rows, c->type_name);
		if (!row)
			row = find_row(tm_ardo_rows, tm_n_ardo_rows, "<unknown>");
	}
	set_mapping(m, row->type, row->source);
	/* "length = character_maximum_length when set" */
	if (m->type == OST_TEXT && (strcmp(c->type_name, "bpchar") == 0 ||
				    strcmp(c->type_name, "varchar") == 0) && c->typmod >= 4)
		m->length = c->typmod - 4;
}

static bool nextval_default(const struct tm_column *c)
{
	return c->default_expr && str_startswith(c->default_expr, "nextval(");
}

static bool single_pk(const struct tm_column *c)
{
	return c->pk_position > 0 && c->pk_columns == 1;
}

void typemap_classify(const struct tm_column *c, struct tm_class *out)
{
	memset(out, 0, sizeof *out);
	classify_supported(c, out);
	classify_ardo(c, out);
	out->numeric_unconstrained = is_catalog_type(c) && !c->is_array &&
		strcmp(c->type_name, "numeric") == 0 && c->typmod < 4;
	out->timestamptz = is_catalog_type(c) && !c->is_array &&
		strcmp(c->type_name, "timestamptz") == 0;

	/* ardo keeps a primary key only on Integer or Text columns, and detects an
	 * autonumber only on Integer columns defaulting to nextval(): bigint keys
	 * and identity columns lose it [ARDO]. */
	out->ardo.key = single_pk(c) &&
		(out->ardo.type == OST_INTEGER || out->ardo.type == OST_TEXT);
	out->ardo.autonumber = out->ardo.type == OST_INTEGER && nextval_default(c);
	/* The supported connector documents serial/bigserial as Integer/Long
	 * Integer; a single-column primary key of a mapped type is expected to
	 * become the identifier, identity and nextval() columns autonumbers. */
	out->supported.key = single_pk(c) && os_type_mapped(out->supported.type);
	out->supported.autonumber =
		(out->supported.type == OST_INTEGER || out->supported.type == OST_LONG_INTEGER) &&
		(nextval_default(c) || c->identity == 'a' || c->identity == 'd');
}

void tm_mapping_format(const struct tm_mapping *m, char *buf, size_t len)
{
	if (m->type == OST_TEXT && m->length >= 0)
		snprintf(buf, len, "Text(%d)", m->length);
	else if (m->type == OST_DECIMAL && m->precision >= 0)
		snprintf(buf, len, "Decimal(%d,%d)", m->precision, m->scale);
	else
		snprintf(buf, len, "%s", os_type_name(m->type));
}

static const char *const code_names[TF_NCODES] = {
	[TF_TYPE_CHANGED] = "TYPE_CHANGED",
	[TF_NEWLY_MAPPED] = "NEWLY_MAPPED",
	[TF_NEWLY_IGNORED] = "NEWLY_IGNORED",
	[TF_STILL_IGNORED] = "STILL_IGNORED",
	[TF_MAPPING_UNDOCUMENTED] = "MAPPING_UNDOCUMENTED",
	[TF_KEY_CHANGED] = "KEY_CHANGED",
	[TF_AUTONUMBER_CHANGED] = "AUTONUMBER_CHANGED",
	[TF_TIMEZONE_SEMANTICS] = "TIMEZONE_SEMANTICS",
	[TF_DATETIME_OUT_OF_RANGE] = "DATETIME_OUT_OF_RANGE",
	[TF_DECIMAL_SCALE_LOSS] = "DECIMAL_SCALE_LOSS",
	[TF_INTEGER_OVERFLOW] = "INTEGER_OVERFLOW",
	[TF_TEXT_TOO_LONG] = "TEXT_TOO_LONG",
	[TF_NULLS_READ_AS_DEFAULT] = "NULLS_READ_AS_DEFAULT",
};

const char *tf_code_name(enum tf_code c)
{
	return (unsigned)c < TF_NCODES ? code_names[c] : "UNKNOWN";
}

bool tf_code_parse(const char *s, enum tf_code *out)
{
	for (int i = 0; i < TF_NCODES; i++)
		if (str_eq(s, code_names[i])) {
			*out = (enum tf_code)i;
			return true;
		}
	return false;
}

static const char *const sev_names[TS_NSEV] = { "info", "warning", "blocker" };

const char *tf_severity_name(enum tf_severity s)
{
	return (unsigned)s < TS_NSEV ? sev_names[s] : "blocker";
}

bool tf_severity_parse(const char *s, enum tf_severity *out)
{
	for (int i = 0; i < TS_NSEV; i++)
		if (str_eq(s, sev_names[i])) {
			*out = (enum tf_severity)i;
			return true;
		}
	return false;
}

void typemap_findings(const struct tm_column *c, const struct tm_class *cls,
		      void (*emit)(void *ud, enum tf_code code, enum tf_severity sev), void *ud)
{
	enum os_type a = cls->ardo.type, s = cls->supported.type;

	if (!os_type_mapped(a) && s == OST_IGNORED)
		emit(ud, TF_STILL_IGNORED, TS_INFO);
	if (s == OST_UNDOCUMENTED)
		emit(ud, TF_MAPPING_UNDOCUMENTED, TS_WARNING);
	if (!os_type_mapped(a) && os_type_mapped(s))
		/* a new attribute appears, and entity actions will write defaults into it */
		emit(ud, TF_NEWLY_MAPPED, TS_WARNING);
	if (os_type_mapped(a) && s == OST_IGNORED)
		emit(ud, TF_NEWLY_IGNORED, TS_BLOCKER);
	if (os_type_mapped(a) && os_type_mapped(s) && a != s)
		emit(ud, TF_TYPE_CHANGED, TS_BLOCKER);
	if (cls->timestamptz)
		emit(ud, TF_TIMEZONE_SEMANTICS, TS_WARNING);
	if (single_pk(c) && os_type_mapped(s)) {
		if (cls->ardo.key != cls->supported.key)
			emit(ud, TF_KEY_CHANGED, TS_WARNING);
		if (cls->ardo.autonumber != cls->supported.autonumber)
			emit(ud, TF_AUTONUMBER_CHANGED, TS_WARNING);
	}
}

static bool type_is(const struct tm_column *c, const char *name)
{
	return is_catalog_type(c) && !c->is_array && strcmp(c->type_name, name) == 0;
}

void typemap_probe_plan(const struct tm_column *c, const struct tm_class *cls, struct tm_probe *p)
{
	const struct tm_mapping *t;
	int prec = -1, scale = -1;
	bool numeric = type_is(c, "numeric");
	bool flt = type_is(c, "float4") || type_is(c, "float8");

	memset(p, 0, sizeof *p);
	p->text_length = -1;
	if (os_type_mapped(cls->supported.type)) {
		t = &cls->supported;
		p->target_documented = true;
	} else if (cls->supported.type == OST_UNDOCUMENTED && os_type_mapped(cls->ardo.type)) {
		t = &cls->ardo;   /* what the entity holds today */
	} else {
		return;          /* ignored, or nothing to compare against */
	}
	p->target = t->type;
	p->newly_mapped = !os_type_mapped(cls->ardo.type);
	if (numeric && !numeric_typmod(c->typmod, &prec, &scale))
		prec = scale = -1;

	switch (t->type) {
	case OST_DATE:
	case OST_DATETIME:
		if (type_is(c, "date") || type_is(c, "timestamp") || type_is(c, "timestamptz"))
			p->kinds |= TP_DATETIME_RANGE;
		break;
	case OST_TIME:
		/* PostgreSQL accepts 24:00:00, OutSystems stops at 23:59:59 */
		if (type_is(c, "time") || type_is(c, "timetz"))
			p->kinds |= TP_TIME_RANGE;
		break;
	case OST_DECIMAL:
		if ((numeric && (scale < 0 || scale > OS_DECIMAL_MAX_SCALE)) || flt)
			p->kinds |= TP_DECIMAL_SCALE;
		break;
	case OST_INTEGER:
		/* numeric without precision: ardo reads it as Integer today, the
		 * supported connector (undocumented) most likely as Decimal: probe both */
		if (cls->numeric_unconstrained)
			p->kinds |= TP_DECIMAL_SCALE;
		if (type_is(c, "int8") || flt || (numeric && (prec < 0 || prec > 9 || scale != 0)))
			p->kinds |= TP_INT_RANGE;
		break;
	case OST_LONG_INTEGER:
		if (flt || (numeric && (prec < 0 || prec > 18 || scale != 0)))
			p->kinds |= TP_LONG_RANGE;
		break;
	case OST_TEXT:
		/* Only where the attribute length is known and the column can hold
		 * more: PostgreSQL already enforces varchar(n) against n. */
		if (t->length >= 0) {
			int src = -1;
			if ((type_is(c, "varchar") || type_is(c, "bpchar")) && c->typmod >= 4)
				src = c->typmod - 4;
			if (src < 0 || src > t->length) {
				p->kinds |= TP_TEXT_LENGTH;
				p->text_length = t->length;
			}
		}
		break;
	default:
		break;
	}
	if (!c->not_null && c->pk_position == 0)
		p->kinds |= TP_NULLS;
}

enum tf_code typemap_probe_code(unsigned kind)
{
	switch (kind) {
	case TP_DATETIME_RANGE:
	case TP_TIME_RANGE: return TF_DATETIME_OUT_OF_RANGE;
	case TP_DECIMAL_SCALE: return TF_DECIMAL_SCALE_LOSS;
	case TP_INT_RANGE:
	case TP_LONG_RANGE: return TF_INTEGER_OVERFLOW;
	case TP_TEXT_LENGTH: return TF_TEXT_TOO_LONG;
	default: return TF_NULLS_READ_AS_DEFAULT;
	}
}

enum tf_severity typemap_probe_severity(enum tf_code code, const struct tm_probe *p)
{
	/* NULLs read as defaults already under ardo; only a newly mapped
	 * attribute gets defaults written back where nothing was written before. */
	if (code == TF_NULLS_READ_AS_DEFAULT)
		return p->newly_mapped ? TS_WARNING : TS_INFO;
	return p->target_documented ? TS_BLOCKER : TS_WARNING;
}

static const struct {
	const char *explain;
	const char *fix;
} texts[TF_NCODES] = {
	[TF_TYPE_CHANGED] = {
		"After Refresh Entity the attribute changes data type, so every module that uses it as the old type stops compiling or behaves differently.",
		"Before refreshing, list the consumers of this entity; after refreshing, fix their logic for the new type (or change the column type in PostgreSQL so that both connectors agree) and republish them.",
	},
	[TF_NEWLY_MAPPED] = {
		"ardoPostgreSQL ignored this column; the supported connector imports it, so a new attribute appears and entity Create/Update actions will write default values (\"\", 0) into it.",
		"Decide whether the extension should expose it; if not, delete the attribute after Refresh Entity, otherwise check that writing defaults into it is acceptable.",
	},
	[TF_NEWLY_IGNORED] = {
		"ardoPostgreSQL imported this column; the supported connector ignores it, so the attribute disappears after Refresh Entity and the modules using it break.",
		"Change the column to a type the supported connector maps, or remove its uses from the consumer modules before refreshing.",
	},
	[TF_STILL_IGNORED] = {
		"Neither connector imports this column; nothing changes for OutSystems.",
		"Nothing to do unless the application needs it: then convert the column to a mapped type.",
	},
	[TF_MAPPING_UNDOCUMENTED] = {
		"OutSystems does not document how the supported connector maps this type, so the attribute type after Refresh Entity cannot be predicted.",
		"Refresh the entity in a non-production environment first and compare the attribute type with the ardo type shown here; or cast the column to a documented type (e.g. numeric(p,s), timestamp).",
	},
	[TF_KEY_CHANGED] = {
		"The primary key is the entity identifier under one connector and not under the other (ardoPostgreSQL keeps only Integer and Text keys, so bigint keys were not identifiers).",
		"After Refresh Entity, check the entity's Identifier and every reference attribute that points to it; update foreign-key attributes in the consumer modules.",
	},
	[TF_AUTONUMBER_CHANGED] = {
		"Auto-number detection differs: ardoPostgreSQL detects it only on Integer columns defaulting to nextval() (not identity, not bigint); the supported connector probably detects serial, bigserial and identity columns.",
		"After Refresh Entity, check the Is AutoNumber property of the identifier and the Create actions that set (or no longer set) the identifier.",
	},
	[TF_TIMEZONE_SEMANTICS] = {
		"timestamp with time zone: Npgsql 6 and later (bundled from Platform Server 11.38.0) no longer convert time zones implicitly and treat the values as UTC, so displayed and written times can shift.",
		"Check how the application reads and writes this column; convert to UTC explicitly in logic, or change the column to timestamp if it holds local times.",
	},
	[TF_DATETIME_OUT_OF_RANGE] = {
		"Stored values lie outside what OutSystems holds (Date 1900-01-01..3000-12-31, Date Time up to 3000-12-31 23:59:59, Time up to 23:59:59, infinity included).",
		"Correct or clamp these rows (see the sample keys) before switching connectors, or agree with the application owners how the application must treat them.",
	},
	[TF_DECIMAL_SCALE_LOSS] = {
		"Stored values have more than 8 decimal places, more than an OutSystems Decimal keeps: they are rounded when read and written back rounded.",
		"Round the values in PostgreSQL deliberately, or change the column to numeric(p,s) with s > 8 so that it maps to Text.",
	},
	[TF_INTEGER_OVERFLOW] = {
		"Stored values do not fit the target Integer (-2^31..2^31-1) or Long Integer (-2^63..2^63-1), or are not whole numbers: reading them fails or truncates.",
		"Fix the rows (see the sample keys), or change the column type so that it maps to Long Integer, Decimal or Text.",
	},
	[TF_TEXT_TOO_LONG] = {
		"Stored values are longer than the attribute length, so they are cut or rejected on write.",
		"Increase the attribute length after Refresh Entity, or shorten the stored values.",
	},
	[TF_NULLS_READ_AS_DEFAULT] = {
		"OutSystems has no NULL outside identifiers: these NULLs are read as the type's default (0, \"\", 1900-01-01, false) and entity Update actions write the default back.",
		"Accept the defaults, or keep NULLs with Integration Builder's sentinel values, or handle the column with SQL queries instead of entity actions.",
	},
};

const char *tf_explain(enum tf_code code)
{
	return (unsigned)code < TF_NCODES ? texts[code].explain : "";
}

const char *tf_fix(enum tf_code code)
{
	return (unsigned)code < TF_NCODES ? texts[code].fix : "";
}

void tf_format_message(struct strbuf *sb, enum tf_code code, const char *pg_type,
		       const char *ardo, const char *sup, long long count)
{
	switch (code) {
	case TF_TYPE_CHANGED:
		sb_addf(sb, "%s changes from %s (ardoPostgreSQL) to %s (supported connector)",
			pg_type, ardo, sup);
		break;
	case TF_NEWLY_MAPPED:
		sb_addf(sb, "%s was ignored by ardoPostgreSQL and becomes %s", pg_type, sup);
		break;
	case TF_NEWLY_IGNORED:
		sb_addf(sb, "%s was %s under ardoPostgreSQL and is ignored by the supported connector",
			pg_type, ardo);
		break;
	case TF_STILL_IGNORED:
		sb_addf(sb, "%s is ignored by both connectors", pg_type);
		break;
	case TF_MAPPING_UNDOCUMENTED:
		sb_addf(sb, "%s: mapping undocumented for the supported connector (ardoPostgreSQL: %s)",
			pg_type, ardo);
		break;
	case TF_KEY_CHANGED:
		/* ardo drops keys that are not Integer/Text; the supported connector
		 * keeps any mapped key: so the difference always runs this way */
		sb_addf(sb, "primary key %s: not the identifier under ardoPostgreSQL (%s), "
			"the identifier under the supported connector (%s)", pg_type, ardo, sup);
		break;
	case TF_AUTONUMBER_CHANGED:
		sb_addf(sb, "primary key %s: not an auto-number under ardoPostgreSQL (%s), "
			"probably an auto-number under the supported connector (%s)", pg_type, ardo, sup);
		break;
	case TF_TIMEZONE_SEMANTICS:
		sb_addf(sb, "%s: values are treated as UTC by Npgsql 6+ (Platform Server 11.38.0 and later)",
			pg_type);
		break;
	case TF_DATETIME_OUT_OF_RANGE:
		sb_addf(sb, "%lld value(s) of %s outside the OutSystems %s range", count, pg_type,
			str_eq(sup, "undocumented") ? ardo : sup);
		break;
	case TF_DECIMAL_SCALE_LOSS:
		sb_addf(sb, "%lld value(s) of %s with more than 8 decimal places", count, pg_type);
		break;
	case TF_INTEGER_OVERFLOW:
		sb_addf(sb, "%lld value(s) of %s do not fit %s", count, pg_type,
			str_eq(sup, "undocumented") ? ardo : sup);
		break;
	case TF_TEXT_TOO_LONG:
		sb_addf(sb, "%lld value(s) of %s longer than the attribute length", count, pg_type);
		break;
	case TF_NULLS_READ_AS_DEFAULT:
		sb_addf(sb, "%lld NULL(s) in %s read as the %s default", count, pg_type,
			str_eq(sup, "undocumented") ? ardo : sup);
		break;
	default:
		sb_addf(sb, "%s", pg_type);
		break;
	}
}
