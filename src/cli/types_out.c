/* types_out.c - the type verification's report as text and as JSON (see
 * types_out.h): typescan.c returns data, the command line renders it. */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "output.h"
#include "text.h"
#include "types_out.h"
#include "util.h"

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

/* A string, or null when it is empty (a table finding's column and types):
 * the result's strings are interned, the names and fixes static, so each
 * distinct one is encoded once per report (jw_kstr_kept). */
static void kstr_or_null(struct json_writer *w, const char *key, const char *s)
{
	jw_kstr_kept(w, key, s && *s ? s : NULL);
}

/* The message of a catalog finding (no count) depends on its code and four
 * interned strings only: made once per distinct combination, and kept at
 * one address so that the writer encodes it once too. */
struct mkey {
	const char *pg_type, *ardo, *sup, *detail;
	unsigned code;
};

struct mcache {
	struct mkey *key;
	char **val;
	size_t cap, n;
};

static size_t mc_slot(const struct mcache *c, const struct mkey *k)
{
	uint64_t h = k->code + 1;
	size_t i;

	h = (h ^ (uintptr_t)k->pg_type) * 1099511628211ULL;
	h = (h ^ (uintptr_t)k->ardo) * 1099511628211ULL;
	h = (h ^ (uintptr_t)k->sup) * 1099511628211ULL;
	h = (h ^ (uintptr_t)k->detail) * 1099511628211ULL;
	i = (size_t)(h ^ (h >> 29)) & (c->cap - 1);
	while (c->val[i] && memcmp(&c->key[i], k, sizeof *k) != 0)
		i = (i + 1) & (c->cap - 1);
	return i;
}

static const char *mc_message(struct mcache *c, const struct type_finding *tf)
{
	struct mkey k;
	size_t i;

	memset(&k, 0, sizeof k);   /* padding too: keys are compared whole */
	k.pg_type = tf->pg_type;
	k.ardo = tf->ardo_type;
	k.sup = tf->supported_type;
	k.detail = tf->detail;
	k.code = tf->code;
	if ((c->n + 1) * 2 >= c->cap) {
		size_t cap = c->cap ? c->cap * 2 : 256;
		struct mcache big = { xcalloc(cap, sizeof *big.key), xcalloc(cap, sizeof *big.val),
				      cap, c->n };

		for (size_t j = 0; j < c->cap; j++)
			if (c->val[j]) {
				size_t t = mc_slot(&big, &c->key[j]);

				big.key[t] = c->key[j];
				big.val[t] = c->val[j];
			}
		free(c->key);
		free(c->val);
		*c = big;
	}
	i = mc_slot(c, &k);
	if (!c->val[i]) {
		c->key[i] = k;
		c->val[i] = type_finding_message(tf);
		c->n++;
	}
	return c->val[i];
}

static void mc_free(struct mcache *c)
{
	for (size_t i = 0; i < c->cap; i++)
		free(c->val[i]);
	free(c->key);
	free(c->val);
}

/* One line per finding, unmatched entry and error (jw_newline). */
bool type_result_write_json(const struct type_result *r, FILE *f)
{
	struct strbuf sb = STRBUF_INIT, msg = STRBUF_INIT;
	struct mcache mc = { NULL, NULL, 0, 0 };
	struct json_writer w;
	bool ok = true;

	jw_init(&w, &sb);
	jw_object(&w);
	jw_kint(&w, "version", 2);
	jw_kstr(&w, "at", r->at);
	jw_kstr(&w, "scope", r->scope ? r->scope : "");
	jw_kbool(&w, "data_probed", r->data_probed);
	jw_newline(&w);
	jw_key(&w, "findings");
	jw_array(&w);
	for (size_t i = 0; i < r->n && ok; i++) {
		const struct type_finding *tf = &r->f[i];

		jw_newline(&w);
		jw_object(&w);
		jw_kstr_kept(&w, "code", tf_code_name((enum tf_code)tf->code));
		jw_kstr_kept(&w, "severity", tf_severity_name((enum tf_severity)tf->severity));
		jw_kstr_kept(&w, "schema", tf->schema);
		jw_kstr_kept(&w, "table", tf->table);
		kstr_or_null(&w, "column", tf->column);
		kstr_or_null(&w, "pg_type", tf->pg_type);
		kstr_or_null(&w, "ardo_type", tf->ardo_type);
		kstr_or_null(&w, "supported_type", tf->supported_type);
		jw_key(&w, "count");
		if (tf->count >= 0)
			jw_int(&w, tf->count);
		else
			jw_null(&w);
		jw_key(&w, "samples");
		json_samples(&w, tf->samples);
		kstr_or_null(&w, "detail", tf->detail);
		if (tf->count < 0) {
			jw_kstr_kept(&w, "message", mc_message(&mc, tf));
		} else {
			/* one buffer for every message with a count */
			sb_reset(&msg);
			tf_format_message(&msg, (enum tf_code)tf->code, tf->pg_type, tf->ardo_type,
					  tf->supported_type, tf->count, tf->detail);
			jw_kstr(&w, "message", sb_str(&msg));
		}
		jw_kstr_kept(&w, "fix", tf_fix((enum tf_code)tf->code));
		jw_end(&w);
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
	jw_kint(&w, "not_probed", r->not_probed);
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
		const struct type_error *e = &r->errors[i];

		jw_newline(&w);
		jw_object(&w);
		jw_kstr(&w, "code", "PROBE_FAILED");
		jw_kstr(&w, "schema", e->schema);
		jw_kstr(&w, "table", e->table);
		jw_kstr(&w, "cause", e->cause ? e->cause : "server");
		jw_kstr(&w, "message", e->message);
		jw_kstr(&w, "fix", e->fix && *e->fix ? e->fix : NULL);
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
	sb_free(&msg);
	jw_release(&w);
	mc_free(&mc);
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
	jw_kint(&w, "version", 2);
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

static int cmp_error(const void *pa, const void *pb)
{
	const struct type_error *a = pa, *b = pb;
	int c = strcmp(a->schema, b->schema);

	return c ? c : strcmp(a->table, b->table);
}

static int cmp_table(const char *s1, const char *t1, const char *s2, const char *t2)
{
	int c = strcmp(s1, s2);

	return c ? c : strcmp(t1, t2);
}

static void text_finding(FILE *f, bool color, const struct type_finding *tf)
{
	static const int tone[TS_NSEV] = { 0, 1, 2 };
	char *msg = type_finding_message(tf), *safe = output_safe(msg);
	char sev[16];

	snprintf(sev, sizeof sev, "%-7s", tf->severity == TS_BLOCKER ? "BLOCKER" :
		 tf_severity_name((enum tf_severity)tf->severity));
	fputs("    ", f);
	output_word(f, color, tone[tf->severity % TS_NSEV], sev);
	fprintf(f, " %-22s %s", tf_code_name((enum tf_code)tf->code), safe);
	if (tf->samples) {
		const char *nl = strchr(tf->samples, '\n');
		/* lowest and highest offending key, each made safe on its own */
		char *lo = xstrndup(tf->samples, nl ? (size_t)(nl - tf->samples)
						   : strlen(tf->samples));
		char *slo = output_safe(lo), *shi = nl ? output_safe(nl + 1) : NULL;

		fprintf(f, " (e.g. %s%s%s)", slo, shi ? ", " : "", shi ? shi : "");
		free(slo);
		free(shi);
		free(lo);
	}
	fputc('\n', f);
	free(safe);
	free(msg);
}

static void text_error(FILE *f, bool color, const struct type_error *e)
{
	char *m = output_safe(e->message), *fx = output_safe(e->fix), *c = output_safe(e->cause);

	fputs("    ", f);
	output_word(f, color, 3, "error  ");
	fprintf(f, " %-22s could not check the data (%s): %s. %s\n", "PROBE_FAILED", c, m, fx);
	free(m);
	free(fx);
	free(c);
}

/* The findings (sorted by schema, table, column) and the failed probes of
 * each table together: a header per table, then its table findings, then a
 * line per column with its findings under it. */
static void text_tables(const struct type_result *r, FILE *f, bool color)
{
	struct type_error *errs = NULL;
	size_t i = 0, k = 0;

	if (r->nerrors) {
		errs = xcalloc(r->nerrors, sizeof *errs);
		memcpy(errs, r->errors, r->nerrors * sizeof *errs);
		qsort(errs, r->nerrors, sizeof *errs, cmp_error);
	}
	while (i < r->n || k < r->nerrors) {
		const char *schema, *table;
		char *s, *t;

		/* the next table, from whichever list comes first */
		if (k >= r->nerrors || (i < r->n && cmp_table(r->f[i].schema, r->f[i].table,
							       errs[k].schema, errs[k].table) <= 0)) {
			schema = r->f[i].schema;
			table = r->f[i].table;
		} else {
			schema = errs[k].schema;
			table = errs[k].table;
		}
		s = output_safe(schema);
		t = output_safe(table);
		fprintf(f, "\n%s.%s\n", s, t);
		free(s);
		free(t);
		while (i < r->n && !cmp_table(r->f[i].schema, r->f[i].table, schema, table)) {
			const struct type_finding *tf = &r->f[i];

			if (*tf->column && (i == 0 || r->f[i - 1].column != tf->column ||
					    r->f[i - 1].table != tf->table ||
					    r->f[i - 1].schema != tf->schema)) {
				char *c = output_safe(tf->column), *ty = output_safe(tf->pg_type);
				char *a = output_safe(tf->ardo_type), *sp = output_safe(tf->supported_type);

				fprintf(f, "  %s %s: ardoPostgreSQL %s, supported connector %s\n", c, ty,
					a, sp);
				free(c);
				free(ty);
				free(a);
				free(sp);
			}
			text_finding(f, color, tf);
			i++;
		}
		while (k < r->nerrors && !cmp_table(errs[k].schema, errs[k].table, schema, table))
			text_error(f, color, &errs[k++]);
	}
	free(errs);
}

bool type_result_write_text(const struct type_result *r, FILE *f, bool color)
{
	bool seen[TF_NCODES] = { false };

	{
		char *scope = output_safe(r->scope);

		fprintf(f, "Type verification of %s (%s)%s\n", scope, r->at,
			r->data_probed ? "" : ", catalog only (--no-data)");
		free(scope);
	}
	text_tables(r, f, color);
	for (size_t i = 0; i < r->n; i++)
		seen[r->f[i].code % TF_NCODES] = true;
	if (r->nunmatched || r->columns == 0)
		fputc('\n', f);
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
	{
		struct strbuf cs = STRBUF_INIT;

		type_counts_text(&cs, r->counts[TS_BLOCKER], r->counts[TS_WARNING],
				 r->counts[TS_INFO], r->columns, r->tables);
		fprintf(f, "\n%s", sb_str(&cs));
		sb_free(&cs);
	}
	if (r->data_probed)
		fprintf(f, "; data probed in %ld %s", r->probed_tables,
			plural(r->probed_tables, "table", "tables"));
	if (r->nerrors)
		fprintf(f, "; %zu %s could not be probed", r->nerrors,
			plural(r->nerrors, "table", "tables"));
	if (r->nunmatched)
		fprintf(f, "; %zu scope entr%s matched nothing", r->nunmatched,
			r->nunmatched == 1 ? "y" : "ies");
	fprintf(f, ".\n");
	if (r->not_probed) {
		/* what the counts do not cover, by name */
		long shown = 0;

		fprintf(f, "Not probed (%ld):", r->not_probed);
		for (size_t i = 0; i < r->n; i++) {
			char *s, *t;

			if (r->f[i].code != TF_NOT_PROBED)
				continue;
			s = output_safe(r->f[i].schema);
			t = output_safe(r->f[i].table);
			fprintf(f, "%s %s.%s", shown++ ? "," : "", s, t);
			free(s);
			free(t);
		}
		fprintf(f, ".\n");
	}
	if (r->columns == 0)
		fprintf(f, "Nothing was checked: this is not a pass.\n");
	fflush(f);
	return !ferror(f);
}
