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
#include "model/mutant.h"
#include "model/model.h"
#include "model/world.h"
#include "inv/inv.h"
#include <stdio.h>
#include <string.h>
#include "uv/uv.h"
#include "net/net.h"
#include "model/ops_int.h"


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

long op_guest_write(const long *argv)
{
	if (bad_gfn(G(0), argv[1]))
		return -EFAULT;
	return guest_access(G(0), (unsigned long)argv[1], true, (uint32_t)argv[2], NULL);
}

long op_guest_read(const long *argv)
{
	uint32_t v = 0;
	int rc;

	if (bad_gfn(G(0), argv[1]))
		return -EFAULT;
	rc = guest_access(G(0), (unsigned long)argv[1], false, 0, &v);
	mdl_current()->last_read = v;
	return rc;
}

long op_guest_unpack(const long *argv)
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

long op_pv_disable(const long *argv)
{
	return kvm_s390_pv_disable(G(0));
}

long op_guest_share(const long *argv)
{
	if (bad_gfn(G(0), argv[1]))
		return -EFAULT;
	return guest_set_shared(G(0), (unsigned long)argv[1]);
}

/* The shared-page protocol (issue 14 item 6): the guest's unshare. */
long op_guest_unshare(const long *argv)
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

long op_lru_add(const long *argv)
{
	struct page *page = mdl_cur_top();

	if (!page)
		return -EINVAL;
	lru_cache_add(page);
	return 0;
}

long op_mark_page_accessed(const long *argv)
{
	struct page *page = mdl_cur_top();

	if (!page)
		return -EINVAL;
	mark_page_accessed(page);
	return 0;
}

long op_file_read(const long *argv)
{
	uint32_t v = 0;
	int rc;

	if (argv[1] < 0 || argv[1] >= MDL_MAX_FILE_PAGES)
		return -EINVAL;
	rc = generic_file_buffered_read_page(F(0), (unsigned long)argv[1], &v);
	mdl_current()->last_read = v;
	return rc;
}

long op_file_write(const long *argv)
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

long op_splice_read(const long *argv)
{
	return splice_read_page(F(0), (unsigned long)argv[1], PIPE(2));
}

long op_splice_write(const long *argv)
{
	return splice_from_pipe_to_dev(PIPE(0), DEV(1));
}

static long op_pipe_release(const long *argv)
{
	return pipe_release_bufs(PIPE(0));
}

long op_dio_write(const long *argv)
{
	if (bad_uaddr(MM(0), argv[1]))
		return -EFAULT;
	return dio_write_page(MM(0), (unsigned long)argv[1], DEV(2));
}

long op_dio_read(const long *argv)
{
	if (bad_uaddr(MM(0), argv[1]))
		return -EFAULT;
	return dio_read_page(MM(0), (unsigned long)argv[1], DEV(2));
}

/* vmsplice(2) of one user page into a pipe: do_vmsplice with a WRITE iterator. */
long op_vmsplice(const long *argv)
{
	struct iov_iter iter;

	if (bad_uaddr(MM(0), argv[1]))
		return -EFAULT;
	iov_iter_init_user(&iter, WRITE, MM(0), (unsigned long)argv[1], PAGE_SIZE);
	return vmsplice_to_pipe(&iter, PIPE(2));
}

long op_send_zerocopy(const long *argv)
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

long op_pin_dma_range(const long *argv) { return pin_dma_range(argv, false); }
long op_pin_fast_dma_range(const long *argv) { return pin_dma_range(argv, true); }

long op_writeback(const long *argv)
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

long op_reclaim(const long *argv)
{
	if (bad_uaddr(MM(0), argv[1]))
		return -EFAULT;
	return reclaim_page_at(MM(0), (unsigned long)argv[1], DEV(2));
}

long op_migrate(const long *argv)
{
	if (bad_uaddr(MM(0), argv[1]))
		return -EFAULT;
	return migrate_page_at(MM(0), (unsigned long)argv[1]);
}

/* move_pages(2) of one page to node 1: returns the syscall's value (status[0] is dropped). */
long op_move_pages(const long *argv)
{
	int status = 0;

	if (bad_uaddr(MM(0), argv[1]))
		return -EFAULT;
	return do_pages_move(MM(0), (unsigned long)argv[1], &status);
}

long op_tee(const long *argv)
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

long op_fork(const long *argv)
{
	return dup_mmap_pages(MM(1), MM(0));
}

long op_tamper_slot(const long *argv)
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

long op_mprotect(const long *argv)
{
	if (bad_uaddr(MM(0), argv[1]))
		return -EFAULT;
	return do_mprotect_pkey(MM(0), (unsigned long)argv[1], PAGE_SIZE, (unsigned long)argv[2]);
}

/* mremap(addr, PAGE_SIZE, PAGE_SIZE, MREMAP_MAYMOVE|MREMAP_FIXED, new_addr): 0 when moved */
long op_mremap(const long *argv)
{
	long rc;

	if (bad_uaddr(MM(0), argv[1]))
		return -EFAULT;
	rc = do_mremap(MM(0), (unsigned long)argv[1], PAGE_SIZE, PAGE_SIZE,
		       MREMAP_MAYMOVE | MREMAP_FIXED, (unsigned long)argv[2]);
	return rc == argv[2] ? 0 : rc;
}

/* munlock(addr, PAGE_SIZE) */
long op_munlock(const long *argv)
{
	if (bad_uaddr(MM(0), argv[1]))
		return -EFAULT;
	return do_munlock(MM(0), (unsigned long)argv[1], PAGE_SIZE);
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
	  .cur = MDL_CUR_PUSH, .flags = MDL_OP_FAULTS | MDL_OP_TOUCH },
	{ "get_user_pages_fast", A2(MT_MM, "mm", MT_INT, "addr"),
	  "get_user_pages_fast FOLL_GET (no hook in v5.7)", op_get_user_pages_fast,
	  .cur = MDL_CUR_PUSH, .flags = MDL_OP_FAULTS | MDL_OP_TOUCH },
	{ "pin_user_pages", A2(MT_MM, "mm", MT_INT, "addr"),
	  "pin_user_pages FOLL_PIN (slow; hook under the PTL)", op_pin_user_pages,
	  .cur = MDL_CUR_PUSH, .flags = MDL_OP_FAULTS },
	{ "pin_user_pages_fast", A2(MT_MM, "mm", MT_INT, "addr"),
	  "pin_user_pages_fast FOLL_PIN (gup_pte_range; hook after the grab)", op_pin_user_pages_fast,
	  .cur = MDL_CUR_PUSH, .flags = MDL_OP_FAULTS | MDL_OP_TOUCH },
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
	  .flags = MDL_OP_FAULTS | MDL_OP_TOUCH },
	{ "dio_read", A3(MT_MM, "mm", MT_INT, "addr", MT_DEV, "dev"),
	  "O_DIRECT read into user memory: bio_iov_iter_get_pages -> iov_iter_get_pages -> "
	  "get_user_pages_fast (FOLL_GET|FOLL_WRITE, no hook), DMA, put_page", op_dio_read,
	  .flags = MDL_OP_FAULTS | MDL_OP_TOUCH },
	/* other FOLL_GET routes to a device through iov_iter_get_pages (issue 14 item 10) */
	{ "vmsplice", A3(MT_MM, "mm", MT_INT, "addr", MT_PIPE, "pipe"),
	  "vmsplice(2) of one user page into a pipe: vmsplice_to_pipe (pipe_lock, wait_for_space) "
	  "-> iter_to_pipe -> iov_iter_get_pages -> get_user_pages_fast (FOLL_GET, no hook), "
	  "add_to_pipe (user_page_pipe_buf_ops: generic_pipe_buf_confirm, no hook even with "
	  "splice_hook=on); splice_write sends it", op_vmsplice, .flags = MDL_OP_FAULTS | MDL_OP_TOUCH },
	{ "send_zerocopy", A3(MT_MM, "mm", MT_INT, "addr", MT_DEV, "nic"),
	  "send(2) MSG_ZEROCOPY of one user page on TCP: tcp_sendmsg_locked -> "
	  "skb_zerocopy_iter_stream -> __zerocopy_sg_from_iter -> iov_iter_get_pages -> "
	  "get_user_pages_fast (FOLL_GET, no hook), tcp_push -> NIC DMA, skb_release_data: put_page",
	  op_send_zerocopy, .flags = MDL_OP_FAULTS | MDL_OP_TOUCH },
	{ "pin_dma", A3(MT_MM, "mm", MT_INT, "addr", MT_DEV, "dev"),
	  "pin_user_pages, DMA to the device, unpin_user_page", op_pin_dma,
	  .flags = MDL_OP_FAULTS },
	{ "pin_fast_dma", A3(MT_MM, "mm", MT_INT, "addr", MT_DEV, "dev"),
	  "pin_user_pages_fast, DMA to the device, unpin_user_page", op_pin_fast_dma,
	  .flags = MDL_OP_FAULTS | MDL_OP_TOUCH },
	{ "pin_dma_range", A4(MT_MM, "mm", MT_INT, "addr", MT_INT, "nr_pages", MT_DEV, "dev"),
	  "pin_user_pages of nr_pages pages from addr, DMA of each page returned in address "
	  "order (INV-13: pages[i] is addr + i pages), unpin_user_pages; returns the pages moved",
	  op_pin_dma_range, .flags = MDL_OP_FAULTS },
	{ "pin_fast_dma_range", A4(MT_MM, "mm", MT_INT, "addr", MT_INT, "nr_pages", MT_DEV, "dev"),
	  "pin_user_pages_fast of nr_pages pages from addr (the fast walk per 1 MB page table, "
	  "the slow walk for the rest), DMA of each page returned in address order, "
	  "unpin_user_pages; returns the pages moved", op_pin_fast_dma_range,
	  .flags = MDL_OP_FAULTS | MDL_OP_TOUCH },
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
	  "MADV_DONTNEED/munmap of one page: zap_pte_range: ptep_get_and_clear (export), "
	  "mark_page_accessed of a file page (activate_page: plain get_page), page_remove_rmap, put_page", op_zap,
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
	{ "mremap", A3(MT_MM, "mm", MT_INT, "addr", MT_INT, "new_addr"),
	  "mremap(addr, PAGE_SIZE, PAGE_SIZE, MREMAP_MAYMOVE|MREMAP_FIXED, new_addr), new_addr "
	  "above addr: mmap_sem for writing, mremap_to (do_munmap of the target), move_vma: "
	  "copy_vma, move_page_tables -> move_ptes under the old then the new PTE lock "
	  "(spin_lock_nested): ptep_get_and_clear (export), set_pte_at at new_addr; do_munmap "
	  "of addr (the guest's frame of addr then faults: no VMA, -EFAULT)",
	  op_mremap, .cur = MDL_CUR_NONE },
	{ "munlock", A2(MT_MM, "mm", MT_INT, "addr"),
	  "munlock(addr, PAGE_SIZE) of a VM_LOCKED VMA: mmap_sem for writing, mlock_fixup -> "
	  "munlock_vma_pages_range: follow_page FOLL_GET|FOLL_DUMP (try_get_page under the PTE "
	  "lock, no hook), __munlock_pagevec: TestClearPageMlocked and isolation under the "
	  "lru_lock with follow_page's reference (a page not mlocked: put_page); lock_page; "
	  "mapped once: unlock_page, __pagevec_lru_add (PG_lru), put_page; mapped more: "
	  "get_page, putback_lru_page (lru_cache_add, put_page), unlock_page, put_page",
	  op_munlock, .cur = MDL_CUR_NONE },
	/* the shared-page protocol (issue 14 item 6) */
	{ "guest_unshare", A2(MT_GUEST, "guest", MT_INT, "gfn"),
	  "guest set_memory_encrypted of one frame: uv_remove_shared -> share() (uv_call loop); a "
	  "frame pinned shared intercepts (ICPT_PV_NOTIFY) -> handle_pv_uvc -> gmap_make_secure "
	  "(UNPIN_PAGE_SHARED under make_secure_pte's freeze), -EAGAIN: KVM_RUN again",
	  op_guest_unshare, .flags = MDL_OP_FAULTS },
};
const int mdl_nops = (int)(sizeof(mdl_ops) / sizeof(mdl_ops[0]));
