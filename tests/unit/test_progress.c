/* test_progress.c - item counts, next action, status rules, the
 * restore-database order rule (Deployment Controller first) and the
 * decommission lock, with their recorded overrides. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <criterion/criterion.h>

#include "check.h"
#include "progress.h"
#include "rollback.h"
#include "runbook.h"
#include "state.h"
#include "util.h"

static char dir[64];
static char path[128];
static struct state *st;

static void setup(void)
{
	struct state_error err;

	strcpy(dir, "/tmp/osm-progress-XXXXXX");
	cr_assert_not_null(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/state.ini", dir);
	st = state_open(path, &err);
	cr_assert_not_null(st, "%s", err.msg);
}

static void teardown(void)
{
	char cmd[256];

	if (st)
		state_close(st);
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	cr_assert_eq(system(cmd), 0);
}

TestSuite(progress, .init = setup, .fini = teardown);

static const struct runbook *use(const char *id)
{
	state_set_runbook(st, id);
	return runbook_find(id);
}

static void add_server(const char *name, const char *role)
{
	doc_add_section(st->doc, "server", name);
	doc_set(st->doc, "server", name, "role", role);
}

static void tick_all_items(const struct runbook *rb, const char *step, const char *item)
{
	const struct rb_step *s = runbook_step(rb, step);
	char why[512];

	for (size_t i = 0; i < s->n_item_actions; i++)
		cr_assert_eq(progress_tick(st, rb, step, item, s->item_actions[i].id, true,
					   why, sizeof why), GATE_OPEN, "%s", why);
}

Test(progress, item_counts_follow_the_settings_sections)
{
	const struct runbook *rb = use("connector-migration");
	const struct rb_step *s = runbook_step(rb, "rebind");
	struct step_progress p;
	char buf[128];

	progress_step(st, rb, s, &p);
	progress_format(s, &p, buf, sizeof buf);
	cr_assert_eq(p.n_items, 0);
	cr_assert_str_eq(buf, "no extensions configured, 0/1 actions");

	doc_add_section(st->doc, "extension", "Orders DB");
	doc_add_section(st->doc, "extension", "Billing");
	doc_add_section(st->doc, "extension", "CRM");
	tick_all_items(rb, "rebind", "Billing");
	progress_step(st, rb, s, &p);
	progress_format(s, &p, buf, sizeof buf);
	cr_assert_eq(p.n_items, 3);
	cr_assert_eq(p.items_done, 1);
	cr_assert_str_eq(buf, "1/3 extensions done, 0/1 actions");
	cr_assert_eq(state_item_status(st, "rebind", "Billing"), STEP_DONE);
	cr_assert_eq(state_step_status(st, "rebind"), STEP_IN_PROGRESS);
}

/* The deploy step's items are deployment targets: the environment the
 * migration was done in is not one (issue 12), and its checklist follows
 * the real order: connection, deploy, mapping during it, test. */
Test(progress, deploy_does_not_offer_the_environment_migrated_in)
{
	const struct runbook *rb = use("connector-migration");
	const struct rb_step *s = runbook_step(rb, "deploy");
	const char **items;
	size_t n;

	doc_add_section(st->doc, "environment", "Development");
	doc_set(st->doc, "environment", "Development", "migrated_here", "yes");
	doc_add_section(st->doc, "environment", "Quality");
	doc_set(st->doc, "environment", "Quality", "migrated_here", "no");
	doc_add_section(st->doc, "environment", "Production");
	items = progress_items(st, s, &n);
	cr_assert_eq(n, 2);
	cr_assert_str_eq(items[0], "Quality");
	cr_assert_str_eq(items[1], "Production");
	cr_assert_null(items[2]);
	free(items);

	cr_assert_eq(s->n_item_actions, 4);
	cr_assert_str_eq(s->item_actions[0].id, "create_connection");
	cr_assert_str_eq(s->item_actions[1].id, "deploy");
	cr_assert_str_eq(s->item_actions[2].id, "map_connection");
	cr_assert_str_eq(s->item_actions[3].id, "test");
	cr_assert_not_null(strstr(s->item_actions[2].text, "during the deployment"));
}

Test(progress, status_rules_first_tick_and_all_ticked)
{
	const struct runbook *rb = use("connector-migration");
	const struct rb_step *s = runbook_step(rb, "rebind");
	char why[512];

	doc_add_section(st->doc, "extension", "Orders DB");
	cr_assert_eq(state_step_status(st, "rebind"), STEP_PENDING);
	cr_assert_eq(progress_tick(st, rb, "rebind", "Orders DB", "select_extension", true,
				   why, sizeof why), GATE_OPEN);
	cr_assert_eq(state_item_status(st, "rebind", "Orders DB"), STEP_IN_PROGRESS);
	cr_assert_eq(state_step_status(st, "rebind"), STEP_IN_PROGRESS);
	progress_tick(st, rb, "rebind", "Orders DB", "change_connection", true, why, sizeof why);
	cr_assert_eq(state_item_status(st, "rebind", "Orders DB"), STEP_DONE);
	/* The step action is still open. */
	cr_assert_eq(state_step_status(st, "rebind"), STEP_IN_PROGRESS);
	progress_tick(st, rb, "rebind", NULL, s->actions[0].id, true, why, sizeof why);
	cr_assert_eq(state_step_status(st, "rebind"), STEP_DONE);
	/* Unticking moves both back. */
	progress_tick(st, rb, "rebind", "Orders DB", "change_connection", false, why, sizeof why);
	cr_assert_eq(state_item_status(st, "rebind", "Orders DB"), STEP_IN_PROGRESS);
	cr_assert_eq(state_step_status(st, "rebind"), STEP_IN_PROGRESS);
	progress_tick(st, rb, "rebind", "Orders DB", "select_extension", false, why, sizeof why);
	progress_tick(st, rb, "rebind", NULL, s->actions[0].id, false, why, sizeof why);
	cr_assert_eq(state_item_status(st, "rebind", "Orders DB"), STEP_PENDING);
	cr_assert_eq(state_step_status(st, "rebind"), STEP_PENDING);
}

Test(progress, skipped_needs_a_reason_and_is_kept)
{
	const struct runbook *rb = use("connector-migration");
	char why[512];
	bool ok;

	progress_set_status(st, rb, "types", NULL, STEP_SKIPPED, "  ", &ok, why, sizeof why);
	cr_assert_not(ok);
	cr_assert_neq(strstr(why, "reason"), NULL);
	cr_assert_eq(state_step_status(st, "types"), STEP_PENDING);
	progress_set_status(st, rb, "types", NULL, STEP_SKIPPED, "no ardo columns", &ok, why,
			    sizeof why);
	cr_assert(ok);
	cr_assert_eq(state_step_status(st, "types"), STEP_SKIPPED);
	cr_assert_str_eq(doc_get(st->doc, "step", "types", "reason"), "no ardo columns");
	/* A tick does not silently un-skip. */
	progress_tick(st, rb, "types", NULL, "review_findings", true, why, sizeof why);
	cr_assert_eq(state_step_status(st, "types"), STEP_SKIPPED);
}

Test(progress, next_action_walks_the_procedure)
{
	const struct runbook *rb = use("connector-migration");
	struct progress_next nx;
	char why[512];
	bool ok;

	progress_next(st, rb, &nx);
	cr_assert_str_eq(nx.step->id, "prerequisites");
	cr_assert_null(nx.item);
	cr_assert_str_eq(nx.action->id, "platform_version");
	progress_tick(st, rb, "prerequisites", NULL, "platform_version", true, why, sizeof why);
	progress_next(st, rb, &nx);
	cr_assert_str_eq(nx.action->id, "pg_version");

	for (size_t i = 0; i < 2; i++)
		progress_set_status(st, rb, rb->steps[i].id, NULL, STEP_DONE, NULL, &ok, why,
				    sizeof why);
	/* the type scan comes before the first rebind */
	progress_next(st, rb, &nx);
	cr_assert_str_eq(nx.step->id, "type_scan");
	cr_assert_str_eq(nx.action->id, "run_scan");
	progress_set_status(st, rb, "type_scan", NULL, STEP_DONE, NULL, &ok, why, sizeof why);
	doc_add_section(st->doc, "extension", "A");
	doc_add_section(st->doc, "extension", "B");
	progress_tick(st, rb, "rebind", NULL, "select_ardo", true, why, sizeof why);
	tick_all_items(rb, "rebind", "A");
	progress_next(st, rb, &nx);
	cr_assert_str_eq(nx.step->id, "rebind");
	cr_assert_str_eq(nx.item, "B");
	cr_assert_str_eq(nx.action->id, "select_extension");

	for (size_t i = 0; i < rb->n_steps; i++)
		progress_set_status(st, rb, rb->steps[i].id, NULL, STEP_SKIPPED, "test", &ok, why,
				    sizeof why);
	progress_next(st, rb, &nx);
	cr_assert_null(nx.step);
}

Test(progress, controller_before_front_ends)
{
	const struct runbook *rb = use("restore-database");
	struct progress_next nx;
	char why[512];
	bool ok;

	for (size_t i = 0; i < 6; i++) /* everything before "servers" */
		progress_set_status(st, rb, rb->steps[i].id, NULL, STEP_DONE, NULL, &ok, why,
				    sizeof why);
	add_server("FE1", "frontend");
	add_server("DC", "controller");
	add_server("FE2", "frontend");

	/* The controller comes first even when listed later. */
	progress_next(st, rb, &nx);
	cr_assert_str_eq(nx.step->id, "servers");
	cr_assert_str_eq(nx.item, "DC");

	cr_assert_eq(progress_tick(st, rb, "servers", "FE1", "open_tool", true, why, sizeof why),
		     GATE_ORDER);
	cr_assert_neq(strstr(why, "'DC'"), NULL, "%s", why);
	cr_assert_not(state_ticked(st, "servers", "FE1", "open_tool", NULL, NULL));
	progress_set_status(st, rb, "servers", "FE1", STEP_DONE, NULL, &ok, why, sizeof why);
	cr_assert_not(ok);
	cr_assert_eq(state_item_status(st, "servers", "FE1"), STEP_PENDING);

	/* The controller itself is never held back; a half-done one still blocks. */
	cr_assert_eq(progress_tick(st, rb, "servers", "DC", "open_tool", true, why, sizeof why),
		     GATE_OPEN);
	cr_assert_eq(progress_gate(st, rb, "servers", "FE1", why, sizeof why), GATE_ORDER);
	tick_all_items(rb, "servers", "DC");
	cr_assert_eq(state_item_status(st, "servers", "DC"), STEP_DONE);
	cr_assert_eq(progress_tick(st, rb, "servers", "FE1", "open_tool", true, why, sizeof why),
		     GATE_OPEN);
	/* Unticking is never gated, and the rule is restore-database's only. */
	cr_assert_eq(progress_gate(st, rb, "stop", "FE2", why, sizeof why), GATE_OPEN);
}

Test(progress, order_override_needs_a_reason_and_is_recorded)
{
	const struct runbook *rb = use("restore-database");
	struct state_error err;
	char why[512];

	add_server("DC", "controller");
	add_server("FE1", "frontend");
	add_server("FE2", "frontend");
	cr_assert_not(progress_override(st, rb, "servers", "FE1", GATE_ORDER, " \t", why,
					sizeof why));
	cr_assert_eq(progress_gate(st, rb, "servers", "FE1", why, sizeof why), GATE_ORDER);
	cr_assert(progress_override(st, rb, "servers", "FE1", GATE_ORDER, "DC is being rebuilt", why,
				    sizeof why), "%s", why);
	cr_assert_eq(progress_tick(st, rb, "servers", "FE1", "open_tool", true, why, sizeof why),
		     GATE_OPEN);
	/* The override survives the status change of the first tick, and a save. */
	cr_assert_str_eq(doc_get(st->doc, "item", "servers:FE1", "reason"),
			 "override: DC is being rebuilt");
	cr_assert(state_save(st, &err), "%s", err.msg);
	state_close(st);
	st = state_open(path, &err);
	cr_assert_not_null(st, "%s", err.msg);
	rb = runbook_find(state_runbook(st));
	cr_assert_eq(progress_gate(st, rb, "servers", "FE1", why, sizeof why), GATE_OPEN);
	/* Per front-end: FE2 is still held back. */
	cr_assert_eq(progress_gate(st, rb, "servers", "FE2", why, sizeof why), GATE_ORDER);
}

Test(progress, no_controller_configured_blocks_front_ends)
{
	const struct runbook *rb = use("restore-database");
	char why[512];

	add_server("FE1", "frontend");
	cr_assert_eq(progress_gate(st, rb, "servers", "FE1", why, sizeof why), GATE_ORDER);
	cr_assert_neq(strstr(why, "role = controller"), NULL, "%s", why);
}

Test(progress, decommission_locked_until_clone_verified)
{
	const struct runbook *rb = use("restore-database");
	const struct rb_step *s = runbook_step(rb, "decommission");
	struct step_progress p;
	char why[1024];
	bool ok;

	progress_step(st, rb, s, &p);
	cr_assert(p.locked);
	cr_assert_eq(progress_tick(st, rb, "decommission", NULL, "working", true, why, sizeof why),
		     GATE_LOCKED);
	cr_assert_neq(strstr(why, "has not run"), NULL, "%s", why);
	/* The point of no return: every earlier step is named while pending. */
	cr_assert_neq(strstr(why, "Also pending before it: steps 'prerequisites' (pending), "), NULL,
		      "%s", why);
	cr_assert_neq(strstr(why, "'settings' (pending) and 'republish' (pending)."), NULL, "%s", why);
	for (int i = 0; i < runbook_step_index(rb, "decommission"); i++) {
		progress_set_status(st, rb, rb->steps[i].id, NULL, STEP_SKIPPED, "done by hand",
				    &ok, why, sizeof why);
		cr_assert(ok, "%s", why);
	}
	progress_set_status(st, rb, "decommission", NULL, STEP_DONE, NULL, &ok, why, sizeof why);
	cr_assert_not(ok);
	/* Skipping the decommission is always possible: it keeps the way back. */
	cr_assert_eq(progress_gate(st, rb, "verify", NULL, why, sizeof why), GATE_OPEN);

	doc_add_section(st->doc, "check", "clone_compare");
	doc_set(st->doc, "check", "clone_compare", "status", "failed");
	cr_assert_eq(progress_gate(st, rb, "decommission", NULL, why, sizeof why), GATE_LOCKED);
	cr_assert_neq(strstr(why, "'failed'"), NULL, "%s", why);
	doc_set(st->doc, "check", "clone_compare", "status", "ok");
	/* ok without the digest of its settings (an older osmigrate): unknown
	 * settings, so it does not unlock */
	cr_assert_eq(progress_gate(st, rb, "decommission", NULL, why, sizeof why), GATE_LOCKED);
	cr_assert_neq(strstr(why, "no longer counts"), NULL, "%s", why);
	doc_set(st->doc, "compare", NULL, "old", "host=db1 dbname=shop");
	doc_set(st->doc, "compare", NULL, "new", "host=db2 dbname=shop");
	{
		char *dg = check_settings_digest(st->doc, "clone_compare");

		doc_set(st->doc, "check", "clone_compare", "settings_digest", dg);
		free(dg);
	}
	cr_assert_eq(progress_gate(st, rb, "decommission", NULL, why, sizeof why), GATE_OPEN);
	progress_step(st, rb, s, &p);
	cr_assert_not(p.locked);
	/* [compare] changed after the ok: that ok is about another database. */
	doc_set(st->doc, "compare", NULL, "new", "host=db3 dbname=shop");
	cr_assert_eq(progress_gate(st, rb, "decommission", NULL, why, sizeof why), GATE_LOCKED);
	cr_assert_neq(strstr(why, "settings changed since this check ran"), NULL, "%s", why);
	progress_set_status(st, rb, "decommission", NULL, STEP_DONE, NULL, &ok, why, sizeof why);
	cr_assert_not(ok, "a stale ok never lets decommission be marked done");
	progress_step(st, rb, s, &p);
	cr_assert(p.locked);
	/* Settings other than [compare] do not touch it. */
	doc_set(st->doc, "compare", NULL, "new", "host=db2 dbname=shop");
	doc_set(st->doc, "endpoint", NULL, "new", "db9:5432");
	cr_assert_eq(progress_gate(st, rb, "decommission", NULL, why, sizeof why), GATE_OPEN);
	/* A later failed verification locks it again. */
	doc_set(st->doc, "check", "clone_compare", "status", "error");
	cr_assert_eq(progress_gate(st, rb, "decommission", NULL, why, sizeof why), GATE_LOCKED);
}

Test(progress, decommission_override_is_recorded)
{
	const struct runbook *rb = use("restore-database");
	char why[512];
	bool ok;

	cr_assert_not(progress_override(st, rb, "decommission", NULL, GATE_LOCKED, "", why,
					sizeof why));
	cr_assert(progress_override(st, rb, "decommission", NULL, GATE_LOCKED,
				    "Oracle database, verified with RMAN", why, sizeof why));
	cr_assert_eq(progress_tick(st, rb, "decommission", NULL, "working", true, why, sizeof why),
		     GATE_OPEN);
	progress_set_status(st, rb, "decommission", NULL, STEP_DONE, NULL, &ok, why, sizeof why);
	cr_assert(ok);
	cr_assert_eq(state_step_status(st, "decommission"), STEP_DONE);
	cr_assert_str_eq(doc_get(st->doc, "step", "decommission", "reason"),
			 "override: Oracle database, verified with RMAN");
	cr_assert_str_eq(progress_override_prompt(rb, "decommission", GATE_OPEN), "");
	cr_assert_neq(strlen(progress_override_prompt(rb, "decommission", GATE_LOCKED)), 0);
}

Test(progress, endpoint_change_has_no_gates)
{
	const struct runbook *rb = use("endpoint-change");
	char why[512];

	add_server("FE1", "frontend");
	cr_assert_eq(progress_gate(st, rb, "servers", "FE1", why, sizeof why), GATE_OPEN);
}

/* The gates are runbook data, not ids in the code: a made-up runbook with
 * an order gate on its extensions and a lock gate that waits for a step
 * (no check) is held back by the same functions. */
static const struct rb_action mk_actions[] = { { "go", "Go." } };
static const struct rb_action mk_item_actions[] = { { "one", "One." }, { "two", "Two." } };
static const char *const mk_after[] = { "first", NULL };
static const struct rb_gate mk_order[] = {
	{ .kind = RB_GATE_ORDER, .key = "tier", .value = "core", .first = "core extension",
	  .others = "plain extension", .finished = "rebound", .seed = "cores first",
	  .prompt = "Why this one first?" },
};
static const struct rb_gate mk_lock[] = {
	{ .kind = RB_GATE_LOCK, .after = mk_after, .prompt = "Why go on?" },
};
static const struct rb_step mk_steps[] = {
	{ .id = "first", .title = "First", .items = ITEM_EXTENSION,
	  .item_actions = mk_item_actions, .n_item_actions = 2,
	  .gates = mk_order, .n_gates = 1 },
	{ .id = "last", .title = "Last", .actions = mk_actions, .n_actions = 1,
	  .gates = mk_lock, .n_gates = 1 },
};
static const struct runbook mk_runbook = {
	.id = "made-up", .title = "Made up", .steps = mk_steps, .n_steps = 2,
};

static void add_extension(const char *name, const char *tier)
{
	doc_add_section(st->doc, "extension", name);
	doc_set(st->doc, "extension", name, "tier", tier);
}

Test(progress, gates_are_runbook_data)
{
	const struct runbook *rb = &mk_runbook;
	struct progress_next nx;
	struct step_progress p;
	char why[512];
	bool ok;

	add_extension("Plain", "leaf");
	cr_assert_eq(progress_gate(st, rb, "first", "Plain", why, sizeof why), GATE_ORDER);
	cr_assert_neq(strstr(why, "no extension has tier = core: the core extension must be "
			     "rebound first"), NULL, "%s", why);
	add_extension("Core", "core");
	progress_next(st, rb, &nx);
	cr_assert_str_eq(nx.item, "Core", "the item the gate puts first is next");
	cr_assert_eq(progress_tick(st, rb, "first", "Plain", "one", true, why, sizeof why),
		     GATE_ORDER);
	cr_assert_neq(strstr(why, "'Plain' is a plain extension: finish the checklist of the "
			     "core extension 'Core' first (cores first)"), NULL, "%s", why);
	cr_assert_str_eq(progress_override_prompt(rb, "first", GATE_ORDER), "Why this one first?");

	/* The lock waits for the step "first", which has no check. */
	progress_step(st, rb, &mk_steps[1], &p);
	cr_assert(p.locked);
	cr_assert_eq(progress_tick(st, rb, "last", NULL, "go", true, why, sizeof why), GATE_LOCKED);
	cr_assert_neq(strstr(why, "until the step 'first' is done or skipped (it is pending)"),
		      NULL, "%s", why);
	cr_assert_str_eq(progress_override_prompt(rb, "last", GATE_LOCKED), "Why go on?");
	{
		const struct rb_gate *g;
		const char *pending;

		cr_assert(progress_lock_why(st, rb, &mk_steps[1], &g, &pending));
		cr_assert_eq(g, &mk_lock[0]);
		cr_assert_str_eq(pending, "first");
		cr_assert_not(progress_lock_why(st, rb, &mk_steps[0], &g, &pending));
		cr_assert_null(g);
	}
	tick_all_items(rb, "first", "Core");
	cr_assert_eq(progress_gate(st, rb, "first", "Plain", why, sizeof why), GATE_OPEN);
	progress_set_status(st, rb, "first", "Plain", STEP_SKIPPED, "not used", &ok, why, sizeof why);
	cr_assert(ok);
	cr_assert_eq(state_step_status(st, "first"), STEP_DONE);
	cr_assert_eq(progress_gate(st, rb, "last", NULL, why, sizeof why), GATE_OPEN);
	progress_step(st, rb, &mk_steps[1], &p);
	cr_assert_not(p.locked);
}

/* A lock with both a check and steps: the check speaks first, then the steps. */
static const char *const rd_after[] = { "republish", NULL };
static const struct rb_gate rd_lock_both[] = {
	{ .kind = RB_GATE_LOCK, .check = "clone_compare", .subject = "clone", .passed = "verified",
	  .after = rd_after, .prompt = "Why?" },
};

Test(progress, lock_with_check_and_steps)
{
	const struct runbook *real = runbook_find("restore-database");
	struct rb_step *steps = xcalloc(real->n_steps, sizeof *steps);
	struct runbook rb = *real;
	int d = runbook_step_index(real, "decommission");
	const struct rb_gate *g;
	const char *pending;
	char why[512];

	memcpy(steps, real->steps, real->n_steps * sizeof *steps);
	steps[d].gates = rd_lock_both;
	steps[d].n_gates = 1;
	rb.steps = steps;
	state_set_runbook(st, rb.id);
	cr_assert_eq(progress_gate(st, &rb, "decommission", NULL, why, sizeof why), GATE_LOCKED);
	cr_assert_neq(strstr(why, "clone_compare has not run"), NULL, "%s", why);
	cr_assert(progress_lock_why(st, &rb, &steps[d], &g, &pending));
	cr_assert_null(pending, "the check speaks first");
	doc_set(st->doc, "compare", NULL, "old", "host=db1 dbname=shop");
	doc_set(st->doc, "compare", NULL, "new", "host=db2 dbname=shop");
	doc_add_section(st->doc, "check", "clone_compare");
	doc_set(st->doc, "check", "clone_compare", "status", "ok");
	{
		char *dg = check_settings_digest(st->doc, "clone_compare");

		doc_set(st->doc, "check", "clone_compare", "settings_digest", dg);
		free(dg);
	}
	cr_assert_eq(progress_gate(st, &rb, "decommission", NULL, why, sizeof why), GATE_LOCKED);
	cr_assert_neq(strstr(why, "until the step 'republish' is done or skipped"), NULL, "%s", why);
	cr_assert(progress_lock_why(st, &rb, &steps[d], &g, &pending));
	cr_assert_str_eq(pending, "republish");
	state_set_step_status(st, "republish", STEP_SKIPPED, "no warning to republish");
	cr_assert_eq(progress_gate(st, &rb, "decommission", NULL, why, sizeof why), GATE_OPEN);
	free(steps);
}

/* The way back (rollback.h): the servers already reconfigured, the
 * controller last whatever the file order; its ticks change no progress. */
Test(progress, rollback_path_controller_last_and_ticks_apart)
{
	const struct runbook *rb = use("endpoint-change");
	const struct rb_step *s = runbook_step(rb, rb->rollback->step);
	struct rollback_path p;
	struct step_progress before, after;

	add_server("DC", "controller");
	add_server("FE1", "frontend");
	add_server("FE2", "frontend");
	cr_assert(rollback_build(st, rb, &p));
	cr_assert_eq(p.n, 0, "nothing reconfigured yet");
	rollback_free(&p);
	state_tick(st, s->id, "DC", s->item_actions[0].id, true);
	state_tick(st, s->id, "FE2", s->item_actions[0].id, true);
	cr_assert(rollback_build(st, rb, &p));
	cr_assert_eq(p.n, 2);
	cr_assert_str_eq(p.e[0].item, "FE2");
	cr_assert_str_eq(p.e[1].item, "DC");
	cr_assert(p.e[1].controller);
	rollback_free(&p);
	cr_assert_not(rollback_happened(st, rb));
	progress_step(st, rb, s, &before);
	cr_assert_not(rollback_tick(st, rb, "FE2", s->item_actions[0].id, true),
		      "a forward action is not a rollback action");
	cr_assert(rollback_tick(st, rb, "FE2", rb->rollback->actions[0].id, true));
	cr_assert(rollback_happened(st, rb));
	progress_step(st, rb, s, &after);
	cr_assert_eq(before.items_started, after.items_started);
	cr_assert_eq(progress_item_ticked(st, s, "FE2"), 1, "rollback ticks are not progress");
	cr_assert_eq(rollback_item_ticked(st, rb, "FE2"), 1);
}

Test(progress, rollback_addresses_name_the_old_endpoint)
{
	size_t n;
	char **l;

	doc_set(st->doc, "endpoint", "platform", "old", "old.example:5432");
	doc_set(st->doc, "endpoint", "platform", "new", "new.example:5432");
	doc_set(st->doc, "endpoint", "log", "old", "oldlog.example:5432");
	l = rollback_addresses(st->doc, &n);
	cr_assert_eq(n, 2, "one line per database with addresses, session has none");
	cr_assert_str_eq(l[0], "Platform database address to put back: old.example:5432 "
			 "(the servers use new.example:5432 now)");
	cr_assert_str_eq(l[1], "Log database address to put back: oldlog.example:5432");
	rollback_lines_free(l, n);
}

/* The lock waits for every step before decommission, once the clone passed. */
Test(progress, decommission_waits_for_every_earlier_step)
{
	const struct runbook *rb = use("restore-database");
	int d = runbook_step_index(rb, "decommission");
	char why[1024];
	bool ok;

	doc_set(st->doc, "compare", NULL, "old", "host=db1 dbname=shop");
	doc_set(st->doc, "compare", NULL, "new", "host=db2 dbname=shop");
	doc_add_section(st->doc, "check", "clone_compare");
	doc_set(st->doc, "check", "clone_compare", "status", "ok");
	{
		char *dg = check_settings_digest(st->doc, "clone_compare");

		doc_set(st->doc, "check", "clone_compare", "settings_digest", dg);
		free(dg);
	}
	for (int i = 0; i < d; i++)
		if (!str_eq(rb->steps[i].id, "solution") && !str_eq(rb->steps[i].id, "stop"))
			state_set_step_status(st, rb->steps[i].id, STEP_DONE, NULL);
	cr_assert_eq(progress_gate(st, rb, "decommission", NULL, why, sizeof why), GATE_LOCKED);
	cr_assert_neq(strstr(why, "until the steps 'stop' (pending) and 'solution' (pending) are "
			     "done or skipped"), NULL, "%s", why);
	progress_set_status(st, rb, "decommission", NULL, STEP_DONE, NULL, &ok, why, sizeof why);
	cr_assert_not(ok);
	state_set_step_status(st, "stop", STEP_SKIPPED, "no front-ends");
	cr_assert_eq(progress_gate(st, rb, "decommission", NULL, why, sizeof why), GATE_LOCKED);
	cr_assert_neq(strstr(why, "until the step 'solution' is done or skipped"), NULL, "%s", why);
	state_set_step_status(st, "solution", STEP_DONE, NULL);
	cr_assert_eq(progress_gate(st, rb, "decommission", NULL, why, sizeof why), GATE_OPEN, "%s",
		     why);
}

/* A result as the runner stores it: its status and the digest of the
 * settings it read now (current), or another digest (stale). */
static void add_result(const char *id, const char *status, bool current)
{
	doc_add_section(st->doc, "check", id);
	doc_set(st->doc, "check", id, "status", status);
	doc_set(st->doc, "check", id, "at", "2026-12-02T23:00:00Z");
	if (current) {
		char *dg = check_settings_digest(st->doc, id);

		cr_assert_not_null(dg, "%s", id);
		doc_set(st->doc, "check", id, "settings_digest", dg);
		free(dg);
	} else {
		doc_set(st->doc, "check", id, "settings_digest", "0000000000000000");
	}
}

Test(progress, failed_item_check_gates_done_until_overridden)
{
	const struct runbook *rb = use("connector-migration");
	const struct rb_step *s = runbook_step(rb, "consumers");
	char why[1024];
	bool ok;

	doc_add_section(st->doc, "consumer", "OrdersUI");
	doc_set(st->doc, "consumer", "OrdersUI", "url", "http://127.0.0.1:1/OrdersUI/_ping.html");
	doc_add_section(st->doc, "consumer", "Billing");
	doc_set(st->doc, "consumer", "Billing", "url", "http://127.0.0.1:1/Billing/_ping.html");
	add_result("consumer_ping:OrdersUI", "failed", true);
	/* The tick that completes the item is refused, the others are not. */
	for (size_t i = 0; i + 1 < s->n_item_actions; i++)
		cr_assert_eq(progress_tick(st, rb, "consumers", "OrdersUI", s->item_actions[i].id, true,
					   why, sizeof why), GATE_OPEN, "%s", why);
	cr_assert_eq(progress_tick(st, rb, "consumers", "OrdersUI",
				   s->item_actions[s->n_item_actions - 1].id, true, why, sizeof why),
		     GATE_RESULTS);
	cr_assert_neq(strstr(why, "'OrdersUI' cannot be marked done: its check "
			     "consumer_ping:OrdersUI FAILED"), NULL, "%s", why);
	cr_assert_neq(strstr(why, "osmigrate check connector-migration --step consumers"), NULL,
		      "%s", why);
	progress_set_status(st, rb, "consumers", "OrdersUI", STEP_DONE, NULL, &ok, why, sizeof why);
	cr_assert_not(ok);
	cr_assert_eq(progress_done_gate(st, rb, "consumers", "OrdersUI", why, sizeof why),
		     GATE_RESULTS);
	/* Another item's failure does not gate Billing; the step's does. */
	cr_assert_eq(progress_done_gate(st, rb, "consumers", "Billing", why, sizeof why), GATE_FORCED);
	cr_assert_eq(progress_done_gate(st, rb, "consumers", NULL, why, sizeof why), GATE_RESULTS);

	cr_assert_not(progress_override(st, rb, "consumers", "OrdersUI", GATE_RESULTS, " ", why,
					sizeof why));
	cr_assert_not(progress_override(st, rb, "consumers", "OrdersUI", GATE_ORDER, "x", why,
					sizeof why), "no order gate to override");
	cr_assert(progress_override(st, rb, "consumers", "OrdersUI", GATE_RESULTS,
				    "known outage of the ping page", why, sizeof why), "%s", why);
	{
		char *sec = state_item_section("consumers", "OrdersUI");

		cr_assert_str_eq(doc_get(st->doc, "item", sec, "reason"),
				 "override: known outage of the ping page");
		cr_assert_str_eq(doc_get(st->doc, "item", sec, "overrode"),
				 "result consumer_ping:OrdersUI FAILED 2026-12-02T23:00:00Z");
		cr_assert_str_eq(doc_get(st->doc, "item", sec, "override_by"), operator_id());
		cr_assert_not_null(doc_get(st->doc, "item", sec, "override_at"));
		free(sec);
	}
	cr_assert_eq(progress_tick(st, rb, "consumers", "OrdersUI",
				   s->item_actions[s->n_item_actions - 1].id, true, why, sizeof why),
		     GATE_OPEN, "%s", why);
	cr_assert_eq(state_item_status(st, "consumers", "OrdersUI"), STEP_DONE);
	/* The item's override covers its result for the step too. */
	cr_assert_eq(progress_done_gate(st, rb, "consumers", NULL, why, sizeof why), GATE_OPEN, "%s",
		     why);
	/* A result of another check that fails later closes the gate again. */
	add_result("consumer_ping:Billing", "failed", true);
	cr_assert_eq(progress_done_gate(st, rb, "consumers", NULL, why, sizeof why), GATE_RESULTS);
	cr_assert_neq(strstr(why, "consumer_ping:Billing FAILED"), NULL, "%s", why);
	cr_assert_null(strstr(why, "OrdersUI"), "%s", why);
	/* A skipped item's results do not hold the step back. */
	progress_set_status(st, rb, "consumers", "Billing", STEP_SKIPPED, "retired", &ok, why,
			    sizeof why);
	cr_assert(ok);
	cr_assert_eq(progress_done_gate(st, rb, "consumers", NULL, why, sizeof why), GATE_OPEN, "%s",
		     why);
}

Test(progress, stale_result_gates_a_step)
{
	const struct runbook *rb = use("connector-migration");
	char why[1024];
	bool ok;

	doc_set(st->doc, "target", NULL, "host", "db1");
	add_result("target_connect", "ok", false);
	progress_set_status(st, rb, "connection", NULL, STEP_DONE, NULL, &ok, why, sizeof why);
	cr_assert_not(ok, "a stale ok does not pass");
	cr_assert_neq(strstr(why, "the step 'connection' cannot be marked done: its check "
			     "target_connect is stale ("), NULL, "%s", why);
	add_result("target_connect", "ok", true);
	add_result("source_connect", "warning", true);
	progress_set_status(st, rb, "connection", NULL, STEP_DONE, NULL, &ok, why, sizeof why);
	cr_assert(ok, "ok and warnings pass: %s", why);
}

Test(progress, type_blockers_gate_the_type_scan_step)
{
	const struct runbook *rb = use("connector-migration");
	const struct rb_step *s = runbook_step(rb, "type_scan");
	char why[1024];
	bool ok;

	add_result("type_verification", "failed", true);
	for (size_t i = 0; i + 1 < s->n_actions; i++)
		cr_assert_eq(progress_tick(st, rb, "type_scan", NULL, s->actions[i].id, true, why,
					   sizeof why), GATE_OPEN, "%s", why);
	cr_assert_eq(progress_tick(st, rb, "type_scan", NULL, s->actions[s->n_actions - 1].id, true, why,
				   sizeof why), GATE_RESULTS);
	cr_assert_neq(strstr(why, "type_verification FAILED"), NULL, "%s", why);
	cr_assert(progress_override(st, rb, "type_scan", NULL, GATE_RESULTS,
				    "blockers accepted by the owner", why, sizeof why));
	progress_set_status(st, rb, "type_scan", NULL, STEP_DONE, NULL, &ok, why, sizeof why);
	cr_assert(ok, "%s", why);
}

Test(progress, forced_item_needs_a_reason_and_shows)
{
	const struct runbook *rb = use("restore-database");
	const struct rb_step *s = runbook_step(rb, "stop");
	char why[1024];
	bool ok;

	add_server("DC", "controller");
	cr_assert_eq(progress_set_status(st, rb, "stop", "DC", STEP_DONE, NULL, &ok, why, sizeof why),
		     GATE_FORCED);
	cr_assert_not(ok);
	cr_assert_neq(strstr(why, "'DC' has 1 of 1 actions unticked"), NULL, "%s", why);
	cr_assert(progress_override(st, rb, "stop", "DC", GATE_FORCED,
				    "stopped from the cluster manager", why, sizeof why));
	cr_assert_eq(progress_set_status(st, rb, "stop", "DC", STEP_DONE, NULL, &ok, why, sizeof why),
		     GATE_OPEN);
	cr_assert(ok);
	cr_assert(progress_forced(st, rb, s, "DC"));
	cr_assert_str_eq(progress_mark(st, rb, s, "DC", STEP_DONE), "[x]!");
	cr_assert_str_eq(progress_overrode(st, "stop", "DC"), "forced: 0/1 actions ticked");
	/* The step is done by its items; every item counts as finished. */
	cr_assert_eq(state_step_status(st, "stop"), STEP_DONE);
	cr_assert_not(progress_forced(st, rb, s, NULL), "the item is forced, not the step");
	/* A step marked done with its actions unticked is forced too. */
	progress_set_status(st, rb, "backup", NULL, STEP_DONE, NULL, &ok, why, sizeof why);
	cr_assert(ok);
	cr_assert_str_eq(progress_mark(st, rb, runbook_step(rb, "backup"), NULL, STEP_DONE), "[x]!");
	cr_assert(progress_tick(st, rb, "backup", NULL, "backup", true, why, sizeof why) == GATE_OPEN);
	cr_assert_str_eq(progress_mark(st, rb, runbook_step(rb, "backup"), NULL, STEP_DONE), "[x]");
}

/* M3: a skipped item is not counted as done; a skip carries to the later
 * steps that list the same items until reopened there. */
Test(progress, skipped_items_are_not_done_and_carry_to_later_steps)
{
	const struct runbook *rb = use("connector-migration");
	const struct rb_step *rebind = runbook_step(rb, "rebind");
	const struct rb_step *refresh = runbook_step(rb, "refresh");
	const struct rb_step *from;
	struct step_progress p;
	const char *reason;
	char buf[128], why[1024];
	bool ok;

	doc_add_section(st->doc, "extension", "Orders");
	doc_add_section(st->doc, "extension", "HRDB");
	tick_all_items(rb, "rebind", "Orders");
	progress_set_status(st, rb, "rebind", "HRDB", STEP_SKIPPED, "HRDB stays on ardo", &ok, why,
			    sizeof why);
	cr_assert(ok);
	progress_step(st, rb, rebind, &p);
	progress_format(rebind, &p, buf, sizeof buf);
	cr_assert_str_eq(buf, "1/2 extensions done, 1 skipped, 0/1 actions");

	cr_assert_eq(progress_item_status(st, rb, refresh, "HRDB", &reason, &from), STEP_SKIPPED);
	cr_assert_str_eq(reason, "HRDB stays on ardo");
	cr_assert_eq(from, rebind);
	cr_assert_eq(progress_item_status(st, rb, refresh, "Orders", &reason, &from), STEP_PENDING);
	cr_assert_null(from);
	/* The next action of refresh skips it; finishing Orders finishes the step. */
	{
		struct progress_next nx;

		state_set_step_status(st, "prerequisites", STEP_DONE, NULL);
		state_set_step_status(st, "connection", STEP_DONE, NULL);
		state_set_step_status(st, "type_scan", STEP_DONE, NULL);
		state_set_step_status(st, "rebind", STEP_DONE, NULL);
		progress_next(st, rb, &nx);
		cr_assert_eq(nx.step, refresh);
		cr_assert_str_eq(nx.item, "Orders");
	}
	tick_all_items(rb, "refresh", "Orders");
	cr_assert_eq(state_step_status(st, "refresh"), STEP_DONE);
	/* Reopened here: pending here, still skipped in rebind. */
	progress_set_status(st, rb, "refresh", "HRDB", STEP_PENDING, NULL, &ok, why, sizeof why);
	cr_assert(ok);
	cr_assert_eq(progress_item_status(st, rb, refresh, "HRDB", NULL, &from), STEP_PENDING);
	cr_assert_null(from);
	cr_assert_eq(progress_item_status(st, rb, rebind, "HRDB", NULL, NULL), STEP_SKIPPED);
	cr_assert_eq(state_step_status(st, "refresh"), STEP_IN_PROGRESS);
}

Test(progress, verdict_complete_only_without_overrides)
{
	const struct runbook *rb = use("endpoint-change");
	struct progress_overrides o;
	char buf[64], why[1024];
	size_t n;
	bool ok;

	cr_assert_eq(progress_verdict(st, rb, &n), PROGRESS_INCOMPLETE);
	progress_verdict_text(PROGRESS_INCOMPLETE, 0, buf, sizeof buf);
	cr_assert_str_eq(buf, "incomplete");
	add_server("FE1", "frontend");
	for (size_t i = 0; i < rb->n_steps; i++) {
		const struct rb_step *s = &rb->steps[i];

		for (size_t a = 0; a < s->n_actions; a++)
			progress_tick(st, rb, s->id, NULL, s->actions[a].id, true, why, sizeof why);
	}
	tick_all_items(rb, "servers", "FE1");
	cr_assert_eq(progress_verdict(st, rb, &n), PROGRESS_COMPLETE);
	cr_assert_eq(n, 0);
	/* The same, with one step marked done with its action unticked. */
	progress_tick(st, rb, "solution", NULL, "create_solution", false, why, sizeof why);
	progress_set_status(st, rb, "solution", NULL, STEP_DONE, NULL, &ok, why, sizeof why);
	cr_assert(ok);
	cr_assert_eq(progress_verdict(st, rb, &n), PROGRESS_COMPLETE_OVERRIDES);
	cr_assert_eq(n, 1);
	progress_verdict_text(PROGRESS_COMPLETE_OVERRIDES, n, buf, sizeof buf);
	cr_assert_str_eq(buf, "complete with 1 override");
	progress_overrides(st, rb, &o);
	cr_assert_eq(o.n, 1);
	cr_assert_str_eq(o.r[0].step->id, "solution");
	cr_assert(o.r[0].forced);
	cr_assert_null(o.r[0].reason);
	cr_assert_eq(o.r[0].ticked, 0);
	cr_assert_eq(o.r[0].total, 1);
	progress_overrides_free(&o);
	progress_verdict_text(PROGRESS_COMPLETE_OVERRIDES, 2, buf, sizeof buf);
	cr_assert_str_eq(buf, "complete with 2 overrides");
}

/* A server whose after-ping FAILED once it was done: the last tick of the
 * next server would complete the step, so the step's checks gate it; the
 * override is recorded on the step, not as a forced server. */
Test(progress, completing_tick_gated_by_the_steps_checks)
{
	const struct runbook *rb = use("endpoint-change");
	const struct rb_step *s = runbook_step(rb, "servers");
	char why[1024];
	bool ok;

	add_server("A", "frontend");
	add_server("B", "frontend");
	tick_all_items(rb, "servers", "A");
	add_result("server_ping:A", "failed", true);
	for (size_t i = 0; i + 1 < s->n_item_actions; i++)
		cr_assert_eq(progress_tick(st, rb, "servers", "B", s->item_actions[i].id, true, why,
					   sizeof why), GATE_OPEN, "%s", why);
	cr_assert_eq(progress_tick(st, rb, "servers", "B", s->item_actions[s->n_item_actions - 1].id,
				   true, why, sizeof why), GATE_RESULTS);
	cr_assert_neq(strstr(why, "the step 'servers' cannot be marked done: its check "
			     "server_ping:A FAILED"), NULL, "%s", why);
	/* Marking B done is held back the same way. */
	cr_assert_eq(progress_set_status(st, rb, "servers", "B", STEP_DONE, NULL, &ok, why,
					 sizeof why), GATE_FORCED);
	cr_assert(progress_override(st, rb, "servers", "B", GATE_RESULTS, "A checked by hand", why,
				    sizeof why), "%s", why);
	cr_assert_str_eq(progress_overrode(st, "servers", NULL),
			 "result server_ping:A FAILED 2026-12-02T23:00:00Z");
	cr_assert_null(progress_overrode(st, "servers", "B"));
	cr_assert_eq(progress_tick(st, rb, "servers", "B", s->item_actions[s->n_item_actions - 1].id,
				   true, why, sizeof why), GATE_OPEN, "%s", why);
	cr_assert_eq(state_step_status(st, "servers"), STEP_DONE);
	cr_assert_not(progress_forced(st, rb, s, "B"));
}

/* A state file written before the type scan moved in front of the first
 * rebind (issue 13): steps are stored by id ([step "ID"], current = ID,
 * [check "ID"] named by the check), so it loads and resumes where it was.
 * The seed's data-types step ("types") keeps its ticks; the stored
 * type_verification result now belongs to the step that runs the scan,
 * which, never ticked, is the next thing to do. */
Test(progress, state_from_before_the_type_scan_step_resumes)
{
	static const char old[] =
		"[osmigrate]\n"
		"version = 1\n"
		"runbook = connector-migration\n"
		"created = 2026-11-20T21:00:00Z\n"
		"updated = 2026-11-20T22:10:00Z\n"
		"updated_by = op@admin\n"
		"current = refresh\n"
		"\n"
		"[extension \"HRDB\"]\n"
		"tables = hr.emp\n"
		"\n"
		"[step \"prerequisites\"]\n"
		"status = done\n"
		"\n"
		"[step \"connection\"]\n"
		"status = done\n"
		"\n"
		"[step \"rebind\"]\n"
		"status = done\n"
		"\n"
		"[step \"types\"]\n"
		"status = in-progress\n"
		"tick.review_findings = op@admin 2026-11-20T22:00:00Z\n"
		"\n"
		"[check \"type_verification\"]\n"
		"status = failed\n"
		"at = 2026-11-20T22:00:00Z\n"
		"label = column types and stored values under both connectors\n"
		"summary = 1 blocker(s), 0 warning(s), 0 info(s) over 3 column(s) in 1 table(s)\n";
	const struct runbook *rb = runbook_find("connector-migration");
	char opath[160];
	struct state_error err;
	struct state *o;
	struct step_progress p;
	struct check_results rs;
	struct progress_next nx;
	FILE *f;

	snprintf(opath, sizeof opath, "%s/old.ini", dir);
	f = fopen(opath, "w");
	cr_assert_not_null(f);
	fputs(old, f);
	fclose(f);
	chmod(opath, 0600);
	o = state_open(opath, &err);
	cr_assert_not_null(o, "an old state file loads: %s", err.msg);
	cr_assert_str_eq(state_current(o), "refresh", "resumes where it was");
	progress_step(o, rb, runbook_step(rb, "types"), &p);
	cr_assert_eq(p.actions_ticked, 1, "the seed's data-types step keeps its tick");
	check_results_for_step(o->doc, rb->id, "type_scan", &rs);
	cr_assert_eq(rs.n, 1, "the stored scan result belongs to the scan step");
	cr_assert_str_eq(rs.r[0].id, "type_verification");
	check_results_free(&rs);
	check_results_for_step(o->doc, rb->id, "types", &rs);
	cr_assert_eq(rs.n, 0);
	check_results_free(&rs);
	cr_assert_eq(state_step_status(o, "type_scan"), STEP_PENDING);
	progress_next(o, rb, &nx);
	cr_assert_str_eq(nx.step->id, "type_scan");
	cr_assert(state_save(o, &err), "%s", err.msg);
	state_close(o);
}
