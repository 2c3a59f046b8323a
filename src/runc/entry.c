// SPDX-License-Identifier: MIT
/*
 * entry.c - the doors through which a program run by `pvcheck run` enters
 * the runtime at a possible scheduling point, and why they wipe the stack.
 *
 * The stateful search (stateful.c) identifies a state by, among the rest,
 * each thread's stack from its saved stack pointer to the top.  Below the
 * program's own frames, that range holds the frames of the runtime call
 * that suspended the thread (the tsan callback, vis_op, the fiber switch).
 * Those frames have slots the current call never writes (padding, locals
 * not yet assigned, spill slots of paths not taken), and such a slot holds
 * whatever an earlier call left at that address.  Two paths that reach the
 * same program state therefore leave different bytes there:
 *
 *   1. io thread T runs "c = atomic_load(&refcnt)" through path A, where
 *      the previous runtime call at that depth was a CAS, or through path
 *      B, where it was a fetch_sub;
 *   2. T suspends in the load with its frames over those leftovers;
 *   3. the two states hash differently although every byte the program or
 *      the runtime will ever read is equal, and the search explores the
 *      rest of the execution twice.
 *
 * On rf.c (2,1,2) with --no-por the wipe takes the stored states from
 * 33,422 to 27,359 (PVCHECK_NO_SCRUB=1 turns it off, to measure it).
 *
 * So, while runc_scrub_on is set (stateful search of a `run` program),
 * every entry point the program calls first zeroes RUNC_SCRUB bytes below
 * its stack pointer, then jumps to the real function: the frames the call
 * builds then hold only what this call wrote, a function of its arguments,
 * the caller's registers and the shared state, all of which are part of the
 * state anyway.  The bytes below the stack pointer at a call are dead (the
 * System V ABI's red zone belongs to leaf functions only), so the program
 * cannot tell.  The stub touches only r10 and r11 (scratch, never
 * arguments), so every argument register and the varargs count in al pass
 * through unchanged.  build.c renames the program's references from X to
 * runc_e_X.
 *
 * A wipe too short only loses merging, never a state: the search stays
 * exact whatever RUNC_SCRUB is.  The frames at a suspension span a few
 * hundred bytes; RUNC_SCRUB leaves room for the runtime to grow.
 *
 * Only x86-64 has the stubs; elsewhere build.c keeps the direct names.
 */
#include <stdbool.h>
#include "runc/runc_int.h"
#include "runc/rt.h"
#include "runc/tsan_iface.h"

bool runc_scrub_on;

#if defined(__x86_64__)
#define RUNC_SCRUB	1024		/* bytes ... */
#define RUNC_SCRUB_LINES 16		/* ... in 64-byte lines */
_Static_assert(RUNC_SCRUB == RUNC_SCRUB_LINES * 64, "RUNC_SCRUB");
#define STR_(x)		#x
#define STR(x)		STR_(x)

#define ENTRY_STUB(target)							\
	__asm__("	.text\n"						\
		"	.globl runc_e_" #target "\n"				\
		"	.type runc_e_" #target ", @function\n"			\
		"runc_e_" #target ":\n"						\
		"	cmpb $0, runc_scrub_on(%rip)\n"				\
		"	je " #target "\n"					\
		"	lea -" STR(RUNC_SCRUB) "(%rsp), %r11\n"			\
		"	mov $" STR(RUNC_SCRUB_LINES) ", %r10d\n"			\
		"1:	movq $0, (%r11)\n"					\
		"	movq $0, 8(%r11)\n"					\
		"	movq $0, 16(%r11)\n"					\
		"	movq $0, 24(%r11)\n"					\
		"	movq $0, 32(%r11)\n"					\
		"	movq $0, 40(%r11)\n"					\
		"	movq $0, 48(%r11)\n"					\
		"	movq $0, 56(%r11)\n"					\
		"	add $64, %r11\n"					\
		"	dec %r10d\n"						\
		"	jnz 1b\n"						\
		"	jmp " #target "\n"					\
		"	.size runc_e_" #target ", .-runc_e_" #target "\n");

#define REDIRECT_STUB(libc, runc)	ENTRY_STUB(runc)
RUNC_REDIRECTS(REDIRECT_STUB)
TSAN_ATOMIC_ALL_NAMES(ENTRY_STUB)
#endif
