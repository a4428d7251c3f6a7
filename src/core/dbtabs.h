/* dbtabs.h - what a server's checklist shows under its Configuration Tool
 * action: per database tab (Platform, Session, Log) the address to type,
 * from [endpoint "platform"], [endpoint "session"], [endpoint "log"]
 * (schema.h's names).  The wizard's server checklist and the report both
 * take their lines from here.
 * UI-free: never include curses here. */
#ifndef OSM_DBTABS_H
#define OSM_DBTABS_H

#include <stddef.h>

struct doc;
struct schema_name;

/* Which checklist action shows these lines is runbook data:
 * action_shows_db_tabs() (runbook.h). */

/* One tab: "Platform tab: type sql-new:1433 (shows sql-old:1433 now)",
 * or what the settings lack.  Caller frees. */
char *dbtabs_line(const struct doc *settings, const struct schema_name *db);

/* The databases, in the tabs' order (schema_names_of("endpoint")). */
const struct schema_name *dbtabs_all(size_t *n);

#endif
