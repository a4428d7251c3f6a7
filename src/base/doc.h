/* doc.h - the INI document model shared by state files and answers files.
 *
 * A document is an ordered list of sections; a section is a kind plus an
 * optional name, and holds ordered key/value pairs:
 *
 *     [osmigrate]                 kind "osmigrate", name NULL
 *     [step "rebind"]             kind "step", name "rebind"
 *     [extension "Orders DB"]     kind "extension", name "Orders DB"
 *
 * On disk the file is readable by Debian's libinih (lines of at most 200
 * bytes, ';' inline comments, whitespace stripped).  The writer escapes
 * values (and section names) so that ANY byte string except NUL reads back
 * identically: ';', '#', '=', '[', quotes, backslashes, leading/trailing
 * spaces, newlines, tabs, UTF-8, and long values, which are split over
 * continuation keys ("key" then "key+" lines) so that no line exceeds
 * DOC_MAX_LINE.  The reader reassembles them.
 *
 * The reader is strict: every problem is reported with the file name and
 * the 1-based line number, and the caller gets nothing half-parsed.
 * UI-free: never include curses here.
 */
#ifndef OSM_DOC_H
#define OSM_DOC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#define DOC_MAX_LINE 200 /* what Debian's libinih reads; the writer stays below */

struct doc;

struct doc_error {
	char file[512];  /* file name as given ("<string>" when parsing memory) */
	int line;        /* 1-based line number of the problem, 0 if not about a line */
	char msg[512];   /* "unknown key 'colour' in section [target]" */
};

/* Schema hook: the reader asks it whether a section/key is allowed.  Return
 * true if fine; else fill msg (size msglen) and return false.  NULL = accept all. */
typedef bool (*doc_validate_fn)(void *ud, const char *kind, const char *name,
				const char *key, const char *value, char *msg, size_t msglen);

struct doc *doc_new(void);
void doc_free(struct doc *d);

/* Parse a file / a memory buffer.  Returns NULL and fills *err on any error:
 * I/O, NUL bytes, invalid UTF-8, a line longer than DOC_MAX_LINE, syntax,
 * duplicate section, duplicate key, bad escape, or what validate rejects. */
struct doc *doc_parse_file(const char *path, doc_validate_fn validate, void *ud,
			   struct doc_error *err);
struct doc *doc_parse_string(const char *text, size_t len, const char *name,
			     doc_validate_fn validate, void *ud, struct doc_error *err);

/* Serialise: always the same bytes for the same document.
 * header_comment (may be NULL) is written as '; ' lines at the top. */
char *doc_serialize(const struct doc *d, const char *header_comment);

/* The same text, and where in it the sections changed after generation
 * since lie (see doc_generation): *spans (caller frees) gets *nspans
 * ranges of whole sections, adjacent ones merged, each starting at its
 * header on the 1-based line given; every range ends with a newline, so it
 * parses on its own.  Sections as parsed or cloned count as unchanged
 * since the document's generation then; since 0 means every section.
 * Used to check what is about to be written without parsing again what
 * was already checked.  spans NULL: no ranges. */
struct doc_span {
	size_t off, len;  /* bytes [off, off + len) of the text */
	int line;         /* line number of its first byte */
};
char *doc_serialize_changed(const struct doc *d, const char *header_comment,
			    unsigned long long since, struct doc_span **spans, size_t *nspans,
			    size_t *len /* strlen of the text; may be NULL */);

/* A number that changes whenever the document does: a key set to a
 * different value, a key unset, a section added or removed.  Setting a
 * value a key already has, unsetting a missing key, adding a section that
 * exists, or reading change nothing.  No two documents, nor two versions
 * of one, share a number within a process: comparing it before and after
 * tells whether anything changed (the wizard saves only then). */
unsigned long long doc_generation(const struct doc *d);

/* Lookup.  name NULL means the unnamed section of that kind. */
const char *doc_get(const struct doc *d, const char *kind, const char *name, const char *key);
/* The same, dflt when the key is missing. */
const char *doc_get_or(const struct doc *d, const char *kind, const char *name, const char *key,
		       const char *dflt);
void doc_set(struct doc *d, const char *kind, const char *name, const char *key, const char *value);
void doc_unset(struct doc *d, const char *kind, const char *name, const char *key);
bool doc_has_section(const struct doc *d, const char *kind, const char *name);
void doc_add_section(struct doc *d, const char *kind, const char *name); /* no-op if present */
void doc_remove_section(struct doc *d, const char *kind, const char *name);
struct doc *doc_clone(const struct doc *d);

/* Three-way merge, key by key: apply to cur (a file's content now) what
 * changed from base (the content mine was read from) to mine.  Sections
 * mine added are added to cur (at its end), sections mine removed are
 * removed from cur; a key mine set or unset is set or unset in cur.  When
 * cur changed that key too, to something else than mine, conflict decides
 * (NULL: mine is taken).  A section of mine unchanged since generation
 * since (as read or cloned, see doc_generation) is not looked into; since 0
 * looks into all.  Returns false, cur half-merged, when conflict said
 * DOC_MERGE_ABORT (the caller throws cur away). */
/* Make dst the same as src (sections, keys, values, section order) while
 * keeping dst itself and every section both have, with its kind and name
 * strings where they are: a caller may hold those across the change. */
void doc_sync(struct doc *dst, const struct doc *src);

enum doc_merge_pick { DOC_MERGE_MINE, DOC_MERGE_THEIRS, DOC_MERGE_ABORT };
typedef enum doc_merge_pick (*doc_conflict_fn)(void *ud, const char *kind, const char *name,
						const char *key, const char *base, const char *mine,
						const char *theirs);
bool doc_merge3(struct doc *cur, const struct doc *base, const struct doc *mine,
		unsigned long long since, doc_conflict_fn conflict, void *ud);

/* Iteration, in file order. */
size_t doc_nsections(const struct doc *d);
const char *doc_section_kind(const struct doc *d, size_t i);
const char *doc_section_name(const struct doc *d, size_t i); /* NULL if unnamed */
size_t doc_nkeys(const struct doc *d, size_t section);
const char *doc_key(const struct doc *d, size_t section, size_t k);
const char *doc_value(const struct doc *d, size_t section, size_t k);

/* The keys of one section (name NULL: the unnamed one), in file order:
 * calls fn for each; returns false when the section does not exist. */
bool doc_each_key(const struct doc *d, const char *kind, const char *name,
		  void (*fn)(void *ud, const char *key, const char *value), void *ud);

/* Names of all sections of one kind, in file order (e.g. every extension).
 * Returns a NULL-terminated array owned by the caller (free the array only). */
const char **doc_section_names(const struct doc *d, const char *kind, size_t *count);

#endif
