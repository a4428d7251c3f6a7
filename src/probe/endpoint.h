/* endpoint.h - is a database server address reachable from this admin host?
 *
 * An endpoint is what the Configuration Tool's database tabs carry
 * (hostport.h reads it).  A probe resolves the
 * name (in a detached helper thread, because getaddrinfo() cannot be
 * interrupted) and then opens a non-blocking TCP connection to every
 * resolved address in parallel, each bounded by the ctx timeout and polling
 * ctx_cancelled() every CTX_POLL_MS.  Nothing is sent over the connections:
 * they are closed as soon as the handshake completes.
 * UI-free: never include curses here. */
#ifndef OSM_ENDPOINT_H
#define OSM_ENDPOINT_H

#include <stdbool.h>
#include <stddef.h>

#include "ctx.h"
#include "hostport.h"

#define EP_MAX_ADDRS 32   /* more resolved addresses than this are not probed */

/* The outcome of one TCP connect attempt. */
enum ep_conn {
	EP_CONN_OK = 0,
	EP_CONN_REFUSED,      /* RST: host up, nothing listening on that port */
	EP_CONN_TIMEOUT,      /* no answer within the timeout (filtered, host down) */
	EP_CONN_UNREACHABLE,  /* no route to the network or host */
	EP_CONN_ERROR,        /* anything else; err says what */
	EP_CONN_CANCELLED,
};
const char *ep_conn_word(enum ep_conn c);  /* "connected", "refused", ... */

struct ep_addr {
	char text[64];        /* "10.0.0.5:1433" or "[2001:db8::5]:1433" */
	int family;           /* AF_INET or AF_INET6 */
	enum ep_conn status;
	int err;              /* errno for EP_CONN_ERROR/UNREACHABLE, else 0 */
	long long ms;         /* time to connect or to fail */
};

enum ep_outcome {
	EP_REACHABLE = 0,     /* every resolved address accepted a connection */
	EP_PARTIAL,           /* some did, some did not */
	EP_UNREACHABLE,       /* none did */
	EP_RESOLVE_FAILED,    /* the name does not resolve (message says why) */
	EP_RESOLVE_TIMEOUT,   /* the resolver did not answer within the timeout */
	EP_CANCELLED,
	EP_SYSERROR,          /* could not even try (message says why) */
};

struct ep_probe {
	enum ep_outcome outcome;
	char message[256];    /* resolver or system error text; "" otherwise */
	long long resolve_ms;
	size_t n_resolved;    /* addresses the resolver returned */
	struct ep_addr *addrs;/* the first min(n_resolved, EP_MAX_ADDRS) of them */
	size_t n;
};

/* Resolve and connect; always fills *p (free it with ep_probe_free). */
void endpoint_probe(const struct endpoint *ep, struct ctx *ctx, struct ep_probe *p);
void ep_probe_free(struct ep_probe *p);

#endif
