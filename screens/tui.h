/* tui.h - the wizard's entry point (the only curses user besides screens/). */
#ifndef OSM_TUI_H
#define OSM_TUI_H

#include "doc.h"

struct tui_options {
	const char *runbook;     /* NULL: offer the chooser, or resume the state file's runbook */
	const char *state_path;  /* NULL: default path for the chosen runbook */
	struct doc *answers;     /* NULL or settings to pre-fill (owned by caller) */
	const char *save_answers;/* NULL or path: write settings (no progress, no secrets) on quit */
};

/* Runs the wizard.  Returns an osm_exit code (EXIT_SIGINT etc. on signals). */
int tui_main(const struct tui_options *opt);

#endif
