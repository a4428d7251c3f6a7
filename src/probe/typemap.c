/* typemap.c - the two PostgreSQL -> OutSystems mapping tables as data, the
 * classification of a column under both, and the findings that follow.
 *
 * Sources (details and confidence in ../shared/domain.md):
 *   [OS-MAP]  OutSystems, "Mapping External DB Data Types to OutSystems Data
 *             Types" (supported PostgreSQL / Aurora PostgreSQL connector), domain.md 3
 *   [OS-RN]   OutSystems Platform Server release notes 11.18.0, 11.29.0, 11.38.0, domain.md 2
 *   [ARDO]    ardoPostgreSQL public source, last changed 2021, domain.md 3
 *   [OS-RNG]  OutSystems data type ranges and defaults, domain.md 4
 *   [NPGSQL]  npgsql.org type documentation and release notes 6.0, domain.md 3
 *   [PG]      PostgreSQL documentation: information_schema.columns, identity and
 *             generated columns, numeric, domain.md 3
 * To follow a documentation change, edit the rows below; the classification
 * code only walks them. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "typemap.h"

/* "1 value", "2 values" in the findings' messages */
#define VALUES(n) plural((unsigned long long)(n), "value", "values")
#include "util.h"

#define SRC_OS_MAP "OutSystems 'Mapping External DB Data Types to OutSystems Data Types' (PostgreSQL)"
#define SRC_OS_UNDOC "not in OutSystems 'Mapping External DB Data Types to OutSystems Data Types'"
#define SRC_ARDO "ardoPostgreSQL source (2021)"
#define SRC_INFO_SCHEMA "information_schema.columns data_type"

const struct tm_row tm_supported_rows[] = {
	/* pg_type.typname, as documented, OutSystems type, source */
	{ "bpchar", "character", OST_TEXT, SRC_OS_MAP },
	{ "varchar", "character varying, varchar", OST_TEXT, SRC_OS_MAP },
	{ "uuid", "uuid", OST_TEXT, SRC_OS_MAP },
	{ "xml", "xml", OST_TEXT, SRC_OS_MAP },
	{ "citext", "Public.citext, Citext", OST_TEXT, SRC_OS_MAP },
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
	/* The page names information_schema data_type values: ARRAY and
	 * USER-DEFINED cover enums, composites, user-defined ranges, extension
	 * types outside pg_catalog (hstore, ltree, geometry, vector) and domains
	 * over domains or over such types (confidence medium: closed source). */
	{ "<array>", "ARRAY", OST_IGNORED, SRC_OS_MAP },
	{ "<user-defined>", "USER-DEFINED", OST_IGNORED, SRC_OS_MAP },
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
	/* the first byte first: this runs twice for every column of a scan */
	for (size_t i = 0; i < n; i++)
		if (rows[i].pg_type[0] == name[0] && strcmp(rows[i].pg_type, name) == 0)
			return &rows[i];
	return NULL;
}

static void set_mapping(struct tm_mapping *m, enum os_type t, const char *source)
{
	memset(m, 0, sizeof *m);
	m->type = t;
	m->length = m->precision = m->scale = -1;
	m->source = source;
}

void typemap_ardo_numeric_rule(int p, int s, struct tm_mapping *m)
{
	/* ardo's own comparison order, NULL precision/scale read as -1: so an
	 * unconstrained numeric (-1, -1) lands on Integer, and real (24, NULL)
	 * on a Decimal whose scale is -1. */
	if (s <= 0) {
		if (p <= 9)
			set_mapping(m, OST_INTEGER, SRC_ARDO ": precision/scale rule, scale <= 0, precision <= 9");
		else if (p <= 18)
			set_mapping(m, OST_LONG_INTEGER, SRC_ARDO ": precision/scale rule, scale <= 0, precision <= 18");
		else if (p <= 28) {
			set_mapping(m, OST_DECIMAL, SRC_ARDO ": precision/scale rule, scale <= 0, precision <= 28");
			m->precision = p;
			m->scale = s < 0 ? -1 : 0;
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

static int depth_of(const struct tm_column *c)
{
	return c->domain_depth > 0 ? c->domain_depth : c->is_domain ? 1 : 0;
}

/* information_schema.columns.data_type, which both connectors read
 * [PG][ARDO][OS-MAP]: a domain is resolved one level only; ARRAY when that
 * type is an array, its name when it lies in pg_catalog, else USER-DEFINED. */
static bool info_array(const struct tm_column *c)
{
	return c->is_array && depth_of(c) <= 1;
}

static bool info_user_defined(const struct tm_column *c)
{
	return !info_array(c) && (depth_of(c) >= 2 || !is_catalog_type(c));
}

/* A pg_catalog type as information_schema names it (not an array, not
 * behind a second domain). */
static bool type_is(const struct tm_column *c, const char *name)
{
	/* the name first: it rules out most columns at its first byte */
	return c->type_name[0] == name[0] && strcmp(c->type_name, name) == 0 &&
	       !info_array(c) && !info_user_defined(c);
}

static void classify_supported(const struct tm_column *c, struct tm_class *out)
{
	struct tm_mapping *m = &out->supported;
	const struct tm_row *row = NULL;
	int p, s;

	if (info_array(c)) {
		row = find_row(tm_supported_rows, tm_n_supported_rows, "<array>");
	} else if (info_user_defined(c)) {
		/* The page lists citext as Public.citext: the extension's type
		 * itself (a domain over it is USER-DEFINED like any other). */
		if (depth_of(c) == 0 && strcmp(c->type_name, "citext") == 0) {
			row = find_row(tm_supported_rows, tm_n_supported_rows, "citext");
			set_mapping(m, row->type, row->source);
			if (!str_eq(c->type_schema, "public")) {
				m->unverified = true;
				m->source = SRC_OS_MAP " lists Public.citext: citext in another schema is unverified";
			}
			return;
		}
		row = find_row(tm_supported_rows, tm_n_supported_rows, "<user-defined>");
	} else if (strcmp(c->type_name, "numeric") == 0) {
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
	} else {
		row = find_row(tm_supported_rows, tm_n_supported_rows, c->type_name);
	}
	/* Other pg_catalog types (ranges, macaddr8, ...): the page says nothing,
	 * so neither do we. */
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
	 * 'USER-DEFINED' (enums, composites, any non-catalog type such as citext,
	 * domains over those or over domains) are ignored. */
	if (info_array(c)) {
		row = find_row(tm_ardo_rows, tm_n_ardo_rows, "<array>");
	} else if (info_user_defined(c)) {
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
	return c->default_nextval || (c->default_expr && str_startswith(c->default_expr, "nextval("));
}

static bool single_pk(const struct tm_column *c)
{
	return c->pk_position > 0 && c->pk_columns == 1;
}

/* An OutSystems identifier is Integer, Long Integer or Text [OS-MAP]. */
static bool identifier_type(enum os_type t)
{
	return t == OST_INTEGER || t == OST_LONG_INTEGER || t == OST_TEXT;
}

void typemap_classify(const struct tm_column *c, struct tm_class *out)
{
	bool in_pk = c->pk_position > 0 && c->pk_columns > 0;

	memset(out, 0, sizeof *out);
	out->info_array = info_array(c);
	out->user_defined = info_user_defined(c);
	out->matview = c->relkind == 'm';
	classify_supported(c, out);
	classify_ardo(c, out);
	out->numeric_unconstrained = type_is(c, "numeric") && c->typmod < 4;
	out->timestamptz = type_is(c, "timestamptz");
	/* bit(n): atttypmod is n; Npgsql reads bit(1) as bool, bit(n > 1) as a
	 * BitArray [NPGSQL] */
	out->bit_string = type_is(c, "bit") && c->typmod > 1;

	if (out->matview) {
		/* not in information_schema: ardo never listed it; whether the
		 * supported connector lists materialized views has no source */
		set_mapping(&out->ardo, OST_IGNORED,
			    SRC_ARDO ": reads information_schema, which has no materialized views");
		out->ardo.label = "not importable";
		if (os_type_mapped(out->supported.type))
			out->supported.unverified = true;
	}

	/* ardo keeps a primary key only on Integer or Text columns, marks every
	 * member of a composite key, sees no key the connection user cannot see
	 * in table_constraints, and detects an autonumber only on Integer
	 * columns defaulting to nextval(): bigint keys and identity columns lose
	 * it [ARDO]. */
	out->ardo.key = in_pk && !c->pk_hidden_from_ardo && !out->matview &&
		(out->ardo.type == OST_INTEGER || out->ardo.type == OST_TEXT);
	out->ardo.autonumber = out->ardo.type == OST_INTEGER && nextval_default(c);
	/* The supported connector documents serial/bigserial as Integer/Long
	 * Integer; a single-column primary key of an identifier type is
	 * probably the identifier, identity and nextval() columns probably
	 * autonumbers; a composite key: unknown. */
	out->supported.key = single_pk(c) && identifier_type(out->supported.type);
	out->supported.key_unknown = in_pk && c->pk_columns > 1 &&
		os_type_mapped(out->supported.type);
	out->supported.autonumber =
		(out->supported.type == OST_INTEGER || out->supported.type == OST_LONG_INTEGER) &&
		(nextval_default(c) || c->identity == 'a' || c->identity == 'd');
}

void tm_mapping_format(const struct tm_mapping *m, char *buf, size_t len)
{
	const char *more = m->unverified ? " (unverified)" : "";

	if (m->label)
		snprintf(buf, len, "%s", m->label);
	else if (m->type == OST_TEXT && m->length >= 0)
		snprintf(buf, len, "Text(%d)%s", m->length, more);
	else if (m->type == OST_DECIMAL && m->precision >= 0 && m->scale < 0)
		snprintf(buf, len, "Decimal(%d, scale unknown)%s", m->precision, more);
	else if (m->type == OST_DECIMAL && m->precision >= 0)
		snprintf(buf, len, "Decimal(%d,%d)%s", m->precision, m->scale, more);
	else if (!*more && len) {
		/* the common case, without printf: once per column of a scan */
		const char *name = os_type_name(m->type);
		size_t n = strlen(name);

		if (n >= len)
			n = len - 1;
		memcpy(buf, name, n);
		buf[n] = '\0';
	} else
		snprintf(buf, len, "%s%s", os_type_name(m->type), more);
}

const char *typemap_info_schema_note(const struct tm_column *c)
{
	if (info_array(c))
		return "information_schema: ARRAY";
	if (!info_user_defined(c))
		return NULL;
	if (depth_of(c) >= 2)
		return "information_schema: USER-DEFINED, a domain over a domain";
	if (depth_of(c) == 1)
		return "information_schema: USER-DEFINED, a domain over a type outside pg_catalog";
	return "information_schema: USER-DEFINED";
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
	[TF_MAPPING_UNVERIFIED] = "MAPPING_UNVERIFIED",
	[TF_BIT_STRING] = "BIT_STRING",
	[TF_IDENTITY_ALWAYS] = "IDENTITY_ALWAYS",
	[TF_IDENTITY_BY_DEFAULT] = "IDENTITY_BY_DEFAULT",
	[TF_GENERATED_COLUMN] = "GENERATED_COLUMN",
	[TF_NUMERIC_NAN] = "NUMERIC_NAN",
	[TF_NUMERIC_INFINITY] = "NUMERIC_INFINITY",
	[TF_NUMERIC_OUT_OF_RANGE] = "NUMERIC_OUT_OF_RANGE",
	[TF_TIME_FRACTION] = "TIME_FRACTION",
	[TF_MATVIEW] = "MATERIALIZED_VIEW",
	[TF_PARTITION] = "PARTITION",
	[TF_COMPOSITE_KEY] = "COMPOSITE_KEY",
	[TF_KEY_HIDDEN_FROM_ARDO] = "KEY_HIDDEN_FROM_ARDO",
	[TF_NOT_PROBED] = "NOT_PROBED",
	[TF_UUID_PLATFORM_VERSION] = "UUID_PLATFORM_VERSION",
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

	/* A materialized view never had an entity: the table finding says so,
	 * and its columns' differences compare with nothing. */
	if (cls->matview)
		return;
	if (!os_type_mapped(a) && s == OST_IGNORED)
		emit(ud, TF_STILL_IGNORED, TS_INFO);
	if (s == OST_UNDOCUMENTED)
		emit(ud, TF_MAPPING_UNDOCUMENTED, TS_WARNING);
	if (!os_type_mapped(a) && os_type_mapped(s)) {
		/* a new attribute appears, and entity actions will write defaults
		 * into it: unless the mapping itself is in doubt */
		if (cls->supported.unverified)
			emit(ud, TF_MAPPING_UNVERIFIED, TS_WARNING);
		else if (cls->bit_string)
			emit(ud, TF_BIT_STRING, TS_WARNING);
		else
			emit(ud, TF_NEWLY_MAPPED, TS_WARNING);
	}
	if (os_type_mapped(a) && s == OST_IGNORED)
		emit(ud, TF_NEWLY_IGNORED, TS_BLOCKER);
	if (os_type_mapped(a) && os_type_mapped(s) && a != s)
		emit(ud, TF_TYPE_CHANGED, TS_BLOCKER);
	if (cls->timestamptz)
		emit(ud, TF_TIMEZONE_SEMANTICS, TS_WARNING);
	/* a key ardo could not see at all: the table finding says so */
	if (single_pk(c) && os_type_mapped(s) && !c->pk_hidden_from_ardo) {
		if (cls->ardo.key != cls->supported.key)
			emit(ud, TF_KEY_CHANGED, TS_WARNING);
		if (cls->ardo.autonumber != cls->supported.autonumber)
			emit(ud, TF_AUTONUMBER_CHANGED, TS_WARNING);
	}
	/* What the database refuses, whichever connector writes [PG]. */
	if (os_type_mapped(s)) {
		if (c->identity == 'a')
			emit(ud, TF_IDENTITY_ALWAYS, TS_WARNING);
		else if (c->identity == 'd')
			emit(ud, TF_IDENTITY_BY_DEFAULT, TS_INFO);
		if (c->generated == 's')
			emit(ud, TF_GENERATED_COLUMN, TS_WARNING);
	}
}

void typemap_table_findings(const struct tm_table *t,
			    void (*emit)(void *ud, enum tf_code code, enum tf_severity sev),
			    void *ud)
{
	if (t->relkind == 'm')
		emit(ud, TF_MATVIEW, TS_INFO);
	if (t->is_partition)
		emit(ud, TF_PARTITION, TS_INFO);
	if (t->pk_columns > 1)
		emit(ud, TF_COMPOSITE_KEY, TS_WARNING);
	if (t->pk_columns > 0 && t->pk_hidden_from_ardo)
		emit(ud, TF_KEY_HIDDEN_FROM_ARDO, TS_WARNING);
}

void typemap_probe_plan(const struct tm_column *c, const struct tm_class *cls, struct tm_probe *p)
{
	const struct tm_mapping *t;
	int prec = -1, scale = -1;
	bool numeric = type_is(c, "numeric");
	bool flt = type_is(c, "float4") || type_is(c, "float8");
	enum os_type s = cls->supported.type;

	memset(p, 0, sizeof *p);
	p->text_length = -1;
	p->unverified = cls->matview;
	if (numeric && !numeric_typmod(c->typmod, &prec, &scale))
		prec = scale = -1;

	/* Values Npgsql cannot read as a .NET decimal, whatever OutSystems
	 * makes of the column, wherever the supported connector reads a number
	 * or may [NPGSQL].  Only an unconstrained numeric holds infinities; only
	 * it, or a negative scale, holds more than 28 integer digits. */
	if (numeric && (s == OST_DECIMAL || s == OST_INTEGER || s == OST_LONG_INTEGER ||
			s == OST_UNDOCUMENTED)) {
		p->kinds |= TP_NAN;
		if (cls->numeric_unconstrained)
			p->kinds |= TP_INFINITY | TP_DECIMAL_RANGE;
		else if (scale < 0 && prec - scale > 28)
			p->kinds |= TP_DECIMAL_RANGE;
	}

	if (os_type_mapped(s)) {
		t = &cls->supported;
		p->target_documented = !cls->supported.unverified;
	} else if (s == OST_UNDOCUMENTED && os_type_mapped(cls->ardo.type)) {
		t = &cls->ardo;   /* what the entity holds today */
	} else {
		return;          /* ignored, or nothing to compare against */
	}
	p->target = t->type;
	p->newly_mapped = !os_type_mapped(cls->ardo.type) && !cls->matview;

	switch (t->type) {
	case OST_DATE:
	case OST_DATETIME:
		if (type_is(c, "date") || type_is(c, "timestamp") || type_is(c, "timestamptz"))
			p->kinds |= TP_DATETIME_RANGE;
		break;
	case OST_TIME:
		/* PostgreSQL accepts 24:00:00, OutSystems stops at 23:59:59 and
		 * keeps whole seconds */
		if (type_is(c, "time") || type_is(c, "timetz"))
			p->kinds |= TP_TIME_RANGE | TP_TIME_FRACTION;
		break;
	case OST_DECIMAL:
		if ((numeric && (cls->numeric_unconstrained || scale > OS_DECIMAL_MAX_SCALE)) || flt)
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
	case TP_NAN: return TF_NUMERIC_NAN;
	case TP_INFINITY: return TF_NUMERIC_INFINITY;
	case TP_DECIMAL_RANGE: return TF_NUMERIC_OUT_OF_RANGE;
	case TP_TIME_FRACTION: return TF_TIME_FRACTION;
	default: return TF_NULLS_READ_AS_DEFAULT;
	}
}

enum tf_severity typemap_probe_severity(enum tf_code code, const struct tm_probe *p)
{
	switch (code) {
	case TF_NULLS_READ_AS_DEFAULT:
		/* NULLs read as defaults already under ardo; only a newly mapped
		 * attribute gets defaults written back where nothing was written before. */
		return p->newly_mapped ? TS_WARNING : TS_INFO;
	case TF_TIME_FRACTION:
		return TS_INFO;
	case TF_NUMERIC_NAN:
	case TF_NUMERIC_INFINITY:
	case TF_NUMERIC_OUT_OF_RANGE:
		return p->unverified ? TS_WARNING : TS_BLOCKER;
	default:
		return p->target_documented && !p->unverified ? TS_BLOCKER : TS_WARNING;
	}
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
		"Neither connector imports this column (information_schema reports ARRAY, USER-DEFINED or a type neither maps); nothing changes for OutSystems.",
		"Nothing to do unless the application needs it: then convert the column to a mapped type.",
	},
	[TF_MAPPING_UNDOCUMENTED] = {
		"OutSystems does not document how the supported connector maps this type, so the attribute type after Refresh Entity cannot be predicted.",
		"Refresh the entity in a non-production environment first and compare the attribute type with the ardo type shown here; or cast the column to a documented type (e.g. numeric(p,s), timestamp).",
	},
	[TF_KEY_CHANGED] = {
		"The primary key is the entity identifier under one connector and not under the other (ardoPostgreSQL keeps only Integer and Text keys, so bigint keys were not identifiers; an identifier is Integer, Long Integer or Text). How the supported connector picks identifiers has no source: probably the single-column primary key.",
		"After Refresh Entity, check the entity's Identifier and every reference attribute that points to it; update foreign-key attributes in the consumer modules.",
	},
	[TF_AUTONUMBER_CHANGED] = {
		"Auto-number detection differs: ardoPostgreSQL detects it only on Integer columns defaulting to nextval() (not identity, not bigint); the supported connector probably detects serial, bigserial and identity columns (no source says how).",
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
	[TF_MAPPING_UNVERIFIED] = {
		"The supported connector's page lists citext as Public.citext: whether it maps citext installed in another schema to Text is unverified (ardoPostgreSQL ignored it, as every USER-DEFINED type).",
		"Refresh the entity in a non-production environment first and check whether the attribute appears as Text; or move the extension to schema public (ALTER EXTENSION citext SET SCHEMA public) if the application allows it.",
	},
	[TF_BIT_STRING] = {
		"The supported connector documents bit as Boolean, but Npgsql reads bit(n) with n > 1 as a bit array, not a bool: the Boolean attribute is doubtful (reads may fail). ardoPostgreSQL ignored bit columns.",
		"Refresh the entity in a non-production environment first and read a row; or change the column to boolean (one flag) or to an integer or text holding the bits.",
	},
	[TF_IDENTITY_ALWAYS] = {
		"GENERATED ALWAYS AS IDENTITY: PostgreSQL rejects an inserted value unless the INSERT says OVERRIDING SYSTEM VALUE, so an entity Create that sends this attribute fails. ardoPostgreSQL never made identity columns auto-numbers (their column_default is NULL), so its Create sent the value; the supported connector probably treats the identifier as an auto-number (no source says so).",
		"After Refresh Entity, check that the identifier is an auto-number and test one Create; for a column that is not the identifier, or if the Create fails, change the column to GENERATED BY DEFAULT AS IDENTITY or write the table through SQL that leaves it out.",
	},
	[TF_IDENTITY_BY_DEFAULT] = {
		"GENERATED BY DEFAULT AS IDENTITY accepts an inserted value (unlike ALWAYS): an entity Create that sends one succeeds, but the identity sequence does not advance, so a later insert without a value may collide with it.",
		"Nothing to do if the identifier is an auto-number after Refresh Entity; otherwise make sure inserts either always or never send the value.",
	},
	[TF_GENERATED_COLUMN] = {
		"A generated column (GENERATED ALWAYS AS (...) STORED) rejects any written value, so entity Create and Update actions that write this attribute fail.",
		"Make the attribute read-only for the application: remove it from the entity after Refresh Entity and read it through a SQL query or a view, or write the table through SQL that leaves it out.",
	},
	[TF_NUMERIC_NAN] = {
		"The column holds NaN, which Npgsql cannot read as a .NET decimal: every read of these rows fails through the supported connector, whatever the attribute type.",
		"Replace the NaN values (see the sample keys) with NULL or a number before switching connectors, and keep the application from writing NaN.",
	},
	[TF_NUMERIC_INFINITY] = {
		"The column holds Infinity or -Infinity (PostgreSQL 14 and later), which Npgsql cannot read as a .NET decimal: every read of these rows fails through the supported connector.",
		"Replace the infinite values (see the sample keys) with NULL or a bounded number before switching connectors.",
	},
	[TF_NUMERIC_OUT_OF_RANGE] = {
		"Stored values lie beyond .NET decimal's range (+-79228162514264337593543950335, about 7.9e28): Npgsql cannot read them, so reads of these rows fail through the supported connector.",
		"Fix these rows (see the sample keys), or change the column to numeric(p,s) with p > 28 so that it maps to Text.",
	},
	[TF_TIME_FRACTION] = {
		"Stored times have fractional seconds; an OutSystems Time keeps whole seconds, so the fraction is truncated on read and lost when the row is written back.",
		"Nothing to do if seconds are enough; otherwise keep the fraction in another column or handle the column with SQL queries.",
	},
	[TF_MATVIEW] = {
		"A materialized view is not in information_schema, so ardoPostgreSQL could never import it; whether the supported connector imports materialized views has no source (unverified). Its values are probed only when it is populated.",
		"Nothing to migrate from ardoPostgreSQL; if an entity is wanted on it, try Integration Studio's import with the supported connector in a non-production environment, or expose it through a view.",
	},
	[TF_PARTITION] = {
		"information_schema lists partitions, so an entity may sit on a partition as well as on the partitioned table. Each row is probed once: through the partitioned table when it is in scope, else through the partition.",
		"Check whether an extension has an entity on this partition; refresh it like any other entity, or move it to the partitioned table.",
	},
	[TF_COMPOSITE_KEY] = {
		"ardoPostgreSQL marked every Integer or Text column of a composite primary key as key; an OutSystems entity has one identifier (Integer, Long Integer or Text), and what the supported connector does with a composite key is unknown.",
		"After Refresh Entity, check the entity's Identifier and the Is Mandatory / key settings of these attributes; if the application needs a single identifier, add a surrogate key column.",
	},
	[TF_KEY_HIDDEN_FROM_ARDO] = {
		"information_schema.table_constraints shows a constraint only to the table's owner or a user with a privilege other than SELECT: the connection user cannot see this primary key there, so under ardoPostgreSQL (if it connected as this user) the entity had no identifier. The supported connector probably finds it (no source says how it reads keys).",
		"After Refresh Entity, check the entity's Identifier, and the Create/Update/Delete actions and reference attributes that now depend on it.",
	},
	[TF_UUID_PLATFORM_VERSION] = {
		"The supported connector writes uuid values correctly only from Platform Server 11.18.0 (release notes), and 11.18.0 was withdrawn on 2022-12-20, so in practice from 11.18.1: an environment older than that, or whose version is not known here, may write this column wrongly through the supported connector.",
		"Upgrade the Platform Server of the environments named here to 11.18.1 or later before switching this extension's connector, or keep the application from writing this column through entity actions there; where the version is unknown, configure [lifetime] or type it on the prerequisites screen and run the verification again.",
	},
	[TF_NOT_PROBED] = {
		"The stored values of this relation were not read: a view's query or a foreign table's server could run arbitrary code or reach other systems, and an unpopulated materialized view has no rows to read. The counts above do not cover it.",
		"Probe the base tables of a view (add them to the scope); check a foreign table on its own server; populate a materialized view (REFRESH MATERIALIZED VIEW) and run the verification again.",
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

/* The OutSystems type a value finding measures against, as a type name:
 * the supported connector's, else (undocumented) ardo's; without the
 * "(unverified)" of a materialized view's. */
static const char *target_of(const char *ardo, const char *sup, char *buf, size_t len)
{
	const char *t = str_eq(sup, "undocumented") ? ardo : sup;
	const char *u = strstr(t, " (unverified)");

	if (!u)
		return t;
	snprintf(buf, len, "%.*s", (int)(u - t), t);
	return buf;
}

void tf_format_message(struct strbuf *sb, enum tf_code code, const char *pg_type,
		       const char *ardo, const char *sup, long long count, const char *detail)
{
	bool more = detail && *detail;
	char tb[64];

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
		 * keeps any identifier-typed key: so the difference always runs this way */
		sb_addf(sb, "primary key %s: not the identifier under ardoPostgreSQL (%s), "
			"probably the identifier under the supported connector (%s)", pg_type, ardo, sup);
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
		sb_addf(sb, "%lld %s of %s outside the OutSystems %s range", count, VALUES(count), pg_type,
			target_of(ardo, sup, tb, sizeof tb));
		break;
	case TF_DECIMAL_SCALE_LOSS:
		sb_addf(sb, "%lld %s of %s with more than 8 decimal places", count, VALUES(count), pg_type);
		break;
	case TF_INTEGER_OVERFLOW:
		sb_addf(sb, "%lld %s of %s %s %s", count, VALUES(count), pg_type, count == 1 ? "does not fit" : "do not fit", target_of(ardo, sup, tb, sizeof tb));
		break;
	case TF_TEXT_TOO_LONG:
		sb_addf(sb, "%lld %s of %s longer than the attribute length", count, VALUES(count), pg_type);
		break;
	case TF_NULLS_READ_AS_DEFAULT:
		sb_addf(sb, "%lld %s in %s read as the %s default", count, plural(count, "NULL", "NULLs"), pg_type,
			target_of(ardo, sup, tb, sizeof tb));
		break;
	case TF_MAPPING_UNVERIFIED:
		sb_addf(sb, "%s: documented as Text for Public.citext only, so %s under the supported "
			"connector is unverified (ignored by ardoPostgreSQL)", pg_type, sup);
		break;
	case TF_BIT_STRING:
		sb_addf(sb, "%s is documented as Boolean, but Npgsql reads bit(n) with n > 1 as a bit "
			"array: a doubtful Boolean (ignored by ardoPostgreSQL)", pg_type);
		break;
	case TF_IDENTITY_ALWAYS:
		sb_addf(sb, "%s GENERATED ALWAYS AS IDENTITY: PostgreSQL rejects an inserted value, "
			"so an entity Create that sends it fails", pg_type);
		break;
	case TF_IDENTITY_BY_DEFAULT:
		sb_addf(sb, "%s GENERATED BY DEFAULT AS IDENTITY: an inserted value is accepted "
			"(unlike ALWAYS), the identity sequence then does not advance", pg_type);
		break;
	case TF_GENERATED_COLUMN:
		sb_addf(sb, "%s is a generated column: PostgreSQL rejects any written value, so entity "
			"Create/Update fail unless the attribute is made read-only", pg_type);
		break;
	case TF_NUMERIC_NAN:
		sb_addf(sb, "%lld NaN %s in %s: Npgsql cannot read NaN as a decimal, reading "
			"%s fails", count, VALUES(count), pg_type, count == 1 ? "this row" : "these rows");
		break;
	case TF_NUMERIC_INFINITY:
		sb_addf(sb, "%lld Infinity/-Infinity %s in %s: Npgsql cannot read %s as a "
			"decimal, reading %s fails", count, VALUES(count), pg_type,
			count == 1 ? "it" : "them", count == 1 ? "this row" : "these rows");
		break;
	case TF_NUMERIC_OUT_OF_RANGE:
		sb_addf(sb, "%lld %s of %s beyond the .NET decimal range (+-" OS_DECIMAL_MAX
			"): reading %s fails", count, VALUES(count), pg_type,
			count == 1 ? "this row" : "these rows");
		break;
	case TF_TIME_FRACTION:
		sb_addf(sb, "%lld %s of %s with fractional seconds: an OutSystems Time keeps "
			"whole seconds, the fraction is truncated", count, VALUES(count), pg_type);
		break;
	case TF_MATVIEW:
		sb_addf(sb, "materialized view%s%s: not in information_schema, so ardoPostgreSQL could "
			"never import it; the supported connector: unverified",
			more ? ", " : "", more ? detail : "");
		return;
	case TF_PARTITION:
		sb_addf(sb, "%s: information_schema lists partitions, so an entity may sit on it "
			"as well as on the partitioned table", more ? detail : "a partition");
		return;
	case TF_COMPOSITE_KEY:
		sb_addf(sb, "composite primary key %s: ardoPostgreSQL marked every Integer or Text "
			"member as key; what the supported connector makes of it is unknown",
			more ? detail : "");
		return;
	case TF_KEY_HIDDEN_FROM_ARDO:
		sb_addf(sb, "primary key %s: under ardoPostgreSQL (connected as this user) the entity "
			"had no identifier", more ? detail : "invisible through information_schema");
		return;
	case TF_NOT_PROBED:
		sb_addf(sb, "not probed: %s", more ? detail : "its values were not read");
		return;
	case TF_UUID_PLATFORM_VERSION:
		sb_addf(sb, "%s written through the supported connector needs Platform Server "
			"11.18.1 or later (11.18.0 was withdrawn): %s", pg_type,
			more ? detail : "an environment's version is older or unknown");
		return;
	default:
		sb_addf(sb, "%s", pg_type);
		break;
	}
	if (more)
		sb_addf(sb, " (%s)", detail);
}
