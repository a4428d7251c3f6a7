/* pg.c - talking to the operator's PostgreSQL, read-only, cancellable (see pg.h).
 *
 * libpq does not enforce connect_timeout for PQconnectPoll (only the
 * blocking PQconnectdb does), so the deadline and the cancel flag are ours:
 * every wait is a poll() on PQsocket of at most CTX_POLL_MS.
 *
 * libpq exposes no SQLSTATE for a failed connection attempt, so failures are
 * classified from libpq's and the server's English message texts; anything
 * unrecognised is PG_FAIL_OTHER with libpq's own words, never a guess.
 *
 * The database is untrusted (see pg.h): the first statement of a session
 * pins search_path and makes the session read-only with nothing but
 * pg_catalog-qualified calls, every statement runs inside an explicit
 * READ ONLY transaction that pins search_path again, the server's notices
 * are counted and never printed, and every text the server supplies
 * (connection and query errors) goes through untrusted() before anyone
 * shows it. */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pg.h"
#include "schema.h"
#include "text.h"
#include "util.h"

/* Oldest server whose catalogs our queries use (pg_stat_activity.pid, 9.2). */
#define PG_MIN_SERVER_VERSION 90200

/* How values become text: ALTER DATABASE/ROLE ... SET may choose another
 * DateStyle (a date key read as 02/03/2024), a lossy extra_float_digits,
 * or a TimeZone that moves timestamptz.  osmigrate's samples and range
 * checks use ISO dates, full float precision, and UTC (what Npgsql 6+
 * reads timestamptz as), whatever the database says.  LOCAL is "true"
 * (this transaction) or "false" (the session). */
#define SESSION_FORMATS(LOCAL) \
	"pg_catalog.set_config('DateStyle', 'ISO, YMD', " LOCAL "), " \
	"pg_catalog.set_config('IntervalStyle', 'postgres', " LOCAL "), " \
	"pg_catalog.set_config('TimeZone', 'UTC', " LOCAL "), " \
	"pg_catalog.set_config('extra_float_digits', '1', " LOCAL "), " \
	"pg_catalog.set_config('bytea_output', 'hex', " LOCAL ")"

/* snprintf into a fixed buffer where truncating a long message is the
 * intended behaviour (keeps -Wformat-truncation quiet for those only). */
static void bfmt(char *dst, size_t len, const char *fmt, ...) OSM_PRINTF(3, 4);
static void bfmt(char *dst, size_t len, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(dst, len, fmt, ap);
	va_end(ap);
}

void pg_spec_free(struct pg_spec *s)
{
	for (size_t i = 0; i < s->n; i++) {
		free(s->keywords[i]);
		if (s->values[i]) {
			/* The password may be among the values: do not leave it in freed memory. */
			memset(s->values[i], 0, strlen(s->values[i]));
			free(s->values[i]);
		}
	}
	memset(s, 0, sizeof *s);
}

static void spec_init(struct pg_spec *s)
{
	memset(s, 0, sizeof *s);
}

static bool spec_add(struct pg_spec *s, const char *kw, const char *val)
{
	if (s->n >= PG_MAX_PARAMS)
		return false;
	s->keywords[s->n] = xstrdup(kw);
	s->values[s->n] = xstrdup(val);
	s->n++;
	s->keywords[s->n] = NULL;
	s->values[s->n] = NULL;
	return true;
}

static const char *spec_get(const struct pg_spec *s, const char *kw)
{
	const char *v = NULL;

	for (size_t i = 0; i < s->n; i++)
		if (str_eq(s->keywords[i], kw))
			v = s->values[i]; /* the last one wins, as in libpq */
	return v;
}

/* A label for messages from the effective parameters: libpq parses a
 * conninfo/URI for us, so "postgresql://u@h:5/db" reads "h:5/db as u". */
static void spec_label(struct pg_spec *s, const char *what)
{
	const char *host = NULL, *port = NULL, *db = NULL, *user = NULL, *service = NULL;
	PQconninfoOption *opts = NULL;
	const char *cs = NULL;
	char *err = NULL;

	for (size_t i = 0; i < s->n; i++)
		if (str_eq(s->keywords[i], "dbname")) {
			cs = s->values[i];
			break;
		}
	if (cs && (strchr(cs, '=') || str_startswith(cs, "postgresql://") ||
		   str_startswith(cs, "postgres://"))) {
		opts = PQconninfoParse(cs, &err);
		if (err)
			PQfreemem(err);
	}
	if (opts)
		for (PQconninfoOption *o = opts; o->keyword; o++) {
			if (!o->val || !*o->val)
				continue;
			if (str_eq(o->keyword, "host"))
				host = o->val;
			else if (str_eq(o->keyword, "port"))
				port = o->val;
			else if (str_eq(o->keyword, "dbname"))
				db = o->val;
			else if (str_eq(o->keyword, "user"))
				user = o->val;
			else if (str_eq(o->keyword, "service"))
				service = o->val;
		}
	/* Explicit keys override what the conninfo said (same order as libpq). */
	if (spec_get(s, "host"))
		host = spec_get(s, "host");
	if (spec_get(s, "port"))
		port = spec_get(s, "port");
	if (spec_get(s, "user"))
		user = spec_get(s, "user");
	if (spec_get(s, "service"))
		service = spec_get(s, "service");
	if (!db && cs && !(strchr(cs, '=') || strstr(cs, "://")))
		db = cs;
	/* A later dbname is literal and wins over the expanded one. */
	for (size_t i = 0, seen = 0; i < s->n; i++)
		if (str_eq(s->keywords[i], "dbname") && seen++ > 0)
			db = s->values[i];

	if (service && !host)
		/* A dbname given beside the service says which database it is:
		 * "service shop/shop_restored", not the same label twice. */
		bfmt(s->label, sizeof s->label, "%s service %s%s%s%s%s", what, service,
			 db ? "/" : "", db ? db : "", user ? " as " : "", user ? user : "");
	else
		bfmt(s->label, sizeof s->label, "%s %s%s%s%s%s%s%s", what,
			 host ? host : "(default host)", port ? ":" : "", port ? port : "",
			 db ? "/" : "", db ? db : "", user ? " as " : "", user ? user : "");
	if (opts)
		PQconninfoFree(opts);
}

/* Ours last, so neither a conninfo nor a service can rename our sessions. */
static bool spec_finish(struct pg_spec *s, const char *password)
{
	if (password && !spec_add(s, "password", password))
		return false;
	if (!spec_add(s, "client_encoding", "UTF8"))
		return false;
	return spec_add(s, "application_name", "osmigrate");
}

bool pg_spec_from_doc(struct pg_spec *s, const struct doc *d, const char *section,
		      const char *password, char *msg, size_t msglen)
{
	size_t nkeys;
	/* The section's keys in the settings schema are libpq's keywords,
	 * conninfo (read first, below) aside: test_schema.c holds them to it. */
	const struct settings_key *keys = schema_section_keys(section, &nkeys);
	const char *conninfo;
	bool any = false;

	spec_init(s);
	if (!doc_has_section(d, section, NULL)) {
		bfmt(msg, msglen,
			 "no [%s] connection is configured: give host, port, dbname and user, "
			 "or service, or conninfo in the [%s] section", section, section);
		return false;
	}
	conninfo = doc_get(d, section, NULL, "conninfo");
	if (!str_empty(conninfo)) {
		char *err = NULL;
		PQconninfoOption *o = PQconninfoParse(conninfo, &err);

		if (!o) {
			bfmt(msg, msglen, "[%s] conninfo is not a valid connection string: %s",
				 section, err ? str_trim(err) : "out of memory");
			if (err)
				PQfreemem(err);
			pg_spec_free(s);
			return false;
		}
		PQconninfoFree(o);
		spec_add(s, "dbname", conninfo);
		any = true;
	}
	for (size_t i = 0; i < nkeys; i++) {
		const char *key = keys[i].k.key;
		const char *v = doc_get(d, section, NULL, key);

		if (str_empty(v) || keys[i].k.type == V_CONNINFO)
			continue;
		/* With a conninfo, these keys come after it and override its values
		 * (libpq takes a second dbname literally, never expanded). */
		if (keys[i].k.type == V_PORT || keys[i].k.type == V_TIMEOUT) {
			char *end;
			long n = strtol(v, &end, 10);

			if (*end || n < 0 || n > 65535) {
				bfmt(msg, msglen, "[%s] %s = %s is not a number", section, key, v);
				pg_spec_free(s);
				return false;
			}
		}
		if (!spec_add(s, key, v)) {
			bfmt(msg, msglen, "[%s] has too many connection parameters", section);
			pg_spec_free(s);
			return false;
		}
		any = true;
	}
	if (!any) {
		bfmt(msg, msglen,
			 "[%s] is empty: give host, port, dbname and user, or service, or conninfo",
			 section);
		pg_spec_free(s);
		return false;
	}
	if (!spec_finish(s, password)) {
		bfmt(msg, msglen, "[%s] has too many connection parameters", section);
		pg_spec_free(s);
		return false;
	}
	spec_label(s, section);
	return true;
}

void pg_spec_copy(struct pg_spec *dst, const struct pg_spec *src, const char *password)
{
	spec_init(dst);
	for (size_t i = 0; i < src->n; i++)
		if (!password || !str_eq(src->keywords[i], "password"))
			spec_add(dst, src->keywords[i], src->values[i]);
	if (password)
		spec_add(dst, "password", password);
	memcpy(dst->label, src->label, sizeof dst->label);
}

bool pg_spec_from_conninfo(struct pg_spec *s, const char *conninfo, const char *password,
			   char *msg, size_t msglen)
{
	char *err = NULL;
	PQconninfoOption *o;

	spec_init(s);
	if (str_empty(conninfo)) {
		bfmt(msg, msglen, "empty connection string: give a conninfo, a "
			 "postgresql:// URI or service=NAME");
		return false;
	}
	/* A bare word is a database name for libpq; still validate anything else. */
	if (strchr(conninfo, '=') || strstr(conninfo, "://")) {
		o = PQconninfoParse(conninfo, &err);
		if (!o) {
			bfmt(msg, msglen, "not a valid connection string: %s",
				 err ? str_trim(err) : "out of memory");
			if (err)
				PQfreemem(err);
			return false;
		}
		PQconninfoFree(o);
	}
	spec_add(s, "dbname", conninfo);
	spec_finish(s, password);
	spec_label(s, "database");
	return true;
}

/* ---- untrusted text from the server ---- */

/* Every text the server supplies (a rogue server writes what it likes into
 * an error) gets the neutralisation names and values get (text.h), here,
 * once, before anyone shows it. */
static void untrusted(char *buf, size_t len)
{
	char *safe = text_safe(buf);

	bfmt(buf, len, "%s", safe);
	free(safe);
}

/* NOTICE and WARNING messages (a function, a trigger, a row-level security
 * policy may raise them while osmigrate reads) are never printed: libpq's
 * default would write them raw to stderr, that is onto the operator's
 * terminal or over the wizard's screen, as often as the server likes.
 * They are only counted. */
static atomic_ulong notices;

static void on_notice(void *arg, const char *message)
{
	(void)arg;
	(void)message;
	atomic_fetch_add(&notices, 1);
}

unsigned long pg_notices(void)
{
	return atomic_load(&notices);
}

/* ---- failure classification ---- */

static bool has(const char *hay, const char *needle)
{
	return hay && strstr(hay, needle) != NULL;
}

static void set_fail(struct pg_failure *f, enum pg_fail cls, const char *what, const char *fix)
{
	f->cls = cls;
	bfmt(f->message, sizeof f->message, "%s", what);
	/* libpq messages end with a newline and may span lines: keep one line. */
	for (char *p = f->message; *p; p++)
		if (*p == '\n' || *p == '\r' || *p == '\t')
			*p = ' ';
	str_trim(f->message);
	untrusted(f->message, sizeof f->message);
	bfmt(f->fix, sizeof f->fix, "%s", fix);
}

/* Exposed for the unit tests (pg.h): classification of a libpq message. */
enum pg_fail pg_classify_message(const char *m, bool had_password, bool needs_password)
{
	if (needs_password && !had_password)
		return PG_FAIL_NEED_PASSWORD;
	if (has(m, "no password supplied"))
		return PG_FAIL_NEED_PASSWORD;
	if (has(m, "could not translate host name") || has(m, "Name or service not known") ||
	    has(m, "nodename nor servname") || has(m, "Temporary failure in name resolution") ||
	    has(m, "No address associated with hostname"))
		return PG_FAIL_RESOLVE;
	if (has(m, "Connection refused") ||
	    (has(m, "No such file or directory") && has(m, "socket")))
		return PG_FAIL_REFUSED;
	if (has(m, "timeout expired") || has(m, "timed out"))
		return PG_FAIL_TIMEOUT;
	/* Server answers first: with sslmode=prefer libpq retries without TLS
	 * and appends that attempt's error, so the first cause must win. */
	if (has(m, "database \"") && has(m, "does not exist"))
		return PG_FAIL_NO_DATABASE;
	if (has(m, "too many connections") || has(m, "too many clients") ||
	    has(m, "remaining connection slots are reserved"))
		return PG_FAIL_TOO_MANY;
	if (has(m, "authentication failed") || has(m, "is not permitted to log in") ||
	    (has(m, "role \"") && has(m, "does not exist")))
		return PG_FAIL_AUTH;
	/* pg_hba.conf matched only hostssl lines: "..., no encryption" (14+), "SSL off" (older). */
	if (has(m, "pg_hba.conf") && (has(m, "no encryption") || has(m, "SSL off")))
		return PG_FAIL_TLS_REQUIRED;
	if (has(m, "pg_hba.conf"))
		return PG_FAIL_AUTH;
	if (has(m, "certificate verify failed") || has(m, "does not match host name") ||
	    has(m, "root certificate file") || has(m, "self-signed certificate") ||
	    has(m, "self signed certificate") || has(m, "unable to get local issuer") ||
	    has(m, "certificate has expired") || has(m, "could not get server's host name") ||
	    has(m, "server certificate for"))
		return PG_FAIL_CERT;
	if (has(m, "SSL") || has(m, "TLS") || has(m, "tlsv1 alert"))
		return PG_FAIL_TLS;
	if (has(m, "password") || has(m, "SCRAM"))
		return PG_FAIL_AUTH;
	return PG_FAIL_OTHER;
}

static void fix_for(enum pg_fail cls, const char *label, char *fix, size_t len)
{
	switch (cls) {
	case PG_OK:
		bfmt(fix, len, "-");
		break;
	case PG_FAIL_RESOLVE:
		bfmt(fix, len, "The host name of %s does not resolve from this machine: check "
			 "its spelling, or use the IP address, or fix DNS/hosts on this machine.",
			 label);
		break;
	case PG_FAIL_REFUSED:
		bfmt(fix, len, "Nothing accepts connections at %s: check the port, that "
			 "PostgreSQL runs, and that listen_addresses includes the address you use.",
			 label);
		break;
	case PG_FAIL_TIMEOUT:
		bfmt(fix, len, "No answer from %s in time: a firewall may drop the packets, or "
			 "the server is overloaded. Check the route/firewall from this machine, or "
			 "raise connect_timeout.", label);
		break;
	case PG_FAIL_TLS_REQUIRED:
		bfmt(fix, len, "The server only accepts TLS connections from here: set "
			 "sslmode = require (or verify-full with sslrootcert) for %s; Service "
			 "Center's connection needs SSL Mode=Require as well.", label);
		break;
	case PG_FAIL_TLS:
		bfmt(fix, len, "The TLS handshake with %s failed: check that the server has "
			 "ssl = on with a valid certificate and key, and that sslmode matches what "
			 "the server offers.", label);
		break;
	case PG_FAIL_CERT:
		bfmt(fix, len, "The server certificate of %s is not trusted for this host "
			 "name: set sslrootcert to the CA that signed it, and connect with the name "
			 "in the certificate (verify-full checks it). Do not turn verification off.",
			 label);
		break;
	case PG_FAIL_AUTH:
		bfmt(fix, len, "The server refused the login for %s: check the user and "
			 "password (~/.pgpass, PGPASSWORD, the service file), and that pg_hba.conf "
			 "allows this user from this machine.", label);
		break;
	case PG_FAIL_NEED_PASSWORD:
		bfmt(fix, len, "%s needs a password and none was found: add it to ~/.pgpass "
			 "(mode 0600) or a service file, set PGPASSWORD, or type it when asked.",
			 label);
		break;
	case PG_FAIL_NO_DATABASE:
		bfmt(fix, len, "The database named for %s does not exist on that server: "
			 "check dbname (psql -l lists them).", label);
		break;
	case PG_FAIL_TOO_MANY:
		bfmt(fix, len, "The server (or this role's CONNECTION LIMIT) has no free "
			 "connection slot for %s: retry later, close idle sessions, or raise "
			 "max_connections / the role's limit.", label);
		break;
	case PG_FAIL_VERSION:
		bfmt(fix, len, "The server of %s is older than PostgreSQL 9.2 and cannot be "
			 "checked; it is not supported by OutSystems either: upgrade it.", label);
		break;
	case PG_FAIL_CANCELLED:
		bfmt(fix, len, "Cancelled: run the check again when ready.");
		break;
	case PG_FAIL_OTHER:
		bfmt(fix, len, "Read libpq's message above for %s; try the same parameters "
			 "with psql from this machine to see the full error.", label);
		break;
	}
}

static void fail_with(struct pg_failure *f, enum pg_fail cls, const char *label,
		      const char *message)
{
	char fix[512];

	fix_for(cls, label, fix, sizeof fix);
	set_fail(f, cls, message, fix);
}

static void classify_conn(PGconn *conn, const struct pg_spec *spec, struct pg_failure *f)
{
	const char *m = conn ? PQerrorMessage(conn) : "out of memory";
	bool had_pw = spec_get(spec, "password") != NULL;
	enum pg_fail cls;
	char buf[512];

	cls = pg_classify_message(m, had_pw, conn && PQconnectionNeedsPassword(conn));
	bfmt(buf, sizeof buf, "%s: %s", spec->label, str_empty(m) ? "connection failed" : m);
	fail_with(f, cls, spec->label, buf);
}

/* The effective connect_timeout after libpq merged conninfo, service and
 * environment; 0 when unset. */
static int effective_timeout(PGconn *conn)
{
	PQconninfoOption *opts = PQconninfo(conn);
	int t = 0;

	if (!opts)
		return 0;
	for (PQconninfoOption *o = opts; o->keyword; o++)
		if (str_eq(o->keyword, "connect_timeout") && !str_empty(o->val))
			t = atoi(o->val);
	PQconninfoFree(opts);
	return t;
}

/* Wait until the socket is ready (events), the deadline passes or ctx is
 * cancelled.  Returns 1 ready, 0 timeout, -1 cancelled, -2 error. */
static int wait_socket(PGconn *c, short events, long long deadline, struct ctx *ctx)
{
	for (;;) {
		struct pollfd p;
		long long left;
		int sock = PQsocket(c), rc;

		if (ctx_cancelled(ctx))
			return -1;
		left = deadline - mono_ms();
		if (left <= 0)
			return 0;
		if (sock < 0)
			return -2;
		p.fd = sock;
		p.events = events;
		p.revents = 0;
		rc = poll(&p, 1, left < CTX_POLL_MS ? (int)left : CTX_POLL_MS);
		if (rc > 0)
			return 1;
		if (rc < 0 && errno != EINTR)
			return -2;
	}
}

static PGresult *run(PGconn *c, struct ctx *ctx, long long deadline, const char *sql,
		     int nparams, const char *const *params, char *err, size_t errlen);
static long long query_deadline(struct ctx *ctx);

PGconn *pg_connect(const struct pg_spec *spec, struct ctx *ctx, struct pg_failure *fail)
{
	PostgresPollingStatusType st = PGRES_POLLING_WRITING;
	PGconn *conn;
	long long deadline;
	int timeout_s;
	char err[512], setup[1024];
	PGresult *res;

	memset(fail, 0, sizeof *fail);
	if (ctx_cancelled(ctx)) {
		fail_with(fail, PG_FAIL_CANCELLED, spec->label, "cancelled before connecting");
		return NULL;
	}
	conn = PQconnectStartParams((const char *const *)spec->keywords,
				    (const char *const *)spec->values, 1);
	if (!conn) {
		fail_with(fail, PG_FAIL_OTHER, spec->label, "libpq could not allocate a connection");
		return NULL;
	}
	PQsetNoticeProcessor(conn, on_notice, NULL);
	if (PQstatus(conn) == CONNECTION_BAD) {
		classify_conn(conn, spec, fail);
		PQfinish(conn);
		return NULL;
	}
	/* Overall deadline: the operator's connect_timeout if they set one, else ours. */
	timeout_s = effective_timeout(conn);
	if (timeout_s <= 0)
		timeout_s = ctx_timeout_s(ctx);
	if (timeout_s < 2)
		timeout_s = 2; /* libpq also treats anything below 2 s as 2 s */
	deadline = mono_ms() + (long long)timeout_s * 1000;
	bfmt(err, sizeof err, "connecting to %s", spec->label);
	ctx_progress(ctx, err, 0, 0);

	while (st != PGRES_POLLING_OK) {
		int w;

		if (st == PGRES_POLLING_FAILED) {
			classify_conn(conn, spec, fail);
			PQfinish(conn);
			return NULL;
		}
		w = wait_socket(conn, st == PGRES_POLLING_READING ? POLLIN : POLLOUT, deadline, ctx);
		if (w == -1) {
			fail_with(fail, PG_FAIL_CANCELLED, spec->label, "connection cancelled");
			PQfinish(conn);
			return NULL;
		}
		if (w == 0) {
			bfmt(err, sizeof err, "%s: no answer within %d s", spec->label,
				 timeout_s);
			fail_with(fail, PG_FAIL_TIMEOUT, spec->label, err);
			PQfinish(conn);
			return NULL;
		}
		/* Ready, or the socket was replaced (next host): let libpq proceed. */
		st = PQconnectPoll(conn);
	}

	if (PQserverVersion(conn) < PG_MIN_SERVER_VERSION) {
		bfmt(err, sizeof err, "%s: server version %d is too old", spec->label,
			 PQserverVersion(conn));
		fail_with(fail, PG_FAIL_VERSION, spec->label, err);
		PQfinish(conn);
		return NULL;
	}

	/* The first statement: until it has run, the database's and the role's
	 * own search_path is in force (ALTER DATABASE/ROLE ... SET), and it may
	 * put a schema whose set_config() writes before pg_catalog; hence
	 * nothing but pg_catalog-qualified calls, in a READ ONLY transaction.
	 * The startup packet's "options" would pin it earlier, but would also
	 * replace the operator's own options (conninfo, service file,
	 * PGOPTIONS), which libpq merges out of our sight.  The timeout is a
	 * number formatted here, nothing the operator or the server wrote. */
	/* snprintf, not bfmt: a statement cut short must never run. */
	if ((size_t)snprintf(setup, sizeof setup,
	     "START TRANSACTION READ ONLY; "
	     "SELECT pg_catalog.set_config('search_path', '', false), "
	     "pg_catalog.set_config('default_transaction_read_only', 'on', false), "
	     "pg_catalog.set_config('statement_timeout', '%ds', false), "
	     "pg_catalog.set_config('application_name', 'osmigrate', false), "
	     SESSION_FORMATS("false") "; "
	     "COMMIT", ctx_timeout_s(ctx) > timeout_s ? ctx_timeout_s(ctx) : timeout_s) >= sizeof setup)
		fatalx("pg_connect: the session set-up statement does not fit its buffer");
	res = run(conn, ctx, query_deadline(ctx), setup, -1, NULL, err, sizeof err);
	if (!res) {
		char msg[600];

		bfmt(msg, sizeof msg, "%s: could not make the session read-only: %s",
			 spec->label, err);
		fail_with(fail, str_eq(err, "cancelled") ? PG_FAIL_CANCELLED : PG_FAIL_OTHER,
			  spec->label, msg);
		PQfinish(conn);
		return NULL;
	}
	PQclear(res);
	fail->cls = PG_OK;
	return conn;
}

/* ---- queries ---- */

/* PQcancel opens its own connection and blocks without any timeout (libpq
 * 15 has no non-blocking cancel), so it runs in a detached thread: a dead
 * network must not freeze the operator's Esc. */
static void *cancel_thread(void *arg)
{
	PGcancel *cn = arg;
	char buf[256];

	PQcancel(cn, buf, sizeof buf);
	PQfreeCancel(cn);
	return NULL;
}

/* Ask the server to stop the running statement, then drain what is left for
 * a short while so the connection can be reused or closed cleanly. */
static void cancel_and_drain(PGconn *c)
{
	PGcancel *cn = PQgetCancel(c);
	long long deadline = mono_ms() + 2000;
	PGresult *r;

	if (cn) {
		pthread_t t;
		pthread_attr_t attr;
		bool started = false;

		if (pthread_attr_init(&attr) == 0) {
			pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
			started = pthread_create(&t, &attr, cancel_thread, cn) == 0;
			pthread_attr_destroy(&attr);
		}
		if (!started)
			cancel_thread(cn);
	}
	for (;;) {
		while (PQisBusy(c)) {
			if (wait_socket(c, POLLIN, deadline, NULL) != 1 || !PQconsumeInput(c))
				return;
		}
		r = PQgetResult(c);
		if (!r)
			return;
		PQclear(r);
	}
}

/* Client-side bound on any single statement: the server's statement_timeout
 * should fire first; this catches a dead network. */
static long long query_deadline(struct ctx *ctx)
{
	return mono_ms() + (long long)ctx_timeout_s(ctx) * 2000 + 1000;
}

/* One line for the operator: libpq's texts span lines and may quote the
 * query ("LINE 1: ..." and a caret line), which says nothing to them. */
static void set_err(char *err, size_t errlen, const char *what, const char *detail)
{
	struct strbuf sb = STRBUF_INIT;

	if (!err || !errlen)
		return;
	sb_add(&sb, what);
	if (detail)
		sb_add(&sb, ":");
	for (const char *line = detail; line && *line;) {
		size_t n = strcspn(line, "\n");
		size_t lead = strspn(line, " \t");
		bool caret = lead < n && line[lead] == '^' && strspn(line + lead + 1, " \t") == n - lead - 1;

		if (!str_startswith(line, "LINE ") && !caret && lead < n) {
			sb_addc(&sb, ' ');
			sb_addn(&sb, line + lead, n - lead);
		}
		line += n + (line[n] == '\n');
	}
	bfmt(err, errlen, "%s", sb_str(&sb));
	sb_free(&sb);
	for (char *p = err; *p; p++)
		if (*p == '\r' || *p == '\t')
			*p = ' ';
	str_trim(err);
	untrusted(err, errlen);
}

/* The server's primary message (no LINE/caret context), else the full text. */
static void result_err(const PGresult *r, char *err, size_t errlen)
{
	const char *primary = PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY);

	if (!str_empty(primary))
		set_err(err, errlen, primary, NULL);
	else if (PQresultErrorMessage(r)[0])
		set_err(err, errlen, PQresultErrorMessage(r), NULL);
	else
		set_err(err, errlen, PQresStatus(PQresultStatus(r)), NULL);
}

/* Wait for input to be complete; 1 ready, else fills err (and cancels). */
static int wait_result(PGconn *c, struct ctx *ctx, long long deadline, char *err, size_t errlen)
{
	while (PQisBusy(c)) {
		int w = wait_socket(c, POLLIN, deadline, ctx);

		if (w == -1) {
			cancel_and_drain(c);
			set_err(err, errlen, "cancelled", NULL);
			return 0;
		}
		if (w == 0) {
			cancel_and_drain(c);
			set_err(err, errlen, "the server did not answer in time", NULL);
			return 0;
		}
		if (w < 0 || !PQconsumeInput(c)) {
			set_err(err, errlen, "connection lost", PQerrorMessage(c));
			return 0;
		}
	}
	return 1;
}

/* Send one query string and collect its results: the first error, else
 * the last result.  nparams < 0: the simple protocol, which lets sql hold
 * several statements (and no parameters). */
static PGresult *run_state(PGconn *c, struct ctx *ctx, long long deadline, const char *sql,
			   int nparams, const char *const *params, char *err, size_t errlen,
			   char *sqlstate)
{
	PGresult *keep = NULL, *r;
	int sent;

	if (sqlstate)
		sqlstate[0] = '\0';

	if (ctx_cancelled(ctx)) {
		set_err(err, errlen, "cancelled", NULL);
		return NULL;
	}
	sent = nparams < 0 ? PQsendQuery(c, sql)
			   : PQsendQueryParams(c, sql, nparams, NULL, params, NULL, NULL, 0);
	if (!sent) {
		set_err(err, errlen, "could not send the query", PQerrorMessage(c));
		return NULL;
	}
	for (;;) {
		if (!wait_result(c, ctx, deadline, err, errlen)) {
			PQclear(keep);
			return NULL;
		}
		r = PQgetResult(c);
		if (!r)
			break;
		/* Keep the first error, else the last result. */
		if (keep && PQresultStatus(keep) == PGRES_FATAL_ERROR) {
			PQclear(r);
			continue;
		}
		PQclear(keep);
		keep = r;
	}
	if (!keep) {
		set_err(err, errlen, "no result", PQerrorMessage(c));
		return NULL;
	}
	if (PQresultStatus(keep) != PGRES_TUPLES_OK && PQresultStatus(keep) != PGRES_COMMAND_OK) {
		const char *code = PQresultErrorField(keep, PG_DIAG_SQLSTATE);

		/* five characters [0-9A-Z], nothing else is copied */
		if (sqlstate && code && strlen(code) == 5 && strspn(code, "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ") == 5)
			memcpy(sqlstate, code, 6);
		result_err(keep, err, errlen);
		PQclear(keep);
		return NULL;
	}
	return keep;
}

static PGresult *run(PGconn *c, struct ctx *ctx, long long deadline, const char *sql,
		     int nparams, const char *const *params, char *err, size_t errlen)
{
	return run_state(c, ctx, deadline, sql, nparams, params, err, errlen, NULL);
}

/* Opening a read transaction pins search_path (and the output formats) for
 * it again: a function the database runs while osmigrate reads (a
 * row-level security policy) may have moved the session's own. */
#define PIN_SEARCH_PATH "SELECT pg_catalog.set_config('search_path', '', true), " \
	SESSION_FORMATS("true")

/* How long COMMIT/ROLLBACK may take: they run also after a cancel, so the
 * connection can be used again, and must not hold up the operator's Esc. */
#define END_DEADLINE_MS 2000

bool pg_read_begin(PGconn *c, struct ctx *ctx, bool one_snapshot, char *err, size_t errlen)
{
	PGresult *r = run(c, ctx, query_deadline(ctx), one_snapshot
			  ? "START TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY; "
			    PIN_SEARCH_PATH
			  : "START TRANSACTION READ ONLY; " PIN_SEARCH_PATH,
			  -1, NULL, err, errlen);

	if (!r) {
		char scratch[256];

		pg_read_end(c, scratch, sizeof scratch);
		return false;
	}
	PQclear(r);
	return true;
}

bool pg_read_end(PGconn *c, char *err, size_t errlen)
{
	PGTransactionStatusType ts = PQtransactionStatus(c);
	PGresult *r;

	if (ts == PQTRANS_IDLE)
		return true;
	if (ts != PQTRANS_INTRANS && ts != PQTRANS_INERROR) {
		set_err(err, errlen, "the connection is busy or lost", NULL);
		return false;
	}
	r = run(c, NULL, mono_ms() + END_DEADLINE_MS, ts == PQTRANS_INTRANS ? "COMMIT" : "ROLLBACK",
		-1, NULL, err, errlen);
	PQclear(r);
	return r != NULL;
}

PGresult *pg_query(PGconn *c, struct ctx *ctx, const char *sql, int nparams,
		   const char *const *params, char *err, size_t errlen)
{
	return pg_query_state(c, ctx, sql, nparams, params, err, errlen, NULL);
}

PGresult *pg_query_state(PGconn *c, struct ctx *ctx, const char *sql, int nparams,
			 const char *const *params, char *err, size_t errlen, char *sqlstate)
{
	/* Outside a transaction the caller opened, the statement gets its own. */
	bool own = PQtransactionStatus(c) == PQTRANS_IDLE;
	char scratch[256];
	PGresult *r;

	if (sqlstate)
		sqlstate[0] = '\0';
	if (own && !pg_read_begin(c, ctx, false, err, errlen))
		return NULL;
	r = run_state(c, ctx, query_deadline(ctx), sql, nparams < 0 ? 0 : nparams, params, err,
		      errlen, sqlstate);
	if (own && !pg_read_end(c, r ? err : scratch, r ? errlen : sizeof scratch) && r) {
		PQclear(r);
		return NULL;
	}
	return r;
}

/* The streaming itself, inside a transaction pg_stream made sure of. */
static bool stream(PGconn *c, struct ctx *ctx, const char *sql, int nparams,
		   const char *const *params,
		   bool (*row)(void *ud, const PGresult *res, int rownum), void *ud,
		   char *err, size_t errlen)
{
	bool ok = false, stopped = false, done = false;
	int n = 0;
	PGresult *r;

	if (ctx_cancelled(ctx)) {
		set_err(err, errlen, "cancelled", NULL);
		return false;
	}
	if (!PQsendQueryParams(c, sql, nparams, NULL, params, NULL, NULL, 0)) {
		set_err(err, errlen, "could not send the query", PQerrorMessage(c));
		return false;
	}
	if (!PQsetSingleRowMode(c)) {
		cancel_and_drain(c);
		set_err(err, errlen, "could not switch to single-row mode", NULL);
		return false;
	}
	for (;;) {
		/* A long scan may legitimately run longer than one statement slice:
		 * the deadline restarts with every row, the server's
		 * statement_timeout bounds the whole statement. */
		if (!wait_result(c, ctx, query_deadline(ctx), err, errlen))
			return false;
		r = PQgetResult(c);
		if (!r)
			break;
		switch (PQresultStatus(r)) {
		case PGRES_SINGLE_TUPLE:
			if (!stopped && !done) {
				if (ctx_cancelled(ctx)) {
					set_err(err, errlen, "cancelled", NULL);
					stopped = true;
				} else if (!row(ud, r, n++)) {
					set_err(err, errlen, "stopped", NULL);
					stopped = true;
				}
				if (stopped) {
					PQclear(r);
					cancel_and_drain(c);
					return false;
				}
			}
			break;
		case PGRES_TUPLES_OK:
			done = true;
			ok = true;
			break;
		default:
			if (!done)
				result_err(r, err, errlen);
			done = true;
			ok = false;
			break;
		}
		PQclear(r);
	}
	if (!done)
		set_err(err, errlen, "the query returned no result", NULL);
	return ok && done;
}

bool pg_stream(PGconn *c, struct ctx *ctx, const char *sql, int nparams,
	       const char *const *params,
	       bool (*row)(void *ud, const PGresult *res, int rownum), void *ud,
	       char *err, size_t errlen)
{
	bool own = PQtransactionStatus(c) == PQTRANS_IDLE;
	char scratch[256];
	bool ok;

	if (own && !pg_read_begin(c, ctx, false, err, errlen))
		return false;
	ok = stream(c, ctx, sql, nparams, params, row, ud, err, errlen);
	if (own && !pg_read_end(c, ok ? err : scratch, ok ? errlen : sizeof scratch))
		ok = false;
	return ok;
}

char *pg_text_array(const char *const *v, size_t n)
{
	struct strbuf sb = STRBUF_INIT;

	sb_addc(&sb, '{');
	for (size_t i = 0; i < n; i++) {
		if (i)
			sb_addc(&sb, ',');
		sb_addc(&sb, '"');
		for (const char *p = v[i]; *p; p++) {
			if (*p == '"' || *p == '\\')
				sb_addc(&sb, '\\');
			sb_addc(&sb, *p);
		}
		sb_addc(&sb, '"');
	}
	sb_addc(&sb, '}');
	return sb_detach(&sb);
}

char *pg_quote_ident(PGconn *c, const char *ident)
{
	char *q = PQescapeIdentifier(c, ident, strlen(ident));
	char *out;

	if (!q)
		return NULL;
	/* Hand back our allocator's memory so callers can free() it like the rest. */
	out = xstrdup(q);
	PQfreemem(q);
	return out;
}

const char *pg_fail_name(enum pg_fail cls)
{
	switch (cls) {
	case PG_OK: return "ok";
	case PG_FAIL_RESOLVE: return "name not resolved";
	case PG_FAIL_REFUSED: return "connection refused";
	case PG_FAIL_TIMEOUT: return "timed out";
	case PG_FAIL_TLS_REQUIRED: return "TLS required";
	case PG_FAIL_TLS: return "TLS failed";
	case PG_FAIL_CERT: return "certificate not trusted";
	case PG_FAIL_AUTH: return "authentication failed";
	case PG_FAIL_NEED_PASSWORD: return "password needed";
	case PG_FAIL_NO_DATABASE: return "database does not exist";
	case PG_FAIL_TOO_MANY: return "too many connections";
	case PG_FAIL_VERSION: return "unsupported server version";
	case PG_FAIL_CANCELLED: return "cancelled";
	case PG_FAIL_OTHER: return "connection failed";
	}
	return "connection failed";
}
