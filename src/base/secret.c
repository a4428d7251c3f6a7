/* secret.c - finding and masking passwords in connection strings and free
 * text (see secret.h). */
#include "config.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include <libpq-fe.h>

#include "secret.h"
#include "util.h"

/* Length of the text at p that spells kw (lower case) case-insensitively,
 * each character either as itself or percent-encoded (libpq decodes URI
 * parameter names: ?pass%77ord= is password=); 0 when it does not. */
static size_t match_kw(const char *p, const char *kw)
{
	const char *q = p;

	for (; *kw; kw++) {
		int c;

		if (q[0] == '%' && hex_value((unsigned char)q[1]) >= 0 &&
		    hex_value((unsigned char)q[2]) >= 0) {
			c = hex_value((unsigned char)q[1]) * 16 + hex_value((unsigned char)q[2]);
			q += 3;
		} else if (*q) {
			c = (unsigned char)*q++;
		} else {
			return 0;
		}
		if (tolower(c) != *kw)
			return 0;
	}
	return (size_t)(q - p);
}

/* After a keyword: blanks, a literal '=' (libpq splits keyword=value and
 * URI parameters at a literal '='), blanks.  Where the value starts, or
 * NULL when no '=' follows. */
static const char *after_eq(const char *p)
{
	while (*p == ' ' || *p == '\t')
		p++;
	if (*p != '=')
		return NULL;
	p++;
	while (*p == ' ' || *p == '\t')
		p++;
	return p;
}

/* The end of a value starting at p: a quoted conninfo value up to its
 * closing quote (backslash escapes), otherwise up to a blank, a line end,
 * '&' (the next URI parameter) or a quote. */
static const char *value_end(const char *p)
{
	if (*p == '\'' || *p == '"') {
		char q = *p++;

		while (*p && *p != q) {
			if (*p == '\\' && p[1])
				p++;
			p++;
		}
		return *p ? p + 1 : p;
	}
	while (*p && !strchr(" \t\r\n&'\"", *p))
		p++;
	return p;
}

/* For s pointing just after "://": the password of user:password@ in the
 * authority, as [*from, *to), or false.  libpq ends the user information
 * at the first '@' or '/'; the last '@' before a '/' or a blank is taken
 * here, so a password with a raw '@' in it is still covered whole. */
static bool userinfo_password(const char *s, const char **from, const char **to)
{
	const char *end = s + strcspn(s, "/ \t\r\n"), *at = NULL, *colon;

	for (const char *p = s; p < end; p++)
		if (*p == '@')
			at = p;
	if (!at)
		return false;
	colon = memchr(s, ':', (size_t)(at - s));
	if (!colon || colon + 1 >= at)
		return false;
	*from = colon + 1;
	*to = at;
	return true;
}

static const char *const mask_keys[] = { "password", "passwd", "token" };

char *mask_secrets(const char *s)
{
	struct strbuf sb = STRBUF_INIT;
	const char *p = s ? s : "";

	while (*p) {
		const char *from, *to, *v = NULL;
		size_t klen = 0;

		if (strncmp(p, "://", 3) == 0) {
			sb_add(&sb, "://");
			p += 3;
			if (userinfo_password(p, &from, &to)) {
				sb_addn(&sb, p, (size_t)(from - p));
				sb_add(&sb, "***");
				p = to;
			}
			continue;
		}
		for (size_t i = 0; i < OSM_ARRAY_LEN(mask_keys) && !v; i++)
			if ((klen = match_kw(p, mask_keys[i])))
				v = after_eq(p + klen);
		if (v) {
			sb_addn(&sb, p, (size_t)(v - p));
			sb_add(&sb, "***");
			p = value_end(v);
			continue;
		}
		sb_addc(&sb, *p++);
	}
	return sb_detach(&sb);
}

/* When libpq cannot parse the string: a "password" keyword (any prefix,
 * percent-encoded or not) before '=', or URI user information with a
 * password, anywhere in it. */
static bool looks_like_password(const char *v)
{
	const char *from, *to;

	for (const char *p = v; *p; p++) {
		size_t n = match_kw(p, "password");

		if (n && after_eq(p + n))
			return true;
	}
	for (const char *s = strstr(v, "://"); s; s = strstr(s + 3, "://"))
		if (userinfo_password(s + 3, &from, &to))
			return true;
	return false;
}

static bool has_password(const char *v, int depth)
{
	PQconninfoOption *opts;
	char *err = NULL;
	bool found = false;

	/* libpq takes a dbname as a connection string only with '=' or a
	 * postgresql:// prefix; "://" of any scheme is looked at too. */
	if (!v || (!strchr(v, '=') && !strstr(v, "://")))
		return false;
	opts = PQconninfoParse(v, &err);
	if (err) {
		/* libpq quotes the whole URI in some of its messages. */
		str_wipe(err);
		PQfreemem(err);
	}
	if (!opts)
		return looks_like_password(v);
	for (PQconninfoOption *o = opts; o->keyword; o++) {
		if (str_empty(o->val))
			continue;
		if (str_eq(o->keyword, "password") || str_eq(o->keyword, "sslpassword"))
			found = true;
		/* libpq expands dbname once; a connection string nested in it is
		 * not used, but it would still be stored: look at it too. */
		else if (str_eq(o->keyword, "dbname") && depth < 3 && has_password(o->val, depth + 1))
			found = true;
		str_wipe(o->val);
	}
	PQconninfoFree(opts);
	return found;
}

bool conninfo_has_password(const char *v)
{
	return has_password(v, 0);
}
