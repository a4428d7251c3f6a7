/* test_util.c - strings, UTF-8 and time helpers. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <criterion/criterion.h>

#include "sha256.h"
#include "util.h"

Test(util, strbuf_grows_and_formats)
{
	struct strbuf sb = STRBUF_INIT;

	cr_assert_str_eq(sb_str(&sb), "");
	for (int i = 0; i < 1000; i++)
		sb_addf(&sb, "%d,", i);
	cr_assert(strncmp(sb_str(&sb), "0,1,2,", 6) == 0);
	cr_assert_eq(sb.len, strlen(sb.buf));
	char *s = sb_detach(&sb);
	cr_assert_null(sb.buf);
	free(s);
}

Test(util, utf8_validation)
{
	cr_assert(utf8_valid("plain", 5));
	cr_assert(utf8_valid("\xe2\x82\xac", 3));
	cr_assert_not(utf8_valid("\xc0\xaf", 2));      /* overlong */
	cr_assert_not(utf8_valid("\xed\xa0\x80", 3));  /* surrogate */
	cr_assert_not(utf8_valid("\xe2\x82", 2));      /* truncated */
}

Test(util, iso8601_round_trip)
{
	char buf[OSM_ISO_LEN];
	time_t t;

	iso8601_utc(1795321860, buf);
	cr_assert_str_eq(buf, "2026-11-22T04:31:00Z");
	cr_assert(iso8601_parse(buf, &t));
	cr_assert_eq(t, 1795321860);
	cr_assert_not(iso8601_parse("2026-11-22 04:31:00", &t));
	cr_assert_not(iso8601_parse("2026-11-22T04:31:00Zx", &t));
}

/* Criterion runs each test in its own process, so the clock's first read
 * sees the environment each test sets. */
Test(util, fake_clock_starts_at_osmigrate_now)
{
	char buf[OSM_ISO_LEN];

	setenv("OSMIGRATE_NOW", "2030-01-02T03:04:05Z", 1);
	time_t t = osm_now();
	cr_assert(t >= 1893553445 && t <= 1893553447, "clock at %lld", (long long)t);
	iso8601_now(buf);
	cr_assert(strncmp(buf, "2030-01-02T03:04:0", 18) == 0, "%s", buf);
}

Test(util, malformed_osmigrate_now_is_the_real_clock)
{
	setenv("OSMIGRATE_NOW", "tomorrow", 1);
	time_t real = time(NULL);
	time_t t = osm_now();
	cr_assert(t >= real && t <= real + 2);
}

Test(util, trim_and_compare)
{
	char s[] = "  \tword \n";

	cr_assert_str_eq(str_trim(s), "word");
	cr_assert(str_eq(NULL, NULL));
	cr_assert_not(str_eq("a", NULL));
	cr_assert(str_startswith("conninfo", "conn"));
	cr_assert(str_empty(""));
	cr_assert(strchr(operator_id(), '@'));
	cr_assert_null(strchr(operator_id(), ' '));
}

/* FIPS 180-4 vectors, and the same digest fed in pieces. */
Test(util, sha256_known_vectors)
{
	char out[65];
	struct sha256 s;
	const char *abc56 = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";

	sha256_hex("", 0, out);
	cr_expect_str_eq(out, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	sha256_hex("abc", 3, out);
	cr_expect_str_eq(out, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	sha256_hex(abc56, strlen(abc56), out);
	cr_expect_str_eq(out, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
	sha256_init(&s);
	for (size_t i = 0, n = strlen(abc56); i < n; i += 5)
		sha256_update(&s, abc56 + i, n - i < 5 ? n - i : 5);
	sha256_final_hex(&s, out);
	cr_expect_str_eq(out, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

/* The state keeps UTC; status and the report show local time with the
 * offset (issue 14 "A clock"). */
Test(util, local_time_with_utc_offset)
{
	char b[64];

	setenv("TZ", "CET-1", 1);
	tzset();
	cr_assert(time_local_text("2026-12-02T22:04:00Z", b, sizeof b));
	cr_assert_str_eq(b, "2026-12-02 23:04 +01:00");
	setenv("TZ", "NST3:30", 1);
	tzset();
	cr_assert(time_local_text("2026-12-02T22:04:00Z", b, sizeof b));
	cr_assert_str_eq(b, "2026-12-02 18:34 -03:30");
	setenv("TZ", "UTC", 1);
	tzset();
	cr_assert(time_local_text("2026-12-02T22:04:00Z", b, sizeof b));
	cr_assert_str_eq(b, "2026-12-02 22:04 +00:00");
	cr_assert_not(time_local_text("yesterday", b, sizeof b));
	cr_assert_str_eq(b, "yesterday");
}

Test(util, durations_in_words)
{
	char b[32];

	duration_text(45, b, sizeof b);
	cr_assert_str_eq(b, "45 s");
	duration_text(12 * 60 + 59, b, sizeof b);
	cr_assert_str_eq(b, "12 min");
	duration_text(3600 + 5 * 60, b, sizeof b);
	cr_assert_str_eq(b, "1 h 05 min");
	duration_text(-3, b, sizeof b);
	cr_assert_str_eq(b, "0 s");
}

/* --operator: the person's name beside user@host; bad names refused and
 * the name kept unchanged. */
Test(util, operator_name_beside_user_at_host)
{
	char err[256], uh[300];

	snprintf(uh, sizeof uh, "%s", operator_id());
	cr_assert_null(operator_name());
	cr_assert_not(operator_set_name("   ", err, sizeof err));
	cr_assert_neq(strstr(err, "empty"), NULL, "%s", err);
	cr_assert_not(operator_set_name("a\tb", err, sizeof err));
	cr_assert_not(operator_set_name("a (b)", err, sizeof err));
	cr_assert_not(operator_set_name("xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
					err, sizeof err));
	cr_assert_str_eq(operator_id(), uh, "a refused name changes nothing");
	cr_assert(operator_set_name("  Ana Silva ", err, sizeof err));
	cr_assert_str_eq(operator_name(), "Ana Silva");
	{
		char *want = xasprintf("Ana Silva (%s)", uh);

		cr_assert_str_eq(operator_id(), want);
		free(want);
	}
}
