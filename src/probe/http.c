/* http.c - pings and single GETs over libcurl (see http.h).
 *
 * All transfers, even a single GET, go through the multi interface so that
 * one loop owns the waiting: curl_multi_poll in CTX_POLL_MS slices, checking
 * ctx_cancelled() between slices, with CURLOPT_TIMEOUT_MS bounding each
 * transfer.  A cancelled transfer is removed and reported at once. */
#include "config.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>

#include <curl/curl.h>

#include "http.h"
#include "resolve.h"
#include "sha256.h"
#include "json.h"
#include "text.h"
#include "util.h"

#define PING_MAX_BODY (64 * 1024)
static pthread_once_t curl_once = PTHREAD_ONCE_INIT;
static bool curl_ok;

/* curl_global_init is not thread-safe in every libcurl build: once only. */
static void curl_init_once(void)
{
	curl_ok = curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK;
}

static void curl_ready(void)
{
	pthread_once(&curl_once, curl_init_once);
	if (!curl_ok)
		fatalx("libcurl could not initialise");
}

const char *ping_class_word(enum ping_class c)
{
	switch (c) {
	case PING_OK: return "ok";
	case PING_APP_POOL_DOWN: return "app pool down";
	case PING_NOT_FOUND: return "not found";
	case PING_FORBIDDEN: return "forbidden";
	case PING_REDIRECT: return "redirect";
	case PING_UNEXPECTED: return "not the module's page";
	case PING_AUTH_REQUIRED: return "login required";
	case PING_HTTP_ERROR: return "HTTP error";
	case PING_TLS_UNTRUSTED: return "TLS certificate not trusted";
	case PING_TLS_ERROR: return "TLS error";
	case PING_TIMEOUT: return "timeout";
	case PING_SLOW_BODY: return "page incomplete";
	case PING_DNS: return "name not resolved";
	case PING_REFUSED: return "connection refused";
	case PING_CONNECT_ERROR: return "connection failed";
	case PING_BAD_URL: return "bad URL";
	case PING_CANCELLED: return "cancelled";
	}
	return "unknown";
}

void ping_result_free(struct ping_result *r)
{
	if (!r)
		return;
	free(r->url);
	free(r->location);
	free(r->summary);
	free(r->fix);
	memset(r, 0, sizeof *r);
}

/* ---- transfers ---- */

struct xfer {
	CURL *h;
	char *url;
	struct strbuf body;
	size_t max_body;
	bool too_big;
	bool done;
	CURLcode rc;
	long long t0, elapsed_ms;
	char errbuf[CURL_ERROR_SIZE];
	struct curl_slist *headers;
	struct curl_slist *pin;          /* CURLOPT_RESOLVE entries (token over http) */
	char not_loopback[INET6_ADDRSTRLEN + 1]; /* set when the prereq check refused */
};

static size_t on_body(char *data, size_t size, size_t nmemb, void *ud)
{
	struct xfer *x = ud;
	size_t n = size * nmemb;

	if (x->body.len + n > x->max_body) {
		/* Keep what fits (a ping page is classified from its start), then
		 * stop the transfer: returning less than n aborts it. */
		sb_addn(&x->body, data, x->max_body - x->body.len);
		x->too_big = true;
		return 0;
	}
	sb_addn(&x->body, data, n);
	return n;
}

static long opts_timeout_ms(const struct http_opts *o, const struct ctx *ctx)
{
	if (o && o->timeout_ms > 0)
		return o->timeout_ms;
	return (long)ctx_timeout_s(ctx) * 1000L;
}

static void xfer_init(struct xfer *x, const char *url, const struct http_opts *o,
		      const struct ctx *ctx, size_t max_body)
{
	long tmo = opts_timeout_ms(o, ctx);

	memset(x, 0, sizeof *x);
	x->url = xstrdup(url);
	x->max_body = max_body;
	sb_init(&x->body);
	x->h = curl_easy_init();
	if (!x->h)
		fatalx("libcurl could not create a transfer");
	curl_easy_setopt(x->h, CURLOPT_URL, url);
	curl_easy_setopt(x->h, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(x->h, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(x->h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(x->h, CURLOPT_TIMEOUT_MS, tmo);
	curl_easy_setopt(x->h, CURLOPT_CONNECTTIMEOUT_MS, tmo);
	curl_easy_setopt(x->h, CURLOPT_SSL_VERIFYPEER, 1L);
	curl_easy_setopt(x->h, CURLOPT_SSL_VERIFYHOST, 2L);
	if (o && !str_empty(o->cafile))
		curl_easy_setopt(x->h, CURLOPT_CAINFO, o->cafile);
	if (o && o->max_redirects > 0) {
		curl_easy_setopt(x->h, CURLOPT_FOLLOWLOCATION, 1L);
		curl_easy_setopt(x->h, CURLOPT_MAXREDIRS, (long)o->max_redirects);
	}
	curl_easy_setopt(x->h, CURLOPT_USERAGENT, PACKAGE_NAME "/" PACKAGE_VERSION);
	curl_easy_setopt(x->h, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(x->h, CURLOPT_WRITEDATA, x);
	curl_easy_setopt(x->h, CURLOPT_ERRORBUFFER, x->errbuf);
	curl_easy_setopt(x->h, CURLOPT_PRIVATE, x);
	curl_easy_setopt(x->h, CURLOPT_ACCEPT_ENCODING, "");
}

static void xfer_cleanup(struct xfer *x)
{
	if (x->h)
		curl_easy_cleanup(x->h);
	/* The header list may hold the bearer token. */
	for (struct curl_slist *l = x->headers; l; l = l->next)
		str_wipe(l->data);
	curl_slist_free_all(x->headers);
	curl_slist_free_all(x->pin);
	sb_free(&x->body);
	free(x->url);
	memset(x, 0, sizeof *x);
}

struct done_cb {
	void (*fn)(void *ud, size_t i);
	void *ud;
};

/* Open descriptors of this process (/proc/self/fd), or -1 when unknown. */
static long open_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *e;
	long n = 0;

	if (!d)
		return -1;
	while ((e = readdir(d)))
		if (e->d_name[0] != '.')
			n++;
	closedir(d);
	return n - 1;   /* the directory's own descriptor */
}

size_t http_parallel_limit(void)
{
	struct rlimit rl;
	long used = open_fds(), avail;

	if (getrlimit(RLIMIT_NOFILE, &rl) != 0 || rl.rlim_cur == RLIM_INFINITY)
		return HTTP_MAX_IN_FLIGHT;
	if (used < 0)
		used = HTTP_FD_RESERVE;   /* unknown: assume as many as we keep */
	avail = (rl.rlim_cur > (rlim_t)LONG_MAX ? LONG_MAX : (long)rl.rlim_cur) - used -
		HTTP_FD_RESERVE;
	if (avail < HTTP_FDS_PER_XFER)
		return 1;   /* one at a time: it may still fail, and then says so */
	avail /= HTTP_FDS_PER_XFER;
	return avail < HTTP_MAX_IN_FLIGHT ? (size_t)avail : HTTP_MAX_IN_FLIGHT;
}

/* Run the transfers until all are done or ctx is cancelled (returns false).
 * At most http_parallel_limit() are in flight; the rest wait in order and
 * start (and start their timeout) as earlier ones finish, so 2,000 pings
 * neither exhaust the descriptors nor time out while queued. */
static bool xfer_run(struct xfer *xs, size_t n, struct ctx *ctx, const struct done_cb *cb)
{
	CURLM *m = curl_multi_init();
	size_t left = n, next = 0, active = 0, limit = http_parallel_limit();
	bool cancelled = false;

	if (!m)
		fatalx("libcurl could not create a transfer set");
	/* Idle connections kept for reuse hold descriptors too. */
	curl_multi_setopt(m, CURLMOPT_MAX_TOTAL_CONNECTIONS, (long)limit);
	curl_multi_setopt(m, CURLMOPT_MAXCONNECTS, (long)limit);
	while (left > 0) {
		int running = 0, msgs;
		CURLMsg *msg;

		for (; next < n && active < limit; next++, active++) {
			xs[next].t0 = mono_ms();
			curl_multi_add_handle(m, xs[next].h);
		}
		curl_multi_perform(m, &running);
		while ((msg = curl_multi_info_read(m, &msgs))) {
			struct xfer *x = NULL;

			if (msg->msg != CURLMSG_DONE)
				continue;
			curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, (char **)&x);
			x->rc = msg->data.result;
			x->done = true;
			x->elapsed_ms = mono_ms() - x->t0;
			curl_multi_remove_handle(m, x->h);
			left--;
			active--;
			if (cb && cb->fn)
				cb->fn(cb->ud, (size_t)(x - xs));
		}
		if (left == 0)
			break;
		if (ctx_cancelled(ctx)) {
			cancelled = true;
			break;
		}
		/* A slot came free: start the next ones before waiting. */
		if (next < n && active < limit)
			continue;
		curl_multi_poll(m, NULL, 0, CTX_POLL_MS, NULL);
	}
	for (size_t i = 0; i < next; i++)
		if (!xs[i].done) {
			curl_multi_remove_handle(m, xs[i].h);
			xs[i].elapsed_ms = mono_ms() - xs[i].t0;
		}
	curl_multi_cleanup(m);
	return !cancelled;
}

/* ---- classification ---- */

static char *url_host(const char *url)
{
	CURLU *u = curl_url();
	char *host = NULL, *out;

	if (u && curl_url_set(u, CURLUPART_URL, url, 0) == CURLUE_OK)
		curl_url_get(u, CURLUPART_HOST, &host, 0);
	curl_url_cleanup(u);
	out = xstrdup(host ? host : "?");
	curl_free(host);
	return out;
}

static bool url_is_http(const char *url)
{
	return url && (strncasecmp(url, "http://", 7) == 0 || strncasecmp(url, "https://", 8) == 0);
}

bool http_url_has_userinfo(const char *url)
{
	CURLU *u = curl_url();
	char *user = NULL, *pass = NULL;
	bool has;

	if (!u || curl_url_set(u, CURLUPART_URL, url, 0) != CURLUE_OK) {
		curl_url_cleanup(u);
		/* Unparseable: look for '@' before the path as a fallback. */
		const char *p = strstr(url, "://");
		size_t auth = p ? strcspn(p + 3, "/?#") : 0;

		return p && memchr(p + 3, '@', auth) != NULL;
	}
	curl_url_get(u, CURLUPART_USER, &user, 0);
	curl_url_get(u, CURLUPART_PASSWORD, &pass, 0);
	has = user || pass;
	curl_free(user);
	curl_free(pass);
	curl_url_cleanup(u);
	return has;
}

static const char *const USERINFO_FIX =
	"Remove the user name and password from the URL (https://host/Module/_ping.html): "
	"osmigrate stores URLs in the state file and never stores secrets.";

/* A TLS handshake or set-up that failed for another reason than trust. */
static bool tls_failure(CURLcode rc)
{
	static const CURLcode codes[] = {
		CURLE_SSL_CONNECT_ERROR, CURLE_SSL_CERTPROBLEM, CURLE_SSL_CIPHER,
		CURLE_SSL_ENGINE_NOTFOUND, CURLE_SSL_ENGINE_SETFAILED, CURLE_SSL_ISSUER_ERROR,
		CURLE_SSL_PINNEDPUBKEYNOTMATCH, CURLE_SSL_INVALIDCERTSTATUS,
		CURLE_SSL_SHUTDOWN_FAILED, CURLE_USE_SSL_FAILED,
	};

	for (size_t i = 0; i < OSM_ARRAY_LEN(codes); i++)
		if (codes[i] == rc)
			return true;
	return false;
}

/* Fill cls/summary/fix for a finished transfer that did not get a usable
 * HTTP answer.  Returns false when the transfer did complete (rc OK). */
static bool classify_transport(struct xfer *x, const struct http_opts *o, long tmo_ms,
			       enum ping_class *cls, struct strbuf *sum, struct strbuf *fix)
{
	const char *cas = o && o->cafile_setting ? o->cafile_setting : "[http] cafile";
	const char *tos = o && o->timeout_setting ? o->timeout_setting : "[http] timeout";
	const char *why = x->errbuf[0] ? x->errbuf : curl_easy_strerror(x->rc);
	char *host = url_host(x->url);
	long oserr = 0, status = 0;

	switch (x->rc) {
	case CURLE_OK:
	case CURLE_WRITE_ERROR:  /* our own stop after max_body */
		if (x->rc == CURLE_WRITE_ERROR && !x->too_big)
			break;
		free(host);
		return false;
	case CURLE_UNSUPPORTED_PROTOCOL:
	case CURLE_URL_MALFORMAT:
		*cls = PING_BAD_URL;
		sb_addf(sum, "not a usable http(s) URL (%s)", why);
		sb_add(fix, "Give the full address of the page, e.g. "
			    "https://frontend.example.com/OrdersUI/_ping.html.");
		goto out;
	case CURLE_COULDNT_RESOLVE_HOST:
	case CURLE_COULDNT_RESOLVE_PROXY:
		*cls = PING_DNS;
		sb_addf(sum, "name not resolved: %s", host);
		sb_addf(fix, "Check the host name in the URL; this host's DNS must resolve it "
			     "(try: getent hosts %s). Use the name the front-end is known by "
			     "on your network, or its IP address.", host);
		goto out;
	case CURLE_OPERATION_TIMEDOUT:
		curl_easy_getinfo(x->h, CURLINFO_RESPONSE_CODE, &status);
		if (status > 0) {
			/* The status line and headers came: the server is up and
			 * reachable; only the page did not complete. */
			*cls = PING_SLOW_BODY;
			sb_addf(sum, "answered %ld, but the page did not complete within %.1f s "
				     "(%zu bytes received)", status, (double)tmo_ms / 1000.0,
				x->body.len);
			sb_addf(fix, "%s answered, so it is up and reachable from this host, but sent "
				     "the page too slowly: the server, or a proxy between, is "
				     "overloaded or throttling. Open the URL from this host "
				     "(curl -s -o /dev/null -w '%%{time_total}' URL) to see how long it "
				     "takes, and raise %s if the server is just slow.", host, tos);
			goto out;
		}
		*cls = PING_TIMEOUT;
		sb_addf(sum, "no answer within %.1f s", (double)tmo_ms / 1000.0);
		sb_addf(fix, "%s did not answer in time: check that the server is up and IIS is "
			     "running, that no firewall drops traffic from this host, or raise %s "
			     "if the server is just slow.", host, tos);
		goto out;
	case CURLE_PEER_FAILED_VERIFICATION:
		*cls = PING_TLS_UNTRUSTED;
		sb_addf(sum, "TLS certificate not trusted (%s)", why);
		if (strstr(why, "expired") || strstr(why, "not yet valid")) {
			/* A CA bundle would not help: the dates are the problem. */
			sb_addf(fix, "The certificate of %s is outside its validity dates. Renew it "
				     "on the server (IIS bindings or the load balancer), or if it "
				     "should be valid, check this host's clock (date -u, timedatectl). "
				     "osmigrate never turns certificate verification off.", host);
			goto out;
		}
		sb_addf(fix, "The certificate of %s is not signed by a CA this host trusts, or "
			     "is not issued for that name. Save the CA certificate (PEM) to a file "
			     "and set %s to its path, or install it in the system store "
			     "(update-ca-certificates), and use the name the certificate is "
			     "issued for. osmigrate never turns certificate verification off.",
			host, cas);
		goto out;
	case CURLE_SSL_CACERT_BADFILE:
		*cls = PING_TLS_ERROR;
		sb_addf(sum, "CA bundle unusable (%s)", why);
		sb_addf(fix, "Check that %s names a readable PEM file of CA certificates.", cas);
		goto out;
	case CURLE_COULDNT_CONNECT:
		curl_easy_getinfo(x->h, CURLINFO_OS_ERRNO, &oserr);
		if (oserr == ECONNREFUSED) {
			*cls = PING_REFUSED;
			sb_addf(sum, "connection refused by %s", host);
			sb_addf(fix, "Nothing listens on that port of %s: check that IIS (the web "
				     "site) is running on the server and that the URL's port is right "
				     "(https uses 443, http 80).", host);
			goto out;
		}
		break;
	case CURLE_TOO_MANY_REDIRECTS:
		free(host);
		return false;
	default:
		if (tls_failure(x->rc)) {
			*cls = PING_TLS_ERROR;
			sb_addf(sum, "TLS failed (%s)", why);
			sb_addf(fix, "The TLS handshake with %s failed: check the URL's port speaks "
				     "HTTPS (use http:// for a plain HTTP port) and that the server's "
				     "TLS settings allow TLS 1.2 or later.", host);
			goto out;
		}
		break;
	}
	*cls = PING_CONNECT_ERROR;
	if (oserr)
		sb_addf(sum, "connection failed (%s: %s)", why, strerror((int)oserr));
	else
		sb_addf(sum, "connection failed (%s)", why);
	sb_addf(fix, "Check the URL, that %s is up, and the network path from this host "
		     "(firewall, proxy settings in http_proxy/https_proxy).", host);
out:
	free(host);
	return true;
}

/* The start of a text as one printable line (a page title, a Content-Type). */
static void add_excerpt(struct strbuf *sb, const char *body, size_t len)
{
	size_t shown = 0;
	bool space = false;

	for (size_t i = 0; i < len && shown < 80; i++) {
		unsigned char c = (unsigned char)body[i];

		if (c == '<') {  /* skip markup: the words are what helps */
			while (i < len && body[i] != '>')
				i++;
			space = shown > 0;
			continue;
		}
		if (isspace(c) || c < 0x20 || c == 0x7F) {
			space = shown > 0;
			continue;
		}
		if (space) {
			sb_addc(sb, ' ');
			space = false;
		}
		sb_addc(sb, c >= 0x80 ? '?' : (char)c);
		shown++;
	}
	if (!shown)
		sb_add(sb, "(empty page)");
}

/* Case-insensitive search in the first n bytes (a page is not a C string). */
static const char *find_ci(const char *hay, size_t n, const char *needle)
{
	size_t k = strlen(needle);

	for (size_t i = 0; i + k <= n; i++)
		if (strncasecmp(hay + i, needle, k) == 0)
			return hay + i;
	return NULL;
}

/* A password field: type=password, type="password" or type='password',
 * spaces allowed around '=' (a login or SSO form; a module's static
 * _ping.html has none). */
static bool has_password_field(const char *body, size_t len)
{
	const char *p = body, *end = body + len, *hit;

	while ((hit = find_ci(p, (size_t)(end - p), "password"))) {
		const char *q = hit;

		if (q > body && (q[-1] == '"' || q[-1] == '\''))
			q--;
		while (q > body && q[-1] == ' ')
			q--;
		if (q > body && q[-1] == '=') {
			q--;
			while (q > body && q[-1] == ' ')
				q--;
			if (q - body >= 4 && strncasecmp(q - 4, "type", 4) == 0)
				return true;
		}
		p = hit + 8;
	}
	return false;
}

/* The text of the first <tag>...</tag> (title, h1) as one printable line. */
static bool element_text(const char *body, size_t len, const char *tag, struct strbuf *out)
{
	char open[16], close[16];
	const char *a, *b;

	snprintf(open, sizeof open, "<%s", tag);
	snprintf(close, sizeof close, "</%s", tag);
	if (!(a = find_ci(body, len, open)))
		return false;
	if (!(a = memchr(a, '>', (size_t)(body + len - a))))
		return false;
	a++;
	if (!(b = find_ci(a, (size_t)(body + len - a), close)))
		return false;
	add_excerpt(out, a, (size_t)(b - a));
	return true;
}

/* What error pages of proxies, load balancers and gateways put in their
 * title or first heading. */
static const char *const proxy_error_words[] = {
	"bad gateway", "gateway timeout", "gateway time-out", "proxy error",
	"service unavailable", "error",
};

/* The path of a URL ("/OrdersUI/_ping.html"), allocated; NULL if unparseable. */
static char *url_path(const char *url)
{
	CURLU *u = curl_url();
	char *path = NULL, *out = NULL;

	if (u && curl_url_set(u, CURLUPART_URL, url, 0) == CURLUE_OK &&
	    curl_url_get(u, CURLUPART_PATH, &path, 0) == CURLUE_OK)
		out = xstrdup(path);
	curl_free(path);
	curl_url_cleanup(u);
	return out;
}

/* A 200 answer: is it recognisably not the module's page?  No text of a
 * _ping.html is known (domain.md section 5: a static file deployed with the
 * module, carrying a hash of the deployed application), so any HTML page
 * counts as the module's files, unless it is recognisably something else:
 * the end of a redirect chain to another path, a login or SSO form, a
 * proxy's error page, or not HTML at all.  Appends what it looks like to
 * what and returns true then. */
static bool not_the_module(struct xfer *x, long redirs, const char *eff, struct strbuf *what)
{
	const char *body = sb_str(&x->body);
	size_t len = x->body.len;
	char *ctype = NULL;
	struct strbuf title = STRBUF_INIT;

	if (redirs > 0 && eff) {
		char *want = url_path(x->url), *got = url_path(eff);
		bool other = want && got && strcmp(want, got) != 0;

		free(want);
		free(got);
		if (other) {
			sb_addf(what, "the end of a redirect chain to another path (%s)", eff);
			return true;
		}
	}
	if (has_password_field(body, len)) {
		sb_add(what, "a login or SSO form (it has a password field)");
		if (element_text(body, len, "title", &title))
			sb_addf(what, ": \"%s\"", sb_str(&title));
		sb_free(&title);
		return true;
	}
	if (element_text(body, len, "title", &title) || element_text(body, len, "h1", &title)) {
		for (size_t i = 0; i < OSM_ARRAY_LEN(proxy_error_words); i++)
			if (find_ci(sb_str(&title), title.len, proxy_error_words[i])) {
				sb_addf(what, "an error page, as a proxy or load balancer sends: \"%s\"",
					sb_str(&title));
				sb_free(&title);
				return true;
			}
	}
	sb_free(&title);
	curl_easy_getinfo(x->h, CURLINFO_CONTENT_TYPE, &ctype);
	if (len == 0) {
		sb_add(what, "an empty answer, not an HTML page");
		return true;
	}
	if (ctype && !find_ci(ctype, strlen(ctype), "html")) {
		sb_add(what, "not an HTML page (Content-Type: ");
		add_excerpt(what, ctype, strlen(ctype));
		sb_add(what, ")");
		return true;
	}
	if (!ctype && !memchr(body, '<', len)) {
		sb_add(what, "not an HTML page (no markup, no Content-Type)");
		return true;
	}
	return false;
}

/* The answers of a ping page that say what is wrong with the module. */
static const struct {
	long status;
	enum ping_class cls;
	const char *summary, *fix;
} status_advice[] = {
	{ 503, PING_APP_POOL_DOWN, "503 Service Unavailable: the application pool is down",
	  "On that front-end, start the module's application pool in IIS "
	  "Manager (or restart IIS and the OutSystems services), then check "
	  "again; if it stops again, look at the Windows event log." },
	{ 404, PING_NOT_FOUND, "404 Not Found: nothing at this address",
	  "Either the URL is wrong or the module is not there. Check the URL first: "
	  "host, port, the module name as Service Center spells it, and /_ping.html "
	  "(https://<front-end>/<Module>/_ping.html). If it is right, check in Service "
	  "Center that the module is published and deployed to this front-end, and "
	  "republish it if IIS lost its application." },
	{ 401, PING_AUTH_REQUIRED, "401 Unauthorized: this address requires a login",
	  "The server, or a proxy or SSO layer in front of it, asks for credentials "
	  "before it serves the page, so the module's page could not be seen. Ping the "
	  "front-end directly at an address without authentication, or have "
	  "/<Module>/_ping.html exempted from it." },
	{ 403, PING_FORBIDDEN, "403 Forbidden",
	  "IIS refused the request: the site may require HTTPS (use "
	  "https://), restrict client IP addresses or host names (add this "
	  "host or use the name the site is bound to), or lack file "
	  "permissions for the module's folder." },
};

static void classify_ping(struct xfer *x, const struct http_opts *o, long tmo_ms,
			  struct ping_result *r)
{
	struct strbuf sum = STRBUF_INIT, fix = STRBUF_INIT;
	long status = 0, redirs = 0;
	char *loc = NULL, *eff = NULL;

	r->elapsed_ms = x->elapsed_ms;
	if (!x->done) {
		r->cls = PING_CANCELLED;
		sb_add(&sum, "cancelled before an answer came");
		sb_add(&fix, "The check was cancelled: run it again.");
		goto out;
	}
	curl_easy_getinfo(x->h, CURLINFO_RESPONSE_CODE, &status);
	curl_easy_getinfo(x->h, CURLINFO_REDIRECT_COUNT, &redirs);
	curl_easy_getinfo(x->h, CURLINFO_REDIRECT_URL, &loc);
	curl_easy_getinfo(x->h, CURLINFO_EFFECTIVE_URL, &eff);
	r->status = status;
	r->redirects = redirs;
	if (loc)
		r->location = xstrdup(loc);
	else if (redirs > 0 && eff)
		r->location = xstrdup(eff);
	if (classify_transport(x, o, tmo_ms, &r->cls, &sum, &fix))
		goto out;

	if (x->rc == CURLE_TOO_MANY_REDIRECTS || (status >= 300 && status < 400)) {
		r->cls = PING_REDIRECT;
		if (x->rc == CURLE_TOO_MANY_REDIRECTS)
			sb_addf(&sum, "more than %ld redirects, last to %s", redirs,
				loc ? loc : "(no Location)");
		else
			sb_addf(&sum, "%ld redirect to %s", status, loc ? loc : "(no Location header)");
		if (loc && (str_eq(loc, x->url) || x->rc == CURLE_TOO_MANY_REDIRECTS))
			sb_add(&fix, "The ping page redirects to itself, in a loop: a URL Rewrite "
				     "rule in IIS or a rule on the load balancer or reverse proxy "
				     "sends the request back to the same address. Fix that rule, "
				     "or ping the front-end directly.");
		else if (loc && (str_startswith(loc, "https://") || str_startswith(loc, "HTTPS://")) &&
		    str_startswith(x->url, "http://"))
			sb_add(&fix, "The server sends plain http to https: use the https:// URL "
				     "in the settings.");
		else
			sb_add(&fix, "The ping page should answer directly. A redirect to a login "
				     "page means an authentication layer (SSO, reverse proxy) sits in "
				     "front of the module: ping the front-end directly, or use the "
				     "address the redirect names if that is the module's real address.");
		goto out;
	}
	if (status == 200) {
		struct strbuf what = STRBUF_INIT;

		/* The page's fingerprint: a republished module's page changes
		 * (domain.md section 5).  Only a complete page has one. */
		if (x->rc == CURLE_OK)
			sha256_hex(sb_str(&x->body), x->body.len, r->body_sha256);

		if (not_the_module(x, redirs, r->location, &what)) {
			r->cls = PING_UNEXPECTED;
			sb_addf(&sum, "200, but not the module's page: %s", sb_str(&what));
			sb_add(&fix, "Something other than the module answered at that address (a "
				     "login or SSO layer, a proxy, another site). Open the URL from "
				     "this host (curl -si URL) and ping the front-end itself, at "
				     "https://<front-end>/<Module>/_ping.html, bypassing any "
				     "authentication layer or proxy in front of it.");
		} else {
			r->cls = PING_OK;
			sb_addf(&sum, "200, module files served (%zu bytes)", x->body.len);
			if (redirs)
				sb_addf(&sum, " after %ld redirect%s to %s", redirs,
					redirs == 1 ? "" : "s", r->location ? r->location : "?");
		}
		sb_free(&what);
		goto out;
	}
	for (size_t i = 0; i < OSM_ARRAY_LEN(status_advice); i++)
		if (status_advice[i].status == status) {
			r->cls = status_advice[i].cls;
			sb_add(&sum, status_advice[i].summary);
			sb_add(&fix, status_advice[i].fix);
			goto out;
		}
	r->cls = PING_HTTP_ERROR;
	sb_addf(&sum, "HTTP %ld", status);
	sb_add(&fix, "The server answered with an error: look at Service Center > "
		     "Monitoring > Errors and the IIS logs of that front-end.");
out:
	sb_addf(&sum, ", %lld ms", r->elapsed_ms);
	r->summary = sb_detach(&sum);
	r->fix = r->cls == PING_OK ? NULL : sb_detach(&fix);
	sb_free(&fix);
}

struct ping_progress {
	struct ctx *ctx;
	struct xfer *xs;
	size_t done, n;
};

static void ping_done(void *ud, size_t i)
{
	struct ping_progress *pp = ud;

	pp->done++;
	ctx_progress(pp->ctx, pp->xs[i].url, (long)pp->done, (long)pp->n);
}

void http_ping_many(const char *const *urls, size_t n, const struct http_opts *o,
		    struct ctx *ctx, struct ping_result *out)
{
	struct xfer *xs;
	size_t *map, m = 0;
	long tmo = opts_timeout_ms(o, ctx);
	struct ping_progress pp = { ctx, NULL, 0, 0 };
	struct done_cb cb = { ping_done, &pp };

	if (!n)
		return;
	curl_ready();
	xs = xcalloc(n, sizeof *xs);
	map = xcalloc(n, sizeof *map);
	for (size_t i = 0; i < n; i++) {
		memset(&out[i], 0, sizeof out[i]);
		out[i].url = xstrdup(urls[i] ? urls[i] : "");
		if (url_is_http(urls[i]) && http_url_has_userinfo(urls[i])) {
			/* Do not keep or echo the secret. */
			free(out[i].url);
			out[i].url = xstrdup("(URL with a user name or password, not shown)");
			out[i].cls = PING_BAD_URL;
			out[i].summary = xstrdup("the URL carries a user name or password");
			out[i].fix = xstrdup(USERINFO_FIX);
			continue;
		}
		if (!url_is_http(urls[i])) {
			out[i].cls = PING_BAD_URL;
			out[i].summary = xasprintf("not an http:// or https:// URL: \"%s\"",
						   out[i].url);
			out[i].fix = xstrdup("Give the full address of the page, e.g. "
					     "https://frontend.example.com/OrdersUI/_ping.html.");
			continue;
		}
		xfer_init(&xs[m], urls[i], o, ctx, PING_MAX_BODY);
		map[m++] = i;
	}
	pp.xs = xs;
	pp.n = m;
	xfer_run(xs, m, ctx, &cb);
	for (size_t k = 0; k < m; k++) {
		classify_ping(&xs[k], o, tmo, &out[map[k]]);
		xfer_cleanup(&xs[k]);
	}
	free(xs);
	free(map);
}

/* ---- the token over plain http: this machine only ---- */

/* The host of a plain-http URL that is to receive the token must be this
 * machine: an IP literal that is a loopback address, or a name whose every
 * address is one ("localhost" counts only when it resolves that way;
 * "127.0.0.1.attacker.example" is a name like any other).  For a name, the
 * addresses found are returned as a CURLOPT_RESOLVE entry in *pin (when pin
 * is not NULL) so that libcurl connects to exactly them and never asks DNS
 * again: no answer can change between this check and the connection.
 * The lookup is bounded by the ctx timeout and Esc (resolve.h). */
static bool loopback_only(const char *host, long port, const struct ctx *ctx, struct curl_slist **pin,
			  char *why, size_t whylen)
{
	struct addrinfo *res = NULL;
	enum resolve_status rst;
	char rmsg[256];
	struct strbuf addrs = STRBUF_INIT;
	char bare[256];
	size_t hl = strlen(host);
	bool ok = true;

	if (pin)
		*pin = NULL;
	/* [::1] in a URL, ::1 for the resolver. */
	if (hl >= 2 && host[0] == '[' && host[hl - 1] == ']')
		snprintf(bare, sizeof bare, "%.*s", (int)(hl - 2), host + 1);
	else
		snprintf(bare, sizeof bare, "%s", host);
	{
		struct in_addr a4;
		struct in6_addr a6;

		if (inet_pton(AF_INET, bare, &a4) == 1 || inet_pton(AF_INET6, bare, &a6) == 1) {
			if (ip_is_loopback(bare))
				return true;
			snprintf(why, whylen, "%s is not this machine (a loopback address: "
				 "127.0.0.0/8 or ::1)", host);
			return false;
		}
	}
	res = resolve_host(bare, NULL, ctx, &rst, rmsg, sizeof rmsg);
	if (!res) {
		snprintf(why, whylen, "%s does not resolve here (%s), so it cannot be shown to "
			 "be this machine", host, rst == RESOLVE_OK ? "no address" : rmsg);
		return false;
	}
	for (struct addrinfo *ai = res; ai; ai = ai->ai_next) {
		char ip[INET6_ADDRSTRLEN];
		const void *src = ai->ai_family == AF_INET
			? (const void *)&((struct sockaddr_in *)(void *)ai->ai_addr)->sin_addr
			: (const void *)&((struct sockaddr_in6 *)(void *)ai->ai_addr)->sin6_addr;

		if ((ai->ai_family != AF_INET && ai->ai_family != AF_INET6) ||
		    !inet_ntop(ai->ai_family, src, ip, sizeof ip))
			continue;
		if (!ip_is_loopback(ip)) {
			snprintf(why, whylen, "%s resolves to %s, which is not this machine (a "
				 "loopback address: 127.0.0.0/8 or ::1)", host, ip);
			ok = false;
			break;
		}
		if (!strstr(sb_str(&addrs), ip))  /* one per address, not per socket type */
			sb_addf(&addrs, ai->ai_family == AF_INET6 ? "%s[%s]" : "%s%s",
				addrs.len ? "," : "", ip);
	}
	freeaddrinfo(res);
	if (ok && !addrs.len) {
		snprintf(why, whylen, "%s resolves to no IPv4 or IPv6 address", host);
		ok = false;
	}
	if (ok && pin) {
		char *entry = xasprintf("%s:%ld:%s", bare, port, sb_str(&addrs));

		*pin = curl_slist_append(NULL, entry);
		free(entry);
		if (!*pin)
			fatalx("libcurl could not build the address list");
	}
	sb_free(&addrs);
	return ok;
}

/* CURLOPT_PREREQFUNCTION: called once connected, before the request (and so
 * the Authorization header) is sent.  The pinned addresses make this hold
 * already; checking the address actually connected to keeps it true
 * whatever libcurl did (a reused connection, a build that ignores the pin). */
static int prereq_loopback(void *ud, char *primary_ip, char *local_ip, int primary_port,
			   int local_port)
{
	struct xfer *x = ud;

	(void)local_ip;
	(void)primary_port;
	(void)local_port;
	if (ip_is_loopback(primary_ip))
		return CURL_PREREQFUNC_OK;
	snprintf(x->not_loopback, sizeof x->not_loopback, "%s", primary_ip ? primary_ip : "?");
	return CURL_PREREQFUNC_ABORT;
}

/* How a request carrying the token leaves this process.  Over https the
 * header is inside TLS to the host named in the URL (certificate and name
 * verified); a proxy, if any, only relays the CONNECT tunnel.  Over plain
 * http it goes only to this machine: the host must resolve to loopback
 * (loopback_only, whose addresses are pinned), every proxy is bypassed
 * (CURLOPT_NOPROXY "*": http_proxy, HTTP_PROXY, ALL_PROXY would otherwise
 * receive the header in clear text, and a proxy's 127.0.0.1 is not ours),
 * and the connected address is checked again before sending.  Redirects
 * are never followed with the token, whatever the options say: a 3xx is
 * reported with the address it names, so the header can go neither to
 * another host nor down to http (CURLOPT_FOLLOWLOCATION off,
 * CURLOPT_UNRESTRICTED_AUTH off, and only https left as a redirect
 * protocol should anything turn following back on).  Returns false with
 * why filled when the request must not be made. */
static bool guard_token(struct xfer *x, const char *url, const struct ctx *ctx, char *why,
			size_t whylen)
{
	CURLU *u = curl_url();
	char *scheme = NULL, *host = NULL, *port = NULL;
	bool ok = false;

	if (!u || curl_url_set(u, CURLUPART_URL, url, 0) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_HOST, &host, 0) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_PORT, &port, CURLU_DEFAULT_PORT) != CURLUE_OK) {
		snprintf(why, whylen, "the URL could not be parsed");
		goto out;
	}
	curl_easy_setopt(x->h, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt(x->h, CURLOPT_UNRESTRICTED_AUTH, 0L);
	curl_easy_setopt(x->h, CURLOPT_REDIR_PROTOCOLS_STR, "https");
	if (strcasecmp(scheme, "https") == 0) {
		ok = true;
		goto out;
	}
	if (!loopback_only(host, strtol(port, NULL, 10), ctx, &x->pin, why, whylen))
		goto out;
	if (x->pin)
		curl_easy_setopt(x->h, CURLOPT_RESOLVE, x->pin);
	curl_easy_setopt(x->h, CURLOPT_NOPROXY, "*");
	curl_easy_setopt(x->h, CURLOPT_PREREQFUNCTION, prereq_loopback);
	curl_easy_setopt(x->h, CURLOPT_PREREQDATA, x);
	ok = true;
out:
	curl_free(scheme);
	curl_free(host);
	curl_free(port);
	curl_url_cleanup(u);
	return ok;
}

/* ---- single GET ---- */

bool http_get(const char *url, const char *bearer, const struct http_opts *o,
	      struct ctx *ctx, size_t max_body, long *status, char **body, size_t *len,
	      struct http_error *err)
{
	struct xfer x;
	long tmo = opts_timeout_ms(o, ctx);
	struct strbuf sum = STRBUF_INIT, fix = STRBUF_INIT;
	enum ping_class cls;
	bool ok = false;

	memset(err, 0, sizeof *err);
	*status = 0;
	*body = NULL;
	*len = 0;
	if (url_is_http(url) && http_url_has_userinfo(url)) {
		err->cls = PING_BAD_URL;
		snprintf(err->msg, sizeof err->msg, "the URL carries a user name or password");
		snprintf(err->fix, sizeof err->fix, "%s", USERINFO_FIX);
		return false;
	}
	if (!url_is_http(url)) {
		err->cls = PING_BAD_URL;
		snprintf(err->msg, sizeof err->msg, "not an http:// or https:// URL");
		snprintf(err->fix, sizeof err->fix, "Give the full https:// address.");
		return false;
	}
	curl_ready();
	xfer_init(&x, url, o, ctx, max_body);
	curl_easy_setopt(x.h, CURLOPT_HTTPHEADER, NULL);
	x.headers = curl_slist_append(NULL, "Accept: application/json");
	if (bearer) {
		char why[384], *h;

		if (!guard_token(&x, url, ctx, why, sizeof why)) {
			err->cls = PING_BAD_URL;
			snprintf(err->msg, sizeof err->msg,
				 "refusing to send the token over plain http: %s", why);
			snprintf(err->fix, sizeof err->fix, "%s", HTTP_PLAIN_TOKEN_FIX);
			goto out;
		}
		h = xasprintf("Authorization: Bearer %s", bearer);

		x.headers = curl_slist_append(x.headers, h);
		str_wipe(h);
		free(h);
	}
	if (!x.headers)
		fatalx("libcurl could not build request headers");
	curl_easy_setopt(x.h, CURLOPT_HTTPHEADER, x.headers);

	if (!xfer_run(&x, 1, ctx, NULL)) {
		err->cls = PING_CANCELLED;
		snprintf(err->msg, sizeof err->msg, "cancelled");
		snprintf(err->fix, sizeof err->fix, "The request was cancelled: run it again.");
		goto out;
	}
	if (x.not_loopback[0]) {
		err->cls = PING_CONNECT_ERROR;
		snprintf(err->msg, sizeof err->msg, "refused to send the token over plain http: "
			 "the connection went to %s, which is not this machine", x.not_loopback);
		snprintf(err->fix, sizeof err->fix, "%s", HTTP_PLAIN_TOKEN_FIX);
		goto out;
	}
	curl_easy_getinfo(x.h, CURLINFO_RESPONSE_CODE, status);
	err->status = *status;
	if (x.too_big) {
		err->cls = PING_HTTP_ERROR;
		snprintf(err->msg, sizeof err->msg, "the answer is larger than %zu bytes", max_body);
		snprintf(err->fix, sizeof err->fix,
			 "Check the URL points at the API and not at a download.");
		goto out;
	}
	if (classify_transport(&x, o, tmo, &cls, &sum, &fix)) {
		err->cls = cls;
		snprintf(err->msg, sizeof err->msg, "%s", sb_str(&sum));
		snprintf(err->fix, sizeof err->fix, "%s", sb_str(&fix));
		goto out;
	}
	*len = x.body.len;
	*body = sb_detach(&x.body);
	if (!*body)
		*body = xstrdup("");
	if (*status < 200 || *status > 299) {
		char *loc = NULL;

		err->cls = PING_HTTP_ERROR;
		curl_easy_getinfo(x.h, CURLINFO_REDIRECT_URL, &loc);
		if (loc)
			snprintf(err->msg, sizeof err->msg, "HTTP %ld redirect to %s", *status, loc);
		else
			snprintf(err->msg, sizeof err->msg, "HTTP %ld", *status);
		goto out;
	}
	ok = true;
out:
	sb_free(&sum);
	sb_free(&fix);
	xfer_cleanup(&x);
	return ok;
}

/* ---- for the LifeTime client (lifetime.c) ---- */

bool http_url_split(const char *url, char **scheme, char **host)
{
	CURLU *u;
	char *s = NULL, *h = NULL;
	bool ok;

	*scheme = *host = NULL;
	curl_ready();
	u = curl_url();
	ok = u && curl_url_set(u, CURLUPART_URL, url, 0) == CURLUE_OK &&
	     curl_url_get(u, CURLUPART_SCHEME, &s, 0) == CURLUE_OK &&
	     curl_url_get(u, CURLUPART_HOST, &h, 0) == CURLUE_OK;
	if (ok) {
		*scheme = xstrdup(s);
		*host = xstrdup(h);
	}
	curl_free(s);
	curl_free(h);
	curl_url_cleanup(u);
	return ok;
}

bool http_host_is_loopback(const char *host, const struct ctx *ctx, char *why, size_t whylen)
{
	return loopback_only(host, 0, ctx, NULL, why, whylen);
}
