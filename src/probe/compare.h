/* compare.h - is NEW an exact clone of OLD?  Compares two PostgreSQL
 * databases object class by object class (schemas, tables and views,
 * columns with types, indexes, constraints, sequences with their last
 * values, row counts per table), reading only pg_catalog: one query per
 * object class and side, never one per table, plus one count(*) per table
 * and side with exact counts.  Both sessions are read-only (pg.h); catalog
 * reads run in one REPEATABLE READ READ ONLY transaction per side.
 *
 * Row counts are estimated from the statistics (pg_stat live tuples, else
 * pg_class.reltuples) unless exact counting is asked for.  Estimates that
 * differ are reported as differences (a clone whose estimate differs must
 * be confirmed by counting, never assumed identical); a table without any
 * statistics on a side (never analyzed, as after a fresh restore) has no
 * estimate to trust, so it is counted with count(*) on both sides.
 *
 * A database compared with itself proves nothing: before reading the
 * catalogs, each side's identity (cmp_identity) is read, and the same
 * database reached twice (host=127.0.0.1 and host=localhost, say) is
 * refused as "could not compare", never called identical.
 * UI-free: never include curses here. */
#ifndef OSM_COMPARE_H
#define OSM_COMPARE_H

#include <stdbool.h>
#include <stddef.h>

#include "ctx.h"
#include "pg.h"
#include "util.h"

/* A single count(*) may run this long (server statement_timeout and client
 * deadline); the operator can always cancel earlier. */
#define CMP_COUNT_TIMEOUT_S 3600
/* Each catalog query (one per object class and side) may run this long. */
#define CMP_CATALOG_TIMEOUT_S 600

enum cmp_kind {
	CMP_SCHEMA = 0,
	CMP_RELATION,    /* tables, views, materialized views, foreign tables */
	CMP_COLUMN,
	CMP_INDEX,
	CMP_CONSTRAINT,
	CMP_SEQUENCE,
	CMP_ROWS,        /* row count of a table */
	CMP_NKINDS,
};
const char *cmp_kind_name(enum cmp_kind k);    /* "schema", "table", "column", ... */
const char *cmp_kind_plural(enum cmp_kind k);  /* "schemas", "tables", ... */

struct cmp_options {
	const char *const *schemas;  /* only these schemas; NULL/0: every non-system schema */
	size_t nschemas;
	bool exact;                  /* count(*) every table instead of estimating */
};

/* One difference: the object and what differs.  old_value/new_value are
 * NULL when the object is missing on that side. */
struct cmp_diff {
	enum cmp_kind kind;
	char *object;     /* "public.orders.total" (identifiers quoted where needed) */
	char *what;       /* "type", "only in old", "last value", "row count" ... */
	char *old_value;
	char *new_value;
	char *message;    /* one line: "column public.orders.total: type numeric(10,2) in old, numeric(12,2) in new" */
};

/* Who a side is: enough to tell one database reached twice from two.
 * Strings are "" when not known. */
struct cmp_identity {
	char system_identifier[32];  /* pg_control_system(); "" when not readable */
	char started[48];            /* pg_postmaster_start_time() in UTC, microseconds */
	char datoid[16];             /* OID of the database */
	char datname[200];           /* its name */
};

enum cmp_sameness {
	CMP_DISTINCT = 0,            /* two databases (on one server or on two) */
	CMP_SAME_DATABASE,           /* one database reached twice */
	CMP_SAME_UNKNOWN,            /* an identity is incomplete: cannot tell */
};
/* The rule: the same running server (same start time, and the same system
 * identifier where both could be read) and the same database OID is one
 * database.  A physical copy (base backup, storage snapshot) shares the
 * system identifier and the OIDs but runs as a server of its own, started
 * at another time: two databases.  So do two databases of one server. */
enum cmp_sameness cmp_same_database(const struct cmp_identity *a, const struct cmp_identity *b);

enum cmp_status {
	CMP_IDENTICAL = 0,
	CMP_DIFFERENT,
	CMP_FAILED,       /* could not compare (connection, query, cancel, incomplete counts) */
};

struct cmp_result {
	enum cmp_status status;
	char old_label[300], new_label[300];
	int old_version, new_version;          /* server_version_num, 0 if not connected */
	struct cmp_identity old_id, new_id;    /* filled once connected */
	bool exact;
	size_t counted;                        /* estimated mode: tables counted with
						  count(*) for lack of statistics */
	size_t compared[CMP_NKINDS];           /* objects present on both sides, per class;
						  [CMP_RELATION]: tables only (partitioned and
						  foreign ones included), not views */
	size_t compared_views;                 /* views and materialized views on both sides */
	struct cmp_diff *diffs;
	size_t ndiffs, capdiffs;
	char **notes;                          /* what could not be verified, one line each */
	size_t nnotes, capnotes;
	/* CMP_FAILED: which side ("old", "new" or "" for both/none), what and what to do. */
	char error_side[8];
	char error[600];
	char fix[600];
	enum secret_kind needs;                /* the password connecting lacked (login.h) */
	/* compare_counts (counts.h): two exported row count files were
	 * compared, nothing else; the labels are their paths. */
	bool from_counts;
	char old_sha256[65], new_sha256[65];
};

void cmp_result_init(struct cmp_result *r);
/* Add a difference (oldv NULL: only in new; newv NULL: only in old). */
void cmp_add_diff(struct cmp_result *r, enum cmp_kind kind, const char *object,
		  const char *what, const char *oldv, const char *newv);
void cmp_result_free(struct cmp_result *r);

/* Connect to both (pg_login, read-only; ctx->secrets holds their passwords
 * as compare_old_password and compare_new_password) and compare.  Progress goes to
 * ctx->progress ("counting rows: public.orders", done, total); cancel is
 * honoured everywhere.  Always fills *r and returns r->status. */
enum cmp_status compare_databases(const struct pg_spec *old_spec, const struct pg_spec *new_spec,
				  const struct cmp_options *opt, struct ctx *ctx,
				  struct cmp_result *r);

#endif
