/* cmd_rollback.c - `osmigrate rollback`: the way back, built from what the
 * state says was done (rollback.h), as text for the operator or Markdown
 * for the ticket.  Only reads the state file; exits 0 when it printed the
 * path (also when there is nothing to undo yet). */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "exitcodes.h"
#include "output.h"
#include "progress.h"
#include "rollback.h"
#include "runbook.h"
#include "state.h"
#include "util.h"

static void rollback_usage(FILE *f)
{
	fprintf(f,
"Usage: osmigrate rollback [--state FILE | --runbook ID] [--format text|md]\n"
"Print the way back, built from what the state file says was done:\n"
"endpoint-change and restore-database: the servers already reconfigured,\n"
"the front-ends first and the Deployment Controller last, each with the\n"
"database address to put back; connector-migration: the extensions already\n"
"rebound, to be rebound to the ardoPostgreSQL connection, refreshed and\n"
"republished.  Record each rollback action as you do it with\n"
"'osmigrate mark STEP done --item NAME --action ID' (or the wizard's w key).\n"
"\n"
"  -s, --state FILE    the state file (default: the one default state file)\n"
"  -r, --runbook ID    use the default state file of this runbook\n"
"  -f, --format FMT    text (default) or md (Markdown, for the ticket)\n"
"  -h, --help          display this help and exit\n"
"\n"
"Exit status: 0 the path was printed (also when nothing is to be undone\n"
"yet), 64 usage or no state file, 65 bad state file, 74 standard output\n"
"not written.\n");
}

static void esc(struct strbuf *sb, bool md, const char *s)
{
	if (md) {
		output_md(sb, s);
	} else {
		char *safe = output_safe(s);

		sb_add(sb, safe);
		free(safe);
	}
}

static const char *entry_role(const struct rollback_path *p, const struct rollback_entry *e)
{
	if (p->rb->kind != ROLLBACK_SERVERS)
		return item_kind_label(p->step->items);
	return e->controller ? "Deployment Controller, last" : "front-end";
}

static void write_path(struct strbuf *sb, const struct state *st, const struct runbook *rb,
		       const char *path, bool md)
{
	struct rollback_path p;
	const char *kind;

	rollback_build(st, rb, &p);
	kind = item_kind_label(p.step->items);
	if (md) {
		sb_add(sb, "# Rollback path: ");
		esc(sb, true, rb->title);
		sb_add(sb, "\n\n- Runbook: `");
		sb_add(sb, rb->id);
		sb_add(sb, "`\n- State file: ");
		esc(sb, true, path);
		sb_add(sb, "\n- Generated: ");
		{
			char now[OSM_ISO_LEN];

			iso8601_now(now);
			sb_addf(sb, "%s by ", now);
			esc(sb, true, operator_id());
		}
		sb_add(sb, "\n\n");
	} else {
		sb_addf(sb, "Rollback path: %s (%s)\nState: ", rb->title, rb->id);
		esc(sb, false, path);
		sb_add(sb, "\n\n");
	}
	esc(sb, md, p.rb->intro);
	sb_add(sb, "\n");
	if (p.rb->kind == ROLLBACK_SERVERS) {
		size_t n;
		char **lines = rollback_addresses(st->doc, &n);

		for (size_t i = 0; i < n; i++) {
			sb_add(sb, md ? "\n**" : "\n");
			esc(sb, md, lines[i]);
			sb_add(sb, md ? "**\n" : "\n");
		}
		rollback_lines_free(lines, n);
	}
	if (p.n == 0) {
		sb_addf(sb, "\nNothing to roll back: no %s has been %s yet (step '%s', %s).\n",
			kind, p.rb->done_word, p.step->id, p.step->title);
		rollback_free(&p);
		return;
	}
	sb_addf(sb, "\n%zu of %zu %s%s %s so far (step '%s'); undo %s in this order:\n",
		p.n, p.n_items, kind, p.n_items == 1 ? "" : "s", p.rb->done_word, p.step->id,
		p.n == 1 ? "it" : "them");
	for (size_t i = 0; i < p.n; i++) {
		const struct rollback_entry *e = &p.e[i];

		sb_addf(sb, md ? "\n## %zu. " : "\n%zu. ", i + 1);
		esc(sb, md, e->item);
		sb_addf(sb, " (%s; %s, %zu/%zu actions ticked", entry_role(&p, e),
			step_status_name(e->status), e->forward_ticked, p.step->n_item_actions);
		if (e->ticked)
			sb_addf(sb, "; rollback %zu/%zu", e->ticked, p.rb->n_actions);
		sb_add(sb, md ? ")\n\n" : ")\n");
		for (size_t k = 0; k < p.rb->n_actions; k++) {
			const struct rb_action *a = &p.rb->actions[k];
			const char *by = NULL, *at = NULL;
			bool on = state_ticked(st, p.step->id, e->item, a->id, &by, &at);

			if (md) {
				sb_addf(sb, "- [%c] ", on ? 'x' : ' ');
				esc(sb, true, a->text);
				sb_addf(sb, " (`%s`)", a->id);
			} else {
				sb_addf(sb, "     %s %-20s %s", on ? "[x]" : "[ ]", a->id, a->text);
			}
			if (on) {
				sb_add(sb, " (");
				esc(sb, md, by);
				sb_add(sb, " at ");
				esc(sb, md, at);
				sb_add(sb, ")");
			}
			sb_add(sb, "\n");
		}
	}
	if (md) {
		sb_addf(sb, "\nEach rollback action is recorded as it is done: `osmigrate mark %s done "
			"--item NAME --action ID`.\n", p.step->id);
	} else {
		sb_add(sb, "\nRecord each action as you do it (the journal and the report keep it):\n"
			   "  osmigrate mark ");
		sb_addf(sb, "%s done --item NAME --action ID --state ", p.step->id);
		esc(sb, false, path);
		sb_add(sb, "\n");
	}
	rollback_free(&p);
}

int cmd_rollback(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "state", required_argument, NULL, 's' },
		{ "runbook", required_argument, NULL, 'r' },
		{ "format", required_argument, NULL, 'f' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *state_opt = NULL, *runbook_opt = NULL, *format = "text";
	struct strbuf sb = STRBUF_INIT;
	const struct runbook *rb;
	struct state *st;
	char *path;
	int c, rc;

	optind = 0;
	while ((c = getopt_long(argc, argv, "s:r:f:h", longopts, NULL)) != -1) {
		switch (c) {
		case 's': state_opt = optarg; break;
		case 'r': runbook_opt = optarg; break;
		case 'f': format = optarg; break;
		case 'h': rollback_usage(stdout); return EXIT_OK;
		default:
			fprintf(stderr, "Try 'osmigrate rollback --help' for more information.\n");
			return EXIT_USAGE;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "osmigrate rollback: unexpected argument '%s'\n"
			"Try 'osmigrate rollback --help' for more information.\n", argv[optind]);
		return EXIT_USAGE;
	}
	if (!str_eq(format, "text") && !str_eq(format, "md")) {
		fprintf(stderr, "osmigrate rollback: --format is text or md, not '%s'\n", format);
		return EXIT_USAGE;
	}
	path = output_state_path("rollback", state_opt, runbook_opt);
	if (!path)
		return EXIT_USAGE;
	st = output_open_readonly("rollback", path, &rc);
	if (!st) {
		free(path);
		return rc;
	}
	rb = runbook_find(state_runbook(st));
	if (runbook_opt && !str_eq(runbook_opt, rb->id)) {
		fprintf(stderr, "osmigrate rollback: %s belongs to runbook %s, not %s\n", path, rb->id,
			runbook_opt);
		state_close(st);
		free(path);
		return EXIT_USAGE;
	}
	if (!rb->rollback) {
		fprintf(stderr, "osmigrate rollback: %s has no rollback path\n", rb->id);
		state_close(st);
		free(path);
		return EXIT_USAGE;
	}
	write_path(&sb, st, rb, path, str_eq(format, "md"));
	fputs(sb_str(&sb), stdout);
	sb_free(&sb);
	state_close(st);
	free(path);
	return EXIT_OK;
}
