/* endpointcheck.c - the [endpoint "DB"] old/new reachability checks.
 *
 * The Configuration Tool has a Platform, a Session and a Log tab, and the
 * three databases may live on different servers: each configured
 * [endpoint "platform"|"session"|"log"] is checked on its own and its
 * result is endpoint_old:DB / endpoint_new:DB, every line naming its
 * database.  endpoint-change assumes both the old and the new address of
 * each are reachable while the servers are reconfigured one by one; when
 * the old one is not reachable from this admin host, the operator must
 * know that before starting - but this host is not an application server,
 * so the result says what was seen from here and what it may mean, never
 * that applications are down.  restore-database runs endpoint_new in its
 * prepare step: the new database server must accept connections before the
 * servers are pointed at it. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "endpoint.h"
#include "endpointcheck.h"
#include "schema.h"
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
			   enum which w, const struct schema_name *db)
{
	const char *key = w == OLD_ENDPOINT ? "old" : "new";
	const char *text = doc_get(env->settings, "endpoint", db->name, key);
	char *id = xasprintf("%s:%s", w == OLD_ENDPOINT ? "endpoint_old" : "endpoint_new",
			     db->name);
	char *what = xasprintf("%s: %s address", db->name, key);
	struct endpoint ep;
	struct ep_probe p;
	char msg[512], addr[EP_HOST_MAX + 16];
	struct strbuf label = STRBUF_INIT, sum = STRBUF_INIT, det = STRBUF_INIT,
		      fix = STRBUF_INIT;
	enum check_status st;

	if (str_empty(text)) {
		sb_addf(&fix, "Set [endpoint \"%s\"] %s to the %s database's %s address as "
			"host:port (SQL Server usually 1433, Oracle 1521), as the Configuration "
			"Tool's %s tab %s it, then run the check again.",
			db->name, key, db->title, w == OLD_ENDPOINT ? "current" : "new", db->title,
			w == OLD_ENDPOINT ? "shows" : "will carry");
		sb_addf(&sum, "%s: %s address not configured", db->name, key);
		check_add(rep, id, what, CHECK_ERROR, sb_str(&sum), NULL, sb_str(&fix));
		goto out;
	}
	if (!endpoint_parse(text, &ep, msg, sizeof msg)) {
		sb_addf(&fix, "Correct [endpoint \"%s\"] %s: %s.", db->name, key, msg);
		sb_addf(&sum, "%s: invalid %s address '%s'", db->name, key, text);
		check_add(rep, id, what, CHECK_ERROR, sb_str(&sum), NULL, sb_str(&fix));
		goto out;
	}
	endpoint_format(&ep, addr, sizeof addr);
	sb_addf(&label, "%s %s", what, addr);
	sb_addf(&sum, "%s: %s address ", db->name, key);

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
		sb_addf(&sum, "%s: only some addresses accept connections from this host; not "
			"reachable: ", ep.host);
		add_address_list(&sum, &p, false);
		sb_addf(&fix, "Servers that pick an unreachable address will fail to connect: "
			"%s. Remove the stale DNS records of %s or make every address reach the "
			"database, then run the check again.",
			failure_advice(first_failure(&p)), ep.host);
		break;
	case EP_UNREACHABLE:
		st = w == OLD_ENDPOINT ? CHECK_WARNING : CHECK_FAILED;
		sb_addf(&sum, "%s %s from this host", addr, ep_conn_word(first_failure(&p)));
		if (p.n != 1 || !str_eq(p.addrs[0].text, addr)) {
			sb_add(&sum, ": ");
			add_address_list(&sum, &p, false);
		}
		break;
	case EP_RESOLVE_FAILED:
		st = w == OLD_ENDPOINT ? CHECK_WARNING : CHECK_FAILED;
		sb_addf(&sum, "%s does not resolve from this host: %s", ep.host, p.message);
		break;
	case EP_RESOLVE_TIMEOUT:
		st = CHECK_ERROR;
		sb_reset(&sum);
		sb_addf(&sum, "%s: %s address %s: could not check: %s", db->name, key, addr,
			p.message);
		sb_addf(&fix, "The DNS servers of this host did not answer for %s: check "
			"/etc/resolv.conf and the resolver, or write the address as an IP, then "
			"run the check again.", ep.host);
		break;
	case EP_CANCELLED:
		st = CHECK_ERROR;
		sb_reset(&sum);
		sb_addf(&sum, "%s: %s address %s: could not check: cancelled", db->name, key, addr);
		sb_add(&fix, "The check was cancelled: run it again.");
		break;
	case EP_SYSERROR:
	default:
		st = CHECK_ERROR;
		sb_reset(&sum);
		sb_addf(&sum, "%s: %s address %s: could not check: %s", db->name, key, addr,
			p.message);
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
			/* The seed's warning (downtime while the old address does
			 * not answer) is about the application servers, and this
			 * is not one of them: say what was seen, from where, and
			 * what it may mean (trial finding H5). */
			sb_addf(&fix, "Seen from this admin host only: the application servers "
				"may still reach %s (a firewall between this host and the database "
				"looks the same from here). Check from an application server, or in "
				"the applications that use the %s database. If they cannot reach it "
				"either, those applications are down from now until every server "
				"runs with the new address: then reconfigure the servers without "
				"pausing. If the old server should answer here too: %s.",
				addr, db->title, why);
		} else {
			sb_addf(&fix, "Do not point the servers' %s tab at this address yet: %s; "
				"then run the check again.", db->title, why);
		}
	}
	check_add(rep, id, sb_str(&label), st, sb_str(&sum), sb_str(&det),
		  st == CHECK_OK ? NULL : sb_str(&fix));
	ep_probe_free(&p);
out:
	free(id);
	free(what);
	sb_free(&label);
	sb_free(&sum);
	sb_free(&det);
	sb_free(&fix);
}

/* Every database whose [endpoint "DB"] gives an address (only the
 * result's own with an item); none at all: not configured. */
static void endpoint_checks(const struct check_env *env, struct check_report *rep, enum which w)
{
	size_t n, done = 0;
	const struct schema_name *dbs = schema_names_of("endpoint", &n);

	for (size_t i = 0; i < n; i++) {
		if (env->item && !str_eq(env->item, dbs[i].name))
			continue;
		if (!env->item && str_empty(doc_get(env->settings, "endpoint", dbs[i].name, "old")) &&
		    str_empty(doc_get(env->settings, "endpoint", dbs[i].name, "new")))
			continue;
		endpoint_check(env, rep, w, &dbs[i]);
		done++;
	}
	if (!done) {
		struct strbuf fix = STRBUF_INIT;

		sb_addf(&fix, "Give the old and the new address (host:port) of each database that "
			"moves, one section each: [endpoint \"platform\"], [endpoint \"session\"], "
			"[endpoint \"log\"] (the Configuration Tool's Platform, Session and Log tabs), "
			"then run the check again.");
		check_add(rep, w == OLD_ENDPOINT ? "endpoint_old" : "endpoint_new",
			  w == OLD_ENDPOINT ? "old database addresses" : "new database addresses",
			  CHECK_ERROR, "not configured: no [endpoint] section for any database",
			  NULL, sb_str(&fix));
		sb_free(&fix);
	}
}

void check_endpoint_old(const struct check_env *env, struct check_report *rep)
{
	endpoint_checks(env, rep, OLD_ENDPOINT);
}

void check_endpoint_new(const struct check_env *env, struct check_report *rep)
{
	endpoint_checks(env, rep, NEW_ENDPOINT);
}
