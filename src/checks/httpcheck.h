/* httpcheck.h - the checks that talk HTTP: LifeTime (platform version,
 * application consistency, environments) and module pings (consumers,
 * application servers).  Bound to their ids in src/checks/checks.c.
 * UI-free: never include curses here. */
#ifndef OSM_HTTPCHECK_H
#define OSM_HTTPCHECK_H

#include "check.h"
#include "http.h"
#include "lifetime.h"

/* The minimum Platform Server for the supported PostgreSQL connector. */
#define PLATFORM_MIN_VERSION "11.15.0"

/* [http] cafile and timeout (seconds) into opts (strings point into d). */
void http_opts_from_settings(const struct doc *d, struct http_opts *o);
/* How a ping class counts: ok (200, an HTML page: the module's files are
 * served); warning (a redirect, a page recognisably not the module's, a
 * login required: the module's page was not seen); FAILED (the module or server is not healthy or not
 * answering); error (could not check: bad URL, TLS trust, DNS, cancelled). */
enum check_status ping_check_status(enum ping_class c);

/* connector-migration / prerequisites: every LifeTime environment's
 * OSVersion >= 11.15.0, else the typed field.platform_version of
 * [step "prerequisites"].  Result id "platform_version". */
void check_platform_version(const struct check_env *env, struct check_report *rep);
/* connector-migration / republish: applications whose ConsistencyStatus is
 * not OK in some environment.  Result id "lifetime_consistency". */
void check_lifetime_consistency(const struct check_env *env, struct check_report *rep);
/* connector-migration / consumers: each [consumer "NAME"] url, in parallel.
 * Result ids "consumer_ping:NAME". */
void check_consumer_ping(const struct check_env *env, struct check_report *rep);
/* connector-migration / deploy: LifeTime's environments, and a warning for
 * each [environment "NAME"] LifeTime does not know.  Result id
 * "lifetime_environments". */
void check_lifetime_environments(const struct check_env *env, struct check_report *rep);
/* connector-migration / connection: every environment's database
 * connections (LifeTime 11.13.0+), each marked as one of [lifetime]
 * [dbconnection] ardo or supported.  A warning until the
 * supported connection is named, FAILED when it exists nowhere.  No result
 * without [lifetime] url (optional, as [source] is).  Result id
 * "lifetime_dbconnections". */
void check_lifetime_dbconnections(const struct check_env *env, struct check_report *rep);
/* connector-migration / deploy: the supported connection exists in each
 * target environment (progress_doc_items: not the one migrated_here).
 * Result ids "deploy_connection:TARGET" ("deploy_connection" when there is
 * no target). */
void check_deploy_connection(const struct check_env *env, struct check_report *rep);
/* connector-migration / deploy: the extension logical databases still
 * unmapped (LifeTime 11.21.1+) in each target's deployment: [environment]
 * deployment, else its deployments waiting for the operator
 * (needs_user_intervention, needs_configuration_or_confirmation).  FAILED
 * while any is unmapped.  Result ids "deploy_mappings:TARGET"
 * ("deploy_mappings" when there is no target). */
void check_deploy_mappings(const struct check_env *env, struct check_report *rep);
/* endpoint-change and restore-database / servers: each [server "NAME"] url.
 * Result ids "server_ping:NAME". */
void check_server_ping(const struct check_env *env, struct check_report *rep);

/* restore-database / stop: each [server "NAME"] is expected down (from the
 * stop until its IIS is started again): refused, 503 or no answer is ok
 * ("down, as expected"); the module's page still served is FAILED, naming
 * the server; another HTTP answer a warning.  Result ids
 * "server_stopped:NAME". */
void check_server_stopped(const struct check_env *env, struct check_report *rep);

/* Republish observed (runbook.h, struct rb_republish).  Every ping records
 * the SHA-256 of the page it got (body_sha256); where the step compares
 * (step_republish), consumer_ping and server_ping add "changed since" or
 * "unchanged since" to their summary, a warning when a republish was
 * expected and the page is the same. */
/* connector-migration / connection: the consumers' pages before the
 * rebind; a module down then is a warning (noted, not this step's
 * failure).  Result ids "consumer_ping_before:NAME". */
void check_consumer_ping_before(const struct check_env *env, struct check_report *rep);
/* connector-migration / republish: each consumer's page against its page
 * before the rebind: ok changed, warning unchanged, error when there is
 * nothing to compare.  Result ids "consumer_republished:NAME". */
void check_consumer_republished(const struct check_env *env, struct check_report *rep);
/* endpoint-change and restore-database / republish: the same for each
 * server, against its ping after its reconfiguration.  Result ids
 * "server_republished:NAME". */
void check_server_republished(const struct check_env *env, struct check_report *rep);

#endif
