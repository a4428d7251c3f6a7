/* secret.h - passwords never enter osmigrate's files, outputs or journal.
 *
 * Two tools, one for each way a password can arrive:
 *   - conninfo_has_password() asks libpq's own parser (PQconninfoParse,
 *     which decodes URIs and their percent-encoding) whether a connection
 *     string carries a password, so every spelling libpq would use is
 *     caught: password=..., postgresql://user:pa?ss@host, ?pass%77ord=...,
 *     sslpassword=...  Every conninfo osmigrate accepts (settings, answers,
 *     the command lines of types and compare, [compare] old/new) is refused
 *     when it does;
 *   - mask_secrets() masks what free text (notes, reasons) carries, so a
 *     connection string pasted into a note reaches the state file, the
 *     journal, the report and status as "postgresql://u:***@h".
 * UI-free: never include curses here. */
#ifndef OSM_SECRET_H
#define OSM_SECRET_H

#include <stdbool.h>

/* What to do instead of giving a password in a connection string. */
#define PASSWORD_FIX \
	"osmigrate never takes a password from a connection string: remove it, and put " \
	"it in ~/.pgpass (or the file PGPASSFILE names), in a libpq service file " \
	"(service=NAME), or in PGPASSWORD, or type it when osmigrate asks for it"

/* True when libpq would take a password (or sslpassword) from v, used as a
 * conninfo or as a dbname with expand_dbname (anything with '=' or "://").
 * A dbname inside it that is itself a connection string is looked at too.
 * When libpq cannot parse v (it would refuse to connect anyway, and its
 * error message may quote the password), a conservative reading decides:
 * a "password" keyword (also percent-encoded) followed by '=', or
 * scheme://user:secret@ before the path. */
bool conninfo_has_password(const char *v);

/* s with secrets replaced by "***" (caller frees):
 *   - the value of password=, passwd= and token= (case-insensitive, any
 *     prefix such as sslpassword= or PGPASSWORD=, spaces around '=', a
 *     'quoted value', and the keyword percent-encoded as in pass%77ord=);
 *   - the password of URI user information: scheme://user:secret@host
 *     becomes scheme://user:***@host.
 * Used for every note and reason (state file, journal, report, status). */
char *mask_secrets(const char *s);

#endif
