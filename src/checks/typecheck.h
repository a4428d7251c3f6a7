/* typecheck.h - the check of the column types (see typecheck.c). */
#ifndef OSM_TYPECHECK_H
#define OSM_TYPECHECK_H

#include "check.h"

/* The check `type_verification` (connector-migration, step "type_scan"):
 * connects to [target], scans the scope with data probes, one result
 * (ID "type_verification", or "type_verification:EXT" for one extension). */
void check_type_verification(const struct check_env *env, struct check_report *rep);

struct type_result;
/* The type scan of the check and of the wizard's types screen:
 * typescan_run_settings (typescan.h) for extension ext (NULL: the whole
 * scope), plus what the scan alone cannot judge: uuid columns the
 * supported connector maps need Platform Server 11.18.1 or later
 * (UUID_PLATFORM_VERSION, per column: a blocker where an environment is
 * older, a warning where its version is unknown; platformver.h).  False
 * with err, fix and *needs as typescan_run_settings. */
bool typecheck_scan(const struct check_env *env, const char *ext, struct type_result *r,
		    char *err, size_t errlen, char *fix, size_t fixlen, enum secret_kind *needs);

/* The uuid part of typecheck_scan, on its own (tests): one finding per
 * column of cols when an environment of pv is older than 11.18.1 or its
 * version is unknown; nothing when every one is 11.18.1 or later. */
struct uuid_col {
	char *schema, *table, *column, *pg_type, *ardo, *sup;
	int attnum;
};
struct platform_versions;
void typecheck_uuid_findings(struct type_result *r, const struct uuid_col *cols, size_t n,
			     const struct platform_versions *pv);

#endif
