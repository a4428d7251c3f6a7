/* draw.h - drawing helpers (draw.c): attributes and colour pairs, text
 * that cannot drive the terminal, wrapping, lines and boxes, the marks of
 * a status, and the "terminal too small" screen.  Calls only term.c. */
#ifndef OSM_DRAW_H
#define OSM_DRAW_H

#include <stdbool.h>
#include <stddef.h>
#include <wchar.h>

#include "cursesw.h"
#include "result.h"
#include "state.h"

/* Below this size only the "terminal too small" screen is drawn. */
#define TUI_MIN_COLS 60
#define TUI_MIN_LINES 16

enum ui_attr {
	UI_NORMAL, UI_TITLE, UI_DONE, UI_CURRENT, UI_FAILED, UI_SKIPPED,
	UI_WARN, UI_SELECT, UI_DIM, UI_HEAD, UI_ERROR, UI_FOOTER,
};
/* The colour pairs, once curses has started (term_init). */
void ui_colors_init(void);
attr_t ui_attr(enum ui_attr a);
int ui_strwidth(const char *s);
/* Print s at (y,x) in at most maxw columns; control characters shown as
 * spaces so stored text can never move the cursor.  Returns columns used. */
int ui_put(WINDOW *w, int y, int x, const char *s, int maxw);
/* ui_put, but text wider than maxw ends with an ellipsis (a tilde
 * without UTF-8) where it is cut, so a cut name is seen to be cut. */
int ui_put_cut(WINDOW *w, int y, int x, const char *s, int maxw);
/* s as ui_put_cut shows it in maxw columns (allocated; the characters
 * ui_put shows, newlines as they are). */
char *ui_cut(const char *s, int maxw);
/* Word-wrap s into lines of at most width columns.  Returns the number of
 * lines; lines[i] are allocated copies (caller frees with ui_lines_free). */
size_t ui_wrap(const char *s, int width, char ***lines);
void ui_lines_free(char **lines, size_t n);
/* Stored text as the characters shown (ui_put's rules: nothing that can
 * drive the terminal), and back; their width in columns. */
wchar_t *ui_to_wide(const char *s, size_t *len);
char *ui_to_mb(const wchar_t *w, size_t n);
int ui_wcwidth(wchar_t c);
void ui_hline(WINDOW *w, int y, int x, int n);
void ui_vline(WINDOW *w, int y, int x, int n);
void ui_box(WINDOW *w, int y, int x, int h, int wd);
const char *ui_spinner(int phase);
/* Status mark for a step status, always text: "[x]" etc. */
const char *ui_mark(enum step_status s);
enum ui_attr ui_status_attr(enum step_status s);
/* The colour of a check result by its verdict (result.h's policy). */
enum ui_attr ui_verdict_attr(enum check_verdict v);

/* The terminal is smaller than TUI_MIN_COLS x TUI_MIN_LINES: only this
 * screen is drawn (and only q is taken) until it grows. */
bool ui_too_small(void);
void ui_draw_too_small(void);

#endif
