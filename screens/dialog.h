/* dialog.h - modal dialogs (dialog.c): a line editor (values, notes,
 * reasons, secrets without echo), a question answered with one key, a
 * list to choose from.  A dialog is drawn over the whole screen; what is
 * under it is the caller's, drawn by the redraw callback it passes (the
 * wizard passes app_draw), so a dialog knows nothing of the screens and
 * a resize while it is open redraws both. */
#ifndef OSM_DIALOG_H
#define OSM_DIALOG_H

#include <stdbool.h>
#include <stddef.h>

#include "ctx.h"

/* Input limits: a field value, a note. */
#define TUI_FIELD_MAX 512
#define TUI_NOTE_MAX 5000

/* Draws everything under the dialog, before each frame of it. */
struct redraw {
	void (*fn)(void *ud);
	void *ud;
};

/* Modal line editor: returns 1 with *out (allocated) on Enter, 0 on Esc,
 * -1 when a signal arrived (the loop then exits).  Input is sanitised: no
 * control characters, at most maxlen bytes, valid UTF-8 only; a pasted
 * newline becomes a space, and so does a newline inside a bracketed
 * paste; an Alt-key or escape sequence is swallowed (keys.h), never taken
 * as text or as Esc.  secret: nothing echoed. */
struct prompt {
	const char *title;
	const char *explain;
	const char *initial;
	size_t maxlen;
	bool secret;
	/* -1 (a signal: the session ended) still gives *out, what was typed,
	 * for text that must not be lost (a note). */
	bool keep_on_signal;
	/* When set, Enter is accepted only if check says yes; otherwise the
	 * editor stays open with the text and shows "Not accepted: WHY". */
	bool (*check)(void *ud, const char *text, char *why, size_t len);
	void *check_ud;
};
int dialog_edit(const struct redraw *rd, const struct prompt *p, char **out);
/* dialog_edit with neither keep_on_signal nor check. */
int dialog_prompt(const struct redraw *rd, const char *title, const char *explain,
		  const char *initial, size_t maxlen, bool secret, char **out);
/* Modal question answered with one of the keys in keys ("yn"); returns the
 * key, 0 on Esc, -1 on signal. */
int dialog_ask(const struct redraw *rd, const char *title, const char *text, const char *keys);
/* Modal list chooser; returns the index, -1 on Esc or signal. */
int dialog_pick(const struct redraw *rd, const char *title, const char *const *choices,
		int current);
/* The wizard's way to ask for a secret, in ctx->ask's shape (login.h; ud
 * is a const struct redraw *): a prompt without echo.  NULL on Esc or an
 * empty answer. */
char *dialog_secret(void *ud, enum secret_kind kind, const char *what);

#endif
