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

/* The event of a change, journaled under the same lock as its save. */
struct app_event {
	const char *step, *item, *action, *result;
	bool journal_ok;
};

static void app_journal(struct state *st, void *arg)
{
	struct app_event *ev = arg;

	/* a tick another session had already made stays theirs: this one
	 * did not happen */
	if (st->conflict[0] && ev->action && strncmp(ev->action, "tick.", 5) == 0)
		return;
	ev->journal_ok = !ev->action ||
			 journal_append(st, ev->step, ev->item, ev->action, ev->result ? ev->result : "");
}

/* Save this session's changes onto the file as it is now (state_apply):
 * what other sessions recorded meanwhile stays, and the document shown
 * becomes the file's content. */
static bool app_apply(struct app *a, struct app_event *ev)
{
	struct state_error err;

	if (!state_apply(a->st, NULL, ev ? app_journal : NULL, ev, &err)) {
		if (a->st->restarted)
			app_message(a, true, "%s", err.msg);
		else
			app_message(a, true, "NOT SAVED: %s", err.msg);
		return false;
	}
	if (a->st->conflict[0]) {
		/* the caller's "saved" message would hide what happened */
		app_message(a, true, "%s", a->st->conflict);
		return false;
	}
	return true;
}

bool app_save(struct app *a)
{
	/* Before the steps begin (chooser, resume offer) nothing changed: a
	 * quit there leaves an existing file byte for byte as it was. */
	if (!a->st || !a->begun)
		return true;
	/* A key that changed nothing (moving, opening a screen, quitting right
	 * after a save) writes nothing: the file already holds this state. */
	if (!state_changed(a->st))
		return true;
	return app_apply(a, NULL);
}

bool app_commit(struct app *a, const char *step, const char *item, const char *action,
		const char *result)
{
	struct app_event ev = { step, item, action, result, true };

	if (!a->st || !a->begun)
		return true;
	if (!state_changed(a->st) && !action)
		return true;
	if (!app_apply(a, &ev))
		return false;
	if (!ev.journal_ok) {
		app_message(a, true, "saved, but the journal was not written: %s",
			    journal_last_error());
		return false;
	}
	return true;
}

/* "done by alice@admin1 20 s ago" */
static void ago(char *out, size_t n, time_t at)
{
	long d = (long)(osm_now() - at);

	if (d < 0)
		d = 0;
	if (d < 90)
		snprintf(out, n, "%ld s ago", d);
	else if (d < 90 * 60)
		snprintf(out, n, "%ld min ago", (d + 30) / 60);
	else
		snprintf(out, n, "%ld h ago", (d + 1800) / 3600);
}

bool app_latest_line(struct app *a, char *out, size_t n)
{
	struct state_latest l;
	char when[32];

	if (!a->shared || !a->st || !state_latest_change(a->st, &l))
		return false;
	ago(when, sizeof when, l.at);
	snprintf(out, n, "latest: %s by %s %s", l.what, l.by, when);
	return true;
}

bool app_refresh(struct app *a)
{
	struct state_error err;
	bool changed = false;
	const struct rb_step *s;
	enum step_status before;

	if (!a->st || !a->begun || !state_file_changed(a->st))
		return false;
	s = app_step(a);
	before = s ? state_step_status(a->st, s->id) : STEP_PENDING;
	a->shared = true;
	/* this session's last confirmation is old news now: the line shows
	 * who made the latest change instead (an error stays) */
	if (!a->msg_err)
		a->msg[0] = '\0';
	if (!state_refresh(a->st, &changed, &err)) {
		/* corrupt now (the line is named), or this session's changes
		 * could not be saved */
		app_message(a, true, "%s", err.msg);
		changed = true;
	}
	if (a->st->restarted) {
		int idx = state_current(a->st) ? runbook_step_index(a->rb, state_current(a->st)) : -1;

		a->step = idx < 0 ? 0 : idx;
		if (!err.msg[0])
			app_message(a, true, "the procedure was restarted by %s at %s (the old state file was "
			    "kept as a backup): this is the new one",
			    doc_get_or(a->st->doc, "osmigrate", NULL, "updated_by", "another session"),
			    doc_get_or(a->st->doc, "osmigrate", NULL, "created", "?"));
	} else if (s && changed && before != STEP_SKIPPED &&
		   state_step_status(a->st, s->id) == STEP_SKIPPED) {
		/* the step shown was skipped by another session */
		const char *reason = doc_get(a->st->doc, "step", s->id, "reason");

		app_message(a, true, "this step was %s by %s at %s%s%s",
			    step_status_name(state_step_status(a->st, s->id)),
			    doc_get_or(a->st->doc, "step", s->id, "by", "another session"),
			    doc_get_or(a->st->doc, "step", s->id, "at", "?"), reason ? ": " : "",
			    reason ? reason : "");
	}
	return changed;
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

/* ---- the clock ---------------------------------------------------------- */

bool app_clock(struct app *a)
{
	time_t now = osm_now();
	bool changed = false;

	if (!a->rb || !a->st || !a->begun)
		return false;
	if (!a->clock.valid || a->clock.gen != doc_generation(a->st->doc) || a->clock.rb != a->rb) {
		pace_compute(a->st, a->rb, now, &a->clock.p);
		a->clock.gen = doc_generation(a->st->doc);
		a->clock.rb = a->rb;
		a->clock.valid = true;
		changed = true;
	} else if (now != a->clock.p.now) {
		pace_at(&a->clock.p, now);
	}
	if (now != a->clock.shown) {
		a->clock.shown = now;
		changed = true;
	}
	if (a->clock.p.late && !job_running(&a->job)) {
		const struct pace *p = &a->clock.p;
		int kind = now >= p->window_end ? 2 : 1;
		char end[40], left[24], need[24], took[24];

		if (kind == a->clock.late_said)
			return changed;
		local_hhmm(p->window_end, end, sizeof end);
		duration_text((long long)(p->window_end - now), left, sizeof left);
		if (kind == 2) {
			app_message(a, true, "The change window ended at %s with %zu of %zu checklist "
				    "entries still to do.", end, p->units - p->done, p->units);
		} else {
			duration_text(p->need, need, sizeof need);
			duration_text((long long)(now - p->start), took, sizeof took);
			app_message(a, true, "At the pace so far (%zu of %zu checklist entries in %s), "
				    "the rest needs about %s: the change window ends at %s, in %s.",
				    p->done, p->units, took, need, end, left);
		}
		a->clock.late_said = kind;
		changed = true;
	} else if (!a->clock.p.late) {
		a->clock.late_said = 0;
	}
	return changed;
}

/* The right end of the title bar: the procedure's clock, the local time,
 * the window's countdown, the step.  *late: the countdown is a warning. */
/* level 0: words; 1 (narrower): without the words; 2 (narrower still):
 * without the time since the start too.  The window's warning, the step
 * and the local time stay. */
static void clock_text(struct app *a, bool list, int level, char *buf, size_t len,
		       size_t *late_at, size_t *late_len)
{
	const struct pace *p = &a->clock.p;
	time_t now = osm_now();
	char el[40] = "", loc[40], w[128] = "";
	struct strbuf sb = STRBUF_INIT;

	*late_at = *late_len = 0;
	if (a->clock.valid) {
		local_hhmm(now, loc, sizeof loc);
		if (level < 2 && p->started) {
			char d[24];

			duration_text((long long)(now - p->start), d, sizeof d);
			snprintf(el, sizeof el, "%s%s", level ? "+" : "elapsed ", d);
		} else if (level == 0) {
			snprintf(el, sizeof el, "not started");
		}
		if (p->has_window && p->done < p->units) {
			char left[24], need[24];

			duration_text((long long)(p->window_end > now ? p->window_end - now
								       : now - p->window_end),
				      left, sizeof left);
			if (now >= p->window_end) {
				snprintf(w, sizeof w, "WINDOW ENDED %s ago", left);
			} else if (p->late) {
				duration_text(p->need, need, sizeof need);
				snprintf(w, sizeof w, "%s left, needs %s!", left, need);
			} else {
				snprintf(w, sizeof w, "%s left", left);
			}
		} else if (p->has_window) {
			snprintf(w, sizeof w, "all done");
		}
		if (el[0])
			sb_addf(&sb, "%s  ", el);
		sb_addf(&sb, "%s  ", loc);
		if (w[0]) {
			if (p->late) {
				*late_at = sb.len;
				*late_len = strlen(w);
			}
			sb_addf(&sb, "%s  ", w);
		}
	}
	if (list)
		sb_addf(&sb, "%s%d/%zu", level ? "" : "step ", a->step + 1, a->rb->n_steps);
	sb_add(&sb, " ");
	snprintf(buf, len, "%s", sb_str(&sb));
	sb_free(&sb);
}

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
		ui_put_cut(stdscr, y, 2 + (int)strlen(mark), s->title, wd - 2 - (int)strlen(mark));
		wattroff(stdscr, at);
	}
}

void app_draw(struct app *a)
{
	const struct view *v = a->scr;
	const struct screen_ops *scr = v->ops;
	bool list = scr->steplist && a->rb && a->st;
	int body_top = 1, body_h = LINES - 3, left = 0;
	char title[256], latest[320];
	const char *footer;
	WINDOW *body;

	if (ui_too_small()) {
		ui_draw_too_small();
		return;
	}
	erase();
	/* title bar: the title, cut with an ellipsis, then the clock */
	wattron(stdscr, ui_attr(UI_TITLE));
	mvwhline(stdscr, 0, 0, ' ', COLS);
	if (a->rb)
		snprintf(title, sizeof title, " osmigrate: %s", a->rb->title);
	else
		snprintf(title, sizeof title, " osmigrate");
	if (a->rb) {
		char clock[200];
		size_t late_at, late_len;
		int cw, x;

		/* The title keeps at least 24 columns: words go first, then the
		 * time since the start. */
		for (int level = 0; level < 3; level++) {
			clock_text(a, list, level, clock, sizeof clock, &late_at, &late_len);
			if ((int)strlen(clock) <= COLS - 24)
				break;
		}
		cw = (int)strlen(clock);
		x = COLS - cw;
		if (x < 1)
			x = 1;
		ui_put_cut(stdscr, 0, 0, title, x - 1);
		ui_put(stdscr, 0, x, clock, COLS - x);
		if (late_len && x + (int)late_at < COLS) {
			wattroff(stdscr, ui_attr(UI_TITLE));
			wattron(stdscr, ui_attr(UI_ERROR));
			ui_put(stdscr, 0, x + (int)late_at, clock + late_at,
			       (int)late_len < COLS - x - (int)late_at ? (int)late_len
								       : COLS - x - (int)late_at);
			wattroff(stdscr, ui_attr(UI_ERROR));
			wattron(stdscr, ui_attr(UI_TITLE));
		}
	} else {
		ui_put_cut(stdscr, 0, 0, title, COLS);
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
	if (job_running(&a->job) && !a->help.shown) {
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
	} else if (!a->msg[0] && !a->help.shown && app_latest_line(a, latest, sizeof latest)) {
		/* who made the latest change, once another session made one */
		ui_put(stdscr, LINES - 2, 0, latest, COLS);
	} else if (a->msg[0] && !a->help.shown) {
		/* Under the help box nothing of it shows (no letters at its
		 * edge).  A message is read whole, never cut mid-sentence: it
		 * wraps over the bottom of the screen, up to a quarter of it. */
		attr_t at = ui_attr(a->msg_err ? UI_ERROR : UI_NORMAL);
		char **lines;
		size_t n = ui_wrap(a->msg, COLS, &lines), shown = n, most = (size_t)LINES / 4;

		if (shown < 1)
			shown = 1;
		if (shown > most)
			shown = most;
		wattron(stdscr, at);
		for (size_t i = 0; i < shown; i++) {
			int y = LINES - 1 - (int)shown + (int)i;

			mvwhline(stdscr, y, 0, ' ', COLS);
			if (i + 1 == shown && n > shown)
				ui_put_cut(stdscr, y, 0, lines[i], COLS - 1); /* what does not fit */
			else
				ui_put(stdscr, y, 0, i < n ? lines[i] : "", COLS);
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
