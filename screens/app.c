/* app.c - the application record's services (app.h): the message line,
 * saving and journaling, the whole-screen layout (title, step list, the
 * screen, message or job progress, footer, help), starting a job.  It
 * reaches the screen shown only through its ops. */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "journal.h"
#include "progress.h"
#include "result.h"

static void redraw_app(void *ud)
{
	app_draw(ud);
}

void app_init(struct app *a, const struct tui_options *opt)
{
	memset(a, 0, sizeof *a);
	a->opt = opt;
	a->step = 0;
	job_init(&a->job);
	a->redraw = (struct redraw){ redraw_app, a };
}

void app_free(struct app *a)
{
	free(a->marks.shown);
	a->marks.shown = NULL;
	secrets_wipe(&a->secrets);
	job_destroy(&a->job);
}

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

bool app_job_start(struct app *a, const struct job_ops *ops, void *data)
{
	if (job_start(&a->job, ops, data, a, a->st->doc, &a->secrets))
		return true;
	app_message(a, true, "could not start the worker (out of threads?): "
		    "close other programs and try again");
	return false;
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
static enum step_status step_shown(struct app *a, const struct rb_step *s)
{
	int i;

	if (!a->marks.shown || a->marks.gen != doc_generation(a->st->doc) ||
	    a->marks.rb != a->rb) {
		free(a->marks.shown);
		a->marks.n = a->rb->n_steps;
		a->marks.shown = xcalloc(a->marks.n + 1, sizeof *a->marks.shown);
		a->marks.gen = doc_generation(a->st->doc);
		a->marks.rb = a->rb;
		for (size_t k = 0; k < a->marks.n; k++)
			a->marks.shown[k] = check_step_shown_status(a->st, a->rb, &a->rb->steps[k]);
	}
	i = runbook_step_index(a->rb, s->id);
	return i >= 0 && (size_t)i < a->marks.n ? a->marks.shown[i]
						 : state_step_status(a->st, s->id);
}

static void draw_steplist(struct app *a, int top, int h, int wd)
{
	int first = 0;

	if (a->step >= h)
		first = a->step - h + 1;
	for (int i = first; i < (int)a->rb->n_steps && i - first < h; i++) {
		const struct rb_step *s = &a->rb->steps[i];
		enum step_status st = step_shown(a, s);
		const char *mark = progress_mark(a->st, a->rb, s, NULL, st);  /* [x]! forced */
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
		/* "[x]!" (forced) takes one column more than the other marks. */
		ui_put(stdscr, y, 2 + (int)strlen(mark), s->title, wd - 2 - (int)strlen(mark));
		wattroff(stdscr, at);
	}
}

void app_draw(struct app *a)
{
	const struct view *v = a->scr;
	const struct screen_ops *scr = v->ops;
	bool list = scr->steplist && a->rb && a->st;
	int body_top = 1, body_h = LINES - 3, left = 0;
	char title[256];
	const char *footer;
	WINDOW *body;

	if (ui_too_small()) {
		ui_draw_too_small();
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
	body = derwin(stdscr, body_h, COLS - left - (list ? 0 : 1), body_top, list ? left : 1);
	if (body) {
		scr->draw(a, v->data, body);
		delwin(body);
	}

	/* message line: job progress wins over messages while it runs */
	if (job_running(&a->job)) {
		char line[256], what[160];
		long done, total;

		job_status(&a->job, what, sizeof what, &done, &total);
		if (total > 0)
			snprintf(line, sizeof line, "%s %s %ld/%ld  (Esc cancels)",
				 ui_spinner(a->spin), what, done, total);
		else
			snprintf(line, sizeof line, "%s %s  (Esc cancels)", ui_spinner(a->spin),
				 what[0] ? what : "running checks");
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
	footer = scr->footer ? scr->footer(a, v->data) : "";
	wattron(stdscr, ui_attr(UI_FOOTER));
	mvwhline(stdscr, LINES - 1, 0, ' ', COLS);
	ui_put(stdscr, LINES - 1, 1, footer, COLS - 17);
	mvwaddstr(stdscr, LINES - 1, COLS - 15, "? help  q quit");
	wattroff(stdscr, ui_attr(UI_FOOTER));

	if (a->help.shown)
		help_draw(&a->help, scr->help ? scr->help(a, v->data) : NULL);
	refresh();
}
