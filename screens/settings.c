/* settings.c - the settings the operator gives: connections, LifeTime,
 * scope, and the inventories (extensions, consumers, environments,
 * servers) the per-item checklists iterate over.  Values are checked with
 * settings_validate, the same rules as the state/answers parser, so the
 * screen can never write a file the program would refuse to read back.
 * No password or token is ever asked here: they come from .pgpass,
 * services, the environment, or the no-echo prompt when a check needs one. */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "http.h"
#include "lifetime.h"
#include "import.h"
#include "journal.h"
#include "schema.h"
#include "screens.h"

/* The groups of the screen are the settings sections of the schema
 * (schema.h), in its order, with its labels and help; a runbook shows the
 * sections the schema says it uses. */
#define each_group(g) \
	for (const struct settings_section *g = settings_sections; \
	     g < settings_sections + n_settings_sections; g++)

static bool group_used(const struct app *a, const struct settings_section *g)
{
	return schema_used_by(g, a->rb ? a->rb->id : NULL);
}

enum skind { K_HEAD, K_VALUE, K_ITEM, K_ADD };
struct starget {
	enum skind kind;
	const struct settings_section *g;
	const struct settings_key *k;
	char *name;          /* item name (owned) */
};

struct settings_screen {
	struct starget *t;
	size_t nt, cap;
	int sel, top;
	char *focus_kind, *focus_name;  /* select this item at the next build */
	/* what the targets were built for: rebuilt (every item of every
	 * inventory) only when the document or the runbook changed */
	unsigned long long gen;
	const struct runbook *rb;
	bool built;
	char *help;          /* the help text (the schema's inventories in it) */
};

/* Select [kind "name"] at the next build (an item just added, renamed
 * or seeded). */
static void focus(struct settings_screen *ss, const char *kind, const char *name)
{
	free(ss->focus_kind);
	free(ss->focus_name);
	ss->focus_kind = xstrdup(kind);
	ss->focus_name = xstrdup(name);
}

static void clear_targets(struct settings_screen *ss)
{
	for (size_t i = 0; i < ss->nt; i++)
		free(ss->t[i].name);
	ss->nt = 0;
}

static void add(struct settings_screen *ss, enum skind kind, const struct settings_section *g,
		const struct settings_key *k, const char *name)
{
	if (ss->nt == ss->cap)
		ss->t = xreallocarray(ss->t, ss->cap = ss->cap * 2 + 32, sizeof *ss->t);
	ss->t[ss->nt++] = (struct starget){ kind, g, k, name ? xstrdup(name) : NULL };
}

static void clamp_sel(struct settings_screen *ss)
{
	cursor_clamp(&ss->sel, (int)ss->nt);
	while (ss->sel < (int)ss->nt - 1 && ss->t[ss->sel].kind == K_HEAD)
		ss->sel++;
}

static void build(struct settings_screen *ss, struct app *a)
{
	if (ss->built && !ss->focus_name && ss->gen == doc_generation(a->st->doc) && ss->rb == a->rb) {
		clamp_sel(ss);
		return;
	}
	ss->built = true;
	ss->gen = doc_generation(a->st->doc);
	ss->rb = a->rb;
	clear_targets(ss);
	each_group(g) {
		size_t nk;
		const struct settings_key *keys = schema_section_keys(g->s.kind, &nk);

		if (!group_used(a, g))
			continue;
		add(ss, K_HEAD, g, NULL, NULL);
		if (g->s.naming == NAMED_FIXED) {
			/* [endpoint "platform"], "session", "log": each name's keys */
			size_t nn;
			const struct schema_name *nm = schema_names_of(g->s.kind, &nn);

			for (size_t j = 0; j < nn; j++)
				for (size_t k = 0; k < nk; k++)
					add(ss, K_VALUE, g, &keys[k], nm[j].name);
			continue;
		}
		if (!schema_is_inventory(g)) {
			for (size_t k = 0; k < nk; k++)
				add(ss, K_VALUE, g, &keys[k], NULL);
			continue;
		}
		{
			size_t n;
			const char **names = doc_section_names(a->st->doc, g->s.kind, &n);

			for (size_t j = 0; j < n; j++)
				add(ss, K_ITEM, g, NULL, names[j]);
			free(names);
		}
		add(ss, K_ADD, g, NULL, NULL);
	}
	if (ss->focus_name) {
		for (size_t i = 0; i < ss->nt; i++)
			if (ss->t[i].kind == K_ITEM && str_eq(ss->t[i].g->s.kind, ss->focus_kind) &&
			    str_eq(ss->t[i].name, ss->focus_name))
				ss->sel = (int)i;
		free(ss->focus_name);
		free(ss->focus_kind);
		ss->focus_name = ss->focus_kind = NULL;
	}
	clamp_sel(ss);
}

static void settings_enter(struct app *a, void *data)
{
	struct settings_screen *ss = data;

	ss->sel = 0;
	ss->top = 0;
	build(ss, a);
}

static char *describe_item(const struct app *a, const struct starget *t)
{
	struct strbuf sb = STRBUF_INIT;

	size_t nk;
	const struct settings_key *keys = schema_section_keys(t->g->s.kind, &nk);

	sb_addf(&sb, "%s", t->name);
	for (size_t k = 0; k < nk; k++) {
		const char *v = doc_get(a->st->doc, t->g->s.kind, t->name, keys[k].k.key);

		if (!str_empty(v))
			sb_addf(&sb, "  %s=%s", keys[k].k.key, v);
	}
	return sb_detach(&sb);
}

static void settings_draw(struct app *a, void *data, WINDOW *w)
{
	struct settings_screen *ss = data;
	int h = getmaxy(w), wd = getmaxx(w);

	build(ss, a);
	if (ss->sel < ss->top)
		ss->top = ss->sel;
	if (ss->sel >= ss->top + h)
		ss->top = ss->sel - h + 1;
	if (ss->sel <= 1)
		ss->top = 0;
	for (int y = 0; y < h && ss->top + y < (int)ss->nt; y++) {
		const struct starget *t = &ss->t[ss->top + y];
		bool sel = ss->top + y == ss->sel;
		char *line;
		enum ui_attr at = UI_NORMAL;

		switch (t->kind) {
		case K_HEAD:
			line = xstrdup(t->g->title);
			at = UI_HEAD;
			break;
		case K_VALUE: {
			const char *v = doc_get(a->st->doc, t->g->s.kind, t->name, t->k->k.key);
			char *label = t->name ? xasprintf("%s %s", t->name, t->k->label)
					      : xstrdup(t->k->label);

			line = xasprintf("  %-16s %s", label, str_empty(v) ? "(not set)" : v);
			free(label);
			break;
		}
		case K_ITEM: {
			char *d = describe_item(a, t);

			line = xasprintf("  %s", d);
			free(d);
			break;
		}
		case K_ADD:
		default:
			line = xasprintf("  + add %s", t->g->s.kind);
			at = UI_DIM;
			break;
		}
		if (sel)
			at = UI_SELECT;
		mvwaddstr(w, y, 0, sel ? ">" : " ");
		wattron(w, ui_attr(at));
		if (sel)
			mvwhline(w, y, 2, ' ', wd - 2);
		ui_put_cut(w, y, 2, line, wd - 2);
		wattroff(w, ui_attr(at));
		free(line);
	}
}

/* A value as the parser would take it (an empty one clears the key). */
struct value_check {
	const char *kind;
	const char *name;
	const char *key;
};

static bool check_value(void *ud, const char *text, char *why, size_t len)
{
	const struct value_check *vc = ud;
	char *v = str_trim(xstrdup(text));
	bool ok = str_empty(v) || settings_validate(vc->kind, vc->name, vc->key, v, why, len);

	free(v);
	return ok;
}

/* Prompt for one value until it validates or the operator gives up (Esc):
 * a refused value stays in the box with the reason. */
static int ask_value(struct app *a, const char *kind, const char *name,
		     const struct settings_key *k, char **out)
{
	char *title = xasprintf("[%s%s%s] %s", kind, name ? " " : "", name ? name : "", k->label);
	struct value_check vc = { kind, name, k->k.key };
	struct prompt p = { .title = title, .explain = k->help,
			    .initial = doc_get(a->st->doc, kind, name, k->k.key),
			    .maxlen = TUI_FIELD_MAX, .check = check_value, .check_ud = &vc };
	int r = dialog_edit(&a->redraw, &p, out);

	if (r == 1)
		str_trim(*out);
	free(title);
	return r;
}

static void store(struct app *a, const char *kind, const char *name, const char *key,
		  const char *v)
{
	char *res;

	if (str_empty(v))
		doc_unset(a->st->doc, kind, name, key);
	else
		doc_set(a->st->doc, kind, name, key, v);
	res = xasprintf("[%s%s%s] %s %s", kind, name ? " " : "", name ? name : "", key,
			str_empty(v) ? "cleared" : "set");
	if (app_commit(a, NULL, NULL, "settings", res))
		app_message(a, false, "saved: %s", res);
	free(res);
}

static int edit_item(struct app *a, const struct settings_section *g, const char *name)
{
	size_t nk;
	const struct settings_key *keys = schema_section_keys(g->s.kind, &nk);

	for (size_t k = 0; k < nk; k++) {
		char *v = NULL;
		int r = ask_value(a, g->s.kind, name, &keys[k], &v);

		if (r == 1)
			store(a, g->s.kind, name, keys[k].k.key, v);
		free(v);
		if (r != 1)
			break;
	}
	return R_REDRAW;
}

/* A new name for an item of kind: accepted when settings_validate takes
 * it and no other item has it (the item's own name is fine: nothing to do). */
struct name_check {
	struct app *a;
	const char *kind;
	const char *own;
};

static bool check_name(void *ud, const char *text, char *why, size_t len)
{
	const struct name_check *nc = ud;
	char *name = str_trim(xstrdup(text));
	bool ok = true;

	if (str_empty(name)) {
		snprintf(why, len, "a name is needed");
		ok = false;
	} else if (!settings_validate(nc->kind, name, NULL, NULL, why, len)) {
		ok = false;
	} else if (!str_eq(name, nc->own) && doc_has_section(nc->a->st->doc, nc->kind, name)) {
		snprintf(why, len, "%s '%s' exists already", nc->kind, name);
		ok = false;
	}
	free(name);
	return ok;
}

static char *name_explain(void)
{
	return xasprintf("The name as Service Center / LifeTime shows it, at most %d bytes.",
			 STATE_NAME_MAX);
}

static int add_item(struct settings_screen *ss, struct app *a, const struct settings_section *g)
{
	char *name = NULL, *title = xasprintf("New %s: name", g->s.kind), *explain = name_explain();
	struct name_check nc = { a, g->s.kind, NULL };
	struct prompt p = { .title = title, .explain = explain, .maxlen = STATE_NAME_MAX,
			    .check = check_name, .check_ud = &nc };
	int r = dialog_edit(&a->redraw, &p, &name);

	free(title);
	free(explain);
	if (r == 1) {
		char *res;

		str_trim(name);
		res = xasprintf("added %s %s", g->s.kind, name);
		doc_add_section(a->st->doc, g->s.kind, name);
		app_commit(a, NULL, NULL, "settings", res);
		free(res);
		focus(ss, g->s.kind, name);
		edit_item(a, g, name);
	}
	free(name);
	return R_REDRAW;
}

static int remove_item(struct app *a, const struct starget *t)
{
	char *q = xasprintf("Remove %s '%s' from the settings? Its ticks and notes stay in "
			    "the state file. (y/n)", t->g->s.kind, t->name);
	int r = dialog_ask(&a->redraw, "Remove?", q, "ynYN");

	free(q);
	if (r == 'y' || r == 'Y') {
		char *res = xasprintf("removed %s %s", t->g->s.kind, t->name);

		doc_remove_section(a->st->doc, t->g->s.kind, t->name);
		if (app_commit(a, NULL, NULL, "settings", res))
			app_message(a, false, "%s", res);
		free(res);
	}
	return R_REDRAW;
}

static int import_items(struct app *a, const struct settings_section *g)
{
	char msg[1024], *path = NULL, *title = xasprintf("Import %s list from a file", g->s.kind);
	char *cols = import_columns(g->s.kind);
	struct strbuf ex = STRBUF_INIT;
	size_t added, updated;
	int r;

	sb_addf(&ex, "One per line: %s (CSV or tab separated; # comments). Path of the file:",
		cols ? cols : "name");
	free(cols);
	r = dialog_prompt(&a->redraw, title, sb_str(&ex), NULL, 4096, false, &path);
	free(title);
	sb_free(&ex);
	if (r != 1 || str_empty(str_trim(path))) {
		free(path);
		return R_REDRAW;
	}
	if (!import_inventory(a->st->doc, g->s.kind, path, &added, &updated, msg, sizeof msg)) {
		app_message(a, true, "nothing imported: %s", msg);
	} else {
		char *res = xasprintf("imported %zu %s%s from %s (%zu new, %zu updated)",
				      added + updated, g->s.kind, added + updated == 1 ? "" : "s",
				      path, added, updated);

		if (app_commit(a, NULL, NULL, "settings", res))
			app_message(a, false, "%s", res);
		free(res);
	}
	free(path);
	return R_REDRAW;
}

/* Copy every key of section i into [kind "to"] (added at the end). */
static void copy_section(struct doc *d, size_t i, const char *kind, const char *to)
{
	doc_add_section(d, kind, to);
	for (size_t k = 0; k < doc_nkeys(d, i); k++)
		doc_set(d, kind, to, doc_key(d, i, k), doc_value(d, i, k));
}

/* R: give an item its real name (a placeholder seeded from LifeTime, a
 * typo).  Its values move along, and so do its ticks and notes
 * ([item "STEP:NAME"]), so a renamed server keeps its progress. */
static int rename_item(struct settings_screen *ss, struct app *a, const struct starget *t)
{
	struct doc *d = a->st->doc;
	char *name = NULL, *old = xstrdup(t->name), *res, *explain = name_explain();
	char *title = xasprintf("Rename %s '%s' to", t->g->s.kind, t->name);
	struct name_check nc = { a, t->g->s.kind, old };
	struct prompt p = { .title = title, .explain = explain, .initial = t->name,
			    .maxlen = STATE_NAME_MAX, .check = check_name, .check_ud = &nc };
	int r = dialog_edit(&a->redraw, &p, &name);

	free(title);
	free(explain);
	if (r != 1 || str_eq(str_trim(name), old))
		goto out;
	for (size_t i = 0; i < doc_nsections(d); i++)
		if (str_eq(doc_section_kind(d, i), t->g->s.kind) &&
		    str_eq(doc_section_name(d, i), old)) {
			copy_section(d, i, t->g->s.kind, name);
			break;
		}
	doc_remove_section(d, t->g->s.kind, old);
	/* Progress sections of this item, one per step: collected first, as
	 * adding and removing sections moves the indexes. */
	{
		size_t ns = doc_nsections(d), n = 0;
		char **from = xcalloc(ns + 1, sizeof *from);

		for (size_t i = 0; i < ns; i++) {
			const char *sn = doc_section_name(d, i);
			const char *colon = sn ? strchr(sn, ':') : NULL;

			if (str_eq(doc_section_kind(d, i), "item") && colon && str_eq(colon + 1, old))
				from[n++] = xstrdup(sn);
		}
		for (size_t k = 0; k < n; k++) {
			size_t steplen = (size_t)(strchr(from[k], ':') - from[k]);
			char *to = xasprintf("%.*s:%s", (int)steplen, from[k], name);

			for (size_t i = 0; i < doc_nsections(d); i++)
				if (str_eq(doc_section_kind(d, i), "item") &&
				    str_eq(doc_section_name(d, i), from[k])) {
					if (!doc_has_section(d, "item", to))
						copy_section(d, i, "item", to);
					break;
				}
			doc_remove_section(d, "item", from[k]);
			free(to);
			free(from[k]);
		}
		free(from);
	}
	res = xasprintf("renamed %s %s to %s", t->g->s.kind, old, name);
	if (app_commit(a, NULL, NULL, "settings", res))
		app_message(a, false, "%s", res);
	free(res);
	focus(ss, t->g->s.kind, name);
out:
	free(old);
	free(name);
	return R_REDRAW;
}

/* ---- seeding from LifeTime (L) ---------------------------------------- */

/* Server placeholders added at most for one environment: a controller and
 * this many front-ends (a farm larger than that is entered by hand). */
#define SEED_MAX_FRONT_ENDS 1000

/* Add [kind "name"] unless it (or an invalid name) is there already. */
static bool seed_add(struct app *a, const char *kind, const char *name)
{
	char msg[512];

	if (!settings_validate(kind, name, NULL, NULL, msg, sizeof msg) ||
	    doc_has_section(a->st->doc, kind, name))
		return false;
	doc_add_section(a->st->doc, kind, name);
	return true;
}

static void seed_set(struct app *a, const char *kind, const char *name, const char *key,
		     const char *v)
{
	char msg[512];

	if (!str_empty(v) && settings_validate(kind, name, key, v, msg, sizeof msg))
		doc_set(a->st->doc, kind, name, key, v);
}

static void seed_environments(struct settings_screen *ss, struct app *a,
			      const struct lt_environment *e, size_t n)
{
	size_t nw = 0, added = 0, listed = 0, refused = 0, devs = 0;
	const char **have = doc_section_names(a->st->doc, "environment", &nw);
	char msg[512];
	const char *first = NULL, *dev = NULL;
	char *res;

	/* The seed migrates in "the development environment": LifeTime's one
	 * environment of type Development is where it was done, not a deploy
	 * target (migrated_here, shown and editable here).  Several: no guess. */
	for (size_t i = 0; i < n; i++)
		if (e[i].environment_type && strcasecmp(e[i].environment_type, "Development") == 0)
			devs++;
	for (size_t i = 0; i < n; i++) {
		bool found = false;

		if (str_empty(e[i].name) ||
		    !settings_validate("environment", e[i].name, NULL, NULL, msg, sizeof msg)) {
			refused++;
			continue;
		}
		/* Listed already under its name or its host name: left as it is. */
		for (size_t w = 0; w < nw && !found; w++) {
			const char *host = doc_get(a->st->doc, "environment", have[w], "hostname");

			found = strcasecmp(have[w], e[i].name) == 0 ||
				(!str_empty(host) && e[i].host_name &&
				 strcasecmp(host, e[i].host_name) == 0);
		}
		if (found || !seed_add(a, "environment", e[i].name)) {
			listed++;
			continue;
		}
		seed_set(a, "environment", e[i].name, "hostname", e[i].host_name);
		if (devs == 1 && e[i].environment_type &&
		    strcasecmp(e[i].environment_type, "Development") == 0) {
			seed_set(a, "environment", e[i].name, "migrated_here", "yes");
			dev = e[i].name;
		}
		if (!first)
			first = e[i].name;
		added++;
	}
	free(have);
	res = xasprintf("added %zu %s from LifeTime (%zu already listed, left as "
			"they were)%s%s%s%s", added, plural(added, "environment", "environments"),
			listed,
			dev ? "; " : "", dev ? dev : "",
			dev ? " is where the migration is done (migrated_here = yes): not a deploy "
			      "target" : "",
			refused ? "; some LifeTime names are not usable as names here: add those "
				  "with a" : "");
	if (added && first)
		focus(ss, "environment", first);
	if (!added)
		app_message(a, false, "%s", res);
	else if (app_commit(a, NULL, NULL, "settings", res))
		app_message(a, false, "%s", res);
	free(res);
}

static void seed_servers(struct settings_screen *ss, struct app *a,
			 const struct lt_environment *e, size_t n)
{
	const char **choices = xcalloc(n + 1, sizeof *choices);
	char **owned = xcalloc(n + 1, sizeof *owned);
	size_t added = 0, skipped = 0;
	long long fe;
	const char *host;
	char *first = NULL, *res;
	int pick;

	for (size_t i = 0; i < n; i++) {
		owned[i] = xasprintf("%s (%s, %lld front-end%s)", e[i].name ? e[i].name : "?",
				     e[i].host_name ? e[i].host_name : "no host name",
				     e[i].front_ends < 0 ? 0 : e[i].front_ends,
				     e[i].front_ends == 1 ? "" : "s");
		choices[i] = owned[i];
	}
	pick = dialog_pick(&a->redraw, "Add the servers of which LifeTime environment?", choices, 0);
	for (size_t i = 0; i < n; i++)
		free(owned[i]);
	free(owned);
	free(choices);
	if (pick < 0) {
		app_message(a, false, "no environment chosen: nothing added");
		return;
	}
	host = !str_empty(e[pick].host_name) ? e[pick].host_name : e[pick].name;
	fe = e[pick].front_ends < 0 ? 0 : e[pick].front_ends;
	/* Placeholders: LifeTime knows how many front-ends, not their names.
	 * The operator renames them and gives each a url. */
	for (long long k = 0; k <= fe && k <= SEED_MAX_FRONT_ENDS; k++) {
		char *name = k == 0 ? xasprintf("%s controller", host)
				    : xasprintf("%s front-end %lld", host, k);

		if (seed_add(a, "server", name)) {
			seed_set(a, "server", name, "role", k == 0 ? "controller" : "frontend");
			if (!first)
				first = xstrdup(name);
			added++;
		} else {
			skipped++;
		}
		free(name);
	}
	if (fe > SEED_MAX_FRONT_ENDS)
		res = xasprintf("LifeTime reports %lld front-ends for %s; placeholders stop at %d: "
				"added %zu server placeholders, a controller and front-ends 1-%d (%zu "
				"already there, left as they were); add the other %lld with a, give "
				"each its real name and url", fe, e[pick].name ? e[pick].name : host,
				SEED_MAX_FRONT_ENDS, added, SEED_MAX_FRONT_ENDS, skipped,
				fe - SEED_MAX_FRONT_ENDS);
	else
		res = xasprintf("added %zu server %s for %s: a controller and %lld "
				"%s (%zu already there, left as they were); give each its "
				"real name and url", added,
				plural(added, "placeholder", "placeholders"),
				e[pick].name ? e[pick].name : host, fe,
				plural((unsigned long long)fe, "front-end", "front-ends"), skipped);
	if (first)
		focus(ss, "server", first);
	free(first);
	/* Capped: shown whole (like an error), so the rest is not missed. */
	if (!added)
		app_message(a, fe > SEED_MAX_FRONT_ENDS, "%s", res);
	else if (app_commit(a, NULL, NULL, "settings", res))
		app_message(a, fe > SEED_MAX_FRONT_ENDS, "%s", res);
	free(res);
}

/* Add LifeTime's environments to the inventory kind, never touching
 * existing items; saves, journals and says how many. */
static void seed(struct settings_screen *ss, struct app *a, const char *kind,
		 const struct lt_environment *e, size_t n)
{
	if (n == 0) {
		app_message(a, true, "LifeTime lists no environments: nothing added. Give the "
			    "service account access to them, or add them with a");
		return;
	}
	if (str_eq(kind, "server"))
		seed_servers(ss, a, e, n);
	else
		seed_environments(ss, a, e, n);
}

/* LifeTime's environments, fetched in the worker (job.h) to seed the
 * inventory kind ("environment" or "server"). */
struct lifetime_job {
	struct settings_screen *ss;  /* where the seeded items get the cursor */
	char kind[16];
	struct lt_environment *envs;
	size_t n;
	bool ok;
	long status;                 /* HTTP status of a failed request, 0 if none */
	enum lt_setup setup;         /* what lifetime_open said */
	char msg[512], fix[1024];
};

static void lifetime_work(struct job *j, void *data)
{
	struct lifetime_job *l = data;
	struct lifetime lt;
	struct http_error e;
	enum lt_setup s;

	ctx_progress(&j->ctx, "asking LifeTime for its environments", 0, 0);
	s = lifetime_open(j->settings, &j->ctx, &lt, l->msg, sizeof l->msg, l->fix,
			  sizeof l->fix);
	l->setup = s;
	if (s != LT_READY) {
		if (s == LT_NOT_CONFIGURED) {
			snprintf(l->msg, sizeof l->msg, "[lifetime] is not configured");
			snprintf(l->fix, sizeof l->fix, "Set [lifetime] url in the settings.");
		}
		return;
	}
	memset(&e, 0, sizeof e);
	l->ok = lifetime_environments(&lt, &j->ctx, &l->envs, &l->n, &e);
	if (!l->ok) {
		l->status = e.status;
		snprintf(l->msg, sizeof l->msg, "%s", e.msg);
		snprintf(l->fix, sizeof l->fix, "%s",
			 e.fix[0] ? e.fix : "Check [lifetime] url and that LifeTime is up.");
	}
	lifetime_close(&lt);
}

static bool start_lifetime(struct settings_screen *ss, struct app *a, const char *kind);

/* LifeTime's answer: seed, or say why not.  A missing token is asked the
 * way a check's missing password is (dialog_secret), then the fetch runs
 * again by itself. */
static void lifetime_done(void *ud, struct job_end *end)
{
	struct app *a = ud;
	struct lifetime_job *l = end->data;

	if (end->quiet) {
		/* quitting: nothing to show */
	} else if (end->cancelled) {
		app_message(a, false, "LifeTime fetch cancelled: nothing added");
	} else if (l->ok) {
		seed(l->ss, a, l->kind, l->envs, l->n);
	} else if (l->setup == LT_NO_TOKEN && !a->secrets.lifetime_token) {
		char *pw = dialog_secret(&a->redraw, SECRET_LIFETIME_TOKEN, NULL);

		if (pw) {
			a->secrets.lifetime_token = pw;
			lt_environments_free(l->envs, l->n);
			start_lifetime(l->ss, a, l->kind);
			return;
		}
		app_message(a, true, "nothing added: no LifeTime token. %s", l->fix);
	} else {
		/* A refused token is forgotten, so the next L asks again (or
		 * reads OSMIGRATE_LIFETIME_TOKEN / token_file anew). */
		if (l->status == 401)
			secret_free(&a->secrets.lifetime_token);
		app_message(a, true, "nothing added: LifeTime: %s. %s", l->msg, l->fix);
	}
	lt_environments_free(l->envs, l->n);
}

static const struct job_ops lifetime_ops = { .work = lifetime_work, .done = lifetime_done };

/* False (with a message) when the worker is busy or could not start. */
static bool start_lifetime(struct settings_screen *ss, struct app *a, const char *kind)
{
	struct lifetime_job *l;

	if (job_running(&a->job)) {
		app_message(a, true, "the checks are running: wait for them (or Esc cancels "
			    "them), then press L again");
		return false;
	}
	l = xcalloc(1, sizeof *l);
	l->ss = ss;
	snprintf(l->kind, sizeof l->kind, "%s", kind);
	if (!app_job_start(a, &lifetime_ops, l))
		return false;
	app_message(a, false, "asking LifeTime for its environments: Esc cancels");
	return true;
}

static bool seedable(const struct settings_section *g)
{
	return schema_is_inventory(g) && (str_eq(g->s.kind, "environment") || str_eq(g->s.kind, "server"));
}

/* One of the runbook's groups that want(): the only one, else the one
 * picked (NULL: Esc, or none; *n gets how many there were). */
static const struct settings_section *pick_group(struct app *a,
						 bool (*want)(const struct settings_section *),
						 const char *question, int *n)
{
	const struct settings_section **inv = xcalloc(n_settings_sections, sizeof *inv);
	const char **names = xcalloc(n_settings_sections + 1, sizeof *names);
	const struct settings_section *g = NULL;
	int pick;

	*n = 0;
	each_group(gi)
		if (want(gi) && group_used(a, gi)) {
			inv[*n] = gi;
			names[(*n)++] = gi->title;
		}
	if (*n) {
		pick = *n == 1 ? 0 : dialog_pick(&a->redraw, question, names, 0);
		g = pick < 0 ? NULL : inv[pick];
	}
	free(inv);
	free(names);
	return g;
}

/* L: seed the list under the cursor, else the runbook's one seedable list,
 * else ask which. */
static int seed_key(struct settings_screen *ss, struct app *a, const struct starget *t)
{
	const struct settings_section *g = t ? t->g : NULL;

	if (!seedable(g)) {
		int n;

		g = pick_group(a, seedable, "Read which list from LifeTime?", &n);
		if (n == 0) {
			app_message(a, false, "this runbook has no environment or server list "
				    "to read from LifeTime");
			return R_REDRAW;
		}
		if (!g)
			return R_REDRAW;
	}
	if (str_empty(doc_get(a->st->doc, "lifetime", NULL, "url"))) {
		app_message(a, true, "LifeTime is not configured: set [lifetime] url above "
			    "(https://<lifetime-host>/lifetimeapi/rest/v2) and the token in "
			    "OSMIGRATE_LIFETIME_TOKEN or [lifetime] token_file; or add the %ss "
			    "with a or import them with i", g->s.kind);
		return R_REDRAW;
	}
	start_lifetime(ss, a, g->s.kind);
	return R_REDRAW;
}

/* Which inventory a/i act on: the one under the cursor, else ask. */
static const struct settings_section *pick_inventory(struct app *a, const struct starget *t,
						     const char *question)
{
	int n;

	if (t && schema_is_inventory(t->g))
		return t->g;
	return pick_group(a, schema_is_inventory, question, &n);
}

static void move_sel(struct settings_screen *ss, int d)
{
	int n = ss->sel + d;

	while (n >= 0 && n < (int)ss->nt && ss->t[n].kind == K_HEAD)
		n += d;
	if (n >= 0 && n < (int)ss->nt)
		ss->sel = n;
}

/* Enter or Space on the line under the cursor. */
static int activate(struct settings_screen *ss, struct app *a, const struct starget *t)
{
	if (!t)
		return R_NONE;
	if (t->kind == K_VALUE) {
		char *v = NULL;

		if (ask_value(a, t->g->s.kind, t->name, t->k, &v) == 1)
			store(a, t->g->s.kind, t->name, t->k->k.key, v);
		free(v);
		return R_REDRAW;
	}
	if (t->kind == K_ITEM) {
		char *name = xstrdup(t->name);

		edit_item(a, t->g, name);
		free(name);
		return R_REDRAW;
	}
	if (t->kind == K_ADD)
		return add_item(ss, a, t->g);
	return R_NONE;
}

static int remove_key(struct app *a, const struct starget *t)
{
	if (t && t->kind == K_ITEM)
		return remove_item(a, t);
	return R_NONE;
}

static int settings_request(struct app *a, void *data, const struct input *in)
{
	struct settings_screen *ss = data;
	struct starget *t;

	build(ss, a);
	t = ss->nt ? &ss->t[ss->sel] : NULL;
	switch (in->req) {
	case REQ_UP: move_sel(ss, -1); return R_REDRAW;
	case REQ_DOWN: move_sel(ss, 1); return R_REDRAW;
	case REQ_PAGE_DOWN: move_sel(ss, LINES / 2); return R_REDRAW;
	case REQ_PAGE_UP: move_sel(ss, -LINES / 2); return R_REDRAW;
	case REQ_ENTER: return activate(ss, a, t);
	default: break;
	}
	if (in->fkey) {
		switch (in->ch) {
		case KEY_BTAB: move_sel(ss, -1); return R_REDRAW;
		case KEY_DC: return remove_key(a, t);
		}
		return R_UNHANDLED;
	}
	switch (in->ch) {
	case '\t': move_sel(ss, 1); return R_REDRAW;
	case 27: case 'b': case 'e': return R_CLOSE;
	case 'a': {
		const struct settings_section *g = pick_inventory(a, t, "Add to which list?");

		return g ? add_item(ss, a, g) : R_REDRAW;
	}
	case 'i': {
		const struct settings_section *g = pick_inventory(a, t, "Import which list?");

		return g ? import_items(a, g) : R_REDRAW;
	}
	case 'L':
		return seed_key(ss, a, t);
	case 'R':
		if (t && t->kind == K_ITEM)
			return rename_item(ss, a, t);
		app_message(a, false, "R renames the item under the cursor");
		return R_REDRAW;
	case 'x':
		return remove_key(a, t);
	case ' ':
		return activate(ss, a, t);
	}
	return R_UNHANDLED;
}

static const char *settings_footer(struct app *a, void *data)
{
	/* Fits 80 columns beside "? help  q quit"; Esc is in the help. */
	return "Enter edit  a add  i import  L LifeTime  R rename  x remove";
}

/* Words of text appended to sb, wrapped at HELP_WIDTH columns; the lines
 * after the first start at HELP_INDENT (the column of the key help). */
#define HELP_WIDTH 62
#define HELP_INDENT 13
static void help_wrap(struct strbuf *sb, size_t *col, const char *text)
{
	for (const char *p = text; *p;) {
		size_t w;

		while (*p == ' ')
			p++;
		w = strcspn(p, " ");
		if (!w)
			break;
		if (*col > HELP_INDENT && *col + 1 + w > HELP_WIDTH) {
			sb_addf(sb, "\n%*s", HELP_INDENT, "");
			*col = HELP_INDENT;
		} else if (*col > HELP_INDENT) {
			sb_addc(sb, ' ');
			(*col)++;
		}
		sb_addn(sb, p, w);
		*col += w;
		p += w;
	}
}

/* The keys a and i, from the schema's inventories and their columns. */
static char *inventory_help(void)
{
	struct strbuf sb = STRBUF_INIT, t = STRBUF_INIT;
	size_t col, n = 0, i = 0;

	each_group(g)
		n += schema_is_inventory(g);
	sb_add(&sb, "  a          ");
	col = HELP_INDENT;
	sb_add(&t, "add");
	each_group(g)
		if (schema_is_inventory(g)) {
			sb_addf(&t, "%s%s", i == 0 ? (strchr("aeiou", g->s.kind[0]) ? " an " : " a ")
					   : i + 1 == n ? " or " : ", ", g->s.kind);
			i++;
		}
	help_wrap(&sb, &col, sb_str(&t));
	sb_add(&sb, "\n  i          ");
	col = HELP_INDENT;
	sb_reset(&t);
	sb_add(&t, "import such a list from a CSV or text file, one per line:");
	i = 0;
	each_group(g)
		if (schema_is_inventory(g)) {
			char *cols = import_columns(g->s.kind);

			sb_addf(&t, " %s: %s%s", g->s.kind, cols, ++i == n ? "" : ";");
			free(cols);
		}
	help_wrap(&sb, &col, sb_str(&t));
	sb_free(&t);
	return sb_detach(&sb);
}

static void settings_init(struct app *a, void *data)
{
	struct settings_screen *ss = data;
	char *inv = inventory_help();

	ss->help = xasprintf(
		     "Settings\n"
		     "  Up/Down, Tab, Shift-Tab, PgUp/PgDn  move between values\n"
		     "  Enter      edit the value under the cursor (on an item: each\n"
		     "             of its values in turn); an empty value clears it\n"
		     "%s\n"
		     "  L          on the environments or servers list: read\n"
		     "             LifeTime's environments in the background (Esc\n"
		     "             cancels) and add each one not listed yet, with its\n"
		     "             hostname (the one Development environment with\n"
		     "             migrated_here = yes); for servers, pick one and get\n"
		     "             a controller and NumberOfFrontEnds front-end\n"
		     "             placeholders to rename and complete. Existing items\n"
		     "             are never changed\n"
		     "  R          rename the item under the cursor (its values,\n"
		     "             ticks and notes move along)\n"
		     "  x, Del     remove the item under the cursor\n"
		     "  Esc, b, e  back to the step\n"
		     "Values are checked as the state file parser checks them. "
		     "Passwords and tokens are never stored: use ~/.pgpass, PGPASSFILE, "
		     "a service, PGPASSWORD, OSMIGRATE_LIFETIME_TOKEN or token_file, or "
		     "type them when a check asks.", inv);
	free(inv);
}

static void settings_free(void *data)
{
	struct settings_screen *ss = data;

	clear_targets(ss);
	free(ss->t);
	free(ss->focus_kind);
	free(ss->focus_name);
	free(ss->help);
}

static const char *settings_help(struct app *a, void *data)
{
	return ((const struct settings_screen *)data)->help;
}

const struct screen_ops screen_settings = {
	.name = "settings",
	.steplist = true,
	.private_size = sizeof(struct settings_screen),
	.init = settings_init,
	.free = settings_free,
	.enter = settings_enter,
	.draw = settings_draw,
	.request = settings_request,
	.footer = settings_footer,
	.help = settings_help,
};
