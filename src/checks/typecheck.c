/* typecheck.c - the `type_verification` check (connector-migration, step
 * "types"): the scope's columns under both connectors plus data probes,
 * through the [target] connection, summarised as one check result.  The
 * full list is what `osmigrate types` and the types screen show. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "typecheck.h"
#include "typescan.h"
#include "util.h"

#define DETAIL_LINES 20

static void one(const struct check_env *env, struct check_report *rep, const char *ext)
{
	char id[300], label[400], err[1024], fix[512];
	struct type_result r;
	struct typescan_opts opts = { 0 };
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
	if (!typescan_run_settings(env->settings, ext, &opts, env->ctx, &r, err, sizeof err,
				   fix, sizeof fix, &needs)) {
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
