/* checkjob.c - check runs in the worker (checkjob.h): what each runs, and
 * what the wizard does with the results when it ends. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "checkjob.h"
#include "login.h"
#include "progress.h"
#include "typecheck.h"
#include "typescan.h"

/* A step's checks, or the type scan (whose findings are kept whole). */
struct checks_job {
	bool types;
	char runbook[64], step[64];
	struct type_result result;   /* types: complete when types_ok; else zeroed */
	bool types_ok;
};

/* One server's ping, and what the runbook expects it to show (runbook.h,
 * struct rb_ping). */
struct ping_job {
	char runbook[64], step[64];
	char item[256];
	bool before;
	enum rb_expect expect;
	char check[64];      /* the check that pings (struct rb_ping) */
	char when[64];       /* "before its reconfiguration" */
	char also[64];       /* a check run with it ("" none) */
};

static void checks_work(struct job *j, void *data)
{
	struct checks_job *c = data;

	checks_run(c->runbook, c->step, &j->env, &j->rep);
}

/* The type scan for the types screen: like check_type_verification (the
 * same scan, typecheck_scan), but the whole result is kept so the
 * UI thread can store every finding. */
static void types_work(struct job *j, void *data)
{
	static const char *id = "type_verification";
	static const char *label = "column types and stored values in scope";
	struct checks_job *c = data;
	enum secret_kind needs;
	char err[1024], fix[512];

	type_result_init(&c->result);
	ctx_progress(&j->ctx, "connecting to the target", 0, 0);
	c->types_ok = typecheck_scan(&j->env, NULL, &c->result, err, sizeof err, fix, sizeof fix,
				     &needs);
	if (!c->types_ok) {
		check_add(&j->rep, id, label, CHECK_ERROR, "error: could not check", err,
			  fix)->needs = needs;
	} else {
		enum check_status st = type_result_status(&c->result);
		char *problem = type_result_scope_problem(&c->result);
		struct strbuf cs = STRBUF_INIT;
		char *sum;

		type_counts_text(&cs, c->result.counts[TS_BLOCKER], c->result.counts[TS_WARNING],
				 c->result.counts[TS_INFO], c->result.columns, c->result.tables);
		sum = xasprintf("%s%s%s%s", problem ? "could not check: " : "",
				problem ? problem : "", problem ? "; " : "", sb_str(&cs));
		sb_free(&cs);

		check_add(&j->rep, id, label, st, sum, NULL, st == CHECK_OK ? NULL :
			  problem && st == CHECK_ERROR
			  ? "Correct the names that matched nothing in the settings (e): [scope] "
			    "schemas and the extensions' tables, case-sensitive as in the "
			    "catalog; then rescan."
			  : "Review every blocker and warning on the types screen (t) and do "
			    "what each finding's fix says before refreshing entities.");
		free(sum);
		free(problem);
	}
}

/* The worker cannot open a dialog: a check that lacked a secret names it
 * in its result (result.h: needs), and it is asked here, once the run is
 * over, each kind once, and kept in memory only (struct secrets). */
static void ask_secrets(struct app *a, const struct check_report *rep)
{
	if (secrets_ask_needed(rep, &a->secrets, dialog_secret, &a->redraw))
		app_message(a, false, "kept in memory: press r to run the checks again");
}

static void checks_done(void *ud, struct job_end *e)
{
	struct app *a = ud;
	struct checks_job *c = e->data;
	struct check_report *rep = e->rep;
	size_t counts[4] = { 0 }, kept;
	enum check_verdict worst;

	if (e->cancelled && rep->n == 0) {
		app_message(a, false, "checks cancelled: nothing recorded");
		type_result_free(&c->result);
		return;
	}
	/* A cancelled or failed scan leaves the previous findings in place. */
	if (c->types && c->types_ok) {
		type_result_store(&c->result, a->st->doc);
		/* The findings are tied to the settings the scan ran with, as its
		 * type_verification result is (stamped by the worker). */
		for (size_t i = 0; i < rep->n; i++)
			if (str_eq(rep->r[i].id, "type_verification") && rep->r[i].settings_digest)
				doc_set(a->st->doc, "types", NULL, "settings_digest",
					rep->r[i].settings_digest);
	}
	type_result_free(&c->result);
	/* Esc: what could not check keeps the last finished result (H4). */
	kept = check_report_store_run(rep, a->st->doc, e->cancelled);
	a->show_results = true;
	for (size_t i = 0; i < rep->n; i++)
		counts[rep->r[i].status]++;
	worst = check_report_verdict(rep);
	if (c->types) {
		/* The scan is the type verification's, wherever it was started
		 * from (the types screen over any step): said and journalled as
		 * such, under the step that runs it, never as that step's
		 * checks. */
		const struct check_result *r = rep->n ? &rep->r[0] : NULL;
		char *res = xasprintf("%s: %s%s", check_verdict_word(worst),
				      r && r->summary ? r->summary : "no result",
				      e->cancelled ? " (cancelled)" : "");

		if (app_commit(a, c->step, NULL, "check", res))
			app_message(a, worst >= VERDICT_ERROR, "type verification %s", res);
		free(res);
		if (!e->quiet)
			ask_secrets(a, rep);
		return;
	}
	{
		char *res = xasprintf("%s: %zu ok, %zu warning, %zu FAILED, %zu error%s",
				      check_verdict_word(worst), counts[CHECK_OK],
				      counts[CHECK_WARNING], counts[CHECK_FAILED],
				      counts[CHECK_ERROR], e->cancelled ? " (cancelled)" : "");

		/* on the step the way back undoes, a failure offers it (rollback.h) */
		bool way_back = counts[CHECK_FAILED] && a->rb->rollback &&
				str_eq(c->step, a->rb->rollback->step);

		if (kept) {
			char *more = xasprintf("%s; %zu earlier result%s kept", res, kept,
					       kept == 1 ? "" : "s");

			free(res);
			res = more;
		}

		if (app_commit(a, c->step, NULL, "check", res))
			app_message(a, worst >= VERDICT_ERROR, "checks %s%s", res,
				    way_back ? "; w shows the way back" : "");
		free(res);
	}
	if (!e->quiet)
		ask_secrets(a, rep);
}

static const struct job_ops checks_ops = { .work = checks_work, .done = checks_done };
static const struct job_ops types_ops = { .work = types_work, .done = checks_done };

void checkjob_start(struct app *a, bool types)
{
	const struct rb_step *s = app_step(a);
	struct checks_job *c;

	if (job_running(&a->job)) {
		app_message(a, false, "checks are already running: Esc cancels them");
		return;
	}
	/* On the step that runs the type verification, r runs the full scan
	 * so the findings are kept. */
	if (!types && s && s->types == TYPES_SCAN)
		types = true;
	if (!types && (!s || !step_has_checks(a->rb, s))) {
		app_message(a, false, "this step has no automated checks: tick the actions "
			    "as you do them");
		return;
	}
	if (types && runbook_types_step(a->rb))
		s = runbook_types_step(a->rb);
	c = xcalloc(1, sizeof *c);
	c->types = types;
	snprintf(c->runbook, sizeof c->runbook, "%s", a->rb->id);
	snprintf(c->step, sizeof c->step, "%s", s->id);
	if (!app_job_start(a, types ? &types_ops : &checks_ops, c))
		return;
	app_message(a, false, types ? "scanning column types: Esc cancels"
		    : "running the checks of this step: Esc cancels");
}

/* ---- a server's ping ------------------------------------------------- */

/* The check the runbook names for this ping (server_ping, server_stopped),
 * limited to the server by env.item (no second copy of the ping logic). */
static void ping_work(struct job *j, void *data)
{
	struct ping_job *p = data;
	const struct check_def *def = check_find(p->runbook, p->check);

	j->env.item = p->item;
	/* The after ping compares the page with the before's where the step
	 * says so (runbook.h, struct rb_republish); the before compares nothing. */
	j->env.runbook = p->runbook;
	j->env.step = p->before ? NULL : p->step;
	if (def)
		def->fn(&j->env, &j->rep);
	/* The services' ports, where the runbook says so: their results keep
	 * their own ids. */
	if (p->also[0] && !ctx_cancelled(&j->ctx)) {
		const struct check_def *also = check_find(p->runbook, p->also);

		j->env.step = p->step;
		if (also)
			also->fn(&j->env, &j->rep);
	}
}

/* A server's ping around its work: stored under the id that says which
 * (before: server_ping_before:NAME, after: CHECK:NAME), and a ping that
 * breaks what the runbook expects of it (a server healthy before and lost
 * after) says so at once. */
static void ping_done(void *ud, struct job_end *e)
{
	struct app *a = ud;
	struct ping_job *p = e->data;
	struct check_report *rep = e->rep;
	const char *prefix = p->before ? "server_ping_before" : p->check;
	char *id = xasprintf("%s:%s", prefix, p->item);
	enum check_status st = CHECK_ERROR;
	char *bid = xasprintf("server_ping_before:%s", p->item);
	/* A before-ping taken with other settings of this server says nothing
	 * about it now: not "it answered before". */
	bool answered_before = check_result_passed(a->st->doc, bid);
	enum check_status also_st = CHECK_OK;
	bool also_seen = false;

	for (size_t i = 0; i < rep->n; i++) {
		struct check_result *r = &rep->r[i];
		char *label;

		if (p->also[0] && str_startswith(r->id, p->also) && r->id[strlen(p->also)] == ':') {
			also_st = r->status > also_st ? r->status : also_st;
			also_seen = true;
			continue;
		}
		label = xasprintf("%s (%s)", r->label ? r->label : id, p->when);
		free(r->id);
		r->id = xstrdup(id);
		free(r->label);
		r->label = label;
		st = r->status;
	}
	if (rep->n && !e->cancelled) {
		char *res;

		check_report_store(rep, a->st->doc);
		res = xasprintf("%s: %s%s", prefix, check_status_word(st),
				e->cancelled ? " (cancelled)" : "");
		if (!app_commit(a, p->step, p->item, "check", res)) {
			/* the message line says what failed */
		} else if (ping_unexpected(p->expect, answered_before, st == CHECK_OK)) {
			app_message(a, true, "%s did NOT come back %s (ping %s): open it below "
				    "for what to do; w shows the way back", p->item, p->when,
				    check_status_word(st));
		} else {
			app_message(a, st >= CHECK_FAILED || also_st == CHECK_FAILED,
				    "%s ping %s: %s%s%s%s%s", p->item, p->when,
				    check_status_word(st),
				    st != CHECK_OK && p->expect == EXPECT_DOWN ? " (expected down)" : "",
				    also_seen ? "; ports: " : "",
				    also_seen ? check_status_word(also_st) : "",
				    st >= CHECK_FAILED && p->expect != EXPECT_DOWN
				    ? "; w shows the way back" : "");
		}
		free(res);
	} else {
		app_message(a, false, "ping of %s cancelled: nothing recorded", p->item);
	}
	free(id);
	free(bid);
}

static const struct job_ops ping_ops = { .work = ping_work, .done = ping_done };

bool checkjob_ping(struct app *a, const char *server, const struct rb_ping *ping)
{
	bool before = ping->moment == PING_BEFORE;
	struct ping_job *p;

	if (job_running(&a->job)) {
		app_message(a, true, "ticked, but the ping of %s %s was not taken: the checks are "
			    "running. When they finish, press r to ping every server",
			    server, ping->when);
		return false;
	}
	p = xcalloc(1, sizeof *p);
	p->before = before;
	p->expect = ping->expect;
	snprintf(p->check, sizeof p->check, "%s", ping->check);
	snprintf(p->when, sizeof p->when, "%s", ping->when);
	snprintf(p->also, sizeof p->also, "%s", ping->also ? ping->also : "");
	snprintf(p->item, sizeof p->item, "%s", server);
	snprintf(p->runbook, sizeof p->runbook, "%s", a->rb->id);
	snprintf(p->step, sizeof p->step, "%s", app_step(a)->id);
	if (!app_job_start(a, &ping_ops, p))
		return false;
	app_message(a, false, "pinging %s %s: Esc cancels", server, ping->when);
	return true;
}
