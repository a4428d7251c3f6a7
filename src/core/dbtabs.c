/* dbtabs.c - per Configuration Tool tab, the address to type (dbtabs.h). */
#include "config.h"

#include <stdlib.h>

#include "dbtabs.h"
#include "doc.h"
#include "schema.h"
#include "util.h"

const struct schema_name *dbtabs_all(size_t *n)
{
	return schema_names_of("endpoint", n);
}

char *dbtabs_line(const struct doc *settings, const struct schema_name *db)
{
	const char *o = doc_get(settings, "endpoint", db->name, "old");
	const char *n = doc_get(settings, "endpoint", db->name, "new");

	if (str_empty(o) && str_empty(n))
		return xasprintf("%s tab: no address in the settings ([endpoint \"%s\"]): "
				 "unchanged unless its database moves too", db->title, db->name);
	if (str_empty(n))
		return xasprintf("%s tab: shows %s now; no new address in the settings "
				 "([endpoint \"%s\"] new)", db->title, o, db->name);
	if (str_empty(o))
		return xasprintf("%s tab: type %s", db->title, n);
	return xasprintf("%s tab: type %s (it shows %s now)", db->title, n, o);
}
