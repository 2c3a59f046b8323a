// SPDX-License-Identifier: MIT
/*
 * ops.c - the operations a scenario thread may call (mdl_ops[]).
 *
 * Each operation runs one kernel path of the model on the calling thread
 * and returns its kernel return code.  Arguments are world handles (per
 * type, as returned by mdl_declare) or integers.  Operations named after a
 * single kernel function (find_get_page, get_page, put_page,
 * arch_make_page_accessible, pin_user_pages, ...) work on the thread's
 * "current page": the reference the thread took last, so that a scenario
 * can compose a path step by step (Dave Hansen's reader is find_get_page,
 * arch_make_page_accessible, get_page, dma_to_dev, put_page, put_page).
 * An operation that fails to take its reference pushes an empty entry, so
 * that the stack has the same shape in every execution (the binder checks
 * it: enum mdl_cur); the operations on an empty entry return -EINVAL.
 */
#include "lib/mutant.h"
#include "model/model.h"
#include "model/world.h"
#include "inv/inv.h"
#include <stdio.h>
#include <string.h>
#include "uv/uv.h"
#include "net/net.h"

#define G(i) (&mdl_world.guests[argv[i]])
#define MM(i) (&mdl_world.mms[argv[i]])
#define F(i) (&mdl_world.files[argv[i]])
#define PIPE(i) (&mdl_world.pipes[argv[i]])
#define DEV(i) (&mdl_world.devs[argv[i]])

/*
 * Run time: an address the binder did not name (it names every address
 * an operation takes, mdl_op_note) fails as an unmapped one would.
 */
static bool bad_uaddr(const struct mm_struct *mm, long a)
{
	return a < 0 || (unsigned long)a >= mm->size || mm_addr_index(mm, (unsigned long)a) < 0;
}

static bool bad_gfn(const struct kvm *kvm, long gfn)
{
	return gfn < 0 || gmap_frame_index(&kvm->gmap, (unsigned long)gfn) < 0;
}

/* ==== guest ==== */

static long op_guest_write(const long *argv)
{
	if (bad_gfn(G(0), argv[1]))
		return -EFAULT;
	return guest_access(G(0), (unsigned long)argv[1], true, (uint32_t)argv[2], NULL);
}

static long op_guest_read(const long *argv)
{
	uint32_t v = 0;
	int rc;

	if (bad_gfn(G(0), argv[1]))
		return -EFAULT;
	rc = guest_access(G(0), (unsigned long)argv[1], false, 0, &v);
	mdl_current()->last_read = v;
	return rc;
}

static long op_guest_unpack(const long *argv)
{
	if (bad_gfn(G(0), argv[1]))
		return -EFAULT;
	return kvm_s390_pv_unpack_one(G(0), (unsigned long)argv[1]);
}

/* Life-cycle paths (issue 14 item 7): src/guest/pv.c */
static long op_guest_unpack_range(const long *argv)
{
	if (bad_gfn(G(0), argv[1]) || argv[2] < 1 || argv[2] > MDL_MAX_ADDRS ||
	    bad_gfn(G(0), argv[1] + argv[2] - 1))
		return -EFAULT;
	return kvm_s390_pv_unpack(G(0), (unsigned long)argv[1], (unsigned long)argv[2]);
}

static long op_pv_disable(const long *argv)
{
	return kvm_s390_pv_disable(G(0));
}

static long op_guest_share(const long *argv)
{
	if (bad_gfn(G(0), argv[1]))
		return -EFAULT;
	return guest_set_shared(G(0), (unsigned long)argv[1]);
}

/* The shared-page protocol (issue 14 item 6): the guest's unshare. */
static long op_guest_unshare(const long *argv)
{
	if (bad_gfn(G(0), argv[1]))
		return -EFAULT;
	return uv_remove_shared(G(0), (unsigned long)argv[1]);
}

/* ==== host CPU ==== */

static long op_host_read(const long *argv)
{
	uint32_t v = 0;
	int rc;

	if (bad_uaddr(MM(0), argv[1]))
		return -EFAULT;
	rc = host_user_access(MM(0), (unsigned long)argv[1], false, 0, &v, UA_USER);
	mdl_current()->last_read = v;
	return rc;
}

static long op_host_write(const long *argv)
{
	if (bad_uaddr(MM(0), argv[1]))
		return -EFAULT;
	return host_user_access(MM(0), (unsigned long)argv[1], true, (uint32_t)argv[2], NULL,
				UA_USER);
}

static long op_kmap_read(const long *argv)
{
	struct page *page = mdl_cur_top();
	uint32_t v = 0;

	if (!page)
		return -EINVAL;
	return host_kernel_access(page, false, 0, &v);
}

/* ==== composable: the thread's current page ==== */

static long op_find_get_page(const long *argv)
{
	struct page *page;

	if (argv[1] < 0 || argv[1] >= MDL_MAX_FILE_PAGES) {
		mdl_cur_push(NULL, ref_obj(REF_NONE, -1));
		return -EINVAL;
	}
	page = find_get_page(F(0), (unsigned long)argv[1]);
	if (!page) {
		mdl_cur_push(NULL, ref_obj(REF_NONE, -1));
		return -ENOENT;
	}
	mdl_cur_push(page, ref_thread(REF_LOOKUP));
	return 0;
}

static long gup_one(const long *argv, int which)
{
	struct page *page = NULL;
	long rc;

	if (bad_uaddr(MM(0), argv[1])) {
		mdl_cur_push(NULL, ref_obj(REF_NONE, -1));
		return -EFAULT;
	}
	switch (which) {
	case 0: rc = get_user_pages(MM(0), (unsigned long)argv[1], 1, FOLL_WRITE, &page); break;
	case 1: rc = get_user_pages_fast(MM(0), (unsigned long)argv[1], 1, FOLL_WRITE, &page); break;
	case 2: rc = pin_user_pages(MM(0), (unsigned long)argv[1], 1, FOLL_WRITE, &page); break;
	default: rc = pin_user_pages_fast(MM(0), (unsigned long)argv[1], 1, FOLL_WRITE, &page); break;
	}
	gup_log_reset();	/* the current page has no address: no INV-13 here */
	if (rc != 1) {
		mdl_cur_push(NULL, ref_obj(REF_NONE, -1));
		return rc ? rc : -EFAULT;
	}
	/*
	 * gup reported the page: INV-12, it is referenced and (FOLL_PIN)
	 * accessible.  The firmware's state is read in a step on the frame,
	 * which imports write: read in gup's last step (up_read) it was not
	 * ordered against them (make audit, a generated scenario).
	 */
	if (which >= 2)
		VIS_GHOST_READ(page_frame(page), "pin_user_pages: returned page accessible?");
	if (which >= 2 && !fw_get()->host_access_ok(page->pfn))
		inv_fail(VIOL_HONEST_RC, VIS_SITE("pin_user_pages"),
			 "pin_user_pages returned %s, which is still secure", page->name);
	mdl_cur_push(page, ref_thread(which >= 2 ? REF_PIN : REF_GUP));
	return 0;
}

static long op_get_user_pages(const long *argv) { return gup_one(argv, 0); }
static long op_get_user_pages_fast(const long *argv) { return gup_one(argv, 1); }
static long op_pin_user_pages(const long *argv) { return gup_one(argv, 2); }
static long op_pin_user_pages_fast(const long *argv) { return gup_one(argv, 3); }

static long op_get_page(const long *argv)
{
	struct page *page = mdl_cur_top();

	if (!page) {
		mdl_cur_push(NULL, ref_obj(REF_NONE, -1));
		return -EINVAL;
	}
	get_page(page, ref_thread(REF_GET));
	mdl_cur_push(page, ref_thread(REF_GET));
	return 0;
}

static long op_put_page(const long *argv)
{
	struct page *page;
	struct ref_tag tag = mdl_cur_pop(&page);

	if (!page)
		return -EINVAL;
	if (tag.why == REF_PIN)
		unpin_user_page(page, tag);
	else
		put_page(page, tag);
	return 0;
}

static long op_arch_make_page_accessible(const long *argv)
{
	struct page *page = mdl_cur_top();

	if (!page)
		return -EINVAL;
	return arch_make_page_accessible(page);
}

static long op_dma_to_dev(const long *argv)
{
	struct page *page = mdl_cur_top();
	struct mdl_dev *dev = DEV(0);

	if (!page)
		return -EINVAL;
	return dev_dma_to_device(dev, page, dev->kind == DEV_NIC ? 0 : dev_alloc_slot(dev),
				 "dma_to_dev");
}

static long op_dma_from_dev(const long *argv)
{
	struct page *page = mdl_cur_top();

	if (!page)
		return -EINVAL;
	return dev_dma_from_device(DEV(0), page, 0, "dma_from_dev");
}

static long op_lru_add(const long *argv)
{
	struct page *page = mdl_cur_top();

	if (!page)
		return -EINVAL;
	lru_cache_add(page);
	return 0;
}

static long op_mark_page_accessed(const long *argv)
{
	struct page *page = mdl_cur_top();

	if (!page)
		return -EINVAL;
	mark_page_accessed(page);
	return 0;
}

static long op_file_read(const long *argv)
{
	uint32_t v = 0;
	int rc;

	if (argv[1] < 0 || argv[1] >= MDL_MAX_FILE_PAGES)
		return -EINVAL;
	rc = generic_file_buffered_read_page(F(0), (unsigned long)argv[1], &v);
	mdl_current()->last_read = v;
	return rc;
}

static long op_file_write(const long *argv)
{
	if (bad_uaddr(MM(0), argv[1]) || argv[3] < 0 || argv[3] >= MDL_MAX_FILE_PAGES)
		return -EINVAL;
	return generic_perform_write_page(F(2), (unsigned long)argv[3], MM(0),
					  (unsigned long)argv[1]);
}

static long op_lru_add_drain_all(const long *argv)
{
	lru_add_drain_all();
	return 0;
}

/* ==== whole paths ==== */

static long op_splice_read(const long *argv)
{
	return splice_read_page(F(0), (unsigned long)argv[1], PIPE(2));
}

static long op_splice_write(const long *argv)
{
	return splice_from_pipe_to_dev(PIPE(0), DEV(1));
}

static long op_pipe_release(const long *argv)
{
	return pipe_release_bufs(PIPE(0));
}

static long op_dio_write(const long *argv)
{
	if (bad_uaddr(MM(0), argv[1]))
		return -EFAULT;
	return dio_write_page(MM(0), (unsigned long)argv[1], DEV(2));
}

static long op_dio_read(const long *argv)
{
	if (bad_uaddr(MM(0), argv[1]))
		return -EFAULT;
	return dio_read_page(MM(0), (unsigned long)argv[1], DEV(2));
}

/* vmsplice(2) of one user page into a pipe: do_vmsplice with a WRITE iterator. */
static long op_vmsplice(const long *argv)
{
	struct iov_iter iter;

	if (bad_uaddr(MM(0), argv[1]))
		return -EFAULT;
	iov_iter_init_user(&iter, WRITE, MM(0), (unsigned long)argv[1], PAGE_SIZE);
	return vmsplice_to_pipe(&iter, PIPE(2));
}

static long op_send_zerocopy(const long *argv)
{
	if (bad_uaddr(MM(0), argv[1]))
		return -EFAULT;
	return tcp_sendmsg_zerocopy(MM(0), (unsigned long)argv[1], DEV(2));
}

/*
 * pin_dma_pages - a driver's use of a range pin: pin_user_pages(_fast) of
 * @nr pages from @start, then a transfer to @dev of each page it returned,
 * in address order, pages[i] as the page of start + i * PAGE_SIZE (INV-13
 * checks that it is), then unpin_user_pages() of what was pinned.  A
 * partial pin moves the pages it got, as a caller that uses the count does.
 * Return: the number of pages moved, or gup's errno (0 pages: -EFAULT).
 */
static long pin_dma_pages(struct mm_struct *mm, unsigned long start, long nr,
			  struct mdl_dev *dev, bool fast)
{
	struct page *pages[MDL_MAX_ADDRS] = { NULL };
	long rc, i;

	if (nr < 1 || nr > MDL_MAX_ADDRS)
		return -EINVAL;
	rc = fast ? pin_user_pages_fast(mm, start, (int)nr, 0, pages)
		  : pin_user_pages(mm, start, (unsigned long)nr, 0, pages);
	if (rc <= 0) {
		gup_log_reset();
		return rc ? rc : -EFAULT;
	}
	for (i = 0; i < rc; i++) {
		inv_dma_addr(mm, start + (unsigned long)i * PAGE_SIZE, pages[i],
			     VIS_SITE("pin_dma_pages"));
		dev_dma_to_device(dev, pages[i], dev_alloc_slot(dev), fast ? "pin_user_pages_fast + DMA" : "pin_user_pages + DMA");
	}
	unpin_user_pages(pages, (unsigned long)rc);
	gup_log_reset();
	return rc;
}

static long pin_dma(const long *argv, bool fast)
{
	long rc;

	if (bad_uaddr(MM(0), argv[1]))
		return -EFAULT;
	rc = pin_dma_pages(MM(0), (unsigned long)argv[1], 1, DEV(2), fast);
	return rc == 1 ? 0 : rc;
}

static long op_pin_dma(const long *argv) { return pin_dma(argv, false); }
static long op_pin_fast_dma(const long *argv) { return pin_dma(argv, true); }

static long pin_dma_range(const long *argv, bool fast)
{
	if (bad_uaddr(MM(0), argv[1]))
		return -EFAULT;
	return pin_dma_pages(MM(0), (unsigned long)argv[1], argv[2], DEV(3), fast);
}

static long op_pin_dma_range(const long *argv) { return pin_dma_range(argv, false); }
static long op_pin_fast_dma_range(const long *argv) { return pin_dma_range(argv, true); }

static long op_writeback(const long *argv)
{
	kernel_frame("write_cache_pages");
	struct page *page;

	if (argv[1] < 0 || argv[1] >= MDL_MAX_FILE_PAGES)
		return -EINVAL;
	/* write_cache_pages: lookup (tagged), lock, ->writepage, release */
	page = find_get_page(F(0), (unsigned long)argv[1]);
	if (!page)
		return -ENOENT;
	if (MUTANT_KEEP(MUT_WRITEBACK_PAGE_LOCK))
		lock_page(page);
	VIS_READ(page, "write_cache_pages: PageWriteback");
	/* Page truncated or invalidated?  Or under writeback already? */
	if (page->mapping != F(0) ||
	    (PageWriteback(page) && MUTANT_KEEP(MUT_WRITEBACK_PG_CHECK))) {
		if (MUTANT_KEEP(MUT_WRITEBACK_PAGE_LOCK))
			unlock_page(page);
		put_page(page, ref_thread(REF_LOOKUP));
		return -EBUSY;
	}
	write_one_page(page, ref_thread(REF_LOOKUP));
	return 0;
}

static long op_truncate(const long *argv)
{
	kernel_frame("truncate_inode_pages_range");
	struct page *page;

	if (argv[1] < 0 || argv[1] >= MDL_MAX_FILE_PAGES)
		return -EINVAL;
	/* truncate_inode_pages_range: lookup, lock, wait for writeback, remove */
	page = find_get_page(F(0), (unsigned long)argv[1]);
	if (!page)
		return -ENOENT;
	if (MUTANT_KEEP(MUT_TRUNCATE_PAGE_LOCK))
		lock_page(page);
	if (MUTANT_KEEP(MUT_TRUNCATE_WB_WAIT))
		wait_on_page_writeback(page);
	if (page->mapping == F(0))
		truncate_inode_page(F(0), page);
	if (MUTANT_KEEP(MUT_TRUNCATE_PAGE_LOCK))
		unlock_page(page);
	put_page(page, ref_thread(REF_LOOKUP));
	return 0;
}

static long op_reclaim(const long *argv)
{
	if (bad_uaddr(MM(0), argv[1]))
		return -EFAULT;
	return reclaim_page_at(MM(0), (unsigned long)argv[1], DEV(2));
}

static long op_migrate(const long *argv)
{
	if (bad_uaddr(MM(0), argv[1]))
		return -EFAULT;
	return migrate_page_at(MM(0), (unsigned long)argv[1]);
}

/* move_pages(2) of one page to node 1: returns the syscall's value (status[0] is dropped). */
static long op_move_pages(const long *argv)
{
	int status = 0;

	if (bad_uaddr(MM(0), argv[1]))
		return -EFAULT;
	return do_pages_move(MM(0), (unsigned long)argv[1], &status);
}

static long op_tee(const long *argv)
{
	return do_tee(PIPE(0), PIPE(1));
}

static long op_zap(const long *argv)
{
	if (bad_uaddr(MM(0), argv[1]))
		return -EFAULT;
	zap_page_range(MM(0), (unsigned long)argv[1]);
	return 0;
}

static long op_fork(const long *argv)
{
	return dup_mmap_pages(MM(1), MM(0));
}

static long op_tamper_slot(const long *argv)
{
	struct mdl_dev *dev = DEV(0);

	if (argv[1] < 0 || argv[1] >= MDL_DEV_SLOTS)
		return -EINVAL;
	/* A malicious host rewrites the swap image on disk. */
	VIS_RMW(&dev->queue, "host: rewrite device block");
	dev->slot[argv[1]].data ^= (uint32_t)argv[2];
	return 0;
}

static long op_alloc_dma(const long *argv)
{
	struct ref_tag tag = ref_thread(REF_ALLOC);
	struct page *page = alloc_page(tag);
	uint32_t v = 0;

	if (!page)
		return -ENOMEM;
	/* A new user of the frame: the kernel fills it, then a device reads it. */
	host_kernel_access(page, true, (uint32_t)argv[1], &v);
	get_page(page, ref_thread(REF_GET));	/* the I/O marker */
	dev_dma_to_device(DEV(0), page, dev_alloc_slot(DEV(0)), "alloc_dma");
	put_page(page, ref_thread(REF_GET));
	put_page(page, tag);
	return 0;
}

/* ==== write-protect and clean (issue 14 item 5): mm/mprotect.c ==== */

static long op_mprotect(const long *argv)
{
	if (bad_uaddr(MM(0), argv[1]))
		return -EFAULT;
	return do_mprotect_pkey(MM(0), (unsigned long)argv[1], PAGE_SIZE, (unsigned long)argv[2]);
}

#define A1(t, n) 1, { t }, { n }
#define A2(t1, n1, t2, n2) 2, { t1, t2 }, { n1, n2 }
#define A3(t1, n1, t2, n2, t3, n3) 3, { t1, t2, t3 }, { n1, n2, n3 }
#define A4(t1, n1, t2, n2, t3, n3, t4, n4) 4, { t1, t2, t3, t4 }, { n1, n2, n3, n4 }

const struct mdl_op mdl_ops[] = {
	/* guest (vCPU, KVM) */
	{ "guest_write", A3(MT_GUEST, "guest", MT_INT, "gfn", MT_INT, "value"),
	  "vCPU store; 0x3E -> do_non_secure_storage_access -> gmap_convert_to_secure", op_guest_write,
	  .flags = MDL_OP_FAULTS },
	{ "guest_read", A2(MT_GUEST, "guest", MT_INT, "gfn"),
	  "vCPU fetch (checks INV-09); 0x3E -> import", op_guest_read,
	  .flags = MDL_OP_FAULTS },
	{ "guest_unpack", A2(MT_GUEST, "guest", MT_INT, "gfn"),
	  "KVM_PV_UNPACK of one page: unpack_one -> gmap_make_secure, retry on -EAGAIN", op_guest_unpack,
	  .flags = MDL_OP_FAULTS },
	{ "guest_unpack_range", A3(MT_GUEST, "guest", MT_INT, "gfn", MT_INT, "nr_pages"),
	  "KVM_PV_UNPACK of nr_pages frames (pv.c kvm_s390_pv_unpack under kvm->lock): per page "
	  "unpack_one -> gmap_make_secure (UNPACK_IMG), -EAGAIN -> cond_resched, the same page "
	  "again (no bound); another error stops the loop", op_guest_unpack_range,
	  .flags = MDL_OP_FAULTS },
	{ "pv_disable", A1(MT_GUEST, "guest"),
	  "KVM_PV_DISABLE under kvm->lock: kvm_s390_pv_deinit_vm -> s390_reset_acc (gmap.c: "
	  "walk_page_range under mmap_sem, each table's PTE lock, uv_convert_from_secure of each "
	  "present PTE, WARN_ON_ONCE on failure), UVC destroy-secure-configuration, "
	  "is_protected = 0", op_pv_disable, .cur = MDL_CUR_NONE },
	{ "guest_share", A2(MT_GUEST, "guest", MT_INT, "gfn"),
	  "guest fetch (0x3E -> import), then uv_set_shared -> share(): UVC set-shared-access",
	  op_guest_share,
	  .flags = MDL_OP_FAULTS },
	/* host CPU */
	{ "host_read", A2(MT_MM, "mm", MT_INT, "addr"),
	  "user-space load (QEMU); 0x3D -> do_secure_storage_access USER -> export", op_host_read,
	  .flags = MDL_OP_FAULTS },
	{ "host_write", A3(MT_MM, "mm", MT_INT, "addr", MT_INT, "value"),
	  "user-space store (QEMU); 0x3D -> export", op_host_write,
	  .flags = MDL_OP_FAULTS },
	{ "kmap_read", 0, { MT_INT }, { "" },
	  "kernel load of the current page through the 1:1 map; 0x3D KERNEL_FAULT (try_get_page)", op_kmap_read,
	  .cur = MDL_CUR_USE },
	/* composable on the current page */
	{ "find_get_page", A2(MT_FILE, "file", MT_INT, "index"),
	  "find_get_page: speculative reference, waits out a frozen count", op_find_get_page,
	  .cur = MDL_CUR_PUSH },
	{ "get_user_pages", A2(MT_MM, "mm", MT_INT, "addr"),
	  "get_user_pages FOLL_GET (slow, no hook in v5.7)", op_get_user_pages,
	  .cur = MDL_CUR_PUSH, .flags = MDL_OP_FAULTS },
	{ "get_user_pages_fast", A2(MT_MM, "mm", MT_INT, "addr"),
	  "get_user_pages_fast FOLL_GET (no hook in v5.7)", op_get_user_pages_fast,
	  .cur = MDL_CUR_PUSH, .flags = MDL_OP_FAULTS },
	{ "pin_user_pages", A2(MT_MM, "mm", MT_INT, "addr"),
	  "pin_user_pages FOLL_PIN (slow; hook under the PTL)", op_pin_user_pages,
	  .cur = MDL_CUR_PUSH, .flags = MDL_OP_FAULTS },
	{ "pin_user_pages_fast", A2(MT_MM, "mm", MT_INT, "addr"),
	  "pin_user_pages_fast FOLL_PIN (gup_pte_range; hook after the grab)", op_pin_user_pages_fast,
	  .cur = MDL_CUR_PUSH, .flags = MDL_OP_FAULTS },
	{ "get_page", 0, { MT_INT }, { "" }, "get_page on the current page", op_get_page,
	  .cur = MDL_CUR_DUP },
	{ "put_page", 0, { MT_INT }, { "" },
	  "drop the last reference taken (put_page, or unpin_user_page for a pin)", op_put_page,
	  .cur = MDL_CUR_POP },
	{ "unpin_user_page", 0, { MT_INT }, { "" }, "same as put_page for a pin", op_put_page,
	  .cur = MDL_CUR_POP },
	{ "arch_make_page_accessible", 0, { MT_INT }, { "" },
	  "arch_make_page_accessible on the current page", op_arch_make_page_accessible,
	  .cur = MDL_CUR_USE },
	{ "dma_to_dev", A1(MT_DEV, "dev"), "device reads the current page (transmit / block write)", op_dma_to_dev,
	  .cur = MDL_CUR_USE },
	{ "dma_from_dev", A1(MT_DEV, "dev"), "device writes the current page (block read)", op_dma_from_dev,
	  .cur = MDL_CUR_USE },
	{ "lru_add", 0, { MT_INT }, { "" }, "lru_cache_add of the current page (pagevec reference)", op_lru_add,
	  .cur = MDL_CUR_USE },
	{ "mark_page_accessed", 0, { MT_INT }, { "" },
	  "mark_page_accessed on the current page: PG_referenced, then activate_page (plain get_page "
	  "into a per-CPU pagevec)", op_mark_page_accessed, .cur = MDL_CUR_USE },
	{ "lru_add_drain_all", 0, { MT_INT }, { "" }, "lru_add_drain_all", op_lru_add_drain_all, .cur = MDL_CUR_NONE },
	/* whole paths */
	{ "splice_read", A3(MT_FILE, "file", MT_INT, "index", MT_PIPE, "pipe"),
	  "generic_file_splice_read of one page into a pipe", op_splice_read, .cur = MDL_CUR_NONE },
	{ "splice_write", A2(MT_PIPE, "pipe", MT_DEV, "dev"),
	  "splice_from_pipe_feed: confirm (hook if splice_hook=on), sendpage/bio, release", op_splice_write, .cur = MDL_CUR_NONE },
	{ "file_read", A2(MT_FILE, "file", MT_INT, "index"),
	  "read(2) of one page: generic_file_buffered_read: find_get_page, mark_page_accessed "
	  "(activate_page), copy_page_to_iter (0x3D KERNEL_FAULT on a secure page), put_page",
	  op_file_read, .cur = MDL_CUR_NONE },
	{ "file_write", A4(MT_MM, "mm", MT_INT, "addr", MT_FILE, "file", MT_INT, "index"),
	  "write(2) of one page from user memory: generic_perform_write: fault in the user page, "
	  "write_begin (lock the page), iov_iter_copy_from_user_atomic (kmap_atomic: preemption "
	  "and page faults off; 0x3D on a secure user page), write_end, retry a short copy",
	  op_file_write, .flags = MDL_OP_FAULTS },
	{ "pipe_release", A1(MT_PIPE, "pipe"), "free_pipe_info: release buffers left", op_pipe_release, .cur = MDL_CUR_NONE },
	{ "dio_write", A3(MT_MM, "mm", MT_INT, "addr", MT_DEV, "dev"),
	  "O_DIRECT write from user memory: bio_iov_iter_get_pages -> iov_iter_get_pages -> "
	  "get_user_pages_fast (FOLL_GET, no hook), DMA, put_page", op_dio_write,
	  .flags = MDL_OP_FAULTS },
	{ "dio_read", A3(MT_MM, "mm", MT_INT, "addr", MT_DEV, "dev"),
	  "O_DIRECT read into user memory: bio_iov_iter_get_pages -> iov_iter_get_pages -> "
	  "get_user_pages_fast (FOLL_GET|FOLL_WRITE, no hook), DMA, put_page", op_dio_read,
	  .flags = MDL_OP_FAULTS },
	/* other FOLL_GET routes to a device through iov_iter_get_pages (issue 14 item 10) */
	{ "vmsplice", A3(MT_MM, "mm", MT_INT, "addr", MT_PIPE, "pipe"),
	  "vmsplice(2) of one user page into a pipe: vmsplice_to_pipe (pipe_lock, wait_for_space) "
	  "-> iter_to_pipe -> iov_iter_get_pages -> get_user_pages_fast (FOLL_GET, no hook), "
	  "add_to_pipe (user_page_pipe_buf_ops: generic_pipe_buf_confirm, no hook even with "
	  "splice_hook=on); splice_write sends it", op_vmsplice, .flags = MDL_OP_FAULTS },
	{ "send_zerocopy", A3(MT_MM, "mm", MT_INT, "addr", MT_DEV, "nic"),
	  "send(2) MSG_ZEROCOPY of one user page on TCP: tcp_sendmsg_locked -> "
	  "skb_zerocopy_iter_stream -> __zerocopy_sg_from_iter -> iov_iter_get_pages -> "
	  "get_user_pages_fast (FOLL_GET, no hook), tcp_push -> NIC DMA, skb_release_data: put_page",
	  op_send_zerocopy, .flags = MDL_OP_FAULTS },
	{ "pin_dma", A3(MT_MM, "mm", MT_INT, "addr", MT_DEV, "dev"),
	  "pin_user_pages, DMA to the device, unpin_user_page", op_pin_dma,
	  .flags = MDL_OP_FAULTS },
	{ "pin_fast_dma", A3(MT_MM, "mm", MT_INT, "addr", MT_DEV, "dev"),
	  "pin_user_pages_fast, DMA to the device, unpin_user_page", op_pin_fast_dma,
	  .flags = MDL_OP_FAULTS },
	{ "pin_dma_range", A4(MT_MM, "mm", MT_INT, "addr", MT_INT, "nr_pages", MT_DEV, "dev"),
	  "pin_user_pages of nr_pages pages from addr, DMA of each page returned in address "
	  "order (INV-13: pages[i] is addr + i pages), unpin_user_pages; returns the pages moved",
	  op_pin_dma_range, .flags = MDL_OP_FAULTS },
	{ "pin_fast_dma_range", A4(MT_MM, "mm", MT_INT, "addr", MT_INT, "nr_pages", MT_DEV, "dev"),
	  "pin_user_pages_fast of nr_pages pages from addr (the fast walk per 1 MB page table, "
	  "the slow walk for the rest), DMA of each page returned in address order, "
	  "unpin_user_pages; returns the pages moved", op_pin_fast_dma_range,
	  .flags = MDL_OP_FAULTS },
	{ "writeback", A2(MT_FILE, "file", MT_INT, "index"),
	  "write_cache_pages of one page: lock, clear_page_dirty_for_io (page_mkclean: each PTE "
	  "cleared with ptep_clear_flush, which exports in a protected mm, and re-set "
	  "write-protected), set_page_writeback (hook), unlock, DMA, end_page_writeback "
	  "(rotate_reclaimable_page if PG_reclaim)", op_writeback, .cur = MDL_CUR_NONE },
	{ "truncate", A2(MT_FILE, "file", MT_INT, "index"),
	  "truncate_inode_pages of one page: lock, wait writeback, unmap (export), delete", op_truncate, .cur = MDL_CUR_NONE },
	{ "reclaim", A3(MT_MM, "mm", MT_INT, "addr", MT_DEV, "swapdev"),
	  "shrink_page_list of one anon page: add_to_swap, try_to_unmap (export), pageout, free", op_reclaim,
	  .flags = MDL_OP_PRESENT },
	{ "migrate", A2(MT_MM, "mm", MT_INT, "addr"),
	  "migrate_pages of one page (anon, swap cache, or a file's page cache via buffer_migrate_page): "
	  "lock, writeback check, unmap (export), move_mapping (exact count, xarray slot), copy, remap",
	  op_migrate,
	  .flags = MDL_OP_PRESENT },
	/* follow_page(FOLL_GET) users besides gup (issue 14 item 4) */
	{ "move_pages", A2(MT_MM, "mm", MT_INT, "addr"),
	  "move_pages(2) of one page to another node: migrate_prep (lru_add_drain_all), "
	  "add_page_for_migration under mmap_sem (follow_page FOLL_GET|FOLL_DUMP: try_get_page "
	  "under the PTE lock, no hook; isolate_lru_page; put_page), migrate_pages MIGRATE_SYNC "
	  "(wait for writeback, unmap: export, move, copy, remap, putback_lru_page)",
	  op_move_pages, .flags = 0 },
	{ "tee", A2(MT_PIPE, "in", MT_PIPE, "out"),
	  "tee(2) of one buffer: do_tee -> link_pipe under both pipe mutexes (address order): "
	  "pipe_buf_get -> generic_pipe_buf_get -> try_get_page, *obuf = *ibuf (page-cache ops)",
	  op_tee, .cur = MDL_CUR_NONE },
	{ "zap", A2(MT_MM, "mm", MT_INT, "addr"),
	  "MADV_DONTNEED/munmap of one page: ptep_get_and_clear (export), put_page", op_zap,
	  .flags = MDL_OP_PRESENT },
	{ "fork", A2(MT_MM, "parent", MT_MM, "child"),
	  "fork: dup_mmap -> copy_page_range -> copy_one_pte (parent's PTE write-protected, no "
	  "export; plain get_page + page_dup_rmap under both PTE locks; shared file VMAs not copied)",
	  op_fork, .cur = MDL_CUR_NONE },
	{ "tamper_slot", A3(MT_DEV, "dev", MT_INT, "slot", MT_INT, "xor"),
	  "host rewrites a device block (a tampered swap image)", op_tamper_slot, .cur = MDL_CUR_NONE },
	{ "alloc_dma", A2(MT_DEV, "dev", MT_INT, "value"),
	  "alloc_page, kernel store, DMA to the device, free: reuse of a freed frame", op_alloc_dma, .cur = MDL_CUR_NONE },
	/* write-protect and clean (issue 14 item 5) */
	{ "mprotect", A3(MT_MM, "mm", MT_INT, "addr", MT_INT, "prot"),
	  "mprotect(addr, PAGE_SIZE, prot), prot 1 (PROT_READ) or 3 (PROT_READ|PROT_WRITE): "
	  "mmap_sem for writing, VM_WRITE, change_pte_range under the PTE lock with s390 "
	  "ptep_modify_prot_start/commit (no export: a secure page stays mapped, read-only)",
	  op_mprotect, .cur = MDL_CUR_NONE },
	/* the shared-page protocol (issue 14 item 6) */
	{ "guest_unshare", A2(MT_GUEST, "guest", MT_INT, "gfn"),
	  "guest set_memory_encrypted of one frame: uv_remove_shared -> share() (uv_call loop); a "
	  "frame pinned shared intercepts (ICPT_PV_NOTIFY) -> handle_pv_uvc -> gmap_make_secure "
	  "(UNPIN_PAGE_SHARED under make_secure_pte's freeze), -EAGAIN: KVM_RUN again",
	  op_guest_unshare, .flags = MDL_OP_FAULTS },
};
const int mdl_nops = (int)(sizeof(mdl_ops) / sizeof(mdl_ops[0]));

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

int mdl_op_check(int k, const long *argv, char *err, size_t errlen)
{
	const struct mdl_op *m = mdl_op_at(k);
	struct mm_struct *mm = op_mm(m, argv);
	int a;

	if (m->flags & MDL_OP_USER)
		return -1;	/* its integers mean what its code makes of them */

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

bool mdl_op_fills_pagevec(int k)
{
	if (k < 0 || k >= mdl_op_count())
		return false;
	if (k >= mdl_nops)
		return true;	/* a user path may call lru_cache_add and friends */
	/* lru_cache_add; activate_page; rotate_reclaimable_page */
	/*
	 * a fresh anonymous page (do_anonymous_page) and a COW fault's copy
	 * (wp_page_copy) go to lru_cache_add; which operation faults which
	 * address in is decided at run time, so every faulting one counts
	 */
	if ((scenario_forks || scenario_anon_faults) && (mdl_ops[k].flags & MDL_OP_FAULTS))
		return true;
	/* move_pages: putback_lru_page of the new page (or the old one) */
	return mdl_ops[k].fn == op_lru_add || mdl_ops[k].fn == op_mark_page_accessed ||
	       mdl_ops[k].fn == op_move_pages ||
	       mdl_ops[k].fn == op_file_read ||
	       (mdl_ops[k].fn == op_writeback && world_has_reclaim_page());
}
