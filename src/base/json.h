/* json.h - a small strict JSON reader (RFC 8259) into a DOM, for the
 * LifeTime API answers.  Strict: the whole input must be exactly one value
 * (surrounding whitespace allowed), strings must be valid UTF-8 without
 * control characters, escapes must be valid (\u surrogates paired, \u0000
 * refused because values become C strings), numbers follow the grammar,
 * duplicate keys in one object are refused, nesting is limited to
 * JSON_MAX_DEPTH.  Errors name the line and column.
 *
 * And the one JSON writer (struct json_writer below): every JSON document
 * osmigrate prints (report, types, compare) is written through it, so the
 * commas, the nesting and the escaping of strings live in one place.
 * UI-free: never include curses here. */
#ifndef OSM_JSON_H
#define OSM_JSON_H

#include <stdbool.h>
#include <stddef.h>

#include "util.h"

#define JSON_MAX_DEPTH 64

enum json_type {
	JSON_NULL,
	JSON_BOOL,
	JSON_NUMBER,
	JSON_STRING,
	JSON_ARRAY,
	JSON_OBJECT,
};

struct json {
	enum json_type type;
	bool b;               /* JSON_BOOL */
	double num;           /* JSON_NUMBER */
	char *str;            /* JSON_STRING: decoded, NUL-terminated; JSON_NUMBER: the literal */
	size_t n;             /* JSON_ARRAY / JSON_OBJECT: number of members */
	struct json **items;  /* members in input order */
	char **keys;          /* JSON_OBJECT: keys[i] names items[i] */
	size_t *sorted;       /* JSON_OBJECT: indexes of keys in strcmp order (lookup) */
};

/* Parse len bytes.  Returns NULL and a message ("line 3, column 14: ...")
 * in err (errlen bytes) on any error. */
struct json *json_parse(const char *text, size_t len, char *err, size_t errlen);
void json_free(struct json *j);

const char *json_type_name(enum json_type t);  /* "null", "boolean", "number", ... */

/* Lookup helpers: all NULL-safe, returning NULL / false on a missing key or
 * a member of another type, so callers can chain them. */
const struct json *json_get(const struct json *obj, const char *key);
const struct json *json_at(const struct json *arr, size_t i);
size_t json_count(const struct json *arr_or_obj);   /* 0 for scalars and NULL */
const char *json_get_str(const struct json *obj, const char *key);
bool json_get_bool(const struct json *obj, const char *key, bool *out);
/* Integral numbers only (no fraction or exponent, within long long). */
bool json_get_int(const struct json *obj, const char *key, long long *out);
bool json_get_num(const struct json *obj, const char *key, double *out);

/* ---- the writer ----
 *
 * Appends to a strbuf: values, keys and the brackets of objects and
 * arrays, with the commas between members written for the caller.  The
 * caller may empty the strbuf between two calls (to stream a large
 * document to a file): the writer keeps its place by itself.
 *
 *     struct json_writer w;
 *     jw_init(&w, &sb);
 *     jw_object(&w);
 *     jw_kint(&w, "version", 1);
 *     jw_key(&w, "findings");
 *     jw_array(&w); ... jw_end(&w);
 *     jw_end(&w);
 *
 * Strings are written with quotes, control characters, quotes and
 * backslashes escaped, and as \uXXXX every code point text.h neutralises
 * (C1, bidi controls, U+2028/U+2029); invalid UTF-8 bytes become U+FFFD.
 * A NULL string is written as null.  Misuse (a key outside an object, a
 * value where a key is due, nesting deeper than JSON_MAX_DEPTH, an end
 * without a start) is a programming error: fatalx. */
struct json_writer {
	struct strbuf *sb;
	unsigned depth;
	bool in_object[JSON_MAX_DEPTH + 1];  /* per level: object (keys) or array */
	bool has_member[JSON_MAX_DEPTH + 1]; /* per level: a comma before the next one */
	bool after_key;                      /* a key was written: its value is due */
	bool newline;                        /* jw_newline: before the next token */
	struct jw_kept *kept;                /* jw_kstr_kept's encodings, or NULL */
};
void jw_init(struct json_writer *w, struct strbuf *sb);
void jw_object(struct json_writer *w);   /* { */
void jw_array(struct json_writer *w);    /* [ */
void jw_end(struct json_writer *w);      /* the } or ] of the innermost one */
void jw_key(struct json_writer *w, const char *key);
void jw_str(struct json_writer *w, const char *s);   /* NULL: null */
void jw_int(struct json_writer *w, long long v);
void jw_bool(struct json_writer *w, bool v);
void jw_null(struct json_writer *w);
/* Start the next member (after its comma) or closing bracket on a new
 * line: only for the eyes of someone reading a long document. */
void jw_newline(struct json_writer *w);
/* A key and its value in one call. */
void jw_kstr(struct json_writer *w, const char *key, const char *s);
void jw_kint(struct json_writer *w, const char *key, long long v);
void jw_kbool(struct json_writer *w, const char *key, bool v);
/* A key and a string that stay unchanged at their addresses for the whole
 * document (a literal key, an interned name, a static text): each is
 * encoded once and its encoding reused, for documents that repeat a few
 * hundred strings tens of thousands of times (the type report).  The same
 * escaping as jw_str; NULL s: null.  jw_release() frees what the writer
 * kept (nothing to do otherwise). */
void jw_kstr_kept(struct json_writer *w, const char *key, const char *s);
void jw_release(struct json_writer *w);

#endif
