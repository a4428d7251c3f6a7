/* platformver.c - the Platform Server version of each environment (see
 * platformver.h). */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "platformver.h"
#include "util.h"
#include "version.h"

#define STEP_PREREQ "prerequisites"

char *platform_typed_disagreement(const char *typed, const struct lt_environment *envs,
				  size_t n)
{
	struct strbuf sb = STRBUF_INIT;
	size_t shown = 0;
	int c;

	if (str_empty(typed) || !version_parse(typed, NULL) || n == 0)
		return NULL;
	for (size_t i = 0; i < n; i++)
		if (version_cmp(typed, envs[i].os_version, &c) && c == 0)
			return NULL;
	sb_addf(&sb, "the Platform Server version typed on the prerequisites screen (%s) is "
		"not what LifeTime reports (", typed);
	for (size_t i = 0; i < n; i++) {
		if (shown == 5) {
			sb_addf(&sb, ", ... %zu more", n - shown);
			break;
		}
		sb_addf(&sb, "%s%s %s", shown ? ", " : "", envs[i].name ? envs[i].name : "?",
			envs[i].os_version ? envs[i].os_version : "(none)");
		shown++;
	}
	sb_add(&sb, "): LifeTime's versions are used; correct or clear the typed one");
	return sb_detach(&sb);
}

void platform_versions_read(const struct check_env *env, struct platform_versions *pv)
{
	const char *typed = doc_get(env->settings, "step", STEP_PREREQ, "field.platform_version");
	char msg[512];
	struct lifetime lt;
	enum lt_setup s;

	memset(pv, 0, sizeof *pv);
	if (!str_empty(typed) && version_parse(typed, NULL))
		pv->typed = typed;
	s = lifetime_open(env->settings, env->ctx, &lt, msg, sizeof msg, pv->fix, sizeof pv->fix);
	if (s == LT_READY) {
		struct lt_environment *envs = NULL;
		size_t n = 0;
		struct http_error e;

		memset(&e, 0, sizeof e);
		if (lifetime_environments(&lt, env->ctx, &envs, &n, &e) && n > 0) {
			pv->source = PV_LIFETIME;
			pv->env = xcalloc(n, sizeof *pv->env);
			pv->n = n;
			for (size_t i = 0; i < n; i++) {
				pv->env[i].name = xstrdup(envs[i].name ? envs[i].name : "?");
				if (version_parse(envs[i].os_version, NULL))
					pv->env[i].version = xstrdup(envs[i].os_version);
			}
			pv->disagreement = platform_typed_disagreement(typed, envs, n);
			lt_environments_free(envs, n);
			lifetime_close(&lt);
			pv->fix[0] = '\0';
			return;
		}
		snprintf(pv->problem, sizeof pv->problem, "%s",
			 n == 0 && !e.msg[0] ? "LifeTime lists no environments" : e.msg);
		snprintf(pv->fix, sizeof pv->fix, "%s", e.fix[0] ? e.fix : "Check [lifetime] url.");
		lt_environments_free(envs, n);
		lifetime_close(&lt);
	} else if (s == LT_BAD_CONFIG || s == LT_NO_TOKEN) {
		snprintf(pv->problem, sizeof pv->problem, "%s", msg);
		pv->needs_token = s == LT_NO_TOKEN;
	} else {
		pv->fix[0] = '\0';
	}
	if (pv->typed) {
		pv->source = PV_TYPED;
		pv->env = xcalloc(1, sizeof *pv->env);
		pv->n = 1;
		pv->env[0].name = xstrdup("typed");
		pv->env[0].version = xstrdup(pv->typed);
	}
}

void platform_versions_free(struct platform_versions *pv)
{
	for (size_t i = 0; i < pv->n; i++) {
		free(pv->env[i].name);
		free(pv->env[i].version);
	}
	free(pv->env);
	free(pv->disagreement);
	memset(pv, 0, sizeof *pv);
}
