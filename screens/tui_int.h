/* tui_int.h - what the screens of the wizard share: the application
 * record, the screen vtable, the reactions a key handler returns, and the
 * drawing/prompt helpers (ui.c) and terminal handling (term.c).
 *
 * Shape (htop/tmux style): a screen kind is one file exporting one const
 * struct screen_ops.  Its key handler never redraws the world or calls
 * another screen; it returns a reaction and the main loop (tui.c) acts. */
#ifndef OSM_TUI_INT_H
#define OSM_TUI_INT_H

#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <wchar.h>

/* get_wch, cchar_t: the wide-character API of ncursesw. */
#ifndef NCURSES_WIDECHAR
#define NCURSES_WIDECHAR 1
#endif
#include <curses.h>

#include "check.h"
#include "ctx.h"
#include "http.h"
#include "runbook.h"
#include "state.h"
#include "tui.h"
#include "typescan.h"
#include "util.h"

/* Below this size only the "terminal too small" screen is drawn. */
#define TUI_MIN_COLS 60
#define TUI_MIN_LINES 16

/* Input limits: a field value, a note. */
#define TUI_FIELD_MAX 512
#define TUI_NOTE_MAX 5000

/* Reactions: bit flags returned by key handlers, acted on by the loop. */
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
};

struct app;

/* One screen kind.  draw() paints inside w (the right pane beside the step
 * list when steplist is true, else the whole body). */
struct screen_ops {
	const char *name;
	bool steplist;
	void (*enter)(struct app *a);
	void (*draw)(struct app *a, WINDOW *w);
	int (*key)(struct app *a, int ch, bool fkey); /* ch: wide char or KEY_* */
	const char *(*footer)(struct app *a);
	const char *(*help)(struct app *a);            /* screen-specific help text */
};

extern const struct screen_ops screen_chooser;
extern const struct screen_ops screen_resume;
extern const struct screen_ops screen_step;
extern const struct screen_ops screen_settings;
extern const struct screen_ops screen_types;

/* The check worker: one at a time, a pthread running checks_run() on a
 * copy of the document so the UI thread may keep changing the state. */
enum job_kind {
	JOB_CHECKS,   /* checks_run() of one step */
	JOB_TYPES,    /* the full type scan, stored as [types]/[finding] */
	JOB_LIFETIME, /* GET /environments/ to seed an inventory (settings.c) */
	JOB_PING,     /* one server's _ping.html before/after its reconfiguration */
};

struct job {
	enum job_kind kind;
	pthread_t th;
	bool running;             /* started and not yet joined (UI thread only) */
	atomic_int cancel;
	atomic_int finished;
	pthread_mutex_t mu;
	char what[160];           /* progress, under mu */
	long done, total;         /* progress, under mu */
	char runbook[64], step[64];
	struct doc *settings;     /* the worker's copy */
	struct check_report rep;
	struct type_result types;  /* JOB_TYPES: complete when types_ok */
	bool types_ok;
	struct ctx ctx;
	struct check_env env;
	long long started_ms;
	/* JOB_LIFETIME: the inventory to seed and LifeTime's answer. */
	char seed[16];
	struct lt_environment *lt_envs;
	size_t lt_n;
	bool lt_ok;
	long lt_status;           /* HTTP status of a failed request, 0 if none */
	enum lt_setup lt_setup;   /* what lifetime_open said */
	char lt_msg[512], lt_fix[1024];
	/* JOB_PING: the server, whether this is its "before" ping, and what
	 * the runbook expects it to show (runbook.h, struct rb_ping). */
	char item[256];
	bool before;
	enum rb_expect expect;
};

struct app {
	const struct tui_options *opt;
	struct state *st;
	const struct runbook *rb;
	int step;                       /* index into rb->steps */
	const struct screen_ops *scr;
	const struct screen_ops *under; /* screen to return to from a pushed one */
	bool help;                      /* help overlay shown */
	int help_top;                   /* its first visible line */
	char msg[512];
	bool msg_err;
	int exit_code;
	bool quit;
	bool save_failed_quit;          /* q pressed once although the save failed */
	struct secrets secrets;
	struct job job;
	int chooser_pick;               /* chooser result: runbook index */
	WINDOW *body;                   /* right pane or whole body */
	int spin;                       /* spinner phase */
	bool show_results;              /* checks finished: scroll their results into view */
	bool begun;                     /* the steps were entered: the state is ours to save */
};

/* tui.c */
void app_message(struct app *a, bool err, const char *fmt, ...) OSM_PRINTF(3, 4);
bool app_save(struct app *a);
void app_draw(struct app *a);          /* whole screen; used by modal prompts on resize */
const struct rb_step *app_step(const struct app *a);
/* Save the state, then journal the event (journal.h); a failure of either
 * is shown on the message line.  item/step may be NULL. */
bool app_commit(struct app *a, const char *step, const char *item, const char *action,
		const char *result);
/* Exits a signal asked for (EXIT_SIGINT...), 0 if none pending. */
int app_pending_signal(void);
/* Fetch LifeTime's environments in the worker to seed the inventory kind
 * ("environment" or "server"); settings_seed() gets the answer.  False
 * (with a message) when the worker is busy or could not start. */
bool app_job_lifetime(struct app *a, const char *kind);
/* Ping one server's url in the worker (check_server_ping with env.item)
 * and record it as [check "server_ping_before:NAME"] (PING_BEFORE) or
 * [check "server_ping:NAME"] (PING_AFTER), judged as ping->expect says. */
bool app_job_ping(struct app *a, const char *server, const struct rb_ping *ping);

/* settings.c: add LifeTime's environments to the inventory kind, never
 * touching existing items; saves, journals and says how many. */
void settings_seed(struct app *a, const char *kind, const struct lt_environment *e, size_t n);

/* term.c: terminal setup and manners. */
extern volatile sig_atomic_t tui_sig;   /* last fatal signal number, 0 if none */
void term_signals_install(void);
/* Whether the wizard can drive the terminal TERM names (known to terminfo,
 * cursor addressing: not "dumb"); if not, why holds the message (several
 * lines, naming the headless commands).  Call before anything is locked. */
bool term_usable(char *why, size_t len);
/* Start curses; false (with why) when it cannot. */
bool term_init(char *why, size_t len);
void term_restore(void);                /* idempotent, atexit-registered */
void term_check_hangup(void);           /* after an input timeout: terminal gone -> SIGHUP */
bool term_is_cursed(void);
bool term_too_small(void);
void term_draw_too_small(void);
bool term_color(void);                  /* colour in use */
bool term_ascii(void);                  /* no line drawing: ASCII fallback */
bool term_utf8(void);                   /* UTF-8 locale: Unicode line drawing */

/* ui.c: drawing helpers. */
enum ui_attr {
	UI_NORMAL, UI_TITLE, UI_DONE, UI_CURRENT, UI_FAILED, UI_SKIPPED,
	UI_WARN, UI_SELECT, UI_DIM, UI_HEAD, UI_ERROR, UI_FOOTER,
};
void ui_colors_init(void);
attr_t ui_attr(enum ui_attr a);
int ui_strwidth(const char *s);
/* Print s at (y,x) in at most maxw columns; control characters shown as
 * spaces so stored text can never move the cursor.  Returns columns used. */
int ui_put(WINDOW *w, int y, int x, const char *s, int maxw);
/* Word-wrap s into lines of at most width columns.  Returns the number of
 * lines; lines[i] are allocated copies (caller frees with ui_lines_free). */
size_t ui_wrap(const char *s, int width, char ***lines);
void ui_lines_free(char **lines, size_t n);
void ui_hline(WINDOW *w, int y, int x, int n);
void ui_vline(WINDOW *w, int y, int x, int n);
void ui_box(WINDOW *w, int y, int x, int h, int wd);
const char *ui_spinner(int phase);
/* Status mark for a step status, always text: "[x]" etc. */
const char *ui_mark(enum step_status s);
enum ui_attr ui_status_attr(enum step_status s);
/* The colour of a check result by its verdict (result.h's policy). */
enum ui_attr ui_verdict_attr(enum check_verdict v);

/* Modal line editor: returns 1 with *out (allocated) on Enter, 0 on Esc,
 * -1 when a signal arrived (the loop then exits).  Input is sanitised: no
 * control characters, at most maxlen bytes, valid UTF-8 only; a pasted
 * newline becomes a space.  secret: nothing echoed. */
int ui_prompt(struct app *a, const char *title, const char *explain, const char *initial,
	      size_t maxlen, bool secret, char **out);
/* Modal question answered with one of the keys in keys ("yn"); returns the
 * key, 0 on Esc, -1 on signal. */
int ui_ask(struct app *a, const char *title, const char *text, const char *keys);
/* Modal list chooser; returns the index, -1 on Esc or signal. */
int ui_pick(struct app *a, const char *title, const char *const *choices, int current);

#endif
