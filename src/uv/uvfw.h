/* SPDX-License-Identifier: MIT */
/*
 * uvfw.h - state of the s390 Ultravisor model (uvfw.c).  Private to
 * uvfw.c; it is declared here only so that the world (one static struct)
 * can hold it and reset it by copy.
 *
 * The secure state of a frame is the triple (configuration, guest frame,
 * host frame) that Ulrich Weigand describes
 * (<20200504134154.GA21001@oc3748833570.ibm.com>).  Exported contents are
 * modelled as plaintext XOR a per-(config, gfn, export sequence) key; the
 * integrity tag is the expected ciphertext, kept by the firmware, so that a
 * tampered, swapped or replayed page fails to import.  A real MAC has the
 * same observable effect for the properties checked here.
 */
#ifndef PVM_UV_UVFW_H
#define PVM_UV_UVFW_H

#include <stdbool.h>
#include <stdint.h>
#include "uv/fw.h"

#define UVFW_MAX_PAGES	8
#define UVFW_MAX_CONFIGS 2
#define UVFW_MAX_GFNS	8	/* frames per configuration the firmware tracks */
#define UVFW_MAX_CPUS	16	/* MDL_MAX_THREADS: one CPU per model thread */

struct uvfw_export {
	bool exported;
	uint32_t seq;
	uint32_t tag;		/* ciphertext the firmware produced */
};

struct uvfw_state {
	struct fw_page_info page[UVFW_MAX_PAGES];
	/* per configuration, per guest frame (by its index in the guest's mm) */
	struct uvfw_export rec[UVFW_MAX_CONFIGS][UVFW_MAX_GFNS];
	/*
	 * The last answer to this CPU was busy or partial: the next one is
	 * definite (a fair firmware, stutter-reduced; doc/protocol.md).
	 */
	bool stalled[UVFW_MAX_CPUS];
};

#endif /* PVM_UV_UVFW_H */
