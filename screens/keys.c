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

bool input_read(struct input *in)
{
	wint_t ch;
	int r = get_wch(&ch);

	if (r == ERR) {
		term_check_hangup();
		return false;
	}
	in->ch = (int)ch;
	in->fkey = r == KEY_CODE_YES;
	in->req = REQ_NONE;
	for (size_t i = 0; i < OSM_ARRAY_LEN(keymap); i++)
		if (keymap[i].fkey == in->fkey && keymap[i].ch == in->ch) {
			in->req = keymap[i].req;
			break;
		}
	return true;
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
