/* compare_out.c - the text and JSON of `osmigrate compare` (compare_out.h):
 * renders the struct cmp_result compare.c returns. */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compare_out.h"
#include "json.h"
#include "text.h"
#include "util.h"

/* Object names come from the databases: a table named with escape codes
 * or bidi controls must not drive the operator's terminal.  text.h's
 * neutralisation in the text rendering (JSON escapes them instead). */
static void add_safe(struct strbuf *sb, const char *s)
{
	sb_add_safe(sb, s, false);
}

static void addf_safe(struct strbuf *sb, const char *fmt, ...) OSM_PRINTF(2, 3);
static void addf_safe(struct strbuf *sb, const char *fmt, ...)
{
	va_list ap;
	char *t;

	va_start(ap, fmt);
	t = xvasprintf(fmt, ap);
	va_end(ap);
	add_safe(sb, t);
	free(t);
}

static void version_text(struct strbuf *sb, int v)
{
	if (v >= 100000)
		sb_addf(sb, " (PostgreSQL %d.%d)", v / 10000, v % 10000);
	else if (v > 0)
		sb_addf(sb, " (PostgreSQL %d.%d.%d)", v / 10000, v / 100 % 100, v % 100);
}

static void compared_text(const struct cmp_result *r, struct strbuf *sb)
{
	if (r->from_counts) {
		sb_addf(sb, "%zu tables in both files, %zu row counts (from the exported counts: "
			"structure and contents not compared)", r->compared[CMP_RELATION],
			r->compared[CMP_ROWS]);
		return;
	}
	for (int k = 0; k < CMP_NKINDS; k++) {
		const char *name = k == CMP_ROWS ? "row counts" : cmp_kind_plural(k);

		sb_addf(sb, "%s%zu %s", k ? ", " : "", r->compared[k], name);
		if (k == CMP_RELATION)
			sb_addf(sb, ", %zu view%s", r->compared_views,
				r->compared_views == 1 ? "" : "s");
	}
	if (r->exact)
		sb_add(sb, " (exact)");
	else if (r->counted)
		sb_addf(sb, " (estimated from statistics, %zu counted for lack of statistics; "
			"--exact counts all)", r->counted);
	else
		sb_add(sb, " (estimated from statistics; --exact counts)");
	sb_add(sb, "; structure and row counts, contents not compared");
}

void cmp_result_text(const struct cmp_result *r, struct strbuf *sb)
{
	if (r->from_counts) {
		addf_safe(sb, "old: %s", r->old_label);
		if (r->old_sha256[0])
			sb_addf(sb, " (SHA-256 %s)", r->old_sha256);
		sb_add(sb, "\n");
		addf_safe(sb, "new: %s", r->new_label);
		if (r->new_sha256[0])
			sb_addf(sb, " (SHA-256 %s)", r->new_sha256);
		sb_add(sb, "\n");
	} else {
		addf_safe(sb, "old: %s", r->old_label[0] ? r->old_label : "(not connected)");
		version_text(sb, r->old_version);
		sb_add(sb, "\n");
		addf_safe(sb, "new: %s", r->new_label[0] ? r->new_label : "(not connected)");
		version_text(sb, r->new_version);
		sb_add(sb, "\n");
	}
	if (r->status != CMP_FAILED || r->ndiffs) {
		sb_add(sb, "compared: ");
		compared_text(r, sb);
		sb_add(sb, "\n");
	}
	if (r->ndiffs) {
		sb_addf(sb, "differences (%zu):\n", r->ndiffs);
		for (size_t i = 0; i < r->ndiffs; i++) {
			addf_safe(sb, "  %s", r->diffs[i].message);
			sb_addc(sb, '\n');
		}
	}
	if (r->nnotes) {
		sb_addf(sb, "not verified (%zu):\n", r->nnotes);
		for (size_t i = 0; i < r->nnotes; i++) {
			addf_safe(sb, "  %s", r->notes[i]);
			sb_addc(sb, '\n');
		}
	}
	switch (r->status) {
	case CMP_IDENTICAL:
		if (r->nnotes)
			sb_addf(sb, "result: no difference found, but %zu item%s could not be "
				"verified (above): this is not yet proof of a clone\n", r->nnotes,
				r->nnotes == 1 ? "" : "s");
		else if (r->from_counts)
			sb_add(sb, "result: the same tables with the same row counts\n");
		else
			sb_add(sb, "result: identical structure and row counts (contents not "
			       "compared)\n");
		break;
	case CMP_DIFFERENT:
		sb_addf(sb, "result: %zu difference%s\n", r->ndiffs, r->ndiffs == 1 ? "" : "s");
		for (size_t i = 0; i < r->ndiffs; i++)
			if (r->diffs[i].kind == CMP_ROWS && !r->exact &&
			    str_eq(r->diffs[i].what, "estimated row count")) {
				sb_add(sb, "Estimated row counts can lag behind the data: confirm "
				       "those with --exact before acting on them.\n");
				break;
			}
		break;
	case CMP_FAILED:
		addf_safe(sb, "result: could not compare: %s", r->error);
		sb_addc(sb, '\n');
		if (r->fix[0]) {
			addf_safe(sb, "what to do: %s", r->fix);
			sb_addc(sb, '\n');
		}
		break;
	}
}

static void json_side(struct json_writer *w, const char *label, int version,
		      const struct cmp_identity *id, const char *sha256)
{
	jw_object(w);
	jw_kstr(w, "label", label[0] ? label : NULL);
	if (sha256)
		jw_kstr(w, "sha256", sha256[0] ? sha256 : NULL);
	jw_kint(w, "server_version", version);
	jw_kstr(w, "database", id->datname[0] ? id->datname : NULL);
	jw_kstr(w, "database_oid", id->datoid[0] ? id->datoid : NULL);
	jw_kstr(w, "system_identifier", id->system_identifier[0] ? id->system_identifier : NULL);
	jw_end(w);
}

void cmp_result_json(const struct cmp_result *r, struct strbuf *sb)
{
	static const char *const words[] = { "identical", "different", "error" };
	struct json_writer w;

	/* Version 2: "unverified" is a result of its own (version 1 said
	 * "identical" beside its notes). */
	jw_init(&w, sb);
	jw_object(&w);
	jw_kint(&w, "version", 2);
	jw_kstr(&w, "result", r->status == CMP_IDENTICAL && r->nnotes ? "unverified"
								     : words[r->status]);
	jw_kstr(&w, "source", r->from_counts ? "counts" : "databases");
	jw_key(&w, "old");
	json_side(&w, r->old_label, r->old_version, &r->old_id,
		  r->from_counts ? r->old_sha256 : NULL);
	jw_key(&w, "new");
	json_side(&w, r->new_label, r->new_version, &r->new_id,
		  r->from_counts ? r->new_sha256 : NULL);
	jw_kstr(&w, "row_counts", r->exact ? "exact" : "estimated");
	jw_kint(&w, "counted_tables", (long long)(r->exact ? r->compared[CMP_ROWS] : r->counted));
	jw_key(&w, "compared");
	jw_object(&w);
	for (int k = 0; k < CMP_NKINDS; k++) {
		jw_kint(&w, cmp_kind_plural(k), (long long)r->compared[k]);
		if (k == CMP_RELATION && !r->from_counts)
			jw_kint(&w, "views", (long long)r->compared_views);
	}
	jw_end(&w);
	/* Neither a comparison of databases nor of counts reads the rows. */
	jw_kbool(&w, "contents_compared", false);
	jw_key(&w, "differences");
	jw_array(&w);
	for (size_t i = 0; i < r->ndiffs; i++) {
		const struct cmp_diff *d = &r->diffs[i];

		jw_object(&w);
		jw_kstr(&w, "kind", cmp_kind_name(d->kind));
		jw_kstr(&w, "object", d->object);
		jw_kstr(&w, "what", d->what);
		jw_kstr(&w, "old", d->old_value);
		jw_kstr(&w, "new", d->new_value);
		jw_kstr(&w, "message", d->message);
		jw_end(&w);
	}
	jw_end(&w);
	jw_key(&w, "notes");
	jw_array(&w);
	for (size_t i = 0; i < r->nnotes; i++)
		jw_str(&w, r->notes[i]);
	jw_end(&w);
	jw_key(&w, "error");
	if (r->status == CMP_FAILED) {
		jw_object(&w);
		jw_kstr(&w, "side", r->error_side[0] ? r->error_side : NULL);
		jw_kstr(&w, "message", r->error);
		jw_kstr(&w, "fix", r->fix);
		jw_end(&w);
	} else {
		jw_null(&w);
	}
	jw_end(&w);
	sb_addc(sb, '\n');
}
