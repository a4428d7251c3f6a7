/* runbook.c - the three procedures, transcribed from the seed documents in
 * ../shared/seeds/.  Every numbered step of a seed is an action below, in
 * the seed's order and in its words (tests/unit/test_runbook.c holds each
 * seed sentence against these tables).  Steps the wizard adds for its own
 * checks (restore-database "verify") say so in their intro.  What a step
 * holds back (gates), when its servers are pinged and what is expected of
 * them, and where the type verification shows are data here too
 * (runbook.h), each gate beside the seed sentence it encodes. */
#include "config.h"

#include <string.h>

#include "checklist.h"
#include "doc.h"
#include "runbook.h"
#include "util.h"

#define ACTIONS(a) a, OSM_ARRAY_LEN(a)
#define NO_ACTIONS NULL, 0
#define NO_GATES NULL, 0
#define NO_PINGS NULL, 0

const char *item_kind_section(enum item_kind k)
{
	switch (k) {
	case ITEM_EXTENSION: return "extension";
	case ITEM_CONSUMER: return "consumer";
	case ITEM_SERVER: return "server";
	case ITEM_ENVIRONMENT: return "environment";
	case ITEM_NONE: break;
	}
	return NULL;
}

const char *item_kind_label(enum item_kind k)
{
	switch (k) {
	case ITEM_EXTENSION: return "extension";
	case ITEM_CONSUMER: return "consumer module";
	case ITEM_SERVER: return "application server";
	case ITEM_ENVIRONMENT: return "environment";
	case ITEM_NONE: break;
	}
	return NULL;
}

const char *item_kind_not_item_key(enum item_kind k)
{
	return k == ITEM_ENVIRONMENT ? "migrated_here" : NULL;
}

/* ------------------------------------------------------------------ */
/* connector-migration: "Migrate from ardoPostgreSQL to supported PostgreSQL connector" */

static const char *const cm_approaches[] = {
	"1: adapt the existing extensions (this wizard)",
	"2: new extensions, update the consumers",
	"3: new extensions and new consumers",
	NULL,
};

static const struct rb_field cm_prereq_fields[] = {
	{ "platform_version", "Platform Server version", FIELD_VERSION, NULL,
	  "As shown in Service Center > Administration > Environment Health, e.g. 11.31.0. "
	  "Used when LifeTime is not configured." },
	{ "approach", "Migration approach", FIELD_CHOICE, cm_approaches,
	  "The seed describes three approaches; this wizard walks approach 1." },
};

static const struct rb_action cm_prereq[] = {
	{ "platform_version", "Confirm every environment runs Platform Server 11.15.0 or later." },
	{ "pg_version", "Confirm the PostgreSQL database is on one of the supported versions." },
	{ "approach", "Choose the approach: this wizard follows the first option, adapt your "
		      "existing extensions to use the supported connector, then republish and "
		      "test the consumer modules." },
};

static const struct rb_action cm_connection[] = {
	{ "open_dbconn", "In the Service Center console of the development environment, go to "
			 "Administration tab > Database Connections." },
	{ "new_dbconn", "Select New Database Connection, set DBMS to PostgreSQL / Aurora "
			"PostgreSQL, and set the remaining fields." },
	{ "test_create", "Select Test Connection to check if the connection is working correctly, "
			 "and then select Create to create the database connection." },
};

/* Added by osmigrate: the type verification before the first rebind (its
 * own advice is "before refreshing entities"); the seed's "Test consumer
 * modules" step ("types" below) keeps the full list for the consumer tests. */
static const struct rb_action cm_type_scan[] = {
	{ "run_scan", "Run the type verification (r) through the new connection: every column "
		      "in scope under both connectors, and the stored values probed." },
	{ "review_blockers", "Review each blocker (t) and do what its fix says, or agree with the "
			     "owners of the consumer modules how to handle it, before you rebind "
			     "the first extension." },
};

static const struct rb_action cm_rebind[] = {
	{ "select_ardo", "In Database Connections, select the ardoPostgreSQL database connection. "
			 "This database connection has PostgreSQL as the Provider Name." },
};

static const struct rb_action cm_rebind_item[] = {
	{ "select_extension", "In the Extensions tab of the database connection, select the extension." },
	{ "change_connection", "In the Operations tab of the extension, change the Database "
			       "Connection to the new database connection you previously created." },
};

static const struct rb_action cm_refresh_item[] = {
	{ "open_extension", "In Integration Studio, open the extension you updated." },
	{ "refresh_publish", "Select Refresh Entity, and then publish the extension to the "
			     "development environment." },
};

static const char *const cm_solutions[] = {
	"all components solution",
	"solution with the consumer modules and their dependents",
	NULL,
};

static const struct rb_field cm_republish_fields[] = {
	{ "solution", "Solution to publish", FIELD_CHOICE, cm_solutions,
	  "Either republishes every consumer module and the modules that depend on them." },
};

static const struct rb_action cm_republish[] = {
	{ "create_solution", "In Service Center, create an \"all components\" solution, or a solution "
			     "containing the consumer modules that have dependencies to the updated "
			     "extensions, and also any other modules that have dependencies to those "
			     "consumer modules." },
	{ "publish_solution", "Publish the solution." },
};

static const struct rb_action cm_consumer_item[] = {
	{ "no_errors", "Test the module: no runtime errors or unexpected behavior while showing "
		       "or saving data." },
};

static const struct rb_action cm_types[] = {
	{ "review_findings", "Review the type verification: the way both connectors handle the data "
			     "types mapping may differ." },
	{ "saved_data", "Pay special attention to the data types of saved data in each consumer "
			"module (critical)." },
};

/* The seed points at "Deploy an Integration With an External Database":
 * the connection exists in the target environment before the deployment,
 * and LifeTime asks for the logical database's mapping during it. */
static const struct rb_action cm_deploy_item[] = {
	{ "create_connection", "In the Service Center console of this environment, go to "
			       "Administration tab > Database Connections and create the supported "
			       "PostgreSQL / Aurora PostgreSQL database connection (Test Connection, "
			       "then Create)." },
	{ "deploy", "In LifeTime, deploy the updated extensions and consumer modules to this "
		    "environment." },
	{ "map_connection", "When LifeTime asks during the deployment, map each extension's "
			    "logical database to the supported database connection of this "
			    "environment." },
	{ "test", "Test the consumer modules in this environment." },
};

static const struct rb_step cm_steps[] = {
	{ "prerequisites", "Prerequisites", "Prerequisites",
	  "Platform Server 11.15.0 or later, and the PostgreSQL database on one of the supported "
	  "versions. Three approaches exist: (1) adapt your existing extensions to the supported "
	  "connector, then republish and test the consumers - useful with many consumers, each "
	  "must be tested; (2) create new extensions and update the consumers to reference them - "
	  "more development effort; (3) create new extensions and new consumer modules - the "
	  "highest effort but the least risky. This wizard follows approach 1.",
	  ACTIONS(cm_prereq), ITEM_NONE, NO_ACTIONS, ACTIONS(cm_prereq_fields), NULL,
	  NO_GATES, NO_PINGS, TYPES_NONE },
	{ "connection", "Create database connection", "Create database connection",
	  "Create a supported PostgreSQL / Aurora PostgreSQL database connection in the "
	  "development environment. The wizard tests the same connection from this host "
	  "(settings [target]) and goes further: TLS, latency, privileges on the tables in scope. "
	  "It also records each consumer module's _ping.html before the rebind, to see later "
	  "that it was republished.",
	  ACTIONS(cm_connection), ITEM_NONE, NO_ACTIONS, NULL, 0, NULL,
	  NO_GATES, NO_PINGS, TYPES_NONE },
	{ "type_scan", "Scan data types", "Test consumer modules",
	  "Added by osmigrate: Refresh Entity (step Refresh entities) imports every attribute again "
	  "through the supported connector, which maps PostgreSQL types differently. Before the "
	  "first extension is rebound, the wizard classifies every column in scope under both "
	  "connectors and probes the stored values, so you know which attributes will change and "
	  "which values the supported connector cannot read. The Rebind and Refresh steps show "
	  "each extension's findings; the step Verify data types keeps the full list for the "
	  "consumer tests.",
	  ACTIONS(cm_type_scan), ITEM_NONE, NO_ACTIONS, NULL, 0,
	  "A blocker left unresolved breaks the extension's consumers after Refresh Entity.",
	  NO_GATES, NO_PINGS, TYPES_SCAN },
	{ "rebind", "Rebind extensions", "Update database connection for extensions",
	  "Update each extension that uses the ardoPostgreSQL database connection so that it uses "
	  "the supported PostgreSQL database connection. Repeat for each extension.",
	  ACTIONS(cm_rebind), ITEM_EXTENSION, ACTIONS(cm_rebind_item), NULL, 0, NULL,
	  NO_GATES, NO_PINGS, TYPES_ITEMS },
	{ "refresh", "Refresh entities", "Refresh entities in extensions",
	  "Refresh each of the extensions updated in the previous step. The wizard checks that "
	  "every table an extension uses exists and is readable through the new connection.",
	  NO_ACTIONS, ITEM_EXTENSION, ACTIONS(cm_refresh_item), NULL, 0,
	  "Attribute types can change silently on Refresh Entity: each extension below shows "
	  "what the type verification found in its tables.",
	  NO_GATES, NO_PINGS, TYPES_ITEMS },
	{ "republish", "Republish consumers", "Republish consumer modules",
	  "Republish the consumer modules that have dependencies to the updated extensions, and "
	  "also any other modules that have dependencies to those consumer modules. The wizard "
	  "compares each consumer's _ping.html with its page before the rebind: a republished "
	  "module's page changes.",
	  ACTIONS(cm_republish), ITEM_NONE, NO_ACTIONS, ACTIONS(cm_republish_fields), NULL,
	  NO_GATES, NO_PINGS, TYPES_NONE },
	{ "consumers", "Test consumers", "Test consumer modules",
	  "Test each of the modules that have dependencies to the updated extensions, and also any "
	  "other modules that have dependencies to those consumer modules. The wizard checks each "
	  "module's _ping.html.",
	  NO_ACTIONS, ITEM_CONSUMER, ACTIONS(cm_consumer_item), NULL, 0, NULL,
	  NO_GATES, NO_PINGS, TYPES_SUMMARY },
	{ "types", "Verify data types", "Test consumer modules",
	  "It's critical that you pay special attention to the data types of saved data: the "
	  "supported connector and ardoPostgreSQL map PostgreSQL types differently. The wizard "
	  "classified every column in scope under both connectors and probed the stored values "
	  "(step Scan data types): the full list is here for the consumer tests.",
	  ACTIONS(cm_types), ITEM_NONE, NO_ACTIONS, NULL, 0,
	  "Critical: the way both connectors handle the data types mapping may differ.",
	  NO_GATES, NO_PINGS, TYPES_SUMMARY },
	{ "deploy", "Deploy to environments",
	  "Deploy the updated extensions and consumers to other environments",
	  "After updating the extensions and ensuring every consumer module works as expected, "
	  "deploy them to the other environments (Deploy an Integration With an External Database): "
	  "in each target environment, create the supported database connection first, then "
	  "deploy, mapping the extension's logical database to that connection when LifeTime "
	  "asks, then test. The environment the migration was done in ([environment] "
	  "migrated_here = yes) is not a target.",
	  NO_ACTIONS, ITEM_ENVIRONMENT, ACTIONS(cm_deploy_item), NULL, 0, NULL,
	  NO_GATES, NO_PINGS, TYPES_NONE },
};

/* The way back: not a seed section; the seed's own steps in reverse. */
static const struct rb_action cm_rollback_item[] = {
	{ "rollback_rebind", "In the Operations tab of the extension, change the Database "
			     "Connection back to the ardoPostgreSQL database connection." },
	{ "rollback_refresh", "In Integration Studio, open the extension, select Refresh Entity, "
			      "and publish it." },
	{ "rollback_republish", "Republish the consumer modules of the extension, and the modules "
				"that depend on them." },
};

static const struct rb_rollback cm_rollback = {
	"rebind", ROLLBACK_REBIND,
	"The extensions already rebound go back to the ardoPostgreSQL database connection, "
	"each refreshed and republished with its consumers.",
	"rebound", ACTIONS(cm_rollback_item),
};

static const struct runbook rb_connector = {
	"connector-migration",
	"Migrate from ardoPostgreSQL to supported PostgreSQL connector",
	"connector-migration.md",
	"move extensions from ardoPostgreSQL to the supported PostgreSQL connector",
	ACTIONS(cm_steps),
	&cm_rollback,
};

/* ------------------------------------------------------------------ */
/* Shared by endpoint-change and restore-database: after all servers. */

static const struct rb_action ps_solution[] = {
	{ "create_solution", "Access Service Center > Factory > Solutions and create a solution with "
			     "all modules (an All Components solution)." },
};

static const struct rb_action ps_settings[] = {
	{ "apply_settings", "Apply settings to all modules of the solution." },
};

static const struct rb_action ps_republish[] = {
	{ "publish_running", "If there is a warning to republish the modules, publish the solution "
			     "by clicking Publish for the Current Running Version." },
};

/* ------------------------------------------------------------------ */
/* endpoint-change: "How to change the OutSystems database endpoints used by applications" */

static const struct rb_action ec_endpoints[] = {
	{ "self_managed", "Confirm this is a self-managed OutSystems 11 infrastructure." },
	{ "both_accessible", "Confirm both the old/current database address and the new address "
			     "are accessible." },
	{ "list_servers", "List every application server (servers with roles Front-End or "
			  "Deployment Controller)." },
};

static const struct rb_action ec_server_item[] = {
	{ "open_tool", "Open the Configuration Tool." },
	{ "change_address", "Change the database server address in the Database related tabs "
			    "(Platform, Session and Log)." },
	{ "apply_exit", "Click Apply and Exit." },
	{ "sc_install", "If you are prompted to run Service Center installation, answer Yes." },
	{ "restart", "If you are prompted to restart OutSystems Services, answer Yes." },
	{ "running", "Ensure all OutSystems Services are running." },
};

/* Each server is pinged when its checklist starts (before) and when its
 * services run again (after): a server that answered before and does not
 * after did not come back from its reconfiguration. */
/* "Ensure all OutSystems Services are running": the after ping checks
 * the services' ports too. */
static const struct rb_ping ec_server_pings[] = {
	{ "open_tool", PING_BEFORE, EXPECT_NOTHING, "server_ping", "before its reconfiguration", NULL },
	{ "running", PING_AFTER, EXPECT_AS_BEFORE, "server_ping", "after its reconfiguration",
	  "services_running" },
};

static const struct rb_step ec_steps[] = {
	{ "endpoints", "Old and new addresses", "Procedure",
	  "Applications access the Platform, Log and Session databases with the connection details "
	  "entered in the Configuration Tool, one tab each; they may live on different servers. "
	  "Give the old and the new address of each database that moves (settings "
	  "[endpoint \"platform\"], \"session\", \"log\"); the wizard resolves and connects to "
	  "every one, and each server's checklist shows the address to type in each tab.",
	  ACTIONS(ec_endpoints), ITEM_NONE, NO_ACTIONS, NULL, 0,
	  "This procedure assumes that both old/current database address and new address are "
	  "accessible. Otherwise, the procedure will cause downtime from the moment the old/current "
	  "database address is unavailable or not responding until the procedure finishes.",
	  NO_GATES, NO_PINGS, TYPES_NONE },
	{ "servers", "Reconfigure each server", "Procedure",
	  "In each application server (servers with roles Front-End or Deployment Controller), "
	  "execute the following steps.",
	  NO_ACTIONS, ITEM_SERVER, ACTIONS(ec_server_item), NULL, 0, NULL,
	  NO_GATES, ACTIONS(ec_server_pings), TYPES_NONE },
	{ "solution", "All-components solution", "Procedure",
	  "After configuring the new database addresses in all servers: create a solution with all "
	  "modules.",
	  ACTIONS(ps_solution), ITEM_NONE, NO_ACTIONS, NULL, 0, NULL,
	  NO_GATES, NO_PINGS, TYPES_NONE },
	{ "settings", "Apply settings", "Procedure",
	  "Apply settings to all modules of the solution.",
	  ACTIONS(ps_settings), ITEM_NONE, NO_ACTIONS, NULL, 0, NULL,
	  NO_GATES, NO_PINGS, TYPES_NONE },
	{ "republish", "Republish", "Procedure",
	  "If there is a warning to republish the modules, publish the solution.",
	  ACTIONS(ps_republish), ITEM_NONE, NO_ACTIONS, NULL, 0, NULL,
	  NO_GATES, NO_PINGS, TYPES_NONE },
};

/* The way back for both server procedures: the seed's Configuration Tool
 * steps with the old address.  The old database stays available until the
 * procedure is complete (both seeds say so), so putting it back works. */
static const struct rb_action servers_rollback_item[] = {
	{ "rollback_address", "Open the Configuration Tool and put the old database address "
			      "back in the Platform, Session and Log tabs." },
	{ "rollback_apply", "Click Apply and Exit; when prompted to restart the OutSystems "
			    "Services, answer Yes." },
	{ "rollback_running", "Ensure all OutSystems Services are running on this server." },
};

static const struct rb_rollback ec_rollback = {
	"servers", ROLLBACK_SERVERS,
	"The servers already reconfigured get the old database address back: the front-ends "
	"first, the Deployment Controller last.",
	"reconfigured", ACTIONS(servers_rollback_item),
};

static const struct runbook rb_endpoint = {
	"endpoint-change",
	"How to change the OutSystems database endpoints used by applications",
	"endpoint-change.md",
	"point every application server at a new database address",
	ACTIONS(ec_steps),
	&ec_rollback,
};

/* ------------------------------------------------------------------ */
/* restore-database: "Restore OutSystems database to a different DB Server" */

static const struct rb_action rd_prereq[] = {
	{ "self_managed_net", "Have a self-managed installation in .NET stack." },
	{ "hosts_only_db", "The old database server replaced hosts only the database." },
	{ "a_to_b", "The database was on server A and will be moved to server B." },
	{ "intact", "The database remains intact, without alterations to the data or database users." },
	{ "no_app_changes", "No changes will be done to the application servers." },
	{ "keep_old", "Keep the old database server running until the operation is complete, in "
		      "case you need to rollback." },
};

static const struct rb_action rd_prepare[] = {
	{ "install_checklist", "Prepare the new database server by executing the steps of the "
			       "installation checklist (Task: First Install, Role: Database)." },
};

static const struct rb_action rd_stop_item[] = {
	{ "stop", "Stop the IIS and the OutSystems Services on this front-end." },
};

static const struct rb_action rd_backup[] = {
	{ "backup", "Back up the old database." },
};

static const struct rb_action rd_restore[] = {
	{ "restore", "Restore the backup to the new database server." },
};

static const struct rb_action rd_verify[] = {
	{ "verified", "Verify that the restored database is a clone of the old one (osmigrate "
		      "compare; SQL Server, Oracle: compare --counts)." },
};

static const struct rb_action rd_server_item[] = {
	{ "open_tool", "Open the Configuration Tool." },
	{ "confirm_details", "Confirm the database connection details in Database related tabs "
			     "(Platform, Session and Log) and change them if necessary." },
	{ "start_iis", "Start IIS." },
	{ "apply_exit", "Click Apply and Exit." },
	{ "sc_install", "When prompted to run Service Center installation, answer Yes." },
	{ "restart", "When prompted to restart OutSystems Services, answer Yes." },
	{ "running", "Ensure all OutSystems Services are running." },
};

static const struct rb_action rd_decommission[] = {
	{ "working", "Make sure that everything is working as expected." },
	{ "decommission", "Decommission the old database server." },
};

/* "Stop the IIS and the OutSystems Services in all front-ends" ... "Start
 * IIS": from the stop step until its Configuration Tool starts IIS again,
 * a server is expected down (domain.md section 6: a module that still
 * answers means the stop did not happen, and a backup taken then may be
 * inconsistent); after its reconfiguration it is expected up. */
static const struct rb_ping rd_stop_pings[] = {
	{ "stop", PING_AFTER, EXPECT_DOWN, "server_stopped", "after the stop", "services_stopped" },
};

static const struct rb_ping rd_server_pings[] = {
	{ "open_tool", PING_BEFORE, EXPECT_DOWN, "server_stopped", "before its reconfiguration",
	  NULL },
	/* "Ensure all OutSystems Services are running" */
	{ "running", PING_AFTER, EXPECT_UP, "server_ping", "after its reconfiguration",
	  "services_running" },
};

/* "In farm environments, start by executing the steps below in the
 * deployment controller server, and then repeat the same steps for each
 * front-end server." */
static const struct rb_gate rd_servers_gates[] = {
	{ .kind = RB_GATE_ORDER,
	  .key = "role", .value = "controller",
	  .first = "Deployment Controller", .others = "front-end", .finished = "reconfigured",
	  .seed = "the procedure starts with the deployment controller server, then each front-end",
	  .prompt = "Why must this front-end go before the Deployment Controller? "
		    "(recorded in the state file and the journal)" },
};

/* "After making sure that everything is working as expected, you can
 * decommission the old database server": osmigrate's reading, the point of
 * no return: not before every earlier step is done (or skipped with a
 * reason) and the clone was verified (and that result still describes the
 * databases named now). */
static const struct rb_gate rd_decommission_gates[] = {
	{ .kind = RB_GATE_LOCK,
	  .check = "clone_compare", .subject = "clone", .passed = "verified",
	  .also = "osmigrate compare OLD NEW", .after = NULL, .before = true,
	  .prompt = "Type why decommissioning is safe without a passed verification, "
		    "to confirm (recorded in the state file and the journal)" },
};

static const struct rb_step rd_steps[] = {
	{ "prerequisites", "Prerequisites", "Prerequisites",
	  "To apply this procedure, the following requirements must be met. To create a copy of an "
	  "environment while keeping the original, use Migrate an Environment Using a Database "
	  "Clone instead.",
	  ACTIONS(rd_prereq), ITEM_NONE, NO_ACTIONS, NULL, 0,
	  "It's advisable that you keep the old database server running until the operation is "
	  "complete, in case you need to rollback.",
	  NO_GATES, NO_PINGS, TYPES_NONE },
	{ "prepare", "Prepare new DB server", "Step 1. Prepare for the restoring process",
	  "Start the process by backing up the old database and restoring it to the new database "
	  "server. The wizard checks that the new server answers (settings [endpoint \"platform\"] "
	  "new, and \"session\", \"log\" if they move too).",
	  ACTIONS(rd_prepare), ITEM_NONE, NO_ACTIONS, NULL, 0, NULL,
	  NO_GATES, NO_PINGS, TYPES_NONE },
	{ "stop", "Stop IIS and services", "Step 1. Prepare for the restoring process",
	  "Stop the IIS and the OutSystems Services in all front-ends. The wizard checks that "
	  "each server is down: its module's _ping.html no longer served (and, where this host "
	  "may reach them, the services' ports closed).",
	  NO_ACTIONS, ITEM_SERVER, ACTIONS(rd_stop_item), NULL, 0, NULL,
	  NO_GATES, ACTIONS(rd_stop_pings), TYPES_NONE },
	{ "backup", "Back up old database", "Step 1. Prepare for the restoring process",
	  "Back up the old database with your database management system's tools.",
	  ACTIONS(rd_backup), ITEM_NONE, NO_ACTIONS, NULL, 0, NULL,
	  NO_GATES, NO_PINGS, TYPES_NONE },
	{ "restore", "Restore on new server", "Step 1. Prepare for the restoring process",
	  "Restore the backup to the new database server.",
	  ACTIONS(rd_restore), ITEM_NONE, NO_ACTIONS, NULL, 0, NULL,
	  NO_GATES, NO_PINGS, TYPES_NONE },
	{ "verify", "Verify the clone", "Step 1. Prepare for the restoring process",
	  "Added by osmigrate: the database must remain intact. PostgreSQL ([compare] old, new): "
	  "structure and row counts are compared. SQL Server, Oracle: r shows a row count query; "
	  "its CSV outputs ([compare] old_counts, new_counts) are compared.",
	  ACTIONS(rd_verify), ITEM_NONE, NO_ACTIONS, NULL, 0, NULL,
	  NO_GATES, NO_PINGS, TYPES_NONE },
	{ "servers", "Reconfigure servers", "Step 2. Update the OutSystems application servers to "
					    "use the new database server",
	  "After restoring the database to the new database server, run the Configuration Tool "
	  "in all the OutSystems application servers (front-end or deployment controller roles). "
	  "The wizard lists the Deployment Controller first and keeps the front-ends until it is "
	  "done.",
	  NO_ACTIONS, ITEM_SERVER, ACTIONS(rd_server_item), NULL, 0,
	  "In farm environments, start by executing the steps below in the deployment controller "
	  "server, and then repeat the same steps for each front-end server.",
	  ACTIONS(rd_servers_gates), ACTIONS(rd_server_pings), TYPES_NONE },
	{ "solution", "All-components solution", "Step 2. Update the OutSystems application "
						 "servers to use the new database server",
	  "After applying the configurations to all servers: create a solution with all modules.",
	  ACTIONS(ps_solution), ITEM_NONE, NO_ACTIONS, NULL, 0, NULL,
	  NO_GATES, NO_PINGS, TYPES_NONE },
	{ "settings", "Apply settings", "Step 2. Update the OutSystems application servers to use "
					"the new database server",
	  "Apply settings to all modules of the solution.",
	  ACTIONS(ps_settings), ITEM_NONE, NO_ACTIONS, NULL, 0, NULL,
	  NO_GATES, NO_PINGS, TYPES_NONE },
	{ "republish", "Republish", "Step 2. Update the OutSystems application servers to use the "
				    "new database server",
	  "If there is a warning to republish the modules, publish the solution.",
	  ACTIONS(ps_republish), ITEM_NONE, NO_ACTIONS, NULL, 0, NULL,
	  NO_GATES, NO_PINGS, TYPES_NONE },
	{ "decommission", "Decommission old server", "Step 3. Decommission the old database server",
	  "After making sure that everything is working as expected, you can decommission the old "
	  "database server.",
	  ACTIONS(rd_decommission), ITEM_NONE, NO_ACTIONS, NULL, 0,
	  "Decommissioning removes your way back: it stays locked until every earlier step is done "
	  "or skipped and the clone was verified.",
	  ACTIONS(rd_decommission_gates), NO_PINGS, TYPES_NONE },
};

static const struct rb_rollback rd_rollback = {
	"servers", ROLLBACK_SERVERS,
	"The servers already reconfigured get the old database server's address back: the "
	"front-ends first, the Deployment Controller last.",
	"reconfigured", ACTIONS(servers_rollback_item),
};

static const struct runbook rb_restore = {
	"restore-database",
	"Restore OutSystems database to a different DB Server",
	"restore-database.md",
	"restore the platform database to another server and reconfigure the farm",
	ACTIONS(rd_steps),
	&rd_rollback,
};

/* ------------------------------------------------------------------ */
/* Item actions in other words for one kind of item (item_action_text). */

static const struct {
	const char *runbook, *step, *action;
	const char *key, *value;   /* of the item's settings section */
	const char *text;
} rb_action_variants[] = {
	{ "restore-database", "stop", "stop", "role", "controller",
	  "Stop the IIS and the OutSystems Services on the Deployment Controller." },
};

const char *item_action_text(const struct runbook *rb, const struct rb_step *s,
			     const struct rb_action *a, const struct doc *settings,
			     const char *item)
{
	const char *section = item_kind_section(s->items);

	for (size_t i = 0; settings && item && section && i < OSM_ARRAY_LEN(rb_action_variants); i++)
		if (str_eq(rb_action_variants[i].runbook, rb->id) &&
		    str_eq(rb_action_variants[i].step, s->id) &&
		    str_eq(rb_action_variants[i].action, a->id) &&
		    str_eq(doc_get(settings, section, item, rb_action_variants[i].key),
			   rb_action_variants[i].value))
			return rb_action_variants[i].text;
	return a->text;
}

/* ------------------------------------------------------------------ */
/* Republish observed (runbook.h, struct rb_republish).
 *
 * connector-migration: the consumers' pings before the rebind (the
 * connection step's consumer_ping_before, run with r there) are the
 * before; "Republish the consumer modules" should change every consumer's
 * page, seen by the republish step's consumer_republished and the
 * consumers step's consumer_ping.
 * endpoint-change: each server's ping after its reconfiguration is set
 * against its ping before (said, not judged: a reconfiguration need not
 * republish); both procedures' republish step ("If there is a warning to
 * republish the modules, publish the solution") compares each server's
 * page with its ping after the reconfiguration. */

#define CM_BEFORE \
	"taken before the rebind: r on the \"Create database connection\" step"
#define SERVERS_AFTER \
	"taken after the server's reconfiguration: its last action ticked, or r on the " \
	"\"Reconfigure\" step"

static const struct rb_republish rb_republishes[] = {
	{ "connector-migration", "republish", "consumer_ping_before", CM_BEFORE, DIGEST_CHANGED },
	{ "connector-migration", "consumers", "consumer_ping_before", CM_BEFORE, DIGEST_CHANGED },
	{ "endpoint-change", "servers", "server_ping_before",
	  "taken when the server's first action is ticked", DIGEST_NOTE },
	{ "endpoint-change", "republish", "server_ping", SERVERS_AFTER, DIGEST_CHANGED },
	{ "restore-database", "republish", "server_ping", SERVERS_AFTER, DIGEST_CHANGED },
};

const struct rb_republish *step_republish(const char *runbook, const char *step)
{
	for (size_t i = 0; i < OSM_ARRAY_LEN(rb_republishes); i++)
		if (str_eq(rb_republishes[i].runbook, runbook) && str_eq(rb_republishes[i].step, step))
			return &rb_republishes[i];
	return NULL;
}

const char *republish_step(const char *runbook, const char *before)
{
	const struct runbook *rb = runbook_find(runbook);
	const char *first = NULL;
	int at = -1;

	for (size_t i = 0; rb && i < OSM_ARRAY_LEN(rb_republishes); i++) {
		const struct rb_republish *r = &rb_republishes[i];
		int k;

		if (!str_eq(r->runbook, runbook) || !str_eq(r->before, before) ||
		    r->expect != DIGEST_CHANGED)
			continue;
		k = runbook_step_index(rb, r->step);
		if (k >= 0 && (at < 0 || k < at)) {
			at = k;
			first = r->step;
		}
	}
	return first;
}

/* ------------------------------------------------------------------ */
/* restore-database: a server stopped in the stop step stays down on the
 * servers step until its Configuration Tool checklist reaches "Start IIS"
 * (step_down_until): r there judges each server by where it is. */

static const struct {
	const char *runbook, *step, *action;
} rb_down_until[] = {
	{ "restore-database", "servers", "start_iis" },
};

const char *step_down_until(const char *runbook, const char *step)
{
	for (size_t i = 0; i < OSM_ARRAY_LEN(rb_down_until); i++)
		if (str_eq(rb_down_until[i].runbook, runbook) && str_eq(rb_down_until[i].step, step))
			return rb_down_until[i].action;
	return NULL;
}

/* ------------------------------------------------------------------ */
/* The OutSystems services (runbook.h, enum rb_services): running where the
 * seeds say "Ensure all OutSystems Services are running" (each server's
 * last action on the servers step), stopped from restore-database's "Stop
 * the IIS and the OutSystems Services in all front-ends". */

static const struct {
	const char *runbook, *step;
	enum rb_services expect;
	const char *until;  /* stopped until this item action is ticked */
} rb_services_table[] = {
	{ "endpoint-change", "servers", SERVICES_RUNNING, NULL },
	{ "restore-database", "stop", SERVICES_STOPPED, NULL },
	/* stopped since the stop step, until "When prompted to restart
	 * OutSystems Services, answer Yes" */
	{ "restore-database", "servers", SERVICES_RUNNING, "restart" },
};

enum rb_services step_services(const char *runbook, const char *step, const char **until)
{
	if (until)
		*until = NULL;
	for (size_t i = 0; i < OSM_ARRAY_LEN(rb_services_table); i++)
		if (str_eq(rb_services_table[i].runbook, runbook) &&
		    str_eq(rb_services_table[i].step, step)) {
			if (until)
				*until = rb_services_table[i].until;
			return rb_services_table[i].expect;
		}
	return 0;
}

/* ------------------------------------------------------------------ */

/* The item actions where the operator types the database addresses in
 * the Configuration Tool's Platform, Session and Log tabs: their checklist
 * line shows each tab's address (dbtabs.h). */
static const struct {
	const struct rb_action *actions;
	const char *action;
} db_tab_actions[] = {
	{ ec_server_item, "change_address" },
	{ rd_server_item, "confirm_details" },
};

bool action_shows_db_tabs(const struct rb_step *s, const struct rb_action *a)
{
	for (size_t i = 0; s && a && i < OSM_ARRAY_LEN(db_tab_actions); i++)
		if (s->item_actions == db_tab_actions[i].actions &&
		    str_eq(a->id, db_tab_actions[i].action))
			return true;
	return false;
}

const struct runbook *const runbooks[] = { &rb_connector, &rb_endpoint, &rb_restore };
const size_t n_runbooks = OSM_ARRAY_LEN(runbooks);

const struct runbook *runbook_find(const char *id)
{
	for (size_t i = 0; i < n_runbooks; i++)
		if (str_eq(runbooks[i]->id, id))
			return runbooks[i];
	return NULL;
}

int runbook_step_index(const struct runbook *rb, const char *step_id)
{
	for (size_t i = 0; i < rb->n_steps; i++)
		if (str_eq(rb->steps[i].id, step_id))
			return (int)i;
	return -1;
}

const struct rb_step *runbook_step(const struct runbook *rb, const char *step_id)
{
	int i = runbook_step_index(rb, step_id);

	return i < 0 ? NULL : &rb->steps[i];
}

const struct rb_action *step_action(const struct rb_step *s, const char *action_id, bool item)
{
	const struct rb_action *a = item ? s->item_actions : s->actions;
	size_t n = item ? s->n_item_actions : s->n_actions;

	for (size_t i = 0; i < n; i++)
		if (str_eq(a[i].id, action_id))
			return &a[i];
	return NULL;
}

bool step_has_checks(const struct runbook *rb, const struct rb_step *s)
{
	for (size_t i = 0; i < n_check_infos; i++)
		if (str_eq(check_infos[i].runbook, rb->id) && str_eq(check_infos[i].step, s->id))
			return true;
	return false;
}

const struct rb_gate *step_gate(const struct rb_step *s, enum rb_gate_kind kind)
{
	for (size_t i = 0; i < s->n_gates; i++)
		if (s->gates[i].kind == kind)
			return &s->gates[i];
	return NULL;
}

const struct rb_ping *step_ping(const struct rb_step *s, const char *action_id)
{
	for (size_t i = 0; i < s->n_pings; i++)
		if (str_eq(s->pings[i].action, action_id))
			return &s->pings[i];
	return NULL;
}

const struct rb_ping *step_ping_at(const struct rb_step *s, enum rb_moment m)
{
	for (size_t i = 0; i < s->n_pings; i++)
		if (s->pings[i].moment == m)
			return &s->pings[i];
	return NULL;
}

bool ping_unexpected(enum rb_expect e, bool answered_before, bool answers)
{
	switch (e) {
	case EXPECT_AS_BEFORE: return answered_before && !answers;
	case EXPECT_UP: return !answers;
	case EXPECT_DOWN:
	case EXPECT_NOTHING: break;
	}
	return false;
}

const struct rb_step *runbook_types_step(const struct runbook *rb)
{
	for (size_t i = 0; rb && i < rb->n_steps; i++)
		if (rb->steps[i].types == TYPES_SCAN)
			return &rb->steps[i];
	return NULL;
}

bool runbook_has_types(const struct runbook *rb)
{
	return runbook_types_step(rb) != NULL;
}
