/* test_state.c - state files: schema, open/save round trip, modes, locks,
 * atomic save, answers files, and the malformed corpus. */
#include "config.h"

#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "exitcodes.h"
#include "state.h"
#include "util.h"

static char tmpdir[64];

static void mk_tmpdir(void)
{
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/osm-state-XXXXXX");
	cr_assert_not_null(mkdtemp(tmpdir));
}

static void rm_tmpdir(void)
{
	char *cmd = xasprintf("rm -rf '%s'", tmpdir);
	cr_assert_eq(system(cmd), 0);
	free(cmd);
}

TestSuite(state, .init = mk_tmpdir, .fini = rm_tmpdir);

Test(state, new_save_reopen)
{
	struct state_error err;
	char *path = xasprintf("%s/sub/dir/cm.ini", tmpdir);
	struct state *st = state_open(path, &err);
	struct stat sb;
	const char *by, *at;

	cr_assert(st, "%s", err.msg);
	cr_assert(st->is_new);
	cr_assert_geq(st->lock_fd, 0);
	state_set_runbook(st, "connector-migration");
	state_set_current(st, "rebind");
	state_set_step_status(st, "prerequisites", STEP_DONE, NULL);
	state_set_step_status(st, "refresh", STEP_SKIPPED, "done by hand; see ticket #42");
	state_set_item_status(st, "rebind", "Orders DB", STEP_IN_PROGRESS, NULL);
	state_tick(st, "rebind", NULL, "open_lifetime", true);
	state_tick(st, "rebind", "Orders DB", "select_connection", true);
	state_set_note(st, "rebind", NULL, "note; with = odd\n[chars] \"here\"  ");
	state_set_field(st, "connection", "old_version", "11.18.1");
	cr_assert(state_save(st, &err), "%s", err.msg);
	cr_assert_not(st->is_new);
	cr_assert_eq(stat(path, &sb), 0);
	cr_assert_eq(sb.st_mode & 07777, 0600);
	cr_assert_eq(stat(st->path, &sb), 0);
	{
		char *dir = xasprintf("%s/sub/dir", tmpdir);
		cr_assert_eq(stat(dir, &sb), 0);
		cr_assert_eq(sb.st_mode & 07777, 0700);
		free(dir);
	}
	state_close(st);

	st = state_open(path, &err);
	cr_assert(st, "%s", err.msg);
	cr_assert_not(st->is_new);
	cr_assert_str_eq(state_runbook(st), "connector-migration");
	cr_assert_str_eq(state_current(st), "rebind");
	cr_assert_eq(state_step_status(st, "prerequisites"), STEP_DONE);
	cr_assert_eq(state_step_status(st, "refresh"), STEP_SKIPPED);
	cr_assert_eq(state_step_status(st, "republish"), STEP_PENDING);
	cr_assert_str_eq(doc_get(st->doc, "step", "refresh", "reason"), "done by hand; see ticket #42");
	cr_assert_str_eq(doc_get(st->doc, "step", "refresh", "by"), operator_id());
	cr_assert_eq(state_item_status(st, "rebind", "Orders DB"), STEP_IN_PROGRESS);
	cr_assert(state_ticked(st, "rebind", NULL, "open_lifetime", &by, &at));
	cr_assert_str_eq(by, operator_id());
	cr_assert(iso8601_parse(at, &(time_t){ 0 }));
	cr_assert(state_ticked(st, "rebind", "Orders DB", "select_connection", NULL, NULL));
	cr_assert_not(state_ticked(st, "rebind", "Orders DB", "open_lifetime", &by, &at));
	cr_assert_null(by);
	cr_assert_str_eq(state_note(st, "rebind", NULL), "note; with = odd\n[chars] \"here\"  ");
	cr_assert_str_eq(state_field(st, "connection", "old_version"), "11.18.1");
	cr_assert_str_eq(doc_get(st->doc, "osmigrate", NULL, "updated_by"), operator_id());
	state_tick(st, "rebind", NULL, "open_lifetime", false);
	cr_assert_not(state_ticked(st, "rebind", NULL, "open_lifetime", NULL, NULL));
	state_close(st);
	free(path);
}
