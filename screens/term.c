/* term.c - terminal manners: one idempotent restore registered with atexit
 * (tig's done_display / ncdu's close_nc), signals that only set a flag the
 * main loop acts on (tmux proc.c), colour only when wanted, an ASCII
 * fallback for line drawing.  What is drawn (colour pairs, the "terminal
 * too small" screen) is draw.c's: this file calls nothing in screens/. */
#include "config.h"

#include <langinfo.h>
#include <poll.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cursesw.h"
#include "terminal.h"
#include "text.h"
#include "util.h"
/* Last: term.h defines a macro for every capability name. */
#include <term.h>

volatile sig_atomic_t tui_sig;

static bool cursed;          /* curses owns the terminal */
static bool atexit_done;
static bool color_on;
static bool ascii_only;
static bool utf8;
static SCREEN *scr;

static void on_signal(int signo)
{
	/* Only a flag: endwin() and state_save are not async-signal-safe; the
	 * loop sees the flag within one input timeout (100 ms). */
	tui_sig = signo;
}

void term_signals_install(void)
{
	struct sigaction sa;
	static const int sigs[] = { SIGINT, SIGTERM, SIGHUP };

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	/* No SA_RESTART: a blocking read returns so the flag is seen at once. */
	for (size_t i = 0; i < OSM_ARRAY_LEN(sigs); i++)
		sigaction(sigs[i], &sa, NULL);
	/* A closed SSH session makes terminal writes fail; never die of SIGPIPE
	 * before the state is saved. */
	signal(SIGPIPE, SIG_IGN);
}

/* Bracketed paste (xterm's mode 2004): the terminal wraps pasted text in
 * ESC [200~ ... ESC [201~.  A terminal without it ignores the request. */
static void paste_mode(bool on)
{
	fputs(on ? "\033[?2004h" : "\033[?2004l", stdout);
	fflush(stdout);
}

void term_restore(void)
{
	if (!cursed)
		return;
	cursed = false;
	paste_mode(false);
	curs_set(1);
	endwin();
	fflush(stdout);
}

void term_check_hangup(void)
{
	struct pollfd p = { .fd = STDIN_FILENO, .events = POLLIN };

	/* A hung-up terminal (closed SSH session, closed tmux pane) makes every
	 * read return at once; the kernel's SIGHUP may go only to the session
	 * leader.  Treat it as SIGHUP: save and leave instead of spinning. */
	if (poll(&p, 1, 0) > 0 && (p.revents & (POLLHUP | POLLERR | POLLNVAL)))
		tui_sig = SIGHUP;
}

/* What to tell the operator when the wizard cannot drive this terminal:
 * the cause, how to fix TERM, and the commands that need no screen. */
static void refusal(char *why, size_t len, const char *cause)
{
	snprintf(why, len,
		 "the wizard cannot run on this terminal: %s.\n"
		 "Set TERM to the type of your terminal (for example xterm-256color, or vt100),\n"
		 "or use the headless commands, which need no screen: osmigrate check, status,\n"
		 "mark, report, types, compare (see osmigrate --help).", cause);
}

bool term_usable(char *why, size_t len)
{
	const char *term = getenv("TERM");
	char cause[200], *shown;
	int err = 0;
	bool ok = true;

	if (!term || !*term) {
		refusal(why, len, "TERM is not set");
		return false;
	}
	shown = text_safe(term); /* TERM is printed: no escape codes from it */
	/* setupterm reads the terminfo entry without touching the terminal;
	 * newterm would accept TERM=dumb and then draw every line on top of
	 * the last one. */
	if (setupterm(term, STDOUT_FILENO, &err) != OK) {
		if (err == 1)
			snprintf(cause, sizeof cause, "TERM=%.60s is a hardcopy terminal", shown);
		else if (err == 0)
			snprintf(cause, sizeof cause, "TERM=%.60s is not in the terminfo database "
				 "(Debian package ncurses-term has more types)", shown);
		else
			snprintf(cause, sizeof cause, "no terminfo database was found for TERM=%.60s",
				 shown);
		refusal(why, len, cause);
		free(shown);
		return false;
	}
	{
		const char *cup = tigetstr("cup");

		if (tigetflag("gn") > 0 || tigetflag("hc") > 0 ||
		    cup == NULL || cup == (char *)-1 || *cup == '\0') {
			snprintf(cause, sizeof cause, "TERM=%.60s cannot move the cursor", shown);
			refusal(why, len, cause);
			ok = false;
		}
	}
	del_curterm(cur_term);
	free(shown);
	return ok;
}

bool term_init(char *why, size_t len)
{
	const char *cs;
	const char *acsc;

	if (cursed)
		return true;
	setlocale(LC_ALL, "");
	/* Esc cancels a running check: do not wait a second for a sequence. */
	if (!getenv("ESCDELAY"))
		set_escdelay(25);
	/* newterm, unlike initscr, returns NULL instead of exiting. */
	scr = newterm(NULL, stdout, stdin);
	if (!scr) {
		char cause[200];

		char *shown = text_safe(getenv("TERM") ? getenv("TERM") : "(unset)");

		snprintf(cause, sizeof cause, "curses could not start on TERM=%.60s", shown);
		free(shown);
		refusal(why, len, cause);
		return false;
	}
	set_term(scr);
	cursed = true;
	if (!atexit_done) {
		atexit(term_restore);
		osm_set_fatal_cleanup(term_restore);
		atexit_done = true;
	}
	/* cbreak, not raw: ISIG stays on so Ctrl-C arrives as SIGINT. */
	cbreak();
	noecho();
	nonl();
	intrflush(stdscr, FALSE);
	keypad(stdscr, TRUE);
	curs_set(0);
	timeout(100);
	_Static_assert(TERM_KEY_PASTE_BEGIN > KEY_MAX && TERM_KEY_PASTE_END > KEY_MAX,
		       "our key codes are above curses' own");
	define_key("\033[200~", TERM_KEY_PASTE_BEGIN);
	define_key("\033[201~", TERM_KEY_PASTE_END);
	paste_mode(true);

	color_on = has_colors() && use_color(STDOUT_FILENO);
	if (color_on) {
		start_color();
		use_default_colors();
	}

	cs = nl_langinfo(CODESET);
	acsc = tigetstr("acsc");
	/* ncurses draws lines with Unicode in a UTF-8 locale and with the
	 * terminal's acsc otherwise; with neither we draw - | + ourselves. */
	utf8 = cs && strcmp(cs, "UTF-8") == 0;
	ascii_only = !utf8 &&
		     (acsc == NULL || acsc == (char *)-1 || *acsc == '\0');
	if (getenv("OSMIGRATE_ASCII") && *getenv("OSMIGRATE_ASCII"))
		ascii_only = true;
	return true;
}

bool term_color(void)
{
	return color_on;
}

bool term_ascii(void)
{
	return ascii_only;
}

bool term_utf8(void)
{
	return utf8;
}
