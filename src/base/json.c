/* json.c - strict JSON reader and the one JSON writer (see json.h).
 *
 * Recursive descent with an explicit depth limit, so hostile or broken
 * input (a proxy's error page, a truncated answer) gives a message naming
 * the line and column instead of a crash or a half-filled structure. */
#include "config.h"

#include <errno.h>
#include <locale.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "text.h"
#include "util.h"

struct parser {
	const char *s;
	size_t len, pos;
	char *err;
	size_t errlen;
	bool failed;
	locale_t c_locale;   /* for strtod: the TUI may have set LC_NUMERIC */
};

static void perr(struct parser *p, const char *fmt, ...) OSM_PRINTF(2, 3);

static void perr(struct parser *p, const char *fmt, ...)
{
	size_t line = 1, col = 1;
	va_list ap;
	int n;

	if (p->failed)
		return;
	p->failed = true;
	if (!p->err || !p->errlen)
		return;
	for (size_t i = 0; i < p->pos && i < p->len; i++) {
		if (p->s[i] == '\n') {
			line++;
			col = 1;
		} else if (((unsigned char)p->s[i] & 0xC0) != 0x80) {
			col++;  /* count characters, not UTF-8 continuation bytes */
		}
	}
	n = snprintf(p->err, p->errlen, "line %zu, column %zu: ", line, col);
	if (n < 0 || (size_t)n >= p->errlen)
		return;
	va_start(ap, fmt);
	vsnprintf(p->err + n, p->errlen - (size_t)n, fmt, ap);
	va_end(ap);
}

static void skip_ws(struct parser *p)
{
	while (p->pos < p->len) {
		char c = p->s[p->pos];

		if (c != ' ' && c != '\t' && c != '\n' && c != '\r')
			break;
		p->pos++;
	}
}

static struct json *new_node(enum json_type t)
{
	struct json *j = xcalloc(1, sizeof *j);

	j->type = t;
	return j;
}

void json_free(struct json *j)
{
	if (!j)
		return;
	for (size_t i = 0; i < j->n; i++) {
		json_free(j->items[i]);
		if (j->keys)
			free(j->keys[i]);
	}
	free(j->items);
	free(j->keys);
	free(j->sorted);
	free(j->str);
	free(j);
}

static struct json *parse_value(struct parser *p, int depth);

static bool read_hex4(struct parser *p, unsigned *out)
{
	unsigned v = 0;

	if (p->len - p->pos < 4) {
		perr(p, "truncated \\u escape");
		return false;
	}
	for (int i = 0; i < 4; i++) {
		int h = hex_value(p->s[p->pos + i]);

		if (h < 0) {
			perr(p, "bad \\u escape: four hex digits expected");
			return false;
		}
		v = v * 16 + (unsigned)h;
	}
	p->pos += 4;
	*out = v;
	return true;
}

static void add_utf8(struct strbuf *sb, unsigned cp)
{
	if (cp < 0x80) {
		sb_addc(sb, (char)cp);
	} else if (cp < 0x800) {
		sb_addc(sb, (char)(0xC0 | (cp >> 6)));
		sb_addc(sb, (char)(0x80 | (cp & 0x3F)));
	} else if (cp < 0x10000) {
		sb_addc(sb, (char)(0xE0 | (cp >> 12)));
		sb_addc(sb, (char)(0x80 | ((cp >> 6) & 0x3F)));
		sb_addc(sb, (char)(0x80 | (cp & 0x3F)));
	} else {
		sb_addc(sb, (char)(0xF0 | (cp >> 18)));
		sb_addc(sb, (char)(0x80 | ((cp >> 12) & 0x3F)));
		sb_addc(sb, (char)(0x80 | ((cp >> 6) & 0x3F)));
		sb_addc(sb, (char)(0x80 | (cp & 0x3F)));
	}
}

/* Length of the valid UTF-8 sequence at s (at most n bytes), 0 if invalid:
 * no overlongs, no surrogates, nothing above U+10FFFF. */
static size_t utf8_seq(const unsigned char *s, size_t n)
{
	unsigned cp;
	size_t len;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xC2 && s[0] <= 0xDF) {
		len = 2;
		cp = s[0] & 0x1F;
	} else if (s[0] >= 0xE0 && s[0] <= 0xEF) {
		len = 3;
		cp = s[0] & 0x0F;
	} else if (s[0] >= 0xF0 && s[0] <= 0xF4) {
		len = 4;
		cp = s[0] & 0x07;
	} else {
		return 0;
	}
	if (n < len)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3F);
	}
	if ((len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) || cp > 0x10FFFF ||
	    (cp >= 0xD800 && cp <= 0xDFFF))
		return 0;
	return len;
}

/* At the opening quote; returns the decoded string or NULL. */
static char *parse_string(struct parser *p)
{
	struct strbuf sb = STRBUF_INIT;

	p->pos++;  /* opening quote */
	sb_add(&sb, "");
	for (;;) {
		unsigned char c;

		if (p->pos >= p->len) {
			perr(p, "unterminated string");
			goto fail;
		}
		c = (unsigned char)p->s[p->pos];
		if (c == '"') {
			p->pos++;
			return sb_detach(&sb);
		}
		if (c < 0x20) {
			perr(p, "control character 0x%02x inside a string (must be escaped)", c);
			goto fail;
		}
		if (c == '\\') {
			char e;

			if (++p->pos >= p->len) {
				perr(p, "unterminated string");
				goto fail;
			}
			e = p->s[p->pos++];
			switch (e) {
			case '"': sb_addc(&sb, '"'); break;
			case '\\': sb_addc(&sb, '\\'); break;
			case '/': sb_addc(&sb, '/'); break;
			case 'b': sb_addc(&sb, '\b'); break;
			case 'f': sb_addc(&sb, '\f'); break;
			case 'n': sb_addc(&sb, '\n'); break;
			case 'r': sb_addc(&sb, '\r'); break;
			case 't': sb_addc(&sb, '\t'); break;
			case 'u': {
				unsigned cp, lo;

				if (!read_hex4(p, &cp))
					goto fail;
				if (cp >= 0xDC00 && cp <= 0xDFFF) {
					perr(p, "bad \\u escape: lone low surrogate");
					goto fail;
				}
				if (cp >= 0xD800 && cp <= 0xDBFF) {
					if (p->len - p->pos < 2 || p->s[p->pos] != '\\' ||
					    p->s[p->pos + 1] != 'u') {
						perr(p, "bad \\u escape: high surrogate without its low half");
						goto fail;
					}
					p->pos += 2;
					if (!read_hex4(p, &lo))
						goto fail;
					if (lo < 0xDC00 || lo > 0xDFFF) {
						perr(p, "bad \\u escape: high surrogate without its low half");
						goto fail;
					}
					cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
				}
				if (cp == 0) {
					perr(p, "\\u0000 is not accepted in a string");
					goto fail;
				}
				add_utf8(&sb, cp);
				break;
			}
			default:
				p->pos--;
				if ((unsigned char)e >= 0x20 && (unsigned char)e < 0x7F)
					perr(p, "bad escape \\%c", e);
				else
					perr(p, "bad escape: backslash followed by byte 0x%02x",
					     (unsigned char)e);
				goto fail;
			}
			continue;
		}
		{
			size_t k = utf8_seq((const unsigned char *)p->s + p->pos, p->len - p->pos);

			if (!k) {
				perr(p, "invalid UTF-8 byte 0x%02x in a string", c);
				goto fail;
			}
			sb_addn(&sb, p->s + p->pos, k);
			p->pos += k;
		}
	}
fail:
	sb_free(&sb);
	return NULL;
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static struct json *parse_number(struct parser *p)
{
	size_t start = p->pos;
	struct json *j;
	char *end;

	if (p->s[p->pos] == '-')
		p->pos++;
	if (p->pos >= p->len || !is_digit(p->s[p->pos])) {
		perr(p, "a digit expected after '-'");
		return NULL;
	}
	if (p->s[p->pos] == '0') {
		p->pos++;
		if (p->pos < p->len && is_digit(p->s[p->pos])) {
			perr(p, "numbers must not have leading zeros");
			return NULL;
		}
	} else {
		while (p->pos < p->len && is_digit(p->s[p->pos]))
			p->pos++;
	}
	if (p->pos < p->len && p->s[p->pos] == '.') {
		p->pos++;
		if (p->pos >= p->len || !is_digit(p->s[p->pos])) {
			perr(p, "a digit expected after the decimal point");
			return NULL;
		}
		while (p->pos < p->len && is_digit(p->s[p->pos]))
			p->pos++;
	}
	if (p->pos < p->len && (p->s[p->pos] == 'e' || p->s[p->pos] == 'E')) {
		p->pos++;
		if (p->pos < p->len && (p->s[p->pos] == '+' || p->s[p->pos] == '-'))
			p->pos++;
		if (p->pos >= p->len || !is_digit(p->s[p->pos])) {
			perr(p, "a digit expected in the exponent");
			return NULL;
		}
		while (p->pos < p->len && is_digit(p->s[p->pos]))
			p->pos++;
	}
	j = new_node(JSON_NUMBER);
	j->str = xstrndup(p->s + start, p->pos - start);
	/* The grammar is checked above; strtod only converts, in the C locale. */
	if (!p->c_locale)
		p->c_locale = newlocale(LC_NUMERIC_MASK, "C", (locale_t)0);
	if (p->c_locale) {
		locale_t old = uselocale(p->c_locale);

		j->num = strtod(j->str, &end);
		uselocale(old);
	} else {
		j->num = strtod(j->str, &end);
	}
	return j;
}

static bool literal(struct parser *p, const char *word)
{
	size_t n = strlen(word);

	if (p->len - p->pos < n || memcmp(p->s + p->pos, word, n) != 0)
		return false;
	p->pos += n;
	return true;
}

static int key_cmp(const void *a, const void *b, void *keys)
{
	char **k = keys;

	return strcmp(k[*(const size_t *)a], k[*(const size_t *)b]);
}

/* Sorted key indexes: duplicate detection and lookups stay O(n log n) even
 * for a hostile object with a million keys.  qsort_r is the glibc form
 * (AC_USE_SYSTEM_EXTENSIONS). */
static bool index_object(struct parser *p, struct json *o)
{
	o->sorted = xreallocarray(NULL, o->n ? o->n : 1, sizeof *o->sorted);
	for (size_t i = 0; i < o->n; i++)
		o->sorted[i] = i;
	qsort_r(o->sorted, o->n, sizeof *o->sorted, key_cmp, o->keys);
	for (size_t i = 1; i < o->n; i++)
		if (strcmp(o->keys[o->sorted[i - 1]], o->keys[o->sorted[i]]) == 0) {
			perr(p, "duplicate key \"%.80s\" in an object", o->keys[o->sorted[i]]);
			return false;
		}
	return true;
}

static void push(struct json *c, char *key, struct json *v, size_t *cap)
{
	if (c->n == *cap) {
		*cap = *cap ? *cap * 2 : 4;
		c->items = xreallocarray(c->items, *cap, sizeof *c->items);
		if (c->type == JSON_OBJECT)
			c->keys = xreallocarray(c->keys, *cap, sizeof *c->keys);
	}
	if (c->type == JSON_OBJECT)
		c->keys[c->n] = key;
	c->items[c->n++] = v;
}

static struct json *parse_container(struct parser *p, int depth, bool object)
{
	struct json *c = new_node(object ? JSON_OBJECT : JSON_ARRAY);
	char close = object ? '}' : ']';
	size_t cap = 0;

	if (depth >= JSON_MAX_DEPTH) {
		perr(p, "nesting deeper than %d levels", JSON_MAX_DEPTH);
		goto fail;
	}
	p->pos++;
	skip_ws(p);
	if (p->pos < p->len && p->s[p->pos] == close) {
		p->pos++;
		goto done;
	}
	for (;;) {
		char *key = NULL;
		struct json *v;

		skip_ws(p);
		if (object) {
			if (p->pos >= p->len) {
				perr(p, "unexpected end of input inside an object");
				goto fail;
			}
			if (p->s[p->pos] != '"') {
				perr(p, "a quoted key expected");
				goto fail;
			}
			if (!(key = parse_string(p)))
				goto fail;
			skip_ws(p);
			if (p->pos >= p->len || p->s[p->pos] != ':') {
				free(key);
				perr(p, "':' expected after a key");
				goto fail;
			}
			p->pos++;
		}
		if (!(v = parse_value(p, depth + 1))) {
			free(key);
			goto fail;
		}
		push(c, key, v, &cap);
		skip_ws(p);
		if (p->pos >= p->len) {
			perr(p, "unexpected end of input inside an %s", object ? "object" : "array");
			goto fail;
		}
		if (p->s[p->pos] == ',') {
			p->pos++;
			continue;
		}
		if (p->s[p->pos] == close) {
			p->pos++;
			break;
		}
		perr(p, "',' or '%c' expected", close);
		goto fail;
	}
done:
	if (object && !index_object(p, c))
		goto fail;
	return c;
fail:
	json_free(c);
	return NULL;
}

static struct json *parse_value(struct parser *p, int depth)
{
	struct json *j;
	char c;

	skip_ws(p);
	if (p->pos >= p->len) {
		perr(p, "unexpected end of input: a value expected");
		return NULL;
	}
	c = p->s[p->pos];
	switch (c) {
	case '{':
		return parse_container(p, depth, true);
	case '[':
		return parse_container(p, depth, false);
	case '"': {
		char *s = parse_string(p);

		if (!s)
			return NULL;
		j = new_node(JSON_STRING);
		j->str = s;
		return j;
	}
	case 't':
	case 'f':
		if (literal(p, c == 't' ? "true" : "false")) {
			j = new_node(JSON_BOOL);
			j->b = c == 't';
			return j;
		}
		break;
	case 'n':
		if (literal(p, "null"))
			return new_node(JSON_NULL);
		break;
	default:
		if (c == '-' || is_digit(c))
			return parse_number(p);
		break;
	}
	if ((unsigned char)c >= 0x20 && (unsigned char)c < 0x7F)
		perr(p, "unexpected character '%c': a value expected", c);
	else
		perr(p, "unexpected byte 0x%02x: a value expected", (unsigned char)c);
	return NULL;
}

struct json *json_parse(const char *text, size_t len, char *err, size_t errlen)
{
	struct parser p = { .s = text, .len = len, .err = err, .errlen = errlen };
	struct json *j;

	if (err && errlen)
		err[0] = '\0';
	if (!text) {
		p.len = 0;
		p.s = "";
	}
	j = parse_value(&p, 0);
	if (j) {
		skip_ws(&p);
		if (p.pos < p.len) {
			perr(&p, "unexpected data after the JSON value");
			json_free(j);
			j = NULL;
		}
	}
	if (p.c_locale)
		freelocale(p.c_locale);
	return j;
}

const char *json_type_name(enum json_type t)
{
	switch (t) {
	case JSON_NULL: return "null";
	case JSON_BOOL: return "boolean";
	case JSON_NUMBER: return "number";
	case JSON_STRING: return "string";
	case JSON_ARRAY: return "array";
	case JSON_OBJECT: return "object";
	}
	return "unknown";
}

const struct json *json_get(const struct json *obj, const char *key)
{
	size_t lo = 0, hi;

	if (!obj || obj->type != JSON_OBJECT || !key)
		return NULL;
	hi = obj->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(key, obj->keys[obj->sorted[mid]]);

		if (c == 0)
			return obj->items[obj->sorted[mid]];
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}

const struct json *json_at(const struct json *arr, size_t i)
{
	if (!arr || (arr->type != JSON_ARRAY && arr->type != JSON_OBJECT) || i >= arr->n)
		return NULL;
	return arr->items[i];
}

size_t json_count(const struct json *j)
{
	if (!j || (j->type != JSON_ARRAY && j->type != JSON_OBJECT))
		return 0;
	return j->n;
}

const char *json_get_str(const struct json *obj, const char *key)
{
	const struct json *v = json_get(obj, key);

	return v && v->type == JSON_STRING ? v->str : NULL;
}

bool json_get_bool(const struct json *obj, const char *key, bool *out)
{
	const struct json *v = json_get(obj, key);

	if (!v || v->type != JSON_BOOL)
		return false;
	*out = v->b;
	return true;
}

bool json_get_int(const struct json *obj, const char *key, long long *out)
{
	const struct json *v = json_get(obj, key);
	long long x;
	char *end;

	if (!v || v->type != JSON_NUMBER || strpbrk(v->str, ".eE"))
		return false;
	errno = 0;
	x = strtoll(v->str, &end, 10);
	if (errno || *end)
		return false;
	*out = x;
	return true;
}

bool json_get_num(const struct json *obj, const char *key, double *out)
{
	const struct json *v = json_get(obj, key);

	if (!v || v->type != JSON_NUMBER)
		return false;
	*out = v->num;
	return true;
}

/* ---- the writer ---- */

static void put_string(struct strbuf *sb, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n, i = 0;

	if (!s) {
		sb_add(sb, "null");
		return;
	}
	n = strlen(s);
	sb_addc(sb, '"');
	while (i < n) {
		unsigned char c = p[i];
		size_t l;

		/* a run of printable ASCII needs no escape: added at once */
		if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\') {
			size_t j = i + 1;

			while (j < n && p[j] >= 0x20 && p[j] < 0x7f && p[j] != '"' && p[j] != '\\')
				j++;
			sb_addn(sb, s + i, j - i);
			i = j;
			continue;
		}
		switch (c) {
		case '"': sb_add(sb, "\\\""); i++; continue;
		case '\\': sb_add(sb, "\\\\"); i++; continue;
		case '\n': sb_add(sb, "\\n"); i++; continue;
		case '\r': sb_add(sb, "\\r"); i++; continue;
		case '\t': sb_add(sb, "\\t"); i++; continue;
		default: break;
		}
		if (c < 0x20 || c == 0x7f) {
			sb_addf(sb, "\\u%04x", c);
			i++;
			continue;
		}
		{
			uint32_t cp;

			l = utf8_decode(s + i, n - i, &cp);
			if (!l) {
				sb_add(sb, "\\ufffd");
				i++;
				continue;
			}
			/* C1, bidi controls and line separators: escaped, so the
			 * value stays faithful but cannot act on a terminal that
			 * shows the raw JSON (text.h). */
			if (text_cp_unsafe(cp)) {
				sb_addf(sb, "\\u%04x", (unsigned)cp);
				i += l;
				continue;
			}
		}
		sb_addn(sb, s + i, l);
		i += l;
	}
	sb_addc(sb, '"');
}

void jw_init(struct json_writer *w, struct strbuf *sb)
{
	memset(w, 0, sizeof *w);
	w->sb = sb;
}

/* Before a value or a key: the comma after the previous member, and the
 * line break asked for. */
static void jw_sep(struct json_writer *w, bool key)
{
	if (w->after_key) {
		if (key)
			fatalx("json writer: a key where the value of the previous key is due");
		w->after_key = false;
		return;
	}
	if (key != w->in_object[w->depth] && (key || w->depth > 0))
		fatalx(key ? "json writer: a key outside an object"
			   : "json writer: a value where a key is due");
	if (w->has_member[w->depth])
		sb_addc(w->sb, ',');
	w->has_member[w->depth] = true;
	if (w->newline)
		sb_addc(w->sb, '\n');
	w->newline = false;
}

static void jw_open(struct json_writer *w, bool object)
{
	jw_sep(w, false);
	if (w->depth >= JSON_MAX_DEPTH)
		fatalx("json writer: nested deeper than %d", JSON_MAX_DEPTH);
	w->depth++;
	w->in_object[w->depth] = object;
	w->has_member[w->depth] = false;
	sb_addc(w->sb, object ? '{' : '[');
}

void jw_object(struct json_writer *w)
{
	jw_open(w, true);
}

void jw_array(struct json_writer *w)
{
	jw_open(w, false);
}

void jw_end(struct json_writer *w)
{
	if (w->depth == 0 || w->after_key)
		fatalx("json writer: an end without a start, or after a key");
	if (w->newline)
		sb_addc(w->sb, '\n');
	w->newline = false;
	sb_addc(w->sb, w->in_object[w->depth] ? '}' : ']');
	w->depth--;
}

void jw_key(struct json_writer *w, const char *key)
{
	jw_sep(w, true);
	put_string(w->sb, key);
	sb_addc(w->sb, ':');
	w->after_key = true;
}

void jw_str(struct json_writer *w, const char *s)
{
	jw_sep(w, false);
	put_string(w->sb, s);
}

void jw_int(struct json_writer *w, long long v)
{
	jw_sep(w, false);
	sb_addf(w->sb, "%lld", v);
}

void jw_bool(struct json_writer *w, bool v)
{
	jw_sep(w, false);
	sb_add(w->sb, v ? "true" : "false");
}

void jw_null(struct json_writer *w)
{
	jw_sep(w, false);
	sb_add(w->sb, "null");
}

void jw_newline(struct json_writer *w)
{
	w->newline = true;
}

void jw_kstr(struct json_writer *w, const char *key, const char *s)
{
	jw_key(w, key);
	jw_str(w, s);
}

/* Encodings by address (open addressing, pointers hashed). */
struct jw_kept {
	const char **key;
	char **val;
	size_t cap, n;
};

static size_t kept_slot(const struct jw_kept *k, const char *s)
{
	size_t i = (size_t)(((uintptr_t)s >> 3) * 11400714819323198485ULL) & (k->cap - 1);

	while (k->key[i] && k->key[i] != s)
		i = (i + 1) & (k->cap - 1);
	return i;
}

static const char *kept_encoding(struct json_writer *w, const char *s)
{
	struct jw_kept *k = w->kept;
	size_t i;

	if (!k)
		k = w->kept = xcalloc(1, sizeof *k);
	if ((k->n + 1) * 2 >= k->cap) {
		size_t cap = k->cap ? k->cap * 2 : 512;
		struct jw_kept big = { xcalloc(cap, sizeof *big.key), xcalloc(cap, sizeof *big.val),
				       cap, k->n };

		for (size_t j = 0; j < k->cap; j++)
			if (k->key[j]) {
				size_t t = kept_slot(&big, k->key[j]);

				big.key[t] = k->key[j];
				big.val[t] = k->val[j];
			}
		free(k->key);
		free(k->val);
		*k = big;
	}
	i = kept_slot(k, s);
	if (!k->key[i]) {
		struct strbuf e = STRBUF_INIT;

		put_string(&e, s);
		k->key[i] = s;
		k->val[i] = sb_detach(&e);
		k->n++;
	}
	return k->val[i];
}

void jw_kstr_kept(struct json_writer *w, const char *key, const char *s)
{
	jw_sep(w, true);
	sb_add(w->sb, kept_encoding(w, key));
	sb_addc(w->sb, ':');
	w->after_key = true;
	if (!s) {
		jw_null(w);
		return;
	}
	jw_sep(w, false);
	sb_add(w->sb, kept_encoding(w, s));
}

void jw_release(struct json_writer *w)
{
	if (!w->kept)
		return;
	for (size_t i = 0; i < w->kept->cap; i++)
		free(w->kept->val[i]);
	free(w->kept->key);
	free(w->kept->val);
	free(w->kept);
	w->kept = NULL;
}

void jw_kint(struct json_writer *w, const char *key, long long v)
{
	jw_key(w, key);
	jw_int(w, v);
}

void jw_kbool(struct json_writer *w, const char *key, bool v)
{
	jw_key(w, key);
	jw_bool(w, v);
}
