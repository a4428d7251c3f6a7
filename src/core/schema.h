/* schema.h - the settings schema: every settings section and key, once.
 *
 * One table (src/core/schema.c) says, for each settings section, whether it is an
 * inventory (named items: [server "dc01"]), its heading on the settings
 * screen and which runbooks use it; and for each key its value type (the
 * V_* rules of the state/answers parser, state.c), its label, a one-line
 * help and an example.  Everything about settings derives from it: the
 * parser and settings_validate (state.c), the answers writer and its key
 * order, the settings screen and the inventory import (screens/), the
 * report's environment section, and the sections named in error messages.
 * tests/unit/test_schema.c holds the man page's SETTINGS section, the
 * README's example and every literal section/key pair in the code against it.
 *
 * The progress sections ([osmigrate], [step], [check], ...) are state.c's
 * tables, of the parser's part of these rows (struct schema_section and
 * schema_key), matched by the same rule (schema_key_matches).
 * UI-free: never include curses here. */
#ifndef OSM_SCHEMA_H
#define OSM_SCHEMA_H

#include <stdbool.h>
#include <stddef.h>

/* Value types: what the parser accepts (valid_value in state.c). */
enum vtype {
	V_ANY,          /* any text, newlines included (notes, reasons, details) */
	V_TEXT,         /* one line, no control characters */
	V_ID,           /* [a-z0-9_.-] ids: runbook, step */
	V_VERSION,
	V_TIME,         /* 2026-11-22T04:31:00Z */
	V_WHEN,         /* a time the operator writes: ...Z or with its offset, +01:00 */
	V_STEPSTATUS,
	V_CHECKSTATUS,
	V_HOST,
	V_PORT,
	V_DBNAME,       /* user; dbname when it is a plain name */
	V_DATABASE,     /* dbname: a name, or a conninfo/URI (expand_dbname) */
	V_SSLMODE,
	V_PATH,
	V_TIMEOUT,      /* seconds, 1..3600 */
	V_SERVICE,
	V_CONNINFO,     /* conninfo, URI or service=NAME; never a password */
	V_URL,          /* http(s)://, no credentials */
	V_LIST,         /* schema names, space or comma separated (names.h) */
	V_TABLES,       /* schema.table, space separated */
	V_ROLE,
	V_HOSTPORT,
	V_COUNT,        /* non-negative integer */
	V_TICK,         /* "user@host 2026-11-22T04:31:00Z" */
	V_FIELD,        /* form value: any text, but no password= */
	V_RUNBOOK,      /* one of runbook.h's runbooks */
	V_DIGEST,       /* lower-case hex digits (check.h's settings digest) */
	V_BOOL,         /* yes/no, true/false, 1/0 (schema_bool) */
	V_MAJORS,       /* PostgreSQL major versions: "14 16" or "14, 16" */
};

/* How a section is named: [target], [server "NAME"], [step "ID"], ... */
enum naming { UNNAMED, NAMED_ITEM, NAMED_ID, NAMED_STEPITEM, NAMED_CHECK, NAMED_NUMBER,
	      NAMED_FIXED };
/* NAMED_FIXED: a settings section named from a fixed list (schema_names[]:
 * [endpoint "platform"], [endpoint "session"], [endpoint "log"]).  The
 * unnamed section of such a kind, as older files wrote it, means the first
 * name: the loaders (state.c) move it there. */

/* What the parser needs of a section and of a key: the rows of state.c's
 * progress tables, and the first member of each settings row below. */
struct schema_section {
	const char *kind;
	enum naming naming;     /* NAMED_ITEM: an inventory (add, remove, import) */
	bool setting;           /* a setting: allowed in answers files */
};
/* A key ending in '.' matches every key with that prefix (tick.<id>). */
struct schema_key {
	const char *kind;
	const char *key;
	enum vtype type;
};
bool schema_key_matches(const struct schema_key *r, const char *kind, const char *key);

/* A settings section and a settings key: the parser's part, then what the
 * settings screen, the import, the report and the docs need. */
struct settings_section {
	struct schema_section s;
	const char *title;      /* heading on the settings screen */
	const char *runbooks;   /* ids of the runbooks that use it, space separated */
	const char *keys_of;    /* has the keys of this section (source: target's) */
	const char *seeds_for;  /* runbooks (of runbooks) for which it only fills
				   inventories: no check of theirs reads it, so
				   their change record does not list it */
};
struct settings_key {
	struct schema_key k;
	const char *label;      /* as the settings screen names it */
	const char *help;       /* one line: what to give */
	const char *example;    /* a value the parser accepts */
};

/* The settings sections, in the order of the settings screen and of an
 * answers file; the keys of each section follow one another in the table,
 * in the order the screen asks them and an answers file lists them. */
extern const struct settings_section settings_sections[];
extern const size_t n_settings_sections;
extern const struct settings_key settings_keys[];
extern const size_t n_settings_keys;

/* The names a NAMED_FIXED section takes, in order, with what the operator
 * calls each (the Configuration Tool's tabs for [endpoint]). */
struct schema_name {
	const char *kind;
	const char *name;       /* "platform" */
	const char *title;      /* "Platform": its tab, "Platform database" */
};
extern const struct schema_name schema_names[];
extern const size_t n_schema_names;
/* The names of kind: *n rows from the result (NULL and 0 for a kind that
 * has none). */
const struct schema_name *schema_names_of(const char *kind, size_t *n);
/* "platform, session, log": for messages.  Caller frees. */
char *schema_name_list(const char *kind);

/* NULL when kind is not a settings section, or key not one of its keys.
 * A section with keys_of has that section's keys. */
const struct settings_section *schema_find_section(const char *kind);
const struct settings_key *schema_find_key(const char *kind, const char *key);
/* The keys of a settings section, in order: *n rows starting at the result
 * (NULL and 0 for anything else). */
const struct settings_key *schema_section_keys(const char *kind, size_t *n);

bool schema_is_inventory(const struct settings_section *s);
/* Does this runbook use the section (its checks read it, its steps list
 * its items, or it seeds them)?  runbook NULL: every section is used. */
bool schema_used_by(const struct settings_section *s, const char *runbook);

struct doc;
/* Does the runbook's change record list the section: used by it, and not
 * only to fill its inventories (seeds_for)?  runbook NULL: every one. */
bool schema_recorded_for(const struct settings_section *s, const char *runbook);

/* The settings of d in the schema's order, as an answers file and the
 * report list them: each settings section of d that runbook records
 * (schema_recorded_for; NULL: every one), in the table's order (the items of an inventory in d's
 * order): section(), then value() for each of its keys in the table's
 * order, then for any key the schema does not know (a bug: the writer's
 * check refuses it). */
void schema_each_setting(const struct doc *d, const char *runbook,
			 void (*section)(void *ud, const char *kind, const char *name),
			 void (*value)(void *ud, const char *kind, const char *name,
				       const char *key, const char *v),
			 void *ud);

/* "target, source, lifetime, ...": the settings sections, for messages. */
const char *schema_section_list(void);

/* A V_BOOL value: yes/true/1 and no/false/0; empty or NULL gives dflt. */
bool schema_bool(const char *v, bool dflt);
/* Whether v is one of those words. */
bool schema_bool_valid(const char *v);

#endif
