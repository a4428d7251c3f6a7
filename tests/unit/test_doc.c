/* test_doc.c - the INI document model: escaping writer, strict reader, and
 * the round trip through Debian's real libinih. */
#include "config.h"

#include <criterion/criterion.h>
#include <ini.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "doc.h"
#include "util.h"

/* ---- an independent decoder over the real libinih ------------------- */

/* What a plain libinih reader sees, decoded with the escape rules
 * documented at the top of doc.c: one entry per (section, key). */
struct seen {
	char section[256];
	char key[64];
	struct strbuf value;
};

struct collect {
	struct seen items[64];
	size_t n;
	int errors;
};

static void decode(const char *s, struct strbuf *out)
{
	for (size_t i = 0; s[i]; i++) {
		if (s[i] != '\\') {
			sb_addc(out, s[i]);
			continue;
		}
		i++;
		switch (s[i]) {
		case 'n': sb_addc(out, '\n'); break;
		case 'r': sb_addc(out, '\r'); break;
		case 't': sb_addc(out, '\t'); break;
		case 'x': {
			char hex[3] = { s[i + 1], s[i + 2], 0 };
			sb_addc(out, (char)strtol(hex, NULL, 16));
			i += 2;
			break;
		}
		default: sb_addc(out, s[i]); break;
		}
	}
}

static int collect_handler(void *user, const char *section, const char *name, const char *value)
{
	struct collect *c = user;
	size_t nl = strlen(name);

	if (nl && name[nl - 1] == '+') {
		/* continuation of the previous key */
		cr_assert(c->n > 0);
		cr_assert_eq(strncmp(c->items[c->n - 1].key, name, nl - 1), 0);
		decode(value, &c->items[c->n - 1].value);
		return 1;
	}
	cr_assert(c->n < 64);
	snprintf(c->items[c->n].section, sizeof(c->items[c->n].section), "%s", section);
	snprintf(c->items[c->n].key, sizeof(c->items[c->n].key), "%s", name);
	sb_init(&c->items[c->n].value);
	decode(value, &c->items[c->n].value);
	sb_add(&c->items[c->n].value, ""); /* never NULL */
	c->n++;
	return 1;
}

static int count_lines_handler(void *user, const char *section, const char *name, const char *value)
{
	(void)user, (void)section, (void)name, (void)value;
	return 1;
}

static void assert_lines_fit(const char *text)
{
	const char *p = text;
	int line = 1;

	while (*p) {
		const char *e = strchr(p, '\n');
		cr_assert(e, "every line ends with a newline");
		cr_assert_leq(e - p + 1, 200, "line %d is %d bytes: %.60s", line, (int)(e - p + 1), p);
		/* nothing libinih would take as a continuation line */
		cr_assert(e == p || (*p != ' ' && *p != '\t'), "line %d is indented", line);
		p = e + 1;
		line++;
	}
}

static const char *const tricky[] = {
	"",
	"plain",
	"semi;colon ; spaced ;",
	"# hash at start",
	"a = b = c",
	"[bracket] and ]",
	"\"double\" and 'single' quotes",
	"back\\slash \\n not a newline \\",
	"  leading and trailing spaces  ",
	" ",
	"   ",
	"line one\nline two\n",
	"cr\r\nlf",
	"\ttabs\t",
	"UTF-8: caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80 \xe6\x97\xa5\xe6\x9c\xac",
	"control \x01\x02\x1b[31m \x7f",
	"invalid utf8 \xff\xfe \xc3( \xed\xa0\x80",
	"key: value",
	"\\x41 literal escape text",
	"; looks like a comment",
	"ends with semicolon;",
	"x ;",
};

static void assert_roundtrip_value(const char *value)
{
	struct doc *d = doc_new(), *back;
	struct doc_error err;
	struct collect c = { .n = 0 };
	char *text;
	int rc;

	doc_set(d, "step", "rebind", "note", value);
	text = doc_serialize(d, "header comment\nsecond line");
	assert_lines_fit(text);
	back = doc_parse_string(text, strlen(text), "<rt>", NULL, NULL, &err);
	cr_assert(back, "own reader: %s line %d: %s\n%s", err.file, err.line, err.msg, text);
	cr_assert_str_eq(doc_get(back, "step", "rebind", "note"), value);
	/* the real libinih */
	rc = ini_parse_string(text, collect_handler, &c);
	cr_assert_eq(rc, 0, "libinih error on line %d of\n%s", rc, text);
	cr_assert_eq(c.n, 1);
	cr_assert_str_eq(c.items[0].section, "step \"rebind\"");
	cr_assert_str_eq(c.items[0].key, "note");
	cr_assert_eq(c.items[0].value.len, strlen(value), "libinih length %zu vs %zu\n%s",
		     c.items[0].value.len, strlen(value), text);
	cr_assert_eq(memcmp(sb_str(&c.items[0].value), value, strlen(value)), 0);
	sb_free(&c.items[0].value);
	free(text);
	doc_free(back);
	doc_free(d);
}

Test(doc_roundtrip, tricky_values)
{
	for (size_t i = 0; i < OSM_ARRAY_LEN(tricky); i++)
		assert_roundtrip_value(tricky[i]);
}

Test(doc_roundtrip, long_note_5000)
{
	struct strbuf sb = STRBUF_INIT;

	/* a mix that forces splits at every kind of token */
	while (sb.len < 5000)
		sb_add(&sb, "Na\xc3\xafve note; with = [all] \"sorts\" \\ of\ttext  \n");
	assert_roundtrip_value(sb_str(&sb));
	sb_reset(&sb);
	for (int i = 0; i < 5000; i++)
		sb_addc(&sb, ' ');
	assert_roundtrip_value(sb_str(&sb));
	sb_reset(&sb);
	for (int i = 0; i < 5000; i++)
		sb_add(&sb, "\xe2\x82\xac");
	assert_roundtrip_value(sb_str(&sb));
	sb_free(&sb);
}

Test(doc_roundtrip, every_byte)
{
	char v[256];

	for (int i = 1; i < 256; i++)
		v[i - 1] = (char)i;
	v[255] = '\0';
	assert_roundtrip_value(v);
}

/* spaces at every chunk boundary: libinih strips them unless escaped */
Test(doc_roundtrip, spaces_at_split_points)
{
	for (int len = 150; len < 420; len += 7) {
		char *v = xmalloc((size_t)len + 1);
		for (int i = 0; i < len; i++)
			v[i] = (i % 3 == 0) ? ' ' : 'a';
		v[len] = '\0';
		assert_roundtrip_value(v);
		free(v);
	}
}

static const char *const names[] = {
	"Orders DB",
	"with \"quotes\"",
	"brackets [x] ]",
	"colon:here",
	"semi ; colon",
	"back\\slash",
	"  spaces  ",
	"caf\xc3\xa9",
	"\\@",
	"@",
};

Test(doc_roundtrip, section_names)
{
	struct doc *d = doc_new(), *back;
	struct doc_error err;
	char *text;
	char longname[400];

	memset(longname, 'n', sizeof(longname) - 1);
	longname[sizeof(longname) - 1] = '\0';
	for (size_t i = 0; i < OSM_ARRAY_LEN(names); i++)
		doc_set(d, "extension", names[i], "tables", names[i]);
	doc_set(d, "extension", longname, "tables", "long");
	doc_set(d, "extension", "", "tables", "empty name");
	doc_set(d, "target", NULL, "host", "unnamed");
	text = doc_serialize(d, NULL);
	assert_lines_fit(text);
	{
		struct collect *c = xcalloc(1, sizeof(*c));
		cr_assert_eq(ini_parse_string(text, collect_handler, c), 0);
		/* + the long name (its tables and @name lines), "" and [target] */
		cr_assert_eq(c->n, OSM_ARRAY_LEN(names) + 4);
		for (size_t i = 0; i < c->n; i++)
			sb_free(&c->items[i].value);
		free(c);
	}
	back = doc_parse_string(text, strlen(text), "<rt>", NULL, NULL, &err);
	cr_assert(back, "%d: %s\n%s", err.line, err.msg, text);
	cr_assert_eq(doc_nsections(back), doc_nsections(d));
	for (size_t i = 0; i < doc_nsections(d); i++) {
		cr_assert_str_eq(doc_section_kind(back, i), doc_section_kind(d, i));
		if (doc_section_name(d, i))
			cr_assert_str_eq(doc_section_name(back, i), doc_section_name(d, i));
		else
			cr_assert_null(doc_section_name(back, i));
	}
	cr_assert_str_eq(doc_get(back, "extension", longname, "tables"), "long");
	cr_assert_str_eq(doc_get(back, "extension", "\\@", "tables"), "\\@");
	{
		char *again = doc_serialize(back, NULL);
		cr_assert_str_eq(again, text, "serialising is deterministic");
		free(again);
	}
	free(text);
	doc_free(back);
	doc_free(d);
}

/* ---- model ---------------------------------------------------------- */

Test(doc_model, set_get_unset_order)
{
	struct doc *d = doc_new(), *c;
	size_t n;
	const char **v;

	doc_set(d, "osmigrate", NULL, "version", "1");
	doc_set(d, "extension", "B", "tables", "s.b");
	doc_set(d, "extension", "A", "tables", "s.a");
	doc_set(d, "extension", "B", "tables", "s.b2");
	cr_assert_str_eq(doc_get(d, "extension", "B", "tables"), "s.b2");
	cr_assert_null(doc_get(d, "extension", NULL, "tables"));
	cr_assert_null(doc_get(d, "extension", "C", "tables"));
	v = doc_section_names(d, "extension", &n);
	cr_assert_eq(n, 2);
	cr_assert_str_eq(v[0], "B");
	cr_assert_str_eq(v[1], "A");
	cr_assert_null(v[2]);
	free(v);
	c = doc_clone(d);
	doc_unset(d, "extension", "B", "tables");
	cr_assert_null(doc_get(d, "extension", "B", "tables"));
	cr_assert(doc_has_section(d, "extension", "B"));
	doc_remove_section(d, "extension", "B");
	cr_assert_not(doc_has_section(d, "extension", "B"));
	cr_assert_str_eq(doc_get(c, "extension", "B", "tables"), "s.b2");
	cr_assert_eq(doc_nsections(c), 3);
	cr_assert_str_eq(doc_key(c, 0, 0), "version");
	cr_assert_str_eq(doc_value(c, 0, 0), "1");
	doc_free(c);
	doc_free(d);
}

/* The generation moves on every change and on nothing else: the wizard
 * compares it before and after a key to decide whether to save. */
/* Three-way merge: what mine changed since base lands on cur, what cur
 * changed meanwhile stays; both changed one key: the hook decides. */
static int conflicts;
static enum doc_merge_pick keep_theirs(void *ud, const char *kind, const char *name,
				       const char *key, const char *base, const char *mine,
				       const char *theirs)
{
	(void)ud; (void)kind; (void)name; (void)key; (void)base; (void)mine; (void)theirs;
	conflicts++;
	return DOC_MERGE_THEIRS;
}

Test(doc_model, merge3_key_by_key)
{
	struct doc *base = doc_new(), *mine, *cur;

	doc_set(base, "s", "a", "k1", "1");
	doc_set(base, "s", "a", "k2", "2");
	doc_set(base, "s", "gone", "k", "x");
	mine = doc_clone(base);
	cur = doc_clone(base);
	doc_set(mine, "s", "a", "k1", "mine");      /* changed by mine only */
	doc_unset(mine, "s", "a", "k2");            /* unset by mine */
	doc_set(mine, "s", "new", "k", "v");        /* added by mine */
	doc_remove_section(mine, "s", "gone");      /* removed by mine */
	doc_set(mine, "s", "both", "k", "mine");
	doc_set(cur, "s", "a", "k3", "theirs");     /* added by cur */
	doc_set(cur, "s", "both", "k", "theirs");   /* both: conflict */
	conflicts = 0;
	cr_assert(doc_merge3(cur, base, mine, 0, keep_theirs, NULL));
	cr_assert_str_eq(doc_get(cur, "s", "a", "k1"), "mine");
	cr_assert_null(doc_get(cur, "s", "a", "k2"));
	cr_assert_str_eq(doc_get(cur, "s", "a", "k3"), "theirs");
	cr_assert_str_eq(doc_get(cur, "s", "new", "k"), "v");
	cr_assert_not(doc_has_section(cur, "s", "gone"));
	cr_assert_str_eq(doc_get(cur, "s", "both", "k"), "theirs");
	cr_assert_eq(conflicts, 1);
	doc_free(base);
	doc_free(mine);
	doc_free(cur);
}

/* doc_sync keeps the document and its sections' names where they are: the
 * wizard's lists hold those pointers across a save. */
Test(doc_model, sync_keeps_section_names)
{
	struct doc *dst = doc_new(), *src;
	const char **held;
	size_t n;

	doc_set(dst, "item", "s:fe1", "status", "pending");
	doc_set(dst, "item", "s:fe2", "status", "pending");
	held = doc_section_names(dst, "item", &n);
	src = doc_clone(dst);
	doc_set(src, "item", "s:fe1", "status", "done");
	doc_set(src, "item", "s:fe3", "status", "done");
	doc_sync(dst, src);
	cr_assert_str_eq(held[0], "s:fe1", "a name held across the sync is still valid");
	cr_assert_str_eq(held[1], "s:fe2");
	cr_assert_str_eq(doc_get(dst, "item", "s:fe1", "status"), "done");
	cr_assert_str_eq(doc_get(dst, "item", "s:fe3", "status"), "done");
	{
		char *a = doc_serialize(dst, NULL), *b = doc_serialize(src, NULL);

		cr_assert_str_eq(a, b, "the same document afterwards");
		free(a);
		free(b);
	}
	free(held);
	doc_free(dst);
	doc_free(src);
}

Test(doc_model, generation_moves_only_on_change)
{
	struct doc *d = doc_new(), *c;
	unsigned long long g = doc_generation(d), g2;
	size_t n;
	const char **v;

	cr_assert_neq(g, 0);
	doc_set(d, "extension", "A", "tables", "s.a");
	cr_assert_neq(doc_generation(d), g, "a new key is a change");
	g = doc_generation(d);
	/* no change */
	doc_set(d, "extension", "A", "tables", "s.a");
	doc_add_section(d, "extension", "A");
	doc_unset(d, "extension", "A", "logical_database");
	doc_unset(d, "extension", "B", "tables");
	doc_remove_section(d, "extension", "B");
	cr_assert_str_eq(doc_get(d, "extension", "A", "tables"), "s.a");
	cr_assert(doc_has_section(d, "extension", "A"));
	v = doc_section_names(d, "extension", &n);
	free(v);
	free(doc_serialize(d, "header"));
	cr_assert_eq(doc_generation(d), g, "reading or setting what is there changed it");
	/* each change moves it */
	doc_set(d, "extension", "A", "tables", "s.b");
	cr_assert_neq(doc_generation(d), g, "a different value");
	g = doc_generation(d);
	doc_set(d, "extension", "A", "tables", "");
	cr_assert_neq(doc_generation(d), g, "an empty value");
	g = doc_generation(d);
	doc_unset(d, "extension", "A", "tables");
	cr_assert_neq(doc_generation(d), g, "an unset key");
	g = doc_generation(d);
	doc_add_section(d, "extension", "B");
	cr_assert_neq(doc_generation(d), g, "a new section");
	g = doc_generation(d);
	doc_remove_section(d, "extension", "B");
	cr_assert_neq(doc_generation(d), g, "a removed section");
	/* no two documents share a number, even at the same address */
	c = doc_clone(d);
	cr_assert_neq(doc_generation(c), doc_generation(d));
	g2 = doc_generation(c);
	doc_free(c);
	c = doc_new();
	cr_assert_neq(doc_generation(c), g2);
	cr_assert_neq(doc_generation(c), doc_generation(d));
	doc_free(c);
	doc_free(d);
}

static int line_of(const char *text, size_t off)
{
	int line = 1;

	for (size_t i = 0; i < off; i++)
		line += text[i] == '\n';
	return line;
}

/* What changed since a generation, as whole sections of the text that
 * parse on their own, with the line numbers of the whole text. */
Test(doc_model, changed_sections_spans)
{
	static const char text[] = "[osmigrate]\nversion = 1\n\n[extension \"A\"]\ntables = s.a\n\n"
				   "[extension \"B\"]\ntables = s.b\n\n[extension \"C\"]\ntables = s.c\n";
	struct doc *d = doc_parse_string(text, sizeof(text) - 1, "<spans>", NULL, NULL, NULL), *back;
	struct doc_span *sp;
	size_t n, len;
	unsigned long long g;
	char *out, *big;

	cr_assert(d);
	g = doc_generation(d);
	out = doc_serialize_changed(d, "two\nlines", g, &sp, &n, &len);
	cr_assert_eq(n, 0, "nothing changed since it was read");
	cr_assert_eq(len, strlen(out));
	free(sp);
	free(out);

	doc_set(d, "extension", "B", "tables", "s.b2");
	out = doc_serialize_changed(d, "two\nlines", g, &sp, &n, &len);
	cr_assert_eq(len, strlen(out));
	cr_assert_eq(n, 1);
	cr_assert_eq(sp[0].len, strlen("[extension \"B\"]\ntables = s.b2\n"));
	cr_assert_eq(strncmp(out + sp[0].off, "[extension \"B\"]\ntables = s.b2\n", sp[0].len), 0);
	cr_assert_eq(sp[0].line, line_of(out, sp[0].off));
	cr_assert_eq(sp[0].line, 10, "two comment lines, a blank, then 7 lines before B");
	free(sp);
	free(out);

	/* adjacent changes make one span; others their own */
	doc_set(d, "extension", "C", "logical_database", "c");
	doc_set(d, "osmigrate", NULL, "updated", "2026-11-22T01:00:00Z");
	out = doc_serialize_changed(d, NULL, g, &sp, &n, &len);
	cr_assert_eq(n, 2);
	cr_assert_eq(sp[0].off, 0);
	cr_assert_eq(sp[0].line, 1);
	cr_assert_eq(strncmp(out + sp[1].off, "[extension \"B\"]", 15), 0);
	cr_assert_eq(sp[1].off + sp[1].len, len, "B and C, to the end");
	for (size_t i = 0; i < n; i++) {
		cr_assert_eq(out[sp[i].off + sp[i].len - 1], '\n');
		cr_assert_eq(sp[i].line, line_of(out, sp[i].off));
		back = doc_parse_string(out + sp[i].off, sp[i].len, "<span>", NULL, NULL, NULL);
		cr_assert(back, "a span parses on its own");
		doc_free(back);
	}
	free(sp);
	free(out);

	/* since 0: everything, in one span; a long value over many lines */
	big = xcalloc(1, 20001);
	memset(big, 'x', 20000);
	doc_set(d, "extension", "A", "tables", big);
	out = doc_serialize_changed(d, "c", 0, &sp, &n, &len);
	cr_assert_eq(n, 1);
	cr_assert_eq(sp[0].line, 3);
	cr_assert_eq(sp[0].off + sp[0].len, len);
	back = doc_parse_string(out + sp[0].off, sp[0].len, "<all>", NULL, NULL, NULL);
	cr_assert(back);
	cr_assert_str_eq(doc_get(back, "extension", "A", "tables"), big);
	doc_free(back);
	free(sp);
	free(out);
	free(big);
	doc_free(d);
}

/* A value over thousands of continuation lines reads back whole (the
 * reader appends each line rather than copying the value so far). */
Test(doc_roundtrip, value_over_ten_thousand_lines)
{
	size_t len = 2 * 1024 * 1024;
	char *v = xcalloc(1, len + 1), *text;
	struct doc *d = doc_new(), *back;
	struct doc_error err;
	unsigned seed = 7;

	for (size_t i = 0; i < len; i++) {
		seed = seed * 1103515245u + 12345u;
		v[i] = (seed >> 16) % 7 ? (char)('a' + (seed >> 8) % 26) : " ;\\\t"[(seed >> 4) % 4];
	}
	doc_set(d, "extension", "E", "tables", v);
	text = doc_serialize(d, NULL);
	assert_lines_fit(text);
	back = doc_parse_string(text, strlen(text), "<long>", NULL, NULL, &err);
	cr_assert(back, "line %d: %s", err.line, err.msg);
	cr_assert_eq(strlen(doc_get(back, "extension", "E", "tables")), len);
	cr_assert_eq(memcmp(doc_get(back, "extension", "E", "tables"), v, len), 0);
	doc_free(back);
	doc_free(d);
	free(text);
	free(v);
}

/* ---- strict reader -------------------------------------------------- */

static void assert_parse_error(const char *text, size_t len, int line, const char *substr)
{
	struct doc_error err;
	struct doc *d = doc_parse_string(text, len, "mem.ini", NULL, NULL, &err);

	cr_assert_null(d, "accepted: %.80s", text);
	cr_assert_str_eq(err.file, "mem.ini");
	cr_assert_eq(err.line, line, "line %d, expected %d (%s)", err.line, line, err.msg);
	cr_assert(strstr(err.msg, substr), "message '%s' lacks '%s'", err.msg, substr);
}

#define PERR(text, line, sub) assert_parse_error(text, sizeof(text) - 1, line, sub)

Test(doc_reader, errors_name_the_line)
{
	PERR("[a]\nx = 1\nx = 2\n", 3, "duplicate key 'x'");
	PERR("[a]\n[b]\n[a]\n", 3, "duplicate section [a]");
	PERR("[s \"n\"]\n[s \"n\"]\n", 2, "duplicate section [s \"n\"]");
	PERR("[a]\nx = 1\n\0\n", 3, "NUL");
	PERR("[a]\nx = \xff\n", 2, "UTF-8");
	PERR("[a]\nx = 1", 2, "truncated");
	PERR("[a]\n  x = 1\n", 2, "white space");
	PERR("x = 1\n", 1, "before the first");
	PERR("[a]\njust words\n", 2, "expected 'key = value'");
	PERR("[a\n", 1, "bad section header");
	PERR("[A]\n", 1, "lower-case");
	PERR("[a] trailing\n", 1, "']'");
	PERR("[a b]\n", 1, "double quotes");
	PERR("[a \"b]\n", 1, "closing quote");
	PERR("[a]\nx = bad \\q escape\n", 2, "bad escape");
	PERR("[a]\nx = \\x0\n", 2, "two hex digits");
	PERR("[a]\nx = \\x00\n", 2, "NUL");
	PERR("[a]\nx = end\\\n", 2, "backslash");
	PERR("[a]\nx+ = 1\n", 2, "does not follow");
	PERR("[a]\nx = 1\ny = 2\nx+ = 3\n", 4, "does not follow");
	PERR("[a]\nk@y = 1\n", 2, "bad key name");
	PERR("[a]\n= 1\n", 2, "missing key");
	PERR("[a]\n@name = x\n", 2, "@name");
	PERR("[a \"\\@\"]\n[b]\n", 1, "no @name");
}

Test(doc_reader, long_line_and_ok_forms)
{
	struct strbuf sb = STRBUF_INIT;
	struct doc_error err;
	struct doc *d;

	sb_add(&sb, "[a]\nx = ");
	for (int i = 0; i < 10 * 1024 * 1024; i++)
		sb_addc(&sb, 'y');
	sb_addc(&sb, '\n');
	d = doc_parse_string(sb.buf, sb.len, "big.ini", NULL, NULL, &err);
	cr_assert_null(d);
	cr_assert_eq(err.line, 2);
	cr_assert(strstr(err.msg, "bytes long"), "%s", err.msg);
	sb_free(&sb);

	/* what a person may write by hand: comments, CRLF, ':' separator, BOM */
	{
		static const char ok[] = "\xef\xbb\xbf; comment\r\n# other\r\n[a]\r\nx: 1\r\ny = two ; comment\r\n\r\n";
		d = doc_parse_string(ok, sizeof(ok) - 1, "ok.ini", NULL, NULL, &err);
		cr_assert(d, "%d %s", err.line, err.msg);
		cr_assert_str_eq(doc_get(d, "a", NULL, "x"), "1");
		cr_assert_str_eq(doc_get(d, "a", NULL, "y"), "two");
		doc_free(d);
	}
	d = doc_parse_string("", 0, "empty.ini", NULL, NULL, &err);
	cr_assert(d);
	cr_assert_eq(doc_nsections(d), 0);
	doc_free(d);
}

static bool reject_colour(void *ud, const char *kind, const char *name, const char *key,
			  const char *value, char *msg, size_t msglen)
{
	(*(int *)ud)++;
	if (key && strcmp(key, "colour") == 0) {
		snprintf(msg, msglen, "unknown key 'colour' in section [%s] (value %s)", kind, value);
		return false;
	}
	if (!key && strcmp(kind, "bad") == 0) {
		snprintf(msg, msglen, "unknown section [bad%s]", name ? " named" : "");
		return false;
	}
	return true;
}

Test(doc_reader, validate_hook_sees_whole_values)
{
	struct doc_error err;
	int calls = 0;
	struct doc *d;
	static const char t1[] = "[a]\nok = 1\ncolour = red\ncolour+ = dish\n";
	static const char t2[] = "[a]\nok = 1\n\n[bad \"x\"]\n";

	d = doc_parse_string(t1, sizeof(t1) - 1, "v.ini", reject_colour, &calls, &err);
	cr_assert_null(d);
	cr_assert_eq(err.line, 3);
	cr_assert(strstr(err.msg, "value reddish"), "%s", err.msg);
	d = doc_parse_string(t2, sizeof(t2) - 1, "v.ini", reject_colour, &calls, &err);
	cr_assert_null(d);
	cr_assert_eq(err.line, 4);
	cr_assert_str_eq(err.msg, "unknown section [bad named]");
	cr_assert_gt(calls, 3);
}

Test(doc_reader, parse_file_names_file)
{
	struct doc_error err;
	char path[] = "/tmp/osm-doc-XXXXXX";
	int fd = mkstemp(path);
	struct doc *d;

	cr_assert_geq(fd, 0);
	cr_assert_eq(write(fd, "[a]\nx = 1\nx = 1\n", 16), 16);
	close(fd);
	d = doc_parse_file(path, NULL, NULL, &err);
	cr_assert_null(d);
	cr_assert_str_eq(err.file, path);
	cr_assert_eq(err.line, 3);
	unlink(path);
	d = doc_parse_file(path, NULL, NULL, &err);
	cr_assert_null(d);
	cr_assert(strstr(err.msg, "cannot open"));
}

Test(doc_model, many_sections_index)
{
	struct doc *d = doc_new(), *c;
	char name[32];

	for (int i = 0; i < 3000; i++) {
		snprintf(name, sizeof(name), "item %d", i);
		doc_set(d, "item", name, "status", name);
		doc_add_section(d, "item", name); /* no duplicate */
	}
	doc_add_section(d, "item", NULL);
	cr_assert_eq(doc_nsections(d), 3001);
	for (int i = 0; i < 3000; i += 2) {
		snprintf(name, sizeof(name), "item %d", i);
		doc_remove_section(d, "item", name);
	}
	cr_assert_eq(doc_nsections(d), 1501);
	c = doc_clone(d);
	for (int i = 0; i < 3000; i++) {
		snprintf(name, sizeof(name), "item %d", i);
		if (i % 2) {
			cr_assert_str_eq(doc_get(d, "item", name, "status"), name);
			cr_assert_str_eq(doc_get(c, "item", name, "status"), name);
		} else {
			cr_assert_not(doc_has_section(d, "item", name));
			cr_assert_not(doc_has_section(c, "item", name));
		}
	}
	cr_assert(doc_has_section(c, "item", NULL));
	cr_assert_not(doc_has_section(c, "step", NULL));
	doc_free(c);
	doc_free(d);
}

/* Random byte strings (seeded, so a failure repeats) biased towards the
 * characters that matter, as values and as section names. */
Test(doc_roundtrip, random_values)
{
	static const char alphabet[] = " ;#=[]\"\\\n\r\t:+@x\xc3\xa9\x80\xff";
	unsigned seed = 12345;

	for (int round = 0; round < 1500; round++) {
		char v[700], name[80];
		size_t len = 0, nlen = 0;
		int want;

		seed = seed * 1103515245u + 12345u;
		want = (int)((seed >> 8) % (round < 1000 ? 60 : 690));
		while ((int)len < want) {
			seed = seed * 1103515245u + 12345u;
			v[len++] = (seed >> 16) % 4 ? alphabet[(seed >> 8) % (sizeof(alphabet) - 1)]
						    : (char)(1 + (seed >> 20) % 255);
		}
		v[len] = '\0';
		for (size_t i = 0; i < len && nlen < sizeof(name) - 1; i += 9)
			name[nlen++] = v[i];
		name[nlen] = '\0';
		{
			struct doc *d = doc_new(), *back;
			struct doc_error err;
			char *text;

			doc_set(d, "extension", name, "tables", v);
			doc_set(d, "extension", name, "tables2", name);
			text = doc_serialize(d, NULL);
			assert_lines_fit(text);
			back = doc_parse_string(text, strlen(text), "<rand>", NULL, NULL, &err);
			cr_assert(back, "round %d: line %d: %s\n%s", round, err.line, err.msg, text);
			cr_assert_str_eq(doc_get(back, "extension", name, "tables"), v, "round %d", round);
			cr_assert_str_eq(doc_get(back, "extension", name, "tables2"), name, "round %d", round);
			cr_assert_eq(ini_parse_string(text, count_lines_handler, NULL), 0, "round %d", round);
			free(text);
			doc_free(back);
			doc_free(d);
		}
	}
}

/* A line longer than libinih reads is refused with the way to write it:
 * "key+" continuation lines for a value (and the pieces then parse back to
 * the whole value), "@name" lines for a section name, several lines for a
 * comment. */
Test(doc_reader, long_line_message_explains_continuations)
{
	struct strbuf sb = STRBUF_INIT, fixed = STRBUF_INIT;
	struct doc_error err;
	struct doc *d;
	char long_value[301];

	memset(long_value, 'v', 300);
	long_value[300] = '\0';
	sb_addf(&sb, "[target]\nhost = %s\n", long_value);
	d = doc_parse_string(sb.buf, sb.len, "a.ini", NULL, NULL, &err);
	cr_assert_null(d);
	cr_expect_eq(err.line, 2);
	cr_expect(strstr(err.msg, "bytes long"), "%s", err.msg);
	cr_expect(strstr(err.msg, "'host = first part' then 'host+ = next part'"), "%s", err.msg);

	/* What the message says to do works. */
	sb_addf(&fixed, "[target]\nhost = %.150s\nhost+ = %s\n", long_value, long_value + 150);
	d = doc_parse_string(fixed.buf, fixed.len, "a.ini", NULL, NULL, &err);
	cr_assert(d, "%d %s", err.line, err.msg);
	cr_expect_str_eq(doc_get(d, "target", NULL, "host"), long_value);
	doc_free(d);

	sb_reset(&sb);
	sb_addf(&sb, "[server \"%s\"]\n", long_value);
	cr_assert_null(doc_parse_string(sb.buf, sb.len, "a.ini", NULL, NULL, &err));
	cr_expect(strstr(err.msg, "'@name = first part' and '@name+ = next part'"), "%s", err.msg);

	sb_reset(&sb);
	sb_addf(&sb, "[target]\n; %s\n", long_value);
	cr_assert_null(doc_parse_string(sb.buf, sb.len, "a.ini", NULL, NULL, &err));
	cr_expect(strstr(err.msg, "split the comment over several ';' lines"), "%s", err.msg);
	sb_free(&sb);
	sb_free(&fixed);
}
