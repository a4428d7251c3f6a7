/* version.c - Platform Server versions (see version.h). */
#include "config.h"

#include <string.h>

#include "version.h"

#define PART_MAX_DIGITS 9

bool version_parse(const char *s, struct version *out)
{
	struct version v;

	memset(&v, 0, sizeof v);
	if (!s)
		return false;
	for (;;) {
		unsigned long x = 0;
		unsigned digits = 0;

		while (*s >= '0' && *s <= '9') {
			if (++digits > PART_MAX_DIGITS)
				return false;
			x = x * 10 + (unsigned long)(*s++ - '0');
		}
		if (digits == 0 || v.n == VERSION_MAX_PARTS)
			return false;
		v.part[v.n++] = x;
		if (*s == '\0')
			break;
		if (*s++ != '.')
			return false;
	}
	if (v.n < 2)
		return false;
	if (out)
		*out = v;
	return true;
}

int version_order(const struct version *a, const struct version *b)
{
	unsigned n = a->n > b->n ? a->n : b->n;

	for (unsigned i = 0; i < n; i++) {
		unsigned long x = i < a->n ? a->part[i] : 0, y = i < b->n ? b->part[i] : 0;

		if (x != y)
			return x < y ? -1 : 1;
	}
	return 0;
}

bool version_cmp(const char *a, const char *b, int *out)
{
	struct version va, vb;

	if (!version_parse(a, &va) || !version_parse(b, &vb))
		return false;
	*out = version_order(&va, &vb);
	return true;
}
