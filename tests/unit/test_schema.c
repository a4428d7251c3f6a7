/* test_schema.c - the settings schema (src/core/schema.c) is the one home of
 * every settings section and key: the table is consistent, its examples
 * pass the parser and come back from an answers file in its order, the
 * checks' declared settings and the runbooks' inventories are in it, every
 * section/key pair the code reads is in it, and the man page's SETTINGS
 * section and the README's example document exactly its keys. */
#include "config.h"

#include <criterion/criterion.h>
#include <libpq-fe.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"
#include "result.h"
#include "runbook.h"
#include "schema.h"
#include "state.h"
#include "util.h"

static char tmpdir[64];

static void mk_tmpdir(void)
{
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/osm-schema-XXXXXX");
	cr_assert_not_null(mkdtemp(tmpdir));
}

static void rm_tmpdir(void)
{
	char *cmd = xasprintf("rm -rf '%s'", tmpdir);

	cr_assert_eq(system(cmd), 0);
	free(cmd);
}

TestSuite(schema, .init = mk_tmpdir, .fini = rm_tmpdir);

static const char *srcdir(void)
{
	const char *s = getenv("top_srcdir");

	return s && *s ? s : TOP_SRCDIR;
}

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	struct strbuf sb = STRBUF_INIT;
	char buf[4096];
	size_t n;

	cr_assert_not_null(f, "cannot read %s", path);
	while ((n = fread(buf, 1, sizeof buf, f)) > 0)
		sb_addn(&sb, buf, n);
	fclose(f);
	return sb_detach(&sb);
}

/* A name for a section of this kind in the tests: items need one, and a
 * section named from a list takes its first name. */
static const char *item_name(const struct settings_section *s)
{
	size_t n;
	const struct schema_name *nm = schema_names_of(s->s.kind, &n);

	return nm ? nm[0].name : schema_is_inventory(s) ? "Example" : NULL;
}

static bool word_in(const char *word, const char *list)
{
	size_t n = strlen(word);

	for (const char *p = list; p && *p;) {
		size_t w = strcspn(p, " ");

		if (w == n && strncmp(p, word, n) == 0)
			return true;
		p += w;
		p += strspn(p, " ");
	}
	return false;
}

Test(schema, table_is_consistent)
{
	static const char *const progress[] = { "osmigrate", "step", "item", "check", "types",
						"finding" };

	cr_assert_gt(n_settings_sections, 0);
	for (size_t i = 0; i < n_settings_sections; i++) {
		const struct settings_section *s = &settings_sections[i];
		size_t nk;

		cr_assert(s->s.setting, "[%s] is in the settings table but not a setting", s->s.kind);
		cr_assert(s->s.naming == UNNAMED || s->s.naming == NAMED_ITEM ||
			  s->s.naming == NAMED_FIXED, "[%s]", s->s.kind);
		{
			size_t nn;

			/* a section named from a list has the list, and only it */
			cr_assert_eq(schema_names_of(s->s.kind, &nn) != NULL,
				     s->s.naming == NAMED_FIXED, "[%s]", s->s.kind);
		}
		cr_assert(section_is_setting(s->s.kind), "[%s]", s->s.kind);
		cr_assert_eq(schema_find_section(s->s.kind), s, "[%s] twice", s->s.kind);
		cr_assert(!str_empty(s->title), "[%s] has no title", s->s.kind);
		cr_assert(!str_empty(s->runbooks), "[%s] is used by no runbook", s->s.kind);
		for (const char *p = s->runbooks; *p;) {
			size_t w = strcspn(p, " ");
			char *id = xstrndup(p, w);

			cr_assert_not_null(runbook_find(id), "[%s]: unknown runbook '%s'", s->s.kind, id);
			free(id);
			p += w;
			p += strspn(p, " ");
		}
		if (s->keys_of) {
			const struct settings_section *o = schema_find_section(s->keys_of);

			cr_assert_not_null(o, "[%s] takes the keys of unknown [%s]", s->s.kind, s->keys_of);
			cr_assert_null(o->keys_of, "[%s]: keys_of is one level only", s->s.kind);
			for (size_t k = 0; k < n_settings_keys; k++)
				cr_assert(!str_eq(settings_keys[k].k.kind, s->s.kind),
					  "[%s] has keys_of and keys of its own", s->s.kind);
		}
		cr_assert_not_null(schema_section_keys(s->s.kind, &nk), "[%s] has no keys", s->s.kind);
		cr_assert_gt(nk, 0);
		/* an inventory's file is name + keys, at most 8 fields (import.c) */
		if (schema_is_inventory(s))
			cr_assert_leq(nk, 7, "[%s]: too many keys to import", s->s.kind);
	}
	for (size_t i = 0; i < OSM_ARRAY_LEN(progress); i++)
		cr_assert_null(schema_find_section(progress[i]), "[%s] is progress", progress[i]);

	for (size_t i = 0; i < n_settings_keys; i++) {
		const struct settings_key *k = &settings_keys[i];
		const struct settings_section *s = schema_find_section(k->k.kind);
		size_t nk;
		const struct settings_key *first = schema_section_keys(k->k.kind, &nk);

		cr_assert_not_null(s, "key %s of unknown section [%s]", k->k.key, k->k.kind);
		/* the rows of a section follow one another */
		cr_assert(k >= first && k < first + nk, "[%s] %s: the rows of [%s] are not together",
			  k->k.kind, k->k.key, k->k.kind);
		cr_assert_eq(schema_find_key(k->k.kind, k->k.key), k, "[%s] %s twice", k->k.kind,
			     k->k.key);
		cr_assert_neq(k->k.key[strlen(k->k.key) - 1], '.', "settings keys are whole keys");
		cr_assert(!str_empty(k->label) && !str_empty(k->help) && !str_empty(k->example),
			  "[%s] %s needs a label, a help and an example", k->k.kind, k->k.key);
	}
}

/* Every example passes the parser, and an answers file of all of them
 * comes back whole, with its sections and keys in the table's order. */
Test(schema, examples_round_trip_in_order)
{
	char *path = xasprintf("%s/all.ini", tmpdir);
	struct doc *d = doc_new(), *back;
	struct state_error err;
	char msg[512], *text, *at;

	/* filled in reverse: the file's order must be the schema's, not this */
	for (size_t i = n_settings_sections; i-- > 0;) {
		const struct settings_section *s = &settings_sections[i];
		size_t nk;
		const struct settings_key *keys = schema_section_keys(s->s.kind, &nk);

		for (size_t k = nk; k-- > 0;) {
			cr_assert(settings_validate(s->s.kind, item_name(s), keys[k].k.key,
						    keys[k].example, msg, sizeof msg),
				  "[%s] %s example '%s': %s", s->s.kind, keys[k].k.key, keys[k].example,
				  msg);
			doc_set(d, s->s.kind, item_name(s), keys[k].k.key, keys[k].example);
		}
	}
	doc_set(d, "step", "rebind", "status", "done");
	cr_assert(answers_save(d, path, &err), "%s", err.msg);
	back = answers_load(path, &err);
	cr_assert_not_null(back, "%s", err.msg);
	text = slurp(path);
	at = text;
	for (size_t i = 0; i < n_settings_sections; i++) {
		const struct settings_section *s = &settings_sections[i];
		size_t nk;
		const struct settings_key *keys = schema_section_keys(s->s.kind, &nk);
		char *head = item_name(s) ? xasprintf("\n[%s \"%s\"]\n", s->s.kind, item_name(s))
					  : xasprintf("\n[%s]\n", s->s.kind);

		at = strstr(at, head);
		cr_assert_not_null(at, "%s missing or out of the schema's order in:\n%s", head, text);
		for (size_t k = 0; k < nk; k++) {
			char *line = xasprintf("\n%s = ", keys[k].k.key);

			cr_assert_str_eq(doc_get(back, s->s.kind, item_name(s), keys[k].k.key),
					 keys[k].example);
			at = strstr(at, line);
			cr_assert_not_null(at, "[%s] %s missing or out of order in:\n%s", s->s.kind,
					   keys[k].k.key, text);
			free(line);
		}
		free(head);
	}
	cr_assert_null(strstr(text, "[step"), "progress is not an answer");
	free(text);
	doc_free(back);
	doc_free(d);
	free(path);
}

/* [compare] exact and schemas: accepted, validated, and kept by an answers
 * file and a state file. */
Test(schema, compare_exact_and_schemas_round_trip)
{
	char *path = xasprintf("%s/rd.ini", tmpdir), *spath = xasprintf("%s/st.ini", tmpdir);
	struct state_error err;
	struct doc *back;
	struct state *st;
	char msg[512];
	FILE *f;

	cr_assert(settings_validate("compare", NULL, "exact", "no", msg, sizeof msg), "%s", msg);
	cr_assert(settings_validate("compare", NULL, "exact", "yes", msg, sizeof msg), "%s", msg);
	cr_assert_not(settings_validate("compare", NULL, "exact", "maybe", msg, sizeof msg));
	cr_assert(strstr(msg, "yes or no"), "%s", msg);
	cr_assert(schema_bool("no", true) == false && schema_bool("false", true) == false &&
		  schema_bool("0", true) == false);
	cr_assert(schema_bool("yes", false) && schema_bool(NULL, true) && schema_bool("", true));

	f = fopen(path, "w");
	cr_assert_not_null(f);
	fputs("[compare]\nold = service=shop-old\nnew = service=shop-new\n"
	      "schemas = \"Sales Dept\", hr\nexact = no\n", f);
	fclose(f);
	back = answers_load(path, &err);
	cr_assert_not_null(back, "%s", err.msg);
	cr_assert_str_eq(doc_get(back, "compare", NULL, "exact"), "no");
	cr_assert(answers_save(back, path, &err), "%s", err.msg);
	doc_free(back);
	back = answers_load(path, &err);
	cr_assert_not_null(back, "%s", err.msg);
	cr_assert_str_eq(doc_get(back, "compare", NULL, "exact"), "no");
	cr_assert_str_eq(doc_get(back, "compare", NULL, "schemas"), "\"Sales Dept\", hr");

	st = state_open(spath, &err);
	cr_assert_not_null(st, "%s", err.msg);
	state_set_runbook(st, "restore-database");
	settings_merge(st->doc, back);
	cr_assert(state_save(st, &err), "%s", err.msg);
	state_close(st);
	doc_free(back);
	st = state_open_readonly(spath, &err);
	cr_assert_not_null(st, "%s", err.msg);
	cr_assert_str_eq(doc_get(st->doc, "compare", NULL, "exact"), "no");
	cr_assert_str_eq(doc_get(st->doc, "compare", NULL, "schemas"), "\"Sales Dept\", hr");
	state_close(st);

	f = fopen(path, "w");
	cr_assert_not_null(f);
	fputs("[compare]\nold = service=shop-old\nexact = maybe\n", f);
	fclose(f);
	cr_assert_null(answers_load(path, &err));
	cr_assert_eq(err.where.line, 3, "%s", err.msg);
	cr_assert(strstr(err.msg, "yes or no"), "%s", err.msg);
	free(path);
	free(spath);
}

/* [endpoint "platform"], "session" and "log" (the Configuration Tool's
 * tabs); another name is refused; an older file's unnamed [endpoint] loads
 * as [endpoint "platform"] (a state file resumes: the procedure's ticks
 * kept, the old check results moved to the platform's, stale until run
 * again), and both at once are refused. */
Test(schema, endpoint_named_per_database_and_old_files_resume)
{
	char *path = xasprintf("%s/ec.ini", tmpdir);
	struct state_error err;
	struct state *st;
	struct check_record rec;
	char msg[512];
	FILE *f;

	cr_assert(settings_validate("endpoint", "log", NULL, NULL, msg, sizeof msg), "%s", msg);
	cr_assert(settings_validate("endpoint", "session", "new", "db:1433", msg, sizeof msg), "%s", msg);
	cr_assert_not(settings_validate("endpoint", "cache", NULL, NULL, msg, sizeof msg));
	cr_assert(strstr(msg, "platform, session, log"), "%s", msg);

	f = fopen(path, "w");
	cr_assert_not_null(f);
	fputs("[osmigrate]\nversion = 1\nrunbook = endpoint-change\ncurrent = servers\n\n"
	      "[endpoint]\nold = sql-old:1433\nnew = sql-new:1433\n\n"
	      "[step \"endpoints\"]\nstatus = done\n\n"
	      "[check \"endpoint_new\"]\nstatus = ok\nat = 2026-11-22T04:31:00Z\n"
	      "label = new database endpoint sql-new:1433\nsummary = ok\n"
	      "settings_digest = 0123456789abcdef\n", f);
	fclose(f);
	cr_assert_eq(chmod(path, 0600), 0);
	st = state_open(path, &err);
	cr_assert_not_null(st, "%s", err.msg);
	cr_expect_str_eq(doc_get(st->doc, "endpoint", "platform", "old"), "sql-old:1433");
	cr_expect_str_eq(doc_get(st->doc, "endpoint", "platform", "new"), "sql-new:1433");
	cr_expect_not(doc_has_section(st->doc, "endpoint", NULL));
	cr_expect_str_eq(state_current(st), "servers");
	cr_expect_eq(state_step_status(st, "endpoints"), STEP_DONE);
	cr_expect_not(doc_has_section(st->doc, "check", "endpoint_new"));
	cr_assert(check_result_load(st->doc, "endpoint_new:platform", &rec));
	cr_expect_eq(rec.freshness, CHECK_STALE);
	/* saved and read again: the new spelling */
	doc_set(st->doc, "step", "servers", "status", "in-progress");
	cr_assert(state_save(st, &err), "%s", err.msg);
	state_close(st);
	st = state_open_readonly(path, &err);
	cr_assert_not_null(st, "%s", err.msg);
	cr_expect_str_eq(doc_get(st->doc, "endpoint", "platform", "new"), "sql-new:1433");
	state_close(st);

	f = fopen(path, "w");
	cr_assert_not_null(f);
	fputs("[osmigrate]\nversion = 1\n\n[endpoint]\nold = a:1\n\n"
	      "[endpoint \"platform\"]\nold = b:1\n", f);
	fclose(f);
	cr_assert_null(state_open(path, &err));
	cr_expect(strstr(err.msg, "older spelling"), "%s", err.msg);
	free(path);
}

/* What each check declares it reads is in the schema, and its runbook uses
 * those sections: a check of a runbook reads nothing the runbook's
 * settings screen does not show. */
Test(schema, check_dependencies_are_in_the_schema)
{
	for (size_t i = 0; i < n_check_infos; i++) {
		const struct check_info *c = &check_infos[i];

		for (size_t j = 0; j < CHECK_MAX_DEPS && c->deps[j].kind; j++) {
			const struct check_dep *dep = &c->deps[j];
			const struct settings_section *s = schema_find_section(dep->kind);
			char msg[512];

			if (!s) {
				/* a form value the operator typed: [step "ID"] field.NAME */
				const struct runbook *rb = runbook_find(c->runbook);
				const struct rb_step *step;
				bool found = false;

				cr_assert_str_eq(dep->kind, "step", "%s reads unknown [%s]", c->id, dep->kind);
				cr_assert_not_null(dep->name, "%s: a step dependency names its step", c->id);
				step = runbook_step(rb, dep->name);
				cr_assert_not_null(step, "%s reads a step %s has not", c->id, c->runbook);
				cr_assert(dep->key && str_startswith(dep->key, "field."), "%s", c->id);
				cr_assert(settings_validate("step", dep->name, dep->key, "x", msg, sizeof msg),
					  "%s: %s", c->id, msg);
				for (size_t f = 0; f < step->n_fields; f++)
					found |= str_eq(step->fields[f].id, dep->key + strlen("field."));
				cr_assert(found, "%s reads %s, not a field of step %s", c->id, dep->key,
					  dep->name);
				continue;
			}
			if (dep->key)
				cr_assert_not_null(schema_find_key(dep->kind, dep->key),
						   "%s reads [%s] %s, not in the schema", c->id, dep->kind,
						   dep->key);
			cr_assert(!dep->item || schema_is_inventory(s) || s->s.naming == NAMED_FIXED,
				  "%s: an item dependency on [%s], not an inventory", c->id, dep->kind);
			cr_assert(schema_used_by(s, c->runbook),
				  "%s (%s) reads [%s], which the schema does not list for %s", c->id,
				  c->runbook, dep->kind, c->runbook);
		}
	}
}

/* A runbook shows an inventory on its settings screen exactly when one of
 * its steps goes through that inventory's items. */
Test(schema, runbook_inventories)
{
	for (size_t r = 0; r < n_runbooks; r++) {
		const struct runbook *rb = runbooks[r];

		for (size_t i = 0; i < n_settings_sections; i++) {
			const struct settings_section *s = &settings_sections[i];
			bool iterated = false;

			if (!schema_is_inventory(s))
				continue;
			for (size_t k = 0; k < rb->n_steps; k++)
				iterated |= str_eq(item_kind_section(rb->steps[k].items), s->s.kind);
			cr_assert_eq(schema_used_by(s, rb->id), iterated,
				     "[%s] for %s: the schema says %s, the steps say %s", s->s.kind, rb->id,
				     schema_used_by(s, rb->id) ? "used" : "unused",
				     iterated ? "used" : "unused");
		}
		for (size_t k = 0; k < rb->n_steps; k++) {
			const char *kind = item_kind_section(rb->steps[k].items);

			if (kind)
				cr_assert(schema_is_inventory(schema_find_section(kind)), "[%s]", kind);
		}
	}
}

/* pg_spec_from_doc hands the keys of [target] and [source] to libpq as
 * keywords (conninfo aside): each must be one libpq knows. */
Test(schema, connection_keys_are_libpq_keywords)
{
	static const char *const conns[] = { "target", "source" };
	PQconninfoOption *defs = PQconndefaults();

	cr_assert_not_null(defs);
	for (size_t c = 0; c < OSM_ARRAY_LEN(conns); c++) {
		size_t nk;
		const struct settings_key *keys = schema_section_keys(conns[c], &nk);

		cr_assert_gt(nk, 0, "[%s] has no keys", conns[c]);
		for (size_t k = 0; k < nk; k++) {
			bool known = false;

			if (keys[k].k.type == V_CONNINFO)
				continue;
			for (PQconninfoOption *o = defs; o->keyword; o++)
				known |= str_eq(o->keyword, keys[k].k.key);
			cr_assert(known, "[%s] %s is not a libpq keyword", conns[c], keys[k].k.key);
		}
	}
	PQconninfoFree(defs);
}

/* Every "section", X, "key" of the code (doc_get, doc_set, seed_set ...)
 * with a settings section names a key of that section in the schema. */
static size_t scan_file(const char *path, const regex_t *re, struct strbuf *bad)
{
	char *text = slurp(path);
	regmatch_t m[3];
	size_t found = 0;

	for (const char *p = text; regexec(re, p, 3, m, 0) == 0; p += m[0].rm_eo) {
		char *kind = xstrndup(p + m[1].rm_so, (size_t)(m[1].rm_eo - m[1].rm_so));
		char *key = xstrndup(p + m[2].rm_so, (size_t)(m[2].rm_eo - m[2].rm_so));

		if (schema_find_section(kind)) {
			found++;
			if (!schema_find_key(kind, key))
				sb_addf(bad, "%s: [%s] %s is not in the schema\n", path, kind, key);
		}
		free(kind);
		free(key);
	}
	free(text);
	return found;
}

/* Every .c file under dir, subfolders included (src/ has one per layer). */
static void scan_dir(const char *dir, const regex_t *re, struct strbuf *bad, size_t *files,
		     size_t *found)
{
	DIR *dp = opendir(dir);
	struct dirent *e;

	cr_assert_not_null(dp, "%s", dir);
	while ((e = readdir(dp)) != NULL) {
		size_t n = strlen(e->d_name);
		char *path;
		struct stat sb;

		if (e->d_name[0] == '.')
			continue;
		path = xasprintf("%s/%s", dir, e->d_name);
		if (stat(path, &sb) == 0 && S_ISDIR(sb.st_mode)) {
			scan_dir(path, re, bad, files, found);
		} else if (n > 2 && strcmp(e->d_name + n - 2, ".c") == 0 &&
			   !str_eq(e->d_name, "schema.c")) {
			(*files)++;
			*found += scan_file(path, re, bad);
		}
		free(path);
	}
	closedir(dp);
}

Test(schema, code_reads_only_schema_keys)
{
	static const char *const dirs[] = { "src", "screens" };
	struct strbuf bad = STRBUF_INIT;
	size_t found = 0, files = 0;
	regex_t re;

	cr_assert_eq(regcomp(&re, "\"([a-z_]+)\",[[:space:]]*[^,;(){}\"]+,[[:space:]]*\"([a-z_.]+)\"",
			     REG_EXTENDED), 0);
	for (size_t i = 0; i < OSM_ARRAY_LEN(dirs); i++) {
		char *dir = xasprintf("%s/%s", srcdir(), dirs[i]);

		scan_dir(dir, &re, &bad, &files, &found);
		free(dir);
	}
	regfree(&re);
	/* the scan sees every source file and the readers: doc_get(d, "compare", NULL, "old") ... */
	cr_assert_geq(files, 40, "only %zu source files found under %s", files, srcdir());
	cr_assert_geq(found, 20, "only %zu section/key pairs found: is the pattern right?", found);
	cr_assert_eq(bad.len, 0, "%s", sb_str(&bad));
	sb_free(&bad);
}

/* ---- the man page and the README ----------------------------------- */

/* Documented keys: "kind key" lines in doc. */
static void documented(struct strbuf *doc, const char *kind, const char *key)
{
	sb_addf(doc, "%s %s\n", kind, key);
}

static bool is_documented(const char *doc, const char *kind, const char *key)
{
	char *line = xasprintf("\n%s %s\n", kind, key);
	char *probe = xasprintf("\n%s", doc);
	bool r = strstr(probe, line) != NULL;

	free(line);
	free(probe);
	return r;
}

/* Every key of the schema is documented for its section, and every
 * documented one is in the schema. */
static void hold_against_schema(const char *what, const char *doc, const char *sections,
				bool every_key_of_keys_of)
{
	for (size_t i = 0; i < n_settings_sections; i++) {
		const struct settings_section *s = &settings_sections[i];
		size_t nk;
		const struct settings_key *keys = schema_section_keys(s->s.kind, &nk);

		cr_assert(word_in(s->s.kind, sections), "%s does not document [%s]", what, s->s.kind);
		if (s->keys_of && !every_key_of_keys_of)
			continue;
		for (size_t k = 0; k < nk; k++)
			cr_assert(is_documented(doc, s->s.kind, keys[k].k.key),
				  "%s does not document [%s] %s", what, s->s.kind, keys[k].k.key);
	}
	for (const char *p = doc; *p;) {
		char kind[64], key[64];

		cr_assert_eq(sscanf(p, "%63s %63s", kind, key), 2);
		cr_assert_not_null(schema_find_section(kind), "%s documents unknown section [%s]", what,
				   kind);
		cr_assert_not_null(schema_find_key(kind, key), "%s documents [%s] %s, not in the schema",
				   what, kind, key);
		p = strchr(p, '\n') + 1;
	}
}

/* The runbooks of a section as the man page gives them: the same set. */
static void same_runbooks(const char *kind, const char *documented)
{
	const struct settings_section *s = schema_find_section(kind);

	cr_assert_not_null(s, "man/osmigrate.1 documents unknown section [%s]", kind);
	for (size_t r = 0; r < n_runbooks; r++)
		cr_assert_eq(word_in(runbooks[r]->id, documented), schema_used_by(s, runbooks[r]->id),
			     "man/osmigrate.1: [%s] %s %s, the schema says otherwise", kind,
			     word_in(runbooks[r]->id, documented) ? "lists" : "does not list",
			     runbooks[r]->id);
}

/* man/osmigrate.1, SETTINGS: each ".It Xo" ... ".Xc" names sections
 * ("[kind]") and the runbooks that use them; the words of the ".Cm" lines
 * that follow are their keys (the page says so in a comment; values are
 * written with other macros).  The sections come in the schema's order. */
Test(schema, man_page_documents_the_schema)
{
	char *path = xasprintf("%s/man/osmigrate.1", srcdir());
	char *text = slurp(path), *start, *end, *line, *save = NULL;
	struct strbuf doc = STRBUF_INIT, sections = STRBUF_INIT, current = STRBUF_INIT,
		      rbs = STRBUF_INIT;
	bool head = false;
	size_t next = 0;

	start = strstr(text, "\n.Sh SETTINGS\n");
	cr_assert_not_null(start, "no SETTINGS section in %s", path);
	start += strlen("\n.Sh SETTINGS\n");
	end = strstr(start, "\n.Sh ");
	cr_assert_not_null(end);
	*end = '\0';
	for (line = strtok_r(start, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		if (str_eq(line, ".It Xo")) {
			head = true;
			sb_reset(&current);
			sb_reset(&rbs);
			continue;
		}
		if (head && str_eq(line, ".Xc")) {
			head = false;
			cr_assert_gt(current.len, 0, "an item without a [section]");
			for (const char *c = sb_str(&current); *c;) {
				size_t cn = strcspn(c, " ");
				char *kind = xstrndup(c, cn);

				same_runbooks(kind, sb_str(&rbs));
				/* in the schema's order */
				while (next < n_settings_sections &&
				       !str_eq(settings_sections[next].s.kind, kind))
					next++;
				cr_assert_lt(next, n_settings_sections, "man/osmigrate.1: [%s] is out of "
					     "the schema's order", kind);
				free(kind);
				c += cn;
				c += strspn(c, " ");
			}
			continue;
		}
		if (head) {
			for (const char *b = strchr(line, '['); b; b = strchr(b + 1, '[')) {
				size_t n = strspn(b + 1, "abcdefghijklmnopqrstuvwxyz_");

				sb_addn(&current, b + 1, n);
				sb_addc(&current, ' ');
				sb_addn(&sections, b + 1, n);
				sb_addc(&sections, ' ');
			}
			for (size_t r = 0; r < n_runbooks; r++)
				if (strstr(line, runbooks[r]->id))
					sb_addf(&rbs, "%s ", runbooks[r]->id);
			continue;
		}
		cr_assert(!str_startswith(line, ".It "), "an item not written .It Xo: %s", line);
		if (!str_startswith(line, ".Cm "))
			continue;
		cr_assert_gt(current.len, 0, "a .Cm line before any section: %s", line);
		for (char *w = line + 4; *w;) {
			size_t n = strspn(w, "abcdefghijklmnopqrstuvwxyz_0123456789");

			if (n) {
				char *key = xstrndup(w, n);

				for (const char *c = sb_str(&current); *c;) {
					size_t cn = strcspn(c, " ");
					char *kind = xstrndup(c, cn);

					documented(&doc, kind, key);
					free(kind);
					c += cn;
					c += strspn(c, " ");
				}
				free(key);
				w += n;
			} else {
				w++;
			}
		}
	}
	hold_against_schema("man/osmigrate.1 SETTINGS", sb_str(&doc), sb_str(&sections), true);
	free(text);

	/* The inventory import (KEYS): each list's columns. */
	text = slurp(path);
	for (size_t i = 0; i < n_settings_sections; i++) {
		const struct settings_section *s = &settings_sections[i];
		struct strbuf cols = STRBUF_INIT;
		size_t nk;
		const struct settings_key *keys = schema_section_keys(s->s.kind, &nk);

		if (!schema_is_inventory(s))
			continue;
		sb_addf(&cols, "\n%s: name", s->s.kind);
		for (size_t k = 0; k < nk; k++)
			sb_addf(&cols, ", %s", keys[k].k.key);
		cr_assert(strstr(text, sb_str(&cols)), "man/osmigrate.1 does not give the import "
			  "columns '%s'", sb_str(&cols) + 1);
		sb_free(&cols);
	}
	free(text);
	sb_free(&doc);
	sb_free(&sections);
	sb_free(&current);
	sb_free(&rbs);
	free(path);
}

/* README.md: the ini example that starts with [osmigrate] loads as an
 * answers file, shows every section, and documents (as "key = " or as a
 * commented "; key = " line) every key of the schema and no other. */
Test(schema, readme_example_documents_the_schema)
{
	char *path = xasprintf("%s/README.md", srcdir());
	char *text = slurp(path), *start, *end, *line, *save = NULL, *ini;
	struct strbuf doc = STRBUF_INIT, sections = STRBUF_INIT;
	char kind[64] = "";
	struct state_error err;
	struct doc *d;
	FILE *f;

	start = strstr(text, "```ini\n[osmigrate]\n");
	cr_assert_not_null(start, "no settings example in README.md");
	start += strlen("```ini\n");
	end = strstr(start, "\n```");
	cr_assert_not_null(end);
	end[1] = '\0';
	ini = xasprintf("%s/readme.ini", tmpdir);
	f = fopen(ini, "w");
	cr_assert_not_null(f);
	fputs(start, f);
	fclose(f);
	d = answers_load(ini, &err);
	cr_assert_not_null(d, "README.md's example: %s", err.msg);
	doc_free(d);
	for (line = strtok_r(start, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		const char *p = line;
		size_t n;

		if (*p == '[') {
			n = strspn(p + 1, "abcdefghijklmnopqrstuvwxyz_");
			snprintf(kind, sizeof kind, "%.*s", (int)n, p + 1);
			if (schema_find_section(kind))
				sb_addf(&sections, "%s ", kind);
			continue;
		}
		if (str_eq(kind, "osmigrate"))
			continue;
		if (*p == ';')
			p += 1 + strspn(p + 1, " ");
		n = strspn(p, "abcdefghijklmnopqrstuvwxyz_");
		if (n && strncmp(p + n, " = ", 3) == 0) {
			char *key = xstrndup(p, n);

			documented(&doc, kind, key);
			free(key);
		}
	}
	hold_against_schema("README.md's example", sb_str(&doc), sb_str(&sections), false);
	sb_free(&doc);
	sb_free(&sections);
	free(ini);
	free(text);
	free(path);
}

/* A section that only fills a runbook's inventories (seeds_for) is read by
 * no check of that runbook: its change record leaves it out. */
Test(schema, seeds_only_sections_are_read_by_no_check)
{
	for (size_t i = 0; i < n_settings_sections; i++) {
		const struct settings_section *s = &settings_sections[i];

		for (size_t r = 0; r < n_runbooks; r++) {
			const char *rb = runbooks[r]->id;

			if (schema_recorded_for(s, rb) || !schema_used_by(s, rb))
				continue;
			for (size_t c = 0; c < n_check_infos; c++) {
				if (!str_eq(check_infos[c].runbook, rb))
					continue;
				for (size_t d = 0; d < CHECK_MAX_DEPS && check_infos[c].deps[d].kind; d++)
					cr_assert_str_neq(check_infos[c].deps[d].kind, s->s.kind,
							  "%s of %s reads [%s], which only seeds it",
							  check_infos[c].id, rb, s->s.kind);
			}
		}
	}
	cr_assert_not(schema_recorded_for(schema_find_section("lifetime"), "endpoint-change"));
	cr_assert(schema_recorded_for(schema_find_section("lifetime"), "connector-migration"));
	cr_assert(schema_recorded_for(schema_find_section("lifetime"), NULL));
}
