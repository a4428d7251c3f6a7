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

	if (geteuid() != 0)
		cr_skip_test("needs root to give a file away");
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
