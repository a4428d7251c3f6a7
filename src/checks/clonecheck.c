/* clonecheck.c - clone_compare (restore-database "verify"): is the new
 * database an exact clone of the old one?  Compares them when both are
 * PostgreSQL (compare.h); decommissioning stays locked until it passed. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clonecheck.h"
#include "compare.h"
#include "counts.h"
#include "lifetime.h"
#include "names.h"
#include "schema.h"
#include "util.h"

/* [compare] schemas, read as [scope] schemas is (names.h): names separated
 * by blanks or commas, double quotes around a name holding either.  In
 * place: each word becomes the name it spells.  False with msg on a
 * malformed word. */
static bool compare_schemas(char **words, char *msg, size_t msglen)
{
	for (char **w = words; *w; w++) {
		char *id;

		if (!names_ident(*w, &id)) {
			snprintf(msg, msglen, "schema name '%.80s' is malformed", *w);
			return false;
		}
		free(*w);
		*w = id;
	}
	return true;
}

/* The platform's DBMS: [compare] dbms, else the one DatabaseProvider every
 * LifeTime environment reports (LifeTime is optional: not asked when not
 * configured, and any failure leaves it unknown, so both queries show). */
static enum counts_dbms platform_dbms(const struct check_env *env)
{
	const char *typed = doc_get(env->settings, "compare", NULL, "dbms");
	enum counts_dbms d = COUNTS_DBMS_UNKNOWN;
	char msg[512], fix[1024];
	struct lifetime lt;
	struct lt_environment *envs = NULL;
	size_t n = 0;
	struct http_error e;

	if (!str_empty(typed))
		return counts_dbms_parse(typed);
	if (lifetime_open(env->settings, env->ctx, &lt, msg, sizeof msg, fix, sizeof fix) !=
	    LT_READY)
		return COUNTS_DBMS_UNKNOWN;
	if (lifetime_environments(&lt, env->ctx, &envs, &n, &e))
		for (size_t i = 0; i < n; i++) {
			enum counts_dbms one = counts_dbms_parse(envs[i].database_provider);

			if (i == 0)
				d = one;
			else if (one != d)
				d = COUNTS_DBMS_UNKNOWN;
		}
	lt_environments_free(envs, n);
	lifetime_close(&lt);
	return d;
}

/* [compare] old_counts and new_counts: the operator's exported row counts
 * (counts.h), recorded with each file's SHA-256. */
static void clone_counts(const struct check_env *env, struct check_report *rep)
{
	static const char *const id = "clone_compare";
	const char *oldp = doc_get(env->settings, "compare", NULL, "old_counts");
	const char *newp = doc_get(env->settings, "compare", NULL, "new_counts");
	struct strbuf label = STRBUF_INIT, sum = STRBUF_INIT, det = STRBUF_INIT;
	struct cmp_result r;
	enum check_status st;

	if (str_empty(oldp) || str_empty(newp)) {
		check_add(rep, id, "clone of the old database (exported row counts)", CHECK_ERROR,
			  "could not check: [compare] old_counts and new_counts are not both set",
			  NULL, "Set both to the CSV files of the old and the new server's row counts.");
		return;
	}
	compare_counts(oldp, newp, &r);
	sb_addf(&label, "clone: row counts of %s equal %s", newp, oldp);
	sb_addf(&det, "evidence: old %s SHA-256 %s\n", oldp, r.old_sha256[0] ? r.old_sha256 : "(not read)");
	sb_addf(&det, "evidence: new %s SHA-256 %s\n", newp, r.new_sha256[0] ? r.new_sha256 : "(not read)");
	sb_add(&det, "compared: the tables and their row counts as exported; structure and "
		     "contents not compared\n");
	for (size_t i = 0; i < r.ndiffs && i < 200; i++)
		sb_addf(&det, "%s\n", r.diffs[i].message);
	if (r.ndiffs > 200)
		sb_addf(&det, "... and %zu more (osmigrate compare --counts lists them all)\n",
			r.ndiffs - 200);
	switch (r.status) {
	case CMP_IDENTICAL:
		st = CHECK_OK;
		sb_addf(&sum, "the same %zu tables with the same row counts (exported counts; "
			"contents not compared)", r.compared[CMP_ROWS]);
		break;
	case CMP_DIFFERENT:
		st = CHECK_FAILED;
		sb_addf(&sum, "%zu difference%s in the exported row counts, first: %s", r.ndiffs,
			r.ndiffs == 1 ? "" : "s", r.diffs[0].message);
		break;
	case CMP_FAILED:
	default:
		st = CHECK_ERROR;
		sb_addf(&sum, "could not compare: %s", r.error);
		break;
	}
	check_add(rep, id, sb_str(&label), st, sb_str(&sum), sb_str(&det),
		  st == CHECK_OK ? NULL
		  : st == CHECK_FAILED
		  ? "The new database is not a clone of the old one as exported: export both "
		    "again while nothing writes (front-ends stopped), and if they still differ, "
		    "restore the backup again. Keep the old server running: do not decommission it."
		  : r.fix);
	cmp_result_free(&r);
	sb_free(&label);
	sb_free(&sum);
	sb_free(&det);
}

void check_clone_compare(const struct check_env *env, struct check_report *rep)
{
	static const char *const id = "clone_compare";
	const char *oldci = doc_get(env->settings, "compare", NULL, "old");
	const char *newci = doc_get(env->settings, "compare", NULL, "new");
	const char *schemas_s = doc_get(env->settings, "compare", NULL, "schemas");
	const char *exact_s = doc_get(env->settings, "compare", NULL, "exact");
	struct pg_spec so, sn;
	struct cmp_options opt = { 0 };
	struct cmp_result r;
	struct strbuf label = STRBUF_INIT, sum = STRBUF_INIT, det = STRBUF_INIT,
		      fix = STRBUF_INIT;
	char msg[512], **schemas = NULL;
	enum check_status st;

	if (!str_empty(doc_get(env->settings, "compare", NULL, "old_counts")) ||
	    !str_empty(doc_get(env->settings, "compare", NULL, "new_counts"))) {
		clone_counts(env, rep);
		return;
	}
	if (str_empty(oldci) || str_empty(newci)) {
		struct strbuf how = STRBUF_INIT;

		sb_add(&how, "For PostgreSQL: set [compare] old and new. For SQL Server or Oracle, "
			     "which osmigrate cannot read:\n\n");
		counts_howto(platform_dbms(env), &how);
		check_add(rep, id, "clone of the old database", CHECK_ERROR,
			  "could not check: neither [compare] old and new (PostgreSQL) nor "
			  "old_counts and new_counts (exported row counts) are set", sb_str(&how),
			  "Set [compare] old and new (PostgreSQL), or run the row count query the "
			  "detail shows on both servers, save each output as CSV and set [compare] "
			  "old_counts and new_counts; or verify the clone with your DBMS tools and "
			  "override with a recorded reason");
		sb_free(&how);
		return;
	}
	/* The decommission gate wants proof, so exact counts unless told otherwise. */
	opt.exact = schema_bool(exact_s, true);
	schemas = names_split(schemas_s, &opt.nschemas);
	if (!compare_schemas(schemas, msg, sizeof msg)) {
		sb_addf(&fix, "Correct [compare] schemas: %s.", msg);
		check_add(rep, id, "clone of the old database", CHECK_ERROR,
			  "invalid [compare] schemas", NULL, sb_str(&fix));
		names_free(schemas);
		sb_free(&fix);
		return;
	}
	opt.schemas = (const char *const *)schemas;
	/* Their passwords come from ctx->secrets (compare_databases, login.h). */
	if (!pg_spec_from_conninfo(&so, oldci, NULL, msg, sizeof msg)) {
		sb_addf(&fix, "Correct [compare] old: %s.", msg);
		check_add(rep, id, "clone of the old database", CHECK_ERROR,
			  "invalid [compare] old", NULL, sb_str(&fix));
		names_free(schemas);
		sb_free(&fix);
		return;
	}
	if (!pg_spec_from_conninfo(&sn, newci, NULL, msg, sizeof msg)) {
		sb_addf(&fix, "Correct [compare] new: %s.", msg);
		check_add(rep, id, "clone of the old database", CHECK_ERROR,
			  "invalid [compare] new", NULL, sb_str(&fix));
		pg_spec_free(&so);
		names_free(schemas);
		sb_free(&fix);
		return;
	}

	compare_databases(&so, &sn, &opt, env->ctx, &r);
	sb_addf(&label, "clone: %s equals %s", sn.label, so.label);
	for (size_t i = 0; i < r.ndiffs && i < 200; i++)
		sb_addf(&det, "%s\n", r.diffs[i].message);
	if (r.ndiffs > 200)
		sb_addf(&det, "... and %zu more (osmigrate compare lists them all)\n", r.ndiffs - 200);
	for (size_t i = 0; i < r.nnotes; i++)
		sb_addf(&det, "not verified: %s\n", r.notes[i]);

	switch (r.status) {
	case CMP_IDENTICAL:
		st = r.nnotes ? CHECK_WARNING : CHECK_OK;
		sb_addf(&sum, "identical structure and row counts (contents not compared): "
			"%zu schemas, %zu tables, %zu view%s, %zu columns, %zu indexes, "
			"%zu constraints, %zu sequences, %zu row counts (%s",
			r.compared[CMP_SCHEMA], r.compared[CMP_RELATION], r.compared_views,
			r.compared_views == 1 ? "" : "s", r.compared[CMP_COLUMN],
			r.compared[CMP_INDEX], r.compared[CMP_CONSTRAINT], r.compared[CMP_SEQUENCE],
			r.compared[CMP_ROWS], r.exact ? "exact" : "estimated");
		if (!r.exact && r.counted)
			sb_addf(&sum, ", %zu counted for lack of statistics", r.counted);
		sb_add(&sum, ")");
		if (r.nnotes) {
			sb_addf(&sum, "; %zu item%s not verified", r.nnotes, r.nnotes == 1 ? "" : "s");
			sb_add(&fix, "Some objects could not be verified (see the detail): fix what it "
			       "says and run the check again, or verify them with your DBMS tools.");
		}
		break;
	case CMP_DIFFERENT:
		st = CHECK_FAILED;
		sb_addf(&sum, "%zu difference%s, first: %s", r.ndiffs, r.ndiffs == 1 ? "" : "s",
			r.diffs[0].message);
		sb_add(&fix, "The new database is not an exact clone of the old one: restore the "
		       "backup again (or find out what changed after it was taken), then run the "
		       "check again. Keep the old server running: do not decommission it.");
		if (!r.exact)
			sb_add(&fix, " Estimated row counts can lag: set [compare] exact = yes to count.");
		break;
	case CMP_FAILED:
	default:
		st = CHECK_ERROR;
		sb_addf(&sum, "could not compare: %s", r.error);
		sb_add(&fix, r.fix[0] ? r.fix : "Run the check again.");
		break;
	}
	check_add(rep, id, sb_str(&label), st, sb_str(&sum), det.len ? sb_str(&det) : NULL,
		  st == CHECK_OK ? NULL : sb_str(&fix))->needs = r.needs;
	cmp_result_free(&r);
	pg_spec_free(&so);
	pg_spec_free(&sn);
	names_free(schemas);
	sb_free(&label);
	sb_free(&sum);
	sb_free(&det);
	sb_free(&fix);
}
