/* SPDX-License-Identifier: MIT */
/*
 * pvcheck/kernel.h - the modelled Linux v5.7 kernel, for user paths.
 *
 * A user path is a C function a kernel developer writes against this
 * header and hands to pvcheck (`pvcheck check SCENARIO --paths FILE.c`, or
 * `paths "FILE.c"` in the scenario).  Every function below is the model's
 * own: a call takes the same locks, references and visible steps as the
 * modelled kernel path of that name, so a user path interleaves with the
 * modelled kernel exactly as a model path does.  doc/paths.md gives each
 * function's v5.7 source and what the model abstracts.
 *
 * A function becomes a scenario operation when the file registers it:
 *
 *	static int dave_reader(struct address_space *mapping, pgoff_t index,
 *			       struct device *dev) { ... }
 *	PV_PATH(dave_reader, struct address_space *, pgoff_t, struct device *);
 *
 * and a scenario thread calls it as `dave_reader mem 0 eth0`.  The types
 * listed must be the function's parameter types (the compiler checks it);
 * each names the kind of world object the scenario passes: an
 * address_space is a file, an mm_struct an mm, a device a nic or blockdev,
 * a kvm a guest, a pipe_inode_info a pipe, a page a page, an integer type
 * an integer.  The function returns 0 when it did its work (the
 * scenario's vacuity check and `OP ARGS = OUTCOME` read the value).
 *
 * Addresses are byte addresses of an mm, as in a scenario; the model
 * knows the addresses its world names (page and map declarations, the
 * scenario's operations), and a gup elsewhere finds no VMA.  A user path keeps its state in
 * its locals and in the kernel objects: writable globals are refused,
 * since threads sharing them would race outside the model's sight.
 *
 * The structures are opaque except where v5.7 callers touch a field
 * directly (&mm->mmap_sem, current->mm).
 */
#ifndef PVCHECK_KERNEL_H
#define PVCHECK_KERNEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifndef __PVCHECK_PATHS__
#error "pvcheck/kernel.h is for user paths: compile them through pvcheck --paths"
#endif

typedef unsigned long pgoff_t;
typedef unsigned int gfp_t;
typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;

/* include/linux/mm_types.h: the model's page begins with its flags. */
struct page {
	unsigned long flags;
};
struct address_space;
struct vm_area_struct;
struct device;
struct kvm;
struct pipe_inode_info;

/* A sleeping reader/writer lock; only its address matters. */
struct rw_semaphore {
	char __pv_identity;
};

/* include/linux/mm_types.h: the model's mm begins with mmap_sem. */
struct mm_struct {
	struct rw_semaphore mmap_sem;
};

/* The task running the path: current->mm is the first mm (or guest's mm) it was given. */
struct task_struct {
	struct mm_struct *mm;
};

/* ==== errno values (include/uapi/asm-generic/errno-base.h) ==== */
#define ENOENT	2
#define EIO	5
#define EAGAIN	11
#define ENOMEM	12
#define EFAULT	14
#define EBUSY	16
#define ENXIO	6
#define EINVAL	22

/* ==== gup flags (include/linux/mm.h, v5.7) ==== */
#define FOLL_WRITE	0x01
#define FOLL_TOUCH	0x02
#define FOLL_GET	0x04
#define FOLL_DUMP	0x08
#define FOLL_PIN	0x40000

/* ==== page table entries (arch/s390/include/asm/pgtable.h; the model's layout) ==== */
typedef struct {
	unsigned int __pv_flags;
	int __pv_pfn;
} pte_t;
#define _PAGE_INVALID	0x04UL

/* ==== the Ultravisor (arch/s390/include/asm/uv.h) ==== */
struct uv_cb_header {
	u16 len;
	u16 cmd;
	u16 rc;
	u16 rrc;
};

/* ==== the model's functions (pvcheck side; call the kernel names below) ==== */
struct page *__pv_pte_page(pte_t pte);
void __pv_set_bit(int nr, unsigned long *addr, int set);
int __pv_uv_call(unsigned long r1, unsigned long r2);
struct task_struct *__pv_current(void);
struct page *__pv_find_get_page(struct address_space *mapping, pgoff_t index);
void __pv_get_page(struct page *page);
void __pv_put_page(struct page *page);
bool __pv_get_page_unless_zero(struct page *page);
bool __pv_try_get_page(struct page *page);
int __pv_page_ref_count(const struct page *page);
int __pv_page_mapcount(const struct page *page);
int __pv_page_ref_freeze(struct page *page, int count);
void __pv_page_ref_unfreeze(struct page *page, int count);
int __pv_page_flag(const struct page *page, int which);
struct address_space *__pv_page_mapping(const struct page *page);
void __pv_lock_page(struct page *page);
int __pv_trylock_page(struct page *page);
void __pv_unlock_page(struct page *page);
void __pv_wait_on_page_writeback(struct page *page);
void __pv_down_read(struct rw_semaphore *sem);
void __pv_up_read(struct rw_semaphore *sem);
long __pv_get_user_pages(struct mm_struct *mm, unsigned long start, unsigned long nr_pages,
			 unsigned int gup_flags, struct page **pages, int fast);
void __pv_unpin_user_page(struct page *page);
int __pv_arch_make_page_accessible(struct page *page);
int __pv_expected_page_refs(struct page *page);
void __pv_mark_page_accessed(struct page *page);
void __pv_lru_add_drain(void);
void __pv_lru_add_drain_all(void);
int __pv_dma(struct device *dev, struct page *page, int to_device);
void __pv_might_sleep(const char *file, int line);
void __pv_context(int op);
int __pv_in_atomic(void);
void __pv_kernel_check(const char *what, const char *cond, struct page *page,
		       const char *file, int line);
void __pv_register(const void *desc);

/* ==== include/linux/compiler.h, asm/bitops.h ==== */
#define READ_ONCE(x) (*(const volatile __typeof__(x) *)&(x))
#define PG_arch_1	8
/* set_bit/clear_bit of a page flag (&page->flags); the model has no other bitmap */
int __pv_test_bit(int nr, const unsigned long *addr);
static inline int test_bit(int nr, const unsigned long *addr) { return __pv_test_bit(nr, addr); }
static inline void set_bit(int nr, unsigned long *addr) { __pv_set_bit(nr, addr, 1); }
static inline void clear_bit(int nr, unsigned long *addr) { __pv_set_bit(nr, addr, 0); }

/* ==== arch/s390/include/asm/pgtable.h ==== */
static inline int pte_present(pte_t pte) { return pte.__pv_flags & 0x01; }
static inline unsigned long pte_val(pte_t pte) { return pte.__pv_flags; }
static inline struct page *pte_page(pte_t pte) { return __pv_pte_page(pte); }

/* ==== arch/s390/include/asm/uv.h: uv_call repeats while the UV is busy ==== */
static inline int uv_call(unsigned long r1, unsigned long r2) { return __pv_uv_call(r1, r2); }

/*
 * ==== model functions a patch may replace (`--patch FILE.c`) ====
 * Define one of these, non-static, in a patch file: the model calls it
 * instead of its own (doc/paths.md lists what each must do).
 */
int make_secure_pte(pte_t *ptep, unsigned long addr, struct page *exp_page,
		    struct uv_cb_header *uvcb);
int __pv_make_secure_pte(pte_t *ptep, unsigned long addr, struct page *exp_page,
			 struct uv_cb_header *uvcb);

/* ==== include/linux/sched.h ==== */
#define current (__pv_current())

/* ==== include/linux/mm.h, page_ref.h, page-flags.h ==== */
static inline void get_page(struct page *page) { __pv_get_page(page); }
static inline void put_page(struct page *page) { __pv_put_page(page); }
static inline bool get_page_unless_zero(struct page *page)
{
	return __pv_get_page_unless_zero(page);
}
static inline bool try_get_page(struct page *page) { return __pv_try_get_page(page); }
static inline int page_ref_count(const struct page *page) { return __pv_page_ref_count(page); }
static inline int page_count(const struct page *page) { return __pv_page_ref_count(page); }
static inline int page_mapcount(const struct page *page) { return __pv_page_mapcount(page); }
static inline int page_ref_freeze(struct page *page, int count)
{
	return __pv_page_ref_freeze(page, count);
}
static inline void page_ref_unfreeze(struct page *page, int count)
{
	__pv_page_ref_unfreeze(page, count);
}

#define __PV_PG_locked		0
#define __PV_PG_writeback	1
#define __PV_PG_dirty		2
#define __PV_PG_uptodate	3
#define __PV_PG_lru		4
#define __PV_PG_swapcache	5
#define __PV_PG_private		6
#define __PV_PG_huge		7
static inline int PageLocked(const struct page *page) { return __pv_page_flag(page, __PV_PG_locked); }
static inline int PageWriteback(const struct page *page) { return __pv_page_flag(page, __PV_PG_writeback); }
static inline int PageDirty(const struct page *page) { return __pv_page_flag(page, __PV_PG_dirty); }
static inline int PageUptodate(const struct page *page) { return __pv_page_flag(page, __PV_PG_uptodate); }
static inline int PageLRU(const struct page *page) { return __pv_page_flag(page, __PV_PG_lru); }
static inline int PageSwapCache(const struct page *page) { return __pv_page_flag(page, __PV_PG_swapcache); }
static inline int PagePrivate(const struct page *page) { return __pv_page_flag(page, __PV_PG_private); }
/* v5.7: PG_private or PG_private_2; the model has no PG_private_2 (fscache) */
static inline int page_has_private(const struct page *page) { return PagePrivate(page); }
static inline struct address_space *page_mapping(const struct page *page) { return __pv_page_mapping(page); }
static inline int PageHuge(const struct page *page) { return __pv_page_flag(page, __PV_PG_huge); }

/* ==== include/linux/pagemap.h, mm/filemap.c ==== */
static inline struct page *find_get_page(struct address_space *mapping, pgoff_t offset)
{
	return __pv_find_get_page(mapping, offset);
}
static inline void lock_page(struct page *page) { __pv_lock_page(page); }
static inline int trylock_page(struct page *page) { return __pv_trylock_page(page); }
static inline void unlock_page(struct page *page) { __pv_unlock_page(page); }
static inline void wait_on_page_writeback(struct page *page) { __pv_wait_on_page_writeback(page); }

/* ==== include/linux/rwsem.h: mmap_sem ==== */
static inline void down_read(struct rw_semaphore *sem) { __pv_down_read(sem); }
static inline void up_read(struct rw_semaphore *sem) { __pv_up_read(sem); }

/* ==== mm/gup.c (v5.7 signatures; the mm is current->mm) ==== */
static inline long get_user_pages(unsigned long start, unsigned long nr_pages,
				  unsigned int gup_flags, struct page **pages,
				  struct vm_area_struct **vmas)
{
	(void)vmas;
	return __pv_get_user_pages(current->mm, start, nr_pages, gup_flags | FOLL_GET, pages, 0);
}
static inline long pin_user_pages(unsigned long start, unsigned long nr_pages,
				  unsigned int gup_flags, struct page **pages,
				  struct vm_area_struct **vmas)
{
	(void)vmas;
	return __pv_get_user_pages(current->mm, start, nr_pages, gup_flags | FOLL_PIN, pages, 0);
}
static inline int get_user_pages_fast(unsigned long start, int nr_pages,
				      unsigned int gup_flags, struct page **pages)
{
	return (int)__pv_get_user_pages(current->mm, start, (unsigned long)nr_pages,
					gup_flags | FOLL_GET, pages, 1);
}
static inline int pin_user_pages_fast(unsigned long start, int nr_pages,
				      unsigned int gup_flags, struct page **pages)
{
	return (int)__pv_get_user_pages(current->mm, start, (unsigned long)nr_pages,
					gup_flags | FOLL_PIN, pages, 1);
}
static inline void unpin_user_page(struct page *page) { __pv_unpin_user_page(page); }

/* ==== arch/s390 (include/asm/page.h, kernel/uv.c) ==== */
/* replaceable by a patch (--patch); a patch of it is called by every model path */
int arch_make_page_accessible(struct page *page);
/*
 * The Ultravisor calls arch_make_page_accessible makes (arch/s390/kernel/
 * uv.c, static there; for a patch of it): pin the frame shared, or export
 * it.  Return: 0, or -EINVAL when the Ultravisor refuses.
 */
unsigned long __pv_page_to_phys(const struct page *page);
int __pv_uv_frame_call(unsigned long paddr, int export);
#define PAGE_SHIFT	12
static inline unsigned long page_to_phys(const struct page *page) { return __pv_page_to_phys(page); }
static inline int uv_pin_shared(unsigned long paddr) { return __pv_uv_frame_call(paddr, 0); }
static inline int uv_convert_from_secure(unsigned long paddr) { return __pv_uv_frame_call(paddr, 1); }
/*
 * static in v5.7's uv.c; here for paths that reimplement the import, and
 * replaceable by a patch (--patch): the model's make_secure_pte calls a
 * patch of it.  What v5.7's reads: page_mapcount, PageSwapCache,
 * page_mapping, page_has_private.
 */
int expected_page_refs(struct page *page);

/*
 * ==== arch/s390/mm/gmap.c, mm/memory.c, mm/gup.c: what gmap_make_secure
 * walks (for a patch of gmap_make_secure; doc/paths.md) ====
 * struct gmap is the model's (its first member is the host mm); a PTE
 * lock is the model's lock object behind an opaque spinlock_t.
 */
struct gmap {
	struct mm_struct *mm;
	int guest_handle;
	struct kvm *kvm;
};
typedef char spinlock_t;
#define FAULT_FLAG_WRITE	0x01
#define MAX_ERRNO	4095
#define IS_ERR_VALUE(x)	((unsigned long)(x) >= (unsigned long)-MAX_ERRNO)
#define IS_ERR_OR_NULL(p) (!(p) || IS_ERR_VALUE((unsigned long)(p)))
long __pv_gmap_translate(struct gmap *gmap, unsigned long gaddr);
int __pv_gmap_fault(struct gmap *gmap, unsigned long gaddr, unsigned int fault_flags);
struct vm_area_struct *__pv_find_vma(struct mm_struct *mm, unsigned long addr);
int __pv_vma_hugetlb(const struct vm_area_struct *vma);
struct page *__pv_follow_page(struct vm_area_struct *vma, unsigned long addr,
			      unsigned int foll_flags);
pte_t *__pv_get_locked_pte(struct mm_struct *mm, unsigned long addr, spinlock_t **ptl);
void __pv_pte_unmap_unlock(pte_t *ptep, spinlock_t *ptl);

static inline unsigned long __gmap_translate(struct gmap *gmap, unsigned long gaddr)
{
	return (unsigned long)__pv_gmap_translate(gmap, gaddr);
}
static inline int gmap_fault(struct gmap *gmap, unsigned long gaddr, unsigned int fault_flags)
{
	return __pv_gmap_fault(gmap, gaddr, fault_flags);
}
static inline struct vm_area_struct *find_vma(struct mm_struct *mm, unsigned long addr)
{
	return __pv_find_vma(mm, addr);
}
static inline int is_vm_hugetlb_page(struct vm_area_struct *vma) { return __pv_vma_hugetlb(vma); }
/* v5.7's signature (the mm is the VMA's); FOLL_WRITE and FOLL_TOUCH only: no reference */
static inline struct page *follow_page(struct vm_area_struct *vma, unsigned long address,
				       unsigned int foll_flags)
{
	return __pv_follow_page(vma, address, foll_flags);
}
static inline pte_t *get_locked_pte(struct mm_struct *mm, unsigned long addr, spinlock_t **ptl)
{
	return __pv_get_locked_pte(mm, addr, ptl);
}
static inline void pte_unmap_unlock(pte_t *ptep, spinlock_t *ptl) { __pv_pte_unmap_unlock(ptep, ptl); }
static inline int pte_write(pte_t pte) { return !!(pte.__pv_flags & 0x02); }

/*
 * ==== mm/gup.c follow_page_pte and what it calls (for a patch of it;
 * doc/paths.md) ====
 * v5.7's signature.  The pmd entry is the model's page table of the
 * address (one per 1 MB segment; the model's tables are never bad, never
 * freed, never huge); there are no device pages (*pgmap stays NULL) and
 * no special or zero pages (vm_normal_page is the PTE's page).  The VMA
 * has no vm_mm field: the model's VMA lies in its mm; vma_mm(vma) is
 * v5.7's vma->vm_mm.  The grab is the model's try_grab_page, tagged as
 * the model's own follow_page_pte tags it.
 */
typedef struct {
	char __pv_ptl;
	unsigned long __pv_seg;
} pmd_t;
struct dev_pagemap;
#define likely(x)	__builtin_expect(!!(x), 1)
#define unlikely(x)	__builtin_expect(!!(x), 0)
static inline void *ERR_PTR(long error) { return (void *)error; }
static inline long PTR_ERR(const void *ptr) { return (long)ptr; }
static inline bool IS_ERR(const void *ptr) { return IS_ERR_VALUE((unsigned long)ptr); }
static inline int pte_none(pte_t pte) { return pte.__pv_flags == 0; }
static inline unsigned long pte_pfn(pte_t pte) { return (unsigned long)pte.__pv_pfn; }
static inline int pmd_bad(pmd_t pmd) { (void)pmd; return 0; }
struct mm_struct *__pv_vma_mm(const struct vm_area_struct *vma);
pte_t *__pv_pte_offset_map_lock(struct mm_struct *mm, pmd_t *pmd, unsigned long addr,
				spinlock_t **ptlp);
bool __pv_try_grab_page(struct page *page, unsigned int flags);
int __pv_no_page_table(const struct vm_area_struct *vma, unsigned int flags);
struct page *__pv_follow_page_pte(struct vm_area_struct *vma, unsigned long address,
				  pmd_t *pmd, unsigned int flags, struct dev_pagemap **pgmap);

static inline struct mm_struct *vma_mm(const struct vm_area_struct *vma)
{
	return __pv_vma_mm(vma);
}
/* include/linux/mm.h: a macro there; the lock is the table's (one visible step) */
static inline pte_t *pte_offset_map_lock(struct mm_struct *mm, pmd_t *pmd,
					 unsigned long address, spinlock_t **ptlp)
{
	return __pv_pte_offset_map_lock(mm, pmd, address, ptlp);
}
/* mm/memory.c: every present PTE of the model maps a normal page */
static inline struct page *vm_normal_page(struct vm_area_struct *vma, unsigned long addr,
					  pte_t pte)
{
	(void)vma;
	(void)addr;
	return pte_page(pte);
}
/* mm/gup.c (static there): no FOLL_FORCE in the model, so the PTE must be writable */
static inline bool can_follow_write_pte(pte_t pte, unsigned int flags)
{
	(void)flags;
	return pte_write(pte);
}
/* mm/gup.c (static there): NULL, or ERR_PTR(-EFAULT) for FOLL_DUMP on an anonymous VMA */
static inline struct page *no_page_table(struct vm_area_struct *vma, unsigned int flags)
{
	return (struct page *)ERR_PTR(__pv_no_page_table(vma, flags));
}
/* mm/gup.c: FOLL_GET a reference, FOLL_PIN a pin (GUP_PIN_COUNTING_BIAS), else nothing */
static inline bool try_grab_page(struct page *page, unsigned int flags)
{
	return __pv_try_grab_page(page, flags);
}
/*
 * replaceable by a patch (--patch): every model follow and slow gup then
 * calls the patch's; callable by user code (the model's, or the patch's)
 */
struct page *follow_page_pte(struct vm_area_struct *vma, unsigned long address, pmd_t *pmd,
			     unsigned int flags, struct dev_pagemap **pgmap);

/* arch/s390/kernel/uv.c: replaceable by a patch (--patch), callable by one */
int gmap_make_secure(struct gmap *gmap, unsigned long gaddr, void *uvcb);
int __pv_gmap_make_secure(struct gmap *gmap, unsigned long gaddr, void *uvcb);

/* ==== mm/swap.c ==== */
static inline void mark_page_accessed(struct page *page) { __pv_mark_page_accessed(page); }
static inline void lru_add_drain(void) { __pv_lru_add_drain(); }
static inline void lru_add_drain_all(void) { __pv_lru_add_drain_all(); }

/*
 * ==== the model's devices ====
 * A transfer by a nic or block device (the model's; v5.7's DMA mapping
 * API is not modelled): the device reads the page (to_device) or writes
 * it.  Return: 0, or -EIO when the page is secure (the device's access
 * fails, as on the machine).
 */
static inline int dma_to_device(struct device *dev, struct page *page)
{
	return __pv_dma(dev, page, 1);
}
static inline int dma_from_device(struct device *dev, struct page *page)
{
	return __pv_dma(dev, page, 0);
}

/* ==== include/asm-generic/bug.h, linux/mmdebug.h, linux/kernel.h ==== */
#define WARN_ON(cond) ({ int __c = !!(cond); \
	if (__c) __pv_kernel_check("WARN_ON", #cond, NULL, __FILE__, __LINE__); __c; })
#define WARN_ON_ONCE(cond) WARN_ON(cond)
#define BUG_ON(cond) do { if (cond) \
	__pv_kernel_check("BUG_ON", #cond, NULL, __FILE__, __LINE__); } while (0)
#define VM_BUG_ON_PAGE(cond, page) do { if (cond) \
	__pv_kernel_check("VM_BUG_ON_PAGE", #cond, (page), __FILE__, __LINE__); } while (0)
#define might_sleep() __pv_might_sleep(__FILE__, __LINE__)

/* ==== include/linux/preempt.h, uaccess.h, irqflags.h: the execution context ==== */
static inline void preempt_disable(void) { __pv_context(0); }
static inline void preempt_enable(void) { __pv_context(1); }
static inline void pagefault_disable(void) { __pv_context(2); }
static inline void pagefault_enable(void) { __pv_context(3); }
static inline void local_irq_disable(void) { __pv_context(4); }
static inline void local_irq_enable(void) { __pv_context(5); }
static inline int in_atomic(void) { return __pv_in_atomic(); }

/* ==== registration ==== */
#define __PV_MAX_ARGS 4
enum __pv_kind { __PV_INT, __PV_GUEST, __PV_MM, __PV_FILE, __PV_PAGE, __PV_PIPE, __PV_DEV,
		 __PV_BAD };

struct __pv_path_desc {
	unsigned int version;
	const char *name;
	const char *file;
	int line;
	int nargs;
	int kinds[__PV_MAX_ARGS];
	const char *types[__PV_MAX_ARGS];
	long (*thunk)(const uintptr_t *args);
};

#define __PV_KIND(T) _Generic((T)0,					\
	struct address_space *: __PV_FILE, struct mm_struct *: __PV_MM,	\
	struct device *: __PV_DEV, struct kvm *: __PV_GUEST,		\
	struct pipe_inode_info *: __PV_PIPE, struct page *: __PV_PAGE,	\
	int: __PV_INT, unsigned int: __PV_INT, long: __PV_INT,		\
	unsigned long: __PV_INT, default: __PV_BAD)

#define __PV_NARGS(...) __PV_NARGS_(__VA_ARGS__, 4, 3, 2, 1, 0)
#define __PV_NARGS_(a, b, c, d, n, ...) n
#define __PV_CAT(a, b) __PV_CAT_(a, b)
#define __PV_CAT_(a, b) a##b
#define __PV_CALL1(fn, A) fn((A)a[0])
#define __PV_CALL2(fn, A, B) fn((A)a[0], (B)a[1])
#define __PV_CALL3(fn, A, B, C) fn((A)a[0], (B)a[1], (C)a[2])
#define __PV_CALL4(fn, A, B, C, D) fn((A)a[0], (B)a[1], (C)a[2], (D)a[3])
#define __PV_KINDS1(A) { __PV_KIND(A) }
#define __PV_KINDS2(A, B) { __PV_KIND(A), __PV_KIND(B) }
#define __PV_KINDS3(A, B, C) { __PV_KIND(A), __PV_KIND(B), __PV_KIND(C) }
#define __PV_KINDS4(A, B, C, D) { __PV_KIND(A), __PV_KIND(B), __PV_KIND(C), __PV_KIND(D) }

/*
 * PV_PATH(fn, TYPE...) - make fn(TYPE...) a scenario operation named fn.
 * One to four parameters, each of a kind listed above; fn returns int.
 */
#define PV_PATH(fn, ...)							\
	_Static_assert(__builtin_types_compatible_p(__typeof__(fn),		\
						    int (__VA_ARGS__)),		\
		       "PV_PATH(" #fn ", ...): the types listed are not the "	\
		       "parameters of " #fn " (or it does not return int)");	\
	static long __pv_thunk_##fn(const uintptr_t *a)				\
	{									\
		return __PV_CAT(__PV_CALL, __PV_NARGS(__VA_ARGS__))(fn, __VA_ARGS__); \
	}									\
	static const struct __pv_path_desc __pv_desc_##fn = {			\
		1, #fn, __FILE__, __LINE__, __PV_NARGS(__VA_ARGS__),		\
		__PV_CAT(__PV_KINDS, __PV_NARGS(__VA_ARGS__))(__VA_ARGS__),	\
		{ #__VA_ARGS__ }, __pv_thunk_##fn };				\
	__attribute__((constructor)) static void __pv_reg_##fn(void)		\
	{									\
		__pv_register(&__pv_desc_##fn);					\
	}									\
	_Static_assert(1, "")

#endif /* PVCHECK_KERNEL_H */
