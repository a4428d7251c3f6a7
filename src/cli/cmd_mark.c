/* cmd_mark.c - `osmigrate mark`: record a manual step or item from a script,
 * with the same validation, order rule and lock as the wizard's screens
 * (progress.h), applied under the state file lock to the file's content
 * at that moment (state_apply: other sessions may be working on it), and
 * journaled. */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "exitcodes.h"
#include "journal.h"
#include "output.h"
#include "progress.h"
#include "rollback.h"
#include "runbook.h"
#include "state.h"
#include "util.h"

static void mark_usage(FILE *f)
{
	fprintf(f,
"Usage: osmigrate mark STEP done|skipped|pending [--item NAME] [--action ID]\n"
"                      [--note TEXT] [--reason TEXT] [--state FILE | --runbook ID]\n"
"       osmigrate mark STEP claim|release --item NAME [--state FILE | --runbook ID]\n"
"Record a step (or one item of it: an extension, consumer, server or\n"
"environment) as done, skipped or pending, as the wizard would.\n"
"claim says you are on the item (others see 'NAME: you are on it' in their\n"
"wizard and in status); release drops it, and so does marking it done or\n"
"skipped. A claim is advisory: it refuses nobody's change.\n"
"\n"
"  -i, --item NAME     the item of the step (see osmigrate status)\n"
"      --action ID     tick (done) or untick (pending) one action of the step or\n"
"                      item instead; the status follows the ticks; the rollback\n"
"                      actions of an item (osmigrate rollback) are ticked so too\n"
"  -n, --note TEXT     a note kept with the step or item\n"
"      --reason TEXT   why: required to skip; also the override reason when a\n"
"                      gate refuses the change (the order rule, the\n"
"                      decommission lock, failed or stale checks, an item's\n"
"                      unticked actions); the override is recorded\n"
"  -s, --state FILE    the state file (default: the one default state file)\n"
"  -r, --runbook ID    use the default state file of this runbook; with a new\n"
"                      state file, start it for this runbook\n"
"  -h, --help          display this help and exit\n"
"\n"
"A change that changes nothing (an action already ticked or unticked, a\n"
"step or item already pending) is not recorded: exit 0, nothing written.\n"
"\n"
"Exit status: 0 recorded (or nothing to change), 2 refused by a gate: the\n"
"order rule, the lock (decommission: earlier steps pending or the clone not\n"
"verified), failed or stale checks (listed), or an item's unticked actions\n"
"(give --reason to override), 64 usage (unknown step, item or status: the valid\n"
"ones are listed), 65 bad state file or unsafe journal (nothing recorded),\n"
"74 state file not written (or only standard output: the change is\n"
"recorded), 75 state file locked by another process for 5 s (it is locked\n"
"only while one change is written: other sessions may work on it).\n");
}

static int list_steps(const struct runbook *rb, const char *bad)
{
	fprintf(stderr, "osmigrate mark: unknown step '%s' in %s; the steps are:\n", bad, rb->id);
	for (size_t i = 0; i < rb->n_steps; i++)
		fprintf(stderr, "  %-16s %s\n", rb->steps[i].id, rb->steps[i].title);
	return EXIT_USAGE;
}

static int list_items(const struct state *st, const struct rb_step *s, const char *bad)
{
	size_t n;
	const char **items;

	if (s->items == ITEM_NONE) {
		fprintf(stderr,
			"osmigrate mark: step '%s' has no items; mark the step itself (without "
			"--item)\n", s->id);
		return EXIT_USAGE;
	}
	items = progress_items(st, s, &n);
	{
		char *safe = output_safe(bad);

		fprintf(stderr, "osmigrate mark: step '%s' has no %s '%s'; ", s->id,
			item_kind_label(s->items), safe);
		free(safe);
	}
	if (n == 0)
		fprintf(stderr, "none are configured: add [%s \"NAME\"] sections (wizard or "
			"answers file) first\n", item_kind_section(s->items));
	else
		fprintf(stderr, "the %ss are:\n", item_kind_label(s->items));
	for (size_t i = 0; i < n; i++) {
		char *safe = output_safe(items[i]);

		fprintf(stderr, "  %s\n", safe);
		free(safe);
	}
	free(items);
	return EXIT_USAGE;
}

static int list_actions(const struct rb_step *s, const char *item, const char *bad)
{
	const struct rb_action *a = item ? s->item_actions : s->actions;
	size_t n = item ? s->n_item_actions : s->n_actions;

	fprintf(stderr, "osmigrate mark: step '%s' has no %saction '%s'", s->id,
		item ? "item " : "", bad);
	if (n == 0) {
		fprintf(stderr, "; its actions are per %s: give --item NAME\n",
			item_kind_label(s->items) ? item_kind_label(s->items) : "item");
		return EXIT_USAGE;
	}
	fprintf(stderr, "; the %sactions are:\n", item ? "item " : "");
	for (size_t i = 0; i < n; i++)
		fprintf(stderr, "  %-20s %s\n", a[i].id, a[i].text);
	return EXIT_USAGE;
}

/* One change: a tick (--action) or a status, through the same rules as
 * the screens. */
static enum progress_gate apply(struct state *st, const struct runbook *rb, const char *step,
				const char *item, const char *action, enum step_status want,
				const char *reason, bool *ok, char *why, size_t whylen)
{
	enum progress_gate g;

	if (!action)
		return progress_set_status(st, rb, step, item, want, reason, ok, why, whylen);
	g = progress_tick(st, rb, step, item, action, want == STEP_DONE, why, whylen);
	*ok = g == GATE_OPEN;
	return g;
}

static bool parse_status(const char *s, enum step_status *out)
{
	if (str_eq(s, "done"))
		*out = STEP_DONE;
	else if (str_eq(s, "skipped"))
		*out = STEP_SKIPPED;
	else if (str_eq(s, "pending"))
		*out = STEP_PENDING;
	else
		return false;
	return true;
}

/* What mark changes, applied to the file's content at the moment of the
 * change (state_apply): the order rule and the lock are evaluated on what
 * every session recorded until then. */
struct mark_change {
	const struct runbook *rb;
	const char *step, *item, *action, *reason, *note;
	const struct rb_action *rollback;
	enum step_status want;
	int claim;           /* 1 claim, -1 release, 0 a status or tick */
	char claimed_by[160];/* the item's claim before the change, when not ours */
	/* out */
	int rc;              /* EXIT_OK, or why nothing was written */
	bool overrode;
	bool journal_ok;
	char why[1024];
};

static bool mark_apply(struct state *st, void *arg, struct state_error *err)
{
	struct mark_change *m = arg;
	enum progress_gate g;
	const char *by;
	bool ok;

	(void)err;
	m->overrode = false;
	if (!state_runbook(st))
		state_set_runbook(st, m->rb->id);
	m->claimed_by[0] = '\0';
	if (m->item && state_claimed(st, m->step, m->item, &by, NULL) && !str_eq(by, operator_id()))
		snprintf(m->claimed_by, sizeof m->claimed_by, "%s", by);
	if (m->claim) {
		state_claim(st, m->step, m->item, m->claim > 0);
		return true;
	}
	/* A rollback action is a tick like any other, of the way back: no
	 * gate (the way back is never locked) and no effect on the forward
	 * progress (rollback.h). */
	if (m->rollback) {
		rollback_tick(st, m->rb, m->item, m->action, m->want == STEP_DONE);
		g = GATE_OPEN;
		ok = true;
	} else {
		g = apply(st, m->rb, m->step, m->item, m->action, m->want, m->reason, &ok, m->why,
			  sizeof m->why);
	}
	if (g != GATE_OPEN) {
		if (str_empty(m->reason)) {
			m->rc = EXIT_FAILURES;
			return false;
		}
		/* One reason overrides each gate that refuses, in turn (the
		 * order, the lock, the failed checks, the unticked actions),
		 * as they are in the file now, under the lock. */
		for (int k = 0; k < 4 && g != GATE_OPEN; k++) {
			if (!progress_override(st, m->rb, m->step, m->item, g, m->reason, m->why,
					       sizeof m->why)) {
				m->rc = EXIT_USAGE;
				return false;
			}
			m->overrode = true;
			/* NULL keeps the recorded "override: ..." as the reason. */
			g = apply(st, m->rb, m->step, m->item, m->action, m->want, NULL, &ok,
				  m->why, sizeof m->why);
		}
	}
	if (g != GATE_OPEN || !ok) {
		m->rc = g != GATE_OPEN ? EXIT_FAILURES : EXIT_USAGE;
		return false;
	}
	if (m->note)
		state_set_note(st, m->step, m->item, m->note);
	return true;
}

/* Saved, still under the lock: the journal explains it.  A journal
 * failure is reported but does not undo the recorded change. */
static void mark_journal(struct state *st, void *arg)
{
	struct mark_change *m = arg;
	bool ok = true;

	if (m->overrode) {
		const char *what = progress_overrode(st, m->step, m->item);

		if (!what && m->item)  /* the lock is overridden on the step */
			what = progress_overrode(st, m->step, NULL);
		ok = journal_append(st, m->step, m->item, "override", m->reason) && ok;
		if (what)
			ok = journal_append(st, m->step, m->item, "overrode", what) && ok;
	}
	if (m->claim) {
		ok = journal_append(st, m->step, m->item, "claim", m->claim > 0 ? "on" : "released") && ok;
	} else if (m->action) {
		char *act = xasprintf("%s%s.%s", m->rollback ? "rollback." : "",
				      m->want == STEP_DONE ? "tick" : "untick", m->action);

		ok = journal_append(st, m->step, m->item, act, m->want == STEP_DONE ? "on" : "off") && ok;
		free(act);
	} else {
		char *res = m->want == STEP_SKIPPED ? xasprintf("skipped: %s", m->reason)
						    : xstrdup(step_status_name(m->want));

		ok = journal_append(st, m->step, m->item, "status", res) && ok;
		free(res);
	}
	if (m->note)
		ok = journal_append(st, m->step, m->item, "note", m->note) && ok;
	m->journal_ok = ok;
}

/* A refusal names items from the state file: neutralised (text.h). */
static void print_why(const char *why)
{
	char *safe = output_safe(why);

	fprintf(stderr, "osmigrate mark: %s\n", safe);
	free(safe);
}

int cmd_mark(int argc, char **argv)
{
	enum { OPT_REASON = 256, OPT_ACTION };
	static const struct option longopts[] = {
		{ "item", required_argument, NULL, 'i' },
		{ "note", required_argument, NULL, 'n' },
		{ "reason", required_argument, NULL, OPT_REASON },
		{ "action", required_argument, NULL, OPT_ACTION },
		{ "state", required_argument, NULL, 's' },
		{ "runbook", required_argument, NULL, 'r' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *item = NULL, *note = NULL, *reason = NULL, *action_id = NULL;
	const char *state_opt = NULL, *runbook_opt = NULL, *step_id, *status_word;
	const struct runbook *rb;
	const struct rb_step *s;
	const struct rb_action *rollback = NULL;
	struct state_error err;
	enum step_status want;
	struct mark_change mc;
	struct state *st;
	char why[1024];
	bool overrode = false;
	char *path, *note_masked = NULL, *reason_masked = NULL;
	int c, rc = EXIT_OK, claim;

	optind = 1;
	while ((c = getopt_long(argc, argv, "i:n:s:r:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'i': item = optarg; break;
		case 'n': note = optarg; break;
		case OPT_REASON: reason = optarg; break;
		case OPT_ACTION: action_id = optarg; break;
		case 's': state_opt = optarg; break;
		case 'r': runbook_opt = optarg; break;
		case 'h': mark_usage(stdout); return EXIT_OK;
		default:
			fprintf(stderr, "Try 'osmigrate mark --help' for more information.\n");
			return EXIT_USAGE;
		}
	}
	if (argc - optind != 2) {
		fprintf(stderr, "osmigrate mark: expected STEP and done|skipped|pending\n"
			"Try 'osmigrate mark --help' for more information.\n");
		return EXIT_USAGE;
	}
	step_id = argv[optind];
	status_word = argv[optind + 1];
	claim = str_eq(status_word, "claim") ? 1 : str_eq(status_word, "release") ? -1 : 0;
	if (!claim && !parse_status(status_word, &want)) {
		fprintf(stderr, "osmigrate mark: unknown status '%s': use done, skipped, pending, "
			"claim or release\n", status_word);
		return EXIT_USAGE;
	}
	if (claim)
		want = STEP_PENDING;
	if (str_empty(item))
		item = NULL;
	if (claim && (!item || action_id || note || reason)) {
		fprintf(stderr, "osmigrate mark: %s takes an item (--item NAME) and nothing else: "
			"one claims a server or an extension, not a step or an action\n", status_word);
		return EXIT_USAGE;
	}
	/* Free text is stored and journaled: a pasted conninfo must not carry
	 * its password to disk. */
	if (note)
		note = note_masked = mask_secrets(note);
	if (reason)
		reason = reason_masked = mask_secrets(reason);

	path = output_state_path("mark", state_opt, runbook_opt);
	if (!path) {
		free(note_masked);
		free(reason_masked);
		return EXIT_USAGE;
	}
	memset(&err, 0, sizeof err);
	st = state_open(path, &err);
	if (!st) {
		fprintf(stderr, "osmigrate mark: %s\n", err.msg);
		free(path);
		free(note_masked);
		free(reason_masked);
		return err.code ? err.code : EXIT_DATAERR;
	}
	if (st->is_new || !state_runbook(st)) {
		if (!runbook_opt) {
			fprintf(stderr,
				"osmigrate mark: %s holds no procedure yet: start it with "
				"'osmigrate RUNBOOK', or give --runbook ID to start it here\n", path);
			rc = EXIT_USAGE;
			goto out;
		}
		state_set_runbook(st, runbook_opt);
	}
	/* The step, item and action are checked on the file as read; the
	 * change itself on the file as it is when written (mark_apply). */
	rb = runbook_find(state_runbook(st));
	if (!rb) {
		fprintf(stderr, "osmigrate mark: %s: unknown runbook '%s' in [osmigrate]; restore "
			"the file from its backup\n", path, state_runbook(st));
		rc = EXIT_DATAERR;
		goto out;
	}
	if (runbook_opt && !str_eq(runbook_opt, rb->id)) {
		fprintf(stderr, "osmigrate mark: %s belongs to runbook %s, not %s\n", path, rb->id,
			runbook_opt);
		rc = EXIT_USAGE;
		goto out;
	}
	s = runbook_step(rb, step_id);
	if (!s) {
		rc = list_steps(rb, step_id);
		goto out;
	}
	if (item) {
		size_t n;
		const char **items = progress_items(st, s, &n);
		bool known = false;

		for (size_t i = 0; i < n; i++)
			known = known || str_eq(items[i], item);
		free(items);
		if (!known) {
			rc = list_items(st, s, item);
			goto out;
		}
	}

	if (action_id) {
		if (want == STEP_SKIPPED) {
			fprintf(stderr, "osmigrate mark: an action is ticked (done) or unticked "
				"(pending), not skipped; skip the %s instead (without --action)\n",
				item ? "item" : "step");
			rc = EXIT_USAGE;
			goto out;
		}
		rollback = item ? rollback_action(rb, s->id, action_id) : NULL;
		if (!rollback && !step_action(s, action_id, item != NULL)) {
			rc = list_actions(s, item, action_id);
			goto out;
		}
	}
	if (want == STEP_SKIPPED && str_empty(reason)) {
		fprintf(stderr, "osmigrate mark: skipping needs --reason TEXT saying why the %s "
			"does not apply (it goes into the change record)\n", item ? "item" : "step");
		rc = EXIT_USAGE;
		goto out;
	}
	/* A change that changes nothing is not recorded: an action already
	 * ticked (or never ticked), a step or item already pending.  Nothing
	 * is saved or journaled, and the command says so. */
	if (!claim && !note && ((action_id && state_ticked(st, s->id, item, action_id, NULL, NULL) ==
				    (want == STEP_DONE)) ||
		      (!action_id && want == STEP_PENDING &&
		       progress_item_status(st, rb, s, item, NULL, NULL) == STEP_PENDING))) {
		if (action_id)
			printf("%s: action %s is already %s: nothing recorded\n", s->id, action_id,
			       want == STEP_DONE ? "ticked" : "unticked");
		else
			printf("%s: %s is already pending: nothing recorded\n", s->id,
			       item ? "the item" : "the step");
		goto out;
	}
	/* Every change is journaled: a journal that cannot be written (a FIFO,
	 * a link, another user's file) is found before anything is recorded. */
	if (!journal_check(path, why, sizeof why)) {
		fprintf(stderr, "osmigrate mark: nothing recorded: %s\n", why);
		rc = EXIT_DATAERR;
		goto out;
	}
	mc = (struct mark_change){ .rb = rb, .step = s->id, .item = item, .action = action_id,
				   .reason = reason, .note = note, .want = want, .rollback = rollback,
				   .claim = claim };
	if (!state_apply(st, mark_apply, mark_journal, &mc, &err)) {
		if (err.code) {
			fprintf(stderr, "osmigrate mark: %s\n", err.msg);
			rc = err.code;
		} else if (mc.rc == EXIT_FAILURES && str_empty(reason)) {
			char *safe = output_safe(mc.why);

			fprintf(stderr, "osmigrate mark: refused: %s\nTo override, repeat with "
				"--reason TEXT.\n", safe);
			free(safe);
			rc = EXIT_FAILURES;
		} else {
			print_why(mc.why);
			rc = mc.rc ? mc.rc : EXIT_SOFTWARE;
		}
		goto out;
	}
	overrode = mc.overrode;
	if (st->conflict[0])
		print_why(st->conflict);
	if (!mc.journal_ok)
		fprintf(stderr, "osmigrate mark: warning: %s\n", journal_last_error());
	if (mc.claimed_by[0]) {
		char *safe = output_safe(item), *who = output_safe(mc.claimed_by);

		/* advisory: said, recorded, journaled with who did it */
		printf("%s: '%s' was claimed by %s; your change is recorded and journaled\n", s->id,
		       safe, who);
		free(safe);
		free(who);
	}
	if (claim) {
		char *safe = output_safe(item);

		printf("%s: %s '%s' %s\n", s->id, item_kind_label(s->items), safe,
		       claim > 0 ? "claimed: the others see you are on it" : "released");
		free(safe);
		goto out;
	}

	if (action_id)
		printf("%s: %saction %s %s\n", s->id, rollback ? "rollback " : "", action_id,
		       want == STEP_DONE ? "ticked" : "unticked");
	if (rollback) {
		char *safe = output_safe(item);

		printf("%s: %s '%s': rollback %zu/%zu actions ticked (osmigrate rollback shows "
		       "the way back)\n", s->id, item_kind_label(s->items), safe,
		       rollback_item_ticked(st, rb, item), rb->rollback->n_actions);
		free(safe);
		goto out;
	}
	if (item) {
		char *safe = output_safe(item);

		printf("%s: %s '%s' marked %s%s\n", s->id, item_kind_label(s->items), safe,
		       step_status_name(progress_item_status(st, rb, s, item, NULL, NULL)),
		       overrode ? " (override recorded)" : "");
		free(safe);
		printf("%s: step is %s\n", s->id, step_status_name(state_step_status(st, s->id)));
	} else {
		printf("%s: step %s %s%s\n", s->id, action_id ? "is" : "marked",
		       step_status_name(state_step_status(st, s->id)),
		       overrode ? " (override recorded)" : "");
	}
out:
	state_close(st);
	free(path);
	free(note_masked);
	free(reason_masked);
	return rc;
}
