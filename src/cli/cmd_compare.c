/* cmd_compare.c - `osmigrate compare OLD NEW`: is NEW an exact clone of OLD? */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "commands.h"
#include "compare.h"
#include "compare_out.h"
#include "counts.h"
#include "exitcodes.h"
#include "output.h"
#include "secret.h"
#include "util.h"

static void compare_usage(FILE *out)
{
	fprintf(out,
"Usage: osmigrate compare [OPTION]... OLD NEW\n"
"       osmigrate compare --counts [--format text|json] [-o FILE] OLD.csv NEW.csv\n"
"       osmigrate compare --counts-query sqlserver|oracle|all\n"
"Compare two PostgreSQL databases read-only: schemas, tables and views,\n"
"columns with their types, indexes, constraints, sequences with their last\n"
"values, and row counts per table.  OLD and NEW are conninfo strings\n"
"(\"host=db1 dbname=shop user=osm\"), postgresql:// URIs or service=NAME.\n"
"Passwords come from ~/.pgpass, PGPASSFILE, a service file, PGPASSWORD or the\n"
"prompt; a connection string that carries one (password=, user:pw@, even\n"
"percent-encoded) is refused with exit 64.\n"
"\n"
"  -n, --schema S           compare only schema S (repeat for several)\n"
"      --exact              count every table's rows (a full read) instead of\n"
"                           estimating them from the statistics (a table\n"
"                           without statistics, e.g. never analyzed, is always\n"
"                           counted)\n"
"      --format text|json   output format (default text)\n"
"  -o, --output FILE        write the result to FILE (mode 0600) instead of\n"
"                           stdout; FILE is replaced only by a complete result\n"
"      --timeout SECONDS    connection timeout (default %d); a catalog query may\n"
"                           take up to 10 minutes, a row count up to an hour\n"
"                           (Ctrl-C cancels either on the server)\n"
"      --counts             OLD and NEW are CSV files of per-table row counts,\n"
"                           exported from a database osmigrate cannot read (SQL\n"
"                           Server, Oracle): tables missing on either side and\n"
"                           counts that differ; each file's SHA-256 is shown\n"
"      --counts-query DBMS  print the read-only query that exports those counts\n"
"                           for sqlserver or oracle (all: both), how to save its\n"
"                           output as CSV, and for SQL Server the orphaned-users\n"
"                           query (general SQL Server practice)\n"
"  -h, --help               display this help and exit\n"
"\n"
"Row counts and structure are compared, never the contents of the rows.\n"
"OLD and NEW must be two databases: the same database reached twice (e.g.\n"
"host=127.0.0.1 and host=localhost) is refused as \"could not compare\".\n"
"\n"
"Exit status: 0 identical, 1 no difference found but some items could not be\n"
"verified (listed), 2 differences found (with --counts: a table missing or a\n"
"count that differs), 3 could not compare (also: OLD and NEW are the same\n"
"database; with --counts: a file unreadable or not a row count export, its\n"
"line named), 64 usage error, 74 the output file or standard output could not\n"
"be written.\n",
		CTX_DEFAULT_TIMEOUT_S);
}

static int cmd_usage_error(const char *fmt, ...) OSM_PRINTF(1, 2);
static int cmd_usage_error(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "osmigrate compare: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nTry 'osmigrate compare --help' for more information.\n");
	return EXIT_USAGE;
}

/* Progress on a terminal only: a log file gets the result, not a ticker. */
static void show_progress(void *ud, const char *what, long done, long total)
{
	char *safe = output_safe(what);   /* may name a table */

	(void)ud;
	if (total > 0)
		fprintf(stderr, "\r\033[K%s (%ld/%ld)", safe, done + 1 > total ? total : done + 1, total);
	else
		fprintf(stderr, "\r\033[K%s", safe);
	free(safe);
	fflush(stderr);
}

/* Print r as format to outpath (NULL or "-": stdout); the exit code. */
static int print_result(const struct cmp_result *r, const char *format, const char *outpath)
{
	struct strbuf out = STRBUF_INIT;
	struct output_file of = { 0 };
	char msg[1024];
	int rc = r->status == CMP_IDENTICAL ? (r->nnotes ? EXIT_WARNINGS : EXIT_OK)
	       : r->status == CMP_DIFFERENT ? EXIT_FAILURES : EXIT_NOCHECK;

	if (str_eq(format, "json"))
		cmp_result_json(r, &out);
	else
		cmp_result_text(r, &out);
	if (outpath && str_eq(outpath, "-"))
		outpath = NULL;
	if (!outpath) {
		fputs(sb_str(&out), stdout);
	} else if (r->status == CMP_FAILED) {
		fprintf(stderr, "osmigrate compare: could not compare: %s\n%s\n%s was left as it "
			"was.\n", r->error, r->fix, outpath);
		if (str_eq(format, "json"))
			fputs(sb_str(&out), stdout);
	} else if (!output_file_open(&of, outpath, NULL, msg, sizeof msg)) {
		fprintf(stderr, "osmigrate compare: %s\n", msg);
		rc = EXIT_IOERR;
	} else {
		fputs(sb_str(&out), of.f);
		if (!output_file_commit(&of, msg, sizeof msg)) {
			fprintf(stderr, "osmigrate compare: %s\n", msg);
			rc = EXIT_IOERR;
		}
	}
	sb_free(&out);
	return rc;
}

/* --counts: two exported row count files (counts.h). */
static int compare_counts_files(const char *oldp, const char *newp, const char *format,
				const char *outpath)
{
	struct cmp_result r;
	int rc;

	compare_counts(oldp, newp, &r);
	rc = print_result(&r, format, outpath);
	cmp_result_free(&r);
	return rc;
}

int cmd_compare(int argc, char **argv)
{
	enum { OPT_EXACT = 256, OPT_FORMAT, OPT_TIMEOUT, OPT_COUNTS, OPT_COUNTS_QUERY };
	static const struct option longopts[] = {
		{ "schema", required_argument, NULL, 'n' },
		{ "exact", no_argument, NULL, OPT_EXACT },
		{ "format", required_argument, NULL, OPT_FORMAT },
		{ "output", required_argument, NULL, 'o' },
		{ "timeout", required_argument, NULL, OPT_TIMEOUT },
		{ "counts", no_argument, NULL, OPT_COUNTS },
		{ "counts-query", required_argument, NULL, OPT_COUNTS_QUERY },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char **schemas = NULL;
	size_t nschemas = 0;
	struct cmp_options opt = { 0 };
	const char *format = "text", *outpath = NULL;
	struct pg_spec old_spec, new_spec;
	struct ctx ctx = { 0 };
	struct cmp_result r;
	struct strbuf out = STRBUF_INIT;
	struct output_file of = { 0 };
	struct secrets secrets = { 0 };
	char msg[1024];
	FILE *f = stdout;
	bool progress, counts = false;
	int c, rc;

	/* GNU style: options may follow OLD and NEW (`compare OLD NEW --exact`). */
	optind = 0;
	while ((c = getopt_long(argc, argv, "n:o:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'n':
			if (str_empty(optarg)) {
				free(schemas);
				return cmd_usage_error("--schema needs a schema name");
			}
			schemas = xreallocarray(schemas, nschemas + 1, sizeof *schemas);
			schemas[nschemas++] = optarg;
			break;
		case OPT_EXACT: opt.exact = true; break;
		case OPT_COUNTS: counts = true; break;
		case OPT_COUNTS_QUERY: {
			struct strbuf how = STRBUF_INIT;
			enum counts_dbms d = counts_dbms_parse(optarg);

			free(schemas);
			if (d == COUNTS_DBMS_UNKNOWN && !str_eq(optarg, "all"))
				return cmd_usage_error("--counts-query: '%s' is not sqlserver, oracle "
						       "or all", optarg);
			counts_howto(d, &how);
			fputs(sb_str(&how), stdout);
			sb_free(&how);
			return EXIT_OK;
		}
		case OPT_FORMAT:
			if (!str_eq(optarg, "text") && !str_eq(optarg, "json")) {
				free(schemas);
				return cmd_usage_error("unknown format '%s' (text or json)", optarg);
			}
			format = optarg;
			break;
		case 'o': outpath = optarg; break;
		case OPT_TIMEOUT: {
			char *end;
			long v;

			errno = 0;
			v = strtol(optarg, &end, 10);
			if (errno || *end || v < 1 || v > 3600) {
				free(schemas);
				return cmd_usage_error("--timeout '%s' is not a number of seconds "
						       "(1-3600)", optarg);
			}
			ctx.timeout_s = (int)v;
			break;
		}
		case 'h':
			free(schemas);
			compare_usage(stdout);
			return EXIT_OK;
		default:
			free(schemas);
			fprintf(stderr, "Try 'osmigrate compare --help' for more information.\n");
			return EXIT_USAGE;
		}
	}
	if (argc - optind != 2) {
		free(schemas);
		return cmd_usage_error("%sexpected two %s: OLD NEW",
				       argc - optind < 2 ? "" : "too many arguments: ",
				       counts ? "files" : "databases");
	}
	if (counts) {
		free(schemas);
		if (nschemas || opt.exact || ctx.timeout_s)
			return cmd_usage_error("--schema, --exact and --timeout are for PostgreSQL "
					       "databases, not for --counts files");
		return compare_counts_files(argv[optind], argv[optind + 1], format, outpath);
	}
	for (int k = 0; k < 2; k++)
		/* Visible to every user in ps(1), and libpq quotes a URI in
		 * some of its messages: refused before anything runs. */
		if (conninfo_has_password(argv[optind + k])) {
			free(schemas);
			return cmd_usage_error("%s carries a password, which every user can read in "
					       "the process list. %s.", k ? "NEW" : "OLD", PASSWORD_FIX);
		}
	if (!pg_spec_from_conninfo(&old_spec, argv[optind], NULL, msg, sizeof msg)) {
		free(schemas);
		return cmd_usage_error("OLD: %s", msg);
	}
	if (!pg_spec_from_conninfo(&new_spec, argv[optind + 1], NULL, msg, sizeof msg)) {
		pg_spec_free(&old_spec);
		free(schemas);
		return cmd_usage_error("NEW: %s", msg);
	}
	opt.schemas = schemas;
	opt.nschemas = nschemas;

	/* Open the output first: a typo in -o should not cost a long comparison. */
	if (outpath && str_eq(outpath, "-"))
		outpath = NULL;
	if (outpath) {
		if (!output_file_open(&of, outpath, NULL, msg, sizeof msg)) {
			fprintf(stderr, "osmigrate compare: %s\n", msg);
			pg_spec_free(&old_spec);
			pg_spec_free(&new_spec);
			free(schemas);
			return EXIT_IOERR;
		}
		f = of.f;
	}

	/* Ctrl-C cancels the running statement (PQcancel) instead of leaving
	 * it running on the server. */
	ctx.cancel = output_catch_signals();
	progress = output_ticker(stderr);
	if (progress)
		ctx.progress = show_progress;
	ctx.secrets = &secrets;
	output_ask_on_terminal(&ctx, &progress);

	/* On a terminal, a password libpq could not find is asked for, once
	 * per database, and kept in memory only (login.h). */
	compare_databases(&old_spec, &new_spec, &opt, &ctx, &r);
	if (progress)
		fputs("\r\033[K", stderr);

	if (str_eq(format, "json"))
		cmp_result_json(&r, &out);
	else
		cmp_result_text(&r, &out);
	/* No difference but items it could not read: a warning, as the
	 * clone_compare check says, never a plain "identical". */
	rc = r.status == CMP_IDENTICAL ? (r.nnotes ? EXIT_WARNINGS : EXIT_OK)
	   : r.status == CMP_DIFFERENT ? EXIT_FAILURES : EXIT_NOCHECK;
	if (outpath && (r.status == CMP_FAILED || output_signal_exit())) {
		/* No result: -o FILE stays as it was.  The operator reading the
		 * terminal sees why; a JSON reader gets the error object on
		 * standard output. */
		output_file_abort(&of);
		if (r.status != CMP_FAILED)
			fprintf(stderr, "osmigrate compare: interrupted; %s was left as it was.\n",
				outpath);
		else
			fprintf(stderr, "osmigrate compare: could not compare: %s\n%s\n%s was left "
				"as it was.\n", r.error, r.fix, outpath);
		if (r.status == CMP_FAILED && str_eq(format, "json"))
			fputs(sb_str(&out), stdout);
	} else if (outpath) {
		fputs(sb_str(&out), f);
		if (!output_file_commit(&of, msg, sizeof msg)) {
			fprintf(stderr, "osmigrate compare: %s\n", msg);
			rc = EXIT_IOERR;
		}
	} else {
		fputs(sb_str(&out), stdout);
	}
	/* stdout: main() checks it once at exit (output_close_stdout). */

	if (output_signal_exit())
		rc = output_signal_exit();
	sb_free(&out);
	cmp_result_free(&r);
	pg_spec_free(&old_spec);
	pg_spec_free(&new_spec);
	secrets_wipe(&secrets);
	free(schemas);
	return rc;
}
