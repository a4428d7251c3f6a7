/* names.c - see names.h. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "names.h"
#include "util.h"

char **names_split(const char *s, size_t *n)
{
	char **out = xcalloc(1, sizeof *out);
	size_t k = 0;

	while (s && *s) {
		const char *e;
		bool inq = false;

		while (*s == ' ' || *s == '\t' || *s == ',' || *s == '\n')
			s++;
		if (!*s)
			break;
		for (e = s; *e; e++) {
			if (*e == '"')
				inq = !inq;
			else if (!inq && (*e == ' ' || *e == '\t' || *e == ',' || *e == '\n'))
				break;
		}
		out = xreallocarray(out, k + 2, sizeof *out);
		out[k++] = xstrndup(s, (size_t)(e - s));
		out[k] = NULL;
		s = e;
	}
	if (n)
		*n = k;
	return out;
}

void names_free(char **words)
{
	if (!words)
		return;
	for (char **p = words; *p; p++)
		free(*p);
	free(words);
}

/* One identifier at p; returns the position after it, NULL if malformed. */
static const char *ident_at(const char *p, struct strbuf *out)
{
	if (*p == '"') {
		for (p++;; p++) {
			if (!*p)
				return NULL;
			if (*p == '"') {
				if (p[1] != '"')
					return p + 1;
				p++;
			}
			sb_addc(out, *p);
		}
	}
	while (*p && *p != '.' && *p != '"')
		sb_addc(out, *p++);
	return p;
}

bool names_ident(const char *word, char **ident)
{
	struct strbuf sb = STRBUF_INIT;
	const char *end = ident_at(word, &sb);

	if (!end || *end || !sb.len) {
		sb_free(&sb);
		return false;
	}
	*ident = sb_detach(&sb);
	return true;
}

bool names_qualified(const char *word, char **schema, char **table, char *msg, size_t msglen)
{
	struct strbuf a = STRBUF_INIT, b = STRBUF_INIT;
	const char *p = ident_at(word, &a);

	if (p && *p == '.')
		p = ident_at(p + 1, &b);
	else
		p = NULL;
	if (!p || *p || !a.len || !b.len) {
		if (msg)
			snprintf(msg, msglen, "'%.80s' is not schema.table (quote names with dots "
				 "or spaces: \"my.schema\".\"My Table\")", word);
		sb_free(&a);
		sb_free(&b);
		return false;
	}
	*schema = sb_detach(&a);
	*table = sb_detach(&b);
	return true;
}
