/* keys.h - keys read once and translated into requests once (tig's
 * requests, htop's keys[] table): the navigation keys, Enter, q and ?
 * mean the same on every screen, in the help and in a list dialog.  A
 * screen handles the requests it knows and hands back the rest (app.h,
 * R_UNHANDLED), as tig's *_request functions do.  Other keys stay keys
 * (in->req == REQ_NONE): what a letter does is the screen's. */
#ifndef OSM_KEYS_H
#define OSM_KEYS_H

#include <stdbool.h>

enum request {
	REQ_NONE,       /* not a request: in->ch is the screen's to read */
	REQ_UP,         /* Up, k */
	REQ_DOWN,       /* Down, j */
	REQ_PAGE_UP,    /* PgUp */
	REQ_PAGE_DOWN,  /* PgDn */
	REQ_HOME,       /* Home */
	REQ_END,        /* End */
	REQ_ENTER,      /* Enter (keypad or Return) */
	REQ_QUIT,       /* q, Q: save and quit */
	REQ_HELP,       /* ? */
};

struct input {
	enum request req;
	int ch;         /* the key: a wide character, or KEY_* when fkey */
	bool fkey;
	bool pasted;    /* inside a bracketed paste: text, never a command */
	bool swallowed; /* an Alt-key or escape sequence curses did not know:
			 * fkey with ch 0, means nothing anywhere */
};

/* Wait for a key (curses' input timeout); false when none came, after
 * checking that the terminal is still there (term_check_hangup).  The
 * brackets of a bracketed paste are read here: the keys between them
 * come with pasted set, and an Esc in pasted text is swallowed. */
bool input_read(struct input *in);
/* The same for a text box: there, Esc is a key of its own only when
 * nothing follows it at once.  Esc then a letter (Alt-letter) or an
 * escape sequence curses does not know (pasted colour codes, ESC [31m)
 * is read whole and given back as one swallowed input, so its letters are
 * neither typed nor taken as Esc.  (Elsewhere Esc is Esc at once: a key
 * pressed right after it is a key.) */
bool input_read_text(struct input *in);

/* The cursor of a list of n entries, kept inside it (0 when empty). */
void cursor_clamp(int *cur, int n);
/* Up and Down on such a list: one entry, never past either end.  True
 * when the request was one of them (moved or not). */
bool cursor_step(const struct input *in, int *cur, int n);

#endif
