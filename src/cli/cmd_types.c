/* cmd_types.c - `osmigrate types`: headless type verification (issues 4, 13).
 * Connects read-only, scans the scope (typescan.h), prints the findings as
 * text or versioned JSON, and exits by the worst severity. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <libpq-fe.h>

#include "commands.h"
#include "exitcodes.h"
#include "login.h"
#include "output.h"
#include "pg.h"
#include "runbook.h"
#include "secret.h"
#include "state.h"
#include "types_out.h"
#include "typescan.h"
#include "util.h"

static void types_usage(FILE *f)
{
	fprintf(f,
"Usage: osmigrate types [CONNINFO] [--answers FILE | --state FILE | --runbook ID]\n"
"                       [--schema S]... [--table S.T]... [--no-data]\n"
"                       [--format text|json] [-o FILE]\n"
"Show what every column in scope becomes under the supported PostgreSQL\n"
"connector and under ardoPostgreSQL, and which stored values will not survive\n"
"the switch.  The database is only read.\n"
"\n"
"  CONNINFO              conninfo string, postgresql:// URI or service=NAME\n"
"                        (default: [target] of --answers or of the session's\n"
"                        state file, else PG* variables);\n"
"                        one that carries a password is refused (exit 64): use\n"
"                        ~/.pgpass, a service file, PGPASSWORD or the prompt\n"
"  -a, --answers FILE    settings: [target], [scope] schemas, [extension] tables\n"
"  -s, --state FILE      the same settings from a session's state file (only\n"
"                        read); without CONNINFO, --answers or --state: the\n"
"                        one default state file that has a [target]\n"
"  -r, --runbook ID      the default state file of this runbook\n"
"  -n, --schema S        scan schema S (repeatable)\n"
"  -t, --table S.T       scan table S.T (repeatable; quote names with dots:\n"
"                        '\"my.schema\".\"My Table\"')\n"
"                        without --schema/--table/answers: every user schema\n"
"      --no-data         catalog only: skip the data probes\n"
"      --probe-timeout SEC  statement timeout of each table's probe (default 600)\n"
"  -f, --format FMT      text (default, grouped by table, then column) or json\n"
"                        (version 2, see osmigrate(1))\n"
"  -o, --output FILE     write the report to FILE (mode 0600) instead of stdout;\n"
"                        FILE is replaced only by a complete report\n"
"      --columns         list every column with both mappings (tab-separated:\n"
"                        schema table column pg_type ardo supported), no probes\n"
"      --print-sql       print the catalog queries (types; relations and columns\n"
"                        with $1 schemas, $2/$3 table schemas/names, $4 all user\n"
"                        schemas) and exit\n"
"  -h, --help            display this help and exit\n"
"\n"
"Finding codes (severity in osmigrate(1)): TYPE_CHANGED, NEWLY_MAPPED,\n"
"NEWLY_IGNORED, STILL_IGNORED, MAPPING_UNDOCUMENTED, MAPPING_UNVERIFIED,\n"
"BIT_STRING, KEY_CHANGED, AUTONUMBER_CHANGED, KEY_HIDDEN_FROM_ARDO,\n"
"COMPOSITE_KEY, IDENTITY_ALWAYS, IDENTITY_BY_DEFAULT, GENERATED_COLUMN,\n"
"TIMEZONE_SEMANTICS, MATERIALIZED_VIEW, PARTITION, NOT_PROBED, and from the\n"
"data: NUMERIC_NAN, NUMERIC_INFINITY, NUMERIC_OUT_OF_RANGE,\n"
"DATETIME_OUT_OF_RANGE, DECIMAL_SCALE_LOSS, INTEGER_OVERFLOW, TEXT_TOO_LONG,\n"
"TIME_FRACTION, NULLS_READ_AS_DEFAULT; PROBE_FAILED when a probe could not\n"
"run (with its cause: timeout, privilege, lock, not populated, connection,\n"
"server).  Views and foreign tables are never read.  UUID_PLATFORM_VERSION\n"
"(uuid needs Platform Server 11.18.1) comes from `osmigrate check\n"
"connector-migration --step types` and the wizard, which know the versions.\n"
"\n"
"Exit status: 0 no warnings, 1 warnings, 2 blockers, 3 could not check\n"
"(connection, catalog or a table's probe failed; a --schema, --table or\n"
"answers entry matched no table or view, names being case-sensitive; or\n"
"nothing at all was in scope), 64 usage, 65 bad answers file, 74 output not\n"
"written, 130/143 interrupted.\n");
}

static void progress(void *ud, const char *what, long done, long total)
{
	char *safe;

	(void)ud;
	safe = output_safe(what);
	if (total > 0)
		fprintf(stderr, "\r\033[K%s (%ld/%ld)", safe, done, total);
	else if (done > 0 && str_eq(what, "catalog"))
		fprintf(stderr, "\r\033[Kreading the catalog: %ld columns", done);
	else
		fprintf(stderr, "\r\033[K%s", safe);
	free(safe);
	fflush(stderr);
}

struct columns_out {
	FILE *f;
};

static void put_field(FILE *f, const char *s, bool last)
{
	char *safe = output_safe(s);

	/* tab and newline become spaces: one column per line, fields by tab */
	fputs(safe, f);
	fputc(last ? '\n' : '\t', f);
	free(safe);
}

static void on_column(void *ud, const struct type_column_info *ci)
{
	struct columns_out *co = ud;
	char a[64], s[64];

	tm_mapping_format(&ci->cls->ardo, a, sizeof a);
	tm_mapping_format(&ci->cls->supported, s, sizeof s);
	put_field(co->f, ci->schema, false);
	put_field(co->f, ci->table, false);
	put_field(co->f, ci->column, false);
	put_field(co->f, ci->pg_type, false);
	put_field(co->f, a, false);
	put_field(co->f, s, true);
}

/* The state file types reads: --state, --runbook's default, or without
 * either the one default state file that has a [target] (NULL: none, PG*
 * variables then).  *rc is set to EXIT_USAGE when it cannot choose. */
static char *types_state_path(const char *state_opt, const char *runbook_opt, int *rc)
{
	char *found = NULL;
	size_t n = 0;

	if (state_opt || runbook_opt) {
		char *p = output_state_path("types", state_opt, runbook_opt);

		if (!p)
			*rc = EXIT_USAGE;
		return p;
	}
	for (size_t i = 0; i < n_runbooks; i++) {
		char *p = state_default_path(runbooks[i]->id);
		struct state_error se;
		struct state *st = access(p, F_OK) == 0 ? state_open_readonly(p, &se) : NULL;
		bool has = st && doc_has_section(st->doc, "target", NULL);

		if (st)
			state_close(st);
		if (has && n++ == 0) {
			found = p;
			continue;
		}
		free(p);
	}
	if (n > 1) {
		fprintf(stderr, "osmigrate types: several sessions have a [target]; choose one with "
			"--runbook ID or --state FILE, or give CONNINFO\n");
		free(found);
		*rc = EXIT_USAGE;
		return NULL;
	}
	return found;
}

int cmd_types(int argc, char **argv)
{
	enum { OPT_NODATA = 256, OPT_COLUMNS, OPT_PROBE_TIMEOUT, OPT_PRINT_SQL };
	static const struct option longopts[] = {
		{ "answers", required_argument, NULL, 'a' },
		{ "state", required_argument, NULL, 's' },
		{ "runbook", required_argument, NULL, 'r' },
		{ "schema", required_argument, NULL, 'n' },
		{ "table", required_argument, NULL, 't' },
		{ "no-data", no_argument, NULL, OPT_NODATA },
		{ "probe-timeout", required_argument, NULL, OPT_PROBE_TIMEOUT },
		{ "format", required_argument, NULL, 'f' },
		{ "output", required_argument, NULL, 'o' },
		{ "columns", no_argument, NULL, OPT_COLUMNS },
		{ "print-sql", no_argument, NULL, OPT_PRINT_SQL },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *answers_path = NULL, *format = "text", *out_path = NULL, *conninfo = NULL;
	const char *state_opt = NULL, *runbook_opt = NULL;
	char *state_path = NULL;
	struct type_scope scope;
	struct typescan_opts opts = { 0 };
	struct columns_out co = { stdout };
	struct doc *answers = NULL;
	struct pg_spec spec;
	struct pg_failure fail;
	struct secrets secrets = { 0 };
	struct type_result r;
	struct ctx ctx = { 0 };
	char msg[1024], err[1024];
	bool json, columns = false, ok, lost, ticker;
	struct output_file of = { 0 };
	char *why = NULL, *fix = NULL, *sc = NULL;
	FILE *out = stdout;
	PGconn *conn;
	int c, rc;

	type_scope_init(&scope);
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "a:s:r:n:t:f:o:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'a': answers_path = optarg; break;
		case 's': state_opt = optarg; break;
		case 'r': runbook_opt = optarg; break;
		case 'n':
			if (str_empty(optarg)) {
				fprintf(stderr, "osmigrate types: --schema needs a name\n");
				goto usage;
			}
			type_scope_add_schema(&scope, optarg);
			break;
		case 't':
			if (!type_scope_parse_table(&scope, optarg, msg, sizeof msg)) {
				fprintf(stderr, "osmigrate types: %s\n", msg);
				goto usage;
			}
			break;
		case OPT_NODATA: opts.no_data = true; break;
		case OPT_COLUMNS: columns = true; break;
		case OPT_PRINT_SQL:
			/* what a DBA may want to review before letting it run, and what bench/ times */
			printf("-- 1. types ($1 oid[]: NULL, then the row types columns use)\n%s;\n"
			       "-- 2. relations ($1 schemas, $2/$3 table schemas/names, $4 all user schemas,\n"
			       "--    $5 read the SELECT privilege)\n%s;\n"
			       "-- 3. columns (the same parameters)\n%s;\n",
			       typescan_types_sql, typescan_tables_sql, typescan_columns_sql);
			type_scope_free(&scope);
			return EXIT_OK;
		case OPT_PROBE_TIMEOUT: {
			char *end;
			long v = strtol(optarg, &end, 10);
			if (*end || end == optarg || v < 1 || v > 86400) {
				fprintf(stderr, "osmigrate types: --probe-timeout wants seconds (1-86400), not '%s'\n", optarg);
				goto usage;
			}
			opts.probe_timeout_s = (int)v;
			break;
		}
		case 'f': format = optarg; break;
		case 'o': out_path = optarg; break;
		case 'h':
			types_usage(stdout);
			type_scope_free(&scope);
			return EXIT_OK;
		default:
			if (optopt && optopt < 256)
				fprintf(stderr, "osmigrate types: invalid option or missing argument '-%c'\n", optopt);
			else
				fprintf(stderr, "osmigrate types: invalid option or missing argument '%s'\n",
					argv[optind - 1]);
			goto usage;
		}
	}
	if (!str_eq(format, "text") && !str_eq(format, "json")) {
		fprintf(stderr, "osmigrate types: --format is text or json, not '%s'\n", format);
		goto usage;
	}
	json = str_eq(format, "json");
	if (optind < argc)
		conninfo = argv[optind++];
	if (optind < argc) {
		fprintf(stderr, "osmigrate types: unexpected argument '%s'\n", argv[optind]);
		goto usage;
	}
	/* A password on the command line is readable by every user in ps(1)
	 * and would be quoted in messages: refused before anything runs. */
	if (conninfo && conninfo_has_password(conninfo)) {
		fprintf(stderr, "osmigrate types: CONNINFO carries a password, which every user can "
			"read in the process list. %s.\n", PASSWORD_FIX);
		goto usage;
	}

	if (answers_path && (state_opt || runbook_opt)) {
		fprintf(stderr, "osmigrate types: give --answers or --state/--runbook, not both\n");
		goto usage;
	}
	/* As check, status, mark and report: the session's settings when
	 * nothing else names the database. */
	if (state_opt || runbook_opt || (!answers_path && !conninfo)) {
		int orc = EXIT_OK;

		state_path = types_state_path(state_opt, runbook_opt, &orc);
		if (orc != EXIT_OK) {
			type_scope_free(&scope);
			return orc;
		}
		if (state_path) {
			struct state *st = output_open_readonly("types", state_path, &orc);

			if (!st) {
				free(state_path);
				type_scope_free(&scope);
				return orc;
			}
			answers = doc_new();
			settings_merge(answers, st->doc);
			state_close(st);
			answers_path = state_path;
			if (!conninfo)
				fprintf(stderr, "osmigrate types: the settings of %s\n", state_path);
		}
	}
	if (answers_path && !answers) {
		struct state_error se;

		answers = answers_load(answers_path, &se);
		if (!answers) {
			fprintf(stderr, "osmigrate types: %s\n", se.msg);
			type_scope_free(&scope);
			return se.code ? se.code : EXIT_DATAERR;
		}
	}
	{
		/* --schema/--table win over the answers' scope; CONNINFO over
		 * their [target]; without either, libpq's PG* variables. */
		const struct typescan_setup in = { .settings = answers, .conninfo = conninfo,
						   .pg_env = true };
		bool bad_scope;

		if (!typescan_prepare(&in, &scope, &spec, &bad_scope, msg, sizeof msg, err,
				      sizeof err)) {
			if (bad_scope)
				fprintf(stderr, "osmigrate types: %s: %s\n", answers_path, msg);
			else
				fprintf(stderr, "osmigrate types: %s\n", msg);
			doc_free(answers);
			type_scope_free(&scope);
			free(state_path);
			return bad_scope ? EXIT_DATAERR : EXIT_USAGE;
		}
	}

	/* Opened before connecting: a wrong -o should not cost a long scan. */
	const char *keep[] = { answers_path, NULL };

	if (out_path && !output_file_open(&of, out_path, keep, msg, sizeof msg)) {
		fprintf(stderr, "osmigrate types: %s\n", msg);
		if (answers)
			doc_free(answers);
		pg_spec_free(&spec);
		type_scope_free(&scope);
		free(state_path);
		return EXIT_IOERR;
	}
	if (out_path)
		out = of.f;

	ctx.cancel = output_catch_signals();
	ticker = output_ticker(stderr);
	if (ticker)
		ctx.progress = progress;

	type_result_init(&r);
	/* On a terminal a missing password is asked once (login.h). */
	ctx.secrets = &secrets;
	output_ask_on_terminal(&ctx, &ticker);
	conn = pg_login(&spec, SECRET_TARGET_PASSWORD, &ctx, &fail);
	secrets_wipe(&secrets);
	if (answers) {
		doc_free(answers);
		answers = NULL;
	}
	if (!conn) {
		if (ctx.progress)
			fprintf(stderr, "\r\033[K");
		fprintf(stderr, "osmigrate types: %s\n%s\n", fail.message, fail.fix);
		why = xstrdup(fail.message);
		fix = xstrdup(fail.fix);
		rc = output_signal_exit() ? output_signal_exit() : EXIT_NOCHECK;
		goto done;
	}
	if (columns) {
		opts.no_data = true;
		co.f = out;
		opts.on_column = on_column;
		opts.ud = &co;
	}
	ok = typescan_run(conn, &scope, &opts, &ctx, &r, err, sizeof err);
	lost = PQstatus(conn) != CONNECTION_OK;
	PQfinish(conn);
	if (ctx.progress)
		fprintf(stderr, "\r\033[K");
	if (!ok) {
		if (output_signal_exit()) {
			fprintf(stderr, "osmigrate types: interrupted; nothing was written to the database\n");
			why = xstrdup("interrupted; nothing was written to the database");
			rc = output_signal_exit();
		} else if (lost) {
			why = xasprintf("lost the connection to %s during the scan: %s", spec.label, err);
			fix = xstrdup("Check that the server is up (it may have been restarted or stopped), "
				      "then run it again; nothing was written to the database.");
			fprintf(stderr, "osmigrate types: %s\n%s\n", why, fix);
			rc = EXIT_NOCHECK;
		} else {
			why = xasprintf("could not read the catalog of %s: %s", spec.label, err);
			fix = xstrdup("Check that the user can read pg_catalog (any role can by default) "
				      "and that the server answers; then run it again.");
			fprintf(stderr, "osmigrate types: %s\n%s\n", why, fix);
			rc = EXIT_NOCHECK;
		}
		goto done;
	}
	if (columns)
		rc = r.nunmatched || r.columns == 0 ? EXIT_NOCHECK : EXIT_OK;
	else {
		ok = json ? type_result_write_json(&r, out)
			  : type_result_write_text(&r, out, out == stdout && output_color(stdout));
		rc = ok ? type_result_exit_code(&r) : EXIT_IOERR;
	}
	if (out_path) {
		/* A signal after the scan still counts: the file is not replaced. */
		if (rc == EXIT_IOERR || output_signal_exit()) {
			if (rc == EXIT_IOERR) {
				fprintf(stderr, "osmigrate types: could not write %s: %s; it was left as "
					"it was\n", out_path, strerror(errno));
			} else {
				fprintf(stderr, "osmigrate types: interrupted; %s was left as it was\n",
					out_path);
				rc = output_signal_exit();
			}
			output_file_abort(&of);
		} else if (!output_file_commit(&of, msg, sizeof msg)) {
			fprintf(stderr, "osmigrate types: %s\n", msg);
			rc = EXIT_IOERR;
		} else if (!columns) {
			struct strbuf cs = STRBUF_INIT;

			type_counts_text(&cs, r.counts[TS_BLOCKER], r.counts[TS_WARNING],
					 r.counts[TS_INFO], r.columns, -1);
			fprintf(stderr, "osmigrate types: %s; report in %s\n", sb_str(&cs), out_path);
			sb_free(&cs);
		}
		out_path = NULL;
	} else if (rc != EXIT_IOERR && (fflush(out) != 0 || ferror(out))) {
		rc = EXIT_IOERR;
	}
	if (rc == EXIT_IOERR && out == stdout)
		fprintf(stderr, "osmigrate types: could not write the report: %s\n", strerror(errno));
	if (rc != EXIT_IOERR && !output_signal_exit()) {
		/* A scope that matched nothing is never a pass: say it where the
		 * operator looks even when the report went to a file. */
		char *problem = type_result_scope_problem(&r);

		if (problem) {
			char *safe = output_safe(problem);

			fprintf(stderr, "osmigrate types: could not check: %s\n", safe);
			free(safe);
		}
		free(problem);
	}
done:
	if (out_path) {
		/* No result: -o FILE stays as it was; a JSON reader still gets
		 * the error object, on standard output. */
		output_file_abort(&of);
		fprintf(stderr, "osmigrate types: %s was left as it was\n", out_path);
		out_path = NULL;
	}
	/* stdout is checked once at exit (output_close_stdout). */
	if (why && json && !columns)
		(void)type_error_write_json(sc = type_scope_describe(&scope), why, fix, stdout);
	free(sc);
	free(why);
	free(fix);
	type_result_free(&r);
	pg_spec_free(&spec);
	type_scope_free(&scope);
	free(state_path);
	return rc;
usage:
	fprintf(stderr, "Try 'osmigrate types --help' for more information.\n");
	type_scope_free(&scope);
	free(state_path);
	return EXIT_USAGE;
}
