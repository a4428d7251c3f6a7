/* httpcheck.c - HTTP checks (see httpcheck.h).
 *
 * LifeTime is optional: without [lifetime] url the version check falls back
 * to what the operator typed; the checks that only LifeTime can answer say
 * "could not check" with the way to configure it, never ok. */
#include "config.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "doc.h"
#include "httpcheck.h"
#include "platformver.h"
#include "progress.h"
#include "runbook.h"
#include "state.h"
#include "util.h"
#include "version.h"

#define LT_FIX_CONFIGURE \
	"Set [lifetime] url (https://<lifetime-host>/lifetimeapi/rest/v2) and give a " \
	"service account token in OSMIGRATE_LIFETIME_TOKEN or [lifetime] token_file (mode 0600)."

void http_opts_from_settings(const struct doc *d, struct http_opts *o)
{
	const char *t = doc_get(d, "http", NULL, "timeout");
	const char *ca = doc_get(d, "http", NULL, "cafile");

	memset(o, 0, sizeof *o);
	o->cafile = str_empty(ca) ? NULL : ca;
	o->cafile_setting = "[http] cafile";
	o->timeout_setting = "[http] timeout";
	if (!str_empty(t)) {
		char *end;
		long v = strtol(t, &end, 10);

		if (!*end && v > 0 && v <= 3600)
			o->timeout_ms = v * 1000;
	}
}

enum check_status ping_check_status(enum ping_class c)
{
	switch (c) {
	case PING_OK:
		return CHECK_OK;
	case PING_REDIRECT:
	case PING_UNEXPECTED:
	case PING_AUTH_REQUIRED:
		return CHECK_WARNING;
	case PING_APP_POOL_DOWN:
	case PING_NOT_FOUND:
	case PING_FORBIDDEN:
	case PING_HTTP_ERROR:
	case PING_TIMEOUT:
	case PING_SLOW_BODY:
	case PING_REFUSED:
	case PING_CONNECT_ERROR:
		return CHECK_FAILED;
	case PING_TLS_UNTRUSTED:
	case PING_TLS_ERROR:
	case PING_DNS:
	case PING_BAD_URL:
	case PING_CANCELLED:
		return CHECK_ERROR;
	}
	return CHECK_ERROR;
}

/* ---- pings ---- */

/* Republish observed (runbook.h, struct rb_republish): the page of item
 * now (digest; NULL when no page was served) against the item's "before"
 * ping.  Says what it found in said; *seen is false when there was nothing
 * to compare (no before, a before with other settings or without a page,
 * no page now), else *changed tells. */
static void compare_page(const struct check_env *env, const struct rb_republish *rp,
			 const char *item, const char *digest, struct strbuf *said, bool *seen,
			 bool *changed)
{
	char *bid = xasprintf("%s:%s", rp->before, item);
	struct check_record rec;

	*seen = *changed = false;
	if (!check_result_load(env->settings, bid, &rec))
		sb_addf(said, "no ping to compare with (%s)", rp->taken);
	else if (rec.freshness != CHECK_CURRENT)
		sb_addf(said, "the ping to compare with (%s) was taken with other settings",
			rec.at ? rec.at : "?");
	else if (!rec.body_sha256)
		sb_addf(said, "the ping to compare with (%s) got no page", rec.at ? rec.at : "?");
	else if (!digest)
		sb_add(said, "no page now to compare");
	else {
		*seen = true;
		*changed = !str_eq(rec.body_sha256, digest);
		sb_addf(said, "%s since %s", *changed ? "Changed" : "Unchanged",
			rec.at ? rec.at : "?");
	}
	free(bid);
}

#define REPUBLISH_SOURCE \
	"A module's _ping.html carries a hash of the deployed application, so it changes " \
	"when the module is republished (an OutSystems forum answer, not documentation)."

/* How ping_sections reports each module. */
enum ping_mode {
	PING_REPORT,      /* the ping's verdict, with the comparison when the step has one */
	PING_REPUBLISHED, /* the comparison is the verdict */
	PING_STOPPED,     /* the server is expected down (runbook.h, EXPECT_DOWN) */
	PING_BASELINE,    /* the "before": a module down then is noted (a warning),
			   * it does not fail the step that takes it */
};

/* A server expected down (restore-database, from the stop until its IIS is
 * started again): refused, 503 or no answer is what a stopped server
 * gives; the module's page served means the stop did not happen; any other
 * HTTP answer means something still answers there.  Returns the status and
 * fills sum/fix; ping is the ping's own result. */
static enum check_status stopped_status(const struct check_env *env, const char *name,
					const struct ping_result *ping, struct strbuf *sum,
					struct strbuf *fix)
{
	const char *role = doc_get(env->settings, "server", name, "role");
	bool dc = str_eq(role, "controller");
	const char *who = dc ? "the Deployment Controller" : "this front-end";

	switch (ping->cls) {
	case PING_REFUSED:
	case PING_APP_POOL_DOWN:
	case PING_TIMEOUT:
		sb_addf(sum, "down, as expected (%s)", ping->summary);
		return CHECK_OK;
	case PING_OK:
	case PING_SLOW_BODY:
		sb_addf(sum, "%s %s still answers: the module's page is served (%s)",
			dc ? "Deployment Controller" : "front-end", name, ping->summary);
		sb_addf(fix, "Stop IIS and the OutSystems services on %s (%s) before the backup: "
			     "a backup taken while it still runs may be inconsistent. Then check "
			     "again: it should refuse the connection, answer 503 or not answer.",
			name, who);
		return CHECK_FAILED;
	case PING_NOT_FOUND:
	case PING_FORBIDDEN:
	case PING_AUTH_REQUIRED:
	case PING_REDIRECT:
	case PING_UNEXPECTED:
	case PING_HTTP_ERROR:
		sb_addf(sum, "something still answers HTTP at this address, though not the "
			     "module's page (%s)", ping->summary);
		sb_addf(fix, "IIS may still run on %s (%s), or a proxy or load balancer answers in "
			     "its place: make sure IIS and the OutSystems services are stopped on the "
			     "server itself, then check again.", name, who);
		return CHECK_WARNING;
	case PING_TLS_UNTRUSTED:
	case PING_TLS_ERROR:
	case PING_DNS:
	case PING_CONNECT_ERROR:
	case PING_BAD_URL:
	case PING_CANCELLED:
		break;
	}
	sb_addf(sum, "could not check whether it is down: %s", ping->summary);
	sb_add(fix, ping->fix ? ping->fix : "Check the URL and ping again.");
	return CHECK_ERROR;
}

/* A "before" ping once the republish has begun (its step started) would be
 * no before: the one recorded is kept, with its own time, and the module
 * is not pinged again.  True when kept. */
static bool keep_before(const struct check_env *env, struct check_report *rep, const char *id,
			const char *what, const char *name)
{
	const char *rs = env->runbook ? republish_step(env->runbook, id) : NULL;
	char *rid;
	struct check_record rec;
	struct check_result *r;
	char *sum, *label;

	if (!rs || state_doc_step_status(env->settings, rs) == STEP_PENDING)
		return false;
	rid = xasprintf("%s:%s", id, name);
	if (!check_result_load(env->settings, rid, &rec) || rec.freshness != CHECK_CURRENT ||
	    !rec.body_sha256 || !rec.at) {
		free(rid);
		return false;
	}
	sum = str_startswith(rec.summary ? rec.summary : "", "kept")
	      ? xstrdup(rec.summary)
	      : xasprintf("kept (the republish step has started, a ping now is no before): %s",
			  rec.summary ? rec.summary : "");
	label = xasprintf("%s %s", what, name);
	r = check_add(rep, rid, label, rec.status, sum, rec.detail, rec.fix);
	r->at = xstrdup(rec.at);
	r->body_sha256 = xstrdup(rec.body_sha256);
	r->elapsed_ms = 1;
	free(sum);
	free(label);
	free(rid);
	return true;
}

/* One result per section of `kind`: "ID:NAME", pinged in parallel. */
static void ping_sections(const struct check_env *env, struct check_report *rep,
			  const char *kind, const char *id, const char *what,
			  const char *add_fix, enum ping_mode mode)
{
	size_t n = 0, m = 0, considered = 0;
	const char **names = doc_section_names(env->settings, kind, &n);
	const char **urls = xcalloc(n ? n : 1, sizeof *urls);
	const char **with = xcalloc(n ? n : 1, sizeof *with);
	struct ping_result *res;
	struct http_opts o;
	const struct rb_republish *rp = env->runbook && env->step
		? step_republish(env->runbook, env->step) : NULL;

	http_opts_from_settings(env->settings, &o);
	for (size_t i = 0; i < n; i++) {
		const char *url = doc_get(env->settings, kind, names[i], "url");

		if (env->item && !str_eq(env->item, names[i]))
			continue;
		considered++;
		if (str_empty(url)) {
			char *rid = xasprintf("%s:%s", id, names[i]);
			char *label = xasprintf("%s %s", what, names[i]);
			char *fix = xasprintf("Set url in [%s \"%s\"] to a module's ping page on "
					      "it, e.g. https://<host>/<Module>/_ping.html, then "
					      "check again.", kind, names[i]);

			check_add(rep, rid, label, CHECK_ERROR, "could not check: no url given",
				  NULL, fix);
			free(rid);
			free(label);
			free(fix);
			continue;
		}
		if (mode == PING_BASELINE && keep_before(env, rep, id, what, names[i]))
			continue;
		with[m] = names[i];
		urls[m++] = url;
	}
	if (!considered && mode == PING_BASELINE) {
		/* Nothing to record yet: the comparing steps say so when it
		 * matters ("no ping to compare with"). */
	} else if (!considered) {
		char *label = xasprintf("%s _ping.html", what);
		char *sum = env->item ? xasprintf("could not check: no [%s \"%s\"] in the settings",
						  kind, env->item)
				      : xasprintf("could not check: no [%s] in the settings", kind);

		check_add(rep, id, label, CHECK_ERROR, sum, NULL, add_fix);
		free(label);
		free(sum);
	}
	res = xcalloc(m ? m : 1, sizeof *res);
	http_ping_many(urls, m, &o, env->ctx, res);
	for (size_t k = 0; k < m; k++) {
		char *rid = xasprintf("%s:%s", id, with[k]);
		char *label = xasprintf("%s %s", what, with[k]);
		const char *digest = res[k].body_sha256[0] ? res[k].body_sha256 : NULL;
		char *detail = xasprintf("URL: %s\nClass: %s%s%s%s%s", res[k].url,
					 ping_class_word(res[k].cls),
					 res[k].location ? "\nLocation: " : "",
					 res[k].location ? res[k].location : "",
					 digest ? "\nPage SHA-256: " : "", digest ? digest : "");
		enum check_status st = ping_check_status(res[k].cls);
		struct strbuf sum = STRBUF_INIT, fix = STRBUF_INIT, said = STRBUF_INIT;
		bool seen = false, changed = false;
		enum ping_mode mode_k = mode;
		struct check_result *r;

		const char *until = mode == PING_REPORT && env->runbook && env->step
			? step_down_until(env->runbook, env->step) : NULL;

		/* Not started again yet: still expected down. */
		if (until && !state_doc_ticked(env->settings, env->step, with[k], until))
			mode_k = PING_STOPPED;
		if (rp)
			compare_page(env, rp, with[k], st == CHECK_OK ? digest : NULL, &said, &seen,
				     &changed);
		if (mode_k == PING_STOPPED && mode != PING_STOPPED)
			sb_add(&sum, "not started again yet, so expected down: ");
		if (mode == PING_BASELINE && st == CHECK_FAILED) {
			st = CHECK_WARNING;
			sb_addf(&sum, "not healthy already before the rebind: %s", res[k].summary);
			sb_addf(&fix, "%s%sThis is before the migration: note it, so that what the "
				      "consumers step finds later is not put down to the rebind.",
				res[k].fix ? res[k].fix : "", res[k].fix ? " " : "");
		} else if (mode_k == PING_STOPPED) {
			st = stopped_status(env, with[k], &res[k], &sum, &fix);
		} else if (mode == PING_REPUBLISHED) {
			if (st != CHECK_OK) {
				st = CHECK_ERROR;
				sb_addf(&sum, "could not check: the module's page was not served now (%s)",
					res[k].summary);
				sb_add(&fix, res[k].fix ? res[k].fix : "Check the URL and ping again.");
			} else if (!rp || !seen) {
				st = CHECK_ERROR;
				sb_addf(&sum, "could not check: %s", rp ? sb_str(&said)
					: "this step compares nothing");
				sb_addf(&fix, "The page is compared with an earlier ping of this "
					      "module (%s). Without it a republish cannot be seen "
					      "here: check in Service Center that the publication "
					      "finished. " REPUBLISH_SOURCE,
					rp ? rp->taken : "none in this step");
			} else if (changed) {
				sb_addf(&sum, "%s: republished", sb_str(&said));
			} else {
				st = CHECK_WARNING;
				sb_addf(&sum, "%s: was it republished?", sb_str(&said));
			}
		} else if (mode == PING_BASELINE) {
			sb_add(&sum, res[k].summary);
			if (res[k].fix)
				sb_add(&fix, res[k].fix);
		} else {
			sb_add(&sum, res[k].summary);
			if (res[k].fix)
				sb_add(&fix, res[k].fix);
			if (rp && st == CHECK_OK) {
				if (seen && changed)
					sb_addf(&sum, "; %s: republished", sb_str(&said));
				else if (seen && rp->expect == DIGEST_CHANGED) {
					st = CHECK_WARNING;
					sb_addf(&sum, "; %s: was it republished?", sb_str(&said));
				} else if (seen)
					sb_addf(&sum, "; %s", sb_str(&said));
				else if (rp->expect == DIGEST_CHANGED)
					sb_addf(&sum, "; republish not observed: %s", sb_str(&said));
			}
		}
		if (st == CHECK_WARNING && seen && !changed)
			sb_addf(&fix, "%sThe page is the same as at the earlier ping. " REPUBLISH_SOURCE
				      " So the module was most likely not republished since: publish "
				      "it (or the solution) in Service Center, then check again.",
				fix.len ? " " : "");
		r = check_add(rep, rid, label, st, sb_str(&sum), detail,
			      st == CHECK_OK ? NULL : sb_str(&fix));
		if (digest)
			r->body_sha256 = xstrdup(digest);
		/* Parallel pings: each keeps its own time, not the batch's. */
		r->elapsed_ms = res[k].elapsed_ms > 0 ? res[k].elapsed_ms : 1;
		sb_free(&sum);
		sb_free(&fix);
		sb_free(&said);
		free(rid);
		free(label);
		free(detail);
		ping_result_free(&res[k]);
	}
	free(res);
	free(urls);
	free(with);
	free(names);
}

#define CONSUMER_FIX \
	"Add each consumer module as [consumer \"NAME\"] with url = " \
	"https://<front-end>/<Module>/_ping.html (in the settings, e, or the answers file)."
#define SERVER_FIX \
	"List every application server as [server \"NAME\"] with role and " \
	"url = https://<server>/<Module>/_ping.html (on the Servers screen or in " \
	"the answers file)."

void check_consumer_ping(const struct check_env *env, struct check_report *rep)
{
	ping_sections(env, rep, "consumer", "consumer_ping", "consumer module", CONSUMER_FIX,
		      PING_REPORT);
}

void check_consumer_ping_before(const struct check_env *env, struct check_report *rep)
{
	ping_sections(env, rep, "consumer", "consumer_ping_before",
		      "consumer module (before the rebind)", CONSUMER_FIX, PING_BASELINE);
}

void check_consumer_republished(const struct check_env *env, struct check_report *rep)
{
	ping_sections(env, rep, "consumer", "consumer_republished", "consumer module republished:",
		      CONSUMER_FIX, PING_REPUBLISHED);
}

void check_server_ping(const struct check_env *env, struct check_report *rep)
{
	ping_sections(env, rep, "server", "server_ping", "application server", SERVER_FIX,
		      PING_REPORT);
}

void check_server_stopped(const struct check_env *env, struct check_report *rep)
{
	ping_sections(env, rep, "server", "server_stopped", "application server expected down:",
		      SERVER_FIX, PING_STOPPED);
}

void check_server_republished(const struct check_env *env, struct check_report *rep)
{
	ping_sections(env, rep, "server", "server_republished", "modules republished on",
		      SERVER_FIX, PING_REPUBLISHED);
}

/* ---- LifeTime ---- */

/* Open LifeTime or add the CHECK_ERROR saying why not; true when ready. */
static bool lt_ready(const struct check_env *env, struct check_report *rep, const char *id,
		     const char *label, struct lifetime *lt, const char *no_lt_fix)
{
	char msg[512], fix[1024];
	enum lt_setup s = lifetime_open(env->settings, env->ctx, lt, msg, sizeof msg, fix,
					 sizeof fix);

	if (s == LT_READY)
		return true;
	if (s == LT_NOT_CONFIGURED) {
		check_add(rep, id, label, CHECK_ERROR,
			  "could not check: [lifetime] is not configured", NULL, no_lt_fix);
	} else {
		char *sum = xasprintf("could not check: %s", msg);

		check_add(rep, id, label, CHECK_ERROR, sum, NULL, fix)->needs =
			s == LT_NO_TOKEN ? SECRET_LIFETIME_TOKEN : SECRET_NONE;
		free(sum);
	}
	return false;
}

static void add_http_error(struct check_report *rep, const char *id, const char *label,
			   const struct http_error *e)
{
	char *sum = xasprintf("could not check: %s", e->msg);

	check_add(rep, id, label, CHECK_ERROR, sum, NULL,
		  e->fix[0] ? e->fix : "Check [lifetime] url and that LifeTime is up.");
	free(sum);
}

static const char *env_name(const struct lt_environment *e, size_t n, const char *key)
{
	for (size_t i = 0; i < n; i++)
		if (str_eq(e[i].key, key))
			return e[i].name;
	return key;
}

/* Version facts from domain.md section 2 that matter for this migration. */
static void add_version_facts(struct strbuf *d, const char *min_seen, const char *max_seen)
{
	int c;

	if (max_seen && version_cmp(max_seen, "11.18.0", &c) && c >= 0)
		sb_add(d, "Note: from 11.18.0 third-party DLLs are no longer loaded from "
			  "plugins\\database, so custom connectors such as ardoPostgreSQL can break "
			  "after such an upgrade: finish this migration before upgrading further.\n");
	if (min_seen && version_cmp(min_seen, "11.18.1", &c) && c < 0)
		sb_add(d, "Note: the supported connector writes uuid and reads time without "
			  "time zone correctly only from 11.18.0, which was withdrawn on "
			  "2022-12-20, so in practice from 11.18.1 (time with time zone from "
			  "11.29.0, views over several schemas from 11.16.1).\n");
	if (max_seen && version_cmp(max_seen, "11.38.0", &c) && c >= 0)
		sb_add(d, "Note: 11.38.0 and later bundle Npgsql 8: timestamptz is read as UTC "
			  "without time zone conversion, PostgreSQL 12 is no longer supported and "
			  "17 is.\n");
}

void check_platform_version(const struct check_env *env, struct check_report *rep)
{
	static const char id[] = "platform_version";
	static const char label[] = "Platform Server version of every environment";
	const char *typed = doc_get(env->settings, "step", "prerequisites", "field.platform_version");
	struct strbuf sum = STRBUF_INIT, det = STRBUF_INIT, fix = STRBUF_INIT;
	char msg[512], lfix[1024];
	struct lifetime lt;
	struct lt_environment *envs = NULL;
	size_t n = 0;
	enum lt_setup s = lifetime_open(env->settings, env->ctx, &lt, msg, sizeof msg, lfix,
					sizeof lfix);
	enum check_status st = CHECK_OK;
	char lt_problem[700] = "";
	int c;

	if (s == LT_READY) {
		struct http_error e;

		if (lifetime_environments(&lt, env->ctx, &envs, &n, &e) && n > 0) {
			const char *minv = NULL, *maxv = NULL;
			size_t old = 0, unknown = 0;

			for (size_t i = 0; i < n; i++) {
				const char *v = envs[i].os_version;

				if (!v || !version_cmp(v, PLATFORM_MIN_VERSION, &c)) {
					unknown++;
					sb_addf(&det, "%s: version not reported (\"%s\")\n",
						envs[i].name, v ? v : "");
					continue;
				}
				sb_addf(&det, "%s: %s%s\n", envs[i].name, v,
					c < 0 ? "  (older than " PLATFORM_MIN_VERSION ")" : "");
				if (c < 0)
					old++;
				if (!minv || (version_cmp(v, minv, &c) && c < 0))
					minv = v;
				if (!maxv || (version_cmp(v, maxv, &c) && c > 0))
					maxv = v;
			}
			add_version_facts(&det, minv, maxv);
			if (old) {
				st = CHECK_FAILED;
				sb_addf(&sum, "%zu of %zu environments run a Platform Server older "
					      "than %s", old, n, PLATFORM_MIN_VERSION);
				sb_addf(&fix, "Upgrade the Platform Server of those environments to "
					      "%s or later before switching connectors: the supported "
					      "PostgreSQL connector does not exist before it.",
					PLATFORM_MIN_VERSION);
			} else if (unknown) {
				st = CHECK_ERROR;
				sb_addf(&sum, "could not check: LifeTime reports no usable version for "
					      "%zu of %zu environments", unknown, n);
				sb_add(&fix, "Look up the Platform Server version of those environments "
					     "in Service Center (Administration > Environment Health) and "
					     "confirm it is 11.15.0 or later.");
			} else {
				sb_addf(&sum, "%zu environments, lowest %s (LifeTime)", n, minv);
			}
			/* A typed version LifeTime contradicts is said, not dropped. */
			{
				char *dis = platform_typed_disagreement(typed, envs, n);

				if (dis) {
					sb_addf(&det, "Note: %s.\n", dis);
					sb_add(&sum, "; the typed version is not LifeTime's");
					if (st == CHECK_OK) {
						st = CHECK_WARNING;
						sb_addf(&fix, "Correct or clear the Platform Server "
							"version typed on the prerequisites screen: %s.",
							dis);
					}
					free(dis);
				}
			}
			goto out;
		}
		if (n == 0 && !e.msg[0])
			snprintf(lt_problem, sizeof lt_problem, "LifeTime lists no environments");
		else
			snprintf(lt_problem, sizeof lt_problem, "%s", e.msg);
		snprintf(lfix, sizeof lfix, "%s", e.fix[0] ? e.fix : LT_FIX_CONFIGURE);
	} else if (s == LT_BAD_CONFIG || s == LT_NO_TOKEN) {
		snprintf(lt_problem, sizeof lt_problem, "%s", msg);
	}

	/* Fallback: the version the operator typed on the Prerequisites screen. */
	if (str_empty(typed)) {
		st = CHECK_ERROR;
		if (lt_problem[0]) {
			sb_addf(&sum, "could not check: %s", lt_problem);
			sb_addf(&fix, "%s Or type the Platform Server version (Service Center > "
				      "Administration > Environment Health) on the Prerequisites screen.",
				lfix);
		} else {
			sb_add(&sum, "could not check: configure [lifetime] or type the Platform "
				     "Server version");
			sb_add(&fix, "Type the Platform Server version of your environments "
				     "(Service Center > Administration > Environment Health) on the "
				     "Prerequisites screen, or " LT_FIX_CONFIGURE);
		}
		goto out;
	}
	if (!version_parse(typed, NULL)) {
		st = CHECK_ERROR;
		sb_addf(&sum, "could not check: \"%s\" is not a version like 11.31.0", typed);
		sb_add(&fix, "Type the version as Service Center shows it, e.g. 11.31.0 or "
			     "11.31.0.45003.");
		goto out;
	}
	version_cmp(typed, PLATFORM_MIN_VERSION, &c);
	sb_addf(&det, "Typed by the operator: %s\n", typed);
	if (lt_problem[0])
		sb_addf(&det, "LifeTime was not used: %s\n", lt_problem);
	add_version_facts(&det, typed, typed);
	if (c < 0) {
		st = CHECK_FAILED;
		sb_addf(&sum, "Platform Server %s is older than %s (typed)", typed,
			PLATFORM_MIN_VERSION);
		sb_addf(&fix, "Upgrade the Platform Server to %s or later before switching "
			      "connectors: the supported PostgreSQL connector does not exist "
			      "before it.", PLATFORM_MIN_VERSION);
	} else if (lt_problem[0]) {
		/* The typed value passes, but LifeTime was configured and failed:
		 * the operator should know the environments were not all read. */
		st = CHECK_WARNING;
		sb_addf(&sum, "Platform Server %s (typed; LifeTime failed: %s)", typed, lt_problem);
		sb_addf(&fix, "%s The typed version was used instead; make sure every "
			      "environment runs %s or later.", lfix, PLATFORM_MIN_VERSION);
	} else {
		sb_addf(&sum, "Platform Server %s (typed by the operator)", typed);
	}
out:
	check_add(rep, id, label, st, sb_str(&sum), det.len ? sb_str(&det) : NULL,
		  st == CHECK_OK ? NULL : sb_str(&fix))->needs =
		s == LT_NO_TOKEN ? SECRET_LIFETIME_TOKEN : SECRET_NONE;
	lt_environments_free(envs, n);
	lifetime_close(&lt);
	sb_free(&sum);
	sb_free(&det);
	sb_free(&fix);
}

void check_lifetime_consistency(const struct check_env *env, struct check_report *rep)
{
	static const char id[] = "lifetime_consistency";
	static const char label[] = "applications consistent in LifeTime";
	struct lifetime lt;
	struct lt_environment *envs = NULL;
	struct lt_application *apps = NULL;
	size_t ne = 0, na = 0, bad = 0, unknown = 0, pairs = 0;
	struct http_error e;
	struct strbuf sum = STRBUF_INIT, det = STRBUF_INIT;

	if (!lt_ready(env, rep, id, label, &lt,
		      "Without LifeTime, check in Service Center > Factory > Solutions that "
		      "the publication finished without errors and no module shows as "
		      "outdated, then mark the step done. To have it checked: "
		      LT_FIX_CONFIGURE))
		return;
	if (!lifetime_environments(&lt, env->ctx, &envs, &ne, &e) ||
	    !lifetime_applications(&lt, env->ctx, &apps, &na, &e)) {
		add_http_error(rep, id, label, &e);
		goto out;
	}
	for (size_t i = 0; i < na; i++)
		for (size_t k = 0; k < apps[i].n_envs; k++) {
			const struct lt_app_status *s = &apps[i].envs[k];
			const char *en = env_name(envs, ne, s->environment_key);

			pairs++;
			if (str_empty(s->consistency)) {
				unknown++;
				sb_addf(&det, "%s in %s: no consistency status reported\n",
					apps[i].name, en);
			} else if (strcasecmp(s->consistency, "OK") != 0) {
				bad++;
				sb_addf(&det, "%s in %s: %s%s%s%s\n", apps[i].name, en,
					s->consistency, apps[i].is_system ? " (system application)" : "",
					str_empty(s->messages) ? "" : " - ",
					str_empty(s->messages) ? "" : s->messages);
			}
		}
	if (bad) {
		sb_addf(&sum, "%zu application%s not consistent", bad, bad == 1 ? " is" : "s are");
		check_add(rep, id, label, CHECK_FAILED, sb_str(&sum), sb_str(&det),
			  "Republish the listed applications (publish the all-components solution "
			  "in Service Center > Factory > Solutions, or the applications in "
			  "LifeTime), fix any errors the publication shows, then check again.");
	} else if (unknown || !pairs) {
		if (!pairs)
			sb_add(&sum, "could not check: LifeTime reported no application status");
		else
			sb_addf(&sum, "could not check: no consistency status for %zu of %zu "
				      "application/environment pairs", unknown, pairs);
		check_add(rep, id, label, CHECK_ERROR, sb_str(&sum), det.len ? sb_str(&det) : NULL,
			  "The LifeTime service account may lack access to some applications: "
			  "give it read access to every application, or check consistency in "
			  "Service Center > Factory > Solutions.");
	} else {
		sb_addf(&sum, "%zu applications in %zu environments, all consistent", na, ne);
		check_add(rep, id, label, CHECK_OK, sb_str(&sum), NULL, NULL);
	}
out:
	lt_environments_free(envs, ne);
	lt_applications_free(apps, na);
	lifetime_close(&lt);
	sb_free(&sum);
	sb_free(&det);
}

void check_lifetime_environments(const struct check_env *env, struct check_report *rep)
{
	static const char id[] = "lifetime_environments";
	static const char label[] = "environments to deploy to (LifeTime)";
	struct lifetime lt;
	struct lt_environment *envs = NULL;
	size_t ne = 0, nw = 0, unknown = 0, missing = 0;
	const char **wanted = doc_section_names(env->settings, "environment", &nw);
	struct http_error e;
	struct strbuf sum = STRBUF_INIT, det = STRBUF_INIT, miss = STRBUF_INIT;

	if (!lt_ready(env, rep, id, label, &lt,
		      "Without LifeTime, list each environment to deploy to as "
		      "[environment \"NAME\"] and tick its deploy checklist. To have them read "
		      "from LifeTime: " LT_FIX_CONFIGURE))
		goto done;
	if (!lifetime_environments(&lt, env->ctx, &envs, &ne, &e)) {
		add_http_error(rep, id, label, &e);
		goto out;
	}
	for (size_t i = 0; i < ne; i++)
		sb_addf(&det, "%s (%s): %s, Platform Server %s, %lld front-end%s\n", envs[i].name,
			envs[i].environment_type ? envs[i].environment_type : "type not reported",
			envs[i].host_name ? envs[i].host_name : "(no host name)",
			envs[i].os_version ? envs[i].os_version : "?",
			envs[i].front_ends < 0 ? 0 : envs[i].front_ends,
			envs[i].front_ends == 1 ? "" : "s");
	for (size_t w = 0; w < nw; w++) {
		const char *host = doc_get(env->settings, "environment", wanted[w], "hostname");
		bool found = false;

		for (size_t i = 0; i < ne && !found; i++)
			found = strcasecmp(wanted[w], envs[i].name) == 0 ||
				(!str_empty(host) && envs[i].host_name &&
				 strcasecmp(host, envs[i].host_name) == 0);
		if (!found) {
			unknown++;
			sb_addf(&det, "[environment \"%s\"]%s%s%s: not known to LifeTime\n",
				wanted[w], str_empty(host) ? "" : " (", str_empty(host) ? "" : host,
				str_empty(host) ? "" : ")");
		}
	}
	for (size_t i = 0; i < ne && nw; i++) {
		bool listed = false;

		for (size_t w = 0; w < nw && !listed; w++) {
			const char *host = doc_get(env->settings, "environment", wanted[w], "hostname");

			listed = strcasecmp(wanted[w], envs[i].name) == 0 ||
				 (!str_empty(host) && envs[i].host_name &&
				  strcasecmp(host, envs[i].host_name) == 0);
		}
		if (!listed) {
			missing++;
			sb_addf(&miss, "%s%s", missing > 1 ? ", " : "", envs[i].name);
		}
	}
	if (missing)
		sb_addf(&det, "In LifeTime but not in your deploy list: %s (the extensions run "
			      "there too unless they were never deployed there)\n", sb_str(&miss));
	if (!ne) {
		check_add(rep, id, label, CHECK_ERROR, "could not check: LifeTime lists no environments",
			  NULL, "Give the LifeTime service account access to the environments, "
				"or list them as [environment \"NAME\"] yourself.");
	} else if (unknown) {
		sb_addf(&sum, "%zu of your %zu environments unknown to LifeTime (it lists %zu)",
			unknown, nw, ne);
		check_add(rep, id, label, CHECK_WARNING, sb_str(&sum), sb_str(&det),
			  "Correct the [environment] names to the names LifeTime shows (or their "
			  "hostname), or remove environments that no longer exist.");
	} else {
		sb_addf(&sum, "%zu environments in LifeTime", ne);
		if (nw)
			sb_addf(&sum, ", all %zu of yours known", nw);
		for (size_t i = 0; i < ne; i++)
			sb_addf(&sum, "%s%s", i ? ", " : ": ", envs[i].name);
		check_add(rep, id, label, CHECK_OK, sb_str(&sum), sb_str(&det), NULL);
	}
out:
	lt_environments_free(envs, ne);
	lifetime_close(&lt);
done:
	free(wanted);
	sb_free(&sum);
	sb_free(&det);
	sb_free(&miss);
}

/* ---- LifeTime database connections and deployment mappings ---- */

#define LT_DBCONN_MANUAL \
	"LifeTime before 11.13.0 has no database connections API: open Service Center > " \
	"Administration > Database Connections in each environment. ardoPostgreSQL's " \
	"connections show PostgreSQL as the Provider Name; the supported one was created with " \
	"DBMS PostgreSQL / Aurora PostgreSQL. Create it, under the same name, in each target " \
	"environment before deploying."
#define LT_MAPPING_MANUAL \
	"LifeTime before 11.21.1 cannot list missing mappings: during the deployment LifeTime " \
	"asks to map each extension's logical database to a database connection of the target " \
	"environment: choose the supported connection. Afterwards, in the target's Service " \
	"Center, open each extension (Factory > Extensions) and confirm its logical database " \
	"uses the supported connection."

/* The LifeTime environment of a deploy target: by name, or by hostname. */
static const struct lt_environment *lt_env_of(const struct doc *d, const char *item,
					      const struct lt_environment *e, size_t n)
{
	const char *host = doc_get(d, "environment", item, "hostname");

	for (size_t i = 0; i < n; i++)
		if (strcasecmp(item, e[i].name) == 0 ||
		    (!str_empty(host) && e[i].host_name && strcasecmp(host, e[i].host_name) == 0))
			return &e[i];
	return NULL;
}

/* Is name one of the words of a [lifetime] list? */
static bool in_list(const char *list, const char *name)
{
	char *copy = xstrdup(list ? list : "");
	bool found = false;

	for (char *t = strtok(copy, " ,\t"); t && !found; t = strtok(NULL, " ,\t"))
		found = str_eq(t, name);
	free(copy);
	return found;
}

void check_lifetime_dbconnections(const struct check_env *env, struct check_report *rep)
{
	static const char id[] = "lifetime_dbconnections";
	static const char label[] = "database connections of every environment (LifeTime)";
	const char *supported = doc_get(env->settings, "dbconnection", NULL, "supported");
	const char *ardo = doc_get(env->settings, "dbconnection", NULL, "ardo");
	struct lifetime lt;
	struct lt_environment *envs = NULL;
	size_t ne = 0, listed = 0, old = 0, failed = 0, ardo_seen = 0, supp_in = 0;
	struct http_error e;
	struct strbuf sum = STRBUF_INIT, det = STRBUF_INIT, fails = STRBUF_INIT;
	struct strbuf seen = STRBUF_INIT;  /* " name " of each marked one found */

	/* Optional as [source] is: without [lifetime] url there is nothing to
	 * list and no result claims otherwise (the step's actions say where
	 * Service Center shows the connections). */
	if (str_empty(doc_get(env->settings, "lifetime", NULL, "url")))
		goto done;
	if (!lt_ready(env, rep, id, label, &lt, LT_FIX_CONFIGURE))
		goto done;
	if (!lifetime_environments(&lt, env->ctx, &envs, &ne, &e)) {
		add_http_error(rep, id, label, &e);
		goto out;
	}
	for (size_t i = 0; i < ne; i++) {
		struct lt_dbconnection *c = NULL;
		size_t nc = 0;

		if (!lifetime_dbconnections(&lt, env->ctx, envs[i].key, &c, &nc, &e)) {
			if (lt_unsupported(&e)) {
				old++;
				sb_addf(&det, "%s: no database connections API (LifeTime older than "
					      "11.13.0?)\n", envs[i].name);
			} else {
				failed++;
				sb_addf(&det, "%s: could not list: %s\n", envs[i].name, e.msg);
				if (!fails.len)
					sb_add(&fails, e.fix);
			}
			continue;
		}
		sb_addf(&det, "%s: %zu database connection%s\n", envs[i].name, nc, nc == 1 ? "" : "s");
		for (size_t k = 0; k < nc; k++) {
			bool is_ardo = in_list(ardo, c[k].name);
			bool is_supp = !str_empty(supported) && str_eq(c[k].name, supported);

			if (is_ardo) {
				char *w = xasprintf(" %s ", c[k].name);

				if (!seen.len)
					sb_add(&seen, " ");
				if (!strstr(sb_str(&seen), w)) {
					ardo_seen++;
					sb_add(&seen, w + 1);
				}
				free(w);
			}
			supp_in += is_supp;
			sb_addf(&det, "  %s  provider %s, %s%s%s\n", c[k].name,
				str_empty(c[k].provider) ? "(not reported)" : c[k].provider,
				!c[k].advanced_known ? "configuration not reported"
				: c[k].advanced ? "advanced configuration" : "basic configuration",
				is_ardo ? "  [ardoPostgreSQL, as you marked it]" : "",
				is_supp ? "  [the supported connection you named]" : "");
		}
		listed++;
		lt_dbconnections_free(c, nc);
	}
	if (old && !listed && !failed) {
		check_add(rep, id, label, CHECK_ERROR,
			  "could not check: LifeTime older than 11.13.0 (no database connections API)",
			  sb_str(&det), LT_DBCONN_MANUAL);
	} else if (failed || old) {
		sb_addf(&sum, "could not check: the connections of %zu of %zu environments could not "
			      "be listed", failed + old, ne);
		check_add(rep, id, label, CHECK_ERROR, sb_str(&sum), sb_str(&det),
			  failed && fails.len ? sb_str(&fails) : LT_DBCONN_MANUAL);
	} else if (!ne) {
		check_add(rep, id, label, CHECK_ERROR, "could not check: LifeTime lists no environments",
			  NULL, "Give the LifeTime service account access to the environments.");
	} else if (str_empty(supported) || str_empty(ardo)) {
		sb_addf(&sum, "connections of %zu environment%s listed: %s", ne, ne == 1 ? "" : "s",
			str_empty(supported) ? "name the supported connection"
					     : "mark the ardoPostgreSQL ones");
		check_add(rep, id, label, CHECK_WARNING, sb_str(&sum), sb_str(&det),
			  "LifeTime does not say which provider name is ardo's: from the list, set "
			  "[dbconnection] ardo to the ardoPostgreSQL connections and "
			  "[dbconnection] supported to the supported PostgreSQL / Aurora "
			  "PostgreSQL connection you created (settings screen), then check again.");
	} else if (!supp_in) {
		sb_addf(&sum, "the supported connection %s exists in none of the %zu environments",
			supported, ne);
		check_add(rep, id, label, CHECK_FAILED, sb_str(&sum), sb_str(&det),
			  "Create it in the development environment's Service Center (Administration "
			  "> Database Connections > New Database Connection, DBMS PostgreSQL / Aurora "
			  "PostgreSQL), or correct [dbconnection] supported to its exact name.");
	} else if (!ardo_seen) {
		sb_addf(&sum, "none of the connections marked as ardoPostgreSQL (%s) exists", ardo);
		check_add(rep, id, label, CHECK_WARNING, sb_str(&sum), sb_str(&det),
			  "Correct [dbconnection] ardo to the names in the list.");
	} else {
		sb_addf(&sum, "%s in %zu of %zu environment%s; %zu marked ardoPostgreSQL connection%s found",
			supported, supp_in, ne, ne == 1 ? "" : "s", ardo_seen,
			ardo_seen == 1 ? "" : "s");
		check_add(rep, id, label, CHECK_OK, sb_str(&sum), sb_str(&det), NULL);
	}
out:
	lt_environments_free(envs, ne);
	lifetime_close(&lt);
done:
	sb_free(&sum);
	sb_free(&det);
	sb_free(&fails);
	sb_free(&seen);
}

/* The deploy targets a deploy check looks at: the step's items
 * (progress_doc_items: not the environment migrated_here), only env->item
 * when one is asked for.  NULL-terminated; the caller frees the array. */
static const char **deploy_targets(const struct check_env *env, size_t *n)
{
	const char **t = progress_doc_items(env->settings, ITEM_ENVIRONMENT, n);
	size_t k = 0;

	for (size_t i = 0; i < *n; i++)
		if (!env->item || str_eq(env->item, t[i]))
			t[k++] = t[i];
	t[k] = NULL;
	*n = k;
	return t;
}

/* One result per target: id:TARGET, labelled "<what> in TARGET". */
static struct check_result *add_target(struct check_report *rep, const char *id,
				       const char *what, const char *target,
				       enum check_status st, const char *sum, const char *det,
				       const char *fix)
{
	char *rid = xasprintf("%s:%s", id, target);
	char *label = xasprintf("%s in %s", what, target);
	struct check_result *r = check_add(rep, rid, label, st, sum, det,
					   st == CHECK_OK ? NULL : fix);

	free(rid);
	free(label);
	return r;
}

/* The same could-not-check for every target (or one result when there is
 * none to name). */
static void add_all_targets(struct check_report *rep, const char *id, const char *what,
			    const char *const *targets, size_t nt, const char *sum,
			    const char *fix, enum secret_kind needs)
{
	if (!nt) {
		check_add(rep, id, what, CHECK_ERROR, sum, NULL, fix)->needs = needs;
		return;
	}
	for (size_t t = 0; t < nt; t++)
		add_target(rep, id, what, targets[t], CHECK_ERROR, sum, NULL, fix)->needs = needs;
}

/* Open LifeTime for the deploy checks, or say why not for every target. */
static bool deploy_lt_open(const struct check_env *env, struct check_report *rep,
			   const char *id, const char *what, const char *const *targets,
			   size_t nt, struct lifetime *lt, const char *manual)
{
	char msg[512], fix[1024], *sum, *f;
	enum lt_setup s = lifetime_open(env->settings, env->ctx, lt, msg, sizeof msg, fix,
					 sizeof fix);

	if (s == LT_READY)
		return true;
	if (s == LT_NOT_CONFIGURED) {
		sum = xstrdup("could not check: [lifetime] is not configured");
		f = xasprintf("Without LifeTime: %s To have it checked: %s", manual, LT_FIX_CONFIGURE);
	} else {
		sum = xasprintf("could not check: %s", msg);
		f = xstrdup(fix);
	}
	add_all_targets(rep, id, what, targets, nt, sum, f,
			s == LT_NO_TOKEN ? SECRET_LIFETIME_TOKEN : SECRET_NONE);
	free(sum);
	free(f);
	return false;
}

/* What both deploy checks need before looking at each target: a target,
 * LifeTime open and its environments.  When any is missing, says why (for
 * every target) and returns false with nothing left open; otherwise the
 * caller frees *envs and closes lt. */
static bool deploy_open(const struct check_env *env, struct check_report *rep, const char *id,
			const char *label, const char *what, const char *const *targets,
			size_t nt, const char *manual, struct lifetime *lt,
			struct lt_environment **envs, size_t *ne)
{
	struct http_error e;

	if (!nt) {
		check_add(rep, id, label, CHECK_ERROR, "could not check: no environment to deploy to",
			  NULL, "List the target environments as [environment \"NAME\"] (the one the "
			  "migration was done in has migrated_here = yes).");
		return false;
	}
	if (!deploy_lt_open(env, rep, id, what, targets, nt, lt, manual))
		return false;
	if (!lifetime_environments(lt, env->ctx, envs, ne, &e)) {
		char *sum = xasprintf("could not check: %s", e.msg);

		add_all_targets(rep, id, what, targets, nt, sum,
				e.fix[0] ? e.fix : "Check [lifetime] url and that LifeTime is up.",
				SECRET_NONE);
		free(sum);
		lifetime_close(lt);
		return false;
	}
	return true;
}

void check_deploy_connection(const struct check_env *env, struct check_report *rep)
{
	static const char id[] = "deploy_connection";
	static const char what[] = "supported connection";
	const char *supported = doc_get(env->settings, "dbconnection", NULL, "supported");
	struct lifetime lt;
	struct lt_environment *envs = NULL;
	size_t ne = 0, nt = 0;
	const char **targets = deploy_targets(env, &nt);
	struct http_error e;

	if (nt && str_empty(supported)) {
		add_all_targets(rep, id, what, targets, nt,
				"could not check: the supported connection is not named",
				"Set [dbconnection] supported to its name (the connection step lists "
				"every environment's connections).", SECRET_NONE);
		goto done;
	}
	if (!deploy_open(env, rep, id, "supported connection in every target environment (LifeTime)",
			 what, targets, nt, LT_DBCONN_MANUAL, &lt, &envs, &ne))
		goto done;
	for (size_t t = 0; t < nt; t++) {
		const struct lt_environment *le = lt_env_of(env->settings, targets[t], envs, ne);
		struct lt_dbconnection *c = NULL;
		size_t nc = 0;
		bool found = false;

		if (!le) {
			add_target(rep, id, what, targets[t], CHECK_ERROR,
				   "could not check: not an environment LifeTime knows", NULL,
				   "Correct the [environment] name to LifeTime's, or set its hostname.");
			continue;
		}
		if (!lifetime_dbconnections(&lt, env->ctx, le->key, &c, &nc, &e)) {
			if (lt_unsupported(&e)) {
				add_target(rep, id, what, targets[t], CHECK_ERROR,
					   "could not check: LifeTime older than 11.13.0 (no database "
					   "connections API)", NULL, LT_DBCONN_MANUAL);
			} else {
				char *sum = xasprintf("could not check: %s", e.msg);

				add_target(rep, id, what, targets[t], CHECK_ERROR, sum, NULL,
					   e.fix[0] ? e.fix : LT_DBCONN_MANUAL);
				free(sum);
			}
			continue;
		}
		for (size_t k = 0; k < nc && !found; k++)
			found = str_eq(c[k].name, supported);
		{
			char *sum = xasprintf(found ? "%s exists in %s" : "%s missing in %s",
					      supported, targets[t]);

			add_target(rep, id, what, targets[t], found ? CHECK_OK : CHECK_FAILED, sum,
				   NULL,
				   "Before deploying, create the supported connection, under the same "
				   "name, in this environment's Service Center (Administration > "
				   "Database Connections > New Database Connection, DBMS PostgreSQL / "
				   "Aurora PostgreSQL; Test Connection, then Create).");
			free(sum);
		}
		lt_dbconnections_free(c, nc);
	}
	lt_environments_free(envs, ne);
	lifetime_close(&lt);
done:
	free(targets);
}

/* The newest deployments of a target whose status is looked at. */
#define DEPLOYMENTS_LOOKED_AT 5

static bool waits_for_operator(const char *status, const char *info)
{
	return str_eq(status, "needs_user_intervention") ||
	       str_eq(info, "needs_configuration_or_confirmation");
}

/* What the deployments to one target showed. */
struct mapping_tally {
	size_t asked, unmapped, old, failed;
};

/* One deployment's missing mappings into det. */
static void mappings_of(struct lifetime *lt, const struct check_env *env, const char *key,
			struct strbuf *det, struct mapping_tally *t)
{
	struct lt_missing_mapping *m = NULL;
	size_t nm = 0;
	struct http_error e;

	if (!lifetime_missing_mappings(lt, env->ctx, key, &m, &nm, &e)) {
		bool old = lt_unsupported(&e);

		sb_addf(det, "deployment %s: %s\n", key,
			old ? "no getmissingdbmappings (LifeTime older than 11.21.1, or the "
			      "environment lacks the capability)" : e.msg);
		if (old)
			t->old++;
		else
			t->failed++;
		return;
	}
	t->asked++;
	sb_addf(det, "deployment %s: %s\n", key,
		nm ? "logical databases still unmapped:" : "nothing left to map");
	for (size_t i = 0; i < nm; i++)
		sb_addf(det, "  %s (extension %s)\n", m[i].logical_database,
			str_empty(m[i].extension_name) ? "not named" : m[i].extension_name);
	t->unmapped += nm;
	lt_missing_mappings_free(m, nm);
}

/* The verdict on one target from its tally. */
static void mapping_verdict(struct check_report *rep, const char *id, const char *what,
			    const char *target, const struct mapping_tally *t,
			    const struct strbuf *det)
{
	char *sum;

	if (t->unmapped) {
		sum = xasprintf("%zu extension logical database%s still unmapped", t->unmapped,
				t->unmapped == 1 ? "" : "s");
		add_target(rep, id, what, target, CHECK_FAILED, sum, sb_str(det),
			   "In LifeTime, continue the deployment: map each listed logical database "
			   "to the supported connection of this environment (LifeTime asks during "
			   "the deployment), then check again.");
	} else if (t->old && !t->asked && !t->failed) {
		sum = xstrdup("could not check: LifeTime older than 11.21.1 (no getmissingdbmappings)");
		add_target(rep, id, what, target, CHECK_ERROR, sum, sb_str(det), LT_MAPPING_MANUAL);
	} else if (t->old || t->failed) {
		sum = xasprintf("could not check %zu deployment%s", t->old + t->failed,
				t->old + t->failed == 1 ? "" : "s");
		add_target(rep, id, what, target, CHECK_ERROR, sum, sb_str(det),
			   t->old ? LT_MAPPING_MANUAL
				  : "Check [lifetime] url, the deployment key and that the service "
				    "account can read deployments.");
	} else if (!t->asked) {
		sum = xstrdup("could not check: no deployment to look at (none given, none waiting "
			      "for configuration)");
		add_target(rep, id, what, target, CHECK_ERROR, sum, det->len ? sb_str(det) : NULL,
			   "Run this while LifeTime's deployment waits for the mapping, or give the "
			   "deployment's key as [environment \"NAME\"] deployment. " LT_MAPPING_MANUAL);
	} else {
		sum = xasprintf("%zu deployment%s: every extension logical database mapped",
				t->asked, t->asked == 1 ? "" : "s");
		add_target(rep, id, what, target, CHECK_OK, sum, sb_str(det), NULL);
	}
	free(sum);
}

void check_deploy_mappings(const struct check_env *env, struct check_report *rep)
{
	static const char id[] = "deploy_mappings";
	static const char what[] = "logical databases mapped";
	struct lifetime lt;
	struct lt_environment *envs = NULL;
	size_t ne = 0, nt = 0;
	const char **targets = deploy_targets(env, &nt);
	struct http_error e;

	if (!deploy_open(env, rep, id,
			 "extension logical databases mapped in the deployments (LifeTime)", what,
			 targets, nt, LT_MAPPING_MANUAL, &lt, &envs, &ne))
		goto done;
	for (size_t t = 0; t < nt; t++) {
		const char *given = doc_get(env->settings, "environment", targets[t], "deployment");
		const struct lt_environment *le = lt_env_of(env->settings, targets[t], envs, ne);
		struct mapping_tally tally = { 0 };
		struct strbuf det = STRBUF_INIT;
		struct lt_deployment *d = NULL;
		size_t nd = 0, waiting = 0;

		if (!str_empty(given)) {
			mappings_of(&lt, env, given, &det, &tally);
		} else if (!le) {
			tally.failed++;
			sb_add(&det, "not an environment LifeTime knows: correct its name or hostname\n");
		} else if (!lifetime_deployments(&lt, env->ctx, le->key, &d, &nd, &e)) {
			tally.failed++;
			sb_addf(&det, "could not list its deployments: %s\n", e.msg);
		} else {
			for (size_t i = 0, seen = 0; i < nd && seen < DEPLOYMENTS_LOOKED_AT; i++) {
				char *status = NULL, *info = NULL;

				if (d[i].target_environment_key &&
				    !str_eq(d[i].target_environment_key, le->key))
					continue;
				seen++;
				if (!lifetime_deployment_status(&lt, env->ctx, d[i].key, &status,
								&info, &e)) {
					tally.failed++;
					sb_addf(&det, "deployment %s: no status: %s\n", d[i].key, e.msg);
				} else if (waits_for_operator(status, info)) {
					waiting++;
					mappings_of(&lt, env, d[i].key, &det, &tally);
				}
				free(status);
				free(info);
			}
			if (!waiting)
				sb_addf(&det, "no deployment waiting for configuration among the newest "
					      "%d\n", DEPLOYMENTS_LOOKED_AT);
		}
		mapping_verdict(rep, id, what, targets[t], &tally, &det);
		lt_deployments_free(d, nd);
		sb_free(&det);
	}
	lt_environments_free(envs, ne);
	lifetime_close(&lt);
done:
	free(targets);
}
