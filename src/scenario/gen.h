/* SPDX-License-Identifier: MIT */
/*
 * gen.h - a generator of well-typed scenarios from the model's own tables
 * (issue 18): the declaration kinds (mdl_decl_kinds[]), the operations and
 * their argument types (mdl_ops[]) and the knobs (mdl_knobs[]).
 *
 * A generated scenario is scenario text, so every case can be saved as a
 * .pvs file and run again with `pvcheck check FILE`.  Its world draws 0..3
 * mms, guests on them, 0..2 devices of each kind the table has, files,
 * pipes and up to the model's limit of pages (mapped, cached, free, secure,
 * in the pagevec); 1..4 threads run a few operations each, every argument
 * an object of the right kind or an integer in the range its name implies
 * (an address, a file index that holds a page, a slot).  Most scenarios
 * follow the binder's rules (doc/scenarios.md, "Checked against the world")
 * so that they reach the model; a few break one on purpose (a writeback
 * with no block device, a page declared twice at one address) so that the
 * refusal is exercised too.  Odd but well-typed choices come often: no
 * device, two threads on one pipe, many pages, the same page twice.
 *
 * Deterministic: the choices come first from @data (libFuzzer's bytes, one
 * byte per choice), then from a PRNG seeded with @seed; the same seed and
 * data give the same text.
 */
#ifndef PVM_SCENARIO_GEN_H
#define PVM_SCENARIO_GEN_H

#include <stddef.h>
#include <stdint.h>

struct scn_gen {
	const uint8_t *data;		/* choices, one byte each, used first */
	size_t len, pos;
	uint64_t rng;			/* then splitmix64 */
};

/* scn_gen_init - choices from @data[0..@len) (may be NULL, 0), then from @seed. */
void scn_gen_init(struct scn_gen *g, uint64_t seed, const uint8_t *data, size_t len);

/* scn_gen_pick - a choice in 0..@n-1 (@n >= 1). */
unsigned int scn_gen_pick(struct scn_gen *g, unsigned int n);

/**
 * scn_generate - write one scenario called @name into @buf.
 *
 * Context: process context; reads only the model's constant tables.
 * Return: its length (NUL-terminated), or -1 if @size is too small (8 KiB
 * always suffices: SCN_GEN_MAX).
 */
#define SCN_GEN_MAX 8192
int scn_generate(struct scn_gen *g, const char *name, char *buf, size_t size);

#endif /* PVM_SCENARIO_GEN_H */
