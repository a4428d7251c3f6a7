/* cmd_status.c - `osmigrate status`: where the procedure stands, like
 * `git status` during a rebase: each step with its mark, who/when and item
 * progress, the last check results, and what to do next.  --log shows the
 * journal instead. */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "commands.h"
#include "exitcodes.h"
#include "journal.h"
#include "output.h"
#include "progress.h"
#include "rollback.h"
#include "runbook.h"
#include "state.h"
#include "typescan.h"
#include "util.h"

static void status_usage(FILE *f)
{
	fprintf(f,
"Usage: osmigrate status [--state FILE | --runbook ID] [--log | --actions]\n"
"Show where the procedure stands: the verdict (complete only when every step\n"
"is done or skipped and nothing was overridden; else complete with N\n"
"overrides, or incomplete; rolled back once a rollback action was ticked),\n"
"each step's status, who changed it and when, item progress ([x]! done\n"
"with actions unticked), the overrides, the last check results and the next\n"
"action.\n"
"\n"
"  -s, --state FILE    the state file (default: the one default state file)\n"
"  -r, --runbook ID    use the default state file of this runbook\n"
"  -l, --log           show the journal (every recorded event) instead\n"
"  -a, --actions       also list every action with its id and tick, and the\n"
"                      items of finished steps (the ids `mark --action` takes)\n"
"  -h, --help          display this help and exit\n"
"\n"
"Exit status: 0 shown (whatever the verdict), 64 usage or no state file, 65\n"
"bad state file, or with\n"
"--log a journal refused as unsafe (the message says why), 74 standard\n"
"output not written.\n");
}

/* Values from the state file never reach the terminal with control characters. */
#define PRINT_SAFE(fmt, s) do { \
		char *safe_ = output_safe(s); \
		printf(fmt, safe_); \
		free(safe_); \
	} while (0)

static int show_log(const char *path)
{
	char err[1536];
	char *jpath = journal_path(path);
	struct journal j;

	if (!journal_read(jpath, &j, err, sizeof err)) {
		fprintf(stderr, "osmigrate status: %s\n", err);
		free(jpath);
		return EXIT_DATAERR;
	}
	if (j.n == 0)
		printf("No events recorded in %s yet.\n", jpath);
	for (size_t i = 0; i < j.n; i++) {
		const struct journal_entry *e = &j.e[i];
		struct strbuf where = STRBUF_INIT;
		char *w, *line;

		sb_add(&where, e->step[0] ? e->step : "-");
		if (e->item[0])
			sb_addf(&where, ":%s", e->item);
		line = xasprintf("%s  %-20s %-24s %-24s %s", e->time, e->operator, sb_str(&where),
				 e->action, e->result);
		w = output_safe(line);
		printf("%s\n", w);
		free(w);
		free(line);
		sb_free(&where);
	}
	if (j.bad)
		fprintf(stderr,
			"osmigrate status: %zu damaged or incomplete %s in %s ignored "
			"(an interrupted write leaves one; %s not events)\n", j.bad,
			j.bad == 1 ? "line was" : "lines were", jpath,
			j.bad == 1 ? "it is" : "they are");
	journal_free(&j);
	free(jpath);
	return EXIT_OK;
}

/* --actions: each action with its tick mark and id, as `mark --action ID`
 * takes it; item actions once per step with their text, then per item. */
static void show_actions(const struct state *st, const struct rb_step *s, const char *item)
{
	const struct rb_action *a = item ? s->item_actions : s->actions;
	size_t n = item ? s->n_item_actions : s->n_actions;

	for (size_t k = 0; k < n; k++) {
		bool on = state_ticked(st, s->id, item, a[k].id, NULL, NULL);

		if (item)
			printf("            %s %s\n", on ? "[x]" : "[ ]", a[k].id);
		else
			printf("        %s %-22s %s\n", on ? "[x]" : "[ ]", a[k].id, a[k].text);
	}
}

static void show_steps(const struct state *st, const struct runbook *rb, bool color,
		       bool actions)
{
	struct type_index *tix = type_index_build(st->doc); /* the findings, read once */

	for (size_t i = 0; i < rb->n_steps; i++) {
		const struct rb_step *s = &rb->steps[i];
		struct step_progress p;
		const char *by = doc_get(st->doc, "step", s->id, "by");
		const char *at = doc_get(st->doc, "step", s->id, "at");
		const char *reason = doc_get(st->doc, "step", s->id, "reason");
		const char *note = state_note(st, s->id, NULL);
		enum step_status shown;
		char prog[160];
		int tone;

		progress_step(st, rb, s, &p);
		progress_format(s, &p, prog, sizeof prog);
		/* The mark the wizard shows: [!] also for a step still open whose
		 * checks FAILED (result.h). */
		shown = check_step_shown_status(st, rb, s);
		tone = shown == STEP_DONE ? 0 : shown == STEP_FAILED ? 2 :
		       shown == STEP_SKIPPED ? 1 : 3;
		printf("  ");
		output_word(stdout, color && shown != STEP_PENDING, tone,
			    progress_mark(st, rb, s, NULL, shown));  /* [x]! forced */
		printf(" %-14s %-26s %-11s %s", s->id, s->title, step_status_name(p.status), prog);
		if (p.locked) {
			const struct rb_gate *g;
			const char *pending;

			progress_lock_why(st, rb, s, &g, &pending);
			if (pending)
				printf(" (locked: step %s not done)", pending);
			else
				printf(" (locked: %s not %s)", g->subject, g->passed);
		}
		printf("\n");
		if (by || at) {
			PRINT_SAFE("      by %s", by ? by : "?");
			PRINT_SAFE(" at %s\n", at ? at : "?");
		}
		{
			char clock[256];

			progress_step_clock(st, s->id, clock, sizeof clock);
			if (clock[0])
				PRINT_SAFE("      %s\n", clock);
		}
		if (!str_empty(reason))
			PRINT_SAFE("      reason: %s\n", reason);
		if (!str_empty(note))
			PRINT_SAFE("      note: %s\n", note);
		if (actions && s->n_actions) {
			printf("      actions:\n");
			show_actions(st, s, NULL);
		}
		if (actions && s->n_item_actions) {
			printf("      actions of each %s:\n", item_kind_label(s->items));
			for (size_t k = 0; k < s->n_item_actions; k++)
				printf("        %-26s %s\n", s->item_actions[k].id,
				       s->item_actions[k].text);
		}
		if (s->items != ITEM_NONE &&
		    (actions || (p.status != STEP_DONE && p.status != STEP_SKIPPED))) {
			size_t n;
			const char **items = progress_items(st, s, &n);

			for (size_t k = 0; k < n; k++) {
				const char *ir;
				const struct rb_step *from;
				enum step_status is = progress_item_status(st, rb, s, items[k], &ir,
									   &from);

				printf("        %s ", progress_mark(st, rb, s, items[k], is));
				PRINT_SAFE("%-24s", items[k]);
				printf(" %zu/%zu", progress_item_ticked(st, s, items[k]),
				       s->n_item_actions);
				if (s->items == ITEM_SERVER && progress_is_controller(st, items[k]))
					printf("  (Deployment Controller)");
				if (from)
					printf("  skipped in step %s", from->id);
				if (!str_empty(ir))
					PRINT_SAFE("  reason: %s", ir);
				{
					const char *cby, *cat;

					/* a claim: advisory, see state.h */
					if (state_claimed(st, s->id, items[k], &cby, &cat)) {
						PRINT_SAFE("  %s is on it", cby);
						PRINT_SAFE(" (since %s)", cat ? cat : "?");
					}
				}
				printf("\n");
				if (actions)
					show_actions(st, s, items[k]);
				if (s->types == TYPES_ITEMS) {
					/* What Refresh Entity will do to this extension. */
					enum check_verdict v;
					char *found = type_extension_findings(st->doc, tix, items[k], 0, &v);

					PRINT_SAFE("            %s\n", found);
					free(found);
				}
			}
			free(items);
		}
	}
	type_index_free(tix);
}

/* Everything overridden or forced (progress.h), one line each. */
static void show_overrides(const struct state *st, const struct runbook *rb)
{
	struct progress_overrides o;

	progress_overrides(st, rb, &o);
	if (o.n)
		printf("\nOverrides:\n");
	for (size_t i = 0; i < o.n; i++) {
		const struct progress_override_rec *r = &o.r[i];

		printf("  %s", r->step->id);
		if (r->item)
			PRINT_SAFE(" '%s'", r->item);
		if (r->forced)
			printf(": forced, done with %zu/%zu actions ticked", r->ticked, r->total);
		if (r->reason)
			PRINT_SAFE(": %s", r->reason);
		else
			printf(" (no reason given)");
		PRINT_SAFE(" (by %s", r->by ? r->by : "?");
		PRINT_SAFE(" at %s)\n", r->at ? r->at : "?");
		if (r->overrode)
			PRINT_SAFE("      overrode: %s\n", r->overrode);
	}
	progress_overrides_free(&o);
}

static void show_checks(const struct state *st, bool color)
{
	struct check_results rs;

	check_results_all(st->doc, &rs);
	if (rs.n)
		printf("\nLast check results:\n");
	for (size_t i = 0; i < rs.n; i++) {
		const struct check_record *rec = &rs.r[i];
		const char *was = rec->status_known ? check_status_word(rec->status)
				  : rec->status_text ? rec->status_text : "?";

		printf("  ");
		if (rec->verdict == VERDICT_STALE) {
			/* What it said no longer counts: not shown as its verdict. */
			printf("%-8s", check_verdict_word(rec->verdict));
		} else if (rec->status_known) {
			/* Pad by the plain word so colour does not shift the columns. */
			output_check_status(stdout, color, rec->status);
			printf("%*s", (int)(8 - strlen(check_status_word(rec->status))), "");
		} else {
			PRINT_SAFE("%-8s", was);
		}
		PRINT_SAFE("%-28s", rec->id);
		PRINT_SAFE(" %s", rec->at ? rec->at : "");
		if (rec->stale_reason)
			PRINT_SAFE("  (was %s)", was);
		if (rec->summary)
			PRINT_SAFE("  %s", rec->summary);
		printf("\n");
		if (rec->stale_reason)
			printf("          %s\n", rec->stale_reason);
		if (rec->cancelled)
			printf("          cancelled: its run was interrupted before it could check; "
			       "run it again\n");
	}
	if (!rs.n)
		printf("\nNo checks have run yet (osmigrate check RUNBOOK --state FILE).\n");
	check_results_free(&rs);
}

/* A rollback under way (rollback.h): which items, how far. */
static void show_rollback(const struct state *st, const struct runbook *rb, const char *path)
{
	struct rollback_path p;

	if (!rollback_happened(st, rb) || !rollback_build(st, rb, &p))
		return;
	printf("\nRollback under way (step '%s'):\n", p.step->id);
	for (size_t i = 0; i < p.n; i++) {
		printf("  ");
		PRINT_SAFE("%-24s", p.e[i].item);
		printf(" %zu/%zu rollback actions\n", p.e[i].ticked, p.rb->n_actions);
	}
	PRINT_SAFE("  The whole way back: osmigrate rollback --state %s\n", path);
	rollback_free(&p);
}

static void show_next(const struct state *st, const struct runbook *rb, const char *path)
{
	struct progress_next nx;
	char why[1024];

	progress_next(st, rb, &nx);
	printf("\n");
	if (!nx.step) {
		size_t n;
		char v[64];
		enum progress_verdict pv = rollback_verdict(st, rb, &n);

		progress_verdict_text(pv, n, v, sizeof v);
		printf("Every step is done or skipped: the procedure is %s.\n"
		       "Write the change record with: osmigrate report --state %s\n", v, path);
		return;
	}
	{
		char *next = progress_next_text(st, rb);

		PRINT_SAFE("Next: %s\n", next);
		free(next);
	}
	if (nx.action)
		PRINT_SAFE("  %s\n", nx.item ? item_action_text(rb, nx.step, nx.action, st->doc, nx.item)
				       : nx.action->text);
	else if (nx.step->items != ITEM_NONE) {
		struct step_progress p;

		progress_step(st, rb, nx.step, &p);
		if (p.n_items == 0)
			printf("  Add the %ss of this step (settings [%s \"NAME\"]) in the wizard or "
			       "an answers file.\n", item_kind_label(nx.step->items),
			       item_kind_section(nx.step->items));
		else
			printf("  Every action is ticked: mark the step done.\n");
	} else {
		printf("  Run its checks or mark it: osmigrate mark %s done --state %s\n",
		       nx.step->id, path);
	}
	if (progress_gate(st, rb, nx.step->id, nx.item, why, sizeof why) != GATE_OPEN)
		PRINT_SAFE("  Blocked: %s\n", why);
}

int cmd_status(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "state", required_argument, NULL, 's' },
		{ "runbook", required_argument, NULL, 'r' },
		{ "log", no_argument, NULL, 'l' },
		{ "actions", no_argument, NULL, 'a' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *state_opt = NULL, *runbook_opt = NULL;
	const struct runbook *rb;
	bool log = false, actions = false, color;
	struct state *st;
	char *path;
	int c, rc;

	optind = 1;
	while ((c = getopt_long(argc, argv, "s:r:lah", longopts, NULL)) != -1) {
		switch (c) {
		case 's': state_opt = optarg; break;
		case 'r': runbook_opt = optarg; break;
		case 'l': log = true; break;
		case 'a': actions = true; break;
		case 'h': status_usage(stdout); return EXIT_OK;
		default:
			fprintf(stderr, "Try 'osmigrate status --help' for more information.\n");
			return EXIT_USAGE;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "osmigrate status: unexpected argument '%s'\n"
			"Try 'osmigrate status --help' for more information.\n", argv[optind]);
		return EXIT_USAGE;
	}
	path = output_state_path("status", state_opt, runbook_opt);
	if (!path)
		return EXIT_USAGE;
	st = output_open_readonly("status", path, &rc);
	if (!st) {
		free(path);
		return rc;
	}
	if (log) {
		rc = show_log(path);
		state_close(st);
		free(path);
		return rc;
	}
	rb = runbook_find(state_runbook(st));
	color = output_color(stdout);
	printf("Runbook: %s (%s)\n", rb->id, rb->title);
	printf("State:   %s\n", path);
	{
		const char *up = doc_get(st->doc, "osmigrate", NULL, "updated");
		const char *upby = doc_get(st->doc, "osmigrate", NULL, "updated_by");
		const char *cr = doc_get(st->doc, "osmigrate", NULL, "created");

		if (cr)
			PRINT_SAFE("Started: %s\n", cr);
		if (up) {
			PRINT_SAFE("Updated: %s", up);
			if (upby)
				PRINT_SAFE(" by %s", upby);
			printf("\n");
		}
	}
	{
		size_t n;
		char v[64];
		enum progress_verdict pv = rollback_verdict(st, rb, &n);

		progress_verdict_text(pv, n, v, sizeof v);
		printf("Verdict: %s\n", v);
	}
	printf("\n");
	show_steps(st, rb, color, actions);
	show_overrides(st, rb);
	show_checks(st, color);
	show_rollback(st, rb, path);
	show_next(st, rb, path);
	state_close(st);
	free(path);
	return EXIT_OK;
}
