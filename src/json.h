/* json.h - a small strict JSON reader (RFC 8259) into a DOM, for the
 * LifeTime API answers.  Strict: the whole input must be exactly one value
 * (surrounding whitespace allowed), strings must be valid UTF-8 without
 * control characters, escapes must be valid (\u surrogates paired, \u0000
 * refused because values become C strings), numbers follow the grammar,
 * duplicate keys in one object are refused, nesting is limited to
 * JSON_MAX_DEPTH.  Errors name the line and column.
 * The writer side is sb_add_json_string() in util.h.
 * UI-free: never include curses here. */
#ifndef OSM_JSON_H
#define OSM_JSON_H

#include <stdbool.h>
#include <stddef.h>

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

#endif
