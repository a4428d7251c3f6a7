/* test_names.c - lists and schema.table as operators write them. */
#include <stdlib.h>

#include <criterion/criterion.h>

#include "names.h"

Test(names, split_on_blanks_and_commas_outside_quotes)
{
	size_t n;
	char **w = names_split(" sales,hr\t\"My Schema\".\"Order, Lines\"  x.y ,", &n);

	cr_assert_eq(n, 4);
	cr_assert_str_eq(w[0], "sales");
	cr_assert_str_eq(w[1], "hr");
	cr_assert_str_eq(w[2], "\"My Schema\".\"Order, Lines\"");
	cr_assert_str_eq(w[3], "x.y");
	cr_assert_null(w[4]);
	names_free(w);
	w = names_split(NULL, &n);
	cr_assert_eq(n, 0);
	cr_assert_null(w[0]);
	names_free(w);
}

Test(names, qualified_with_quotes)
{
	static const struct { const char *in, *schema, *table; } ok[] = {
		{ "sales.orders", "sales", "orders" },
		{ "\"My Schema\".\"Order Lines\"", "My Schema", "Order Lines" },
		{ "\"a.b\".\"c\"\"d\"", "a.b", "c\"d" },
		{ "Mixed.Case", "Mixed", "Case" },
		{ "\"x; DROP TABLE y; --\".t", "x; DROP TABLE y; --", "t" },
	};
	static const char *const bad[] = { "orders", "a.", ".b", "\"open.t", "a.b.c", "a\"b.c", "" };
	char *s, *t, msg[200];

	for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
		cr_assert(names_qualified(ok[i].in, &s, &t, msg, sizeof msg), "%s: %s", ok[i].in, msg);
		cr_assert_str_eq(s, ok[i].schema);
		cr_assert_str_eq(t, ok[i].table);
		free(s);
		free(t);
	}
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		msg[0] = '\0';
		cr_assert_not(names_qualified(bad[i], &s, &t, msg, sizeof msg), "%s accepted", bad[i]);
		cr_assert(msg[0], "%s: no message", bad[i]);
	}
}

Test(names, single_identifier)
{
	char *id;

	cr_assert(names_ident("\"My \"\"Schema\"\"\"", &id));
	cr_assert_str_eq(id, "My \"Schema\"");
	free(id);
	cr_assert(names_ident("sales", &id));
	cr_assert_str_eq(id, "sales");
	free(id);
	cr_assert_not(names_ident("a.b", &id));
	cr_assert_not(names_ident("\"open", &id));
	cr_assert_not(names_ident("", &id));
}
