/* pgcheck.c - the PostgreSQL checks of connector-migration (see pgcheck.h).
 *
 * Each check opens its own session with pg_login() (read-only,
 * application_name=osmigrate, statement_timeout, search_path pinned) so that
 * any one can run on its own from a screen or from `osmigrate check`; the
 * statements of one check share one READ ONLY transaction where a failure
 * ends the check anyway.  Privileges are read with has_*_privilege(), never
 * by trying a write.  A check that could not
 * reach the server reports CHECK_ERROR ("could not check"), except
 * target_connect/source_connect, whose subject is the connection itself. */
#include "config.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "pg.h"
#include "login.h"
#include "names.h"
#include "pgcheck.h"
#include "platformver.h"
#include "resolve.h"
#include "text.h"
#include "util.h"
#include "version.h"


/* ------------------------------------------------------------------ */
/* Support table.
 * Source: OutSystems 11 system requirements, "PostgreSQL database" (external
 * databases), as recorded in the project's domain.md section 2: 12.x and
 * 13.x supported since Platform Server 11.15.0; 17.x since 11.38.0; 12
 * unsupported from 11.38.0; 13 dropped from 11.40.0.  14, 15 and 16 are not
 * on the O11 page found (ODC lists 12-16): unverified.  Edit here only. */

struct pg_support_row {
	int major;
	const char *since;     /* first Platform Server version supporting it */
	const char *until;     /* first version no longer supporting it, NULL: none */
};
static const struct pg_support_row pg_support_table[] = {
	{ 12, "11.15.0", "11.38.0" },
	{ 13, "11.15.0", "11.40.0" },
	{ 17, "11.38.0", NULL },
};
static const int pg_unverified_majors[] = { 14, 15, 16, 18 };
#define PG_SUPPORT_SOURCE "OutSystems 11 system requirements (PostgreSQL database)"

static void bfmt(char *dst, size_t len, const char *fmt, ...) OSM_PRINTF(3, 4);
static void bfmt(char *dst, size_t len, const char *fmt, ...)
{
	va_list ap;

	if (!dst || !len)
		return;
	va_start(ap, fmt);
	vsnprintf(dst, len, fmt, ap);
	va_end(ap);
}

enum pg_support pg_support_classify(int server_version_num, const char *platform_version,
				    char *why, size_t whylen)
{
	int major = server_version_num / 10000; /* 9.6.24 (90624) -> 9 */
	int c;
	bool have_pv = version_parse(platform_version, NULL);
	char mname[16];

	if (server_version_num < 100000)
		bfmt(mname, sizeof mname, "%d.%d", major, server_version_num / 100 % 100);
	else
		bfmt(mname, sizeof mname, "%d", major);

	for (size_t i = 0; i < OSM_ARRAY_LEN(pg_support_table); i++) {
		const struct pg_support_row *r = &pg_support_table[i];

		if (r->major != major)
			continue;
		if (!have_pv) {
			if (r->until)
				bfmt(why, whylen, "PostgreSQL %s is supported by Platform Server %s up "
				     "to (not including) %s (%s); the Platform Server version is not "
				     "known here", mname, r->since, r->until, PG_SUPPORT_SOURCE);
			else
				bfmt(why, whylen, "PostgreSQL %s is supported from Platform Server %s "
				     "(%s); the Platform Server version is not known here", mname,
				     r->since, PG_SUPPORT_SOURCE);
			return PG_CONDITIONAL;
		}
		if (version_cmp(platform_version, r->since, &c) && c < 0) {
			bfmt(why, whylen, "PostgreSQL %s needs Platform Server %s or later; this "
			     "one is %s (%s)", mname, r->since, platform_version, PG_SUPPORT_SOURCE);
			return PG_UNSUPPORTED;
		}
		if (r->until && version_cmp(platform_version, r->until, &c) && c >= 0) {
			bfmt(why, whylen, "PostgreSQL %s is no longer supported from Platform Server "
			     "%s; this one is %s (%s)", mname, r->until, platform_version,
			     PG_SUPPORT_SOURCE);
			return PG_UNSUPPORTED;
		}
		bfmt(why, whylen, "PostgreSQL %s is supported by Platform Server %s (%s)", mname,
		     platform_version, PG_SUPPORT_SOURCE);
		return PG_SUPPORTED;
	}
	for (size_t i = 0; i < OSM_ARRAY_LEN(pg_unverified_majors); i++)
		if (pg_unverified_majors[i] == major) {
			bfmt(why, whylen, "PostgreSQL %s is unverified: no OutSystems 11 source lists "
			     "it (%s; OutSystems Developer Cloud, another product, lists others). "
			     "Check your OutSystems support matrix", mname, PG_SUPPORT_SOURCE);
			return PG_UNVERIFIED;
		}
	if (major > pg_support_table[OSM_ARRAY_LEN(pg_support_table) - 1].major) {
		bfmt(why, whylen, "PostgreSQL %s is newer than the built-in support table "
		     "(%s): unverified. Check your OutSystems support matrix", mname,
		     PG_SUPPORT_SOURCE);
		return PG_UNVERIFIED;
	}
	bfmt(why, whylen, "PostgreSQL %s is not supported for OutSystems 11 external databases "
	     "(supported: 12 and 13 from Platform Server 11.15.0, 17 from 11.38.0; %s)", mname,
	     PG_SUPPORT_SOURCE);
	return PG_UNSUPPORTED;
}

void pg_override_from_settings(const struct doc *d, struct pg_override *ov)
{
	ov->supported = doc_get(d, "pg_support", NULL, "supported");
	ov->unsupported = doc_get(d, "pg_support", NULL, "unsupported");
	ov->matrix = doc_get(d, "pg_support", NULL, "matrix");
}

/* Is major among the words of list ("14 16", "14,16")? */
static bool major_listed(const char *list, int major)
{
	for (const char *p = list; p && *p;) {
		size_t d = strspn(p, "0123456789");

		if (d && atoi(p) == major)
			return true;
		p += d ? d : 1;
		p += strspn(p, " ,");
	}
	return false;
}

static const char *pg_support_word(enum pg_support s)
{
	switch (s) {
	case PG_SUPPORTED: return "supported";
	case PG_CONDITIONAL: return "depends on the version";
	case PG_UNVERIFIED: return "unverified";
	case PG_UNSUPPORTED: return "not supported";
	}
	return "?";
}

enum pg_support pg_support_judge(int server_version_num, const char *platform_version,
				 const struct pg_override *ov, char *why, size_t whylen)
{
	char table[600];
	enum pg_support t = pg_support_classify(server_version_num, platform_version, table,
						sizeof table);
	int major = server_version_num / 10000;
	bool sup = ov && major_listed(ov->supported, major);
	bool uns = ov && major_listed(ov->unsupported, major);

	if (!sup && !uns) {
		bfmt(why, whylen, "%s", table);
		return t;
	}
	if (str_empty(ov->matrix)) {
		bfmt(why, whylen, "%s. [pg_support] lists PostgreSQL %d, but is not applied: give "
		     "[pg_support] matrix (where your support matrix says so)", table, major);
		return t;
	}
	if (sup && uns) {
		bfmt(why, whylen, "%s. [pg_support] lists PostgreSQL %d as both supported and "
		     "unsupported: not applied", table, major);
		return t;
	}
	bfmt(why, whylen, "PostgreSQL %d is %s by your support matrix (\"%s\", [pg_support]); "
	     "the built-in table says: %s", major, sup ? "supported" : "not supported",
	     ov->matrix, table);
	return sup ? PG_SUPPORTED : PG_UNSUPPORTED;
}

/* ------------------------------------------------------------------ */
/* Helpers */

/* The password a settings section's connection uses (login.h). */
static enum secret_kind secret_of(const char *section)
{
	return str_eq(section, "source") ? SECRET_SOURCE_PASSWORD : SECRET_TARGET_PASSWORD;
}

/* Connect to a settings section.  On failure adds a result: with id/label
 * and status st_fail, or, when the section is missing, an error saying so.
 * Returns NULL then. */
static PGconn *open_section(const struct check_env *env, struct check_report *rep,
			    const char *section, const char *id, const char *label,
			    enum check_status st_fail, struct pg_spec *spec,
			    struct pg_failure *failout)
{
	char msg[512];
	struct pg_failure fail;
	PGconn *c;

	if (!pg_spec_from_doc(spec, env->settings, section, NULL, msg, sizeof msg)) {
		char *fix = xasprintf("Fill in the %s connection (connection step, or [%s] in the "
				      "answers file: host, port, dbname, user, sslmode; or service; "
				      "or conninfo).", section, section);

		check_add(rep, id, label, CHECK_ERROR, msg, NULL, fix);
		free(fix);
		if (failout) {
			memset(failout, 0, sizeof *failout);
			failout->cls = PG_FAIL_OTHER;
		}
		return NULL;
	}
	c = pg_login(spec, secret_of(section), env->ctx, &fail);
	if (failout)
		*failout = fail;
	if (!c) {
		enum check_status st = fail.cls == PG_FAIL_CANCELLED ? CHECK_ERROR : st_fail;
		char *sum = xasprintf("%s%s: %s", st == CHECK_ERROR ? "could not check: " : "",
				      pg_fail_name(fail.cls), fail.message);

		check_add(rep, id, label, st, sum, NULL, fail.fix)->needs = fail.needs;
		free(sum);
		pg_spec_free(spec);
		return NULL;
	}
	return c;
}

/* The statements of one check in one READ ONLY transaction (pg.h): fewer
 * round trips, and a latency measured on the statements alone.  On failure
 * adds an error result. */
static bool begin_reads(const struct check_env *env, struct check_report *rep, PGconn *c,
			const char *id, const char *label)
{
	char err[512];

	if (pg_read_begin(c, env->ctx, false, err, sizeof err))
		return true;
	check_add(rep, id, label, CHECK_ERROR, err, NULL,
		  "Connected, but could not start a read-only transaction: run the check again; "
		  "if it persists, try the same parameters with psql.");
	return false;
}

/* open_section, then begin_reads: the session of a check whose statements
 * all run in one read-only transaction.  On failure adds the result, frees
 * what it opened and returns NULL. */
static PGconn *open_reads(const struct check_env *env, struct check_report *rep,
			  const char *section, const char *id, const char *label,
			  enum check_status st_fail, struct pg_spec *spec)
{
	PGconn *c = open_section(env, rep, section, id, label, st_fail, spec, NULL);

	if (c && !begin_reads(env, rep, c, id, label)) {
		PQfinish(c);
		pg_spec_free(spec);
		return NULL;
	}
	return c;
}

/* A label for a check about a connection: "connection to target host:5432/db as u". */
static char *conn_label(const char *what, const struct check_env *env, const char *section)
{
	struct pg_spec s;
	char msg[256];
	char *l;

	if (pg_spec_from_doc(&s, env->settings, section, NULL, msg, sizeof msg)) {
		l = xasprintf("%s %s", what, s.label);
		pg_spec_free(&s);
	} else {
		l = xasprintf("%s %s", what, section);
	}
	return l;
}

/* The settings validator only lets schema.table through; should anything
 * else arrive, it is looked up as written and reported as not found. */
static void split_table(const char *word, char **schema, char **table)
{
	if (!names_qualified(word, schema, table, NULL, 0)) {
		*schema = xstrdup("");
		*table = xstrdup(word);
	}
}


/* A Unix socket, or a TCP connection whose address (not name: a name
 * such as 127.0.0.1.example.com may lead anywhere) is a loopback one: the
 * data never crosses a network, so TLS off is not worth a warning. */
static bool is_local_connection(PGconn *c)
{
	const char *h = PQhost(c);

	if (str_empty(h) || h[0] == '/')
		return true;
	return ip_is_loopback(PQhostaddr(c));
}

/* ------------------------------------------------------------------ */
/* pg_version */

/* The verdict per environment: LifeTime's OSVersion of each, else the
 * typed version, else unknown (one verdict, "only on some versions"). */
void pg_version_verdict(struct check_report *rep, const char *id, const char *label, int num,
			const char *flavour, const struct platform_versions *pvs,
			const struct pg_override *ov)
{
	enum pg_support sup;
	char why[900];

	{
		struct strbuf det = STRBUF_INIT, fix = STRBUF_INIT, where = STRBUF_INIT;
		size_t counts[PG_UNSUPPORTED + 1] = { 0 };
		enum check_status st = CHECK_OK;
		char *sum;
		size_t n;

		n = pvs->n ? pvs->n : 1;
		for (size_t i = 0; i < n; i++) {
			const char *ver = pvs->n ? pvs->env[i].version : NULL;

			sup = pg_support_judge(num, ver, ov, why, sizeof why);
			counts[sup]++;
			if (pvs->source == PV_LIFETIME)
				sb_addf(&det, "%s (Platform Server %s, LifeTime): %s: %s\n",
					pvs->env[i].name, ver ? ver : "not reported",
					pg_support_word(sup), why);
			else if (pvs->source == PV_TYPED)
				sb_addf(&det, "Platform Server %s (typed): %s: %s\n", ver,
					pg_support_word(sup), why);
			else
				sb_addf(&det, "Platform Server version unknown: %s\n", why);
			if (sup == PG_UNSUPPORTED && pvs->source == PV_LIFETIME)
				sb_addf(&where, "%s%s", where.len ? ", " : "", pvs->env[i].name);
		}
		if (pvs->problem[0])
			sb_addf(&det, "LifeTime was not used: %s\n", pvs->problem);
		if (pvs->disagreement)
			sb_addf(&det, "Note: %s.\n", pvs->disagreement);
		if (!str_empty(ov->matrix))
			sb_addf(&det, "Your support matrix ([pg_support] matrix): %s\n", ov->matrix);

		if (counts[PG_UNSUPPORTED]) {
			st = CHECK_FAILED;
			sum = pvs->source == PV_LIFETIME
				? xasprintf("%s: not supported on %zu of %zu environments (%s)", flavour,
					    counts[PG_UNSUPPORTED], n, sb_str(&where))
				: xasprintf("%s: not supported%s", flavour,
					    pvs->source == PV_TYPED ? " on the typed Platform Server "
					    "version" : "");
			sb_add(&fix, "Upgrade the database server to a version supported by every "
			       "environment's Platform Server (13 up to Platform Server 11.39, 17 "
			       "from 11.38.0), or upgrade the Platform Server, before switching "
			       "connectors. If your OutSystems support matrix says otherwise, record "
			       "it in [pg_support] (supported, matrix).");
		} else if (counts[PG_UNVERIFIED]) {
			st = CHECK_WARNING;
			sum = xasprintf("%s: unverified, check your OutSystems support matrix",
					flavour);
			sb_add(&fix, "Confirm with OutSystems (support matrix for your Platform "
			       "Server version) that this PostgreSQL version is supported before "
			       "switching connectors, and record it in [pg_support] (supported, "
			       "matrix).");
		} else if (counts[PG_CONDITIONAL]) {
			st = CHECK_WARNING;
			sum = xasprintf("%s: supported only on some Platform Server versions%s",
					flavour, pvs->source == PV_LIFETIME
					? " (LifeTime reports no version for some environments)" : "");
			sb_add(&fix, "Give the Platform Server version: configure [lifetime] (each "
			       "environment's version is read from it) or type it on the "
			       "prerequisites screen (Service Center > Administration > Environment "
			       "Health), so it can be checked against the support table.");
		} else {
			sum = pvs->source == PV_LIFETIME
				? xasprintf("%s: supported on all %zu environments (LifeTime)", flavour, n)
				: xasprintf("%s: supported on Platform Server %s (typed)", flavour,
					    pvs->typed);
		}
		if (!str_empty(ov->matrix) && (major_listed(ov->supported, num / 10000) ||
					      major_listed(ov->unsupported, num / 10000))) {
			char *s2 = xasprintf("%s; by your support matrix", sum);

			free(sum);
			sum = s2;
		}
		if (pvs->disagreement) {
			char *s2 = xasprintf("%s; the typed Platform Server version is not "
					     "LifeTime's", sum);

			free(sum);
			sum = s2;
		}
		check_add(rep, id, label, st, sum, sb_str(&det),
			  st == CHECK_OK ? NULL : sb_str(&fix))->needs =
			pvs->needs_token ? SECRET_LIFETIME_TOKEN : SECRET_NONE;
		free(sum);
		sb_free(&det);
		sb_free(&fix);
		sb_free(&where);
	}
}


void check_pg_version(const struct check_env *env, struct check_report *rep)
{
	struct pg_spec spec;
	PGconn *c;
	PGresult *r;
	char err[512];
	const char *id = "pg_version";
	char *label = conn_label("PostgreSQL version of", env, "target");
	int num;
	bool aurora;
	char *flavour;

	c = open_reads(env, rep, "target", id, label, CHECK_ERROR, &spec);
	if (!c) {
		/* Could not check; the connection failure itself is target_connect's subject. */
		free(label);
		return;
	}
	r = pg_query(c, env->ctx,
		     "SELECT pg_catalog.current_setting('server_version_num')::pg_catalog.int4, "
		     "pg_catalog.current_setting('server_version'), "
		     /* Aurora's own function, in pg_catalog: one a user created
		      * elsewhere is neither called nor taken for Aurora. */
		     "EXISTS (SELECT 1 FROM pg_catalog.pg_proc p "
		     "JOIN pg_catalog.pg_namespace n ON n.oid OPERATOR(pg_catalog.=) p.pronamespace "
		     "WHERE p.proname OPERATOR(pg_catalog.=) 'aurora_version' "
		     "AND n.nspname OPERATOR(pg_catalog.=) 'pg_catalog')",
		     0, NULL, err, sizeof err);
	if (!r) {
		check_add(rep, id, label, CHECK_ERROR, err, NULL,
			  "Could not read the server version: check that the user may connect "
			  "and run SELECT, then run the check again.");
		goto out;
	}
	num = atoi(PQgetvalue(r, 0, 0));
	aurora = str_eq(PQgetvalue(r, 0, 2), "t");
	flavour = xasprintf("PostgreSQL %s", PQgetvalue(r, 0, 1));
	PQclear(r);
	if (aurora) {
		r = pg_query(c, env->ctx, "SELECT pg_catalog.aurora_version()", 0, NULL, err, sizeof err);
		free(flavour);
		if (r && PQntuples(r) == 1) {
			flavour = xasprintf("Aurora PostgreSQL %s (PostgreSQL %d.%d compatible)",
					    PQgetvalue(r, 0, 0), num / 10000, num % 10000);
		} else {
			flavour = xasprintf("Aurora PostgreSQL (PostgreSQL %d.%d compatible)",
					    num / 10000, num % 10000);
		}
		PQclear(r);
	}

	{
		struct platform_versions pvs;
		struct pg_override ov;

		platform_versions_read(env, &pvs);
		pg_override_from_settings(env->settings, &ov);
		pg_version_verdict(rep, id, label, num, flavour, &pvs, &ov);
		platform_versions_free(&pvs);
	}
	free(flavour);
out:
	PQfinish(c);
	pg_spec_free(&spec);
	free(label);
}

/* ------------------------------------------------------------------ */
/* target_connect / source_connect */

/* Sub-millisecond resolution: a LAN round trip is often below 1 ms. */
static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1000.0 + (double)ts.tv_nsec / 1e6;
}

static void connect_check(const struct check_env *env, struct check_report *rep,
			  const char *section, const char *id)
{
	struct pg_spec spec;
	PGconn *c;
	PGresult *r;
	char err[512];
	char *label = conn_label("connection to", env, section);
	double best = -1;
	const char *host;
	bool tls, local;
	char *sum, *detail, *fix = NULL;
	enum check_status st = CHECK_OK;
	int v;

	c = open_reads(env, rep, section, id, label, CHECK_FAILED, &spec);
	if (!c) {
		free(label);
		return;
	}
	/* Round-trip latency: the best of three trivial statements, so one
	 * scheduling hiccup does not make a fast link look slow. */
	for (int i = 0; i < 3; i++) {
		double t0 = now_ms(), dt;

		r = pg_query(c, env->ctx, "SELECT 1", 0, NULL, err, sizeof err);
		if (!r)
			break;
		PQclear(r);
		dt = now_ms() - t0;
		if (best < 0 || dt < best)
			best = dt;
	}
	r = pg_query(c, env->ctx, "SELECT current_user, pg_catalog.current_database()", 0, NULL, err,
		     sizeof err);
	if (!r) {
		check_add(rep, id, label, CHECK_ERROR, err, NULL,
			  "Connected, but a simple SELECT failed: run the check again; if it "
			  "persists, try the same parameters with psql.");
		goto out;
	}
	host = PQhost(c);
	tls = PQsslInUse(c);
	local = is_local_connection(c);
	v = PQserverVersion(c);
	sum = xasprintf("PostgreSQL %s, TLS %s%s, %.1f ms, user %s, database %s",
			PQparameterStatus(c, "server_version") ? PQparameterStatus(c, "server_version")
							       : "?",
			tls ? "on" : "off", (!tls && local) ? " (local connection)" : "",
			best < 0 ? 0 : best, PQgetvalue(r, 0, 0), PQgetvalue(r, 0, 1));
	detail = xasprintf("server %s port %s, server_version_num %d%s%s",
			   host ? host : "?", PQport(c) ? PQport(c) : "?", v,
			   tls ? ", TLS protocol " : "",
			   tls && PQsslAttribute(c, "protocol") ? PQsslAttribute(c, "protocol") : "");
	PQclear(r);
	if (!tls && !local) {
		st = CHECK_WARNING;
		fix = xstrdup("The connection is not encrypted: the password and data cross the "
			      "network in clear. Set sslmode = require (better verify-full with "
			      "sslrootcert) here and SSL Mode in the Service Center connection.");
	}
	check_add(rep, id, label, st, sum, detail, fix);
	free(sum);
	free(detail);
	free(fix);
out:
	PQfinish(c);
	pg_spec_free(&spec);
	free(label);
}

void check_target_connect(const struct check_env *env, struct check_report *rep)
{
	connect_check(env, rep, "target", "target_connect");
}

void check_source_connect(const struct check_env *env, struct check_report *rep)
{
	/* [source] is optional: without it there is nothing to check and no
	 * result claims otherwise. */
	if (!doc_has_section(env->settings, "source", NULL))
		return;
	connect_check(env, rep, "source", "source_connect");
}

/* ------------------------------------------------------------------ */
/* target_privileges */

static const char *const crud[] = { "SELECT", "INSERT", "UPDATE", "DELETE" };

void check_target_privileges(const struct check_env *env, struct check_report *rep)
{
	const char *id = "target_privileges";
	char *label = conn_label("privileges of", env, "target");
	struct pg_spec spec;
	PGconn *c;
	PGresult *r;
	char err[512];
	struct strbuf missing = STRBUF_INIT, detail = STRBUF_INIT;
	size_t nschemas = 0, ntables = 0, nbad = 0, nshown = 0, nexts = 0;
	char **schemas;
	const char **exts;
	char *user = NULL;

	c = open_reads(env, rep, "target", id, label, CHECK_ERROR, &spec);
	if (!c) {
		free(label);
		return;
	}
	r = pg_query(c, env->ctx, "SELECT current_user", 0, NULL, err, sizeof err);
	if (!r) {
		check_add(rep, id, label, CHECK_ERROR, err, NULL,
			  "Could not run a query on the target: run the check again.");
		goto out;
	}
	user = xstrdup(PQgetvalue(r, 0, 0));
	PQclear(r);

	schemas = names_split(doc_get(env->settings, "scope", NULL, "schemas"), &nschemas);
	for (size_t i = 0; i < nschemas; i++) {
		char *s;
		const char *p[1];

		if (!names_ident(schemas[i], &s))
			s = xstrdup(schemas[i]); /* looked up as written: reported as missing */
		p[0] = s;

		r = pg_query(c, env->ctx,
			     "SELECT pg_catalog.has_schema_privilege(oid, 'USAGE') "
			     "FROM pg_catalog.pg_namespace WHERE nspname OPERATOR(pg_catalog.=) $1",
			     1, p, err, sizeof err);
		if (!r) {
			check_add(rep, id, label, CHECK_ERROR, err, NULL,
				  "A privilege query failed: run the check again.");
			free(s);
			names_free(schemas);
			goto out;
		}
		if (PQntuples(r) == 0) {
			sb_addf(&missing, "%sschema %s does not exist", nbad ? "; " : "", s);
			nbad++;
			nshown++;
		} else if (!str_eq(PQgetvalue(r, 0, 0), "t")) {
			sb_addf(&missing, "%sschema %s: no USAGE", nbad ? "; " : "", s);
			nbad++;
			nshown++;
		} else {
			sb_addf(&detail, "schema %s: USAGE\n", s);
		}
		PQclear(r);
		free(s);
	}
	names_free(schemas);

	/* One parameterised query per table: the names travel as $1/$2 (the
	 * read-only proof test looks for exactly that in the server log), and
	 * the loop polls cancel and reports progress between tables. */
	exts = doc_section_names(env->settings, "extension", &nexts);
	for (size_t e = 0; e < nexts; e++) {
		size_t nt = 0;
		char **tables;

		if (env->item && !str_eq(env->item, exts[e]))
			continue;
		tables = names_split(doc_get(env->settings, "extension", exts[e], "tables"), &nt);
		for (size_t t = 0; t < nt; t++) {
			char *schema, *table;
			const char *p[2];
			struct strbuf lack = STRBUF_INIT;
			bool shown = nshown < 5; /* the summary stays one readable line */

			if (ctx_cancelled(env->ctx)) {
				check_add(rep, id, label, CHECK_ERROR, "cancelled", NULL,
					  "Cancelled: run the check again.");
				names_free(tables);
				free(exts);
				goto out;
			}
			ctx_progress(env->ctx, "table privileges", (long)ntables, 0);
			split_table(tables[t], &schema, &table);
			p[0] = schema;
			p[1] = table;
			r = pg_query(c, env->ctx,
				     "SELECT pg_catalog.has_table_privilege(c.oid, 'SELECT'), "
				     "pg_catalog.has_table_privilege(c.oid, 'INSERT'), "
				     "pg_catalog.has_table_privilege(c.oid, 'UPDATE'), "
				     "pg_catalog.has_table_privilege(c.oid, 'DELETE'), "
				     "pg_catalog.has_schema_privilege(n.oid, 'USAGE') "
				     "FROM pg_catalog.pg_class c "
				     "JOIN pg_catalog.pg_namespace n "
				     "ON n.oid OPERATOR(pg_catalog.=) c.relnamespace "
				     "WHERE n.nspname OPERATOR(pg_catalog.=) $1 "
				     "AND c.relname OPERATOR(pg_catalog.=) $2 "
				     "AND c.relkind OPERATOR(pg_catalog.=) "
				     "ANY ('{r,p,v,m,f}'::pg_catalog.\"char\"[])",
				     2, p, err, sizeof err);
			if (!r) {
				check_add(rep, id, label, CHECK_ERROR, err, NULL,
					  "A privilege query failed: run the check again.");
				free(schema);
				free(table);
				names_free(tables);
				free(exts);
				goto out;
			}
			ntables++;
			if (PQntuples(r) == 0) {
				sb_addf(&detail, "%s.%s (extension %s): does not exist\n", schema,
					table, exts[e]);
				if (shown) {
					sb_addf(&missing, "%s%s.%s (extension %s) does not exist",
						nbad ? "; " : "", schema, table, exts[e]);
					nshown++;
				}
				nbad++;
			} else {
				for (int k = 0; k < 4; k++)
					if (!str_eq(PQgetvalue(r, 0, k), "t"))
						sb_addf(&lack, "%s%s", lack.len ? ", " : "", crud[k]);
				if (!str_eq(PQgetvalue(r, 0, 4), "t"))
					sb_addf(&lack, "%sUSAGE on schema %s", lack.len ? ", " : "",
						schema);
				if (lack.len) {
					sb_addf(&detail, "%s.%s: no %s\n", schema, table, sb_str(&lack));
					if (shown) {
						sb_addf(&missing, "%s%s.%s: no %s", nbad ? "; " : "",
							schema, table, sb_str(&lack));
						nshown++;
					}
					nbad++;
				} else {
					sb_addf(&detail, "%s.%s: SELECT, INSERT, UPDATE, DELETE\n",
						schema, table);
				}
			}
			sb_free(&lack);
			PQclear(r);
			free(schema);
			free(table);
		}
		names_free(tables);
	}
	free(exts);
	if (nbad > nshown)
		sb_addf(&missing, "; and %zu more (see the detail)", nbad - nshown);

	if (nschemas == 0 && ntables == 0) {
		/* Nothing was checked: could not check, never a pass. */
		check_add(rep, id, label, CHECK_ERROR, "could not check: nothing in scope", NULL,
			  "List the schemas in scope ([scope] schemas) and each extension's tables "
			  "([extension \"NAME\"] tables = schema.table ...) so privileges can be "
			  "checked.");
	} else if (nbad) {
		char *sum = xasprintf("user %s: %s", user, sb_str(&missing));
		char *fix = xasprintf("Grant what is missing to %s (as the owner or a superuser, "
				      "e.g. GRANT USAGE ON SCHEMA s TO %s; GRANT SELECT, INSERT, "
				      "UPDATE, DELETE ON s.t TO %s), or correct the table list.",
				      user, user, user);

		check_add(rep, id, label, CHECK_FAILED, sum, sb_str(&detail), fix);
		free(sum);
		free(fix);
	} else {
		char *sum = xasprintf("user %s: USAGE on %zu schema%s, CRUD on %zu table%s", user,
				      nschemas, nschemas == 1 ? "" : "s", ntables,
				      ntables == 1 ? "" : "s");

		check_add(rep, id, label, CHECK_OK, sum, sb_str(&detail), NULL);
		free(sum);
	}
out:
	sb_free(&missing);
	sb_free(&detail);
	free(user);
	PQfinish(c);
	pg_spec_free(&spec);
	free(label);
}

/* ------------------------------------------------------------------ */
/* ardo_sessions */

void check_ardo_sessions(const struct check_env *env, struct check_report *rep)
{
	const char *id = "ardo_sessions";
	const char *section = doc_has_section(env->settings, "source", NULL) ? "source"
									      : "target";
	char *label = conn_label("ardoPostgreSQL sessions on", env, section);
	struct pg_spec spec;
	PGconn *c;
	PGresult *r;
	char err[512];
	long n;
	bool full;
	char *sum, *detail, *who;

	c = open_section(env, rep, section, id, label, CHECK_ERROR, &spec, NULL);
	if (!c) {
		free(label);
		return;
	}
	/* application_name is visible for every session; addresses, users and
	 * start times only with pg_read_all_stats (or as superuser). */
	r = pg_query(c, env->ctx,
		     "SELECT pg_catalog.count(*), "
		     "COALESCE(pg_catalog.string_agg(DISTINCT "
		     "COALESCE(usename::pg_catalog.text, '(hidden user)') "
		     "OPERATOR(pg_catalog.||) ' from ' OPERATOR(pg_catalog.||) "
		     "COALESCE(pg_catalog.host(client_addr), CASE WHEN backend_start IS NULL THEN "
		     "'(hidden address)' ELSE 'local socket' END) "
		     "OPERATOR(pg_catalog.||) ' to ' OPERATOR(pg_catalog.||) "
		     "COALESCE(datname::pg_catalog.text, '?'), ', '), ''), "
		     "(SELECT rolsuper FROM pg_catalog.pg_roles "
		     "WHERE rolname OPERATOR(pg_catalog.=) current_user) OR "
		     /* pg_read_all_stats exists from PostgreSQL 10 on */
		     "CASE WHEN EXISTS (SELECT 1 FROM pg_catalog.pg_roles "
		     "WHERE rolname OPERATOR(pg_catalog.=) 'pg_read_all_stats') "
		     "THEN pg_catalog.pg_has_role(current_user, 'pg_read_all_stats', 'MEMBER') "
		     "ELSE false END "
		     "FROM pg_catalog.pg_stat_activity "
		     "WHERE application_name OPERATOR(pg_catalog.=) 'ardoPGSQL'",
		     0, NULL, err, sizeof err);
	if (!r) {
		check_add(rep, id, label, CHECK_ERROR, err, NULL,
			  "Could not read pg_stat_activity: run the check again.");
		goto out;
	}
	n = atol(PQgetvalue(r, 0, 0));
	full = str_eq(PQgetvalue(r, 0, 2), "t");
	/* Role and database names are the server's words: one line of them. */
	who = text_safe(PQgetvalue(r, 0, 1));
	detail = xasprintf("%s%s%s", who, *who ? "\n" : "",
			   full ? "full visibility (superuser or pg_read_all_stats)"
				: "visibility limited: this role is not a member of "
				  "pg_read_all_stats, so the users and client addresses of other "
				  "roles' sessions are hidden (their count is still exact)");
	/* Only ardo's basic connection form sets ApplicationName=ardoPGSQL; a
	 * connection made with its advanced form uses the administrator's own
	 * connection string, which may set none (domain.md section 2).  The
	 * count is what was observed, and says what it cannot show. */
	{
		char *d2 = xasprintf("%s\nOnly ardoPostgreSQL's basic connection form sets "
				     "application_name = 'ardoPGSQL'; a connection configured with "
				     "its advanced form uses the administrator's own connection "
				     "string, which may set no application name, and its sessions "
				     "are not counted here. So 0 does not prove that nothing uses "
				     "ardoPostgreSQL: Service Center (Administration > Database "
				     "Connections, Provider Name PostgreSQL) lists ardo's "
				     "connections.", detail);

		free(detail);
		detail = d2;
	}
	if (n == 0) {
		sum = xasprintf("0 sessions with application_name = 'ardoPGSQL'%s; only ardo's "
				"basic connection form sets that name, so this does not prove that "
				"nothing uses ardoPostgreSQL",
				full ? "" : " (visibility limited: not pg_read_all_stats)");
		check_add(rep, id, label, CHECK_OK, sum, detail, NULL);
	} else {
		sum = xasprintf("%ld session%s with application_name = 'ardoPGSQL' (ardo's basic "
				"connection form): %s; sessions of its advanced form are not "
				"counted", n, n == 1 ? "" : "s", *who ? who : "(details hidden)");
		check_add(rep, id, label, CHECK_WARNING, sum, detail,
			  "These sessions come from modules still bound to an ardoPostgreSQL "
			  "connection: rebind their extensions (rebind step) and republish; once "
			  "every extension is switched this count should drop to 0 (connections "
			  "of ardo's advanced form never show here: check them in Service "
			  "Center).");
	}
	free(sum);
	free(detail);
	free(who);
	PQclear(r);
out:
	PQfinish(c);
	pg_spec_free(&spec);
	free(label);
}

/* ------------------------------------------------------------------ */
/* tables_accessible */

void check_tables_accessible(const struct check_env *env, struct check_report *rep)
{
	size_t nexts = 0;
	const char **exts = doc_section_names(env->settings, "extension", &nexts);
	char *label0 = conn_label("tables through", env, "target");
	struct pg_spec spec;
	PGconn *c = NULL;
	struct pg_failure fail;
	bool any = false;

	for (size_t e = 0; e < nexts; e++)
		if (!env->item || str_eq(env->item, exts[e]))
			any = true;
	if (!any) {
		check_add(rep, "tables_accessible", label0, CHECK_ERROR,
			  env->item ? "could not check: no such extension in the settings"
				    : "could not check: no extension listed",
			  NULL,
			  "List each extension with its tables ([extension \"NAME\"] tables = "
			  "schema.table ...) so that their tables can be checked.");
		free(exts);
		free(label0);
		return;
	}
	if (!pg_spec_from_doc(&spec, env->settings, "target", NULL, fail.message,
			      sizeof fail.message)) {
		check_add(rep, "tables_accessible", label0, CHECK_ERROR, fail.message, NULL,
			  "Fill in the target connection (connection step or [target]).");
		free(exts);
		free(label0);
		return;
	}
	c = pg_login(&spec, SECRET_TARGET_PASSWORD, env->ctx, &fail);

	for (size_t e = 0; e < nexts; e++) {
		char *id, *label;
		size_t nt = 0, nok = 0;
		char **tables;
		struct strbuf bad = STRBUF_INIT, detail = STRBUF_INIT;
		const char *list;

		if (env->item && !str_eq(env->item, exts[e]))
			continue;
		id = xasprintf("tables_accessible:%s", exts[e]);
		label = xasprintf("tables of extension %s through the target", exts[e]);
		if (!c) {
			char *sum = xasprintf("could not connect: %s: %s", pg_fail_name(fail.cls),
					      fail.message);

			check_add(rep, id, label, CHECK_ERROR, sum, NULL, fail.fix)->needs = fail.needs;
			free(sum);
			free(id);
			free(label);
			continue;
		}
		list = doc_get(env->settings, "extension", exts[e], "tables");
		tables = names_split(list, &nt);
		for (size_t t = 0; t < nt; t++) {
			char *schema, *table, *qs, *qt, *sql, err[512];
			PGresult *r;

			if (ctx_cancelled(env->ctx))
				break;
			ctx_progress(env->ctx, exts[e], (long)t, (long)nt);
			split_table(tables[t], &schema, &table);
			qs = pg_quote_ident(c, schema);
			qt = pg_quote_ident(c, table);
			if (!qs || !qt) {
				sb_addf(&bad, "%s%s: not a valid name", bad.len ? "; " : "", tables[t]);
				free(qs);
				free(qt);
				free(schema);
				free(table);
				continue;
			}
			/* A real read that returns no row: the executor checks every
			 * privilege (column grants, RLS policies) as the application will. */
			sql = xasprintf("SELECT * FROM %s.%s LIMIT 0", qs, qt);
			r = pg_query(c, env->ctx, sql, 0, NULL, err, sizeof err);
			if (r) {
				nok++;
				sb_addf(&detail, "%s.%s: readable, %d columns\n", schema, table,
					PQnfields(r));
				PQclear(r);
			} else {
				sb_addf(&bad, "%s%s.%s: %s", bad.len ? "; " : "", schema, table, err);
			}
			free(sql);
			free(qs);
			free(qt);
			free(schema);
			free(table);
		}
		if (ctx_cancelled(env->ctx)) {
			check_add(rep, id, label, CHECK_ERROR, "cancelled", NULL,
				  "Cancelled: run the check again.");
		} else if (nt == 0) {
			check_add(rep, id, label, CHECK_ERROR, "could not check: no tables listed", NULL,
				  "List the tables this extension uses ([extension] tables = "
				  "schema.table ...), as shown in Integration Studio.");
		} else if (bad.len) {
			char *sum = xasprintf("%zu of %zu tables not accessible: %s", nt - nok, nt,
					      sb_str(&bad));

			check_add(rep, id, label, CHECK_FAILED, sum, sb_str(&detail),
				  "Create the missing tables or grant SELECT on them to the target "
				  "connection's user, or correct the extension's table list; Refresh "
				  "Entity in Integration Studio fails on these.");
			free(sum);
		} else {
			char *sum = xasprintf("%zu table%s readable", nt, nt == 1 ? "" : "s");

			check_add(rep, id, label, CHECK_OK, sum, sb_str(&detail), NULL);
			free(sum);
		}
		names_free(tables);
		sb_free(&bad);
		sb_free(&detail);
		free(id);
		free(label);
	}
	if (c)
		PQfinish(c);
	pg_spec_free(&spec);
	free(exts);
	free(label0);
}
