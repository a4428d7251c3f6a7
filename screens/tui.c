/* tui.c - the wizard: start-up (chooser, resume offer, locking), the one
 * main loop that reads keys, dispatches KEY_RESIZE and signals, hands each
 * request to the screen shown and acts on the reaction it returns, and
 * switches screens.  The only file that knows the screen kinds
 * (screens.h); nothing in screens/ calls into it. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "checkjob.h"
#include "exitcodes.h"
#include "journal.h"
#include "presence.h"
#include "screens.h"
#include "terminal.h"
#include "tui.h"

/* Every screen kind; the views of struct app follow this order. */
static const struct screen_ops *const screen_kinds[] = {
	&screen_chooser, &screen_resume, &screen_step, &screen_settings, &screen_types,
};

static int pending_signal(void)
{
	switch (tui_sig) {
	case SIGINT: return EXIT_SIGINT;
	case SIGTERM: return EXIT_SIGTERM;
	case SIGHUP: return EXIT_SIGHUP;
	default: return 0;
	}
}

/* ---- screens ------------------------------------------------------------ */

static void views_alloc(struct app *a)
{
	a->nviews = OSM_ARRAY_LEN(screen_kinds);
	a->views = xcalloc(a->nviews, sizeof *a->views);
	for (size_t i = 0; i < a->nviews; i++)
		a->views[i].ops = screen_kinds[i];
}

static void views_free(struct app *a)
{
	for (size_t i = 0; i < a->nviews; i++) {
		struct view *v = &a->views[i];

		if (v->data && v->ops->free)
			v->ops->free(v->data);
		free(v->data);
	}
	free(a->views);
	a->views = NULL;
	a->nviews = 0;
}

static struct view *view_of(struct app *a, const struct screen_ops *ops)
{
	for (size_t i = 0; i < a->nviews; i++)
		if (a->views[i].ops == ops)
			return &a->views[i];
	fatalx("screen %s is not in screen_kinds[]", ops->name);
}

/* Enter a view: its data is made the first time (tig's private_size). */
static void view_enter(struct app *a, struct view *v)
{
	if (!v->data) {
		v->data = xcalloc(1, v->ops->private_size ? v->ops->private_size : 1);
		if (v->ops->init)
			v->ops->init(a, v->data);
	}
	v->ops->enter(a, v->data);
}

static void show(struct app *a, const struct screen_ops *ops)
{
	a->scr = view_of(a, ops);
	view_enter(a, a->scr);
}

/* A request the screen handed back: what it means on every screen. */
static int generic_request(const struct input *in)
{
	switch (in->req) {
	case REQ_QUIT: return R_QUIT;
	case REQ_HELP: return R_HELP;
	default: return R_NONE;
	}
}

static int screen_request(struct app *a, const struct input *in)
{
	struct view *v = a->scr;
	int r = v->ops->request(a, v->data, in);

	return r == R_UNHANDLED ? generic_request(in) : r;
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

	char said[sizeof a->msg] = "";
	char *res = NULL;

	if (a->opt->answers) {
		/* A pre-fill: what the session holds (typed in the wizard) wins;
		 * what was filled and what was kept is journalled and shown. */
		struct strbuf filled = STRBUF_INIT, kept = STRBUF_INIT;
		size_t n_kept, n = settings_prefill(a->st->doc, a->opt->answers, &filled, &kept,
						    &n_kept);
		if (n_kept)
			res = xasprintf("answers file: %zu %s filled%s%s; kept the session's value "
					"of %zu that differ%s: %s", n, plural(n, "setting", "settings"),
					n ? ": " : "", sb_str(&filled), n_kept,
					n_kept == 1 ? "s" : "", sb_str(&kept));
		else
			res = xasprintf("answers file: %zu %s filled%s%s", n,
					plural(n, "setting", "settings"), n ? ": " : "",
					sb_str(&filled));
		/* journaled with the save (app_commit, below) */
		/* On a session already under way, what the file filled in is
		 * said too: a server removed in the wizard and still in the
		 * file comes back, never silently. */
		if (n_kept && n && !a->st->is_new)
			snprintf(said, sizeof said, "Session's value kept: %s; filled from the "
				 "answers file: %s.", sb_str(&kept), sb_str(&filled));
		else if (n_kept)
			snprintf(said, sizeof said, "Kept this session's %s over the answers "
				 "file (e changes %s).", sb_str(&kept), n_kept == 1 ? "it" : "them");
		else if (n && !a->st->is_new)
			snprintf(said, sizeof said, "Filled from the answers file: %s (e changes "
				 "%s).", sb_str(&filled), n == 1 ? "it" : "them");
		sb_free(&filled);
		sb_free(&kept);
	}
	if (state_current(a->st))
		idx = runbook_step_index(a->rb, state_current(a->st));
	a->step = idx < 0 ? 0 : idx;
	state_set_current(a->st, a->rb->steps[a->step].id);
	a->begun = true;
	/* the other sessions' resume offer names this one */
	presence_beat(a->st->path);
	if (res)
		app_commit(a, NULL, NULL, "settings", res);
	else
		app_save(a);
	free(res);
	a->under = NULL;
	show(a, &screen_step);
	if (said[0])
		app_message(a, false, "%s", said);
}

static void go_step(struct app *a, int idx)
{
	a->step = idx;
	state_set_current(a->st, a->rb->steps[idx].id);
	app_save(a);
	a->msg[0] = '\0';
	view_enter(a, a->scr);
}

static int finish(struct app *a, int code)
{
	struct state_error err;

	if (job_running(&a->job)) {
		job_cancel(&a->job);
		job_collect(&a->job, true);
	}
	if (a->st && !app_save(a) && code == EXIT_OK)
		code = EXIT_IOERR;
	if (a->st && a->begun)
		presence_leave(a->st->path);
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
	if (r & R_HELP)
		help_open(&a->help);
	if (r & R_CANCEL && job_running(&a->job)) {
		job_cancel(&a->job);
		app_message(a, false, "cancelling the checks...");
	}
	if (r & R_RUN_CHECKS)
		checkjob_start(a, false);
	if (r & R_RUN_TYPES)
		checkjob_start(a, true);
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
		if (!a->st->is_new && a->scr->ops != &screen_resume) {
			show(a, &screen_resume);
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

		if (a->scr->ops != to) {
			a->msg[0] = '\0';
			a->under = a->scr;
			show(a, to);
		}
	}
	if (r & R_CLOSE) {
		struct view *back = a->under ? a->under : view_of(a, &screen_step);

		a->under = NULL;
		a->scr = back;
		view_enter(a, back);
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

/* Another session's change shows within this period while idle. */
#define POLL_MS 1000

static int loop(struct app *a)
{
	bool dirty = true;
	long long polled = mono_ms(), beat = mono_ms();

	for (;;) {
		struct input in;
		int rc;

		if (tui_sig)
			return finish(a, pending_signal());
		if (job_finished(&a->job)) {
			job_collect(&a->job, false);
			view_enter(a, a->scr);
			dirty = true;
		}
		if (app_clock(a))
			dirty = true;   /* a second passed, or the checklist changed */
		if (dirty || job_running(&a->job)) {
			app_draw(a);
			dirty = false;
		}
		if (!input_read(&in)) {
			a->spin++;
			/* input_read waits at most 100 ms: look at the file once
			 * a second, not more (one stat when nothing changed) */
			if (mono_ms() - polled >= POLL_MS) {
				polled = mono_ms();
				if (app_refresh(a)) {
					view_enter(a, a->scr);
					dirty = true;
				}
				/* the latest change's "20 s ago" moves on */
				if (a->shared)
					dirty = true;
			}
			if (a->begun && mono_ms() - beat >= PRESENCE_BEAT_S * 1000) {
				beat = mono_ms();
				presence_beat(a->st->path);
			}
			continue;
		}
		dirty = true;
		/* A change is decided on what every session recorded until now:
		 * the order rules and ticks are evaluated on the file's content. */
		if (app_refresh(a))
			view_enter(a, a->scr);
		polled = mono_ms();
		if (in.fkey && in.ch == KEY_RESIZE)
			continue; /* the one resize dispatcher: the next draw adapts */
		if (ui_too_small()) {
			/* Only leaving is possible until the window is big enough. */
			if (in.req == REQ_QUIT)
				return finish(a, EXIT_OK);
			continue;
		}
		if (in.pasted) {
			/* Pasted text is never a command (a paste meant for a
			 * text box that had closed). */
			app_message(a, false, "pasted text is taken only in a text box (Enter on a "
				    "note or a field opens one): nothing was done");
			continue;
		}
		if (a->help.shown) {
			help_request(&a->help, &in);
			continue;
		}
		/* A message said what the last key did: the next key makes it
		 * old.  An error stays until something else is said, the step
		 * or the screen changes. */
		if (!a->msg_err && !in.swallowed)
			a->msg[0] = '\0';
		if (!in.fkey && in.ch == 12) { /* Ctrl-L */
			clearok(curscr, TRUE);
			continue;
		}
		if (!in.fkey && in.ch == 27 && job_running(&a->job)) {
			rc = react(a, R_CANCEL);
			continue;
		}
		rc = react(a, screen_request(a, &in));
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
	app_init(&a, opt);
	term_signals_install();

	/* A runbook or a state file given: lock before the screen opens, so a
	 * refusal is a plain message on stderr. */
	if (opt->runbook || opt->state_path) {
		rc = open_state(&a, opt->runbook);
		if (rc)
			return rc;
	}
	if (tui_sig)
		return finish(&a, pending_signal());
	if (!term_init(why, sizeof why)) {
		fprintf(stderr, "osmigrate: %s\n", why);
		if (a.st)
			state_close(a.st);
		app_free(&a);
		return EXIT_USAGE;
	}
	ui_colors_init();
	views_alloc(&a);
	if (!a.st || !a.rb)
		show(&a, &screen_chooser);
	else if (!a.st->is_new)
		show(&a, &screen_resume);
	else
		begin_steps(&a);
	rc = loop(&a);
	term_restore();
	if (a.st)
		state_close(a.st);
	views_free(&a);
	app_free(&a);
	return rc;
}
