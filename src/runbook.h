/* runbook.h - the three procedures as data: every documented step of each
 * seed (../shared/seeds/), in the documented order, with the operator's
 * actions spelled out.  Screens, `status`, `mark` and `report` all read
 * these tables; nothing else defines a step.
 * UI-free: never include curses here. */
#ifndef OSM_RUNBOOK_H
#define OSM_RUNBOOK_H

#include <stdbool.h>
#include <stddef.h>

/* What a step iterates over, when it has a checklist per item. */
enum item_kind {
	ITEM_NONE = 0,
	ITEM_EXTENSION,    /* [extension "NAME"] */
	ITEM_CONSUMER,     /* [consumer "NAME"] */
	ITEM_SERVER,       /* [server "NAME"] */
	ITEM_ENVIRONMENT,  /* [environment "NAME"] */
};
const char *item_kind_section(enum item_kind k); /* "extension", ... or NULL */
const char *item_kind_label(enum item_kind k);   /* "extension", "consumer module", ... */

/* One tickable action, as the seed words it (what to open, which tab, which button). */
struct rb_action {
	const char *id;    /* stable, [a-z0-9_]: stored as tick.<id> */
	const char *text;
};

/* One form field of a step, stored as field.<id> of [step "ID"] unless
 * section is set (then it is the settings key <section>.<key>). */
enum field_type { FIELD_TEXT, FIELD_CHOICE, FIELD_VERSION };
struct rb_field {
	const char *id;
	const char *label;
	enum field_type type;
	const char *const *choices;  /* FIELD_CHOICE: NULL-terminated */
	const char *help;
};

struct rb_step {
	const char *id;             /* stable: state file, `mark`, `check` */
	const char *title;          /* list entry, <= 30 columns */
	const char *seed_heading;   /* the seed section it comes from */
	const char *intro;          /* what this step is for, from the seed (wrapped by the UI) */
	const struct rb_action *actions; size_t n_actions;           /* once per step */
	enum item_kind items;
	const struct rb_action *item_actions; size_t n_item_actions; /* per item */
	const struct rb_field *fields; size_t n_fields;
	const char *warning;        /* seed warning/info box shown on the screen, or NULL */
};

struct runbook {
	const char *id;             /* "connector-migration" ... */
	const char *title;          /* the seed's title */
	const char *seed;           /* seed file name under shared/seeds */
	const char *summary;        /* one line for the chooser and --help */
	const struct rb_step *steps; size_t n_steps;
};

extern const struct runbook *const runbooks[];
extern const size_t n_runbooks;
const struct runbook *runbook_find(const char *id);
const struct rb_step *runbook_step(const struct runbook *rb, const char *step_id);
int runbook_step_index(const struct runbook *rb, const char *step_id); /* -1 if unknown */
const struct rb_action *step_action(const struct rb_step *s, const char *action_id, bool item);
/* Whether any automated check (check.h registry) belongs to this step. */
bool step_has_checks(const struct runbook *rb, const struct rb_step *s);

#endif
