/* connect_bench.c - the connection verdict in-process, without process
 * start-up: the target_connect check (connect, three SELECT 1 for the
 * round-trip time, SELECT current_user, close) against PQpingParams (what
 * pg_isready does: a startup packet, no authentication) and against a bare
 * PQconnectdbParams + SELECT 1 + PQfinish, with the [target] of the given
 * answers file, N runs each, interleaved.  Built by bench/connect.sh
 * against the build's libosmigrate.a; run by hand.
 *
 *   connect_bench ANSWERS N
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include <libpq-fe.h>

#include "check.h"
#include "state.h"
#include "util.h"

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static double median(double *t, int n)
{
	qsort(t, n, sizeof *t, cmp_double);
	return t[n / 2];
}

int main(int argc, char **argv)
{
	static const char *keys[] = { "host", "port", "dbname", "user", "sslmode",
				      "connect_timeout", "options", NULL };
	const char *vals[8] = { NULL };
	char *options;
	const struct check_def *def = check_find("connector-migration", "target_connect");
	struct state_error err;
	struct ctx ctx = { 0 };
	struct check_env env = { 0 };
	struct check_report rep;
	enum check_verdict verdict = VERDICT_NONE;
	PGPing ping = PQPING_OK;
	struct doc *answers;
	double *tc, *tp, *ts, t0;
	int n, i, k, sel_ok = 0;

	if (argc != 3 || (n = atoi(argv[2])) < 1) {
		fprintf(stderr, "usage: connect_bench ANSWERS N\n");
		return 64;
	}
	if (!def) {
		fprintf(stderr, "connect_bench: no target_connect check in this build\n");
		return 1;
	}
	answers = answers_load(argv[1], &err);
	if (!answers) {
		fprintf(stderr, "connect_bench: %s\n", err.msg);
		return 65;
	}
	for (k = 0; keys[k]; k++)
		vals[k] = doc_get(answers, "target", NULL, keys[k]);
	/* The bare session is pinned too, as every session against the
	 * operator's database (src/probe/pg.h), here from the startup packet, which
	 * costs no round trip; PGOPTIONS is kept, not replaced. */
	options = xasprintf("%s%s-c search_path= -c default_transaction_read_only=on",
			    getenv("PGOPTIONS") ? getenv("PGOPTIONS") : "",
			    getenv("PGOPTIONS") ? " " : "");
	vals[6] = options;
	env.settings = answers;
	env.ctx = &ctx;
	tc = xcalloc(n, sizeof *tc);
	tp = xcalloc(n, sizeof *tp);
	ts = xcalloc(n, sizeof *ts);

	for (i = 0; i < n; i++) {
		PGconn *c;
		PGresult *r;

		check_report_init(&rep);
		t0 = now_ms();
		def->fn(&env, &rep);
		tc[i] = now_ms() - t0;
		verdict = check_report_verdict(&rep);
		check_report_free(&rep);

		t0 = now_ms();
		ping = PQpingParams(keys, vals, 0);
		tp[i] = now_ms() - t0;

		t0 = now_ms();
		c = PQconnectdbParams(keys, vals, 0);
		r = PQstatus(c) == CONNECTION_OK ? PQexec(c, "SELECT 1") : NULL;
		sel_ok = r && PQresultStatus(r) == PGRES_TUPLES_OK;
		PQclear(r);
		PQfinish(c);
		ts[i] = now_ms() - t0;
	}
	printf("target_connect check %.2f ms (%s), PQpingParams %.2f ms (%s), "
	       "PQconnectdbParams+SELECT 1 %.2f ms (%s), median of %d\n",
	       median(tc, n), check_verdict_word(verdict), median(tp, n),
	       ping == PQPING_OK ? "accepting" : ping == PQPING_NO_RESPONSE ? "no response" : "other",
	       median(ts, n), sel_ok ? "ok" : "failed", n);
	printf("ratios: check/ping %.2f, check/connect+select %.2f\n",
	       median(tc, n) / median(tp, n), median(tc, n) / median(ts, n));
	free(options);
	free(tc);
	free(tp);
	free(ts);
	doc_free(answers);
	return 0;
}
