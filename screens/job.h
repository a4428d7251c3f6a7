/* job.h - the wizard's one background worker (job.c): a pthread running
 * long core work on a copy of the settings, so the UI thread keeps
 * drawing, takes Esc and may keep changing the state meanwhile.
 *
 * Whoever starts a job says what it is with a struct job_ops: the work
 * (worker thread) and what to do with its outcome (done, UI thread, after
 * the worker is joined).  job.c knows no kind of job and no screen: the
 * check runs are checkjob.c's, the LifeTime fetch is settings.c's. */
#ifndef OSM_JOB_H
#define OSM_JOB_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>

#include "check.h"
#include "ctx.h"
#include "doc.h"

struct job;

/* What a finished job hands to its done callback.  data is the starter's
 * (done frees what it holds; job.c frees the block itself); rep is freed
 * by job.c after done returns.  done may start the next job. */
struct job_end {
	void *data;
	struct check_report *rep;  /* what the work found, stamped with its settings */
	bool cancelled;            /* Esc, or the wizard quitting, cancelled it */
	bool quiet;                /* the wizard is quitting: record, show and ask nothing */
};

struct job_ops {
	/* Worker thread: reads j->settings, j->ctx, j->env; adds to j->rep. */
	void (*work)(struct job *j, void *data);
	/* UI thread; ud is job_start's. */
	void (*done)(void *ud, struct job_end *end);
};

struct job {
	pthread_t th;
	bool running;             /* started and not yet joined (UI thread only) */
	atomic_int cancel;
	atomic_int finished;
	pthread_mutex_t mu;
	char what[160];           /* progress, under mu */
	long done, total;         /* progress, under mu */
	struct doc *settings;     /* the worker's copy */
	struct ctx ctx;
	struct check_env env;     /* settings and ctx; item NULL unless the work sets it */
	struct check_report rep;
	const struct job_ops *ops;
	void *data;
	void *ud;
};

void job_init(struct job *j);
void job_destroy(struct job *j);   /* after the last job_collect */
/* Start ops->work on a copy of settings; secrets (may be NULL) are read by
 * the work (ctx.secrets).  Takes data (malloc'ed, freed in all cases).
 * False when a job is running or the thread could not start. */
bool job_start(struct job *j, const struct job_ops *ops, void *data, void *ud,
	       const struct doc *settings, struct secrets *secrets);
bool job_running(const struct job *j);
/* Running, and the work has returned: time to job_collect. */
bool job_finished(const struct job *j);
void job_cancel(struct job *j);
/* Progress for the work to report (ctx_progress does the same). */
void job_progress(void *ud, const char *what, long done, long total);
/* The progress line's parts, read under the lock. */
void job_status(struct job *j, char *what, size_t len, long *done, long *total);
/* Join the worker (cancel it first to hurry it) and call ops->done. */
void job_collect(struct job *j, bool quiet);

#endif
