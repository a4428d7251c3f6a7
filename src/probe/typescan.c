/* typescan.c - type verification of a live database (see typescan.h).
 *
 * One streamed catalog query (single-row mode) classifies every column as it
 * arrives; only findings and, when data is probed, a compact per-table list
 * of the columns to probe are kept.  Probes then run one aggregate query per
 * table, identifiers quoted by libpq, under their own statement_timeout. */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libpq-fe.h>

#include "exitcodes.h"
#include "json.h"
#include "login.h"
#include "pg.h"
#include "names.h"
#include "typescan.h"
#include "util.h"

/* ---- string interning: schema, table, type names repeat a lot ---- */

struct type_pool {
	char **slot;
	size_t cap, n;
};

static uint64_t hash_str(const char *s)
{
	uint64_t h = 1469598103934665603ULL;   /* FNV-1a */

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return h;
}

static const char *intern(struct type_pool *p, const char *s)
{
	size_t i;

	if (!s)
		return NULL;
	if (p->n * 2 >= p->cap) {
		size_t ncap = p->cap ? p->cap * 2 : 256;
		char **ns = xcalloc(ncap, sizeof *ns);

		for (size_t k = 0; k < p->cap; k++)
			if (p->slot[k]) {
				i = hash_str(p->slot[k]) & (ncap - 1);
				while (ns[i])
					i = (i + 1) & (ncap - 1);
				ns[i] = p->slot[k];
			}
		free(p->slot);
		p->slot = ns;
		p->cap = ncap;
	}
	i = hash_str(s) & (p->cap - 1);
	while (p->slot[i]) {
		if (strcmp(p->slot[i], s) == 0)
			return p->slot[i];
		i = (i + 1) & (p->cap - 1);
	}
	p->slot[i] = xstrdup(s);
	p->n++;
	return p->slot[i];
}

static void pool_free(struct type_pool *p)
{
	if (!p)
		return;
	for (size_t k = 0; k < p->cap; k++)
		free(p->slot[k]);
	free(p->slot);
	free(p);
}

/* ---- scope ---- */

void type_scope_init(struct type_scope *s)
{
	memset(s, 0, sizeof *s);
}

void type_scope_free(struct type_scope *s)
{
	for (size_t i = 0; i < s->nschemas; i++)
		free(s->schemas[i]);
	for (size_t i = 0; i < s->ntables; i++) {
		free(s->tab_schema[i]);
		free(s->tab_name[i]);
	}
	free(s->schemas);
	free(s->tab_schema);
	free(s->tab_name);
	type_scope_init(s);
}

void type_scope_add_schema(struct type_scope *s, const char *schema)
{
	for (size_t i = 0; i < s->nschemas; i++)
		if (strcmp(s->schemas[i], schema) == 0)
			return;
	s->schemas = xreallocarray(s->schemas, s->nschemas + 1, sizeof *s->schemas);
	s->schemas[s->nschemas++] = xstrdup(schema);
}

void type_scope_add_table(struct type_scope *s, const char *schema, const char *table)
{
	for (size_t i = 0; i < s->ntables; i++)
		if (strcmp(s->tab_schema[i], schema) == 0 && strcmp(s->tab_name[i], table) == 0)
			return;
	s->tab_schema = xreallocarray(s->tab_schema, s->ntables + 1, sizeof *s->tab_schema);
	s->tab_name = xreallocarray(s->tab_name, s->ntables + 1, sizeof *s->tab_name);
	s->tab_schema[s->ntables] = xstrdup(schema);
	s->tab_name[s->ntables++] = xstrdup(table);
}

bool type_scope_parse_table(struct type_scope *s, const char *arg, char *msg, size_t msglen)
{
	char *schema, *table;

	if (!names_qualified(arg, &schema, &table, msg, msglen))
		return false;
	type_scope_add_table(s, schema, table);
	free(schema);
	free(table);
	return true;
}

/* A settings list: schemas, or schema.table words (names.h). */
static void add_words(struct type_scope *s, const char *list, bool tables, bool *ok,
		      char *msg, size_t msglen)
{
	char **words = names_split(list, NULL);

	for (char **w = words; *w && *ok; w++) {
		char *id;

		if (tables) {
			*ok = type_scope_parse_table(s, *w, msg, msglen);
		} else if (names_ident(*w, &id)) {
			type_scope_add_schema(s, id);
			free(id);
		} else {
			snprintf(msg, msglen, "schema name '%s' is malformed", *w);
			*ok = false;
		}
	}
	names_free(words);
}

bool type_scope_from_doc(struct type_scope *s, const struct doc *d, const char *only,
			 char *msg, size_t msglen)
{
	const char *v;
	const char **names;
	size_t n;
	bool ok = true;

	if (!only && (v = doc_get(d, "scope", NULL, "schemas")))
		add_words(s, v, false, &ok, msg, msglen);
	names = doc_section_names(d, "extension", &n);
	for (size_t i = 0; i < n; i++) {
		if (only && !str_eq(only, names[i]))
			continue;
		if ((v = doc_get(d, "extension", names[i], "tables")))
			add_words(s, v, true, &ok, msg, msglen);
	}
	free(names);
	return ok;
}

char *type_scope_describe(const struct type_scope *s)
{
	struct strbuf sb = STRBUF_INIT;

	if (!s->nschemas && !s->ntables)
		return xstrdup("all user schemas");
	if (s->nschemas) {
		sb_add(&sb, "schemas ");
		for (size_t i = 0; i < s->nschemas; i++)
			sb_addf(&sb, "%s%s", i ? ", " : "", s->schemas[i]);
	}
	if (s->ntables) {
		sb_addf(&sb, "%stables ", s->nschemas ? "; " : "");
		for (size_t i = 0; i < s->ntables; i++)
			sb_addf(&sb, "%s%s.%s", i ? ", " : "", s->tab_schema[i], s->tab_name[i]);
	}
	return sb_detach(&sb);
}

/* ---- result ---- */

void type_result_init(struct type_result *r)
{
	memset(r, 0, sizeof *r);
	r->pool = xcalloc(1, sizeof *r->pool);
}

void type_result_free(struct type_result *r)
{
	free(r->f);
	for (size_t i = 0; i < r->nerrors; i++) {
		free(r->errors[i].message);
		free(r->errors[i].fix);
	}
	free(r->errors);
	free(r->unmatched);
	free(r->scope);
	pool_free(r->pool);
	memset(r, 0, sizeof *r);
}

/* The strings are the caller's to set: pooled already or to be interned. */
static struct type_finding *new_finding(struct type_result *r, enum tf_code code,
					enum tf_severity sev, int attnum)
{
	struct type_finding *f;

	if (r->n == r->cap) {
		r->cap = r->cap ? r->cap * 2 : 64;
		r->f = xreallocarray(r->f, r->cap, sizeof *r->f);
	}
	f = &r->f[r->n++];
	memset(f, 0, sizeof *f);
	f->code = (unsigned char)code;
	f->severity = (unsigned char)sev;
	f->attnum = attnum;
	f->count = -1;
	if ((unsigned)sev < TS_NSEV)
		r->counts[sev]++;
	return f;
}

struct type_finding *type_result_add(struct type_result *r, enum tf_code code,
				     enum tf_severity sev, const char *schema,
				     const char *table, const char *column, int attnum,
				     const char *pg_type, const char *ardo_type,
				     const char *supported_type, long long count,
				     const char *samples)
{
	struct type_finding *f = new_finding(r, code, sev, attnum);

	f->schema = intern(r->pool, schema ? schema : "");
	f->table = intern(r->pool, table ? table : "");
	f->column = intern(r->pool, column ? column : "");
	f->pg_type = intern(r->pool, pg_type ? pg_type : "");
	f->ardo_type = intern(r->pool, ardo_type ? ardo_type : "");
	f->supported_type = intern(r->pool, supported_type ? supported_type : "");
	f->count = count;
	f->samples = samples && *samples ? intern(r->pool, samples) : NULL;
	return f;
}

/* type_result_add() for strings the pool already holds (the scan's hot
 * path: one column's findings share them). */
static struct type_finding *add_interned(struct type_result *r, enum tf_code code,
					 enum tf_severity sev, const char *schema, const char *table,
					 const char *column, int attnum, const char *pg_type,
					 const char *ardo, const char *sup)
{
	struct type_finding *f = new_finding(r, code, sev, attnum);

	f->schema = schema;
	f->table = table;
	f->column = column;
	f->pg_type = pg_type;
	f->ardo_type = ardo;
	f->supported_type = sup;
	return f;
}

void type_finding_set_detail(struct type_result *r, struct type_finding *f, const char *detail)
{
	f->detail = detail && *detail ? intern(r->pool, detail) : NULL;
}

void type_result_add_error(struct type_result *r, const char *schema, const char *table,
			   const char *cause, const char *message, const char *fix)
{
	struct type_error *e;

	r->errors = xreallocarray(r->errors, r->nerrors + 1, sizeof *r->errors);
	e = &r->errors[r->nerrors++];
	e->schema = intern(r->pool, schema ? schema : "");
	e->table = intern(r->pool, table ? table : "");
	e->cause = intern(r->pool, cause ? cause : "server");
	e->message = xstrdup(message ? message : "");
	e->fix = xstrdup(fix ? fix : "");
}

static int cmp_finding(const void *pa, const void *pb)
{
	const struct type_finding *a = pa, *b = pb;
	int c;

	if (a->schema != b->schema && (c = strcmp(a->schema, b->schema)))
		return c;
	if (a->table != b->table && (c = strcmp(a->table, b->table)))
		return c;
	if (a->attnum != b->attnum)
		return a->attnum < b->attnum ? -1 : 1;
	if (a->column != b->column && (c = strcmp(a->column, b->column)))
		return c;
	return (int)a->code - (int)b->code;
}

void type_result_sort(struct type_result *r)
{
	if (r->n > 1)
		qsort(r->f, r->n, sizeof *r->f, cmp_finding);
}

static void add_unmatched(struct type_result *r, const char *schema, const char *table)
{
	r->unmatched = xreallocarray(r->unmatched, r->nunmatched + 1, sizeof *r->unmatched);
	r->unmatched[r->nunmatched].schema = intern(r->pool, schema);
	r->unmatched[r->nunmatched].table = table ? intern(r->pool, table) : NULL;
	r->nunmatched++;
}

int type_result_exit_code(const struct type_result *r)
{
	/* As `check`: a blocker outranks "could not check", which outranks
	 * warnings.  What was asked for and not found was not checked. */
	if (r->counts[TS_BLOCKER])
		return EXIT_FAILURES;
	if (r->nerrors || r->nunmatched || r->columns == 0)
		return EXIT_NOCHECK;
	if (r->counts[TS_WARNING])
		return EXIT_WARNINGS;
	return EXIT_OK;
}

char *type_result_scope_problem(const struct type_result *r)
{
	struct strbuf sb = STRBUF_INIT;

	if (r->columns == 0)
		sb_add(&sb, "nothing in scope matched a table or view: no column was checked");
	if (r->nunmatched) {
		sb_addf(&sb, "%s%s matched nothing (names are case-sensitive): ",
			sb.len ? "; " : "", r->nunmatched == 1 ? "this scope entry" : "these scope entries");
		for (size_t i = 0; i < r->nunmatched; i++) {
			const struct type_unmatched *u = &r->unmatched[i];

			if (u->table)
				sb_addf(&sb, "%stable %s.%s", i ? ", " : "", u->schema, u->table);
			else
				sb_addf(&sb, "%sschema %s", i ? ", " : "", u->schema);
		}
	}
	if (!sb.len) {
		sb_free(&sb);
		return NULL;
	}
	return sb_detach(&sb);
}

void type_counts_text(struct strbuf *sb, long long blockers, long long warnings,
		      long long infos, long long columns, long long tables)
{
	sb_addf(sb, "%lld %s, %lld %s", blockers, plural(blockers, "blocker", "blockers"),
		warnings, plural(warnings, "warning", "warnings"));
	if (infos >= 0)
		sb_addf(sb, ", %lld %s", infos, plural(infos, "info", "infos"));
	sb_addf(sb, " over %lld %s", columns, plural(columns, "column", "columns"));
	if (tables >= 0)
		sb_addf(sb, " in %lld %s", tables, plural(tables, "table", "tables"));
}

enum check_status type_result_status(const struct type_result *r)
{
	switch (type_result_exit_code(r)) {
	case EXIT_FAILURES: return CHECK_FAILED;
	case EXIT_NOCHECK: return CHECK_ERROR;
	case EXIT_WARNINGS: return CHECK_WARNING;
	default: return CHECK_OK;
	}
}

/* ---- the catalog pass ---- */

/* Which relations are in scope: the same condition in the relations and
 * the columns query.  Partitions are in (information_schema lists them). */
#define SCOPE_FROM \
	" FROM pg_catalog.pg_class c" \
	" JOIN pg_catalog.pg_namespace n ON n.oid OPERATOR(pg_catalog.=) c.relnamespace"
#define SCOPE_WHERE \
	" c.relkind OPERATOR(pg_catalog.=) ANY ('{r,p,v,m,f}'::pg_catalog.\"char\"[])" \
	"  AND (n.nspname OPERATOR(pg_catalog.=) ANY ($1::pg_catalog.name[])" \
	"   OR (n.nspname, c.relname) OPERATOR(pg_catalog.=) ANY (SELECT sel.s, sel.r" \
	"    FROM ROWS FROM (pg_catalog.unnest($2::pg_catalog.name[])," \
	"     pg_catalog.unnest($3::pg_catalog.name[])) AS sel(s, r))" \
	"   OR ($4::pg_catalog.bool" \
	"    AND n.nspname OPERATOR(pg_catalog.<>) ALL ('{pg_catalog,information_schema}'::pg_catalog.name[])" \
	"    AND n.nspname OPERATOR(pg_catalog.!~~) 'pg\\_%'))"

/* Every type a column may have, except composites (each table, view and
 * sequence has one, and an array of it: they would double the work on a
 * large schema) and arrays outside pg_catalog; a column of such a type,
 * rare, is looked up afterwards ($1).  Domains resolved to their ultimate
 * base type (domains over domains), the outermost typmod winning; depth
 * says how many domains deep. */
const char typescan_types_sql[] =
	"WITH RECURSIVE dom(oid, base, typmod, nn, depth) AS ("
	" SELECT t.oid, t.typbasetype, t.typtypmod, t.typnotnull, 1 FROM pg_catalog.pg_type t"
	"  WHERE t.typtype OPERATOR(pg_catalog.=) 'd'"
	" UNION ALL"
	" SELECT d.oid, t.typbasetype,"
	"  CASE WHEN d.typmod OPERATOR(pg_catalog.>=) 0 THEN d.typmod ELSE t.typtypmod END,"
	"  d.nn OR t.typnotnull, d.depth OPERATOR(pg_catalog.+) 1"
	" FROM dom d JOIN pg_catalog.pg_type t ON t.oid OPERATOR(pg_catalog.=) d.base"
	"  AND t.typtype OPERATOR(pg_catalog.=) 'd'),"
	" dombase AS (SELECT DISTINCT ON (oid) oid, base, typmod, nn, depth FROM dom"
	"  ORDER BY oid, depth DESC)"
	" SELECT t.oid, COALESCE(db.depth, 0), bt.typname, bn.nspname, bt.typtype,"
	"  bt.typelem OPERATOR(pg_catalog.<>) '0'::pg_catalog.oid"
	"   AND bt.typlen OPERATOR(pg_catalog.=) '-1'::pg_catalog.int2,"
	"  COALESCE(db.typmod, '-1'::pg_catalog.int4), COALESCE(db.nn, false),"
	"  CASE WHEN db.oid IS NOT NULL THEN pg_catalog.format_type(db.base, db.typmod) END"
	" FROM pg_catalog.pg_type t"
	" LEFT JOIN dombase db ON db.oid OPERATOR(pg_catalog.=) t.oid"
	" JOIN pg_catalog.pg_type bt ON bt.oid OPERATOR(pg_catalog.=) COALESCE(db.base, t.oid)"
	" JOIN pg_catalog.pg_namespace bn ON bn.oid OPERATOR(pg_catalog.=) bt.typnamespace"
	" WHERE CASE WHEN $1::pg_catalog.oid[] IS NULL THEN"
	"  t.typtype OPERATOR(pg_catalog.<>) 'c' AND (t.typcategory OPERATOR(pg_catalog.<>) 'A'"
	"   OR t.typnamespace OPERATOR(pg_catalog.=) 'pg_catalog'::pg_catalog.regnamespace)"
	"  ELSE t.oid OPERATOR(pg_catalog.=) ANY ($1::pg_catalog.oid[]) END";

/* One row per relation in scope (in no order: sorted by oid here), with
 * what is computed once per table: the SELECT privilege (when the data is
 * probed, $5), the primary key (and whether information_schema's
 * table_constraints shows it to this user, as ardo read it: owner, or a
 * privilege other than SELECT), the default of a one-column key (its node
 * tree: pg_get_expr() would open every table, the slowest part of the
 * whole pass; adbin_is_nextval() reads it), and a partition's parent and
 * ancestors. */
const char typescan_tables_sql[] =
	"SELECT c.oid, n.nspname, c.relname, c.relkind, c.relispartition, c.relispopulated,"
	"  $5::pg_catalog.bool AND pg_catalog.has_table_privilege(c.oid, 'SELECT'),"
	"  pk.conkey,"
	"  CASE WHEN pk.conkey IS NULL THEN false ELSE NOT ("
	"   pg_catalog.pg_has_role(c.relowner, 'USAGE')"
	"   OR pg_catalog.has_table_privilege(c.oid, 'INSERT, UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER')"
	"   OR pg_catalog.has_any_column_privilege(c.oid, 'INSERT, UPDATE, REFERENCES')) END,"
	"  ad.adbin::pg_catalog.text,"
	"  pn.nspname, pc.relname,"
	"  CASE WHEN c.relispartition THEN ARRAY(WITH RECURSIVE anc(oid) AS ("
	"    SELECT i.inhparent FROM pg_catalog.pg_inherits i WHERE i.inhrelid OPERATOR(pg_catalog.=) c.oid"
	"    UNION ALL SELECT i.inhparent FROM pg_catalog.pg_inherits i"
	"     JOIN anc ON i.inhrelid OPERATOR(pg_catalog.=) anc.oid)"
	"   SELECT anc.oid FROM anc) END,"
	"  CURRENT_USER"
	SCOPE_FROM
	" LEFT JOIN pg_catalog.pg_constraint pk ON pk.conrelid OPERATOR(pg_catalog.=) c.oid"
	"  AND pk.contype OPERATOR(pg_catalog.=) 'p'"
	" LEFT JOIN pg_catalog.pg_attrdef ad ON ad.adrelid OPERATOR(pg_catalog.=) c.oid"
	"  AND ad.adnum OPERATOR(pg_catalog.=) pk.conkey[1]"
	"  AND pg_catalog.cardinality(pk.conkey) OPERATOR(pg_catalog.=) 1"
	" LEFT JOIN pg_catalog.pg_inherits pi ON c.relispartition"
	"  AND pi.inhrelid OPERATOR(pg_catalog.=) c.oid"
	" LEFT JOIN pg_catalog.pg_class pc ON pc.oid OPERATOR(pg_catalog.=) pi.inhparent"
	" LEFT JOIN pg_catalog.pg_namespace pn ON pn.oid OPERATOR(pg_catalog.=) pc.relnamespace"
	" WHERE" SCOPE_WHERE;

/* The columns: nothing computed per row but what the minimal catalog query
 * computes (format_type); types and tables are looked up in memory.  No
 * ORDER BY: rows are matched to their table by oid. */
#define COLUMNS_SQL(generated) \
	"SELECT a.attrelid, a.attname, a.attnum, pg_catalog.format_type(a.atttypid, a.atttypmod)," \
	"  a.atttypid, a.atttypmod, a.attnotnull, a.attidentity, " generated \
	" FROM pg_catalog.pg_attribute a" \
	" JOIN pg_catalog.pg_class c ON c.oid OPERATOR(pg_catalog.=) a.attrelid" \
	" JOIN pg_catalog.pg_namespace n ON n.oid OPERATOR(pg_catalog.=) c.relnamespace" \
	" WHERE a.attnum OPERATOR(pg_catalog.>) 0 AND NOT a.attisdropped AND" SCOPE_WHERE
const char typescan_columns_sql[] = COLUMNS_SQL("a.attgenerated");
static const char columns_sql_pg11[] = COLUMNS_SQL("''::pg_catalog.\"char\"");

enum { TY_OID, TY_DEPTH, TY_NAME, TY_SCHEMA, TY_TYPTYPE, TY_ISARRAY, TY_TYPMOD, TY_NOTNULL,
       TY_BASE, TY_NCOLS };
enum { TB_OID, TB_SCHEMA, TB_TABLE, TB_RELKIND, TB_ISPART, TB_POPULATED, TB_CANSELECT, TB_PK,
       TB_PKHIDDEN, TB_PKDEFAULT, TB_PARENT_SCHEMA, TB_PARENT, TB_ANCESTORS, TB_USER, TB_NCOLS };
enum { COL_RELID, COL_NAME, COL_ATTNUM, COL_DECL, COL_TYPID, COL_TYPMOD, COL_NOTNULL,
       COL_IDENTITY, COL_GENERATED, NCOLS };

/* A type, as the columns need it (ultimate base type of a domain). */
struct typeinfo {
	unsigned oid;            /* 0: empty slot */
	int depth;               /* domain depth, 0 not a domain */
	const char *name, *schema;  /* interned */
	char typtype;
	bool is_array;
	int typmod;              /* a domain's typmod, -1 */
	bool notnull;            /* a domain's NOT NULL */
	const char *base;        /* a domain's base as format_type() writes it, interned */
};

struct typemap_cache {
	struct typeinfo *slot;
	size_t cap, n;
};

static struct typeinfo *type_slot(struct typemap_cache *tc, unsigned oid)
{
	size_t i;

	if (!tc->cap)
		return NULL;
	i = (oid * 2654435761u) & (tc->cap - 1);
	while (tc->slot[i].oid && tc->slot[i].oid != oid)
		i = (i + 1) & (tc->cap - 1);
	return &tc->slot[i];
}

static void type_put(struct typemap_cache *tc, const struct typeinfo *ti)
{
	struct typeinfo *s;

	if ((tc->n + 1) * 2 >= tc->cap) {
		struct typemap_cache big = { xcalloc(tc->cap ? tc->cap * 2 : 1024, sizeof *big.slot),
					      tc->cap ? tc->cap * 2 : 1024, 0 };

		for (size_t k = 0; k < tc->cap; k++)
			if (tc->slot[k].oid) {
				*type_slot(&big, tc->slot[k].oid) = tc->slot[k];
				big.n++;
			}
		free(tc->slot);
		*tc = big;
	}
	s = type_slot(tc, ti->oid);
	if (!s->oid)
		tc->n++;
	*s = *ti;
}

static const struct typeinfo *type_get(struct typemap_cache *tc, unsigned oid)
{
	struct typeinfo *s = type_slot(tc, oid);

	return s && s->oid ? s : NULL;
}

struct probe_col {
	const char *name;        /* interned */
	const char *pg_type;     /* display, interned */
	const char *ardo, *supported;
	const char *type_name;   /* base typname, interned (conditions depend on it) */
	int attnum;
	struct tm_probe plan;
};

/* One relation in scope (relations query), kept by oid. */
struct rel {
	unsigned oid;
	const char *schema, *table;  /* interned */
	char relkind;
	bool is_partition, populated, can_select, pk_hidden;
	int npk;
	short *pk_attnum;          /* npk: the key's columns in key order */
	const char **pk_name;      /* filled as the columns arrive (interned) */
	bool *pk_bare;             /* member printed as a number in samples */
	char *pk_default;          /* default of a one-column key (node tree), or NULL */
	const char *parent;        /* "S.P" of a partition, interned */
	unsigned *anc;             /* a partition's ancestors, parent first */
	int nanc;
	const struct rel *through; /* probed through this ancestor (in scope), or NULL */
	struct probe_col *cols;
	size_t ncols, capcols;
};

struct scope_ent;

/* A column whose type was not in the cache (a table's row type): kept,
 * then classified once its type was read. */
struct pending_col {
	struct rel *rel;
	char *name, *decl;
	unsigned typid;
	int attnum, typmod;
	bool notnull;
	char identity, generated;
};

struct scan {
	struct type_result *r;
	const struct typescan_opts *opts;
	struct ctx *ctx;
	bool want_probes;
	int server_version;
	const char *user;          /* CURRENT_USER, interned */
	/* which scope entries some table matched: entries sorted by name
	 * (indexes into the scope), searched per table */
	const struct type_scope *scope;
	struct scope_ent *sch, *tab;
	bool *sch_hit, *tab_hit;
	struct typemap_cache types;
	struct rel *rels;          /* in oid order */
	size_t nrels, caprels;
	struct rel *last;          /* the last row's relation */
	struct pending_col *pend;
	size_t npend;
	/* per column, for the findings callback */
	const struct rel *rel;
	const char *column, *pg_type, *detail;
	const char **tdetail;      /* a table finding's detail by code, or NULL */
	const struct tm_class *cls;
	char ardo[64], sup[64];
	bool formatted;
	const char *icolumn, *ipg_type, *iardo, *isup;  /* interned, once a finding needs them */
	int attnum;
};

static void format_types(struct scan *sc)
{
	if (sc->formatted)
		return;
	tm_mapping_format(&sc->cls->ardo, sc->ardo, sizeof sc->ardo);
	tm_mapping_format(&sc->cls->supported, sc->sup, sizeof sc->sup);
	sc->formatted = true;
}

static void emit_finding(void *ud, enum tf_code code, enum tf_severity sev)
{
	struct scan *sc = ud;
	struct type_finding *f;
	struct type_pool *pool = sc->r->pool;

	format_types(sc);
	if (!sc->icolumn) {   /* the column's first finding */
		sc->icolumn = intern(pool, sc->column);
		sc->ipg_type = intern(pool, sc->pg_type);
		sc->iardo = intern(pool, sc->ardo);
		sc->isup = intern(pool, sc->sup);
	}
	f = add_interned(sc->r, code, sev, sc->rel->schema, sc->rel->table, sc->icolumn,
			 sc->attnum, sc->ipg_type, sc->iardo, sc->isup);
	if (code == TF_STILL_IGNORED)
		type_finding_set_detail(sc->r, f, sc->detail);
}

static void emit_table_finding(void *ud, enum tf_code code, enum tf_severity sev)
{
	struct scan *sc = ud;
	struct type_finding *f;

	f = type_result_add(sc->r, code, sev, sc->rel->schema, sc->rel->table, "", 0, "", "", "",
			    -1, NULL);
	type_finding_set_detail(sc->r, f, sc->tdetail ? sc->tdetail[code] : sc->detail);
}

static bool is_numeric_key_type(const char *typname)
{
	return str_eq(typname, "int2") || str_eq(typname, "int4") || str_eq(typname, "int8") ||
	       str_eq(typname, "numeric") || str_eq(typname, "float4") ||
	       str_eq(typname, "float8") || str_eq(typname, "oid");
}

/* The end of the node ({...}) that starts at s, or NULL. */
static const char *node_end(const char *s)
{
	int depth = 0;

	for (; *s; s++) {
		if (*s == '{')
			depth++;
		else if (*s == '}' && --depth == 0)
			return s + 1;
	}
	return NULL;
}

/* Whether a column default, as pg_attrdef.adbin's node tree, is what
 * information_schema.column_default shows as "nextval(...)" (ardo's test
 * for an autonumber): a call of pg_catalog.nextval (OID 1574) under
 * implicit casts only, which pg_get_expr() does not print (serial's
 * int4(nextval(...)), a binary relabelling). */
static bool adbin_is_nextval(const char *s)
{
	while (s && *s) {
		const char *f;

		if (str_startswith(s, "{FUNCEXPR :funcid 1574 "))
			return true;
		if (str_startswith(s, "{FUNCEXPR ")) {
			f = strstr(s, " :funcformat ");
			if (!f || atoi(f + 13) != 2)     /* COERCE_IMPLICIT_CAST */
				return false;
			f = strstr(s, " :args (");
			s = f ? f + 8 : NULL;
		} else if (str_startswith(s, "{RELABELTYPE :arg ")) {
			const char *arg = s + 18, *end = node_end(arg);

			f = end ? strstr(end, " :relabelformat ") : NULL;
			if (!f || atoi(f + 16) != 2)
				return false;
			s = arg;
		} else {
			return false;
		}
	}
	return false;
}

static unsigned parse_oid(const char *s)
{
	return (unsigned)strtoul(s, NULL, 10);
}

static struct rel *find_rel(struct scan *sc, unsigned oid)
{
	size_t lo = 0, hi = sc->nrels;

	if (sc->last && sc->last->oid == oid)
		return sc->last;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (sc->rels[mid].oid == oid)
			return sc->last = &sc->rels[mid];
		if (sc->rels[mid].oid < oid)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

/* "{1,2,3}" of an int2[] or oid[] column: the numbers; returns how many. */
static int parse_int_array(const char *s, long **out)
{
	int n = 0, cap = 0;
	long *v = NULL;

	*out = NULL;
	if (!s || *s != '{')
		return 0;
	for (s++; *s && *s != '}';) {
		char *end;
		long x = strtol(s, &end, 10);

		if (end == s)
			break;
		if (n == cap) {
			cap = cap ? cap * 2 : 4;
			v = xreallocarray(v, (size_t)cap, sizeof *v);
		}
		v[n++] = x;
		s = end;
		if (*s == ',')
			s++;
	}
	*out = v;
	return n;
}

/* ---- which scope entries matched ---- */

struct scope_ent {
	const char *schema, *table;  /* table NULL for a schema entry */
	size_t idx;                  /* position in the scope */
};

static int cmp_ent(const void *pa, const void *pb)
{
	const struct scope_ent *a = pa, *b = pb;
	int c = strcmp(a->schema, b->schema);

	return c ? c : strcmp(a->table ? a->table : "", b->table ? b->table : "");
}

static void match_init(struct scan *sc, const struct type_scope *scope)
{
	sc->scope = scope;
	sc->sch = xcalloc(scope->nschemas + 1, sizeof *sc->sch);
	sc->tab = xcalloc(scope->ntables + 1, sizeof *sc->tab);
	sc->sch_hit = xcalloc(scope->nschemas + 1, sizeof *sc->sch_hit);
	sc->tab_hit = xcalloc(scope->ntables + 1, sizeof *sc->tab_hit);
	for (size_t i = 0; i < scope->nschemas; i++)
		sc->sch[i] = (struct scope_ent){ scope->schemas[i], NULL, i };
	for (size_t i = 0; i < scope->ntables; i++)
		sc->tab[i] = (struct scope_ent){ scope->tab_schema[i], scope->tab_name[i], i };
	qsort(sc->sch, scope->nschemas, sizeof *sc->sch, cmp_ent);
	qsort(sc->tab, scope->ntables, sizeof *sc->tab, cmp_ent);
}

static void match_free(struct scan *sc)
{
	free(sc->sch);
	free(sc->tab);
	free(sc->sch_hit);
	free(sc->tab_hit);
}

/* A table of the catalog pass: mark the scope entries it matches (the
 * scope's lists are deduplicated, so one entry at most each). */
static void match_table(struct scan *sc, const char *schema, const char *table)
{
	struct scope_ent key = { schema, NULL, 0 };
	const struct scope_ent *e;

	if (!sc->scope)
		return;
	e = bsearch(&key, sc->sch, sc->scope->nschemas, sizeof *sc->sch, cmp_ent);
	if (e)
		sc->sch_hit[e->idx] = true;
	key.table = table;
	e = bsearch(&key, sc->tab, sc->scope->ntables, sizeof *sc->tab, cmp_ent);
	if (e)
		sc->tab_hit[e->idx] = true;
}

/* After a complete catalog pass: every entry no table matched, in the
 * order the operator wrote them. */
static void match_report(struct scan *sc)
{
	const struct type_scope *s = sc->scope;

	for (size_t i = 0; i < s->nschemas; i++)
		if (!sc->sch_hit[i])
			add_unmatched(sc->r, s->schemas[i], NULL);
	for (size_t i = 0; i < s->ntables; i++)
		if (!sc->tab_hit[i])
			add_unmatched(sc->r, s->tab_schema[i], s->tab_name[i]);
}

/* ---- the three queries ---- */

static bool on_type(void *ud, const PGresult *res, int rownum)
{
	struct scan *sc = ud;
	struct typeinfo ti;

	(void)rownum;
	if (PQnfields(res) < TY_NCOLS)
		return false;
	memset(&ti, 0, sizeof ti);
	ti.oid = parse_oid(PQgetvalue(res, 0, TY_OID));
	ti.depth = atoi(PQgetvalue(res, 0, TY_DEPTH));
	ti.name = intern(sc->r->pool, PQgetvalue(res, 0, TY_NAME));
	ti.schema = intern(sc->r->pool, PQgetvalue(res, 0, TY_SCHEMA));
	ti.typtype = PQgetvalue(res, 0, TY_TYPTYPE)[0];
	ti.is_array = PQgetvalue(res, 0, TY_ISARRAY)[0] == 't';
	ti.typmod = atoi(PQgetvalue(res, 0, TY_TYPMOD));
	ti.notnull = PQgetvalue(res, 0, TY_NOTNULL)[0] == 't';
	ti.base = PQgetisnull(res, 0, TY_BASE) ? NULL : intern(sc->r->pool, PQgetvalue(res, 0, TY_BASE));
	if (ti.oid)
		type_put(&sc->types, &ti);
	return !ctx_cancelled(sc->ctx);
}

static bool on_table(void *ud, const PGresult *res, int rownum)
{
	struct scan *sc = ud;
	struct rel *t;
	long *v;
	int n;

	(void)rownum;
	if (PQnfields(res) < TB_NCOLS)
		return false;
	if (sc->nrels == sc->caprels) {
		sc->caprels = sc->caprels ? sc->caprels * 2 : 64;
		sc->rels = xreallocarray(sc->rels, sc->caprels, sizeof *sc->rels);
	}
	t = &sc->rels[sc->nrels++];
	memset(t, 0, sizeof *t);
	t->oid = parse_oid(PQgetvalue(res, 0, TB_OID));
	t->schema = intern(sc->r->pool, PQgetvalue(res, 0, TB_SCHEMA));
	t->table = intern(sc->r->pool, PQgetvalue(res, 0, TB_TABLE));
	t->relkind = PQgetvalue(res, 0, TB_RELKIND)[0];
	t->is_partition = PQgetvalue(res, 0, TB_ISPART)[0] == 't';
	t->populated = PQgetvalue(res, 0, TB_POPULATED)[0] == 't';
	t->can_select = PQgetvalue(res, 0, TB_CANSELECT)[0] == 't';
	t->pk_hidden = PQgetvalue(res, 0, TB_PKHIDDEN)[0] == 't';
	n = parse_int_array(PQgetisnull(res, 0, TB_PK) ? NULL : PQgetvalue(res, 0, TB_PK), &v);
	if (n > 0) {
		t->npk = n;
		t->pk_attnum = xcalloc((size_t)n, sizeof *t->pk_attnum);
		t->pk_name = xcalloc((size_t)n, sizeof *t->pk_name);
		t->pk_bare = xcalloc((size_t)n, sizeof *t->pk_bare);
		for (int i = 0; i < n; i++)
			t->pk_attnum[i] = (short)v[i];
	}
	free(v);
	if (!PQgetisnull(res, 0, TB_PKDEFAULT))
		t->pk_default = xstrdup(PQgetvalue(res, 0, TB_PKDEFAULT));
	if (!PQgetisnull(res, 0, TB_PARENT)) {
		char *p = xasprintf("%s.%s", PQgetvalue(res, 0, TB_PARENT_SCHEMA),
				    PQgetvalue(res, 0, TB_PARENT));
		t->parent = intern(sc->r->pool, p);
		free(p);
	}
	n = parse_int_array(PQgetisnull(res, 0, TB_ANCESTORS) ? NULL
			    : PQgetvalue(res, 0, TB_ANCESTORS), &v);
	if (n > 0) {
		t->nanc = n;
		t->anc = xcalloc((size_t)n, sizeof *t->anc);
		for (int i = 0; i < n; i++)
			t->anc[i] = (unsigned)v[i];
	}
	free(v);
	if (!sc->user)
		sc->user = intern(sc->r->pool, PQgetvalue(res, 0, TB_USER));
	sc->r->tables++;
	match_table(sc, t->schema, t->table);
	return !ctx_cancelled(sc->ctx);
}

static int cmp_rel(const void *pa, const void *pb)
{
	const struct rel *a = pa, *b = pb;

	return a->oid < b->oid ? -1 : a->oid > b->oid;
}

/* The relations by oid, for find_rel(). */
static bool sort_rels(struct scan *sc)
{
	if (sc->nrels > 1)
		qsort(sc->rels, sc->nrels, sizeof *sc->rels, cmp_rel);
	return true;
}

/* Classify one column of relation t whose type is ti. */
static void add_column(struct scan *sc, struct rel *t, const struct typeinfo *ti,
		       const char *name, const char *decl, int attnum, int typmod, bool notnull,
		       char identity, char generated)
{
	struct type_result *r = sc->r;
	struct tm_column col;
	struct tm_class cls;
	char pgtype[600];

	r->columns++;
	memset(&col, 0, sizeof col);
	col.type_schema = ti->schema;
	col.type_name = ti->name;
	col.typtype = ti->typtype;
	col.is_array = ti->is_array;
	col.is_domain = ti->depth > 0;
	col.domain_depth = ti->depth;
	/* a domain column's own typmod is -1: the domain's counts */
	col.typmod = ti->depth > 0 && typmod < 0 ? ti->typmod : typmod;
	col.not_null = notnull || ti->notnull;
	col.identity = identity;
	col.generated = generated;
	col.relkind = t->relkind;
	col.pk_hidden_from_ardo = t->pk_hidden;
	col.pk_columns = t->npk;
	for (int i = 0; i < t->npk; i++)
		if (t->pk_attnum[i] == attnum) {
			col.pk_position = i + 1;
			if (!t->pk_name[i]) {
				t->pk_name[i] = intern(r->pool, name);
				t->pk_bare[i] = !col.is_array && ti->depth <= 1 &&
					str_eq(ti->schema, "pg_catalog") && is_numeric_key_type(ti->name);
			}
		}
	if (col.pk_position == 1 && t->npk == 1)
		col.default_nextval = adbin_is_nextval(t->pk_default);
	typemap_classify(&col, &cls);

	if (col.is_domain && ti->base) {
		snprintf(pgtype, sizeof pgtype, "%s (domain over %s)", decl, ti->base);
		decl = pgtype;
	}
	sc->rel = t;
	sc->column = name;
	sc->attnum = attnum;
	sc->pg_type = decl;
	sc->cls = &cls;
	sc->formatted = false;
	sc->icolumn = sc->ipg_type = sc->iardo = sc->isup = NULL;
	sc->detail = typemap_info_schema_note(&col);

	if (sc->opts && sc->opts->on_column) {
		struct type_column_info ci = { t->schema, t->table, name, decl, &col, &cls,
					       attnum };
		sc->opts->on_column(sc->opts->ud, &ci);
	}
	typemap_findings(&col, &cls, emit_finding, sc);

	if (sc->want_probes) {
		struct tm_probe plan;

		typemap_probe_plan(&col, &cls, &plan);
		if (plan.kinds) {
			struct probe_col *pc;

			format_types(sc);
			if (t->ncols == t->capcols) {
				t->capcols = t->capcols ? t->capcols * 2 : 8;
				t->cols = xreallocarray(t->cols, t->capcols, sizeof *t->cols);
			}
			pc = &t->cols[t->ncols++];
			pc->name = intern(r->pool, name);
			pc->pg_type = intern(r->pool, decl);
			pc->ardo = intern(r->pool, sc->ardo);
			pc->supported = intern(r->pool, sc->sup);
			pc->type_name = ti->name;
			pc->attnum = attnum;
			pc->plan = plan;
		}
	}
}

static bool on_column(void *ud, const PGresult *res, int rownum)
{
	struct scan *sc = ud;
	struct rel *t;
	const struct typeinfo *ti;
	unsigned typid;
	const char *gen;

	if (PQnfields(res) < NCOLS)
		return false;
	t = find_rel(sc, parse_oid(PQgetvalue(res, 0, COL_RELID)));
	if (!t)   /* not possible in one snapshot; never a guess */
		return true;
	typid = parse_oid(PQgetvalue(res, 0, COL_TYPID));
	gen = PQgetvalue(res, 0, COL_GENERATED);
	ti = type_get(&sc->types, typid);
	if (!ti) {
		struct pending_col *p;

		sc->pend = xreallocarray(sc->pend, sc->npend + 1, sizeof *sc->pend);
		p = &sc->pend[sc->npend++];
		p->rel = t;
		p->name = xstrdup(PQgetvalue(res, 0, COL_NAME));
		p->decl = xstrdup(PQgetvalue(res, 0, COL_DECL));
		p->typid = typid;
		p->attnum = atoi(PQgetvalue(res, 0, COL_ATTNUM));
		p->typmod = atoi(PQgetvalue(res, 0, COL_TYPMOD));
		p->notnull = PQgetvalue(res, 0, COL_NOTNULL)[0] == 't';
		p->identity = PQgetvalue(res, 0, COL_IDENTITY)[0];
		p->generated = gen[0];
	} else {
		add_column(sc, t, ti, PQgetvalue(res, 0, COL_NAME), PQgetvalue(res, 0, COL_DECL),
			   atoi(PQgetvalue(res, 0, COL_ATTNUM)), atoi(PQgetvalue(res, 0, COL_TYPMOD)),
			   PQgetvalue(res, 0, COL_NOTNULL)[0] == 't',
			   PQgetvalue(res, 0, COL_IDENTITY)[0], gen[0]);
	}
	if ((rownum & 1023) == 0)
		ctx_progress(sc->ctx, "catalog", sc->r->columns, 0);
	return !ctx_cancelled(sc->ctx);
}

/* The columns whose type is a relation's row type: read those types, then
 * classify them (still in the catalog's snapshot). */
static bool add_pending(PGconn *conn, struct scan *sc, char *err, size_t errlen)
{
	struct strbuf sb = STRBUF_INIT;
	const char *params[1];
	bool ok;

	if (!sc->npend)
		return true;
	sb_addc(&sb, '{');
	for (size_t i = 0; i < sc->npend; i++)
		sb_addf(&sb, "%s%u", i ? "," : "", sc->pend[i].typid);
	sb_addc(&sb, '}');
	params[0] = sb_str(&sb);
	ok = pg_stream(conn, sc->ctx, typescan_types_sql, 1, params, on_type, sc, err, errlen);
	sb_free(&sb);
	for (size_t i = 0; i < sc->npend; i++) {
		struct pending_col *p = &sc->pend[i];
		const struct typeinfo *ti = ok ? type_get(&sc->types, p->typid) : NULL;

		if (ti)
			add_column(sc, p->rel, ti, p->name, p->decl, p->attnum, p->typmod, p->notnull,
				   p->identity, p->generated);
		free(p->name);
		free(p->decl);
	}
	free(sc->pend);
	sc->pend = NULL;
	sc->npend = 0;
	return ok;
}

static bool has_control(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return true;
	return false;
}

/* An identifier as it would be written in SQL: plain when it is a lower-case
 * word, else double-quoted with quotes doubled; with a control character
 * (which would break a sample list, one key per line), as U&"..." with
 * that character escaped. */
static void sb_add_ident(struct strbuf *sb, const char *id)
{
	bool plain = *id && (islower((unsigned char)*id) || *id == '_');
	bool ctl = has_control(id);

	for (const char *p = id; *p && plain; p++)
		plain = islower((unsigned char)*p) || isdigit((unsigned char)*p) || *p == '_';
	if (plain) {
		sb_add(sb, id);
		return;
	}
	sb_add(sb, ctl ? "U&\"" : "\"");
	for (const char *p = id; *p; p++) {
		if (*p == '"')
			sb_addc(sb, '"');
		if (ctl && *p == '\\')
			sb_addc(sb, '\\');
		if (ctl && ((unsigned char)*p < 0x20 || *p == 0x7f))
			sb_addf(sb, "\\%04x", (unsigned)(unsigned char)*p);
		else
			sb_addc(sb, *p);
	}
	sb_addc(sb, '"');
}

/* A key value: a number as it is, anything else as a SQL literal ('k''1';
 * E'a\nb' when it holds a control character, so that a sample stays on
 * one line). */
static void sb_add_value(struct strbuf *sb, const char *v, bool bare)
{
	bool ctl = has_control(v);

	if (bare && !ctl) {
		sb_add(sb, v);
		return;
	}
	sb_add(sb, ctl ? "E'" : "'");
	for (const char *p = v; *p; p++) {
		unsigned char c = (unsigned char)*p;

		if (c == '\'')
			sb_addc(sb, '\'');
		if (ctl && c == '\\')
			sb_addc(sb, '\\');
		if (ctl && c == '\n')
			sb_add(sb, "\\n");
		else if (ctl && c == '\t')
			sb_add(sb, "\\t");
		else if (ctl && c == '\r')
			sb_add(sb, "\\r");
		else if (ctl && (c < 0x20 || c == 0x7f))
			sb_addf(sb, "\\x%02x", c);
		else
			sb_addc(sb, *p);
	}
	sb_addc(sb, '\'');
}

/* The post-pass of the catalog: where each partition's rows are probed,
 * and the table findings (now that the keys' column names are known),
 * each with its detail. */
static void table_findings(struct scan *sc)
{
	struct strbuf part = STRBUF_INIT, hidden = STRBUF_INIT, key = STRBUF_INIT;
	const char *detail[TF_NCODES];

	/* An ancestor in scope reads a partition's rows; the topmost one, if
	 * that one is in scope too. */
	for (size_t i = 0; i < sc->nrels; i++)
		for (int k = 0; k < sc->rels[i].nanc; k++) {
			const struct rel *a = find_rel(sc, sc->rels[i].anc[k]);

			if (a)
				sc->rels[i].through = a;
		}
	for (size_t i = 0; i < sc->nrels; i++)
		for (int hops = 0; sc->rels[i].through && sc->rels[i].through->through && hops < 64; hops++)
			sc->rels[i].through = sc->rels[i].through->through;
	for (size_t i = 0; i < sc->nrels; i++) {
		struct rel *t = &sc->rels[i];
		struct tm_table tt = { t->relkind, t->is_partition, t->npk, t->pk_hidden };

		sb_reset(&key);
		sb_addc(&key, '(');
		for (int k = 0; k < t->npk; k++) {
			if (k)
				sb_add(&key, ", ");
			sb_add_ident(&key, t->pk_name[k] ? t->pk_name[k] : "?");
		}
		sb_addc(&key, ')');
		sb_reset(&part);
		sb_addf(&part, "partition of %s", t->parent ? t->parent : "?");
		if (sc->want_probes && t->through)
			sb_addf(&part, "; its rows are probed through %s.%s", t->through->schema,
				t->through->table);
		else if (sc->want_probes)
			sb_add(&part, "; its rows are probed here (no partitioned table above it is in scope)");
		sb_reset(&hidden);
		sb_addf(&hidden, "%s is invisible through information_schema to user %s (SELECT only)",
			sb_str(&key), sc->user ? sc->user : "?");
		memset(detail, 0, sizeof detail);
		detail[TF_MATVIEW] = t->populated ? NULL : "not populated";
		detail[TF_PARTITION] = sb_str(&part);
		detail[TF_COMPOSITE_KEY] = sb_str(&key);
		detail[TF_KEY_HIDDEN_FROM_ARDO] = sb_str(&hidden);
		sc->rel = t;
		sc->tdetail = detail;
		typemap_table_findings(&tt, emit_table_finding, sc);
		sc->tdetail = NULL;
	}
	sb_free(&part);
	sb_free(&hidden);
	sb_free(&key);
}

/* text[] literal for a parameter: every element double-quoted. */
/* ---- probes ---- */

static const unsigned probe_kinds[] = {
	TP_NAN, TP_INFINITY, TP_DECIMAL_RANGE, TP_DATETIME_RANGE, TP_TIME_RANGE, TP_TIME_FRACTION,
	TP_DECIMAL_SCALE, TP_INT_RANGE, TP_LONG_RANGE, TP_TEXT_LENGTH, TP_NULLS,
};

/* PostgreSQL's limit on a SELECT list; each probe target takes three
 * entries (count, lowest and highest key). */
#define PROBE_MAX_ENTRIES 1664
#define PROBE_MAX_TARGETS (PROBE_MAX_ENTRIES / 3)

struct target {
	const struct probe_col *pc;
	unsigned kind;
};

/* The type both sides of a comparison are cast to: the column's base type
 * (a domain's values compare as its base type's), float4 widened exactly to
 * float8, so that each operator is pg_catalog's own for exactly these
 * types.  Anything else is compared as numeric. */
static const char *range_type(const char *t)
{
	if (str_eq(t, "int8"))
		return "pg_catalog.int8";
	if (str_eq(t, "float4") || str_eq(t, "float8"))
		return "pg_catalog.float8";
	return "pg_catalog.numeric";
}

/* NaN equals NaN and sorts above every number, infinities lie beyond any
 * bound: a range or scale comparison excludes them explicitly (they have
 * findings of their own).  numeric has infinities from PostgreSQL 14. */
static void exclude_special(struct strbuf *sb, const char *q, const char *ty, int version)
{
	if (str_eq(ty, "pg_catalog.int8"))
		return;
	sb_addf(sb, " AND %s::%s OPERATOR(pg_catalog.<>) 'NaN'::%s", q, ty, ty);
	if (str_eq(ty, "pg_catalog.float8") || version >= 140000)
		sb_addf(sb, " AND %s::%s OPERATOR(pg_catalog.<>) 'Infinity'::%s"
			" AND %s::%s OPERATOR(pg_catalog.<>) '-Infinity'::%s", q, ty, ty, q, ty, ty);
}

/* A probe's condition on the quoted column q.  Operators on the operator's
 * data are where a database's own operators would be picked (an exact
 * match in any schema beats pg_catalog's operator that needs a cast):
 * OPERATOR(pg_catalog.x) between operands of one explicit type. */
static void add_condition(struct strbuf *sb, const char *q, const struct probe_col *pc,
			  unsigned kind, int version)
{
	const char *t = pc->type_name;
	const char *ty;

	switch (kind) {
	case TP_NAN:
		sb_addf(sb, "%s::pg_catalog.numeric OPERATOR(pg_catalog.=) 'NaN'::pg_catalog.numeric", q);
		break;
	case TP_INFINITY:
		sb_addf(sb, "%s::pg_catalog.numeric OPERATOR(pg_catalog.=) 'Infinity'::pg_catalog.numeric"
			" OR %s::pg_catalog.numeric OPERATOR(pg_catalog.=) '-Infinity'::pg_catalog.numeric",
			q, q);
		break;
	case TP_DECIMAL_RANGE:
		sb_addf(sb, "(%s::pg_catalog.numeric OPERATOR(pg_catalog.>) '" OS_DECIMAL_MAX
			"'::pg_catalog.numeric OR %s::pg_catalog.numeric OPERATOR(pg_catalog.<) '-"
			OS_DECIMAL_MAX "'::pg_catalog.numeric)", q, q);
		exclude_special(sb, q, "pg_catalog.numeric", version);
		break;
	case TP_DATETIME_RANGE:
		if (str_eq(t, "date"))
			sb_addf(sb, "%s::pg_catalog.date OPERATOR(pg_catalog.<) '" OS_DATE_MIN
				"'::pg_catalog.date OR %s::pg_catalog.date OPERATOR(pg_catalog.>) '"
				OS_DATE_MAX "'::pg_catalog.date", q, q);
		else if (str_eq(t, "timestamptz"))
			/* Npgsql 6+ hands timestamptz over as UTC */
			sb_addf(sb, "%s::pg_catalog.timestamptz OPERATOR(pg_catalog.<) '" OS_DATETIME_MIN
				"+00'::pg_catalog.timestamptz OR %s::pg_catalog.timestamptz "
				"OPERATOR(pg_catalog.>) '" OS_DATETIME_MAX "+00'::pg_catalog.timestamptz",
				q, q);
		else
			sb_addf(sb, "%s::pg_catalog.timestamp OPERATOR(pg_catalog.<) '" OS_DATETIME_MIN
				"'::pg_catalog.timestamp OR %s::pg_catalog.timestamp "
				"OPERATOR(pg_catalog.>) '" OS_DATETIME_MAX "'::pg_catalog.timestamp", q, q);
		break;
	case TP_TIME_RANGE:
		/* only 24:00:00 lies beyond 23:59:59 with whole seconds; a fraction
		 * is TP_TIME_FRACTION's */
		sb_addf(sb, "%s::pg_catalog.time OPERATOR(pg_catalog.=) '24:00:00'::pg_catalog.time", q);
		break;
	case TP_TIME_FRACTION:
		sb_addf(sb, "%s::pg_catalog.time OPERATOR(pg_catalog.<>) "
			"%s::pg_catalog.time(0) AND %s::pg_catalog.time OPERATOR(pg_catalog.<>) "
			"'24:00:00'::pg_catalog.time", q, q, q);
		break;
	case TP_DECIMAL_SCALE:
		/* digits beyond the 8th decimal place that are not zero (scale()
		 * would count trailing zeros; min_scale() needs PostgreSQL 13) */
		sb_addf(sb, "%s::pg_catalog.numeric OPERATOR(pg_catalog.<>) "
			"pg_catalog.round(%s::pg_catalog.numeric, %d)", q, q, OS_DECIMAL_MAX_SCALE);
		exclude_special(sb, q, "pg_catalog.numeric", version);
		break;
	case TP_INT_RANGE:
	case TP_LONG_RANGE: {
		const char *lo = kind == TP_INT_RANGE ? OS_INT_MIN : OS_LONG_MIN;
		const char *hi = kind == TP_INT_RANGE ? OS_INT_MAX : OS_LONG_MAX;

		ty = range_type(t);
		sb_addf(sb, "(%s::%s OPERATOR(pg_catalog.<) '%s'::%s OR %s::%s OPERATOR(pg_catalog.>) "
			"'%s'::%s", q, ty, lo, ty, q, ty, hi, ty);
		if (!str_eq(ty, "pg_catalog.int8"))
			sb_addf(sb, " OR %s::%s OPERATOR(pg_catalog.<>) pg_catalog.trunc(%s::%s)", q, ty,
				q, ty);
		sb_addc(sb, ')');
		exclude_special(sb, q, ty, version);
		break;
	}
	case TP_TEXT_LENGTH:
		/* char_length() of text, varchar, char; anything else (a numeric of
		 * negative scale, a citext...) as its text */
		if (str_eq(t, "text") || str_eq(t, "varchar") || str_eq(t, "bpchar"))
			sb_addf(sb, "pg_catalog.char_length(%s) OPERATOR(pg_catalog.>) %d", q,
				pc->plan.text_length);
		else
			sb_addf(sb, "pg_catalog.char_length(%s::pg_catalog.text) OPERATOR(pg_catalog.>) %d",
				q, pc->plan.text_length);
		break;
	case TP_NULLS:
	default:
		sb_addf(sb, "%s IS NULL", q);
		break;
	}
}

/* The expression whose lowest and highest value are the sample keys:
 * the key itself when it is one number, else text (several columns: a
 * text[] of their values), ctid without a key. */
static bool key_expr(PGconn *conn, const struct rel *t, struct strbuf *key)
{
	bool named = t->npk > 0;

	for (int i = 0; i < t->npk; i++)
		named = named && t->pk_name[i];
	if (named && t->npk == 1) {
		char *q = pg_quote_ident(conn, t->pk_name[0]);

		if (!q)
			return false;
		sb_addf(key, t->pk_bare[0] ? "%s" : "%s::pg_catalog.text", q);
		free(q);
	} else if (named) {
		sb_add(key, "ARRAY[");
		for (int i = 0; i < t->npk; i++) {
			char *q = pg_quote_ident(conn, t->pk_name[i]);

			if (!q)
				return false;
			sb_addf(key, "%s%s::pg_catalog.text", i ? ", " : "", q);
			free(q);
		}
		sb_addc(key, ']');
	} else if (t->relkind == 'p') {
		/* a ctid is unique within one partition only */
		sb_add(key, "tableoid::pg_catalog.regclass::pg_catalog.text OPERATOR(pg_catalog.||) "
		       "' ctid=' OPERATOR(pg_catalog.||) ctid::pg_catalog.text");
	} else {
		sb_add(key, "'ctid=' OPERATOR(pg_catalog.||) ctid::pg_catalog.text");
	}
	return true;
}

static char *build_probe_sql(PGconn *conn, const struct rel *t, const struct target *tg,
			     size_t n, int version)
{
	struct strbuf sb = STRBUF_INIT, key = STRBUF_INIT, cond = STRBUF_INIT;
	char *qs, *qt;

	if (!key_expr(conn, t, &key))
		goto fail;
	sb_add(&sb, "SELECT ");
	for (size_t i = 0; i < n; i++) {
		char *q = pg_quote_ident(conn, tg[i].pc->name);

		if (!q)
			goto fail;
		sb_reset(&cond);
		add_condition(&cond, q, tg[i].pc, tg[i].kind, version);
		sb_addf(&sb, "%spg_catalog.count(*) FILTER (WHERE %s),"
			" pg_catalog.min(%s) FILTER (WHERE %s)::pg_catalog.text,"
			" pg_catalog.max(%s) FILTER (WHERE %s)::pg_catalog.text",
			i ? ", " : "", sb_str(&cond), sb_str(&key), sb_str(&cond),
			sb_str(&key), sb_str(&cond));
		free(q);
	}
	qs = pg_quote_ident(conn, t->schema);
	qt = pg_quote_ident(conn, t->table);
	if (!qs || !qt) {
		free(qs);
		free(qt);
		goto fail;
	}
	sb_addf(&sb, " FROM %s.%s", qs, qt);
	free(qs);
	free(qt);
	sb_free(&key);
	sb_free(&cond);
	return sb_detach(&sb);
fail:
	sb_free(&sb);
	sb_free(&key);
	sb_free(&cond);
	return NULL;
}

/* The elements of a text[] as PostgreSQL prints it: {1,x,"a b","q\"x"}. */
static size_t parse_text_array(const char *s, char ***out)
{
	char **v = NULL;
	size_t n = 0;

	*out = NULL;
	if (!s || *s++ != '{')
		return 0;
	while (*s && *s != '}') {
		struct strbuf e = STRBUF_INIT;

		if (*s == '"') {
			for (s++; *s && *s != '"'; s++) {
				if (*s == '\\' && s[1])
					s++;
				sb_addc(&e, *s);
			}
			if (*s == '"')
				s++;
		} else {
			for (; *s && *s != ',' && *s != '}'; s++)
				sb_addc(&e, *s);
		}
		v = xreallocarray(v, n + 1, sizeof *v);
		v[n++] = sb_detach(&e);
		if (*s == ',')
			s++;
	}
	*out = v;
	return n;
}

/* One sample key as the operator reads it: id=2, "Key"='k''1',
 * (a, b)=(1, 'x'), ctid=(0,1). */
static void format_sample(struct strbuf *sb, const struct rel *t, const char *v)
{
	bool named = t->npk > 0;

	for (int i = 0; i < t->npk; i++)
		named = named && t->pk_name[i];
	if (!named) {
		sb_add(sb, v);
	} else if (t->npk == 1) {
		sb_add_ident(sb, t->pk_name[0]);
		sb_addc(sb, '=');
		sb_add_value(sb, v, t->pk_bare[0]);
	} else {
		char **el;
		size_t n = parse_text_array(v, &el);

		sb_addc(sb, '(');
		for (int i = 0; i < t->npk; i++) {
			if (i)
				sb_add(sb, ", ");
			sb_add_ident(sb, t->pk_name[i]);
		}
		sb_add(sb, ")=(");
		for (int i = 0; i < t->npk; i++) {
			if (i)
				sb_add(sb, ", ");
			sb_add_value(sb, (size_t)i < n ? el[i] : "?", t->pk_bare[i]);
		}
		sb_addc(sb, ')');
		for (size_t i = 0; i < n; i++)
			free(el[i]);
		free(el);
	}
}

static void record_probe(struct type_result *r, const struct rel *t, const struct target *tg,
			 size_t n, const PGresult *res)
{
	for (size_t i = 0; i < n; i++) {
		const struct probe_col *pc = tg[i].pc;
		int field = (int)i * 3;
		long long count = strtoll(PQgetvalue(res, 0, field), NULL, 10);
		struct strbuf samples = STRBUF_INIT;
		enum tf_code code;

		if (count <= 0)
			continue;
		if (!PQgetisnull(res, 0, field + 1))
			format_sample(&samples, t, PQgetvalue(res, 0, field + 1));
		if (!PQgetisnull(res, 0, field + 2) &&
		    strcmp(PQgetvalue(res, 0, field + 1), PQgetvalue(res, 0, field + 2)) != 0) {
			sb_addc(&samples, '\n');
			format_sample(&samples, t, PQgetvalue(res, 0, field + 2));
		}
		code = typemap_probe_code(tg[i].kind);
		type_result_add(r, code, typemap_probe_severity(code, &pc->plan), t->schema, t->table,
				pc->name, pc->attnum, pc->pg_type, pc->ardo, pc->supported, count,
				sb_str(&samples));
		sb_free(&samples);
	}
}

/* Why a probe failed, and what the operator can do about that cause. */
static void probe_failed(struct scan *sc, PGconn *conn, const struct rel *t, const char *qerr,
			 const char *state, int tmo)
{
	struct strbuf m = STRBUF_INIT, f = STRBUF_INIT;
	const char *cause;

	if (str_eq(state, "57014") || str_startswith(qerr, "the server did not answer in time")) {
		cause = "timeout";
		sb_addf(&m, "the probe ran longer than the probe timeout of %d s (%s)", tmo, qerr);
		sb_add(&f, "Raise --probe-timeout (it bounds each probe query), or probe this table "
		       "when the server is less busy, or run with --no-data.");
	} else if (str_eq(state, "42501")) {
		cause = "privilege";
		sb_addf(&m, "permission denied: %s", qerr);
		sb_addf(&f, "Grant SELECT on %s.%s (and USAGE on its schema) to the checking user %s, "
			"or leave the table out of the scope, or run with --no-data.", t->schema,
			t->table, sc->user ? sc->user : "");
	} else if (str_eq(state, "55P03")) {
		cause = "lock";
		sb_addf(&m, "another session holds a lock on the table: %s", qerr);
		sb_add(&f, "Run the verification again once the other session has released its lock "
		       "(pg_locks shows it).");
	} else if (str_eq(state, "55000") && t->relkind == 'm') {
		cause = "not populated";
		sb_addf(&m, "the materialized view is not populated: %s", qerr);
		sb_addf(&f, "REFRESH MATERIALIZED VIEW %s.%s (or leave it out of the scope), then run the "
			"verification again.", t->schema, t->table);
	} else if (PQstatus(conn) != CONNECTION_OK) {
		cause = "connection";
		sb_addf(&m, "the connection was lost: %s", qerr);
		sb_add(&f, "Check that the server is up, then run the verification again.");
	} else {
		cause = "server";
		sb_addf(&m, "the server refused the probe query: %s%s%s%s", qerr, *state ? " (SQLSTATE " : "",
			state, *state ? ")" : "");
		sb_add(&f, "Read the server's message (its log has the details), correct what it names "
		       "or leave the table out of the scope, then run the verification again; "
		       "nothing was written.");
	}
	type_result_add_error(sc->r, t->schema, t->table, cause, sb_str(&m), sb_str(&f));
	sb_free(&m);
	sb_free(&f);
}

static void not_probed(struct scan *sc, struct rel *t, const char *why)
{
	sc->rel = t;
	sc->detail = why;
	emit_table_finding(sc, TF_NOT_PROBED, TS_INFO);
	sc->r->not_probed++;
}

/* Probe one table: its targets in queries of at most PROBE_MAX_TARGETS.
 * false: cancelled or the connection is gone (err filled). */
static bool probe_table(PGconn *conn, struct scan *sc, struct rel *t, struct ctx *pctx, int tmo,
			char *err, size_t errlen)
{
	struct target *tg = NULL;
	size_t n = 0, cap = 0;
	bool ok = true, failed = false;

	for (size_t i = 0; i < t->ncols; i++)
		for (size_t k = 0; k < OSM_ARRAY_LEN(probe_kinds); k++) {
			if (!(t->cols[i].plan.kinds & probe_kinds[k]))
				continue;
			/* before PostgreSQL 14 a numeric holds no infinity */
			if (probe_kinds[k] == TP_INFINITY && sc->server_version < 140000)
				continue;
			if (n == cap) {
				cap = cap ? cap * 2 : 16;
				tg = xreallocarray(tg, cap, sizeof *tg);
			}
			tg[n++] = (struct target){ &t->cols[i], probe_kinds[k] };
		}
	for (size_t from = 0; from < n && !failed; from += PROBE_MAX_TARGETS) {
		size_t m = n - from < PROBE_MAX_TARGETS ? n - from : PROBE_MAX_TARGETS;
		char *sql = build_probe_sql(conn, t, tg + from, m, sc->server_version);
		char qerr[512], state[6];
		PGresult *res;

		if (!sql) {
			type_result_add_error(sc->r, t->schema, t->table, "server",
					      "could not quote an identifier",
					      "Check the table's name and encoding, then run it again.");
			failed = true;
			break;
		}
		res = pg_query_state(conn, pctx, sql, 0, NULL, qerr, sizeof qerr, state);
		free(sql);
		if (!res) {
			if (str_eq(qerr, "cancelled") || ctx_cancelled(sc->ctx)) {
				snprintf(err, errlen, "cancelled");
				ok = false;
			} else {
				probe_failed(sc, conn, t, qerr, state, tmo);
				if (PQstatus(conn) != CONNECTION_OK) {
					snprintf(err, errlen, "connection lost while probing %s.%s: %s",
						 t->schema, t->table, qerr);
					ok = false;
				}
			}
			failed = true;
			break;
		}
		record_probe(sc->r, t, tg + from, m, res);
		PQclear(res);
	}
	if (!failed && n)
		sc->r->probed_tables++;
	free(tg);
	return ok;
}

static bool run_probes(PGconn *conn, struct scan *sc, char *err, size_t errlen)
{
	struct ctx pctx = sc->ctx ? *sc->ctx : (struct ctx){ 0 };
	int tmo = sc->opts && sc->opts->probe_timeout_s > 0 ? sc->opts->probe_timeout_s : 600;
	char tbuf[32], qerr[512], what[600];
	const char *params[1];
	char *saved = NULL;
	PGresult *res;
	long total = 0, done = 0;
	bool ok = true;

	/* What is not read, and why: views and foreign tables (reading them
	 * runs someone else's query or reaches another server; their base
	 * tables are probed), unpopulated materialized views (no rows).  A
	 * partition whose partitioned table is in scope is read through it. */
	for (size_t i = 0; i < sc->nrels; i++) {
		struct rel *t = &sc->rels[i];

		if (t->relkind == 'v' && t->ncols)
			not_probed(sc, t, "a view: reading it runs its query; probe its base tables");
		else if (t->relkind == 'f' && t->ncols)
			not_probed(sc, t, "a foreign table: reading it reaches another server");
		else if (t->relkind == 'm' && !t->populated)
			not_probed(sc, t, "a materialized view that is not populated");
		else if (t->ncols && !t->through)
			total++;
	}
	if (!total)
		return true;
	/* Probes read whole tables: give them their own, longer bound. */
	res = pg_query(conn, sc->ctx, "SELECT pg_catalog.current_setting('statement_timeout')",
		       0, NULL, qerr, sizeof qerr);
	if (res) {
		saved = xstrdup(PQgetvalue(res, 0, 0));
		PQclear(res);
	}
	snprintf(tbuf, sizeof tbuf, "%ds", tmo);
	params[0] = tbuf;
	res = pg_query(conn, sc->ctx, "SELECT pg_catalog.set_config('statement_timeout', $1, false)",
		       1, params, qerr, sizeof qerr);
	if (!res) {
		snprintf(err, errlen, "could not set the probe statement timeout: %s", qerr);
		free(saved);
		return false;
	}
	PQclear(res);
	pctx.timeout_s = tmo;

	for (size_t i = 0; i < sc->nrels && ok; i++) {
		struct rel *t = &sc->rels[i];

		if (!t->ncols || t->through || t->relkind == 'v' || t->relkind == 'f' ||
		    (t->relkind == 'm' && !t->populated))
			continue;
		if (ctx_cancelled(sc->ctx)) {
			snprintf(err, errlen, "cancelled");
			ok = false;
			break;
		}
		snprintf(what, sizeof what, "probing %s.%s", t->schema, t->table);
		ctx_progress(sc->ctx, what, done, total);
		if (!t->can_select) {
			char *m = xasprintf("no SELECT privilege on %s.%s for user %s", t->schema,
					    t->table, sc->user ? sc->user : "");
			char *f = xasprintf("Grant SELECT on %s.%s (and USAGE on its schema) to the "
					    "checking user, or leave the table out of the scope, or "
					    "run with --no-data.", t->schema, t->table);

			type_result_add_error(sc->r, t->schema, t->table, "privilege", m, f);
			free(m);
			free(f);
		} else {
			ok = probe_table(conn, sc, t, &pctx, tmo, err, errlen);
		}
		done++;
		ctx_progress(sc->ctx, what, done, total);
	}
	if (saved && PQstatus(conn) == CONNECTION_OK && !ctx_cancelled(sc->ctx)) {
		params[0] = saved;
		res = pg_query(conn, sc->ctx, "SELECT pg_catalog.set_config('statement_timeout', $1, false)",
			       1, params, qerr, sizeof qerr);
		PQclear(res);
	}
	free(saved);
	return ok;
}

static void scan_free(struct scan *sc)
{
	for (size_t i = 0; i < sc->nrels; i++) {
		struct rel *t = &sc->rels[i];

		free(t->pk_attnum);
		free(t->pk_name);
		free(t->pk_bare);
		free(t->pk_default);
		free(t->anc);
		free(t->cols);
	}
	free(sc->rels);
	for (size_t i = 0; i < sc->npend; i++) {
		free(sc->pend[i].name);
		free(sc->pend[i].decl);
	}
	free(sc->pend);
	free(sc->types.slot);
	match_free(sc);
}

bool typescan_run(struct pg_conn *conn, const struct type_scope *scope,
		  const struct typescan_opts *opts, struct ctx *ctx,
		  struct type_result *r, char *err, size_t errlen)
{
	struct scan sc;
	char *p1, *p2, *p3, scratch[256];
	const char *params[5];
	bool ok;

	memset(&sc, 0, sizeof sc);
	sc.r = r;
	sc.opts = opts;
	sc.ctx = ctx;
	sc.want_probes = !(opts && opts->no_data);
	sc.server_version = PQserverVersion(conn);
	r->data_probed = sc.want_probes;
	iso8601_now(r->at);
	free(r->scope);
	r->scope = type_scope_describe(scope);
	match_init(&sc, scope);
	if (sc.server_version < 100000) {
		snprintf(err, errlen, "the type verification needs PostgreSQL 10 or later (the server "
			 "is version %d)", sc.server_version);
		match_free(&sc);
		return false;
	}

	p1 = pg_text_array((const char *const *)scope->schemas, scope->nschemas);
	p2 = pg_text_array((const char *const *)scope->tab_schema, scope->ntables);
	p3 = pg_text_array((const char *const *)scope->tab_name, scope->ntables);
	params[0] = p1;
	params[1] = p2;
	params[2] = p3;
	params[3] = (scope->nschemas || scope->ntables) ? "false" : "true";
	params[4] = sc.want_probes ? "true" : "false";
	ctx_progress(ctx, "catalog", 0, 0);
	/* One snapshot for the three queries: types, relations and columns agree. */
	ok = pg_read_begin(conn, ctx, true, err, errlen);
	if (ok) {
		const char *none[1] = { NULL };
		PGresult *res;

		/* The catalog queries are cheap per row: compiling them would
		 * cost more than running them (a server may JIT anything above
		 * jit_above_cost).  For this transaction only; PostgreSQL 11
		 * brought JIT.  (Single-row mode, not a cursor: the server
		 * sends rows while this side classifies them.) */
		if (sc.server_version >= 110000) {
			res = pg_query(conn, ctx, "SELECT pg_catalog.set_config('jit', 'off', true)", 0,
				       NULL, err, errlen);
			ok = res != NULL;
			PQclear(res);
		}
		ok = ok &&
		     pg_stream(conn, ctx, typescan_types_sql, 1, none, on_type, &sc, err, errlen) &&
		     pg_stream(conn, ctx, typescan_tables_sql, 5, params, on_table, &sc, err, errlen) &&
		     sort_rels(&sc) &&
		     pg_stream(conn, ctx, sc.server_version >= 120000 ? typescan_columns_sql
			       : columns_sql_pg11, 4, params, on_column, &sc, err, errlen) &&
		     add_pending(conn, &sc, err, errlen);
		if (!pg_read_end(conn, ok ? err : scratch, ok ? errlen : sizeof scratch))
			ok = false;
	}
	free(p1);
	free(p2);
	free(p3);
	if (!ok && ctx_cancelled(ctx))
		snprintf(err, errlen, "cancelled");
	else if (!ok)
		; /* err filled by pg_stream */
	else {
		match_report(&sc);
		table_findings(&sc);
	}
	if (ok && sc.want_probes)
		ok = run_probes(conn, &sc, err, errlen);
	scan_free(&sc);
	type_result_sort(r);
	return ok;
}

/* ---- output ---- */

char *type_finding_message(const struct type_finding *tf)
{
	struct strbuf sb = STRBUF_INIT;

	tf_format_message(&sb, (enum tf_code)tf->code, tf->pg_type, tf->ardo_type,
			  tf->supported_type, tf->count, tf->detail);
	return sb_detach(&sb);
}

/* ---- state file ---- */

char *type_place(const char *schema, const char *table, const char *column)
{
	if (str_empty(column))
		return xasprintf("%s.%s", schema ? schema : "", table ? table : "");
	return xasprintf("%s.%s.%s", schema ? schema : "", table ? table : "", column);
}

/* Does the stored "unmatched" line (type_result_scope_problem) name table
 * s.t?  It lists "table S.T" entries separated by ", ". */
static bool unmatched_names(const char *line, const char *s, const char *t)
{
	char *want = xasprintf("table %s.%s", s, t);
	size_t n = strlen(want);
	bool hit = false;

	for (const char *p = line; p && (p = strstr(p, want)); p += n)
		if ((p == line || p[-1] == ' ') && (p[n] == '\0' || p[n] == ','))
			hit = true;
	free(want);
	return hit;
}

struct type_index_entry {
	const char *schema, *table, *name; /* name: the [finding] section */
	size_t order;                      /* as stored */
};
struct type_index {
	struct type_index_entry *e;
	size_t n;
};

static int index_cmp(const void *pa, const void *pb)
{
	const struct type_index_entry *a = pa, *b = pb;
	int r = strcmp(a->schema, b->schema);

	if (!r)
		r = strcmp(a->table, b->table);
	if (!r)
		r = a->order < b->order ? -1 : a->order > b->order;
	return r;
}

struct type_index *type_index_build(const struct doc *d)
{
	struct type_index *ix = xcalloc(1, sizeof *ix);
	size_t n;
	const char **secs = doc_section_names(d, "finding", &n);

	ix->e = xcalloc(n + 1, sizeof *ix->e);
	for (size_t i = 0; i < n; i++) {
		const char *fs = doc_get(d, "finding", secs[i], "schema");
		const char *ft = doc_get(d, "finding", secs[i], "table");

		if (fs && ft)
			ix->e[ix->n++] = (struct type_index_entry){ fs, ft, secs[i], i };
	}
	free(secs);
	qsort(ix->e, ix->n, sizeof *ix->e, index_cmp);
	return ix;
}

void type_index_free(struct type_index *ix)
{
	if (!ix)
		return;
	free(ix->e);
	free(ix);
}

/* The first entry of table s.t, or ix->n. */
static size_t index_first(const struct type_index *ix, const char *s, const char *t)
{
	size_t lo = 0, hi = ix->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int r = strcmp(ix->e[mid].schema, s);

		if (!r)
			r = strcmp(ix->e[mid].table, t);
		if (r < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

char *type_extension_findings(const struct doc *d, const struct type_index *ixin,
			      const char *ext, size_t max_names, enum check_verdict *verdict)
{
	struct type_index *own = NULL;
	const struct type_index *ix;
	struct type_scope sc;
	struct strbuf names = STRBUF_INIT;
	char msg[512];
	long counts[TS_NSEV] = { 0 };
	size_t named = 0;
	const char *unmatched;
	enum check_freshness fresh;
	char *out, *bad = NULL;

	*verdict = VERDICT_NONE;
	if (!doc_has_section(d, "types", NULL))
		return xstrdup("type verification: not run yet");
	type_scope_init(&sc);
	if (!type_scope_from_doc(&sc, d, ext, msg, sizeof msg) || !sc.ntables) {
		*verdict = VERDICT_ERROR;
		out = sc.ntables ? xasprintf("type verification: could not check: %s", msg)
				 : xstrdup("type verification: could not check: the extension lists "
					   "no tables (settings: its tables)");
		type_scope_free(&sc);
		return out;
	}
	unmatched = doc_get(d, "types", NULL, "unmatched");
	for (size_t i = 0; unmatched && i < sc.ntables && !bad; i++)
		if (unmatched_names(unmatched, sc.tab_schema[i], sc.tab_name[i]) ||
		    str_startswith(unmatched, "nothing in scope matched"))
			bad = type_place(sc.tab_schema[i], sc.tab_name[i], NULL);
	if (bad) {
		*verdict = VERDICT_ERROR;
		out = xasprintf("type verification: could not check: the scan matched nothing "
				"for its table %s (names are case-sensitive)", bad);
		free(bad);
		type_scope_free(&sc);
		return out;
	}
	ix = ixin ? ixin : (own = type_index_build(d));
	/* The extension's tables in its order (type_scope_add_table keeps
	 * each once), each table's findings as stored. */
	for (size_t k = 0; k < sc.ntables; k++) {
		for (size_t i = index_first(ix, sc.tab_schema[k], sc.tab_name[k]);
		     i < ix->n && str_eq(ix->e[i].schema, sc.tab_schema[k]) &&
		     str_eq(ix->e[i].table, sc.tab_name[k]); i++) {
			const char *sec = ix->e[i].name;
			enum tf_severity sev;

			if (!tf_severity_parse(doc_get(d, "finding", sec, "severity"), &sev))
				continue;
			counts[sev]++;
			if (sev == TS_BLOCKER && (!max_names || named < max_names)) {
				char *place = type_place(sc.tab_schema[k], sc.tab_name[k],
							 doc_get(d, "finding", sec, "column"));

				sb_addf(&names, "%s%s (%s)", named ? ", " : "", place,
					doc_get_or(d, "finding", sec, "code", "?"));
				free(place);
				named++;
			}
		}
	}
	type_index_free(own);
	fresh = check_digest_freshness(d, "type_verification",
				       doc_get(d, "types", NULL, "settings_digest"));
	*verdict = fresh != CHECK_CURRENT ? VERDICT_STALE
		 : counts[TS_BLOCKER] ? VERDICT_FAILED
		 : counts[TS_WARNING] ? VERDICT_WARNING : VERDICT_OK;
	out = xasprintf("type verification%s%s%s: %ld %s, %ld %s, %ld %s in its %zu %s%s%s",
			fresh != CHECK_CURRENT ? ", stale (" : "",
			fresh != CHECK_CURRENT ? check_freshness_text(fresh) : "",
			fresh != CHECK_CURRENT ? "), found then" : "",
			counts[TS_BLOCKER], plural(counts[TS_BLOCKER], "blocker", "blockers"),
			counts[TS_WARNING], plural(counts[TS_WARNING], "warning", "warnings"),
			counts[TS_INFO], plural(counts[TS_INFO], "info", "infos"),
			sc.ntables, plural(sc.ntables, "table", "tables"),
			names.len ? "; blockers: " : "", sb_str(&names));
	if ((size_t)counts[TS_BLOCKER] > named && named) {
		char *more = xasprintf("%s and %zu more", out, (size_t)counts[TS_BLOCKER] - named);

		free(out);
		out = more;
	}
	sb_free(&names);
	type_scope_free(&sc);
	return out;
}

void type_result_store(const struct type_result *r, struct doc *d)
{
	size_t n;
	const char **old = doc_section_names(d, "finding", &n);
	char num[32], cnt[32];

	for (size_t i = 0; i < n; i++)
		doc_remove_section(d, "finding", old[i]);
	free(old);
	doc_remove_section(d, "types", NULL);
	doc_add_section(d, "types", NULL);
	doc_set(d, "types", NULL, "at", r->at);
	doc_set(d, "types", NULL, "scope", r->scope ? r->scope : "");
	snprintf(cnt, sizeof cnt, "%ld", r->counts[TS_BLOCKER]);
	doc_set(d, "types", NULL, "blockers", cnt);
	snprintf(cnt, sizeof cnt, "%ld", r->counts[TS_WARNING]);
	doc_set(d, "types", NULL, "warnings", cnt);
	snprintf(cnt, sizeof cnt, "%ld", r->counts[TS_INFO]);
	doc_set(d, "types", NULL, "infos", cnt);
	snprintf(cnt, sizeof cnt, "%ld", r->columns);
	doc_set(d, "types", NULL, "columns", cnt);
	{
		char *problem = type_result_scope_problem(r);

		if (problem)
			doc_set(d, "types", NULL, "unmatched", problem);
		free(problem);
	}
	for (size_t i = 0; i < r->n; i++) {
		const struct type_finding *tf = &r->f[i];
		char *msg = type_finding_message(tf);

		snprintf(num, sizeof num, "%zu", i + 1);
		doc_add_section(d, "finding", num);
		doc_set(d, "finding", num, "code", tf_code_name((enum tf_code)tf->code));
		doc_set(d, "finding", num, "severity", tf_severity_name((enum tf_severity)tf->severity));
		doc_set(d, "finding", num, "schema", tf->schema);
		doc_set(d, "finding", num, "table", tf->table);
		doc_set(d, "finding", num, "column", tf->column);
		doc_set(d, "finding", num, "pg_type", tf->pg_type);
		doc_set(d, "finding", num, "ardo_type", tf->ardo_type);
		doc_set(d, "finding", num, "supported_type", tf->supported_type);
		if (tf->count >= 0) {
			snprintf(cnt, sizeof cnt, "%lld", tf->count);
			doc_set(d, "finding", num, "count", cnt);
		}
		if (tf->samples)
			doc_set(d, "finding", num, "samples", tf->samples);
		if (tf->detail)
			doc_set(d, "finding", num, "detail", tf->detail);
		doc_set(d, "finding", num, "message", msg);
		doc_set(d, "finding", num, "fix", tf_fix((enum tf_code)tf->code));
		free(msg);
	}
}

static long get_long(const struct doc *d, const char *kind, const char *name, const char *key,
		     bool *ok)
{
	const char *v = doc_get(d, kind, name, key);
	char *end;
	long n;

	if (!v) {
		*ok = false;
		return 0;
	}
	errno = 0;
	n = strtol(v, &end, 10);
	if (errno || *end || end == v || n < 0)
		*ok = false;
	return n;
}

bool type_result_load(struct type_result *r, const struct doc *d, char *err, size_t errlen)
{
	size_t n;
	const char **names;
	bool ok = true;
	long want[TS_NSEV];

	if (!doc_has_section(d, "types", NULL)) {
		snprintf(err, errlen, "no type verification recorded yet: run it (osmigrate types, or r on the types screen)");
		return false;
	}
	snprintf(r->at, sizeof r->at, "%s", doc_get(d, "types", NULL, "at") ? doc_get(d, "types", NULL, "at") : "");
	free(r->scope);
	r->scope = xstrdup(doc_get(d, "types", NULL, "scope") ? doc_get(d, "types", NULL, "scope") : "");
	want[TS_BLOCKER] = get_long(d, "types", NULL, "blockers", &ok);
	want[TS_WARNING] = get_long(d, "types", NULL, "warnings", &ok);
	want[TS_INFO] = get_long(d, "types", NULL, "infos", &ok);
	r->columns = get_long(d, "types", NULL, "columns", &ok);
	if (!ok) {
		snprintf(err, errlen, "[types] lacks a valid blockers/warnings/infos/columns count: "
			 "run the type verification again");
		return false;
	}
	names = doc_section_names(d, "finding", &n);
	for (size_t i = 0; i < n && ok; i++) {
		const char *nm = names[i];
		enum tf_code code;
		enum tf_severity sev;
		const char *cnt = doc_get(d, "finding", nm, "count");
		long long count = -1;

		if (!tf_code_parse(doc_get(d, "finding", nm, "code"), &code) ||
		    !tf_severity_parse(doc_get(d, "finding", nm, "severity"), &sev)) {
			snprintf(err, errlen, "[finding \"%s\"] has an unknown code or severity: "
				 "run the type verification again", nm);
			ok = false;
			break;
		}
		if (cnt) {
			char *end;
			count = strtoll(cnt, &end, 10);
			if (*end || end == cnt || count < 0) {
				snprintf(err, errlen, "[finding \"%s\"] count '%s' is not a number: "
					 "run the type verification again", nm, cnt);
				ok = false;
				break;
			}
		}
		type_finding_set_detail(r, type_result_add(r, code, sev, doc_get(d, "finding", nm, "schema"),
				doc_get(d, "finding", nm, "table"), doc_get(d, "finding", nm, "column"),
				(int)i, doc_get(d, "finding", nm, "pg_type"),
				doc_get(d, "finding", nm, "ardo_type"),
				doc_get(d, "finding", nm, "supported_type"), count,
				doc_get(d, "finding", nm, "samples")),
				doc_get(d, "finding", nm, "detail"));
	}
	free(names);
	if (ok && (want[TS_BLOCKER] != r->counts[TS_BLOCKER] ||
		   want[TS_WARNING] != r->counts[TS_WARNING] || want[TS_INFO] != r->counts[TS_INFO])) {
		snprintf(err, errlen, "[types] counts do not match the [finding] sections: "
			 "run the type verification again");
		ok = false;
	}
	return ok;
}

bool typescan_prepare(const struct typescan_setup *in, struct type_scope *scope,
		      struct pg_spec *spec, bool *bad_scope, char *err, size_t errlen,
		      char *fix, size_t fixlen)
{
	char msg[512];
	bool ok;

	*bad_scope = true;
	if (!scope->nschemas && !scope->ntables && in->settings &&
	    !type_scope_from_doc(scope, in->settings, in->extension, msg, sizeof msg)) {
		snprintf(err, errlen, "%s", msg);
		snprintf(fix, fixlen, "Correct the extension's tables (schema.table, quote names "
			 "with spaces or dots), then run the verification again.");
		return false;
	}
	if (in->extension && !scope->ntables) {
		snprintf(err, errlen, "extension %s lists no tables", in->extension);
		snprintf(fix, fixlen, "Enter the extension's tables (schema.table) in its settings, "
			 "then run the verification again.");
		return false;
	}
	*bad_scope = false;
	/* Never with a password: pg_login adds the one kept in memory. */
	if (in->conninfo)
		ok = pg_spec_from_conninfo(spec, in->conninfo, NULL, msg, sizeof msg);
	else if (in->pg_env && !(in->settings && doc_has_section(in->settings, "target", NULL)))
		/* nothing given: libpq's PG* variables and defaults decide */
		ok = pg_spec_from_conninfo(spec, "client_encoding=UTF8", NULL, msg, sizeof msg);
	else
		ok = pg_spec_from_doc(spec, in->settings, "target", NULL, msg, sizeof msg);
	if (!ok) {
		snprintf(err, errlen, "%s", msg);
		snprintf(fix, fixlen, "Fill in the target database connection (step connection), "
			 "then run the verification again.");
	}
	return ok;
}

bool typescan_run_settings(const struct doc *settings, const char *extension,
			   const struct typescan_opts *opts, struct ctx *ctx,
			   struct type_result *r, char *err, size_t errlen,
			   char *fix, size_t fixlen, enum secret_kind *needs)
{
	const struct typescan_setup in = { .settings = settings, .extension = extension };
	struct type_scope scope;
	struct pg_spec spec;
	struct pg_failure fail;
	bool ok, bad_scope;
	PGconn *conn;

	if (needs)
		*needs = SECRET_NONE;
	type_scope_init(&scope);
	if (!typescan_prepare(&in, &scope, &spec, &bad_scope, err, errlen, fix, fixlen)) {
		type_scope_free(&scope);
		return false;
	}
	conn = pg_login(&spec, SECRET_TARGET_PASSWORD, ctx, &fail);
	if (!conn) {
		snprintf(err, errlen, "%s", fail.message);
		snprintf(fix, fixlen, "%s", fail.fix);
		if (needs)
			*needs = fail.needs;
		pg_spec_free(&spec);
		type_scope_free(&scope);
		return false;
	}
	ok = typescan_run(conn, &scope, opts, ctx, r, err, errlen);
	PQfinish(conn);
	if (!ok)
		snprintf(fix, fixlen, "%s", str_eq(err, "cancelled")
			 ? "The verification was cancelled: run it again."
			 : "Check that the target user can read pg_catalog and that the server "
			   "answers, then run the verification again.");
	pg_spec_free(&spec);
	type_scope_free(&scope);
	return ok;
}
