// SPDX-License-Identifier: MIT
/*
 * catalog.c - look-ups in the catalog of scenarios embedded at build time.
 *
 * The table itself (scn_catalog[], scn_ncatalog) is generated from
 * the files scenarios/catalog/NAME.pvs by scripts/embed-catalog.sh into
 * build/gen/catalog.c, in file-name order (LC_ALL=C), so that `pvcheck`
 * needs no files at run time and the table's order is stable.
 */
#include <string.h>
#include "scenario/scenario.h"

int scn_catalog_load(int i, struct scenario **out, struct scn_diag *diag)
{
	return scenario_parse(scn_catalog[i].file, scn_catalog[i].text, scn_catalog[i].len,
			      out, diag);
}

/* Does @file (a path) have base name @name, with or without ".pvs"? */
static bool file_is(const char *file, const char *name)
{
	const char *base = strrchr(file, '/');
	size_t n;

	base = base ? base + 1 : file;
	n = strlen(name);
	if (strcmp(base, name) == 0)
		return true;
	return strncmp(base, name, n) == 0 && strcmp(base + n, ".pvs") == 0;
}

int scn_catalog_find(const char *name)
{
	for (int i = 0; i < scn_ncatalog; i++) {
		struct scenario *scn;
		struct scn_diag d;
		bool hit;

		if (file_is(scn_catalog[i].file, name))
			return i;
		if (scn_catalog_load(i, &scn, &d))
			continue;
		hit = strcmp(scn->name.s, name) == 0;
		scenario_free(scn);
		if (hit)
			return i;
	}
	return -1;
}
