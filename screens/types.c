/* types.c - the type verification results of connector-migration, read
 * from the state file ([types] and [finding "N"] sections), so a resumed
 * session shows them without rescanning: summary counts, a list sortable
 * and filterable by severity, code, schema and table, and a detail pane
 * with the explanation and the fix. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "screens.h"

struct finding {
	const char *code, *severity, *schema, *table, *column, *pg_type, *ardo_type,
		   *supported_type, *count, *samples, *message, *fix;
};

enum sort_by { SORT_SEVERITY, SORT_CODE, SORT_SCHEMA, SORT_TABLE, SORT_N };
static const char *const sort_names[] = { "severity", "code", "schema", "table" };
static const char *const sev_filters[] = { "all", "blocker", "warning", "info" };

struct types {
	struct finding *f;
	size_t n, cap;
	const struct finding **view; /* into f, after filter and sort */
	size_t nview;
	int sel, top;
	enum sort_by sort;
	int sev;            /* index into sev_filters */
	char *filter;       /* substring of code/schema/table, or NULL */
};

static int sev_rank(const char *s)
{
	if (str_eq(s, "blocker"))
		return 0;
	if (str_eq(s, "warning"))
		return 1;
	return 2;
}

static int cmp_str(const char *a, const char *b)
{
	return strcmp(a ? a : "", b ? b : "");
}

/* Ties: by place, then as stored (pointers into one array). */
static int tie(const struct finding *a, const struct finding *b)
{
	int r = cmp_str(a->schema, b->schema);

	if (!r)
		r = cmp_str(a->table, b->table);
	if (!r)
		r = cmp_str(a->column, b->column);
	if (!r)
		r = a < b ? -1 : 1;
	return r;
}

/* One comparator per sort key (qsort passes no context): the view holds
 * pointers to the findings. */
#define FINDING_CMP(name, expr) \
	static int name(const void *pa, const void *pb) \
	{ \
		const struct finding *a = *(const struct finding *const *)pa; \
		const struct finding *b = *(const struct finding *const *)pb; \
		int r = (expr); \
		return r ? r : tie(a, b); \
	}
FINDING_CMP(by_severity, sev_rank(a->severity) - sev_rank(b->severity))
FINDING_CMP(by_code, cmp_str(a->code, b->code))
FINDING_CMP(by_schema, cmp_str(a->schema, b->schema))
FINDING_CMP(by_table, cmp_str(a->table, b->table))
#undef FINDING_CMP

static int (*const sorts[SORT_N])(const void *, const void *) = {
	[SORT_SEVERITY] = by_severity, [SORT_CODE] = by_code,
	[SORT_SCHEMA] = by_schema, [SORT_TABLE] = by_table,
};

static bool has(const char *s, const char *needle)
{
	return s && strstr(s, needle);
}

static void load(struct app *a, struct types *t)
{
	const struct doc *d = a->st->doc;

	t->n = 0;
	for (size_t i = 0; i < doc_nsections(d); i++) {
		const char *name = doc_section_name(d, i);
		struct finding *f;

		if (!str_eq(doc_section_kind(d, i), "finding"))
			continue;
		if (t->n == t->cap)
			t->f = xreallocarray(t->f, t->cap = t->cap * 2 + 64, sizeof *t->f);
		f = &t->f[t->n++];
#define GET(k) f->k = doc_get(d, "finding", name, #k)
		GET(code); GET(severity); GET(schema); GET(table); GET(column); GET(pg_type);
		GET(ardo_type); GET(supported_type); GET(count); GET(samples); GET(message); GET(fix);
#undef GET
	}
	free(t->view);
	t->view = xcalloc(t->n + 1, sizeof *t->view);
	t->nview = 0;
	for (size_t i = 0; i < t->n; i++) {
		const struct finding *f = &t->f[i];

		if (t->sev && !str_eq(f->severity, sev_filters[t->sev]))
			continue;
		if (t->filter && !has(f->code, t->filter) && !has(f->schema, t->filter) &&
		    !has(f->table, t->filter) && !has(f->column, t->filter))
			continue;
		t->view[t->nview++] = f;
	}
	qsort(t->view, t->nview, sizeof *t->view, sorts[t->sort]);
	cursor_clamp(&t->sel, (int)t->nview);
}

static void types_enter(struct app *a, void *data)
{
	struct types *t = data;

	t->sel = t->top = 0;
	load(a, t);
}

static void types_free(void *data)
{
	struct types *t = data;

	free(t->f);
	free(t->view);
	free(t->filter);
}

static void types_draw(struct app *a, void *data, WINDOW *w)
{
	struct types *t = data;
	const struct doc *d = a->st->doc;
	int h = getmaxy(w), wd = getmaxx(w), y = 0, listh;
	const char *at = doc_get(d, "types", NULL, "at");
	char *line;

	load(a, t);
	wattron(w, ui_attr(UI_HEAD));
	ui_put(w, y++, 0, "Type verification", wd);
	wattroff(w, ui_attr(UI_HEAD));
	if (!at) {
		char **lines;
		size_t n = ui_wrap("Not scanned yet: press r to scan the columns in scope through "
				   "the target connection (settings: e).", wd, &lines);

		for (size_t i = 0; i < n && y < h; i++)
			ui_put(w, y++, 0, lines[i], wd);
		ui_lines_free(lines, n);
		return;
	}
	line = xasprintf("%s blockers, %s warnings, %s infos in %s columns (scanned %s)",
			 doc_get(d, "types", NULL, "blockers") ? doc_get(d, "types", NULL, "blockers") : "0",
			 doc_get(d, "types", NULL, "warnings") ? doc_get(d, "types", NULL, "warnings") : "0",
			 doc_get(d, "types", NULL, "infos") ? doc_get(d, "types", NULL, "infos") : "0",
			 doc_get(d, "types", NULL, "columns") ? doc_get(d, "types", NULL, "columns") : "?",
			 at);
	{
		char **lines;
		size_t n = ui_wrap(line, wd, &lines);

		for (size_t i = 0; i < n && y < h; i++)
			ui_put(w, y++, 0, lines[i], wd);
		ui_lines_free(lines, n);
	}
	free(line);
	{
		enum check_freshness f = check_digest_freshness(d, "type_verification",
								doc_get(d, "types", NULL,
									"settings_digest"));

		if (f != CHECK_CURRENT) {
			/* Findings of another scope or database: not this one's. */
			char **lines;
			char *msg = xasprintf("stale: %s (r)", check_freshness_text(f));
			size_t n = ui_wrap(msg, wd, &lines);

			wattron(w, ui_attr(UI_WARN));
			for (size_t i = 0; i < n && y < h; i++)
				ui_put(w, y++, 0, lines[i], wd);
			wattroff(w, ui_attr(UI_WARN));
			ui_lines_free(lines, n);
			free(msg);
		}
	}
	if (doc_get(d, "types", NULL, "unmatched")) {
		/* A scope entry that matched nothing was not checked: never a pass. */
		char **lines;
		char *msg = xasprintf("could not check: %s (settings: e)",
				      doc_get(d, "types", NULL, "unmatched"));
		size_t n = ui_wrap(msg, wd, &lines);

		wattron(w, ui_attr(UI_FAILED));
		for (size_t i = 0; i < n && y < h; i++)
			ui_put(w, y++, 0, lines[i], wd);
		wattroff(w, ui_attr(UI_FAILED));
		ui_lines_free(lines, n);
		free(msg);
	}
	line = xasprintf("sort: %s   severity: %s   filter: %s   (%zu of %zu shown)",
			 sort_names[t->sort], sev_filters[t->sev], t->filter ? t->filter : "none",
			 t->nview, t->n);
	wattron(w, ui_attr(UI_DIM));
	ui_put(w, y++, 0, line, wd);
	wattroff(w, ui_attr(UI_DIM));
	free(line);
	listh = (h - y) / 2;
	if (listh < 3)
		listh = 3;
	if (t->sel < t->top)
		t->top = t->sel;
	if (t->sel >= t->top + listh)
		t->top = t->sel - listh + 1;
	for (int r = 0; r < listh && t->top + r < (int)t->nview; r++) {
		const struct finding *f = t->view[t->top + r];
		bool sel = t->top + r == t->sel;

		line = xasprintf("%-7.7s %-22.22s %s.%s.%s", f->severity ? f->severity : "?",
				 f->code ? f->code : "?", f->schema ? f->schema : "",
				 f->table ? f->table : "", f->column ? f->column : "");
		wattron(w, ui_attr(sel ? UI_SELECT : sev_rank(f->severity) == 0 ? UI_FAILED :
				   sev_rank(f->severity) == 1 ? UI_WARN : UI_NORMAL));
		if (sel)
			mvwhline(w, y + r, 0, ' ', wd);
		mvwaddstr(w, y + r, 0, sel ? ">" : " ");
		ui_put(w, y + r, 2, line, wd - 2);
		wattroff(w, ui_attr(sel ? UI_SELECT : sev_rank(f->severity) == 0 ? UI_FAILED :
				    sev_rank(f->severity) == 1 ? UI_WARN : UI_NORMAL));
		free(line);
	}
	y += listh;
	ui_hline(w, y++, 0, wd);
	if (t->nview) {
		const struct finding *f = t->view[t->sel];
		char **lines;
		size_t n;

		/* count is absent for catalog findings (no data probed). */
		char *rows = f->count ? xasprintf(", %s rows affected", f->count) : xstrdup("");

		line = xasprintf("%s.%s.%s: %s (ardoPostgreSQL %s, supported connector %s)"
				 "%s%s%s\n%s\nfix: %s",
				 f->schema ? f->schema : "", f->table ? f->table : "",
				 f->column ? f->column : "", f->pg_type ? f->pg_type : "?",
				 f->ardo_type ? f->ardo_type : "?",
				 f->supported_type ? f->supported_type : "?", rows,
				 str_empty(f->samples) ? "" : ", e.g. ",
				 f->samples ? f->samples : "", f->message ? f->message : "",
				 f->fix ? f->fix : "");
		free(rows);
		n = ui_wrap(line, wd, &lines);
		for (size_t i = 0; i < n && y < h; i++)
			ui_put(w, y++, 0, lines[i], wd);
		ui_lines_free(lines, n);
		free(line);
	}
}

static int types_request(struct app *a, void *data, const struct input *in)
{
	struct types *t = data;

	if (cursor_step(in, &t->sel, (int)t->nview))
		return R_REDRAW;
	if (in->req == REQ_PAGE_DOWN || in->req == REQ_PAGE_UP) {
		t->sel += in->req == REQ_PAGE_DOWN ? 10 : -10;
		cursor_clamp(&t->sel, (int)t->nview);
		return R_REDRAW;
	}
	if (in->fkey)
		return R_UNHANDLED;
	switch (in->ch) {
	case 'o': t->sort = (enum sort_by)((t->sort + 1) % SORT_N); return R_REDRAW;
	case 'f': t->sev = (t->sev + 1) % (int)OSM_ARRAY_LEN(sev_filters); t->sel = 0; return R_REDRAW;
	case '/': {
		char *v = NULL;

		if (dialog_prompt(&a->redraw, "Filter", "Show findings whose code, schema, table "
				  "or column contains this text (empty: all).", t->filter, 200, false,
				  &v) == 1) {
			free(t->filter);
			t->filter = str_empty(v) ? NULL : v;
			if (!t->filter)
				free(v);
			t->sel = 0;
		} else {
			free(v);
		}
		return R_REDRAW;
	}
	case 'r': return R_RUN_TYPES;
	case 27: case 'b': case 't': return R_CLOSE;
	}
	return R_UNHANDLED;
}

static const char *types_footer(struct app *a, void *data)
{
	return "o sort  f severity  / filter  r rescan  Esc back";
}

static const char *types_help(struct app *a, void *data)
{
	return "Type verification\n"
	       "  Up/Down, j/k  choose a finding; the pane below explains it\n"
	       "                and gives the fix\n"
	       "  o             sort by severity, code, schema, table\n"
	       "  f             show all, blockers, warnings or infos\n"
	       "  /             filter by text in code, schema, table or column\n"
	       "  r             rescan through the target connection (Esc cancels)\n"
	       "  Esc, b, t     back to the step\n"
	       "The results come from the state file: a resumed session shows the last scan.";
}

const struct screen_ops screen_types = {
	.name = "types",
	.steplist = true,
	.private_size = sizeof(struct types),
	.free = types_free,
	.enter = types_enter,
	.draw = types_draw,
	.request = types_request,
	.footer = types_footer,
	.help = types_help,
};
