/* app.h - what the screens of the wizard share: the application record,
 * the screen vtable, the reactions a screen returns, and the services of
 * app.c (the message line, saving and journaling, the whole-screen
 * layout, starting a job).
 *
 * Shape (tmux window_mode, tig view_ops, htop reactions): a screen kind is
 * one file exporting one const struct screen_ops (screens.h).  Its data is
 * its own: private_size bytes the loop allocates (zeroed) the first time
 * the screen opens and hands to every hook, kept while the wizard runs
 * (a screen reopened finds its sort, filter and open items as it left
 * them) and released by its free hook at the end; no screen state lives
 * in file statics.  Keys reach a screen as requests (keys.h); it handles
 * those it knows and hands the rest back with R_UNHANDLED.  It never
 * redraws the world, opens another screen or calls another screen: it
 * returns a reaction and the loop (tui.c) acts. */
#ifndef OSM_APP_H
#define OSM_APP_H

#include <stdbool.h>
#include <stddef.h>

#include "dialog.h"
#include "draw.h"
#include "help.h"
#include "job.h"
#include "keys.h"
#include "pace.h"
#include "runbook.h"
#include "state.h"
#include "options.h"
#include "util.h"

/* Reactions: bit flags returned by request handlers, acted on by the loop. */
enum reaction {
	R_NONE = 0,
	R_REDRAW = 1 << 0,     /* the screen changed */
	R_SAVE = 1 << 1,       /* the state changed: save it now */
	R_QUIT = 1 << 2,       /* save and leave */
	R_NEXT = 1 << 3,       /* next step */
	R_PREV = 1 << 4,       /* previous step */
	R_HELP = 1 << 5,       /* show the help overlay */
	R_SETTINGS = 1 << 6,   /* open the settings screen */
	R_TYPES = 1 << 7,      /* open the types screen */
	R_CLOSE = 1 << 8,      /* leave a pushed screen (settings, types) */
	R_RUN_CHECKS = 1 << 9, /* run the current step's checks in the worker */
	R_CANCEL = 1 << 10,    /* cancel the running worker */
	R_OPENED = 1 << 11,    /* the start screens chose a runbook/state: go to steps */
	R_START_OVER = 1 << 12,/* resume offer: start over */
	R_RESIZE = 1 << 13,    /* recompute the layout */
	R_RUN_TYPES = 1 << 14, /* rescan the column types in the worker */
	R_UNHANDLED = 1 << 15, /* not this screen's: the loop's generic handling */
};

struct app;

/* One screen kind.  draw() paints inside w (the right pane beside the step
 * list when steplist is true, else the whole body).  data: the screen's
 * own private_size bytes. */
struct screen_ops {
	const char *name;
	bool steplist;
	size_t private_size;
	void (*init)(struct app *a, void *data);      /* may be NULL: once, when allocated */
	void (*free)(void *data);                     /* may be NULL: what data holds, at exit */
	void (*enter)(struct app *a, void *data);     /* each time it is shown */
	void (*draw)(struct app *a, void *data, WINDOW *w);
	int (*request)(struct app *a, void *data, const struct input *in);
	const char *(*footer)(struct app *a, void *data);
	const char *(*help)(struct app *a, void *data); /* screen-specific help text */
};

/* A screen kind and its data (NULL until it first opens). */
struct view {
	const struct screen_ops *ops;
	void *data;
};

struct app {
	const struct tui_options *opt;
	struct state *st;
	const struct runbook *rb;
	int step;                       /* index into rb->steps */
	struct view *views;             /* one per screen kind (tui.c) */
	size_t nviews;
	struct view *scr;               /* shown */
	struct view *under;             /* to return to from a pushed one */
	struct help help;
	char msg[512];
	bool msg_err;
	bool save_failed_quit;          /* q pressed once although the save failed */
	struct secrets secrets;
	struct job job;
	struct redraw redraw;           /* app_draw, for the dialogs */
	int chooser_pick;               /* chooser result: runbook index */
	int spin;                       /* spinner phase */
	bool show_results;              /* checks finished: scroll their results into view */
	bool begun;                     /* the steps were entered: the state is ours to save */
	bool shared;                    /* another session's change was read: say who made the latest */
	/* The step list's marks, recomputed only when the document changed. */
	struct {
		unsigned long long gen;
		const struct runbook *rb;
		enum step_status *shown;
		size_t n;
	} marks;
	/* The header's clock (pace.h), counted again only when the document
	 * changed and moved on every second. */
	struct {
		unsigned long long gen;
		const struct runbook *rb;
		struct pace p;
		bool valid;
		time_t shown;           /* the second drawn last */
		int late_said;          /* the warning said on the message line: 0 none,
					   1 the rest will not fit, 2 the window ended */
	} clock;
};

void app_init(struct app *a, const struct tui_options *opt);
void app_free(struct app *a);   /* after the last job; the state is the caller's */
void app_message(struct app *a, bool err, const char *fmt, ...) OSM_PRINTF(3, 4);
bool app_save(struct app *a);
void app_draw(struct app *a);          /* the whole screen; dialogs draw it through a->redraw */
/* Bring the header's clock to now; true when it shows something new (the
 * loop redraws).  When the rest of the checklist stops fitting the change
 * window, says so once on the message line. */
bool app_clock(struct app *a);
const struct rb_step *app_step(const struct app *a);
/* Save the state, then journal the event (journal.h); a failure of either
 * is shown on the message line.  item/step may be NULL. */
bool app_commit(struct app *a, const char *step, const char *item, const char *action,
		const char *result);
/* Another session saved the state file: read it again (this session's
 * unsaved changes are saved onto it first) and say a restart.  True when
 * what is shown changed (the loop re-enters the screen and redraws).
 * Cheap when nothing changed (one stat): the loop calls it while idle. */
bool app_refresh(struct app *a);
/* "latest: osfe05 done by bob@admin2 20 s ago" once another session's
 * change was read (false before, or when nothing was recorded). */
bool app_latest_line(struct app *a, char *out, size_t n);
/* Start a job on the state's settings and the wizard's secrets (job.h),
 * its done callback getting a; false with a message when the worker could
 * not start.  The caller checks job_running() first: what to say when
 * busy is its own. */
bool app_job_start(struct app *a, const struct job_ops *ops, void *data);

#endif
