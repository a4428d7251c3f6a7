/* keys.c - reading a key and its request, and the requests of a plain
 * list (keys.h). */
#include "config.h"

#include "cursesw.h"
#include "keys.h"
#include "terminal.h"
#include "util.h"

static const struct {
	bool fkey;
	int ch;
	enum request req;
} keymap[] = {
	{ true, KEY_UP, REQ_UP },          { false, 'k', REQ_UP },
	{ true, KEY_DOWN, REQ_DOWN },      { false, 'j', REQ_DOWN },
	{ true, KEY_PPAGE, REQ_PAGE_UP },  { true, KEY_NPAGE, REQ_PAGE_DOWN },
	{ true, KEY_HOME, REQ_HOME },      { true, KEY_END, REQ_END },
	{ true, KEY_ENTER, REQ_ENTER },    { false, '\r', REQ_ENTER },
	{ false, '\n', REQ_ENTER },
	{ false, 'q', REQ_QUIT },          { false, 'Q', REQ_QUIT },
	{ false, '?', REQ_HELP },
};

/* How long the rest of an escape sequence may take after its Esc, on top
 * of the ESCDELAY curses waited already: an Alt-key or a sequence arrives
 * in one write, and a key typed after that is a key of its own. */
#define ESC_FOLLOW_MS 0
/* Once a sequence began (ESC [ or ESC O), how long each further byte of
 * it may take over a slow link before it is taken as complete. */
#define SEQ_BYTE_MS 20
/* A paste whose closing bracket never came (a dropped link) ends after
 * this long without input. */
#define PASTE_IDLE_MS 2000
/* The curses input timeout the wizard runs with (term_init). */
#define INPUT_TIMEOUT_MS 100

/* Inside a bracketed paste, and since when nothing came.  The terminal's
 * state, not a screen's: one terminal, one paste at a time. */
static bool pasting;
static long long paste_last_ms;

/* After an Esc: true when more follows at once (an Alt-key or a sequence
 * curses did not know), read to its end; false for a lone Esc. */
static bool esc_sequence(void)
{
	wint_t c;
	int r;

	timeout(ESC_FOLLOW_MS);
	r = get_wch(&c);
	if (r == ERR) {
		timeout(INPUT_TIMEOUT_MS);
		return false;
	}
	if (r == KEY_CODE_YES) {
		/* Esc then a key curses knows (Alt-Up): one swallowed input; a
		 * paste bracket is read as itself. */
		if (c == TERM_KEY_PASTE_BEGIN || c == TERM_KEY_PASTE_END)
			ungetch((int)c);
	} else if (c == 27) {
		/* Esc pressed twice in a row: two lone Escs (close a box, then
		 * leave the screen), not Alt-Esc. */
		ungetch(27);
		timeout(INPUT_TIMEOUT_MS);
		return false;
	} else if (c == 'O') {
		timeout(SEQ_BYTE_MS);
		(void)get_wch(&c);      /* SS3: one byte */
	} else if (c == '[') {
		timeout(SEQ_BYTE_MS);
		/* CSI: parameters and intermediates (space to ?) up to a final
		 * byte (@ to ~); bounded, each byte with the short wait. */
		for (int n = 0; n < 64; n++)
			if (get_wch(&c) != OK || c < 0x20 || c > 0x3f)
				break;
	}
	/* else Alt-letter: the letter is swallowed with its Esc. */
	timeout(INPUT_TIMEOUT_MS);
	return true;
}

static bool read_key(struct input *in, bool text)
{
	wint_t ch;
	int r;

	for (;;) {
		r = get_wch(&ch);
		if (r == ERR) {
			if (pasting && mono_ms() - paste_last_ms > PASTE_IDLE_MS)
				pasting = false;
			term_check_hangup();
			return false;
		}
		if (r == KEY_CODE_YES && (ch == TERM_KEY_PASTE_BEGIN || ch == TERM_KEY_PASTE_END)) {
			pasting = ch == TERM_KEY_PASTE_BEGIN;
			paste_last_ms = mono_ms();
			continue;
		}
		break;
	}
	if (pasting)
		paste_last_ms = mono_ms();
	in->ch = (int)ch;
	in->fkey = r == KEY_CODE_YES;
	in->req = REQ_NONE;
	in->pasted = pasting;
	in->swallowed = false;
	if (!in->fkey && in->ch == 27 && ((text && esc_sequence()) || pasting)) {
		in->fkey = true;
		in->ch = 0;
		in->swallowed = true;
		return true;
	}
	if (in->fkey && in->ch == KEY_RESIZE)
		in->pasted = false;
	for (size_t i = 0; i < OSM_ARRAY_LEN(keymap); i++)
		if (keymap[i].fkey == in->fkey && keymap[i].ch == in->ch) {
			in->req = keymap[i].req;
			break;
		}
	return true;
}

bool input_read(struct input *in)
{
	return read_key(in, false);
}

bool input_read_text(struct input *in)
{
	return read_key(in, true);
}

void cursor_clamp(int *cur, int n)
{
	if (*cur >= n)
		*cur = n - 1;
	if (*cur < 0)
		*cur = 0;
}

bool cursor_step(const struct input *in, int *cur, int n)
{
	if (in->req == REQ_UP) {
		if (*cur > 0)
			(*cur)--;
		return true;
	}
	if (in->req == REQ_DOWN) {
		if (*cur + 1 < n)
			(*cur)++;
		return true;
	}
	return false;
}
