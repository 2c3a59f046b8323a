// SPDX-License-Identifier: MIT
/*
 * test_model_canon.c - the world's canonical form (mdl_world_canon, the
 * stateful search's identity of a state) keeps of the model's history
 * counters only what the model reads of them (issue 20): page->version
 * against a thread's retry_version, lru_drain_seq against a thread's
 * drain_seq while it is in lru_add_drain_all, a page's freeze_count and
 * freeze_steps while the page is frozen.  Each case builds two worlds that
 * the model tells apart, or does not, and asserts the forms agree with it:
 * a form that merged two worlds the model tells apart would lose states,
 * one that split two it does not would explode them.  TAP output.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "check/explore.h"
#include "model/model.h"
#include "model/world.h"
#include "mm/page.h"

#include "model_harness.h"

#define P0 (&mdl_world.pages[0])
#define VCPU (&mdl_world.threads[1])

static char form_a[sizeof(mdl_world)], form_b[sizeof(mdl_world)];
static size_t len_a, len_b;

static void world(void)
{
	mdl_world_begin();
	decl("mm", "qemu", "");
	decl("guest", "g", "mm=qemu");
	decl("page", "p0", "mm=qemu addr=0");
	end_world();
	mdl_world_snapshot();
}

static size_t form(char *buf)
{
	int sigma[MDL_MAX_THREADS];

	for (int t = 0; t < MDL_MAX_THREADS; t++)
		sigma[t] = t;
	return mdl_world_canon(NULL, sigma, 0, buf);
}

static bool same(void)
{
	return len_a == len_b && memcmp(form_a, form_b, len_a) == 0;
}

/* The world as the model would read it: page_pred_changed() for the vCPU. */
static bool vcpu_sees_change(void)
{
	return page_pred_changed(VCPU);
}

int main(void)
{
	(void)run;	/* the harness's, for the tests that explore */
	(void)knob;
	/* 1. version: only "moved since the failed attempt" is kept */
	world();
	P0->version = 3;
	VCPU->retry_page = P0;
	VCPU->retry_version = 3;
	len_a = form(form_a);
	P0->version = 8;
	VCPU->retry_version = 8;
	len_b = form(form_b);
	ok(!vcpu_sees_change() && same(),
	   "version 3 = retry 3 and version 8 = retry 8: the vCPU waits in both, one form");
	P0->version = 9;
	len_b = form(form_b);
	ok(vcpu_sees_change() && !same(),
	   "version 9 against retry 8: the vCPU's wait is over, another form");
	P0->version = 12;
	len_a = form(form_a);
	ok(vcpu_sees_change() && same(),
	   "version 12 and 9 against retry 8: both moved, one form");
	VCPU->retry_page = NULL;
	len_a = form(form_a);
	P0->version = 40;
	VCPU->retry_version = 1;
	len_b = form(form_b);
	ok(same(), "no retry page: the version and a stale retry_version are not read, one form");

	/* 2. lru_drain_seq: only "a drain ran since my read" while in the drain */
	world();
	mdl_world.lru_drain_seq = 2;
	VCPU->in_drain = true;
	VCPU->drain_seq = 2;
	len_a = form(form_a);
	mdl_world.lru_drain_seq = 5;
	VCPU->drain_seq = 5;
	len_b = form(form_b);
	ok(same(), "seq 2 = read 2 and seq 5 = read 5: no drain ran since, one form");
	mdl_world.lru_drain_seq = 6;
	len_b = form(form_b);
	ok(!same(), "seq 6 against read 5: the caller piggybacks, another form");
	VCPU->in_drain = false;
	VCPU->drain_seq = 0;
	len_a = form(form_a);
	mdl_world.lru_drain_seq = 1;
	len_b = form(form_b);
	ok(same(), "nobody in the drain: the seqcount's value is not read, one form");

	/* 3. freeze_count and freeze_steps: read only while frozen */
	world();
	P0->freeze_tid = -1;
	P0->freeze_steps = 4;
	P0->freeze_count = 2;
	len_a = form(form_a);
	P0->freeze_steps = 1;
	P0->freeze_count = 3;
	len_b = form(form_b);
	ok(same(), "unfrozen: the last freeze's counters are dead, one form");
	P0->freeze_tid = 1;
	len_a = form(form_a);
	P0->freeze_steps = 2;
	len_b = form(form_b);
	ok(!same(), "frozen: freeze_steps 1 and 2 (the progress bound counts them), two forms");

	printf("1..%d\n", test_nr);
	return failures ? 1 : 0;
}
