/* resume.c - an existing state file: resume where it stopped, start over
 * (the old file is kept as a timestamped backup), or quit. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "progress.h"
#include "presence.h"
#include "screens.h"

struct resume {
	int cur;       /* 0 resume, 1 start over, 2 quit */
};

static void resume_enter(struct app *a, void *data)
{
	struct resume *r = data;

	r->cur = 0;
}

static const struct rb_step *saved_step(const struct app *a)
{
	const char *c = state_current(a->st);
	const struct rb_step *s = c ? runbook_step(a->rb, c) : NULL;

	return s ? s : &a->rb->steps[0];
}

static void resume_draw(struct app *a, void *data, WINDOW *w)
{
	int cur = ((const struct resume *)data)->cur;
	const struct rb_step *s = saved_step(a);
	const char *when = doc_get(a->st->doc, "osmigrate", NULL, "updated");
	const char *who = doc_get(a->st->doc, "osmigrate", NULL, "updated_by");
	char *text, *next, *opts[3];
	char **lines;
	size_t n;
	int y = 1, wd = getmaxx(w);

	wattron(w, ui_attr(UI_HEAD));
	ui_put(w, y, 0, "A saved session exists", wd);
	wattroff(w, ui_attr(UI_HEAD));
	y += 2;
	next = progress_next_text(a->st, a->rb);
	/* "Next" in the words of `osmigrate status`: the two never disagree. */
	text = xasprintf("State file: %s\nLast saved %s by %s, at step %d of %zu: %s (%s).\n"
			 "Next: %s.",
			 a->st->path, when ? when : "(unknown time)", who ? who : "(unknown)",
			 runbook_step_index(a->rb, s->id) + 1, a->rb->n_steps, s->title,
			 step_status_name(state_step_status(a->st, s->id)),
			 next ? next : "nothing: every step is done or skipped");
	free(next);
	{
		/* the sessions working on it now (presence.h) */
		struct presence *ps;
		size_t np = presence_list(a->st->path, &ps);
		struct strbuf sb = STRBUF_INIT;

		sb_add(&sb, text);
		if (np)
			sb_addf(&sb, "\nOpen now in %zu other session%s:", np, np == 1 ? "" : "s");
		for (size_t i = 0; i < np; i++)
			sb_addf(&sb, "\n  %s, pid %ld on %s (seen %ld s ago)", ps[i].op, ps[i].pid,
				ps[i].host, (long)(osm_now() - ps[i].beat));
		if (np)
			sb_add(&sb, "\nResuming shares the file with them; starting over restarts "
			       "the procedure for them too.");
		free(ps);
		free(text);
		text = sb_detach(&sb);
	}
	n = ui_wrap(text, wd, &lines);
	for (size_t i = 0; i < n && y < getmaxy(w); i++)
		ui_put(w, y++, 0, lines[i], wd);
	ui_lines_free(lines, n);
	free(text);
	y++;
	opts[0] = xasprintf("r  Resume at step %d: %s", runbook_step_index(a->rb, s->id) + 1,
			    s->title);
	opts[1] = xstrdup("o  Start over (the old file is kept as a backup)");
	opts[2] = xstrdup("q  Quit");
	for (int i = 0; i < 3 && y < getmaxy(w); i++, y++) {
		if (i == cur)
			wattron(w, ui_attr(UI_SELECT));
		mvwhline(w, y, 0, ' ', wd);
		mvwaddstr(w, y, 0, i == cur ? ">" : " ");
		ui_put(w, y, 2, opts[i], wd - 2);
		if (i == cur)
			wattroff(w, ui_attr(UI_SELECT));
		free(opts[i]);
	}
}

static int start_over(struct app *a)
{
	int r = dialog_ask(&a->redraw, "Start over?", "All ticks, notes and check results of this "
			   "session are reset. The current file is kept as a timestamped backup "
			   "next to it. Press y to start over, n to go back.", "ynYN");

	return (r == 'y' || r == 'Y') ? R_START_OVER : R_REDRAW;
}

static int resume_request(struct app *a, void *data, const struct input *in)
{
	struct resume *r = data;

	if (cursor_step(in, &r->cur, 3))
		return R_REDRAW;
	if (in->req == REQ_ENTER) {
		if (r->cur == 0)
			return R_OPENED;
		if (r->cur == 1)
			return start_over(a);
		return R_QUIT;
	}
	if (in->fkey)
		return R_UNHANDLED;
	switch (in->ch) {
	case 'r': case 'R': return R_OPENED;
	case 'o': case 'O': return start_over(a);
	}
	return R_UNHANDLED;
}

static const char *resume_footer(struct app *a, void *data)
{
	return "r resume  o start over";
}

static const char *resume_help(struct app *a, void *data)
{
	return "r (or Enter on the first line) resumes at the saved step with every tick, "
	       "note and check result as they were. o starts over after a confirmation; "
	       "the old state file is renamed to FILE.YYYYmmddTHHMMSSZ.bak.";
}

const struct screen_ops screen_resume = {
	.name = "resume",
	.steplist = false,
	.private_size = sizeof(struct resume),
	.enter = resume_enter,
	.draw = resume_draw,
	.request = resume_request,
	.footer = resume_footer,
	.help = resume_help,
};
