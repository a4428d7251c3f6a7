/* ctx.h - what long-running core work receives: a cancel flag it polls, a
 * progress callback it reports to, and the secrets held in memory only.
 *
 * The TUI runs core work in a worker thread and sets *cancel when the
 * operator presses Esc (or a signal arrives); headless commands run it on
 * the main thread.  Every network wait must poll in slices of at most
 * CTX_POLL_MS and return promptly once ctx_cancelled() is true.
 * UI-free: never include curses here. */
#ifndef OSM_CTX_H
#define OSM_CTX_H

#include <stdatomic.h>
#include <stdbool.h>

#define CTX_POLL_MS 100
#define CTX_DEFAULT_TIMEOUT_S 10

/* Passwords and tokens: memory only, never written to any file. */
struct secrets {
	char *target_password;   /* NULL: libpq finds one (.pgpass, service, PGPASSWORD) */
	char *source_password;
	char *compare_old_password;
	char *compare_new_password;
	char *lifetime_token;    /* from OSMIGRATE_LIFETIME_TOKEN, token_file (0600) or a prompt */
};
void secrets_wipe(struct secrets *s); /* zero and free every field */
void secret_free(char **p);            /* zero and free one, set it NULL */

/* Which secret: a check result that lacked one names it (result.h), and
 * whoever may ask the operator asks for that one (login.h). */
enum secret_kind {
	SECRET_NONE = 0,
	SECRET_TARGET_PASSWORD,
	SECRET_SOURCE_PASSWORD,
	SECRET_COMPARE_OLD_PASSWORD,
	SECRET_COMPARE_NEW_PASSWORD,
	SECRET_LIFETIME_TOKEN,
};
/* Its field in s (NULL for SECRET_NONE or no s). */
char **secrets_slot(struct secrets *s, enum secret_kind k);
/* "target_password" ... "lifetime_token" (how a state file names it);
 * NULL for SECRET_NONE. */
const char *secret_kind_key(enum secret_kind k);
bool secret_kind_parse(const char *s, enum secret_kind *out);
/* What a prompt asks for: "Password for the target database", ... */
const char *secret_kind_title(enum secret_kind k);

struct ctx {
	atomic_int *cancel;      /* may be NULL: never cancelled */
	/* progress: what is being done, done/total (total 0: unknown). May be NULL. */
	void (*progress)(void *ud, const char *what, long done, long total);
	void *ud;
	int timeout_s;           /* per network operation; 0 means CTX_DEFAULT_TIMEOUT_S */
	struct secrets *secrets; /* may be NULL */
	/* How to ask the operator for a secret nobody gave (login.h); NULL:
	 * never ask (no terminal, or a worker thread that cannot). */
	char *(*ask)(void *ud, enum secret_kind kind, const char *what);
	void *ask_ud;
};

static inline bool ctx_cancelled(const struct ctx *c)
{
	return c && c->cancel && atomic_load(c->cancel) != 0;
}
static inline void ctx_progress(const struct ctx *c, const char *what, long done, long total)
{
	if (c && c->progress)
		c->progress(c->ud, what, done, total);
}
static inline int ctx_timeout_s(const struct ctx *c)
{
	return (c && c->timeout_s > 0) ? c->timeout_s : CTX_DEFAULT_TIMEOUT_S;
}

#endif
