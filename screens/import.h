/* import.h - inventories from a plain text or CSV file (one item per line),
 * for the settings screen.  UI-free: no curses here, so it is unit-tested.
 *
 * Format: one item per line, fields separated by commas (CSV: a field may
 * be double-quoted, "" is a quote inside) or, when a line has no comma, by
 * tabs.  The first field is the item's name, the next ones the values of
 * the kind's keys in the schema's order (schema.h; import_columns says
 * them, e.g. "name, role, url" for servers).
 * Blank lines and lines starting with '#' are skipped, and so is a first
 * line whose first field is "name" (a header).  A name alone is allowed.
 * All or nothing: every line is validated (settings_validate) before the
 * document changes; the first problem is reported with the file and line. */
#ifndef OSM_IMPORT_H
#define OSM_IMPORT_H

#include <stdbool.h>
#include <stddef.h>

#include "doc.h"

/* The columns of an inventory kind's file, "name, url" (caller frees), or
 * NULL for a kind that is not an inventory. */
char *import_columns(const char *kind);

/* Import path into d as sections of kind.  Returns false with msg filled
 * (and d unchanged) on any problem; else *added and *updated count items. */
bool import_inventory(struct doc *d, const char *kind, const char *path,
		      size_t *added, size_t *updated, char *msg, size_t msglen);

#endif
