/* commands.h - the headless commands.  Each takes argv after the command
 * name (argv[0] is the command name itself) and returns an osm_exit code.
 * main.c dispatches to them; each lives in its own src/cli/cmd_*.c file. */
#ifndef OSM_COMMANDS_H
#define OSM_COMMANDS_H

int cmd_check(int argc, char **argv);    /* src/cli/cmd_check.c */
int cmd_types(int argc, char **argv);    /* src/cmd_types.c, src/cli/ after i13-types */
int cmd_compare(int argc, char **argv);  /* src/cli/cmd_compare.c */
int cmd_status(int argc, char **argv);   /* src/cli/cmd_status.c */
int cmd_mark(int argc, char **argv);     /* src/cli/cmd_mark.c */
int cmd_report(int argc, char **argv);   /* src/cli/cmd_report.c */
int cmd_rollback(int argc, char **argv); /* src/cli/cmd_rollback.c */

#endif
