/* pg.h - talking to the operator's PostgreSQL, read-only, cancellable.
 *
 * Connection parameters are always keyword/value arrays with
 * expand_dbname=1 (a conninfo string or postgresql:// URI in "dbname"
 * works, nothing is pasted into a string).  Every session this module opens
 * carries application_name=osmigrate and a statement_timeout, and every
 * wait polls ctx_cancelled() (PQcancel on cancel).
 *
 * The database is untrusted: its search_path (ALTER DATABASE/ROLE ... SET)
 * may put a schema before pg_catalog whose set_config(), count() or "<"
 * writes, and any user may have added operators to a public schema.  So:
 *   - the session's first statement pins search_path to '' and turns
 *     default_transaction_read_only on, calling pg_catalog.set_config only;
 *   - every statement runs inside an explicit START TRANSACTION READ ONLY
 *     that pins search_path again (pg_query/pg_stream open one unless the
 *     caller did with pg_read_begin);
 *   - every function, aggregate, operator and type in osmigrate's SQL is
 *     schema-qualified (pg_catalog.count, OPERATOR(pg_catalog.<),
 *     ::pg_catalog.text), as pg_dump writes it;
 *   - the server's NOTICE/WARNING messages are counted, never printed, and
 *     its error texts are neutralised (text_safe) before anyone shows them.
 * UI-free: never include curses here. */
#ifndef OSM_PG_H
#define OSM_PG_H

#include <stdbool.h>
#include <stddef.h>

#include <libpq-fe.h>

#include "ctx.h"
#include "doc.h"

#define PG_MAX_PARAMS 24

/* A connection to make: keyword/value arrays (NULL-terminated) plus a label
 * for messages ("target 127.0.0.1:5432/shop as osm"). Strings are owned. */
struct pg_spec {
	char *keywords[PG_MAX_PARAMS + 1];
	char *values[PG_MAX_PARAMS + 1];
	size_t n;
	char label[256];
};
void pg_spec_free(struct pg_spec *s);
/* From a settings section ("target", "source"): its keys in the settings
 * schema (schema.h), libpq keywords, and conninfo.  password may be
 * NULL (libpq then uses PGPASSWORD, .pgpass, the service file).
 * Returns false and fills msg when the section is missing or invalid. */
bool pg_spec_from_doc(struct pg_spec *s, const struct doc *d, const char *section,
		      const char *password, char *msg, size_t msglen);
/* From a conninfo string, URI or "service=NAME" (compare OLD NEW, types CONNINFO). */
bool pg_spec_from_conninfo(struct pg_spec *s, const char *conninfo, const char *password,
			   char *msg, size_t msglen);
/* dst: a copy of src, with password in place of any src has (NULL: as src). */
void pg_spec_copy(struct pg_spec *dst, const struct pg_spec *src, const char *password);

/* Why a connection failed, classified so the operator knows what to do. */
enum pg_fail {
	PG_OK = 0,
	PG_FAIL_RESOLVE,        /* name not resolved */
	PG_FAIL_REFUSED,        /* connection refused */
	PG_FAIL_TIMEOUT,        /* no answer within the timeout */
	PG_FAIL_TLS_REQUIRED,   /* server requires TLS / pg_hba has no entry without SSL */
	PG_FAIL_TLS,            /* TLS handshake failed */
	PG_FAIL_CERT,           /* certificate not trusted / host name mismatch */
	PG_FAIL_AUTH,           /* authentication failed */
	PG_FAIL_NEED_PASSWORD,  /* a password is needed and none was found: prompt */
	PG_FAIL_NO_DATABASE,    /* database does not exist */
	PG_FAIL_TOO_MANY,       /* too many connections */
	PG_FAIL_VERSION,        /* unsupported server version */
	PG_FAIL_CANCELLED,      /* the operator pressed Esc */
	PG_FAIL_OTHER,
};
struct pg_failure {
	enum pg_fail cls;
	char message[512];      /* what happened, with libpq's own words */
	char fix[512];          /* what to do next */
	enum secret_kind needs; /* pg_login: the password nobody gave (PG_FAIL_NEED_PASSWORD) */
};

/* Non-blocking connect (PQconnectStartParams + PQconnectPoll) honouring
 * ctx timeout and cancel.  On success the session is read-only.  Returns
 * NULL and fills *fail otherwise.  Connect through pg_login (login.h),
 * which adds the password kept for the database and asks for a missing one. */
PGconn *pg_connect(const struct pg_spec *spec, struct ctx *ctx, struct pg_failure *fail);

/* Run one statement (PQsendQueryParams), waiting on PQsocket in slices of
 * CTX_POLL_MS, PQcancel on ctx cancel.  Outside a transaction opened with
 * pg_read_begin it runs in a READ ONLY transaction of its own.  Returns the
 * result (PGRES_TUPLES_OK or PGRES_COMMAND_OK) or NULL with err filled
 * ("cancelled" on cancel). */
PGresult *pg_query(PGconn *c, struct ctx *ctx, const char *sql, int nparams,
		   const char *const *params, char *err, size_t errlen);

/* pg_query, and the SQLSTATE of the server's error in sqlstate (6 bytes:
 * "57014" statement timeout, "42501" insufficient privilege...), "" when
 * the failure was not the server's (cancel, no answer, connection lost). */
PGresult *pg_query_state(PGconn *c, struct ctx *ctx, const char *sql, int nparams,
			 const char *const *params, char *err, size_t errlen, char *sqlstate);

/* Single-row mode streaming for large catalog scans: calls row() once per
 * row; stops (cancelling the query) when row returns false or ctx is
 * cancelled.  Transactions as pg_query.  Returns true when all rows were
 * read. */
bool pg_stream(PGconn *c, struct ctx *ctx, const char *sql, int nparams,
	       const char *const *params,
	       bool (*row)(void *ud, const PGresult *res, int rownum), void *ud,
	       char *err, size_t errlen);

/* Several statements in one READ ONLY transaction (search_path pinned):
 * fewer round trips, and with one_snapshot (REPEATABLE READ) one view of
 * the catalog for all of them.  A statement that fails leaves the
 * transaction failed: the statements after it fail too.  pg_read_end ends
 * it (COMMIT, or ROLLBACK after a failure or a cancel; a no-op outside a
 * transaction); it is not cancellable and waits at most 2 s. */
bool pg_read_begin(PGconn *c, struct ctx *ctx, bool one_snapshot, char *err, size_t errlen);
bool pg_read_end(PGconn *c, char *err, size_t errlen);

/* How many NOTICE/WARNING messages the servers sent this process (they are
 * never printed: see above). */
unsigned long pg_notices(void);

/* Quote an identifier through libpq (PQescapeIdentifier); caller frees with free(). */
char *pg_quote_ident(PGconn *c, const char *ident);
/* {"a","b"}: a text[] literal for a statement parameter, every element
 * double-quoted (a quote or backslash in it escaped), so any name is safe.
 * Caller frees. */
char *pg_text_array(const char *const *v, size_t n);

/* Short name of a failure class ("connection refused", "TLS required", ...). */
const char *pg_fail_name(enum pg_fail cls);
/* Classify a libpq connection error text (pg_connect uses it; exposed for
 * tests).  needs_password is PQconnectionNeedsPassword(), had_password
 * whether the spec carried one. */
enum pg_fail pg_classify_message(const char *msg, bool had_password, bool needs_password);

#endif
