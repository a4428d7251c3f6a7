/* lifetime.h - the LifeTime Deployment API v2 client: environments,
 * applications with their status per environment, modules.  Every request
 * is an http_get (http.h) with the token as bearer: it leaves only over
 * https, or over plain http to this machine, never via a proxy, and a
 * redirect is never followed with it.  The token lives in memory only; it
 * is never written, logged, put in a URL or quoted in a message.
 * UI-free: never include curses here. */
#ifndef OSM_LIFETIME_H
#define OSM_LIFETIME_H

#include <stdbool.h>
#include <stddef.h>

#include "ctx.h"
#include "doc.h"
#include "http.h"

struct lt_environment {
	char *key, *name, *os_version, *host_name, *environment_type;
	char *app_server_type, *database_provider;
	long long order, front_ends;
	bool use_https, is_cloud;
};

struct lt_module_status {
	char *module_version_key, *consistency;
};

struct lt_app_status {
	char *environment_key, *consistency, *messages;
	bool is_modified;
	struct lt_module_status *modules;
	size_t n_modules;
};

struct lt_application {
	char *key, *name, *kind, *url_path;
	bool is_system;
	struct lt_app_status *envs;
	size_t n_envs;
};

struct lt_module {
	char *key, *name, *kind;
};

/* GET /environments/{key}/dbconnections/ (LifeTime 11.13.0+).  The
 * connection's databaseConfiguration is never read. */
struct lt_dbconnection {
	char *name, *description, *provider;  /* dbConnectionName, description, providerName */
	bool advanced, advanced_known;        /* isAdvancedConfiguration, and whether sent */
};

/* GET /deployments/ entries. */
struct lt_deployment {
	char *key, *target_environment_key;
};

/* GET /deployments/{key}/getmissingdbmappings/ (LifeTime 11.21.1+): an
 * extension's logical database still to be mapped in the target. */
struct lt_missing_mapping {
	char *extension_key, *extension_name, *logical_database;
};

struct lifetime {
	char *url;            /* base, no trailing slash: https://lt/lifetimeapi/rest/v2 */
	char *token;          /* memory only; wiped by lifetime_close */
	char *cafile;         /* [lifetime] cafile, else [http] cafile, else NULL */
	struct http_opts http;
};

enum lt_setup {
	LT_NOT_CONFIGURED,    /* no [lifetime] url: callers fall back to operator input */
	LT_READY,
	LT_BAD_CONFIG,        /* url or token unusable: msg/fix say why */
	LT_NO_TOKEN,          /* no token anywhere: msg/fix say where to give it */
};
/* From settings [lifetime] url, token_file, cafile ([http] cafile, timeout
 * as fallbacks) and the token: ctx->secrets->lifetime_token, else
 * $OSMIGRATE_LIFETIME_TOKEN, else token_file (refused unless a regular file
 * with mode 0600 or stricter).  A token read from the environment or file is
 * kept in ctx->secrets (when there is one) so it is read once. */
enum lt_setup lifetime_open(const struct doc *settings, struct ctx *ctx, struct lifetime *lt,
			    char *msg, size_t msglen, char *fix, size_t fixlen);
void lifetime_close(struct lifetime *lt);

/* GET /environments/, /applications/?IncludeModules=true&IncludeEnvStatus=true,
 * /modules/.  Arrays are allocated (free with the *_free functions); on
 * failure false, *out NULL, err filled (401 names the token, a non-JSON or
 * wrongly shaped answer says so). */
bool lifetime_environments(struct lifetime *lt, struct ctx *ctx, struct lt_environment **out,
			   size_t *n, struct http_error *err);
bool lifetime_applications(struct lifetime *lt, struct ctx *ctx, struct lt_application **out,
			   size_t *n, struct http_error *err);
bool lifetime_modules(struct lifetime *lt, struct ctx *ctx, struct lt_module **out, size_t *n,
		      struct http_error *err);
void lt_environments_free(struct lt_environment *e, size_t n);
void lt_applications_free(struct lt_application *a, size_t n);
void lt_modules_free(struct lt_module *m, size_t n);

/* Read-only calls of LifeTime 11.13.0 / 11.21.1 and later (the write
 * endpoints, creating or testing a connection and mapping a deployment's
 * configuration, are never called).  Keys and names are percent-encoded
 * into the path.  lifetime_deployments lists the deployments whose target
 * is environment_key (?TargetEnvironmentKey=); lifetime_deployment_status
 * gives DeploymentStatus and Info (NULL when absent). */
bool lifetime_dbconnections(struct lifetime *lt, struct ctx *ctx, const char *environment_key,
			    struct lt_dbconnection **out, size_t *n, struct http_error *err);
bool lifetime_deployments(struct lifetime *lt, struct ctx *ctx, const char *environment_key,
			  struct lt_deployment **out, size_t *n, struct http_error *err);
bool lifetime_deployment_status(struct lifetime *lt, struct ctx *ctx, const char *key,
				char **status, char **info, struct http_error *err);
bool lifetime_missing_mappings(struct lifetime *lt, struct ctx *ctx, const char *deployment_key,
			       struct lt_missing_mapping **out, size_t *n, struct http_error *err);
void lt_dbconnections_free(struct lt_dbconnection *c, size_t n);
void lt_deployments_free(struct lt_deployment *d, size_t n);
void lt_missing_mappings_free(struct lt_missing_mapping *m, size_t n);
/* The error of a LifeTime without that API: 404, or 400 saying the
 * environment lacks the capability. */
bool lt_unsupported(const struct http_error *e);

/* Parse an answer body (exposed for tests and recorded JSON). */
bool lt_parse_dbconnections(const char *body, size_t len, struct lt_dbconnection **out,
			    size_t *n, char *err, size_t errlen);
bool lt_parse_deployments(const char *body, size_t len, struct lt_deployment **out,
			  size_t *n, char *err, size_t errlen);
bool lt_parse_missing_mappings(const char *body, size_t len, struct lt_missing_mapping **out,
			       size_t *n, char *err, size_t errlen);
bool lt_parse_deployment_status(const char *body, size_t len, char **status, char **info,
				char *err, size_t errlen);
bool lt_parse_environments(const char *body, size_t len, struct lt_environment **out,
			   size_t *n, char *err, size_t errlen);
bool lt_parse_applications(const char *body, size_t len, struct lt_application **out,
			   size_t *n, char *err, size_t errlen);
bool lt_parse_modules(const char *body, size_t len, struct lt_module **out, size_t *n,
		      char *err, size_t errlen);

#endif
