/* state_bench.c - time the state file reader and writer in-process, without
 * process start-up: state_open_readonly (read, parse, validate) and
 * state_save (serialise, write a temp file, fsync, rename, fsync the
 * directory) of a given state file, N times each: median, min and max of
 * the wall time, median of the CPU time.
 * Built by bench/state.sh against the build's libosmigrate.a; run by hand.
 *
 *   state_bench FILE N STEP ITEM
 *
 * FILE is modified (ITEM of STEP toggles between done and pending before
 * every save, so each save writes a changed document). */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "state.h"
#include "util.h"

static double clock_us(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

/* Wall time includes waiting for the disk (fsync) and for the CPU on a
 * busy machine; CPU time is what the code itself costs. */
struct sample {
	double wall, cpu;
};
static struct sample t_start;
static void start(void)
{
	t_start.wall = clock_us(CLOCK_MONOTONIC);
	t_start.cpu = clock_us(CLOCK_PROCESS_CPUTIME_ID);
}
static void stop(double *wall, double *cpu)
{
	*wall = clock_us(CLOCK_MONOTONIC) - t_start.wall;
	*cpu = clock_us(CLOCK_PROCESS_CPUTIME_ID) - t_start.cpu;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static void report(const char *what, double *w, double *c, int n)
{
	qsort(w, n, sizeof *w, cmp_double);
	qsort(c, n, sizeof *c, cmp_double);
	printf("%s: wall median %.2f ms (min %.2f, max %.2f), cpu median %.2f ms, %d runs\n",
	       what, w[n / 2] / 1e3, w[0] / 1e3, w[n - 1] / 1e3, c[n / 2] / 1e3, n);
}

int main(int argc, char **argv)
{
	struct state_error err;
	struct state *st;
	double *w, *c;
	int n, i;

	if (argc != 5) {
		fprintf(stderr, "usage: state_bench FILE N STEP ITEM\n");
		return 64;
	}
	n = atoi(argv[2]);
	if (n < 1) {
		fprintf(stderr, "state_bench: N must be at least 1\n");
		return 64;
	}
	w = xcalloc(n, sizeof *w);
	c = xcalloc(n, sizeof *c);

	for (i = 0; i < n; i++) {
		start();
		st = state_open_readonly(argv[1], &err);
		stop(&w[i], &c[i]);
		if (!st) {
			fprintf(stderr, "state_bench: %s\n", err.msg);
			return 65;
		}
		state_close(st);
	}
	report("load", w, c, n);

	st = state_open(argv[1], &err);
	if (!st) {
		fprintf(stderr, "state_bench: %s\n", err.msg);
		return err.code ? err.code : 65;
	}
	for (i = 0; i < n; i++) {
		state_set_item_status(st, argv[3], argv[4], i % 2 ? STEP_PENDING : STEP_DONE, NULL);
		start();
		if (!state_save(st, &err)) {
			fprintf(stderr, "state_bench: %s\n", err.msg);
			return err.code ? err.code : 74;
		}
		stop(&w[i], &c[i]);
	}
	report("save", w, c, n);
	state_close(st);
	free(w);
	free(c);
	return 0;
}
