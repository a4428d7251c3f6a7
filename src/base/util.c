/* util.c - allocation, strings, time and identity helpers. */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <pwd.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "exitcodes.h"
#include "util.h"

static void (*fatal_cleanup)(void);

void osm_set_fatal_cleanup(void (*fn)(void))
{
	fatal_cleanup = fn;
}

OSM_NORETURN static void vfatal(bool with_errno, const char *fmt, va_list ap)
{
	int saved = errno;

	if (fatal_cleanup)
		fatal_cleanup();
	fputs("osmigrate: ", stderr);
	vfprintf(stderr, fmt, ap);
	if (with_errno)
		fprintf(stderr, ": %s", strerror(saved));
	fputc('\n', stderr);
	exit(EXIT_SOFTWARE);
}

void fatal(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vfatal(true, fmt, ap);
	va_end(ap);
}

void fatalx(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vfatal(false, fmt, ap);
	va_end(ap);
}

void *xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (!p)
		fatalx("out of memory (%zu bytes)", n);
	return p;
}

void *xcalloc(size_t nmemb, size_t size)
{
	void *p = calloc(nmemb ? nmemb : 1, size ? size : 1);

	if (!p)
		fatalx("out of memory");
	return p;
}

void *xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);

	if (!q)
		fatalx("out of memory (%zu bytes)", n);
	return q;
}

void *xreallocarray(void *p, size_t nmemb, size_t size)
{
	if (size && nmemb > SIZE_MAX / size)
		fatalx("allocation size overflow");
	return xrealloc(p, nmemb * size);
}

char *xstrdup(const char *s)
{
	return xstrndup(s, strlen(s));
}

char *xstrndup(const char *s, size_t n)
{
	size_t len = strnlen(s, n);
	char *p = xmalloc(len + 1);

	memcpy(p, s, len);
	p[len] = '\0';
	return p;
}

char *xvasprintf(const char *fmt, va_list ap)
{
	va_list ap2;
	int n;
	char *p;

	va_copy(ap2, ap);
	n = vsnprintf(NULL, 0, fmt, ap2);
	va_end(ap2);
	if (n < 0)
		fatalx("bad format string");
	p = xmalloc((size_t)n + 1);
	vsnprintf(p, (size_t)n + 1, fmt, ap);
	return p;
}

char *xasprintf(const char *fmt, ...)
{
	va_list ap;
	char *p;

	va_start(ap, fmt);
	p = xvasprintf(fmt, ap);
	va_end(ap);
	return p;
}

/* ---- strbuf ---- */

void sb_init(struct strbuf *sb)
{
	sb->buf = NULL;
	sb->len = sb->cap = 0;
}

void sb_free(struct strbuf *sb)
{
	free(sb->buf);
	sb_init(sb);
}

void sb_reset(struct strbuf *sb)
{
	sb->len = 0;
	if (sb->buf)
		sb->buf[0] = '\0';
}

static void sb_grow(struct strbuf *sb, size_t extra)
{
	size_t need = sb->len + extra + 1;

	if (need <= sb->cap)
		return;
	size_t cap = sb->cap ? sb->cap : 64;
	while (cap < need)
		cap *= 2;
	sb->buf = xrealloc(sb->buf, cap);
	sb->cap = cap;
}

void sb_reserve(struct strbuf *sb, size_t extra)
{
	size_t need = sb->len + extra + 1;

	if (need <= sb->cap)
		return;
	sb->buf = xrealloc(sb->buf, need);
	if (sb->len == 0)
		sb->buf[0] = '\0';
	sb->cap = need;
}

void sb_addn(struct strbuf *sb, const char *s, size_t n)
{
	sb_grow(sb, n);
	memcpy(sb->buf + sb->len, s, n);
	sb->len += n;
	sb->buf[sb->len] = '\0';
}

void sb_add(struct strbuf *sb, const char *s)
{
	sb_addn(sb, s, strlen(s));
}

void sb_addc(struct strbuf *sb, char c)
{
	sb_addn(sb, &c, 1);
}

void sb_vaddf(struct strbuf *sb, const char *fmt, va_list ap)
{
	va_list ap2;
	int n;

	/* straight into the room there is; measured and written again only
	 * when it does not fit */
	size_t room = sb->cap > sb->len ? sb->cap - sb->len : 0;

	va_copy(ap2, ap);
	n = vsnprintf(room ? sb->buf + sb->len : NULL, room, fmt, ap2);
	va_end(ap2);
	if (n < 0)
		fatalx("bad format string");
	if ((size_t)n >= room) {
		sb_grow(sb, (size_t)n);
		vsnprintf(sb->buf + sb->len, (size_t)n + 1, fmt, ap);
	}
	sb->len += (size_t)n;
}

void sb_addf(struct strbuf *sb, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	sb_vaddf(sb, fmt, ap);
	va_end(ap);
}

const char *sb_str(const struct strbuf *sb)
{
	return sb->buf ? sb->buf : "";
}

char *sb_detach(struct strbuf *sb)
{
	char *p = sb->buf ? sb->buf : xstrdup("");

	sb_init(sb);
	return p;
}

size_t utf8_decode(const char *str, size_t n, uint32_t *cpout)
{
	const unsigned char *s = (const unsigned char *)str;
	unsigned char c;
	size_t len;
	uint32_t cp;

	if (n == 0)
		return 0;
	c = s[0];
	if (c < 0x80) {
		if (cpout)
			*cpout = c;
		return 1;
	}
	if (c >= 0xc2 && c <= 0xdf) {
		len = 2;
		cp = c & 0x1f;
	} else if (c >= 0xe0 && c <= 0xef) {
		len = 3;
		cp = c & 0x0f;
	} else if (c >= 0xf0 && c <= 0xf4) {
		len = 4;
		cp = c & 0x07;
	} else {
		return 0;
	}
	if (n < len)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	if ((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10ffff)) ||
	    (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	if (cpout)
		*cpout = cp;
	return len;
}

/* Length of the valid UTF-8 sequence at s (max n bytes), 0 if invalid. */
static size_t utf8_seq(const unsigned char *s, size_t n)
{
	return utf8_decode((const char *)s, n, NULL);
}

bool utf8_valid(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;

	while (i < n) {
		size_t l = utf8_seq(p + i, n - i);
		if (!l)
			return false;
		i += l;
	}
	return true;
}

/* ---- strings ---- */

bool str_eq(const char *a, const char *b)
{
	if (!a || !b)
		return a == b;
	return strcmp(a, b) == 0;
}

bool str_startswith(const char *s, const char *prefix)
{
	return s && strncmp(s, prefix, strlen(prefix)) == 0;
}

const char *plural(unsigned long long n, const char *one, const char *many)
{
	return n == 1 ? one : many;
}

bool str_empty(const char *s)
{
	return !s || !*s;
}

int hex_value(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

void str_wipe(char *s)
{
	if (s)
		explicit_bzero(s, strlen(s));
}

char *str_trim(char *s)
{
	char *end;

	while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')
		memmove(s, s + 1, strlen(s));
	end = s + strlen(s);
	while (end > s && (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\n' || end[-1] == '\r'))
		*--end = '\0';
	return s;
}

/* ---- time ---- */

void iso8601_utc(time_t t, char buf[OSM_ISO_LEN])
{
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(buf, OSM_ISO_LEN, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

time_t osm_now(void)
{
	static int init;
	static time_t base;
	static long long base_ms;
	const char *env;

	if (!init) {
		init = 1;
		env = getenv("OSMIGRATE_NOW");
		if (env && iso8601_parse(env, &base))
			base_ms = mono_ms();
		else
			base = (time_t)-1;
	}
	if (base == (time_t)-1)
		return time(NULL);
	return base + (time_t)((mono_ms() - base_ms) / 1000);
}

bool time_local_text(const char *iso_utc, char *buf, size_t len)
{
	time_t t;
	struct tm tm;
	char z[16];

	if (!iso_utc || !iso8601_parse(iso_utc, &t) || !localtime_r(&t, &tm)) {
		snprintf(buf, len, "%s", iso_utc ? iso_utc : "");
		return false;
	}
	/* %z is +hhmm: written +hh:mm, as ISO 8601 and RFC 3339 do */
	if (strftime(z, sizeof z, "%z", &tm) != 5)
		snprintf(z, sizeof z, "+0000");
	snprintf(buf, len, "%04d-%02d-%02d %02d:%02d %.3s:%.2s", tm.tm_year + 1900, tm.tm_mon + 1,
		 tm.tm_mday, tm.tm_hour, tm.tm_min, z, z + 3);
	return true;
}

void duration_text(long long s, char *buf, size_t len)
{
	if (s < 0)
		s = 0;
	if (s < 60)
		snprintf(buf, len, "%lld s", s);
	else if (s < 3600)
		snprintf(buf, len, "%lld min", s / 60);
	else
		snprintf(buf, len, "%lld h %02lld min", s / 3600, s % 3600 / 60);
}

void iso8601_now(char buf[OSM_ISO_LEN])
{
	iso8601_utc(osm_now(), buf);
}

bool iso8601_parse(const char *s, time_t *out)
{
	struct tm tm;
	char *end;

	if (!s || strlen(s) != 20)
		return false;
	memset(&tm, 0, sizeof tm);
	end = strptime(s, "%Y-%m-%dT%H:%M:%SZ", &tm);
	if (!end || *end)
		return false;
	*out = timegm(&tm);
	return true;
}

bool iso8601_parse_zoned(const char *s, time_t *out)
{
	struct tm tm;
	const char *p;
	long off = 0;

	if (!s)
		return false;
	memset(&tm, 0, sizeof tm);
	p = strptime(s, "%Y-%m-%d", &tm);
	if (!p || (*p != 'T' && *p != ' '))
		return false;
	p = strptime(p + 1, "%H:%M", &tm);
	if (!p)
		return false;
	if (*p == ':') {
		p = strptime(p + 1, "%S", &tm);
		if (!p)
			return false;
	}
	if (*p == 'Z' && !p[1]) {
		off = 0;
	} else if ((*p == '+' || *p == '-') && strlen(p) == 6 && isdigit((unsigned char)p[1]) &&
		   isdigit((unsigned char)p[2]) && p[3] == ':' && isdigit((unsigned char)p[4]) &&
		   isdigit((unsigned char)p[5])) {
		int hh = (p[1] - '0') * 10 + (p[2] - '0'), mm = (p[4] - '0') * 10 + (p[5] - '0');

		if (hh > 14 || mm > 59)
			return false;
		off = (hh * 60L + mm) * 60L * (*p == '-' ? -1 : 1);
	} else {
		return false;
	}
	*out = timegm(&tm) - off;
	return true;
}

void local_hhmm(time_t t, char *buf, size_t len)
{
	struct tm tm;
	char z[16];

	localtime_r(&t, &tm);
	/* as time_local_text: %z is +hhmm, written +hh:mm */
	if (strftime(z, sizeof z, "%z", &tm) != 5)
		snprintf(z, sizeof z, "+0000");
	snprintf(buf, len, "%02d:%02d %.3s:%.2s", tm.tm_hour, tm.tm_min, z, z + 3);
}

long long mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* ---- identity ---- */

/* The operator's own name (--operator, OSMIGRATE_OPERATOR), or "". */
static char op_name[OPERATOR_NAME_MAX + 1];
static char op_id[OPERATOR_NAME_MAX + 256 + 4];

bool operator_set_name(const char *name, char *err, size_t errlen)
{
	const unsigned char *p;
	size_t n;

	while (name && (*name == ' ' || *name == '\t'))
		name++;
	n = name ? strlen(name) : 0;
	while (n && (name[n - 1] == ' ' || name[n - 1] == '\t'))
		n--;
	if (n == 0) {
		snprintf(err, errlen, "the operator's name is empty: give your name, as the "
			 "change record should show it");
		return false;
	}
	if (n > OPERATOR_NAME_MAX) {
		snprintf(err, errlen, "the operator's name is longer than %d bytes",
			 OPERATOR_NAME_MAX);
		return false;
	}
	for (p = (const unsigned char *)name; p < (const unsigned char *)name + n; p++)
		if (*p < 0x20 || *p == 0x7f || *p == '(' || *p == ')') {
			snprintf(err, errlen, "the operator's name may not hold control characters "
				 "or parentheses (it is recorded as \"NAME (user@host)\")");
			return false;
		}
	memcpy(op_name, name, n);
	op_name[n] = '\0';
	op_id[0] = '\0';   /* computed again with the name */
	return true;
}

const char *operator_name(void)
{
	return op_name[0] ? op_name : NULL;
}

const char *operator_id(void)
{
	char *id = op_id;
	char host[128] = "localhost";
	const char *user = NULL;
	struct passwd *pw;

	if (id[0])
		return id;
	pw = getpwuid(geteuid());
	if (pw && pw->pw_name)
		user = pw->pw_name;
	if (!user)
		user = getenv("USER");
	if (!user || !*user)
		user = "unknown";
	if (gethostname(host, sizeof host - 1) != 0)
		strcpy(host, "localhost");
	host[sizeof host - 1] = '\0';
	snprintf(id, sizeof op_id, "%s@%s", user, host);
	/* Keep it one token: the state file stores "user@host time". */
	for (char *p = id; *p; p++)
		if (*p == ' ' || *p == '\t' || (unsigned char)*p < 0x20)
			*p = '_';
	/* On a shared account (root@host) the person's name tells who it was;
	 * a tick's "by time" splits at the last space, so a name may have them. */
	if (op_name[0]) {
		char *uh = xstrdup(id);

		snprintf(id, sizeof op_id, "%s (%s)", op_name, uh);
		free(uh);
	}
	return id;
}

bool use_color(int fd)
{
	const char *nc = getenv("NO_COLOR");
	const char *term = getenv("TERM");

	if (nc && *nc)
		return false;
	/* A dumb terminal (Emacs shell buffers, some CI consoles) or none
	 * named shows escape codes as garbage. */
	if (!term || !*term || strcmp(term, "dumb") == 0)
		return false;
	return isatty(fd) == 1;
}
