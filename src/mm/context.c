// SPDX-License-Identifier: MIT
/*
 * context.c - the execution context of a task: preemption, page faults,
 * interrupts, and the might_sleep() check on it.
 *
 * Follows include/linux/preempt.h (preempt_disable, in_atomic),
 * include/linux/uaccess.h (pagefault_disable, faulthandler_disabled),
 * include/linux/irqflags.h (local_irq_disable/save/restore),
 * include/linux/highmem.h (kmap_atomic of a !CONFIG_HIGHMEM kernel, as s390
 * is: preempt_disable() then pagefault_disable()) and kernel/sched/core.c
 * (___might_sleep, cond_resched) as of v5.7, for a kernel built with
 * CONFIG_DEBUG_ATOMIC_SLEEP (which selects CONFIG_PREEMPT_COUNT: without
 * it preempt_disable() is a compiler barrier and might_sleep() says
 * nothing, but the context is just as invalid) and CONFIG_DEBUG_PREEMPT
 * (which records where preemption was disabled).
 *
 * Each model thread is a task running on a CPU of its own, so the context
 * is per thread (struct exec_ctx in its mdl_world.threads[] record) and no
 * step of another thread reads or writes it: none of these functions is a
 * visible step.  The spinlocks a task holds are its held-lock list (the PTE
 * lock is the model's only spinlock); spin_lock() raises the preempt count
 * as v5.7's __raw_spin_lock() does.
 *
 * The task's kernel call chain (kernel_frame(), mm.h) is kept here too:
 * per thread, report-only, the functions a finding's report names for each
 * thread ("make_secure_pte <- gmap_make_secure <- ...").
 *
 * Abstracted away: softirq and hardirq counts (the model has no interrupt
 * handlers), the preempt_offset of might_sleep callers that are allowed one
 * level (cond_resched_lock: not modelled), rcu_read_lock.
 */
#include <string.h>
#include "lib/bug.h"
#include "model/world.h"
#include "inv/inv.h"

/**
 * preempt_disable - raise the task's preempt count.
 * preempt_enable - lower it (a reschedule point when it reaches 0: the
 * model's threads are preempted at every visible step anyway).
 * @caller: the model function that disabled preemption (the macro in mm.h
 * passes __func__): kept for might_sleep()'s "Preemption disabled at".
 * Context: any.
 */
void (preempt_disable)(const char *caller)
{
	struct exec_ctx *c = &mdl_current()->ctx;

	if (c->preempt_count++ == 0)
		c->preempt_at = caller;
}

void preempt_enable(void)
{
	struct exec_ctx *c = &mdl_current()->ctx;

	PVM_BUG_ON(c->preempt_count <= 0);	/* unbalanced in the model */
	if (--c->preempt_count == 0)
		c->preempt_at = NULL;
}

/**
 * pagefault_disable - current->pagefault_disabled++: a fault taken now is
 * not handled (faulthandler_disabled()), the access's exception-table fixup
 * runs instead and a user copy comes back short.
 * pagefault_enable - the reverse.
 * Context: any.
 */
void (pagefault_disable)(const char *caller)
{
	struct exec_ctx *c = &mdl_current()->ctx;

	if (c->pagefault_disabled++ == 0)
		c->pagefault_at = caller;
}

void pagefault_enable(void)
{
	struct exec_ctx *c = &mdl_current()->ctx;

	PVM_BUG_ON(c->pagefault_disabled <= 0);
	if (--c->pagefault_disabled == 0)
		c->pagefault_at = NULL;
}

/**
 * local_irq_disable - interrupts off on this CPU; local_irq_enable - on.
 * local_irq_save - interrupts off; Return: whether they were off before.
 * local_irq_restore - put back what local_irq_save() returned.
 * Context: any.
 */
void (local_irq_disable)(const char *caller)
{
	struct exec_ctx *c = &mdl_current()->ctx;

	if (!c->irqs_off)
		c->irqs_at = caller;
	c->irqs_off = true;
}

void local_irq_enable(void)
{
	struct exec_ctx *c = &mdl_current()->ctx;

	c->irqs_off = false;
	c->irqs_at = NULL;
}

bool (local_irq_save)(const char *caller)
{
	bool was = mdl_current()->ctx.irqs_off;

	(local_irq_disable)(caller);
	return was;
}

void local_irq_restore(bool flags)
{
	if (!flags)
		local_irq_enable();
}

/** in_atomic - Return: preempt count non-zero (no hardirq/softirq here). */
bool in_atomic(void)
{
	return mdl_current()->ctx.preempt_count != 0;
}

/** irqs_disabled - Return: interrupts are off on this CPU. */
bool irqs_disabled(void)
{
	return mdl_current()->ctx.irqs_off;
}

/** pagefault_disabled - Return: current->pagefault_disabled != 0. */
bool pagefault_disabled(void)
{
	return mdl_current()->ctx.pagefault_disabled != 0;
}

/**
 * faulthandler_disabled - do_exception() must not handle a fault now:
 * page faults disabled or atomic context (include/linux/uaccess.h).
 */
bool faulthandler_disabled(void)
{
	return pagefault_disabled() || in_atomic();
}

/**
 * kmap_atomic - map @page for an atomic access: on s390 (no highmem) the
 * page is in the 1:1 map already; what remains is the context, preemption
 * and page faults disabled (include/linux/highmem.h, v5.7).
 * kunmap_atomic - the reverse, in reverse order.
 * Context: any.
 */
void (kmap_atomic)(struct page *page, const char *caller)
{
	(void)page;
	(preempt_disable)(caller);
	(pagefault_disable)(caller);
}

void kunmap_atomic(struct page *page)
{
	(void)page;
	pagefault_enable();
	preempt_enable();
}

/**
 * ___might_sleep - the check of might_sleep(): a function that may sleep
 * was called from a context that must not.
 * @file: the v5.7 file of the might_sleep() call that would print.
 * @caller: the model function that called the sleeping primitive.
 * @site: the primitive (its name is site.what).
 *
 * As kernel/sched/core.c (v5.7): silent when the preempt count is 0 and
 * interrupts are on; otherwise "BUG: sleeping function called from invalid
 * context", a finding (INV-10) that names the context (in_atomic(),
 * irqs_disabled(), page faults disabled), the locks held and where
 * preemption or interrupts were disabled.  Page faults disabled alone is
 * not an invalid context for v5.7's check (pagefault_disable() no longer
 * touches the preempt count since v4.2), but it is named.
 * Context: any.  Not a visible step: it reads the thread's own context.
 */
void ___might_sleep(const char *file, const char *caller, struct vis_site site)
{
	inv_might_sleep(file, caller, site);
}

/**
 * cond_resched - a voluntary reschedule point; its might_sleep check is
 * the caller's (the macro in include/linux/sched.h passes the caller's
 * file).  The reschedule itself is no visible step: the model's threads are
 * preempted at every visible step.
 */
void (cond_resched)(const char *file, const char *caller)
{
	/* the model's files are named after the kernel's: src/mm/x.c is mm/x.c */
	if (!strncmp(file, "src/", 4))
		file += 4;
	___might_sleep(file, caller, VIS_SITE("cond_resched"));
}

/**
 * kernel_frame_push - the task enters kernel function @name (a string that
 * lives as long as the program: a literal or __func__).
 * Context: model thread, not a visible step (the chain is the thread's own).
 * Return: the depth before, for kernel_frame_pop().
 */
int kernel_frame_push(const char *name)
{
	int tid = vis_self();
	struct exec_ctx *c;

	if (tid < 0 || tid >= MDL_MAX_THREADS)
		return 0;
	c = &mdl_world.threads[tid].ctx;
	if (c->nframes < MDL_MAX_FRAMES)
		c->frame[c->nframes] = name;
	return c->nframes++;
}

/**
 * kernel_frame_pop - the function that pushed at @depth returns: the chain
 * goes back to that depth (the cleanup of kernel_frame()'s variable).
 * Context: model thread.
 */
void kernel_frame_pop(int *depth)
{
	int tid = vis_self();

	if (tid >= 0 && tid < MDL_MAX_THREADS)
		mdl_world.threads[tid].ctx.nframes = *depth;
}
