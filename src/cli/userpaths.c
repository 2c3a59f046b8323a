// SPDX-License-Identifier: MIT
/*
 * userpaths.c - the CLI's side of user paths and patches (src/paths):
 * which files a scenario needs, and the message when they do not load.
 */
#include <stdio.h>
#include <string.h>
#include "cli/cli.h"
#include "paths/paths.h"

/*
 * Load the user paths the scenario needs: --paths files, then its `paths`
 * lines (relative to the scenario file's directory), and the --patch files
 * unless @patches_off.  None: forget the last scenario's.
 */
int cli_load_paths(const struct options *o, const struct scenario *scn, bool patches_off)
{
	static char err[16384];
	static char rel[PATHS_MAX_FILES][1024];
	const char *files[PATHS_MAX_FILES];
	int n = 0, rc;

	for (int k = 0; k < o->npaths && n < PATHS_MAX_FILES; k++)
		files[n++] = o->paths[k];
	for (int k = 0; k < scn->npaths && n < PATHS_MAX_FILES; k++) {
		const char *f = scn->paths[k].s, *slash = strrchr(scn->path, '/');

		if (f[0] == '/' || !slash)
			snprintf(rel[n], sizeof(rel[n]), "%s", f);
		else
			snprintf(rel[n], sizeof(rel[n]), "%.*s/%s", (int)(slash - scn->path),
				 scn->path, f);
		files[n] = rel[n];
		n++;
	}
	rc = paths_load(files, n, o->patches, patches_off ? 0 : o->npatches, err, sizeof(err));
	if (rc) {
		fprintf(stderr, "pvcheck: %s\n", err);
		cli_json_error(o, files[0], scn->name.s, 0, 0, err, rc);
	}
	return rc;
}

