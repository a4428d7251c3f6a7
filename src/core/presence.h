/* presence.h - who has a state file open: "<state>.presence" next to it,
 * one line per wizard session, each refreshed by its session (a heartbeat)
 * while it runs and removed when it ends:
 *
 *   P1 TAB pid TAB host TAB operator TAB heartbeat (2026-11-22T04:31:00Z) NL
 *
 * A line whose heartbeat is older than PRESENCE_STALE_S, or whose pid is
 * gone on this host, is a session that ended without saying so (killed,
 * its terminal closed): it is not listed, and the next writer drops it.
 * The "a saved session exists" offer names the sessions listed.  Mode 0600,
 * opened through privfile.h like every file of osmigrate's; updated under
 * flock(2) of the file itself (a few microseconds), rewritten in place.
 * Presence is information only: it locks nothing out.
 * UI-free: never include curses here. */
#ifndef OSM_PRESENCE_H
#define OSM_PRESENCE_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#define PRESENCE_SUFFIX ".presence"
#define PRESENCE_BEAT_S 10   /* a session refreshes its line this often */
#define PRESENCE_STALE_S 35  /* a line older than this is a session gone */

struct presence {
	long pid;
	char host[128];
	char op[128];
	time_t beat;
};

/* Add or refresh this process's line (and drop the lines of sessions
 * gone).  False when the file could not be written (unsafe, full disk):
 * the caller carries on, presence is information only. */
bool presence_beat(const char *state_path);
/* Remove this process's line (the file too when it was the last). */
void presence_leave(const char *state_path);
/* The other sessions alive on state_path (not this process), in the
 * order they came; *out is the caller's to free. */
size_t presence_list(const char *state_path, struct presence **out);

#endif
