/* test_state.c - state files: schema, open/save round trip, modes, locks,
 * atomic save, answers files, and the malformed corpus. */
#include "config.h"

#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <ini.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "exitcodes.h"
#include "lock.h"
#include "presence.h"
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
	/* Nothing is created before the first save: not even the directory. */
	{
		char *sub = xasprintf("%s/sub", tmpdir);

		cr_assert_neq(access(sub, F_OK), 0, "state_open created %s", sub);
		free(sub);
	}
	cr_assert_eq(st->lock_fd, -1);
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
	cr_assert_eq(st->lock_fd, -1, "the lock is held only while a change is written");
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

/* ---- malformed corpus ----------------------------------------------- */

static const char *srcdir(void)
{
	const char *s = getenv("top_srcdir");
	return s && *s ? s : TOP_SRCDIR;
}

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	struct strbuf sb = STRBUF_INIT;
	char buf[4096];
	size_t n;

	cr_assert(f, "cannot open %s", path);
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
		sb_addn(&sb, buf, n);
	fclose(f);
	*len = sb.len;
	sb_add(&sb, ""); /* never NULL */
	return sb_detach(&sb);
}

static void spew(const char *path, const char *data, size_t len, mode_t mode)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, mode);

	cr_assert_geq(fd, 0);
	cr_assert_eq(write(fd, data, len), (ssize_t)len);
	cr_assert_eq(fchmod(fd, mode), 0);
	close(fd);
}

/* The file must be refused with EXIT_DATAERR naming file and line, and be
 * byte-for-byte unchanged afterwards, with no lock or temp file left. */
static void assert_refused(const char *path, bool answers, int line, const char *substr)
{
	struct state_error err;
	size_t before_len, after_len;
	char *before = slurp(path, &before_len), *after;
	struct stat a, b;

	cr_assert_eq(stat(path, &a), 0);
	if (answers) {
		struct doc *d = answers_load(path, &err);
		cr_assert_null(d, "%s accepted", path);
	} else {
		struct state *st = state_open(path, &err);
		cr_assert_null(st, "%s accepted", path);
	}
	cr_assert_eq(err.code, EXIT_DATAERR, "%s: code %d: %s", path, err.code, err.msg);
	cr_assert_str_eq(err.where.file, path);
	cr_assert_eq(err.where.line, line, "%s: line %d, expected %d: %s", path, err.where.line, line, err.msg);
	cr_assert(strstr(err.msg, substr), "%s: message lacks '%s': %s", path, substr, err.msg);
	cr_assert(strstr(err.msg, path), "message does not name the file: %s", err.msg);
	if (line > 0) {
		char *ln = xasprintf("line %d", line);
		cr_assert(strstr(err.msg, ln), "message does not name the line: %s", err.msg);
		free(ln);
	}
	after = slurp(path, &after_len);
	cr_assert_eq(after_len, before_len);
	cr_assert_eq(memcmp(before, after, before_len), 0, "%s was modified", path);
	cr_assert_eq(stat(path, &b), 0);
	cr_assert_eq(a.st_mtim.tv_sec, b.st_mtim.tv_sec);
	cr_assert_eq(a.st_mtim.tv_nsec, b.st_mtim.tv_nsec);
	cr_assert_eq(a.st_mode, b.st_mode);
	{
		char *lp = xasprintf("%s.lock", path);
		cr_assert_neq(access(lp, F_OK), 0, "lock file left behind");
		free(lp);
	}
	free(before);
	free(after);
}

static int run_corpus(const char *sub, bool answers)
{
	char *exp = xasprintf("%s/tests/corpus/%s/EXPECT", srcdir(), sub);
	FILE *f = fopen(exp, "r");
	char line[512];
	int n = 0;

	cr_assert(f, "cannot open %s", exp);
	while (fgets(line, sizeof(line), f)) {
		char *name, *ln, *msg, *src, *dst, *data;
		size_t len;

		if (line[0] == '#' || line[0] == '\n')
			continue;
		line[strcspn(line, "\n")] = '\0';
		name = strtok(line, "|");
		ln = strtok(NULL, "|");
		msg = strtok(NULL, "");
		cr_assert(name && ln && msg, "bad EXPECT line");
		src = xasprintf("%s/tests/corpus/%s/%s", srcdir(), sub, name);
		dst = xasprintf("%s/%s", tmpdir, name);
		data = slurp(src, &len);
		/* copied 0600: a checkout is 0644, which the mode check refuses first */
		spew(dst, data, len, 0600);
		assert_refused(dst, answers, atoi(ln), msg);
		free(src);
		free(dst);
		free(data);
		n++;
	}
	fclose(f);
	free(exp);
	return n;
}

Test(state, corpus_state_files)
{
	cr_assert_geq(run_corpus("state", false), 30);
}

Test(state, corpus_answers_files)
{
	cr_assert_geq(run_corpus("answers", true), 10);
}

Test(state, ten_megabyte_line)
{
	char *path = xasprintf("%s/big.ini", tmpdir);
	struct strbuf sb = STRBUF_INIT;

	sb_add(&sb, "[osmigrate]\nversion = 1\n\n[step \"rebind\"]\nnote = ");
	for (int i = 0; i < 10 * 1024 * 1024; i++)
		sb_addc(&sb, 'n');
	sb_addc(&sb, '\n');
	spew(path, sb.buf, sb.len, 0600);
	assert_refused(path, false, 5, "bytes long");
	sb_free(&sb);
	free(path);
}

static const char good[] = "[osmigrate]\nversion = 1\nrunbook = endpoint-change\n";

Test(state, mode_group_readable_refused)
{
	char *path = xasprintf("%s/open.ini", tmpdir);

	spew(path, good, sizeof(good) - 1, 0640);
	assert_refused(path, false, 0, "chmod 600");
	spew(path, good, sizeof(good) - 1, 0602);
	assert_refused(path, false, 0, "chmod 600");
	/* answers files may be readable, never writable by others */
	spew(path, good, sizeof(good) - 1, 0644);
	{
		struct state_error err;
		struct doc *d = answers_load(path, &err);
		cr_assert(d, "%s", err.msg);
		doc_free(d);
	}
	spew(path, good, sizeof(good) - 1, 0664);
	assert_refused(path, true, 0, "chmod 600");
	free(path);
}

Test(state, symlink_refused)
{
	char *real = xasprintf("%s/real.ini", tmpdir);
	char *link = xasprintf("%s/link.ini", tmpdir);
	struct state_error err;

	spew(real, good, sizeof(good) - 1, 0600);
	cr_assert_eq(symlink(real, link), 0);
	cr_assert_null(state_open(link, &err));
	cr_assert_eq(err.code, EXIT_DATAERR);
	cr_assert(strstr(err.msg, "symbolic link"), "%s", err.msg);
	cr_assert_null(answers_load(link, &err));
	cr_assert(strstr(err.msg, "symbolic link"), "%s", err.msg);
	free(real);
	free(link);
}

Test(state, not_owned_refused)
{
	char *path = xasprintf("%s/other.ini", tmpdir);

	if (geteuid() != 0) {
		rm_tmpdir(); /* a skipped test does not run .fini */
		cr_skip_test("needs root to give a file away");
	}
	spew(path, good, sizeof(good) - 1, 0600);
	cr_assert_eq(chown(path, 65534, 65534), 0);
	assert_refused(path, false, 0, "owned by uid 65534");
	free(path);
}

Test(state, directory_refused)
{
	char *path = xasprintf("%s/adir.ini", tmpdir);
	struct state_error err;

	cr_assert_eq(mkdir(path, 0700), 0);
	cr_assert_null(state_open(path, &err));
	cr_assert_eq(err.code, EXIT_DATAERR);
	cr_assert(strstr(err.msg, "not a regular file"), "%s", err.msg);
	free(path);
}

/* ---- locking -------------------------------------------------------- */

/* A child opens the state and holds it until killed; returns its pid once
 * it has the lock. */
static pid_t hold_in_child(const char *path)
{
	int p[2];
	pid_t pid;
	char c;

	cr_assert_eq(pipe(p), 0);
	pid = fork();
	cr_assert_geq(pid, 0);
	if (pid == 0) {
		/* what a session holds while it writes a change (state_apply) */
		char *lp = xasprintf("%s.lock", path), msg[256];
		struct lock_holder h, stale;
		int fd;

		close(p[0]);
		if (lock_acquire(lp, &fd, &h, &stale, msg, sizeof msg) != LOCK_OK)
			_exit(1);
		if (write(p[1], "k", 1) != 1)
			_exit(1);
		for (;;)
			pause();
	}
	close(p[1]);
	cr_assert_eq(read(p[0], &c, 1), 1, "child could not lock");
	close(p[0]);
	return pid;
}

Test(state, second_open_refused_then_taken_over)
{
	char *path = xasprintf("%s/locked.ini", tmpdir);
	struct state_error err;
	struct state *st;
	pid_t pid;
	char host[256], *want;
	int status;

	spew(path, good, sizeof(good) - 1, 0600);
	pid = hold_in_child(path);
	state_lock_wait_ms = 200;
	st = state_open(path, &err);
	state_lock_wait_ms = 5000;
	cr_assert_null(st);
	cr_assert_eq(err.code, EXIT_LOCKED, "%s", err.msg);
	want = xasprintf("pid %ld", (long)pid);
	cr_assert(strstr(err.msg, want), "%s", err.msg);
	free(want);
	cr_assert_eq(gethostname(host, sizeof(host)), 0);
	cr_assert(strstr(err.msg, host), "%s", err.msg);
	cr_assert(strstr(err.msg, "since 20"), "%s", err.msg);
	cr_assert(strstr(err.msg, path), "%s", err.msg);

	/* status/report may still read it */
	st = state_open_readonly(path, &err);
	cr_assert(st, "%s", err.msg);
	cr_assert_eq(st->lock_fd, -1);
	cr_assert_str_eq(state_runbook(st), "endpoint-change");
	state_close(st);

	/* kill -9 leaves its lock file behind; the next open takes it over */
	cr_assert_eq(kill(pid, SIGKILL), 0);
	cr_assert_eq(waitpid(pid, &status, 0), pid);
	{
		char *lp = xasprintf("%s.lock", path);
		cr_assert_eq(access(lp, F_OK), 0, "a killed holder leaves its lock file");
		free(lp);
	}
	st = state_open(path, &err);
	cr_assert(st, "%s", err.msg);
	cr_assert_str_eq(state_runbook(st), "endpoint-change");
	state_close(st);
	{
		char *lp = xasprintf("%s.lock", path);
		cr_assert_neq(access(lp, F_OK), 0, "the lock file is removed once read");
		free(lp);
	}
	free(path);
}

Test(state, stale_lock_record_taken_over)
{
	char *path = xasprintf("%s/stale.ini", tmpdir);
	char *lp = xasprintf("%s/stale.ini.lock", tmpdir);
	static const char rec[] = "pid=999999\nhost=elsewhere\nsince=2026-01-01T00:00:00Z\n";
	struct state_error err;
	struct state *st;
	size_t len;
	char *now;

	spew(lp, rec, sizeof(rec) - 1, 0600);
	st = state_open(path, &err);
	cr_assert(st, "%s", err.msg);
	/* taken over, then released: no record of a holder is left */
	cr_assert_neq(access(lp, F_OK), 0, "the lock file is removed on release");
	state_set_runbook(st, "endpoint-change");
	spew(lp, rec, sizeof(rec) - 1, 0600);
	cr_assert(state_save(st, &err), "%s", err.msg);
	cr_assert_neq(access(lp, F_OK), 0);
	(void)now;
	(void)len;
	state_close(st);
	free(path);
	free(lp);
}

/* Two sessions on one file (issue 15): each saves only its own changes,
 * onto the file's content at that moment; neither loses the other's. */
Test(state, two_sessions_keep_each_others_changes)
{
	char *path = xasprintf("%s/twice.ini", tmpdir);
	struct state_error err;
	struct state *a = state_open(path, &err), *b;
	const char *by;

	cr_assert(a, "%s", err.msg);
	state_set_runbook(a, "restore-database");
	cr_assert(state_save(a, &err), "%s", err.msg);
	b = state_open(path, &err);
	cr_assert(b, "a second session opens the same file: %s", err.msg);
	cr_assert_not(state_file_changed(b));

	state_tick(a, "servers", "fe1", "stop", true);
	state_set_item_status(a, "servers", "fe1", STEP_DONE, NULL);
	cr_assert(state_save(a, &err), "%s", err.msg);
	cr_assert(state_file_changed(b), "b sees that a saved");
	/* b changed the same section meanwhile, from the file as it read it */
	state_tick(b, "servers", "fe1", "start", true);
	state_set_item_status(b, "servers", "fe2", STEP_DONE, NULL);
	state_set_note(b, "servers", NULL, "b was here");
	cr_assert(state_save(b, &err), "%s", err.msg);
	cr_assert_str_eq(b->conflict, "");
	/* b now sees a's change too */
	cr_assert(state_ticked(b, "servers", "fe1", "stop", NULL, NULL));
	cr_assert_eq(state_item_status(b, "servers", "fe1"), STEP_DONE);

	/* a's save (nothing of its own) writes nothing; its refresh reads b's */
	{
		bool changed = false;

		cr_assert(state_refresh(a, &changed, &err), "%s", err.msg);
		cr_assert(changed);
	}
	cr_assert(state_ticked(a, "servers", "fe1", "start", NULL, NULL));
	cr_assert_eq(state_item_status(a, "servers", "fe2"), STEP_DONE);
	cr_assert_str_eq(state_note(a, "servers", NULL), "b was here");

	/* both tick one action: the first tick stays, the second is told */
	state_tick(a, "servers", "fe2", "stop", true);
	cr_assert(state_save(a, &err), "%s", err.msg);
	doc_set(b->doc, "item", "servers:fe2", "tick.stop", "bob@admin2 2026-12-02T23:00:09Z");
	cr_assert(state_save(b, &err), "%s", err.msg);
	cr_assert(strstr(b->conflict, "servers:fe2: stop was already ticked by"), "%s", b->conflict);
	cr_assert(state_ticked(b, "servers", "fe2", "stop", &by, NULL));
	cr_assert_str_eq(by, operator_id(), "the first tick stays");

	/* a section one removed goes, one the other added stays */
	doc_add_section(a->doc, "server", "fe9");
	doc_set(a->doc, "server", "fe9", "role", "frontend");
	cr_assert(state_save(a, &err), "%s", err.msg);
	cr_assert(state_save(b, &err), "%s", err.msg);
	cr_assert_str_eq(doc_get(b->doc, "server", "fe9", "role"), "frontend");
	doc_remove_section(b->doc, "server", "fe9");
	cr_assert(state_save(b, &err), "%s", err.msg);
	cr_assert(state_save(a, &err), "%s", err.msg);
	cr_assert_not(doc_has_section(a->doc, "server", "fe9"));
	state_close(a);
	state_close(b);
	free(path);
}

/* Claims: recorded, shown, dropped when the item is done or on request;
 * two claims at once: the first stays, the second is told. */
Test(state, claims_are_advisory_and_released)
{
	char *path = xasprintf("%s/claims.ini", tmpdir);
	struct state_error err;
	struct state *a = state_open(path, &err), *b;
	const char *by, *at;

	cr_assert(a, "%s", err.msg);
	state_set_runbook(a, "restore-database");
	state_claim(a, "servers", "fe1", true);
	cr_assert(state_save(a, &err), "%s", err.msg);
	b = state_open(path, &err);
	cr_assert(b, "%s", err.msg);
	cr_assert(state_claimed(b, "servers", "fe1", &by, &at));
	cr_assert_str_eq(by, operator_id());
	cr_assert(iso8601_parse(at, &(time_t){ 0 }));
	/* advisory: another session ticks and finishes the claimed item */
	state_tick(b, "servers", "fe1", "stop", true);
	state_set_item_status(b, "servers", "fe1", STEP_DONE, NULL);
	cr_assert_not(state_claimed(b, "servers", "fe1", NULL, NULL), "done releases the claim");
	cr_assert(state_save(b, &err), "%s", err.msg);
	cr_assert(state_ticked(b, "servers", "fe1", "stop", NULL, NULL));
	/* release on request */
	state_claim(a, "servers", "fe2", true);
	cr_assert(state_save(a, &err), "%s", err.msg);
	state_claim(a, "servers", "fe2", false);
	cr_assert(state_save(a, &err), "%s", err.msg);
	cr_assert_not(state_claimed(a, "servers", "fe2", NULL, NULL));
	/* both claim fe3: the first claim stays */
	state_claim(a, "servers", "fe3", true);
	cr_assert(state_save(a, &err), "%s", err.msg);
	doc_set(b->doc, "item", "servers:fe3", "claim", "bob@admin2 2026-12-02T23:00:09Z");
	cr_assert(state_save(b, &err), "%s", err.msg);
	cr_assert(strstr(b->conflict, "fe3: already claimed by"), "%s", b->conflict);
	cr_assert(state_claimed(b, "servers", "fe3", &by, NULL));
	cr_assert_str_eq(by, operator_id());
	state_close(a);
	state_close(b);
	free(path);
}

/* Presence: each wizard's line with a heartbeat; the others alive are
 * listed, a stale line or a dead pid is not, the last one out removes the
 * file. */
Test(state, presence_names_the_sessions_alive)
{
	char *path = xasprintf("%s/p.ini", tmpdir), *pp = xasprintf("%s.presence", path);
	char host[128], now[OSM_ISO_LEN], *lines;
	struct presence *ps;
	struct stat sb;
	size_t n;

	cr_assert(presence_beat(path));
	cr_assert_eq(stat(pp, &sb), 0);
	cr_assert_eq(sb.st_mode & 07777, 0600);
	cr_assert_eq(presence_list(path, &ps), 0, "this process is not 'another session'");
	cr_assert_eq(gethostname(host, sizeof host), 0);
	iso8601_now(now);
	/* pid 1 is alive on this host; 999999 is not; the third is too old */
	lines = xasprintf("P1\t1\t%s\talice@admin1\t%s\nP1\t999999\t%s\tgone@x\t%s\n"
			  "P1\t1\telsewhere\told@y\t2026-01-01T00:00:00Z\n", host, now, host, now);
	{
		FILE *f = fopen(pp, "a");

		cr_assert(f);
		fputs(lines, f);
		fclose(f);
	}
	free(lines);
	n = presence_list(path, &ps);
	cr_assert_eq(n, 1);
	cr_assert_eq(ps[0].pid, 1);
	cr_assert_str_eq(ps[0].op, "alice@admin1");
	free(ps);
	presence_leave(path);
	cr_assert_eq(stat(pp, &sb), 0, "another session is still there");
	cr_assert_eq(presence_list(path, &ps), 1);
	free(ps);
	free(pp);
	free(path);
}

/* A change waits for another one being written, up to a bound, then names
 * the holder; the file read then is the content at that moment. */
Test(state, busy_lock_waits_then_names_the_holder)
{
	char *path = xasprintf("%s/busy.ini", tmpdir);
	char *lp = xasprintf("%s.lock", path);
	struct state_error err;
	struct lock_holder h, stale;
	struct state *st = state_open(path, &err);
	char msg[256], *want;
	long long t0;
	int fd;

	cr_assert(st, "%s", err.msg);
	state_set_runbook(st, "endpoint-change");
	cr_assert(state_save(st, &err), "%s", err.msg);
	cr_assert_eq(lock_acquire(lp, &fd, &h, &stale, msg, sizeof msg), LOCK_OK, "%s", msg);
	state_lock_wait_ms = 300;
	state_set_note(st, "dns", NULL, "waited");
	t0 = mono_ms();
	cr_assert_not(state_save(st, &err));
	cr_assert_geq(mono_ms() - t0, 300, "gave up before the bound");
	cr_assert_eq(err.code, EXIT_LOCKED, "%s", err.msg);
	want = xasprintf("pid %ld", (long)getpid());
	cr_assert(strstr(err.msg, want), "%s", err.msg);
	free(want);
	lock_release(fd, lp);
	cr_assert(state_save(st, &err), "%s", err.msg);
	state_lock_wait_ms = 5000;
	state_close(st);
	st = state_open_readonly(path, &err);
	cr_assert_str_eq(state_note(st, "dns", NULL), "waited");
	state_close(st);
	free(lp);
	free(path);
}

/* A corrupt file found when a change is made: named by line, never
 * overwritten, this session's change kept to save later. */
Test(state, corrupt_on_reload_never_overwritten)
{
	char *path = xasprintf("%s/corrupt.ini", tmpdir);
	struct state_error err;
	struct state *st = state_open(path, &err);
	size_t len;
	char *text;

	cr_assert(st, "%s", err.msg);
	state_set_runbook(st, "endpoint-change");
	cr_assert(state_save(st, &err), "%s", err.msg);
	spew(path, "[osmigrate]\nversion = 1\nbogus line\n", 35, 0600);
	state_set_note(st, "dns", NULL, "mine");
	cr_assert_not(state_save(st, &err));
	cr_assert_eq(err.code, EXIT_DATAERR, "%s", err.msg);
	cr_assert(strstr(err.msg, "line 3"), "%s", err.msg);
	text = slurp(path, &len);
	cr_assert_str_eq(text, "[osmigrate]\nversion = 1\nbogus line\n");
	free(text);
	cr_assert(state_changed(st), "the change is still this session's to save");
	state_close(st);
	free(path);
}

/* A start over is seen by the other sessions: their next read is the new
 * procedure, their unsaved change is refused with who restarted. */
Test(state, start_over_seen_by_another_session)
{
	char *path = xasprintf("%s/restart.ini", tmpdir);
	struct state_error err;
	struct state *a = state_open(path, &err), *b;
	bool changed;

	cr_assert(a, "%s", err.msg);
	state_set_runbook(a, "endpoint-change");
	state_set_step_status(a, "dns", STEP_DONE, NULL);
	cr_assert(state_save(a, &err), "%s", err.msg);
	b = state_open(path, &err);
	cr_assert(b, "%s", err.msg);
	cr_assert(state_start_over(a, &err), "%s", err.msg);
	state_set_note(b, "dns", NULL, "too late");
	cr_assert_not(state_save(b, &err));
	cr_assert(b->restarted);
	cr_assert(strstr(err.msg, "restarted by"), "%s", err.msg);
	cr_assert_eq(state_step_status(b, "dns"), STEP_PENDING, "b shows the new procedure");
	cr_assert_null(state_note(b, "dns", NULL));
	cr_assert_not(state_changed(b));
	/* and a refresh after another restart says so too */
	cr_assert(state_start_over(a, &err), "%s", err.msg);
	cr_assert(state_refresh(b, &changed, &err), "%s", err.msg);
	cr_assert(changed);
	cr_assert(b->restarted);
	state_close(a);
	state_close(b);
	free(path);
}

Test(state, file_created_meanwhile_is_not_overwritten)
{
	char *path = xasprintf("%s/new/dir/race.ini", tmpdir);
	struct state_error err;
	struct state *a = state_open(path, &err), *b;
	size_t len;
	char *text;

	/* Both open a state whose directory does not exist yet: the first save
	 * creates it and the second must not overwrite it with another
	 * procedure. */
	cr_assert(a, "%s", err.msg);
	b = state_open(path, &err);
	cr_assert(b, "%s", err.msg);
	state_set_runbook(b, "endpoint-change");
	cr_assert(state_save(b, &err), "%s", err.msg);
	state_close(b);
	state_set_runbook(a, "restore-database");
	cr_assert_not(state_save(a, &err));
	cr_assert_eq(err.code, EXIT_LOCKED, "%s", err.msg);
	cr_assert(strstr(err.msg, "the state of the runbook 'endpoint-change' meanwhile"), "%s", err.msg);
	text = slurp(path, &len);
	cr_assert(strstr(text, "endpoint-change"), "%s", text);
	free(text);
	state_close(a);
	free(path);
}

Test(state, unsafe_lock_file_refused_with_what_it_is)
{
	char *path = xasprintf("%s/fifo.ini", tmpdir);
	char *lp = xasprintf("%s.lock", path);
	struct state_error err;

	cr_assert_eq(mkfifo(lp, 0600), 0);
	cr_assert_null(state_open(path, &err));
	cr_assert_eq(err.code, EXIT_DATAERR, "%s", err.msg);
	cr_assert(strstr(err.msg, "is a FIFO (named pipe), not a regular file"), "%s", err.msg);
	cr_assert(strstr(err.msg, "did not open the state file"), "%s", err.msg);
	unlink(lp);
	cr_assert_eq(symlink("/dev/null", lp), 0);
	cr_assert_null(state_open(path, &err));
	cr_assert(strstr(err.msg, "is a symbolic link"), "%s", err.msg);
	free(lp);
	free(path);
}

Test(state, foreign_lock_file_names_its_owner)
{
	char *path = xasprintf("%s/theirs.ini", tmpdir);
	char *lp = xasprintf("%s.lock", path);
	struct state_error err;

	if (geteuid() != 0) {
		free(lp);
		free(path);
		rm_tmpdir(); /* a skipped test does not run .fini */
		cr_skip_test("needs root to give a file away");
	}
	spew(path, good, sizeof(good) - 1, 0600);
	spew(lp, "pid=1\n", 6, 0600);
	cr_assert_eq(chown(lp, 65534, 65534), 0);
	cr_assert_null(state_open(path, &err));
	cr_assert_eq(err.code, EXIT_LOCKED, "%s", err.msg);
	cr_assert(strstr(err.msg, "belongs to the user"), "%s", err.msg);
	cr_assert(strstr(err.msg, "(uid 65534), not to you (uid 0)"), "%s", err.msg);
	cr_assert(strstr(err.msg, "did not open the state file"), "%s", err.msg);
	cr_assert_null(strstr(err.msg, "directory writable"), "%s", err.msg);
	free(lp);
	free(path);
}

/* ---- atomic save ---------------------------------------------------- */

static int count_entries(const char *dir)
{
	char *cmd = xasprintf("ls -A '%s' | wc -l", dir);
	FILE *p = popen(cmd, "r");
	int n = -1;

	cr_assert(p);
	cr_assert_eq(fscanf(p, "%d", &n), 1);
	pclose(p);
	free(cmd);
	return n;
}

Test(state, failing_save_keeps_old_file)
{
	char *path = xasprintf("%s/fsize.ini", tmpdir);
	struct state_error err;
	struct state *st = state_open(path, &err);
	struct rlimit old, small;
	char *before, *after;
	size_t blen, alen;
	struct strbuf big = STRBUF_INIT;

	cr_assert(st, "%s", err.msg);
	state_set_runbook(st, "restore-database");
	cr_assert(state_save(st, &err), "%s", err.msg);
	before = slurp(path, &blen);
	for (int i = 0; i < 2000; i++)
		sb_add(&big, "a long note that will not fit ");
	state_set_note(st, "restore", NULL, sb_str(&big));
	cr_assert_eq(getrlimit(RLIMIT_FSIZE, &old), 0);
	small = old;
	small.rlim_cur = 4096;
	cr_assert_eq(setrlimit(RLIMIT_FSIZE, &small), 0);
	cr_assert_not(state_save(st, &err));
	cr_assert_eq(setrlimit(RLIMIT_FSIZE, &old), 0);
	cr_assert_eq(err.code, EXIT_IOERR);
	cr_assert(strstr(err.msg, "previous version of the file is intact"), "%s", err.msg);
	cr_assert(strstr(err.msg, path), "%s", err.msg);
	after = slurp(path, &alen);
	cr_assert_eq(alen, blen);
	cr_assert_eq(memcmp(before, after, blen), 0);
	/* the state file, nothing else (no temp file; the lock is released) */
	cr_assert_eq(count_entries(tmpdir), 1);
	/* and it works again once there is room */
	cr_assert(state_save(st, &err), "%s", err.msg);
	state_close(st);
	st = state_open(path, &err);
	cr_assert(st, "%s", err.msg);
	cr_assert_str_eq(state_note(st, "restore", NULL), sb_str(&big));
	state_close(st);
	sb_free(&big);
	free(before);
	free(after);
	free(path);
}

Test(state, readonly_directory_save_fails)
{
	char *dir = xasprintf("%s/ro", tmpdir);
	char *path = xasprintf("%s/ro/x.ini", tmpdir);
	struct state_error err;
	struct state *st;

	if (geteuid() == 0) {
		rm_tmpdir(); /* a skipped test does not run .fini */
		cr_skip_test("root writes into read-only directories (RLIMIT_FSIZE test covers this)");
	}
	st = state_open(path, &err);
	cr_assert(st, "%s", err.msg);
	cr_assert(state_save(st, &err), "%s", err.msg);
	cr_assert_eq(chmod(dir, 0500), 0);
	cr_assert_not(state_save(st, &err));
	cr_assert_eq(err.code, EXIT_IOERR);
	cr_assert(strstr(err.msg, "intact"), "%s", err.msg);
	cr_assert_eq(chmod(dir, 0700), 0);
	state_close(st);
	free(dir);
	free(path);
}

/* kill -9 at random moments while a child saves in a loop: the file always
 * parses and holds a complete generation. */
Test(state, kill9_during_saves_never_tears, .timeout = 120)
{
	char *path = xasprintf("%s/crash.ini", tmpdir);
	struct state_error err;
	struct state *st = state_open(path, &err);

	cr_assert(st, "%s", err.msg);
	state_set_runbook(st, "connector-migration");
	cr_assert(state_save(st, &err));
	state_close(st);
	srand((unsigned)getpid());
	for (int round = 0; round < 200; round++) {
		int pfd[2], status, last = -1, v;
		pid_t pid;

		cr_assert_eq(pipe(pfd), 0);
		pid = fork();
		cr_assert_geq(pid, 0);
		if (pid == 0) {
			struct state *c;
			close(pfd[0]);
			c = state_open(path, &err);
			if (!c)
				_exit(3);
			for (int i = 0;; i++) {
				char *note = xasprintf("generation %d of round %d", i, round);
				/* a body that changes size each time */
				for (int k = 0; k < i % 40; k++)
					state_set_field(c, "connection", "pad", note);
				state_set_note(c, "rebind", NULL, note);
				state_set_field(c, "connection", "copy", note);
				free(note);
				if (!state_save(c, &err))
					_exit(4);
				/* reported saved: it must survive the kill */
				if (write(pfd[1], &i, sizeof(i)) != sizeof(i))
					_exit(5);
			}
		}
		close(pfd[1]);
		usleep((useconds_t)(rand() % 20000));
		kill(pid, SIGKILL);
		cr_assert_eq(waitpid(pid, &status, 0), pid);
		cr_assert(WIFSIGNALED(status), "child exited %d", WEXITSTATUS(status));
		while (read(pfd[0], &v, sizeof(v)) == sizeof(v))
			last = v;
		close(pfd[0]);
		st = state_open(path, &err);
		cr_assert(st, "round %d: %s", round, err.msg);
		cr_assert_str_eq(state_runbook(st), "connector-migration");
		if (last >= 0) {
			const char *note = state_note(st, "rebind", NULL);
			int gen = -1, r = -1;
			cr_assert(note);
			cr_assert_eq(sscanf(note, "generation %d of round %d", &gen, &r), 2);
			cr_assert_eq(r, round, "round %d lost: %s", round, note);
			cr_assert_geq(gen, last, "round %d: generation %d reported saved, file has %d", round, last, gen);
		}
		if (state_note(st, "rebind", NULL))
			cr_assert_str_eq(state_note(st, "rebind", NULL), state_field(st, "connection", "copy"));
		state_close(st);
	}
	/* crash.ini and at most a left-over lock of the last child */
	cr_assert_leq(count_entries(tmpdir), 2);
	free(path);
}

/* ---- start over ----------------------------------------------------- */

Test(state, start_over_keeps_backup)
{
	char *path = xasprintf("%s/again.ini", tmpdir);
	struct state_error err;
	struct state *st = state_open(path, &err);
	char *old_instance;

	cr_assert(st);
	state_set_runbook(st, "endpoint-change");
	state_set_step_status(st, "dns", STEP_DONE, NULL);
	cr_assert(state_save(st, &err));
	old_instance = xstrdup(doc_get(st->doc, "osmigrate", NULL, "instance"));
	cr_assert(state_start_over(st, &err), "%s", err.msg);
	cr_assert_str_eq(state_runbook(st), "endpoint-change");
	cr_assert_eq(state_step_status(st, "dns"), STEP_PENDING);
	/* the new procedure is on disk at once, a new instance */
	cr_assert_eq(access(path, F_OK), 0);
	cr_assert_str_neq(doc_get(st->doc, "osmigrate", NULL, "instance"), old_instance);
	free(old_instance);
	cr_assert(state_save(st, &err));
	/* a second start over in the same second must not overwrite the first backup */
	cr_assert(state_start_over(st, &err), "%s", err.msg);
	{
		char *cmd = xasprintf("ls '%s' | grep -c '^again\\.ini\\.[0-9]\\{8\\}T[0-9]\\{6\\}Z\\(-[0-9]*\\)\\?\\.bak$'", tmpdir);
		FILE *p = popen(cmd, "r");
		int n = 0;
		cr_assert_eq(fscanf(p, "%d", &n), 1);
		pclose(p);
		cr_assert_eq(n, 2);
		free(cmd);
	}
	state_close(st);
	free(path);
}

/* Notes, reasons and form fields keep no password: what the wizard's note
 * editor, `mark --note/--reason` and the skip/override prompts store goes
 * through state_set_note / state_set_*_status / state_set_field. */
Test(state, free_text_is_stored_masked)
{
	struct state_error err;
	char *path = xasprintf("%s/masked.ini", tmpdir);
	struct state *st = state_open(path, &err);
	char *text;
	size_t len;

	cr_assert(st, "%s", err.msg);
	state_set_runbook(st, "connector-migration");
	state_set_note(st, "rebind", NULL, "tried postgresql://app:pa?ss-one@db/orders");
	state_set_note(st, "rebind", "Orders DB", "postgresql://db/x?pass%77ord=two-secret&a=b");
	state_set_step_status(st, "refresh", STEP_SKIPPED, "psql postgresql://u:three-secret@h");
	state_set_field(st, "connection", "conninfo", "host=h password='four secret'");
	cr_assert_str_eq(state_note(st, "rebind", NULL), "tried postgresql://app:***@db/orders");
	cr_assert_str_eq(state_note(st, "rebind", "Orders DB"), "postgresql://db/x?pass%77ord=***&a=b");
	cr_assert_str_eq(doc_get(st->doc, "step", "refresh", "reason"), "psql postgresql://u:***@h");
	cr_assert_str_eq(state_field(st, "connection", "conninfo"), "host=h password=***");
	cr_assert(state_save(st, &err), "%s", err.msg);
	state_close(st);
	text = slurp(path, &len);
	cr_assert_null(strstr(text, "secret"), "%s", text);
	cr_assert_null(strstr(text, "pa?ss"), "%s", text);
	free(text);
	/* What was saved loads again. */
	st = state_open(path, &err);
	cr_assert(st, "%s", err.msg);
	state_close(st);
	free(path);
}

/* A note written by hand or by an older osmigrate is masked when the file
 * is read, so status, the report and the wizard never show it, and the
 * next save drops it. */
Test(state, hand_written_note_is_masked_on_load)
{
	struct state_error err;
	char *path = xasprintf("%s/old.ini", tmpdir);
	static const char hand_text[] =
		"[osmigrate]\nversion = 1\nrunbook = connector-migration\n"
		"created = 2026-11-22T04:00:00Z\n\n"
		"[step \"rebind\"]\nnote = was postgresql://app:hunter2@db/orders\n"
		"reason = host=db password=hunter3\n";
	struct state *st;
	char *back;
	size_t len;

	spew(path, hand_text, sizeof hand_text - 1, 0600);
	st = state_open_readonly(path, &err);
	cr_assert(st, "%s", err.msg);
	cr_assert_str_eq(state_note(st, "rebind", NULL), "was postgresql://app:***@db/orders");
	cr_assert_str_eq(doc_get(st->doc, "step", "rebind", "reason"), "host=db password=***");
	state_close(st);
	st = state_open(path, &err);
	cr_assert(st, "%s", err.msg);
	cr_assert(state_save(st, &err), "%s", err.msg);
	state_close(st);
	back = slurp(path, &len);
	cr_assert_null(strstr(back, "hunter"), "%s", back);
	free(back);
	free(path);
}

/* ---- answers files and settings -------------------------------------- */

Test(state, answers_save_load_merge)
{
	char *path = xasprintf("%s/answers/demo.ini", tmpdir);
	struct state_error err;
	struct doc *d = doc_new(), *back, *dst;
	struct stat sb;

	doc_set(d, "osmigrate", NULL, "version", "1");
	doc_set(d, "target", NULL, "host", "127.0.0.1");
	doc_set(d, "target", NULL, "port", "5433");
	doc_set(d, "target", NULL, "sslmode", "verify-full");
	doc_set(d, "extension", "Orders; \"DB\" [eu]", "tables", "sales.orders sales.lines");
	doc_set(d, "server", "fe-01", "role", "frontend");
	doc_set(d, "step", "rebind", "status", "done");            /* progress: not saved */
	doc_set(d, "check", "target_connect", "status", "ok");      /* nor this */
	cr_assert(answers_save(d, path, &err), "%s", err.msg);
	cr_assert_eq(stat(path, &sb), 0);
	cr_assert_eq(sb.st_mode & 07777, 0600);
	back = answers_load(path, &err);
	cr_assert(back, "%s", err.msg);
	cr_assert_str_eq(doc_get(back, "target", NULL, "port"), "5433");
	cr_assert_str_eq(doc_get(back, "extension", "Orders; \"DB\" [eu]", "tables"), "sales.orders sales.lines");
	cr_assert_not(doc_has_section(back, "step", "rebind"));
	cr_assert_not(doc_has_section(back, "check", "target_connect"));

	dst = doc_new();
	doc_set(dst, "target", NULL, "port", "5432");
	doc_set(dst, "step", "rebind", "status", "pending");
	settings_merge(dst, back);
	cr_assert_str_eq(doc_get(dst, "target", NULL, "port"), "5433");
	cr_assert_str_eq(doc_get(dst, "server", "fe-01", "role"), "frontend");
	cr_assert_str_eq(doc_get(dst, "step", "rebind", "status"), "pending");
	cr_assert_null(doc_get(dst, "osmigrate", NULL, "version"));
	doc_free(dst);
	doc_free(back);
	doc_free(d);

	cr_assert_null(answers_load("/nonexistent/answers.ini", &err));
	cr_assert_eq(err.code, EXIT_USAGE);
	cr_assert(strstr(err.msg, "/nonexistent/answers.ini"));
	free(path);
}

Test(state, section_kinds)
{
	cr_assert(section_is_setting("target"));
	cr_assert(section_is_setting("extension"));
	cr_assert(section_is_setting("compare"));
	cr_assert_not(section_is_setting("step"));
	cr_assert_not(section_is_setting("osmigrate"));
	cr_assert_not(section_is_setting("nonsense"));
	cr_assert_not(section_is_setting(NULL));
}

struct vcase {
	const char *kind, *name, *key, *value;
	bool ok;
	const char *sub; /* message substring when refused */
};

static const struct vcase vcases[] = {
	{ "target", NULL, "host", "db.example.com", true, NULL },
	{ "target", NULL, "host", "10.0.0.5", true, NULL },
	{ "target", NULL, "host", "::1", true, NULL },
	{ "target", NULL, "host", "/var/run/postgresql", true, NULL },
	{ "target", NULL, "host", "db example", false, "host name" },
	{ "target", NULL, "host", "", false, "1 to 255" },
	{ "target", NULL, "port", "5432", true, NULL },
	{ "target", NULL, "port", "0", false, "1 to 65535" },
	{ "target", NULL, "port", "65536", false, "1 to 65535" },
	{ "target", NULL, "port", "54a", false, "1 to 65535" },
	{ "target", NULL, "port", "-1", false, "1 to 65535" },
	{ "target", NULL, "sslmode", "verify-full", true, NULL },
	{ "target", NULL, "sslmode", "VERIFY-FULL", false, "sslmode" },
	{ "target", NULL, "connect_timeout", "10", true, NULL },
	{ "target", NULL, "connect_timeout", "0", false, "1 to 3600" },
	{ "target", NULL, "dbname", "orders", true, NULL },
	{ "target", NULL, "dbname", "or\nders", false, "control" },
	{ "target", NULL, "dbname", "postgresql://app@db:5432/orders?sslmode=require", true, NULL },
	{ "target", NULL, "dbname", "host=db dbname=orders password=x", false, "password" },
	{ "source", NULL, "dbname", "postgres://app:pw@db/orders", false, "password" },
	{ "target", NULL, "user", "", false, "empty" },
	{ "target", NULL, "service", "demo", true, NULL },
	{ "target", NULL, "service", "de mo", false, "pg_service" },
	{ "target", NULL, "conninfo", "host=db dbname=x", true, NULL },
	{ "target", NULL, "conninfo", "host=db password=x", false, "password" },
	{ "target", NULL, "conninfo", "postgresql://u@db/x", true, NULL },
	{ "target", NULL, "conninfo", "host=db sslpassword=x", false, "password" },
	{ "target", NULL, "conninfo", "postgresql://db/x?password=y", false, "password" },
	{ "target", NULL, "conninfo", "postgresql://[::1]:5432/x", true, NULL },
	{ "target", NULL, "conninfo", "host=db passfile=/home/op/.pgpass", true, NULL },
	{ "target", NULL, "conninfo", "postgresql://u:p@db/x", false, "password" },
	/* libpq's own parser: a '?' in the password, a percent-encoded keyword,
	 * a password only libpq can find; the fix is named. */
	{ "target", NULL, "conninfo", "postgresql://user:pa?ss@host/db", false, "PGPASSWORD" },
	{ "target", NULL, "conninfo", "postgresql://h/db?pass%77ord=x", false, "~/.pgpass" },
	{ "target", NULL, "conninfo", "postgresql://h/db?PASS%57ORD=x", false, "password" },
	{ "target", NULL, "conninfo", "postgresql://u:p%40ss@h/db", false, "password" },
	{ "target", NULL, "conninfo", "postgresql://u:s3cret@[::1/db", false, "password" },
	{ "target", NULL, "conninfo", "dbname=postgresql://u:s3cret@h", false, "password" },
	{ "target", NULL, "conninfo", "postgresql://u:@h/db", true, NULL },
	{ "target", NULL, "conninfo", "postgresql://h/db?passfile=/home/op/.pgpass", true, NULL },
	{ "target", NULL, "dbname", "postgresql://u:pa?ss@h/db", false, "service" },
	/* libpq cannot parse it (no such keyword): the cautious reading refuses */
	{ "source", NULL, "dbname", "host=h dbname=d pass%77ord=x", false, "password" },
	{ "compare", NULL, "old", "postgresql://h/db?pass%77ord=x", false, "password" },
	{ "compare", NULL, "new", "service=new sslpassword=k", false, "password" },
	{ "step", "rebind", "field.conninfo", "postgresql://u:pa?ss@h/db", false, "password" },
	{ "step", "rebind", "field.conninfo", "postgresql://h/db?pass%77ord=x", false, "password" },
	{ "step", "rebind", "field.conninfo", "postgresql://u:***@h/db", true, NULL },
	{ "step", "rebind", "field.conninfo", "host=h password=***", true, NULL },
	{ "target", NULL, "password", "x", false, "password or token" },
	{ "target", NULL, "PassWord", "x", false, "password or token" },
	{ "lifetime", NULL, "url", "https://lt.example.com/lifetime", true, NULL },
	{ "lifetime", NULL, "url", "http://127.0.0.1:8080/", true, NULL },
	{ "lifetime", NULL, "url", "lt.example.com", false, "http://" },
	{ "lifetime", NULL, "url", "javascript:alert(1)", false, "http://" },
	{ "lifetime", NULL, "url", "https://", false, "no host" },
	{ "lifetime", NULL, "url", "https://a b/", false, "space" },
	{ "lifetime", NULL, "url", "https://u:p@h/", false, "user name" },
	{ "lifetime", NULL, "token_file", "/home/me/.lt-token", true, NULL },
	{ "lifetime", NULL, "token", "abc", false, "password or token" },
	{ "http", NULL, "timeout", "3601", false, "1 to 3600" },
	{ "endpoint", NULL, "old", "db.example.com:5432", true, NULL },
	{ "endpoint", NULL, "old", "[::1]:5432", true, NULL },
	{ "endpoint", NULL, "old", "::1:5432", false, "in brackets" },
	{ "endpoint", NULL, "new", "db:99999", false, "1-65535" },
	{ "endpoint", NULL, "new", ":5432", false, "host:port" },
	{ "compare", NULL, "old", "service=old", true, NULL },
	{ "server", "fe-01", "role", "controller", true, NULL },
	{ "server", "fe-01", "role", "Controller", false, "controller or frontend" },
	{ "server", "fe\x01", NULL, NULL, false, "control" },
	{ "server", NULL, NULL, NULL, false, "needs a name" },
	{ "extension", "Orders DB", NULL, NULL, true, NULL },
	{ "extension", "", NULL, NULL, false, "empty" },
	{ "extension", "Orders", "tables", "s.a s.b", true, NULL },
	{ "extension", "Orders", "tables", "\"My Schema\".\"Order Lines\" s.b", true, NULL },
	{ "extension", "Orders", "tables", "\"My Schema.Order Lines", false, "schema.table" },
	/* the one-pass check of plain lists agrees with names_qualified */
	{ "extension", "Orders", "tables", "", true, NULL },
	{ "extension", "Orders", "tables", " s.a,s.b ,  s.c ", true, NULL },
	{ "extension", "Orders", "tables", "s.a\ts.b", false, "schema.table" },
	{ "extension", "Orders", "tables", "s.a\ns.b", false, "schema.table" },
	{ "extension", "Orders", "tables", "s.a s\x7f.b", false, "schema.table" },
	{ "extension", "Orders", "tables", "s.a s.b.c", false, "'s.b.c' is not schema.table" },
	{ "extension", "Orders", "tables", "s.a .b", false, "'.b' is not schema.table" },
	{ "extension", "Orders", "tables", "s.a b.", false, "'b.' is not schema.table" },
	{ "extension", "Orders", "tables", "s.a b", false, "'b' is not schema.table" },
	{ "extension", "Orders", "tables", "s..a", false, "'s..a' is not schema.table" },
	{ "extension", "Orders", "tables", "s.a \"s\".b", true, NULL },
	{ "extension", "Orders", "tables", "s.a \"s.b\"", false, "schema.table" },
	{ "extension", "Orders", "colour", "red", false, "unknown key 'colour' in section [extension]" },
	{ "environment", "Production", "hostname", "prod.example.com", true, NULL },
	{ "scope", NULL, "schemas", "sales, hr", true, NULL },
	{ "target", "prod", NULL, NULL, false, "takes no name" },
	{ "colour", NULL, NULL, NULL, false, "unknown section [colour]" },
	{ "step", "rebind", "tick.open_lifetime", "me@host 2026-11-22T04:31:00Z", true, NULL },
	{ "step", "rebind", "tick.", "x", false, "unknown key" },
	{ "step", "rebind", "field.old_version", "11.18.1", true, NULL },
	{ "step", "rebind", "status", "in-progress", true, NULL },
	{ "item", "rebind:Orders DB", NULL, NULL, true, NULL },
	{ "check", "target_connect:Orders", NULL, NULL, true, NULL },
	{ "check", "target_connect", "status", "error", true, NULL },
	{ "finding", "12", "severity", "blocker", true, NULL },
	{ "osmigrate", NULL, "version", "1", true, NULL },
	{ "osmigrate", NULL, "version", "2", false, "newer osmigrate" },
};

Test(state, settings_validate_table)
{
	char msg[512];

	for (size_t i = 0; i < OSM_ARRAY_LEN(vcases); i++) {
		const struct vcase *c = &vcases[i];
		bool ok;
		msg[0] = '\0';
		ok = settings_validate(c->kind, c->name, c->key, c->value, msg, sizeof(msg));
		cr_assert_eq(ok, c->ok, "case %zu [%s] %s = %s: %s", i, c->kind, c->key ? c->key : "(section)",
			     c->value ? c->value : "", msg);
		if (!ok)
			cr_assert(strstr(msg, c->sub), "case %zu: '%s' lacks '%s'", i, msg, c->sub);
	}
}

Test(state, default_paths)
{
	char *p;

	setenv("XDG_STATE_HOME", "/xdg/state", 1);
	p = state_default_path("endpoint-change");
	cr_assert_str_eq(p, "/xdg/state/osmigrate/endpoint-change.ini");
	free(p);
	setenv("XDG_STATE_HOME", "relative/ignored", 1);
	setenv("HOME", "/home/op", 1);
	p = state_default_dir();
	cr_assert_str_eq(p, "/home/op/.local/state/osmigrate");
	free(p);
	unsetenv("XDG_STATE_HOME");
	p = state_default_path("restore-database");
	cr_assert_str_eq(p, "/home/op/.local/state/osmigrate/restore-database.ini");
	free(p);
}

Test(state, status_names_and_marks)
{
	enum step_status s;

	for (int i = STEP_PENDING; i <= STEP_FAILED; i++) {
		cr_assert(step_status_parse(step_status_name((enum step_status)i), &s));
		cr_assert_eq((int)s, i);
	}
	cr_assert_str_eq(step_status_mark(STEP_DONE), "[x]");
	cr_assert_str_eq(step_status_mark(STEP_IN_PROGRESS), "[>]");
	cr_assert_str_eq(step_status_mark(STEP_SKIPPED), "[-]");
	cr_assert_str_eq(step_status_mark(STEP_FAILED), "[!]");
	cr_assert_str_eq(step_status_mark(STEP_PENDING), "[ ]");
	cr_assert_not(step_status_parse("Done", &s));
	cr_assert_not(step_status_parse(NULL, &s));
}

/* Everything the accessors write must pass the strict reader: a state with
 * hostile names and values saves and loads back identically. */
static int count_handler(void *user, const char *section, const char *name, const char *value)
{
	(void)section, (void)name, (void)value;
	(*(int *)user)++;
	return 1;
}

Test(state, hostile_values_roundtrip)
{
	char *path = xasprintf("%s/hostile.ini", tmpdir);
	struct state_error err;
	struct state *st = state_open(path, &err);
	static const char *const items[] = { "Orders \"DB\"", "a]b[c", "semi;colon", "back\\slash", "caf\xc3\xa9",
					     "  padded  ", "x:y:z" };
	struct strbuf note = STRBUF_INIT;

	cr_assert(st);
	state_set_runbook(st, "connector-migration");
	for (int i = 0; i < 5000; i++)
		sb_addc(&note, "ab ;#=[]\"\\\n\t\r"[i % 13]);
	for (size_t i = 0; i < OSM_ARRAY_LEN(items); i++) {
		state_set_item_status(st, "rebind", items[i], STEP_SKIPPED, sb_str(&note));
		state_tick(st, "rebind", items[i], "select_connection", true);
		state_set_note(st, "rebind", items[i], items[i]);
	}
	state_set_field(st, "connection", "old_version", " leading and trailing ");
	cr_assert(state_save(st, &err), "%s", err.msg);
	state_close(st);
	/* every line fits Debian's libinih, which reads the whole file cleanly */
	{
		size_t len;
		char *text = slurp(path, &len);
		int lines = 0;
		for (char *p = text, *e; *p; p = e + 1, lines++) {
			e = strchr(p, '\n');
			cr_assert(e);
			cr_assert_leq(e - p + 1, 200, "line %d: %.40s", lines + 1, p);
		}
		cr_assert_gt(lines, 100, "only %d lines:\n%s", lines, text);
		cr_assert_eq(ini_parse_string(text, count_handler, &(int){ 0 }), 0);
		free(text);
	}
	st = state_open(path, &err);
	cr_assert(st, "%s", err.msg);
	for (size_t i = 0; i < OSM_ARRAY_LEN(items); i++) {
		char *sec = state_item_section("rebind", items[i]);
		cr_assert_eq(state_item_status(st, "rebind", items[i]), STEP_SKIPPED);
		cr_assert_str_eq(doc_get(st->doc, "item", sec, "reason"), sb_str(&note));
		cr_assert_str_eq(state_note(st, "rebind", items[i]), items[i]);
		cr_assert(state_ticked(st, "rebind", items[i], "select_connection", NULL, NULL));
		free(sec);
	}
	cr_assert_str_eq(state_field(st, "connection", "old_version"), " leading and trailing ");
	state_close(st);
	sb_free(&note);
	free(path);
}

Test(state, save_refuses_what_load_would_refuse)
{
	char *path = xasprintf("%s/guard.ini", tmpdir);
	struct state_error err;
	struct state *st = state_open(path, &err);
	char *before;
	size_t blen, alen;
	char *after;

	cr_assert(st);
	state_set_runbook(st, "connector-migration");
	cr_assert(state_save(st, &err), "%s", err.msg);
	before = slurp(path, &blen);
	state_set_item_status(st, "rebind", "bad\x01name", STEP_DONE, NULL);
	cr_assert_not(state_save(st, &err));
	cr_assert_eq(err.code, EXIT_SOFTWARE);
	cr_assert(strstr(err.msg, "control character"), "%s", err.msg);
	cr_assert(strstr(err.msg, "previous version is intact"), "%s", err.msg);
	after = slurp(path, &alen);
	cr_assert_eq(alen, blen);
	cr_assert_eq(memcmp(before, after, blen), 0);
	/* once the bad value is gone, saving works again */
	doc_remove_section(st->doc, "item", "rebind:bad\x01name");
	cr_assert(state_save(st, &err), "%s", err.msg);
	state_close(st);
	free(before);
	free(after);
	free(path);
}

/* state_changed: the document differs from the file.  The wizard saves
 * only then, so a key that changes nothing writes nothing. */
Test(state, changed_until_saved)
{
	char *path = xasprintf("%s/changed.ini", tmpdir);
	struct state_error err;
	struct state *st = state_open(path, &err);

	cr_assert(st, "%s", err.msg);
	cr_assert(state_changed(st), "a new file is not on disk yet");
	state_set_runbook(st, "connector-migration");
	state_set_current(st, "rebind");
	cr_assert(state_save(st, &err), "%s", err.msg);
	cr_assert_not(state_changed(st), "just saved");
	state_set_current(st, "rebind");
	(void)state_item_status(st, "rebind", "Orders");
	(void)state_ticked(st, "rebind", "Orders", "select_connection", NULL, NULL);
	cr_assert_not(state_changed(st), "setting what is there, reading");
	state_tick(st, "rebind", "Orders", "select_connection", true);
	cr_assert(state_changed(st), "a tick");
	cr_assert(state_save(st, &err), "%s", err.msg);
	cr_assert_not(state_changed(st));
	state_close(st);

	st = state_open(path, &err);
	cr_assert(st, "%s", err.msg);
	cr_assert_not(state_changed(st), "as read from the file");
	/* a save that fails leaves the change to save */
	state_set_item_status(st, "rebind", "bad\x01name", STEP_DONE, NULL);
	cr_assert(state_changed(st));
	cr_assert_not(state_save(st, &err));
	cr_assert(state_changed(st), "not saved: still changed");
	doc_remove_section(st->doc, "item", "rebind:bad\x01name");
	cr_assert(state_save(st, &err), "%s", err.msg);
	cr_assert_not(state_changed(st));
	state_close(st);
	free(path);
}

/* A save checks the sections changed since the file was read (the rest
 * was checked then), and names the line of the whole new text. */
Test(state, save_checks_changed_sections_by_line)
{
	char *path = xasprintf("%s/lines.ini", tmpdir);
	struct state_error err;
	struct state *st = state_open(path, &err);
	char name[32], *text;
	size_t len;
	int bad_line, line = 1;
	const char *p;

	cr_assert(st, "%s", err.msg);
	state_set_runbook(st, "restore-database");
	for (int i = 0; i < 200; i++) {
		snprintf(name, sizeof name, "fe%03d", i);
		doc_set(st->doc, "server", name, "role", "frontend");
	}
	cr_assert(state_save(st, &err), "%s", err.msg);
	state_close(st);
	st = state_open(path, &err);
	cr_assert(st, "%s", err.msg);
	/* a value no accessor would set, in a section in the middle */
	doc_set(st->doc, "server", "fe120", "role", "dancer");
	cr_assert_not(state_save(st, &err));
	cr_assert_eq(err.code, EXIT_SOFTWARE);
	cr_assert(strstr(err.msg, "bad role 'dancer'"), "%s", err.msg);
	bad_line = err.where.line;
	/* the same text with a good value: the refused line is that one */
	doc_set(st->doc, "server", "fe120", "role", "controller");
	cr_assert(state_save(st, &err), "%s", err.msg);
	text = slurp(path, &len);
	for (p = text; *p && !str_startswith(p, "role = controller\n"); p++)
		line += *p == '\n';
	cr_assert(*p, "the saved value is in the file");
	cr_assert_eq(bad_line, line, "the error names line %d, the value is on line %d", bad_line, line);
	cr_assert_gt(line, 300);
	state_close(st);
	free(text);
	free(path);
}
