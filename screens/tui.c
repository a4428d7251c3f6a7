/* tui.c - the wizard: start-up (chooser, resume offer, locking), the one
 * main loop that reads keys, dispatches KEY_RESIZE and signals, and acts on
 * the reactions the screens return; the layout (title, step list, screen,
 * message line, footer); the check worker thread. */
#include "config.h"

#include <errno.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "exitcodes.h"
#include "journal.h"
#include "login.h"
#include "pg.h"
#include "progress.h"
#include "tui_int.h"


void app_message(struct app *a, bool err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(a->msg, sizeof a->msg, fmt, ap);
	va_end(ap);
	a->msg_err = err;
}

const struct rb_step *app_step(const struct app *a)
{
	if (!a->rb || a->step < 0 || (size_t)a->step >= a->rb->n_steps)
		return NULL;
	return &a->rb->steps[a->step];
}

bool app_save(struct app *a)
{
	struct state_error err;

	/* Before the steps begin (chooser, resume offer) nothing changed: a
	 * quit there leaves an existing file byte for byte as it was. */
	if (!a->st || !a->begun)
		return true;
	/* A key that changed nothing (moving, opening a screen, quitting right
	 * after a save) writes nothing: the file already holds this state. */
	if (!state_changed(a->st))
		return true;
	if (!state_save(a->st, &err)) {
		app_message(a, true, "NOT SAVED: %s", err.msg);
		return false;
	}
	return true;
}

bool app_commit(struct app *a, const char *step, const char *item, const char *action,
		const char *result)
{
	if (!app_save(a))
		return false;
	if (action && !journal_append(a->st, step, item, action, result ? result : "")) {
		app_message(a, true, "saved, but the journal was not written: %s",
			    journal_last_error());
		return false;
	}
	return true;
}

int app_pending_signal(void)
{
	switch (tui_sig) {
	case SIGINT: return EXIT_SIGINT;
	case SIGTERM: return EXIT_SIGTERM;
	case SIGHUP: return EXIT_SIGHUP;
	default: return 0;
	}
}

/* ---- the check worker ------------------------------------------------- */

static void job_progress(void *ud, const char *what, long done, long total)
{
	struct job *j = ud;

	pthread_mutex_lock(&j->mu);
	snprintf(j->what, sizeof j->what, "%s", what ? what : "");
	j->done = done;
	j->total = total;
	pthread_mutex_unlock(&j->mu);
}

/* The type scan for the types screen: like check_type_verification (the
 * same set-up, typescan_run_settings), but the whole result is kept so the
 * UI thread can store every finding. */
static void job_types(struct job *j)
{
	static const char *id = "type_verification";
	static const char *label = "column types and stored values in scope";
	struct typescan_opts opts = { 0 };
	enum secret_kind needs;
	char err[1024], fix[512];

	job_progress(j, "connecting to the target", 0, 0);
	j->types_ok = typescan_run_settings(j->settings, NULL, &opts, &j->ctx, &j->types, err,
					    sizeof err, fix, sizeof fix, &needs);
	if (!j->types_ok) {
		check_add(&j->rep, id, label, CHECK_ERROR, "error: could not check", err,
			  fix)->needs = needs;
	} else {
		enum check_status st = type_result_status(&j->types);
		char *problem = type_result_scope_problem(&j->types);
		char *sum = xasprintf("%s%s%s%ld blocker(s), %ld warning(s), %ld info(s) over "
				      "%ld column(s) in %ld table(s)",
				      problem ? "could not check: " : "", problem ? problem : "",
				      problem ? "; " : "",
				      j->types.counts[TS_BLOCKER], j->types.counts[TS_WARNING],
				      j->types.counts[TS_INFO], j->types.columns,
				      j->types.tables);

		check_add(&j->rep, id, label, st, sum, NULL, st == CHECK_OK ? NULL :
			  problem && st == CHECK_ERROR
			  ? "Correct the names that matched nothing in the settings (e): [scope] "
			    "schemas and the extensions' tables, case-sensitive as in the "
			    "catalog; then rescan."
			  : "Review every blocker and warning on the types screen (t) and do "
			    "what each finding's fix says before refreshing entities.");
		free(sum);
		free(problem);
	}
}

/* LifeTime's environments for the settings screen's seeding (L). */
static void job_lifetime(struct job *j)
{
	struct lifetime lt;
	struct http_error e;
	enum lt_setup s;

	job_progress(j, "asking LifeTime for its environments", 0, 0);
	s = lifetime_open(j->settings, &j->ctx, &lt, j->lt_msg, sizeof j->lt_msg, j->lt_fix,
			  sizeof j->lt_fix);
	j->lt_setup = s;
	if (s != LT_READY) {
		if (s == LT_NOT_CONFIGURED) {
			snprintf(j->lt_msg, sizeof j->lt_msg, "[lifetime] is not configured");
			snprintf(j->lt_fix, sizeof j->lt_fix, "Set [lifetime] url in the settings.");
		}
		return;
	}
	memset(&e, 0, sizeof e);
	j->lt_ok = lifetime_environments(&lt, &j->ctx, &j->lt_envs, &j->lt_n, &e);
	if (!j->lt_ok) {
		j->lt_status = e.status;
		snprintf(j->lt_msg, sizeof j->lt_msg, "%s", e.msg);
		snprintf(j->lt_fix, sizeof j->lt_fix, "%s",
			 e.fix[0] ? e.fix : "Check [lifetime] url and that LifeTime is up.");
	}
	lifetime_close(&lt);
}

/* One server's ping: the registered server_ping check of this runbook,
 * limited to the server by env.item (no second copy of the ping logic). */
static void job_ping(struct job *j)
{
	const struct check_def *def = check_find(j->runbook, "server_ping");

	if (def)
		def->fn(&j->env, &j->rep);
}

static void *job_main(void *arg)
{
	struct job *j = arg;

	if (j->kind == JOB_TYPES)
		job_types(j);
	else if (j->kind == JOB_LIFETIME)
		job_lifetime(j);
	else if (j->kind == JOB_PING)
		job_ping(j);
	else
		checks_run(j->runbook, j->step, &j->env, &j->rep);
	/* Each result is tied to the settings it ran with, not to whatever the
	 * operator edits while it runs. */
	check_report_stamp(&j->rep, j->settings);
	atomic_store(&j->finished, 1);
	return NULL;
}

/* Start the worker on a copy of the settings; j->kind, runbook, step and
 * item are set by the caller. */
static bool job_spawn(struct app *a)
{
	struct job *j = &a->job;
	sigset_t block, old;
	int rc;

	/* The worker reads its own copy: the UI thread keeps changing the state. */
	j->settings = doc_clone(a->st->doc);
	check_report_init(&j->rep);
	type_result_init(&j->types);
	j->types_ok = false;
	j->lt_envs = NULL;
	j->lt_n = 0;
	j->lt_ok = false;
	j->lt_status = 0;
	j->lt_setup = LT_NOT_CONFIGURED;
	j->lt_msg[0] = j->lt_fix[0] = '\0';
	atomic_store(&j->cancel, 0);
	atomic_store(&j->finished, 0);
	j->what[0] = '\0';
	j->done = j->total = 0;
	j->ctx.cancel = &j->cancel;
	j->ctx.progress = job_progress;
	j->ctx.ud = j;
	j->ctx.timeout_s = 0;
	j->ctx.secrets = &a->secrets;
	j->env.settings = j->settings;
	j->env.ctx = &j->ctx;
	j->env.item = j->kind == JOB_PING ? j->item : NULL;
	j->started_ms = mono_ms();
	/* Signals go to the UI thread, whose input wait they interrupt. */
	sigemptyset(&block);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGHUP);
	sigaddset(&block, SIGWINCH);
	pthread_sigmask(SIG_BLOCK, &block, &old);
	rc = pthread_create(&j->th, NULL, job_main, j);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (rc != 0) {
		doc_free(j->settings);
		j->settings = NULL;
		check_report_free(&j->rep);
		app_message(a, true, "could not start the worker (out of threads?): "
			    "close other programs and try again");
		return false;
	}
	j->running = true;
	return true;
}

bool app_job_lifetime(struct app *a, const char *kind)
{
	struct job *j = &a->job;

	if (j->running) {
		app_message(a, true, "the checks are running: wait for them (or Esc cancels "
			    "them), then press L again");
		return false;
	}
	j->kind = JOB_LIFETIME;
	snprintf(j->seed, sizeof j->seed, "%s", kind);
	snprintf(j->runbook, sizeof j->runbook, "%s", a->rb ? a->rb->id : "");
	snprintf(j->step, sizeof j->step, "%s", app_step(a) ? app_step(a)->id : "");
	if (!job_spawn(a))
		return false;
	app_message(a, false, "asking LifeTime for its environments: Esc cancels");
	return true;
}

bool app_job_ping(struct app *a, const char *server, const struct rb_ping *ping)
{
	struct job *j = &a->job;
	bool before = ping->moment == PING_BEFORE;

	if (j->running) {
		app_message(a, true, "ticked, but the %s ping of %s was not taken: the checks are "
			    "running. When they finish, press r to ping every server",
			    before ? "before" : "after", server);
		return false;
	}
	j->kind = JOB_PING;
	j->before = before;
	j->expect = ping->expect;
	snprintf(j->item, sizeof j->item, "%s", server);
	snprintf(j->runbook, sizeof j->runbook, "%s", a->rb->id);
	snprintf(j->step, sizeof j->step, "%s", app_step(a)->id);
	if (!job_spawn(a))
		return false;
	app_message(a, false, "pinging %s %s its reconfiguration: Esc cancels", server,
		    before ? "before" : "after");
	return true;
}

static void job_start(struct app *a, enum job_kind kind)
{
	struct job *j = &a->job;
	const struct rb_step *s = app_step(a);

	if (j->running) {
		app_message(a, false, "checks are already running: Esc cancels them");
		return;
	}
	/* On the step that runs the type verification, r runs the full scan
	 * so the findings are kept. */
	if (kind == JOB_CHECKS && s && s->types == TYPES_SCAN)
		kind = JOB_TYPES;
	j->kind = kind;
	if (kind == JOB_CHECKS && (!s || !step_has_checks(a->rb, s))) {
		app_message(a, false, "this step has no automated checks: tick the actions "
			    "as you do them");
		return;
	}
	snprintf(j->runbook, sizeof j->runbook, "%s", a->rb->id);
	snprintf(j->step, sizeof j->step, "%s", s->id);
	if (!job_spawn(a))
		return;
	app_message(a, false, kind == JOB_TYPES ? "scanning column types: Esc cancels"
		    : "running the checks of this step: Esc cancels");
}

/* The wizard's way to ask for a secret (ctx->ask's shape, login.h): a
 * dialog without echo.  NULL on Esc or an empty answer. */
static char *ask_secret(void *ud, enum secret_kind kind, const char *what)
{
	struct app *a = ud;
	char *pw = NULL;

	(void)what;
	if (ui_prompt(a, secret_kind_title(kind),
		      kind == SECRET_LIFETIME_TOKEN
		      ? "It is kept in memory only, never written to a file. Esc: set "
			"OSMIGRATE_LIFETIME_TOKEN or [lifetime] token_file instead."
		      : "It is kept in memory only, never written to a file. Esc: use "
			"~/.pgpass, PGPASSFILE or a service instead.",
		      NULL, 4096, true, &pw) != 1 || str_empty(pw)) {
		secret_free(&pw);
		return NULL;
	}
	return pw;
}

/* The worker cannot open a dialog: a check that lacked a secret names it
 * in its result (result.h: needs), and it is asked here, once the run is
 * over, each kind once, and kept in memory only (struct secrets). */
static void job_ask_secrets(struct app *a, const struct check_report *rep)
{
	if (secrets_ask_needed(rep, &a->secrets, ask_secret, a))
		app_message(a, false, "kept in memory: press r to run the checks again");
}

/* The LifeTime answer for the settings screen: seed, or say why not.  A
 * missing token is asked the way job_ask_secrets asks it, then the fetch
 * runs again by itself. */
static void collect_lifetime(struct app *a, bool quiet, bool cancelled)
{
	struct job *j = &a->job;
	char seed[sizeof j->seed];

	snprintf(seed, sizeof seed, "%s", j->seed);
	if (quiet) {
		/* quitting: nothing to show */
	} else if (cancelled) {
		app_message(a, false, "LifeTime fetch cancelled: nothing added");
	} else if (j->lt_ok) {
		settings_seed(a, seed, j->lt_envs, j->lt_n);
	} else if (j->lt_setup == LT_NO_TOKEN && !a->secrets.lifetime_token) {
		char *pw = ask_secret(a, SECRET_LIFETIME_TOKEN, NULL);

		if (pw) {
			a->secrets.lifetime_token = pw;
			lt_environments_free(j->lt_envs, j->lt_n);
			j->lt_envs = NULL;
			j->lt_n = 0;
			app_job_lifetime(a, seed);
			return;
		}
		app_message(a, true, "nothing added: no LifeTime token. %s", j->lt_fix);
	} else {
		/* A refused token is forgotten, so the next L asks again (or
		 * reads OSMIGRATE_LIFETIME_TOKEN / token_file anew). */
		if (j->lt_status == 401)
			secret_free(&a->secrets.lifetime_token);
		app_message(a, true, "nothing added: LifeTime: %s. %s", j->lt_msg, j->lt_fix);
	}
	lt_environments_free(j->lt_envs, j->lt_n);
	j->lt_envs = NULL;
	j->lt_n = 0;
}

/* A server's ping around its reconfiguration: stored under the id that
 * says which (before: server_ping_before:NAME, after: server_ping:NAME),
 * and a ping that breaks what the runbook expects of it (a server healthy
 * before and lost after) says so at once. */
static void collect_ping(struct app *a, bool cancelled)
{
	struct job *j = &a->job;
	const char *prefix = j->before ? "server_ping_before" : "server_ping";
	char *id = xasprintf("%s:%s", prefix, j->item);
	enum check_status st = CHECK_ERROR;
	char *bid = xasprintf("server_ping_before:%s", j->item);
	/* A before-ping taken with other settings of this server says nothing
	 * about it now: not "it answered before". */
	bool answered_before = check_result_passed(a->st->doc, bid);
	for (size_t i = 0; i < j->rep.n; i++) {
		struct check_result *r = &j->rep.r[i];
		char *label = xasprintf("%s (%s its reconfiguration)", r->label ? r->label : id,
					j->before ? "before" : "after");

		free(r->id);
		r->id = xstrdup(id);
		free(r->label);
		r->label = label;
		st = r->status;
	}
	if (j->rep.n && !cancelled) {
		char *res;

		check_report_store(&j->rep, a->st->doc);
		res = xasprintf("%s: %s%s", prefix, check_status_word(st),
				cancelled ? " (cancelled)" : "");
		if (!app_commit(a, j->step, j->item, "check", res)) {
			/* the message line says what failed */
		} else if (ping_unexpected(j->expect, answered_before, st == CHECK_OK)) {
			app_message(a, true, "%s did NOT come back after its reconfiguration "
				    "(ping %s): open it below for what to do", j->item,
				    check_status_word(st));
		} else {
			app_message(a, st >= CHECK_FAILED, "%s ping %s its reconfiguration: %s",
				    j->item, j->before ? "before" : "after", check_status_word(st));
		}
		free(res);
	} else {
		app_message(a, false, "ping of %s cancelled: nothing recorded", j->item);
	}
	free(id);
	free(bid);
	check_report_free(&j->rep);
}

static void job_collect(struct app *a, bool quiet)
{
	struct job *j = &a->job;
	size_t counts[4] = { 0 };
	enum check_verdict worst;
	bool cancelled = atomic_load(&j->cancel) != 0;

	if (!j->running)
		return;
	pthread_join(j->th, NULL);
	j->running = false;
	doc_free(j->settings);
	j->settings = NULL;
#ifdef __GLIBC__
	/* The copy was as large as the state (20 MB with 5,000 extensions):
	 * give its pages back now, or glibc keeps them beside the next save's
	 * text and the wizard holds the state file almost four times over. */
	malloc_trim(0);
#endif
	if (j->kind == JOB_LIFETIME) {
		check_report_free(&j->rep);
		type_result_free(&j->types);
		collect_lifetime(a, quiet, cancelled);
		return;
	}
	if (j->kind == JOB_PING) {
		type_result_free(&j->types);
		collect_ping(a, cancelled);
		return;
	}
	if (cancelled && j->rep.n == 0) {
		app_message(a, false, "checks cancelled: nothing recorded");
		check_report_free(&j->rep);
		type_result_free(&j->types);
		return;
	}
	/* A cancelled or failed scan leaves the previous findings in place. */
	if (j->kind == JOB_TYPES && j->types_ok) {
		type_result_store(&j->types, a->st->doc);
		/* The findings are tied to the settings the scan ran with, as its
		 * type_verification result is (stamped by the worker). */
		for (size_t i = 0; i < j->rep.n; i++)
			if (str_eq(j->rep.r[i].id, "type_verification") && j->rep.r[i].settings_digest)
				doc_set(a->st->doc, "types", NULL, "settings_digest",
					j->rep.r[i].settings_digest);
	}
	type_result_free(&j->types);
	check_report_store(&j->rep, a->st->doc);
	a->show_results = true;
	for (size_t i = 0; i < j->rep.n; i++)
		counts[j->rep.r[i].status]++;
	worst = check_report_verdict(&j->rep);
	{
		char *res = xasprintf("%s: %zu ok, %zu warning, %zu FAILED, %zu error%s",
				      check_verdict_word(worst), counts[CHECK_OK],
				      counts[CHECK_WARNING], counts[CHECK_FAILED],
				      counts[CHECK_ERROR], cancelled ? " (cancelled)" : "");

		if (app_commit(a, j->step, NULL, "check", res))
			app_message(a, worst >= VERDICT_ERROR, "checks %s", res);
		free(res);
	}
	if (!quiet)
		job_ask_secrets(a, &j->rep);
	check_report_free(&j->rep);
}

/* ---- layout ------------------------------------------------------------ */

static int steplist_width(void)
{
	int w = COLS * 2 / 5;

	return w < 24 ? 24 : w > 38 ? 38 : w;
}

/* The mark of every step (result.h's check_step_shown_status: [!] for a
 * step still open whose checks FAILED), computed in one pass, again only
 * when the document changed: the step list is drawn after every key. */
static enum step_status step_shown(const struct app *a, const struct rb_step *s)
{
	static unsigned long long gen;
	static const struct runbook *rb;
	static enum step_status *shown;
	static size_t nshown;
	int i;

	if (!shown || gen != doc_generation(a->st->doc) || rb != a->rb) {
		free(shown);
		nshown = a->rb->n_steps;
		shown = xcalloc(nshown + 1, sizeof *shown);
		gen = doc_generation(a->st->doc);
		rb = a->rb;
		for (size_t k = 0; k < nshown; k++)
			shown[k] = check_step_shown_status(a->st, a->rb, &a->rb->steps[k]);
	}
	i = runbook_step_index(a->rb, s->id);
	return i >= 0 && (size_t)i < nshown ? shown[i] : state_step_status(a->st, s->id);
}

static void draw_steplist(struct app *a, int top, int h, int wd)
{
	int first = 0;

	if (a->step >= h)
		first = a->step - h + 1;
	for (int i = first; i < (int)a->rb->n_steps && i - first < h; i++) {
		const struct rb_step *s = &a->rb->steps[i];
		enum step_status st = step_shown(a, s);
		const char *mark = ui_mark(st);
		int y = top + i - first;
		attr_t at;

		/* The current step shows [>] unless it already has an outcome
		 * (a step still open whose last checks FAILED shows [!]). */
		if ((st == STEP_PENDING || st == STEP_IN_PROGRESS) && i == a->step)
			mark = ui_mark(STEP_IN_PROGRESS);
		at = i == a->step ? ui_attr(UI_SELECT) : ui_attr(ui_status_attr(st));
		wattron(stdscr, at);
		mvwhline(stdscr, y, 0, ' ', wd);
		mvwaddstr(stdscr, y, 0, i == a->step ? ">" : " ");
		mvwaddstr(stdscr, y, 1, mark);
		ui_put(stdscr, y, 5, s->title, wd - 5);
		wattroff(stdscr, at);
	}
}

static const char *global_help =
	"Keys everywhere\n"
	"  Up/Down, j/k  move between actions, items and fields\n"
	"  PgUp/PgDn     scroll\n"
	"  n / b         next step / back to the previous step\n"
	"  e             settings (connections, inventories)\n"
	"  t             type verification (connector-migration)\n"
	"  ?             this help\n"
	"  q             save and quit (Ctrl-C, SIGTERM, SIGHUP save too)\n"
	"  Ctrl-L        redraw the screen\n"
	"Every change is saved to the state file at once; keys that\n"
	"change nothing write nothing.";

static void draw_help(struct app *a)
{
	struct strbuf sb = STRBUF_INIT;
	char **lines;
	size_t n;
	int wd = COLS - 4 > 78 ? 78 : COLS - 4, h, y, x;

	sb_add(&sb, global_help);
	if (a->scr->help) {
		sb_add(&sb, "\n\n");
		sb_add(&sb, a->scr->help(a));
	}
	n = ui_wrap(sb_str(&sb), wd - 4, &lines);
	h = (int)n + 2;
	if (h > LINES - 2)
		h = LINES - 2;
	/* Scrollable: the help of a screen may not fit a small terminal. */
	if (a->help_top > (int)n - (h - 2))
		a->help_top = (int)n - (h - 2);
	if (a->help_top < 0)
		a->help_top = 0;
	y = (LINES - h) / 2;
	x = (COLS - wd) / 2;
	ui_box(stdscr, y, x, h, wd);
	wattron(stdscr, ui_attr(UI_HEAD));
	ui_put(stdscr, y, x + 2, (int)n > h - 2 ? " Help (Up/Down scroll, other keys close) "
					      : " Help (any key closes) ", wd - 4);
	wattroff(stdscr, ui_attr(UI_HEAD));
	for (int i = 0; i < h - 2 && a->help_top + i < (int)n; i++)
		ui_put(stdscr, y + 1 + i, x + 2, lines[a->help_top + i], wd - 4);
	if (a->help_top > 0)
		mvwaddstr(stdscr, y + 1, x + wd - 2, "^");
	if (a->help_top + h - 2 < (int)n)
		mvwaddstr(stdscr, y + h - 2, x + wd - 2, "v");
	ui_lines_free(lines, n);
	sb_free(&sb);
}

void app_draw(struct app *a)
{
	const struct screen_ops *scr = a->scr;
	bool list = scr->steplist && a->rb && a->st;
	int body_top = 1, body_h = LINES - 3, left = 0;
	char title[256];
	const char *footer;

	if (term_too_small()) {
		term_draw_too_small();
		return;
	}
	erase();
	/* title bar */
	wattron(stdscr, ui_attr(UI_TITLE));
	mvwhline(stdscr, 0, 0, ' ', COLS);
	if (a->rb)
		snprintf(title, sizeof title, " osmigrate: %s", a->rb->title);
	else
		snprintf(title, sizeof title, " osmigrate");
	ui_put(stdscr, 0, 0, title, COLS - 14);
	if (list) {
		char pos[32];

		snprintf(pos, sizeof pos, "step %d/%zu ", a->step + 1, a->rb->n_steps);
		mvwaddstr(stdscr, 0, COLS - (int)strlen(pos), pos);
	}
	wattroff(stdscr, ui_attr(UI_TITLE));

	if (list) {
		left = steplist_width();
		draw_steplist(a, body_top, body_h, left);
		ui_vline(stdscr, body_top, left, body_h);
		left += 2;
	}
	a->body = derwin(stdscr, body_h, COLS - left - (list ? 0 : 1), body_top, list ? left : 1);
	if (a->body) {
		scr->draw(a, a->body);
		delwin(a->body);
		a->body = NULL;
	}

	/* message line: job progress wins over messages while it runs */
	if (a->job.running) {
		char line[256];

		pthread_mutex_lock(&a->job.mu);
		if (a->job.total > 0)
			snprintf(line, sizeof line, "%s %s %ld/%ld  (Esc cancels)",
				 ui_spinner(a->spin), a->job.what, a->job.done, a->job.total);
		else
			snprintf(line, sizeof line, "%s %s  (Esc cancels)", ui_spinner(a->spin),
				 a->job.what[0] ? a->job.what : "running checks");
		pthread_mutex_unlock(&a->job.mu);
		wattron(stdscr, ui_attr(UI_CURRENT));
		ui_put(stdscr, LINES - 2, 0, line, COLS);
		wattroff(stdscr, ui_attr(UI_CURRENT));
	} else if (a->msg[0]) {
		attr_t at = ui_attr(a->msg_err ? UI_ERROR : UI_NORMAL);
		char **lines;
		/* An error is read whole (what to do comes last): it may take up
		 * to 4 lines over the bottom of the screen. */
		size_t n = ui_wrap(a->msg, COLS, &lines), shown = n;

		if (!a->msg_err || shown < 1)
			shown = 1;
		if (shown > 4)
			shown = 4;
		wattron(stdscr, at);
		for (size_t i = 0; i < shown; i++) {
			mvwhline(stdscr, LINES - 1 - (int)shown + (int)i, 0, ' ', COLS);
			ui_put(stdscr, LINES - 1 - (int)shown + (int)i, 0, i < n ? lines[i] : "", COLS);
		}
		wattroff(stdscr, at);
		ui_lines_free(lines, n);
	}

	/* "? help  q quit" always shows at the right; the screen's keys take
	 * what is left. */
	footer = scr->footer ? scr->footer(a) : "";
	wattron(stdscr, ui_attr(UI_FOOTER));
	mvwhline(stdscr, LINES - 1, 0, ' ', COLS);
	ui_put(stdscr, LINES - 1, 1, footer, COLS - 17);
	mvwaddstr(stdscr, LINES - 1, COLS - 15, "? help  q quit");
	wattroff(stdscr, ui_attr(UI_FOOTER));

	if (a->help)
		draw_help(a);
	refresh();
}

/* ---- opening the state -------------------------------------------------- */

/* Open (and lock) the state for runbook id (NULL: the one the file names).
 * Errors are printed on stderr after restoring the terminal; returns 0 or
 * the exit code. */
static int open_state(struct app *a, const char *id)
{
	struct state_error err;
	char *path;
	const char *have;

	memset(&err, 0, sizeof err);
	path = a->opt->state_path ? xstrdup(a->opt->state_path) : state_default_path(id);
	a->st = state_open(path, &err);
	free(path);
	if (!a->st) {
		term_restore();
		fprintf(stderr, "osmigrate: %s\n", err.msg);
		return err.code ? err.code : EXIT_DATAERR;
	}
	have = state_runbook(a->st);
	if (!a->st->is_new && have && id && !str_eq(have, id)) {
		term_restore();
		fprintf(stderr, "osmigrate: %s is the state of runbook '%s', not '%s'.\n"
			"Start '%s' with another --state FILE, or run 'osmigrate --state %s' "
			"to resume '%s'.\n", a->st->path, have, id, id, a->st->path, have);
		state_close(a->st);
		a->st = NULL;
		return EXIT_USAGE;
	}
	if (!id)
		id = have;
	if (id) {
		a->rb = runbook_find(id);
		if (!a->rb) {
			term_restore();
			fprintf(stderr, "osmigrate: %s names an unknown runbook '%s'.\n", a->st->path, id);
			state_close(a->st);
			a->st = NULL;
			return EXIT_DATAERR;
		}
		if (a->st->is_new)
			state_set_runbook(a->st, a->rb->id);
	}
	return 0;
}

/* Steps begin: pre-fill from the answers, place at the saved step, save. */
static void begin_steps(struct app *a)
{
	int idx = -1;

	if (a->opt->answers) {
		settings_merge(a->st->doc, a->opt->answers);
		journal_append(a->st, NULL, NULL, "settings", "answers file merged");
	}
	if (state_current(a->st))
		idx = runbook_step_index(a->rb, state_current(a->st));
	a->step = idx < 0 ? 0 : idx;
	state_set_current(a->st, a->rb->steps[a->step].id);
	a->begun = true;
	app_save(a);
	a->scr = &screen_step;
	a->under = NULL;
	a->scr->enter(a);
}

static void go_step(struct app *a, int idx)
{
	a->step = idx;
	state_set_current(a->st, a->rb->steps[idx].id);
	app_save(a);
	a->msg[0] = '\0';
	a->scr->enter(a);
}

static int finish(struct app *a, int code)
{
	struct state_error err;

	if (a->job.running) {
		atomic_store(&a->job.cancel, 1);
		job_collect(a, true);
	}
	if (a->st && !app_save(a) && code == EXIT_OK)
		code = EXIT_IOERR;
	term_restore();
	if (a->st && a->opt->save_answers) {
		if (!answers_save(a->st->doc, a->opt->save_answers, &err)) {
			fprintf(stderr, "osmigrate: %s\n", err.msg);
			if (code == EXIT_OK)
				code = err.code ? err.code : EXIT_IOERR;
		}
	}
	if (a->msg_err && a->msg[0] && code != EXIT_OK)
		fprintf(stderr, "osmigrate: %s\n", a->msg);
	return code;
}

/* Act on a reaction.  Returns -1 to keep going, else the exit code. */
static int react(struct app *a, int r)
{
	if (r & R_SAVE)
		app_save(a);
	if (r & R_HELP) {
		a->help = true;
		a->help_top = 0;
	}
	if (r & R_CANCEL && a->job.running) {
		atomic_store(&a->job.cancel, 1);
		app_message(a, false, "cancelling the checks...");
	}
	if (r & R_RUN_CHECKS)
		job_start(a, JOB_CHECKS);
	if (r & R_RUN_TYPES)
		job_start(a, JOB_TYPES);
	if (r & R_OPENED) {
		int rc;

		if (!a->st) {
			rc = open_state(a, runbooks[a->chooser_pick]->id);
			if (rc)
				return rc;
		} else if (!a->rb) {
			a->rb = runbooks[a->chooser_pick];
			state_set_runbook(a->st, a->rb->id);
		}
		if (!a->st->is_new && a->scr != &screen_resume) {
			a->scr = &screen_resume;
			a->scr->enter(a);
		} else {
			begin_steps(a);
		}
	}
	if (r & R_START_OVER) {
		struct state_error err;

		if (!state_start_over(a->st, &err)) {
			app_message(a, true, "could not start over: %s", err.msg);
		} else {
			state_set_runbook(a->st, a->rb->id);
			journal_append(a->st, NULL, NULL, "start-over", "old state kept as a backup");
			begin_steps(a);
			app_message(a, false, "started over: the previous state file was kept as a backup");
		}
	}
	if (r & R_NEXT) {
		if ((size_t)a->step + 1 < a->rb->n_steps)
			go_step(a, a->step + 1);
		else
			app_message(a, false, "this is the last step: press q to save and quit");
	}
	if (r & R_PREV) {
		if (a->step > 0)
			go_step(a, a->step - 1);
		else
			app_message(a, false, "this is the first step");
	}
	if (r & (R_SETTINGS | R_TYPES)) {
		const struct screen_ops *to = (r & R_SETTINGS) ? &screen_settings : &screen_types;

		if (a->scr != to) {
			a->under = a->scr;
			a->scr = to;
			a->scr->enter(a);
		}
	}
	if (r & R_CLOSE) {
		a->scr = a->under ? a->under : &screen_step;
		a->under = NULL;
		a->scr->enter(a);
	}
	if (r & R_QUIT) {
		if (a->st && !app_save(a) && !a->save_failed_quit) {
			a->save_failed_quit = true;
			app_message(a, true, "%s -- fix it and press q again, or press q again "
				    "to quit without saving (exit 74)", a->msg);
			return -1;
		}
		return finish(a, a->save_failed_quit ? EXIT_IOERR : EXIT_OK);
	}
	return -1;
}

static int loop(struct app *a)
{
	bool dirty = true;

	for (;;) {
		wint_t ch;
		int r, rc;

		if (tui_sig)
			return finish(a, app_pending_signal());
		if (a->job.running && atomic_load(&a->job.finished)) {
			job_collect(a, false);
			a->scr->enter(a);
			dirty = true;
		}
		if (dirty || a->job.running) {
			app_draw(a);
			dirty = false;
		}
		r = get_wch(&ch);
		if (r == ERR) {
			a->spin++;
			term_check_hangup();
			continue;
		}
		dirty = true;
		if (r == KEY_CODE_YES && ch == KEY_RESIZE)
			continue; /* the one resize dispatcher: the next draw adapts */
		if (term_too_small()) {
			/* Only leaving is possible until the window is big enough. */
			if (r == OK && (ch == 'q' || ch == 'Q'))
				return finish(a, EXIT_OK);
			continue;
		}
		if (a->help) {
			int page = LINES / 2;

			if ((r == KEY_CODE_YES && ch == KEY_DOWN) || (r == OK && ch == 'j'))
				a->help_top++;
			else if ((r == KEY_CODE_YES && ch == KEY_UP) || (r == OK && ch == 'k'))
				a->help_top--;
			else if (r == KEY_CODE_YES && ch == KEY_NPAGE)
				a->help_top += page;
			else if (r == KEY_CODE_YES && ch == KEY_PPAGE)
				a->help_top -= page;
			else
				a->help = false;
			continue;
		}
		if (r == OK && ch == 12) { /* Ctrl-L */
			clearok(curscr, TRUE);
			continue;
		}
		if (r == OK && ch == 27 && a->job.running) {
			rc = react(a, R_CANCEL);
			continue;
		}
		rc = react(a, a->scr->key(a, (int)ch, r == KEY_CODE_YES));
		if (rc >= 0)
			return rc;
	}
}

int tui_main(const struct tui_options *opt)
{
	struct app a;
	char why[600];
	int rc;

	/* A terminal the wizard cannot drive (TERM unset, unknown, dumb) is a
	 * usage error, found before any state file is created or locked. */
	if (!term_usable(why, sizeof why)) {
		fprintf(stderr, "osmigrate: %s\n", why);
		return EXIT_USAGE;
	}
	memset(&a, 0, sizeof a);
	a.opt = opt;
	a.step = 0;
	pthread_mutex_init(&a.job.mu, NULL);
	term_signals_install();

	/* A runbook or a state file given: lock before the screen opens, so a
	 * refusal is a plain message on stderr. */
	if (opt->runbook || opt->state_path) {
		rc = open_state(&a, opt->runbook);
		if (rc)
			return rc;
	}
	if (tui_sig)
		return finish(&a, app_pending_signal());
	if (!term_init(why, sizeof why)) {
		fprintf(stderr, "osmigrate: %s\n", why);
		if (a.st)
			state_close(a.st);
		pthread_mutex_destroy(&a.job.mu);
		return EXIT_USAGE;
	}
	if (!a.st || !a.rb)
		a.scr = &screen_chooser;
	else if (!a.st->is_new)
		a.scr = &screen_resume;
	else
		a.scr = NULL;
	if (a.scr)
		a.scr->enter(&a);
	else
		begin_steps(&a);
	rc = loop(&a);
	term_restore();
	if (a.st)
		state_close(a.st);
	secrets_wipe(&a.secrets);
	pthread_mutex_destroy(&a.job.mu);
	return rc;
}
