/* text.h - the one neutralisation of untrusted text (names and values from
 * the state file, the databases, LifeTime, web pages and server messages)
 * before it reaches a terminal, a plain-text or a Markdown output.
 * UI-free: never include curses here.
 *
 * What is replaced, and by what:
 *   '\n' '\t', U+2028 LINE SEPARATOR, U+2029 PARAGRAPH SEPARATOR  -> ' '
 *       (text_safe_lines() keeps '\n' for texts whose own lines matter)
 *   other C0 controls (U+0000..U+001F), DEL (U+007F)                -> '?'
 *   C1 controls U+0080..U+009F (UTF-8 C2 80..C2 9F)                 -> '?'
 *   bidirectional controls U+202A..U+202E, U+2066..U+2069, and the
 *   marks U+200E LRM, U+200F RLM, U+061C ALM                        -> '?'
 *   every byte that is not part of valid UTF-8 (raw 0x80..0xFF)     -> '?'
 * Everything else (valid UTF-8, accents, CJK...) is kept as it is.  So no
 * value can move the cursor, recolour or clear the terminal, reorder what
 * is displayed around it (Trojan Source), or start a new output line.
 * JSON outputs escape the same code points instead (\u202e), see
 * the JSON writer in json.h: faithful and still inert. */
#ifndef OSM_TEXT_H
#define OSM_TEXT_H

#include <stdbool.h>
#include <stdint.h>

#include "util.h"

/* Whether code point cp is one that text_safe() replaces (C0, DEL, C1,
 * bidi controls and marks, U+2028/U+2029). */
bool text_cp_unsafe(uint32_t cp);

/* s (NULL counts as "") made safe for one output line.  Caller frees. */
char *text_safe(const char *s);
/* The same, keeping '\n' (and only '\n') for multi-line texts whose lines
 * are the writer's own, e.g. a check's detail.  Caller frees. */
char *text_safe_lines(const char *s);
/* Append text_safe(s) (keep_newlines: text_safe_lines(s)) to sb. */
void sb_add_safe(struct strbuf *sb, const char *s, bool keep_newlines);

#endif
