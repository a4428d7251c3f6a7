/* state.h - the resumable state file: one INI document (see doc.h) per
 * runbook session, locked, saved atomically after every change.
 *
 * Layout, version 1 (the answers file is the same minus progress sections):
 *
 *   [osmigrate]  version = 1, runbook, created, updated, updated_by, current (step id),
 *                instance (16 hex digits drawn when the procedure starts: a
 *                start over is a new instance, even within the same second)
 *
 *   settings (allowed in answers files too): the sections and keys of
 *   src/core/schema.c ([target], [compare], [server "NAME"], ...), one table
 *   with each key's type, label, help and example; not repeated here
 *
 *   progress (state file only):
 *   [step "ID"]           status (pending|in-progress|done|skipped|failed),
 *                         by, at (who/when of the last status change),
 *                         started (UTC: the step's first tick or status change
 *                         other than pending, of the step or an item), ended
 *                         (UTC: when it became done or skipped; removed when
 *                         it is reopened),
 *                         note, reason (skip or override reason),
 *                         override_by, override_at, overrode (who/when typed the
 *                         last override and what it overrode, progress.h),
 *                         tick.ACTION = "user@host 2026-11-22T04:31:00Z",
 *                         field.NAME = value (form values of that screen)
 *   [item "STEP:NAME"]    status, by, at, note, reason, override_*, tick.ACTION,
 *                         claim = "user@host 2026-11-22T04:31:00Z" (who is on it:
 *                         advisory, dropped when the item is done or skipped)
 *                         (per extension / consumer / server / environment of a step)
 *   [check "ID"]          status (ok|warning|failed|error), at, label, summary, detail, fix,
 *                         settings_digest (hex: the settings the check read, check.h),
 *                         cancelled (yes: could not check, its run was cancelled)
 *                         (ID is "check_id" or "check_id:ITEM")
 *   [types]               at, scope, blockers, warnings, infos, columns,
 *                         unmatched (what of the scope matched nothing, one line),
 *                         settings_digest (of type_verification's settings, check.h)
 *   [finding "N"]         code, severity, schema, table, column, pg_type,
 *                         ardo_type, supported_type, count, samples, message, fix
 *
 * No section ever holds a password or token: the schema rejects keys named
 * password/passwd/token, every connection string (conninfo, a dbname libpq
 * would expand, [compare] old/new) in which libpq's parser finds a password
 * (secret.h), and form fields carrying an unmasked one; notes, reasons and
 * fields are stored through mask_secrets.
 *
 * Versioning: the version goes up when an existing key changes meaning or a
 * file of the new layout would be misread by an older osmigrate.  An added
 * optional key does not bump it: the reader is strict, so an older
 * osmigrate refuses the key by file and line rather than misreading it, and
 * this one says what a missing key means.  settings_digest was added so in
 * version 1: a [check] without it was recorded before osmigrate tracked
 * settings and counts as stale (never as passed) until the check runs again.
 * UI-free: never include curses here.
 */
#ifndef OSM_STATE_H
#define OSM_STATE_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>
#include <time.h>

#include "doc.h"
#include "util.h"

#define STATE_VERSION 1
/* The longest name of an extension, consumer, server or environment, in
 * bytes (settings_validate says so; the wizard shows it before typing). */
#define STATE_NAME_MAX 128

enum step_status {
	STEP_PENDING = 0,
	STEP_IN_PROGRESS,
	STEP_DONE,
	STEP_SKIPPED,
	STEP_FAILED,
};
const char *step_status_name(enum step_status s);      /* "pending", "in-progress", ... */
bool step_status_parse(const char *s, enum step_status *out);
const char *step_status_mark(enum step_status s);      /* "[ ]" "[>]" "[x]" "[-]" "[!]" */

/* Sharing.  Any number of sessions (wizards, `mark`, `check --state`) may
 * work on one state file at once.  None holds the lock for its session:
 * the lock ("<state>.lock", lock.h) is taken only for one change, which is
 * applied to the file's content at that moment (state_apply): take the
 * lock (waiting up to state_lock_wait_ms for another change to end), read
 * the file again, apply, save atomically, journal (the saved hook),
 * release.  What this session changed in its document since it last read
 * the file is carried onto that content key by key (doc_merge3), so a
 * change another session made meanwhile is never overwritten: the
 * document is never written whole from memory. */
struct state {
	char *path;          /* the state file */
	struct doc *doc;     /* what this session sees: the file as last read or
			      * written, plus its own changes not saved yet */
	struct doc *base;    /* the file as last read or written: doc's changes
			      * are those since base */
	int lock_fd;         /* -1 except while a change is being written */
	bool is_new;         /* true if the file did not exist when last read */
	unsigned long long saved_gen; /* doc_generation() of what is on disk */
	struct {             /* the file as last read or written (state_refresh) */
		bool known;
		dev_t dev;
		ino_t ino;
		off_t size;
		long long mtime_ns;
		unsigned long long hash; /* of its bytes */
	} seen;
	char conflict[512];  /* the last save: a key another session had changed too
			      * and what was kept ("" when none) */
	bool restarted;      /* the last read found the procedure started over by
			      * another session (a new [osmigrate] created) */
};

/* How long a writer waits for the lock while another session writes its
 * change, in milliseconds (5000). */
extern int state_lock_wait_ms;

struct state_error {
	int code;            /* an enum osm_exit value: EXIT_DATAERR, EXIT_LOCKED, EXIT_IOERR, EXIT_USAGE */
	struct doc_error where;
	char msg[1024];      /* full human message, names file (and line) and says what to do */
};

/* Default path: $XDG_STATE_HOME/osmigrate/<runbook>.ini, else
 * ~/.local/state/osmigrate/<runbook>.ini.  Caller frees. */
char *state_default_path(const char *runbook);
/* The directory holding default state files (created 0700 by the first
 * state_save of a file in it). */
char *state_default_dir(void);

/* Open a state file: read it (under the lock for a moment, so a change
 * being written is not half-seen and a killed writer's temporary file is
 * removed).  A missing file gives a fresh document (is_new) that is not
 * written until the first save.  When even its directory is missing,
 * nothing is created now (a refused command leaves no trace): the first
 * save creates the directory (0700).  Refuses: a file readable or writable
 * by group/others, not owned by us, a symlink, corrupt content
 * (EXIT_DATAERR, file untouched), a lock held by a live process for longer
 * than state_lock_wait_ms (EXIT_LOCKED, message names pid, host, since), a
 * lock file that is not ours or not a regular file.  A lock left by a dead
 * process is taken over. */
struct state *state_open(const char *path, struct state_error *err);
/* Parse without locking (status/report). */
struct state *state_open_readonly(const char *path, struct state_error *err);
void state_close(struct state *st); /* frees */

/* One change, made on the file's current content (st->doc is that content
 * when it is called, this session's unsaved changes already carried onto
 * it).  Returns false to write nothing (err may say why; code 0 when the
 * caller keeps its own reason). */
typedef bool (*state_change_fn)(struct state *st, void *arg, struct state_error *err);
/* Called after the save, still holding the lock: the journal lines of the
 * change, so the journal is one ordered log of every session's events. */
typedef void (*state_saved_fn)(struct state *st, void *arg);

/* Apply one change: take the lock (waiting up to state_lock_wait_ms),
 * read the file again, carry this session's unsaved changes onto it
 * (a key both changed: a tick already there stays as it is, anything else
 * takes this session's value; st->conflict says so), call change (may be
 * NULL), save atomically if anything differs from the file, call saved
 * (may be NULL), release.  Afterwards st->doc and st->base are the file's
 * content.  The save: temp file in the same directory (0600), write,
 * fsync, rename, fsync the directory; [osmigrate] updated/updated_by;
 * before writing, the sections changed are parsed back with the reader's
 * rules: a value the reader would refuse is never written (EXIT_SOFTWARE).
 * Fails, writing nothing: the lock busy (EXIT_LOCKED, holder named), the
 * file corrupt now (EXIT_DATAERR with its line, never overwritten), the
 * file holding another runbook now or started over by another session
 * (EXIT_LOCKED; st->restarted, this session's unsaved changes dropped and
 * st->doc the new content), change refused, a write error (EXIT_IOERR,
 * previous file intact). */
bool state_apply(struct state *st, state_change_fn change, state_saved_fn saved, void *arg,
		 struct state_error *err);
/* state_apply with no change of its own: save this session's changes. */
bool state_save(struct state *st, struct state_error *err);
/* True when the document holds changes this session has not saved (or
 * there is no file yet): what state_save would write is new.  The wizard
 * saves only then, so a key that changes nothing writes nothing. */
bool state_changed(const struct state *st);

/* Whether the file changed since this session last read or wrote it
 * (another session saved): its identity, size or time differ.  Cheap (one
 * stat): the wizard asks it while idle. */
bool state_file_changed(const struct state *st);
/* Read the file again if it changed: this session's unsaved changes are
 * saved first (state_save), else the document becomes the file's content
 * without taking the lock (a save replaces the file whole, by rename).
 * *changed says whether the document changed.  A corrupt file leaves the
 * document as it was (false, EXIT_DATAERR with its line). */
bool state_refresh(struct state *st, bool *changed, struct state_error *err);

/* Start over, exclusively: under the lock, rename the current file to
 * <path>.<YYYYmmddTHHMMSSZ>.bak and write a fresh one for the same runbook
 * (a new [osmigrate] created: other sessions see the restart on their next
 * read, st->restarted). */
bool state_start_over(struct state *st, struct state_error *err);

/* Answers files: same parser, settings sections only, strict. */
struct doc *answers_load(const char *path, struct state_error *err);
/* Copy the settings sections of src into dst (answers pre-fill a state). */
void settings_merge(struct doc *dst, const struct doc *src);
/* Pre-fill: copy from src only the settings dst does not hold yet.  A key
 * dst holds with another value (typed in the wizard, or kept from an
 * earlier answers file) keeps dst's value: the session wins.  Each filled
 * key is added to filled and each kept one to kept (either may be NULL),
 * as `target.host` or `server "FE1".role`, separated by ", ".  Returns the
 * number filled. */
size_t settings_prefill(struct doc *dst, const struct doc *src, struct strbuf *filled,
			struct strbuf *kept, size_t *n_kept);
/* Write only the settings sections to path (0600, atomically), in the
 * schema's order (schema.h): sections as the settings screen lists them,
 * keys as the table lists them. */
bool answers_save(const struct doc *d, const char *path, struct state_error *err);
/* True for settings section kinds (schema.h: target, source, ...). */
bool section_is_setting(const char *kind);

/* Convenience accessors over st->doc. Every mutator records who/when. */
const char *state_runbook(const struct state *st);
void state_set_runbook(struct state *st, const char *runbook);
const char *state_current(const struct state *st);
void state_set_current(struct state *st, const char *step);

enum step_status state_step_status(const struct state *st, const char *step);
void state_set_step_status(struct state *st, const char *step, enum step_status s,
			   const char *reason /* may be NULL */);
/* item NULL means the step itself. */
enum step_status state_item_status(const struct state *st, const char *step, const char *item);
void state_set_item_status(struct state *st, const char *step, const char *item,
			   enum step_status s, const char *reason);
bool state_ticked(const struct state *st, const char *step, const char *item, const char *action,
		  const char **by, const char **at /* each may be NULL */);
void state_tick(struct state *st, const char *step, const char *item, const char *action, bool on);
/* state_step_status and state_ticked on a document a check reads (a copy
 * of the state's). */
enum step_status state_doc_step_status(const struct doc *d, const char *step);
bool state_doc_ticked(const struct doc *d, const char *step, const char *item, const char *action);
/* Claims: an operator says "I am on this item" so the others see it.
 * Advisory: nothing refuses a change to a claimed item (the change is
 * journaled with its operator as always).  A claim goes when the item is
 * marked done or skipped (state_set_item_status), or on request. */
bool state_claimed(const struct state *st, const char *step, const char *item,
		   const char **by, const char **at /* each may be NULL */);
void state_claim(struct state *st, const char *step, const char *item, bool on);
const char *state_note(const struct state *st, const char *step, const char *item);
void state_set_note(struct state *st, const char *step, const char *item, const char *note);
/* The step's clock: when it started and ended (UTC, as stored) and its
 * duration in seconds (-1: not started, or started but not ended).  Each
 * pointer may be NULL; the strings belong to the document. */
long long state_step_times(const struct state *st, const char *step, const char **started,
			   const char **ended);
const char *state_field(const struct state *st, const char *step, const char *field);
void state_set_field(struct state *st, const char *step, const char *field, const char *value);

/* The latest change recorded in the progress sections: a status set or an
 * action ticked, whichever has the latest time ("osfe05 done",
 * "rebind: open_lifetime ticked"), who made it and when.  False when
 * nothing was recorded yet.  what is for the operator (an item by its
 * name, a step by its id). */
struct state_latest {
	char what[200];
	char by[128];
	time_t at;
};
bool state_latest_change(const struct state *st, struct state_latest *out);

/* Section name helper for items: "STEP:NAME", caller frees. */
char *state_item_section(const char *step, const char *item);

/* Validate one settings value the way the parser does (host:port, URL,
 * names...).  Returns true or fills msg. Used by forms and `mark`. */
bool settings_validate(const char *kind, const char *name, const char *key,
		       const char *value, char *msg, size_t msglen);

#endif
