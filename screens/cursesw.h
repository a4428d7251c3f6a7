/* cursesw.h - the one way screens/ includes curses: the wide-character
 * API of ncursesw (get_wch, cchar_t, waddnwstr). */
#ifndef OSM_CURSESW_H
#define OSM_CURSESW_H

#ifndef NCURSES_WIDECHAR
#define NCURSES_WIDECHAR 1
#endif
#include <curses.h>

#endif
