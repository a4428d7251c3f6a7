/* output.c - plain-text helpers for the headless commands (see output.h). */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio_ext.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

#include "exitcodes.h"
#include "output.h"
#include "privfile.h"
#include "runbook.h"
#include "text.h"
#include "util.h"

/* pg_upgrade pads its "Checking ..." lines to a fixed width so the results
 * line up; long labels simply push the result right. */
#define CHECK_LABEL_WIDTH 60

bool output_color(FILE *f)
{
	return use_color(fileno(f));
}

bool output_ticker(FILE *f)
{
	const char *term = getenv("TERM");

	return isatty(fileno(f)) == 1 && term && *term && strcmp(term, "dumb") != 0;
}

void output_word(FILE *f, bool color, int tone, const char *word)
{
	static const char *const sgr[] = { "\033[32m", "\033[33m", "\033[1;31m", "\033[35m" };

	if (color && tone >= 0 && tone <= 3)
		fprintf(f, "%s%s\033[0m", sgr[tone], word);
	else
		fputs(word, f);
}

void output_check_status(FILE *f, bool color, enum check_status s)
{
	output_word(f, color, (int)s, check_status_word(s));
}

void output_checking(FILE *f, const char *label)
{
	char *safe = output_safe(label);
	char *line = xasprintf("Checking %s ...", safe);

	fprintf(f, "%-*s ", CHECK_LABEL_WIDTH, line);
	free(line);
	free(safe);
}

char *output_safe(const char *s)
{
	return text_safe(s);
}

void output_md(struct strbuf *sb, const char *s)
{
	char *safe = text_safe(s);

	for (const char *p = safe; *p; p++) {
		if (strchr("|\\`*_[]<>#&~", *p))
			sb_addc(sb, '\\');
		sb_addc(sb, *p);
	}
	free(safe);
}

static bool exists(const char *path)
{
	struct stat sb;

	return lstat(path, &sb) == 0;
}

char *output_state_path(const char *cmd, const char *state_opt, const char *runbook_opt)
{
	char *found = NULL;
	size_t nfound = 0;

	if (state_opt)
		return xstrdup(state_opt);
	if (runbook_opt) {
		if (!runbook_find(runbook_opt)) {
			fprintf(stderr, "osmigrate %s: unknown runbook '%s' (runbooks:", cmd, runbook_opt);
			for (size_t i = 0; i < n_runbooks; i++)
				fprintf(stderr, " %s", runbooks[i]->id);
			fprintf(stderr, ")\n");
			return NULL;
		}
		return state_default_path(runbook_opt);
	}
	for (size_t i = 0; i < n_runbooks; i++) {
		char *p = state_default_path(runbooks[i]->id);

		if (exists(p)) {
			nfound++;
			if (!found) {
				found = p;
				continue;
			}
		}
		free(p);
	}
	if (nfound == 1)
		return found;
	if (nfound == 0) {
		char *dir = state_default_dir();

		fprintf(stderr,
			"osmigrate %s: no state file in %s: give --state FILE, or start a "
			"procedure with 'osmigrate RUNBOOK' first\n", cmd, dir);
		free(dir);
	} else {
		fprintf(stderr,
			"osmigrate %s: several procedures have a state file; choose one with "
			"--runbook ID or --state FILE:\n", cmd);
		for (size_t i = 0; i < n_runbooks; i++) {
			char *p = state_default_path(runbooks[i]->id);

			if (exists(p))
				fprintf(stderr, "  --runbook %-20s (%s)\n", runbooks[i]->id, p);
			free(p);
		}
	}
	free(found);
	return NULL;
}

struct state *output_open_readonly(const char *cmd, const char *path, int *rc)
{
	struct state_error err;
	struct state *st;

	if (!exists(path)) {
		fprintf(stderr,
			"osmigrate %s: no state file at %s: nothing has been recorded there yet "
			"(check the path, or start the procedure first)\n", cmd, path);
		*rc = EXIT_USAGE;
		return NULL;
	}
	memset(&err, 0, sizeof err);
	st = state_open_readonly(path, &err);
	if (!st) {
		fprintf(stderr, "osmigrate %s: %s\n", cmd, err.msg);
		*rc = err.code ? err.code : EXIT_DATAERR;
		return NULL;
	}
	if (!state_runbook(st) || !runbook_find(state_runbook(st))) {
		fprintf(stderr,
			"osmigrate %s: %s: [osmigrate] runbook is missing or unknown ('%s'); the "
			"file is not an osmigrate state file, or it was damaged: restore it from "
			"its backup\n", cmd, path, state_runbook(st) ? state_runbook(st) : "");
		state_close(st);
		*rc = EXIT_DATAERR;
		return NULL;
	}
	*rc = EXIT_OK;
	return st;
}

/* ---- standard output at exit ---- */

int output_close_stdout(const char *cmd, int rc)
{
	bool failed = ferror(stdout) != 0;
	bool pending = __fpending(stdout) > 0;
	int e = 0;

	errno = 0;
	if (fclose(stdout) != 0) {
		e = errno;
		/* stdout closed by the caller (>&-) and nothing to write: fine. */
		if (pending || e != EBADF)
			failed = true;
	}
	if (!failed)
		return rc;
	/* A command that returns EXIT_IOERR has already said what it could
	 * not write. */
	if (rc != EXIT_IOERR)
		fprintf(stderr, "osmigrate%s%s: could not write to standard output%s%s; the "
			"output is incomplete\n", cmd ? " " : "", cmd ? cmd : "",
			e ? ": " : "", e ? strerror(e) : "");
	/* The result was lost: a verdict (0-3) becomes EXIT_IOERR; a usage,
	 * file, lock or signal exit is the more useful answer and stays. */
	return rc >= EXIT_OK && rc <= EXIT_NOCHECK ? EXIT_IOERR : rc;
}

/* ---- signals, secrets, private files ---- */

static atomic_int caught_cancel;
static volatile sig_atomic_t caught_signal;

static void on_signal(int sig)
{
	caught_signal = sig;
	atomic_store(&caught_cancel, 1);
}

atomic_int *output_catch_signals(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	return &caught_cancel;
}

int output_signal_exit(void)
{
	switch (caught_signal) {
	case SIGINT: return EXIT_SIGINT;
	case SIGTERM: return EXIT_SIGTERM;
	case SIGHUP: return EXIT_SIGHUP;
	default: return 0;
	}
}

char *output_read_secret(const char *prompt)
{
	struct termios old, quiet;
	char buf[1024];
	bool restore = false;
	char *r = NULL;
	FILE *tty = fopen("/dev/tty", "we");
	FILE *out = tty ? tty : stderr;

	fprintf(out, "%s", prompt);
	fflush(out);
	if (tcgetattr(STDIN_FILENO, &old) == 0) {
		quiet = old;
		quiet.c_lflag &= ~(tcflag_t)ECHO;
		/* TCSANOW, not TCSAFLUSH: a password typed or pasted ahead of the
		 * prompt must not be thrown away. */
		restore = tcsetattr(STDIN_FILENO, TCSANOW, &quiet) == 0;
	}
	if (fgets(buf, sizeof buf, stdin)) {
		buf[strcspn(buf, "\r\n")] = '\0';
		r = xstrdup(buf);
	}
	explicit_bzero(buf, sizeof buf);
	if (restore)
		tcsetattr(STDIN_FILENO, TCSANOW, &old);
	fputc('\n', out);
	if (tty)
		fclose(tty);
	return r;
}

char *output_ask_secret(void *ud, enum secret_kind kind, const char *what)
{
	bool *ticker = ud;
	char *prompt, *r;

	if (ticker && *ticker)
		fputs("\r\033[K", stderr);
	prompt = kind == SECRET_LIFETIME_TOKEN ? xasprintf("%s: ", secret_kind_title(kind))
					       : xasprintf("Password for %s: ", what);
	r = output_read_secret(prompt);
	free(prompt);
	return r;
}

void output_ask_on_terminal(struct ctx *ctx, bool *ticker)
{
	ctx->ask = isatty(STDIN_FILENO) ? output_ask_secret : NULL;
	ctx->ask_ud = ctx->ask ? ticker : NULL;
}

/* /dev/stdout, /dev/stderr, /dev/fd/N: the descriptor they name, else -1.
 * They are symbolic links, but to our own descriptors. */
static int named_fd(const char *path)
{
	char *end;
	long n;

	if (str_eq(path, "/dev/stdout"))
		return STDOUT_FILENO;
	if (str_eq(path, "/dev/stderr"))
		return STDERR_FILENO;
	if (!str_startswith(path, "/dev/fd/") || !path[8])
		return -1;
	n = strtol(path + 8, &end, 10);
	return *end || n < 0 || n > 1024 * 1024 ? -1 : (int)n;
}

static bool open_fail(struct output_file *o, char *msg, size_t msglen, const char *fmt, ...)
	OSM_PRINTF(4, 5);
static bool open_fail(struct output_file *o, char *msg, size_t msglen, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, msglen, fmt, ap);
	va_end(ap);
	free(o->path);
	free(o->tmp);
	memset(o, 0, sizeof *o);
	return false;
}

bool output_file_open(struct output_file *o, const char *path, const char *const *keep,
		      char *msg, size_t msglen)
{
	struct stat l;
	int fd, n = named_fd(path);

	memset(o, 0, sizeof *o);
	o->path = xstrdup(path);
	/* Over RLIMIT_FSIZE the kernel would kill us with SIGXFSZ and leave the
	 * temporary file: let write() fail instead. */
	{
		struct sigaction old;

		if (sigaction(SIGXFSZ, NULL, &old) == 0 && old.sa_handler == SIG_DFL)
			signal(SIGXFSZ, SIG_IGN);
	}
	if (n >= 0) {
		fd = dup(n);
		if (fd < 0 || !(o->f = fdopen(fd, "w"))) {
			int e = errno;

			if (fd >= 0)
				close(fd);
			return open_fail(o, msg, msglen, "cannot write %s: %s", path, strerror(e));
		}
		return true;
	}
	if (lstat(path, &l) == 0) {
		if (S_ISLNK(l.st_mode))
			return open_fail(o, msg, msglen, "%s is a symbolic link: osmigrate does not write "
					 "through links (one could point at any file of yours), so nothing was "
					 "written. Give the real path: -o \"$(readlink -f %s)\"", path, path);
		if (S_ISDIR(l.st_mode))
			return open_fail(o, msg, msglen, "%s is a directory: give a file name with -o",
					 path);
		for (size_t i = 0; keep && keep[i]; i++) {
			struct stat k;

			if (stat(keep[i], &k) == 0 && k.st_dev == l.st_dev && k.st_ino == l.st_ino)
				return open_fail(o, msg, msglen, "%s is %s, which -o would "
						 "replace: nothing was written. Give another file name "
						 "with -o", path, keep[i]);
		}
		if (!S_ISREG(l.st_mode)) {
			struct stat f;

			/* A FIFO or a device: written directly, its mode untouched (as
			 * root, a chmod of -o /dev/null would change it for everyone). */
			fd = open(path, O_WRONLY | O_NOFOLLOW | O_NOCTTY | O_CLOEXEC);
			if (fd < 0)
				return open_fail(o, msg, msglen, "cannot write %s: %s; choose another -o "
						 "file", path, strerror(errno));
			if (fstat(fd, &f) != 0 || S_ISREG(f.st_mode) || !(o->f = fdopen(fd, "w"))) {
				close(fd);
				return open_fail(o, msg, msglen, "cannot write %s: it changed while being "
						 "opened; run the command again", path);
			}
			return true;
		}
	} else if (errno != ENOENT) {
		return open_fail(o, msg, msglen, "cannot write %s: %s; choose another -o file", path,
				 strerror(errno));
	}
	{
		char *dir = pf_dir_of(path);
		const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;

		o->tmp = xasprintf("%s/.%s.XXXXXX", dir, base);
		fd = mkostemp(o->tmp, O_CLOEXEC);
		if (fd < 0 || !(o->f = fdopen(fd, "w"))) {
			int e = errno;

			if (fd >= 0) {
				close(fd);
				unlink(o->tmp);
			}
			open_fail(o, msg, msglen, "cannot write %s: could not create a temporary file "
				  "in %s (%s), where it is written before it replaces %s; choose another "
				  "-o file", path, dir, strerror(e), base);
			free(dir);
			return false;
		}
		free(dir);
	}
	return true;
}

void output_file_abort(struct output_file *o)
{
	if (o->f)
		fclose(o->f);
	if (o->tmp)
		unlink(o->tmp);
	free(o->tmp);
	free(o->path);
	memset(o, 0, sizeof *o);
}

bool output_file_commit(struct output_file *o, char *msg, size_t msglen)
{
	const char *step = "write";
	bool ok = fflush(o->f) == 0 && !ferror(o->f);
	int e = 0;

	if (ok && o->tmp) {
		step = "flush to disk (fsync)";
		ok = fsync(fileno(o->f)) == 0;
	}
	if (!ok)
		e = errno;
	if (fclose(o->f) != 0 && ok) {
		e = errno;
		step = "close";
		ok = false;
	}
	o->f = NULL;
	if (ok && o->tmp) {
		step = "rename the temporary file over it";
		if (rename(o->tmp, o->path) != 0) {
			e = errno;
			ok = false;
		} else {
			char *dir = pf_dir_of(o->path);

			/* Durable once the directory is on disk; some file systems
			 * refuse fsync on directories: nothing more to do there. */
			(void)pf_sync_dir(dir);
			free(dir);
			free(o->tmp);
			o->tmp = NULL;
		}
	}
	if (!ok)
		snprintf(msg, msglen, "could not write %s (%s: %s)%s; %s", o->path, step,
			 strerror(e ? e : EIO),
			 o->tmp ? ", so it was left as it was" : "",
			 e == ENOSPC || e == EDQUOT ? "free some disk space or choose another -o file"
						    : "choose another -o file");
	output_file_abort(o);
	return ok;
}
