/* help.h - the help overlay (help.c): the keys that work everywhere, then
 * the screen's own help, scrollable when it does not fit. */
#ifndef OSM_HELP_H
#define OSM_HELP_H

#include <stdbool.h>

#include "keys.h"

struct help {
	bool shown;
	int top;        /* first visible line */
};

void help_open(struct help *h);
/* Draw it over the screen: screen_help (the keys of the screen it was
 * opened from; may be NULL), then the few keys that work everywhere. */
void help_draw(struct help *h, const char *screen_help);
/* A key while it is shown: the navigation requests scroll it, any other
 * key closes it. */
void help_request(struct help *h, const struct input *in);

#endif
