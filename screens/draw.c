/* draw.c - drawing helpers shared by the screens and the dialogs.
 * Everything stored text may contain (newlines, tabs, escape sequences,
 * invalid UTF-8) is neutralised here before it reaches the terminal. */
#include "config.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <wctype.h>

#include "draw.h"
#include "terminal.h"
#include "text.h"
#include "util.h"

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

int ui_wcwidth(wchar_t c)
{
	int w = wcwidth(c);

	return w < 0 ? 1 : w;
}

wchar_t *ui_to_wide(const char *s, size_t *len)
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

char *ui_to_mb(const wchar_t *w, size_t n)
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
	wchar_t *w = ui_to_wide(s ? s : "", &n);
	int cols = 0;

	for (size_t i = 0; i < n; i++)
		cols += ui_wcwidth(w[i]);
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
	ws = ui_to_wide(s, &n);
	wmove(w, y, x);
	for (size_t i = 0; i < n; i++) {
		wchar_t c = ws[i] == L'\n' ? L' ' : ws[i];
		int cw = ui_wcwidth(c);

		if (cols + cw > maxw)
			break;
		waddnwstr(w, &c, 1);
		cols += cw;
	}
	free(ws);
	return cols;
}

char *ui_cut(const char *s, int maxw)
{
	const char *dots = term_utf8() && !term_ascii() ? "\xe2\x80\xa6" : "~";
	size_t n, keep = 0;
	wchar_t *ws;
	int cols = 0, total = 0;
	char *head, *out;

	ws = ui_to_wide(s ? s : "", &n);
	for (size_t i = 0; i < n; i++)
		total += ui_wcwidth(ws[i]);
	if (total <= maxw || maxw < 1) {
		out = ui_to_mb(ws, maxw < 1 ? 0 : n);
		free(ws);
		return out;
	}
	for (; keep < n; keep++) {
		int cw = ui_wcwidth(ws[keep]);

		if (cols + cw > maxw - 1)
			break;
		cols += cw;
	}
	head = ui_to_mb(ws, keep);
	out = xasprintf("%s%s", head, dots);
	free(head);
	free(ws);
	return out;
}

int ui_put_cut(WINDOW *w, int y, int x, const char *s, int maxw)
{
	char *c;
	int r;

	if (!s || maxw <= 0)
		return 0;
	c = ui_cut(s, maxw);
	r = ui_put(w, y, x, c, maxw);
	free(c);
	return r;
}

size_t ui_wrap(const char *s, int width, char ***lines)
{
	size_t n, cap = 8, nl = 0, i = 0;
	wchar_t *w;
	char **out = xcalloc(cap, sizeof *out);

	if (width < 1)
		width = 1;
	w = ui_to_wide(s ? s : "", &n);
	for (;;) {
		size_t start = i, brk = (size_t)-1, end;
		int cols = 0;

		while (i < n && w[i] != L'\n') {
			int cw = ui_wcwidth(w[i]);

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
		out[nl++] = ui_to_mb(w + start, end - start);
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

bool ui_too_small(void)
{
	return COLS < TUI_MIN_COLS || LINES < TUI_MIN_LINES;
}

void ui_draw_too_small(void)
{
	char *text = xasprintf("Terminal too small (%dx%d), need at least %dx%d. "
			       "Resize the window, or press q to save and quit.",
			       COLS, LINES, TUI_MIN_COLS, TUI_MIN_LINES);
	char **rows;
	size_t n;

	erase();
	if (COLS > 0 && LINES > 0) {
		n = ui_wrap(text, COLS, &rows);
		for (size_t i = 0; i < n && (int)i < LINES; i++)
			ui_put(stdscr, (int)i, 0, rows[i], COLS);
		ui_lines_free(rows, n);
	}
	free(text);
	refresh();
}
