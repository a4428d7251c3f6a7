/* checklist.h - the checks as runbook data: which checks each runbook step
 * has, in run order, what each is called and which settings it reads.
 * One table, check_infos[] in checklist.c.  The progress rules, the gates
 * and the check-result model (a result's freshness is the digest of what
 * its check reads) work from this table alone; what a check does is the
 * checks layer's (src/checks/check.h binds each id to its function).
 * UI-free: never include curses here. */
#ifndef OSM_CHECKLIST_H
#define OSM_CHECKLIST_H

#include <stdbool.h>
#include <stddef.h>

/* One part of the settings a check reads.  kind: a settings section kind
 * ("target", "consumer") or "step" (a form value the operator typed).
 * name NULL: every section of that kind (the unnamed one for "target"...);
 * item: the section the result's item names ("consumer_ping:X" reads
 * [consumer "X"]; a result without an item reads them all).  key NULL:
 * every key of the section. */
struct check_dep {
	const char *kind;
	const char *name;
	const char *key;
	bool item;
};
#define CHECK_MAX_DEPS 6

struct check_info {
	const char *id;              /* stable: used in state file, `check` output */
	const char *runbook;         /* runbook id */
	const char *step;            /* step id the check belongs to */
	const char *label;           /* "Checking <label> ..." */
	struct check_dep deps[CHECK_MAX_DEPS]; /* what it reads; kind NULL ends */
};

/* Every check of every runbook, in run order.  An id such as endpoint_new
 * or server_ping has one row per runbook that runs it. */
extern const struct check_info check_infos[];
extern const size_t n_check_infos;

/* The check with this id in this runbook; runbook NULL: any.  NULL when
 * there is none. */
const struct check_info *check_info_find(const char *runbook, const char *id);
/* The check a result id belongs to: "consumer_ping:X" -> consumer_ping
 * (also the wizard's "server_ping_before:X" -> server_ping); runbook NULL:
 * any.  NULL when unknown. */
const struct check_info *check_info_of_result(const char *runbook, const char *result_id);

#endif
