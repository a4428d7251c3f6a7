/* chooser.c - the start screen without a runbook: the three runbooks, each
 * with its saved session (if its default state file exists). */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tui_int.h"

static int cur;
static char info[8][1400];

static void chooser_enter(struct app *a)
{
	cur = 0;
	for (size_t i = 0; i < n_runbooks && i < 8; i++) {
		char *path = a->opt->state_path ? NULL : state_default_path(runbooks[i]->id);
		struct state_error err;
		struct state *st;

		info[i][0] = '\0';
		if (!path || access(path, F_OK) != 0) {
			free(path);
			continue;
		}
		st = state_open_readonly(path, &err);
		if (!st) {
			snprintf(info[i], sizeof info[i], "saved state unreadable: %s", err.msg);
		} else {
			const char *c = state_current(st);
			const struct rb_step *s = c ? runbook_step(runbooks[i], c) : NULL;

			snprintf(info[i], sizeof info[i], "saved session at \"%s\", %s by %s",
				 s ? s->title : "the first step",
				 doc_get(st->doc, "osmigrate", NULL, "updated") ?
				 doc_get(st->doc, "osmigrate", NULL, "updated") : "(unknown time)",
				 doc_get(st->doc, "osmigrate", NULL, "updated_by") ?
				 doc_get(st->doc, "osmigrate", NULL, "updated_by") : "(unknown)");
			state_close(st);
		}
		free(path);
	}
}

static void chooser_draw(struct app *a, WINDOW *w)
{
	int y = 1, wd = getmaxx(w), need = 3;
	bool compact;

	/* Everything on one line per entry when the full layout does not fit
	 * (60x16): the saved sessions must stay visible. */
	for (size_t i = 0; i < n_runbooks; i++) {
		char **lines;
		size_t n = ui_wrap(runbooks[i]->summary, wd - 5, &lines);

		ui_lines_free(lines, n);
		need += 2 + (int)n + (i < 8 && info[i][0] ? 1 : 0);
	}
	compact = need > getmaxy(w);
	if (compact)
		y = 0;

	wattron(w, ui_attr(UI_HEAD));
	ui_put(w, y, 0, "Which procedure do you want to run?", wd);
	wattroff(w, ui_attr(UI_HEAD));
	y += compact ? 1 : 2;
	for (size_t i = 0; i < n_runbooks; i++) {
		char line[128];
		char **lines;
		size_t n;

		snprintf(line, sizeof line, "%c %zu  %s", (int)i == cur ? '>' : ' ', i + 1,
			 runbooks[i]->id);
		if ((int)i == cur)
			wattron(w, ui_attr(UI_SELECT));
		mvwhline(w, y, 0, ' ', wd);
		ui_put(w, y, 0, line, wd);
		if ((int)i == cur)
			wattroff(w, ui_attr(UI_SELECT));
		y++;
		n = ui_wrap(runbooks[i]->summary, wd - 5, &lines);
		for (size_t k = 0; k < n && y < getmaxy(w) && (!compact || k == 0); k++)
			ui_put(w, y++, 5, lines[k], wd - 5);
		ui_lines_free(lines, n);
		if (i < 8 && info[i][0] && y < getmaxy(w)) {
			wattron(w, ui_attr(UI_DIM));
			ui_put(w, y++, 5, info[i], wd - 5);
			wattroff(w, ui_attr(UI_DIM));
		}
		if (!compact)
			y++;
	}
}

static int chooser_key(struct app *a, int ch, bool fkey)
{
	if ((fkey && ch == KEY_UP) || (!fkey && ch == 'k')) {
		if (cur > 0)
			cur--;
		return R_REDRAW;
	}
	if ((fkey && ch == KEY_DOWN) || (!fkey && ch == 'j')) {
		if (cur + 1 < (int)n_runbooks)
			cur++;
		return R_REDRAW;
	}
	if (!fkey && ch >= '1' && ch < '1' + (int)n_runbooks) {
		cur = ch - '1';
		a->chooser_pick = cur;
		return R_OPENED;
	}
	if ((fkey && ch == KEY_ENTER) || (!fkey && (ch == '\r' || ch == '\n' || ch == ' '))) {
		a->chooser_pick = cur;
		return R_OPENED;
	}
	if (!fkey && ch == '?')
		return R_HELP;
	if (!fkey && (ch == 'q' || ch == 'Q'))
		return R_QUIT;
	return R_NONE;
}

static const char *chooser_footer(struct app *a)
{
	return "Up/Down choose  Enter or 1-3 open";
}

static const char *chooser_help(struct app *a)
{
	return "Choose a procedure with the arrows and Enter (or its number). Its "
	       "progress is kept in its own state file, so each can be resumed later.";
}

const struct screen_ops screen_chooser = {
	.name = "chooser",
	.steplist = false,
	.enter = chooser_enter,
	.draw = chooser_draw,
	.key = chooser_key,
	.footer = chooser_footer,
	.help = chooser_help,
};
