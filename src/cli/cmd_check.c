/* cmd_check.c - `osmigrate check`: every automated check of a runbook (or of
 * one step), without screens, pg_upgrade style: one padded "Checking ..."
 * line per result, a summary, then what to do for each result that is not
 * ok.  Results go into the state file when one is given.
 *
 * Exit status by the one severity policy (result.h): 0 all ok, 1 warnings
 * only, 2 at least one failure, 3 at least one check could not run and
 * none failed. */
#include "config.h"

#include <getopt.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "commands.h"
#include "ctx.h"
#include "exitcodes.h"
#include "journal.h"
#include "login.h"
#include "output.h"
#include "pg.h"
#include "runbook.h"
#include "state.h"
#include "text.h"
#include "util.h"

static void check_usage(FILE *f)
{
	fprintf(f,
"Usage: osmigrate check RUNBOOK [--answers FILE] [--state FILE] [--step STEP]\n"
"                       [--save-answers FILE]\n"
"Run every automated check of RUNBOOK (or of one step) without screens and\n"
"print one 'Checking ... ok|warning|FAILED|error' line per result, a summary,\n"
"and what to do for each result that is not ok.\n"
"\n"
"  -a, --answers FILE  settings to check (an answers file); with --state they\n"
"                      are copied into the state file first\n"
"  -s, --state FILE    take settings from this state file and record the\n"
"                      results in it (default without --answers: RUNBOOK's\n"
"                      default state file, as status, mark and report use)\n"
"      --step STEP     only the checks of this step\n"
"      --save-answers FILE  write the settings that were checked (no progress,\n"
"                      no secrets) to FILE as an answers file (0600)\n"
"  -h, --help          display this help and exit\n"
"\n"
"Passwords come from ~/.pgpass, PGPASSFILE, a service, PGPASSWORD, or a prompt\n"
"when standard input is a terminal; the LifeTime token from\n"
"OSMIGRATE_LIFETIME_TOKEN or [lifetime] token_file.  Nothing secret is written.\n"
"\n"
"A module's _ping.html counts as ok when it is an HTML page; no text of it is\n"
"assumed.  Its SHA-256 is recorded with --state, and the republish steps\n"
"compare it with an earlier ping there (the page carries a hash of the\n"
"deployed application, says an OutSystems forum answer, not documentation):\n"
"run connector-migration --step connection before the rebind.  The\n"
"OutSystems services' ports are probed only with [services] reachable = yes.\n"
"\n"
"Exit status: 0 all ok, 1 warnings only, 2 at least one failure, 3 a check\n"
"could not run (and none failed), or nothing was checked (the step has no\n"
"automated checks), 64 usage, 65 bad answers or state file,\n"
"74 state file or standard output not written, 75 state file locked,\n"
"130 interrupted.\n");
}

/* Result ids are "check_id" or "check_id:ITEM": the journal files them
 * under the step of their check and the item. */
static const char *check_step(const char *runbook, const char *result_id)
{
	size_t n = strcspn(result_id, ":");

	/* One id may serve several runbooks (endpoint_new): match both. */
	for (size_t i = 0; i < n_check_infos; i++)
		if (str_eq(check_infos[i].runbook, runbook) &&
		    strlen(check_infos[i].id) == n && strncmp(check_infos[i].id, result_id, n) == 0)
			return check_infos[i].step;
	return NULL;
}

static const char *check_item(const char *result_id)
{
	const char *colon = strchr(result_id, ':');

	return colon ? colon + 1 : NULL;
}

static int list_steps(const struct runbook *rb, const char *bad)
{
	fprintf(stderr, "osmigrate check: unknown step '%s' in %s; the steps are:\n", bad, rb->id);
	for (size_t i = 0; i < rb->n_steps; i++)
		fprintf(stderr, "  %-16s %s\n", rb->steps[i].id, rb->steps[i].title);
	return EXIT_USAGE;
}

static void print_result(const struct check_result *r, bool color)
{
	output_checking(stdout, r->label);
	output_check_status(stdout, color, r->status);
	putchar('\n');
	fflush(stdout);
}

static void print_indented(const char *prefix, const char *text)
{
	char *safe;
	const char *p;

	if (str_empty(text))
		return;
	/* Keep the detail's own lines, but no control characters (text.h). */
	safe = text_safe_lines(text);
	p = safe;
	while (*p) {
		size_t n = strcspn(p, "\n");

		printf("%s%.*s\n", prefix, (int)n, p);
		p += n;
		if (*p)
			p++;
	}
	free(safe);
}

/* The results, stored on the state file's content at the moment they are
 * written (the checks ran without holding it: other sessions may have
 * changed it meanwhile), then journaled under the same lock. */
struct check_store {
	const struct runbook *rb;
	const struct check_report *rep;
	bool cancelled;
	size_t kept;
	bool journal_ok;
};

static bool check_store_apply(struct state *st, void *arg, struct state_error *err)
{
	struct check_store *cs = arg;

	(void)err;
	if (!state_runbook(st))
		state_set_runbook(st, cs->rb->id);
	/* Interrupted: what could not check keeps the last finished result
	 * (of the file as it is now, under the lock). */
	cs->kept = check_report_store_run(cs->rep, st->doc, cs->cancelled);
	return true;
}

static void check_store_journal(struct state *st, void *arg)
{
	struct check_store *cs = arg;
	bool jok = true;

	for (size_t i = 0; i < cs->rep->n; i++) {
		const struct check_result *r = &cs->rep->r[i];
		char *action = xasprintf("check.%.*s", (int)strcspn(r->id, ":"), r->id);
		char *res = xasprintf("%s%s%s", check_status_key(r->status), r->summary ? ": " : "",
				      r->summary ? r->summary : "");

		jok = journal_append(st, check_step(cs->rb->id, r->id), check_item(r->id), action,
				     res) && jok;
		free(action);
		free(res);
	}
	cs->journal_ok = jok;
}

int cmd_check(int argc, char **argv)
{
	enum { OPT_STEP = 256, OPT_SAVE_ANSWERS };
	static const struct option longopts[] = {
		{ "answers", required_argument, NULL, 'a' },
		{ "state", required_argument, NULL, 's' },
		{ "step", required_argument, NULL, OPT_STEP },
		{ "save-answers", required_argument, NULL, OPT_SAVE_ANSWERS },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *answers_path = NULL, *state_path = NULL, *step_id = NULL, *save_path = NULL;
	char *default_state = NULL;
	const struct runbook *rb;
	struct doc *answers = NULL;
	struct state *st = NULL;
	struct state_error err;
	struct secrets secrets;
	struct check_report rep;
	struct check_env env;
	struct ctx ctx;
	size_t counts[4] = { 0, 0, 0, 0 };
	bool color;
	int c, rc = EXIT_OK;

	optind = 1;
	while ((c = getopt_long(argc, argv, "a:s:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'a': answers_path = optarg; break;
		case 's': state_path = optarg; break;
		case OPT_STEP: step_id = optarg; break;
		case OPT_SAVE_ANSWERS: save_path = optarg; break;
		case 'h': check_usage(stdout); return EXIT_OK;
		default:
			fprintf(stderr, "Try 'osmigrate check --help' for more information.\n");
			return EXIT_USAGE;
		}
	}
	if (argc - optind != 1) {
		fprintf(stderr, "osmigrate check: expected one RUNBOOK (connector-migration, "
			"endpoint-change, restore-database)\n"
			"Try 'osmigrate check --help' for more information.\n");
		return EXIT_USAGE;
	}
	rb = runbook_find(argv[optind]);
	if (!rb) {
		fprintf(stderr, "osmigrate check: unknown runbook '%s' (runbooks:", argv[optind]);
		for (size_t i = 0; i < n_runbooks; i++)
			fprintf(stderr, " %s", runbooks[i]->id);
		fprintf(stderr, ")\n");
		return EXIT_USAGE;
	}
	if (step_id && !runbook_step(rb, step_id))
		return list_steps(rb, step_id);
	/* As status, mark and report: without --answers or --state, the
	 * runbook's default state file (the session the wizard keeps). */
	if (!answers_path && !state_path) {
		default_state = state_default_path(rb->id);
		if (access(default_state, F_OK) != 0) {
			fprintf(stderr, "osmigrate check: no session of %s at %s: give the settings "
				"to check with --answers FILE (or --state FILE of a session), or "
				"start the procedure with 'osmigrate %s'\n"
				"Try 'osmigrate check --help' for more information.\n",
				rb->id, default_state, rb->id);
			free(default_state);
			return EXIT_USAGE;
		}
		state_path = default_state;
	}

	memset(&err, 0, sizeof err);
	if (answers_path) {
		answers = answers_load(answers_path, &err);
		if (!answers) {
			fprintf(stderr, "osmigrate check: %s\n", err.msg);
			return err.code ? err.code : EXIT_DATAERR;
		}
	}
	if (state_path) {
		st = state_open(state_path, &err);
		if (!st) {
			fprintf(stderr, "osmigrate check: %s\n", err.msg);
			doc_free(answers);
			free(default_state);
			return err.code ? err.code : EXIT_DATAERR;
		}
		if (!state_runbook(st)) {
			state_set_runbook(st, rb->id);
		} else if (!str_eq(state_runbook(st), rb->id)) {
			fprintf(stderr, "osmigrate check: %s holds the %s procedure, not %s: give "
				"another --state FILE\n", state_path, state_runbook(st), rb->id);
			state_close(st);
			doc_free(answers);
			free(default_state);
			return EXIT_USAGE;
		}
		if (answers)
			settings_merge(st->doc, answers);
	}

	memset(&secrets, 0, sizeof secrets);
	memset(&ctx, 0, sizeof ctx);
	ctx.cancel = output_catch_signals();
	ctx.secrets = &secrets;

	env.settings = st ? st->doc : answers;
	/* Before the checks: the settings are worth keeping even if a check hangs
	 * and the operator interrupts it. */
	if (save_path && !answers_save(env.settings, save_path, &err)) {
		fprintf(stderr, "osmigrate check: %s\n", err.msg);
		if (st)
			state_close(st);
		doc_free(answers);
		free(default_state);
		return err.code ? err.code : EXIT_IOERR;
	}
	env.ctx = &ctx;
	env.item = NULL;
	/* On a terminal, find out before the checks run whether a connection
	 * needs a password that libpq cannot find, and ask for it once.
	 * Without a terminal nothing is asked: the connection checks report
	 * the need with their fix (PGPASSWORD, ~/.pgpass, a service file). */
	output_ask_on_terminal(&ctx, NULL);
	if (ctx.ask && !getenv("PGPASSWORD"))
		pg_login_all(env.settings, &ctx);
	/* The checks themselves do not ask: what is still missing is said in
	 * their results. */
	ctx.ask = NULL;

	color = output_color(stdout);
	check_report_init(&rep);
	/* Step by step, so results appear while later checks still run. */
	for (size_t i = 0; i < rb->n_steps; i++) {
		size_t before = rep.n;

		if (step_id && !str_eq(step_id, rb->steps[i].id))
			continue;
		checks_run(rb->id, rb->steps[i].id, &env, &rep);
		for (size_t k = before; k < rep.n; k++)
			print_result(&rep.r[k], color);
	}
	secrets_wipe(&secrets);

	for (size_t i = 0; i < rep.n; i++)
		counts[rep.r[i].status]++;
	if (rep.n == 0) {
		printf("No automated checks for %s%s%s: nothing was checked.\n", rb->id,
		       step_id ? " step " : "", step_id ? step_id : "");
	} else {
		printf("\n%zu %s: %zu ok, %zu %s, %zu failed, %zu could not check\n",
		       rep.n, plural(rep.n, "check", "checks"), counts[CHECK_OK],
		       counts[CHECK_WARNING], plural(counts[CHECK_WARNING], "warning", "warnings"),
		       counts[CHECK_FAILED], counts[CHECK_ERROR]);
	}
	for (size_t i = 0; i < rep.n; i++) {
		const struct check_result *r = &rep.r[i];
		char *label;

		if (r->status == CHECK_OK)
			continue;
		label = output_safe(r->label);
		printf("\n");
		output_check_status(stdout, color, r->status);
		printf(": %s\n", label);
		free(label);
		print_indented("  ", r->summary);
		print_indented("  ", r->detail);
		print_indented("  What to do: ", r->fix ? r->fix
					: "no advice was given; run the check in the wizard for details");
	}

	/* Nothing checked is not "all ok": 3, as when a check could not run,
	 * and nothing is recorded (no result, no journal line). */
	rc = rep.n == 0 ? EXIT_NOCHECK : check_verdict_exit(check_report_verdict(&rep));

	if (st && rep.n) {
		struct check_store cs = { .rb = rb, .rep = &rep, .cancelled = ctx_cancelled(&ctx) };

		if (!state_apply(st, check_store_apply, check_store_journal, &cs, &err)) {
			fprintf(stderr, "osmigrate check: %s\n", err.msg);
			rc = err.code ? err.code : EXIT_IOERR;
		} else {
			if (cs.kept)
				fprintf(stderr, "osmigrate check: interrupted: %zu earlier result%s kept in "
					"place of what could not be checked\n", cs.kept, cs.kept == 1 ? "" : "s");
			if (!cs.journal_ok)
				fprintf(stderr, "osmigrate check: warning: %s\n", journal_last_error());
			printf("\nResults recorded in %s\n", state_path);
		}
		state_close(st);
	}
	if (st && !rep.n)
		state_close(st);
	check_report_free(&rep);
	doc_free(answers);
	free(default_state);
	return output_signal_exit() ? output_signal_exit() : rc;
}
