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
 */
#include "model/model.h"
#include "model/world.h"
#include "inv/inv.h"
#include "uv/uv.h"

#define G(i) (&mdl_world.guests[argv[i]])
#define MM(i) (&mdl_world.mms[argv[i]])
#define F(i) (&mdl_world.files[argv[i]])
#define PIPE(i) (&mdl_world.pipes[argv[i]])
#define DEV(i) (&mdl_world.devs[argv[i]])

static bool bad_addr(long a)
{
	return a < 0 || a >= MDL_MAX_ADDRS;
}

/* ==== guest ==== */

static long op_guest_write(const long *argv)
{
	if (bad_addr(argv[1]))
		return -EFAULT;
	return guest_access(G(0), (unsigned long)argv[1], true, (uint32_t)argv[2], NULL);
}

static long op_guest_read(const long *argv)
{
	uint32_t v = 0;
	int rc;

	if (bad_addr(argv[1]))
		return -EFAULT;
	rc = guest_access(G(0), (unsigned long)argv[1], false, 0, &v);
	mdl_current()->last_read = v;
	return rc;
}

static long op_guest_unpack(const long *argv)
{
	if (bad_addr(argv[1]))
		return -EFAULT;
	return kvm_s390_pv_unpack_one(G(0), (unsigned long)argv[1]);
}

static long op_guest_share(const long *argv)
{
	if (bad_addr(argv[1]))
		return -EFAULT;
	return guest_set_shared(G(0), (unsigned long)argv[1]);
}

/* ==== host CPU ==== */

static long op_host_read(const long *argv)
{
	uint32_t v = 0;
	int rc;

	if (bad_addr(argv[1]))
		return -EFAULT;
	rc = host_user_access(MM(0), (unsigned long)argv[1], false, 0, &v);
	mdl_current()->last_read = v;
	return rc;
}

static long op_host_write(const long *argv)
{
	if (bad_addr(argv[1]))
		return -EFAULT;
	return host_user_access(MM(0), (unsigned long)argv[1], true, (uint32_t)argv[2], NULL);
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

	if (argv[1] < 0 || argv[1] >= MDL_MAX_FILE_PAGES)
		return -EINVAL;
	page = find_get_page(F(0), (unsigned long)argv[1]);
	if (!page)
		return -ENOENT;
	mdl_cur_push(page, ref_thread(REF_LOOKUP));
	return 0;
}

static long gup_one(const long *argv, int which)
{
	struct page *page = NULL;
	long rc;

	if (bad_addr(argv[1]))
		return -EFAULT;
	switch (which) {
	case 0: rc = get_user_pages(MM(0), (unsigned long)argv[1], FOLL_WRITE, &page); break;
	case 1: rc = get_user_pages_fast(MM(0), (unsigned long)argv[1], FOLL_WRITE, &page); break;
	case 2: rc = pin_user_pages(MM(0), (unsigned long)argv[1], FOLL_WRITE, &page); break;
	default: rc = pin_user_pages_fast(MM(0), (unsigned long)argv[1], FOLL_WRITE, &page); break;
	}
	if (rc != 1)
		return rc ? rc : -EFAULT;
	/* gup reported the page: INV-12, it is referenced and (FOLL_PIN) accessible. */
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

	if (!page)
		return -EINVAL;
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
	if (bad_addr(argv[1]))
		return -EFAULT;
	return dio_write_page(MM(0), (unsigned long)argv[1], DEV(2));
}

static long op_dio_read(const long *argv)
{
	if (bad_addr(argv[1]))
		return -EFAULT;
	return dio_read_page(MM(0), (unsigned long)argv[1], DEV(2));
}

static long pin_dma(const long *argv, bool fast)
{
	struct page *page = NULL;
	long rc;

	if (bad_addr(argv[1]))
		return -EFAULT;
	rc = fast ? pin_user_pages_fast(MM(0), (unsigned long)argv[1], 0, &page)
		  : pin_user_pages(MM(0), (unsigned long)argv[1], 0, &page);
	if (rc != 1)
		return rc ? rc : -EFAULT;
	dev_dma_to_device(DEV(2), page, dev_alloc_slot(DEV(2)), "pin_user_pages + DMA");
	unpin_user_page(page, ref_thread(REF_PIN));
	return 0;
}

static long op_pin_dma(const long *argv) { return pin_dma(argv, false); }
static long op_pin_fast_dma(const long *argv) { return pin_dma(argv, true); }

static long op_writeback(const long *argv)
{
	struct page *page;

	if (argv[1] < 0 || argv[1] >= MDL_MAX_FILE_PAGES)
		return -EINVAL;
	/* write_cache_pages: lookup (tagged), lock, ->writepage, release */
	page = find_get_page(F(0), (unsigned long)argv[1]);
	if (!page)
		return -ENOENT;
	lock_page(page);
	VIS_READ(page, "write_cache_pages: PageWriteback");
	/* Page truncated or invalidated?  Or under writeback already? */
	if (page->mapping != F(0) || PageWriteback(page)) {
		unlock_page(page);
		put_page(page, ref_thread(REF_LOOKUP));
		return -EBUSY;
	}
	write_one_page(page, ref_thread(REF_LOOKUP));
	return 0;
}

static long op_truncate(const long *argv)
{
	struct page *page;

	if (argv[1] < 0 || argv[1] >= MDL_MAX_FILE_PAGES)
		return -EINVAL;
	/* truncate_inode_pages_range: lookup, lock, wait for writeback, remove */
	page = find_get_page(F(0), (unsigned long)argv[1]);
	if (!page)
		return -ENOENT;
	lock_page(page);
	wait_on_page_writeback(page);
	if (page->mapping == F(0))
		truncate_inode_page(F(0), page);
	unlock_page(page);
	put_page(page, ref_thread(REF_LOOKUP));
	return 0;
}

static long op_reclaim(const long *argv)
{
	if (bad_addr(argv[1]))
		return -EFAULT;
	return reclaim_page_at(MM(0), (unsigned long)argv[1], DEV(2));
}

static long op_migrate(const long *argv)
{
	if (bad_addr(argv[1]))
		return -EFAULT;
	return migrate_page_at(MM(0), (unsigned long)argv[1]);
}

static long op_zap(const long *argv)
{
	if (bad_addr(argv[1]))
		return -EFAULT;
	zap_page_range(MM(0), (unsigned long)argv[1]);
	return 0;
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

#define A1(t, n) 1, { t }, { n }
#define A2(t1, n1, t2, n2) 2, { t1, t2 }, { n1, n2 }
#define A3(t1, n1, t2, n2, t3, n3) 3, { t1, t2, t3 }, { n1, n2, n3 }

const struct mdl_op mdl_ops[] = {
	/* guest (vCPU, KVM) */
	{ "guest_write", A3(MT_GUEST, "guest", MT_INT, "gfn", MT_INT, "value"),
	  "vCPU store; 0x3E -> do_non_secure_storage_access -> gmap_convert_to_secure", op_guest_write },
	{ "guest_read", A2(MT_GUEST, "guest", MT_INT, "gfn"),
	  "vCPU fetch (checks INV-09); 0x3E -> import", op_guest_read },
	{ "guest_unpack", A2(MT_GUEST, "guest", MT_INT, "gfn"),
	  "KVM_PV_UNPACK of one page: unpack_one -> gmap_make_secure, retry on -EAGAIN", op_guest_unpack },
	{ "guest_share", A2(MT_GUEST, "guest", MT_INT, "gfn"),
	  "guest UVC set-shared-access on a frame", op_guest_share },
	/* host CPU */
	{ "host_read", A2(MT_MM, "mm", MT_INT, "addr"),
	  "user-space load (QEMU); 0x3D -> do_secure_storage_access USER -> export", op_host_read },
	{ "host_write", A3(MT_MM, "mm", MT_INT, "addr", MT_INT, "value"),
	  "user-space store (QEMU); 0x3D -> export", op_host_write },
	{ "kmap_read", 0, { MT_INT }, { "" },
	  "kernel load of the current page through the 1:1 map; 0x3D KERNEL_FAULT (try_get_page)", op_kmap_read },
	/* composable on the current page */
	{ "find_get_page", A2(MT_FILE, "file", MT_INT, "index"),
	  "find_get_page: speculative reference, waits out a frozen count", op_find_get_page },
	{ "get_user_pages", A2(MT_MM, "mm", MT_INT, "addr"),
	  "get_user_pages FOLL_GET (slow, no hook in v5.7)", op_get_user_pages },
	{ "get_user_pages_fast", A2(MT_MM, "mm", MT_INT, "addr"),
	  "get_user_pages_fast FOLL_GET (no hook in v5.7)", op_get_user_pages_fast },
	{ "pin_user_pages", A2(MT_MM, "mm", MT_INT, "addr"),
	  "pin_user_pages FOLL_PIN (slow; hook under the PTL)", op_pin_user_pages },
	{ "pin_user_pages_fast", A2(MT_MM, "mm", MT_INT, "addr"),
	  "pin_user_pages_fast FOLL_PIN (gup_pte_range; hook after the grab)", op_pin_user_pages_fast },
	{ "get_page", 0, { MT_INT }, { "" }, "get_page on the current page", op_get_page },
	{ "put_page", 0, { MT_INT }, { "" },
	  "drop the last reference taken (put_page, or unpin_user_page for a pin)", op_put_page },
	{ "unpin_user_page", 0, { MT_INT }, { "" }, "same as put_page for a pin", op_put_page },
	{ "arch_make_page_accessible", 0, { MT_INT }, { "" },
	  "arch_make_page_accessible on the current page", op_arch_make_page_accessible },
	{ "dma_to_dev", A1(MT_DEV, "dev"), "device reads the current page (transmit / block write)", op_dma_to_dev },
	{ "dma_from_dev", A1(MT_DEV, "dev"), "device writes the current page (block read)", op_dma_from_dev },
	{ "lru_add", 0, { MT_INT }, { "" }, "lru_cache_add of the current page (pagevec reference)", op_lru_add },
	{ "lru_add_drain_all", 0, { MT_INT }, { "" }, "lru_add_drain_all", op_lru_add_drain_all },
	/* whole paths */
	{ "splice_read", A3(MT_FILE, "file", MT_INT, "index", MT_PIPE, "pipe"),
	  "generic_file_splice_read of one page into a pipe", op_splice_read },
	{ "splice_write", A2(MT_PIPE, "pipe", MT_DEV, "dev"),
	  "splice_from_pipe_feed: confirm (hook if splice_hook=on), sendpage/bio, release", op_splice_write },
	{ "pipe_release", A1(MT_PIPE, "pipe"), "free_pipe_info: release buffers left", op_pipe_release },
	{ "dio_write", A3(MT_MM, "mm", MT_INT, "addr", MT_DEV, "dev"),
	  "O_DIRECT write from user memory: get_user_pages_fast (FOLL_GET), DMA, put_page", op_dio_write },
	{ "dio_read", A3(MT_MM, "mm", MT_INT, "addr", MT_DEV, "dev"),
	  "O_DIRECT read into user memory: get_user_pages_fast (FOLL_GET), DMA, put_page", op_dio_read },
	{ "pin_dma", A3(MT_MM, "mm", MT_INT, "addr", MT_DEV, "dev"),
	  "pin_user_pages, DMA to the device, unpin_user_page", op_pin_dma },
	{ "pin_fast_dma", A3(MT_MM, "mm", MT_INT, "addr", MT_DEV, "dev"),
	  "pin_user_pages_fast, DMA to the device, unpin_user_page", op_pin_fast_dma },
	{ "writeback", A2(MT_FILE, "file", MT_INT, "index"),
	  "write_cache_pages of one page: lock, set_page_writeback (hook), unlock, DMA, end", op_writeback },
	{ "truncate", A2(MT_FILE, "file", MT_INT, "index"),
	  "truncate_inode_pages of one page: lock, wait writeback, unmap (export), delete", op_truncate },
	{ "reclaim", A3(MT_MM, "mm", MT_INT, "addr", MT_DEV, "swapdev"),
	  "shrink_page_list of one anon page: add_to_swap, try_to_unmap (export), pageout, free", op_reclaim },
	{ "migrate", A2(MT_MM, "mm", MT_INT, "addr"),
	  "migrate_pages of one anon page: unmap (export), move_mapping, copy, remap", op_migrate },
	{ "zap", A2(MT_MM, "mm", MT_INT, "addr"),
	  "MADV_DONTNEED/munmap of one page: ptep_get_and_clear (export), put_page", op_zap },
	{ "tamper_slot", A3(MT_DEV, "dev", MT_INT, "slot", MT_INT, "xor"),
	  "host rewrites a device block (a tampered swap image)", op_tamper_slot },
	{ "alloc_dma", A2(MT_DEV, "dev", MT_INT, "value"),
	  "alloc_page, kernel store, DMA to the device, free: reuse of a freed frame", op_alloc_dma },
};
const int mdl_nops = (int)(sizeof(mdl_ops) / sizeof(mdl_ops[0]));

bool mdl_op_fills_pagevec(int k)
{
	return k >= 0 && k < mdl_nops && mdl_ops[k].fn == op_lru_add;	/* lru_cache_add */
}
