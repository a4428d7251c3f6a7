/* types_out.h - the type verification's report, as `osmigrate types` prints it. */
#ifndef OSM_TYPES_OUT_H
#define OSM_TYPES_OUT_H

#include <stdbool.h>
#include <stdio.h>

#include "typescan.h"

/* Output.  JSON (version 2, see osmigrate(1)) and text (grouped by table,
 * then column, so a column's findings read together), streamed to f;
 * message and fix are generated per finding.  Return false on write error. */
bool type_result_write_json(const struct type_result *r, FILE *f);
/* The JSON of a run that produced no result (no connection, the catalog
 * could not be read, interrupted): the same object with no findings,
 * "summary": null, "unmatched": null and "error": {"message", "fix"} (fix
 * may be NULL), like compare's.  A result has "error": null. */
bool type_error_write_json(const char *scope, const char *message, const char *fix, FILE *f);
bool type_result_write_text(const struct type_result *r, FILE *f, bool color);

#endif
