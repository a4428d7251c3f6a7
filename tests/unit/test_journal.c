/* test_journal.c - the event journal: round trip of awkward values, torn
 * lines never taken as events (including a writer killed with SIGKILL in a
 * loop), checksums, masking of secrets, file mode. */
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <criterion/criterion.h>

#include "journal.h"
#include "util.h"

static char dir[64];
static char state_path[128];
static char jpath[160];

static void setup(void)
{
	strcpy(dir, "/tmp/osm-journal-XXXXXX");
	cr_assert_not_null(mkdtemp(dir));
	snprintf(state_path, sizeof state_path, "%s/rb.ini", dir);
	snprintf(jpath, sizeof jpath, "%s/rb.ini.journal", dir);
}

static void teardown(void)
{
	unlink(jpath);
	rmdir(dir);
}

static void append_raw(const char *s)
{
	int fd = open(jpath, O_WRONLY | O_APPEND | O_CREAT, 0600);

	cr_assert(fd >= 0);
	cr_assert_eq(write(fd, s, strlen(s)), (ssize_t)strlen(s));
	close(fd);
}

TestSuite(journal, .init = setup, .fini = teardown);

Test(journal, path_is_next_to_the_state_file)
{
	char *p = journal_path("/x/y/restore-database.ini");

	cr_assert_str_eq(p, "/x/y/restore-database.ini.journal");
	free(p);
}

Test(journal, round_trip_of_awkward_values)
{
	struct journal j;
	char err[256];
	const char *note = "tab\there, newline\nthere, back\\slash; ü = [x] \"q\"";

	cr_assert(journal_append_path(state_path, "restore-database", "servers", "FE 1",
				      "tick.open_tool", "on"));
	cr_assert(journal_append_path(state_path, "restore-database", "servers", NULL, "note", note));
	cr_assert(journal_read(jpath, &j, err, sizeof err), "%s", err);
	cr_assert_eq(j.n, 2);
	cr_assert_eq(j.bad, 0);
	cr_assert_str_eq(j.e[0].runbook, "restore-database");
	cr_assert_str_eq(j.e[0].step, "servers");
	cr_assert_str_eq(j.e[0].item, "FE 1");
	cr_assert_str_eq(j.e[0].action, "tick.open_tool");
	cr_assert_str_eq(j.e[0].result, "on");
	cr_assert_str_eq(j.e[0].operator, operator_id());
	cr_assert(iso8601_parse(j.e[0].time, &(time_t){ 0 }));
	cr_assert_str_eq(j.e[1].item, "");
	cr_assert_str_eq(j.e[1].result, note);
	journal_free(&j);
}

Test(journal, file_is_private_and_one_line_per_event)
{
	struct stat sb;
	char buf[4096];
	int fd, n, lines = 0;

	umask(022);
	cr_assert(journal_append_path(state_path, "rb", "s", NULL, "status", "done"));
	cr_assert(journal_append_path(state_path, "rb", "s", NULL, "note", "a\nb\nc"));
	cr_assert_eq(stat(jpath, &sb), 0);
	cr_assert_eq(sb.st_mode & 0777, 0600);
	fd = open(jpath, O_RDONLY);
	n = (int)read(fd, buf, sizeof buf - 1);
	close(fd);
	buf[n] = '\0';
	for (int i = 0; i < n; i++)
		lines += buf[i] == '\n';
	cr_assert_eq(lines, 2);
	cr_assert(strncmp(buf, "J1\t", 3) == 0);
}

Test(journal, widened_journal_is_narrowed_again)
{
	struct stat sb;

	cr_assert(journal_append_path(state_path, "rb", "s", NULL, "status", "done"));
	cr_assert_eq(chmod(jpath, 0644), 0);
	cr_assert(journal_append_path(state_path, "rb", "s", NULL, "status", "pending"));
	cr_assert_eq(stat(jpath, &sb), 0);
	cr_assert_eq(sb.st_mode & 0777, 0600, "journal left at %o", sb.st_mode & 0777);
}

/* Opened through privfile.h: nothing planted in the journal's place is
 * followed, blocked on or believed, for reading or for writing. */
Test(journal, fifo_refused_without_blocking, .timeout = 10)
{
	struct journal j;
	char err[1024];

	cr_assert_eq(mkfifo(jpath, 0600), 0);
	cr_assert_not(journal_append_path(state_path, "rb", "s", NULL, "status", "done"));
	cr_assert(strstr(journal_last_error(), "is a FIFO (named pipe), not a regular file"), "%s",
		  journal_last_error());
	cr_assert_not(journal_read(jpath, &j, err, sizeof err));
	cr_assert(strstr(err, "FIFO"), "%s", err);
	cr_assert_not(journal_check(state_path, err, sizeof err));
	cr_assert(strstr(err, "Move it away"), "%s", err);
}

Test(journal, link_to_a_device_refused, .timeout = 10)
{
	struct journal j;
	char err[1024];

	cr_assert_eq(symlink("/dev/zero", jpath), 0);
	cr_assert_not(journal_read(jpath, &j, err, sizeof err));
	cr_assert(strstr(err, "is a symbolic link"), "%s", err);
	cr_assert_not(journal_append_path(state_path, "rb", "s", NULL, "status", "done"));
	cr_assert(strstr(journal_last_error(), "is a symbolic link"), "%s", journal_last_error());
}

Test(journal, writable_by_others_refused)
{
	struct journal j;
	struct stat sb;
	char err[1024];

	cr_assert(journal_append_path(state_path, "rb", "s", NULL, "status", "done"));
	cr_assert_eq(chmod(jpath, 0666), 0);
	cr_assert_not(journal_read(jpath, &j, err, sizeof err));
	cr_assert(strstr(err, "can be changed by other users (mode 0666)"), "%s", err);
	cr_assert_not(journal_append_path(state_path, "rb", "s", NULL, "status", "pending"));
	cr_assert_eq(stat(jpath, &sb), 0);
	cr_assert_eq(sb.st_mode & 0777, 0666, "a refused journal is left as it was");
}

Test(journal, another_users_journal_refused)
{
	struct journal j;
	char err[1024];

	if (geteuid() != 0)
		cr_skip_test("needs root to give a file away");
	append_raw("x\n");
	cr_assert_eq(chown(jpath, 65534, 65534), 0);
	cr_assert_not(journal_read(jpath, &j, err, sizeof err));
	cr_assert(strstr(err, "(uid 65534), not to you"), "%s", err);
	cr_assert_not(journal_append_path(state_path, "rb", "s", NULL, "status", "done"));
}

Test(journal, larger_than_the_cap_is_not_read)
{
	struct journal j;
	char err[1024];
	int fd = open(jpath, O_WRONLY | O_CREAT, 0600);

	cr_assert(fd >= 0);
	cr_assert_eq(ftruncate(fd, (off_t)65 * 1024 * 1024), 0);
	close(fd);
	cr_assert_not(journal_read(jpath, &j, err, sizeof err));
	cr_assert(strstr(err, "larger than 64 MiB"), "%s", err);
}

Test(journal, missing_file_is_an_empty_journal)
{
	struct journal j;
	char err[256];

	cr_assert(journal_read(jpath, &j, err, sizeof err));
	cr_assert_eq(j.n, 0);
	cr_assert_eq(j.bad, 0);
	journal_free(&j);
}

Test(journal, torn_last_line_is_not_an_event)
{
	struct journal j;
	char err[256];
	char *line = journal_format("2026-11-22T04:31:00Z", "op@h", "rb", "s", "", "status", "done");

	append_raw(line);
	/* What a writer killed half-way leaves: a line without its end. */
	line[strlen(line) / 2] = '\0';
	append_raw(line);
	free(line);
	cr_assert(journal_read(jpath, &j, err, sizeof err));
	cr_assert_eq(j.n, 1);
	cr_assert_eq(j.bad, 1);
	journal_free(&j);

	/* The next append starts on a fresh line, so it survives whole. */
	cr_assert(journal_append_path(state_path, "rb", "s", NULL, "status", "pending"));
	cr_assert(journal_read(jpath, &j, err, sizeof err));
	cr_assert_eq(j.n, 2);
	cr_assert_eq(j.bad, 1);
	cr_assert_str_eq(j.e[1].result, "pending");
	journal_free(&j);
}

Test(journal, line_whose_checksum_fails_is_ignored)
{
	struct journal j;
	char err[256];
	char *line = journal_format("2026-11-22T04:31:00Z", "op@h", "rb", "s", "", "status", "done");
	char *p = strstr(line, "done");

	p[0] = 'D'; /* complete line, altered content */
	append_raw(line);
	free(line);
	append_raw("J1\tnot\ta\tjournal\tline\n");
	append_raw("garbage without tabs\n");
	cr_assert(journal_read(jpath, &j, err, sizeof err));
	cr_assert_eq(j.n, 0);
	cr_assert_eq(j.bad, 3);
	journal_free(&j);
}

/* Notes and reasons: URI user information, percent-encoded keywords, quoted
 * conninfo values; text that only looks similar is left alone; masking a
 * masked text changes nothing. */
Test(journal, mask_secrets_forms)
{
	static const char *const cases[][2] = {
		{ "postgresql://u:secret@h", "postgresql://u:***@h" },
		{ "see postgresql://user:pa?ss@host/db now", "see postgresql://user:***@host/db now" },
		{ "postgres://u:p@ss@h:5432/db", "postgres://u:***@h:5432/db" },
		{ "https://admin:hunter2@lt.example.com/x", "https://admin:***@lt.example.com/x" },
		{ "postgresql://h/db?pass%77ord=x&sslmode=require",
		  "postgresql://h/db?pass%77ord=***&sslmode=require" },
		{ "postgresql://h/db?PASS%57ORD=x", "postgresql://h/db?PASS%57ORD=***" },
		{ "host=h password = 'a b\\' c' user=x", "host=h password = *** user=x" },
		{ "PGPASSWORD=abc psql", "PGPASSWORD=*** psql" },
		{ "sslpassword=k", "sslpassword=***" },
		{ "token=AbC", "token=***" },
		{ "http://host:8080/path and me@example.com", "http://host:8080/path and me@example.com" },
		{ "postgresql://u@h/db", "postgresql://u@h/db" },
		{ "postgresql://u:@h/db", "postgresql://u:@h/db" },
		{ "ratio 3:1 @ noon, the password is on the wiki",
		  "ratio 3:1 @ noon, the password is on the wiki" },
		{ "", "" },
	};

	for (size_t i = 0; i < OSM_ARRAY_LEN(cases); i++) {
		char *m = mask_secrets(cases[i][0]), *again = mask_secrets(m);

		cr_expect_str_eq(m, cases[i][1], "case %zu: %s", i, cases[i][0]);
		cr_expect_str_eq(again, m, "case %zu: masking twice changed it", i);
		free(m);
		free(again);
	}
}

Test(journal, secrets_are_masked)
{
	struct journal j;
	char err[256], buf[4096];
	int fd, n;

	cr_assert(journal_append_path(state_path, "rb", "s", NULL, "note",
				      "host=db password=Sup3rS3cret user=x token=AbCdEf"));
	fd = open(jpath, O_RDONLY);
	n = (int)read(fd, buf, sizeof buf - 1);
	close(fd);
	buf[n] = '\0';
	cr_assert_null(strstr(buf, "Sup3rS3cret"));
	cr_assert_null(strstr(buf, "AbCdEf"));
	cr_assert(journal_read(jpath, &j, err, sizeof err));
	cr_assert_eq(j.n, 1);
	cr_assert_str_eq(j.e[0].result, "host=db password=*** user=x token=***");
	journal_free(&j);
}

Test(journal, survives_kill_9_of_a_writer)
{
	struct journal j;
	char err[256];

	/* A child appends as fast as it can; SIGKILL lands at an arbitrary point,
	 * possibly inside a write.  Whatever is on disk, every event read back is
	 * whole, and the journal stays usable. */
	for (int round = 0; round < 5; round++) {
		pid_t pid = fork();
		struct timespec ts = { 0, 2000000L + round * 3000000L };

		cr_assert(pid >= 0);
		if (pid == 0) {
			char big[3000];

			memset(big, 'x', sizeof big - 1);
			big[sizeof big - 1] = '\0';
			for (;;)
				journal_append_path(state_path, "rb", "s", "item", "note", big);
		}
		nanosleep(&ts, NULL);
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
		/* Simulate the worst case too: a kill between two partial writes. */
		append_raw("J1\t2026-11-22T04:31:00Z\top@h\trb\ts\titem\tnote\txxxx");
	}
	cr_assert(journal_append_path(state_path, "rb", "s", NULL, "status", "last"));
	cr_assert(journal_read(jpath, &j, err, sizeof err));
	/* Under load a child may be killed before its first write, so only the
	 * torn lines written here are certain (merged tails count once). */
	cr_assert_geq(j.n, 1);
	cr_assert_geq(j.bad, 1);
	for (size_t i = 0; i + 1 < j.n; i++) {
		cr_assert_str_eq(j.e[i].action, "note");
		cr_assert_eq(strlen(j.e[i].result), 2999);
	}
	cr_assert_str_eq(j.e[j.n - 1].result, "last");
	journal_free(&j);
}
