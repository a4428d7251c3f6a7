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
/* A key of the item's section (V_BOOL) that, set to yes, means the section
 * is not an item (progress_items leaves it out), or NULL.  An environment
 * is a deployment target: the one the migration was done in
 * (migrated_here = yes) is not offered. */
const char *item_kind_not_item_key(enum item_kind k);

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

/* A gate: what the procedure holds back until something else is done.
 * progress.h applies them (ticking, `mark`, the next action) and records
 * overrides; nothing else decides what is gated. */
enum rb_gate_kind {
	RB_GATE_ORDER = 1, /* per item: some items of the step before the others */
	RB_GATE_LOCK,      /* the whole step: until a check passed and steps are done */
};

struct rb_gate {
	enum rb_gate_kind kind;
	const char *prompt;         /* what an override asks the operator to type */
	/* RB_GATE_ORDER: the items whose section has key = value go first
	 * (listed first by progress_next); no other item may be ticked or
	 * marked done until each of them is done or skipped, nor while none
	 * is configured. */
	const char *key, *value;    /* "role", "controller" */
	const char *first, *others; /* what they are called: "Deployment Controller", "front-end" */
	const char *finished;       /* what finishing one is called: "reconfigured" */
	const char *seed;           /* the procedure's reason, said with each refusal */
	/* RB_GATE_LOCK: locked until the latest result of check (check.h; a
	 * check of this runbook) is ok and current, and every step in after
	 * (with before: every step before the gated one) is done or skipped.
	 * Either may be absent (NULL, false). */
	const char *check;
	const char *subject;        /* what the check proves, as "the <subject> was */
	const char *passed;         /* <passed>": "clone", "verified" */
	const char *also;           /* another way to obtain that result, or NULL */
	const char *const *after;   /* step ids, NULL-terminated, or NULL */
	bool before;                /* ... and every step before this one */
};

/* A step whose items are servers pings each server when an action of its
 * checklist is ticked, with the check the ping names (check.h: a check of
 * this runbook, whose function pings the [server] sections), and says
 * what the procedure expects that ping to show.  The moment names the
 * stored result: server_ping_before:NAME, or CHECK:NAME after.  A new
 * expectation is a value here and a case in ping_unexpected(). */
enum rb_moment { PING_BEFORE, PING_AFTER };
enum rb_expect {
	EXPECT_NOTHING = 0, /* recorded and shown, not judged beyond the ping's own verdict */
	EXPECT_AS_BEFORE,   /* a server that answered its "before" ping answers again */
	EXPECT_DOWN,        /* stopped: a module that still answers breaks it (the
			     * check, server_stopped, judges so itself) */
	EXPECT_UP,          /* started again: a server that does not answer breaks it */
};
struct rb_ping {
	const char *action;         /* the item action whose tick takes it */
	enum rb_moment moment;      /* before or after the server's work */
	enum rb_expect expect;
	const char *check;          /* the check that pings: "server_ping" */
	const char *when;           /* "before its reconfiguration", "after the stop" */
	const char *also;           /* a check run with it for the server (the
				     * services' ports), or NULL */
};

/* Republish observed.  A module's _ping.html is a static file deployed with
 * the module whose source carries a hash of the deployed application, so
 * its page changes when the module is republished (domain.md section 5;
 * the source is an OutSystems forum answer, not documentation).  Every ping
 * records the SHA-256 of the page (result.h: body_sha256); a step listed in
 * rb_republishes[] (runbook.c) compares its pings of each item with the
 * item's "before" ping and says "Changed since <time>" or "Unchanged since
 * <time>", judged as expect says. */
enum rb_digest {
	DIGEST_NOTE = 1,    /* said, not judged: either is ok */
	DIGEST_CHANGED,     /* a republish is expected: unchanged is a warning */
};
struct rb_republish {
	const char *runbook, *step;  /* the step whose pings compare */
	const char *before;          /* the result id of the "before" pings, without
				      * ":ITEM": "consumer_ping_before" */
	const char *taken;           /* when that ping is taken, for the operator */
	enum rb_digest expect;
};
/* What the pings of this step compare their page with, or NULL. */
const struct rb_republish *step_republish(const char *runbook, const char *step);
/* The first step of runbook that expects the pages of the "before" pings
 * `before` to change (its republish), or NULL: once it has started, a new
 * ping is no "before" any more. */
const char *republish_step(const char *runbook, const char *before);

/* The OutSystems services of each application server, observed from this
 * host by their TCP ports (domain.md section 5: 12001 Deployment Service
 * and 12002 Scheduler on every application server, 12000 Deployment
 * Controller service and 5672 RabbitMQ on the Deployment Controller only),
 * where the operator says this host may reach them ([services] reachable).
 * A step listed in rb_services[] (runbook.c) expects them running or
 * stopped; its services check judges so. */
enum rb_services { SERVICES_RUNNING = 1, SERVICES_STOPPED };
/* What this step expects of the services, or 0 when it has no such check;
 * *until (when not NULL) receives the item action before whose tick they
 * are expected stopped instead (restore-database / servers: "restart"),
 * or NULL. */
enum rb_services step_services(const char *runbook, const char *step, const char **until);

/* The item action of this step until whose tick a server is expected
 * down (restore-database / servers: "Start IIS"), or NULL. */
const char *step_down_until(const char *runbook, const char *step);

/* Whether a step shows, or runs, the connector type verification. */
enum rb_types {
	TYPES_NONE = 0,
	TYPES_SUMMARY,              /* the step sums up the last type verification */
	TYPES_ITEMS,                /* ... and each of its extensions shows the findings on
				     * its tables (what Refresh Entity will do to it) */
	TYPES_SCAN,                 /* ... and its checks are the full type scan (r) */
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
	const struct rb_gate *gates; size_t n_gates;
	const struct rb_ping *pings; size_t n_pings;  /* ITEM_SERVER steps only */
	enum rb_types types;
};

/* The way back (rollback.h builds it from the state): the step whose items
 * were changed, undone item by item with these actions (ids start with
 * "rollback_", stored as tick.<id> in the item's section and counted
 * nowhere else).  ROLLBACK_SERVERS: the servers already reconfigured get
 * the old database address back, the Deployment Controller last;
 * ROLLBACK_REBIND: the extensions already rebound go back to the ardo
 * connection, refreshed and republished. */
enum rb_rollback_kind { ROLLBACK_SERVERS, ROLLBACK_REBIND };
struct rb_rollback {
	const char *step;
	enum rb_rollback_kind kind;
	const char *intro;          /* what the way back does, shown above it */
	const char *done_word;      /* what the forward step did: "reconfigured" */
	const struct rb_action *actions; size_t n_actions;   /* per item */
};

struct runbook {
	const char *id;             /* "connector-migration" ... */
	const char *title;          /* the seed's title */
	const char *seed;           /* seed file name under shared/seeds */
	const char *summary;        /* one line for the chooser and --help */
	const struct rb_step *steps; size_t n_steps;
	const struct rb_rollback *rollback;
};

extern const struct runbook *const runbooks[];
extern const size_t n_runbooks;
const struct runbook *runbook_find(const char *id);
const struct rb_step *runbook_step(const struct runbook *rb, const char *step_id);
int runbook_step_index(const struct runbook *rb, const char *step_id); /* -1 if unknown */
const struct rb_action *step_action(const struct rb_step *s, const char *action_id, bool item);
/* Whether any automated check (check.h registry) belongs to this step. */
bool step_has_checks(const struct runbook *rb, const struct rb_step *s);
/* The step's gate of that kind, or NULL. */
const struct rb_gate *step_gate(const struct rb_step *s, enum rb_gate_kind kind);
/* The ping taken when item action action_id of s is ticked, or NULL. */
const struct rb_ping *step_ping(const struct rb_step *s, const char *action_id);
/* The step's ping at that moment, or NULL. */
const struct rb_ping *step_ping_at(const struct rb_step *s, enum rb_moment m);
/* Does a ping that answered (or not) break what the procedure expects of
 * it, given whether the server answered its current "before" ping?
 * (EXPECT_DOWN: never here; the check's own verdict says it.) */
bool ping_unexpected(enum rb_expect e, bool answered_before, bool answers);
/* Whether the item action a of step s is where the operator types the
 * database addresses in the Configuration Tool's Platform, Session and Log
 * tabs: its checklist shows each tab's address (dbtabs.h). */
bool action_shows_db_tabs(const struct rb_step *s, const struct rb_action *a);
/* The words of item action a of step s for this item: the action's text,
 * or where the seed's words name the wrong kind of item (restore-database's
 * stop is said of "this front-end"; the Deployment Controller's checklist
 * speaks of the controller), the words for the item's kind, chosen by a
 * key of its settings section (rb_action_variants[] in runbook.c). */
struct doc;
const char *item_action_text(const struct runbook *rb, const struct rb_step *s,
			     const struct rb_action *a, const struct doc *settings,
			     const char *item);

/* Whether the runbook has a step that runs the type verification. */
bool runbook_has_types(const struct runbook *rb);
/* That step (a scan started anywhere is recorded under it), or NULL. */
const struct rb_step *runbook_types_step(const struct runbook *rb);

#endif
