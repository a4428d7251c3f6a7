/* exitcodes.h - the one table of exit codes (documented in osmigrate(1) and README). */
#ifndef OSM_EXITCODES_H
#define OSM_EXITCODES_H

enum osm_exit {
	EXIT_OK = 0,          /* all checks ok / command succeeded */
	EXIT_WARNINGS = 1,    /* only warnings */
	EXIT_FAILURES = 2,    /* at least one failure (or blocker / difference) */
	EXIT_NOCHECK = 3,     /* at least one check could not run */
	EXIT_USAGE = 64,      /* EX_USAGE: bad option, unknown runbook/step/item, no terminal */
	EXIT_DATAERR = 65,    /* EX_DATAERR: corrupt state or answers file */
	EXIT_SOFTWARE = 70,   /* EX_SOFTWARE: internal error, out of memory */
	EXIT_IOERR = 74,      /* EX_IOERR: the state file could not be written */
	EXIT_LOCKED = 75,     /* EX_TEMPFAIL: another osmigrate holds the state file */
	EXIT_SIGHUP = 129,
	EXIT_SIGINT = 130,
	EXIT_SIGTERM = 143,
};

#endif
