/* pgcheck.h - the PostgreSQL checks of the connector-migration runbook
 * (bound in src/checks/checks.c) and the PostgreSQL support table they use.
 * Every check opens its own read-only session through pg_login() (login.h).
 * UI-free: never include curses here. */
#ifndef OSM_PGCHECK_H
#define OSM_PGCHECK_H

#include <stdbool.h>
#include <stddef.h>

#include "check.h"

/* step prerequisites: server version against the support table. */
void check_pg_version(const struct check_env *env, struct check_report *rep);
/* step connection: connect to [target] (version, TLS, latency, user). */
void check_target_connect(const struct check_env *env, struct check_report *rep);
/* step connection: USAGE on [scope] schemas, CRUD on every [extension] table. */
void check_target_privileges(const struct check_env *env, struct check_report *rep);
/* step connection: connect to [source]; reports nothing when [source] is absent. */
void check_source_connect(const struct check_env *env, struct check_report *rep);
/* step connection: sessions with application_name = 'ardoPGSQL' (source, else target). */
void check_ardo_sessions(const struct check_env *env, struct check_report *rep);
/* step refresh: per extension ("tables_accessible:NAME"), every table exists
 * and can be read (SELECT ... LIMIT 0) through the target connection. */
void check_tables_accessible(const struct check_env *env, struct check_report *rep);

/* The OutSystems 11 support table for external PostgreSQL databases. */
enum pg_support {
	PG_SUPPORTED,     /* on the given Platform Server version */
	PG_CONDITIONAL,   /* supported only on some Platform Server versions; platform unknown */
	PG_UNVERIFIED,    /* not listed: check your OutSystems support matrix */
	PG_UNSUPPORTED,
};
/* Classify a server (server_version_num, e.g. 150004) for a Platform Server
 * version ("11.31.0", or NULL/"" when unknown).  why gets one sentence that
 * names the rule and its source. */
enum pg_support pg_support_classify(int server_version_num, const char *platform_version,
				    char *why, size_t whylen);

/* The operator's support matrix ([pg_support]): majors it lists as
 * supported or not, and where it says so.  Without matrix the lists are
 * not applied (an override without its source is not recorded as one). */
struct pg_override {
	const char *supported, *unsupported;  /* "14 16", or NULL */
	const char *matrix;
};
/* The settings' override (strings point into d). */
void pg_override_from_settings(const struct doc *d, struct pg_override *ov);
/* pg_support_classify, then the override: a major the matrix lists wins
 * over the built-in table, and why says both (the matrix note, and what
 * the table says).  ov may be NULL. */
enum pg_support pg_support_judge(int server_version_num, const char *platform_version,
				 const struct pg_override *ov, char *why, size_t whylen);

struct platform_versions;
/* pg_version's result for a server (server_version_num num, described as
 * flavour: "PostgreSQL 15.4") on the environments' Platform Server
 * versions (platformver.h): one verdict per environment in the detail; the
 * summary names the environments that do not support it; an override and
 * a typed version LifeTime contradicts are said. */
void pg_version_verdict(struct check_report *rep, const char *id, const char *label, int num,
			const char *flavour, const struct platform_versions *pvs,
			const struct pg_override *ov);

#endif
