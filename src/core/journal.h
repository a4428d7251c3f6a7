/* journal.h - the append-only event log next to a state file.
 *
 * The state file says where a procedure stands; the journal says how it got
 * there.  File: "<state file>.journal", mode 0600, one line per event:
 *
 *   J1 TAB time TAB operator TAB runbook TAB step TAB item TAB action TAB result TAB crc NL
 *
 *   time      2026-11-22T04:31:00Z (UTC)
 *   operator  user@host
 *   item      empty for the step itself
 *   action    "tick.ACTION", "untick.ACTION", "status", "note", "override",
 *             "check.CHECK_ID", "start-over", "settings"
 *   result    free text: "on", "done", "skipped: <reason>", "ok: <summary>" ...
 *   crc       8 lower-case hex digits: CRC-32 (IEEE) of the line up to and
 *             including the TAB before it
 *
 * Fields escape backslash, TAB, CR and LF as \\ \t \r \n.  Each event is one
 * write(2) on an O_APPEND descriptor followed by fsync(2).  A line is an
 * event only when it is complete (ends with NL) and its CRC matches, so a
 * line torn by kill -9 or a full disk is never taken as an event; before
 * appending, a torn tail is terminated so the next event stays whole.
 * Passwords (password=..., scheme://user:secret@host) and tokens are
 * masked (mask_secrets, secret.h): the journal never holds a secret.
 *
 * Every open, to append or to read, goes through privfile.h: a symbolic
 * link, a FIFO, a device, a journal of another user or one that others can
 * change is refused (and never opened for reading or writing); one of ours
 * that others can read is made 0600 again.  At most PF_READ_CAP (64 MiB)
 * is read.
 * UI-free: never include curses here. */
#ifndef OSM_JOURNAL_H
#define OSM_JOURNAL_H

#include <stdbool.h>
#include <stddef.h>

#include "secret.h"
#include "state.h"

#define JOURNAL_SUFFIX ".journal"

/* "<state_path>.journal"; caller frees. */
char *journal_path(const char *state_path);

/* Append one event for the state st (path and runbook taken from it).
 * item may be NULL or "" (the step itself), step may be NULL for events
 * about the whole procedure.  Returns false (and leaves a message for
 * journal_last_error) when the journal could not be written: the caller
 * warns, the state file is already saved. */
bool journal_append(const struct state *st, const char *step, const char *item,
		    const char *action, const char *result);
/* The same with an explicit state path and runbook. */
bool journal_append_path(const char *state_path, const char *runbook, const char *step,
			 const char *item, const char *action, const char *result);
/* Whether the journal next to state_path could be appended to: true when
 * it is missing or a regular file of ours; false with err saying what is
 * wrong and what to do.  `mark` asks before it changes anything. */
bool journal_check(const char *state_path, char *err, size_t errlen);
/* Message of the last failed append ("" if none); static storage. */
const char *journal_last_error(void);

struct journal_entry {
	char *time, *operator, *runbook, *step, *item, *action, *result;
};
struct journal {
	struct journal_entry *e;
	size_t n, cap;
	size_t bad;      /* lines ignored: torn or failing their checksum */
};

/* Read a journal file.  A missing file is an empty journal (true).  Returns
 * false with err filled (what is wrong, what to do) when the file is refused
 * (see above), larger than PF_READ_CAP or unreadable. */
bool journal_read(const char *path, struct journal *j, char *err, size_t errlen);
void journal_free(struct journal *j);

/* mask_secrets() (secret.h) is applied to every field of every event. */

/* Format one line (without checksum verification) for tests and tools;
 * caller frees.  The result ends with the checksum and "\n". */
char *journal_format(const char *time, const char *op, const char *runbook, const char *step,
		     const char *item, const char *action, const char *result);

#endif
