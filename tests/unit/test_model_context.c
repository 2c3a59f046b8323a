// SPDX-License-Identifier: MIT
/*
 * test_model_context.c - the execution context (src/mm/context.c), its
 * might_sleep() check and the lock-dependency graph (src/inv/inv.c), and
 * generic_perform_write's atomic copy (src/mm/filemap.c), run one thread at
 * a time (sequential counters) or two (findings that need another thread)
 * under explore().  Each finding is checked by its id and by what its
 * message must name; each clean variant must stay clean.  TAP output.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "check/explore.h"
#include "model/model.h"
#include "model/world.h"
#include "inv/inv.h"
#include "uv/fw.h"
#include "uv/uv.h"

#include "model_harness.h"

/*
 * guest g on mm qemu with p0 (keys @p0keys) at address 0, a file img whose
 * index 0 is pf, a free page p1, a pipe.  Firmware refusals off: the
 * sequential checks read the last execution's results.
 */
static void world(const char *breakage, const char *p0keys)
{
	mdl_world_begin();
	mutant(breakage);
	knob("uv_refuse", "off");
	decl("mm", "qemu", "");
	decl("guest", "g", "mm=qemu");
	decl("blockdev", "disk", "");
	decl("file", "img", "dev=disk");
	decl("page", "p0", p0keys);
	decl("page", "pf", "file=img index=0 data=3");
	decl("page", "p1", "free=1");
	decl("pipe", "pp", "");
	end_world();
}

#define P0 (&mdl_world.pages[0])
#define PF (&mdl_world.pages[1])
#define KVM (&mdl_world.guests[0])
#define QEMU (&mdl_world.mms[0])
#define IMG (&mdl_world.files[0])
#define PIPE (&mdl_world.pipes[0])

static long rcs[16];
static int bad_runs;	/* executions (over a whole search) that broke a rule */

static void reset_bad_runs(void)
{
	bad_runs = 0;
}

/* ==== the counters, one thread ==== */

static void t_counters(void *a)
{
	struct exec_ctx *c = &mdl_current()->ctx;
	bool f1, f2;

	mdl_thread_begin("t");
	rcs[0] = !in_atomic() && !irqs_disabled() && !faulthandler_disabled();
	preempt_disable();
	preempt_disable();
	rcs[1] = c->preempt_count == 2 && in_atomic() && faulthandler_disabled() &&
		 !strcmp(c->preempt_at, "t_counters");
	preempt_enable();
	rcs[2] = c->preempt_count == 1 && c->preempt_at != NULL;
	preempt_enable();
	rcs[3] = c->preempt_count == 0 && c->preempt_at == NULL && !in_atomic();
	pagefault_disable();
	rcs[4] = pagefault_disabled() && faulthandler_disabled() && !in_atomic();
	pagefault_enable();
	local_irq_save(f1);		/* on -> off */
	local_irq_save(f2);		/* off -> off */
	rcs[5] = !f1 && f2 && irqs_disabled() && !strcmp(c->irqs_at, "t_counters");
	local_irq_restore(f2);
	rcs[6] = irqs_disabled();	/* still off: restored to "off" */
	local_irq_restore(f1);
	rcs[7] = !irqs_disabled();
	spin_lock(pte_lockptr(QEMU, 0));
	rcs[8] = c->preempt_count == 1 && in_atomic() && !strcmp(c->preempt_at, "t_counters") &&
		 mdl_current()->nheld == 1 && mdl_current()->held_cls[0] == LC_PTL;
	spin_unlock(pte_lockptr(QEMU, 0));
	rcs[9] = c->preempt_count == 0 && mdl_current()->nheld == 0;
	kmap_atomic(PF);
	rcs[10] = c->preempt_count == 1 && c->pagefault_disabled == 1;
	kunmap_atomic(PF);
	rcs[11] = c->preempt_count == 0 && c->pagefault_disabled == 0;
	local_irq_disable();
	local_irq_enable();
	rcs[12] = !irqs_disabled() && c->irqs_at == NULL;
}

/* lru_cache_add (get_cpu_var) and gup-fast (interrupts off) leave it as found. */
static void t_balanced(void *a)
{
	struct exec_ctx *c = &mdl_current()->ctx;
	struct page *page = NULL;

	mdl_thread_begin("t");
	rcs[0] = pin_user_pages_fast(QEMU, 0, 1, FOLL_WRITE, &page);
	rcs[1] = c->preempt_count == 0 && !c->irqs_off && c->pagefault_disabled == 0;
	if (page)
		unpin_user_page(page, ref_thread(REF_PIN));
	rcs[2] = generic_perform_write_page(IMG, 0, QEMU, 0);
	rcs[3] = c->preempt_count == 0 && !c->irqs_off && c->pagefault_disabled == 0 &&
		 mdl_current()->nheld == 0;
	rcs[4] = PageDirty(PF) && !PageLocked(PF) && page_ref_count(PF) == 1;
	rcs[5] = page_frame(PF)->data;
}

/* ==== might_sleep ==== */

static void t_lock_under_ptl(void *a)
{
	mdl_thread_begin("t");
	spin_lock(pte_lockptr(QEMU, 0));
	lock_page(P0);
}

static void t_down_read_irqs_off(void *a)
{
	mdl_thread_begin("t");
	local_irq_disable();
	down_read(&QEMU->mmap_sem);
}

static void t_down_read_pagefault_off(void *a)
{
	mdl_thread_begin("t");
	pagefault_disable();
	down_read(&QEMU->mmap_sem);
	up_read(&QEMU->mmap_sem);
	pagefault_enable();
}

static void t_cond_resched_atomic(void *a)
{
	mdl_thread_begin("t");
	preempt_disable();
	cond_resched();
}

static void t_mutex_in_kmap_atomic(void *a)
{
	mdl_thread_begin("t");
	kmap_atomic(PF);
	mutex_lock(&PIPE->lock, LC_PIPE);
}

static void t_alloc_under_ptl(void *a)
{
	struct page *page;

	mdl_thread_begin("t");
	spin_lock(pte_lockptr(QEMU, 0));
	page = alloc_page(ref_thread(REF_ALLOC));
	(void)page;
}

/* ==== lock dependencies ==== */

/* One thread, both orders at different times: the cycle at the instant. */
static void t_abba_one_thread(void *a)
{
	mdl_thread_begin("t");
	down_read(&QEMU->mmap_sem);
	lock_page(P0);
	unlock_page(P0);
	up_read(&QEMU->mmap_sem);
	lock_page(P0);
	down_read(&QEMU->mmap_sem);
	rcs[0] = 1;	/* not reached: the acquisition above is the finding */
	up_read(&QEMU->mmap_sem);
	unlock_page(P0);
}

/* Two threads, one order each, serialised by the pipe mutex: never a deadlock. */
static void t_order_sem_page(void *a)
{
	mdl_thread_begin("a");
	mutex_lock(&PIPE->lock, LC_PIPE);
	down_read(&QEMU->mmap_sem);
	lock_page(P0);
	unlock_page(P0);
	up_read(&QEMU->mmap_sem);
	mutex_unlock(&PIPE->lock);
}

static void t_order_page_sem(void *a)
{
	mdl_thread_begin("b");
	mutex_lock(&PIPE->lock, LC_PIPE);
	lock_page(PF);
	down_read(&QEMU->mmap_sem);
	up_read(&QEMU->mmap_sem);
	unlock_page(PF);
	mutex_unlock(&PIPE->lock);
}

/* A three-class cycle over two threads: pipe -> mmap_sem -> page -> pipe. */
static void t_order_pipe_sem(void *a)
{
	mdl_thread_begin("a");
	mutex_lock(&PIPE->lock, LC_PIPE);
	down_read(&QEMU->mmap_sem);
	lock_page(P0);
	unlock_page(P0);
	up_read(&QEMU->mmap_sem);
	mutex_unlock(&PIPE->lock);
}

static void t_order_page_pipe(void *a)
{
	mdl_thread_begin("b");
	lock_page(PF);
	mutex_lock(&PIPE->lock, LC_PIPE);
	mutex_unlock(&PIPE->lock);
	unlock_page(PF);
}

/* do_wp_page's pattern: a trylock under the PTL, a lock_page without it. */
static void t_trylock_under_ptl(void *a)
{
	mdl_thread_begin("t");
	spin_lock(pte_lockptr(QEMU, 0));
	if (trylock_page(P0))
		unlock_page(P0);
	spin_unlock(pte_lockptr(QEMU, 0));
	lock_page(P0);
	spin_lock(pte_lockptr(QEMU, 0));
	spin_unlock(pte_lockptr(QEMU, 0));
	unlock_page(P0);
	rcs[0] = mdl_current()->ndeps == 1 && mdl_current()->deps[0].from == LC_PAGE &&
		 mdl_current()->deps[0].to == LC_PTL;
}

/* Two page locks nested (one class): no dependency, no finding. */
static void t_same_class(void *a)
{
	mdl_thread_begin("t");
	lock_page(P0);
	lock_page(PF);
	unlock_page(PF);
	unlock_page(P0);
	rcs[0] = mdl_current()->ndeps;
}

/* ==== generic_perform_write ==== */

static void t_write(void *a)
{
	mdl_thread_begin("io");
	rcs[0] = generic_perform_write_page(IMG, 0, QEMU, 0);
	rcs[1] = page_frame(PF)->data;
	rcs[2] = fw_get()->query(0).state;
	if (rcs[0] != MDL_PAGE_BYTES)
		bad_runs++;
}

static void t_guest_write(void *a)
{
	mdl_thread_begin("vcpu");
	guest_access(KVM, 0, true, 42, NULL);
}

static void t_zap(void *a)
{
	mdl_thread_begin("zap");
	zap_page_range(QEMU, 0);
}

int main(void)
{
	struct explore_result r;

	run_reset = reset_bad_runs;

	/* --- the counters --- */
	world(NULL, "mm=qemu addr=0 data=7");
	r = run(1, t_counters);
	ok(safe(&r) && rcs[0] && rcs[1] && rcs[2] && rcs[3],
	   "preempt_disable nests; the outermost caller is kept; in_atomic, faulthandler_disabled");
	ok(rcs[4], "pagefault_disable: faulthandler_disabled() without in_atomic()");
	ok(rcs[5] && rcs[6] && rcs[7] && rcs[12],
	   "local_irq_save/restore nest (restore to 'off' keeps them off); disable/enable");
	ok(rcs[8] && rcs[9], "spin_lock raises the preempt count and holds a PTL; spin_unlock lowers");
	ok(rcs[10] && rcs[11], "kmap_atomic: preemption and page faults off; kunmap_atomic restores");
	world(NULL, "mm=qemu addr=0 data=7");
	r = run(1, t_balanced);
	ok(safe(&r) && rcs[0] == 1 && rcs[1] && rcs[2] == MDL_PAGE_BYTES && rcs[3] && rcs[4] &&
	   rcs[5] == 7,
	   "gup-fast and write(2) leave the context as found; the page written, dirty, unlocked");

	/* --- might_sleep --- */
	world(NULL, "mm=qemu addr=0");
	r = run(1, t_lock_under_ptl);
	ok(found_saying(&r, "INV-10", "sleeping function called from invalid context",
		 "lock_page in t_lock_under_ptl", "in_atomic(): 1", "irqs_disabled(): 0",
		 "preemption disabled at t_lock_under_ptl", "PTE lock of qemu (t_lock_under_ptl)",
		 NULL),
	   "might_sleep: lock_page under the PTE spinlock names the spinlock and its taker");
	world(NULL, "mm=qemu addr=0");
	r = run(1, t_down_read_irqs_off);
	ok(found_saying(&r, "INV-10", "down_read", "in_atomic(): 0", "irqs_disabled(): 1",
		 "irqs disabled at t_down_read_irqs_off", "held: none", NULL),
	   "might_sleep: down_read with interrupts off");
	world(NULL, "mm=qemu addr=0");
	r = run(1, t_down_read_pagefault_off);
	ok(safe(&r), "v5.7's might_sleep says nothing about page faults disabled alone");
	world(NULL, "mm=qemu addr=0");
	r = run(1, t_cond_resched_atomic);
	ok(found_saying(&r, "INV-10", "cond_resched in t_cond_resched_atomic", NULL),
	   "might_sleep: cond_resched with preemption disabled");
	world(NULL, "mm=qemu addr=0");
	r = run(1, t_mutex_in_kmap_atomic);
	ok(found_saying(&r, "INV-10", "mutex_lock", "pagefault_disabled: 1",
		 "preemption disabled at t_mutex_in_kmap_atomic", NULL),
	   "might_sleep: mutex_lock inside kmap_atomic");
	world(NULL, "mm=qemu addr=0");
	r = run(1, t_alloc_under_ptl);
	ok(found_saying(&r, "INV-10", "alloc_page in t_alloc_under_ptl", NULL),
	   "might_sleep: a GFP_KERNEL allocation under the PTE spinlock");

	/* --- lock dependencies --- */
	world(NULL, "mm=qemu addr=0");
	rcs[0] = 0;
	r = run(1, t_abba_one_thread);
	ok(found_saying(&r, "INV-10", "possible circular locking dependency",
		 "t: page lock of p0 (t_abba_one_thread) -> mmap_sem of qemu (t_abba_one_thread)",
		 "t: mmap_sem of qemu (t_abba_one_thread) -> page lock of p0", NULL) && !rcs[0],
	   "lockdep: one thread's two orders, reported at the acquisition that closes the cycle");
	world(NULL, "mm=qemu addr=0");
	r = run(2, t_order_sem_page, t_order_page_sem);
	ok(found_saying(&r, "INV-10", "possible circular locking dependency",
		 "a: mmap_sem of qemu (t_order_sem_page) -> page lock of p0",
		 "b: page lock of pf (t_order_page_sem) -> mmap_sem of qemu", NULL),
	   "lockdep: two threads' orders conflict though a gate lock keeps every run deadlock-free");
	world(NULL, "mm=qemu addr=0");
	r = run(2, t_order_pipe_sem, t_order_page_pipe);
	ok(found_saying(&r, "INV-10", "b: page lock of pf -> pipe->mutex of pp",
		 "a: pipe->mutex of pp -> mmap_sem of qemu", "a: mmap_sem of qemu -> page lock of p0",
		 NULL),
	   "lockdep: a cycle through three classes (pipe -> mmap_sem -> page -> pipe)");
	world(NULL, "mm=qemu addr=0");
	rcs[0] = 0;
	r = run(1, t_trylock_under_ptl);
	ok(safe(&r) && rcs[0], "lockdep: a trylock makes no dependency (do_wp_page's order is fine)");
	world(NULL, "mm=qemu addr=0");
	rcs[0] = -1;
	r = run(1, t_same_class);
	ok(safe(&r) && rcs[0] == 0, "lockdep: a class nested in itself makes no dependency");

	/* --- generic_perform_write --- */
	world(NULL, "mm=qemu addr=0 state=secure data=5");
	r = run(1, t_write);
	ok(safe(&r) && rcs[0] == MDL_PAGE_BYTES && rcs[2] == FW_NORMAL && rcs[1] != 5,
	   "write(2) from a secure buffer: the fault-in exports it (process context), the "
	   "file gets the ciphertext");
	world(NULL, "mm=qemu addr=0 data=7");
	r = run(2, t_write, t_guest_write);
	ok(found_saying(&r, "INV-10", "down_read in do_secure_storage_access", "in_atomic(): 1",
		 "pagefault_disabled: 1", "preemption disabled at iov_iter_copy_from_user_atomic",
		 "held: page lock of pf", NULL),
	   "write(2) vs import: the atomic copy's 0x3D sleeps in atomic context (v5.7)");
	world("copy-not-atomic", "mm=qemu addr=0 data=7");
	r = run(2, t_write, t_guest_write);
	ok(found_saying(&r, "INV-10", "possible circular locking dependency",
		 "io: page lock of pf (grab_cache_page_write_begin) -> mmap_sem of qemu "
		 "(do_secure_storage_access)", NULL),
	   "mutant copy-not-atomic: no atomic context, lockdep's page lock -> mmap_sem instead");
	world(NULL, "mm=qemu addr=0 data=7");
	r = run(2, t_write, t_zap);
	ok(safe(&r) && bad_runs == 0,
	   "write(2) vs zap of the buffer: a short atomic copy is retried after a new fault-in, "
	   "the write completes in every run");

	printf("1..%d\n", test_nr);
	return failures ? 1 : 0;
}
