/* tui.h - the wizard's entry point (the only curses user besides screens/). */
#ifndef OSM_TUI_H
#define OSM_TUI_H

#include "options.h"

/* Runs the wizard.  Returns an osm_exit code (EXIT_SIGINT etc. on signals). */
int tui_main(const struct tui_options *opt);

#endif
