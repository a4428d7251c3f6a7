/* output.c - plain-text helpers for the headless commands (see output.h). */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio_ext.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

#include "exitcodes.h"
#include "output.h"
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

FILE *output_open_private(const char *path)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0600);
	struct stat st;
	FILE *f;

	if (fd < 0)
		return NULL;
	/* O_CREAT keeps the mode of a file that existed.  Never chmod a device
	 * or FIFO: as root, -o /dev/null would change it for everyone. */
	if (fstat(fd, &st) != 0 ||
	    (S_ISREG(st.st_mode) && (st.st_mode & 077) && fchmod(fd, 0600) != 0) ||
	    !(f = fdopen(fd, "w"))) {
		int e = errno;

		close(fd);
		errno = e;
		return NULL;
	}
	return f;
}
