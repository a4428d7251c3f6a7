/* terminal.h - terminal manners (term.c): start and restore curses,
 * signals that only set a flag, whether the terminal can be driven at all,
 * and which line drawing and colours it takes.  The lowest layer of the
 * wizard: it draws nothing and calls nothing else in screens/. */
#ifndef OSM_TERMINAL_H
#define OSM_TERMINAL_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>

extern volatile sig_atomic_t tui_sig;   /* last fatal signal number, 0 if none */
void term_signals_install(void);
/* Whether the wizard can drive the terminal TERM names (known to terminfo,
 * cursor addressing: not "dumb"); if not, why holds the message (several
 * lines, naming the headless commands).  Call before anything is locked. */
bool term_usable(char *why, size_t len);
/* Start curses (colour started when wanted, no colour pairs yet: draw.c
 * owns those); false (with why) when it cannot. */
bool term_init(char *why, size_t len);
void term_restore(void);                /* idempotent, atexit-registered */
void term_check_hangup(void);           /* after an input timeout: terminal gone -> SIGHUP */
bool term_color(void);                  /* colour in use */
bool term_ascii(void);                  /* no line drawing: ASCII fallback */
bool term_utf8(void);                   /* UTF-8 locale: Unicode line drawing */

/* Key codes of our own (define_key, above curses' KEY_MAX): the brackets
 * of a bracketed paste, which term_init asks the terminal for, so pasted
 * text is known as text (keys.c). */
#define TERM_KEY_PASTE_BEGIN 0x7e01
#define TERM_KEY_PASTE_END 0x7e02

#endif
