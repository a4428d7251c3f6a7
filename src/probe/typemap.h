/* typemap.h - what a PostgreSQL column becomes in OutSystems under the
 * supported "PostgreSQL / Aurora PostgreSQL" connector and under
 * ardoPostgreSQL, and which findings follow from the difference.
 *
 * Both mapping tables are data in typemap.c, one row per PostgreSQL type,
 * each row citing its source (../shared/domain.md sections 3 and 4).  When
 * OutSystems changes its documentation, change the rows there, nothing else.
 * A type no row documents is "undocumented" for the supported connector
 * (never guessed) and "ignored" for ardo (its source ignores unknown types).
 * Pure functions, no I/O, no allocation: safe from any thread.
 * UI-free: never include curses here. */
#ifndef OSM_TYPEMAP_H
#define OSM_TYPEMAP_H

#include <stdbool.h>
#include <stddef.h>

/* OutSystems data types, plus the two non-types a column can end up as. */
enum os_type {
	OST_IGNORED = 0,      /* attribute not imported */
	OST_UNDOCUMENTED,     /* the connector's documentation does not say */
	OST_TEXT,
	OST_INTEGER,
	OST_LONG_INTEGER,
	OST_DECIMAL,
	OST_BOOLEAN,
	OST_DATE,
	OST_DATETIME,
	OST_TIME,
	OST_BINARY,
};
const char *os_type_name(enum os_type t);     /* "Long Integer", "ignored", "undocumented" */
static inline bool os_type_mapped(enum os_type t) { return t >= OST_TEXT; }

/* What the catalog says about one column (typescan fills it from pg_catalog,
 * tests fill it by hand).  type_* describe the ultimate base type (domains
 * over domains resolved to the end); domain_depth says how information_schema,
 * which both connectors read, sees it: it resolves a domain one level only. */
struct tm_column {
	const char *type_schema;   /* schema of the base type: "pg_catalog", "public" (citext) */
	const char *type_name;     /* base pg_type.typname: "int4", "numeric", "bpchar", "_int4" */
	char typtype;              /* base pg_type.typtype: 'b' base, 'e' enum, 'c' composite,
				    * 'r' range, 'm' multirange, 'p' pseudo */
	bool is_array;             /* base type is an array (typelem set, typlen -1) */
	bool is_domain;            /* declared type is a domain (resolved above) */
	int typmod;                /* atttypmod, or the domain's typtypmod; -1 none */
	bool not_null;             /* column or domain NOT NULL */
	char identity;             /* attidentity: 0 or ' ' none, 'a' always, 'd' by default */
	const char *default_expr;  /* pg_get_expr of the default, NULL if none */
	int pk_position;           /* 1-based position in the primary key, 0 if not in it */
	int pk_columns;            /* number of columns of the table's primary key (0 none) */
	/* zero means: not a domain / ordinary table / not generated / key visible */
	int domain_depth;          /* 1 domain over a base type, 2+ over another domain
				    * (is_domain with 0 counts as 1) */
	char relkind;              /* of the relation: 'r' 'p' 'v' 'm' 'f' (0: 'r') */
	char generated;            /* attgenerated: 's' stored, 0 or ' ' none */
	bool pk_hidden_from_ardo;  /* the primary key is invisible through information_schema
				    * (table_constraints) to the connection user */
	bool default_nextval;      /* instead of default_expr: the default prints as
				    * "nextval(...)" (typescan reads the node tree) */
};

/* One side of the classification. */
struct tm_mapping {
	enum os_type type;
	int length;                /* Text length when the connector sets one, else -1 */
	int precision, scale;      /* Decimal(p,s) when known, else -1; a Decimal with
				    * precision and scale -1: "Decimal(24, scale unknown)" */
	bool key;                  /* column becomes the entity identifier */
	bool key_unknown;          /* member of a composite key: no source says what happens */
	bool autonumber;           /* identifier is an autonumber */
	bool unverified;           /* the source does not cover this case: "Text (unverified)" */
	const char *label;         /* instead of the type: "not importable" (NULL: none) */
	const char *source;        /* citation of the table row (or rule) that decided it */
};

struct tm_class {
	struct tm_mapping ardo;
	struct tm_mapping supported;
	bool numeric_unconstrained;  /* numeric without precision */
	bool timestamptz;            /* timestamp with time zone */
	bool user_defined;           /* information_schema data_type USER-DEFINED */
	bool info_array;             /* information_schema data_type ARRAY */
	bool bit_string;             /* bit(n) with n > 1 */
	bool matview;                /* column of a materialized view */
};

/* Classify one column under both connectors. */
void typemap_classify(const struct tm_column *col, struct tm_class *out);

/* How information_schema.columns.data_type (which both connectors read)
 * sees the column, when it is not the type's own name: "information_schema:
 * USER-DEFINED, a domain over a domain", "information_schema: ARRAY"; else
 * NULL.  A static string. */
const char *typemap_info_schema_note(const struct tm_column *col);

/* "Text(40)", "Decimal(12,2)", "Decimal(24, scale unknown)", "Long Integer",
 * "ignored", "undocumented", "Text (unverified)", "not importable". */
void tm_mapping_format(const struct tm_mapping *m, char *buf, size_t len);

/* ardoPostgreSQL's precision/scale rule for numeric, decimal, real and double
 * precision (precision/scale as information_schema reports them, NULL = -1). */
void typemap_ardo_numeric_rule(int precision, int scale, struct tm_mapping *out);

/* Finding codes and severities: stable strings (JSON, state file).
 * Column findings come from typemap_findings() and the probes; table
 * findings (column "") from typemap_table_findings() and the scan. */
enum tf_code {
	TF_TYPE_CHANGED = 0,
	TF_NEWLY_MAPPED,
	TF_NEWLY_IGNORED,
	TF_STILL_IGNORED,
	TF_MAPPING_UNDOCUMENTED,
	TF_KEY_CHANGED,
	TF_AUTONUMBER_CHANGED,
	TF_TIMEZONE_SEMANTICS,
	TF_DATETIME_OUT_OF_RANGE,
	TF_DECIMAL_SCALE_LOSS,
	TF_INTEGER_OVERFLOW,
	TF_TEXT_TOO_LONG,
	TF_NULLS_READ_AS_DEFAULT,
	/* version 2 */
	TF_MAPPING_UNVERIFIED,     /* citext outside public: documented as Public.citext */
	TF_BIT_STRING,             /* bit(n), n > 1: Boolean documented, Npgsql reads a BitArray */
	TF_IDENTITY_ALWAYS,        /* GENERATED ALWAYS AS IDENTITY refuses an inserted id */
	TF_IDENTITY_BY_DEFAULT,    /* GENERATED BY DEFAULT AS IDENTITY accepts one */
	TF_GENERATED_COLUMN,       /* GENERATED ALWAYS AS (...) STORED refuses any write */
	TF_NUMERIC_NAN,            /* stored NaN: Npgsql cannot read it as decimal */
	TF_NUMERIC_INFINITY,       /* stored Infinity / -Infinity (PostgreSQL 14+) */
	TF_NUMERIC_OUT_OF_RANGE,   /* beyond .NET decimal's +-(2^96-1) */
	TF_TIME_FRACTION,          /* time with fractional seconds: truncated to seconds */
	TF_MATVIEW,                /* table: a materialized view, not in information_schema */
	TF_PARTITION,              /* table: a partition, listed by information_schema */
	TF_COMPOSITE_KEY,          /* table: primary key of several columns */
	TF_KEY_HIDDEN_FROM_ARDO,   /* table: key invisible through information_schema */
	TF_NOT_PROBED,             /* table: view, foreign table, unpopulated materialized view */
	TF_UUID_PLATFORM_VERSION,  /* uuid written through the supported connector: needs
				    * Platform Server 11.18.1 (added by the checks layer,
				    * which knows the environments' versions) */
	TF_NCODES
};
enum tf_severity { TS_INFO = 0, TS_WARNING, TS_BLOCKER, TS_NSEV };

const char *tf_code_name(enum tf_code c);                 /* "TYPE_CHANGED" */
bool tf_code_parse(const char *s, enum tf_code *out);
const char *tf_severity_name(enum tf_severity s);         /* "info" "warning" "blocker" */
bool tf_severity_parse(const char *s, enum tf_severity *out);

/* Catalog findings of one classified column: calls emit once per finding
 * (in a fixed order) with its code and severity.  A column of a
 * materialized view has none of its own (the table finding TF_MATVIEW
 * says what is known). */
void typemap_findings(const struct tm_column *col, const struct tm_class *cls,
		      void (*emit)(void *ud, enum tf_code code, enum tf_severity sev), void *ud);

/* What the catalog says about one relation, for its table findings. */
struct tm_table {
	char relkind;              /* 'r' 'p' 'v' 'm' 'f' */
	bool is_partition;
	int pk_columns;            /* 0: no primary key */
	bool pk_hidden_from_ardo;  /* see tm_column */
};
void typemap_table_findings(const struct tm_table *t,
			    void (*emit)(void *ud, enum tf_code code, enum tf_severity sev),
			    void *ud);

/* Data probes: which stored-value checks a column needs, against which
 * OutSystems type.  The target is the supported connector's type; when that
 * is undocumented but ardo maps the column, the entity's current (ardo) type
 * is the target and the findings are warnings, not blockers.  Values that
 * Npgsql cannot read as a .NET decimal at all (NaN, infinities, beyond its
 * range) are blockers whatever the mapping, except in a materialized view
 * (importable only unverified: warnings). */
enum tp_kind {
	TP_DATETIME_RANGE = 1 << 0,
	TP_TIME_RANGE = 1 << 1,    /* 24:00:00 */
	TP_DECIMAL_SCALE = 1 << 2,
	TP_INT_RANGE = 1 << 3,     /* Integer range */
	TP_LONG_RANGE = 1 << 4,    /* Long Integer range */
	TP_TEXT_LENGTH = 1 << 5,
	TP_NULLS = 1 << 6,
	TP_NAN = 1 << 7,           /* numeric 'NaN' */
	TP_INFINITY = 1 << 8,      /* numeric +-Infinity (a server before 14 has none) */
	TP_DECIMAL_RANGE = 1 << 9, /* beyond +-(2^96-1) */
	TP_TIME_FRACTION = 1 << 10,/* fractional seconds */
};
struct tm_probe {
	unsigned kinds;            /* 0: nothing to probe */
	enum os_type target;
	int text_length;           /* for TP_TEXT_LENGTH */
	bool target_documented;    /* false: target is ardo's type, findings are warnings */
	bool newly_mapped;         /* NULLs become written defaults: warning, not info */
	bool unverified;           /* a materialized view: nothing above a warning */
};
void typemap_probe_plan(const struct tm_column *col, const struct tm_class *cls,
			struct tm_probe *out);
/* Severity of a probe finding for a column with this plan. */
enum tf_severity typemap_probe_severity(enum tf_code code, const struct tm_probe *p);
/* Code of a probe kind. */
enum tf_code typemap_probe_code(unsigned kind);

/* The explanation and the fix of a finding, from its code and both types
 * (deterministic: the state file and the JSON carry the same words). */
struct strbuf;
const char *tf_explain(enum tf_code code);   /* why it matters, one paragraph */
const char *tf_fix(enum tf_code code);       /* what to do next */
/* One line for this finding: "real changes from Decimal(24, scale unknown)
 * (ardoPostgreSQL) to Text (supported connector)" (count < 0: not a data
 * finding; detail: what the scan adds, NULL if nothing: the key's columns,
 * the partition's parent, why a relation was not probed, why a type is
 * USER-DEFINED). */
void tf_format_message(struct strbuf *sb, enum tf_code code, const char *pg_type,
		       const char *ardo_type, const char *supported_type, long long count,
		       const char *detail);

/* The mapping tables themselves (for documentation, `types --list` and tests). */
struct tm_row {
	const char *pg_type;       /* pg_type.typname, or "<array>", "<enum>", "<composite>" ... */
	const char *doc_name;      /* name as the source writes it */
	enum os_type type;
	const char *source;        /* where the row comes from */
};
extern const struct tm_row tm_supported_rows[];
extern const size_t tm_n_supported_rows;
extern const struct tm_row tm_ardo_rows[];
extern const size_t tm_n_ardo_rows;

/* OutSystems value ranges (domain.md section 4). */
#define OS_DATE_MIN "1900-01-01"
#define OS_DATE_MAX "3000-12-31"
#define OS_DATETIME_MIN "1900-01-01 00:00:00"
#define OS_DATETIME_MAX "3000-12-31 23:59:59"
#define OS_TIME_MAX "23:59:59"
#define OS_INT_MIN "-2147483648"
#define OS_INT_MAX "2147483647"
#define OS_LONG_MIN "-9223372036854775808"
#define OS_LONG_MAX "9223372036854775807"
#define OS_DECIMAL_MAX_SCALE 8
/* .NET decimal: +-(2^96 - 1) */
#define OS_DECIMAL_MAX "79228162514264337593543950335"

#endif
