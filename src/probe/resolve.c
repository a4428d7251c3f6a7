/* resolve.c - getaddrinfo() in a helper thread, waited for in slices
 * (see resolve.h).
 *
 * The helper is detached; the caller waits on a condition variable and may
 * give up.  Whoever drops the last reference frees the job, so a resolver
 * that answers after we stopped waiting cleans up after itself. */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include "resolve.h"
#include "util.h"

struct resolve_job {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	int refs;
	bool done;
	char *host, *port;
	int rc;
	int sys_errno;      /* errno of the resolver thread for EAI_SYSTEM */
	struct addrinfo *res;
};

static void job_unref(struct resolve_job *j)
{
	bool last;

	pthread_mutex_lock(&j->mu);
	last = --j->refs == 0;
	pthread_mutex_unlock(&j->mu);
	if (!last)
		return;
	if (j->res)
		freeaddrinfo(j->res);
	pthread_cond_destroy(&j->cv);
	pthread_mutex_destroy(&j->mu);
	free(j->host);
	free(j->port);
	free(j);
}

static void *resolve_thread(void *arg)
{
	struct resolve_job *j = arg;
	struct addrinfo hints;
	struct addrinfo *res = NULL;
	int rc;

	memset(&hints, 0, sizeof hints);
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = j->port ? AI_NUMERICSERV : 0;
	rc = getaddrinfo(j->host, j->port, &hints, &res);
	pthread_mutex_lock(&j->mu);
	j->rc = rc;
	j->sys_errno = errno;
	j->res = rc == 0 ? res : NULL;
	j->done = true;
	pthread_cond_signal(&j->cv);
	pthread_mutex_unlock(&j->mu);
	job_unref(j);
	return NULL;
}

static void ms_to_abstime(long long ms, struct timespec *ts)
{
	clock_gettime(CLOCK_MONOTONIC, ts);
	ts->tv_sec += ms / 1000;
	ts->tv_nsec += (ms % 1000) * 1000000L;
	if (ts->tv_nsec >= 1000000000L) {
		ts->tv_sec++;
		ts->tv_nsec -= 1000000000L;
	}
}

struct addrinfo *resolve_host(const char *host, const char *port, const struct ctx *ctx,
			      enum resolve_status *st, char *msg, size_t msglen)
{
	struct resolve_job *j = xcalloc(1, sizeof *j);
	pthread_condattr_t ca;
	pthread_attr_t ta;
	pthread_t tid;
	sigset_t all, old;
	long long deadline = mono_ms() + (long long)ctx_timeout_s(ctx) * 1000;
	struct addrinfo *res = NULL;
	int err;

	if (msglen)
		msg[0] = '\0';
	pthread_mutex_init(&j->mu, NULL);
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&j->cv, &ca);
	pthread_condattr_destroy(&ca);
	j->host = xstrdup(host);
	j->port = port ? xstrdup(port) : NULL;
	j->refs = 2;

	/* The helper must never take the terminal's signals (SIGINT, SIGWINCH):
	 * it inherits a fully blocked mask. */
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	pthread_attr_init(&ta);
	pthread_attr_setdetachstate(&ta, PTHREAD_CREATE_DETACHED);
	err = pthread_create(&tid, &ta, resolve_thread, j);
	pthread_attr_destroy(&ta);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (err) {
		*st = RESOLVE_SYSERROR;
		snprintf(msg, msglen, "could not start the resolver thread: %s", strerror(err));
		j->refs = 1;
		job_unref(j);
		return NULL;
	}

	pthread_mutex_lock(&j->mu);
	while (!j->done) {
		struct timespec ts;
		long long left = deadline - mono_ms();

		if (ctx_cancelled(ctx) || left <= 0)
			break;
		ms_to_abstime(left < CTX_POLL_MS ? left : CTX_POLL_MS, &ts);
		pthread_cond_timedwait(&j->cv, &j->mu, &ts);
	}
	if (j->done) {
		if (j->rc == 0) {
			res = j->res;
			j->res = NULL;
			*st = RESOLVE_OK;
		} else {
			*st = RESOLVE_FAILED;
			snprintf(msg, msglen, "%s", j->rc == EAI_SYSTEM ? strerror(j->sys_errno)
									: gai_strerror(j->rc));
		}
	} else if (ctx_cancelled(ctx)) {
		*st = RESOLVE_CANCELLED;
		snprintf(msg, msglen, "cancelled while resolving");
	} else {
		*st = RESOLVE_TIMEOUT;
		snprintf(msg, msglen, "the resolver did not answer within %d s", ctx_timeout_s(ctx));
	}
	pthread_mutex_unlock(&j->mu);
	job_unref(j);
	return res;
}

bool ip_is_loopback(const char *ip)
{
	struct in_addr a4;
	struct in6_addr a6;

	if (!ip)
		return false;
	if (inet_pton(AF_INET, ip, &a4) == 1)
		return (ntohl(a4.s_addr) >> 24) == 127;
	if (inet_pton(AF_INET6, ip, &a6) == 1) {
		if (IN6_IS_ADDR_LOOPBACK(&a6))
			return true;
		/* ::ffff:127.x.y.z is IPv4 loopback reached over an IPv6 socket. */
		return IN6_IS_ADDR_V4MAPPED(&a6) && a6.s6_addr[12] == 127;
	}
	return false;
}
