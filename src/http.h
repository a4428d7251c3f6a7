/* http.h - HTTP(S) over libcurl: module health pings (_ping.html, many in
 * parallel through the multi interface) and the LifeTime Deployment API v2
 * client.
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

/* What a healthy module's _ping.html says (domain.md section 5). */
#define PING_EXPECTED_TEXT "OutSystems Platform Server is running"

enum ping_class {
	PING_OK = 0,          /* 200 with the expected text */
	PING_APP_POOL_DOWN,   /* 503 */
	PING_NOT_FOUND,       /* 404: module or IIS application missing */
	PING_FORBIDDEN,       /* 403: permissions, HTTPS required, IP/DNS restriction */
	PING_REDIRECT,        /* 3xx (not followed), or too many redirects */
	PING_UNEXPECTED,      /* 200 without the expected text (login page, proxy) */
	PING_HTTP_ERROR,      /* any other status */
	PING_TLS_UNTRUSTED,   /* certificate not trusted or not for this host name */
	PING_TLS_ERROR,       /* TLS handshake failed, CA bundle unreadable */
	PING_TIMEOUT,
	PING_DNS,             /* name not resolved */
	PING_REFUSED,         /* connection refused */
	PING_CONNECT_ERROR,   /* any other network failure */
	PING_BAD_URL,         /* not an http(s) URL */
	PING_CANCELLED,
};
/* "ok", "app pool down", "not found", "forbidden", "redirect", "unexpected
 * content", "HTTP error", "TLS certificate not trusted", "TLS error",
 * "timeout", "name not resolved", "connection refused", "connection failed",
 * "bad URL", "cancelled". */
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
	char *summary;        /* one line: "200, \"OutSystems Platform Server is running\", 12 ms" */
	char *fix;            /* what to do; NULL when ok */
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

/* ---- LifeTime Deployment API v2 ---- */

struct lt_environment {
	char *key, *name, *os_version, *host_name, *environment_type;
	char *app_server_type, *database_provider;
	long long order, front_ends;
	bool use_https, is_cloud;
};

struct lt_module_status {
	char *module_version_key, *consistency;
};

struct lt_app_status {
	char *environment_key, *consistency, *messages;
	bool is_modified;
	struct lt_module_status *modules;
	size_t n_modules;
};

struct lt_application {
	char *key, *name, *kind, *url_path;
	bool is_system;
	struct lt_app_status *envs;
	size_t n_envs;
};

struct lt_module {
	char *key, *name, *kind;
};

struct lifetime {
	char *url;            /* base, no trailing slash: https://lt/lifetimeapi/rest/v2 */
	char *token;          /* memory only; wiped by lifetime_close */
	char *cafile;         /* [lifetime] cafile, else [http] cafile, else NULL */
	struct http_opts http;
};

enum lt_setup {
	LT_NOT_CONFIGURED,    /* no [lifetime] url: callers fall back to operator input */
	LT_READY,
	LT_BAD_CONFIG,        /* url or token unusable: msg/fix say why */
	LT_NO_TOKEN,          /* no token anywhere: msg/fix say where to give it */
};
/* From settings [lifetime] url, token_file, cafile ([http] cafile, timeout
 * as fallbacks) and the token: ctx->secrets->lifetime_token, else
 * $OSMIGRATE_LIFETIME_TOKEN, else token_file (refused unless a regular file
 * with mode 0600 or stricter).  A token read from the environment or file is
 * kept in ctx->secrets (when there is one) so it is read once. */
enum lt_setup lifetime_open(const struct doc *settings, struct ctx *ctx, struct lifetime *lt,
			    char *msg, size_t msglen, char *fix, size_t fixlen);
void lifetime_close(struct lifetime *lt);

/* GET /environments/, /applications/?IncludeModules=true&IncludeEnvStatus=true,
 * /modules/.  Arrays are allocated (free with the *_free functions); on
 * failure false, *out NULL, err filled (401 names the token, a non-JSON or
 * wrongly shaped answer says so). */
bool lifetime_environments(struct lifetime *lt, struct ctx *ctx, struct lt_environment **out,
			   size_t *n, struct http_error *err);
bool lifetime_applications(struct lifetime *lt, struct ctx *ctx, struct lt_application **out,
			   size_t *n, struct http_error *err);
bool lifetime_modules(struct lifetime *lt, struct ctx *ctx, struct lt_module **out, size_t *n,
		      struct http_error *err);
void lt_environments_free(struct lt_environment *e, size_t n);
void lt_applications_free(struct lt_application *a, size_t n);
void lt_modules_free(struct lt_module *m, size_t n);

/* Parse an answer body (exposed for tests and recorded JSON). */
bool lt_parse_environments(const char *body, size_t len, struct lt_environment **out,
			   size_t *n, char *err, size_t errlen);
bool lt_parse_applications(const char *body, size_t len, struct lt_application **out,
			   size_t *n, char *err, size_t errlen);
bool lt_parse_modules(const char *body, size_t len, struct lt_module **out, size_t *n,
		      char *err, size_t errlen);

#endif
