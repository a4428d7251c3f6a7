/* clonecheck.c - clone_compare (restore-database "verify"): is the new
 * database an exact clone of the old one?  Compares them when both are
 * PostgreSQL (compare.h); decommissioning stays locked until it passed. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clonecheck.h"
#include "compare.h"
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

	if (str_empty(oldci) || str_empty(newci)) {
		check_add(rep, id, "clone of the old database", CHECK_ERROR,
			  "not configured: [compare] old and new are not both set", NULL,
			  "set [compare] old and new, or verify the clone with your DBMS tools and "
			  "override with a recorded reason");
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
		sb_addf(&sum, "identical: %zu schemas, %zu tables, %zu columns, %zu indexes, "
			"%zu constraints, %zu sequences, %zu row counts (%s",
			r.compared[CMP_SCHEMA], r.compared[CMP_RELATION], r.compared[CMP_COLUMN],
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
