/* chooser.c - the start screen without a runbook: the three runbooks, each
 * with its saved session (if its default state file exists). */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "progress.h"
#include "screens.h"

struct chooser {
	int cur;
	char info[8][1400];   /* each runbook's saved session, "" if none */
};

static void chooser_enter(struct app *a, void *data)
{
	struct chooser *ch = data;
	char (*info)[1400] = ch->info;

	ch->cur = 0;
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
			/* "next" as `osmigrate status` and the resume screen say it */
			char *next = progress_next_text(st, runbooks[i]);

			snprintf(info[i], sizeof info[i], "saved session, next: %s; saved %s by %s",
				 next ? next : "nothing (complete)",
				 doc_get(st->doc, "osmigrate", NULL, "updated") ?
				 doc_get(st->doc, "osmigrate", NULL, "updated") : "(unknown time)",
				 doc_get(st->doc, "osmigrate", NULL, "updated_by") ?
				 doc_get(st->doc, "osmigrate", NULL, "updated_by") : "(unknown)");
			free(next);
			state_close(st);
		}
		free(path);
	}
}

static void chooser_draw(struct app *a, void *data, WINDOW *w)
{
	const struct chooser *c = data;
	const char (*info)[1400] = c->info;
	int cur = c->cur;
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

static int chooser_request(struct app *a, void *data, const struct input *in)
{
	struct chooser *c = data;

	if (cursor_step(in, &c->cur, (int)n_runbooks))
		return R_REDRAW;
	if (!in->fkey && in->ch >= '1' && in->ch < '1' + (int)n_runbooks)
		c->cur = in->ch - '1';
	else if (in->req != REQ_ENTER && (in->fkey || in->ch != ' '))
		return R_UNHANDLED;
	a->chooser_pick = c->cur;
	return R_OPENED;
}

static const char *chooser_footer(struct app *a, void *data)
{
	return "Up/Down choose  Enter or 1-3 open";
}

static const char *chooser_help(struct app *a, void *data)
{
	return "Choose a procedure with the arrows and Enter (or its number). Its "
	       "progress is kept in its own state file, so each can be resumed later.";
}

const struct screen_ops screen_chooser = {
	.name = "chooser",
	.steplist = false,
	.private_size = sizeof(struct chooser),
	.enter = chooser_enter,
	.draw = chooser_draw,
	.request = chooser_request,
	.footer = chooser_footer,
	.help = chooser_help,
};
