/* pg-probe.c - a small driver for the PostgreSQL e2e tests (tests/e2e/pg_*.sh):
 * runs pg_connect/pg_query/the checks of src/checks/pgcheck.c against a real
 * server and prints what they decided, one "key=value" per line.
 *
 *   pg-probe connect [--timeout S] [--cancel-after MS] CONNINFO
 *   pg-probe sql [--timeout S] [--cancel-after MS] CONNINFO SQL
 *   pg-probe stream [--stop-after N] [--cancel-after MS] CONNINFO SQL
 *                            pg_stream(): prints rows= and ok=, then runs
 *                            "SELECT 1" on the same connection (after=)
 *   pg-probe check [--timeout S] [--item NAME] SETTINGS.ini ID...
 *   pg-probe listen [--refuse]  accept TCP connections on 127.0.0.1 and never
 *                            answer (--refuse: bind only, so connections are
 *                            refused); prints the port, exits after 300 s
 *
 * Passwords come from PGPROBE_TARGET_PASSWORD / PGPROBE_SOURCE_PASSWORD into
 * struct secrets (as the wizard's prompt would), else libpq's own sources.
 * --cancel-after sets the ctx cancel flag from a timer, as Esc would. */
#include "config.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include "check.h"
#include "doc.h"
#include "pg.h"
#include "util.h"

static atomic_int cancel_flag;

static void on_alarm(int sig)
{
	(void)sig;
	atomic_store(&cancel_flag, 1);
}

/* Not secrets_wipe(): the probe must not depend on which module defines it. */
static void probe_wipe(struct secrets *s)
{
	char **f[] = { &s->target_password, &s->source_password };

	for (size_t k = 0; k < OSM_ARRAY_LEN(f); k++)
		if (*f[k]) {
			memset(*f[k], 0, strlen(*f[k]));
			free(*f[k]);
			*f[k] = NULL;
		}
}

struct stream_state {
	long rows, stop_after;
};

static bool count_row(void *ud, const PGresult *res, int rownum)
{
	struct stream_state *st = ud;

	(void)res;
	(void)rownum;
	st->rows++;
	return !(st->stop_after > 0 && st->rows >= st->stop_after);
}

static void usage(void)
{
	fprintf(stderr, "usage: pg-probe connect|sql|check|listen ... (see tests/pg-probe.c)\n");
	exit(64);
}

static void one_line(const char *key, const char *v)
{
	printf("%s=", key);
	for (; v && *v; v++)
		putchar(*v == '\n' ? ' ' : *v);
	putchar('\n');
}

static int do_listen(bool accept_them)
{
	struct sockaddr_in a;
	socklen_t len = sizeof a;
	int s = socket(AF_INET, SOCK_STREAM, 0);

	memset(&a, 0, sizeof a);
	a.sin_family = AF_INET;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (s < 0 || bind(s, (struct sockaddr *)&a, sizeof a) < 0 ||
	    (accept_them && listen(s, 16) < 0) || getsockname(s, (struct sockaddr *)&a, &len) < 0) {
		perror("pg-probe listen");
		return 1;
	}
	printf("%d\n", ntohs(a.sin_port));
	fflush(stdout);
	alarm(300); /* never outlive a test that forgot to kill us */
	if (!accept_them) {
		/* Bound but not listening: connections to the port are refused,
		 * and no other process can take it meanwhile. */
		for (;;)
			pause();
	}
	/* Accept and hold every connection without a byte of answer. */
	for (;;) {
		int c = accept(s, NULL, NULL);

		(void)c;
	}
}

int main(int argc, char **argv)
{
	struct secrets sec = { 0 };
	struct ctx ctx = { .cancel = &cancel_flag };
	const char *item = NULL;
	long cancel_after = 0, stop_after = 0;
	int i = 2;

	if (argc < 2)
		usage();
	if (str_eq(argv[1], "listen"))
		return do_listen(!(argc > 2 && str_eq(argv[2], "--refuse")));
	for (; i < argc && str_startswith(argv[i], "--"); i++) {
		if (str_eq(argv[i], "--timeout") && i + 1 < argc)
			ctx.timeout_s = atoi(argv[++i]);
		else if (str_eq(argv[i], "--cancel-after") && i + 1 < argc)
			cancel_after = atol(argv[++i]);
		else if (str_eq(argv[i], "--stop-after") && i + 1 < argc)
			stop_after = atol(argv[++i]);
		else if (str_eq(argv[i], "--item") && i + 1 < argc)
			item = argv[++i];
		else
			usage();
	}
	if (getenv("PGPROBE_TARGET_PASSWORD"))
		sec.target_password = xstrdup(getenv("PGPROBE_TARGET_PASSWORD"));
	if (getenv("PGPROBE_SOURCE_PASSWORD"))
		sec.source_password = xstrdup(getenv("PGPROBE_SOURCE_PASSWORD"));
	ctx.secrets = &sec;
	if (cancel_after > 0) {
		struct sigaction sa;
		struct itimerval it = { { 0, 0 }, { cancel_after / 1000, (cancel_after % 1000) * 1000 } };

		memset(&sa, 0, sizeof sa);
		sa.sa_handler = on_alarm;
		sigaction(SIGALRM, &sa, NULL);
		setitimer(ITIMER_REAL, &it, NULL);
	}

	if (str_eq(argv[1], "connect") || str_eq(argv[1], "sql") || str_eq(argv[1], "stream")) {
		struct pg_spec spec;
		struct pg_failure f;
		char msg[512];
		long long t0 = mono_ms();
		PGconn *c;

		if (i >= argc || (!str_eq(argv[1], "connect") && i + 1 >= argc))
			usage();
		if (!pg_spec_from_conninfo(&spec, argv[i], sec.target_password, msg, sizeof msg)) {
			one_line("spec_error", msg);
			return 2;
		}
		c = pg_connect(&spec, &ctx, &f);
		printf("elapsed_ms=%lld\n", mono_ms() - t0);
		if (!c) {
			one_line("class", pg_fail_name(f.cls));
			one_line("message", f.message);
			one_line("fix", f.fix);
			pg_spec_free(&spec);
			probe_wipe(&sec);
			return 1;
		}
		one_line("class", "ok");
		one_line("server_version", PQparameterStatus(c, "server_version"));
		one_line("ssl", PQsslInUse(c) ? "on" : "off");
		if (str_eq(argv[1], "sql")) {
			PGresult *r = pg_query(c, &ctx, argv[i + 1], 0, NULL, msg, sizeof msg);

			if (!r) {
				one_line("sql_error", msg);
			} else {
				for (int row = 0; row < PQntuples(r); row++)
					for (int col = 0; col < PQnfields(r); col++)
						one_line(PQfname(r, col), PQgetvalue(r, row, col));
				PQclear(r);
			}
		}
		if (str_eq(argv[1], "stream")) {
			struct stream_state st = { 0, stop_after };
			bool done = pg_stream(c, &ctx, argv[i + 1], 0, NULL, count_row, &st, msg,
					      sizeof msg);
			PGresult *r;

			printf("rows=%ld\nok=%s\n", st.rows, done ? "yes" : "no");
			if (!done)
				one_line("stream_error", msg);
			/* The connection must be usable again after a stop or cancel. */
			atomic_store(&cancel_flag, 0);
			r = pg_query(c, &ctx, "SELECT 1", 0, NULL, msg, sizeof msg);
			one_line("after", r ? PQgetvalue(r, 0, 0) : msg);
			PQclear(r);
		}
		PQfinish(c);
		pg_spec_free(&spec);
		probe_wipe(&sec);
		return 0;
	}

	if (str_eq(argv[1], "check")) {
		struct doc_error err;
		struct doc *d;
		struct check_report rep;
		struct check_env env;

		if (i + 1 >= argc)
			usage();
		d = doc_parse_file(argv[i], NULL, NULL, &err);
		if (!d) {
			fprintf(stderr, "pg-probe: %s:%d: %s\n", err.file, err.line, err.msg);
			return 65;
		}
		env.settings = d;
		env.ctx = &ctx;
		env.item = item;
		check_report_init(&rep);
		for (int k = i + 1; k < argc; k++) {
			const struct check_def *def = check_find(NULL, argv[k]);

			if (!def) {
				fprintf(stderr, "pg-probe: no check %s\n", argv[k]);
				return 64;
			}
			def->fn(&env, &rep);
		}
		printf("results=%zu\n", rep.n);
		for (size_t k = 0; k < rep.n; k++) {
			char key[300];

			snprintf(key, sizeof key, "%s.status", rep.r[k].id);
			one_line(key, check_status_word(rep.r[k].status));
			snprintf(key, sizeof key, "%s.label", rep.r[k].id);
			one_line(key, rep.r[k].label);
			snprintf(key, sizeof key, "%s.summary", rep.r[k].id);
			one_line(key, rep.r[k].summary);
			snprintf(key, sizeof key, "%s.detail", rep.r[k].id);
			one_line(key, rep.r[k].detail);
			snprintf(key, sizeof key, "%s.fix", rep.r[k].id);
			one_line(key, rep.r[k].fix);
		}
		check_report_free(&rep);
		doc_free(d);
		probe_wipe(&sec);
		return 0;
	}
	usage();
	return 64;
}
