/* test_pg.c - the PostgreSQL support table, failure classification from
 * real libpq/server message texts, and connection specs.  Tests against a
 * live server are in tests/e2e/pg_*.sh. */
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>

#include "doc.h"
#include "pg.h"
#include "pgcheck.h"
#include "platformver.h"
#include "result.h"
#include "util.h"

static enum pg_support cls(int num, const char *pv)
{
	char why[600];

	why[0] = '\0';
	enum pg_support s = pg_support_classify(num, pv, why, sizeof why);
	cr_assert(why[0] != '\0', "every classification explains itself");
	return s;
}

Test(pg_support, postgres_12_window)
{
	cr_assert_eq(cls(120015, "11.14.2"), PG_UNSUPPORTED);
	cr_assert_eq(cls(120015, "11.15.0"), PG_SUPPORTED);
	cr_assert_eq(cls(120015, "11.37.9"), PG_SUPPORTED);
	cr_assert_eq(cls(120015, "11.38.0"), PG_UNSUPPORTED);
	cr_assert_eq(cls(120015, NULL), PG_CONDITIONAL);
}

Test(pg_support, postgres_13_dropped_from_11_40)
{
	cr_assert_eq(cls(130004, "11.15.0"), PG_SUPPORTED);
	cr_assert_eq(cls(130004, "11.39.1"), PG_SUPPORTED);
	cr_assert_eq(cls(130004, "11.40.0"), PG_UNSUPPORTED);
	cr_assert_eq(cls(130004, "11.41"), PG_UNSUPPORTED);
	cr_assert_eq(cls(130004, ""), PG_CONDITIONAL);
}

Test(pg_support, postgres_17_from_11_38)
{
	cr_assert_eq(cls(170002, "11.37.0"), PG_UNSUPPORTED);
	cr_assert_eq(cls(170002, "11.38.0"), PG_SUPPORTED);
	cr_assert_eq(cls(170002, "11.40.2"), PG_SUPPORTED);
}

Test(pg_support, unlisted_versions)
{
	char why[600];

	for (int m = 14; m <= 16; m++) {
		cr_assert_eq(pg_support_classify(m * 10000 + 3, "11.31.0", why, sizeof why),
			     PG_UNVERIFIED);
		cr_assert(strstr(why, "support matrix"), "%s", why);
	}
	cr_assert_eq(cls(180001, "11.40.0"), PG_UNVERIFIED);
	cr_assert_eq(cls(110022, "11.31.0"), PG_UNSUPPORTED);
	cr_assert_eq(cls(90624, NULL), PG_UNSUPPORTED);
	pg_support_classify(90624, NULL, why, sizeof why);
	cr_assert(strstr(why, "9.6"), "old majors are named as 9.6: %s", why);
}

/* 18, like 14-16: no OutSystems 11 source lists it. */
Test(pg_support, postgres_18_unverified)
{
	char why[600];

	cr_assert_eq(pg_support_classify(180001, "11.43.0", why, sizeof why), PG_UNVERIFIED);
	cr_assert(strstr(why, "no OutSystems 11 source"), "%s", why);
	cr_assert_eq(cls(180001, NULL), PG_UNVERIFIED);
}

/* The operator's support matrix overrides the table, only with its note,
 * and the verdict says both. */
Test(pg_support, override_needs_its_matrix_and_says_both)
{
	char why[900];
	struct pg_override ov = { .supported = "16, 18", .unsupported = "13",
				  .matrix = "support case 4711" };

	cr_assert_eq(pg_support_judge(160002, "11.31.0", &ov, why, sizeof why), PG_SUPPORTED);
	cr_assert(strstr(why, "supported by your support matrix (\"support case 4711\""), "%s", why);
	cr_assert(strstr(why, "built-in table says: PostgreSQL 16 is unverified"), "%s", why);
	cr_assert_eq(pg_support_judge(130004, "11.31.0", &ov, why, sizeof why), PG_UNSUPPORTED);
	cr_assert(strstr(why, "not supported by your support matrix"), "%s", why);
	cr_assert_eq(pg_support_judge(150002, "11.31.0", &ov, why, sizeof why), PG_UNVERIFIED,
		     "a major the matrix does not list: the table");
	cr_assert_eq(pg_support_judge(120015, "11.31.0", NULL, why, sizeof why), PG_SUPPORTED);

	ov.matrix = "";
	cr_assert_eq(pg_support_judge(160002, "11.31.0", &ov, why, sizeof why), PG_UNVERIFIED);
	cr_assert(strstr(why, "not applied"), "%s", why);
	ov.matrix = "x";
	ov.unsupported = "16";
	cr_assert_eq(pg_support_judge(160002, "11.31.0", &ov, why, sizeof why), PG_UNVERIFIED);
	cr_assert(strstr(why, "both supported and unsupported"), "%s", why);
}

static struct env_version *envs2(const char *n1, const char *v1, const char *n2, const char *v2)
{
	struct env_version *e = xcalloc(2, sizeof *e);

	e[0].name = xstrdup(n1);
	e[0].version = v1 ? xstrdup(v1) : NULL;
	e[1].name = xstrdup(n2);
	e[1].version = v2 ? xstrdup(v2) : NULL;
	return e;
}

/* One verdict per environment: PostgreSQL 13 is fine on 11.39 and not on
 * 11.40; 17 the other way round; the summary names the environments that
 * do not support it. */
Test(pg_support, verdict_per_environment)
{
	struct platform_versions pv = { .source = PV_LIFETIME, .n = 2 };
	struct pg_override none = { 0 };
	struct check_report rep;

	pv.env = envs2("Dev", "11.39.0", "Prod", "11.40.0.45003");
	check_report_init(&rep);
	pg_version_verdict(&rep, "pg_version", "v", 130004, "PostgreSQL 13.4", &pv, &none);
	cr_assert_eq(rep.n, 1);
	cr_assert_eq(rep.r[0].status, CHECK_FAILED);
	cr_assert(strstr(rep.r[0].summary, "not supported on 1 of 2 environments (Prod)"), "%s",
		  rep.r[0].summary);
	cr_assert(strstr(rep.r[0].detail, "Dev (Platform Server 11.39.0, LifeTime): supported"),
		  "%s", rep.r[0].detail);
	cr_assert(strstr(rep.r[0].detail, "Prod (Platform Server 11.40.0.45003, LifeTime): not "
			 "supported"), "%s", rep.r[0].detail);
	check_report_free(&rep);

	free(pv.env[0].version);
	pv.env[0].version = xstrdup("11.37.0");
	check_report_init(&rep);
	pg_version_verdict(&rep, "pg_version", "v", 170002, "PostgreSQL 17.2", &pv, &none);
	cr_assert_eq(rep.r[0].status, CHECK_FAILED);
	cr_assert(strstr(rep.r[0].summary, "not supported on 1 of 2 environments (Dev)"), "%s",
		  rep.r[0].summary);
	check_report_free(&rep);

	/* both on 11.38 or later: 17 everywhere */
	free(pv.env[0].version);
	pv.env[0].version = xstrdup("11.38.0");
	check_report_init(&rep);
	pg_version_verdict(&rep, "pg_version", "v", 170002, "PostgreSQL 17.2", &pv, &none);
	cr_assert_eq(rep.r[0].status, CHECK_OK, "%s", rep.r[0].summary);
	cr_assert(strstr(rep.r[0].summary, "supported on all 2 environments (LifeTime)"), "%s",
		  rep.r[0].summary);
	check_report_free(&rep);

	/* an environment LifeTime gives no version for: a warning, not ok */
	free(pv.env[1].version);
	pv.env[1].version = NULL;
	check_report_init(&rep);
	pg_version_verdict(&rep, "pg_version", "v", 170002, "PostgreSQL 17.2", &pv, &none);
	cr_assert_eq(rep.r[0].status, CHECK_WARNING, "%s", rep.r[0].summary);
	cr_assert(strstr(rep.r[0].detail, "Prod (Platform Server not reported"), "%s",
		  rep.r[0].detail);
	check_report_free(&rep);
	platform_versions_free(&pv);
}

/* The override is recorded in the verdict; a typed version LifeTime
 * contradicts is said. */
Test(pg_support, verdict_override_and_disagreement)
{
	struct platform_versions pv = { .source = PV_LIFETIME, .n = 2 };
	struct pg_override ov = { .supported = "13", .matrix = "matrix PDF 2026-10" };
	struct check_report rep;

	pv.env = envs2("Dev", "11.40.0", "Prod", "11.41.0");
	pv.disagreement = xstrdup("the Platform Server version typed on the prerequisites "
				  "screen (11.31.0) is not what LifeTime reports");
	check_report_init(&rep);
	pg_version_verdict(&rep, "pg_version", "v", 130004, "PostgreSQL 13.4", &pv, &ov);
	cr_assert_eq(rep.r[0].status, CHECK_OK, "%s", rep.r[0].summary);
	cr_assert(strstr(rep.r[0].summary, "by your support matrix"), "%s", rep.r[0].summary);
	cr_assert(strstr(rep.r[0].summary, "the typed Platform Server version is not LifeTime's"),
		  "%s", rep.r[0].summary);
	cr_assert(strstr(rep.r[0].detail, "matrix PDF 2026-10"), "%s", rep.r[0].detail);
	cr_assert(strstr(rep.r[0].detail, "(11.31.0) is not what LifeTime reports"), "%s",
		  rep.r[0].detail);
	check_report_free(&rep);
	platform_versions_free(&pv);
}

Test(pg_support, typed_version_against_lifetime)
{
	struct lt_environment e[2] = { { .name = "Dev", .os_version = "11.31.0.45003" },
				       { .name = "Prod", .os_version = "11.40.0" } };
	char *d = platform_typed_disagreement("11.20.0", e, 2);

	cr_assert_not_null(d);
	cr_assert(strstr(d, "(11.20.0) is not what LifeTime reports (Dev 11.31.0.45003, Prod "
			 "11.40.0)"), "%s", d);
	free(d);
	cr_assert_null(platform_typed_disagreement("11.40", e, 2), "11.40 is 11.40.0");
	cr_assert_null(platform_typed_disagreement("11.31.0.45003", e, 2));
	cr_assert_null(platform_typed_disagreement(NULL, e, 2));
	cr_assert_null(platform_typed_disagreement("eleven", e, 2));
}

/* Message texts as libpq 15 and the server print them. */
Test(pg_classify, libpq_messages)
{
	static const struct {
		const char *msg;
		enum pg_fail want;
	} cases[] = {
		{ "could not translate host name \"nosuch.invalid\" to address: Name or service "
		  "not known\n", PG_FAIL_RESOLVE },
		{ "connection to server at \"127.0.0.1\", port 1 failed: Connection refused\n\tIs "
		  "the server running on that host and accepting TCP/IP connections?\n",
		  PG_FAIL_REFUSED },
		{ "connection to server on socket \"/tmp/.s.PGSQL.5\" failed: No such file or "
		  "directory\n\tIs the server running locally and accepting connections on that "
		  "socket?\n", PG_FAIL_REFUSED },
		{ "connection to server at \"10.0.0.1\", port 5432 failed: timeout expired\n",
		  PG_FAIL_TIMEOUT },
		{ "connection to server at \"127.0.0.1\", port 5 failed: FATAL:  pg_hba.conf "
		  "rejects connection for host \"127.0.0.1\", user \"osm_app\", database "
		  "\"postgres\", no encryption\n", PG_FAIL_TLS_REQUIRED },
		{ "FATAL:  no pg_hba.conf entry for host \"10.1.1.1\", user \"u\", database \"d\", "
		  "SSL off\n", PG_FAIL_TLS_REQUIRED },
		{ "FATAL:  no pg_hba.conf entry for host \"10.1.1.1\", user \"u\", database \"d\", "
		  "SSL encryption\n", PG_FAIL_AUTH },
		{ "connection to server at \"127.0.0.1\", port 5 failed: server certificate for "
		  "\"localhost\" (and 1 other name) does not match host name \"127.0.0.1\"\n",
		  PG_FAIL_CERT },
		{ "connection to server at \"127.0.0.1\", port 5 failed: SSL error: certificate "
		  "verify failed\n", PG_FAIL_CERT },
		{ "connection to server at \"127.0.0.1\", port 5 failed: root certificate file "
		  "\"/root/.postgresql/root.crt\" does not exist\nEither provide the file or "
		  "change sslmode to disable server certificate verification.\n", PG_FAIL_CERT },
		{ "connection to server at \"127.0.0.1\", port 5 failed: server does not support "
		  "SSL, but SSL was required\n", PG_FAIL_TLS },
		{ "connection to server at \"127.0.0.1\", port 5 failed: FATAL:  password "
		  "authentication failed for user \"osm_app\"\n", PG_FAIL_AUTH },
		/* sslmode=prefer: the TLS attempt failed on the password, the retry
		 * without TLS on pg_hba; the first cause is the one to fix. */
		{ "connection to server at \"127.0.0.1\", port 5 failed: FATAL:  password "
		  "authentication failed for user \"osm_app\"\nconnection to server at "
		  "\"127.0.0.1\", port 5 failed: FATAL:  pg_hba.conf rejects connection for host "
		  "\"127.0.0.1\", user \"osm_app\", database \"x\", no encryption\n", PG_FAIL_AUTH },
		{ "connection to server at \"127.0.0.1\", port 5 failed: fe_sendauth: no password "
		  "supplied\n", PG_FAIL_NEED_PASSWORD },
		{ "connection to server at \"127.0.0.1\", port 5 failed: FATAL:  database "
		  "\"nosuch\" does not exist\n", PG_FAIL_NO_DATABASE },
		{ "FATAL:  too many connections for role \"osm_nolimit\"\n", PG_FAIL_TOO_MANY },
		{ "FATAL:  sorry, too many clients already\n", PG_FAIL_TOO_MANY },
		{ "FATAL:  remaining connection slots are reserved for non-replication superuser "
		  "connections\n", PG_FAIL_TOO_MANY },
		{ "FATAL:  role \"ghost\" does not exist\n", PG_FAIL_AUTH },
		{ "FATAL:  the database system is starting up\n", PG_FAIL_OTHER },
	};

	for (size_t i = 0; i < OSM_ARRAY_LEN(cases); i++)
		cr_expect_eq(pg_classify_message(cases[i].msg, false, false), cases[i].want,
			     "case %zu: %s -> %s, want %s", i, cases[i].msg,
			     pg_fail_name(pg_classify_message(cases[i].msg, false, false)),
			     pg_fail_name(cases[i].want));
	/* libpq says a password is needed and none was given: prompt for it. */
	cr_assert_eq(pg_classify_message("FATAL:  password authentication failed", false, true),
		     PG_FAIL_NEED_PASSWORD);
	/* ... but a wrong password that was given is an authentication failure. */
	cr_assert_eq(pg_classify_message("FATAL:  password authentication failed", true, true),
		     PG_FAIL_AUTH);
}

static const char *kw(const struct pg_spec *s, const char *k)
{
	const char *v = NULL;

	for (size_t i = 0; i < s->n; i++)
		if (str_eq(s->keywords[i], k))
			v = s->values[i];
	return v;
}

Test(pg_spec, from_doc_keys_and_label)
{
	const char *ini = "[target]\nhost = db.example\nport = 5433\ndbname = shop\n"
			  "user = osm\nsslmode = verify-full\n";
	struct doc_error err;
	struct doc *d = doc_parse_string(ini, strlen(ini), "t", NULL, NULL, &err);
	struct pg_spec s;
	char msg[256];

	cr_assert_not_null(d, "%s", err.msg);
	cr_assert(pg_spec_from_doc(&s, d, "target", "sekret", msg, sizeof msg), "%s", msg);
	cr_assert_str_eq(kw(&s, "host"), "db.example");
	cr_assert_str_eq(kw(&s, "sslmode"), "verify-full");
	cr_assert_str_eq(kw(&s, "password"), "sekret");
	cr_assert_str_eq(kw(&s, "application_name"), "osmigrate");
	cr_assert_null(s.keywords[s.n]);
	cr_assert_str_eq(s.label, "target db.example:5433/shop as osm");
	cr_assert_null(strstr(s.label, "sekret"), "the label never shows a password");
	pg_spec_free(&s);

	cr_assert_not(pg_spec_from_doc(&s, d, "source", NULL, msg, sizeof msg));
	cr_assert(strstr(msg, "[source]"), "%s", msg);
	doc_free(d);
}

Test(pg_spec, conninfo_uri_expands_and_is_labelled)
{
	const char *ini = "[target]\nconninfo = postgresql://osm@db1:6543/orders?sslmode=require\n";
	struct doc_error err;
	struct doc *d = doc_parse_string(ini, strlen(ini), "t", NULL, NULL, &err);
	struct pg_spec s;
	char msg[256];

	cr_assert_not_null(d, "%s", err.msg);
	cr_assert(pg_spec_from_doc(&s, d, "target", NULL, msg, sizeof msg), "%s", msg);
	/* Passed as dbname with expand_dbname=1: never pasted into a string. */
	cr_assert_str_eq(kw(&s, "dbname"), "postgresql://osm@db1:6543/orders?sslmode=require");
	cr_assert_null(kw(&s, "password"));
	cr_assert_str_eq(s.label, "target db1:6543/orders as osm");
	pg_spec_free(&s);
	doc_free(d);

	ini = "[target]\nconninfo = host=a port=1 dbname=b user=u\ndbname = c\nuser = v\n";
	d = doc_parse_string(ini, strlen(ini), "t", NULL, NULL, &err);
	cr_assert_not_null(d, "%s", err.msg);
	cr_assert(pg_spec_from_doc(&s, d, "target", NULL, msg, sizeof msg), "%s", msg);
	cr_assert_str_eq(s.label, "target a:1/c as v", "explicit keys override the conninfo");
	pg_spec_free(&s);
	doc_free(d);

	cr_assert(pg_spec_from_conninfo(&s, "service=osmigrate-demo", NULL, msg, sizeof msg));
	cr_assert(strstr(s.label, "service osmigrate-demo"), "%s", s.label);
	pg_spec_free(&s);
	/* Two databases behind one service must not read the same. */
	cr_assert(pg_spec_from_conninfo(&s, "service=osmigrate-demo dbname=demo_restored", NULL, msg,
					sizeof msg));
	cr_assert_str_eq(s.label, "database service osmigrate-demo/demo_restored");
	pg_spec_free(&s);
	cr_assert_not(pg_spec_from_conninfo(&s, "host='unterminated", NULL, msg, sizeof msg));
	cr_assert_not(pg_spec_from_conninfo(&s, "", NULL, msg, sizeof msg));
}

Test(pg_spec, bad_port_rejected)
{
	const char *ini = "[target]\nhost = h\nport = 54x\n";
	struct doc_error err;
	struct doc *d = doc_parse_string(ini, strlen(ini), "t", NULL, NULL, &err);
	struct pg_spec s;
	char msg[256];

	cr_assert_not_null(d);
	cr_assert_not(pg_spec_from_doc(&s, d, "target", NULL, msg, sizeof msg));
	cr_assert(strstr(msg, "port"), "%s", msg);
	doc_free(d);
}

/* Against nothing listening: refused, classified, with a fix; and a
 * cancelled context returns before connecting at all. */
Test(pg_connect, refused_and_cancelled)
{
	struct pg_spec s;
	struct pg_failure f;
	char msg[256];
	atomic_int cancel = 0;
	struct ctx ctx = { .cancel = &cancel, .timeout_s = 5 };

	/* Port 1 on loopback: nothing listens there unprivileged. */
	cr_assert(pg_spec_from_conninfo(&s, "host=127.0.0.1 port=1 user=x dbname=y", NULL, msg,
					sizeof msg));
	cr_assert_null(pg_connect(&s, &ctx, &f));
	cr_assert_eq(f.cls, PG_FAIL_REFUSED, "%s", f.message);
	cr_assert(strlen(f.fix) > 20);
	atomic_store(&cancel, 1);
	cr_assert_null(pg_connect(&s, &ctx, &f));
	cr_assert_eq(f.cls, PG_FAIL_CANCELLED);
	pg_spec_free(&s);
}
