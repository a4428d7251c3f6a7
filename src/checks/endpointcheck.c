/* endpointcheck.c - the [endpoint] old/new reachability checks.
 *
 * endpoint-change assumes both the old and the new database address are
 * reachable while the servers are reconfigured one by one; when the old one
 * is not, applications are down until the last server runs with the new
 * address, and the operator must know that before starting, not after.
 * restore-database runs endpoint_new in its prepare step: the new database
 * server must accept connections before the servers are pointed at it. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "endpoint.h"
#include "endpointcheck.h"
#include "util.h"

enum which { OLD_ENDPOINT, NEW_ENDPOINT };

static const char *const NOTE =
	"Checked from this admin host; the application servers resolve the name "
	"and route to it on their own, so a firewall between them and the database "
	"is not seen from here.";

static void add_addresses(struct strbuf *sb, const struct ep_probe *p)
{
	for (size_t i = 0; i < p->n; i++) {
		const struct ep_addr *a = &p->addrs[i];

		sb_addf(sb, "%-48s %s", a->text, ep_conn_word(a->status));
		if (a->status == EP_CONN_ERROR || a->status == EP_CONN_UNREACHABLE)
			sb_addf(sb, " (%s)", strerror(a->err));
		sb_addf(sb, ", %lld ms\n", a->ms);
	}
	if (p->n_resolved > p->n)
		sb_addf(sb, "(%zu more addresses not probed)\n", p->n_resolved - p->n);
}

/* "10.0.0.5:1433" or "10.0.0.5:1433, [2001:db8::5]:1433" (first three). */
static void add_address_list(struct strbuf *sb, const struct ep_probe *p, bool only_ok)
{
	size_t shown = 0;

	for (size_t i = 0; i < p->n; i++) {
		if (only_ok != (p->addrs[i].status == EP_CONN_OK))
			continue;
		if (shown == 3) {
			sb_add(sb, ", ...");
			break;
		}
		sb_addf(sb, "%s%s", shown ? ", " : "", p->addrs[i].text);
		shown++;
	}
}

static long long slowest_ms(const struct ep_probe *p)
{
	long long m = 0;

	for (size_t i = 0; i < p->n; i++)
		if (p->addrs[i].ms > m)
			m = p->addrs[i].ms;
	return m;
}

/* Why the connection failed, for the fix text: the first failing address. */
static enum ep_conn first_failure(const struct ep_probe *p)
{
	for (size_t i = 0; i < p->n; i++)
		if (p->addrs[i].status != EP_CONN_OK)
			return p->addrs[i].status;
	return EP_CONN_ERROR;
}

static const char *failure_advice(enum ep_conn c)
{
	switch (c) {
	case EP_CONN_REFUSED:
		return "the host answered but nothing listens on that port: start the "
		       "database service or correct the port";
	case EP_CONN_TIMEOUT:
		return "no answer at all: a firewall drops the connection or the host is down";
	case EP_CONN_UNREACHABLE:
		return "there is no route to that address from here: check the address "
		       "and the network path";
	default:
		return "the connection failed: check the address, the port and the network path";
	}
}

static void endpoint_check(const struct check_env *env, struct check_report *rep,
			   enum which w)
{
	const char *id = w == OLD_ENDPOINT ? "endpoint_old" : "endpoint_new";
	const char *key = w == OLD_ENDPOINT ? "old" : "new";
	const char *what = w == OLD_ENDPOINT ? "old database endpoint" : "new database endpoint";
	const char *text = doc_get(env->settings, "endpoint", NULL, key);
	struct endpoint ep;
	struct ep_probe p;
	char msg[512], addr[EP_HOST_MAX + 16];
	struct strbuf label = STRBUF_INIT, sum = STRBUF_INIT, det = STRBUF_INIT,
		      fix = STRBUF_INIT;
	enum check_status st;

	if (str_empty(text)) {
		sb_addf(&fix, "Set [endpoint] %s to the %s database server's address as "
			"host:port (SQL Server usually 1433, Oracle 1521), as the Configuration "
			"Tool's Platform, Log and Session tabs %s it, then run the check again.",
			key, w == OLD_ENDPOINT ? "current" : "new",
			w == OLD_ENDPOINT ? "show" : "will carry");
		check_add(rep, id, what, CHECK_ERROR, "not configured", NULL, sb_str(&fix));
		sb_free(&fix);
		return;
	}
	if (!endpoint_parse(text, &ep, msg, sizeof msg)) {
		sb_addf(&fix, "Correct [endpoint] %s: %s.", key, msg);
		sb_addf(&sum, "invalid address '%s'", text);
		check_add(rep, id, what, CHECK_ERROR, sb_str(&sum), NULL, sb_str(&fix));
		sb_free(&fix);
		sb_free(&sum);
		return;
	}
	endpoint_format(&ep, addr, sizeof addr);
	sb_addf(&label, "%s %s", what, addr);

	endpoint_probe(&ep, env->ctx, &p);
	add_addresses(&det, &p);
	sb_add(&det, NOTE);

	switch (p.outcome) {
	case EP_REACHABLE:
		st = CHECK_OK;
		sb_addf(&sum, "%s resolves to ", ep.host);
		add_address_list(&sum, &p, true);
		sb_addf(&sum, "; TCP connect ok (%lld ms)", slowest_ms(&p));
		break;
	case EP_PARTIAL:
		st = CHECK_WARNING;
		sb_addf(&sum, "%s: only some addresses accept connections; not reachable: ", ep.host);
		add_address_list(&sum, &p, false);
		sb_addf(&fix, "Servers that pick an unreachable address will fail to connect: "
			"%s. Remove the stale DNS records of %s or make every address reach the "
			"database, then run the check again.",
			failure_advice(first_failure(&p)), ep.host);
		break;
	case EP_UNREACHABLE:
		st = w == OLD_ENDPOINT ? CHECK_WARNING : CHECK_FAILED;
		sb_addf(&sum, "%s does not accept TCP connections (%s): ", addr,
			ep_conn_word(first_failure(&p)));
		add_address_list(&sum, &p, false);
		break;
	case EP_RESOLVE_FAILED:
		st = w == OLD_ENDPOINT ? CHECK_WARNING : CHECK_FAILED;
		sb_addf(&sum, "%s does not resolve: %s", ep.host, p.message);
		break;
	case EP_RESOLVE_TIMEOUT:
		st = CHECK_ERROR;
		sb_addf(&sum, "could not check: %s", p.message);
		sb_addf(&fix, "The DNS servers of this host did not answer for %s: check "
			"/etc/resolv.conf and the resolver, or write the address as an IP, then "
			"run the check again.", ep.host);
		break;
	case EP_CANCELLED:
		st = CHECK_ERROR;
		sb_add(&sum, "cancelled");
		sb_add(&fix, "The check was cancelled: run it again.");
		break;
	case EP_SYSERROR:
	default:
		st = CHECK_ERROR;
		sb_addf(&sum, "could not check: %s", p.message);
		sb_add(&fix, "This host could not run the probe: free resources (threads, "
		       "file descriptors) and run the check again.");
		break;
	}

	if (st != CHECK_OK && st != CHECK_ERROR && p.outcome != EP_PARTIAL) {
		const char *why = p.outcome == EP_RESOLVE_FAILED
			? "the name does not resolve from this host: check its DNS record or "
			  "hosts file entry (the application servers must resolve it too)"
			: failure_advice(first_failure(&p));

		if (w == OLD_ENDPOINT) {
			/* The seed's warning: the procedure assumes the old address still
			 * works; if it does not, applications are down right now. */
			sb_reset(&sum);
			sb_addf(&sum, "OLD ENDPOINT %s NOT REACHABLE: APPLICATIONS ARE DOWN UNTIL "
				"THIS PROCEDURE COMPLETES (%s)", addr,
				p.outcome == EP_RESOLVE_FAILED ? p.message
							       : ep_conn_word(first_failure(&p)));
			sb_addf(&fix, "Applications that use %s cannot reach their database from "
				"now until every server runs with the new address: reconfigure the "
				"servers without pausing. If the old server should still be up: %s.",
				addr, why);
		} else {
			sb_addf(&fix, "Do not point the servers at this address yet: %s; then run "
				"the check again.", why);
		}
	}
	check_add(rep, id, sb_str(&label), st, sb_str(&sum), sb_str(&det),
		  st == CHECK_OK ? NULL : sb_str(&fix));
	ep_probe_free(&p);
	sb_free(&label);
	sb_free(&sum);
	sb_free(&det);
	sb_free(&fix);
}

void check_endpoint_old(const struct check_env *env, struct check_report *rep)
{
	endpoint_check(env, rep, OLD_ENDPOINT);
}

void check_endpoint_new(const struct check_env *env, struct check_report *rep)
{
	endpoint_check(env, rep, NEW_ENDPOINT);
}
