/* test_version.c - the one parser and comparison of Platform Server
 * versions (version.h), which the version checks, the support table and
 * the wizard's field all use. */
#include <criterion/criterion.h>

#include "version.h"

Test(version, parse)
{
	struct version v;

	cr_assert(version_parse("11.15.0", &v));
	cr_assert(v.n == 3 && v.part[0] == 11 && v.part[1] == 15 && v.part[2] == 0);
	cr_assert(version_parse("11.38", &v));
	cr_assert(v.n == 2 && v.part[0] == 11 && v.part[1] == 38);
	cr_assert(version_parse("11.31.0.45003", &v));
	cr_assert(v.n == 4 && v.part[3] == 45003);
	cr_assert(version_parse("11.0.110.0", NULL));
	cr_assert(version_parse("0.0", NULL));
	cr_assert_not(version_parse("11", &v));
	cr_assert_not(version_parse("eleven", &v));
	cr_assert_not(version_parse("11.x.0", &v));
	cr_assert_not(version_parse("", &v));
	cr_assert_not(version_parse(NULL, &v));
	/* Where the four copies of this rule disagreed: the support table
	 * read "11.15.0.x" as 11.15.0, LifeTime's comparison took "11" and
	 * "11..15", the wizard's field took "11..15". */
	cr_assert_not(version_parse("11.15.0.x", &v));
	cr_assert_not(version_parse("11..15", &v));
	cr_assert_not(version_parse(".11.15", &v));
	cr_assert_not(version_parse("11.15.", &v));
	cr_assert_not(version_parse("11.15.0 ", &v));
	cr_assert_not(version_parse("v11.15", &v));
	cr_assert_not(version_parse("+11.15", &v));
	cr_assert_not(version_parse("11.-15", &v));
	cr_assert_not(version_parse("11.1234567890", &v));
	cr_assert(version_parse("11.123456789", NULL));
	cr_assert_not(version_parse("1.2.3.4.5.6.7.8.9", &v));
	cr_assert(version_parse("1.2.3.4.5.6.7.8", NULL));
}

Test(version, compare)
{
	int c = 99;

	cr_assert(version_cmp("11.0.110.0", "11.15.0", &c));
	cr_expect_lt(c, 0);
	cr_assert(version_cmp("11.15.0", "11.15", &c));
	cr_expect_eq(c, 0);
	cr_assert(version_cmp("11.15.0.1", "11.15.0", &c));
	cr_expect_gt(c, 0);
	cr_assert(version_cmp("11.31.0.45003", "11.38.0", &c));
	cr_expect_lt(c, 0);
	cr_assert(version_cmp("11.100.0", "11.38.0", &c));
	cr_expect_gt(c, 0);
	cr_assert(version_cmp("11.38.0", "11.38.0.0.0", &c));
	cr_expect_eq(c, 0);
	c = 99;
	cr_expect_not(version_cmp("11.x", "11.15.0", &c));
	cr_expect_not(version_cmp("", "11.15.0", &c));
	cr_expect_not(version_cmp(NULL, "11.15.0", &c));
	cr_expect_not(version_cmp("11.15.0", "11", &c));
	cr_expect_eq(c, 99, "left alone when not a version");
}
