/* types.c - the type verification results of connector-migration, read
 * from the state file ([types] and [finding "N"] sections), so a resumed
 * session shows them without rescanning: summary counts, a list sortable
 * and filterable by severity, code, schema and table, and a detail pane
 * with the explanation and the fix. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "tui_int.h"

struct finding {
	const char *code, *severity, *schema, *table, *column, *pg_type, *ardo_type,
		   *supported_type, *count, *samples, *message, *fix;
};

enum sort_by { SORT_SEVERITY, SORT_CODE, SORT_SCHEMA, SORT_TABLE, SORT_N };
static const char *const sort_names[] = { "severity", "code", "schema", "table" };
static const char *const sev_filters[] = { "all", "blocker", "warning", "info" };

static struct {
	struct finding *f;
	size_t n, cap;
	size_t *view;       /* indexes into f after filter and sort */
	size_t nview;
	int sel, top;
	enum sort_by sort;
	int sev;            /* index into sev_filters */
	char *filter;       /* substring of code/schema/table, or NULL */
} T;

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

static int cmp(const void *pa, const void *pb)
{
	const struct finding *a = &T.f[*(const size_t *)pa], *b = &T.f[*(const size_t *)pb];
	int r = 0;

	switch (T.sort) {
	case SORT_SEVERITY: r = sev_rank(a->severity) - sev_rank(b->severity); break;
	case SORT_CODE: r = cmp_str(a->code, b->code); break;
	case SORT_SCHEMA: r = cmp_str(a->schema, b->schema); break;
	case SORT_TABLE: r = cmp_str(a->table, b->table); break;
	case SORT_N: break;
	}
	if (!r)
		r = cmp_str(a->schema, b->schema);
	if (!r)
		r = cmp_str(a->table, b->table);
	if (!r)
		r = cmp_str(a->column, b->column);
	if (!r)
		r = *(const size_t *)pa < *(const size_t *)pb ? -1 : 1;
	return r;
}

static bool has(const char *s, const char *needle)
{
	return s && strstr(s, needle);
}

static void load(struct app *a)
{
	const struct doc *d = a->st->doc;

	T.n = 0;
	for (size_t i = 0; i < doc_nsections(d); i++) {
		const char *name = doc_section_name(d, i);
		struct finding *f;

		if (!str_eq(doc_section_kind(d, i), "finding"))
			continue;
		if (T.n == T.cap)
			T.f = xreallocarray(T.f, T.cap = T.cap * 2 + 64, sizeof *T.f);
		f = &T.f[T.n++];
#define GET(k) f->k = doc_get(d, "finding", name, #k)
		GET(code); GET(severity); GET(schema); GET(table); GET(column); GET(pg_type);
		GET(ardo_type); GET(supported_type); GET(count); GET(samples); GET(message); GET(fix);
#undef GET
	}
	free(T.view);
	T.view = xcalloc(T.n + 1, sizeof *T.view);
	T.nview = 0;
	for (size_t i = 0; i < T.n; i++) {
		const struct finding *f = &T.f[i];

		if (T.sev && !str_eq(f->severity, sev_filters[T.sev]))
			continue;
		if (T.filter && !has(f->code, T.filter) && !has(f->schema, T.filter) &&
		    !has(f->table, T.filter) && !has(f->column, T.filter))
			continue;
		T.view[T.nview++] = i;
	}
	qsort(T.view, T.nview, sizeof *T.view, cmp);
	if (T.sel >= (int)T.nview)
		T.sel = (int)T.nview - 1;
	if (T.sel < 0)
		T.sel = 0;
}

static void types_enter(struct app *a)
{
	T.sel = T.top = 0;
	load(a);
}

static void types_draw(struct app *a, WINDOW *w)
{
	const struct doc *d = a->st->doc;
	int h = getmaxy(w), wd = getmaxx(w), y = 0, listh;
	const char *at = doc_get(d, "types", NULL, "at");
	char *line;

	load(a);
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
			 sort_names[T.sort], sev_filters[T.sev], T.filter ? T.filter : "none",
			 T.nview, T.n);
	wattron(w, ui_attr(UI_DIM));
	ui_put(w, y++, 0, line, wd);
	wattroff(w, ui_attr(UI_DIM));
	free(line);
	listh = (h - y) / 2;
	if (listh < 3)
		listh = 3;
	if (T.sel < T.top)
		T.top = T.sel;
	if (T.sel >= T.top + listh)
		T.top = T.sel - listh + 1;
	for (int r = 0; r < listh && T.top + r < (int)T.nview; r++) {
		const struct finding *f = &T.f[T.view[T.top + r]];
		bool sel = T.top + r == T.sel;

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
	if (T.nview) {
		const struct finding *f = &T.f[T.view[T.sel]];
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

static int types_key(struct app *a, int ch, bool fkey)
{
	if (fkey) {
		switch (ch) {
		case KEY_UP: if (T.sel > 0) T.sel--; return R_REDRAW;
		case KEY_DOWN: if (T.sel + 1 < (int)T.nview) T.sel++; return R_REDRAW;
		case KEY_NPAGE: T.sel += 10; if (T.sel >= (int)T.nview) T.sel = (int)T.nview - 1;
			return R_REDRAW;
		case KEY_PPAGE: T.sel -= 10; if (T.sel < 0) T.sel = 0; return R_REDRAW;
		default: return R_NONE;
		}
	}
	switch (ch) {
	case 'k': if (T.sel > 0) T.sel--; return R_REDRAW;
	case 'j': if (T.sel + 1 < (int)T.nview) T.sel++; return R_REDRAW;
	case 'o': T.sort = (enum sort_by)((T.sort + 1) % SORT_N); return R_REDRAW;
	case 'f': T.sev = (T.sev + 1) % (int)OSM_ARRAY_LEN(sev_filters); T.sel = 0; return R_REDRAW;
	case '/': {
		char *v = NULL;

		if (ui_prompt(a, "Filter", "Show findings whose code, schema, table or column "
			      "contains this text (empty: all).", T.filter, 200, false, &v) == 1) {
			free(T.filter);
			T.filter = str_empty(v) ? NULL : v;
			if (!T.filter)
				free(v);
			T.sel = 0;
		} else {
			free(v);
		}
		return R_REDRAW;
	}
	case 'r': return R_RUN_TYPES;
	case 27: case 'b': case 't': return R_CLOSE;
	case 'q': case 'Q': return R_QUIT;
	case '?': return R_HELP;
	}
	return R_NONE;
}

static const char *types_footer(struct app *a)
{
	return "o sort  f severity  / filter  r rescan  Esc back";
}

static const char *types_help(struct app *a)
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
	.enter = types_enter,
	.draw = types_draw,
	.key = types_key,
	.footer = types_footer,
	.help = types_help,
};
