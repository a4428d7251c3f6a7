/* test_http.c - pings and the LifeTime client against the nginx fixture
 * (scripts/httpfixture.sh), started and stopped by every test: each ping
 * class, timeouts, TLS verification with and without the CA bundle, the
 * Bearer token, each LifeTime shape, cancellation, and the HTTP checks. */
#include "config.h"

#include <errno.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <sys/resource.h>

#include <criterion/criterion.h>

#include "doc.h"
#include "http.h"
#include "lifetime.h"
#include "resolve.h"
#include "httpcheck.h"
#include "util.h"

static char topdir[64];   /* mkdtemp'd; the fixture lives in topdir/fx */
static char fxdir[128];
static char http_base[128], https_base[128], ca_file[512], lt_url[256], lt_https_url[256],
	token_file[512];
static char token[256];

static const char *srcdir(void)
{
	const char *s = getenv("top_srcdir");

	return s ? s : ".";
}

static void read_env(void)
{
	char path[600], line[1024];
	FILE *f;

	snprintf(path, sizeof path, "%s/env", fxdir);
	f = fopen(path, "r");
	cr_assert_not_null(f, "no %s", path);
	while (fgets(line, sizeof line, f)) {
		char *eq = strchr(line, '=');

		if (!eq)
			continue;
		*eq++ = '\0';
		eq[strcspn(eq, "\n")] = '\0';
#define TAKE(k, v) if (!strcmp(line, k)) snprintf(v, sizeof v, "%s", eq)
		TAKE("HTTP_BASE", http_base);
		TAKE("HTTPS_BASE", https_base);
		TAKE("CA_FILE", ca_file);
		TAKE("LIFETIME_URL", lt_url);
		TAKE("LIFETIME_HTTPS_URL", lt_https_url);
		TAKE("LIFETIME_TOKEN_FILE", token_file);
#undef TAKE
	}
	fclose(f);
	f = fopen(token_file, "r");
	cr_assert_not_null(f);
	cr_assert_not_null(fgets(token, sizeof token, f));
	fclose(f);
}

/* Start nginx in a fresh directory serving demo/www, or a copy of it in
 * which the LifeTime answer `file` (e.g. "environments.json") is `json`. */
static void start_with(const char *file, const char *json)
{
	char *cmd;

	snprintf(topdir, sizeof topdir, "/tmp/osm-httpfx-XXXXXX");
	cr_assert_not_null(mkdtemp(topdir), "mkdtemp: %s", strerror(errno));
	snprintf(fxdir, sizeof fxdir, "%s/fx", topdir);
	if (file) {
		char *path = xasprintf("%s/www/lifetimeapi/v2/%s", topdir, file);
		FILE *f;

		cmd = xasprintf("cp -R '%s/demo/www' '%s/www'", srcdir(), topdir);
		cr_assert_eq(system(cmd), 0);
		free(cmd);
		f = fopen(path, "w");
		cr_assert_not_null(f);
		fputs(json, f);
		cr_assert_eq(fclose(f), 0);
		free(path);
		cmd = xasprintf("sh '%s/scripts/httpfixture.sh' start '%s' --www '%s/www' "
				"--owner %ld >/dev/null", srcdir(), fxdir, topdir, (long)getpid());
	} else {
		cmd = xasprintf("sh '%s/scripts/httpfixture.sh' start '%s' --owner %ld >/dev/null",
				srcdir(), fxdir, (long)getpid());
	}
	cr_assert_eq(system(cmd), 0, "the nginx fixture did not start (is nginx-light installed?)");
	free(cmd);
	read_env();
	unsetenv("OSMIGRATE_LIFETIME_TOKEN");
	unsetenv("http_proxy");
	unsetenv("https_proxy");
	unsetenv("HTTPS_PROXY");
	unsetenv("ALL_PROXY");
	unsetenv("all_proxy");
}

static void fx_start(void)
{
	start_with(NULL, NULL);
}

static void fx_stop(void)
{
	char *cmd = xasprintf("sh '%s/scripts/httpfixture.sh' stop '%s' >/dev/null && "
			      "rm -rf '%s'", srcdir(), fxdir, topdir);

	if (system(cmd) != 0)
		fprintf(stderr, "could not stop the fixture in %s\n", fxdir);
	free(cmd);
}

TestSuite(ping, .init = fx_start, .fini = fx_stop, .timeout = 60);
TestSuite(lifetime, .init = fx_start, .fini = fx_stop, .timeout = 60);
TestSuite(httpcheck, .init = fx_start, .fini = fx_stop, .timeout = 60);
/* Tests that start their own fixture with edited JSON. */
TestSuite(httpcheck_edited, .fini = fx_stop, .timeout = 60);

static struct ping_result ping1(const char *url, const struct http_opts *o, struct ctx *ctx)
{
	struct ping_result r;
	const char *u[1] = { url };

	http_ping_many(u, 1, o, ctx, &r);
	return r;
}

static struct ping_result ping_path(const char *path, long timeout_ms)
{
	char *url = xasprintf("%s%s", http_base, path);
	struct http_opts o = HTTP_OPTS_INIT;
	struct ping_result r;

	o.timeout_ms = timeout_ms;
	r = ping1(url, &o, NULL);
	free(url);
	return r;
}

Test(ping, classes)
{
	static const struct {
		const char *path;
		enum ping_class cls;
		long status;
		const char *in_summary;
	} cases[] = {
		{ "/OrdersUI/_ping.html", PING_OK, 200, "200, module files served" },
		{ "/PoolDown/_ping.html", PING_APP_POOL_DOWN, 503, "application pool" },
		{ "/Missing/_ping.html", PING_NOT_FOUND, 404, "404 Not Found: nothing at this address" },
		{ "/Forbidden/_ping.html", PING_FORBIDDEN, 403, "403" },
		{ "/LoginRedirect/_ping.html", PING_REDIRECT, 302, "/Users/Login.aspx" },
		{ "/Injected/_ping.html", PING_UNEXPECTED, 200,
		  "not the module's page: a login or SSO form (it has a password field): "
		  "\"Corporate proxy\"" },
		{ "/LoginPortal/_ping.html", PING_UNEXPECTED, 200, "a login or SSO form" },
		{ "/ProxyError/_ping.html", PING_UNEXPECTED, 200,
		  "an error page, as a proxy or load balancer sends: \"502 Bad Gateway\"" },
		{ "/AuthRequired/_ping.html", PING_AUTH_REQUIRED, 401, "requires a login" },
		{ "/NotHtml/_ping.html", PING_UNEXPECTED, 200, "not an HTML page (Content-Type: text/plain" },
		{ "/nosuchpage", PING_NOT_FOUND, 404, "404" },
	};

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct ping_result r = ping_path(cases[i].path, 5000);

		cr_expect_eq(r.cls, cases[i].cls, "%s: %s, got %s", cases[i].path, r.summary,
			     ping_class_word(r.cls));
		cr_expect_eq(r.status, cases[i].status, "%s: status %ld", cases[i].path, r.status);
		cr_expect(strstr(r.summary, cases[i].in_summary), "%s: summary '%s'",
			  cases[i].path, r.summary);
		cr_expect(strstr(r.summary, " ms"), "elapsed time in '%s'", r.summary);
		if (r.cls == PING_OK)
			cr_expect_null(r.fix);
		else
			cr_expect(r.fix && strlen(r.fix) > 20, "%s has a fix", cases[i].path);
		ping_result_free(&r);
	}
}

Test(ping, redirect_names_location_and_following_is_bounded)
{
	struct ping_result r = ping_path("/LoginRedirect/_ping.html", 5000);
	char *url = xasprintf("%s/LoginRedirect/_ping.html", http_base);
	struct http_opts o = HTTP_OPTS_INIT;

	cr_assert_not_null(r.location);
	cr_expect(strstr(r.location, "/Users/Login.aspx?OriginalURL="), "%s", r.location);
	cr_expect(strstr(r.fix, "login"), "%s", r.fix);
	ping_result_free(&r);

	/* Followed, the login page is what answers: the end of a redirect
	 * chain to another path, not the module's page. */
	o.max_redirects = 3;
	o.timeout_ms = 5000;
	r = ping1(url, &o, NULL);
	cr_expect_eq(r.cls, PING_UNEXPECTED, "%s", r.summary);
	cr_expect_eq(r.redirects, 1);
	cr_expect(strstr(r.summary, "redirect chain to another path"), "%s", r.summary);
	cr_expect(strstr(r.summary, "/Users/Login.aspx"), "%s", r.summary);
	ping_result_free(&r);
	free(url);

	/* http -> https to another path: the same. */
	url = xasprintf("%s/HttpsOnly/_ping.html", http_base);
	o.cafile = ca_file;
	r = ping1(url, &o, NULL);
	cr_expect_eq(r.cls, PING_UNEXPECTED, "%s", r.summary);
	cr_expect(strstr(r.summary, "/OrdersUI/_ping.html"), "%s", r.summary);
	o.cafile = NULL;
	ping_result_free(&r);
	free(url);

	/* http -> https: the fix says to use https://. */
	r = ping_path("/HttpsOnly/_ping.html", 5000);
	cr_expect_eq(r.cls, PING_REDIRECT, "%s", r.summary);
	cr_expect_eq(r.status, 301);
	cr_expect(r.location && str_startswith(r.location, "https://127.0.0.1:"), "%s", r.location);
	cr_expect(strstr(r.fix, "use the https:// URL"), "%s", r.fix);
	ping_result_free(&r);
}

/* Operator trial H5: a 404 may be a wrong URL as well; a 401 means a login. */
Test(ping, not_found_and_login_required_say_only_what_they_mean)
{
	struct ping_result r = ping_path("/Missing/_ping.html", 5000);

	cr_expect_null(strstr(r.summary, "not deployed"), "%s", r.summary);
	cr_expect(strstr(r.fix, "Either the URL is wrong"), "%s", r.fix);
	ping_result_free(&r);
	r = ping_path("/AuthRequired/_ping.html", 5000);
	cr_expect(strstr(r.summary, "401 Unauthorized: this address requires a login"), "%s",
		  r.summary);
	cr_expect(strstr(r.fix, "asks for credentials"), "%s", r.fix);
	cr_expect_null(strstr(r.fix, "Monitoring > Errors"), "%s", r.fix);
	ping_result_free(&r);
}

Test(ping, timeout_is_honoured)
{
	long long t0 = mono_ms();
	struct ping_result r = ping_path("/Slow/_ping.html", 700);
	long long el = mono_ms() - t0;

	/* It answered 200 and its headers: not "no answer", not "down". */
	cr_expect_eq(r.cls, PING_SLOW_BODY, "%s", r.summary);
	cr_expect(strstr(r.summary, "answered 200, but the page did not complete within 0.7 s"),
		  "%s", r.summary);
	cr_expect(strstr(r.fix, "it is up and reachable"), "%s", r.fix);
	cr_expect_null(strstr(r.fix, "firewall"), "%s", r.fix);
	cr_expect_null(strstr(r.fix, "IIS is running"), "%s", r.fix);
	cr_expect(strstr(r.fix, "[http] timeout"), "%s", r.fix);
	/* Generous upper bound: only "it stopped", never a speed claim. */
	cr_expect(el >= 600 && el < 10000, "took %lld ms", el);
	ping_result_free(&r);
}

Test(ping, refused_and_bad_url_and_dns)
{
	struct ping_result r;
	struct http_opts o = HTTP_OPTS_INIT;

	o.timeout_ms = 5000;
	/* Port 1 on loopback: nothing listens there. */
	r = ping1("http://127.0.0.1:1/OrdersUI/_ping.html", &o, NULL);
	cr_expect_eq(r.cls, PING_REFUSED, "%s", r.summary);
	cr_expect(strstr(r.summary, "refused"), "%s", r.summary);
	ping_result_free(&r);

	r = ping1("ftp://127.0.0.1/x", &o, NULL);
	cr_expect_eq(r.cls, PING_BAD_URL, "%s", r.summary);
	ping_result_free(&r);
	r = ping1("file:///etc/passwd", &o, NULL);
	cr_expect_eq(r.cls, PING_BAD_URL, "%s", r.summary);
	ping_result_free(&r);

	/* .invalid never resolves (RFC 6761); no packet leaves when the
	 * resolver is local, and the timeout bounds it when it is not. */
	r = ping1("http://osmigrate-test.invalid/OrdersUI/_ping.html", &o, NULL);
	cr_expect(r.cls == PING_DNS || r.cls == PING_TIMEOUT, "%s", r.summary);
	if (r.cls == PING_DNS)
		cr_expect(strstr(r.summary, "osmigrate-test.invalid"), "%s", r.summary);
	ping_result_free(&r);
}

Test(ping, urls_with_credentials_are_refused_and_not_echoed)
{
	struct http_opts o = HTTP_OPTS_INIT;
	char *url = xasprintf("http://admin:s3cret-pw@%s/OrdersUI/_ping.html", http_base + 7);
	struct ping_result r;
	long status;
	char *body;
	size_t len;
	struct http_error err;

	o.timeout_ms = 5000;
	r = ping1(url, &o, NULL);
	cr_expect_eq(r.cls, PING_BAD_URL, "%s", r.summary);
	cr_expect_null(strstr(r.url, "s3cret"), "%s", r.url);
	cr_expect_null(strstr(r.summary, "s3cret"), "%s", r.summary);
	ping_result_free(&r);
	cr_expect_not(http_get(url, NULL, &o, NULL, 1024, &status, &body, &len, &err));
	cr_expect_eq(err.cls, PING_BAD_URL);
	cr_expect_null(strstr(err.msg, "s3cret"));
	free(url);
}

Test(ping, scheme_is_case_insensitive)
{
	char *url = xasprintf("HtTp://%s/OrdersUI/_ping.html", http_base + 7);
	struct ping_result r = ping1(url, NULL, NULL);

	cr_expect_eq(r.cls, PING_OK, "%s", r.summary);
	ping_result_free(&r);
	free(url);
}

Test(ping, redirects_to_other_protocols_are_not_followed)
{
	/* Only http and https, even when following redirects. */
	struct http_opts o = HTTP_OPTS_INIT;
	struct ping_result r;

	o.max_redirects = 2;
	o.timeout_ms = 5000;
	r = ping1("gopher://127.0.0.1:1/", &o, NULL);
	cr_expect_eq(r.cls, PING_BAD_URL);
	ping_result_free(&r);
}

Test(ping, tls_self_signed_fails_then_passes_with_cafile)
{
	char *url = xasprintf("%s/OrdersUI/_ping.html", https_base);
	struct http_opts o = HTTP_OPTS_INIT;
	struct ping_result r;

	o.timeout_ms = 5000;
	r = ping1(url, &o, NULL);
	cr_expect_eq(r.cls, PING_TLS_UNTRUSTED, "%s", r.summary);
	cr_expect(strstr(r.summary, "not trusted"), "%s", r.summary);
	cr_expect(strstr(r.fix, "[http] cafile"), "fix names the CA option: %s", r.fix);
	cr_expect(strstr(r.fix, "never turns certificate verification off"), "%s", r.fix);
	ping_result_free(&r);

	o.cafile = ca_file;
	r = ping1(url, &o, NULL);
	cr_expect_eq(r.cls, PING_OK, "%s", r.summary);
	ping_result_free(&r);

	/* The right CA but the wrong name: still refused. */
	free(url);
	url = xasprintf("%s/OrdersUI/_ping.html", https_base);
	{
		char *p = strstr(url, "127.0.0.1");
		char *u2 = xasprintf("https://127.0.0.2%s", p + strlen("127.0.0.1"));

		r = ping1(u2, &o, NULL);
		/* nginx listens on 127.0.0.1 only: 127.0.0.2 is refused before TLS. */
		cr_expect(r.cls == PING_REFUSED || r.cls == PING_TLS_UNTRUSTED, "%s", r.summary);
		ping_result_free(&r);
		free(u2);
	}

	o.cafile = "/nonexistent/ca.pem";
	r = ping1(url, &o, NULL);
	cr_expect(r.cls == PING_TLS_ERROR || r.cls == PING_TLS_UNTRUSTED, "%s", r.summary);
	ping_result_free(&r);
	free(url);
}

Test(ping, plain_http_to_the_tls_port_is_an_error_not_ok)
{
	char *port = strrchr(https_base, ':');
	char *url = xasprintf("http://127.0.0.1%s/OrdersUI/_ping.html", port);
	struct http_opts o = HTTP_OPTS_INIT;
	struct ping_result r;

	o.timeout_ms = 5000;
	r = ping1(url, &o, NULL);
	cr_expect_neq(r.cls, PING_OK, "%s", r.summary);
	ping_result_free(&r);
	free(url);
}

struct prog {
	int calls;
	long last_done, last_total;
};

static void on_progress(void *ud, const char *what, long done, long total)
{
	struct prog *p = ud;

	(void)what;
	p->calls++;
	p->last_done = done;
	p->last_total = total;
}

Test(ping, many_in_parallel_with_progress)
{
	const char *paths[] = { "/OrdersUI/_ping.html", "/CustomersUI/_ping.html",
				"/Inventory_CS/_ping.html", "/PoolDown/_ping.html",
				"/Missing/_ping.html", "/Forbidden/_ping.html" };
	const char *urls[6];
	struct ping_result r[6];
	struct prog p = { 0, 0, 0 };
	struct ctx ctx = { .progress = on_progress, .ud = &p, .timeout_s = 5 };

	for (int i = 0; i < 6; i++)
		urls[i] = xasprintf("%s%s", http_base, paths[i]);
	http_ping_many(urls, 6, NULL, &ctx, r);
	cr_expect_eq(p.calls, 6);
	cr_expect_eq(p.last_done, 6);
	cr_expect_eq(p.last_total, 6);
	cr_expect_eq(r[0].cls, PING_OK);
	cr_expect_eq(r[1].cls, PING_OK);
	cr_expect_eq(r[2].cls, PING_OK);
	cr_expect_eq(r[3].cls, PING_APP_POOL_DOWN);
	cr_expect_eq(r[4].cls, PING_NOT_FOUND);
	cr_expect_eq(r[5].cls, PING_FORBIDDEN);
	for (int i = 0; i < 6; i++) {
		cr_expect_str_eq(r[i].url, urls[i]);
		ping_result_free(&r[i]);
		free((char *)urls[i]);
	}
}

static atomic_int cancel_flag;

static void cancel_soon(void *ud, const char *what, long done, long total)
{
	(void)ud;
	(void)what;
	(void)total;
	if (done >= 1)
		atomic_store(&cancel_flag, 1);
}

Test(ping, cancel_returns_promptly)
{
	/* One fast answer triggers the cancel; the slow one (30 s timeout) must
	 * come back as cancelled within a few poll slices. */
	const char *urls[2];
	struct ping_result r[2];
	struct ctx ctx = { .cancel = &cancel_flag, .progress = cancel_soon, .timeout_s = 30 };
	long long t0, el;

	atomic_store(&cancel_flag, 0);
	urls[0] = xasprintf("%s/Slow/_ping.html", http_base);
	urls[1] = xasprintf("%s/OrdersUI/_ping.html", http_base);
	t0 = mono_ms();
	http_ping_many(urls, 2, NULL, &ctx, r);
	el = mono_ms() - t0;
	cr_expect_eq(r[0].cls, PING_CANCELLED, "%s", r[0].summary);
	cr_expect_eq(r[1].cls, PING_OK, "%s", r[1].summary);
	cr_expect(el < 5000, "took %lld ms", el);
	for (int i = 0; i < 2; i++) {
		ping_result_free(&r[i]);
		free((char *)urls[i]);
	}
}

/* ---- LifeTime ---- */

static struct doc *lt_settings(const char *url, const char *tfile, const char *cafile)
{
	struct doc *d = doc_new();

	doc_add_section(d, "lifetime", NULL);
	if (url)
		doc_set(d, "lifetime", NULL, "url", url);
	if (tfile)
		doc_set(d, "lifetime", NULL, "token_file", tfile);
	if (cafile)
		doc_set(d, "lifetime", NULL, "cafile", cafile);
	return d;
}

Test(lifetime, environments_applications_modules)
{
	struct doc *d = lt_settings(lt_url, token_file, NULL);
	struct lifetime lt;
	char msg[512], fix[1024];
	struct lt_environment *e;
	struct lt_application *a;
	struct lt_module *m;
	size_t ne, na, nm;
	struct http_error err;

	cr_assert_eq(lifetime_open(d, NULL, &lt, msg, sizeof msg, fix, sizeof fix), LT_READY,
		     "%s", msg);
	cr_assert(lifetime_environments(&lt, NULL, &e, &ne, &err), "%s", err.msg);
	cr_expect_eq(ne, 3);
	cr_expect_str_eq(e[0].name, "Development");
	cr_expect_str_eq(e[2].os_version, "11.31.0.45003");
	cr_expect_eq(e[2].front_ends, 3);
	cr_expect_eq(e[1].order, 2);
	cr_expect(e[0].use_https);
	cr_expect_not(e[0].is_cloud);
	cr_expect_str_eq(e[0].database_provider, "SqlServer");
	lt_environments_free(e, ne);

	cr_assert(lifetime_applications(&lt, NULL, &a, &na, &err), "%s", err.msg);
	cr_expect_eq(na, 4);
	cr_expect_str_eq(a[1].name, "Customers");
	cr_expect_eq(a[1].n_envs, 1);
	cr_expect_str_eq(a[1].envs[0].consistency, "Outdated");
	cr_expect(a[1].envs[0].is_modified);
	cr_expect(strstr(a[1].envs[0].messages, "republish"));
	cr_expect_eq(a[0].envs[0].n_modules, 2);
	cr_expect_str_eq(a[0].envs[0].modules[1].consistency, "OK");
	cr_expect(a[3].is_system);
	lt_applications_free(a, na);

	cr_assert(lifetime_modules(&lt, NULL, &m, &nm, &err), "%s", err.msg);
	cr_expect_eq(nm, 5);
	cr_expect_str_eq(m[3].kind, "Extension");
	lt_modules_free(m, nm);
	lifetime_close(&lt);
	doc_free(d);
}

Test(lifetime, wrong_token_is_401_and_never_quoted)
{
	struct doc *d = lt_settings(lt_url, NULL, NULL);
	struct lifetime lt;
	char msg[512], fix[1024];
	struct lt_environment *e;
	size_t ne;
	struct http_error err;
	const char *bad = "not-the-token-0123456789";

	setenv("OSMIGRATE_LIFETIME_TOKEN", bad, 1);
	cr_assert_eq(lifetime_open(d, NULL, &lt, msg, sizeof msg, fix, sizeof fix), LT_READY);
	cr_assert_not(lifetime_environments(&lt, NULL, &e, &ne, &err));
	cr_expect_null(e);
	cr_expect_eq(err.status, 401);
	cr_expect(strstr(err.msg, "refused the token"), "%s", err.msg);
	cr_expect(strstr(err.fix, "Service Accounts"), "%s", err.fix);
	cr_expect_null(strstr(err.msg, bad));
	cr_expect_null(strstr(err.fix, bad));
	lifetime_close(&lt);
	unsetenv("OSMIGRATE_LIFETIME_TOKEN");
	doc_free(d);
}

Test(lifetime, token_sources_and_refusals)
{
	struct doc *d;
	struct lifetime lt;
	char msg[512], fix[1024];
	struct secrets sec = { 0 };
	struct ctx ctx = { .secrets = &sec };

	/* Not configured at all. */
	d = doc_new();
	cr_expect_eq(lifetime_open(d, NULL, &lt, msg, sizeof msg, fix, sizeof fix),
		     LT_NOT_CONFIGURED);
	doc_free(d);

	/* No token anywhere: said as such, so the wizard knows to ask for it. */
	d = lt_settings(lt_url, NULL, NULL);
	cr_expect_eq(lifetime_open(d, NULL, &lt, msg, sizeof msg, fix, sizeof fix),
		     LT_NO_TOKEN);
	cr_expect(strstr(fix, "OSMIGRATE_LIFETIME_TOKEN"), "%s", fix);
	doc_free(d);

	/* token_file readable by others: refused, with the chmod. */
	chmod(token_file, 0644);
	d = lt_settings(lt_url, token_file, NULL);
	cr_expect_eq(lifetime_open(d, NULL, &lt, msg, sizeof msg, fix, sizeof fix),
		     LT_BAD_CONFIG);
	cr_expect(strstr(msg, "644"), "%s", msg);
	cr_expect(strstr(fix, "chmod 600"), "%s", fix);
	chmod(token_file, 0600);

	/* 0600: read, and kept in the in-memory secrets. */
	cr_assert_eq(lifetime_open(d, &ctx, &lt, msg, sizeof msg, fix, sizeof fix), LT_READY,
		     "%s", msg);
	cr_expect_str_eq(lt.token, token);
	cr_expect_str_eq(sec.lifetime_token, token);
	lifetime_close(&lt);
	cr_expect_null(lt.token);
	doc_free(d);

	/* The in-memory token wins over the file. */
	d = lt_settings(lt_url, "/nonexistent", NULL);
	cr_assert_eq(lifetime_open(d, &ctx, &lt, msg, sizeof msg, fix, sizeof fix), LT_READY);
	lifetime_close(&lt);
	doc_free(d);
	free(sec.lifetime_token);

	/* Plain http to a remote host would expose the token: refused. */
	d = lt_settings("http://lifetime.example.com/lifetimeapi/rest/v2", token_file, NULL);
	cr_expect_eq(lifetime_open(d, NULL, &lt, msg, sizeof msg, fix, sizeof fix),
		     LT_BAD_CONFIG);
	cr_expect(strstr(msg, "plain http"), "%s", msg);
	doc_free(d);

	/* Credentials in the URL would end up in the state file: refused. */
	d = lt_settings("https://u:pw-secret@lifetime.example.com/lifetimeapi/rest/v2", token_file,
			NULL);
	cr_expect_eq(lifetime_open(d, NULL, &lt, msg, sizeof msg, fix, sizeof fix),
		     LT_BAD_CONFIG);
	cr_expect(strstr(msg, "user name or password"), "%s", msg);
	cr_expect_null(strstr(msg, "pw-secret"));
	doc_free(d);

	/* A token with a newline could inject a header: refused. */
	setenv("OSMIGRATE_LIFETIME_TOKEN", "abc\r\nX-Evil: 1", 1);
	d = lt_settings(lt_url, NULL, NULL);
	cr_expect_eq(lifetime_open(d, NULL, &lt, msg, sizeof msg, fix, sizeof fix),
		     LT_BAD_CONFIG);
	cr_expect_null(strstr(msg, "Evil"));
	unsetenv("OSMIGRATE_LIFETIME_TOKEN");
	doc_free(d);
}

Test(lifetime, https_needs_the_ca_bundle)
{
	struct doc *d = lt_settings(lt_https_url, token_file, NULL);
	struct lifetime lt;
	char msg[512], fix[1024];
	struct lt_environment *e;
	size_t ne;
	struct http_error err;

	cr_assert_eq(lifetime_open(d, NULL, &lt, msg, sizeof msg, fix, sizeof fix), LT_READY);
	cr_expect_not(lifetime_environments(&lt, NULL, &e, &ne, &err));
	cr_expect_eq(err.cls, PING_TLS_UNTRUSTED, "%s", err.msg);
	cr_expect(strstr(err.fix, "[lifetime] cafile"), "%s", err.fix);
	lifetime_close(&lt);
	doc_set(d, "lifetime", NULL, "cafile", ca_file);
	cr_assert_eq(lifetime_open(d, NULL, &lt, msg, sizeof msg, fix, sizeof fix), LT_READY);
	cr_expect(lifetime_environments(&lt, NULL, &e, &ne, &err), "%s", err.msg);
	cr_expect_eq(ne, 3);
	lt_environments_free(e, ne);
	lifetime_close(&lt);
	doc_free(d);
}

Test(lifetime, wrong_base_url_is_404_with_fix)
{
	char *url = xasprintf("%s/lifetimeapi/rest/v1", http_base);
	struct doc *d = lt_settings(url, token_file, NULL);
	struct lifetime lt;
	char msg[512], fix[1024];
	struct lt_module *m;
	size_t nm;
	struct http_error err;

	cr_assert_eq(lifetime_open(d, NULL, &lt, msg, sizeof msg, fix, sizeof fix), LT_READY);
	cr_expect_not(lifetime_modules(&lt, NULL, &m, &nm, &err));
	cr_expect_eq(err.status, 404);
	cr_expect(strstr(err.fix, "/lifetimeapi/rest/v2"), "%s", err.fix);
	lifetime_close(&lt);
	doc_free(d);
	free(url);
}

/* ---- where the token may go ---- */

Test(lt_parse, loopback_addresses)
{
	cr_expect(ip_is_loopback("127.0.0.1"));
	cr_expect(ip_is_loopback("127.255.3.4"));
	cr_expect(ip_is_loopback("::1"));
	cr_expect(ip_is_loopback("::ffff:127.0.0.1"));
	cr_expect_not(ip_is_loopback("0.0.0.0"));
	cr_expect_not(ip_is_loopback("10.0.0.1"));
	cr_expect_not(ip_is_loopback("128.0.0.1"));
	cr_expect_not(ip_is_loopback("::"));
	cr_expect_not(ip_is_loopback("::ffff:10.0.0.1"));
	cr_expect_not(ip_is_loopback("localhost"));
	cr_expect_not(ip_is_loopback("127.0.0.1.attacker.example"));
	cr_expect_not(ip_is_loopback(""));
	cr_expect_not(ip_is_loopback(NULL));
}

/* The database connections, deployments and missing mappings in
 * domain.md's shapes: LifeTime's text neutralised, databaseConfiguration
 * never kept, a wrong shape refused with what was wrong. */
Test(lt_parse, dbconnections_deployments_missing_mappings)
{
	static const char conns[] =
		"[{\"dbConnectionName\":\"Sales\\u001b[2J\\nPG\",\"description\":\"d\","
		"\"providerName\":\"PostgreSQL\",\"isAdvancedConfiguration\":true,"
		"\"databaseConfiguration\":{\"Password\":\"secret\"}},"
		"{\"dbConnectionName\":\"Ardo\"}]";
	static const char maps[] =
		"[{\"ExtensionKey\":\"k\",\"ExtensionName\":\"SalesDB\",\"LogicalDatabase\":\"sales\"}]";
	static const char deps[] = "[{\"Key\":\"d1\",\"TargetEnvironmentKey\":\"e1\"}]";
	struct lt_dbconnection *c;
	struct lt_missing_mapping *m;
	struct lt_deployment *d;
	char *st, *info, err[256];
	size_t n;

	cr_assert(lt_parse_dbconnections(conns, strlen(conns), &c, &n, err, sizeof err), "%s", err);
	cr_assert_eq(n, 2);
	cr_expect_null(strchr(c[0].name, '\033'));
	cr_expect_null(strchr(c[0].name, '\n'));
	cr_expect_str_eq(c[0].provider, "PostgreSQL");
	cr_expect(c[0].advanced_known && c[0].advanced);
	cr_expect(!c[1].advanced_known && !c[1].provider);
	lt_dbconnections_free(c, n);
	cr_expect_not(lt_parse_dbconnections("[{\"name\":\"x\"}]", 14, &c, &n, err, sizeof err));
	cr_expect(strstr(err, "dbConnectionName"), "%s", err);
	cr_expect_not(lt_parse_dbconnections("{}", 2, &c, &n, err, sizeof err));

	cr_assert(lt_parse_missing_mappings(maps, strlen(maps), &m, &n, err, sizeof err), "%s", err);
	cr_assert_eq(n, 1);
	cr_expect_str_eq(m[0].logical_database, "sales");
	cr_expect_str_eq(m[0].extension_name, "SalesDB");
	lt_missing_mappings_free(m, n);
	cr_assert(lt_parse_missing_mappings("[]", 2, &m, &n, err, sizeof err));
	cr_expect_eq(n, 0);
	lt_missing_mappings_free(m, n);

	cr_assert(lt_parse_deployments(deps, strlen(deps), &d, &n, err, sizeof err), "%s", err);
	cr_expect_str_eq(d[0].target_environment_key, "e1");
	lt_deployments_free(d, n);

	cr_assert(lt_parse_deployment_status("{\"DeploymentStatus\":\"needs_user_intervention\","
					     "\"Info\":\"needs_configuration_or_confirmation\"}", 91,
					     &st, &info, err, sizeof err), "%s", err);
	cr_expect_str_eq(st, "needs_user_intervention");
	cr_expect_str_eq(info, "needs_configuration_or_confirmation");
	free(st);
	free(info);
	cr_expect_not(lt_parse_deployment_status("[]", 2, &st, &info, err, sizeof err));
}

/* A name that starts with "127." is a name: it must resolve to loopback
 * (here it does not resolve at all, or to somewhere else), or the token is
 * not sent over plain http.  Nothing is sent either way, so no network is
 * needed; the refusal is what is asserted. */
Test(lifetime, plain_http_only_to_what_resolves_to_loopback)
{
	const char *port = strrchr(http_base, ':') + 1;
	char *evil = xasprintf("http://127.0.0.1.attacker.example:%s/lifetimeapi/rest/v2", port);
	char *any = xasprintf("http://0.0.0.0:%s/lifetimeapi/rest/v2", port);
	char *v6 = xasprintf("http://[::ffff:10.1.2.3]:%s/lifetimeapi/rest/v2", port);
	char *local = xasprintf("http://localhost:%s/lifetimeapi/rest/v2", port);
	char *get = xasprintf("http://127.0.0.1.attacker.example:%s/lifetimeapi/rest/v2/modules/",
			      port);
	struct doc *d = lt_settings(evil, token_file, NULL);
	struct lifetime lt;
	char msg[512], fix[1024];
	struct http_error err;
	struct http_opts o = HTTP_OPTS_INIT;
	struct lt_environment *e;
	size_t ne, len;
	long status;
	char *body;

	cr_expect_eq(lifetime_open(d, NULL, &lt, msg, sizeof msg, fix, sizeof fix),
		     LT_BAD_CONFIG, "accepted %s", evil);
	cr_expect(strstr(msg, "refusing to send the LifeTime token over plain http"), "%s", msg);
	cr_expect(strstr(msg, "127.0.0.1.attacker.example"), "%s", msg);
	cr_expect(strstr(fix, "https://"), "%s", fix);
	cr_expect_null(strstr(msg, token));
	doc_free(d);

	d = lt_settings(any, token_file, NULL);
	cr_expect_eq(lifetime_open(d, NULL, &lt, msg, sizeof msg, fix, sizeof fix),
		     LT_BAD_CONFIG, "accepted %s", any);
	cr_expect(strstr(msg, "not this machine"), "%s", msg);
	doc_free(d);
	d = lt_settings(v6, token_file, NULL);
	cr_expect_eq(lifetime_open(d, NULL, &lt, msg, sizeof msg, fix, sizeof fix),
		     LT_BAD_CONFIG, "accepted %s", v6);
	doc_free(d);

	/* http_get itself holds to it, whoever calls it. */
	o.timeout_ms = 5000;
	cr_expect_not(http_get(get, token, &o, NULL, 1024, &status, &body, &len, &err));
	cr_expect_eq(err.cls, PING_BAD_URL, "%s", err.msg);
	cr_expect(strstr(err.msg, "plain http"), "%s", err.msg);
	cr_expect_eq(status, 0);

	/* localhost resolves to loopback on this host: accepted, and it works. */
	d = lt_settings(local, token_file, NULL);
	cr_assert_eq(lifetime_open(d, NULL, &lt, msg, sizeof msg, fix, sizeof fix), LT_READY,
		     "%s", msg);
	cr_expect(lifetime_environments(&lt, NULL, &e, &ne, &err), "%s", err.msg);
	cr_expect_eq(ne, 3);
	lt_environments_free(e, ne);
	lifetime_close(&lt);
	doc_free(d);
	free(evil);
	free(any);
	free(v6);
	free(local);
	free(get);
}

/* A listener on 127.0.0.1 that never accepts: the kernel completes the
 * handshake of anyone who connects, and a non-blocking accept afterwards
 * tells whether someone did. */
static int silent_listener(int *port)
{
	struct sockaddr_in a;
	socklen_t al = sizeof a;
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);

	cr_assert_geq(fd, 0);
	memset(&a, 0, sizeof a);
	a.sin_family = AF_INET;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	cr_assert_eq(bind(fd, (struct sockaddr *)&a, sizeof a), 0);
	cr_assert_eq(listen(fd, 16), 0);
	cr_assert_eq(getsockname(fd, (struct sockaddr *)&a, &al), 0);
	*port = ntohs(a.sin_port);
	return fd;
}

static bool someone_connected(int fd)
{
	int c = accept(fd, NULL, NULL);

	if (c < 0)
		return false;
	close(c);
	return true;
}

Test(lifetime, plain_http_to_loopback_bypasses_every_proxy)
{
	static const char *const vars[] = { "http_proxy", "HTTP_PROXY", "ALL_PROXY", "all_proxy" };
	struct doc *d = lt_settings(lt_url, token_file, NULL);
	struct lifetime lt;
	char msg[512], fix[1024], *proxy;
	struct http_error err;
	struct lt_environment *e;
	size_t ne;
	int port, lfd = silent_listener(&port);

	proxy = xasprintf("http://127.0.0.1:%d", port);
	for (size_t i = 0; i < OSM_ARRAY_LEN(vars); i++)
		setenv(vars[i], proxy, 1);
	unsetenv("no_proxy");
	unsetenv("NO_PROXY");
	doc_set(d, "http", NULL, "timeout", "3");
	cr_assert_eq(lifetime_open(d, NULL, &lt, msg, sizeof msg, fix, sizeof fix), LT_READY,
		     "%s", msg);
	cr_expect(lifetime_environments(&lt, NULL, &e, &ne, &err), "%s", err.msg);
	cr_expect_eq(ne, 3);
	lt_environments_free(e, ne);
	lifetime_close(&lt);
	for (size_t i = 0; i < OSM_ARRAY_LEN(vars); i++)
		unsetenv(vars[i]);
	cr_expect_not(someone_connected(lfd), "the request carrying the token went to the proxy");
	close(lfd);
	free(proxy);
	doc_free(d);
}

Test(lifetime, redirects_are_not_followed_with_the_token)
{
	char *url = xasprintf("%s/LoginRedirect/_ping.html", http_base);
	struct http_opts o = HTTP_OPTS_INIT;
	struct http_error err;
	long status;
	char *body = NULL;
	size_t len;

	/* Without a token the same options do follow (the ping tests). */
	o.max_redirects = 3;
	o.timeout_ms = 5000;
	cr_expect_not(http_get(url, token, &o, NULL, 64 * 1024, &status, &body, &len, &err),
		      "a redirect was followed with the token");
	cr_expect_eq(status, 302);
	cr_expect(strstr(err.msg, "redirect to"), "%s", err.msg);
	cr_expect(strstr(err.msg, "/Users/Login.aspx"), "%s", err.msg);
	free(body);
	free(url);
}

/* ---- shapes, without the network ---- */

Test(lt_parse, shapes_and_wrong_shapes)
{
	struct lt_environment *e;
	struct lt_application *a;
	struct lt_module *m;
	size_t n;
	char err[384];
	const char *s;

	s = "{\"Errors\":[\"x\"]}";
	cr_expect_not(lt_parse_environments(s, strlen(s), &e, &n, err, sizeof err));
	cr_expect(strstr(err, "expected a JSON array of environments, got an object"), "%s", err);
	s = "[{\"Name\":\"Dev\"}]";
	cr_expect_not(lt_parse_environments(s, strlen(s), &e, &n, err, sizeof err));
	cr_expect(strstr(err, "environment 1 has no string \"Key\""), "%s", err);
	s = "<html>login</html>";
	cr_expect_not(lt_parse_modules(s, strlen(s), &m, &n, err, sizeof err));
	cr_expect(strstr(err, "not valid JSON"), "%s", err);
	s = "[{\"Key\":\"k\",\"Name\":\"A\",\"AppStatusInEnvs\":{}}]";
	cr_expect_not(lt_parse_applications(s, strlen(s), &a, &n, err, sizeof err));
	cr_expect(strstr(err, "not an array"), "%s", err);
	s = "[{\"Key\":\"k\",\"Name\":\"A\",\"AppStatusInEnvs\":[{\"ConsistencyStatus\":\"OK\"}]}]";
	cr_expect_not(lt_parse_applications(s, strlen(s), &a, &n, err, sizeof err));
	cr_expect(strstr(err, "no EnvironmentKey"), "%s", err);
	s = "[]";
	cr_expect(lt_parse_modules(s, strlen(s), &m, &n, err, sizeof err));
	cr_expect_eq(n, 0);
	lt_modules_free(m, n);
	/* Optional fields missing, messages as an array. */
	s = "[{\"Key\":\"k\",\"Name\":\"A\",\"AppStatusInEnvs\":[{\"EnvironmentKey\":\"e\","
	    "\"ConsistencyStatusMessages\":[\"one\",\"two\"]}]}]";
	cr_assert(lt_parse_applications(s, strlen(s), &a, &n, err, sizeof err), "%s", err);
	cr_expect_null(a[0].envs[0].consistency);
	cr_expect_str_eq(a[0].envs[0].messages, "one; two");
	lt_applications_free(a, n);
}

/* LifeTime is untrusted: a name with a newline, escape codes, C1 or bidi
 * controls is neutralised as it is read, so it can never start a line or
 * act on a terminal in a check detail, the state file, a report or the
 * wizard. */
Test(lt_parse, hostile_names_are_neutralised)
{
	struct lt_environment *e;
	struct lt_application *a;
	size_t n;
	char err[384];
	const char *s;

	s = "[{\"Key\":\"k\",\"Name\":\"Dev\\nChecking fake ... ok\\u202e\\u0085\\u001b[2J\","
	    "\"OSVersion\":\"11.31.0\\u2028x\",\"HostName\":\"h\\r\\n\"}]";
	cr_assert(lt_parse_environments(s, strlen(s), &e, &n, err, sizeof err), "%s", err);
	cr_expect_str_eq(e[0].name, "Dev Checking fake ... ok???[2J");
	cr_expect_str_eq(e[0].os_version, "11.31.0 x");
	cr_expect_str_eq(e[0].host_name, "h? ");
	lt_environments_free(e, n);
	s = "[{\"Key\":\"k\",\"Name\":\"Cust\\nomers\",\"AppStatusInEnvs\":[{\"EnvironmentKey\":\"e\","
	    "\"ConsistencyStatusMessages\":[\"one\\nFAILED\",\"\\u2067two\"]}]}]";
	cr_assert(lt_parse_applications(s, strlen(s), &a, &n, err, sizeof err), "%s", err);
	cr_expect_str_eq(a[0].name, "Cust omers");
	cr_expect_str_eq(a[0].envs[0].messages, "one FAILED; ?two");
	lt_applications_free(a, n);
}

/* ---- the checks ---- */

static struct check_env check_env_for(struct doc *d, struct ctx *ctx)
{
	struct check_env env = { .settings = d, .ctx = ctx, .item = NULL };

	return env;
}

static const struct check_result *only(const struct check_report *rep, const char *id)
{
	cr_assert_eq(rep->n, 1, "%zu results", rep->n);
	cr_assert_str_eq(rep->r[0].id, id);
	return &rep->r[0];
}

static void no_token_in(const struct check_report *rep)
{
	for (size_t i = 0; i < rep->n; i++) {
		const struct check_result *r = &rep->r[i];

		cr_expect(!r->summary || !strstr(r->summary, token));
		cr_expect(!r->detail || !strstr(r->detail, token));
		cr_expect(!r->fix || !strstr(r->fix, token));
	}
}

Test(httpcheck, platform_version_from_lifetime)
{
	struct doc *d = lt_settings(lt_url, token_file, NULL);
	struct check_env env = check_env_for(d, NULL);
	struct check_report rep;
	const struct check_result *r;

	check_report_init(&rep);
	check_platform_version(&env, &rep);
	r = only(&rep, "platform_version");
	cr_expect_eq(r->status, CHECK_OK, "%s", r->summary);
	cr_expect_str_eq(r->summary, "3 environments, lowest 11.31.0.45003 (LifeTime)");
	cr_expect(strstr(r->detail, "Production: 11.31.0.45003"), "%s", r->detail);
	cr_expect(strstr(r->detail, "11.18.0"), "the DLL move fact is noted: %s", r->detail);
	no_token_in(&rep);
	check_report_free(&rep);
	doc_free(d);
}

Test(httpcheck_edited, platform_version_old_environment_fails)
{
	struct doc *d;
	struct check_env env;
	struct check_report rep;
	const struct check_result *r;

	start_with("environments.json",
		   "[{\"Key\":\"e1\",\"Name\":\"Development\",\"OSVersion\":\"11.0.110.0\"},"
		   " {\"Key\":\"e2\",\"Name\":\"Production\",\"OSVersion\":\"11.38.1.2\"}]");
	d = lt_settings(lt_url, token_file, NULL);
	env = check_env_for(d, NULL);
	check_report_init(&rep);
	check_platform_version(&env, &rep);
	r = only(&rep, "platform_version");
	cr_expect_eq(r->status, CHECK_FAILED, "%s", r->summary);
	cr_expect(strstr(r->summary, "1 of 2 environments"), "%s", r->summary);
	cr_expect(strstr(r->detail, "Development: 11.0.110.0  (older than 11.15.0)"), "%s", r->detail);
	cr_expect(strstr(r->detail, "Npgsql 8"), "the 11.38.0 fact is noted: %s", r->detail);
	cr_expect(strstr(r->fix, "Upgrade"), "%s", r->fix);
	check_report_free(&rep);
	doc_free(d);
}

Test(httpcheck_edited, platform_version_missing_osversion_is_error)
{
	struct doc *d;
	struct check_env env;
	struct check_report rep;

	start_with("environments.json", "[{\"Key\":\"e1\",\"Name\":\"Development\"}]");
	d = lt_settings(lt_url, token_file, NULL);
	env = check_env_for(d, NULL);
	check_report_init(&rep);
	check_platform_version(&env, &rep);
	cr_expect_eq(only(&rep, "platform_version")->status, CHECK_ERROR, "%s", rep.r[0].summary);
	check_report_free(&rep);
	doc_free(d);
}

Test(version, platform_version_typed_fallback)
{
	static const struct {
		const char *typed;
		enum check_status st;
		const char *in_summary;
	} cases[] = {
		{ NULL, CHECK_ERROR, "could not check: configure [lifetime] or type the Platform Server version" },
		{ "11.14.2", CHECK_FAILED, "older than 11.15.0" },
		{ "11.0.110.0", CHECK_FAILED, "older than 11.15.0" },
		{ "11.15.0", CHECK_OK, "typed by the operator" },
		{ "11.31.0.45003", CHECK_OK, "11.31.0.45003" },
		{ "eleven", CHECK_ERROR, "not a version" },
		{ "11", CHECK_ERROR, "not a version" },
		{ "11..2", CHECK_ERROR, "not a version" },
	};

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct doc *d = doc_new();
		struct check_env env = check_env_for(d, NULL);
		struct check_report rep;
		const struct check_result *r;

		if (cases[i].typed) {
			doc_add_section(d, "step", "prerequisites");
			doc_set(d, "step", "prerequisites", "field.platform_version", cases[i].typed);
		}
		check_report_init(&rep);
		check_platform_version(&env, &rep);
		r = only(&rep, "platform_version");
		cr_expect_eq(r->status, cases[i].st, "%s: %s", cases[i].typed, r->summary);
		cr_expect(strstr(r->summary, cases[i].in_summary), "%s: %s", cases[i].typed,
			  r->summary);
		if (r->status != CHECK_OK)
			cr_expect(r->fix && *r->fix, "a fix for %s", cases[i].typed);
		check_report_free(&rep);
		doc_free(d);
	}
}

Test(httpcheck, platform_version_lifetime_failing_falls_back_with_warning)
{
	struct doc *d = lt_settings(lt_url, NULL, NULL);
	struct check_env env = check_env_for(d, NULL);
	struct check_report rep;
	const struct check_result *r;

	setenv("OSMIGRATE_LIFETIME_TOKEN", "wrong-token", 1);
	doc_add_section(d, "step", "prerequisites");
	doc_set(d, "step", "prerequisites", "field.platform_version", "11.20.0");
	check_report_init(&rep);
	check_platform_version(&env, &rep);
	r = only(&rep, "platform_version");
	cr_expect_eq(r->status, CHECK_WARNING, "%s", r->summary);
	cr_expect(strstr(r->summary, "401"), "%s", r->summary);
	cr_expect(strstr(r->fix, "Service Accounts"), "%s", r->fix);
	check_report_free(&rep);
	/* Without the typed version the same failure is "could not check". */
	doc_unset(d, "step", "prerequisites", "field.platform_version");
	check_report_init(&rep);
	check_platform_version(&env, &rep);
	cr_expect_eq(only(&rep, "platform_version")->status, CHECK_ERROR);
	check_report_free(&rep);
	unsetenv("OSMIGRATE_LIFETIME_TOKEN");
	doc_free(d);
}

Test(httpcheck, consistency_lists_outdated_applications)
{
	struct doc *d = lt_settings(lt_url, token_file, NULL);
	struct check_env env = check_env_for(d, NULL);
	struct check_report rep;
	const struct check_result *r;

	check_report_init(&rep);
	check_lifetime_consistency(&env, &rep);
	r = only(&rep, "lifetime_consistency");
	cr_expect_eq(r->status, CHECK_FAILED, "%s", r->summary);
	cr_expect_str_eq(r->summary, "1 application is not consistent");
	cr_expect(strstr(r->detail, "Customers in Development: Outdated - Module CustomersUI"),
		  "%s", r->detail);
	cr_expect_null(strstr(r->detail, "Orders in"), "consistent ones are not listed");
	cr_expect(strstr(r->fix, "Republish"), "%s", r->fix);
	no_token_in(&rep);
	check_report_free(&rep);
	doc_free(d);
}

Test(httpcheck_edited, consistency_all_ok)
{
	struct doc *d;
	struct check_env env;
	struct check_report rep;

	start_with("applications.json",
		   "[{\"Key\":\"a\",\"Name\":\"Orders\",\"AppStatusInEnvs\":["
		   "{\"EnvironmentKey\":\"a1b2c3d4-0001-4000-8000-000000000001\",\"ConsistencyStatus\":\"OK\"},"
		   "{\"EnvironmentKey\":\"a1b2c3d4-0003-4000-8000-000000000003\",\"ConsistencyStatus\":\"OK\"}]}]");
	d = lt_settings(lt_url, token_file, NULL);
	env = check_env_for(d, NULL);
	check_report_init(&rep);
	check_lifetime_consistency(&env, &rep);
	cr_expect_eq(only(&rep, "lifetime_consistency")->status, CHECK_OK, "%s", rep.r[0].summary);
	cr_expect_str_eq(rep.r[0].summary, "1 applications in 3 environments, all consistent");
	check_report_free(&rep);
	doc_free(d);
}

Test(httpcheck_edited, consistency_html_answer_is_error)
{
	struct doc *d;
	struct check_env env;
	struct check_report rep;

	start_with("applications.json", "<html><body>Sign in</body></html>");
	d = lt_settings(lt_url, token_file, NULL);
	env = check_env_for(d, NULL);
	check_report_init(&rep);
	check_lifetime_consistency(&env, &rep);
	cr_expect_eq(only(&rep, "lifetime_consistency")->status, CHECK_ERROR);
	cr_expect(strstr(rep.r[0].summary, "not valid JSON"), "%s", rep.r[0].summary);
	check_report_free(&rep);
	doc_free(d);
}

Test(version, lifetime_checks_without_lifetime_are_errors)
{
	struct doc *d = doc_new();
	struct check_env env = check_env_for(d, NULL);
	struct check_report rep;

	check_report_init(&rep);
	check_lifetime_consistency(&env, &rep);
	check_lifetime_environments(&env, &rep);
	cr_assert_eq(rep.n, 2);
	for (size_t i = 0; i < 2; i++) {
		cr_expect_eq(rep.r[i].status, CHECK_ERROR);
		cr_expect(strstr(rep.r[i].summary, "[lifetime] is not configured"));
		cr_expect(strstr(rep.r[i].fix, "[lifetime] url"), "%s", rep.r[i].fix);
	}
	check_report_free(&rep);
	doc_free(d);
}

Test(httpcheck, environments_known_unknown_and_missing)
{
	struct doc *d = lt_settings(lt_url, token_file, NULL);
	struct check_env env = check_env_for(d, NULL);
	struct check_report rep;
	const struct check_result *r;

	doc_add_section(d, "environment", "development");          /* case differs */
	doc_add_section(d, "environment", "Prod");
	doc_set(d, "environment", "Prod", "hostname", "prod.example.internal");
	check_report_init(&rep);
	check_lifetime_environments(&env, &rep);
	r = only(&rep, "lifetime_environments");
	cr_expect_eq(r->status, CHECK_OK, "%s", r->summary);
	cr_expect(strstr(r->summary, "all 2 of yours known"), "%s", r->summary);
	cr_expect(strstr(r->detail, "not in your deploy list: Quality"), "%s", r->detail);
	check_report_free(&rep);

	doc_add_section(d, "environment", "Staging");
	check_report_init(&rep);
	check_lifetime_environments(&env, &rep);
	r = only(&rep, "lifetime_environments");
	cr_expect_eq(r->status, CHECK_WARNING, "%s", r->summary);
	cr_expect(strstr(r->summary, "1 of your 3 environments unknown"), "%s", r->summary);
	cr_expect(strstr(r->detail, "[environment \"Staging\"]: not known to LifeTime"), "%s",
		  r->detail);
	check_report_free(&rep);
	doc_free(d);
}

static struct doc *pings(const char *kind, const char *const *names, const char *const *paths,
			 size_t n)
{
	struct doc *d = doc_new();

	doc_add_section(d, "http", NULL);
	doc_set(d, "http", NULL, "timeout", "2");
	for (size_t i = 0; i < n; i++) {
		doc_add_section(d, kind, names[i]);
		if (paths[i]) {
			char *url = xasprintf("%s%s", http_base, paths[i]);

			doc_set(d, kind, names[i], "url", url);
			free(url);
		}
	}
	return d;
}

Test(httpcheck, consumer_ping_one_result_each_and_item_filter)
{
	const char *names[] = { "Orders", "Pool", "NoUrl" };
	const char *paths[] = { "/OrdersUI/_ping.html", "/PoolDown/_ping.html", NULL };
	struct doc *d = pings("consumer", names, paths, 3);
	struct check_env env = check_env_for(d, NULL);
	struct check_report rep;

	check_report_init(&rep);
	check_consumer_ping(&env, &rep);
	cr_assert_eq(rep.n, 3);
	/* Results without a url come first, then the pings in settings order. */
	cr_expect_str_eq(rep.r[0].id, "consumer_ping:NoUrl");
	cr_expect_eq(rep.r[0].status, CHECK_ERROR);
	cr_expect(strstr(rep.r[0].fix, "[consumer \"NoUrl\"]"), "%s", rep.r[0].fix);
	cr_expect_str_eq(rep.r[1].id, "consumer_ping:Orders");
	cr_expect_eq(rep.r[1].status, CHECK_OK);
	cr_expect_null(rep.r[1].fix);
	cr_expect_gt(rep.r[1].elapsed_ms, 0);
	cr_expect_str_eq(rep.r[2].id, "consumer_ping:Pool");
	cr_expect_eq(rep.r[2].status, CHECK_FAILED);
	check_report_free(&rep);

	env.item = "Pool";
	check_report_init(&rep);
	check_consumer_ping(&env, &rep);
	cr_expect_eq(only(&rep, "consumer_ping:Pool")->status, CHECK_FAILED);
	check_report_free(&rep);
	doc_free(d);

	d = doc_new();
	env = check_env_for(d, NULL);
	check_report_init(&rep);
	check_consumer_ping(&env, &rep);
	cr_expect_eq(only(&rep, "consumer_ping")->status, CHECK_ERROR);
	cr_expect(strstr(rep.r[0].fix, "[consumer \"NAME\"]"), "%s", rep.r[0].fix);
	check_report_free(&rep);
	doc_free(d);
}

Test(httpcheck, server_ping_ids)
{
	const char *names[] = { "dc01", "fe01" };
	const char *paths[] = { "/OrdersUI/_ping.html", "/Missing/_ping.html" };
	struct doc *d = pings("server", names, paths, 2);
	struct check_env env = check_env_for(d, NULL);
	struct check_report rep;

	check_report_init(&rep);
	check_server_ping(&env, &rep);
	cr_assert_eq(rep.n, 2);
	cr_expect_str_eq(rep.r[0].id, "server_ping:dc01");
	cr_expect_eq(rep.r[0].status, CHECK_OK);
	cr_expect_str_eq(rep.r[1].id, "server_ping:fe01");
	cr_expect_eq(rep.r[1].status, CHECK_FAILED);
	cr_expect(strstr(rep.r[1].summary, "404"), "%s", rep.r[1].summary);
	check_report_free(&rep);
	doc_free(d);
}

Test(version, ping_class_statuses)
{
	cr_expect_eq(ping_check_status(PING_OK), CHECK_OK);
	cr_expect_eq(ping_check_status(PING_REDIRECT), CHECK_WARNING);
	cr_expect_eq(ping_check_status(PING_UNEXPECTED), CHECK_WARNING);
	cr_expect_eq(ping_check_status(PING_APP_POOL_DOWN), CHECK_FAILED);
	cr_expect_eq(ping_check_status(PING_TIMEOUT), CHECK_FAILED);
	cr_expect_eq(ping_check_status(PING_SLOW_BODY), CHECK_FAILED);
	cr_expect_eq(ping_check_status(PING_AUTH_REQUIRED), CHECK_WARNING);
	cr_expect_eq(ping_check_status(PING_TLS_UNTRUSTED), CHECK_ERROR);
	cr_expect_eq(ping_check_status(PING_CANCELLED), CHECK_ERROR);
	for (int c = PING_OK; c <= PING_CANCELLED; c++)
		cr_expect_str_neq(ping_class_word((enum ping_class)c), "unknown");
}

/* Parallel pings never take more descriptors than the limit allows. */
Test(http_limit, bounded_by_32_and_by_the_descriptor_limit)
{
	struct rlimit rl, lo;

	cr_assert_eq(getrlimit(RLIMIT_NOFILE, &rl), 0);
	lo = rl;
	if (rl.rlim_max == RLIM_INFINITY || rl.rlim_max >= 4096) {
		lo.rlim_cur = 4096;
		cr_assert_eq(setrlimit(RLIMIT_NOFILE, &lo), 0);
		cr_expect_eq(http_parallel_limit(), HTTP_MAX_IN_FLIGHT, "plenty of descriptors: 32");
	}
	lo.rlim_cur = 64;
	cr_assert_eq(setrlimit(RLIMIT_NOFILE, &lo), 0);
	{
		size_t n = http_parallel_limit();

		cr_expect(n >= 1 && n < HTTP_MAX_IN_FLIGHT, "64 descriptors: fewer in flight (%zu)", n);
		cr_expect(n * HTTP_FDS_PER_XFER + HTTP_FD_RESERVE <= 64, "and within the limit (%zu)", n);
	}
	lo.rlim_cur = 20;
	cr_assert_eq(setrlimit(RLIMIT_NOFILE, &lo), 0);
	cr_expect_eq(http_parallel_limit(), 1, "almost none left: one at a time");
	setrlimit(RLIMIT_NOFILE, &rl);
}
