/* state.c - the resumable state file and answers files: schema, strict
 * loading, locking, atomic saving, accessors.  Layout documented in state.h.
 *
 * The settings schema is schema.c's table; the progress sections are two
 * tables below (sections, keys): to add a key, add one row. */
#include "config.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdint.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "hostport.h"
#include "exitcodes.h"
#include "lock.h"
#include "checklist.h"
#include "names.h"
#include "privfile.h"
#include "runbook.h"
#include "schema.h"
#include "secret.h"
#include "state.h"
#include "util.h"

#define NAME_MAX_BYTES STATE_NAME_MAX   /* extension, consumer, server, environment names */
#define ID_MAX_BYTES 64      /* step, check and runbook ids */
#define TEXT_MAX_BYTES 1024  /* one-line values */
#define PATH_MAX_BYTES 4096
#define URL_MAX_BYTES 2048

/* ---- schema --------------------------------------------------------- */

/* The settings sections and keys are schema.c's table (schema.h); the
 * progress sections are these two tables, rows of the same types, looked up
 * the same way: to add a key, add one row. */
static const struct schema_section section_rules[] = {
	{ "osmigrate", UNNAMED, false },
	{ "step", NAMED_ID, false },
	{ "item", NAMED_STEPITEM, false },
	{ "check", NAMED_CHECK, false },
	{ "types", UNNAMED, false },
	{ "finding", NAMED_NUMBER, false },
};

static const struct schema_key key_rules[] = {
	{ "osmigrate", "version", V_VERSION },
	{ "osmigrate", "runbook", V_RUNBOOK },
	{ "osmigrate", "created", V_TIME },
	{ "osmigrate", "updated", V_TIME },
	{ "osmigrate", "updated_by", V_TEXT },
	{ "osmigrate", "current", V_ID },
	{ "osmigrate", "instance", V_DIGEST },

	{ "step", "status", V_STEPSTATUS },
	{ "step", "by", V_TEXT },
	{ "step", "at", V_TIME },
	{ "step", "started", V_TIME },
	{ "step", "ended", V_TIME },
	{ "step", "note", V_ANY },
	{ "step", "reason", V_ANY },
	{ "step", "override_by", V_TEXT },
	{ "step", "override_at", V_TIME },
	{ "step", "overrode", V_ANY },
	{ "step", "tick.", V_TICK },
	{ "step", "field.", V_FIELD },
	{ "item", "status", V_STEPSTATUS },
	{ "item", "by", V_TEXT },
	{ "item", "at", V_TIME },
	{ "item", "note", V_ANY },
	{ "item", "reason", V_ANY },
	{ "item", "override_by", V_TEXT },
	{ "item", "override_at", V_TIME },
	{ "item", "overrode", V_ANY },
	{ "item", "tick.", V_TICK },
	{ "item", "claim", V_TICK },
	{ "check", "status", V_CHECKSTATUS },
	{ "check", "at", V_TIME },
	{ "check", "label", V_ANY },
	{ "check", "summary", V_ANY },
	{ "check", "detail", V_ANY },
	{ "check", "fix", V_ANY },
	{ "check", "settings_digest", V_DIGEST },
	{ "check", "needs", V_ID },
	{ "check", "cancelled", V_BOOL },
	{ "check", "body_sha256", V_DIGEST },
	{ "types", "at", V_TIME },
	{ "types", "scope", V_ANY },
	{ "types", "blockers", V_COUNT },
	{ "types", "warnings", V_COUNT },
	{ "types", "infos", V_COUNT },
	{ "types", "columns", V_COUNT },
	{ "types", "unmatched", V_ANY },
	{ "types", "settings_digest", V_DIGEST },
	{ "finding", "code", V_TEXT },
	{ "finding", "severity", V_TEXT },
	{ "finding", "schema", V_ANY },
	{ "finding", "table", V_ANY },
	{ "finding", "column", V_ANY },
	{ "finding", "pg_type", V_ANY },
	{ "finding", "ardo_type", V_ANY },
	{ "finding", "supported_type", V_ANY },
	{ "finding", "count", V_COUNT },
	{ "finding", "samples", V_ANY },
	{ "finding", "detail", V_ANY },
	{ "finding", "message", V_ANY },
	{ "finding", "fix", V_ANY },
};

static const char *const step_status_names[] = { "pending", "in-progress", "done", "skipped", "failed" };
static const char *const step_status_marks[] = { "[ ]", "[>]", "[x]", "[-]", "[!]" };
static const char *const check_statuses[] = { "ok", "warning", "failed", "error", NULL };
static const char *const sslmodes[] = { "disable", "allow", "prefer", "require", "verify-ca",
					"verify-full", NULL };
static const char *const roles[] = { "controller", "frontend", NULL };

const char *step_status_name(enum step_status s)
{
	return (unsigned)s < OSM_ARRAY_LEN(step_status_names) ? step_status_names[s] : "pending";
}

const char *step_status_mark(enum step_status s)
{
	return (unsigned)s < OSM_ARRAY_LEN(step_status_marks) ? step_status_marks[s] : "[ ]";
}

bool step_status_parse(const char *s, enum step_status *out)
{
	for (size_t i = 0; s && i < OSM_ARRAY_LEN(step_status_names); i++) {
		if (strcmp(s, step_status_names[i]) == 0) {
			if (out)
				*out = (enum step_status)i;
			return true;
		}
	}
	return false;
}

static const struct schema_section *find_section_rule(const char *kind)
{
	const struct settings_section *ss = schema_find_section(kind);

	if (ss)
		return &ss->s;
	for (size_t i = 0; kind && i < OSM_ARRAY_LEN(section_rules); i++)
		if (strcmp(section_rules[i].kind, kind) == 0)
			return &section_rules[i];
	return NULL;
}

bool section_is_setting(const char *kind)
{
	const struct schema_section *r = find_section_rule(kind);

	return r && r->setting;
}

static const struct schema_key *find_key_rule(const char *kind, const char *key)
{
	const struct settings_key *sk = schema_find_key(kind, key);

	if (sk)
		return &sk->k;
	for (size_t i = 0; i < OSM_ARRAY_LEN(key_rules); i++)
		if (schema_key_matches(&key_rules[i], kind, key))
			return &key_rules[i];
	return NULL;
}

static bool in_list(const char *s, const char *const *list)
{
	for (; *list; list++)
		if (strcmp(s, *list) == 0)
			return true;
	return false;
}

static void join_list(char *out, size_t outlen, const char *const *list)
{
	size_t n = 0;

	out[0] = '\0';
	for (; *list && n < outlen; list++)
		n += (size_t)snprintf(out + n, outlen - n, "%s%s", n ? ", " : "", *list);
}

static bool has_control(const char *s, bool allow_newlines)
{
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (allow_newlines && (c == '\n' || c == '\t' || c == '\r'))
			continue;
		if (c < 0x20 || c == 0x7f)
			return true;
	}
	return false;
}

static bool all_digits(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (!isdigit((unsigned char)*s))
			return false;
	return true;
}

static bool parse_uint(const char *s, unsigned long max, unsigned long *out)
{
	unsigned long v = 0;

	if (!all_digits(s) || strlen(s) > 10)
		return false;
	for (; *s; s++)
		v = v * 10 + (unsigned long)(*s - '0');
	if (v > max)
		return false;
	if (out)
		*out = v;
	return true;
}

static bool valid_id(const char *s)
{
	size_t n = strlen(s);

	if (n == 0 || n > ID_MAX_BYTES)
		return false;
	for (; *s; s++)
		if (!(islower((unsigned char)*s) || isdigit((unsigned char)*s) || *s == '_' || *s == '-' ||
		      *s == '.'))
			return false;
	return true;
}

/* Free text that mask_secrets (secret.h) would change carries a password
 * or token that is not masked yet. */
static bool carries_unmasked_secret(const char *v)
{
	char *m = mask_secrets(v);
	bool differs = strcmp(m, v) != 0;

	free(m);
	return differs;
}

static bool is_secret_key(const char *key)
{
	static const char *const secrets[] = { "password", "passwd", "pwd", "pgpassword", "token",
					       "secret", "apikey", "api_key", NULL };
	const char *last = strrchr(key, '.');
	char low[64];
	size_t i;

	last = last ? last + 1 : key;
	for (i = 0; last[i] && i < sizeof(low) - 1; i++)
		low[i] = (char)tolower((unsigned char)last[i]);
	low[i] = '\0';
	return in_list(low, secrets);
}

static bool valid_host(const char *v, char *msg, size_t msglen)
{
	if (!*v || strlen(v) > 255) {
		snprintf(msg, msglen, "host must be 1 to 255 characters");
		return false;
	}
	for (const char *p = v; *p; p++) {
		unsigned char c = (unsigned char)*p;
		/* names, IPv4, IPv6 (with or without brackets), socket directories,
		 * and libpq's comma-separated host lists */
		if (!(isalnum(c) || c == '.' || c == '-' || c == '_' || c == ':' || c == '[' || c == ']' ||
		      c == '/' || c == ',' || c == '%')) {
			snprintf(msg, msglen, "host contains a character not allowed in a host name "
				 "(use a name, an IP address or a socket directory)");
			return false;
		}
	}
	return true;
}

static bool valid_port(const char *v, char *msg, size_t msglen)
{
	unsigned long p;

	if (!parse_uint(v, 65535, &p) || p == 0) {
		snprintf(msg, msglen, "port must be a number from 1 to 65535");
		return false;
	}
	return true;
}

/* One parser for database addresses: the endpoint checks' own. */
static bool valid_hostport(const char *v, char *msg, size_t msglen)
{
	struct endpoint ep;

	return endpoint_parse(v, &ep, msg, msglen);
}

static bool valid_url(const char *v, char *msg, size_t msglen)
{
	const char *h;
	size_t hl;

	if (strncasecmp(v, "https://", 8) == 0)
		h = v + 8;
	else if (strncasecmp(v, "http://", 7) == 0)
		h = v + 7;
	else {
		snprintf(msg, msglen, "URL must start with http:// or https://");
		return false;
	}
	if (strlen(v) > URL_MAX_BYTES) {
		snprintf(msg, msglen, "URL is longer than %d characters", URL_MAX_BYTES);
		return false;
	}
	for (const char *p = v; *p; p++) {
		if ((unsigned char)*p <= 0x20 || *p == 0x7f) {
			snprintf(msg, msglen, "URL contains a space or a control character");
			return false;
		}
	}
	hl = strcspn(h, "/?#");
	if (hl == 0) {
		snprintf(msg, msglen, "URL has no host name after ://");
		return false;
	}
	if (memchr(h, '@', hl)) {
		snprintf(msg, msglen, "URL must not carry a user name or password: remove the part before '@'");
		return false;
	}
	return true;
}

static bool valid_name(const char *what, const char *v, size_t max, char *msg, size_t msglen)
{
	if (!*v) {
		snprintf(msg, msglen, "%s is empty", what);
		return false;
	}
	if (strlen(v) > max) {
		snprintf(msg, msglen, "%s is longer than %zu bytes", what, max);
		return false;
	}
	if (has_control(v, false)) {
		snprintf(msg, msglen, "%s contains a control character", what);
		return false;
	}
	if (!utf8_valid(v, strlen(v))) {
		snprintf(msg, msglen, "%s is not valid UTF-8", what);
		return false;
	}
	return true;
}

/* v holds no control character, and every word of it (separated by
 * spaces or commas, as names_split separates them) is unquoted and has
 * exactly one '.' with text on both sides: what has_control and
 * names_qualified accept without quotes, checked in one pass. */
static bool plain_tables(const char *v)
{
	size_t len = 0, dots = 0;
	bool after_dot = false;   /* the last byte of the word is its dot */

	for (const char *p = v;; p++) {
		switch (*p) {
		case '"':
			return false;
		case '.':
			if (len == 0)
				return false;
			dots++;
			after_dot = true;
			len++;
			continue;
		case ' ': case ',': case '\0':
			if (len && (dots != 1 || after_dot))
				return false;
			if (!*p)
				return true;
			len = dots = 0;
			after_dot = false;
			continue;
		default:
			if ((unsigned char)*p < 0x20 || *p == 0x7f)
				return false;
			after_dot = false;
			len++;
			continue;
		}
	}
}

static bool valid_value(enum vtype t, const char *v, char *msg, size_t msglen)
{
	char list[200];
	unsigned long n;
	time_t tt;

	switch (t) {
	case V_ANY:
		return true;
	case V_FIELD:
		/* The wizard masks what it stores (state_set_field): only a
		 * hand-edited file gets here with a secret. */
		if (carries_unmasked_secret(v)) {
			snprintf(msg, msglen, "value carries a password or token; osmigrate never "
				 "stores one: replace it with ***. " PASSWORD_FIX);
			return false;
		}
		return true;
	case V_TEXT:
		if (strlen(v) > TEXT_MAX_BYTES || has_control(v, false)) {
			snprintf(msg, msglen, "value must be one line of at most %d bytes without control characters",
				 TEXT_MAX_BYTES);
			return false;
		}
		return true;
	case V_ID:
		if (!valid_id(v)) {
			snprintf(msg, msglen, "'%.64s' is not an id (lower-case letters, digits, '-', '_', '.')", v);
			return false;
		}
		return true;
	case V_RUNBOOK:
		if (!runbook_find(v)) {
			struct strbuf names = STRBUF_INIT;
			for (size_t i = 0; i < n_runbooks; i++)
				sb_addf(&names, "%s%s", i ? ", " : "", runbooks[i]->id);
			snprintf(msg, msglen, "unknown runbook '%.40s' (known: %s)", v, sb_str(&names));
			sb_free(&names);
			return false;
		}
		return true;
	case V_VERSION:
		if (parse_uint(v, 1000000, &n) && n == STATE_VERSION)
			return true;
		/* any other whole number: versions only ever go up */
		if (all_digits(v) && strspn(v, "0") != strlen(v)) {
			snprintf(msg, msglen, "written by a newer osmigrate (format version %.20s; this osmigrate "
				 "reads version %d): upgrade osmigrate, or use another file", v, STATE_VERSION);
			return false;
		}
		snprintf(msg, msglen, "bad format version '%.32s' (expected %d)", v, STATE_VERSION);
		return false;
	case V_TIME:
		if (!iso8601_parse(v, &tt)) {
			snprintf(msg, msglen, "bad time '%.40s' (expected UTC like 2026-11-22T04:31:00Z)", v);
			return false;
		}
		return true;
	case V_WHEN:
		if (!iso8601_parse_zoned(v, &tt)) {
			snprintf(msg, msglen, "bad time '%.40s' (expected a date and time with its "
				 "offset, like 2026-12-03T05:00+01:00, or in UTC, like "
				 "2026-12-03T04:00Z)", v);
			return false;
		}
		return true;
	case V_STEPSTATUS:
		if (!step_status_parse(v, NULL)) {
			snprintf(msg, msglen, "bad status '%.40s' (expected pending, in-progress, done, skipped or failed)", v);
			return false;
		}
		return true;
	case V_CHECKSTATUS:
		if (!in_list(v, check_statuses)) {
			snprintf(msg, msglen, "bad check status '%.40s' (expected ok, warning, failed or error)", v);
			return false;
		}
		return true;
	case V_HOST:
		return valid_host(v, msg, msglen);
	case V_PORT:
		return valid_port(v, msg, msglen);
	case V_DATABASE:
		/* libpq expands a conninfo or URI given as dbname (expand_dbname=1) */
		if (strchr(v, '=') || strstr(v, "://"))
			return valid_value(V_CONNINFO, v, msg, msglen);
		return valid_name("name", v, 63, msg, msglen);
	case V_DBNAME:
		return valid_name("name", v, 63, msg, msglen);
	case V_SSLMODE:
		if (!in_list(v, sslmodes)) {
			join_list(list, sizeof(list), sslmodes);
			snprintf(msg, msglen, "bad sslmode '%.40s' (expected one of %s)", v, list);
			return false;
		}
		return true;
	case V_PATH:
		return valid_name("path", v, PATH_MAX_BYTES, msg, msglen);
	case V_TIMEOUT:
		if (!parse_uint(v, 3600, &n) || n == 0) {
			snprintf(msg, msglen, "timeout must be a number of seconds from 1 to 3600");
			return false;
		}
		return true;
	case V_SERVICE:
		for (const char *p = v; *p; p++)
			if (!(isalnum((unsigned char)*p) || *p == '_' || *p == '-' || *p == '.'))
				goto bad_service;
		if (*v && strlen(v) <= ID_MAX_BYTES)
			return true;
	bad_service:
		snprintf(msg, msglen, "service must be a pg_service.conf name (letters, digits, '_', '-', '.')");
		return false;
	case V_CONNINFO:
		if (!valid_name("connection string", v, TEXT_MAX_BYTES, msg, msglen))
			return false;
		/* libpq's own parser: every spelling it would use is caught
		 * (user:pa?ss@, ?pass%77ord=, sslpassword=...). */
		if (conninfo_has_password(v)) {
			snprintf(msg, msglen, "connection string carries a password. " PASSWORD_FIX);
			return false;
		}
		return true;
	case V_URL:
		return valid_url(v, msg, msglen);
	case V_MAJORS: {
		size_t i = 0, words = 0;

		while (v[i]) {
			size_t d = strspn(v + i, "0123456789");

			if (d == 0 || d > 3 || (v[i] == '0')) {
				snprintf(msg, msglen, "expected PostgreSQL major versions separated by "
					 "spaces or commas, as in \"14 16\", got '%.40s'", v);
				return false;
			}
			words++;
			i += d;
			i += strspn(v + i, " ,");
		}
		if (!words) {
			snprintf(msg, msglen, "expected PostgreSQL major versions, as in \"14 16\"");
			return false;
		}
		return true;
	}
	case V_LIST:
		if (has_control(v, false) || strlen(v) > TEXT_MAX_BYTES * 8) {
			snprintf(msg, msglen, "schema list must be names separated by spaces or commas");
			return false;
		}
		return true;
	case V_TABLES: {
		char **words, *schema, *table;
		bool good;

		/* A list of plain schema.table words (thousands of them in a large
		 * farm) is accepted in one pass; anything else (quotes, a word
		 * without exactly one dot) goes through names_qualified below. */
		if (plain_tables(v))
			return true;
		good = !has_control(v, false);

		if (!good)
			snprintf(msg, msglen, "tables must be schema.table names separated by spaces");
		words = names_split(v, NULL);
		for (char **w = words; good && *w; w++) {
			good = names_qualified(*w, &schema, &table, msg, msglen);
			if (good) {
				free(schema);
				free(table);
			}
		}
		names_free(words);
		return good;
	}
	case V_ROLE:
		if (!in_list(v, roles)) {
			snprintf(msg, msglen, "bad role '%.40s' (expected controller or frontend)", v);
			return false;
		}
		return true;
	case V_HOSTPORT:
		return valid_hostport(v, msg, msglen);
	case V_BOOL:
		if (!schema_bool_valid(v)) {
			snprintf(msg, msglen, "expected yes or no (or true/false, 1/0), got '%.40s'", v);
			return false;
		}
		return true;
	case V_DIGEST:
		if (!*v || strlen(v) > 64 || strspn(v, "0123456789abcdef") != strlen(v)) {
			snprintf(msg, msglen, "bad settings digest '%.40s' (expected hex digits; "
				 "remove the line, the check then counts as not run with these "
				 "settings)", v);
			return false;
		}
		return true;
	case V_COUNT:
		if (!parse_uint(v, 4000000000UL, NULL)) {
			snprintf(msg, msglen, "expected a whole number, got '%.40s'", v);
			return false;
		}
		return true;
	case V_TICK: {
		const char *sp = strrchr(v, ' ');
		if (!sp || sp == v || !iso8601_parse(sp + 1, &tt) || has_control(v, false)) {
			snprintf(msg, msglen, "bad tick '%.60s' (expected \"user@host 2026-11-22T04:31:00Z\")", v);
			return false;
		}
		return true;
	}
	}
	return true;
}

static bool valid_section_name(const struct schema_section *r, const char *name, char *msg, size_t msglen)
{
	const char *colon;
	char id[ID_MAX_BYTES + 2];

	switch (r->naming) {
	case UNNAMED:
		if (name) {
			snprintf(msg, msglen, "section [%s] takes no name", r->kind);
			return false;
		}
		return true;
	case NAMED_ITEM:
		if (!name) {
			snprintf(msg, msglen, "section [%s] needs a name, as in [%s \"NAME\"]", r->kind, r->kind);
			return false;
		}
		return valid_name("name", name, NAME_MAX_BYTES, msg, msglen);
	case NAMED_ID:
		if (!name || !valid_id(name)) {
			snprintf(msg, msglen, "section [%s] needs an id, as in [%s \"rebind\"]", r->kind, r->kind);
			return false;
		}
		return true;
	case NAMED_FIXED: {
		size_t n;
		const struct schema_name *nm = schema_names_of(r->kind, &n);
		char *list;

		/* unnamed: an older file's, moved to the first name on load */
		if (!name)
			return true;
		for (size_t i = 0; i < n; i++)
			if (str_eq(nm[i].name, name))
				return true;
		list = schema_name_list(r->kind);
		snprintf(msg, msglen, "section [%s \"%.40s\"]: the name is one of %s", r->kind, name,
			 list);
		free(list);
		return false;
	}
	case NAMED_NUMBER:
		if (!name || !parse_uint(name, 100000000, NULL)) {
			snprintf(msg, msglen, "section [%s] needs a number, as in [%s \"1\"]", r->kind, r->kind);
			return false;
		}
		return true;
	case NAMED_STEPITEM:
	case NAMED_CHECK:
		if (!name) {
			snprintf(msg, msglen, "section [%s] needs a name", r->kind);
			return false;
		}
		colon = strchr(name, ':');
		if (r->naming == NAMED_STEPITEM && !colon) {
			snprintf(msg, msglen, "section [%s] needs a name STEP:NAME", r->kind);
			return false;
		}
		{
			size_t l = colon ? (size_t)(colon - name) : strlen(name);
			if (l > ID_MAX_BYTES) {
				snprintf(msg, msglen, "id in section [%s] is too long", r->kind);
				return false;
			}
			memcpy(id, name, l);
			id[l] = '\0';
		}
		if (!valid_id(id)) {
			snprintf(msg, msglen, "section [%s] name must start with an id (lower-case letters, digits, '-', '_')",
				 r->kind);
			return false;
		}
		return !colon || valid_name("item name", colon + 1, NAME_MAX_BYTES, msg, msglen);
	}
	return true;
}

bool settings_validate(const char *kind, const char *name, const char *key,
		       const char *value, char *msg, size_t msglen)
{
	const struct schema_section *sr = find_section_rule(kind);
	const struct schema_key *kr;

	if (!sr) {
		snprintf(msg, msglen, "unknown section [%.40s]", kind ? kind : "");
		return false;
	}
	if (!key)
		return valid_section_name(sr, name, msg, msglen);
	if (is_secret_key(key)) {
		snprintf(msg, msglen, "key '%.40s' would hold a password or token; osmigrate never stores one "
			 "(use ~/.pgpass or PGPASSFILE, and token_file for tokens)", key);
		return false;
	}
	kr = find_key_rule(kind, key);
	if (!kr) {
		snprintf(msg, msglen, "unknown key '%.40s' in section [%s]", key, kind);
		return false;
	}
	return valid_value(kr->type, value ? value : "", msg, msglen);
}

enum file_mode { MODE_STATE, MODE_ANSWERS };

static bool schema_check(void *ud, const char *kind, const char *name, const char *key,
			 const char *value, char *msg, size_t msglen)
{
	enum file_mode mode = *(enum file_mode *)ud;

	if (mode == MODE_ANSWERS && find_section_rule(kind) && !section_is_setting(kind) &&
	    strcmp(kind, "osmigrate") != 0) {
		snprintf(msg, msglen, "section [%s] is not allowed in an answers file (only settings: "
			 "%s)", kind, schema_section_list());
		return false;
	}
	return settings_validate(kind, name, key, value, msg, msglen);
}

/* ---- errors --------------------------------------------------------- */

static void set_err(struct state_error *err, int code, const char *fmt, ...) OSM_PRINTF(3, 4);
static void set_err(struct state_error *err, int code, const char *fmt, ...)
{
	va_list ap;

	if (!err)
		return;
	err->code = code;
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
}

static void data_err(struct state_error *err, const char *what, const struct doc_error *de)
{
	if (!err)
		return;
	err->where = *de;
	if (de->line > 0)
		set_err(err, EXIT_DATAERR, "%s %s, line %d: %s. The file was left unchanged: correct that line "
			"in an editor, or move the file away to start afresh.", what, de->file, de->line, de->msg);
	else
		set_err(err, EXIT_DATAERR, "%s %s: %s. The file was left unchanged.", what, de->file, de->msg);
}

static void where_msg(struct state_error *err, const char *path, const char *fmt, ...) OSM_PRINTF(3, 4);
static void where_msg(struct state_error *err, const char *path, const char *fmt, ...)
{
	va_list ap;

	if (!err)
		return;
	memset(&err->where, 0, sizeof(err->where));
	snprintf(err->where.file, sizeof(err->where.file), "%s", path);
	va_start(ap, fmt);
	vsnprintf(err->where.msg, sizeof(err->where.msg), fmt, ap);
	va_end(ap);
}

/* ---- paths ---------------------------------------------------------- */

char *state_default_dir(void)
{
	const char *x = getenv("XDG_STATE_HOME");
	const char *home = getenv("HOME");

	/* the XDG spec says relative values are to be ignored */
	if (x && x[0] == '/')
		return xasprintf("%s/osmigrate", x);
	if (!home || home[0] != '/') {
		struct passwd *pw = getpwuid(geteuid());
		home = pw && pw->pw_dir && pw->pw_dir[0] == '/' ? pw->pw_dir : "/";
	}
	return xasprintf("%s/.local/state/osmigrate", strcmp(home, "/") == 0 ? "" : home);
}

char *state_default_path(const char *runbook)
{
	char *dir = state_default_dir();
	char *p = xasprintf("%s/%s.ini", dir, runbook);

	free(dir);
	return p;
}

/* mkdir -p, new directories 0700 */
static bool make_dirs(const char *dir, struct state_error *err)
{
	char *p = xstrdup(dir);
	struct stat st;

	if (stat(p, &st) == 0) {
		free(p);
		if (S_ISDIR(st.st_mode))
			return true;
		set_err(err, EXIT_IOERR, "%s is not a directory: choose another place with --state FILE", dir);
		return false;
	}
	for (char *s = p + 1;; s++) {
		if (*s == '/' || *s == '\0') {
			char c = *s;
			*s = '\0';
			if (mkdir(p, 0700) != 0 && errno != EEXIST) {
				set_err(err, EXIT_IOERR, "cannot create the directory %s: %s; create it yourself "
					"(mkdir -m 700 -p %s) or choose another place with --state FILE",
					p, strerror(errno), dir);
				free(p);
				return false;
			}
			*s = c;
			if (!c)
				break;
		}
	}
	free(p);
	return true;
}

/* ---- loading -------------------------------------------------------- */

/* Read a file we are willing to trust: a regular file, not a symlink, ours
 * (or root's for answers), and for state files not open to group/others
 * (the checks are privfile.h's, shared with the journal).
 * Returns 1 ok, 0 missing, -1 error (err set). */
static int read_trusted(const char *path, enum file_mode mode, struct strbuf *out,
			struct stat *id, struct state_error *err)
{
	const char *what = mode == MODE_STATE ? "state file" : "answers file";
	const struct pf_rules rules = {
		.root_ok = mode == MODE_ANSWERS,
		.refuse = mode == MODE_STATE ? 077 : 022,
	};
	enum pf_result res;
	struct stat l;
	int fd, r;

	fd = pf_open(path, O_RDONLY, &rules, &l, &res);
	switch (res) {
	case PF_OK:
		break;
	case PF_MISSING:
		return 0;
	case PF_SYMLINK:
		where_msg(err, path, "is a symbolic link");
		set_err(err, EXIT_DATAERR, "the %s %s is a symbolic link; osmigrate does not follow links for "
			"its files (they could point anywhere). Use the real file instead: --state \"$(readlink -f %s)\"",
			what, path, path);
		return -1;
	case PF_NOT_REGULAR:
		where_msg(err, path, "is not a regular file");
		set_err(err, EXIT_DATAERR, "the %s %s is %s, not a regular file; give the path of an osmigrate "
			"INI file", what, path, pf_kind(l.st_mode));
		return -1;
	case PF_FOREIGN:
		where_msg(err, path, "is owned by another user");
		set_err(err, EXIT_DATAERR, "the %s %s is owned by uid %ld, not by you (uid %ld); osmigrate only "
			"uses its own files. Copy it (cp %s mine.ini && chmod 600 mine.ini) and use the copy",
			what, path, (long)l.st_uid, (long)geteuid(), path);
		return -1;
	case PF_OPEN_MODE:
		where_msg(err, path, "mode %04o is open to other users", (unsigned)(l.st_mode & 07777));
		set_err(err, EXIT_DATAERR, "the %s %s can be %s by other users (mode %04o); it describes your "
			"systems and must be private. Fix it with: chmod 600 %s", what, path,
			mode == MODE_STATE ? "read or changed" : "changed", (unsigned)(l.st_mode & 07777), path);
		return -1;
	case PF_REPLACED:
	case PF_IOERR: {
		int e = res == PF_IOERR ? errno : EAGAIN;

		where_msg(err, path, "%s", strerror(e));
		set_err(err, EXIT_IOERR, "cannot open the %s %s: %s", what, path,
			res == PF_IOERR ? strerror(e) : "it was replaced while being opened; try again");
		return -1;
	}
	}
	r = pf_read_all(fd, PF_READ_CAP, out);
	if (id && fstat(fd, id) != 0)
		memset(id, 0, sizeof(*id));
	if (r < 0) {
		int e = errno;

		close(fd);
		where_msg(err, path, "%s", strerror(e));
		set_err(err, EXIT_IOERR, "cannot read the %s %s: %s", what, path, strerror(e));
		return -1;
	}
	close(fd);
	if (r > 0) {
		where_msg(err, path, "larger than 64 MB");
		set_err(err, EXIT_DATAERR, "the %s %s is larger than 64 MB: not an osmigrate file. It was "
			"left unchanged; give another file", what, path);
		return -1;
	}
	return 1;
}

/* Move section [kind from] of d to [kind to] (from NULL: the unnamed
 * one), keys in order. */
static void move_section(struct doc *d, const char *kind, const char *from, const char *to)
{
	for (size_t i = 0; i < doc_nsections(d); i++) {
		const char *name = doc_section_name(d, i);

		if (!str_eq(doc_section_kind(d, i), kind) ||
		    (from ? !name || !str_eq(name, from) : name != NULL))
			continue;
		doc_add_section(d, kind, to);
		for (size_t k = 0; k < doc_nkeys(d, i); k++) {
			char *key = xstrdup(doc_key(d, i, k)), *v = xstrdup(doc_value(d, i, k));

			doc_set(d, kind, to, key, v);
			free(key);
			free(v);
		}
		break;
	}
	doc_remove_section(d, kind, from);
}

/* An unnamed section of a NAMED_FIXED kind is what an older osmigrate
 * wrote before the kind had names ([endpoint] before [endpoint "platform"],
 * [endpoint "session"] and [endpoint "log"]): it means the first name.
 * Moved there, with the results of the checks that read it (they become
 * "endpoint_old:platform", stale until run again per database, since what
 * they read is named now).  Both at once is ambiguous: refused. */
static bool upgrade_fixed_names(struct doc *d, const char *path, struct doc_error *de)
{
	for (size_t s = 0; s < n_settings_sections; s++) {
		const char *kind = settings_sections[s].s.kind;
		size_t n;
		const struct schema_name *nm;

		if (settings_sections[s].s.naming != NAMED_FIXED || !doc_has_section(d, kind, NULL))
			continue;
		nm = schema_names_of(kind, &n);
		if (doc_has_section(d, kind, nm[0].name)) {
			memset(de, 0, sizeof *de);
			snprintf(de->file, sizeof de->file, "%s", path);
			snprintf(de->msg, sizeof de->msg, "both [%s] and [%s \"%s\"]: the unnamed one is "
				 "an older spelling of [%s \"%s\"]; keep one of them", kind, kind,
				 nm[0].name, kind, nm[0].name);
			return false;
		}
		move_section(d, kind, NULL, nm[0].name);
		for (size_t c = 0; c < n_check_infos; c++) {
			char *to;

			if (!doc_has_section(d, "check", check_infos[c].id))
				continue;
			for (size_t k = 0; k < CHECK_MAX_DEPS && check_infos[c].deps[k].kind; k++)
				if (str_eq(check_infos[c].deps[k].kind, kind)) {
					to = xasprintf("%s:%s", check_infos[c].id, nm[0].name);
					if (!doc_has_section(d, "check", to))
						move_section(d, "check", check_infos[c].id, to);
					free(to);
					break;
				}
		}
	}
	return true;
}

static struct doc *parse_checked(const char *path, enum file_mode mode, const struct strbuf *text,
				 struct state_error *err)
{
	const char *what = mode == MODE_STATE ? "state file" : "answers file";
	struct doc_error de;
	struct doc *d = doc_parse_string(text->buf ? text->buf : "", text->len, path, schema_check, &mode, &de);

	if (!d) {
		data_err(err, what, &de);
		return NULL;
	}
	/* version is mandatory in state files, and in answers files that have [osmigrate] */
	if (!doc_get(d, "osmigrate", NULL, "version") &&
	    (mode == MODE_STATE || doc_has_section(d, "osmigrate", NULL))) {
		memset(&de, 0, sizeof(de));
		snprintf(de.file, sizeof(de.file), "%s", path);
		snprintf(de.msg, sizeof(de.msg), "%s", doc_has_section(d, "osmigrate", NULL)
			 ? "the [osmigrate] section has no version key: not a complete osmigrate file"
			 : "no [osmigrate] section with version = 1: not an osmigrate state file (was it truncated, or is it another program's file?)");
		data_err(err, what, &de);
		doc_free(d);
		return NULL;
	}
	if (!upgrade_fixed_names(d, path, &de)) {
		data_err(err, what, &de);
		doc_free(d);
		return NULL;
	}
	return d;
}

/* 16 hex digits telling this procedure from one started over in the same
 * second (its [osmigrate] created would be the same). */
static const char *new_instance(char out[17])
{
	unsigned char b[8];
	int fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);
	bool got = fd >= 0 && read(fd, b, sizeof(b)) == (ssize_t)sizeof(b);

	if (fd >= 0)
		close(fd);
	if (!got) {
		unsigned long long v = (unsigned long long)time(NULL) * 1000003ULL ^
				       (unsigned long long)getpid() ^ (unsigned long long)(uintptr_t)out;
		memcpy(b, &v, sizeof(b));
	}
	for (int i = 0; i < 8; i++)
		snprintf(out + 2 * i, 3, "%02x", b[i]);
	return out;
}

static struct doc *fresh_doc(const char *runbook)
{
	struct doc *d = doc_new();
	char now[OSM_ISO_LEN], inst[17];

	iso8601_now(now);
	doc_set(d, "osmigrate", NULL, "version", "1");
	if (runbook)
		doc_set(d, "osmigrate", NULL, "runbook", runbook);
	doc_set(d, "osmigrate", NULL, "created", now);
	doc_set(d, "osmigrate", NULL, "instance", new_instance(inst));
	return d;
}

static char *lock_path(const char *path)
{
	return xasprintf("%s.lock", path);
}

/* A save killed between mkstemp and rename leaves ".<name>.XXXXXX" behind.
 * Holding the lock, nobody else can be writing one: remove them. */
static void remove_stale_temps(const char *path)
{
	char *dir = pf_dir_of(path);
	const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
	size_t bl = strlen(base);
	DIR *dp = opendir(dir);
	struct dirent *e;

	if (!dp) {
		free(dir);
		return;
	}
	while ((e = readdir(dp)) != NULL) {
		struct stat sb;
		if (e->d_name[0] != '.' || strlen(e->d_name) != bl + 8 ||
		    strncmp(e->d_name + 1, base, bl) != 0 || e->d_name[bl + 1] != '.')
			continue;
		if (fstatat(dirfd(dp), e->d_name, &sb, AT_SYMLINK_NOFOLLOW) == 0 && S_ISREG(sb.st_mode) &&
		    sb.st_uid == geteuid())
			unlinkat(dirfd(dp), e->d_name, 0);
	}
	closedir(dp);
	free(dir);
}

/* Notes and reasons are stored through mask_secrets, but a file written by
 * hand or by an older osmigrate may still carry a password in one: mask it
 * in memory, so the wizard, status, the report and the journal never show
 * it, and the next save drops it. */
static void mask_free_text(struct doc *d)
{
	for (size_t i = 0; i < doc_nsections(d); i++) {
		const char *kind = doc_section_kind(d, i);

		if (!str_eq(kind, "step") && !str_eq(kind, "item"))
			continue;
		for (size_t k = 0; k < doc_nkeys(d, i); k++) {
			const char *key = doc_key(d, i, k), *v = doc_value(d, i, k);
			char *m;

			if (!str_eq(key, "note") && !str_eq(key, "reason"))
				continue;
			m = mask_secrets(v);
			if (!str_eq(m, v)) {
				char *name = xstrdup(doc_section_name(d, i)), *kk = xstrdup(key);

				doc_set(d, kind, name, kk, m);
				free(name);
				free(kk);
			}
			free(m);
		}
	}
}

int state_lock_wait_ms = 5000;

/* Take the lock of the state file at path (its directory exists), waiting
 * up to state_lock_wait_ms while another session writes its change.  A
 * writer killed before its rename leaves its temporary file: removed now
 * that nobody else can be writing one. */
static bool take_lock(const char *path, int *fd, struct state_error *err)
{
	struct lock_holder holder, stale;
	char msg[800];
	enum lock_result lr;
	char *lp = lock_path(path);
	long long start = mono_ms();
	long nap_us = 2000;

	for (;;) {
		lr = lock_acquire(lp, fd, &holder, &stale, msg, sizeof(msg));
		if (lr != LOCK_BUSY || mono_ms() - start >= state_lock_wait_ms)
			break;
		/* a change takes milliseconds: look again soon, then less often */
		nanosleep(&(struct timespec){ 0, nap_us * 1000 }, NULL);
		if (nap_us < 50000)
			nap_us *= 2;
	}
	free(lp);
	if (lr == LOCK_OK) {
		/* Holding the lock, nobody else is writing a temporary file:
		 * any left is a killed writer's (whose record may be gone too,
		 * if the next holder was killed while writing its own). */
		remove_stale_temps(path);
		return true;
	}
	if (lr == LOCK_BUSY) {
		where_msg(err, path, "locked");
		set_err(err, EXIT_LOCKED, "the state file %s is locked by another osmigrate: pid %ld on "
			"host %s, since %s, and it did not finish its change within %d s (a change takes "
			"milliseconds). If that process hangs, end it (its lock goes with it), then try again",
			path, holder.pid, holder.host[0] ? holder.host : "?",
			holder.since[0] ? holder.since : "?", (state_lock_wait_ms + 999) / 1000);
		return false;
	}
	if (lr == LOCK_FOREIGN || lr == LOCK_UNSAFE) {
		where_msg(err, path, "%s", msg);
		set_err(err, lr == LOCK_FOREIGN ? EXIT_LOCKED : EXIT_DATAERR, "%s", msg);
		return false;
	}
	{
		int e = errno;
		char *where = pf_dir_of(path);

		where_msg(err, path, "%s", msg);
		set_err(err, EXIT_IOERR, "%s. %s%s, then run osmigrate again", msg,
			e == ENOSPC || e == EDQUOT ? "Free some disk space in " :
			e == EFBIG ? "Raise the file size limit (ulimit -f) or free space in " :
			e == EACCES || e == EPERM || e == EROFS ? "Make this directory writable: " :
			"Check the directory ", where);
		free(where);
		return false;
	}
}

static void release_lock(struct state *st)
{
	char *lp;

	if (st->lock_fd < 0)
		return;
	lp = lock_path(st->path);
	lock_release(st->lock_fd, lp);
	free(lp);
	st->lock_fd = -1;
}

/* FNV-1a of a file's bytes: what this session last read or wrote. */
static unsigned long long text_hash(const char *t, size_t n)
{
	unsigned long long h = 1469598103934665603ULL;

	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)t[i]) * 1099511628211ULL;
	return h;
}

static void note_seen(struct state *st, const struct stat *sb, unsigned long long hash)
{
	st->seen.hash = hash;
	st->seen.known = sb && sb->st_ino;
	if (!st->seen.known)
		return;
	st->seen.dev = sb->st_dev;
	st->seen.ino = sb->st_ino;
	st->seen.size = sb->st_size;
	st->seen.mtime_ns = (long long)sb->st_mtim.tv_sec * 1000000000LL + sb->st_mtim.tv_nsec;
}

/* Read and parse the file now: 1 read (*out), 0 missing, -1 err set. */
static int read_current(const char *path, struct doc **out, struct stat *id,
			unsigned long long *hash, struct state_error *err)
{
	struct strbuf text = STRBUF_INIT;
	int r = read_trusted(path, MODE_STATE, &text, id, err);

	*out = NULL;
	*hash = text_hash(text.buf ? text.buf : "", text.len);
	if (r > 0) {
		*out = parse_checked(path, MODE_STATE, &text, err);
		if (!*out)
			r = -1;
	}
	sb_free(&text);
	return r;
}

/* The document read becomes what this session sees: base is it as read,
 * doc the same with any password in free text masked. */
static void adopt(struct state *st, struct doc *d)
{
	/* st->doc stays the same document, and so do the names of its
	 * sections: the wizard's lists hold them */
	if (st->doc)
		doc_sync(st->doc, d);
	else
		st->doc = doc_clone(d);
	doc_free(st->base);
	st->base = d;
	/* Recorded before masking: a note whose password is masked here
	 * differs from the file, and the next save writes it. */
	st->saved_gen = doc_generation(st->doc);
	mask_free_text(st->doc);
	st->is_new = false;
}

static struct state *open_common(const char *path, bool lock, struct state_error *err)
{
	struct state *st;
	struct doc *d = NULL;
	unsigned long long hash;
	struct stat id;
	char *dir;
	int r;

	if (err)
		memset(err, 0, sizeof(*err));
	if (!path || !*path) {
		set_err(err, EXIT_USAGE, "no state file given");
		return NULL;
	}
	st = xcalloc(1, sizeof(*st));
	st->path = xstrdup(path);
	st->lock_fd = -1;
	dir = pf_dir_of(path);
	if (lock) {
		struct stat ds;

		/* No directory, no state file, no one to wait for: create nothing
		 * until something is saved (a refused command leaves no trace). */
		if (stat(dir, &ds) != 0 && errno == ENOENT) {
			free(dir);
			st->doc = fresh_doc(NULL);
			st->base = doc_new();
			st->is_new = true;
			return st;
		}
		if (!take_lock(path, &st->lock_fd, err)) {
			free(dir);
			goto fail;
		}
	}
	free(dir);
	memset(&id, 0, sizeof(id));
	r = read_current(path, &d, &id, &hash, err);
	release_lock(st);
	if (r < 0)
		goto fail;
	if (r == 0) {
		st->doc = fresh_doc(NULL);
		st->base = doc_new();
		st->is_new = true;
	} else {
		adopt(st, d);
		note_seen(st, &id, hash);
	}
	return st;
fail:
	free(st->path);
	free(st);
	return NULL;
}

struct state *state_open(const char *path, struct state_error *err)
{
	return open_common(path, true, err);
}

struct state *state_open_readonly(const char *path, struct state_error *err)
{
	return open_common(path, false, err);
}

void state_close(struct state *st)
{
	if (!st)
		return;
	release_lock(st);
	doc_free(st->doc);
	doc_free(st->base);
	free(st->path);
	free(st);
}

/* ---- saving --------------------------------------------------------- */

static bool write_all(int fd, const char *p, size_t n)
{
	while (n) {
		ssize_t w = write(fd, p, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			if (w == 0)
				errno = EIO;
			return false;
		}
		p += w;
		n -= (size_t)w;
	}
	return true;
}

/* temp file next to path, 0600, write, fsync, rename, fsync the directory */
static bool atomic_write(const char *path, const char *what, const char *data, size_t len,
			 struct state_error *err)
{
	char *dir = pf_dir_of(path);
	const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
	char *tmp = xasprintf("%s/.%s.XXXXXX", dir, base);
	const char *step = "create a temporary file";
	int fd, e;
	static bool sigxfsz_ignored;

	/* Over RLIMIT_FSIZE the kernel would kill us with SIGXFSZ before
	 * write() can fail: ignore it so the save fails cleanly instead. */
	if (!sigxfsz_ignored) {
		struct sigaction old;
		if (sigaction(SIGXFSZ, NULL, &old) == 0 && old.sa_handler == SIG_DFL)
			signal(SIGXFSZ, SIG_IGN);
		sigxfsz_ignored = true;
	}
	fd = mkostemp(tmp, O_CLOEXEC);
	if (fd < 0)
		goto fail_nofd;
	step = "set the mode of the temporary file";
	if (fchmod(fd, 0600) != 0)
		goto fail;
	step = "write";
	if (!write_all(fd, data, len))
		goto fail;
	step = "flush to disk (fsync)";
	if (fsync(fd) != 0)
		goto fail;
	step = "close";
	if (close(fd) != 0) {
		fd = -1;
		goto fail;
	}
	fd = -1;
	step = "rename the temporary file over it";
	if (rename(tmp, path) != 0)
		goto fail;
	/* The rename is durable only once the directory is on disk.  Some file
	 * systems refuse fsync on directories (EINVAL): nothing more we can do. */
	if (pf_sync_dir(dir) != 0) {
		e = errno;
		where_msg(err, path, "fsync of the directory: %s", strerror(e));
		set_err(err, EXIT_IOERR, "saved the %s %s, but could not flush its directory to disk (%s); "
			"if the machine crashes now the previous version may come back", what, path, strerror(e));
		free(dir);
		free(tmp);
		return false;
	}
	free(dir);
	free(tmp);
	return true;
fail:
	e = errno;
	if (fd >= 0)
		close(fd);
	unlink(tmp);
	errno = e;
fail_nofd:
	e = errno;
	where_msg(err, path, "%s: %s", step, strerror(e));
	set_err(err, EXIT_IOERR, "could not save the %s %s (%s: %s). The previous version of the file is "
		"intact. %s%s, then save again.", what, path, step, strerror(e),
		e == ENOSPC || e == EDQUOT ? "Free some disk space in " :
		e == EFBIG ? "Raise the file size limit (ulimit -f) or free space in " :
		e == EACCES || e == EPERM || e == EROFS ? "Make this directory writable: " :
		"Check the directory ", dir);
	free(dir);
	free(tmp);
	return false;
}

/* Never write a file that the strict reader would refuse next time: parse
 * the text about to be written.  A failure here is a bug (a value that the
 * form should have validated), so the old file stays and the message says so.
 * Only the given ranges of text are parsed (each whole sections, see
 * doc_serialize_changed); line numbers are those of the whole text. */
static bool verify_spans(const char *path, enum file_mode mode, const char *text,
			 const struct doc_span *sp, size_t n, struct state_error *err)
{
	for (size_t i = 0; i < n; i++) {
		struct doc_error de;
		struct doc *d = doc_parse_string(text + sp[i].off, sp[i].len, path, schema_check, &mode, &de);

		if (d) {
			doc_free(d);
			continue;
		}
		if (de.line > 0)
			de.line += sp[i].line - 1;
		if (err) {
			err->where = de;
			set_err(err, EXIT_SOFTWARE, "not saving %s: the new version would hold a value osmigrate "
				"itself refuses (%s, line %d of the new text). The previous version is intact; "
				"correct the value you just entered (this is a bug: please report it)",
				path, de.msg, de.line);
		}
		return false;
	}
	return true;
}

static bool verify_text(const char *path, enum file_mode mode, const char *text,
			struct state_error *err)
{
	struct doc_span all = { 0, strlen(text), 1 };

	return verify_spans(path, mode, text, &all, 1, err);
}

static const char state_header[] =
	"osmigrate state file (format version 1), written by osmigrate " PACKAGE_VERSION ".\n"
	"Edit only while osmigrate is not running.  Values use backslash escapes\n"
	"(\\n \\t \\; \\\\ \\xHH); long values continue on 'key+' lines.";

static const char answers_header[] =
	"osmigrate answers file (format version 1): settings only, never passwords.\n"
	"Use with: osmigrate --answers FILE.  Values use backslash escapes.";

bool state_changed(const struct state *st)
{
	return st->is_new || doc_generation(st->doc) != st->saved_gen;
}

/* What to do with a key both this session and another one changed. */
struct merge_ctx {
	struct state *st;
	char why[600];       /* an abort's reason */
};

static enum doc_merge_pick merge_conflict(void *ud, const char *kind, const char *name,
					  const char *key, const char *base, const char *mine,
					  const char *theirs)
{
	struct merge_ctx *m = ud;
	char *c = m->st->conflict;
	size_t cl = sizeof(m->st->conflict);

	(void)base;
	if (str_eq(kind, "osmigrate")) {
		if (str_eq(key, "runbook")) {
			snprintf(m->why, sizeof(m->why), "not saving %s: another session made it the "
				 "state of the runbook '%.64s' meanwhile, not '%.64s'. Nothing was written; "
				 "use another --state FILE", m->st->path, theirs ? theirs : "",
				 mine ? mine : "");
			return DOC_MERGE_ABORT;
		}
		/* where this session stands is its own; the file's identity and
		 * its last writer are the file's */
		return str_eq(key, "current") ? DOC_MERGE_MINE : DOC_MERGE_THEIRS;
	}
	if (str_eq(key, "by") || str_eq(key, "at"))
		return DOC_MERGE_MINE; /* they go with the status, reported there */
	if (str_eq(key, "claim") && mine && theirs) {
		const char *sp = strrchr(theirs, ' ');

		if (!*c)
			snprintf(c, cl, "%s: already claimed by %.*s%s%s", name ? strchr(name, ':') ?
				 strchr(name, ':') + 1 : name : kind,
				 (int)(sp ? sp - theirs : (ptrdiff_t)strlen(theirs)), theirs,
				 sp ? " at " : "", sp ? sp + 1 : "");
		return DOC_MERGE_THEIRS;
	}
	if (strncmp(key, "tick.", 5) == 0 && mine && theirs) {
		const char *sp = strrchr(theirs, ' ');

		if (!*c)
			snprintf(c, cl, "%s: %s was already ticked by %.*s%s%s", name ? name : kind,
				 key + 5, (int)(sp ? sp - theirs : (ptrdiff_t)strlen(theirs)), theirs,
				 sp ? " at " : "", sp ? sp + 1 : "");
		return DOC_MERGE_THEIRS;
	}
	if (!*c)
		snprintf(c, cl, "%s%s%s: %s was also changed by another session (%s); yours was kept",
			 kind, name ? " " : "", name ? name : "", key,
			 doc_get_or(m->st->doc, "osmigrate", NULL, "updated_by", "?"));
	return DOC_MERGE_MINE;
}

/* The file now is another procedure's than the one this session read: a
 * start over (a new instance, or creation time in files without one). */
static bool restarted(const struct doc *was, const struct doc *now)
{
	const char *wi = doc_get(was, "osmigrate", NULL, "instance");
	const char *ni = doc_get(now, "osmigrate", NULL, "instance");
	const char *wc = doc_get(was, "osmigrate", NULL, "created");
	const char *nc = doc_get(now, "osmigrate", NULL, "created");

	if (!wc || !nc)
		return false;
	return !str_eq(wi, ni) || !str_eq(wc, nc);
}

static void restarted_msg(struct state *st, struct state_error *err)
{
	const char *by = doc_get_or(st->doc, "osmigrate", NULL, "updated_by", "another session");
	const char *at = doc_get_or(st->doc, "osmigrate", NULL, "created", "?");

	st->restarted = true;
	where_msg(err, st->path, "started over by another session");
	set_err(err, EXIT_LOCKED, "the procedure was restarted by %s at %s (the old state file was "
		"kept as a backup); this session now shows the new one. Your last change was not "
		"recorded: make it again if it still applies", by, at);
}

/* What was just written (or found unchanged) is what this session sees. */
static void settle(struct state *st, struct doc *cur, const struct stat *id,
		   unsigned long long hash)
{
	doc_sync(st->doc, cur);   /* the same document, see adopt */
	doc_free(st->base);
	st->base = cur;
	st->saved_gen = doc_generation(st->doc);
	st->is_new = false;
	note_seen(st, id, hash);
}

/* The hash of the file's bytes now (0 when it cannot be read): under the
 * lock, whether it is still what this session last read or wrote, even
 * if a rename reused the inode within one tick of the clock. */
static unsigned long long file_hash(const char *path)
{
	struct strbuf text = STRBUF_INIT;
	unsigned long long h = 0;

	if (read_trusted(path, MODE_STATE, &text, NULL, NULL) > 0)
		h = text_hash(text.buf ? text.buf : "", text.len);
	sb_free(&text);
	return h;
}

/* state_apply's path when the file is still what base holds: write this
 * session's document (the sections changed since it was saved are checked
 * first), then base becomes it. */
static bool save_unchanged_file(struct state *st, struct state_error *err)
{
	char now[OSM_ISO_LEN];
	struct doc_span *spans;
	size_t nspans, len;
	unsigned long long hash;
	struct stat id;
	char *text;
	bool ok;

	if (!state_changed(st))
		return true;
	iso8601_now(now);
	doc_set(st->doc, "osmigrate", NULL, "updated", now);
	doc_set(st->doc, "osmigrate", NULL, "updated_by", operator_id());
	text = doc_serialize_changed(st->doc, state_header, st->saved_gen, &spans, &nspans, &len);
	ok = verify_spans(st->path, MODE_STATE, text, spans, nspans, err) &&
	     atomic_write(st->path, "state file", text, len, err);
	free(spans);
	hash = text_hash(text, len);
	free(text);
	if (!ok)
		return false;
	if (stat(st->path, &id) != 0)
		memset(&id, 0, sizeof(id));
	doc_sync(st->base, st->doc);
	st->saved_gen = doc_generation(st->doc);
	note_seen(st, &id, hash);
	return true;
}

bool state_apply(struct state *st, state_change_fn change, state_saved_fn saved, void *arg,
		 struct state_error *err)
{
	struct merge_ctx m = { .st = st };
	struct doc *cur = NULL, *mine = st->doc, *empty = NULL;
	unsigned long long parsed_gen = 0, hash = 0;
	struct stat id;
	char *dir;
	bool ok = false, whole;
	int r;

	if (err)
		memset(err, 0, sizeof(*err));
	st->conflict[0] = '\0';
	st->restarted = false;
	dir = pf_dir_of(st->path);
	ok = make_dirs(dir, err);
	free(dir);
	if (!ok || !take_lock(st->path, &st->lock_fd, err))
		return false;
	ok = false;
	memset(&id, 0, sizeof(id));
	if (!change && !st->is_new && st->seen.known && !state_file_changed(st) &&
	    file_hash(st->path) == st->seen.hash) {
		/* Nobody wrote since this session read or wrote the file (base):
		 * its changes go on as they are, without reading the file again
		 * (a state of thousands of findings is not parsed per key). */
		ok = save_unchanged_file(st, err);
		if (ok && saved)
			saved(st, arg);
		goto out;
	}
	r = read_current(st->path, &cur, &id, &hash, err);
	if (r < 0)
		goto out;          /* corrupt now: never overwritten */
	if (r > 0 && !st->is_new && restarted(st->base, cur)) {
		adopt(st, cur);
		note_seen(st, &id, hash);
		restarted_msg(st, err);
		goto out;
	}
	/* No file, or one created since this session found none: all of this
	 * session's document is its change. */
	whole = r == 0 || st->is_new;
	if (r > 0)
		parsed_gen = doc_generation(cur);
	else
		cur = doc_new();
	if (whole)
		empty = doc_new();
	if (!doc_merge3(cur, whole ? empty : st->base, mine, whole ? 0 : st->saved_gen,
			merge_conflict, &m)) {
		where_msg(err, st->path, "another runbook");
		set_err(err, EXIT_LOCKED, "%s", m.why);
		doc_free(cur);
		goto out;
	}
	st->doc = cur;
	if (change && !change(st, arg, err)) {
		st->doc = mine;   /* nothing written: this session's view as it was */
		doc_free(cur);
		goto out;
	}
	if (r > 0 && doc_generation(cur) == parsed_gen) {
		st->doc = mine;   /* the file already says all this */
		settle(st, cur, &id, hash);
		ok = true;
	} else {
		char now[OSM_ISO_LEN];
		struct doc_span *spans;
		size_t nspans, len;
		char *text;

		iso8601_now(now);
		doc_set(cur, "osmigrate", NULL, "updated", now);
		doc_set(cur, "osmigrate", NULL, "updated_by", operator_id());
		/* What is on disk was checked when it was read: check the
		 * sections changed since (all of them in a new file). */
		text = doc_serialize_changed(cur, state_header, parsed_gen, &spans, &nspans, &len);
		ok = verify_spans(st->path, MODE_STATE, text, spans, nspans, err) &&
		     atomic_write(st->path, "state file", text, len, err);
		free(spans);
		hash = text_hash(text, len);
		free(text);
		st->doc = mine;
		if (!ok) {
			doc_free(cur);
			goto out;
		}
		if (stat(st->path, &id) != 0)
			memset(&id, 0, sizeof(id));
		settle(st, cur, &id, hash);
	}
	if (saved)
		saved(st, arg);
out:
	doc_free(empty);
	release_lock(st);
	return ok;
}

bool state_save(struct state *st, struct state_error *err)
{
	return state_apply(st, NULL, NULL, NULL, err);
}

bool state_file_changed(const struct state *st)
{
	struct stat sb;

	if (stat(st->path, &sb) != 0)
		return st->seen.known;
	return !st->seen.known || sb.st_dev != st->seen.dev || sb.st_ino != st->seen.ino ||
	       sb.st_size != st->seen.size ||
	       (long long)sb.st_mtim.tv_sec * 1000000000LL + sb.st_mtim.tv_nsec != st->seen.mtime_ns;
}

bool state_refresh(struct state *st, bool *changed, struct state_error *err)
{
	unsigned long long hash;
	struct doc *d = NULL;
	struct stat id;
	int r;

	if (err)
		memset(err, 0, sizeof(*err));
	*changed = false;
	st->restarted = false;
	if (!state_file_changed(st))
		return true;
	if (state_changed(st) && !st->is_new) {
		*changed = true;
		return state_save(st, err);
	}
	memset(&id, 0, sizeof(id));
	r = read_current(st->path, &d, &id, &hash, err);
	if (r <= 0)
		return r == 0; /* gone (a start over under way): keep what is shown */
	if (!st->is_new && restarted(st->base, d))
		st->restarted = true;
	adopt(st, d);
	note_seen(st, &id, hash);
	*changed = true;
	return true;
}

bool state_start_over(struct state *st, struct state_error *err)
{
	char *runbook = state_runbook(st) ? xstrdup(state_runbook(st)) : NULL;
	unsigned long long hash;
	struct doc *fresh;
	struct stat id;
	char *dir, *text;
	bool ok;

	if (err)
		memset(err, 0, sizeof(*err));
	dir = pf_dir_of(st->path);
	ok = make_dirs(dir, err);
	free(dir);
	if (!ok || !take_lock(st->path, &st->lock_fd, err)) {
		free(runbook);
		return false;
	}
	if (access(st->path, F_OK) == 0) {
		char stamp[32];
		time_t now = osm_now();
		struct tm tm;
		char *bak = NULL;
		bool done = false;

		gmtime_r(&now, &tm);
		strftime(stamp, sizeof(stamp), "%Y%m%dT%H%M%SZ", &tm);
		/* link() never replaces an existing backup, unlike rename() */
		for (int i = 0; i < 100 && !done; i++) {
			free(bak);
			bak = i ? xasprintf("%s.%s-%d.bak", st->path, stamp, i)
				: xasprintf("%s.%s.bak", st->path, stamp);
			if (link(st->path, bak) == 0) {
				done = unlink(st->path) == 0 || errno == ENOENT;
				if (!done)
					break;
			} else if (errno != EEXIST) {
				/* file systems without hard links */
				if (access(bak, F_OK) != 0 && rename(st->path, bak) == 0)
					done = true;
				break;
			}
		}
		if (!done) {
			int e = errno;
			where_msg(err, st->path, "backup: %s", strerror(e));
			set_err(err, EXIT_IOERR, "could not keep the old state file %s as a backup (%s); nothing "
				"was changed. Move it away yourself (mv %s %s.bak) and start again",
				st->path, strerror(e), st->path, st->path);
			free(bak);
			free(runbook);
			release_lock(st);
			return false;
		}
		free(bak);
	}
	/* The new procedure is on disk before the lock goes: the other
	 * sessions find it (a new instance) on their next read. */
	fresh = fresh_doc(runbook);
	doc_set(fresh, "osmigrate", NULL, "updated", doc_get(fresh, "osmigrate", NULL, "created"));
	doc_set(fresh, "osmigrate", NULL, "updated_by", operator_id());
	text = doc_serialize(fresh, state_header);
	ok = atomic_write(st->path, "state file", text, strlen(text), err);
	hash = text_hash(text, strlen(text));
	free(text);
	if (ok) {
		if (stat(st->path, &id) != 0)
			memset(&id, 0, sizeof(id));
		settle(st, fresh, &id, hash);
	} else {
		doc_free(fresh);
	}
	release_lock(st);
	free(runbook);
	return ok;
}

/* ---- answers -------------------------------------------------------- */

struct doc *answers_load(const char *path, struct state_error *err)
{
	struct strbuf text = STRBUF_INIT;
	struct doc *d;
	int r;

	if (err)
		memset(err, 0, sizeof(*err));
	r = read_trusted(path, MODE_ANSWERS, &text, NULL, err);
	if (r == 0) {
		where_msg(err, path, "no such file");
		set_err(err, EXIT_USAGE, "the answers file %s does not exist; check the path given to --answers",
			path);
		return NULL;
	}
	if (r < 0) {
		sb_free(&text);
		return NULL;
	}
	d = parse_checked(path, MODE_ANSWERS, &text, err);
	sb_free(&text);
	return d;
}

void settings_merge(struct doc *dst, const struct doc *src)
{
	for (size_t i = 0; i < doc_nsections(src); i++) {
		const char *kind = doc_section_kind(src, i);
		const char *name = doc_section_name(src, i);
		if (!section_is_setting(kind))
			continue;
		doc_add_section(dst, kind, name);
		for (size_t k = 0; k < doc_nkeys(src, i); k++)
			doc_set(dst, kind, name, doc_key(src, i, k), doc_value(src, i, k));
	}
}

static void name_key(struct strbuf *sb, const char *kind, const char *name, const char *key)
{
	if (!sb)
		return;
	if (sb_str(sb)[0])
		sb_add(sb, ", ");
	if (name)
		sb_addf(sb, "%s \"%s\".%s", kind, name, key);
	else
		sb_addf(sb, "%s.%s", kind, key);
}

size_t settings_prefill(struct doc *dst, const struct doc *src, struct strbuf *filled,
			struct strbuf *kept, size_t *n_kept)
{
	size_t n = 0;

	if (n_kept)
		*n_kept = 0;
	for (size_t i = 0; i < doc_nsections(src); i++) {
		const char *kind = doc_section_kind(src, i);
		const char *name = doc_section_name(src, i);

		if (!section_is_setting(kind))
			continue;
		doc_add_section(dst, kind, name);
		for (size_t k = 0; k < doc_nkeys(src, i); k++) {
			const char *key = doc_key(src, i, k), *v = doc_value(src, i, k);
			const char *have = doc_get(dst, kind, name, key);

			if (!have) {
				doc_set(dst, kind, name, key, v);
				name_key(filled, kind, name, key);
				n++;
			} else if (!str_eq(have, v)) {
				name_key(kept, kind, name, key);
				if (n_kept)
					(*n_kept)++;
			}
		}
	}
	return n;
}

static void copy_section(void *ud, const char *kind, const char *name)
{
	doc_add_section(ud, kind, name);
}

static void copy_value(void *ud, const char *kind, const char *name, const char *key,
		       const char *v)
{
	doc_set(ud, kind, name, key, v);
}

bool answers_save(const struct doc *d, const char *path, struct state_error *err)
{
	struct doc *out = doc_new();
	char *dir, *text;
	bool ok;

	if (err)
		memset(err, 0, sizeof(*err));
	doc_set(out, "osmigrate", NULL, "version", "1");
	/* in the schema's order: sections as the settings screen lists them,
	 * keys as its table does */
	schema_each_setting(d, NULL, copy_section, copy_value, out);
	dir = pf_dir_of(path);
	ok = make_dirs(dir, err);
	free(dir);
	if (ok) {
		text = doc_serialize(out, answers_header);
		ok = verify_text(path, MODE_ANSWERS, text, err) &&
		     atomic_write(path, "answers file", text, strlen(text), err);
		free(text);
	}
	doc_free(out);
	return ok;
}

/* ---- accessors ------------------------------------------------------ */

const char *state_runbook(const struct state *st)
{
	return doc_get(st->doc, "osmigrate", NULL, "runbook");
}

void state_set_runbook(struct state *st, const char *runbook)
{
	doc_set(st->doc, "osmigrate", NULL, "runbook", runbook);
}

const char *state_current(const struct state *st)
{
	return doc_get(st->doc, "osmigrate", NULL, "current");
}

void state_set_current(struct state *st, const char *step)
{
	if (step)
		doc_set(st->doc, "osmigrate", NULL, "current", step);
	else
		doc_unset(st->doc, "osmigrate", NULL, "current");
}

/* a SEP b, allocated: the accessors below run once per item for every
 * redraw of a list of thousands, so no printf here. */
static char *join2(const char *a, char sep, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	char *r = xmalloc(la + lb + 2);

	memcpy(r, a, la);
	r[la] = sep;
	memcpy(r + la + 1, b, lb + 1);
	return r;
}

static void latest_consider(struct state_latest *out, bool *found, const char *name,
			    const char *what, const char *by, const char *at)
{
	time_t t;
	const char *colon = strchr(name, ':');

	if (!at || !iso8601_parse(at, &t) || (*found && t < out->at))
		return;
	snprintf(out->what, sizeof(out->what), "%s %s", colon ? colon + 1 : name, what);
	snprintf(out->by, sizeof(out->by), "%s", by ? by : "?");
	out->at = t;
	*found = true;
}

bool state_latest_change(const struct state *st, struct state_latest *out)
{
	bool found = false;

	memset(out, 0, sizeof(*out));
	for (size_t i = 0; i < doc_nsections(st->doc); i++) {
		const char *kind = doc_section_kind(st->doc, i), *name = doc_section_name(st->doc, i);

		if ((!str_eq(kind, "step") && !str_eq(kind, "item")) || !name)
			continue;
		for (size_t k = 0; k < doc_nkeys(st->doc, i); k++) {
			const char *key = doc_key(st->doc, i, k), *v = doc_value(st->doc, i, k);

			if (str_eq(key, "status")) {
				latest_consider(out, &found, name, v, doc_get(st->doc, kind, name, "by"),
						doc_get(st->doc, kind, name, "at"));
			} else if (strncmp(key, "tick.", 5) == 0) {
				const char *sp = strrchr(v, ' ');
				char *by = sp ? xstrndup(v, (size_t)(sp - v)) : xstrdup(v);
				char *what = xasprintf("%s ticked", key + 5);

				latest_consider(out, &found, name, what, by, sp ? sp + 1 : NULL);
				free(what);
				free(by);
			}
		}
	}
	return found;
}

char *state_item_section(const char *step, const char *item)
{
	return join2(step, ':', item);
}

/* The section holding a step's (item NULL) or an item's progress. */
static char *progress_section(const char *step, const char *item, const char **kind)
{
	*kind = item ? "item" : "step";
	return item ? state_item_section(step, item) : xstrdup(step);
}

enum step_status state_item_status(const struct state *st, const char *step, const char *item)
{
	const char *kind;
	char *name = progress_section(step, item, &kind);
	enum step_status s = STEP_PENDING;

	if (!step_status_parse(doc_get(st->doc, kind, name, "status"), &s))
		s = STEP_PENDING;
	free(name);
	return s;
}

enum step_status state_step_status(const struct state *st, const char *step)
{
	return state_doc_step_status(st->doc, step);
}

enum step_status state_doc_step_status(const struct doc *d, const char *step)
{
	const char *kind;
	char *name = progress_section(step, NULL, &kind);
	enum step_status s = STEP_PENDING;

	if (!step_status_parse(doc_get(d, kind, name, "status"), &s))
		s = STEP_PENDING;
	free(name);
	return s;
}

/* The step's clock (state.h): started at its first tick or status change
 * other than pending; ended when the step itself becomes done or skipped,
 * and no longer ended when it is reopened. */
static void step_clock_start(struct state *st, const char *step, const char *now)
{
	if (!doc_get(st->doc, "step", step, "started"))
		doc_set(st->doc, "step", step, "started", now);
}

void state_set_item_status(struct state *st, const char *step, const char *item,
			   enum step_status s, const char *reason)
{
	const char *kind;
	char *name = progress_section(step, item, &kind);
	char now[OSM_ISO_LEN];

	iso8601_now(now);
	if (s != STEP_PENDING)
		step_clock_start(st, step, now);
	if (!item) {
		if (s == STEP_DONE || s == STEP_SKIPPED) {
			if (!doc_get(st->doc, "step", step, "ended"))
				doc_set(st->doc, "step", step, "ended", now);
		} else {
			doc_unset(st->doc, "step", step, "ended");
		}
	}
	doc_set(st->doc, kind, name, "status", step_status_name(s));
	doc_set(st->doc, kind, name, "by", operator_id());
	doc_set(st->doc, kind, name, "at", now);
	/* finished: nobody is on it any more */
	if (item && (s == STEP_DONE || s == STEP_SKIPPED))
		doc_unset(st->doc, kind, name, "claim");
	/* a reason explains this status change only: never keep a stale one;
	 * a password pasted into it is masked */
	if (reason) {
		char *m = mask_secrets(reason);

		doc_set(st->doc, kind, name, "reason", m);
		free(m);
	} else
		doc_unset(st->doc, kind, name, "reason");
	free(name);
}

long long state_step_times(const struct state *st, const char *step, const char **started,
			   const char **ended)
{
	const char *a = doc_get(st->doc, "step", step, "started");
	const char *b = doc_get(st->doc, "step", step, "ended");
	time_t ta, tb;

	if (started)
		*started = a;
	if (ended)
		*ended = b;
	if (!a || !b || !iso8601_parse(a, &ta) || !iso8601_parse(b, &tb) || tb < ta)
		return -1;
	return (long long)(tb - ta);
}

void state_set_step_status(struct state *st, const char *step, enum step_status s, const char *reason)
{
	state_set_item_status(st, step, NULL, s, reason);
}

/* Interned "user@host" strings for state_ticked(): they must outlive the
 * call, and there are only ever a handful of distinct operators. */
static const char *intern(const char *s, size_t n)
{
	static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
	static char **pool;
	static size_t npool;
	const char *r = NULL;

	pthread_mutex_lock(&mu);
	for (size_t i = 0; i < npool && !r; i++)
		if (strlen(pool[i]) == n && memcmp(pool[i], s, n) == 0)
			r = pool[i];
	if (!r) {
		pool = xreallocarray(pool, npool + 1, sizeof(*pool));
		pool[npool] = xstrndup(s, n);
		r = pool[npool++];
	}
	pthread_mutex_unlock(&mu);
	return r;
}

bool state_doc_ticked(const struct doc *d, const char *step, const char *item, const char *action)
{
	const char *kind;
	char *name = progress_section(step, item, &kind);
	char *key = join2("tick", '.', action);
	bool on = doc_get(d, kind, name, key) != NULL;

	free(name);
	free(key);
	return on;
}

bool state_ticked(const struct state *st, const char *step, const char *item, const char *action,
		  const char **by, const char **at)
{
	const char *kind;
	char *name = progress_section(step, item, &kind);
	char *key = join2("tick", '.', action);
	const char *v = doc_get(st->doc, kind, name, key);
	const char *sp;

	free(name);
	free(key);
	if (by)
		*by = NULL;
	if (at)
		*at = NULL;
	if (!v)
		return false;
	sp = strrchr(v, ' ');
	if (by)
		*by = sp ? intern(v, (size_t)(sp - v)) : intern(v, strlen(v));
	if (at)
		*at = sp ? sp + 1 : NULL;
	return true;
}

void state_tick(struct state *st, const char *step, const char *item, const char *action, bool on)
{
	const char *kind;
	char *name = progress_section(step, item, &kind);
	char *key = xasprintf("tick.%s", action);

	if (on) {
		char now[OSM_ISO_LEN];
		char *v;
		iso8601_now(now);
		step_clock_start(st, step, now);
		v = xasprintf("%s %s", operator_id(), now);
		doc_set(st->doc, kind, name, key, v);
		free(v);
	} else {
		doc_unset(st->doc, kind, name, key);
	}
	free(name);
	free(key);
}

bool state_claimed(const struct state *st, const char *step, const char *item,
		   const char **by, const char **at)
{
	char *name = state_item_section(step, item);
	const char *v = doc_get(st->doc, "item", name, "claim");
	const char *sp = v ? strrchr(v, ' ') : NULL;

	free(name);
	if (by)
		*by = v ? (sp ? intern(v, (size_t)(sp - v)) : intern(v, strlen(v))) : NULL;
	if (at)
		*at = sp ? sp + 1 : NULL;
	return v != NULL;
}

void state_claim(struct state *st, const char *step, const char *item, bool on)
{
	char *name = state_item_section(step, item);

	if (on) {
		char now[OSM_ISO_LEN];
		char *v;

		iso8601_now(now);
		v = xasprintf("%s %s", operator_id(), now);
		doc_set(st->doc, "item", name, "claim", v);
		free(v);
	} else {
		doc_unset(st->doc, "item", name, "claim");
	}
	free(name);
}

const char *state_note(const struct state *st, const char *step, const char *item)
{
	const char *kind;
	char *name = progress_section(step, item, &kind);
	const char *v = doc_get(st->doc, kind, name, "note");

	free(name);
	return v;
}

void state_set_note(struct state *st, const char *step, const char *item, const char *note)
{
	const char *kind;
	char *name = progress_section(step, item, &kind);

	if (note && *note) {
		/* Free text: a connection string pasted into it keeps no password. */
		char *m = mask_secrets(note);

		doc_set(st->doc, kind, name, "note", m);
		free(m);
	} else
		doc_unset(st->doc, kind, name, "note");
	free(name);
}

const char *state_field(const struct state *st, const char *step, const char *field)
{
	char *key = xasprintf("field.%s", field);
	const char *v = doc_get(st->doc, "step", step, key);

	free(key);
	return v;
}

void state_set_field(struct state *st, const char *step, const char *field, const char *value)
{
	char *key = xasprintf("field.%s", field);
	char *m = mask_secrets(value ? value : "");

	doc_set(st->doc, "step", step, key, m);
	free(m);
	free(key);
}
