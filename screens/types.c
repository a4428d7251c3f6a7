/* types.c - the type verification results of connector-migration, read
 * from the state file ([types] and [finding "N"] sections), so a resumed
 * session shows them without rescanning: summary counts, a list grouped by
 * table then column (as `types --format text`), sortable by severity or
 * code and filterable, and a detail pane with the explanation, the labelled
 * sample keys and the fix, which scrolls.  It takes the whole width of the
 * terminal (no step list): each row names its schema.table.column, and the
 * code is cut with an ellipsis rather than wrapped; the list takes what the
 * height gives. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "screens.h"
#include "terminal.h"
#include "typescan.h"

struct finding {
	const char *code, *severity, *schema, *table, *column, *pg_type, *ardo_type,
		   *supported_type, *count, *samples, *message, *fix;
};

enum sort_by { SORT_TABLE, SORT_SEVERITY, SORT_CODE, SORT_N };
static const char *const sort_names[] = { "table", "severity", "code" };
static const char *const sev_filters[] = { "all", "blocker", "warning", "info" };

struct types {
	struct finding *f;
	size_t n, cap;
	const struct finding **view; /* into f, after filter and sort */
	size_t nview;
	int sel, top;
	int dtop, dsel;     /* first line of the detail pane shown, for finding dsel */
	int dlines, dh;     /* the detail's lines and the pane's height, last drawn */
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

/* Ties: by table, then as stored (pointers into one array): the scan
 * stores a table's findings by column position, then code, so a column's
 * findings read together (typescan.h, type_result_sort). */
static int tie(const struct finding *a, const struct finding *b)
{
	int r = cmp_str(a->schema, b->schema);

	if (!r)
		r = cmp_str(a->table, b->table);
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
FINDING_CMP(by_table, 0)
FINDING_CMP(by_severity, sev_rank(a->severity) - sev_rank(b->severity))
FINDING_CMP(by_code, cmp_str(a->code, b->code))
#undef FINDING_CMP

static int (*const sorts[SORT_N])(const void *, const void *) = {
	[SORT_TABLE] = by_table, [SORT_SEVERITY] = by_severity, [SORT_CODE] = by_code,
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

/* Text cut to maxw columns, ending in an ellipsis when cut. */
static void put_cut(WINDOW *w, int y, int x, const char *text, int maxw)
{
	const char *ell = term_utf8() ? "\xe2\x80\xa6" : "~";

	if (maxw <= 0)
		return;
	if (ui_strwidth(text) <= maxw) {
		ui_put(w, y, x, text, maxw);
		return;
	}
	x += ui_put(w, y, x, text, maxw - 1);
	ui_put(w, y, x, ell, 1);
}

/* The severity as the list shows it: the word, or one letter when the
 * names are too long for it (the legend says so). */
static const char *sev_word(const struct finding *f, bool brief)
{
	static const char *const words[] = { "BLOCKER", "warning", "info" };
	static const char *const letters[] = { "B", "w", "i" };

	return (brief ? letters : words)[sev_rank(f->severity)];
}

/* One list row on one line: severity, schema.table[.column] whole, then
 * the code in what is left (cut with an ellipsis, never wrapped). */
static void list_row(WINDOW *w, int y, int x, int wd, const struct finding *f, bool brief)
{
	char *place = type_place(f->schema, f->table, f->column);
	int sevw = brief ? 2 : 8, pw;

	put_cut(w, y, x, sev_word(f, brief), sevw - 1);
	pw = ui_strwidth(place);
	if (pw > wd - sevw)
		pw = wd - sevw;
	put_cut(w, y, x + sevw, place, pw);
	if (wd - sevw - pw - 2 > 0)
		put_cut(w, y, x + sevw + pw + 2, f->code ? f->code : "?", wd - sevw - pw - 2);
	free(place);
}

/* The detail of a finding, wrapped to width: where and what, the types
 * under both connectors, the rows and the sample keys (labelled), the
 * explanation and the fix. */
static size_t detail_lines(const struct finding *f, int width, char ***out)
{
	struct strbuf sb = STRBUF_INIT;
	char *place = type_place(f->schema, f->table, f->column);
	char **lines = NULL;
	size_t n = 0;

	sb_addf(&sb, "%s  %s %s\n", place, sev_rank(f->severity) == 0 ? "BLOCKER" :
		f->severity ? f->severity : "?", f->code ? f->code : "?");
	if (!str_empty(f->pg_type))
		sb_addf(&sb, "Type %s: ardoPostgreSQL %s, supported connector %s\n", f->pg_type,
			f->ardo_type ? f->ardo_type : "?",
			f->supported_type ? f->supported_type : "?");
	if (f->count)
		sb_addf(&sb, "Rows affected: %s\n", f->count);
	if (!str_empty(f->samples)) {
		const char *nl = strchr(f->samples, '\n');

		if (nl)
			sb_addf(&sb, "Sample keys: lowest %.*s, highest %s\n", (int)(nl - f->samples),
				f->samples, nl + 1);
		else
			sb_addf(&sb, "Sample key: %s\n", f->samples);
	}
	if (!str_empty(f->message))
		sb_addf(&sb, "%s\n", f->message);
	sb_addf(&sb, "fix: %s", f->fix ? f->fix : "");
	/* Each paragraph wrapped on its own. */
	for (char *p = sb.buf, *e; p; p = e ? e + 1 : NULL) {
		char **part;
		size_t k;

		e = strchr(p, '\n');
		if (e)
			*e = '\0';
		k = ui_wrap(p, width, &part);
		lines = xreallocarray(lines, n + k + 1, sizeof *lines);
		memcpy(lines + n, part, k * sizeof *part);
		n += k;
		free(part);
	}
	sb_free(&sb);
	free(place);
	*out = lines;
	return n;
}

static void types_draw(struct app *a, void *data, WINDOW *w)
{
	struct types *t = data;
	const struct doc *d = a->st->doc;
	int h = getmaxy(w), wd = getmaxx(w), y = 0, listh;
	bool brief = false;
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
	/* The detail pane gets two fifths of what is left (at least 5 lines),
	 * the list the rest: a taller terminal shows more of both. */
	{
		int rest = h - y - 1;

		t->dh = rest * 2 / 5 < 5 ? 5 : rest * 2 / 5;
		listh = rest - t->dh;
		if (listh < 3) {
			listh = 3;
			t->dh = rest - listh > 1 ? rest - listh : 1;
		}
	}
	if (t->sel < t->top)
		t->top = t->sel;
	if (t->sel >= t->top + listh)
		t->top = t->sel - listh + 1;
	/* The severity word takes 8 columns: when a row's place would leave
	 * less than 12 for its code, every row says it in one letter. */
	for (int r = 0; r < listh && t->top + r < (int)t->nview && !brief; r++) {
		const struct finding *f = t->view[t->top + r];
		char *place = type_place(f->schema, f->table, f->column);

		brief = 8 + ui_strwidth(place) + 2 + 12 > wd - 3;
		free(place);
	}
	if (brief) {
		wattron(w, ui_attr(UI_DIM));
		ui_put(w, y++, 2, "B blocker  w warning  i info", wd - 2);
		wattroff(w, ui_attr(UI_DIM));
		listh--;
		if (t->sel >= t->top + listh)
			t->top = t->sel - listh + 1;
	}
	for (int r = 0; r < listh && t->top + r < (int)t->nview; r++) {
		const struct finding *f = t->view[t->top + r];
		bool sel = t->top + r == t->sel;
		enum ui_attr tone = sel ? UI_SELECT : sev_rank(f->severity) == 0 ? UI_FAILED :
				    sev_rank(f->severity) == 1 ? UI_WARN : UI_NORMAL;

		wattron(w, ui_attr(tone));
		if (sel)
			mvwhline(w, y + r, 0, ' ', wd);
		mvwaddstr(w, y + r, 0, sel ? ">" : " ");
		list_row(w, y + r, 2, wd - 3, f, brief);
		wattroff(w, ui_attr(tone));
	}
	if (t->top > 0)
		mvwaddstr(w, y, wd - 1, "^");
	if (t->top + listh < (int)t->nview)
		mvwaddstr(w, y + listh - 1, wd - 1, "v");
	y += listh;
	ui_hline(w, y++, 0, wd);
	t->dlines = 0;
	if (t->nview) {
		char **lines;
		size_t n = detail_lines(t->view[t->sel], wd - 1, &lines);

		if (t->dsel != t->sel) {
			t->dsel = t->sel;
			t->dtop = 0;
		}
		t->dlines = (int)n;
		if (t->dtop > (int)n - t->dh)
			t->dtop = (int)n - t->dh;
		if (t->dtop < 0)
			t->dtop = 0;
		for (int i = 0; i < t->dh && t->dtop + i < (int)n; i++)
			ui_put(w, y + i, 0, lines[t->dtop + i], wd - 1);
		if (t->dtop > 0)
			mvwaddstr(w, y, wd - 1, "^");
		if (t->dtop + t->dh < (int)n)
			mvwaddstr(w, y + t->dh - 1, wd - 1, "v");
		ui_lines_free(lines, n);
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
	case 'J': case 'K':
		/* the detail pane, a few lines at a time */
		t->dtop += in->ch == 'J' ? (t->dh > 2 ? t->dh - 1 : 1) : -(t->dh > 2 ? t->dh - 1 : 1);
		if (t->dtop > t->dlines - t->dh)
			t->dtop = t->dlines - t->dh;
		if (t->dtop < 0)
			t->dtop = 0;
		return R_REDRAW;
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
	return "o sort  f severity  / filter  J/K detail  r rescan  Esc back";
}

static const char *types_help(struct app *a, void *data)
{
	return "Type verification\n"
	       "  Up/Down, j/k  choose a finding; the pane below explains it\n"
	       "                and gives the fix\n"
	       "  J, K          scroll the pane below down, up\n"
	       "  o             group by table then column (the default), or\n"
	       "                sort by severity or code\n"
	       "  f             show all, blockers, warnings or infos\n"
	       "  /             filter by text in code, schema, table or column\n"
	       "  r             rescan through the target connection (Esc cancels)\n"
	       "  Esc, b, t     back to the step\n"
	       "The results come from the state file: a resumed session shows the last scan.";
}

const struct screen_ops screen_types = {
	.name = "types",
	.steplist = false,  /* the whole width for schema.table.column */
	.private_size = sizeof(struct types),
	.free = types_free,
	.enter = types_enter,
	.draw = types_draw,
	.request = types_request,
	.footer = types_footer,
	.help = types_help,
};
