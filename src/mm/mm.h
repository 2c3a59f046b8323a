/* SPDX-License-Identifier: MIT */
/*
 * mm.h - address spaces, page tables, page cache, pipes and the mm paths
 * of the model (mm/gup.c, mm/filemap.c, mm/memory.c, mm/vmscan.c,
 * mm/swap_state.c, mm/migrate.c, mm/swap.c, mm/page-writeback.c,
 * mm/rmap.c, mm/mprotect.c, fs/splice.c, fs/direct-io.c), Linux v5.7.
 *
 * Page tables and the PTE lock (v5.7 USE_SPLIT_PTE_PTLOCKS, true on s390):
 * an address belongs to the page table of its 1 MB segment (s390
 * _SEGMENT_SHIFT 20, _PAGE_ENTRIES 256 PTEs), and pte_lockptr() is that
 * table's lock (ptlock_ptr(pmd_page(*pmd))).  An mm holds only the PTEs of
 * the addresses a scenario names (at most MDL_MAX_ADDRS, any page-aligned
 * byte address below mm->size), each in the table of its segment; the
 * tables exist from the start (no __pte_alloc) and are never freed.
 *
 * Abstracted away: one VMA per named address, described by struct
 * vm_area_struct in the mm (anonymous private unless a file page is mapped
 * there); no PMD/PUD levels, no THP (s390_enable_sie() splits them for PV
 * guests); the LRU
 * lists themselves are not modelled, only the per-CPU pagevec references
 * that make a conversion fail with -EBUSY; one swap device, one swap
 * address_space.
 */
#ifndef PVM_MM_MM_H
#define PVM_MM_MM_H

#include <stdbool.h>
#include "lib/bug.h"
#include "check/visible.h"
#include "mm/page.h"

#define PAGE_SHIFT		12
#define PAGE_SIZE		(1UL << PAGE_SHIFT)
#define PMD_SHIFT		20	/* s390 _SEGMENT_SHIFT: one page table maps 1 MB */
#define PTRS_PER_PTE		256	/* s390 _PAGE_ENTRIES */
#define MDL_MM_SIZE		0x40000000UL	/* an mm's range unless declared (1 GB) */
#define MDL_PIPE_BUFS		2
#define MDL_PAGE_BYTES		4096	/* what a whole-page write(2) returns */

/* A page-table entry; the s390 bits that matter here. */
#define _PAGE_PRESENT	0x01
#define _PAGE_WRITE	0x02	/* writable (s390: !_PAGE_PROTECT) */
#define _PAGE_INVALID	0x04	/* s390: hardware-invalid */
#define _PAGE_SWP	0x08	/* model: not present, pfn holds a swap slot */
/*
 * s390 _PAGE_DIRTY (software dirty bit), kept only where v5.7 leaves a
 * dirty PTE write-protected: mprotect(PROT_READ), whose pte_modify() keeps
 * _PAGE_DIRTY.  Everywhere else a writable PTE of a shared file VMA is
 * dirty (write notification: v5.7 makes such a PTE writable only together
 * with pte_mkdirty(), in do_shared_fault and wp_page_shared), so the model
 * does not store the bit there; pte_dirty() says so.
 */
#define _PAGE_DIRTY	0x10

typedef struct {
	unsigned int flags;
	int pfn;		/* page frame, or swap slot with _PAGE_SWP */
} pte_t;

static inline bool pte_present(pte_t pte) { return pte.flags & _PAGE_PRESENT; }
static inline bool pte_write(pte_t pte) { return pte.flags & _PAGE_WRITE; }
static inline bool pte_none(pte_t pte) { return pte.flags == 0; }
/* pte_dirty(): the stored bit, or writable (see _PAGE_DIRTY) */
static inline bool pte_dirty(pte_t pte) { return (pte.flags & _PAGE_DIRTY) || pte_write(pte); }

/* What is mapped at an address. */
struct vm_area_struct {
	bool valid;
	struct address_space *vm_file;	/* NULL: anonymous */
	unsigned long vm_pgoff;		/* file index mapped at this address */
	bool shared;			/* MAP_SHARED */
	bool hugetlb;			/* is_vm_hugetlb_page() */
	bool readonly;			/* !(vm_flags & VM_WRITE): PROT_READ */
	bool locked;			/* VM_LOCKED: mlock(2), mlockall(2) */
};

struct mm_context {
	int is_protected;	/* mm_is_protected(): set by kvm_s390_pv_init_vm */
};

/*
 * A page-table page: the PTEs of one segment and its split PTE lock (the
 * spinlock in the table's struct page, set up by pgtable_pte_page_ctor()).
 */
struct pte_table {
	char ptl;		/* lock identity: ptlock_ptr(pmd_page(*pmd)) */
	unsigned long seg;	/* addr >> PMD_SHIFT */
};

struct mm_struct {
	char mmap_sem;		/* lock identity: down_read/down_write */
	pte_t pte[MDL_MAX_ADDRS];		/* the PTE of addr[i] */
	struct vm_area_struct vma[MDL_MAX_ADDRS];	/* the VMA of addr[i] */
	struct pte_table pt[MDL_MAX_ADDRS];	/* the page tables */
	struct mm_context context;
	/* ==== model bookkeeping ==== */
	unsigned long addr[MDL_MAX_ADDRS];	/* the named addresses, in naming order */
	unsigned char pt_of[MDL_MAX_ADDRS];	/* pte[i] lies in pt[pt_of[i]] */
	unsigned char order[MDL_MAX_ADDRS];	/* indices of addr[] by ascending address */
	int nr_addrs, nr_pts;
	unsigned long size;	/* the range: addresses 0 .. size - PAGE_SIZE */
	int id;
	char name[16];
};

/* A file's page cache (include/linux/fs.h struct address_space). */
struct address_space {
	char i_pages;		/* the xarray: object identity for lookups */
	char xa_lock;		/* i_pages.xa_lock: lock identity (migration) */
	struct page *pages[MDL_MAX_FILE_PAGES];
	bool swapper;		/* the swap cache's address_space */
	struct mdl_dev *backing;	/* block device the file lives on */
	/* ==== model bookkeeping ==== */
	int id;
	char name[16];
};

/* Pipes (include/linux/pipe_fs_i.h, fs/pipe.c, fs/splice.c). */
struct pipe_buffer {
	struct page *page;
	unsigned int len;
	/*
	 * ops == &page_cache_pipe_buf_ops (splice_read, and tee of such a
	 * buffer); false: &user_page_pipe_buf_ops (vmsplice), whose ->confirm
	 * is generic_pipe_buf_confirm.  Both release with put_page.
	 */
	bool from_page_cache;
};

struct pipe_inode_info {
	char lock;		/* pipe->mutex */
	unsigned int head, tail;
	bool released;		/* the last file closed: free_pipe_info() ran */
	struct pipe_buffer bufs[MDL_PIPE_BUFS];
	/* ==== model bookkeeping ==== */
	int id;
	char name[16];
};

/* The index of @addr among @mm's named addresses, or -1. */
static inline int mm_addr_index(const struct mm_struct *mm, unsigned long addr)
{
	int i;

	for (i = 0; i < mm->nr_addrs; i++)
		if (mm->addr[i] == addr)
			return i;
	return -1;
}

/* pte_offset_map(): the PTE of a named address (the binder names them all). */
static inline pte_t *pte_offset(struct mm_struct *mm, unsigned long addr)
{
	int i = mm_addr_index(mm, addr);

	PVM_BUG_ON(i < 0);
	return &mm->pte[i];
}

/* The ghost owner of a mapping's reference: mm and address index. */
static inline int pte_owner(const struct mm_struct *mm, unsigned long addr)
{
	int i = mm_addr_index(mm, addr);

	PVM_BUG_ON(i < 0);
	return mm->id * 16 + i;
}

/*
 * Walk @mm's named addresses in ascending order (the order of its VMAs):
 * @k the position, @i the index into pte[], vma[], addr[].
 */
#define for_each_mm_addr(mm, k, i) \
	for ((k) = 0; (k) < (mm)->nr_addrs && ((i) = (mm)->order[(k)], 1); (k)++)

/* The segment (page table) of @addr: s390 pmd_index() across the levels. */
static inline unsigned long pmd_seg(unsigned long addr)
{
	return addr >> PMD_SHIFT;
}

static inline bool mm_is_protected(const struct mm_struct *mm)
{
	return mm->context.is_protected;
}

struct mdl_dev;

/*
 * ==== locking primitives (kernel/locking, v5.7 names), memory.c ====
 * The acquiring ones take the calling model function as a last argument,
 * which the macros pass (__func__): the execution context and the lock
 * dependencies name who took a lock (a parenthesised name is the function
 * itself, so the kernel's spelling works at every call site).
 */
void (down_read)(char *sem, const char *caller);
#define down_read(sem) (down_read)((sem), __func__)
void up_read(char *sem);
void (spin_lock)(char *lock, const char *caller);
#define spin_lock(lock) (spin_lock)((lock), __func__)
void spin_unlock(char *lock);
/* spin_lock_nested(SINGLE_DEPTH_NESTING) of a second PTE lock; @what names the step */
void (spin_lock_nested)(char *lock, const char *what, const char *caller);
#define spin_lock_nested(lock, what) (spin_lock_nested)((lock), (what), __func__)
struct address_space;
void (xa_lock_irq)(struct address_space *mapping, const char *caller);
#define xa_lock_irq(mapping) (xa_lock_irq)((mapping), __func__)
void xa_unlock_irq(struct address_space *mapping);
void (mutex_lock)(char *lock, int cls, const char *caller);
/* @cls: the mutex's lockdep class (enum lock_class), which v5.7 gets from the lock's init site */
#define mutex_lock(lock, cls) (mutex_lock)((lock), (cls), __func__)
void mutex_unlock(char *lock);
/* down_write: mmap_sem for writing; @what names the step (the child's is down_write_nested) */
void (down_write)(char *sem, const char *what, const char *caller);
#define down_write(sem, what) (down_write)((sem), (what), __func__)
void up_write(char *sem);

/* ==== execution context (include/linux/preempt.h, uaccess.h, irqflags.h), context.c ==== */
void (preempt_disable)(const char *caller);
#define preempt_disable() (preempt_disable)(__func__)
void preempt_enable(void);
void (pagefault_disable)(const char *caller);
#define pagefault_disable() (pagefault_disable)(__func__)
void pagefault_enable(void);
void (local_irq_disable)(const char *caller);
#define local_irq_disable() (local_irq_disable)(__func__)
void local_irq_enable(void);
bool (local_irq_save)(const char *caller);
#define local_irq_save(flags) ((flags) = (local_irq_save)(__func__))
void local_irq_restore(bool flags);
bool in_atomic(void);
bool irqs_disabled(void);
bool pagefault_disabled(void);
bool faulthandler_disabled(void);
void (kmap_atomic)(struct page *page, const char *caller);
#define kmap_atomic(page) (kmap_atomic)((page), __func__)
void kunmap_atomic(struct page *page);
void ___might_sleep(const char *file, const char *caller, struct vis_site site);
void (cond_resched)(const char *file, const char *caller);
#define cond_resched() (cond_resched)(__FILE__, __func__)
/*
 * ==== the task's kernel call chain (context.c) ====
 * kernel_frame("name") at the top of a model function records that the
 * task is in kernel function @name until the function returns (a cleanup
 * variable pops it; a finding leaves the chain as it is, which is what the
 * report prints: each thread's chain at the step of the finding).
 * KERNEL_FRAME() does the same under the model function's own name, for
 * model functions named as the v5.7 function they follow.  Report-only:
 * the model decides nothing on it; two stores per call.
 */
int kernel_frame_push(const char *name);
void kernel_frame_pop(int *depth);
#define kernel_frame(name) \
	int __kframe __attribute__((cleanup(kernel_frame_pop), unused)) = kernel_frame_push(name)
#define KERNEL_FRAME() kernel_frame(__func__)
char *pte_lockptr(struct mm_struct *mm, unsigned long addr);
struct vm_area_struct *find_vma(struct mm_struct *mm, unsigned long addr);

/* ==== mm/gup.c (v5.7 signatures; the mm is current->mm's stand-in) ==== */
struct page *follow_page(struct vm_area_struct *vma, struct mm_struct *mm,
			 unsigned long addr, unsigned int foll_flags);
struct page *follow_page_mask(struct vm_area_struct *vma, struct mm_struct *mm,
			      unsigned long addr, unsigned int foll_flags, int *err);
long get_user_pages(struct mm_struct *mm, unsigned long start, unsigned long nr_pages,
		    unsigned int gup_flags, struct page **pages);
long pin_user_pages(struct mm_struct *mm, unsigned long start, unsigned long nr_pages,
		    unsigned int gup_flags, struct page **pages);
int get_user_pages_fast(struct mm_struct *mm, unsigned long start, int nr_pages,
			unsigned int gup_flags, struct page **pages);
int pin_user_pages_fast(struct mm_struct *mm, unsigned long start, int nr_pages,
			unsigned int gup_flags, struct page **pages);
int __get_user_pages_fast(struct mm_struct *mm, unsigned long start, int nr_pages, int write,
			  struct page **pages);
void unpin_user_pages(struct page **pages, unsigned long npages);
void gup_log_reset(void);
int no_page_table(const struct vm_area_struct *vma, unsigned int flags);
struct pte_table *gup_pmd_of(struct mm_struct *mm, unsigned long addr);
/*
 * A user patch of follow_page_pte (src/paths), NULL for the model's own:
 * v5.7's signature, with the model's page table for the pmd entry and no
 * device pages (the patch gets a pointer to a NULL pgmap).
 */
struct dev_pagemap;
extern struct page *(*gup_patch_follow_page_pte)(struct vm_area_struct *vma,
						 unsigned long address, struct pte_table *pmd,
						 unsigned int flags, struct dev_pagemap **pgmap);

/*
 * ==== lib/iov_iter.c (src/mm/iov_iter.c) ====
 * struct iov_iter: an ITER_IOVEC of one segment of user memory, as
 * import_single_range() or import_iovec() with one iovec builds it.
 * @type: WRITE when the data goes out of user memory (vmsplice to a pipe,
 * sendmsg), READ when it comes in (v5.7's iov_iter_rw()); @mm: the task's
 * current->mm; @iov_base, @count: what is left of the segment.
 */
#define READ	0
#define WRITE	1
struct iov_iter {
	unsigned int type;
	struct mm_struct *mm;
	unsigned long iov_base;
	unsigned long count;
};
void iov_iter_init_user(struct iov_iter *i, unsigned int direction, struct mm_struct *mm,
			unsigned long base, unsigned long count);
long iov_iter_get_pages(struct iov_iter *i, struct page **pages, unsigned long maxsize,
			unsigned int maxpages, unsigned long *start);
void iov_iter_advance(struct iov_iter *i, unsigned long bytes);

/* ==== mm/filemap.c ==== */
struct page *find_get_page(struct address_space *mapping, unsigned long offset);
void add_to_page_cache(struct page *page, struct address_space *mapping,
		       unsigned long index);
void delete_from_page_cache(struct page *page);
int generic_file_buffered_read_page(struct address_space *mapping, unsigned long index,
				    uint32_t *out);
long generic_perform_write_page(struct address_space *mapping, unsigned long index,
				struct mm_struct *mm, unsigned long uaddr);
int truncate_inode_page(struct address_space *mapping, struct page *page);

/* ==== mm/memory.c ==== */
int handle_mm_fault(struct mm_struct *mm, unsigned long addr, unsigned int flags);
void zap_page_range(struct mm_struct *mm, unsigned long addr);
void zap_one_pte(struct mm_struct *mm, unsigned long addr);
void zap_page_pte(struct mm_struct *mm, unsigned long addr, struct page *page);
pte_t ptep_get_and_clear(struct mm_struct *mm, unsigned long addr, pte_t *ptep, int guard);
pte_t ptep_clear_flush(struct mm_struct *mm, unsigned long addr, pte_t *ptep);
pte_t ptep_modify_prot_start(struct mm_struct *mm, unsigned long addr, pte_t *ptep);
void ptep_modify_prot_commit(struct mm_struct *mm, unsigned long addr, pte_t *ptep,
			     pte_t old_pte, pte_t pte);
void page_add_rmap(struct page *page);
void page_remove_rmap(struct page *page);
int copy_one_pte(struct mm_struct *dst, struct mm_struct *src, unsigned long addr);
int dup_mmap_pages(struct mm_struct *child, struct mm_struct *parent);
#define FAULT_FLAG_WRITE 0x01

/* ==== mm/rmap.c (page_mkclean), mm/mprotect.c ==== */
int page_mkclean(struct page *page);
#define PROT_READ	0x1
#define PROT_WRITE	0x2
int do_mprotect_pkey(struct mm_struct *mm, unsigned long start, unsigned long len,
		     unsigned long prot);

/* ==== mm/mremap.c, mm/mlock.c ==== */
#define MREMAP_MAYMOVE	1
#define MREMAP_FIXED	2
long do_mremap(struct mm_struct *mm, unsigned long addr, unsigned long old_len,
	       unsigned long new_len, unsigned long flags, unsigned long new_addr);
int do_munlock(struct mm_struct *mm, unsigned long start, unsigned long len);

/* ==== mm/swap.c, mm/swap_state.c, mm/vmscan.c ==== */
void lru_cache_add(struct page *page);
void mark_page_accessed(struct page *page);
void activate_page(struct page *page);
void rotate_reclaimable_page(struct page *page);
void lru_add_drain(void);
void lru_add_drain_all(void);
int add_to_swap(struct page *page, struct mdl_dev *swapdev);
void delete_from_swap_cache(struct page *page);
struct page *lookup_swap_cache(int slot);
int try_to_unmap(struct page *page);
int shrink_page(struct page *page, struct mdl_dev *swapdev);
int reclaim_page_at(struct mm_struct *mm, unsigned long addr, struct mdl_dev *swapdev);
/* __isolate_lru_page's modes (vmscan.c) */
#define ISOLATE_MODEL_ANON	0x1	/* the model's reclaim: anonymous pages only */
#define ISOLATE_SKIP_PINNED	0x2	/* compaction: skip a pinned anonymous page */
int __isolate_lru_page(struct page *page, struct ref_tag tag, unsigned int mode);
int isolate_lru_page(struct page *page, struct ref_tag tag);
void putback_lru_page(struct page *page, struct ref_tag tag);

/* ==== mm/migrate.c ==== */
int migrate_page_at(struct mm_struct *mm, unsigned long addr);
int do_pages_move(struct mm_struct *mm, unsigned long addr, int *status);

/* ==== mm/page-writeback.c ==== */
int __test_set_page_writeback(struct page *page, bool keep_write);
void end_page_writeback(struct page *page);
int write_one_page(struct page *page, struct ref_tag ref);
int clear_page_dirty_for_io(struct page *page);

/* ==== fs/splice.c ==== */
long splice_read_page(struct address_space *mapping, unsigned long index,
		      struct pipe_inode_info *pipe);
long do_tee(struct pipe_inode_info *ipipe, struct pipe_inode_info *opipe);
long splice_from_pipe_to_dev(struct pipe_inode_info *pipe, struct mdl_dev *dev);
int page_cache_pipe_buf_confirm(struct pipe_inode_info *pipe, struct pipe_buffer *buf);
int pipe_release_bufs(struct pipe_inode_info *pipe);
long vmsplice_to_pipe(struct iov_iter *iter, struct pipe_inode_info *pipe);

/* ==== fs/direct-io.c ==== */
long dio_write_page(struct mm_struct *mm, unsigned long addr, struct mdl_dev *dev);
long dio_read_page(struct mm_struct *mm, unsigned long addr, struct mdl_dev *dev);

#endif /* PVM_MM_MM_H */
