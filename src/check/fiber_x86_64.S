/* SPDX-License-Identifier: MIT */
/*
 * fiber_x86_64.S - the context switch (System V AMD64 ABI).
 *
 * pvm_fiber_swap(void **save_sp, void *new_sp): push the callee-saved
 * registers, store rsp in *save_sp, load new_sp, pop and return into the
 * other context.  A fresh stack is laid out by fiber_init() so that the
 * first switch "returns" into pvm_fiber_trampoline with the function in r13
 * and its argument in r12.
 */
#if defined(__x86_64__)
	.text
	.globl	pvm_fiber_swap
	.type	pvm_fiber_swap, @function
pvm_fiber_swap:
	pushq	%rbp
	pushq	%rbx
	pushq	%r12
	pushq	%r13
	pushq	%r14
	pushq	%r15
	movq	%rsp, (%rdi)
	movq	%rsi, %rsp
	popq	%r15
	popq	%r14
	popq	%r13
	popq	%r12
	popq	%rbx
	popq	%rbp
	ret
	.size	pvm_fiber_swap, .-pvm_fiber_swap

	.globl	pvm_fiber_trampoline
	.type	pvm_fiber_trampoline, @function
pvm_fiber_trampoline:
	movq	%r12, %rdi
	callq	*%r13
	ud2
	.size	pvm_fiber_trampoline, .-pvm_fiber_trampoline
#endif
	.section .note.GNU-stack,"",@progbits
