/* login.c - obtaining a secret and connecting with it (see login.h). */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "login.h"
#include "util.h"

PGconn *pg_login(const struct pg_spec *spec, enum secret_kind kind, struct ctx *ctx,
		 struct pg_failure *fail)
{
	char **slot = secrets_slot(ctx ? ctx->secrets : NULL, kind);
	bool asked = false;

	for (;;) {
		struct pg_spec with;
		PGconn *c;
		char *pw;

		if (slot && *slot) {
			pg_spec_copy(&with, spec, *slot);
			c = pg_connect(&with, ctx, fail);
			pg_spec_free(&with);
		} else {
			c = pg_connect(spec, ctx, fail);
		}
		if (c || fail->cls != PG_FAIL_NEED_PASSWORD)
			return c;
		fail->needs = kind;
		if (asked || !slot || !ctx->ask || ctx_cancelled(ctx))
			return NULL;
		asked = true;
		pw = ctx->ask(ctx->ask_ud, kind, spec->label);
		if (str_empty(pw)) {
			secret_free(&pw);
			return NULL;
		}
		secret_free(slot);
		*slot = pw;
	}
}

bool pg_spec_for_secret(struct pg_spec *spec, const struct doc *settings, enum secret_kind kind,
			char *msg, size_t msglen)
{
	const char *ci;

	switch (kind) {
	case SECRET_TARGET_PASSWORD:
	case SECRET_SOURCE_PASSWORD:
		return pg_spec_from_doc(spec, settings,
					kind == SECRET_TARGET_PASSWORD ? "target" : "source", NULL,
					msg, msglen);
	case SECRET_COMPARE_OLD_PASSWORD:
	case SECRET_COMPARE_NEW_PASSWORD:
		ci = doc_get(settings, "compare", NULL,
			     kind == SECRET_COMPARE_OLD_PASSWORD ? "old" : "new");
		if (str_empty(ci)) {
			snprintf(msg, msglen, "no [compare] %s in the settings",
				 kind == SECRET_COMPARE_OLD_PASSWORD ? "old" : "new");
			return false;
		}
		return pg_spec_from_conninfo(spec, ci, NULL, msg, msglen);
	case SECRET_LIFETIME_TOKEN:
	case SECRET_NONE:
		break;
	}
	snprintf(msg, msglen, "not a database password");
	return false;
}

void pg_login_all(const struct doc *settings, struct ctx *ctx)
{
	static const enum secret_kind dbs[] = {
		SECRET_TARGET_PASSWORD, SECRET_SOURCE_PASSWORD,
		SECRET_COMPARE_OLD_PASSWORD, SECRET_COMPARE_NEW_PASSWORD,
	};

	for (size_t i = 0; i < OSM_ARRAY_LEN(dbs) && !ctx_cancelled(ctx); i++) {
		struct pg_failure fail;
		struct pg_spec spec;
		char msg[512];
		PGconn *c;

		/* Not configured or wrong: the checks report it. */
		if (!pg_spec_for_secret(&spec, settings, dbs[i], msg, sizeof msg))
			continue;
		c = pg_login(&spec, dbs[i], ctx, &fail);
		if (c)
			PQfinish(c);
		pg_spec_free(&spec);
	}
}

size_t secrets_ask_needed(const struct check_report *rep, struct secrets *s,
			  char *(*ask)(void *ud, enum secret_kind kind, const char *what),
			  void *ud)
{
	bool asked[SECRET_LIFETIME_TOKEN + 1] = { false };
	size_t given = 0;

	for (size_t i = 0; i < rep->n; i++) {
		enum secret_kind k = rep->r[i].needs;
		char **slot = secrets_slot(s, k);
		char *v;

		/* Given already and refused: the result's fix says what to do. */
		if (!slot || *slot || asked[k] || rep->r[i].status == CHECK_OK)
			continue;
		asked[k] = true;
		v = ask(ud, k, rep->r[i].label);
		if (str_empty(v)) {
			secret_free(&v);
			continue;
		}
		*slot = v;
		given++;
	}
	return given;
}
