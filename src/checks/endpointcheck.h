/* endpointcheck.h - the checks endpoint_old and endpoint_new: is the
 * [endpoint] old or new database address reachable from this admin host
 * (endpoint.h)?  Registered in checks.c.
 * UI-free: never include curses here. */
#ifndef OSM_ENDPOINTCHECK_H
#define OSM_ENDPOINTCHECK_H

#include "check.h"

void check_endpoint_old(const struct check_env *env, struct check_report *rep);
void check_endpoint_new(const struct check_env *env, struct check_report *rep);

#endif
