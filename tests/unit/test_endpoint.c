/* test_endpoint.c - address parsing, TCP probes against sockets this test
 * opens on loopback, and the endpoint_old/endpoint_new checks. */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <criterion/criterion.h>

#include "doc.h"
#include "endpoint.h"
#include "endpointcheck.h"
#include "util.h"

/* ---- parsing ---- */

static void parses(const char *text, const char *host, const char *port)
{
	struct endpoint ep;
	char msg[256] = "";

	cr_assert(endpoint_parse(text, &ep, msg, sizeof msg), "'%s' rejected: %s", text, msg);
	cr_expect_str_eq(ep.host, host, "host of '%s'", text);
	cr_expect_str_eq(ep.port, port, "port of '%s'", text);
}

static void rejects(const char *text, const char *hint)
{
	struct endpoint ep;
	char msg[256] = "";

	cr_assert_not(endpoint_parse(text, &ep, msg, sizeof msg), "'%s' accepted", text ? text : "(null)");
	cr_expect(strstr(msg, hint) != NULL, "message for '%s' lacks '%s': %s",
		  text ? text : "(null)", hint, msg);
}

Test(endpoint_parse, forms)
{
	parses("db1.example.com:1433", "db1.example.com", "1433");
	parses("  10.0.0.5:1521 ", "10.0.0.5", "1521");
	parses("[2001:db8::5]:1433", "2001:db8::5", "1433");
	parses("[::1]:5432", "::1", "5432");
	parses("sqlprod,1433", "sqlprod", "1433");
	parses("h:65535", "h", "65535");
}

Test(endpoint_parse, errors_say_what_to_write)
{
	rejects(NULL, "host:port");
	rejects("", "host:port");
	rejects("db1.example.com", "no port");
	rejects("2001:db8::5", "[2001:db8::5]:1433");
	rejects("[2001:db8::5", "closing");
	rejects("[::1]", "no port");
	rejects("sqlprod\\INST1", "instance");
	rejects("db:0", "1-65535");
	rejects("db:65536", "1-65535");
	rejects("db:14x3", "1-65535");
	rejects("db:", "1-65535");
	rejects(":1433", "host name");
	rejects("my db:1433", "host name");
	rejects("db:1433,1", "both");
}

Test(endpoint_parse, format_round_trip)
{
	const char *in[] = { "db:1433", "[2001:db8::5]:1433", "10.1.2.3:1521" };

	for (size_t i = 0; i < OSM_ARRAY_LEN(in); i++) {
		struct endpoint ep, ep2;
		char msg[256], buf[300];

		cr_assert(endpoint_parse(in[i], &ep, msg, sizeof msg));
		endpoint_format(&ep, buf, sizeof buf);
		cr_expect_str_eq(buf, in[i]);
		cr_assert(endpoint_parse(buf, &ep2, msg, sizeof msg));
		cr_expect_str_eq(ep2.host, ep.host);
	}
}

/* ---- sockets the tests own ---- */

/* A TCP socket bound to a random loopback port; listening if backlog >= 0. */
static int bound_socket(int family, int backlog, char port[6])
{
	struct sockaddr_storage ss;
	socklen_t sl;
	int fd = socket(family, SOCK_STREAM | SOCK_CLOEXEC, 0);

	cr_assert(fd >= 0, "socket: %s", strerror(errno));
	memset(&ss, 0, sizeof ss);
	if (family == AF_INET) {
		struct sockaddr_in *s4 = (struct sockaddr_in *)&ss;
		s4->sin_family = AF_INET;
		s4->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
		sl = sizeof *s4;
	} else {
		struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&ss;
		s6->sin6_family = AF_INET6;
		s6->sin6_addr = in6addr_loopback;
		sl = sizeof *s6;
	}
	if (bind(fd, (struct sockaddr *)&ss, sl) < 0) {
		close(fd);
		return -1;
	}
	if (backlog >= 0)
		cr_assert(listen(fd, backlog) == 0, "listen: %s", strerror(errno));
	sl = sizeof ss;
	cr_assert(getsockname(fd, (struct sockaddr *)&ss, &sl) == 0);
	snprintf(port, 6, "%u", ntohs(family == AF_INET ? ((struct sockaddr_in *)&ss)->sin_port
				      : ((struct sockaddr_in6 *)&ss)->sin6_port));
	return fd;
}

static void probe(const char *host, const char *port, struct ctx *ctx, struct ep_probe *p)
{
	struct endpoint ep;

	snprintf(ep.host, sizeof ep.host, "%s", host);
	snprintf(ep.port, sizeof ep.port, "%s", port);
	endpoint_probe(&ep, ctx, p);
}

Test(endpoint_probe, listener_reachable)
{
	char port[6], want[64];
	struct ep_probe p;
	struct ctx ctx = { .timeout_s = 5 };
	int fd = bound_socket(AF_INET, 16, port);

	probe("127.0.0.1", port, &ctx, &p);
	cr_expect_eq(p.outcome, EP_REACHABLE, "outcome %d (%s)", p.outcome, p.message);
	cr_assert_eq(p.n, 1);
	snprintf(want, sizeof want, "127.0.0.1:%s", port);
	cr_expect_str_eq(p.addrs[0].text, want);
	cr_expect_eq(p.addrs[0].status, EP_CONN_OK);
	ep_probe_free(&p);
	close(fd);
}

Test(endpoint_probe, ipv6_listener_reachable)
{
	char port[6];
	struct ep_probe p;
	struct ctx ctx = { .timeout_s = 5 };
	int fd = bound_socket(AF_INET6, 16, port);

	if (fd < 0)
		cr_skip_test("no IPv6 loopback here");
	probe("::1", port, &ctx, &p);
	cr_expect_eq(p.outcome, EP_REACHABLE, "outcome %d (%s)", p.outcome, p.message);
	cr_assert_eq(p.n, 1);
	cr_expect(str_startswith(p.addrs[0].text, "[::1]:"), "text %s", p.addrs[0].text);
	ep_probe_free(&p);
	close(fd);
}

Test(endpoint_probe, refused_port)
{
	char port[6];
	struct ep_probe p;
	struct ctx ctx = { .timeout_s = 5 };
	/* Bound but not listening: the port stays ours and answers with RST. */
	int fd = bound_socket(AF_INET, -1, port);

	probe("127.0.0.1", port, &ctx, &p);
	cr_expect_eq(p.outcome, EP_UNREACHABLE, "outcome %d", p.outcome);
	cr_assert_eq(p.n, 1);
	cr_expect_eq(p.addrs[0].status, EP_CONN_REFUSED, "status %d", p.addrs[0].status);
	ep_probe_free(&p);
	close(fd);
}

Test(endpoint_probe, unresolvable_name)
{
	struct ep_probe p;
	struct ctx ctx = { .timeout_s = 5 };

	/* .invalid is reserved (RFC 2606): it never resolves. */
	probe("osmigrate-test.invalid", "1433", &ctx, &p);
	cr_expect(p.outcome == EP_RESOLVE_FAILED || p.outcome == EP_RESOLVE_TIMEOUT,
		  "outcome %d", p.outcome);
	cr_expect_eq(p.n, 0);
	cr_expect(p.message[0] != '\0');
	ep_probe_free(&p);
}

/* A listener whose accept queue is full: Linux drops further SYNs, so a
 * connect gets no answer at all, like a firewall that drops packets. */
static int full_listener(char port[6], int *clients, size_t nclients)
{
	int fd = bound_socket(AF_INET, 0, port);
	struct sockaddr_in sa;

	memset(&sa, 0, sizeof sa);
	sa.sin_family = AF_INET;
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	sa.sin_port = htons((unsigned short)atoi(port));
	for (size_t i = 0; i < nclients; i++) {
		clients[i] = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
		connect(clients[i], (struct sockaddr *)&sa, sizeof sa);
	}
	usleep(100 * 1000);
	return fd;
}

Test(endpoint_probe, no_answer_times_out)
{
	char port[6];
	int clients[3];
	struct ep_probe p;
	struct ctx ctx = { .timeout_s = 1 };
	int fd = full_listener(port, clients, 3);

	probe("127.0.0.1", port, &ctx, &p);
	cr_expect_eq(p.outcome, EP_UNREACHABLE, "outcome %d", p.outcome);
	cr_assert_eq(p.n, 1);
	cr_expect_eq(p.addrs[0].status, EP_CONN_TIMEOUT, "status %d", p.addrs[0].status);
	cr_expect_geq(p.addrs[0].ms, 900);
	ep_probe_free(&p);
	for (size_t i = 0; i < 3; i++)
		close(clients[i]);
	close(fd);
}

static void *cancel_later(void *arg)
{
	usleep(300 * 1000);
	atomic_store((atomic_int *)arg, 1);
	return NULL;
}

Test(endpoint_probe, cancel_stops_waiting)
{
	char port[6];
	int clients[3];
	struct ep_probe p;
	atomic_int cancel = 0;
	struct ctx ctx = { .timeout_s = 60, .cancel = &cancel };
	pthread_t t;
	int fd = full_listener(port, clients, 3);
	long long t0 = mono_ms();

	pthread_create(&t, NULL, cancel_later, &cancel);
	probe("127.0.0.1", port, &ctx, &p);
	pthread_join(t, NULL);
	cr_expect_eq(p.outcome, EP_CANCELLED, "outcome %d", p.outcome);
	/* Not a speed assertion: only that it did not wait for the 60 s timeout. */
	cr_expect_lt(mono_ms() - t0, 30000);
	ep_probe_free(&p);
	for (size_t i = 0; i < 3; i++)
		close(clients[i]);
	close(fd);
}

Test(endpoint_probe, already_cancelled)
{
	struct ep_probe p;
	atomic_int cancel = 1;
	struct ctx ctx = { .cancel = &cancel };

	probe("127.0.0.1", "1", &ctx, &p);
	cr_expect_eq(p.outcome, EP_CANCELLED);
	ep_probe_free(&p);
}

/* ---- the checks ---- */

static struct check_result run_check(check_fn fn, const char *key, const char *value,
				     struct check_report *rep)
{
	struct doc *d = doc_new();
	struct ctx ctx = { .timeout_s = 2 };
	struct check_env env = { .settings = d, .ctx = &ctx };

	check_report_init(rep);
	if (value)
		doc_set(d, "endpoint", "platform", key, value);
	fn(&env, rep);
	doc_free(d);
	cr_assert_eq(rep->n, 1);
	return rep->r[0];
}

Test(endpoint_check, reachable_ok_with_addresses)
{
	char port[6], addr[32];
	struct check_report rep;
	int fd = bound_socket(AF_INET, 16, port);

	snprintf(addr, sizeof addr, "127.0.0.1:%s", port);
	struct check_result r = run_check(check_endpoint_new, "new", addr, &rep);
	cr_expect_eq(r.status, CHECK_OK, "%s", r.summary);
	cr_expect_str_eq(r.id, "endpoint_new:platform");
	cr_expect(str_startswith(r.summary, "platform: new address "), "summary %s", r.summary);
	cr_expect(strstr(r.summary, addr) != NULL, "summary %s", r.summary);
	cr_expect(strstr(r.detail, "connected") != NULL, "detail %s", r.detail);
	check_report_free(&rep);
	r = run_check(check_endpoint_old, "old", addr, &rep);
	cr_expect_eq(r.status, CHECK_OK, "%s", r.summary);
	cr_expect_str_eq(r.id, "endpoint_old:platform");
	check_report_free(&rep);
	close(fd);
}

/* Trial finding H5: refused from the admin host is what was observed; it
 * does not prove that applications are down (the servers may still reach
 * it), so the result says where it was seen and what it may mean. */
Test(endpoint_check, old_unreachable_says_what_was_observed)
{
	char port[6], addr[32];
	struct check_report rep;
	int fd = bound_socket(AF_INET, -1, port);

	snprintf(addr, sizeof addr, "127.0.0.1:%s", port);
	struct check_result r = run_check(check_endpoint_old, "old", addr, &rep);
	cr_expect_eq(r.status, CHECK_WARNING);
	cr_expect_null(strstr(r.summary, "APPLICATIONS ARE DOWN"), "summary %s", r.summary);
	cr_expect_null(strstr(r.fix, "APPLICATIONS ARE DOWN"), "fix %s", r.fix);
	cr_expect(strstr(r.summary, "platform: old address"), "summary %s", r.summary);
	cr_expect(strstr(r.summary, "refused from this host"), "summary %s", r.summary);
	cr_expect(strstr(r.fix, "Seen from this admin host only"), "fix %s", r.fix);
	cr_expect(strstr(r.fix, "If they cannot reach it either"), "fix %s", r.fix);
	cr_expect(strstr(r.fix, "nothing listens"), "fix %s", r.fix);
	check_report_free(&rep);
	close(fd);
}

Test(endpoint_check, new_refused_fails)
{
	char port[6], addr[32];
	struct check_report rep;
	int fd = bound_socket(AF_INET, -1, port);

	snprintf(addr, sizeof addr, "127.0.0.1:%s", port);
	struct check_result r = run_check(check_endpoint_new, "new", addr, &rep);
	cr_expect_eq(r.status, CHECK_FAILED);
	cr_expect(strstr(r.summary, "refused"), "summary %s", r.summary);
	cr_expect(strstr(r.summary, "platform: new address"), "summary %s", r.summary);
	cr_expect(strstr(r.fix, "Do not point the servers' Platform tab at this address yet"),
		  "fix %s", r.fix);
	check_report_free(&rep);
	close(fd);
}

Test(endpoint_check, new_unresolvable_fails)
{
	struct check_report rep;
	struct check_result r = run_check(check_endpoint_new, "new", "osmigrate-test.invalid:1433", &rep);

	cr_expect(r.status == CHECK_FAILED || r.status == CHECK_ERROR, "status %d", r.status);
	cr_expect(strstr(r.summary, "osmigrate-test.invalid"), "summary %s", r.summary);
	cr_expect(r.fix && *r.fix);
	check_report_free(&rep);
}

Test(endpoint_check, not_configured_is_error)
{
	struct check_report rep;
	struct check_result r = run_check(check_endpoint_old, "old", NULL, &rep);

	cr_expect_eq(r.status, CHECK_ERROR);
	cr_expect(strstr(r.summary, "not configured"), "summary %s", r.summary);
	cr_expect(strstr(r.fix, "[endpoint \"log\"]"), "fix %s", r.fix);
	check_report_free(&rep);
}

Test(endpoint_check, invalid_is_error_with_fix)
{
	struct check_report rep;
	struct check_result r = run_check(check_endpoint_new, "new", "dbserver", &rep);

	cr_expect_eq(r.status, CHECK_ERROR);
	cr_expect(strstr(r.fix, "[endpoint \"platform\"] new"), "fix %s", r.fix);
	cr_expect(strstr(r.fix, "no port"), "fix %s", r.fix);
	check_report_free(&rep);
}

/* Three databases, each its own pair: one result per database and
 * address, each naming its database; the refused new address of the log
 * database fails, naming it; a database without addresses is not checked. */
Test(endpoint_check, three_databases_each_named)
{
	char up[6], down[6], a_up[32], a_down[32];
	int fu = bound_socket(AF_INET, 16, up), fd = bound_socket(AF_INET, -1, down);
	struct doc *d = doc_new();
	struct ctx ctx = { .timeout_s = 2 };
	struct check_env env = { .settings = d, .ctx = &ctx };
	struct check_report rep;

	snprintf(a_up, sizeof a_up, "127.0.0.1:%s", up);
	snprintf(a_down, sizeof a_down, "127.0.0.1:%s", down);
	doc_set(d, "endpoint", "platform", "new", a_up);
	doc_set(d, "endpoint", "session", "new", a_up);
	doc_set(d, "endpoint", "log", "new", a_down);
	check_report_init(&rep);
	check_endpoint_new(&env, &rep);
	cr_assert_eq(rep.n, 3);
	cr_expect_str_eq(rep.r[0].id, "endpoint_new:platform");
	cr_expect_str_eq(rep.r[1].id, "endpoint_new:session");
	cr_expect_str_eq(rep.r[2].id, "endpoint_new:log");
	cr_expect_eq(rep.r[0].status, CHECK_OK, "%s", rep.r[0].summary);
	cr_expect_eq(rep.r[1].status, CHECK_OK, "%s", rep.r[1].summary);
	cr_expect_eq(rep.r[2].status, CHECK_FAILED, "%s", rep.r[2].summary);
	{
		char *want = xasprintf("log: new address %s refused", a_down);

		cr_expect(str_startswith(rep.r[2].summary, want), "summary %s", rep.r[2].summary);
		free(want);
	}
	cr_expect(strstr(rep.r[2].fix, "Log tab"), "fix %s", rep.r[2].fix);
	check_report_free(&rep);

	/* one database only: the result's own item */
	env.item = "log";
	check_report_init(&rep);
	check_endpoint_new(&env, &rep);
	cr_assert_eq(rep.n, 1);
	cr_expect_str_eq(rep.r[0].id, "endpoint_new:log");
	check_report_free(&rep);

	/* session without addresses: not checked, not an error */
	env.item = NULL;
	doc_unset(d, "endpoint", "session", "new");
	check_report_init(&rep);
	check_endpoint_new(&env, &rep);
	cr_assert_eq(rep.n, 2);
	cr_expect_str_eq(rep.r[1].id, "endpoint_new:log");
	check_report_free(&rep);
	doc_free(d);
	close(fu);
	close(fd);
}
