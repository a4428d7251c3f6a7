/* schema.c - the settings schema (see schema.h).
 *
 * To add a settings key: add one row to settings_keys[] under its section
 * (type, label, help, example), then document it in man/osmigrate.1's
 * SETTINGS section (tests/unit/test_schema.c fails until you do).  Code that
 * reads it uses doc_get with the same section and key; the test checks that
 * every such pair is in this table. */
#include "config.h"

#include <pthread.h>
#include <string.h>

#include "doc.h"
#include "schema.h"
#include "util.h"

#define RB_CM "connector-migration"
#define RB_EC "endpoint-change"
#define RB_RD "restore-database"

const struct settings_section settings_sections[] = {
	/* { kind, naming, setting }, title, runbooks, keys_of, seeds_for */
	{ { "target", UNNAMED, true }, "Target database (the supported connector)", RB_CM, NULL, NULL },
	{ { "source", UNNAMED, true }, "Source database (ardoPostgreSQL era, optional)", RB_CM,
	  "target", NULL },
	/* LifeTime also seeds the environment and server inventories (L); for
	 * endpoint-change and restore-database that is all it does. */
	{ { "lifetime", UNNAMED, true }, "LifeTime (optional)", RB_CM " " RB_EC " " RB_RD, NULL,
	  RB_EC " " RB_RD },
	{ { "dbconnection", UNNAMED, true }, "Database connections (as LifeTime lists them)", RB_CM,
	  NULL, NULL },
	{ { "scope", UNNAMED, true }, "Scope", RB_CM, NULL, NULL },
	{ { "pg_support", UNNAMED, true }, "PostgreSQL support (your support matrix, optional)", RB_CM,
	  NULL, NULL },
	{ { "endpoint", NAMED_FIXED, true }, "Database addresses (Configuration Tool tabs)",
	  RB_EC " " RB_RD, NULL, NULL },
	{ { "compare", UNNAMED, true }, "Databases to compare", RB_RD, NULL, NULL },
	{ { "http", UNNAMED, true }, "HTTP checks", RB_CM " " RB_EC " " RB_RD, NULL, NULL },
	{ { "change", UNNAMED, true }, "Change window (ticket, end)",
	  RB_CM " " RB_EC " " RB_RD, NULL, NULL },
	{ { "services", UNNAMED, true }, "OutSystems services (ports)", RB_EC " " RB_RD, NULL, NULL },
	{ { "extension", NAMED_ITEM, true }, "Extensions", RB_CM, NULL, NULL },
	{ { "consumer", NAMED_ITEM, true }, "Consumer modules", RB_CM, NULL, NULL },
	{ { "environment", NAMED_ITEM, true }, "Environments", RB_CM, NULL, NULL },
	{ { "server", NAMED_ITEM, true }, "Application servers", RB_EC " " RB_RD, NULL, NULL },
};
const size_t n_settings_sections = OSM_ARRAY_LEN(settings_sections);

const struct settings_key settings_keys[] = {
	/* { kind, key, type }, label, help, example */
	{ { "target", "host", V_HOST }, "host", "Host name or address of the PostgreSQL server.",
	  "pg.example.internal" },
	{ { "target", "port", V_PORT }, "port", "TCP port, usually 5432.", "5432" },
	{ { "target", "dbname", V_DATABASE }, "database",
	  "Database name (a conninfo string or postgresql:// URI works too).", "shop" },
	{ { "target", "user", V_DBNAME }, "user", "Role to connect as. The password comes from ~/.pgpass, "
	  "PGPASSFILE, a service, PGPASSWORD, or a prompt: it is never stored.", "osm" },
	{ { "target", "sslmode", V_SSLMODE }, "sslmode",
	  "disable, allow, prefer, require, verify-ca or verify-full.", "verify-full" },
	{ { "target", "sslrootcert", V_PATH }, "sslrootcert", "CA certificate file for verify-ca/verify-full.",
	  "/etc/ssl/certs/pg-ca.pem" },
	{ { "target", "connect_timeout", V_TIMEOUT }, "connect_timeout", "Seconds to wait for the server.",
	  "10" },
	{ { "target", "service", V_SERVICE }, "service",
	  "A libpq service name from pg_service.conf (replaces the fields).", "shop" },
	{ { "target", "conninfo", V_CONNINFO }, "conninfo",
	  "A full conninfo string or postgresql:// URI, without password.",
	  "postgresql://osm@pg.example.internal/shop" },

	{ { "lifetime", "url", V_URL }, "url",
	  "LifeTime API v2 base URL, e.g. https://lifetime.example.com/lifetimeapi/rest/v2",
	  "https://lifetime.example.internal/lifetimeapi/rest/v2" },
	{ { "lifetime", "token_file", V_PATH }, "token_file", "File holding the service account token "
	  "(mode 0600). Or set OSMIGRATE_LIFETIME_TOKEN.", "/home/me/.config/osmigrate/lifetime.token" },
	{ { "lifetime", "cafile", V_PATH }, "cafile", "CA bundle for a private certificate authority.",
	  "/etc/ssl/certs/company-ca.pem" },

	{ { "dbconnection", "supported", V_TEXT }, "supported",
	  "Name of the supported PostgreSQL / Aurora PostgreSQL database connection, created under "
	  "this name in every environment (LifeTime 11.13.0 or later lists them).", "SalesPG" },
	{ { "dbconnection", "ardo", V_LIST }, "ardoPostgreSQL",
	  "The ardoPostgreSQL connections among those the connection step lists, separated by "
	  "spaces or commas (LifeTime does not say which provider is ardo's).", "SalesArdo" },

	{ { "scope", "schemas", V_LIST }, "schemas", "Schemas in scope, separated by spaces or commas.",
	  "sales hr" },

	{ { "pg_support", "supported", V_MAJORS }, "supported", "PostgreSQL major versions your "
	  "OutSystems support matrix lists as supported for your Platform Server (overrides the "
	  "built-in table; needs matrix).", "16" },
	{ { "pg_support", "unsupported", V_MAJORS }, "unsupported", "PostgreSQL major versions your "
	  "support matrix says are not supported (overrides the built-in table; needs matrix).",
	  "12" },
	{ { "pg_support", "matrix", V_TEXT }, "matrix", "Where your support matrix says so "
	  "(document, version, date): recorded and shown with every verdict it changes.",
	  "OutSystems support case 12345, 2026-11-20" },

	{ { "endpoint", "old", V_HOSTPORT }, "old", "The address this database's Configuration "
	  "Tool tab shows now, as host:port.", "sql-old.example.internal:1433" },
	{ { "endpoint", "new", V_HOSTPORT }, "new", "The address to type in that tab, as host:port.",
	  "sql-new.example.internal:1433" },

	{ { "compare", "old", V_CONNINFO }, "old",
	  "The old database: conninfo, URI or service=NAME (no password).", "service=shop-old" },
	{ { "compare", "new", V_CONNINFO }, "new",
	  "The restored database: conninfo, URI or service=NAME (no password).", "service=shop-new" },
	{ { "compare", "schemas", V_LIST }, "schemas", "Schemas to compare, separated by spaces or commas "
	  "(not set: every schema but the system ones).", "public sales" },
	{ { "compare", "exact", V_BOOL }, "exact", "yes (not set: the same): count every table's rows; "
	  "no: compare the statistics' row estimates.", "yes" },
	{ { "compare", "dbms", V_TEXT }, "DBMS",
	  "sqlserver or oracle: the platform database osmigrate cannot read (not set: what LifeTime "
	  "reports as DatabaseProvider); the verify step shows its row count query.", "sqlserver" },
	{ { "compare", "old_counts", V_PATH }, "old counts",
	  "CSV of the old server's per-table row counts (the verify step's query, saved with "
	  "sqlcmd -s, -W or sqlplus markup csv).", "/home/me/restore/old.csv" },
	{ { "compare", "new_counts", V_PATH }, "new counts",
	  "CSV of the new server's per-table row counts, saved the same way.",
	  "/home/me/restore/new.csv" },

	{ { "http", "cafile", V_PATH }, "cafile", "CA bundle for _ping.html over HTTPS with a private CA "
	  "(verification is never turned off).", "/etc/ssl/certs/company-ca.pem" },
	{ { "http", "timeout", V_TIMEOUT }, "timeout", "Seconds per HTTP request.", "10" },

	{ { "change", "ticket", V_TEXT }, "ticket",
	  "The change ticket this window belongs to: the report starts with it.", "CHG-2041" },
	{ { "change", "window_end", V_WHEN }, "window_end",
	  "When the change window closes, with its UTC offset (2026-12-03T05:00+01:00) or in "
	  "UTC (2026-12-03T04:00Z). The wizard's header counts down to it and warns when the "
	  "rest, at the pace so far, will not fit.", "2026-12-03T05:00+01:00" },
	{ { "services", "reachable", V_BOOL }, "reachable",
	  "yes: this host may reach the OutSystems services' ports (12001, 12002 on every "
	  "server; 12000, 5672 on the Deployment Controller). Not set or no: they are not "
	  "observed (OutSystems advises against exposing them).", "no" },

	{ { "extension", "logical_database", V_TEXT }, "logical database",
	  "The extension's logical database name.", "sales" },
	{ { "extension", "tables", V_TABLES }, "tables",
	  "Tables it uses, as schema.table separated by spaces.", "sales.customers sales.orders" },

	{ { "consumer", "url", V_URL }, "ping url",
	  "The module's _ping.html address, e.g. https://host/Orders/_ping.html",
	  "https://fe01.example.internal/OrdersUI/_ping.html" },

	{ { "environment", "hostname", V_HOST }, "hostname", "The environment's host name.",
	  "prod.example.internal" },
	{ { "environment", "migrated_here", V_BOOL }, "migrated here",
	  "yes: the environment the migration was done in (usually Development): the deploy "
	  "step does not offer it as a target.", "no" },
	{ { "environment", "deployment", V_TEXT }, "deployment key",
	  "Key of the LifeTime deployment to this environment, to list the logical databases it "
	  "still needs mapped (LifeTime 11.21.1 or later; optional: deployments waiting for "
	  "configuration are found without it).", "9a8b7c6d-0000-4000-8000-00000000d001" },

	{ { "server", "role", V_ROLE }, "role", "controller (Deployment Controller) or frontend.",
	  "controller" },
	{ { "server", "url", V_URL }, "url", "The server's address (optional).",
	  "https://dc01.example.internal/OrdersUI/_ping.html" },
};
const size_t n_settings_keys = OSM_ARRAY_LEN(settings_keys);

/* The Platform, Session and Log databases may live on different servers:
 * one [endpoint "NAME"] each, named after the Configuration Tool's tabs.
 * The first is what an unnamed [endpoint] of an older file meant. */
const struct schema_name schema_names[] = {
	/* kind, name, title */
	{ "endpoint", "platform", "Platform" },
	{ "endpoint", "session", "Session" },
	{ "endpoint", "log", "Log" },
};
const size_t n_schema_names = OSM_ARRAY_LEN(schema_names);

const struct schema_name *schema_names_of(const char *kind, size_t *n)
{
	size_t first = 0, count = 0;

	for (size_t i = 0; kind && i < n_schema_names; i++)
		if (str_eq(schema_names[i].kind, kind)) {
			if (!count)
				first = i;
			count++;
		}
	*n = count;
	return count ? &schema_names[first] : NULL;
}

char *schema_name_list(const char *kind)
{
	struct strbuf sb = STRBUF_INIT;
	size_t n;
	const struct schema_name *nm = schema_names_of(kind, &n);

	for (size_t i = 0; i < n; i++)
		sb_addf(&sb, "%s%s", i ? ", " : "", nm[i].name);
	return sb_detach(&sb);
}

bool schema_key_matches(const struct schema_key *r, const char *kind, const char *key)
{
	size_t len = strlen(r->key);

	if (!kind || !key || strcmp(r->kind, kind) != 0)
		return false;
	return r->key[len - 1] == '.' ? strncmp(key, r->key, len) == 0 && key[len] != '\0'
				      : strcmp(key, r->key) == 0;
}

const struct settings_section *schema_find_section(const char *kind)
{
	for (size_t i = 0; kind && i < n_settings_sections; i++)
		if (strcmp(settings_sections[i].s.kind, kind) == 0)
			return &settings_sections[i];
	return NULL;
}

/* The section whose rows hold kind's keys. */
static const char *keys_kind(const char *kind)
{
	const struct settings_section *s = schema_find_section(kind);

	return !s ? NULL : s->keys_of ? s->keys_of : s->s.kind;
}

const struct settings_key *schema_find_key(const char *kind, const char *key)
{
	const char *k = keys_kind(kind);

	for (size_t i = 0; k && i < n_settings_keys; i++)
		if (schema_key_matches(&settings_keys[i].k, k, key))
			return &settings_keys[i];
	return NULL;
}

const struct settings_key *schema_section_keys(const char *kind, size_t *n)
{
	const char *k = keys_kind(kind);
	size_t first = 0, count = 0;

	for (size_t i = 0; k && i < n_settings_keys; i++)
		if (str_eq(settings_keys[i].k.kind, k)) {
			if (!count)
				first = i;
			count++;
		}
	*n = count;
	return count ? &settings_keys[first] : NULL;
}

bool schema_is_inventory(const struct settings_section *s)
{
	return s && s->s.naming == NAMED_ITEM;
}

/* Is runbook one of the space separated ids of list? */
static bool listed(const char *list, const char *runbook)
{
	size_t len = strlen(runbook);

	for (const char *p = list; p && *p;) {
		size_t w = strcspn(p, " ");

		if (w == len && strncmp(p, runbook, len) == 0)
			return true;
		p += w;
		p += strspn(p, " ");
	}
	return false;
}

bool schema_used_by(const struct settings_section *s, const char *runbook)
{
	if (!s)
		return false;
	return !runbook || listed(s->runbooks, runbook);
}

bool schema_recorded_for(const struct settings_section *s, const char *runbook)
{
	return schema_used_by(s, runbook) && !(runbook && listed(s->seeds_for, runbook));
}

/* The value of key in section i of d, or NULL. */
static const char *section_value(const struct doc *d, size_t i, const char *key)
{
	for (size_t k = 0; k < doc_nkeys(d, i); k++)
		if (str_eq(doc_key(d, i, k), key))
			return doc_value(d, i, k);
	return NULL;
}

void schema_each_setting(const struct doc *d, const char *runbook,
			 void (*section)(void *ud, const char *kind, const char *name),
			 void (*value)(void *ud, const char *kind, const char *name,
				       const char *key, const char *v),
			 void *ud)
{
	for (size_t s = 0; s < n_settings_sections; s++) {
		const char *kind = settings_sections[s].s.kind;
		size_t nk;
		const struct settings_key *keys = schema_section_keys(kind, &nk);

		if (!schema_recorded_for(&settings_sections[s], runbook))
			continue;
		for (size_t i = 0; i < doc_nsections(d); i++) {
			const char *name = doc_section_name(d, i);

			if (!str_eq(doc_section_kind(d, i), kind))
				continue;
			section(ud, kind, name);
			for (size_t k = 0; k < nk; k++) {
				const char *v = section_value(d, i, keys[k].k.key);

				if (v)
					value(ud, kind, name, keys[k].k.key, v);
			}
			for (size_t k = 0; k < doc_nkeys(d, i); k++)
				if (!schema_find_key(kind, doc_key(d, i, k)))
					value(ud, kind, name, doc_key(d, i, k), doc_value(d, i, k));
		}
	}
}

static char *section_list;

static void make_section_list(void)
{
	struct strbuf sb = STRBUF_INIT;

	for (size_t i = 0; i < n_settings_sections; i++)
		sb_addf(&sb, "%s%s", i ? ", " : "", settings_sections[i].s.kind);
	section_list = sb_detach(&sb);
}

const char *schema_section_list(void)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;

	pthread_once(&once, make_section_list);
	return section_list;
}

static const char *const bool_true[] = { "yes", "true", "1" };
static const char *const bool_false[] = { "no", "false", "0" };

bool schema_bool_valid(const char *v)
{
	for (size_t i = 0; v && i < OSM_ARRAY_LEN(bool_true); i++)
		if (str_eq(v, bool_true[i]) || str_eq(v, bool_false[i]))
			return true;
	return false;
}

bool schema_bool(const char *v, bool dflt)
{
	for (size_t i = 0; v && i < OSM_ARRAY_LEN(bool_false); i++) {
		if (str_eq(v, bool_false[i]))
			return false;
		if (str_eq(v, bool_true[i]))
			return true;
	}
	return dflt;
}
