/* endpoint.c - probe database server addresses over TCP (endpoint.h). */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "endpoint.h"
#include "resolve.h"
#include "util.h"

const char *ep_conn_word(enum ep_conn c)
{
	switch (c) {
	case EP_CONN_OK: return "connected";
	case EP_CONN_REFUSED: return "refused";
	case EP_CONN_TIMEOUT: return "no answer";
	case EP_CONN_UNREACHABLE: return "unreachable";
	case EP_CONN_ERROR: return "error";
	case EP_CONN_CANCELLED: return "cancelled";
	}
	return "error";
}

/* ---- resolution (resolve.h: bounded by the ctx timeout and Esc) ---- */

/* Returns the resolver's list (caller frees), or NULL with p->outcome set. */
static struct addrinfo *resolve(const struct endpoint *ep, struct ctx *ctx, struct ep_probe *p)
{
	enum resolve_status st;
	struct addrinfo *res = resolve_host(ep->host, ep->port, ctx, &st, p->message,
					    sizeof p->message);

	switch (st) {
	case RESOLVE_OK: p->outcome = EP_REACHABLE; break;
	case RESOLVE_FAILED: p->outcome = EP_RESOLVE_FAILED; break;
	case RESOLVE_TIMEOUT: p->outcome = EP_RESOLVE_TIMEOUT; break;
	case RESOLVE_CANCELLED: p->outcome = EP_CANCELLED; break;
	case RESOLVE_SYSERROR: p->outcome = EP_SYSERROR; break;
	}
	return res;
}

/* ---- connecting ---- */

static enum ep_conn classify_errno(int e)
{
	switch (e) {
	case 0: return EP_CONN_OK;
	case ECONNREFUSED: return EP_CONN_REFUSED;
	case ETIMEDOUT: return EP_CONN_TIMEOUT;
	case ENETUNREACH: case EHOSTUNREACH: case EADDRNOTAVAIL: case ENETDOWN: case EHOSTDOWN:
		return EP_CONN_UNREACHABLE;
	default: return EP_CONN_ERROR;
	}
}

static void addr_text(const struct sockaddr *sa, char *buf, size_t len)
{
	char host[INET6_ADDRSTRLEN] = "?";

	if (sa->sa_family == AF_INET6) {
		const struct sockaddr_in6 *s6 = (const struct sockaddr_in6 *)sa;
		inet_ntop(AF_INET6, &s6->sin6_addr, host, sizeof host);
		snprintf(buf, len, "[%s]:%u", host, ntohs(s6->sin6_port));
	} else if (sa->sa_family == AF_INET) {
		const struct sockaddr_in *s4 = (const struct sockaddr_in *)sa;
		inet_ntop(AF_INET, &s4->sin_addr, host, sizeof host);
		snprintf(buf, len, "%s:%u", host, ntohs(s4->sin_port));
	} else {
		snprintf(buf, len, "(address family %d)", sa->sa_family);
	}
}

static void connect_all(struct addrinfo *res, struct ctx *ctx, struct ep_probe *p)
{
	struct pollfd pfd[EP_MAX_ADDRS];
	size_t idx[EP_MAX_ADDRS];   /* pfd slot -> address index */
	size_t npending = 0, n = 0;
	long long t0 = mono_ms();
	long long deadline = t0 + (long long)ctx_timeout_s(ctx) * 1000;

	for (struct addrinfo *ai = res; ai; ai = ai->ai_next)
		p->n_resolved++;
	n = p->n_resolved < EP_MAX_ADDRS ? p->n_resolved : EP_MAX_ADDRS;
	p->addrs = xcalloc(n ? n : 1, sizeof *p->addrs);
	p->n = n;

	/* All addresses are tried at once, so the whole probe is bounded by one
	 * timeout however many addresses the name has. */
	size_t i = 0;
	for (struct addrinfo *ai = res; ai && i < n; ai = ai->ai_next, i++) {
		struct ep_addr *a = &p->addrs[i];
		int fd;

		a->family = ai->ai_family;
		addr_text(ai->ai_addr, a->text, sizeof a->text);
		fd = socket(ai->ai_family, ai->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC,
			    ai->ai_protocol);
		if (fd < 0) {
			a->err = errno;
			a->status = classify_errno(errno == EAFNOSUPPORT ? ENETUNREACH : errno);
			if (a->status == EP_CONN_OK)
				a->status = EP_CONN_ERROR;
			continue;
		}
		if (connect(fd, ai->ai_addr, ai->ai_addrlen) == 0) {
			a->status = EP_CONN_OK;
			a->ms = mono_ms() - t0;
			close(fd);
			continue;
		}
		if (errno != EINPROGRESS) {
			a->err = errno;
			a->status = classify_errno(errno);
			a->ms = mono_ms() - t0;
			close(fd);
			continue;
		}
		pfd[npending].fd = fd;
		pfd[npending].events = POLLOUT;
		pfd[npending].revents = 0;
		idx[npending++] = i;
	}

	while (npending > 0) {
		long long left = deadline - mono_ms();
		int rc;

		if (ctx_cancelled(ctx) || left <= 0) {
			for (size_t k = 0; k < npending; k++) {
				struct ep_addr *a = &p->addrs[idx[k]];
				a->status = ctx_cancelled(ctx) ? EP_CONN_CANCELLED : EP_CONN_TIMEOUT;
				a->ms = mono_ms() - t0;
				close(pfd[k].fd);
			}
			break;
		}
		rc = poll(pfd, npending, (int)(left < CTX_POLL_MS ? left : CTX_POLL_MS));
		if (rc < 0 && errno != EINTR) {
			int e = errno;
			for (size_t k = 0; k < npending; k++) {
				p->addrs[idx[k]].status = EP_CONN_ERROR;
				p->addrs[idx[k]].err = e;
				close(pfd[k].fd);
			}
			break;
		}
		for (size_t k = 0; rc > 0 && k < npending;) {
			struct ep_addr *a = &p->addrs[idx[k]];
			int soerr = 0;
			socklen_t sl = sizeof soerr;

			if (!pfd[k].revents) {
				k++;
				continue;
			}
			if (getsockopt(pfd[k].fd, SOL_SOCKET, SO_ERROR, &soerr, &sl) < 0)
				soerr = errno;
			a->err = soerr;
			a->status = classify_errno(soerr);
			if (a->status == EP_CONN_OK || a->status == EP_CONN_REFUSED)
				a->err = 0;
			a->ms = mono_ms() - t0;
			close(pfd[k].fd);
			pfd[k] = pfd[npending - 1];
			idx[k] = idx[npending - 1];
			npending--;
		}
	}
}

void endpoint_probe(const struct endpoint *ep, struct ctx *ctx, struct ep_probe *p)
{
	struct addrinfo *res;
	long long t0 = mono_ms();
	size_t good = 0, cancelled = 0;

	memset(p, 0, sizeof *p);
	if (ctx_cancelled(ctx)) {
		p->outcome = EP_CANCELLED;
		snprintf(p->message, sizeof p->message, "cancelled");
		return;
	}
	res = resolve(ep, ctx, p);
	p->resolve_ms = mono_ms() - t0;
	if (!res) {
		if (p->outcome == EP_REACHABLE) { /* resolver said yes but gave nothing */
			p->outcome = EP_RESOLVE_FAILED;
			snprintf(p->message, sizeof p->message, "the name has no addresses");
		}
		return;
	}
	connect_all(res, ctx, p);
	freeaddrinfo(res);
	for (size_t i = 0; i < p->n; i++) {
		if (p->addrs[i].status == EP_CONN_OK)
			good++;
		else if (p->addrs[i].status == EP_CONN_CANCELLED)
			cancelled++;
	}
	if (cancelled)
		p->outcome = EP_CANCELLED;
	else if (p->n == 0)
		p->outcome = EP_RESOLVE_FAILED;
	else if (good == p->n)
		p->outcome = EP_REACHABLE;
	else if (good)
		p->outcome = EP_PARTIAL;
	else
		p->outcome = EP_UNREACHABLE;
}

void ep_probe_free(struct ep_probe *p)
{
	free(p->addrs);
	p->addrs = NULL;
	p->n = 0;
}
