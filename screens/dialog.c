/* dialog.c - modal dialogs (dialog.h), drawn over whatever the caller's
 * redraw callback draws. */
#include "config.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <wctype.h>

#include "dialog.h"
#include "draw.h"
#include "keys.h"
#include "terminal.h"
#include "text.h"
#include "util.h"

/* A dialog box near the bottom of the screen, drawn over the whole UI. */
static void dialog_frame(int h, int *y, int *x, int *wd)
{
	*wd = COLS - 4;
	if (*wd > 76)
		*wd = 76;
	*x = (COLS - *wd) / 2;
	*y = LINES - h - 2;
	if (*y < 1)
		*y = 1;
	ui_box(stdscr, *y, *x, h, *wd);
}

static void draw_text_block(const char *text, int y, int x, int wd, int maxrows)
{
	char **lines;
	size_t n = ui_wrap(text ? text : "", wd, &lines);

	for (size_t i = 0; i < n && (int)i < maxrows; i++)
		ui_put(stdscr, y + (int)i, x, lines[i], wd);
	ui_lines_free(lines, n);
}

struct editor {
	wchar_t *buf;
	size_t len, cap, cur;
};

static size_t ed_bytes(const struct editor *e)
{
	char tmp[MB_LEN_MAX];
	mbstate_t ps;
	size_t total = 0;

	memset(&ps, 0, sizeof ps);
	for (size_t i = 0; i < e->len; i++) {
		size_t r = wcrtomb(tmp, e->buf[i], &ps);

		total += r == (size_t)-1 ? 1 : r;
	}
	return total;
}

static void ed_insert(struct editor *e, wchar_t c)
{
	if (e->len + 1 >= e->cap)
		e->buf = xreallocarray(e->buf, e->cap = e->cap * 2 + 16, sizeof *e->buf);
	memmove(e->buf + e->cur + 1, e->buf + e->cur, (e->len - e->cur) * sizeof *e->buf);
	e->buf[e->cur++] = c;
	e->len++;
}

/* Lines of text wrapped at width. */
static int wrapped_lines(const char *text, int width)
{
	char **lines;
	size_t nl = ui_wrap(text ? text : "", width, &lines);

	ui_lines_free(lines, nl);
	return (int)nl;
}

static void draw_prompt(const struct prompt *p, const struct editor *e, const char *err)
{
	int y, x, wd, h, field, start = 0, cols = 0, ne, nt, nerr = 0, ey;
	bool secret = p->secret;

	/* Title, explanation and a refusal wrap: the reason for a refusal
	 * must be read whole. */
	wd = COLS - 4 > 76 ? 76 : COLS - 4;
	nt = wrapped_lines(p->title, wd - 4);
	ne = nt + wrapped_lines(p->explain, wd - 4);
	if (err && *err)
		nerr = wrapped_lines(err, wd - 4);
	if (nerr > 4)
		nerr = 4;
	if (ne > LINES - 10 - nerr)
		ne = LINES - 10 - nerr;
	if (ne < 1)
		ne = 1;
	h = ne + 6 + (nerr > 1 ? nerr - 1 : 0);
	dialog_frame(h, &y, &x, &wd);
	wattron(stdscr, ui_attr(UI_HEAD));
	draw_text_block(p->title, y + 1, x + 2, wd - 4, ne);
	wattroff(stdscr, ui_attr(UI_HEAD));
	if (nt < ne)
		draw_text_block(p->explain, y + 1 + nt, x + 2, wd - 4, ne - nt);
	ey = y + 2 + ne;
	field = wd - 6;
	mvwaddstr(stdscr, ey, x + 2, "> ");
	if (secret) {
		ui_put(stdscr, ey, x + 4, "(typing is not shown)", field);
	} else {
		/* Scroll horizontally so the cursor stays visible. */
		for (size_t i = e->cur; i > 0; i--) {
			cols += ui_wcwidth(e->buf[i - 1]);
			if (cols >= field) {
				start = (int)i;
				break;
			}
		}
		cols = 0;
		wmove(stdscr, ey, x + 4);
		for (size_t i = (size_t)start; i < e->len; i++) {
			int cw = ui_wcwidth(e->buf[i]);

			if (cols + cw > field)
				break;
			waddnwstr(stdscr, &e->buf[i], 1);
			cols += cw;
		}
	}
	if (nerr) {
		wattron(stdscr, ui_attr(UI_ERROR));
		draw_text_block(err, ey + 1, x + 2, wd - 4, nerr);
		wattroff(stdscr, ui_attr(UI_ERROR));
	}
	ui_put(stdscr, ey + 1 + (nerr > 1 ? nerr : 1), x + 2,
	       "Enter accept   Esc cancel   Ctrl-U clear", wd - 4);
	if (!secret) {
		int cx = 0;

		for (size_t i = (size_t)start; i < e->cur; i++)
			cx += ui_wcwidth(e->buf[i]);
		wmove(stdscr, ey, x + 4 + cx);
		curs_set(1);
	}
	refresh();
}

int dialog_prompt(const struct redraw *rd, const char *title, const char *explain,
		  const char *initial, size_t maxlen, bool secret, char **out)
{
	struct prompt p = { .title = title, .explain = explain, .initial = initial,
			    .maxlen = maxlen, .secret = secret };

	return dialog_edit(rd, &p, out);
}

int dialog_edit(const struct redraw *rd, const struct prompt *p, char **out)
{
	struct editor e = { xcalloc(16, sizeof(wchar_t)), 0, 16, 0 };
	char err[600] = "";
	int rc = 0;
	bool dirty = true;

	*out = NULL;
	if (p->initial && *p->initial) {
		size_t n;
		wchar_t *w = ui_to_wide(p->initial, &n);

		for (size_t i = 0; i < n; i++)
			ed_insert(&e, w[i] == L'\n' ? L' ' : w[i]);
		free(w);
	}
	for (;;) {
		struct input in;
		wint_t ch;

		if (tui_sig) {
			rc = -1;
			/* The session ended under a half-typed note: the caller
			 * keeps it. */
			if (p->keep_on_signal && !p->secret)
				*out = ui_to_mb(e.buf, e.len);
			break;
		}
		if (dirty) {
			rd->fn(rd->ud);
			if (!ui_too_small())
				draw_prompt(p, &e, err);
			dirty = false;
		}
		/* Text, not requests: j, k, q and ? are typed like any letter. */
		if (!input_read_text(&in))
			continue;
		ch = (wint_t)in.ch;
		dirty = true;
		if (in.swallowed) {
			snprintf(err, sizeof err, "Alt-keys and escape sequences are not taken in a "
				 "text box: the text is kept");
			continue;
		}
		if (in.fkey) {
			switch (ch) {
			case KEY_RESIZE: break;
			case KEY_LEFT: if (e.cur > 0) e.cur--; break;
			case KEY_RIGHT: if (e.cur < e.len) e.cur++; break;
			case KEY_HOME: e.cur = 0; break;
			case KEY_END: e.cur = e.len; break;
			case KEY_BACKSPACE:
				if (e.cur > 0) {
					memmove(e.buf + e.cur - 1, e.buf + e.cur,
						(e.len - e.cur) * sizeof *e.buf);
					e.cur--, e.len--;
				}
				break;
			case KEY_DC:
				if (e.cur < e.len) {
					memmove(e.buf + e.cur, e.buf + e.cur + 1,
						(e.len - e.cur - 1) * sizeof *e.buf);
					e.len--;
				}
				break;
			case KEY_ENTER:
				if (!in.pasted)
					goto enter;
				break;
			default: break;
			}
			continue;
		}
		err[0] = '\0';
		/* Too small to show the prompt: typed text is still taken (nothing
		 * typed is lost, e.g. racing a resize), but Enter waits until the
		 * operator can see what is submitted. */
		if (ui_too_small() && (ch == '\r' || ch == '\n'))
			continue;
		if (ch == 27) {   /* a lone Esc (keys.h) */
			rc = 0;
			break;
		}
		if (ch == 127 || ch == 8) {
			if (e.cur > 0) {
				memmove(e.buf + e.cur - 1, e.buf + e.cur, (e.len - e.cur) * sizeof *e.buf);
				e.cur--, e.len--;
			}
			continue;
		}
		if (ch == 21) { /* Ctrl-U */
			e.len = e.cur = 0;
			continue;
		}
		if ((ch == '\r' || ch == '\n') && in.pasted) {
			ch = ' ';   /* a bracketed paste's newline joins the lines */
		} else if (ch == '\r' || ch == '\n') {
			int next;

			/* More input already waiting means a paste (a terminal
			 * without bracketed paste): the newline joins the lines
			 * instead of ending the edit. */
			nodelay(stdscr, TRUE);
			next = getch();
			timeout(100);
			if (next != ERR) {
				ungetch(next);
				ch = ' ';
			} else {
				goto enter;
			}
		}
		if (ch == '\t')
			ch = ' ';
		if (iswcntrl(ch) || text_cp_unsafe((uint32_t)ch)) {
			snprintf(err, sizeof err, "control characters are not accepted (bidi "
				 "controls included)");
			continue;
		}
		{
			char tmp[MB_LEN_MAX];
			mbstate_t ps;
			size_t r2;

			memset(&ps, 0, sizeof ps);
			r2 = wcrtomb(tmp, (wchar_t)ch, &ps);
			if (r2 == (size_t)-1 || ch == 0xfffd || (ch >= 0xd800 && ch < 0xe000)) {
				snprintf(err, sizeof err,
					 "not valid UTF-8 text: set your terminal to UTF-8 and retype");
				continue;
			}
			if (ed_bytes(&e) + r2 > p->maxlen) {
				snprintf(err, sizeof err, "at most %zu bytes: the rest was not taken",
					 p->maxlen);
				continue;
			}
		}
		ed_insert(&e, (wchar_t)ch);
		continue;
enter:
		{
			char *s = ui_to_mb(e.buf, e.len), why[480];

			if (!utf8_valid(s, strlen(s))) {
				free(s);
				snprintf(err, sizeof err, "not valid UTF-8 text: retype it");
				continue;
			}
			why[0] = '\0';
			if (p->check && !p->check(p->check_ud, s, why, sizeof why)) {
				/* Refused: the text stays to be corrected, and why. */
				snprintf(err, sizeof err, "Not accepted: %s. Esc cancels.",
					 why[0] ? why : "this value");
				free(s);
				continue;
			}
			*out = s;
			rc = 1;
			break;
		}
	}
	curs_set(0);
	/* A password must not linger in freed memory. */
	memset(e.buf, 0, e.cap * sizeof *e.buf);
	free(e.buf);
	return rc;
}

int dialog_ask(const struct redraw *rd, const char *title, const char *text, const char *keys)
{
	bool dirty = true;

	for (;;) {
		struct input in;
		int y, x, wd;

		if (tui_sig)
			return -1;
		if (dirty) {
			rd->fn(rd->ud);
			if (!ui_too_small()) {
				dialog_frame(7, &y, &x, &wd);
				wattron(stdscr, ui_attr(UI_HEAD));
				ui_put(stdscr, y, x + 2, title, wd - 4);
				wattroff(stdscr, ui_attr(UI_HEAD));
				draw_text_block(text, y + 1, x + 2, wd - 4, 5);
				refresh();
			}
			dirty = false;
		}
		if (!input_read(&in))
			continue;
		dirty = true;
		if (in.fkey)
			continue;
		if (in.ch == 27)
			return 0;
		if (in.ch < 128 && in.ch > 0 && strchr(keys, in.ch))
			return in.ch;
	}
}

int dialog_pick(const struct redraw *rd, const char *title, const char *const *choices,
		int current)
{
	int n = 0, cur = current < 0 ? 0 : current;
	bool dirty = true;

	while (choices[n])
		n++;
	for (;;) {
		struct input in;
		int y, x, wd, h = n + 4;

		if (tui_sig)
			return -1;
		if (dirty) {
			rd->fn(rd->ud);
			if (!ui_too_small()) {
				if (h > LINES - 2)
					h = LINES - 2;
				dialog_frame(h, &y, &x, &wd);
				wattron(stdscr, ui_attr(UI_HEAD));
				ui_put(stdscr, y, x + 2, title, wd - 4);
				wattroff(stdscr, ui_attr(UI_HEAD));
				/* a list longer than the box scrolls with the cursor */
				int vis = h - 3 < 1 ? 1 : h - 3;
				int top = cur < vis ? 0 : cur - vis + 1;

				for (int i = top; i < n && i - top < vis; i++) {
					int row = y + 1 + (i - top);

					if (i == cur)
						wattron(stdscr, ui_attr(UI_SELECT));
					mvwaddstr(stdscr, row, x + 2, i == cur ? "> " : "  ");
					ui_put(stdscr, row, x + 4, choices[i], wd - 6);
					if (i == cur)
						wattroff(stdscr, ui_attr(UI_SELECT));
				}
				ui_put(stdscr, y + h - 2, x + 2, "Enter choose   Esc cancel", wd - 4);
				refresh();
			}
			dirty = false;
		}
		if (!input_read(&in))
			continue;
		dirty = true;
		if (cursor_step(&in, &cur, n)) {
			/* moved */
		} else if (in.req == REQ_ENTER || (!in.fkey && in.ch == ' ')) {
			return cur;
		} else if (!in.fkey && in.ch == 27) {
			return -1;
		}
	}
}

char *dialog_secret(void *ud, enum secret_kind kind, const char *what)
{
	char *pw = NULL;

	(void)what;
	if (dialog_prompt(ud, secret_kind_title(kind),
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
