/* ctx.c - in-memory secrets (see ctx.h). */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "ctx.h"

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
