/* main.c - option parsing and dispatch: the wizard, or a headless command. */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <curl/curl.h>

#include "commands.h"
#include "exitcodes.h"
#include "output.h"
#include "pg.h"
#include "runbook.h"
#include "state.h"
#include "tui.h"
#include "util.h"

struct command {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *summary;
};

/* Headless commands; each documents its own options with --help. */
static const struct command commands[] = {
	{ "check", cmd_check, "run a runbook's automated checks without screens" },
	{ "status", cmd_status, "show where the procedure stands (--log: the journal)" },
	{ "mark", cmd_mark, "record a step or item as done, skipped or pending" },
	{ "report", cmd_report, "write the change record (md, json or text)" },
	{ "rollback", cmd_rollback, "print the way back from what was done (text or md)" },
	{ "compare", cmd_compare, "compare two PostgreSQL databases, or exported row counts (clone verification)" },
	{ "types", cmd_types, "what each column becomes under both connectors; values that will not survive" },
	{ NULL, NULL, NULL },
};

static void usage(FILE *out)
{
	fprintf(out,
"Usage: osmigrate [OPTION]... [RUNBOOK]\n"
"  or:  osmigrate COMMAND [OPTION]... (see COMMAND --help)\n"
"Walk an OutSystems 11 platform administrator through a database procedure,\n"
"check what can be checked, and remember every step so a session resumes.\n"
"\n"
"Runbooks:\n");
	for (size_t i = 0; i < n_runbooks; i++)
		fprintf(out, "  %-22s %s\n", runbooks[i]->id, runbooks[i]->summary);
	fprintf(out, "\nCommands:\n");
	for (size_t i = 0; commands[i].name; i++)
		fprintf(out, "  %-22s %s\n", commands[i].name, commands[i].summary);
	fprintf(out,
"\n"
"Options:\n"
"  -s, --state FILE         state file (default $XDG_STATE_HOME/osmigrate/RUNBOOK.ini)\n"
"  -a, --answers FILE       pre-fill from an answers file the settings the\n"
"                           session does not hold yet (its own values win)\n"
"      --save-answers FILE  write the current settings (no progress, no secrets)\n"
"                           to FILE when leaving the wizard\n"
"      --operator NAME      your name, recorded beside user@host on every record\n"
"                           and journal line, and listed under Operators in the\n"
"                           report (default $OSMIGRATE_OPERATOR); accepted by\n"
"                           every command too\n"
"  -h, --help               display this help and exit\n"
"  -V, --version            output version information and exit\n"
"Options may also follow RUNBOOK and every command's operands (GNU style).\n"
"\n"
"Keys in the wizard: arrows or j/k move, Space or Enter ticks or opens, Tab\n"
"next action, field or note, c completes the item under the cursor, n/b\n"
"next/previous step, d done, s skip (asks a reason), u reopen, r run the step's\n"
"checks (Esc cancels), e settings, t type verification, w the way back\n"
"(rollback: what was done, in the order to undo it), ? help, q saves and\n"
"quits; in a text box Enter accepts and Esc cancels.  The terminal must be at\n"
"least 60x16.  Every change is saved at once; a key that changes nothing writes\n"
"nothing.\n"
"\n"
"Exit status: 0 ok, 1 warnings, 2 failures, 3 could not check, 64 usage\n"
"(or TERM unset, dumb or unknown for the wizard), 65 bad state or answers\n"
"file, 74 state file or output not written, 75 state file locked by another\n"
"session, 129/130/143 ended by SIGHUP/SIGINT/SIGTERM.\n"
"\n"
"Passwords and tokens are never stored: use ~/.pgpass, PGPASSFILE, a libpq\n"
"service, PGPASSWORD or the prompt; OSMIGRATE_LIFETIME_TOKEN for LifeTime.\n"
"See osmigrate(1) for files, environment and the state file format.\n");
}

static void version(void)
{
	printf("osmigrate %s\n"
	       "Copyright (C) 2026 the osmigrate developers.\n"
	       "License MIT: <https://opensource.org/licenses/MIT>.\n"
	       "This is free software: you are free to change and redistribute it.\n"
	       "There is NO WARRANTY, to the extent permitted by law.\n",
	       PACKAGE_VERSION);
}

/* The database servers' notices and warnings are never printed (pg.h): a
 * function or a row-level security policy of the database raised them, and
 * their text is the database's, not ours.  Say only how many there were. */
static void notices_note(void)
{
	unsigned long n = pg_notices();

	if (n)
		fprintf(stderr, "osmigrate: the database sent %lu notice%s or warning%s (raised by "
			"its own code, such as a function or a row-level security policy); "
			"not shown\n", n, n == 1 ? "" : "s", n == 1 ? "" : "s");
}

static int usage_error(const char *what, const char *arg)
{
	fprintf(stderr, "osmigrate: %s '%s'\n"
		"Try 'osmigrate --help' for more information.\n", what, arg);
	return EXIT_USAGE;
}

/* --operator NAME (or --operator=NAME), accepted before or after a command
 * and by every command, taken out of argv here; else OSMIGRATE_OPERATOR.
 * Returns EXIT_OK, or EXIT_USAGE after saying what is wrong. */
static int take_operator(int *argc, char **argv)
{
	const char *name = NULL, *from = "--operator";
	char err[256];
	int i = 1, k = 1;

	for (; i < *argc; i++) {
		if (strcmp(argv[i], "--") == 0)
			break;
		if (strcmp(argv[i], "--operator") == 0) {
			if (i + 1 >= *argc) {
				fprintf(stderr, "osmigrate: option '--operator' requires a name\n"
					"Try 'osmigrate --help' for more information.\n");
				return EXIT_USAGE;
			}
			name = argv[++i];
			continue;
		}
		if (strncmp(argv[i], "--operator=", 11) == 0) {
			name = argv[i] + 11;
			continue;
		}
		argv[k++] = argv[i];
	}
	for (; i < *argc; i++)
		argv[k++] = argv[i];
	argv[k] = NULL;
	*argc = k;
	if (!name && getenv("OSMIGRATE_OPERATOR")) {
		name = getenv("OSMIGRATE_OPERATOR");
		from = "OSMIGRATE_OPERATOR";
	}
	if (name && !operator_set_name(name, err, sizeof err)) {
		fprintf(stderr, "osmigrate: %s: %s\n", from, err);
		return EXIT_USAGE;
	}
	return EXIT_OK;
}

static int run(int argc, char **argv, const char **cmd)
{
	static const struct option longopts[] = {
		{ "state", required_argument, NULL, 's' },
		{ "answers", required_argument, NULL, 'a' },
		{ "save-answers", required_argument, NULL, 'S' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	struct tui_options opt = { 0 };
	const char *answers_path = NULL;
	int c, rc;

	if (curl_global_init(CURL_GLOBAL_DEFAULT) != 0)
		fatalx("could not initialise libcurl");
	atexit(curl_global_cleanup);
	if ((rc = take_operator(&argc, argv)) != EXIT_OK)
		return rc;

	/* A command is the first argument; options before it belong to the wizard. */
	if (argc > 1) {
		for (size_t i = 0; commands[i].name; i++)
			if (strcmp(argv[1], commands[i].name) == 0) {
				*cmd = commands[i].name;
				return commands[i].fn(argc - 1, argv + 1);
			}
	}

	/* Options may follow the runbook too, GNU style (`osmigrate RUNBOOK --state F`). */
	while ((c = getopt_long(argc, argv, "s:a:hV", longopts, NULL)) != -1) {
		switch (c) {
		case 's': opt.state_path = optarg; break;
		case 'a': answers_path = optarg; break;
		case 'S': opt.save_answers = optarg; break;
		case 'h': usage(stdout); return EXIT_OK;
		case 'V': version(); return EXIT_OK;
		default:
			fprintf(stderr, "Try 'osmigrate --help' for more information.\n");
			return EXIT_USAGE;
		}
	}
	if (optind < argc) {
		opt.runbook = argv[optind++];
		if (!runbook_find(opt.runbook))
			return usage_error("unknown runbook or command (runbooks: connector-migration, "
					   "endpoint-change, restore-database; commands: see --help):",
					   opt.runbook);
	}
	if (optind < argc)
		return usage_error("unexpected argument", argv[optind]);

	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
		fprintf(stderr,
			"osmigrate: the wizard needs a terminal on stdin and stdout.\n"
			"For scripts and pipes use the headless commands: osmigrate check, types,\n"
			"compare, status, mark, report (see osmigrate --help).\n");
		return EXIT_USAGE;
	}

	if (answers_path) {
		struct state_error err;
		opt.answers = answers_load(answers_path, &err);
		if (!opt.answers) {
			fprintf(stderr, "osmigrate: %s\n", err.msg);
			return err.code ? err.code : EXIT_DATAERR;
		}
	}
	rc = tui_main(&opt);
	if (opt.answers)
		doc_free(opt.answers);
	return rc;
}

int main(int argc, char **argv)
{
	const char *cmd = NULL;
	int rc = run(argc, argv, &cmd);

	notices_note();
	/* Every command, --help and --version included: output lost to a full
	 * disk or a closed pipe is an error (74), never a silent success. */
	return output_close_stdout(cmd, rc);
}
