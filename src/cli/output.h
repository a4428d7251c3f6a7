/* output.h - plain-text output shared by the headless commands: status
 * words coloured only on a terminal without NO_COLOR, and the helpers every
 * command needs to find and open its state file.
 * UI-free: never include curses here. */
#ifndef OSM_OUTPUT_H
#define OSM_OUTPUT_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>

#include "check.h"
#include "ctx.h"
#include "state.h"

/* Whether f gets escape codes: a terminal, NO_COLOR unset, TERM set and not
 * "dumb" (util.h use_color). */
bool output_color(FILE *f);
/* Whether f may carry a progress ticker ("\r\033[K..."): a terminal whose
 * TERM is set and not "dumb" (NO_COLOR does not matter: no colour in it). */
bool output_ticker(FILE *f);
/* Print word, in colour when color is set.  tone: 0 ok, 1 warning, 2 failure, 3 error/other. */
void output_word(FILE *f, bool color, int tone, const char *word);
/* The check status word ("ok" "warning" "FAILED" "error") in its tone. */
void output_check_status(FILE *f, bool color, enum check_status s);
/* "Checking <label> ..." padded like pg_upgrade's prep_status(), no newline. */
void output_checking(FILE *f, const char *label);
/* text_safe() (text.h): control characters (escape codes included), C1 and
 * bidi controls replaced, newlines and tabs made spaces, so values from a
 * state file cannot drive the terminal or start a line. Caller frees. */
char *output_safe(const char *s);
/* Markdown inline text or table cell: one line (text.h neutralisation),
 * and every character GFM gives a meaning inline escaped with a backslash,
 * so a name cannot open a link, an image, raw HTML, an entity, emphasis,
 * strikethrough, a code span or a new table cell. */
void output_md(struct strbuf *sb, const char *s);

/* The state file a command works on: --state FILE as given; else the
 * default file of --runbook ID; else the one default state file that
 * exists.  Returns NULL and prints why (exit EXIT_USAGE) when none or
 * several exist.  Caller frees. */
char *output_state_path(const char *cmd, const char *state_opt, const char *runbook_opt);

/* Open a state file read-only for reporting; prints the error and returns
 * NULL with *rc set (EXIT_DATAERR for a bad file, EXIT_USAGE when it does
 * not exist). */
struct state *output_open_readonly(const char *cmd, const char *path, int *rc);

/* Close stdout once, at the end of main (coreutils' close_stdout): when
 * anything written to it was lost (a full disk, >/dev/full, a closed
 * pipe), print why on stderr (cmd names the command, NULL for none) and
 * return EXIT_IOERR in place of a verdict (0-3): the output the verdict
 * belongs to is incomplete.  Any other rc (usage 64, bad file 65, 70, 74,
 * locked 75, a signal's 129/130/143) is returned as it is. */
int output_close_stdout(const char *cmd, int rc);

/* SIGINT, SIGTERM and SIGHUP set the returned flag (put it in ctx.cancel:
 * the running work stops at its next poll) and are remembered for the exit
 * code.  The handlers only set flags. */
atomic_int *output_catch_signals(void);
/* EXIT_SIGINT, EXIT_SIGTERM or EXIT_SIGHUP for the signal caught, else 0. */
int output_signal_exit(void);

/* A line typed without echo; the prompt goes to /dev/tty (like ssh and
 * sudo) so a redirected stderr does not hide it.  NULL on EOF.  Free it
 * with secret_free(). */
char *output_read_secret(const char *prompt);
/* How the commands ask for a secret (ctx->ask, login.h): "Password for
 * LABEL: " read with output_read_secret().  ud: NULL, or a bool that is
 * true while stderr carries a progress ticker (its line is cleared first). */
char *output_ask_secret(void *ud, enum secret_kind kind, const char *what);
/* ctx->ask = output_ask_secret (ud ticker) when standard input is a
 * terminal; else NULL: nothing is asked, the failure says what to do. */
void output_ask_on_terminal(struct ctx *ctx, bool *ticker);

/* -o FILE of report, types and compare.  A file (new or existing) is
 * written as a temporary ".FILE.XXXXXX" (mode 0600) in the same directory
 * and renamed over FILE only once all of it is written and flushed to disk:
 * whatever fails before (the connection, a full disk, a signal), FILE is
 * left as it was and the temporary file is removed.  A FIFO or a device is
 * written directly and keeps its mode; /dev/stdout, /dev/stderr and
 * /dev/fd/N write to that descriptor.  A symbolic link is refused (it
 * could point at any file of the operator's), as is a directory. */
struct output_file {
	FILE *f;      /* write here */
	char *path;   /* FILE as given */
	char *tmp;    /* the temporary file; NULL when written directly */
};
/* false with msg (names FILE, says what is wrong and what to do).  keep
 * (NULL-terminated, may be NULL) lists files FILE must not be (the state
 * file, its journal, the answers file read): one of them, under any name
 * (a hard link too), is refused. */
bool output_file_open(struct output_file *o, const char *path, const char *const *keep,
		      char *msg, size_t msglen);
/* All written: flush, fsync, rename over FILE, fsync the directory.  false
 * with msg when that failed; FILE is then as it was.  Closes o either way. */
bool output_file_commit(struct output_file *o, char *msg, size_t msglen);
/* The run failed: remove the temporary file; FILE stays as it was. */
void output_file_abort(struct output_file *o);

#endif
