/* ctx.c - in-memory secrets and their kinds (see ctx.h). */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "ctx.h"
#include "util.h"

void secret_free(char **p)
{
	if (*p) {
		explicit_bzero(*p, strlen(*p));
		free(*p);
		*p = NULL;
	}
}

void secrets_wipe(struct secrets *s)
{
	secret_free(&s->target_password);
	secret_free(&s->source_password);
	secret_free(&s->compare_old_password);
	secret_free(&s->compare_new_password);
	secret_free(&s->lifetime_token);
}

static const struct {
	enum secret_kind kind;
	const char *key, *title;
} kinds[] = {
	{ SECRET_TARGET_PASSWORD, "target_password", "Password for the target database" },
	{ SECRET_SOURCE_PASSWORD, "source_password", "Password for the source database" },
	{ SECRET_COMPARE_OLD_PASSWORD, "compare_old_password", "Password for the old database" },
	{ SECRET_COMPARE_NEW_PASSWORD, "compare_new_password",
	  "Password for the new (restored) database" },
	{ SECRET_LIFETIME_TOKEN, "lifetime_token", "LifeTime service account token" },
};

char **secrets_slot(struct secrets *s, enum secret_kind k)
{
	if (!s)
		return NULL;
	switch (k) {
	case SECRET_TARGET_PASSWORD: return &s->target_password;
	case SECRET_SOURCE_PASSWORD: return &s->source_password;
	case SECRET_COMPARE_OLD_PASSWORD: return &s->compare_old_password;
	case SECRET_COMPARE_NEW_PASSWORD: return &s->compare_new_password;
	case SECRET_LIFETIME_TOKEN: return &s->lifetime_token;
	case SECRET_NONE: break;
	}
	return NULL;
}

const char *secret_kind_key(enum secret_kind k)
{
	for (size_t i = 0; i < OSM_ARRAY_LEN(kinds); i++)
		if (kinds[i].kind == k)
			return kinds[i].key;
	return NULL;
}

bool secret_kind_parse(const char *s, enum secret_kind *out)
{
	for (size_t i = 0; i < OSM_ARRAY_LEN(kinds); i++)
		if (str_eq(s, kinds[i].key)) {
			*out = kinds[i].kind;
			return true;
		}
	return false;
}

const char *secret_kind_title(enum secret_kind k)
{
	for (size_t i = 0; i < OSM_ARRAY_LEN(kinds); i++)
		if (kinds[i].kind == k)
			return kinds[i].title;
	return "Secret";
}
