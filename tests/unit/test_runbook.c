/* test_runbook.c - every documented step of each seed has its place in the
 * runbook tables, in the documented order; ids are stable and well formed. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>

#include "runbook.h"
#include "util.h"

/* The seed's sentences, in the seed's order.  Each must occur in the seed
 * (after removing markdown emphasis and link targets) and in the runbook's
 * text (intro, warning, actions, item actions, step by step), in order. */
static const char *const cm_sentences[] = {
	"Platform Server 11.15.0 or later",
	"supported versions",
	"Adapt your existing extensions to use the supported connector, then republish and test the consumer modules",
	"go to Administration tab > Database Connections",
	"Select New Database Connection, set DBMS to PostgreSQL / Aurora PostgreSQL, and set the remaining fields",
	"Select Test Connection to check if the connection is working correctly, and then select Create to create the database connection",
	"In Database Connections, select the ardoPostgreSQL database connection",
	"This database connection has PostgreSQL as the Provider Name",
	"In the Extensions tab of the database connection, select the",
	"In the Operations tab of the extension, change the Database Connection to the new database connection you previously created",
	"In Integration Studio, open",
	"Select Refresh Entity, and then publish the extension to the development environment",
	"\"all components\" solution",
	"any other modules that have dependencies to those consumer modules",
	"no runtime errors or unexpected behavior while showing or saving data",
	"data types of saved data",
	"deploy them to the other environments",
	NULL,
};

static const char *const ec_sentences[] = {
	"both old/current database address and new address are accessible",
	"In each application server (servers with roles Front-End or Deployment Controller)",
	"Open the Configuration Tool.",
	"Change the database server address in the Database related tabs (Platform, Session and Log)",
	"Click Apply and Exit",
	"If you are prompted to run Service Center installation, answer Yes",
	"If you are prompted to restart OutSystems Services, answer Yes",
	"Ensure all OutSystems Services are running",
	"Access Service Center > Factory > Solutions and create a solution with all modules",
	"Apply settings to all modules of the solution",
	"If there is a warning to republish the modules, publish the solution by clicking Publish for the Current Running Version",
	NULL,
};

static const char *const rd_sentences[] = {
	"installation in .NET stack",
	"hosts only the database",
	"The database was on server A and will be moved to server B",
	"The database remains intact, without alterations to the data or database users",
	"No changes will be done to the application servers",
	"keep the old database server running until the operation is complete, in case you need to rollback",
	"Prepare the new database server by executing the steps of the installation checklist (Task: First Install, Role: Database)",
	"Stop the IIS and the OutSystems Services in all front-ends",
	"Back up the old database",
	"Restore the backup to the new database server",
	"start by executing the steps below in the deployment controller server, and then repeat the same steps for each front-end server",
	"Open the Configuration Tool.",
	"Confirm the database connection details in Database related tabs (Platform, Session and Log) and change them if necessary",
	"Start IIS",
	"Click Apply and Exit",
	"When prompted to run Service Center installation, answer Yes",
	"When prompted to restart OutSystems Services, answer Yes",
	"Ensure all OutSystems Services are running",
	"create a solution with all modules",
	"Apply settings to all modules of the solution",
	"publish the solution by clicking Publish for the Current Running Version",
	"decommission the old database server",
	NULL,
};

/* The runbook's words, step by step, in screen order. */
static char *runbook_text(const struct runbook *rb)
{
	struct strbuf sb = STRBUF_INIT;

	for (size_t i = 0; i < rb->n_steps; i++) {
		const struct rb_step *s = &rb->steps[i];

		sb_addf(&sb, "%s\n", s->intro);
		if (s->warning)
			sb_addf(&sb, "%s\n", s->warning);
		for (size_t a = 0; a < s->n_actions; a++)
			sb_addf(&sb, "%s\n", s->actions[a].text);
		for (size_t a = 0; a < s->n_item_actions; a++)
			sb_addf(&sb, "%s\n", s->item_actions[a].text);
	}
	return sb_detach(&sb);
}

/* The seed with markdown stripped: '*' removed, "[text](url)" -> "text". */
static char *seed_text(const char *file)
{
	const char *dir = getenv("OSMIGRATE_SEEDS");
	char path[1024];
	struct strbuf sb = STRBUF_INIT;
	FILE *f;
	int c, prev = 0;

	if (!dir) {
		const char *top = getenv("top_srcdir");
		snprintf(path, sizeof path, "%s/../shared/seeds/%s", top ? top : ".", file);
	} else {
		snprintf(path, sizeof path, "%s/%s", dir, file);
	}
	f = fopen(path, "r");
	if (!f)
		return NULL;
	while ((c = fgetc(f)) != EOF) {
		if (c == '*' || c == '[')
			continue;
		if (c == '(' && prev == ']') {
			while ((c = fgetc(f)) != EOF && c != ')')
				;
			prev = 0;
			continue;
		}
		if (c == ']') {
			prev = c;
			continue;
		}
		sb_addc(&sb, (char)c);
		prev = c;
	}
	fclose(f);
	return sb_detach(&sb);
}

static const char *find_ci(const char *hay, const char *needle)
{
	size_t n = strlen(needle);

	for (; *hay; hay++)
		if (strncasecmp(hay, needle, n) == 0)
			return hay;
	return NULL;
}

static void check_order(const char *what, const char *text, const char *const *sentences)
{
	const char *pos = text;

	for (size_t i = 0; sentences[i]; i++) {
		const char *hit = find_ci(pos, sentences[i]);
		cr_assert_not_null(hit, "%s: \"%s\" missing or out of order", what, sentences[i]);
		pos = hit;
	}
}

static void check_runbook(const char *id, const char *const *sentences)
{
	const struct runbook *rb = runbook_find(id);
	char *text, *seed;

	cr_assert_not_null(rb, "runbook %s", id);
	text = runbook_text(rb);
	check_order(id, text, sentences);
	free(text);

	seed = seed_text(rb->seed);
	if (!seed)
		cr_skip_test("seed %s not found beside the tree (set OSMIGRATE_SEEDS)", rb->seed);
	check_order(rb->seed, seed, sentences);
	cr_assert_not_null(strstr(seed, rb->title), "seed title \"%s\"", rb->title);
	free(seed);
}

Test(runbook, connector_migration_follows_seed) { check_runbook("connector-migration", cm_sentences); }
Test(runbook, endpoint_change_follows_seed) { check_runbook("endpoint-change", ec_sentences); }
Test(runbook, restore_database_follows_seed) { check_runbook("restore-database", rd_sentences); }

Test(runbook, connector_migration_step_ids)
{
	static const char *const ids[] = { "prerequisites", "connection", "type_scan", "rebind",
					   "refresh", "republish", "consumers", "types", "deploy" };
	const struct runbook *rb = runbook_find("connector-migration");

	cr_assert_eq(rb->n_steps, OSM_ARRAY_LEN(ids));
	for (size_t i = 0; i < rb->n_steps; i++)
		cr_assert_str_eq(rb->steps[i].id, ids[i]);
}

static bool id_ok(const char *id)
{
	if (!id || !*id)
		return false;
	for (const char *p = id; *p; p++)
		if (!islower((unsigned char)*p) && !isdigit((unsigned char)*p) && *p != '_' && *p != '-')
			return false;
	return true;
}

Test(runbook, ids_unique_and_well_formed)
{
	cr_assert_eq(n_runbooks, 3);
	for (size_t r = 0; r < n_runbooks; r++) {
		const struct runbook *rb = runbooks[r];

		cr_assert(id_ok(rb->id));
		for (size_t i = 0; i < rb->n_steps; i++) {
			const struct rb_step *s = &rb->steps[i];

			cr_assert(id_ok(s->id), "step id %s", s->id);
			cr_assert(strlen(s->title) <= 30, "title too long: %s", s->title);
			cr_assert(s->n_actions + s->n_item_actions > 0, "%s/%s has nothing to do", rb->id, s->id);
			cr_assert_eq(runbook_step_index(rb, s->id), (int)i, "duplicate step %s", s->id);
			cr_assert((s->items == ITEM_NONE) == (s->n_item_actions == 0), "%s items", s->id);
			for (size_t a = 0; a < s->n_actions; a++) {
				cr_assert(id_ok(s->actions[a].id));
				cr_assert_eq(step_action(s, s->actions[a].id, false), &s->actions[a],
					     "duplicate action %s/%s", s->id, s->actions[a].id);
			}
			for (size_t a = 0; a < s->n_item_actions; a++) {
				cr_assert(id_ok(s->item_actions[a].id));
				cr_assert_eq(step_action(s, s->item_actions[a].id, true), &s->item_actions[a]);
			}
		}
	}
	cr_assert_null(runbook_find("nope"));
	cr_assert_null(runbook_step(runbook_find("endpoint-change"), "nope"));
}

Test(runbook, restore_servers_mention_controller_first)
{
	const struct runbook *rb = runbook_find("restore-database");
	const struct rb_step *s = runbook_step(rb, "servers");

	cr_assert_not_null(s);
	cr_assert_eq(s->items, ITEM_SERVER);
	cr_assert_not_null(strstr(s->warning, "deployment controller"));
	cr_assert(runbook_step_index(rb, "verify") < runbook_step_index(rb, "decommission"));
}

#include "check.h"

/* The check catalogue and the runbooks agree: every check belongs to a step
 * of its runbook, ids are unique within a runbook, a check shared by two
 * runbooks is found under each, and every check has its function. */
Test(runbook, check_registry_matches_steps)
{
	for (size_t i = 0; i < n_check_infos; i++) {
		const struct check_info *d = &check_infos[i];
		const struct runbook *rb = runbook_find(d->runbook);
		const struct check_def *f = check_find(d->runbook, d->id);

		cr_assert_not_null(rb, "check %s: runbook %s", d->id, d->runbook);
		cr_assert_not_null(runbook_step(rb, d->step), "check %s: step %s", d->id, d->step);
		cr_assert(step_has_checks(rb, runbook_step(rb, d->step)));
		cr_assert(f && f->fn && str_eq(f->id, d->id), "check %s has no function", d->id);
		cr_assert_eq(check_info_find(d->runbook, d->id), d, "duplicate check %s in %s", d->id,
			     d->runbook);
	}
	/* and every function belongs to a check of the catalogue, once */
	for (size_t i = 0; i < n_check_defs; i++) {
		cr_assert_not_null(check_info_find(NULL, check_defs[i].id), "function for unknown check %s",
				   check_defs[i].id);
		cr_assert_eq(check_find(NULL, check_defs[i].id), &check_defs[i], "%s bound twice",
			     check_defs[i].id);
	}
	cr_assert_str_eq(check_info_find("restore-database", "endpoint_new")->step, "prepare");
	cr_assert_str_eq(check_info_find("endpoint-change", "endpoint_new")->step, "endpoints");
	cr_assert_null(check_info_find("connector-migration", "endpoint_new"));
	cr_assert_null(check_find("connector-migration", "endpoint_new"));
	cr_assert_not(step_has_checks(runbook_find("restore-database"),
				      runbook_step(runbook_find("restore-database"), "backup")));
}

/* Gates, pings and the type verification are data the code follows
 * (progress.h, the wizard); they must name things that exist. */
Test(runbook, gates_pings_and_types_are_consistent)
{
	size_t scans = 0;

	for (size_t r = 0; r < n_runbooks; r++) {
		const struct runbook *rb = runbooks[r];

		for (size_t i = 0; i < rb->n_steps; i++) {
			const struct rb_step *s = &rb->steps[i];

			for (size_t g = 0; g < s->n_gates; g++) {
				const struct rb_gate *gt = &s->gates[g];

				cr_assert_eq(step_gate(s, gt->kind), gt, "%s/%s: one gate per kind",
					     rb->id, s->id);
				cr_assert(gt->prompt && *gt->prompt, "%s/%s: override prompt", rb->id,
					  s->id);
				if (gt->kind == RB_GATE_ORDER) {
					cr_assert_neq(s->items, ITEM_NONE, "%s/%s: order over items",
						      rb->id, s->id);
					cr_assert(gt->key && gt->value && gt->first && gt->others &&
						  gt->finished && gt->seed, "%s/%s", rb->id, s->id);
					continue;
				}
				cr_assert_eq(gt->kind, RB_GATE_LOCK);
				cr_assert(gt->check || gt->after, "%s/%s: a lock waits for something",
					  rb->id, s->id);
				if (gt->check) {
					const struct check_info *d = check_info_find(rb->id, gt->check);

					cr_assert_not_null(d, "%s/%s: lock check %s", rb->id, s->id,
							   gt->check);
					cr_assert_lt(runbook_step_index(rb, d->step), (int)i,
						     "%s/%s: its check runs in an earlier step", rb->id,
						     s->id);
					cr_assert(gt->subject && gt->passed);
				}
				for (size_t k = 0; gt->after && gt->after[k]; k++)
					cr_assert_lt(runbook_step_index(rb, gt->after[k]), (int)i,
						     "%s/%s: waits for an earlier step %s", rb->id,
						     s->id, gt->after[k]);
			}
			if (s->n_pings) {
				cr_assert_eq(s->items, ITEM_SERVER, "%s/%s: pings servers", rb->id, s->id);
				cr_assert_not_null(step_ping_at(s, PING_AFTER), "%s/%s", rb->id, s->id);
			}
			for (size_t k = 0; k < s->n_pings; k++) {
				const struct rb_ping *pg = &s->pings[k];
				const struct check_info *d = check_info_find(rb->id, pg->check);

				cr_assert_not_null(d, "%s/%s: the ping's check %s is the runbook's",
						   rb->id, s->id, pg->check);
				cr_assert(pg->when && *pg->when);
				cr_assert(!pg->also || check_info_find(rb->id, pg->also),
					  "%s/%s: the check run with the ping, %s, is the runbook's",
					  rb->id, s->id, pg->also);

				cr_assert_not_null(step_action(s, pg->action, true),
						   "%s/%s: ping on item action %s", rb->id, s->id,
						   pg->action);
				cr_assert_eq(step_ping_at(s, pg->moment), pg, "%s/%s: one ping per moment",
					     rb->id, s->id);
			}
			if (s->types == TYPES_SCAN) {
				const struct check_info *d = check_info_find(rb->id, "type_verification");

				scans++;
				cr_assert(d && str_eq(d->step, s->id), "%s/%s: runs the type check",
					  rb->id, s->id);
			}
			if (s->types != TYPES_NONE)
				cr_assert(runbook_has_types(rb));
		}
	}
	cr_assert_eq(scans, 1, "one step runs the type scan");
}

/* What the seeds say, as data: restore-database puts the Deployment
 * Controller first on "servers" and locks "decommission" until the clone
 * verification passed; the servers of both farm runbooks are pinged
 * around their reconfiguration, and one that answered before must answer
 * after; connector-migration sums up the type verification where the
 * consumers are tested. */
Test(runbook, the_seeds_gates_as_data)
{
	const struct runbook *rd = runbook_find("restore-database");
	const struct runbook *ec = runbook_find("endpoint-change");
	const struct runbook *cm = runbook_find("connector-migration");
	const struct rb_gate *g;
	size_t gated = 0;

	g = step_gate(runbook_step(rd, "servers"), RB_GATE_ORDER);
	cr_assert_not_null(g);
	cr_assert_str_eq(g->key, "role");
	cr_assert_str_eq(g->value, "controller");
	g = step_gate(runbook_step(rd, "decommission"), RB_GATE_LOCK);
	cr_assert_not_null(g);
	cr_assert_str_eq(g->check, "clone_compare");
	for (size_t r = 0; r < n_runbooks; r++)
		for (size_t i = 0; i < runbooks[r]->n_steps; i++)
			gated += runbooks[r]->steps[i].n_gates;
	cr_assert_eq(gated, 2, "no other gate");

	for (int k = 0; k < 2; k++) {
		const struct rb_step *s = runbook_step(k ? rd : ec, "servers");

		cr_assert_eq(s->n_pings, 2);
		cr_assert_str_eq(step_ping_at(s, PING_BEFORE)->action, s->item_actions[0].id);
		cr_assert_str_eq(step_ping_at(s, PING_AFTER)->action,
				 s->item_actions[s->n_item_actions - 1].id);
		/* endpoint-change: up before and after; restore-database: down
		 * from the stop until IIS is started again, up after. */
		cr_assert_eq(step_ping_at(s, PING_AFTER)->expect, k ? EXPECT_UP : EXPECT_AS_BEFORE);
		cr_assert_eq(step_ping_at(s, PING_BEFORE)->expect, k ? EXPECT_DOWN : EXPECT_NOTHING);
		cr_assert_str_eq(step_ping_at(s, PING_BEFORE)->check,
				 k ? "server_stopped" : "server_ping");
		cr_assert_str_eq(step_ping_at(s, PING_AFTER)->check, "server_ping");
	}
	{
		const struct rb_step *s = runbook_step(rd, "stop");
		const struct check_info *d = check_info_find(rd->id, "server_stopped");

		cr_assert_eq(s->n_pings, 1);
		cr_assert_eq(step_ping_at(s, PING_AFTER)->expect, EXPECT_DOWN);
		cr_assert_str_eq(step_ping_at(s, PING_AFTER)->check, "server_stopped");
		cr_assert(d && str_eq(d->step, "stop"), "r on the stop step checks they are down");
	}
	cr_assert(ping_unexpected(EXPECT_UP, false, false));
	cr_assert_not(ping_unexpected(EXPECT_UP, false, true));
	cr_assert_not(ping_unexpected(EXPECT_DOWN, true, true));
	cr_assert(ping_unexpected(EXPECT_AS_BEFORE, true, false));
	cr_assert_not(ping_unexpected(EXPECT_AS_BEFORE, false, false));
	cr_assert_not(ping_unexpected(EXPECT_AS_BEFORE, true, true));
	cr_assert_not(ping_unexpected(EXPECT_NOTHING, true, false));

	cr_assert_eq(runbook_step(cm, "consumers")->types, TYPES_SUMMARY);
	cr_assert_eq(runbook_step(cm, "types")->types, TYPES_SUMMARY);
	cr_assert_eq(runbook_step(cm, "type_scan")->types, TYPES_SCAN);
	/* what Refresh Entity will do, per extension, where they are rebound and refreshed */
	cr_assert_eq(runbook_step(cm, "rebind")->types, TYPES_ITEMS);
	cr_assert_eq(runbook_step(cm, "refresh")->types, TYPES_ITEMS);
	for (size_t r = 0; r < n_runbooks; r++)
		for (size_t i = 0; i < runbooks[r]->n_steps; i++)
			if (runbooks[r]->steps[i].types == TYPES_ITEMS)
				cr_assert_eq(runbooks[r]->steps[i].items, ITEM_EXTENSION);
	cr_assert(runbook_has_types(cm));
	cr_assert_eq(runbook_types_step(cm), runbook_step(cm, "type_scan"),
		     "a scan started anywhere is recorded under the step that runs it");
	cr_assert_null(runbook_types_step(ec));
	cr_assert_not(runbook_has_types(ec));
	cr_assert_not(runbook_has_types(rd));
}

/* Issue 13: the type verification runs, and shows its blockers, before the
 * first rebind: a step of its own, marked as added by osmigrate (as
 * restore-database's "verify"), in front of the first step whose items are
 * extensions; the seed's steps keep their order, and the seed's "Test
 * consumer modules" data-types step keeps the full list (a summary). */
Test(runbook, type_scan_before_the_first_rebind)
{
	const struct runbook *cm = runbook_find("connector-migration");
	const struct runbook *rd = runbook_find("restore-database");
	int scan = -1, first_ext = -1, summary = -1;

	for (size_t i = 0; i < cm->n_steps; i++) {
		const struct rb_step *s = &cm->steps[i];

		if (s->types == TYPES_SCAN)
			scan = (int)i;
		if (s->items == ITEM_EXTENSION && first_ext < 0)
			first_ext = (int)i;
		if (s->types == TYPES_SUMMARY && s->items == ITEM_NONE)
			summary = (int)i;
	}
	cr_assert_geq(scan, 0);
	cr_assert_lt(scan, first_ext, "the scan comes before the first rebind");
	cr_assert_gt(summary, first_ext, "the seed's data-types step keeps the full list");
	cr_assert(str_startswith(cm->steps[scan].intro, "Added by osmigrate"),
		  "marked as an addition: %s", cm->steps[scan].intro);
	cr_assert(str_startswith(runbook_step(rd, "verify")->intro, "Added by osmigrate"));
	for (size_t i = 0; i < cm->n_steps; i++)
		if ((int)i != scan)
			cr_assert_not(str_startswith(cm->steps[i].intro, "Added by osmigrate"),
				      "%s is the seed's", cm->steps[i].id);
}
