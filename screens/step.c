/* step.c - the generic step screen, driven entirely by the runbook tables:
 * title, intro, the seed's warning, the step's actions as a checklist, the
 * per-item checklists (extensions, consumers, servers, environments from
 * the settings), the step's form fields, a note, and the check results.
 *
 * The screen is a list of focus targets (actions, items, fields, notes)
 * laid out into wrapped rows at draw time; keys move between targets and
 * change the state through progress.h, which owns the status rules and
 * gates; the loop saves after every change.
 *
 * With thousands of items, building the targets and the wrapped rows is
 * the costly part of a key: both are kept until the document (its
 * generation), the step, the width or an item's open/closed state change,
 * so moving the cursor costs only what is drawn. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "dbtabs.h"
#include "journal.h"
#include "progress.h"
#include "rollback.h"
#include "checkjob.h"
#include "screens.h"
#include "schema.h"
#include "typescan.h"
#include "version.h"

enum tkind { T_ACTION, T_ITEM, T_ITEM_ACTION, T_ITEM_NOTE, T_FIELD, T_NOTE };

struct target {
	enum tkind kind;
	int i;        /* action / item / field index */
	int k;        /* item action index */
};

struct row {
	char *text;
	int indent;
	enum ui_attr attr;
	int target;   /* -1: not focusable */
};

struct step_screen {
	struct target *t;
	size_t nt, tcap;
	const char **items;
	size_t nitems;
	bool *expanded;
	size_t nexpanded;
	int sel;
	int top;
	bool follow;
	struct row *rows;
	size_t nrows, rcap;
	int step;                    /* step these were built for */
	int *item_tgt;               /* target of each item's line */
	size_t item_tgt_cap;
	int field_tgt;               /* target of the first field */
	size_t nia;                  /* actions per item in this step */
	unsigned expand_ver;         /* bumped when expanded[] changes */
	/* what the targets and the rows were built for */
	struct build_key {
		unsigned long long gen;
		const struct runbook *rb;
		int step;
		unsigned expand_ver;
		int width;
		bool valid;
	} tkey, rkey;
};

static struct build_key build_key(struct step_screen *sv, const struct app *a, int width)
{
	return (struct build_key){ doc_generation(a->st->doc), a->rb, a->step, sv->expand_ver, width,
				   true };
}

static bool same_key(const struct build_key *x, const struct build_key *y)
{
	return x->valid && y->valid && x->gen == y->gen && x->rb == y->rb && x->step == y->step &&
	       x->expand_ver == y->expand_ver && x->width == y->width;
}

static void add_target(struct step_screen *sv, enum tkind kind, int i, int k)
{
	if (sv->nt == sv->tcap)
		sv->t = xreallocarray(sv->t, sv->tcap = sv->tcap * 2 + 16, sizeof *sv->t);
	sv->t[sv->nt++] = (struct target){ kind, i, k };
}

/* The targets depend on the settings (items come and go): rebuilt before
 * a key or a draw when the document changed since. */
static void build_targets(struct step_screen *sv, struct app *a)
{
	const struct rb_step *s = app_step(a);
	struct build_key key = build_key(sv, a, 0);

	if (same_key(&key, &sv->tkey)) {
		cursor_clamp(&sv->sel, (int)sv->nt);
		return;
	}
	sv->tkey = key;
	sv->rkey.valid = false;
	sv->nt = 0;
	free(sv->items);
	sv->items = progress_items(a->st, s, &sv->nitems);
	/* Servers in the order the procedure works through them: the
	 * Deployment Controller(s) first (where an order gate of the runbook
	 * enforces it, progress.h). */
	if (s->items == ITEM_SERVER && sv->nitems > 1) {
		const char **sorted = xcalloc(sv->nitems + 1, sizeof *sorted);
		size_t k = 0;

		for (int pass = 0; pass < 2; pass++)
			for (size_t i = 0; i < sv->nitems; i++)
				if (progress_is_controller(a->st, sv->items[i]) == (pass == 0))
					sorted[k++] = sv->items[i];
		free(sv->items);
		sv->items = sorted;
	}
	if (sv->nexpanded < sv->nitems) {
		sv->expanded = xreallocarray(sv->expanded, sv->nitems, sizeof *sv->expanded);
		memset(sv->expanded + sv->nexpanded, 0, (sv->nitems - sv->nexpanded) * sizeof *sv->expanded);
		sv->nexpanded = sv->nitems;
	}
	if (sv->item_tgt_cap < sv->nitems + 1)
		sv->item_tgt = xreallocarray(sv->item_tgt, sv->item_tgt_cap = sv->nitems + 1,
					     sizeof *sv->item_tgt);
	for (size_t i = 0; i < s->n_actions; i++)
		add_target(sv, T_ACTION, (int)i, 0);
	for (size_t j = 0; j < sv->nitems; j++) {
		sv->item_tgt[j] = (int)sv->nt;
		add_target(sv, T_ITEM, (int)j, 0);
		if (!sv->expanded[j])
			continue;
		for (size_t k = 0; k < s->n_item_actions; k++)
			add_target(sv, T_ITEM_ACTION, (int)j, (int)k);
		add_target(sv, T_ITEM_NOTE, (int)j, 0);
	}
	sv->field_tgt = (int)sv->nt;
	sv->nia = s->n_item_actions;
	for (size_t f = 0; f < s->n_fields; f++)
		add_target(sv, T_FIELD, (int)f, 0);
	add_target(sv, T_NOTE, 0, 0);
	cursor_clamp(&sv->sel, (int)sv->nt);
}

static void step_enter(struct app *a, void *data)
{
	struct step_screen *sv = data;
	const struct rb_step *s = app_step(a);

	if (sv->step != a->step || !sv->t) {
		/* A new step: expand the first item still to do. */
		free(sv->expanded);
		sv->expanded = NULL;
		sv->nexpanded = 0;
		sv->expand_ver++;
		sv->sel = 0;
		sv->top = 0;
		sv->step = a->step;
		build_targets(sv, a);
		for (size_t j = 0; j < sv->nitems; j++) {
			enum step_status st = progress_item_status(a->st, a->rb, s, sv->items[j],
								   NULL, NULL);

			if (st != STEP_DONE && st != STEP_SKIPPED) {
				sv->expanded[j] = true;
				sv->expand_ver++;
				break;
			}
		}
	}
	sv->follow = true;
	build_targets(sv, a);
}

/* ---- layout into rows ------------------------------------------------- */

/* Printable ASCII of at most width bytes: ui_wrap would give it back as
 * one line (most rows of a long list are such). */
static bool fits_plain(const char *text, int width)
{
	int n = 0;

	for (; text[n]; n++)
		if (n >= width || (unsigned char)text[n] < 0x20 || (unsigned char)text[n] > 0x7e)
			return false;
	return true;
}

static void add_rows(struct step_screen *sv, const char *text, int width, int indent, int hang,
		     enum ui_attr attr, int target)
{
	char **lines, *one;
	int w = width - indent - hang > 8 ? width - indent - hang : 8;
	size_t n;

	if (fits_plain(text, w)) {
		one = xstrdup(text);
		lines = &one;
		n = 1;
	} else {
		n = ui_wrap(text, w, &lines);
	}

	for (size_t i = 0; i < n; i++) {
		if (sv->nrows == sv->rcap)
			sv->rows = xreallocarray(sv->rows, sv->rcap = sv->rcap * 2 + 32, sizeof *sv->rows);
		sv->rows[sv->nrows++] = (struct row){ lines[i], indent + (i ? hang : 0), attr, target };
	}
	if (lines != &one)
		free(lines); /* the strings now belong to the rows */
}

static void clear_rows(struct step_screen *sv)
{
	for (size_t i = 0; i < sv->nrows; i++)
		free(sv->rows[i].text);
	sv->nrows = 0;
}

static int find_target(struct step_screen *sv, enum tkind kind, int i, int k)
{
	int t = -1;

	/* Where build_targets put it (actions first, each item's line then
	 * its actions and note when open, the fields, the note)... */
	switch (kind) {
	case T_ACTION: t = i; break;
	case T_ITEM: t = (size_t)i < sv->nitems ? sv->item_tgt[i] : -1; break;
	case T_ITEM_ACTION: t = (size_t)i < sv->nitems ? sv->item_tgt[i] + 1 + k : -1; break;
	case T_ITEM_NOTE: t = (size_t)i < sv->nitems ? sv->item_tgt[i] + 1 + (int)sv->nia : -1; break;
	case T_FIELD: t = sv->field_tgt + i; break;
	case T_NOTE: t = (int)sv->nt - 1; break;
	}
	if (t >= 0 && (size_t)t < sv->nt && sv->t[t].kind == kind && sv->t[t].i == i && sv->t[t].k == k)
		return t;
	/* ... which always holds; a search rather than a wrong target if not */
	for (size_t n = 0; n < sv->nt; n++)
		if (sv->t[n].kind == kind && sv->t[n].i == i && sv->t[n].k == k)
			return (int)n;
	return -1;
}

static void add_tick_rows(struct step_screen *sv, struct app *a, const struct rb_step *s,
			  const char *item, const struct rb_action *act, int width, int indent,
			  int target)
{
	const char *by = NULL, *at = NULL;
	bool on = state_ticked(a->st, s->id, item, act->id, &by, &at);
	char *line = xasprintf("%s %s", on ? "[x]" : "[ ]",
			       item ? item_action_text(a->rb, s, act, a->st->doc, item) : act->text);

	add_rows(sv, line, width, indent, 4, on ? UI_DONE : UI_NORMAL, target);
	free(line);
	if (on) {
		line = xasprintf("ticked by %s at %s", by ? by : "?", at ? at : "?");
		add_rows(sv, line, width, indent + 4, 0, UI_DIM, target);
		free(line);
	}
}

/* Does this step ping its servers around their reconfiguration?  Where
 * the runbook says so (struct rb_ping, runbook.h). */
static bool step_pings_servers(const struct rb_step *s)
{
	return s->items == ITEM_SERVER && s->n_pings > 0;
}

/* One ping result of a server: "before" or "after" its reconfiguration.
 * Returns its check_status, or -1 when it was not taken yet. */
static int add_ping_row(struct step_screen *sv, struct app *a, const char *prefix, const char *item,
				      const char *when, const char *pending, int width)
{
	char *id = xasprintf("%s:%s", prefix, item), *line;
	struct check_record rec;

	if (!check_result_load(a->st->doc, id, &rec) || !rec.status_known) {
		add_rows(sv, pending, width, 4, 6, UI_DIM, -1);
		free(id);
		return -1;
	}
	if (rec.stale_reason) {
		/* The server's settings changed since: that ping is not about it. */
		line = xasprintf("Ping %s: stale (was %s): %s", when, check_status_word(rec.status),
				 rec.stale_reason);
		add_rows(sv, line, width, 4, 6, UI_WARN, -1);
		free(line);
		free(id);
		return -1;
	}
	line = xasprintf("Ping %s: %s%s%s%s%s%s", when, check_status_word(rec.status),
			 str_empty(rec.summary) ? "" : ", ", rec.summary ? rec.summary : "",
			 rec.at ? " (" : "", rec.at ? rec.at : "", rec.at ? ")" : "");
	add_rows(sv, line, width, 4, 6, ui_verdict_attr(rec.verdict), -1);
	free(line);
	free(id);
	return (int)rec.status;
}

/* The status of a ping of a server still about it, or -1. */
static int ping_status(struct app *a, const char *prefix, const char *item)
{
	char *id = xasprintf("%s:%s", prefix, item);
	struct check_record rec;
	int r = -1;

	if (check_result_load(a->st->doc, id, &rec) && rec.status_known && !rec.stale_reason)
		r = (int)rec.status;
	free(id);
	return r;
}

/* "! NAME did not come back": a server that answered before its
 * reconfiguration and not after; shown under its line open or folded. */
static void add_ping_warning(struct step_screen *sv, struct app *a, const struct rb_step *s,
			     const char *item, int width)
{
	const struct rb_ping *pa = step_ping_at(s, PING_AFTER);
	bool done = pa && state_ticked(a->st, s->id, item, pa->action, NULL, NULL);
	int before = step_ping_at(s, PING_BEFORE) ? ping_status(a, "server_ping_before", item) : -1;
	int after = pa ? ping_status(a, pa->check, item) : -1;

	if (done && after >= 0 &&
	    ping_unexpected(pa->expect, before == CHECK_OK, after == CHECK_OK)) {
		char *id = xasprintf("%s:%s", pa->check, item);
		struct check_record rec;
		const char *fix = check_result_load(a->st->doc, id, &rec) ? rec.fix : NULL;
		char *line = xasprintf("! %s did not come back %s: %s. %s%s", item, pa->when,
				       pa->expect == EXPECT_UP ? "it does not answer"
				       : "it answered before and does not now",
				       str_empty(fix) ? "" : fix,
				       " Then press r to ping every server again.");

		add_rows(sv, line, width, 4, 2, UI_FAILED, -1);
		free(line);
		free(id);
	}
}

static void add_ping_rows(struct step_screen *sv, struct app *a, const struct rb_step *s,
			  const char *item, int width)
{
	const struct rb_ping *pa = step_ping_at(s, PING_AFTER);
	/* Until the after-ping's action is ticked, server_ping:NAME can only
	 * come from r: it is the latest ping, not the one after reconfiguring. */
	bool done = pa && state_ticked(a->st, s->id, item, pa->action, NULL, NULL);

	if (step_ping_at(s, PING_BEFORE))
		add_ping_row(sv, a, "server_ping_before", item, "before",
			     "Ping before: not taken yet (taken when you tick the first "
			     "action)", width);
	if (pa)
		add_ping_row(sv, a, pa->check, item, done ? "after" : "latest (r)",
			     "Ping after: not taken yet (taken when you tick the last action)",
			     width);
	add_ping_warning(sv, a, s, item, width);
}

/* An item's line, one row however long its name: "+ [x] NAME, role  3/7",
 * and for a server its last ping's verdict; a name too long for the width
 * is cut with an ellipsis (the whole name is in the settings). */
static char *item_line(struct app *a, const struct rb_step *s, const char *it, bool open,
		       enum step_status ist, const char *role, size_t ticked, int width)
{
	char *tail, *name, *line, *ping = NULL;
	int room;

	if (s->items == ITEM_SERVER && step_ping_at(s, PING_AFTER)) {
		char *id = xasprintf("%s:%s", step_ping_at(s, PING_AFTER)->check, it);
		struct check_record rec;

		if (check_result_load(a->st->doc, id, &rec) && rec.status_known)
			ping = xasprintf("  ping %s", check_verdict_word(rec.verdict));
		free(id);
	}
	tail = xasprintf("%s%s  %zu/%zu%s", role ? ", " : "", role ? role : "", ticked,
			 s->n_item_actions, ping ? ping : "");
	room = width - 7 - ui_strwidth(tail); /* "[x]!" takes one column more */
	name = ui_cut(it, room < 8 ? 8 : room);
	line = xasprintf("%s %s %s%s", open ? "-" : "+", progress_mark(a->st, a->rb, s, it, ist),
			 name, tail);
	free(name);
	free(tail);
	free(ping);
	if (ui_strwidth(line) > width) {
		/* Narrower still: the row itself is cut, never wrapped. */
		char *cut = ui_cut(line, width);

		free(line);
		line = cut;
	}
	return line;
}

static void add_check_rows(struct step_screen *sv, struct app *a, const struct rb_step *s,
			   int width)
{
	struct check_results rs;

	check_results_for_step(a->st->doc, a->rb->id, s->id, &rs);
	if (!step_has_checks(a->rb, s) && rs.n == 0) {
		check_results_free(&rs);
		return;
	}
	add_rows(sv, "", width, 0, 0, UI_NORMAL, -1);
	add_rows(sv, rs.n ? "Check results (r runs them again)" :
		 "Checks: not run yet (press r to run them)", width, 0, 0, UI_HEAD, -1);
	for (size_t i = 0; i < rs.n; i++) {
		const struct check_record *rec = &rs.r[i];
		const char *label = rec->label ? rec->label : rec->id;
		const char *summary = rec->summary;
		char *line;

		if (rec->stale_reason) {
			/* Not a verdict any more: what it said, and to run it again. */
			line = xasprintf("%-7s %s (was %s%s%s)", check_verdict_word(rec->verdict),
					 label, check_status_word(rec->status),
					 str_empty(summary) ? "" : ": ", summary ? summary : "");
			add_rows(sv, line, width, 0, 8, ui_verdict_attr(rec->verdict), -1);
			free(line);
			line = xasprintf("%s (r)", rec->stale_reason);
			add_rows(sv, line, width, 8, 0, ui_verdict_attr(rec->verdict), -1);
			free(line);
			continue;
		}
		line = xasprintf("%-7s %s%s%s", check_verdict_word(rec->verdict), label,
				 str_empty(summary) ? "" : ": ", summary ? summary : "");
		add_rows(sv, line, width, 0, 8, ui_verdict_attr(rec->verdict), -1);
		free(line);
		if (!str_empty(rec->detail) && rec->status != CHECK_OK)
			add_rows(sv, rec->detail, width, 8, 0, UI_NORMAL, -1);
		if (!str_empty(rec->fix) && rec->status != CHECK_OK) {
			line = xasprintf("fix: %s", rec->fix);
			add_rows(sv, line, width, 8, 5, UI_NORMAL, -1);
			free(line);
		}
		if (i == 0 && rec->at) {
			line = xasprintf("(checked %s)", rec->at);
			add_rows(sv, line, width, 8, 0, UI_DIM, -1);
			free(line);
		}
	}
	check_results_free(&rs);
}

/* Under the Configuration Tool action: per tab, the address to type. */
static void add_tab_rows(struct step_screen *sv, struct app *a, int width)
{
	size_t n;
	const struct schema_name *dbs = dbtabs_all(&n);

	for (size_t i = 0; i < n; i++) {
		char *line = dbtabs_line(a->st->doc, &dbs[i]);

		add_rows(sv, line, width, 8, 2, UI_DIM, -1);
		free(line);
	}
}

/* What the last type verification found on an extension's tables: what
 * Refresh Entity will do to its entities (typescan.h). */
static void add_item_types_row(struct step_screen *sv, struct app *a,
			       const struct type_index *ix, const char *ext, int width)
{
	enum check_verdict v;
	char *found = type_extension_findings(a->st->doc, ix, ext, 8, &v);
	char *line = xasprintf("%s%s", found,
			       v == VERDICT_NONE || v == VERDICT_STALE ? " (t, then r)"
			       : v == VERDICT_ERROR ? " (e: its tables)"
			       : v == VERDICT_OK ? "" : " (t lists them)");

	add_rows(sv, line, width, 4, 2, ui_verdict_attr(v), -1);
	free(line);
	free(found);
}

/* The blockers of the last type verification, by place and code: what
 * the step that runs it shows before the first rebind. */
static void add_blocker_rows(struct step_screen *sv, struct app *a, int width)
{
	const struct doc *d = a->st->doc;
	size_t n, shown = 0, total = 0;
	const char **secs = doc_section_names(d, "finding", &n);
	enum { MAX_SHOWN = 12 };

	for (size_t i = 0; i < n; i++) {
		char *place, *line;

		if (!str_eq(doc_get(d, "finding", secs[i], "severity"), "blocker"))
			continue;
		if (total++ >= MAX_SHOWN)
			continue;
		place = type_place(doc_get(d, "finding", secs[i], "schema"),
				   doc_get(d, "finding", secs[i], "table"),
				   doc_get(d, "finding", secs[i], "column"));
		line = xasprintf("BLOCKER %s %s", place, doc_get_or(d, "finding", secs[i], "code", "?"));
		add_rows(sv, line, width, 2, 4, UI_FAILED, -1);
		free(line);
		free(place);
		shown++;
	}
	if (total > shown) {
		char *line = xasprintf("... and %zu more blockers (t lists them all)", total - shown);

		add_rows(sv, line, width, 2, 4, UI_FAILED, -1);
		free(line);
	}
	free(secs);
}

static void build_rows(struct step_screen *sv, struct app *a, int width)
{
	const struct rb_step *s = app_step(a);
	struct step_progress p;
	char prog[160], *line;
	const char *reason, *note;
	struct build_key key = build_key(sv, a, width);
	struct type_index *tix = NULL;

	if (same_key(&key, &sv->rkey))
		return;
	sv->rkey = key;
	clear_rows(sv);
	progress_step(a->st, a->rb, s, &p);
	progress_format(s, &p, prog, sizeof prog);

	add_rows(sv, s->title, width, 0, 0, UI_HEAD, -1);
	line = xasprintf("Status: %s %s%s%s%s", progress_mark(a->st, a->rb, s, NULL, p.status),
			 step_status_name(p.status),
			 prog[0] ? " (" : "", prog, prog[0] ? ")" : "");
	add_rows(sv, line, width, 0, 0, ui_status_attr(p.status), -1);
	free(line);
	reason = doc_get(a->st->doc, "step", s->id, "reason");
	if (!str_empty(reason)) {
		line = xasprintf("Reason recorded: %s", reason);
		add_rows(sv, line, width, 0, 0, UI_DIM, -1);
		free(line);
	}
	if (p.locked) {
		char why[1024];

		progress_gate(a->st, a->rb, s->id, NULL, why, sizeof why);
		line = xasprintf("LOCKED: %s", why);
		add_rows(sv, line, width, 0, 0, UI_FAILED, -1);
		free(line);
	}
	add_rows(sv, "", width, 0, 0, UI_NORMAL, -1);
	if (s->intro)
		add_rows(sv, s->intro, width, 0, 0, UI_NORMAL, -1);
	if (s->warning) {
		add_rows(sv, "", width, 0, 0, UI_NORMAL, -1);
		line = xasprintf("! %s", s->warning);
		add_rows(sv, line, width, 0, 2, UI_WARN, -1);
		free(line);
	}
	/* Where the runbook says so (testing the consumers is where the type
	 * differences bite), the last type verification is summed up here,
	 * from the state file. */
	if (s->types != TYPES_NONE) {
		const struct doc *d = a->st->doc;
		const char *at = doc_get(d, "types", NULL, "at");

		add_rows(sv, "", width, 0, 0, UI_NORMAL, -1);
		if (at) {
			static const char *const keys[] = { "blockers", "warnings", "infos", "columns" };
			const char *v[4];

			for (size_t k = 0; k < 4; k++) {
				v[k] = doc_get(d, "types", NULL, keys[k]);
				v[k] = v[k] ? v[k] : "0";
			}
			line = xasprintf("Type verification (%s): %s blockers, %s warnings, %s infos "
					 "in %s columns. Press t to review them.", at, v[0], v[1], v[2], v[3]);
			add_rows(sv, line, width, 0, 0, str_eq(v[0], "0") ? UI_NORMAL : UI_FAILED, -1);
			if (s->types == TYPES_SCAN)
				add_blocker_rows(sv, a, width);
		} else {
			line = xstrdup(s->types == TYPES_SCAN
				       ? "Type verification: not run yet. Press r to compare every "
					 "column under both connectors and probe the stored values."
				       : "Type verification: not run yet. Press t, then r, to compare "
					 "every column under both connectors.");
			add_rows(sv, line, width, 0, 0, UI_WARN, -1);
		}
		free(line);
	}
	if (s->n_actions) {
		add_rows(sv, "", width, 0, 0, UI_NORMAL, -1);
		add_rows(sv, "Actions (Space ticks)", width, 0, 0, UI_HEAD, -1);
		for (size_t i = 0; i < s->n_actions; i++)
			add_tick_rows(sv, a, s, NULL, &s->actions[i], width, 0,
				      find_target(sv, T_ACTION, (int)i, 0));
	}
	if (s->items != ITEM_NONE) {
		add_rows(sv, "", width, 0, 0, UI_NORMAL, -1);
		line = xasprintf("Per %s (Enter opens one): %s", item_kind_label(s->items), prog);
		add_rows(sv, line, width, 0, 0, UI_HEAD, -1);
		free(line);
		if (sv->nitems == 0) {
			line = xasprintf("No %s configured yet: press e to add them in the settings "
					 "(or load an answers file with --answers).",
					 item_kind_label(s->items));
			add_rows(sv, line, width, 2, 0, UI_WARN, -1);
			free(line);
		}
		for (size_t j = 0; j < sv->nitems; j++) {
			const char *it = sv->items[j];
			const char *ireason;
			const struct rb_step *from;
			enum step_status ist = progress_item_status(a->st, a->rb, s, it, &ireason,
								    &from);
			size_t ticked = progress_item_ticked(a->st, s, it);
			const char *role = s->items == ITEM_SERVER ?
				doc_get(a->st->doc, "server", it, "role") : NULL;
			const char *cby = NULL;

			/* a claim (advisory): who is on it */
			state_claimed(a->st, s->id, it, &cby, NULL);
			line = item_line(a, s, it, sv->expanded[j], ist, role, ticked, width);
			add_rows(sv, line, width, 0, 0, ui_status_attr(ist),
				 find_target(sv, T_ITEM, (int)j, 0));
			free(line);
			/* a claim on a row of its own: the item's row stays one
			 * row, and the whole name of who is on it shows */
			if (cby) {
				line = xasprintf("%s is on it", cby);
				add_rows(sv, line, width, 6, 8, UI_DIM, find_target(sv, T_ITEM, (int)j, 0));
				free(line);
			}
			/* Skipped here or in an earlier step: why, and how to reopen. */
			if (ist == STEP_SKIPPED) {
				line = from ? xasprintf("skipped in step '%s': %s (u reopens it here)",
							from->title, ireason ? ireason : "")
					    : xasprintf("skipped: %s", ireason ? ireason : "");
				add_rows(sv, line, width, 4, 6, UI_DIM, find_target(sv, T_ITEM, (int)j, 0));
				free(line);
			}
			if (s->types == TYPES_ITEMS) {
				if (!tix) /* the findings, read once for every item */
					tix = type_index_build(a->st->doc);
				add_item_types_row(sv, a, tix, it, width);
			}
			if (!sv->expanded[j]) {
				if (step_pings_servers(s))
					add_ping_warning(sv, a, s, it, width);
				continue;
			}
			for (size_t k = 0; k < s->n_item_actions; k++) {
				add_tick_rows(sv, a, s, it, &s->item_actions[k], width, 4,
					      find_target(sv, T_ITEM_ACTION, (int)j, (int)k));
				if (action_shows_db_tabs(s, &s->item_actions[k]))
					add_tab_rows(sv, a, width);
			}
			note = state_note(a->st, s->id, it);
			line = xasprintf("Note: %s", str_empty(note) ? "(none: Enter to write one)" : note);
			add_rows(sv, line, width, 4, 6, UI_NORMAL, find_target(sv, T_ITEM_NOTE, (int)j, 0));
			free(line);
			if (step_pings_servers(s))
				add_ping_rows(sv, a, s, it, width);
		}
	}
	if (s->n_fields) {
		add_rows(sv, "", width, 0, 0, UI_NORMAL, -1);
		add_rows(sv, "Details (Enter edits)", width, 0, 0, UI_HEAD, -1);
		for (size_t f = 0; f < s->n_fields; f++) {
			const struct rb_field *fd = &s->fields[f];
			const char *v = state_field(a->st, s->id, fd->id);

			line = xasprintf("%s: %s", fd->label, str_empty(v) ? "(not set)" : v);
			add_rows(sv, line, width, 0, 4, UI_NORMAL, find_target(sv, T_FIELD, (int)f, 0));
			free(line);
		}
	}
	add_rows(sv, "", width, 0, 0, UI_NORMAL, -1);
	note = state_note(a->st, s->id, NULL);
	line = xasprintf("Note: %s", str_empty(note) ? "(none: Enter to write one)" : note);
	add_rows(sv, line, width, 0, 6, UI_NORMAL, find_target(sv, T_NOTE, 0, 0));
	free(line);
	add_check_rows(sv, a, s, width);
	type_index_free(tix);
}

static void step_free(void *data)
{
	struct step_screen *sv = data;

	clear_rows(sv);
	free(sv->rows);
	free(sv->t);
	free(sv->items);
	free(sv->expanded);
	free(sv->item_tgt);
}

static void step_draw(struct app *a, void *data, WINDOW *w)
{
	struct step_screen *sv = data;
	int h = getmaxy(w), wd = getmaxx(w);
	int first = -1, last = -1;

	build_targets(sv, a);
	build_rows(sv, a, wd - 3); /* 2 columns of pointer gutter, 1 for the scroll marks */
	for (size_t r = 0; r < sv->nrows; r++)
		if (sv->rows[r].target == sv->sel && sv->rows[r].target >= 0) {
			if (first < 0)
				first = (int)r;
			last = (int)r;
		}
	if (a->show_results) {
		/* Fresh check results: bring them into view once. */
		a->show_results = false;
		for (size_t r = 0; r < sv->nrows; r++)
			if (str_startswith(sv->rows[r].text, "Check results")) {
				sv->top = (int)r;
				sv->follow = false;
				break;
			}
	}
	if (sv->follow && first >= 0) {
		if (last - sv->top >= h)
			sv->top = last - h + 1;
		if (first < sv->top)
			sv->top = first;
		/* Show the section heading above the first target too. */
		if (sv->sel == 0 && first < h)
			sv->top = 0;
	}
	if (sv->top > (int)sv->nrows - h)
		sv->top = (int)sv->nrows - h;
	if (sv->top < 0)
		sv->top = 0;
	for (int y = 0; y < h && sv->top + y < (int)sv->nrows; y++) {
		const struct row *r = &sv->rows[sv->top + y];
		bool sel = r->target >= 0 && r->target == sv->sel;
		attr_t at = sel ? ui_attr(UI_SELECT) : ui_attr(r->attr);

		/* A text pointer too: the selection must not rely on reverse video. */
		mvwaddstr(w, y, 0, sel && (sv->top + y == 0 ||
					   sv->rows[sv->top + y - 1].target != r->target) ? ">" : " ");
		wattron(w, at);
		if (sel)
			mvwhline(w, y, 2, ' ', wd - 2);
		ui_put(w, y, 2 + r->indent, r->text, wd - 2 - r->indent);
		wattroff(w, at);
	}
	if (sv->top > 0)
		mvwaddstr(w, 0, wd - 1, "^");
	if (sv->top + h < (int)sv->nrows)
		mvwaddstr(w, h - 1, wd - 1, "v");
}

/* ---- actions ------------------------------------------------------------- */

/* After a change to item j: an item now done or skipped folds to its one
 * line and the next one still to do opens, the cursor on its first
 * unticked action (a farm is worked through one server after another). */
static void item_settled(struct step_screen *sv, struct app *a, int j)
{
	const struct rb_step *s = app_step(a);
	enum step_status st;

	if (j < 0 || (size_t)j >= sv->nitems)
		return;
	st = state_item_status(a->st, s->id, sv->items[j]);
	if (st != STEP_DONE && st != STEP_SKIPPED)
		return;
	sv->expanded[j] = false;
	sv->expand_ver++;
	build_targets(sv, a);
	sv->sel = find_target(sv, T_ITEM, j, 0);
	for (size_t n = (size_t)j + 1; n < sv->nitems; n++) {
		enum step_status ns = state_item_status(a->st, s->id, sv->items[n]);

		if (ns == STEP_DONE || ns == STEP_SKIPPED)
			continue;
		sv->expanded[n] = true;
		sv->expand_ver++;
		build_targets(sv, a);
		sv->sel = find_target(sv, T_ITEM, (int)n, 0);
		for (size_t k = 0; k < s->n_item_actions; k++)
			if (!state_ticked(a->st, s->id, sv->items[n], s->item_actions[k].id, NULL, NULL)) {
				sv->sel = find_target(sv, T_ITEM_ACTION, (int)n, (int)k);
				break;
			}
		break;
	}
	if (sv->sel < 0)
		sv->sel = 0;
	sv->follow = true;
}

/* A reason must say something. */
static bool check_reason(void *ud, const char *text, char *why, size_t len)
{
	(void)ud;
	for (; *text; text++)
		if (*text != ' ')
			return true;
	snprintf(why, len, "a reason is needed");
	return false;
}

/* A gate refused: ask for the override text, record it, and retry. */
static bool override_gate(struct app *a, enum progress_gate g, const char *step,
			  const char *item, const char *why)
{
	char *text = NULL, err[512];
	bool ok;

	struct prompt p = { .title = progress_override_prompt(a->rb, step, g), .explain = why,
			    .maxlen = TUI_FIELD_MAX, .check = check_reason };

	if (dialog_edit(&a->redraw, &p, &text) != 1)
		return false;
	ok = progress_override(a->st, a->rb, step, item, g, text, err, sizeof err);
	if (!ok) {
		app_message(a, true, "not overridden: %s", err);
	} else {
		const char *what = progress_overrode(a->st, step, item);

		if (!what && item)  /* the lock is overridden on the step */
			what = progress_overrode(a->st, step, NULL);
		if (app_commit(a, step, item, "override", text) && what)
			app_commit(a, step, item, "overrode", what);
	}
	free(text);
	return ok;
}

static int toggle_tick(struct app *a, const char *item, const struct rb_action *act)
{
	const struct rb_step *s = app_step(a);
	bool on = !state_ticked(a->st, s->id, item, act->id, NULL, NULL);
	char why[1024], *action;
	enum progress_gate g;

	g = progress_tick(a->st, a->rb, s->id, item, act->id, on, why, sizeof why);
	/* Each gate that refuses asks for its own override (the order, the
	 * lock, then the failed checks of what this tick completes). */
	for (int k = 0; k < 4 && g != GATE_OPEN; k++) {
		if (!override_gate(a, g, s->id, item, why))
			return R_REDRAW;
		g = progress_tick(a->st, a->rb, s->id, item, act->id, on, why, sizeof why);
	}
	if (g != GATE_OPEN) {
		app_message(a, true, "%s", why);
		return R_REDRAW;
	}
	action = xasprintf("%s.%s", on ? "tick" : "untick", act->id);
	if (app_commit(a, s->id, item, action, on ? "on" : "off")) {
		const char *cby = NULL;
		const char *text = item ? item_action_text(a->rb, s, act, a->st->doc, item) : act->text;

		/* a claim is advisory: the tick is recorded, and said */
		if (item && state_claimed(a->st, s->id, item, &cby, NULL) && !str_eq(cby, operator_id()))
			app_message(a, false, "%s on %s's claim (advisory: recorded, journaled): %s",
				    on ? "ticked" : "unticked", cby, text);
		else
			app_message(a, false, "%s %s", on ? "ticked:" : "unticked:", text);
		/* The first action starts the server's reconfiguration, the last
		 * says its services run again: ping it at both moments so a
		 * front-end that did not come back shows up. */
		if (on && item && step_pings_servers(s) && step_ping(s, act->id))
			checkjob_ping(a, item, step_ping(s, act->id));
	}
	free(action);
	return R_REDRAW;
}

/* w: the way back (rollback.h), from any step: each item already changed
 * with its rollback actions, in the order to undo them; Enter ticks or
 * unticks one (recorded and journalled like any tick), Esc closes. */
static int way_back(struct app *a)
{
	int cur = 0;

	for (;;) {
		struct rollback_path p;
		struct strbuf title = STRBUF_INIT;
		const char **choices;
		char **lines = NULL, **own;
		size_t nl = 0, nc = 0, nown = 0;
		int *ent, *act, pick;

		if (!rollback_build(a->st, a->rb, &p)) {
			app_message(a, false, "this procedure has no way back to show");
			return R_REDRAW;
		}
		if (p.n == 0) {
			app_message(a, false, "Nothing to roll back: no %s has been %s yet (step %s).",
				    item_kind_label(p.step->items), p.rb->done_word, p.step->title);
			rollback_free(&p);
			return R_REDRAW;
		}
		if (p.rb->kind == ROLLBACK_SERVERS)
			lines = rollback_addresses(a->st->doc, &nl);
		choices = xcalloc(nl + p.n * (p.rb->n_actions + 1) + 1, sizeof *choices);
		own = xcalloc(nl + p.n * (p.rb->n_actions + 1) + 1, sizeof *own);
		ent = xcalloc(nl + p.n * (p.rb->n_actions + 1) + 1, sizeof *ent);
		act = xcalloc(nl + p.n * (p.rb->n_actions + 1) + 1, sizeof *act);
		for (size_t i = 0; i < nl; i++) {
			ent[nc] = -1;
			choices[nc++] = lines[i];
		}
		for (size_t i = 0; i < p.n; i++) {
			const struct rollback_entry *e = &p.e[i];

			own[nown] = xasprintf("%zu. %s (%s)", i + 1, e->item,
					      p.rb->kind == ROLLBACK_SERVERS
					      ? (e->controller ? "Deployment Controller, last" : "front-end")
					      : item_kind_label(p.step->items));
			ent[nc] = -1;
			choices[nc++] = own[nown++];
			for (size_t k = 0; k < p.rb->n_actions; k++) {
				bool on = state_ticked(a->st, p.step->id, e->item, p.rb->actions[k].id,
						       NULL, NULL);

				own[nown] = xasprintf("   %s %s", on ? "[x]" : "[ ]", p.rb->actions[k].text);
				ent[nc] = (int)i;
				act[nc] = (int)k;
				choices[nc++] = own[nown++];
			}
		}
		sb_addf(&title, "Way back: %s", p.rb->intro);
		pick = dialog_pick(&a->redraw, sb_str(&title), choices, cur);
		if (pick >= 0 && ent[pick] >= 0) {
			const struct rollback_entry *e = &p.e[ent[pick]];
			const struct rb_action *ra = &p.rb->actions[act[pick]];
			bool on = !state_ticked(a->st, p.step->id, e->item, ra->id, NULL, NULL);
			char *what = xasprintf("rollback.%s.%s", on ? "tick" : "untick", ra->id);

			rollback_tick(a->st, a->rb, e->item, ra->id, on);
			if (app_commit(a, p.step->id, e->item, what, on ? "on" : "off"))
				app_message(a, false, "rollback %s on %s: %s", on ? "ticked" : "unticked",
					    e->item, ra->text);
			free(what);
		}
		for (size_t i = 0; i < nown; i++)
			free(own[i]);
		free(own);
		free(choices);
		free(ent);
		free(act);
		if (lines)
			rollback_lines_free(lines, nl);
		sb_free(&title);
		rollback_free(&p);
		if (pick < 0)
			return R_REDRAW;
		cur = pick;
	}
}

/* c: tick every action of the item under the cursor not ticked yet, after
 * one question; each tick is recorded and journalled as Space would.  On
 * a step that pings its servers only the ping after the work is taken
 * (all actions ticked at once: there is no "before" left to see). */
static int complete_item(struct app *a, struct step_screen *sv, int j)
{
	const struct rb_step *s = app_step(a);
	const struct rb_ping *pa = step_pings_servers(s) ? step_ping_at(s, PING_AFTER) : NULL;
	const char *item;
	size_t left, done = 0;
	char *q, why[512];
	bool ping = false;
	int r;

	if (j < 0 || (size_t)j >= sv->nitems) {
		app_message(a, false, "c completes the item under the cursor: move to an item first");
		return R_REDRAW;
	}
	item = sv->items[j];
	if (s->n_item_actions == 0) {
		app_message(a, false, "%s has no actions to tick: d marks it done", item);
		return R_REDRAW;
	}
	left = s->n_item_actions - progress_item_ticked(a->st, s, item);
	if (left == 0) {
		app_message(a, false, "every action of %s is ticked already", item);
		return R_REDRAW;
	}
	q = xasprintf("Tick the %zu unticked action%s of %s? Each is recorded with your name "
		      "and the time. (y/n)", left, left == 1 ? "" : "s", item);
	r = dialog_ask(&a->redraw, "Complete this item?", q, "ynYN");
	free(q);
	if (r != 'y' && r != 'Y')
		return R_REDRAW;
	for (size_t k = 0; k < s->n_item_actions; k++) {
		const struct rb_action *act = &s->item_actions[k];
		enum progress_gate g;
		char *action;

		if (state_ticked(a->st, s->id, item, act->id, NULL, NULL))
			continue;
		g = progress_tick(a->st, a->rb, s->id, item, act->id, true, why, sizeof why);
		if (g != GATE_OPEN) {
			if (override_gate(a, g, s->id, item, why))
				g = progress_tick(a->st, a->rb, s->id, item, act->id, true, why,
						  sizeof why);
			if (g != GATE_OPEN) {
				app_message(a, true, "%zu of %zu ticked; stopped at \"%s\": %s", done, left,
					    act->text, why);
				return R_REDRAW;
			}
		}
		action = xasprintf("tick.%s", act->id);
		app_commit(a, s->id, item, action, "on");
		free(action);
		done++;
		if (pa && str_eq(pa->action, act->id))
			ping = true;
	}
	app_message(a, false, "%s: %zu action%s ticked%s", item, done, done == 1 ? "" : "s",
		    ping ? "; pinging it" : "");
	if (ping)
		checkjob_ping(a, item, pa);
	item_settled(sv, a, j);
	return R_REDRAW;
}

static int edit_note(struct app *a, const char *item)
{
	const struct rb_step *s = app_step(a);
	char *v = NULL, *title = item ? xasprintf("Note for %s", item) : xstrdup("Note for this step");
	const char *old = state_note(a->st, s->id, item);
	struct prompt p = { .title = title, .initial = old, .maxlen = TUI_NOTE_MAX,
			    .keep_on_signal = true,
			    .explain = "Anything the next person should know: ticket "
				       "numbers, what you saw, what is left to do." };
	int r = dialog_edit(&a->redraw, &p, &v);

	free(title);
	if (r == 1) {
		state_set_note(a->st, s->id, item, v);
		if (app_commit(a, s->id, item, "note", v))
			app_message(a, false, "note saved");
	} else if (r < 0 && !str_empty(v) && !str_eq(v, old)) {
		/* The session ended (SIGHUP: the SSH link dropped) while the
		 * note was being typed: what was typed is kept, as is. */
		state_set_note(a->st, s->id, item, v);
		app_commit(a, s->id, item, "note", v);
	}
	free(v);
	return R_REDRAW;
}

/* A version field takes a version (or nothing); a refusal stays in the box. */
static bool check_version(void *ud, const char *text, char *why, size_t len)
{
	char *v = str_trim(xstrdup(text));
	bool ok = !*v || version_parse(v, NULL);

	(void)ud;
	if (!ok)
		snprintf(why, len, "'%.60s' is not a version like 11.15.0: type digits and dots", v);
	free(v);
	return ok;
}

static int edit_field(struct app *a, const struct rb_field *f)
{
	const struct rb_step *s = app_step(a);
	const char *old = state_field(a->st, s->id, f->id);
	char *v = NULL, *res;

	if (f->type == FIELD_CHOICE && f->choices) {
		int cur = 0, n;

		for (n = 0; f->choices[n]; n++)
			if (str_eq(f->choices[n], old))
				cur = n;
		n = dialog_pick(&a->redraw, f->label, (const char *const *)f->choices, cur);
		if (n < 0)
			return R_REDRAW;
		v = xstrdup(f->choices[n]);
	} else {
		struct prompt p = { .title = f->label, .explain = f->help ? f->help : "",
				    .initial = old, .maxlen = TUI_FIELD_MAX,
				    .check = f->type == FIELD_VERSION ? check_version : NULL };

		if (dialog_edit(&a->redraw, &p, &v) != 1)
			return R_REDRAW;
		str_trim(v);
	}
	state_set_field(a->st, s->id, f->id, v);
	res = xasprintf("%s = %s", f->id, v);
	if (app_commit(a, s->id, NULL, "settings", res))
		app_message(a, false, "%s saved", f->label);
	free(res);
	free(v);
	return R_REDRAW;
}

/* C: claim the item under the cursor (others see who is on it), or
 * release one's own claim.  Advisory: see state.h. */
static int toggle_claim(struct app *a, const char *item)
{
	const struct rb_step *s = app_step(a);
	const char *by = NULL;
	bool mine, on;

	if (!item) {
		app_message(a, true, "C claims an item: move the cursor to a %s first",
			    item_kind_label(s->items) ? item_kind_label(s->items) : "item");
		return R_REDRAW;
	}
	state_claimed(a->st, s->id, item, &by, NULL);
	mine = by && str_eq(by, operator_id());
	on = !mine;
	state_claim(a->st, s->id, item, on);
	if (app_commit(a, s->id, item, "claim", on ? "on" : "released")) {
		if (on && by)
			app_message(a, false, "%s claimed (it was %s's): the others see you are on it",
				    item, by);
		else
			app_message(a, false, on ? "%s claimed: the others see you are on it"
					       : "%s released", item);
	}
	return R_REDRAW;
}

/* d: mark the step (or the focused item) done; s: skip it with a reason;
 * u: reopen it (pending, then re-derived from the ticks). */
static int set_status(struct app *a, const char *item, enum step_status to)
{
	const struct rb_step *s = app_step(a);
	char why[1024], *reason = NULL, *res;
	enum progress_gate g;
	bool ok = false;
	const char *what = item ? item : "this step";

	if (to == STEP_SKIPPED) {
		char *title = xasprintf("Skip %s: why?", what);
		struct prompt p = { .title = title, .maxlen = TUI_FIELD_MAX, .check = check_reason,
				    .explain = "The reason is recorded in the state file "
					       "with your name and the time." };
		int r = dialog_edit(&a->redraw, &p, &reason);

		free(title);
		if (r != 1)
			return R_REDRAW;
		str_trim(reason);
	}
	if (to == STEP_DONE) {
		struct step_progress p;

		progress_step(a->st, a->rb, s, &p);
		/* A step with unticked actions asks first: one stray key must not
		 * record it done.  An item with unticked actions is the forced
		 * gate's (progress.h): it asks for a reason below. */
		if (!item && (p.actions_ticked < p.n_actions || p.items_done < p.n_items)) {
			char *q = xasprintf("Not every action of %s is ticked. Mark it done anyway? (y/n)",
					    item ? item : "this step");
			int r = dialog_ask(&a->redraw, "Mark done?", q, "ynYN");

			free(q);
			if (r != 'y' && r != 'Y')
				return R_REDRAW;
		}
	}
	g = progress_set_status(a->st, a->rb, s->id, item, to, reason, &ok, why, sizeof why);
	for (int k = 0; k < 4 && g != GATE_OPEN; k++) {
		if (!override_gate(a, g, s->id, item, why))
			break;
		g = progress_set_status(a->st, a->rb, s->id, item, to, reason, &ok, why,
					sizeof why);
	}
	if (g != GATE_OPEN) {
		free(reason);
		return R_REDRAW;
	}
	if (!ok) {
		app_message(a, true, "not changed: %s", why);
		free(reason);
		return R_REDRAW;
	}
	if (to == STEP_PENDING)
		progress_recompute(a->st, a->rb, s->id, item);
	res = reason ? xasprintf("%s: %s", step_status_name(to), reason)
		     : xstrdup(step_status_name(to));
	if (app_commit(a, s->id, item, "status", res)) {
		if (to == STEP_PENDING)
			app_message(a, false, "%s reopened: %s", what,
				    step_status_name(item ? state_item_status(a->st, s->id, item)
							  : state_step_status(a->st, s->id)));
		else
			app_message(a, false, "%s: %s", what, res);
	}
	free(res);
	free(reason);
	/* Skipping the step moves on; the step list keeps the mark. */
	return (to == STEP_SKIPPED && !item) ? R_NEXT : R_REDRAW;
}

static void move_sel(struct step_screen *sv, int d)
{
	if (d > 0 && sv->sel + 1 >= (int)sv->nt) {
		sv->top++;   /* at the last target: scroll the results into view */
		sv->follow = false;
		return;
	}
	sv->sel += d;
	if (sv->sel < 0)
		sv->sel = 0;
	sv->follow = true;
}

/* Tab, Shift-Tab: the next (previous) action, field or note, round the
 * end: every target but the item lines (Down stops on those too). */
static int next_field(struct step_screen *sv, int dir)
{
	for (int n = 1; n <= (int)sv->nt; n++) {
		int i = ((sv->sel + dir * n) % (int)sv->nt + (int)sv->nt) % (int)sv->nt;
		enum tkind k = sv->t[i].kind;

		if (k != T_ITEM)
			return i;
	}
	return sv->sel;
}

/* "type verification belongs to RUNBOOK[, RUNBOOK]": the runbooks that have it. */
static void type_owners_message(struct app *a)
{
	struct strbuf sb = STRBUF_INIT;

	for (size_t i = 0; i < n_runbooks; i++)
		if (runbook_has_types(runbooks[i]))
			sb_addf(&sb, "%s%s", sb.len ? ", " : "", runbooks[i]->id);
	app_message(a, false, "type verification belongs to %s", sb.len ? sb.buf : "no runbook");
	sb_free(&sb);
}

/* Space or Enter on the target under the cursor. */
static int activate(struct app *a, struct step_screen *sv, const struct target *t,
		    const char *item)
{
	const struct rb_step *s = app_step(a);

	if (!t)
		return R_NONE;
	switch (t->kind) {
	case T_ACTION: return toggle_tick(a, NULL, &s->actions[t->i]);
	case T_ITEM_ACTION: {
		int r = toggle_tick(a, item, &s->item_actions[t->k]);

		item_settled(sv, a, t->i);
		return r;
	}
	case T_ITEM:
		sv->expanded[t->i] = !sv->expanded[t->i];
		sv->expand_ver++;
		return R_REDRAW;
	case T_ITEM_NOTE: return edit_note(a, item);
	case T_NOTE: return edit_note(a, NULL);
	case T_FIELD: return edit_field(a, &s->fields[t->i]);
	}
	return R_NONE;
}

static int step_request(struct app *a, void *data, const struct input *in)
{
	struct step_screen *sv = data;
	const struct target *t;
	const char *item;

	build_targets(sv, a);
	t = sv->nt ? &sv->t[sv->sel] : NULL;
	item = t && t->kind != T_ACTION && t->kind != T_FIELD && t->kind != T_NOTE
		? sv->items[t->i] : NULL;
	switch (in->req) {
	case REQ_UP: move_sel(sv, -1); return R_REDRAW;
	case REQ_DOWN: move_sel(sv, 1); return R_REDRAW;
	case REQ_HOME: sv->sel = 0; sv->follow = true; return R_REDRAW;
	case REQ_END: sv->sel = (int)sv->nt - 1; sv->follow = true; return R_REDRAW;
	case REQ_PAGE_DOWN: sv->top += LINES / 2; sv->follow = false; return R_REDRAW;
	case REQ_PAGE_UP: sv->top -= LINES / 2; sv->follow = false; return R_REDRAW;
	case REQ_ENTER: return activate(a, sv, t, item);
	default: break;
	}
	if (in->fkey) {
		if (in->ch == KEY_BTAB) {
			sv->sel = next_field(sv, -1);
			sv->follow = true;
			return R_REDRAW;
		}
		return R_UNHANDLED;
	}
	switch (in->ch) {
	case '\t': sv->sel = next_field(sv, 1); sv->follow = true; return R_REDRAW;
	case 'n': return R_NEXT;
	case 'b': return R_PREV;
	case 'e': return R_SETTINGS;
	case 't':
		if (runbook_has_types(a->rb))
			return R_TYPES;
		type_owners_message(a);
		return R_REDRAW;
	case 'r': return R_RUN_CHECKS;
	case 27: return R_CANCEL;
	case 'c': return complete_item(a, sv, t && item ? t->i : -1);
	case 's':
	case 'd': {
		int r = set_status(a, t && t->kind == T_ITEM ? item : NULL,
				   in->ch == 's' ? STEP_SKIPPED : STEP_DONE);

		if (t && t->kind == T_ITEM && !(r & R_NEXT))
			item_settled(sv, a, t->i);
		return r;
	}
	case 'u': return set_status(a, t && t->kind == T_ITEM ? item : NULL, STEP_PENDING);
	case 'w': return way_back(a);
	case 'C': return toggle_claim(a, item);
	case ' ': return activate(a, sv, t, item);
	}
	return R_UNHANDLED;
}

static const char *step_footer(struct app *a, void *data)
{
	/* Beside "? help  q quit": the keys of a night's work, d and u too;
	 * wider terminals get the words. */
	if (COLS >= 110)
		return "Spc tick  c complete item  d done  s skip  u reopen  n/b next/back  "
		       "r check  e settings";
	return "Spc tick c item d done s skip u reopen n/b step r check e set";
}

#define STEP_HELP(types_line)						      \
	"On a step\n"							      \
	"  Up/Down, j/k  move between actions, items, fields and notes\n"	      \
	"  Tab           next action, field or note (Shift-Tab: previous)\n"   \
	"  PgUp/PgDn     scroll;  Home, End: first / last entry\n"	      \
	"  Space, Enter  tick or untick the action under the cursor\n"	      \
	"                (who and when are recorded); on an item line\n"	      \
	"                open or close it; on a field or note, edit it\n"	      \
	"  c             complete the item under the cursor: tick all\n"	      \
	"                its unticked actions after one question\n"	      \
	"  d             mark the step (or the item under the cursor)\n"	      \
	"                done; asks first if actions are unticked\n"	      \
	"  s             skip the step (or the item under the cursor):\n"	      \
	"                asks a reason, which is recorded\n"		      \
	"  u             reopen (also an item skipped in an earlier step)\n" \
	"  r             run this step's checks; Esc cancels (last stay)\n"  \
	"  w             the way back (rollback): what was done, in the\n"    \
	"                order to undo it; Enter ticks its actions\n"	      \
	"  C             claim the item under the cursor (others see you\n"   \
	"                are on it; advisory); C again releases it\n"	      \
	"  n / b         next step / back to the previous step\n"	      \
	"  e             settings (connections, inventories, window)\n"	      \
	types_line							      \
	"An item done folds to one line and the next one opens.\n"	      \
	"On the servers step, ticking a server's first action pings its\n"    \
	"url (before its reconfiguration) and its last action pings it\n"     \
	"again (after); its checklist shows both (c takes the after one).\n"  \
	"Marks: [x] done  [x]! done with actions unticked (forced)\n"	      \
	"       [>] current or in progress  [ ] pending  [-] skipped\n"      \
	"       [!] failed (or its last checks FAILED)\n"		      \
	"A step is in progress from its first tick and done when every "      \
	"action and every item is ticked (or d; a step with actions "	      \
	"unticked asks first). A typed reason, recorded with what it "	      \
	"overrode, is asked before marking done (d, or the last tick) "	      \
	"over failed or stale checks or type blockers, an item with "	      \
	"actions unticked ([x]! forced), the order the procedure sets or "    \
	"a lock (decommission: every earlier step and the clone "	      \
	"verification).\n"						      \
	"The title bar: time since the first tick, the local time and, "      \
	"with [change] window_end, the time left in the window."

static const char *step_help(struct app *a, void *data)
{
	(void)data;
	if (runbook_has_types(a->rb))
		return STEP_HELP("  t             type verification results\n");
	return STEP_HELP("");
}

const struct screen_ops screen_step = {
	.name = "step",
	.steplist = true,
	.private_size = sizeof(struct step_screen),
	.free = step_free,
	.enter = step_enter,
	.draw = step_draw,
	.request = step_request,
	.footer = step_footer,
	.help = step_help,
};
