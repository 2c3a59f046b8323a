// SPDX-License-Identifier: MIT
/*
 * ops_bind.c - the binder's checks of a scenario's operations (model.h:
 * mdl_op_note, mdl_op_check, mdl_op_effective, mdl_op_fills_pagevec):
 * which addresses some operation may fault in, which operations may meet
 * (fork beside reclaim or migration, vCPU operations of a guest that is
 * disabled), and the arguments each operation's kernel path can take.
 * Moved from ops.c, which keeps the operations and their table.
 */
#include <stdio.h>
#include <string.h>
#include "model/model.h"
#include "model/world.h"
#include "model/ops_int.h"

/* ==== bind-time checks (model.h: mdl_op_note, mdl_op_check) ==== */

/* (mm, address index) pairs some operation of the scenario may fault in. */
static bool may_fault[MDL_MAX_MMS][MDL_MAX_ADDRS];
/* Forks of the scenario (into each mm), and whether it reclaims or migrates. */
static int nr_forks_into[MDL_MAX_MMS];
static bool scenario_forks, scenario_swaps, scenario_anon_faults;
/* Guests some operation disables (pv_disable), and guests a vCPU operation runs. */
static bool guest_disabled[MDL_MAX_GUESTS], guest_has_vcpu_op[MDL_MAX_GUESTS];

/* A vCPU's operation (KVM_RUN and its intercepts), or the one-page unpack without kvm->lock. */
static bool op_is_vcpu(long (*fn)(const long *))
{
	return fn == op_guest_write || fn == op_guest_read || fn == op_guest_unpack ||
	       fn == op_guest_share || fn == op_guest_unshare;
}

void mdl_ops_forget(void)
{
	memset(may_fault, 0, sizeof(may_fault));
	memset(nr_forks_into, 0, sizeof(nr_forks_into));
	scenario_forks = scenario_swaps = scenario_anon_faults = false;
	memset(guest_disabled, 0, sizeof(guest_disabled));
	memset(guest_has_vcpu_op, 0, sizeof(guest_has_vcpu_op));
}

int mdl_nr_forks(void)
{
	int m, n = 0;

	for (m = 0; m < MDL_MAX_MMS; m++)
		n += nr_forks_into[m];
	return n;
}

/* The mm an operation's first argument names (an mm, or a guest's mm). */
static struct mm_struct *op_mm(const struct mdl_op *m, const long *argv)
{
	if (m->nargs >= 1 && m->args[0] == MT_MM)
		return MM(0);
	if (m->nargs >= 1 && m->args[0] == MT_GUEST)
		return G(0)->gmap.mm;
	return NULL;
}

/*
 * The host address operation @m's argument 1 names: a byte address of an
 * mm, or a guest frame of the guest's mm (frame N at N * PAGE_SIZE); false
 * if the operation takes none or the value is not an address of the mm.
 */
static bool op_uaddr(const struct mdl_op *m, const long *argv, unsigned long *uaddr)
{
	struct mm_struct *mm = op_mm(m, argv);
	char err[8];

	if (!mm || m->nargs < 2 || m->args[1] != MT_INT)
		return false;
	if (!strcmp(m->argnames[1], "gfn")) {
		if (argv[1] < 0 || (unsigned long)argv[1] >= mm->size >> PAGE_SHIFT)
			return false;
		*uaddr = (unsigned long)argv[1] << PAGE_SHIFT;
		return true;
	}
	if (strcmp(m->argnames[1], "addr") || mdl_check_addr(mm, "", argv[1], err, sizeof(err)))
		return false;
	*uaddr = (unsigned long)argv[1];
	return true;
}

/*
 * The pages operation @m works on from its address: its "nr_pages"
 * argument (argument 2) for a range operation, else 1; 0 when that
 * argument is out of range (mdl_op_check reports it).
 */
static long op_nr_pages(const struct mdl_op *m, const long *argv)
{
	if (m->nargs < 3 || m->args[2] != MT_INT || strcmp(m->argnames[2], "nr_pages"))
		return 1;
	return argv[2] >= 1 && argv[2] <= MDL_MAX_ADDRS ? argv[2] : 0;
}

void mdl_op_note(int k, const long *argv)
{
	const struct mdl_op *m = mdl_op_at(k);
	struct mm_struct *mm = op_mm(m, argv);
	unsigned long a;
	int i;

	if (m->flags & MDL_OP_USER) {
		/*
		 * What a user path faults in is decided by its code: every
		 * address of each mm it is given may be faulted in, and a
		 * fault may allocate an anonymous page.
		 */
		for (int n = 0; n < m->nargs; n++) {
			struct mm_struct *um = m->args[n] == MT_MM ? MM(n) :
					       m->args[n] == MT_GUEST ? G(n)->gmap.mm : NULL;
			if (um)
				memset(may_fault[um->id], 1, sizeof(may_fault[um->id]));
		}
		scenario_anon_faults = true;
		return;
	}

	/*
	 * name the address in the mm, each address of a range (mdl_op_check
	 * reports an mm that is full and a range that leaves the mm)
	 */
	if (op_uaddr(m, argv, &a)) {
		long n, nr = op_nr_pages(m, argv);

		for (n = 0; n < nr && a + (unsigned long)n * PAGE_SIZE < mm->size; n++) {
			i = mdl_mm_add_addr(mm, a + (unsigned long)n * PAGE_SIZE);
			if (i < 0 || !(m->flags & MDL_OP_FAULTS))
				continue;
			may_fault[mm->id][i] = true;
			/* do_anonymous_page: a fresh page goes through lru_cache_add */
			if (!pte_present(mm->pte[i]) && !mm->vma[i].vm_file)
				scenario_anon_faults = true;
		}
	}
	/* mremap's target: named in the mm (mdl_op_check reports a bad one) */
	if (m->fn == op_mremap && mm && !mdl_check_addr(mm, "", argv[2], (char[8]){ 0 }, 8)) {
		i = mdl_mm_add_addr(mm, (unsigned long)argv[2]);
		if (i >= 0)	/* the moved PTE may be present there */
			may_fault[mm->id][i] = true;
	}
	if (m->fn == op_fork) {
		/* the child maps what the parent maps or may fault in */
		mdl_fork_note(MM(0), MM(1));
		for (i = 0; i < MDL_MAX_ADDRS; i++)
			may_fault[argv[1]][i] = true;
		nr_forks_into[argv[1]]++;
		scenario_forks = true;
	}
	if (m->fn == op_reclaim || m->fn == op_migrate || m->fn == op_move_pages)
		scenario_swaps = true;
	if (m->fn == op_pv_disable)
		guest_disabled[argv[0]] = true;
	if (m->fn && op_is_vcpu(m->fn))
		guest_has_vcpu_op[argv[0]] = true;
	mdl_world_snapshot();
}

static const char *dev_kind(const struct mdl_dev *dev)
{
	return dev->kind == DEV_NIC ? "nic" : "blockdev";
}

/*
 * A special page (special_pages.c) may be named only by the paths that
 * take no reference through it: the imports for a THP's tail, and for the
 * zero page also QEMU's load and store (a store's write fault copies it:
 * wp_page_copy).  fork, KVM_PV_DISABLE and user paths walk every PTE of
 * their mms, so an mm with a special page refuses them.
 * Return: the argument to blame, or -1.
 */
static int special_check(const struct mdl_op *m, const long *argv, char *err, size_t errlen)
{
	static const char *const ok_ops[] = { "guest_write", "guest_read", "guest_unpack",
					       "guest_unpack_range", "host_read", "host_write" };
	struct mm_struct *mm = op_mm(m, argv);
	const struct page *sp = NULL;
	int a, nok;
	unsigned long a0;
	long n;

	for (a = 0; a < m->nargs; a++) {
		struct mm_struct *um = m->args[a] == MT_MM ? MM(a) :
				       m->args[a] == MT_GUEST ? G(a)->gmap.mm : NULL;

		if (um && ((m->flags & MDL_OP_USER) || m->fn == op_fork || m->fn == op_pv_disable) &&
		    mdl_special_any(um)) {
			snprintf(err, errlen, "%s walks every PTE of '%s', which maps a thp=tail or "
				 "zero=1 page: a reference or export through it is not modelled",
				 m->name, um->name);
			return a;
		}
	}
	if (!mm || !op_uaddr(m, argv, &a0))
		return -1;
	for (n = 0; n < op_nr_pages(m, argv) && !sp; n++)
		sp = mdl_special_at(mm, a0 + (unsigned long)n * PAGE_SIZE);
	if (!sp)
		return -1;
	nok = PageTail(sp) ? 4 : 6;
	for (a = 0; a < nok; a++)
		if (!strcmp(m->name, ok_ops[a]))
			return -1;
	snprintf(err, errlen, "%s is %s: only %s are modelled on it, not %s", sp->name,
		 PageTail(sp) ? "thp=tail" : "zero=1",
		 PageTail(sp) ? "the imports (guest_write, guest_read, guest_unpack, "
				"guest_unpack_range)" :
				"the imports (guest_write, guest_read, guest_unpack, "
				"guest_unpack_range) and host_read, host_write", m->name);
	return 1;
}

int mdl_op_check(int k, const long *argv, char *err, size_t errlen)
{
	const struct mdl_op *m = mdl_op_at(k);
	struct mm_struct *mm = op_mm(m, argv);
	int a;

	if (m->flags & MDL_OP_USER)
		return special_check(m, argv, err, errlen);	/* its integers: what its code makes of them */

	for (a = 0; a < m->nargs; a++) {
		const char *an = m->argnames[a];

		if (m->args[a] != MT_INT)
			continue;
		if (!strcmp(an, "gfn")) {
			if ((unsigned long)argv[a] >= mm->size >> PAGE_SHIFT) {
				snprintf(err, errlen, "gfn %ld is out of range: guest '%s' has frames "
					 "0..%lu (its mm '%s' is %#lx bytes)", argv[a], G(0)->name,
					 (mm->size >> PAGE_SHIFT) - 1, mm->name, mm->size);
				return a;
			}
			if (mm_addr_index(mm, (unsigned long)argv[a] << PAGE_SHIFT) < 0) {
				snprintf(err, errlen, "mm '%s' has more than %d addresses (MDL_MAX_ADDRS)",
					 mm->name, MDL_MAX_ADDRS);
				return a;
			}
		} else if (!strcmp(an, "addr")) {
			if (mdl_check_addr(mm, "address", argv[a], err, errlen))
				return a;
			if (mm_addr_index(mm, (unsigned long)argv[a]) < 0) {
				snprintf(err, errlen, "mm '%s' has more than %d addresses (MDL_MAX_ADDRS)",
					 mm->name, MDL_MAX_ADDRS);
				return a;
			}
		} else if (!strcmp(an, "new_addr")) {
			/* mremap's target, after its address (argument 1) */
			if (mdl_check_addr(mm, "new_addr", argv[a], err, errlen))
				return a;
			if (mm_addr_index(mm, (unsigned long)argv[a]) < 0) {
				snprintf(err, errlen, "mm '%s' has more than %d addresses (MDL_MAX_ADDRS) "
					 "with mremap's new_addr", mm->name, MDL_MAX_ADDRS);
				return a;
			}
			/*
			 * v5.7's rmap walk meets the old PTE or the new one
			 * because the copied VMA comes after the old one in
			 * rmap order; the model's walks go by address, which
			 * gives that order only for a target above the source
			 */
			if ((unsigned long)argv[a] <= (unsigned long)argv[1]) {
				snprintf(err, errlen, "new_addr %#lx must be above addr %#lx (the model's "
					 "rmap walks go in address order, v5.7's visit the copied VMA "
					 "after the old one)", (unsigned long)argv[a],
					 (unsigned long)argv[1]);
				return a;
			}
		} else if (!strcmp(an, "nr_pages")) {
			/* the address (argument 1) was checked before; a gfn is a frame */
			unsigned long start = (unsigned long)argv[1], n;

			if (!strcmp(m->argnames[1], "gfn"))
				start <<= PAGE_SHIFT;

			if (argv[a] < 1 || argv[a] > MDL_MAX_ADDRS) {
				snprintf(err, errlen, "nr_pages %ld is out of range: a range has 1..%d "
					 "pages (MDL_MAX_ADDRS)", argv[a], MDL_MAX_ADDRS);
				return a;
			}
			if (start + (unsigned long)argv[a] * PAGE_SIZE > mm->size) {
				snprintf(err, errlen, "the range %#lx + %ld pages ends beyond mm '%s' "
					 "(its range is 0..%#lx)", start, argv[a], mm->name,
					 mm->size - 1);
				return a;
			}
			for (n = 0; n < (unsigned long)argv[a]; n++)
				if (mm_addr_index(mm, start + n * PAGE_SIZE) < 0) {
					snprintf(err, errlen, "mm '%s' has more than %d addresses "
						 "(MDL_MAX_ADDRS) with the range's %ld", mm->name,
						 MDL_MAX_ADDRS, argv[a]);
					return a;
				}
		} else if (!strcmp(an, "index")) {
			if (argv[a] < 0 || argv[a] >= MDL_MAX_FILE_PAGES) {
				snprintf(err, errlen, "index %ld is out of range: a file has indexes 0..%d",
					 argv[a], MDL_MAX_FILE_PAGES - 1);
				return a;
			}
			/*
			 * no operation adds a page to a file's cache: it is empty
			 * forever (the file is the argument before the index)
			 */
			const struct address_space *f = F(a - 1);

			if (!f->pages[argv[a]]) {
				snprintf(err, errlen, "file '%s' has no page at index %ld (declare one: "
					 "page NAME file=%s index=%ld)", f->name, argv[a],
					 f->name, argv[a]);
				return a;
			}
		} else if (!strcmp(an, "slot")) {
			if (argv[a] < 0 || argv[a] >= MDL_DEV_SLOTS) {
				snprintf(err, errlen, "slot %ld is out of range: a block device has slots 0..%d",
					 argv[a], MDL_DEV_SLOTS - 1);
				return a;
			}
		}
	}
	a = special_check(m, argv, err, errlen);
	if (a >= 0)
		return a;
	if ((m->flags & MDL_OP_PRESENT) &&
	    !pte_present(*pte_offset(mm, (unsigned long)argv[1])) &&
	    !may_fault[mm->id][mm_addr_index(mm, (unsigned long)argv[1])]) {
		snprintf(err, errlen, "address %#lx of '%s' is never mapped: no page is declared "
			 "there and no operation of the scenario faults it in",
			 (unsigned long)argv[1], mm->name);
		return 1;
	}
	if (m->fn == op_fork) {
		struct mm_struct *child = MM(1);

		if (child == MM(0)) {
			snprintf(err, errlen, "fork needs two mms: '%s' cannot be its own child",
				 child->name);
			return 1;
		}
		if (mm_is_protected(child)) {
			snprintf(err, errlen, "the child '%s' is a guest's mm; a child of fork is a "
				 "new, unprotected mm", child->name);
			return 1;
		}
		for (a = 0; a < child->nr_addrs; a++)
			if (!pte_none(child->pte[a])) {
				snprintf(err, errlen, "the child '%s' must be empty (a page is declared "
					 "at its address %#lx)", child->name, child->addr[a]);
				return 1;
			}
		if (mdl_fork_note(MM(0), child) < 0) {
			snprintf(err, errlen, "the child '%s' cannot have the addresses of '%s' (more "
				 "than %d, MDL_MAX_ADDRS)", child->name, MM(0)->name, MDL_MAX_ADDRS);
			return 1;
		}
		if (nr_forks_into[child->id] > 1) {
			snprintf(err, errlen, "'%s' is forked into more than once", child->name);
			return 1;
		}
		if (scenario_swaps) {
			snprintf(err, errlen, "fork beside reclaim or migrate is not modelled (fork of "
				 "swap and migration entries)");
			return MDL_MAX_ARGS;
		}
	}
	/*
	 * KVM_PV_DISABLE first takes every vcpu->mutex (kvm_s390_cpus_from_pv),
	 * which KVM_RUN holds, and makes the vCPUs non-protected; the model
	 * has neither the mutexes nor a non-protected vCPU, so it refuses
	 * vCPU operations on a guest it disables.  The unpack over a range
	 * takes kvm->lock as the disable does (guest_unpack does not).
	 */
	if ((m->fn == op_pv_disable || op_is_vcpu(m->fn)) && guest_disabled[argv[0]] &&
	    guest_has_vcpu_op[argv[0]]) {
		snprintf(err, errlen, "guest '%s' is disabled (pv_disable) and runs a vCPU operation: "
			 "kvm_s390_cpus_from_pv's vcpu->mutex exclusion is not modelled (unpack "
			 "with guest_unpack_range)", G(0)->name);
		return 0;
	}
	/*
	 * An mlocked page is unevictable in v5.7: shrink_page_list culls it
	 * and try_to_unmap skips VM_LOCKED VMAs; migration carries PG_mlocked
	 * over to the new page.  The model's reclaim and migration know
	 * neither, so a world with an mlocked page takes neither.
	 */
	if (m->fn == op_reclaim || m->fn == op_migrate || m->fn == op_move_pages) {
		for (a = 0; a < mdl_world.nr_pages; a++)
			if (PageMlocked(&mdl_world.pages[a])) {
				snprintf(err, errlen, "page '%s' is mlocked: reclaim and migration of an "
					 "mlocked page (unevictable, PG_mlocked carried over) are not "
					 "modelled", mdl_world.pages[a].name);
				return MDL_MAX_ARGS;
			}
	}
	if (m->fn == op_writeback && !F(0)->backing) {
		snprintf(err, errlen, "file '%s' has no block device to write back to (give it "
			 "dev=BLOCKDEV, or declare a blockdev)", F(0)->name);
		return 0;
	}
	if (m->fn == op_reclaim) {
		/*
		 * add_to_swap() takes a slot of a swap device (get_swap_page)
		 * and the swap entry names it; the model has one swap device,
		 * which the argument must name.
		 */
		if (!mdl_world.swapdev) {
			snprintf(err, errlen, "reclaim needs a swap device and the world has none "
				 "(declare one: blockdev NAME swap=1)");
			return 2;
		}
		if (DEV(2) != mdl_world.swapdev) {
			snprintf(err, errlen, "'%s' is %s, not the swap device; the world's swap device "
				 "is '%s'", DEV(2)->name, DEV(2)->kind == DEV_NIC ? "a nic" :
				 "another blockdev", mdl_world.swapdev->name);
			return 2;
		}
	}
	if ((m->fn == op_dio_write || m->fn == op_dio_read) && DEV(2)->kind != DEV_BLOCK) {
		snprintf(err, errlen, "O_DIRECT I/O needs a block device, but '%s' is a %s",
			 DEV(2)->name, dev_kind(DEV(2)));
		return 2;
	}
	if (m->fn == op_send_zerocopy && DEV(2)->kind != DEV_NIC) {
		snprintf(err, errlen, "a MSG_ZEROCOPY send needs a nic, but '%s' is a %s",
			 DEV(2)->name, dev_kind(DEV(2)));
		return 2;
	}
	if (m->fn == op_mprotect && argv[2] != PROT_READ && argv[2] != (PROT_READ | PROT_WRITE)) {
		snprintf(err, errlen, "prot %ld is not modelled: 1 (PROT_READ) or 3 "
			 "(PROT_READ|PROT_WRITE)", argv[2]);
		return 2;
	}
	if (m->fn == op_tamper_slot && DEV(0)->kind != DEV_BLOCK) {
		snprintf(err, errlen, "tamper_slot rewrites a block device's slot, but '%s' is a %s",
			 DEV(0)->name, dev_kind(DEV(0)));
		return 0;
	}
	return -1;
}

bool mdl_op_effective(int k, long rc)
{
	if (k >= mdl_nops)
		return rc == 0;
	/* splice and O_DIRECT return bytes moved; 0 is an empty pipe or no page */
	if (mdl_ops[k].fn == op_splice_read || mdl_ops[k].fn == op_splice_write ||
	    mdl_ops[k].fn == op_dio_write || mdl_ops[k].fn == op_dio_read ||
	    mdl_ops[k].fn == op_file_write || mdl_ops[k].fn == op_pin_dma_range ||
	    mdl_ops[k].fn == op_pin_fast_dma_range || mdl_ops[k].fn == op_tee ||
	    mdl_ops[k].fn == op_vmsplice || mdl_ops[k].fn == op_send_zerocopy)
		return rc > 0;
	return rc == 0;
}

/* Does the world hold a page reclaim marked (rotated at end_page_writeback)? */
static bool world_has_reclaim_page(void)
{
	int i;

	for (i = 0; i < mdl_world.nr_pages; i++)
		if (PageReclaim(&mdl_world.pages[i]))
			return true;
	return false;
}

/*
 * Can a FOLL_TOUCH gup's mark_page_accessed() reach activate_page()?  Not
 * if every page a PTE can map stays active: each declared page is
 * active=1, none can lose PG_active (a rotation at the end of writeback,
 * world_has_reclaim_page) and no free page can be allocated in as a new,
 * inactive one.  An mlocked page does not count as safe: munlock makes it
 * evictable and puts it back on the LRU, inactive.  Pages a fault makes
 * are the faulting operations' own case in mdl_op_fills_pagevec.
 */
static bool world_may_activate(void)
{
	int i;

	if (world_has_reclaim_page())
		return true;
	for (i = 0; i < mdl_world.nr_pages; i++) {
		const struct page *page = &mdl_world.pages[i];

		if (!PageActive(page))
			return true;
	}
	return false;
}

bool mdl_op_fills_pagevec(int k)
{
	if (k < 0 || k >= mdl_op_count())
		return false;
	if (k >= mdl_nops)
		return true;	/* a user path may call lru_cache_add and friends */
	/* lru_cache_add; activate_page; rotate_reclaimable_page */
	/*
	 * a fresh anonymous page (do_anonymous_page) and a COW fault's copy
	 * (wp_page_copy) go to lru_cache_add, and so does a page swapped in
	 * (__read_swap_cache_async) after a reclaim; which operation faults
	 * which address in is decided at run time, so every faulting one counts
	 */
	if ((scenario_forks || scenario_anon_faults || scenario_swaps) &&
	    (mdl_ops[k].flags & MDL_OP_FAULTS))
		return true;
	/* follow_page_pte's FOLL_TOUCH: mark_page_accessed -> activate_page */
	if ((mdl_ops[k].flags & MDL_OP_TOUCH) && world_may_activate())
		return true;
	/*
	 * move_pages: putback_lru_page of the new page (or the old one);
	 * munlock: putback_lru_page on its slow path (a page mapped twice)
	 */
	return mdl_ops[k].fn == op_lru_add || mdl_ops[k].fn == op_mark_page_accessed ||
	       mdl_ops[k].fn == op_move_pages || mdl_ops[k].fn == op_munlock ||
	       mdl_ops[k].fn == op_file_read ||
	       (mdl_ops[k].fn == op_writeback && world_has_reclaim_page());
}
