/* help.c - the help overlay (help.h). */
#include "config.h"

#include <stdlib.h>

#include "draw.h"
#include "help.h"
#include "util.h"

/* Only what works on every screen: the screen's own keys come first,
 * from the screen (its help hook), and no screen's keys are listed here. */
static const char *global_help =
	"Keys everywhere\n"
	"  ?             this help\n"
	"  q             save and quit (Ctrl-C, SIGTERM, SIGHUP save too)\n"
	"  Ctrl-L        redraw the screen\n"
	"Every change is saved to the state file at once; keys that\n"
	"change nothing write nothing.";

void help_open(struct help *h)
{
	h->shown = true;
	h->top = 0;
}

void help_draw(struct help *hp, const char *screen_help)
{
	struct strbuf sb = STRBUF_INIT;
	char **lines;
	size_t n;
	int wd = COLS - 4 > 78 ? 78 : COLS - 4, h, y, x;

	if (screen_help) {
		sb_add(&sb, screen_help);
		sb_add(&sb, "\n\n");
	}
	sb_add(&sb, global_help);
	n = ui_wrap(sb_str(&sb), wd - 4, &lines);
	h = (int)n + 2;
	if (h > LINES - 2)
		h = LINES - 2;
	/* Scrollable: the help of a screen may not fit a small terminal. */
	if (hp->top > (int)n - (h - 2))
		hp->top = (int)n - (h - 2);
	if (hp->top < 0)
		hp->top = 0;
	y = (LINES - h) / 2;
	x = (COLS - wd) / 2;
	ui_box(stdscr, y, x, h, wd);
	wattron(stdscr, ui_attr(UI_HEAD));
	ui_put(stdscr, y, x + 2, (int)n > h - 2 ? " Help (Up/Down scroll, other keys close) "
					      : " Help (any key closes) ", wd - 4);
	wattroff(stdscr, ui_attr(UI_HEAD));
	for (int i = 0; i < h - 2 && hp->top + i < (int)n; i++)
		ui_put(stdscr, y + 1 + i, x + 2, lines[hp->top + i], wd - 4);
	if (hp->top > 0)
		mvwaddstr(stdscr, y + 1, x + wd - 2, "^");
	if (hp->top + h - 2 < (int)n)
		mvwaddstr(stdscr, y + h - 2, x + wd - 2, "v");
	ui_lines_free(lines, n);
	sb_free(&sb);
}

void help_request(struct help *h, const struct input *in)
{
	int page = LINES / 2;

	switch (in->req) {
	case REQ_DOWN: h->top++; break;
	case REQ_UP: h->top--; break;
	case REQ_PAGE_DOWN: h->top += page; break;
	case REQ_PAGE_UP: h->top -= page; break;
	default: h->shown = false; break;
	}
}
