// SPDX-License-Identifier: MIT
/*
 * fiber.c - stacks and context switch for the checker's cooperative threads.
 * See fiber.h for why the switch is hand-written.
 */
#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include "check/fiber.h"
#include "lib/bug.h"

#if defined(__SANITIZE_ADDRESS__)
#define PVM_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define PVM_ASAN 1
#endif
#endif

#ifdef PVM_ASAN
void __sanitizer_start_switch_fiber(void **fake_stack_save, const void *bottom, size_t size);
void __sanitizer_finish_switch_fiber(void *fake_stack_save, const void **bottom_old, size_t *size_old);
void __asan_unpoison_memory_region(void const volatile *addr, size_t size);
#endif

#ifdef PVM_ASAN
static const void *main_bottom;
static size_t main_size;
#define TO_BOTTOM(to) ((to)->stack ? (const void *)(to)->stack : main_bottom)
#define TO_SIZE(to) ((to)->stack ? (to)->size : main_size)
#endif

void fiber_started(void)
{
#ifdef PVM_ASAN
	__sanitizer_finish_switch_fiber(NULL, &main_bottom, &main_size);
#endif
}

int fiber_alloc(struct fiber *f, size_t size)
{
	memset(f, 0, sizeof(*f));
	void *p = mmap(NULL, size, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (p == MAP_FAILED)
		return -ENOMEM;
	f->stack = p;
	f->size = size;
	return 0;
}

void fiber_free(struct fiber *f)
{
	if (f->stack)
		munmap(f->stack, f->size);
	f->stack = NULL;
}

void fiber_init_main(struct fiber *f)
{
	memset(f, 0, sizeof(*f));
}

#if defined(__x86_64__)
void pvm_fiber_swap(void **save_sp, void *new_sp);
void pvm_fiber_trampoline(void);

void fiber_init(struct fiber *f, fiber_fn fn, void *arg)
{
#ifdef PVM_ASAN
	__asan_unpoison_memory_region(f->stack, f->size);
#endif
	uintptr_t top = ((uintptr_t)f->stack + f->size) & ~(uintptr_t)15;
	uint64_t *sp = (uint64_t *)top;
	/*
	 * After the six pops and the ret, rsp is back at the 16-aligned top,
	 * so the trampoline's call enters the callee with rsp % 16 == 8, as
	 * the ABI wants.
	 */
	*--sp = (uint64_t)(uintptr_t)pvm_fiber_trampoline;	/* ret target */
	*--sp = 0;				/* rbp */
	*--sp = 0;				/* rbx */
	*--sp = (uint64_t)(uintptr_t)arg;	/* r12 */
	*--sp = (uint64_t)(uintptr_t)fn;	/* r13 */
	*--sp = 0;				/* r14 */
	*--sp = 0;				/* r15 */
	f->sp = sp;
}

void fiber_switch(struct fiber *from, struct fiber *to)
{
#ifdef PVM_ASAN
	__sanitizer_start_switch_fiber(&from->asan_fake, TO_BOTTOM(to), TO_SIZE(to));
#endif
	pvm_fiber_swap(&from->sp, to->sp);
#ifdef PVM_ASAN
	__sanitizer_finish_switch_fiber(from->asan_fake, NULL, NULL);
#endif
}
#else /* portable fallback */
static void fiber_uc_entry(unsigned int lo, unsigned int hi, unsigned int alo, unsigned int ahi)
{
	fiber_fn fn = (fiber_fn)(((uintptr_t)hi << 32) | lo);
	void *arg = (void *)(((uintptr_t)ahi << 32) | alo);
	fn(arg);
	PVM_BUG();
}

void fiber_init(struct fiber *f, fiber_fn fn, void *arg)
{
#ifdef PVM_ASAN
	__asan_unpoison_memory_region(f->stack, f->size);
#endif
	getcontext(&f->uc);
	f->uc.uc_stack.ss_sp = f->stack;
	f->uc.uc_stack.ss_size = f->size;
	f->uc.uc_link = NULL;
	uintptr_t a = (uintptr_t)fn, b = (uintptr_t)arg;
	makecontext(&f->uc, (void (*)(void))fiber_uc_entry, 4, (unsigned)a, (unsigned)(a >> 32),
		    (unsigned)b, (unsigned)(b >> 32));
}

void fiber_switch(struct fiber *from, struct fiber *to)
{
#ifdef PVM_ASAN
	__sanitizer_start_switch_fiber(&from->asan_fake, TO_BOTTOM(to), TO_SIZE(to));
#endif
	swapcontext(&from->uc, &to->uc);
#ifdef PVM_ASAN
	__sanitizer_finish_switch_fiber(from->asan_fake, NULL, NULL);
#endif
}
#endif
