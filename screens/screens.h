/* screens.h - the screen kinds, one file each (app.h, struct screen_ops);
 * only the loop (tui.c) switches between them. */
#ifndef OSM_SCREENS_H
#define OSM_SCREENS_H

#include "app.h"

extern const struct screen_ops screen_chooser;
extern const struct screen_ops screen_resume;
extern const struct screen_ops screen_step;
extern const struct screen_ops screen_settings;
extern const struct screen_ops screen_types;

#endif
