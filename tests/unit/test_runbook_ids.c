/* test_runbook_ids.c - runbooks are data: no runbook id is spelled in the
 * code outside the runbook tables, and no step id is compared there.
 *
 * Every .c and .h under src/ and screens/ (subfolders included) is read as
 * C tokens (comments skipped).  A string literal that is exactly the id of
 * a runbook, anywhere, is refused; a string literal that is exactly a step
 * id is refused where it is an argument of a comparison or a step lookup
 * (str_eq, strcmp, str_startswith, runbook_step ...).  What a step or a
 * runbook does differently belongs in its table (runbook.h: gates, pings,
 * the type verification).  The ids come from the tables themselves.
 *
 * Exempt: runbook.c (the tables), and in checklist.c and schema.c everything
 * outside function bodies (the check table names the runbook and step of
 * each check, the settings schema the runbooks that use each section).
 * Longer literals (help texts naming a runbook) are not ids. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <criterion/criterion.h>

#include "runbook.h"
#include "util.h"

/* Known exceptions, each with the reason it is still there.  An entry that
 * no longer matches anything fails the test too: remove it then. */
static const struct {
	const char *file;   /* path under the source tree */
	const char *why;
} allowed[] = {
	/* none left: the settings screen takes the sections a runbook uses
	 * from the settings schema (schema.c) */
	{ NULL, NULL },
};

static const char *const compare_fns[] = {
	"str_eq", "strcmp", "strncmp", "strcasecmp", "strncasecmp", "str_startswith", "memcmp",
	"runbook_step", "runbook_step_index", NULL,
};

static bool is_runbook_id(const char *s)
{
	return runbook_find(s) != NULL;
}

static bool is_step_id(const char *s)
{
	for (size_t r = 0; r < n_runbooks; r++)
		if (runbook_step(runbooks[r], s))
			return true;
	return false;
}

static bool is_compare_fn(const char *f)
{
	for (size_t i = 0; compare_fns[i]; i++)
		if (str_eq(f, compare_fns[i]))
			return true;
	return false;
}

/* Scan one file's text; append "path:line: why" to out for each finding.
 * table_ok: literals outside function bodies are table data. */
static size_t scan(const char *path, const char *text, bool table_ok, struct strbuf *out)
{
	char frames[64][64];        /* the identifier before each open '(' */
	int nframes = 0, braces = 0, body_at = -1;
	char ident[64] = "", prev = 0; /* last identifier; last significant char */
	size_t line = 1, found = 0;
	const char *p = text;

	while (*p) {
		if (*p == '\n') {
			line++;
			p++;
			continue;
		}
		if (p[0] == '/' && p[1] == '*') {
			for (p += 2; *p && !(p[0] == '*' && p[1] == '/'); p++)
				if (*p == '\n')
					line++;
			p += *p ? 2 : 0;
			continue;
		}
		if (p[0] == '/' && p[1] == '/') {
			while (*p && *p != '\n')
				p++;
			continue;
		}
		if (*p == '\'') {
			for (p++; *p && *p != '\''; p++)
				if (*p == '\\' && p[1])
					p++;
			p += *p ? 1 : 0;
			prev = '\'';
			continue;
		}
		if (*p == '"') {
			struct strbuf lit = STRBUF_INIT;
			const char *why = NULL;
			bool in_table = table_ok && body_at < 0;

			for (p++; *p && *p != '"' && *p != '\n'; p++) {
				if (*p == '\\' && p[1])
					sb_addc(&lit, *p++);
				sb_addc(&lit, *p);
			}
			p += *p == '"' ? 1 : 0;
			if (lit.len && !in_table) {
				if (is_runbook_id(lit.buf))
					why = "a runbook id in the code";
				else if (nframes > 0 && is_compare_fn(frames[nframes - 1]) &&
					 is_step_id(lit.buf))
					why = "a step id compared in the code";
			}
			if (why) {
				sb_addf(out, "%s:%zu: \"%s\" is %s (%s)\n", path, line, lit.buf, why,
					nframes > 0 ? frames[nframes - 1] : "");
				found++;
			}
			sb_free(&lit);
			prev = '"';
			ident[0] = '\0';
			continue;
		}
		if (*p == '_' || (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z')) {
			size_t n = 0;

			while (*p == '_' || (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
			       (*p >= '0' && *p <= '9')) {
				if (n + 1 < sizeof ident)
					ident[n++] = *p;
				p++;
			}
			ident[n] = '\0';
			prev = 'a';
			continue;
		}
		switch (*p) {
		case '(':
			if (nframes < 64)
				snprintf(frames[nframes], sizeof frames[nframes], "%s",
					 prev == 'a' ? ident : "");
			nframes++;
			break;
		case ')':
			if (nframes > 0)
				nframes--;
			break;
		case '{':
			/* At file scope, a '{' after ')' opens a function body. */
			if (braces == 0 && nframes == 0 && prev == ')')
				body_at = 0;
			braces++;
			break;
		case '}':
			braces--;
			if (braces == 0)
				body_at = -1;
			break;
		}
		if (nframes > 64)
			nframes = 64;
		if (*p != ' ' && *p != '\t' && *p != '\r')
			prev = *p;
		ident[0] = prev == 'a' ? ident[0] : '\0';
		p++;
	}
	return found;
}

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "r");
	struct strbuf sb = STRBUF_INIT;
	char buf[8192];
	size_t n;

	cr_assert_not_null(f, "%s", path);
	while ((n = fread(buf, 1, sizeof buf, f)) > 0)
		sb_addn(&sb, buf, n);
	fclose(f);
	if (!sb.buf)
		sb_add(&sb, "");
	return sb_detach(&sb);
}

static const char *base_name(const char *path)
{
	const char *s = strrchr(path, '/');

	return s ? s + 1 : path;
}

static size_t allowed_index(const char *rel)
{
	for (size_t i = 0; i < OSM_ARRAY_LEN(allowed); i++)
		if (str_eq(rel, allowed[i].file))
			return i;
	return (size_t)-1;
}

struct walk {
	const char *top;
	size_t files;
	size_t allowed_hits[OSM_ARRAY_LEN(allowed)];
	struct strbuf out;
};

static void walk_dir(struct walk *w, const char *rel)
{
	char *dir = xasprintf("%s/%s", w->top, rel);
	DIR *d = opendir(dir);
	struct dirent *e;

	cr_assert_not_null(d, "%s", dir);
	while ((e = readdir(d))) {
		char *sub, *full;
		struct stat sb;
		size_t len = strlen(e->d_name);

		if (e->d_name[0] == '.')
			continue;
		sub = xasprintf("%s/%s", rel, e->d_name);
		full = xasprintf("%s/%s", w->top, sub);
		if (stat(full, &sb) == 0 && S_ISDIR(sb.st_mode)) {
			walk_dir(w, sub);
		} else if (len > 2 && e->d_name[len - 2] == '.' &&
			   (e->d_name[len - 1] == 'c' || e->d_name[len - 1] == 'h') &&
			   !str_eq(base_name(sub), "runbook.c")) {
			char *text = slurp(full);
			struct strbuf found = STRBUF_INIT;
			size_t n = scan(sub, text, str_eq(base_name(sub), "checklist.c") ||
					str_eq(base_name(sub), "schema.c"), &found);
			size_t a = allowed_index(sub);

			w->files++;
			if (n && a != (size_t)-1)
				w->allowed_hits[a] += n;
			else if (n)
				sb_add(&w->out, found.buf);
			sb_free(&found);
			free(text);
		}
		free(sub);
		free(full);
	}
	closedir(d);
	free(dir);
}

Test(runbook_ids, none_outside_the_tables)
{
	const char *top = getenv("top_srcdir");
	struct walk w = { .top = top ? top : TOP_SRCDIR, .out = STRBUF_INIT };

	walk_dir(&w, "src");
	walk_dir(&w, "screens");
	cr_assert_gt(w.files, 20, "only %zu source files found under %s", w.files, w.top);
	cr_assert_eq(w.out.len, 0,
		     "ids of runbook data in the code; make it runbook data (runbook.h) instead:\n%s",
		     w.out.buf);
	for (size_t i = 0; i < OSM_ARRAY_LEN(allowed) && allowed[i].file; i++)
		cr_assert_gt(w.allowed_hits[i], 0,
			     "%s no longer compares runbook ids: remove its entry from allowed[] "
			     "in %s (%s)", allowed[i].file, __FILE__, allowed[i].why);
	sb_free(&w.out);
}

/* The scanner itself: it finds what it must and nothing else. */
Test(runbook_ids, scanner_finds_comparisons_only)
{
	static const char sample[] =
		"/* \"restore-database\" in a comment */\n"
		"// str_eq(s->id, \"types\")\n"
		"static const char *help = \"t  type verification (connector-migration)\";\n"
		"static const char *t[] = { \"endpoint-change\" };\n"
		"bool f(const struct rb_step *s, const struct doc *d)\n"
		"{\n"
		"\tchar c = '\"';\n"
		"\tdoc_get(d, \"types\", NULL, \"at\");\n"
		"\tif (str_eq(s->id, \"types\"))\n"
		"\t\treturn strcmp(x(s), \"decommission\") == 0;\n"
		"\treturn str_eq(rb->id, \"restore-database\");\n"
		"}\n";
	struct strbuf out = STRBUF_INIT;

	cr_assert_eq(scan("sample.c", sample, false, &out), 4, "%s", out.buf);
	cr_assert_not_null(strstr(out.buf, "sample.c:4: \"endpoint-change\" is a runbook id"),
			   "%s", out.buf);
	cr_assert_not_null(strstr(out.buf, "sample.c:9: \"types\" is a step id compared"),
			   "%s", out.buf);
	cr_assert_not_null(strstr(out.buf, "sample.c:10: \"decommission\" is a step id"),
			   "%s", out.buf);
	cr_assert_not_null(strstr(out.buf, "sample.c:11: \"restore-database\" is a runbook id"),
			   "%s", out.buf);
	sb_free(&out);
	/* In a table file, only function bodies count. */
	cr_assert_eq(scan("checklist.c", sample, true, &out), 3, "%s", out.buf);
	sb_free(&out);
}
