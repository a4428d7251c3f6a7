/* ui.c - drawing helpers and modal prompts shared by the screens.
 * Everything stored text may contain (newlines, tabs, escape sequences,
 * invalid UTF-8) is neutralised here before it reaches the terminal. */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <wctype.h>

#include "text.h"
#include "tui_int.h"

enum { PAIR_TITLE = 1, PAIR_DONE, PAIR_CURRENT, PAIR_FAILED, PAIR_SKIPPED, PAIR_WARN,
       PAIR_HEAD, PAIR_SELECT };

void ui_colors_init(void)
{
	if (!term_color())
		return;
	init_pair(PAIR_TITLE, COLOR_WHITE, COLOR_BLUE);
	init_pair(PAIR_DONE, COLOR_GREEN, -1);
	init_pair(PAIR_CURRENT, COLOR_CYAN, -1);
	init_pair(PAIR_FAILED, COLOR_RED, -1);
	init_pair(PAIR_SKIPPED, COLOR_BLUE, -1);
	init_pair(PAIR_WARN, COLOR_YELLOW, -1);
	init_pair(PAIR_HEAD, COLOR_CYAN, -1);
	init_pair(PAIR_SELECT, COLOR_BLACK, COLOR_CYAN);
}

attr_t ui_attr(enum ui_attr a)
{
	bool c = term_color();

	/* Monochrome: only bold/reverse/underline; the text marks carry meaning. */
	switch (a) {
	case UI_NORMAL: return A_NORMAL;
	case UI_TITLE: return c ? (attr_t)(COLOR_PAIR(PAIR_TITLE) | A_BOLD) : A_REVERSE;
	case UI_FOOTER: return c ? (attr_t)COLOR_PAIR(PAIR_TITLE) : A_REVERSE;
	case UI_DONE: return c ? (attr_t)COLOR_PAIR(PAIR_DONE) : A_NORMAL;
	case UI_CURRENT: return c ? (attr_t)(COLOR_PAIR(PAIR_CURRENT) | A_BOLD) : A_BOLD;
	case UI_FAILED: return c ? (attr_t)(COLOR_PAIR(PAIR_FAILED) | A_BOLD) : A_BOLD;
	case UI_ERROR: return c ? (attr_t)(COLOR_PAIR(PAIR_FAILED) | A_BOLD) : A_BOLD;
	case UI_SKIPPED: return c ? (attr_t)COLOR_PAIR(PAIR_SKIPPED) : A_DIM;
	case UI_WARN: return c ? (attr_t)(COLOR_PAIR(PAIR_WARN) | A_BOLD) : A_BOLD;
	case UI_SELECT: return c ? (attr_t)COLOR_PAIR(PAIR_SELECT) : A_REVERSE;
	case UI_DIM: return A_DIM;
	case UI_HEAD: return c ? (attr_t)(COLOR_PAIR(PAIR_HEAD) | A_BOLD) : (A_BOLD | A_UNDERLINE);
	}
	return A_NORMAL;
}

/* Decode one character; invalid bytes become '?', and what text_safe()
 * replaces (text.h: control characters, C1, bidi controls and marks) '?'
 * too, tabs and line separators a space, so nothing stored can drive the
 * terminal or reorder the screen.  '\n' stays for ui_wrap(). */
static size_t decode(const char *s, size_t n, wchar_t *wc, mbstate_t *ps)
{
	size_t r = mbrtowc(wc, s, n, ps);

	if (r == (size_t)-1 || r == (size_t)-2) {
		memset(ps, 0, sizeof *ps);
		*wc = L'?';
		return 1;
	}
	if (r == 0)
		r = 1;
	if (*wc == L'\t' || *wc == 0x2028 || *wc == 0x2029)
		*wc = L' ';
	else if (*wc != L'\n' && (iswcntrl((wint_t)*wc) || text_cp_unsafe((uint32_t)*wc)))
		*wc = L'?';
	return r;
}

static int wcw(wchar_t c)
{
	int w = wcwidth(c);

	return w < 0 ? 1 : w;
}

static wchar_t *to_wide(const char *s, size_t *len)
{
	size_t n = strlen(s), i = 0, k = 0;
	wchar_t *w = xcalloc(n + 1, sizeof *w);
	mbstate_t ps;

	memset(&ps, 0, sizeof ps);
	while (i < n) {
		i += decode(s + i, n - i, &w[k], &ps);
		/* Zero-width and wide glyphs are kept; non-printables shown as '?'. */
		if (w[k] != L'\n' && wcwidth(w[k]) < 0)
			w[k] = L'?';
		k++;
	}
	w[k] = 0;
	*len = k;
	return w;
}

static char *to_mb(const wchar_t *w, size_t n)
{
	struct strbuf sb = STRBUF_INIT;
	char tmp[MB_LEN_MAX];
	mbstate_t ps;

	memset(&ps, 0, sizeof ps);
	for (size_t i = 0; i < n; i++) {
		size_t r = wcrtomb(tmp, w[i], &ps);

		if (r == (size_t)-1) {
			memset(&ps, 0, sizeof ps);
			sb_addc(&sb, '?');
		} else {
			sb_addn(&sb, tmp, r);
		}
	}
	sb_add(&sb, "");
	return sb_detach(&sb);
}

int ui_strwidth(const char *s)
{
	size_t n;
	wchar_t *w = to_wide(s ? s : "", &n);
	int cols = 0;

	for (size_t i = 0; i < n; i++)
		cols += wcw(w[i]);
	free(w);
	return cols;
}

int ui_put(WINDOW *w, int y, int x, const char *s, int maxw)
{
	size_t n;
	wchar_t *ws;
	int cols = 0;

	if (!s || maxw <= 0)
		return 0;
	ws = to_wide(s, &n);
	wmove(w, y, x);
	for (size_t i = 0; i < n; i++) {
		wchar_t c = ws[i] == L'\n' ? L' ' : ws[i];
		int cw = wcw(c);

		if (cols + cw > maxw)
			break;
		waddnwstr(w, &c, 1);
		cols += cw;
	}
	free(ws);
	return cols;
}

size_t ui_wrap(const char *s, int width, char ***lines)
{
	size_t n, cap = 8, nl = 0, i = 0;
	wchar_t *w;
	char **out = xcalloc(cap, sizeof *out);

	if (width < 1)
		width = 1;
	w = to_wide(s ? s : "", &n);
	for (;;) {
		size_t start = i, brk = (size_t)-1, end;
		int cols = 0;

		while (i < n && w[i] != L'\n') {
			int cw = wcw(w[i]);

			if (cols + cw > width)
				break;
			if (w[i] == L' ')
				brk = i;
			cols += cw;
			i++;
		}
		if (i < n && w[i] != L'\n' && brk != (size_t)-1 && brk > start) {
			end = brk;
			i = brk + 1;
		} else {
			end = i;
			if (i == start && i < n && w[i] != L'\n')
				end = ++i; /* a glyph wider than the width */
			if (i < n && w[i] == L'\n')
				i++;
		}
		if (nl == cap)
			out = xreallocarray(out, cap *= 2, sizeof *out);
		out[nl++] = to_mb(w + start, end - start);
		if (i >= n)
			break;
	}
	free(w);
	*lines = out;
	return nl;
}

void ui_lines_free(char **lines, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(lines[i]);
	free(lines);
}

/* Lines: Unicode box drawing in a UTF-8 locale (no dependence on the
 * terminal's alternate character set, which terminals inside tmux/screen
 * or over serial links often get wrong), the terminal's ACS otherwise, and
 * plain - | + when neither is available. */
void ui_hline(WINDOW *w, int y, int x, int n)
{
	if (n <= 0)
		return;
	if (term_ascii())
		mvwhline(w, y, x, '-', n);
	else if (term_utf8())
		mvwhline_set(w, y, x, WACS_HLINE, n);
	else
		mvwhline(w, y, x, ACS_HLINE, n);
}

void ui_vline(WINDOW *w, int y, int x, int n)
{
	if (n <= 0)
		return;
	if (term_ascii())
		mvwvline(w, y, x, '|', n);
	else if (term_utf8())
		mvwvline_set(w, y, x, WACS_VLINE, n);
	else
		mvwvline(w, y, x, ACS_VLINE, n);
}

static void corner(WINDOW *w, int y, int x, const cchar_t *wc, chtype ac)
{
	if (term_ascii())
		mvwaddch(w, y, x, '+');
	else if (term_utf8())
		mvwadd_wch(w, y, x, wc);
	else
		mvwaddch(w, y, x, ac);
}

void ui_box(WINDOW *w, int y, int x, int h, int wd)
{
	if (h < 2 || wd < 2)
		return;
	for (int r = y; r < y + h; r++)
		mvwhline(w, r, x, ' ', wd);
	ui_hline(w, y, x + 1, wd - 2);
	ui_hline(w, y + h - 1, x + 1, wd - 2);
	ui_vline(w, y + 1, x, h - 2);
	ui_vline(w, y + 1, x + wd - 1, h - 2);
	corner(w, y, x, WACS_ULCORNER, ACS_ULCORNER);
	corner(w, y, x + wd - 1, WACS_URCORNER, ACS_URCORNER);
	corner(w, y + h - 1, x, WACS_LLCORNER, ACS_LLCORNER);
	corner(w, y + h - 1, x + wd - 1, WACS_LRCORNER, ACS_LRCORNER);
}

const char *ui_spinner(int phase)
{
	static const char *const s[] = { "|", "/", "-", "\\" };

	return s[(unsigned)phase % 4];
}

const char *ui_mark(enum step_status s)
{
	return step_status_mark(s);
}

enum ui_attr ui_status_attr(enum step_status s)
{
	switch (s) {
	case STEP_DONE: return UI_DONE;
	case STEP_IN_PROGRESS: return UI_CURRENT;
	case STEP_SKIPPED: return UI_SKIPPED;
	case STEP_FAILED: return UI_FAILED;
	case STEP_PENDING: break;
	}
	return UI_NORMAL;
}

enum ui_attr ui_verdict_attr(enum check_verdict v)
{
	switch (v) {
	case VERDICT_OK: return UI_DONE;
	case VERDICT_WARNING:
	case VERDICT_STALE: return UI_WARN;
	case VERDICT_ERROR:
	case VERDICT_FAILED: return UI_FAILED;
	case VERDICT_NONE: break;
	}
	return UI_NORMAL;
}

/* ---- modal prompts ---------------------------------------------------- */

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

static void draw_prompt(const char *title, const char *explain, const struct editor *e,
			bool secret, const char *err)
{
	int y, x, wd, h, field, start = 0, cols = 0, ne, ey;
	char **lines;
	size_t nl;

	/* Title and explanation wrap: the reason for a refusal must be read whole. */
	wd = COLS - 4 > 76 ? 76 : COLS - 4;
	nl = ui_wrap(title, wd - 4, &lines);
	ui_lines_free(lines, nl);
	ne = (int)nl;
	nl = ui_wrap(explain ? explain : "", wd - 4, &lines);
	ui_lines_free(lines, nl);
	ne += (int)nl;
	if (ne > LINES - 10)
		ne = LINES - 10;
	if (ne < 1)
		ne = 1;
	h = ne + 6;
	dialog_frame(h, &y, &x, &wd);
	wattron(stdscr, ui_attr(UI_HEAD));
	draw_text_block(title, y + 1, x + 2, wd - 4, ne);
	wattroff(stdscr, ui_attr(UI_HEAD));
	nl = ui_wrap(title, wd - 4, &lines);
	ui_lines_free(lines, nl);
	if ((int)nl < ne)
		draw_text_block(explain, y + 1 + (int)nl, x + 2, wd - 4, ne - (int)nl);
	ey = y + 2 + ne;
	field = wd - 6;
	mvwaddstr(stdscr, ey, x + 2, "> ");
	if (secret) {
		ui_put(stdscr, ey, x + 4, "(typing is not shown)", field);
	} else {
		/* Scroll horizontally so the cursor stays visible. */
		for (size_t i = e->cur; i > 0; i--) {
			cols += wcw(e->buf[i - 1]);
			if (cols >= field) {
				start = (int)i;
				break;
			}
		}
		cols = 0;
		wmove(stdscr, ey, x + 4);
		for (size_t i = (size_t)start; i < e->len; i++) {
			int cw = wcw(e->buf[i]);

			if (cols + cw > field)
				break;
			waddnwstr(stdscr, &e->buf[i], 1);
			cols += cw;
		}
	}
	if (err && *err) {
		wattron(stdscr, ui_attr(UI_ERROR));
		ui_put(stdscr, ey + 1, x + 2, err, wd - 4);
		wattroff(stdscr, ui_attr(UI_ERROR));
	}
	ui_put(stdscr, ey + 2, x + 2, "Enter accept   Esc cancel   Ctrl-U clear", wd - 4);
	if (!secret) {
		int cx = 0;

		for (size_t i = (size_t)start; i < e->cur; i++)
			cx += wcw(e->buf[i]);
		wmove(stdscr, ey, x + 4 + cx);
		curs_set(1);
	}
	refresh();
}

int ui_prompt(struct app *a, const char *title, const char *explain, const char *initial,
	      size_t maxlen, bool secret, char **out)
{
	struct editor e = { xcalloc(16, sizeof(wchar_t)), 0, 16, 0 };
	char err[160] = "";
	int rc = 0;
	bool dirty = true;

	*out = NULL;
	if (initial && *initial) {
		size_t n;
		wchar_t *w = to_wide(initial, &n);

		for (size_t i = 0; i < n; i++)
			ed_insert(&e, w[i] == L'\n' ? L' ' : w[i]);
		free(w);
	}
	for (;;) {
		wint_t ch;
		int r;

		if (tui_sig) {
			rc = -1;
			break;
		}
		if (dirty) {
			app_draw(a);
			if (!term_too_small())
				draw_prompt(title, explain, &e, secret, err);
			dirty = false;
		}
		r = get_wch(&ch);
		if (r == ERR) {
			term_check_hangup();
			continue;
		}
		dirty = true;
		if (r == KEY_CODE_YES) {
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
			case KEY_ENTER: goto enter;
			default: break;
			}
			continue;
		}
		err[0] = '\0';
		/* Too small to show the prompt: typed text is still taken (nothing
		 * typed is lost, e.g. racing a resize), but Enter waits until the
		 * operator can see what is submitted. */
		if (term_too_small() && (ch == '\r' || ch == '\n'))
			continue;
		if (ch == 27) {
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
		if (ch == '\r' || ch == '\n') {
			int next;

			/* More input already waiting means a paste: the newline
			 * joins the lines instead of ending the edit. */
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
			if (ed_bytes(&e) + r2 > maxlen) {
				snprintf(err, sizeof err, "at most %zu bytes: the rest was not taken",
					 maxlen);
				continue;
			}
		}
		ed_insert(&e, (wchar_t)ch);
		continue;
enter:
		{
			char *s = to_mb(e.buf, e.len);

			if (!utf8_valid(s, strlen(s))) {
				free(s);
				snprintf(err, sizeof err, "not valid UTF-8 text: retype it");
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

int ui_ask(struct app *a, const char *title, const char *text, const char *keys)
{
	bool dirty = true;

	for (;;) {
		wint_t ch;
		int r, y, x, wd;

		if (tui_sig)
			return -1;
		if (dirty) {
			app_draw(a);
			if (!term_too_small()) {
				dialog_frame(7, &y, &x, &wd);
				wattron(stdscr, ui_attr(UI_HEAD));
				ui_put(stdscr, y, x + 2, title, wd - 4);
				wattroff(stdscr, ui_attr(UI_HEAD));
				draw_text_block(text, y + 1, x + 2, wd - 4, 5);
				refresh();
			}
			dirty = false;
		}
		r = get_wch(&ch);
		if (r == ERR) {
			term_check_hangup();
			continue;
		}
		dirty = true;
		if (r == KEY_CODE_YES)
			continue;
		if (ch == 27)
			return 0;
		if (ch < 128 && ch > 0 && strchr(keys, (int)ch))
			return (int)ch;
	}
}

int ui_pick(struct app *a, const char *title, const char *const *choices, int current)
{
	int n = 0, cur = current < 0 ? 0 : current;
	bool dirty = true;

	while (choices[n])
		n++;
	for (;;) {
		wint_t ch;
		int r, y, x, wd, h = n + 4;

		if (tui_sig)
			return -1;
		if (dirty) {
			app_draw(a);
			if (!term_too_small()) {
				if (h > LINES - 2)
					h = LINES - 2;
				dialog_frame(h, &y, &x, &wd);
				wattron(stdscr, ui_attr(UI_HEAD));
				ui_put(stdscr, y, x + 2, title, wd - 4);
				wattroff(stdscr, ui_attr(UI_HEAD));
				for (int i = 0; i < n && i < h - 3; i++) {
					if (i == cur)
						wattron(stdscr, ui_attr(UI_SELECT));
					mvwaddstr(stdscr, y + 1 + i, x + 2, i == cur ? "> " : "  ");
					ui_put(stdscr, y + 1 + i, x + 4, choices[i], wd - 6);
					if (i == cur)
						wattroff(stdscr, ui_attr(UI_SELECT));
				}
				ui_put(stdscr, y + h - 2, x + 2, "Enter choose   Esc cancel", wd - 4);
				refresh();
			}
			dirty = false;
		}
		r = get_wch(&ch);
		if (r == ERR) {
			term_check_hangup();
			continue;
		}
		dirty = true;
		if (r == KEY_CODE_YES) {
			if (ch == KEY_UP && cur > 0)
				cur--;
			else if (ch == KEY_DOWN && cur < n - 1)
				cur++;
			else if (ch == KEY_ENTER)
				return cur;
			continue;
		}
		if (ch == 27)
			return -1;
		if (ch == 'k' && cur > 0)
			cur--;
		else if (ch == 'j' && cur < n - 1)
			cur++;
		else if (ch == '\r' || ch == '\n' || ch == ' ')
			return cur;
	}
}
