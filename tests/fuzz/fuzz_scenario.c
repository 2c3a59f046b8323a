// SPDX-License-Identifier: MIT
/*
 * fuzz_scenario.c - libFuzzer harness for the scenario parser
 * (src/scenario/parse.c, diag.c): scenario_parse() on arbitrary bytes.
 *
 * The parser takes a buffer (it must never read past @len, so the input is
 * passed as libFuzzer gives it, not NUL-terminated), reports the first
 * error through struct scn_diag, and the error is printed gcc-style with its
 * source line and caret (scn_diag_print) to /dev/null, which exercises the
 * windowing of long lines.  On success the scenario is freed.
 *
 * Built with -DFUZZ_BIND (fuzz_scenario_bind, linked with the whole
 * library), a scenario that parses is also bound to the model
 * (scenario_bind: kinds, keys, operations, argument types, knobs), the bind
 * error, if any, is printed the same way, and the accessors the CLI uses
 * (bounds, knob and expect descriptions) are run.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include "scenario/scenario.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static FILE *devnull;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct scenario *scn = NULL;
	struct scn_diag diag;
#ifdef FUZZ_BIND
	char buf[512];
#endif

	if (!devnull)
		devnull = fopen("/dev/null", "w");
	memset(&diag, 0, sizeof(diag));
	if (scenario_parse("fuzz.pvs", (const char *)data, size, &scn, &diag) != 0) {
		if (scn)
			__builtin_trap();	/* contract: *out is NULL on error */
		scn_diag_print(&diag, devnull);
		return 0;
	}
	if (!scn)
		__builtin_trap();
	if (scn->len != size || scn->text[scn->len] != '\0')
		__builtin_trap();
#ifdef FUZZ_BIND
	memset(&diag, 0, sizeof(diag));
	if (scenario_bind(scn, NULL, 0, &diag) != 0) {
		scn_diag_print(&diag, devnull);
	} else {
		struct explore_opts opts;
		memset(&opts, 0, sizeof(opts));
		scenario_apply_bounds(scn, &opts);
		scenario_knobs_desc(scn, buf, sizeof(buf));
		fputs(buf, devnull);
	}
	fputs(scenario_expect_desc(scn, buf, sizeof(buf)), devnull);
#endif
	scenario_free(scn);
	return 0;
}
