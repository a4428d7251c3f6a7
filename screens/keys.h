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
};

/* Wait for a key (curses' input timeout); false when none came, after
 * checking that the terminal is still there (term_check_hangup). */
bool input_read(struct input *in);

/* The cursor of a list of n entries, kept inside it (0 when empty). */
void cursor_clamp(int *cur, int n);
/* Up and Down on such a list: one entry, never past either end.  True
 * when the request was one of them (moved or not). */
bool cursor_step(const struct input *in, int *cur, int n);

#endif
