/* login.h - the one way osmigrate obtains a password (or the LifeTime
 * token) and connects with it.
 *
 * A secret is never in a file osmigrate writes nor in a connection string
 * it accepts (secret.h).  libpq finds a password in ~/.pgpass, PGPASSFILE,
 * a service file or PGPASSWORD; otherwise the operator types it, once, and
 * it is kept in memory for the session (struct secrets, ctx.h), one slot
 * per kind of secret: the target's, the source's, the old and the new
 * database's of a comparison, and LifeTime's token.
 *
 * pg_login() connects with the password kept for the database's kind.
 * When the server wants one that nobody gave (PG_FAIL_NEED_PASSWORD) and
 * ctx->ask is set, it asks once, keeps the answer and tries once more: the
 * commands set ctx->ask to output_ask_secret() when standard input is a
 * terminal.  Without ctx->ask (no terminal; the wizard's worker threads,
 * which cannot open a dialog) the failure names the secret (fail->needs),
 * the check result that reports it carries it (result.h: needs), and
 * whoever can ask afterwards (the wizard, when the run is over) asks for
 * exactly those: secrets_ask_needed().  A password that is refused
 * (PG_FAIL_AUTH) is not asked again: its fix says where to correct it.
 * UI-free: never include curses here. */
#ifndef OSM_LOGIN_H
#define OSM_LOGIN_H

#include <stdbool.h>
#include <stddef.h>

#include "ctx.h"
#include "doc.h"
#include "pg.h"
#include "result.h"

/* Connect to spec (built without a password) as pg_connect does, with the
 * password of kind from ctx->secrets; ask for a missing one as above. */
PGconn *pg_login(const struct pg_spec *spec, enum secret_kind kind, struct ctx *ctx,
		 struct pg_failure *fail);

/* The database a password kind belongs to, as the settings name it:
 * [target], [source], [compare] old, [compare] new.  False with msg when
 * the settings do not name it or name it wrongly. */
bool pg_spec_for_secret(struct pg_spec *spec, const struct doc *settings, enum secret_kind kind,
			char *msg, size_t msglen);

/* Before checks that connect, on a terminal: log in once to every database
 * the settings name, so that a missing password is asked now, not in the
 * middle of the checks (`check`). */
void pg_login_all(const struct doc *settings, struct ctx *ctx);

/* After a run: ask (ask, ud as ctx->ask) for each secret a result of rep
 * lacked and nobody gave yet, each kind once, keeping the answers in s.
 * Returns how many were given. */
size_t secrets_ask_needed(const struct check_report *rep, struct secrets *s,
			  char *(*ask)(void *ud, enum secret_kind kind, const char *what),
			  void *ud);

#endif
