/* lifetime.c - the LifeTime Deployment API v2 client (see lifetime.h),
 * over http_get (http.h). */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "json.h"
#include "lifetime.h"
#include "text.h"
#include "util.h"

#define LT_MAX_BODY (16 * 1024 * 1024)

/* A token goes into a header line: refuse anything that could break it. */
static bool token_usable(const char *t)
{
	if (str_empty(t) || strlen(t) > 4096)
		return false;
	for (const unsigned char *p = (const unsigned char *)t; *p; p++)
		if (*p <= 0x20 || *p >= 0x7F)
			return false;
	return true;
}

static char *read_token_file(const char *path, char *msg, size_t msglen, char *fix,
			     size_t fixlen)
{
	char buf[8192];
	struct stat st;
	ssize_t n;
	size_t got = 0;
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	char *tok;

	if (fd < 0) {
		snprintf(msg, msglen, "cannot read the LifeTime token file %s: %s", path,
			 strerror(errno));
		snprintf(fix, fixlen, "Check [lifetime] token_file names a file you can read, "
				      "or give the token in OSMIGRATE_LIFETIME_TOKEN.");
		return NULL;
	}
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		snprintf(msg, msglen, "the LifeTime token file %s is not a regular file", path);
		snprintf(fix, fixlen, "Point [lifetime] token_file at a plain file holding "
				      "only the token.");
		return NULL;
	}
	if (st.st_mode & 077) {
		close(fd);
		snprintf(msg, msglen, "refusing the LifeTime token file %s: its mode %03o lets "
				      "other users read it", path, (unsigned)(st.st_mode & 0777));
		snprintf(fix, fixlen, "Run: chmod 600 %s (and consider creating a new token, "
				      "since others could read this one).", path);
		return NULL;
	}
	while (got < sizeof buf - 1 && (n = read(fd, buf + got, sizeof buf - 1 - got)) != 0) {
		if (n < 0) {
			if (errno == EINTR)
				continue;
			snprintf(msg, msglen, "cannot read the LifeTime token file %s: %s", path,
				 strerror(errno));
			snprintf(fix, fixlen, "Check the file, or give the token in "
					      "OSMIGRATE_LIFETIME_TOKEN.");
			close(fd);
			for (volatile char *p = buf; p < buf + sizeof buf; p++)
				*p = 0;
			return NULL;
		}
		got += (size_t)n;
	}
	close(fd);
	buf[got] = '\0';
	tok = xstrdup(str_trim(buf));
	for (volatile char *p = buf; p < buf + sizeof buf; p++)
		*p = 0;
	return tok;
}

static long parse_timeout_ms(const char *s)
{
	char *end;
	long v;

	if (str_empty(s))
		return 0;
	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || *end || v <= 0 || v > 3600)
		return 0;
	return v * 1000;
}

enum lt_setup lifetime_open(const struct doc *settings, struct ctx *ctx, struct lifetime *lt,
			    char *msg, size_t msglen, char *fix, size_t fixlen)
{
	const char *url = doc_get(settings, "lifetime", NULL, "url");
	const char *cafile, *tfile, *env;
	char *scheme = NULL, *host = NULL, *tok = NULL;
	enum lt_setup refused = LT_BAD_CONFIG;
	bool parsed;
	size_t ul;

	memset(lt, 0, sizeof *lt);
	msg[0] = fix[0] = '\0';
	if (str_empty(url))
		return LT_NOT_CONFIGURED;
	parsed = http_url_split(url, &scheme, &host);
	if (parsed && http_url_has_userinfo(url)) {
		snprintf(msg, msglen, "[lifetime] url carries a user name or password");
		snprintf(fix, fixlen, "Remove them from [lifetime] url: LifeTime authenticates "
				      "with the service account token, and osmigrate never stores secrets.");
		goto bad;
	}
	if (!parsed || (!str_eq(scheme, "https") && !str_eq(scheme, "http"))) {
		snprintf(msg, msglen, "[lifetime] url is not an http(s) URL: %s", url);
		snprintf(fix, fixlen, "Set [lifetime] url to the API base, e.g. "
				      "https://lifetime.example.com/lifetimeapi/rest/v2");
		goto bad;
	}
	/* Said here, before any token is read; http_get holds to it again for
	 * every request (guard_token). */
	if (str_eq(scheme, "http")) {
		char why[384];

		if (!http_host_is_loopback(host, ctx, why, sizeof why)) {
			snprintf(msg, msglen, "refusing to send the LifeTime token over plain http: "
				 "%s", why);
			snprintf(fix, fixlen, "%s", HTTP_PLAIN_TOKEN_FIX);
			goto bad;
		}
	}
	free(scheme);
	free(host);
	scheme = host = NULL;

	lt->url = xstrdup(url);
	ul = strlen(lt->url);
	while (ul > 0 && lt->url[ul - 1] == '/')
		lt->url[--ul] = '\0';
	cafile = doc_get(settings, "lifetime", NULL, "cafile");
	if (str_empty(cafile))
		cafile = doc_get(settings, "http", NULL, "cafile");
	lt->cafile = str_empty(cafile) ? NULL : xstrdup(cafile);
	lt->http.cafile = lt->cafile;
	lt->http.cafile_setting = "[lifetime] cafile";
	lt->http.timeout_setting = "[http] timeout";
	lt->http.timeout_ms = parse_timeout_ms(doc_get(settings, "http", NULL, "timeout"));

	if (ctx && ctx->secrets && !str_empty(ctx->secrets->lifetime_token)) {
		tok = xstrdup(ctx->secrets->lifetime_token);
	} else if (!str_empty(env = getenv("OSMIGRATE_LIFETIME_TOKEN"))) {
		tok = xstrdup(env);
	} else if (!str_empty(tfile = doc_get(settings, "lifetime", NULL, "token_file"))) {
		if (!(tok = read_token_file(tfile, msg, msglen, fix, fixlen)))
			goto bad;
	} else {
		snprintf(msg, msglen, "no LifeTime token");
		snprintf(fix, fixlen, "Give the service account token in "
				      "OSMIGRATE_LIFETIME_TOKEN, or in a file named by [lifetime] "
				      "token_file (mode 0600), or type it on the LifeTime screen. "
				      "It is kept in memory only.");
		refused = LT_NO_TOKEN;
		goto bad;
	}
	if (!token_usable(tok)) {
		snprintf(msg, msglen, "the LifeTime token is empty or contains spaces or "
				      "control characters");
		snprintf(fix, fixlen, "Paste the token exactly as LifeTime showed it, on one "
				      "line.");
		goto bad;
	}
	lt->token = tok;
	if (ctx && ctx->secrets && str_empty(ctx->secrets->lifetime_token)) {
		free(ctx->secrets->lifetime_token);
		ctx->secrets->lifetime_token = xstrdup(tok);
	}
	return LT_READY;
bad:
	if (tok) {
		str_wipe(tok);
		free(tok);
	}
	free(scheme);
	free(host);
	lifetime_close(lt);
	return refused;
}

void lifetime_close(struct lifetime *lt)
{
	if (!lt)
		return;
	if (lt->token) {
		str_wipe(lt->token);
		free(lt->token);
	}
	free(lt->url);
	free(lt->cafile);
	memset(lt, 0, sizeof *lt);
}

/* Every string LifeTime sends is untrusted: neutralised once, here, so a
 * name with a newline, escape codes or bidi controls cannot start a line
 * or act on a terminal in any check detail, the state file, the report or
 * the wizard (text.h). */
static char *dupn(const char *s)
{
	return s ? text_safe(s) : NULL;
}

static bool want_array(const struct json *j, const char *what, char *err, size_t errlen)
{
	if (j->type == JSON_ARRAY)
		return true;
	snprintf(err, errlen, "expected a JSON array of %s, got %s %s", what,
		 j->type == JSON_OBJECT || j->type == JSON_ARRAY ? "an" : "a",
		 json_type_name(j->type));
	return false;
}

/* Parse a LifeTime answer that must be a JSON array of `what`; NULL with err filled otherwise. */
static struct json *parse_array(const char *body, size_t len, const char *what, char *err,
				size_t errlen)
{
	char jerr[256];
	struct json *j = json_parse(body, len, jerr, sizeof jerr);

	if (!j) {
		snprintf(err, errlen, "the answer is not valid JSON (%s)", jerr);
		return NULL;
	}
	if (!want_array(j, what, err, errlen)) {
		json_free(j);
		return NULL;
	}
	return j;
}

static bool need_str(const struct json *o, const char *key, size_t i, const char *what,
		     char *err, size_t errlen)
{
	if (json_get_str(o, key))
		return true;
	snprintf(err, errlen, "%s %zu has no string \"%s\"", what, i + 1, key);
	return false;
}

/* How to read one kind of LifeTime list: every entry an object with a
 * string Key and Name; fill copies the rest of one entry. */
struct lt_list {
	const char *what, *one;   /* "environments", "environment" */
	const char *const *need;  /* string keys every entry has; NULL: Key and Name */
	size_t size;              /* of one entry */
	bool (*fill)(const struct json *o, void *entry, char *err, size_t errlen);
	void (*drop)(void *entries, size_t n);
};

static bool parse_list(const struct lt_list *t, const char *body, size_t len, void **out,
		       size_t *n, char *err, size_t errlen)
{
	struct json *j = parse_array(body, len, t->what, err, errlen);
	char *entries;
	size_t cnt;

	*out = NULL;
	*n = 0;
	if (!j)
		return false;
	cnt = json_count(j);
	entries = xcalloc(cnt ? cnt : 1, t->size);
	for (size_t i = 0; i < cnt; i++) {
		static const char *const key_name[] = { "Key", "Name", NULL };
		const struct json *o = json_at(j, i);
		bool ok = true;

		for (const char *const *k = t->need ? t->need : key_name; ok && *k; k++)
			ok = need_str(o, *k, i, t->one, err, errlen);
		if (!ok || !t->fill(o, entries + i * t->size, err, errlen)) {
			t->drop(entries, cnt);
			json_free(j);
			return false;
		}
	}
	json_free(j);
	*out = entries;
	*n = cnt;
	return true;
}

void lt_environments_free(struct lt_environment *e, size_t n)
{
	for (size_t i = 0; e && i < n; i++) {
		free(e[i].key);
		free(e[i].name);
		free(e[i].os_version);
		free(e[i].host_name);
		free(e[i].environment_type);
		free(e[i].app_server_type);
		free(e[i].database_provider);
	}
	free(e);
}

static void drop_environments(void *e, size_t n)
{
	lt_environments_free(e, n);
}

static bool fill_environment(const struct json *o, void *entry, char *err, size_t errlen)
{
	struct lt_environment *e = entry;

	e->key = dupn(json_get_str(o, "Key"));
	e->name = dupn(json_get_str(o, "Name"));
	e->os_version = dupn(json_get_str(o, "OSVersion"));
	e->host_name = dupn(json_get_str(o, "HostName"));
	e->environment_type = dupn(json_get_str(o, "EnvironmentType"));
	e->app_server_type = dupn(json_get_str(o, "ApplicationServerType"));
	e->database_provider = dupn(json_get_str(o, "DatabaseProvider"));
	e->order = -1;
	e->front_ends = -1;
	json_get_int(o, "Order", &e->order);
	json_get_int(o, "NumberOfFrontEnds", &e->front_ends);
	json_get_bool(o, "UseHTTPS", &e->use_https);
	json_get_bool(o, "IsCloudEnvironment", &e->is_cloud);
	return true;
}

static const struct lt_list environments_list = {
	"environments", "environment", NULL, sizeof(struct lt_environment), fill_environment, drop_environments,
};

bool lt_parse_environments(const char *body, size_t len, struct lt_environment **out,
			   size_t *n, char *err, size_t errlen)
{
	void *v;
	bool ok = parse_list(&environments_list, body, len, &v, n, err, errlen);

	*out = v;
	return ok;
}

void lt_applications_free(struct lt_application *a, size_t n)
{
	for (size_t i = 0; a && i < n; i++) {
		free(a[i].key);
		free(a[i].name);
		free(a[i].kind);
		free(a[i].url_path);
		for (size_t k = 0; k < a[i].n_envs; k++) {
			struct lt_app_status *s = &a[i].envs[k];

			free(s->environment_key);
			free(s->consistency);
			free(s->messages);
			for (size_t m = 0; m < s->n_modules; m++) {
				free(s->modules[m].module_version_key);
				free(s->modules[m].consistency);
			}
			free(s->modules);
		}
		free(a[i].envs);
	}
	free(a);
}

static void drop_applications(void *a, size_t n)
{
	lt_applications_free(a, n);
}

/* ConsistencyStatusMessages is a string in the recorded answers; accept an
 * array of strings too (joined with "; ") rather than fail on it. */
static char *messages_text(const struct json *v)
{
	struct strbuf sb = STRBUF_INIT;

	if (!v)
		return NULL;
	if (v->type == JSON_STRING)
		return text_safe(v->str);
	if (v->type != JSON_ARRAY)
		return NULL;
	for (size_t i = 0; i < v->n; i++)
		if (v->items[i]->type == JSON_STRING)
			sb_addf(&sb, "%s%s", sb.len ? "; " : "", v->items[i]->str);
	{
		char *r = text_safe(sb_str(&sb));

		sb_free(&sb);
		return r;
	}
}

static bool fill_application(const struct json *o, void *entry, char *err, size_t errlen)
{
	struct lt_application *a = entry;
	const struct json *envs = json_get(o, "AppStatusInEnvs");

	a->key = dupn(json_get_str(o, "Key"));
	a->name = dupn(json_get_str(o, "Name"));
	a->kind = dupn(json_get_str(o, "Kind"));
	a->url_path = dupn(json_get_str(o, "URLPath"));
	json_get_bool(o, "IsSystem", &a->is_system);
	if (envs && envs->type != JSON_ARRAY && envs->type != JSON_NULL) {
		snprintf(err, errlen, "application %s: AppStatusInEnvs is not an array", a->name);
		return false;
	}
	a->n_envs = json_count(envs);
	a->envs = xcalloc(a->n_envs ? a->n_envs : 1, sizeof *a->envs);
	for (size_t k = 0; k < a->n_envs; k++) {
		const struct json *so = json_at(envs, k);
		const struct json *mods = json_get(so, "ModuleStatusInEnvs");
		struct lt_app_status *s = &a->envs[k];

		if (!json_get_str(so, "EnvironmentKey")) {
			snprintf(err, errlen, "application %s: status %zu has no EnvironmentKey",
				 a->name, k + 1);
			return false;
		}
		s->environment_key = dupn(json_get_str(so, "EnvironmentKey"));
		s->consistency = dupn(json_get_str(so, "ConsistencyStatus"));
		s->messages = messages_text(json_get(so, "ConsistencyStatusMessages"));
		json_get_bool(so, "IsModified", &s->is_modified);
		s->n_modules = json_count(mods);
		s->modules = xcalloc(s->n_modules ? s->n_modules : 1, sizeof *s->modules);
		for (size_t m = 0; m < s->n_modules; m++) {
			const struct json *mo = json_at(mods, m);

			s->modules[m].module_version_key = dupn(json_get_str(mo, "ModuleVersionKey"));
			s->modules[m].consistency = dupn(json_get_str(mo, "ConsistencyStatus"));
		}
	}
	return true;
}

static const struct lt_list applications_list = {
	"applications", "application", NULL, sizeof(struct lt_application), fill_application, drop_applications,
};

bool lt_parse_applications(const char *body, size_t len, struct lt_application **out,
			   size_t *n, char *err, size_t errlen)
{
	void *v;
	bool ok = parse_list(&applications_list, body, len, &v, n, err, errlen);

	*out = v;
	return ok;
}

void lt_modules_free(struct lt_module *m, size_t n)
{
	for (size_t i = 0; m && i < n; i++) {
		free(m[i].key);
		free(m[i].name);
		free(m[i].kind);
	}
	free(m);
}

static void drop_modules(void *m, size_t n)
{
	lt_modules_free(m, n);
}

static bool fill_module(const struct json *o, void *entry, char *err, size_t errlen)
{
	struct lt_module *m = entry;

	m->key = dupn(json_get_str(o, "Key"));
	m->name = dupn(json_get_str(o, "Name"));
	m->kind = dupn(json_get_str(o, "Kind"));
	return true;
}

static const struct lt_list modules_list = {
	"modules", "module", NULL, sizeof(struct lt_module), fill_module, drop_modules,
};

bool lt_parse_modules(const char *body, size_t len, struct lt_module **out, size_t *n,
		      char *err, size_t errlen)
{
	void *v;
	bool ok = parse_list(&modules_list, body, len, &v, n, err, errlen);

	*out = v;
	return ok;
}

/* ---- database connections (11.13.0+), deployments, missing mappings (11.21.1+) ---- */

void lt_dbconnections_free(struct lt_dbconnection *c, size_t n)
{
	for (size_t i = 0; c && i < n; i++) {
		free(c[i].name);
		free(c[i].description);
		free(c[i].provider);
	}
	free(c);
}

static void drop_dbconnections(void *c, size_t n)
{
	lt_dbconnections_free(c, n);
}

static bool fill_dbconnection(const struct json *o, void *entry, char *err, size_t errlen)
{
	struct lt_dbconnection *c = entry;

	(void)err;
	(void)errlen;
	c->name = dupn(json_get_str(o, "dbConnectionName"));
	c->description = dupn(json_get_str(o, "description"));
	c->provider = dupn(json_get_str(o, "providerName"));
	c->advanced_known = json_get_bool(o, "isAdvancedConfiguration", &c->advanced);
	/* databaseConfiguration is not read: it may hold connection details
	 * that have no business in a state file or a report. */
	return true;
}

static const char *const dbconnection_need[] = { "dbConnectionName", NULL };
static const struct lt_list dbconnections_list = {
	"database connections", "database connection", dbconnection_need,
	sizeof(struct lt_dbconnection), fill_dbconnection, drop_dbconnections,
};

bool lt_parse_dbconnections(const char *body, size_t len, struct lt_dbconnection **out,
			    size_t *n, char *err, size_t errlen)
{
	void *v;
	bool ok = parse_list(&dbconnections_list, body, len, &v, n, err, errlen);

	*out = v;
	return ok;
}

void lt_deployments_free(struct lt_deployment *d, size_t n)
{
	for (size_t i = 0; d && i < n; i++) {
		free(d[i].key);
		free(d[i].target_environment_key);
	}
	free(d);
}

static void drop_deployments(void *d, size_t n)
{
	lt_deployments_free(d, n);
}

static bool fill_deployment(const struct json *o, void *entry, char *err, size_t errlen)
{
	struct lt_deployment *d = entry;

	(void)err;
	(void)errlen;
	d->key = dupn(json_get_str(o, "Key"));
	d->target_environment_key = dupn(json_get_str(o, "TargetEnvironmentKey"));
	return true;
}

static const char *const deployment_need[] = { "Key", NULL };
static const struct lt_list deployments_list = {
	"deployments", "deployment", deployment_need, sizeof(struct lt_deployment),
	fill_deployment, drop_deployments,
};

bool lt_parse_deployments(const char *body, size_t len, struct lt_deployment **out,
			  size_t *n, char *err, size_t errlen)
{
	void *v;
	bool ok = parse_list(&deployments_list, body, len, &v, n, err, errlen);

	*out = v;
	return ok;
}

void lt_missing_mappings_free(struct lt_missing_mapping *m, size_t n)
{
	for (size_t i = 0; m && i < n; i++) {
		free(m[i].extension_key);
		free(m[i].extension_name);
		free(m[i].logical_database);
	}
	free(m);
}

static void drop_missing_mappings(void *m, size_t n)
{
	lt_missing_mappings_free(m, n);
}

static bool fill_missing_mapping(const struct json *o, void *entry, char *err, size_t errlen)
{
	struct lt_missing_mapping *m = entry;

	(void)err;
	(void)errlen;
	m->extension_key = dupn(json_get_str(o, "ExtensionKey"));
	m->extension_name = dupn(json_get_str(o, "ExtensionName"));
	m->logical_database = dupn(json_get_str(o, "LogicalDatabase"));
	return true;
}

static const char *const missing_mapping_need[] = { "LogicalDatabase", NULL };
static const struct lt_list missing_mappings_list = {
	"missing database mappings", "missing mapping", missing_mapping_need,
	sizeof(struct lt_missing_mapping), fill_missing_mapping, drop_missing_mappings,
};

bool lt_parse_missing_mappings(const char *body, size_t len, struct lt_missing_mapping **out,
			       size_t *n, char *err, size_t errlen)
{
	void *v;
	bool ok = parse_list(&missing_mappings_list, body, len, &v, n, err, errlen);

	*out = v;
	return ok;
}

bool lt_parse_deployment_status(const char *body, size_t len, char **status, char **info,
				char *err, size_t errlen)
{
	char jerr[256];
	struct json *j = json_parse(body, len, jerr, sizeof jerr);

	*status = *info = NULL;
	if (!j) {
		snprintf(err, errlen, "the answer is not valid JSON (%s)", jerr);
		return false;
	}
	if (j->type != JSON_OBJECT || !json_get_str(j, "DeploymentStatus")) {
		snprintf(err, errlen, "expected an object with a string \"DeploymentStatus\"");
		json_free(j);
		return false;
	}
	*status = dupn(json_get_str(j, "DeploymentStatus"));
	*info = dupn(json_get_str(j, "Info"));
	json_free(j);
	return true;
}

/* A key or a name in a URL path: every byte but the unreserved ones
 * percent-encoded, so nothing LifeTime or the operator wrote can add a
 * path segment, a query or a fragment. */
static char *path_segment(const char *s)
{
	struct strbuf sb = STRBUF_INIT;

	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
		    *p == '-' || *p == '_' || *p == '.' || *p == '~')
			sb_addf(&sb, "%c", *p);
		else
			sb_addf(&sb, "%%%02X", *p);
	}
	return sb_detach(&sb);
}

/* GET base+path with the token; on success the body (caller frees). */
static char *lt_get(struct lifetime *lt, struct ctx *ctx, const char *path, size_t *len,
		    struct http_error *err)
{
	char *url = xasprintf("%s%s", lt->url, path);
	char *body = NULL;
	long status = 0;
	bool ok = http_get(url, lt->token, &lt->http, ctx, LT_MAX_BODY, &status, &body, len, err);

	if (!ok && err->cls == PING_HTTP_ERROR && status) {
		const char *what = "";

		switch (status) {
		case 401:
			snprintf(err->msg, sizeof err->msg,
				 "LifeTime refused the token (HTTP 401) for %s", url);
			snprintf(err->fix, sizeof err->fix,
				 "The token is wrong, expired or its service account was deleted: "
				 "create a new token in LifeTime (User Management > Service Accounts) "
				 "and give it via OSMIGRATE_LIFETIME_TOKEN or [lifetime] token_file "
				 "(mode 0600).");
			break;
		case 403:
			snprintf(err->msg, sizeof err->msg,
				 "LifeTime denied access (HTTP 403) to %s", url);
			snprintf(err->fix, sizeof err->fix,
				 "Give the service account a role that can at least read "
				 "applications in every environment (LifeTime > User Management).");
			break;
		case 400: {
			/* "the target environment lacks the capability" comes as a 400
			 * with LifeTime's words: kept (neutralised) so that
			 * lt_unsupported can tell an older LifeTime. */
			char *said = text_safe(body ? body : "");

			snprintf(err->msg, sizeof err->msg, "LifeTime refused the request (HTTP 400) "
				 "for %s: %.300s", url, said);
			snprintf(err->fix, sizeof err->fix,
				 "Check the key or name in the request; LifeTime's answer is quoted.");
			free(said);
			break;
		}
		case 404:
			snprintf(err->msg, sizeof err->msg, "no LifeTime API at %s (HTTP 404)", url);
			snprintf(err->fix, sizeof err->fix,
				 "Set [lifetime] url to the API base, which ends with "
				 "/lifetimeapi/rest/v2 (e.g. https://lifetime.example.com/"
				 "lifetimeapi/rest/v2).");
			break;
		default:
			if (status >= 300 && status < 400)
				what = " (the URL redirects: use the address it names)";
			snprintf(err->msg, sizeof err->msg, "LifeTime answered HTTP %ld for %s%s",
				 status, url, what);
			snprintf(err->fix, sizeof err->fix,
				 "Check [lifetime] url and that LifeTime is up (open it in a "
				 "browser); HTTP 5xx errors are in LifeTime's error log.");
			break;
		}
	} else if (!ok) {
		/* Network errors name the URL for context (it never holds the token). */
		char *tmp = xasprintf("LifeTime %s: %s", url, err->msg);
		size_t l = strlen(tmp);

		if (l >= sizeof err->msg)
			l = sizeof err->msg - 1;
		memcpy(err->msg, tmp, l);
		err->msg[l] = '\0';
		free(tmp);
	}
	free(url);
	if (!ok) {
		free(body);
		return NULL;
	}
	return body;
}

static bool lt_shape_error(struct http_error *err, const char *path, const char *why)
{
	err->cls = PING_UNEXPECTED;
	snprintf(err->msg, sizeof err->msg, "unexpected answer from LifeTime %s: %s", path, why);
	snprintf(err->fix, sizeof err->fix,
		 "Check [lifetime] url points at the LifeTime API v2 (it ends with "
		 "/lifetimeapi/rest/v2) and not at a proxy or login page.");
	return false;
}

/* GET path and read its list; shown names the path in an error about the
 * answer's shape. */
static bool lt_list_get(struct lifetime *lt, struct ctx *ctx, const char *path, const char *shown,
			const struct lt_list *t, void **out, size_t *n, struct http_error *err)
{
	char why[384];
	size_t len;
	char *body = lt_get(lt, ctx, path, &len, err);
	bool ok;

	*out = NULL;
	*n = 0;
	if (!body)
		return false;
	ok = parse_list(t, body, len, out, n, why, sizeof why);
	free(body);
	return ok || lt_shape_error(err, shown, why);
}

bool lifetime_environments(struct lifetime *lt, struct ctx *ctx, struct lt_environment **out,
			   size_t *n, struct http_error *err)
{
	void *v;
	bool ok = lt_list_get(lt, ctx, "/environments/", "/environments/", &environments_list,
			      &v, n, err);

	*out = v;
	return ok;
}

bool lifetime_applications(struct lifetime *lt, struct ctx *ctx, struct lt_application **out,
			   size_t *n, struct http_error *err)
{
	void *v;
	bool ok = lt_list_get(lt, ctx, "/applications/?IncludeModules=true&IncludeEnvStatus=true",
			      "/applications/", &applications_list, &v, n, err);

	*out = v;
	return ok;
}

bool lifetime_modules(struct lifetime *lt, struct ctx *ctx, struct lt_module **out, size_t *n,
		      struct http_error *err)
{
	void *v;
	bool ok = lt_list_get(lt, ctx, "/modules/", "/modules/", &modules_list, &v, n, err);

	*out = v;
	return ok;
}

bool lt_unsupported(const struct http_error *e)
{
	if (e->cls != PING_HTTP_ERROR)
		return false;
	return e->status == 404 || (e->status == 400 && strcasestr(e->msg, "capabilit"));
}

bool lifetime_dbconnections(struct lifetime *lt, struct ctx *ctx, const char *environment_key,
			    struct lt_dbconnection **out, size_t *n, struct http_error *err)
{
	char *k = path_segment(environment_key);
	char *path = xasprintf("/environments/%s/dbconnections/", k);
	void *v;
	bool ok = lt_list_get(lt, ctx, path, "/environments/{key}/dbconnections/",
			      &dbconnections_list, &v, n, err);

	*out = v;
	free(path);
	free(k);
	return ok;
}

bool lifetime_deployments(struct lifetime *lt, struct ctx *ctx, const char *environment_key,
			  struct lt_deployment **out, size_t *n, struct http_error *err)
{
	char *k = path_segment(environment_key);
	char *path = xasprintf("/deployments/?TargetEnvironmentKey=%s", k);
	void *v;
	bool ok = lt_list_get(lt, ctx, path, "/deployments/", &deployments_list, &v, n, err);

	*out = v;
	free(path);
	free(k);
	return ok;
}

bool lifetime_deployment_status(struct lifetime *lt, struct ctx *ctx, const char *key,
				char **status, char **info, struct http_error *err)
{
	char why[384];
	char *k = path_segment(key);
	char *path = xasprintf("/deployments/%s/status/", k);
	size_t len;
	char *body = lt_get(lt, ctx, path, &len, err);
	bool ok = false;

	*status = *info = NULL;
	if (body) {
		ok = lt_parse_deployment_status(body, len, status, info, why, sizeof why) ||
		     lt_shape_error(err, "/deployments/{key}/status/", why);
		free(body);
	}
	free(path);
	free(k);
	return ok;
}

bool lifetime_missing_mappings(struct lifetime *lt, struct ctx *ctx, const char *deployment_key,
			       struct lt_missing_mapping **out, size_t *n, struct http_error *err)
{
	char *k = path_segment(deployment_key);
	char *path = xasprintf("/deployments/%s/getmissingdbmappings/", k);
	void *v;
	bool ok = lt_list_get(lt, ctx, path, "/deployments/{key}/getmissingdbmappings/",
			      &missing_mappings_list, &v, n, err);

	*out = v;
	free(path);
	free(k);
	return ok;
}
