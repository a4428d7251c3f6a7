/* servicecheck.c - the OutSystems services' ports (see servicecheck.h).
 *
 * OutSystems advises not to expose these ports (network requirements
 * page), so an admin host may well not reach them: only the operator can
 * say it does ([services] reachable).  Until then nothing is probed and
 * the result says so.  A port that refuses while the operator says it is
 * reachable means nothing listens there; a port that does not answer at
 * all is filtered or the host is down: not observed. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "endpoint.h"
#include "http.h"
#include "runbook.h"
#include "schema.h"
#include "servicecheck.h"
#include "state.h"
#include "util.h"

/* domain.md section 5 (docs-product network-requirements.md). */
static const struct service {
	int port;
	const char *name;
	bool controller_only;
} services[] = {
	{ 12001, "Deployment Service", false },
	{ 12002, "Scheduler", false },
	{ 12000, "Deployment Controller service", true },
	{ 5672, "RabbitMQ", true },
};

/* The port to probe for a documented one: itself, unless the test-only
 * override names another. */
static int port_for(int documented)
{
	const char *o = getenv(SERVICE_PORTS_ENV);
	char key[16];
	const char *p;
	int n, v;

	if (!o)
		return documented;
	n = snprintf(key, sizeof key, "%d=", documented);
	for (p = o; (p = strstr(p, key)); p += n)
		if ((p == o || p[-1] == ',') && sscanf(p + n, "%d", &v) == 1 && v > 0 && v < 65536)
			return v;
	return documented;
}

enum seen { SEEN_OPEN, SEEN_CLOSED, SEEN_NOT };

static enum seen probe_port(const char *host, int port, struct ctx *ctx, struct strbuf *how)
{
	struct endpoint ep;
	struct ep_probe p;
	enum seen s = SEEN_NOT;
	size_t refused = 0;

	memset(&ep, 0, sizeof ep);
	snprintf(ep.host, sizeof ep.host, "%s", host);
	snprintf(ep.port, sizeof ep.port, "%d", port);
	endpoint_probe(&ep, ctx, &p);
	for (size_t i = 0; i < p.n; i++)
		refused += p.addrs[i].status == EP_CONN_REFUSED;
	switch (p.outcome) {
	case EP_REACHABLE:
	case EP_PARTIAL:
		s = SEEN_OPEN;
		sb_add(how, "listens");
		break;
	case EP_UNREACHABLE:
		if (p.n && refused == p.n) {
			s = SEEN_CLOSED;
			sb_add(how, "refused: nothing listens");
		} else {
			sb_addf(how, "not observed: %s",
				p.n ? ep_conn_word(p.addrs[0].status) : "no address");
		}
		break;
	case EP_RESOLVE_FAILED:
	case EP_RESOLVE_TIMEOUT:
		sb_addf(how, "not observed: %s does not resolve%s%s", host, p.message[0] ? ": " : "",
			p.message);
		break;
	case EP_CANCELLED:
		sb_add(how, "not observed: cancelled");
		break;
	case EP_SYSERROR:
		sb_addf(how, "not observed: %s", p.message);
		break;
	}
	ep_probe_free(&p);
	return s;
}

static void one_server(const struct check_env *env, struct check_report *rep, const char *id,
		       const char *label_what, enum rb_services expect, bool reachable,
		       const char *name)
{
	const char *url = doc_get(env->settings, "server", name, "url");
	bool dc = str_eq(doc_get(env->settings, "server", name, "role"), "controller");
	char *rid = xasprintf("%s:%s", id, name);
	char *label = xasprintf("%s on %s", expect == SERVICES_STOPPED && !strstr(label_what, "stopped")
				? "OutSystems services stopped (not restarted yet)" : label_what, name);
	char *scheme = NULL, *host = NULL;
	struct strbuf sum = STRBUF_INIT, det = STRBUF_INIT, fix = STRBUF_INIT, wrong = STRBUF_INIT;
	size_t n_wrong = 0, n_not = 0, n_ok = 0;
	enum check_status st;

	if (!reachable) {
		check_add(rep, rid, label, CHECK_ERROR,
			  "could not observe: this host is not set to reach the OutSystems services' "
			  "ports ([services] reachable is not yes)", NULL,
			  expect == SERVICES_RUNNING
			  ? "Confirm on the server that every OutSystems service is running "
			    "(Windows Services), or, if this host may reach ports 12001 and 12002 "
			    "(and 12000, 5672 on the Deployment Controller), set [services] "
			    "reachable = yes and check again."
			  : "Confirm on the server that the OutSystems services are stopped "
			    "(Windows Services), or, if this host may reach their ports, set "
			    "[services] reachable = yes and check again.");
		goto out;
	}
	if (str_empty(url) || !http_url_split(url, &scheme, &host) || str_empty(host)) {
		char *f = xasprintf("Set url in [server \"%s\"] (https://<server>/<Module>/_ping.html): "
				    "its host is where the services are looked for.", name);

		check_add(rep, rid, label, CHECK_ERROR,
			  "could not observe: no host (the server's url is not set)", NULL, f);
		free(f);
		goto out;
	}
	/* [v6] in a URL, v6 for the resolver. */
	if (host[0] == '[' && host[strlen(host) - 1] == ']') {
		memmove(host, host + 1, strlen(host));
		host[strlen(host) - 1] = '\0';
	}
	for (size_t i = 0; i < OSM_ARRAY_LEN(services); i++) {
		const struct service *sv = &services[i];
		int port = port_for(sv->port);
		struct strbuf how = STRBUF_INIT;
		enum seen seen;

		if (sv->controller_only && !dc)
			continue;
		seen = probe_port(host, port, env->ctx, &how);
		sb_addf(&det, "%d %s (%s:%d): %s\n", sv->port, sv->name, host, port, sb_str(&how));
		if (seen == SEEN_NOT) {
			n_not++;
		} else if ((seen == SEEN_OPEN) == (expect == SERVICES_RUNNING)) {
			n_ok++;
		} else {
			n_wrong++;
			sb_addf(&wrong, "%s%d %s %s", n_wrong > 1 ? ", " : "", sv->port, sv->name,
				seen == SEEN_OPEN ? "listens" : "does not listen");
		}
		sb_free(&how);
	}
	if (n_wrong) {
		st = CHECK_FAILED;
		if (expect == SERVICES_RUNNING) {
			sb_addf(&sum, "not all running: %s", sb_str(&wrong));
			sb_addf(&fix, "Start the OutSystems services on %s (Windows Services, or the "
				      "Configuration Tool's restart), then check again.", name);
		} else {
			sb_addf(&sum, "still running: %s", sb_str(&wrong));
			sb_addf(&fix, "Stop the OutSystems services on %s (%s) before the backup: a "
				      "backup taken while they run may be inconsistent. Then check "
				      "again.", name, dc ? "the Deployment Controller" : "this front-end");
		}
	} else if (n_not) {
		st = CHECK_ERROR;
		sb_addf(&sum, "could not observe %zu of %zu ports (no answer: filtered, or the host "
			      "is down)", n_not, n_not + n_ok);
		sb_add(&fix, "A port that does not answer at all is filtered on the way or the host "
			     "is down: confirm the services on the server itself (Windows Services), "
			     "or set [services] reachable = no if this host cannot reach them.");
	} else {
		st = CHECK_OK;
		sb_addf(&sum, "%s (%zu port%s)", expect == SERVICES_RUNNING
			? "running: every service listens" : "stopped, as expected: nothing listens",
			n_ok, n_ok == 1 ? "" : "s");
	}
	check_add(rep, rid, label, st, sb_str(&sum), sb_str(&det), st == CHECK_OK ? NULL : sb_str(&fix));
out:
	free(scheme);
	free(host);
	free(rid);
	free(label);
	sb_free(&sum);
	sb_free(&det);
	sb_free(&fix);
	sb_free(&wrong);
}

void check_services(const struct check_env *env, struct check_report *rep)
{
	const char *until = NULL;
	enum rb_services expect = env->runbook && env->step
		? step_services(env->runbook, env->step, &until) : 0;
	const char *id = expect == SERVICES_STOPPED ? "services_stopped" : "services_running";
	const char *what = expect == SERVICES_STOPPED ? "OutSystems services stopped"
						      : "OutSystems services running";
	bool reachable = schema_bool(doc_get(env->settings, "services", NULL, "reachable"), false);
	size_t n = 0, considered = 0;
	const char **names = doc_section_names(env->settings, "server", &n);

	if (!expect) {
		check_add(rep, id, what, CHECK_ERROR,
			  "could not check: this step expects nothing of the services", NULL,
			  "Report this as a bug in osmigrate.");
		free(names);
		return;
	}
	for (size_t i = 0; i < n; i++) {
		if (env->item && !str_eq(env->item, names[i]))
			continue;
		considered++;
		/* Not restarted yet: still expected stopped. */
		one_server(env, rep, id, what,
			   until && !state_doc_ticked(env->settings, env->step, names[i], until)
			   ? SERVICES_STOPPED : expect, reachable, names[i]);
	}
	if (!considered)
		check_add(rep, id, what, CHECK_ERROR,
			  "could not check: no [server] in the settings", NULL,
			  "List every application server as [server \"NAME\"] with role and url.");
	free(names);
}
