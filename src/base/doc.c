/* doc.c - the INI document model: strict reader on top of libinih, and an
 * escaping writer whose every line is readable by Debian's libinih
 * (INI_MAX_LINE 200, ';' inline comments, whitespace stripped, names of at
 * most 49 bytes).
 *
 * Escapes (values and quoted section names):
 *   \\  backslash     \;  ';' (would start an inline comment after a space)
 *   \n \r \t          newline, carriage return, tab
 *   \"  '"' (section names only need it, accepted everywhere)
 *   \xHH              any other byte: control characters, DEL, bytes that are
 *                     not valid UTF-8, ']' in section names, and a space at
 *                     either end of a line's value (libinih strips those)
 * Long values are split over "key" then "key+" lines; a section name too
 * long for one header line is written as [kind "\@"] followed by "@name"
 * and "@name+" lines.
 */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <fcntl.h>
#include <ini.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "doc.h"
#include "util.h"

/* Longest line we write or accept, without its newline: libinih reads with
 * fgets(buf, INI_MAX_LINE), so content + "\n" + NUL must fit in 200 bytes. */
#define LINE_LIMIT (DOC_MAX_LINE - 2)
/* libinih copies names into 50-byte buffers: keep keys (plus '+') below. */
#define KEY_MAX 40
#define KIND_MAX 32
/* A state file with 1,000 extensions is well below 1 MB. */
#define DOC_MAX_FILE (64u * 1024 * 1024)
#define NAME_KEY "@name"

struct kv {
	char *key;
	char *value;
	size_t vlen;    /* strlen(value): the writer never measures it again */
};

struct section {
	char *kind;
	char *name; /* NULL if unnamed */
	struct kv *kv;
	size_t nkv, cap;
	bool unindexed; /* name still being read ([kind "\@"]) */
	unsigned long long gen; /* generation of its last change; 0: as parsed */
};

/* Sections in file order, plus an open-addressing index on (kind, name):
 * a state with 1,000 extensions has several thousand sections. */
struct doc {
	struct section **sec;
	size_t n, cap;
	struct section **idx;
	size_t idxcap, idxused;
	unsigned long long gen; /* see doc_generation() */
};

/* Generations come from one clock for the whole process (the check worker
 * changes its own copies in another thread): no two documents, and no two
 * versions of one document, ever share a number. */
static atomic_ullong gen_clock;

static unsigned long long gen_next(void)
{
	return atomic_fetch_add(&gen_clock, 1) + 1;
}

/* The document changed (in section s, if not NULL). */
static void touch(struct doc *d, struct section *s)
{
	d->gen = gen_next();
	if (s)
		s->gen = d->gen;
}

unsigned long long doc_generation(const struct doc *d)
{
	return d ? d->gen : 0;
}

static uint64_t sec_hash(const char *kind, const char *name)
{
	uint64_t h = 1469598103934665603ULL;

	for (const unsigned char *p = (const unsigned char *)kind; *p; p++)
		h = (h ^ *p) * 1099511628211ULL;
	h = (h ^ (name ? 1u : 2u)) * 1099511628211ULL;
	for (const unsigned char *p = (const unsigned char *)(name ? name : ""); *p; p++)
		h = (h ^ *p) * 1099511628211ULL;
	return h;
}

static void idx_put(struct doc *d, struct section *s)
{
	size_t mask = d->idxcap - 1, i = (size_t)sec_hash(s->kind, s->name) & mask;

	while (d->idx[i])
		i = (i + 1) & mask;
	d->idx[i] = s;
	d->idxused++;
}

static void idx_rebuild(struct doc *d, size_t want)
{
	size_t cap = 64;

	while (cap < want * 2 + 2)
		cap *= 2;
	free(d->idx);
	d->idx = xcalloc(cap, sizeof(*d->idx));
	d->idxcap = cap;
	d->idxused = 0;
	for (size_t i = 0; i < d->n; i++)
		if (!d->sec[i]->unindexed)
			idx_put(d, d->sec[i]);
}

static void idx_add(struct doc *d, struct section *s)
{
	if ((d->idxused + 1) * 2 > d->idxcap)
		idx_rebuild(d, d->idxused + 1);
	else
		idx_put(d, s);
}

/* ---- model ---------------------------------------------------------- */

struct doc *doc_new(void)
{
	struct doc *d = xcalloc(1, sizeof(struct doc));

	d->gen = gen_next();
	return d;
}

static void section_free(struct section *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->nkv; i++) {
		free(s->kv[i].key);
		free(s->kv[i].value);
	}
	free(s->kv);
	free(s->kind);
	free(s->name);
	free(s);
}

void doc_free(struct doc *d)
{
	if (!d)
		return;
	for (size_t i = 0; i < d->n; i++)
		section_free(d->sec[i]);
	free(d->sec);
	free(d->idx);
	free(d);
}

static bool valid_kind(const char *k)
{
	size_t n = 0;

	if (!k || !(*k >= 'a' && *k <= 'z'))
		return false;
	for (; k[n]; n++) {
		char c = k[n];
		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-'))
			return false;
	}
	return n <= KIND_MAX;
}

static bool key_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '_' || c == '.' || c == '-';
}

static bool valid_key(const char *k)
{
	size_t n = 0;

	if (!k || !*k || *k == '.' || *k == '-')
		return false;
	for (; k[n]; n++)
		if (!key_char(k[n]))
			return false;
	return n <= KEY_MAX;
}

static struct section *find_section(const struct doc *d, const char *kind, const char *name)
{
	size_t mask, i;

	if (!d || !d->idxcap || !kind)
		return NULL;
	mask = d->idxcap - 1;
	for (i = (size_t)sec_hash(kind, name) & mask; d->idx[i]; i = (i + 1) & mask) {
		struct section *s = d->idx[i];
		if (strcmp(s->kind, kind) == 0 && str_eq(s->name, name))
			return s;
	}
	return NULL;
}

static struct kv *find_kv(const struct section *s, const char *key)
{
	if (!s)
		return NULL;
	for (size_t i = 0; i < s->nkv; i++)
		if (strcmp(s->kv[i].key, key) == 0)
			return &s->kv[i];
	return NULL;
}

static struct section *append_section_ix(struct doc *d, const char *kind, const char *name, bool index)
{
	struct section *s = xcalloc(1, sizeof(*s));

	s->kind = xstrdup(kind);
	s->name = name ? xstrdup(name) : NULL;
	if (d->n == d->cap) {
		d->cap = d->cap ? d->cap * 2 : 8;
		d->sec = xreallocarray(d->sec, d->cap, sizeof(*d->sec));
	}
	d->sec[d->n++] = s;
	if (index)
		idx_add(d, s);
	else
		s->unindexed = true;
	return s;
}

static struct section *append_section(struct doc *d, const char *kind, const char *name)
{
	return append_section_ix(d, kind, name, true);
}

static struct kv *append_kv(struct section *s, const char *key, const char *value)
{
	if (s->nkv == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 8;
		s->kv = xreallocarray(s->kv, s->cap, sizeof(*s->kv));
	}
	s->kv[s->nkv].key = xstrdup(key);
	s->kv[s->nkv].vlen = strlen(value);
	s->kv[s->nkv].value = xstrndup(value, s->kv[s->nkv].vlen);
	return &s->kv[s->nkv++];
}

const char *doc_get(const struct doc *d, const char *kind, const char *name, const char *key)
{
	struct kv *kv = find_kv(find_section(d, kind, name), key);

	return kv ? kv->value : NULL;
}

const char *doc_get_or(const struct doc *d, const char *kind, const char *name, const char *key,
		       const char *dflt)
{
	const char *v = doc_get(d, kind, name, key);

	return v ? v : dflt;
}

bool doc_has_section(const struct doc *d, const char *kind, const char *name)
{
	return find_section(d, kind, name) != NULL;
}

void doc_add_section(struct doc *d, const char *kind, const char *name)
{
	/* Kinds come from program text, never from the operator: a bad one is a bug. */
	if (!valid_kind(kind))
		fatalx("internal error: invalid section kind '%s'", kind ? kind : "(null)");
	if (!find_section(d, kind, name))
		touch(d, append_section(d, kind, name));
}

void doc_set(struct doc *d, const char *kind, const char *name, const char *key, const char *value)
{
	struct section *s;
	struct kv *kv;

	if (!valid_key(key))
		fatalx("internal error: invalid key name '%s'", key ? key : "(null)");
	if (!value)
		value = "";
	doc_add_section(d, kind, name);
	s = find_section(d, kind, name);
	kv = find_kv(s, key);
	if (kv) {
		char *v;

		if (strcmp(kv->value, value) == 0)
			return; /* the same value: nothing changed */
		kv->vlen = strlen(value);
		v = xstrndup(value, kv->vlen);
		free(kv->value);
		kv->value = v;
	} else {
		append_kv(s, key, value);
	}
	touch(d, s);
}

void doc_unset(struct doc *d, const char *kind, const char *name, const char *key)
{
	struct section *s = find_section(d, kind, name);

	if (!s)
		return;
	for (size_t i = 0; i < s->nkv; i++) {
		if (strcmp(s->kv[i].key, key) == 0) {
			free(s->kv[i].key);
			free(s->kv[i].value);
			memmove(&s->kv[i], &s->kv[i + 1], (s->nkv - i - 1) * sizeof(*s->kv));
			s->nkv--;
			touch(d, s);
			return;
		}
	}
}

void doc_remove_section(struct doc *d, const char *kind, const char *name)
{
	for (size_t i = 0; i < d->n; i++) {
		struct section *s = d->sec[i];
		if (strcmp(s->kind, kind) == 0 && str_eq(s->name, name)) {
			section_free(s);
			memmove(&d->sec[i], &d->sec[i + 1], (d->n - i - 1) * sizeof(*d->sec));
			d->n--;
			idx_rebuild(d, d->n);
			touch(d, NULL);
			return;
		}
	}
}

bool doc_each_key(const struct doc *d, const char *kind, const char *name,
		  void (*fn)(void *ud, const char *key, const char *value), void *ud)
{
	const struct section *s = find_section(d, kind, name);

	if (!s)
		return false;
	for (size_t k = 0; k < s->nkv; k++)
		fn(ud, s->kv[k].key, s->kv[k].value);
	return true;
}

struct doc *doc_clone(const struct doc *d)
{
	struct doc *c = doc_new();

	for (size_t i = 0; i < d->n; i++) {
		struct section *s = d->sec[i];
		struct section *t = append_section(c, s->kind, s->name);
		for (size_t k = 0; k < s->nkv; k++)
			append_kv(t, s->kv[k].key, s->kv[k].value);
	}
	return c;
}

/* One key mine changed from bv to mv (either may be NULL: missing). */
static bool merge_key(struct doc *cur, const char *kind, const char *name, const char *key,
		      const char *bv, const char *mv, doc_conflict_fn conflict, void *ud)
{
	const char *tv = doc_get(cur, kind, name, key);

	if (str_eq(tv, mv))
		return true;
	if (!str_eq(tv, bv) && conflict) {
		switch (conflict(ud, kind, name, key, bv, mv, tv)) {
		case DOC_MERGE_ABORT: return false;
		case DOC_MERGE_THEIRS: return true;
		case DOC_MERGE_MINE: break;
		}
	}
	if (mv)
		doc_set(cur, kind, name, key, mv);
	else
		doc_unset(cur, kind, name, key);
	return true;
}

bool doc_merge3(struct doc *cur, const struct doc *base, const struct doc *mine,
		unsigned long long since, doc_conflict_fn conflict, void *ud)
{
	/* removed by mine: in base, not in mine */
	for (size_t i = 0; base && i < base->n; i++) {
		const struct section *b = base->sec[i];

		if (!find_section(mine, b->kind, b->name) && find_section(cur, b->kind, b->name))
			doc_remove_section(cur, b->kind, b->name);
	}
	for (size_t i = 0; i < mine->n; i++) {
		const struct section *m = mine->sec[i];
		const struct section *b;

		if (since && m->gen <= since)
			continue;
		b = find_section(base, m->kind, m->name);
		if (!b && !find_section(cur, m->kind, m->name))
			doc_add_section(cur, m->kind, m->name);
		for (size_t k = 0; k < m->nkv; k++) {
			const struct kv *bk = find_kv(b, m->kv[k].key);

			if (bk && strcmp(bk->value, m->kv[k].value) == 0)
				continue;
			if (!merge_key(cur, m->kind, m->name, m->kv[k].key, bk ? bk->value : NULL,
				       m->kv[k].value, conflict, ud))
				return false;
		}
		for (size_t k = 0; b && k < b->nkv; k++)
			if (!find_kv(m, b->kv[k].key) &&
			    !merge_key(cur, m->kind, m->name, b->kv[k].key, b->kv[k].value, NULL,
				       conflict, ud))
				return false;
	}
	return true;
}

void doc_sync(struct doc *dst, const struct doc *src)
{
	size_t n = 0;
	bool removed = false;
	struct section **order;

	/* sections src does not have go, in one pass */
	for (size_t i = 0; i < dst->n; i++) {
		struct section *s = dst->sec[i];

		if (find_section(src, s->kind, s->name)) {
			dst->sec[n++] = s;
		} else {
			section_free(s);
			removed = true;
		}
	}
	dst->n = n;
	if (removed) {
		idx_rebuild(dst, dst->n);
		touch(dst, NULL);
	}
	for (size_t i = 0; i < src->n; i++) {
		const struct section *s = src->sec[i];
		struct section *t = find_section(dst, s->kind, s->name);

		if (!t) {
			t = append_section(dst, s->kind, s->name);
			touch(dst, t);
		}
		for (size_t k = 0; k < t->nkv;) {
			if (!find_kv(s, t->kv[k].key))
				doc_unset(dst, t->kind, t->name, t->kv[k].key);
			else
				k++;
		}
		for (size_t k = 0; k < s->nkv; k++)
			doc_set(dst, s->kind, s->name, s->kv[k].key, s->kv[k].value);
	}
	/* src's order (the same sections now) */
	order = xreallocarray(NULL, dst->n ? dst->n : 1, sizeof(*order));
	for (size_t i = 0; i < src->n; i++)
		order[i] = find_section(dst, src->sec[i]->kind, src->sec[i]->name);
	memcpy(dst->sec, order, dst->n * sizeof(*order));
	free(order);
}

size_t doc_nsections(const struct doc *d)
{
	return d->n;
}

const char *doc_section_kind(const struct doc *d, size_t i)
{
	return i < d->n ? d->sec[i]->kind : NULL;
}

const char *doc_section_name(const struct doc *d, size_t i)
{
	return i < d->n ? d->sec[i]->name : NULL;
}

size_t doc_nkeys(const struct doc *d, size_t section)
{
	return section < d->n ? d->sec[section]->nkv : 0;
}

const char *doc_key(const struct doc *d, size_t section, size_t k)
{
	if (section >= d->n || k >= d->sec[section]->nkv)
		return NULL;
	return d->sec[section]->kv[k].key;
}

const char *doc_value(const struct doc *d, size_t section, size_t k)
{
	if (section >= d->n || k >= d->sec[section]->nkv)
		return NULL;
	return d->sec[section]->kv[k].value;
}

const char **doc_section_names(const struct doc *d, const char *kind, size_t *count)
{
	const char **v = xcalloc(d->n + 1, sizeof(*v));
	size_t n = 0;

	for (size_t i = 0; i < d->n; i++)
		if (strcmp(d->sec[i]->kind, kind) == 0 && d->sec[i]->name)
			v[n++] = d->sec[i]->name;
	v[n] = NULL;
	if (count)
		*count = n;
	return v;
}

/* ---- writer --------------------------------------------------------- */

/* Length of the valid UTF-8 sequence at p (at most n bytes), 0 if invalid. */
static size_t utf8_len(const unsigned char *p, size_t n)
{
	size_t want;

	if (p[0] < 0x80)
		return 1;
	if (p[0] >= 0xc2 && p[0] <= 0xdf)
		want = 2;
	else if (p[0] >= 0xe0 && p[0] <= 0xef)
		want = 3;
	else if (p[0] >= 0xf0 && p[0] <= 0xf4)
		want = 4;
	else
		return 0;
	if (want > n || !utf8_valid((const char *)p, want))
		return 0;
	return want;
}

/* The escaped form of the character at s[*i] (advances *i).  in_name selects
 * the section-name rules ('"' and ']' escaped). */
static void escape_token(const char *s, size_t len, size_t *i, bool in_name, char out[8])
{
	unsigned char c = (unsigned char)s[*i];
	size_t l;

	switch (c) {
	case '\\': strcpy(out, "\\\\"); (*i)++; return;
	case ';': strcpy(out, "\\;"); (*i)++; return;
	case '\n': strcpy(out, "\\n"); (*i)++; return;
	case '\r': strcpy(out, "\\r"); (*i)++; return;
	case '\t': strcpy(out, "\\t"); (*i)++; return;
	case '"':
		strcpy(out, in_name ? "\\\"" : "\"");
		(*i)++;
		return;
	case ']':
		strcpy(out, in_name ? "\\x5d" : "]");
		(*i)++;
		return;
	default:
		break;
	}
	if (c < 0x20 || c == 0x7f) {
		snprintf(out, 8, "\\x%02x", c);
		(*i)++;
		return;
	}
	l = utf8_len((const unsigned char *)s + *i, len - *i);
	if (l == 0) {
		snprintf(out, 8, "\\x%02x", c);
		(*i)++;
		return;
	}
	memcpy(out, s + *i, l);
	out[l] = '\0';
	*i += l;
}

static void escape_all(struct strbuf *sb, const char *s, bool in_name)
{
	size_t len = strlen(s), i = 0;
	char tok[8];

	while (i < len) {
		escape_token(s, len, &i, in_name, tok);
		sb_add(sb, tok);
	}
}

/* Printable ASCII that escape_token() leaves as it is: 0x20-0x7e except
 * '\\' and ';'. */
static const unsigned char plain_tab[256] = {
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
};

static inline bool plain_byte(unsigned char c)
{
	return plain_tab[c];
}

/* How many of the lim bytes at p are plain, eight at a time while they
 * last (the bit tricks of "Bit Twiddling Hacks": hasless, hasmore,
 * haszero, exact as to whether any byte matches). */
static size_t plain_run(const unsigned char *p, size_t lim)
{
	const uint64_t ones = 0x0101010101010101ULL, highs = 0x8080808080808080ULL;
	size_t run = 0;

	while (run + 8 <= lim) {
		uint64_t x, semi, bs;

		memcpy(&x, p + run, 8);
		semi = x ^ (ones * ';');
		bs = x ^ (ones * '\\');
		if (((x - ones * 0x20) & ~x & highs) |          /* a byte < 0x20 */
		    (((x + ones * (127 - 0x7e)) | x) & highs) |  /* a byte > 0x7e */
		    ((semi - ones) & ~semi & highs) |            /* ';' */
		    ((bs - ones) & ~bs & highs))                 /* '\\' */
			break;
		run += 8;
	}
	while (run < lim && plain_byte(p[run]))
		run++;
	return run;
}

/* Write key = value over as many "key" / "key+" lines as needed; returns
 * the number of lines.  Each line is assembled in place at the end of sb;
 * printable ASCII (the bulk of any state file) is copied as it is. */
static size_t write_value(struct strbuf *sb, const char *key, const char *value, size_t len)
{
	const unsigned char *v = (const unsigned char *)value;
	size_t klen = strlen(key), i = 0, lines = 0;
	/* "key+ = " prefix; 6 bytes kept for \x20 at both ends */
	size_t budget = LINE_LIMIT - (klen + 4) - 6;

	if (len == 0) {
		sb_addn(sb, key, klen);
		sb_addn(sb, " =\n", 3);
		return 1;
	}
	while (i < len) {
		size_t clen = 0;             /* escaped length of the chunk */
		bool last_space = false;     /* the chunk ends with a raw space */
		char *line;
		size_t n = klen;

		sb_reserve(sb, LINE_LIMIT + 16);
		line = sb->buf + sb->len;
		memcpy(line, key, klen);
		if (lines)
			line[n++] = '+';
		memcpy(line + n, " = ", 3);
		n += 3;
		while (i < len) {
			unsigned char c = v[i];
			char tok[8];
			size_t save = i, tl;

			if (plain_byte(c)) {
				size_t run = 1;

				if (clen + 1 > budget)
					break;
				/* libinih strips spaces at both ends of a value:
				 * one that starts the line is written \x20 */
				if (c == ' ' && clen == 0) {
					memcpy(line + n, "\\x20", 4);
					n += 4;
				} else {
					run = plain_run(v + i, budget - clen < len - i ? budget - clen : len - i);
					memcpy(line + n, v + i, run);
					n += run;
				}
				i += run;
				clen += run;
				last_space = v[i - 1] == ' ';
				continue;
			}
			escape_token(value, len, &i, false, tok);
			tl = strlen(tok);
			if (clen + tl > budget) {
				i = save;
				break;
			}
			memcpy(line + n, tok, tl);
			n += tl;
			clen += tl;
			last_space = false;
		}
		/* ... and one that ends it too (unless it is the one at the start) */
		if (last_space && clen > 1) {
			n--;
			memcpy(line + n, "\\x20", 4);
			n += 4;
		}
		line[n++] = '\n';
		line[n] = '\0';
		sb->len += n;
		lines++;
	}
	return lines;
}

static void write_comment(struct strbuf *sb, const char *text)
{
	/* Comments cannot be escaped: control characters become spaces, and
	 * long lines are cut at a character boundary. */
	const char *p = text;

	while (*p) {
		size_t n = 0, line = 0;
		while (p[line] && p[line] != '\n')
			line++;
		sb_add(sb, "; ");
		while (n < line) {
			size_t l = utf8_len((const unsigned char *)p + n, line - n);
			if (l == 0)
				l = 1;
			if (n + l > LINE_LIMIT - 2) {
				sb_add(sb, "\n; ");
				line -= n, p += n, n = 0;
				continue;
			}
			if (l == 1 && ((unsigned char)p[n] < 0x20 || p[n] == 0x7f ||
				       (unsigned char)p[n] >= 0x80))
				sb_addc(sb, ' ');
			else
				sb_addn(sb, p + n, l);
			n += l;
		}
		sb_addc(sb, '\n');
		p += line;
		if (*p == '\n')
			p++;
	}
}

/* A size the text will most likely fit in, so that a large document is
 * allocated once (doubling a 20 MB buffer would copy it and briefly hold
 * up to 1.5 times more). */
static size_t serialized_estimate(const struct doc *d, const char *header_comment)
{
	size_t n = 64 + (header_comment ? 2 * strlen(header_comment) : 0);

	for (size_t i = 0; i < d->n; i++) {
		const struct section *s = d->sec[i];

		n += strlen(s->kind) + (s->name ? 2 * strlen(s->name) : 0) + 8;
		for (size_t k = 0; k < s->nkv; k++) {
			size_t kl = strlen(s->kv[k].key), vl = s->kv[k].vlen;

			/* a continuation line every ~150 bytes repeats the key */
			n += kl + 5 + vl + vl / 16 + (vl / 140) * (kl + 6);
		}
	}
	return n;
}

char *doc_serialize_changed(const struct doc *d, const char *header_comment,
			    unsigned long long since, struct doc_span **spans, size_t *nspans,
			    size_t *len)
{
	struct strbuf sb = STRBUF_INIT;
	struct doc_span *sp = NULL;
	size_t nsp = 0, cap = 0;
	int line = 1;
	bool open = false;      /* the last section written is in sp[nsp - 1] */

	sb_reserve(&sb, serialized_estimate(d, header_comment));
	if (header_comment && *header_comment) {
		write_comment(&sb, header_comment);
		sb_addc(&sb, '\n');
		for (size_t k = 0; k < sb.len; k++)
			line += sb.buf[k] == '\n';
	}
	for (size_t i = 0; i < d->n; i++) {
		const struct section *s = d->sec[i];
		size_t start;
		int first;

		if (i) {
			sb_addc(&sb, '\n');
			line++;
		}
		start = sb.len;
		first = line;
		if (!s->name) {
			sb_addf(&sb, "[%s]\n", s->kind);
			line++;
		} else {
			struct strbuf esc = STRBUF_INIT;
			escape_all(&esc, s->name, true);
			if (strlen(s->kind) + esc.len + 5 <= LINE_LIMIT) {
				sb_addf(&sb, "[%s \"%s\"]\n", s->kind, sb_str(&esc));
				line++;
			} else {
				sb_addf(&sb, "[%s \"\\@\"]\n", s->kind);
				line += 1 + (int)write_value(&sb, NAME_KEY, s->name, strlen(s->name));
			}
			sb_free(&esc);
		}
		for (size_t k = 0; k < s->nkv; k++)
			line += (int)write_value(&sb, s->kv[k].key, s->kv[k].value, s->kv[k].vlen);
		if (!spans || (since && s->gen <= since)) {
			open = false;
			continue;
		}
		if (open) {
			/* adjacent to the previous changed section: one span */
			sp[nsp - 1].len = sb.len - sp[nsp - 1].off;
			continue;
		}
		if (nsp == cap)
			sp = xreallocarray(sp, cap = cap * 2 + 8, sizeof(*sp));
		sp[nsp++] = (struct doc_span){ start, sb.len - start, first };
		open = true;
	}
	if (!sb.buf)
		sb_add(&sb, "");
	if (spans) {
		*spans = sp;
		*nspans = nsp;
	}
	if (len)
		*len = sb.len;
	return sb_detach(&sb);
}

char *doc_serialize(const struct doc *d, const char *header_comment)
{
	return doc_serialize_changed(d, header_comment, 0, NULL, NULL, NULL);
}

/* ---- reader --------------------------------------------------------- */

struct parser {
	const char *buf;
	size_t len, pos;
	int lineno;
	struct doc *doc;
	struct doc_error *err;
	bool failed;
	doc_validate_fn validate;
	void *ud;

	struct section *cur;   /* section of the lines being read, NULL before any */
	int cur_line;
	bool name_pending;     /* [kind "\@"]: the name comes in @name lines */
	struct strbuf pname;   /* the name being assembled */
	bool had_key_in_cur;   /* a non-@name key was seen in cur */

	/* classification of the line the reader just handed to libinih */
	char rawkey[KEY_MAX + 8];
	bool line_is_key;
	/* the key whose value is being assembled (continuations pending):
	 * its value grows in kval and is stored once complete, so a value
	 * over many "key+" lines costs its length, not its length squared */
	struct section *ksec;
	size_t kidx;
	int kline;
	bool kopen;
	struct strbuf kval;
	struct strbuf line;    /* the decoded value of the current line */
	bool name_open;        /* @name lines are being assembled */
};

static void perr(struct parser *p, int line, const char *fmt, ...) OSM_PRINTF(3, 4);
static void perr(struct parser *p, int line, const char *fmt, ...)
{
	va_list ap;

	if (p->failed)
		return;
	p->failed = true;
	p->err->line = line;
	va_start(ap, fmt);
	vsnprintf(p->err->msg, sizeof(p->err->msg), fmt, ap);
	va_end(ap);
}

/* "[step "rebind"]" for messages (escaped, shortened) */
static void section_label(const char *kind, const char *name, char *out, size_t outlen)
{
	if (!name) {
		snprintf(out, outlen, "[%s]", kind);
	} else {
		struct strbuf sb = STRBUF_INIT;
		escape_all(&sb, name, true);
		if (sb.len > 60)
			snprintf(out, outlen, "[%s \"%.57s...\"]", kind, sb_str(&sb));
		else
			snprintf(out, outlen, "[%s \"%s\"]", kind, sb_str(&sb));
		sb_free(&sb);
	}
}

static bool hexval(char c, int *v)
{
	if (c >= '0' && c <= '9')
		*v = c - '0';
	else if (c >= 'a' && c <= 'f')
		*v = c - 'a' + 10;
	else if (c >= 'A' && c <= 'F')
		*v = c - 'A' + 10;
	else
		return false;
	return true;
}

/* Decode escapes of s[0..n) into sb; false with a message on a bad escape. */
static bool unescape(const char *s, size_t n, struct strbuf *sb, char *msg, size_t msglen)
{
	for (size_t i = 0; i < n; i++) {
		const char *bs = memchr(s + i, '\\', n - i);
		int hi, lo;

		/* the text up to the next backslash as it is */
		if (bs != s + i) {
			size_t run = bs ? (size_t)(bs - (s + i)) : n - i;

			sb_addn(sb, s + i, run);
			i += run - 1;
			continue;
		}
		if (++i >= n) {
			snprintf(msg, msglen, "a backslash ends the value (write \\\\ for a backslash)");
			return false;
		}
		switch (s[i]) {
		case '\\': sb_addc(sb, '\\'); break;
		case ';': sb_addc(sb, ';'); break;
		case '"': sb_addc(sb, '"'); break;
		case 'n': sb_addc(sb, '\n'); break;
		case 'r': sb_addc(sb, '\r'); break;
		case 't': sb_addc(sb, '\t'); break;
		case 'x':
			if (i + 2 >= n || !hexval(s[i + 1], &hi) || !hexval(s[i + 2], &lo)) {
				snprintf(msg, msglen, "bad escape: \\x needs two hex digits");
				return false;
			}
			if (hi == 0 && lo == 0) {
				snprintf(msg, msglen, "bad escape: \\x00 (NUL) is not allowed");
				return false;
			}
			sb_addc(sb, (char)(hi * 16 + lo));
			i += 2;
			break;
		default:
			if ((unsigned char)s[i] >= 0x20 && (unsigned char)s[i] < 0x7f)
				snprintf(msg, msglen, "bad escape '\\%c' (write \\\\ for a backslash)", s[i]);
			else
				snprintf(msg, msglen, "bad escape (write \\\\ for a backslash)");
			return false;
		}
	}
	return true;
}

/* The name of cur is complete: check it and look for a duplicate. */
static bool finish_section_name(struct parser *p)
{
	char label[128], msg[400];

	if (!p->name_pending)
		return true;
	p->name_pending = false;
	if (!p->pname.buf) {
		perr(p, p->cur_line, "section [%s \"\\@\"] has no @name line", p->cur->kind);
		return false;
	}
	p->cur->name = sb_detach(&p->pname);
	if (find_section(p->doc, p->cur->kind, p->cur->name)) {
		section_label(p->cur->kind, p->cur->name, label, sizeof(label));
		perr(p, p->cur_line, "duplicate section %s", label);
		return false;
	}
	p->cur->unindexed = false;
	idx_add(p->doc, p->cur);
	msg[0] = '\0';
	if (p->validate && !p->validate(p->ud, p->cur->kind, p->cur->name, NULL, NULL, msg, sizeof(msg))) {
		perr(p, p->cur_line, "%s", msg);
		return false;
	}
	return true;
}

/* The value of the open key is complete: run the schema check. */
static bool finish_key(struct parser *p)
{
	char msg[400];
	struct kv *kv;

	if (p->name_open) {
		p->name_open = false;
		return finish_section_name(p);
	}
	if (!p->kopen)
		return true;
	p->kopen = false;
	kv = &p->ksec->kv[p->kidx];
	kv->value = xstrndup(sb_str(&p->kval), p->kval.len);
	kv->vlen = p->kval.len;
	sb_reset(&p->kval);
	msg[0] = '\0';
	if (p->validate && !p->validate(p->ud, p->ksec->kind, p->ksec->name, kv->key, kv->value,
					msg, sizeof(msg))) {
		perr(p, p->kline, "%s", msg);
		return false;
	}
	return true;
}

/* Parse a header line "[kind]" or "[kind "name"]" (already stripped). */
static void parse_header(struct parser *p, const char *s, size_t n)
{
	char kind[KIND_MAX + 2], label[128], msg[400];
	size_t i = 1, k = 0;
	struct strbuf name = STRBUF_INIT;
	bool named = false, escname = false;

	if (!finish_key(p) || !finish_section_name(p))
		return;
	while (i < n && k <= KIND_MAX && s[i] != ']' && s[i] != ' ')
		kind[k++] = s[i++];
	kind[k] = '\0';
	if (!valid_kind(kind)) {
		perr(p, p->lineno, "bad section header: expected [kind] or [kind \"name\"] with a lower-case kind");
		return;
	}
	if (i < n && s[i] == ' ') {
		size_t start;
		i++;
		if (i >= n || s[i] != '"') {
			perr(p, p->lineno, "bad section header: the name must be in double quotes, as in [%s \"name\"]", kind);
			return;
		}
		start = ++i;
		while (i < n && s[i] != '"') {
			if (s[i] == '\\' && i + 1 < n)
				i++;
			i++;
		}
		if (i >= n) {
			perr(p, p->lineno, "bad section header: missing closing quote");
			return;
		}
		escname = (i - start == 2 && s[start] == '\\' && s[start + 1] == '@');
		if (!escname && !unescape(s + start, i - start, &name, msg, sizeof(msg))) {
			perr(p, p->lineno, "bad section name: %s", msg);
			sb_free(&name);
			return;
		}
		named = true;
		i++;
	}
	if (i != n - 1 || s[i] != ']') {
		perr(p, p->lineno, "bad section header: expected ']' at the end of the line");
		sb_free(&name);
		return;
	}
	if (named && !escname && memchr(name.buf ? name.buf : "", '\0', name.len)) {
		perr(p, p->lineno, "bad section name");
		sb_free(&name);
		return;
	}
	p->had_key_in_cur = false;
	p->cur_line = p->lineno;
	if (escname) {
		/* indexed once its @name lines are read */
		p->cur = append_section_ix(p->doc, kind, NULL, false);
		p->name_pending = true;
		sb_reset(&p->pname);
		return;
	}
	{
		const char *nm = named ? sb_str(&name) : NULL;
		if (find_section(p->doc, kind, nm)) {
			section_label(kind, nm, label, sizeof(label));
			perr(p, p->lineno, "duplicate section %s", label);
			sb_free(&name);
			return;
		}
		p->cur = append_section(p->doc, kind, nm);
	}
	sb_free(&name);
	msg[0] = '\0';
	if (p->validate && !p->validate(p->ud, p->cur->kind, p->cur->name, NULL, NULL, msg, sizeof(msg)))
		perr(p, p->lineno, "%s", msg);
}

/* A line longer than libinih reads: say how to write it in pieces, in the
 * form the line has (a value, a section header, a comment). */
static void too_long(struct parser *p, const char *line, size_t n)
{
	size_t a = 0, k;
	char key[KEY_MAX + 1];

	while (a < n && (line[a] == ' ' || line[a] == '\t'))
		a++;
	if (a < n && (line[a] == ';' || line[a] == '#')) {
		perr(p, p->lineno, "line is %zu bytes long, more than the %d a line may hold: "
		     "split the comment over several '%c' lines", n, LINE_LIMIT, line[a]);
		return;
	}
	if (a < n && line[a] == '[') {
		perr(p, p->lineno, "line is %zu bytes long, more than the %d a line may hold: "
		     "write a long section name in pieces, as [kind \"\\@\"] followed by "
		     "'@name = first part' and '@name+ = next part' lines (the pieces are "
		     "joined as they are)", n, LINE_LIMIT);
		return;
	}
	for (k = a; k < n && line[k] != '=' && line[k] != ':'; k++)
		;
	while (k > a && (line[k - 1] == ' ' || line[k - 1] == '\t' || line[k - 1] == '+'))
		k--;
	if (k < n && k > a && k - a <= KEY_MAX && line[k] != '\0') {
		memcpy(key, line + a, k - a);
		key[k - a] = '\0';
		if (valid_key(key)) {
			perr(p, p->lineno, "line is %zu bytes long, more than the %d a line may hold: "
			     "split the value over continuation lines, '%s = first part' then "
			     "'%s+ = next part' (as many '%s+' lines as needed, each at most %d "
			     "bytes; the pieces are joined as they are, so keep a space that "
			     "separates words at the end of a piece as \\x20)",
			     n, LINE_LIMIT, key, key, key, LINE_LIMIT);
			return;
		}
	}
	perr(p, p->lineno, "line is %zu bytes long, more than the %d a line may hold: split a "
	     "long value over continuation lines, 'key = first part' then 'key+ = next part' "
	     "(the pieces are joined as they are)", n, LINE_LIMIT);
}

static bool ascii_only(const char *s, size_t n)
{
	unsigned char any = 0;

	for (size_t i = 0; i < n; i++)
		any |= (unsigned char)s[i];
	return any < 0x80;
}

/* Check one raw line and classify it; false stops the parse. */
static bool check_line(struct parser *p, const char *line, size_t n)
{
	size_t a = 0, b = n;

	p->line_is_key = false;
	if (memchr(line, '\0', n)) {
		perr(p, p->lineno, "NUL byte in the file (binary data, not an osmigrate INI file)");
		return false;
	}
	if (n > LINE_LIMIT) {
		too_long(p, line, n);
		return false;
	}
	if (!ascii_only(line, n) && !utf8_valid(line, n)) {
		perr(p, p->lineno, "invalid UTF-8 (the file must be UTF-8 text)");
		return false;
	}
	while (b > 0 && (line[b - 1] == ' ' || line[b - 1] == '\t' || line[b - 1] == '\r' ||
			 line[b - 1] == '\f' || line[b - 1] == '\v'))
		b--;
	while (a < b && (line[a] == ' ' || line[a] == '\t' || line[a] == '\f' || line[a] == '\v'))
		a++;
	if (a == b || line[a] == ';' || line[a] == '#')
		return true; /* blank or comment */
	if (a > 0) {
		/* libinih would take it as a continuation of the previous value */
		perr(p, p->lineno, "line starts with white space (indented lines are not allowed)");
		return false;
	}
	if (line[0] == '[') {
		parse_header(p, line, b);
		return !p->failed;
	}
	{
		size_t k = 0;
		bool plus = false;
		while (k < b && line[k] != '=' && line[k] != ':')
			k++;
		if (k == b) {
			perr(p, p->lineno, "expected 'key = value' or a [section] header");
			return false;
		}
		while (k > 0 && (line[k - 1] == ' ' || line[k - 1] == '\t'))
			k--;
		if (k > 0 && line[k - 1] == '+')
			plus = true;
		if (k == 0 || k - plus > KEY_MAX) {
			perr(p, p->lineno, k == 0 ? "missing key name before '='" : "key name is too long");
			return false;
		}
		memcpy(p->rawkey, line, k);
		p->rawkey[k] = '\0';
		if (plus)
			p->rawkey[k - 1] = '\0';
		if (!valid_key(p->rawkey) && strcmp(p->rawkey, NAME_KEY) != 0) {
			perr(p, p->lineno, "bad key name (use letters, digits, '_', '.', '-')");
			return false;
		}
		if (plus)
			p->rawkey[k - 1] = '+';
		p->line_is_key = true;
	}
	return true;
}

static char *reader(char *str, int num, void *stream)
{
	struct parser *p = stream;
	const char *line, *nl;
	size_t n, take;

	if (p->failed || p->pos >= p->len)
		return NULL;
	line = p->buf + p->pos;
	nl = memchr(line, '\n', p->len - p->pos);
	n = nl ? (size_t)(nl - line) : p->len - p->pos;
	p->lineno++;
	p->pos += n + (nl ? 1 : 0);
	if (!nl) {
		perr(p, p->lineno, "the last line has no newline: the file looks truncated");
		return NULL;
	}
	if (p->lineno == 1 && n >= 3 && memcmp(line, "\xef\xbb\xbf", 3) == 0)
		line += 3, n -= 3; /* a byte order mark, as libinih allows */
	if (!check_line(p, line, n))
		return NULL;
	/* num is INI_MAX_LINE: LINE_LIMIT + "\n" + NUL always fits */
	take = n < (size_t)num - 2 ? n : (size_t)num - 2;
	memcpy(str, line, take);
	str[take] = '\n';
	str[take + 1] = '\0';
	return str;
}

/* A key appended while its value is being read: finish_key() stores it. */
static void append_open_kv(struct section *s, const char *key)
{
	if (s->nkv == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 8;
		s->kv = xreallocarray(s->kv, s->cap, sizeof(*s->kv));
	}
	s->kv[s->nkv].key = xstrdup(key);
	s->kv[s->nkv].value = NULL;
	s->nkv++;
}

static int handler(void *user, const char *section, const char *name, const char *value)
{
	struct parser *p = user;
	char msg[400], label[128];
	struct strbuf *v = &p->line;
	char key[KEY_MAX + 8];
	bool plus;
	size_t kl;

	(void)section; /* the reader parsed the header itself, unabridged */
	if (p->failed)
		return 0;
	if (!p->line_is_key || strcmp(name, p->rawkey) != 0) {
		perr(p, p->lineno, "unexpected line");
		return 0;
	}
	if (!p->cur) {
		perr(p, p->lineno, "key '%s' before the first [section] header", name);
		return 0;
	}
	/* name equals rawkey (checked above): at most KEY_MAX + 1 bytes */
	kl = strlen(name);
	memcpy(key, name, kl + 1);
	plus = kl > 0 && key[kl - 1] == '+';
	if (plus)
		key[kl - 1] = '\0';
	sb_reset(v);
	if (!unescape(value, strlen(value), v, msg, sizeof(msg))) {
		perr(p, p->lineno, "%s", msg);
		return 0;
	}
	if (strcmp(key, NAME_KEY) == 0) {
		if (!p->name_pending || p->had_key_in_cur || (plus && !p->name_open) || (!plus && p->name_open)) {
			perr(p, p->lineno, "unexpected %s line (only right after a [kind \"\\@\"] header)", name);
			return 0;
		}
		p->name_open = true;
		sb_addn(&p->pname, sb_str(v), v->len);
		return 1;
	}
	if (plus) {
		if (!p->kopen || strcmp(p->ksec->kv[p->kidx].key, key) != 0) {
			perr(p, p->lineno, "continuation '%s+' does not follow a '%s' line", key, key);
			return 0;
		}
		sb_addn(&p->kval, sb_str(v), v->len);
		return 1;
	}
	if (!finish_key(p) || !finish_section_name(p))
		return 0;
	p->had_key_in_cur = true;
	if (find_kv(p->cur, key)) {
		section_label(p->cur->kind, p->cur->name, label, sizeof(label));
		perr(p, p->lineno, "duplicate key '%s' in section %s", key, label);
		return 0;
	}
	append_open_kv(p->cur, key);
	sb_reset(&p->kval);
	sb_addn(&p->kval, sb_str(v), v->len);
	p->ksec = p->cur;
	p->kidx = p->cur->nkv - 1;
	p->kline = p->lineno;
	p->kopen = true;
	return 1;
}

struct doc *doc_parse_string(const char *text, size_t len, const char *name,
			     doc_validate_fn validate, void *ud, struct doc_error *err)
{
	struct parser p;
	struct doc_error scratch;
	int rc;

	if (!err)
		err = &scratch;
	memset(err, 0, sizeof(*err));
	snprintf(err->file, sizeof(err->file), "%s", name ? name : "<string>");
	memset(&p, 0, sizeof(p));
	p.buf = text;
	p.len = len;
	p.doc = doc_new();
	p.err = err;
	p.validate = validate;
	p.ud = ud;
	sb_init(&p.pname);
	rc = ini_parse_stream(reader, &p, handler, &p);
	if (!p.failed) {
		finish_key(&p);
		finish_section_name(&p);
	}
	if (!p.failed && rc != 0)
		perr(&p, rc > 0 ? rc : 0, "syntax error");
	sb_free(&p.pname);
	sb_free(&p.kval);
	sb_free(&p.line);
	if (p.failed) {
		doc_free(p.doc);
		return NULL;
	}
	return p.doc;
}

struct doc *doc_parse_file(const char *path, doc_validate_fn validate, void *ud,
			   struct doc_error *err)
{
	struct doc_error scratch;
	struct strbuf sb = STRBUF_INIT;
	struct doc *d;
	char buf[65536];
	int fd;

	if (!err)
		err = &scratch;
	memset(err, 0, sizeof(*err));
	snprintf(err->file, sizeof(err->file), "%s", path);
	/* O_NONBLOCK: a FIFO given by mistake must not hang us */
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0) {
		snprintf(err->msg, sizeof(err->msg), "cannot open: %s", strerror(errno));
		return NULL;
	}
	{
		struct stat st;
		if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
			snprintf(err->msg, sizeof(err->msg), "not a regular file");
			close(fd);
			return NULL;
		}
		/* one allocation of the right size, not doubling up to twice it */
		if (st.st_size > 0 && (uintmax_t)st.st_size <= DOC_MAX_FILE)
			sb_reserve(&sb, (size_t)st.st_size);
	}
	for (;;) {
		ssize_t r = read(fd, buf, sizeof(buf));
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			snprintf(err->msg, sizeof(err->msg), "cannot read: %s", strerror(errno));
			close(fd);
			sb_free(&sb);
			return NULL;
		}
		if (r == 0)
			break;
		if (sb.len + (size_t)r > DOC_MAX_FILE) {
			snprintf(err->msg, sizeof(err->msg), "file is larger than %u MB: not an osmigrate file",
				 DOC_MAX_FILE >> 20);
			close(fd);
			sb_free(&sb);
			return NULL;
		}
		sb_addn(&sb, buf, (size_t)r);
	}
	close(fd);
	d = doc_parse_string(sb.buf ? sb.buf : "", sb.len, path, validate, ud, err);
	sb_free(&sb);
	return d;
}
