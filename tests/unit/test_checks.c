/* test_checks.c - the check-result model (result.h): a result is tied to
 * the settings it was computed from (what each check of the table reads,
 * the digest of exactly those settings, the one freshness rule every reader
 * uses), the one severity policy, the secret a result lacked, and the
 * results of a step as every reader gets them. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>

#include "check.h"
#include "doc.h"
#include "util.h"

static struct doc *settings(void)
{
	struct doc *d = doc_new();

	doc_set(d, "osmigrate", NULL, "runbook", "connector-migration");
	doc_set(d, "target", NULL, "host", "db1");
	doc_set(d, "target", NULL, "dbname", "shop");
	doc_set(d, "http", NULL, "timeout", "10");
	doc_set(d, "consumer", "Orders", "url", "https://fe1/Orders/_ping.html");
	doc_set(d, "consumer", "Billing", "url", "https://fe1/Billing/_ping.html");
	doc_set(d, "extension", "OrdersDB", "tables", "public.orders");
	doc_set(d, "compare", NULL, "old", "host=a dbname=x");
	return d;
}

static bool same(const struct doc *a, const struct doc *b, const char *id)
{
	char *x = check_settings_digest(a, id), *y = check_settings_digest(b, id);
	bool eq;

	cr_assert(x && y, "no digest for %s", id);
	cr_assert_eq(strlen(x), 16);
	eq = str_eq(x, y);
	free(x);
	free(y);
	return eq;
}

Test(checks_deps, every_check_declares_what_it_reads)
{
	for (size_t i = 0; i < n_check_infos; i++) {
		const struct check_info *d = &check_infos[i];
		const struct check_info *first = check_info_find(NULL, d->id);

		cr_expect(d->deps[0].kind != NULL, "%s declares no settings", d->id);
		/* one id, one meaning: the same reads in every runbook that runs it */
		for (size_t k = 0; k < CHECK_MAX_DEPS; k++) {
			cr_expect(str_eq(d->deps[k].kind, first->deps[k].kind) &&
				  str_eq(d->deps[k].name, first->deps[k].name) &&
				  str_eq(d->deps[k].key, first->deps[k].key) &&
				  d->deps[k].item == first->deps[k].item,
				  "%s reads different settings in %s", d->id, d->runbook);
		}
	}
}

Test(checks_deps, an_item_result_reads_its_item_and_the_shared_sections)
{
	struct doc *a = settings(), *b = settings();

	/* another consumer, the target: not read by consumer_ping:Orders */
	doc_set(b, "consumer", "Billing", "url", "https://fe2/Billing/_ping.html");
	doc_set(b, "target", NULL, "host", "db2");
	cr_expect(same(a, b, "consumer_ping:Orders"));
	/* but the aggregate result reads every consumer */
	cr_expect_not(same(a, b, "consumer_ping"));
	/* its own section and [http] */
	doc_set(b, "consumer", "Orders", "url", "https://fe2/Orders/_ping.html");
	cr_expect_not(same(a, b, "consumer_ping:Orders"));
	doc_free(b);
	b = settings();
	doc_set(b, "http", NULL, "timeout", "20");
	cr_expect_not(same(a, b, "consumer_ping:Orders"));
	/* a target setting changes target_connect, not clone_compare */
	doc_free(b);
	b = settings();
	doc_set(b, "target", NULL, "port", "5433");
	cr_expect_not(same(a, b, "target_connect"));
	cr_expect(same(a, b, "clone_compare"));
	doc_free(a);
	doc_free(b);
}

Test(checks_deps, layout_is_not_a_change)
{
	struct doc *a = settings(), *b = doc_new();

	/* same settings, other order of sections and keys; an empty value is
	 * the same as a missing key */
	doc_set(b, "compare", NULL, "old", "host=a dbname=x");
	doc_set(b, "extension", "OrdersDB", "tables", "public.orders");
	doc_set(b, "consumer", "Billing", "url", "https://fe1/Billing/_ping.html");
	doc_set(b, "consumer", "Orders", "url", "https://fe1/Orders/_ping.html");
	doc_set(b, "http", NULL, "timeout", "10");
	doc_set(b, "target", NULL, "dbname", "shop");
	doc_set(b, "target", NULL, "host", "db1");
	doc_set(b, "target", NULL, "sslmode", "");
	doc_set(b, "osmigrate", NULL, "runbook", "connector-migration");
	for (size_t i = 0; i < n_check_infos; i++)
		cr_expect(same(a, b, check_infos[i].id), "%s", check_infos[i].id);
	/* a section appearing is a change (ardo_sessions reads [source] if any) */
	doc_add_section(b, "source", NULL);
	cr_expect_not(same(a, b, "ardo_sessions"));
	doc_free(a);
	doc_free(b);
}

Test(checks_deps, typed_form_values_count)
{
	struct doc *a = settings(), *b = settings();

	doc_set(b, "step", "prerequisites", "field.platform_version", "11.38.0");
	cr_expect_not(same(a, b, "pg_version"));
	cr_expect_not(same(a, b, "platform_version"));
	cr_expect(same(a, b, "target_connect"));
	/* ticks in the same step are not settings */
	doc_set(b, "step", "prerequisites", "tick.backup", "u@h 2026-11-22T04:31:00Z");
	doc_set(a, "step", "prerequisites", "field.platform_version", "11.38.0");
	cr_expect(same(a, b, "pg_version"));
	doc_free(a);
	doc_free(b);
}

Test(checks_deps, marking_the_step_of_a_form_value_is_no_change)
{
	struct doc *a = settings(), *b = settings();

	/* No version typed on either side; only b's step was marked and ticked. */
	doc_set(b, "step", "prerequisites", "status", "done");
	doc_set(b, "step", "prerequisites", "tick.pg_version", "u@h 2026-11-22T04:31:00Z");
	cr_expect(same(a, b, "pg_version"));
	cr_expect(same(a, b, "platform_version"));
	doc_free(a);
	doc_free(b);
}

static enum check_freshness freshness_of(const struct doc *d, const char *id)
{
	struct check_record rec;

	cr_assert(check_result_load(d, id, &rec), "no result %s", id);
	return rec.freshness;
}

static void store_ok(struct doc *d, const struct doc *ran_with, const char *id)
{
	struct check_report rep;

	check_report_init(&rep);
	check_add(&rep, id, "label", CHECK_OK, "fine", NULL, NULL);
	if (ran_with)
		check_report_stamp(&rep, ran_with);
	check_report_store(&rep, d);
	check_report_free(&rep);
}

Test(checks_freshness, stale_after_a_change_of_what_it_read)
{
	struct doc *d = settings();
	struct check_record rec;

	store_ok(d, NULL, "clone_compare");
	cr_assert(check_result_load(d, "clone_compare", &rec));
	cr_expect_eq(rec.freshness, CHECK_CURRENT);
	cr_expect(check_result_passed(d, "clone_compare"));
	cr_expect_null(check_freshness_text(CHECK_CURRENT));

	doc_set(d, "compare", NULL, "new", "host=b dbname=x");
	cr_expect_eq(freshness_of(d, "clone_compare"), CHECK_STALE);
	cr_assert(check_result_load(d, "clone_compare", &rec));
	cr_expect_eq(rec.verdict, VERDICT_STALE, "a stale result is no verdict");
	cr_expect_str_eq(rec.stale_reason, check_freshness_text(CHECK_STALE));
	cr_expect_not(check_result_passed(d, "clone_compare"));
	cr_expect_str_eq(check_freshness_text(CHECK_STALE),
			 "settings changed since this check ran: run it again");
	/* back as it was: the result is about these settings again */
	doc_unset(d, "compare", NULL, "new");
	cr_expect(check_result_passed(d, "clone_compare"));
	doc_free(d);
}

Test(checks_freshness, untracked_and_unknown_never_pass)
{
	struct doc *d = settings();

	doc_set(d, "check", "clone_compare", "status", "ok");
	cr_expect_eq(freshness_of(d, "clone_compare"), CHECK_UNTRACKED);
	cr_expect_not(check_result_passed(d, "clone_compare"));
	cr_expect_neq(strstr(check_freshness_text(CHECK_UNTRACKED), "run it again"), NULL);
	doc_set(d, "check", "no_such_check", "status", "ok");
	doc_set(d, "check", "no_such_check", "settings_digest", "0123456789abcdef");
	cr_expect_eq(freshness_of(d, "no_such_check"), CHECK_UNKNOWN);
	cr_expect_not(check_result_passed(d, "no_such_check"));
	cr_expect_not(check_result_passed(d, "never_ran"));
	doc_free(d);
}

Test(checks_freshness, stamped_with_the_settings_it_ran_with)
{
	/* The wizard runs checks on a copy; the operator edits meanwhile. */
	struct doc *d = settings(), *copy = doc_clone(d);

	doc_set(d, "consumer", "Orders", "url", "https://fe9/Orders/_ping.html");
	store_ok(d, copy, "consumer_ping:Orders");
	cr_expect_eq(freshness_of(d, "consumer_ping:Orders"), CHECK_STALE);
	/* the wizard's ping before a reconfiguration reads what server_ping reads */
	doc_set(d, "server", "FE1", "url", "https://fe1/x/_ping.html");
	store_ok(d, NULL, "server_ping_before:FE1");
	cr_expect_eq(freshness_of(d, "server_ping_before:FE1"), CHECK_CURRENT);
	doc_set(d, "server", "FE1", "url", "https://fe2/x/_ping.html");
	cr_expect_eq(freshness_of(d, "server_ping_before:FE1"), CHECK_STALE);
	doc_free(copy);
	doc_free(d);
}

Test(checks_freshness, the_stored_type_scan_follows_the_same_rule)
{
	struct doc *d = settings();
	char *dg = check_settings_digest(d, "type_verification");

	cr_expect_eq(check_digest_freshness(d, "type_verification", NULL), CHECK_UNTRACKED);
	cr_expect_eq(check_digest_freshness(d, "type_verification", dg), CHECK_CURRENT);
	doc_set(d, "scope", NULL, "schemas", "sales");
	cr_expect_eq(check_digest_freshness(d, "type_verification", dg), CHECK_STALE);
	free(dg);
	doc_free(d);
}

/* ---- the severity policy ---- */

static void add(struct check_report *rep, const char *id, enum check_status st)
{
	check_add(rep, id, id, st, "s", NULL, st == CHECK_OK ? NULL : "fix");
}

/* FAILED > error (could not check) > warning > ok: what check's exit code,
 * the wizard's message and journal, status and the report all say. */
Test(checks_policy, failed_wins_over_could_not_check)
{
	struct check_report rep;

	check_report_init(&rep);
	cr_expect_eq(check_report_verdict(&rep), VERDICT_NONE);
	cr_expect_eq(check_verdict_exit(check_report_verdict(&rep)), 0);
	add(&rep, "a", CHECK_OK);
	cr_expect_eq(check_report_verdict(&rep), VERDICT_OK);
	add(&rep, "b", CHECK_WARNING);
	cr_expect_eq(check_report_verdict(&rep), VERDICT_WARNING);
	cr_expect_eq(check_verdict_exit(check_report_verdict(&rep)), 1);
	add(&rep, "c", CHECK_ERROR);
	cr_expect_eq(check_report_verdict(&rep), VERDICT_ERROR);
	cr_expect_eq(check_verdict_exit(check_report_verdict(&rep)), 3);
	add(&rep, "d", CHECK_FAILED);
	add(&rep, "e", CHECK_ERROR);
	cr_expect_eq(check_report_verdict(&rep), VERDICT_FAILED);
	cr_expect_eq(check_verdict_exit(check_report_verdict(&rep)), 2);
	cr_expect_str_eq(check_verdict_word(check_report_verdict(&rep)), "FAILED");
	check_report_free(&rep);
	/* stale: above warning, below a check that could not run now */
	cr_expect_gt(VERDICT_STALE, VERDICT_WARNING);
	cr_expect_lt(VERDICT_STALE, VERDICT_ERROR);
	cr_expect_eq(check_verdict_exit(VERDICT_STALE), 3);
	cr_expect_str_eq(check_verdict_word(VERDICT_STALE), "stale");
}

/* What status, the report and the wizard read for a step: its results by
 * the same rule, a stale FAILED never making the step FAILED. */
Test(checks_policy, step_results_and_their_verdict)
{
	struct doc *d = settings();
	struct check_report rep;
	struct check_results rs;

	check_report_init(&rep);
	add(&rep, "target_connect", CHECK_ERROR);
	add(&rep, "source_connect", CHECK_OK);
	add(&rep, "consumer_ping:Orders", CHECK_FAILED);
	add(&rep, "consumer_ping:Billing", CHECK_OK);
	check_report_stamp(&rep, d);
	check_report_store(&rep, d);
	check_report_free(&rep);

	check_results_for_step(d, "connector-migration", "connection", &rs);
	cr_assert_eq(rs.n, 2);
	cr_expect_str_eq(rs.r[0].id, "target_connect");
	cr_expect_eq(check_results_verdict(&rs), VERDICT_ERROR);
	check_results_free(&rs);
	cr_expect_not(check_step_failed(d, "connector-migration", "connection"));

	check_results_for_step(d, "connector-migration", "consumers", &rs);
	cr_assert_eq(rs.n, 2);
	cr_expect_eq(check_results_verdict(&rs), VERDICT_FAILED);
	check_results_free(&rs);
	cr_expect(check_step_failed(d, "connector-migration", "consumers"));

	/* Orders' url changes: its FAILED ping is stale, no verdict any more */
	doc_set(d, "consumer", "Orders", "url", "https://fe2/Orders/_ping.html");
	check_results_for_step(d, "connector-migration", "consumers", &rs);
	cr_expect_eq(rs.r[0].verdict, VERDICT_STALE);
	cr_expect_eq(rs.r[1].verdict, VERDICT_OK);
	cr_expect_eq(check_results_verdict(&rs), VERDICT_STALE);
	check_results_free(&rs);
	cr_expect_not(check_step_failed(d, "connector-migration", "consumers"));

	check_results_all(d, &rs);
	cr_expect_eq(rs.n, 4);
	check_results_free(&rs);
	check_results_for_step(d, "connector-migration", "deploy", &rs);
	cr_expect_eq(rs.n, 0);
	cr_expect_eq(check_results_verdict(&rs), VERDICT_NONE);
	check_results_free(&rs);
	doc_free(d);
}

/* The wizard's before-ping is shown with its server, not among the step's
 * check results. */
Test(checks_policy, before_pings_are_not_step_results)
{
	struct doc *d = settings();
	struct check_results rs;

	doc_set(d, "osmigrate", NULL, "runbook", "endpoint-change");
	doc_set(d, "server", "FE1", "url", "https://fe1/x/_ping.html");
	store_ok(d, NULL, "server_ping_before:FE1");
	store_ok(d, NULL, "server_ping:FE1");
	check_results_for_step(d, "endpoint-change", "servers", &rs);
	cr_assert_eq(rs.n, 1);
	cr_expect_str_eq(rs.r[0].id, "server_ping:FE1");
	check_results_free(&rs);
	doc_free(d);
}

/* ---- the secret a result lacked ---- */

Test(checks_needs, stored_and_read_back)
{
	struct doc *d = settings();
	struct check_report rep;
	struct check_record rec;
	enum secret_kind k;

	check_report_init(&rep);
	check_add(&rep, "clone_compare", "l", CHECK_ERROR, "s", NULL, "f")->needs =
		SECRET_COMPARE_NEW_PASSWORD;
	check_add(&rep, "target_connect", "l", CHECK_FAILED, "s", NULL, "f");
	check_report_store(&rep, d);
	check_report_free(&rep);
	cr_assert(check_result_load(d, "clone_compare", &rec));
	cr_expect_eq(rec.needs, SECRET_COMPARE_NEW_PASSWORD);
	cr_expect_str_eq(doc_get(d, "check", "clone_compare", "needs"), "compare_new_password");
	cr_assert(check_result_load(d, "target_connect", &rec));
	cr_expect_eq(rec.needs, SECRET_NONE);
	cr_expect_null(doc_get(d, "check", "target_connect", "needs"));
	/* every kind has a name that reads back */
	for (int i = SECRET_TARGET_PASSWORD; i <= SECRET_LIFETIME_TOKEN; i++) {
		cr_assert(secret_kind_parse(secret_kind_key((enum secret_kind)i), &k));
		cr_expect_eq(k, (enum secret_kind)i);
	}
	cr_expect_not(secret_kind_parse("password", &k));
	doc_free(d);
}

/* H4: a cancelled run never replaces a finished result with "could not
 * check"; a result it did finish is recorded; where there was none, its
 * "could not check" is recorded as cancelled. */
Test(checks_cancel, a_cancelled_run_keeps_the_last_finished_result)
{
	struct doc *d = settings();
	struct check_report rep;
	struct check_record rec;

	doc_set(d, "check", "clone_compare", "status", "failed");
	doc_set(d, "check", "clone_compare", "summary", "3 tables differ");
	check_report_init(&rep);
	check_add(&rep, "clone_compare", "clone", CHECK_ERROR, "cancelled", NULL, "run it again");
	check_add(&rep, "endpoint_new", "new", CHECK_ERROR, "cancelled", NULL, "run it again");
	check_add(&rep, "endpoint_old", "old", CHECK_OK, "answers", NULL, NULL);
	cr_expect_eq(check_report_store_run(&rep, d, true), 1);
	cr_assert(check_result_load(d, "clone_compare", &rec));
	cr_expect_eq(rec.status, CHECK_FAILED, "the FAILED stays");
	cr_expect_str_eq(rec.summary, "3 tables differ");
	cr_expect_not(rec.cancelled);
	cr_assert(check_result_load(d, "endpoint_new", &rec));
	cr_expect_eq(rec.status, CHECK_ERROR);
	cr_expect(rec.cancelled, "stored where there was none, marked cancelled");
	cr_assert(check_result_load(d, "endpoint_old", &rec));
	cr_expect_eq(rec.status, CHECK_OK, "what the run finished is recorded");
	/* A run that was not cancelled replaces what was there. */
	cr_expect_eq(check_report_store_run(&rep, d, false), 0);
	cr_assert(check_result_load(d, "clone_compare", &rec));
	cr_expect_eq(rec.status, CHECK_ERROR);
	cr_expect_not(rec.cancelled);
	check_report_free(&rep);
	doc_free(d);
}
