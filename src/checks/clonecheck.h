/* clonecheck.h - the check clone_compare: the new database against the old
 * one ([compare] old, new, schemas, exact; compare.h).  Registered in
 * checks.c.
 * UI-free: never include curses here. */
#ifndef OSM_CLONECHECK_H
#define OSM_CLONECHECK_H

#include "check.h"

void check_clone_compare(const struct check_env *env, struct check_report *rep);

#endif
