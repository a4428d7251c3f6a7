/* options.h - what the program hands the wizard (main.c through tui.h, the
 * screens through app.h): a header of its own, so that the screens need not
 * include the loop's entry point. */
#ifndef OSM_TUI_OPTIONS_H
#define OSM_TUI_OPTIONS_H

#include "doc.h"

struct tui_options {
	const char *runbook;     /* NULL: offer the chooser, or resume the state file's runbook */
	const char *state_path;  /* NULL: default path for the chosen runbook */
	struct doc *answers;     /* NULL or settings to pre-fill (owned by caller) */
	const char *save_answers;/* NULL or path: write settings (no progress, no secrets) on quit */
};

#endif
