/* servicecheck.h - the OutSystems services of each application server,
 * observed by their TCP ports from this host (domain.md section 5).
 * Bound to their ids in src/checks/checks.c.
 * UI-free: never include curses here. */
#ifndef OSM_SERVICECHECK_H
#define OSM_SERVICECHECK_H

#include "check.h"

/* Test-only: the ports probed instead of the documented ones, as
 * "12001=PORT,12002=PORT,12000=PORT,5672=PORT" (any subset). */
#define SERVICE_PORTS_ENV "OSMIGRATE_SERVICE_PORTS"

/* services_running (endpoint-change and restore-database / servers) and
 * services_stopped (restore-database / stop): for each [server "NAME"], at
 * the host of its url, 12001 (Deployment Service) and 12002 (Scheduler),
 * and on the Deployment Controller (role = controller) also 12000
 * (Deployment Controller service) and 5672 (RabbitMQ).  What the step
 * expects is runbook data (step_services).  Without [services] reachable =
 * yes nothing is probed: "could not observe" (error), never ok or FAILED.
 * With it, an open port means the service listens, a refused one that it
 * does not; no answer (filtered) is "could not observe".  Result ids
 * "services_running:NAME", "services_stopped:NAME". */
void check_services(const struct check_env *env, struct check_report *rep);

#endif
