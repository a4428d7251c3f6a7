/* util.h - allocation, strings, time and identity helpers shared by every module.
 * UI-free: never include curses here. */
#ifndef OSM_UTIL_H
#define OSM_UTIL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#if defined(__GNUC__)
#define OSM_PRINTF(f, a) __attribute__((format(printf, f, a)))
#define OSM_NORETURN __attribute__((noreturn))
#else
#define OSM_PRINTF(f, a)
#define OSM_NORETURN
#endif

#define OSM_ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

/* Allocation never returns NULL: out of memory is fatal (after restoring the terminal). */
void *xmalloc(size_t n);
void *xcalloc(size_t nmemb, size_t size);
void *xrealloc(void *p, size_t n);
void *xreallocarray(void *p, size_t nmemb, size_t size);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
char *xasprintf(const char *fmt, ...) OSM_PRINTF(1, 2);
char *xvasprintf(const char *fmt, va_list ap) OSM_PRINTF(1, 0);

/* Fatal errors: print "osmigrate: <msg>" (fatal() appends strerror(errno)),
 * run the registered cleanup (terminal restore) and exit(70). */
void fatal(const char *fmt, ...) OSM_PRINTF(1, 2) OSM_NORETURN;
void fatalx(const char *fmt, ...) OSM_PRINTF(1, 2) OSM_NORETURN;
/* Registered by the TUI so that fatal paths leave a sane terminal. */
void osm_set_fatal_cleanup(void (*fn)(void));

/* Growable string buffer. Always NUL-terminated once anything was added. */
struct strbuf {
	char *buf;
	size_t len;
	size_t cap;
};
#define STRBUF_INIT { NULL, 0, 0 }
void sb_init(struct strbuf *sb);
void sb_free(struct strbuf *sb);
void sb_reset(struct strbuf *sb);
void sb_add(struct strbuf *sb, const char *s);
void sb_addn(struct strbuf *sb, const char *s, size_t n);
void sb_addc(struct strbuf *sb, char c);
void sb_addf(struct strbuf *sb, const char *fmt, ...) OSM_PRINTF(2, 3);
void sb_vaddf(struct strbuf *sb, const char *fmt, va_list ap) OSM_PRINTF(2, 0);
const char *sb_str(const struct strbuf *sb); /* "" when empty, never NULL */
char *sb_detach(struct strbuf *sb);          /* caller frees; sb is reset */
/* Room for at least extra more bytes (and the NUL) without another
 * allocation: for a large text whose size is known beforehand, so it is
 * allocated once rather than doubled (and copied) up to twice its size. */
void sb_reserve(struct strbuf *sb, size_t extra);

/* String helpers. */
bool str_eq(const char *a, const char *b); /* NULL-safe */
bool str_startswith(const char *s, const char *prefix);
bool str_empty(const char *s);             /* NULL or "" */
/* one when n is 1, else many: "1 check", "2 checks", "0 checks" */
const char *plural(unsigned long long n, const char *one, const char *many);
char *str_trim(char *s);                   /* in place, returns s */
void str_wipe(char *s);                    /* overwrite a secret before freeing it; NULL ok */
int hex_value(int c);                      /* 0-15 for a hex digit, else -1 */
bool utf8_valid(const char *s, size_t n);
/* The code point of the valid UTF-8 sequence at s (at most n bytes) in *cp
 * (may be NULL); returns its length, or 0 when the bytes there are not
 * valid UTF-8 (overlong, surrogate, truncated, stray continuation). */
size_t utf8_decode(const char *s, size_t n, uint32_t *cp);

/* Time: "2026-11-22T04:31:00Z" (UTC, ISO 8601). buf must hold 21 bytes. */
#define OSM_ISO_LEN 21
void iso8601_utc(time_t t, char buf[OSM_ISO_LEN]);
void iso8601_now(char buf[OSM_ISO_LEN]);
/* The wall clock every record and display uses (UTC seconds). Normally
 * time(NULL). When OSMIGRATE_NOW holds a time in the form above, the clock
 * starts there and runs on at the real pace: tests of clocks, durations and
 * a change window's countdown use it. A malformed OSMIGRATE_NOW is ignored. */
time_t osm_now(void);
/* A stored UTC time (iso8601) shown in local time with its UTC offset:
 * "2026-12-02 23:04 +01:00" (TZ decides the zone).  False (buf: the text
 * as given, or "") when it does not parse.  Always NUL-terminated. */
bool time_local_text(const char *iso_utc, char *buf, size_t len);
/* A duration in words: "45 s", "12 min", "1 h 05 min". */
void duration_text(long long seconds, char *buf, size_t len);
/* Parse the form above; returns false on anything else. */
bool iso8601_parse(const char *s, time_t *out);
/* A time as an operator writes it: 2026-12-03T04:00:00Z, or with the
 * local offset 2026-12-03T05:00:00+01:00 (seconds optional, a space for
 * the T); UTC seconds in *out.  False on anything else. */
bool iso8601_parse_zoned(const char *s, time_t *out);
/* The time of day of t in local time with its UTC offset, as
 * time_local_text writes it: "23:05 +01:00". */
void local_hhmm(time_t t, char *buf, size_t len);
/* Monotonic milliseconds, for timeouts and elapsed times. */
long long mono_ms(void);

/* "user@host" of the operator (from getpwuid and gethostname, $USER as fallback),
 * or "NAME (user@host)" once operator_set_name gave the person's name (on a
 * shared account everyone is root@host).  Every record (by, tick, updated_by,
 * override_by) and every journal line carries it.  Static storage. */
const char *operator_id(void);
/* Set the person's name (--operator, OSMIGRATE_OPERATOR): trimmed, 1 to
 * OPERATOR_NAME_MAX bytes, no control characters or parentheses.  false,
 * with err saying why, otherwise.  Call before the first record. */
#define OPERATOR_NAME_MAX 64
bool operator_set_name(const char *name, char *err, size_t errlen);
/* The name given, or NULL. */
const char *operator_name(void);

/* Whether fd should carry escape codes/colour: a terminal, NO_COLOR unset,
 * and TERM set and not "dumb". */
bool use_color(int fd);

#endif
