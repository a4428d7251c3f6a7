/* compare_out.h - `osmigrate compare`'s renderings of a comparison
 * (compare.h returns it as data): text for people (one line per
 * difference, notes, summary) and a JSON object (see osmigrate(1)
 * "compare" for its shape).  Names from the databases are neutralised
 * (text.h) in the text and escaped in the JSON.
 * UI-free: never include curses here. */
#ifndef OSM_COMPARE_OUT_H
#define OSM_COMPARE_OUT_H

#include "compare.h"
#include "util.h"

void cmp_result_text(const struct cmp_result *r, struct strbuf *sb);
void cmp_result_json(const struct cmp_result *r, struct strbuf *sb);

#endif
