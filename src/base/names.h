/* names.h - the one reader of PostgreSQL names as operators write them in
 * settings and on the command line: lists separated by blanks or commas
 * outside double quotes, and schema.table with optional double quotes
 * ("" inside a quoted name is a quote; unquoted names are kept as typed,
 * without case folding, since operators copy them from the catalog).
 * Used by the settings validator, the privilege checks and type verification.
 * UI-free: never include curses here. */
#ifndef OSM_NAMES_H
#define OSM_NAMES_H

#include <stdbool.h>
#include <stddef.h>

/* Split a list ("sales hr", "a,b", "\"My Schema\".\"Order Lines\" x.y").
 * Returns a NULL-terminated array of owned words; *n gets the count. */
char **names_split(const char *list, size_t *n);
void names_free(char **words);

/* One identifier, quoted or bare, and nothing else.  *ident owned. */
bool names_ident(const char *word, char **ident);
/* "schema.table" with either part quoted.  On failure fills msg (if given)
 * with how to write it. *schema and *table owned. */
bool names_qualified(const char *word, char **schema, char **table, char *msg, size_t msglen);

#endif
