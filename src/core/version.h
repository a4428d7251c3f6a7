/* version.h - Platform Server versions as Service Center and LifeTime show
 * them ("11.31.0", "11.31.0.45003"): the one parser and comparison, used by
 * the version checks (httpcheck.c), the support table of PostgreSQL
 * versions (pgcheck.c) and the wizard's version field (screens/step.c).
 *
 * A version is two or more whole numbers separated by single dots: digits
 * and dots only, no empty part, no leading or trailing dot, at most
 * VERSION_MAX_PARTS parts of at most nine digits each.  Anything else
 * ("11", "11.x", "11..15", "v11.15", "11.15.0 ") is not a version, and a
 * check that gets one says so instead of guessing.
 * UI-free: never include curses here. */
#ifndef OSM_VERSION_H
#define OSM_VERSION_H

#include <stdbool.h>

#define VERSION_MAX_PARTS 8

struct version {
	unsigned long part[VERSION_MAX_PARTS];
	unsigned n;
};

/* Parse s; false when it is not a version (out may be NULL: a test). */
bool version_parse(const char *s, struct version *out);
/* Numeric order, part by part; missing parts count as 0 (11.15 == 11.15.0,
 * 11.0.110.0 < 11.15.0 < 11.15.0.1).  Negative, 0 or positive. */
int version_order(const struct version *a, const struct version *b);
/* Both parsed and compared: *out as version_order; false (and *out left
 * alone) when either is not a version. */
bool version_cmp(const char *a, const char *b, int *out);

#endif
