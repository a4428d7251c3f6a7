/* job.c - the worker thread's lifecycle (job.h). */
#include "config.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
/* After a libc header: they define __GLIBC__. */
#ifdef __GLIBC__
#include <malloc.h>
#endif

#include "job.h"
#include "util.h"

void job_init(struct job *j)
{
	memset(j, 0, sizeof *j);
	pthread_mutex_init(&j->mu, NULL);
}

void job_destroy(struct job *j)
{
	pthread_mutex_destroy(&j->mu);
}

void job_progress(void *ud, const char *what, long done, long total)
{
	struct job *j = ud;

	pthread_mutex_lock(&j->mu);
	snprintf(j->what, sizeof j->what, "%s", what ? what : "");
	j->done = done;
	j->total = total;
	pthread_mutex_unlock(&j->mu);
}

void job_status(struct job *j, char *what, size_t len, long *done, long *total)
{
	pthread_mutex_lock(&j->mu);
	snprintf(what, len, "%s", j->what);
	*done = j->done;
	*total = j->total;
	pthread_mutex_unlock(&j->mu);
}

static void *job_main(void *arg)
{
	struct job *j = arg;

	j->ops->work(j, j->data);
	/* Each result is tied to the settings it ran with, not to whatever the
	 * operator edits while it runs. */
	check_report_stamp(&j->rep, j->settings);
	atomic_store(&j->finished, 1);
	return NULL;
}

bool job_start(struct job *j, const struct job_ops *ops, void *data, void *ud,
	       const struct doc *settings, struct secrets *secrets)
{
	sigset_t block, old;
	int rc;

	if (j->running) {
		free(data);
		return false;
	}
	/* The worker reads its own copy: the UI thread keeps changing the state. */
	j->settings = doc_clone(settings);
	check_report_init(&j->rep);
	j->ops = ops;
	j->data = data;
	j->ud = ud;
	atomic_store(&j->cancel, 0);
	atomic_store(&j->finished, 0);
	j->what[0] = '\0';
	j->done = j->total = 0;
	j->ctx.cancel = &j->cancel;
	j->ctx.progress = job_progress;
	j->ctx.ud = j;
	j->ctx.timeout_s = 0;
	j->ctx.secrets = secrets;
	j->env.settings = j->settings;
	j->env.ctx = &j->ctx;
	j->env.item = NULL;
	/* Signals go to the UI thread, whose input wait they interrupt. */
	sigemptyset(&block);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGHUP);
	sigaddset(&block, SIGWINCH);
	pthread_sigmask(SIG_BLOCK, &block, &old);
	rc = pthread_create(&j->th, NULL, job_main, j);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (rc != 0) {
		doc_free(j->settings);
		j->settings = NULL;
		check_report_free(&j->rep);
		free(j->data);
		j->data = NULL;
		return false;
	}
	j->running = true;
	return true;
}

bool job_running(const struct job *j)
{
	return j->running;
}

bool job_finished(const struct job *j)
{
	return j->running && atomic_load(&j->finished);
}

void job_cancel(struct job *j)
{
	atomic_store(&j->cancel, 1);
}

void job_collect(struct job *j, bool quiet)
{
	struct check_report rep;
	struct job_end end;

	if (!j->running)
		return;
	pthread_join(j->th, NULL);
	j->running = false;
	doc_free(j->settings);
	j->settings = NULL;
#ifdef __GLIBC__
	/* The copy was as large as the state (20 MB with 5,000 extensions):
	 * give its pages back now, or glibc keeps them beside the next save's
	 * text and the wizard holds the state file almost four times over. */
	malloc_trim(0);
#endif
	/* Taken out of the job first: done may start the next one. */
	rep = j->rep;
	end.data = j->data;
	end.rep = &rep;
	end.cancelled = atomic_load(&j->cancel) != 0;
	end.quiet = quiet;
	j->data = NULL;
	check_report_init(&j->rep);
	j->ops->done(j->ud, &end);
	check_report_free(&rep);
	free(end.data);
}
