/* typecheck.c - the `type_verification` check (connector-migration, step
 * "types"): the scope's columns under both connectors plus data probes,
 * through the [target] connection, summarised as one check result.  The
 * full list is what `osmigrate types` and the types screen show. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libpq-fe.h>

#include "check.h"
#include "pg.h"
#include "typescan.h"
#include "util.h"

#define DETAIL_LINES 20

static void one(const struct check_env *env, struct check_report *rep, const char *ext)
{
	char id[300], label[400], msg[512], err[1024];
	struct type_scope scope;
	struct pg_spec spec;
	struct pg_failure fail;
	struct type_result r;
	struct typescan_opts opts = { 0 };
	const struct secrets *sec = env->ctx ? env->ctx->secrets : NULL;
	PGconn *conn;
	bool ok;

	snprintf(id, sizeof id, "type_verification%s%s", ext ? ":" : "", ext ? ext : "");
	if (ext)
		snprintf(label, sizeof label, "column types and stored values of extension %s", ext);
	else
		snprintf(label, sizeof label, "column types and stored values in scope");

	type_scope_init(&scope);
	if (!type_scope_from_doc(&scope, env->settings, ext, msg, sizeof msg)) {
		check_add(rep, id, label, CHECK_ERROR, "error: could not check", msg,
			  "Correct the table names of the extension ([extension] tables) and run the check again.");
		type_scope_free(&scope);
		return;
	}
	if (ext && !scope.nschemas && !scope.ntables) {
		check_add(rep, id, label, CHECK_ERROR, "error: could not check",
			  "the extension lists no tables",
			  "Enter the extension's tables (schema.table) on the extensions screen, then run the check again.");
		type_scope_free(&scope);
		return;
	}
	if (!pg_spec_from_doc(&spec, env->settings, "target", sec ? sec->target_password : NULL,
			      msg, sizeof msg)) {
		check_add(rep, id, label, CHECK_ERROR, "error: could not check", msg,
			  "Fill in the target database connection (step connection), then run the check again.");
		type_scope_free(&scope);
		return;
	}
	conn = pg_connect(&spec, env->ctx, &fail);
	if (!conn) {
		check_add(rep, id, label, CHECK_ERROR, "error: could not check", fail.message, fail.fix);
		pg_spec_free(&spec);
		type_scope_free(&scope);
		return;
	}
	type_result_init(&r);
	ok = typescan_run(conn, &scope, &opts, env->ctx, &r, err, sizeof err);
	PQfinish(conn);
	if (!ok) {
		check_add(rep, id, label, CHECK_ERROR, "error: could not check", err,
			  str_eq(err, "cancelled")
				  ? "The verification was cancelled: run it again."
				  : "Check that the target user can read pg_catalog and the tables in scope, then run the check again.");
	} else {
		struct strbuf sum = STRBUF_INIT, det = STRBUF_INIT;
		enum check_status st = type_result_status(&r);
		size_t shown = 0;

		sb_addf(&sum, "%ld blocker(s), %ld warning(s), %ld info(s) over %ld column(s) in %ld table(s)",
			r.counts[TS_BLOCKER], r.counts[TS_WARNING], r.counts[TS_INFO], r.columns, r.tables);
		if (r.nerrors)
			sb_addf(&sum, "; %zu table(s) not probed", r.nerrors);
		for (int sev = TS_BLOCKER; sev >= TS_WARNING; sev--)
			for (size_t i = 0; i < r.n && shown < DETAIL_LINES; i++) {
				char *m;

				if (r.f[i].severity != sev)
					continue;
				m = type_finding_message(&r.f[i]);
				sb_addf(&det, "%s %s %s.%s.%s: %s\n", tf_severity_name((enum tf_severity)sev),
					tf_code_name((enum tf_code)r.f[i].code), r.f[i].schema, r.f[i].table,
					r.f[i].column, m);
				free(m);
				shown++;
			}
		for (size_t i = 0; i < r.nerrors; i++)
			sb_addf(&det, "error %s.%s: %s\n", r.errors[i].schema, r.errors[i].table,
				r.errors[i].message);
		if ((size_t)(r.counts[TS_BLOCKER] + r.counts[TS_WARNING]) > shown)
			sb_addf(&det, "... and %zu more: run 'osmigrate types' for the full list\n",
				(size_t)(r.counts[TS_BLOCKER] + r.counts[TS_WARNING]) - shown);
		check_add(rep, id, label, st, sb_str(&sum), det.len ? sb_str(&det) : NULL,
			  st == CHECK_OK ? NULL
			  : st == CHECK_ERROR ? "Grant SELECT on the tables named above to the target user (or accept that their data is unchecked), then run the check again."
			  : "Review every blocker and warning (osmigrate types, or the types screen) and do what each finding's fix says before refreshing entities.");
		sb_free(&sum);
		sb_free(&det);
	}
	type_result_free(&r);
	pg_spec_free(&spec);
	type_scope_free(&scope);
}

void check_type_verification(const struct check_env *env, struct check_report *rep)
{
	one(env, rep, env->item);
}
