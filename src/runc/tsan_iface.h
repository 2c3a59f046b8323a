/* SPDX-License-Identifier: MIT */
/*
 * tsan_iface.h - the ThreadSanitizer callbacks that `-fsanitize=thread`
 * makes the compiler emit, implemented by src/runc/tsan.c.
 *
 * A program run by `pvcheck run` is compiled with -fsanitize=thread but not
 * linked with libtsan: these symbols, exported by the pvcheck executable
 * (linked with -rdynamic), satisfy its undefined references when it is
 * loaded.  The signatures follow compiler-rt's tsan_interface.h and
 * tsan_interface_atomic.h (the ABI GCC and Clang both target).
 *
 * Atomic callbacks (every C11 atomic in any syntax: atomic_load, the
 * _explicit forms, x++ or x = 1 on an _Atomic object, __atomic and __sync
 * builtins) announce a visible operation and then perform it; the memory
 * order is ignored because programs are explored under sequential
 * consistency.  Plain-access callbacks are not scheduling points.
 */
#ifndef PVM_RUNC_TSAN_IFACE_H
#define PVM_RUNC_TSAN_IFACE_H

#include <stdint.h>

typedef unsigned char tsan_a8;
typedef unsigned short tsan_a16;
typedef unsigned int tsan_a32;
typedef unsigned long tsan_a64;
typedef unsigned __int128 tsan_a128;
typedef int tsan_mo;		/* memory order: ignored (sequential consistency) */

/* ---- atomics: one family per width ------------------------------------ */

#define TSAN_ATOMIC_DECLS(N)							\
tsan_a##N __tsan_atomic##N##_load(const volatile tsan_a##N *a, tsan_mo mo);	\
void __tsan_atomic##N##_store(volatile tsan_a##N *a, tsan_a##N v, tsan_mo mo);	\
tsan_a##N __tsan_atomic##N##_exchange(volatile tsan_a##N *a, tsan_a##N v, tsan_mo mo); \
tsan_a##N __tsan_atomic##N##_fetch_add(volatile tsan_a##N *a, tsan_a##N v, tsan_mo mo); \
tsan_a##N __tsan_atomic##N##_fetch_sub(volatile tsan_a##N *a, tsan_a##N v, tsan_mo mo); \
tsan_a##N __tsan_atomic##N##_fetch_and(volatile tsan_a##N *a, tsan_a##N v, tsan_mo mo); \
tsan_a##N __tsan_atomic##N##_fetch_or(volatile tsan_a##N *a, tsan_a##N v, tsan_mo mo); \
tsan_a##N __tsan_atomic##N##_fetch_xor(volatile tsan_a##N *a, tsan_a##N v, tsan_mo mo); \
tsan_a##N __tsan_atomic##N##_fetch_nand(volatile tsan_a##N *a, tsan_a##N v, tsan_mo mo); \
int __tsan_atomic##N##_compare_exchange_strong(volatile tsan_a##N *a, tsan_a##N *c, \
		tsan_a##N v, tsan_mo mo, tsan_mo fmo);				\
int __tsan_atomic##N##_compare_exchange_weak(volatile tsan_a##N *a, tsan_a##N *c, \
		tsan_a##N v, tsan_mo mo, tsan_mo fmo);				\
tsan_a##N __tsan_atomic##N##_compare_exchange_val(volatile tsan_a##N *a, tsan_a##N c, \
		tsan_a##N v, tsan_mo mo, tsan_mo fmo);

/* X(name) for every atomic entry point of width N (entry.c, build.c). */
#define TSAN_ATOMIC_NAMES(X, N)							\
	X(__tsan_atomic##N##_load) X(__tsan_atomic##N##_store)			\
	X(__tsan_atomic##N##_exchange) X(__tsan_atomic##N##_fetch_add)		\
	X(__tsan_atomic##N##_fetch_sub) X(__tsan_atomic##N##_fetch_and)		\
	X(__tsan_atomic##N##_fetch_or) X(__tsan_atomic##N##_fetch_xor)		\
	X(__tsan_atomic##N##_fetch_nand)					\
	X(__tsan_atomic##N##_compare_exchange_strong)				\
	X(__tsan_atomic##N##_compare_exchange_weak)				\
	X(__tsan_atomic##N##_compare_exchange_val)
#define TSAN_ATOMIC_ALL_NAMES(X)						\
	TSAN_ATOMIC_NAMES(X, 8) TSAN_ATOMIC_NAMES(X, 16) TSAN_ATOMIC_NAMES(X, 32) \
	TSAN_ATOMIC_NAMES(X, 64) TSAN_ATOMIC_NAMES(X, 128)

TSAN_ATOMIC_DECLS(8)
TSAN_ATOMIC_DECLS(16)
TSAN_ATOMIC_DECLS(32)
TSAN_ATOMIC_DECLS(64)
TSAN_ATOMIC_DECLS(128)

/* Fences: no-ops under sequential consistency, not scheduling points. */
void __tsan_atomic_thread_fence(tsan_mo mo);
void __tsan_atomic_signal_fence(tsan_mo mo);

/* ---- plain accesses: not scheduling points ------------------------------ */

#define TSAN_PLAIN_DECLS(N)					\
void __tsan_read##N(void *addr);				\
void __tsan_write##N(void *addr);				\
void __tsan_unaligned_read##N(void *addr);			\
void __tsan_unaligned_write##N(void *addr);			\
void __tsan_volatile_read##N(void *addr);			\
void __tsan_volatile_write##N(void *addr);			\
void __tsan_read##N##_pc(void *addr, void *pc);			\
void __tsan_write##N##_pc(void *addr, void *pc);

TSAN_PLAIN_DECLS(1)
TSAN_PLAIN_DECLS(2)
TSAN_PLAIN_DECLS(4)
TSAN_PLAIN_DECLS(8)
TSAN_PLAIN_DECLS(16)

void __tsan_read_range(void *addr, unsigned long size);
void __tsan_write_range(void *addr, unsigned long size);
void __tsan_vptr_read(void **vptr_p);
void __tsan_vptr_update(void **vptr_p, void *new_val);
void __tsan_func_entry(void *call_pc);
void __tsan_func_exit(void);
void __tsan_init(void);

#endif /* PVM_RUNC_TSAN_IFACE_H */
