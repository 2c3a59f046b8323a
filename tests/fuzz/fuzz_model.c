// SPDX-License-Identifier: MIT
/*
 * fuzz_model.c - libFuzzer harness that runs the model (issue 18): the
 * fuzzer's bytes choose a well-typed scenario (src/scenario/gen.c; the
 * first 8 bytes seed its PRNG, the others are its choices, one byte each),
 * which is parsed, bound and explored with a small budget: stateless DPOR,
 * then, where DPOR completed, the stateful search (its table cut at 32 K
 * states), each with at most 200 executions and a 2 s timeout, under
 * ASan+UBSan (tests/fuzz/run.sh builds it; make fuzz-model).
 *
 * Contract checked besides the sanitizers: the generated text parses (a
 * generator bug otherwise), explore() starts, and a complete "safe" of one
 * search never meets a finding of the other.  A bind refusal is a valid
 * answer (the generator breaks a rule of the binder on purpose now and then).
 *
 * To see the scenario of an input (a crash in build/fuzz/artifacts/):
 *   PVCHECK_GEN_PRINT=1 build/fuzz/fuzz_model ARTIFACT 2>&1 | sed -n '/^# generated/,/^# end/p'
 * then save it as tests/scenarios/regress/NAME.pvs and reduce it by hand.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "check/explore.h"
#include "scenario/gen.h"
#include "scenario/scenario.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int search(const struct program *prog, struct scenario *scn, bool stateful,
		  struct explore_result *res)
{
	struct explore_opts eo;

	explore_opts_defaults(&eo);
	scenario_apply_bounds(scn, &eo);
	eo.max_executions = 200;
	eo.timeout = 2.0;
	eo.state_memory = 1u << 20;	/* 32 K states */
	if (stateful)
		eo.mode = EXPLORE_STATEFUL;
	return explore(prog, &eo, res);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char text[SCN_GEN_MAX];
	struct scn_gen g;
	struct scenario *scn = NULL;
	struct scn_diag diag;
	struct program prog;
	struct explore_result a, b;
	uint64_t seed = 0;
	int n;
	bool a_safe, b_safe;

	for (size_t i = 0; i < 8 && i < size; i++)
		seed |= (uint64_t)data[i] << (8 * i);
	scn_gen_init(&g, seed, size > 8 ? data + 8 : NULL, size > 8 ? size - 8 : 0);
	n = scn_generate(&g, "fuzz-model", text, sizeof(text));
	if (n < 0)
		__builtin_trap();		/* SCN_GEN_MAX is documented to suffice */
	if (getenv("PVCHECK_GEN_PRINT"))
		fprintf(stderr, "%s# end\n", text);
	memset(&diag, 0, sizeof(diag));
	if (scenario_parse("fuzz-model.pvs", text, (size_t)n, &scn, &diag) != 0)
		__builtin_trap();		/* the generator wrote what the parser refuses */
	if (scenario_bind(scn, NULL, 0, &diag) != 0) {
		scenario_free(scn);
		return 0;
	}
	scenario_program(scn, &prog);
	if (search(&prog, scn, false, &a))
		__builtin_trap();
	/*
	 * The stateful search where there is a verdict to compare, and not
	 * after a no-progress finding: on a 4096-step livelock its race
	 * checks cost quadratic time along the path and its timeout is
	 * looked at every 4096 transitions (2 s plain, past libFuzzer's 10 s
	 * under ASan; an engine bug, tests/genmodel/engine/stateful-livelock.pvs).
	 */
	if ((!a.complete && !a.found) || a.verdict == VERDICT_NO_PROGRESS) {
		explore_result_free(&a);
		scenario_free(scn);
		return 0;
	}
	if (search(&prog, scn, true, &b))
		__builtin_trap();
	a_safe = a.complete && !a.found && a.verdict == VERDICT_SAFE;
	b_safe = b.complete && !b.found && b.verdict == VERDICT_SAFE;
	if ((a_safe && b.found) || (b_safe && a.found)) {
		fprintf(stderr, "fuzz_model: verdicts differ: dpor %s, stateful %s\n%s",
			explore_verdict_name(a.verdict), explore_verdict_name(b.verdict), text);
		__builtin_trap();
	}
	explore_result_free(&a);
	explore_result_free(&b);
	scenario_free(scn);
	return 0;
}
