/* fuzz_state.c - libFuzzer harness for the state/answers parser and the
 * settings validators (tests/fuzz/run.sh builds and runs it).
 *
 * Properties checked on every input, beyond "no crash, no sanitizer report":
 *  1. whatever the strict reader accepts, the writer writes back so that the
 *     reader accepts it again and the second serialisation is identical;
 *  2. any byte string (minus NUL) stored as a value or a section name reads
 *     back identically and every written line fits libinih's 200 bytes;
 *  3. settings_validate never reads past its input and always explains a
 *     refusal. */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "doc.h"
#include "state.h"
#include "util.h"

static bool schema(void *ud, const char *kind, const char *name, const char *key,
		   const char *value, char *msg, size_t msglen)
{
	(void)ud;
	return settings_validate(kind, name, key, value, msg, msglen);
}

static void check_lines(const char *text)
{
	for (const char *p = text; *p;) {
		const char *e = strchr(p, '\n');
		if (!e || e - p + 1 > 200 || *p == ' ' || *p == '\t')
			abort();
		p = e + 1;
	}
}

static void roundtrip_doc(const struct doc *d)
{
	struct doc_error err;
	char *t1 = doc_serialize(d, "fuzz");
	struct doc *back;
	char *t2;

	check_lines(t1);
	back = doc_parse_string(t1, strlen(t1), "<fuzz-rt>", NULL, NULL, &err);
	if (!back)
		abort();
	t2 = doc_serialize(back, "fuzz");
	if (strcmp(t1, t2) != 0)
		abort();
	free(t1);
	free(t2);
	doc_free(back);
}

static const struct { const char *kind, *name, *key; } targets[] = {
	{ "target", NULL, "host" }, { "target", NULL, "port" }, { "target", NULL, "conninfo" },
	{ "target", NULL, "sslmode" }, { "target", NULL, "service" }, { "lifetime", NULL, "url" },
	{ "endpoint", NULL, "old" }, { "compare", NULL, "new" }, { "server", "fe", "role" },
	{ "server", "fe", "url" }, { "scope", NULL, "schemas" }, { "extension", "x", "tables" },
	{ "step", "rebind", "tick.a" }, { "osmigrate", NULL, "version" }, { "step", "s", "at" },
	{ "server", NULL, NULL }, { "extension", NULL, NULL }, { "item", NULL, NULL },
	{ "check", NULL, NULL }, { "finding", NULL, NULL },
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct doc_error err;
	struct doc *d;
	char *s;
	char msg[512];

	/* 1. the parser, with and without the schema */
	d = doc_parse_string((const char *)data, size, "<fuzz>", schema, NULL, &err);
	if (d) {
		roundtrip_doc(d);
		doc_free(d);
	} else if (err.msg[0] == '\0') {
		abort(); /* a refusal must say why */
	}
	d = doc_parse_string((const char *)data, size, "<fuzz>", NULL, NULL, &err);
	if (d) {
		roundtrip_doc(d);
		doc_free(d);
	}

	/* 2. arbitrary bytes as a value and as a section name */
	s = xmalloc(size + 1);
	{
		size_t n = 0;
		for (size_t i = 0; i < size; i++)
			if (data[i])
				s[n++] = (char)data[i];
		s[n] = '\0';
	}
	d = doc_new();
	doc_set(d, "step", s, "note", s);
	{
		char *t = doc_serialize(d, NULL);
		struct doc *back = doc_parse_string(t, strlen(t), "<fuzz-v>", NULL, NULL, &err);
		if (!back || !str_eq(doc_get(back, "step", s, "note"), s))
			abort();
		check_lines(t);
		doc_free(back);
		free(t);
	}
	doc_free(d);

	/* 3. the validators */
	if (size > 0) {
		size_t t = data[0] % OSM_ARRAY_LEN(targets);
		const char *v = s[0] ? s + 1 : s;
		bool ok;
		msg[0] = '\0';
		if (targets[t].key)
			ok = settings_validate(targets[t].kind, targets[t].name, targets[t].key, v, msg, sizeof(msg));
		else
			ok = settings_validate(targets[t].kind, v, NULL, NULL, msg, sizeof(msg));
		if (!ok && msg[0] == '\0')
			abort();
	}
	free(s);
	return 0;
}
