/* compare.c - compare two PostgreSQL databases, object class by class.
 *
 * Each object class is read with one catalog query per side that returns
 * rows of (key, parent, field...).  Keys are the quoted, qualified object
 * names (quote_ident on the server, so "Odd Name".x stays unambiguous);
 * both sides are sorted in C with strcmp, so the databases' collations do
 * not matter, and merged.  An object missing on one side is one difference;
 * its children (the columns of a missing table, everything in a missing
 * schema) are not repeated. */
#include "config.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compare.h"
#include "login.h"
#include "util.h"

#define MAX_FIELDS 8

const char *cmp_kind_name(enum cmp_kind k)
{
	static const char *const n[CMP_NKINDS] = {
		"schema", "table", "column", "index", "constraint", "sequence", "rows",
	};
	return (unsigned)k < CMP_NKINDS ? n[k] : "object";
}

const char *cmp_kind_plural(enum cmp_kind k)
{
	static const char *const n[CMP_NKINDS] = {
		"schemas", "tables", "columns", "indexes", "constraints", "sequences", "row_counts",
	};
	return (unsigned)k < CMP_NKINDS ? n[k] : "objects";
}

/* ---- the catalog queries ---- */

/* $1 is a text[] of schema names ('{}': all).  Names starting with pg_ are
 * reserved for system schemas (pg_catalog, pg_toast, temporary schemas).
 * Every function, operator and type is pg_catalog-qualified (pg.h). */
#define NSP_FILTER(alias) \
	alias ".nspname OPERATOR(pg_catalog.<>) 'information_schema' " \
	"AND " alias ".nspname OPERATOR(pg_catalog.!~) '^pg_' " \
	"AND (pg_catalog.cardinality($1::pg_catalog.text[]) OPERATOR(pg_catalog.=) 0 " \
	"OR " alias ".nspname OPERATOR(pg_catalog.=) ANY ($1::pg_catalog.name[]))"

#define QN(a, b) "pg_catalog.quote_ident(" a ") OPERATOR(pg_catalog.||) '.' " \
	"OPERATOR(pg_catalog.||) pg_catalog.quote_ident(" b ")"
#define EQ(a, b) a " OPERATOR(pg_catalog.=) " b
#define RELKINDS "c.relkind OPERATOR(pg_catalog.=) ANY ('{r,p,v,m,f}'::pg_catalog.\"char\"[])"
#define COUNTABLE "(" EQ("c.relkind", "'r'") " OR (" EQ("c.relkind", "'m'") " AND c.relispopulated))"

static const char SQL_SCHEMAS[] =
	"SELECT pg_catalog.quote_ident(n.nspname), '' FROM pg_catalog.pg_namespace n WHERE "
	NSP_FILTER("n");

/* Row estimate: the cumulative statistics' live tuples once the table saw
 * any insert, delete or analyze (so a freshly restored copy has its COPY
 * counted), else reltuples when the table was ever vacuumed or analyzed,
 * else NULL: reltuples is -1 before that from PostgreSQL 14 on, and 0 with
 * relpages 0 before 14 (a value that also reads "empty", so it is no
 * estimate either).  A NULL is counted exactly. */
static const char SQL_RELATIONS[] =
	"SELECT " QN("n.nspname", "c.relname") ", pg_catalog.quote_ident(n.nspname), "
	"CASE WHEN " EQ("c.relkind", "'r'") " THEN 'table' "
	"WHEN " EQ("c.relkind", "'p'") " THEN 'partitioned table' "
	"WHEN " EQ("c.relkind", "'v'") " THEN 'view' "
	"WHEN " EQ("c.relkind", "'m'") " THEN 'materialized view' "
	"WHEN " EQ("c.relkind", "'f'") " THEN 'foreign table' END, "
	"CASE WHEN " COUNTABLE " THEN CASE "
	"  WHEN (pg_catalog.pg_stat_get_tuples_inserted(c.oid) "
	"     OPERATOR(pg_catalog.+) pg_catalog.pg_stat_get_tuples_deleted(c.oid)) "
	"     OPERATOR(pg_catalog.>) '0'::pg_catalog.int8 "
	"    OR pg_catalog.pg_stat_get_last_analyze_time(c.oid) IS NOT NULL "
	"    OR pg_catalog.pg_stat_get_last_autoanalyze_time(c.oid) IS NOT NULL "
	"  THEN pg_catalog.pg_stat_get_live_tuples(c.oid) "
	"  WHEN c.reltuples OPERATOR(pg_catalog.>) '0'::pg_catalog.float4 "
	"    OR c.relpages OPERATOR(pg_catalog.>) 0 "
	"  THEN c.reltuples::pg_catalog.int8 END END::pg_catalog.text, "
	COUNTABLE ", n.nspname, c.relname "
	"FROM pg_catalog.pg_class c "
	"JOIN pg_catalog.pg_namespace n ON " EQ("n.oid", "c.relnamespace") " "
	"WHERE " RELKINDS " AND " NSP_FILTER("n");

/* Position among live columns: a restore renumbers around dropped ones.
 * Plain defaults never reference columns, so they are deparsed without the
 * relation (relid 0): pg_get_expr would otherwise open, and so lock, every
 * table with a default, and wait behind any ALTER TABLE running there. */
#define SQL_COLUMNS(generated, default_expr) \
	"SELECT " QN("n.nspname", "c.relname") " OPERATOR(pg_catalog.||) '.' " \
	"OPERATOR(pg_catalog.||) pg_catalog.quote_ident(a.attname), " \
	QN("n.nspname", "c.relname") ", " \
	"pg_catalog.format_type(a.atttypid, a.atttypmod), " \
	"CASE WHEN a.attnotnull THEN 'not null' ELSE 'nullable' END, " \
	"COALESCE(" default_expr ", '(none)'), " \
	"(pg_catalog.row_number() OVER (PARTITION BY a.attrelid ORDER BY a.attnum))" \
	"::pg_catalog.text, " \
	"CASE WHEN " EQ("a.attidentity", "'a'") " THEN 'always' " \
	"WHEN " EQ("a.attidentity", "'d'") " THEN 'by default' ELSE 'no' END, " \
	generated ", " \
	"COALESCE((SELECT co.collname FROM pg_catalog.pg_collation co " \
	"          WHERE " EQ("co.oid", "a.attcollation") \
	"          AND a.attcollation OPERATOR(pg_catalog.<>) t.typcollation), '(default)') " \
	"FROM pg_catalog.pg_attribute a " \
	"JOIN pg_catalog.pg_class c ON " EQ("c.oid", "a.attrelid") " " \
	"JOIN pg_catalog.pg_namespace n ON " EQ("n.oid", "c.relnamespace") " " \
	"JOIN pg_catalog.pg_type t ON " EQ("t.oid", "a.atttypid") " " \
	"LEFT JOIN pg_catalog.pg_attrdef d ON " EQ("d.adrelid", "a.attrelid") \
	" AND " EQ("d.adnum", "a.attnum") " " \
	"WHERE a.attnum OPERATOR(pg_catalog.>) '0'::pg_catalog.int2 AND NOT a.attisdropped " \
	"AND " RELKINDS " AND " NSP_FILTER("n")
static const char SQL_COLUMNS_12[] =
	SQL_COLUMNS("CASE WHEN " EQ("a.attgenerated", "'s'") " THEN 'stored' ELSE 'no' END",
		    "CASE WHEN " EQ("a.attgenerated", "''") " THEN pg_catalog.pg_get_expr(d.adbin, 0) "
		    "ELSE pg_catalog.pg_get_expr(d.adbin, d.adrelid) END");
static const char SQL_COLUMNS_10[] = SQL_COLUMNS("'no'", "pg_catalog.pg_get_expr(d.adbin, 0)");

static const char SQL_INDEXES[] =
	"SELECT " QN("n.nspname", "ci.relname") ", " QN("tn.nspname", "ct.relname") ", "
	QN("tn.nspname", "ct.relname") ", pg_catalog.pg_get_indexdef(i.indexrelid), "
	"CASE WHEN i.indisvalid THEN 'valid' ELSE 'INVALID' END "
	"FROM pg_catalog.pg_index i "
	"JOIN pg_catalog.pg_class ci ON " EQ("ci.oid", "i.indexrelid") " "
	"JOIN pg_catalog.pg_namespace n ON " EQ("n.oid", "ci.relnamespace") " "
	"JOIN pg_catalog.pg_class ct ON " EQ("ct.oid", "i.indrelid") " "
	"JOIN pg_catalog.pg_namespace tn ON " EQ("tn.oid", "ct.relnamespace") " "
	"WHERE " NSP_FILTER("n");

/* Constraints of tables (parent: the table) and of domains (parent: none). */
static const char SQL_CONSTRAINTS[] =
	"SELECT " QN("n.nspname", "COALESCE(c.relname, t.typname)") " OPERATOR(pg_catalog.||) '.' "
	"OPERATOR(pg_catalog.||) pg_catalog.quote_ident(con.conname), "
	"CASE WHEN c.oid IS NOT NULL THEN " QN("n.nspname", "c.relname") " "
	"ELSE pg_catalog.quote_ident(n.nspname) END, "
	"CASE WHEN " EQ("con.contype", "'p'") " THEN 'primary key' "
	"WHEN " EQ("con.contype", "'u'") " THEN 'unique' "
	"WHEN " EQ("con.contype", "'f'") " THEN 'foreign key' "
	"WHEN " EQ("con.contype", "'c'") " THEN 'check' "
	"WHEN " EQ("con.contype", "'x'") " THEN 'exclusion' "
	"WHEN " EQ("con.contype", "'t'") " THEN 'constraint trigger' "
	"WHEN " EQ("con.contype", "'n'") " THEN 'not null' "
	"ELSE con.contype::pg_catalog.text END, "
	"pg_catalog.pg_get_constraintdef(con.oid), "
	"CASE WHEN con.convalidated THEN 'validated' ELSE 'NOT VALID' END "
	"FROM pg_catalog.pg_constraint con "
	"JOIN pg_catalog.pg_namespace n ON " EQ("n.oid", "con.connamespace") " "
	"LEFT JOIN pg_catalog.pg_class c ON " EQ("c.oid", "con.conrelid") " "
	"AND con.conrelid OPERATOR(pg_catalog.<>) '0'::pg_catalog.oid "
	"LEFT JOIN pg_catalog.pg_type t ON " EQ("t.oid", "con.contypid") " "
	"AND con.contypid OPERATOR(pg_catalog.<>) '0'::pg_catalog.oid "
	"WHERE (c.oid IS NOT NULL OR t.oid IS NOT NULL) AND " NSP_FILTER("n");

/* pg_sequences hides last_value without privilege; say which case it is. */
static const char SQL_SEQUENCES[] =
	"SELECT " QN("n.nspname", "c.relname") ", pg_catalog.quote_ident(n.nspname), "
	"s.data_type::pg_catalog.text, s.increment_by::pg_catalog.text, "
	"s.min_value::pg_catalog.text, s.max_value::pg_catalog.text, "
	"CASE WHEN s.cycle THEN 'cycle' ELSE 'no cycle' END, "
	"CASE WHEN s.last_value IS NOT NULL THEN s.last_value::pg_catalog.text "
	"     WHEN pg_catalog.has_sequence_privilege(c.oid, 'SELECT,USAGE') THEN 'never used' "
	"     ELSE '(not readable)' END "
	"FROM pg_catalog.pg_sequences s "
	"JOIN pg_catalog.pg_namespace n ON " EQ("n.nspname", "s.schemaname") " "
	"JOIN pg_catalog.pg_class c ON " EQ("c.relnamespace", "n.oid") " "
	"AND " EQ("c.relname", "s.sequencename") " "
	"WHERE " NSP_FILTER("n");

/* A sequence value the session may not read: a note, never a difference. */
#define NOT_READABLE "(not readable)"

struct cls_def {
	enum cmp_kind kind;
	const char *label;           /* for progress */
	int nfields;
	const char *fields[MAX_FIELDS]; /* what differs, per field */
};

static const struct cls_def CLASSES[] = {
	{ CMP_SCHEMA, "schemas", 0, { NULL } },
	{ CMP_RELATION, "tables and views", 1, { "kind" } },
	{ CMP_COLUMN, "columns", 7,
	  { "type", "nullability", "default", "position", "identity", "generated", "collation" } },
	{ CMP_INDEX, "indexes", 3, { "table", "definition", "validity" } },
	{ CMP_CONSTRAINT, "constraints", 3, { "type", "definition", "validation" } },
	{ CMP_SEQUENCE, "sequences", 6,
	  { "data type", "increment", "minimum", "maximum", "cycle", "last value" } },
};
#define NCLASSES OSM_ARRAY_LEN(CLASSES)

/* ---- catalog rows ---- */

struct cobj {
	char *key;
	char *parent;
	char *f[MAX_FIELDS];
	/* relations only */
	bool countable;
	bool est_known;
	long long est;
	char *nsp, *rel;             /* raw names, quoted with pg_quote_ident to count */
};

struct cset {
	struct cobj *o;
	size_t n, cap;
	int nfields;
	enum cmp_kind kind;
};

static void cset_free(struct cset *s)
{
	for (size_t i = 0; i < s->n; i++) {
		free(s->o[i].key);
		free(s->o[i].parent);
		for (int k = 0; k < MAX_FIELDS; k++)
			free(s->o[i].f[k]);
		free(s->o[i].nsp);
		free(s->o[i].rel);
	}
	free(s->o);
	memset(s, 0, sizeof *s);
}

static char *col(const PGresult *res, int row, int c)
{
	return xstrdup(PQgetisnull(res, row, c) ? "" : PQgetvalue(res, row, c));
}

static bool load_row(void *ud, const PGresult *res, int rownum)
{
	struct cset *s = ud;
	struct cobj *o;
	int c = 0;

	if (s->n == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 64;
		s->o = xreallocarray(s->o, s->cap, sizeof *s->o);
	}
	o = &s->o[s->n++];
	memset(o, 0, sizeof *o);
	o->key = col(res, 0, c++);
	o->parent = col(res, 0, c++);
	for (int k = 0; k < s->nfields; k++)
		o->f[k] = col(res, 0, c++);
	if (s->kind == CMP_RELATION) {
		if (!PQgetisnull(res, 0, c)) {
			o->est_known = true;
			o->est = strtoll(PQgetvalue(res, 0, c), NULL, 10);
		}
		c++;
		o->countable = str_eq(PQgetvalue(res, 0, c++), "t");
		o->nsp = col(res, 0, c++);
		o->rel = col(res, 0, c++);
	}
	(void)rownum;
	return true;
}

static int cobj_cmp(const void *a, const void *b)
{
	return strcmp(((const struct cobj *)a)->key, ((const struct cobj *)b)->key);
}

/* ---- results ---- */

void cmp_result_init(struct cmp_result *r)
{
	memset(r, 0, sizeof *r);
}

void cmp_result_free(struct cmp_result *r)
{
	for (size_t i = 0; i < r->ndiffs; i++) {
		free(r->diffs[i].object);
		free(r->diffs[i].what);
		free(r->diffs[i].old_value);
		free(r->diffs[i].new_value);
		free(r->diffs[i].message);
	}
	free(r->diffs);
	for (size_t i = 0; i < r->nnotes; i++)
		free(r->notes[i]);
	free(r->notes);
	cmp_result_init(r);
}

static void add_note(struct cmp_result *r, const char *fmt, ...) OSM_PRINTF(2, 3);
static void add_note(struct cmp_result *r, const char *fmt, ...)
{
	va_list ap;

	if (r->nnotes == r->capnotes) {
		r->capnotes = r->capnotes ? r->capnotes * 2 : 8;
		r->notes = xreallocarray(r->notes, r->capnotes, sizeof *r->notes);
	}
	va_start(ap, fmt);
	r->notes[r->nnotes++] = xvasprintf(fmt, ap);
	va_end(ap);
}

static void add_diff(struct cmp_result *r, enum cmp_kind kind, const char *object,
		     const char *what, const char *oldv, const char *newv)
{
	struct cmp_diff *d;
	const char *kname = kind == CMP_ROWS ? "table" : cmp_kind_name(kind);

	/* A view missing on one side is called a view, not a table. */
	if (kind == CMP_RELATION && (!oldv || !newv) && !str_empty(oldv ? oldv : newv))
		kname = oldv ? oldv : newv;
	else if (kind == CMP_RELATION && oldv && newv)
		kname = "relation";

	if (r->ndiffs == r->capdiffs) {
		r->capdiffs = r->capdiffs ? r->capdiffs * 2 : 16;
		r->diffs = xreallocarray(r->diffs, r->capdiffs, sizeof *r->diffs);
	}
	d = &r->diffs[r->ndiffs++];
	d->kind = kind;
	d->object = xstrdup(object);
	d->what = xstrdup(what);
	d->old_value = oldv ? xstrdup(oldv) : NULL;
	d->new_value = newv ? xstrdup(newv) : NULL;
	if (!oldv)
		d->message = xasprintf("%s %s: only in new", kname, object);
	else if (!newv)
		d->message = xasprintf("%s %s: only in old", kname, object);
	else
		d->message = xasprintf("%s %s: %s %s in old, %s in new", kname, object, what,
				       oldv, newv);
}

void cmp_add_diff(struct cmp_result *r, enum cmp_kind kind, const char *object,
		  const char *what, const char *oldv, const char *newv)
{
	add_diff(r, kind, object, what, oldv, newv);
}

static void fail(struct cmp_result *r, const char *side, const char *fix, const char *fmt, ...)
	OSM_PRINTF(4, 5);
static void fail(struct cmp_result *r, const char *side, const char *fix, const char *fmt, ...)
{
	va_list ap;

	if (r->status == CMP_FAILED)
		return;  /* the first cause is the one to act on */
	r->status = CMP_FAILED;
	snprintf(r->error_side, sizeof r->error_side, "%s", side ? side : "");
	va_start(ap, fmt);
	vsnprintf(r->error, sizeof r->error, fmt, ap);
	va_end(ap);
	snprintf(r->fix, sizeof r->fix, "%s", fix);
}

/* ---- one side ---- */

struct side {
	const char *name;          /* "old" / "new" */
	PGconn *conn;
	struct cset sets[NCLASSES];
};

static void side_free(struct side *s)
{
	for (size_t i = 0; i < NCLASSES; i++)
		cset_free(&s->sets[i]);
	if (s->conn)
		PQfinish(s->conn);
	s->conn = NULL;
}

static const char *fix_for_query(const char *err)
{
	if (str_eq(err, "cancelled"))
		return "The comparison was cancelled: run it again when you are ready.";
	if (strstr(err, "permission denied"))
		return "Connect as a user that can read the catalog and the tables of both "
		       "databases (for example the database owner), then run the comparison again.";
	return "Run the comparison again; if it keeps failing, check the server log of that "
	       "database for the statement above.";
}

static bool read_catalog(struct side *s, const struct cmp_options *opt, struct ctx *ctx,
			 struct cmp_result *r, long *step, long nsteps)
{
	char err[512], *arr = pg_text_array(opt ? opt->schemas : NULL, opt ? opt->nschemas : 0);
	const char *params[1] = { arr };
	bool ok = true;
	const char *sqls[NCLASSES] = {
		SQL_SCHEMAS, SQL_RELATIONS,
		PQserverVersion(s->conn) >= 120000 ? SQL_COLUMNS_12 : SQL_COLUMNS_10,
		SQL_INDEXES, SQL_CONSTRAINTS, SQL_SEQUENCES,
	};

	/* One snapshot for every catalog query of this side. */
	if (!pg_read_begin(s->conn, ctx, true, err, sizeof err)) {
		fail(r, s->name, fix_for_query(err), "%s: could not start a read-only transaction: %s",
		     s->name, err);
		free(arr);
		return false;
	}
	for (size_t i = 0; i < NCLASSES && ok; i++) {
		char what[128];

		snprintf(what, sizeof what, "reading %s of %s", CLASSES[i].label, s->name);
		ctx_progress(ctx, what, (*step)++, nsteps);
		s->sets[i].kind = CLASSES[i].kind;
		s->sets[i].nfields = CLASSES[i].nfields;
		if (!pg_stream(s->conn, ctx, sqls[i], 1, params, load_row, &s->sets[i], err,
			       sizeof err)) {
			fail(r, s->name, fix_for_query(err), "%s: could not read the %s: %s", s->name,
			     CLASSES[i].label, err);
			ok = false;
			break;
		}
		if (s->sets[i].n)
			qsort(s->sets[i].o, s->sets[i].n, sizeof *s->sets[i].o, cobj_cmp);
	}
	pg_read_end(s->conn, err, sizeof err);
	free(arr);
	return ok;
}

/* ---- merging ---- */

struct keyset {
	const char **k;
	size_t n, cap;
	size_t nsorted;   /* keys of earlier classes, sorted; searched */
};

static void keyset_add(struct keyset *s, const char *k)
{
	if (s->n == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 16;
		s->k = xreallocarray(s->k, s->cap, sizeof *s->k);
	}
	s->k[s->n++] = k;
}

static int str_ptr_cmp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* A whole missing schema can put thousands of keys here: binary search. */
static bool keyset_has(const struct keyset *s, const char *k)
{
	return s->nsorted && bsearch(&k, s->k, s->nsorted, sizeof *s->k, str_ptr_cmp) != NULL;
}

static void keyset_sort(struct keyset *s)
{
	if (s->n)
		qsort(s->k, s->n, sizeof *s->k, str_ptr_cmp);
	s->nsorted = s->n;
}

struct pair {
	const struct cobj *o, *n;
};

/* Merge one class.  gone_* collect keys missing on a side (so children are
 * not reported again); pairs (may be NULL) collect objects on both sides. */
static void merge(const struct cls_def *cls, const struct cset *a, const struct cset *b,
		  struct cmp_result *r, struct keyset *gone_new, struct keyset *gone_old,
		  struct pair **pairs, size_t *npairs)
{
	size_t i = 0, j = 0, cap = 0;

	while (i < a->n || j < b->n) {
		int c = i >= a->n ? 1 : j >= b->n ? -1 : strcmp(a->o[i].key, b->o[j].key);

		if (c < 0) {
			const struct cobj *o = &a->o[i++];
			if (!keyset_has(gone_new, o->parent))
				add_diff(r, cls->kind, o->key, "only in old",
					 cls->nfields ? o->f[0] : "present", NULL);
			keyset_add(gone_new, o->key);
			continue;
		}
		if (c > 0) {
			const struct cobj *o = &b->o[j++];
			if (!keyset_has(gone_old, o->parent))
				add_diff(r, cls->kind, o->key, "only in new", NULL,
					 cls->nfields ? o->f[0] : "present");
			keyset_add(gone_old, o->key);
			continue;
		}
		/* A view is compared as a relation but never counted as a table
		 * (trial H5: "7 tables" counted a view). */
		if (cls->kind == CMP_RELATION && cls->nfields &&
		    (str_eq(b->o[j].f[0], "view") || str_eq(b->o[j].f[0], "materialized view")))
			r->compared_views++;
		else
			r->compared[cls->kind]++;
		for (int k = 0; k < cls->nfields; k++) {
			const char *ov = a->o[i].f[k], *nv = b->o[j].f[k];

			if (str_eq(ov, NOT_READABLE) || str_eq(nv, NOT_READABLE)) {
				add_note(r, "%s %s: the %s is not readable by this user on %s: "
					 "grant SELECT or USAGE on it to compare", cmp_kind_name(cls->kind),
					 a->o[i].key, cls->fields[k],
					 str_eq(ov, NOT_READABLE) && str_eq(nv, NOT_READABLE) ? "either side"
					 : str_eq(ov, NOT_READABLE) ? "old" : "new");
				continue;
			}
			if (!str_eq(ov, nv))
				add_diff(r, cls->kind, a->o[i].key, cls->fields[k], ov, nv);
		}
		if (pairs) {
			if (*npairs == cap) {
				cap = cap ? cap * 2 : 64;
				*pairs = xreallocarray(*pairs, cap, sizeof **pairs);
			}
			(*pairs)[(*npairs)++] = (struct pair){ &a->o[i], &b->o[j] };
		}
		i++;
		j++;
	}
	keyset_sort(gone_new);
	keyset_sort(gone_old);
}

/* ---- row counts ---- */

struct count_job {
	PGconn *conn;
	struct ctx *ctx;
	const struct cobj *o;
	bool ok;
	long long n;
	char err[512];
};

static void *count_rows(void *arg)
{
	struct count_job *j = arg;
	char *qn = pg_quote_ident(j->conn, j->o->nsp);
	char *qr = pg_quote_ident(j->conn, j->o->rel);
	char *sql;
	PGresult *res;

	j->ok = false;
	if (!qn || !qr) {
		snprintf(j->err, sizeof j->err, "could not quote the table name");
		free(qn);
		free(qr);
		return NULL;
	}
	/* ONLY: a parent's count must not include its children, which are
	 * counted as tables of their own. */
	sql = xasprintf("SELECT pg_catalog.count(*) FROM ONLY %s.%s", qn, qr);
	res = pg_query(j->conn, j->ctx, sql, 0, NULL, j->err, sizeof j->err);
	if (res) {
		j->n = strtoll(PQgetvalue(res, 0, 0), NULL, 10);
		j->ok = true;
		PQclear(res);
	}
	free(sql);
	free(qn);
	free(qr);
	return NULL;
}

/* Raise this session's statement_timeout to cctx's timeout (pg_connect set
 * it to the connect timeout, seconds, fit for a probe, not for a scan). */
static bool allow_long_statements(struct side *s, struct ctx *cctx, struct cmp_result *r)
{
	char err[512], val[32];
	const char *params[1] = { val };
	PGresult *res;

	snprintf(val, sizeof val, "%ds", ctx_timeout_s(cctx));
	res = pg_query(s->conn, cctx, "SELECT pg_catalog.set_config('statement_timeout', $1, false)",
		       1, params, err, sizeof err);
	if (!res) {
		fail(r, s->name, fix_for_query(err), "%s: could not set the statement timeout: %s",
		     s->name, err);
		return false;
	}
	PQclear(res);
	return true;
}

static void exact_counts(struct side *so, struct side *sn, const struct pair *pairs,
			 size_t npairs, struct ctx *ctx, struct cmp_result *r)
{
	/* Same cancel flag and progress, a longer per-statement bound. */
	struct ctx cctx = ctx ? *ctx : (struct ctx){ 0 };
	size_t total = 0, done = 0;

	cctx.timeout_s = CMP_COUNT_TIMEOUT_S;
	if (!allow_long_statements(so, &cctx, r) || !allow_long_statements(sn, &cctx, r))
		return;
	for (size_t i = 0; i < npairs; i++)
		total += pairs[i].o->countable && pairs[i].n->countable;

	for (size_t i = 0; i < npairs; i++) {
		struct count_job jo = { so->conn, &cctx, pairs[i].o, false, 0, "" };
		struct count_job jn = { sn->conn, &cctx, pairs[i].n, false, 0, "" };
		pthread_t t;
		bool threaded;
		char what[600], a[32], b[32];

		if (!pairs[i].o->countable || !pairs[i].n->countable)
			continue;
		if (ctx_cancelled(ctx)) {
			fail(r, "", fix_for_query("cancelled"), "cancelled while counting rows");
			return;
		}
		snprintf(what, sizeof what, "counting rows: %s", pairs[i].o->key);
		ctx_progress(ctx, what, (long)done, (long)total);
		/* Both servers count at the same time: the slower one sets the pace. */
		threaded = pthread_create(&t, NULL, count_rows, &jn) == 0;
		count_rows(&jo);
		if (threaded)
			pthread_join(t, NULL);
		else
			count_rows(&jn);
		done++;
		if (!jo.ok || !jn.ok) {
			const char *e = !jo.ok ? jo.err : jn.err;
			if (str_eq(e, "cancelled")) {
				fail(r, "", fix_for_query(e), "cancelled while counting rows of %s",
				     pairs[i].o->key);
				return;
			}
			fail(r, !jo.ok ? "old" : "new", fix_for_query(e),
			     "%s: could not count the rows of %s: %s", !jo.ok ? "old" : "new",
			     pairs[i].o->key, e);
			return;
		}
		r->compared[CMP_ROWS]++;
		if (jo.n != jn.n) {
			snprintf(a, sizeof a, "%lld", jo.n);
			snprintf(b, sizeof b, "%lld", jn.n);
			add_diff(r, CMP_ROWS, pairs[i].o->key, "row count", a, b);
		}
	}
	ctx_progress(ctx, "counting rows", (long)done, (long)total);
}

/* Compare the estimates where both sides have one; the pairs without
 * (never analyzed on a side, as after a fresh restore) go to *unknown, to
 * be counted: no estimate means nothing to call identical. */
static void estimated_counts(const struct pair *pairs, size_t npairs, struct cmp_result *r,
			     struct pair **unknown, size_t *nunknown)
{
	for (size_t i = 0; i < npairs; i++) {
		const struct cobj *o = pairs[i].o, *n = pairs[i].n;
		char a[40], b[40];

		if (!o->countable || !n->countable)
			continue;
		if (!o->est_known || !n->est_known) {
			*unknown = xreallocarray(*unknown, *nunknown + 1, sizeof **unknown);
			(*unknown)[(*nunknown)++] = pairs[i];
			continue;
		}
		r->compared[CMP_ROWS]++;
		if (o->est != n->est) {
			snprintf(a, sizeof a, "~%lld", o->est);
			snprintf(b, sizeof b, "~%lld", n->est);
			add_diff(r, CMP_ROWS, o->key, "estimated row count", a, b);
		}
	}
}

/* ---- is it one database reached twice? ---- */

/* The server's start time in UTC (so no session's TimeZone or DateStyle
 * changes its spelling), the database's OID and name, and whether this
 * user may read the system identifier.  New SQL is schema-qualified. */
static const char SQL_IDENTITY[] =
	"SELECT d.oid::pg_catalog.text, d.datname::pg_catalog.text, "
	"pg_catalog.to_char(pg_catalog.pg_postmaster_start_time() AT TIME ZONE 'UTC', "
	"'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"'), "
	"pg_catalog.has_function_privilege('pg_catalog.pg_control_system()', 'EXECUTE') "
	"FROM pg_catalog.pg_database d "
	"WHERE d.datname OPERATOR(pg_catalog.=) pg_catalog.current_database()";
static const char SQL_SYSID[] =
	"SELECT s.system_identifier::pg_catalog.text FROM pg_catalog.pg_control_system() s";

enum cmp_sameness cmp_same_database(const struct cmp_identity *a, const struct cmp_identity *b)
{
	if (!a->started[0] || !b->started[0] || !a->datoid[0] || !b->datoid[0])
		return CMP_SAME_UNKNOWN;
	/* Two postmasters running at once: two servers, whatever they share. */
	if (!str_eq(a->started, b->started))
		return CMP_DISTINCT;
	if (a->system_identifier[0] && b->system_identifier[0] &&
	    !str_eq(a->system_identifier, b->system_identifier))
		return CMP_DISTINCT;
	if (!str_eq(a->datoid, b->datoid))
		return CMP_DISTINCT;
	return CMP_SAME_DATABASE;
}

static bool read_identity(struct side *s, struct ctx *ctx, struct cmp_result *r,
			  struct cmp_identity *id)
{
	char err[512];
	PGresult *res;
	bool may_read_sysid;

	memset(id, 0, sizeof *id);
	res = pg_query(s->conn, ctx, SQL_IDENTITY, 0, NULL, err, sizeof err);
	if (!res || PQntuples(res) != 1 || PQnfields(res) != 4) {
		if (res)
			snprintf(err, sizeof err, "the server did not name its database");
		fail(r, s->name, fix_for_query(err), "%s: could not tell whether old and new are "
		     "two different databases: %s", s->name, err);
		PQclear(res);
		return false;
	}
	snprintf(id->datoid, sizeof id->datoid, "%s", PQgetvalue(res, 0, 0));
	snprintf(id->datname, sizeof id->datname, "%s", PQgetvalue(res, 0, 1));
	snprintf(id->started, sizeof id->started, "%s", PQgetvalue(res, 0, 2));
	may_read_sysid = str_eq(PQgetvalue(res, 0, 3), "t");
	PQclear(res);
	/* Not readable (revoked, or a managed service that hides it): the start
	 * time alone tells the running servers apart. */
	if (may_read_sysid) {
		res = pg_query(s->conn, ctx, SQL_SYSID, 0, NULL, err, sizeof err);
		if (res && PQntuples(res) == 1 && !PQgetisnull(res, 0, 0))
			snprintf(id->system_identifier, sizeof id->system_identifier, "%s",
				 PQgetvalue(res, 0, 0));
		PQclear(res);
		if (!res && ctx_cancelled(ctx)) {
			fail(r, "", fix_for_query("cancelled"), "cancelled");
			return false;
		}
	}
	return true;
}

/* Refuse one database reached twice: comparing it with itself would say
 * "identical" and unlock the decommissioning of the old server. */
static bool distinct_databases(struct side *so, struct side *sn, struct ctx *ctx,
			       struct cmp_result *r)
{
	if (!read_identity(so, ctx, r, &r->old_id) || !read_identity(sn, ctx, r, &r->new_id))
		return false;
	switch (cmp_same_database(&r->old_id, &r->new_id)) {
	case CMP_DISTINCT:
		return true;
	case CMP_SAME_DATABASE:
		fail(r, "", "Give NEW the connection of the restored copy (on the new server, or "
		     "another database on this one) and compare again: a database compared with "
		     "itself proves nothing about the clone.",
		     "old and new are the same database: \"%s\" (OID %s) on the same server "
		     "(%s%s%sstarted %s), reached as %s and as %s", r->old_id.datname,
		     r->old_id.datoid, r->old_id.system_identifier[0] ? "system identifier " : "",
		     r->old_id.system_identifier,
		     r->old_id.system_identifier[0] ? ", " : "", r->old_id.started,
		     r->old_label, r->new_label);
		return false;
	case CMP_SAME_UNKNOWN:
	default:
		fail(r, "", "Run the comparison again; if it keeps failing, compare as a user that "
		     "may read pg_database and pg_postmaster_start_time().",
		     "could not tell whether old and new are two different databases");
		return false;
	}
}

/* ---- the whole comparison ---- */

static bool connect_side(struct side *s, const struct pg_spec *spec, struct ctx *ctx,
			 struct cmp_result *r, char *label, size_t labellen, int *version)
{
	struct pg_failure f;

	snprintf(label, labellen, "%s", spec->label);
	s->conn = pg_login(spec, str_eq(s->name, "old") ? SECRET_COMPARE_OLD_PASSWORD
						     : SECRET_COMPARE_NEW_PASSWORD, ctx, &f);
	if (!s->conn) {
		fail(r, s->name, f.fix[0] ? f.fix : "Check the connection settings and run the "
			 "comparison again.", "%s: %s", s->name, f.message);
		r->needs = f.needs;
		return false;
	}
	*version = PQserverVersion(s->conn);
	if (*version < 100000) {
		fail(r, s->name, "Compare with PostgreSQL 10 or later, or verify the clone with "
		     "your DBMS tools.", "%s: PostgreSQL %d.%d is too old to compare (pg_sequences "
		     "needs 10 or later)", s->name, *version / 10000, *version / 100 % 100);
		return false;
	}
	return true;
}

static void check_requested_schemas(const struct cmp_options *opt, const struct side *so,
				    const struct side *sn, PGconn *conn, struct cmp_result *r)
{
	for (size_t i = 0; opt && i < opt->nschemas; i++) {
		char *q = pg_quote_ident(conn, opt->schemas[i]);
		bool found = false;

		/* Keys are quote_ident() output; PQescapeIdentifier always quotes,
		 * so compare both spellings. */
		for (size_t k = 0; q && k < so->sets[0].n && !found; k++)
			found = str_eq(so->sets[0].o[k].key, opt->schemas[i]) ||
				str_eq(so->sets[0].o[k].key, q);
		for (size_t k = 0; q && k < sn->sets[0].n && !found; k++)
			found = str_eq(sn->sets[0].o[k].key, opt->schemas[i]) ||
				str_eq(sn->sets[0].o[k].key, q);
		if (!found)
			fail(r, "", "Check the --schema names: they are case-sensitive and must "
			     "exist in at least one of the databases.",
			     "schema \"%s\" exists in neither database", opt->schemas[i]);
		free(q);
	}
}

enum cmp_status compare_databases(const struct pg_spec *old_spec, const struct pg_spec *new_spec,
				  const struct cmp_options *opt, struct ctx *ctx,
				  struct cmp_result *r)
{
	struct side so = { .name = "old" }, sn = { .name = "new" };
	struct keyset gone_new = { 0 }, gone_old = { 0 };
	struct pair *pairs = NULL;
	size_t npairs = 0;
	long step = 0, nsteps = 2 * (long)NCLASSES;
	struct ctx cctx;

	cmp_result_init(r);
	r->exact = opt && opt->exact;
	if (!connect_side(&so, old_spec, ctx, r, r->old_label, sizeof r->old_label, &r->old_version) ||
	    !connect_side(&sn, new_spec, ctx, r, r->new_label, sizeof r->new_label, &r->new_version))
		goto out;
	if (!distinct_databases(&so, &sn, ctx, r))
		goto out;
	if (r->old_version / 10000 != r->new_version / 10000)
		add_note(r, "the servers run different major versions (PostgreSQL %d and %d): "
			 "each prints index, constraint and default definitions its own way, so a "
			 "definition difference may be only a different spelling; read those by eye",
			 r->old_version / 10000, r->new_version / 10000);
	/* A catalog of tens of thousands of tables takes longer to read than a
	 * connection may take to open: same cancel flag, a longer bound. */
	cctx = ctx ? *ctx : (struct ctx){ 0 };
	if (ctx_timeout_s(&cctx) < CMP_CATALOG_TIMEOUT_S)
		cctx.timeout_s = CMP_CATALOG_TIMEOUT_S;
	if (!allow_long_statements(&so, &cctx, r) || !allow_long_statements(&sn, &cctx, r) ||
	    !read_catalog(&so, opt, &cctx, r, &step, nsteps) ||
	    !read_catalog(&sn, opt, &cctx, r, &step, nsteps))
		goto out;
	check_requested_schemas(opt, &so, &sn, so.conn, r);
	if (r->status == CMP_FAILED)
		goto out;

	for (size_t i = 0; i < NCLASSES; i++)
		merge(&CLASSES[i], &so.sets[i], &sn.sets[i], r, &gone_new, &gone_old,
		      CLASSES[i].kind == CMP_RELATION ? &pairs : NULL, &npairs);

	if (r->exact) {
		exact_counts(&so, &sn, pairs, npairs, ctx, r);
	} else {
		struct pair *unknown = NULL;
		size_t nunknown = 0;

		estimated_counts(pairs, npairs, r, &unknown, &nunknown);
		if (nunknown) {
			exact_counts(&so, &sn, unknown, nunknown, ctx, r);
			r->counted = nunknown;
		}
		free(unknown);
	}
	if (r->status != CMP_FAILED && ctx_cancelled(ctx))
		fail(r, "", fix_for_query("cancelled"), "cancelled");
	if (r->status != CMP_FAILED)
		r->status = r->ndiffs ? CMP_DIFFERENT : CMP_IDENTICAL;
out:
	free(pairs);
	free(gone_new.k);
	free(gone_old.k);
	side_free(&so);
	side_free(&sn);
	return r->status;
}
