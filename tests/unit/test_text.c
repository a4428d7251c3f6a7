/* test_text.c - text_safe(), the one neutralisation of untrusted text
 * (text.h): every C0, C1 and bidi control and mark, line separators,
 * valid and invalid UTF-8; and the JSON writer's escapes of the same code
 * points. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>

#include "json.h"
#include "text.h"
#include "util.h"

/* UTF-8 of code point cp (cp < 0x10000). */
static void enc(unsigned cp, char out[4])
{
	if (cp < 0x80) {
		out[0] = (char)cp;
		out[1] = '\0';
	} else if (cp < 0x800) {
		out[0] = (char)(0xc0 | (cp >> 6));
		out[1] = (char)(0x80 | (cp & 0x3f));
		out[2] = '\0';
	} else {
		out[0] = (char)(0xe0 | (cp >> 12));
		out[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
		out[2] = (char)(0x80 | (cp & 0x3f));
		out[3] = '\0';
	}
}

static void expect_safe(const char *in, const char *want)
{
	char *got = text_safe(in);

	cr_expect_str_eq(got, want, "text_safe gave \"%s\", wanted \"%s\"", got, want);
	free(got);
}

/* Every code point of the ranges in text.h is replaced, one '?' (or a
 * space) for the whole sequence, and the text around it is kept. */
Test(text, every_control_code_point_is_replaced)
{
	static const struct { unsigned lo, hi; char with; } ranges[] = {
		{ 0x01, 0x08, '?' }, { 0x09, 0x09, ' ' }, { 0x0a, 0x0a, ' ' }, { 0x0b, 0x1f, '?' },
		{ 0x7f, 0x7f, '?' },
		{ 0x80, 0x9f, '?' },       /* C1, as UTF-8 C2 80..C2 9F */
		{ 0x061c, 0x061c, '?' },   /* ALM */
		{ 0x200e, 0x200f, '?' },   /* LRM RLM */
		{ 0x2028, 0x2029, ' ' },   /* LS PS */
		{ 0x202a, 0x202e, '?' },   /* LRE RLE PDF LRO RLO */
		{ 0x2066, 0x2069, '?' },   /* LRI RLI FSI PDI */
	};
	size_t tested = 0;

	for (size_t r = 0; r < sizeof ranges / sizeof ranges[0]; r++)
		for (unsigned cp = ranges[r].lo; cp <= ranges[r].hi; cp++) {
			char c[4], in[32], want[8];

			enc(cp, c);
			snprintf(in, sizeof in, "a%sb", c);
			snprintf(want, sizeof want, "a%cb", ranges[r].with);
			cr_expect(text_cp_unsafe(cp), "U+%04X not flagged", cp);
			expect_safe(in, want);
			tested++;
		}
	cr_expect_eq(tested, 31 + 1 + 32 + 1 + 2 + 2 + 5 + 4);
}

Test(text, neighbours_and_ordinary_text_are_kept)
{
	/* The code points just outside each range, and ordinary non-ASCII. */
	static const unsigned keep[] = { 0x20, 0x7e, 0xa0, 0xa9, 0x061b, 0x061d, 0x200d,
					 0x2010, 0x2027, 0x202f, 0x2065, 0x206a, 0xfeff - 1 };

	for (size_t i = 0; i < sizeof keep / sizeof keep[0]; i++) {
		char c[4], in[32];

		enc(keep[i], c);
		snprintf(in, sizeof in, "a%sb", c);
		cr_expect_not(text_cp_unsafe(keep[i]), "U+%04X flagged", keep[i]);
		expect_safe(in, in);
	}
	expect_safe("caf\xc3\xa9 \xe6\x97\xa5\xe6\x9c\xac \xf0\x9f\x98\x80 plain", "caf\xc3\xa9 \xe6\x97\xa5\xe6\x9c\xac \xf0\x9f\x98\x80 plain");
	expect_safe("", "");
	expect_safe(NULL, "");
}

Test(text, invalid_utf8_bytes_become_one_question_mark_each)
{
	char in[8];

	/* Every raw byte 0x80..0xFF alone is invalid UTF-8: 0x9B is the 8-bit CSI. */
	for (unsigned b = 0x80; b <= 0xff; b++) {
		snprintf(in, sizeof in, "a%cb", (char)b);
		expect_safe(in, "a?b");
	}
	expect_safe("\xc0\xaf", "??");          /* overlong '/' */
	expect_safe("\xed\xa0\x80", "???");     /* surrogate */
	expect_safe("x\xe2\x80", "x??");        /* truncated U+202E at the end */
	expect_safe("\xe2\x80\xe2\x80\xae", "???"); /* truncated, then a whole RLO */
	expect_safe("\x1b[2J\x9b" "31m", "?[2J?31m");
}

Test(text, newline_never_survives_one_line_but_lines_keep_it)
{
	char *s = text_safe_lines("line one\nline \xe2\x80\xae two\r\n\x1b]0;x\x07\xe2\x80\xa8three");

	cr_expect_str_eq(s, "line one\nline ? two?\n?]0;x? three");
	free(s);
	expect_safe("Customers\nChecking fake ... ok", "Customers Checking fake ... ok");
	{
		struct strbuf sb = STRBUF_INIT;

		sb_add_safe(&sb, "a\nb", false);
		sb_add_safe(&sb, "|c\nd", true);
		cr_expect_str_eq(sb_str(&sb), "a b|c\nd");
		sb_free(&sb);
	}
}

/* JSON keeps the value faithful: the same code points as \uXXXX escapes. */
Test(text, json_escapes_the_same_code_points)
{
	struct strbuf sb = STRBUF_INIT;
	struct json_writer w;

	jw_init(&w, &sb);
	jw_str(&w, "a\xe2\x80\xae" "b\xc2\x85" "c\xe2\x80\xa8" "d\xe2\x81\xa6" "e\xd8\x9c"
			   "f\xe2\x80\x8f" "g\x9b" "h\xc3\xa9");
	cr_expect_str_eq(sb_str(&sb), "\"a\\u202eb\\u0085c\\u2028d\\u2066e\\u061cf\\u200fg\\ufffdh\xc3\xa9\"");
	sb_free(&sb);
}
