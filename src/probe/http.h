/* http.h - HTTP(S) over libcurl: module health pings (_ping.html, many in
 * parallel through the multi interface) and single GETs, such as the
 * LifeTime client's (lifetime.h).
 *
 * Every request has a whole-request timeout, polls ctx_cancelled() every
 * CTX_POLL_MS, speaks only http/https, and verifies TLS certificates and
 * host names.  Verification is never turned off: a certificate this host
 * does not trust is reported with the CA bundle setting that fixes it.
 * The LifeTime token lives in memory only; it is never written, logged,
 * put in a URL or quoted in a message.  It leaves only over https (a proxy
 * sees a CONNECT tunnel at most), or over plain http to this machine: a
 * host that resolves to loopback only (127.0.0.0/8, ::1; the addresses are
 * pinned for the connection and the connected one checked again), with
 * every proxy bypassed.  A redirect is never followed with it.
 * UI-free: never include curses here. */
#ifndef OSM_HTTP_H
#define OSM_HTTP_H

#include <stdbool.h>
#include <stddef.h>

#include "ctx.h"
#include "doc.h"

enum ping_class {
	PING_OK = 0,          /* 200 with an HTML page: the module's files are served */
	PING_APP_POOL_DOWN,   /* 503 */
	PING_NOT_FOUND,       /* 404: wrong URL, or module or IIS application missing */
	PING_FORBIDDEN,       /* 403: permissions, HTTPS required, IP/DNS restriction */
	PING_REDIRECT,        /* 3xx (not followed), or too many redirects */
	PING_UNEXPECTED,      /* 200 with a page recognisably not the module's: a login
	                       * or SSO form, a proxy's error page, the end of a
	                       * redirect chain to another path, not HTML at all */
	PING_AUTH_REQUIRED,   /* 401: a login is required before the page */
	PING_HTTP_ERROR,      /* any other status */
	PING_TLS_UNTRUSTED,   /* certificate not trusted or not for this host name */
	PING_TLS_ERROR,       /* TLS handshake failed, CA bundle unreadable */
	PING_TIMEOUT,         /* no answer in time */
	PING_SLOW_BODY,       /* answered (status and headers), the body did not complete in time */
	PING_DNS,             /* name not resolved */
	PING_REFUSED,         /* connection refused */
	PING_CONNECT_ERROR,   /* any other network failure */
	PING_BAD_URL,         /* not an http(s) URL */
	PING_CANCELLED,
};
/* "ok", "app pool down", "not found", "forbidden", "redirect", "not the
 * module's page", "login required", "HTTP error", "TLS certificate not
 * trusted", "TLS error", "timeout", "page incomplete", "name not resolved",
 * "connection refused", "connection failed", "bad URL", "cancelled". */
const char *ping_class_word(enum ping_class c);

struct http_opts {
	const char *cafile;          /* PEM CA bundle; NULL: the system store */
	const char *cafile_setting;  /* named in fixes: "[http] cafile" (default) */
	const char *timeout_setting; /* named in fixes: "[http] timeout" (default) */
	long timeout_ms;             /* whole request; <= 0: ctx_timeout_s(ctx) */
	int max_redirects;           /* 0: report a 3xx as PING_REDIRECT; N: follow at most N */
};
#define HTTP_OPTS_INIT { NULL, NULL, NULL, 0, 0 }

struct ping_result {
	char *url;
	enum ping_class cls;
	long status;          /* HTTP status of the last answer, 0 if none */
	char *location;       /* 3xx: where it points; after followed redirects: final URL */
	long redirects;       /* redirects followed */
	long long elapsed_ms;
	char *summary;        /* one line: "200, module files served (1234 bytes), 12 ms" */
	char *fix;            /* what to do; NULL when ok */
	char body_sha256[65]; /* a 200's complete page, SHA-256 in hex; "" when none */
};
void ping_result_free(struct ping_result *r);

/* Parallel transfers are bounded: at most HTTP_MAX_IN_FLIGHT at once, and
 * never more than the descriptor limit (RLIMIT_NOFILE) leaves room for,
 * after what the process has open and HTTP_FD_RESERVE for everything else,
 * counting HTTP_FDS_PER_XFER descriptors a transfer.  The rest are queued. */
#define HTTP_MAX_IN_FLIGHT 32
#define HTTP_FD_RESERVE 32
#define HTTP_FDS_PER_XFER 3
size_t http_parallel_limit(void);

/* Ping n URLs in parallel (bounded, above).  out[i] receives the result
 * for urls[i] (always filled, PING_CANCELLED for those unfinished, or never
 * started, when ctx is cancelled).
 * ctx_progress() is called with the URL as each one finishes. */
void http_ping_many(const char *const *urls, size_t n, const struct http_opts *o,
		    struct ctx *ctx, struct ping_result *out);

/* A failed HTTP request, in the operator's words. */
struct http_error {
	enum ping_class cls;  /* PING_HTTP_ERROR for a non-2xx status */
	long status;
	char msg[512];
	char fix[1024];
};

/* One GET (cancellable), body capped at max_body bytes (an error beyond).
 * bearer may be NULL.  With a bearer, redirects are not followed (whatever
 * o->max_redirects says), and a plain-http URL must point at this machine
 * (see above): otherwise false, PING_BAD_URL, and nothing is sent.  Returns false and fills err on a network error or a
 * non-2xx status (err->status set; the body is kept in *body for callers
 * that want to show an API's error text). */
bool http_get(const char *url, const char *bearer, const struct http_opts *o,
	      struct ctx *ctx, size_t max_body, long *status, char **body, size_t *len,
	      struct http_error *err);

/* ---- for the LifeTime client (lifetime.h) ---- */

/* Why a token is refused over plain http (http_get, lifetime_open). */
#define HTTP_PLAIN_TOKEN_FIX \
	"Use https:// in [lifetime] url (the LifeTime API is served over HTTPS). Plain http " \
	"is accepted only " \
	"towards this machine (a host that resolves to 127.0.0.0/8 or ::1, such as " \
	"127.0.0.1), so that the token never crosses a network or a proxy unencrypted."

/* A URL carrying user:password@ would put a secret into results and the
 * state file; neither a ping page nor the LifeTime API needs one. */
bool http_url_has_userinfo(const char *url);
/* The scheme and host of url as libcurl reads it (both allocated; caller
 * frees).  False, both NULL, when libcurl cannot parse it. */
bool http_url_split(const char *url, char **scheme, char **host);
/* True when host is this machine: a loopback address, or a name whose
 * every address is one (the lookup bounded by the ctx timeout and Esc).
 * False with why filled otherwise. */
bool http_host_is_loopback(const char *host, const struct ctx *ctx, char *why, size_t whylen);

#endif
