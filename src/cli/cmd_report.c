/* cmd_report.c - `osmigrate report`: the change record a change board asks
 * for.  One model (struct rec below, built from the state file, the runbook
 * tables and the journal) is written three ways: Markdown that pastes into
 * a ticket, plain text, and versioned JSON (documented in osmigrate(1)).
 * Nothing secret is in a state file; conninfo values are masked anyway. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "check.h"
#include "commands.h"
#include "dbtabs.h"
#include "exitcodes.h"
#include "journal.h"
#include "json.h"
#include "output.h"
#include "progress.h"
#include "rollback.h"
#include "typescan.h"
#include "runbook.h"
#include "schema.h"
#include "state.h"
#include "text.h"
#include "typescan.h"
#include "util.h"

#define REPORT_VERSION 1

enum fmt { FMT_MD, FMT_TEXT, FMT_JSON };

static void report_usage(FILE *f)
{
	fprintf(f,
"Usage: osmigrate report [--state FILE | --runbook ID] [--format md|json|text]\n"
"                        [-o FILE]\n"
"Write the change record: the verdict (complete, complete with N overrides,\n"
"incomplete, rolled back), the ticket ([change] ticket), window, duration\n"
"and operators, the overrides and forced items, every step and item with\n"
"who/when/notes/skip\n"
"reasons, every check with its result and time, the type findings (blockers\n"
"first), the environment (the settings the runbook uses, no passwords) and\n"
"what is still outstanding.\n"
"\n"
"  -f, --format FMT    md (default, pastes into a ticket), json (versioned,\n"
"                      see osmigrate(1)) or text\n"
"  -o, --output FILE   write to FILE (mode 0600) instead of stdout; it is\n"
"                      replaced only once the whole record is written\n"
"  -s, --state FILE    the state file (default: the one default state file)\n"
"  -r, --runbook ID    use the default state file of this runbook\n"
"  -h, --help          display this help and exit\n"
"\n"
"Exit status: 0 written, 64 usage or no state file, 65 bad state file,\n"
"74 output not written.\n");
}

/* ------------------------------------------------------------------ */
/* Small writers: every value from the state file goes through one of them. */

/* A secret never belongs in a state file, but a conninfo is masked anyway. */
static char *mask(const char *v)
{
	return mask_secrets(v);
}

/* Markdown inline text (output.h). */
static void md(struct strbuf *sb, const char *s)
{
	output_md(sb, s);
}

/* A GFM code span: the content is taken literally (backslash escapes are
 * not processed there), so nothing is escaped; the fence is one backtick
 * longer than the longest run inside, with a space of padding when the
 * content starts or ends with a backtick or a space (CommonMark 6.1).  In
 * a table cell a '|' would still end the cell and "\|" is only half
 * literal, so such content is written as escaped text instead. */
static void md_code(struct strbuf *sb, const char *s, bool in_table)
{
	char *safe = text_safe(s);
	size_t run = 0, longest = 0, n = strlen(safe);
	bool pad;

	if (n == 0 || (in_table && strchr(safe, '|'))) {
		md(sb, safe);
		free(safe);
		return;
	}
	for (const char *p = safe; *p; p++) {
		run = *p == '`' ? run + 1 : 0;
		if (run > longest)
			longest = run;
	}
	pad = safe[0] == '`' || safe[n - 1] == '`' || (safe[0] == ' ' && safe[n - 1] == ' ');
	for (size_t i = 0; i <= longest; i++)
		sb_addc(sb, '`');
	if (pad)
		sb_addc(sb, ' ');
	sb_add(sb, safe);
	if (pad)
		sb_addc(sb, ' ');
	for (size_t i = 0; i <= longest; i++)
		sb_addc(sb, '`');
	free(safe);
}

/* Plain text: control characters replaced, newlines kept as spaces. */
static void tx(struct strbuf *sb, const char *s)
{
	char *safe = output_safe(s);

	sb_add(sb, safe);
	free(safe);
}

/* ------------------------------------------------------------------ */
/* The record. */

struct ctx_rep {
	const struct state *st;
	const struct runbook *rb;
	const char *path;
	struct journal j;
	char journal_error[1024]; /* why the journal was not used; "" when it was */
	const char **operators;
	size_t n_operators;
	char now[OSM_ISO_LEN];
};

static void add_operator(struct ctx_rep *r, const char *who, bool tick)
{
	const char *sp;
	char *w;

	if (str_empty(who))
		return;
	/* Tick values are "OPERATOR TIME": keep the operator ("user@host", or
	 * "NAME (user@host)" with --operator: it may hold spaces). */
	sp = tick ? strrchr(who, ' ') : NULL;
	w = sp ? xstrndup(who, (size_t)(sp - who)) : xstrdup(who);
	for (size_t i = 0; i < r->n_operators; i++)
		if (str_eq(r->operators[i], w)) {
			free(w);
			return;
		}
	r->operators = xreallocarray(r->operators, r->n_operators + 1, sizeof *r->operators);
	r->operators[r->n_operators++] = w;
}

static void collect_operators(struct ctx_rep *r)
{
	const struct doc *d = r->st->doc;
	size_t n = doc_nsections(d);

	for (size_t i = 0; i < n; i++) {
		const char *kind = doc_section_kind(d, i);

		if (!str_eq(kind, "step") && !str_eq(kind, "item") && !str_eq(kind, "osmigrate"))
			continue;
		for (size_t k = 0; k < doc_nkeys(d, i); k++) {
			const char *key = doc_key(d, i, k);

			if (str_eq(key, "by") || str_eq(key, "updated_by") ||
			    str_eq(key, "override_by") || str_startswith(key, "tick."))
				add_operator(r, doc_value(d, i, k), str_startswith(key, "tick."));
		}
	}
	for (size_t i = 0; i < r->j.n; i++)
		add_operator(r, r->j.e[i].operator, false);
}

static const char *item_get(const struct state *st, const char *step, const char *item,
			    const char *key)
{
	char *sec = state_item_section(step, item);
	const char *v = doc_get(st->doc, "item", sec, key);

	free(sec);
	return v;
}

/* Was the result id overridden (listed in what an override overrode)? */
static bool result_overridden(const struct progress_overrides *o, const char *id)
{
	char *pre = xasprintf("result %s ", id);
	bool found = false;

	for (size_t i = 0; i < o->n && !found; i++) {
		const char *p = o->r[i].overrode;

		while (p && *p && !found) {
			found = str_startswith(p, pre);
			p = strstr(p, "; ");
			if (p)
				p += 2;
		}
	}
	free(pre);
	return found;
}

/* Outstanding work, in procedure order, each thing once: one line per open
 * step (its lock, its unticked actions, its open items), then each check
 * that did not pass and was not overridden (overrides have their own
 * section), then the type verification only where no check result says it. */
static char **outstanding(const struct ctx_rep *r, size_t *count)
{
	char **out = NULL;
	size_t n = 0;
	const struct doc *d = r->st->doc;
	struct progress_overrides ov;
	bool types_result = false;

#define PUSH(str) do { \
		out = xreallocarray(out, n + 1, sizeof *out); \
		out[n++] = (str); \
	} while (0)
	for (size_t i = 0; i < r->rb->n_steps; i++) {
		const struct rb_step *s = &r->rb->steps[i];
		enum step_status ss = state_step_status(r->st, s->id);
		struct step_progress p;
		struct strbuf sb = STRBUF_INIT;
		const char **items;
		size_t ni, open = 0;

		if (ss == STEP_DONE || ss == STEP_SKIPPED)
			continue;
		progress_step(r->st, r->rb, s, &p);
		sb_addf(&sb, "step %s (%s) is %s", s->id, s->title, step_status_name(ss));
		if (p.locked) {
			const struct rb_gate *g;
			const char *pending;

			progress_lock_why(r->st, r->rb, s, &g, &pending);
			if (pending)
				sb_addf(&sb, ", locked until step %s is done or skipped", pending);
			else
				sb_addf(&sb, ", locked until the %s is %s", g->subject, g->passed);
		}
		if (p.actions_ticked < p.n_actions)
			sb_addf(&sb, "; %zu of %zu action%s not ticked", p.n_actions - p.actions_ticked,
				p.n_actions, p.n_actions == 1 ? "" : "s");
		if (s->items != ITEM_NONE && p.n_items == 0)
			sb_addf(&sb, "; no %ss configured", item_kind_label(s->items));
		items = progress_items(r->st, s, &ni);
		for (size_t k = 0; k < ni; k++) {
			enum step_status is = progress_item_status(r->st, r->rb, s, items[k], NULL,
								   NULL);

			if (is == STEP_DONE || is == STEP_SKIPPED)
				continue;
			sb_addf(&sb, "%s'%s' (%s, %zu/%zu actions)",
				open++ ? ", " : "; open: ", items[k], step_status_name(is),
				progress_item_ticked(r->st, s, items[k]), s->n_item_actions);
		}
		free(items);
		PUSH(sb_detach(&sb));
	}
	progress_overrides(r->st, r->rb, &ov);
	{
		struct check_results rs;

		check_results_all(d, &rs);
		for (size_t i = 0; i < rs.n; i++) {
			const struct check_record *rec = &rs.r[i];

			if (str_eq(rec->id, "type_verification"))
				types_result = true;
			if (result_overridden(&ov, rec->id))
				continue;
			if (rec->stale_reason)
				PUSH(xasprintf("check %s: stale (was %s) - %s", rec->id,
					       rec->status_known ? check_status_word(rec->status) : "?",
					       rec->stale_reason));
			else if (rec->status_known && rec->status != CHECK_OK)
				PUSH(xasprintf("check %s: %s%s%s%s", rec->id,
					       check_status_word(rec->status),
					       rec->cancelled ? " (cancelled)" : "",
					       rec->fix ? " - " : "", rec->fix ? rec->fix : ""));
		}
		check_results_free(&rs);
	}
	progress_overrides_free(&ov);
	if (!types_result) {
		const char *b = doc_get(d, "types", NULL, "blockers");
		enum check_freshness f = doc_has_section(d, "types", NULL)
			? check_digest_freshness(d, "type_verification",
						 doc_get(d, "types", NULL, "settings_digest"))
			: CHECK_CURRENT;

		if (b && strtol(b, NULL, 10) > 0)
			PUSH(xasprintf("type verification: %s %s to resolve before the migration", b,
				       plural((unsigned long long)strtol(b, NULL, 10), "blocker",
					      "blockers")));
		if (f != CHECK_CURRENT)
			PUSH(xasprintf("type verification: stale - %s", check_freshness_text(f)));
	}
#undef PUSH
	*count = n;
	return out;
}

/* ---- the verdict, the ticket, the window ---- */

static void verdict_text(const struct ctx_rep *r, enum progress_verdict *v, size_t *n,
			 char *buf, size_t len)
{
	*v = rollback_verdict(r->st, r->rb, n);
	progress_verdict_text(*v, *n, buf, len);
}

static const char *verdict_key(enum progress_verdict v)
{
	switch (v) {
	case PROGRESS_COMPLETE: return "complete";
	case PROGRESS_COMPLETE_OVERRIDES: return "complete_with_overrides";
	case PROGRESS_ROLLED_BACK: return "rolled_back";
	case PROGRESS_INCOMPLETE: break;
	}
	return "incomplete";
}

/* Seconds from the procedure's start to its last update, or -1. */
static long long window_seconds(const struct doc *d)
{
	time_t a, b;

	if (!iso8601_parse(doc_get(d, "osmigrate", NULL, "created"), &a) ||
	    !iso8601_parse(doc_get(d, "osmigrate", NULL, "updated"), &b) || b < a)
		return -1;
	return (long long)(b - a);
}

static char *window_duration(long long secs)
{
	char b[32];

	if (secs < 0)
		return xstrdup("unknown (no start or last update recorded)");
	duration_text(secs, b, sizeof b);  /* the clock's one wording (util.h) */
	return xstrdup(b);
}

/* The step's status as status and the wizard show it: its mark ([x]!
 * forced, [!] also for a step still open whose checks FAILED), its status,
 * and why the mark differs. */
static char *step_shown(const struct ctx_rep *r, const struct rb_step *s,
			const struct step_progress *p, bool with_mark)
{
	enum step_status sh = check_step_shown_status(r->st, r->rb, s);
	bool forced = progress_forced(r->st, r->rb, s, NULL);

	return xasprintf("%s%s%s%s%s%s", with_mark ? progress_mark(r->st, r->rb, s, NULL, sh) : "",
			 with_mark ? " " : "", step_status_name(p->status),
			 sh == STEP_FAILED && p->status != STEP_FAILED ? ", checks FAILED" : "",
			 forced ? ", forced (actions unticked)" : "", p->locked ? " (locked)" : "");
}

static void free_lines(char **l, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(l[i]);
	free(l);
}

/* ------------------------------------------------------------------ */
/* JSON */

static void json_actions(struct json_writer *w, const struct state *st, const struct runbook *rb,
			 const struct rb_step *s, const char *item)
{
	const struct rb_action *a = item ? s->item_actions : s->actions;
	size_t n = item ? s->n_item_actions : s->n_actions;

	jw_array(w);
	for (size_t i = 0; i < n; i++) {
		const char *by = NULL, *at = NULL;
		bool t = state_ticked(st, s->id, item, a[i].id, &by, &at);

		jw_object(w);
		jw_kstr(w, "id", a[i].id);
		jw_kstr(w, "text", item ? item_action_text(rb, s, &a[i], st->doc, item) : a[i].text);
		jw_kbool(w, "ticked", t);
		jw_kstr(w, "by", t ? by : NULL);
		jw_kstr(w, "at", t ? at : NULL);
		if (item && action_shows_db_tabs(s, &a[i])) {
			size_t nd;
			const struct schema_name *dbs = dbtabs_all(&nd);

			/* per Configuration Tool tab, the address to type */
			jw_key(w, "tabs");
			jw_array(w);
			for (size_t k = 0; k < nd; k++) {
				char *l = dbtabs_line(st->doc, &dbs[k]);

				jw_object(w);
				jw_kstr(w, "tab", dbs[k].title);
				jw_kstr(w, "old", doc_get(st->doc, "endpoint", dbs[k].name, "old"));
				jw_kstr(w, "new", doc_get(st->doc, "endpoint", dbs[k].name, "new"));
				jw_kstr(w, "text", l);
				jw_end(w);
				free(l);
			}
			jw_end(w);
		}
		jw_end(w);
	}
	jw_end(w);
}

/* The environment: the settings the runbook uses, in the schema's order
 * (schema.h), every value masked.  The JSON groups them by section. */
struct json_env {
	struct json_writer *w;
	bool open;   /* a section's object and its values are open */
};

static void json_env_section(void *ud, const char *kind, const char *name)
{
	struct json_env *e = ud;

	if (e->open) {
		jw_end(e->w);
		jw_end(e->w);
	}
	e->open = true;
	jw_object(e->w);
	jw_kstr(e->w, "section", kind);
	jw_kstr(e->w, "name", name);
	jw_key(e->w, "values");
	jw_object(e->w);
}

static void json_env_value(void *ud, const char *kind, const char *name, const char *key,
			   const char *v)
{
	struct json_env *e = ud;
	char *m = mask(v);

	(void)kind;
	(void)name;
	jw_kstr(e->w, key, m);
	free(m);
}

static void json_settings(struct json_writer *w, const struct doc *d, const char *runbook)
{
	struct json_env e = { w, false };

	jw_array(w);
	schema_each_setting(d, runbook, json_env_section, json_env_value, &e);
	if (e.open) {
		jw_end(w);
		jw_end(w);
	}
	jw_end(w);
}

static void json_checks(struct json_writer *w, const struct doc *d)
{
	struct check_results rs;

	check_results_all(d, &rs);
	jw_array(w);
	for (size_t i = 0; i < rs.n; i++) {
		const struct check_record *rec = &rs.r[i];

		jw_object(w);
		jw_kstr(w, "id", rec->id);
		jw_kstr(w, "label", rec->label);
		jw_kstr(w, "status", rec->status_text);
		jw_kstr(w, "at", rec->at);
		jw_kstr(w, "summary", rec->summary);
		jw_kstr(w, "detail", rec->detail);
		jw_kstr(w, "fix", rec->fix);
		jw_kbool(w, "stale", rec->stale_reason != NULL);
		jw_kstr(w, "stale_reason", rec->stale_reason);
		jw_kbool(w, "cancelled", rec->cancelled);
		jw_end(w);
	}
	jw_end(w);
	check_results_free(&rs);
}

static long long num_or(const char *s, long long dflt)
{
	char *end;
	long long v;

	if (str_empty(s))
		return dflt;
	v = strtoll(s, &end, 10);
	return *end ? dflt : v;
}

static void json_types(struct json_writer *w, const struct doc *d)
{
	static const char *const fkeys[] = {
		"code", "severity", "schema", "table", "column", "pg_type", "ardo_type",
		"supported_type", "samples", "message", "fix",
	};

	if (!doc_has_section(d, "types", NULL)) {
		jw_null(w);
		return;
	}
	jw_object(w);
	jw_kstr(w, "at", doc_get(d, "types", NULL, "at"));
	jw_kstr(w, "scope", doc_get(d, "types", NULL, "scope"));
	jw_kint(w, "blockers", num_or(doc_get(d, "types", NULL, "blockers"), 0));
	jw_kint(w, "warnings", num_or(doc_get(d, "types", NULL, "warnings"), 0));
	jw_kint(w, "infos", num_or(doc_get(d, "types", NULL, "infos"), 0));
	jw_kint(w, "columns", num_or(doc_get(d, "types", NULL, "columns"), 0));
	jw_key(w, "findings");
	jw_array(w);
	for (size_t i = 0; i < doc_nsections(d); i++) {
		const char *id = doc_section_name(d, i);

		if (!str_eq(doc_section_kind(d, i), "finding") || !id)
			continue;
		jw_object(w);
		for (size_t k = 0; k < OSM_ARRAY_LEN(fkeys); k++)
			jw_kstr(w, fkeys[k], doc_get(d, "finding", id, fkeys[k]));
		jw_kint(w, "count", num_or(doc_get(d, "finding", id, "count"), 0));
		jw_end(w);
	}
	jw_end(w);
	jw_end(w);
}

/* A rollback that happened (rollback.h): each item whose way back began,
 * with its rollback ticks.  "rollback": null when none happened. */
static void json_rollback(struct json_writer *w, const struct ctx_rep *r)
{
	struct rollback_path p;

	jw_key(w, "rollback");
	if (!rollback_happened(r->st, r->rb) || !rollback_build(r->st, r->rb, &p)) {
		jw_null(w);
		return;
	}
	jw_object(w);
	jw_kstr(w, "step", p.step->id);
	jw_key(w, "items");
	jw_array(w);
	for (size_t i = 0; i < p.n; i++) {
		if (!p.e[i].ticked)
			continue;
		jw_object(w);
		jw_kstr(w, "name", p.e[i].item);
		jw_key(w, "actions");
		jw_array(w);
		for (size_t k = 0; k < p.rb->n_actions; k++) {
			const char *by = NULL, *at = NULL;
			bool t = state_ticked(r->st, p.step->id, p.e[i].item, p.rb->actions[k].id,
					      &by, &at);

			jw_object(w);
			jw_kstr(w, "id", p.rb->actions[k].id);
			jw_kbool(w, "ticked", t);
			jw_kstr(w, "by", by);
			jw_kstr(w, "at", at);
			jw_end(w);
		}
		jw_end(w);
		jw_end(w);
	}
	jw_end(w);
	jw_end(w);
	rollback_free(&p);
}

static void write_json(struct strbuf *sb, struct ctx_rep *r)
{
	const struct doc *d = r->st->doc;
	struct type_index *tix = type_index_build(d); /* the findings, read once */
	struct progress_next nx;
	struct json_writer jw, *w = &jw;
	char **outs;
	size_t nouts;

	jw_init(w, sb);
	jw_object(w);
	jw_kint(w, "version", REPORT_VERSION);
	jw_kstr(w, "generated", r->now);
	jw_kstr(w, "generated_by", operator_id());
	jw_key(w, "runbook");
	jw_object(w);
	jw_kstr(w, "id", r->rb->id);
	jw_kstr(w, "title", r->rb->title);
	jw_kstr(w, "seed", r->rb->seed);
	jw_end(w);
	jw_key(w, "state");
	jw_object(w);
	jw_kstr(w, "path", r->path);
	jw_kstr(w, "created", doc_get(d, "osmigrate", NULL, "created"));
	jw_kstr(w, "updated", doc_get(d, "osmigrate", NULL, "updated"));
	jw_kstr(w, "updated_by", doc_get(d, "osmigrate", NULL, "updated_by"));
	jw_kstr(w, "current", doc_get(d, "osmigrate", NULL, "current"));
	jw_end(w);
	jw_key(w, "environment");
	json_settings(w, d, r->rb->id);
	jw_key(w, "operators");
	jw_array(w);
	for (size_t i = 0; i < r->n_operators; i++)
		jw_str(w, r->operators[i]);
	jw_end(w);
	{
		enum progress_verdict v;
		size_t nov;
		char vt[64];
		long long secs = window_seconds(d);
		struct progress_overrides ov;

		verdict_text(r, &v, &nov, vt, sizeof vt);
		jw_key(w, "verdict");
		jw_object(w);
		jw_kstr(w, "status", verdict_key(v));
		jw_kstr(w, "text", vt);
		jw_kint(w, "overrides", (long long)nov);
		jw_end(w);
		jw_kstr(w, "ticket", doc_get(d, "change", NULL, "ticket"));
		jw_key(w, "window");
		jw_object(w);
		jw_kstr(w, "start", doc_get(d, "osmigrate", NULL, "created"));
		jw_kstr(w, "end", doc_get(d, "osmigrate", NULL, "updated"));
		jw_key(w, "seconds");
		if (secs < 0)
			jw_null(w);
		else
			jw_int(w, secs);
		jw_end(w);
		jw_key(w, "overrides");
		jw_array(w);
		progress_overrides(r->st, r->rb, &ov);
		for (size_t i = 0; i < ov.n; i++) {
			const struct progress_override_rec *o = &ov.r[i];

			jw_object(w);
			jw_kstr(w, "step", o->step->id);
			jw_kstr(w, "item", o->item);
			jw_kbool(w, "forced", o->forced);
			jw_kint(w, "actions", (long long)o->total);
			jw_kint(w, "actions_ticked", (long long)o->ticked);
			jw_kstr(w, "reason", o->reason);
			jw_kstr(w, "by", o->by);
			jw_kstr(w, "at", o->at);
			jw_kstr(w, "overrode", o->overrode);
			jw_end(w);
		}
		progress_overrides_free(&ov);
		jw_end(w);
	}

	jw_key(w, "steps");
	jw_array(w);
	for (size_t i = 0; i < r->rb->n_steps; i++) {
		const struct rb_step *s = &r->rb->steps[i];
		struct step_progress p;
		const char **items;
		size_t ni;

		progress_step(r->st, r->rb, s, &p);
		jw_object(w);
		jw_kstr(w, "id", s->id);
		jw_kstr(w, "title", s->title);
		jw_kstr(w, "status", step_status_name(p.status));
		{
			/* What status and the wizard show: "failed" also for a step
			 * still open whose checks FAILED (M2). */
			enum step_status sh = check_step_shown_status(r->st, r->rb, s);

			jw_kstr(w, "verdict", step_status_name(sh));
			jw_kstr(w, "mark", progress_mark(r->st, r->rb, s, NULL, sh));
			jw_kbool(w, "forced", progress_forced(r->st, r->rb, s, NULL));
		}
		jw_kstr(w, "by", doc_get(d, "step", s->id, "by"));
		jw_kstr(w, "at", doc_get(d, "step", s->id, "at"));
		{
			const char *started, *ended;
			long long dur = state_step_times(r->st, s->id, &started, &ended);

			/* UTC as stored; the text and Markdown show local time */
			jw_kstr(w, "started", started);
			jw_kstr(w, "ended", ended);
			jw_key(w, "duration_s");
			if (dur >= 0)
				jw_int(w, dur);
			else
				jw_null(w);
		}
		jw_kstr(w, "note", state_note(r->st, s->id, NULL));
		jw_kstr(w, "reason", doc_get(d, "step", s->id, "reason"));
		jw_kbool(w, "locked", p.locked);
		jw_key(w, "progress");
		jw_object(w);
		jw_kint(w, "actions", (long long)p.n_actions);
		jw_kint(w, "actions_ticked", (long long)p.actions_ticked);
		jw_kint(w, "items", (long long)p.n_items);
		jw_kint(w, "items_done", (long long)p.items_done);
		jw_kint(w, "items_skipped", (long long)p.items_skipped);
		jw_end(w);
		jw_key(w, "actions");
		json_actions(w, r->st, r->rb, s, NULL);
		jw_kstr(w, "item_kind", item_kind_section(s->items));
		jw_key(w, "items");
		jw_array(w);
		items = progress_items(r->st, s, &ni);
		for (size_t k = 0; k < ni; k++) {
			jw_object(w);
			jw_kstr(w, "name", items[k]);
			if (s->items == ITEM_SERVER)
				jw_kstr(w, "role", doc_get(d, "server", items[k], "role"));
			{
				const char *ir;
				const struct rb_step *from;
				enum step_status is = progress_item_status(r->st, r->rb, s, items[k],
									   &ir, &from);

				jw_kstr(w, "status", step_status_name(is));
				jw_kstr(w, "skipped_in", from ? from->id : NULL);
				jw_kbool(w, "forced", progress_forced(r->st, r->rb, s, items[k]));
				jw_kstr(w, "by", item_get(r->st, s->id, items[k], "by"));
				jw_kstr(w, "at", item_get(r->st, s->id, items[k], "at"));
				jw_kstr(w, "note", state_note(r->st, s->id, items[k]));
				jw_kstr(w, "reason", ir);
				if (s->types == TYPES_ITEMS) {
					/* What Refresh Entity will do to this extension. */
					enum check_verdict v;
					char *found = type_extension_findings(d, tix, items[k], 0, &v);

					jw_key(w, "type_verification");
					jw_object(w);
					jw_kstr(w, "verdict", check_verdict_word(v));
					jw_kstr(w, "summary", found);
					jw_end(w);
					free(found);
				}
			}
			jw_key(w, "actions");
			json_actions(w, r->st, r->rb, s, items[k]);
			jw_end(w);
		}
		free(items);
		jw_end(w);
		jw_end(w);
	}
	jw_end(w);

	jw_key(w, "checks");
	json_checks(w, d);
	jw_key(w, "types");
	if (runbook_has_types(r->rb))
		json_types(w, d);
	else
		jw_null(w);  /* the runbook has no type verification */

	json_rollback(w, r);

	jw_key(w, "outstanding");
	outs = outstanding(r, &nouts);
	jw_array(w);
	for (size_t i = 0; i < nouts; i++)
		jw_str(w, outs[i]);
	jw_end(w);
	free_lines(outs, nouts);

	jw_key(w, "next");
	progress_next(r->st, r->rb, &nx);
	if (!nx.step) {
		jw_null(w);
	} else {
		jw_object(w);
		jw_kstr(w, "step", nx.step->id);
		jw_kstr(w, "item", nx.item);
		jw_kstr(w, "action", nx.action ? nx.action->id : NULL);
		jw_kstr(w, "text", !nx.action ? NULL : nx.item
			? item_action_text(r->rb, nx.step, nx.action, r->st->doc, nx.item)
			: nx.action->text);
		jw_end(w);
	}
	jw_key(w, "journal");
	jw_object(w);
	jw_kint(w, "events", (long long)r->j.n);
	jw_kint(w, "ignored_lines", (long long)r->j.bad);
	jw_kstr(w, "error", r->journal_error[0] ? r->journal_error : NULL);
	jw_end(w);
	jw_end(w);
	sb_addc(sb, '\n');
	type_index_free(tix);
}

/* ------------------------------------------------------------------ */
/* Markdown and text share their structure; esc picks the escaping. */

typedef void (*esc_fn)(struct strbuf *, const char *);

static void line(struct strbuf *sb, esc_fn esc, const char *prefix, const char *v)
{
	sb_add(sb, prefix);
	esc(sb, v);
	sb_addc(sb, '\n');
}

/* " (by at)": who ticked or marked, and when. */
static void by_at(struct strbuf *sb, esc_fn esc, const char *by, const char *at)
{
	sb_add(sb, " (");
	esc(sb, by);
	sb_add(sb, " ");
	esc(sb, at);
	sb_add(sb, ")");
}

/* One action line: "[x] text (by at)" after the prefix of its depth. */
static void action_line(struct strbuf *sb, esc_fn esc, const char *prefix, const char *text,
			bool ticked, const char *by, const char *at)
{
	sb_add(sb, prefix);
	sb_add(sb, ticked ? "[x] " : "[ ] ");
	esc(sb, text);
	if (ticked)
		by_at(sb, esc, by, at);
	sb_addc(sb, '\n');
}

/* Under the Configuration Tool action: per tab, the address to type. */
static void tab_lines(struct strbuf *sb, esc_fn esc, const struct doc *d, const char *prefix)
{
	size_t n;
	const struct schema_name *dbs = dbtabs_all(&n);

	for (size_t i = 0; i < n; i++) {
		char *l = dbtabs_line(d, &dbs[i]);

		line(sb, esc, prefix, l);
		free(l);
	}
}

struct text_env {
	struct strbuf *sb;
	esc_fn esc;
	bool mdfmt, any;
};

static void text_env_section(void *ud, const char *kind, const char *name)
{
	struct text_env *e = ud;

	if (!e->any && e->mdfmt)
		sb_add(e->sb, "| Setting | Value |\n|---|---|\n");
	e->any = true;
}

static void text_env_value(void *ud, const char *kind, const char *name, const char *key,
			   const char *v)
{
	struct text_env *e = ud;
	char *k = name ? xasprintf("%s \"%s\" %s", kind, name, key) : xasprintf("%s.%s", kind, key);
	char *m = mask(v);

	sb_add(e->sb, e->mdfmt ? "| " : "  ");
	e->esc(e->sb, k);
	sb_add(e->sb, e->mdfmt ? " | " : " = ");
	e->esc(e->sb, m);
	sb_add(e->sb, e->mdfmt ? " |\n" : "\n");
	free(k);
	free(m);
}

/* A rollback that happened: which items went back, and how far. */
static void doc_rollback(struct strbuf *sb, const struct ctx_rep *r, esc_fn esc, bool mdfmt)
{
	struct rollback_path p;

	if (!rollback_happened(r->st, r->rb) || !rollback_build(r->st, r->rb, &p))
		return;
	sb_add(sb, mdfmt ? "\n## Rollback\n\n" : "\nROLLBACK\n");
	line(sb, esc, mdfmt ? "" : "  ", "A rollback happened: the way back was begun for the "
	     "items below (osmigrate rollback shows the whole path).");
	if (mdfmt)
		sb_addc(sb, '\n');
	for (size_t i = 0; i < p.n; i++) {
		char *w;

		if (!p.e[i].ticked)
			continue;
		w = xasprintf("%s: %zu/%zu rollback actions done", p.e[i].item, p.e[i].ticked,
			      p.rb->n_actions);
		line(sb, esc, mdfmt ? "- " : "  - ", w);
		free(w);
		for (size_t k = 0; k < p.rb->n_actions; k++) {
			const char *by = NULL, *at = NULL;
			bool t = state_ticked(r->st, p.step->id, p.e[i].item, p.rb->actions[k].id,
					      &by, &at);

			action_line(sb, esc, mdfmt ? "  - " : "      ", p.rb->actions[k].text, t, by, at);
		}
	}
	rollback_free(&p);
}

static void write_doc(struct strbuf *sb, struct ctx_rep *r, bool mdfmt)
{
	const struct doc *d = r->st->doc;
	struct type_index *tix = type_index_build(d); /* the findings, read once */
	esc_fn esc = mdfmt ? md : tx;
	struct check_results rs;
	struct progress_overrides ov;
	char **outs;
	size_t nouts;
	bool any;

	if (mdfmt) {
		sb_add(sb, "# Change record: ");
		md(sb, r->rb->title);
		sb_add(sb, "\n\n");
	} else {
		sb_add(sb, "CHANGE RECORD: ");
		tx(sb, r->rb->title);
		sb_add(sb, "\n\n");
	}
	{
		/* The verdict first: what a change board asks before anything else. */
		enum progress_verdict v;
		size_t nov;
		char vt[64];
		const char *ticket = doc_get(d, "change", NULL, "ticket");
		char *dur = window_duration(window_seconds(d)), *win;
		struct strbuf ops = STRBUF_INIT;

		verdict_text(r, &v, &nov, vt, sizeof vt);
		if (mdfmt) {
			sb_add(sb, "**Verdict: ");
			md(sb, vt);
			sb_add(sb, "**\n\n");
		} else {
			sb_add(sb, "Verdict:    ");
			tx(sb, vt);
			sb_addc(sb, '\n');
		}
		line(sb, esc, mdfmt ? "- Ticket: " : "Ticket:     ",
		     ticket ? ticket : "none recorded (settings [change] ticket)");
		win = xasprintf("%s to %s (UTC: from the start of the procedure to its last "
				"recorded change)",
				doc_get_or(d, "osmigrate", NULL, "created", "?"),
				doc_get_or(d, "osmigrate", NULL, "updated", "?"));
		line(sb, esc, mdfmt ? "- Window: " : "Window:     ", win);
		free(win);
		line(sb, esc, mdfmt ? "- Duration: " : "Duration:   ", dur);
		free(dur);
		for (size_t i = 0; i < r->n_operators; i++)
			sb_addf(&ops, "%s%s", i ? ", " : "", r->operators[i]);
		line(sb, esc, mdfmt ? "- Operators: " : "Operators:  ",
		     r->n_operators ? sb_str(&ops) : "(none recorded)");
		sb_free(&ops);
	}
	line(sb, esc, mdfmt ? "- Runbook: " : "Runbook:    ", r->rb->id);
	line(sb, esc, mdfmt ? "- State file: " : "State file: ", r->path);
	{
		char *gen = xasprintf("%s by %s", r->now, operator_id());

		line(sb, esc, mdfmt ? "- Generated: " : "Generated:  ", gen);
		free(gen);
	}

	sb_add(sb, mdfmt ? "\n## Overrides and forced items\n\n" : "\nOVERRIDES AND FORCED ITEMS\n");
	{
		progress_overrides(r->st, r->rb, &ov);
		for (size_t i = 0; i < ov.n; i++) {
			const struct progress_override_rec *o = &ov.r[i];
			struct strbuf w = STRBUF_INIT;

			sb_addf(&w, "step %s", o->step->id);
			if (o->item)
				sb_addf(&w, ", %s '%s'", item_kind_label(o->step->items), o->item);
			if (o->forced)
				sb_addf(&w, ": forced, done with %zu/%zu actions ticked", o->ticked,
					o->total);
			sb_addf(&w, ": %s", o->reason ? o->reason : "(no reason given)");
			sb_addf(&w, " (by %s at %s)", o->by ? o->by : "?", o->at ? o->at : "?");
			if (o->overrode)
				sb_addf(&w, "; overrode: %s", o->overrode);
			line(sb, esc, mdfmt ? "- " : "  - ", sb_str(&w));
			sb_free(&w);
		}
		if (!ov.n)
			sb_add(sb, mdfmt ? "None: no gate was overridden and nothing was marked done "
					   "with actions unticked.\n"
					 : "  none: no gate was overridden and nothing was marked done with "
					   "actions unticked\n");
		progress_overrides_free(&ov);
	}

	sb_add(sb, mdfmt ? "\n## Steps\n\n| # | Step | Status | By | At | Progress |\n|---|---|---|---|---|---|\n"
			 : "\nSTEPS\n");
	for (size_t i = 0; i < r->rb->n_steps; i++) {
		const struct rb_step *s = &r->rb->steps[i];
		struct step_progress p;
		char prog[160];

		progress_step(r->st, r->rb, s, &p);
		progress_format(s, &p, prog, sizeof prog);
		if (mdfmt) {
			sb_addf(sb, "| %zu | ", i + 1);
			md(sb, s->title);
			sb_add(sb, " (");
			md_code(sb, s->id, true);
			sb_add(sb, ") | ");
			{
				char *shown = step_shown(r, s, &p, true);

				md(sb, shown);
				free(shown);
			}
			sb_add(sb, " | ");
			md(sb, doc_get(d, "step", s->id, "by"));
			sb_add(sb, " | ");
			md(sb, doc_get(d, "step", s->id, "at"));
			sb_add(sb, " | ");
			md(sb, prog);
			sb_add(sb, " |\n");
		} else {
			{
				enum step_status sh = check_step_shown_status(r->st, r->rb, s);
				char *shown = step_shown(r, s, &p, false);

				sb_addf(sb, "  %s %-2zu %-14s %s  %s\n",
					progress_mark(r->st, r->rb, s, NULL, sh), i + 1, s->id, shown,
					prog);
				free(shown);
			}
			if (doc_get(d, "step", s->id, "by") || doc_get(d, "step", s->id, "at")) {
				sb_add(sb, "         by ");
				tx(sb, doc_get(d, "step", s->id, "by"));
				sb_add(sb, " at ");
				tx(sb, doc_get(d, "step", s->id, "at"));
				sb_addc(sb, '\n');
			}
		}
	}
	/* Details: everything ticked, noted, skipped or overridden, per step. */
	for (size_t i = 0; i < r->rb->n_steps; i++) {
		const struct rb_step *s = &r->rb->steps[i];
		const char *note = state_note(r->st, s->id, NULL);
		const char *reason = doc_get(d, "step", s->id, "reason");
		const char **items;
		size_t ni;

		items = progress_items(r->st, s, &ni);
		if (mdfmt) {
			sb_addf(sb, "\n### %zu. ", i + 1);
			md(sb, s->title);
			sb_add(sb, "\n\n");
		} else {
			sb_addf(sb, "\n%zu. ", i + 1);
			tx(sb, s->title);
			sb_addf(sb, " [%s]\n", step_status_name(state_step_status(r->st, s->id)));
		}
		{
			char clock[256];

			progress_step_clock(r->st, s->id, clock, sizeof clock);
			if (clock[0]) {
				clock[0] = 'S'; /* "Started ..." */
				line(sb, esc, mdfmt ? "- " : "   ", clock);
			}
		}
		if (!str_empty(reason))
			line(sb, esc, mdfmt ? "- Reason: " : "   Reason: ", reason);
		if (!str_empty(note))
			line(sb, esc, mdfmt ? "- Note: " : "   Note: ", note);
		for (size_t a = 0; a < s->n_actions; a++) {
			const char *by = NULL, *at = NULL;
			bool t = state_ticked(r->st, s->id, NULL, s->actions[a].id, &by, &at);

			action_line(sb, esc, mdfmt ? "- " : "   ", s->actions[a].text, t, by, at);
		}
		if (s->items != ITEM_NONE && ni == 0) {
			sb_add(sb, mdfmt ? "- No " : "   No ");
			sb_add(sb, item_kind_label(s->items));
			sb_add(sb, "s configured.\n");
		}
		for (size_t k = 0; k < ni; k++) {
			const char *ir;
			const struct rb_step *from;
			enum step_status is = progress_item_status(r->st, r->rb, s, items[k], &ir,
								   &from);
			const char *in = state_note(r->st, s->id, items[k]);
			const char *iby = item_get(r->st, s->id, items[k], "by");
			const char *iat = item_get(r->st, s->id, items[k], "at");

			sb_add(sb, mdfmt ? "- " : "   - ");
			sb_add(sb, item_kind_label(s->items));
			sb_add(sb, mdfmt ? " **" : " '");
			esc(sb, items[k]);
			sb_add(sb, mdfmt ? "**" : "'");
			if (s->items == ITEM_SERVER && progress_is_controller(r->st, items[k]))
				sb_add(sb, " (Deployment Controller)");
			sb_addf(sb, ": %s%s%s%s, %zu/%zu actions", step_status_name(is),
				progress_forced(r->st, r->rb, s, items[k]) ? " (forced)" : "",
				from ? " in step " : "", from ? from->id : "",
				progress_item_ticked(r->st, s, items[k]), s->n_item_actions);
			if (iby || iat)
				by_at(sb, esc, iby, iat);
			sb_addc(sb, '\n');
			if (!str_empty(ir))
				line(sb, esc, mdfmt ? "  - Reason: " : "       Reason: ", ir);
			if (!str_empty(in))
				line(sb, esc, mdfmt ? "  - Note: " : "       Note: ", in);
			if (s->types == TYPES_ITEMS) {
				/* What Refresh Entity will do to this extension. */
				enum check_verdict v;
				char *found = type_extension_findings(d, tix, items[k], 0, &v);

				line(sb, esc, mdfmt ? "  - " : "       ", found);
				free(found);
			}
			for (size_t a = 0; a < s->n_item_actions; a++) {
				const char *by = NULL, *at = NULL;
				bool t = state_ticked(r->st, s->id, items[k], s->item_actions[a].id,
						      &by, &at);

				action_line(sb, esc, mdfmt ? "  - " : "       ",
					    item_action_text(r->rb, s, &s->item_actions[a], r->st->doc,
							     items[k]), t, by, at);
				if (action_shows_db_tabs(s, &s->item_actions[a]))
					tab_lines(sb, esc, d, mdfmt ? "    - " : "           ");
			}
		}
		free(items);
	}

	sb_add(sb, mdfmt ? "\n## Checks\n\n" : "\nCHECKS\n");
	progress_overrides(r->st, r->rb, &ov);
	check_results_all(d, &rs);
	any = rs.n > 0;
	if (any && mdfmt)
		sb_add(sb, "| Check | Result | At | Summary | What to do |\n|---|---|---|---|---|\n");
	for (size_t i = 0; i < rs.n; i++) {
		const struct check_record *rec = &rs.r[i];
		const char *was = rec->status_known ? check_status_word(rec->status)
				  : rec->status_text ? rec->status_text : "?";
		/* A result whose settings changed since is not a result any more. */
		const char *fix = rec->stale_reason ? rec->stale_reason : rec->fix;
		char *result = xasprintf("%s%s%s%s", rec->stale_reason ? "stale (was " : "", was,
					 rec->stale_reason ? ")" : "",
					 result_overridden(&ov, rec->id) ? ", overridden" :
					 rec->cancelled ? " (cancelled)" : "");

		if (mdfmt) {
			sb_add(sb, "| ");
			md(sb, rec->label ? rec->label : rec->id);
			sb_add(sb, " (");
			md_code(sb, rec->id, true);
			sb_add(sb, ") | ");
			md(sb, result);
			sb_add(sb, " | ");
			md(sb, rec->at);
			sb_add(sb, " | ");
			md(sb, rec->summary);
			sb_add(sb, " | ");
			md(sb, fix);
			sb_add(sb, " |\n");
		} else {
			char *w = xasprintf("%-8s %-28s %s", result, rec->id, rec->at ? rec->at : "");

			sb_add(sb, "  ");
			tx(sb, w);
			free(w);
			sb_addc(sb, '\n');
			if (rec->summary)
				line(sb, tx, "           ", rec->summary);
			if (fix)
				line(sb, tx, "           what to do: ", fix);
		}
		free(result);
	}
	check_results_free(&rs);
	progress_overrides_free(&ov);
	if (!any)
		sb_add(sb, mdfmt ? "No checks have run.\n" : "  (no checks have run)\n");

	/* Only where the runbook has a type verification; the findings that
	 * need action, the most severe first (infos are in the JSON). */
	if (!runbook_has_types(r->rb)) {
		/* an endpoint-change record carries no type verification */
	} else if (!doc_has_section(d, "types", NULL)) {
		sb_add(sb, mdfmt ? "\n## Type findings\n\n" : "\nTYPE FINDINGS\n");
		sb_add(sb, mdfmt ? "Not run.\n" : "  (not run)\n");
	} else {
		struct strbuf cs = STRBUF_INIT;
		char *summ;

		sb_add(sb, mdfmt ? "\n## Type findings\n\n" : "\nTYPE FINDINGS\n");
		type_counts_text(&cs, num_or(doc_get(d, "types", NULL, "blockers"), 0),
				 num_or(doc_get(d, "types", NULL, "warnings"), 0),
				 num_or(doc_get(d, "types", NULL, "infos"), 0),
				 num_or(doc_get(d, "types", NULL, "columns"), 0), -1);
		summ = xasprintf("%s; scope %s; at %s", sb_str(&cs),
				 doc_get_or(d, "types", NULL, "scope", "?"),
				 doc_get_or(d, "types", NULL, "at", "?"));
		sb_free(&cs);

		line(sb, esc, mdfmt ? "" : "  ", summ);
		free(summ);
		{
			enum check_freshness f = check_digest_freshness(d, "type_verification",
									doc_get(d, "types", NULL,
										"settings_digest"));

			if (f != CHECK_CURRENT) {
				char *w = xasprintf("Stale: %s.", check_freshness_text(f));

				line(sb, esc, mdfmt ? "" : "  ", w);
				free(w);
			}
			if (doc_get(d, "types", NULL, "unmatched")) {
				char *w = xasprintf("Could not check: %s.",
						    doc_get(d, "types", NULL, "unmatched"));

				line(sb, esc, mdfmt ? "" : "  ", w);
				free(w);
			}
		}
		for (size_t pass = 0; pass < 2; pass++) {
			for (size_t i = 0; i < doc_nsections(d); i++) {
				const char *id = doc_section_name(d, i);
				const char *sev;
				char *w;

				if (!str_eq(doc_section_kind(d, i), "finding") || !id)
					continue;
				sev = doc_get(d, "finding", id, "severity");
				if (!str_eq(sev, pass == 0 ? "blocker" : "warning"))
					continue;
				{
					/* a table finding is "s.t", with no type */
					char *place = type_place(doc_get(d, "finding", id, "schema"),
								 doc_get(d, "finding", id, "table"),
								 doc_get(d, "finding", id, "column"));
					const char *pgt = doc_get_or(d, "finding", id, "pg_type", "");

					w = xasprintf("%s %s%s%s%s: %s", sev, place,
						      *pgt ? " (" : "", pgt, *pgt ? ")" : "",
						      doc_get_or(d, "finding", id, "message", ""));
					free(place);
				}
				line(sb, esc, mdfmt ? "- " : "  - ", w);
				free(w);
			}
		}
	}

	doc_rollback(sb, r, esc, mdfmt);

	sb_add(sb, mdfmt ? "\n## Environment\n\n" : "\nENVIRONMENT\n");
	{
		struct text_env e = { sb, esc, mdfmt, false };

		schema_each_setting(d, r->rb->id, text_env_section, text_env_value, &e);
		any = e.any;
	}
	if (!any)
		sb_add(sb, mdfmt ? "No settings recorded.\n" : "  (no settings recorded)\n");

	sb_add(sb, mdfmt ? "\n## Outstanding\n\n" : "\nOUTSTANDING\n");
	outs = outstanding(r, &nouts);
	for (size_t i = 0; i < nouts; i++)
		line(sb, esc, mdfmt ? "- " : "  - ", outs[i]);
	if (!nouts)
		sb_add(sb, mdfmt ? "Nothing: every step is done or skipped and every check passed.\n"
				 : "  nothing: every step is done or skipped and every check passed\n");
	free_lines(outs, nouts);
	if (r->j.bad) {
		char *w = xasprintf("%zu damaged or incomplete journal %s ignored.", r->j.bad,
				    r->j.bad == 1 ? "line was" : "lines were");

		line(sb, esc, mdfmt ? "\n" : "\n", w);
		free(w);
	}
	if (r->journal_error[0]) {
		char *w = xasprintf("The journal was not used, so its operators and events are "
				    "missing here: %s.", r->journal_error);

		line(sb, esc, "\n", w);
		free(w);
	}
	type_index_free(tix);
}

/* ------------------------------------------------------------------ */

/* A temporary file renamed over path once complete (output_file_open): a
 * failure or a signal leaves the previous record as it was. */
static bool write_out(const char *path, const char *const *keep, const char *text, size_t len)
{
	struct output_file o;
	char msg[1024];

	if (!output_file_open(&o, path, keep, msg, sizeof msg)) {
		fprintf(stderr, "osmigrate report: %s\n", msg);
		return false;
	}
	if (fwrite(text, 1, len, o.f) != len || output_signal_exit()) {
		output_file_abort(&o);
		if (!output_signal_exit())
			fprintf(stderr, "osmigrate report: could not write %s: %s; it was left as it "
				"was. Free some space or choose another -o file\n", path, strerror(errno));
		return false;
	}
	if (!output_file_commit(&o, msg, sizeof msg)) {
		fprintf(stderr, "osmigrate report: %s\n", msg);
		return false;
	}
	return true;
}

int cmd_report(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "format", required_argument, NULL, 'f' },
		{ "output", required_argument, NULL, 'o' },
		{ "state", required_argument, NULL, 's' },
		{ "runbook", required_argument, NULL, 'r' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *state_opt = NULL, *runbook_opt = NULL, *outpath = NULL;
	enum fmt fmt = FMT_MD;
	struct strbuf sb = STRBUF_INIT;
	struct ctx_rep r;
	char *path, *jpath, *abspath;
	int c, rc;

	optind = 1;
	while ((c = getopt_long(argc, argv, "f:o:s:r:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'f':
			if (str_eq(optarg, "md") || str_eq(optarg, "markdown"))
				fmt = FMT_MD;
			else if (str_eq(optarg, "json"))
				fmt = FMT_JSON;
			else if (str_eq(optarg, "text"))
				fmt = FMT_TEXT;
			else {
				fprintf(stderr, "osmigrate report: unknown format '%s': use md, json "
					"or text\n", optarg);
				return EXIT_USAGE;
			}
			break;
		case 'o': outpath = optarg; break;
		case 's': state_opt = optarg; break;
		case 'r': runbook_opt = optarg; break;
		case 'h': report_usage(stdout); return EXIT_OK;
		default:
			fprintf(stderr, "Try 'osmigrate report --help' for more information.\n");
			return EXIT_USAGE;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "osmigrate report: unexpected argument '%s'\n"
			"Try 'osmigrate report --help' for more information.\n", argv[optind]);
		return EXIT_USAGE;
	}
	path = output_state_path("report", state_opt, runbook_opt);
	if (!path)
		return EXIT_USAGE;
	memset(&r, 0, sizeof r);
	r.st = output_open_readonly("report", path, &rc);
	if (!r.st) {
		free(path);
		return rc;
	}
	r.rb = runbook_find(state_runbook(r.st));
	/* The record outlives the shell it was made in: name the file fully. */
	abspath = realpath(path, NULL);
	r.path = abspath ? abspath : path;
	iso8601_now(r.now);
	jpath = journal_path(path);
	if (!journal_read(jpath, &r.j, r.journal_error, sizeof r.journal_error))
		fprintf(stderr, "osmigrate report: warning: %s; the record lists no journal "
			"operators and says why\n", r.journal_error);
	free(jpath);
	collect_operators(&r);

	if (fmt == FMT_JSON)
		write_json(&sb, &r);
	else
		write_doc(&sb, &r, fmt == FMT_MD);

	rc = EXIT_OK;
	if (outpath) {
		/* Ctrl-C while the file is written removes the temporary file. */
		char *jp = journal_path(path), *lp = xasprintf("%s.lock", path);
		const char *keep[] = { path, jp, lp, NULL };
		bool wrote;

		output_catch_signals();
		wrote = write_out(outpath, keep, sb_str(&sb), sb.len);
		free(jp);
		free(lp);
		if (!wrote)
			rc = output_signal_exit() ? output_signal_exit() : EXIT_IOERR;
	} else {
		fwrite(sb_str(&sb), 1, sb.len, stdout);
		if (fflush(stdout) != 0 || ferror(stdout)) {
			fprintf(stderr, "osmigrate report: could not write to standard output\n");
			rc = EXIT_IOERR;
		}
	}
	sb_free(&sb);
	for (size_t i = 0; i < r.n_operators; i++)
		free((char *)r.operators[i]);
	free(r.operators);
	journal_free(&r.j);
	state_close((struct state *)r.st);
	free(abspath);
	free(path);
	return rc;
}
