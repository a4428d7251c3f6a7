/* typecheck.h - the check of the column types (see typecheck.c). */
#ifndef OSM_TYPECHECK_H
#define OSM_TYPECHECK_H

#include "check.h"

/* The check `type_verification` (connector-migration, step "types"):
 * connects to [target], scans the scope with data probes, one result
 * (ID "type_verification", or "type_verification:EXT" for one extension). */
void check_type_verification(const struct check_env *env, struct check_report *rep);

#endif
