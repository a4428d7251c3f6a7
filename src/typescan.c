/* typescan.c - type verification of a live database (see typescan.h).
 *
 * One streamed catalog query (single-row mode) classifies every column as it
 * arrives; only findings and, when data is probed, a compact per-table list
 * of the columns to probe are kept.  Probes then run one aggregate query per
 * table, identifiers quoted by libpq, under their own statement_timeout. */
#include "config.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libpq-fe.h>

#include "exitcodes.h"
#include "json.h"
#include "login.h"
#include "output.h"
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
	for (size_t i = 0; i < r->nerrors; i++)
		free(r->errors[i].message);
	free(r->errors);
	free(r->unmatched);
	free(r->scope);
	pool_free(r->pool);
	memset(r, 0, sizeof *r);
}

struct type_finding *type_result_add(struct type_result *r, enum tf_code code,
				     enum tf_severity sev, const char *schema,
				     const char *table, const char *column, int attnum,
				     const char *pg_type, const char *ardo_type,
				     const char *supported_type, long long count,
				     const char *samples)
{
	struct type_finding *f;

	if (r->n == r->cap) {
		r->cap = r->cap ? r->cap * 2 : 64;
		r->f = xreallocarray(r->f, r->cap, sizeof *r->f);
	}
	f = &r->f[r->n++];
	f->code = (unsigned char)code;
	f->severity = (unsigned char)sev;
	f->attnum = attnum;
	f->schema = intern(r->pool, schema ? schema : "");
	f->table = intern(r->pool, table ? table : "");
	f->column = intern(r->pool, column ? column : "");
	f->pg_type = intern(r->pool, pg_type ? pg_type : "");
	f->ardo_type = intern(r->pool, ardo_type ? ardo_type : "");
	f->supported_type = intern(r->pool, supported_type ? supported_type : "");
	f->count = count;
	f->samples = samples && *samples ? intern(r->pool, samples) : NULL;
	if ((unsigned)sev < TS_NSEV)
		r->counts[sev]++;
	return f;
}

static void add_error(struct type_result *r, const char *schema, const char *table, const char *msg)
{
	r->errors = xreallocarray(r->errors, r->nerrors + 1, sizeof *r->errors);
	r->errors[r->nerrors].schema = intern(r->pool, schema);
	r->errors[r->nerrors].table = intern(r->pool, table);
	r->errors[r->nerrors].message = xstrdup(msg);
	r->nerrors++;
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

/* Domains resolved to their ultimate base type (domains over domains), the
 * declared typmod winning over the domain's.  Rows ordered by table oid so
 * that each table's columns arrive together; identical to what bench/
 * runs through psql.  Every function, operator and type is
 * pg_catalog-qualified (pg.h): ORDER BY and DISTINCT ON use the types'
 * default operator classes, which only a superuser can create. */
const char typescan_catalog_sql[] =
	"WITH RECURSIVE dom(oid, base, typmod, nn, depth) AS ("
	" SELECT t.oid, t.typbasetype, t.typtypmod, t.typnotnull, 1 FROM pg_catalog.pg_type t"
	"  WHERE t.typtype OPERATOR(pg_catalog.=) 'd'"
	" UNION ALL"
	" SELECT d.oid, t.typbasetype,"
	"  CASE WHEN d.typmod OPERATOR(pg_catalog.>=) 0 THEN d.typmod ELSE t.typtypmod END,"
	"  d.nn OR t.typnotnull, d.depth OPERATOR(pg_catalog.+) 1"
	" FROM dom d JOIN pg_catalog.pg_type t ON t.oid OPERATOR(pg_catalog.=) d.base"
	"  AND t.typtype OPERATOR(pg_catalog.=) 'd'),"
	" dombase AS (SELECT DISTINCT ON (oid) oid, base, typmod, nn FROM dom"
	"  ORDER BY oid, depth DESC)"
	" SELECT c.oid, n.nspname, c.relname, c.relkind, a.attname, a.attnum,"
	"  pg_catalog.format_type(a.atttypid, a.atttypmod),"
	"  CASE WHEN db.oid IS NOT NULL THEN pg_catalog.format_type(db.base,"
	"   CASE WHEN a.atttypmod OPERATOR(pg_catalog.>=) 0 THEN a.atttypmod ELSE db.typmod END) END,"
	"  bt.typname, bn.nspname, bt.typtype, bt.typcategory OPERATOR(pg_catalog.=) 'A',"
	"  CASE WHEN db.oid IS NOT NULL AND a.atttypmod OPERATOR(pg_catalog.<) 0 THEN db.typmod"
	"   ELSE a.atttypmod END,"
	"  a.attnotnull OR COALESCE(db.nn, false), a.attidentity,"
	"  pg_catalog.pg_get_expr(ad.adbin, ad.adrelid),"
	"  COALESCE(pg_catalog.array_position(pk.conkey, a.attnum), 0),"
	"  COALESCE(pg_catalog.cardinality(pk.conkey), 0),"
	"  pg_catalog.has_table_privilege(c.oid, 'SELECT')"
	" FROM pg_catalog.pg_class c"
	" JOIN pg_catalog.pg_namespace n ON n.oid OPERATOR(pg_catalog.=) c.relnamespace"
	" JOIN pg_catalog.pg_attribute a ON a.attrelid OPERATOR(pg_catalog.=) c.oid"
	"  AND a.attnum OPERATOR(pg_catalog.>) 0 AND NOT a.attisdropped"
	" LEFT JOIN dombase db ON db.oid OPERATOR(pg_catalog.=) a.atttypid"
	" JOIN pg_catalog.pg_type bt ON bt.oid OPERATOR(pg_catalog.=) COALESCE(db.base, a.atttypid)"
	" JOIN pg_catalog.pg_namespace bn ON bn.oid OPERATOR(pg_catalog.=) bt.typnamespace"
	" LEFT JOIN pg_catalog.pg_attrdef ad ON ad.adrelid OPERATOR(pg_catalog.=) a.attrelid"
	"  AND ad.adnum OPERATOR(pg_catalog.=) a.attnum"
	" LEFT JOIN pg_catalog.pg_constraint pk ON pk.conrelid OPERATOR(pg_catalog.=) c.oid"
	"  AND pk.contype OPERATOR(pg_catalog.=) 'p'"
	" WHERE c.relkind OPERATOR(pg_catalog.=) ANY ('{r,p,v,m,f}'::pg_catalog.\"char\"[])"
	"  AND NOT c.relispartition"
	"  AND (n.nspname OPERATOR(pg_catalog.=) ANY ($1::pg_catalog.name[])"
	"   OR (n.nspname, c.relname) OPERATOR(pg_catalog.=) ANY (SELECT sel.s, sel.r"
	"    FROM ROWS FROM (pg_catalog.unnest($2::pg_catalog.name[]),"
	"     pg_catalog.unnest($3::pg_catalog.name[])) AS sel(s, r))"
	"   OR ($4::pg_catalog.bool"
	"    AND n.nspname OPERATOR(pg_catalog.<>) ALL ('{pg_catalog,information_schema}'::pg_catalog.name[])"
	"    AND n.nspname OPERATOR(pg_catalog.!~~) 'pg\\_%'))"
	" ORDER BY c.oid, a.attnum";

enum {
	COL_OID, COL_SCHEMA, COL_TABLE, COL_RELKIND, COL_NAME, COL_ATTNUM, COL_DECL, COL_BASE,
	COL_TYPNAME, COL_TYPSCHEMA, COL_TYPTYPE, COL_ISARRAY, COL_TYPMOD, COL_NOTNULL,
	COL_IDENTITY, COL_DEFAULT, COL_PKPOS, COL_PKN, COL_CANSELECT, NCOLS
};

struct probe_col {
	const char *name;        /* interned */
	const char *pg_type;     /* display, interned */
	const char *ardo, *supported;
	const char *type_name;   /* base typname, interned (conditions depend on it) */
	int attnum;
	struct tm_probe plan;
};

struct probe_table {
	const char *schema, *table;
	char relkind;
	bool can_select;
	const char **pk;         /* pk column names in key order (interned), npk entries */
	bool pk_numeric;         /* single integer/numeric key: min()/max() numerically */
	int npk;
	struct probe_col *cols;
	size_t ncols;
};

struct scope_ent;

struct scan {
	struct type_result *r;
	const struct typescan_opts *opts;
	struct ctx *ctx;
	bool want_probes;
	/* which scope entries some table matched: entries sorted by name
	 * (indexes into the scope), searched per table */
	const struct type_scope *scope;
	struct scope_ent *sch, *tab;
	bool *sch_hit, *tab_hit;
	char last_oid[16];
	struct probe_table *tabs;
	size_t ntabs, captabs;
	size_t capcols;          /* of the last table's cols */
	/* per row, for the findings callback */
	const char *schema, *table, *column, *pg_type;
	char ardo[48], sup[48];
	int attnum;
};

static void emit_finding(void *ud, enum tf_code code, enum tf_severity sev)
{
	struct scan *sc = ud;

	type_result_add(sc->r, code, sev, sc->schema, sc->table, sc->column, sc->attnum,
			sc->pg_type, sc->ardo, sc->sup, -1, NULL);
}

static bool is_numeric_key_type(const char *typname)
{
	return str_eq(typname, "int2") || str_eq(typname, "int4") || str_eq(typname, "int8") ||
	       str_eq(typname, "numeric");
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

static bool on_row(void *ud, const PGresult *res, int rownum)
{
	struct scan *sc = ud;
	struct type_result *r = sc->r;
	struct tm_column col;
	struct tm_class cls;
	struct probe_table *pt = NULL;
	const char *oid = PQgetvalue(res, 0, COL_OID);
	const char *decl = PQgetvalue(res, 0, COL_DECL);
	char pgtype[512];
	bool new_table;

	if (PQnfields(res) < NCOLS)
		return false;
	new_table = strcmp(oid, sc->last_oid) != 0;
	if (new_table) {
		snprintf(sc->last_oid, sizeof sc->last_oid, "%s", oid);
		r->tables++;
		sc->schema = intern(r->pool, PQgetvalue(res, 0, COL_SCHEMA));
		sc->table = intern(r->pool, PQgetvalue(res, 0, COL_TABLE));
		match_table(sc, sc->schema, sc->table);
		if (sc->want_probes) {
			if (sc->ntabs == sc->captabs) {
				sc->captabs = sc->captabs ? sc->captabs * 2 : 64;
				sc->tabs = xreallocarray(sc->tabs, sc->captabs, sizeof *sc->tabs);
			}
			pt = &sc->tabs[sc->ntabs++];
			memset(pt, 0, sizeof *pt);
			pt->schema = sc->schema;
			pt->table = sc->table;
			pt->relkind = PQgetvalue(res, 0, COL_RELKIND)[0];
			pt->can_select = PQgetvalue(res, 0, COL_CANSELECT)[0] == 't';
			sc->capcols = 0;
		}
	} else if (sc->want_probes) {
		pt = &sc->tabs[sc->ntabs - 1];
	}
	r->columns++;

	memset(&col, 0, sizeof col);
	col.type_schema = PQgetvalue(res, 0, COL_TYPSCHEMA);
	col.type_name = PQgetvalue(res, 0, COL_TYPNAME);
	col.typtype = PQgetvalue(res, 0, COL_TYPTYPE)[0];
	col.is_array = PQgetvalue(res, 0, COL_ISARRAY)[0] == 't';
	col.is_domain = !PQgetisnull(res, 0, COL_BASE);
	col.typmod = atoi(PQgetvalue(res, 0, COL_TYPMOD));
	col.not_null = PQgetvalue(res, 0, COL_NOTNULL)[0] == 't';
	col.identity = PQgetvalue(res, 0, COL_IDENTITY)[0];
	col.default_expr = PQgetisnull(res, 0, COL_DEFAULT) ? NULL : PQgetvalue(res, 0, COL_DEFAULT);
	col.pk_position = atoi(PQgetvalue(res, 0, COL_PKPOS));
	col.pk_columns = atoi(PQgetvalue(res, 0, COL_PKN));
	typemap_classify(&col, &cls);

	if (col.is_domain)
		snprintf(pgtype, sizeof pgtype, "%s (domain over %s)", decl,
			 PQgetvalue(res, 0, COL_BASE));
	else
		snprintf(pgtype, sizeof pgtype, "%s", decl);
	sc->column = PQgetvalue(res, 0, COL_NAME);
	sc->attnum = atoi(PQgetvalue(res, 0, COL_ATTNUM));
	sc->pg_type = pgtype;
	tm_mapping_format(&cls.ardo, sc->ardo, sizeof sc->ardo);
	tm_mapping_format(&cls.supported, sc->sup, sizeof sc->sup);

	if (sc->opts && sc->opts->on_column) {
		struct type_column_info ci = { sc->schema, sc->table, sc->column, pgtype, &col, &cls };
		sc->opts->on_column(sc->opts->ud, &ci);
	}
	typemap_findings(&col, &cls, emit_finding, sc);

	if (pt) {
		struct tm_probe plan;

		if (col.pk_position > 0 && col.pk_columns > 0) {
			if (!pt->pk) {
				pt->npk = col.pk_columns;
				pt->pk = xcalloc((size_t)pt->npk, sizeof *pt->pk);
			}
			if (col.pk_position <= pt->npk)
				pt->pk[col.pk_position - 1] = intern(r->pool, sc->column);
			if (pt->npk == 1)
				pt->pk_numeric = !col.is_array && is_numeric_key_type(col.type_name);
		}
		typemap_probe_plan(&col, &cls, &plan);
		if (plan.kinds) {
			struct probe_col *pc;

			if (pt->ncols == sc->capcols) {
				sc->capcols = sc->capcols ? sc->capcols * 2 : 8;
				pt->cols = xreallocarray(pt->cols, sc->capcols, sizeof *pt->cols);
			}
			pc = &pt->cols[pt->ncols++];
			pc->name = intern(r->pool, sc->column);
			pc->pg_type = intern(r->pool, pgtype);
			pc->ardo = intern(r->pool, sc->ardo);
			pc->supported = intern(r->pool, sc->sup);
			pc->type_name = intern(r->pool, col.type_name);
			pc->attnum = sc->attnum;
			pc->plan = plan;
		}
	}
	if ((rownum & 1023) == 0)
		ctx_progress(sc->ctx, "catalog", r->columns, 0);
	return !ctx_cancelled(sc->ctx);
}

/* text[] literal for a parameter: every element double-quoted. */
static char *array_literal(char *const *v, size_t n)
{
	struct strbuf sb = STRBUF_INIT;

	sb_addc(&sb, '{');
	for (size_t i = 0; i < n; i++) {
		if (i)
			sb_addc(&sb, ',');
		sb_addc(&sb, '"');
		for (const char *p = v[i]; *p; p++) {
			if (*p == '"' || *p == '\\')
				sb_addc(&sb, '\\');
			sb_addc(&sb, *p);
		}
		sb_addc(&sb, '"');
	}
	sb_addc(&sb, '}');
	return sb_detach(&sb);
}

/* ---- probes ---- */

static const unsigned probe_kinds[] = {
	TP_DATETIME_RANGE, TP_TIME_RANGE, TP_DECIMAL_SCALE, TP_INT_RANGE, TP_LONG_RANGE,
	TP_TEXT_LENGTH, TP_NULLS,
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

/* A probe's condition on the quoted column q.  Operators on the operator's
 * data are where a database's own operators would be picked (an exact
 * match in any schema beats pg_catalog's operator that needs a cast):
 * OPERATOR(pg_catalog.x) between operands of one explicit type. */
static void add_condition(struct strbuf *sb, const char *q, const struct probe_col *pc, unsigned kind)
{
	const char *t = pc->type_name;
	const char *ty;

	switch (kind) {
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
		sb_addf(sb, "%s::pg_catalog.time OPERATOR(pg_catalog.>) '" OS_TIME_MAX
			"'::pg_catalog.time", q);
		break;
	case TP_DECIMAL_SCALE:
		/* digits beyond the 8th decimal place that are not zero (scale()
		 * would count trailing zeros; min_scale() needs PostgreSQL 13) */
		sb_addf(sb, "%s::pg_catalog.numeric OPERATOR(pg_catalog.<>) "
			"pg_catalog.round(%s::pg_catalog.numeric, %d)", q, q, OS_DECIMAL_MAX_SCALE);
		break;
	case TP_INT_RANGE:
	case TP_LONG_RANGE: {
		const char *lo = kind == TP_INT_RANGE ? OS_INT_MIN : OS_LONG_MIN;
		const char *hi = kind == TP_INT_RANGE ? OS_INT_MAX : OS_LONG_MAX;

		ty = range_type(t);
		sb_addf(sb, "%s::%s OPERATOR(pg_catalog.<) '%s'::%s OR %s::%s OPERATOR(pg_catalog.>) "
			"'%s'::%s", q, ty, lo, ty, q, ty, hi, ty);
		if (str_eq(t, "float4") || str_eq(t, "float8") || str_eq(t, "numeric"))
			sb_addf(sb, " OR %s::%s OPERATOR(pg_catalog.<>) pg_catalog.trunc(%s::%s)", q, ty,
				q, ty);
		break;
	}
	case TP_TEXT_LENGTH:
		sb_addf(sb, "pg_catalog.char_length(%s) OPERATOR(pg_catalog.>) %d", q,
			pc->plan.text_length);
		break;
	case TP_NULLS:
	default:
		sb_addf(sb, "%s IS NULL", q);
		break;
	}
}

static char *build_probe_sql(PGconn *conn, const struct probe_table *pt)
{
	struct strbuf sb = STRBUF_INIT, key = STRBUF_INIT;
	char *qs, *qt;
	bool first = true;

	/* Sample keys: the lowest and highest offending primary key. */
	if (pt->npk == 1 && pt->pk[0]) {
		char *q = pg_quote_ident(conn, pt->pk[0]);
		if (!q)
			goto fail;
		sb_addf(&key, pt->pk_numeric ? "%s" : "%s::pg_catalog.text", q);
		free(q);
	} else if (pt->npk > 1) {
		sb_add(&key, "ROW(");
		for (int i = 0; i < pt->npk; i++) {
			char *q = pt->pk[i] ? pg_quote_ident(conn, pt->pk[i]) : NULL;
			if (!q)
				goto fail;
			sb_addf(&key, "%s%s", i ? ", " : "", q);
			free(q);
		}
		sb_add(&key, ")::pg_catalog.text");
	} else {
		sb_add(&key, "'ctid=' OPERATOR(pg_catalog.||) ctid::pg_catalog.text");
	}

	sb_add(&sb, "SELECT ");
	for (size_t i = 0; i < pt->ncols; i++) {
		const struct probe_col *pc = &pt->cols[i];
		char *q = pg_quote_ident(conn, pc->name);

		if (!q)
			goto fail;
		for (size_t k = 0; k < OSM_ARRAY_LEN(probe_kinds); k++) {
			struct strbuf cond = STRBUF_INIT;

			if (!(pc->plan.kinds & probe_kinds[k]))
				continue;
			add_condition(&cond, q, pc, probe_kinds[k]);
			sb_addf(&sb, "%spg_catalog.count(*) FILTER (WHERE %s),"
				" pg_catalog.min(%s) FILTER (WHERE %s)::pg_catalog.text,"
				" pg_catalog.max(%s) FILTER (WHERE %s)::pg_catalog.text",
				first ? "" : ", ", sb_str(&cond), sb_str(&key), sb_str(&cond),
				sb_str(&key), sb_str(&cond));
			first = false;
			sb_free(&cond);
		}
		free(q);
	}
	qs = pg_quote_ident(conn, pt->schema);
	qt = pg_quote_ident(conn, pt->table);
	if (!qs || !qt) {
		free(qs);
		free(qt);
		goto fail;
	}
	sb_addf(&sb, " FROM %s.%s", qs, qt);
	free(qs);
	free(qt);
	sb_free(&key);
	return sb_detach(&sb);
fail:
	sb_free(&sb);
	sb_free(&key);
	return NULL;
}

static void record_probe(struct type_result *r, const struct probe_table *pt, const PGresult *res)
{
	int field = 0;

	for (size_t i = 0; i < pt->ncols; i++) {
		const struct probe_col *pc = &pt->cols[i];

		for (size_t k = 0; k < OSM_ARRAY_LEN(probe_kinds); k++) {
			long long count;
			enum tf_code code;
			struct strbuf samples = STRBUF_INIT;

			if (!(pc->plan.kinds & probe_kinds[k]))
				continue;
			count = strtoll(PQgetvalue(res, 0, field), NULL, 10);
			if (count > 0) {
				const char *lo = PQgetvalue(res, 0, field + 1);
				const char *hi = PQgetvalue(res, 0, field + 2);

				if (!PQgetisnull(res, 0, field + 1))
					sb_add(&samples, lo);
				if (!PQgetisnull(res, 0, field + 2) && strcmp(lo, hi) != 0) {
					sb_addc(&samples, '\n');
					sb_add(&samples, hi);
				}
				code = typemap_probe_code(probe_kinds[k]);
				type_result_add(r, code, typemap_probe_severity(code, &pc->plan),
						pt->schema, pt->table, pc->name, pc->attnum,
						pc->pg_type, pc->ardo, pc->supported, count,
						sb_str(&samples));
			}
			sb_free(&samples);
			field += 3;
		}
	}
}

static bool run_probes(PGconn *conn, struct scan *sc, char *err, size_t errlen)
{
	struct type_result *r = sc->r;
	struct ctx pctx = sc->ctx ? *sc->ctx : (struct ctx){ 0 };
	int tmo = sc->opts && sc->opts->probe_timeout_s > 0 ? sc->opts->probe_timeout_s : 600;
	char tbuf[32], qerr[512], what[600];
	const char *params[1];
	char *saved = NULL;
	PGresult *res;
	long total = 0, done = 0;
	bool ok = true;

	for (size_t i = 0; i < sc->ntabs; i++)
		if (sc->tabs[i].ncols)
			total++;
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

	for (size_t i = 0; i < sc->ntabs && ok; i++) {
		struct probe_table *pt = &sc->tabs[i];
		char *sql;

		if (!pt->ncols)
			continue;
		if (ctx_cancelled(sc->ctx)) {
			snprintf(err, errlen, "cancelled");
			ok = false;
			break;
		}
		snprintf(what, sizeof what, "probing %s.%s", pt->schema, pt->table);
		ctx_progress(sc->ctx, what, done, total);
		if (pt->relkind == 'v' || pt->relkind == 'f') {
			/* views and foreign tables: reading them runs someone else's
			 * query or reaches another server; the base tables are probed */
			done++;
			continue;
		}
		if (!pt->can_select) {
			add_error(r, pt->schema, pt->table,
				  "no SELECT privilege: grant SELECT on this table to the checking "
				  "user, or run with --no-data");
			done++;
			continue;
		}
		sql = build_probe_sql(conn, pt);
		if (!sql) {
			add_error(r, pt->schema, pt->table, "could not quote an identifier");
			done++;
			continue;
		}
		res = pg_query(conn, &pctx, sql, 0, NULL, qerr, sizeof qerr);
		free(sql);
		if (!res) {
			if (str_eq(qerr, "cancelled") || ctx_cancelled(sc->ctx)) {
				snprintf(err, errlen, "cancelled");
				ok = false;
				break;
			}
			snprintf(what, sizeof what, "%s (raise --probe-timeout if it timed out, or "
				 "run with --no-data)", qerr);
			add_error(r, pt->schema, pt->table, what);
			if (PQstatus(conn) != CONNECTION_OK) {
				snprintf(err, errlen, "connection lost while probing %s.%s: %s",
					 pt->schema, pt->table, qerr);
				ok = false;
				break;
			}
		} else {
			record_probe(r, pt, res);
			r->probed_tables++;
			PQclear(res);
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

bool typescan_run(struct pg_conn *conn, const struct type_scope *scope,
		  const struct typescan_opts *opts, struct ctx *ctx,
		  struct type_result *r, char *err, size_t errlen)
{
	struct scan sc;
	char *p1, *p2, *p3;
	const char *params[4];
	bool ok;

	memset(&sc, 0, sizeof sc);
	sc.r = r;
	sc.opts = opts;
	sc.ctx = ctx;
	sc.want_probes = !(opts && opts->no_data);
	r->data_probed = sc.want_probes;
	iso8601_now(r->at);
	free(r->scope);
	r->scope = type_scope_describe(scope);
	match_init(&sc, scope);

	p1 = array_literal(scope->schemas, scope->nschemas);
	p2 = array_literal(scope->tab_schema, scope->ntables);
	p3 = array_literal(scope->tab_name, scope->ntables);
	params[0] = p1;
	params[1] = p2;
	params[2] = p3;
	params[3] = (scope->nschemas || scope->ntables) ? "false" : "true";
	ctx_progress(ctx, "catalog", 0, 0);
	ok = pg_stream(conn, ctx, typescan_catalog_sql, 4, params, on_row, &sc, err, errlen);
	free(p1);
	free(p2);
	free(p3);
	if (!ok && ctx_cancelled(ctx))
		snprintf(err, errlen, "cancelled");
	else if (!ok)
		; /* err filled by pg_stream */
	else
		match_report(&sc);
	if (ok && sc.want_probes)
		ok = run_probes(conn, &sc, err, errlen);
	match_free(&sc);

	for (size_t i = 0; i < sc.ntabs; i++) {
		free(sc.tabs[i].pk);
		free(sc.tabs[i].cols);
	}
	free(sc.tabs);
	type_result_sort(r);
	return ok;
}

/* ---- output ---- */

char *type_finding_message(const struct type_finding *tf)
{
	struct strbuf sb = STRBUF_INIT;

	tf_format_message(&sb, (enum tf_code)tf->code, tf->pg_type, tf->ardo_type,
			  tf->supported_type, tf->count);
	return sb_detach(&sb);
}

static void json_samples(struct json_writer *w, const char *samples)
{
	const char *p = samples;

	jw_array(w);
	while (p && *p) {
		const char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p) : strlen(p);
		char *one = xstrndup(p, n);

		jw_str(w, one);
		free(one);
		p = nl ? nl + 1 : NULL;
	}
	jw_end(w);
}

/* One line per finding, unmatched entry and error (jw_newline). */
bool type_result_write_json(const struct type_result *r, FILE *f)
{
	struct strbuf sb = STRBUF_INIT;
	struct json_writer w;
	bool ok = true;

	jw_init(&w, &sb);
	jw_object(&w);
	jw_kint(&w, "version", 1);
	jw_kstr(&w, "at", r->at);
	jw_kstr(&w, "scope", r->scope ? r->scope : "");
	jw_kbool(&w, "data_probed", r->data_probed);
	jw_newline(&w);
	jw_key(&w, "findings");
	jw_array(&w);
	for (size_t i = 0; i < r->n && ok; i++) {
		const struct type_finding *tf = &r->f[i];
		char *msg = type_finding_message(tf);

		jw_newline(&w);
		jw_object(&w);
		jw_kstr(&w, "code", tf_code_name((enum tf_code)tf->code));
		jw_kstr(&w, "severity", tf_severity_name((enum tf_severity)tf->severity));
		jw_kstr(&w, "schema", tf->schema);
		jw_kstr(&w, "table", tf->table);
		jw_kstr(&w, "column", tf->column);
		jw_kstr(&w, "pg_type", tf->pg_type);
		jw_kstr(&w, "ardo_type", tf->ardo_type);
		jw_kstr(&w, "supported_type", tf->supported_type);
		jw_key(&w, "count");
		if (tf->count >= 0)
			jw_int(&w, tf->count);
		else
			jw_null(&w);
		jw_key(&w, "samples");
		json_samples(&w, tf->samples);
		jw_kstr(&w, "message", msg);
		jw_kstr(&w, "fix", tf_fix((enum tf_code)tf->code));
		jw_end(&w);
		free(msg);
		/* stream: the document can be far larger than what we keep */
		if (sb.len > 65536) {
			ok = fwrite(sb.buf, 1, sb.len, f) == sb.len;
			sb_reset(&sb);
		}
	}
	jw_newline(&w);
	jw_end(&w);
	jw_newline(&w);
	jw_key(&w, "summary");
	jw_object(&w);
	jw_kint(&w, "blockers", r->counts[TS_BLOCKER]);
	jw_kint(&w, "warnings", r->counts[TS_WARNING]);
	jw_kint(&w, "infos", r->counts[TS_INFO]);
	jw_kint(&w, "columns", r->columns);
	jw_kint(&w, "tables", r->tables);
	jw_kint(&w, "probed_tables", r->probed_tables);
	jw_kint(&w, "errors", (long long)r->nerrors);
	jw_kint(&w, "unmatched", (long long)r->nunmatched);
	jw_end(&w);
	jw_newline(&w);
	jw_key(&w, "unmatched");
	jw_array(&w);
	for (size_t i = 0; i < r->nunmatched; i++) {
		jw_newline(&w);
		jw_object(&w);
		jw_kstr(&w, "schema", r->unmatched[i].schema);
		jw_kstr(&w, "table", r->unmatched[i].table);
		jw_end(&w);
	}
	jw_end(&w);
	jw_newline(&w);
	jw_key(&w, "errors");
	jw_array(&w);
	for (size_t i = 0; i < r->nerrors; i++) {
		jw_newline(&w);
		jw_object(&w);
		jw_kstr(&w, "schema", r->errors[i].schema);
		jw_kstr(&w, "table", r->errors[i].table);
		jw_kstr(&w, "message", r->errors[i].message);
		jw_end(&w);
	}
	jw_end(&w);
	jw_newline(&w);
	jw_key(&w, "error");
	jw_null(&w);
	jw_end(&w);
	sb_addc(&sb, '\n');
	if (ok)
		ok = fwrite(sb.buf, 1, sb.len, f) == sb.len;
	sb_free(&sb);
	return ok && !ferror(f);
}

bool type_error_write_json(const char *scope, const char *message, const char *fix, FILE *f)
{
	struct strbuf sb = STRBUF_INIT;
	struct json_writer w;
	char now[OSM_ISO_LEN];
	bool ok;

	/* The shape of a result, with nothing in it that was not observed:
	 * no findings, no summary (never "0 blockers"), no scope matching
	 * (unmatched: null, not "everything matched"), and why. */
	iso8601_now(now);
	jw_init(&w, &sb);
	jw_object(&w);
	jw_kint(&w, "version", 1);
	jw_kstr(&w, "at", now);
	jw_kstr(&w, "scope", scope ? scope : "");
	jw_kbool(&w, "data_probed", false);
	jw_newline(&w);
	jw_key(&w, "findings");
	jw_array(&w);
	jw_end(&w);
	jw_newline(&w);
	jw_key(&w, "summary");
	jw_null(&w);
	jw_newline(&w);
	jw_key(&w, "unmatched");
	jw_null(&w);
	jw_newline(&w);
	jw_key(&w, "errors");
	jw_array(&w);
	jw_end(&w);
	jw_newline(&w);
	jw_key(&w, "error");
	jw_object(&w);
	jw_kstr(&w, "message", message);
	jw_kstr(&w, "fix", fix);
	jw_end(&w);
	jw_end(&w);
	sb_addc(&sb, '\n');
	ok = fwrite(sb.buf, 1, sb.len, f) == sb.len;
	sb_free(&sb);
	return ok && fflush(f) == 0 && !ferror(f);
}

bool type_result_write_text(const struct type_result *r, FILE *f, bool color)
{
	bool seen[TF_NCODES] = { false };
	static const int tone[TS_NSEV] = { 0, 1, 2 };

	{
		char *scope = output_safe(r->scope);

		fprintf(f, "Type verification of %s (%s)%s\n", scope, r->at,
			r->data_probed ? "" : ", catalog only (--no-data)");
		free(scope);
	}
	for (size_t i = 0; i < r->n; i++) {
		const struct type_finding *tf = &r->f[i];
		char *msg = type_finding_message(tf);
		char *safe, *s, *t, *c;
		char sev[16];

		snprintf(sev, sizeof sev, "%-7s", tf->severity == TS_BLOCKER ? "BLOCKER" :
			 tf_severity_name((enum tf_severity)tf->severity));
		output_word(f, color, tone[tf->severity % TS_NSEV], sev);
		s = output_safe(tf->schema);
		t = output_safe(tf->table);
		c = output_safe(tf->column);
		safe = output_safe(msg);
		fprintf(f, " %-22s %s.%s.%s: %s", tf_code_name((enum tf_code)tf->code), s, t, c, safe);
		if (tf->samples) {
			const char *nl = strchr(tf->samples, '\n');
			/* lowest and highest offending key, each made safe on its own */
			char *lo = xstrndup(tf->samples, nl ? (size_t)(nl - tf->samples)
							   : strlen(tf->samples));
			char *slo = output_safe(lo), *shi = nl ? output_safe(nl + 1) : NULL;

			fprintf(f, " (e.g. key %s%s%s)", slo, shi ? ", " : "", shi ? shi : "");
			free(slo);
			free(shi);
			free(lo);
		}
		fputc('\n', f);
		free(s);
		free(t);
		free(c);
		free(safe);
		free(msg);
		seen[tf->code % TF_NCODES] = true;
	}
	for (size_t i = 0; i < r->nerrors; i++) {
		char *s = output_safe(r->errors[i].schema), *t = output_safe(r->errors[i].table);
		char *m = output_safe(r->errors[i].message);

		output_word(f, color, 3, "error  ");
		fprintf(f, " %-22s %s.%s: could not check the data: %s\n", "PROBE_FAILED", s, t, m);
		free(s);
		free(t);
		free(m);
	}
	for (size_t i = 0; i < r->nunmatched; i++) {
		char *sc = output_safe(r->unmatched[i].schema);
		char *t = r->unmatched[i].table ? output_safe(r->unmatched[i].table) : NULL;

		output_word(f, color, 3, "error  ");
		if (t)
			fprintf(f, " %-22s table %s.%s: matches no table or view in the database\n",
				"NO_MATCH", sc, t);
		else
			fprintf(f, " %-22s schema %s: matches no schema with a table or view\n",
				"NO_MATCH", sc);
		free(sc);
		free(t);
	}
	if (r->columns == 0) {
		output_word(f, color, 3, "error  ");
		fprintf(f, " %-22s nothing in scope matched a table or view: nothing was checked\n",
			"NOTHING_SCANNED");
	}
	if (r->n || r->nunmatched || r->columns == 0)
		fprintf(f, "\nWhat to do:\n");
	if (r->nunmatched || r->columns == 0)
		fprintf(f, "  %s: correct the schema and table names (they are case-sensitive, as "
			"in the catalog: quote names with capitals, spaces or dots) in --schema/--table "
			"or [scope] schemas and [extension] tables, then run it again.\n",
			r->nunmatched ? "NO_MATCH" : "NOTHING_SCANNED");
	for (int k = 0; k < TF_NCODES; k++)
		if (seen[k])
			fprintf(f, "  %s: %s\n", tf_code_name((enum tf_code)k), tf_fix((enum tf_code)k));
	fprintf(f, "\n%ld blocker(s), %ld warning(s), %ld info(s) over %ld column(s) in %ld table(s)",
		r->counts[TS_BLOCKER], r->counts[TS_WARNING], r->counts[TS_INFO], r->columns, r->tables);
	if (r->data_probed)
		fprintf(f, "; data probed in %ld table(s)", r->probed_tables);
	if (r->nerrors)
		fprintf(f, "; %zu table(s) could not be probed", r->nerrors);
	if (r->nunmatched)
		fprintf(f, "; %zu scope entr%s matched nothing", r->nunmatched,
			r->nunmatched == 1 ? "y" : "ies");
	fprintf(f, ".\n");
	if (r->columns == 0)
		fprintf(f, "Nothing was checked: this is not a pass.\n");
	fflush(f);
	return !ferror(f);
}

/* ---- state file ---- */

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
		type_result_add(r, code, sev, doc_get(d, "finding", nm, "schema"),
				doc_get(d, "finding", nm, "table"), doc_get(d, "finding", nm, "column"),
				(int)i, doc_get(d, "finding", nm, "pg_type"),
				doc_get(d, "finding", nm, "ardo_type"),
				doc_get(d, "finding", nm, "supported_type"), count,
				doc_get(d, "finding", nm, "samples"));
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
