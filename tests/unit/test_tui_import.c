/* test_tui_import.c - inventories imported from CSV/text files on the
 * settings screen (screens/import.c, UI-free). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <criterion/criterion.h>

#include "doc.h"
#include "import.h"
#include "util.h"

static char path[64];

static void write_file(const char *text)
{
	int fd;
	FILE *f;

	strcpy(path, "/tmp/osm-import-XXXXXX");
	fd = mkstemp(path);
	cr_assert(fd >= 0);
	f = fdopen(fd, "w");
	cr_assert_not_null(f);
	fputs(text, f);
	fclose(f);
}

static void cleanup(void)
{
	if (path[0])
		unlink(path);
}

TestSuite(tui_import, .fini = cleanup);

Test(tui_import, csv_with_header_quotes_and_comments)
{
	struct doc *d = doc_new();
	char msg[1024];
	size_t added, updated;

	write_file("name,logical_database,tables\n"
		   "# the orders side\n"
		   "\n"
		   "Orders DB, OrdersLDB , public.orders sales.lines\r\n"
		   "\"Billing, old\",\"Bill \"\"LDB\"\"\",\n"
		   "Empty\n");
	cr_assert(import_inventory(d, "extension", path, &added, &updated, msg, sizeof msg), "%s", msg);
	cr_assert_eq(added, 3);
	cr_assert_eq(updated, 0);
	cr_assert_str_eq(doc_get(d, "extension", "Orders DB", "logical_database"), "OrdersLDB");
	cr_assert_str_eq(doc_get(d, "extension", "Orders DB", "tables"), "public.orders sales.lines");
	cr_assert_str_eq(doc_get(d, "extension", "Billing, old", "logical_database"), "Bill \"LDB\"");
	cr_assert_null(doc_get(d, "extension", "Billing, old", "tables"));
	cr_assert(doc_has_section(d, "extension", "Empty"));
	doc_free(d);
}

Test(tui_import, tabs_and_update_counts)
{
	struct doc *d = doc_new();
	char msg[1024];
	size_t added, updated;

	doc_add_section(d, "server", "DC1");
	write_file("DC1\tcontroller\thttp://127.0.0.1:8080\nFE1\tfrontend\n");
	cr_assert(import_inventory(d, "server", path, &added, &updated, msg, sizeof msg), "%s", msg);
	cr_assert_eq(added, 1);
	cr_assert_eq(updated, 1);
	cr_assert_str_eq(doc_get(d, "server", "DC1", "role"), "controller");
	cr_assert_str_eq(doc_get(d, "server", "FE1", "role"), "frontend");
	doc_free(d);
}

/* All or nothing: a bad line leaves the document as it was and names the line. */
Test(tui_import, bad_line_changes_nothing)
{
	struct doc *d = doc_new();
	char msg[1024];
	size_t added, updated;

	write_file("FE1,frontend\nFE2,boss\n");
	cr_assert_not(import_inventory(d, "server", path, &added, &updated, msg, sizeof msg));
	cr_assert(strstr(msg, "line 2"), "%s", msg);
	cr_assert(strstr(msg, "role"), "%s", msg);
	cr_assert_not(doc_has_section(d, "server", "FE1"));
	doc_free(d);
}

Test(tui_import, refusals)
{
	struct doc *d = doc_new();
	char msg[1024];
	size_t added, updated;

	write_file("A,http://x/_ping.html,extra\n");
	cr_assert_not(import_inventory(d, "consumer", path, &added, &updated, msg, sizeof msg));
	cr_assert(strstr(msg, "line 1") && strstr(msg, "fields"), "%s", msg);
	unlink(path);

	write_file("A\nA\n");
	cr_assert_not(import_inventory(d, "environment", path, &added, &updated, msg, sizeof msg));
	cr_assert(strstr(msg, "already on line 1"), "%s", msg);
	unlink(path);

	write_file("\"open\n");
	cr_assert_not(import_inventory(d, "environment", path, &added, &updated, msg, sizeof msg));
	cr_assert(strstr(msg, "not closed"), "%s", msg);
	unlink(path);

	write_file("caf\xe9\n");
	cr_assert_not(import_inventory(d, "environment", path, &added, &updated, msg, sizeof msg));
	cr_assert(strstr(msg, "UTF-8"), "%s", msg);
	unlink(path);

	write_file("# nothing\n\n");
	cr_assert_not(import_inventory(d, "environment", path, &added, &updated, msg, sizeof msg));
	cr_assert(strstr(msg, "no environment"), "%s", msg);

	cr_assert_not(import_inventory(d, "target", path, &added, &updated, msg, sizeof msg));
	cr_assert_not(import_inventory(d, "consumer", "/nonexistent/x.csv", &added, &updated,
				       msg, sizeof msg));
	cr_assert(strstr(msg, "/nonexistent/x.csv"), "%s", msg);
	cr_assert_eq(doc_nsections(d), 0);
	doc_free(d);
}
