/* checkjob.h - the jobs that produce check results (checkjob.c): a step's
 * checks, the type scan, one server's ping.  Each stores what it found in
 * the state when it ends (its done callback), journals it and says it on
 * the message line; a secret a check lacked is asked for then. */
#ifndef OSM_CHECKJOB_H
#define OSM_CHECKJOB_H

#include <stdbool.h>

#include "app.h"

/* r: run the current step's checks (the full type scan on the step that
 * runs the type verification); types: rescan the column types. */
void checkjob_start(struct app *a, bool types);
/* Ping one server's url in the worker (check_server_ping with env.item)
 * and record it as [check "server_ping_before:NAME"] (PING_BEFORE) or
 * [check "server_ping:NAME"] (PING_AFTER), judged as ping->expect says.
 * False (with a message) when the worker is busy or could not start. */
bool checkjob_ping(struct app *a, const char *server, const struct rb_ping *ping);

#endif
