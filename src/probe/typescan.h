/* typescan.h - type verification of a live database: one read of pg_catalog
 * for the scope (in one snapshot: the types, the relations with their
 * per-table facts, then the columns streamed), every column classified
 * under both connectors (typemap.h), then optional data probes (aggregate
 * queries per table, split so that no SELECT list exceeds PostgreSQL's
 * 1664 entries; each row probed once: a partition through its partitioned
 * table when that is in scope; views and foreign tables never read).
 *
 * Usable from a worker thread: no globals; progress goes through ctx
 * ("catalog" while scanning, "probing S.T" with done/total per table),
 * ctx_cancelled() is polled between rows and tables and cancels the running
 * query.  The result keeps findings only, never the catalog's columns:
 * memory grows with the number of findings (a few dozen bytes each) and of
 * relations (about a hundred bytes each), not with the number of columns.
 *
 * Store/load: [types] and [finding "N"] sections (state.h), so a resumed
 * session shows the last result without rescanning.
 * UI-free: never include curses here. */
#ifndef OSM_TYPESCAN_H
#define OSM_TYPESCAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "ctx.h"
#include "doc.h"
#include "pg.h"
#include "result.h"
#include "typemap.h"

struct pg_conn;  /* libpq's PGconn */

/* What to scan.  Empty schemas and tables: every schema except pg_catalog,
 * information_schema and pg_* (toast, temp). */
struct type_scope {
	char **schemas;
	size_t nschemas;
	char **tab_schema, **tab_name;  /* --table S.T pairs */
	size_t ntables;
};
void type_scope_init(struct type_scope *s);
void type_scope_free(struct type_scope *s);
void type_scope_add_schema(struct type_scope *s, const char *schema);
void type_scope_add_table(struct type_scope *s, const char *schema, const char *table);
/* "S.T" where each part may be double-quoted ("my.schema"."Tab ""x"""), as
 * psql accepts.  Returns false (msg filled) on a malformed name. */
bool type_scope_parse_table(struct type_scope *s, const char *arg, char *msg, size_t msglen);
/* From settings: [scope] schemas (space or comma separated) and the tables
 * of every [extension "NAME"] (or only of extension `only` when not NULL). */
bool type_scope_from_doc(struct type_scope *s, const struct doc *d, const char *only,
			 char *msg, size_t msglen);
/* "schemas public, sales; tables s.t" or "all user schemas" (caller frees). */
char *type_scope_describe(const struct type_scope *s);

/* One finding.  Strings are owned by the result (interned: equal strings
 * share storage).  count is -1 for catalog findings; samples NULL or a
 * list of primary keys naming their columns: "id=2", "(a, b)=(1, 'x')",
 * "ctid=(0,1)" when there is no key.  A table finding (typemap.h) has
 * column, pg_type, ardo_type and supported_type "" and attnum 0. */
struct type_finding {
	unsigned char code;       /* enum tf_code */
	unsigned char severity;   /* enum tf_severity */
	int attnum;               /* column position, for a stable order */
	const char *schema, *table, *column;
	const char *pg_type, *ardo_type, *supported_type;
	long long count;
	const char *samples;      /* lowest and highest offending key, '\n'-separated */
	const char *detail;       /* what the message adds (tf_format_message), or NULL */
};

struct type_error {              /* a table whose probe could not run (PROBE_FAILED) */
	const char *schema, *table;
	const char *cause;           /* "timeout", "privilege", "lock", "not populated",
				      * "connection", "server" */
	char *message;               /* what happened, the server's words included */
	char *fix;                   /* what to do, for this cause */
};

struct type_unmatched {          /* a scope entry that matched no table or view */
	const char *schema;
	const char *table;           /* NULL: a schema (--schema, [scope] schemas) */
};

struct type_pool;                /* string interning, private to typescan.c */
struct type_index;               /* stored findings by table, private to typescan.c */

struct type_result {
	struct type_finding *f;
	size_t n, cap;
	long counts[TS_NSEV];      /* findings by severity */
	long columns, tables;      /* scanned */
	long probed_tables;        /* tables whose data was probed */
	long not_probed;           /* relations whose values were not read (NOT_PROBED) */
	bool data_probed;          /* false with --no-data */
	struct type_error *errors;
	size_t nerrors;
	struct type_unmatched *unmatched; /* in scope order; names are case-sensitive */
	size_t nunmatched;
	char at[24];               /* ISO 8601 UTC of the scan */
	char *scope;               /* type_scope_describe() */
	struct type_pool *pool;
};
void type_result_init(struct type_result *r);
void type_result_free(struct type_result *r);
/* Add a finding (strings copied/interned).  Used by the scan and by tests. */
struct type_finding *type_result_add(struct type_result *r, enum tf_code code,
				     enum tf_severity sev, const char *schema,
				     const char *table, const char *column, int attnum,
				     const char *pg_type, const char *ardo_type,
				     const char *supported_type, long long count,
				     const char *samples);
/* Give f (of r) a detail (copied/interned; NULL or "" for none). */
void type_finding_set_detail(struct type_result *r, struct type_finding *f, const char *detail);
/* Record a table whose probe could not run (strings copied). */
void type_result_add_error(struct type_result *r, const char *schema, const char *table,
			   const char *cause, const char *message, const char *fix);
/* Order by schema, table, column position, code (the scan sorts at the end). */
void type_result_sort(struct type_result *r);

/* Optional per-column callback during the catalog pass (`types --columns`,
 * tests): called for every column with its classification. */
struct type_column_info {
	const char *schema, *table, *column, *pg_type;
	const struct tm_column *col;
	const struct tm_class *cls;
	int attnum;
};

struct typescan_opts {
	bool no_data;              /* skip the data probes */
	int probe_timeout_s;       /* statement_timeout of each probe; 0: 600 */
	void (*on_column)(void *ud, const struct type_column_info *ci);
	void *ud;
};

/* Scan over an open read-only connection (pg_connect).  Returns false with
 * err filled when the catalog could not be read or the operator cancelled
 * ("cancelled"); a probe that fails is recorded in r->errors and the scan
 * goes on.  r must be initialised; it is filled even on failure with what
 * was found so far. */
bool typescan_run(struct pg_conn *conn, const struct type_scope *scope,
		  const struct typescan_opts *opts, struct ctx *ctx,
		  struct type_result *r, char *err, size_t errlen);

/* The one set-up of a type scan: what to scan and where, from the settings
 * and what a command line gives instead. */
struct typescan_setup {
	const struct doc *settings;  /* [scope] schemas, [extension] tables, [target]; may be NULL */
	const char *extension;       /* only this extension's tables (which it must list) */
	const char *conninfo;        /* the database instead of [target] */
	bool pg_env;                 /* neither conninfo nor [target]: libpq's PG* variables
					and defaults decide (`types`) */
};
/* scope: what a command line gave; when empty, filled from the settings
 * ([scope] schemas and every extension's tables, or only in->extension's;
 * still empty without settings: every user schema).  spec: the database,
 * built without a password (pg_login adds the one kept in memory).  False
 * with err, fix and *bad_scope (the scope is wrong, rather than the
 * database); spec is then not to be freed. */
bool typescan_prepare(const struct typescan_setup *in, struct type_scope *scope,
		      struct pg_spec *spec, bool *bad_scope, char *err, size_t errlen,
		      char *fix, size_t fixlen);

/* Everything the TUI worker thread and the check need in one call:
 * typescan_prepare from settings (and extension), pg_login to [target]
 * (password from ctx->secrets, else libpq's own sources; asked only when
 * ctx->ask is set), scan, disconnect.  On false, err says what happened
 * and fix what to do next ("cancelled" on cancel), and *needs (may be
 * NULL) the password that was missing. */
bool typescan_run_settings(const struct doc *settings, const char *extension,
			   const struct typescan_opts *opts, struct ctx *ctx,
			   struct type_result *r, char *err, size_t errlen,
			   char *fix, size_t fixlen, enum secret_kind *needs);

/* The SQL of the catalog pass (for --print-sql, bench/ and documentation),
 * run in this order in one REPEATABLE READ, READ ONLY transaction: the
 * types ($1 oid[]: NULL for every type but composites and arrays outside
 * pg_catalog, else exactly those), the relations and the columns (both: $1
 * schemas name[], $2/$3 table schemas/names name[], $4 all-user-schemas
 * bool; the relations' $5 bool: read the SELECT privilege).  The columns
 * query of a server before PostgreSQL 12 reads no attgenerated. */
extern const char typescan_types_sql[];
extern const char typescan_tables_sql[];
extern const char typescan_columns_sql[];

/* Exit code of `osmigrate types` for a complete result:
 * 0 no warnings, 1 warnings, 2 blockers, 3 could not check: a probe could
 * not run, a scope entry matched nothing, or nothing at all was scanned
 * (no column in scope).  A scope that matches nothing is never a pass. */
int type_result_exit_code(const struct type_result *r);
/* What of the scope could not be checked, one line for people: "nothing in
 * scope matched a table or view (...)", "matched nothing: table
 * public.Ordrs, schema Sales", or NULL when everything matched.  Caller
 * frees. */
char *type_result_scope_problem(const struct type_result *r);
/* Status for the check runner: ok / warning / failed (blockers) / error. */
enum check_status type_result_status(const struct type_result *r);
/* The counts in words, plurals right, the one wording every reader shows:
 * "2 blockers, 1 warning, 1 info over 10 columns in 2 tables" (infos < 0:
 * not named; tables < 0: "in N tables" left out). */
void type_counts_text(struct strbuf *sb, long long blockers, long long warnings,
		      long long infos, long long columns, long long tables);

/* The one-line message of a finding (caller frees). */
char *type_finding_message(const struct type_finding *tf);

/* Where a finding is: "schema.table.column", or "schema.table" for a
 * table finding (column empty).  Caller frees. */
char *type_place(const char *schema, const char *table, const char *column);

/* What the last type verification stored in d found on the tables of
 * extension ext ([extension "EXT"] tables, read as the scan's scope reads
 * them, type_scope_from_doc): what Integration Studio's Refresh Entity
 * will do to that extension's entities.  One line for people, "type
 * verification: 1 blocker, 2 warnings, 0 infos in its 3 tables; blockers:
 * s.t.c (TYPE_CHANGED), ...", naming at most max_names blockers (0: all)
 * and how many more.  *verdict: VERDICT_NONE not run yet; VERDICT_ERROR
 * could not check (the extension lists no table, a malformed one, or the
 * scan matched nothing for one of them); VERDICT_STALE the settings
 * changed since it ran (the line says what it found then); else FAILED
 * (blockers), WARNING or OK by its findings.  Caller frees. */
char *type_extension_findings(const struct doc *d, const struct type_index *ix,
			      const char *ext, size_t max_names, enum check_verdict *verdict);
/* The stored findings of d by table, read once so that the line of every
 * extension costs a lookup (NULL ix to type_extension_findings reads them
 * for that one call).  Valid while d does not change. */
struct type_index *type_index_build(const struct doc *d);
void type_index_free(struct type_index *ix);

/* State file: replace [types] and every [finding "N"] of d with r; load them back. */
void type_result_store(const struct type_result *r, struct doc *d);
bool type_result_load(struct type_result *r, const struct doc *d, char *err, size_t errlen);

#endif
