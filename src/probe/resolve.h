/* resolve.h - name resolution bounded by the ctx timeout and cancel flag.
 *
 * getaddrinfo() blocks for as long as the system resolver likes (several
 * seconds per DNS server that does not answer), and has no timeout of its
 * own.  resolve_host() runs it in a helper thread and waits in slices of
 * CTX_POLL_MS, so Esc and the timeout always win.
 * UI-free: never include curses here. */
#ifndef OSM_RESOLVE_H
#define OSM_RESOLVE_H

#include <stdbool.h>
#include <stddef.h>

#include <netdb.h>

#include "ctx.h"

enum resolve_status {
	RESOLVE_OK = 0,
	RESOLVE_FAILED,     /* the resolver answered: no such name, no address... */
	RESOLVE_TIMEOUT,    /* no answer within ctx_timeout_s() */
	RESOLVE_CANCELLED,  /* ctx was cancelled while waiting */
	RESOLVE_SYSERROR,   /* the helper thread could not start */
};

/* Resolve host (and port, numeric, may be NULL) for TCP.  Returns the
 * list (free it with freeaddrinfo) or NULL with *st set and msg filled
 * (the resolver's or the system's words, or what stopped the wait). */
struct addrinfo *resolve_host(const char *host, const char *port, const struct ctx *ctx,
			      enum resolve_status *st, char *msg, size_t msglen);

/* True for a loopback address in text form: 127.0.0.0/8, ::1, ::ffff:127.x.
 * Names are not addresses: "localhost" and "127.0.0.1.example" are false. */
bool ip_is_loopback(const char *ip);

#endif
