/* import.c - inventories from a plain text or CSV file (see import.h). */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "import.h"
#include "schema.h"
#include "state.h"
#include "util.h"

#define IMPORT_MAX_LINE 8192
#define IMPORT_MAX_FIELDS 8

/* The columns of an inventory's file: the name, then the keys of its
 * section in the schema's order (schema.h). */
static const struct settings_key *inventory_keys(const char *kind, size_t *n)
{
	*n = 0;
	return schema_is_inventory(schema_find_section(kind)) ? schema_section_keys(kind, n) : NULL;
}

char *import_columns(const char *kind)
{
	struct strbuf sb = STRBUF_INIT;
	size_t n;
	const struct settings_key *keys = inventory_keys(kind, &n);

	if (!keys)
		return NULL;
	sb_add(&sb, "name");
	for (size_t k = 0; k < n; k++)
		sb_addf(&sb, ", %s", keys[k].k.key);
	return sb_detach(&sb);
}

struct row {
	int line;
	char *f[IMPORT_MAX_FIELDS];
	size_t n;
};

/* Split one line into fields.  Returns false with msg on a bad quote or
 * too many fields. */
static bool split(char *s, struct row *r, char *msg, size_t msglen)
{
	char sep = strchr(s, ',') ? ',' : '\t';
	char *out = s;

	r->n = 0;
	for (;;) {
		char *start = out;

		while (*s == ' ')
			s++;
		if (*s == '"') {
			s++;
			for (;;) {
				if (*s == '\0') {
					snprintf(msg, msglen, "a quoted field is not closed");
					return false;
				}
				if (*s == '"' && s[1] == '"') {
					*out++ = '"';
					s += 2;
				} else if (*s == '"') {
					s++;
					break;
				} else {
					*out++ = *s++;
				}
			}
			while (*s == ' ')
				s++;
			if (*s != sep && *s != '\0') {
				snprintf(msg, msglen, "text after a closing quote");
				return false;
			}
		} else {
			while (*s != sep && *s != '\0')
				*out++ = *s++;
		}
		if (r->n == IMPORT_MAX_FIELDS) {
			snprintf(msg, msglen, "too many fields");
			return false;
		}
		r->f[r->n++] = start;
		if (*s == '\0') {
			*out = '\0';
			break;
		}
		s++;        /* the separator */
		*out++ = '\0';
	}
	for (size_t i = 0; i < r->n; i++)
		str_trim(r->f[i]);
	return true;
}

bool import_inventory(struct doc *d, const char *kind, const char *path,
		      size_t *added, size_t *updated, char *msg, size_t msglen)
{
	size_t nkeys, nrows = 0, cap = 0;
	const struct settings_key *keys = inventory_keys(kind, &nkeys);
	struct row *rows = NULL;
	char *buf = NULL, err[512];
	FILE *f;
	int line = 0;
	bool ok = false, seen_data = false;

	*added = *updated = 0;
	if (!keys) {
		snprintf(msg, msglen, "[%s] is not a list that can be imported", kind);
		return false;
	}
	f = fopen(path, "r");
	if (!f) {
		snprintf(msg, msglen, "%s: %s: check the path and that you can read it",
			 path, strerror(errno));
		return false;
	}
	buf = xmalloc(IMPORT_MAX_LINE + 2);
	while (fgets(buf, IMPORT_MAX_LINE + 2, f)) {
		size_t len = strlen(buf);
		struct row r;
		char *copy;

		line++;
		if (len > IMPORT_MAX_LINE && buf[len - 1] != '\n') {
			snprintf(msg, msglen, "%s, line %d: longer than %d bytes", path, line,
				 IMPORT_MAX_LINE);
			goto out;
		}
		while (len && (buf[len - 1] == '\n' || buf[len - 1] == '\r'))
			buf[--len] = '\0';
		if (memchr(buf, '\0', len) || !utf8_valid(buf, len)) {
			snprintf(msg, msglen, "%s, line %d: not UTF-8 text: save the file as UTF-8",
				 path, line);
			goto out;
		}
		if (str_empty(str_trim(buf)) || buf[0] == '#')
			continue;
		copy = xstrdup(buf);
		if (!split(copy, &r, err, sizeof err)) {
			snprintf(msg, msglen, "%s, line %d: %s", path, line, err);
			free(copy);
			goto out;
		}
		r.line = line;
		if (!seen_data && strcasecmp(r.f[0], "name") == 0) {
			seen_data = true; /* a header line */
			free(copy);
			continue;
		}
		seen_data = true;
		if (r.n > nkeys + 1) {
			char *cols = import_columns(kind);

			snprintf(msg, msglen, "%s, line %d: %zu fields, at most %zu (%s)",
				 path, line, r.n, nkeys + 1, cols);
			free(cols);
			free(copy);
			goto out;
		}
		if (!settings_validate(kind, r.f[0], NULL, NULL, err, sizeof err)) {
			snprintf(msg, msglen, "%s, line %d: %s", path, line, err);
			free(copy);
			goto out;
		}
		for (size_t k = 1; k < r.n; k++) {
			if (str_empty(r.f[k]))
				continue;
			if (!settings_validate(kind, r.f[0], keys[k - 1].k.key, r.f[k], err, sizeof err)) {
				snprintf(msg, msglen, "%s, line %d, %s: %s", path, line, keys[k - 1].k.key,
					 err);
				free(copy);
				goto out;
			}
		}
		for (size_t i = 0; i < nrows; i++)
			if (str_eq(rows[i].f[0], r.f[0])) {
				snprintf(msg, msglen, "%s, line %d: '%s' already on line %d", path,
					 line, r.f[0], rows[i].line);
				free(copy);
				goto out;
			}
		if (nrows == cap)
			rows = xreallocarray(rows, cap = cap * 2 + 16, sizeof *rows);
		rows[nrows++] = r;
	}
	if (ferror(f)) {
		snprintf(msg, msglen, "%s: read error: %s", path, strerror(errno));
		goto out;
	}
	if (nrows == 0) {
		snprintf(msg, msglen, "%s: no %s found (one per line: name, %s...)", path, kind,
			 keys[0].k.key);
		goto out;
	}
	/* Everything validated: now change the document. */
	for (size_t i = 0; i < nrows; i++) {
		if (doc_has_section(d, kind, rows[i].f[0]))
			(*updated)++;
		else
			(*added)++;
		doc_add_section(d, kind, rows[i].f[0]);
		for (size_t k = 1; k < rows[i].n; k++)
			if (!str_empty(rows[i].f[k]))
				doc_set(d, kind, rows[i].f[0], keys[k - 1].k.key, rows[i].f[k]);
	}
	ok = true;
out:
	for (size_t i = 0; i < nrows; i++)
		free(rows[i].f[0]); /* the line copy starts at the first field */
	free(rows);
	free(buf);
	fclose(f);
	return ok;
}
