/* test_json.c - the strict JSON reader: shapes, lookups, and every kind of
 * malformed input it must refuse with a line/column message. */
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>

#include "json.h"
#include "util.h"

static struct json *ok(const char *s)
{
	char err[256];
	struct json *j = json_parse(s, strlen(s), err, sizeof err);

	cr_assert_not_null(j, "parse failed for %s: %s", s, err);
	return j;
}

/* Refused, and the message contains `want`. */
static void bad(const char *s, size_t len, const char *want)
{
	char err[256];
	struct json *j = json_parse(s, len, err, sizeof err);

	cr_assert_null(j, "accepted: %.*s", (int)len, s);
	cr_assert(strstr(err, want), "message '%s' lacks '%s'", err, want);
	cr_assert(strncmp(err, "line ", 5) == 0, "message '%s' has no position", err);
}

Test(json, scalars_and_containers)
{
	struct json *j = ok(" {\"a\": [1, -2.5e2, true, false, null, \"x\"], \"b\": {}, \"c\": []} ");
	const struct json *a = json_get(j, "a");

	cr_assert_eq(j->type, JSON_OBJECT);
	cr_assert_eq(json_count(a), 6);
	cr_assert_eq(json_at(a, 0)->type, JSON_NUMBER);
	cr_assert_float_eq(json_at(a, 1)->num, -250.0, 1e-9);
	cr_assert(json_at(a, 2)->b);
	cr_assert_not(json_at(a, 3)->b);
	cr_assert_eq(json_at(a, 4)->type, JSON_NULL);
	cr_assert_str_eq(json_at(a, 5)->str, "x");
	cr_assert_null(json_at(a, 6));
	cr_assert_eq(json_get(j, "b")->type, JSON_OBJECT);
	cr_assert_eq(json_count(json_get(j, "c")), 0);
	cr_assert_null(json_get(j, "missing"));
	cr_assert_null(json_get(a, "a"), "lookup on an array gives NULL");
	json_free(j);
}

Test(json, typed_getters)
{
	struct json *j = ok("{\"Name\":\"Dev\",\"Order\":3,\"Big\":12345678901234,\"F\":1.5,"
			    "\"UseHTTPS\":true,\"S\":\"3\"}");
	long long n;
	double d;
	bool b;

	cr_assert_str_eq(json_get_str(j, "Name"), "Dev");
	cr_assert_null(json_get_str(j, "Order"), "a number is not a string");
	cr_assert(json_get_int(j, "Order", &n) && n == 3);
	cr_assert(json_get_int(j, "Big", &n) && n == 12345678901234LL);
	cr_assert_not(json_get_int(j, "F", &n), "1.5 is not integral");
	cr_assert_not(json_get_int(j, "S", &n), "a string is not a number");
	cr_assert(json_get_num(j, "F", &d) && d == 1.5);
	cr_assert(json_get_bool(j, "UseHTTPS", &b) && b);
	cr_assert_not(json_get_bool(j, "Name", &b));
	cr_assert_not(json_get_bool(NULL, "x", &b));
	json_free(j);
}

Test(json, numbers_ignore_the_locale)
{
	/* The TUI sets the locale; a comma decimal point must not break parsing. */
	struct json *j;

	if (!setlocale(LC_NUMERIC, "de_DE.UTF-8") && !setlocale(LC_NUMERIC, "fr_FR.UTF-8"))
		setlocale(LC_NUMERIC, "C");
	j = ok("[0.25]");
	cr_assert_float_eq(json_at(j, 0)->num, 0.25, 1e-12);
	json_free(j);
	setlocale(LC_NUMERIC, "C");
}

Test(json, string_escapes_and_utf8)
{
	struct json *j = ok("[\"a\\\"b\\\\c\\/d\\b\\f\\n\\r\\t\", \"\\u00e9\\u20ac\", "
			    "\"\\ud83d\\ude00\", \"caf\xc3\xa9\"]");

	cr_assert_str_eq(json_at(j, 0)->str, "a\"b\\c/d\b\f\n\r\t");
	cr_assert_str_eq(json_at(j, 1)->str, "\xc3\xa9\xe2\x82\xac");
	cr_assert_str_eq(json_at(j, 2)->str, "\xf0\x9f\x98\x80");
	cr_assert_str_eq(json_at(j, 3)->str, "caf\xc3\xa9");
	json_free(j);
}

Test(json, writer_string_escapes)
{
	struct strbuf sb = STRBUF_INIT;
	struct json_writer w;

	jw_init(&w, &sb);
	jw_str(&w, "a\"b\\c\nd\te\x01 caf\xc3\xa9 \xff");
	cr_assert_str_eq(sb_str(&sb), "\"a\\\"b\\\\c\\nd\\te\\u0001 caf\xc3\xa9 \\ufffd\"");
	sb_reset(&sb);
	jw_init(&w, &sb);
	jw_str(&w, NULL);
	cr_assert_str_eq(sb_str(&sb), "null");
	sb_free(&sb);
}

/* Commas, nesting and the optional line breaks, as the report, types and
 * compare documents use them; the result reads back. */
Test(json, writer_structure)
{
	struct strbuf sb = STRBUF_INIT;
	struct json_writer w;
	struct json *j;

	jw_init(&w, &sb);
	jw_object(&w);
	jw_kint(&w, "version", 1);
	jw_kstr(&w, "name", "x");
	jw_kbool(&w, "ok", false);
	jw_key(&w, "none");
	jw_null(&w);
	jw_newline(&w);
	jw_key(&w, "list");
	jw_array(&w);
	for (int i = 0; i < 3; i++) {
		jw_newline(&w);
		jw_object(&w);
		jw_kint(&w, "i", i);
		jw_key(&w, "empty");
		jw_array(&w);
		jw_end(&w);
		jw_end(&w);
	}
	jw_newline(&w);
	jw_end(&w);
	jw_key(&w, "obj");
	jw_object(&w);
	jw_end(&w);
	jw_end(&w);
	cr_assert_str_eq(sb_str(&sb),
			 "{\"version\":1,\"name\":\"x\",\"ok\":false,\"none\":null,\n"
			 "\"list\":[\n{\"i\":0,\"empty\":[]},\n{\"i\":1,\"empty\":[]},\n"
			 "{\"i\":2,\"empty\":[]}\n],\"obj\":{}}");
	j = ok(sb_str(&sb));
	cr_assert_eq(json_count(json_get(j, "list")), 3);
	json_free(j);
	/* The strbuf may be emptied between calls (streaming): the writer
	 * keeps its place. */
	sb_reset(&sb);
	jw_init(&w, &sb);
	jw_array(&w);
	jw_int(&w, 1);
	sb_reset(&sb);
	jw_int(&w, -2);
	jw_end(&w);
	cr_assert_str_eq(sb_str(&sb), ",-2]");
	sb_free(&sb);
}

Test(json, writer_output_reads_back)
{
	/* The writer and this reader agree, including control characters. */
	struct strbuf sb = STRBUF_INIT;
	struct json_writer w;
	const char *in = "tab\there \"q\" back\\slash \x01 caf\xc3\xa9";
	struct json *j;

	jw_init(&w, &sb);
	jw_str(&w, in);
	j = ok(sb_str(&sb));
	cr_assert_str_eq(j->str, in);
	json_free(j);
	sb_free(&sb);
}

Test(json, truncated_input)
{
	bad("", 0, "unexpected end of input");
	bad("   ", 3, "unexpected end of input");
	bad("[1, 2", 5, "unexpected end of input inside an array");
	bad("{\"a\": 1", 7, "unexpected end of input inside an object");
	bad("{\"a\"", 4, "':' expected");
	bad("{\"a\":", 5, "unexpected end of input");
	bad("\"abc", 4, "unterminated string");
	bad("\"ab\\", 4, "unterminated string");
	bad("tru", 3, "unexpected character 't'");
	bad("[1,]", 4, "unexpected character ']'");
	bad("\"\\u12", 5, "truncated \\u escape");
}

Test(json, grammar_errors)
{
	bad("[1 2]", 5, "',' or ']' expected");
	bad("{\"a\" 1}", 7, "':' expected");
	bad("{a: 1}", 6, "a quoted key expected");
	bad("{\"a\":1,}", 8, "a quoted key expected");
	bad("[01]", 4, "leading zeros");
	bad("[1.]", 4, "after the decimal point");
	bad("[1e]", 4, "exponent");
	bad("[-]", 3, "after '-'");
	bad("[+1]", 4, "unexpected character '+'");
	bad("[NaN]", 5, "unexpected character 'N'");
	bad("[1] x", 5, "unexpected data after the JSON value");
	bad("[1]\n[2]", 7, "line 2, column 1");
	bad("{\"Key\":1,\"Key\":2}", 17, "duplicate key \"Key\"");
	bad("['a']", 5, "unexpected character '''");
}

Test(json, bad_escapes)
{
	bad("\"\\x41\"", 6, "bad escape \\x");
	bad("\"\\u00zz\"", 8, "four hex digits");
	bad("\"\\ud800\"", 8, "high surrogate without its low half");
	bad("\"\\ud800\\u0041\"", 14, "high surrogate without its low half");
	bad("\"\\udc00\"", 8, "lone low surrogate");
	bad("\"\\u0000\"", 8, "\\u0000 is not accepted");
	bad("\"a\tb\"", 5, "control character 0x09");
	bad("\"a\nb\"", 5, "control character 0x0a");
}

Test(json, invalid_utf8)
{
	bad("\"\xff\"", 3, "invalid UTF-8 byte 0xff");
	bad("\"\xc3\"", 3, "invalid UTF-8");                /* truncated sequence */
	bad("\"\xc0\xaf\"", 4, "invalid UTF-8");            /* overlong '/' */
	bad("\"\xed\xa0\x80\"", 5, "invalid UTF-8");        /* encoded surrogate */
	bad("\"\xf4\x90\x80\x80\"", 6, "invalid UTF-8");    /* above U+10FFFF */
	bad("\x80", 1, "unexpected byte 0x80");
	/* An embedded NUL outside a string is just a bad byte, not an end. */
	bad("[1]\0", 4, "unexpected data");
}

Test(json, depth_limit)
{
	struct strbuf sb = STRBUF_INIT;
	struct json *j;
	char err[256];

	/* Exactly JSON_MAX_DEPTH levels parse; one more is refused, and a
	 * hostile 100000 levels neither crashes nor recurses that deep. */
	for (int i = 0; i < JSON_MAX_DEPTH; i++)
		sb_addc(&sb, '[');
	for (int i = 0; i < JSON_MAX_DEPTH; i++)
		sb_addc(&sb, ']');
	j = json_parse(sb.buf, sb.len, err, sizeof err);
	cr_assert_not_null(j, "%s", err);
	json_free(j);
	sb_reset(&sb);
	for (int i = 0; i <= JSON_MAX_DEPTH; i++)
		sb_add(&sb, "{\"a\":");
	sb_add(&sb, "1");
	for (int i = 0; i <= JSON_MAX_DEPTH; i++)
		sb_addc(&sb, '}');
	bad(sb.buf, sb.len, "nesting deeper than 64");
	sb_reset(&sb);
	for (int i = 0; i < 100000; i++)
		sb_addc(&sb, '[');
	bad(sb.buf, sb.len, "nesting deeper");
	sb_free(&sb);
}

Test(json, many_keys_lookup)
{
	struct strbuf sb = STRBUF_INIT;
	struct json *j;
	long long v;

	sb_addc(&sb, '{');
	for (int i = 0; i < 5000; i++)
		sb_addf(&sb, "%s\"k%d\":%d", i ? "," : "", (i * 7919) % 5000, i);
	sb_addc(&sb, '}');
	j = ok(sb.buf);
	cr_assert_eq(json_count(j), 5000);
	cr_assert(json_get_int(j, "k0", &v) && v == 0);
	cr_assert(json_get_int(j, "k7919", &v) == false);
	cr_assert(json_get_int(j, "k2919", &v) && v == 1);
	json_free(j);
	sb_free(&sb);
}

Test(json, null_error_buffer_is_fine)
{
	cr_assert_null(json_parse("[", 1, NULL, 0));
	cr_assert_null(json_parse(NULL, 0, NULL, 0));
}

/* Deterministic mutations of a recorded LifeTime answer: every truncation
 * point and thousands of byte flips either parse or fail with a message;
 * under --enable-asan this also proves no read past the buffer. */
Test(json, mutations_parse_or_fail_cleanly)
{
	const char *top = getenv("top_srcdir");
	char *path = xasprintf("%s/demo/www/lifetimeapi/v2/applications.json", top ? top : ".");
	FILE *f = fopen(path, "rb");
	char buf[16384], err[256];
	size_t n;
	unsigned long long seed = 42;

	cr_assert_not_null(f, "%s", path);
	n = fread(buf, 1, sizeof buf, f);
	fclose(f);
	free(path);
	cr_assert_gt(n, 100);
	for (size_t cut = 0; cut < n; cut++) {
		/* Exact-size copies so that ASan sees any read past the end. */
		char *copy = xmalloc(cut ? cut : 1);
		struct json *j;

		memcpy(copy, buf, cut);
		err[0] = '\0';
		j = json_parse(copy, cut, err, sizeof err);
		cr_assert(j || err[0], "no message at cut %zu", cut);
		json_free(j);
		free(copy);
	}
	for (int i = 0; i < 3000; i++) {
		char *copy = xmalloc(n);
		struct json *j;

		memcpy(copy, buf, n);
		for (int k = 0; k < 1 + i % 4; k++) {
			seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
			copy[(seed >> 33) % n] = (char)(seed >> 17);
		}
		err[0] = '\0';
		j = json_parse(copy, n, err, sizeof err);
		cr_assert(j || err[0], "no message for mutation %d", i);
		json_free(j);
		free(copy);
	}
}
