/* typecheck.c - the `type_verification` check (connector-migration, step
 * "type_scan"): the scope's columns under both connectors plus data probes,
 * through the [target] connection, summarised as one check result.  The
 * full list is what `osmigrate types` and the types screen show. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "platformver.h"
#include "typecheck.h"
#include "typescan.h"
#include "util.h"
#include "version.h"

#define DETAIL_LINES 20

/* uuid writes through the supported connector: fixed in 11.18.0, which was
 * withdrawn (domain.md section 2), so 11.18.1. */
#define UUID_MIN_PLATFORM "11.18.1"

/* The uuid columns the supported connector maps, met during the scan. */
struct uuid_cols {
	struct uuid_col *c;
	size_t n, cap;
};

static void on_column(void *ud, const struct type_column_info *ci)
{
	struct uuid_cols *u = ud;
	char ardo[64], sup[64];
	struct uuid_col *c;

	if (ci->col->is_array || !str_eq(ci->col->type_schema, "pg_catalog") ||
	    !str_eq(ci->col->type_name, "uuid") || !os_type_mapped(ci->cls->supported.type))
		return;
	if (u->n == u->cap)
		u->c = xreallocarray(u->c, u->cap = u->cap * 2 + 8, sizeof *u->c);
	tm_mapping_format(&ci->cls->ardo, ardo, sizeof ardo);
	tm_mapping_format(&ci->cls->supported, sup, sizeof sup);
	c = &u->c[u->n++];
	c->schema = xstrdup(ci->schema);
	c->table = xstrdup(ci->table);
	c->column = xstrdup(ci->column);
	c->pg_type = xstrdup(ci->pg_type);
	c->ardo = xstrdup(ardo);
	c->sup = xstrdup(sup);
	c->attnum = ci->attnum;
}

static void uuid_cols_free(struct uuid_cols *u)
{
	for (size_t i = 0; i < u->n; i++) {
		free(u->c[i].schema);
		free(u->c[i].table);
		free(u->c[i].column);
		free(u->c[i].pg_type);
		free(u->c[i].ardo);
		free(u->c[i].sup);
	}
	free(u->c);
}

void typecheck_uuid_findings(struct type_result *r, const struct uuid_col *cols, size_t n,
			     const struct platform_versions *pv)
{
	struct strbuf older = STRBUF_INIT, unknown = STRBUF_INIT, det = STRBUF_INIT;
	enum tf_severity sev;
	int c;

	if (!n)
		return;
	for (size_t i = 0; i < pv->n; i++) {
		const char *v = pv->env[i].version;
		const char *who = pv->source == PV_TYPED ? "typed" : pv->env[i].name;

		if (!v)
			sb_addf(&unknown, "%s%s", unknown.len ? ", " : "", who);
		else if (version_cmp(v, UUID_MIN_PLATFORM, &c) && c < 0)
			sb_addf(&older, "%s%s %s", older.len ? ", " : "", who, v);
	}
	if (older.len) {
		sev = TS_BLOCKER;
		sb_addf(&det, "older than %s: %s", UUID_MIN_PLATFORM, sb_str(&older));
		if (unknown.len)
			sb_addf(&det, "; version not reported: %s", sb_str(&unknown));
	} else if (unknown.len) {
		sev = TS_WARNING;
		sb_addf(&det, "LifeTime reports no Platform Server version for %s: not known "
			"whether it is %s or later", sb_str(&unknown), UUID_MIN_PLATFORM);
	} else if (pv->source == PV_UNKNOWN) {
		sev = TS_WARNING;
		sb_addf(&det, "the Platform Server version is not known here (%s): configure "
			"[lifetime] or type it on the prerequisites screen",
			pv->problem[0] ? pv->problem : "no [lifetime], nothing typed");
	} else {
		goto out;
	}
	for (size_t i = 0; i < n; i++) {
		struct type_finding *f = type_result_add(r, TF_UUID_PLATFORM_VERSION, sev,
							 cols[i].schema, cols[i].table,
							 cols[i].column, cols[i].attnum,
							 cols[i].pg_type, cols[i].ardo, cols[i].sup,
							 -1, NULL);

		type_finding_set_detail(r, f, sb_str(&det));
	}
	type_result_sort(r);
out:
	sb_free(&older);
	sb_free(&unknown);
	sb_free(&det);
}

bool typecheck_scan(const struct check_env *env, const char *ext, struct type_result *r,
		    char *err, size_t errlen, char *fix, size_t fixlen, enum secret_kind *needs)
{
	struct uuid_cols u = { 0 };
	struct typescan_opts opts = { .on_column = on_column, .ud = &u };
	bool ok = typescan_run_settings(env->settings, ext, &opts, env->ctx, r, err, errlen, fix,
					fixlen, needs);

	if (ok && u.n) {
		struct platform_versions pv;

		ctx_progress(env->ctx, "reading the Platform Server versions (uuid columns)", 0, 0);
		platform_versions_read(env, &pv);
		typecheck_uuid_findings(r, u.c, u.n, &pv);
		platform_versions_free(&pv);
	}
	uuid_cols_free(&u);
	return ok;
}

static void one(const struct check_env *env, struct check_report *rep, const char *ext)
{
	char id[300], label[400], err[1024], fix[512];
	struct type_result r;
	struct strbuf sum = STRBUF_INIT, det = STRBUF_INIT;
	enum check_status st;
	enum secret_kind needs;
	size_t shown = 0;
	bool scope_problem = false;

	snprintf(id, sizeof id, "type_verification%s%s", ext ? ":" : "", ext ? ext : "");
	if (ext)
		snprintf(label, sizeof label, "column types and stored values of extension %s", ext);
	else
		snprintf(label, sizeof label, "column types and stored values in scope");

	type_result_init(&r);
	if (!typecheck_scan(env, ext, &r, err, sizeof err, fix, sizeof fix, &needs)) {
		check_add(rep, id, label, CHECK_ERROR, "error: could not check", err, fix)->needs =
			needs;
		type_result_free(&r);
		return;
	}
	st = type_result_status(&r);
	type_counts_text(&sum, r.counts[TS_BLOCKER], r.counts[TS_WARNING], r.counts[TS_INFO],
			 r.columns, r.tables);
	if (r.nerrors)
		sb_addf(&sum, "; %zu %s not probed", r.nerrors, plural(r.nerrors, "table", "tables"));
	{
		char *problem = type_result_scope_problem(&r);

		/* Named in the summary, the line every reader shows. */
		if (problem) {
			sb_reset(&sum);
			sb_addf(&sum, "could not check: %s; ", problem);
			type_counts_text(&sum, r.counts[TS_BLOCKER], r.counts[TS_WARNING], -1,
					 r.columns, r.tables);
			scope_problem = true;
		}
		free(problem);
	}
	for (int sev = TS_BLOCKER; sev >= TS_WARNING; sev--)
		for (size_t i = 0; i < r.n && shown < DETAIL_LINES; i++) {
			char *m;

			if (r.f[i].severity != sev)
				continue;
			m = type_finding_message(&r.f[i]);
			/* a table finding has no column */
			sb_addf(&det, "%s %s %s.%s%s%s: %s\n", tf_severity_name((enum tf_severity)sev),
				tf_code_name((enum tf_code)r.f[i].code), r.f[i].schema, r.f[i].table,
				*r.f[i].column ? "." : "", r.f[i].column, m);
			free(m);
			shown++;
		}
	/* each failed probe with its cause and its own fix */
	for (size_t i = 0; i < r.nerrors; i++)
		sb_addf(&det, "error PROBE_FAILED %s.%s (%s): %s. %s\n", r.errors[i].schema,
			r.errors[i].table, r.errors[i].cause ? r.errors[i].cause : "server",
			r.errors[i].message, r.errors[i].fix ? r.errors[i].fix : "");
	if ((size_t)(r.counts[TS_BLOCKER] + r.counts[TS_WARNING]) > shown)
		sb_addf(&det, "... and %zu more: run 'osmigrate types' for the full list\n",
			(size_t)(r.counts[TS_BLOCKER] + r.counts[TS_WARNING]) - shown);
	check_add(rep, id, label, st, sb_str(&sum), det.len ? sb_str(&det) : NULL,
		  st == CHECK_OK ? NULL
		  : scope_problem && st == CHECK_ERROR
			? "Correct the names that matched nothing in [scope] schemas and the "
			  "extensions' tables (schema.table, case-sensitive as in the catalog; quote "
			  "names with capitals, spaces or dots), then run the check again."
		  : st == CHECK_ERROR ? "Do what each PROBE_FAILED line above says for its cause "
					"(or accept that those tables' data is unchecked), then run the check again."
		  : "Review every blocker and warning (osmigrate types, or the types screen) and do "
		    "what each finding's fix says before refreshing entities.");
	sb_free(&sum);
	sb_free(&det);
	type_result_free(&r);
}

void check_type_verification(const struct check_env *env, struct check_report *rep)
{
	one(env, rep, env->item);
}
