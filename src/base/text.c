/* text.c - the one neutralisation of untrusted text (see text.h). */
#include "config.h"

#include <string.h>

#include "text.h"

bool text_cp_unsafe(uint32_t cp)
{
	return cp < 0x20 || (cp >= 0x7f && cp <= 0x9f) ||
	       cp == 0x061c ||                    /* ARABIC LETTER MARK */
	       cp == 0x200e || cp == 0x200f ||    /* LRM, RLM */
	       cp == 0x2028 || cp == 0x2029 ||    /* LINE / PARAGRAPH SEPARATOR */
	       (cp >= 0x202a && cp <= 0x202e) ||  /* LRE RLE PDF LRO RLO */
	       (cp >= 0x2066 && cp <= 0x2069);    /* LRI RLI FSI PDI */
}

void sb_add_safe(struct strbuf *sb, const char *s, bool keep_newlines)
{
	size_t n, i = 0;

	if (!s)
		s = "";
	n = strlen(s);
	sb_add(sb, ""); /* "" stays a string, never NULL */
	while (i < n) {
		size_t start = i;
		uint32_t cp = 0;
		size_t l;

		/* Runs of harmless bytes are copied in one go. */
		while (i < n) {
			unsigned char c = (unsigned char)s[i];

			if (c < 0x80) {
				if (c < 0x20 || c == 0x7f)
					break;
				i++;
				continue;
			}
			l = utf8_decode(s + i, n - i, &cp);
			if (!l || text_cp_unsafe(cp))
				break;
			i += l;
		}
		if (i > start)
			sb_addn(sb, s + start, i - start);
		if (i >= n)
			break;
		l = utf8_decode(s + i, n - i, &cp);
		if (!l) {
			sb_addc(sb, '?'); /* one invalid byte */
			i++;
			continue;
		}
		if (cp == '\n')
			sb_addc(sb, keep_newlines ? '\n' : ' ');
		else if (cp == '\t' || cp == 0x2028 || cp == 0x2029)
			sb_addc(sb, ' ');
		else
			sb_addc(sb, '?');
		i += l;
	}
}

char *text_safe(const char *s)
{
	struct strbuf sb = STRBUF_INIT;

	sb_add_safe(&sb, s, false);
	return sb_detach(&sb);
}

char *text_safe_lines(const char *s)
{
	struct strbuf sb = STRBUF_INIT;

	sb_add_safe(&sb, s, true);
	return sb_detach(&sb);
}
