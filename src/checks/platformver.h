/* platformver.h - the Platform Server version of each environment, for the
 * checks that judge by it (pg_version's support verdict, the uuid finding
 * of the type verification, platform_version): LifeTime's OSVersion per
 * environment when [lifetime] answers, else the version the operator typed
 * on the prerequisites screen (field.platform_version), else unknown.  A
 * typed version that none of LifeTime's matches is said, never silently
 * dropped.  Versions are compared only through version.h.
 * UI-free: never include curses here. */
#ifndef OSM_PLATFORMVER_H
#define OSM_PLATFORMVER_H

#include <stdbool.h>
#include <stddef.h>

#include "check.h"
#include "lifetime.h"

enum pv_source {
	PV_UNKNOWN,     /* neither LifeTime nor a typed version */
	PV_LIFETIME,    /* one entry per LifeTime environment */
	PV_TYPED,       /* one entry: the typed version */
};

struct env_version {
	char *name;     /* the environment's name; "typed" for PV_TYPED */
	char *version;  /* NULL: LifeTime reported none usable */
};

struct platform_versions {
	enum pv_source source;
	struct env_version *env;
	size_t n;
	const char *typed;       /* the typed version (a valid one), or NULL */
	char problem[700];       /* LifeTime configured but not used: why ("" otherwise) */
	char fix[1024];          /* and what to do about it */
	bool needs_token;        /* the LifeTime token was missing */
	char *disagreement;      /* the typed version matches none of LifeTime's: a sentence */
};

/* Read them (one LifeTime request at most).  Free with platform_versions_free. */
void platform_versions_read(const struct check_env *env, struct platform_versions *pv);
void platform_versions_free(struct platform_versions *pv);

/* "the typed Platform Server version 11.31.0 is not LifeTime's (Dev
 * 11.40.0, Prod 11.38.0): LifeTime's are used", or NULL when typed is
 * empty or not a version, or one environment runs it.  Caller frees. */
char *platform_typed_disagreement(const char *typed, const struct lt_environment *envs,
				  size_t n);

#endif
